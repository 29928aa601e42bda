// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The shared bodies of the cryptographic operation functions.  The kernel
 * runs one state machine per operation kind and session (init, update,
 * final, one-shot) and decides every state and mechanism question; these
 * helpers only translate arguments and the output-length convention.
 */
#include "p11.h"

/* The message-based operations outlive a failed message; others do not. */
static __u32 p11_ends(__u32 op)
{
	return op == KHSM_OP_MSG_ENCRYPT || op == KHSM_OP_MSG_DECRYPT ?
		0 : P11_OP(op);
}

CK_RV p11_op_init(CK_SESSION_HANDLE h, __u32 op, CK_MECHANISM_PTR mech,
		  CK_OBJECT_HANDLE key)
{
	struct khsm_op_init a = {
		.hdr.session = (__u32)h,
		.op = op,
		.key = key,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	if (!mech)
		return p11_args_bad(fd, h, 0);
	a.mech.type = mech->mechanism;
	a.mech.param = P11_PTR(mech->pParameter);
	a.mech.param_len = mech->ulParameterLen;
	return khsm_op_init(fd, &a);
}

/*
 * A call that produces output (C_Encrypt*, C_Decrypt*, C_Sign, C_SignFinal,
 * C_Digest, C_DigestFinal): @out NULL is a length query; *@out_len is the
 * buffer's size in and the length written (or needed) out.
 */
CK_RV p11_op_out(p11_op_call call, CK_SESSION_HANDLE h, __u32 op,
		 CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out,
		 CK_ULONG_PTR out_len)
{
	struct khsm_op_data a = {
		.hdr.session = (__u32)h,
		.op = op,
		.in = P11_PTR(in),
		.in_len = in_len,
		.out = P11_PTR(out),
	};
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	if ((!in && in_len) || !out_len)
		return p11_args_bad(fd, h, p11_ends(op));
	a.out_len = out ? *out_len : 0;
	rv = call(fd, &a);
	if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL)
		*out_len = a.out_len;
	return rv;
}

/*
 * C_DigestUpdate, C_SignUpdate, C_VerifyUpdate: no output.  The ABI takes
 * at most KHSM_MAX_IO_LEN bytes per call; longer parts are fed in pieces,
 * which for an update is the same thing.
 */
CK_RV p11_op_in(CK_SESSION_HANDLE h, __u32 op, CK_BYTE_PTR in,
		CK_ULONG in_len)
{
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	if (!in && in_len)
		return p11_args_bad(fd, h, p11_ends(op));
	do {
		CK_ULONG n = in_len < KHSM_MAX_IO_LEN ? in_len : KHSM_MAX_IO_LEN;
		struct khsm_op_data a = {
			.hdr.session = (__u32)h,
			.op = op,
			.in = P11_PTR(in),
			.in_len = n,
		};

		rv = khsm_op_update(fd, &a);
		if (n) {
			in += n;
			in_len -= n;
		}
	} while (rv == CKR_OK && in_len);
	return rv;
}

/* C_Verify, C_VerifyFinal: the signature travels in out/out_len, as input */
CK_RV p11_op_verify(p11_op_call call, CK_SESSION_HANDLE h, CK_BYTE_PTR in,
		    CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG sig_len)
{
	struct khsm_op_data a = {
		.hdr.session = (__u32)h,
		.op = KHSM_OP_VERIFY,
		.in = P11_PTR(in),
		.in_len = in_len,
		.out = P11_PTR(sig),
		.out_len = sig_len,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	if ((!in && in_len) || (!sig && sig_len))
		return p11_args_bad(fd, h, P11_OP(KHSM_OP_VERIFY));
	return call(fd, &a);
}

/*
 * Functions whose every mechanism is absent from khsm (sign/verify with
 * recovery, message-based sign/verify, key pairs, wrap, unwrap, derive)
 * behave as a token with an empty mechanism set for them: the session and
 * the arguments are checked, then the init is CKR_MECHANISM_INVALID ...
 */
CK_RV p11_no_mech(CK_SESSION_HANDLE h, int args_ok)
{
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	if (!args_ok)
		return p11_args_bad(fd, h, 0);
	rv = p11_check_session(fd, h);
	return rv == CKR_OK ? CKR_MECHANISM_INVALID : rv;
}

/* ... and every later call finds no operation initialized. */
CK_RV p11_no_op(CK_SESSION_HANDLE h)
{
	CK_RV rv;
	int fd;

	rv = p11_session(h, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = p11_check_session(fd, h);
	return rv == CKR_OK ? CKR_OPERATION_NOT_INITIALIZED : rv;
}
