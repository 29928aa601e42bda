// SPDX-License-Identifier: GPL-2.0
/*
 * token: C_GetTokenInfo, C_InitToken, C_InitPIN, C_SetPIN and the PIN
 * lockout after the configured number of failed tries (PKCS#11 3.0 §5.5,
 * §5.6; token flags of §3.2 CK_TOKEN_INFO).
 */
#include <ctype.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "kt.h"

FIXTURE(tok) {
	int fd;
};

FIXTURE_SETUP(tok)
{
	self->fd = kt_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(tok)
{
	/* every test leaves the token as KT_MAIN found it */
	kt_close_all(self->fd);
	kt_token_reset(self->fd);
	khsm_close(self->fd);
}

static int blank_padded_printable(const __u8 *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isprint(s[i]))
			return 0;
	return 1;
}

static CK_FLAGS token_flags(int fd)
{
	struct khsm_token_info ti;

	if (kt_token_info(fd, &ti) != CKR_OK)
		return ~0UL;
	return ti.flags;
}

TEST_F(tok, info)
{
	struct khsm_token_info ti;
	char label[KHSM_LABEL_LEN];

	ASSERT_OK(kt_token_info(self->fd, &ti));
	memset(label, ' ', sizeof(label));
	memcpy(label, KT_LABEL, strlen(KT_LABEL));
	EXPECT_EQ(0, memcmp(label, ti.label, sizeof(label)));
	EXPECT_TRUE(blank_padded_printable(ti.manufacturer,
					   sizeof(ti.manufacturer)));
	EXPECT_TRUE(blank_padded_printable(ti.model, sizeof(ti.model)));
	EXPECT_TRUE(blank_padded_printable(ti.serial, sizeof(ti.serial)));
	EXPECT_NE(0, ti.flags & CKF_TOKEN_INITIALIZED);
	EXPECT_NE(0, ti.flags & CKF_USER_PIN_INITIALIZED);
	EXPECT_NE(0, ti.flags & CKF_RNG);
	EXPECT_EQ(0, ti.flags & (CKF_USER_PIN_LOCKED | CKF_SO_PIN_LOCKED |
				 CKF_WRITE_PROTECTED));
	EXPECT_EQ(KHSM_MAX_PIN_LEN, ti.max_pin_len);
	EXPECT_EQ(KHSM_MIN_PIN_LEN, ti.min_pin_len);
	EXPECT_LE(ti.session_count, ti.max_session_count);
	EXPECT_LE(ti.rw_session_count, ti.max_rw_session_count);
	if (ti.free_public_memory != CK_UNAVAILABLE_INFORMATION)
		EXPECT_LE(ti.free_public_memory, ti.total_public_memory);
	if (ti.flags & CKF_CLOCK_ON_TOKEN) {
		size_t i;

		for (i = 0; i < 14; i++)
			EXPECT_TRUE(isdigit(ti.utc_time[i]));
	}
}

/*
 * Session counts are the calling application's ("this application",
 * lead DECISION 15:45, as max_session_count is): another application's
 * sessions never show.
 */
TEST_F(tok, session_counts)
{
	struct khsm_token_info a, b, c;
	__u32 s[3], s2;
	int fd2;

	ASSERT_OK(kt_token_info(self->fd, &a));
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(self->fd, KT_RO, &s[0]));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s[1]));
	ASSERT_OK(kt_session(self->fd, KT_RO, &s[2]));
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	ASSERT_OK(kt_token_info(self->fd, &b));
	EXPECT_EQ(a.session_count + 3, b.session_count);
	EXPECT_EQ(a.rw_session_count + 1, b.rw_session_count);
	ASSERT_OK(kt_token_info(fd2, &c));
	EXPECT_EQ(1, c.session_count);
	EXPECT_EQ(1, c.rw_session_count);
	ASSERT_OK(kt_close(self->fd, s[1]));
	khsm_close(fd2);
	ASSERT_OK(kt_token_info(self->fd, &b));
	EXPECT_EQ(a.session_count + 2, b.session_count);
	EXPECT_EQ(a.rw_session_count, b.rw_session_count);
	ASSERT_OK(kt_close_all(self->fd));
	ASSERT_OK(kt_token_info(self->fd, &b));
	EXPECT_EQ(a.session_count, b.session_count);
}

/* Free memory goes down with a token object and back up without it */
TEST_F(tok, memory_counts)
{
	static unsigned char v[4096];
	struct khsm_token_info a, b;
	struct kt_tmpl t;
	__u64 h;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_token_info(self->fd, &a));
	if (a.free_private_memory == CK_UNAVAILABLE_INFORMATION &&
	    a.free_public_memory == CK_UNAVAILABLE_INFORMATION)
		SKIP(return, "memory not reported");
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bytes(&t, CKA_VALUE, v, sizeof(v));
	ASSERT_OK(kt_create(self->fd, s, &t, &h));
	ASSERT_OK(kt_token_info(self->fd, &b));
	EXPECT_LE(sizeof(v), a.free_private_memory - b.free_private_memory)
		TH_LOG("free %llu -> %llu",
		       (unsigned long long)a.free_private_memory,
		       (unsigned long long)b.free_private_memory);
	ASSERT_OK(kt_destroy(self->fd, s, h));
	ASSERT_OK(kt_token_info(self->fd, &b));
	EXPECT_EQ(a.free_private_memory, b.free_private_memory);
}

/*
 * What the engines keep with a key (a keyed GCM or CBC transform, HMAC pad
 * states) counts as object memory while the key lives, and all of it comes
 * back once the key is gone (freed after an RCU grace period: polled).
 */
TEST_F(tok, engine_caches_count_as_memory)
{
	static const unsigned char k[32] = { 3 }, iv[16] = { 4 };
	unsigned char in[64] = { 0 }, out[128];
	struct khsm_gcm_params gp = {
		.iv = KT_PTR(iv), .iv_len = 12, .tag_bits = 128,
	};
	struct khsm_token_info a, b, c;
	__u64 aes, hm, n;
	__u32 s;
	int i;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_token_info_settled(self->fd, &a));
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, k, 32, &aes));
	ASSERT_OK(kt_secret(self->fd, s, CKK_GENERIC_SECRET, k, 32, &hm));
	ASSERT_OK(kt_token_info(self->fd, &b));
	/* twice each: the second use finds what the first one left */
	for (i = 0; i < 2; i++) {
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, aes,
				     CKM_AES_GCM, &gp, sizeof(gp)));
		n = sizeof(out);
		ASSERT_OK(kt_oneshot(self->fd, s, KHSM_OP_ENCRYPT, in, 64,
				     out, &n));
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, aes,
				     CKM_AES_CBC, iv, 16));
		n = sizeof(out);
		ASSERT_OK(kt_oneshot(self->fd, s, KHSM_OP_ENCRYPT, in, 64,
				     out, &n));
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_SIGN, hm,
				     CKM_SHA256_HMAC, NULL, 0));
		n = sizeof(out);
		ASSERT_OK(kt_oneshot(self->fd, s, KHSM_OP_SIGN, in, 64, out,
				     &n));
	}
	ASSERT_OK(kt_token_info(self->fd, &c));
	/* two transforms (GCM, CBC) and the pad states at least */
	EXPECT_LE(2 * 4096, b.free_public_memory - c.free_public_memory)
		TH_LOG("free %llu -> %llu",
		       (unsigned long long)b.free_public_memory,
		       (unsigned long long)c.free_public_memory);
	ASSERT_OK(kt_destroy(self->fd, s, aes));
	ASSERT_OK(kt_destroy(self->fd, s, hm));
	ASSERT_OK(kt_token_info_settled(self->fd, &b));
	EXPECT_EQ(a.free_public_memory, b.free_public_memory);
}

/* C_InitToken: refused while any application has a session open */
TEST_F(tok, init_token_session_exists)
{
	__u32 s;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RO, &s));
	EXPECT_RV(CKR_SESSION_EXISTS,
		  kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));
	khsm_close(fd2);
	ASSERT_OK(kt_session(self->fd, KT_RO, &s));
	EXPECT_RV(CKR_SESSION_EXISTS,
		  kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));
	ASSERT_OK(kt_close(self->fd, s));
	EXPECT_OK(kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));
}

/*
 * C_InitToken calls bound to fail (another application has a session) do
 * not make other applications' C_OpenSession fail meanwhile.
 */
struct init_spam {
	int fd;
	volatile int stop;
	unsigned long calls;
	CK_RV other;
};

static void *init_spammer(void *arg)
{
	struct init_spam *sp = arg;

	while (!sp->stop) {
		CK_RV rv = kt_init_token(sp->fd, "wrong-so-pin", KT_LABEL);

		if (rv != CKR_SESSION_EXISTS)
			sp->other = rv;
		sp->calls++;
	}
	return NULL;
}

TEST_F(tok, failing_init_token_blocks_no_open)
{
	struct init_spam sp = { 0 };
	pthread_t th;
	int fd2, i, bad = 0;
	__u32 s, s2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	sp.fd = kt_open();
	ASSERT_LE(0, sp.fd);
	ASSERT_OK(kt_session(self->fd, KT_RO, &s));	/* sessions exist */
	ASSERT_EQ(0, pthread_create(&th, NULL, init_spammer, &sp));
	for (i = 0; i < 2000; i++) {
		if (kt_session(fd2, KT_RO, &s2) != CKR_OK) {
			bad++;
			continue;
		}
		kt_close(fd2, s2);
	}
	sp.stop = 1;
	pthread_join(th, NULL);
	TH_LOG("%lu failing C_InitToken calls meanwhile", sp.calls);
	EXPECT_EQ(0, bad);
	EXPECT_RV(CKR_OK, sp.other);
	EXPECT_OK(kt_close(self->fd, s));
	khsm_close(sp.fd);
	khsm_close(fd2);
}

TEST_F(tok, init_token_wrong_so_pin)
{
	EXPECT_RV(CKR_PIN_INCORRECT,
		  kt_init_token(self->fd, "wrong-so-pin", KT_LABEL));
	EXPECT_OK(kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));
}

/* Re-initialising destroys token objects, the user PIN and sets the label */
TEST_F(tok, reinit_wipes_token)
{
	struct khsm_token_info ti;
	struct kt_tmpl t;
	__u64 h, found[4];
	size_t cnt;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_PRIVATE, 0);
	kt_str(&t, CKA_LABEL, "wiped-by-init");
	ASSERT_OK(kt_create(self->fd, s, &t, &h));
	ASSERT_OK(kt_close(self->fd, s));

	ASSERT_OK(kt_init_token(self->fd, KT_SO_PIN, "relabelled"));
	ASSERT_OK(kt_token_info(self->fd, &ti));
	EXPECT_EQ(0, memcmp(ti.label, "relabelled ", 11));
	EXPECT_EQ(0, ti.flags & CKF_USER_PIN_INITIALIZED);

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "wiped-by-init");
	ASSERT_OK(kt_find_all(self->fd, s, &t, found, 4, &cnt));
	EXPECT_EQ(0, cnt);
	EXPECT_RV(CKR_USER_PIN_NOT_INITIALIZED,
		  kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
}

TEST_F(tok, init_pin_needs_so_rw)
{
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN, kt_init_pin(self->fd, s, "a-new-pin"));
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_init_pin(self->fd, s, "a-new-pin"));
	ASSERT_OK(kt_logout(self->fd, s));
	EXPECT_RV(CKR_PIN_INCORRECT, kt_login(self->fd, s, CKU_USER,
					      KT_USER_PIN));
	EXPECT_OK(kt_login(self->fd, s, CKU_USER, "a-new-pin"));
}

TEST_F(tok, set_pin_user_and_so)
{
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	/* not logged in: changes the user PIN (PKCS#11 §5.6 C_SetPIN) */
	EXPECT_RV(CKR_PIN_INCORRECT,
		  kt_set_pin(self->fd, s, "not-the-pin", "user-pin-2"));
	ASSERT_OK(kt_set_pin(self->fd, s, KT_USER_PIN, "user-pin-2"));
	EXPECT_RV(CKR_PIN_INCORRECT,
		  kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, "user-pin-2"));
	/* logged in as user: the user PIN */
	ASSERT_OK(kt_set_pin(self->fd, s, "user-pin-2", "user-pin-3"));
	ASSERT_OK(kt_logout(self->fd, s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, "user-pin-3"));
	ASSERT_OK(kt_logout(self->fd, s));

	/* logged in as SO: the SO PIN */
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	EXPECT_RV(CKR_PIN_INCORRECT,
		  kt_set_pin(self->fd, s, "not-the-so-pin", "so-pin-2"));
	ASSERT_OK(kt_set_pin(self->fd, s, KT_SO_PIN, "so-pin-2"));
	ASSERT_OK(kt_logout(self->fd, s));
	EXPECT_RV(CKR_PIN_INCORRECT, kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, "so-pin-2"));
	ASSERT_OK(kt_set_pin(self->fd, s, "so-pin-2", KT_SO_PIN));
	ASSERT_OK(kt_logout(self->fd, s));
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
}

/* Consecutive failures lock the user PIN; the flags say so on the way */
TEST_F(tok, user_pin_lockout)
{
	long tries = kt_modparam("max_pin_tries", -1);
	CK_FLAGS f;
	__u32 s;
	long i;
	CK_RV rv = CKR_OK;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	/* a success in between resets the count */
	for (i = 0; i < 2; i++)
		ASSERT_RV(CKR_PIN_INCORRECT,
			  kt_login(self->fd, s, CKU_USER, "wrong-pin"));
	EXPECT_NE(0, token_flags(self->fd) & CKF_USER_PIN_COUNT_LOW);
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_logout(self->fd, s));
	EXPECT_EQ(0, token_flags(self->fd) & (CKF_USER_PIN_COUNT_LOW |
					      CKF_USER_PIN_FINAL_TRY));

	for (i = 1; i <= 100; i++) {
		rv = kt_login(self->fd, s, CKU_USER, "wrong-pin");
		if (rv != CKR_PIN_INCORRECT)
			break;
		f = token_flags(self->fd);
		if (f & CKF_USER_PIN_LOCKED)
			break;
		if (tries > 0 && i == tries - 1)
			EXPECT_NE(0, f & CKF_USER_PIN_FINAL_TRY);
	}
	if (i > 100)
		SKIP(return, "no lockout after 100 failures");
	/* locked by the failure that reached the limit, or on the next */
	if (rv == CKR_PIN_INCORRECT)
		rv = kt_login(self->fd, s, CKU_USER, "wrong-pin");
	EXPECT_RV(CKR_PIN_LOCKED, rv);
	if (tries > 0)
		EXPECT_EQ(tries, i) TH_LOG("locked after %ld, max_pin_tries %ld",
					   i, tries);
	EXPECT_NE(0, token_flags(self->fd) & CKF_USER_PIN_LOCKED);
	/* even the right PIN is refused now */
	EXPECT_RV(CKR_PIN_LOCKED, kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	/* and so is changing it with the old PIN */
	EXPECT_RV(CKR_PIN_LOCKED,
		  kt_set_pin(self->fd, s, KT_USER_PIN, "whatever-pin"));

	/* the SO sets a new PIN, which unlocks */
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_init_pin(self->fd, s, KT_USER_PIN));
	ASSERT_OK(kt_logout(self->fd, s));
	EXPECT_EQ(0, token_flags(self->fd) & CKF_USER_PIN_LOCKED);
	EXPECT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
}

/* Failures count per token, not per application */
TEST_F(tok, lockout_count_is_per_token)
{
	__u32 s, s2;
	int fd2;

	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_session(fd2, KT_RW, &s2));
	ASSERT_RV(CKR_PIN_INCORRECT, kt_login(self->fd, s, CKU_USER, "bad-1"));
	ASSERT_RV(CKR_PIN_INCORRECT, kt_login(fd2, s2, CKU_USER, "bad-2"));
	EXPECT_NE(0, token_flags(self->fd) & CKF_USER_PIN_COUNT_LOW);
	/* closing the fd does not forget the failures */
	khsm_close(fd2);
	EXPECT_NE(0, token_flags(self->fd) & CKF_USER_PIN_COUNT_LOW);
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
}

/* SO failures are counted too (the lock itself is tested by unload) */
TEST_F(tok, so_pin_count_low)
{
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_RV(CKR_PIN_INCORRECT, kt_login(self->fd, s, CKU_SO, "bad-so"));
	EXPECT_NE(0, token_flags(self->fd) & CKF_SO_PIN_COUNT_LOW);
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	EXPECT_EQ(0, token_flags(self->fd) & CKF_SO_PIN_COUNT_LOW);
}

KT_MAIN
