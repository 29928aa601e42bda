// SPDX-License-Identifier: LGPL-2.1-or-later
/* libkhsm: one C function per /dev/hsm ioctl.  See khsm.h. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "khsm.h"

static unsigned long rv_of_errno(int err)
{
	switch (err) {
	case ENOMEM:
		return KHSM_RV_HOST_MEMORY;
	case ENODEV:
	case ENXIO:
		return KHSM_RV_DEVICE_REMOVED;
	case EFAULT:
	case EINVAL:
		return KHSM_RV_ARGUMENTS_BAD;
	default:
		return KHSM_RV_DEVICE_ERROR;
	}
}

unsigned long khsm_call(int fd, unsigned long cmd, struct khsm_hdr *hdr,
			unsigned int size)
{
	int ret;

	hdr->size = size;
	do {
		ret = ioctl(fd, cmd, hdr);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return rv_of_errno(errno);
	return hdr->rv;
}

int khsm_open(const char *path)
{
	struct khsm_version v = { 0 };
	int fd;

	fd = open(path ? path : KHSM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (khsm_version(fd, &v) != 0 || v.abi_version != KHSM_ABI_VERSION) {
		close(fd);
		errno = EPROTO;
		return -1;
	}
	return fd;
}

int khsm_close(int fd)
{
	return close(fd);
}

#define KHSM_CALL(name, cmd, type)					\
unsigned long khsm_##name(int fd, struct type *a)			\
{									\
	return khsm_call(fd, cmd, &a->hdr, sizeof(*a));			\
}

KHSM_CALL(version, KHSM_IOC_VERSION, khsm_version)
KHSM_CALL(token_info, KHSM_IOC_TOKEN_INFO, khsm_token_info)
KHSM_CALL(mech_list, KHSM_IOC_MECH_LIST, khsm_mech_list)
KHSM_CALL(mech_info, KHSM_IOC_MECH_INFO, khsm_mech_info)
KHSM_CALL(init_token, KHSM_IOC_INIT_TOKEN, khsm_init_token)
KHSM_CALL(init_pin, KHSM_IOC_INIT_PIN, khsm_pin)
KHSM_CALL(set_pin, KHSM_IOC_SET_PIN, khsm_pin)
KHSM_CALL(app_fd, KHSM_IOC_APP_FD, khsm_app_fd)
KHSM_CALL(open_session, KHSM_IOC_OPEN_SESSION, khsm_open_session)
KHSM_CALL(close_session, KHSM_IOC_CLOSE_SESSION, khsm_session_req)
KHSM_CALL(close_all, KHSM_IOC_CLOSE_ALL, khsm_session_req)
KHSM_CALL(session_info, KHSM_IOC_SESSION_INFO, khsm_session_info)
KHSM_CALL(login, KHSM_IOC_LOGIN, khsm_login)
KHSM_CALL(logout, KHSM_IOC_LOGOUT, khsm_session_req)
KHSM_CALL(create_object, KHSM_IOC_CREATE_OBJECT, khsm_object_req)
KHSM_CALL(copy_object, KHSM_IOC_COPY_OBJECT, khsm_object_req)
KHSM_CALL(destroy_object, KHSM_IOC_DESTROY_OBJECT, khsm_object_handle)
KHSM_CALL(object_size, KHSM_IOC_OBJECT_SIZE, khsm_object_handle)
KHSM_CALL(get_attrs, KHSM_IOC_GET_ATTRS, khsm_attrs)
KHSM_CALL(set_attrs, KHSM_IOC_SET_ATTRS, khsm_attrs)
KHSM_CALL(find_init, KHSM_IOC_FIND_INIT, khsm_find_init)
KHSM_CALL(find, KHSM_IOC_FIND, khsm_find)
KHSM_CALL(find_final, KHSM_IOC_FIND_FINAL, khsm_find)
KHSM_CALL(generate_key, KHSM_IOC_GENERATE_KEY, khsm_object_req)
KHSM_CALL(op_init, KHSM_IOC_OP_INIT, khsm_op_init)
KHSM_CALL(op_update, KHSM_IOC_OP_UPDATE, khsm_op_data)
KHSM_CALL(op_final, KHSM_IOC_OP_FINAL, khsm_op_data)
KHSM_CALL(op_oneshot, KHSM_IOC_OP_ONESHOT, khsm_op_data)
KHSM_CALL(op_cancel, KHSM_IOC_OP_CANCEL, khsm_op_cancel)
KHSM_CALL(generate_random, KHSM_IOC_GENERATE_RANDOM, khsm_random)
KHSM_CALL(seed_random, KHSM_IOC_SEED_RANDOM, khsm_random)
