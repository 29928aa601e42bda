// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input (issue 3, item 6): NULL pointer arguments, zero and huge
 * lengths, stale and foreign handles.  Each must give the CK_RV the
 * standard names (CKR_ARGUMENTS_BAD for a NULL pointer that must not be
 * NULL, ..._HANDLE_INVALID for handles), never a crash: every TEST runs in
 * its own forked child.  Calls before C_Initialize, after C_Finalize and
 * from a forked child are in lifecycle.c.
 */
#include <stdlib.h>
#include "kselftest_harness.h"
#include "p11_test.h"

/* Every pointer argument that must not be NULL, one at a time */
TEST(null_pointers)
{
	CK_MECHANISM ecb = MECH(CKM_AES_ECB), sha = MECH(CKM_SHA256);
	CK_MECHANISM hmac = MECH(CKM_SHA256_HMAC), gen = MECH(CKM_AES_KEY_GEN);
	unsigned char buf[64], out[64];
	CK_ATTRIBUTE a = { CKA_LABEL, buf, sizeof(buf) };
	CK_OBJECT_HANDLE k, mk, h, d;
	CK_SESSION_HANDLE s2;
	CK_SLOT_ID slots[8];
	struct p11_tmpl t;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT);
	mk = HMAC_KEY(c.s, K_MAC);
	d = DATA_CREATE(c.s, "null", "x", 1, 0);
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);

	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetInfo(NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetSlotList(CK_TRUE, slots, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetSlotInfo(c.slot, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetTokenInfo(c.slot, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_GetMechanismList(c.slot, NULL, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_GetMechanismInfo(c.slot, CKM_AES_ECB, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_OpenSession(c.slot, CKF_SERIAL_SESSION, NULL, NULL,
				     NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetSessionInfo(c.s, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_CreateObject(c.s, NULL, 1, &h));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_CreateObject(c.s, t.a, t.n, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_CopyObject(c.s, d, NULL, 1, &h));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_CopyObject(c.s, d, &a, 0, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetAttributeValue(c.s, d, NULL, 1));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_SetAttributeValue(c.s, d, NULL, 1));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GetObjectSize(c.s, d, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_FindObjectsInit(c.s, NULL, 1));
	ASSERT_OK(p11->C_FindObjectsInit(c.s, NULL, 0));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_FindObjects(c.s, NULL, 4, &n));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_FindObjects(c.s, &h, 1, NULL));
	ASSERT_OK(p11->C_FindObjectsFinal(c.s));

	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_EncryptInit(c.s, NULL, k));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_DecryptInit(c.s, NULL, k));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_DigestInit(c.s, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_SignInit(c.s, NULL, mk));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_VerifyInit(c.s, NULL, mk));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_GenerateKey(c.s, NULL, t.a, t.n, &h));
	t_init(&t);
	t_ulong(&t, CKA_VALUE_LEN, 16);
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_GenerateKey(c.s, &gen, t.a, t.n, NULL));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_GenerateRandom(c.s, NULL, 16));

	/* data in / length out (a session each: the errors are the point) */
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s2, &ecb, k));
	n = sizeof(out);
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_Encrypt(s2, NULL, 16, out, &n));
	/* ... which ended the operation (3.0 5.8.2) */
	EXPECT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_Encrypt(s2, (CK_BYTE_PTR)kat_cbc_pt, 16, out, &n));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s2, &ecb, k));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_Encrypt(s2, (CK_BYTE_PTR)kat_cbc_pt, 16, out, NULL));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s2, &ecb, k));
	n = sizeof(out);
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_EncryptUpdate(s2, NULL, 16, out, &n));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_EncryptInit(s2, &ecb, k));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_EncryptFinal(s2, out, NULL));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DecryptInit(s2, &ecb, k));
	n = sizeof(out);
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_Decrypt(s2, NULL, 16, out, &n));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DigestInit(s2, &sha));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_Digest(s2, (CK_BYTE_PTR)"abc", 3, out, NULL));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_DigestInit(s2, &sha));
	EXPECT_RV(CKR_ARGUMENTS_BAD, p11->C_DigestUpdate(s2, NULL, 3));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_SignInit(s2, &hmac, mk));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_Sign(s2, (CK_BYTE_PTR)"abc", 3, out, NULL));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_VerifyInit(s2, &hmac, mk));
	EXPECT_RV(CKR_ARGUMENTS_BAD,
		  p11->C_Verify(s2, (CK_BYTE_PTR)"abc", 3, NULL, 32));
	/* and every operation still works afterwards */
	ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, (CK_BYTE_PTR)kat_cbc_pt, 16, out, &n));
	ASSERT_OK(p11->C_DigestInit(c.s, &sha));
	n = sizeof(out);
	ASSERT_OK(p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, out, &n));
	ASSERT_MEM(kat_sha256_abc, out, 32);
}

/* Zero lengths: empty inputs are data like any other */
TEST(zero_lengths)
{
	static const unsigned char sha_empty[32] = {	/* FIPS 180-4 */
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
		0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};
	/* McGrew & Viega test case 1: zero key and IV, empty P */
	static const unsigned char gcm_tag1[16] = {
		0x58, 0xe2, 0xfc, 0xce, 0xfa, 0x7e, 0x30, 0x61,
		0x36, 0x7f, 0x1d, 0x57, 0xa4, 0xe7, 0x45, 0x5a,
	};
	unsigned char zero[16] = { 0 }, out[64], in[1] = { 0 };
	CK_GCM_PARAMS g;
	CK_MECHANISM gcm = MECH_P(CKM_AES_GCM, &g);
	CK_MECHANISM sha = MECH(CKM_SHA256), cbcpad = {
		CKM_AES_CBC_PAD, (void *)kat_cbc_iv, 16 };
	CK_OBJECT_HANDLE k, h;
	struct p11_tmpl t;
	CK_ULONG n;
	struct p11c c;

	P11_SETUP(&c, P11_USER);
	ASSERT_OK(p11->C_DigestInit(c.s, &sha));
	n = sizeof(out);
	ASSERT_OK(p11->C_Digest(c.s, in, 0, out, &n));
	ASSERT_EQ(32UL, n);
	ASSERT_MEM(sha_empty, out, 32);

	memset(&g, 0, sizeof(g));
	g.pIv = zero;
	g.ulIvLen = 12;
	g.ulIvBits = 96;
	g.ulTagBits = 128;
	k = KEY_IMPORT(c.s, CKK_AES, zero, 16, K_CRYPT);
	ASSERT_OK(p11->C_EncryptInit(c.s, &gcm, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, in, 0, out, &n));
	ASSERT_EQ(16UL, n);
	ASSERT_MEM(gcm_tag1, out, 16);

	/* CBC_PAD of nothing is one block of padding */
	ASSERT_OK(p11->C_EncryptInit(c.s, &cbcpad, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, in, 0, out, &n));
	ASSERT_EQ(16UL, n);

	ASSERT_OK(p11->C_GenerateRandom(c.s, out, 0));
	/* an empty label is a label */
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	t_bytes(&t, CKA_LABEL, "", 0);
	ASSERT_OK(p11->C_CreateObject(c.s, t.a, t.n, &h));
	/* an empty template makes nothing */
	ASSERT_RV2(CKR_TEMPLATE_INCOMPLETE, CKR_ARGUMENTS_BAD,
		   p11->C_CreateObject(c.s, NULL, 0, &h));
	/* an empty AES key is not one */
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE, CKK_AES);
	t_bytes(&t, CKA_VALUE, zero, 0);
	ASSERT_RV(CKR_ATTRIBUTE_VALUE_INVALID,
		  p11->C_CreateObject(c.s, t.a, t.n, &h));
	/* an empty PIN is a wrong PIN (PIN_LEN_RANGE is for setting PINs) */
	ASSERT_OK(p11->C_Logout(c.s));
	ASSERT_RV(CKR_PIN_INCORRECT,
		  p11->C_Login(c.s, CKU_USER, (CK_UTF8CHAR_PTR)"x", 0));
	ASSERT_OK(p11_login(c.s, CKU_USER));
}

/*
 * Huge lengths, with buffers that really are that big: a defined answer
 * (khsm bounds one call's data, one attribute and one template, Table
 * in uapi/linux/khsm.h), never a crash or a hang.
 */
TEST(huge_lengths)
{
	const CK_ULONG big = (16UL << 20) + 16;	/* 16 MiB + a block */
	CK_MECHANISM ecb = MECH(CKM_AES_ECB), sha = MECH(CKM_SHA256);
	CK_MECHANISM cbc_big = { CKM_AES_CBC, NULL, 1UL << 20 };
	unsigned char *buf, *out;
	CK_ATTRIBUTE *many;
	CK_OBJECT_HANDLE k, h;
	struct p11_tmpl t;
	CK_ULONG n, i;
	CK_RV rv;
	struct p11c c;

	buf = calloc(1, big);
	out = calloc(1, big + 16);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, out);
	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT);

	ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, k));
	n = big + 16;
	rv = p11->C_Encrypt(c.s, buf, big, out, &n);
	ASSERT_TRUE(rv == CKR_OK || rv == CKR_DATA_LEN_RANGE)
		TH_LOG("16 MiB C_Encrypt: %s", khsm_rv_name(rv));
	if (rv == CKR_OK)
		ASSERT_EQ(big, n);

	/* multi-part has no bound at all */
	ASSERT_OK(p11->C_DigestInit(c.s, &sha));
	ASSERT_OK(p11->C_DigestUpdate(c.s, buf, big));
	n = 32;
	ASSERT_OK(p11->C_DigestFinal(c.s, out, &n));

	/* a 1 MiB random request (the kernel gives 64 KiB per call) */
	memset(buf, 0, 1 << 20);
	memset(out, 0, 4096);
	ASSERT_OK(p11->C_GenerateRandom(c.s, buf, 1 << 20));
	ASSERT_NE(0, memcmp(buf, buf + (1 << 19), 4096));
	/* filled to the end, not just the first kernel call's worth */
	ASSERT_NE(0, memcmp(buf + (1 << 20) - 4096, out, 4096));

	/* a 1 MiB mechanism parameter */
	cbc_big.pParameter = buf;
	ASSERT_RV(CKR_MECHANISM_PARAM_INVALID,
		  p11->C_EncryptInit(c.s, &cbc_big, k));

	/* a 1 MiB label */
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	{
		CK_ATTRIBUTE a[2] = {
			t.a[0], { CKA_LABEL, buf, 1UL << 20 },
		};

		rv = p11->C_CreateObject(c.s, a, 2, &h);
		ASSERT_TRUE(rv == CKR_OK || rv == CKR_ATTRIBUTE_VALUE_INVALID ||
			    rv == CKR_DEVICE_MEMORY)
			TH_LOG("1 MiB label: %s", khsm_rv_name(rv));
	}

	/* a template of 100000 attributes */
	many = calloc(100000, sizeof(*many));
	ASSERT_NE(NULL, many);
	many[0] = t.a[0];
	for (i = 1; i < 100000; i++) {
		many[i].type = CKA_LABEL;
		many[i].pValue = "same";
		many[i].ulValueLen = 4;
	}
	rv = p11->C_CreateObject(c.s, many, 100000, &h);
	ASSERT_TRUE(rv == CKR_OK || rv == CKR_TEMPLATE_INCONSISTENT ||
		    rv == CKR_ARGUMENTS_BAD || rv == CKR_DEVICE_MEMORY)
		TH_LOG("100000 attributes: %s", khsm_rv_name(rv));

	/* a 1 MiB PIN is a wrong PIN */
	ASSERT_OK(p11->C_Logout(c.s));
	rv = p11->C_Login(c.s, CKU_USER, buf, 1UL << 20);
	ASSERT_TRUE(rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE ||
		    rv == CKR_ARGUMENTS_BAD)
		TH_LOG("1 MiB PIN: %s", khsm_rv_name(rv));
	ASSERT_OK(p11_login(c.s, CKU_USER));
	free(many);
	free(buf);
	free(out);
}

/* Session handles that are not (or no longer) sessions of this app */
TEST(stale_sessions)
{
	static const CK_SESSION_HANDLE fixed[] = {
		CK_INVALID_HANDLE, 0x7ffffff0UL, ~(CK_SESSION_HANDLE)0,
	};
	CK_MECHANISM sha = MECH(CKM_SHA256);
	CK_SESSION_HANDLE bad[4], s2;
	CK_SESSION_INFO si;
	unsigned char buf[16];
	CK_OBJECT_HANDLE h;
	struct p11_tmpl t;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	memcpy(bad, fixed, sizeof(fixed));
	s2 = NEW_SESSION(&c);
	ASSERT_OK(p11->C_CloseSession(s2));
	bad[3] = s2;
	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_DATA);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_GetSessionInfo(bad[i], &si));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_CreateObject(bad[i], t.a, t.n, &h));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_FindObjectsInit(bad[i], NULL, 0));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_DigestInit(bad[i], &sha));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_GenerateRandom(bad[i], buf, 16));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID, p11->C_Logout(bad[i]));
		EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_CloseSession(bad[i]));
	}
	/* and the good session is untouched, still logged in */
	ASSERT_OK(p11->C_GetSessionInfo(c.s, &si));
	ASSERT_EQ(CKS_RW_USER_FUNCTIONS, si.state);
}

/* Object handles: destroyed, of a closed session, of another application */
TEST(stale_objects)
{
	unsigned char buf[16];
	CK_ATTRIBUTE a = { CKA_LABEL, buf, sizeof(buf) };
	CK_ATTRIBUTE lbl = { CKA_LABEL, "x", 1 };
	CK_OBJECT_HANDLE bad[5], h;
	CK_SESSION_HANDLE s2;
	CK_ULONG n;
	int release;
	pid_t pid;
	struct p11c c;
	size_t i;

	P11_SETUP(&c, P11_USER);
	bad[0] = CK_INVALID_HANDLE;
	bad[1] = DATA_CREATE(c.s, "stale", "x", 1, 0);
	ASSERT_OK(p11->C_DestroyObject(c.s, bad[1]));
	s2 = NEW_SESSION(&c);
	bad[2] = DATA_CREATE(s2, "closed", "x", 1, 0);
	ASSERT_OK(p11->C_CloseSession(s2));
	bad[3] = 0x7ffffff0UL;
	foreign_key_(_metadata, CKK_AES, kat_cbc_key, 16, K_CRYPT, &pid,
		     &release, &bad[4]);
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		EXPECT_RV_LOG(CKR_OBJECT_HANDLE_INVALID,
			      p11->C_GetAttributeValue(c.s, bad[i], &a, 1),
			      "get, handle #%zu", i);
		EXPECT_RV_LOG(CKR_OBJECT_HANDLE_INVALID,
			      p11->C_SetAttributeValue(c.s, bad[i], &lbl, 1),
			      "set, handle #%zu", i);
		EXPECT_RV_LOG(CKR_OBJECT_HANDLE_INVALID,
			      p11->C_CopyObject(c.s, bad[i], &lbl, 1, &h),
			      "copy, handle #%zu", i);
		EXPECT_RV_LOG(CKR_OBJECT_HANDLE_INVALID,
			      p11->C_GetObjectSize(c.s, bad[i], &n),
			      "size, handle #%zu", i);
		EXPECT_RV_LOG(CKR_OBJECT_HANDLE_INVALID,
			      p11->C_DestroyObject(c.s, bad[i]),
			      "destroy, handle #%zu", i);
	}
	foreign_release(pid, release);
}

/* Slot IDs that name no slot */
TEST(bad_slots)
{
	static const CK_SLOT_ID bad[] = { 0x7ffffff0UL, ~(CK_SLOT_ID)0 };
	CK_MECHANISM_TYPE mt[8];
	CK_MECHANISM_INFO mi;
	CK_SESSION_HANDLE s;
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_ULONG n;
	size_t i;

	ASSERT_OK(p11->C_Initialize(NULL));
	for (i = 0; i < P11_ARRAY_SIZE(bad); i++) {
		EXPECT_RV(CKR_SLOT_ID_INVALID, p11->C_GetSlotInfo(bad[i], &si));
		EXPECT_RV(CKR_SLOT_ID_INVALID,
			  p11->C_GetTokenInfo(bad[i], &ti));
		n = P11_ARRAY_SIZE(mt);
		EXPECT_RV(CKR_SLOT_ID_INVALID,
			  p11->C_GetMechanismList(bad[i], mt, &n));
		EXPECT_RV(CKR_SLOT_ID_INVALID,
			  p11->C_GetMechanismInfo(bad[i], CKM_AES_ECB, &mi));
		EXPECT_RV(CKR_SLOT_ID_INVALID,
			  p11->C_OpenSession(bad[i], CKF_SERIAL_SESSION, NULL,
					     NULL, &s));
		EXPECT_RV(CKR_SLOT_ID_INVALID,
			  p11->C_CloseAllSessions(bad[i]));
	}
}

P11_MAIN
