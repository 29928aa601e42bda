// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dual-function updates, built from two single-function updates on the
 * same session (the kernel runs one operation of each kind per session).
 * The order makes the pair behave as one call:
 *   - nothing is consumed before both operations are known to be active
 *     and the output is known to fit (a length query or a zero-length
 *     update changes no state);
 *   - the digest or MAC always sees the plaintext, also when the
 *     application encrypts or decrypts in place.
 */
#include "p11.h"

/* C_DigestEncryptUpdate, C_SignEncryptUpdate: MAC the plaintext, encrypt */
static CK_RV p11_mac_encrypt(CK_SESSION_HANDLE h, __u32 mac_op,
			     CK_BYTE_PTR in, CK_ULONG in_len,
			     CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
	CK_ULONG need = 0;
	CK_RV rv;
	int fd;

	rv = p11_session_args(h, (in || !in_len) && out_len,
			      P11_OP(KHSM_OP_ENCRYPT) | P11_OP(mac_op), &fd);
	if (rv != CKR_OK)
		return rv;
	/*
	 * Is the digest or MAC active?  A zero-length update consumes
	 * nothing; it only marks the operation multi-part, which the dual
	 * update makes it anyway.
	 */
	rv = p11_op_in(h, mac_op, NULL, 0);
	if (rv != CKR_OK)
		return rv;
	rv = p11_op_out(khsm_op_update, h, KHSM_OP_ENCRYPT, in, in_len,
			NULL, &need);
	if (rv != CKR_OK)
		return rv;
	if (!out) {
		*out_len = need;
		return CKR_OK;
	}
	if (*out_len < need) {
		*out_len = need;
		return CKR_BUFFER_TOO_SMALL;
	}
	rv = p11_op_in(h, mac_op, in, in_len);
	if (rv != CKR_OK)
		return rv;
	return p11_op_out(khsm_op_update, h, KHSM_OP_ENCRYPT, in, in_len,
			  out, out_len);
}

/* C_DecryptDigestUpdate, C_DecryptVerifyUpdate: decrypt, MAC the output */
static CK_RV p11_decrypt_mac(CK_SESSION_HANDLE h, __u32 mac_op,
			     CK_BYTE_PTR in, CK_ULONG in_len,
			     CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
	CK_RV rv;
	int fd;

	rv = p11_session_args(h, (in || !in_len) && out_len,
			      P11_OP(KHSM_OP_DECRYPT) | P11_OP(mac_op), &fd);
	if (rv != CKR_OK)
		return rv;
	rv = p11_op_in(h, mac_op, NULL, 0);	/* is it active? */
	if (rv != CKR_OK)
		return rv;
	rv = p11_op_out(khsm_op_update, h, KHSM_OP_DECRYPT, in, in_len,
			out, out_len);
	if (rv != CKR_OK || !out)
		return rv;
	return p11_op_in(h, mac_op, out, *out_len);
}

P11_API CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession,
				    CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
				    CK_BYTE_PTR pEncryptedPart,
				    CK_ULONG_PTR pulEncryptedPartLen)
{
	return p11_mac_encrypt(hSession, KHSM_OP_DIGEST, pPart, ulPartLen,
			       pEncryptedPart, pulEncryptedPartLen);
}

P11_API CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE hSession,
				  CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
				  CK_BYTE_PTR pEncryptedPart,
				  CK_ULONG_PTR pulEncryptedPartLen)
{
	return p11_mac_encrypt(hSession, KHSM_OP_SIGN, pPart, ulPartLen,
			       pEncryptedPart, pulEncryptedPartLen);
}

P11_API CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession,
				    CK_BYTE_PTR pEncryptedPart,
				    CK_ULONG ulEncryptedPartLen,
				    CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
	return p11_decrypt_mac(hSession, KHSM_OP_DIGEST, pEncryptedPart,
			       ulEncryptedPartLen, pPart, pulPartLen);
}

P11_API CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession,
				    CK_BYTE_PTR pEncryptedPart,
				    CK_ULONG ulEncryptedPartLen,
				    CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
	return p11_decrypt_mac(hSession, KHSM_OP_VERIFY, pEncryptedPart,
			       ulEncryptedPartLen, pPart, pulPartLen);
}
