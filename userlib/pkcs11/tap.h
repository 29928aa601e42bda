/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TAP output for the library's own test programs (test-*.c). */
#ifndef KHSM_P11_TAP_H
#define KHSM_P11_TAP_H

#include <stdio.h>

static int tap_failed, tap_count;

#define CHECK(cond, ...) do {						\
	tap_count++;							\
	if (cond) {							\
		printf("ok %d - ", tap_count);				\
	} else {							\
		tap_failed++;						\
		printf("not ok %d - ", tap_count);			\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

#define CHECK_RV(call, want) do {					\
	CK_RV got_ = (call);						\
	CHECK(got_ == (CK_RV)(want), "%s == %s (got 0x%lx)",		\
	      #call, #want, got_);					\
} while (0)

/* Print the plan; the exit status of the program */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif /* KHSM_P11_TAP_H */
