// SPDX-License-Identifier: GPL-2.0
/*
 * p11: loading the module under test, templates, small helpers that return
 * the CK_RV of the call they make, and the known-answer vectors.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p11.h"

CK_FUNCTION_LIST_PTR p11;

const char *p11_module_path(void)
{
	const char *p = getenv("KHSM_PKCS11_MODULE");

	return p && *p ? p : "userlib/pkcs11/khsm-pkcs11.so";
}

int p11_is_softhsm(void)
{
	return strstr(p11_module_path(), "softhsm") != NULL;
}

int p11_load(char *err, size_t errlen)
{
	CK_C_GetFunctionList get;
	void *dl;
	CK_RV rv;

	dl = dlopen(p11_module_path(), RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		snprintf(err, errlen, "dlopen %s: %s", p11_module_path(),
			 dlerror());
		return -1;
	}
	get = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList");
	if (!get) {
		snprintf(err, errlen, "%s exports no C_GetFunctionList",
			 p11_module_path());
		return -1;
	}
	rv = get(&p11);
	if (rv != CKR_OK || !p11) {
		snprintf(err, errlen, "C_GetFunctionList: %s", khsm_rv_name(rv));
		return -1;
	}
	return 0;
}

const char *p11_so_pin(void)
{
	const char *p = getenv("KHSM_TEST_SO_PIN");

	return p && *p ? p : P11_SO_PIN;
}

const char *p11_user_pin(void)
{
	const char *p = getenv("KHSM_TEST_USER_PIN");

	return p && *p ? p : P11_USER_PIN;
}

CK_RV p11_slot(CK_SLOT_ID *slot)
{
	CK_SLOT_ID list[16];
	CK_ULONG n = P11_ARRAY_SIZE(list), i;
	CK_TOKEN_INFO ti;
	int uninit = -1;
	CK_RV rv;

	rv = p11->C_GetSlotList(CK_TRUE, list, &n);
	if (rv != CKR_OK)
		return rv;
	if (n == 0)
		return CKR_TOKEN_NOT_PRESENT;
	for (i = 0; i < n; i++) {
		if (p11->C_GetTokenInfo(list[i], &ti) != CKR_OK)
			continue;
		if (!(ti.flags & CKF_TOKEN_INITIALIZED)) {
			if (uninit < 0)
				uninit = (int)i;
			continue;
		}
		if (!memcmp(ti.label, P11_LABEL, strlen(P11_LABEL))) {
			*slot = list[i];
			return CKR_OK;
		}
	}
	/*
	 * No test token yet: an uninitialized one, else the first (khsm has
	 * exactly one token; on a shared SoftHSMv2 never take another's).
	 */
	*slot = list[uninit < 0 ? 0 : uninit];
	return CKR_OK;
}

CK_RV p11_open(CK_SLOT_ID slot, int rw, CK_SESSION_HANDLE *s)
{
	CK_FLAGS fl = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);

	return p11->C_OpenSession(slot, fl, NULL, NULL, s);
}

CK_RV p11_login(CK_SESSION_HANDLE s, CK_USER_TYPE who)
{
	const char *pin = who == CKU_SO ? p11_so_pin() : p11_user_pin();

	return p11->C_Login(s, who, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

CK_RV p11_token_reset(void)
{
	CK_UTF8CHAR label[32];
	CK_SESSION_HANDLE s;
	CK_SLOT_ID slot;
	const char *pin;
	CK_RV rv;

	rv = p11->C_Initialize(NULL);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
		return rv;
	rv = p11_slot(&slot);
	if (rv != CKR_OK)
		return rv;
	rv = p11->C_CloseAllSessions(slot);
	if (rv != CKR_OK)
		return rv;
	memset(label, ' ', sizeof(label));
	memcpy(label, P11_LABEL, strlen(P11_LABEL));
	pin = p11_so_pin();
	rv = p11->C_InitToken(slot, (CK_UTF8CHAR_PTR)pin, strlen(pin), label);
	if (rv != CKR_OK)
		return rv;
	/* SoftHSMv2 gives an initialized token a new slot ID */
	rv = p11_slot(&slot);
	if (rv != CKR_OK)
		return rv;
	rv = p11_open(slot, 1, &s);
	if (rv != CKR_OK)
		return rv;
	rv = p11_login(s, CKU_SO);
	if (rv == CKR_OK) {
		pin = p11_user_pin();
		rv = p11->C_InitPIN(s, (CK_UTF8CHAR_PTR)pin, strlen(pin));
	}
	p11->C_CloseSession(s);
	return rv;
}

void t_init(struct p11_tmpl *t)
{
	t->n = 0;
	t->used = 0;
}

void t_bytes(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *p,
	     CK_ULONG len)
{
	CK_ATTRIBUTE *a;

	if (t->n >= P11_ARRAY_SIZE(t->a) || t->used + len > sizeof(t->store))
		abort();	/* a test's template is too big: fix the test */
	a = &t->a[t->n++];
	a->type = type;
	a->ulValueLen = len;
	if (!p) {
		a->pValue = NULL;
		return;
	}
	a->pValue = t->store + t->used;
	memcpy(a->pValue, p, len);
	/* keep every value 8-byte aligned (CK_ULONG, nested templates) */
	t->used += (len + 7) & ~(size_t)7;
}

void t_bool(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL v)
{
	t_bytes(t, type, &v, sizeof(v));
}

void t_ulong(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v)
{
	t_bytes(t, type, &v, sizeof(v));
}

void t_str(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, const char *s)
{
	t_bytes(t, type, s, strlen(s));
}

void t_append(struct p11_tmpl *t, const struct p11_tmpl *src)
{
	CK_ULONG i;

	for (i = 0; i < src->n; i++)
		t_bytes(t, src->a[i].type, src->a[i].pValue,
			src->a[i].ulValueLen);
}

CK_ATTRIBUTE *t_find(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type)
{
	CK_ULONG i;

	for (i = 0; i < t->n; i++)
		if (t->a[i].type == type)
			return &t->a[i];
	return NULL;
}

CK_RV p11_get_ulong(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		    CK_ATTRIBUTE_TYPE type, CK_ULONG *v)
{
	CK_ATTRIBUTE a = { type, v, sizeof(*v) };
	CK_RV rv = p11->C_GetAttributeValue(s, o, &a, 1);

	if (rv == CKR_OK && a.ulValueLen != sizeof(*v))
		return CKR_GENERAL_ERROR;
	return rv;
}

CK_RV p11_get_bool(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		   CK_ATTRIBUTE_TYPE type, CK_BBOOL *v)
{
	CK_ATTRIBUTE a = { type, v, sizeof(*v) };
	CK_RV rv = p11->C_GetAttributeValue(s, o, &a, 1);

	if (rv == CKR_OK && a.ulValueLen != sizeof(*v))
		return CKR_GENERAL_ERROR;
	return rv;
}

CK_RV p11_get_bytes(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		    CK_ATTRIBUTE_TYPE type, void *buf, CK_ULONG *len)
{
	CK_ATTRIBUTE a = { type, buf, *len };
	CK_RV rv = p11->C_GetAttributeValue(s, o, &a, 1);

	*len = a.ulValueLen;
	return rv;
}

CK_RV p11_set_bool(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		   CK_ATTRIBUTE_TYPE type, CK_BBOOL v)
{
	CK_ATTRIBUTE a = { type, &v, sizeof(v) };

	return p11->C_SetAttributeValue(s, o, &a, 1);
}

CK_RV p11_find(CK_SESSION_HANDLE s, struct p11_tmpl *t,
	       CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *n)
{
	CK_RV rv, rv2;

	*n = 0;
	rv = p11->C_FindObjectsInit(s, t ? t->a : NULL, t ? t->n : 0);
	if (rv != CKR_OK)
		return rv;
	rv = p11->C_FindObjects(s, out, max, n);
	rv2 = p11->C_FindObjectsFinal(s);
	return rv != CKR_OK ? rv : rv2;
}

CK_RV p11_find_label(CK_SESSION_HANDLE s, const char *label,
		     CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *n)
{
	struct p11_tmpl t;

	t_init(&t);
	t_str(&t, CKA_LABEL, label);
	return p11_find(s, &t, out, max, n);
}

int p11_has_mech(CK_SLOT_ID slot, CK_MECHANISM_TYPE m)
{
	CK_MECHANISM_TYPE list[512];
	CK_ULONG n = P11_ARRAY_SIZE(list), i;

	if (p11->C_GetMechanismList(slot, list, &n) != CKR_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (list[i] == m)
			return 1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t p11_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < max) {
		int hi = hexval(hex[0]), lo = hexval(hex[1]);

		if (hi < 0 || lo < 0)
			abort();	/* a broken vector in a test */
		out[n++] = (unsigned char)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}


/* NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt (blocks 1-2) */
const unsigned char kat_cbc_key[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
const unsigned char kat_cbc_iv[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
const unsigned char kat_cbc_pt[32] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
	0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
	0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
};
const unsigned char kat_cbc_ct[32] = {
	0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
	0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
	0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee,
	0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2,
};

/* McGrew & Viega, GCM specification, test case 4 (AES-128, 60-byte P, AAD) */
const unsigned char kat_gcm_key[16] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
};
const unsigned char kat_gcm_iv[12] = {
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88,
};
const unsigned char kat_gcm_aad[20] = {
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xab, 0xad, 0xda, 0xd2,
};
const unsigned char kat_gcm_pt[60] = {
	0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5,
	0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26, 0x9a,
	0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda,
	0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31, 0x8a, 0x72,
	0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53,
	0x2f, 0xcf, 0x0e, 0x24, 0x49, 0xa6, 0xb5, 0x25,
	0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57,
	0xba, 0x63, 0x7b, 0x39,
};
const unsigned char kat_gcm_ct[60] = {
	0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24,
	0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c,
	0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0,
	0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac, 0xa1, 0x2e,
	0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c,
	0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05,
	0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97,
	0x3d, 0x58, 0xe0, 0x91,
};
const unsigned char kat_gcm_tag[16] = {
	0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb,
	0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47,
};

/* RFC 4231, 4.7 test case 6 (a key longer than the block: every HMAC's
 * minimum key size is met) */
const unsigned char kat_hmac_key[131] = {
#define AA8 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa
	AA8, AA8, AA8, AA8, AA8, AA8, AA8, AA8,
	AA8, AA8, AA8, AA8, AA8, AA8, AA8, AA8,
	0xaa, 0xaa, 0xaa,
#undef AA8
};
const unsigned char kat_hmac_data[54] =
	"Test Using Larger Than Block-Size Key - Hash Key First";
const unsigned char kat_hmac_mac[32] = {
	0x60, 0xe4, 0x31, 0x59, 0x1e, 0xe0, 0xb6, 0x7f,
	0x0d, 0x8a, 0x26, 0xaa, 0xcb, 0xf5, 0xb7, 0x7f,
	0x8e, 0x0b, 0xc6, 0x21, 0x37, 0x28, 0xc5, 0x14,
	0x05, 0x46, 0x04, 0x0f, 0x0e, 0xe3, 0x7f, 0x54,
};

/* FIPS 180-4 / NIST CSRC example: SHA-256("abc") */
const unsigned char kat_sha256_abc[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
	0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

/* NIST SP 800-38B, D.1 AES-128 example 2: CMAC of the first block */
const unsigned char kat_cmac_mac[16] = {
	0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d, 0x41, 0x44,
	0xf7, 0x9b, 0xdd, 0x9d, 0xd0, 0x4a, 0x28, 0x7c,
};
