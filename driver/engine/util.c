// SPDX-License-Identifier: GPL-2.0
/*
 * khsm engine helpers: transform allocation by driver-name preference
 * lists (never resolving to a khsm driver), scatterlists over kernel
 * buffers, synchronous skcipher passes, counter arithmetic.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>

#include "../ck.h"
#include "engine.h"

/* A transform that resolved to one of our own drivers would recurse. */
static bool khsm_tfm_is_ours(struct crypto_tfm *tfm)
{
	return strstr(crypto_tfm_alg_driver_name(tfm), "khsm");
}

#define KHSM_DEFINE_ALLOC(kind, type)					\
struct type *khsm_alloc_##kind(const char *const *names)		\
{									\
	struct type *tfm = ERR_PTR(-ENOENT);				\
									\
	for (; *names; names++) {					\
		tfm = crypto_alloc_##kind(*names, 0, 0);		\
		if (IS_ERR(tfm))					\
			continue;					\
		if (!khsm_tfm_is_ours(crypto_##kind##_tfm(tfm)))	\
			return tfm;					\
		crypto_free_##kind(tfm);				\
		tfm = ERR_PTR(-ELOOP);					\
	}								\
	return tfm;							\
}

/*
 * A digest or HMAC operation allocates its context at C_*Init and frees it
 * at the one-shot call: with the kernel's init_on_alloc (Debian's default)
 * and the zeroizing free, that was two clears and a slab round trip, a
 * tenth of a 64-byte C_Digest.  A context of up to KHSM_CTX_CHUNK bytes is
 * instead a whole chunk, zero when handed out; freeing clears the bytes
 * the context used and keeps the chunk in this CPU's stash if it is empty.
 * The stash only ever holds zeroes.
 */
static DEFINE_PER_CPU(void *, khsm_ctx_stash);

void *khsm_ctx_zalloc(size_t size)
{
	struct khsm_engine_ctx *c = NULL;

	if (size <= KHSM_CTX_CHUNK)
		c = this_cpu_xchg(khsm_ctx_stash, NULL);
	if (!c)
		c = kzalloc(max_t(size_t, size, KHSM_CTX_CHUNK), GFP_KERNEL);
	if (c)
		c->alloc = size;
	return c;
}

void khsm_ctx_free(struct khsm_engine_ctx *ctx)
{
	size_t size;

	if (!ctx)
		return;
	size = ctx->alloc;
	if (size > KHSM_CTX_CHUNK) {
		kfree_sensitive(ctx);
		return;
	}
	memzero_explicit(ctx, size);
	if (this_cpu_cmpxchg(khsm_ctx_stash, NULL, ctx))
		kfree(ctx);
}

/* At exit, with every context freed */
void khsm_ctx_stash_drain(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kfree(per_cpu(khsm_ctx_stash, cpu));
		per_cpu(khsm_ctx_stash, cpu) = NULL;
	}
}

KHSM_DEFINE_ALLOC(skcipher, crypto_skcipher)
KHSM_DEFINE_ALLOC(aead, crypto_aead)
KHSM_DEFINE_ALLOC(shash, crypto_shash)
KHSM_DEFINE_ALLOC(ahash, crypto_ahash)

/* Heap memory only: not the stack, not module data (neither maps to pages) */
static bool khsm_sg_ok(const void *p, size_t len)
{
	if (!len)
		return true;
	if (object_is_on_stack(p))
		return false;
	return is_vmalloc_addr(p) || virt_addr_valid(p);
}

static unsigned int khsm_sg_pieces(const void *p, size_t len)
{
	if (!len)
		return 0;
	if (is_vmalloc_addr(p))
		return DIV_ROUND_UP(offset_in_page(p) + len, PAGE_SIZE);
	return 1;
}

static struct scatterlist *khsm_sg_fill(struct scatterlist *sg,
					const void *p, size_t len)
{
	if (!len)
		return sg;
	if (!is_vmalloc_addr(p)) {
		sg_set_buf(sg, p, len);
		return sg + 1;
	}
	while (len) {
		size_t off = offset_in_page(p);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);

		sg_set_page(sg++, vmalloc_to_page(p), n, off);
		p += n;
		len -= n;
	}
	return sg;
}

int khsm_sgt_init(struct khsm_sgt *t, const void *a, size_t alen,
		  const void *b, size_t blen, const void *c, size_t clen)
{
	unsigned int n;
	struct scatterlist *sg;

	if (WARN_ON_ONCE(!khsm_sg_ok(a, alen) || !khsm_sg_ok(b, blen) ||
			 !khsm_sg_ok(c, clen)))
		return -EINVAL;

	n = khsm_sg_pieces(a, alen) + khsm_sg_pieces(b, blen) +
	    khsm_sg_pieces(c, clen);
	t->sg = t->inline_sg;
	if (n > KHSM_SGT_INLINE) {
		t->sg = kmalloc_array(n, sizeof(*t->sg), GFP_KERNEL);
		if (!t->sg)
			return -ENOMEM;
	}
	if (!n) {
		/* an empty request still needs one valid entry */
		sg_init_table(t->sg, 1);
		sg_set_page(t->sg, ZERO_PAGE(0), 0, 0);
		t->nents = 1;
		return 0;
	}
	sg_init_table(t->sg, n);
	sg = khsm_sg_fill(t->sg, a, alen);
	sg = khsm_sg_fill(sg, b, blen);
	khsm_sg_fill(sg, c, clen);
	t->nents = n;
	return 0;
}

void khsm_sgt_free(struct khsm_sgt *t)
{
	if (t->sg != t->inline_sg)
		kfree(t->sg);
	t->sg = NULL;
}

int khsm_skcipher_run(struct skcipher_request *req, bool enc,
		      const void *in, void *out, size_t len, u8 *iv)
{
	struct khsm_sgt src, dst;
	DECLARE_CRYPTO_WAIT(wait);
	int err;

	err = khsm_sgt_init(&src, in, len, NULL, 0, NULL, 0);
	if (err)
		return err;
	if (in != out) {
		err = khsm_sgt_init(&dst, out, len, NULL, 0, NULL, 0);
		if (err)
			goto out_src;
	}
	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				      CRYPTO_TFM_REQ_MAY_BACKLOG,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(req, src.sg, in != out ? dst.sg : src.sg,
				   len, iv);
	err = crypto_wait_req(enc ? crypto_skcipher_encrypt(req) :
			      crypto_skcipher_decrypt(req), &wait);
	if (in != out)
		khsm_sgt_free(&dst);
out_src:
	khsm_sgt_free(&src);
	return err;
}

void khsm_ctr_add(u8 ctr[KHSM_AES_BLOCK], u64 n)
{
	unsigned int carry = 0;
	int i;

	for (i = KHSM_AES_BLOCK - 1; i >= 0 && (n || carry); i--) {
		carry += ctr[i] + (unsigned int)(n & 0xff);
		ctr[i] = carry & 0xff;
		carry >>= 8;
		n >>= 8;
	}
}

u32 khsm_errno_to_rv(int err)
{
	switch (err) {
	case 0:
		return CKR_OK;
	case -ENOMEM:
		return CKR_HOST_MEMORY;
	case -EBADMSG:
		return CKR_ENCRYPTED_DATA_INVALID;
	default:
		return CKR_FUNCTION_FAILED;
	}
}
