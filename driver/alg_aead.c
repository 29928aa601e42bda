// SPDX-License-Identifier: GPL-2.0
/*
 * khsm AEAD registrations: gcm(aes), rfc4106(gcm(aes)) with raw keys, and
 * gcm(khsm-aes) whose key is a key token naming an HSM-resident AES key.
 *
 * Every tfm holds an inner AEAD transform from the engine's GCM core
 * (khsm_gcm_alloc_tfm(): the fastest non-khsm implementation, allocated by
 * driver name).  A request is forwarded as a subrequest that lives in our
 * request context, so the data path is one extra call: no copy, no queue.
 * Raw-key requests complete straight to the caller; token-key requests go
 * through khsm_kbind_enter/exit so that a revoked key is refused and
 * wiped once the requests in flight are done.
 */
#include <linux/module.h>
#include <crypto/aes.h>
#include <crypto/gcm.h>
#include <crypto/internal/aead.h>

#include "ck.h"
#include "mech.h"
#include "alg.h"
#include "engine/engine.h"

struct khsm_aead_ctx {
	struct crypto_aead *inner;
	unsigned int keylen;		/* token keys: length to wipe with */
	struct khsm_kbind bind;		/* token algorithms only */
};

struct khsm_aead_drv {
	struct aead_alg alg;
	struct crypto_aead *(*alloc)(void);	/* the engine's GCM core */
	char inner[CRYPTO_MAX_ALG_NAME];	/* resolved at registration */
	bool standard;			/* a name the kernel serves too */
	bool token;
};

static const struct khsm_kbind_policy khsm_gcm_policy = {
	.mech = CKM_AES_GCM,
	.fns = KHSM_FN_ENCRYPT | KHSM_FN_DECRYPT,
};

static struct khsm_aead_drv *khsm_aead_drv(struct crypto_aead *tfm)
{
	return container_of(crypto_aead_alg(tfm), struct khsm_aead_drv, alg);
}

static void khsm_aead_wipe(struct khsm_kbind *b)
{
	struct khsm_aead_ctx *ctx = container_of(b, struct khsm_aead_ctx,
						 bind);
	static const u8 zero[AES_MAX_KEY_SIZE];

	/* Overwrite the key schedule and hash subkey in the inner tfm. */
	if (ctx->keylen)
		crypto_aead_setkey(ctx->inner, zero, ctx->keylen);
	ctx->keylen = 0;
}

static int khsm_aead_init(struct crypto_aead *tfm)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct khsm_aead_drv *drv = khsm_aead_drv(tfm);
	struct crypto_aead *inner;

	inner = crypto_alloc_aead(drv->inner, 0, 0);
	if (IS_ERR(inner))
		return PTR_ERR(inner);
	if (khsm_alg_tfm_is_ours(crypto_aead_tfm(inner))) {
		crypto_free_aead(inner);
		return -ELOOP;
	}
	ctx->inner = inner;
	ctx->keylen = 0;
	crypto_aead_set_reqsize(tfm, sizeof(struct aead_request) +
				crypto_aead_reqsize(inner));
	if (drv->token)
		khsm_kbind_init(&ctx->bind, &khsm_gcm_policy, khsm_aead_wipe);
	return 0;
}

static void khsm_aead_exit(struct crypto_aead *tfm)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	if (khsm_aead_drv(tfm)->token)
		khsm_kbind_release(&ctx->bind);
	crypto_free_aead(ctx->inner);
}

static int khsm_aead_setkey(struct crypto_aead *tfm, const u8 *key,
			    unsigned int keylen)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	crypto_aead_clear_flags(ctx->inner, CRYPTO_TFM_REQ_MASK);
	crypto_aead_set_flags(ctx->inner,
			      crypto_aead_get_flags(tfm) & CRYPTO_TFM_REQ_MASK);
	return crypto_aead_setkey(ctx->inner, key, keylen);
}

static int khsm_aead_load_key(struct khsm_kbind *b, const u8 *key,
			      unsigned int keylen)
{
	struct khsm_aead_ctx *ctx = container_of(b, struct khsm_aead_ctx,
						 bind);
	int err;

	err = crypto_aead_setkey(ctx->inner, key, keylen);
	ctx->keylen = err ? 0 : keylen;
	return err;
}

static int khsm_aead_token_setkey(struct crypto_aead *tfm, const u8 *token,
				  unsigned int len)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	return khsm_kbind_setkey(&ctx->bind, token, len, khsm_aead_load_key);
}

static int khsm_aead_setauthsize(struct crypto_aead *tfm,
				 unsigned int authsize)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(tfm);

	return crypto_aead_setauthsize(ctx->inner, authsize);
}

static struct aead_request *khsm_aead_subreq(struct aead_request *req,
					     crypto_completion_t done,
					     void *data)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct aead_request *sub = aead_request_ctx(req);

	aead_request_set_tfm(sub, ctx->inner);
	aead_request_set_callback(sub, req->base.flags, done, data);
	aead_request_set_crypt(sub, req->src, req->dst, req->cryptlen,
			       req->iv);
	aead_request_set_ad(sub, req->assoclen);
	return sub;
}

/* Raw keys: the inner transform completes straight to our caller. */
static int khsm_aead_encrypt(struct aead_request *req)
{
	return crypto_aead_encrypt(khsm_aead_subreq(req, req->base.complete,
						    req->base.data));
}

static int khsm_aead_decrypt(struct aead_request *req)
{
	return crypto_aead_decrypt(khsm_aead_subreq(req, req->base.complete,
						    req->base.data));
}

/* Did the inner transform keep the request (a completion will follow)? */
static bool khsm_req_pending(int err, u32 flags)
{
	return err == -EINPROGRESS ||
	       (err == -EBUSY && (flags & CRYPTO_TFM_REQ_MAY_BACKLOG));
}

static void khsm_aead_token_done(struct crypto_async_request *areq, int err)
{
	struct aead_request *req = areq->data;
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(crypto_aead_reqtfm(req));

	if (err != -EINPROGRESS)
		khsm_kbind_exit(&ctx->bind);	/* before the caller may free */
	aead_request_complete(req, err);
}

static int khsm_aead_token_crypt(struct aead_request *req, u32 fn)
{
	struct khsm_aead_ctx *ctx = crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct aead_request *sub;
	int err;

	err = khsm_kbind_enter(&ctx->bind, fn);
	if (err)
		return err;
	sub = khsm_aead_subreq(req, khsm_aead_token_done, req);
	err = fn == KHSM_FN_ENCRYPT ? crypto_aead_encrypt(sub) :
				      crypto_aead_decrypt(sub);
	if (!khsm_req_pending(err, req->base.flags))
		khsm_kbind_exit(&ctx->bind);
	return err;
}

static int khsm_aead_token_encrypt(struct aead_request *req)
{
	return khsm_aead_token_crypt(req, KHSM_FN_ENCRYPT);
}

static int khsm_aead_token_decrypt(struct aead_request *req)
{
	return khsm_aead_token_crypt(req, KHSM_FN_DECRYPT);
}

#define KHSM_AEAD_BASE(_name, _driver)					\
	.cra_name = _name,						\
	.cra_driver_name = _driver,					\
	.cra_flags = CRYPTO_ALG_ASYNC,					\
	.cra_blocksize = 1,						\
	.cra_ctxsize = sizeof(struct khsm_aead_ctx),			\
	.cra_module = THIS_MODULE

static struct khsm_aead_drv khsm_aeads[] = {
	{
		.alg = {
			.init = khsm_aead_init,
			.exit = khsm_aead_exit,
			.setkey = khsm_aead_setkey,
			.setauthsize = khsm_aead_setauthsize,
			.encrypt = khsm_aead_encrypt,
			.decrypt = khsm_aead_decrypt,
			.ivsize = GCM_AES_IV_SIZE,
			.maxauthsize = AES_BLOCK_SIZE,
			.base = { KHSM_AEAD_BASE("gcm(aes)", "gcm-aes-khsm") },
		},
		.alloc = khsm_gcm_alloc_tfm,
		.standard = true,
	}, {
		.alg = {
			.init = khsm_aead_init,
			.exit = khsm_aead_exit,
			.setkey = khsm_aead_setkey,
			.setauthsize = khsm_aead_setauthsize,
			.encrypt = khsm_aead_encrypt,
			.decrypt = khsm_aead_decrypt,
			.ivsize = GCM_RFC4106_IV_SIZE,
			.maxauthsize = AES_BLOCK_SIZE,
			.base = { KHSM_AEAD_BASE("rfc4106(gcm(aes))",
						 "rfc4106-gcm-aes-khsm") },
		},
		.alloc = khsm_rfc4106_alloc_tfm,
		.standard = true,
	}, {
		.alg = {
			.init = khsm_aead_init,
			.exit = khsm_aead_exit,
			.setkey = khsm_aead_token_setkey,
			.setauthsize = khsm_aead_setauthsize,
			.encrypt = khsm_aead_token_encrypt,
			.decrypt = khsm_aead_token_decrypt,
			.ivsize = GCM_AES_IV_SIZE,
			.maxauthsize = AES_BLOCK_SIZE,
			.base = { KHSM_AEAD_BASE("gcm(khsm-aes)",
						 "gcm-aes-token-khsm") },
		},
		.alloc = khsm_gcm_alloc_tfm,
		.token = true,
	},
};

/*
 * Ask the engine for its GCM implementation once, here, and keep the
 * driver name it chose: a tfm then allocates exactly that (the engine
 * walks a preference list, and each miss is a module request).  Pass on
 * the flags the simd and template wrappers pass on, e.g.
 * CRYPTO_ALG_ALLOCATES_MEMORY, which dm-crypt looks at.
 */
static int khsm_aead_resolve(struct khsm_aead_drv *drv)
{
	struct crypto_aead *inner = drv->alloc();
	u32 flags;

	if (IS_ERR(inner))
		return PTR_ERR(inner);
	strscpy(drv->inner, crypto_aead_driver_name(inner),
		sizeof(drv->inner));
	flags = crypto_aead_alg(inner)->base.cra_flags;
	drv->alg.base.cra_flags = CRYPTO_ALG_ASYNC |
				  (flags & CRYPTO_ALG_INHERITED_FLAGS);
	crypto_free_aead(inner);
	return 0;
}

int khsm_alg_aead_register(void)
{
	struct khsm_aead_drv *drv;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(khsm_aeads); i++) {
		drv = &khsm_aeads[i];
		drv->alg.base.cra_priority = khsm_alg_priority();
		err = khsm_aead_resolve(drv);
		if (err)
			goto unwind;
		if (drv->standard)
			khsm_alg_settle_peer(drv->alg.base.cra_name,
					     CRYPTO_ALG_TYPE_AEAD,
					     CRYPTO_ALG_TYPE_MASK);
		err = crypto_register_aead(&drv->alg);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	pr_err("khsm: cannot register %s: %d\n", drv->alg.base.cra_driver_name,
	       err);
	while (i--)
		crypto_unregister_aead(&khsm_aeads[i].alg);
	return err;
}

void khsm_alg_aead_unregister(void)
{
	unsigned int i = ARRAY_SIZE(khsm_aeads);

	while (i--)
		crypto_unregister_aead(&khsm_aeads[i].alg);
}

MODULE_ALIAS_CRYPTO("gcm(aes)");
MODULE_ALIAS_CRYPTO("gcm-aes-khsm");
MODULE_ALIAS_CRYPTO("rfc4106(gcm(aes))");
MODULE_ALIAS_CRYPTO("rfc4106-gcm-aes-khsm");
MODULE_ALIAS_CRYPTO("gcm(khsm-aes)");
MODULE_ALIAS_CRYPTO("gcm-aes-token-khsm");
