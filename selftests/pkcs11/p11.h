/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p11: what every PKCS#11 compliance test shares.  The module under test is
 * dlopen()ed and reached only through its function list, as any Cryptoki
 * application reaches it.  Plain helpers returning a CK_RV live in p11.c;
 * p11_test.h adds assertions for the kselftest harness.
 *
 * The module: $KHSM_PKCS11_MODULE, else userlib/pkcs11/khsm-pkcs11.so
 * relative to the working directory (run.sh runs from the repository root).
 * The same programs run against SoftHSMv2 to sanity-check expectations.
 *
 * Beware: p11-kit's <pkcs11.h> (CRYPTOKI_COMPAT) #defines lower-case names
 * such as value, count, parameter, params, reserved, iv_len, slot_id: never
 * use them as identifiers here.
 */
#ifndef P11_H
#define P11_H

#include <stddef.h>
#include <stdint.h>
#include <p11-kit/pkcs11.h>

#include "khsm.h"	/* libkhsm: khsm_rv_name() */

/* The token every test program starts from; same PINs as selftests/kt.h */
#define P11_SO_PIN	"khsm-test-so-pin"
#define P11_USER_PIN	"khsm-test-user-pin"
#define P11_LABEL	"khsm selftest"

#define P11_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern CK_FUNCTION_LIST_PTR p11;

/* dlopen the module and fetch its function list; 0 or -1 with @err set */
int p11_load(char *err, size_t errlen);
const char *p11_module_path(void);
/* Is the module under test SoftHSMv2?  (for notes only, never to pass) */
int p11_is_softhsm(void);


/* PINs: $KHSM_TEST_SO_PIN / $KHSM_TEST_USER_PIN, else the defaults above */
const char *p11_so_pin(void);
const char *p11_user_pin(void);

/*
 * The slot of the test token: the one labelled P11_LABEL, else the first
 * uninitialized one, else the first slot with a token.
 */
CK_RV p11_slot(CK_SLOT_ID *slot);
CK_RV p11_open(CK_SLOT_ID slot, int rw, CK_SESSION_HANDLE *s);
CK_RV p11_login(CK_SESSION_HANDLE s, CK_USER_TYPE who);
/*
 * C_Initialize (already initialized is fine), close all sessions, init the
 * token (SO PIN, label), SO login, init the user PIN, close the session;
 * leaves the library initialized.
 */
CK_RV p11_token_reset(void);

/* A template under construction: attributes and the storage of values */
struct p11_tmpl {
	CK_ATTRIBUTE a[48];
	CK_ULONG n;
	size_t used;
	unsigned char store[8192];
};

void t_init(struct p11_tmpl *t);
void t_bool(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL v);
void t_ulong(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG v);
void t_bytes(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *p,
	     CK_ULONG len);
void t_str(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, const char *s);
/* Append every attribute of @src (values copied) */
void t_append(struct p11_tmpl *t, const struct p11_tmpl *src);
/* The attribute of @type in @t, or NULL */
CK_ATTRIBUTE *t_find(struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type);

/* Attribute readers */
CK_RV p11_get_ulong(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		    CK_ATTRIBUTE_TYPE type, CK_ULONG *v);
CK_RV p11_get_bool(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		   CK_ATTRIBUTE_TYPE type, CK_BBOOL *v);
/* @len: in, buffer size; out, length of the value */
CK_RV p11_get_bytes(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		    CK_ATTRIBUTE_TYPE type, void *buf, CK_ULONG *len);
CK_RV p11_set_bool(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
		   CK_ATTRIBUTE_TYPE type, CK_BBOOL v);

/* find init + find (up to @max) + final */
CK_RV p11_find(CK_SESSION_HANDLE s, struct p11_tmpl *t,
	       CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *n);
CK_RV p11_find_label(CK_SESSION_HANDLE s, const char *label,
		     CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *n);

/* Mechanism present in C_GetMechanismList of @slot? */
int p11_has_mech(CK_SLOT_ID slot, CK_MECHANISM_TYPE m);

/* Hex string to bytes; returns the length */
size_t p11_unhex(const char *hex, unsigned char *out, size_t max);

/*
 * Known-answer vectors (source named at each): all tests that check a
 * result against a fixed value use these.
 */
/* NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks */
extern const unsigned char kat_cbc_key[16], kat_cbc_iv[16];
extern const unsigned char kat_cbc_pt[32], kat_cbc_ct[32];
/* McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 */
extern const unsigned char kat_gcm_key[16], kat_gcm_iv[12], kat_gcm_aad[20];
extern const unsigned char kat_gcm_pt[60], kat_gcm_ct[60], kat_gcm_tag[16];
/* RFC 4231 test case 6, HMAC-SHA-256 (131-byte key) */
extern const unsigned char kat_hmac_key[131], kat_hmac_data[54];
extern const unsigned char kat_hmac_mac[32];
/* FIPS 180-4 example "abc", SHA-256 */
extern const unsigned char kat_sha256_abc[32];
/* NIST SP 800-38B D.1 example 2, AES-128 CMAC of one block (kat_cbc_key) */
extern const unsigned char kat_cmac_mac[16];

#endif /* P11_H */
