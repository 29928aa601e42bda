// SPDX-License-Identifier: GPL-2.0
/*
 * khsm /dev/hsm: the misc device and the ioctl dispatch.
 *
 * Each command is matched on its number (not on the size encoded in the
 * command word: hdr.size says how big the caller's struct is, so structs
 * can grow at their end).  The argument is read with
 * copy_struct_from_user(); hdr.flags must be zero unless the command
 * defines flags, hdr.session zero unless the command takes a session.  A
 * malformed header is -EINVAL, an unknown command -ENOTTY; everything a
 * PKCS#11 caller can get wrong is a CK_RV in hdr.rv with the ioctl
 * returning 0.
 *
 * The file operations hold a module reference (.owner), so the module
 * cannot be unloaded while /dev/hsm is open.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
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
	a->caps = 0;
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

union khsm_ioc_arg {
	struct khsm_hdr hdr;
	struct khsm_version version;
	struct khsm_token_info token_info;
	struct khsm_mech_list mech_list;
	struct khsm_mech_info mech_info;
	struct khsm_init_token init_token;
	struct khsm_pin pin;
	struct khsm_open_session open_session;
	struct khsm_session_req session_req;
	struct khsm_session_info session_info;
	struct khsm_login login;
	struct khsm_object_req object_req;
	struct khsm_object_handle object_handle;
	struct khsm_attrs attrs;
	struct khsm_find_init find_init;
	struct khsm_find find;
	struct khsm_op_init op_init;
	struct khsm_op_data op_data;
	struct khsm_op_cancel op_cancel;
	struct khsm_random random;
	struct khsm_key_token key_token;	/* crypto API offload */
};

#define KHSM_F_SESSION	BIT(0)	/* takes hdr.session */
#define KHSM_F_FLAGS	BIT(1)	/* defines hdr.flags (the handler checks) */

struct khsm_ioc_desc {
	u16 size;		/* of the v1 struct: the least a caller passes */
	u16 f;
};

#define S KHSM_F_SESSION
#define D(cmd, type, flags)						\
	[_IOC_NR(cmd)] = { .size = sizeof(type), .f = (flags) }

static const struct khsm_ioc_desc khsm_iocs[] = {
	D(KHSM_IOC_VERSION, struct khsm_version, 0),
	D(KHSM_IOC_TOKEN_INFO, struct khsm_token_info, 0),
	D(KHSM_IOC_MECH_LIST, struct khsm_mech_list, 0),
	D(KHSM_IOC_MECH_INFO, struct khsm_mech_info, 0),
	D(KHSM_IOC_INIT_TOKEN, struct khsm_init_token, 0),
	D(KHSM_IOC_INIT_PIN, struct khsm_pin, S),
	D(KHSM_IOC_SET_PIN, struct khsm_pin, S),
	D(KHSM_IOC_OPEN_SESSION, struct khsm_open_session, KHSM_F_FLAGS),
	D(KHSM_IOC_CLOSE_SESSION, struct khsm_session_req, S),
	D(KHSM_IOC_CLOSE_ALL, struct khsm_session_req, 0),
	D(KHSM_IOC_SESSION_INFO, struct khsm_session_info, S),
	D(KHSM_IOC_LOGIN, struct khsm_login, S),
	D(KHSM_IOC_LOGOUT, struct khsm_session_req, S),
	D(KHSM_IOC_CREATE_OBJECT, struct khsm_object_req, S),
	D(KHSM_IOC_COPY_OBJECT, struct khsm_object_req, S),
	D(KHSM_IOC_DESTROY_OBJECT, struct khsm_object_handle, S),
	D(KHSM_IOC_OBJECT_SIZE, struct khsm_object_handle, S),
	D(KHSM_IOC_GET_ATTRS, struct khsm_attrs, S),
	D(KHSM_IOC_SET_ATTRS, struct khsm_attrs, S),
	D(KHSM_IOC_FIND_INIT, struct khsm_find_init, S),
	D(KHSM_IOC_FIND, struct khsm_find, S),
	D(KHSM_IOC_FIND_FINAL, struct khsm_find, S),
	D(KHSM_IOC_GENERATE_KEY, struct khsm_object_req, S),
	D(KHSM_IOC_OP_INIT, struct khsm_op_init, S),
	D(KHSM_IOC_OP_UPDATE, struct khsm_op_data, S | KHSM_F_FLAGS),
	D(KHSM_IOC_OP_FINAL, struct khsm_op_data, S),
	D(KHSM_IOC_OP_ONESHOT, struct khsm_op_data, S),
	/* C_SessionCancel: hdr.flags ignored, as the ABI says */
	D(KHSM_IOC_OP_CANCEL, struct khsm_op_cancel, S | KHSM_F_FLAGS),
	D(KHSM_IOC_GENERATE_RANDOM, struct khsm_random, S),
	D(KHSM_IOC_SEED_RANDOM, struct khsm_random, S),
	/* 0x50..0x5f: the crypto API offload (keytoken.c) */
	D(KHSM_IOC_KEY_TOKEN, struct khsm_key_token, S),
};

#undef D
#undef S

static long khsm_dispatch(struct khsm_app *app, unsigned int cmd,
			  union khsm_ioc_arg *a)
{
	switch (cmd) {
	case _IOC_NR(KHSM_IOC_VERSION):
		return khsm_ioc_version(app, &a->version);
	case _IOC_NR(KHSM_IOC_TOKEN_INFO):
		return khsm_ioc_token_info(app, &a->token_info);
	case _IOC_NR(KHSM_IOC_MECH_LIST):
		return khsm_ioc_mech_list(app, &a->mech_list);
	case _IOC_NR(KHSM_IOC_MECH_INFO):
		return khsm_ioc_mech_info(app, &a->mech_info);
	case _IOC_NR(KHSM_IOC_INIT_TOKEN):
		return khsm_ioc_init_token(app, &a->init_token);
	case _IOC_NR(KHSM_IOC_INIT_PIN):
		return khsm_ioc_init_pin(app, &a->pin);
	case _IOC_NR(KHSM_IOC_SET_PIN):
		return khsm_ioc_set_pin(app, &a->pin);
	case _IOC_NR(KHSM_IOC_OPEN_SESSION):
		return khsm_ioc_open_session(app, &a->open_session);
	case _IOC_NR(KHSM_IOC_CLOSE_SESSION):
		return khsm_ioc_close_session(app, &a->session_req);
	case _IOC_NR(KHSM_IOC_CLOSE_ALL):
		return khsm_ioc_close_all(app, &a->session_req);
	case _IOC_NR(KHSM_IOC_SESSION_INFO):
		return khsm_ioc_session_info(app, &a->session_info);
	case _IOC_NR(KHSM_IOC_LOGIN):
		return khsm_ioc_login(app, &a->login);
	case _IOC_NR(KHSM_IOC_LOGOUT):
		return khsm_ioc_logout(app, &a->session_req);
	case _IOC_NR(KHSM_IOC_CREATE_OBJECT):
		return khsm_ioc_create_object(app, &a->object_req);
	case _IOC_NR(KHSM_IOC_COPY_OBJECT):
		return khsm_ioc_copy_object(app, &a->object_req);
	case _IOC_NR(KHSM_IOC_DESTROY_OBJECT):
		return khsm_ioc_destroy_object(app, &a->object_handle);
	case _IOC_NR(KHSM_IOC_OBJECT_SIZE):
		return khsm_ioc_object_size(app, &a->object_handle);
	case _IOC_NR(KHSM_IOC_GET_ATTRS):
		return khsm_ioc_get_attrs(app, &a->attrs);
	case _IOC_NR(KHSM_IOC_SET_ATTRS):
		return khsm_ioc_set_attrs(app, &a->attrs);
	case _IOC_NR(KHSM_IOC_FIND_INIT):
		return khsm_ioc_find_init(app, &a->find_init);
	case _IOC_NR(KHSM_IOC_FIND):
		return khsm_ioc_find(app, &a->find);
	case _IOC_NR(KHSM_IOC_FIND_FINAL):
		return khsm_ioc_find_final(app, &a->find);
	case _IOC_NR(KHSM_IOC_GENERATE_KEY):
		return khsm_ioc_generate_key(app, &a->object_req);
	case _IOC_NR(KHSM_IOC_OP_INIT):
		return khsm_ioc_op_init(app, &a->op_init);
	case _IOC_NR(KHSM_IOC_OP_UPDATE):
		return khsm_ioc_op_update(app, &a->op_data);
	case _IOC_NR(KHSM_IOC_OP_FINAL):
		return khsm_ioc_op_final(app, &a->op_data);
	case _IOC_NR(KHSM_IOC_OP_ONESHOT):
		return khsm_ioc_op_oneshot(app, &a->op_data);
	case _IOC_NR(KHSM_IOC_OP_CANCEL):
		return khsm_ioc_op_cancel(app, &a->op_cancel);
	case _IOC_NR(KHSM_IOC_GENERATE_RANDOM):
		return khsm_ioc_generate_random(app, &a->random);
	case _IOC_NR(KHSM_IOC_SEED_RANDOM):
		return khsm_ioc_seed_random(app, &a->random);
	/* the crypto API offload (keytoken.c) */
	case _IOC_NR(KHSM_IOC_KEY_TOKEN):
		return khsm_ioc_key_token(app, &a->key_token);
	}
	return -ENOTTY;
}

static long khsm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct khsm_app *app = file->private_data;
	void __user *uarg = (void __user *)arg;
	const struct khsm_ioc_desc *d;
	union khsm_ioc_arg a;
	u32 usize;
	long ret;

	khsm_stats_ioctl(cmd);	/* crossings counted for the benchmark */
	if (_IOC_TYPE(cmd) != KHSM_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE) ||
	    _IOC_NR(cmd) >= ARRAY_SIZE(khsm_iocs))
		return -ENOTTY;
	d = &khsm_iocs[_IOC_NR(cmd)];
	if (!d->size)
		return -ENOTTY;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < d->size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(&a, d->size, uarg, usize);
	if (ret)
		return ret;
	if ((a.hdr.flags && !(d->f & KHSM_F_FLAGS)) ||
	    (a.hdr.session && !(d->f & KHSM_F_SESSION)))
		return -EINVAL;
	if (_IOC_NR(cmd) == _IOC_NR(KHSM_IOC_OP_CANCEL))
		a.hdr.flags = 0;

	a.hdr.rv = 0;
	ret = khsm_dispatch(app, _IOC_NR(cmd), &a);
	if (ret < 0)
		return ret;
	a.hdr.rv = ret;
	if (copy_to_user(uarg, &a, d->size))
		return -EFAULT;
	return 0;
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
	khsm_app_release(file->private_data);
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
