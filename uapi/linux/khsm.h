/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * khsm: a hardware-security-module engine in the kernel.
 * User ABI of /dev/hsm, version 1.
 *
 * Rules (Documentation/abi.rst has the long form):
 *  - Every argument struct starts with struct khsm_hdr.  hdr.size is the size
 *    of the struct as the caller knows it; the kernel reads it with
 *    copy_struct_from_user(), so structs may grow at their end.
 *  - hdr.flags and every field named reserved must be zero.
 *  - The ioctl returns 0 when hdr.rv holds the PKCS#11 result (CK_RV) of the
 *    call, and -1/errno only for transport faults (EFAULT, ENOTTY, ENOMEM,
 *    EINVAL for a malformed header, E2BIG for a too-new struct).
 *  - Pointers travel as __u64.  Lengths are __u64 where they mirror a
 *    CK_ULONG, so that on LP64 a PKCS#11 library can pass its own arrays and
 *    mechanism parameter structs through without copying.
 *  - Attribute values of CK_ULONG type (CKA_CLASS, CKA_KEY_TYPE,
 *    CKA_VALUE_LEN, ...) are 8 bytes; CK_BBOOL is 1 byte; CK_DATE is 8 bytes;
 *    CKA_ALLOWED_MECHANISMS is an array of 8-byte mechanism types.
 *  - Mechanism parameters use the LP64 layout of the PKCS#11 structs, which
 *    the khsm_*_params structs below spell out.
 */
#ifndef _UAPI_LINUX_KHSM_H
#define _UAPI_LINUX_KHSM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KHSM_ABI_VERSION	1

/* Bounds the kernel enforces; a longer argument gets the CK_RV named. */
#define KHSM_MAX_PIN_LEN	256	/* CKR_PIN_LEN_RANGE */
#define KHSM_MIN_PIN_LEN	4	/* CKR_PIN_LEN_RANGE */
#define KHSM_MAX_TEMPLATE	64	/* attributes per template: CKR_ARGUMENTS_BAD */
#define KHSM_MAX_ATTR_LEN	4096	/* one attribute value: CKR_ATTRIBUTE_VALUE_INVALID */
#define KHSM_MAX_PARAM_LEN	1024	/* mechanism parameter: CKR_MECHANISM_PARAM_INVALID */
#define KHSM_MAX_IO_LEN		(1U << 20) /* data per call: CKR_DATA_LEN_RANGE */
#define KHSM_MAX_RANDOM_LEN	(1U << 16) /* per C_GenerateRandom call */
#define KHSM_MAX_MECHS		256
#define KHSM_LABEL_LEN		32

/*
 * Vendor-defined attribute (CKA_VENDOR_DEFINED range): CK_BBOOL, default
 * FALSE.  TRUE lets kernel crypto API users reach the key through a key
 * token (KHSM_IOC_KEY_TOKEN).  Settable at create/generate/copy and only
 * from TRUE to FALSE afterwards.
 */
#define KHSM_CKA_KERNEL_USE	0x8b480001ULL

/* Value of a __u64 length the kernel cannot report (CK_UNAVAILABLE_INFORMATION) */
#define KHSM_UNAVAILABLE	(~(__u64)0)

struct khsm_hdr {
	__u32 size;		/* in: sizeof the whole argument struct */
	__u32 flags;		/* in: zero unless the call defines flags */
	__u32 rv;		/* out: CK_RV */
	__u32 session;		/* in: session handle, where the call takes one */
};

/* A PKCS#11 attribute, CK_ATTRIBUTE in LP64 layout. */
struct khsm_attr {
	__u64 type;		/* CKA_* */
	__u64 value;		/* pointer to the value, or 0 */
	__u64 len;		/* length of the value; out for get-attribute */
};

/* A PKCS#11 mechanism, CK_MECHANISM in LP64 layout. */
struct khsm_mech {
	__u64 type;		/* CKM_* */
	__u64 param;		/* pointer to the parameter, or 0 */
	__u64 param_len;
};

/* Mechanism parameters (CK_*_PARAMS, LP64 layout) */
struct khsm_gcm_params {	/* CK_GCM_PARAMS */
	__u64 iv;
	__u64 iv_len;
	__u64 iv_bits;
	__u64 aad;
	__u64 aad_len;
	__u64 tag_bits;
};

struct khsm_gcm_message_params { /* CK_GCM_MESSAGE_PARAMS (3.0) */
	__u64 iv;
	__u64 iv_len;
	__u64 iv_fixed_bits;
	__u64 iv_generator;	/* CKG_NO_GENERATE, CKG_GENERATE, ... */
	__u64 tag;		/* out (encrypt) or in (decrypt) */
	__u64 tag_bits;
};

struct khsm_aes_ctr_params {	/* CK_AES_CTR_PARAMS */
	__u64 counter_bits;
	__u8 cb[16];
};

/* CKM_*_HMAC_GENERAL, CKM_AES_CMAC_GENERAL: CK_MAC_GENERAL_PARAMS, one __u64 */
/* CKM_AES_CBC, CKM_AES_CBC_PAD: the 16-byte IV itself */

/* KHSM_IOC_VERSION: the first call; a library refuses an ABI it does not know */
struct khsm_version {
	struct khsm_hdr hdr;
	__u32 abi_version;	/* out: KHSM_ABI_VERSION */
	__u32 caps;		/* out: KHSM_CAP_* */
	__u32 max_sessions;	/* out: per application */
	__u32 max_objects;	/* out: per application */
	__u8 module_version[32]; /* out: NUL-terminated */
};

#define KHSM_CAP_MESSAGE_API	(1U << 0)
#define KHSM_CAP_KEY_TOKEN	(1U << 1)
#define KHSM_CAP_APP_FD		(1U << 2)	/* KHSM_IOC_APP_FD */

/* KHSM_IOC_TOKEN_INFO: CK_TOKEN_INFO of the one token */
struct khsm_token_info {
	struct khsm_hdr hdr;
	__u8 label[KHSM_LABEL_LEN];	/* blank padded */
	__u8 manufacturer[32];
	__u8 model[16];
	__u8 serial[16];
	__u64 flags;			/* CKF_* token flags */
	__u64 max_session_count;
	__u64 session_count;
	__u64 max_rw_session_count;
	__u64 rw_session_count;
	__u64 max_pin_len;
	__u64 min_pin_len;
	__u64 total_public_memory;
	__u64 free_public_memory;
	__u64 total_private_memory;
	__u64 free_private_memory;
	__u8 hw_version[2];		/* major, minor */
	__u8 fw_version[2];
	__u8 reserved[4];
	__u8 utc_time[16];
};

/* KHSM_IOC_MECH_LIST: C_GetMechanismList with the length-query convention */
struct khsm_mech_list {
	struct khsm_hdr hdr;
	__u64 mechs;		/* pointer to __u64[count], or 0 to query */
	__u64 count;		/* in: capacity; out: number of mechanisms */
};

/* KHSM_IOC_MECH_INFO: CK_MECHANISM_INFO */
struct khsm_mech_info {
	struct khsm_hdr hdr;
	__u64 type;		/* in: CKM_* */
	__u64 min_key_size;	/* out */
	__u64 max_key_size;	/* out */
	__u64 flags;		/* out: CKF_ENCRYPT, ... */
};

/* KHSM_IOC_INIT_TOKEN */
struct khsm_init_token {
	struct khsm_hdr hdr;
	__u64 so_pin;		/* pointer */
	__u64 so_pin_len;
	__u8 label[KHSM_LABEL_LEN];
};

/* KHSM_IOC_INIT_PIN (SO session) and KHSM_IOC_SET_PIN (any R/W session) */
struct khsm_pin {
	struct khsm_hdr hdr;
	__u64 old_pin;		/* SET_PIN only, else 0 */
	__u64 old_pin_len;
	__u64 new_pin;
	__u64 new_pin_len;
};

/*
 * KHSM_IOC_APP_FD: another open file of the caller's application (same
 * sessions, login state and objects), close-on-exec, for another thread:
 * every ioctl takes a reference on its file, and on a file that several
 * threads share those references contend.  The application ends when its
 * last file closes.
 */
struct khsm_app_fd {
	struct khsm_hdr hdr;
	__s32 fd;		/* out: the new file descriptor */
	__u32 reserved;		/* in: zero */
};

/* KHSM_IOC_OPEN_SESSION */
struct khsm_open_session {
	struct khsm_hdr hdr;	/* hdr.flags: CKF_SERIAL_SESSION | CKF_RW_SESSION */
	__u32 handle;		/* out: session handle, never 0 */
	__u32 reserved;
};

/* KHSM_IOC_CLOSE_SESSION, KHSM_IOC_CLOSE_ALL, KHSM_IOC_LOGOUT: header only */
struct khsm_session_req {
	struct khsm_hdr hdr;
};

/* KHSM_IOC_SESSION_INFO */
struct khsm_session_info {
	struct khsm_hdr hdr;
	__u64 state;		/* CKS_* */
	__u64 flags;		/* CKF_SERIAL_SESSION | CKF_RW_SESSION */
	__u64 device_error;
};

/* KHSM_IOC_LOGIN: C_Login, or C_LoginUser when username is given */
struct khsm_login {
	struct khsm_hdr hdr;
	__u64 user_type;	/* CKU_SO, CKU_USER, CKU_CONTEXT_SPECIFIC */
	__u64 pin;
	__u64 pin_len;
	__u64 username;		/* pointer, or 0 */
	__u64 username_len;
};

/* KHSM_IOC_CREATE_OBJECT, KHSM_IOC_COPY_OBJECT, KHSM_IOC_GENERATE_KEY */
struct khsm_object_req {
	struct khsm_hdr hdr;
	struct khsm_mech mech;	/* GENERATE_KEY only, else zero */
	__u64 object;		/* COPY_OBJECT: in, the source */
	__u64 attrs;		/* pointer to struct khsm_attr[count] */
	__u64 count;
	__u64 handle;		/* out: the new object */
};

/* KHSM_IOC_DESTROY_OBJECT, KHSM_IOC_OBJECT_SIZE */
struct khsm_object_handle {
	struct khsm_hdr hdr;
	__u64 object;
	__u64 size;		/* out: OBJECT_SIZE only */
};

/* KHSM_IOC_GET_ATTRS, KHSM_IOC_SET_ATTRS */
struct khsm_attrs {
	struct khsm_hdr hdr;
	__u64 object;
	__u64 attrs;		/* pointer to struct khsm_attr[count] */
	__u64 count;
};

/* KHSM_IOC_FIND_INIT */
struct khsm_find_init {
	struct khsm_hdr hdr;
	__u64 attrs;		/* pointer to struct khsm_attr[count] */
	__u64 count;
};

/* KHSM_IOC_FIND, KHSM_IOC_FIND_FINAL (header only) */
struct khsm_find {
	struct khsm_hdr hdr;
	__u64 handles;		/* pointer to __u64[max] */
	__u64 max;
	__u64 count;		/* out */
};

/* Operation kinds; one of each may be active per session */
enum khsm_op_kind {
	KHSM_OP_ENCRYPT = 0,
	KHSM_OP_DECRYPT,
	KHSM_OP_SIGN,
	KHSM_OP_VERIFY,
	KHSM_OP_DIGEST,
	KHSM_OP_MSG_ENCRYPT,	/* 3.0 message-based encryption */
	KHSM_OP_MSG_DECRYPT,
	KHSM_OP_KINDS
};

/* KHSM_IOC_OP_INIT */
struct khsm_op_init {
	struct khsm_hdr hdr;
	__u32 op;		/* enum khsm_op_kind */
	__u32 reserved;
	__u64 key;		/* object handle; 0 for digest */
	struct khsm_mech mech;
};

/*
 * KHSM_IOC_OP_UPDATE, KHSM_IOC_OP_FINAL, KHSM_IOC_OP_ONESHOT.
 *
 * in/in_len: data (UPDATE, ONESHOT).
 * out/out_len: output buffer and its size; out_len returns the length
 *   written or, with out == 0 or a short buffer, the length needed.
 *   For KHSM_OP_VERIFY, out/out_len carry the signature *in* (FINAL, ONESHOT).
 * param/param_len, aad/aad_len: per-message parameter and associated data
 *   of the message-based operations (ONESHOT only); zero otherwise.
 * hdr.flags on UPDATE with KHSM_OP_DIGEST: KHSM_OP_F_DIGEST_KEY: in is a key
 *   handle (C_DigestKey), in_len is 0.
 */
struct khsm_op_data {
	struct khsm_hdr hdr;
	__u32 op;
	__u32 reserved;
	__u64 in;
	__u64 in_len;
	__u64 out;
	__u64 out_len;
	__u64 param;
	__u64 param_len;
	__u64 aad;
	__u64 aad_len;
};

#define KHSM_OP_F_DIGEST_KEY	(1U << 0)

/* KHSM_IOC_OP_CANCEL: C_SessionCancel; hdr.flags ignored */
struct khsm_op_cancel {
	struct khsm_hdr hdr;
	__u32 ops;		/* bit mask of 1 << enum khsm_op_kind */
	__u32 reserved;
};

/* KHSM_IOC_GENERATE_RANDOM, KHSM_IOC_SEED_RANDOM */
struct khsm_random {
	struct khsm_hdr hdr;
	__u64 buf;
	__u64 len;
};

#define KHSM_IOC_MAGIC	0xB7

#define KHSM_IOC_VERSION	_IOWR(KHSM_IOC_MAGIC, 0x00, struct khsm_version)
#define KHSM_IOC_TOKEN_INFO	_IOWR(KHSM_IOC_MAGIC, 0x01, struct khsm_token_info)
#define KHSM_IOC_MECH_LIST	_IOWR(KHSM_IOC_MAGIC, 0x02, struct khsm_mech_list)
#define KHSM_IOC_MECH_INFO	_IOWR(KHSM_IOC_MAGIC, 0x03, struct khsm_mech_info)
#define KHSM_IOC_INIT_TOKEN	_IOWR(KHSM_IOC_MAGIC, 0x04, struct khsm_init_token)
#define KHSM_IOC_INIT_PIN	_IOWR(KHSM_IOC_MAGIC, 0x05, struct khsm_pin)
#define KHSM_IOC_SET_PIN	_IOWR(KHSM_IOC_MAGIC, 0x06, struct khsm_pin)
#define KHSM_IOC_APP_FD		_IOWR(KHSM_IOC_MAGIC, 0x07, struct khsm_app_fd)
#define KHSM_IOC_OPEN_SESSION	_IOWR(KHSM_IOC_MAGIC, 0x10, struct khsm_open_session)
#define KHSM_IOC_CLOSE_SESSION	_IOWR(KHSM_IOC_MAGIC, 0x11, struct khsm_session_req)
#define KHSM_IOC_CLOSE_ALL	_IOWR(KHSM_IOC_MAGIC, 0x12, struct khsm_session_req)
#define KHSM_IOC_SESSION_INFO	_IOWR(KHSM_IOC_MAGIC, 0x13, struct khsm_session_info)
#define KHSM_IOC_LOGIN		_IOWR(KHSM_IOC_MAGIC, 0x14, struct khsm_login)
#define KHSM_IOC_LOGOUT		_IOWR(KHSM_IOC_MAGIC, 0x15, struct khsm_session_req)
#define KHSM_IOC_CREATE_OBJECT	_IOWR(KHSM_IOC_MAGIC, 0x20, struct khsm_object_req)
#define KHSM_IOC_COPY_OBJECT	_IOWR(KHSM_IOC_MAGIC, 0x21, struct khsm_object_req)
#define KHSM_IOC_DESTROY_OBJECT	_IOWR(KHSM_IOC_MAGIC, 0x22, struct khsm_object_handle)
#define KHSM_IOC_OBJECT_SIZE	_IOWR(KHSM_IOC_MAGIC, 0x23, struct khsm_object_handle)
#define KHSM_IOC_GET_ATTRS	_IOWR(KHSM_IOC_MAGIC, 0x24, struct khsm_attrs)
#define KHSM_IOC_SET_ATTRS	_IOWR(KHSM_IOC_MAGIC, 0x25, struct khsm_attrs)
#define KHSM_IOC_FIND_INIT	_IOWR(KHSM_IOC_MAGIC, 0x26, struct khsm_find_init)
#define KHSM_IOC_FIND		_IOWR(KHSM_IOC_MAGIC, 0x27, struct khsm_find)
#define KHSM_IOC_FIND_FINAL	_IOWR(KHSM_IOC_MAGIC, 0x28, struct khsm_find)
#define KHSM_IOC_GENERATE_KEY	_IOWR(KHSM_IOC_MAGIC, 0x29, struct khsm_object_req)
#define KHSM_IOC_OP_INIT	_IOWR(KHSM_IOC_MAGIC, 0x30, struct khsm_op_init)
#define KHSM_IOC_OP_UPDATE	_IOWR(KHSM_IOC_MAGIC, 0x31, struct khsm_op_data)
#define KHSM_IOC_OP_FINAL	_IOWR(KHSM_IOC_MAGIC, 0x32, struct khsm_op_data)
#define KHSM_IOC_OP_ONESHOT	_IOWR(KHSM_IOC_MAGIC, 0x33, struct khsm_op_data)
#define KHSM_IOC_OP_CANCEL	_IOWR(KHSM_IOC_MAGIC, 0x34, struct khsm_op_cancel)
#define KHSM_IOC_GENERATE_RANDOM _IOWR(KHSM_IOC_MAGIC, 0x40, struct khsm_random)
#define KHSM_IOC_SEED_RANDOM	_IOWR(KHSM_IOC_MAGIC, 0x41, struct khsm_random)

/*
 * KHSM_IOC_KEY_TOKEN: mint a key token for a token object whose
 * KHSM_CKA_KERNEL_USE attribute is TRUE, for the crypto API algorithms
 * that take HSM-resident keys (Documentation/crypto-api.rst).  The token names the object; it
 * holds no key material and is useless once the object is destroyed.
 */
struct khsm_key_token {
	struct khsm_hdr hdr;
	__u64 object;		/* in: key object handle */
	__u64 token;		/* pointer to the buffer, or 0 to query */
	__u64 token_len;	/* in: buffer size; out: token length */
};

/* Length of a key token of ABI version 1 */
#define KHSM_KEY_TOKEN_LEN	32

#define KHSM_IOC_KEY_TOKEN	_IOWR(KHSM_IOC_MAGIC, 0x50, struct khsm_key_token)
/* 0x51..0x5f: reserved for the crypto API offload */

#endif /* _UAPI_LINUX_KHSM_H */
