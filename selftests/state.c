// SPDX-License-Identifier: GPL-2.0
/*
 * state: the operation state machine of PKCS#11 3.0 §5.2 and issue 2 item
 * 8, for each kind of operation (encrypt, decrypt, sign, verify, digest):
 * one active operation of each kind per session; a one-shot after an update
 * and an update after a one-shot length query give CKR_OPERATION_ACTIVE; an
 * operation ends after its final or one-shot call and after any error but
 * CKR_BUFFER_TOO_SMALL; a length query (NULL output) does not end it;
 * calls without init give CKR_OPERATION_NOT_INITIALIZED.
 * (Compliance report: ENCRYPT-1, DECRYPT-1, SIGN-2, DIGEST-1, DIGEST-2.)
 */
#include "kselftest_harness.h"
#include "kt.h"

#define MSG_LEN	45	/* not a block multiple: CBC_PAD pads, updates split */

FIXTURE(st) {
	int fd;
	__u32 s;
	__u64 aes, hmac;
	unsigned char in[128];		/* data fed to the operation */
	size_t inlen;
	unsigned char expect[128];	/* what a clean run gives */
	size_t explen;
	unsigned char sig[64];		/* verify: the good MAC */
	size_t siglen;
};

FIXTURE_VARIANT(st) {
	__u32 op;
	CK_MECHANISM_TYPE mech;
};

FIXTURE_VARIANT_ADD(st, encrypt) { KHSM_OP_ENCRYPT, CKM_AES_CBC_PAD };
FIXTURE_VARIANT_ADD(st, decrypt) { KHSM_OP_DECRYPT, CKM_AES_CBC_PAD };
FIXTURE_VARIANT_ADD(st, sign) { KHSM_OP_SIGN, CKM_SHA256_HMAC };
FIXTURE_VARIANT_ADD(st, verify) { KHSM_OP_VERIFY, CKM_SHA256_HMAC };
FIXTURE_VARIANT_ADD(st, digest) { KHSM_OP_DIGEST, CKM_SHA256 };

static const unsigned char iv[16] = "0123456789abcdef";

static CK_RV init_op(int fd, __u32 s, __u32 op, CK_MECHANISM_TYPE m,
		     __u64 aes, __u64 hmac)
{
	switch (m) {
	case CKM_AES_CBC_PAD:
		return kt_op_init(fd, s, op, aes, m, iv, sizeof(iv));
	case CKM_SHA256_HMAC:
		return kt_op_init(fd, s, op, hmac, m, NULL, 0);
	default:
		return kt_op_init(fd, s, op, 0, m, NULL, 0);
	}
}

#define INIT() init_op(self->fd, self->s, variant->op, variant->mech, \
		       self->aes, self->hmac)

/* One-shot; for verify the "output" is the signature going in */
static CK_RV oneshot(FIXTURE_DATA(st) *self, __u32 op, void *out, __u64 *n)
{
	if (op == KHSM_OP_VERIFY) {
		*n = self->siglen;
		return kt_oneshot(self->fd, self->s, op, self->in, self->inlen,
				  self->sig, n);
	}
	return kt_oneshot(self->fd, self->s, op, self->in, self->inlen, out, n);
}

static CK_RV final(FIXTURE_DATA(st) *self, __u32 op, void *out, __u64 *n)
{
	if (op == KHSM_OP_VERIFY) {
		*n = self->siglen;
		return kt_final(self->fd, self->s, op, self->sig, n);
	}
	return kt_final(self->fd, self->s, op, out, n);
}

static CK_RV update(FIXTURE_DATA(st) *self, __u32 op, const void *in,
		    size_t len, unsigned char *out, size_t *outpos)
{
	__u64 n = 128;
	CK_RV rv;

	rv = kt_update(self->fd, self->s, op, in, len,
		       op <= KHSM_OP_DECRYPT ? out + *outpos : NULL,
		       op <= KHSM_OP_DECRYPT ? &n : NULL);
	if (rv == CKR_OK && op <= KHSM_OP_DECRYPT)
		*outpos += n;
	return rv;
}

FIXTURE_SETUP(st)
{
	unsigned char k[32], pt[MSG_LEN];
	__u64 n;
	size_t i;

	kt_setup_user(_metadata, &self->fd, &self->s);
	for (i = 0; i < sizeof(k); i++)
		k[i] = i * 7 + 1;
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = i;
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_AES, k, 16, &self->aes));
	ASSERT_OK(kt_secret(self->fd, self->s, CKK_GENERIC_SECRET, k, 32,
			    &self->hmac));

	memcpy(self->in, pt, sizeof(pt));
	self->inlen = sizeof(pt);
	switch (variant->op) {
	case KHSM_OP_DECRYPT:
		/* the input is the ciphertext of pt, the expected output pt */
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_ENCRYPT,
				     self->aes, CKM_AES_CBC_PAD, iv, 16));
		n = sizeof(self->in);
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_ENCRYPT, pt,
				     sizeof(pt), self->in, &n));
		ASSERT_EQ(48, n);
		self->inlen = n;
		memcpy(self->expect, pt, sizeof(pt));
		self->explen = sizeof(pt);
		return;
	case KHSM_OP_VERIFY:
		ASSERT_OK(kt_op_init(self->fd, self->s, KHSM_OP_SIGN,
				     self->hmac, CKM_SHA256_HMAC, NULL, 0));
		n = sizeof(self->sig);
		ASSERT_OK(kt_oneshot(self->fd, self->s, KHSM_OP_SIGN, pt,
				     sizeof(pt), self->sig, &n));
		ASSERT_EQ(32, n);
		self->siglen = n;
		return;
	default:
		ASSERT_OK(INIT());
		n = sizeof(self->expect);
		ASSERT_OK(oneshot(self, variant->op, self->expect, &n));
		self->explen = n;
	}
}

FIXTURE_TEARDOWN(st)
{
	khsm_close(self->fd);
}

/* Check a complete output against the clean run */
#define EXPECT_OUTPUT(buf, n) do {					\
	if (variant->op != KHSM_OP_VERIFY) {				\
		EXPECT_EQ(self->explen, (n));				\
		EXPECT_EQ(0, memcmp(self->expect, (buf), self->explen));\
	}								\
} while (0)

TEST_F(st, not_initialized)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n = sizeof(out);

	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  update(self, variant->op, self->in, 16, out, &pos));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  final(self, variant->op, out, &n));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  oneshot(self, variant->op, out, &n));
}

TEST_F(st, clean_oneshot_and_multipart_agree)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;

	ASSERT_OK(INIT());
	n = sizeof(out);
	ASSERT_OK(oneshot(self, variant->op, out, &n));
	EXPECT_OUTPUT(out, n);

	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, 17, out, &pos));
	ASSERT_OK(update(self, variant->op, self->in + 17, 0, out, &pos));
	ASSERT_OK(update(self, variant->op, self->in + 17, self->inlen - 17,
			 out, &pos));
	n = sizeof(out) - pos;
	ASSERT_OK(final(self, variant->op, out + pos, &n));
	EXPECT_OUTPUT(out, pos + n);
}

/* One active operation of each kind: a second init is OPERATION_ACTIVE */
TEST_F(st, second_init_active)
{
	unsigned char out[128];
	__u64 n;

	ASSERT_OK(INIT());
	EXPECT_RV(CKR_OPERATION_ACTIVE, INIT());
	/* the failed init did not disturb the active operation */
	n = sizeof(out);
	EXPECT_OK(oneshot(self, variant->op, out, &n));
	EXPECT_OUTPUT(out, n);
}

/* C_X after C_XUpdate: CKR_OPERATION_ACTIVE (SIGN-2, DIGEST-1) */
TEST_F(st, oneshot_after_update_active)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;
	CK_RV rv;

	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, 16, out, &pos));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_ACTIVE, oneshot(self, variant->op, out, &n));
	/*
	 * Whether the refused call ended the operation is not fixed by the
	 * standard; either way no wrong result may come out of it.
	 */
	rv = update(self, variant->op, self->in + 16, self->inlen - 16,
		    out, &pos);
	if (rv == CKR_OK) {
		n = sizeof(out) - pos;
		EXPECT_OK(final(self, variant->op, out + pos, &n));
		EXPECT_OUTPUT(out, pos + n);
	} else {
		EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, rv);
	}
}

/* C_XUpdate after a C_X length query: CKR_OPERATION_ACTIVE (ENCRYPT-1) */
TEST_F(st, update_after_oneshot_query_active)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;
	CK_RV rv;

	if (variant->op == KHSM_OP_VERIFY)
		SKIP(return, "C_Verify has no length query");
	ASSERT_OK(INIT());
	n = 0;
	ASSERT_OK(oneshot(self, variant->op, NULL, &n));
	EXPECT_LE(self->explen, n);
	EXPECT_RV(CKR_OPERATION_ACTIVE,
		  update(self, variant->op, self->in, 16, out, &pos));
	n = sizeof(out);
	rv = oneshot(self, variant->op, out, &n);
	if (rv == CKR_OK)
		EXPECT_OUTPUT(out, n);
	else
		EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, rv);
}

/* A length query does not end the operation, nor does BUFFER_TOO_SMALL */
TEST_F(st, length_query_and_short_buffer_keep_op)
{
	unsigned char out[128];
	__u64 n;

	if (variant->op == KHSM_OP_VERIFY)
		SKIP(return, "C_Verify has no output");
	ASSERT_OK(INIT());
	n = 0;
	ASSERT_OK(oneshot(self, variant->op, NULL, &n));
	EXPECT_LE(self->explen, n);
	n = 0;
	ASSERT_OK(oneshot(self, variant->op, NULL, &n));
	n = self->explen - 1;
	ASSERT_RV(CKR_BUFFER_TOO_SMALL, oneshot(self, variant->op, out, &n));
	EXPECT_LE(self->explen, n);
	n = sizeof(out);
	ASSERT_OK(oneshot(self, variant->op, out, &n));
	EXPECT_OUTPUT(out, n);
}

TEST_F(st, final_length_query_keeps_op)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n, need;

	if (variant->op == KHSM_OP_VERIFY)
		SKIP(return, "C_VerifyFinal has no output");
	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, self->inlen, out, &pos));
	n = 0;
	ASSERT_OK(final(self, variant->op, NULL, &n));
	need = n;
	EXPECT_LE(self->explen - pos, need);
	if (self->explen - pos > 0) {
		n = 0;
		ASSERT_RV(CKR_BUFFER_TOO_SMALL,
			  final(self, variant->op, out + pos, &n));
	}
	n = sizeof(out) - pos;
	ASSERT_OK(final(self, variant->op, out + pos, &n));
	EXPECT_LE(n, need);
	EXPECT_OUTPUT(out, pos + n);
}

/* The operation ends after its one-shot or final (DIGEST-2) */
TEST_F(st, ends_after_oneshot_and_final)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;

	ASSERT_OK(INIT());
	n = sizeof(out);
	ASSERT_OK(oneshot(self, variant->op, out, &n));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  oneshot(self, variant->op, out, &n));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  update(self, variant->op, self->in, 16, out, &pos));

	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, self->inlen, out, &pos));
	n = sizeof(out) - pos;
	ASSERT_OK(final(self, variant->op, out + pos, &n));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  final(self, variant->op, out, &n));
	/* and a new one may start */
	EXPECT_OK(INIT());
}

/* Any other error ends it: a NULL input with a length */
TEST_F(st, ends_after_error)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;

	ASSERT_OK(INIT());
	n = sizeof(out);
	EXPECT_NE(CKR_OK, kt_oneshot(self->fd, self->s, variant->op, NULL, 16,
				     variant->op == KHSM_OP_VERIFY ?
				     self->sig : out, &n));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  oneshot(self, variant->op, out, &n));

	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, 16, out, &pos));
	EXPECT_NE(CKR_OK, kt_update(self->fd, self->s, variant->op, NULL, 16,
				    out, &(__u64){ sizeof(out) }));
	n = sizeof(out);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  final(self, variant->op, out, &n));
}

/* Errors of the operation's own kind end it too */
TEST_F(st, ends_after_crypto_error)
{
	unsigned char out[128], bad[64];
	__u64 n;
	CK_RV rv;

	memset(bad, 0, sizeof(bad));
	ASSERT_OK(INIT());
	n = sizeof(out);
	switch (variant->op) {
	case KHSM_OP_VERIFY:
		memcpy(bad, self->sig, self->siglen);
		bad[0] ^= 1;
		n = self->siglen;
		EXPECT_RV(CKR_SIGNATURE_INVALID,
			  kt_oneshot(self->fd, self->s, variant->op, self->in,
				     self->inlen, bad, &n));
		break;
	case KHSM_OP_DECRYPT:
		/* not a whole number of blocks */
		EXPECT_RV(CKR_ENCRYPTED_DATA_LEN_RANGE,
			  kt_oneshot(self->fd, self->s, variant->op, self->in,
				     self->inlen - 1, out, &n));
		break;
	default:
		SKIP(return, "no data error for this kind");
	}
	n = sizeof(out);
	rv = oneshot(self, variant->op, out, &n);
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED, rv);
}

/* A failed init leaves no operation behind */
TEST_F(st, failed_init_leaves_nothing)
{
	unsigned char out[128];
	__u64 n = sizeof(out);

	EXPECT_RV(CKR_MECHANISM_INVALID,
		  kt_op_init(self->fd, self->s, variant->op, self->aes,
			     0x80001234UL, NULL, 0));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  oneshot(self, variant->op, out, &n));
	EXPECT_OK(INIT());
}

/* All five kinds at once in one session, interleaved */
TEST_F(st, kinds_are_independent)
{
	static const struct { __u32 op; CK_MECHANISM_TYPE m; } k[] = {
		{ KHSM_OP_ENCRYPT, CKM_AES_CBC_PAD },
		{ KHSM_OP_DECRYPT, CKM_AES_CBC_PAD },
		{ KHSM_OP_SIGN, CKM_SHA256_HMAC },
		{ KHSM_OP_VERIFY, CKM_SHA256_HMAC },
		{ KHSM_OP_DIGEST, CKM_SHA256 },
	};
	unsigned char out[128];
	size_t i, pos = 0;
	__u64 n;

	for (i = 0; i < KT_ARRAY_SIZE(k); i++)
		if (k[i].op != variant->op)
			ASSERT_OK(init_op(self->fd, self->s, k[i].op, k[i].m,
					  self->aes, self->hmac));
	ASSERT_OK(INIT());
	for (i = 0; i < KT_ARRAY_SIZE(k); i++) {
		unsigned char junk[128];
		size_t jp = 0;

		if (k[i].op != variant->op)
			EXPECT_OK(update(self, k[i].op, self->in, 16, junk,
					 &jp));
	}
	ASSERT_OK(update(self, variant->op, self->in, self->inlen, out, &pos));
	n = sizeof(out) - pos;
	ASSERT_OK(final(self, variant->op, out + pos, &n));
	EXPECT_OUTPUT(out, pos + n);
	/* the others are still active */
	for (i = 0; i < KT_ARRAY_SIZE(k); i++)
		if (k[i].op != variant->op)
			EXPECT_RV(CKR_OPERATION_ACTIVE,
				  init_op(self->fd, self->s, k[i].op, k[i].m,
					  self->aes, self->hmac));
}

/* Operations belong to their session */
TEST_F(st, sessions_are_independent)
{
	unsigned char out[128];
	__u32 s2;
	__u64 n;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s2));
	ASSERT_OK(INIT());
	EXPECT_OK(init_op(self->fd, s2, variant->op, variant->mech, self->aes,
			  self->hmac));
	ASSERT_OK(kt_close(self->fd, s2));
	n = sizeof(out);
	EXPECT_OK(oneshot(self, variant->op, out, &n));
	EXPECT_OUTPUT(out, n);
}

/* C_SessionCancel ends the operations named, and only those */
TEST_F(st, cancel)
{
	unsigned char out[128];
	__u32 other = variant->op == KHSM_OP_DIGEST ? KHSM_OP_ENCRYPT :
						      KHSM_OP_DIGEST;
	CK_MECHANISM_TYPE om = other == KHSM_OP_DIGEST ? CKM_SHA256 :
							 CKM_AES_CBC_PAD;
	__u64 n = sizeof(out);

	ASSERT_OK(INIT());
	ASSERT_OK(init_op(self->fd, self->s, other, om, self->aes, self->hmac));
	ASSERT_OK(kt_cancel(self->fd, self->s, 1U << variant->op));
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  oneshot(self, variant->op, out, &n));
	EXPECT_RV(CKR_OPERATION_ACTIVE,
		  init_op(self->fd, self->s, other, om, self->aes, self->hmac));
	EXPECT_OK(INIT());
}

/* An operation keeps its key: destroying the key mid-way is safe */
TEST_F(st, key_destroyed_mid_operation)
{
	unsigned char out[128];
	size_t pos = 0;
	__u64 n;
	CK_RV rv;

	if (variant->op == KHSM_OP_DIGEST)
		SKIP(return, "digest has no key");
	ASSERT_OK(INIT());
	ASSERT_OK(update(self, variant->op, self->in, 16, out, &pos));
	ASSERT_OK(kt_destroy(self->fd, self->s,
			     variant->mech == CKM_AES_CBC_PAD ? self->aes :
								self->hmac));
	rv = update(self, variant->op, self->in + 16, self->inlen - 16, out,
		    &pos);
	if (rv == CKR_OK) {
		n = sizeof(out) - pos;
		rv = final(self, variant->op, out + pos, &n);
		if (rv == CKR_OK)
			EXPECT_OUTPUT(out, pos + n);
	}
	EXPECT_TRUE(rv == CKR_OK || rv == CKR_KEY_HANDLE_INVALID ||
		    rv == CKR_OBJECT_HANDLE_INVALID)
		TH_LOG("after the key was destroyed: %s", khsm_rv_name(rv));
	/* and a new init with the dead handle is refused */
	EXPECT_RV(CKR_KEY_HANDLE_INVALID, INIT());
}

/* The unknown operation kinds are refused */
TEST_F(st, bad_op_kind)
{
	unsigned char out[16];
	__u64 n = sizeof(out);

	if (variant->op != KHSM_OP_DIGEST)
		SKIP(return, "once is enough");
	EXPECT_NE(CKR_OK, kt_op_init(self->fd, self->s, KHSM_OP_KINDS, 0,
				     CKM_SHA256, NULL, 0));
	EXPECT_NE(CKR_OK, kt_op_init(self->fd, self->s, ~0U, 0,
				     CKM_SHA256, NULL, 0));
	EXPECT_NE(CKR_OK, kt_oneshot(self->fd, self->s, KHSM_OP_KINDS,
				     self->in, 4, out, &n));
}

KT_MAIN
