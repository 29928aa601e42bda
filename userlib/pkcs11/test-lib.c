// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Checks of what khsm-pkcs11.so itself owns, runnable with or without
 * /dev/hsm: the interfaces, C_Initialize's arguments, the library state,
 * fork, the slot.  (The kernel's behaviour behind each call is tested by
 * selftests/pkcs11.)  Loads the module with dlopen, as applications do.
 *
 *   ./test-lib [path/to/khsm-pkcs11.so]
 *
 * TAP output; exit 0 when every check passed.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkcs11_30.h"
#include "tap.h"

static CK_RV dummy_create(CK_VOID_PTR_PTR m) { *m = NULL; return CKR_OK; }
static CK_RV dummy_mutex(CK_VOID_PTR m) { (void)m; return CKR_OK; }

static void test_interfaces(void *lib, CK_FUNCTION_LIST_PTR *f2,
			    CK_FUNCTION_LIST_3_0_PTR *f3)
{
	CK_C_GetFunctionList gfl =
		(CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
	CK_C_GetInterfaceList gil =
		(CK_C_GetInterfaceList)dlsym(lib, "C_GetInterfaceList");
	CK_C_GetInterface gi = (CK_C_GetInterface)dlsym(lib, "C_GetInterface");
	CK_INTERFACE list[3], *ifc;
	CK_VERSION v240 = { 2, 40 }, v30 = { 3, 0 }, v99 = { 9, 9 };
	CK_ULONG n;

	CHECK(gfl && gil && gi, "the three discovery functions are exported");
	if (!gfl || !gil || !gi)
		exit(1);
	CHECK_RV(gfl(NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(gfl(f2), CKR_OK);
	CHECK((*f2)->version.major == 2 && (*f2)->version.minor == 40,
	      "C_GetFunctionList gives the 2.40 list");

	CHECK_RV(gil(NULL, NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(gil(NULL, &n), CKR_OK);
	CHECK(n == 2, "two interfaces (got %lu)", n);
	n = 1;
	CHECK_RV(gil(list, &n), CKR_BUFFER_TOO_SMALL);
	CHECK(n == 2, "BUFFER_TOO_SMALL sets the count");
	n = 3;
	CHECK_RV(gil(list, &n), CKR_OK);
	CHECK(n == 2 && !strcmp((char *)list[0].pInterfaceName, "PKCS 11") &&
	      !strcmp((char *)list[1].pInterfaceName, "PKCS 11"),
	      "both are \"PKCS 11\"");

	CHECK_RV(gi(NULL, NULL, NULL, 0), CKR_ARGUMENTS_BAD);
	CHECK_RV(gi(NULL, NULL, &ifc, 0), CKR_OK);
	CHECK(((CK_VERSION *)ifc->pFunctionList)->major == 3,
	      "the default interface is 3.0");
	CHECK_RV(gi((CK_UTF8CHAR_PTR)"PKCS 11", &v240, &ifc, 0), CKR_OK);
	CHECK(ifc->pFunctionList == (void *)*f2,
	      "\"PKCS 11\" 2.40 is C_GetFunctionList's list");
	CHECK_RV(gi((CK_UTF8CHAR_PTR)"PKCS 11", &v30, &ifc, 0), CKR_OK);
	*f3 = ifc->pFunctionList;
	CHECK((*f3)->version.major == 3 && (*f3)->version.minor == 0 &&
	      (*f3)->C_LoginUser == dlsym(lib, "C_LoginUser") &&
	      (*f3)->C_MessageVerifyFinal == dlsym(lib, "C_MessageVerifyFinal") &&
	      (*f3)->C_WaitForSlotEvent == dlsym(lib, "C_WaitForSlotEvent"),
	      "the 3.0 list holds the exported functions in their places");
	CHECK_RV(gi((CK_UTF8CHAR_PTR)"PKCS 11", &v99, &ifc, 0),
		 CKR_ARGUMENTS_BAD);
	CHECK_RV(gi((CK_UTF8CHAR_PTR)"Vendor X", NULL, &ifc, 0),
		 CKR_ARGUMENTS_BAD);
	CHECK_RV(gi(NULL, NULL, &ifc, CKF_INTERFACE_FORK_SAFE),
		 CKR_ARGUMENTS_BAD);
}

static void test_init(CK_FUNCTION_LIST_PTR f, CK_FUNCTION_LIST_3_0_PTR f3)
{
	CK_C_INITIALIZE_ARGS a;
	CK_INFO info;
	CK_ULONG n;
	CK_SESSION_HANDLE s;
	CK_BYTE buf[16];

	/* before C_Initialize */
	CHECK_RV(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f->C_GetSlotList(CK_FALSE, NULL, &n),
		 CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s),
		 CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f->C_Encrypt(1, buf, 1, NULL, NULL),
		 CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f->C_GetOperationState(1, NULL, NULL),
		 CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f3->C_EncryptMessageBegin(1, NULL, 0, NULL, 0),
		 CKR_CRYPTOKI_NOT_INITIALIZED);
	CHECK_RV(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);

	/* CK_C_INITIALIZE_ARGS */
	memset(&a, 0, sizeof(a));
	a.pReserved = &a;
	CHECK_RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
	memset(&a, 0, sizeof(a));
	a.CreateMutex = dummy_create;
	CHECK_RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
	a.DestroyMutex = dummy_mutex;
	a.LockMutex = dummy_mutex;
	CHECK_RV(f->C_Initialize(&a), CKR_ARGUMENTS_BAD);
	a.UnlockMutex = dummy_mutex;	/* all four, no CKF_OS_LOCKING_OK */
	CHECK_RV(f->C_Initialize(&a), CKR_OK);
	CHECK_RV(f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
	CHECK_RV(f->C_Finalize(&a), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_Finalize(NULL), CKR_OK);
	CHECK_RV(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
	memset(&a, 0, sizeof(a));
	a.flags = CKF_OS_LOCKING_OK | CKF_LIBRARY_CANT_CREATE_OS_THREADS;
	CHECK_RV(f->C_Initialize(&a), CKR_OK);
	CHECK_RV(f->C_Finalize(NULL), CKR_OK);
	CHECK_RV(f->C_Initialize(NULL), CKR_OK);

	CHECK_RV(f->C_GetInfo(NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_GetInfo(&info), CKR_OK);
	CHECK(info.cryptokiVersion.major == 2 &&
	      info.cryptokiVersion.minor == 40,
	      "C_GetInfo of the 2.40 list says 2.40");
	CHECK(info.manufacturerID[31] == ' ' && info.flags == 0,
	      "CK_INFO is blank padded, flags 0");
	CHECK_RV(f3->C_GetInfo(&info), CKR_OK);
	CHECK(info.cryptokiVersion.major == 3 &&
	      info.cryptokiVersion.minor == 0,
	      "C_GetInfo of the 3.0 list says 3.0");
}

static void test_slot(CK_FUNCTION_LIST_PTR f, CK_FUNCTION_LIST_3_0_PTR f3)
{
	int present = access("/dev/hsm", F_OK) == 0;
	CK_SLOT_ID slots[2];
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_SESSION_HANDLE s;
	CK_ULONG n;
	CK_BYTE buf[16];

	CHECK_RV(f->C_GetSlotList(CK_FALSE, NULL, NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
	CHECK(n == 1, "one slot");
	n = 0;
	CHECK_RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_BUFFER_TOO_SMALL);
	n = 2;
	CHECK_RV(f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
	CHECK_RV(f->C_GetSlotInfo(slots[0] + 1, &si), CKR_SLOT_ID_INVALID);
	CHECK_RV(f->C_GetSlotInfo(slots[0], NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_GetSlotInfo(slots[0], &si), CKR_OK);
	CHECK(si.flags & CKF_REMOVABLE_DEVICE, "slot: removable device");
	CHECK_RV(f->C_GetTokenInfo(slots[0] + 1, &ti), CKR_SLOT_ID_INVALID);
	CHECK_RV(f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &slots[1], NULL),
		 CKR_FUNCTION_NOT_SUPPORTED);
	CHECK_RV(f->C_GetOperationState(1, NULL, &n),
		 CKR_FUNCTION_NOT_SUPPORTED);
	CHECK_RV(f3->C_DecryptMessageNext(1, NULL, 0, NULL, 0, NULL, NULL, 0),
		 CKR_FUNCTION_NOT_SUPPORTED);
	/* handles the 32-bit ABI cannot carry are invalid */
	CHECK_RV(f->C_CloseSession(1UL << 32), CKR_SESSION_HANDLE_INVALID);
	if (present) {
		CHECK(si.flags & CKF_TOKEN_PRESENT, "token present");
		n = 0;
		CHECK_RV(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
		CHECK(n == 1, "one slot with a token");
		CHECK_RV(f->C_GetTokenInfo(slots[0], &ti), CKR_OK);
		return;
	}
	CHECK(!(si.flags & CKF_TOKEN_PRESENT), "no /dev/hsm: no token");
	CHECK_RV(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
	CHECK(n == 0, "no slot with a token");
	CHECK_RV(f->C_GetTokenInfo(slots[0], &ti), CKR_TOKEN_NOT_PRESENT);
	CHECK_RV(f->C_OpenSession(slots[0], CKF_SERIAL_SESSION, NULL, NULL,
				  &s), CKR_TOKEN_NOT_PRESENT);
	CHECK_RV(f->C_CloseAllSessions(slots[0]), CKR_TOKEN_NOT_PRESENT);
	CHECK_RV(f->C_GenerateRandom(1, buf, sizeof(buf)),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_Encrypt(1, buf, 1, NULL, NULL),
		 CKR_SESSION_HANDLE_INVALID);
}

/* A child must call C_Initialize; the parent is not disturbed. */
static void test_fork(CK_FUNCTION_LIST_PTR f)
{
	CK_INFO info;
	CK_ULONG n;
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int bad = 0;

		bad |= f->C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_GetSlotList(CK_FALSE, NULL, &n) !=
		       CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_Finalize(NULL) != CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= f->C_Initialize(NULL) != CKR_OK;
		bad |= f->C_GetInfo(&info) != CKR_OK;
		bad |= f->C_Finalize(NULL) != CKR_OK;
		_exit(bad);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "forked child: not initialized until it calls C_Initialize");
	CHECK_RV(f->C_GetInfo(&info), CKR_OK);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./khsm-pkcs11.so";
	CK_FUNCTION_LIST_PTR f = NULL;
	CK_FUNCTION_LIST_3_0_PTR f3 = NULL;
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		printf("Bail out! %s\n", dlerror());
		return 1;
	}
	test_interfaces(lib, &f, &f3);
	test_init(f, f3);
	test_slot(f, f3);
	test_fork(f);
	CHECK_RV(f->C_Finalize(NULL), CKR_OK);
	dlclose(lib);
	return tap_done();
}
