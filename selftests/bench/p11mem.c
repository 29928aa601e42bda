// SPDX-License-Identifier: GPL-2.0
/*
 * p11mem: memory one small data object costs, measured from the kernel's
 * slab statistics (root: /proc/slabinfo) around creating N public session
 * data objects (16-byte label, 16-byte value) through a PKCS#11 module, and
 * whether all of it comes back when they are destroyed, and again when
 * their session is closed.  The process's own resident growth is printed
 * too: for khsm it shows the library keeps nothing per object; for a
 * userspace token such as SoftHSMv2 it is where the objects live.
 *
 *   p11mem [-n N] [-q] [-v] MODULE.so
 *
 * -n: objects (default 100000); -q: skip the close-session pass;
 * -v: also the /proc/meminfo fields that moved, at each step.
 * A measurement, not a test: the exit status only says it could run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p11util.h"
#include "slabstat.h"

#define GOAL_BYTES	512
#define SETTLE_BYTES	(16 * 1024)
#define LEFTOVER_BYTES	1.0	/* per object, counted as returned */
#define IN_KERNEL_BYTES	8.0	/* less growth per object: not kept there */

struct mem {
	struct p11 p;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE *h;
	size_t n;
};

static long rss_bytes(void)
{
	long pages = -1, size;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &pages) != 2)
		pages = -1;
	fclose(f);
	return pages < 0 ? -1 : pages * sysconf(_SC_PAGESIZE);
}

/*
 * Slab usage once it stops moving: objects freed through RCU come back a
 * grace period later, and per-cpu slabs hide frees until shrunk.
 */
static int settle(struct slab_snap *out)
{
	struct slab_snap prev;
	int i;

	slab_shrink_all();
	if (slab_read(&prev))
		return -1;
	for (i = 0; i < 10; i++) {
		long long d;

		usleep(500 * 1000);
		slab_shrink_all();
		if (slab_read(out)) {
			slab_release(&prev);
			return -1;
		}
		d = (long long)out->used - (long long)prev.used;
		slab_release(&prev);
		if (d < SETTLE_BYTES && d > -SETTLE_BYTES)
			return 0;
		prev = *out;
	}
	return 0;
}

static CK_RV create(struct mem *m, size_t i)
{
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_BBOOL no = CK_FALSE;
	char label[48];
	CK_BYTE val[16];
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_TOKEN, &no, sizeof(no) },
		{ CKA_PRIVATE, &no, sizeof(no) },
		{ CKA_LABEL, label, 16 },
		{ CKA_VALUE, val, sizeof(val) },
	};

	snprintf(label, sizeof(label), "mem-%012zu", i);
	memset(val, (int)i, sizeof(val));
	return m->p.f->C_CreateObject(m->s, t, ARRAY_SIZE(t), &m->h[i]);
}

static int create_all(struct mem *m)
{
	double t0 = now();
	size_t i;

	for (i = 0; i < m->n; i++) {
		CK_RV rv = create(m, i);

		if (rv != CKR_OK) {
			fprintf(stderr, "C_CreateObject #%zu: %s\n", i,
				khsm_rv_name(rv));
			return -1;
		}
	}
	printf("  created %zu objects in %.1f s\n", m->n, now() - t0);
	return 0;
}

/* Everything measured at one moment */
struct point {
	struct slab_snap slab;
	long long memfree;	/* /proc/meminfo MemFree */
	long long vmalloc;	/* /proc/meminfo VmallocUsed */
	long rss;		/* this process */
	int ok;			/* slab read */
	char meminfo[4096];	/* all of /proc/meminfo, for -v */
};

static int verbose;

static void measure(struct point *p)
{
	p->ok = !settle(&p->slab);
	p->memfree = meminfo("MemFree");
	p->vmalloc = meminfo("VmallocUsed");
	p->rss = rss_bytes();
	if (verbose) {
		FILE *f = fopen("/proc/meminfo", "r");
		size_t n = f ? fread(p->meminfo, 1, sizeof(p->meminfo) - 1, f) : 0;

		p->meminfo[n] = 0;
		if (f)
			fclose(f);
	}
}

/* -v: the /proc/meminfo fields that moved by more than 256 KiB */
static void meminfo_moves(const struct point *a, const struct point *b)
{
	const char *pa = a->meminfo, *pb = b->meminfo;
	char na[64], nb[64];
	long long va, vb;
	int ra, rb;

	if (!verbose)
		return;
	printf("  /proc/meminfo moves:");
	while (sscanf(pa, "%63s %lld kB%n", na, &va, &ra) == 2 &&
	       sscanf(pb, "%63s %lld kB%n", nb, &vb, &rb) == 2) {
		if (!strcmp(na, nb) && (vb - va > 256 || va - vb > 256))
			printf(" %s%+lld kB", na, vb - va);
		pa = strchr(pa + ra, '\n');
		pb = strchr(pb + rb, '\n');
		if (!pa || !pb)
			break;
		pa++;
		pb++;
	}
	printf("\n");
}

/*
 * Kernel memory outside the slab too (page-allocator and vmalloc memory,
 * e.g. large hash tables): the fall in free memory less this process's
 * own growth.  Noisier than the slab figure.
 */
static double kernel_all(const struct point *a, const struct point *b)
{
	return (double)(a->memfree - b->memfree) - (double)(b->rss - a->rss);
}

/*
 * Returned: at most LEFTOVER_BYTES per object left, or no more than twice
 * what the slab moved between two quiet reads before anything was made.
 */
static void leftover(const char *what, const struct point *base,
		     const struct point *p, size_t n, long long noise)
{
	long long d = (long long)p->slab.used - (long long)base->slab.used;
	double per = (double)d / n;
	int ok = per <= LEFTOVER_BYTES || d <= 2 * llabs(noise);

	printf("  after %s: slab %+lld B vs. baseline (%+.2f B/object), all kernel memory %+.1f B/object: %s\n",
	       what, d, per, kernel_all(base, p) / n,
	       ok ? "all returned" : "NOT all returned");
	if (!ok) {
		printf("  caches still above the baseline:\n");
		slab_print_growth(stdout, &base->slab, &p->slab, 4, n);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: p11mem [-n N] [-q] [-v] MODULE.so\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct mem mem = { .n = 100000 }, *m = &mem;
	struct point p0, p1, p2, p3;
	long long noise = 0;
	int c, quick = 0, rc = 1, in_kernel = 0;
	size_t i;

	while ((c = getopt(argc, argv, "n:qv")) != -1) {
		switch (c) {
		case 'n':
			m->n = strtoul(optarg, NULL, 10);
			if (!m->n)
				usage();
			break;
		case 'q':
			quick = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	memset(&p0, 0, sizeof(p0));
	p1 = p2 = p3 = p0;
	m->h = calloc(m->n, sizeof(*m->h));
	if (!m->h || p11_load(&m->p, argv[optind]))
		return 1;
	if (p11_token(&m->p))
		goto out;
	m->s = p11_session(&m->p);
	if (!m->s)
		goto out;
	/* touch the handle array and warm up the module's paths */
	memset(m->h, 0, m->n * sizeof(*m->h));
	for (i = 0; i < 1000 && i < m->n; i++)
		if (create(m, i) == CKR_OK)
			m->p.f->C_DestroyObject(m->s, m->h[i]);

	printf("memory per object: %s, %zu public session data objects (16-byte label, 16-byte value)\n",
	       argv[optind], m->n);
	measure(&p1);		/* a first quiet read, for the noise */
	measure(&p0);
	if (!p0.ok || !p1.ok) {
		printf("  /proc/slabinfo not readable (not root?): kernel slab not measured\n");
	} else {
		noise = (long long)p0.slab.used - (long long)p1.slab.used;
		printf("  baseline: slab %llu KiB used, %llu KiB held; noise between two quiet reads: slab %+lld B, free memory %+lld B\n",
		       p0.slab.used / 1024, p0.slab.held / 1024, noise,
		       p1.memfree - p0.memfree);
	}
	slab_release(&p1.slab);

	if (create_all(m))
		goto out;
	measure(&p1);
	if (p0.ok && p1.ok) {
		long long grown = (long long)p1.slab.used -
				  (long long)p0.slab.used;
		double per = (double)grown / m->n;

		in_kernel = per >= IN_KERNEL_BYTES;
		printf("  kernel slab per object: %.1f B allocated (%.1f B of slab pages held)",
		       per,
		       ((double)p1.slab.held - (double)p0.slab.held) / m->n);
		if (in_kernel)
			printf(": goal <= %d B %s\n", GOAL_BYTES,
			       per <= GOAL_BYTES ? "MET" : "MISSED");
		else
			printf(": noise, the objects are not in the kernel\n");
		printf("  caches that grew most:\n");
		slab_print_growth(stdout, &p0.slab, &p1.slab, 6, m->n);
	}
	printf("  all kernel memory per object (fall in MemFree less process growth; noisy): %.1f B, of it vmalloc %.1f B\n",
	       kernel_all(&p0, &p1) / m->n,
	       (double)(p1.vmalloc - p0.vmalloc) / m->n);
	printf("  process resident memory per object: %.1f B\n",
	       ((double)p1.rss - p0.rss) / m->n);
	meminfo_moves(&p0, &p1);

	for (i = m->n; i > 0; i--) {
		CK_RV rv = m->p.f->C_DestroyObject(m->s, m->h[i - 1]);

		if (rv != CKR_OK) {
			fprintf(stderr, "C_DestroyObject: %s\n", khsm_rv_name(rv));
			goto out;
		}
	}
	measure(&p2);
	if (p0.ok && p2.ok && in_kernel)
		leftover("C_DestroyObject of each", &p0, &p2, m->n, noise);
	meminfo_moves(&p0, &p2);

	if (!quick) {
		if (create_all(m))
			goto out;
		if (p11_check("C_CloseSession",
			      m->p.f->C_CloseSession(m->s)))
			goto out;
		m->s = 0;
		measure(&p3);
		if (p0.ok && p3.ok && in_kernel)
			leftover("creating them again and C_CloseSession",
				 &p0, &p3, m->n, noise);
		meminfo_moves(&p0, &p3);
	}
	rc = 0;
out:
	slab_release(&p0.slab);
	slab_release(&p1.slab);
	slab_release(&p2.slab);
	slab_release(&p3.slab);
	if (m->s)
		m->p.f->C_CloseSession(m->s);
	p11_unload(&m->p);
	free(m->h);
	return rc;
}
