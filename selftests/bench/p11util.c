// SPDX-License-Identifier: GPL-2.0
/* Shared helpers of the PKCS#11 benchmarks; see p11util.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p11util.h"

int p11_check(const char *what, CK_RV rv)
{
	if (rv == CKR_OK)
		return 0;
	fprintf(stderr, "%s: %s\n", what, khsm_rv_name(rv));
	return -1;
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

long long ioctl_count(void)
{
	long long n = -1;
	FILE *f = fopen(KHSM_IOCTL_COUNTER, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

int p11_load(struct p11 *p, const char *path)
{
	CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
	CK_C_GetFunctionList get;

	memset(p, 0, sizeof(*p));
	p->path = path;
	p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!p->dl) {
		fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
		return -1;
	}
	get = (CK_C_GetFunctionList)dlsym(p->dl, "C_GetFunctionList");
	if (!get) {
		fprintf(stderr, "%s: no C_GetFunctionList\n", path);
		goto err;
	}
	if (p11_check("C_GetFunctionList", get(&p->f)))
		goto err;
	if (p11_check("C_Initialize", p->f->C_Initialize(&args)))
		goto err;
	return 0;
err:
	dlclose(p->dl);
	p->dl = NULL;
	return -1;
}

void p11_unload(struct p11 *p)
{
	if (!p->dl)
		return;
	p->f->C_Finalize(NULL);
	dlclose(p->dl);
	p->dl = NULL;
}

static void pad32(CK_UTF8CHAR out[32], const char *s)
{
	size_t n = strlen(s);

	memset(out, ' ', 32);
	memcpy(out, s, n < 32 ? n : 32);
}

static int init_token(struct p11 *p, CK_SLOT_ID slot)
{
	CK_FUNCTION_LIST_PTR f = p->f;
	CK_UTF8CHAR label[32];
	CK_SESSION_HANDLE s;
	CK_RV rv;

	pad32(label, BENCH_LABEL);
	rv = f->C_InitToken(slot, (CK_UTF8CHAR_PTR)BENCH_SO_PIN,
			    strlen(BENCH_SO_PIN), label);
	if (p11_check("C_InitToken", rv))
		return -1;
	rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
			      NULL, NULL, &s);
	if (p11_check("C_OpenSession (SO)", rv))
		return -1;
	rv = f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR)BENCH_SO_PIN,
			strlen(BENCH_SO_PIN));
	if (!p11_check("C_Login (SO)", rv)) {
		rv = f->C_InitPIN(s, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
				  strlen(BENCH_USER_PIN));
		p11_check("C_InitPIN", rv);
		f->C_Logout(s);
	}
	f->C_CloseSession(s);
	return rv == CKR_OK ? 0 : -1;
}

int p11_token(struct p11 *p)
{
	CK_SLOT_ID slots[64];
	CK_ULONG n = ARRAY_SIZE(slots), i;
	CK_UTF8CHAR want[32];
	CK_TOKEN_INFO ti;
	CK_RV rv;

	rv = p->f->C_GetSlotList(CK_TRUE, slots, &n);
	if (p11_check("C_GetSlotList", rv))
		return -1;
	pad32(want, BENCH_LABEL);
	for (i = 0; i < n; i++) {
		if (p->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		if ((ti.flags & CKF_TOKEN_INITIALIZED) &&
		    !memcmp(ti.label, want, 32)) {
			p->slot = slots[i];
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (p->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK ||
		    (ti.flags & CKF_TOKEN_INITIALIZED))
			continue;
		if (init_token(p, slots[i]))
			return -1;
		p->slot = slots[i];
		return 0;
	}
	fprintf(stderr, "%s: no token labelled %s and none uninitialised\n",
		p->path, BENCH_LABEL);
	return -1;
}

CK_SESSION_HANDLE p11_session(struct p11 *p)
{
	CK_SESSION_HANDLE s = 0;
	CK_RV rv;

	rv = p->f->C_OpenSession(p->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
				 NULL, NULL, &s);
	if (p11_check("C_OpenSession", rv))
		return 0;
	return s;
}

int p11_login(struct p11 *p, CK_SESSION_HANDLE s)
{
	CK_RV rv = p->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)BENCH_USER_PIN,
				 strlen(BENCH_USER_PIN));

	if (rv == CKR_USER_ALREADY_LOGGED_IN)
		return 0;
	return p11_check("C_Login", rv);
}
