// SPDX-License-Identifier: GPL-2.0
/*
 * object: the object model of PKCS#11 3.0 §4 (storage, key and secret key
 * attributes) and §5.7 (object management functions) as issue 2 item 6
 * lists it: defaults; required, forbidden and read-only attributes; the
 * one-way SENSITIVE and EXTRACTABLE transitions; ALWAYS_SENSITIVE,
 * NEVER_EXTRACTABLE and LOCAL; COPYABLE, MODIFIABLE, DESTROYABLE; private
 * objects invisible before login; the secret of a sensitive key never
 * readable; C_GetAttributeValue's length-query convention; all-or-nothing
 * C_SetAttributeValue; C_GetObjectSize; C_FindObjects with templates.
 */
#include <sched.h>

#include "kselftest_harness.h"
#include "kt.h"

#define CKA_BOGUS	0x7ffe1234UL	/* neither standard nor vendor */

static const unsigned char key16[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};

FIXTURE(obj) {
	int fd;
	__u32 s;
};

FIXTURE_SETUP(obj)
{
	kt_setup_user(_metadata, &self->fd, &self->s);
}

FIXTURE_TEARDOWN(obj)
{
	khsm_close(self->fd);
}

/* An AES key template from a value, without the usage flags */
static void aes_tmpl(struct kt_tmpl *t, const void *k, size_t len)
{
	kt_tmpl_init(t);
	kt_ulong(t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(t, CKA_VALUE, k, len);
}

/* A generate template for an AES key of @len bytes */
static void gen_tmpl(struct kt_tmpl *t, size_t len)
{
	kt_tmpl_init(t);
	kt_ulong(t, CKA_VALUE_LEN, len);
}

#define GET_BOOL(h, type) ({						\
	int __v = -1;							\
	EXPECT_OK(kt_get_bool(self->fd, self->s, (h), (type), &__v));	\
	__v;								\
})
#define GET_ULONG(h, type) ({						\
	CK_ULONG __v = ~0UL;						\
	EXPECT_OK(kt_get_ulong(self->fd, self->s, (h), (type), &__v));	\
	__v;								\
})
/* Length of an attribute by the NULL-pointer length query */
#define GET_LEN(h, type) ({						\
	__u64 __n = 0;							\
	EXPECT_OK(kt_get_bytes(self->fd, self->s, (h), (type), NULL, &__n)); \
	__n;								\
})

/* ---- creation: defaults ------------------------------------------------ */

TEST_F(obj, data_object_defaults)
{
	struct kt_tmpl t;
	__u64 h;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_NE(0, h);
	EXPECT_EQ(CKO_DATA, GET_ULONG(h, CKA_CLASS));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_TOKEN));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_MODIFIABLE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_COPYABLE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_DESTROYABLE));
	EXPECT_EQ(0, GET_LEN(h, CKA_LABEL));
	EXPECT_EQ(0, GET_LEN(h, CKA_APPLICATION));
	EXPECT_EQ(0, GET_LEN(h, CKA_OBJECT_ID));
	EXPECT_EQ(0, GET_LEN(h, CKA_VALUE));
	/* a data object has no key attributes */
	{
		CK_ULONG v;

		EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
			  kt_get_ulong(self->fd, self->s, h, CKA_KEY_TYPE, &v));
	}
}

TEST_F(obj, secret_key_defaults)
{
	struct kt_tmpl t;
	__u64 h;

	aes_tmpl(&t, key16, 16);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_EQ(CKO_SECRET_KEY, GET_ULONG(h, CKA_CLASS));
	EXPECT_EQ(CKK_AES, GET_ULONG(h, CKA_KEY_TYPE));
	EXPECT_EQ(16, GET_ULONG(h, CKA_VALUE_LEN));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_TOKEN));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_MODIFIABLE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_COPYABLE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_DESTROYABLE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_DERIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_LOCAL));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_TRUSTED));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_WRAP_WITH_TRUSTED));
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION,
		  GET_ULONG(h, CKA_KEY_GEN_MECHANISM));
	EXPECT_EQ(0, GET_LEN(h, CKA_LABEL));
	EXPECT_EQ(0, GET_LEN(h, CKA_ID));
	EXPECT_EQ(0, GET_LEN(h, CKA_START_DATE));
	EXPECT_EQ(0, GET_LEN(h, CKA_END_DATE));
	EXPECT_EQ(0, GET_LEN(h, CKA_ALLOWED_MECHANISMS));
	/* token-specific defaults: present and boolean */
	{
		static const CK_ATTRIBUTE_TYPE b[] = {
			CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE,
			CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY,
			CKA_WRAP, CKA_UNWRAP, CKA_ALWAYS_SENSITIVE,
			CKA_NEVER_EXTRACTABLE,
		};
		size_t i;

		for (i = 0; i < KT_ARRAY_SIZE(b); i++) {
			int v = GET_BOOL(h, b[i]);

			EXPECT_TRUE(v == CK_TRUE || v == CK_FALSE)
				TH_LOG("attribute 0x%lx = %d", b[i], v);
		}
	}
}

/* A created key's secret was known outside: never ALWAYS_SENSITIVE etc. */
TEST_F(obj, created_key_history_attributes)
{
	struct kt_tmpl t;
	__u64 h;

	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_SENSITIVE, 0);
	kt_bool(&t, CKA_EXTRACTABLE, 1);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_LOCAL));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_NEVER_EXTRACTABLE));
	/* becoming sensitive later does not rewrite history */
	ASSERT_OK(kt_set_bool(self->fd, self->s, h, CKA_SENSITIVE, 1));
	ASSERT_OK(kt_set_bool(self->fd, self->s, h, CKA_EXTRACTABLE, 0));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_NEVER_EXTRACTABLE));
}

TEST_F(obj, generated_key_local_and_history)
{
	struct kt_tmpl t;
	__u64 h, h2;

	gen_tmpl(&t, 32);
	kt_bool(&t, CKA_SENSITIVE, 1);
	kt_bool(&t, CKA_EXTRACTABLE, 0);
	ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, &h));
	EXPECT_EQ(CKO_SECRET_KEY, GET_ULONG(h, CKA_CLASS));
	EXPECT_EQ(CKK_AES, GET_ULONG(h, CKA_KEY_TYPE));
	EXPECT_EQ(32, GET_ULONG(h, CKA_VALUE_LEN));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_LOCAL));
	EXPECT_EQ(CKM_AES_KEY_GEN, GET_ULONG(h, CKA_KEY_GEN_MECHANISM));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_NEVER_EXTRACTABLE));

	/* a copy keeps LOCAL and the history (PKCS#11 §5.7 C_CopyObject) */
	ASSERT_OK(kt_copy(self->fd, self->s, h, NULL, &h2));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h2, CKA_LOCAL));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h2, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h2, CKA_NEVER_EXTRACTABLE));

	/* a generated key that was not sensitive at birth */
	gen_tmpl(&t, 16);
	kt_bool(&t, CKA_SENSITIVE, 0);
	kt_bool(&t, CKA_EXTRACTABLE, 1);
	ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, &h));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_NEVER_EXTRACTABLE));
	ASSERT_OK(kt_set_bool(self->fd, self->s, h, CKA_SENSITIVE, 1));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_ALWAYS_SENSITIVE));
}

TEST_F(obj, generic_secret_and_generation)
{
	unsigned char v[100];
	struct kt_tmpl t;
	__u64 h;
	size_t i;

	for (i = 0; i < sizeof(v); i++)
		v[i] = i;
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
	kt_bytes(&t, CKA_VALUE, v, sizeof(v));
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_EQ(sizeof(v), GET_ULONG(h, CKA_VALUE_LEN));

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_VALUE_LEN, 48);
	ASSERT_OK(kt_generate(self->fd, self->s, CKM_GENERIC_SECRET_KEY_GEN,
			      &t, &h));
	EXPECT_EQ(CKK_GENERIC_SECRET, GET_ULONG(h, CKA_KEY_TYPE));
	EXPECT_EQ(48, GET_ULONG(h, CKA_VALUE_LEN));
	EXPECT_EQ(CKM_GENERIC_SECRET_KEY_GEN,
		  GET_ULONG(h, CKA_KEY_GEN_MECHANISM));
}

/* ---- creation: required and forbidden --------------------------------- */

TEST_F(obj, required_attributes)
{
	struct kt_tmpl t;

	/* no class */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "x");
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE, kt_create(self->fd, self->s, &t, NULL));
	/* secret key without key type */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE, kt_create(self->fd, self->s, &t, NULL));
	/* secret key without value */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE, kt_create(self->fd, self->s, &t, NULL));
	/* generation without CKA_VALUE_LEN (footnote 3) */
	kt_tmpl_init(&t);
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE,
		  kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, NULL));
	EXPECT_RV(CKR_TEMPLATE_INCOMPLETE,
		  kt_generate(self->fd, self->s, CKM_GENERIC_SECRET_KEY_GEN,
			      &t, NULL));
}

/* Attributes only the token sets (footnotes 2, 4, 6): read-only */
TEST_F(obj, forbidden_in_create_template)
{
	static const CK_ATTRIBUTE_TYPE forbidden[] = {
		CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE,
	};
	struct kt_tmpl t;
	size_t i;
	CK_RV rv;

	for (i = 0; i < KT_ARRAY_SIZE(forbidden); i++) {
		aes_tmpl(&t, key16, 16);
		kt_bool(&t, forbidden[i], 1);
		EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
			  kt_create(self->fd, self->s, &t, NULL));
		gen_tmpl(&t, 16);
		kt_bool(&t, forbidden[i], 1);
		EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
			  kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t,
				      NULL));
	}
	aes_tmpl(&t, key16, 16);
	kt_ulong(&t, CKA_KEY_GEN_MECHANISM, CKM_AES_KEY_GEN);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_create(self->fd, self->s, &t, NULL));

	/* CKA_VALUE_LEN at create (footnote 2), CKA_VALUE at generate (4) */
	aes_tmpl(&t, key16, 16);
	kt_ulong(&t, CKA_VALUE_LEN, 16);
	rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_READ_ONLY ||
		    rv == CKR_TEMPLATE_INCONSISTENT)
		TH_LOG("create with CKA_VALUE_LEN: %s", khsm_rv_name(rv));
	gen_tmpl(&t, 16);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	rv = kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, NULL);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_READ_ONLY ||
		    rv == CKR_TEMPLATE_INCONSISTENT)
		TH_LOG("generate with CKA_VALUE: %s", khsm_rv_name(rv));
}

TEST_F(obj, invalid_types_and_values)
{
	unsigned char two[2] = { 1, 0 };
	struct kt_tmpl t;
	CK_RV rv;

	/* an attribute PKCS#11 does not define */
	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_BOGUS, 1);
	EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));

	/* a CK_BBOOL of two bytes, a CK_ULONG of four */
	aes_tmpl(&t, key16, 16);
	kt_bytes(&t, CKA_ENCRYPT, two, 2);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_CLASS, two, 2);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));

	/* AES values of 0, 15, 17 and 33 bytes */
	aes_tmpl(&t, key16, 15);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));
	{
		unsigned char k[33] = { 0 };

		aes_tmpl(&t, k, 17);
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  kt_create(self->fd, self->s, &t, NULL));
		aes_tmpl(&t, k, 33);
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  kt_create(self->fd, self->s, &t, NULL));
		aes_tmpl(&t, k, 0);
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  kt_create(self->fd, self->s, &t, NULL));
	}
	/* generation of a 17-byte AES key */
	gen_tmpl(&t, 17);
	rv = kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, NULL);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_VALUE_INVALID ||
		    rv == CKR_KEY_SIZE_RANGE || rv == CKR_TEMPLATE_INCONSISTENT)
		TH_LOG("AES key of 17 bytes: %s", khsm_rv_name(rv));

	/* a date that is not 8 bytes */
	aes_tmpl(&t, key16, 16);
	kt_str(&t, CKA_START_DATE, "2020");
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));
	/* CKA_ALLOWED_MECHANISMS not a whole number of CK_ULONGs */
	aes_tmpl(&t, key16, 16);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, key16, 12);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));
}

TEST_F(obj, inconsistent_templates)
{
	struct kt_tmpl t;
	CK_RV rv;

	/* a key attribute on a data object */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_TRUE(rv == CKR_TEMPLATE_INCONSISTENT ||
		    rv == CKR_ATTRIBUTE_TYPE_INVALID)
		TH_LOG("CKA_KEY_TYPE on data: %s", khsm_rv_name(rv));
	/* an RSA attribute on a secret key */
	aes_tmpl(&t, key16, 16);
	kt_bytes(&t, CKA_MODULUS, key16, 16);
	rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_TRUE(rv == CKR_TEMPLATE_INCONSISTENT ||
		    rv == CKR_ATTRIBUTE_TYPE_INVALID)
		TH_LOG("CKA_MODULUS on AES: %s", khsm_rv_name(rv));
	/* the same attribute twice with two values (§4.1.? rule 5) */
	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_bool(&t, CKA_ENCRYPT, 0);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT,
		  kt_create(self->fd, self->s, &t, NULL));
	/* key generation whose template names another class or type */
	gen_tmpl(&t, 16);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT,
		  kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, NULL));
	gen_tmpl(&t, 16);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT,
		  kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, NULL));
	/* an unsupported class or key type */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_DES3);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_TRUE(rv == CKR_TEMPLATE_INCONSISTENT ||
		    rv == CKR_ATTRIBUTE_VALUE_INVALID)
		TH_LOG("CKK_DES3: %s", khsm_rv_name(rv));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_HW_FEATURE);
	rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_TRUE(rv == CKR_TEMPLATE_INCONSISTENT ||
		    rv == CKR_ATTRIBUTE_VALUE_INVALID)
		TH_LOG("CKO_HW_FEATURE: %s", khsm_rv_name(rv));
}

TEST_F(obj, generate_mechanism_checks)
{
	unsigned char p[16] = { 0 };
	struct khsm_object_req r = { .hdr.session = self->s };
	struct kt_tmpl t;

	gen_tmpl(&t, 16);
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_generate(self->fd, self->s, CKM_AES_ECB, &t, NULL));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_generate(self->fd, self->s, CKM_SHA256, &t, NULL));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_generate(self->fd, self->s, 0x80004321UL, &t, NULL));
	/* CKM_AES_KEY_GEN takes no parameter */
	r.mech.type = CKM_AES_KEY_GEN;
	r.mech.param = KT_PTR(p);
	r.mech.param_len = sizeof(p);
	r.attrs = KT_PTR(t.a);
	r.count = t.n;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID, khsm_generate_key(self->fd, &r));
}

/* ---- reading: the C_GetAttributeValue convention ---------------------- */

TEST_F(obj, get_attribute_length_query)
{
	unsigned char label[5];
	struct kt_tmpl t;
	__u64 h, n;

	aes_tmpl(&t, key16, 16);
	kt_str(&t, CKA_LABEL, "hello");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));

	/* NULL value: the exact length */
	n = 12345;
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, NULL, &n));
	EXPECT_EQ(5, n);
	/* big enough: copied, exact length */
	n = 100;
	{
		unsigned char big[100];

		ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, big,
				       &n));
		EXPECT_EQ(5, n);
		EXPECT_EQ(0, memcmp(big, "hello", 5));
	}
	/* exactly big enough */
	n = 5;
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, label, &n));
	EXPECT_EQ(0, memcmp(label, "hello", 5));
	/* too small: BUFFER_TOO_SMALL and CK_UNAVAILABLE_INFORMATION */
	n = 4;
	EXPECT_RV(CKR_BUFFER_TOO_SMALL,
		  kt_get_bytes(self->fd, self->s, h, CKA_LABEL, label, &n));
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, n);
	/* readable value of a non-sensitive, extractable key */
	{
		unsigned char v[32];

		n = sizeof(v);
		ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_VALUE, v, &n));
		EXPECT_EQ(16, n);
		EXPECT_EQ(0, memcmp(v, key16, 16));
	}
}

/* Every attribute of the template is processed, whatever fails (§5.7) */
TEST_F(obj, get_attribute_processes_all)
{
	struct kt_tmpl t;
	__u64 h;
	CK_RV rv;

	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_SENSITIVE, 1);
	kt_str(&t, CKA_LABEL, "lbl");
	kt_str(&t, CKA_ID, "identity");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));

	kt_tmpl_init(&t);
	kt_buf(&t, CKA_VALUE, 32);	/* sensitive */
	kt_buf(&t, CKA_LABEL, 16);	/* fine */
	kt_buf(&t, CKA_BOGUS, 8);	/* no such attribute */
	kt_buf(&t, CKA_ID, 2);		/* too small */
	kt_buf(&t, CKA_CLASS, 8);	/* fine */
	rv = kt_get(self->fd, self->s, h, &t);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_SENSITIVE ||
		    rv == CKR_ATTRIBUTE_TYPE_INVALID ||
		    rv == CKR_BUFFER_TOO_SMALL)
		TH_LOG("mixed template: %s", khsm_rv_name(rv));
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, t.a[0].len);
	EXPECT_EQ(3, t.a[1].len);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)t.a[1].value, "lbl", 3));
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, t.a[2].len);
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, t.a[3].len);
	EXPECT_EQ(8, t.a[4].len);
	EXPECT_EQ(CKO_SECRET_KEY, *(__u64 *)(uintptr_t)t.a[4].value);
	/* the sensitive buffer was not written */
	{
		const unsigned char *v = (void *)(uintptr_t)t.a[0].value;
		size_t i;

		for (i = 0; i < 32; i++)
			ASSERT_EQ(0xa5, v[i]);
	}
}

/* The secret of a sensitive or unextractable key is never readable */
TEST_F(obj, secret_never_readable)
{
	static const struct { int sensitive, extractable; } c[] = {
		{ 1, 1 }, { 0, 0 }, { 1, 0 },
	};
	unsigned char v[32];
	struct kt_tmpl t;
	size_t i;
	__u64 h, n;

	for (i = 0; i < KT_ARRAY_SIZE(c); i++) {
		aes_tmpl(&t, key16, 16);
		kt_bool(&t, CKA_SENSITIVE, c[i].sensitive);
		kt_bool(&t, CKA_EXTRACTABLE, c[i].extractable);
		ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
		memset(v, 0, sizeof(v));
		n = sizeof(v);
		EXPECT_RV(CKR_ATTRIBUTE_SENSITIVE,
			  kt_get_bytes(self->fd, self->s, h, CKA_VALUE, v, &n));
		EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, n);
		EXPECT_NE(0, memcmp(v, key16, 16));
		/* nor its length by the query */
		n = 0;
		EXPECT_RV(CKR_ATTRIBUTE_SENSITIVE,
			  kt_get_bytes(self->fd, self->s, h, CKA_VALUE, NULL,
				       &n));
		/* CKA_VALUE_LEN is not secret */
		EXPECT_EQ(16, GET_ULONG(h, CKA_VALUE_LEN));
	}
	/* a generated sensitive key likewise */
	gen_tmpl(&t, 16);
	kt_bool(&t, CKA_SENSITIVE, 1);
	ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, &h));
	n = sizeof(v);
	EXPECT_RV(CKR_ATTRIBUTE_SENSITIVE,
		  kt_get_bytes(self->fd, self->s, h, CKA_VALUE, v, &n));
}

/* CKA_CHECK_VALUE, where served, is the first 3 bytes of E(K, 0^128) */
TEST_F(obj, check_value)
{
	unsigned char cv[3], zero[16] = { 0 }, e[16];
	struct kt_tmpl t;
	__u64 h, n;
	CK_RV rv;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key16, 16, &h));
	n = sizeof(cv);
	rv = kt_get_bytes(self->fd, self->s, h, CKA_CHECK_VALUE, cv, &n);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID)
		SKIP(return, "CKA_CHECK_VALUE not served");
	ASSERT_OK(rv);
	ASSERT_EQ(3, n);
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_ECB,
			     NULL, 0));
	n = sizeof(e);
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, zero, 16, e,
			     &n));
	EXPECT_EQ(0, memcmp(cv, e, 3));
	/* a wrong check value in a template is refused */
	aes_tmpl(&t, key16, 16);
	e[0] ^= 0xff;
	kt_bytes(&t, CKA_CHECK_VALUE, e, 3);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  kt_create(self->fd, self->s, &t, NULL));
}

/* ---- modifying: C_SetAttributeValue ----------------------------------- */

TEST_F(obj, set_read_only_attributes)
{
	static const CK_ATTRIBUTE_TYPE ro_bool[] = {
		CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE, CKA_LOCAL,
		CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE,
	};
	struct kt_tmpl t;
	size_t i;
	__u64 h;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key16, 16, &h));
	for (i = 0; i < KT_ARRAY_SIZE(ro_bool); i++) {
		int v = GET_BOOL(h, ro_bool[i]);

		CK_RV rv = kt_set_bool(self->fd, self->s, h, ro_bool[i], !v);

		EXPECT_EQ(CKR_ATTRIBUTE_READ_ONLY, rv)
			TH_LOG("attribute 0x%lx: %s", ro_bool[i],
			       khsm_rv_name(rv));
	}
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_VALUE_LEN, 32);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_KEY_GEN_MECHANISM, CKM_AES_KEY_GEN);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	/* and nothing changed */
	EXPECT_EQ(CKO_SECRET_KEY, GET_ULONG(h, CKA_CLASS));
	EXPECT_EQ(16, GET_ULONG(h, CKA_VALUE_LEN));
}

TEST_F(obj, set_modifiable_attributes)
{
	static const CK_ATTRIBUTE_TYPE usage[] = {
		CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_WRAP,
		CKA_UNWRAP, CKA_DERIVE,
	};
	static const unsigned char start[8] = "20200101", end[8] = "20991231";
	__u64 mechs[2] = { CKM_AES_ECB, CKM_AES_CBC };
	unsigned char buf[32];
	struct kt_tmpl t;
	size_t i;
	__u64 h, n;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key16, 16, &h));
	for (i = 0; i < KT_ARRAY_SIZE(usage); i++) {
		EXPECT_OK(kt_set_bool(self->fd, self->s, h, usage[i], 0));
		EXPECT_EQ(CK_FALSE, GET_BOOL(h, usage[i]));
		EXPECT_OK(kt_set_bool(self->fd, self->s, h, usage[i], 1));
		EXPECT_EQ(CK_TRUE, GET_BOOL(h, usage[i]));
	}
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "renamed");
	kt_str(&t, CKA_ID, "\x01\x02\x03");
	kt_bytes(&t, CKA_START_DATE, start, 8);
	kt_bytes(&t, CKA_END_DATE, end, 8);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	n = sizeof(buf);
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, buf, &n));
	EXPECT_EQ(7, n);
	EXPECT_EQ(0, memcmp(buf, "renamed", 7));
	n = sizeof(buf);
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_END_DATE, buf, &n));
	EXPECT_EQ(8, n);
	EXPECT_EQ(0, memcmp(buf, end, 8));
	/*
	 * CKA_ALLOWED_MECHANISMS has no footnote 8 in the common key
	 * attribute table (PKCS#11 3.0 §4.7.2): given at creation only.
	 */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, mechs, sizeof(mechs));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	aes_tmpl(&t, key16, 16);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, mechs, sizeof(mechs));
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	n = sizeof(buf);
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h, CKA_ALLOWED_MECHANISMS,
			       buf, &n));
	EXPECT_EQ(sizeof(mechs), n);
	EXPECT_EQ(0, memcmp(buf, mechs, sizeof(mechs)));
	/* an empty label is a label too */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_LABEL, "", 0);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	EXPECT_EQ(0, GET_LEN(h, CKA_LABEL));
}

/* SENSITIVE only to TRUE, EXTRACTABLE only to FALSE (footnotes 11, 12) */
TEST_F(obj, one_way_transitions)
{
	__u64 h;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key16, 16, &h));
	EXPECT_OK(kt_set_bool(self->fd, self->s, h, CKA_SENSITIVE, 0));
	ASSERT_OK(kt_set_bool(self->fd, self->s, h, CKA_SENSITIVE, 1));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  kt_set_bool(self->fd, self->s, h, CKA_SENSITIVE, 0));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_SENSITIVE));

	EXPECT_OK(kt_set_bool(self->fd, self->s, h, CKA_EXTRACTABLE, 1));
	ASSERT_OK(kt_set_bool(self->fd, self->s, h, CKA_EXTRACTABLE, 0));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  kt_set_bool(self->fd, self->s, h, CKA_EXTRACTABLE, 1));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_EXTRACTABLE));

	/* the vendor kernel-use flag: only TRUE to FALSE after creation */
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, KHSM_CKA_KERNEL_USE));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  kt_set_bool(self->fd, self->s, h, KHSM_CKA_KERNEL_USE, 1));
}

/* C_SetAttributeValue is all or nothing */
TEST_F(obj, set_all_or_nothing)
{
	unsigned char buf[16];
	struct kt_tmpl t;
	__u64 h, n;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key16, 16, &h));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "should-not-stick");
	kt_bool(&t, CKA_ENCRYPT, 0);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);	/* read-only: fails */
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	EXPECT_EQ(0, GET_LEN(h, CKA_LABEL));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h, CKA_ENCRYPT));

	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "should-not-stick");
	kt_bool(&t, CKA_BOGUS, 1);		/* no such type */
	EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID, kt_set(self->fd, self->s, h, &t));
	n = sizeof(buf);
	EXPECT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, buf, &n));
	EXPECT_EQ(0, n);

	kt_tmpl_init(&t);
	kt_bool(&t, CKA_SENSITIVE, 1);
	kt_bytes(&t, CKA_START_DATE, "bad", 3);	/* bad value */
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID, kt_set(self->fd, self->s, h, &t));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_SENSITIVE));
}

/* ---- COPYABLE, MODIFIABLE, DESTROYABLE (CKR_ACTION_PROHIBITED, 3.0) ---- */

TEST_F(obj, not_modifiable)
{
	struct kt_tmpl t;
	__u64 h, h2;

	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_MODIFIABLE, 0);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_MODIFIABLE));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "no");
	EXPECT_RV(CKR_ACTION_PROHIBITED, kt_set(self->fd, self->s, h, &t));
	EXPECT_RV(CKR_ACTION_PROHIBITED,
		  kt_set_bool(self->fd, self->s, h, CKA_ENCRYPT, 0));
	EXPECT_EQ(0, GET_LEN(h, CKA_LABEL));
	/* it can still be copied and destroyed */
	EXPECT_OK(kt_copy(self->fd, self->s, h, NULL, &h2));
	EXPECT_OK(kt_destroy(self->fd, self->s, h));
}

TEST_F(obj, not_copyable)
{
	struct kt_tmpl t;
	__u64 h, h2;

	aes_tmpl(&t, key16, 16);
	kt_bool(&t, CKA_COPYABLE, 0);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_RV(CKR_ACTION_PROHIBITED, kt_copy(self->fd, self->s, h, NULL, &h2));
	/* COPYABLE cannot go back to TRUE */
	EXPECT_NE(CKR_OK, kt_set_bool(self->fd, self->s, h, CKA_COPYABLE, 1));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_COPYABLE));
}

TEST_F(obj, not_destroyable)
{
	struct kt_tmpl t;
	__u64 h;
	CK_ULONG c;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_DESTROYABLE, 0);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_RV(CKR_ACTION_PROHIBITED, kt_destroy(self->fd, self->s, h));
	EXPECT_OK(kt_get_ulong(self->fd, self->s, h, CKA_CLASS, &c));
	/* a session object still dies with its session */
	ASSERT_OK(kt_close(self->fd, self->s));
	ASSERT_OK(kt_session(self->fd, KT_RW, &self->s));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(self->fd, self->s, h, CKA_CLASS, &c));
}

/* ---- copy ---------------------------------------------------------------- */

TEST_F(obj, copy_rules)
{
	unsigned char buf[32];
	struct kt_tmpl t;
	__u64 h, h2, n;
	CK_RV rv;

	aes_tmpl(&t, key16, 16);
	kt_str(&t, CKA_LABEL, "orig");
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_bool(&t, CKA_SENSITIVE, 0);
	kt_bool(&t, CKA_EXTRACTABLE, 1);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));

	/* a copy may change TOKEN, PRIVATE, LABEL, SENSITIVE up, ... */
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_str(&t, CKA_LABEL, "copy");
	kt_bool(&t, CKA_SENSITIVE, 1);
	kt_bool(&t, CKA_EXTRACTABLE, 0);
	ASSERT_OK(kt_copy(self->fd, self->s, h, &t, &h2));
	EXPECT_NE(h, h2);
	EXPECT_EQ(CK_TRUE, GET_BOOL(h2, CKA_TOKEN));
	EXPECT_EQ(CK_TRUE, GET_BOOL(h2, CKA_SENSITIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h2, CKA_EXTRACTABLE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h2, CKA_ALWAYS_SENSITIVE));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h2, CKA_NEVER_EXTRACTABLE));
	EXPECT_EQ(CKK_AES, GET_ULONG(h2, CKA_KEY_TYPE));
	n = sizeof(buf);
	EXPECT_OK(kt_get_bytes(self->fd, self->s, h2, CKA_LABEL, buf, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, memcmp(buf, "copy", 4));
	/* the original is untouched */
	n = sizeof(buf);
	EXPECT_OK(kt_get_bytes(self->fd, self->s, h, CKA_LABEL, buf, &n));
	EXPECT_EQ(0, memcmp(buf, "orig", 4));
	EXPECT_EQ(CK_FALSE, GET_BOOL(h, CKA_SENSITIVE));
	/* the copy works as the key */
	{
		unsigned char z[16] = { 0 }, e1[16], e2[16];
		__u64 n1 = 16, n2 = 16;

		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
				     CKM_AES_ECB, NULL, 0));
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, z, 16,
				     e1, &n1));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h2,
				     CKM_AES_ECB, NULL, 0));
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, z, 16,
				     e2, &n2));
		EXPECT_EQ(0, memcmp(e1, e2, 16));
	}

	/* ... but not SENSITIVE down, EXTRACTABLE up, or the class */
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_SENSITIVE, 0);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_copy(self->fd, self->s, h2, &t,
						    NULL));
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_EXTRACTABLE, 1);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_copy(self->fd, self->s, h2, &t,
						    NULL));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_GENERIC_SECRET);
	rv = kt_copy(self->fd, self->s, h, &t, NULL);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_READ_ONLY ||
		    rv == CKR_TEMPLATE_INCONSISTENT)
		TH_LOG("copy changing the key type: %s", khsm_rv_name(rv));
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	rv = kt_copy(self->fd, self->s, h, &t, NULL);
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_READ_ONLY ||
		    rv == CKR_TEMPLATE_INCONSISTENT)
		TH_LOG("copy setting CKA_VALUE: %s", khsm_rv_name(rv));
	EXPECT_OK(kt_destroy(self->fd, self->s, h2));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_copy(self->fd, self->s, h2, NULL, NULL));
}

/* ---- destroy and handles ------------------------------------------------ */

TEST_F(obj, destroy_and_stale_handles)
{
	struct kt_tmpl t;
	__u64 h, n;
	CK_ULONG c;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	ASSERT_OK(kt_destroy(self->fd, self->s, h));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_destroy(self->fd, self->s, h));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(self->fd, self->s, h, CKA_CLASS, &c));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_set(self->fd, self->s, h, &t));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_object_size(self->fd, self->s, h, &n));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_destroy(self->fd, self->s, 0));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_destroy(self->fd, self->s, ~0ULL));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_destroy(self->fd, self->s, 1ULL << 32 | h));
}

/* A session object of another application is not there for us */
TEST_F(obj, foreign_session_object)
{
	struct kt_tmpl t;
	__u64 h, tok, n, found[8];
	size_t cnt;
	CK_ULONG c;
	__u32 s2;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	ASSERT_OK(kt_login(fd2, s2, CKU_USER, KT_USER_PIN));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_LABEL, "foreign-session-object");
	ASSERT_OK(kt_create(fd2, s2, &t, &h));
	kt_bool(&t, CKA_TOKEN, 1);
	ASSERT_OK(kt_create(fd2, s2, &t, &tok));

	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(self->fd, self->s, h, CKA_CLASS, &c));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_destroy(self->fd, self->s, h));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_object_size(self->fd, self->s, h, &n));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_copy(self->fd, self->s, h, NULL, NULL));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "foreign-session-object");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 8, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(tok, found[0]);
	/* the token object is shared */
	EXPECT_OK(kt_get_ulong(self->fd, self->s, tok, CKA_CLASS, &c));
	EXPECT_OK(kt_destroy(self->fd, self->s, tok));
	EXPECT_OK(kt_get_ulong(fd2, s2, h, CKA_CLASS, &c));
	khsm_close(fd2);
}

/* ---- private objects ----------------------------------------------------- */

TEST_F(obj, private_invisible_before_login)
{
	struct kt_tmpl t;
	__u64 priv, pub, found[8], n;
	size_t cnt;
	CK_ULONG c;
	__u32 s2;
	int fd2;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, key16, 16);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_PRIVATE, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_bool(&t, CKA_DECRYPT, 0);
	kt_str(&t, CKA_LABEL, "vis-test");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &priv));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_PRIVATE, 0);
	kt_str(&t, CKA_LABEL, "vis-test");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &pub));

	/* another application, not logged in */
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(fd2, s2, priv, CKA_CLASS, &c));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_object_size(fd2, s2, priv, &n));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_destroy(fd2, s2, priv));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID, kt_copy(fd2, s2, priv, NULL, NULL));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_set_bool(fd2, s2, priv, CKA_ENCRYPT, 0));
	/*
	 * Before login a private key reveals nothing: no answer may depend
	 * on its type or usage flags (KEY_TYPE_INCONSISTENT for HMAC on it,
	 * KEY_FUNCTION_NOT_PERMITTED for decrypt would tell both).  The
	 * token has CKF_LOGIN_REQUIRED: the login comes before the key
	 * (lead DECISION 15:58), so every init says USER_NOT_LOGGED_IN.
	 */
	{
		static const struct { __u32 op; CK_MECHANISM_TYPE m; } u[] = {
			{ KHSM_OP_ENCRYPT, CKM_AES_ECB },
			{ KHSM_OP_DECRYPT, CKM_AES_ECB },
			{ KHSM_OP_SIGN, CKM_SHA256_HMAC },
		};
		size_t i;

		for (i = 0; i < KT_ARRAY_SIZE(u); i++) {
			CK_RV rv = kt_op_init(fd2, s2, u[i].op, priv, u[i].m,
					      NULL, 0);

			EXPECT_EQ(CKR_USER_NOT_LOGGED_IN, rv)
				TH_LOG("%s on a private key before login: %s",
				       kt_mech_name(u[i].m), khsm_rv_name(rv));
		}
	}
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "vis-test");
	ASSERT_OK(kt_find_all(fd2, s2, &t, found, 8, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(pub, found[0]);
	EXPECT_OK(kt_get_ulong(fd2, s2, pub, CKA_CLASS, &c));
	/* a private object cannot be made without the user */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_PRIVATE, 1);
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_create(fd2, s2, &t, NULL));

	/* after login it is there */
	ASSERT_OK(kt_login(fd2, s2, CKU_USER, KT_USER_PIN));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "vis-test");
	ASSERT_OK(kt_find_all(fd2, s2, &t, found, 8, &cnt));
	EXPECT_EQ(2, cnt);
	/* and gone again after logout, in this application too */
	ASSERT_OK(kt_logout(self->fd, self->s));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(self->fd, self->s, priv, CKA_CLASS, &c));
	ASSERT_OK(kt_destroy(fd2, s2, priv));
	ASSERT_OK(kt_destroy(fd2, s2, pub));
	khsm_close(fd2);
}

/* ---- object size --------------------------------------------------------- */

TEST_F(obj, object_size)
{
	static unsigned char big[4096];
	struct kt_tmpl t;
	__u64 small, large, s1, s2;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_VALUE, big, 1);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &small));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_VALUE, big, sizeof(big));
	ASSERT_OK(kt_create(self->fd, self->s, &t, &large));
	ASSERT_OK(kt_object_size(self->fd, self->s, small, &s1));
	ASSERT_OK(kt_object_size(self->fd, self->s, large, &s2));
	if (s1 == CK_UNAVAILABLE_INFORMATION)
		SKIP(return, "object size not reported");
	EXPECT_LT(0, s1);
	EXPECT_LE(s1 + sizeof(big) - 1, s2);
}

/* ---- find ------------------------------------------------------------ */

TEST_F(obj, find_with_templates)
{
	__u64 h[6], found[16];
	struct kt_tmpl t;
	size_t cnt, i;
	CK_RV rv;

	/* three data objects, two keys, one token object, distinct labels */
	for (i = 0; i < 3; i++) {
		char lbl[16];

		snprintf(lbl, sizeof(lbl), "find-data-%zu", i);
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_DATA);
		kt_str(&t, CKA_LABEL, lbl);
		kt_str(&t, CKA_APPLICATION, "find-test");
		ASSERT_OK(kt_create(self->fd, self->s, &t, &h[i]));
	}
	for (i = 3; i < 5; i++) {
		aes_tmpl(&t, key16, 16);
		kt_str(&t, CKA_ID, i == 3 ? "id-3" : "id-4");
		kt_str(&t, CKA_LABEL, "find-key");
		ASSERT_OK(kt_create(self->fd, self->s, &t, &h[i]));
	}
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_str(&t, CKA_LABEL, "find-token");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h[5]));

	/* by label */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-data-1");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h[1], found[0]);
	/* by label shared by two */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-key");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(2, cnt);
	/* by id */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_ID, "id-4");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h[4], found[0]);
	/* by class and application */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_APPLICATION, "find-test");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(3, cnt);
	/* by class and key type */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_str(&t, CKA_LABEL, "find-key");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(2, cnt);
	/* token objects only */
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_str(&t, CKA_LABEL, "find-token");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h[5], found[0]);
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_TOKEN, 0);
	kt_str(&t, CKA_LABEL, "find-token");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(0, cnt);
	/* a value no object has */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-nothing");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(0, cnt);
	/* a label that is a prefix is not a match */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-data");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(0, cnt);
	/* an attribute no object has */
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_BOGUS, 1);
	rv = kt_find_all(self->fd, self->s, &t, found, 16, &cnt);
	EXPECT_TRUE((rv == CKR_OK && cnt == 0) ||
		    rv == CKR_ATTRIBUTE_TYPE_INVALID)
		TH_LOG("find by unknown attribute: %s, %zu found",
		       khsm_rv_name(rv), cnt);
	/* empty template: at least all of ours */
	ASSERT_OK(kt_find_all(self->fd, self->s, NULL, found, 16, &cnt));
	EXPECT_LE(6, cnt);
	/* a destroyed object is not found */
	ASSERT_OK(kt_destroy(self->fd, self->s, h[1]));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-data-1");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(0, cnt);
	/* nor is a renamed one under its old name */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-data-2-renamed");
	ASSERT_OK(kt_set(self->fd, self->s, h[2], &t));
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h[2], found[0]);
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-data-2");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 16, &cnt));
	EXPECT_EQ(0, cnt);
	ASSERT_OK(kt_destroy(self->fd, self->s, h[5]));
}

/* C_FindObjects in pieces; the find state machine (SESS-2) */
TEST_F(obj, find_state)
{
	struct khsm_find_init fi = { .hdr.session = self->s };
	struct khsm_find f = { .hdr.session = self->s };
	__u64 found[4], all[16];
	struct kt_tmpl t;
	size_t total = 0, i, j;

	for (i = 0; i < 7; i++) {
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_DATA);
		kt_str(&t, CKA_LABEL, "find-state");
		ASSERT_OK(kt_create(self->fd, self->s, &t, NULL));
	}
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, khsm_find(self->fd, &f));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, khsm_find_final(self->fd, &f));

	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "find-state");
	fi.attrs = KT_PTR(t.a);
	fi.count = t.n;
	ASSERT_OK(khsm_find_init(self->fd, &fi));
	EXPECT_RV(CKR_OPERATION_ACTIVE, khsm_find_init(self->fd, &fi));
	for (;;) {
		memset(&f, 0, sizeof(f));
		f.hdr.session = self->s;
		f.handles = KT_PTR(found);
		f.max = 3;
		ASSERT_OK(khsm_find(self->fd, &f));
		ASSERT_GE(3, f.count);
		if (!f.count)
			break;
		for (i = 0; i < f.count; i++)
			all[total++] = found[i];
		ASSERT_GE(7, total);
	}
	EXPECT_EQ(7, total);
	/* no duplicates */
	for (i = 0; i < total; i++)
		for (j = i + 1; j < total; j++)
			EXPECT_NE(all[i], all[j]);
	/* max 0 is not an error and returns nothing */
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	f.handles = KT_PTR(found);
	EXPECT_OK(khsm_find(self->fd, &f));
	EXPECT_EQ(0, f.count);
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	ASSERT_OK(khsm_find_final(self->fd, &f));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, khsm_find_final(self->fd, &f));
	/* a find in one session is not a find in another */
	{
		__u32 s2;

		ASSERT_OK(kt_session(self->fd, KT_RW, &s2));
		ASSERT_OK(khsm_find_init(self->fd, &fi));
		memset(&f, 0, sizeof(f));
		f.hdr.session = s2;
		f.handles = KT_PTR(found);
		f.max = 3;
		EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, khsm_find(self->fd, &f));
	}
}

/* A token object lives on after its creator's fd is gone */
TEST_F(obj, token_object_outlives_application)
{
	struct kt_tmpl t;
	__u64 h, found[4];
	size_t cnt;
	__u32 s2;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	ASSERT_OK(kt_login(fd2, s2, CKU_USER, KT_USER_PIN));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_str(&t, CKA_LABEL, "outlives");
	ASSERT_OK(kt_create(fd2, s2, &t, &h));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_LABEL, "dies");
	ASSERT_OK(kt_create(fd2, s2, &t, NULL));
	khsm_close(fd2);

	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "outlives");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h, found[0]);
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "dies");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4, &cnt));
	EXPECT_EQ(0, cnt);
	EXPECT_OK(kt_destroy(self->fd, self->s, h));
}

/*
 * The module's shard count: the possible CPUs rounded down to a power of
 * two, at most 16 (driver/khsm.h); -1 if unreadable
 */
static int possible_shards(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int a, b, n = 0, k = 1;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-' &&
		    (fscanf(f, "%d", &b) != 1 || fscanf(f, "%c", &sep) != 1))
			sep = '\n';
		n += b - a + 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	if (n < 1)
		return -1;
	while (k * 2 <= n && k < 16)
		k *= 2;
	return k;
}

/*
 * Objects made on different CPUs go to different shards (handles, index:
 * the low four handle bits name the creating CPU's shard), and every
 * object call works on them from any CPU: finds see all shards, a label
 * change moves an object within its own shard, a destroy from another CPU
 * unlinks it from the right one, and a handle naming a shard the module
 * does not have is invalid.
 */
TEST_F(obj, objects_on_every_cpu)
{
	enum { MAXCPU = 16 };
	__u64 h[2 * MAXCPU], found[4 * MAXCPU], gone;
	int cpus[MAXCPU], ncpu = 0, ntok, nshards, i, j;
	cpu_set_t all, one;
	struct kt_tmpl t;
	size_t cnt;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (i = 0; i < CPU_SETSIZE && ncpu < MAXCPU; i++)
		if (CPU_ISSET(i, &all))
			cpus[ncpu++] = i;
	/* on each CPU a session and a token object with one label */
	for (i = 0; i < ncpu; i++) {
		CPU_ZERO(&one);
		CPU_SET(cpus[i], &one);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
		for (j = 0; j < 2; j++) {
			kt_tmpl_init(&t);
			kt_ulong(&t, CKA_CLASS, CKO_DATA);
			kt_bool(&t, CKA_TOKEN, j);
			kt_str(&t, CKA_LABEL, "per-cpu");
			ASSERT_OK(kt_create(self->fd, self->s, &t, &h[2 * i + j]));
		}
	}
	ntok = ncpu;
	for (i = 0; i < 2 * ncpu; i++)
		for (j = 0; j < i; j++)
			ASSERT_NE(h[i], h[j]);
	/* one CPU, one shard; CPUs 0 and 1 two (there are at least two) */
	for (i = 0; i < ncpu; i++)
		EXPECT_EQ(h[2 * i] & 15, h[2 * i + 1] & 15);
	if (ncpu >= 2 && cpus[0] == 0 && cpus[1] == 1)
		EXPECT_NE(h[0] & 15, h[2] & 15);

	/* from the last CPU: a find sees all of them */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "per-cpu");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	EXPECT_EQ((size_t)(ncpu + ntok), cnt);
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_str(&t, CKA_LABEL, "per-cpu");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	EXPECT_EQ((size_t)ntok, cnt);

	/* relabel the first CPU's session object from the last CPU */
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "per-cpu-moved");
	ASSERT_OK(kt_set(self->fd, self->s, h[0], &t));
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h[0], found[0]);
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "per-cpu");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	EXPECT_EQ((size_t)(ncpu + ntok - 1), cnt);

	/* id 0, and the first shard the module does not have (if any) */
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_destroy(self->fd, self->s, h[0] & 15));
	nshards = possible_shards();
	ASSERT_LT(0, nshards);
	if (nshards < 16) {
		gone = (h[0] & ~15ULL) | nshards;
		EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
			  kt_destroy(self->fd, self->s, gone));
	}

	/* destroy each from the next CPU over */
	for (i = 0; i < ncpu; i++) {
		CPU_ZERO(&one);
		CPU_SET(cpus[(i + 1) % ncpu], &one);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
		EXPECT_OK(kt_destroy(self->fd, self->s, h[2 * i]));
		EXPECT_OK(kt_destroy(self->fd, self->s, h[2 * i + 1]));
		EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
			  kt_destroy(self->fd, self->s, h[2 * i]));
	}
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(all), &all));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "per-cpu");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	EXPECT_EQ(0, cnt);
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "per-cpu-moved");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4 * MAXCPU, &cnt));
	EXPECT_EQ(0, cnt);
}

/* Objects per application are bounded: CKR_DEVICE_MEMORY, not an OOM */
TEST_F(obj, object_count_bound)
{
	struct khsm_version v = { 0 };
	struct kt_tmpl t;
	__u64 i;
	CK_RV rv = CKR_OK;

	ASSERT_OK(khsm_version(self->fd, &v));
	if (v.max_objects > 4096)
		SKIP(return, "max_objects %u: too many for the VM", v.max_objects);
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_PRIVATE, 0);
	for (i = 0; i <= v.max_objects && rv == CKR_OK; i++)
		rv = kt_create(self->fd, self->s, &t, NULL);
	EXPECT_RV(CKR_DEVICE_MEMORY, rv);
	EXPECT_GE(v.max_objects, i - 1);
	/* closing the session gives them back */
	ASSERT_OK(kt_close_all(self->fd));
	ASSERT_OK(kt_session(self->fd, KT_RW, &self->s));
	EXPECT_OK(kt_create(self->fd, self->s, &t, NULL));
}

KT_MAIN
