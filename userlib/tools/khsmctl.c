// SPDX-License-Identifier: GPL-2.0
/*
 * khsmctl: a small admin and demo tool for /dev/hsm, on libkhsm.
 *
 *   khsmctl init-token [-l LABEL]   initialise the token: SO PIN, user PIN
 *   khsmctl info                    ABI version and token information
 *   khsmctl mechs                   mechanisms and what they serve
 *   khsmctl demo                    generate an AES key, encrypt and decrypt,
 *                                   make and check an HMAC, saying what it does
 *
 * PINs come from -s SO_PIN / -u USER_PIN, else from $KHSM_SO_PIN and
 * $KHSM_USER_PIN.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#include "khsm.h"

#define PTR(p)	((__u64)(unsigned long)(p))

static const char *so_pin, *user_pin, *label = "khsm";

static const struct { unsigned long v; const char *name; } mech_names[] = {
	{ CKM_AES_KEY_GEN, "CKM_AES_KEY_GEN" },
	{ CKM_GENERIC_SECRET_KEY_GEN, "CKM_GENERIC_SECRET_KEY_GEN" },
	{ CKM_AES_ECB, "CKM_AES_ECB" },
	{ CKM_AES_CBC, "CKM_AES_CBC" },
	{ CKM_AES_CBC_PAD, "CKM_AES_CBC_PAD" },
	{ CKM_AES_CTR, "CKM_AES_CTR" },
	{ CKM_AES_GCM, "CKM_AES_GCM" },
	{ CKM_AES_CMAC, "CKM_AES_CMAC" },
	{ CKM_AES_CMAC_GENERAL, "CKM_AES_CMAC_GENERAL" },
	{ CKM_AES_KEY_WRAP, "CKM_AES_KEY_WRAP" },
	{ CKM_AES_KEY_WRAP_PAD, "CKM_AES_KEY_WRAP_PAD" },
	{ CKM_SHA_1, "CKM_SHA_1" },
	{ CKM_SHA224, "CKM_SHA224" },
	{ CKM_SHA256, "CKM_SHA256" },
	{ CKM_SHA384, "CKM_SHA384" },
	{ CKM_SHA512, "CKM_SHA512" },
	{ CKM_SHA_1_HMAC, "CKM_SHA_1_HMAC" },
	{ CKM_SHA224_HMAC, "CKM_SHA224_HMAC" },
	{ CKM_SHA256_HMAC, "CKM_SHA256_HMAC" },
	{ CKM_SHA384_HMAC, "CKM_SHA384_HMAC" },
	{ CKM_SHA512_HMAC, "CKM_SHA512_HMAC" },
	{ CKM_SHA_1_HMAC_GENERAL, "CKM_SHA_1_HMAC_GENERAL" },
	{ CKM_SHA224_HMAC_GENERAL, "CKM_SHA224_HMAC_GENERAL" },
	{ CKM_SHA256_HMAC_GENERAL, "CKM_SHA256_HMAC_GENERAL" },
	{ CKM_SHA384_HMAC_GENERAL, "CKM_SHA384_HMAC_GENERAL" },
	{ CKM_SHA512_HMAC_GENERAL, "CKM_SHA512_HMAC_GENERAL" },
	{ CKM_EC_KEY_PAIR_GEN, "CKM_EC_KEY_PAIR_GEN" },
	{ CKM_ECDSA, "CKM_ECDSA" },
	{ CKM_ECDSA_SHA256, "CKM_ECDSA_SHA256" },
	{ CKM_RSA_PKCS_KEY_PAIR_GEN, "CKM_RSA_PKCS_KEY_PAIR_GEN" },
	{ CKM_RSA_PKCS, "CKM_RSA_PKCS" },
	{ CKM_RSA_PKCS_PSS, "CKM_RSA_PKCS_PSS" },
	{ CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS" },
};

static const struct { unsigned long v; const char *name; } flag_names[] = {
	{ CKF_ENCRYPT, "encrypt" }, { CKF_DECRYPT, "decrypt" },
	{ CKF_DIGEST, "digest" }, { CKF_SIGN, "sign" },
	{ CKF_VERIFY, "verify" }, { CKF_GENERATE, "generate" },
	{ CKF_GENERATE_KEY_PAIR, "generate-key-pair" },
	{ CKF_WRAP, "wrap" }, { CKF_UNWRAP, "unwrap" },
	{ CKF_DERIVE, "derive" }, { CKF_HW, "hw" },
};

static const struct { unsigned long v; const char *name; } token_flags[] = {
	{ CKF_RNG, "rng" }, { CKF_WRITE_PROTECTED, "write-protected" },
	{ CKF_LOGIN_REQUIRED, "login-required" },
	{ CKF_USER_PIN_INITIALIZED, "user-pin-initialized" },
	{ CKF_CLOCK_ON_TOKEN, "clock" },
	{ CKF_TOKEN_INITIALIZED, "token-initialized" },
	{ CKF_USER_PIN_COUNT_LOW, "user-pin-count-low" },
	{ CKF_USER_PIN_FINAL_TRY, "user-pin-final-try" },
	{ CKF_USER_PIN_LOCKED, "user-pin-locked" },
	{ CKF_SO_PIN_COUNT_LOW, "so-pin-count-low" },
	{ CKF_SO_PIN_FINAL_TRY, "so-pin-final-try" },
	{ CKF_SO_PIN_LOCKED, "so-pin-locked" },
};

#define NAME_OF(table, val, buf) ({					\
	const char *__n = NULL;						\
	size_t __i;							\
	for (__i = 0; __i < sizeof(table) / sizeof(table[0]); __i++)	\
		if (table[__i].v == (val))				\
			__n = table[__i].name;				\
	if (!__n) {							\
		snprintf(buf, sizeof(buf), "0x%lx", (unsigned long)(val)); \
		__n = buf;						\
	}								\
	__n;								\
})

static const char *mech_name(unsigned long m)
{
	static char buf[24];

	return NAME_OF(mech_names, m, buf);
}

static void print_flags(unsigned long flags, const void *table, size_t n)
{
	const struct { unsigned long v; const char *name; } *t = table;
	size_t i;

	for (i = 0; i < n; i++)
		if (flags & t[i].v)
			printf(" %s", t[i].name);
}

static void hex(const char *what, const unsigned char *b, size_t n)
{
	size_t i;

	printf("  %-12s", what);
	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

/* Report a failed call and exit */
static void check(unsigned long rv, const char *what)
{
	if (rv == CKR_OK)
		return;
	fprintf(stderr, "khsmctl: %s: %s", what, khsm_rv_name(rv));
	if (errno)
		fprintf(stderr, " (%s)", strerror(errno));
	fprintf(stderr, "\n");
	exit(1);
}

static int dev_open(void)
{
	int fd = khsm_open(NULL);

	if (fd < 0) {
		fprintf(stderr, "khsmctl: %s: %s\n", KHSM_DEVICE,
			errno == EPROTO ? "unknown ABI version" :
			strerror(errno));
		exit(1);
	}
	return fd;
}

static const char *need_pin(const char *pin, const char *env, const char *opt)
{
	if (!pin)
		pin = getenv(env);
	if (!pin || !*pin) {
		fprintf(stderr, "khsmctl: give %s or set $%s\n", opt, env);
		exit(2);
	}
	return pin;
}

static __u32 open_session(int fd)
{
	struct khsm_open_session os = {
		.hdr.flags = CKF_SERIAL_SESSION | CKF_RW_SESSION,
	};

	errno = 0;
	check(khsm_open_session(fd, &os), "open session");
	return os.handle;
}

static void login(int fd, __u32 s, unsigned long user, const char *pin)
{
	struct khsm_login l = { .hdr.session = s, .user_type = user };

	l.pin = PTR(pin);
	l.pin_len = strlen(pin);
	errno = 0;
	check(khsm_login(fd, &l), user == CKU_SO ? "SO login" : "user login");
}

/* ---- init-token ------------------------------------------------------- */

static int cmd_init_token(void)
{
	struct khsm_init_token it = { 0 };
	struct khsm_pin ip = { 0 };
	struct khsm_session_req req = { 0 };
	size_t n = strlen(label);
	int fd = dev_open();
	__u32 s;

	so_pin = need_pin(so_pin, "KHSM_SO_PIN", "-s SO_PIN");
	user_pin = need_pin(user_pin, "KHSM_USER_PIN", "-u USER_PIN");
	memset(it.label, ' ', sizeof(it.label));
	memcpy(it.label, label, n < sizeof(it.label) ? n : sizeof(it.label));
	it.so_pin = PTR(so_pin);
	it.so_pin_len = strlen(so_pin);
	errno = 0;
	check(khsm_init_token(fd, &it), "init token");
	printf("token initialised, label \"%.*s\"\n", (int)sizeof(it.label),
	       it.label);

	s = open_session(fd);
	login(fd, s, CKU_SO, so_pin);
	ip.hdr.session = s;
	ip.new_pin = PTR(user_pin);
	ip.new_pin_len = strlen(user_pin);
	errno = 0;
	check(khsm_init_pin(fd, &ip), "init user PIN");
	printf("user PIN set\n");
	req.hdr.session = s;
	khsm_logout(fd, &req);
	khsm_close(fd);
	return 0;
}

/* ---- info --------------------------------------------------------------- */

static int cmd_info(void)
{
	struct khsm_version v = { 0 };
	struct khsm_token_info ti = { 0 };
	int fd = dev_open();

	errno = 0;
	check(khsm_version(fd, &v), "version");
	check(khsm_token_info(fd, &ti), "token info");
	printf("module:        %s (ABI %u)\n", v.module_version, v.abi_version);
	printf("limits:        %u sessions, %u objects per application\n",
	       v.max_sessions, v.max_objects);
	printf("label:         %.32s\n", ti.label);
	printf("manufacturer:  %.32s\n", ti.manufacturer);
	printf("model:         %.16s\n", ti.model);
	printf("serial:        %.16s\n", ti.serial);
	printf("flags:        ");
	print_flags(ti.flags, token_flags,
		    sizeof(token_flags) / sizeof(token_flags[0]));
	printf("\n");
	printf("sessions:      %llu open (%llu R/W), at most %llu (%llu R/W)\n",
	       (unsigned long long)ti.session_count,
	       (unsigned long long)ti.rw_session_count,
	       (unsigned long long)ti.max_session_count,
	       (unsigned long long)ti.max_rw_session_count);
	printf("PIN length:    %llu..%llu\n",
	       (unsigned long long)ti.min_pin_len,
	       (unsigned long long)ti.max_pin_len);
	if (ti.total_private_memory != KHSM_UNAVAILABLE)
		printf("memory:        %llu of %llu bytes free\n",
		       (unsigned long long)ti.free_private_memory,
		       (unsigned long long)ti.total_private_memory);
	printf("versions:      hardware %u.%u, firmware %u.%u\n",
	       ti.hw_version[0], ti.hw_version[1], ti.fw_version[0],
	       ti.fw_version[1]);
	khsm_close(fd);
	return 0;
}

/* ---- mechs --------------------------------------------------------------- */

static int cmd_mechs(void)
{
	struct khsm_mech_list ml = { 0 };
	__u64 m[KHSM_MAX_MECHS];
	int fd = dev_open();
	__u64 i;

	ml.mechs = PTR(m);
	ml.count = KHSM_MAX_MECHS;
	errno = 0;
	check(khsm_mech_list(fd, &ml), "mechanism list");
	for (i = 0; i < ml.count; i++) {
		struct khsm_mech_info mi = { .type = m[i] };

		check(khsm_mech_info(fd, &mi), "mechanism info");
		if (mi.max_key_size)
			printf("%-28s key %4llu..%-5llu", mech_name(m[i]),
			       (unsigned long long)mi.min_key_size,
			       (unsigned long long)mi.max_key_size);
		else	/* digests take no key */
			printf("%-28s %-15s", mech_name(m[i]), "no key");
		print_flags(mi.flags, flag_names,
			    sizeof(flag_names) / sizeof(flag_names[0]));
		printf("\n");
	}
	khsm_close(fd);
	return 0;
}

/* ---- demo ---------------------------------------------------------------- */

struct attr_buf {
	struct khsm_attr a[8];
	unsigned int n;
};

static void attr(struct attr_buf *t, __u64 type, const void *v, __u64 len)
{
	t->a[t->n].type = type;
	t->a[t->n].value = PTR(v);
	t->a[t->n].len = len;
	t->n++;
}

static __u64 generate(int fd, __u32 s, unsigned long mech, __u64 len,
		      __u64 usage1, __u64 usage2, const char *lbl)
{
	static const CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	struct khsm_object_req r = { .hdr.session = s };
	struct attr_buf t = { .n = 0 };
	__u64 vlen = len;

	attr(&t, CKA_VALUE_LEN, &vlen, sizeof(vlen));
	attr(&t, CKA_SENSITIVE, &yes, 1);
	attr(&t, CKA_EXTRACTABLE, &no, 1);
	attr(&t, usage1, &yes, 1);
	attr(&t, usage2, &yes, 1);
	attr(&t, CKA_LABEL, lbl, strlen(lbl));
	r.mech.type = mech;
	r.attrs = PTR(t.a);
	r.count = t.n;
	errno = 0;
	check(khsm_generate_key(fd, &r), "generate key");
	return r.handle;
}

static unsigned long op_init(int fd, __u32 s, __u32 op, __u64 key,
			     unsigned long mech, const void *param,
			     __u64 plen)
{
	struct khsm_op_init a = { .hdr.session = s, .op = op, .key = key };

	a.mech.type = mech;
	a.mech.param = PTR(param);
	a.mech.param_len = plen;
	errno = 0;
	return khsm_op_init(fd, &a);
}

static unsigned long oneshot(int fd, __u32 s, __u32 op, const void *in,
			     __u64 inlen, void *out, __u64 *outlen)
{
	struct khsm_op_data a = { .hdr.session = s, .op = op };
	unsigned long rv;

	a.in = PTR(in);
	a.in_len = inlen;
	a.out = PTR(out);
	a.out_len = *outlen;
	errno = 0;
	rv = khsm_op_oneshot(fd, &a);
	*outlen = a.out_len;
	return rv;
}

static int cmd_demo(void)
{
	static const char msg[] = "Keys are born, used and destroyed inside "
				  "the kernel.";
	unsigned char iv[12], ct[128], pt[128], mac[32], secret[32];
	struct khsm_gcm_params gp = { 0 };
	struct khsm_random rnd = { 0 };
	struct khsm_attr va;
	struct khsm_attrs ga = { 0 };
	int fd = dev_open();
	__u64 aes, hk, n;
	unsigned long rv;
	__u32 s;

	user_pin = need_pin(user_pin, "KHSM_USER_PIN", "-u USER_PIN");
	s = open_session(fd);
	login(fd, s, CKU_USER, user_pin);
	printf("logged in as the user in session %u\n", s);

	aes = generate(fd, s, CKM_AES_KEY_GEN, 32, CKA_ENCRYPT, CKA_DECRYPT,
		       "demo-aes");
	printf("generated AES-256 key, handle %llu (sensitive, not "
	       "extractable)\n", (unsigned long long)aes);

	/* the key's value never leaves the kernel */
	va.type = CKA_VALUE;
	va.value = PTR(secret);
	va.len = sizeof(secret);
	ga.hdr.session = s;
	ga.object = aes;
	ga.attrs = PTR(&va);
	ga.count = 1;
	errno = 0;
	rv = khsm_get_attrs(fd, &ga);
	printf("reading its CKA_VALUE: %s\n", khsm_rv_name(rv));
	if (rv != CKR_ATTRIBUTE_SENSITIVE)
		return 1;

	rnd.hdr.session = s;
	rnd.buf = PTR(iv);
	rnd.len = sizeof(iv);
	check(khsm_generate_random(fd, &rnd), "random IV");
	gp.iv = PTR(iv);
	gp.iv_len = sizeof(iv);
	gp.iv_bits = sizeof(iv) * 8;
	gp.aad = PTR("khsm-demo");
	gp.aad_len = 9;
	gp.tag_bits = 128;

	printf("encrypting with CKM_AES_GCM:\n");
	printf("  %-12s\"%s\"\n", "plaintext", msg);
	hex("iv", iv, sizeof(iv));
	check(op_init(fd, s, KHSM_OP_ENCRYPT, aes, CKM_AES_GCM, &gp,
		      sizeof(gp)), "encrypt init");
	n = sizeof(ct);
	check(oneshot(fd, s, KHSM_OP_ENCRYPT, msg, strlen(msg), ct, &n),
	      "encrypt");
	hex("ciphertext", ct, n - 16);
	hex("tag", ct + n - 16, 16);

	check(op_init(fd, s, KHSM_OP_DECRYPT, aes, CKM_AES_GCM, &gp,
		      sizeof(gp)), "decrypt init");
	{
		__u64 m = sizeof(pt);

		check(oneshot(fd, s, KHSM_OP_DECRYPT, ct, n, pt, &m),
		      "decrypt");
		printf("decrypted: \"%.*s\" -> %s\n", (int)m, pt,
		       m == strlen(msg) && !memcmp(pt, msg, m) ?
		       "matches" : "DIFFERS");
		if (m != strlen(msg) || memcmp(pt, msg, m))
			return 1;
	}
	ct[0] ^= 1;
	check(op_init(fd, s, KHSM_OP_DECRYPT, aes, CKM_AES_GCM, &gp,
		      sizeof(gp)), "decrypt init");
	{
		__u64 m = sizeof(pt);

		rv = oneshot(fd, s, KHSM_OP_DECRYPT, ct, n, pt, &m);
		printf("decrypting with one bit flipped: %s\n", khsm_rv_name(rv));
		if (rv != CKR_ENCRYPTED_DATA_INVALID)
			return 1;
	}

	hk = generate(fd, s, CKM_GENERIC_SECRET_KEY_GEN, 32, CKA_SIGN,
		      CKA_VERIFY, "demo-hmac");
	printf("generated a 256-bit HMAC key, handle %llu\n",
	       (unsigned long long)hk);
	check(op_init(fd, s, KHSM_OP_SIGN, hk, CKM_SHA256_HMAC, NULL, 0),
	      "sign init");
	n = sizeof(mac);
	check(oneshot(fd, s, KHSM_OP_SIGN, msg, strlen(msg), mac, &n), "sign");
	printf("CKM_SHA256_HMAC of the plaintext:\n");
	hex("mac", mac, n);
	check(op_init(fd, s, KHSM_OP_VERIFY, hk, CKM_SHA256_HMAC, NULL, 0),
	      "verify init");
	rv = oneshot(fd, s, KHSM_OP_VERIFY, msg, strlen(msg), mac, &n);
	printf("verifying the MAC: %s\n", khsm_rv_name(rv));
	if (rv != CKR_OK)
		return 1;
	mac[5] ^= 0x20;
	check(op_init(fd, s, KHSM_OP_VERIFY, hk, CKM_SHA256_HMAC, NULL, 0),
	      "verify init");
	rv = oneshot(fd, s, KHSM_OP_VERIFY, msg, strlen(msg), mac, &n);
	printf("verifying a tampered MAC: %s\n", khsm_rv_name(rv));
	if (rv != CKR_SIGNATURE_INVALID)
		return 1;

	khsm_close(fd);
	printf("closed /dev/hsm: the session keys are destroyed with it\n");
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: khsmctl [-s SO_PIN] [-u USER_PIN] [-l LABEL] COMMAND\n"
		"commands: init-token, info, mechs, demo\n"
		"PINs also from $KHSM_SO_PIN and $KHSM_USER_PIN\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cmd;
	int c;

	while ((c = getopt(argc, argv, "s:u:l:h")) != -1) {
		switch (c) {
		case 's':
			so_pin = optarg;
			break;
		case 'u':
			user_pin = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	cmd = argv[optind];
	if (!strcmp(cmd, "init-token"))
		return cmd_init_token();
	if (!strcmp(cmd, "info"))
		return cmd_info();
	if (!strcmp(cmd, "mechs"))
		return cmd_mechs();
	if (!strcmp(cmd, "demo"))
		return cmd_demo();
	usage();
	return 2;
}
