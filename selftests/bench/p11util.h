/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the PKCS#11 benchmarks: load a module by path, set up
 * its token, name return values, read the clock and khsm's ioctl counter.
 */
#ifndef P11UTIL_H
#define P11UTIL_H

#include <p11-kit/pkcs11.h>
#include <stdint.h>

#include "khsm.h"	/* libkhsm: khsm_rv_name() */

#define BENCH_SO_PIN	"bench-so-pin"
#define BENCH_USER_PIN	"bench-user-pin"
#define BENCH_LABEL	"khsm-bench"

/* khsm's per-cpu ioctl counter (driver/stats.c), never reset */
#define KHSM_IOCTL_COUNTER "/sys/kernel/debug/khsm/ioctls"

struct p11 {
	void *dl;
	CK_FUNCTION_LIST_PTR f;
	CK_SLOT_ID slot;
	const char *path;
};

/* dlopen @path, C_GetFunctionList, C_Initialize with CKF_OS_LOCKING_OK */
int p11_load(struct p11 *p, const char *path);
void p11_unload(struct p11 *p);

/*
 * Pick the slot whose token carries BENCH_LABEL; else initialise the first
 * uninitialised token (C_InitToken, C_InitPIN) with the bench PINs.
 */
int p11_token(struct p11 *p);

/* Open a R/W session on the bench slot; 0 on failure (printed) */
CK_SESSION_HANDLE p11_session(struct p11 *p);
int p11_login(struct p11 *p, CK_SESSION_HANDLE s);

/* Print "what: CKR_..." to stderr; return -1 unless rv is CKR_OK */
int p11_check(const char *what, CK_RV rv);

double now(void);

/* Sum of khsm's ioctl counter, or -1 when not readable */
long long ioctl_count(void);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* P11UTIL_H */
