// SPDX-License-Identifier: GPL-2.0
/*
 * CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384, CKM_SHA512 (FIPS 180-4).
 *
 * One unkeyed crypto_shash per algorithm, allocated at probe and shared by
 * every operation (an shash keeps its running state in the per-operation
 * descriptor).  Plain hash names: khsm never registers a plain hash, so
 * they cannot resolve to a khsm driver; HMAC is built over these too.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/hash.h>

#include "../ck.h"
#include "engine.h"

struct khsm_sha_alg {
	u64 digest, hmac, hmac_general;	/* CKM_* */
	const char *names[2];
};

static const struct khsm_sha_alg khsm_sha_algs[] = {
	{ CKM_SHA_1, CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL, { "sha1" } },
	{ CKM_SHA224, CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, { "sha224" } },
	{ CKM_SHA256, CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL, { "sha256" } },
	{ CKM_SHA384, CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL, { "sha384" } },
	{ CKM_SHA512, CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, { "sha512" } },
};

static struct crypto_shash *khsm_sha_tfms[ARRAY_SIZE(khsm_sha_algs)];

struct crypto_shash *khsm_sha_tfm(u64 ckm)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_sha_algs); i++) {
		const struct khsm_sha_alg *a = &khsm_sha_algs[i];

		if (ckm == a->digest || ckm == a->hmac ||
		    ckm == a->hmac_general)
			return khsm_sha_tfms[i];
	}
	return NULL;
}

void khsm_sha_exit(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_sha_tfms); i++) {
		crypto_free_shash(khsm_sha_tfms[i]);
		khsm_sha_tfms[i] = NULL;
	}
}

int khsm_sha_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_sha_algs); i++) {
		struct crypto_shash *tfm;

		tfm = khsm_alloc_shash(khsm_sha_algs[i].names);
		if (IS_ERR(tfm)) {
			pr_err("khsm: no %s: %ld\n", khsm_sha_algs[i].names[0],
			       PTR_ERR(tfm));
			khsm_sha_exit();
			return PTR_ERR(tfm);
		}
		khsm_sha_tfms[i] = tfm;
	}
	return 0;
}

struct khsm_digest_ctx {
	struct khsm_engine_ctx base;
	unsigned int ds;
	struct shash_desc desc;		/* + descsize; last */
};

#define to_digest(c) container_of(c, struct khsm_digest_ctx, base)

static u32 khsm_digest_init(const struct khsm_mech_row *m, u32 fn,
			    const void *param, size_t plen,
			    const u8 *key, size_t keylen,
			    struct khsm_engine_ctx **ctx)
{
	struct crypto_shash *tfm = khsm_sha_tfm(m->type);
	struct khsm_digest_ctx *c;

	if (fn != KHSM_FN_DIGEST || !tfm)
		return CKR_MECHANISM_INVALID;
	if (plen)
		return CKR_MECHANISM_PARAM_INVALID;
	c = kzalloc(sizeof(*c) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!c)
		return CKR_HOST_MEMORY;
	c->base.mech = m;
	c->base.fn = fn;
	c->ds = crypto_shash_digestsize(tfm);
	c->desc.tfm = tfm;
	if (crypto_shash_init(&c->desc)) {
		kfree_sensitive(c);
		return CKR_FUNCTION_FAILED;
	}
	*ctx = &c->base;
	return CKR_OK;
}

static u32 khsm_digest_update(struct khsm_engine_ctx *ctx, const u8 *in,
			      size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_digest_ctx *c = to_digest(ctx);

	if (outlen)
		*outlen = 0;
	return khsm_errno_to_rv(crypto_shash_update(&c->desc, in, inlen));
}

static u32 khsm_digest_out(struct khsm_digest_ctx *c, const u8 *in,
			   size_t inlen, bool finup, u8 *out, size_t *outlen)
{
	int err;

	if (!out) {
		*outlen = c->ds;
		return CKR_OK;
	}
	if (*outlen < c->ds) {
		*outlen = c->ds;
		return CKR_BUFFER_TOO_SMALL;
	}
	err = finup ? crypto_shash_finup(&c->desc, in, inlen, out) :
		      crypto_shash_final(&c->desc, out);
	if (err)
		return khsm_errno_to_rv(err);
	*outlen = c->ds;
	return CKR_OK;
}

static u32 khsm_digest_final(struct khsm_engine_ctx *ctx, u8 *out,
			     size_t *outlen)
{
	return khsm_digest_out(to_digest(ctx), NULL, 0, false, out, outlen);
}

static u32 khsm_digest_oneshot(struct khsm_engine_ctx *ctx, const u8 *in,
			       size_t inlen, u8 *out, size_t *outlen)
{
	return khsm_digest_out(to_digest(ctx), in, inlen, true, out, outlen);
}

static void khsm_digest_free(struct khsm_engine_ctx *ctx)
{
	struct khsm_digest_ctx *c = to_digest(ctx);

	kfree_sensitive(c);	/* with the descriptor's running state */
}

const struct khsm_engine_ops khsm_digest_ops = {
	.init		= khsm_digest_init,
	.update		= khsm_digest_update,
	.final		= khsm_digest_final,
	.oneshot	= khsm_digest_oneshot,
	.free		= khsm_digest_free,
};
