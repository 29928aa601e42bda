// SPDX-License-Identifier: GPL-2.0
/*
 * The khsm crypto API registrations through AF_ALG, with libkcapi's C API.
 *
 *   kcapi_test                 run every test (TAP; last line "N passed, ...")
 *   kcapi_test hold aead|hash NAME [HEXKEY]
 *                              keep one transform of NAME allocated (and
 *                              keyed) until stdin closes; for run.sh
 *
 * Known answers:
 *  - GCM: "The Galois/Counter Mode of Operation (GCM)", McGrew & Viega,
 *    test cases 1-4, 7, 10, 13-16 (the vectors NIST SP 800-38D refers
 *    to).  The rfc4106 vector is test case 3's key, salt+IV and plaintext
 *    with 8 bytes of AAD; its tag was computed independently (Python
 *    cryptography's AESGCM) and is also checked against rfc4106-gcm-aesni.
 *  - HMAC: RFC 4231 test cases 1, 2, 3, 4, 6, 7.
 * Raw keys go to gcm-aes-khsm, rfc4106-gcm-aes-khsm, hmac-sha*-khsm by
 * driver name; HSM-resident keys are key objects created from the same
 * key bytes, whose key tokens go to gcm(khsm-aes) / hmac(khsm-sha*).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_alg.h>
#include <kcapi.h>

#include "kk.h"

static int passed, failed, skipped, tno;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - # SKIP ", ++tno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	skipped++;
}

/* ---- vectors ----------------------------------------------------------- */

struct gcm_vec {
	const char *name, *key, *iv, *aad, *pt, *ct, *tag;
};

#define TC3_K	"feffe9928665731c6d6a8f9467308308"
#define TC3_IV	"cafebabefacedbaddecaf888"
#define TC3_A	"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define TC3_P60	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da" \
		"2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525" \
		"b16aedf5aa0de657ba637b39"
#define TC3_P	TC3_P60 "1aafd255"
#define Z16	"00000000000000000000000000000000"
#define Z12	"000000000000000000000000"

static const struct gcm_vec gcm_vecs[] = {
	{ "TC1", Z16, Z12, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "TC2", Z16, Z12, "", Z16, "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ "TC3", TC3_K, TC3_IV, "", TC3_P,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "TC4", TC3_K, TC3_IV, TC3_A, TC3_P60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "TC7", Z16 "0000000000000000", Z12, "", "", "",
	  "cd33b28ac773f74ba00ed1f312572435" },
	{ "TC10", TC3_K "feffe9928665731c", TC3_IV, TC3_A, TC3_P60,
	  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
	  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
	  "2519498e80f1478f37ba55bd6d27618c" },
	{ "TC13", Z16 Z16, Z12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "TC14", Z16 Z16, Z12, "", Z16, "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ "TC15", TC3_K TC3_K, TC3_IV, "", TC3_P,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ "TC16", TC3_K TC3_K, TC3_IV, TC3_A, TC3_P60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* rfc4106: key || salt, 8-byte IV, AAD = 8 bytes || IV (assoclen 16) */
static const struct gcm_vec rfc4106_vec = {
	"TC3 key/nonce, 8-byte AAD", TC3_K "cafebabe", "facedbaddecaf888",
	"feedfacedeadbeef" "facedbaddecaf888", TC3_P,
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	"44647a6b91670257aca74f1bf211b194",
};

struct hmac_vec {
	const char *name, *key, *data, *mac;
	size_t keyrep, datarep;	/* key/data = one byte repeated, or 0 */
};

static const struct hmac_vec hmac256_vecs[] = {
	{ "RFC4231 TC1", "0b", "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  20, 0 },
	{ "RFC4231 TC2", "Jefe", "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  0, 0 },
	{ "RFC4231 TC3", "aa", "dd",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	  20, 50 },
	{ "RFC4231 TC4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cd",
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	  0, 50 },
	{ "RFC4231 TC6", "aa",
	  "Test Using Larger Than Block-Size Key - Hash Key First",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	  131, 0 },
	{ "RFC4231 TC7", "aa",
	  "This is a test using a larger than block-size key and a larger "
	  "than block-size data. The key needs to be hashed before being "
	  "used by the HMAC algorithm.",
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	  131, 0 },
};

static const struct hmac_vec hmac384_vecs[] = {
	{ "RFC4231 TC1", "0b", "Hi There",
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
	  "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6", 20, 0 },
	{ "RFC4231 TC2", "Jefe", "what do ya want for nothing?",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
	  "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649", 0, 0 },
};

static const struct hmac_vec hmac512_vecs[] = {
	{ "RFC4231 TC1", "0b", "Hi There",
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
	  20, 0 },
	{ "RFC4231 TC2", "Jefe", "what do ya want for nothing?",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	  0, 0 },
};

/* Binary form of a vector */
struct bin {
	uint8_t key[256], iv[16], aad[64], pt[256], ct[256], tag[16];
	size_t keylen, ivlen, aadlen, ptlen, taglen;
};

static size_t unhex(const char *h, uint8_t *out, size_t max)
{
	long n = kk_unhex(h, out, max);

	if (n < 0) {
		fprintf(stderr, "bad vector hex: %s\n", h);
		exit(2);
	}
	return (size_t)n;
}

static void gcm_bin(const struct gcm_vec *v, struct bin *b)
{
	memset(b, 0, sizeof(*b));
	b->keylen = unhex(v->key, b->key, sizeof(b->key));
	b->ivlen = unhex(v->iv, b->iv, sizeof(b->iv));
	b->aadlen = unhex(v->aad, b->aad, sizeof(b->aad));
	b->ptlen = unhex(v->pt, b->pt, sizeof(b->pt));
	unhex(v->ct, b->ct, sizeof(b->ct));
	b->taglen = unhex(v->tag, b->tag, sizeof(b->tag));
}

/* RFC 4231 writes some keys and data as one byte repeated */
static size_t hmac_field(const char *s, size_t rep, uint8_t *out, size_t max)
{
	uint8_t byte;

	if (!rep) {
		size_t n = strlen(s);

		if (n > max)
			exit(2);
		/* hex if it looks like hex and is long, else text */
		if (n > 8 && n % 2 == 0 && kk_unhex(s, out, max) >= 0)
			return n / 2;
		memcpy(out, s, n);
		return n;
	}
	unhex(s, &byte, 1);
	memset(out, byte, rep);
	return rep;
}

/* ---- AEAD over AF_ALG -------------------------------------------------- */

/*
 * One AEAD operation: encrypt b's plaintext (or decrypt its ciphertext and
 * tag) with @key under @alg.  Returns the libkcapi result (bytes or
 * -errno) and leaves the output, past the AAD, in @out.
 */
static ssize_t aead_op(const char *alg, const uint8_t *key, size_t keylen,
		       const struct bin *b, int enc, int flip, uint8_t *out)
{
	struct kcapi_handle *h;
	uint8_t in[512], res[512];
	size_t inlen, outlen;
	ssize_t ret;

	ret = kcapi_aead_init(&h, alg, 0);
	if (ret)
		return ret;
	ret = kcapi_aead_setkey(h, key, (uint32_t)keylen);
	if (ret)
		goto out;
	ret = kcapi_aead_settaglen(h, (uint32_t)b->taglen);
	if (ret)
		goto out;
	kcapi_aead_setassoclen(h, b->aadlen);

	memcpy(in, b->aad, b->aadlen);
	if (enc) {
		memcpy(in + b->aadlen, b->pt, b->ptlen);
		inlen = b->aadlen + b->ptlen;
		outlen = inlen + b->taglen;
	} else {
		memcpy(in + b->aadlen, b->ct, b->ptlen);
		memcpy(in + b->aadlen + b->ptlen, b->tag, b->taglen);
		inlen = b->aadlen + b->ptlen + b->taglen;
		outlen = b->aadlen + b->ptlen;
		if (flip)
			in[inlen - 1 - (flip > 1 ? b->taglen : 0)] ^= 1;
	}
	memset(res, 0, sizeof(res));
	ret = enc ? kcapi_aead_encrypt(h, in, inlen, b->iv, res, outlen,
				       KCAPI_ACCESS_HEURISTIC) :
		    kcapi_aead_decrypt(h, in, inlen, b->iv, res, outlen,
				       KCAPI_ACCESS_HEURISTIC);
	if (ret >= 0)
		memcpy(out, res + b->aadlen, outlen - b->aadlen);
out:
	kcapi_aead_destroy(h);
	return ret;
}

/* encrypt and decrypt KAT, tag and ciphertext tampering */
static void aead_kat(const char *alg, const uint8_t *key, size_t keylen,
		     const struct bin *b, const char *vname)
{
	uint8_t out[512];
	ssize_t ret;

	ret = aead_op(alg, key, keylen, b, 1, 0, out);
	check(ret >= 0 && !memcmp(out, b->ct, b->ptlen) &&
	      !memcmp(out + b->ptlen, b->tag, b->taglen),
	      "%s %s: encrypt gives the known ciphertext and tag (%zd)",
	      alg, vname, ret);
	ret = aead_op(alg, key, keylen, b, 0, 0, out);
	check(ret >= 0 && !memcmp(out, b->pt, b->ptlen),
	      "%s %s: decrypt gives the known plaintext (%zd)", alg, vname,
	      ret);
	/* (AF_ALG does not run a decryption that has no output at all) */
	if (b->aadlen + b->ptlen) {
		ret = aead_op(alg, key, keylen, b, 0, 1, out);
		check(ret == -EBADMSG,
		      "%s %s: a flipped tag bit gives EBADMSG (%zd)", alg,
		      vname, ret);
	}
	if (b->ptlen) {
		ret = aead_op(alg, key, keylen, b, 0, 2, out);
		check(ret == -EBADMSG,
		      "%s %s: a flipped ciphertext bit gives EBADMSG (%zd)",
		      alg, vname, ret);
	}
}

static int aead_encrypt_once(const char *alg, const uint8_t *key,
			     size_t keylen)
{
	struct bin b;
	uint8_t out[512];

	gcm_bin(&gcm_vecs[2], &b);
	return (int)aead_op(alg, key, keylen, &b, 1, 0, out);
}

/* ---- hash over AF_ALG -------------------------------------------------- */

static ssize_t mac_op(const char *alg, const uint8_t *key, size_t keylen,
		      const uint8_t *data, size_t len, size_t split,
		      uint8_t *mac, size_t maclen)
{
	struct kcapi_handle *h;
	ssize_t ret;

	ret = kcapi_md_init(&h, alg, 0);
	if (ret)
		return ret;
	ret = kcapi_md_setkey(h, key, (uint32_t)keylen);
	if (ret)
		goto out;
	if (!split) {
		ret = kcapi_md_digest(h, data, len, mac, maclen);
	} else {
		size_t off;

		for (off = 0; off < len && ret >= 0; off += split)
			ret = kcapi_md_update(h, data + off,
					      len - off < split ? len - off :
								  split);
		if (ret >= 0)
			ret = kcapi_md_final(h, mac, maclen);
	}
out:
	kcapi_md_destroy(h);
	return ret;
}

static void hmac_kat(const char *alg, const uint8_t *key, size_t keylen,
		     const struct hmac_vec *v, size_t split)
{
	uint8_t data[256], mac[64], want[64];
	size_t len = hmac_field(v->data, v->datarep, data, sizeof(data));
	size_t maclen = unhex(v->mac, want, sizeof(want));
	ssize_t ret;

	ret = mac_op(alg, key, keylen, data, len, split, mac, maclen);
	check(ret == (ssize_t)maclen && !memcmp(mac, want, maclen),
	      "%s %s%s: known MAC (%zd)", alg, v->name,
	      split ? " in pieces" : "", ret);
}

static void hmac_kats(const char *alg, const struct hmac_vec *v, size_t n)
{
	uint8_t key[256];
	size_t i, keylen;

	for (i = 0; i < n; i++) {
		keylen = hmac_field(v[i].key, v[i].keyrep, key, sizeof(key));
		hmac_kat(alg, key, keylen, &v[i], 0);
		if (i == n - 1)
			hmac_kat(alg, key, keylen, &v[i], 7);
	}
}

/* ---- raw keys ---------------------------------------------------------- */

static void test_raw(void)
{
	uint8_t a[4096 + 64], c[4096 + 64];
	struct bin b;
	size_t i;

	for (i = 0; i < sizeof(gcm_vecs) / sizeof(gcm_vecs[0]); i++) {
		gcm_bin(&gcm_vecs[i], &b);
		aead_kat("gcm-aes-khsm", b.key, b.keylen, &b, gcm_vecs[i].name);
	}

	gcm_bin(&rfc4106_vec, &b);
	aead_kat("rfc4106-gcm-aes-khsm", b.key, b.keylen, &b, rfc4106_vec.name);
	aead_kat("rfc4106(gcm(aes))", b.key, b.keylen, &b,
		 "(the kernel's own, same vector)");

	/* a page of data: khsm and the kernel's own agree */
	memset(&b, 0, sizeof(b));
	gcm_bin(&gcm_vecs[3], &b);
	{
		struct kcapi_handle *h1, *h2;
		ssize_t r1 = -1, r2 = -1;

		for (i = 0; i < sizeof(a); i++)
			a[i] = (uint8_t)(i * 7 + 3);
		if (!kcapi_aead_init(&h1, "gcm-aes-khsm", 0)) {
			kcapi_aead_setkey(h1, b.key, (uint32_t)b.keylen);
			kcapi_aead_settaglen(h1, 16);
			kcapi_aead_setassoclen(h1, 20);
			r1 = kcapi_aead_encrypt(h1, a, 4096 + 20, b.iv, c,
						4096 + 36,
						KCAPI_ACCESS_HEURISTIC);
			kcapi_aead_destroy(h1);
		}
		if (!kcapi_aead_init(&h2, "gcm(aes)", 0)) {
			kcapi_aead_setkey(h2, b.key, (uint32_t)b.keylen);
			kcapi_aead_settaglen(h2, 16);
			kcapi_aead_setassoclen(h2, 20);
			r2 = kcapi_aead_encrypt(h2, a, 4096 + 20, b.iv, a,
						4096 + 36,
						KCAPI_ACCESS_HEURISTIC);
			kcapi_aead_destroy(h2);
		}
		check(r1 == 4096 + 36 && r2 == r1 && !memcmp(a, c, (size_t)r1),
		      "gcm-aes-khsm and gcm(aes) agree on 4 KiB (%zd, %zd)",
		      r1, r2);
	}

	hmac_kats("hmac-sha256-khsm", hmac256_vecs,
		  sizeof(hmac256_vecs) / sizeof(hmac256_vecs[0]));
	hmac_kats("hmac-sha384-khsm", hmac384_vecs,
		  sizeof(hmac384_vecs) / sizeof(hmac384_vecs[0]));
	hmac_kats("hmac-sha512-khsm", hmac512_vecs,
		  sizeof(hmac512_vecs) / sizeof(hmac512_vecs[0]));
}

/* ---- HSM-resident keys -------------------------------------------------- */

struct tokkey {
	__u64 h;
	uint8_t tok[KK_TOKEN_LEN];
	CK_RV rv;		/* of create + mint */
};

static struct tokkey make_key(int fd, __u32 s, const struct kk_key *k,
			      const uint8_t *val, size_t len)
{
	struct tokkey t = { 0 };
	__u64 tl = sizeof(t.tok);

	t.rv = kk_create(fd, s, k, val, len, &t.h);
	if (t.rv == CKR_OK)
		t.rv = kk_mint(fd, s, t.h, t.tok, &tl);
	if (t.rv == CKR_OK && tl != KK_TOKEN_LEN)
		t.rv = CKR_GENERAL_ERROR;
	return t;
}

static void test_token_kats(int fd, __u32 s)
{
	static const size_t gcm_idx[] = { 2, 3, 8, 9 };	/* TC3 4 15 16 */
	struct kk_key k;
	struct tokkey t;
	uint8_t key[256];
	size_t i, keylen;
	struct bin b;

	kk_key_defaults(&k, CKK_AES);
	k.allowed = CKM_AES_GCM;
	for (i = 0; i < sizeof(gcm_idx) / sizeof(gcm_idx[0]); i++) {
		const struct gcm_vec *v = &gcm_vecs[gcm_idx[i]];

		gcm_bin(v, &b);
		t = make_key(fd, s, &k, b.key, b.keylen);
		check(t.rv == CKR_OK, "AES key object from %s's key, token (%s)",
		      v->name, khsm_rv_name(t.rv));
		if (t.rv != CKR_OK)
			continue;
		aead_kat("gcm(khsm-aes)", t.tok, sizeof(t.tok), &b, v->name);
		if (i == 0)
			aead_kat("gcm-aes-token-khsm", t.tok, sizeof(t.tok), &b,
				 v->name);
	}

	kk_key_defaults(&k, CKK_GENERIC_SECRET);
	for (i = 0; i < sizeof(hmac256_vecs) / sizeof(hmac256_vecs[0]); i++) {
		const struct hmac_vec *v = &hmac256_vecs[i];

		keylen = hmac_field(v->key, v->keyrep, key, sizeof(key));
		t = make_key(fd, s, &k, key, keylen);
		if (t.rv == CKR_ATTRIBUTE_VALUE_INVALID ||
		    t.rv == CKR_KEY_SIZE_RANGE) {
			skip("%s: a %zu-byte generic secret is refused (%s)",
			     v->name, keylen, khsm_rv_name(t.rv));
			continue;
		}
		check(t.rv == CKR_OK, "HMAC key object from %s's key, token (%s)",
		      v->name, khsm_rv_name(t.rv));
		if (t.rv != CKR_OK)
			continue;
		hmac_kat("hmac(khsm-sha256)", t.tok, sizeof(t.tok), v, 0);
		hmac_kat("hmac-sha256-token-khsm", t.tok, sizeof(t.tok), v, 5);
	}
	keylen = hmac_field(hmac512_vecs[0].key, hmac512_vecs[0].keyrep, key,
			    sizeof(key));
	t = make_key(fd, s, &k, key, keylen);
	if (t.rv == CKR_OK)
		hmac_kat("hmac(khsm-sha512)", t.tok, sizeof(t.tok),
			 &hmac512_vecs[0], 0);
	else
		check(0, "HMAC key for sha512 (%s)", khsm_rv_name(t.rv));
}

static void test_token_mint(int fd, __u32 s)
{
	uint8_t key[16] = { 1 }, tok[KK_TOKEN_LEN];
	struct kk_key k;
	__u64 h, len;
	__u32 s2;
	int fd2;
	CK_RV rv;

	kk_key_defaults(&k, CKK_AES);
	rv = kk_create(fd, s, &k, key, sizeof(key), &h);
	check(rv == CKR_OK, "mint: key object (%s)", khsm_rv_name(rv));

	len = 0;
	rv = kk_mint(fd, s, h, NULL, &len);
	check(rv == CKR_OK && len == KK_TOKEN_LEN,
	      "mint: a length query gives %d (%s, %llu)", KK_TOKEN_LEN,
	      khsm_rv_name(rv), (unsigned long long)len);
	len = KK_TOKEN_LEN - 1;
	rv = kk_mint(fd, s, h, tok, &len);
	check(rv == CKR_BUFFER_TOO_SMALL && len == KK_TOKEN_LEN,
	      "mint: a short buffer gives CKR_BUFFER_TOO_SMALL (%s)",
	      khsm_rv_name(rv));
	len = sizeof(tok);
	rv = kk_mint(fd, s, 0x7ffffff0, tok, &len);
	check(rv == CKR_KEY_HANDLE_INVALID,
	      "mint: a bad handle gives CKR_KEY_HANDLE_INVALID (%s)",
	      khsm_rv_name(rv));
	rv = kk_mint(fd, s + 1000, h, tok, &len);
	check(rv == CKR_SESSION_HANDLE_INVALID,
	      "mint: a bad session gives CKR_SESSION_HANDLE_INVALID (%s)",
	      khsm_rv_name(rv));

	k.kernel_use = 0;
	rv = kk_create(fd, s, &k, key, sizeof(key), &h);
	len = sizeof(tok);
	if (rv == CKR_OK)
		rv = kk_mint(fd, s, h, tok, &len);
	check(rv == CKR_KEY_FUNCTION_NOT_PERMITTED,
	      "mint: KERNEL_USE FALSE gives CKR_KEY_FUNCTION_NOT_PERMITTED (%s)",
	      khsm_rv_name(rv));

	kk_key_defaults(&k, CKK_AES);
	k.token = 0;
	rv = kk_create(fd, s, &k, key, sizeof(key), &h);
	if (rv == CKR_OK)
		rv = kk_mint(fd, s, h, tok, &len);
	check(rv == CKR_KEY_FUNCTION_NOT_PERMITTED,
	      "mint: a session object gives CKR_KEY_FUNCTION_NOT_PERMITTED (%s)",
	      khsm_rv_name(rv));

	/* a public key object, and an application that has not logged in */
	kk_key_defaults(&k, CKK_AES);
	k.private_obj = 0;
	rv = kk_create(fd, s, &k, key, sizeof(key), &h);
	fd2 = kt_open();
	if (rv == CKR_OK && fd2 >= 0)
		rv = kt_session(fd2, KT_RO, &s2);
	if (rv == CKR_OK && fd2 >= 0)
		rv = kk_mint(fd2, s2, h, tok, &len);
	check(rv == CKR_USER_NOT_LOGGED_IN,
	      "mint: without login gives CKR_USER_NOT_LOGGED_IN (%s)",
	      khsm_rv_name(rv));
	/* login comes before the handle: nothing about keys leaks */
	rv = CKR_GENERAL_ERROR;
	if (fd2 >= 0)
		rv = kk_mint(fd2, s2, 0x7fffff00, tok, &len);
	check(rv == CKR_USER_NOT_LOGGED_IN,
	      "mint: without login, a bad handle gives CKR_USER_NOT_LOGGED_IN (%s)",
	      khsm_rv_name(rv));
	if (fd2 >= 0)
		khsm_close(fd2);
}

static void test_token_policy(int fd, __u32 s)
{
	uint8_t key[32] = { 2 }, tok[KK_TOKEN_LEN], mac[32];
	struct kk_key k;
	struct tokkey t;
	struct bin b;
	uint8_t out[512];
	ssize_t ret;

	gcm_bin(&gcm_vecs[2], &b);

	kk_key_defaults(&k, CKK_AES);
	k.decrypt = 0;
	t = make_key(fd, s, &k, b.key, b.keylen);
	ret = aead_op("gcm(khsm-aes)", t.tok, sizeof(t.tok), &b, 1, 0, out);
	check(t.rv == CKR_OK && ret > 0,
	      "policy: CKA_DECRYPT FALSE still encrypts (%zd)", ret);
	ret = aead_op("gcm(khsm-aes)", t.tok, sizeof(t.tok), &b, 0, 0, out);
	check(ret == -EACCES, "policy: CKA_DECRYPT FALSE: decrypt gives EACCES (%zd)",
	      ret);

	kk_key_defaults(&k, CKK_AES);
	k.allowed = CKM_AES_CBC;
	t = make_key(fd, s, &k, b.key, b.keylen);
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok));
	check(t.rv == CKR_OK && ret == -EACCES,
	      "policy: CKA_ALLOWED_MECHANISMS without CKM_AES_GCM: EACCES (%zd)",
	      ret);

	kk_key_defaults(&k, CKK_AES);
	t = make_key(fd, s, &k, b.key, b.keylen);
	ret = mac_op("hmac(khsm-sha256)", t.tok, sizeof(t.tok),
		     (const uint8_t *)"x", 1, 0, mac, sizeof(mac));
	check(ret == -EKEYREJECTED,
	      "policy: an AES key's token for HMAC: EKEYREJECTED (%zd)", ret);

	kk_key_defaults(&k, CKK_GENERIC_SECRET);
	t = make_key(fd, s, &k, key, sizeof(key));
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok));
	check(ret == -EKEYREJECTED,
	      "policy: a generic secret's token for GCM: EKEYREJECTED (%zd)",
	      ret);
	k.sign = 0;
	t = make_key(fd, s, &k, key, sizeof(key));
	ret = mac_op("hmac(khsm-sha256)", t.tok, sizeof(t.tok),
		     (const uint8_t *)"x", 1, 0, mac, sizeof(mac));
	check(ret == -EACCES, "policy: CKA_SIGN FALSE: HMAC gives EACCES (%zd)",
	      ret);

	/* forgeries */
	kk_key_defaults(&k, CKK_AES);
	t = make_key(fd, s, &k, b.key, b.keylen);
	memcpy(tok, t.tok, sizeof(tok));
	tok[4] ^= 1;		/* another handle */
	ret = aead_encrypt_once("gcm(khsm-aes)", tok, sizeof(tok));
	check(ret == -EKEYREJECTED,
	      "forgery: a changed handle gives EKEYREJECTED (%zd)", ret);
	memcpy(tok, t.tok, sizeof(tok));
	tok[8] ^= 1;		/* another serial */
	ret = aead_encrypt_once("gcm(khsm-aes)", tok, sizeof(tok));
	check(ret == -EKEYREJECTED,
	      "forgery: a changed serial gives EKEYREJECTED (%zd)", ret);
	memcpy(tok, t.tok, sizeof(tok));
	tok[31] ^= 0x80;	/* the MAC */
	ret = aead_encrypt_once("gcm(khsm-aes)", tok, sizeof(tok));
	check(ret == -EKEYREJECTED,
	      "forgery: a changed MAC gives EKEYREJECTED (%zd)", ret);
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok) - 1);
	check(ret == -EINVAL, "forgery: a short token gives EINVAL (%zd)", ret);
	ret = aead_encrypt_once("gcm(khsm-aes)", b.key, b.keylen);
	check(ret == -EINVAL,
	      "a raw AES-128 key given to gcm(khsm-aes) gives EINVAL (%zd)",
	      ret);
	/* to a raw-key algorithm a token is 32 key bytes, not the HSM key */
	ret = aead_op("gcm-aes-khsm", t.tok, sizeof(t.tok), &b, 1, 0, out);
	check(ret > 0 && memcmp(out, b.ct, b.ptlen),
	      "a token given to gcm-aes-khsm does not reach the HSM key (%zd)",
	      ret);
	gcm_bin(&gcm_vecs[8], &b);	/* TC15: a 32-byte key, a token's size */
	ret = aead_encrypt_once("gcm(khsm-aes)", b.key, b.keylen);
	check(ret == -EINVAL,
	      "a raw AES-256 key given to gcm(khsm-aes) gives EINVAL (%zd)",
	      ret);
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok));
	check(ret > 0, "the genuine token still works (%zd)", ret);
}

/* A keyed AF_ALG handle of gcm(khsm-aes) kept across object changes */
static struct kcapi_handle *bound_aead(const uint8_t *tok, ssize_t *ret)
{
	struct kcapi_handle *h;

	*ret = kcapi_aead_init(&h, "gcm(khsm-aes)", 0);
	if (*ret)
		return NULL;
	*ret = kcapi_aead_setkey(h, tok, KK_TOKEN_LEN);
	if (!*ret)
		*ret = kcapi_aead_settaglen(h, 16);
	if (*ret) {
		kcapi_aead_destroy(h);
		return NULL;
	}
	kcapi_aead_setassoclen(h, 0);
	return h;
}

static ssize_t bound_encrypt(struct kcapi_handle *h)
{
	uint8_t in[64] = { 0 }, out[80], iv[12] = { 0 };

	return kcapi_aead_encrypt(h, in, sizeof(in), iv, out, sizeof(out),
				  KCAPI_ACCESS_HEURISTIC);
}

static ssize_t bound_decrypt(struct kcapi_handle *h)
{
	uint8_t in[80], out[80], iv[12] = { 0 };
	ssize_t ret;

	memset(in, 0, 64);
	ret = kcapi_aead_encrypt(h, in, 64, iv, out, sizeof(out),
				 KCAPI_ACCESS_HEURISTIC);
	if (ret < 0)
		return ret;
	return kcapi_aead_decrypt(h, out, 80, iv, in, 64,
				  KCAPI_ACCESS_HEURISTIC);
}

static void test_token_lifetime(int fd, __u32 s)
{
	uint8_t key[32] = { 3 }, mac[32];
	struct kcapi_handle *h, *hm;
	struct kk_key k;
	struct tokkey t, tm;
	ssize_t ret;
	CK_RV rv;

	kk_key_defaults(&k, CKK_AES);
	t = make_key(fd, s, &k, key, 16);
	h = bound_aead(t.tok, &ret);
	check(h && bound_encrypt(h) > 0, "lifetime: bound tfm encrypts (%zd)",
	      ret);
	rv = kt_destroy(fd, s, t.h);
	check(rv == CKR_OK, "lifetime: C_DestroyObject (%s)", khsm_rv_name(rv));
	ret = h ? bound_encrypt(h) : -1;
	check(ret == -ENOKEY,
	      "lifetime: after destroy, the bound tfm gives ENOKEY (%zd)", ret);
	ret = h ? bound_decrypt(h) : -1;
	check(ret == -ENOKEY, "lifetime: ... and again (%zd)", ret);
	if (h)
		kcapi_aead_destroy(h);
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok));
	check(ret == -ENOKEY,
	      "lifetime: the token of a destroyed object gives ENOKEY (%zd)",
	      ret);

	/* KERNEL_USE TRUE -> FALSE revokes */
	t = make_key(fd, s, &k, key, 16);
	h = bound_aead(t.tok, &ret);
	rv = kt_set_bool(fd, s, t.h, KHSM_CKA_KERNEL_USE, 0);
	ret = h ? bound_encrypt(h) : -1;
	check(rv == CKR_OK && ret == -ENOKEY,
	      "lifetime: KERNEL_USE set FALSE: ENOKEY (%s, %zd)", khsm_rv_name(rv),
	      ret);
	if (h)
		kcapi_aead_destroy(h);
	ret = aead_encrypt_once("gcm(khsm-aes)", t.tok, sizeof(t.tok));
	check(ret == -EKEYREVOKED,
	      "lifetime: a token of a KERNEL_USE FALSE object: EKEYREVOKED (%zd)",
	      ret);

	/* CKA_ENCRYPT TRUE -> FALSE: checked per request */
	t = make_key(fd, s, &k, key, 16);
	h = bound_aead(t.tok, &ret);
	rv = kt_set_bool(fd, s, t.h, CKA_ENCRYPT, 0);
	if (rv == CKR_OK) {
		ret = h ? bound_encrypt(h) : -1;
		check(ret == -EACCES,
		      "lifetime: CKA_ENCRYPT set FALSE: encrypt gives EACCES (%zd)",
		      ret);
	} else {
		skip("CKA_ENCRYPT cannot be changed (%s)", khsm_rv_name(rv));
	}
	if (h)
		kcapi_aead_destroy(h);

	/* HMAC: destroyed between two requests of the same tfm */
	kk_key_defaults(&k, CKK_GENERIC_SECRET);
	tm = make_key(fd, s, &k, key, sizeof(key));
	hm = NULL;
	ret = kcapi_md_init(&hm, "hmac(khsm-sha256)", 0);
	if (!ret)
		ret = kcapi_md_setkey(hm, tm.tok, KK_TOKEN_LEN);
	if (!ret)
		ret = kcapi_md_digest(hm, key, 8, mac, sizeof(mac));
	check(ret == 32, "lifetime: bound HMAC tfm works (%zd)", ret);
	kt_destroy(fd, s, tm.h);
	errno = 0;
	ret = hm ? kcapi_md_digest(hm, key, 8, mac, sizeof(mac)) : -1;
	if (ret == -1 && errno)		/* libkcapi's send path: -1, errno */
		ret = -errno;
	check(ret == -ENOKEY, "lifetime: HMAC after destroy: ENOKEY (%zd)",
	      ret);
	if (hm)
		kcapi_md_destroy(hm);

	/* C_InitToken destroys every token object: bound tfms lose them */
	kk_key_defaults(&k, CKK_AES);
	t = make_key(fd, s, &k, key, 16);
	h = bound_aead(t.tok, &ret);
	rv = kt_token_reset(fd);	/* closes this application's sessions */
	ret = h ? bound_encrypt(h) : -1;
	check(rv == CKR_OK && ret == -ENOKEY,
	      "lifetime: after C_InitToken: ENOKEY (%s, %zd)", khsm_rv_name(rv),
	      ret);
	if (h)
		kcapi_aead_destroy(h);
}

/*
 * Revocation under load: threads encrypt on one transform (AF_ALG op
 * sockets accepted from one bound socket share it) while the key object is
 * destroyed.  Requests before succeed, requests after fail with ENOKEY,
 * nothing else happens (the rig fails the run on any kernel splat).
 */
#define RACE_THREADS	4

struct race {
	int tfm;
	volatile int stop;
	long ok[RACE_THREADS], nokey[RACE_THREADS], other[RACE_THREADS];
	int last[RACE_THREADS];
};

struct race_arg {
	struct race *r;
	int i;
};

static int race_once(int op)
{
	char cbuf[CMSG_SPACE(4) + CMSG_SPACE(sizeof(struct af_alg_iv) + 12)];
	uint8_t buf[256 + 16];
	struct iovec iov = { .iov_base = buf, .iov_len = 256 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	struct af_alg_iv *iv;

	memset(cbuf, 0, sizeof(cbuf));
	memset(buf, 0x11, sizeof(buf));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_OP;
	c->cmsg_len = CMSG_LEN(4);
	*(uint32_t *)CMSG_DATA(c) = ALG_OP_ENCRYPT;
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = SOL_ALG;
	c->cmsg_type = ALG_SET_IV;
	c->cmsg_len = CMSG_LEN(sizeof(*iv) + 12);
	iv = (struct af_alg_iv *)CMSG_DATA(c);
	iv->ivlen = 12;
	memset(iv->iv, 0, 12);
	if (sendmsg(op, &msg, 0) != 256)
		return -errno;
	if (read(op, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		return -errno;
	return 0;
}

static void *race_thread(void *p)
{
	struct race_arg *a = p;
	struct race *r = a->r;
	int op = accept(r->tfm, NULL, 0), err;

	if (op < 0) {
		r->other[a->i]++;
		return NULL;
	}
	while (!r->stop) {
		err = race_once(op);
		if (!err)
			r->ok[a->i]++;
		else if (err == -ENOKEY)
			r->nokey[a->i]++;
		else
			r->other[a->i]++;
		r->last[a->i] = err;
	}
	close(op);
	return NULL;
}

static void test_token_race(int fd, __u32 s)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "aead",
				   .salg_name = "gcm(khsm-aes)" };
	struct race_arg args[RACE_THREADS];
	pthread_t th[RACE_THREADS];
	struct race r = { .tfm = -1 };
	uint8_t key[16] = { 9 };
	long ok = 0, nokey = 0, other = 0;
	int i, lastok = 1;
	struct kk_key k;
	struct tokkey t;
	CK_RV rv;

	kk_key_defaults(&k, CKK_AES);
	t = make_key(fd, s, &k, key, sizeof(key));
	r.tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (t.rv != CKR_OK || r.tfm < 0 ||
	    bind(r.tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(r.tfm, SOL_ALG, ALG_SET_KEY, t.tok, sizeof(t.tok)) ||
	    setsockopt(r.tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, 16)) {
		check(0, "race: bound AF_ALG socket (%s, %s)", khsm_rv_name(t.rv),
		      strerror(errno));
		if (r.tfm >= 0)
			close(r.tfm);
		return;
	}
	for (i = 0; i < RACE_THREADS; i++) {
		args[i].r = &r;
		args[i].i = i;
		pthread_create(&th[i], NULL, race_thread, &args[i]);
	}
	usleep(300 * 1000);
	rv = kt_destroy(fd, s, t.h);
	usleep(300 * 1000);
	r.stop = 1;
	for (i = 0; i < RACE_THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += r.ok[i];
		nokey += r.nokey[i];
		other += r.other[i];
		lastok &= r.last[i] == -ENOKEY;
	}
	close(r.tfm);
	check(rv == CKR_OK && ok > 0 && nokey > 0 && !other && lastok,
	      "race: %d threads on one tfm, key destroyed midway: %ld done, %ld ENOKEY, %ld other (%s)",
	      RACE_THREADS, ok, nokey, other, khsm_rv_name(rv));
}

static void test_tokens(void)
{
	__u32 s;
	int fd;
	CK_RV rv;

	if (!kt_device_present()) {
		skip("%s absent: no HSM-resident key tests", KHSM_DEVICE);
		return;
	}
	fd = kt_open();
	rv = fd >= 0 ? kt_token_reset(fd) : CKR_DEVICE_ERROR;
	if (fd >= 0)
		khsm_close(fd);
	check(rv == CKR_OK, "token reset (%s)", khsm_rv_name(rv));
	fd = kk_login(&s);
	if (fd < 0) {
		check(0, "log in");
		return;
	}
	test_token_kats(fd, s);
	test_token_mint(fd, s);
	test_token_policy(fd, s);
	test_token_race(fd, s);
	test_token_lifetime(fd, s);	/* last: ends with C_InitToken */
	khsm_close(fd);
}

/* ---- hold mode --------------------------------------------------------- */

static int hold(int argc, char **argv)
{
	struct kcapi_handle *h;
	uint8_t key[256];
	long keylen = 0;
	int ret, aead;
	char c;

	if (argc < 4)
		return 2;
	aead = !strcmp(argv[2], "aead");
	if (argc > 4)
		keylen = kk_unhex(argv[4], key, sizeof(key));
	if (keylen < 0)
		return 2;
	ret = aead ? kcapi_aead_init(&h, argv[3], 0) :
		     kcapi_md_init(&h, argv[3], 0);
	if (!ret && keylen)
		ret = aead ? kcapi_aead_setkey(h, key, (uint32_t)keylen) :
			     kcapi_md_setkey(h, key, (uint32_t)keylen);
	if (ret) {
		fprintf(stderr, "hold %s: %s\n", argv[3], strerror(-ret));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	if (aead)
		kcapi_aead_destroy(h);
	else
		kcapi_md_destroy(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold(argc, argv);

	printf("TAP version 13\n");
	test_raw();
	test_tokens();
	printf("# kcapi_test: %d passed, %d failed, %d skipped\n", passed,
	       failed, skipped);
	return failed ? 1 : 0;
}
