/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khsm crypto API registrations (alg*.c) and key tokens (keytoken.c).
 *
 * Standard names (gcm(aes), rfc4106(gcm(aes)), hmac(sha*)) take raw keys,
 * as the kernel's self-tests feed them.  The khsm-* names
 * (gcm(khsm-aes), hmac(khsm-sha256), ...) take a key token minted by
 * KHSM_IOC_KEY_TOKEN, so a kernel user reaches an HSM-resident key without
 * holding it.  Documentation/crypto-api.rst has the long form.
 */
#ifndef _KHSM_ALG_H
#define _KHSM_ALG_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct crypto_tfm;

/*
 * Default priority of every khsm algorithm: below every in-tree
 * implementation (aes-generic based gcm 100, gcm-aesni 400, hmac over
 * sha256-generic 100), so khsm serves a user that asks for it by driver
 * name (gcm-aes-khsm) and never wins gcm(aes) by default.  The module
 * parameter alg_priority overrides it.
 */
#define KHSM_ALG_PRIORITY	50

/* alg.c: called by main.c, last thing in probe and first thing in remove */
int khsm_alg_register(void);
void khsm_alg_unregister(void);

int khsm_alg_priority(void);
/* Did @tfm resolve to a khsm driver?  (khsm must never call itself.) */
bool khsm_alg_tfm_is_ours(struct crypto_tfm *tfm);
/* Make sure the kernel's own @name exists before ours is registered */
void khsm_alg_settle_peer(const char *name, u32 type, u32 mask);

int khsm_alg_aead_register(void);
void khsm_alg_aead_unregister(void);
int khsm_alg_hash_register(void);
void khsm_alg_hash_unregister(void);

/* ---- keytoken.c ---------------------------------------------------- */

/*
 * The token: 32 bytes (an AES-256 key's size, so tools that cap a key there
 * carry it), little-endian, opaque to its users.
 *   0  magic "KT"   2  version (1)   3  reserved (0)
 *   4  object handle (u32)           8  object serial (u64)
 *   16 HMAC-SHA256(instance secret, bytes 0..15), first 16 bytes
 */
#define KHSM_KEYTOKEN_LEN	32

int khsm_keytoken_init(void);
void khsm_keytoken_exit(void);

struct khsm_app;
struct khsm_key_token;
struct khsm_object;

/* KHSM_IOC_KEY_TOKEN handler, called by cdev.c: -errno or CK_RV */
long khsm_ioc_key_token(struct khsm_app *app, struct khsm_key_token *a);

/*
 * Called by object.c when an object may have stopped being usable by kernel
 * users: after it was marked dead (destroyed), and after its boolean or
 * date attributes changed.  Revokes the tfms bound to @obj that lost their
 * right, so that their copy of the key is wiped and @obj's reference
 * dropped without waiting for the tfm to be freed.  Any context that may
 * take a spinlock.
 */
void khsm_keytoken_revalidate(struct khsm_object *obj);

/* What a token algorithm needs of the key it binds to */
struct khsm_kbind_policy {
	u64 mech;		/* CKM_* whose row the key must fit */
	u32 fns;		/* KHSM_FN_* the algorithm performs */
};

/*
 * One tfm's binding to an HSM-resident key; lives in the tfm context.
 * The binding holds a reference on the object.  Requests run between
 * khsm_kbind_enter() and khsm_kbind_exit(); enter checks, per request,
 * that the binding was not revoked, the object is alive, still has
 * KHSM_CKA_KERNEL_USE and permits this function (CKA_ENCRYPT ...).
 * After a revocation, once the requests in flight have left, @wipe runs
 * (process context) to erase the tfm's copy of the key, and the object
 * reference is dropped.
 */
struct khsm_kbind {
	struct list_head node;		/* kt_bound, under kt_lock */
	struct khsm_object *obj;	/* referenced while bound */
	unsigned long flags;		/* KHSM_KBIND_* */
	atomic_t inflight;
	u32 fns;			/* KHSM_FN_* allowed at setkey */
	const struct khsm_kbind_policy *policy;
	void (*wipe)(struct khsm_kbind *b);
	struct work_struct wipe_work;
};

#define KHSM_KBIND_REVOKED	0	/* no key, or no right to it any more */
#define KHSM_KBIND_WIPING	1	/* wipe queued or done */
#define KHSM_KBIND_LISTED	2	/* on kt_bound */

void khsm_kbind_init(struct khsm_kbind *b,
		     const struct khsm_kbind_policy *policy,
		     void (*wipe)(struct khsm_kbind *b));
/*
 * setkey: check @token and the object's policy, then hand the key bytes
 * to @load, which keys the tfm's inner transform with them.  Replaces any
 * earlier binding; on failure the tfm is left without a key (-ENOKEY).
 */
int khsm_kbind_setkey(struct khsm_kbind *b, const u8 *token,
		      unsigned int len,
		      int (*load)(struct khsm_kbind *b, const u8 *key,
				  unsigned int keylen));
/* tfm exit: unbind; the tfm context may be freed afterwards */
void khsm_kbind_release(struct khsm_kbind *b);
/* 0, -ENOKEY (no key, revoked, destroyed) or -EACCES (not permitted) */
int khsm_kbind_enter(struct khsm_kbind *b, u32 fn);
void khsm_kbind_exit(struct khsm_kbind *b);

#endif /* _KHSM_ALG_H */
