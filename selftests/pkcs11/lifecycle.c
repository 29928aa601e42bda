// SPDX-License-Identifier: GPL-2.0
/*
 * Library life cycle (issue 3, items 1, 2 and 6): calls before C_Initialize
 * and after C_Finalize, C_Initialize's arguments, a forked child, and the
 * 3.0 interface (C_GetInterface, C_SessionCancel, message-based GCM).
 */
#include <dlfcn.h>
#include "kselftest_harness.h"
#include "p11_test.h"
#include "pkcs11_30.h"

/*
 * Every function that needs the library initialized, called with
 * arguments that are otherwise fine, must give @want.
 */
static void all_calls(struct __test_metadata *_metadata, CK_SLOT_ID slot,
		      CK_SESSION_HANDLE s, CK_RV want)
{
	CK_MECHANISM m = MECH(CKM_SHA256);
	CK_MECHANISM_TYPE mt[64];
	CK_OBJECT_HANDLE h = 1, found[4];
	CK_SESSION_INFO si;
	CK_SLOT_INFO sli;
	CK_TOKEN_INFO ti;
	CK_MECHANISM_INFO mi;
	CK_SLOT_ID slots[8];
	CK_INFO info;
	unsigned char buf[64];
	CK_ATTRIBUTE a = { CKA_LABEL, buf, sizeof(buf) };
	CK_ULONG n;

	EXPECT_RV(want, p11->C_GetInfo(&info));
	n = P11_ARRAY_SIZE(slots);
	EXPECT_RV(want, p11->C_GetSlotList(CK_FALSE, slots, &n));
	EXPECT_RV(want, p11->C_GetSlotInfo(slot, &sli));
	EXPECT_RV(want, p11->C_GetTokenInfo(slot, &ti));
	n = P11_ARRAY_SIZE(mt);
	EXPECT_RV(want, p11->C_GetMechanismList(slot, mt, &n));
	EXPECT_RV(want, p11->C_GetMechanismInfo(slot, CKM_SHA256, &mi));
	EXPECT_RV(want, p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL,
					   NULL, &s));
	EXPECT_RV(want, p11->C_GetSessionInfo(s, &si));
	EXPECT_RV(want, p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)"1234", 4));
	EXPECT_RV(want, p11->C_Logout(s));
	EXPECT_RV(want, p11->C_GetAttributeValue(s, h, &a, 1));
	EXPECT_RV(want, p11->C_FindObjectsInit(s, NULL, 0));
	n = 0;
	EXPECT_RV(want, p11->C_FindObjects(s, found, 4, &n));
	EXPECT_RV(want, p11->C_DigestInit(s, &m));
	n = sizeof(buf);
	EXPECT_RV(want, p11->C_Digest(s, buf, 3, buf, &n));
	EXPECT_RV(want, p11->C_EncryptInit(s, &m, h));
	EXPECT_RV(want, p11->C_SignInit(s, &m, h));
	EXPECT_RV(want, p11->C_GenerateRandom(s, buf, 16));
	EXPECT_RV(want, p11->C_DestroyObject(s, h));
	EXPECT_RV(want, p11->C_CloseSession(s));
	EXPECT_RV(want, p11->C_CloseAllSessions(slot));
	EXPECT_RV(want, p11->C_Finalize(NULL));
}

/* Before C_Initialize: CKR_CRYPTOKI_NOT_INITIALIZED, never a crash */
TEST(before_initialize)
{
	all_calls(_metadata, 0, 1, CKR_CRYPTOKI_NOT_INITIALIZED);
	/* C_GetFunctionList works uninitialized */
	{
		CK_FUNCTION_LIST_PTR fl = NULL;
		CK_C_GetFunctionList get;
		void *dl = dlopen(p11_module_path(), RTLD_NOW | RTLD_NOLOAD);

		ASSERT_NE(NULL, dl);
		get = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList");
		ASSERT_NE(NULL, get);
		ASSERT_OK(get(&fl));
		ASSERT_EQ(p11, fl);
		ASSERT_RV(CKR_ARGUMENTS_BAD, get(NULL));
	}
}

/*
 * After C_Finalize, the same; a second C_Finalize too; then a new
 * C_Initialize works and the old sessions are gone.
 */
TEST(after_finalize)
{
	CK_SESSION_INFO si;
	struct p11c c;
	CK_SESSION_HANDLE old;

	P11_SETUP(&c, P11_USER);
	old = c.s;
	ASSERT_OK(p11->C_Finalize(NULL));
	all_calls(_metadata, c.slot, old, CKR_CRYPTOKI_NOT_INITIALIZED);

	P11_SETUP(&c, P11_NOLOGIN);
	if (c.s != old)
		ASSERT_RV(CKR_SESSION_HANDLE_INVALID,
			  p11->C_GetSessionInfo(old, &si));
	ASSERT_OK(p11->C_GetSessionInfo(c.s, &si));
	/* a new application: not logged in any more */
	ASSERT_EQ(CKS_RW_PUBLIC_SESSION, si.state);
}

static CK_RV mx_create(CK_VOID_PTR_PTR m)
{
	*m = malloc(1);
	return *m ? CKR_OK : CKR_HOST_MEMORY;
}

static CK_RV mx_destroy(CK_VOID_PTR m)
{
	free(m);
	return CKR_OK;
}

static CK_RV mx_nop(CK_VOID_PTR m)
{
	(void)m;
	return CKR_OK;
}

/* C_Initialize's arguments (3.0 5.4.1) and C_Finalize's */
TEST(initialize_args)
{
	CK_C_INITIALIZE_ARGS ia;
	int x;

	memset(&ia, 0, sizeof(ia));
	ia.pReserved = &x;
	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Initialize(&ia));
	memset(&ia, 0, sizeof(ia));
	ia.CreateMutex = mx_create;	/* some, not all */
	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Initialize(&ia));

	/* the application's mutexes only: use them, or CKR_CANT_LOCK */
	memset(&ia, 0, sizeof(ia));
	ia.CreateMutex = mx_create;
	ia.DestroyMutex = mx_destroy;
	ia.LockMutex = mx_nop;
	ia.UnlockMutex = mx_nop;
	ASSERT_RV2(CKR_OK, CKR_CANT_LOCK, p11->C_Initialize(&ia));
	p11->C_Finalize(NULL);

	memset(&ia, 0, sizeof(ia));
	ia.flags = CKF_OS_LOCKING_OK | CKF_LIBRARY_CANT_CREATE_OS_THREADS;
	ASSERT_OK(p11->C_Initialize(&ia));
	ASSERT_RV(CKR_CRYPTOKI_ALREADY_INITIALIZED, p11->C_Initialize(NULL));
	ASSERT_RV(CKR_ARGUMENTS_BAD, p11->C_Finalize(&x));
	ASSERT_OK(p11->C_Finalize(NULL));
	ASSERT_RV(CKR_CRYPTOKI_NOT_INITIALIZED, p11->C_Finalize(NULL));
}

/*
 * A forked child is not initialized (its parent's sessions are not its
 * own): CKR_CRYPTOKI_NOT_INITIALIZED until it calls C_Initialize, which
 * works, and after which it is an application of its own.  The parent is
 * undisturbed.
 */
TEST(fork_child)
{
	CK_MECHANISM cbc = { CKM_AES_CBC, (void *)kat_cbc_iv, 16 };
	unsigned char out[32];
	CK_SESSION_INFO si;
	CK_OBJECT_HANDLE k;
	struct p11c c;
	CK_ULONG n;
	pid_t pid;
	int st;

	P11_SETUP(&c, P11_USER);
	k = AES_KEY(c.s, K_CRYPT);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct p11c cc;

		all_calls(_metadata, c.slot, c.s,
			  CKR_CRYPTOKI_NOT_INITIALIZED);
		P11_SETUP(&cc, P11_NOLOGIN);
		if (cc.s != c.s)
			EXPECT_RV(CKR_SESSION_HANDLE_INVALID,
				  p11->C_GetSessionInfo(c.s, &si));
		ASSERT_OK(p11->C_GetSessionInfo(cc.s, &si));
		ASSERT_EQ(CKS_RW_PUBLIC_SESSION, si.state);
		ASSERT_OK(p11_login(cc.s, CKU_USER));
		k = AES_KEY(cc.s, K_CRYPT);
		ASSERT_OK(p11->C_EncryptInit(cc.s, &cbc, k));
		n = sizeof(out);
		ASSERT_OK(p11->C_Encrypt(cc.s, (CK_BYTE_PTR)kat_cbc_pt, 32,
					 out, &n));
		ASSERT_MEM(kat_cbc_ct, out, 32);
		p11->C_Finalize(NULL);
		_exit(_metadata->passed ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("child: status 0x%x", st);
	/* the parent's session, login and key are as they were */
	ASSERT_OK(p11->C_GetSessionInfo(c.s, &si));
	ASSERT_EQ(CKS_RW_USER_FUNCTIONS, si.state);
	ASSERT_OK(p11->C_EncryptInit(c.s, &cbc, k));
	n = sizeof(out);
	ASSERT_OK(p11->C_Encrypt(c.s, (CK_BYTE_PTR)kat_cbc_pt, 32, out, &n));
	ASSERT_MEM(kat_cbc_ct, out, 32);
}

/* The 3.0 interface of the module, or skip when it has none */
static CK_FUNCTION_LIST_3_0_PTR iface30(struct __test_metadata *_metadata)
{
	CK_C_GetInterface get;
	CK_INTERFACE_PTR ifc = NULL;
	CK_VERSION v = { 3, 0 };
	void *dl = dlopen(p11_module_path(), RTLD_NOW | RTLD_NOLOAD);

	if (!dl)
		return NULL;
	get = (CK_C_GetInterface)dlsym(dl, "C_GetInterface");
	if (!get)
		return NULL;
	if (get((CK_UTF8CHAR_PTR)"PKCS 11", &v, &ifc, 0) != CKR_OK || !ifc)
		return NULL;
	EXPECT_EQ(0, strcmp((char *)ifc->pInterfaceName, "PKCS 11"));
	return ifc->pFunctionList;
}

/*
 * C_GetInterfaceList / C_GetInterface: "PKCS 11" 3.0 and 2.40; the 3.0
 * list's 2.40 part is the same module's.
 */
TEST(interface_30)
{
	CK_C_GetInterfaceList list;
	CK_C_GetInterface get;
	CK_INTERFACE ifs[8], *ifc = NULL;
	CK_VERSION v2 = { 2, 40 };
	CK_FUNCTION_LIST_3_0_PTR f3;
	CK_ULONG n = 0, i;
	int has3 = 0, has2 = 0;
	void *dl = dlopen(p11_module_path(), RTLD_NOW | RTLD_NOLOAD);

	ASSERT_NE(NULL, dl);
	list = (CK_C_GetInterfaceList)dlsym(dl, "C_GetInterfaceList");
	get = (CK_C_GetInterface)dlsym(dl, "C_GetInterface");
	if (!list && !get && p11_is_softhsm())
		SKIP(return, "SoftHSMv2 2.6 is a 2.40 module");
	ASSERT_NE(NULL, list);
	ASSERT_NE(NULL, get);
	ASSERT_OK(list(NULL, &n));
	ASSERT_LE(1UL, n);
	ASSERT_GE(P11_ARRAY_SIZE(ifs), n);
	ASSERT_OK(list(ifs, &n));
	for (i = 0; i < n; i++) {
		CK_VERSION *ver = ifs[i].pFunctionList;

		if (strcmp((char *)ifs[i].pInterfaceName, "PKCS 11"))
			continue;
		has3 |= ver->major == 3 && ver->minor == 0;
		has2 |= ver->major == 2 && ver->minor == 40;
	}
	ASSERT_TRUE(has3 && has2);
	ASSERT_OK(get((CK_UTF8CHAR_PTR)"PKCS 11", &v2, &ifc, 0));
	ASSERT_EQ(2, ((CK_VERSION *)ifc->pFunctionList)->major);
	ASSERT_OK(get(NULL, NULL, &ifc, 0));	/* the default */
	f3 = iface30(_metadata);
	ASSERT_NE(NULL, f3);
	ASSERT_EQ(3, f3->version.major);
	ASSERT_NE(NULL, f3->C_SessionCancel);
	ASSERT_NE(NULL, f3->C_LoginUser);
	ASSERT_NE(NULL, f3->C_EncryptMessage);
	ASSERT_RV(CKR_ARGUMENTS_BAD,
		  get((CK_UTF8CHAR_PTR)"PKCS 11", &v2, NULL, 0));
}

/* C_SessionCancel ends the named operations, and only those */
TEST(session_cancel)
{
	CK_MECHANISM ecb = MECH(CKM_AES_ECB), sha = MECH(CKM_SHA256);
	CK_FUNCTION_LIST_3_0_PTR f3;
	unsigned char out[32];
	CK_OBJECT_HANDLE k;
	struct p11c c;
	CK_ULONG n;

	P11_SETUP(&c, P11_USER);
	f3 = iface30(_metadata);
	if (!f3 && p11_is_softhsm())
		SKIP(return, "SoftHSMv2 2.6 is a 2.40 module");
	ASSERT_NE(NULL, f3);
	k = AES_KEY(c.s, K_CRYPT);
	ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, k));
	ASSERT_OK(p11->C_DigestInit(c.s, &sha));
	ASSERT_OK(f3->C_SessionCancel(c.s, CKF_ENCRYPT));
	n = sizeof(out);
	ASSERT_RV(CKR_OPERATION_NOT_INITIALIZED,
		  p11->C_EncryptUpdate(c.s, (CK_BYTE_PTR)kat_cbc_pt, 16, out,
				       &n));
	n = sizeof(out);
	ASSERT_OK(p11->C_Digest(c.s, (CK_BYTE_PTR)"abc", 3, out, &n));
	ASSERT_MEM(kat_sha256_abc, out, 32);
	ASSERT_OK(p11->C_EncryptInit(c.s, &ecb, k));
}

/* Message-based AES-GCM (3.0 5.9, 5.11) gives the published vector */
TEST(message_gcm)
{
	CK_MECHANISM gcm = MECH(CKM_AES_GCM);
	CK_GCM_MESSAGE_PARAMS mp;
	CK_FUNCTION_LIST_3_0_PTR f3;
	unsigned char tag[16], out[64], iv[12];
	CK_OBJECT_HANDLE k;
	struct p11c c;
	CK_ULONG n;

	P11_SETUP(&c, P11_USER);
	f3 = iface30(_metadata);
	if (!f3 && p11_is_softhsm())
		SKIP(return, "SoftHSMv2 2.6 is a 2.40 module");
	ASSERT_NE(NULL, f3);
	k = KEY_IMPORT(c.s, CKK_AES, kat_gcm_key, 16, K_CRYPT);
	memcpy(iv, kat_gcm_iv, sizeof(iv));
	memset(&mp, 0, sizeof(mp));
	mp.pIv = iv;
	mp.ulIvLen = sizeof(iv);
	mp.ivGenerator = CKG_NO_GENERATE;
	mp.pTag = tag;
	mp.ulTagBits = 128;

	ASSERT_OK(f3->C_MessageEncryptInit(c.s, &gcm, k));
	n = sizeof(out);
	ASSERT_OK(f3->C_EncryptMessage(c.s, &mp, sizeof(mp),
				       (CK_BYTE_PTR)kat_gcm_aad,
				       sizeof(kat_gcm_aad),
				       (CK_BYTE_PTR)kat_gcm_pt,
				       sizeof(kat_gcm_pt), out, &n));
	ASSERT_EQ(60UL, n);
	ASSERT_MEM(kat_gcm_ct, out, 60);
	ASSERT_MEM(kat_gcm_tag, tag, 16);
	ASSERT_MEM(kat_gcm_iv, iv, 12);
	ASSERT_OK(f3->C_MessageEncryptFinal(c.s));

	ASSERT_OK(f3->C_MessageDecryptInit(c.s, &gcm, k));
	n = sizeof(out);
	ASSERT_OK(f3->C_DecryptMessage(c.s, &mp, sizeof(mp),
				       (CK_BYTE_PTR)kat_gcm_aad,
				       sizeof(kat_gcm_aad),
				       (CK_BYTE_PTR)kat_gcm_ct,
				       sizeof(kat_gcm_ct), out, &n));
	ASSERT_EQ(60UL, n);
	ASSERT_MEM(kat_gcm_pt, out, 60);
	tag[0] ^= 1;
	n = sizeof(out);
	ASSERT_RV2(CKR_AEAD_DECRYPT_FAILED, CKR_ENCRYPTED_DATA_INVALID,
		   f3->C_DecryptMessage(c.s, &mp, sizeof(mp),
					(CK_BYTE_PTR)kat_gcm_aad,
					sizeof(kat_gcm_aad),
					(CK_BYTE_PTR)kat_gcm_ct,
					sizeof(kat_gcm_ct), out, &n));
	ASSERT_OK(f3->C_MessageDecryptFinal(c.s));
}

P11_MAIN
