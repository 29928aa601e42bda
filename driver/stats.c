// SPDX-License-Identifier: GPL-2.0
/*
 * khsm ioctl counters (see stats.h).
 *
 * One per-cpu array of counters indexed by the ioctl's command number: the
 * ioctl entry increments its own cpu's slot with this_cpu_inc(), which needs
 * no lock and touches no shared cache line, so counting adds nothing to the
 * scaling of concurrent sessions.  A read sums the slots of every possible
 * cpu; it is a snapshot, exact whenever no ioctl runs during it.  The
 * counters are never reset: benchmarks read before and after and subtract.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/khsm.h>

#include "stats.h"

/* Command numbers below this are khsm's (uapi); the last slot: any other */
#define KHSM_STATS_NR		0x60
#define KHSM_STATS_OTHER	KHSM_STATS_NR

struct khsm_ioctl_counts {
	unsigned long n[KHSM_STATS_NR + 1];
};

static struct khsm_ioctl_counts __percpu *khsm_counts;
static struct dentry *khsm_dbg_dir;

static const char * const khsm_ioctl_names[KHSM_STATS_NR] = {
	[_IOC_NR(KHSM_IOC_VERSION)] = "VERSION",
	[_IOC_NR(KHSM_IOC_TOKEN_INFO)] = "TOKEN_INFO",
	[_IOC_NR(KHSM_IOC_MECH_LIST)] = "MECH_LIST",
	[_IOC_NR(KHSM_IOC_MECH_INFO)] = "MECH_INFO",
	[_IOC_NR(KHSM_IOC_INIT_TOKEN)] = "INIT_TOKEN",
	[_IOC_NR(KHSM_IOC_INIT_PIN)] = "INIT_PIN",
	[_IOC_NR(KHSM_IOC_SET_PIN)] = "SET_PIN",
	[_IOC_NR(KHSM_IOC_APP_FD)] = "APP_FD",
	[_IOC_NR(KHSM_IOC_OPEN_SESSION)] = "OPEN_SESSION",
	[_IOC_NR(KHSM_IOC_CLOSE_SESSION)] = "CLOSE_SESSION",
	[_IOC_NR(KHSM_IOC_CLOSE_ALL)] = "CLOSE_ALL",
	[_IOC_NR(KHSM_IOC_SESSION_INFO)] = "SESSION_INFO",
	[_IOC_NR(KHSM_IOC_LOGIN)] = "LOGIN",
	[_IOC_NR(KHSM_IOC_LOGOUT)] = "LOGOUT",
	[_IOC_NR(KHSM_IOC_CREATE_OBJECT)] = "CREATE_OBJECT",
	[_IOC_NR(KHSM_IOC_COPY_OBJECT)] = "COPY_OBJECT",
	[_IOC_NR(KHSM_IOC_DESTROY_OBJECT)] = "DESTROY_OBJECT",
	[_IOC_NR(KHSM_IOC_OBJECT_SIZE)] = "OBJECT_SIZE",
	[_IOC_NR(KHSM_IOC_GET_ATTRS)] = "GET_ATTRS",
	[_IOC_NR(KHSM_IOC_SET_ATTRS)] = "SET_ATTRS",
	[_IOC_NR(KHSM_IOC_FIND_INIT)] = "FIND_INIT",
	[_IOC_NR(KHSM_IOC_FIND)] = "FIND",
	[_IOC_NR(KHSM_IOC_FIND_FINAL)] = "FIND_FINAL",
	[_IOC_NR(KHSM_IOC_GENERATE_KEY)] = "GENERATE_KEY",
	[_IOC_NR(KHSM_IOC_OP_INIT)] = "OP_INIT",
	[_IOC_NR(KHSM_IOC_OP_UPDATE)] = "OP_UPDATE",
	[_IOC_NR(KHSM_IOC_OP_FINAL)] = "OP_FINAL",
	[_IOC_NR(KHSM_IOC_OP_ONESHOT)] = "OP_ONESHOT",
	[_IOC_NR(KHSM_IOC_OP_CANCEL)] = "OP_CANCEL",
	[_IOC_NR(KHSM_IOC_GENERATE_RANDOM)] = "GENERATE_RANDOM",
	[_IOC_NR(KHSM_IOC_SEED_RANDOM)] = "SEED_RANDOM",
	[_IOC_NR(KHSM_IOC_KEY_TOKEN)] = "KEY_TOKEN",
};

void khsm_stats_ioctl(unsigned int cmd)
{
	struct khsm_ioctl_counts __percpu *c = READ_ONCE(khsm_counts);
	unsigned int nr = _IOC_NR(cmd);

	if (unlikely(!c))
		return;
	if (_IOC_TYPE(cmd) != KHSM_IOC_MAGIC || nr >= KHSM_STATS_NR)
		nr = KHSM_STATS_OTHER;
	this_cpu_inc(c->n[nr]);
}

static unsigned long khsm_stats_sum(unsigned int nr)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(khsm_counts, cpu)->n[nr]);
	return sum;
}

static int ioctls_show(struct seq_file *m, void *unused)
{
	unsigned long total = 0;
	unsigned int nr;

	for (nr = 0; nr <= KHSM_STATS_OTHER; nr++)
		total += khsm_stats_sum(nr);
	seq_printf(m, "%lu\n", total);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ioctls);

static int ioctl_counts_show(struct seq_file *m, void *unused)
{
	unsigned int nr;

	for (nr = 0; nr < KHSM_STATS_NR; nr++)
		if (khsm_ioctl_names[nr])
			seq_printf(m, "%-16s %lu\n", khsm_ioctl_names[nr],
				   khsm_stats_sum(nr));
	seq_printf(m, "%-16s %lu\n", "other", khsm_stats_sum(KHSM_STATS_OTHER));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ioctl_counts);

void khsm_stats_init(void)
{
	struct khsm_ioctl_counts __percpu *c;

	c = alloc_percpu(struct khsm_ioctl_counts);
	if (!c)
		return;
	/* ioctls may already run: publish the zeroed counters whole */
	smp_store_release(&khsm_counts, c);
	/* debugfs failures are not errors: the files are then just absent */
	khsm_dbg_dir = debugfs_create_dir("khsm", NULL);
	debugfs_create_file("ioctls", 0400, khsm_dbg_dir, NULL, &ioctls_fops);
	debugfs_create_file("ioctl_counts", 0400, khsm_dbg_dir, NULL,
			    &ioctl_counts_fops);
}

void khsm_stats_exit(void)
{
	/* waits for readers of the files still inside them */
	debugfs_remove_recursive(khsm_dbg_dir);
	khsm_dbg_dir = NULL;
	free_percpu(khsm_counts);
	khsm_counts = NULL;
}

struct dentry *khsm_debugfs_dir(void)
{
	return IS_ERR_OR_NULL(khsm_dbg_dir) ? NULL : khsm_dbg_dir;
}
