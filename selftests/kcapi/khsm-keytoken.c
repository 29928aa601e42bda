// SPDX-License-Identifier: GPL-2.0
/*
 * khsm-keytoken: make a key that the kernel may use, and its key token.
 *
 *   khsm-keytoken reset                    token init, user PIN (test state)
 *   khsm-keytoken create aes|generic HEX [OPT...]   -> "HANDLE TOKEN"
 *   khsm-keytoken generate aes BYTES [OPT...]       -> "HANDLE TOKEN"
 *   khsm-keytoken mint HANDLE                       -> "TOKEN"
 *   khsm-keytoken destroy HANDLE
 *   khsm-keytoken set HANDLE kernel_use|encrypt|decrypt|sign 0|1
 *
 * OPT: no-kernel-use, session (CKA_TOKEN FALSE), public, no-encrypt,
 * no-decrypt, no-sign, allow=gcm|cbc|hmac256.  Keys are token objects,
 * sensitive and not extractable; the token is printed in hex.  Logs in as
 * the selftests' normal user (KT_USER_PIN).  Exit 1 with the CK_RV name on
 * stderr when the module says no, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kk.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: khsm-keytoken reset | create aes|generic HEX [OPT...] |\n"
		"       generate aes BYTES [OPT...] | mint H | destroy H |\n"
		"       set H kernel_use|encrypt|decrypt|sign 0|1\n");
	return 2;
}

static int fail(const char *what, CK_RV rv)
{
	fprintf(stderr, "khsm-keytoken: %s: %s\n", what, khsm_rv_name(rv));
	return 1;
}

static int opts(struct kk_key *k, int argc, char **argv)
{
	for (; argc > 0; argc--, argv++) {
		const char *o = *argv;

		if (!strcmp(o, "no-kernel-use"))
			k->kernel_use = 0;
		else if (!strcmp(o, "session"))
			k->token = 0;
		else if (!strcmp(o, "public"))
			k->private_obj = 0;
		else if (!strcmp(o, "no-encrypt"))
			k->encrypt = 0;
		else if (!strcmp(o, "no-decrypt"))
			k->decrypt = 0;
		else if (!strcmp(o, "no-sign"))
			k->sign = 0;
		else if (!strcmp(o, "allow=gcm"))
			k->allowed = CKM_AES_GCM;
		else if (!strcmp(o, "allow=cbc"))
			k->allowed = CKM_AES_CBC;
		else if (!strcmp(o, "allow=hmac256"))
			k->allowed = CKM_SHA256_HMAC;
		else
			return -1;
	}
	return 0;
}

static int print_token(int fd, __u32 s, __u64 h, int with_handle)
{
	uint8_t tok[KK_TOKEN_LEN];
	char hex[2 * KK_TOKEN_LEN + 1];
	__u64 len = sizeof(tok);
	CK_RV rv;

	rv = kk_mint(fd, s, h, tok, &len);
	if (rv != CKR_OK)
		return fail("key token", rv);
	kk_hex(tok, len, hex);
	if (with_handle)
		printf("%llu %s\n", (unsigned long long)h, hex);
	else
		printf("%s\n", hex);
	return 0;
}

static int cmd_reset(void)
{
	int fd = kt_open();
	CK_RV rv;

	if (fd < 0)
		return fail("open", CKR_DEVICE_REMOVED);
	rv = kt_token_reset(fd);
	khsm_close(fd);
	return rv == CKR_OK ? 0 : fail("token reset", rv);
}

static int cmd_key(int fd, __u32 s, int argc, char **argv, int generate)
{
	uint8_t val[512];
	struct kk_key k;
	__u64 h;
	long len;
	CK_RV rv;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[0], "aes"))
		kk_key_defaults(&k, CKK_AES);
	else if (!strcmp(argv[0], "generic") && !generate)
		kk_key_defaults(&k, CKK_GENERIC_SECRET);
	else
		return usage();
	if (opts(&k, argc - 2, argv + 2))
		return usage();
	if (generate) {
		len = strtol(argv[1], NULL, 0);
		rv = kk_generate_aes(fd, s, &k, (size_t)len, &h);
	} else {
		len = kk_unhex(argv[1], val, sizeof(val));
		if (len < 0)
			return usage();
		rv = kk_create(fd, s, &k, val, (size_t)len, &h);
	}
	memset(val, 0, sizeof(val));
	if (rv != CKR_OK)
		return fail(generate ? "generate" : "create", rv);
	return print_token(fd, s, h, 1);
}

static int cmd_set(int fd, __u32 s, int argc, char **argv)
{
	CK_ATTRIBUTE_TYPE type;
	CK_RV rv;

	if (argc != 3)
		return usage();
	if (!strcmp(argv[1], "kernel_use"))
		type = KHSM_CKA_KERNEL_USE;
	else if (!strcmp(argv[1], "encrypt"))
		type = CKA_ENCRYPT;
	else if (!strcmp(argv[1], "decrypt"))
		type = CKA_DECRYPT;
	else if (!strcmp(argv[1], "sign"))
		type = CKA_SIGN;
	else
		return usage();
	rv = kt_set_bool(fd, s, strtoull(argv[0], NULL, 0), type,
			 atoi(argv[2]));
	return rv == CKR_OK ? 0 : fail("set attribute", rv);
}

int main(int argc, char **argv)
{
	__u32 s;
	int fd, ret;
	CK_RV rv;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "reset"))
		return cmd_reset();

	fd = kk_login(&s);
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "create") || !strcmp(argv[1], "generate")) {
		ret = cmd_key(fd, s, argc - 2, argv + 2,
			      !strcmp(argv[1], "generate"));
	} else if (!strcmp(argv[1], "mint") && argc == 3) {
		ret = print_token(fd, s, strtoull(argv[2], NULL, 0), 0);
	} else if (!strcmp(argv[1], "destroy") && argc == 3) {
		rv = kt_destroy(fd, s, strtoull(argv[2], NULL, 0));
		ret = rv == CKR_OK ? 0 : fail("destroy", rv);
	} else if (!strcmp(argv[1], "set")) {
		ret = cmd_set(fd, s, argc - 2, argv + 2);
	} else {
		ret = usage();
	}
	khsm_close(fd);
	return ret;
}
