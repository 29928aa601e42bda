// SPDX-License-Identifier: GPL-2.0
/*
 * abi: the transport rules of /dev/hsm (uapi/linux/khsm.h, DESIGN.md "The
 * ABI"), for every ioctl: header size and flags, growth of structs
 * (copy_struct_from_user), reserved fields, unknown commands, NULL and wild
 * pointers, and every KHSM_MAX_* bound.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kt.h"

struct kt_ioctl {
	const char *name;
	unsigned long cmd;
	unsigned int size;	/* v1 size */
};

#define IOC(n, t) { #n, KHSM_IOC_##n, sizeof(struct t) }
static const struct kt_ioctl ioctls[] = {
	IOC(VERSION, khsm_version),
	IOC(TOKEN_INFO, khsm_token_info),
	IOC(MECH_LIST, khsm_mech_list),
	IOC(MECH_INFO, khsm_mech_info),
	IOC(INIT_TOKEN, khsm_init_token),
	IOC(INIT_PIN, khsm_pin),
	IOC(SET_PIN, khsm_pin),
	IOC(APP_FD, khsm_app_fd),
	IOC(OPEN_SESSION, khsm_open_session),
	IOC(CLOSE_SESSION, khsm_session_req),
	IOC(CLOSE_ALL, khsm_session_req),
	IOC(SESSION_INFO, khsm_session_info),
	IOC(LOGIN, khsm_login),
	IOC(LOGOUT, khsm_session_req),
	IOC(CREATE_OBJECT, khsm_object_req),
	IOC(COPY_OBJECT, khsm_object_req),
	IOC(DESTROY_OBJECT, khsm_object_handle),
	IOC(OBJECT_SIZE, khsm_object_handle),
	IOC(GET_ATTRS, khsm_attrs),
	IOC(SET_ATTRS, khsm_attrs),
	IOC(FIND_INIT, khsm_find_init),
	IOC(FIND, khsm_find),
	IOC(FIND_FINAL, khsm_find),
	IOC(GENERATE_KEY, khsm_object_req),
	IOC(OP_INIT, khsm_op_init),
	IOC(OP_UPDATE, khsm_op_data),
	IOC(OP_FINAL, khsm_op_data),
	IOC(OP_ONESHOT, khsm_op_data),
	IOC(OP_CANCEL, khsm_op_cancel),
	IOC(GENERATE_RANDOM, khsm_random),
	IOC(SEED_RANDOM, khsm_random),
};

/* Big enough for any v1 struct plus a grown tail */
union kt_argbuf {
	struct khsm_hdr hdr;
	unsigned char b[1024];
};

/* errno of a forged call; 0 when the kernel answered with hdr.rv */
static int forged(int fd, unsigned long cmd, union kt_argbuf *u,
		  unsigned int size)
{
	return KT_ERRNO(khsm_call(fd, cmd, &u->hdr, size));
}

FIXTURE(abi) {
	int fd;
};

FIXTURE_SETUP(abi)
{
	self->fd = kt_open();
	ASSERT_LE(0, self->fd) TH_LOG("open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(abi)
{
	khsm_close(self->fd);
}

TEST_F(abi, version)
{
	struct khsm_version v = { 0 };

	ASSERT_OK(khsm_version(self->fd, &v));
	EXPECT_EQ(KHSM_ABI_VERSION, v.abi_version);
	EXPECT_LT(0, v.max_sessions);
	EXPECT_LT(0, v.max_objects);
	EXPECT_NE(NULL, memchr(v.module_version, 0, sizeof(v.module_version)));
	EXPECT_NE(0, v.module_version[0]);
}

TEST_F(abi, unknown_commands_enotty)
{
	static const unsigned long cmds[] = {
		_IOWR(KHSM_IOC_MAGIC, 0x08, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x0f, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x16, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x2f, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x35, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x42, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0x7f, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC, 0xff, struct khsm_session_req),
		_IOWR(KHSM_IOC_MAGIC + 1, 0x00, struct khsm_version),
		_IOWR('T', 0x00, struct khsm_version),
		0,
	};
	union kt_argbuf u;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(cmds); i++) {
		memset(&u, 0, sizeof(u));
		EXPECT_EQ(ENOTTY, forged(self->fd, cmds[i], &u, 64))
			TH_LOG("cmd 0x%lx", cmds[i]);
	}
}

/* hdr.size below the v1 size of the struct is a malformed header */
TEST_F(abi, size_too_small_einval)
{
	union kt_argbuf u;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(ioctls); i++) {
		const struct kt_ioctl *c = &ioctls[i];
		unsigned int sizes[] = { 0, 4, sizeof(struct khsm_hdr) - 1,
					 c->size - 1 };
		size_t j;

		for (j = 0; j < KT_ARRAY_SIZE(sizes); j++) {
			if (sizes[j] >= c->size)
				continue;
			memset(&u, 0, sizeof(u));
			EXPECT_EQ(EINVAL, forged(self->fd, c->cmd, &u, sizes[j]))
				TH_LOG("%s size %u", c->name, sizes[j]);
		}
	}
}

/*
 * A struct from a newer userspace: a longer hdr.size with a zero tail is
 * accepted (the ioctl answers with a CK_RV), a non-zero tail is E2BIG.
 * CLOSE_ALL is left out: it would close the sessions of the caller, of
 * which there are none, so it is harmless but we keep INIT_TOKEN out
 * of the state-changing path by giving it no PIN (zeroed struct).
 */
TEST_F(abi, size_grown_zero_tail_ok_nonzero_e2big)
{
	union kt_argbuf u;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(ioctls); i++) {
		const struct kt_ioctl *c = &ioctls[i];

		memset(&u, 0, sizeof(u));
		if (c->cmd == KHSM_IOC_OPEN_SESSION)
			u.hdr.flags = CKF_SERIAL_SESSION;
		EXPECT_EQ(0, forged(self->fd, c->cmd, &u, c->size + 16))
			TH_LOG("%s: grown struct with zero tail refused",
			       c->name);

		memset(&u, 0, sizeof(u));
		if (c->cmd == KHSM_IOC_OPEN_SESSION)
			u.hdr.flags = CKF_SERIAL_SESSION;
		u.b[c->size + 9] = 1;
		EXPECT_EQ(E2BIG, forged(self->fd, c->cmd, &u, c->size + 16))
			TH_LOG("%s: non-zero tail", c->name);
	}
	/* the INIT_TOKEN above had no PIN: put the token back */
	ASSERT_OK(kt_close_all(self->fd));
	ASSERT_OK(kt_token_reset(self->fd));
}

/* hdr.flags must be zero (undefined bits: EINVAL, a malformed header) */
TEST_F(abi, header_flags_einval)
{
	union kt_argbuf u;
	size_t i;

	for (i = 0; i < KT_ARRAY_SIZE(ioctls); i++) {
		const struct kt_ioctl *c = &ioctls[i];
		int err;

		if (c->cmd == KHSM_IOC_OP_CANCEL)	/* "hdr.flags ignored" */
			continue;
		memset(&u, 0, sizeof(u));
		u.hdr.flags = 1U << 31;
		err = forged(self->fd, c->cmd, &u, c->size);
		if (c->cmd == KHSM_IOC_OPEN_SESSION) {
			/* flags carry CKF_*: an unknown one is refused */
			EXPECT_TRUE(err == EINVAL ||
				    (err == 0 && u.hdr.rv != CKR_OK))
				TH_LOG("OPEN_SESSION flags 1<<31: errno %d rv %s",
				       err, khsm_rv_name(u.hdr.rv));
			continue;
		}
		EXPECT_EQ(EINVAL, err) TH_LOG("%s flags 1<<31", c->name);
	}
}

/* The struct body in an unreadable page: EFAULT, nothing else */
TEST_F(abi, unreadable_struct_efault)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *map;
	struct khsm_hdr *h;
	size_t i;

	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + pg, pg, PROT_NONE));
	h = (struct khsm_hdr *)(map + pg - sizeof(*h));

	for (i = 0; i < KT_ARRAY_SIZE(ioctls); i++) {
		const struct kt_ioctl *c = &ioctls[i];

		if (c->size <= sizeof(*h))
			continue;
		memset(h, 0, sizeof(*h));
		EXPECT_EQ(EFAULT, KT_ERRNO(khsm_call(self->fd, c->cmd, h,
						     c->size)))
			TH_LOG("%s", c->name);
	}
	munmap(map, 2 * pg);
}

/* Every field named reserved must be zero */
TEST_F(abi, reserved_fields)
{
	struct khsm_open_session os = { .hdr.flags = KT_RW, .reserved = 1 };
	struct khsm_op_init oi = { .reserved = 1 };
	struct khsm_op_data od = { .reserved = 1 };
	struct khsm_op_cancel oc = { .reserved = 1 };
	__u32 s;
	CK_RV rv;
	int err;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	oi.hdr.session = od.hdr.session = oc.hdr.session = s;
	oi.mech.type = CKM_SHA256;
	oi.op = od.op = KHSM_OP_DIGEST;

	err = KT_ERRNO(rv = khsm_open_session(self->fd, &os));
	EXPECT_TRUE(err == EINVAL || (err == 0 && rv == CKR_ARGUMENTS_BAD))
		TH_LOG("open_session reserved: errno %d rv %s", err,
		       khsm_rv_name(rv));

	err = KT_ERRNO(rv = khsm_op_init(self->fd, &oi));
	EXPECT_TRUE(err == EINVAL || (err == 0 && rv == CKR_ARGUMENTS_BAD))
		TH_LOG("op_init reserved: errno %d rv %s", err, khsm_rv_name(rv));

	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	err = KT_ERRNO(rv = khsm_op_update(self->fd, &od));
	EXPECT_TRUE(err == EINVAL || (err == 0 && rv == CKR_ARGUMENTS_BAD))
		TH_LOG("op_update reserved: errno %d rv %s", err,
		       khsm_rv_name(rv));

	err = KT_ERRNO(rv = khsm_op_cancel(self->fd, &oc));
	EXPECT_TRUE(err == EINVAL || (err == 0 && rv == CKR_ARGUMENTS_BAD))
		TH_LOG("op_cancel reserved: errno %d rv %s", err,
		       khsm_rv_name(rv));
}

/*
 * A NULL pointer with a non-zero length: CKR_ARGUMENTS_BAD in hdr.rv, or
 * EFAULT from the transport.  Never success.
 */
#define EXPECT_NULL_REFUSED(call, what) do {				\
	CK_RV __r = CKR_OK;						\
	int __e = KT_ERRNO(__r = (call));				\
	EXPECT_TRUE(__e == EFAULT ||					\
		    (__e == 0 && __r == CKR_ARGUMENTS_BAD))		\
		TH_LOG("%s: errno %d rv %s", what, __e, khsm_rv_name(__r)); \
} while (0)

TEST_F(abi, null_pointers)
{
	struct khsm_mech_list ml = { .mechs = 0, .count = 4 };
	struct khsm_login lg = { .user_type = CKU_USER, .pin_len = 8 };
	struct khsm_pin sp = { .old_pin_len = 8, .new_pin_len = 8 };
	struct khsm_object_req cr = { .count = 2 };
	struct khsm_attrs ga = { .count = 1 };
	struct khsm_find_init fi = { .count = 1 };
	struct khsm_find fd_ = { .max = 4 };
	struct khsm_random rnd = { .len = 16 };
	struct khsm_op_data od = { .op = KHSM_OP_DIGEST, .in_len = 16 };
	unsigned char buf[64];
	__u64 key, n;
	__u32 s;

	/* mechs == 0 is the length query, not an error */
	ASSERT_OK(khsm_mech_list(self->fd, &ml));
	EXPECT_LT(0, ml.count);

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	lg.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_login(self->fd, &lg), "login pin NULL");
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));

	sp.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_set_pin(self->fd, &sp), "set_pin NULL");

	cr.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_create_object(self->fd, &cr),
			    "create attrs NULL");
	cr.mech.type = CKM_AES_KEY_GEN;
	EXPECT_NULL_REFUSED(khsm_generate_key(self->fd, &cr),
			    "generate attrs NULL");

	memset(buf, 0x11, 16);
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, buf, 16, &key));
	ga.hdr.session = s;
	ga.object = key;
	EXPECT_NULL_REFUSED(khsm_get_attrs(self->fd, &ga), "get attrs NULL");
	EXPECT_NULL_REFUSED(khsm_set_attrs(self->fd, &ga), "set attrs NULL");
	cr.mech.type = 0;
	cr.object = key;
	EXPECT_NULL_REFUSED(khsm_copy_object(self->fd, &cr), "copy attrs NULL");

	fi.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_find_init(self->fd, &fi), "find_init NULL");
	fi.count = 0;
	ASSERT_OK(khsm_find_init(self->fd, &fi));
	fd_.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_find(self->fd, &fd_), "find handles NULL");
	memset(&fd_, 0, sizeof(fd_));
	fd_.hdr.session = s;
	EXPECT_OK(khsm_find_final(self->fd, &fd_));

	rnd.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_generate_random(self->fd, &rnd),
			    "random buf NULL");

	/* a mechanism parameter that is NULL with a length */
	{
		struct khsm_op_init oi = { .hdr.session = s,
					   .op = KHSM_OP_ENCRYPT, .key = key };
		CK_RV rv = CKR_OK;
		int e;

		oi.mech.type = CKM_AES_CBC;
		oi.mech.param_len = 16;
		e = KT_ERRNO(rv = khsm_op_init(self->fd, &oi));
		EXPECT_TRUE(e == EFAULT || (e == 0 &&
			    (rv == CKR_ARGUMENTS_BAD ||
			     rv == CKR_MECHANISM_PARAM_INVALID)))
			TH_LOG("op_init param NULL: errno %d rv %s", e,
			       khsm_rv_name(rv));
	}

	/* data NULL with a length; the error ends the operation */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	od.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_op_update(self->fd, &od), "update in NULL");
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	memset(&od, 0, sizeof(od));
	od.hdr.session = s;
	od.op = KHSM_OP_DIGEST;
	od.in_len = 16;
	od.out_len = 32;
	EXPECT_NULL_REFUSED(khsm_op_oneshot(self->fd, &od), "oneshot in NULL");

	/* output NULL is a length query, not an error */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	n = 0;
	EXPECT_OK(kt_oneshot(self->fd, s, KHSM_OP_DIGEST, buf, 16, NULL, &n));
	EXPECT_EQ(32, n);
}

/* The PIN-carrying calls that need an SO session or no session at all */
TEST_F(abi, null_pins_token_and_so)
{
	struct khsm_init_token it = { .so_pin_len = 8 };
	struct khsm_pin ip = { .new_pin_len = 8 };
	__u32 s;

	memset(it.label, ' ', sizeof(it.label));
	EXPECT_NULL_REFUSED(khsm_init_token(self->fd, &it), "init_token NULL");
	ASSERT_OK(kt_init_token(self->fd, KT_SO_PIN, KT_LABEL));

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	ip.hdr.session = s;
	EXPECT_NULL_REFUSED(khsm_init_pin(self->fd, &ip), "init_pin NULL");
	ASSERT_OK(kt_init_pin(self->fd, s, KT_USER_PIN));
	ASSERT_OK(kt_close(self->fd, s));
}

/*
 * Wild pointers: user addresses that are not mapped and kernel addresses.
 * The kernel must fault them (EFAULT, or CKR_ARGUMENTS_BAD), never read
 * its own memory on a user's behalf.
 */
TEST_F(abi, wild_pointers_never_succeed)
{
	static const __u64 wild[] = {
		1, 0x1000, 0x00007ffffffff000ULL, 0x0000800000000000ULL,
		0xffff888000000000ULL, 0xffffffff81000000ULL, ~0ULL,
	};
	unsigned char buf[64] = { 0 }, out[64];
	__u64 key, n;
	__u32 s;
	size_t i;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, buf, 16, &key));

	for (i = 0; i < KT_ARRAY_SIZE(wild); i++) {
		struct khsm_op_data od = { .hdr.session = s,
					   .op = KHSM_OP_DIGEST, .in = wild[i],
					   .in_len = 16, .out = KT_PTR(out),
					   .out_len = sizeof(out) };
		struct khsm_op_data eo = od;
		struct khsm_random rnd = { .hdr.session = s, .buf = wild[i],
					   .len = 16 };
		struct khsm_attr at = { .type = CKA_VALUE, .value = wild[i],
					.len = 16 };
		struct khsm_attrs ga = { .hdr.session = s, .object = key,
					 .attrs = KT_PTR(&at), .count = 1 };
		struct khsm_attrs wa = { .hdr.session = s, .object = key,
					 .attrs = wild[i], .count = 1 };

		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0,
				     CKM_SHA256, NULL, 0));
		EXPECT_NE(CKR_OK, khsm_op_oneshot(self->fd, &od))
			TH_LOG("digest of 0x%llx", (unsigned long long)wild[i]);

		/* encrypt into a wild output */
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key,
				     CKM_AES_ECB, NULL, 0));
		eo.op = KHSM_OP_ENCRYPT;
		eo.in = KT_PTR(buf);
		eo.out = wild[i];
		eo.out_len = 16;
		EXPECT_NE(CKR_OK, khsm_op_oneshot(self->fd, &eo))
			TH_LOG("encrypt to 0x%llx", (unsigned long long)wild[i]);

		EXPECT_NE(CKR_OK, khsm_generate_random(self->fd, &rnd));
		EXPECT_NE(CKR_OK, khsm_get_attrs(self->fd, &ga));
		EXPECT_NE(CKR_OK, khsm_get_attrs(self->fd, &wa));
	}
	/* the session still works */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	n = sizeof(out);
	EXPECT_OK(kt_oneshot(self->fd, s, KHSM_OP_DIGEST, buf, 3, out, &n));
}

/*
 * Data of every copy size class (one word window, one chunk, several
 * chunks; ucopy.c) at odd addresses and lengths survives an encrypt and
 * decrypt round trip, and data that runs into an unreadable page, or
 * output that runs into a read-only one, fails the call, which leaves the
 * session working.
 */
TEST_F(abi, large_copies_unaligned_and_faulting)
{
	static const size_t lens[] = { 255, 257, 4095, 4097, 9001, 12000 };
	static const unsigned char iv[16] = { 7 };
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char k[16] = { 1 }, *map, *ct, *pt;
	__u64 key, n;
	size_t i, j, len;
	__u32 s;

	map = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + 3 * pg, pg, PROT_NONE));
	ct = malloc(4 * pg + 64);
	pt = malloc(4 * pg + 64);
	ASSERT_NE(NULL, ct);
	ASSERT_NE(NULL, pt);
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, k, 16, &key));

	for (i = 0; i < KT_ARRAY_SIZE(lens); i++) {
		len = lens[i];
		for (j = 0; j < len; j++)
			map[1 + j] = (unsigned char)(j * 7 + i);
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key,
				     CKM_AES_CBC_PAD, iv, 16));
		n = len + 16;
		ASSERT_OK(kt_oneshot(self->fd, s, KHSM_OP_ENCRYPT, map + 1,
				     len, ct + 3, &n));
		ASSERT_EQ((len / 16 + 1) * 16, n);
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DECRYPT, key,
				     CKM_AES_CBC_PAD, iv, 16));
		j = n;
		n = len + 16;
		ASSERT_OK(kt_oneshot(self->fd, s, KHSM_OP_DECRYPT, ct + 3, j,
				     pt + 5, &n));
		ASSERT_EQ(len, n);
		EXPECT_EQ(0, memcmp(map + 1, pt + 5, len)) TH_LOG("%zu", len);

		/* input whose last 100 bytes are unreadable */
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0,
				     CKM_SHA256, NULL, 0));
		n = 64;
		EXPECT_NE(CKR_OK, kt_oneshot(self->fd, s, KHSM_OP_DIGEST,
					     map + 3 * pg + 100 - len, len,
					     pt, &n))
			TH_LOG("input of %zu", len);

		/* output whose last 16 bytes are read-only */
		ASSERT_EQ(0, mprotect(map + 2 * pg, pg, PROT_READ));
		ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key,
				     CKM_AES_ECB, NULL, 0));
		n = len & ~(size_t)15;
		n = n < (size_t)(2 * pg) ? n : (size_t)(2 * pg);
		EXPECT_NE(CKR_OK, kt_oneshot(self->fd, s, KHSM_OP_ENCRYPT, pt,
					     n, map + 2 * pg + 16 - n, &n))
			TH_LOG("output of %zu", len);
		ASSERT_EQ(0, mprotect(map + 2 * pg, pg,
				      PROT_READ | PROT_WRITE));
	}
	/* the session still works */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	n = 64;
	EXPECT_OK(kt_oneshot(self->fd, s, KHSM_OP_DIGEST, map, 3, pt, &n));
	free(ct);
	free(pt);
	munmap(map, 4 * pg);
}

/* ---- bounds: KHSM_MAX_* ---------------------------------------------- */

static char long_pin[KHSM_MAX_PIN_LEN + 2];

static void make_pin(size_t len)
{
	memset(long_pin, 'p', len);
	long_pin[len] = 0;
}

TEST_F(abi, pin_length_bounds)
{
	struct khsm_login lg = { .user_type = CKU_USER };
	__u32 s;
	CK_RV rv;

	/* init PIN as SO: a new PIN outside [MIN, MAX] */
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_SO, KT_SO_PIN));
	make_pin(KHSM_MAX_PIN_LEN + 1);
	EXPECT_RV(CKR_PIN_LEN_RANGE, kt_init_pin(self->fd, s, long_pin));
	make_pin(KHSM_MIN_PIN_LEN - 1);
	EXPECT_RV(CKR_PIN_LEN_RANGE, kt_init_pin(self->fd, s, long_pin));
	make_pin(KHSM_MAX_PIN_LEN);
	EXPECT_OK(kt_init_pin(self->fd, s, long_pin));
	make_pin(KHSM_MIN_PIN_LEN);
	EXPECT_OK(kt_init_pin(self->fd, s, long_pin));
	ASSERT_OK(kt_init_pin(self->fd, s, KT_USER_PIN));
	ASSERT_OK(kt_logout(self->fd, s));

	/* set PIN as user */
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	make_pin(KHSM_MAX_PIN_LEN + 1);
	EXPECT_RV(CKR_PIN_LEN_RANGE, kt_set_pin(self->fd, s, KT_USER_PIN,
						long_pin));
	make_pin(KHSM_MIN_PIN_LEN - 1);
	EXPECT_RV(CKR_PIN_LEN_RANGE, kt_set_pin(self->fd, s, KT_USER_PIN,
						long_pin));
	ASSERT_OK(kt_logout(self->fd, s));

	/* login with an absurd length: refused at once, not allocated */
	lg.hdr.session = s;
	lg.pin = KT_PTR(long_pin);
	lg.pin_len = 1ULL << 40;
	rv = khsm_login(self->fd, &lg);
	EXPECT_TRUE(rv == CKR_PIN_LEN_RANGE || rv == CKR_PIN_INCORRECT ||
		    rv == CKR_ARGUMENTS_BAD)
		TH_LOG("login pin_len 2^40: %s", khsm_rv_name(rv));
	/* and a user login still works */
	EXPECT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_close(self->fd, s));

	/* init token: SO PIN too long (a wrong SO PIN, reset after) */
	make_pin(KHSM_MAX_PIN_LEN + 1);
	rv = kt_init_token(self->fd, long_pin, KT_LABEL);
	EXPECT_TRUE(rv == CKR_PIN_LEN_RANGE || rv == CKR_PIN_INCORRECT)
		TH_LOG("init_token long SO PIN: %s", khsm_rv_name(rv));
	ASSERT_OK(kt_token_reset(self->fd));
}

TEST_F(abi, template_count_bound)
{
	struct khsm_object_req cr = { 0 };
	struct khsm_attrs ga = { 0 };
	struct khsm_find_init fi = { 0 };
	struct kt_tmpl t;
	unsigned char k[16] = { 0 };
	__u64 key;
	__u32 s;
	size_t i;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, k, 16, &key));

	/* KHSM_MAX_TEMPLATE + 1 attributes, all of them harmless labels */
	kt_tmpl_init(&t);
	for (i = 0; i < KHSM_MAX_TEMPLATE + 1; i++)
		kt_str(&t, CKA_LABEL, "x");

	cr.hdr.session = ga.hdr.session = fi.hdr.session = s;
	cr.attrs = ga.attrs = fi.attrs = KT_PTR(t.a);
	cr.count = ga.count = fi.count = KHSM_MAX_TEMPLATE + 1;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_create_object(self->fd, &cr));
	cr.object = key;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_copy_object(self->fd, &cr));
	cr.object = 0;
	cr.mech.type = CKM_AES_KEY_GEN;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_generate_key(self->fd, &cr));
	ga.object = key;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_get_attrs(self->fd, &ga));
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_set_attrs(self->fd, &ga));
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_find_init(self->fd, &fi));

	/* an absurd count must be refused before anything is allocated */
	cr.count = ga.count = fi.count = 1ULL << 40;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_generate_key(self->fd, &cr));
	cr.mech.type = 0;
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_create_object(self->fd, &cr));
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_get_attrs(self->fd, &ga));
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_set_attrs(self->fd, &ga));
	EXPECT_RV(CKR_ARGUMENTS_BAD, khsm_find_init(self->fd, &fi));

	/* KHSM_MAX_TEMPLATE exactly is fine for get-attribute */
	kt_tmpl_init(&t);
	for (i = 0; i < KHSM_MAX_TEMPLATE; i++)
		kt_buf(&t, CKA_CLASS, 8);
	EXPECT_OK(kt_get(self->fd, s, key, &t));
}

TEST_F(abi, attribute_length_bound)
{
	static unsigned char big[KHSM_MAX_ATTR_LEN + 1];
	struct kt_tmpl t;
	__u64 h;
	__u32 s;
	CK_RV rv;

	memset(big, 'L', sizeof(big));
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));

	/* exactly KHSM_MAX_ATTR_LEN: fine */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_VALUE, big, KHSM_MAX_ATTR_LEN);
	ASSERT_OK(kt_create(self->fd, s, &t, &h));

	/* one more byte */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_VALUE, big, KHSM_MAX_ATTR_LEN + 1);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID, kt_create(self->fd, s, &t, NULL));

	kt_tmpl_init(&t);
	kt_bytes(&t, CKA_LABEL, big, KHSM_MAX_ATTR_LEN + 1);
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID, kt_set(self->fd, s, h, &t));
	rv = kt_find_all(self->fd, s, &t, &h, 1, &(size_t){ 0 });
	EXPECT_TRUE(rv == CKR_ATTRIBUTE_VALUE_INVALID ||
		    rv == CKR_ARGUMENTS_BAD)
		TH_LOG("find_init with a long label: %s", khsm_rv_name(rv));

	/* an absurd length, not backed by memory: refused, not faulted in */
	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_DATA);
	kt_bytes(&t, CKA_LABEL, big, 16);
	t.a[1].len = 1ULL << 40;
	EXPECT_RV(CKR_ATTRIBUTE_VALUE_INVALID, kt_create(self->fd, s, &t, NULL));
}

TEST_F(abi, mechanism_param_bound)
{
	static unsigned char p[KHSM_MAX_PARAM_LEN + 1];
	unsigned char k[16] = { 0 };
	__u64 key;
	__u32 s;

	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));
	ASSERT_OK(kt_secret(self->fd, s, CKK_AES, k, 16, &key));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key, CKM_AES_CBC,
			     p, KHSM_MAX_PARAM_LEN + 1));
	EXPECT_RV(CKR_MECHANISM_PARAM_INVALID,
		  kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key, CKM_AES_GCM,
			     p, 1ULL << 40));
	/* and the session is not left with an operation */
	EXPECT_OK(kt_op_init(self->fd, s, KHSM_OP_ENCRYPT, key, CKM_AES_ECB,
			     NULL, 0));
}

TEST_F(abi, data_length_bound)
{
	unsigned char *big, out[64];
	__u64 n;
	__u32 s;

	big = calloc(1, KHSM_MAX_IO_LEN + 16);
	ASSERT_NE(NULL, big);
	ASSERT_OK(kt_session(self->fd, KT_RW, &s));
	ASSERT_OK(kt_login(self->fd, s, CKU_USER, KT_USER_PIN));

	/* exactly KHSM_MAX_IO_LEN in one call is served */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	n = sizeof(out);
	EXPECT_OK(kt_oneshot(self->fd, s, KHSM_OP_DIGEST, big,
			     KHSM_MAX_IO_LEN, out, &n));

	/* one more byte is CKR_DATA_LEN_RANGE, one-shot and update */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	n = sizeof(out);
	EXPECT_RV(CKR_DATA_LEN_RANGE,
		  kt_oneshot(self->fd, s, KHSM_OP_DIGEST, big,
			     KHSM_MAX_IO_LEN + 1, out, &n));
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	EXPECT_RV(CKR_DATA_LEN_RANGE,
		  kt_update(self->fd, s, KHSM_OP_DIGEST, big,
			    KHSM_MAX_IO_LEN + 1, NULL, NULL));
	/* an absurd length, not backed by memory */
	ASSERT_OK(kt_op_init(self->fd, s, KHSM_OP_DIGEST, 0, CKM_SHA256,
			     NULL, 0));
	EXPECT_RV(CKR_DATA_LEN_RANGE,
		  kt_update(self->fd, s, KHSM_OP_DIGEST, big, 1ULL << 40,
			    NULL, NULL));
	free(big);
}

TEST_F(abi, random_length_bound)
{
	unsigned char *buf;
	__u32 s;
	CK_RV rv;

	buf = calloc(1, KHSM_MAX_RANDOM_LEN + 16);
	ASSERT_NE(NULL, buf);
	ASSERT_OK(kt_session(self->fd, KT_RO, &s));
	EXPECT_OK(kt_random(self->fd, s, buf, KHSM_MAX_RANDOM_LEN));
	rv = kt_random(self->fd, s, buf, KHSM_MAX_RANDOM_LEN + 1);
	EXPECT_TRUE(rv == CKR_ARGUMENTS_BAD || rv == CKR_DATA_LEN_RANGE)
		TH_LOG("random of MAX+1: %s", khsm_rv_name(rv));
	rv = kt_random(self->fd, s, buf, 1ULL << 40);
	EXPECT_TRUE(rv == CKR_ARGUMENTS_BAD || rv == CKR_DATA_LEN_RANGE)
		TH_LOG("random of 2^40: %s", khsm_rv_name(rv));
	free(buf);
}

TEST_F(abi, mech_list_length_query)
{
	struct khsm_mech_list ml = { 0 };
	__u64 mechs[KHSM_MAX_MECHS];
	__u64 n;

	ASSERT_OK(khsm_mech_list(self->fd, &ml));
	n = ml.count;
	ASSERT_LT(0, n);
	ASSERT_GE(KHSM_MAX_MECHS, n);

	/* a buffer one short: CKR_BUFFER_TOO_SMALL and the count needed */
	memset(&ml, 0, sizeof(ml));
	ml.mechs = KT_PTR(mechs);
	ml.count = n - 1;
	EXPECT_RV(CKR_BUFFER_TOO_SMALL, khsm_mech_list(self->fd, &ml));
	EXPECT_EQ(n, ml.count);

	/* a big buffer: the count written */
	memset(&ml, 0, sizeof(ml));
	ml.mechs = KT_PTR(mechs);
	ml.count = KHSM_MAX_MECHS;
	EXPECT_OK(khsm_mech_list(self->fd, &ml));
	EXPECT_EQ(n, ml.count);
}

/* An fd that is not /dev/hsm knows none of this; /dev/hsm knows no read */
TEST_F(abi, not_a_stream)
{
	char c;

	EXPECT_GT(0, read(self->fd, &c, 1));
	EXPECT_GT(0, write(self->fd, &c, 1));
}

KT_MAIN
