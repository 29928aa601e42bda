// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_bench: AF_ALG throughput of the khsm crypto API drivers against the
 * kernel's own, in one run, as a table with ratios.  A benchmark, not a
 * test: it fails only if an algorithm cannot be used at all.
 *
 *   afalg_bench [-t SECONDS] [-r ROUNDS]
 *
 * Environment: KHSM_AES_TOKEN / KHSM_HMAC_TOKEN, hex key tokens of an AES
 * key and a generic secret (selftests/kcapi/build/khsm-keytoken), for the
 * gcm(khsm-aes) and hmac(khsm-sha256) columns; without them those columns
 * are left out.
 *
 * One measurement: one AF_ALG operation socket, synchronous
 * sendmsg(AAD || plaintext, op/IV/assoclen) + read(AAD || ciphertext || tag)
 * per request, 16 bytes of AAD, for SECONDS; the best of ROUNDS rounds (the
 * rounds go round all algorithms, so drift hits them alike).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_alg.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define AAD	16
#define TAG	16
#define MAXLEN	(64 * 1024)

static const size_t sizes[] = { 64, 1024, 16 * 1024, 64 * 1024 };
#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))

struct alg {
	const char *label;	/* column head */
	const char *type;	/* "aead" or "hash" */
	const char *name;	/* crypto API name (driver or cra_name) */
	uint8_t key[64];
	size_t keylen;
	int present;
	double mbs[NSIZES];	/* best MB/s */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = strlen(h), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

/* A keyed operation socket, or -1 */
static int open_op(const struct alg *a)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	int tfm, op;

	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", a->type);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", a->name);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return -1;
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(tfm, SOL_ALG, ALG_SET_KEY, a->key, a->keylen) ||
	    (!strcmp(a->type, "aead") &&
	     setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, TAG))) {
		close(tfm);
		return -1;
	}
	op = accept(tfm, NULL, 0);
	close(tfm);
	return op;
}

static int aead_once(int op, uint8_t *in, size_t len, uint8_t *out)
{
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 12) +
		  CMSG_SPACE(4)] = { 0 };
	struct iovec iov = { .iov_base = in, .iov_len = AAD + len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	struct af_alg_iv *iv;
	ssize_t n;

	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(4);
	*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(*iv) + 12);
	iv = (struct af_alg_iv *)CMSG_DATA(c);
	iv->ivlen = 12;
	memset(iv->iv, 0x5a, 12);
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	c->cmsg_len = CMSG_LEN(4);
	*(uint32_t *)CMSG_DATA(c) = AAD;

	if (sendmsg(op, &msg, 0) != (ssize_t)(AAD + len))
		return -1;
	n = read(op, out, AAD + len + TAG);
	return n == (ssize_t)(AAD + len + TAG) ? 0 : -1;
}

static int hash_once(int op, uint8_t *in, size_t len, uint8_t *out)
{
	if (send(op, in, len, 0) != (ssize_t)len)
		return -1;
	return read(op, out, 64) > 0 ? 0 : -1;
}

/* MB/s of @a at @len for about @secs, or -1 */
static double measure(const struct alg *a, size_t len, double secs,
		      uint8_t *in, uint8_t *out)
{
	int aead = !strcmp(a->type, "aead");
	double t0, t;
	long ops = 0;
	int op = open_op(a);

	if (op < 0)
		return -1;
	t0 = now();
	do {
		int i;

		for (i = 0; i < 16; i++)
			if ((aead ? aead_once(op, in, len, out) :
				    hash_once(op, in, len, out))) {
				close(op);
				return -1;
			}
		ops += 16;
		t = now() - t0;
	} while (t < secs);
	close(op);
	return ops * (double)len / t / 1e6;
}

static void table(const char *title, struct alg *algs, size_t n,
		  const char *goal)
{
	char label[32];
	size_t i, s;

	printf("\n%s\n%-8s", title, "size");
	for (i = 0; i < n; i++)
		if (algs[i].present)
			printf(" %16s", algs[i].label);
	for (i = 1; i < n; i++)
		if (algs[i].present && algs[0].present)
			printf(" %16s", algs[i].label);
	printf("\n%-8s", "");
	for (i = 0; i < n; i++)
		if (algs[i].present)
			printf(" %16s", "MB/s");
	for (i = 1; i < n; i++)
		if (algs[i].present && algs[0].present)
			printf(" %16s", "ratio");
	printf("\n");
	for (s = 0; s < NSIZES; s++) {
		if (sizes[s] < 1024)
			snprintf(label, sizeof(label), "%zu B", sizes[s]);
		else
			snprintf(label, sizeof(label), "%zu KiB",
				 sizes[s] / 1024);
		printf("%-8s", label);
		for (i = 0; i < n; i++)
			if (algs[i].present)
				printf(" %16.2f", algs[i].mbs[s]);
		for (i = 1; i < n; i++)
			if (algs[i].present && algs[0].present)
				printf(" %16.2f", algs[0].mbs[s] > 0 ?
				       algs[i].mbs[s] / algs[0].mbs[s] : 0);
		printf("\n");
	}
	printf("ratio = column / %s (%s)%s%s\n", algs[0].label, algs[0].name,
	       goal ? "; " : "", goal ? goal : "");
}

static void run(struct alg *algs, size_t n, double secs, int rounds,
		uint8_t *in, uint8_t *out)
{
	size_t i, s;
	int r;

	for (i = 0; i < n; i++) {
		int op = algs[i].keylen ? open_op(&algs[i]) : -1;

		algs[i].present = op >= 0;
		if (op >= 0)
			close(op);
		else if (algs[i].keylen)
			fprintf(stderr, "afalg_bench: %s (%s): %s\n",
				algs[i].label, algs[i].name, strerror(errno));
	}
	for (r = 0; r < rounds; r++)
		for (s = 0; s < NSIZES; s++)
			for (i = 0; i < n; i++) {
				double v;

				if (!algs[i].present)
					continue;
				v = measure(&algs[i], sizes[s], secs, in, out);
				if (v > algs[i].mbs[s])
					algs[i].mbs[s] = v;
			}
}

int main(int argc, char **argv)
{
	static uint8_t in[AAD + MAXLEN + TAG], out[AAD + MAXLEN + TAG];
	struct alg gcm[] = {
		{ .label = "gcm-aesni", .type = "aead",
		  .name = "generic-gcm-aesni" },
		{ .label = "gcm-aes-khsm", .type = "aead",
		  .name = "gcm-aes-khsm" },
		{ .label = "khsm token", .type = "aead",
		  .name = "gcm(khsm-aes)" },
		{ .label = "generic gcm", .type = "aead",
		  .name = "gcm_base(ctr(aes-generic),ghash-generic)" },
	};
	struct alg mac[] = {
		{ .label = "hmac(sha256)", .type = "hash",
		  .name = "hmac(sha256)" },
		{ .label = "hmac-sha256-khsm", .type = "hash",
		  .name = "hmac-sha256-khsm" },
		{ .label = "khsm token", .type = "hash",
		  .name = "hmac(khsm-sha256)" },
	};
	const char *tok;
	double secs = 0.3;
	int rounds = 10, c, missing = 0;
	size_t i;

	while ((c = getopt(argc, argv, "t:r:")) != -1) {
		if (c == 't')
			secs = atof(optarg);
		else if (c == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	for (i = 0; i < 4; i++) {
		gcm[i].keylen = 32;
		memset(gcm[i].key, 0x42, 32);
	}
	for (i = 0; i < 3; i++) {
		mac[i].keylen = 32;
		memset(mac[i].key, 0x24, 32);
	}
	tok = getenv("KHSM_AES_TOKEN");
	c = tok ? unhex(tok, gcm[2].key, sizeof(gcm[2].key)) : -1;
	gcm[2].keylen = c > 0 ? (size_t)c : 0;
	tok = getenv("KHSM_HMAC_TOKEN");
	c = tok ? unhex(tok, mac[2].key, sizeof(mac[2].key)) : -1;
	mac[2].keylen = c > 0 ? (size_t)c : 0;

	printf("AF_ALG throughput, best of %d rounds of %.2f s per cell, "
	       "encrypt with %d bytes of AAD / one-shot MAC\n", rounds, secs,
	       AAD);
	run(gcm, 4, secs, rounds, in, out);
	run(mac, 3, secs, rounds, in, out);

	table("AES-256-GCM encrypt", gcm, 4,
	      "goal: gcm-aes-khsm >= 0.9 at 16 KiB, >= 0.5 at 64 B");
	table("HMAC-SHA256", mac, 3, NULL);
	for (i = 0; i < 4; i++)
		missing |= gcm[i].keylen && !gcm[i].present;
	for (i = 0; i < 3; i++)
		missing |= mac[i].keylen && !mac[i].present;
	return missing;
}
