// SPDX-License-Identifier: GPL-2.0
/*
 * khsm key tokens: how a kernel crypto API user (dm-crypt, AF_ALG) uses an
 * HSM-resident key without ever holding it.
 *
 * KHSM_IOC_KEY_TOKEN mints a token for a token object (CKA_TOKEN TRUE) with
 * KHSM_CKA_KERNEL_USE TRUE.  The token names the object by handle and by a
 * serial that this module instance gave it, and is authenticated with
 * HMAC-SHA256 under a secret drawn at probe: it cannot be forged, is
 * useless to another load (or probe) of the module, and holds nothing of
 * the key.
 *
 * A tfm of a token algorithm (gcm(khsm-aes), hmac(khsm-sha256) ...) binds
 * to the object at setkey (struct khsm_kbind): it keys its inner transform
 * from the object's value inside the module and keeps a reference on the
 * object.  Each request checks, without a lock, that the binding stands,
 * the object is alive, and that it still permits the function.  When the
 * object is destroyed (or loses KERNEL_USE), object.c calls
 * khsm_keytoken_revalidate(): the binding is revoked, and once its
 * requests in flight are done a work item wipes the key from the inner
 * transform and drops the object reference, so the key is gone promptly
 * even while the tfm lives on.  Later requests fail with -ENOKEY.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <asm/unaligned.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>

#include "khsm.h"
#include "alg.h"

#define KT_MAGIC	"KT"
#define KT_VERSION	1
#define KT_BODY		16		/* bytes the MAC covers */
#define KT_MAC		16		/* HMAC-SHA256 truncated (SP 800-107) */

/* The instance: HMAC key schedule of the secret drawn at probe */
static struct {
	struct sha256_state ipad, opad;
	bool ready;
} kt;

/*
 * Serials: handle -> the object that handle named when its first token was
 * minted.  A handle reused by a later object has no entry, or one for
 * another object, so an old token never reaches the new object.  The
 * object pointer is an identity, never dereferenced.
 */
struct kt_serial {
	struct rcu_head rcu;
	const struct khsm_object *obj;
	u64 serial;
};

static DEFINE_XARRAY(kt_serials);
static DEFINE_MUTEX(kt_mint_lock);	/* serial assignment */
static u64 kt_next_serial;		/* under kt_mint_lock */

static DEFINE_SPINLOCK(kt_lock);	/* kt_bound */
static LIST_HEAD(kt_bound);		/* bindings that may be revoked */

/* ---- the token ------------------------------------------------------- */

static void kt_mac(const u8 body[KT_BODY], u8 mac[KT_MAC])
{
	struct sha256_state st;
	u8 d[SHA256_DIGEST_SIZE];

	st = kt.ipad;
	sha256_update(&st, body, KT_BODY);
	sha256_final(&st, d);
	st = kt.opad;
	sha256_update(&st, d, sizeof(d));
	sha256_final(&st, d);
	memcpy(mac, d, KT_MAC);
	memzero_explicit(d, sizeof(d));
	memzero_explicit(&st, sizeof(st));
}

static void kt_build(u8 t[KHSM_KEYTOKEN_LEN], u32 handle, u64 serial)
{
	memcpy(t, KT_MAGIC, 2);
	t[2] = KT_VERSION;
	t[3] = 0;
	put_unaligned_le32(handle, t + 4);
	put_unaligned_le64(serial, t + 8);
	kt_mac(t, t + KT_BODY);
}

/*
 * -EINVAL: not a token; -EKEYREJECTED: not minted by this instance (a
 * forgery, or a token of an earlier load or probe of the module).
 */
static int kt_parse(const u8 *t, unsigned int len, u32 *handle, u64 *serial)
{
	u8 mac[KT_MAC];
	int bad;

	if (len != KHSM_KEYTOKEN_LEN || memcmp(t, KT_MAGIC, 2) ||
	    t[2] != KT_VERSION || t[3])
		return -EINVAL;
	/* pairs with the release in khsm_keytoken_init() */
	if (!smp_load_acquire(&kt.ready))
		return -ENODEV;
	kt_mac(t, mac);
	bad = crypto_memneq(mac, t + KT_BODY, sizeof(mac));
	memzero_explicit(mac, sizeof(mac));
	if (bad)
		return -EKEYREJECTED;
	*handle = get_unaligned_le32(t + 4);
	*serial = get_unaligned_le64(t + 8);
	return 0;
}

/* The serial of @obj, given at its first token (kt_mint_lock held) */
static int kt_serial_of(const struct khsm_object *obj, u64 *serial)
{
	struct kt_serial *s, *old;

	s = xa_load(&kt_serials, obj->handle);
	if (s && s->obj == obj) {
		*serial = s->serial;
		return 0;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->obj = obj;
	s->serial = ++kt_next_serial;
	old = xa_store(&kt_serials, obj->handle, s, GFP_KERNEL);
	if (xa_is_err(old)) {
		kfree(s);
		return xa_err(old);
	}
	if (old)
		kfree_rcu(old, rcu);
	*serial = s->serial;
	return 0;
}

static bool kt_serial_is(const struct khsm_object *obj, u64 serial)
{
	struct kt_serial *s;
	bool same;

	rcu_read_lock();
	s = xa_load(&kt_serials, obj->handle);
	same = s && s->obj == obj && s->serial == serial;
	rcu_read_unlock();
	return same;
}

static void kt_serial_forget(const struct khsm_object *obj)
{
	struct kt_serial *s;

	xa_lock(&kt_serials);
	s = xa_load(&kt_serials, obj->handle);
	if (s && s->obj == obj)
		__xa_erase(&kt_serials, obj->handle);
	else
		s = NULL;
	xa_unlock(&kt_serials);
	if (s)
		kfree_rcu(s, rcu);
}

/* ---- KHSM_IOC_KEY_TOKEN ------------------------------------------------ */

static u32 kt_mint_check(const struct khsm_object *obj)
{
	if (obj->class != CKO_SECRET_KEY)
		return CKR_KEY_TYPE_INCONSISTENT;
	if (!khsm_obj_bool(obj, KHSM_B_KERNEL_USE))
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	/* the kernel user outlives the application: token objects only */
	if (!khsm_obj_is_token(obj))
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	return CKR_OK;
}

long khsm_ioc_key_token(struct khsm_app *app, struct khsm_key_token *a)
{
	struct khsm_session *sess;
	struct khsm_object *obj;
	u8 t[KHSM_KEYTOKEN_LEN];
	u64 serial;
	long ret;
	int err;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	/* before the key is looked at: nothing about it leaks without login */
	if (khsm_app_user(app) != KHSM_USER_NORMAL) {
		ret = CKR_USER_NOT_LOGGED_IN;
		goto out_sess;
	}
	obj = khsm_object_lookup(app, a->object, true);
	if (!obj) {
		ret = CKR_KEY_HANDLE_INVALID;
		goto out_sess;
	}
	ret = kt_mint_check(obj);
	if (ret != CKR_OK)
		goto out_obj;
	if (!a->token || a->token_len < KHSM_KEYTOKEN_LEN) {
		ret = a->token ? CKR_BUFFER_TOO_SMALL : CKR_OK;
		a->token_len = KHSM_KEYTOKEN_LEN;
		goto out_obj;
	}
	/* pairs with the release in khsm_keytoken_init() */
	if (!smp_load_acquire(&kt.ready)) {
		ret = CKR_FUNCTION_NOT_SUPPORTED;
		goto out_obj;
	}

	mutex_lock(&kt_mint_lock);
	err = kt_serial_of(obj, &serial);
	mutex_unlock(&kt_mint_lock);
	if (err) {
		ret = err == -ENOMEM ? CKR_HOST_MEMORY : CKR_DEVICE_ERROR;
		goto out_obj;
	}
	/* destroyed meanwhile: its revalidate may have run before our store */
	if (READ_ONCE(obj->dead)) {
		kt_serial_forget(obj);
		ret = CKR_KEY_HANDLE_INVALID;
		goto out_obj;
	}

	kt_build(t, obj->handle, serial);
	if (khsm_copy_out(u64_to_user_ptr(a->token), t, sizeof(t))) {
		ret = -EFAULT;
	} else {
		a->token_len = KHSM_KEYTOKEN_LEN;
		ret = CKR_OK;
	}
	memzero_explicit(t, sizeof(t));
out_obj:
	khsm_object_put(obj);
out_sess:
	khsm_session_put(sess);
	return ret;
}

/* ---- bindings ---------------------------------------------------------- */

static u32 kt_fn_bool(u32 fn)
{
	switch (fn) {
	case KHSM_FN_ENCRYPT:
		return BIT(KHSM_B_ENCRYPT);
	case KHSM_FN_DECRYPT:
		return BIT(KHSM_B_DECRYPT);
	case KHSM_FN_SIGN:
		return BIT(KHSM_B_SIGN);
	case KHSM_FN_VERIFY:
		return BIT(KHSM_B_VERIFY);
	default:
		return 0;
	}
}

/*
 * Which of the policy's functions @obj permits to a kernel user now, by
 * the same check as C_*Init (khsm_key_check: key type, usage flag,
 * CKA_ALLOWED_MECHANISMS, dates); -errno if the key cannot serve at all.
 */
static int kt_permitted(const struct khsm_kbind_policy *pol,
			const struct khsm_object *obj, u32 *fns)
{
	const struct khsm_mech_row *m = khsm_mech_find(pol->mech);
	u32 fn, rv;

	*fns = 0;
	if (READ_ONCE(obj->dead))
		return -ENOKEY;
	if (!khsm_obj_bool(obj, KHSM_B_KERNEL_USE))
		return -EKEYREVOKED;
	if (!m || obj->class != CKO_SECRET_KEY)
		return -EKEYREJECTED;
	for (fn = 1; fn && fn <= pol->fns; fn <<= 1) {
		if (!(pol->fns & fn))
			continue;
		rv = khsm_key_check(obj, fn, m);
		if (rv == CKR_KEY_TYPE_INCONSISTENT ||
		    rv == CKR_KEY_HANDLE_INVALID)
			return -EKEYREJECTED;
		if (rv == CKR_OK)
			*fns |= fn;
	}
	return *fns ? 0 : -EACCES;
}

static void kt_wipe_work(struct work_struct *w)
{
	struct khsm_kbind *b = container_of(w, struct khsm_kbind, wipe_work);
	struct khsm_object *obj;

	b->wipe(b);
	obj = xchg(&b->obj, NULL);
	if (obj)
		khsm_object_put(obj);
}

static void kt_schedule_wipe(struct khsm_kbind *b)
{
	if (!test_and_set_bit(KHSM_KBIND_WIPING, &b->flags))
		schedule_work(&b->wipe_work);
}

/* kt_lock held.  Pairs with the barrier in khsm_kbind_enter(). */
static void kt_revoke_locked(struct khsm_kbind *b)
{
	list_del_init(&b->node);
	clear_bit(KHSM_KBIND_LISTED, &b->flags);
	set_bit(KHSM_KBIND_REVOKED, &b->flags);
	/* REVOKED before reading inflight; enter: inflight before REVOKED */
	smp_mb__after_atomic();
	if (!atomic_read(&b->inflight))
		kt_schedule_wipe(b);
}

void khsm_kbind_init(struct khsm_kbind *b,
		     const struct khsm_kbind_policy *policy,
		     void (*wipe)(struct khsm_kbind *b))
{
	INIT_LIST_HEAD(&b->node);
	b->obj = NULL;
	b->flags = BIT(KHSM_KBIND_REVOKED);
	atomic_set(&b->inflight, 0);
	b->fns = 0;
	b->policy = policy;
	b->wipe = wipe;
	INIT_WORK(&b->wipe_work, kt_wipe_work);
}

void khsm_kbind_release(struct khsm_kbind *b)
{
	struct khsm_object *obj;

	spin_lock(&kt_lock);
	if (test_and_clear_bit(KHSM_KBIND_LISTED, &b->flags))
		list_del_init(&b->node);
	set_bit(KHSM_KBIND_REVOKED, &b->flags);
	spin_unlock(&kt_lock);

	cancel_work_sync(&b->wipe_work);
	obj = xchg(&b->obj, NULL);
	if (obj) {
		b->wipe(b);
		khsm_object_put(obj);
	}
	b->flags = BIT(KHSM_KBIND_REVOKED);
	b->fns = 0;
}

int khsm_kbind_setkey(struct khsm_kbind *b, const u8 *token,
		      unsigned int len,
		      int (*load)(struct khsm_kbind *b, const u8 *key,
				  unsigned int keylen))
{
	struct khsm_token *tok;
	struct khsm_object *obj;
	u64 serial;
	const u8 *key;
	size_t keylen;
	u32 handle, fns;
	int err;

	khsm_kbind_release(b);		/* the previous key, if any, is gone */

	err = kt_parse(token, len, &handle, &serial);
	if (err)
		return err;
	tok = khsm_token_default();
	if (!tok)
		return -ENODEV;
	obj = khsm_object_get(tok, handle);
	if (!obj)
		return -ENOKEY;
	if (!kt_serial_is(obj, serial) || !khsm_obj_is_token(obj)) {
		err = -ENOKEY;
		goto put;
	}
	err = kt_permitted(b->policy, obj, &fns);
	if (err)
		goto put;

	key = khsm_object_secret(obj, &keylen);
	err = load(b, key, keylen);
	if (err)
		goto put;

	b->obj = obj;
	b->fns = fns;
	/* listed before the dead check: a destroy now finds us, or we see it */
	spin_lock(&kt_lock);
	if (READ_ONCE(obj->dead)) {
		err = -ENOKEY;
	} else {
		list_add(&b->node, &kt_bound);
		b->flags = BIT(KHSM_KBIND_LISTED);
	}
	spin_unlock(&kt_lock);
	if (!err)
		return 0;
	b->obj = NULL;
	b->wipe(b);
put:
	khsm_object_put(obj);
	return err;
}

int khsm_kbind_enter(struct khsm_kbind *b, u32 fn)
{
	struct khsm_object *obj;
	int err = -ENOKEY;

	atomic_inc(&b->inflight);
	smp_mb__after_atomic();		/* pairs with kt_revoke_locked() */
	if (test_bit(KHSM_KBIND_REVOKED, &b->flags))
		goto out;
	obj = b->obj;
	if (READ_ONCE(obj->dead) || !khsm_obj_bool(obj, KHSM_B_KERNEL_USE))
		goto out;
	err = -EACCES;
	if (!(READ_ONCE(b->fns) & fn) ||
	    (READ_ONCE(obj->bools) & kt_fn_bool(fn)) != kt_fn_bool(fn))
		goto out;
	return 0;
out:
	khsm_kbind_exit(b);
	return err;
}

void khsm_kbind_exit(struct khsm_kbind *b)
{
	/* atomic_dec_and_test() is a full barrier */
	if (atomic_dec_and_test(&b->inflight) &&
	    test_bit(KHSM_KBIND_REVOKED, &b->flags))
		kt_schedule_wipe(b);
}

void khsm_keytoken_revalidate(struct khsm_object *obj)
{
	struct khsm_kbind *b, *tmp;
	bool dead = READ_ONCE(obj->dead);
	bool minted;
	u32 fns;

	/* no token was ever minted for it: nothing can be bound */
	rcu_read_lock();
	minted = !!xa_load(&kt_serials, obj->handle);
	rcu_read_unlock();
	if (!minted)
		return;

	spin_lock(&kt_lock);
	list_for_each_entry_safe(b, tmp, &kt_bound, node) {
		if (b->obj != obj)
			continue;
		if (dead || kt_permitted(b->policy, obj, &fns))
			kt_revoke_locked(b);
		else
			WRITE_ONCE(b->fns, fns);
	}
	spin_unlock(&kt_lock);
	if (dead)
		kt_serial_forget(obj);
}

/* ---- instance ---------------------------------------------------------- */

int khsm_keytoken_init(void)
{
	u8 key[SHA256_BLOCK_SIZE] = { };
	unsigned int i;

	get_random_bytes(key, SHA256_DIGEST_SIZE);
	for (i = 0; i < sizeof(key); i++)
		key[i] ^= 0x36;
	sha256_init(&kt.ipad);
	sha256_update(&kt.ipad, key, sizeof(key));
	for (i = 0; i < sizeof(key); i++)
		key[i] ^= 0x36 ^ 0x5c;
	sha256_init(&kt.opad);
	sha256_update(&kt.opad, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	/* the secret before ready; pairs with the acquires */
	smp_store_release(&kt.ready, true);
	return 0;
}

void khsm_keytoken_exit(void)
{
	struct kt_serial *s;
	unsigned long i;

	WRITE_ONCE(kt.ready, false);
	WARN_ON(!list_empty(&kt_bound));	/* tfms pin the module */
	xa_for_each(&kt_serials, i, s) {
		xa_erase(&kt_serials, i);
		kfree_rcu(s, rcu);
	}
	mutex_lock(&kt_mint_lock);
	kt_next_serial = 0;
	mutex_unlock(&kt_mint_lock);
	memzero_explicit(&kt.ipad, sizeof(kt.ipad));
	memzero_explicit(&kt.opad, sizeof(kt.opad));
}
