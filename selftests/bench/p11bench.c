// SPDX-License-Identifier: GPL-2.0
/*
 * p11bench: operations per second of common PKCS#11 calls through one or
 * two PKCS#11 modules, with one thread and with two threads (each on its
 * own session), and the /dev/hsm ioctls each operation costs.
 *
 *   p11bench [-t SECONDS] [-k REPS] [-j 1|2] [-s N,N,...] [-r ROW] [-T]
 *            MODULE.so [OTHER.so]
 *
 * With two modules both are loaded into this one process and every row is
 * measured on each in turn (A 1 thread, B 1 thread, A 2 threads, B 2
 * threads, repeated), so that load elsewhere on the host, which under TCG
 * can halve a measurement, falls on both alike and the ratio holds.
 *
 * -t: time per measurement (default 0.5 s);
 * -k: measurements per row and module, the best kept (default 3);
 * -j: only 1 or only 2 threads (for profiling);
 * -s: sizes of the find set (default 1000,10000,100000);
 * -r: only the rows whose name contains ROW;
 * -T: tab-separated output for scripts: "row", the row's name, then per
 *     module 1-thread ops/s, 2-thread ops/s, ioctls per op ("ERR" for a
 *     failed measurement, "-" for unknown); and "note" lines.
 *
 * The rows named "(reference: ...)" carry no goal: a CPU loop (the most
 * the VM scales at that moment), a bare system call and the cheapest
 * PKCS#11 call (the floor any ioctl pays).
 *
 * Every object the bench makes for measuring is a session object (SoftHSMv2
 * writes a file per token object); the only token objects are a few private
 * "twins" of the find targets, which must stay invisible to the finds made
 * after C_Logout.  Keys are private session objects used while logged in.
 * The ioctls are counted by khsm's debugfs counter around single-threaded
 * measurements; a module that does not use /dev/hsm shows 0.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "p11util.h"

#define MAX_TARGETS	2
#define MAX_THREADS	2
#define MAX_DATA	16384
#define NTWINS		16	/* find targets per find-set size */
#define MAX_STAGES	8
#define WARM_UP_OPS	16
#define WARM_UP_TIME	0.05	/* seconds */

struct worker;

struct row {
	const char *name;
	CK_RV (*op)(struct worker *w);
	/* optional second phase, timed until the worker's objects are gone */
	const char *drain_name;
	CK_RV (*drain)(struct worker *w);
	size_t len;		/* data length, for the ops that take one */
};

/* One PKCS#11 module under test, and what the bench made in it */
struct target {
	struct p11 p;
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE owner;	/* keys, the find set, the twins */
	CK_OBJECT_HANDLE aes, hmac;
	/* the find set: public session keys with a label and an ID */
	CK_OBJECT_HANDLE *set;
	size_t nset;
	size_t find_idx[NTWINS];	/* indices in set[] of the targets */
	CK_OBJECT_HANDLE twins[MAX_STAGES * NTWINS];
	size_t ntwins;
};

struct bench;

struct worker {
	struct bench *b;
	struct target *t;
	const struct row *r;
	pthread_t th;
	unsigned int id;
	CK_SESSION_HANDLE s;
	CK_RV err;
	const char *errwhat;
	unsigned long n[2];	/* ops in the main and the drain phase */
	double tm[2];
	long long ioctls[2];
	unsigned long long ctr;	/* IVs, targets */
	CK_OBJECT_HANDLE *objs;	/* created by this worker, not yet destroyed */
	size_t nobjs, cap;
	CK_BYTE in[MAX_DATA];
	CK_BYTE out[MAX_DATA + 64];
};

struct bench {
	struct target t[MAX_TARGETS];
	int ntargets;
	double row_time;
	int reps;		/* measurements per row; the best is kept */
	int threads;		/* bit 0: run 1 thread, bit 1: run 2 */
	int tsv;
	const char *only;
	size_t stages[MAX_STAGES];
	size_t nstages;
	pthread_barrier_t start, drain;
	int nthreads;
};

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

/* ---- names and values of the find set ---------------------------------- */

/* 16-byte label and ID of the find-set object @i */
static void set_label(char out[48], size_t i)
{
	snprintf(out, 48, "find-%011zu", i);
}

static void set_id(char out[48], size_t i)
{
	snprintf(out, 48, "id-%013zu", i);
}

/* ---- the operations ------------------------------------------------------ */

#define CALL(w, fn, ...) ({						\
	CK_RV _rv = (w)->t->f->fn(__VA_ARGS__);				\
	if (_rv != CKR_OK)						\
		(w)->errwhat = #fn;					\
	_rv; })

static CK_RV op_random(struct worker *w)
{
	return CALL(w, C_GenerateRandom, w->s, w->out, 32);
}

static CK_RV op_digest(struct worker *w)
{
	CK_MECHANISM m = { CKM_SHA256, NULL, 0 };
	CK_ULONG len = sizeof(w->out);
	CK_RV rv;

	rv = CALL(w, C_DigestInit, w->s, &m);
	if (rv == CKR_OK)
		rv = CALL(w, C_Digest, w->s, w->in, w->r->len, w->out, &len);
	return rv;
}

static CK_RV op_hmac(struct worker *w)
{
	CK_MECHANISM m = { CKM_SHA256_HMAC, NULL, 0 };
	CK_ULONG len = sizeof(w->out);
	CK_RV rv;

	rv = CALL(w, C_SignInit, w->s, &m, w->t->hmac);
	if (rv == CKR_OK)
		rv = CALL(w, C_Sign, w->s, w->in, w->r->len, w->out, &len);
	return rv;
}

/* A fresh IV for every message: thread id, then a counter */
static void fresh_iv(struct worker *w, CK_BYTE *iv, size_t len)
{
	unsigned long long c = ++w->ctr;

	memset(iv, 0, len);
	iv[0] = w->id;
	memcpy(iv + len - sizeof(c), &c, sizeof(c));
}

static CK_RV op_gcm(struct worker *w)
{
	CK_BYTE iv[12];
	CK_GCM_PARAMS gp = {
		.pIv = iv, .ulIvLen = sizeof(iv), .ulIvBits = 8 * sizeof(iv),
		.pAAD = NULL, .ulAADLen = 0, .ulTagBits = 128,
	};
	CK_MECHANISM m = { CKM_AES_GCM, &gp, sizeof(gp) };
	CK_ULONG len = sizeof(w->out);
	CK_RV rv;

	fresh_iv(w, iv, sizeof(iv));
	rv = CALL(w, C_EncryptInit, w->s, &m, w->t->aes);
	if (rv == CKR_OK)
		rv = CALL(w, C_Encrypt, w->s, w->in, w->r->len, w->out, &len);
	return rv;
}

static CK_RV op_cbc(struct worker *w)
{
	CK_BYTE iv[16];
	CK_MECHANISM m = { CKM_AES_CBC, iv, sizeof(iv) };
	CK_ULONG len = sizeof(w->out);
	CK_RV rv;

	fresh_iv(w, iv, sizeof(iv));
	rv = CALL(w, C_EncryptInit, w->s, &m, w->t->aes);
	if (rv == CKR_OK)
		rv = CALL(w, C_Encrypt, w->s, w->in, w->r->len, w->out, &len);
	return rv;
}

static CK_RV op_session(struct worker *w)
{
	CK_SESSION_HANDLE s;
	CK_RV rv;

	rv = CALL(w, C_OpenSession, w->t->p.slot,
		  CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
	if (rv == CKR_OK)
		rv = CALL(w, C_CloseSession, s);
	return rv;
}

/* C_CreateObject of a public data object: 16-byte label, 16-byte value */
static CK_RV op_create(struct worker *w)
{
	CK_OBJECT_CLASS cls = CKO_DATA;
	char label[48];
	CK_BYTE val[16];
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_TOKEN, &no, sizeof(no) },
		{ CKA_PRIVATE, &no, sizeof(no) },
		{ CKA_LABEL, label, 16 },
		{ CKA_VALUE, val, sizeof(val) },
	};
	CK_OBJECT_HANDLE h;
	CK_RV rv;

	if (w->nobjs == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 4096;
		CK_OBJECT_HANDLE *o = realloc(w->objs, cap * sizeof(*o));

		if (!o)
			return CKR_HOST_MEMORY;
		w->objs = o;
		w->cap = cap;
	}
	snprintf(label, sizeof(label), "data%u-%010zu", w->id % 10, w->nobjs);
	memset(val, 0x5a, sizeof(val));
	rv = CALL(w, C_CreateObject, w->s, t, ARRAY_SIZE(t), &h);
	if (rv == CKR_OK)
		w->objs[w->nobjs++] = h;
	return rv;
}

static CK_RV op_destroy(struct worker *w)
{
	return CALL(w, C_DestroyObject, w->s, w->objs[--w->nobjs]);
}

/* One find by @type: Init + FindObjects + Final; exactly the target found */
static CK_RV find_one(struct worker *w, CK_ATTRIBUTE_TYPE type)
{
	struct target *t = w->t;
	size_t i = t->find_idx[w->ctr++ % NTWINS];
	CK_OBJECT_HANDLE found[4];
	CK_ULONG nfound = 0;
	char key[48];
	CK_ATTRIBUTE a = { type, key, 16 };
	CK_RV rv;

	if (type == CKA_LABEL)
		set_label(key, i);
	else
		set_id(key, i);
	rv = CALL(w, C_FindObjectsInit, w->s, &a, 1);
	if (rv != CKR_OK)
		return rv;
	rv = CALL(w, C_FindObjects, w->s, found, ARRAY_SIZE(found), &nfound);
	if (rv == CKR_OK)
		rv = CALL(w, C_FindObjectsFinal, w->s);
	if (rv == CKR_OK && (nfound != 1 || found[0] != t->set[i])) {
		w->errwhat = nfound > 1 ? "find: a private twin is visible" :
			     "find: wrong object or none";
		rv = CKR_GENERAL_ERROR;
	}
	return rv;
}

static CK_RV op_find_label(struct worker *w)
{
	return find_one(w, CKA_LABEL);
}

static CK_RV op_find_id(struct worker *w)
{
	return find_one(w, CKA_ID);
}

/*
 * Reference row: arithmetic only, no PKCS#11 call.  Its 2-thread scaling
 * is the most the VM gives at that moment (host load, vCPU threads), and
 * its ratio between the two runs shows how steady the VM was.
 */
static CK_RV op_cpu(struct worker *w)
{
	unsigned long long x = w->ctr | 1;
	int i;

	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	w->ctr = x;
	return CKR_OK;
}

/* Reference: the cheapest system call, what any ioctl costs at least */
static CK_RV op_syscall(struct worker *w)
{
	w->ctr += syscall(SYS_getppid);
	return CKR_OK;
}

/* Reference: the cheapest PKCS#11 call on a session (one ioctl in khsm) */
static CK_RV op_session_info(struct worker *w)
{
	CK_SESSION_INFO si;

	return CALL(w, C_GetSessionInfo, w->s, &si);
}

static const struct row crypto_rows[] = {
	{ .name = "(reference: CPU loop, no PKCS#11)", .op = op_cpu },
	{ .name = "(reference: getppid() system call)", .op = op_syscall },
	{ .name = "(reference: C_GetSessionInfo)", .op = op_session_info },
	{ .name = "C_GenerateRandom 32 B", .op = op_random },
	{ .name = "C_Digest SHA-256 64 B", .op = op_digest, .len = 64 },
	{ .name = "HMAC-SHA256 sign 64 B", .op = op_hmac, .len = 64 },
	{ .name = "AES-256-GCM encrypt 1 KiB", .op = op_gcm, .len = 1024 },
	{ .name = "AES-256-GCM encrypt 16 KiB", .op = op_gcm, .len = 16384 },
	{ .name = "AES-256-CBC encrypt 16 KiB", .op = op_cbc, .len = 16384 },
	{ .name = "C_OpenSession+C_CloseSession", .op = op_session },
	{ .name = "C_CreateObject data 16 B", .op = op_create,
	  .drain_name = "C_DestroyObject data 16 B", .drain = op_destroy },
};

static const struct row find_rows[] = {
	{ .name = "C_FindObjects CKA_LABEL", .op = op_find_label },
	{ .name = "C_FindObjects CKA_ID", .op = op_find_id },
};

/* ---- running a row ------------------------------------------------------- */

static void phase(struct worker *w, int ph, int single)
{
	CK_RV (*op)(struct worker *) = ph ? w->r->drain : w->r->op;
	double t0, t, last, limit = w->b->row_time;
	long long c0 = single ? ioctl_count() : -1;
	unsigned long n = 0, batch = 1, k = 0;

	/*
	 * Read the clock every @batch ops, doubling @batch while reads come
	 * less than 1 ms apart: under TCG a clock read (HPET) may cost as
	 * much as a small operation.
	 */
	t0 = last = now();
	while (w->err == CKR_OK) {
		if (ph && !w->nobjs)
			break;
		w->err = op(w);
		if (w->err != CKR_OK)
			break;
		n++;
		if (ph || ++k < batch)
			continue;
		k = 0;
		t = now();
		if (t - t0 >= limit)
			break;
		if (t - last < 0.001 && batch < 1024)
			batch *= 2;
		last = t;
	}
	w->tm[ph] = now() - t0;
	w->n[ph] = n;
	w->ioctls[ph] = -1;
	if (c0 >= 0) {
		long long c1 = ioctl_count();

		if (c1 >= c0)
			w->ioctls[ph] = c1 - c0;
	}
}

/* A few untimed ops first: first-use allocations, caches, lazy binding */
static void warm_up(struct worker *w)
{
	double t0 = now();
	int i;

	for (i = 0; i < WARM_UP_OPS && w->err == CKR_OK; i++) {
		w->err = w->r->op(w);
		if (now() - t0 > WARM_UP_TIME)
			break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct bench *b = w->b;
	int single = b->nthreads == 1;

	w->s = p11_session(&w->t->p);
	if (!w->s) {
		w->err = CKR_GENERAL_ERROR;
		w->errwhat = "C_OpenSession";
	}
	memset(w->in, 0xa5, sizeof(w->in));
	warm_up(w);
	pthread_barrier_wait(&b->start);
	if (w->err == CKR_OK)
		phase(w, 0, single);
	if (w->r->drain) {
		pthread_barrier_wait(&b->drain);
		if (w->err == CKR_OK)
			phase(w, 1, single);
		/* whatever an error left behind is destroyed untimed */
		while (w->nobjs)
			w->t->f->C_DestroyObject(w->s, w->objs[--w->nobjs]);
	}
	if (w->s)
		w->t->f->C_CloseSession(w->s);
	return NULL;
}

struct result {
	double rate[2];		/* ops/s, summed over threads; <0: failed */
	double ioctls[2];	/* per op, single thread only; <0: unknown */
	char err[128];
};

static void run(struct bench *b, struct target *t, const struct row *r,
		int nthreads, struct result *res)
{
	static struct worker ws[MAX_THREADS];
	int i, ph;

	b->nthreads = nthreads;
	pthread_barrier_init(&b->start, NULL, nthreads);
	pthread_barrier_init(&b->drain, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		free(w->objs);
		memset(w, 0, sizeof(*w));
		w->b = b;
		w->t = t;
		w->r = r;
		w->id = i;
		if (pthread_create(&w->th, NULL, worker_main, w)) {
			fprintf(stderr, "pthread_create failed\n");
			exit(1);
		}
	}
	memset(res, 0, sizeof(*res));
	for (i = 0; i < nthreads; i++)
		pthread_join(ws[i].th, NULL);
	/*
	 * All ops of all threads over the longest thread's time: a thread
	 * that finished early (the drain phase) does not count as running
	 * alongside the other for the whole time.
	 */
	for (ph = 0; ph < 2; ph++) {
		double tmax = 0;
		unsigned long ops = 0;

		res->ioctls[ph] = -1;
		for (i = 0; i < nthreads; i++) {
			ops += ws[i].n[ph];
			if (ws[i].tm[ph] > tmax)
				tmax = ws[i].tm[ph];
		}
		res->rate[ph] = tmax > 0 ? ops / tmax : 0;
		if (nthreads == 1 && ws[0].ioctls[ph] >= 0 && ws[0].n[ph])
			res->ioctls[ph] = (double)ws[0].ioctls[ph] / ws[0].n[ph];
	}
	for (i = 0; i < nthreads; i++) {
		if (ws[i].err == CKR_OK)
			continue;
		snprintf(res->err, sizeof(res->err), "%s: %s", ws[i].errwhat,
			 khsm_rv_name(ws[i].err));
		res->rate[0] = res->rate[1] = -1;
		break;
	}
	pthread_barrier_destroy(&b->start);
	pthread_barrier_destroy(&b->drain);
}

/* Keep the best of @r in @best: the host's other load only slows us */
static void keep_best(struct result *best, const struct result *r, int first)
{
	int ph;

	if (first || (r->err[0] && !best->err[0])) {
		*best = *r;
		return;
	}
	if (best->err[0])
		return;
	for (ph = 0; ph < 2; ph++)
		if (r->rate[ph] > best->rate[ph]) {
			best->rate[ph] = r->rate[ph];
			best->ioctls[ph] = r->ioctls[ph];
		}
}

/* ---- output -------------------------------------------------------------- */

static void print_header(struct bench *b)
{
	int i;

	if (b->tsv)
		return;
	for (i = 0; i < b->ntargets; i++)
		printf("module %c: %s\n", 'A' + i, b->t[i].p.path);
	printf("%.2f s per measurement, best of %d\n%-38s", b->row_time,
	       b->reps, "row");
	for (i = 0; i < b->ntargets; i++)
		printf(" %9s %9s %5s %6s", "1T ops/s", "2T ops/s", "2T/1T",
		       "ioctls");
	printf("\n");
}

static void print_cell(struct bench *b, double v, const char *fmt)
{
	if (b->tsv)
		v < 0 ? printf("\tERR") : printf("\t%.1f", v);
	else
		v < 0 ? printf(" %9s", "error") : printf(fmt, v);
}

static void print_row(struct bench *b, const char *name,
		      struct result r[][2], int ph)
{
	int i;

	printf(b->tsv ? "row\t%s" : "%-38s", name);
	for (i = 0; i < b->ntargets; i++) {
		double a = r[i][0].rate[ph], c = r[i][1].rate[ph];
		double io = r[i][0].ioctls[ph];

		print_cell(b, a, " %9.0f");
		print_cell(b, c, " %9.0f");
		if (!b->tsv)
			a > 0 && c > 0 ? printf(" %5.2f", c / a) :
					 printf(" %5s", "-");
		if (b->tsv)
			io < 0 ? printf("\t-") : printf("\t%.2f", io);
		else
			io < 0 ? printf(" %6s", "-") : printf(" %6.2f", io);
	}
	printf("\n");
	for (i = 0; i < b->ntargets; i++) {
		if (r[i][0].err[0])
			fprintf(stderr, "  %s, %c, 1 thread: %s\n", name,
				'A' + i, r[i][0].err);
		if (r[i][1].err[0])
			fprintf(stderr, "  %s, %c, 2 threads: %s\n", name,
				'A' + i, r[i][1].err);
	}
	fflush(stdout);
}

/*
 * Waits (up to 5 s) until no target's token memory moved for 0.1 s: an
 * earlier row's destroyed objects are freed after an RCU grace period,
 * and that deferred work would otherwise run on a CPU the next rows
 * measure with (a 2-thread figure more than a 1-thread one).  Targets that
 * do not report memory are not waited for.
 */
static void settle(struct bench *b)
{
	CK_ULONG last[MAX_TARGETS] = { 0 };
	int i, round, moved = 1;

	for (round = 0; round < 50 && moved; round++) {
		moved = 0;
		for (i = 0; i < b->ntargets; i++) {
			CK_TOKEN_INFO ti;

			if (b->t[i].f->C_GetTokenInfo(b->t[i].p.slot, &ti) ||
			    ti.ulFreePublicMemory == CK_UNAVAILABLE_INFORMATION)
				continue;
			moved |= !round || ti.ulFreePublicMemory != last[i];
			last[i] = ti.ulFreePublicMemory;
		}
		if (moved)
			usleep(100000);
	}
}

static int row_selected(struct bench *b, const struct row *r,
			const char *name)
{
	return !b->only || strstr(name, b->only) ||
	       (r->drain_name && strstr(r->drain_name, b->only));
}

/*
 * @n rows (@names theirs), each measured b->reps times, best kept: in turns
 * within a row (so that both modules see the same host moments) and across
 * the rows (every row's k-th measurement before any row's (k+1)-th, so a
 * burst of host load spoils one measurement of several rows rather than
 * all of one row's).
 */
static void bench_rows(struct bench *b, const struct row *rows,
		       const char (*names)[64], size_t n)
{
	struct result (*res)[MAX_TARGETS][2], one;
	size_t j;
	int i, k, t;

	res = calloc(n, sizeof(*res));
	if (!res) {
		fprintf(stderr, "p11bench: out of memory\n");
		return;
	}
	for (k = 0; k < b->reps; k++)
		for (j = 0; j < n; j++) {
			if (!row_selected(b, &rows[j], names[j]))
				continue;
			for (t = 1; t <= 2; t++) {
				if (!(b->threads & t))
					continue;
				for (i = 0; i < b->ntargets; i++) {
					run(b, &b->t[i], &rows[j], t, &one);
					keep_best(&res[j][i][t - 1], &one, !k);
				}
				if (rows[j].drain)	/* objects destroyed */
					settle(b);
			}
		}
	for (j = 0; j < n; j++) {
		if (!row_selected(b, &rows[j], names[j]))
			continue;
		print_row(b, names[j], res[j], 0);
		if (rows[j].drain)
			print_row(b, rows[j].drain_name, res[j], 1);
	}
	free(res);
}

static void note(struct bench *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf(b->tsv ? "note\t" : "# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* ---- keys and objects ---------------------------------------------------- */

static int make_keys(struct target *t)
{
	CK_ULONG aes_len = 32, hmac_len = 32;
	CK_MECHANISM aes_gen = { CKM_AES_KEY_GEN, NULL, 0 };
	CK_MECHANISM gen_gen = { CKM_GENERIC_SECRET_KEY_GEN, NULL, 0 };
	CK_ATTRIBUTE aes_t[] = {
		{ CKA_TOKEN, &no, sizeof(no) },
		{ CKA_PRIVATE, &yes, sizeof(yes) },
		{ CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_ENCRYPT, &yes, sizeof(yes) },
		{ CKA_VALUE_LEN, &aes_len, sizeof(aes_len) },
		{ CKA_LABEL, "bench-aes", 9 },
	};
	CK_ATTRIBUTE hmac_t[] = {
		{ CKA_TOKEN, &no, sizeof(no) },
		{ CKA_PRIVATE, &yes, sizeof(yes) },
		{ CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_SIGN, &yes, sizeof(yes) },
		{ CKA_VALUE_LEN, &hmac_len, sizeof(hmac_len) },
		{ CKA_LABEL, "bench-hmac", 10 },
	};

	if (p11_check("C_GenerateKey AES-256",
		      t->f->C_GenerateKey(t->owner, &aes_gen, aes_t,
					  ARRAY_SIZE(aes_t), &t->aes)))
		return -1;
	return p11_check("C_GenerateKey generic secret",
			 t->f->C_GenerateKey(t->owner, &gen_gen, hmac_t,
					     ARRAY_SIZE(hmac_t), &t->hmac));
}

/* A secret key with label and ID of find-set index @i */
static CK_RV make_set_object(struct target *t, size_t i, CK_BBOOL token,
			     CK_BBOOL priv, CK_OBJECT_HANDLE *h)
{
	CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
	CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
	CK_BYTE val[16];
	char label[48], id[48];
	CK_ATTRIBUTE a[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_KEY_TYPE, &kt, sizeof(kt) },
		{ CKA_TOKEN, &token, sizeof(token) },
		{ CKA_PRIVATE, &priv, sizeof(priv) },
		{ CKA_LABEL, label, 16 },
		{ CKA_ID, id, 16 },
		{ CKA_VALUE, val, sizeof(val) },
	};

	set_label(label, i);
	set_id(id, i);
	memset(val, (int)i, sizeof(val));
	return t->f->C_CreateObject(t->owner, a, ARRAY_SIZE(a), h);
}

/* Spread the find targets of a set of @n objects over all of it */
static void stage_targets(size_t n, size_t out[NTWINS])
{
	size_t k;

	for (k = 0; k < NTWINS; k++)
		out[k] = (2 * k + 1) * n / (2 * NTWINS);
}

/* Private token objects with the label and ID of every stage's targets */
static int make_twins(struct bench *b, struct target *t)
{
	size_t st, k, tg[NTWINS];

	for (st = 0; st < b->nstages; st++) {
		stage_targets(b->stages[st], tg);
		for (k = 0; k < NTWINS; k++) {
			CK_RV rv = make_set_object(t, tg[k], CK_TRUE, CK_TRUE,
						   &t->twins[t->ntwins]);

			if (p11_check("C_CreateObject (private token twin)",
				      rv))
				return -1;
			t->ntwins++;
		}
	}
	return 0;
}

/* Grow the find set of @t to @n public session objects */
static int grow_set(struct bench *b, struct target *t, size_t n)
{
	size_t from = t->nset;
	double t0 = now(), dt;
	CK_OBJECT_HANDLE *set = realloc(t->set, n * sizeof(*t->set));

	if (!set) {
		perror("realloc");
		return -1;
	}
	t->set = set;
	for (; t->nset < n; t->nset++) {
		CK_RV rv = make_set_object(t, t->nset, CK_FALSE, CK_FALSE,
					   &t->set[t->nset]);

		if (rv != CKR_OK) {
			fprintf(stderr, "%s: C_CreateObject (find set #%zu): %s\n",
				t->p.path, t->nset, khsm_rv_name(rv));
			return -1;
		}
	}
	dt = now() - t0;
	note(b, "%s: find set grown from %zu to %zu objects in %.1f s (%.0f/s)",
	     t->p.path, from, n, dt, dt > 0 ? (n - from) / dt : 0);
	stage_targets(t->nset, t->find_idx);
	return 0;
}

static int target_open(struct bench *b, struct target *t, const char *path)
{
	if (p11_load(&t->p, path))
		return -1;
	t->f = t->p.f;
	if (p11_token(&t->p))
		return -1;
	t->owner = p11_session(&t->p);
	if (!t->owner || p11_login(&t->p, t->owner))
		return -1;
	return make_keys(t) || make_twins(b, t) ? -1 : 0;
}

static void target_close(struct target *t)
{
	if (t->owner) {
		if (t->ntwins && !p11_login(&t->p, t->owner))
			while (t->ntwins)
				t->f->C_DestroyObject(t->owner,
						      t->twins[--t->ntwins]);
		t->f->C_CloseSession(t->owner);
	}
	free(t->set);
	p11_unload(&t->p);
}

/* ---- main ---------------------------------------------------------------- */

static int parse_stages(struct bench *b, char *arg)
{
	char *tok, *save = NULL;

	b->nstages = 0;
	for (tok = strtok_r(arg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v = strtoul(tok, &end, 10);

		if (*end || v < NTWINS || b->nstages == MAX_STAGES ||
		    (b->nstages && v <= b->stages[b->nstages - 1]))
			return -1;
		b->stages[b->nstages++] = v;
	}
	return b->nstages ? 0 : -1;
}

/* Does -r select any find row (of any set size)? */
static int finds_wanted(struct bench *b)
{
	char name[64];
	size_t i, st;

	if (!b->only)
		return 1;
	for (st = 0; st < b->nstages; st++)
		for (i = 0; i < ARRAY_SIZE(find_rows); i++) {
			snprintf(name, sizeof(name), "%s among %zu",
				 find_rows[i].name, b->stages[st]);
			if (strstr(name, b->only))
				return 1;
		}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: p11bench [-t SECONDS] [-k REPS] [-j 1|2] [-s N,N,...] [-r ROW] [-T]\n"
		"                MODULE.so [OTHER.so]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct bench bench;
	struct bench *b = &bench;
	char stages[] = "1000,10000,100000";
	size_t i, st;
	int c, k, rc = 1;

	b->row_time = 0.5;
	b->reps = 3;
	b->threads = 3;
	parse_stages(b, stages);
	while ((c = getopt(argc, argv, "t:k:j:s:r:T")) != -1) {
		switch (c) {
		case 't':
			b->row_time = atof(optarg);
			if (b->row_time <= 0)
				usage();
			break;
		case 'k':
			b->reps = atoi(optarg);
			if (b->reps < 1)
				usage();
			break;
		case 'j':
			b->threads = atoi(optarg);
			if (b->threads != 1 && b->threads != 2)
				usage();
			break;
		case 's':
			if (parse_stages(b, optarg))
				usage();
			break;
		case 'r':
			b->only = optarg;
			break;
		case 'T':
			b->tsv = 1;
			break;
		default:
			usage();
		}
	}
	b->ntargets = argc - optind;
	if (b->ntargets < 1 || b->ntargets > MAX_TARGETS)
		usage();
	for (k = 0; k < b->ntargets; k++)
		if (target_open(b, &b->t[k], argv[optind + k]))
			goto out;

	print_header(b);
	{
		char names[ARRAY_SIZE(crypto_rows)][64];

		for (i = 0; i < ARRAY_SIZE(crypto_rows); i++)
			snprintf(names[i], sizeof(names[i]), "%s",
				 crypto_rows[i].name);
		bench_rows(b, crypto_rows, (const char (*)[64])names,
			   ARRAY_SIZE(crypto_rows));
	}

	/* Finds run logged out: the private twins must stay invisible. */
	for (k = 0; k < b->ntargets; k++)
		if (p11_check("C_Logout", b->t[k].f->C_Logout(b->t[k].owner)))
			goto out;
	for (st = 0; st < b->nstages && finds_wanted(b); st++) {
		char names[ARRAY_SIZE(find_rows)][64];

		for (k = 0; k < b->ntargets; k++)
			if (grow_set(b, &b->t[k], b->stages[st]))
				goto out;
		for (i = 0; i < ARRAY_SIZE(find_rows); i++)
			snprintf(names[i], sizeof(names[i]), "%s among %zu",
				 find_rows[i].name, b->stages[st]);
		settle(b);
		bench_rows(b, find_rows, (const char (*)[64])names,
			   ARRAY_SIZE(find_rows));
	}
	/* how the VM scaled at the end too: the host's load drifts */
	if (!b->only) {
		static const char end[1][64] = {
			"(reference: CPU loop, at the end)"
		};

		settle(b);
		bench_rows(b, crypto_rows, end, 1);
	}
	rc = 0;
out:
	for (k = 0; k < b->ntargets; k++)
		target_close(&b->t[k]);
	return rc;
}
