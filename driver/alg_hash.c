// SPDX-License-Identifier: GPL-2.0
/*
 * khsm ahash registrations: hmac(sha256), hmac(sha384), hmac(sha512) with
 * raw keys, and hmac(khsm-sha*) whose key is a key token naming an
 * HSM-resident key.
 *
 * HMAC (RFC 2104) over the engine's shared, unkeyed hash transform of the
 * algorithm (khsm_sha_tfm(), never a khsm driver): setkey runs the key's
 * ipad and opad blocks once and keeps the two exported hash states in the
 * tfm context; a request imports the ipad state into its descriptor,
 * hashes the message, and finishes with the opad state.
 */
#include <linux/module.h>
#include <crypto/hmac.h>
#include <crypto/internal/hash.h>
#include <crypto/sha2.h>

#include "ck.h"
#include "mech.h"
#include "alg.h"
#include "engine/engine.h"

/* The largest exported state of the hashes below (sha384/512) */
#define KHSM_HMAC_STATE		sizeof(struct sha512_state)

struct khsm_hmac_ctx {
	struct crypto_shash *inner;
	struct khsm_kbind bind;		/* token algorithms only */
	u8 ipad[KHSM_HMAC_STATE] __aligned(8);
	u8 opad[KHSM_HMAC_STATE] __aligned(8);
};

struct khsm_hash_drv {
	struct ahash_alg alg;
	u64 ckm;			/* the engine's shared hash of this */
	const struct khsm_kbind_policy *policy;	/* token algorithms */
	bool standard;			/* a name the kernel serves too */
};

#define KHSM_HMAC_POLICY(_mech) {					\
	.mech = _mech,							\
	.fns = KHSM_FN_SIGN,						\
}

static const struct khsm_kbind_policy khsm_hmac256_policy =
	KHSM_HMAC_POLICY(CKM_SHA256_HMAC);
static const struct khsm_kbind_policy khsm_hmac384_policy =
	KHSM_HMAC_POLICY(CKM_SHA384_HMAC);
static const struct khsm_kbind_policy khsm_hmac512_policy =
	KHSM_HMAC_POLICY(CKM_SHA512_HMAC);

static struct khsm_hash_drv *khsm_hash_drv(struct crypto_ahash *tfm)
{
	return container_of(__crypto_ahash_alg(crypto_ahash_tfm(tfm)->__crt_alg),
			    struct khsm_hash_drv, alg);
}

static struct khsm_hmac_ctx *khsm_hmac_ctx(struct ahash_request *req)
{
	return crypto_ahash_ctx(crypto_ahash_reqtfm(req));
}

/* RFC 2104: the states after hashing (K ^ ipad) and (K ^ opad) */
static int khsm_hmac_prepare(struct khsm_hmac_ctx *ctx, const u8 *key,
			     unsigned int keylen)
{
	struct crypto_shash *h = ctx->inner;
	unsigned int bs = crypto_shash_blocksize(h);
	unsigned int ds = crypto_shash_digestsize(h);
	u8 pad[SHA512_BLOCK_SIZE] __aligned(8);
	SHASH_DESC_ON_STACK(desc, h);
	unsigned int i;
	int err = 0;

	desc->tfm = h;
	if (keylen > bs) {
		err = crypto_shash_digest(desc, key, keylen, pad);
		keylen = ds;
	} else {
		memcpy(pad, key, keylen);
	}
	if (err)
		goto out;
	memset(pad + keylen, 0, bs - keylen);

	for (i = 0; i < bs; i++)
		pad[i] ^= HMAC_IPAD_VALUE;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, pad, bs) ?:
	      crypto_shash_export(desc, ctx->ipad);
	if (err)
		goto out;

	for (i = 0; i < bs; i++)
		pad[i] ^= HMAC_IPAD_VALUE ^ HMAC_OPAD_VALUE;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, pad, bs) ?:
	      crypto_shash_export(desc, ctx->opad);
out:
	memzero_explicit(pad, sizeof(pad));
	shash_desc_zero(desc);
	return err;
}

/* The inner digest is in @result: finish with the outer hash. */
static int khsm_hmac_outer(struct khsm_hmac_ctx *ctx, struct shash_desc *desc,
			   u8 *result)
{
	unsigned int ds = crypto_shash_digestsize(ctx->inner);
	u8 inner[SHA512_DIGEST_SIZE];
	int err;

	memcpy(inner, result, ds);
	err = crypto_shash_import(desc, ctx->opad) ?:
	      crypto_shash_finup(desc, inner, ds, result);
	memzero_explicit(inner, sizeof(inner));
	return err;
}

static int khsm_hmac_init(struct ahash_request *req)
{
	struct khsm_hmac_ctx *ctx = khsm_hmac_ctx(req);
	struct shash_desc *desc = ahash_request_ctx(req);

	desc->tfm = ctx->inner;
	return crypto_shash_import(desc, ctx->ipad);
}

static int khsm_hmac_update(struct ahash_request *req)
{
	return shash_ahash_update(req, ahash_request_ctx(req));
}

static int khsm_hmac_final(struct ahash_request *req)
{
	struct shash_desc *desc = ahash_request_ctx(req);

	return crypto_shash_final(desc, req->result) ?:
	       khsm_hmac_outer(khsm_hmac_ctx(req), desc, req->result);
}

static int khsm_hmac_finup(struct ahash_request *req)
{
	struct shash_desc *desc = ahash_request_ctx(req);

	return shash_ahash_finup(req, desc) ?:
	       khsm_hmac_outer(khsm_hmac_ctx(req), desc, req->result);
}

static int khsm_hmac_digest(struct ahash_request *req)
{
	return khsm_hmac_init(req) ?: khsm_hmac_finup(req);
}

static int khsm_hmac_export(struct ahash_request *req, void *out)
{
	return crypto_shash_export(ahash_request_ctx(req), out);
}

static int khsm_hmac_import(struct ahash_request *req, const void *in)
{
	struct shash_desc *desc = ahash_request_ctx(req);

	desc->tfm = khsm_hmac_ctx(req)->inner;
	return crypto_shash_import(desc, in);
}

static int khsm_hmac_setkey(struct crypto_ahash *tfm, const u8 *key,
			    unsigned int keylen)
{
	return khsm_hmac_prepare(crypto_ahash_ctx(tfm), key, keylen);
}

/* ---- token keys: every step that uses the key is inside enter/exit ---- */

static void khsm_hmac_wipe(struct khsm_kbind *b)
{
	struct khsm_hmac_ctx *ctx = container_of(b, struct khsm_hmac_ctx,
						 bind);

	memzero_explicit(ctx->ipad, sizeof(ctx->ipad));
	memzero_explicit(ctx->opad, sizeof(ctx->opad));
}

static int khsm_hmac_load_key(struct khsm_kbind *b, const u8 *key,
			      unsigned int keylen)
{
	return khsm_hmac_prepare(container_of(b, struct khsm_hmac_ctx, bind),
				 key, keylen);
}

static int khsm_hmac_token_setkey(struct crypto_ahash *tfm, const u8 *token,
				  unsigned int len)
{
	struct khsm_hmac_ctx *ctx = crypto_ahash_ctx(tfm);

	return khsm_kbind_setkey(&ctx->bind, token, len, khsm_hmac_load_key);
}

#define KHSM_HMAC_TOKEN_OP(op)						\
static int khsm_hmac_token_##op(struct ahash_request *req)		\
{									\
	struct khsm_kbind *b = &khsm_hmac_ctx(req)->bind;		\
	int err;							\
									\
	err = khsm_kbind_enter(b, KHSM_FN_SIGN);			\
	if (err)							\
		return err;						\
	err = khsm_hmac_##op(req);					\
	khsm_kbind_exit(b);						\
	return err;							\
}

KHSM_HMAC_TOKEN_OP(init)
KHSM_HMAC_TOKEN_OP(final)
KHSM_HMAC_TOKEN_OP(finup)
KHSM_HMAC_TOKEN_OP(digest)

/* ---- tfm lifetime ---- */

static int khsm_hmac_init_tfm(struct crypto_ahash *ahash)
{
	struct khsm_hash_drv *drv = khsm_hash_drv(ahash);
	struct khsm_hmac_ctx *ctx = crypto_ahash_ctx(ahash);
	struct crypto_shash *inner = khsm_sha_tfm(drv->ckm);

	if (!inner)
		return -ENOENT;
	ctx->inner = inner;
	crypto_ahash_set_reqsize(ahash, sizeof(struct shash_desc) +
				 crypto_shash_descsize(inner));
	if (drv->policy)
		khsm_kbind_init(&ctx->bind, drv->policy, khsm_hmac_wipe);
	return 0;
}

static void khsm_hmac_exit_tfm(struct crypto_ahash *ahash)
{
	struct khsm_hash_drv *drv = khsm_hash_drv(ahash);
	struct khsm_hmac_ctx *ctx = crypto_ahash_ctx(ahash);

	if (drv->policy)
		khsm_kbind_release(&ctx->bind);
	memzero_explicit(ctx->ipad, sizeof(ctx->ipad));
	memzero_explicit(ctx->opad, sizeof(ctx->opad));
}

#define KHSM_HMAC_ALG(_name, _driver, _ds, _bs, _state)		\
	.halg = {							\
		.digestsize = _ds,					\
		.statesize = sizeof(struct _state),			\
		.base = {						\
			.cra_name = _name,				\
			.cra_driver_name = _driver,			\
			.cra_flags = CRYPTO_ALG_ASYNC,			\
			.cra_blocksize = _bs,				\
			.cra_ctxsize = sizeof(struct khsm_hmac_ctx),	\
			.cra_module = THIS_MODULE,			\
		},							\
	},								\
	.init_tfm = khsm_hmac_init_tfm,					\
	.exit_tfm = khsm_hmac_exit_tfm,					\
	.update = khsm_hmac_update,					\
	.export = khsm_hmac_export,					\
	.import = khsm_hmac_import

#define KHSM_HMAC_RAW(_name, _driver, _ds, _bs, _state, _ckm) {	\
	.alg = {							\
		KHSM_HMAC_ALG(_name, _driver, _ds, _bs, _state),	\
		.init = khsm_hmac_init,					\
		.final = khsm_hmac_final,				\
		.finup = khsm_hmac_finup,				\
		.digest = khsm_hmac_digest,				\
		.setkey = khsm_hmac_setkey,				\
	},								\
	.ckm = _ckm,							\
	.standard = true,						\
}

#define KHSM_HMAC_TOKEN(_name, _driver, _ds, _bs, _state, _ckm, _pol) { \
	.alg = {							\
		KHSM_HMAC_ALG(_name, _driver, _ds, _bs, _state),	\
		.init = khsm_hmac_token_init,				\
		.final = khsm_hmac_token_final,				\
		.finup = khsm_hmac_token_finup,				\
		.digest = khsm_hmac_token_digest,			\
		.setkey = khsm_hmac_token_setkey,			\
	},								\
	.ckm = _ckm,							\
	.policy = _pol,							\
}

static struct khsm_hash_drv khsm_hashes[] = {
	KHSM_HMAC_RAW("hmac(sha256)", "hmac-sha256-khsm", SHA256_DIGEST_SIZE,
		      SHA256_BLOCK_SIZE, sha256_state, CKM_SHA256),
	KHSM_HMAC_RAW("hmac(sha384)", "hmac-sha384-khsm", SHA384_DIGEST_SIZE,
		      SHA384_BLOCK_SIZE, sha512_state, CKM_SHA384),
	KHSM_HMAC_RAW("hmac(sha512)", "hmac-sha512-khsm", SHA512_DIGEST_SIZE,
		      SHA512_BLOCK_SIZE, sha512_state, CKM_SHA512),
	KHSM_HMAC_TOKEN("hmac(khsm-sha256)", "hmac-sha256-token-khsm",
			SHA256_DIGEST_SIZE, SHA256_BLOCK_SIZE, sha256_state,
			CKM_SHA256, &khsm_hmac256_policy),
	KHSM_HMAC_TOKEN("hmac(khsm-sha384)", "hmac-sha384-token-khsm",
			SHA384_DIGEST_SIZE, SHA384_BLOCK_SIZE, sha512_state,
			CKM_SHA384, &khsm_hmac384_policy),
	KHSM_HMAC_TOKEN("hmac(khsm-sha512)", "hmac-sha512-token-khsm",
			SHA512_DIGEST_SIZE, SHA512_BLOCK_SIZE, sha512_state,
			CKM_SHA512, &khsm_hmac512_policy),
};

/*
 * The engine's shared hash must be there, must not be ours (khsm never
 * calls itself), and its exported state must be what we declared.
 */
static int khsm_hash_resolve(struct khsm_hash_drv *drv)
{
	struct crypto_shash *h = khsm_sha_tfm(drv->ckm);

	if (!h)
		return -ENOENT;
	if (khsm_alg_tfm_is_ours(crypto_shash_tfm(h)))
		return -ELOOP;
	if (crypto_shash_statesize(h) != drv->alg.halg.statesize ||
	    crypto_shash_statesize(h) > KHSM_HMAC_STATE ||
	    crypto_shash_digestsize(h) != drv->alg.halg.digestsize)
		return -EINVAL;
	drv->alg.halg.base.cra_flags = CRYPTO_ALG_ASYNC |
		(crypto_shash_alg(h)->base.cra_flags &
		 CRYPTO_ALG_INHERITED_FLAGS);
	return 0;
}

int khsm_alg_hash_register(void)
{
	struct khsm_hash_drv *drv;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(khsm_hashes); i++) {
		drv = &khsm_hashes[i];
		drv->alg.halg.base.cra_priority = khsm_alg_priority();
		err = khsm_hash_resolve(drv);
		if (err)
			goto unwind;
		if (drv->standard)
			khsm_alg_settle_peer(drv->alg.halg.base.cra_name,
					     CRYPTO_ALG_TYPE_AHASH,
					     CRYPTO_ALG_TYPE_AHASH_MASK);
		err = crypto_register_ahash(&drv->alg);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	pr_err("khsm: cannot register %s: %d\n",
	       drv->alg.halg.base.cra_driver_name, err);
	while (i--)
		crypto_unregister_ahash(&khsm_hashes[i].alg);
	return err;
}

void khsm_alg_hash_unregister(void)
{
	unsigned int i = ARRAY_SIZE(khsm_hashes);

	while (i--)
		crypto_unregister_ahash(&khsm_hashes[i].alg);
}

MODULE_ALIAS_CRYPTO("hmac-sha256-khsm");
MODULE_ALIAS_CRYPTO("hmac-sha384-khsm");
MODULE_ALIAS_CRYPTO("hmac-sha512-khsm");
MODULE_ALIAS_CRYPTO("hmac(khsm-sha256)");
MODULE_ALIAS_CRYPTO("hmac(khsm-sha384)");
MODULE_ALIAS_CRYPTO("hmac(khsm-sha512)");
MODULE_ALIAS_CRYPTO("hmac-sha256-token-khsm");
MODULE_ALIAS_CRYPTO("hmac-sha384-token-khsm");
MODULE_ALIAS_CRYPTO("hmac-sha512-token-khsm");
