// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Encryption functions": ENCRYPT-1 .. ENCRYPT-6.
 * RSA-OAEP parameter checks (ENCRYPT-4's second case) come with RSA.
 */
#include "kselftest_harness.h"
#include "p11_test.h"

/*
 * ENCRYPT-1: C_EncryptUpdate after a successful C_Encrypt that did not end
 * the operation (a length query, or CKR_BUFFER_TOO_SMALL) is
 * CKR_OPERATION_ACTIVE; so is C_Encrypt after C_EncryptUpdate.  A C_Encrypt
 * that produced its output ended the operation: C_EncryptUpdate then gives
 * CKR_OPERATION_NOT_INITIALIZED.  The output is the known answer.
 */
TEST(ENCRYPT_1)
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
	ASSERT_OK(p11->C_EncryptInit(s, &m, k));
	n = 0;
	ASSERT_OK(p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, NULL, &n));
	ASSERT_LE(32UL, n);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_EncryptUpdate(s, (CK_BYTE_PTR)kat_cbc_pt, 16, out,
				       &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s, &m, k));
	n = 16;
	ASSERT_RV(CKR_BUFFER_TOO_SMALL,
		  p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n));
	ASSERT_EQ(32UL, n);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_EncryptUpdate(s, (CK_BYTE_PTR)kat_cbc_pt, 16, out,
				       &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_EncryptUpdate(s, (CK_BYTE_PTR)kat_cbc_pt, 16, out,
				       &n));
	ASSERT_EQ(16UL, n);
	ASSERT_MEM(kat_cbc_ct, out, 16);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n));

	s = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(kat_cbc_ct, out, 32);
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_EncryptUpdate(s, (CK_BYTE_PTR)kat_cbc_pt, 16, out,
				       &n));
}

/*
 * ENCRYPT-2: CKM_AES_GCM uses the caller's IV (pIv of CK_GCM_PARAMS) as
 * given: the output is the published ciphertext and tag for that IV, the
 * IV buffer is left as it was, single- and multi-part agree.
 */
TEST(ENCRYPT_2)
{
	CK_GCM_PARAMS g = kat_gcm_params();
	CK_MECHANISM m = MECH_P(CKM_AES_GCM, &g);
	unsigned char iv[12], out[128];
	CK_ULONG n, n2;
	CK_OBJECT_HANDLE k;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_CRYPT);
	memcpy(iv, kat_gcm_iv, sizeof(iv));
	g.pIv = iv;

	ASSERT_OK(p11->C_EncryptInit(c.s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, (CK_BYTE_PTR)kat_gcm_pt,
				 sizeof(kat_gcm_pt), out, &n));
	ASSERT_EQ(sizeof(kat_gcm_pt) + 16, n);
	ASSERT_MEM(kat_gcm_ct, out, sizeof(kat_gcm_ct));
	ASSERT_MEM(kat_gcm_tag, out + sizeof(kat_gcm_ct), 16);
	ASSERT_MEM(kat_gcm_iv, iv, sizeof(iv));
	ASSERT_EQ(sizeof(kat_gcm_iv), g.ulIvLen);

	ASSERT_OK(p11->C_EncryptInit(c.s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_EncryptUpdate(c.s, (CK_BYTE_PTR)kat_gcm_pt, 17, out,
				       &n));
	n2 = sizeof(out) - n;
	ASSERT_OK(p11->C_EncryptUpdate(c.s, (CK_BYTE_PTR)kat_gcm_pt + 17,
				       sizeof(kat_gcm_pt) - 17, out + n,
				       &n2));
	n += n2;
	n2 = sizeof(out) - n;
	ASSERT_OK(p11->C_EncryptFinal(c.s, out + n, &n2));
	n += n2;
	ASSERT_EQ(sizeof(kat_gcm_pt) + 16, n);
	ASSERT_MEM(kat_gcm_ct, out, sizeof(kat_gcm_ct));
	ASSERT_MEM(kat_gcm_tag, out + sizeof(kat_gcm_ct), 16);
	ASSERT_MEM(kat_gcm_iv, iv, sizeof(iv));
}

/*
 * ENCRYPT-3: C_EncryptInit with a mechanism that does not encrypt is
 * CKR_MECHANISM_INVALID at init (not OK and a failure later): a digest, a
 * MAC with the right key type, key generation, an unknown mechanism, and
 * CKM_AES_KEY_WRAP where the token lacks it.
 */
TEST(ENCRYPT_3)
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
			      p11->C_EncryptInit(c.s, &m, k),
			      "mechanism 0x%lx", bad[i]);
	}
	if (!p11_has_mech(c.slot, CKM_AES_KEY_WRAP)) {
		CK_MECHANISM m = MECH(CKM_AES_KEY_WRAP);

		EXPECT_RV(CKR_MECHANISM_INVALID,
			  p11->C_EncryptInit(c.s, &m, k));
	}
	ASSERT_OK(p11->C_EncryptInit(c.s, &ok, k));
}

/*
 * ENCRYPT-4: parameters inconsistent with the mechanism are
 * CKR_MECHANISM_PARAM_INVALID at C_EncryptInit: GCM with a zero or NULL
 * IV, a tag over 128 bits, a wrong parameter size, no parameter; CBC with
 * a short IV or none; CTR with more than 128 counter bits; ECB with a
 * parameter.  A refused init leaves no operation behind.
 */
TEST(ENCRYPT_4)
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
		{ "CTR 129 counter bits", MECH_P(CKM_AES_CTR, &ctr) },
		{ "ECB with a parameter", { CKM_AES_ECB, (void *)kat_cbc_iv,
					    16 } },
	};
	CK_GCM_PARAMS good = kat_gcm_params();
	CK_MECHANISM ok = MECH_P(CKM_AES_GCM, &good);
	CK_OBJECT_HANDLE k;
	struct p11c c;
	size_t i;

	g0.ulIvLen = 0;
	g0.ulIvBits = 0;
	gnull.pIv = NULL;
	gtag.ulTagBits = 136;
	memset(&ctr, 0, sizeof(ctr));
	ctr.ulCounterBits = 129;

	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++)
		/* a session each: a wrongly accepted init stays active */
		EXPECT_RV_LOG(CKR_MECHANISM_PARAM_INVALID,
			      p11->C_EncryptInit(NEW_SESSION(&c), &bad[i].m, k),
			      "%s", bad[i].what);
	ASSERT_OK(p11->C_EncryptInit(c.s, &ok, k));
}

/*
 * ENCRYPT-5: C_EncryptInit with a handle that is not a usable key is
 * CKR_KEY_HANDLE_INVALID (0, never issued, destroyed, closed session's,
 * another application's, a data object), never CKR_OBJECT_HANDLE_INVALID.
 */
TEST(ENCRYPT_5)
{
	CK_MECHANISM m = MECH(CKM_AES_ECB);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	BAD_KEY_HANDLES(&c, p11->C_EncryptInit, &m, CKK_AES, kat_cbc_key, 16,
			K_CRYPT, BAD_ABSENT | BAD_STALE,
			CKR_KEY_HANDLE_INVALID);
	ASSERT_OK(p11->C_EncryptInit(c.s, &m, AES_KEY(c.s, K_CRYPT)));
}

/*
 * ENCRYPT-6: when neither the mechanism nor the key type fits encryption
 * (e.g. CKM_RSA_X9_31_KEY_PAIR_GEN with an AES key), the answer is
 * CKR_MECHANISM_INVALID, not CKR_KEY_TYPE_INCONSISTENT.
 */
TEST(ENCRYPT_6)
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
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	ka = AES_KEY(c.s, K_CRYPT | K_MAC);
	kg = HMAC_KEY(c.s, K_CRYPT | K_MAC);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		CK_MECHANISM m = MECH(bad[i].mech);

		EXPECT_RV_LOG(CKR_MECHANISM_INVALID,
			      p11->C_EncryptInit(c.s, &m,
					      bad[i].generic ? kg : ka),
			      "mechanism 0x%lx with the %s key", bad[i].mech,
			      bad[i].generic ? "generic" : "AES");
	}
}

P11_MAIN
