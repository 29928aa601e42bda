// SPDX-License-Identifier: GPL-2.0
/*
 * session: C_OpenSession, C_CloseSession, C_CloseAllSessions,
 * C_GetSessionInfo, C_Login, C_Logout as PKCS#11 3.0 §5.6-5.7 define them:
 * session states, R/O and R/W rules, SO and user, wrong user, wrong
 * session, stale handles and the handles of another application (fd).
 */
#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kt.h"

FIXTURE(sess) {
	int fd;
};

FIXTURE_SETUP(sess)
{
	self->fd = kt_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(sess)
{
	khsm_close(self->fd);
}

static CK_ULONG state_of(int fd, __u32 s)
{
	struct khsm_session_info si;

	if (kt_session_info(fd, s, &si) != CKR_OK)
		return ~0UL;
	return si.state;
}

TEST_F(sess, open_ro_rw_info)
{
	struct khsm_session_info si;
	__u32 ro, rw;

	ASSERT_OK(kt_session(self->fd, KT_RO, &ro));
	ASSERT_OK(kt_session(self->fd, KT_RW, &rw));
	EXPECT_NE(0, ro);
	EXPECT_NE(0, rw);
	EXPECT_NE(ro, rw);

	ASSERT_OK(kt_session_info(self->fd, ro, &si));
	EXPECT_EQ(CKS_RO_PUBLIC_SESSION, si.state);
	EXPECT_EQ(CKF_SERIAL_SESSION, si.flags);
	EXPECT_EQ(0, si.device_error);

	ASSERT_OK(kt_session_info(self->fd, rw, &si));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, si.state);
	EXPECT_EQ(CKF_SERIAL_SESSION | CKF_RW_SESSION, si.flags);
}

TEST_F(sess, serial_flag_required)
{
	__u32 s;

	EXPECT_RV(CKR_SESSION_PARALLEL_NOT_SUPPORTED,
		  kt_session(self->fd, 0, &s));
	EXPECT_RV(CKR_SESSION_PARALLEL_NOT_SUPPORTED,
		  kt_session(self->fd, CKF_RW_SESSION, &s));
}

TEST_F(sess, close_and_stale_handle)
{
	struct khsm_session_info si;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_close(self->fd, s));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_session_info(self->fd, s, &si));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_close(self->fd, s));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
		  kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
}

/*
 * A new session may take a closed one's slot of the session table, never
 * its handle: the old handle stays invalid and names no one else.
 */
TEST_F(sess, reused_slot_new_handle)
{
	struct khsm_session_info si;
	__u32 keep, old, s[3];
	size_t i;

	ASSERT_OK(kt_session(self->fd, KT_RW, &keep));
	for (i = 0; i < 100; i++) {
		ASSERT_OK(kt_session(self->fd, KT_RO, &old));
		ASSERT_OK(kt_close(self->fd, old));
		ASSERT_OK(kt_session(self->fd, KT_RW, &s[0]));
		ASSERT_NE(old, s[0]);
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_session_info(self->fd, old, &si));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_close(self->fd, old));
		ASSERT_OK(kt_session_info(self->fd, s[0], &si));
		EXPECT_EQ(CKF_SERIAL_SESSION | CKF_RW_SESSION, si.flags);
		ASSERT_OK(kt_close(self->fd, s[0]));
	}
	/* past the table's first size (it grows), handles stay distinct */
	for (i = 0; i < 40; i++) {
		ASSERT_OK(kt_session(self->fd, KT_RO, &s[i % 3]));
		if (i % 3 == 2) {
			EXPECT_NE(s[0], s[1]);
			EXPECT_NE(s[1], s[2]);
		}
	}
	EXPECT_OK(kt_session_info(self->fd, keep, &si));
	EXPECT_OK(kt_close_all(self->fd));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
		  kt_session_info(self->fd, keep, &si));
}

TEST_F(sess, close_all)
{
	struct khsm_session_info si;
	__u32 s[4], other;
	int fd2;
	size_t i;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &other));
	for (i = 0; i < KT_ARRAY_SIZE(s); i++)
		ASSERT_OK(kt_session(self->fd, i & 1 ? KT_RW : KT_RO, &s[i]));
	ASSERT_OK(kt_close_all(self->fd));
	for (i = 0; i < KT_ARRAY_SIZE(s); i++)
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_session_info(self->fd, s[i], &si));
	/* the other application's session is untouched */
	EXPECT_OK(kt_session_info(fd2, other, &si));
	/* closing all of nothing is fine */
	EXPECT_OK(kt_close_all(self->fd));
	khsm_close(fd2);
}

/* Every call that takes a session refuses 0, garbage and closed handles */
TEST_F(sess, invalid_handles_everywhere)
{
	static const __u32 bad[] = { 0, 0xdeadbeef, 0xffffffff, 0x7fffffff };
	unsigned char buf[32] = { 0 };
	struct khsm_session_info si;
	struct kt_tmpl t;
	__u64 n, h;
	size_t i, c;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_close(self->fd, s));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);

	for (i = 0; i <= KT_ARRAY_SIZE(bad); i++) {
		__u32 b = i < KT_ARRAY_SIZE(bad) ? bad[i] : s;

		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_session_info(self->fd, b, &si));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_close(self->fd, b));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_login(self->fd, b, CKU_USER, KT_USER_PIN));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_logout(self->fd, b));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_set_pin(self->fd, b, KT_USER_PIN, KT_USER_PIN));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_init_pin(self->fd, b, KT_USER_PIN));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_create(self->fd, b, &t, &h));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_copy(self->fd, b, 1, NULL, &h));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_destroy(self->fd, b, 1));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_object_size(self->fd, b, 1, &n));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_generate(self->fd, b, CKM_AES_KEY_GEN, NULL, &h));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_get(self->fd, b, 1, &t));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_set(self->fd, b, 1, &t));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_find_all(self->fd, b, &t, &h, 1, &c));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_op_init(self->fd, b, KHSM_OP_DIGEST, 0,
				     CKM_SHA256, NULL, 0));
		n = sizeof(buf);
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_update(self->fd, b, KHSM_OP_DIGEST, buf, 1,
				    NULL, NULL));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_final(self->fd, b, KHSM_OP_DIGEST, buf, &n));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_oneshot(self->fd, b, KHSM_OP_DIGEST, buf, 1,
				     buf, &n));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_cancel(self->fd, b, 1U << KHSM_OP_DIGEST));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  kt_random(self->fd, b, buf, sizeof(buf)));
	}
}

/* A session handle of another application (fd) is not ours */
TEST_F(sess, foreign_handle)
{
	struct khsm_session_info si;
	unsigned char buf[16];
	__u32 s;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s));
	ASSERT_OK(kt_login(fd2, s, CKU_USER, KT_USER_PIN));

	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_session_info(self->fd, s, &si));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_random(self->fd, s, buf, 16));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_logout(self->fd, s));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_close(self->fd, s));
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
		  kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	/* and it survived all that, still logged in */
	ASSERT_OK(kt_session_info(fd2, s, &si));
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, si.state);
	khsm_close(fd2);
}

/* Closing the fd ends its sessions; a new fd starts with none */
TEST_F(sess, release_ends_sessions)
{
	struct khsm_session_info si;
	__u32 s;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RW, &s));
	ASSERT_OK(kt_login(fd2, s, CKU_USER, KT_USER_PIN));
	khsm_close(fd2);
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	EXPECT_RV(CKR_SESSION_HANDLE_INVALID, kt_session_info(fd2, s, &si));
	khsm_close(fd2);
}

TEST_F(sess, user_login_states)
{
	__u32 ro, rw;

	ASSERT_OK(kt_session(self->fd, KT_RO, &ro));
	ASSERT_OK(kt_session(self->fd, KT_RW, &rw));
	ASSERT_OK(kt_login(self->fd, ro, CKU_USER, KT_USER_PIN));
	/* login is per application: every session of it changes state */
	EXPECT_EQ(CKS_RO_USER_FUNCTIONS, state_of(self->fd, ro));
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(self->fd, rw));
	EXPECT_RV(CKR_USER_ALREADY_LOGGED_IN,
		  kt_login(self->fd, rw, CKU_USER, KT_USER_PIN));
	EXPECT_RV(CKR_USER_ANOTHER_ALREADY_LOGGED_IN,
		  kt_login(self->fd, rw, CKU_SO, KT_SO_PIN));
	/* a session opened now starts logged in too */
	{
		__u32 s3;

		ASSERT_OK(kt_session(self->fd, KT_RW, &s3));
		EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(self->fd, s3));
	}
	ASSERT_OK(kt_logout(self->fd, rw));
	EXPECT_EQ(CKS_RO_PUBLIC_SESSION, state_of(self->fd, ro));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, state_of(self->fd, rw));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_logout(self->fd, rw));
}

TEST_F(sess, so_login_rules)
{
	__u32 ro, rw, s;

	/* SO cannot log in while a R/O session exists */
	ASSERT_OK(kt_session(self->fd, KT_RO, &ro));
	ASSERT_OK(kt_session(self->fd, KT_RW, &rw));
	EXPECT_RV(CKR_SESSION_READ_ONLY_EXISTS,
		  kt_login(self->fd, rw, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_close(self->fd, ro));

	ASSERT_OK(kt_login(self->fd, rw, CKU_SO, KT_SO_PIN));
	EXPECT_EQ(CKS_RW_SO_FUNCTIONS, state_of(self->fd, rw));
	/* no R/O session while the SO is logged in */
	EXPECT_RV(CKR_SESSION_READ_WRITE_SO_EXISTS,
		  kt_session(self->fd, KT_RO, &s));
	EXPECT_RV(CKR_USER_ANOTHER_ALREADY_LOGGED_IN,
		  kt_login(self->fd, rw, CKU_USER, KT_USER_PIN));
	EXPECT_RV(CKR_USER_ALREADY_LOGGED_IN,
		  kt_login(self->fd, rw, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_EQ(CKS_RW_SO_FUNCTIONS, state_of(self->fd, s));
	ASSERT_OK(kt_logout(self->fd, rw));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, state_of(self->fd, s));
}

TEST_F(sess, login_bad_pin_and_user_type)
{
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_RV(CKR_PIN_INCORRECT, kt_login(self->fd, s, CKU_USER,
					      "not-the-pin"));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, state_of(self->fd, s));
	EXPECT_RV(CKR_USER_TYPE_INVALID, kt_login(self->fd, s, 7,
						  KT_USER_PIN));
	EXPECT_RV(CKR_USER_TYPE_INVALID, kt_login(self->fd, s, 1ULL << 32 | 1,
						  KT_USER_PIN));
	/* a good login clears the failure count */
	EXPECT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
}

/* Closing the last session of an application logs it out (PKCS#11 5.6) */
TEST_F(sess, last_close_logs_out)
{
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_close(self->fd, s));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, state_of(self->fd, s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_close_all(self->fd));
	ASSERT_OK(kt_session(self->fd, KT_RO, &s));
	EXPECT_EQ(CKS_RO_PUBLIC_SESSION, state_of(self->fd, s));
}

/* Login is per application: another fd stays public */
TEST_F(sess, login_is_per_application)
{
	__u32 s, s2;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	EXPECT_EQ(CKS_RW_PUBLIC_SESSION, state_of(fd2, s2));
	EXPECT_OK(kt_login(fd2, s2, CKU_USER, KT_USER_PIN));
	EXPECT_OK(kt_logout(self->fd, s));
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(fd2, s2));
	khsm_close(fd2);
}

/* R/O sessions: no token objects, no PIN changes */
TEST_F(sess, read_only_session_rules)
{
	struct kt_tmpl t;
	__u64 h;
	__u32 ro;

	ASSERT_OK(kt_session(self->fd, KT_RO, &ro));
	ASSERT_OK(kt_login(self->fd, ro, CKU_USER, KT_USER_PIN));

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	EXPECT_RV(CKR_SESSION_READ_ONLY, kt_create(self->fd, ro, &t, &h));
	EXPECT_RV(CKR_SESSION_READ_ONLY,
		  kt_set_pin(self->fd, ro, KT_USER_PIN, "another-pin"));

	/* a session object in a R/O session is allowed (PKCS#11 4.4.1) */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 0);
	EXPECT_OK(kt_create(self->fd, ro, &t, &h));
}

/* Session objects die with their session; token objects do not */
TEST_F(sess, close_destroys_session_objects)
{
	struct kt_tmpl t;
	__u64 sobj, tobj, v;
	__u32 s1, s2;
	CK_ULONG cls;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s1));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s2));
	ASSERT_OK(kt_login(self->fd, s1, CKU_USER, KT_USER_PIN));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(kt_create(self->fd, s1, &t, &sobj));
	kt_bool(&t, CKA_TOKEN, 1);
	ASSERT_OK(kt_create(self->fd, s1, &t, &tobj));
	EXPECT_OK(kt_get_ulong(self->fd, s2, sobj, CKA_CLASS, &cls));

	ASSERT_OK(kt_close(self->fd, s1));
	EXPECT_RV(CKR_OBJECT_HANDLE_INVALID,
		  kt_get_ulong(self->fd, s2, sobj, CKA_CLASS, &cls));
	EXPECT_OK(kt_get_ulong(self->fd, s2, tobj, CKA_CLASS, &cls));
	EXPECT_EQ(CKO_DATA, cls);
	EXPECT_OK(kt_object_size(self->fd, s2, tobj, &v));
	EXPECT_OK(kt_destroy(self->fd, s2, tobj));
}

/* Wrong user: user cannot act as SO, SO cannot use the user's objects */
TEST_F(sess, wrong_user)
{
	unsigned char k[16] = { 1 };
	struct kt_tmpl t;
	__u64 key, h;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_init_pin(self->fd, s, "new-pin-1"));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_init_pin(self->fd, s, "new-pin-1"));

	/* a private token key of the user */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k, 16);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_PRIVATE, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	ASSERT_OK(kt_create(self->fd, s, &t, &key));
	ASSERT_OK(kt_logout(self->fd, s));

	/* the SO sees only public objects and makes no private ones */
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	{
		CK_RV rv = kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key,
				      CKM_AES_ECB, NULL, 0);

		EXPECT_TRUE(rv == CKR_KEY_HANDLE_INVALID ||
			    rv == CKR_USER_NOT_LOGGED_IN)
			TH_LOG("SO using a private key: %s", khsm_rv_name(rv));
	}
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_PRIVATE, 1);
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_create(self->fd, s, &t, &h));
	ASSERT_OK(kt_logout(self->fd, s));

	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	EXPECT_OK(kt_destroy(self->fd, s, key));
}

/* Before the user PIN is set the user cannot log in */
TEST_F(sess, user_pin_not_initialized)
{
	struct khsm_token_info ti;
	__u32 s;

	ASSERT_OK(kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));
	ASSERT_OK(kt_token_info(self->fd, &ti));
	EXPECT_EQ(0, ti.flags & CKF_USER_PIN_INITIALIZED);
	EXPECT_NE(0, ti.flags & CKF_TOKEN_INITIALIZED);
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_RV(CKR_USER_PIN_NOT_INITIALIZED,
		  kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_close_all(self->fd));
	ASSERT_OK(kt_token_reset(self->fd));
	ASSERT_OK(kt_token_info(self->fd, &ti));
	EXPECT_NE(0, ti.flags & CKF_USER_PIN_INITIALIZED);
}

/* At most max_sessions per application, then CKR_SESSION_COUNT */
TEST_F(sess, session_count_bound)
{
	struct khsm_version v = { 0 };
	__u32 s;
	__u64 i;

	ASSERT_OK(khsm_version(self->fd, &v));
	if (v.max_sessions > 100000)
		SKIP(return, "max_sessions %u too many to open", v.max_sessions);
	for (i = 0; i < v.max_sessions; i++)
		ASSERT_OK(kt_session(self->fd, i & 1 ? KT_RW : KT_RO, &s));
	EXPECT_RV(CKR_SESSION_COUNT, kt_session(self->fd, KT_RW, &s));
	EXPECT_OK(kt_close_all(self->fd));
	EXPECT_OK(kt_session(self->fd, KT_RW, &s));
}

/*
 * KHSM_IOC_APP_FD: a second file of the same application sees its sessions
 * and login state, is close-on-exec, keeps the application when the first
 * file closes, and the application (and its session objects) ends with the
 * last file.  Reserved fields must be zero.
 */
TEST_F(sess, app_fd_same_application)
{
	static unsigned char v[4096];
	struct khsm_app_fd af = { .hdr.size = sizeof(af) };
	struct khsm_token_info base, ti;
	struct kt_tmpl t;
	struct khsm_version ver = { 0 };
	int a, b, c;
	__u32 s, s2;

	ASSERT_OK(khsm_version(self->fd, &ver));
	EXPECT_NE(0, ver.caps & KHSM_CAP_APP_FD);
	a = kt_open();
	ASSERT_LE(0, a);
	ASSERT_OK(kt_token_info_settled(self->fd, &base));
	ASSERT_OK(khsm_app_fd(a, &af));
	b = af.fd;
	ASSERT_LE(0, b);
	EXPECT_NE(a, b);
	EXPECT_EQ(FD_CLOEXEC, fcntl(b, F_GETFD) & FD_CLOEXEC);

	/* one application: sessions and login are common to both files */
	ASSERT_OK(kt_session(b, KT_RW, &s));
	ASSERT_OK(kt_login(a, s, CKU_USER, KT_USER_PIN));
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(b, s));
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(a, s));
	ASSERT_OK(kt_session(a, KT_RO, &s2));
	EXPECT_EQ(CKS_RO_USER_FUNCTIONS, state_of(b, s2));
	/* ... and not another application's */
	EXPECT_EQ(~0UL, state_of(self->fd, s));

	/* a file of a file: the same application again */
	af.fd = -1;
	ASSERT_OK(khsm_app_fd(b, &af));
	c = af.fd;
	ASSERT_LE(0, c);
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(c, s));
	khsm_close(c);

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_VALUE, v, sizeof(v));
	ASSERT_OK(kt_create(b, s, &t, NULL));

	/* the first file closes: the application lives on in the second */
	khsm_close(a);
	EXPECT_EQ(CKS_RW_USER_FUNCTIONS, state_of(b, s));
	ASSERT_OK(kt_token_info(self->fd, &ti));
	EXPECT_LE(sizeof(v), base.free_public_memory - ti.free_public_memory);

	/* the last one closes: sessions and session objects are gone */
	khsm_close(b);
	ASSERT_OK(kt_token_info_settled(self->fd, &ti));
	EXPECT_EQ(base.free_public_memory, ti.free_public_memory);

	/* reserved must be zero; a bad struct is refused, no fd made */
	af.fd = -1;
	af.reserved = 1;
	EXPECT_EQ(EINVAL, KT_ERRNO(khsm_app_fd(self->fd, &af)));
	EXPECT_EQ(-1, af.fd);
}

KT_MAIN
