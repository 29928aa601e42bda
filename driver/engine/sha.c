// SPDX-License-Identifier: GPL-2.0
/*
 * CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384, CKM_SHA512 (FIPS 180-4).
 *
 * One unkeyed crypto_shash per algorithm, allocated at probe and shared by
 * every operation (an shash keeps its running state in the per-operation
 * descriptor).  Plain hash names: khsm never registers a plain hash, so
 * they cannot resolve to a khsm driver; HMAC is built over these too.
 *
 * Which implementation is measured, not assumed: the crypto API's choice
 * (the highest priority, e.g. sha256-avx2) and the portable C one
 * (sha256-generic) each digest a one-block message and a 4 KiB one at
 * probe, and the C one is kept only if it is faster at both sizes.  On
 * hardware the SIMD code wins; under an emulator such as qemu TCG, which
 * runs plain integer code far better than SIMD and must emulate the FPU
 * state save that kernel SIMD code needs, the C code wins by a quarter to
 * a third.  Every SHA implementation is constant-time, so the choice has
 * no side-channel cost (no such choice is made for AES or GHASH, whose
 * portable C versions use tables).
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/hash.h>

#include "../ck.h"
#include "engine.h"

struct khsm_sha_alg {
	u64 digest, hmac, hmac_general;	/* CKM_* */
	const char *names[2];
	const char *generic[2];
};

#define SHA_ALG(name, ckm)						\
	{ CKM_##ckm, CKM_##ckm##_HMAC, CKM_##ckm##_HMAC_GENERAL,	\
	  { name }, { name "-generic" } }

static const struct khsm_sha_alg khsm_sha_algs[] = {
	SHA_ALG("sha1", SHA_1),
	SHA_ALG("sha224", SHA224),
	SHA_ALG("sha256", SHA256),
	SHA_ALG("sha384", SHA384),
	SHA_ALG("sha512", SHA512),
};

#define SHA_BENCH_LONG	4096

/* Best of three rounds of @reps digests of @len bytes, in ns */
static u64 sha_time(struct crypto_shash *tfm, const u8 *buf, size_t len,
		    int reps)
{
	u8 out[HASH_MAX_DIGESTSIZE];
	u64 best = U64_MAX, t;
	int r, i;

	for (r = 0; r < 3; r++) {
		t = ktime_get_ns();
		for (i = 0; i < reps; i++)
			if (crypto_shash_tfm_digest(tfm, buf, len, out))
				return U64_MAX;
		best = min(best, ktime_get_ns() - t);
		cond_resched();
	}
	return best;
}

/* @def, or the generic implementation of @a if it is faster here */
static struct crypto_shash *sha_pick(const struct khsm_sha_alg *a,
				     struct crypto_shash *def, const u8 *buf)
{
	struct crypto_shash *gen;
	const char *dn = crypto_tfm_alg_driver_name(crypto_shash_tfm(def));

	if (!buf || !strcmp(dn, a->generic[0]))
		return def;
	gen = khsm_alloc_shash(a->generic);
	if (IS_ERR(gen))
		return def;
	if (sha_time(gen, buf, 32, 32) < sha_time(def, buf, 32, 32) &&
	    sha_time(gen, buf, SHA_BENCH_LONG, 2) <
	    sha_time(def, buf, SHA_BENCH_LONG, 2)) {
		pr_info("khsm: %s: %s (measured faster here than %s)\n",
			a->names[0], a->generic[0], dn);
		crypto_free_shash(def);
		return gen;
	}
	crypto_free_shash(gen);
	return def;
}

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
	u8 *buf = kzalloc(SHA_BENCH_LONG, GFP_KERNEL);	/* none: no choice */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_sha_algs); i++) {
		struct crypto_shash *tfm;

		tfm = khsm_alloc_shash(khsm_sha_algs[i].names);
		if (IS_ERR(tfm)) {
			pr_err("khsm: no %s: %ld\n", khsm_sha_algs[i].names[0],
			       PTR_ERR(tfm));
			kfree(buf);
			khsm_sha_exit();
			return PTR_ERR(tfm);
		}
		khsm_sha_tfms[i] = sha_pick(&khsm_sha_algs[i], tfm, buf);
	}
	kfree(buf);
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
			    struct khsm_kcache_head *kc,
			    struct khsm_engine_ctx **ctx)
{
	struct crypto_shash *tfm = khsm_sha_tfm(m->type);
	struct khsm_digest_ctx *c;

	if (fn != KHSM_FN_DIGEST || !tfm)
		return CKR_MECHANISM_INVALID;
	if (plen)
		return CKR_MECHANISM_PARAM_INVALID;
	c = khsm_ctx_zalloc(sizeof(*c) + crypto_shash_descsize(tfm));
	if (!c)
		return CKR_HOST_MEMORY;
	c->base.mech = m;
	c->base.fn = fn;
	c->ds = crypto_shash_digestsize(tfm);
	c->desc.tfm = tfm;
	if (crypto_shash_init(&c->desc)) {
		khsm_ctx_free(&c->base);
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

	khsm_ctx_free(&c->base);	/* with the descriptor's running state */
}

const struct khsm_engine_ops khsm_digest_ops = {
	.init		= khsm_digest_init,
	.update		= khsm_digest_update,
	.final		= khsm_digest_final,
	.oneshot	= khsm_digest_oneshot,
	.free		= khsm_digest_free,
};
