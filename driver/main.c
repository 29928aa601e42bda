// SPDX-License-Identifier: GPL-2.0
/*
 * khsm: a hardware-security-module engine in the kernel.
 *
 * A platform driver: each bound device is one token.  Probe reads its
 * bounds through the unified device-property API, so the device may come
 * from devicetree (compatible "khsm,soft-hsm"), ACPI (_DSD) or, where no
 * firmware describes one (x86 here), from the soft instance this module
 * registers itself with software-node properties built from the module
 * parameters.  A property the firmware leaves out takes the module
 * parameter's value.
 *
 * Probe: engine, token, /dev/hsm, then the crypto API registrations (last);
 * remove in reverse.  /dev/hsm holds a module reference while open, so the
 * module cannot go away under an application; the driver has no sysfs
 * bind/unbind, so the device cannot either.  Remove destroys every token
 * object (key values freed with kfree_sensitive) and clears the PIN hashes.
 */
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>

#include "khsm.h"
#include "alg.h"
#include "stats.h"

#define KHSM_DRV_NAME	"khsm"
#define KHSM_COMPATIBLE	"khsm,soft-hsm"

/* Defaults of the properties (as dts/khsm.yaml documents them) */
static unsigned int max_sessions = 256;
module_param(max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions,
		 "sessions per application (khsm,max-sessions; 256)");

static unsigned int max_objects = 200000;
module_param(max_objects, uint, 0444);
MODULE_PARM_DESC(max_objects,
		 "session + token objects one application may hold (khsm,max-objects; 200000)");

static unsigned int max_token_objects = 200000;
module_param(max_token_objects, uint, 0444);
MODULE_PARM_DESC(max_token_objects,
		 "token objects in all (khsm,max-token-objects; 200000)");

static unsigned int max_object_memory = 256 << 20;
module_param(max_object_memory, uint, 0444);
MODULE_PARM_DESC(max_object_memory,
		 "bytes of kernel memory all objects may use (khsm,max-object-memory; 268435456)");

static unsigned int max_pin_tries = 10;
module_param(max_pin_tries, uint, 0444);
MODULE_PARM_DESC(max_pin_tries,
		 "consecutive wrong PINs before a PIN locks (khsm,max-pin-tries; 10)");

static unsigned int pin_kdf_iterations = 10000;
module_param(pin_kdf_iterations, uint, 0444);
MODULE_PARM_DESC(pin_kdf_iterations,
		 "PBKDF2-HMAC-SHA256 iterations of PIN hashes (khsm,pin-kdf-iterations; 10000; tests may lower it)");

static bool soft_device = true;
module_param(soft_device, bool, 0444);
MODULE_PARM_DESC(soft_device,
		 "register a soft instance when no firmware node describes one (default true)");

static bool khsm_bound;		/* one token per module: /dev/hsm is one name */
static struct platform_device *khsm_soft_pdev;

static void read_u32(struct device *dev, const char *name, u32 *val,
		     u32 min, u32 max)
{
	u32 v;

	if (device_property_read_u32(dev, name, &v))
		v = *val;
	if (v < min || v > max) {
		dev_warn(dev, "%s = %u out of [%u, %u]; clamped\n", name, v,
			 min, max);
		v = clamp(v, min, max);
	}
	*val = v;
}

static void khsm_read_config(struct device *dev, struct khsm_config *cfg)
{
	cfg->max_sessions = max_sessions;
	cfg->max_objects = max_objects;
	cfg->max_token_objects = max_token_objects;
	cfg->max_object_memory = max_object_memory;
	cfg->max_pin_tries = max_pin_tries;
	cfg->pin_kdf_iterations = pin_kdf_iterations;

	read_u32(dev, "khsm,max-sessions", &cfg->max_sessions, 1,
		 KHSM_MAX_SESSIONS);
	read_u32(dev, "khsm,max-objects", &cfg->max_objects, 1, 1U << 24);
	read_u32(dev, "khsm,max-token-objects", &cfg->max_token_objects, 1,
		 1U << 24);
	read_u32(dev, "khsm,max-object-memory", &cfg->max_object_memory,
		 65536, U32_MAX);
	read_u32(dev, "khsm,max-pin-tries", &cfg->max_pin_tries, 1, 100);
	read_u32(dev, "khsm,pin-kdf-iterations", &cfg->pin_kdf_iterations, 1,
		 10000000);
}

static int khsm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct khsm_config cfg;
	struct khsm_token *tok;
	int err;

	if (khsm_bound)
		return dev_err_probe(dev, -EBUSY, "one khsm instance only\n");
	khsm_read_config(dev, &cfg);

	tok = devm_kzalloc(dev, sizeof(*tok), GFP_KERNEL);
	if (!tok)
		return -ENOMEM;

	err = khsm_engine_init();
	if (err)
		return dev_err_probe(dev, err, "engine init\n");
	err = khsm_token_init(tok, dev, &cfg);
	if (err)
		goto err_engine;
	khsm_token_set_default(tok);
	err = khsm_cdev_register(tok);
	if (err)
		goto err_token;

	/*
	 * Crypto API registrations go here, last: 6.1 runs the self-tests
	 * synchronously at registration, and they may use the token.
	 */
	err = khsm_alg_register();	/* crypto API offload (alg.c) */
	if (err)
		goto err_cdev;
	WRITE_ONCE(tok->key_tokens, true);	/* KHSM_CAP_KEY_TOKEN */

	platform_set_drvdata(pdev, tok);
	khsm_bound = true;
	dev_info(dev, "/dev/hsm: %u sessions, %u objects per application, %u token objects, %u bytes\n",
		 cfg.max_sessions, cfg.max_objects, cfg.max_token_objects,
		 cfg.max_object_memory);
	return 0;

err_cdev:
	khsm_cdev_unregister();
err_token:
	khsm_token_set_default(NULL);
	khsm_token_exit(tok);
err_engine:
	khsm_engine_exit();
	return err;
}

static int khsm_remove(struct platform_device *pdev)
{
	struct khsm_token *tok = platform_get_drvdata(pdev);

	/* Crypto API unregistrations go here, first. */
	WRITE_ONCE(tok->key_tokens, false);
	khsm_alg_unregister();		/* crypto API offload (alg.c) */

	khsm_cdev_unregister();
	khsm_token_set_default(NULL);
	khsm_token_exit(tok);
	khsm_engine_exit();
	khsm_bound = false;
	return 0;
}

static const struct of_device_id khsm_of_match[] = {
	{ .compatible = KHSM_COMPATIBLE },
	{ }
};
MODULE_DEVICE_TABLE(of, khsm_of_match);

static struct platform_driver khsm_driver = {
	.driver = {
		.name = KHSM_DRV_NAME,
		.of_match_table = khsm_of_match,
		/* no unbind while applications hold the token */
		.suppress_bind_attrs = true,
	},
	.probe = khsm_probe,
	.remove = khsm_remove,
};

/* A firmware node describes an instance: no soft one then */
static bool khsm_firmware_node(void)
{
	struct device_node *np = of_find_compatible_node(NULL, NULL,
							 KHSM_COMPATIBLE);

	of_node_put(np);
	return np;
}

static int khsm_register_soft(void)
{
	const struct property_entry props[] = {
		PROPERTY_ENTRY_U32("khsm,max-sessions", max_sessions),
		PROPERTY_ENTRY_U32("khsm,max-objects", max_objects),
		PROPERTY_ENTRY_U32("khsm,max-token-objects", max_token_objects),
		PROPERTY_ENTRY_U32("khsm,max-object-memory", max_object_memory),
		PROPERTY_ENTRY_U32("khsm,max-pin-tries", max_pin_tries),
		PROPERTY_ENTRY_U32("khsm,pin-kdf-iterations",
				   pin_kdf_iterations),
		{ }
	};
	const struct platform_device_info info = {
		.name = KHSM_DRV_NAME,
		.id = PLATFORM_DEVID_NONE,
		.properties = props,
	};

	khsm_soft_pdev = platform_device_register_full(&info);
	return PTR_ERR_OR_ZERO(khsm_soft_pdev);
}

static int __init khsm_init(void)
{
	int err;

	khsm_ucopy_init();
	err = khsm_objects_init();
	if (err)
		return err;
	err = khsm_sessions_init();
	if (err)
		goto err_sessions;
	khsm_stats_init();	/* debugfs ioctl counters; optional */
	err = platform_driver_register(&khsm_driver);
	if (err)
		goto err_objects;
	if (soft_device && !khsm_firmware_node()) {
		err = khsm_register_soft();
		if (err)
			goto err_driver;
	}
	return 0;

err_driver:
	khsm_soft_pdev = NULL;
	platform_driver_unregister(&khsm_driver);
err_objects:
	khsm_stats_exit();
	khsm_sessions_exit();
err_sessions:
	khsm_objects_exit();
	return err;
}

static void __exit khsm_exit(void)
{
	platform_device_unregister(khsm_soft_pdev);
	platform_driver_unregister(&khsm_driver);
	khsm_stats_exit();
	khsm_sessions_exit();
	khsm_objects_exit();
	khsm_ctx_stash_drain();	/* after every context is gone */
}

module_init(khsm_init);
module_exit(khsm_exit);

MODULE_DESCRIPTION("khsm: hardware-security-module engine with /dev/hsm");
MODULE_LICENSE("GPL");
