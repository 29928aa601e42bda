// SPDX-License-Identifier: GPL-2.0
/*
 * unload: removing khsm.ko while it is in use (issue 2 item 4).  With
 * /dev/hsm open, or a crypto API transform of ours allocated (AF_ALG),
 * rmmod must be refused or be safe; once everything is closed it succeeds,
 * and loading the module again gives a fresh, working token.  Because it
 * reloads anyway, this is also where the SO PIN is locked on purpose.
 *
 * Needs root and the module file: $KHSM_MODULE, else $KHSM_VM_MODULE (set
 * by scripts/vm-run), else driver/khsm.ko of this repository.  Reloads pass
 * the parameters the module had, then $KHSM_MODPARAMS.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_alg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kt.h"

#define MODNAME		"khsm"
#define SYSMOD		"/sys/module/" MODNAME

static char module_path[PATH_MAX];
static char module_params[4096];

static int module_loaded(void)
{
	return access(SYSMOD "/initstate", F_OK) == 0 ||
	       access(SYSMOD "/refcnt", F_OK) == 0;
}

/* rmmod without waiting: 0, or -1 with errno (EBUSY/EWOULDBLOCK: in use) */
static int unload(void)
{
	return syscall(SYS_delete_module, MODNAME, O_NONBLOCK);
}

/* rmmod, retrying for a while: the last release may still be running */
static int unload_wait(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (unload() == 0)
			return 0;
		if (errno != EBUSY && errno != EAGAIN)
			return -1;
		usleep(50000);
	}
	return -1;
}

static int load(void)
{
	int fd, ret, i;

	fd = open(module_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, module_params, 0);
	close(fd);
	if (ret)
		return ret;
	/* devtmpfs makes the node; give it a moment */
	for (i = 0; i < 100 && !kt_device_present(); i++)
		usleep(20000);
	return kt_device_present() ? 0 : -1;
}

/* Remember the module's parameters, so that a reload keeps them */
static void save_params(void)
{
	char path[PATH_MAX], val[256];
	const char *extra = getenv("KHSM_MODPARAMS");
	struct dirent *d;
	size_t used = 0;
	DIR *dir;

	dir = opendir(SYSMOD "/parameters");
	while (dir && (d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYSMOD "/parameters/%s",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = 0;
			if (val[0] && !strchr(val, ' ') &&
			    used + strlen(d->d_name) + strlen(val) + 3 <
			    sizeof(module_params))
				used += sprintf(module_params + used, "%s%s=%s",
						used ? " " : "", d->d_name, val);
		}
		fclose(f);
	}
	if (dir)
		closedir(dir);
	if (extra && used + strlen(extra) + 2 < sizeof(module_params))
		sprintf(module_params + used, "%s%s", used ? " " : "", extra);
}

static int find_module(void)
{
	const char *env = getenv("KHSM_MODULE");
	char exe[PATH_MAX - 32];
	ssize_t n;

	if (!env || !*env)
		env = getenv("KHSM_VM_MODULE");
	if (env && *env) {
		snprintf(module_path, sizeof(module_path), "%s", env);
		return access(module_path, R_OK) == 0;
	}
	/* this binary is <repo>/selftests/build/unload */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	snprintf(module_path, sizeof(module_path), "%s/../../driver/khsm.ko",
		 exe);
	return access(module_path, R_OK) == 0;
}

FIXTURE(ul) {
	int unused;
};

FIXTURE_SETUP(ul)
{
	if (!module_loaded())
		ASSERT_EQ(0, load()) TH_LOG("load %s: %s", module_path,
					    strerror(errno));
}

/* Whatever happened, leave the module loaded */
FIXTURE_TEARDOWN(ul)
{
	if (!module_loaded())
		EXPECT_EQ(0, load()) TH_LOG("reload %s: %s", module_path,
					    strerror(errno));
}

static int fresh_token(int fd)
{
	struct khsm_token_info ti;

	return kt_token_info(fd, &ti) == CKR_OK &&
	       !(ti.flags & (CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED));
}

TEST_F(ul, rmmod_with_open_file)
{
	int up[2], down[2], st, ret, err;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct khsm_version v = { 0 };
		struct kt_tmpl t;
		int fd;
		__u32 s;

		/* no login: after the fuzzer the PINs may be anything */
		kt_tmpl_init(&t);
		kt_ulong(&t, CKA_CLASS, CKO_DATA);
		kt_bool(&t, CKA_PRIVATE, 0);
		kt_bytes(&t, CKA_VALUE, "held", 4);
		fd = kt_open();
		if (fd < 0 || kt_session(fd, KT_RW, &s) != CKR_OK ||
		    kt_create(fd, s, &t, NULL) != CKR_OK)
			_exit(2);
		/* a digest in flight, if the token digests without login */
		if (kt_op_init(fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256, NULL,
			       0) == CKR_OK &&
		    kt_update(fd, s, KHSM_OP_DIGEST, "abc", 3, NULL,
			      NULL) != CKR_OK)
			_exit(6);
		if (write(up[1], "r", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		/* whether or not the module went: an answer, not a crash */
		errno = 0;
		if (khsm_version(fd, &v) == CKR_OK)
			_exit(v.abi_version == KHSM_ABI_VERSION ? 0 : 4);
		_exit(errno == ENODEV || errno == ENXIO || errno == EIO ||
		      errno == ESHUTDOWN ? 0 : 5);
	}
	ASSERT_EQ(1, read(up[0], &c, 1));
	ret = unload();
	err = errno;
	if (ret == 0)
		TH_LOG("rmmod went through with /dev/hsm open: checking safety");
	else
		EXPECT_TRUE(err == EBUSY || err == EWOULDBLOCK)
			TH_LOG("rmmod with an open file: %s", strerror(err));
	ASSERT_EQ(1, write(down[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("holder status 0x%x", st);

	/* all closed: it goes, and comes back fresh */
	if (module_loaded())
		ASSERT_EQ(0, unload_wait()) TH_LOG("rmmod after close: %s",
						   strerror(errno));
	EXPECT_FALSE(kt_device_present());
	ASSERT_EQ(0, load()) TH_LOG("insmod: %s", strerror(errno));
	{
		int fd = kt_open();

		ASSERT_LE(0, fd);
		EXPECT_TRUE(fresh_token(fd));
		EXPECT_OK(kt_token_reset(fd));
		khsm_close(fd);
	}
}

/* A crypto API transform of ours (through AF_ALG) pins the module too */
TEST_F(ul, rmmod_with_crypto_tfm)
{
	char line[256], drv[64] = "", type[32] = "", cur[64] = "";
	struct sockaddr_alg sa = { .salg_family = AF_ALG };
	FILE *f;
	int s, ret, err;

	f = fopen("/proc/crypto", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "driver : %63s", cur) == 1)
			continue;
		if (sscanf(line, "type : %31s", type) == 1 &&
		    strstr(cur, "-khsm") &&
		    (!strcmp(type, "aead") || !strcmp(type, "ahash") ||
		     !strcmp(type, "shash") || !strcmp(type, "skcipher"))) {
			snprintf(drv, sizeof(drv), "%s", cur);
			break;
		}
	}
	fclose(f);
	if (!drv[0])
		SKIP(return, "no khsm algorithm in /proc/crypto");
	if (!strcmp(type, "ahash") || !strcmp(type, "shash"))
		strcpy(type, "hash");
	snprintf((char *)sa.salg_type, sizeof(sa.salg_type), "%s", type);
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), "%s", drv);

	s = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (s < 0)
		SKIP(return, "no AF_ALG: %s", strerror(errno));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		SKIP(close(s); return, "bind %s %s: %s", type, drv,
		     strerror(errno));
	ret = unload();
	err = errno;
	EXPECT_NE(0, ret) TH_LOG("rmmod went through under a bound %s", drv);
	if (ret)
		EXPECT_TRUE(err == EBUSY || err == EWOULDBLOCK)
			TH_LOG("%s", strerror(err));
	close(s);
	if (module_loaded())
		ASSERT_EQ(0, unload_wait()) TH_LOG("rmmod after close: %s",
						   strerror(errno));
	ASSERT_EQ(0, load());
}

/* Objects and sessions of closed files do not pin the module */
TEST_F(ul, reload_cycles_with_objects)
{
	int cycle, i, fd;

	for (cycle = 0; cycle < 3; cycle++) {
		struct kt_tmpl t;
		__u32 s;

		fd = kt_open();
		ASSERT_LE(0, fd);
		ASSERT_OK(kt_token_reset(fd));
		ASSERT_OK(kt_session(fd, KT_RW, &s));
		ASSERT_OK(kt_login(fd, s, CKU_USER, KT_USER_PIN));
		for (i = 0; i < 50; i++) {
			kt_tmpl_init(&t);
			kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
			kt_ulong(&t, CKA_KEY_TYPE, CKK_AES);
			kt_bytes(&t, CKA_VALUE, "0123456789abcdef", 16);
			kt_bool(&t, CKA_TOKEN, i & 1);
			kt_bool(&t, CKA_SENSITIVE, 1);
			ASSERT_OK(kt_create(fd, s, &t, NULL));
		}
		khsm_close(fd);
		ASSERT_EQ(0, unload_wait()) TH_LOG("cycle %d: %s", cycle,
						   strerror(errno));
		ASSERT_EQ(0, load()) TH_LOG("cycle %d: %s", cycle,
					    strerror(errno));
		fd = kt_open();
		ASSERT_LE(0, fd);
		EXPECT_TRUE(fresh_token(fd));
		khsm_close(fd);
	}
	fd = kt_open();
	ASSERT_LE(0, fd);
	EXPECT_OK(kt_token_reset(fd));
	khsm_close(fd);
}

/* The SO PIN locks after the configured failures; only a reload helps */
TEST_F(ul, so_pin_lockout)
{
	struct khsm_token_info ti;
	long tries = kt_modparam("max_pin_tries", -1);
	CK_RV rv = CKR_OK;
	int fd, i;
	__u32 s;

	fd = kt_open();
	ASSERT_LE(0, fd);
	ASSERT_OK(kt_token_reset(fd));
	ASSERT_OK(kt_session(fd, KT_RW, &s));
	for (i = 1; i <= 100; i++) {
		rv = kt_login(fd, s, CKU_SO, "wrong-so-pin");
		if (rv != CKR_PIN_INCORRECT)
			break;
		ASSERT_OK(kt_token_info(fd, &ti));
		if (ti.flags & CKF_SO_PIN_LOCKED)
			break;
		if (tries > 0 && i == tries - 1)
			EXPECT_NE(0, ti.flags & CKF_SO_PIN_FINAL_TRY);
	}
	if (i > 100)
		SKIP(goto out, "no SO lockout after 100 failures");
	if (rv == CKR_PIN_INCORRECT)
		rv = kt_login(fd, s, CKU_SO, "wrong-so-pin");
	EXPECT_RV(CKR_PIN_LOCKED, rv);
	if (tries > 0)
		EXPECT_EQ(tries, i);
	ASSERT_OK(kt_token_info(fd, &ti));
	EXPECT_NE(0, ti.flags & CKF_SO_PIN_LOCKED);
	EXPECT_RV(CKR_PIN_LOCKED, kt_login(fd, s, CKU_SO, KT_SO_PIN));
	ASSERT_OK(kt_close_all(fd));
	EXPECT_RV(CKR_PIN_LOCKED, kt_init_token(fd, KT_SO_PIN, KT_LABEL));
	/* the user is not affected */
	ASSERT_OK(kt_session(fd, KT_RW, &s));
	EXPECT_OK(kt_login(fd, s, CKU_USER, KT_USER_PIN));
out:
	khsm_close(fd);
	ASSERT_EQ(0, unload_wait());
	ASSERT_EQ(0, load());
	fd = kt_open();
	ASSERT_LE(0, fd);
	EXPECT_OK(kt_token_reset(fd));
	khsm_close(fd);
}

int main(int argc, char **argv)
{
	if (!kt_device_present()) {
		ksft_print_header();
		ksft_exit_skip("%s absent\n", KHSM_DEVICE);
	}
	if (geteuid() != 0) {
		ksft_print_header();
		ksft_exit_skip("not root\n");
	}
	if (!module_loaded()) {
		ksft_print_header();
		ksft_exit_skip("khsm is not a loaded module\n");
	}
	if (!find_module()) {
		ksft_print_header();
		ksft_exit_skip("no module file (KHSM_MODULE)\n");
	}
	save_params();
	printf("# unload: module %s, parameters \"%s\"\n", module_path,
	       module_params);
	return test_harness_run(argc, argv);
}
