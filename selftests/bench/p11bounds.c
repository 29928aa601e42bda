// SPDX-License-Identifier: GPL-2.0
/*
 * p11bounds: show what happens when one application fills the token.  It
 * creates small public session data objects until the module refuses, then
 * shows that nothing was half-created, that its other sessions and another
 * application still work, and that destroying one object makes room for
 * one.  A demonstration that prints, not a test.
 *
 *   p11bounds [-m MAX] MODULE.so
 *
 * -m: stop after MAX objects if the module has not refused by then
 *     (default 10000000).
 * The other application is this program run again with --probe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "p11util.h"

#define APP_TAG		"p11bounds"

static CK_RV create(struct p11 *p, CK_SESSION_HANDLE s, size_t i,
		    CK_OBJECT_HANDLE *h)
{
	CK_OBJECT_CLASS cls = CKO_DATA;
	CK_BBOOL no = CK_FALSE;
	char label[48];
	CK_BYTE val[16];
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &cls, sizeof(cls) },
		{ CKA_TOKEN, &no, sizeof(no) },
		{ CKA_PRIVATE, &no, sizeof(no) },
		{ CKA_APPLICATION, APP_TAG, strlen(APP_TAG) },
		{ CKA_LABEL, label, 16 },
		{ CKA_VALUE, val, sizeof(val) },
	};

	snprintf(label, sizeof(label), "bound-%010zu", i);
	memset(val, (int)i, sizeof(val));
	return p->f->C_CreateObject(s, t, ARRAY_SIZE(t), h);
}

/* Objects of this demo the session can see, or -1 with the CK_RV printed */
static long count_mine(struct p11 *p, CK_SESSION_HANDLE s)
{
	CK_ATTRIBUTE t = { CKA_APPLICATION, APP_TAG, strlen(APP_TAG) };
	static CK_OBJECT_HANDLE h[4096];
	CK_ULONG got;
	long total = 0;
	CK_RV rv;

	rv = p->f->C_FindObjectsInit(s, &t, 1);
	if (p11_check("  C_FindObjectsInit", rv))
		return -1;
	do {
		rv = p->f->C_FindObjects(s, h, ARRAY_SIZE(h), &got);
		if (p11_check("  C_FindObjects", rv))
			break;
		total += got;
	} while (got);
	p->f->C_FindObjectsFinal(s);
	return rv == CKR_OK ? total : -1;
}

/* Random, login, digest and a create+destroy in session @s; prints how */
static int works(struct p11 *p, CK_SESSION_HANDLE s, const char *who)
{
	CK_MECHANISM sha = { CKM_SHA256, NULL, 0 };
	CK_BYTE buf[64], md[32];
	CK_ULONG mdlen = sizeof(md);
	CK_OBJECT_HANDLE h;
	CK_RV rv;
	const char *what = "C_GenerateRandom";

	rv = p->f->C_GenerateRandom(s, buf, sizeof(buf));
	if (rv == CKR_OK) {
		/* khsm serves digests to a logged-in user only */
		what = "C_Login";
		rv = p->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
				   strlen(BENCH_USER_PIN));
		if (rv == CKR_USER_ALREADY_LOGGED_IN)
			rv = CKR_OK;
	}
	if (rv == CKR_OK) {
		what = "C_DigestInit";
		rv = p->f->C_DigestInit(s, &sha);
	}
	if (rv == CKR_OK) {
		what = "C_Digest";
		rv = p->f->C_Digest(s, buf, sizeof(buf), md, &mdlen);
	}
	printf("  %s: random, login, digest: %s", who,
	       rv == CKR_OK ? "OK" : what);
	if (rv != CKR_OK)
		printf(" %s", khsm_rv_name(rv));
	rv = create(p, s, 0, &h);
	printf("; create object: %s\n", khsm_rv_name(rv));
	if (rv == CKR_OK)
		p->f->C_DestroyObject(s, h);
	return 0;
}

/* The other application: a fresh process, its own C_Initialize */
static int probe(const char *module)
{
	struct p11 p;
	CK_SESSION_HANDLE s;
	int rc = 1;

	if (p11_load(&p, module))
		return 1;
	if (!p11_token(&p)) {
		s = p11_session(&p);
		if (s) {
			rc = works(&p, s, "another application");
			p.f->C_CloseSession(s);
		}
	}
	p11_unload(&p);
	return rc;
}

static void run_probe(const char *module)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return;
	}
	if (!pid) {
		execl("/proc/self/exe", "p11bounds", "--probe", module,
		      (char *)NULL);
		perror("exec");
		_exit(127);
	}
	waitpid(pid, &st, 0);
}

static void token_memory(struct p11 *p, const char *when)
{
	CK_TOKEN_INFO ti;

	if (p->f->C_GetTokenInfo(p->slot, &ti) != CKR_OK)
		return;
	printf("  token info %s: sessions %lu/%lu, public memory free %lu of %lu\n",
	       when, ti.ulSessionCount, ti.ulMaxSessionCount,
	       ti.ulFreePublicMemory, ti.ulTotalPublicMemory);
}

int main(int argc, char **argv)
{
	size_t max = 10000000, n = 0, cap = 0;
	CK_OBJECT_HANDLE *h = NULL, one;
	CK_SESSION_HANDLE s, s2;
	struct p11 p;
	double t0;
	long seen;
	CK_RV rv = CKR_OK;
	int c;

	if (argc == 3 && !strcmp(argv[1], "--probe"))
		return probe(argv[2]);
	while ((c = getopt(argc, argv, "m:")) != -1) {
		if (c != 'm')
			goto usage;
		max = strtoul(optarg, NULL, 10);
	}
	if (optind != argc - 1)
		goto usage;
	if (p11_load(&p, argv[optind]))
		return 1;
	if (p11_token(&p))
		goto out;
	s = p11_session(&p);
	s2 = p11_session(&p);
	if (!s || !s2)
		goto out;

	printf("bounds: %s: one application creates objects until refused\n",
	       argv[optind]);
	token_memory(&p, "before");
	t0 = now();
	while (n < max) {
		if (n == cap) {
			CK_OBJECT_HANDLE *g;

			cap = cap ? 2 * cap : 65536;
			g = realloc(h, cap * sizeof(*h));
			if (!g) {
				perror("realloc");
				goto out;
			}
			h = g;
		}
		rv = create(&p, s, n, &h[n]);
		if (rv != CKR_OK)
			break;
		n++;
	}
	printf("  created %zu objects in %.1f s; then C_CreateObject: %s%s\n",
	       n, now() - t0, khsm_rv_name(rv),
	       rv == CKR_DEVICE_MEMORY ? " (the bound)" :
	       n == max ? " (stopped at -m, never refused)" : "");
	token_memory(&p, "at the bound");

	seen = count_mine(&p, s2);
	if (seen >= 0)
		printf("  objects visible to a find: %ld: %s\n", seen,
		       (size_t)seen == n ? "none half-created" :
					   "MISMATCH with the count created");
	works(&p, s2, "same application, other session");
	run_probe(argv[optind]);

	if (n) {
		p.f->C_DestroyObject(s, h[--n]);
		rv = create(&p, s, n, &one);
		printf("  after destroying one object, creating one: %s\n",
		       khsm_rv_name(rv));
		if (rv == CKR_OK)
			n++;
	}
	t0 = now();
	rv = p.f->C_CloseSession(s);
	printf("  C_CloseSession of the full session (%zu objects): %s in %.2f s\n",
	       n, khsm_rv_name(rv), now() - t0);
	works(&p, s2, "after the close, same application");
	p.f->C_CloseSession(s2);
out:
	free(h);
	p11_unload(&p);
	return 0;
usage:
	fprintf(stderr, "usage: p11bounds [-m MAX] MODULE.so\n");
	return 2;
}
