// SPDX-License-Identifier: GPL-2.0
/* kt: plain helpers over libkhsm shared by the selftests.  See kt.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kt.h"

void kt_tmpl_init(struct kt_tmpl *t)
{
	memset(t, 0, sizeof(*t));
}

static void *kt_alloc(struct kt_tmpl *t, size_t len)
{
	void *p;

	if (t->n >= KT_ARRAY_SIZE(t->a) || t->used + len > sizeof(t->store)) {
		fprintf(stderr, "kt: template overflow\n");
		abort();
	}
	p = t->store + t->used;
	t->used += (len + 7) & ~(size_t)7;
	return p;
}

void kt_bytes(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *p,
	      size_t len)
{
	void *v = kt_alloc(t, len);

	if (len)
		memcpy(v, p, len);
	t->a[t->n].type = type;
	t->a[t->n].value = p ? KT_PTR(v) : 0;
	t->a[t->n].len = len;
	t->n++;
}

void kt_buf(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, size_t len)
{
	void *v = kt_alloc(t, len);

	memset(v, 0xa5, len);
	t->a[t->n].type = type;
	t->a[t->n].value = KT_PTR(v);
	t->a[t->n].len = len;
	t->n++;
}

void kt_bool(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, int v)
{
	CK_BBOOL b = v ? CK_TRUE : CK_FALSE;

	kt_bytes(t, type, &b, sizeof(b));
}

void kt_ulong(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
	__u64 u = v;

	kt_bytes(t, type, &u, sizeof(u));
}

void kt_str(struct kt_tmpl *t, CK_ATTRIBUTE_TYPE type, const char *s)
{
	kt_bytes(t, type, s, strlen(s));
}

const char *kt_mech_name(CK_MECHANISM_TYPE m)
{
	static __thread char buf[32];

	switch (m) {
#define N(x) case x: return #x
	N(CKM_AES_KEY_GEN); N(CKM_GENERIC_SECRET_KEY_GEN); N(CKM_AES_ECB);
	N(CKM_AES_CBC); N(CKM_AES_CBC_PAD); N(CKM_AES_CTR); N(CKM_AES_GCM);
	N(CKM_AES_CMAC); N(CKM_AES_CMAC_GENERAL); N(CKM_SHA_1);
	N(CKM_SHA224); N(CKM_SHA256); N(CKM_SHA384); N(CKM_SHA512);
	N(CKM_SHA_1_HMAC); N(CKM_SHA224_HMAC); N(CKM_SHA256_HMAC);
	N(CKM_SHA384_HMAC); N(CKM_SHA512_HMAC); N(CKM_SHA_1_HMAC_GENERAL);
	N(CKM_SHA224_HMAC_GENERAL); N(CKM_SHA256_HMAC_GENERAL);
	N(CKM_SHA384_HMAC_GENERAL); N(CKM_SHA512_HMAC_GENERAL);
#undef N
	}
	snprintf(buf, sizeof(buf), "CKM_0x%lx", m);
	return buf;
}

int kt_device_present(void)
{
	return access(KHSM_DEVICE, F_OK) == 0;
}

int kt_open(void)
{
	return khsm_open(NULL);
}

long kt_modparam(const char *name, long def)
{
	char path[256];
	long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/khsm/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return def;
	if (fscanf(f, "%ld", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

CK_RV kt_init_token(int fd, const char *so_pin, const char *label)
{
	struct khsm_init_token a = { 0 };
	size_t n = strlen(label);

	a.so_pin = KT_PTR(so_pin);
	a.so_pin_len = so_pin ? strlen(so_pin) : 0;
	memset(a.label, ' ', sizeof(a.label));
	memcpy(a.label, label, n < sizeof(a.label) ? n : sizeof(a.label));
	return khsm_init_token(fd, &a);
}

CK_RV kt_token_info(int fd, struct khsm_token_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	return khsm_token_info(fd, ti);
}

/*
 * Token info once object memory has settled: objects (and what the engines
 * keep with keys) are uncharged when freed, after an RCU grace period, so
 * an earlier test's frees may still be landing.
 */
CK_RV kt_token_info_settled(int fd, struct khsm_token_info *ti)
{
	struct khsm_token_info prev;
	CK_RV rv;
	int i;

	rv = kt_token_info(fd, &prev);
	for (i = 0; rv == CKR_OK && i < 60; i++) {
		usleep(50000);
		rv = kt_token_info(fd, ti);
		if (rv == CKR_OK && ti->free_public_memory ==
				    prev.free_public_memory)
			break;
		prev = *ti;
	}
	return rv;
}

CK_RV kt_init_pin(int fd, __u32 s, const char *pin)
{
	struct khsm_pin a = { .hdr.session = s };

	a.new_pin = KT_PTR(pin);
	a.new_pin_len = pin ? strlen(pin) : 0;
	return khsm_init_pin(fd, &a);
}

CK_RV kt_set_pin(int fd, __u32 s, const char *old_pin, const char *new_pin)
{
	struct khsm_pin a = { .hdr.session = s };

	a.old_pin = KT_PTR(old_pin);
	a.old_pin_len = old_pin ? strlen(old_pin) : 0;
	a.new_pin = KT_PTR(new_pin);
	a.new_pin_len = new_pin ? strlen(new_pin) : 0;
	return khsm_set_pin(fd, &a);
}

CK_RV kt_token_reset(int fd)
{
	__u32 s;
	CK_RV rv;

	rv = kt_close_all(fd);
	if (rv != CKR_OK)
		return rv;
	rv = kt_init_token(fd, KT_SO_PIN, KT_LABEL);
	if (rv != CKR_OK)
		return rv;
	rv = kt_session(fd, KT_RW, &s);
	if (rv != CKR_OK)
		return rv;
	rv = kt_login(fd, s, CKU_SO, KT_SO_PIN);
	if (rv == CKR_OK)
		rv = kt_init_pin(fd, s, KT_USER_PIN);
	kt_close(fd, s);
	return rv;
}

CK_RV kt_session(int fd, __u32 flags, __u32 *s)
{
	struct khsm_open_session a = { .hdr.flags = flags };
	CK_RV rv;

	rv = khsm_open_session(fd, &a);
	*s = rv == CKR_OK ? a.handle : 0;
	return rv;
}

CK_RV kt_close(int fd, __u32 s)
{
	struct khsm_session_req a = { .hdr.session = s };

	return khsm_close_session(fd, &a);
}

CK_RV kt_close_all(int fd)
{
	struct khsm_session_req a = { 0 };

	return khsm_close_all(fd, &a);
}

CK_RV kt_session_info(int fd, __u32 s, struct khsm_session_info *si)
{
	memset(si, 0, sizeof(*si));
	si->hdr.session = s;
	return khsm_session_info(fd, si);
}

CK_RV kt_login(int fd, __u32 s, CK_USER_TYPE user, const char *pin)
{
	struct khsm_login a = { .hdr.session = s, .user_type = user };

	a.pin = KT_PTR(pin);
	a.pin_len = pin ? strlen(pin) : 0;
	return khsm_login(fd, &a);
}

CK_RV kt_logout(int fd, __u32 s)
{
	struct khsm_session_req a = { .hdr.session = s };

	return khsm_logout(fd, &a);
}

CK_RV kt_create(int fd, __u32 s, const struct kt_tmpl *t, __u64 *h)
{
	struct khsm_object_req a = { .hdr.session = s };
	CK_RV rv;

	a.attrs = KT_PTR(t->a);
	a.count = t->n;
	rv = khsm_create_object(fd, &a);
	if (h)
		*h = rv == CKR_OK ? a.handle : 0;
	return rv;
}

CK_RV kt_copy(int fd, __u32 s, __u64 obj, const struct kt_tmpl *t, __u64 *h)
{
	struct khsm_object_req a = { .hdr.session = s, .object = obj };
	CK_RV rv;

	if (t) {
		a.attrs = KT_PTR(t->a);
		a.count = t->n;
	}
	rv = khsm_copy_object(fd, &a);
	if (h)
		*h = rv == CKR_OK ? a.handle : 0;
	return rv;
}

CK_RV kt_destroy(int fd, __u32 s, __u64 obj)
{
	struct khsm_object_handle a = { .hdr.session = s, .object = obj };

	return khsm_destroy_object(fd, &a);
}

CK_RV kt_object_size(int fd, __u32 s, __u64 obj, __u64 *size)
{
	struct khsm_object_handle a = { .hdr.session = s, .object = obj };
	CK_RV rv;

	rv = khsm_object_size(fd, &a);
	*size = a.size;
	return rv;
}

CK_RV kt_generate(int fd, __u32 s, CK_MECHANISM_TYPE m,
		  const struct kt_tmpl *t, __u64 *h)
{
	struct khsm_object_req a = { .hdr.session = s };
	CK_RV rv;

	a.mech.type = m;
	if (t) {
		a.attrs = KT_PTR(t->a);
		a.count = t->n;
	}
	rv = khsm_generate_key(fd, &a);
	if (h)
		*h = rv == CKR_OK ? a.handle : 0;
	return rv;
}

CK_RV kt_get(int fd, __u32 s, __u64 obj, struct kt_tmpl *t)
{
	struct khsm_attrs a = { .hdr.session = s, .object = obj };

	a.attrs = KT_PTR(t->a);
	a.count = t->n;
	return khsm_get_attrs(fd, &a);
}

CK_RV kt_set(int fd, __u32 s, __u64 obj, const struct kt_tmpl *t)
{
	struct khsm_attrs a = { .hdr.session = s, .object = obj };

	a.attrs = KT_PTR(t->a);
	a.count = t->n;
	return khsm_set_attrs(fd, &a);
}

CK_RV kt_get_bytes(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		   void *buf, __u64 *len)
{
	struct khsm_attr at = { .type = type, .value = KT_PTR(buf), .len = *len };
	struct khsm_attrs a = { .hdr.session = s, .object = obj };
	CK_RV rv;

	a.attrs = KT_PTR(&at);
	a.count = 1;
	rv = khsm_get_attrs(fd, &a);
	*len = at.len;
	return rv;
}

CK_RV kt_get_ulong(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type,
		   CK_ULONG *v)
{
	__u64 u = 0, len = sizeof(u);
	CK_RV rv;

	rv = kt_get_bytes(fd, s, obj, type, &u, &len);
	if (rv == CKR_OK && len != sizeof(u))
		rv = CKR_GENERAL_ERROR;
	*v = u;
	return rv;
}

CK_RV kt_get_bool(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type, int *v)
{
	__u64 len = 1;
	CK_BBOOL b = 0xee;
	CK_RV rv;

	rv = kt_get_bytes(fd, s, obj, type, &b, &len);
	if (rv == CKR_OK && len != 1)
		rv = CKR_GENERAL_ERROR;
	*v = b;
	return rv;
}

CK_RV kt_set_bool(int fd, __u32 s, __u64 obj, CK_ATTRIBUTE_TYPE type, int v)
{
	struct kt_tmpl t;

	kt_tmpl_init(&t);
	kt_bool(&t, type, v);
	return kt_set(fd, s, obj, &t);
}

CK_RV kt_find_all(int fd, __u32 s, const struct kt_tmpl *t, __u64 *handles,
		  size_t max, size_t *count)
{
	struct khsm_find_init fi = { .hdr.session = s };
	struct khsm_find f = { .hdr.session = s };
	struct khsm_find ff = { .hdr.session = s };
	CK_RV rv, rv2;

	*count = 0;
	if (t) {
		fi.attrs = KT_PTR(t->a);
		fi.count = t->n;
	}
	rv = khsm_find_init(fd, &fi);
	if (rv != CKR_OK)
		return rv;
	f.handles = KT_PTR(handles);
	f.max = max;
	rv = khsm_find(fd, &f);
	if (rv == CKR_OK)
		*count = f.count;
	rv2 = khsm_find_final(fd, &ff);
	return rv != CKR_OK ? rv : rv2;
}

CK_RV kt_secret(int fd, __u32 s, CK_KEY_TYPE key_type, const void *key,
		size_t len, __u64 *h)
{
	static const CK_ATTRIBUTE_TYPE usage[] = {
		CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY,
	};
	struct kt_tmpl t;
	size_t i;

	kt_tmpl_init(&t);
	kt_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	kt_ulong(&t, CKA_KEY_TYPE, key_type);
	kt_bytes(&t, CKA_VALUE, key, len);
	kt_bool(&t, CKA_SENSITIVE, 0);
	kt_bool(&t, CKA_EXTRACTABLE, 1);
	for (i = 0; i < KT_ARRAY_SIZE(usage); i++)
		kt_bool(&t, usage[i], 1);
	return kt_create(fd, s, &t, h);
}

CK_RV kt_op_init(int fd, __u32 s, __u32 op, __u64 key, CK_MECHANISM_TYPE m,
		 const void *param, size_t plen)
{
	struct khsm_op_init a = { .hdr.session = s, .op = op, .key = key };

	a.mech.type = m;
	a.mech.param = KT_PTR(param);
	a.mech.param_len = plen;
	return khsm_op_init(fd, &a);
}

typedef unsigned long (*kt_data_fn)(int fd, struct khsm_op_data *a);

static CK_RV kt_data(int fd, kt_data_fn fn, __u32 s, __u32 op,
		     const void *in, size_t inlen, void *out, __u64 *outlen)
{
	struct khsm_op_data a = { .hdr.session = s, .op = op };
	CK_RV rv;

	a.in = KT_PTR(in);
	a.in_len = inlen;
	a.out = KT_PTR(out);
	a.out_len = outlen ? *outlen : 0;
	rv = fn(fd, &a);
	if (outlen)
		*outlen = a.out_len;
	return rv;
}

CK_RV kt_oneshot(int fd, __u32 s, __u32 op, const void *in, size_t inlen,
		 void *out, __u64 *outlen)
{
	return kt_data(fd, khsm_op_oneshot, s, op, in, inlen, out, outlen);
}

CK_RV kt_update(int fd, __u32 s, __u32 op, const void *in, size_t inlen,
		void *out, __u64 *outlen)
{
	return kt_data(fd, khsm_op_update, s, op, in, inlen, out, outlen);
}

CK_RV kt_final(int fd, __u32 s, __u32 op, void *out, __u64 *outlen)
{
	return kt_data(fd, khsm_op_final, s, op, NULL, 0, out, outlen);
}

CK_RV kt_cancel(int fd, __u32 s, __u32 ops)
{
	struct khsm_op_cancel a = { .hdr.session = s, .ops = ops };

	return khsm_op_cancel(fd, &a);
}

CK_RV kt_random(int fd, __u32 s, void *buf, size_t len)
{
	struct khsm_random a = { .hdr.session = s };

	a.buf = KT_PTR(buf);
	a.len = len;
	return khsm_generate_random(fd, &a);
}
