// SPDX-License-Identifier: GPL-2.0
/*
 * khsm operation state machine: C_*Init, C_*Update, C_*Final and the
 * one-shot calls of encrypt, decrypt, sign, verify, digest and the 3.0
 * message-based encryption, plus the mechanism list and random numbers.
 *
 * op_start() is the one place an operation begins, with one fixed order of
 * checks, so the precedence of error codes is decided here only:
 *   session valid -> operation already active -> mechanism known ->
 *   mechanism serves the function -> normal user logged in ->
 *   key handle valid -> key type consistent -> key permits the function
 *   (CKA_ENCRYPT ..., CKA_ALLOWED_MECHANISMS, dates) -> key size ->
 *   mechanism parameters (the engine's init).
 * The token sets CKF_LOGIN_REQUIRED: every operation, digests and public
 * keys included, needs the normal user, and the login check comes before
 * anything about the key, so that an application that is not logged in
 * learns nothing of any key, not even that its handle exists (lead
 * DECISION 15:58; DESIGN.md had login after the key checks).
 *
 * One operation of each kind may be active per session.  An operation
 * ends after its final or one-shot call and after any error except
 * CKR_BUFFER_TOO_SMALL; a length query (no output buffer) does not end it.
 * A one-shot call after an update, an update after a one-shot length
 * query, and a final after a one-shot length query give
 * CKR_OPERATION_ACTIVE and leave the operation as it was.
 *
 * User data is copied into a kernel bounce buffer (at most
 * KHSM_MAX_IO_LEN) and out again; the session's mutex is the only lock held
 * meanwhile, and no other session needs it.  Never in place on the
 * caller's pages: another thread could change them under the engine (an
 * AEAD would then tag a ciphertext it did not make), and a failed
 * decryption must leave no unverified plaintext where the caller can read
 * it.  A call of up to KHSM_SESS_IOBUF_MAX bytes (input, signature and
 * output together) uses the session's own buffer, kept from call to call
 * and zeroized when the session closes: no allocation, and no clearing of
 * fresh memory, per call.  It holds the session's data, never key values.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "khsm.h"

enum { OP_UPDATE, OP_FINAL, OP_ONESHOT };

static const u32 khsm_kind_fn[KHSM_OP_KINDS] = {
	[KHSM_OP_ENCRYPT] = KHSM_FN_ENCRYPT,
	[KHSM_OP_DECRYPT] = KHSM_FN_DECRYPT,
	[KHSM_OP_SIGN] = KHSM_FN_SIGN,
	[KHSM_OP_VERIFY] = KHSM_FN_VERIFY,
	[KHSM_OP_DIGEST] = KHSM_FN_DIGEST,
	[KHSM_OP_MSG_ENCRYPT] = KHSM_FN_MSG_ENCRYPT,
	[KHSM_OP_MSG_DECRYPT] = KHSM_FN_MSG_DECRYPT,
};

static bool mech_keyless(const struct khsm_mech_row *m)
{
	return m->key_type == U64_MAX;
}

static bool kind_is_msg(u32 kind)
{
	return kind == KHSM_OP_MSG_ENCRYPT || kind == KHSM_OP_MSG_DECRYPT;
}

void khsm_op_end(struct khsm_op *op)
{
	if (op->ctx)
		op->mech->ops->free(op->ctx);
	memset(op, 0, sizeof(*op));
}

void khsm_session_ops_end(struct khsm_session *sess)
{
	int i;

	lockdep_assert_held(&sess->lock);
	for (i = 0; i < KHSM_OP_KINDS; i++)
		if (sess->ops[i].mech)
			khsm_op_end(&sess->ops[i]);
	if (sess->find.active)
		khsm_find_end(&sess->find);
}

/* Mechanism parameter length rules of @m for @fn */
static u32 param_check(const struct khsm_mech_row *m, u32 fn,
		       const struct khsm_mech *mech)
{
	if (mech->param_len > KHSM_MAX_PARAM_LEN ||
	    (mech->param_len && !mech->param))
		return CKR_MECHANISM_PARAM_INVALID;
	if (fn & (KHSM_FN_MSG_ENCRYPT | KHSM_FN_MSG_DECRYPT))
		return CKR_OK;		/* the engine decides */
	if (m->param_len == KHSM_PARAM_ANY)
		return CKR_OK;
	if (m->param_len == KHSM_PARAM_NONE)
		return mech->param || mech->param_len ?
		       CKR_MECHANISM_PARAM_INVALID : CKR_OK;
	return mech->param_len == m->param_len ?
	       CKR_OK : CKR_MECHANISM_PARAM_INVALID;
}

/* The one function that begins an operation; sess->lock held */
static long op_start(struct khsm_session *sess, u32 kind, u64 key,
		     const struct khsm_mech *mech)
{
	struct khsm_op *op = &sess->ops[kind];
	u32 fn = khsm_kind_fn[kind];
	const struct khsm_mech_row *m;
	struct khsm_object *obj = NULL;
	struct khsm_engine_ctx *ctx = NULL;
	const u8 *kv = NULL;
	size_t kl = 0;
	void *param = NULL;
	long rv;

	if (op->state != KHSM_OPS_IDLE)
		return CKR_OPERATION_ACTIVE;
	m = khsm_mech_find(mech->type);
	if (!m || !(m->fns & fn) || !m->ops)
		return CKR_MECHANISM_INVALID;
	/* CKF_LOGIN_REQUIRED: nothing about any key before login */
	if (khsm_app_user(sess->app) != KHSM_USER_NORMAL)
		return CKR_USER_NOT_LOGGED_IN;
	if (mech_keyless(m)) {
		if (key)
			return CKR_ARGUMENTS_BAD;
	} else {
		obj = khsm_object_lookup(sess->app, key, false);
		if (!obj)
			return CKR_KEY_HANDLE_INVALID;
		rv = khsm_key_check(obj, fn, m);
		if (rv)
			goto out;
		kv = khsm_object_secret(obj, &kl);
		if (kl < m->min_key || kl > m->max_key) {
			rv = CKR_KEY_SIZE_RANGE;
			goto out;
		}
	}
	rv = param_check(m, fn, mech);
	if (rv)
		goto out;
	if (mech->param_len) {
		param = memdup_user(u64_to_user_ptr(mech->param),
				    mech->param_len);
		if (IS_ERR(param)) {
			rv = PTR_ERR(param);
			param = NULL;
			goto out;
		}
	}
	rv = m->ops->init(m, fn, param, mech->param_len, kv, kl,
			  obj ? &obj->kcache : NULL, &ctx);
	if (!rv) {
		op->mech = m;
		op->ctx = ctx;
		op->fn = fn;
		op->state = KHSM_OPS_INIT;
	}
out:
	kfree(param);
	khsm_object_put(obj);
	return rv;
}

long khsm_ioc_op_init(struct khsm_app *app, struct khsm_op_init *a)
{
	struct khsm_session *sess;
	long rv;

	if (a->reserved)
		return -EINVAL;
	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->op >= KHSM_OP_KINDS) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_session_lock(sess);
	if (!rv) {
		rv = op_start(sess, a->op, a->key, &a->mech);
		khsm_session_unlock(sess);
	}
out:
	khsm_session_put(sess);
	return rv;
}

/* ---- data calls ------------------------------------------------------------ */

#define KHSM_SESS_IOBUF_MAX	SZ_64K

/* Kernel copies of the user buffers of one data call */
struct op_io {
	struct khsm_session *sess;
	u8 *buf;		/* in | sig, when not the session's buffer */
	u8 *obuf;		/* out, when not the session's buffer */
	u8 *in, *sig, *out;
	size_t inlen, siglen, outcap;
};

/* A non-NULL pointer for an empty buffer: the engines treat NULL as a query */
static u8 io_empty[1];

static void io_free(struct op_io *io)
{
	if (io->buf)
		kvfree_sensitive(io->buf, io->inlen + io->siglen);
	if (io->obuf)
		kvfree_sensitive(io->obuf, io->outcap);
	io->buf = NULL;
	io->obuf = NULL;
}

/*
 * The session's buffer with room for @len bytes, its first @keep bytes
 * kept; NULL when @len is above KHSM_SESS_IOBUF_MAX or memory is short.
 * sess->lock held.
 */
static u8 *sess_iobuf(struct khsm_session *sess, size_t len, size_t keep)
{
	size_t cap;
	u8 *n;

	lockdep_assert_held(&sess->lock);
	if (len <= sess->iocap)
		return sess->iobuf;
	if (len > KHSM_SESS_IOBUF_MAX)
		return NULL;
	cap = max_t(size_t, roundup_pow_of_two(len), 256);
	n = kvmalloc(cap, GFP_KERNEL_ACCOUNT);
	if (!n)
		return NULL;
	if (keep)
		memcpy(n, sess->iobuf, keep);
	kvfree_sensitive(sess->iobuf, sess->iocap);
	sess->iobuf = n;
	sess->iocap = cap;
	return n;
}

/* Small data moves a word at a time (ucopy.c) */
static long copy_in(u8 *dst, u64 uptr, size_t len)
{
	return khsm_copy_in(dst, u64_to_user_ptr(uptr), len);
}

static long copy_out(u64 uptr, const u8 *src, size_t len)
{
	return khsm_copy_out(u64_to_user_ptr(uptr), src, len);
}

/* Copies in the input (and a signature to verify) */
static long io_in(struct op_io *io, u64 in, size_t inlen, u64 sig,
		  size_t siglen)
{
	u8 *base;

	io->inlen = inlen;
	io->siglen = siglen;
	io->in = io_empty;
	io->sig = io_empty;
	io->out = io_empty;
	if (!inlen && !siglen)
		return CKR_OK;
	base = sess_iobuf(io->sess, inlen + siglen, 0);
	if (!base) {
		io->buf = kvmalloc(inlen + siglen, GFP_KERNEL);
		if (!io->buf)
			return CKR_HOST_MEMORY;
		base = io->buf;
	}
	if (inlen)
		io->in = base;
	if (siglen)
		io->sig = base + inlen;
	if (copy_in(io->in, in, inlen) || copy_in(io->sig, sig, siglen))
		return -EFAULT;
	return CKR_OK;
}

static long io_out(struct op_io *io, size_t outcap)
{
	size_t used = io->buf ? 0 : io->inlen + io->siglen;
	u8 *base;

	io->outcap = outcap;
	if (!outcap)
		return CKR_OK;
	/* after the input in the session's buffer, which may have to grow */
	if (!io->buf) {
		base = sess_iobuf(io->sess, used + outcap, used);
		if (base) {
			if (io->inlen)
				io->in = base;
			if (io->siglen)
				io->sig = base + io->inlen;
			io->out = base + used;
			return CKR_OK;
		}
	}
	io->obuf = kvmalloc(outcap, GFP_KERNEL);
	if (!io->obuf)
		return CKR_HOST_MEMORY;
	io->out = io->obuf;
	return CKR_OK;
}

/* Length the engine would write for this call, without changing state */
static u32 op_need(struct khsm_op *op, int call, const struct op_io *io,
		   size_t *need)
{
	const struct khsm_engine_ops *e = op->mech->ops;
	size_t a = 0, b = 0;
	u32 rv;

	if (call == OP_UPDATE)
		return e->update(op->ctx, io->in, io->inlen, NULL, need);
	if (call == OP_FINAL)
		return e->final(op->ctx, NULL, need);
	if (e->oneshot)
		return e->oneshot(op->ctx, io->in, io->inlen, NULL, need);
	rv = e->update(op->ctx, io->in, io->inlen, NULL, &a);
	if (!rv)
		rv = e->final(op->ctx, NULL, &b);
	*need = a + b;
	return rv;
}

/* Runs the call into io->out (capacity io->outcap), *outlen = written */
static u32 op_run(struct khsm_op *op, int call, struct op_io *io,
		  size_t *outlen)
{
	const struct khsm_engine_ops *e = op->mech->ops;
	bool verify = op->fn == KHSM_FN_VERIFY;
	size_t n, m;
	u32 rv;

	*outlen = io->outcap;
	switch (call) {
	case OP_UPDATE:
		if (op->fn & (KHSM_FN_ENCRYPT | KHSM_FN_DECRYPT))
			return e->update(op->ctx, io->in, io->inlen, io->out,
					 outlen);
		*outlen = 0;
		return e->update(op->ctx, io->in, io->inlen, io_empty, outlen);
	case OP_FINAL:
		if (verify)
			return e->verify_final(op->ctx, io->sig, io->siglen);
		return e->final(op->ctx, io->out, outlen);
	}
	if (e->oneshot) {
		if (verify) {
			n = io->siglen;
			return e->oneshot(op->ctx, io->in, io->inlen, io->sig,
					  &n);
		}
		return e->oneshot(op->ctx, io->in, io->inlen, io->out, outlen);
	}
	/* update + final; the length was checked against the sum first */
	n = (op->fn & (KHSM_FN_ENCRYPT | KHSM_FN_DECRYPT)) ? io->outcap : 0;
	rv = e->update(op->ctx, io->in, io->inlen, n ? io->out : io_empty, &n);
	if (rv)
		return rv;
	if (verify)
		return e->verify_final(op->ctx, io->sig, io->siglen);
	m = io->outcap - n;
	rv = e->final(op->ctx, io->out + n, &m);
	*outlen = n + m;
	return rv;
}

static bool fn_has_out(u32 fn, int call)
{
	if (fn & (KHSM_FN_ENCRYPT | KHSM_FN_DECRYPT))
		return true;
	if (fn & (KHSM_FN_SIGN | KHSM_FN_DIGEST))
		return call != OP_UPDATE;
	return false;
}

/* C_DigestKey: the key's own value into the digest; sess->lock held */
static long op_digest_key(struct khsm_session *sess, struct khsm_op *op,
			  struct khsm_op_data *a)
{
	struct khsm_object *obj;
	const u8 *kv;
	size_t kl, zero = 0;
	long rv;

	if (a->in_len || a->out || a->out_len)
		return CKR_ARGUMENTS_BAD;
	/* as at init: the login (a logout may have come since) first */
	if (khsm_app_user(sess->app) != KHSM_USER_NORMAL)
		return CKR_USER_NOT_LOGGED_IN;
	obj = khsm_object_lookup(sess->app, a->in, false);
	if (!obj)
		return CKR_KEY_HANDLE_INVALID;
	if (obj->class != CKO_SECRET_KEY ||
	    !khsm_obj_bool(obj, KHSM_B_EXTRACTABLE)) {
		rv = CKR_KEY_INDIGESTIBLE;
	} else {
		kv = khsm_object_secret(obj, &kl);
		rv = op->mech->ops->update(op->ctx, kv, kl, io_empty, &zero);
	}
	khsm_object_put(obj);
	return rv;
}

/* C_EncryptMessage / C_DecryptMessage: one whole message; sess->lock held */
static long op_message(struct khsm_session *sess, struct khsm_op *op,
		       struct khsm_op_data *a)
{
	const struct khsm_engine_ops *e = op->mech->ops;
	struct op_io io = { .sess = sess };
	void *param = NULL;
	u8 *aad = NULL;
	size_t need, outlen;
	long rv;

	if (!e->message)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (a->param_len > KHSM_MAX_PARAM_LEN || a->aad_len > KHSM_MAX_IO_LEN)
		return a->param_len > KHSM_MAX_PARAM_LEN ?
		       CKR_MECHANISM_PARAM_INVALID : CKR_DATA_LEN_RANGE;
	if (a->in_len > KHSM_MAX_IO_LEN)
		return CKR_DATA_LEN_RANGE;
	if ((a->param_len && !a->param) || (a->aad_len && !a->aad) ||
	    (a->in_len && !a->in))
		return CKR_ARGUMENTS_BAD;
	if (a->param_len) {
		param = memdup_user(u64_to_user_ptr(a->param), a->param_len);
		if (IS_ERR(param))
			return PTR_ERR(param);
	}
	if (a->aad_len) {
		aad = kvmalloc(a->aad_len, GFP_KERNEL);
		if (!aad) {
			rv = CKR_HOST_MEMORY;
			goto out;
		}
		rv = copy_in(aad, a->aad, a->aad_len);
		if (rv)
			goto out;
	}
	rv = io_in(&io, a->in, a->in_len, 0, 0);
	if (rv)
		goto out;
	rv = e->message(op->ctx, param, a->param_len, aad ? aad : io_empty,
			a->aad_len, io.in, io.inlen, NULL, &need);
	if (rv || !a->out) {
		a->out_len = need;
		goto out;
	}
	outlen = min_t(u64, a->out_len, need);
	rv = io_out(&io, outlen);
	if (rv)
		goto out;
	rv = e->message(op->ctx, param, a->param_len, aad ? aad : io_empty,
			a->aad_len, io.in, io.inlen, io.out, &outlen);
	a->out_len = outlen;
	if (!rv)
		rv = copy_out(a->out, io.out, outlen);
out:
	io_free(&io);
	if (aad)
		kvfree_sensitive(aad, a->aad_len);
	kfree(param);
	return rv;
}

/* One update, final or one-shot call; sess->lock held */
static long op_data(struct khsm_session *sess, u32 kind, int call,
		    struct khsm_op_data *a)
{
	struct khsm_op *op = &sess->ops[kind];
	bool verify, query = false;
	struct op_io io = { .sess = sess };
	size_t need = 0, outlen = 0, siglen = 0;
	long rv;

	if (op->state == KHSM_OPS_IDLE)
		return CKR_OPERATION_NOT_INITIALIZED;
	if (kind_is_msg(kind)) {
		if (call == OP_UPDATE)
			return CKR_FUNCTION_NOT_SUPPORTED;
		if (call == OP_ONESHOT)
			return op_message(sess, op, a);
		khsm_op_end(op);
		return a->in || a->in_len || a->out || a->out_len ||
		       a->param || a->param_len || a->aad || a->aad_len ?
		       CKR_ARGUMENTS_BAD : CKR_OK;
	}
	if ((call == OP_UPDATE && op->state == KHSM_OPS_ONESHOT) ||
	    (call == OP_FINAL && op->state == KHSM_OPS_ONESHOT) ||
	    (call == OP_ONESHOT && op->state == KHSM_OPS_UPDATE))
		return CKR_OPERATION_ACTIVE;

	verify = op->fn == KHSM_FN_VERIFY;
	if (a->param || a->param_len || a->aad || a->aad_len) {
		rv = CKR_ARGUMENTS_BAD;
		goto end;
	}
	if (call == OP_UPDATE && (a->hdr.flags & KHSM_OP_F_DIGEST_KEY)) {
		rv = op_digest_key(sess, op, a);
		if (rv)
			goto end;
		op->state = KHSM_OPS_UPDATE;
		goto out;
	}
	if (call == OP_FINAL ? (a->in || a->in_len) :
	    (a->in_len && !a->in)) {
		rv = CKR_ARGUMENTS_BAD;
		goto end;
	}
	if (a->in_len > KHSM_MAX_IO_LEN) {
		rv = CKR_DATA_LEN_RANGE;
		goto end;
	}
	if (verify && call != OP_UPDATE) {
		if (!a->out || a->out_len > KHSM_MAX_IO_LEN) {
			rv = a->out ? CKR_SIGNATURE_LEN_RANGE :
				      CKR_ARGUMENTS_BAD;
			goto end;
		}
		siglen = a->out_len;
	} else if (!fn_has_out(op->fn, call) && (a->out || a->out_len)) {
		rv = CKR_ARGUMENTS_BAD;
		goto end;
	}

	rv = io_in(&io, a->in, a->in_len, a->out, siglen);
	if (rv)
		goto end;

	if (fn_has_out(op->fn, call)) {
		rv = op_need(op, call, &io, &need);
		if (rv)
			goto end;
		if (!a->out) {
			a->out_len = need;
			query = true;
			goto keep;
		}
		outlen = min_t(u64, a->out_len, need);
		if (!op->mech->ops->oneshot && call == OP_ONESHOT &&
		    outlen < need) {
			a->out_len = need;
			rv = CKR_BUFFER_TOO_SMALL;
			goto keep;
		}
		rv = io_out(&io, outlen);
		if (rv)
			goto end;
	}

	rv = op_run(op, call, &io, &outlen);
	if (rv == CKR_BUFFER_TOO_SMALL) {
		a->out_len = outlen;
		goto keep;
	}
	if (rv)
		goto end;
	if (fn_has_out(op->fn, call)) {
		a->out_len = outlen;
		rv = copy_out(a->out, io.out, outlen);
		if (rv)
			goto end;
	}
	if (call == OP_UPDATE) {
		op->state = KHSM_OPS_UPDATE;
		goto out;
	}
end:
	khsm_op_end(op);
	goto out;
keep:
	/* a length query or a short buffer: the operation stays */
	if (call == OP_ONESHOT)
		op->state = KHSM_OPS_ONESHOT;
	else if (call == OP_UPDATE && !query)
		op->state = KHSM_OPS_UPDATE;
out:
	io_free(&io);
	return rv;
}

static long op_data_ioctl(struct khsm_app *app, struct khsm_op_data *a,
			  int call)
{
	struct khsm_session *sess;
	long rv;

	if (a->reserved)
		return -EINVAL;
	if (a->hdr.flags && (call != OP_UPDATE || a->op != KHSM_OP_DIGEST ||
			     a->hdr.flags != KHSM_OP_F_DIGEST_KEY))
		return -EINVAL;
	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->op >= KHSM_OP_KINDS) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_session_lock(sess);
	if (!rv) {
		rv = op_data(sess, a->op, call, a);
		khsm_session_unlock(sess);
	}
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_op_update(struct khsm_app *app, struct khsm_op_data *a)
{
	return op_data_ioctl(app, a, OP_UPDATE);
}

long khsm_ioc_op_final(struct khsm_app *app, struct khsm_op_data *a)
{
	return op_data_ioctl(app, a, OP_FINAL);
}

long khsm_ioc_op_oneshot(struct khsm_app *app, struct khsm_op_data *a)
{
	return op_data_ioctl(app, a, OP_ONESHOT);
}

long khsm_ioc_op_cancel(struct khsm_app *app, struct khsm_op_cancel *a)
{
	struct khsm_session *sess;
	long rv;
	int i;

	if (a->reserved)
		return -EINVAL;
	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->ops & ~(u32)(BIT(KHSM_OP_KINDS) - 1)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_session_lock(sess);
	if (!rv) {
		for (i = 0; i < KHSM_OP_KINDS; i++)
			if (a->ops & BIT(i))
				khsm_op_end(&sess->ops[i]);
		khsm_session_unlock(sess);
	}
out:
	khsm_session_put(sess);
	return rv;
}

/* ---- mechanisms ------------------------------------------------------------ */

long khsm_ioc_mech_list(struct khsm_app *app, struct khsm_mech_list *a)
{
	size_t i, n = khsm_mech_count();
	u64 *types;
	long rv = CKR_OK;

	if (!a->mechs) {
		a->count = n;
		return CKR_OK;
	}
	if (a->count < n) {
		a->count = n;
		return CKR_BUFFER_TOO_SMALL;
	}
	types = kmalloc_array(n ? n : 1, sizeof(*types), GFP_KERNEL);
	if (!types)
		return CKR_HOST_MEMORY;
	for (i = 0; i < n; i++)
		types[i] = khsm_mech_at(i)->type;
	if (khsm_copy_out(u64_to_user_ptr(a->mechs), types, n * sizeof(*types)))
		rv = -EFAULT;
	a->count = n;
	kfree(types);
	return rv;
}

long khsm_ioc_mech_info(struct khsm_app *app, struct khsm_mech_info *a)
{
	const struct khsm_mech_row *m = khsm_mech_find(a->type);

	a->min_key_size = 0;
	a->max_key_size = 0;
	a->flags = 0;
	if (!m)
		return CKR_MECHANISM_INVALID;
	khsm_mech_info(m, &a->min_key_size, &a->max_key_size, &a->flags);
	return CKR_OK;
}

/* ---- random numbers ----------------------------------------------------------- */

long khsm_ioc_generate_random(struct khsm_app *app, struct khsm_random *a)
{
	struct khsm_session *sess;
	u8 small[64];	/* keys, IVs, nonces: no allocation */
	u8 *buf = small;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->len > KHSM_MAX_RANDOM_LEN || (a->len && !a->buf)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = CKR_OK;
	if (!a->len)
		goto out;
	if (a->len > sizeof(small)) {
		buf = kvmalloc(a->len, GFP_KERNEL);
		if (!buf) {
			rv = CKR_HOST_MEMORY;
			goto out;
		}
	}
	rv = khsm_rng_generate(buf, a->len);
	if (!rv)
		rv = copy_out(a->buf, buf, a->len);
	if (buf != small)
		kvfree_sensitive(buf, a->len);
	else
		memzero_explicit(small, a->len);
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_seed_random(struct khsm_app *app, struct khsm_random *a)
{
	struct khsm_session *sess;
	u8 *buf;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->len > KHSM_MAX_RANDOM_LEN || (a->len && !a->buf)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	buf = kvmalloc(a->len ? a->len : 1, GFP_KERNEL);
	if (!buf) {
		rv = CKR_HOST_MEMORY;
		goto out;
	}
	rv = copy_in(buf, a->buf, a->len);
	if (!rv)
		rv = khsm_rng_seed(buf, a->len);
	kvfree_sensitive(buf, a->len ? a->len : 1);
out:
	khsm_session_put(sess);
	return rv;
}
