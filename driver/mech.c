// SPDX-License-Identifier: GPL-2.0
/*
 * khsm mechanism table: one row per CKM_* (see mech.h).  C_GetMechanismList
 * and C_GetMechanismInfo are generated from it; operation init finds its
 * engine here.  CK_MECHANISM_INFO flags name only the functions khsm serves
 * (PKCS#11 3.0 current mechanisms); key sizes are in bytes except where the
 * specification gives bits (generic secret key generation).
 */
#include <linux/crypto.h>
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/khsm.h>

#include "ck.h"
#include "mech.h"
#include "engine/engine.h"

#define FN_CRYPT	(KHSM_FN_ENCRYPT | KHSM_FN_DECRYPT)
#define FN_MAC		(KHSM_FN_SIGN | KHSM_FN_VERIFY)
#define CKF_CRYPT	(CKF_ENCRYPT | CKF_DECRYPT)
#define CKF_MAC		(CKF_SIGN | CKF_VERIFY)
#define NO_KEY		(~0ULL)

#define ROW(ckm, f, kt, kmin, kmax, flags, plen, eops) {		\
	.type = ckm, .fns = f, .key_type = kt,				\
	.min_key = kmin, .max_key = kmax, .info_flags = flags,		\
	.param_len = plen, .ops = eops, .name = #ckm }

#define AES_ROW(ckm, f, flags, plen, eops) \
	ROW(ckm, f, CKK_AES, 16, 32, flags, plen, eops)
#define SHA_ROW(ckm) \
	ROW(ckm, KHSM_FN_DIGEST, NO_KEY, 0, 0, CKF_DIGEST, KHSM_PARAM_NONE, \
	    &khsm_digest_ops)
/* HMAC keys: any length (RFC 2104); bounded by an attribute's length */
#define HMAC_ROW(ckm, plen) \
	ROW(ckm, FN_MAC, CKK_GENERIC_SECRET, 1, KHSM_MAX_ATTR_LEN, CKF_MAC, \
	    plen, &khsm_hmac_ops)

static const struct khsm_mech_row khsm_mechs[] = {
	AES_ROW(CKM_AES_KEY_GEN, KHSM_FN_GENERATE, CKF_GENERATE,
		KHSM_PARAM_NONE, NULL),
	{
		.type = CKM_GENERIC_SECRET_KEY_GEN, .fns = KHSM_FN_GENERATE,
		.key_type = CKK_GENERIC_SECRET, .min_key = 1, .max_key = 512,
		.info_flags = CKF_GENERATE, .param_len = KHSM_PARAM_NONE,
		.name = "CKM_GENERIC_SECRET_KEY_GEN", .info_key_bits = true,
	},
	AES_ROW(CKM_AES_ECB, FN_CRYPT, CKF_CRYPT, KHSM_PARAM_NONE,
		&khsm_aes_ops),
	AES_ROW(CKM_AES_CBC, FN_CRYPT, CKF_CRYPT, KHSM_AES_BLOCK,
		&khsm_aes_ops),
	AES_ROW(CKM_AES_CBC_PAD, FN_CRYPT, CKF_CRYPT, KHSM_AES_BLOCK,
		&khsm_aes_ops),
	AES_ROW(CKM_AES_CTR, FN_CRYPT, CKF_CRYPT,
		sizeof(struct khsm_aes_ctr_params), &khsm_aes_ops),
	/* CK_GCM_PARAMS for C_Encrypt*, none at C_MessageEncryptInit */
	AES_ROW(CKM_AES_GCM,
		FN_CRYPT | KHSM_FN_MSG_ENCRYPT | KHSM_FN_MSG_DECRYPT,
		CKF_CRYPT | CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT,
		KHSM_PARAM_ANY, &khsm_gcm_ops),
	AES_ROW(CKM_AES_CMAC, FN_MAC, CKF_MAC, KHSM_PARAM_NONE,
		&khsm_cmac_ops),
	AES_ROW(CKM_AES_CMAC_GENERAL, FN_MAC, CKF_MAC, sizeof(u64),
		&khsm_cmac_ops),
	SHA_ROW(CKM_SHA_1),
	SHA_ROW(CKM_SHA224),
	SHA_ROW(CKM_SHA256),
	SHA_ROW(CKM_SHA384),
	SHA_ROW(CKM_SHA512),
	HMAC_ROW(CKM_SHA_1_HMAC, KHSM_PARAM_NONE),
	HMAC_ROW(CKM_SHA_1_HMAC_GENERAL, sizeof(u64)),
	HMAC_ROW(CKM_SHA224_HMAC, KHSM_PARAM_NONE),
	HMAC_ROW(CKM_SHA224_HMAC_GENERAL, sizeof(u64)),
	HMAC_ROW(CKM_SHA256_HMAC, KHSM_PARAM_NONE),
	HMAC_ROW(CKM_SHA256_HMAC_GENERAL, sizeof(u64)),
	HMAC_ROW(CKM_SHA384_HMAC, KHSM_PARAM_NONE),
	HMAC_ROW(CKM_SHA384_HMAC_GENERAL, sizeof(u64)),
	HMAC_ROW(CKM_SHA512_HMAC, KHSM_PARAM_NONE),
	HMAC_ROW(CKM_SHA512_HMAC_GENERAL, sizeof(u64)),
};

const struct khsm_mech_row *khsm_mech_find(u64 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_mechs); i++)
		if (khsm_mechs[i].type == type)
			return &khsm_mechs[i];
	return NULL;
}

size_t khsm_mech_count(void)
{
	return ARRAY_SIZE(khsm_mechs);
}

const struct khsm_mech_row *khsm_mech_at(size_t i)
{
	return i < ARRAY_SIZE(khsm_mechs) ? &khsm_mechs[i] : NULL;
}

void khsm_mech_info(const struct khsm_mech_row *m, u64 *min_key_size,
		    u64 *max_key_size, u64 *flags)
{
	unsigned int unit = m->info_key_bits ? 8 : 1;

	*min_key_size = (u64)m->min_key * unit;
	*max_key_size = (u64)m->max_key * unit;
	*flags = m->info_flags;
}

/*
 * The fast implementations the engine asks for by driver name live in
 * modules that nothing else may have loaded yet (they carry no aliases for
 * their driver names).
 */
MODULE_SOFTDEP("pre: aesni-intel ghash-clmulni-intel sha1-ssse3 sha256-ssse3 sha512-ssse3 gcm ctr cmac drbg");

static void khsm_engine_preload(void)
{
	static const char *const mods[] = {
		"aesni-intel", "ghash-clmulni-intel", "sha256-ssse3",
		"sha512-ssse3", "sha1-ssse3",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mods); i++)
		request_module("%s", mods[i]);	/* best effort */
	/* no AES-NI: the table-free fixed-time AES rather than aes-generic */
	if (!crypto_has_alg("aes-aesni", 0, 0))
		request_module("aes_ti");
}

int khsm_engine_init(void)
{
	int err;

	khsm_engine_preload();
	err = khsm_sha_init();
	if (err)
		return err;
	err = khsm_drbg_init();
	if (err)
		goto err_sha;
	return 0;

err_sha:
	khsm_sha_exit();
	return err;
}

void khsm_engine_exit(void)
{
	khsm_drbg_exit();
	khsm_sha_exit();
}
