// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Message digest functions": DIGEST-1 .. DIGEST-3.
 */
#include "kselftest_harness.h"
#include "p11_test.h"

/*
 * DIGEST-1: after C_DigestUpdate, C_Digest is refused with
 * CKR_OPERATION_ACTIVE; after a C_Digest that only asked for the length,
 * C_DigestUpdate is refused the same way.  Multi-part still gives the
 * known digest.
 */
TEST(DIGEST_1)
{
	CK_MECHANISM m = MECH(CKM_SHA256);
	unsigned char md[32];
	CK_SESSION_HANDLE s2;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ASSERT_OK(p11->C_DigestInit(c.s, &m));
	ASSERT_OK(p11->C_DigestUpdate(c.s, (CK_BYTE_PTR)"a", 1));
	n = sizeof(md);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));

	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DigestInit(s2, &m));
	n = 0;
	ASSERT_OK(p11->C_Digest(s2, (CK_BYTE_PTR)"abc", 3, NULL, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_RV(CKR_OPERATION_ACTIVE,
		  p11->C_DigestUpdate(s2, (CK_BYTE_PTR)"abc", 3));

	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DigestInit(s2, &m));
	ASSERT_OK(p11->C_DigestUpdate(s2, (CK_BYTE_PTR)"a", 1));
	ASSERT_OK(p11->C_DigestUpdate(s2, (CK_BYTE_PTR)"bc", 2));
	n = sizeof(md);
	ASSERT_OK(p11->C_DigestFinal(s2, md, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(kat_sha256_abc, md, 32);
}

/*
 * DIGEST-2: a successful C_Digest ends the operation: C_Digest,
 * C_DigestUpdate and C_DigestFinal then give CKR_OPERATION_NOT_INITIALIZED.
 * A length query and CKR_BUFFER_TOO_SMALL do not end it (3.0 5.2).
 */
TEST(DIGEST_2)
{
	CK_MECHANISM m = MECH(CKM_SHA256);
	unsigned char md[32];
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ASSERT_OK(p11->C_DigestInit(c.s, &m));
	n = 0;
	ASSERT_OK(p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, NULL, &n));
	ASSERT_EQ(32UL, n);
	n = 16;
	ASSERT_RV(CKR_BUFFER_TOO_SMALL,
		  p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));
	ASSERT_EQ(32UL, n);
	n = sizeof(md);
	ASSERT_OK(p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(kat_sha256_abc, md, 32);

	n = sizeof(md);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_DigestUpdate(c.s, (CK_BYTE_PTR)"abc", 3));
	n = sizeof(md);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_DigestFinal(c.s, md, &n));
	/* and a new one can start */
	ASSERT_OK(p11->C_DigestInit(c.s, &m));
}

/*
 * DIGEST-3: C_DigestInit fails when no user is logged in, with
 * CKR_USER_NOT_LOGGED_IN; a token that requires this says
 * CKF_LOGIN_REQUIRED.  After login the digest works.
 */
TEST(DIGEST_3)
{
	CK_MECHANISM m = MECH(CKM_SHA256);
	unsigned char md[32];
	CK_TOKEN_INFO ti;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_NOLOGIN);
	ASSERT_OK(p11->C_GetTokenInfo(c.slot, &ti));
	ASSERT_TRUE(ti.flags & CKF_LOGIN_REQUIRED);
	ASSERT_RV(CKR_USER_NOT_LOGGED_IN, p11->C_DigestInit(c.s, &m));
	n = sizeof(md);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));

	ASSERT_OK(p11_login(c.s, CKU_USER));
	ASSERT_OK(p11->C_DigestInit(c.s, &m));
	n = sizeof(md);
	ASSERT_OK(p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, md, &n));
	ASSERT_MEM(kat_sha256_abc, md, 32);
	/* logged out again: refused again */
	ASSERT_OK(p11->C_Logout(c.s));
	ASSERT_RV(CKR_USER_NOT_LOGGED_IN, p11->C_DigestInit(c.s, &m));
}

P11_MAIN
