/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p11_test: assertions, set-up and object helpers for the PKCS#11 tests on
 * the kselftest harness.  Include kselftest_harness.h first, then this; one
 * test file per program (the harness is single translation unit).
 *
 * Every TEST runs in a forked child (the harness does that), so a crash of
 * the module under test is a failed test, not a lost run.  The parent never
 * calls C_Initialize: each test is its own Cryptoki application.
 */
#ifndef P11_TEST_H
#define P11_TEST_H

#ifndef __KSELFTEST_HARNESS_H
#error "include kselftest_harness.h before p11_test.h"
#endif

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "p11.h"

/* The VM runs TCG, ~80x slower than native: minutes per test, not 30 s */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

/* Not in p11-kit 0.24's 2.40 header */
#ifndef CKA_UNIQUE_ID
#define CKA_UNIQUE_ID		0x4UL
#endif
#ifndef CKR_AEAD_DECRYPT_FAILED
#define CKR_AEAD_DECRYPT_FAILED	0x35UL
#endif

#define ASSERT_RV(want, call) do {					\
	CK_RV __w = (want), __g = (call);				\
	ASSERT_EQ(__w, __g) TH_LOG("%s: want %s, got %s", #call,	\
				   khsm_rv_name(__w), khsm_rv_name(__g)); \
} while (0)
#define EXPECT_RV(want, call) do {					\
	CK_RV __w = (want), __g = (call);				\
	EXPECT_EQ(__w, __g) TH_LOG("%s: want %s, got %s", #call,	\
				   khsm_rv_name(__w), khsm_rv_name(__g)); \
} while (0)
/* Either of two codes (only where the standard lets both apply) */
#define ASSERT_RV2(w1, w2, call) do {					\
	CK_RV __a = (w1), __b = (w2), __g = (call);			\
	ASSERT_TRUE(__g == __a || __g == __b)				\
		TH_LOG("%s: want %s or %s, got %s", #call,		\
		       khsm_rv_name(__a), khsm_rv_name(__b),		\
		       khsm_rv_name(__g));				\
} while (0)
#define EXPECT_RV2(w1, w2, call) do {					\
	CK_RV __a = (w1), __b = (w2), __g = (call);			\
	EXPECT_TRUE(__g == __a || __g == __b)				\
		TH_LOG("%s: want %s or %s, got %s", #call,		\
		       khsm_rv_name(__a), khsm_rv_name(__b),		\
		       khsm_rv_name(__g));				\
} while (0)
/* ... naming the case in the message */
#define EXPECT_RV_LOG(want, call, fmt, ...) do {			\
	CK_RV __w = (want), __g = (call);				\
	EXPECT_EQ(__w, __g) TH_LOG(fmt ": want %s, got %s",		\
				   ##__VA_ARGS__, khsm_rv_name(__w),	\
				   khsm_rv_name(__g));			\
} while (0)
#define ASSERT_RV_LOG(want, call, fmt, ...) do {			\
	CK_RV __w = (want), __g = (call);				\
	ASSERT_EQ(__w, __g) TH_LOG(fmt ": want %s, got %s",		\
				   ##__VA_ARGS__, khsm_rv_name(__w),	\
				   khsm_rv_name(__g));			\
} while (0)
#define ASSERT_OK(call)	ASSERT_RV(CKR_OK, call)
#define EXPECT_OK(call)	EXPECT_RV(CKR_OK, call)

#define ASSERT_MEM(want, got, len) do {					\
	ASSERT_EQ(0, memcmp((want), (got), (len)))			\
		TH_LOG("%s differs from %s", #got, #want);		\
} while (0)

/* A test's application: its slot and one R/W session */
struct p11c {
	CK_SLOT_ID slot;
	CK_SESSION_HANDLE s;
};

enum { P11_NOLOGIN, P11_USER, P11_SO };

static inline void p11_setup_(struct __test_metadata *_metadata,
			      struct p11c *c, int who)
{
	ASSERT_OK(p11->C_Initialize(NULL));
	ASSERT_OK(p11_slot(&c->slot));
	ASSERT_OK(p11_open(c->slot, 1, &c->s));
	if (who == P11_USER)
		ASSERT_OK(p11_login(c->s, CKU_USER));
	else if (who == P11_SO)
		ASSERT_OK(p11_login(c->s, CKU_SO));
}
#define P11_SETUP(c, who)	p11_setup_(_metadata, (c), (who))

/*
 * Key attribute flags for key_tmpl().  Every usage attribute is given
 * explicitly (TRUE if its flag is set, else FALSE): the defaults of
 * CKA_ENCRYPT ... CKA_UNWRAP are token-specific.
 */
#define K_ENC		(1u << 0)
#define K_DEC		(1u << 1)
#define K_SIGN		(1u << 2)
#define K_VER		(1u << 3)
#define K_WRAP		(1u << 4)
#define K_UNWRAP	(1u << 5)
#define K_DERIVE	(1u << 6)
#define K_TOKEN		(1u << 8)	/* CKA_TOKEN TRUE (else FALSE) */
#define K_PUBLIC	(1u << 9)	/* CKA_PRIVATE FALSE (else TRUE) */
#define K_SENS		(1u << 10)	/* CKA_SENSITIVE TRUE (else FALSE) */
#define K_NOEXTR	(1u << 11)	/* CKA_EXTRACTABLE FALSE (else TRUE) */
#define K_CRYPT		(K_ENC | K_DEC)
#define K_MAC		(K_SIGN | K_VER)

static inline void key_tmpl(struct p11_tmpl *t, unsigned int fl)
{
	t_bool(t, CKA_ENCRYPT, !!(fl & K_ENC));
	t_bool(t, CKA_DECRYPT, !!(fl & K_DEC));
	t_bool(t, CKA_SIGN, !!(fl & K_SIGN));
	t_bool(t, CKA_VERIFY, !!(fl & K_VER));
	t_bool(t, CKA_WRAP, !!(fl & K_WRAP));
	t_bool(t, CKA_UNWRAP, !!(fl & K_UNWRAP));
	t_bool(t, CKA_DERIVE, !!(fl & K_DERIVE));
	t_bool(t, CKA_TOKEN, !!(fl & K_TOKEN));
	t_bool(t, CKA_PRIVATE, !(fl & K_PUBLIC));
	t_bool(t, CKA_SENSITIVE, !!(fl & K_SENS));
	t_bool(t, CKA_EXTRACTABLE, !(fl & K_NOEXTR));
}

/* A secret key from a raw value (C_CreateObject), with @extra appended */
static inline CK_OBJECT_HANDLE
key_import_(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
	    CK_KEY_TYPE kt, const void *val, CK_ULONG len, unsigned int fl,
	    const struct p11_tmpl *extra)
{
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	struct p11_tmpl t;

	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, kt);
	t_bytes(&t, CKA_VALUE, val, len);
	key_tmpl(&t, fl);
	if (extra)
		t_append(&t, extra);
	ASSERT_OK(p11->C_CreateObject(s, t.a, t.n, &h));
	ASSERT_NE(CK_INVALID_HANDLE, h);
	return h;
}
#define KEY_IMPORT(s, kt, val, len, fl) \
	key_import_(_metadata, (s), (kt), (val), (len), (fl), NULL)
#define KEY_IMPORT_X(s, kt, val, len, fl, extra) \
	key_import_(_metadata, (s), (kt), (val), (len), (fl), (extra))
/* The usual test keys: the known-answer vectors' keys */
#define AES_KEY(s, fl)	KEY_IMPORT((s), CKK_AES, kat_cbc_key, 16, (fl))
#define HMAC_LEN	sizeof(kat_hmac_key)
#define HMAC_KEY(s, fl)	\
	KEY_IMPORT((s), CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN, (fl))

/* A secret key by C_GenerateKey with @mech and CKA_VALUE_LEN @len */
static inline CK_OBJECT_HANDLE
key_gen_(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
	 CK_MECHANISM_TYPE mech, CK_ULONG len, unsigned int fl)
{
	CK_MECHANISM m = { mech, NULL, 0 };
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	struct p11_tmpl t;

	t_init(&t);
	t_ulong(&t, CKA_VALUE_LEN, len);
	key_tmpl(&t, fl);
	ASSERT_OK(p11->C_GenerateKey(s, &m, t.a, t.n, &h));
	ASSERT_NE(CK_INVALID_HANDLE, h);
	return h;
}
#define KEY_GEN(s, mech, len, fl) \
	key_gen_(_metadata, (s), (mech), (len), (fl))

/* A data object (session, private unless K_PUBLIC, token if K_TOKEN) */
static inline CK_OBJECT_HANDLE
data_create_(struct __test_metadata *_metadata, CK_SESSION_HANDLE s,
	     const char *label, const void *val, CK_ULONG len,
	     unsigned int fl)
{
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	struct p11_tmpl t;

	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	t_bool(&t, CKA_TOKEN, !!(fl & K_TOKEN));
	t_bool(&t, CKA_PRIVATE, !(fl & K_PUBLIC));
	t_str(&t, CKA_LABEL, label);
	if (val)
		t_bytes(&t, CKA_VALUE, val, len);
	ASSERT_OK(p11->C_CreateObject(s, t.a, t.n, &h));
	ASSERT_NE(CK_INVALID_HANDLE, h);
	return h;
}
#define DATA_CREATE(s, label, val, len, fl) \
	data_create_(_metadata, (s), (label), (val), (len), (fl))

/* A fresh R/W session of the same application */
static inline CK_SESSION_HANDLE p11_session_(struct __test_metadata *_metadata,
					     struct p11c *c)
{
	CK_SESSION_HANDLE s = CK_INVALID_HANDLE;

	ASSERT_OK(p11_open(c->slot, 1, &s));
	return s;
}
#define NEW_SESSION(c)	p11_session_(_metadata, (c))

/* Mechanisms */
#define MECH(m)		{ (m), NULL, 0 }
#define MECH_P(m, p)	{ (m), (void *)(p), sizeof(*(p)) }

static inline CK_GCM_PARAMS kat_gcm_params(void)
{
	CK_GCM_PARAMS g;

	memset(&g, 0, sizeof(g));
	g.pIv = (CK_BYTE_PTR)kat_gcm_iv;
	g.ulIvLen = sizeof(kat_gcm_iv);
	g.ulIvBits = 8 * sizeof(kat_gcm_iv);
	g.pAAD = (CK_BYTE_PTR)kat_gcm_aad;
	g.ulAADLen = sizeof(kat_gcm_aad);
	g.ulTagBits = 128;
	return g;
}

/*
 * Handles that name no key this application may use.  @kind selects which:
 * BAD_ABSENT: 0, never issued, all ones;
 * BAD_STALE: a destroyed key, a key of a closed session, a key of another
 * application (a forked child that keeps it alive), a data object.
 * Each must make @init fail with @want; a valid key must then succeed, so
 * the expectation cannot hold by accident.
 */
enum { BAD_ABSENT = 1, BAD_STALE = 2 };
typedef CK_RV (*p11_init_fn)(CK_SESSION_HANDLE, CK_MECHANISM_PTR,
			     CK_OBJECT_HANDLE);

static inline void
foreign_key_(struct __test_metadata *_metadata, CK_KEY_TYPE kt,
	     const void *val, CK_ULONG len, unsigned int fl, pid_t *pid,
	     int *release_fd, CK_OBJECT_HANDLE *h)
{
	int up[2], down[2];
	char c = 0;

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	*pid = fork();
	ASSERT_LE(0, *pid);
	if (*pid == 0) {
		/* the other application: own C_Initialize, own session key */
		CK_OBJECT_HANDLE k = CK_INVALID_HANDLE;
		CK_SESSION_HANDLE s;
		CK_SLOT_ID slot;
		struct p11_tmpl t;

		close(up[0]);
		close(down[1]);
		t_init(&t);
		t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
		t_ulong(&t, CKA_KEY_TYPE, kt);
		t_bytes(&t, CKA_VALUE, val, len);
		key_tmpl(&t, fl);
		if (p11->C_Initialize(NULL) != CKR_OK ||
		    p11_slot(&slot) != CKR_OK ||
		    p11_open(slot, 1, &s) != CKR_OK ||
		    p11_login(s, CKU_USER) != CKR_OK ||
		    p11->C_CreateObject(s, t.a, t.n, &k) != CKR_OK)
			k = CK_INVALID_HANDLE;
		if (write(up[1], &k, sizeof(k)) != sizeof(k))
			_exit(1);
		/* keep the key alive until the parent is done */
		if (read(down[0], &c, 1) < 0)
			_exit(1);
		p11->C_Finalize(NULL);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	ASSERT_EQ((ssize_t)sizeof(*h), read(up[0], h, sizeof(*h)));
	close(up[0]);
	ASSERT_NE(CK_INVALID_HANDLE, *h) TH_LOG("the other application "
						"could not create its key");
	*release_fd = down[1];
}

static inline void foreign_release(pid_t pid, int fd)
{
	int st;

	close(fd);
	waitpid(pid, &st, 0);
}

static inline void
bad_key_handles_(struct __test_metadata *_metadata, struct p11c *c,
		 p11_init_fn init, CK_MECHANISM *m, CK_KEY_TYPE kt,
		 const void *val, CK_ULONG len, unsigned int fl, int kinds,
		 CK_RV want, CK_RV want2)
{
	CK_OBJECT_HANDLE bad[8], h;
	size_t n = 0, i;
	int release = -1;
	pid_t pid = -1;

	if (kinds & BAD_ABSENT) {
		bad[n++] = CK_INVALID_HANDLE;
		bad[n++] = 0x7ffffff0UL;
		bad[n++] = ~(CK_OBJECT_HANDLE)0;
	}
	if (kinds & BAD_STALE) {
		CK_SESSION_HANDLE s2 = NEW_SESSION(c);

		h = KEY_IMPORT(c->s, kt, val, len, fl);
		ASSERT_OK(p11->C_DestroyObject(c->s, h));
		bad[n++] = h;
		/* a session object dies with its session */
		bad[n++] = KEY_IMPORT(s2, kt, val, len, fl);
		ASSERT_OK(p11->C_CloseSession(s2));
		bad[n++] = DATA_CREATE(c->s, "not a key", "x", 1, 0);
		foreign_key_(_metadata, kt, val, len, fl, &pid, &release,
			     &bad[n++]);
	}
	for (i = 0; i < n; i++) {
		CK_RV rv = init(c->s, m, bad[i]);

		EXPECT_TRUE(rv == want || rv == want2)
			TH_LOG("handle #%zu (0x%lx): want %s, got %s", i,
			       bad[i], khsm_rv_name(want), khsm_rv_name(rv));
	}
	if (pid > 0)
		foreign_release(pid, release);
}
#define BAD_KEY_HANDLES(c, init, m, kt, val, len, fl, kinds, want) \
	bad_key_handles_(_metadata, (c), (init), (m), (kt), (val), (len), \
			 (fl), (kinds), (want), (want))
#define BAD_KEY_HANDLES2(c, init, m, kt, val, len, fl, kinds, w1, w2) \
	bad_key_handles_(_metadata, (c), (init), (m), (kt), (val), (len), \
			 (fl), (kinds), (w1), (w2))

/* The first mechanism of the token with @flag in its CK_MECHANISM_INFO */
static inline int p11_mech_with_flag(CK_SLOT_ID slot, CK_FLAGS flag,
				     CK_MECHANISM_TYPE *out)
{
	CK_MECHANISM_TYPE list[512];
	CK_ULONG n = P11_ARRAY_SIZE(list), i;
	CK_MECHANISM_INFO mi;

	if (p11->C_GetMechanismList(slot, list, &n) != CKR_OK)
		return 0;
	for (i = 0; i < n; i++) {
		if (p11->C_GetMechanismInfo(slot, list[i], &mi) == CKR_OK &&
		    (mi.flags & flag)) {
			*out = list[i];
			return 1;
		}
	}
	return 0;
}

/*
 * main() of every test program: load the module, put the token in the known
 * state (in a child: the parent must stay uninitialized, every test forks
 * from it), run the harness.
 */
#define P11_MAIN							\
int main(int argc, char **argv)						\
{									\
	char __err[512];						\
	pid_t __pid;							\
	int __st;							\
									\
	if (p11_load(__err, sizeof(__err))) {				\
		ksft_print_header();					\
		ksft_exit_fail_msg("%s\n", __err);			\
	}								\
	__pid = fork();							\
	if (__pid == 0) {						\
		CK_RV __rv = p11_token_reset();				\
									\
		if (__rv != CKR_OK)					\
			fprintf(stderr, "# token reset: %s\n",		\
				khsm_rv_name(__rv));			\
		p11->C_Finalize(NULL);					\
		_exit(__rv != CKR_OK);					\
	}								\
	if (__pid < 0 || waitpid(__pid, &__st, 0) != __pid ||		\
	    !WIFEXITED(__st) || WEXITSTATUS(__st) != 0) {		\
		ksft_print_header();					\
		ksft_exit_fail_msg("cannot initialize the test token\n"); \
	}								\
	return test_harness_run(argc, argv);				\
}

#endif /* P11_TEST_H */
