/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules the compliance report states twice, once for encryption
 * (ENCRYPT-1, -3, -4, -6) and once for decryption (DECRYPT-1, -2, -3, -5):
 * each is written here once, over a direction (the C_Encrypt* or the
 * C_Decrypt* functions and the CBC vector the right way round), and the
 * tests named by the report's IDs call it.
 */
#ifndef CIPHER_RULES_H
#define CIPHER_RULES_H

#include "p11_test.h"

typedef CK_RV (*cipher_init_fn)(CK_SESSION_HANDLE, CK_MECHANISM_PTR,
				CK_OBJECT_HANDLE);
typedef CK_RV (*cipher_data_fn)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG,
				CK_BYTE_PTR, CK_ULONG_PTR);

struct cipher_dir {
	cipher_init_fn init;
	cipher_data_fn oneshot;		/* C_Encrypt / C_Decrypt */
	cipher_data_fn update;		/* C_EncryptUpdate / C_DecryptUpdate */
	const unsigned char *in, *out;	/* 32 bytes each: the CBC vector */
	int exact_len;			/* a short buffer reports exactly 32 */
};

/* After P11_SETUP: p11 is the module's function list */
#define ENCRYPT_DIR							\
	((struct cipher_dir){ p11->C_EncryptInit, p11->C_Encrypt,	\
			      p11->C_EncryptUpdate, kat_cbc_pt, kat_cbc_ct, 1 })
#define DECRYPT_DIR							\
	((struct cipher_dir){ p11->C_DecryptInit, p11->C_Decrypt,	\
			      p11->C_DecryptUpdate, kat_cbc_ct, kat_cbc_pt, 0 })

/*
 * An update after a one-shot call that kept the operation (a length query,
 * CKR_BUFFER_TOO_SMALL) is CKR_OPERATION_ACTIVE, and so is a one-shot call
 * after an update; after a one-shot call that gave its output, an update
 * is CKR_OPERATION_NOT_INITIALIZED.  The outputs are the known answer.
 */
static inline void cipher_rule_oneshot_update(struct __test_metadata *_metadata,
					      struct p11c *c,
					      const struct cipher_dir *d)
{
	CK_MECHANISM m = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	CK_BYTE_PTR in = (CK_BYTE_PTR)d->in;
	unsigned char out[64];
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE k;
	CK_ULONG n;

	k = AES_KEY(c->s, K_CRYPT);

	s = NEW_SESSION(c);
	ASSERT_OK(d->init(s, &m, k));
	n = 0;
	ASSERT_OK(d->oneshot(s, in, 32, NULL, &n));
	ASSERT_LE(32UL, n);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE, d->update(s, in, 16, out, &n));

	s = NEW_SESSION(c);
	ASSERT_OK(d->init(s, &m, k));
	n = 8;
	ASSERT_RV(CKR_BUFFER_TOO_SMALL, d->oneshot(s, in, 32, out, &n));
	if (d->exact_len) {
		ASSERT_EQ(32UL, n);
	} else {
		ASSERT_LE(32UL, n);
	}
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE, d->update(s, in, 16, out, &n));

	s = NEW_SESSION(c);
	ASSERT_OK(d->init(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(d->update(s, in, 16, out, &n));
	ASSERT_EQ(16UL, n);
	ASSERT_MEM(d->out, out, 16);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE, d->oneshot(s, in, 32, out, &n));

	s = NEW_SESSION(c);
	ASSERT_OK(d->init(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(d->oneshot(s, in, 32, out, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(d->out, out, 32);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  d->update(s, in, 16, out, &n));
}

/*
 * A mechanism that does not encrypt or decrypt is CKR_MECHANISM_INVALID at
 * init: a digest, a MAC with the right key type, key generation, unknown
 * mechanisms, CKM_AES_KEY_WRAP where the token lacks it.
 */
static inline void cipher_rule_mech_invalid(struct __test_metadata *_metadata,
					    struct p11c *c,
					    const struct cipher_dir *d)
{
	static const CK_MECHANISM_TYPE bad[] = {
		CKM_SHA256, CKM_AES_CMAC, CKM_AES_KEY_GEN,
		CKM_VENDOR_DEFINED | 0x4b48534d, 0x7ffffff0UL,
	};
	CK_MECHANISM ok = MECH(CKM_AES_ECB);
	CK_OBJECT_HANDLE k;
	size_t i;

	k = AES_KEY(c->s, K_CRYPT | K_MAC);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		CK_MECHANISM m = MECH(bad[i]);

		EXPECT_RV_LOG(CKR_MECHANISM_INVALID, d->init(c->s, &m, k),
			      "mechanism 0x%lx", bad[i]);
	}
	if (!p11_has_mech(c->slot, CKM_AES_KEY_WRAP)) {
		CK_MECHANISM m = MECH(CKM_AES_KEY_WRAP);

		EXPECT_RV(CKR_MECHANISM_INVALID, d->init(c->s, &m, k));
	}
	ASSERT_OK(d->init(c->s, &ok, k));
}

/*
 * Parameters inconsistent with the mechanism are
 * CKR_MECHANISM_PARAM_INVALID at init: GCM with a zero or NULL IV, a tag
 * over 128 bits, a wrong parameter size, no parameter; CBC with a short IV
 * or none; CTR with more than 128 counter bits; ECB with a parameter.  A
 * session each: a wrongly accepted init would stay active.  Ends with
 * @k initialised in c->s for AES-GCM with kat_gcm_params().
 */
static inline void cipher_rule_param_invalid(struct __test_metadata *_metadata,
					     struct p11c *c,
					     const struct cipher_dir *d,
					     CK_OBJECT_HANDLE k)
{
	CK_GCM_PARAMS g0 = kat_gcm_params(), gnull = g0, gtag = g0;
	CK_AES_CTR_PARAMS ctr;
	struct {
		const char *what;
		CK_MECHANISM m;
	} bad[] = {
		{ "GCM IV length 0", MECH_P(CKM_AES_GCM, &g0) },
		{ "GCM IV NULL", MECH_P(CKM_AES_GCM, &gnull) },
		{ "GCM tag 136 bits", MECH_P(CKM_AES_GCM, &gtag) },
		{ "GCM short param", { CKM_AES_GCM, &gtag,
				       sizeof(CK_GCM_PARAMS) - 8 } },
		{ "GCM no param", MECH(CKM_AES_GCM) },
		{ "CBC 15-byte IV", { CKM_AES_CBC, (void *)kat_cbc_iv, 15 } },
		{ "CBC no IV", MECH(CKM_AES_CBC) },
		{ "CBC_PAD 17-byte IV", { CKM_AES_CBC_PAD,
					  (void *)kat_gcm_pt, 17 } },
		{ "CBC_PAD no IV", MECH(CKM_AES_CBC_PAD) },
		{ "CTR 129 counter bits", MECH_P(CKM_AES_CTR, &ctr) },
		{ "ECB with a parameter", { CKM_AES_ECB, (void *)kat_cbc_iv,
					    16 } },
	};
	CK_GCM_PARAMS good = kat_gcm_params();
	CK_MECHANISM ok = MECH_P(CKM_AES_GCM, &good);
	size_t i;

	g0.ulIvLen = 0;
	g0.ulIvBits = 0;
	gnull.pIv = NULL;
	gtag.ulTagBits = 136;
	memset(&ctr, 0, sizeof(ctr));
	ctr.ulCounterBits = 129;

	for (i = 0; i < P11_ARRAY_SIZE(bad); i++)
		EXPECT_RV_LOG(CKR_MECHANISM_PARAM_INVALID,
			      d->init(NEW_SESSION(c), &bad[i].m, k),
			      "%s", bad[i].what);
	ASSERT_OK(d->init(c->s, &ok, k));
}

/*
 * When neither the mechanism nor the key type fits (CKM_RSA_X9_31_KEY_PAIR_GEN
 * with an AES key, a MAC with a generic secret), the answer is
 * CKR_MECHANISM_INVALID, not CKR_KEY_TYPE_INCONSISTENT.
 */
static inline void cipher_rule_neither_fits(struct __test_metadata *_metadata,
					    struct p11c *c,
					    const struct cipher_dir *d)
{
	static const struct {
		CK_MECHANISM_TYPE mech;
		int generic;	/* else the AES key */
	} bad[] = {
		{ CKM_RSA_X9_31_KEY_PAIR_GEN, 0 },
		{ CKM_RSA_PKCS_KEY_PAIR_GEN, 0 },
		{ CKM_SHA256_HMAC, 0 },
		{ CKM_ECDSA, 0 },
		{ CKM_SHA256_HMAC, 1 },
		{ CKM_GENERIC_SECRET_KEY_GEN, 1 },
		{ CKM_RSA_X9_31_KEY_PAIR_GEN, 1 },
	};
	CK_OBJECT_HANDLE ka, kg;
	size_t i;

	ka = AES_KEY(c->s, K_CRYPT | K_MAC);
	kg = HMAC_KEY(c->s, K_CRYPT | K_MAC);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		CK_MECHANISM m = MECH(bad[i].mech);

		EXPECT_RV_LOG(CKR_MECHANISM_INVALID,
			      d->init(c->s, &m, bad[i].generic ? kg : ka),
			      "mechanism 0x%lx with the %s key", bad[i].mech,
			      bad[i].generic ? "generic" : "AES");
	}
}

#endif /* CIPHER_RULES_H */
