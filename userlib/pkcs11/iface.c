// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The interfaces: the 2.40 function list (C_GetFunctionList) and the
 * interface "PKCS 11" in versions 3.0 and 2.40 (C_GetInterfaceList,
 * C_GetInterface).  C_GetInfo reports the Cryptoki version of the
 * interface it was reached through.
 */
#include <string.h>

#include "p11.h"

void p11_pad(CK_UTF8CHAR *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n > len)
		n = len;
	memcpy(dst, src, n);
	memset(dst + n, ' ', len - n);
}

CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE major, CK_BYTE minor)
{
	CK_RV rv = p11_ready();

	if (rv != CKR_OK)
		return rv;
	if (!info)
		return CKR_ARGUMENTS_BAD;
	memset(info, 0, sizeof(*info));
	info->cryptokiVersion.major = major;
	info->cryptokiVersion.minor = minor;
	p11_pad(info->manufacturerID, sizeof(info->manufacturerID), "khsm");
	info->flags = 0;
	p11_pad(info->libraryDescription, sizeof(info->libraryDescription),
		"khsm PKCS#11 for /dev/hsm");
	info->libraryVersion.major = P11_LIB_MAJOR;
	info->libraryVersion.minor = P11_LIB_MINOR;
	return CKR_OK;
}

/* The exported C_GetInfo is the 3.0 one: the library is a 3.0 library. */
P11_API CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
	return p11_get_info(pInfo, 3, 0);
}

static CK_RV get_info_240(CK_INFO_PTR pInfo)
{
	return p11_get_info(pInfo, 2, 40);
}

/* Both lists start with the same 2.40 functions, in the 2.40 order. */
#define P11_FUNCTIONS_240(get_info)				\
	.C_Initialize = C_Initialize,				\
	.C_Finalize = C_Finalize,				\
	.C_GetInfo = get_info,					\
	.C_GetFunctionList = C_GetFunctionList,			\
	.C_GetSlotList = C_GetSlotList,				\
	.C_GetSlotInfo = C_GetSlotInfo,				\
	.C_GetTokenInfo = C_GetTokenInfo,			\
	.C_GetMechanismList = C_GetMechanismList,		\
	.C_GetMechanismInfo = C_GetMechanismInfo,		\
	.C_InitToken = C_InitToken,				\
	.C_InitPIN = C_InitPIN,					\
	.C_SetPIN = C_SetPIN,					\
	.C_OpenSession = C_OpenSession,				\
	.C_CloseSession = C_CloseSession,			\
	.C_CloseAllSessions = C_CloseAllSessions,		\
	.C_GetSessionInfo = C_GetSessionInfo,			\
	.C_GetOperationState = C_GetOperationState,		\
	.C_SetOperationState = C_SetOperationState,		\
	.C_Login = C_Login,					\
	.C_Logout = C_Logout,					\
	.C_CreateObject = C_CreateObject,			\
	.C_CopyObject = C_CopyObject,				\
	.C_DestroyObject = C_DestroyObject,			\
	.C_GetObjectSize = C_GetObjectSize,			\
	.C_GetAttributeValue = C_GetAttributeValue,		\
	.C_SetAttributeValue = C_SetAttributeValue,		\
	.C_FindObjectsInit = C_FindObjectsInit,			\
	.C_FindObjects = C_FindObjects,				\
	.C_FindObjectsFinal = C_FindObjectsFinal,		\
	.C_EncryptInit = C_EncryptInit,				\
	.C_Encrypt = C_Encrypt,					\
	.C_EncryptUpdate = C_EncryptUpdate,			\
	.C_EncryptFinal = C_EncryptFinal,			\
	.C_DecryptInit = C_DecryptInit,				\
	.C_Decrypt = C_Decrypt,					\
	.C_DecryptUpdate = C_DecryptUpdate,			\
	.C_DecryptFinal = C_DecryptFinal,			\
	.C_DigestInit = C_DigestInit,				\
	.C_Digest = C_Digest,					\
	.C_DigestUpdate = C_DigestUpdate,			\
	.C_DigestKey = C_DigestKey,				\
	.C_DigestFinal = C_DigestFinal,				\
	.C_SignInit = C_SignInit,				\
	.C_Sign = C_Sign,					\
	.C_SignUpdate = C_SignUpdate,				\
	.C_SignFinal = C_SignFinal,				\
	.C_SignRecoverInit = C_SignRecoverInit,			\
	.C_SignRecover = C_SignRecover,				\
	.C_VerifyInit = C_VerifyInit,				\
	.C_Verify = C_Verify,					\
	.C_VerifyUpdate = C_VerifyUpdate,			\
	.C_VerifyFinal = C_VerifyFinal,				\
	.C_VerifyRecoverInit = C_VerifyRecoverInit,		\
	.C_VerifyRecover = C_VerifyRecover,			\
	.C_DigestEncryptUpdate = C_DigestEncryptUpdate,		\
	.C_DecryptDigestUpdate = C_DecryptDigestUpdate,		\
	.C_SignEncryptUpdate = C_SignEncryptUpdate,		\
	.C_DecryptVerifyUpdate = C_DecryptVerifyUpdate,		\
	.C_GenerateKey = C_GenerateKey,				\
	.C_GenerateKeyPair = C_GenerateKeyPair,			\
	.C_WrapKey = C_WrapKey,					\
	.C_UnwrapKey = C_UnwrapKey,				\
	.C_DeriveKey = C_DeriveKey,				\
	.C_SeedRandom = C_SeedRandom,				\
	.C_GenerateRandom = C_GenerateRandom,			\
	.C_GetFunctionStatus = C_GetFunctionStatus,		\
	.C_CancelFunction = C_CancelFunction,			\
	.C_WaitForSlotEvent = C_WaitForSlotEvent

static const CK_FUNCTION_LIST p11_list_240 = {
	.version = { 2, 40 },
	P11_FUNCTIONS_240(get_info_240),
};

static const CK_FUNCTION_LIST_3_0 p11_list_30 = {
	.version = { 3, 0 },
	P11_FUNCTIONS_240(C_GetInfo),
	.C_GetInterfaceList = C_GetInterfaceList,
	.C_GetInterface = C_GetInterface,
	.C_LoginUser = C_LoginUser,
	.C_SessionCancel = C_SessionCancel,
	.C_MessageEncryptInit = C_MessageEncryptInit,
	.C_EncryptMessage = C_EncryptMessage,
	.C_EncryptMessageBegin = C_EncryptMessageBegin,
	.C_EncryptMessageNext = C_EncryptMessageNext,
	.C_MessageEncryptFinal = C_MessageEncryptFinal,
	.C_MessageDecryptInit = C_MessageDecryptInit,
	.C_DecryptMessage = C_DecryptMessage,
	.C_DecryptMessageBegin = C_DecryptMessageBegin,
	.C_DecryptMessageNext = C_DecryptMessageNext,
	.C_MessageDecryptFinal = C_MessageDecryptFinal,
	.C_MessageSignInit = C_MessageSignInit,
	.C_SignMessage = C_SignMessage,
	.C_SignMessageBegin = C_SignMessageBegin,
	.C_SignMessageNext = C_SignMessageNext,
	.C_MessageSignFinal = C_MessageSignFinal,
	.C_MessageVerifyInit = C_MessageVerifyInit,
	.C_VerifyMessage = C_VerifyMessage,
	.C_VerifyMessageBegin = C_VerifyMessageBegin,
	.C_VerifyMessageNext = C_VerifyMessageNext,
	.C_MessageVerifyFinal = C_MessageVerifyFinal,
};

static CK_CHAR p11_iface_name[] = "PKCS 11";

/*
 * The newest first: C_GetInterface(NULL, NULL, ...) returns the first
 * match, so the default interface is 3.0.  Neither is fork safe
 * (CKF_INTERFACE_FORK_SAFE): a child must call C_Initialize again.
 */
static const CK_INTERFACE p11_ifaces[] = {
	{ p11_iface_name, (CK_VOID_PTR)&p11_list_30, 0 },
	{ p11_iface_name, (CK_VOID_PTR)&p11_list_240, 0 },
};

#define P11_NIFACES	P11_ARRAY_SIZE(p11_ifaces)

/* The list is read-only; the specification allows it and asks callers
 * never to write to it.
 */
P11_API CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
	if (!ppFunctionList)
		return CKR_ARGUMENTS_BAD;
	*ppFunctionList = (CK_FUNCTION_LIST_PTR)&p11_list_240;
	return CKR_OK;
}

P11_API CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList,
				 CK_ULONG_PTR pulCount)
{
	CK_ULONG n = P11_NIFACES;

	if (!pulCount)
		return CKR_ARGUMENTS_BAD;
	if (pInterfacesList) {
		if (*pulCount < n) {
			*pulCount = n;
			return CKR_BUFFER_TOO_SMALL;
		}
		memcpy(pInterfacesList, p11_ifaces, sizeof(p11_ifaces));
	}
	*pulCount = n;
	return CKR_OK;
}

P11_API CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName,
			     CK_VERSION_PTR pVersion,
			     CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags)
{
	size_t i;

	if (!ppInterface)
		return CKR_ARGUMENTS_BAD;
	for (i = 0; i < P11_NIFACES; i++) {
		const CK_INTERFACE *f = &p11_ifaces[i];
		const CK_VERSION *v = f->pFunctionList;

		if (pInterfaceName &&
		    strcmp((const char *)pInterfaceName,
			   (const char *)f->pInterfaceName))
			continue;
		if (pVersion && (pVersion->major != v->major ||
				 pVersion->minor != v->minor))
			continue;
		if ((f->flags & flags) != flags)
			continue;
		*ppInterface = (CK_INTERFACE_PTR)f;
		return CKR_OK;
	}
	/* No such interface: the specification names no better code. */
	return CKR_ARGUMENTS_BAD;
}
