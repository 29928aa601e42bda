// SPDX-License-Identifier: GPL-2.0
/*
 * MAC sign/verify: CKM_SHA*_HMAC and CKM_SHA*_HMAC_GENERAL (RFC 2104 / FIPS
 * 198-1, built here over the shared plain hash transforms of sha.c, never
 * over an "hmac(...)" transform, which khsm itself registers), and
 * CKM_AES_CMAC / CKM_AES_CMAC_GENERAL (NIST SP 800-38B, the kernel's cmac
 * template over a named AES cipher driver).
 *
 * Verification compares in constant time (crypto_memneq); a signature of
 * the wrong length is CKR_SIGNATURE_LEN_RANGE, a wrong one
 * CKR_SIGNATURE_INVALID.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>

#include "../ck.h"
#include "engine.h"

static const char *const khsm_cmac_names[] = {
	"cmac(aes-aesni)", "cmac(aes-fixed-time)", "cmac(aes-generic)", NULL
};

struct khsm_mac_ctx {
	struct khsm_engine_ctx base;
	struct crypto_shash *cmac;	/* CMAC: keyed, this operation's own */
	u8 *ostate;			/* HMAC: exported outer-pad state */
	unsigned int maclen;		/* output length */
	unsigned int ds;		/* full MAC length */
	u8 mac[SHA512_DIGEST_SIZE];
	u8 pad[SHA512_BLOCK_SIZE];
	struct shash_desc desc;		/* + descsize (+ HMAC statesize); last */
};

#define to_mac(c) container_of(c, struct khsm_mac_ctx, base)

static bool khsm_mac_general(u64 ckm)
{
	switch (ckm) {
	case CKM_AES_CMAC_GENERAL:
	case CKM_SHA_1_HMAC_GENERAL:
	case CKM_SHA224_HMAC_GENERAL:
	case CKM_SHA256_HMAC_GENERAL:
	case CKM_SHA384_HMAC_GENERAL:
	case CKM_SHA512_HMAC_GENERAL:
		return true;
	}
	return false;
}

/* CK_MAC_GENERAL_PARAMS (one CK_ULONG) or none; output length 1..ds */
static u32 khsm_mac_len(u64 ckm, const void *param, size_t plen,
			unsigned int ds, unsigned int *maclen)
{
	u64 len;

	if (!khsm_mac_general(ckm)) {
		if (plen)
			return CKR_MECHANISM_PARAM_INVALID;
		*maclen = ds;
		return CKR_OK;
	}
	if (!param || plen != sizeof(u64))
		return CKR_MECHANISM_PARAM_INVALID;
	memcpy(&len, param, sizeof(len));
	if (len < 1 || len > ds)
		return CKR_MECHANISM_PARAM_INVALID;
	*maclen = len;
	return CKR_OK;
}

static struct khsm_mac_ctx *khsm_mac_alloc(const struct khsm_mech_row *m,
					   u32 fn, struct crypto_shash *tfm,
					   size_t extra)
{
	struct khsm_mac_ctx *c;

	c = khsm_ctx_zalloc(sizeof(*c) + crypto_shash_descsize(tfm) + extra);
	if (!c)
		return NULL;
	c->base.mech = m;
	c->base.fn = fn;
	c->desc.tfm = tfm;
	c->ds = crypto_shash_digestsize(tfm);
	return c;
}

/*
 * HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)).  The outer state is
 * exported once; the descriptor is left holding the inner state.
 */
static int khsm_hmac_setkey(struct khsm_mac_ctx *c, const u8 *key,
			    size_t keylen)
{
	struct crypto_shash *tfm = c->desc.tfm;
	unsigned int bs = crypto_shash_blocksize(tfm);
	unsigned int i;
	int err;

	if (keylen > bs) {
		err = crypto_shash_digest(&c->desc, key, keylen, c->pad);
		if (err)
			goto out;
		keylen = c->ds;
	} else {
		memcpy(c->pad, key, keylen);
	}
	memset(c->pad + keylen, 0, bs - keylen);

	for (i = 0; i < bs; i++)
		c->pad[i] ^= 0x5c;
	err = crypto_shash_init(&c->desc) ?:
	      crypto_shash_update(&c->desc, c->pad, bs) ?:
	      crypto_shash_export(&c->desc, c->ostate);
	if (err)
		goto out;
	for (i = 0; i < bs; i++)
		c->pad[i] ^= 0x5c ^ 0x36;
	err = crypto_shash_init(&c->desc) ?:
	      crypto_shash_update(&c->desc, c->pad, bs);
out:
	memzero_explicit(c->pad, sizeof(c->pad));
	return err;
}

/*
 * A key's HMAC pad states, cached with the key object (one entry per hash
 * transform, tagged with its address): the inner state, then the outer.
 */
struct khsm_hmac_kc {
	struct khsm_kcache kc;
	u8 states[];			/* 2 * statesize */
};

static void khsm_hmac_kc_free(struct khsm_kcache *kc)
{
	struct khsm_hmac_kc *e = container_of(kc, struct khsm_hmac_kc, kc);

	kfree_sensitive(e);
}

/* Keep the states a fresh setkey left in @c; best effort */
static void khsm_hmac_kc_store(struct khsm_mac_ctx *c,
			       struct khsm_kcache_head *kc, u64 tag)
{
	unsigned int ss = crypto_shash_statesize(c->desc.tfm);
	struct khsm_hmac_kc *e;

	e = kzalloc(struct_size(e, states, 2 * ss), GFP_KERNEL);
	if (!e)
		return;
	e->kc.tag = tag;
	e->kc.free = khsm_hmac_kc_free;
	if (crypto_shash_export(&c->desc, e->states)) {
		kfree_sensitive(e);
		return;
	}
	memcpy(e->states + ss, c->ostate, ss);
	if (!khsm_kcache_add(kc, &e->kc, ksize(e)))
		kfree_sensitive(e);
}

/* The pad states of @key: from the key's cache @kc (if any), or computed */
static int khsm_hmac_key(struct khsm_mac_ctx *c, const u8 *key,
			 size_t keylen, struct khsm_kcache_head *kc)
{
	unsigned int ss = crypto_shash_statesize(c->desc.tfm);
	u64 tag = (uintptr_t)c->desc.tfm;
	const struct khsm_kcache *hit;
	const struct khsm_hmac_kc *e;
	int err;

	if (!kc)
		return khsm_hmac_setkey(c, key, keylen);
	hit = khsm_kcache_find(kc, tag);
	if (hit) {
		e = container_of(hit, const struct khsm_hmac_kc, kc);
		memcpy(c->ostate, e->states + ss, ss);
		return crypto_shash_import(&c->desc, e->states);
	}
	err = khsm_hmac_setkey(c, key, keylen);
	if (!err)
		khsm_hmac_kc_store(c, kc, tag);
	return err;
}

static u32 khsm_hmac_init(const struct khsm_mech_row *m, u32 fn,
			  const void *param, size_t plen,
			  const u8 *key, size_t keylen,
			  struct khsm_kcache_head *kc,
			  struct khsm_engine_ctx **ctx)
{
	struct crypto_shash *tfm = khsm_sha_tfm(m->type);
	struct khsm_mac_ctx *c;
	unsigned int maclen;
	size_t dsz;
	u32 rv;

	if ((fn != KHSM_FN_SIGN && fn != KHSM_FN_VERIFY) || !tfm)
		return CKR_MECHANISM_INVALID;
	if (!keylen)
		return CKR_KEY_SIZE_RANGE;
	rv = khsm_mac_len(m->type, param, plen, crypto_shash_digestsize(tfm),
			  &maclen);
	if (rv != CKR_OK)
		return rv;

	dsz = ALIGN(crypto_shash_descsize(tfm), 16);
	c = khsm_mac_alloc(m, fn, tfm, dsz + crypto_shash_statesize(tfm));
	if (!c)
		return CKR_HOST_MEMORY;
	c->ostate = (u8 *)(&c->desc + 1) + dsz;
	c->maclen = maclen;
	if (khsm_hmac_key(c, key, keylen, kc)) {
		khsm_ctx_free(&c->base);
		return CKR_FUNCTION_FAILED;
	}
	*ctx = &c->base;
	return CKR_OK;
}

static u32 khsm_cmac_init(const struct khsm_mech_row *m, u32 fn,
			  const void *param, size_t plen,
			  const u8 *key, size_t keylen,
			  struct khsm_kcache_head *kc,
			  struct khsm_engine_ctx **ctx)
{
	struct crypto_shash *tfm;
	struct khsm_mac_ctx *c;
	unsigned int maclen;
	int err;
	u32 rv;

	if (fn != KHSM_FN_SIGN && fn != KHSM_FN_VERIFY)
		return CKR_MECHANISM_INVALID;
	if (keylen != 16 && keylen != 24 && keylen != 32)
		return CKR_KEY_SIZE_RANGE;
	rv = khsm_mac_len(m->type, param, plen, KHSM_AES_BLOCK, &maclen);
	if (rv != CKR_OK)
		return rv;

	tfm = khsm_alloc_shash(khsm_cmac_names);
	if (IS_ERR(tfm))
		return khsm_errno_to_rv(PTR_ERR(tfm));
	err = crypto_shash_setkey(tfm, key, keylen);
	if (err)
		goto err_tfm;
	c = khsm_mac_alloc(m, fn, tfm, 0);
	if (!c) {
		err = -ENOMEM;
		goto err_tfm;
	}
	c->cmac = tfm;
	c->maclen = maclen;
	err = crypto_shash_init(&c->desc);
	if (err) {
		khsm_ctx_free(&c->base);
		goto err_tfm;
	}
	*ctx = &c->base;
	return CKR_OK;

err_tfm:
	crypto_free_shash(tfm);
	return khsm_errno_to_rv(err);
}

static void khsm_mac_free(struct khsm_engine_ctx *ctx)
{
	struct khsm_mac_ctx *c = to_mac(ctx);

	crypto_free_shash(c->cmac);	/* NULL for HMAC (shared transform) */
	khsm_ctx_free(&c->base);
}

static u32 khsm_mac_update(struct khsm_engine_ctx *ctx, const u8 *in,
			   size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_mac_ctx *c = to_mac(ctx);

	if (outlen)
		*outlen = 0;
	return khsm_errno_to_rv(crypto_shash_update(&c->desc, in, inlen));
}

/* Finish the MAC into c->mac (ds bytes), consuming the state */
static int khsm_mac_compute(struct khsm_mac_ctx *c)
{
	int err = crypto_shash_final(&c->desc, c->mac);

	if (err || c->cmac)
		return err;
	return crypto_shash_import(&c->desc, c->ostate) ?:
	       crypto_shash_finup(&c->desc, c->mac, c->ds, c->mac);
}

static u32 khsm_mac_final(struct khsm_engine_ctx *ctx, u8 *out,
			  size_t *outlen)
{
	struct khsm_mac_ctx *c = to_mac(ctx);
	int err;

	if (c->base.fn != KHSM_FN_SIGN)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (!out) {
		*outlen = c->maclen;
		return CKR_OK;
	}
	if (*outlen < c->maclen) {
		*outlen = c->maclen;
		return CKR_BUFFER_TOO_SMALL;
	}
	err = khsm_mac_compute(c);
	if (!err) {
		memcpy(out, c->mac, c->maclen);
		*outlen = c->maclen;
	}
	memzero_explicit(c->mac, sizeof(c->mac));
	return khsm_errno_to_rv(err);
}

static u32 khsm_mac_verify_final(struct khsm_engine_ctx *ctx, const u8 *sig,
				 size_t siglen)
{
	struct khsm_mac_ctx *c = to_mac(ctx);
	u32 rv = CKR_OK;
	int err;

	if (c->base.fn != KHSM_FN_VERIFY)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (siglen != c->maclen)
		return CKR_SIGNATURE_LEN_RANGE;
	err = khsm_mac_compute(c);
	if (err)
		rv = khsm_errno_to_rv(err);
	else if (crypto_memneq(c->mac, sig, c->maclen))
		rv = CKR_SIGNATURE_INVALID;
	memzero_explicit(c->mac, sizeof(c->mac));
	return rv;
}

/* C_Sign, or C_Verify with out/outlen carrying the signature in */
static u32 khsm_mac_oneshot(struct khsm_engine_ctx *ctx, const u8 *in,
			    size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_mac_ctx *c = to_mac(ctx);
	u32 rv;

	if (c->base.fn == KHSM_FN_VERIFY) {
		if (*outlen != c->maclen)
			return CKR_SIGNATURE_LEN_RANGE;
		if (!out)
			return CKR_ARGUMENTS_BAD;
	} else if (!out || *outlen < c->maclen) {
		rv = out ? CKR_BUFFER_TOO_SMALL : CKR_OK;
		*outlen = c->maclen;
		return rv;
	}
	rv = khsm_mac_update(ctx, in, inlen, NULL, NULL);
	if (rv != CKR_OK)
		return rv;
	if (c->base.fn == KHSM_FN_VERIFY)
		return khsm_mac_verify_final(ctx, out, *outlen);
	return khsm_mac_final(ctx, out, outlen);
}

const struct khsm_engine_ops khsm_hmac_ops = {
	.init		= khsm_hmac_init,
	.update		= khsm_mac_update,
	.final		= khsm_mac_final,
	.verify_final	= khsm_mac_verify_final,
	.oneshot	= khsm_mac_oneshot,
	.free		= khsm_mac_free,
};

const struct khsm_engine_ops khsm_cmac_ops = {
	.init		= khsm_cmac_init,
	.update		= khsm_mac_update,
	.final		= khsm_mac_final,
	.verify_final	= khsm_mac_verify_final,
	.oneshot	= khsm_mac_oneshot,
	.free		= khsm_mac_free,
};
