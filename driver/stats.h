/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khsm ioctl counters: how many /dev/hsm ioctls ran, in total and per
 * command, kept per cpu so that counting never shares a cache line between
 * sessions.  Read-only in debugfs, never reset: readers take deltas.
 *
 *   /sys/kernel/debug/khsm/ioctls        one number, all commands
 *   /sys/kernel/debug/khsm/ioctl_counts  one line per command: name count
 */
#ifndef _KHSM_STATS_H
#define _KHSM_STATS_H

struct dentry;

/* Module init (may run after /dev/hsm exists: earlier ioctls go uncounted) */
void khsm_stats_init(void);
/* Module exit, when no ioctl can run any more (/dev/hsm gone, no file open) */
void khsm_stats_exit(void);
/* The ioctl entry, once per call, before anything else */
void khsm_stats_ioctl(unsigned int cmd);
/* The debugfs directory "khsm" (other debug files may go in it), or NULL */
struct dentry *khsm_debugfs_dir(void);

#endif /* _KHSM_STATS_H */
