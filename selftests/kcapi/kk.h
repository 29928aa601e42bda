/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kk: key objects for the crypto API tests.  Builds on kt (selftests/kt.h):
 * log in, create or generate a secret key that the kernel may use
 * (KHSM_CKA_KERNEL_USE), mint its key token (KHSM_IOC_KEY_TOKEN), and hex.
 */
#ifndef KK_H
#define KK_H

#include <stdint.h>
#include <stddef.h>
#include "../kt.h"

#define KK_TOKEN_LEN	32	/* Documentation/crypto-api.rst */

/* What a key object allows; kk_key_defaults() gives "everything" */
struct kk_key {
	CK_KEY_TYPE type;		/* CKK_AES, CKK_GENERIC_SECRET */
	int kernel_use;
	int token;			/* CKA_TOKEN */
	int private_obj;		/* CKA_PRIVATE */
	int encrypt, decrypt, sign, verify;
	CK_MECHANISM_TYPE allowed;	/* one CKA_ALLOWED_MECHANISMS, or 0 */
};

void kk_key_defaults(struct kk_key *k, CK_KEY_TYPE type);

/* /dev/hsm with a R/W session, normal user logged in; -1 and a message */
int kk_login(__u32 *s);
/* A key object of @k with value @val (@len bytes) */
CK_RV kk_create(int fd, __u32 s, const struct kk_key *k, const void *val,
		size_t len, __u64 *h);
/* An AES key of @bytes generated inside the module, never extractable */
CK_RV kk_generate_aes(int fd, __u32 s, const struct kk_key *k, size_t bytes,
		      __u64 *h);
/* KHSM_IOC_KEY_TOKEN; *@len in: buffer size, out: token length */
CK_RV kk_mint(int fd, __u32 s, __u64 h, void *buf, __u64 *len);

/* hex <-> bytes; kk_unhex returns the length or -1 */
long kk_unhex(const char *hex, uint8_t *out, size_t max);
void kk_hex(const uint8_t *p, size_t len, char *out);

#endif /* KK_H */
