// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Attributes": ATTRIB-1 .. ATTRIB-17.
 *
 * khsm has secret keys (CKK_AES, CKK_GENERIC_SECRET) and data objects.
 * Rules about attributes of public and private keys (ALWAYS_AUTHENTICATE,
 * VERIFY_RECOVER, SIGN_RECOVER, PUBLIC_KEY_INFO) are checked for what they
 * mean on a token with only secret keys: those attributes do not belong to
 * a secret key, so a template giving one is CKR_TEMPLATE_INCONSISTENT
 * (PKCS#11 3.0 4.1.1 item 5, whose example is exactly this) and reading one
 * is CKR_ATTRIBUTE_TYPE_INVALID with CK_UNAVAILABLE_INFORMATION (5.7.5);
 * with that, the secret-key attribute that does the same job is checked.
 * With RSA and EC keys these tests gain the key-pair forms (notes at each).
 */
#include "kselftest_harness.h"
#include "p11_test.h"

/* A template for a secret key with @extra and the given attribute */
static CK_RV create_with(CK_SESSION_HANDLE s, CK_KEY_TYPE kt,
			 CK_ATTRIBUTE_TYPE type, const void *val, CK_ULONG len,
			 CK_OBJECT_HANDLE *h)
{
	struct p11_tmpl t;

	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, kt);
	if (kt == CKK_AES)
		t_bytes(&t, CKA_VALUE, kat_cbc_key, 16);
	else
		t_bytes(&t, CKA_VALUE, kat_hmac_key, sizeof(kat_hmac_key));
	key_tmpl(&t, K_CRYPT | K_MAC);
	t_bytes(&t, type, val, len);
	*h = CK_INVALID_HANDLE;
	return p11->C_CreateObject(s, t.a, t.n, h);
}

/*
 * An attribute the object does not have: CKR_ATTRIBUTE_TYPE_INVALID and
 * CK_UNAVAILABLE_INFORMATION in ulValueLen, while the other attributes of
 * the same call are still returned (3.0 5.7.5).
 */
static void not_an_attribute(struct __test_metadata *_metadata,
			     CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
			     CK_ATTRIBUTE_TYPE type, CK_OBJECT_CLASS want)
{
	CK_OBJECT_CLASS cls = ~want;
	unsigned char buf[64];
	CK_ATTRIBUTE a[2] = {
		{ type, buf, sizeof(buf) },
		{ CKA_CLASS, &cls, sizeof(cls) },
	};

	ASSERT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
		  p11->C_GetAttributeValue(s, h, a, 2));
	ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, a[0].ulValueLen);
	ASSERT_EQ(sizeof(cls), a[1].ulValueLen);
	ASSERT_EQ(want, cls);
}

/* For both secret key types: @type in a template is inconsistent, and no
 * key has it */
static void foreign_attribute(struct __test_metadata *_metadata,
			      struct p11c *c, CK_ATTRIBUTE_TYPE type)
{
	static const CK_KEY_TYPE kts[] = { CKK_AES, CKK_GENERIC_SECRET };
	CK_BBOOL t = CK_TRUE;
	CK_OBJECT_HANDLE h;
	size_t i;

	for (i = 0; i < P11_ARRAY_SIZE(kts); i++) {
		EXPECT_RV_LOG(CKR_TEMPLATE_INCONSISTENT,
			      create_with(c->s, kts[i], type, &t, 1, &h),
			      "key type 0x%lx, attribute 0x%lx", kts[i],
			      type);
		h = kts[i] == CKK_AES ? AES_KEY(c->s, K_CRYPT) :
					HMAC_KEY(c->s, K_MAC);
		not_an_attribute(_metadata, c->s, h, type, CKO_SECRET_KEY);
	}
}

/* Create with CK_BBOOL @type = @v for both key types, read it back */
static void bool_roundtrip(struct __test_metadata *_metadata,
			   struct p11c *c, CK_ATTRIBUTE_TYPE type)
{
	static const CK_KEY_TYPE kts[] = { CKK_AES, CKK_GENERIC_SECRET };
	CK_OBJECT_HANDLE h;
	CK_BBOOL v, got;
	size_t i;

	for (i = 0; i < P11_ARRAY_SIZE(kts); i++) {
		for (v = CK_FALSE; v <= CK_TRUE; v++) {
			struct p11_tmpl t;

			t_init(&t);
			t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
			t_ulong(&t, CKA_KEY_TYPE, kts[i]);
			t_bytes(&t, CKA_VALUE, kat_cbc_key, 16);
			t_bool(&t, type, v);
			ASSERT_RV_LOG(CKR_OK,
				      p11->C_CreateObject(c->s, t.a, t.n, &h),
				      "key type 0x%lx attr 0x%lx = %d",
				      kts[i], type, v);
			ASSERT_OK(p11_get_bool(c->s, h, type, &got));
			ASSERT_EQ(v, got);
			/* modifiable (3.0 Table 28, footnote 8) */
			ASSERT_OK(p11_set_bool(c->s, h, type, !v));
			ASSERT_OK(p11_get_bool(c->s, h, type, &got));
			ASSERT_EQ(!v, got);
		}
	}
}

/*
 * ATTRIB-1: CKA_ALWAYS_AUTHENTICATE for private keys.  Not an attribute of
 * secret keys: refused in a template, absent when read.  With EC/RSA:
 * private keys accept TRUE (with CKA_PRIVATE TRUE), and each use then needs
 * C_Login(CKU_CONTEXT_SPECIFIC) after the init, else
 * CKR_USER_NOT_LOGGED_IN.
 */
TEST(ATTRIB_1)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	foreign_attribute(_metadata, &c, CKA_ALWAYS_AUTHENTICATE);
}

/*
 * ATTRIB-2: CKA_START_DATE and CKA_END_DATE for all keys: template values
 * kept, default empty, modifiable, an 8-byte CK_DATE only.
 */
TEST(ATTRIB_2)
{
	static const char start[] = "20240101", end[] = "20341231",
			  later[] = "20351231";
	static const CK_KEY_TYPE kts[] = { CKK_AES, CKK_GENERIC_SECRET };
	CK_MECHANISM ecb = MECH(CKM_AES_ECB);
	char buf[16];
	CK_OBJECT_HANDLE h;
	CK_ULONG n;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	for (i = 0; i < P11_ARRAY_SIZE(kts); i++) {
		struct p11_tmpl t;
		CK_ATTRIBUTE a = { CKA_END_DATE, (void *)later, 8 };

		t_init(&t);
		t_bytes(&t, CKA_START_DATE, start, 8);
		t_bytes(&t, CKA_END_DATE, end, 8);
		h = KEY_IMPORT_X(c.s, kts[i], kat_cbc_key, 16, K_CRYPT, &t);
		n = sizeof(buf);
		ASSERT_OK(p11_get_bytes(c.s, h, CKA_START_DATE, buf, &n));
		ASSERT_EQ(8UL, n);
		ASSERT_MEM(start, buf, 8);
		n = sizeof(buf);
		ASSERT_OK(p11_get_bytes(c.s, h, CKA_END_DATE, buf, &n));
		ASSERT_EQ(8UL, n);
		ASSERT_MEM(end, buf, 8);
		ASSERT_OK(p11->C_SetAttributeValue(c.s, h, &a, 1));
		n = sizeof(buf);
		ASSERT_OK(p11_get_bytes(c.s, h, CKA_END_DATE, buf, &n));
		ASSERT_MEM(later, buf, 8);

		h = KEY_IMPORT(c.s, kts[i], kat_cbc_key, 16, K_CRYPT);
		n = sizeof(buf);
		ASSERT_OK(p11_get_bytes(c.s, h, CKA_START_DATE, buf, &n));
		ASSERT_EQ(0UL, n);
		n = sizeof(buf);
		ASSERT_OK(p11_get_bytes(c.s, h, CKA_END_DATE, buf, &n));
		ASSERT_EQ(0UL, n);

		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  create_with(c.s, kts[i], CKA_START_DATE, start, 7,
				      &h));
	}
	/*
	 * Usage within the dates works.  (Whether a key past its end date
	 * may be used is not asked: 3.0 4.7.2 gives dates no meaning, while
	 * khsm enforces them as a documented policy, issue 2 item 6.)
	 */
	{
		struct p11_tmpl t;

		t_init(&t);
		t_bytes(&t, CKA_START_DATE, "20000101", 8);
		t_bytes(&t, CKA_END_DATE, "99991231", 8);
		h = KEY_IMPORT_X(c.s, CKK_AES, kat_cbc_key, 16, K_CRYPT, &t);
		ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, h));
	}
}

/*
 * ATTRIB-3: CKA_KEY_GEN_MECHANISM for all keys: the generating mechanism
 * for a generated key (CKA_LOCAL TRUE), CK_UNAVAILABLE_INFORMATION for an
 * imported one (CKA_LOCAL FALSE), kept by C_CopyObject, never settable
 * (CKR_ATTRIBUTE_READ_ONLY in a template and in C_SetAttributeValue).
 */
TEST(ATTRIB_3)
{
	static const struct {
		CK_MECHANISM_TYPE mech;
		CK_ULONG len;
	} gens[] = {
		{ CKM_AES_KEY_GEN, 16 }, { CKM_AES_KEY_GEN, 32 },
		{ CKM_GENERIC_SECRET_KEY_GEN, 32 },
	};
	CK_MECHANISM_TYPE mt = CKM_AES_KEY_GEN;
	CK_ATTRIBUTE a = { CKA_KEY_GEN_MECHANISM, &mt, sizeof(mt) };
	CK_ATTRIBUTE lbl = { CKA_LABEL, "copy", 4 };
	CK_OBJECT_HANDLE h, cp;
	CK_ULONG v;
	CK_BBOOL b;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	for (i = 0; i < P11_ARRAY_SIZE(gens); i++) {
		h = KEY_GEN(c.s, gens[i].mech, gens[i].len, K_CRYPT);
		ASSERT_OK(p11_get_ulong(c.s, h, CKA_KEY_GEN_MECHANISM, &v));
		ASSERT_EQ(gens[i].mech, v);
		ASSERT_OK(p11_get_bool(c.s, h, CKA_LOCAL, &b));
		ASSERT_EQ(CK_TRUE, b);
		ASSERT_OK(p11->C_CopyObject(c.s, h, &lbl, 1, &cp));
		ASSERT_OK(p11_get_ulong(c.s, cp, CKA_KEY_GEN_MECHANISM, &v));
		ASSERT_EQ(gens[i].mech, v);
		ASSERT_OK(p11_get_bool(c.s, cp, CKA_LOCAL, &b));
		ASSERT_EQ(CK_TRUE, b);
		EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
			  p11->C_SetAttributeValue(c.s, h, &a, 1));
	}
	h = AES_KEY(c.s, K_CRYPT);
	ASSERT_OK(p11_get_ulong(c.s, h, CKA_KEY_GEN_MECHANISM, &v));
	ASSERT_EQ(CK_UNAVAILABLE_INFORMATION, v);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_LOCAL, &b));
	ASSERT_EQ(CK_FALSE, b);

	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  create_with(c.s, CKK_AES, CKA_KEY_GEN_MECHANISM, &mt,
			      sizeof(mt), &h));
	{
		CK_MECHANISM m = MECH(CKM_AES_KEY_GEN);
		struct p11_tmpl t;

		t_init(&t);
		t_ulong(&t, CKA_VALUE_LEN, 16);
		t_ulong(&t, CKA_KEY_GEN_MECHANISM, CKM_AES_KEY_GEN);
		EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
			  p11->C_GenerateKey(c.s, &m, t.a, t.n, &h));
	}
}

/*
 * ATTRIB-4: CKA_ALLOWED_MECHANISMS for all keys: the list is kept and read
 * back; a mechanism outside it is refused at init (CKR_MECHANISM_INVALID,
 * or CKR_KEY_FUNCTION_NOT_PERMITTED: the standard names no code); a
 * mechanism on it works; without the attribute every fitting mechanism
 * works; a length that is not a whole number of CK_MECHANISM_TYPEs is
 * CKR_ATTRIBUTE_VALUE_INVALID; not modifiable after creation.
 */
TEST(ATTRIB_4)
{
	CK_MECHANISM_TYPE allow[2] = { CKM_AES_CBC, CKM_AES_CMAC }, got[8];
	CK_MECHANISM cbc = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	CK_MECHANISM ecb = MECH(CKM_AES_ECB), cmac = MECH(CKM_AES_CMAC);
	CK_MECHANISM h256 = MECH(CKM_SHA256_HMAC), h512 = MECH(CKM_SHA512_HMAC);
	CK_ATTRIBUTE a = { CKA_ALLOWED_MECHANISMS, allow, sizeof(CK_ULONG) };
	unsigned char out[32];
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	t_init(&t);
	t_bytes(&t, CKA_ALLOWED_MECHANISMS, allow, sizeof(allow));
	h = KEY_IMPORT_X(c.s, CKK_AES, kat_cbc_key, 16, K_CRYPT | K_MAC, &t);
	n = sizeof(got);
	ASSERT_OK(p11_get_bytes(c.s, h, CKA_ALLOWED_MECHANISMS, got, &n));
	ASSERT_EQ(sizeof(allow), n);
	ASSERT_MEM(allow, got, sizeof(allow));

	ASSERT_OK(p11->C_EncryptInit(c.s, &cbc, h));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n));
	ASSERT_MEM(kat_cbc_ct, out, 32);
	ASSERT_OK(p11->C_SignInit(c.s, &cmac, h));
	n = sizeof(out);
	ASSERT_OK(p11->C_Sign(c.s, (CK_BYTE_PTR)kat_cbc_pt, 16, out, &n));
	ASSERT_RV2(CKR_MECHANISM_INVALID, CKR_KEY_FUNCTION_NOT_PERMITTED,
		   p11->C_EncryptInit(c.s, &ecb, h));
	ASSERT_RV2(CKR_MECHANISM_INVALID, CKR_KEY_FUNCTION_NOT_PERMITTED,
		   p11->C_DecryptInit(c.s, &ecb, h));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(c.s, h, &a, 1));

	/* generic secret, HMAC: only SHA-256 allowed */
	allow[0] = CKM_SHA256_HMAC;
	t_init(&t);
	t_bytes(&t, CKA_ALLOWED_MECHANISMS, allow, sizeof(CK_ULONG));
	h = KEY_IMPORT_X(c.s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN,
			 K_MAC, &t);
	ASSERT_OK(p11->C_SignInit(c.s, &h256, h));
	n = sizeof(out);
	ASSERT_OK(p11->C_Sign(c.s, (CK_BYTE_PTR)kat_hmac_data,
			      sizeof(kat_hmac_data), out, &n));
	ASSERT_MEM(kat_hmac_mac, out, 32);
	ASSERT_RV2(CKR_MECHANISM_INVALID, CKR_KEY_FUNCTION_NOT_PERMITTED,
		   p11->C_SignInit(c.s, &h512, h));

	/* no list: anything that fits the key */
	h = AES_KEY(c.s, K_CRYPT);
	ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, h));

	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  create_with(c.s, CKK_AES, CKA_ALLOWED_MECHANISMS, allow, 5,
			      &h));
}

/*
 * ATTRIB-5: CKA_PRIVATE for all storage objects (data objects and keys):
 * TRUE and FALSE both kept; a private token object is invisible and its
 * handle unusable without login, a public one stays visible; private
 * objects can't be created without login.
 */
TEST(ATTRIB_5)
{
	static const CK_KEY_TYPE kts[] = { CKK_AES, CKK_GENERIC_SECRET };
	char lpub[64], lpriv[64];
	CK_OBJECT_HANDLE pub, priv, found[4], h;
	CK_BBOOL b;
	CK_ULONG n;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	for (i = 0; i < P11_ARRAY_SIZE(kts); i++) {
		h = KEY_IMPORT(c.s, kts[i], kat_cbc_key, 16,
			       K_PUBLIC | K_CRYPT);
		ASSERT_OK(p11_get_bool(c.s, h, CKA_PRIVATE, &b));
		ASSERT_EQ(CK_FALSE, b);
		h = KEY_IMPORT(c.s, kts[i], kat_cbc_key, 16, K_CRYPT);
		ASSERT_OK(p11_get_bool(c.s, h, CKA_PRIVATE, &b));
		ASSERT_EQ(CK_TRUE, b);
	}

	snprintf(lpub, sizeof(lpub), "attrib-5 public %d", getpid());
	snprintf(lpriv, sizeof(lpriv), "attrib-5 private %d", getpid());
	pub = DATA_CREATE(c.s, lpub, "pub", 3, K_TOKEN | K_PUBLIC);
	priv = DATA_CREATE(c.s, lpriv, "priv", 4, K_TOKEN);
	ASSERT_OK(p11_get_bool(c.s, pub, CKA_PRIVATE, &b));
	ASSERT_EQ(CK_FALSE, b);
	ASSERT_OK(p11_get_bool(c.s, priv, CKA_PRIVATE, &b));
	ASSERT_EQ(CK_TRUE, b);

	ASSERT_OK(p11->C_Logout(c.s));
	ASSERT_OK(p11_find_label(c.s, lpub, found, 4, &n));
	ASSERT_EQ(1UL, n);
	ASSERT_EQ(pub, found[0]);
	ASSERT_OK(p11_find_label(c.s, lpriv, found, 4, &n));
	ASSERT_EQ(0UL, n);
	ASSERT_OK(p11_get_bool(c.s, pub, CKA_TOKEN, &b));
	ASSERT_RV(CKR_OBJECT_HANDLE_INVALID,
		  p11_get_bool(c.s, priv, CKA_TOKEN, &b));
	{
		struct p11_tmpl t;

		t_init(&t);
		t_ulong(&t, CKA_CLASS, CKO_DATA);
		t_bool(&t, CKA_PRIVATE, CK_TRUE);
		ASSERT_RV(CKR_USER_NOT_LOGGED_IN,
			  p11->C_CreateObject(c.s, t.a, t.n, &h));
	}

	ASSERT_OK(p11_login(c.s, CKU_USER));
	ASSERT_OK(p11_find_label(c.s, lpriv, found, 4, &n));
	ASSERT_EQ(1UL, n);
	ASSERT_OK(p11->C_DestroyObject(c.s, found[0]));
	ASSERT_OK(p11->C_DestroyObject(c.s, pub));
}

/*
 * ATTRIB-6: CKA_MODIFIABLE for all storage objects: FALSE makes every
 * C_SetAttributeValue fail with CKR_ACTION_PROHIBITED (3.0 5.1.6), TRUE
 * (the default) lets modifiable attributes change; the attribute itself is
 * not settable; an unmodifiable object can still be destroyed.
 */
TEST(ATTRIB_6)
{
	CK_ATTRIBUTE lbl = { CKA_LABEL, "renamed", 7 };
	CK_BBOOL f = CK_FALSE, b;
	CK_ATTRIBUTE enc = { CKA_ENCRYPT, &f, 1 };
	CK_ATTRIBUTE mod = { CKA_MODIFIABLE, &f, 1 };
	CK_OBJECT_HANDLE objs[3], h;
	struct p11_tmpl t;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	t_init(&t);
	t_bool(&t, CKA_MODIFIABLE, CK_FALSE);
	objs[0] = KEY_IMPORT_X(c.s, CKK_AES, kat_cbc_key, 16, K_CRYPT, &t);
	objs[1] = KEY_IMPORT_X(c.s, CKK_GENERIC_SECRET, kat_hmac_key,
			       HMAC_LEN, K_CRYPT, &t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(p11->C_CreateObject(c.s, t.a, t.n, &objs[2]));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(p11_get_bool(c.s, objs[i], CKA_MODIFIABLE, &b));
		ASSERT_EQ(CK_FALSE, b);
		EXPECT_RV(CKR_ACTION_PROHIBITED,
			  p11->C_SetAttributeValue(c.s, objs[i], &lbl, 1));
		if (i < 2)
			EXPECT_RV(CKR_ACTION_PROHIBITED,
				  p11->C_SetAttributeValue(c.s, objs[i], &enc,
							   1));
		ASSERT_OK(p11->C_DestroyObject(c.s, objs[i]));
	}

	h = AES_KEY(c.s, K_CRYPT);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_MODIFIABLE, &b));
	ASSERT_EQ(CK_TRUE, b);
	ASSERT_OK(p11->C_SetAttributeValue(c.s, h, &lbl, 1));
	ASSERT_OK(p11->C_SetAttributeValue(c.s, h, &enc, 1));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(c.s, h, &mod, 1));
}

/*
 * ATTRIB-7: CKA_COPYABLE for all storage objects: FALSE makes C_CopyObject
 * fail with CKR_ACTION_PROHIBITED; TRUE (the default) copies, applying the
 * copy's template; once FALSE it can't become TRUE again.
 */
TEST(ATTRIB_7)
{
	CK_BBOOL t_ = CK_TRUE, b;
	CK_ATTRIBUTE cpy = { CKA_COPYABLE, &t_, 1 };
	CK_ATTRIBUTE lbl = { CKA_LABEL, "the copy", 8 };
	CK_OBJECT_HANDLE objs[3], h, cp;
	unsigned char val[64];
	struct p11_tmpl t;
	CK_ULONG n;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	t_init(&t);
	t_bool(&t, CKA_COPYABLE, CK_FALSE);
	objs[0] = KEY_IMPORT_X(c.s, CKK_AES, kat_cbc_key, 16, K_CRYPT, &t);
	objs[1] = KEY_IMPORT_X(c.s, CKK_GENERIC_SECRET, kat_hmac_key,
			       HMAC_LEN, K_MAC, &t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(p11->C_CreateObject(c.s, t.a, t.n, &objs[2]));
	for (i = 0; i < 3; i++) {
		ASSERT_OK(p11_get_bool(c.s, objs[i], CKA_COPYABLE, &b));
		ASSERT_EQ(CK_FALSE, b);
		EXPECT_RV(CKR_ACTION_PROHIBITED,
			  p11->C_CopyObject(c.s, objs[i], &lbl, 1, &cp));
		EXPECT_RV(CKR_ACTION_PROHIBITED,
			  p11->C_CopyObject(c.s, objs[i], &cpy, 1, &cp));
		EXPECT_RV2(CKR_ATTRIBUTE_READ_ONLY, CKR_ACTION_PROHIBITED,
			   p11->C_SetAttributeValue(c.s, objs[i], &cpy, 1));
	}

	h = DATA_CREATE(c.s, "original", "payload", 7, 0);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_COPYABLE, &b));
	ASSERT_EQ(CK_TRUE, b);
	ASSERT_OK(p11->C_CopyObject(c.s, h, &lbl, 1, &cp));
	ASSERT_NE(h, cp);
	n = sizeof(val);
	ASSERT_OK(p11_get_bytes(c.s, cp, CKA_LABEL, val, &n));
	ASSERT_EQ(8UL, n);
	ASSERT_MEM("the copy", val, 8);
	n = sizeof(val);
	ASSERT_OK(p11_get_bytes(c.s, cp, CKA_VALUE, val, &n));
	ASSERT_EQ(7UL, n);
	ASSERT_MEM("payload", val, 7);
}

/* A key with usage @on and its CKA_<fn> read back; init with @m refused
 * when the attribute is FALSE */
static void usage_attr(struct __test_metadata *_metadata, struct p11c *c,
		       CK_ATTRIBUTE_TYPE type, unsigned int flag,
		       p11_init_fn init, CK_MECHANISM *m, CK_KEY_TYPE kt,
		       const void *val, CK_ULONG len)
{
	CK_OBJECT_HANDLE on, off;
	CK_BBOOL b;

	on = KEY_IMPORT(c->s, kt, val, len, flag);
	off = KEY_IMPORT(c->s, kt, val, len, (K_CRYPT | K_MAC) & ~flag);
	ASSERT_OK(p11_get_bool(c->s, on, type, &b));
	ASSERT_EQ(CK_TRUE, b);
	ASSERT_OK(p11_get_bool(c->s, off, type, &b));
	ASSERT_EQ(CK_FALSE, b);
	if (!init)
		return;
	/* a session per init: a successful one leaves its operation active */
	ASSERT_OK(init(NEW_SESSION(c), m, on));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED, init(c->s, m, off));
	ASSERT_OK(p11_set_bool(c->s, on, type, CK_FALSE));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED, init(c->s, m, on));
}

/*
 * ATTRIB-8: CKA_ENCRYPT for all public and secret keys, generic secret
 * included: kept either way, modifiable, enforced by C_EncryptInit; a
 * generic key with CKA_ENCRYPT TRUE is still the wrong type for AES
 * (CKR_KEY_TYPE_INCONSISTENT).  With RSA: public keys the same.
 */
TEST(ATTRIB_8)
{
	CK_MECHANISM ecb = MECH(CKM_AES_ECB);
	CK_OBJECT_HANDLE g;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	usage_attr(_metadata, &c, CKA_ENCRYPT, K_ENC, p11->C_EncryptInit, &ecb,
		   CKK_AES, kat_cbc_key, 16);
	usage_attr(_metadata, &c, CKA_ENCRYPT, K_ENC, NULL, NULL,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	bool_roundtrip(_metadata, &c, CKA_ENCRYPT);
	g = HMAC_KEY(c.s, K_ENC);
	ASSERT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  p11->C_EncryptInit(c.s, &ecb, g));
}

/*
 * ATTRIB-9: CKA_VERIFY_RECOVER for public keys.  Not a secret-key
 * attribute; CKA_VERIFY is the one secret keys have, and it is kept and
 * enforced independently of CKA_SIGN.  With RSA: public keys accept
 * CKA_VERIFY_RECOVER independently of CKA_VERIFY.
 */
TEST(ATTRIB_9)
{
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC);
	CK_OBJECT_HANDLE h;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	foreign_attribute(_metadata, &c, CKA_VERIFY_RECOVER);
	usage_attr(_metadata, &c, CKA_VERIFY, K_VER, p11->C_VerifyInit, &hmac,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	h = HMAC_KEY(c.s, K_VER);
	ASSERT_OK(p11->C_VerifyInit(NEW_SESSION(&c), &hmac, h));
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_SignInit(c.s, &hmac, h));
}

/*
 * ATTRIB-10: CKA_WRAP for all public and secret keys, generic secret
 * included: kept either way and modifiable.  With a wrapping mechanism
 * (CKM_AES_KEY_WRAP), C_WrapKey refuses a wrapping key whose CKA_WRAP is
 * FALSE with CKR_KEY_FUNCTION_NOT_PERMITTED.
 */
TEST(ATTRIB_10)
{
	CK_MECHANISM kw = MECH(CKM_AES_KEY_WRAP);
	CK_OBJECT_HANDLE w, k;
	unsigned char out[64];
	CK_ULONG n = sizeof(out);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	usage_attr(_metadata, &c, CKA_WRAP, K_WRAP, NULL, NULL, CKK_AES,
		   kat_cbc_key, 16);
	usage_attr(_metadata, &c, CKA_WRAP, K_WRAP, NULL, NULL,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	bool_roundtrip(_metadata, &c, CKA_WRAP);
	if (!p11_has_mech(c.slot, CKM_AES_KEY_WRAP))
		return;
	w = AES_KEY(c.s, K_UNWRAP);
	k = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_CRYPT);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_WrapKey(c.s, &kw, w, k, out, &n));
}

/*
 * ATTRIB-11: CKA_TRUSTED for public and secret keys, generic secret
 * included: default FALSE; only the SO may set it TRUE (a normal user gets
 * CKR_ATTRIBUTE_READ_ONLY, in a template and in C_SetAttributeValue).
 */
TEST(ATTRIB_11)
{
	CK_BBOOL t_ = CK_TRUE, b;
	CK_ATTRIBUTE tr = { CKA_TRUSTED, &t_, 1 };
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	struct p11c c;

	P11_SETUP(&c, P11_SO);
	t_init(&t);
	t_bool(&t, CKA_TRUSTED, CK_TRUE);
	h = KEY_IMPORT_X(c.s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN,
			 K_WRAP | K_PUBLIC, &t);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_TRUSTED, &b));
	ASSERT_EQ(CK_TRUE, b);
	h = KEY_IMPORT_X(c.s, CKK_AES, kat_cbc_key, 16, K_WRAP | K_PUBLIC, &t);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_TRUSTED, &b));
	ASSERT_EQ(CK_TRUE, b);
	ASSERT_OK(p11->C_Logout(c.s));

	ASSERT_OK(p11_login(c.s, CKU_USER));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  create_with(c.s, CKK_GENERIC_SECRET, CKA_TRUSTED, &t_, 1,
			      &h));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  create_with(c.s, CKK_AES, CKA_TRUSTED, &t_, 1, &h));
	h = HMAC_KEY(c.s, K_WRAP);
	ASSERT_OK(p11_get_bool(c.s, h, CKA_TRUSTED, &b));
	ASSERT_EQ(CK_FALSE, b);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(c.s, h, &tr, 1));
}

/*
 * Array attribute @type (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE): kept on
 * both secret key types and read back with the two-step length query of
 * 3.0 5.7.5; default empty; a length not a whole number of CK_ATTRIBUTEs
 * is CKR_ATTRIBUTE_VALUE_INVALID.
 */
static void template_attr(struct __test_metadata *_metadata, struct p11c *c,
			  CK_ATTRIBUTE_TYPE type)
{
	static const CK_KEY_TYPE kts[] = { CKK_AES, CKK_GENERIC_SECRET };
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_BBOOL f = CK_FALSE;
	CK_ATTRIBUTE inner[2] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_EXTRACTABLE, &f, sizeof(f) },
	};
	CK_ATTRIBUTE out[2];
	CK_OBJECT_CLASS cls_out;
	CK_BBOOL f_out;
	CK_ATTRIBUTE a;
	CK_OBJECT_HANDLE h;
	size_t i;

	for (i = 0; i < P11_ARRAY_SIZE(kts); i++) {
		ASSERT_OK(create_with(c->s, kts[i], type, inner,
				      sizeof(inner), &h));
		a.type = type;
		a.pValue = NULL;
		a.ulValueLen = 0;
		ASSERT_OK(p11->C_GetAttributeValue(c->s, h, &a, 1));
		ASSERT_EQ(sizeof(inner), a.ulValueLen);
		/* second step: the attribute types with their lengths */
		memset(out, 0, sizeof(out));
		a.pValue = out;
		ASSERT_OK(p11->C_GetAttributeValue(c->s, h, &a, 1));
		ASSERT_EQ(sizeof(inner), a.ulValueLen);
		ASSERT_EQ(CKA_CLASS, out[0].type);
		ASSERT_EQ(sizeof(cls), out[0].ulValueLen);
		ASSERT_EQ(CKA_EXTRACTABLE, out[1].type);
		ASSERT_EQ(sizeof(f), out[1].ulValueLen);
		/* third step: the values */
		out[0].pValue = &cls_out;
		out[1].pValue = &f_out;
		cls_out = 0;
		f_out = CK_TRUE;
		ASSERT_OK(p11->C_GetAttributeValue(c->s, h, &a, 1));
		ASSERT_EQ(CKO_SECRET_KEY, cls_out);
		ASSERT_EQ(CK_FALSE, f_out);

		h = kts[i] == CKK_AES ? AES_KEY(c->s, K_WRAP | K_UNWRAP) :
					HMAC_KEY(c->s, K_WRAP | K_UNWRAP);
		a.pValue = NULL;
		a.ulValueLen = 0;
		ASSERT_OK(p11->C_GetAttributeValue(c->s, h, &a, 1));
		ASSERT_EQ(0UL, a.ulValueLen);

		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  create_with(c->s, kts[i], type, inner,
				      sizeof(inner) - 1, &h));
	}
}

/* ATTRIB-12: CKA_WRAP_TEMPLATE for public and secret keys, generic too */
TEST(ATTRIB_12)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	template_attr(_metadata, &c, CKA_WRAP_TEMPLATE);
}

/* ATTRIB-13: CKA_UNWRAP_TEMPLATE for private and secret keys, generic too */
TEST(ATTRIB_13)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	template_attr(_metadata, &c, CKA_UNWRAP_TEMPLATE);
}

/*
 * ATTRIB-14: CKA_PUBLIC_KEY_INFO for public and private keys.  Secret keys
 * and data objects do not have it.  With EC/RSA: the DER
 * SubjectPublicKeyInfo of the key, the same on both halves of a pair.
 */
TEST(ATTRIB_14)
{
	CK_OBJECT_HANDLE d;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	foreign_attribute(_metadata, &c, CKA_PUBLIC_KEY_INFO);
	d = DATA_CREATE(c.s, "attrib-14", "x", 1, 0);
	not_an_attribute(_metadata, c.s, d, CKA_PUBLIC_KEY_INFO, CKO_DATA);
}

/*
 * ATTRIB-15: CKA_DECRYPT for private and secret keys, generic secret
 * included: kept either way, modifiable, enforced by C_DecryptInit.
 */
TEST(ATTRIB_15)
{
	CK_MECHANISM ecb = MECH(CKM_AES_ECB);
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	usage_attr(_metadata, &c, CKA_DECRYPT, K_DEC, p11->C_DecryptInit, &ecb,
		   CKK_AES, kat_cbc_key, 16);
	usage_attr(_metadata, &c, CKA_DECRYPT, K_DEC, NULL, NULL,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	bool_roundtrip(_metadata, &c, CKA_DECRYPT);
}

/*
 * ATTRIB-16: CKA_SIGN_RECOVER for private keys.  Not a secret-key
 * attribute; CKA_SIGN is, kept and enforced independently of CKA_VERIFY.
 * With EC/RSA: private keys accept CKA_SIGN_RECOVER.
 */
TEST(ATTRIB_16)
{
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC), cmac = MECH(CKM_AES_CMAC);
	CK_OBJECT_HANDLE h;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	foreign_attribute(_metadata, &c, CKA_SIGN_RECOVER);
	usage_attr(_metadata, &c, CKA_SIGN, K_SIGN, p11->C_SignInit, &hmac,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	usage_attr(_metadata, &c, CKA_SIGN, K_SIGN, p11->C_SignInit, &cmac,
		   CKK_AES, kat_cbc_key, 16);
	h = HMAC_KEY(c.s, K_SIGN);
	ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  p11->C_VerifyInit(c.s, &hmac, h));
}

/*
 * ATTRIB-17: CKA_UNWRAP for private and secret keys, generic secret
 * included: kept either way and modifiable.
 */
TEST(ATTRIB_17)
{
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	usage_attr(_metadata, &c, CKA_UNWRAP, K_UNWRAP, NULL, NULL, CKK_AES,
		   kat_cbc_key, 16);
	usage_attr(_metadata, &c, CKA_UNWRAP, K_UNWRAP, NULL, NULL,
		   CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN);
	bool_roundtrip(_metadata, &c, CKA_UNWRAP);
}

P11_MAIN
