// SPDX-License-Identifier: GPL-2.0
/* kk: key objects and key tokens for the crypto API tests.  See kk.h. */
#include <stdio.h>
#include <string.h>
#include <errno.h>

#include "kk.h"

void kk_key_defaults(struct kk_key *k, CK_KEY_TYPE type)
{
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->kernel_use = 1;
	k->token = 1;
	k->private_obj = 1;
	k->encrypt = k->decrypt = 1;
	k->sign = k->verify = type != CKK_AES;
}

int kk_login(__u32 *s)
{
	int fd = kt_open();
	CK_RV rv;

	if (fd < 0) {
		fprintf(stderr, "kk: open %s: %s\n", KHSM_DEVICE,
			strerror(errno));
		return -1;
	}
	rv = kt_session(fd, KT_RW, s);
	if (rv == CKR_OK)
		rv = kt_login(fd, *s, CKU_USER, KT_USER_PIN);
	if (rv != CKR_OK) {
		fprintf(stderr, "kk: session/login: %s\n", khsm_rv_name(rv));
		khsm_close(fd);
		return -1;
	}
	return fd;
}

static void kk_attrs(struct kt_tmpl *t, const struct kk_key *k)
{
	kt_ulong(t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(t, CKA_KEY_TYPE, k->type);
	kt_bool(t, CKA_TOKEN, k->token);
	kt_bool(t, CKA_PRIVATE, k->private_obj);
	kt_bool(t, CKA_SENSITIVE, 1);
	kt_bool(t, CKA_EXTRACTABLE, 0);
	kt_bool(t, CKA_ENCRYPT, k->encrypt);
	kt_bool(t, CKA_DECRYPT, k->decrypt);
	kt_bool(t, CKA_SIGN, k->sign);
	kt_bool(t, CKA_VERIFY, k->verify);
	kt_bool(t, KHSM_CKA_KERNEL_USE, k->kernel_use);
	if (k->allowed)
		kt_ulong(t, CKA_ALLOWED_MECHANISMS, k->allowed);
}

CK_RV kk_create(int fd, __u32 s, const struct kk_key *k, const void *val,
		size_t len, __u64 *h)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kk_attrs(&t, k);
	kt_bytes(&t, CKA_VALUE, val, len);
	return kt_create(fd, s, &t, h);
}

CK_RV kk_generate_aes(int fd, __u32 s, const struct kk_key *k, size_t bytes,
		      __u64 *h)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kk_attrs(&t, k);
	kt_ulong(&t, CKA_VALUE_LEN, bytes);
	return kt_generate(fd, s, CKM_AES_KEY_GEN, &t, h);
}

CK_RV kk_mint(int fd, __u32 s, __u64 h, void *buf, __u64 *len)
{
	struct khsm_key_token a = { .hdr.session = s, .object = h };
	CK_RV rv;

	a.token = KT_PTR(buf);
	a.token_len = *len;
	rv = khsm_call(fd, KHSM_IOC_KEY_TOKEN, &a.hdr, sizeof(a));
	*len = a.token_len;
	return rv;
}

static int kk_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long kk_unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = kk_nibble(hex[2 * i]), lo = kk_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

void kk_hex(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}
