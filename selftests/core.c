// SPDX-License-Identifier: GPL-2.0
/*
 * core: ioctl-level rules that cut across areas: unused fields must be zero,
 * the key-token capability bit, NULL PIN pointers, CKA_UNIQUE_ID, attribute
 * arrays, attributes of another object class, object size.
 */
#include <stdio.h>

#include "kselftest_harness.h"
#include "kt.h"

#ifndef CKA_UNIQUE_ID
#define CKA_UNIQUE_ID 0x4UL
#endif

static const unsigned char k16[16] = "0123456789abcdef";

FIXTURE(core) {
	int fd;
	__u32 s;
};

FIXTURE_SETUP(core)
{
	kt_setup_user(_metadata, &self->fd, &self->s);
}

FIXTURE_TEARDOWN(core)
{
	khsm_close(self->fd);
}

static CK_RV data_obj(int fd, __u32 s, const char *label, __u64 *h)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_LABEL, label);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	return kt_create(fd, s, &t, h);
}

/* FIND_FINAL takes the header only: the other fields must be zero */
TEST_F(core, find_final_unused_fields)
{
	struct khsm_find_init fi = { .hdr.session = self->s };
	struct khsm_find f;
	__u64 buf[2];

	ASSERT_OK(khsm_find_init(self->fd, &fi));
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	f.max = 1;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_find_final(self->fd, &f));
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	f.handles = KT_PTR(buf);
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_find_final(self->fd, &f));
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	f.count = 3;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_find_final(self->fd, &f));
	/* the find is still active: a refused final did not end it */
	EXPECT_RV(CKR_OPERATION_ACTIVE, khsm_find_init(self->fd, &fi));
	memset(&f, 0, sizeof(f));
	f.hdr.session = self->s;
	EXPECT_OK(khsm_find_final(self->fd, &f));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, khsm_find_final(self->fd, &f));
}

/* DESTROY_OBJECT: size is OBJECT_SIZE's output, so zero */
TEST_F(core, destroy_unused_size)
{
	struct khsm_object_handle d = { .hdr.session = self->s };
	__u64 h, n;

	ASSERT_OK(data_obj(self->fd, self->s, "core-destroy", &h));
	d.object = h;
	d.size = 1;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_destroy_object(self->fd, &d));
	EXPECT_OK(kt_object_size(self->fd, self->s, h, &n));
	d.size = 0;
	EXPECT_OK(khsm_destroy_object(self->fd, &d));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_object_size(self->fd, self->s, h, &n));
}

/* KHSM_CAP_KEY_TOKEN: said when key tokens work, and then they do */
TEST_F(core, cap_key_token)
{
	struct khsm_version v = { };
	struct khsm_key_token kt = { .hdr.session = self->s };

	ASSERT_OK(khsm_version(self->fd, &v));
	ASSERT_NE(0, v.caps & KHSM_CAP_KEY_TOKEN);
	/* a length query on a handle that does not exist answers a CK_RV */
	kt.object = 0xdeadbeef;
	EXPECT_RV(CKR_KEY_HANDLE_INVALID, khsm_call(self->fd, KHSM_IOC_KEY_TOKEN, &kt.hdr, sizeof(kt)));
}

static __u64 pin_flags(int fd)
{
	struct khsm_token_info ti;

	if (kt_token_info(fd, &ti) != CKR_OK)
		return ~0ULL;
	return ti.flags & (CKF_USER_PIN_COUNT_LOW | CKF_SO_PIN_COUNT_LOW |
			   CKF_USER_PIN_FINAL_TRY | CKF_SO_PIN_FINAL_TRY);
}

/* No PIN pointer: CKR_ARGUMENTS_BAD, and no try counted */
TEST_F(core, null_pin_pointers)
{
	struct khsm_login l = { .hdr.session = self->s, .user_type = CKU_USER };
	struct khsm_init_token it = { };
	struct khsm_pin p = { };
	__u32 s2;
	int fd2;

	EXPECT_EQ(0, pin_flags(self->fd));
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	l.hdr.session = s2;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_login(fd2, &l));
	l.pin_len = 8;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_login(fd2, &l));
	l.user_type = CKU_SO;
	l.pin_len = 0;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_login(fd2, &l));
	/* the session / user checks come first */
	l.user_type = 77;
	EXPECT_RV(CKR_USER_TYPE_INVALID, khsm_login(fd2, &l));
	l.user_type = CKU_USER;
	l.hdr.session = self->s;
	EXPECT_RV(CKR_USER_ALREADY_LOGGED_IN, khsm_login(self->fd, &l));
	/* C_SetPIN: either pointer NULL */
	p.hdr.session = s2;
	p.old_pin_len = 4;
	p.new_pin = KT_PTR("abcdefgh");
	p.new_pin_len = 8;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_set_pin(fd2, &p));
	p.old_pin = KT_PTR(KT_USER_PIN);
	p.old_pin_len = strlen(KT_USER_PIN);
	p.new_pin = 0;
	p.new_pin_len = 0;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_set_pin(fd2, &p));
	/* C_InitPIN, as the SO */
	ASSERT_OK(kt_login(fd2, s2, CKU_SO, KT_SO_PIN));
	memset(&p, 0, sizeof(p));
	p.hdr.session = s2;
	p.new_pin_len = 8;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_init_pin(fd2, &p));
	p.new_pin_len = 0;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_init_pin(fd2, &p));
	/* the SO's C_SetPIN with a NULL old PIN */
	p.new_pin = KT_PTR(KT_SO_PIN);
	p.new_pin_len = strlen(KT_SO_PIN);
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_set_pin(fd2, &p));
	khsm_close(fd2);
	/* C_InitToken: refused before anything (sessions exist too) */
	it.so_pin_len = 0;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_init_token(self->fd, &it));
	EXPECT_EQ(0, pin_flags(self->fd));
}

/* CKA_UNIQUE_ID: given by the token, 16 hex digits, new on copy */
TEST_F(core, unique_id)
{
	char u1[32], u2[32], u3[32];
	__u64 h1, h2, h3, n1 = sizeof(u1), n2 = sizeof(u2), n3 = sizeof(u3);
	__u64 found[4];
	struct kt_tmpl t;
	size_t cnt, i;

	ASSERT_OK(data_obj(self->fd, self->s, "core-uid", &h1));
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &h2));
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h1, CKA_UNIQUE_ID, u1, &n1));
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h2, CKA_UNIQUE_ID, u2, &n2));
	ASSERT_EQ(16, n1);
	ASSERT_EQ(16, n2);
	for (i = 0; i < n1; i++)
		EXPECT_NE(NULL, strchr("0123456789abcdef", u1[i]));
	EXPECT_NE(0, memcmp(u1, u2, 16));
	ASSERT_OK(kt_copy(self->fd, self->s, h1, NULL, &h3));
	ASSERT_OK(kt_get_bytes(self->fd, self->s, h3, CKA_UNIQUE_ID, u3, &n3));
	EXPECT_NE(0, memcmp(u1, u3, 16));
	/* read-only everywhere */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_UNIQUE_ID, u1, 16);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h1, &t));
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
		  kt_copy(self->fd, self->s, h1, &t, NULL));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_UNIQUE_ID, "x", 1);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_create(self->fd, self->s, &t, NULL));
	/* a find by it finds that object */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_UNIQUE_ID, u1, 16);
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4, &cnt));
	ASSERT_EQ(1, cnt);
	EXPECT_EQ(h1, found[0]);
}

static CK_RV secret_with(int fd, __u32 s, CK_ATTRIBUTE_TYPE type,
			 const struct khsm_attr *inner, size_t len, __u64 *h)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bytes(&t, type, inner, len);
	return kt_create(fd, s, &t, h);
}

/* CKA_WRAP_TEMPLATE and friends: bounded, read back per 3.0 5.7.5 */
TEST_F(core, attribute_arrays)
{
	static const CK_ATTRIBUTE_TYPE types[] = {
		CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE, CKA_DERIVE_TEMPLATE,
	};
	static unsigned char big[4097];
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_BBOOL f = CK_FALSE;
	char label[] = "inner label";
	struct khsm_attr inner[3] = {
		{ CKA_CLASS, KT_PTR(&cls), sizeof(cls) },
		{ CKA_EXTRACTABLE, KT_PTR(&f), 1 },
		{ CKA_LABEL, KT_PTR(label), sizeof(label) - 1 },
	};
	struct khsm_attr many[65], out[3], bad[2];
	struct kt_tmpl t;
	__u64 h, found[4];
	size_t i, cnt;

	for (i = 0; i < KT_ARRAY_SIZE(many); i++)
		many[i] = inner[1];
	for (i = 0; i < KT_ARRAY_SIZE(types); i++) {
		ASSERT_OK(secret_with(self->fd, self->s, types[i], inner,
				      sizeof(inner), &h));
		/* element buffers: one too small */
		char lbuf[4];
		CK_OBJECT_CLASS c2 = 0;
		CK_BBOOL f2 = 1;

		memset(out, 0, sizeof(out));
		out[0].value = KT_PTR(&c2);
		out[0].len = sizeof(c2);
		out[1].value = KT_PTR(&f2);
		out[1].len = 1;
		out[2].value = KT_PTR(lbuf);
		out[2].len = sizeof(lbuf);
		kt_tmpl_init(&t);
		t.a[0].type = types[i];
		t.a[0].value = KT_PTR(out);
		t.a[0].len = sizeof(out);
		t.n = 1;
		EXPECT_RV(CKR_BUFFER_TOO_SMALL,
			  kt_get(self->fd, self->s, h, &t));
		EXPECT_EQ(sizeof(out), t.a[0].len);
		EXPECT_EQ(CKA_CLASS, out[0].type);
		EXPECT_EQ(CKO_SECRET_KEY, c2);
		EXPECT_EQ(0, f2);
		EXPECT_EQ(CKA_LABEL, out[2].type);
		EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, out[2].len);
		/* the array itself too small */
		t.a[0].len = sizeof(out) - 1;
		EXPECT_RV(CKR_BUFFER_TOO_SMALL,
			  kt_get(self->fd, self->s, h, &t));
		EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, t.a[0].len);
		/* fixed at creation */
		kt_tmpl_init(&t);
		kt_bytes(&t, types[i], inner, sizeof(inner));
		EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY,
			  kt_set(self->fd, self->s, h, &t));
		/* a find by the whole array */
		kt_tmpl_init(&t);
		kt_bytes(&t, types[i], inner, sizeof(inner));
		ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4, &cnt));
		EXPECT_EQ(1, cnt);
		EXPECT_EQ(h, found[0]);
		ASSERT_OK(kt_destroy(self->fd, self->s, h));

		/* bounds */
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  secret_with(self->fd, self->s, types[i], many,
				      sizeof(many), NULL));
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  secret_with(self->fd, self->s, types[i], inner, 25,
				      NULL));
		bad[0] = inner[0];
		bad[1] = (struct khsm_attr){ CKA_LABEL, 0, 4 };
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  secret_with(self->fd, self->s, types[i], bad,
				      sizeof(bad), NULL));
		bad[1] = (struct khsm_attr){ CKA_LABEL, KT_PTR(big),
					     sizeof(big) };
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  secret_with(self->fd, self->s, types[i], bad,
				      sizeof(bad), NULL));
		bad[1] = (struct khsm_attr){ CKA_WRAP_TEMPLATE, KT_PTR(inner),
					     sizeof(inner) };
		EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
			  secret_with(self->fd, self->s, types[i], bad,
				      sizeof(bad), NULL));
		/* a wild inner pointer is a fault, not a crash */
		bad[1] = (struct khsm_attr){ CKA_LABEL, 16, 4 };
		EXPECT_EQ(EFAULT,
			  KT_ERRNO(secret_with(self->fd, self->s, types[i],
					       bad, sizeof(bad), NULL)));
		/* not a data object's */
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_DATA);
		kt_bytes(&t, types[i], inner, sizeof(inner));
		EXPECT_RV(CKR_TEMPLATE_INCONSISTENT,
			  kt_create(self->fd, self->s, &t, NULL));
	}
}

/* Another class's attribute: TEMPLATE_INCONSISTENT; unknown: TYPE_INVALID */
TEST_F(core, foreign_attributes)
{
	unsigned char v[8] = { 1 };
	struct kt_tmpl t;
	__u64 h, d, len;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &h));
	ASSERT_OK(data_obj(self->fd, self->s, "core-foreign", &d));
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_MODULUS, v, 8);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT, kt_set(self->fd, self->s, h, &t));
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT,
		  kt_copy(self->fd, self->s, h, &t, NULL));
	kt_tmpl_init(&t);
	kt_bool(&t, CKA_ENCRYPT, 1);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT, kt_set(self->fd, self->s, d, &t));
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_GOST28147_PARAMS, v, 8);
	EXPECT_RV(CKR_TEMPLATE_INCONSISTENT, kt_set(self->fd, self->s, h, &t));
	kt_tmpl_init(&t);
	kt_bytes(&t, 0x7ffffff0UL, v, 1);
	EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID, kt_set(self->fd, self->s, h, &t));
	len = sizeof(v);
	EXPECT_RV(CKR_ATTRIBUTE_TYPE_INVALID,
		  kt_get_bytes(self->fd, self->s, h, CKA_MODULUS, v, &len));
	EXPECT_EQ(CK_UNAVAILABLE_INFORMATION, len);
}

/* A small data object stays within 512 bytes of kernel memory */
TEST_F(core, small_object_size)
{
	__u64 h, n;

	ASSERT_OK(data_obj(self->fd, self->s, "0123456789abcdef", &h));
	ASSERT_OK(kt_object_size(self->fd, self->s, h, &n));
	TH_LOG("data object, 16-byte label and value: %llu bytes",
	       (unsigned long long)n);
	EXPECT_GE(512, n);
}

KT_MAIN
