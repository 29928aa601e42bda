// SPDX-License-Identifier: GPL-2.0
/*
 * khsm user copies: the ioctl argument structs, templates, attribute
 * values and the data of every operation.
 *
 * copy_from_user() and copy_to_user() move bytes with the CPU's string
 * instruction; on CPUs with fast string moves that is rep movsb, the
 * fastest copy on hardware, and the slowest one on an emulated CPU such as
 * qemu TCG, which runs it one byte per translated step (about 6 ns a byte
 * in the benchmark VM: an 88-byte struct khsm_op_data in and out cost more
 * than a whole getppid(), and the two copies of a 16 KiB encryption a
 * fifth of the call).  So:
 *
 *  - up to KHSM_SMALL_COPY bytes always move a 64-bit word at a time in
 *    one user-access window, as the kernel's signal-frame and rseq code
 *    move theirs: on hardware that is as fast for so few bytes;
 *  - larger copies move the same way, one window per KHSM_COPY_CHUNK with
 *    a chance to reschedule between, only if a measurement at module load
 *    found the word loop faster than the CPU's string move on 4 KiB
 *    (khsm_ucopy_init(): memcpy() uses the same string move as the user
 *    copies); otherwise, as on hardware, copy_from_user()/copy_to_user().
 *    Both ways check the kernel buffer's bounds (hardened usercopy).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/uaccess.h>

#include "khsm.h"

#define KHSM_SMALL_COPY	256
#define KHSM_COPY_CHUNK	4096

static bool khsm_word_copies __ro_after_init;

/* One user-access window: @len bytes from @src, at most a chunk */
static int words_in(u8 *dst, const u8 __user *src, size_t len)
{
	u64 w0, w1, w2, w3;

	if (!user_read_access_begin(src, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		unsafe_get_user(w0, (const u64 __user *)src, efault);
		unsafe_get_user(w1, (const u64 __user *)(src + 8), efault);
		unsafe_get_user(w2, (const u64 __user *)(src + 16), efault);
		unsafe_get_user(w3, (const u64 __user *)(src + 24), efault);
		memcpy(dst, &w0, sizeof(u64));
		memcpy(dst + 8, &w1, sizeof(u64));
		memcpy(dst + 16, &w2, sizeof(u64));
		memcpy(dst + 24, &w3, sizeof(u64));
		src += 4 * sizeof(u64);
		dst += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		unsafe_get_user(w0, (const u64 __user *)src, efault);
		memcpy(dst, &w0, sizeof(u64));
		src += sizeof(u64);
		dst += sizeof(u64);
	}
	for (; len; len--)
		unsafe_get_user(*dst++, src++, efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/* One user-access window: @len bytes to @dst, at most a chunk */
static int words_out(u8 __user *dst, const u8 *src, size_t len)
{
	u64 w0, w1, w2, w3;

	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		memcpy(&w0, src, sizeof(u64));
		memcpy(&w1, src + 8, sizeof(u64));
		memcpy(&w2, src + 16, sizeof(u64));
		memcpy(&w3, src + 24, sizeof(u64));
		unsafe_put_user(w0, (u64 __user *)dst, efault);
		unsafe_put_user(w1, (u64 __user *)(dst + 8), efault);
		unsafe_put_user(w2, (u64 __user *)(dst + 16), efault);
		unsafe_put_user(w3, (u64 __user *)(dst + 24), efault);
		src += 4 * sizeof(u64);
		dst += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		memcpy(&w0, src, sizeof(u64));
		unsafe_put_user(w0, (u64 __user *)dst, efault);
		src += sizeof(u64);
		dst += sizeof(u64);
	}
	for (; len; len--)
		unsafe_put_user(*src++, dst++, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

int khsm_copy_in(void *kdst, const void __user *usrc, size_t len)
{
	const u8 __user *src = usrc;
	u8 *dst = kdst;
	size_t n;

	if (!len)
		return 0;
	if (len <= KHSM_SMALL_COPY)
		return words_in(dst, src, len);
	if (!khsm_word_copies)
		return copy_from_user(dst, src, len) ? -EFAULT : 0;
	might_fault();
	check_object_size(dst, len, false);
	for (; len; len -= n, src += n, dst += n) {
		n = min_t(size_t, len, KHSM_COPY_CHUNK);
		if (words_in(dst, src, n))
			return -EFAULT;
		cond_resched();
	}
	return 0;
}

int khsm_copy_out(void __user *udst, const void *ksrc, size_t len)
{
	const u8 *src = ksrc;
	u8 __user *dst = udst;
	size_t n;

	if (!len)
		return 0;
	if (len <= KHSM_SMALL_COPY)
		return words_out(dst, src, len);
	if (!khsm_word_copies)
		return copy_to_user(dst, src, len) ? -EFAULT : 0;
	might_fault();
	check_object_size(src, len, true);
	for (; len; len -= n, src += n, dst += n) {
		n = min_t(size_t, len, KHSM_COPY_CHUNK);
		if (words_out(dst, src, n))
			return -EFAULT;
		cond_resched();
	}
	return 0;
}

/*
 * The probe's stand-in for words_in() on kernel memory: the same loads
 * and stores (volatile, so the compiler cannot turn the loop back into a
 * memcpy() call).
 */
static void words_kernel(u64 *dst, const u64 *src, size_t words)
{
	for (; words >= 4; words -= 4, src += 4, dst += 4) {
		WRITE_ONCE(dst[0], READ_ONCE(src[0]));
		WRITE_ONCE(dst[1], READ_ONCE(src[1]));
		WRITE_ONCE(dst[2], READ_ONCE(src[2]));
		WRITE_ONCE(dst[3], READ_ONCE(src[3]));
	}
	for (; words; words--)
		WRITE_ONCE(*dst++, READ_ONCE(*src++));
}

/* Best of three rounds of eight 4 KiB copies, string move or words, in ns */
static u64 copy_time(u8 *dst, const u8 *src, bool words)
{
	size_t len = KHSM_COPY_CHUNK;
	u64 best = U64_MAX, t;
	int r, i;

	OPTIMIZER_HIDE_VAR(len);	/* memcpy() itself, not an inlined copy */
	for (r = 0; r < 3; r++) {
		t = ktime_get_ns();
		for (i = 0; i < 8; i++) {
			if (words)
				words_kernel((u64 *)dst, (const u64 *)src,
					     len / sizeof(u64));
			else
				memcpy(dst, src, len);
			barrier_data(dst);
		}
		best = min(best, ktime_get_ns() - t);
		cond_resched();
	}
	return best;
}

void __init khsm_ucopy_init(void)
{
	u8 *buf = kzalloc(2 * KHSM_COPY_CHUNK, GFP_KERNEL);
	u64 str, words;

	if (!buf)
		return;		/* no measurement: the string move */
	str = copy_time(buf, buf + KHSM_COPY_CHUNK, false);
	words = copy_time(buf, buf + KHSM_COPY_CHUNK, true);
	kfree(buf);
	/* a clear win only: on hardware the string move stays */
	khsm_word_copies = words < str - str / 4;
	if (khsm_word_copies)
		pr_info("khsm: user copies over %d bytes: word loop (4 KiB in %llu ns, string move %llu ns)\n",
			KHSM_SMALL_COPY, words / 8, str / 8);
}
