// SPDX-License-Identifier: GPL-2.0
/*
 * multiproc: several processes (applications) on one token.  Token objects
 * are shared: one creates, the other finds and uses; session objects stay
 * private to their application; a key destroyed by one while another uses
 * it is safe; an fd inherited across fork() is the same application; many
 * processes at once create, use and destroy objects concurrently.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kt.h"

static const unsigned char k16[16] = "multiproc-key-16";
static const unsigned char msg[32] = "thirty-two bytes of plaintext..";

/* ---- a tiny rendezvous over two pipes ---------------------------------- */

struct chan {
	int up[2];	/* child -> parent */
	int down[2];	/* parent -> child */
};

static int chan_open(struct chan *c)
{
	return pipe(c->up) || pipe(c->down) ? -1 : 0;
}

/* After fork: each side keeps only its ends, so a dead peer reads as EOF */
static void chan_parent(struct chan *c)
{
	close(c->up[1]);
	close(c->down[0]);
}

static void chan_child(struct chan *c)
{
	close(c->up[0]);
	close(c->down[1]);
}

static void put(int fd, __u64 v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(90);
}

static __u64 get(int fd)
{
	__u64 v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		_exit(91);
	return v;
}

/* The child's exit status: 0 is a pass, anything else names the failure */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

#define CHILD_CHECK(cond, code) do { if (!(cond)) _exit(code); } while (0)

static CK_RV ecb(int fd, __u32 s, __u64 key, unsigned char out[32])
{
	__u64 n = 32;
	CK_RV rv;

	rv = kt_op_init(fd, s, KHSM_OP_ENCRYPT, key, CKM_AES_ECB, NULL, 0);
	if (rv == CKR_OK)
		rv = kt_oneshot(fd, s, KHSM_OP_ENCRYPT, msg, 32, out, &n);
	return rv;
}

static CK_RV find_label(int fd, __u32 s, const char *label, __u64 *found,
			size_t *cnt)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, label);
	return kt_find_all(fd, s, &t, found, 8, cnt);
}

FIXTURE(mp) {
	int fd;
	__u32 s;
};

FIXTURE_SETUP(mp)
{
	kt_setup_user(_metadata, &self->fd, &self->s);
}

FIXTURE_TEARDOWN(mp)
{
	khsm_close(self->fd);
}

/* One creates a token key, the other finds it by label and uses it */
TEST_F(mp, token_object_shared)
{
	unsigned char mine[32], theirs[32];
	struct kt_tmpl t;
	struct chan c;
	__u64 key;
	pid_t pid;

	ASSERT_EQ(0, chan_open(&c));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_str(&t, CKA_LABEL, "mp-shared-key");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &key));
	ASSERT_OK(ecb(self->fd, self->s, key, mine));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u64 found[8];
		size_t cnt;
		int fd;
		__u32 s;

		chan_child(&c);
		fd = kt_open();
		CHILD_CHECK(fd >= 0, 2);
		CHILD_CHECK(kt_session(fd, KT_RO, &s) == CKR_OK, 3);
		CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) == CKR_OK, 4);
		CHILD_CHECK(find_label(fd, s, "mp-shared-key", found,
				       &cnt) == CKR_OK, 5);
		CHILD_CHECK(cnt == 1, 6);
		CHILD_CHECK(ecb(fd, s, found[0], theirs) == CKR_OK, 7);
		if (write(c.up[1], theirs, 32) != 32)
			_exit(8);
		_exit(0);
	}
	chan_parent(&c);
	ASSERT_EQ(32, read(c.up[0], theirs, 32));
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, memcmp(mine, theirs, 32));
	EXPECT_OK(kt_destroy(self->fd, self->s, key));
}

/* A session object is invisible to the other application */
TEST_F(mp, session_object_private)
{
	struct kt_tmpl t;
	__u64 h;
	pid_t pid;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_PRIVATE, 0);
	kt_str(&t, CKA_LABEL, "mp-session-object");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		__u64 found[8];
		CK_ULONG cls;
		size_t cnt;
		int fd;
		__u32 s;

		fd = kt_open();
		CHILD_CHECK(fd >= 0, 2);
		CHILD_CHECK(kt_session(fd, KT_RW, &s) == CKR_OK, 3);
		CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) == CKR_OK, 4);
		CHILD_CHECK(find_label(fd, s, "mp-session-object", found,
				       &cnt) == CKR_OK, 5);
		CHILD_CHECK(cnt == 0, 6);
		CHILD_CHECK(kt_get_ulong(fd, s, h, CKA_CLASS, &cls) ==
			    CKR_OBJECT_HANDLE_INVALID, 7);
		CHILD_CHECK(kt_destroy(fd, s, h) == CKR_OBJECT_HANDLE_INVALID,
			    8);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
	/* still ours */
	EXPECT_OK(kt_destroy(self->fd, self->s, h));
}

/*
 * One destroys a token key while the other is in the middle of using it:
 * the operation in flight either finishes correctly or fails cleanly, and
 * a new init with the handle is refused.
 */
TEST_F(mp, destroy_while_other_uses)
{
	unsigned char want[32];
	struct kt_tmpl t;
	struct chan c;
	__u64 key;
	pid_t pid;
	__u64 verdict;

	ASSERT_EQ(0, chan_open(&c));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_str(&t, CKA_LABEL, "mp-doomed-key");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &key));
	ASSERT_OK(ecb(self->fd, self->s, key, want));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned char out[64];
		__u64 n, pos = 0;
		int fd;
		__u32 s;
		CK_RV rv;

		chan_child(&c);
		fd = kt_open();
		CHILD_CHECK(fd >= 0, 2);
		CHILD_CHECK(kt_session(fd, KT_RW, &s) == CKR_OK, 3);
		CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) == CKR_OK, 4);
		CHILD_CHECK(kt_op_init(fd, s, KHSM_OP_ENCRYPT, key,
				       CKM_AES_ECB, NULL, 0) == CKR_OK, 5);
		n = sizeof(out);
		CHILD_CHECK(kt_update(fd, s, KHSM_OP_ENCRYPT, msg, 16, out,
				      &n) == CKR_OK, 6);
		pos = n;
		put(c.up[1], 1);		/* mid-operation */
		get(c.down[0]);			/* the key is gone now */
		n = sizeof(out) - pos;
		rv = kt_update(fd, s, KHSM_OP_ENCRYPT, msg + 16, 16,
			       out + pos, &n);
		if (rv == CKR_OK) {
			pos += n;
			n = sizeof(out) - pos;
			rv = kt_final(fd, s, KHSM_OP_ENCRYPT, out + pos, &n);
			pos += n;
		}
		if (rv == CKR_OK)
			CHILD_CHECK(pos == 32 && !memcmp(out, want, 32), 7);
		else
			CHILD_CHECK(rv == CKR_KEY_HANDLE_INVALID ||
				    rv == CKR_OBJECT_HANDLE_INVALID, 8);
		CHILD_CHECK(kt_op_init(fd, s, KHSM_OP_ENCRYPT, key,
				       CKM_AES_ECB, NULL, 0) ==
			    CKR_KEY_HANDLE_INVALID, 9);
		put(c.up[1], rv);
		_exit(0);
	}
	chan_parent(&c);
	ASSERT_EQ(1, get(c.up[0]));
	ASSERT_OK(kt_destroy(self->fd, self->s, key));
	put(c.down[1], 1);
	verdict = get(c.up[0]);
	TH_LOG("operation after its key was destroyed: %s",
	       khsm_rv_name(verdict));
	EXPECT_EQ(0, reap(pid));
}

/* An fd inherited over fork() is one application with two processes */
TEST_F(mp, inherited_fd_same_application)
{
	struct khsm_session_info si;
	unsigned char out[32];
	__u64 key;
	pid_t pid;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &key));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* same sessions, same login, same session objects */
		CHILD_CHECK(kt_session_info(self->fd, self->s, &si) == CKR_OK,
			    2);
		CHILD_CHECK(si.state == CKS_RW_USER_FUNCTIONS, 3);
		CHILD_CHECK(ecb(self->fd, self->s, key, out) == CKR_OK, 4);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));

	/* the parent closes its copy; the child's keeps the file alive */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(200000);
		CHILD_CHECK(ecb(self->fd, self->s, key, out) == CKR_OK, 2);
		_exit(0);
	}
	khsm_close(self->fd);
	EXPECT_EQ(0, reap(pid));
	self->fd = kt_open();
	ASSERT_LE(0, self->fd);
}

/* Logging in is per application, even for the same user at once */
TEST_F(mp, login_state_per_process)
{
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct khsm_session_info si;
		int fd;
		__u32 s;

		fd = kt_open();
		CHILD_CHECK(fd >= 0, 2);
		CHILD_CHECK(kt_session(fd, KT_RW, &s) == CKR_OK, 3);
		CHILD_CHECK(kt_session_info(fd, s, &si) == CKR_OK, 4);
		CHILD_CHECK(si.state == CKS_RW_PUBLIC_SESSION, 5);
		CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) == CKR_OK, 6);
		CHILD_CHECK(kt_logout(fd, s) == CKR_OK, 7);
		_exit(0);
	}
	EXPECT_EQ(0, reap(pid));
	{
		struct khsm_session_info si;

		ASSERT_OK(kt_session_info(self->fd, self->s, &si));
		EXPECT_EQ(CKS_RW_USER_FUNCTIONS, si.state);
	}
}

/*
 * NPROC processes, each creating token and session objects, encrypting
 * with a shared key and its own, finding and destroying, ROUNDS times.
 */
#define NPROC	4
#define ROUNDS	40

TEST_F(mp, concurrent_churn)
{
	unsigned char want[32];
	struct kt_tmpl t;
	__u64 shared, found[8];
	pid_t pids[NPROC];
	size_t cnt;
	int i;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_bool(&t, CKA_TOKEN, 1);
	kt_bool(&t, CKA_ENCRYPT, 1);
	kt_str(&t, CKA_LABEL, "mp-churn-shared");
	ASSERT_OK(kt_create(self->fd, self->s, &t, &shared));
	ASSERT_OK(ecb(self->fd, self->s, shared, want));

	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			unsigned char out[32];
			char label[32];
			int fd, r;
			__u32 s;

			fd = kt_open();
			CHILD_CHECK(fd >= 0, 2);
			CHILD_CHECK(kt_session(fd, KT_RW, &s) == CKR_OK, 3);
			CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) ==
				    CKR_OK, 4);
			snprintf(label, sizeof(label), "mp-churn-%d", i);
			for (r = 0; r < ROUNDS; r++) {
				__u64 tok, ses, f[8];
				size_t n;

				kt_tmpl_init(&t);
				kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
				kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
				kt_bytes(&t, CKA_VALUE, k16, 16);
				kt_bool(&t, CKA_ENCRYPT, 1);
				kt_str(&t, CKA_LABEL, label);
				kt_bool(&t, CKA_TOKEN, r & 1);
				CHILD_CHECK(kt_create(fd, s, &t, &tok) ==
					    CKR_OK, 10);
				kt_tmpl_init(&t);
				kt_ulong(&t, CKA_CLASS, CKO_DATA);
				CHILD_CHECK(kt_create(fd, s, &t, &ses) ==
					    CKR_OK, 11);
				CHILD_CHECK(ecb(fd, s, shared, out) == CKR_OK,
					    12);
				CHILD_CHECK(!memcmp(out, want, 32), 13);
				CHILD_CHECK(ecb(fd, s, tok, out) == CKR_OK, 14);
				CHILD_CHECK(!memcmp(out, want, 32), 15);
				CHILD_CHECK(find_label(fd, s, label, f, &n) ==
					    CKR_OK, 16);
				CHILD_CHECK(n == 1 && f[0] == tok, 17);
				CHILD_CHECK(kt_destroy(fd, s, tok) == CKR_OK,
					    18);
				CHILD_CHECK(kt_destroy(fd, s, ses) == CKR_OK,
					    19);
			}
			_exit(0);
		}
	}
	for (i = 0; i < NPROC; i++)
		EXPECT_EQ(0, reap(pids[i])) TH_LOG("child %d", i);
	/* nothing left behind */
	for (i = 0; i < NPROC; i++) {
		char label[32];

		snprintf(label, sizeof(label), "mp-churn-%d", i);
		ASSERT_OK(find_label(self->fd, self->s, label, found, &cnt));
		EXPECT_EQ(0, cnt);
	}
	EXPECT_OK(kt_destroy(self->fd, self->s, shared));
}

/*
 * Threads of one application: two keep creating session objects in a
 * session while another closes that session and opens a new one, or logs
 * the application out and in again.  An object must never be seen by the
 * close or the logout half-made ([core-st-2]), and every object charged
 * must be uncharged: the token's memory ends where it began.
 */
struct race {
	int fd;
	volatile __u32 s;
	volatile int stop;
	int private;
	unsigned long made, refused;
	CK_RV other;
};

static void *creator(void *arg)
{
	struct race *r = arg;
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bool(&t, CKA_PRIVATE, r->private);
	kt_str(&t, CKA_LABEL, "race");
	while (!r->stop) {
		CK_RV rv = kt_create(r->fd, r->s, &t, NULL);

		if (rv == CKR_OK)
			__atomic_add_fetch(&r->made, 1, __ATOMIC_RELAXED);
		else if (rv == CKR_SESSION_HANDLE_INVALID ||
			 rv == CKR_SESSION_CLOSED ||
			 (r->private && rv == CKR_USER_NOT_LOGGED_IN))
			__atomic_add_fetch(&r->refused, 1, __ATOMIC_RELAXED);
		else
			r->other = rv;
	}
	return NULL;
}

/* Waits until the creators made one more object, or a while */
static void race_wait(struct race *r)
{
	unsigned long before = __atomic_load_n(&r->made, __ATOMIC_RELAXED);
	int spin;

	for (spin = 0; spin < 1000 &&
	     __atomic_load_n(&r->made, __ATOMIC_RELAXED) == before; spin++)
		sched_yield();
}

static void race_run(struct __test_metadata *_metadata, int fd, __u32 keep,
		     int logout)
{
	struct race r = { .fd = fd, .private = logout };
	struct khsm_token_info before, after;
	pthread_t th[2];
	__u64 found[8];
	size_t cnt;
	__u32 s;
	int i;

	ASSERT_OK(kt_token_info_settled(fd, &before));
	ASSERT_OK(kt_session(fd, KT_RW, &s));
	r.s = s;
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, creator, &r));
	/* a login is a PBKDF2 of the PIN: fewer rounds of those */
	for (i = 0; i < (logout ? 300 : 1500); i++) {
		race_wait(&r);
		if (logout) {
			/* private objects go with the logout */
			EXPECT_OK(kt_logout(fd, keep));
			EXPECT_OK(kt_login(fd, keep, CKU_USER, KT_USER_PIN));
			continue;
		}
		/* @keep stays open, so the application stays logged in */
		EXPECT_OK(kt_close(fd, s));
		ASSERT_OK(kt_session(fd, KT_RW, &s));
		r.s = s;
	}
	r.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	TH_LOG("%lu objects made, %lu refused while %s", r.made, r.refused,
	       logout ? "logging out" : "closing");
	EXPECT_LT(0, r.made);
	EXPECT_RV(CKR_OK, r.other);
	if (logout)
		EXPECT_OK(kt_logout(fd, keep));
	EXPECT_OK(kt_close(fd, s));
	ASSERT_OK(find_label(fd, keep, "race", found, &cnt));
	EXPECT_EQ(0, cnt);
	ASSERT_OK(kt_token_info_settled(fd, &after));
	EXPECT_EQ(before.free_public_memory, after.free_public_memory);
	EXPECT_EQ(before.session_count, after.session_count);
	if (logout)
		EXPECT_OK(kt_login(fd, keep, CKU_USER, KT_USER_PIN));
}

TEST_F(mp, threads_create_vs_close)
{
	race_run(_metadata, self->fd, self->s, 0);
}

TEST_F(mp, threads_create_vs_logout)
{
	race_run(_metadata, self->fd, self->s, 1);
}

/*
 * Finds never miss an object nor see one twice while other threads of the
 * application create, relabel and destroy objects under the same label on
 * every CPU: each index shard then grows and shrinks its tables and moves
 * objects between buckets under the finds' lockless walks (RCU and the
 * shard's seqcount).  Objects that live through a find are all in it, once.
 */
#define CHURN_STABLE	32
#define CHURN_BATCH	48

struct churn {
	int fd;
	int cpu;		/* -1: not pinned */
	volatile int stop;
	unsigned long rounds;
	CK_RV rv;
};

static void pin_to(int cpu)
{
	cpu_set_t one;

	if (cpu < 0)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof(one), &one);	/* this thread */
}

static CK_RV churn_round(int fd, __u32 s)
{
	__u64 h[CHURN_BATCH];
	struct kt_tmpl t, st, ch;
	CK_RV rv = CKR_OK;
	int i, n = 0;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_LABEL, "churn");
	kt_tmpl_init(&st);
	kt_str(&st, CKA_LABEL, "stable");
	kt_tmpl_init(&ch);
	kt_str(&ch, CKA_LABEL, "churn");
	for (; n < CHURN_BATCH && rv == CKR_OK; n++)
		rv = kt_create(fd, s, &t, &h[n]);
	if (rv != CKR_OK)
		n--;
	/* into the finds' bucket and out again, then gone */
	for (i = 0; i < n && rv == CKR_OK; i++)
		rv = kt_set(fd, s, h[i], &st);
	for (i = 0; i < n && rv == CKR_OK; i += 2)
		rv = kt_set(fd, s, h[i], &ch);
	for (i = 0; i < n; i++) {
		CK_RV r = kt_destroy(fd, s, h[i]);

		if (rv == CKR_OK)
			rv = r;
	}
	return rv;
}

static void *churner(void *arg)
{
	struct churn *c = arg;
	__u32 s;

	pin_to(c->cpu);
	c->rv = kt_session(c->fd, KT_RW, &s);
	while (c->rv == CKR_OK && !c->stop) {
		c->rv = churn_round(c->fd, s);
		c->rounds++;
	}
	kt_close(c->fd, s);
	return NULL;
}

TEST_F(mp, find_while_objects_churn)
{
	__u64 stable[CHURN_STABLE], found[4 * CHURN_STABLE + 4 * CHURN_BATCH];
	struct khsm_token_info before, after;
	int cpus[2] = { -1, -1 }, ncpu = 0, i, j, k, finds;
	struct churn c[2];
	pthread_t th[2];
	cpu_set_t all;
	struct kt_tmpl t;
	size_t cnt;

	ASSERT_OK(kt_token_info_settled(self->fd, &before));
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	for (i = 0; i < CPU_SETSIZE && ncpu < 2; i++)
		if (CPU_ISSET(i, &all))
			cpus[ncpu++] = i;
	/* the stable objects, made on both CPUs: in both shards */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_str(&t, CKA_LABEL, "stable");
	for (i = 0; i < CHURN_STABLE; i++) {
		pin_to(cpus[i % 2]);
		ASSERT_OK(kt_create(self->fd, self->s, &t, &stable[i]));
	}
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(all), &all));

	for (i = 0; i < 2; i++) {
		c[i] = (struct churn){ .fd = self->fd, .cpu = cpus[i] };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, churner, &c[i]));
	}
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "stable");
	for (finds = 0; finds < 400; finds++) {
		ASSERT_OK(kt_find_all(self->fd, self->s, &t, found,
				      ARRAY_SIZE(found), &cnt));
		ASSERT_GE(cnt, (size_t)CHURN_STABLE);
		ASSERT_GT(ARRAY_SIZE(found), cnt);
		/* every stable object, once */
		for (j = 0; j < CHURN_STABLE; j++) {
			int seen = 0;

			for (k = 0; k < (int)cnt; k++)
				seen += found[k] == stable[j];
			ASSERT_EQ(1, seen) TH_LOG("find %d: object %d seen %d times",
						 finds, j, seen);
		}
		/* and no object twice */
		for (j = 0; j < (int)cnt; j++)
			for (k = 0; k < j; k++)
				ASSERT_NE(found[j], found[k]);
	}
	for (i = 0; i < 2; i++)
		c[i].stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	TH_LOG("%d finds while %lu + %lu rounds of %d objects churned",
	       finds, c[0].rounds, c[1].rounds, CHURN_BATCH);
	EXPECT_RV(CKR_OK, c[0].rv);
	EXPECT_RV(CKR_OK, c[1].rv);
	EXPECT_LT(0, c[0].rounds + c[1].rounds);

	for (i = 0; i < CHURN_STABLE; i++)
		EXPECT_OK(kt_destroy(self->fd, self->s, stable[i]));
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, ARRAY_SIZE(found),
			      &cnt));
	EXPECT_EQ(0, cnt);
	ASSERT_OK(kt_token_info_settled(self->fd, &after));
	EXPECT_EQ(before.free_public_memory, after.free_public_memory);
	EXPECT_EQ(before.session_count, after.session_count);
}

/*
 * A C_SetAttributeValue that changes a key's booleans and its other
 * attributes together is seen whole or not at all, by C_GetAttributeValue
 * and by an operation init's policy check, while another thread flips the
 * key between two states: { ENCRYPT, an END_DATE long past } and { not
 * ENCRYPT, no END_DATE }.  Both forbid encryption; only half of one and
 * half of the other would allow it.  The label tells the states apart, in
 * the key and in copies of it (C_CopyObject reads one snapshot too); and a
 * find by class for { ENCRYPT, no END_DATE } (half of each) never finds it.
 */
struct flipper {
	int fd;
	__u32 s;
	__u64 key;
	volatile int stop;
	unsigned long flips;
	CK_RV rv;
};

static void *flip(void *arg)
{
	static const char past[8] = "20000101";
	struct flipper *f = arg;
	struct kt_tmpl a, b;

	kt_tmpl_init(&a);
	kt_str(&a, CKA_LABEL, "A");
	kt_bool(&a, CKA_ENCRYPT, 1);
	kt_bytes(&a, CKA_END_DATE, past, 8);
	kt_tmpl_init(&b);
	kt_str(&b, CKA_LABEL, "B");
	kt_bool(&b, CKA_ENCRYPT, 0);
	kt_bytes(&b, CKA_END_DATE, NULL, 0);
	while (!f->stop && f->rv == CKR_OK) {
		f->rv = kt_set(f->fd, f->s, f->key, f->flips & 1 ? &b : &a);
		f->flips++;
	}
	return NULL;
}

TEST_F(mp, attribute_changes_seen_whole)
{
	struct flipper f = { .fd = self->fd, .s = self->s };
	unsigned long inits = 0, gets = 0, copies = 0;
	struct khsm_attr at[2];
	struct khsm_attrs a;
	unsigned char enc;
	struct kt_tmpl t;
	char label[8];
	pthread_t th;
	struct kt_tmpl ft;
	__u64 found[16];
	size_t cnt;
	__u32 s2;
	__u64 n;
	CK_RV rv;
	int i, j;

	/* { ENCRYPT, no END_DATE }: half of each state, never either whole */
	kt_tmpl_init(&ft);
	kt_ulong(&ft, CKA_CLASS, CKO_SECRET_KEY);
	kt_bool(&ft, CKA_ENCRYPT, 1);
	kt_bytes(&ft, CKA_END_DATE, NULL, 0);
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	kt_bytes(&t, CKA_VALUE, k16, 16);
	kt_str(&t, CKA_LABEL, "B");
	kt_bool(&t, CKA_ENCRYPT, 0);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &f.key));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s2));
	ASSERT_EQ(0, pthread_create(&th, NULL, flip, &f));
	for (i = 0; i < 3000 && f.rv == CKR_OK; i++) {
		memset(at, 0, sizeof(at));
		at[0] = (struct khsm_attr){ .type = CKA_LABEL,
					    .value = KT_PTR(label),
					    .len = sizeof(label) };
		at[1] = (struct khsm_attr){ .type = CKA_ENCRYPT,
					    .value = KT_PTR(&enc), .len = 1 };
		a = (struct khsm_attrs){ .hdr.session = s2, .object = f.key,
					 .attrs = KT_PTR(at), .count = 2 };
		ASSERT_OK(khsm_get_attrs(self->fd, &a));
		ASSERT_EQ(1, at[0].len);
		ASSERT_EQ(label[0] == 'A', enc)
			TH_LOG("get %d: label %c with CKA_ENCRYPT %d", i,
			       label[0], enc);
		gets++;
		rv = kt_op_init(self->fd, s2, KHSM_OP_ENCRYPT, f.key,
				CKM_AES_ECB, NULL, 0);
		if (rv == CKR_OK)
			kt_cancel(self->fd, s2, 1U << KHSM_OP_ENCRYPT);
		ASSERT_RV(CKR_KEY_FUNCTION_NOT_PERMITTED, rv);
		inits++;
		/* a find walking a class list matches whole objects only */
		ASSERT_OK(kt_find_all(self->fd, s2, &ft, found,
				      ARRAY_SIZE(found), &cnt));
		for (j = 0; j < (int)cnt; j++)
			ASSERT_NE(f.key, found[j])
				TH_LOG("find %d matched half a change", i);
		/* a copy is one snapshot of the source too */
		if (i % 10 == 0) {
			__u64 copy;
			int e = -1;

			ASSERT_OK(kt_copy(self->fd, s2, f.key, NULL, &copy));
			n = sizeof(label);
			ASSERT_OK(kt_get_bytes(self->fd, s2, copy, CKA_LABEL,
					       label, &n));
			ASSERT_OK(kt_get_bool(self->fd, s2, copy, CKA_ENCRYPT,
					      &e));
			ASSERT_EQ(label[0] == 'A', e)
				TH_LOG("copy %d: label %c with CKA_ENCRYPT %d",
				       i, label[0], e);
			ASSERT_OK(kt_destroy(self->fd, s2, copy));
			copies++;
		}
	}
	f.stop = 1;
	pthread_join(th, NULL);
	TH_LOG("%lu gets, %lu inits and %lu copies while the key changed %lu times",
	       gets, inits, copies, f.flips);
	EXPECT_RV(CKR_OK, f.rv);
	EXPECT_LT(100UL, f.flips);
	EXPECT_OK(kt_close(self->fd, s2));
	EXPECT_OK(kt_destroy(self->fd, self->s, f.key));
}

/*
 * A thread keeps using a session (an operation, a find, a session object)
 * while another closes it and opens the next one, whose memory may be the
 * closed one's (the application's spare session).  Every call on a closed
 * session is refused cleanly, never served by its successor, and when it
 * all stops the token's memory and session count are where they began.
 */
struct user_race {
	int fd;
	__u64 key;
	volatile __u32 s;
	volatile int stop;
	unsigned long ok, refused;
	CK_RV other;
};

static int user_rv(struct user_race *u, CK_RV rv)
{
	if (rv == CKR_OK) {
		u->ok++;
		return 1;
	}
	if (rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED)
		u->refused++;
	else
		u->other = rv;
	return 0;
}

static void *session_user(void *arg)
{
	struct user_race *u = arg;
	unsigned char out[32];
	__u64 found[4], n;
	struct kt_tmpl t, d;
	size_t cnt;

	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "user-race");
	kt_tmpl_init(&d);
	kt_ulong(&d, CKA_CLASS, CKO_DATA);
	kt_str(&d, CKA_LABEL, "user-race");
	while (!u->stop && u->other == CKR_OK) {
		__u32 s = u->s;

		if (user_rv(u, kt_op_init(u->fd, s, KHSM_OP_ENCRYPT, u->key,
					  CKM_AES_ECB, NULL, 0))) {
			n = sizeof(out);
			user_rv(u, kt_oneshot(u->fd, s, KHSM_OP_ENCRYPT, msg, 32,
					      out, &n));
		}
		user_rv(u, kt_create(u->fd, s, &d, NULL));
		user_rv(u, kt_find_all(u->fd, s, &t, found, 4, &cnt));
	}
	return NULL;
}

TEST_F(mp, session_closed_under_its_user)
{
	struct user_race u = { .fd = self->fd };
	struct khsm_token_info before, after;
	__u64 found[4];
	struct kt_tmpl t;
	pthread_t th;
	size_t cnt;
	__u32 s;
	int i;

	ASSERT_OK(kt_token_info_settled(self->fd, &before));
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k16, 16, &u.key));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	u.s = s;
	ASSERT_EQ(0, pthread_create(&th, NULL, session_user, &u));
	for (i = 0; i < 1500 && u.other == CKR_OK; i++) {
		unsigned long seen = u.ok + u.refused;
		int spin;

		for (spin = 0; spin < 1000 && u.ok + u.refused == seen; spin++)
			sched_yield();
		ASSERT_OK(kt_close(self->fd, s));
		ASSERT_OK(kt_session(self->fd, KT_RW, &s));
		u.s = s;
	}
	u.stop = 1;
	pthread_join(th, NULL);
	TH_LOG("%lu calls served, %lu refused over %d closes", u.ok,
	       u.refused, i);
	EXPECT_RV(CKR_OK, u.other);
	EXPECT_LT(0UL, u.ok);
	EXPECT_OK(kt_close(self->fd, s));
	kt_tmpl_init(&t);
	kt_str(&t, CKA_LABEL, "user-race");
	ASSERT_OK(kt_find_all(self->fd, self->s, &t, found, 4, &cnt));
	EXPECT_EQ(0, cnt);
	/* the key's engine cache is charged while the key lives */
	EXPECT_OK(kt_destroy(self->fd, self->s, u.key));
	ASSERT_OK(kt_token_info_settled(self->fd, &after));
	EXPECT_EQ(before.free_public_memory, after.free_public_memory);
	EXPECT_EQ(before.free_private_memory, after.free_private_memory);
	EXPECT_EQ(before.session_count, after.session_count);
}

/* A process that dies mid-operation (SIGKILL) leaves a clean token */
TEST_F(mp, killed_mid_operation)
{
	struct chan c;
	pid_t pid;
	__u64 found[8];
	size_t cnt;

	struct khsm_token_info before, after;

	ASSERT_EQ(0, chan_open(&c));
	ASSERT_OK(kt_token_info(self->fd, &before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kt_tmpl t;
		unsigned char out[16];
		__u64 key, n = sizeof(out);
		int fd;
		__u32 s;

		chan_child(&c);
		fd = kt_open();
		CHILD_CHECK(fd >= 0, 2);
		CHILD_CHECK(kt_session(fd, KT_RW, &s) == CKR_OK, 3);
		CHILD_CHECK(kt_login(fd, s, CKU_USER, KT_USER_PIN) == CKR_OK, 4);
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_DATA);
		kt_bool(&t, CKA_TOKEN, 0);
		kt_str(&t, CKA_LABEL, "mp-killed");
		CHILD_CHECK(kt_create(fd, s, &t, NULL) == CKR_OK, 5);
		CHILD_CHECK(kt_secret(fd, s, CKK_AES, k16, 16, &key) ==
			    CKR_OK, 6);
		CHILD_CHECK(kt_op_init(fd, s, KHSM_OP_ENCRYPT, key,
				       CKM_AES_CBC_PAD, k16, 16) == CKR_OK, 7);
		CHILD_CHECK(kt_update(fd, s, KHSM_OP_ENCRYPT, msg, 20, out,
				      &n) == CKR_OK, 8);
		put(c.up[1], 1);
		pause();
		_exit(0);
	}
	chan_parent(&c);
	ASSERT_EQ(1, get(c.up[0]));
	kill(pid, SIGKILL);
	EXPECT_EQ(1000 + SIGKILL, reap(pid));
	ASSERT_OK(find_label(self->fd, self->s, "mp-killed", found, &cnt));
	EXPECT_EQ(0, cnt);
	/* its sessions are gone from the token's count */
	ASSERT_OK(kt_token_info(self->fd, &after));
	EXPECT_EQ(before.session_count, after.session_count);
	EXPECT_EQ(before.rw_session_count, after.rw_session_count);
}

KT_MAIN
