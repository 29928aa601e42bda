/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkhsm: one C function per /dev/hsm ioctl.
 *
 * Each function fills in hdr.size, issues the ioctl and returns the call's
 * CK_RV: the kernel's hdr.rv when the ioctl went through, else a CK_RV for
 * the transport fault (CKR_HOST_MEMORY for ENOMEM, CKR_DEVICE_REMOVED when
 * the module is gone, CKR_ARGUMENTS_BAD for EFAULT/EINVAL, CKR_DEVICE_ERROR
 * otherwise) with errno left as the ioctl set it.
 */
#ifndef KHSM_LIB_H
#define KHSM_LIB_H

#include <linux/khsm.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KHSM_DEVICE "/dev/hsm"

/* "CKR_PIN_INCORRECT", or "CKR_0x..." for a value it does not know */
const char *khsm_rv_name(unsigned long rv);

/* Opens /dev/hsm (O_RDWR | O_CLOEXEC) and checks the ABI version. */
int khsm_open(const char *path);
int khsm_close(int fd);

/* CK_RV values of transport faults (the same numbers as <pkcs11.h>) */
#define KHSM_RV_HOST_MEMORY	0x02UL
#define KHSM_RV_ARGUMENTS_BAD	0x07UL
#define KHSM_RV_DEVICE_ERROR	0x30UL
#define KHSM_RV_DEVICE_REMOVED	0x32UL

unsigned long khsm_version(int fd, struct khsm_version *a);
unsigned long khsm_token_info(int fd, struct khsm_token_info *a);
unsigned long khsm_mech_list(int fd, struct khsm_mech_list *a);
unsigned long khsm_mech_info(int fd, struct khsm_mech_info *a);
unsigned long khsm_init_token(int fd, struct khsm_init_token *a);
unsigned long khsm_init_pin(int fd, struct khsm_pin *a);
unsigned long khsm_set_pin(int fd, struct khsm_pin *a);
unsigned long khsm_app_fd(int fd, struct khsm_app_fd *a);
unsigned long khsm_open_session(int fd, struct khsm_open_session *a);
unsigned long khsm_close_session(int fd, struct khsm_session_req *a);
unsigned long khsm_close_all(int fd, struct khsm_session_req *a);
unsigned long khsm_session_info(int fd, struct khsm_session_info *a);
unsigned long khsm_login(int fd, struct khsm_login *a);
unsigned long khsm_logout(int fd, struct khsm_session_req *a);
unsigned long khsm_create_object(int fd, struct khsm_object_req *a);
unsigned long khsm_copy_object(int fd, struct khsm_object_req *a);
unsigned long khsm_destroy_object(int fd, struct khsm_object_handle *a);
unsigned long khsm_object_size(int fd, struct khsm_object_handle *a);
unsigned long khsm_get_attrs(int fd, struct khsm_attrs *a);
unsigned long khsm_set_attrs(int fd, struct khsm_attrs *a);
unsigned long khsm_find_init(int fd, struct khsm_find_init *a);
unsigned long khsm_find(int fd, struct khsm_find *a);
unsigned long khsm_find_final(int fd, struct khsm_find *a);
unsigned long khsm_generate_key(int fd, struct khsm_object_req *a);
unsigned long khsm_op_init(int fd, struct khsm_op_init *a);
unsigned long khsm_op_update(int fd, struct khsm_op_data *a);
unsigned long khsm_op_final(int fd, struct khsm_op_data *a);
unsigned long khsm_op_oneshot(int fd, struct khsm_op_data *a);
unsigned long khsm_op_cancel(int fd, struct khsm_op_cancel *a);
unsigned long khsm_generate_random(int fd, struct khsm_random *a);
unsigned long khsm_seed_random(int fd, struct khsm_random *a);

/* The raw call under all of the above: for tests that forge headers. */
unsigned long khsm_call(int fd, unsigned long cmd, struct khsm_hdr *hdr,
			unsigned int size);

#ifdef __cplusplus
}
#endif

#endif /* KHSM_LIB_H */
