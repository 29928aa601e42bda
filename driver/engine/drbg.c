// SPDX-License-Identifier: GPL-2.0
/*
 * Random numbers: the kernel's SP 800-90A CTR_DRBG (AES-256), allocated by
 * driver name at probe and instantiated with fresh entropy (the kernel's
 * entropy pool and jitterentropy) and a personalization string.
 *
 * C_SeedRandom reseeds: the DRBG takes fresh entropy again, with the
 * caller's seed as additional input, so a caller's seed can only add to
 * the state's unpredictability, never replace it.  The DRBG serializes its
 * callers with its own mutex.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <crypto/rng.h>

#include "../ck.h"
#include "engine.h"

static const char *const khsm_drbg_names[] = {
	"drbg_nopr_ctr_aes256", "drbg_pr_ctr_aes256", NULL
};

static const u8 khsm_drbg_pers[] = "khsm CTR_DRBG";

static struct crypto_rng *khsm_drbg;

int khsm_drbg_init(void)
{
	const char *const *name;
	struct crypto_rng *rng = ERR_PTR(-ENOENT);
	int err;

	for (name = khsm_drbg_names; *name; name++) {
		rng = crypto_alloc_rng(*name, 0, 0);
		if (!IS_ERR(rng))
			break;
	}
	if (IS_ERR(rng)) {
		pr_err("khsm: no CTR_DRBG: %ld\n", PTR_ERR(rng));
		return PTR_ERR(rng);
	}
	err = crypto_rng_reset(rng, khsm_drbg_pers, sizeof(khsm_drbg_pers));
	if (err) {
		crypto_free_rng(rng);
		return err;
	}
	khsm_drbg = rng;
	return 0;
}

void khsm_drbg_exit(void)
{
	crypto_free_rng(khsm_drbg);	/* uninstantiates, zeroizing V and K */
	khsm_drbg = NULL;
}

u32 khsm_rng_generate(u8 *buf, size_t len)
{
	if (!khsm_drbg)
		return CKR_RANDOM_NO_RNG;
	if (len > UINT_MAX)
		return CKR_ARGUMENTS_BAD;
	if (crypto_rng_get_bytes(khsm_drbg, buf, len))
		return CKR_FUNCTION_FAILED;
	return CKR_OK;
}

u32 khsm_rng_seed(const u8 *seed, size_t len)
{
	if (!khsm_drbg)
		return CKR_RANDOM_NO_RNG;
	if (!len)
		return CKR_OK;
	if (len > UINT_MAX)
		return CKR_ARGUMENTS_BAD;
	if (crypto_rng_reset(khsm_drbg, seed, len))
		return CKR_FUNCTION_FAILED;
	return CKR_OK;
}
