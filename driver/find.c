// SPDX-License-Identifier: GPL-2.0
/*
 * khsm C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal.
 *
 * The init takes a snapshot of the matching handles from the token's index
 * and the application's session-object index (index.c); the snapshot is
 * bounded by the object limits.  Private objects are left out unless the
 * normal user is logged in.  Objects created after the init are not found;
 * handles of objects destroyed since are returned but no longer valid.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "khsm.h"

#define FIND_FIRST_CAP	16
#define FIND_CHUNK	32

void khsm_find_end(struct khsm_find_state *f)
{
	kvfree(f->handles);
	memset(f, 0, sizeof(*f));
}

static u32 find_collect(struct khsm_app *app, const struct khsm_tmpl *t,
			u32 *out, u32 cap)
{
	bool see = khsm_app_user(app) == KHSM_USER_NORMAL;
	u32 n;

	n = khsm_index_find(&app->tok->index, t, see, out, 0, cap);
	return khsm_index_find(&app->index, t, see, out, n, cap);
}

/*
 * Fills @f with the handles of the objects matching @t.  A walk that finds
 * more than fit is made again with room for what it counted and a quarter
 * more, until one fits: objects created meanwhile may make the count grow,
 * and a snapshot cut short would leave out objects that existed all along.
 * There are at most @bound matches (the object limits), so at that size a
 * walk always fits.
 */
static u32 find_snapshot(struct khsm_app *app, const struct khsm_tmpl *t,
			 struct khsm_find_state *f)
{
	const struct khsm_config *cfg = &app->tok->cfg;
	u32 cap = FIND_FIRST_CAP, n, bound;
	u32 *h;

	bound = cfg->max_token_objects + cfg->max_objects;
	for (;;) {
		h = kvmalloc_array(cap, sizeof(*h), GFP_KERNEL);
		if (!h)
			return CKR_HOST_MEMORY;
		n = find_collect(app, t, h, cap);
		if (n <= cap || cap >= bound)
			break;
		kvfree(h);
		cap = min_t(u64, (u64)n + n / 4 + FIND_FIRST_CAP, bound);
	}
	n = min(n, cap);
	f->handles = h;
	f->count = n;
	f->pos = 0;
	f->active = true;
	return CKR_OK;
}

long khsm_ioc_find_init(struct khsm_app *app, struct khsm_find_init *a)
{
	struct khsm_session *sess;
	struct khsm_tmpl *t = NULL;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	rv = khsm_tmpl_copy_in(a->attrs, a->count, true, &t);
	if (rv)
		goto out;
	rv = khsm_session_lock(sess);
	if (rv)
		goto out;
	if (sess->find.active)
		rv = CKR_OPERATION_ACTIVE;
	else
		rv = find_snapshot(app, t, &sess->find);
	khsm_session_unlock(sess);
out:
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_find(struct khsm_app *app, struct khsm_find *a)
{
	u64 __user *uh = u64_to_user_ptr(a->handles);
	struct khsm_find_state *f;
	struct khsm_session *sess;
	u64 chunk[FIND_CHUNK];
	u32 k, i, j, n;
	long rv;

	a->count = 0;
	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->max && !a->handles) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_session_lock(sess);
	if (rv)
		goto out;
	f = &sess->find;
	if (!f->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto unlock;
	}
	k = min_t(u64, a->max, f->count - f->pos);
	for (i = 0; i < k; i += n) {
		n = min_t(u32, k - i, FIND_CHUNK);
		for (j = 0; j < n; j++)
			chunk[j] = f->handles[f->pos + i + j];
		if (khsm_copy_out(uh + i, chunk, n * sizeof(u64))) {
			rv = -EFAULT;
			goto unlock;
		}
	}
	f->pos += k;
	a->count = k;
unlock:
	khsm_session_unlock(sess);
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_find_final(struct khsm_app *app, struct khsm_find *a)
{
	struct khsm_session *sess;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	/* header only: the fields of KHSM_IOC_FIND are unused, so zero */
	if (a->handles || a->max || a->count) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_session_lock(sess);
	if (!rv) {
		if (sess->find.active)
			khsm_find_end(&sess->find);
		else
			rv = CKR_OPERATION_NOT_INITIALIZED;
		khsm_session_unlock(sess);
	}
out:
	khsm_session_put(sess);
	return rv;
}
