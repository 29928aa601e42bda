// SPDX-License-Identifier: GPL-2.0
/*
 * khsm applications and sessions.
 *
 * An open file of /dev/hsm is one PKCS#11 application (C_Initialize).  It
 * holds its sessions in an xarray (handles from 1, cyclic) and its login
 * state, which PKCS#11 makes common to all its sessions.  Data-path calls
 * find their session under RCU and take a reference; a session's own mutex
 * orders its operations.  app->lock orders only open, close and login.
 *
 * Closing a session ends its operations and destroys the session objects
 * it created; closing the last one logs the application out.  Logout
 * destroys the application's private session objects.
 */
#include <linux/slab.h>

#include "khsm.h"

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
	app->tok = tok;
	mutex_init(&app->lock);
	xa_init_flags(&app->sessions, XA_FLAGS_ALLOC1);
	spin_lock_init(&app->obj_lock);
	atomic_set(&app->objects, 0);
	INIT_LIST_HEAD(&app->tok_objects);
	return app;
}

static void session_free(struct kref *ref)
{
	struct khsm_session *sess = container_of(ref, struct khsm_session, ref);

	mutex_destroy(&sess->lock);
	kfree_rcu(sess, rcu);
}

struct khsm_session *khsm_session_get(struct khsm_app *app, u32 handle)
{
	struct khsm_session *sess;

	if (!handle)
		return NULL;
	rcu_read_lock();
	sess = xa_load(&app->sessions, handle);
	if (sess && !kref_get_unless_zero(&sess->ref))
		sess = NULL;
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

/* Removes @sess from @app's counts; app->lock held */
static void session_unlink(struct khsm_app *app, struct khsm_session *sess)
{
	struct khsm_token *tok = app->tok;

	lockdep_assert_held(&app->lock);
	app->nsessions--;
	if (sess->rw)
		app->nrw--;
	spin_lock(&tok->lock);
	tok->sessions--;
	if (sess->rw)
		tok->rw_sessions--;
	spin_unlock(&tok->lock);
	if (!app->nsessions)
		WRITE_ONCE(app->user, KHSM_USER_NONE);
}

/* Ends what @sess holds; it is already out of the xarray */
static void session_teardown(struct khsm_session *sess)
{
	mutex_lock(&sess->lock);
	sess->closed = true;
	khsm_session_ops_end(sess);
	mutex_unlock(&sess->lock);
	khsm_session_objects_destroy(sess);
	khsm_session_put(sess);
}

/* Closes every session of @app */
static void sessions_close_all(struct khsm_app *app)
{
	struct khsm_session *sess;
	unsigned long i;

	for (;;) {
		i = 0;
		mutex_lock(&app->lock);
		sess = xa_find(&app->sessions, &i, ULONG_MAX, XA_PRESENT);
		if (sess) {
			xa_erase(&app->sessions, i);
			session_unlink(app, sess);
		}
		mutex_unlock(&app->lock);
		if (!sess)
			break;
		session_teardown(sess);
	}
}

void khsm_app_release(struct khsm_app *app)
{
	sessions_close_all(app);
	khsm_app_forget_token_objects(app);
	WARN_ON(atomic_read(&app->objects));
	khsm_index_destroy(&app->index);
	xa_destroy(&app->sessions);
	mutex_destroy(&app->lock);
	kfree(app);
}

/* ---- ioctls ---------------------------------------------------------------- */

long khsm_ioc_open_session(struct khsm_app *app, struct khsm_open_session *a)
{
	struct khsm_token *tok = app->tok;
	struct khsm_session *sess;
	u32 flags = a->hdr.flags;
	bool rw = flags & CKF_RW_SESSION;
	long rv = CKR_OK;
	u32 id;
	int err;

	if ((flags & ~(u32)(CKF_SERIAL_SESSION | CKF_RW_SESSION)) ||
	    a->reserved)
		return -EINVAL;
	a->handle = 0;
	if (!(flags & CKF_SERIAL_SESSION))
		return CKR_SESSION_PARALLEL_NOT_SUPPORTED;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL_ACCOUNT);
	if (!sess)
		return CKR_HOST_MEMORY;
	kref_init(&sess->ref);
	mutex_init(&sess->lock);
	INIT_LIST_HEAD(&sess->objects);
	sess->app = app;
	sess->rw = rw;

	mutex_lock(&app->lock);
	if (!rw && app->user == KHSM_USER_SO) {
		rv = CKR_SESSION_READ_WRITE_SO_EXISTS;
		goto err;
	}
	if (app->nsessions >= tok->cfg.max_sessions) {
		rv = CKR_SESSION_COUNT;
		goto err;
	}
	spin_lock(&tok->lock);
	if (tok->initializing) {
		spin_unlock(&tok->lock);
		rv = CKR_FUNCTION_FAILED;
		goto err;
	}
	tok->sessions++;
	if (rw)
		tok->rw_sessions++;
	spin_unlock(&tok->lock);
	app->nsessions++;
	if (rw)
		app->nrw++;
	err = xa_alloc_cyclic(&app->sessions, &id, sess, XA_LIMIT(1, U32_MAX),
			      &app->next_session, GFP_KERNEL);
	if (err < 0) {
		session_unlink(app, sess);
		rv = CKR_HOST_MEMORY;
		goto err;
	}
	sess->handle = id;
	mutex_unlock(&app->lock);
	a->handle = id;
	return CKR_OK;
err:
	mutex_unlock(&app->lock);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_close_session(struct khsm_app *app, struct khsm_session_req *a)
{
	struct khsm_session *sess = NULL;

	mutex_lock(&app->lock);
	if (a->hdr.session)
		sess = xa_erase(&app->sessions, a->hdr.session);
	if (sess)
		session_unlink(app, sess);
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
