// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Encryption, decryption, digesting, signing and verification: one ioctl
 * per call (see op.c).  Which calls may follow which, which errors end an
 * operation, and every mechanism and key check are the kernel's.
 */
#include "p11.h"

P11_API CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession,
			    CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_ENCRYPT, pMechanism, hKey);
}

P11_API CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
			CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
			CK_ULONG_PTR pulEncryptedDataLen)
{
	return p11_op_out(khsm_op_oneshot, hSession, KHSM_OP_ENCRYPT, pData,
			  ulDataLen, pEncryptedData, pulEncryptedDataLen);
}

P11_API CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
			      CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
			      CK_ULONG_PTR pulEncryptedPartLen)
{
	return p11_op_out(khsm_op_update, hSession, KHSM_OP_ENCRYPT, pPart,
			  ulPartLen, pEncryptedPart, pulEncryptedPartLen);
}

P11_API CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession,
			     CK_BYTE_PTR pLastEncryptedPart,
			     CK_ULONG_PTR pulLastEncryptedPartLen)
{
	return p11_op_out(khsm_op_final, hSession, KHSM_OP_ENCRYPT, NULL, 0,
			  pLastEncryptedPart, pulLastEncryptedPartLen);
}

P11_API CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession,
			    CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_DECRYPT, pMechanism, hKey);
}

P11_API CK_RV C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,
			CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData,
			CK_ULONG_PTR pulDataLen)
{
	return p11_op_out(khsm_op_oneshot, hSession, KHSM_OP_DECRYPT,
			  pEncryptedData, ulEncryptedDataLen, pData,
			  pulDataLen);
}

P11_API CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession,
			      CK_BYTE_PTR pEncryptedPart,
			      CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
			      CK_ULONG_PTR pulPartLen)
{
	return p11_op_out(khsm_op_update, hSession, KHSM_OP_DECRYPT,
			  pEncryptedPart, ulEncryptedPartLen, pPart,
			  pulPartLen);
}

P11_API CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,
			     CK_ULONG_PTR pulLastPartLen)
{
	return p11_op_out(khsm_op_final, hSession, KHSM_OP_DECRYPT, NULL, 0,
			  pLastPart, pulLastPartLen);
}

P11_API CK_RV C_DigestInit(CK_SESSION_HANDLE hSession,
			   CK_MECHANISM_PTR pMechanism)
{
	return p11_op_init(hSession, KHSM_OP_DIGEST, pMechanism, 0);
}

P11_API CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
		       CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
		       CK_ULONG_PTR pulDigestLen)
{
	return p11_op_out(khsm_op_oneshot, hSession, KHSM_OP_DIGEST, pData,
			  ulDataLen, pDigest, pulDigestLen);
}

P11_API CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
			     CK_ULONG ulPartLen)
{
	return p11_op_in(hSession, KHSM_OP_DIGEST, pPart, ulPartLen);
}

/* The key's value is digested inside the kernel; it never comes out. */
P11_API CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
	struct khsm_op_data a = {
		.hdr.session = (__u32)hSession,
		.hdr.flags = KHSM_OP_F_DIGEST_KEY,
		.op = KHSM_OP_DIGEST,
		.in = hKey,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_op_update(fd, &a);
}

P11_API CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
			    CK_ULONG_PTR pulDigestLen)
{
	return p11_op_out(khsm_op_final, hSession, KHSM_OP_DIGEST, NULL, 0,
			  pDigest, pulDigestLen);
}

P11_API CK_RV C_SignInit(CK_SESSION_HANDLE hSession,
			 CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_SIGN, pMechanism, hKey);
}

P11_API CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
		     CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
		     CK_ULONG_PTR pulSignatureLen)
{
	return p11_op_out(khsm_op_oneshot, hSession, KHSM_OP_SIGN, pData,
			  ulDataLen, pSignature, pulSignatureLen);
}

P11_API CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
			   CK_ULONG ulPartLen)
{
	return p11_op_in(hSession, KHSM_OP_SIGN, pPart, ulPartLen);
}

P11_API CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
			  CK_ULONG_PTR pulSignatureLen)
{
	return p11_op_out(khsm_op_final, hSession, KHSM_OP_SIGN, NULL, 0,
			  pSignature, pulSignatureLen);
}

P11_API CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession,
			   CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_VERIFY, pMechanism, hKey);
}

P11_API CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
		       CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
		       CK_ULONG ulSignatureLen)
{
	return p11_op_verify(khsm_op_oneshot, hSession, pData, ulDataLen,
			     pSignature, ulSignatureLen);
}

P11_API CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
			     CK_ULONG ulPartLen)
{
	return p11_op_in(hSession, KHSM_OP_VERIFY, pPart, ulPartLen);
}

P11_API CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession,
			    CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
	return p11_op_verify(khsm_op_final, hSession, NULL, 0, pSignature,
			     ulSignatureLen);
}

/*
 * Signatures with message recovery: no khsm mechanism offers them
 * (CKF_SIGN_RECOVER / CKF_VERIFY_RECOVER are set on none), so an init is
 * CKR_MECHANISM_INVALID for every mechanism and the data calls find no
 * operation.  See p11_no_mech().
 */
P11_API CK_RV C_SignRecoverInit(CK_SESSION_HANDLE hSession,
				CK_MECHANISM_PTR pMechanism,
				CK_OBJECT_HANDLE hKey)
{
	(void)hKey;
	return p11_no_mech(hSession, pMechanism != NULL);
}

P11_API CK_RV C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
			    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
			    CK_ULONG_PTR pulSignatureLen)
{
	(void)pData;
	(void)ulDataLen;
	(void)pSignature;
	(void)pulSignatureLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE hSession,
				  CK_MECHANISM_PTR pMechanism,
				  CK_OBJECT_HANDLE hKey)
{
	(void)hKey;
	return p11_no_mech(hSession, pMechanism != NULL);
}

P11_API CK_RV C_VerifyRecover(CK_SESSION_HANDLE hSession,
			      CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen,
			      CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
	(void)pSignature;
	(void)ulSignatureLen;
	(void)pData;
	(void)pulDataLen;
	return p11_no_op(hSession);
}
