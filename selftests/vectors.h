/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-answer vectors for the khsm mechanisms, each with its source named.
 * Shared by the selftests (through /dev/hsm) and the engine's own tests.
 * Every value is a lowercase hex string ("" for empty); mechanisms are the
 * CKM_* names, so include <pkcs11.h> or driver/ck.h first.
 *
 * Each vector was checked against an independent implementation (Python
 * 'cryptography' 48 and hashlib) when it was written down, and against the
 * khsm engine in the VM.  CBC_PAD has no published vector: those entries
 * are derived from SP 800-38A data, as their source says.
 */
#ifndef KHSM_SELFTEST_VECTORS_H
#define KHSM_SELFTEST_VECTORS_H

/* AES ECB/CBC/CBC_PAD/CTR.  iv: CBC IV or CTR initial counter block
 * (counter_bits 128), "" for ECB.  ct decrypts back to pt. */
struct khsm_kv_cipher {
	const char *source;
	unsigned long mech;
	const char *key, *iv, *pt, *ct;
};

/* AES-GCM: tag is the full 128-bit tag; iv of any length (Test Cases 5
 * and 6 have 64- and 480-bit IVs). */
struct khsm_kv_gcm {
	const char *source;
	const char *key, *iv, *aad, *pt, *ct, *tag;
};

/* CMAC and HMAC: full-length MACs (CKM_*_GENERAL: a prefix of mac) */
struct khsm_kv_mac {
	const char *source;
	unsigned long mech;
	const char *key, *msg, *mac;
};

struct khsm_kv_digest {
	const char *source;
	unsigned long mech;
	const char *msg, *digest;
};

static const struct khsm_kv_cipher khsm_kv_cipher[] = {
	{
		"NIST SP 800-38A F.1.1 ECB-AES128.Encrypt",
		CKM_AES_ECB,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
		"43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
	},
	{
		"NIST SP 800-38A F.1.5 ECB-AES256.Encrypt",
		CKM_AES_ECB,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
		"b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7",
	},
	{
		"NIST SP 800-38A F.2.1 CBC-AES128.Encrypt",
		CKM_AES_CBC,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		"73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
	},
	{
		"NIST SP 800-38A F.2.5 CBC-AES256.Encrypt",
		CKM_AES_CBC,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		"39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
	},
	{
		"NIST SP 800-38A F.5.1 CTR-AES128.Encrypt",
		CKM_AES_CTR,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
		"5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
	},
	{
		"NIST SP 800-38A F.5.5 CTR-AES256.Encrypt",
		CKM_AES_CTR,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
		"2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6",
	},
	{
		"derived from NIST SP 800-38A F.2.1 CBC-AES128: first 64 bytes, PKCS #7 padded (RFC 5652 6.3); computed",
		CKM_AES_CBC_PAD,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		"73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
		"8cb82807230e1321d3fae00d18cc2012",
	},
	{
		"derived from NIST SP 800-38A F.2.1 CBC-AES128: first 37 bytes, PKCS #7 padded (RFC 5652 6.3); computed",
		CKM_AES_CBC_PAD,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a3",
		"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		"5dd91dde9c980257336717a3c680d405",
	},
	{
		"derived from NIST SP 800-38A F.2.5 CBC-AES256: first 64 bytes, PKCS #7 padded (RFC 5652 6.3); computed",
		CKM_AES_CBC_PAD,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		"39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"
		"3f461796d6b0d6b2e0c2a72b4d80e644",
	},
	{
		"derived from NIST SP 800-38A F.2.5 CBC-AES256: first 37 bytes, PKCS #7 padded (RFC 5652 6.3); computed",
		CKM_AES_CBC_PAD,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"000102030405060708090a0b0c0d0e0f",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a3",
		"f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		"91682e42032c5b63c28c0e259abc5b9a",
	},
};

static const struct khsm_kv_gcm khsm_kv_gcm[] = {
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 1 (also NIST SP 800-38D)",
		"00000000000000000000000000000000",
		"000000000000000000000000",
		"",
		"",
		"",
		"58e2fccefa7e3061367f1d57a4e7455a",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 2 (also NIST SP 800-38D)",
		"00000000000000000000000000000000",
		"000000000000000000000000",
		"",
		"00000000000000000000000000000000",
		"0388dace60b6a392f328c2b971b2fe78",
		"ab6e47d42cec13bdf53a67b21257bddf",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 3 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308",
		"cafebabefacedbaddecaf888",
		"",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
		"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
		"4d5c2af327cd64a62cf35abd2ba6fab4",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 4 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308",
		"cafebabefacedbaddecaf888",
		"feedfacedeadbeeffeedfacedeadbeefabaddad2",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		"5bc94fbc3221a5db94fae95ae7121a47",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 5 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308",
		"cafebabefacedbad",
		"feedfacedeadbeeffeedfacedeadbeefabaddad2",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		"61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
		"73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
		"3612d2e79e3b0785561be14aaca2fccb",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 6 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308",
		"9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
		"c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
		"feedfacedeadbeeffeedfacedeadbeefabaddad2",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		"8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
		"01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
		"619cc5aefffe0bfa462af43c1699d050",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 13 (also NIST SP 800-38D)",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"000000000000000000000000",
		"",
		"",
		"",
		"530f8afbc74536b9a963b4f1c4cb738b",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 14 (also NIST SP 800-38D)",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"000000000000000000000000",
		"",
		"00000000000000000000000000000000",
		"cea7403d4d606b6e074ec5d3baf39d18",
		"d0d1c8a799996bf0265b98b5d48ab919",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 15 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
		"cafebabefacedbaddecaf888",
		"",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
		"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
		"b094dac5d93471bdec1a502270e3cc6c",
	},
	{
		"McGrew & Viega, The Galois/Counter Mode of Operation (GCM), rev. 2005, Appendix B, Test Case 16 (also NIST SP 800-38D)",
		"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
		"cafebabefacedbaddecaf888",
		"feedfacedeadbeeffeedfacedeadbeefabaddad2",
		"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		"76fc6ece0f4e1768cddf8853bb2d551b",
	},
};

static const struct khsm_kv_mac khsm_kv_mac[] = {
	{
		"NIST SP 800-38B Appendix D.1, AES-128, Mlen = 0",
		CKM_AES_CMAC,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"",
		"bb1d6929e95937287fa37d129b756746",
	},
	{
		"NIST SP 800-38B Appendix D.1, AES-128, Mlen = 128",
		CKM_AES_CMAC,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"6bc1bee22e409f96e93d7e117393172a",
		"070a16b46b4d4144f79bdd9dd04a287c",
	},
	{
		"NIST SP 800-38B Appendix D.1, AES-128, Mlen = 320",
		CKM_AES_CMAC,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411",
		"dfa66747de9ae63030ca32611497c827",
	},
	{
		"NIST SP 800-38B Appendix D.1, AES-128, Mlen = 512",
		CKM_AES_CMAC,
		"2b7e151628aed2a6abf7158809cf4f3c",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"51f0bebf7e3b9d92fc49741779363cfe",
	},
	{
		"NIST SP 800-38B Appendix D.3, AES-256, Mlen = 0",
		CKM_AES_CMAC,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"",
		"028962f61b7bf89efc6b551f4667d983",
	},
	{
		"NIST SP 800-38B Appendix D.3, AES-256, Mlen = 128",
		CKM_AES_CMAC,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"6bc1bee22e409f96e93d7e117393172a",
		"28a7023f452e8f82bd4bf28d8c37c35c",
	},
	{
		"NIST SP 800-38B Appendix D.3, AES-256, Mlen = 320",
		CKM_AES_CMAC,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411",
		"aaf3d8f1de5640c232f5b169b9c911e6",
	},
	{
		"NIST SP 800-38B Appendix D.3, AES-256, Mlen = 512",
		CKM_AES_CMAC,
		"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
		"e1992190549f6ed5696a2c056c315410",
	},
	{
		"RFC 4231 section 4.2, Test Case 1, HMAC-SHA224",
		CKM_SHA224_HMAC,
		"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		"4869205468657265",
		"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
	},
	{
		"RFC 4231 section 4.2, Test Case 1, HMAC-SHA256",
		CKM_SHA256_HMAC,
		"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		"4869205468657265",
		"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	},
	{
		"RFC 4231 section 4.2, Test Case 1, HMAC-SHA384",
		CKM_SHA384_HMAC,
		"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		"4869205468657265",
		"afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		"faea9ea9076ede7f4af152e8b2fa9cb6",
	},
	{
		"RFC 4231 section 4.2, Test Case 1, HMAC-SHA512",
		CKM_SHA512_HMAC,
		"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		"4869205468657265",
		"87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		"daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
	},
	{
		"RFC 4231 section 4.3, Test Case 2, HMAC-SHA224",
		CKM_SHA224_HMAC,
		"4a656665",
		"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
	},
	{
		"RFC 4231 section 4.3, Test Case 2, HMAC-SHA256",
		CKM_SHA256_HMAC,
		"4a656665",
		"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	},
	{
		"RFC 4231 section 4.3, Test Case 2, HMAC-SHA384",
		CKM_SHA384_HMAC,
		"4a656665",
		"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		"8e2240ca5e69e2c78b3239ecfab21649",
	},
	{
		"RFC 4231 section 4.3, Test Case 2, HMAC-SHA512",
		CKM_SHA512_HMAC,
		"4a656665",
		"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		"9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	},
	{
		"RFC 4231 section 4.7, Test Case 6, HMAC-SHA224",
		CKM_SHA224_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		"65204b6579202d2048617368204b6579204669727374",
		"95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
	},
	{
		"RFC 4231 section 4.7, Test Case 6, HMAC-SHA256",
		CKM_SHA256_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		"65204b6579202d2048617368204b6579204669727374",
		"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	},
	{
		"RFC 4231 section 4.7, Test Case 6, HMAC-SHA384",
		CKM_SHA384_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		"65204b6579202d2048617368204b6579204669727374",
		"4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		"0c2ef6ab4030fe8296248df163f44952",
	},
	{
		"RFC 4231 section 4.7, Test Case 6, HMAC-SHA512",
		CKM_SHA512_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		"65204b6579202d2048617368204b6579204669727374",
		"80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		"6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
	},
	{
		"RFC 4231 section 4.8, Test Case 7, HMAC-SHA224",
		CKM_SHA224_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"5468697320697320612074657374207573696e672061206c6172676572207468"
		"616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		"68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		"647320746f20626520686173686564206265666f7265206265696e6720757365"
		"642062792074686520484d414320616c676f726974686d2e",
		"3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1",
	},
	{
		"RFC 4231 section 4.8, Test Case 7, HMAC-SHA256",
		CKM_SHA256_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"5468697320697320612074657374207573696e672061206c6172676572207468"
		"616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		"68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		"647320746f20626520686173686564206265666f7265206265696e6720757365"
		"642062792074686520484d414320616c676f726974686d2e",
		"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	},
	{
		"RFC 4231 section 4.8, Test Case 7, HMAC-SHA384",
		CKM_SHA384_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"5468697320697320612074657374207573696e672061206c6172676572207468"
		"616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		"68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		"647320746f20626520686173686564206265666f7265206265696e6720757365"
		"642062792074686520484d414320616c676f726974686d2e",
		"6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
		"a678cc31e799176d3860e6110c46523e",
	},
	{
		"RFC 4231 section 4.8, Test Case 7, HMAC-SHA512",
		CKM_SHA512_HMAC,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaa",
		"5468697320697320612074657374207573696e672061206c6172676572207468"
		"616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		"68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		"647320746f20626520686173686564206265666f7265206265696e6720757365"
		"642062792074686520484d414320616c676f726974686d2e",
		"e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
		"b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
	},
	{
		"RFC 2202 section 3, test_case 1, HMAC-SHA-1",
		CKM_SHA_1_HMAC,
		"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		"4869205468657265",
		"b617318655057264e28bc0b6fb378c8ef146be00",
	},
	{
		"RFC 2202 section 3, test_case 2, HMAC-SHA-1",
		CKM_SHA_1_HMAC,
		"4a656665",
		"7768617420646f2079612077616e7420666f72206e6f7468696e673f",
		"effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
	},
};

static const struct khsm_kv_digest khsm_kv_digest[] = {
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-1, 'abc' (one block)",
		CKM_SHA_1,
		"616263",
		"a9993e364706816aba3e25717850c26c9cd0d89d",
	},
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-224, 'abc' (one block)",
		CKM_SHA224,
		"616263",
		"23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
	},
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-256, 'abc' (one block)",
		CKM_SHA256,
		"616263",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	},
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-384, 'abc' (one block)",
		CKM_SHA384,
		"616263",
		"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		"8086072ba1e7cc2358baeca134c825a7",
	},
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-512, 'abc' (one block)",
		CKM_SHA512,
		"616263",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	},
	{
		"FIPS 180-4 / NIST CSRC example values, SHA-256, 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq' (two blocks)",
		CKM_SHA256,
		"6162636462636465636465666465666765666768666768696768696a68696a6b"
		"696a6b6c6a6b6c6d6b6c6d6e6c6d6e6f6d6e6f706e6f7071",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	},
};

#endif /* KHSM_SELFTEST_VECTORS_H */
