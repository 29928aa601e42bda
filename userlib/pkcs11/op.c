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

/* CK_MECHANISM to the ABI's struct khsm_mech (the same LP64 layout) */
void p11_mech(struct khsm_mech *m, const CK_MECHANISM *mech)
{
	m->type = mech->mechanism;
	m->param = P11_PTR(mech->pParameter);
	m->param_len = mech->ulParameterLen;
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

	rv = p11_session_args(h, mech != NULL, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	p11_mech(&a.mech, mech);
	return khsm_op_init(fd, &a);
}

/*
 * Issue @a, filled in but for out_len, for a call that produces output:
 * a->out 0 is a length query; *@out_len is the buffer's size in and the
 * length written (or needed) out.  @args_ok false, or @out_len NULL, is
 * CKR_ARGUMENTS_BAD, which ends the operation unless it is message-based.
 */
CK_RV p11_op_out_call(p11_op_call call, CK_SESSION_HANDLE h,
		      struct khsm_op_data *a, int args_ok,
		      CK_ULONG_PTR out_len)
{
	CK_RV rv;
	int fd;

	rv = p11_session_args(h, args_ok && out_len, p11_ends(a->op), &fd);
	if (rv != CKR_OK)
		return rv;
	a->out_len = a->out ? *out_len : 0;
	rv = call(fd, a);
	if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL)
		*out_len = a->out_len;
	return rv;
}

/*
 * A call that produces output (C_Encrypt*, C_Decrypt*, C_Sign, C_SignFinal,
 * C_Digest, C_DigestFinal): @out NULL is a length query.
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

	return p11_op_out_call(call, h, &a, in || !in_len, out_len);
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

	rv = p11_session_args(h, in || !in_len, p11_ends(op), &fd);
	if (rv != CKR_OK)
		return rv;
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

	rv = p11_session_args(h, (in || !in_len) && (sig || !sig_len),
			      P11_OP(KHSM_OP_VERIFY), &fd);
	if (rv != CKR_OK)
		return rv;
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
	return p11_session_rv(h, args_ok, CKR_MECHANISM_INVALID);
}

/* ... and every later call finds no operation initialized. */
CK_RV p11_no_op(CK_SESSION_HANDLE h)
{
	return p11_session_rv(h, 1, CKR_OPERATION_NOT_INITIALIZED);
}
