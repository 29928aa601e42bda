// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Signing and MACing functions": SIGN-1 .. SIGN-8.
 *
 * khsm has only MAC mechanisms so far (CKM_SHA*_HMAC[_GENERAL] on
 * CKK_GENERIC_SECRET, CKM_AES_CMAC[_GENERAL] on CKK_AES) and no mechanism
 * with data recovery.  The rules the report states for RSA/EC and for
 * C_SignRecoverInit are tested here with those MACs; with RSA and EC, the
 * same tests gain CKM_SHA256_RSA_PKCS / CKM_ECDSA keys and, for the recover
 * rules, CKM_RSA_PKCS / CKM_RSA_X_509 (see the notes at each test).
 */
#include "kselftest_harness.h"
#include "p11_test.h"

static const CK_MECHANISM_TYPE hmacs[] = {
	CKM_SHA_1_HMAC, CKM_SHA224_HMAC, CKM_SHA256_HMAC, CKM_SHA384_HMAC,
	CKM_SHA512_HMAC,
};

/* C_Sign of kat data with @m and @key must give @want (@wlen bytes) */
static void sign_kat(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
		     CK_MECHANISM_TYPE mech, CK_OBJECT_HANDLE key,
		     const void *data, CK_ULONG dlen, const void *want,
		     CK_ULONG wlen)
{
	CK_MECHANISM m = MECH(mech);
	unsigned char mac[64];
	CK_ULONG n = sizeof(mac);

	ASSERT_OK(p11->C_SignInit(s, &m, key));
	ASSERT_OK(p11->C_Sign(s, (CK_BYTE_PTR)data, dlen, mac, &n));
	ASSERT_EQ(wlen, n);
	ASSERT_MEM(want, mac, wlen);
}

/*
 * SIGN-1: C_SignInit refuses a key whose CKA_SIGN is FALSE with
 * CKR_KEY_FUNCTION_NOT_PERMITTED, for AES and generic secret keys alike
 * (and so when CKA_SIGN is switched off after creation); the same keys with
 * CKA_SIGN TRUE give the known MAC.
 */
TEST(SIGN_1)
{
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC), cmac = MECH(CKM_AES_CMAC);
	CK_OBJECT_HANDLE k;
	unsigned char mac[32];
	CK_ULONG n = sizeof(mac);
	struct p11c c;

	P11_SETUP(&c, P11_USER);

	k = HMAC_KEY(c.s, K_VER);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_SignInit(c.s, &hmac, k));
	/* no operation was started */
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_Sign(c.s, (CK_BYTE_PTR)"x", 1, mac, &n));
	k = AES_KEY(c.s, K_VER | K_CRYPT);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_SignInit(c.s, &cmac, k));

	k = HMAC_KEY(c.s, K_SIGN);
	sign_kat(_metadata, c.s, CKM_SHA256_HMAC, k, kat_hmac_data,
		 sizeof(kat_hmac_data), kat_hmac_mac, sizeof(kat_hmac_mac));
	ASSERT_OK(p11_set_bool(c.s, k, CKA_SIGN, CK_FALSE));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_SignInit(c.s, &hmac, k));

	k = AES_KEY(c.s, K_SIGN);
	sign_kat(_metadata, c.s, CKM_AES_CMAC, k, kat_cbc_pt, 16,
		 kat_cmac_mac, sizeof(kat_cmac_mac));
	ASSERT_OK(p11_set_bool(c.s, k, CKA_SIGN, CK_FALSE));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_SignInit(c.s, &cmac, k));
}

/*
 * SIGN-2: once C_SignUpdate has run, C_Sign is refused with
 * CKR_OPERATION_ACTIVE (single-part and multi-part do not mix), and the
 * other way round: C_SignUpdate after a C_Sign that only asked for the
 * length (which keeps the operation active).  A multi-part MAC still gives
 * the known answer.
 */
TEST(SIGN_2)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	unsigned char mac[32];
	CK_SESSION_HANDLE s2;
	CK_OBJECT_HANDLE k;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = HMAC_KEY(c.s, K_SIGN);

	ASSERT_OK(p11->C_SignInit(c.s, &m, k));
	ASSERT_OK(p11->C_SignUpdate(c.s, (CK_BYTE_PTR)kat_hmac_data, 4));
	n = sizeof(mac);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_Sign(c.s, (CK_BYTE_PTR)kat_hmac_data,
			      sizeof(kat_hmac_data), mac, &n));

	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_SignInit(s2, &m, k));
	n = 0;
	ASSERT_OK(p11->C_Sign(s2, (CK_BYTE_PTR)kat_hmac_data,
			      sizeof(kat_hmac_data), NULL, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_SignUpdate(s2, (CK_BYTE_PTR)kat_hmac_data, 4));

	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_SignInit(s2, &m, k));
	ASSERT_OK(p11->C_SignUpdate(s2, (CK_BYTE_PTR)kat_hmac_data, 3));
	ASSERT_OK(p11->C_SignUpdate(s2, (CK_BYTE_PTR)kat_hmac_data + 3,
				    sizeof(kat_hmac_data) - 3));
	n = sizeof(mac);
	ASSERT_OK(p11->C_SignFinal(s2, mac, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(kat_hmac_mac, mac, 32);
	/* the operation ended with C_SignFinal */
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_SignUpdate(s2, (CK_BYTE_PTR)kat_hmac_data, 1));
}

/*
 * SIGN-3: C_SignInit fails when no user is logged in.  The key is a public
 * session object, made while logged in; its handle stays valid across
 * C_Logout (only private objects' handles die), so the login state is the
 * only thing wrong: CKR_USER_NOT_LOGGED_IN.  A token that demands this
 * must say so with CKF_LOGIN_REQUIRED.
 */
TEST(SIGN_3)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	CK_TOKEN_INFO ti;
	CK_OBJECT_HANDLE k;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ASSERT_OK(p11->C_GetTokenInfo(c.slot, &ti));
	ASSERT_TRUE(ti.flags & CKF_LOGIN_REQUIRED);
	k = HMAC_KEY(c.s, K_SIGN | K_PUBLIC);
	ASSERT_OK(p11->C_Logout(c.s));
	ASSERT_RV(CKR_USER_NOT_LOGGED_IN, p11->C_SignInit(c.s, &m, k));
	/* the refused init started nothing */
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_SignUpdate(c.s, (CK_BYTE_PTR)"x", 1));
	ASSERT_OK(p11_login(c.s, CKU_USER));
	sign_kat(_metadata, c.s, CKM_SHA256_HMAC, k, kat_hmac_data,
		 sizeof(kat_hmac_data), kat_hmac_mac, sizeof(kat_hmac_mac));
}

/*
 * SIGN-4: a parameter given to a mechanism that takes none is
 * CKR_MECHANISM_PARAM_INVALID at init, and so is a malformed parameter of
 * a mechanism that takes one.  The report's case is C_SignRecoverInit; khsm
 * has no recover mechanism, so the rule is checked on C_SignInit with HMAC
 * and CMAC, and C_SignRecoverInit must refuse the MAC mechanism itself
 * (CKR_MECHANISM_INVALID).  With RSA: C_SignRecoverInit(CKM_RSA_PKCS +
 * a parameter) -> CKR_MECHANISM_PARAM_INVALID.
 */
TEST(SIGN_4)
{
	CK_ULONG junk = 16, short_len = 4, long_len = 65;
	CK_MECHANISM hmac = { CKM_SHA256_HMAC, &junk, sizeof(junk) };
	CK_MECHANISM cmac = { CKM_AES_CMAC, &junk, sizeof(junk) };
	CK_MECHANISM gen_short = { CKM_SHA256_HMAC_GENERAL, &short_len, 4 };
	CK_MECHANISM gen_long = { CKM_SHA256_HMAC_GENERAL, &long_len,
				  sizeof(long_len) };
	CK_MECHANISM gen_null = { CKM_SHA256_HMAC_GENERAL, NULL, 0 };
	CK_MECHANISM ok = MECH(CKM_SHA256_HMAC);
	CK_OBJECT_HANDLE k, ka;
	CK_MECHANISM_TYPE rec;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = HMAC_KEY(c.s, K_SIGN);
	ka = AES_KEY(c.s, K_SIGN);

	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID, p11->C_SignInit(c.s, &hmac, k));
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID, p11->C_SignInit(c.s, &cmac, ka));
	/* CK_MAC_GENERAL_PARAMS: a CK_ULONG, at most the hash length */
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_SignInit(c.s, &gen_short, k));
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_SignInit(c.s, &gen_long, k));
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_SignInit(c.s, &gen_null, k));
	/* nothing was left active by the refused inits */
	ASSERT_OK(p11->C_SignInit(c.s, &ok, k));

	if (p11_mech_with_flag(c.slot, CKF_SIGN_RECOVER, &rec))
		SKIP(return, "0x%lx signs with recovery: write its test", rec);
	ASSERT_RV(CKR_MECHANISM_INVALID,
		  p11->C_SignRecoverInit(c.s, &hmac, k));
}

/*
 * SIGN-5: the HMAC mechanisms (SHA-1, -224, -256, -384, -512) take only
 * generic secret keys: an AES key with CKA_SIGN is refused with
 * CKR_KEY_TYPE_INCONSISTENT, a generic secret key works.
 */
TEST(SIGN_5)
{
	CK_ULONG mlen = 16;
	CK_OBJECT_HANDLE ka, kg;
	unsigned char mac[64];
	CK_ULONG n;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	ASSERT_TRUE(p11_has_mech(c.slot, CKM_SHA256_HMAC));
	ka = KEY_IMPORT(c.s, CKK_AES, kat_hmac_key, 16, K_SIGN);
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN,
			K_SIGN);

	for (i = 0; i < P11_ARRAY_SIZE(hmacs); i++) {
		CK_MECHANISM m = MECH(hmacs[i]);
		/* CKM_*_HMAC_GENERAL is CKM_*_HMAC + 1 */
		CK_MECHANISM g = { hmacs[i] + 1, &mlen, sizeof(mlen) };

		if (!p11_has_mech(c.slot, hmacs[i]))
			continue;
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  p11->C_SignInit(c.s, &m, ka));
		ASSERT_OK(p11->C_SignInit(c.s, &m, kg));
		n = sizeof(mac);
		ASSERT_OK(p11->C_Sign(c.s, (CK_BYTE_PTR)"abc", 3, mac, &n));
		if (!p11_has_mech(c.slot, hmacs[i] + 1))
			continue;
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  p11->C_SignInit(c.s, &g, ka));
		ASSERT_OK(p11->C_SignInit(c.s, &g, kg));
		n = sizeof(mac);
		ASSERT_OK(p11->C_Sign(c.s, (CK_BYTE_PTR)"abc", 3, mac, &n));
		ASSERT_EQ(mlen, n);
	}
}

/*
 * SIGN-6: C_SignInit with a handle that is not a usable key gives
 * CKR_KEY_HANDLE_INVALID (never the less specific CKR_OBJECT_HANDLE_INVALID):
 * 0, never issued, destroyed, of a closed session, of another application,
 * a data object.
 */
TEST(SIGN_6)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	BAD_KEY_HANDLES(&c, p11->C_SignInit, &m, CKK_GENERIC_SECRET,
			kat_hmac_key, HMAC_LEN, K_SIGN, BAD_ABSENT | BAD_STALE,
			CKR_KEY_HANDLE_INVALID);
	sign_kat(_metadata, c.s, CKM_SHA256_HMAC, HMAC_KEY(c.s, K_SIGN),
		 kat_hmac_data, sizeof(kat_hmac_data), kat_hmac_mac, 32);
}

/*
 * SIGN-7: C_SignRecoverInit with an invalid key handle gives
 * CKR_KEY_HANDLE_INVALID, never CKR_OBJECT_HANDLE_INVALID.  With a recover
 * mechanism (RSA) that is the only error; khsm has none yet, so the MAC
 * mechanism is a second error and CKR_MECHANISM_INVALID may be returned
 * instead (PKCS#11 3.0 5.1.6: any applicable code).
 */
TEST(SIGN_7)
{
	CK_MECHANISM m = MECH(CKM_SHA256_HMAC);
	CK_MECHANISM_TYPE rec;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	if (p11_mech_with_flag(c.slot, CKF_SIGN_RECOVER, &rec))
		SKIP(return, "0x%lx signs with recovery: write its test", rec);
	BAD_KEY_HANDLES2(&c, p11->C_SignRecoverInit, &m, CKK_GENERIC_SECRET,
			 kat_hmac_key, HMAC_LEN, K_SIGN, BAD_ABSENT | BAD_STALE,
			 CKR_KEY_HANDLE_INVALID, CKR_MECHANISM_INVALID);
}

/*
 * SIGN-8: a key of the wrong type for the mechanism is
 * CKR_KEY_TYPE_INCONSISTENT (not CKR_MECHANISM_INVALID), and that code
 * outranks CKR_KEY_FUNCTION_NOT_PERMITTED when both apply (3.0 5.1.6).
 * The report's case is C_SignRecoverInit; with MACs: a generic secret key
 * for CMAC.  With RSA: C_SignRecoverInit(CKM_RSA_PKCS, EC key).
 */
TEST(SIGN_8)
{
	CK_MECHANISM cmac = MECH(CKM_AES_CMAC);
	CK_OBJECT_HANDLE kg;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_cbc_key, 16, K_SIGN);
	ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, p11->C_SignInit(c.s, &cmac, kg));
	kg = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_cbc_key, 16, K_VER);
	ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT, p11->C_SignInit(c.s, &cmac, kg));
	sign_kat(_metadata, c.s, CKM_AES_CMAC, AES_KEY(c.s, K_SIGN),
		 kat_cbc_pt, 16, kat_cmac_mac, sizeof(kat_cmac_mac));
}

P11_MAIN
