// SPDX-License-Identifier: GPL-2.0
/*
 * khsm /dev/hsm: the misc device and the ioctl dispatch.
 *
 * Each command is matched on its number (not on the size encoded in the
 * command word: hdr.size says how big the caller's struct is, so structs
 * can grow at their end).  The argument is read with the rules of
 * copy_struct_from_user() (a larger struct's tail must be zero); hdr.flags
 * must be zero unless the command defines flags, hdr.session zero unless
 * the command takes a session.  A
 * malformed header is -EINVAL, an unknown command -ENOTTY; everything a
 * PKCS#11 caller can get wrong is a CK_RV in hdr.rv with the ioctl
 * returning 0.
 *
 * The file operations hold a module reference (.owner), so the module
 * cannot be unloaded while /dev/hsm is open.
 */
#include <linux/anon_inodes.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>

#include "khsm.h"
#include "alg.h"
#include "stats.h"

static struct khsm_token *khsm_cdev_tok;

static long khsm_ioc_version(struct khsm_app *app, struct khsm_version *a)
{
	const struct khsm_config *cfg = &app->tok->cfg;
	size_t i;

	a->abi_version = KHSM_ABI_VERSION;
	a->caps = KHSM_CAP_APP_FD;
	/* key tokens work once the crypto API side is up (main.c) */
	if (READ_ONCE(app->tok->key_tokens))
		a->caps |= KHSM_CAP_KEY_TOKEN;
	for (i = 0; i < khsm_mech_count(); i++)
		if (khsm_mech_at(i)->fns &
		    (KHSM_FN_MSG_ENCRYPT | KHSM_FN_MSG_DECRYPT))
			a->caps |= KHSM_CAP_MESSAGE_API;
	a->max_sessions = cfg->max_sessions;
	a->max_objects = cfg->max_objects;
	memset(a->module_version, 0, sizeof(a->module_version));
	strscpy(a->module_version, KHSM_VERSION_STRING,
		sizeof(a->module_version));
	return CKR_OK;
}

#define KHSM_F_SESSION	BIT(0)	/* takes hdr.session */
#define KHSM_F_FLAGS	BIT(1)	/* defines hdr.flags (the handler checks) */
#define KHSM_F_NOFLAGS	BIT(2)	/* hdr.flags ignored (C_SessionCancel) */

/*
 * Reads the caller's struct into @karg, @ksize bytes: the v1 struct, the
 * least a caller passes.  One copy, header included (a crossing costs more
 * than the work of the cheapest calls), of a size known at compile time in
 * every caller; then, as copy_struct_from_user() would, a larger caller's
 * tail must be zero.
 */
static __always_inline long khsm_arg_in(void *karg, void __user *uarg,
					size_t ksize, unsigned int f)
{
	struct khsm_hdr *hdr = karg;
	long ret;

	if (khsm_copy_in(karg, uarg, ksize))	/* ucopy.c */
		return -EFAULT;
	if (hdr->size < ksize)
		return -EINVAL;
	if (hdr->size > PAGE_SIZE)
		return -E2BIG;
	if (hdr->size > ksize) {
		ret = check_zeroed_user(uarg + ksize, hdr->size - ksize);
		if (ret <= 0)
			return ret ? ret : -E2BIG;
	}
	if (f & KHSM_F_NOFLAGS)
		hdr->flags = 0;
	if ((hdr->flags && !(f & KHSM_F_FLAGS)) ||
	    (hdr->session && !(f & KHSM_F_SESSION)))
		return -EINVAL;
	hdr->rv = 0;
	return 0;
}

/*
 * One wrapper per command: its struct on the stack, in, the handler, out.
 * A handler returns a CK_RV (>= 0, into hdr.rv) or a -errno for a
 * malformed call.
 */
#define KHSM_IOC(fn, type, f)						\
static long khsm_w_##fn(struct khsm_app *app, void __user *uarg)	\
{									\
	type a;								\
	long ret;							\
									\
	ret = khsm_arg_in(&a, uarg, sizeof(a), (f));			\
	if (ret)							\
		return ret;						\
	ret = khsm_ioc_##fn(app, &a);					\
	if (ret < 0)							\
		return ret;						\
	a.hdr.rv = ret;							\
	return khsm_copy_out(uarg, &a, sizeof(a));			\
}

static const struct file_operations khsm_fops;

/*
 * KHSM_IOC_APP_FD: the new file is made, the answer written, and only then
 * the descriptor installed, so a failed copy leaves no descriptor behind.
 */
static long khsm_w_app_fd(struct khsm_app *app, void __user *uarg)
{
	struct khsm_app_fd a;
	struct file *f;
	long ret;
	int fd;

	ret = khsm_arg_in(&a, uarg, sizeof(a), 0);
	if (ret)
		return ret;
	if (a.reserved)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	khsm_app_get(app);
	f = anon_inode_getfile("[khsm]", &khsm_fops, app, O_RDWR);
	if (IS_ERR(f)) {
		khsm_app_put(app);
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	a.fd = fd;
	a.hdr.rv = CKR_OK;
	if (khsm_copy_out(uarg, &a, sizeof(a))) {
		fput(f);	/* its release drops the reference */
		put_unused_fd(fd);
		return -EFAULT;
	}
	fd_install(fd, f);
	return 0;
}

#define S KHSM_F_SESSION
KHSM_IOC(version, struct khsm_version, 0)
KHSM_IOC(token_info, struct khsm_token_info, 0)
KHSM_IOC(mech_list, struct khsm_mech_list, 0)
KHSM_IOC(mech_info, struct khsm_mech_info, 0)
KHSM_IOC(init_token, struct khsm_init_token, 0)
KHSM_IOC(init_pin, struct khsm_pin, S)
KHSM_IOC(set_pin, struct khsm_pin, S)
KHSM_IOC(open_session, struct khsm_open_session, KHSM_F_FLAGS)
KHSM_IOC(close_session, struct khsm_session_req, S)
KHSM_IOC(close_all, struct khsm_session_req, 0)
KHSM_IOC(session_info, struct khsm_session_info, S)
KHSM_IOC(login, struct khsm_login, S)
KHSM_IOC(logout, struct khsm_session_req, S)
KHSM_IOC(create_object, struct khsm_object_req, S)
KHSM_IOC(copy_object, struct khsm_object_req, S)
KHSM_IOC(destroy_object, struct khsm_object_handle, S)
KHSM_IOC(object_size, struct khsm_object_handle, S)
KHSM_IOC(get_attrs, struct khsm_attrs, S)
KHSM_IOC(set_attrs, struct khsm_attrs, S)
KHSM_IOC(find_init, struct khsm_find_init, S)
KHSM_IOC(find, struct khsm_find, S)
KHSM_IOC(find_final, struct khsm_find, S)
KHSM_IOC(generate_key, struct khsm_object_req, S)
KHSM_IOC(op_init, struct khsm_op_init, S)
KHSM_IOC(op_update, struct khsm_op_data, S | KHSM_F_FLAGS)
KHSM_IOC(op_final, struct khsm_op_data, S)
KHSM_IOC(op_oneshot, struct khsm_op_data, S)
/* C_SessionCancel: hdr.flags ignored, as the ABI says */
KHSM_IOC(op_cancel, struct khsm_op_cancel, S | KHSM_F_NOFLAGS)
KHSM_IOC(generate_random, struct khsm_random, S)
KHSM_IOC(seed_random, struct khsm_random, S)
/* 0x50..0x5f: the crypto API offload (keytoken.c) */
KHSM_IOC(key_token, struct khsm_key_token, S)
#undef S

typedef long (*khsm_ioc_fn)(struct khsm_app *app, void __user *uarg);

#define D(cmd, fn)							\
	[_IOC_NR(cmd)] = khsm_w_##fn

static const khsm_ioc_fn khsm_iocs[] = {
	D(KHSM_IOC_VERSION, version),
	D(KHSM_IOC_TOKEN_INFO, token_info),
	D(KHSM_IOC_MECH_LIST, mech_list),
	D(KHSM_IOC_MECH_INFO, mech_info),
	D(KHSM_IOC_INIT_TOKEN, init_token),
	D(KHSM_IOC_INIT_PIN, init_pin),
	D(KHSM_IOC_SET_PIN, set_pin),
	D(KHSM_IOC_APP_FD, app_fd),
	D(KHSM_IOC_OPEN_SESSION, open_session),
	D(KHSM_IOC_CLOSE_SESSION, close_session),
	D(KHSM_IOC_CLOSE_ALL, close_all),
	D(KHSM_IOC_SESSION_INFO, session_info),
	D(KHSM_IOC_LOGIN, login),
	D(KHSM_IOC_LOGOUT, logout),
	D(KHSM_IOC_CREATE_OBJECT, create_object),
	D(KHSM_IOC_COPY_OBJECT, copy_object),
	D(KHSM_IOC_DESTROY_OBJECT, destroy_object),
	D(KHSM_IOC_OBJECT_SIZE, object_size),
	D(KHSM_IOC_GET_ATTRS, get_attrs),
	D(KHSM_IOC_SET_ATTRS, set_attrs),
	D(KHSM_IOC_FIND_INIT, find_init),
	D(KHSM_IOC_FIND, find),
	D(KHSM_IOC_FIND_FINAL, find_final),
	D(KHSM_IOC_GENERATE_KEY, generate_key),
	D(KHSM_IOC_OP_INIT, op_init),
	D(KHSM_IOC_OP_UPDATE, op_update),
	D(KHSM_IOC_OP_FINAL, op_final),
	D(KHSM_IOC_OP_ONESHOT, op_oneshot),
	D(KHSM_IOC_OP_CANCEL, op_cancel),
	D(KHSM_IOC_GENERATE_RANDOM, generate_random),
	D(KHSM_IOC_SEED_RANDOM, seed_random),
	D(KHSM_IOC_KEY_TOKEN, key_token),
};

#undef D

static long khsm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	unsigned int nr = _IOC_NR(cmd);
	khsm_ioc_fn fn;

	khsm_stats_ioctl(cmd);	/* crossings counted for the benchmark */
	if (_IOC_TYPE(cmd) != KHSM_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE) ||
	    nr >= ARRAY_SIZE(khsm_iocs))
		return -ENOTTY;
	fn = khsm_iocs[array_index_nospec(nr, ARRAY_SIZE(khsm_iocs))];
	if (!fn)
		return -ENOTTY;
	return fn(file->private_data, (void __user *)arg);
}

static int khsm_open(struct inode *inode, struct file *file)
{
	struct khsm_app *app;

	app = khsm_app_open(khsm_cdev_tok);
	if (!app)
		return -ENOMEM;
	file->private_data = app;
	return nonseekable_open(inode, file);
}

static int khsm_release(struct inode *inode, struct file *file)
{
	khsm_app_put(file->private_data);
	return 0;
}

static const struct file_operations khsm_fops = {
	.owner = THIS_MODULE,
	.open = khsm_open,
	.release = khsm_release,
	.unlocked_ioctl = khsm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

/* 0666: any user may open an application context; every resource it can
 * make the kernel hold is bounded per application.
 */
static struct miscdevice khsm_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hsm",
	.fops = &khsm_fops,
	.mode = 0666,
};

int khsm_cdev_register(struct khsm_token *tok)
{
	khsm_cdev_tok = tok;
	khsm_misc.parent = tok->dev;
	return misc_register(&khsm_misc);
}

void khsm_cdev_unregister(void)
{
	misc_deregister(&khsm_misc);
	khsm_cdev_tok = NULL;
}
