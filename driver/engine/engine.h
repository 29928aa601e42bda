/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khsm engine internals shared by the files of driver/engine/ and mech.c.
 *
 * Every engine context starts with struct khsm_engine_ctx; each engine
 * embeds it first and gets its own state back with container_of().
 *
 * Transforms are allocated by crypto API *driver* name from preference
 * lists (fastest first), and every allocation is checked not to have
 * resolved to a khsm driver: khsm registers gcm(aes), rfc4106(gcm(aes))
 * and hmac(sha*) itself (issue 8) and must never end up calling itself.
 */
#ifndef _KHSM_ENGINE_H
#define _KHSM_ENGINE_H

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/scatterlist.h>
#include "../mech.h"

struct crypto_skcipher;
struct skcipher_request;
struct crypto_aead;
struct crypto_shash;
struct crypto_ahash;

struct khsm_engine_ctx {
	const struct khsm_mech_row *mech;
	u32 fn;			/* one KHSM_FN_* bit */
	u32 alloc;		/* bytes, when from khsm_ctx_zalloc() */
};

/* PKCS#11 3.0 values that ck.h does not carry (yet) */
#ifndef CKF_MESSAGE_ENCRYPT
#define CKF_MESSAGE_ENCRYPT		BIT_ULL(1)
#define CKF_MESSAGE_DECRYPT		BIT_ULL(2)
#define CKF_MESSAGE_SIGN		BIT_ULL(3)
#define CKF_MESSAGE_VERIFY		BIT_ULL(4)
#define CKF_MULTI_MESSAGE		BIT_ULL(5)
#endif
#define KHSM_CKG_NO_GENERATE		0
#define KHSM_CKG_GENERATE		1
#define KHSM_CKG_GENERATE_COUNTER	2
#define KHSM_CKG_GENERATE_RANDOM	3

#define KHSM_AES_BLOCK		16

/* Bounds of the engine; past them the CK_RV named applies */
#define KHSM_GCM_MAX_IV		256		/* MECHANISM_PARAM_INVALID */
#define KHSM_GCM_MAX_AAD	(64 * 1024)	/* MECHANISM_PARAM_INVALID */
/* ciphertext+tag a multi-part GCM decrypt buffers: ENCRYPTED_DATA_LEN_RANGE */
#define KHSM_GCM_MAX_BUFFERED	SZ_1M

/* ---- util.c ---- */
/*
 * Engine contexts of up to KHSM_CTX_CHUNK bytes (the hash engines') from a
 * one-chunk stash per CPU; the context begins with khsm_engine_ctx.
 */
#define KHSM_CTX_CHUNK		512
void *khsm_ctx_zalloc(size_t size);
void khsm_ctx_free(struct khsm_engine_ctx *ctx);	/* zeroizes */
struct crypto_skcipher *khsm_alloc_skcipher(const char *const *names);
struct crypto_aead *khsm_alloc_aead(const char *const *names);
struct crypto_shash *khsm_alloc_shash(const char *const *names);
struct crypto_ahash *khsm_alloc_ahash(const char *const *names);

/*
 * A keyed transform shared through a key object's engine cache @kc, by
 * @tag.  get: the cached one with a reference for the caller, or NULL.
 * add: publish @sk or @aead (keyed, final) and return it with the
 * caller's reference, which then owns nothing else; NULL (and the caller
 * keeps the transform) without a cache, memory, or room under
 * max_object_memory.  put: drop a reference (NULL-safe).
 */
struct khsm_kc_tfm;
struct khsm_kc_tfm *khsm_kc_tfm_get(struct khsm_kcache_head *kc, u64 tag);
struct khsm_kc_tfm *khsm_kc_tfm_add(struct khsm_kcache_head *kc, u64 tag,
				    struct crypto_skcipher *sk,
				    struct crypto_aead *aead);
void khsm_kc_tfm_put(struct khsm_kc_tfm *e);
struct crypto_skcipher *khsm_kc_tfm_skcipher(struct khsm_kc_tfm *e);
struct crypto_aead *khsm_kc_tfm_aead(struct khsm_kc_tfm *e);

/*
 * A scatterlist over up to three kernel buffers (kmalloc'd or vmalloc'd,
 * never on the stack), e.g. AAD || data || tag for an AEAD request.
 * Zero-length pieces are skipped.
 */
#define KHSM_SGT_INLINE	8
struct khsm_sgt {
	struct scatterlist *sg;
	unsigned int nents;
	struct scatterlist inline_sg[KHSM_SGT_INLINE];
};

int khsm_sgt_init(struct khsm_sgt *t, const void *a, size_t alen,
		  const void *b, size_t blen, const void *c, size_t clen);
void khsm_sgt_free(struct khsm_sgt *t);

/* One synchronous skcipher pass (waits for an async driver) */
int khsm_skcipher_run(struct skcipher_request *req, bool enc,
		      const void *in, void *out, size_t len, u8 *iv);

/* Big-endian counter arithmetic on a 16-byte block */
void khsm_ctr_add(u8 ctr[KHSM_AES_BLOCK], u64 n);

/* CK_RV for a crypto API errno */
u32 khsm_errno_to_rv(int err);

/* ---- aes.c: a CTR keystream that streams across calls ---- */
struct khsm_ctr_stream {
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	u8 ctr[KHSM_AES_BLOCK];	/* next counter block */
	u8 ks[KHSM_AES_BLOCK];	/* keystream of the block before ctr */
	unsigned int ks_used;	/* bytes of ks consumed; 16: none left */
	bool inc32;		/* GCM: only the low 32 bits count (wrap) */
};

int khsm_ctr_stream_init(struct khsm_ctr_stream *s, const u8 *key,
			 size_t keylen, const u8 ctr[KHSM_AES_BLOCK],
			 bool inc32);
int khsm_ctr_stream_xor(struct khsm_ctr_stream *s, const u8 *in, u8 *out,
			size_t len);
/* E_K(block) with the stream's key (block must be heap memory) */
int khsm_ctr_stream_ecb1(struct khsm_ctr_stream *s, u8 *block);
void khsm_ctr_stream_free(struct khsm_ctr_stream *s);

extern const struct khsm_engine_ops khsm_aes_ops;	/* ECB/CBC/PAD/CTR */

/* ---- gcm.c ---- */
extern const struct khsm_engine_ops khsm_gcm_ops;

/*
 * The GCM core, shared with the crypto API registrations (issue 8).
 * khsm_gcm_alloc_tfm()/khsm_rfc4106_alloc_tfm() return an unkeyed AEAD
 * transform on the fastest non-khsm implementation (generic-gcm-aesni
 * first).  khsm_gcm_crypt() runs one whole request, allocated on such a
 * keyed transform, synchronously on scatterlists: src = AAD || text
 * (|| tag on decrypt), dst = AAD || text (|| tag on encrypt); @iv is 12
 * bytes; -EBADMSG on a tag mismatch.  An async registration forwards its
 * requests to the same transform with its own completion instead.
 */
struct crypto_aead *khsm_gcm_alloc_tfm(void);
struct crypto_aead *khsm_rfc4106_alloc_tfm(void);
struct aead_request;
int khsm_gcm_crypt(struct aead_request *req, bool enc, u8 *iv,
		   struct scatterlist *src, struct scatterlist *dst,
		   unsigned int assoclen, unsigned int cryptlen);

/* ---- sha.c: digests over shared, unkeyed hash transforms ---- */
extern const struct khsm_engine_ops khsm_digest_ops;
int khsm_sha_init(void);
void khsm_sha_exit(void);
/* The shared transform of CKM_SHA*, CKM_SHA*_HMAC(_GENERAL), or NULL */
struct crypto_shash *khsm_sha_tfm(u64 ckm);

/* ---- mac.c: HMAC (RFC 2104, over khsm_sha_tfm) and CMAC (SP 800-38B) ---- */
extern const struct khsm_engine_ops khsm_hmac_ops;
extern const struct khsm_engine_ops khsm_cmac_ops;

/* ---- drbg.c ---- */
int khsm_drbg_init(void);
void khsm_drbg_exit(void);

#endif /* _KHSM_ENGINE_H */
