// SPDX-License-Identifier: GPL-2.0
/*
 * CKM_AES_ECB, CKM_AES_CBC, CKM_AES_CBC_PAD and CKM_AES_CTR (NIST SP 800-38A,
 * PKCS#7 padding for CBC_PAD), multi-part: ECB and CBC carry a partial block
 * across updates; CBC_PAD decrypt holds the last block back until final;
 * CTR streams and refuses to wrap its counter field (ulCounterBits).
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/algapi.h>
#include <crypto/skcipher.h>
#include <linux/khsm.h>

#include "../ck.h"
#include "engine.h"

static const char *const khsm_ecb_names[] = {
	"ecb-aes-aesni", "ecb(aes-fixed-time)", "ecb(aes-generic)", NULL
};

static const char *const khsm_cbc_names[] = {
	"cbc-aes-aesni", "cbc(aes-fixed-time)", "cbc(aes-generic)", NULL
};

static const char *const khsm_ctr_names[] = {
	"ctr-aes-aesni", "ctr(aes-fixed-time)", "ctr(aes-generic)", NULL
};

struct khsm_aes_ctx {
	struct khsm_engine_ctx base;
	u64 mode;			/* CKM_AES_* */
	bool enc;
	struct crypto_skcipher *tfm;	/* ECB, CBC: own, or */
	struct khsm_kc_tfm *shared;	/* the key object's */
	struct skcipher_request *req;
	struct khsm_ctr_stream ctr;	/* CTR */
	u64 ctr_left;			/* blocks the counter may still take */
	u8 iv[KHSM_AES_BLOCK];		/* CBC chaining value */
	u8 buf[KHSM_AES_BLOCK];		/* partial (or held-back) block */
	unsigned int buflen;
	u8 tmp[KHSM_AES_BLOCK];		/* scratch, heap for scatterlists */
	u8 tmpiv[KHSM_AES_BLOCK];
};

#define to_aes(c) container_of(c, struct khsm_aes_ctx, base)

/* ---- CTR keystream, also used by the GCM engine ---- */

int khsm_ctr_stream_init(struct khsm_ctr_stream *s, const u8 *key,
			 size_t keylen, const u8 ctr[KHSM_AES_BLOCK],
			 bool inc32)
{
	int err;

	s->tfm = khsm_alloc_skcipher(khsm_ctr_names);
	if (IS_ERR(s->tfm)) {
		err = PTR_ERR(s->tfm);
		s->tfm = NULL;
		return err;
	}
	err = crypto_skcipher_setkey(s->tfm, key, keylen);
	if (err)
		goto err_tfm;
	s->req = skcipher_request_alloc(s->tfm, GFP_KERNEL);
	if (!s->req) {
		err = -ENOMEM;
		goto err_tfm;
	}
	memcpy(s->ctr, ctr, KHSM_AES_BLOCK);
	s->ks_used = KHSM_AES_BLOCK;
	s->inc32 = inc32;
	return 0;

err_tfm:
	crypto_free_skcipher(s->tfm);
	s->tfm = NULL;
	return err;
}

void khsm_ctr_stream_free(struct khsm_ctr_stream *s)
{
	skcipher_request_free(s->req);	/* kfree_sensitive */
	crypto_free_skcipher(s->tfm);	/* NULL-safe, zeroizes the schedule */
	s->req = NULL;
	s->tfm = NULL;
	memzero_explicit(s->ks, sizeof(s->ks));
	memzero_explicit(s->ctr, sizeof(s->ctr));
}

static void khsm_ctr_advance(struct khsm_ctr_stream *s, u64 blocks)
{
	if (s->inc32) {
		u32 lo = get_unaligned_be32(s->ctr + 12);

		put_unaligned_be32(lo + (u32)blocks, s->ctr + 12);
	} else {
		khsm_ctr_add(s->ctr, blocks);
	}
}

/* Run whole blocks from s->ctr on, never carrying out of a 32-bit counter */
static int khsm_ctr_blocks(struct khsm_ctr_stream *s, const u8 *in, u8 *out,
			   size_t blocks)
{
	u8 iv[KHSM_AES_BLOCK];
	int err;

	while (blocks) {
		size_t n = blocks;

		if (s->inc32) {
			u64 room = (1ULL << 32) - get_unaligned_be32(s->ctr + 12);

			n = min_t(u64, n, room);
		}
		memcpy(iv, s->ctr, sizeof(iv));
		err = khsm_skcipher_run(s->req, true, in, out,
					n * KHSM_AES_BLOCK, iv);
		if (err)
			return err;
		khsm_ctr_advance(s, n);
		in += n * KHSM_AES_BLOCK;
		out += n * KHSM_AES_BLOCK;
		blocks -= n;
	}
	return 0;
}

int khsm_ctr_stream_xor(struct khsm_ctr_stream *s, const u8 *in, u8 *out,
			size_t len)
{
	size_t n = min_t(size_t, len, KHSM_AES_BLOCK - s->ks_used);
	size_t blocks;
	int err;

	crypto_xor_cpy(out, in, s->ks + s->ks_used, n);
	s->ks_used += n;
	in += n;
	out += n;
	len -= n;

	blocks = len / KHSM_AES_BLOCK;
	err = khsm_ctr_blocks(s, in, out, blocks);
	if (err)
		return err;
	in += blocks * KHSM_AES_BLOCK;
	out += blocks * KHSM_AES_BLOCK;
	len -= blocks * KHSM_AES_BLOCK;

	if (len) {
		memset(s->ks, 0, sizeof(s->ks));
		err = khsm_ctr_blocks(s, s->ks, s->ks, 1);
		if (err)
			return err;
		crypto_xor_cpy(out, in, s->ks, len);
		s->ks_used = len;
	}
	return 0;
}

int khsm_ctr_stream_ecb1(struct khsm_ctr_stream *s, u8 *block)
{
	u8 iv[KHSM_AES_BLOCK];
	int err;

	/* E_K(x) is the CTR keystream of a zero block at counter x */
	memcpy(iv, block, sizeof(iv));
	memset(block, 0, KHSM_AES_BLOCK);
	err = khsm_skcipher_run(s->req, true, block, block, KHSM_AES_BLOCK, iv);
	memzero_explicit(iv, sizeof(iv));
	return err;
}

/* 2^counter_bits minus the counter field's value, saturated to U64_MAX */
static u64 khsm_ctr_room(const u8 cb[KHSM_AES_BLOCK], unsigned int bits)
{
	u64 hi = get_unaligned_be64(cb);
	u64 lo = get_unaligned_be64(cb + 8);
	u64 hmask;

	if (bits < 64)
		return ((1ULL << bits) - 1 - (lo & ((1ULL << bits) - 1))) + 1;
	if (bits > 64) {
		hmask = bits == 128 ? ~0ULL : (1ULL << (bits - 64)) - 1;
		if ((hi & hmask) != hmask)
			return U64_MAX;
	}
	return lo ? -lo : U64_MAX;
}

/* ---- the engine ops ---- */

static u32 khsm_aes_len_rv(const struct khsm_aes_ctx *c)
{
	return c->enc ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE;
}

/*
 * The keyed ECB or CBC transform of @key: the key object's shared one
 * (engine cache @kc, tagged with the name list), or a new one, published
 * there if there is a cache.
 */
static int khsm_aes_tfm(struct khsm_aes_ctx *c, const char *const *names,
			const u8 *key, size_t keylen,
			struct khsm_kcache_head *kc)
{
	u64 tag = (uintptr_t)names;
	struct crypto_skcipher *tfm;
	int err;

	c->shared = khsm_kc_tfm_get(kc, tag);
	if (c->shared) {
		tfm = khsm_kc_tfm_skcipher(c->shared);
	} else {
		tfm = khsm_alloc_skcipher(names);
		if (IS_ERR(tfm))
			return PTR_ERR(tfm);
		err = crypto_skcipher_setkey(tfm, key, keylen);
		if (err) {
			crypto_free_skcipher(tfm);
			return err;
		}
		c->shared = khsm_kc_tfm_add(kc, tag, tfm, NULL);
		if (!c->shared)
			c->tfm = tfm;
	}
	c->req = skcipher_request_alloc(tfm, GFP_KERNEL);
	return c->req ? 0 : -ENOMEM;
}

static u32 khsm_aes_init(const struct khsm_mech_row *m, u32 fn,
			 const void *param, size_t plen,
			 const u8 *key, size_t keylen,
			 struct khsm_kcache_head *kc,
			 struct khsm_engine_ctx **ctx)
{
	const struct khsm_aes_ctr_params *cp = param;
	const char *const *names;
	struct khsm_aes_ctx *c;
	int err;

	if (fn != KHSM_FN_ENCRYPT && fn != KHSM_FN_DECRYPT)
		return CKR_MECHANISM_INVALID;
	if (keylen != 16 && keylen != 24 && keylen != 32)
		return CKR_KEY_SIZE_RANGE;

	switch (m->type) {
	case CKM_AES_ECB:
		if (plen)
			return CKR_MECHANISM_PARAM_INVALID;
		names = khsm_ecb_names;
		break;
	case CKM_AES_CBC:
	case CKM_AES_CBC_PAD:
		if (!param || plen != KHSM_AES_BLOCK)
			return CKR_MECHANISM_PARAM_INVALID;
		names = khsm_cbc_names;
		break;
	case CKM_AES_CTR:
		if (!param || plen != sizeof(*cp) ||
		    cp->counter_bits < 1 || cp->counter_bits > 128)
			return CKR_MECHANISM_PARAM_INVALID;
		names = NULL;
		break;
	default:
		return CKR_MECHANISM_INVALID;
	}

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return CKR_HOST_MEMORY;
	c->base.mech = m;
	c->base.fn = fn;
	c->mode = m->type;
	c->enc = fn == KHSM_FN_ENCRYPT;

	if (!names) {
		err = khsm_ctr_stream_init(&c->ctr, key, keylen, cp->cb, false);
		if (err)
			goto err_free;
		c->ctr_left = khsm_ctr_room(cp->cb, cp->counter_bits);
		*ctx = &c->base;
		return CKR_OK;
	}

	err = khsm_aes_tfm(c, names, key, keylen, kc);
	if (err)
		goto err_tfm;
	if (plen)
		memcpy(c->iv, param, KHSM_AES_BLOCK);
	*ctx = &c->base;
	return CKR_OK;

err_tfm:
	skcipher_request_free(c->req);
	crypto_free_skcipher(c->tfm);
	khsm_kc_tfm_put(c->shared);
err_free:
	kfree_sensitive(c);
	return khsm_errno_to_rv(err);
}

static void khsm_aes_free(struct khsm_engine_ctx *ctx)
{
	struct khsm_aes_ctx *c = to_aes(ctx);

	if (c->mode == CKM_AES_CTR) {
		khsm_ctr_stream_free(&c->ctr);
	} else {
		skcipher_request_free(c->req);	/* kfree_sensitive */
		crypto_free_skcipher(c->tfm);
		khsm_kc_tfm_put(c->shared);
	}
	kfree_sensitive(c);
}

/* ECB/CBC over whole blocks, keeping the CBC chaining value in c->iv */
static int khsm_aes_blocks(struct khsm_aes_ctx *c, const u8 *in, u8 *out,
			   size_t len)
{
	bool cbc = c->mode != CKM_AES_ECB;
	int err;

	if (!len)
		return 0;
	if (cbc && !c->enc)	/* in may be out: save the next IV first */
		memcpy(c->tmpiv, in + len - KHSM_AES_BLOCK, KHSM_AES_BLOCK);
	err = khsm_skcipher_run(c->req, c->enc, in, out, len,
				cbc ? c->iv : NULL);
	if (err)
		return err;
	if (cbc)
		memcpy(c->iv, c->enc ? out + len - KHSM_AES_BLOCK : c->tmpiv,
		       KHSM_AES_BLOCK);
	return 0;
}

static u32 khsm_aes_out_check(size_t need, u8 *out, size_t *outlen)
{
	if (!out) {
		*outlen = need;
		return CKR_OK;
	}
	if (*outlen < need) {
		*outlen = need;
		return CKR_BUFFER_TOO_SMALL;
	}
	return CKR_OK;
}

static u32 khsm_aes_ctr_update(struct khsm_aes_ctx *c, const u8 *in,
			       size_t inlen, u8 *out, size_t *outlen)
{
	size_t avail = KHSM_AES_BLOCK - c->ctr.ks_used;
	u64 blocks = 0;
	u32 rv;

	rv = khsm_aes_out_check(inlen, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;
	if (inlen > avail)
		blocks = DIV_ROUND_UP(inlen - avail, KHSM_AES_BLOCK);
	if (blocks > c->ctr_left)
		return khsm_aes_len_rv(c);
	c->ctr_left -= blocks;
	*outlen = inlen;
	return khsm_errno_to_rv(khsm_ctr_stream_xor(&c->ctr, in, out, inlen));
}

static u32 khsm_aes_update(struct khsm_engine_ctx *ctx, const u8 *in,
			   size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_aes_ctx *c = to_aes(ctx);
	size_t total, process, done = 0, bulk;
	u32 rv;
	int err;

	if (c->mode == CKM_AES_CTR)
		return khsm_aes_ctr_update(c, in, inlen, out, outlen);

	total = c->buflen + inlen;
	if (c->mode == CKM_AES_CBC_PAD && !c->enc)	/* hold 1..16 back */
		process = total ? rounddown(total - 1, KHSM_AES_BLOCK) : 0;
	else
		process = rounddown(total, KHSM_AES_BLOCK);

	rv = khsm_aes_out_check(process, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;

	if (c->buflen && process) {
		size_t take = KHSM_AES_BLOCK - c->buflen;

		memcpy(c->buf + c->buflen, in, take);
		err = khsm_aes_blocks(c, c->buf, out, KHSM_AES_BLOCK);
		if (err)
			return khsm_errno_to_rv(err);
		in += take;
		inlen -= take;
		c->buflen = 0;
		done = KHSM_AES_BLOCK;
	}
	bulk = process - done;
	err = khsm_aes_blocks(c, in, out + done, bulk);
	if (err)
		return khsm_errno_to_rv(err);
	memcpy(c->buf + c->buflen, in + bulk, inlen - bulk);
	c->buflen += inlen - bulk;
	*outlen = process;
	return CKR_OK;
}

/*
 * Check PKCS#7 padding of the last block without branching on its bytes.
 * Returns the pad length, or 0 when the padding is invalid.
 */
static unsigned int khsm_pad_len(const u8 blk[KHSM_AES_BLOCK])
{
	unsigned int p = blk[KHSM_AES_BLOCK - 1];
	unsigned int diff = 0, i, bad;

	for (i = 0; i < KHSM_AES_BLOCK; i++) {
		/* all ones when byte i lies in the pad: 15 - i < p */
		unsigned int in_pad = 0U - (((KHSM_AES_BLOCK - 1 - i) - p) >> 31);

		diff |= (blk[i] ^ p) & in_pad;
	}
	bad = ((p - 1U) >> 31) | ((16U - p) >> 31) | ((0U - diff) >> 31);
	return p & (bad - 1U);
}

/* Decrypt the held-back last block into c->tmp; returns the pad length */
static int khsm_aes_unpad(struct khsm_aes_ctx *c, const u8 *blk,
			  const u8 *prev, unsigned int *pad)
{
	int err;

	memcpy(c->tmpiv, prev, KHSM_AES_BLOCK);
	memcpy(c->tmp, blk, KHSM_AES_BLOCK);
	err = khsm_skcipher_run(c->req, false, c->tmp, c->tmp,
				KHSM_AES_BLOCK, c->tmpiv);
	if (err)
		return err;
	*pad = khsm_pad_len(c->tmp);
	return 0;
}

static u32 khsm_aes_final(struct khsm_engine_ctx *ctx, u8 *out,
			  size_t *outlen)
{
	struct khsm_aes_ctx *c = to_aes(ctx);
	unsigned int pad;
	size_t need;
	u32 rv;
	int err;

	switch (c->mode) {
	case CKM_AES_CTR:
		*outlen = 0;
		return CKR_OK;
	case CKM_AES_ECB:
	case CKM_AES_CBC:
		if (c->buflen)
			return khsm_aes_len_rv(c);
		*outlen = 0;
		return CKR_OK;
	}

	if (c->enc) {	/* CBC_PAD encrypt: pad and emit the last block */
		rv = khsm_aes_out_check(KHSM_AES_BLOCK, out, outlen);
		if (rv != CKR_OK || !out)
			return rv;
		pad = KHSM_AES_BLOCK - c->buflen;
		memset(c->buf + c->buflen, pad, pad);
		err = khsm_aes_blocks(c, c->buf, out, KHSM_AES_BLOCK);
		if (err)
			return khsm_errno_to_rv(err);
		c->buflen = 0;
		*outlen = KHSM_AES_BLOCK;
		return CKR_OK;
	}

	if (c->buflen != KHSM_AES_BLOCK)
		return CKR_ENCRYPTED_DATA_LEN_RANGE;
	err = khsm_aes_unpad(c, c->buf, c->iv, &pad);
	if (err)
		return khsm_errno_to_rv(err);
	if (!pad) {
		rv = CKR_ENCRYPTED_DATA_INVALID;
		goto out;
	}
	need = KHSM_AES_BLOCK - pad;
	rv = khsm_aes_out_check(need, out, outlen);
	if (rv != CKR_OK || !out)
		goto out;
	memcpy(out, c->tmp, need);
	*outlen = need;
	c->buflen = 0;
out:
	memzero_explicit(c->tmp, sizeof(c->tmp));
	return rv;
}

/* Exact output length of a one-shot call on a fresh context */
static u32 khsm_aes_oneshot_len(struct khsm_aes_ctx *c, const u8 *in,
				size_t inlen, size_t *need)
{
	unsigned int pad;
	int err;

	switch (c->mode) {
	case CKM_AES_CTR:
		if (DIV_ROUND_UP((u64)inlen, KHSM_AES_BLOCK) > c->ctr_left)
			return khsm_aes_len_rv(c);
		*need = inlen;
		return CKR_OK;
	case CKM_AES_ECB:
	case CKM_AES_CBC:
		if (inlen % KHSM_AES_BLOCK)
			return khsm_aes_len_rv(c);
		*need = inlen;
		return CKR_OK;
	}
	if (c->enc) {
		*need = rounddown(inlen, KHSM_AES_BLOCK) + KHSM_AES_BLOCK;
		return CKR_OK;
	}
	if (!inlen || inlen % KHSM_AES_BLOCK)
		return CKR_ENCRYPTED_DATA_LEN_RANGE;
	err = khsm_aes_unpad(c, in + inlen - KHSM_AES_BLOCK,
			     inlen > KHSM_AES_BLOCK ?
			     in + inlen - 2 * KHSM_AES_BLOCK : c->iv, &pad);
	memzero_explicit(c->tmp, sizeof(c->tmp));
	if (err)
		return khsm_errno_to_rv(err);
	if (!pad)
		return CKR_ENCRYPTED_DATA_INVALID;
	*need = inlen - pad;
	return CKR_OK;
}

static u32 khsm_aes_oneshot(struct khsm_engine_ctx *ctx, const u8 *in,
			    size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_aes_ctx *c = to_aes(ctx);
	size_t need = 0, n1, n2;
	u32 rv;

	rv = khsm_aes_oneshot_len(c, in, inlen, &need);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_aes_out_check(need, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;
	n1 = *outlen;
	rv = khsm_aes_update(ctx, in, inlen, out, &n1);
	if (rv != CKR_OK)
		return rv;
	n2 = *outlen - n1;
	rv = khsm_aes_final(ctx, out + n1, &n2);
	if (rv != CKR_OK)
		return rv;
	*outlen = n1 + n2;
	return CKR_OK;
}

const struct khsm_engine_ops khsm_aes_ops = {
	.init		= khsm_aes_init,
	.update		= khsm_aes_update,
	.final		= khsm_aes_final,
	.oneshot	= khsm_aes_oneshot,
	.free		= khsm_aes_free,
};
