// SPDX-License-Identifier: GPL-2.0
/*
 * khsm crypto API registrations: their order, their priority, and the rule
 * that khsm never ends up calling itself.  The algorithms themselves are in
 * alg_aead.c (gcm, rfc4106) and alg_hash.c (hmac); an akcipher joins them
 * here with its own register/unregister pair.
 */
#include <linux/crypto.h>
#include <linux/module.h>
#include <linux/string.h>

#include "alg.h"

static int alg_priority = KHSM_ALG_PRIORITY;
module_param(alg_priority, int, 0444);
MODULE_PARM_DESC(alg_priority,
		 "crypto API priority of every khsm algorithm (1..1000, default 50: below the kernel's own gcm(aes) and hmac(sha*), so khsm is chosen by driver name, e.g. gcm-aes-khsm; above 400 khsm wins gcm(aes) for every kernel user)");

int khsm_alg_priority(void)
{
	return clamp(alg_priority, 1, 1000);
}

bool khsm_alg_tfm_is_ours(struct crypto_tfm *tfm)
{
	static const char suffix[] = "-khsm";
	const char *name = crypto_tfm_alg_driver_name(tfm);
	size_t len = strlen(name);

	if (tfm->__crt_alg->cra_module == THIS_MODULE)
		return true;
	return len >= sizeof(suffix) - 1 &&
	       !strcmp(name + len - (sizeof(suffix) - 1), suffix);
}

/*
 * A lookup by name takes the best *registered* algorithm; a template
 * (hmac, gcm) is only instantiated when nothing of that name is.  Were
 * khsm's hmac(sha384) the only one registered, a kernel user asking for
 * hmac(sha384) would get khsm whatever its priority.  So before we
 * register a standard name, make the kernel's own implementation exist:
 * then priority alone decides.  Nothing to do if the kernel has none.
 */
void khsm_alg_settle_peer(const char *name, u32 type, u32 mask)
{
	crypto_has_alg(name, type, mask);
}

int khsm_alg_register(void)
{
	int err;

	err = khsm_keytoken_init();
	if (err)
		return err;
	err = khsm_alg_aead_register();
	if (err)
		goto out_token;
	err = khsm_alg_hash_register();
	if (err)
		goto out_aead;
	return 0;

out_aead:
	khsm_alg_aead_unregister();
out_token:
	khsm_keytoken_exit();
	return err;
}

void khsm_alg_unregister(void)
{
	khsm_alg_hash_unregister();
	khsm_alg_aead_unregister();
	khsm_keytoken_exit();
}
