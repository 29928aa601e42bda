// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Decryption Functions": DECRYPT-1 .. DECRYPT-5.
 * RSA-OAEP parameter checks (DECRYPT-3's second case) come with RSA.
 */
#include "kselftest_harness.h"
#include "cipher_rules.h"

/*
 * DECRYPT-1: C_DecryptUpdate after a successful C_Decrypt that kept the
 * operation (length query, CKR_BUFFER_TOO_SMALL) is CKR_OPERATION_ACTIVE,
 * and so is C_Decrypt after C_DecryptUpdate; after a C_Decrypt that gave
 * its output, C_DecryptUpdate is CKR_OPERATION_NOT_INITIALIZED.
 */
TEST(DECRYPT_1)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_oneshot_update(_metadata, &c, &DECRYPT_DIR);
}

/*
 * DECRYPT-2: C_DecryptInit with a mechanism that does not decrypt is
 * CKR_MECHANISM_INVALID at init: a digest, a MAC, key generation, an
 * unknown mechanism, CKM_AES_KEY_WRAP where the token lacks it.
 */
TEST(DECRYPT_2)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_mech_invalid(_metadata, &c, &DECRYPT_DIR);
}

/*
 * DECRYPT-3 (the report's rule text names C_EncryptInit; this is the
 * decryption section, so C_DecryptInit): parameters inconsistent with the
 * mechanism are CKR_MECHANISM_PARAM_INVALID at init, e.g. a GCM IV of
 * length 0, a NULL IV, a tag over 128 bits, a short CBC IV.
 */
TEST(DECRYPT_3)
{
	unsigned char in[76], out[80];
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_param_invalid(_metadata, &c, &DECRYPT_DIR,
				  KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16,
					     K_CRYPT));
	/* the good parameters it ended with decrypt the published vector */
	memcpy(in, kat_gcm_ct, 60);
	memcpy(in + 60, kat_gcm_tag, 16);
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
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	cipher_rule_neither_fits(_metadata, &c, &DECRYPT_DIR);
}

P11_MAIN
