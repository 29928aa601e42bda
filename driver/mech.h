/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khsm mechanism table and engine interface.
 *
 * One row per CKM_*.  Every path into the engine (the /dev/hsm ioctls, the
 * crypto API registrations) finds its mechanism here, so what a mechanism
 * accepts is written once.  The engine works on kernel buffers only; user
 * copies, session state and key policy live in op.c and attr.c.
 */
#ifndef _KHSM_MECH_H
#define _KHSM_MECH_H

#include <linux/types.h>

struct work_struct;

/* What a mechanism serves: bit per function */
#define KHSM_FN_ENCRYPT		BIT(0)
#define KHSM_FN_DECRYPT		BIT(1)
#define KHSM_FN_SIGN		BIT(2)
#define KHSM_FN_VERIFY		BIT(3)
#define KHSM_FN_DIGEST		BIT(4)
#define KHSM_FN_GENERATE	BIT(5)
#define KHSM_FN_MSG_ENCRYPT	BIT(6)
#define KHSM_FN_MSG_DECRYPT	BIT(7)

struct khsm_engine_ctx;		/* engine private state of one operation */
struct khsm_mech_row;

/*
 * A key object's engine cache: state an engine derives from a key once
 * (e.g. HMAC pad states) and keeps with the key object, since a key value
 * never changes (CKA_VALUE is not modifiable).  An entry is published once
 * and then read-only; lookups take no lock.  Entries are tagged by their
 * engine, so one key may carry several; tags must not clash between
 * engines (a CKM_* value, or the address of something the engine owns).
 * They are freed, by @free, when the object is freed: possibly from an RCU
 * callback, so @free must not sleep (khsm_kcache_defer() is there for what
 * must), and must zeroize.  Entries count against max_object_memory.  An
 * engine must not keep a pointer into an entry past its init unless the
 * entry is reference counted (engine/util.c, khsm_kc_tfm): the key object
 * may go away while the operation runs.
 */
struct khsm_kcache {
	struct khsm_kcache *next;
	u64 tag;
	u32 charge;		/* bytes charged to the token (object.c) */
	void (*free)(struct khsm_kcache *kc);
};

struct khsm_kcache_head {
	struct khsm_kcache *first;
};

/* object.c: the entry of @tag, or NULL */
const struct khsm_kcache *khsm_kcache_find(struct khsm_kcache_head *h,
					   u64 tag);
/*
 * object.c: publish @kc, charging @charge bytes to the token's object memory
 * until the object is freed (a racing twin is harmless: both are kept).
 * False, and nothing published, past max_object_memory: a cache is an
 * optimization, and the engine goes on without it.
 */
bool khsm_kcache_add(struct khsm_kcache_head *h, struct khsm_kcache *kc,
		     size_t charge);
/* object.c: free every entry (the object is going away) */
void khsm_kcache_free_all(struct khsm_kcache_head *h);
/* object.c: run @work in process context before the module can go */
void khsm_kcache_defer(struct work_struct *work);

/*
 * Engine operations.  All return a CK_RV.  Output convention, for every
 * function that has an out/outlen pair:
 *   - out == NULL: set *outlen to the length needed, change no state,
 *     return CKR_OK (a length query);
 *   - *outlen too small: set *outlen to the length needed, change no state,
 *     return CKR_BUFFER_TOO_SMALL;
 *   - else write, set *outlen to the length written.
 * The length needed may be an upper bound (e.g. CBC_PAD decrypt), never
 * less than what is written.
 */
struct khsm_engine_ops {
	/*
	 * Validate @param (kernel copy, @plen bytes, LP64 CK_*_PARAMS layout;
	 * pointers inside it are user pointers, and init may read them with
	 * copy_from_user as it runs in the caller's process context), take
	 * @key (@keylen bytes; NULL for digests) into the engine's own state
	 * and allocate *@ctx.  @fn is one KHSM_FN_* bit.  Nothing is deferred
	 * to the first update that can fail here.
	 * CKR_MECHANISM_PARAM_INVALID for a bad parameter,
	 * CKR_KEY_SIZE_RANGE for a bad key length, CKR_HOST_MEMORY on -ENOMEM.
	 * @kc is the key object's engine cache, NULL when the key is not an
	 * object (or there is none): an engine may keep what it derives from
	 * the key there.
	 */
	u32 (*init)(const struct khsm_mech_row *m, u32 fn,
		    const void *param, size_t plen,
		    const u8 *key, size_t keylen,
		    struct khsm_kcache_head *kc,
		    struct khsm_engine_ctx **ctx);
	/* C_*Update: encrypt/decrypt produce output, sign/verify/digest none */
	u32 (*update)(struct khsm_engine_ctx *ctx, const u8 *in, size_t inlen,
		      u8 *out, size_t *outlen);
	/* C_*Final for encrypt/decrypt/sign/digest */
	u32 (*final)(struct khsm_engine_ctx *ctx, u8 *out, size_t *outlen);
	/* C_VerifyFinal: CKR_SIGNATURE_INVALID / CKR_SIGNATURE_LEN_RANGE */
	u32 (*verify_final)(struct khsm_engine_ctx *ctx, const u8 *sig,
			    size_t siglen);
	/*
	 * One-shot C_Encrypt/C_Decrypt/C_Sign/C_Digest (and C_Verify with
	 * out = signature, as input).  May be NULL: op.c then runs
	 * update + final.
	 */
	u32 (*oneshot)(struct khsm_engine_ctx *ctx, const u8 *in, size_t inlen,
		       u8 *out, size_t *outlen);
	/*
	 * Message-based AEAD (3.0): one whole message per call.  @param is the
	 * kernel copy of CK_GCM_MESSAGE_PARAMS; the engine validates it and
	 * reads/writes the IV and tag through its user pointers.
	 */
	u32 (*message)(struct khsm_engine_ctx *ctx, const void *param,
		       size_t plen, const u8 *aad, size_t aadlen,
		       const u8 *in, size_t inlen, u8 *out, size_t *outlen);
	void (*free)(struct khsm_engine_ctx *ctx);	/* zeroizes */
};

struct khsm_mech_row {
	u64 type;		/* CKM_* */
	u32 fns;		/* KHSM_FN_* it serves */
	u64 key_type;		/* CKK_* it takes, or ~0 for none (digests) */
	u32 min_key, max_key;	/* key size in bytes, as CK_MECHANISM_INFO */
	u64 info_flags;		/* CKF_* of CK_MECHANISM_INFO */
	/* exact parameter length, or KHSM_PARAM_ANY / KHSM_PARAM_NONE */
	u32 param_len;
	const struct khsm_engine_ops *ops;	/* NULL for key generation */
	const char *name;	/* "CKM_AES_GCM", for messages and docs */
	/*
	 * CK_MECHANISM_INFO reports this row's key sizes in bits (PKCS#11
	 * says so for CKM_GENERIC_SECRET_KEY_GEN); min_key/max_key stay in
	 * bytes.  Use khsm_mech_info() to fill CK_MECHANISM_INFO.
	 */
	bool info_key_bits;
};

#define KHSM_PARAM_NONE	0
#define KHSM_PARAM_ANY	U32_MAX	/* engine init validates the length */

/* mech.c */
const struct khsm_mech_row *khsm_mech_find(u64 type);
size_t khsm_mech_count(void);
const struct khsm_mech_row *khsm_mech_at(size_t i);
/* CK_MECHANISM_INFO of a row: key sizes in the unit PKCS#11 gives them */
void khsm_mech_info(const struct khsm_mech_row *m, u64 *min_key_size,
		    u64 *max_key_size, u64 *flags);

/*
 * Engine lifecycle (mech.c calls into the engine/ files): allocate long-lived
 * transforms at probe, free at remove.  The engine never allocates a
 * transform by a crypto API name that could resolve to a khsm driver.
 */
int khsm_engine_init(void);
void khsm_engine_exit(void);
/* Frees the per-CPU context stash (engine/util.c): module exit only */
void khsm_ctx_stash_drain(void);

/* Random numbers: the kernel's CTR_DRBG (engine/drbg.c) */
u32 khsm_rng_generate(u8 *buf, size_t len);
u32 khsm_rng_seed(const u8 *seed, size_t len);

#endif /* _KHSM_MECH_H */
