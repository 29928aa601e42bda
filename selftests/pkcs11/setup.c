// SPDX-License-Identifier: GPL-2.0
/*
 * p11-setup: the test token's known state, through the PKCS#11 module.
 *
 *   p11-setup
 *	C_InitToken (SO PIN, label "khsm selftest"), C_InitPIN (user PIN);
 *	prints the token's slot ID.
 *   p11-setup import KEYTYPE LABEL IDHEX VALUEHEX
 *	a token secret key (KEYTYPE aes or generic) with a known value, every
 *	usage allowed, not sensitive, extractable: for the client tests that
 *	compare with openssl (pkcs11-tool 0.23 cannot write generic keys).
 */
#include <stdio.h>
#include <string.h>
#include "p11.h"

static CK_RV import(char **argv)
{
	unsigned char id[64], val[256];
	CK_OBJECT_HANDLE h;
	CK_SESSION_HANDLE s;
	CK_SLOT_ID slot;
	struct p11_tmpl t;
	CK_RV rv;

	t_init(&t);
	t_ulong(&t, CKA_CLASS, CKO_SECRET_KEY);
	t_ulong(&t, CKA_KEY_TYPE,
		strcmp(argv[0], "aes") ? CKK_GENERIC_SECRET : CKK_AES);
	t_str(&t, CKA_LABEL, argv[1]);
	t_bytes(&t, CKA_ID, id, p11_unhex(argv[2], id, sizeof(id)));
	t_bytes(&t, CKA_VALUE, val, p11_unhex(argv[3], val, sizeof(val)));
	t_bool(&t, CKA_TOKEN, CK_TRUE);
	t_bool(&t, CKA_PRIVATE, CK_TRUE);
	t_bool(&t, CKA_SENSITIVE, CK_FALSE);
	t_bool(&t, CKA_EXTRACTABLE, CK_TRUE);
	t_bool(&t, CKA_ENCRYPT, !strcmp(argv[0], "aes"));
	t_bool(&t, CKA_DECRYPT, !strcmp(argv[0], "aes"));
	t_bool(&t, CKA_SIGN, CK_TRUE);
	t_bool(&t, CKA_VERIFY, CK_TRUE);
	rv = p11->C_Initialize(NULL);
	if (rv == CKR_OK)
		rv = p11_slot(&slot);
	if (rv == CKR_OK)
		rv = p11_open(slot, 1, &s);
	if (rv == CKR_OK)
		rv = p11_login(s, CKU_USER);
	if (rv == CKR_OK)
		rv = p11->C_CreateObject(s, t.a, t.n, &h);
	return rv;
}

int main(int argc, char **argv)
{
	char err[512];
	CK_SLOT_ID slot;
	CK_RV rv;

	if (p11_load(err, sizeof(err))) {
		fprintf(stderr, "p11-setup: %s\n", err);
		return 1;
	}
	if (argc == 6 && !strcmp(argv[1], "import")) {
		rv = import(argv + 2);
	} else if (argc == 1) {
		rv = p11_token_reset();
		if (rv == CKR_OK)
			rv = p11_slot(&slot);
		if (rv == CKR_OK)
			printf("%lu\n", slot);
	} else {
		fprintf(stderr, "usage: p11-setup "
			"[import aes|generic LABEL IDHEX VALUEHEX]\n");
		return 2;
	}
	p11->C_Finalize(NULL);
	if (rv != CKR_OK) {
		fprintf(stderr, "p11-setup: %s\n", khsm_rv_name(rv));
		return 1;
	}
	return 0;
}
