// SPDX-License-Identifier: GPL-2.0
/*
 * The compliance report's five attribute properties, for every object
 * class and key type khsm has (one harness variant each: CKO_DATA, AES-128,
 * AES-192, AES-256, generic secret of 32 and 20 bytes), through every way
 * of making an object that applies (C_CreateObject, C_GenerateKey,
 * C_CopyObject):
 *   1. template values are honoured        (honoured_*)
 *   2. defaults are applied                (defaults_*)
 *   3. required attributes are enforced    (required_*)
 *   4. invalid attribute types are refused (invalid_type, and invalid_value)
 *   5. conflicting values are refused      (conflicting, read_only)
 * The expected codes are PKCS#11 3.0 4.1.1-4.1.3; the attribute tables are
 * 3.0 Tables 17, 18, 23 and 28.  New key types join as new variants.
 */
#include "kselftest_harness.h"
#include "p11_test.h"

#define NONE		(~0UL)
#define S_DATA		(1u << 0)	/* attribute of data objects */
#define S_KEY		(1u << 1)	/* attribute of secret keys */
#define S_ALL		(S_DATA | S_KEY)
#define F_COPY		(1u << 2)	/* may be given to C_CopyObject */

static const CK_BBOOL T = CK_TRUE, F = CK_FALSE;
static const unsigned char oid_a[] = { 0x06, 0x03, 0x2a, 0x03, 0x04 };
static const unsigned char oid_b[] = { 0x06, 0x01, 0x28 };
static const unsigned char id_a[] = { 1, 2, 3 }, id_b[] = { 0xff };

/* The attributes an application may set, with two value sets A and B */
static const struct attr_case {
	CK_ATTRIBUTE_TYPE type;
	const char *name;
	unsigned int fl;
	const void *a, *b;
	CK_ULONG alen, blen;
} cases[] = {
#define BOOL(t, fl, va, vb) { t, #t, fl, &va, &vb, 1, 1 }
#define BYTES(t, fl, va, la, vb, lb) { t, #t, fl, va, vb, la, lb }
	BOOL(CKA_TOKEN, S_ALL | F_COPY, F, T),
	BOOL(CKA_PRIVATE, S_ALL | F_COPY, T, F),
	BOOL(CKA_MODIFIABLE, S_ALL | F_COPY, F, T),
	BYTES(CKA_LABEL, S_ALL | F_COPY, "props A", 7, "props B", 7),
	BOOL(CKA_COPYABLE, S_ALL, F, T),
	BOOL(CKA_DESTROYABLE, S_ALL | F_COPY, F, T),
	BYTES(CKA_APPLICATION, S_DATA, "app A", 5, "application B", 13),
	BYTES(CKA_OBJECT_ID, S_DATA, oid_a, sizeof(oid_a), oid_b,
	      sizeof(oid_b)),
	BYTES(CKA_VALUE, S_DATA, "value A", 7, "b", 1),
	BYTES(CKA_ID, S_KEY | F_COPY, id_a, sizeof(id_a), id_b, sizeof(id_b)),
	BYTES(CKA_START_DATE, S_KEY | F_COPY, "20240101", 8, "19991231", 8),
	BYTES(CKA_END_DATE, S_KEY | F_COPY, "20301231", 8, "20000101", 8),
	BOOL(CKA_DERIVE, S_KEY | F_COPY, T, F),
	BOOL(CKA_SENSITIVE, S_KEY | F_COPY, T, F),
	BOOL(CKA_ENCRYPT, S_KEY | F_COPY, T, F),
	BOOL(CKA_DECRYPT, S_KEY | F_COPY, F, T),
	BOOL(CKA_SIGN, S_KEY | F_COPY, T, F),
	BOOL(CKA_VERIFY, S_KEY | F_COPY, F, T),
	BOOL(CKA_WRAP, S_KEY | F_COPY, T, F),
	BOOL(CKA_UNWRAP, S_KEY | F_COPY, F, T),
	BOOL(CKA_EXTRACTABLE, S_KEY | F_COPY, F, T),
	BOOL(CKA_WRAP_WITH_TRUSTED, S_KEY, T, F),
#undef BOOL
#undef BYTES
};

static const CK_MECHANISM_TYPE aes_mechs_a[] = { CKM_AES_CBC };
static const CK_MECHANISM_TYPE aes_mechs_b[] = { CKM_AES_ECB, CKM_AES_GCM };
static const CK_MECHANISM_TYPE gen_mechs_a[] = { CKM_SHA256_HMAC };
static const CK_MECHANISM_TYPE gen_mechs_b[] = { CKM_SHA256_HMAC,
						 CKM_SHA512_HMAC };

FIXTURE(props) {
	struct p11c c;
	unsigned char key[32];
};

FIXTURE_VARIANT(props) {
	CK_OBJECT_CLASS cls;
	CK_KEY_TYPE kt;
	CK_ULONG len;			/* key length */
	CK_MECHANISM_TYPE gen;		/* key generation, or NONE */
};

FIXTURE_VARIANT_ADD(props, dataobj) {
	.cls = CKO_DATA, .kt = NONE, .len = 0, .gen = NONE,
};
FIXTURE_VARIANT_ADD(props, aes128) {
	.cls = CKO_SECRET_KEY, .kt = CKK_AES, .len = 16,
	.gen = CKM_AES_KEY_GEN,
};
FIXTURE_VARIANT_ADD(props, aes192) {
	.cls = CKO_SECRET_KEY, .kt = CKK_AES, .len = 24,
	.gen = CKM_AES_KEY_GEN,
};
FIXTURE_VARIANT_ADD(props, aes256) {
	.cls = CKO_SECRET_KEY, .kt = CKK_AES, .len = 32,
	.gen = CKM_AES_KEY_GEN,
};
FIXTURE_VARIANT_ADD(props, generic256) {
	.cls = CKO_SECRET_KEY, .kt = CKK_GENERIC_SECRET, .len = 32,
	.gen = CKM_GENERIC_SECRET_KEY_GEN,
};
FIXTURE_VARIANT_ADD(props, generic160) {
	.cls = CKO_SECRET_KEY, .kt = CKK_GENERIC_SECRET, .len = 20,
	.gen = CKM_GENERIC_SECRET_KEY_GEN,
};

FIXTURE_SETUP(props)
{
	size_t i;

	for (i = 0; i < sizeof(self->key); i++)
		self->key[i] = (unsigned char)(0x41 + 7 * i);
	p11_setup_(_metadata, &self->c, P11_USER);
}

FIXTURE_TEARDOWN(props)
{
}

#define IS_KEY	(variant->cls == CKO_SECRET_KEY)
#define SCOPE	(IS_KEY ? S_KEY : S_DATA)

/* The minimum template of the variant for @how */
enum how { BY_CREATE, BY_GENERATE, BY_COPY };

static void base_tmpl(const FIXTURE_VARIANT(props) *variant,
		      const unsigned char *key, enum how how,
		      struct p11_tmpl *t)
{
	t_init(t);
	if (how == BY_GENERATE) {
		t_ulong(t, CKA_VALUE_LEN, variant->len);
		return;
	}
	t_ulong(t, CKA_CLASS, variant->cls);
	if (IS_KEY) {
		t_ulong(t, CKA_KEY_TYPE, variant->kt);
		t_bytes(t, CKA_VALUE, key, variant->len);
	}
}

/* Value set A (@b false) or B: every settable attribute of the class */
static void set_tmpl(const FIXTURE_VARIANT(props) *variant, int b,
		     enum how how, struct p11_tmpl *t)
{
	const CK_MECHANISM_TYPE *m;
	size_t i, n;

	for (i = 0; i < P11_ARRAY_SIZE(cases); i++) {
		if (!(cases[i].fl & SCOPE))
			continue;
		if (how == BY_COPY && !(cases[i].fl & F_COPY))
			continue;
		t_bytes(t, cases[i].type, b ? cases[i].b : cases[i].a,
			b ? cases[i].blen : cases[i].alen);
	}
	if (!IS_KEY || how == BY_COPY)
		return;
	if (variant->kt == CKK_AES) {
		m = b ? aes_mechs_b : aes_mechs_a;
		n = b ? sizeof(aes_mechs_b) : sizeof(aes_mechs_a);
	} else {
		m = b ? gen_mechs_b : gen_mechs_a;
		n = b ? sizeof(gen_mechs_b) : sizeof(gen_mechs_a);
	}
	t_bytes(t, CKA_ALLOWED_MECHANISMS, m, n);
}

static CK_RV make(struct __test_metadata *_metadata,
		  FIXTURE_DATA(props) *self,
		  const FIXTURE_VARIANT(props) *variant, enum how how,
		  struct p11_tmpl *t, CK_OBJECT_HANDLE *h)
{
	CK_MECHANISM m = MECH(variant->gen);
	CK_OBJECT_HANDLE src;
	struct p11_tmpl s;

	*h = CK_INVALID_HANDLE;
	switch (how) {
	case BY_CREATE:
		return p11->C_CreateObject(self->c.s, t->a, t->n, h);
	case BY_GENERATE:
		return p11->C_GenerateKey(self->c.s, &m, t->a, t->n, h);
	case BY_COPY:
		/* a source that every copy template may tighten */
		base_tmpl(variant, self->key, BY_CREATE, &s);
		if (IS_KEY) {
			t_bool(&s, CKA_SENSITIVE, CK_FALSE);
			t_bool(&s, CKA_EXTRACTABLE, CK_TRUE);
		}
		src = CK_INVALID_HANDLE;
		EXPECT_OK(p11->C_CreateObject(self->c.s, s.a, s.n, &src));
		return p11->C_CopyObject(self->c.s, src, t->a, t->n, h);
	}
	return CKR_GENERAL_ERROR;
}

/* Every attribute of @t reads back as given */
static void read_back(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
		      CK_OBJECT_HANDLE h, const struct p11_tmpl *t)
{
	unsigned char buf[256];
	CK_ULONG i, n;

	for (i = 0; i < t->n; i++) {
		const CK_ATTRIBUTE *a = &t->a[i];

		if (a->type == CKA_VALUE || a->type == CKA_VALUE_LEN)
			continue;	/* checked by the callers */
		n = sizeof(buf);
		EXPECT_RV_LOG(CKR_OK, p11_get_bytes(s, h, a->type, buf, &n),
			      "attribute 0x%lx", a->type);
		EXPECT_EQ(a->ulValueLen, n)
			TH_LOG("attribute 0x%lx length", a->type);
		if (n == a->ulValueLen)
			EXPECT_EQ(0, memcmp(a->pValue, buf, n))
				TH_LOG("attribute 0x%lx value", a->type);
	}
}

static void bool_is(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
		    CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, CK_BBOOL want)
{
	CK_BBOOL b = 0xee;

	EXPECT_RV_LOG(CKR_OK, p11_get_bool(s, h, type, &b), "attr 0x%lx",
		      type);
	EXPECT_EQ(want, b) TH_LOG("attribute 0x%lx", type);
}

static void empty(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
		  CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type)
{
	unsigned char buf[64];
	CK_ULONG n = sizeof(buf);

	EXPECT_RV_LOG(CKR_OK, p11_get_bytes(s, h, type, buf, &n),
		      "attribute 0x%lx", type);
	EXPECT_EQ(0UL, n) TH_LOG("attribute 0x%lx is not empty", type);
}

/* What the token adds to a key, whatever the template said */
static void key_facts(struct __test_metadata *_metadata,
		      FIXTURE_DATA(props) *self,
		      const FIXTURE_VARIANT(props) *variant,
		      CK_OBJECT_HANDLE h, enum how how)
{
	CK_SESSION_HANDLE s = self->c.s;
	unsigned char val[64];
	CK_BBOOL sens = 0, extr = 0;
	CK_ULONG v = 0, n;

	if (!IS_KEY)
		return;
	EXPECT_OK(p11_get_ulong(s, h, CKA_VALUE_LEN, &v));
	EXPECT_EQ(variant->len, v);
	EXPECT_OK(p11_get_ulong(s, h, CKA_KEY_TYPE, &v));
	EXPECT_EQ(variant->kt, v);
	bool_is(_metadata, s, h, CKA_LOCAL, how == BY_GENERATE);
	EXPECT_OK(p11_get_ulong(s, h, CKA_KEY_GEN_MECHANISM, &v));
	EXPECT_EQ(how == BY_GENERATE ? variant->gen :
		  CK_UNAVAILABLE_INFORMATION, v);
	EXPECT_OK(p11_get_bool(s, h, CKA_SENSITIVE, &sens));
	EXPECT_OK(p11_get_bool(s, h, CKA_EXTRACTABLE, &extr));
	if (how == BY_GENERATE) {
		bool_is(_metadata, s, h, CKA_ALWAYS_SENSITIVE, sens);
		bool_is(_metadata, s, h, CKA_NEVER_EXTRACTABLE, !extr);
	}
	/* the value: revealed only if neither sensitive nor unextractable */
	n = sizeof(val);
	if (sens || !extr) {
		EXPECT_RV(CKR_ATTRIBUTE_SENSITIVE,
			  p11_get_bytes(s, h, CKA_VALUE, val, &n));
		EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, n);
	} else {
		EXPECT_OK(p11_get_bytes(s, h, CKA_VALUE, val, &n));
		EXPECT_EQ(variant->len, n);
		if (how != BY_GENERATE && n == variant->len)
			EXPECT_EQ(0, memcmp(self->key, val, n));
	}
}

static void honoured(struct __test_metadata *_metadata,
		     FIXTURE_DATA(props) *self,
		     const FIXTURE_VARIANT(props) *variant, enum how how)
{
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	int b;

	if (how == BY_GENERATE && variant->gen == NONE)
		SKIP(return, "no key generation for this class");
	for (b = 0; b <= 1; b++) {
		base_tmpl(variant, self->key, how, &t);
		if (how == BY_COPY)
			t_init(&t);
		set_tmpl(variant, b, how, &t);
		ASSERT_RV_LOG(CKR_OK, make(_metadata, self, variant, how, &t,
					   &h), "value set %c", 'A' + b);
		read_back(_metadata, self->c.s, h, &t);
		key_facts(_metadata, self, variant, h, how);
		if (!IS_KEY && how != BY_COPY) {
			unsigned char buf[32];
			CK_ULONG n = sizeof(buf);
			CK_ATTRIBUTE *v = t_find(&t, CKA_VALUE);

			EXPECT_OK(p11_get_bytes(self->c.s, h, CKA_VALUE, buf,
						&n));
			EXPECT_EQ(v->ulValueLen, n);
		}
		/* set A: DESTROYABLE FALSE, set B: a token object */
		if (b)
			ASSERT_OK(p11->C_DestroyObject(self->c.s, h));
		else
			ASSERT_RV(CKR_ACTION_PROHIBITED,
				  p11->C_DestroyObject(self->c.s, h));
	}
}

TEST_F(props, honoured_create)
{
	honoured(_metadata, self, variant, BY_CREATE);
}

TEST_F(props, honoured_generate)
{
	honoured(_metadata, self, variant, BY_GENERATE);
}

TEST_F(props, honoured_copy)
{
	honoured(_metadata, self, variant, BY_COPY);
}


static void defaults(struct __test_metadata *_metadata,
		     FIXTURE_DATA(props) *self,
		     const FIXTURE_VARIANT(props) *variant, enum how how)
{
	CK_SESSION_HANDLE s = self->c.s;
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	CK_BBOOL b;

	if (how == BY_GENERATE && variant->gen == NONE)
		SKIP(return, "no key generation for this class");
	base_tmpl(variant, self->key, how, &t);
	if (how == BY_COPY)
		t_init(&t);
	ASSERT_OK(make(_metadata, self, variant, how, &t, &h));

	/* 3.0 Table 17 */
	bool_is(_metadata, s, h, CKA_TOKEN, CK_FALSE);
	bool_is(_metadata, s, h, CKA_MODIFIABLE, CK_TRUE);
	bool_is(_metadata, s, h, CKA_COPYABLE, CK_TRUE);
	bool_is(_metadata, s, h, CKA_DESTROYABLE, CK_TRUE);
	empty(_metadata, s, h, CKA_LABEL);
	/* token-specific, but there and a CK_BBOOL */
	EXPECT_OK(p11_get_bool(s, h, CKA_PRIVATE, &b));
	EXPECT_TRUE(b == CK_TRUE || b == CK_FALSE);
	if (!IS_KEY) {
		/* Table 18 */
		empty(_metadata, s, h, CKA_APPLICATION);
		empty(_metadata, s, h, CKA_OBJECT_ID);
		empty(_metadata, s, h, CKA_VALUE);
		return;
	}
	/* Tables 23 and 28 */
	empty(_metadata, s, h, CKA_ID);
	empty(_metadata, s, h, CKA_START_DATE);
	empty(_metadata, s, h, CKA_END_DATE);
	bool_is(_metadata, s, h, CKA_DERIVE, CK_FALSE);
	bool_is(_metadata, s, h, CKA_WRAP_WITH_TRUSTED, CK_FALSE);
	bool_is(_metadata, s, h, CKA_TRUSTED, CK_FALSE);
	if (how != BY_COPY)
		bool_is(_metadata, s, h, CKA_SENSITIVE, CK_FALSE);
	key_facts(_metadata, self, variant, h, how);
	/* the token-specific usage defaults: each a CK_BBOOL ... */
	{
		static const CK_ATTRIBUTE_TYPE usage[] = {
			CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY,
			CKA_WRAP, CKA_UNWRAP, CKA_EXTRACTABLE,
		};
		size_t i;

		for (i = 0; i < P11_ARRAY_SIZE(usage); i++) {
			EXPECT_OK(p11_get_bool(s, h, usage[i], &b));
			EXPECT_TRUE(b == CK_TRUE || b == CK_FALSE);
		}
	}
	/* ... that the operations obey */
	if (variant->kt == CKK_AES) {
		CK_MECHANISM ecb = MECH(CKM_AES_ECB);

		EXPECT_OK(p11_get_bool(s, h, CKA_ENCRYPT, &b));
		EXPECT_RV(b ? CKR_OK : CKR_KEY_FUNCTION_NOT_PERMITTED,
			  p11->C_EncryptInit(NEW_SESSION(&self->c), &ecb, h));
	} else {
		CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC);
		CK_MECHANISM_INFO mi;
		CK_RV want;

		/* a token may set a minimum HMAC key size */
		EXPECT_OK(p11->C_GetMechanismInfo(self->c.slot,
						  CKM_SHA256_HMAC, &mi));
		want = variant->len < mi.ulMinKeySize ? CKR_KEY_SIZE_RANGE :
		       CKR_OK;
		EXPECT_OK(p11_get_bool(s, h, CKA_SIGN, &b));
		if (!b)
			want = want == CKR_OK ? CKR_KEY_FUNCTION_NOT_PERMITTED :
			       want;
		EXPECT_RV2(want, b ? want : CKR_KEY_FUNCTION_NOT_PERMITTED,
			   p11->C_SignInit(NEW_SESSION(&self->c), &hmac, h));
	}
}

TEST_F(props, defaults_create)
{
	defaults(_metadata, self, variant, BY_CREATE);
}

TEST_F(props, defaults_generate)
{
	defaults(_metadata, self, variant, BY_GENERATE);
}

TEST_F(props, defaults_copy)
{
	defaults(_metadata, self, variant, BY_COPY);
}


/* Every attribute the class requires, left out in turn */
TEST_F(props, required_create)
{
	static const CK_ATTRIBUTE_TYPE req[] = {
		CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE,
	};
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t, cut;
	CK_ULONG i, j;

	base_tmpl(variant, self->key, BY_CREATE, &t);
	t_str(&t, CKA_LABEL, "required");
	for (i = 0; i < P11_ARRAY_SIZE(req); i++) {
		if (!t_find(&t, req[i]))
			continue;
		t_init(&cut);
		for (j = 0; j < t.n; j++)
			if (t.a[j].type != req[i])
				t_bytes(&cut, t.a[j].type, t.a[j].pValue,
					t.a[j].ulValueLen);
		EXPECT_RV_LOG(CKR_TEMPLATE_INCOMPLETE,
			      p11->C_CreateObject(self->c.s, cut.a, cut.n, &h),
			      "without 0x%lx", req[i]);
	}
	/* and the full template is enough */
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &h));
}

TEST_F(props, required_generate)
{
	CK_MECHANISM m = MECH(variant->gen);
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;

	if (variant->gen == NONE)
		SKIP(return, "no key generation for this class");
	t_init(&t);
	t_str(&t, CKA_LABEL, "required");
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE,
		  p11->C_GenerateKey(self->c.s, &m, t.a, t.n, &h));
	t_ulong(&t, CKA_VALUE_LEN, variant->len);
	ASSERT_OK(p11->C_GenerateKey(self->c.s, &m, t.a, t.n, &h));
}

/* @t plus one attribute, by every path that applies, must give @want */
static void refused(struct __test_metadata *_metadata,
		    FIXTURE_DATA(props) *self,
		    const FIXTURE_VARIANT(props) *variant,
		    CK_ATTRIBUTE_TYPE type, const void *val, CK_ULONG len,
		    CK_RV want, CK_RV want2, int paths)
{
	enum how how;
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	CK_RV rv;

	for (how = BY_CREATE; how <= BY_COPY; how++) {
		if (!(paths & (1 << how)))
			continue;
		if (how == BY_GENERATE && variant->gen == NONE)
			continue;
		base_tmpl(variant, self->key, how, &t);
		if (how == BY_COPY)
			t_init(&t);
		t_bytes(&t, type, val, len);
		rv = make(_metadata, self, variant, how, &t, &h);
		EXPECT_TRUE(rv == want || rv == want2)
			TH_LOG("attribute 0x%lx by %s: want %s, got %s", type,
			       how == BY_CREATE ? "create" :
			       how == BY_GENERATE ? "generate" : "copy",
			       khsm_rv_name(want), khsm_rv_name(rv));
	}
}
#define P_CREATE	(1 << BY_CREATE)
#define P_GENERATE	(1 << BY_GENERATE)
#define P_COPY		(1 << BY_COPY)
#define P_ALL		(P_CREATE | P_GENERATE | P_COPY)
#define REFUSED(type, val, len, want, paths) \
	refused(_metadata, self, variant, (type), (val), (len), (want), \
		(want), (paths))
#define REFUSED2(type, val, len, w1, w2, paths) \
	refused(_metadata, self, variant, (type), (val), (len), (w1), (w2), \
		(paths))

/*
 * Property 4: attribute types that do not exist are
 * CKR_ATTRIBUTE_TYPE_INVALID everywhere (create, generate, copy, set, get);
 * one that exists but belongs to another class is
 * CKR_TEMPLATE_INCONSISTENT (4.1.1 item 5's own example).
 */
TEST_F(props, invalid_type)
{
	static const CK_ATTRIBUTE_TYPE bogus[] = {
		0x7ffffff0UL, CKA_VENDOR_DEFINED | 0x4b48534dUL,
	};
	unsigned char buf[8] = { 1 };
	CK_ATTRIBUTE a = { 0, buf, 1 };
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	size_t i;

	for (i = 0; i < P11_ARRAY_SIZE(bogus); i++)
		REFUSED(bogus[i], buf, 1, CKR_ATTRIBUTE_TYPE_INVALID, P_ALL);
	if (IS_KEY) {
		REFUSED(CKA_MODULUS, buf, 8, CKR_TEMPLATE_INCONSISTENT, P_ALL);
		REFUSED(CKA_EC_PARAMS, buf, 8, CKR_TEMPLATE_INCONSISTENT,
			P_ALL);
		REFUSED(CKA_CERTIFICATE_TYPE, buf, 8,
			CKR_TEMPLATE_INCONSISTENT, P_CREATE | P_GENERATE);
	} else {
		CK_ULONG kt = CKK_AES;

		REFUSED(CKA_KEY_TYPE, &kt, sizeof(kt),
			CKR_TEMPLATE_INCONSISTENT, P_CREATE);
		REFUSED(CKA_ENCRYPT, &T, 1, CKR_TEMPLATE_INCONSISTENT,
			P_CREATE | P_COPY);
	}

	base_tmpl(variant, self->key, BY_CREATE, &t);
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	for (i = 0; i < P11_ARRAY_SIZE(bogus); i++) {
		a.type = bogus[i];
		a.pValue = buf;
		a.ulValueLen = 1;
		EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
			  p11->C_SetAttributeValue(self->c.s, h, &a, 1));
		a.ulValueLen = sizeof(buf);
		EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
			  p11->C_GetAttributeValue(self->c.s, h, &a, 1));
		EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, a.ulValueLen);
	}
}

/* Invalid values of valid attributes: CKR_ATTRIBUTE_VALUE_INVALID */
TEST_F(props, invalid_value)
{
	CK_ULONG bad_class = 0x7777, bad_kt = 0x7777, odd = 20;
	unsigned int four = 1;
	CK_MECHANISM m = MECH(variant->gen);
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;

	/* a CK_BBOOL of 4 bytes, a CK_ULONG of 4 bytes */
	REFUSED(CKA_TOKEN, &four, sizeof(four), CKR_ATTRIBUTE_VALUE_INVALID,
		P_ALL);
	t_init(&t);
	t_bytes(&t, CKA_CLASS, &bad_class, 4);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	t_init(&t);
	t_ulong(&t, CKA_CLASS, bad_class);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	if (!IS_KEY)
		return;
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, bad_kt);
	t_bytes(&t, CKA_VALUE, self->key, variant->len);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	if (variant->kt != CKK_AES)
		return;
	/* AES keys are 16, 24 or 32 bytes */
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	t_bytes(&t, CKA_VALUE, self->key, odd);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	t_init(&t);
	t_ulong(&t, CKA_VALUE_LEN, odd);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_GenerateKey(self->c.s, &m, t.a, t.n, &h));
}

/*
 * Property 5: conflicting values are CKR_TEMPLATE_INCONSISTENT: one
 * attribute twice with different values; a class or key type other than
 * the one the generating mechanism makes.  Attributes the operation itself
 * decides (CKA_VALUE_LEN at create, CKA_VALUE at generate) may instead be
 * CKR_ATTRIBUTE_READ_ONLY (3.0 Table 11 footnotes 2 and 4).  In a copy, a
 * one-way attribute can't go back (CKR_ATTRIBUTE_READ_ONLY).
 */
TEST_F(props, conflicting)
{
	CK_OBJECT_HANDLE h, src;
	struct p11_tmpl t;
	enum how how;

	for (how = BY_CREATE; how <= BY_COPY; how++) {
		if (how == BY_GENERATE && variant->gen == NONE)
			continue;
		base_tmpl(variant, self->key, how, &t);
		if (how == BY_COPY)
			t_init(&t);
		t_str(&t, CKA_LABEL, "one");
		t_str(&t, CKA_LABEL, "two");
		EXPECT_RV_LOG(CKR_TEMPLATE_INCONSISTENT,
			      make(_metadata, self, variant, how, &t, &h),
			      "CKA_LABEL twice, path %d", how);
		base_tmpl(variant, self->key, how, &t);
		if (how == BY_COPY)
			t_init(&t);
		t_bool(&t, CKA_TOKEN, CK_TRUE);
		t_bool(&t, CKA_TOKEN, CK_FALSE);
		EXPECT_RV_LOG(CKR_TEMPLATE_INCONSISTENT,
			      make(_metadata, self, variant, how, &t, &h),
			      "CKA_TOKEN twice, path %d", how);
	}
	if (!IS_KEY)
		return;

	/* against what the mechanism contributes (5.1.8 gotcha 5: either) */
	base_tmpl(variant, self->key, BY_GENERATE, &t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	EXPECT_RV2(CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_VALUE_INVALID,
		   make(_metadata, self, variant, BY_GENERATE, &t, &h));
	base_tmpl(variant, self->key, BY_GENERATE, &t);
	t_ulong(&t, CKA_KEY_TYPE, variant->kt == CKK_AES ?
		CKK_GENERIC_SECRET : CKK_AES);
	EXPECT_RV2(CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_VALUE_INVALID,
		   make(_metadata, self, variant, BY_GENERATE, &t, &h));

	base_tmpl(variant, self->key, BY_CREATE, &t);
	t_ulong(&t, CKA_VALUE_LEN, variant->len + 8);
	EXPECT_RV2(CKR_ATTRIBUTE_READ_ONLY, CKR_TEMPLATE_INCONSISTENT,
		   make(_metadata, self, variant, BY_CREATE, &t, &h));
	base_tmpl(variant, self->key, BY_GENERATE, &t);
	t_bytes(&t, CKA_VALUE, self->key, variant->len);
	EXPECT_RV2(CKR_ATTRIBUTE_READ_ONLY, CKR_TEMPLATE_INCONSISTENT,
		   make(_metadata, self, variant, BY_GENERATE, &t, &h));

	/* a sensitive, unextractable source: no way back in a copy */
	base_tmpl(variant, self->key, BY_CREATE, &t);
	t_bool(&t, CKA_SENSITIVE, CK_TRUE);
	t_bool(&t, CKA_EXTRACTABLE, CK_FALSE);
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &src));
	t_init(&t);
	t_bool(&t, CKA_SENSITIVE, CK_FALSE);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_CopyObject(self->c.s, src, t.a, t.n, &h));
	t_init(&t);
	t_bool(&t, CKA_EXTRACTABLE, CK_TRUE);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_CopyObject(self->c.s, src, t.a, t.n, &h));
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	EXPECT_RV2(CKR_ATTRIBUTE_READ_ONLY, CKR_TEMPLATE_INCONSISTENT,
		   p11->C_CopyObject(self->c.s, src, t.a, t.n, &h));
}

/*
 * Read-only attributes: given in a template, CKR_ATTRIBUTE_READ_ONLY
 * (4.1.1 item 3); set on an object, the same; one-way attributes only go
 * their way (4.1.2).
 */
TEST_F(props, read_only)
{
	static const CK_ATTRIBUTE_TYPE ro_key[] = {
		CKA_LOCAL, CKA_KEY_GEN_MECHANISM, CKA_ALWAYS_SENSITIVE,
		CKA_NEVER_EXTRACTABLE,
	};
	CK_ULONG cls = variant->cls, zero = 0;
	CK_ATTRIBUTE a;
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	size_t i;

	REFUSED(CKA_UNIQUE_ID, "id", 2, CKR_ATTRIBUTE_READ_ONLY, P_ALL);
	base_tmpl(variant, self->key, BY_CREATE, &t);
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &h));
	a.type = CKA_CLASS;
	a.pValue = &cls;
	a.ulValueLen = sizeof(cls);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(self->c.s, h, &a, 1));
	a.type = CKA_UNIQUE_ID;
	a.pValue = "id";
	a.ulValueLen = 2;
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(self->c.s, h, &a, 1));
	if (!IS_KEY)
		return;

	for (i = 0; i < P11_ARRAY_SIZE(ro_key); i++) {
		REFUSED(ro_key[i], &zero, ro_key[i] == CKA_KEY_GEN_MECHANISM ?
			sizeof(zero) : 1, CKR_ATTRIBUTE_READ_ONLY,
			P_CREATE | P_GENERATE | P_COPY);
		a.type = ro_key[i];
		a.pValue = &zero;
		a.ulValueLen = ro_key[i] == CKA_KEY_GEN_MECHANISM ?
			       sizeof(zero) : 1;
		EXPECT_RV_LOG(CKR_ATTRIBUTE_READ_ONLY,
			      p11->C_SetAttributeValue(self->c.s, h, &a, 1),
			      "set 0x%lx", ro_key[i]);
	}
	a.type = CKA_KEY_TYPE;
	a.pValue = &zero;
	a.ulValueLen = sizeof(zero);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(self->c.s, h, &a, 1));
	a.type = CKA_VALUE;
	a.pValue = self->key;
	a.ulValueLen = variant->len;
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11->C_SetAttributeValue(self->c.s, h, &a, 1));

	/* SENSITIVE: FALSE -> TRUE only; EXTRACTABLE: TRUE -> FALSE only */
	ASSERT_OK(p11_set_bool(self->c.s, h, CKA_SENSITIVE, CK_TRUE));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11_set_bool(self->c.s, h, CKA_SENSITIVE, CK_FALSE));
	ASSERT_OK(p11_set_bool(self->c.s, h, CKA_EXTRACTABLE, CK_FALSE));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11_set_bool(self->c.s, h, CKA_EXTRACTABLE, CK_TRUE));
	ASSERT_OK(p11_set_bool(self->c.s, h, CKA_WRAP_WITH_TRUSTED, CK_TRUE));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  p11_set_bool(self->c.s, h, CKA_WRAP_WITH_TRUSTED, CK_FALSE));
}

/* CKA_UNIQUE_ID (3.0 4.4.1): assigned by the token, unique */
TEST_F(props, unique_id)
{
	unsigned char u1[64], u2[64];
	CK_ULONG n1 = sizeof(u1), n2 = sizeof(u2);
	CK_OBJECT_HANDLE h1, h2, h3;
	struct p11_tmpl t;
	CK_RV rv;

	base_tmpl(variant, self->key, BY_CREATE, &t);
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &h1));
	ASSERT_OK(p11->C_CreateObject(self->c.s, t.a, t.n, &h2));
	rv = p11_get_bytes(self->c.s, h1, CKA_UNIQUE_ID, u1, &n1);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID && p11_is_softhsm())
		SKIP(return, "SoftHSMv2 2.6 has no CKA_UNIQUE_ID");
	ASSERT_OK(rv);
	ASSERT_OK(p11_get_bytes(self->c.s, h2, CKA_UNIQUE_ID, u2, &n2));
	ASSERT_LT(0UL, n1);
	ASSERT_FALSE(n1 == n2 && !memcmp(u1, u2, n1));
	t_init(&t);
	t_str(&t, CKA_LABEL, "copy");
	ASSERT_OK(p11->C_CopyObject(self->c.s, h1, t.a, t.n, &h3));
	n2 = sizeof(u2);
	ASSERT_OK(p11_get_bytes(self->c.s, h3, CKA_UNIQUE_ID, u2, &n2));
	ASSERT_FALSE(n1 == n2 && !memcmp(u1, u2, n1));
}

P11_MAIN
