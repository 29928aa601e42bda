/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * khsm-pkcs11.so internals.
 *
 * The library maps each Cryptoki call onto one /dev/hsm ioctl through
 * libkhsm and passes the kernel's CK_RV through untouched.  It owns only:
 *   - the library state (C_Initialize/C_Finalize, fork), see state.c;
 *   - the one slot and its token presence (the /dev/hsm file), see state.c
 *     and slot.c;
 *   - the checks the C ABI needs (NULL pointers), made so that the
 *     specification's error precedence still holds: see p11_session_args()
 *     and p11_args_bad() in state.c.
 */
#ifndef KHSM_P11_H
#define KHSM_P11_H

#include <stddef.h>
#include <stdint.h>

#include "../libkhsm/khsm.h"
#include "pkcs11_30.h"

/*
 * p11-kit's compatibility header leaves some of its field-name macros
 * defined (iv_len -> ulIvLen, ...); they would rename fields of the khsm
 * ABI structs that share those names.
 */
#undef iv_ptr
#undef iv_len
#undef iv_bits
#undef aad_ptr
#undef aad_len
#undef tag_bits
#undef counter_bits
#undef hash_alg
#undef s_len
#undef source_data
#undef source_data_len
#undef shared_data
#undef shared_data_len
#undef public_data
#undef public_data_len
#undef string_data
#undef string_data_len
#undef data_params

/* Exported entry points; everything else is hidden (-fvisibility=hidden). */
#define P11_API __attribute__((visibility("default")))

/* The one slot: /dev/hsm */
#define P11_SLOT_ID		((CK_SLOT_ID)0)

/* Library version reported in CK_INFO */
#define P11_LIB_MAJOR		1
#define P11_LIB_MINOR		0

#define P11_PTR(p)		((__u64)(uintptr_t)(p))
#define P11_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* state.c */
CK_RV p11_ready(void);
CK_RV p11_session(CK_SESSION_HANDLE h, int *fd);
CK_RV p11_session_args(CK_SESSION_HANDLE h, int args_ok, __u32 ends, int *fd);
CK_RV p11_slot(CK_SLOT_ID slot, int args_ok, int *fd);
int p11_token_fd(void);
CK_RV p11_session_rv(CK_SESSION_HANDLE h, int args_ok, CK_RV valid_rv);

/* object.c: C_CreateObject, C_CopyObject, C_GenerateKey */
typedef unsigned long (*p11_object_call)(int fd, struct khsm_object_req *a);

CK_RV p11_new_object(p11_object_call call, CK_SESSION_HANDLE h,
		     CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE src,
		     CK_ATTRIBUTE_PTR tmpl, CK_ULONG count, int args_ok,
		     CK_OBJECT_HANDLE_PTR handle);

/* iface.c: C_GetInfo of the 2.40 and 3.0 interfaces */
CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE major, CK_BYTE minor);
void p11_pad(CK_UTF8CHAR *dst, size_t len, const char *src);

/* Operation kinds of the kernel as the bit masks KHSM_IOC_OP_CANCEL takes */
#define P11_OP(kind)		(1U << (kind))

/* op.c: the shared bodies of the operation functions */
typedef unsigned long (*p11_op_call)(int fd, struct khsm_op_data *a);

void p11_mech(struct khsm_mech *m, const CK_MECHANISM *mech);
CK_RV p11_op_init(CK_SESSION_HANDLE h, __u32 op, CK_MECHANISM_PTR mech,
		  CK_OBJECT_HANDLE key);
CK_RV p11_op_out_call(p11_op_call call, CK_SESSION_HANDLE h,
		      struct khsm_op_data *a, int args_ok,
		      CK_ULONG_PTR out_len);
CK_RV p11_op_out(p11_op_call call, CK_SESSION_HANDLE h, __u32 op,
		 CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out,
		 CK_ULONG_PTR out_len);
CK_RV p11_op_in(CK_SESSION_HANDLE h, __u32 op, CK_BYTE_PTR in,
		CK_ULONG in_len);
CK_RV p11_op_verify(p11_op_call call, CK_SESSION_HANDLE h, CK_BYTE_PTR in,
		    CK_ULONG in_len, CK_BYTE_PTR sig, CK_ULONG sig_len);
CK_RV p11_no_mech(CK_SESSION_HANDLE h, int args_ok);
CK_RV p11_no_op(CK_SESSION_HANDLE h);

#endif /* KHSM_P11_H */
