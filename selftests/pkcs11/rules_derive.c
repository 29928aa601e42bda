// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Key Derivation": DERIVE-1 .. DERIVE-3, and
 * "Key Management Functions": MANAGE-1, MANAGE-2.
 *
 * The report's derivation is CKM_ECDH1_DERIVE, its wrapping CKM_AES_KEY_WRAP
 * and CKM_AES_GCM.  khsm derives and wraps nothing yet, so each rule is
 * checked as far as it reaches a token without those mechanisms (the
 * session, argument and handle checks come first, the mechanism is then
 * CKR_MECHANISM_INVALID, the key attributes the rule names are honoured),
 * and switches to the full rule as soon as the token lists the mechanism.
 * With EC keys: DERIVE-1/2/3 on CKM_ECDH1_DERIVE with EC private keys
 * (CKA_DERIVE FALSE -> CKR_KEY_FUNCTION_NOT_PERMITTED; an AES base key ->
 * CKR_KEY_TYPE_INCONSISTENT).
 */
#include "kselftest_harness.h"
#include "p11_test.h"

static const unsigned char p256_point[] = {	/* any uncompressed point */
	0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc,
	0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d,
	0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb,
	0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31,
	0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

static void ecdh_params(CK_ECDH1_DERIVE_PARAMS *p)
{
	memset(p, 0, sizeof(*p));
	p->kdf = CKD_NULL;
	p->pPublicData = (CK_BYTE_PTR)p256_point;
	p->ulPublicDataLen = sizeof(p256_point);
}

static void derived_tmpl(struct p11_tmpl *t)
{
	t_init(t);
	t_ulong(t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(t, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
	t_ulong(t, CKA_VALUE_LEN, 32);
}

/*
 * DERIVE-1: C_DeriveKey with a base key whose CKA_DERIVE is FALSE fails
 * with CKR_KEY_FUNCTION_NOT_PERMITTED.  CKA_DERIVE must be supported
 * (default FALSE, template value kept, modifiable); without a derivation
 * mechanism the call is CKR_MECHANISM_INVALID and creates nothing.
 */
TEST(DERIVE_1)
{
	CK_ECDH1_DERIVE_PARAMS ep;
	CK_MECHANISM ecdh = MECH_P(CKM_ECDH1_DERIVE, &ep);
	CK_MECHANISM sha = MECH(CKM_SHA256_KEY_DERIVATION);
	CK_OBJECT_HANDLE k, d = CK_INVALID_HANDLE;
	struct p11_tmpl t;
	CK_MECHANISM_TYPE dm;
	CK_BBOOL b = CK_TRUE;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ecdh_params(&ep);
	derived_tmpl(&t);

	k = HMAC_KEY(c.s, K_SIGN);		/* K_DERIVE not set: FALSE */
	ASSERT_OK(p11_get_bool(c.s, k, CKA_DERIVE, &b));
	ASSERT_EQ(CK_FALSE, b);
	k = KEY_IMPORT(c.s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN,
		       K_SIGN);
	ASSERT_OK(p11_set_bool(c.s, k, CKA_DERIVE, CK_TRUE));
	ASSERT_OK(p11_get_bool(c.s, k, CKA_DERIVE, &b));
	ASSERT_EQ(CK_TRUE, b);
	ASSERT_OK(p11_set_bool(c.s, k, CKA_DERIVE, CK_FALSE));

	if (p11_mech_with_flag(c.slot, CKF_DERIVE, &dm))
		SKIP(return, "0x%lx derives: write its CKA_DERIVE test", dm);
	ASSERT_RV(CKR_MECHANISM_INVALID,
		  p11->C_DeriveKey(c.s, &ecdh, k, t.a, t.n, &d));
	ASSERT_RV(CKR_MECHANISM_INVALID,
		  p11->C_DeriveKey(c.s, &sha, k, t.a, t.n, &d));
	ASSERT_EQ(CK_INVALID_HANDLE, d);
	{
		CK_MECHANISM_INFO mi;

		ASSERT_RV(CKR_MECHANISM_INVALID,
			  p11->C_GetMechanismInfo(c.slot, CKM_ECDH1_DERIVE,
						  &mi));
	}
}

/*
 * DERIVE-2: C_DeriveKey with an invalid base key handle is
 * CKR_KEY_HANDLE_INVALID, never CKR_OBJECT_HANDLE_INVALID (while the
 * mechanism is missing, CKR_MECHANISM_INVALID applies too).  The session
 * check comes first (3.0 5.1.7), then the arguments.
 */
TEST(DERIVE_2)
{
	CK_ECDH1_DERIVE_PARAMS ep;
	CK_MECHANISM ecdh = MECH_P(CKM_ECDH1_DERIVE, &ep);
	CK_OBJECT_HANDLE k, d = CK_INVALID_HANDLE;
	CK_SESSION_HANDLE s2;
	CK_MECHANISM_TYPE dm;
	struct p11_tmpl t;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ecdh_params(&ep);
	derived_tmpl(&t);
	k = HMAC_KEY(c.s, K_DERIVE);

	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_CloseSession(s2));
	ASSERT_RV(CKR_SESSION_HANDLE_INVALID,
		  p11->C_DeriveKey(s2, &ecdh, 0, t.a, t.n, &d));
	ASSERT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_DeriveKey(c.s, NULL, k, t.a, t.n, &d));
	ASSERT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_DeriveKey(c.s, &ecdh, k, t.a, t.n, NULL));

	if (p11_mech_with_flag(c.slot, CKF_DERIVE, &dm))
		SKIP(return, "0x%lx derives: write its handle test", dm);
	ASSERT_RV2(CKR_KEY_HANDLE_INVALID, CKR_MECHANISM_INVALID,
		   p11->C_DeriveKey(c.s, &ecdh, 0, t.a, t.n, &d));
	ASSERT_OK(p11->C_DestroyObject(c.s, k));
	ASSERT_RV2(CKR_KEY_HANDLE_INVALID, CKR_MECHANISM_INVALID,
		   p11->C_DeriveKey(c.s, &ecdh, k, t.a, t.n, &d));
	ASSERT_EQ(CK_INVALID_HANDLE, d);
}

/*
 * DERIVE-3: a base key of the wrong type (AES for ECDH) is
 * CKR_KEY_TYPE_INCONSISTENT, not CKR_GENERAL_ERROR; while khsm lacks the
 * mechanism, CKR_MECHANISM_INVALID applies as well.
 */
TEST(DERIVE_3)
{
	CK_ECDH1_DERIVE_PARAMS ep;
	CK_MECHANISM ecdh = MECH_P(CKM_ECDH1_DERIVE, &ep);
	CK_OBJECT_HANDLE k, d = CK_INVALID_HANDLE;
	struct p11_tmpl t;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ecdh_params(&ep);
	derived_tmpl(&t);
	k = AES_KEY(c.s, K_DERIVE);
	if (p11_has_mech(c.slot, CKM_ECDH1_DERIVE))
		ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  p11->C_DeriveKey(c.s, &ecdh, k, t.a, t.n, &d));
	else
		ASSERT_RV2(CKR_KEY_TYPE_INCONSISTENT, CKR_MECHANISM_INVALID,
			   p11->C_DeriveKey(c.s, &ecdh, k, t.a, t.n, &d));
	ASSERT_EQ(CK_INVALID_HANDLE, d);
}

/*
 * MANAGE-1: CKM_AES_KEY_WRAP wraps with no padding (NIST SP 800-38F KW,
 * RFC 3394): a 16-byte key wraps to exactly 24 bytes, the RFC 3394 4.1
 * vector.  A token without the mechanism refuses it everywhere with
 * CKR_MECHANISM_INVALID.
 */
TEST(MANAGE_1)
{
	static const unsigned char kek[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	static const unsigned char keydata[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	static const unsigned char wrapped[24] = {	/* RFC 3394 4.1 */
		0x1f, 0xa6, 0x8b, 0x0a, 0x81, 0x12, 0xb4, 0x47,
		0xae, 0xf3, 0x4b, 0xd8, 0xfb, 0x5a, 0x7b, 0x82,
		0x9d, 0x3e, 0x86, 0x23, 0x71, 0xd2, 0xcf, 0xe5,
	};
	CK_MECHANISM m = MECH(CKM_AES_KEY_WRAP);
	CK_OBJECT_HANDLE w, k;
	unsigned char out[64];
	CK_MECHANISM_INFO mi;
	CK_ULONG n = sizeof(out);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	w = KEY_IMPORT(c.s, CKK_AES, kek, 16, K_WRAP | K_UNWRAP);
	k = KEY_IMPORT(c.s, CKK_AES, keydata, 16, K_CRYPT);

	if (!p11_has_mech(c.slot, CKM_AES_KEY_WRAP)) {
		ASSERT_RV(CKR_MECHANISM_INVALID,
			  p11->C_GetMechanismInfo(c.slot, CKM_AES_KEY_WRAP,
						  &mi));
		ASSERT_RV(CKR_MECHANISM_INVALID,
			  p11->C_WrapKey(c.s, &m, w, k, out, &n));
		return;
	}
	ASSERT_OK(p11->C_WrapKey(c.s, &m, w, k, NULL, &n));
	ASSERT_EQ(24UL, n);
	n = sizeof(out);
	ASSERT_OK(p11->C_WrapKey(c.s, &m, w, k, out, &n));
	ASSERT_EQ(24UL, n);
	ASSERT_MEM(wrapped, out, 24);
}

/*
 * MANAGE-2: CKM_AES_GCM uses the IV in CK_GCM_PARAMS.pIv as given, in
 * wrapping as in encryption.  khsm has no GCM wrapping yet: C_WrapKey with
 * CKM_AES_GCM is CKR_MECHANISM_INVALID, and the IV rule is checked on the
 * decrypt side (ENCRYPT-2 has the encrypt side): the published ciphertext
 * decrypts only under the published IV; one flipped IV bit fails the tag
 * check with CKR_ENCRYPTED_DATA_INVALID (or 3.0's CKR_AEAD_DECRYPT_FAILED).
 */
TEST(MANAGE_2)
{
	CK_GCM_PARAMS g = kat_gcm_params();
	CK_MECHANISM m = MECH_P(CKM_AES_GCM, &g);
	unsigned char iv[12], in[76], out[80];
	CK_MECHANISM_INFO mi;
	CK_OBJECT_HANDLE k, w;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_CRYPT);
	memcpy(in, kat_gcm_ct, 60);
	memcpy(in + 60, kat_gcm_tag, 16);
	memcpy(iv, kat_gcm_iv, sizeof(iv));
	g.pIv = iv;

	ASSERT_OK(p11->C_DecryptInit(c.s, &m, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Decrypt(c.s, in, sizeof(in), out, &n));
	ASSERT_EQ(60UL, n);
	ASSERT_MEM(kat_gcm_pt, out, 60);
	ASSERT_MEM(kat_gcm_iv, iv, sizeof(iv));

	iv[11] ^= 1;
	ASSERT_OK(p11->C_DecryptInit(c.s, &m, k));
	n = sizeof(out);
	ASSERT_RV2(CKR_ENCRYPTED_DATA_INVALID, CKR_AEAD_DECRYPT_FAILED,
		   p11->C_Decrypt(c.s, in, sizeof(in), out, &n));

	ASSERT_OK(p11->C_GetMechanismInfo(c.slot, CKM_AES_GCM, &mi));
	if (mi.flags & CKF_WRAP)
		SKIP(return, "CKM_AES_GCM wraps: write its wrap IV test");
	iv[11] ^= 1;
	w = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_WRAP);
	n = sizeof(out);
	ASSERT_RV(CKR_MECHANISM_INVALID,
		  p11->C_WrapKey(c.s, &m, w, k, out, &n));
}

P11_MAIN
