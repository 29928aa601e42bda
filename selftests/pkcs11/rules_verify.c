// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Functions for verifying signatures and MACs":
 * VERIFY-1 .. VERIFY-8.  Tested with khsm's MAC mechanisms (HMAC on
 * generic secret keys, CMAC on AES keys); the RSA/EC and verify-recover
 * forms of the same rules come with those key types (notes at each test).
 */
#include "kselftest_harness.h"
#include "p11_test.h"

static const CK_MECHANISM_TYPE hmacs[] = {
	CKM_SHA_1_HMAC, CKM_SHA224_HMAC, CKM_SHA256_HMAC, CKM_SHA384_HMAC,
	CKM_SHA512_HMAC,
};

/* C_Verify of the RFC 4231 case 6 MAC: right, flipped, truncated */
static void verify_kat(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
		       CK_OBJECT_HANDLE key)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	unsigned char mac[32];

	memcpy(mac, kat_hmac_mac, sizeof(mac));
	ASSERT_OK(p11->C_VerifyInit(s, &m, key));
	ASSERT_OK(p11->C_Verify(s, (CK_BYTE_PTR)kat_hmac_data,
				sizeof(kat_hmac_data), mac, sizeof(mac)));
	mac[31] ^= 1;
	ASSERT_OK(p11->C_VerifyInit(s, &m, key));
	ASSERT_RV(CKR_SIGNATURE_INVALID,
		  p11->C_Verify(s, (CK_BYTE_PTR)kat_hmac_data,
				sizeof(kat_hmac_data), mac, sizeof(mac)));
	ASSERT_OK(p11->C_VerifyInit(s, &m, key));
	ASSERT_RV(CKR_SIGNATURE_LEN_RANGE,
		  p11->C_Verify(s, (CK_BYTE_PTR)kat_hmac_data,
				sizeof(kat_hmac_data), mac, 31));
}

/*
 * VERIFY-1: C_VerifyInit refuses a key whose CKA_VERIFY is FALSE with
 * CKR_KEY_FUNCTION_NOT_PERMITTED (generic secret for HMAC, AES for CMAC,
 * and after CKA_VERIFY is switched off); with CKA_VERIFY TRUE the known MAC
 * verifies and a wrong one does not.
 */
TEST(VERIFY_1)
{
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC), cmac = MECH(CKM_AES_CMAC);
	CK_OBJECT_HANDLE k;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = HMAC_KEY(c.s, K_SIGN);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_VerifyInit(c.s, &hmac, k));
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_Verify(c.s, (CK_BYTE_PTR)"x", 1,
				(CK_BYTE_PTR)kat_hmac_mac, 32));
	k = AES_KEY(c.s, K_SIGN | K_CRYPT);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_VerifyInit(c.s, &cmac, k));

	k = HMAC_KEY(c.s, K_VER);
	verify_kat(_metadata, c.s, k);
	ASSERT_OK(p11_set_bool(c.s, k, CKA_VERIFY, CK_FALSE));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_VerifyInit(c.s, &hmac, k));

	k = AES_KEY(c.s, K_VER);
	ASSERT_OK(p11->C_VerifyInit(c.s, &cmac, k));
	ASSERT_OK(p11->C_Verify(c.s, (CK_BYTE_PTR)kat_cbc_pt, 16,
				(CK_BYTE_PTR)kat_cmac_mac, 16));
}

/*
 * VERIFY-2: C_VerifyInit fails when no user is logged in (the token says
 * CKF_LOGIN_REQUIRED): a public session key, whose handle survives
 * C_Logout, gives CKR_USER_NOT_LOGGED_IN; after login it verifies.
 */
TEST(VERIFY_2)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	CK_TOKEN_INFO ti;
	CK_OBJECT_HANDLE k;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ASSERT_OK(p11->C_GetTokenInfo(c.slot, &ti));
	ASSERT_TRUE(ti.flags & CKF_LOGIN_REQUIRED);
	k = HMAC_KEY(c.s, K_VER | K_PUBLIC);
	ASSERT_OK(p11->C_Logout(c.s));
	ASSERT_RV(CKR_USER_NOT_LOGGED_IN, p11->C_VerifyInit(c.s, &m, k));
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_VerifyUpdate(c.s, (CK_BYTE_PTR)"x", 1));
	ASSERT_OK(p11_login(c.s, CKU_USER));
	verify_kat(_metadata, c.s, k);
}

/*
 * VERIFY-3: a parameter for a mechanism that takes none, or a malformed
 * one, is CKR_MECHANISM_PARAM_INVALID at C_VerifyInit; C_VerifyRecoverInit
 * refuses a MAC mechanism (no khsm mechanism verifies with recovery yet)
 * with CKR_MECHANISM_INVALID.  With RSA: C_VerifyRecoverInit(CKM_RSA_PKCS +
 * a parameter) -> CKR_MECHANISM_PARAM_INVALID.
 */
TEST(VERIFY_3)
{
	CK_ULONG junk = 16, long_len = 65;
	CK_MECHANISM hmac = { CKM_SHA256_HMAC, &junk, sizeof(junk) };
	CK_MECHANISM cmac = { CKM_AES_CMAC, &junk, sizeof(junk) };
	CK_MECHANISM gen_long = { CKM_SHA256_HMAC_GENERAL, &long_len,
				  sizeof(long_len) };
	CK_MECHANISM ok = MECH(CKM_SHA256_HMAC);
	CK_MECHANISM_TYPE rec;
	CK_OBJECT_HANDLE k;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = HMAC_KEY(c.s, K_VER);
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_VerifyInit(c.s, &hmac, k));
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_VerifyInit(c.s, &cmac, AES_KEY(c.s, K_VER)));
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_VerifyInit(c.s, &gen_long, k));
	ASSERT_OK(p11->C_VerifyInit(c.s, &ok, k));

	if (p11_mech_with_flag(c.slot, CKF_VERIFY_RECOVER, &rec))
		SKIP(return, "0x%lx verifies with recovery: write its test",
		     rec);
	ASSERT_RV(CKR_MECHANISM_INVALID,
		  p11->C_VerifyRecoverInit(c.s, &hmac, k));
}

/*
 * VERIFY-4: C_VerifyInit with a handle that names no object (0, never
 * issued, all ones) gives CKR_KEY_HANDLE_INVALID.
 */
TEST(VERIFY_4)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	BAD_KEY_HANDLES(&c, p11->C_VerifyInit, &m, CKK_GENERIC_SECRET,
			kat_hmac_key, HMAC_LEN, K_VER, BAD_ABSENT,
			CKR_KEY_HANDLE_INVALID);
	verify_kat(_metadata, c.s, HMAC_KEY(c.s, K_VER));
}

/*
 * VERIFY-5 (the report states VERIFY-4's rule twice): C_VerifyInit with a
 * stale or foreign handle (a destroyed key, a key of a closed session, a
 * key of another application, a data object) gives CKR_KEY_HANDLE_INVALID.
 */
TEST(VERIFY_5)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	BAD_KEY_HANDLES(&c, p11->C_VerifyInit, &m, CKK_GENERIC_SECRET,
			kat_hmac_key, HMAC_LEN, K_VER, BAD_STALE,
			CKR_KEY_HANDLE_INVALID);
	verify_kat(_metadata, c.s, HMAC_KEY(c.s, K_VER));
}

/*
 * VERIFY-6: the HMAC mechanisms verify only with CKK_GENERIC_SECRET keys:
 * an AES key is CKR_KEY_TYPE_INCONSISTENT.
 */
TEST(VERIFY_6)
{
	CK_OBJECT_HANDLE ka, kg;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	ASSERT_TRUE(p11_has_mech(c.slot, CKM_SHA256_HMAC));
	ka = KEY_IMPORT(c.s, CKK_AES, kat_hmac_key, 16, K_VER);
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN, K_VER);
	for (i = 0; i < P11_ARRAY_SIZE(hmacs); i++) {
		CK_MECHANISM m = MECH(hmacs[i]);

		if (!p11_has_mech(c.slot, hmacs[i]))
			continue;
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  p11->C_VerifyInit(c.s, &m, ka));
		ASSERT_OK(p11->C_VerifyInit(c.s, &m, kg));
		ASSERT_OK(p11->C_VerifyUpdate(c.s, (CK_BYTE_PTR)"abc", 3));
		ASSERT_RV(CKR_SIGNATURE_LEN_RANGE,
			  p11->C_VerifyFinal(c.s, (CK_BYTE_PTR)"short", 5));
	}
}

/*
 * VERIFY-7: C_VerifyRecoverInit with an invalid key handle gives
 * CKR_KEY_HANDLE_INVALID, never CKR_OBJECT_HANDLE_INVALID; without a
 * recover mechanism in khsm yet, CKR_MECHANISM_INVALID also applies.
 */
TEST(VERIFY_7)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	CK_MECHANISM_TYPE rec;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	if (p11_mech_with_flag(c.slot, CKF_VERIFY_RECOVER, &rec))
		SKIP(return, "0x%lx verifies with recovery: write its test",
		     rec);
	BAD_KEY_HANDLES2(&c, p11->C_VerifyRecoverInit, &m, CKK_GENERIC_SECRET,
			 kat_hmac_key, HMAC_LEN, K_VER, BAD_ABSENT | BAD_STALE,
			 CKR_KEY_HANDLE_INVALID, CKR_MECHANISM_INVALID);
}

/*
 * VERIFY-8: a key of the wrong type for the mechanism is
 * CKR_KEY_TYPE_INCONSISTENT, also when CKA_VERIFY is FALSE as well (that
 * code outranks CKR_KEY_FUNCTION_NOT_PERMITTED).  Report's case:
 * C_VerifyRecoverInit; here C_VerifyInit(CKM_AES_CMAC, generic secret).
 */
TEST(VERIFY_8)
{
	CK_MECHANISM cmac = MECH(CKM_AES_CMAC);
	CK_OBJECT_HANDLE kg;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_cbc_key, 16, K_VER);
	ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  p11->C_VerifyInit(c.s, &cmac, kg));
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_cbc_key, 16, K_SIGN);
	ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  p11->C_VerifyInit(c.s, &cmac, kg));
}

P11_MAIN
