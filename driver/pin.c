// SPDX-License-Identifier: GPL-2.0
/*
 * khsm PINs: never stored, only PBKDF2-HMAC-SHA256 (RFC 8018) of the PIN
 * with a random 16-byte salt per PIN, compared in constant time.
 *
 * HMAC-SHA256 is built on the kernel's SHA-256 library (lib/crypto), not on
 * a crypto API transform: nothing here can resolve to a khsm driver.  The
 * inner and outer pad states are computed once per PIN, so an iteration
 * costs two compressions.
 */
#include <crypto/algapi.h>
#include <crypto/sha2.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "khsm.h"

struct khsm_hmac256 {
	struct sha256_state inner;
	struct sha256_state outer;
};

static void hmac256_setkey(struct khsm_hmac256 *h, const u8 *key, size_t len)
{
	u8 pad[SHA256_BLOCK_SIZE];
	u8 kh[SHA256_DIGEST_SIZE];
	size_t i;

	if (len > SHA256_BLOCK_SIZE) {
		sha256(key, len, kh);
		key = kh;
		len = SHA256_DIGEST_SIZE;
	}
	memset(pad, 0, sizeof(pad));
	memcpy(pad, key, len);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	sha256_init(&h->inner);
	sha256_update(&h->inner, pad, sizeof(pad));
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	sha256_init(&h->outer);
	sha256_update(&h->outer, pad, sizeof(pad));
	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(kh, sizeof(kh));
}

/* out = HMAC(key, a || b); the pad states stay untouched */
static void hmac256(const struct khsm_hmac256 *h, const u8 *a, size_t alen,
		    const u8 *b, size_t blen, u8 *out)
{
	struct sha256_state s = h->inner;

	sha256_update(&s, a, alen);
	if (blen)
		sha256_update(&s, b, blen);
	sha256_final(&s, out);
	s = h->outer;
	sha256_update(&s, out, SHA256_DIGEST_SIZE);
	sha256_final(&s, out);
}

/* PBKDF2-HMAC-SHA256, one output block (dkLen = 32) */
static int pbkdf2_sha256(const u8 *pin, size_t len, const u8 *salt,
			 size_t saltlen, u32 iterations, u8 *out)
{
	struct khsm_hmac256 *h;
	static const u8 block1[4] = { 0, 0, 0, 1 };
	u8 u[SHA256_DIGEST_SIZE];
	u32 i, j;

	h = kmalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	hmac256_setkey(h, pin, len);
	hmac256(h, salt, saltlen, block1, sizeof(block1), u);
	memcpy(out, u, sizeof(u));
	for (i = 1; i < iterations; i++) {
		hmac256(h, u, sizeof(u), NULL, 0, u);
		for (j = 0; j < sizeof(u); j++)
			out[j] ^= u[j];
		if (!(i & 255))
			cond_resched();
	}
	memzero_explicit(u, sizeof(u));
	kfree_sensitive(h);
	return 0;
}

int khsm_pin_set(struct khsm_pin_hash *ph, const u8 *pin, size_t len,
		 u32 iterations)
{
	struct khsm_pin_hash n;
	int err;

	get_random_bytes(n.salt, sizeof(n.salt));
	n.iterations = iterations;
	err = pbkdf2_sha256(pin, len, n.salt, sizeof(n.salt), iterations,
			    n.hash);
	if (!err) {
		n.set = true;
		*ph = n;
	}
	memzero_explicit(&n, sizeof(n));
	return err;
}

bool khsm_pin_check(const struct khsm_pin_hash *ph, const u8 *pin,
		    size_t len)
{
	u8 h[KHSM_PIN_HASH_LEN];
	bool ok;

	if (!ph->set)
		return false;
	if (pbkdf2_sha256(pin, len, ph->salt, sizeof(ph->salt),
			  ph->iterations, h))
		return false;
	ok = !crypto_memneq(h, ph->hash, sizeof(h));
	memzero_explicit(h, sizeof(h));
	return ok;
}

void khsm_pin_clear(struct khsm_pin_hash *ph)
{
	memzero_explicit(ph, sizeof(*ph));
}

long khsm_pin_copy_in(u64 uptr, u64 len, u8 *buf)
{
	if (len > KHSM_MAX_PIN_LEN)
		return CKR_PIN_LEN_RANGE;
	if (len && !uptr)
		return CKR_ARGUMENTS_BAD;
	if (len && khsm_copy_in(buf, u64_to_user_ptr(uptr), len))
		return -EFAULT;
	return CKR_OK;
}
