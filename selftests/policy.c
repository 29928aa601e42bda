// SPDX-License-Identifier: GPL-2.0
/*
 * policy: what a key permits, checked at operation init (issue 2 items 6
 * and 8, DESIGN.md "Operation init"): usage flags (CKR_KEY_FUNCTION_NOT_
 * PERMITTED; SIGN-1, VERIFY-1), CKA_ALLOWED_MECHANISMS (ATTRIB-4),
 * CKA_START_DATE/END_DATE (ATTRIB-2), key type against mechanism
 * (CKR_KEY_TYPE_INCONSISTENT; SIGN-5, VERIFY-6), key handles
 * (CKR_KEY_HANDLE_INVALID; ENCRYPT-5, DECRYPT-4, SIGN-6, VERIFY-4),
 * mechanism against function (ENCRYPT-3, DECRYPT-2, ENCRYPT-6, DECRYPT-5),
 * and the precedence of errors when several apply, in the order the lead's
 * DECISION 15:58 fixes (the token has CKF_LOGIN_REQUIRED): session,
 * operation active, mechanism known, mechanism serves the function, login,
 * key handle, key type, key permits the function, parameters.
 */
#include <time.h>

#include "kselftest_harness.h"
#include "kt.h"

static const unsigned char k16[16] = "0123456789abcdef";
static const unsigned char iv[16] = "fedcba9876543210";

FIXTURE(pol) {
	int fd;
	__u32 s;
	__u64 aes, gen;		/* every usage flag TRUE */
	__u64 data;		/* a data object: not a key */
};

FIXTURE_SETUP(pol)
{
	struct kt_tmpl t;

	kt_setup_user(_metadata, &self->fd, &self->s);
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &self->aes));
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_GENERIC_SECRET, k16, 16,
			    &self->gen));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &self->data));
}

FIXTURE_TEARDOWN(pol)
{
	khsm_close(self->fd);
}

/* A secret key with one usage flag FALSE */
static CK_RV key_without(int fd, __u32 s, CK_KEY_TYPE kt,
			 CK_ATTRIBUTE_TYPE off, __u64 *h)
{
	static const CK_ATTRIBUTE_TYPE usage[] = {
		CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY,
	};
	struct kt_tmpl t;
	size_t i;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, kt);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	for (i = 0; i < KT_ARRAY_SIZE(usage); i++)
		kt_bool(&t, usage[i], usage[i] != off);
	return kt_create(fd, s, &t, h);
}

static CK_RV init(int fd, __u32 s, __u32 op, __u64 key, CK_MECHANISM_TYPE m)
{
	switch (m) {
	case CKM_AES_CBC:
	case CKM_AES_CBC_PAD:
		return kt_op_init(fd, s, op, key, m, iv, sizeof(iv));
	default:
		return kt_op_init(fd, s, op, key, m, NULL, 0);
	}
}

/* ---- usage flags ------------------------------------------------------ */

TEST_F(pol, usage_flags)
{
	static const struct {
		__u32 op;
		CK_ATTRIBUTE_TYPE flag;
		CK_KEY_TYPE kt;
		CK_MECHANISM_TYPE m;
	} c[] = {
		{ KHSM_OP_ENCRYPT, CKA_ENCRYPT, CKK_AES, CKM_AES_CBC },
		{ KHSM_OP_DECRYPT, CKA_DECRYPT, CKK_AES, CKM_AES_ECB },
		{ KHSM_OP_SIGN, CKA_SIGN, CKK_AES, CKM_AES_CMAC },
		{ KHSM_OP_VERIFY, CKA_VERIFY, CKK_AES, CKM_AES_CMAC },
		{ KHSM_OP_SIGN, CKA_SIGN, CKK_GENERIC_SECRET, CKM_SHA256_HMAC },
		{ KHSM_OP_VERIFY, CKA_VERIFY, CKK_GENERIC_SECRET,
		  CKM_SHA_1_HMAC },
		{ KHSM_OP_SIGN, CKA_SIGN, CKK_GENERIC_SECRET,
		  CKM_SHA512_HMAC },
	};
	size_t i;
	__u64 h;

	for (i = 0; i < KT_ARRAY_SIZE(c); i++) {
		CK_RV rv;

		ASSERT_OK(key_without(self->fd, self->s, c[i].kt, c[i].flag,
				      &h));
		rv = init(self->fd, self->s, c[i].op, h, c[i].m);
		EXPECT_EQ(CKR_KEY_FUNCTION_NOT_PERMITTED, rv)
			TH_LOG("%s with 0x%lx FALSE: %s", kt_mech_name(c[i].m),
			       c[i].flag, khsm_rv_name(rv));
		/* and the refused init left nothing active */
		EXPECT_OK(init(self->fd, self->s, c[i].op,
			       c[i].kt == CKK_AES ? self->aes : self->gen,
			       c[i].m));
		ASSERT_OK(kt_cancel(self->fd, self->s, 1U << c[i].op));
		/* turning the flag on makes the key usable */
		ASSERT_OK(kt_set_bool(self->fd, self->s, h, c[i].flag, 1));
		EXPECT_OK(init(self->fd, self->s, c[i].op, h, c[i].m));
		ASSERT_OK(kt_cancel(self->fd, self->s, 1U << c[i].op));
		/* and off again makes it unusable at the next init */
		ASSERT_OK(kt_set_bool(self->fd, self->s, h, c[i].flag, 0));
		EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
			  init(self->fd, self->s, c[i].op, h, c[i].m));
	}
}

/* ---- CKA_ALLOWED_MECHANISMS (ATTRIB-4) ------------------------------- */

TEST_F(pol, allowed_mechanisms)
{
	__u64 allowed[2] = { CKM_AES_CBC, CKM_AES_CMAC };
	struct kt_tmpl t;
	__u64 h;
	CK_RV rv;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_bool(&t, CKA_DECRYPT, 1);
	kt_bool(&t, CKA_SIGN, 1);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, allowed, sizeof(allowed));
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));

	EXPECT_OK(init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_CBC));
	EXPECT_OK(init(self->fd, self->s, KHSM_OP_SIGN, h, CKM_AES_CMAC));
	ASSERT_OK(kt_cancel(self->fd, self->s, 1U << KHSM_OP_ENCRYPT |
						1U << KHSM_OP_SIGN));
	rv = init(self->fd, self->s, KHSM_OP_DECRYPT, h, CKM_AES_ECB);
	EXPECT_TRUE(rv == CKR_KEY_FUNCTION_NOT_PERMITTED ||
		    rv == CKR_MECHANISM_INVALID)
		TH_LOG("ECB not in CKA_ALLOWED_MECHANISMS: %s", khsm_rv_name(rv));
	rv = init(self->fd, self->s, KHSM_OP_DECRYPT, h, CKM_AES_CBC_PAD);
	EXPECT_TRUE(rv == CKR_KEY_FUNCTION_NOT_PERMITTED ||
		    rv == CKR_MECHANISM_INVALID)
		TH_LOG("CBC_PAD not in CKA_ALLOWED_MECHANISMS: %s",
		       khsm_rv_name(rv));
	/* the list is fixed at creation (no footnote 8, §4.7.2) */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, allowed, 0);
	EXPECT_RV(CKR_ATTRIBUTE_READ_ONLY, kt_set(self->fd, self->s, h, &t));
	/* a copy keeps it */
	{
		__u64 h2;

		ASSERT_OK(kt_copy(self->fd, self->s, h, NULL, &h2));
		rv = init(self->fd, self->s, KHSM_OP_DECRYPT, h2, CKM_AES_ECB);
		EXPECT_NE(CKR_OK, rv);
	}
	/* an empty list allows everything */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_DECRYPT, 1);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, allowed, 0);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	EXPECT_OK(init(self->fd, self->s, KHSM_OP_DECRYPT, h, CKM_AES_ECB));
	ASSERT_OK(kt_cancel(self->fd, self->s, 1U << KHSM_OP_DECRYPT));

	/* the list given at generation */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_VALUE_LEN, 16);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_bytes(&t, CKA_ALLOWED_MECHANISMS, allowed, 8);
	ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t, &h));
	EXPECT_OK(init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_CBC));
	ASSERT_OK(kt_cancel(self->fd, self->s, 1U << KHSM_OP_ENCRYPT));
	rv = init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_CTR);
	EXPECT_NE(CKR_OK, rv);
}

/* ---- CKA_START_DATE / CKA_END_DATE (ATTRIB-2) ------------------------ */

static void date_of(time_t t, unsigned char d[8])
{
	struct tm tm;
	char s[9];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y%m%d", &tm);
	memcpy(d, s, 8);
}

TEST_F(pol, key_dates)
{
	unsigned char past[8], future[8], today[8];
	time_t now = time(NULL);
	struct kt_tmpl t;
	__u64 h;

	date_of(now - 400 * 86400, past);
	date_of(now + 400 * 86400, future);
	date_of(now, today);
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &h));

	/* within [start, end]: fine */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_START_DATE, past, 8);
	kt_bytes(&t, CKA_END_DATE, future, 8);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	EXPECT_OK(init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_ECB));
	ASSERT_OK(kt_cancel(self->fd, self->s, 1U << KHSM_OP_ENCRYPT));

	/* not yet valid */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_START_DATE, future, 8);
	kt_bytes(&t, CKA_END_DATE, future, 0);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_ECB));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  init(self->fd, self->s, KHSM_OP_SIGN, h, CKM_AES_CMAC));

	/* expired */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_START_DATE, past, 0);
	kt_bytes(&t, CKA_END_DATE, past, 8);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  init(self->fd, self->s, KHSM_OP_DECRYPT, h, CKM_AES_ECB));

	/* today is inside both bounds */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_START_DATE, today, 8);
	kt_bytes(&t, CKA_END_DATE, today, 8);
	ASSERT_OK(kt_set(self->fd, self->s, h, &t));
	EXPECT_OK(init(self->fd, self->s, KHSM_OP_DECRYPT, h, CKM_AES_ECB));

	/* a date that is not a date */
	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_END_DATE, "2024AB01", 8);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID, kt_set(self->fd, self->s, h, &t));
}

/* ---- key type against mechanism (SIGN-5, VERIFY-6) -------------------- */

TEST_F(pol, key_type_inconsistent)
{
	static const CK_MECHANISM_TYPE hmacs[] = {
		CKM_SHA_1_HMAC, CKM_SHA224_HMAC, CKM_SHA256_HMAC,
		CKM_SHA384_HMAC, CKM_SHA512_HMAC,
	};
	static const CK_MECHANISM_TYPE aes[] = {
		CKM_AES_ECB, CKM_AES_CBC, CKM_AES_CBC_PAD,
	};
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(hmacs); i++) {
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  init(self->fd, self->s, KHSM_OP_SIGN, self->aes,
			       hmacs[i]));
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  init(self->fd, self->s, KHSM_OP_VERIFY, self->aes,
			       hmacs[i]));
	}
	for (i = 0; i < KT_ARRAY_SIZE(aes); i++) {
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  init(self->fd, self->s, KHSM_OP_ENCRYPT, self->gen,
			       aes[i]));
		EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
			  init(self->fd, self->s, KHSM_OP_DECRYPT, self->gen,
			       aes[i]));
	}
	EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  init(self->fd, self->s, KHSM_OP_SIGN, self->gen,
		       CKM_AES_CMAC));
}

/* ---- key handles (ENCRYPT-5, DECRYPT-4, SIGN-6, VERIFY-4) ------------- */

TEST_F(pol, key_handle_invalid)
{
	static const __u32 ops[] = {
		KHSM_OP_ENCRYPT, KHSM_OP_DECRYPT, KHSM_OP_SIGN, KHSM_OP_VERIFY,
	};
	static const CK_MECHANISM_TYPE ms[] = {
		CKM_AES_ECB, CKM_AES_ECB, CKM_SHA256_HMAC, CKM_SHA256_HMAC,
	};
	__u64 dead;
	size_t i;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &dead));
	ASSERT_OK(kt_destroy(self->fd, self->s, dead));
	for (i = 0; i < KT_ARRAY_SIZE(ops); i++) {
		__u64 bad[] = { 0, 0xdeadbeef, ~0ULL, dead, self->data };
		size_t j;

		for (j = 0; j < KT_ARRAY_SIZE(bad); j++) {
			CK_RV rv = init(self->fd, self->s, ops[i], bad[j],
					ms[i]);

			EXPECT_EQ(CKR_KEY_HANDLE_INVALID, rv)
				TH_LOG("op %u key 0x%llx: %s", ops[i],
				       (unsigned long long)bad[j],
				       khsm_rv_name(rv));
		}
	}
}

/* ---- mechanism against function (ENCRYPT-3, DECRYPT-2) ---------------- */

TEST_F(pol, mechanism_not_for_function)
{
	static const struct { __u32 op; CK_MECHANISM_TYPE m; } c[] = {
		{ KHSM_OP_ENCRYPT, CKM_SHA256_HMAC },
		{ KHSM_OP_ENCRYPT, CKM_AES_CMAC },
		{ KHSM_OP_ENCRYPT, CKM_AES_KEY_GEN },
		{ KHSM_OP_ENCRYPT, CKM_AES_KEY_WRAP },
		{ KHSM_OP_DECRYPT, CKM_AES_KEY_WRAP },
		{ KHSM_OP_DECRYPT, CKM_SHA256 },
		{ KHSM_OP_SIGN, CKM_AES_CBC },
		{ KHSM_OP_VERIFY, CKM_AES_ECB },
		{ KHSM_OP_SIGN, CKM_SHA256 },
		{ KHSM_OP_DIGEST, CKM_SHA256_HMAC },
		{ KHSM_OP_ENCRYPT, CKM_RSA_X9_31_KEY_PAIR_GEN },
		{ KHSM_OP_DECRYPT, CKM_RSA_X9_31_KEY_PAIR_GEN },
		{ KHSM_OP_ENCRYPT, 0x7fffabcdUL },
	};
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(c); i++) {
		CK_RV rv = kt_op_init(self->fd, self->s, c[i].op,
				      c[i].op == KHSM_OP_DIGEST ? 0 : self->aes,
				      c[i].m, NULL, 0);

		EXPECT_EQ(CKR_MECHANISM_INVALID, rv)
			TH_LOG("op %u with %s: %s", c[i].op,
			       kt_mech_name(c[i].m), khsm_rv_name(rv));
	}
}

/*
 * A public key in a public session: the token has CKF_LOGIN_REQUIRED, so
 * every operation needs the user (SIGN-3, VERIFY-2; DECISION 15:58)
 */
TEST_F(pol, public_key_without_login)
{
	unsigned char out[16];
	struct kt_tmpl t;
	__u64 pub, n = sizeof(out);
	__u32 s2;
	int fd2;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_PRIVATE, 0);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &pub));
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RO, &s2));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  init(fd2, s2, KHSM_OP_ENCRYPT, pub, CKM_AES_ECB));
	ASSERT_OK(kt_login(fd2, s2, CKU_USER, KT_USER_PIN));
	ASSERT_OK(init(fd2, s2, KHSM_OP_ENCRYPT, pub, CKM_AES_ECB));
	EXPECT_OK(kt_oneshot(fd2, s2, KHSM_OP_ENCRYPT, k16, 16, out, &n));
	khsm_close(fd2);
	ASSERT_OK(kt_destroy(self->fd, self->s, pub));
}

/* ---- error precedence (DESIGN.md "Operation init") -------------------- */

TEST_F(pol, precedence_session_first)
{
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
		  kt_op_init(self->fd, 0xbadbad, KHSM_OP_ENCRYPT, 0,
			     0x7fffabcdUL, NULL, 0));
}

TEST_F(pol, precedence_active_before_mechanism)
{
	ASSERT_OK(init(self->fd, self->s, KHSM_OP_ENCRYPT, self->aes,
		       CKM_AES_ECB));
	EXPECT_RV(CKR_OPERATION_ACTIVE,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0,
			     0x7fffabcdUL, NULL, 0));
}

TEST_F(pol, precedence_mechanism_before_key)
{
	/* unknown mechanism and bad key */
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0xdeadbeef,
			     0x7fffabcdUL, NULL, 0));
	/* mechanism not for the function and bad key */
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, 0xdeadbeef,
			     CKM_AES_CBC, iv, 16));
	/* ENCRYPT-6 / DECRYPT-5: mechanism and key type both wrong */
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, self->aes,
			     CKM_RSA_X9_31_KEY_PAIR_GEN, NULL, 0));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, self->aes,
			     CKM_RSA_X9_31_KEY_PAIR_GEN, NULL, 0));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, self->aes,
			     CKM_SHA256, NULL, 0));
}

/*
 * Login after the mechanism, before anything about the key: without the
 * user, a bad handle, a key of the wrong type, a key that does not permit
 * the function and bad parameters all answer CKR_USER_NOT_LOGGED_IN
 * (DECISION 15:58: a caller without login learns nothing of any key)
 */
TEST_F(pol, precedence_login_before_key)
{
	__u64 noenc;
	__u32 s2;
	int fd2;

	/* a public key (logout would destroy a private session key) */
	{
		struct kt_tmpl t;

		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
		kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
		kt_bytes(&t, CKA_VALUE, k16, 16);
		kt_bool(&t, CKA_PRIVATE, 0);
		kt_bool(&t, CKA_ENCRYPT, 0);
		ASSERT_OK(kt_create(self->fd, self->s, &t, &noenc));
		ASSERT_OK(kt_logout(self->fd, self->s));
	}
	/* mechanism checks still come first */
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0xdeadbeef,
			     0x7fffabcdUL, NULL, 0));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, 0xdeadbeef,
			     CKM_AES_CBC, iv, 16));
	/* then the login, before the key */
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0xdeadbeef,
			     CKM_AES_ECB, NULL, 0));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, noenc,
			     CKM_SHA256_HMAC, NULL, 0));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, noenc,
			     CKM_AES_CBC, iv, 3));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	/* another application that never logged in: the same */
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RO, &s2));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(fd2, s2, KHSM_OP_DECRYPT, noenc, CKM_AES_ECB,
			     NULL, 0));
	khsm_close(fd2);
	/* and with the user, the key's own answers */
	ASSERT_OK(kt_login(self->fd, self->s, CKU_USER, KT_USER_PIN));
	EXPECT_RV(CKR_KEY_HANDLE_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0xdeadbeef,
			     CKM_AES_ECB, NULL, 0));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, noenc,
			     CKM_AES_CBC, iv, 3));
}

TEST_F(pol, precedence_key_handle_before_params)
{
	EXPECT_RV(CKR_KEY_HANDLE_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, 0xdeadbeef,
			     CKM_AES_CBC, iv, 3));
	EXPECT_RV(CKR_KEY_HANDLE_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, self->data,
			     CKM_AES_CBC, iv, 3));
}

TEST_F(pol, precedence_key_type_before_permission)
{
	__u64 h;

	/* a generic secret that may not encrypt, used with AES-CBC */
	ASSERT_OK(key_without(self->fd, self->s, CKK_GENERIC_SECRET,
			      CKA_ENCRYPT, &h));
	EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_CBC));
	/* an AES key that may not sign, used with HMAC */
	ASSERT_OK(key_without(self->fd, self->s, CKK_AES, CKA_SIGN, &h));
	EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  init(self->fd, self->s, KHSM_OP_SIGN, h, CKM_SHA256_HMAC));
	/* key type wrong and parameters bad */
	EXPECT_RV(CKR_KEY_TYPE_INCONSISTENT,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, self->gen,
			     CKM_AES_CBC, iv, 3));
}

TEST_F(pol, precedence_permission_before_params)
{
	__u64 h;

	ASSERT_OK(key_without(self->fd, self->s, CKK_AES, CKA_ENCRYPT, &h));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CBC, iv, 3));
	EXPECT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_ECB, iv, 16));
}

TEST_F(pol, params_checked_at_init)
{
	/* the last check, alone (ENCRYPT-4, SIGN-4) */
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, self->aes,
			     CKM_AES_CBC, iv, 3));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, self->gen,
			     CKM_SHA256_HMAC, iv, 16));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, self->aes,
			     CKM_AES_CMAC, iv, 8));
}

KT_MAIN
