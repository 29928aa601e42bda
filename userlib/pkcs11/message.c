// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PKCS#11 3.0 message-based functions.
 *
 * Encryption and decryption (CKM_AES_GCM with CK_GCM_MESSAGE_PARAMS) run in
 * the kernel: C_Message{En,De}cryptInit starts the process, each
 * C_{En,De}cryptMessage is one whole message in one ioctl, and
 * C_Message{En,De}cryptFinal ends the process.  A failed message does not
 * end the process (only the message), so argument errors here end nothing.
 *
 * Multi-part messages (C_*MessageBegin/C_*MessageNext) are not supported:
 * the kernel has no call for them, and emulating them here would mean
 * holding plaintext in the library.  No khsm mechanism sets
 * CKF_MULTI_MESSAGE.
 *
 * Message-based signing and verification: no khsm mechanism sets
 * CKF_MESSAGE_SIGN or CKF_MESSAGE_VERIFY, so the inits are
 * CKR_MECHANISM_INVALID and the rest find no operation (see op.c).
 */
#include <assert.h>

#include "p11.h"

static_assert(sizeof(CK_GCM_MESSAGE_PARAMS) ==
	      sizeof(struct khsm_gcm_message_params), "gcm message params");
static_assert(offsetof(CK_GCM_MESSAGE_PARAMS, pTag) ==
	      offsetof(struct khsm_gcm_message_params, tag), "gcm tag");
static_assert(sizeof(CK_GCM_PARAMS) == sizeof(struct khsm_gcm_params),
	      "gcm params");
static_assert(offsetof(CK_GCM_PARAMS, ulTagBits) ==
	      offsetof(struct khsm_gcm_params, tag_bits), "gcm tag bits");
static_assert(sizeof(CK_AES_CTR_PARAMS) == sizeof(struct khsm_aes_ctr_params),
	      "ctr params");

static CK_RV p11_message(CK_SESSION_HANDLE h, __u32 op, CK_VOID_PTR param,
			 CK_ULONG param_len, CK_BYTE_PTR aad,
			 CK_ULONG aad_len, CK_BYTE_PTR in, CK_ULONG in_len,
			 CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
	struct khsm_op_data a = {
		.hdr.session = (__u32)h,
		.op = op,
		.in = P11_PTR(in),
		.in_len = in_len,
		.out = P11_PTR(out),
		.param = P11_PTR(param),
		.param_len = param_len,
		.aad = P11_PTR(aad),
		.aad_len = aad_len,
	};

	return p11_op_out_call(khsm_op_oneshot, h, &a,
			       (param || !param_len) && (aad || !aad_len) &&
			       (in || !in_len), out_len);
}

static CK_RV p11_message_final(CK_SESSION_HANDLE h, __u32 op)
{
	struct khsm_op_data a = { .hdr.session = (__u32)h, .op = op };
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_op_final(fd, &a);
}

static CK_RV p11_multipart_message(void)
{
	if (p11_ready() != CKR_OK)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	return CKR_FUNCTION_NOT_SUPPORTED;
}

P11_API CK_RV C_MessageEncryptInit(CK_SESSION_HANDLE hSession,
				   CK_MECHANISM_PTR pMechanism,
				   CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_MSG_ENCRYPT, pMechanism, hKey);
}

P11_API CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession,
			       CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
			       CK_BYTE_PTR pAssociatedData,
			       CK_ULONG ulAssociatedDataLen,
			       CK_BYTE_PTR pPlaintext, CK_ULONG ulPlaintextLen,
			       CK_BYTE_PTR pCiphertext,
			       CK_ULONG_PTR pulCiphertextLen)
{
	return p11_message(hSession, KHSM_OP_MSG_ENCRYPT, pParameter,
			   ulParameterLen, pAssociatedData,
			   ulAssociatedDataLen, pPlaintext, ulPlaintextLen,
			   pCiphertext, pulCiphertextLen);
}

P11_API CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession,
				    CK_VOID_PTR pParameter,
				    CK_ULONG ulParameterLen,
				    CK_BYTE_PTR pAssociatedData,
				    CK_ULONG ulAssociatedDataLen)
{
	(void)hSession;
	(void)pParameter;
	(void)ulParameterLen;
	(void)pAssociatedData;
	(void)ulAssociatedDataLen;
	return p11_multipart_message();
}

P11_API CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession,
				   CK_VOID_PTR pParameter,
				   CK_ULONG ulParameterLen,
				   CK_BYTE_PTR pPlaintextPart,
				   CK_ULONG ulPlaintextPartLen,
				   CK_BYTE_PTR pCiphertextPart,
				   CK_ULONG_PTR pulCiphertextPartLen,
				   CK_FLAGS flags)
{
	(void)hSession;
	(void)pParameter;
	(void)ulParameterLen;
	(void)pPlaintextPart;
	(void)ulPlaintextPartLen;
	(void)pCiphertextPart;
	(void)pulCiphertextPartLen;
	(void)flags;
	return p11_multipart_message();
}

P11_API CK_RV C_MessageEncryptFinal(CK_SESSION_HANDLE hSession)
{
	return p11_message_final(hSession, KHSM_OP_MSG_ENCRYPT);
}

P11_API CK_RV C_MessageDecryptInit(CK_SESSION_HANDLE hSession,
				   CK_MECHANISM_PTR pMechanism,
				   CK_OBJECT_HANDLE hKey)
{
	return p11_op_init(hSession, KHSM_OP_MSG_DECRYPT, pMechanism, hKey);
}

P11_API CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession,
			       CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
			       CK_BYTE_PTR pAssociatedData,
			       CK_ULONG ulAssociatedDataLen,
			       CK_BYTE_PTR pCiphertext, CK_ULONG ulCiphertextLen,
			       CK_BYTE_PTR pPlaintext,
			       CK_ULONG_PTR pulPlaintextLen)
{
	return p11_message(hSession, KHSM_OP_MSG_DECRYPT, pParameter,
			   ulParameterLen, pAssociatedData,
			   ulAssociatedDataLen, pCiphertext, ulCiphertextLen,
			   pPlaintext, pulPlaintextLen);
}

P11_API CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession,
				    CK_VOID_PTR pParameter,
				    CK_ULONG ulParameterLen,
				    CK_BYTE_PTR pAssociatedData,
				    CK_ULONG ulAssociatedDataLen)
{
	(void)hSession;
	(void)pParameter;
	(void)ulParameterLen;
	(void)pAssociatedData;
	(void)ulAssociatedDataLen;
	return p11_multipart_message();
}

P11_API CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession,
				   CK_VOID_PTR pParameter,
				   CK_ULONG ulParameterLen,
				   CK_BYTE_PTR pCiphertextPart,
				   CK_ULONG ulCiphertextPartLen,
				   CK_BYTE_PTR pPlaintextPart,
				   CK_ULONG_PTR pulPlaintextPartLen,
				   CK_FLAGS flags)
{
	(void)hSession;
	(void)pParameter;
	(void)ulParameterLen;
	(void)pCiphertextPart;
	(void)ulCiphertextPartLen;
	(void)pPlaintextPart;
	(void)pulPlaintextPartLen;
	(void)flags;
	return p11_multipart_message();
}

P11_API CK_RV C_MessageDecryptFinal(CK_SESSION_HANDLE hSession)
{
	return p11_message_final(hSession, KHSM_OP_MSG_DECRYPT);
}

P11_API CK_RV C_MessageSignInit(CK_SESSION_HANDLE hSession,
				CK_MECHANISM_PTR pMechanism,
				CK_OBJECT_HANDLE hKey)
{
	(void)hKey;
	return p11_no_mech(hSession, pMechanism != NULL);
}

P11_API CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
			    CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
			    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
			    CK_ULONG_PTR pulSignatureLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	(void)pData;
	(void)ulDataLen;
	(void)pSignature;
	(void)pulSignatureLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession,
				 CK_VOID_PTR pParameter,
				 CK_ULONG ulParameterLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession,
				CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
				CK_BYTE_PTR pData, CK_ULONG ulDataLen,
				CK_BYTE_PTR pSignature,
				CK_ULONG_PTR pulSignatureLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	(void)pData;
	(void)ulDataLen;
	(void)pSignature;
	(void)pulSignatureLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_MessageSignFinal(CK_SESSION_HANDLE hSession)
{
	return p11_no_op(hSession);
}

P11_API CK_RV C_MessageVerifyInit(CK_SESSION_HANDLE hSession,
				  CK_MECHANISM_PTR pMechanism,
				  CK_OBJECT_HANDLE hKey)
{
	(void)hKey;
	return p11_no_mech(hSession, pMechanism != NULL);
}

P11_API CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession,
			      CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
			      CK_BYTE_PTR pData, CK_ULONG ulDataLen,
			      CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	(void)pData;
	(void)ulDataLen;
	(void)pSignature;
	(void)ulSignatureLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession,
				   CK_VOID_PTR pParameter,
				   CK_ULONG ulParameterLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession,
				  CK_VOID_PTR pParameter,
				  CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
				  CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
				  CK_ULONG ulSignatureLen)
{
	(void)pParameter;
	(void)ulParameterLen;
	(void)pData;
	(void)ulDataLen;
	(void)pSignature;
	(void)ulSignatureLen;
	return p11_no_op(hSession);
}

P11_API CK_RV C_MessageVerifyFinal(CK_SESSION_HANDLE hSession)
{
	return p11_no_op(hSession);
}
