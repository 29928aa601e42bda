// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sessions, login and PINs: each function is one ioctl.  The kernel keeps
 * the sessions, the login state and the PIN policy (lengths, lockout).
 */
#include "p11.h"

/* CK_FLAGS to the 32-bit hdr.flags: bits above 31 stay visible (as bit 31,
 * which no session flag uses), so the kernel rejects them as it rejects
 * any unknown flag.
 */
static __u32 p11_flags32(CK_FLAGS flags)
{
	return (__u32)flags | (flags >> 32 ? 0x80000000U : 0);
}

/* Notify callbacks are accepted and never called: khsm never surrenders. */
P11_API CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags,
			    CK_VOID_PTR pApplication, CK_NOTIFY Notify,
			    CK_SESSION_HANDLE_PTR phSession)
{
	struct khsm_open_session a = { .hdr.flags = p11_flags32(flags) };
	CK_RV rv;
	int fd;

	(void)pApplication;
	(void)Notify;
	rv = p11_slot(slotID, phSession != NULL, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_open_session(fd, &a);
	if (rv == CKR_OK)
		*phSession = a.handle;
	return rv;
}

P11_API CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
	struct khsm_session_req a = { .hdr.session = (__u32)hSession };
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_close_session(fd, &a);
}

P11_API CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
	struct khsm_session_req a = { 0 };
	CK_RV rv;
	int fd;

	rv = p11_slot(slotID, 1, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_close_all(fd, &a);
}

P11_API CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession,
			       CK_SESSION_INFO_PTR pInfo)
{
	struct khsm_session_info a = { .hdr.session = (__u32)hSession };
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, pInfo != NULL, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_session_info(fd, &a);
	if (rv != CKR_OK)
		return rv;
	pInfo->slotID = P11_SLOT_ID;
	pInfo->state = a.state;
	pInfo->flags = a.flags;
	pInfo->ulDeviceError = a.device_error;
	return CKR_OK;
}

/*
 * Saving an operation's state would take the kernel's engine state (and
 * with it key material) out of the kernel: not supported, by design.
 */
P11_API CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession,
				  CK_BYTE_PTR pOperationState,
				  CK_ULONG_PTR pulOperationStateLen)
{
	(void)hSession;
	(void)pOperationState;
	(void)pulOperationStateLen;
	if (p11_ready() != CKR_OK)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	return CKR_FUNCTION_NOT_SUPPORTED;
}

P11_API CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession,
				  CK_BYTE_PTR pOperationState,
				  CK_ULONG ulOperationStateLen,
				  CK_OBJECT_HANDLE hEncryptionKey,
				  CK_OBJECT_HANDLE hAuthenticationKey)
{
	(void)hSession;
	(void)pOperationState;
	(void)ulOperationStateLen;
	(void)hEncryptionKey;
	(void)hAuthenticationKey;
	if (p11_ready() != CKR_OK)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	return CKR_FUNCTION_NOT_SUPPORTED;
}

/*
 * C_Login and C_LoginUser.  A NULL pPin is legal (SESS-1: it asks for a
 * protected authentication path) and is never dereferenced here: pointer
 * and length go to the kernel as given, and the token, which knows whether
 * it has such a path, answers.
 */
static CK_RV p11_login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
		       CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
		       CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
	struct khsm_login a = {
		.hdr.session = (__u32)hSession,
		.user_type = userType,
		.pin = P11_PTR(pPin),
		.pin_len = ulPinLen,
		.username = P11_PTR(pUsername),
		.username_len = ulUsernameLen,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, pUsername || !ulUsernameLen, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_login(fd, &a);
}

P11_API CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
		      CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
	return p11_login(hSession, userType, pPin, ulPinLen, NULL, 0);
}

/* A NULL user name with length 0 is C_Login: khsm has one user per type. */
P11_API CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
			  CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
			  CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
	return p11_login(hSession, userType, pPin, ulPinLen, pUsername,
			 ulUsernameLen);
}

P11_API CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
	struct khsm_session_req a = { .hdr.session = (__u32)hSession };
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_logout(fd, &a);
}

/* NULL PINs go to the kernel as given, as in C_Login. */
P11_API CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin,
			CK_ULONG ulPinLen)
{
	struct khsm_pin a = {
		.hdr.session = (__u32)hSession,
		.new_pin = P11_PTR(pPin),
		.new_pin_len = ulPinLen,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_init_pin(fd, &a);
}

P11_API CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin,
		       CK_ULONG ulOldLen, CK_UTF8CHAR_PTR pNewPin,
		       CK_ULONG ulNewLen)
{
	struct khsm_pin a = {
		.hdr.session = (__u32)hSession,
		.old_pin = P11_PTR(pOldPin),
		.old_pin_len = ulOldLen,
		.new_pin = P11_PTR(pNewPin),
		.new_pin_len = ulNewLen,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_set_pin(fd, &a);
}

/*
 * C_SessionCancel: the CK_MECHANISM_INFO flags name the operations.  Those
 * the kernel runs are ended by one KHSM_IOC_OP_CANCEL (which also checks
 * the session); an active find is ended by KHSM_IOC_FIND_FINAL.  Flags of
 * operations khsm has no mechanism for (sign/verify recover, message
 * sign/verify, ...) name operations that cannot be active, and the
 * specification says to ignore those.
 */
P11_API CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags)
{
	static const struct {
		CK_FLAGS flag;
		__u32 op;
	} map[] = {
		{ CKF_ENCRYPT, KHSM_OP_ENCRYPT },
		{ CKF_DECRYPT, KHSM_OP_DECRYPT },
		{ CKF_SIGN, KHSM_OP_SIGN },
		{ CKF_VERIFY, KHSM_OP_VERIFY },
		{ CKF_DIGEST, KHSM_OP_DIGEST },
		{ CKF_MESSAGE_ENCRYPT, KHSM_OP_MSG_ENCRYPT },
		{ CKF_MESSAGE_DECRYPT, KHSM_OP_MSG_DECRYPT },
	};
	struct khsm_op_cancel a = { .hdr.session = (__u32)hSession };
	CK_RV rv;
	size_t i;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	for (i = 0; i < P11_ARRAY_SIZE(map); i++)
		if (flags & map[i].flag)
			a.ops |= P11_OP(map[i].op);
	rv = khsm_op_cancel(fd, &a);
	if (rv == CKR_OK && (flags & CKF_FIND_OBJECTS)) {
		struct khsm_find f = { .hdr.session = (__u32)hSession };

		rv = khsm_find_final(fd, &f);
		if (rv == CKR_OPERATION_NOT_INITIALIZED)
			rv = CKR_OK;
	}
	return rv;
}

/* Legacy parallel-function management: khsm runs nothing in parallel. */
P11_API CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
	return p11_session_rv(hSession, 1, CKR_FUNCTION_NOT_PARALLEL);
}

P11_API CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession)
{
	return C_GetFunctionStatus(hSession);
}
