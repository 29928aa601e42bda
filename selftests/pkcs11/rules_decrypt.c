// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Decryption Functions": DECRYPT-1 .. DECRYPT-5.
 * RSA-OAEP parameter checks (DECRYPT-3's second case) come with RSA.
 */
#include "kselftest_harness.h"
#include "p11_test.h"

/*
 * DECRYPT-1: C_DecryptUpdate after a successful C_Decrypt that kept the
 * operation (length query, CKR_BUFFER_TOO_SMALL) is CKR_OPERATION_ACTIVE,
 * and so is C_Decrypt after C_DecryptUpdate; after a C_Decrypt that gave
 * its output, C_DecryptUpdate is CKR_OPERATION_NOT_INITIALIZED.
 */
TEST(DECRYPT_1)
{
	CK_MECHANISM m = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	unsigned char out[64];
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE k;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT);

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DecryptInit(s, &m, k));
	n = 0;
	ASSERT_OK(p11->C_Decrypt(s, (CK_BYTE_PTR)kat_cbc_ct, 32, NULL, &n));
	ASSERT_LE(32UL, n);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_DecryptUpdate(s, (CK_BYTE_PTR)kat_cbc_ct, 16, out,
				       &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DecryptInit(s, &m, k));
	n = 8;
	ASSERT_RV(CKR_BUFFER_TOO_SMALL,
		  p11->C_Decrypt(s, (CK_BYTE_PTR)kat_cbc_ct, 32, out, &n));
	ASSERT_LE(32UL, n);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_DecryptUpdate(s, (CK_BYTE_PTR)kat_cbc_ct, 16, out,
				       &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DecryptInit(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_DecryptUpdate(s, (CK_BYTE_PTR)kat_cbc_ct, 16, out,
				       &n));
	ASSERT_EQ(16UL, n);
	ASSERT_MEM(kat_cbc_pt, out, 16);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_Decrypt(s, (CK_BYTE_PTR)kat_cbc_ct, 32, out, &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DecryptInit(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Decrypt(s, (CK_BYTE_PTR)kat_cbc_ct, 32, out, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(kat_cbc_pt, out, 32);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_DecryptUpdate(s, (CK_BYTE_PTR)kat_cbc_ct, 16, out,
				       &n));
}

/*
 * DECRYPT-2: C_DecryptInit with a mechanism that does not decrypt is
 * CKR_MECHANISM_INVALID at init: a digest, a MAC, key generation, an
 * unknown mechanism, CKM_AES_KEY_WRAP where the token lacks it.
 */
TEST(DECRYPT_2)
{
	static const CK_MECHANISM_TYPE bad[] = {
		CKM_SHA256, CKM_AES_CMAC, CKM_AES_KEY_GEN,
		CKM_VENDOR_DEFINED | 0x4b48534d, 0x7ffffff0UL,
	};
	CK_MECHANISM ok = MECH(CKM_AES_ECB);
	CK_OBJECT_HANDLE k;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT | K_MAC);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		CK_MECHANISM m = MECH(bad[i]);

		EXPECT_RV_LOG(CKR_MECHANISM_INVALID,
			      p11->C_DecryptInit(c.s, &m, k),
			      "mechanism 0x%lx", bad[i]);
	}
	if (!p11_has_mech(c.slot, CKM_AES_KEY_WRAP)) {
		CK_MECHANISM m = MECH(CKM_AES_KEY_WRAP);

		EXPECT_RV(CKR_MECHANISM_INVALID,
			  p11->C_DecryptInit(c.s, &m, k));
	}
	ASSERT_OK(p11->C_DecryptInit(c.s, &ok, k));
}

/*
 * DECRYPT-3 (the report's rule text names C_EncryptInit; this is the
 * decryption section, so C_DecryptInit): parameters inconsistent with the
 * mechanism are CKR_MECHANISM_PARAM_INVALID at init, e.g. a GCM IV of
 * length 0, a NULL IV, a tag over 128 bits, a short CBC IV.
 */
TEST(DECRYPT_3)
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
		{ "CBC_PAD no IV", MECH(CKM_AES_CBC_PAD) },
		{ "CTR 129 counter bits", MECH_P(CKM_AES_CTR, &ctr) },
		{ "ECB with a parameter", { CKM_AES_ECB, (void *)kat_cbc_iv,
					    16 } },
	};
	CK_GCM_PARAMS good = kat_gcm_params();
	CK_MECHANISM ok = MECH_P(CKM_AES_GCM, &good);
	unsigned char out[80];
	unsigned char in[76];
	CK_OBJECT_HANDLE k;
	CK_ULONG n;
	struct p11c c;
	size_t i;

	g0.ulIvLen = 0;
	g0.ulIvBits = 0;
	gnull.pIv = NULL;
	gtag.ulTagBits = 136;
	memset(&ctr, 0, sizeof(ctr));
	ctr.ulCounterBits = 129;

	P11_SETUP(&c, P11_USER);
	k = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_CRYPT);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++)
		/* a session each: a wrongly accepted init stays active */
		EXPECT_RV_LOG(CKR_MECHANISM_PARAM_INVALID,
			      p11->C_DecryptInit(NEW_SESSION(&c), &bad[i].m, k),
			      "%s", bad[i].what);
	/* the good parameters decrypt the published vector */
	memcpy(in, kat_gcm_ct, 60);
	memcpy(in + 60, kat_gcm_tag, 16);
	ASSERT_OK(p11->C_DecryptInit(c.s, &ok, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Decrypt(c.s, in, sizeof(in), out, &n));
	ASSERT_EQ(60UL, n);
	ASSERT_MEM(kat_gcm_pt, out, 60);
}

/*
 * DECRYPT-4: C_DecryptInit with a handle that is not a usable key is
 * CKR_KEY_HANDLE_INVALID, never CKR_OBJECT_HANDLE_INVALID.
 */
TEST(DECRYPT_4)
{
	CK_MECHANISM m = MECH(CKM_AES_ECB);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	BAD_KEY_HANDLES(&c, p11->C_DecryptInit, &m, CKK_AES, kat_cbc_key, 16,
			K_CRYPT, BAD_ABSENT | BAD_STALE,
			CKR_KEY_HANDLE_INVALID);
	ASSERT_OK(p11->C_DecryptInit(c.s, &m, AES_KEY(c.s, K_CRYPT)));
}

/*
 * DECRYPT-5: when neither mechanism nor key type fits decryption
 * (CKM_RSA_X9_31_KEY_PAIR_GEN with an AES key, a MAC with a generic key),
 * the answer is CKR_MECHANISM_INVALID, not CKR_KEY_TYPE_INCONSISTENT.
 */
TEST(DECRYPT_5)
{
	static const struct {
		CK_MECHANISM_TYPE mech;
		int generic;
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
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	ka = AES_KEY(c.s, K_CRYPT | K_MAC);
	kg = HMAC_KEY(c.s, K_CRYPT | K_MAC);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		CK_MECHANISM m = MECH(bad[i].mech);

		EXPECT_RV_LOG(CKR_MECHANISM_INVALID,
			      p11->C_DecryptInit(c.s, &m,
					      bad[i].generic ? kg : ka),
			      "mechanism 0x%lx with the %s key", bad[i].mech,
			      bad[i].generic ? "generic" : "AES");
	}
}

P11_MAIN
