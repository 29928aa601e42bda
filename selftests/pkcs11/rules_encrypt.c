// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Encryption functions": ENCRYPT-1 .. ENCRYPT-6.
 * RSA-OAEP parameter checks (ENCRYPT-4's second case) come with RSA.
 */
#include "kselftest_harness.h"
#include "cipher_rules.h"

/*
 * ENCRYPT-1: C_EncryptUpdate after a successful C_Encrypt that did not end
 * the operation (a length query, or CKR_BUFFER_TOO_SMALL) is
 * CKR_OPERATION_ACTIVE; so is C_Encrypt after C_EncryptUpdate.  A C_Encrypt
 * that produced its output ended the operation: C_EncryptUpdate then gives
 * CKR_OPERATION_NOT_INITIALIZED.  The output is the known answer.
 */
TEST(ENCRYPT_1)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_oneshot_update(_metadata, &c, &ENCRYPT_DIR);
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
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_mech_invalid(_metadata, &c, &ENCRYPT_DIR);
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
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_param_invalid(_metadata, &c, &ENCRYPT_DIR,
				  AES_KEY(c.s, K_CRYPT));
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
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_neither_fits(_metadata, &c, &ENCRYPT_DIR);
}

P11_MAIN
