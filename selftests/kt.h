/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kt: what every khsm selftest shares.  Plain helpers over libkhsm that
 * return the call's CK_RV (kt.c), and, when the kselftest harness is
 * included first, assertions and fixtures built on them.
 *
 * PKCS#11 constants come from p11-kit's <pkcs11.h>, not from driver/ck.h, so
 * a wrong number in the kernel's table shows up as a failing test.
 */
#ifndef KT_H
#define KT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <p11-kit/pkcs11.h>
#include <linux/khsm.h>
#include "khsm.h"

/* The token state every test program starts from (kt_token_reset). */
#define KT_SO_PIN	"khsm-test-so-pin"
#define KT_USER_PIN	"khsm-test-user-pin"
#define KT_LABEL	"khsm selftest"

#define KT_RW		(CKF_SERIAL_SESSION | CKF_RW_SESSION)
#define KT_RO		CKF_SERIAL_SESSION

#define KT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KT_PTR(p)	((__u64)(uintptr_t)(p))

/* A template under construction: attributes and the storage of their values */
struct kt_tmpl {
	struct khsm_attr a[KHSM_MAX_TEMPLATE + 4];
	size_t n;
	size_t used;
	unsigned char store[16384];
};

void kt_tmpl_init(struct kt_tmpl *t);
void kt_bool(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, int v);
void kt_ulong(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v);
void kt_bytes(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *p,
	      size_t len);
void kt_str(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, const char *s);
/* An attribute with a value buffer of @len bytes, for get-attribute */
void kt_buf(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, size_t len);

const char *kt_mech_name(CK_MECHANISM_TYPE m);

/* /dev/hsm present?  Opened with the ABI checked, or -1 */
int kt_device_present(void);
int kt_open(void);

/* Module parameter under /sys/module/khsm/parameters, or @def */
long kt_modparam(const char *name, long def);

/* Token and PINs */
CK_RV kt_init_token(int fd, const char *so_pin, const char *label);
CK_RV kt_token_info(int fd, struct khsm_token_info *ti);
/* ... once object memory stopped moving (frees land after RCU) */
CK_RV kt_token_info_settled(int fd, struct khsm_token_info *ti);
CK_RV kt_init_pin(int fd, __u32 s, const char *pin);
CK_RV kt_set_pin(int fd, __u32 s, const char *old_pin, const char *new_pin);
/* init token (KT_SO_PIN), SO login, init user PIN (KT_USER_PIN), close */
CK_RV kt_token_reset(int fd);

/* Sessions */
CK_RV kt_session(int fd, __u32 flags, __u32 *s);
CK_RV kt_close(int fd, __u32 s);
CK_RV kt_close_all(int fd);
CK_RV kt_session_info(int fd, __u32 s, struct khsm_session_info *si);
CK_RV kt_login(int fd, __u32 s, CK_USER_TYPE user, const char *pin);
CK_RV kt_logout(int fd, __u32 s);

/* Objects */
CK_RV kt_create(int fd, __u32 s, const struct kt_tmpl *t, __u64 *h);
CK_RV kt_copy(int fd, __u32 s, __u64 obj, const struct kt_tmpl *t,
	      __u64 *h);
CK_RV kt_destroy(int fd, __u32 s, __u64 obj);
CK_RV kt_object_size(int fd, __u32 s, __u64 obj, __u64 *size);
CK_RV kt_generate(int fd, __u32 s, CK_MECHANISM_TYPE m,
		  const struct kt_tmpl *t, __u64 *h);
CK_RV kt_get(int fd, __u32 s, __u64 obj, struct kt_tmpl *t);
CK_RV kt_set(int fd, __u32 s, __u64 obj, const struct kt_tmpl *t);
CK_RV kt_get_ulong(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		   CK_ULONG *v);
CK_RV kt_get_bool(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		  int *v);
CK_RV kt_get_bytes(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		   void *buf, __u64 *len);
CK_RV kt_set_bool(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		  int v);
/* find init + find (up to @max) + find final */
CK_RV kt_find_all(int fd, __u32 s, const struct kt_tmpl *t, __u64 *handles,
		  size_t max, size_t *count);
/*
 * A secret key object of @key_type from a raw value, every usage flag TRUE,
 * session object, not sensitive, extractable.
 */
CK_RV kt_secret(int fd, __u32 s, CK_KEY_TYPE key_type, const void *key,
		size_t len, __u64 *h);

/* Operations */
CK_RV kt_op_init(int fd, __u32 s, __u32 op, __u64 key, CK_MECHANISM_TYPE m,
		 const void *param, size_t plen);
CK_RV kt_oneshot(int fd, __u32 s, __u32 op, const void *in, size_t inlen,
		 void *out, __u64 *outlen);
CK_RV kt_update(int fd, __u32 s, __u32 op, const void *in, size_t inlen,
		void *out, __u64 *outlen);
CK_RV kt_final(int fd, __u32 s, __u32 op, void *out, __u64 *outlen);
CK_RV kt_cancel(int fd, __u32 s, __u32 ops);
CK_RV kt_random(int fd, __u32 s, void *buf, size_t len);

/* errno of the last call that failed in transport, else 0 */
#define KT_ERRNO(call) ({ errno = 0; (void)(call); errno; })

#ifdef __KSELFTEST_HARNESS_H
/*
 * Harness-side helpers.  The VM is slow (TCG): allow every test minutes, not
 * the harness's default 30 s.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

/* Assert/expect a CK_RV, naming both values when they differ */
#define ASSERT_RV(want, call) do {					\
	CK_RV __w = (want), __g = (call);				\
	ASSERT_EQ(__w, __g) TH_LOG("%s: want %s, got %s", #call,	\
				   khsm_rv_name(__w), khsm_rv_name(__g));	\
} while (0)
#define EXPECT_RV(want, call) do {					\
	CK_RV __w = (want), __g = (call);				\
	EXPECT_EQ(__w, __g) TH_LOG("%s: want %s, got %s", #call,	\
				   khsm_rv_name(__w), khsm_rv_name(__g));	\
} while (0)
#define ASSERT_OK(call)	ASSERT_RV(CKR_OK, call)
#define EXPECT_OK(call)	EXPECT_RV(CKR_OK, call)

/*
 * The usual test state: @fd is an application, @s a R/W session with the
 * normal user logged in.
 */
static inline void kt_setup_user(struct __test_metadata *_metadata, int *fd,
				 __u32 *s)
{
	*fd = kt_open();
	ASSERT_LE(0, *fd) TH_LOG("open /dev/hsm: %s", strerror(errno));
	ASSERT_OK(kt_session(*fd, KT_RW, s));
	ASSERT_OK(kt_login(*fd, *s, CKU_USER, KT_USER_PIN));
}

/*
 * main() of every test program: skip (exit 4) without /dev/hsm; put the
 * token in the known state; run the harness.
 */
#define KT_MAIN								\
int main(int argc, char **argv)						\
{									\
	int __fd;							\
	CK_RV __rv;							\
									\
	if (!kt_device_present()) {					\
		ksft_print_header();					\
		ksft_exit_skip("%s absent\n", KHSM_DEVICE);		\
	}								\
	__fd = kt_open();						\
	if (__fd < 0)							\
		ksft_exit_fail_msg("open %s: %s\n", KHSM_DEVICE,	\
				   strerror(errno));			\
	__rv = kt_token_reset(__fd);					\
	khsm_close(__fd);						\
	if (__rv != CKR_OK)						\
		ksft_exit_fail_msg("token reset: %s\n", khsm_rv_name(__rv)); \
	return test_harness_run(argc, argv);				\
}
#endif /* __KSELFTEST_HARNESS_H */

#endif /* KT_H */
