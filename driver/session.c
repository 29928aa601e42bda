// SPDX-License-Identifier: GPL-2.0
/*
 * khsm applications and sessions.
 *
 * An open file of /dev/hsm is one PKCS#11 application (C_Initialize).  It
 * holds its sessions in a table of slots and its login state, which
 * PKCS#11 makes common to all its sessions.  Data-path calls find their
 * session under RCU and take a reference; a session's own mutex orders its
 * operations.  app->lock orders only open, close and login, and changes to
 * the table.
 *
 * The table works like a file descriptor table: an array of session
 * pointers, replaced by one twice its size (under RCU) when full, up to
 * max_sessions; a new session takes the lowest free slot.  Opening and
 * closing a session therefore allocates nothing but the session (an xarray
 * with cyclic handles allocated and RCU-freed a node per open and close:
 * half the time of the pair).  A handle is the slot plus one in its low
 * KHSM_SLOT_BITS bits and, above them, a per-application count of opens,
 * so a closed session's handle stays invalid until that count wraps
 * (2^15 opens later) in the same slot.
 *
 * Closing a session ends its operations and destroys the session objects
 * it created; closing the last one logs the application out.  Logout
 * destroys the application's private session objects.
 *
 * Sessions come from a SLAB_TYPESAFE_BY_RCU cache: a closed session's
 * memory may be reused at once (no grace period per close, so no backlog
 * of freed sessions for the allocator to cover with fresh pages), and a
 * lookup that raced with the close checks, once it holds a reference,
 * that the memory is still the session it asked for.
 */
#include <linux/slab.h>

#include "khsm.h"

static struct kmem_cache *khsm_sess_cache;

#define KHSM_SLOT_BITS		17
#define KHSM_SLOT_MASK		(BIT(KHSM_SLOT_BITS) - 1)
#define KHSM_STAB_MIN		8
static_assert(KHSM_MAX_SESSIONS <= KHSM_SLOT_MASK);	/* slot + 1 fits */

struct khsm_stab {
	struct rcu_head rcu;
	u32 size;
	struct khsm_session __rcu *slot[];
};

static struct khsm_stab *stab_alloc(u32 size)
{
	struct khsm_stab *t;

	t = kvzalloc(struct_size(t, slot, size), GFP_KERNEL_ACCOUNT);
	if (t)
		t->size = size;
	return t;
}

/* The table of @app; app->lock held */
static struct khsm_stab *stab_locked(struct khsm_app *app)
{
	return rcu_dereference_protected(app->stab,
					 lockdep_is_held(&app->lock));
}

static struct khsm_session *stab_at(struct khsm_app *app, u32 i)
{
	return rcu_dereference_protected(stab_locked(app)->slot[i],
					 lockdep_is_held(&app->lock));
}

/* A free slot of @app's table, grown if need be; -1 if none; app->lock held */
static long stab_free_slot(struct khsm_app *app)
{
	struct khsm_stab *t = stab_locked(app), *n;
	u32 i, size;

	for (i = app->free_hint; i < t->size; i++)
		if (!stab_at(app, i))
			return i;
	size = min_t(u32, t->size * 2, app->tok->cfg.max_sessions);
	if (size <= t->size)
		return -1;
	n = stab_alloc(size);
	if (!n)
		return -1;
	for (i = 0; i < t->size; i++)
		RCU_INIT_POINTER(n->slot[i], stab_at(app, i));
	rcu_assign_pointer(app->stab, n);
	kvfree_rcu(t, rcu);
	return i;
}

static u32 slot_of(u32 handle)
{
	return (handle & KHSM_SLOT_MASK) - 1;	/* U32_MAX for 0 */
}

int khsm_sessions_init(void)
{
	khsm_sess_cache = kmem_cache_create("khsm_session",
					    sizeof(struct khsm_session), 0,
					    SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU,
					    NULL);
	return khsm_sess_cache ? 0 : -ENOMEM;
}

void khsm_sessions_exit(void)
{
	kmem_cache_destroy(khsm_sess_cache);	/* waits for RCU itself */
}

struct khsm_app *khsm_app_open(struct khsm_token *tok)
{
	struct khsm_app *app;

	app = kzalloc(sizeof(*app), GFP_KERNEL_ACCOUNT);
	if (!app)
		return NULL;
	if (khsm_index_init(&app->index)) {
		kfree(app);
		return NULL;
	}
	RCU_INIT_POINTER(app->stab, stab_alloc(min_t(u32, KHSM_STAB_MIN,
						     tok->cfg.max_sessions)));
	if (!rcu_access_pointer(app->stab)) {
		khsm_index_destroy(&app->index);
		kfree(app);
		return NULL;
	}
	app->tok = tok;
	refcount_set(&app->files, 1);
	mutex_init(&app->lock);
	atomic_set(&app->objects, 0);
	INIT_LIST_HEAD(&app->tok_objects);
	return app;
}

/*
 * A fresh session of @app.  The cache does not zero (SLAB_TYPESAFE_BY_RCU):
 * every field is set here, and a stale lookup may meet this memory, so
 * app and handle are written before the reference count that such a
 * lookup would have to take (pairs with the smp_rmb() in
 * khsm_session_get()).
 */
static struct khsm_session *session_alloc(struct khsm_app *app, bool rw)
{
	struct khsm_session *sess;

	sess = xchg(&app->spare, NULL);
	if (!sess)
		sess = kmem_cache_alloc(khsm_sess_cache, GFP_KERNEL);
	if (!sess)
		return NULL;
	WRITE_ONCE(sess->app, app);
	WRITE_ONCE(sess->handle, 0);
	sess->rw = rw;
	sess->closed = false;
	sess->objs_closed = false;
	mutex_init(&sess->lock);
	spin_lock_init(&sess->obj_lock);
	memset(sess->ops, 0, sizeof(sess->ops));
	memset(&sess->find, 0, sizeof(sess->find));
	INIT_LIST_HEAD(&sess->objects);
	sess->iobuf = NULL;
	sess->iocap = 0;
	smp_wmb();	/* app and handle before the count (see above) */
	kref_init(&sess->ref);
	return sess;
}

/*
 * The last reference: the memory becomes the application's spare session
 * (the next open takes it without a trip through the allocator and the
 * memory cgroup), or goes back to the cache.  Either way it may be reused
 * at once, which lookups allow for (see above).
 */
static void session_free(struct kref *ref)
{
	struct khsm_session *sess = container_of(ref, struct khsm_session, ref);

	mutex_destroy(&sess->lock);
	if (cmpxchg(&sess->app->spare, NULL, sess))
		kmem_cache_free(khsm_sess_cache, sess);
}

/*
 * The last reference dropped by a lookup of another application (the
 * memory was reused meanwhile): that application may be gone, so not
 * its spare.
 */
static void session_free_stale(struct kref *ref)
{
	struct khsm_session *sess = container_of(ref, struct khsm_session, ref);

	mutex_destroy(&sess->lock);
	kmem_cache_free(khsm_sess_cache, sess);
}

struct khsm_session *khsm_session_get(struct khsm_app *app, u32 handle)
{
	u32 i = slot_of(handle);
	struct khsm_session *sess = NULL;
	struct khsm_stab *t;

	rcu_read_lock();
	t = rcu_dereference(app->stab);
	if (i < t->size)
		sess = rcu_dereference(t->slot[i]);
	if (sess && !kref_get_unless_zero(&sess->ref))
		sess = NULL;
	if (sess) {
		/* the memory may be another session's by now */
		smp_rmb();
		if (READ_ONCE(sess->app) != app) {
			kref_put(&sess->ref, session_free_stale);
			sess = NULL;
		} else if (READ_ONCE(sess->handle) != handle) {
			khsm_session_put(sess);	/* ours: @app lives */
			sess = NULL;
		}
	}
	rcu_read_unlock();
	return sess;
}

void khsm_session_put(struct khsm_session *sess)
{
	if (sess)
		kref_put(&sess->ref, session_free);
}

u32 khsm_session_lock(struct khsm_session *sess)
{
	mutex_lock(&sess->lock);
	if (sess->closed) {
		mutex_unlock(&sess->lock);
		return CKR_SESSION_CLOSED;
	}
	return CKR_OK;
}

void khsm_session_unlock(struct khsm_session *sess)
{
	mutex_unlock(&sess->lock);
}

/* Takes @sess out of @app's table and counts; app->lock held */
static void session_unlink(struct khsm_app *app, struct khsm_session *sess)
{
	struct khsm_token *tok = app->tok;
	u32 i = slot_of(sess->handle);

	lockdep_assert_held(&app->lock);
	RCU_INIT_POINTER(stab_locked(app)->slot[i], NULL);
	app->free_hint = min(app->free_hint, i);
	app->nsessions--;
	if (sess->rw)
		app->nrw--;
	atomic_dec(&tok->sessions);
	if (!app->nsessions)
		WRITE_ONCE(app->user, KHSM_USER_NONE);
}

/* Ends what @sess holds; it is already out of the xarray */
static void session_teardown(struct khsm_session *sess)
{
	mutex_lock(&sess->lock);
	sess->closed = true;
	khsm_session_ops_end(sess);
	if (sess->iobuf) {
		kvfree_sensitive(sess->iobuf, sess->iocap);
		sess->iobuf = NULL;
		sess->iocap = 0;
	}
	mutex_unlock(&sess->lock);
	khsm_session_objects_destroy(sess);
	khsm_session_put(sess);
}

/* Closes every session of @app */
static void sessions_close_all(struct khsm_app *app)
{
	struct khsm_session *sess;
	u32 i = 0;

	/* one pass: slots below i are empty or were opened after the call */
	for (;;) {
		sess = NULL;
		mutex_lock(&app->lock);
		for (; i < stab_locked(app)->size && !sess; i++)
			sess = stab_at(app, i);
		if (sess)
			session_unlink(app, sess);
		mutex_unlock(&app->lock);
		if (!sess)
			break;
		session_teardown(sess);
	}
}

/* The session in slot @i of @app's table, or NULL; app->lock held */
struct khsm_session *khsm_app_session_at(struct khsm_app *app, u32 i)
{
	return i < stab_locked(app)->size ? stab_at(app, i) : NULL;
}

u32 khsm_app_session_slots(struct khsm_app *app)
{
	return stab_locked(app)->size;
}

void khsm_app_get(struct khsm_app *app)
{
	refcount_inc(&app->files);
}

/* The last file is closed: no ioctl can run any more */
static void khsm_app_release(struct khsm_app *app)
{
	sessions_close_all(app);
	khsm_app_forget_token_objects(app);
	WARN_ON(atomic_read(&app->objects));
	khsm_index_destroy(&app->index);
	kvfree(rcu_dereference_protected(app->stab, true));
	if (app->spare)
		kmem_cache_free(khsm_sess_cache, app->spare);
	mutex_destroy(&app->lock);
	kfree(app);
}

void khsm_app_put(struct khsm_app *app)
{
	if (refcount_dec_and_test(&app->files))
		khsm_app_release(app);
}

/* ---- ioctls ---------------------------------------------------------------- */

long khsm_ioc_open_session(struct khsm_app *app, struct khsm_open_session *a)
{
	struct khsm_token *tok = app->tok;
	struct khsm_session *sess;
	u32 flags = a->hdr.flags;
	bool rw = flags & CKF_RW_SESSION;
	long rv = CKR_OK, slot;
	u32 handle;

	if ((flags & ~(u32)(CKF_SERIAL_SESSION | CKF_RW_SESSION)) ||
	    a->reserved)
		return -EINVAL;
	a->handle = 0;
	if (!(flags & CKF_SERIAL_SESSION))
		return CKR_SESSION_PARALLEL_NOT_SUPPORTED;

	sess = session_alloc(app, rw);
	if (!sess)
		return CKR_HOST_MEMORY;

	mutex_lock(&app->lock);
	if (!rw && app->user == KHSM_USER_SO) {
		rv = CKR_SESSION_READ_WRITE_SO_EXISTS;
		goto err;
	}
	if (app->nsessions >= tok->cfg.max_sessions) {
		rv = CKR_SESSION_COUNT;
		goto err;
	}
	slot = stab_free_slot(app);
	if (slot < 0) {
		rv = CKR_HOST_MEMORY;
		goto err;
	}
	/* count, then the flag: see khsm_ioc_init_token() */
	atomic_inc(&tok->sessions);
	smp_mb__after_atomic();	/* the count before the flag's read */
	if (READ_ONCE(tok->initializing)) {
		atomic_dec(&tok->sessions);
		rv = CKR_FUNCTION_FAILED;
		goto err;
	}
	app->nsessions++;
	if (rw)
		app->nrw++;
	handle = (app->opens++ & (U32_MAX >> KHSM_SLOT_BITS)) << KHSM_SLOT_BITS |
		 (u32)(slot + 1);
	/* the handle before the pointer (see khsm_session_get()) */
	WRITE_ONCE(sess->handle, handle);
	rcu_assign_pointer(stab_locked(app)->slot[slot], sess);
	app->free_hint = slot + 1;
	mutex_unlock(&app->lock);
	/* not sess->handle: once unlocked, a guessed close may free it */
	a->handle = handle;
	return CKR_OK;
err:
	mutex_unlock(&app->lock);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_close_session(struct khsm_app *app, struct khsm_session_req *a)
{
	u32 i = slot_of(a->hdr.session);
	struct khsm_session *sess;

	mutex_lock(&app->lock);
	sess = khsm_app_session_at(app, i);
	if (sess && sess->handle == a->hdr.session)
		session_unlink(app, sess);
	else
		sess = NULL;
	mutex_unlock(&app->lock);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	session_teardown(sess);
	return CKR_OK;
}

long khsm_ioc_close_all(struct khsm_app *app, struct khsm_session_req *a)
{
	sessions_close_all(app);
	return CKR_OK;
}

long khsm_ioc_session_info(struct khsm_app *app, struct khsm_session_info *a)
{
	struct khsm_session *sess;

	a->state = 0;
	a->flags = 0;
	a->device_error = 0;
	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	switch (khsm_app_user(app)) {
	case KHSM_USER_SO:
		a->state = CKS_RW_SO_FUNCTIONS;
		break;
	case KHSM_USER_NORMAL:
		a->state = sess->rw ? CKS_RW_USER_FUNCTIONS :
				      CKS_RO_USER_FUNCTIONS;
		break;
	default:
		a->state = sess->rw ? CKS_RW_PUBLIC_SESSION :
				      CKS_RO_PUBLIC_SESSION;
		break;
	}
	a->flags = CKF_SERIAL_SESSION | (sess->rw ? CKF_RW_SESSION : 0);
	khsm_session_put(sess);
	return CKR_OK;
}

/* Checks the PIN of @user; app->lock held */
static u32 login_check(struct khsm_app *app, int user, const u8 *pin,
		       u64 len)
{
	struct khsm_token *tok = app->tok;
	u32 rv;

	mutex_lock(&tok->pin_lock);
	if (user == KHSM_USER_NORMAL) {
		if (!tok->user_pin.set)
			rv = CKR_USER_PIN_NOT_INITIALIZED;
		else
			rv = khsm_pin_verify(tok, &tok->user_pin,
					     &tok->user_fails, pin, len);
	} else {
		/*
		 * No SO PIN before the first C_InitToken: no PIN is correct,
		 * and with nothing to guess there is no try to count.
		 * (CKR_USER_PIN_NOT_INITIALIZED is about the normal user's.)
		 */
		if (!tok->initialized)
			rv = CKR_PIN_INCORRECT;
		else
			rv = khsm_pin_verify(tok, &tok->so_pin,
					     &tok->so_fails, pin, len);
	}
	mutex_unlock(&tok->pin_lock);
	return rv;
}

long khsm_ioc_login(struct khsm_app *app, struct khsm_login *a)
{
	struct khsm_session *sess;
	u8 pin[KHSM_MAX_PIN_LEN];
	int user, cur;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	switch (a->user_type) {
	case CKU_SO:
		user = KHSM_USER_SO;
		break;
	case CKU_USER:
		user = KHSM_USER_NORMAL;
		break;
	case CKU_CONTEXT_SPECIFIC:
		/* no key asks for CKA_ALWAYS_AUTHENTICATE yet */
		rv = khsm_app_user(app) == KHSM_USER_NONE ?
		     CKR_USER_NOT_LOGGED_IN : CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	default:
		rv = CKR_USER_TYPE_INVALID;
		goto out;
	}
	if (a->username || a->username_len) {
		rv = CKR_FUNCTION_NOT_SUPPORTED;	/* no named users */
		goto out;
	}
	/* no PIN pointer: a protected authentication path, which khsm lacks */
	if (a->pin) {
		rv = khsm_pin_copy_in(a->pin, min_t(u64, a->pin_len,
						    KHSM_MAX_PIN_LEN), pin);
		if (rv)
			goto out;
	}

	mutex_lock(&app->lock);
	cur = app->user;
	if (cur == user)
		rv = CKR_USER_ALREADY_LOGGED_IN;
	else if (cur != KHSM_USER_NONE)
		rv = CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
	else if (user == KHSM_USER_SO && app->nsessions != app->nrw)
		rv = CKR_SESSION_READ_ONLY_EXISTS;
	else if (!a->pin)
		rv = CKR_ARGUMENTS_BAD;		/* no try counted */
	else
		rv = login_check(app, user, pin, a->pin_len);
	if (!rv)
		WRITE_ONCE(app->user, user);
	mutex_unlock(&app->lock);
	memzero_explicit(pin, sizeof(pin));
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_logout(struct khsm_app *app, struct khsm_session_req *a)
{
	struct khsm_session *sess;
	long rv = CKR_OK;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	mutex_lock(&app->lock);
	if (app->user == KHSM_USER_NONE) {
		rv = CKR_USER_NOT_LOGGED_IN;
	} else {
		WRITE_ONCE(app->user, KHSM_USER_NONE);
		khsm_app_private_objects_destroy(app);
	}
	mutex_unlock(&app->lock);
	khsm_session_put(sess);
	return rv;
}
