// SPDX-License-Identifier: GPL-2.0
/*
 * Compliance report, "Session, User, Object and Library Management
 * Functions": SESS-1, SESS-2.
 */
#include "kselftest_harness.h"
#include "p11_test.h"

static CK_STATE session_state(struct __test_metadata *_metadata,
			      CK_SESSION_HANDLE s)
{
	CK_SESSION_INFO si;

	memset(&si, 0, sizeof(si));
	EXPECT_OK(p11->C_GetSessionInfo(s, &si));
	return si.state;
}

/*
 * SESS-1: C_Login accepts pPin == NULL_PTR as an argument it must handle.
 * NULL means "use the protected authentication path"; a token without one
 * (CKF_PROTECTED_AUTHENTICATION_PATH clear) must refuse it as a bad
 * argument, never crash, leave the session public, and a proper login must
 * work afterwards.
 */
TEST(SESS_1)
{
	CK_TOKEN_INFO ti;
	struct p11c c;

	P11_SETUP(&c, P11_NOLOGIN);
	ASSERT_OK(p11->C_GetTokenInfo(c.slot, &ti));
	ASSERT_FALSE(ti.flags & CKF_PROTECTED_AUTHENTICATION_PATH)
		TH_LOG("khsm has no protected authentication path");

	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Login(c.s, CKU_USER, NULL, 0));
	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Login(c.s, CKU_USER, NULL, 16));
	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Login(c.s, CKU_SO, NULL, 0));
	ASSERT_EQ(CKS_RW_PUBLIC_SESSION, session_state(_metadata, c.s));

	ASSERT_OK(p11_login(c.s, CKU_USER));
	ASSERT_EQ(CKS_RW_USER_FUNCTIONS, session_state(_metadata, c.s));
	/* logged in now: a NULL PIN must not log out or crash either */
	ASSERT_RV2(CKR_ARGUMENTS_BAD, CKR_USER_ALREADY_LOGGED_IN,
		   p11->C_Login(c.s, CKU_USER, NULL, 0));
	ASSERT_EQ(CKS_RW_USER_FUNCTIONS, session_state(_metadata, c.s));
}

/*
 * SESS-2: C_FindObjectsInit while a search is active in the session fails
 * with CKR_OPERATION_ACTIVE, and the active search is not disturbed by it.
 */
TEST(SESS_2)
{
	CK_OBJECT_HANDLE a, b, found[4];
	CK_ULONG n = 0;
	struct p11_tmpl t;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	a = DATA_CREATE(c.s, "sess-2", "a", 1, 0);
	b = DATA_CREATE(c.s, "sess-2", "b", 1, 0);
	DATA_CREATE(c.s, "sess-2 other", "c", 1, 0);

	t_init(&t);
	t_str(&t, CKA_LABEL, "sess-2");
	ASSERT_OK(p11->C_FindObjectsInit(c.s, t.a, t.n));
	ASSERT_RV(CKR_OPERATION_ACTIVE, p11->C_FindObjectsInit(c.s, t.a, t.n));
	ASSERT_RV(CKR_OPERATION_ACTIVE, p11->C_FindObjectsInit(c.s, NULL, 0));

	/* the first search goes on with its own template */
	ASSERT_OK(p11->C_FindObjects(c.s, found, P11_ARRAY_SIZE(found), &n));
	ASSERT_EQ(2UL, n);
	ASSERT_TRUE((found[0] == a && found[1] == b) ||
		    (found[0] == b && found[1] == a));
	ASSERT_OK(p11->C_FindObjects(c.s, found, P11_ARRAY_SIZE(found), &n));
	ASSERT_EQ(0UL, n);
	ASSERT_OK(p11->C_FindObjectsFinal(c.s));
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED, p11->C_FindObjectsFinal(c.s));
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_FindObjects(c.s, found, 1, &n));

	/* after the final, a new search may start */
	ASSERT_OK(p11->C_FindObjectsInit(c.s, t.a, t.n));
	ASSERT_OK(p11->C_FindObjectsFinal(c.s));
}

P11_MAIN
