// SPDX-License-Identifier: GPL-2.0
/*
 * mech: C_GetMechanismList/Info and every mechanism of issue 2 item 7 with
 * the known-answer vectors of vectors.h (NIST SP 800-38A/38B/38D, RFC 4231,
 * FIPS 180-4; each vector names its source), one-shot and multi-part with
 * odd split points, both directions; key generation of every size; the
 * parameter checks done at init; random numbers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "kt.h"
#include "vectors.h"

#define BUF	2048

/* ---- hex, buffers, keys -------------------------------------------------- */

static size_t unhex(const char *h, unsigned char *out, size_t max)
{
	size_t n = strlen(h) / 2, i;

	if (n > max) {
		fprintf(stderr, "mech: vector longer than %zu\n", max);
		abort();
	}
	for (i = 0; i < n; i++) {
		unsigned int b;

		if (sscanf(h + 2 * i, "%2x", &b) != 1) {
			fprintf(stderr, "mech: bad hex in a vector\n");
			abort();
		}
		out[i] = b;
	}
	return n;
}

struct bytes {
	unsigned char b[BUF];
	size_t n;
};

#define UNHEX(dst, hex) ((dst)->n = unhex((hex), (dst)->b, sizeof((dst)->b)))

FIXTURE(mech) {
	int fd;
	__u32 s;
};

FIXTURE_SETUP(mech)
{
	kt_setup_user(_metadata, &self->fd, &self->s);
}

FIXTURE_TEARDOWN(mech)
{
	khsm_close(self->fd);
}

/* Split patterns for multi-part runs: 0 ends a pattern, then "the rest" */
static const size_t splits[][8] = {
	{ 1, 0 },
	{ 7, 9, 0 },
	{ 15, 1, 16, 0 },
	{ 17, 0, 0 },
	{ 3, 0 },	/* repeated: every 3 bytes */
	{ 64, 0 },
};

static size_t next_chunk(const size_t *pat, size_t *k, size_t left, int repeat)
{
	size_t c;

	if (pat[*k] == 0)
		c = repeat ? pat[0] : left;
	else
		c = pat[(*k)++];
	return c < left ? c : left;
}

/*
 * A multi-part run of @op over @in with split pattern @pat; the output of
 * every update and the final, concatenated, lands in @out (not for verify,
 * where @out carries the signature in).
 */
static CK_RV multipart(int fd, __u32 s, __u32 op, const struct bytes *in,
		       const size_t *pat, int repeat, struct bytes *out)
{
	size_t off = 0, k = 0, pos = 0;
	int produce = op == KHSM_OP_ENCRYPT || op == KHSM_OP_DECRYPT;
	__u64 n;
	CK_RV rv;

	while (off < in->n) {
		size_t c = next_chunk(pat, &k, in->n - off, repeat);

		n = BUF - pos;
		rv = kt_update(fd, s, op, in->b + off, c,
			       produce ? out->b + pos : NULL,
			       produce ? &n : NULL);
		if (rv != CKR_OK)
			return rv;
		if (produce)
			pos += n;
		off += c;
	}
	if (op == KHSM_OP_VERIFY) {
		n = out->n;
		return kt_final(fd, s, op, out->b, &n);
	}
	n = BUF - pos;
	rv = kt_final(fd, s, op, out->b + pos, &n);
	out->n = pos + n;
	return rv;
}

static void dump(const char *what, const unsigned char *b, size_t n)
{
	size_t i;

	fprintf(stderr, "#   %s (%zu):", what, n);
	for (i = 0; i < n && i < 64; i++)
		fprintf(stderr, "%02x", b[i]);
	fprintf(stderr, "\n");
}

#define EXPECT_BYTES(want, got, ctx) do {				\
	int __ok = (want)->n == (got)->n &&				\
		   !memcmp((want)->b, (got)->b, (want)->n);		\
	EXPECT_TRUE(__ok) {						\
		TH_LOG("%s: output differs", ctx);			\
		dump("want", (want)->b, (want)->n);			\
		dump("got ", (got)->b, (got)->n);			\
	}								\
} while (0)

/* ---- mechanism list and info ------------------------------------------- */

static const struct {
	CK_MECHANISM_TYPE m;
	CK_FLAGS flags;		/* at least these */
	CK_ULONG min, max;	/* key size in bytes, or 0: not checked */
} required[] = {
	{ CKM_AES_KEY_GEN, CKF_GENERATE, 16, 32 },
	{ CKM_GENERIC_SECRET_KEY_GEN, CKF_GENERATE, 0, 0 },
	{ CKM_AES_ECB, CKF_ENCRYPT | CKF_DECRYPT, 16, 32 },
	{ CKM_AES_CBC, CKF_ENCRYPT | CKF_DECRYPT, 16, 32 },
	{ CKM_AES_CBC_PAD, CKF_ENCRYPT | CKF_DECRYPT, 16, 32 },
	{ CKM_AES_CTR, CKF_ENCRYPT | CKF_DECRYPT, 16, 32 },
	{ CKM_AES_GCM, CKF_ENCRYPT | CKF_DECRYPT, 16, 32 },
	{ CKM_AES_CMAC, CKF_SIGN | CKF_VERIFY, 16, 32 },
	{ CKM_SHA_1, CKF_DIGEST, 0, 0 },
	{ CKM_SHA224, CKF_DIGEST, 0, 0 },
	{ CKM_SHA256, CKF_DIGEST, 0, 0 },
	{ CKM_SHA384, CKF_DIGEST, 0, 0 },
	{ CKM_SHA512, CKF_DIGEST, 0, 0 },
	{ CKM_SHA_1_HMAC, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA224_HMAC, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA256_HMAC, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA384_HMAC, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA512_HMAC, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA_1_HMAC_GENERAL, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA224_HMAC_GENERAL, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA256_HMAC_GENERAL, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA384_HMAC_GENERAL, CKF_SIGN | CKF_VERIFY, 0, 0 },
	{ CKM_SHA512_HMAC_GENERAL, CKF_SIGN | CKF_VERIFY, 0, 0 },
};

TEST_F(mech, list_has_every_required_mechanism)
{
	struct khsm_mech_list ml = { 0 };
	__u64 m[KHSM_MAX_MECHS];
	size_t i, j;

	ml.mechs = KT_PTR(m);
	ml.count = KHSM_MAX_MECHS;
	ASSERT_OK(khsm_mech_list(self->fd, &ml));
	for (i = 0; i < KT_ARRAY_SIZE(required); i++) {
		int found = 0;

		for (j = 0; j < ml.count; j++)
			found += m[j] == required[i].m;
		EXPECT_EQ(1, found) TH_LOG("%s listed %d times",
					   kt_mech_name(required[i].m), found);
	}
	/* every listed mechanism has info */
	for (j = 0; j < ml.count; j++) {
		struct khsm_mech_info mi = { .type = m[j] };

		EXPECT_OK(khsm_mech_info(self->fd, &mi));
		EXPECT_NE(0, mi.flags);
		EXPECT_LE(mi.min_key_size, mi.max_key_size);
	}
}

TEST_F(mech, info_flags_and_key_sizes)
{
	struct khsm_mech_info mi;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(required); i++) {
		memset(&mi, 0, sizeof(mi));
		mi.type = required[i].m;
		ASSERT_OK(khsm_mech_info(self->fd, &mi));
		EXPECT_EQ(required[i].flags, mi.flags & required[i].flags)
			TH_LOG("%s flags 0x%llx", kt_mech_name(mi.type),
			       (unsigned long long)mi.flags);
		if (required[i].max) {
			EXPECT_EQ(required[i].min, mi.min_key_size)
				TH_LOG("%s", kt_mech_name(mi.type));
			EXPECT_EQ(required[i].max, mi.max_key_size)
				TH_LOG("%s", kt_mech_name(mi.type));
		}
		/* a digest serves nothing but digest */
		if (required[i].flags == CKF_DIGEST)
			EXPECT_EQ(0, mi.flags & (CKF_ENCRYPT | CKF_SIGN |
						 CKF_GENERATE));
	}
	memset(&mi, 0, sizeof(mi));
	mi.type = CKM_AES_KEY_WRAP_PAD + 0x1000;
	EXPECT_RV(CKR_MECHANISM_INVALID, khsm_mech_info(self->fd, &mi));
	mi.type = CKM_VENDOR_DEFINED | 0x7777;
	EXPECT_RV(CKR_MECHANISM_INVALID, khsm_mech_info(self->fd, &mi));
}

/* ---- AES ECB, CBC, CBC_PAD, CTR: SP 800-38A (vectors.h) ---------------- */

static void cipher_param(const struct khsm_kv_cipher *v,
			 const struct bytes *iv, void *pbuf, size_t *plen)
{
	if (v->mech == CKM_AES_CTR) {
		struct khsm_aes_ctr_params p = { .counter_bits = 128 };

		memcpy(p.cb, iv->b, 16);
		memcpy(pbuf, &p, sizeof(p));
		*plen = sizeof(p);
	} else {
		memcpy(pbuf, iv->b, iv->n);
		*plen = iv->n;
	}
}

TEST_F(mech, cipher_known_answers)
{
	size_t i, p;

	for (i = 0; i < KT_ARRAY_SIZE(khsm_kv_cipher); i++) {
		const struct khsm_kv_cipher *v = &khsm_kv_cipher[i];
		struct bytes key, iv, pt, ct, out;
		unsigned char param[64];
		size_t plen;
		__u64 h, n;

		UNHEX(&key, v->key);
		UNHEX(&iv, v->iv);
		UNHEX(&pt, v->pt);
		UNHEX(&ct, v->ct);
		cipher_param(v, &iv, param, &plen);
		ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key.b, key.n,
				    &h));

		/* one-shot, with a length query first */
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
				     v->mech, plen ? param : NULL, plen));
		n = 0;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt.b,
				     pt.n, NULL, &n));
		EXPECT_LE(ct.n, n);
		n = BUF;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt.b,
				     pt.n, out.b, &n));
		out.n = n;
		EXPECT_BYTES(&ct, &out, v->source);

		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
				     v->mech, plen ? param : NULL, plen));
		n = BUF;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, ct.b,
				     ct.n, out.b, &n));
		out.n = n;
		EXPECT_BYTES(&pt, &out, v->source);

		/* multi-part, every split pattern, both directions */
		for (p = 0; p < KT_ARRAY_SIZE(splits); p++) {
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT,
					     h, v->mech, plen ? param : NULL,
					     plen));
			ASSERT_OK(multipart(self->fd, self->s, KHSM_OP_ENCRYPT,
					    &pt, splits[p], p == 4, &out));
			EXPECT_BYTES(&ct, &out, v->source);
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT,
					     h, v->mech, plen ? param : NULL,
					     plen));
			ASSERT_OK(multipart(self->fd, self->s, KHSM_OP_DECRYPT,
					    &ct, splits[p], p == 4, &out));
			EXPECT_BYTES(&pt, &out, v->source);
		}
		ASSERT_OK(kt_destroy(self->fd, self->s, h));
	}
}

/* Block modes without padding take whole blocks; CBC_PAD checks padding */
TEST_F(mech, cipher_length_and_padding_errors)
{
	unsigned char k[16] = { 0 }, iv[16] = { 0 }, in[48] = { 0 }, out[64];
	__u64 h, n;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_ECB, NULL, 0));
	n = sizeof(out);
	EXPECT_RV(CKR_DATA_LEN_RANGE,
		  kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, in, 17, out,
			     &n));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CBC, iv, 16));
	ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_ENCRYPT, in, 15, out,
			    &(__u64){ sizeof(out) }));
	n = sizeof(out);
	EXPECT_RV(CKR_DATA_LEN_RANGE,
		  kt_final(self->fd, self->s, KHSM_OP_ENCRYPT, out, &n));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
			     CKM_AES_CBC, iv, 16));
	n = sizeof(out);
	EXPECT_RV(CKR_ENCRYPTED_DATA_LEN_RANGE,
		  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, in, 31, out,
			     &n));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
			     CKM_AES_CBC_PAD, iv, 16));
	n = sizeof(out);
	EXPECT_RV(CKR_ENCRYPTED_DATA_LEN_RANGE,
		  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, in, 0, out,
			     &n));
	/* 32 zero bytes decrypt under a zero key to a bad padding byte */
	{
		unsigned char z[32] = { 0 }, ct[48];
		__u64 cn = sizeof(ct);

		/* make a ciphertext whose last plaintext block ends in 0x00 */
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
				     CKM_AES_CBC, iv, 16));
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, z, 32,
				     ct, &cn));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
				     CKM_AES_CBC_PAD, iv, 16));
		n = sizeof(out);
		EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
			  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, ct,
				     32, out, &n));
		/* and padding byte 0x11 (> 16) */
		z[31] = 0x11;
		cn = sizeof(ct);
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
				     CKM_AES_CBC, iv, 16));
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, z, 32,
				     ct, &cn));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
				     CKM_AES_CBC_PAD, iv, 16));
		n = sizeof(out);
		EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
			  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, ct,
				     32, out, &n));
		/* inconsistent padding: 0x02 0x03 */
		z[31] = 0x02;
		z[30] = 0x03;
		cn = sizeof(ct);
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
				     CKM_AES_CBC, iv, 16));
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, z, 32,
				     ct, &cn));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
				     CKM_AES_CBC_PAD, iv, 16));
		n = sizeof(out);
		EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
			  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT, ct,
				     32, out, &n));
	}
	/* CBC_PAD of an empty message is one block of padding */
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CBC_PAD, iv, 16));
	n = sizeof(out);
	EXPECT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, in, 0, out, &n));
	EXPECT_EQ(16, n);
}

TEST_F(mech, cipher_param_checks)
{
	unsigned char k[16] = { 0 }, iv[17] = { 0 };
	struct khsm_aes_ctr_params ctr = { .counter_bits = 0 };
	__u64 h;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	/* CBC IV must be 16 bytes */
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CBC, iv, 15));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CBC_PAD, iv, 17));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
			     CKM_AES_CBC, NULL, 0));
	/* ECB takes none (SIGN-4's rule, for encryption) */
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_ECB, iv, 16));
	/* CTR: counter bits 1..128, the struct's exact size */
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CTR, &ctr, sizeof(ctr)));
	ctr.counter_bits = 129;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CTR, &ctr, sizeof(ctr)));
	ctr.counter_bits = 128;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CTR, &ctr, sizeof(ctr) - 1));
	EXPECT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CTR, &ctr, sizeof(ctr)));
}

/* ---- AES-GCM: SP 800-38D / McGrew-Viega (vectors.h) ---------------------- */

static void gcm_params(struct khsm_gcm_params *p, const struct bytes *iv,
		       const struct bytes *aad, unsigned int tag_bits)
{
	memset(p, 0, sizeof(*p));
	p->iv = KT_PTR(iv->b);
	p->iv_len = iv->n;
	p->iv_bits = iv->n * 8;
	p->aad = aad->n ? KT_PTR(aad->b) : 0;
	p->aad_len = aad->n;
	p->tag_bits = tag_bits;
}

TEST_F(mech, gcm_known_answers)
{
	static const unsigned int tags[] = { 128, 96 };
	size_t i, t, p;

	for (i = 0; i < KT_ARRAY_SIZE(khsm_kv_gcm); i++) {
		const struct khsm_kv_gcm *v = &khsm_kv_gcm[i];
		struct bytes key, iv, aad, pt, ct, tag, want, out;
		struct khsm_gcm_params gp;
		__u64 h, n;

		UNHEX(&key, v->key);
		UNHEX(&iv, v->iv);
		UNHEX(&aad, v->aad);
		UNHEX(&pt, v->pt);
		UNHEX(&ct, v->ct);
		UNHEX(&tag, v->tag);
		ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key.b, key.n,
				    &h));
		for (t = 0; t < KT_ARRAY_SIZE(tags); t++) {
			/* ciphertext || tag (truncated to tag_bits) */
			memcpy(want.b, ct.b, ct.n);
			memcpy(want.b + ct.n, tag.b, tags[t] / 8);
			want.n = ct.n + tags[t] / 8;
			gcm_params(&gp, &iv, &aad, tags[t]);

			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT,
					     h, CKM_AES_GCM, &gp, sizeof(gp)));
			n = BUF;
			ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT,
					     pt.b, pt.n, out.b, &n));
			out.n = n;
			EXPECT_BYTES(&want, &out, v->source);

			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT,
					     h, CKM_AES_GCM, &gp, sizeof(gp)));
			n = BUF;
			ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT,
					     want.b, want.n, out.b, &n));
			out.n = n;
			EXPECT_BYTES(&pt, &out, v->source);

			for (p = 0; p < KT_ARRAY_SIZE(splits); p++) {
				ASSERT_OK(kt_op_init(self->fd, self->s,
						     KHSM_OP_ENCRYPT, h,
						     CKM_AES_GCM, &gp,
						     sizeof(gp)));
				ASSERT_OK(multipart(self->fd, self->s,
						    KHSM_OP_ENCRYPT, &pt,
						    splits[p], p == 4, &out));
				EXPECT_BYTES(&want, &out, v->source);
				ASSERT_OK(kt_op_init(self->fd, self->s,
						     KHSM_OP_DECRYPT, h,
						     CKM_AES_GCM, &gp,
						     sizeof(gp)));
				ASSERT_OK(multipart(self->fd, self->s,
						    KHSM_OP_DECRYPT, &want,
						    splits[p], p == 4, &out));
				EXPECT_BYTES(&pt, &out, v->source);
			}

			/* a flipped bit anywhere: ENCRYPTED_DATA_INVALID */
			want.b[want.n - 1] ^= 0x80;
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT,
					     h, CKM_AES_GCM, &gp, sizeof(gp)));
			n = BUF;
			EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
				  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT,
					     want.b, want.n, out.b, &n));
			want.b[want.n - 1] ^= 0x80;
			want.b[0] ^= 1;
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT,
					     h, CKM_AES_GCM, &gp, sizeof(gp)));
			n = BUF;
			EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
				  kt_oneshot(self->fd, self->s, KHSM_OP_DECRYPT,
					     want.b, want.n, out.b, &n));
			/* nor multi-part: no plaintext before the tag checks */
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT,
					     h, CKM_AES_GCM, &gp, sizeof(gp)));
			EXPECT_RV(CKR_ENCRYPTED_DATA_INVALID,
				  multipart(self->fd, self->s, KHSM_OP_DECRYPT,
					    &want, splits[1], 0, &out));
		}
		ASSERT_OK(kt_destroy(self->fd, self->s, h));
	}
}

/*
 * Multi-part GCM decryption releases no plaintext before the tag is
 * checked: every C_DecryptUpdate gives 0 bytes, C_DecryptFinal all of it.
 */
TEST_F(mech, gcm_no_plaintext_before_tag)
{
	const struct khsm_kv_gcm *v = &khsm_kv_gcm[KT_ARRAY_SIZE(khsm_kv_gcm) - 1];
	struct bytes key, iv, aad, pt, ct, tag, in, out;
	struct khsm_gcm_params gp;
	size_t off;
	__u64 h, n;

	UNHEX(&key, v->key);
	UNHEX(&iv, v->iv);
	UNHEX(&aad, v->aad);
	UNHEX(&pt, v->pt);
	UNHEX(&ct, v->ct);
	UNHEX(&tag, v->tag);
	memcpy(in.b, ct.b, ct.n);
	memcpy(in.b + ct.n, tag.b, tag.n);
	in.n = ct.n + tag.n;
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, key.b, key.n, &h));
	gcm_params(&gp, &iv, &aad, 128);
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	for (off = 0; off < in.n; off += 16) {
		size_t c = in.n - off < 16 ? in.n - off : 16;

		n = BUF;
		ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_DECRYPT,
				    in.b + off, c, out.b, &n));
		EXPECT_EQ(0, n) TH_LOG("%llu bytes of plaintext released "
				       "before the tag was checked",
				       (unsigned long long)n);
	}
	n = BUF;
	ASSERT_OK(kt_final(self->fd, self->s, KHSM_OP_DECRYPT, out.b, &n));
	out.n = n;
	EXPECT_BYTES(&pt, &out, v->source);
}

/*
 * CKM_AES_CTR's counter is the low ulCounterBits of the block (SP 800-38A
 * B.1, PKCS#11 CK_AES_CTR_PARAMS): with 8 counter bits and a block ending
 * 01 ff, the second block's counter is ...01 00 (wrapped in its field) or
 * the call is refused; carrying into byte 14 (...02 00) is a 128-bit
 * counter, not the one asked for.
 */
TEST_F(mech, ctr_counter_bits_respected)
{
	unsigned char k[16] = "ctr-counter-bits", zero[32] = { 0 };
	unsigned char ks[32], wrap[16], carry[16], blk[16];
	struct khsm_aes_ctr_params cp = { .counter_bits = 8 };
	__u64 h, n;
	CK_RV rv;

	memset(cp.cb, 0x33, 16);
	cp.cb[14] = 0x01;
	cp.cb[15] = 0xff;
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	/* the two candidate second counter blocks, through ECB */
	memcpy(blk, cp.cb, 16);
	blk[15] = 0x00;
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_ECB, NULL, 0));
	n = 16;
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, blk, 16, wrap,
			     &n));
	blk[14] = 0x02;
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_ECB, NULL, 0));
	n = 16;
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, blk, 16,
			     carry, &n));

	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_CTR, &cp, sizeof(cp)));
	n = sizeof(ks);
	rv = kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, zero, 32, ks, &n);
	if (rv != CKR_OK) {
		EXPECT_RV(CKR_DATA_LEN_RANGE, rv);
		return;
	}
	EXPECT_NE(0, memcmp(ks + 16, carry, 16))
		TH_LOG("the counter carried past its %llu bits",
		       (unsigned long long)cp.counter_bits);
	EXPECT_EQ(0, memcmp(ks + 16, wrap, 16));
}

/* ENCRYPT-4/DECRYPT-3: GCM parameters are checked at init */
TEST_F(mech, gcm_param_checks)
{
	unsigned char k[16] = { 0 };
	struct bytes iv = { .n = 12 }, aad = { .n = 0 };
	struct khsm_gcm_params gp;
	__u64 h;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	gcm_params(&gp, &iv, &aad, 129);
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	gcm_params(&gp, &iv, &aad, 128);
	gp.iv_len = 0;
	gp.iv_bits = 0;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	gcm_params(&gp, &iv, &aad, 128);
	gp.iv = 0;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_DECRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	gcm_params(&gp, &iv, &aad, 128);
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp) - 8));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, NULL, 0));
	/* AAD length without AAD */
	gcm_params(&gp, &iv, &aad, 128);
	gp.aad_len = 16;
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	/* and a good one after all that */
	gcm_params(&gp, &iv, &aad, 128);
	EXPECT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
}

/* The caller's IV is used as given (ENCRYPT-2, MANAGE-2) */
TEST_F(mech, gcm_iv_used_as_given)
{
	unsigned char k[16] = { 9 }, pt[16] = { 0 };
	struct bytes iv1 = { .n = 12 }, iv2 = { .n = 12 }, aad = { .n = 0 };
	struct khsm_gcm_params gp;
	struct bytes a, b;
	__u64 h, n;

	iv2.b[11] = 1;
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	gcm_params(&gp, &iv1, &aad, 128);
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	n = BUF;
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt, 16, a.b,
			     &n));
	a.n = n;
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	n = BUF;
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt, 16, b.b,
			     &n));
	b.n = n;
	/* same key, same IV: same output; the IV buffer left as it was */
	EXPECT_BYTES(&a, &b, "GCM twice with one IV");
	EXPECT_EQ(0, iv1.b[0] | iv1.b[11]);
	gcm_params(&gp, &iv2, &aad, 128);
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h,
			     CKM_AES_GCM, &gp, sizeof(gp)));
	n = BUF;
	ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt, 16, b.b,
			     &n));
	EXPECT_NE(0, memcmp(a.b, b.b, 16));
}

/* ---- MACs: CMAC (SP 800-38B), HMAC (RFC 4231) (vectors.h) --------------- */

static CK_MECHANISM_TYPE general_of(CK_MECHANISM_TYPE m)
{
	switch (m) {
	case CKM_SHA_1_HMAC: return CKM_SHA_1_HMAC_GENERAL;
	case CKM_SHA224_HMAC: return CKM_SHA224_HMAC_GENERAL;
	case CKM_SHA256_HMAC: return CKM_SHA256_HMAC_GENERAL;
	case CKM_SHA384_HMAC: return CKM_SHA384_HMAC_GENERAL;
	case CKM_SHA512_HMAC: return CKM_SHA512_HMAC_GENERAL;
	case CKM_AES_CMAC: return CKM_AES_CMAC_GENERAL;
	}
	return 0;
}

static int mech_listed(int fd, CK_MECHANISM_TYPE m)
{
	struct khsm_mech_info mi = { .type = m };

	return khsm_mech_info(fd, &mi) == CKR_OK;
}

TEST_F(mech, mac_known_answers)
{
	size_t i, p;

	for (i = 0; i < KT_ARRAY_SIZE(khsm_kv_mac); i++) {
		const struct khsm_kv_mac *v = &khsm_kv_mac[i];
		CK_KEY_TYPE kt = v->mech == CKM_AES_CMAC ? CKK_AES :
							   CKK_GENERIC_SECRET;
		struct bytes key, msg, mac, out, bad;
		CK_MECHANISM_TYPE gm = general_of(v->mech);
		__u64 h, n, glen;

		UNHEX(&key, v->key);
		UNHEX(&msg, v->msg);
		UNHEX(&mac, v->mac);
		ASSERT_OK(kt_secret(self->fd, self->s, kt, key.b, key.n, &h));

		/* sign: one-shot with a length query, multi-part */
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h,
				     v->mech, NULL, 0));
		n = 0;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, msg.b,
				     msg.n, NULL, &n));
		EXPECT_EQ(mac.n, n);
		n = BUF;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, msg.b,
				     msg.n, out.b, &n));
		out.n = n;
		EXPECT_BYTES(&mac, &out, v->source);
		for (p = 0; p < KT_ARRAY_SIZE(splits); p++) {
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h,
					     v->mech, NULL, 0));
			ASSERT_OK(multipart(self->fd, self->s, KHSM_OP_SIGN,
					    &msg, splits[p], p == 4, &out));
			EXPECT_BYTES(&mac, &out, v->source);
		}

		/* verify: good, flipped, short, long */
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
				     v->mech, NULL, 0));
		n = mac.n;
		EXPECT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_VERIFY, msg.b,
				     msg.n, mac.b, &n));
		for (p = 0; p < KT_ARRAY_SIZE(splits); p++) {
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY,
					     h, v->mech, NULL, 0));
			EXPECT_OK(multipart(self->fd, self->s, KHSM_OP_VERIFY,
					    &msg, splits[p], p == 4, &mac));
		}
		bad = mac;
		bad.b[mac.n / 2] ^= 4;
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
				     v->mech, NULL, 0));
		n = bad.n;
		EXPECT_RV(CKR_SIGNATURE_INVALID,
			  kt_oneshot(self->fd, self->s, KHSM_OP_VERIFY, msg.b,
				     msg.n, bad.b, &n));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
				     v->mech, NULL, 0));
		EXPECT_RV(CKR_SIGNATURE_INVALID,
			  multipart(self->fd, self->s, KHSM_OP_VERIFY, &msg,
				    splits[2], 0, &bad));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
				     v->mech, NULL, 0));
		n = mac.n - 1;
		EXPECT_RV(CKR_SIGNATURE_LEN_RANGE,
			  kt_oneshot(self->fd, self->s, KHSM_OP_VERIFY, msg.b,
				     msg.n, mac.b, &n));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
				     v->mech, NULL, 0));
		n = mac.n + 1;
		EXPECT_RV(CKR_SIGNATURE_LEN_RANGE,
			  kt_oneshot(self->fd, self->s, KHSM_OP_VERIFY, msg.b,
				     msg.n, mac.b, &n));

		/* the _GENERAL variant: a prefix of the MAC */
		if (!mech_listed(self->fd, gm)) {
			/* HMAC_GENERAL is required; CMAC_GENERAL optional */
			EXPECT_EQ(CKM_AES_CMAC, v->mech)
				TH_LOG("%s not served", kt_mech_name(gm));
			goto next;
		}
		glen = mac.n / 2;
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h, gm,
				     &glen, sizeof(glen)));
		n = BUF;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, msg.b,
				     msg.n, out.b, &n));
		out.n = n;
		bad = mac;
		bad.n = glen;
		EXPECT_BYTES(&bad, &out, v->source);
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h, gm,
				     &glen, sizeof(glen)));
		n = glen;
		EXPECT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_VERIFY, msg.b,
				     msg.n, mac.b, &n));
		/* output length beyond the MAC's is refused at init */
		glen = mac.n + 1;
		EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
			  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h, gm,
				     &glen, sizeof(glen)));
		EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
			  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h, gm,
				     NULL, 0));
next:
		ASSERT_OK(kt_destroy(self->fd, self->s, h));
	}
}

/* HMAC takes no parameter (SIGN-4/VERIFY-3's rule) */
TEST_F(mech, mac_param_checks)
{
	unsigned char k[32] = { 0 };
	__u64 h, glen = 16;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_GENERIC_SECRET, k, 32, &h));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h,
			     CKM_SHA256_HMAC, &glen, sizeof(glen)));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_VERIFY, h,
			     CKM_SHA256_HMAC, &glen, sizeof(glen)));
	/* CK_MAC_GENERAL_PARAMS is one CK_ULONG, exactly */
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h,
			     CKM_SHA256_HMAC_GENERAL, &glen, 4));
}

/* ---- digests: FIPS 180-4 (vectors.h) ----------------------------------- */

static size_t digest_len(CK_MECHANISM_TYPE m)
{
	switch (m) {
	case CKM_SHA_1: return 20;
	case CKM_SHA224: return 28;
	case CKM_SHA256: return 32;
	case CKM_SHA384: return 48;
	case CKM_SHA512: return 64;
	}
	return 0;
}

TEST_F(mech, digest_known_answers)
{
	size_t i, p;

	for (i = 0; i < KT_ARRAY_SIZE(khsm_kv_digest); i++) {
		const struct khsm_kv_digest *v = &khsm_kv_digest[i];
		struct bytes msg, md, out;
		__u64 n;

		UNHEX(&msg, v->msg);
		UNHEX(&md, v->digest);
		ASSERT_EQ(digest_len(v->mech), md.n);
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0,
				     v->mech, NULL, 0));
		n = 0;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_DIGEST, msg.b,
				     msg.n, NULL, &n));
		EXPECT_EQ(md.n, n);
		n = BUF;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_DIGEST, msg.b,
				     msg.n, out.b, &n));
		out.n = n;
		EXPECT_BYTES(&md, &out, v->source);
		for (p = 0; p < KT_ARRAY_SIZE(splits); p++) {
			ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST,
					     0, v->mech, NULL, 0));
			ASSERT_OK(multipart(self->fd, self->s, KHSM_OP_DIGEST,
					    &msg, splits[p], p == 4, &out));
			EXPECT_BYTES(&md, &out, v->source);
		}
	}
}

/* Digests need no key, no login and no parameter */
TEST_F(mech, digest_rules)
{
	unsigned char k[16] = { 0 }, out[64];
	__u32 ro;
	__u64 h, n;
	int fd2;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     k, 16));
	/* a digest mechanism is not an encryption mechanism (ENCRYPT-3) */
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_SHA256,
			     NULL, 0));
	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_AES_ECB,
			     NULL, 0));
	/*
	 * Without login: the token has CKF_LOGIN_REQUIRED, so even a digest
	 * needs the user (compliance rule DIGEST-3, lead DECISION 15:58);
	 * after login it works.
	 */
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RO, &ro));
	EXPECT_RV(CKR_USER_NOT_LOGGED_IN,
		  kt_op_init(fd2, ro, KHSM_OP_DIGEST, 0, CKM_SHA512, NULL, 0));
	ASSERT_OK(kt_login(fd2, ro, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_op_init(fd2, ro, KHSM_OP_DIGEST, 0, CKM_SHA512, NULL, 0));
	n = sizeof(out);
	EXPECT_OK(kt_oneshot(fd2, ro, KHSM_OP_DIGEST, "", 0, out, &n));
	EXPECT_EQ(64, n);
	khsm_close(fd2);
}

/* C_DigestKey: the digest of a key's value, without the value leaving */
TEST_F(mech, digest_key)
{
	static const unsigned char k[32] = "digest-key-value-of-32-bytes-ok";
	struct khsm_op_data dk = { .hdr.session = self->s,
				   .hdr.flags = KHSM_OP_F_DIGEST_KEY,
				   .op = KHSM_OP_DIGEST };
	unsigned char a[32], b[32];
	struct kt_tmpl t;
	__u64 h, n;

	ASSERT_OK(kt_secret(self->fd, self->s, CKK_GENERIC_SECRET, k, 32, &h));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_DIGEST, "pre", 3, NULL,
			    NULL));
	dk.in = h;
	ASSERT_OK(khsm_op_update(self->fd, &dk));
	n = sizeof(a);
	ASSERT_OK(kt_final(self->fd, self->s, KHSM_OP_DIGEST, a, &n));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_DIGEST, "pre", 3, NULL,
			    NULL));
	ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_DIGEST, k, 32, NULL,
			    NULL));
	n = sizeof(b);
	ASSERT_OK(kt_final(self->fd, self->s, KHSM_OP_DIGEST, b, &n));
	EXPECT_EQ(0, memcmp(a, b, 32));

	/* a bad handle, a data object: no key to digest */
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	dk.in = 0xdeadbeef;
	EXPECT_RV(CKR_KEY_HANDLE_INVALID, khsm_op_update(self->fd, &dk));
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	ASSERT_OK(kt_create(self->fd, self->s, &t, &h));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	dk.in = h;
	{
		CK_RV rv = khsm_op_update(self->fd, &dk);

		EXPECT_TRUE(rv == CKR_KEY_HANDLE_INVALID ||
			    rv == CKR_KEY_INDIGESTIBLE)
			TH_LOG("digest of a data object: %s", khsm_rv_name(rv));
	}
	/* the flag belongs to digest updates only */
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &h));
	ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT, h, CKM_AES_ECB,
			     NULL, 0));
	dk.op = KHSM_OP_ENCRYPT;
	dk.in = h;
	EXPECT_NE(CKR_OK, khsm_op_update(self->fd, &dk));
}

/* One-shot and multi-part agree on a long message with random splits */
TEST_F(mech, long_message_random_splits)
{
	static const CK_MECHANISM_TYPE dm[] = {
		CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384, CKM_SHA512,
	};
	static unsigned char msg[20000];
	unsigned char a[64], b[64];
	unsigned int seed = 12345;
	size_t i, off;
	__u64 na, nb;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = rand_r(&seed);
	for (i = 0; i < KT_ARRAY_SIZE(dm); i++) {
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0,
				     dm[i], NULL, 0));
		na = sizeof(a);
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_DIGEST, msg,
				     sizeof(msg), a, &na));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_DIGEST, 0,
				     dm[i], NULL, 0));
		for (off = 0; off < sizeof(msg);) {
			size_t c = rand_r(&seed) % 700;

			if (c > sizeof(msg) - off)
				c = sizeof(msg) - off;
			ASSERT_OK(kt_update(self->fd, self->s, KHSM_OP_DIGEST,
					    msg + off, c, NULL, NULL));
			off += c;
		}
		nb = sizeof(b);
		ASSERT_OK(kt_final(self->fd, self->s, KHSM_OP_DIGEST, b, &nb));
		EXPECT_EQ(na, nb);
		EXPECT_EQ(0, memcmp(a, b, na)) TH_LOG("%s",
						      kt_mech_name(dm[i]));
	}
}

/* ---- key generation: every size --------------------------------------- */

static void roundtrip(struct __test_metadata *_metadata, int fd, __u32 s,
		      __u64 h, unsigned char *first_block)
{
	unsigned char pt[32], ct[48], back[48];
	__u64 n = sizeof(ct), m = sizeof(back);
	static const unsigned char iv[16];

	memset(pt, 0x5c, sizeof(pt));
	ASSERT_OK(kt_op_init(fd, s, KHSM_OP_ENCRYPT, h, CKM_AES_CBC_PAD, iv, 16));
	ASSERT_OK(kt_oneshot(fd, s, KHSM_OP_ENCRYPT, pt, 32, ct, &n));
	ASSERT_EQ(48, n);
	ASSERT_OK(kt_op_init(fd, s, KHSM_OP_DECRYPT, h, CKM_AES_CBC_PAD, iv, 16));
	ASSERT_OK(kt_oneshot(fd, s, KHSM_OP_DECRYPT, ct, n, back, &m));
	ASSERT_EQ(32, m);
	ASSERT_EQ(0, memcmp(pt, back, 32));
	memcpy(first_block, ct, 16);
}

TEST_F(mech, aes_key_generation_each_size)
{
	static const size_t sizes[] = { 16, 24, 32 };
	unsigned char c1[16], c2[16];
	struct kt_tmpl t;
	size_t i;
	__u64 h1, h2;

	for (i = 0; i < KT_ARRAY_SIZE(sizes); i++) {
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_VALUE_LEN, sizes[i]);
		kt_bool(&t, CKA_ENCRYPT, 1);
		kt_bool(&t, CKA_DECRYPT, 1);
		ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t,
				      &h1));
		ASSERT_OK(kt_generate(self->fd, self->s, CKM_AES_KEY_GEN, &t,
				      &h2));
		roundtrip(_metadata, self->fd, self->s, h1, c1);
		roundtrip(_metadata, self->fd, self->s, h2, c2);
		/* two keys, two ciphertexts */
		EXPECT_NE(0, memcmp(c1, c2, 16));
	}
	for (i = 0; i < 3; i++) {
		static const size_t bad[] = { 0, 8, 64 };

		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_VALUE_LEN, bad[i]);
		EXPECT_NE(CKR_OK, kt_generate(self->fd, self->s,
					      CKM_AES_KEY_GEN, &t, NULL));
	}
}

TEST_F(mech, generic_secret_generation_and_hmac)
{
	struct khsm_mech_info mi = { .type = CKM_GENERIC_SECRET_KEY_GEN };
	unsigned char msg[3] = "abc", m1[32], m2[32];
	struct kt_tmpl t;
	__u64 h1, h2, n;
	size_t len[3];
	size_t i;

	ASSERT_OK(khsm_mech_info(self->fd, &mi));
	ASSERT_LE(1, mi.max_key_size);
	/* PKCS#11 gives generic secret sizes in bits or bytes by token */
	len[0] = 1;
	len[1] = 32;
	len[2] = 128;
	for (i = 0; i < 3; i++) {
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_VALUE_LEN, len[i]);
		kt_bool(&t, CKA_SIGN, 1);
		ASSERT_OK(kt_generate(self->fd, self->s,
				      CKM_GENERIC_SECRET_KEY_GEN, &t, &h1));
		ASSERT_OK(kt_generate(self->fd, self->s,
				      CKM_GENERIC_SECRET_KEY_GEN, &t, &h2));
		{
			CK_ULONG vl = 0;

			EXPECT_OK(kt_get_ulong(self->fd, self->s, h1,
					       CKA_VALUE_LEN, &vl));
			EXPECT_EQ(len[i], vl);
		}
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h1,
				     CKM_SHA256_HMAC, NULL, 0));
		n = 32;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, msg, 3,
				     m1, &n));
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN, h2,
				     CKM_SHA256_HMAC, NULL, 0));
		n = 32;
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, msg, 3,
				     m2, &n));
		if (len[i] > 1)
			EXPECT_NE(0, memcmp(m1, m2, 32));
	}
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_VALUE_LEN, 0);
	EXPECT_NE(CKR_OK, kt_generate(self->fd, self->s,
				      CKM_GENERIC_SECRET_KEY_GEN, &t, NULL));
}

/* ---- random ---------------------------------------------------------- */

TEST_F(mech, random)
{
	unsigned char a[64], b[64], zero[64] = { 0 };
	struct khsm_random sr = { .hdr.session = self->s };
	__u32 ro;
	CK_RV rv;
	int fd2;

	ASSERT_OK(kt_random(self->fd, self->s, a, sizeof(a)));
	ASSERT_OK(kt_random(self->fd, self->s, b, sizeof(b)));
	EXPECT_NE(0, memcmp(a, b, sizeof(a)));
	EXPECT_NE(0, memcmp(a, zero, sizeof(a)));
	EXPECT_OK(kt_random(self->fd, self->s, a, 0));
	EXPECT_OK(kt_random(self->fd, self->s, a, 1));
	/* a public R/O session may draw random numbers */
	fd2 = kt_open();
	ASSERT_LE(0, fd2);
	ASSERT_OK(kt_session(fd2, KT_RO, &ro));
	EXPECT_OK(kt_random(fd2, ro, a, 33));
	khsm_close(fd2);
	/* seeding: accepted or explicitly unsupported */
	sr.buf = KT_PTR(b);
	sr.len = sizeof(b);
	rv = khsm_seed_random(self->fd, &sr);
	EXPECT_TRUE(rv == CKR_OK || rv == CKR_RANDOM_SEED_NOT_SUPPORTED)
		TH_LOG("seed random: %s", khsm_rv_name(rv));
}

static int cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/*
 * Small requests come from bytes each DRBG instance generated ahead: every
 * byte is served once.  Requests of every small length, across many refills
 * and C_SeedRandom calls (which drop what is ahead), never hand out the
 * same 16 bytes twice, and no output is all zero.
 */
TEST_F(mech, random_small_requests_served_once)
{
	enum { N = 6000 };
	static unsigned char all[N][16];
	unsigned char out[64], zero[64] = { 0 };
	struct khsm_random sr = { .hdr.session = self->s };
	size_t i, len;

	for (i = 0; i < N; i++) {
		len = 16 + i % 49;		/* 16 .. 64 bytes */
		ASSERT_OK(kt_random(self->fd, self->s, out, len));
		ASSERT_NE(0, memcmp(out, zero, len));
		memcpy(all[i], out + len - 16, 16);
		if (i % 1000 == 999) {
			sr.buf = KT_PTR(out);
			sr.len = 8;
			ASSERT_OK(khsm_seed_random(self->fd, &sr));
		}
	}
	/* and a request past the small size, straight from the DRBG */
	ASSERT_OK(kt_random(self->fd, self->s, out, 65));
	qsort(all, N, 16, cmp16);
	for (i = 1; i < N; i++)
		ASSERT_NE(0, memcmp(all[i - 1], all[i], 16))
			TH_LOG("16 bytes served twice");
}

KT_MAIN
