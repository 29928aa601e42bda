// SPDX-License-Identifier: GPL-2.0
/*
 * CKM_AES_GCM (NIST SP 800-38D): C_Encrypt/C_Decrypt with CK_GCM_PARAMS, and
 * the PKCS#11 3.0 message API with CK_GCM_MESSAGE_PARAMS.
 *
 * Two paths:
 *  - whole messages with a 96-bit IV run on an AEAD transform of the
 *    fastest non-khsm implementation (generic-gcm-aesni first), straight on
 *    scatterlists over the caller's kernel buffers: no copies;
 *  - multi-part encryption (ciphertext streams out of every update) and
 *    IVs of other lengths run on the SP 800-38D construction itself: a CTR
 *    keystream with a 32-bit counter and a GHASH transform.
 * Multi-part decryption buffers the ciphertext (bounded) and releases
 * plaintext only at C_DecryptFinal, after the tag has verified.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <asm/unaligned.h>
#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/khsm.h>

#include "../ck.h"
#include "engine.h"

#define KHSM_GCM_IV96		12
#define KHSM_GCM_MAX_TEXT	((1ULL << 36) - 32)	/* SP 800-38D 5.2.1.1 */

static const char *const khsm_gcm_names[] = {
	"generic-gcm-aesni",
	"gcm_base(ctr-aes-aesni,ghash-clmulni)",
	"gcm_base(ctr(aes-fixed-time),ghash-generic)",
	"gcm_base(ctr(aes-generic),ghash-generic)",
	NULL
};

static const char *const khsm_rfc4106_names[] = {
	"rfc4106-gcm-aesni",
	"rfc4106(gcm_base(ctr-aes-aesni,ghash-clmulni))",
	"rfc4106(gcm_base(ctr(aes-generic),ghash-generic))",
	NULL
};

/* Engine cache tags of the shared transforms, one per tag length */
static const u8 khsm_gcm_kc_tags[KHSM_AES_BLOCK + 1];

static const char *const khsm_ghash_names[] = {
	"ghash-clmulni", "ghash-generic", NULL
};

struct crypto_aead *khsm_gcm_alloc_tfm(void)
{
	return khsm_alloc_aead(khsm_gcm_names);
}

struct crypto_aead *khsm_rfc4106_alloc_tfm(void)
{
	return khsm_alloc_aead(khsm_rfc4106_names);
}

int khsm_gcm_crypt(struct aead_request *req, bool enc, u8 *iv,
		   struct scatterlist *src, struct scatterlist *dst,
		   unsigned int assoclen, unsigned int cryptlen)
{
	DECLARE_CRYPTO_WAIT(wait);

	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, assoclen);
	aead_request_set_crypt(req, src, dst, cryptlen, iv);
	return crypto_wait_req(enc ? crypto_aead_encrypt(req) :
			       crypto_aead_decrypt(req), &wait);
}

struct khsm_gcm_ctx {
	struct khsm_engine_ctx base;
	bool enc;
	bool msg;			/* message API */
	bool streaming;			/* a multi-part encrypt has begun */
	unsigned int keylen;
	unsigned int taglen;		/* bytes */
	unsigned int ivlen;
	size_t aadlen;
	u8 key[32];
	u8 *iv;				/* CK_GCM_PARAMS IV, KHSM_GCM_MAX_IV */
	u8 *aad;			/* CK_GCM_PARAMS AAD */

	/* 96-bit-IV whole messages */
	struct crypto_aead *aead;	/* own, or shared's */
	struct khsm_kc_tfm *shared;	/* the key object's, for one taglen */
	struct aead_request *areq;
	unsigned int authsize;		/* set on aead */
	u8 aiv[KHSM_GCM_IV96];

	/* SP 800-38D construction */
	struct khsm_ctr_stream ctr;
	struct crypto_ahash *ghash;
	struct ahash_request *hreq;
	u64 ghashed;			/* bytes fed since the last pad */
	u64 textlen;
	u8 ej0[KHSM_AES_BLOCK];		/* E_K(J0), the tag mask */
	u8 blk[KHSM_AES_BLOCK];		/* scratch: lengths, digests */
	u8 zero[KHSM_AES_BLOCK];
	u8 lens[KHSM_AES_BLOCK];	/* [len(A)]_64 || [len(C)]_64 */
	u8 tag[KHSM_AES_BLOCK];		/* message API tag, in or out */

	/* multi-part decrypt: ciphertext || tag */
	u8 *dbuf;
	size_t dlen, dcap;
};

#define to_gcm(c) container_of(c, struct khsm_gcm_ctx, base)

static bool khsm_gcm_tag_bits_ok(u64 bits)
{
	switch (bits) {
	case 32: case 64: case 96: case 104: case 112: case 120: case 128:
		return true;
	}
	return false;
}

/* ---- the AEAD path ---- */

static int khsm_gcm_aead_get(struct khsm_gcm_ctx *c)
{
	int err;

	if (c->aead)
		return 0;
	c->aead = khsm_gcm_alloc_tfm();
	if (IS_ERR(c->aead)) {
		err = PTR_ERR(c->aead);
		c->aead = NULL;
		return err;
	}
	err = crypto_aead_setkey(c->aead, c->key, c->keylen);
	if (err)
		goto err_tfm;
	c->areq = aead_request_alloc(c->aead, GFP_KERNEL);
	if (!c->areq) {
		err = -ENOMEM;
		goto err_tfm;
	}
	c->authsize = 0;
	return 0;

err_tfm:
	crypto_free_aead(c->aead);
	c->aead = NULL;
	return err;
}

/*
 * C_EncryptInit/C_DecryptInit with a 96-bit IV and a key object: the
 * object's keyed transform for this tag length (engine cache @kc), or a new
 * one published there.  The tag length is fixed for the operation, so a
 * shared transform's authsize never changes.
 */
static int khsm_gcm_aead_shared(struct khsm_gcm_ctx *c,
				struct khsm_kcache_head *kc)
{
	u64 tag = (uintptr_t)&khsm_gcm_kc_tags[c->taglen];
	int err;

	c->shared = khsm_kc_tfm_get(kc, tag);
	if (c->shared) {
		c->aead = khsm_kc_tfm_aead(c->shared);
		c->authsize = c->taglen;
		c->areq = aead_request_alloc(c->aead, GFP_KERNEL);
		return c->areq ? 0 : -ENOMEM;
	}
	err = khsm_gcm_aead_get(c);
	if (err)
		return err;
	err = crypto_aead_setauthsize(c->aead, c->taglen);
	if (err)
		return err;
	c->authsize = c->taglen;
	c->shared = khsm_kc_tfm_add(kc, tag, NULL, c->aead);
	return 0;
}

/* ---- the SP 800-38D construction ---- */

static int khsm_ghash_do(struct khsm_gcm_ctx *c,
			 int (*op)(struct ahash_request *),
			 const void *p, size_t len)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct khsm_sgt t;
	int err;

	err = khsm_sgt_init(&t, p, len, NULL, 0, NULL, 0);
	if (err)
		return err;
	ahash_request_set_callback(c->hreq, CRYPTO_TFM_REQ_MAY_SLEEP |
				   CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &wait);
	ahash_request_set_crypt(c->hreq, t.sg, c->blk, len);
	err = crypto_wait_req(op(c->hreq), &wait);
	khsm_sgt_free(&t);
	return err;
}

static int khsm_ghash_update(struct khsm_gcm_ctx *c, const void *p, size_t len)
{
	if (!len)
		return 0;
	c->ghashed += len;
	return khsm_ghash_do(c, crypto_ahash_update, p, len);
}

/* Zero-pad what was fed since the last pad to a whole block */
static int khsm_ghash_pad(struct khsm_gcm_ctx *c)
{
	size_t pad = (KHSM_AES_BLOCK - c->ghashed % KHSM_AES_BLOCK) %
		     KHSM_AES_BLOCK;
	int err = khsm_ghash_update(c, c->zero, pad);

	c->ghashed = 0;
	return err;
}

/* Feed [a]_64 || [b]_64 and finish into c->blk */
static int khsm_ghash_finish(struct khsm_gcm_ctx *c, u64 a, u64 b)
{
	int err;

	err = khsm_ghash_pad(c);
	if (err)
		return err;
	put_unaligned_be64(a, c->lens);
	put_unaligned_be64(b, c->lens + 8);
	err = khsm_ghash_update(c, c->lens, KHSM_AES_BLOCK);
	if (err)
		return err;
	return khsm_ghash_do(c, crypto_ahash_final, NULL, 0);
}

static int khsm_gcm_soft_alloc(struct khsm_gcm_ctx *c)
{
	int err;

	if (c->hreq)
		return 0;
	err = khsm_ctr_stream_init(&c->ctr, c->key, c->keylen, c->zero, true);
	if (err)
		return err;
	c->ghash = khsm_alloc_ahash(khsm_ghash_names);
	if (IS_ERR(c->ghash)) {
		err = PTR_ERR(c->ghash);
		c->ghash = NULL;
		return err;	/* the stream is freed with the context */
	}
	/* H = E_K(0^128) */
	memset(c->blk, 0, sizeof(c->blk));
	err = khsm_ctr_stream_ecb1(&c->ctr, c->blk);
	if (!err)
		err = crypto_ahash_setkey(c->ghash, c->blk, KHSM_AES_BLOCK);
	memzero_explicit(c->blk, sizeof(c->blk));
	if (err)
		return err;
	c->hreq = ahash_request_alloc(c->ghash, GFP_KERNEL);
	return c->hreq ? 0 : -ENOMEM;
}

/* Start a message: J0 from the IV, E_K(J0), counter inc32(J0), GHASH(A) */
static int khsm_gcm_soft_start(struct khsm_gcm_ctx *c, const u8 *iv,
			       unsigned int ivlen, const u8 *aad,
			       size_t aadlen)
{
	u8 j0[KHSM_AES_BLOCK];
	int err;

	err = khsm_gcm_soft_alloc(c);
	if (err)
		return err;

	if (ivlen == KHSM_GCM_IV96) {
		memcpy(j0, iv, KHSM_GCM_IV96);
		put_unaligned_be32(1, j0 + KHSM_GCM_IV96);
	} else {
		c->ghashed = 0;
		err = khsm_ghash_do(c, crypto_ahash_init, NULL, 0);
		if (!err)
			err = khsm_ghash_update(c, iv, ivlen);
		if (!err)
			err = khsm_ghash_finish(c, 0, (u64)ivlen * 8);
		if (err)
			return err;
		memcpy(j0, c->blk, KHSM_AES_BLOCK);
	}

	memcpy(c->ej0, j0, KHSM_AES_BLOCK);
	err = khsm_ctr_stream_ecb1(&c->ctr, c->ej0);
	if (err)
		goto out;
	memcpy(c->ctr.ctr, j0, KHSM_AES_BLOCK);
	put_unaligned_be32(get_unaligned_be32(j0 + 12) + 1, c->ctr.ctr + 12);
	c->ctr.ks_used = KHSM_AES_BLOCK;

	c->ghashed = 0;
	c->textlen = 0;
	err = khsm_ghash_do(c, crypto_ahash_init, NULL, 0);
	if (!err)
		err = khsm_ghash_update(c, aad, aadlen);
	if (!err)
		err = khsm_ghash_pad(c);
out:
	memzero_explicit(j0, sizeof(j0));
	return err;
}

/* The full 16-byte tag of the message so far, into c->blk */
static int khsm_gcm_soft_tag(struct khsm_gcm_ctx *c, size_t aadlen)
{
	int err = khsm_ghash_finish(c, (u64)aadlen * 8, c->textlen * 8);

	if (!err)
		crypto_xor(c->blk, c->ej0, KHSM_AES_BLOCK);
	return err;
}

/*
 * One whole message.  Encrypt: @in is @textlen bytes, the ciphertext goes
 * to @out and the tag to @tag.  Decrypt: @in is the ciphertext, @tag the tag
 * to check; plaintext goes to @out only once the tag has verified.
 */
static u32 khsm_gcm_whole(struct khsm_gcm_ctx *c, bool enc,
			  const u8 *iv, unsigned int ivlen,
			  const u8 *aad, size_t aadlen, unsigned int taglen,
			  const u8 *in, size_t textlen, u8 *out, u8 *tag)
{
	struct khsm_sgt src, dst;
	int err;

	if (ivlen != KHSM_GCM_IV96)
		goto soft;

	err = khsm_gcm_aead_get(c);
	if (err)
		return khsm_errno_to_rv(err);
	if (c->authsize != taglen) {
		/* a shared transform never changes: its taglen is the op's */
		if (WARN_ON_ONCE(c->shared))
			return CKR_GENERAL_ERROR;
		err = crypto_aead_setauthsize(c->aead, taglen);
		if (err)
			return khsm_errno_to_rv(err);
		c->authsize = taglen;
	}
	memcpy(c->aiv, iv, KHSM_GCM_IV96);
	err = khsm_sgt_init(&src, aad, aadlen, in, textlen,
			    enc ? NULL : tag, enc ? 0 : taglen);
	if (err)
		return khsm_errno_to_rv(err);
	err = khsm_sgt_init(&dst, aad, aadlen, out, textlen,
			    enc ? tag : NULL, enc ? taglen : 0);
	if (err)
		goto out_src;
	err = khsm_gcm_crypt(c->areq, enc, c->aiv, src.sg, dst.sg, aadlen,
			     enc ? textlen : textlen + taglen);
	/* the implementation may have written plaintext before comparing */
	if (err && !enc)
		memzero_explicit(out, textlen);
	khsm_sgt_free(&dst);
out_src:
	khsm_sgt_free(&src);
	return khsm_errno_to_rv(err);

soft:
	err = khsm_gcm_soft_start(c, iv, ivlen, aad, aadlen);
	if (err)
		return khsm_errno_to_rv(err);
	c->textlen = textlen;
	if (enc) {
		err = khsm_ctr_stream_xor(&c->ctr, in, out, textlen);
		if (!err)
			err = khsm_ghash_update(c, out, textlen);
	} else {
		err = khsm_ghash_update(c, in, textlen);
	}
	if (!err)
		err = khsm_gcm_soft_tag(c, aadlen);
	if (err)
		goto soft_out;
	if (enc)
		memcpy(tag, c->blk, taglen);
	else if (crypto_memneq(c->blk, tag, taglen))
		err = -EBADMSG;
	else
		err = khsm_ctr_stream_xor(&c->ctr, in, out, textlen);
soft_out:
	memzero_explicit(c->blk, sizeof(c->blk));
	return khsm_errno_to_rv(err);
}

/* ---- the engine ops ---- */

static u32 khsm_gcm_read_params(struct khsm_gcm_ctx *c, const void *param,
				size_t plen)
{
	const struct khsm_gcm_params *p = param;

	if (!p || plen != sizeof(*p))
		return CKR_MECHANISM_PARAM_INVALID;
	if (!p->iv || p->iv_len < 1 || p->iv_len > KHSM_GCM_MAX_IV ||
	    p->aad_len > KHSM_GCM_MAX_AAD || (p->aad_len && !p->aad) ||
	    !khsm_gcm_tag_bits_ok(p->tag_bits))
		return CKR_MECHANISM_PARAM_INVALID;

	c->ivlen = p->iv_len;
	c->aadlen = p->aad_len;
	c->taglen = p->tag_bits / 8;
	c->iv = kmalloc(c->ivlen, GFP_KERNEL);
	if (!c->iv)
		return CKR_HOST_MEMORY;
	if (copy_from_user(c->iv, u64_to_user_ptr(p->iv), c->ivlen))
		return CKR_ARGUMENTS_BAD;
	if (c->aadlen) {
		c->aad = kmalloc(c->aadlen, GFP_KERNEL);
		if (!c->aad)
			return CKR_HOST_MEMORY;
		if (copy_from_user(c->aad, u64_to_user_ptr(p->aad), c->aadlen))
			return CKR_ARGUMENTS_BAD;
	}
	return CKR_OK;
}

static void khsm_gcm_free(struct khsm_engine_ctx *ctx)
{
	struct khsm_gcm_ctx *c = to_gcm(ctx);

	aead_request_free(c->areq);
	if (c->shared)
		khsm_kc_tfm_put(c->shared);
	else
		crypto_free_aead(c->aead);
	ahash_request_free(c->hreq);
	crypto_free_ahash(c->ghash);
	khsm_ctr_stream_free(&c->ctr);
	kfree_sensitive(c->iv);
	kfree_sensitive(c->aad);
	kvfree_sensitive(c->dbuf, c->dcap);
	kfree_sensitive(c);
}

static u32 khsm_gcm_init(const struct khsm_mech_row *m, u32 fn,
			 const void *param, size_t plen,
			 const u8 *key, size_t keylen,
			 struct khsm_kcache_head *kc,
			 struct khsm_engine_ctx **ctx)
{
	struct khsm_gcm_ctx *c;
	u32 rv;
	int err;

	if (keylen != 16 && keylen != 24 && keylen != 32)
		return CKR_KEY_SIZE_RANGE;
	switch (fn) {
	case KHSM_FN_ENCRYPT:
	case KHSM_FN_DECRYPT:
		break;
	case KHSM_FN_MSG_ENCRYPT:
	case KHSM_FN_MSG_DECRYPT:
		/* parameters come with each message; none (or ignored) here */
		if (plen && plen != sizeof(struct khsm_gcm_message_params))
			return CKR_MECHANISM_PARAM_INVALID;
		break;
	default:
		return CKR_MECHANISM_INVALID;
	}

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return CKR_HOST_MEMORY;
	c->base.mech = m;
	c->base.fn = fn;
	c->enc = fn == KHSM_FN_ENCRYPT || fn == KHSM_FN_MSG_ENCRYPT;
	c->msg = fn == KHSM_FN_MSG_ENCRYPT || fn == KHSM_FN_MSG_DECRYPT;
	c->keylen = keylen;
	memcpy(c->key, key, keylen);

	if (!c->msg) {
		rv = khsm_gcm_read_params(c, param, plen);
		if (rv != CKR_OK)
			goto err_free;
	}
	/* what the likely first call needs; everything that can fail here */
	if (c->msg)
		err = khsm_gcm_aead_get(c);
	else if (c->ivlen == KHSM_GCM_IV96)
		err = khsm_gcm_aead_shared(c, kc);
	else
		err = khsm_gcm_soft_alloc(c);
	if (err) {
		rv = khsm_errno_to_rv(err);
		goto err_free;
	}
	*ctx = &c->base;
	return CKR_OK;

err_free:
	khsm_gcm_free(&c->base);
	return rv;
}

static u32 khsm_gcm_out_check(size_t need, u8 *out, size_t *outlen)
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

static u32 khsm_gcm_buffer(struct khsm_gcm_ctx *c, const u8 *in, size_t inlen)
{
	size_t need = c->dlen + inlen;

	if (need > KHSM_GCM_MAX_BUFFERED)
		return CKR_ENCRYPTED_DATA_LEN_RANGE;
	if (need > c->dcap) {
		size_t cap = max_t(size_t, need, 2 * c->dcap);
		u8 *n;

		cap = min_t(size_t, max_t(size_t, cap, 4096),
			    KHSM_GCM_MAX_BUFFERED);
		n = kvmalloc(cap, GFP_KERNEL);
		if (!n)
			return CKR_HOST_MEMORY;
		if (c->dlen)
			memcpy(n, c->dbuf, c->dlen);
		kvfree_sensitive(c->dbuf, c->dcap);
		c->dbuf = n;
		c->dcap = cap;
	}
	memcpy(c->dbuf + c->dlen, in, inlen);
	c->dlen = need;
	return CKR_OK;
}

static u32 khsm_gcm_update(struct khsm_engine_ctx *ctx, const u8 *in,
			   size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_gcm_ctx *c = to_gcm(ctx);
	u32 rv;
	int err;

	if (c->msg)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (!c->enc) {		/* nothing is released before the tag */
		*outlen = 0;
		return out ? khsm_gcm_buffer(c, in, inlen) : CKR_OK;
	}

	rv = khsm_gcm_out_check(inlen, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;
	if (c->textlen + inlen > KHSM_GCM_MAX_TEXT)
		return CKR_DATA_LEN_RANGE;
	if (!c->streaming) {
		err = khsm_gcm_soft_start(c, c->iv, c->ivlen, c->aad,
					  c->aadlen);
		if (err)
			return khsm_errno_to_rv(err);
		c->streaming = true;
	}
	err = khsm_ctr_stream_xor(&c->ctr, in, out, inlen);
	if (!err)
		err = khsm_ghash_update(c, out, inlen);
	if (err)
		return khsm_errno_to_rv(err);
	c->textlen += inlen;
	*outlen = inlen;
	return CKR_OK;
}

static u32 khsm_gcm_final(struct khsm_engine_ctx *ctx, u8 *out,
			  size_t *outlen)
{
	struct khsm_gcm_ctx *c = to_gcm(ctx);
	size_t text;
	u32 rv;
	int err;

	if (c->msg)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (c->enc) {
		rv = khsm_gcm_out_check(c->taglen, out, outlen);
		if (rv != CKR_OK || !out)
			return rv;
		if (!c->streaming) {	/* an empty message */
			rv = khsm_gcm_whole(c, true, c->iv, c->ivlen, c->aad,
					    c->aadlen, c->taglen, c->zero, 0,
					    c->zero, c->tag);
			if (rv == CKR_OK)
				memcpy(out, c->tag, c->taglen);
		} else {
			err = khsm_gcm_soft_tag(c, c->aadlen);
			if (!err)
				memcpy(out, c->blk, c->taglen);
			memzero_explicit(c->blk, sizeof(c->blk));
			rv = khsm_errno_to_rv(err);
		}
		if (rv == CKR_OK)
			*outlen = c->taglen;
		return rv;
	}

	if (c->dlen < c->taglen)
		return CKR_ENCRYPTED_DATA_LEN_RANGE;
	text = c->dlen - c->taglen;
	rv = khsm_gcm_out_check(text, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;
	rv = khsm_gcm_whole(c, false, c->iv, c->ivlen, c->aad, c->aadlen,
			    c->taglen, c->dbuf, text, out, c->dbuf + text);
	if (rv == CKR_OK)
		*outlen = text;
	return rv;
}

static u32 khsm_gcm_oneshot(struct khsm_engine_ctx *ctx, const u8 *in,
			    size_t inlen, u8 *out, size_t *outlen)
{
	struct khsm_gcm_ctx *c = to_gcm(ctx);
	size_t need;
	u32 rv;

	if (c->msg)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (c->enc) {
		need = inlen + c->taglen;
	} else {
		if (inlen < c->taglen)
			return CKR_ENCRYPTED_DATA_LEN_RANGE;
		need = inlen - c->taglen;
	}
	rv = khsm_gcm_out_check(need, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;
	if (c->enc)
		rv = khsm_gcm_whole(c, true, c->iv, c->ivlen, c->aad,
				    c->aadlen, c->taglen, in, inlen, out,
				    out + inlen);
	else
		rv = khsm_gcm_whole(c, false, c->iv, c->ivlen, c->aad,
				    c->aadlen, c->taglen, in, need, out,
				    (u8 *)in + need);
	if (rv == CKR_OK)
		*outlen = need;
	return rv;
}

/* Fill the IV after its first @fixed_bits bits with DRBG output */
static u32 khsm_gcm_gen_iv(u8 *iv, unsigned int ivlen, u64 fixed_bits)
{
	unsigned int fb = fixed_bits / 8, rb = fixed_bits % 8;
	u8 keep = fb < ivlen ? iv[fb] : 0;
	u32 rv;

	rv = khsm_rng_generate(iv + fb, ivlen - fb);
	if (rv != CKR_OK)
		return rv;
	if (rb)	/* the leading rb bits of byte fb are fixed too */
		iv[fb] = (keep & (0xff00 >> rb)) | (iv[fb] & (0xff >> rb));
	return CKR_OK;
}

static u32 khsm_gcm_message(struct khsm_engine_ctx *ctx, const void *param,
			    size_t plen, const u8 *aad, size_t aadlen,
			    const u8 *in, size_t inlen, u8 *out,
			    size_t *outlen)
{
	struct khsm_gcm_ctx *c = to_gcm(ctx);
	const struct khsm_gcm_message_params *p = param;
	u8 __user *uiv, *utag;
	unsigned int ivlen, taglen;
	bool generate = false;
	u8 *iv;
	u32 rv;

	if (!c->msg)
		return CKR_FUNCTION_NOT_SUPPORTED;
	if (!p || plen != sizeof(*p) || !p->iv || !p->tag ||
	    p->iv_len < 1 || p->iv_len > KHSM_GCM_MAX_IV ||
	    p->iv_fixed_bits > p->iv_len * 8 ||
	    !khsm_gcm_tag_bits_ok(p->tag_bits))
		return CKR_MECHANISM_PARAM_INVALID;
	/* decryption takes the IV as given, whatever produced it */
	if (c->enc) {
		switch (p->iv_generator) {
		case KHSM_CKG_NO_GENERATE:
			break;
		case KHSM_CKG_GENERATE_RANDOM:
			generate = true;
			break;
		default:
			return CKR_MECHANISM_PARAM_INVALID;
		}
	}

	rv = khsm_gcm_out_check(inlen, out, outlen);
	if (rv != CKR_OK || !out)
		return rv;

	ivlen = p->iv_len;
	taglen = p->tag_bits / 8;
	uiv = u64_to_user_ptr(p->iv);
	utag = u64_to_user_ptr(p->tag);
	iv = kmalloc(ivlen, GFP_KERNEL);
	if (!iv)
		return CKR_HOST_MEMORY;
	if (copy_from_user(iv, uiv, ivlen)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	if (generate) {
		rv = khsm_gcm_gen_iv(iv, ivlen, p->iv_fixed_bits);
		if (rv != CKR_OK)
			goto out;
	}
	if (!c->enc && copy_from_user(c->tag, utag, taglen)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}

	rv = khsm_gcm_whole(c, c->enc, iv, ivlen, aad, aadlen, taglen,
			    in, inlen, out, c->tag);
	/* 3.0 names its own code for a message that fails authentication */
	if (rv == CKR_ENCRYPTED_DATA_INVALID && !c->enc)
		rv = CKR_AEAD_DECRYPT_FAILED;
	if (rv != CKR_OK)
		goto out;
	if (c->enc && (copy_to_user(utag, c->tag, taglen) ||
		       (generate && copy_to_user(uiv, iv, ivlen)))) {
		memzero_explicit(out, inlen);
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	*outlen = inlen;
out:
	memzero_explicit(c->tag, sizeof(c->tag));
	kfree_sensitive(iv);
	return rv;
}

const struct khsm_engine_ops khsm_gcm_ops = {
	.init		= khsm_gcm_init,
	.update		= khsm_gcm_update,
	.final		= khsm_gcm_final,
	.oneshot	= khsm_gcm_oneshot,
	.message	= khsm_gcm_message,
	.free		= khsm_gcm_free,
};
