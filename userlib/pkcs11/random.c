// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Random numbers from the kernel's DRBG.  The ABI bounds one call to
 * KHSM_MAX_RANDOM_LEN bytes; longer requests are split here, which is
 * transport, not policy: C_GenerateRandom has no length limit.
 */
#include "p11.h"

static CK_RV p11_random(int seed, CK_SESSION_HANDLE hSession, CK_BYTE_PTR buf,
			CK_ULONG len)
{
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, buf || !len, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	do {
		CK_ULONG n = len < KHSM_MAX_RANDOM_LEN ? len : KHSM_MAX_RANDOM_LEN;
		struct khsm_random a = {
			.hdr.session = (__u32)hSession,
			.buf = P11_PTR(buf),
			.len = n,
		};

		rv = seed ? khsm_seed_random(fd, &a) :
			    khsm_generate_random(fd, &a);
		if (n) {
			buf += n;
			len -= n;
		}
	} while (rv == CKR_OK && len);
	return rv;
}

P11_API CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed,
			   CK_ULONG ulSeedLen)
{
	return p11_random(1, hSession, pSeed, ulSeedLen);
}

P11_API CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession,
			       CK_BYTE_PTR RandomData, CK_ULONG ulRandomLen)
{
	return p11_random(0, hSession, RandomData, ulRandomLen);
}
