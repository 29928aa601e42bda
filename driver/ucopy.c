// SPDX-License-Identifier: GPL-2.0
/*
 * khsm user copies of small things: the ioctl argument structs (16 to a few
 * hundred bytes) and small data (digests, MACs, IVs, keys, random numbers).
 *
 * Up to KHSM_SMALL_COPY bytes move a 64-bit word at a time in one
 * user-access window, as the kernel's signal-frame and rseq code move
 * theirs, instead of through copy_from_user()'s string copy: on CPUs with
 * fast short string moves that is rep movsb, which an emulated CPU such as
 * qemu TCG runs one byte per translated step (about 6 ns a byte in the
 * benchmark VM: an 88-byte struct khsm_op_data in and out cost more than a
 * whole getppid()).  Larger data goes through copy_from_user() /
 * copy_to_user(), whose string copy is the fastest on hardware.
 */
#include <linux/string.h>
#include <linux/uaccess.h>

#include "khsm.h"

#define KHSM_SMALL_COPY	256

int khsm_copy_in(void *kdst, const void __user *usrc, size_t len)
{
	const u8 __user *src = usrc;
	u8 *dst = kdst;
	u64 w;

	if (!len)
		return 0;
	if (len > KHSM_SMALL_COPY)
		return copy_from_user(dst, src, len) ? -EFAULT : 0;
	if (!user_read_access_begin(src, len))
		return -EFAULT;
	for (; len >= sizeof(w); len -= sizeof(w)) {
		unsafe_get_user(w, (const u64 __user *)src, efault);
		memcpy(dst, &w, sizeof(w));
		src += sizeof(w);
		dst += sizeof(w);
	}
	for (; len; len--)
		unsafe_get_user(*dst++, src++, efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

int khsm_copy_out(void __user *udst, const void *ksrc, size_t len)
{
	const u8 *src = ksrc;
	u8 __user *dst = udst;
	u64 w;

	if (!len)
		return 0;
	if (len > KHSM_SMALL_COPY)
		return copy_to_user(dst, src, len) ? -EFAULT : 0;
	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	for (; len >= sizeof(w); len -= sizeof(w)) {
		memcpy(&w, src, sizeof(w));
		unsafe_put_user(w, (u64 __user *)dst, efault);
		src += sizeof(w);
		dst += sizeof(w);
	}
	for (; len; len--)
		unsafe_put_user(*src++, dst++, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}
