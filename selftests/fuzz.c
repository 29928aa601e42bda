// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a randomized /dev/hsm ioctl fuzzer.  Forked children, two threads
 * each on one shared fd plus a second fd for foreign handles, issue random
 * commands: known ones (mostly), unknown ones, headers with random sizes and
 * flags, fields drawn from a pool of interesting values (bounds, real and
 * stale handles, valid, NULL, unmapped and kernel pointers, templates,
 * mechanism parameters).  Bounded by KHSM_FUZZ_ITERS calls (default
 * 200000) or KHSM_FUZZ_SECONDS (default 60), whichever comes first; the
 * seed is printed and KHSM_FUZZ_SEED replays it.  The kernel must survive
 * with a clean log (scripts/vm-run checks dmesg) and /dev/hsm must still
 * answer correctly afterwards.
 *
 * Random logins count PIN failures, so the SO PIN may end up locked: run.sh
 * runs this last before the unload test, which reloads the module.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kt.h"
#include "vectors.h"

#define NPROC		4
#define NTHREAD		2
#define DATA_LEN	(64 * 1024)

static const unsigned long cmds[] = {
	KHSM_IOC_VERSION, KHSM_IOC_TOKEN_INFO, KHSM_IOC_MECH_LIST,
	KHSM_IOC_MECH_INFO, KHSM_IOC_INIT_TOKEN, KHSM_IOC_INIT_PIN,
	KHSM_IOC_SET_PIN, KHSM_IOC_OPEN_SESSION, KHSM_IOC_CLOSE_SESSION,
	KHSM_IOC_CLOSE_ALL, KHSM_IOC_SESSION_INFO, KHSM_IOC_LOGIN,
	KHSM_IOC_LOGOUT, KHSM_IOC_CREATE_OBJECT, KHSM_IOC_COPY_OBJECT,
	KHSM_IOC_DESTROY_OBJECT, KHSM_IOC_OBJECT_SIZE, KHSM_IOC_GET_ATTRS,
	KHSM_IOC_SET_ATTRS, KHSM_IOC_FIND_INIT, KHSM_IOC_FIND,
	KHSM_IOC_FIND_FINAL, KHSM_IOC_GENERATE_KEY, KHSM_IOC_OP_INIT,
	KHSM_IOC_OP_UPDATE, KHSM_IOC_OP_FINAL, KHSM_IOC_OP_ONESHOT,
	KHSM_IOC_OP_CANCEL, KHSM_IOC_GENERATE_RANDOM, KHSM_IOC_SEED_RANDOM,
	KHSM_IOC_KEY_TOKEN,
};

/* The data-path commands get more of the calls */
static const unsigned long hot[] = {
	KHSM_IOC_OP_INIT, KHSM_IOC_OP_UPDATE, KHSM_IOC_OP_FINAL,
	KHSM_IOC_OP_ONESHOT, KHSM_IOC_CREATE_OBJECT, KHSM_IOC_GET_ATTRS,
	KHSM_IOC_SET_ATTRS, KHSM_IOC_FIND_INIT, KHSM_IOC_FIND,
	KHSM_IOC_GENERATE_KEY, KHSM_IOC_COPY_OBJECT, KHSM_IOC_DESTROY_OBJECT,
};

static const CK_MECHANISM_TYPE mechs[] = {
	CKM_AES_KEY_GEN, CKM_GENERIC_SECRET_KEY_GEN, CKM_AES_ECB, CKM_AES_CBC,
	CKM_AES_CBC_PAD, CKM_AES_CTR, CKM_AES_GCM, CKM_AES_CMAC,
	CKM_AES_CMAC_GENERAL, CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384,
	CKM_SHA512, CKM_SHA_1_HMAC, CKM_SHA256_HMAC, CKM_SHA512_HMAC,
	CKM_SHA256_HMAC_GENERAL, CKM_SHA384_HMAC_GENERAL, CKM_AES_KEY_WRAP,
	0x7fffffffUL, CKM_VENDOR_DEFINED,
};

static const CK_ATTRIBUTE_TYPE attr_types[] = {
	CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_APPLICATION,
	CKA_VALUE, CKA_OBJECT_ID, CKA_KEY_TYPE, CKA_ID, CKA_SENSITIVE,
	CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_VERIFY,
	CKA_DERIVE, CKA_START_DATE, CKA_END_DATE, CKA_VALUE_LEN,
	CKA_EXTRACTABLE, CKA_LOCAL, CKA_NEVER_EXTRACTABLE,
	CKA_ALWAYS_SENSITIVE, CKA_KEY_GEN_MECHANISM, CKA_MODIFIABLE,
	CKA_COPYABLE, CKA_DESTROYABLE, CKA_CHECK_VALUE, CKA_ALLOWED_MECHANISMS,
	CKA_WRAP_TEMPLATE, CKA_MODULUS, KHSM_CKA_KERNEL_USE, 0x7ffe0000UL,
};

static const __u64 numbers[] = {
	0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 17, 20, 24, 31, 32, 33, 48, 63, 64,
	96, 100, 120, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4095,
	4096, 4097, 65535, 65536, 65537, KHSM_MAX_IO_LEN - 1, KHSM_MAX_IO_LEN,
	KHSM_MAX_IO_LEN + 1, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 1ULL << 40, 1ULL << 63, ~0ULL - 1, ~0ULL,
};

static const __u64 wild_ptrs[] = {
	1, 0x1000, 0x7ffffffff000ULL, 0x800000000000ULL,
	0xffff888000000000ULL, 0xffffffff81000000ULL, ~0ULL - 7,
};

struct worker {
	struct pool *shared;
	unsigned long iters;
	time_t deadline;
	unsigned int seed;
	unsigned long calls, ok, refused, faults;
};

/* Everything one fuzzing thread draws from */
struct pool {
	int fd, fd2;
	__u32 sessions[8];
	int nsess;
	__u32 foreign;
	__u64 objects[16];
	int nobj;
	unsigned char *data;		/* DATA_LEN random bytes */
	unsigned char *out;		/* DATA_LEN scratch */
	unsigned char *edge;		/* 16 bytes before a PROT_NONE page */
	struct khsm_attr attrs[KHSM_MAX_TEMPLATE + 2];
	struct khsm_gcm_params gcm;
	struct khsm_aes_ctr_params ctr;
	__u64 mac_len;
	__u64 handles[64];
	unsigned int seed;
};

static unsigned int rnd(struct pool *p, unsigned int n)
{
	return n ? (unsigned int)rand_r(&p->seed) % n : 0;
}

static __u64 rnd64(struct pool *p)
{
	return (__u64)rand_r(&p->seed) << 33 ^ (__u64)rand_r(&p->seed) << 15 ^
	       rand_r(&p->seed);
}

static __u64 any_handle(struct pool *p)
{
	switch (rnd(p, 4)) {
	case 0:
		return p->nobj ? p->objects[rnd(p, p->nobj)] : 1;
	case 1:
		return rnd(p, 64);
	case 2:
		return rnd64(p);
	default:
		return p->nobj ? p->objects[rnd(p, p->nobj)] : 0;
	}
}

static __u32 any_session(struct pool *p)
{
	switch (rnd(p, 10)) {
	case 0:
		return 0;
	case 1:
		return p->foreign;
	case 2:
		return rnd64(p);
	case 3:
		return rnd(p, 16);
	default:
		return p->nsess ? p->sessions[rnd(p, p->nsess)] : 1;
	}
}

static __u64 any_pointer(struct pool *p)
{
	switch (rnd(p, 10)) {
	case 0:
		return 0;
	case 1:
		return wild_ptrs[rnd(p, KT_ARRAY_SIZE(wild_ptrs))];
	case 2:
		return KT_PTR(p->edge);
	case 3:
		return KT_PTR(p->out + rnd(p, DATA_LEN));
	default:
		return KT_PTR(p->data + rnd(p, 256));
	}
}

static __u64 any_len(struct pool *p)
{
	if (rnd(p, 3) == 0)
		return rnd(p, 64);
	return numbers[rnd(p, KT_ARRAY_SIZE(numbers))];
}

/* A template: mostly plausible attributes, some broken */
static __u64 any_template(struct pool *p, __u64 *count)
{
	static const unsigned char t = 1, f = 0;
	int n = rnd(p, 6), i;

	if (rnd(p, 20) == 0)
		n = rnd(p, KHSM_MAX_TEMPLATE + 2);
	for (i = 0; i < n; i++) {
		struct khsm_attr *a = &p->attrs[i];

		a->type = attr_types[rnd(p, KT_ARRAY_SIZE(attr_types))];
		switch (rnd(p, 6)) {
		case 0:		/* a CK_ULONG that means something */
			memcpy(p->data + 512 + 8 * i,
			       &(__u64){ rnd(p, 2) ? rnd(p, 0x20) :
					 mechs[rnd(p, KT_ARRAY_SIZE(mechs))] },
			       8);
			a->value = KT_PTR(p->data + 512 + 8 * i);
			a->len = 8;
			break;
		case 1:		/* a CK_BBOOL */
			a->value = KT_PTR(rnd(p, 2) ? &t : &f);
			a->len = 1;
			break;
		case 2:		/* an AES-sized value */
			a->value = KT_PTR(p->data);
			a->len = 16 + 8 * rnd(p, 3);
			break;
		default:
			a->value = any_pointer(p);
			a->len = any_len(p);
		}
	}
	/* the usual skeleton first, sometimes */
	if (n >= 2 && rnd(p, 2)) {
		static const __u64 secret = CKO_SECRET_KEY, aes = CKK_AES;

		p->attrs[0].type = CKA_CLASS;
		p->attrs[0].value = KT_PTR(&secret);
		p->attrs[0].len = 8;
		p->attrs[1].type = CKA_KEY_TYPE;
		p->attrs[1].value = KT_PTR(&aes);
		p->attrs[1].len = 8;
	}
	*count = rnd(p, 30) ? (__u64)n : any_len(p);
	return rnd(p, 30) ? KT_PTR(p->attrs) : any_pointer(p);
}

static void any_mech(struct pool *p, struct khsm_mech *m)
{
	m->type = mechs[rnd(p, KT_ARRAY_SIZE(mechs))];
	switch (rnd(p, 6)) {
	case 0:
		p->gcm.iv = KT_PTR(p->data + rnd(p, 64));
		p->gcm.iv_len = rnd(p, 4) ? 12 : any_len(p);
		p->gcm.iv_bits = p->gcm.iv_len * 8;
		p->gcm.aad = rnd(p, 2) ? KT_PTR(p->data) : any_pointer(p);
		p->gcm.aad_len = rnd(p, 2) ? rnd(p, 64) : any_len(p);
		p->gcm.tag_bits = rnd(p, 3) ? 128 : rnd(p, 260);
		m->param = KT_PTR(&p->gcm);
		m->param_len = rnd(p, 8) ? sizeof(p->gcm) : any_len(p);
		break;
	case 1:
		p->ctr.counter_bits = rnd(p, 3) ? 128 : rnd(p, 200);
		m->param = KT_PTR(&p->ctr);
		m->param_len = rnd(p, 8) ? sizeof(p->ctr) : any_len(p);
		break;
	case 2:
		p->mac_len = rnd(p, 70);
		m->param = KT_PTR(&p->mac_len);
		m->param_len = 8;
		break;
	case 3:
		m->param = KT_PTR(p->data);
		m->param_len = 16;
		break;
	case 4:
		m->param = 0;
		m->param_len = 0;
		break;
	default:
		m->param = any_pointer(p);
		m->param_len = any_len(p);
	}
}

/* Build a mostly well-formed argument for @cmd, then maybe break it */
static unsigned int build(struct pool *p, unsigned long cmd,
			  unsigned char *buf)
{
	struct khsm_hdr *h = (struct khsm_hdr *)buf;
	unsigned int size = _IOC_SIZE(cmd);
	__u64 *slot;
	unsigned int i;

	memset(buf, 0, 512);
	h->session = any_session(p);

	switch (cmd) {
	case KHSM_IOC_OP_INIT: {
		struct khsm_op_init *a = (void *)buf;

		a->op = rnd(p, 10) ? rnd(p, KHSM_OP_KINDS) : rnd64(p);
		a->key = any_handle(p);
		any_mech(p, &a->mech);
		break;
	}
	case KHSM_IOC_OP_UPDATE:
	case KHSM_IOC_OP_FINAL:
	case KHSM_IOC_OP_ONESHOT: {
		struct khsm_op_data *a = (void *)buf;

		a->op = rnd(p, 10) ? rnd(p, KHSM_OP_KINDS) : rnd64(p);
		a->in = rnd(p, 5) ? KT_PTR(p->data + rnd(p, 64)) :
				    any_pointer(p);
		a->in_len = rnd(p, 3) ? rnd(p, 200) : any_len(p);
		a->out = rnd(p, 5) ? KT_PTR(p->out) : any_pointer(p);
		a->out_len = rnd(p, 3) ? rnd(p, 300) : any_len(p);
		if (rnd(p, 10) == 0) {
			a->param = any_pointer(p);
			a->param_len = any_len(p);
		}
		if (cmd == KHSM_IOC_OP_UPDATE && rnd(p, 20) == 0) {
			h->flags = KHSM_OP_F_DIGEST_KEY;
			a->in = any_handle(p);
			a->in_len = 0;
		}
		break;
	}
	case KHSM_IOC_CREATE_OBJECT:
	case KHSM_IOC_COPY_OBJECT:
	case KHSM_IOC_GENERATE_KEY: {
		struct khsm_object_req *a = (void *)buf;

		if (cmd == KHSM_IOC_GENERATE_KEY)
			any_mech(p, &a->mech);
		a->object = any_handle(p);
		a->attrs = any_template(p, &a->count);
		break;
	}
	case KHSM_IOC_GET_ATTRS:
	case KHSM_IOC_SET_ATTRS: {
		struct khsm_attrs *a = (void *)buf;

		a->object = any_handle(p);
		a->attrs = any_template(p, &a->count);
		break;
	}
	case KHSM_IOC_FIND_INIT: {
		struct khsm_find_init *a = (void *)buf;

		a->attrs = any_template(p, &a->count);
		break;
	}
	case KHSM_IOC_FIND:
	case KHSM_IOC_FIND_FINAL: {
		struct khsm_find *a = (void *)buf;

		a->handles = rnd(p, 5) ? KT_PTR(p->handles) : any_pointer(p);
		a->max = rnd(p, 4) ? rnd(p, 64) : any_len(p);
		break;
	}
	case KHSM_IOC_LOGIN: {
		struct khsm_login *a = (void *)buf;

		a->user_type = rnd(p, 8) ? CKU_USER : rnd(p, 4);
		if (rnd(p, 3) == 0) {
			a->pin = KT_PTR(KT_USER_PIN);
			a->pin_len = strlen(KT_USER_PIN);
		} else {
			a->pin = any_pointer(p);
			a->pin_len = any_len(p);
		}
		break;
	}
	case KHSM_IOC_OPEN_SESSION:
		h->flags = rnd(p, 8) ? KT_RW : rnd64(p);
		break;
	default:
		/* slot-wise: every __u64 after the header from the pools */
		slot = (__u64 *)(buf + sizeof(*h));
		for (i = 0; size > sizeof(*h) && i < (size - sizeof(*h)) / 8 &&
			    i < (512 - sizeof(*h)) / 8; i++) {
			switch (rnd(p, 5)) {
			case 0:
				slot[i] = any_pointer(p);
				break;
			case 1:
				slot[i] = any_handle(p);
				break;
			case 2:
				slot[i] = mechs[rnd(p, KT_ARRAY_SIZE(mechs))];
				break;
			default:
				slot[i] = any_len(p);
			}
		}
	}

	/* break the header now and then */
	switch (rnd(p, 40)) {
	case 0:
		h->flags ^= 1U << rnd(p, 32);
		break;
	case 1:
		size = rnd(p, size + 1);
		break;
	case 2:
		size += 8 * (1 + rnd(p, 8));
		break;
	case 3:
		size += 8;
		buf[size - 3] = 1;
		break;
	case 4:
		for (i = sizeof(*h); i < size; i++)
			buf[i] = rnd(p, 256);
		break;
	}
	return size;
}

/*
 * A plausible operation from start to end, with random lengths, short
 * buffers, cancels and destroys thrown in: the state machine's deep paths.
 */
static void scenario(struct pool *p, struct worker *w)
{
	static const struct { __u32 op; CK_MECHANISM_TYPE m; int param; } c[] = {
		{ KHSM_OP_ENCRYPT, CKM_AES_ECB, 0 },
		{ KHSM_OP_DECRYPT, CKM_AES_CBC, 1 },
		{ KHSM_OP_ENCRYPT, CKM_AES_CBC_PAD, 1 },
		{ KHSM_OP_DECRYPT, CKM_AES_CBC_PAD, 1 },
		{ KHSM_OP_ENCRYPT, CKM_AES_CTR, 2 },
		{ KHSM_OP_ENCRYPT, CKM_AES_GCM, 3 },
		{ KHSM_OP_DECRYPT, CKM_AES_GCM, 3 },
		{ KHSM_OP_SIGN, CKM_AES_CMAC, 0 },
		{ KHSM_OP_VERIFY, CKM_AES_CMAC, 0 },
		{ KHSM_OP_SIGN, CKM_SHA256_HMAC, 0 },
		{ KHSM_OP_VERIFY, CKM_SHA384_HMAC, 0 },
		{ KHSM_OP_SIGN, CKM_SHA512_HMAC_GENERAL, 4 },
		{ KHSM_OP_DIGEST, CKM_SHA_1, 0 },
		{ KHSM_OP_DIGEST, CKM_SHA512, 0 },
	};
	int k = rnd(p, KT_ARRAY_SIZE(c)), steps, i;
	__u32 s = p->nsess ? p->sessions[rnd(p, p->nsess)] : 1;
	__u64 key = c[k].op == KHSM_OP_DIGEST ? 0 : any_handle(p);
	const void *param = NULL;
	size_t plen = 0;
	CK_RV rv;

	switch (c[k].param) {
	case 1:
		param = p->data;
		plen = 16;
		break;
	case 2:
		p->ctr.counter_bits = rnd(p, 4) ? 128 : 1 + rnd(p, 128);
		memcpy(p->ctr.cb, p->data + 100, 16);
		param = &p->ctr;
		plen = sizeof(p->ctr);
		break;
	case 3:
		p->gcm.iv = KT_PTR(p->data + 200);
		p->gcm.iv_len = rnd(p, 4) ? 12 : 1 + rnd(p, 64);
		p->gcm.iv_bits = p->gcm.iv_len * 8;
		p->gcm.aad = KT_PTR(p->data + 300);
		p->gcm.aad_len = rnd(p, 100);
		p->gcm.tag_bits = rnd(p, 4) ? 128 : 32 * rnd(p, 5);
		param = &p->gcm;
		plen = sizeof(p->gcm);
		break;
	case 4:
		p->mac_len = rnd(p, 70);
		param = &p->mac_len;
		plen = sizeof(p->mac_len);
		break;
	}
	rv = kt_op_init(p->fd, s, c[k].op, key, c[k].m, param, plen);
	w->calls++;
	if (rv != CKR_OK)
		return;
	w->ok++;
	steps = 1 + rnd(p, 5);
	for (i = 0; i < steps; i++) {
		__u64 n = rnd(p, 4) ? 256 + rnd(p, 64) : rnd(p, 20);
		void *out = rnd(p, 8) ? p->out : NULL;
		size_t len = rnd(p, 3) ? rnd(p, 80) : rnd(p, 4096);

		switch (rnd(p, 10)) {
		case 0:
			rv = kt_oneshot(p->fd, s, c[k].op, p->data, len, out, &n);
			break;
		case 1:
			rv = kt_final(p->fd, s, c[k].op, out, &n);
			break;
		case 2:
			if (key && rnd(p, 3) == 0)
				kt_destroy(p->fd, s, key);
			rv = CKR_OK;
			break;
		case 3:
			rv = kt_cancel(p->fd, s, rnd(p, 2) ? 1U << c[k].op :
					      rnd(p, 256));
			break;
		default:
			rv = kt_update(p->fd, s, c[k].op, p->data, len,
				       c[k].op <= KHSM_OP_DECRYPT ? out : NULL,
				       c[k].op <= KHSM_OP_DECRYPT ? &n : NULL);
		}
		w->calls++;
		if (rv == CKR_OK)
			w->ok++;
		else
			w->refused++;
	}
}

/* Forget dead sessions and objects, make new ones, log in again */
static void refresh(struct pool *p)
{
	struct khsm_session_info si;
	unsigned char k[32];
	CK_ULONG cls;
	int i, n;
	__u64 h;
	__u32 s;

	for (i = n = 0; i < p->nsess; i++)
		if (kt_session_info(p->fd, p->sessions[i], &si) == CKR_OK)
			p->sessions[n++] = p->sessions[i];
	p->nsess = n;
	while (p->nsess < 4 && kt_session(p->fd, KT_RW, &s) == CKR_OK)
		p->sessions[p->nsess++] = s;
	if (!p->nsess)
		return;
	kt_login(p->fd, p->sessions[0], CKU_USER, KT_USER_PIN);
	for (i = n = 0; i < p->nobj; i++)
		if (kt_get_ulong(p->fd, p->sessions[0], p->objects[i],
				 CKA_CLASS, &cls) == CKR_OK)
			p->objects[n++] = p->objects[i];
	p->nobj = n;
	while (p->nobj < 8) {
		memcpy(k, p->data, sizeof(k));
		if (kt_secret(p->fd, p->sessions[rnd(p, p->nsess)],
			      rnd(p, 2) ? CKK_AES : CKK_GENERIC_SECRET, k,
			      16 + 8 * rnd(p, 3), &h) != CKR_OK)
			break;
		p->objects[p->nobj++] = h;
	}
}


static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool p = *w->shared;
	unsigned char buf[512 + 64] __attribute__((aligned(8)));
	unsigned long i;

	p.seed = w->seed;
	for (i = 0; i < w->iters; i++) {
		unsigned long cmd;
		unsigned int size;

		if ((i & 127) == 0) {
			if (time(NULL) >= w->deadline)
				break;
			refresh(&p);
		}
		if (rnd(&p, 8) == 0) {
			scenario(&p, w);
			continue;
		}
		switch (rnd(&p, 20)) {
		case 0:		/* an unknown number with our magic */
			cmd = _IOWR(KHSM_IOC_MAGIC, rnd(&p, 256),
				    struct khsm_op_data);
			break;
		case 1:		/* a known number, another encoded size */
			cmd = _IOC(rnd(&p, 4), KHSM_IOC_MAGIC,
				   _IOC_NR(cmds[rnd(&p, KT_ARRAY_SIZE(cmds))]),
				   rnd(&p, 512));
			break;
		case 2: case 3: case 4: case 5: case 6: case 7:
			cmd = hot[rnd(&p, KT_ARRAY_SIZE(hot))];
			break;
		default:
			cmd = cmds[rnd(&p, KT_ARRAY_SIZE(cmds))];
		}
		/* never re-initialise the token from here: see the header */
		if (cmd == KHSM_IOC_INIT_TOKEN && rnd(&p, 4))
			continue;
		/* keep the state worth fuzzing around a little longer */
		if ((cmd == KHSM_IOC_CLOSE_ALL || cmd == KHSM_IOC_LOGOUT ||
		     cmd == KHSM_IOC_CLOSE_SESSION) && rnd(&p, 4))
			continue;
		size = build(&p, cmd, buf);
		if (size > 512)
			size = 512;
		errno = 0;
		khsm_call(rnd(&p, 50) ? p.fd : p.fd2, cmd,
			  (struct khsm_hdr *)buf, size);
		if (errno)
			w->faults++;
		else if (((struct khsm_hdr *)buf)->rv == CKR_OK)
			w->ok++;
		else
			w->refused++;
		/* learn the handles the kernel gave out */
		if (((struct khsm_hdr *)buf)->rv == CKR_OK) {
			if (cmd == KHSM_IOC_OPEN_SESSION && p.nsess < 8)
				p.sessions[p.nsess++] =
					((struct khsm_open_session *)buf)->handle;
			if ((cmd == KHSM_IOC_CREATE_OBJECT ||
			     cmd == KHSM_IOC_GENERATE_KEY ||
			     cmd == KHSM_IOC_COPY_OBJECT) && p.nobj < 16)
				p.objects[p.nobj++] =
					((struct khsm_object_req *)buf)->handle;
		}
		w->calls++;
	}
	return NULL;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* One forked fuzzing process: two fds, NTHREAD threads */
static int fuzz_child(unsigned int seed, unsigned long iters, time_t deadline)
{
	struct worker w[NTHREAD];
	pthread_t th[NTHREAD];
	struct pool p = { 0 };
	struct khsm_version v = { 0 };
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *map;
	unsigned long calls = 0, ok = 0, refused = 0, faults = 0;
	int i;

	p.seed = seed;
	p.fd = kt_open();
	p.fd2 = kt_open();
	if (p.fd < 0 || p.fd2 < 0)
		return 2;
	p.data = malloc(DATA_LEN);
	p.out = malloc(DATA_LEN);
	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!p.data || !p.out || map == MAP_FAILED ||
	    mprotect(map + pg, pg, PROT_NONE))
		return 3;
	p.edge = map + pg - 16;
	for (i = 0; i < DATA_LEN; i++)
		p.data[i] = rnd(&p, 256);
	kt_session(p.fd2, KT_RW, &p.foreign);
	refresh(&p);
	refresh(&p);

	for (i = 0; i < NTHREAD; i++) {
		w[i] = (struct worker){ .shared = &p, .iters = iters / NTHREAD,
					.deadline = deadline,
					.seed = seed * 31 + i };
		if (pthread_create(&th[i], NULL, work, &w[i]))
			return 4;
	}
	for (i = 0; i < NTHREAD; i++) {
		pthread_join(th[i], NULL);
		calls += w[i].calls;
		ok += w[i].ok;
		refused += w[i].refused;
		faults += w[i].faults;
	}
	printf("# fuzz: child seed %u: %lu calls: %lu CKR_OK, %lu other "
	       "CK_RV, %lu errno\n", seed, calls, ok, refused, faults);
	fflush(stdout);
	/* the application still works */
	if (khsm_version(p.fd, &v) != CKR_OK || v.abi_version != KHSM_ABI_VERSION)
		return 5;
	return 0;
}

/* After the storm: a fresh application gets right answers */
static int still_correct(void)
{
	const struct khsm_kv_digest *kv = &khsm_kv_digest[2];
	unsigned char md[64], want[64];
	__u64 n = sizeof(md);
	size_t i, wn = strlen(kv->digest) / 2;
	int fd, ok;
	CK_RV rv;
	__u32 s;

	for (i = 0; i < wn; i++) {
		unsigned int b;

		if (sscanf(kv->digest + 2 * i, "%2x", &b) != 1)
			return 0;
		want[i] = b;
	}
	fd = kt_open();
	if (fd < 0)
		return 0;
	if (kt_session(fd, KT_RO, &s) != CKR_OK ||
	    kt_random(fd, s, md, sizeof(md)) != CKR_OK) {
		khsm_close(fd);
		return 0;
	}
	/* a token may want login for digests; the PIN may be locked now */
	rv = kt_op_init(fd, s, KHSM_OP_DIGEST, 0, kv->mech, NULL, 0);
	if (rv == CKR_USER_NOT_LOGGED_IN) {
		if (kt_login(fd, s, CKU_USER, KT_USER_PIN) != CKR_OK) {
			printf("# fuzz: no login after fuzzing; "
			       "digest not checked\n");
			khsm_close(fd);
			return 1;
		}
		rv = kt_op_init(fd, s, KHSM_OP_DIGEST, 0, kv->mech, NULL, 0);
	}
	ok = rv == CKR_OK && kt_oneshot(fd, s, KHSM_OP_DIGEST, "abc", 3, md, &n) == CKR_OK &&
	     n == wn && !memcmp(md, want, wn);
	khsm_close(fd);
	return ok;
}

TEST(fuzz_ioctls)
{
	unsigned long iters = env_ul("KHSM_FUZZ_ITERS", 200000);
	unsigned long secs = env_ul("KHSM_FUZZ_SECONDS", 60);
	unsigned int seed = env_ul("KHSM_FUZZ_SEED", time(NULL) ^ getpid());
	time_t deadline = time(NULL) + secs;
	pid_t pids[NPROC];
	int i, st;

	printf("# fuzz: seed %u (KHSM_FUZZ_SEED), %lu calls or %lu s, "
	       "%d processes x %d threads\n", seed, iters, secs, NPROC,
	       NTHREAD);
	fflush(stdout);
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(fuzz_child(seed + i, iters / NPROC, deadline));
	}
	for (i = 0; i < NPROC; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
			TH_LOG("fuzz child %d: status 0x%x", i, st);
	}
	EXPECT_TRUE(still_correct()) TH_LOG("wrong answers after fuzzing");
}

/* Custom main: no token reset first; the fuzzer needs only the device */
int main(int argc, char **argv)
{
	int fd;

	if (!kt_device_present()) {
		ksft_print_header();
		ksft_exit_skip("%s absent\n", KHSM_DEVICE);
	}
	fd = kt_open();
	if (fd >= 0) {
		kt_token_reset(fd);
		khsm_close(fd);
	}
	return test_harness_run(argc, argv);
}
