// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Checks of the paths khsm-pkcs11.so builds itself on top of /dev/hsm:
 * NULL-argument precedence and operation termination (p11_args_bad), the
 * dual-function updates, the splitting of long updates and random
 * requests, the message API plumbing, C_SessionCancel's flag mapping, the
 * functions with no mechanism, and fork with open sessions.  Needs
 * /dev/hsm (skips without it) and REINITIALIZES ITS TOKEN.
 *
 *   ./test-ops [path/to/khsm-pkcs11.so]
 *
 * Known-answer vectors, sources named: NIST SP 800-38A F.2.1 (CBC-AES128),
 * RFC 4231 test case 1 (HMAC-SHA-256), McGrew & Viega "The Galois/Counter
 * Mode of Operation" test case 4 (GCM-AES128).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pkcs11_30.h"
#include "tap.h"

static CK_FUNCTION_LIST_3_0_PTR f;

/*
 * The SO PIN the other suites use (selftests/pkcs11, selftests/clients), so
 * that they can reinitialize the token after this program without a module
 * reload.
 */
#define SO_PIN		(getenv("KHSM_TEST_SO_PIN") ?: "khsm-test-so-pin")
#define USER_PIN	"test-ops-user-pin"

static const CK_BYTE cbc_key[16] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const CK_BYTE cbc_iv[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const CK_BYTE cbc_pt[32] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
	0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
	0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
	0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51 };
static const CK_BYTE cbc_ct[32] = {
	0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
	0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
	0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee,
	0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2 };

static const CK_BYTE hmac_data[8] = "Hi There";
static const CK_BYTE hmac_mac[32] = {
	0xb0, 0x34, 0x4c, 0x61, 0xd8, 0xdb, 0x38, 0x53,
	0x5c, 0xa8, 0xaf, 0xce, 0xaf, 0x0b, 0xf1, 0x2b,
	0x88, 0x1d, 0xc2, 0x00, 0xc9, 0x83, 0x3d, 0xa7,
	0x26, 0xe9, 0x37, 0x6c, 0x2e, 0x32, 0xcf, 0xf7 };

static const CK_BYTE gcm_key[16] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08 };
static const CK_BYTE gcm_iv[12] = {
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88 };
static const CK_BYTE gcm_aad[20] = {
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef,
	0xab, 0xad, 0xda, 0xd2 };
static const CK_BYTE gcm_pt[60] = {
	0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5,
	0xa5, 0x59, 0x09, 0xc5, 0xaf, 0xf5, 0x26, 0x9a,
	0x86, 0xa7, 0xa9, 0x53, 0x15, 0x34, 0xf7, 0xda,
	0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31, 0x8a, 0x72,
	0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53,
	0x2f, 0xcf, 0x0e, 0x24, 0x49, 0xa6, 0xb5, 0x25,
	0xb1, 0x6a, 0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57,
	0xba, 0x63, 0x7b, 0x39 };
static const CK_BYTE gcm_ct[60] = {
	0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24,
	0x4b, 0x72, 0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c,
	0xe3, 0xaa, 0x21, 0x2f, 0x2c, 0x02, 0xa4, 0xe0,
	0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac, 0xa1, 0x2e,
	0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c,
	0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05,
	0x1b, 0xa3, 0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97,
	0x3d, 0x58, 0xe0, 0x91 };
static const CK_BYTE gcm_tag[16] = {
	0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb,
	0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47 };

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_OBJECT_CLASS secret = CKO_SECRET_KEY;

static CK_OBJECT_HANDLE make_key(CK_SESSION_HANDLE s, CK_KEY_TYPE kt,
				 const CK_BYTE *val, CK_ULONG len)
{
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &secret, sizeof(secret) },
		{ CKA_KEY_TYPE, &kt, sizeof(kt) },
		{ CKA_TOKEN, &no, 1 },
		{ CKA_VALUE, (void *)val, len },
		{ CKA_ENCRYPT, &yes, 1 },
		{ CKA_DECRYPT, &yes, 1 },
		{ CKA_SIGN, &yes, 1 },
		{ CKA_VERIFY, &yes, 1 },
	};
	CK_OBJECT_HANDLE h = 0;
	CK_ULONG n = sizeof(t) / sizeof(t[0]);

	/* AES keys carry no CKA_SIGN/VERIFY use here; keep the template valid */
	CHECK_RV(f->C_CreateObject(s, t, kt == CKK_AES ? n - 2 : n, &h),
		 CKR_OK);
	return h;
}

static CK_SESSION_HANDLE setup(void)
{
	CK_UTF8CHAR label[32];
	CK_SESSION_HANDLE s = 0;

	memset(label, ' ', sizeof(label));
	memcpy(label, "test-ops", 8);
	CHECK_RV(f->C_Initialize(NULL), CKR_OK);
	CHECK_RV(f->C_InitToken(0, (CK_UTF8CHAR_PTR)SO_PIN, strlen(SO_PIN),
				label), CKR_OK);
	CHECK_RV(f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION,
				  NULL, NULL, &s), CKR_OK);
	CHECK_RV(f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR)SO_PIN,
			    strlen(SO_PIN)), CKR_OK);
	CHECK_RV(f->C_InitPIN(s, (CK_UTF8CHAR_PTR)USER_PIN, strlen(USER_PIN)),
		 CKR_OK);
	CHECK_RV(f->C_Logout(s), CKR_OK);
	CHECK_RV(f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)USER_PIN,
			    strlen(USER_PIN)), CKR_OK);
	return s;
}

static void test_session_info(CK_SESSION_HANDLE s)
{
	CK_SESSION_INFO si;

	memset(&si, 0xa5, sizeof(si));
	CHECK_RV(f->C_GetSessionInfo(s, &si), CKR_OK);
	CHECK(si.slotID == 0 && si.state == CKS_RW_USER_FUNCTIONS &&
	      (si.flags & CKF_SERIAL_SESSION) && (si.flags & CKF_RW_SESSION),
	      "session info: slot 0, R/W user functions");
	CHECK_RV(f->C_GetSessionInfo(s + 1000, NULL),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_GetSessionInfo(s, NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_GetFunctionStatus(s), CKR_FUNCTION_NOT_PARALLEL);
	CHECK_RV(f->C_CancelFunction(s + 1000), CKR_SESSION_HANDLE_INVALID);
}

static void test_hmac(CK_SESSION_HANDLE s)
{
	CK_BYTE key[20], mac[32];
	CK_MECHANISM m = { CKM_SHA256_HMAC, NULL, 0 };
	CK_MECHANISM gen = { CKM_GENERIC_SECRET_KEY_GEN, NULL, 0 };
	CK_ULONG len = sizeof(mac), vlen = 32;
	CK_ATTRIBUTE t[] = {
		{ CKA_CLASS, &secret, sizeof(secret) },
		{ CKA_VALUE_LEN, &vlen, sizeof(vlen) },
		{ CKA_TOKEN, &no, 1 },
	};
	CK_OBJECT_HANDLE k;

	memset(key, 0x0b, sizeof(key));
	k = make_key(s, CKK_GENERIC_SECRET, key, sizeof(key));
	CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
	CHECK_RV(f->C_Sign(s, (CK_BYTE_PTR)hmac_data, sizeof(hmac_data), mac,
			   &len), CKR_OK);
	CHECK(len == 32 && !memcmp(mac, hmac_mac, 32),
	      "HMAC-SHA-256 of RFC 4231 case 1");
	CHECK_RV(f->C_VerifyInit(s, &m, k), CKR_OK);
	CHECK_RV(f->C_Verify(s, (CK_BYTE_PTR)hmac_data, sizeof(hmac_data),
			     mac, len), CKR_OK);
	CHECK_RV(f->C_GenerateKey(s, &gen, t, 3, &k), CKR_OK);
	CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
	len = sizeof(mac);
	CHECK_RV(f->C_Sign(s, (CK_BYTE_PTR)hmac_data, sizeof(hmac_data), mac,
			   &len), CKR_OK);
}

/* NULL pointers: the session error first, and the operation ends */
static void test_null_args(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
	CK_MECHANISM m = { CKM_AES_CBC, (void *)cbc_iv, sizeof(cbc_iv) };
	CK_MECHANISM sha = { CKM_SHA256, NULL, 0 };
	CK_BYTE out[64];
	CK_ULONG len;

	CHECK_RV(f->C_Encrypt(s + 1000, (CK_BYTE_PTR)cbc_pt, 32, out, NULL),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_EncryptInit(s + 1000, NULL, aes),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_EncryptInit(s, NULL, aes), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	CHECK_RV(f->C_Encrypt(s, (CK_BYTE_PTR)cbc_pt, 32, out, NULL),
		 CKR_ARGUMENTS_BAD);
	/* C_Encrypt's failure ended the operation */
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	CHECK_RV(f->C_EncryptUpdate(s, NULL, 16, out, &len),
		 CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	len = sizeof(out);
	CHECK_RV(f->C_Encrypt(s, (CK_BYTE_PTR)cbc_pt, 32, out, &len), CKR_OK);
	CHECK(len == 32 && !memcmp(out, cbc_ct, 32), "AES-CBC of SP 800-38A");

	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	CHECK_RV(f->C_DigestFinal(s, out, NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_DigestFinal(s, out, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_FindObjects(s, NULL, 1, &len), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_FindObjects(s + 1000, NULL, 1, &len),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_CreateObject(s, NULL, 2, NULL), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_GenerateRandom(s, NULL, 16), CKR_ARGUMENTS_BAD);
}

/* Long updates are split by the library; the result must not change. */
static void test_long_update(CK_SESSION_HANDLE s)
{
	CK_ULONG big = 3 * 1024 * 1024 + 17, i, len1 = 32, len2 = 32;
	CK_MECHANISM sha = { CKM_SHA256, NULL, 0 };
	CK_BYTE *buf = malloc(big), d1[32], d2[32];

	for (i = 0; i < big; i++)
		buf[i] = (CK_BYTE)(i * 7 + (i >> 13));
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	CHECK_RV(f->C_DigestUpdate(s, buf, big), CKR_OK);
	CHECK_RV(f->C_DigestFinal(s, d1, &len1), CKR_OK);
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	for (i = 0; i < big; i += 65536) {
		CK_ULONG n = big - i < 65536 ? big - i : 65536;

		if (f->C_DigestUpdate(s, buf + i, n) != CKR_OK)
			break;
	}
	CHECK(i >= big, "digest in 64 KiB parts");
	CHECK_RV(f->C_DigestFinal(s, d2, &len2), CKR_OK);
	CHECK(len1 == 32 && !memcmp(d1, d2, 32),
	      "a 3 MiB update equals its parts");
	free(buf);

	buf = calloc(1, 200000);
	CHECK_RV(f->C_GenerateRandom(s, buf, 200000), CKR_OK);
	for (i = 0; i < 64 && !buf[200000 - 1 - i]; i++)
		;
	CHECK(i < 64, "random beyond the first kernel call is filled");
	CHECK_RV(f->C_SeedRandom(s, buf, 200000), CKR_OK);
	free(buf);
}

static void test_dual(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
	CK_MECHANISM m = { CKM_AES_CBC, (void *)cbc_iv, sizeof(cbc_iv) };
	CK_MECHANISM sha = { CKM_SHA256, NULL, 0 };
	CK_BYTE buf[32], want[32], got[32], out[16];
	CK_ULONG len = 32, dl = 32;

	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	CHECK_RV(f->C_Digest(s, (CK_BYTE_PTR)cbc_pt, 32, want, &dl), CKR_OK);

	/* digest not active: nothing consumed, the encryption goes on */
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	memcpy(buf, cbc_pt, 32);
	CHECK_RV(f->C_DigestEncryptUpdate(s, buf, 32, buf, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	/* a length query too: the digest is not active */
	CHECK_RV(f->C_DigestEncryptUpdate(s, buf, 32, NULL, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	len = 8;
	CHECK_RV(f->C_DigestEncryptUpdate(s, buf, 32, buf, &len),
		 CKR_BUFFER_TOO_SMALL);
	CHECK(len == 32, "dual: BUFFER_TOO_SMALL gives the length");
	CHECK_RV(f->C_DigestEncryptUpdate(s, buf, 32, NULL, &len), CKR_OK);
	CHECK_RV(f->C_DigestEncryptUpdate(s, buf, 32, buf, &len), CKR_OK);
	CHECK(len == 32 && !memcmp(buf, cbc_ct, 32),
	      "C_DigestEncryptUpdate in place: the ciphertext");
	len = sizeof(out);
	CHECK_RV(f->C_EncryptFinal(s, out, &len), CKR_OK);
	dl = 32;
	CHECK_RV(f->C_DigestFinal(s, got, &dl), CKR_OK);
	CHECK(dl == 32 && !memcmp(got, want, 32),
	      "C_DigestEncryptUpdate digested the plaintext once");

	CHECK_RV(f->C_DecryptInit(s, &m, aes), CKR_OK);
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	len = 32;
	CHECK_RV(f->C_DecryptDigestUpdate(s, buf, 32, buf, &len), CKR_OK);
	CHECK(len == 32 && !memcmp(buf, cbc_pt, 32),
	      "C_DecryptDigestUpdate: the plaintext");
	len = sizeof(out);
	CHECK_RV(f->C_DecryptFinal(s, out, &len), CKR_OK);
	dl = 32;
	CHECK_RV(f->C_DigestFinal(s, got, &dl), CKR_OK);
	CHECK(dl == 32 && !memcmp(got, want, 32),
	      "C_DecryptDigestUpdate digested the plaintext");
}

static void test_message(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE k)
{
	CK_MECHANISM m = { CKM_AES_GCM, NULL, 0 };
	CK_BYTE iv[12], tag[16], out[64];
	CK_GCM_MESSAGE_PARAMS p = {
		iv, sizeof(iv), 0, CKG_NO_GENERATE, tag, 128 };
	CK_ULONG len = sizeof(out);

	memcpy(iv, gcm_iv, sizeof(iv));
	CHECK_RV(f->C_EncryptMessage(s, &p, sizeof(p), (CK_BYTE_PTR)gcm_aad,
				     20, (CK_BYTE_PTR)gcm_pt, 60, out, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_MessageEncryptInit(s, &m, k), CKR_OK);
	CHECK_RV(f->C_EncryptMessageBegin(s, &p, sizeof(p), NULL, 0),
		 CKR_FUNCTION_NOT_SUPPORTED);
	CHECK_RV(f->C_EncryptMessage(s, &p, sizeof(p), (CK_BYTE_PTR)gcm_aad,
				     20, (CK_BYTE_PTR)gcm_pt, 60, out, NULL),
		 CKR_ARGUMENTS_BAD);
	len = sizeof(out);
	CHECK_RV(f->C_EncryptMessage(s, &p, sizeof(p), (CK_BYTE_PTR)gcm_aad,
				     20, (CK_BYTE_PTR)gcm_pt, 60, out, &len),
		 CKR_OK);
	CHECK(len == 60 && !memcmp(out, gcm_ct, 60) &&
	      !memcmp(tag, gcm_tag, 16),
	      "C_EncryptMessage: GCM test case 4 (a failed message did not "
	      "end the process)");
	CHECK_RV(f->C_MessageEncryptFinal(s), CKR_OK);
	CHECK_RV(f->C_MessageEncryptFinal(s), CKR_OPERATION_NOT_INITIALIZED);

	CHECK_RV(f->C_MessageDecryptInit(s, &m, k), CKR_OK);
	tag[0] ^= 1;
	len = sizeof(out);
	CHECK_RV(f->C_DecryptMessage(s, &p, sizeof(p), (CK_BYTE_PTR)gcm_aad,
				     20, (CK_BYTE_PTR)gcm_ct, 60, out, &len),
		 CKR_AEAD_DECRYPT_FAILED);
	tag[0] ^= 1;
	len = sizeof(out);
	CHECK_RV(f->C_DecryptMessage(s, &p, sizeof(p), (CK_BYTE_PTR)gcm_aad,
				     20, (CK_BYTE_PTR)gcm_ct, 60, out, &len),
		 CKR_OK);
	CHECK(len == 60 && !memcmp(out, gcm_pt, 60),
	      "C_DecryptMessage: GCM test case 4");
	CHECK_RV(f->C_DecryptMessageNext(s, &p, sizeof(p), NULL, 0, NULL,
					 &len, CKF_END_OF_MESSAGE),
		 CKR_FUNCTION_NOT_SUPPORTED);
	CHECK_RV(f->C_MessageDecryptFinal(s), CKR_OK);
}

static void test_cancel(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
	CK_MECHANISM m = { CKM_AES_CBC, (void *)cbc_iv, sizeof(cbc_iv) };
	CK_MECHANISM sha = { CKM_SHA256, NULL, 0 };

	CHECK_RV(f->C_SessionCancel(s, 0), CKR_OK);
	CHECK_RV(f->C_SessionCancel(s + 1000, CKF_ENCRYPT),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OK);
	CHECK_RV(f->C_FindObjectsInit(s, NULL, 0), CKR_OK);
	CHECK_RV(f->C_SessionCancel(s, CKF_ENCRYPT | CKF_FIND_OBJECTS |
				       CKF_SIGN_RECOVER), CKR_OK);
	CHECK_RV(f->C_EncryptInit(s, &m, aes), CKR_OK);
	CHECK_RV(f->C_FindObjectsInit(s, NULL, 0), CKR_OK);
	CHECK_RV(f->C_DigestInit(s, &sha), CKR_OPERATION_ACTIVE);
	CHECK_RV(f->C_SessionCancel(s, CKF_ENCRYPT | CKF_DIGEST |
				       CKF_FIND_OBJECTS), CKR_OK);
	CHECK_RV(f->C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
}

static void test_no_mechanism(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE aes)
{
	CK_MECHANISM m = { CKM_RSA_PKCS, NULL, 0 };
	CK_MECHANISM ec = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_OBJECT_HANDLE a, b;
	CK_BYTE buf[16];
	CK_ULONG len = sizeof(buf);

	CHECK_RV(f->C_SignRecoverInit(s, &m, aes), CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_SignRecoverInit(s, NULL, aes), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_SignRecoverInit(s + 1000, &m, aes),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_SignRecover(s, buf, 1, buf, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_VerifyRecoverInit(s, &m, aes), CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_VerifyRecover(s, buf, 1, buf, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_GenerateKeyPair(s, &ec, NULL, 0, NULL, 0, &a, &b),
		 CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_GenerateKeyPair(s, &ec, NULL, 0, NULL, 0, &a, NULL),
		 CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_WrapKey(s, &m, aes, aes, NULL, &len),
		 CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_UnwrapKey(s, &m, aes, buf, 16, NULL, 0, &a),
		 CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_DeriveKey(s, &m, aes, NULL, 0, &a),
		 CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_DeriveKey(s + 1000, &m, aes, NULL, 0, &a),
		 CKR_SESSION_HANDLE_INVALID);
	CHECK_RV(f->C_MessageSignInit(s, &m, aes), CKR_MECHANISM_INVALID);
	CHECK_RV(f->C_SignMessage(s, NULL, 0, buf, 1, buf, &len),
		 CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_MessageVerifyFinal(s), CKR_OPERATION_NOT_INITIALIZED);
	CHECK_RV(f->C_GetOperationState(s, NULL, &len),
		 CKR_FUNCTION_NOT_SUPPORTED);
}

/* A child has its own application context; the parent's stays. */
static void test_fork(CK_SESSION_HANDLE s)
{
	CK_SESSION_INFO si;
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		CK_SESSION_HANDLE c;
		int bad = 0;

		bad |= f->C_GetSessionInfo(s, &si) !=
		       CKR_CRYPTOKI_NOT_INITIALIZED;
		bad |= (f->C_Initialize(NULL) != CKR_OK) << 1;
		bad |= (f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL,
					 &c) != CKR_OK) << 2;
		bad |= (f->C_GetSessionInfo(c, &si) != CKR_OK ||
			si.state != CKS_RO_PUBLIC_SESSION) << 3;
		bad |= (f->C_Finalize(NULL) != CKR_OK) << 4;
		_exit(bad);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child: not initialized, then its own public session (%d)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK_RV(f->C_GetSessionInfo(s, &si), CKR_OK);
	CHECK(si.state == CKS_RW_USER_FUNCTIONS,
	      "the parent is still logged in after the child");
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./khsm-pkcs11.so";
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	CK_VERSION v30 = { 3, 0 };
	CK_C_GetInterface gi;
	CK_INTERFACE_PTR ifc;
	CK_OBJECT_HANDLE aes, gcm;
	CK_SESSION_HANDLE s;
	CK_RV rv;

	if (access("/dev/hsm", F_OK)) {
		printf("1..0 # SKIP no /dev/hsm\n");
		return 0;
	}
	if (!lib) {
		printf("Bail out! %s\n", dlerror());
		return 1;
	}
	gi = (CK_C_GetInterface)dlsym(lib, "C_GetInterface");
	if (!gi || gi((CK_UTF8CHAR_PTR)"PKCS 11", &v30, &ifc, 0) != CKR_OK) {
		printf("Bail out! no PKCS 11 3.0 interface\n");
		return 1;
	}
	f = ifc->pFunctionList;
	s = setup();
	aes = make_key(s, CKK_AES, cbc_key, sizeof(cbc_key));
	gcm = make_key(s, CKK_AES, gcm_key, sizeof(gcm_key));
	test_session_info(s);
	test_hmac(s);
	test_null_args(s, aes);
	test_long_update(s);
	test_dual(s, aes);
	test_message(s, gcm);
	test_cancel(s, aes);
	test_no_mechanism(s, aes);
	test_fork(s);
	rv = f->C_Login(s, CKU_USER, NULL, 0);
	CHECK(rv == CKR_USER_ALREADY_LOGGED_IN || rv == CKR_ARGUMENTS_BAD,
	      "C_Login(NULL PIN) when logged in (got 0x%lx)", rv);
	CHECK_RV(f->C_Logout(s), CKR_OK);
	CHECK_RV(f->C_Login(s, CKU_USER, NULL, 0), CKR_ARGUMENTS_BAD);
	CHECK_RV(f->C_Finalize(NULL), CKR_OK);
	dlclose(lib);
	return tap_done();
}
