// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency (issue 3, item 5): 16 threads of one application, each with
 * its own sessions, doing mixed operations on shared and own keys; and 4
 * processes (4 applications) sharing token objects, one creating them, all
 * using them.  Every result is checked against a known answer.
 * $KHSM_TEST_ITERS sets the rounds per thread (default 8: the VM is slow).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "kselftest_harness.h"
#include "p11_test.h"

#define NTHREADS	16
#define NPROCS		4

static int iters(void)
{
	const char *s = getenv("KHSM_TEST_ITERS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : 8;
}

static atomic_int errors;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# " __VA_ARGS__);			\
		fprintf(stderr, "\n");					\
		atomic_fetch_add(&errors, 1);				\
		return;							\
	}								\
} while (0)
#define CHECK_RV(want, call, what) do {					\
	CK_RV __r = (call);						\
	CHECK(__r == (want), "%s: %s (want %s)", what,		\
	      khsm_rv_name(__r), khsm_rv_name(want));			\
} while (0)

struct shared_keys {
	CK_SLOT_ID slot;
	CK_OBJECT_HANDLE cbc, gcm, hmac;
};

/* One round of every kind of operation; returns on the first error */
static void one_round(const struct shared_keys *k, CK_SESSION_HANDLE s,
		      CK_SESSION_HANDLE s2, int tid, int round)
{
	CK_MECHANISM cbc = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	CK_GCM_PARAMS g = kat_gcm_params();
	CK_MECHANISM gcm = MECH_P(CKM_AES_GCM, &g);
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC), sha = MECH(CKM_SHA256);
	CK_OBJECT_HANDLE obj, found[4], own;
	unsigned char out[128], in[128];
	struct p11_tmpl t;
	char label[64];
	CK_ULONG n, n2;

	/* AES-CBC both ways, single-part */
	CHECK_RV(CKR_OK, p11->C_EncryptInit(s, &cbc, k->cbc), "cbc init");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, out,
					&n), "cbc encrypt");
	CHECK(n == 32 && !memcmp(out, kat_cbc_ct, 32), "cbc ciphertext");
	CHECK_RV(CKR_OK, p11->C_DecryptInit(s, &cbc, k->cbc), "cbc dinit");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_Decrypt(s, (CK_BYTE_PTR)kat_cbc_ct, 32, out,
					&n), "cbc decrypt");
	CHECK(n == 32 && !memcmp(out, kat_cbc_pt, 32), "cbc plaintext");

	/* AES-GCM, multi-part encrypt on the second session meanwhile */
	CHECK_RV(CKR_OK, p11->C_EncryptInit(s2, &gcm, k->gcm), "gcm init");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_EncryptUpdate(s2, (CK_BYTE_PTR)kat_gcm_pt, 32,
					      out, &n), "gcm update");
	CHECK_RV(CKR_OK, p11->C_DigestInit(s, &sha), "digest init");
	n2 = sizeof(out) - n;
	CHECK_RV(CKR_OK, p11->C_EncryptUpdate(s2, (CK_BYTE_PTR)kat_gcm_pt + 32,
					      28, out + n, &n2), "gcm update");
	n += n2;
	CHECK_RV(CKR_OK, p11->C_DigestUpdate(s, (CK_BYTE_PTR)"abc", 3),
		 "digest update");
	n2 = sizeof(out) - n;
	CHECK_RV(CKR_OK, p11->C_EncryptFinal(s2, out + n, &n2), "gcm final");
	n += n2;
	CHECK(n == 76 && !memcmp(out, kat_gcm_ct, 60) &&
	      !memcmp(out + 60, kat_gcm_tag, 16), "gcm ciphertext/tag");
	memcpy(in, out, 76);
	CHECK_RV(CKR_OK, p11->C_DecryptInit(s2, &gcm, k->gcm), "gcm dinit");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_Decrypt(s2, in, 76, out, &n), "gcm decrypt");
	CHECK(n == 60 && !memcmp(out, kat_gcm_pt, 60), "gcm plaintext");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_DigestFinal(s, out, &n), "digest final");
	CHECK(n == 32 && !memcmp(out, kat_sha256_abc, 32), "sha-256");

	/* HMAC sign and verify */
	CHECK_RV(CKR_OK, p11->C_SignInit(s, &hmac, k->hmac), "sign init");
	n = sizeof(out);
	CHECK_RV(CKR_OK, p11->C_Sign(s, (CK_BYTE_PTR)kat_hmac_data,
				     sizeof(kat_hmac_data), out, &n), "sign");
	CHECK(n == 32 && !memcmp(out, kat_hmac_mac, 32), "hmac");
	CHECK_RV(CKR_OK, p11->C_VerifyInit(s2, &hmac, k->hmac), "verify init");
	CHECK_RV(CKR_OK, p11->C_Verify(s2, (CK_BYTE_PTR)kat_hmac_data,
				       sizeof(kat_hmac_data), out, 32),
		 "verify");

	/* create, find, destroy an object of this thread */
	snprintf(label, sizeof(label), "thread %d round %d", tid, round);
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	t_str(&t, CKA_LABEL, label);
	t_bytes(&t, CKA_VALUE, &tid, sizeof(tid));
	CHECK_RV(CKR_OK, p11->C_CreateObject(s, t.a, t.n, &obj), "create");
	CHECK_RV(CKR_OK, p11_find_label(s2, label, found, 4, &n), "find");
	CHECK(n == 1 && found[0] == obj, "find gave %lu objects", n);
	CHECK_RV(CKR_OK, p11->C_DestroyObject(s2, obj), "destroy");
	CHECK_RV(CKR_OK, p11_find_label(s, label, found, 4, &n), "find");
	CHECK(n == 0, "destroyed object still found");

	/* an own key, generated and used */
	t_init(&t);
	t_ulong(&t, CKA_VALUE_LEN, 16);
	key_tmpl(&t, K_CRYPT);
	{
		CK_MECHANISM gen = MECH(CKM_AES_KEY_GEN);
		CK_MECHANISM ecb = MECH(CKM_AES_ECB);

		CHECK_RV(CKR_OK, p11->C_GenerateKey(s, &gen, t.a, t.n, &own),
			 "generate");
		CHECK_RV(CKR_OK, p11->C_EncryptInit(s, &ecb, own), "ecb init");
		n = sizeof(in);
		CHECK_RV(CKR_OK, p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32,
						in, &n), "ecb encrypt");
		CHECK_RV(CKR_OK, p11->C_DecryptInit(s2, &ecb, own),
			 "ecb dinit");
		n = sizeof(out);
		CHECK_RV(CKR_OK, p11->C_Decrypt(s2, in, 32, out, &n),
			 "ecb decrypt");
		CHECK(n == 32 && !memcmp(out, kat_cbc_pt, 32), "ecb round");
		CHECK_RV(CKR_OK, p11->C_DestroyObject(s, own), "destroy key");
	}
	CHECK_RV(CKR_OK, p11->C_GenerateRandom(s, out, 64), "random");
}

struct worker {
	pthread_t th;
	int tid;
	const struct shared_keys *k;
};

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	CK_SESSION_HANDLE s, s2;
	int r, before = atomic_load(&errors);

	if (p11_open(w->k->slot, 1, &s) != CKR_OK ||
	    p11_open(w->k->slot, 1, &s2) != CKR_OK) {
		fprintf(stderr, "# thread %d: C_OpenSession failed\n", w->tid);
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	for (r = 0; r < iters() && atomic_load(&errors) == before; r++)
		one_round(w->k, s, s2, w->tid, r);
	if (atomic_load(&errors) != before)
		fprintf(stderr, "# thread %d failed in round %d\n", w->tid,
			r - 1);
	p11->C_CloseSession(s);
	p11->C_CloseSession(s2);
	return NULL;
}

/*
 * 16 threads (CKF_OS_LOCKING_OK), each with two sessions of its own,
 * interleaving CBC, GCM, HMAC, digest, object create/find/destroy, key
 * generation and random numbers, on three shared keys and one of its own.
 */
TEST(threads_16)
{
	CK_C_INITIALIZE_ARGS ia;
	struct worker w[NTHREADS];
	struct shared_keys k;
	CK_SESSION_HANDLE s;
	int i;

	memset(&ia, 0, sizeof(ia));
	ia.flags = CKF_OS_LOCKING_OK;
	ASSERT_OK(p11->C_Initialize(&ia));
	ASSERT_OK(p11_slot(&k.slot));
	ASSERT_OK(p11_open(k.slot, 1, &s));
	ASSERT_OK(p11_login(s, CKU_USER));
	k.cbc = AES_KEY(s, K_CRYPT | K_SENS | K_NOEXTR);
	k.gcm = KEY_IMPORT(s, CKK_AES, kat_gcm_key, 16, K_CRYPT | K_SENS);
	k.hmac = HMAC_KEY(s, K_MAC | K_SENS);

	atomic_store(&errors, 0);
	for (i = 0; i < NTHREADS; i++) {
		w[i].tid = i;
		w[i].k = &k;
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, thread_main,
					    &w[i]));
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(w[i].th, NULL);
	ASSERT_EQ(0, atomic_load(&errors));
	/* the shared keys survived it all */
	{
		CK_MECHANISM ecb = MECH(CKM_AES_ECB);

		ASSERT_OK(p11->C_EncryptInit(s, &ecb, k.cbc));
	}
	ASSERT_OK(p11->C_Finalize(NULL));
}

static CK_RV token_key(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, const void *val,
		       CK_ULONG len, unsigned int fl, const char *label)
{
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;

	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, kt);
	t_bytes(&t, CKA_VALUE, val, len);
	t_str(&t, CKA_LABEL, label);
	key_tmpl(&t, fl | K_TOKEN | K_SENS);
	return p11->C_CreateObject(s, t.a, t.n, &h);
}

/* A process of the shared-objects test: returns its exit status */
static int proc_use(const char *tag, int creator, int go_fd, int done_fd)
{
	CK_MECHANISM cbc = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC);
	char laes[64], lmac[64], ldata[64];
	CK_OBJECT_HANDLE aes, mac, data, f[4];
	unsigned char out[64];
	CK_SESSION_HANDLE s;
	CK_SLOT_ID slot;
	struct p11_tmpl t;
	CK_ULONG n;
	char c;

	snprintf(laes, sizeof(laes), "%s aes", tag);
	snprintf(lmac, sizeof(lmac), "%s hmac", tag);
	snprintf(ldata, sizeof(ldata), "%s data", tag);
	if (p11->C_Initialize(NULL) != CKR_OK || p11_slot(&slot) != CKR_OK ||
	    p11_open(slot, 1, &s) != CKR_OK || p11_login(s, CKU_USER))
		return 10;
	if (creator) {
		if (token_key(s, CKK_AES, kat_cbc_key, 16, K_CRYPT, laes) ||
		    token_key(s, CKK_GENERIC_SECRET, kat_hmac_key, HMAC_LEN,
			      K_MAC, lmac))
			return 11;
		t_init(&t);
		t_ulong(&t, CKA_CLASS, CKO_DATA);
		t_bool(&t, CKA_TOKEN, CK_TRUE);
		t_str(&t, CKA_LABEL, ldata);
		t_bytes(&t, CKA_VALUE, "shared", 6);
		if (p11->C_CreateObject(s, t.a, t.n, &data) != CKR_OK)
			return 11;
		if (write(go_fd, "g", 1) != 1)
			return 12;
	}
	if (p11_find_label(s, laes, f, 4, &n) != CKR_OK || n != 1)
		return 20;
	aes = f[0];
	if (p11_find_label(s, lmac, f, 4, &n) != CKR_OK || n != 1)
		return 21;
	mac = f[0];
	if (p11_find_label(s, ldata, f, 4, &n) != CKR_OK || n != 1)
		return 22;
	data = f[0];
	n = sizeof(out);
	if (p11_get_bytes(s, data, CKA_VALUE, out, &n) != CKR_OK || n != 6 ||
	    memcmp(out, "shared", 6))
		return 23;
	for (c = 0; c < 4; c++) {
		n = sizeof(out);
		if (p11->C_EncryptInit(s, &cbc, aes) != CKR_OK ||
		    p11->C_Encrypt(s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n) ||
		    n != 32 || memcmp(out, kat_cbc_ct, 32))
			return 24;
		n = sizeof(out);
		if (p11->C_SignInit(s, &hmac, mac) != CKR_OK ||
		    p11->C_Sign(s, (CK_BYTE_PTR)kat_hmac_data,
				sizeof(kat_hmac_data), out, &n) ||
		    n != 32 || memcmp(out, kat_hmac_mac, 32))
			return 25;
	}
	if (creator) {
		/* wait until every user is done, then destroy */
		if (read(done_fd, &c, 1) != 1)
			return 30;
		if (p11->C_DestroyObject(s, aes) ||
		    p11->C_DestroyObject(s, mac) ||
		    p11->C_DestroyObject(s, data))
			return 31;
		if (p11_find_label(s, laes, f, 4, &n) != CKR_OK || n != 0)
			return 32;
	}
	p11->C_Finalize(NULL);
	return 0;
}

/*
 * 4 processes: the first creates token objects (an AES key, an HMAC key,
 * a data object), then all 4 find and use them at once with known-answer
 * checks; the creator destroys them when the others are done.
 */
/* ---- the library's per-thread files ---------------------------------- */

/* /dev/hsm files open in this process: the first one and the threads' */
static int hsm_files(void)
{
	char path[300], target[256];
	struct dirent *e;
	int n = 0;
	ssize_t l;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		l = readlink(path, target, sizeof(target) - 1);
		if (l <= 0)
			continue;
		target[l] = 0;
		if (!strcmp(target, "/dev/hsm") || strstr(target, "[khsm]"))
			n++;
	}
	closedir(d);
	return n;
}

/* The per-thread files the library makes at most: two per CPU, <= 64 */
static int tf_cap(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 && cpus < 32 ? 2 * (int)cpus : 64;
}

struct tf {
	pthread_t th;
	CK_SESSION_HANDLE s;
	pthread_barrier_t *called, *go;
	CK_RV rv;
};

/* One call (which makes the thread its file), then wait for the word */
static void *tf_main(void *arg)
{
	struct tf *t = arg;
	CK_SESSION_INFO si;

	t->rv = p11->C_GetSessionInfo(t->s, &si);
	pthread_barrier_wait(t->called);
	pthread_barrier_wait(t->go);
	return NULL;
}

/* @n threads, each through its first call; @called and @go fresh */
static void tf_start(struct tf *t, int n, CK_SESSION_HANDLE s,
		     pthread_barrier_t *called, pthread_barrier_t *go)
{
	int i;

	pthread_barrier_init(called, NULL, n + 1);
	pthread_barrier_init(go, NULL, n + 1);
	for (i = 0; i < n; i++) {
		t[i].s = s;
		t[i].called = called;
		t[i].go = go;
		pthread_create(&t[i].th, NULL, tf_main, &t[i]);
	}
	pthread_barrier_wait(called);
}

/* Lets the @n threads of tf_start() end, and waits for them */
static void tf_end(struct tf *t, int n, pthread_barrier_t *called,
		   pthread_barrier_t *go)
{
	int i;

	pthread_barrier_wait(go);
	for (i = 0; i < n; i++)
		pthread_join(t[i].th, NULL);
	pthread_barrier_destroy(called);
	pthread_barrier_destroy(go);
}

static CK_ULONG free_memory_settled(void)
{
	CK_ULONG prev = ~0UL, now = 0;
	CK_TOKEN_INFO ti;
	int i;

	for (i = 0; i < 60; i++) {
		if (p11->C_GetTokenInfo(0, &ti) != CKR_OK)
			return 0;
		now = ti.ulFreePublicMemory;
		if (now == prev)
			break;
		prev = now;
		usleep(50000);
	}
	return now;
}

/*
 * Each calling thread gets its own file of the application; a thread's
 * exit closes it; C_Finalize closes all of them (so the application, and
 * its session objects, end in the kernel); a fork child closes its copies.
 */
TEST(thread_files)
{
	static unsigned char v[4096];
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_BBOOL no = CK_FALSE;
	CK_ATTRIBUTE dt[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_PRIVATE, &no, sizeof(no) },
		{ CKA_VALUE, v, sizeof(v) },
	};
	pthread_barrier_t called, go;
	CK_OBJECT_HANDLE obj;
	CK_SESSION_HANDLE s;
	CK_SESSION_INFO si;
	CK_ULONG before;
	struct tf t[4];
	int n0, i, st;
	pid_t pid;

	n0 = hsm_files();
	ASSERT_LE(0, n0);
	ASSERT_OK(p11->C_Initialize(NULL));
	before = free_memory_settled();
	ASSERT_OK(p11_open(0, 1, &s));
	if (hsm_files() == n0) {
		p11->C_Finalize(NULL);
		SKIP(return, "not khsm: no /dev/hsm files");
	}
	/* the first file and the main thread's own */
	EXPECT_EQ(n0 + 2, hsm_files());

	/* the main thread's and the four threads', up to the cap */
	tf_start(t, 4, s, &called, &go);
	EXPECT_EQ(n0 + 1 + (tf_cap() < 5 ? tf_cap() : 5), hsm_files());
	tf_end(t, 4, &called, &go);
	for (i = 0; i < 4; i++)
		EXPECT_RV(CKR_OK, t[i].rv);
	/* each exit closed its thread's file */
	EXPECT_EQ(n0 + 2, hsm_files());

	/* C_Finalize with threads alive that have files */
	ASSERT_OK(p11->C_CreateObject(s, dt, 3, &obj));
	tf_start(t, 4, s, &called, &go);
	EXPECT_EQ(n0 + 1 + (tf_cap() < 5 ? tf_cap() : 5), hsm_files());
	ASSERT_OK(p11->C_Finalize(NULL));
	EXPECT_EQ(n0, hsm_files());
	tf_end(t, 4, &called, &go);
	EXPECT_EQ(n0, hsm_files());
	/* the application ended: its session object is gone */
	ASSERT_OK(p11->C_Initialize(NULL));
	EXPECT_EQ(before, free_memory_settled());

	/* fork: the child keeps none of the parent's files */
	ASSERT_OK(p11_open(0, 1, &s));
	tf_start(t, 1, s, &called, &go);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(hsm_files() == n0 ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	tf_end(t, 1, &called, &go);
	/* the parent is untouched */
	EXPECT_OK(p11->C_GetSessionInfo(s, &si));
	ASSERT_OK(p11->C_Finalize(NULL));
	EXPECT_EQ(n0, hsm_files());
}

TEST(processes_4)
{
	int go[2], done[2], st, i;
	pid_t pid[NPROCS];
	char tag[32], c;

	snprintf(tag, sizeof(tag), "mp %d", getpid());
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid[0] = fork();
	ASSERT_LE(0, pid[0]);
	if (pid[0] == 0)
		_exit(proc_use(tag, 1, go[1], done[0]));
	ASSERT_EQ(1, read(go[0], &c, 1)) TH_LOG("the creator failed");
	for (i = 1; i < NPROCS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(proc_use(tag, 0, -1, -1));
	}
	for (i = 1; i < NPROCS; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
			TH_LOG("user %d: status 0x%x", i, st);
	}
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid[0], waitpid(pid[0], &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("creator: status 0x%x", st);
}

P11_MAIN
