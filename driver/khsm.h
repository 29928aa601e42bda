/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khsm internal interface: the token, applications (open files of /dev/hsm),
 * sessions, objects, the attribute rules table and the operation state
 * machine.  The ioctl layer (cdev.c) decodes user arguments and calls the
 * khsm_ioc_*() handlers; kernel users (the crypto API registrations) use
 * khsm_token_default(), khsm_object_get() and khsm_key_check() directly.
 *
 * Return convention of every handler and of most internal functions that
 * return long: a negative value is a transport fault (-EFAULT, -ENOMEM,
 * -EINVAL for a malformed header), a value >= 0 is the CK_RV of the call.
 * Functions returning u32 return a CK_RV only.
 */
#ifndef _KHSM_H
#define _KHSM_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/khsm.h>

#include "ck.h"
#include "mech.h"

#define KHSM_VERSION_STRING	"khsm 0.1.0"

struct device;
struct khsm_app;
struct khsm_session;

/* ---- configuration (main.c): device properties, module params --------- */
#define KHSM_MAX_SESSIONS	65536	/* session handles: session.c */

struct khsm_config {
	u32 max_sessions;	/* per application, <= KHSM_MAX_SESSIONS */
	u32 max_objects;	/* per application: its session + token objects */
	u32 max_token_objects;	/* per token */
	u32 max_object_memory;	/* bytes, all objects of the token */
	u32 max_pin_tries;	/* consecutive failures before a PIN locks */
	u32 pin_kdf_iterations;	/* PBKDF2-HMAC-SHA256 */
};

/* ---- PINs (pin.c) ------------------------------------------------------ */
#define KHSM_PIN_SALT_LEN	16
#define KHSM_PIN_HASH_LEN	32

struct khsm_pin_hash {
	u8 salt[KHSM_PIN_SALT_LEN];
	u8 hash[KHSM_PIN_HASH_LEN];
	u32 iterations;
	bool set;
};

int khsm_pin_set(struct khsm_pin_hash *ph, const u8 *pin, size_t len,
		 u32 iterations);
bool khsm_pin_check(const struct khsm_pin_hash *ph, const u8 *pin,
		    size_t len);
void khsm_pin_clear(struct khsm_pin_hash *ph);
/*
 * Copies a PIN of @len bytes (the caller bounded it by KHSM_MAX_PIN_LEN)
 * from @uptr into @buf: CKR_OK, CKR_ARGUMENTS_BAD (NULL with a length) or
 * -EFAULT.
 */
long khsm_pin_copy_in(u64 uptr, u64 len, u8 *buf);

/* ---- object indexes (index.c) ----------------------------------------- */
#define KHSM_NCLASS	10	/* CKO_DATA..CKO_OTP_KEY, then "other" */

/* 2^bits label buckets, then 2^bits id buckets */
struct khsm_htab {
	struct rcu_head rcu;
	unsigned int bits;
	struct hlist_head heads[];
};

/*
 * Object sets and handles are split in shards, one per CPU up to
 * KHSM_MAX_SHARDS (khsm_nshards: the possible CPUs rounded down to a power
 * of two, at most 16, fixed at module load; CPUs beyond share).
 * An object joins the shard of the CPU that creates it: its handle is
 * (id << KHSM_SHARD_BITS) | shard, the id from that shard's own cyclic
 * allocator, and it sits in that shard of its index.  Creating and
 * destroying objects on different CPUs therefore take no common lock, even
 * in one application; a find walks one bucket per shard.
 */
#define KHSM_SHARD_BITS		4
#define KHSM_MAX_SHARDS		BIT(KHSM_SHARD_BITS)
#define KHSM_HANDLE_ID_MAX	(U32_MAX >> KHSM_SHARD_BITS)
extern unsigned int khsm_nshards;

static inline unsigned int khsm_handle_shard(u64 handle)
{
	return handle & (KHSM_MAX_SHARDS - 1);
}

/*
 * One shard of the hash tables of one object set (the token objects of a
 * token, or the session objects of an application) by CKA_LABEL and
 * CKA_ID, and a list per object class.  Finds walk them under RCU; writers
 * take the shard's short spinlock, never across a user copy.  Tables grow
 * by rehashing.
 */
struct khsm_index_shard {
	spinlock_t lock;		/* writers; obj->dead, obj->blob swap */
	/* objects moved between buckets, an object's bools and blob changed */
	seqcount_spinlock_t seq;
	struct khsm_htab __rcu *tab;
	unsigned int count;
	struct list_head class[KHSM_NCLASS];
} ____cacheline_aligned_in_smp;

struct khsm_index {
	struct khsm_index_shard *sh;	/* khsm_nshards of them */
	u32 seed;			/* random: no chosen-collision labels */
};

/* The handles of one shard: id -> object */
struct khsm_handle_shard {
	struct xarray xa;
	u32 next;			/* cyclic: a handle is not reused soon */
} ____cacheline_aligned_in_smp;

/* ---- the token (token.c) ---------------------------------------------- */
/*
 * Read by every lookup first; the PIN state between; last, what open,
 * close, create and destroy in every application write, over a hundred
 * bytes away so that those writes do not take the lookups' cache line
 * from other CPUs (the token is a devm allocation: no cache-line
 * alignment to rely on).
 */
struct khsm_token {
	struct device *dev;
	struct khsm_config cfg;
	/* every object handle (token and session objects), khsm_nshards */
	struct khsm_handle_shard *handles;
	struct khsm_index index;	/* token objects */
	/* key tokens minted and taken: the crypto API side is registered */
	bool key_tokens;

	/* PIN state, token init; held across PBKDF2 (sleeps) */
	struct mutex pin_lock;
	struct khsm_pin_hash so_pin;
	struct khsm_pin_hash user_pin;
	u32 so_fails;
	u32 user_fails;
	bool initialized;
	bool initializing;	/* C_InitToken running: no session may open */
	u8 label[KHSM_LABEL_LEN];
	u8 serial[16];

	/* sessions open in all applications (gates C_InitToken) */
	atomic_t sessions;
	atomic_t token_objects;
	atomic64_t unique_ids;		/* CKA_UNIQUE_ID of the last object */
	atomic64_t mem_used;
	/* creator links of token objects (khsm_app.tok_objects) */
	spinlock_t creator_lock;
};

int khsm_token_init(struct khsm_token *tok, struct device *dev,
		    const struct khsm_config *cfg);
void khsm_token_exit(struct khsm_token *tok);
/* PIN check with failure counting; tok->pin_lock held (token.c) */
u32 khsm_pin_verify(struct khsm_token *tok, const struct khsm_pin_hash *ph,
		    u32 *fails, const u8 *pin, u64 len);
/* The token of the bound device, or NULL; for kernel users (crypto API) */
struct khsm_token *khsm_token_default(void);
void khsm_token_set_default(struct khsm_token *tok);

/* ---- applications and sessions (session.c) ---------------------------- */
enum khsm_user {
	KHSM_USER_NONE = 0,
	KHSM_USER_SO,
	KHSM_USER_NORMAL,
};

/*
 * Three cache lines' worth of groups, by who writes them: the first is
 * read by every call of every thread of the application (the session
 * lookup, the login state, the index), the second written by open and
 * close, the third by object create and destroy, so that two threads
 * opening sessions or making objects do not take the first one from each
 * other's CPU.
 */
struct khsm_app {
	struct khsm_token *tok;
	struct khsm_stab __rcu *stab;	/* session table (session.c) */
	int user;			/* enum khsm_user; READ_ONCE outside lock */
	refcount_t files;		/* open files of the application */
	struct khsm_index index;	/* session objects of all sessions */
	struct list_head tok_objects;	/* token objects created (creator_lock) */

	struct mutex lock ____cacheline_aligned_in_smp;
					/* sessions open/close, login state */
	struct khsm_session *spare;	/* a closed session's memory (xchg) */
	u32 free_hint;			/* no free slot below (lock) */
	u32 opens;			/* handle generations (lock) */
	u32 nsessions;
	u32 nrw;

	atomic_t objects ____cacheline_aligned_in_smp;
					/* session + created token objects */
};

enum khsm_op_state {
	KHSM_OPS_IDLE = 0,
	KHSM_OPS_INIT,		/* initialized, no data yet */
	KHSM_OPS_UPDATE,	/* multi-part: an update was made */
	KHSM_OPS_ONESHOT,	/* a one-shot asked for its length */
};

struct khsm_op {
	const struct khsm_mech_row *mech;
	struct khsm_engine_ctx *ctx;
	u32 fn;			/* KHSM_FN_* */
	u8 state;		/* enum khsm_op_state */
};

struct khsm_find_state {
	u32 *handles;		/* snapshot at C_FindObjectsInit */
	u32 count;
	u32 pos;
	bool active;
};

struct khsm_session {
	struct kref ref;
	struct khsm_app *app;	/* app and handle: see session_alloc() */
	u32 handle;
	bool rw;
	bool closed;		/* under lock */
	bool objs_closed;	/* under obj_lock: no new objects */
	struct mutex lock;	/* operations and find state */
	spinlock_t obj_lock;	/* objects and objs_closed */
	struct khsm_op ops[KHSM_OP_KINDS];
	struct khsm_find_state find;
	struct list_head objects;	/* session objects (obj_lock) */
	u8 *iobuf;		/* under lock: data-call bounce buffer (op.c) */
	size_t iocap;
};

/* ---- user copies of argument structs and small data (ucopy.c) ------- */
/* 0 or -EFAULT */
int khsm_copy_in(void *kdst, const void __user *usrc, size_t len);
int khsm_copy_out(void __user *udst, const void *ksrc, size_t len);
/* Measures which way large copies go on this CPU (module init) */
void khsm_ucopy_init(void);

int khsm_sessions_init(void);
void khsm_sessions_exit(void);
struct khsm_app *khsm_app_open(struct khsm_token *tok);
/* Each open file of the application holds a reference; the last ends it */
void khsm_app_get(struct khsm_app *app);
void khsm_app_put(struct khsm_app *app);
/* Walks the session table: app->lock held */
u32 khsm_app_session_slots(struct khsm_app *app);
struct khsm_session *khsm_app_session_at(struct khsm_app *app, u32 slot);

/* Looks up a session of @app and takes a reference, or NULL */
struct khsm_session *khsm_session_get(struct khsm_app *app, u32 handle);
void khsm_session_put(struct khsm_session *sess);
/* Locks @sess for an operation: CKR_OK, or CKR_SESSION_CLOSED */
u32 khsm_session_lock(struct khsm_session *sess);
void khsm_session_unlock(struct khsm_session *sess);
/* The user logged in to @app: enum khsm_user */
static inline int khsm_app_user(const struct khsm_app *app)
{
	return READ_ONCE(app->user);
}

/* ---- objects (object.c) ----------------------------------------------- */

/* Boolean attributes, one bit each in khsm_object.bools */
enum khsm_bool_bit {
	KHSM_B_TOKEN = 0,
	KHSM_B_PRIVATE,
	KHSM_B_MODIFIABLE,
	KHSM_B_COPYABLE,
	KHSM_B_DESTROYABLE,
	KHSM_B_DERIVE,
	KHSM_B_LOCAL,
	KHSM_B_SENSITIVE,
	KHSM_B_ENCRYPT,
	KHSM_B_DECRYPT,
	KHSM_B_SIGN,
	KHSM_B_VERIFY,
	KHSM_B_WRAP,
	KHSM_B_UNWRAP,
	KHSM_B_EXTRACTABLE,
	KHSM_B_ALWAYS_SENSITIVE,
	KHSM_B_NEVER_EXTRACTABLE,
	KHSM_B_WRAP_WITH_TRUSTED,
	KHSM_B_TRUSTED,
	KHSM_B_KERNEL_USE,
	KHSM_B_COUNT
};

#define KHSM_NO_MECH	U32_MAX	/* CKA_KEY_GEN_MECHANISM unavailable */

/*
 * Variable-length attributes of one object (label, id, dates, data value,
 * allowed mechanisms ...), packed: entries of { u16 row; u16 len; value }
 * at 2-byte alignment.  Immutable once published; C_SetAttributeValue
 * builds a new blob and swaps it, with the booleans, under its index
 * shard's lock and seqcount.  A blob belongs to exactly one object: every
 * create, copy and set builds its own, and only khsm_index_snapshot()
 * callers share it, holding a reference they drop with khsm_blob_put().
 * Finds read it under RCU without a reference.  Freed with kfree_sensitive
 * after a grace period.
 */
struct khsm_blob {
	struct rcu_head rcu;
	refcount_t ref;
	u16 size;
	u16 alloc;
	u8 data[];
};

struct khsm_object {
	struct hlist_node label_node;	/* index (RCU, index lock) */
	struct hlist_node id_node;
	struct list_head class_node;
	struct rcu_head rcu;
	struct list_head own_node;	/* session list, or creator's list */
	struct khsm_token *tok;
	struct khsm_app *owner;		/* session objects; NULL for token */
	union {
		/* session objects: a reference, dropped by uncharge() */
		struct khsm_session *sess;
		/* token objects (tok->creator_lock) */
		struct khsm_app *creator;
	};
	struct khsm_blob __rcu *blob;
	u8 *secret;			/* key value, own allocation */
	struct khsm_kcache_head kcache;	/* engine state derived from it */
	refcount_t ref;
	u32 handle;
	u32 bools;			/* BIT(enum khsm_bool_bit) */
	u32 class;			/* CKO_* */
	u32 key_type;			/* CKK_* or U32_MAX */
	u32 gen_mech;			/* CKM_* or KHSM_NO_MECH */
	u64 unique_id;			/* CKA_UNIQUE_ID, rendered in hex */
	u32 label_hash;
	u32 id_hash;
	u32 mem;			/* bytes charged */
	u16 secret_len;
	bool dead;			/* index lock */
};

static inline bool khsm_obj_bool(const struct khsm_object *obj,
				 enum khsm_bool_bit b)
{
	return READ_ONCE(obj->bools) & BIT(b);
}

static inline bool khsm_obj_is_token(const struct khsm_object *obj)
{
	return !obj->owner;
}

int khsm_objects_init(void);
void khsm_objects_exit(void);

/*
 * For kernel users: the object of @handle on @tok with a reference, or
 * NULL.  Any live object (token or session); the caller decides whose it
 * is (khsm_obj_is_token()).  Drop with khsm_object_put().
 */
struct khsm_object *khsm_object_get(struct khsm_token *tok, u64 handle);
void khsm_object_put(struct khsm_object *obj);
/*
 * The object of @handle as @app sees it: session objects of other
 * applications are invisible; private objects are invisible unless the
 * normal user is logged in, or @with_private (a caller that checks the
 * login itself, as KHSM_IOC_KEY_TOKEN does).
 */
struct khsm_object *khsm_object_lookup(struct khsm_app *app, u64 handle,
				       bool with_private);
/* Destroys @obj (unlink, uncharge, drop the handle's reference) */
void khsm_object_destroy(struct khsm_object *obj);
/* The key value; valid while a reference is held (keys never change it) */
static inline const u8 *khsm_object_secret(const struct khsm_object *obj,
					   size_t *len)
{
	*len = obj->secret_len;
	return obj->secret;
}

/*
 * Policy of a key for one use, without login (the caller checks login for
 * private keys): class is a key, key type matches the mechanism
 * (CKR_KEY_TYPE_INCONSISTENT), CKA_ENCRYPT/DECRYPT/SIGN/VERIFY for @fn
 * (CKR_KEY_FUNCTION_NOT_PERMITTED), CKA_ALLOWED_MECHANISMS
 * (CKR_MECHANISM_INVALID), CKA_START_DATE/END_DATE against today
 * (CKR_KEY_FUNCTION_NOT_PERMITTED).  @fn is one KHSM_FN_* bit.
 */
u32 khsm_key_check(const struct khsm_object *obj, u32 fn,
		   const struct khsm_mech_row *m);

/* Destroys the session objects of @sess (session close) */
void khsm_session_objects_destroy(struct khsm_session *sess);
/* Destroys the private session objects of @app (logout) */
void khsm_app_private_objects_destroy(struct khsm_app *app);
/* Application release: forget creator links of its token objects */
void khsm_app_forget_token_objects(struct khsm_app *app);
/* Destroys every token object (C_InitToken, teardown) */
void khsm_token_objects_destroy(struct khsm_token *tok);

/* ---- templates and the attribute rules table (attr.c) ----------------- */

/* A template copied in from user space */
struct khsm_tattr {
	u64 type;
	u64 len;		/* in: value length (GET: buffer size) */
	u64 uval;		/* user pointer of the value */
	u8 *val;		/* kernel copy (CREATE/SET/FIND), else NULL */
};

struct khsm_tmpl {
	u32 count;
	u8 *buf;		/* all values, one allocation */
	size_t buflen;
	u8 *abuf;		/* attribute arrays, packed (attr.c) */
	size_t abuflen;
	struct khsm_tattr a[];
};

/*
 * Copies a template in: @count struct khsm_attr from @uptr and, when
 * @values, each value (bounded by KHSM_MAX_ATTR_LEN).  Returns CKR_OK,
 * CKR_ARGUMENTS_BAD, CKR_ATTRIBUTE_VALUE_INVALID, CKR_HOST_MEMORY or
 * -EFAULT; *@out is set on CKR_OK.
 */
long khsm_tmpl_copy_in(u64 uptr, u64 count, bool values,
		       struct khsm_tmpl **out);
void khsm_tmpl_free(struct khsm_tmpl *t);

/* What a template builds or changes */
enum khsm_tmpl_op {
	KHSM_TOP_CREATE,
	KHSM_TOP_GENERATE,
	KHSM_TOP_COPY,
	KHSM_TOP_SET,
};

/*
 * A new object's attributes as the template and the rules table decide;
 * built before any allocation is charged, so nothing is half-created.
 */
struct khsm_obj_spec {
	u32 class;
	u32 key_type;
	u32 gen_mech;
	u32 bools;
	struct khsm_blob *blob;		/* owned until handed to the object */
	const u8 *secret;		/* template's or generated value */
	size_t secret_len;
	size_t value_len;		/* CKA_VALUE_LEN of a generate template */
	bool value_len_set;
	bool check_empty;		/* template: CKA_CHECK_VALUE empty */
	bool check_kept;		/* copy: the source's check value */
};

#define KHSM_CHECK_VALUE_LEN	3

/* CKA_UNIQUE_ID: a 64-bit count of the token's objects, 16 hex digits */
#define KHSM_UNIQUE_ID_LEN	16
#define KHSM_ATTR_TMP		16	/* scalar attribute values, rendered */

static inline const u8 *khsm_unique_id_str(u64 id, u8 out[KHSM_UNIQUE_ID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = KHSM_UNIQUE_ID_LEN - 1; i >= 0; i--, id >>= 4)
		out[i] = hex[id & 15];
	return out;
}

/*
 * Checks @t for @op against the rules table and builds the new state in
 * @spec.  CREATE and GENERATE start from the defaults (GENERATE: class and
 * key type from the mechanism row @gen); COPY and SET start from @src, whose
 * blob @base and booleans @base_bools the caller snapshotted together.
 * @user is the application's login state (CKA_TRUSTED).
 */
u32 khsm_attr_build(const struct khsm_tmpl *t, enum khsm_tmpl_op op,
		    const struct khsm_object *src,
		    const struct khsm_blob *base, u32 base_bools, int user,
		    const struct khsm_mech_row *gen, struct khsm_obj_spec *spec);
void khsm_obj_spec_free(struct khsm_obj_spec *spec);
/*
 * Key objects: computes CKA_CHECK_VALUE of spec->secret through the
 * mechanism table and adds it to spec->blob, or checks the template's
 * (CKR_ATTRIBUTE_VALUE_INVALID).
 */
u32 khsm_attr_check_value(struct khsm_obj_spec *spec);
/* C_GetAttributeValue on @obj; writes lengths and values to user space */
long khsm_attr_get(const struct khsm_object *obj, struct khsm_tmpl *t);
/* Does @obj match every attribute of @t?  (find; RCU or index lock held) */
bool khsm_attr_match(const struct khsm_object *obj, const struct khsm_tmpl *t);
/* Value of a blob attribute (CKA_LABEL, CKA_ID ...), or NULL if empty */
const u8 *khsm_blob_find(const struct khsm_blob *b, u64 type, u16 *len);
void khsm_blob_put(struct khsm_blob *b);
/*
 * The same, for an object's own blob once no RCU reader can reach it
 * through that object (a grace period after the object left its index and
 * its handle, or never published).  Since a blob belongs to one object
 * only (struct khsm_blob), nothing else can reach it without a reference,
 * so the last put may free it at once instead of after another grace
 * period.  Sharing a blob between objects would break this.
 */
void khsm_blob_put_unreachable(struct khsm_blob *b);
/* Can a key of @class/@key_type have a value of @len bytes? */
bool khsm_key_len_ok(u32 class, u32 key_type, size_t len);

/* ---- index (index.c) -------------------------------------------------- */
int khsm_index_init(struct khsm_index *idx);
void khsm_index_destroy(struct khsm_index *idx);
void khsm_index_add(struct khsm_index *idx, struct khsm_object *obj);
/* Unlinks @obj; false if it was already gone (destroyed concurrently) */
bool khsm_index_del(struct khsm_index *idx, struct khsm_object *obj);
/*
 * Publishes @blob and @bools on @obj atomically (and adds @mem_delta to
 * its charge), rehashing its label and id; false (nothing changed) if @obj
 * is dead or its blob is no longer @old (a concurrent change: the caller
 * retries).
 */
bool khsm_index_update(struct khsm_index *idx, struct khsm_object *obj,
		       struct khsm_blob *old, struct khsm_blob *blob,
		       u32 bools, long mem_delta);
/*
 * Blob (with a reference) and booleans of @obj, as one snapshot: never half
 * of a C_SetAttributeValue that changed both.  Lockless.
 */
struct khsm_blob *khsm_index_snapshot(struct khsm_index *idx,
				      const struct khsm_object *obj,
				      u32 *bools);
/* Appends handles of visible matching objects to @out (capacity @cap) */
u32 khsm_index_find(struct khsm_index *idx, const struct khsm_tmpl *t,
		    bool see_private, u32 *out, u32 n, u32 cap);

static inline struct khsm_index *khsm_obj_index(const struct khsm_object *obj)
{
	return obj->owner ? &obj->owner->index : &obj->tok->index;
}

/* ---- find (find.c) ----------------------------------------------------- */
void khsm_find_end(struct khsm_find_state *f);

/* ---- operations (op.c) ------------------------------------------------ */
void khsm_op_end(struct khsm_op *op);
void khsm_session_ops_end(struct khsm_session *sess);

/* ---- PKCS#11 date check (attr.c) -------------------------------------- */
bool khsm_date_valid(const u8 *d, size_t len);

/* ---- ioctl handlers (return -errno or CK_RV) -------------------------- */
long khsm_ioc_token_info(struct khsm_app *app, struct khsm_token_info *a);
long khsm_ioc_init_token(struct khsm_app *app, struct khsm_init_token *a);
long khsm_ioc_init_pin(struct khsm_app *app, struct khsm_pin *a);
long khsm_ioc_set_pin(struct khsm_app *app, struct khsm_pin *a);
long khsm_ioc_open_session(struct khsm_app *app,
			   struct khsm_open_session *a);
long khsm_ioc_close_session(struct khsm_app *app, struct khsm_session_req *a);
long khsm_ioc_close_all(struct khsm_app *app, struct khsm_session_req *a);
long khsm_ioc_session_info(struct khsm_app *app,
			   struct khsm_session_info *a);
long khsm_ioc_login(struct khsm_app *app, struct khsm_login *a);
long khsm_ioc_logout(struct khsm_app *app, struct khsm_session_req *a);
long khsm_ioc_create_object(struct khsm_app *app, struct khsm_object_req *a);
long khsm_ioc_copy_object(struct khsm_app *app, struct khsm_object_req *a);
long khsm_ioc_generate_key(struct khsm_app *app, struct khsm_object_req *a);
long khsm_ioc_destroy_object(struct khsm_app *app,
			     struct khsm_object_handle *a);
long khsm_ioc_object_size(struct khsm_app *app, struct khsm_object_handle *a);
long khsm_ioc_get_attrs(struct khsm_app *app, struct khsm_attrs *a);
long khsm_ioc_set_attrs(struct khsm_app *app, struct khsm_attrs *a);
long khsm_ioc_find_init(struct khsm_app *app, struct khsm_find_init *a);
long khsm_ioc_find(struct khsm_app *app, struct khsm_find *a);
long khsm_ioc_find_final(struct khsm_app *app, struct khsm_find *a);
long khsm_ioc_mech_list(struct khsm_app *app, struct khsm_mech_list *a);
long khsm_ioc_mech_info(struct khsm_app *app, struct khsm_mech_info *a);
long khsm_ioc_op_init(struct khsm_app *app, struct khsm_op_init *a);
long khsm_ioc_op_update(struct khsm_app *app, struct khsm_op_data *a);
long khsm_ioc_op_final(struct khsm_app *app, struct khsm_op_data *a);
long khsm_ioc_op_oneshot(struct khsm_app *app, struct khsm_op_data *a);
long khsm_ioc_op_cancel(struct khsm_app *app, struct khsm_op_cancel *a);
long khsm_ioc_generate_random(struct khsm_app *app, struct khsm_random *a);
long khsm_ioc_seed_random(struct khsm_app *app, struct khsm_random *a);

/* cdev.c */
int khsm_cdev_register(struct khsm_token *tok);
void khsm_cdev_unregister(void);

#endif /* _KHSM_H */
