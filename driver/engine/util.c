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
#include <linux/workqueue.h>
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
/*
 * Keyed transforms kept with the key object (its engine cache), shared by
 * every operation with that key: allocating and keying a transform per
 * C_EncryptInit was a quarter of a 1 KiB GCM encryption.  Once published a
 * transform never changes (key and tag length are set before), and the
 * crypto API lets any number of requests use one keyed transform at once.
 * The cache holds a reference and every context using the transform
 * another, since an operation may outlive the key object.  The last
 * reference frees the transform (which zeroizes its key schedule) from a
 * work item: objects are freed from RCU callbacks, and freeing a transform
 * is not promised to be safe there.
 */
struct khsm_kc_tfm {
	struct khsm_kcache kc;
	refcount_t ref;
	struct crypto_skcipher *sk;	/* one of the two */
	struct crypto_aead *aead;
	struct work_struct work;
};

/* What a cached transform is charged: its contexts, with the wrappers */
#define KHSM_KC_TFM_CHARGE	PAGE_SIZE

static void khsm_kc_tfm_free_work(struct work_struct *work)
{
	struct khsm_kc_tfm *e = container_of(work, struct khsm_kc_tfm, work);

	crypto_free_skcipher(e->sk);
	crypto_free_aead(e->aead);
	kfree(e);
}

void khsm_kc_tfm_put(struct khsm_kc_tfm *e)
{
	if (e && refcount_dec_and_test(&e->ref))
		khsm_kcache_defer(&e->work);
}

static void khsm_kc_tfm_cache_free(struct khsm_kcache *kc)
{
	khsm_kc_tfm_put(container_of(kc, struct khsm_kc_tfm, kc));
}

struct khsm_kc_tfm *khsm_kc_tfm_get(struct khsm_kcache_head *kc, u64 tag)
{
	const struct khsm_kcache *hit = kc ? khsm_kcache_find(kc, tag) : NULL;
	struct khsm_kc_tfm *e;

	if (!hit)
		return NULL;
	e = container_of((struct khsm_kcache *)hit, struct khsm_kc_tfm, kc);
	refcount_inc(&e->ref);	/* the cache's is held: the caller has the key */
	return e;
}

struct khsm_kc_tfm *khsm_kc_tfm_add(struct khsm_kcache_head *kc, u64 tag,
				    struct crypto_skcipher *sk,
				    struct crypto_aead *aead)
{
	struct khsm_kc_tfm *e;

	if (!kc)
		return NULL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->kc.tag = tag;
	e->kc.free = khsm_kc_tfm_cache_free;
	refcount_set(&e->ref, 2);	/* the cache's and the caller's */
	e->sk = sk;
	e->aead = aead;
	INIT_WORK(&e->work, khsm_kc_tfm_free_work);
	if (!khsm_kcache_add(kc, &e->kc, KHSM_KC_TFM_CHARGE)) {
		kfree(e);
		return NULL;
	}
	return e;
}

struct crypto_skcipher *khsm_kc_tfm_skcipher(struct khsm_kc_tfm *e)
{
	return e->sk;
}

struct crypto_aead *khsm_kc_tfm_aead(struct khsm_kc_tfm *e)
{
	return e->aead;
}

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
