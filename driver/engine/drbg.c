// SPDX-License-Identifier: GPL-2.0
/*
 * Random numbers: the kernel's SP 800-90A CTR_DRBG (AES-256), allocated by
 * driver name at probe and instantiated with fresh entropy (the kernel's
 * entropy pool and jitterentropy) and a personalization string.
 *
 * One DRBG instance per possible CPU (up to KHSM_DRBG_MAX, then CPUs share
 * instances modulo that count), each instantiated separately with its own
 * entropy and a personalization string naming its index.  A caller uses
 * the instance of the CPU it runs on; each instance serializes its callers
 * with the DRBG's own mutex, so callers only meet on a lock when one
 * migrates between picking an instance and taking it (or CPUs share one).
 * There is no global lock on this path.
 *
 * C_SeedRandom reseeds every instance: each takes fresh entropy again, with
 * the caller's seed as additional input, so a caller's seed can only add to
 * the states' unpredictability, never replace them, and every later
 * output, on whatever CPU, follows the reseed.
 *
 * Small requests (keys, IVs, nonces: up to KHSM_RNG_SMALL bytes) are served
 * from KHSM_RNG_AHEAD bytes that the instance generated in one request, as
 * the kernel's own get_random_bytes() batches do: a CTR_DRBG request costs
 * an AES key schedule and an FPU state save however little it returns,
 * which was most of the time of a 32-byte C_GenerateRandom.  Every byte is
 * handed out once and wiped as it is; a reseed makes every instance drop
 * what it holds (khsm_rng_gen), so no byte generated before a
 * C_SeedRandom is served after it returns.  The bytes held are no more
 * exposed than the DRBG state beside them, which would predict them anyway.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <crypto/rng.h>

#include "../ck.h"
#include "engine.h"

#define KHSM_DRBG_MAX	64
#define KHSM_RNG_AHEAD	2048
#define KHSM_RNG_SMALL	64

static const char *const khsm_drbg_names[] = {
	"drbg_nopr_ctr_aes256", "drbg_pr_ctr_aes256", NULL
};

struct khsm_drbg {
	struct crypto_rng *rng;
	struct mutex lock;		/* ahead, pos, gen */
	unsigned int pos;		/* first byte not yet served */
	unsigned int gen;		/* khsm_rng_gen when generated */
	u8 ahead[KHSM_RNG_AHEAD];
};

static struct khsm_drbg *khsm_drbg;
static unsigned int khsm_drbg_count;
static atomic_t khsm_rng_gen;		/* C_SeedRandom calls */

static struct crypto_rng *khsm_drbg_alloc(unsigned int idx)
{
	const char *const *name;
	struct crypto_rng *rng = ERR_PTR(-ENOENT);
	char pers[32];
	int len, err;

	for (name = khsm_drbg_names; *name; name++) {
		rng = crypto_alloc_rng(*name, 0, 0);
		if (!IS_ERR(rng))
			break;
	}
	if (IS_ERR(rng))
		return rng;
	len = scnprintf(pers, sizeof(pers), "khsm CTR_DRBG %u", idx);
	err = crypto_rng_reset(rng, (const u8 *)pers, len);
	if (err) {
		crypto_free_rng(rng);
		return ERR_PTR(err);
	}
	return rng;
}

static void khsm_drbg_free_all(void)
{
	unsigned int i;

	for (i = 0; i < khsm_drbg_count; i++) {
		crypto_free_rng(khsm_drbg[i].rng);	/* zeroizes V and K */
		mutex_destroy(&khsm_drbg[i].lock);
	}
	kfree_sensitive(khsm_drbg);		/* and what was ahead */
	khsm_drbg = NULL;
	khsm_drbg_count = 0;
}

int khsm_drbg_init(void)
{
	unsigned int n = min_t(unsigned int, nr_cpu_ids, KHSM_DRBG_MAX);
	struct crypto_rng *rng;

	khsm_drbg = kcalloc(n, sizeof(*khsm_drbg), GFP_KERNEL);
	if (!khsm_drbg)
		return -ENOMEM;
	while (khsm_drbg_count < n) {
		rng = khsm_drbg_alloc(khsm_drbg_count);
		if (IS_ERR(rng)) {
			pr_err("khsm: no CTR_DRBG: %ld\n", PTR_ERR(rng));
			khsm_drbg_free_all();
			return PTR_ERR(rng);
		}
		khsm_drbg[khsm_drbg_count].rng = rng;
		mutex_init(&khsm_drbg[khsm_drbg_count].lock);
		khsm_drbg[khsm_drbg_count].pos = KHSM_RNG_AHEAD;	/* empty */
		khsm_drbg_count++;
	}
	return 0;
}

void khsm_drbg_exit(void)
{
	khsm_drbg_free_all();
}

/* This CPU's instance; migrating afterwards only costs a shared lock */
static struct khsm_drbg *khsm_drbg_this_cpu(void)
{
	return &khsm_drbg[raw_smp_processor_id() % khsm_drbg_count];
}

/* @len <= KHSM_RNG_SMALL bytes from what @d generated ahead */
static u32 khsm_rng_small(struct khsm_drbg *d, u8 *buf, size_t len)
{
	unsigned int gen = atomic_read(&khsm_rng_gen);
	u32 rv = CKR_OK;

	mutex_lock(&d->lock);
	if (d->gen != gen || d->pos + len > KHSM_RNG_AHEAD) {
		memzero_explicit(d->ahead, sizeof(d->ahead));
		d->pos = KHSM_RNG_AHEAD;
		if (crypto_rng_get_bytes(d->rng, d->ahead, sizeof(d->ahead))) {
			rv = CKR_FUNCTION_FAILED;
			goto out;
		}
		d->pos = 0;
		d->gen = gen;
	}
	memcpy(buf, d->ahead + d->pos, len);
	memzero_explicit(d->ahead + d->pos, len);
	d->pos += len;
out:
	mutex_unlock(&d->lock);
	return rv;
}

u32 khsm_rng_generate(u8 *buf, size_t len)
{
	struct khsm_drbg *d;

	if (!khsm_drbg_count)
		return CKR_RANDOM_NO_RNG;
	if (len > UINT_MAX)
		return CKR_ARGUMENTS_BAD;
	d = khsm_drbg_this_cpu();
	if (len <= KHSM_RNG_SMALL)
		return khsm_rng_small(d, buf, len);
	if (crypto_rng_get_bytes(d->rng, buf, len))
		return CKR_FUNCTION_FAILED;
	return CKR_OK;
}

u32 khsm_rng_seed(const u8 *seed, size_t len)
{
	u32 rv = CKR_OK;
	unsigned int i;

	if (!khsm_drbg_count)
		return CKR_RANDOM_NO_RNG;
	if (!len)
		return CKR_OK;
	if (len > UINT_MAX)
		return CKR_ARGUMENTS_BAD;
	/* every instance, even past a failure: as many as can take it */
	for (i = 0; i < khsm_drbg_count; i++)
		if (crypto_rng_reset(khsm_drbg[i].rng, seed, len))
			rv = CKR_FUNCTION_FAILED;
	/* after the reseeds: bytes generated before them are dropped */
	atomic_inc(&khsm_rng_gen);
	return rv;
}
