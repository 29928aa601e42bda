// SPDX-License-Identifier: GPL-2.0
/*
 * khsm attribute rules: one table row per (object classes, CKA_*) says how
 * the attribute is stored, its value format, its default, whether it is
 * required or forbidden in a create or generate template, whether it may
 * change afterwards (C_SetAttributeValue, C_CopyObject) and in which
 * direction, and whether its value may ever leave the module.  Template
 * checking, defaults, C_GetAttributeValue, C_SetAttributeValue,
 * C_CopyObject and C_FindObjects read only this table.
 *
 * Object classes and key types are rows too (khsm_classes, khsm_key_types):
 * a new key type (EC, RSA) is a key-type row, attribute rows for its class
 * and an engine.
 */
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "khsm.h"

/*
 * Object classes as a bit mask per row.  Rows name every PKCS#11 class an
 * attribute belongs to, also the classes khsm cannot hold yet: a type with
 * a row is known to PKCS#11, and one rule decides a template's answer
 * (attr_applicable()).  Only the classes in khsm_classes[] are ever an
 * object's mask.
 */
#define KHSM_CM_DATA	BIT(0)
#define KHSM_CM_SECRET	BIT(1)
#define KHSM_CM_CERT	BIT(2)
#define KHSM_CM_PUBLIC	BIT(3)
#define KHSM_CM_PRIVATE	BIT(4)
#define KHSM_CM_OTP	BIT(5)
#define KHSM_CM_DOMAIN	BIT(6)
#define KHSM_CM_HW	BIT(7)
#define KHSM_CM_MECH	BIT(8)
#define KHSM_CM_PROFILE	BIT(9)
#define KHSM_CM_KEY	(KHSM_CM_SECRET | KHSM_CM_PUBLIC | KHSM_CM_PRIVATE | \
			 KHSM_CM_OTP)
#define KHSM_CM_STORAGE	(KHSM_CM_DATA | KHSM_CM_CERT | KHSM_CM_KEY | \
			 KHSM_CM_DOMAIN)
#define KHSM_CM_ALL	(KHSM_CM_STORAGE | KHSM_CM_HW | KHSM_CM_MECH | \
			 KHSM_CM_PROFILE)

/* PKCS#11 3.0 names ck.h does not carry yet */
#ifndef CKA_UNIQUE_ID
#define CKA_UNIQUE_ID		0x4
#endif
#ifndef CKA_PROFILE_ID
#define CKA_PROFILE_ID		0x601
#endif

struct khsm_class_row {
	u32 class;
	u16 mask;
};

/* The classes khsm holds */
static const struct khsm_class_row khsm_classes[] = {
	{ CKO_DATA,		KHSM_CM_DATA },
	{ CKO_SECRET_KEY,	KHSM_CM_SECRET },
};

struct khsm_key_type_row {
	u32 key_type;
	u32 class;
	u32 min_len, max_len;	/* bytes of CKA_VALUE */
	u32 len_mask;		/* if set: only lengths whose bit (len/8) is set */
	/*
	 * CKA_CHECK_VALUE: the first 3 bytes of this mechanism run over 16
	 * zero bytes with the key (a cipher), or over the key (a digest)
	 */
	u64 check_mech;
};

static const struct khsm_key_type_row khsm_key_types[] = {
	/* AES: 16, 24, 32 bytes; check value E(K, 0^128) */
	{ CKK_AES, CKO_SECRET_KEY, 16, 32, BIT(2) | BIT(3) | BIT(4),
	  CKM_AES_ECB },
	/* generic secret: check value SHA-1(K) */
	{ CKK_GENERIC_SECRET, CKO_SECRET_KEY, 1, KHSM_MAX_ATTR_LEN, 0,
	  CKM_SHA_1 },
};

/* Value formats */
enum khsm_attr_kind {
	KHSM_AK_BOOL,		/* CK_BBOOL, 1 byte */
	KHSM_AK_ULONG,		/* CK_ULONG, 8 bytes */
	KHSM_AK_BYTES,		/* any bytes */
	KHSM_AK_DATE,		/* CK_DATE "YYYYMMDD" or empty */
	KHSM_AK_MECHS,		/* CK_MECHANISM_TYPE[], 8 bytes each */
	KHSM_AK_CHECK,		/* key check value: 3 bytes, or empty */
	KHSM_AK_ATTRS,		/* CK_ATTRIBUTE[]: a template (packed) */
};

/* Where the value lives */
enum khsm_attr_store {
	KHSM_AS_CLASS,
	KHSM_AS_KEY_TYPE,
	KHSM_AS_BOOL,		/* bit in khsm_object.bools */
	KHSM_AS_BLOB,		/* packed blob, empty when absent */
	KHSM_AS_SECRET,		/* own allocation (key values) */
	KHSM_AS_VALUE_LEN,	/* length of the secret */
	KHSM_AS_GEN_MECH,
	KHSM_AS_UNIQUE_ID,	/* khsm_object.unique_id, in hex */
	KHSM_AS_NONE,		/* a class or key type khsm lacks */
};

/* Rules */
#define KHSM_AF_REQ_CREATE	BIT(0)	/* required in C_CreateObject */
#define KHSM_AF_REQ_GEN		BIT(1)	/* required in C_GenerateKey */
#define KHSM_AF_NO_CREATE	BIT(2)	/* forbidden in C_CreateObject */
#define KHSM_AF_NO_GEN		BIT(3)	/* forbidden in C_GenerateKey */
#define KHSM_AF_SET		BIT(4)	/* C_SetAttributeValue and copy */
#define KHSM_AF_COPY		BIT(5)	/* C_CopyObject only */
#define KHSM_AF_TO_TRUE		BIT(6)	/* after creation only F -> T */
#define KHSM_AF_TO_FALSE	BIT(7)	/* after creation only T -> F */
#define KHSM_AF_SECRET		BIT(8)	/* unreadable if sensitive/unextractable */
#define KHSM_AF_SO_TRUE		BIT(9)	/* only the SO may set it TRUE */
#define KHSM_AF_DEF_TRUE	BIT(10)	/* boolean default TRUE */
#define KHSM_AF_COPY_ANY	BIT(11)	/* copy may set it either way */
#define KHSM_AF_OTHER_KT	BIT(12)	/* of a key type khsm lacks */

struct khsm_attr_rule {
	u64 type;
	u16 classes;
	u8 kind;
	u8 store;
	u8 bit;
	u16 flags;
};

#define RB(t, c, b, f) { t, c, KHSM_AK_BOOL, KHSM_AS_BOOL, KHSM_B_##b, f }
#define RV(t, c, k, s, f) { t, c, k, s, 0, f }
/* an attribute of classes (or a key type) khsm cannot hold yet */
#define RX(t, c) { t, c, KHSM_AK_BYTES, KHSM_AS_NONE, 0, 0 }
#define RXK(t, c) { t, c, KHSM_AK_BYTES, KHSM_AS_NONE, 0, KHSM_AF_OTHER_KT }

static const struct khsm_attr_rule khsm_rules[] = {
	/* common object and storage attributes */
	RV(CKA_CLASS, KHSM_CM_ALL, KHSM_AK_ULONG, KHSM_AS_CLASS,
	   KHSM_AF_REQ_CREATE),
	RB(CKA_TOKEN, KHSM_CM_STORAGE, TOKEN, KHSM_AF_COPY),
	RB(CKA_PRIVATE, KHSM_CM_STORAGE, PRIVATE,
	   KHSM_AF_COPY | KHSM_AF_DEF_TRUE),
	RB(CKA_MODIFIABLE, KHSM_CM_STORAGE, MODIFIABLE,
	   KHSM_AF_COPY | KHSM_AF_TO_FALSE | KHSM_AF_DEF_TRUE),
	RB(CKA_COPYABLE, KHSM_CM_STORAGE, COPYABLE,
	   KHSM_AF_SET | KHSM_AF_TO_FALSE | KHSM_AF_DEF_TRUE),
	RB(CKA_DESTROYABLE, KHSM_CM_STORAGE, DESTROYABLE,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RV(CKA_LABEL, KHSM_CM_STORAGE, KHSM_AK_BYTES, KHSM_AS_BLOB,
	   KHSM_AF_SET),
	/* 3.0: given by the token, never by a template or a change */
	RV(CKA_UNIQUE_ID, KHSM_CM_STORAGE, KHSM_AK_BYTES, KHSM_AS_UNIQUE_ID,
	   KHSM_AF_NO_CREATE | KHSM_AF_NO_GEN),
	/* data objects */
	RV(CKA_APPLICATION, KHSM_CM_DATA, KHSM_AK_BYTES, KHSM_AS_BLOB,
	   KHSM_AF_SET),
	RV(CKA_OBJECT_ID, KHSM_CM_DATA, KHSM_AK_BYTES, KHSM_AS_BLOB,
	   KHSM_AF_SET),
	RV(CKA_VALUE, KHSM_CM_DATA, KHSM_AK_BYTES, KHSM_AS_BLOB, KHSM_AF_SET),
	/* common key attributes (CKA_ID and the dates: certificates too) */
	RV(CKA_KEY_TYPE, KHSM_CM_KEY | KHSM_CM_DOMAIN, KHSM_AK_ULONG,
	   KHSM_AS_KEY_TYPE, KHSM_AF_REQ_CREATE),
	RV(CKA_ID, KHSM_CM_KEY | KHSM_CM_CERT, KHSM_AK_BYTES, KHSM_AS_BLOB,
	   KHSM_AF_SET),
	RV(CKA_START_DATE, KHSM_CM_KEY | KHSM_CM_CERT, KHSM_AK_DATE,
	   KHSM_AS_BLOB, KHSM_AF_SET),
	RV(CKA_END_DATE, KHSM_CM_KEY | KHSM_CM_CERT, KHSM_AK_DATE,
	   KHSM_AS_BLOB, KHSM_AF_SET),
	RB(CKA_DERIVE, KHSM_CM_KEY, DERIVE, KHSM_AF_SET),
	RB(CKA_LOCAL, KHSM_CM_KEY | KHSM_CM_DOMAIN, LOCAL,
	   KHSM_AF_NO_CREATE | KHSM_AF_NO_GEN),
	RV(CKA_KEY_GEN_MECHANISM, KHSM_CM_KEY, KHSM_AK_ULONG,
	   KHSM_AS_GEN_MECH, KHSM_AF_NO_CREATE | KHSM_AF_NO_GEN),
	RV(CKA_ALLOWED_MECHANISMS, KHSM_CM_KEY, KHSM_AK_MECHS, KHSM_AS_BLOB, 0),
	/* secret keys, and the public or private keys that share them */
	RB(CKA_SENSITIVE, KHSM_CM_SECRET | KHSM_CM_PRIVATE, SENSITIVE,
	   KHSM_AF_SET | KHSM_AF_TO_TRUE),
	RB(CKA_ENCRYPT, KHSM_CM_SECRET | KHSM_CM_PUBLIC, ENCRYPT,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_DECRYPT, KHSM_CM_SECRET | KHSM_CM_PRIVATE, DECRYPT,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_SIGN, KHSM_CM_SECRET | KHSM_CM_PRIVATE, SIGN,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_VERIFY, KHSM_CM_SECRET | KHSM_CM_PUBLIC, VERIFY,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_WRAP, KHSM_CM_SECRET | KHSM_CM_PUBLIC, WRAP,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_UNWRAP, KHSM_CM_SECRET | KHSM_CM_PRIVATE, UNWRAP,
	   KHSM_AF_SET | KHSM_AF_DEF_TRUE),
	RB(CKA_EXTRACTABLE, KHSM_CM_SECRET | KHSM_CM_PRIVATE, EXTRACTABLE,
	   KHSM_AF_SET | KHSM_AF_TO_FALSE | KHSM_AF_DEF_TRUE),
	RB(CKA_ALWAYS_SENSITIVE, KHSM_CM_SECRET | KHSM_CM_PRIVATE,
	   ALWAYS_SENSITIVE, KHSM_AF_NO_CREATE | KHSM_AF_NO_GEN),
	RB(CKA_NEVER_EXTRACTABLE, KHSM_CM_SECRET | KHSM_CM_PRIVATE,
	   NEVER_EXTRACTABLE, KHSM_AF_NO_CREATE | KHSM_AF_NO_GEN),
	RB(CKA_WRAP_WITH_TRUSTED, KHSM_CM_SECRET | KHSM_CM_PRIVATE,
	   WRAP_WITH_TRUSTED, KHSM_AF_SET | KHSM_AF_TO_TRUE),
	RB(CKA_TRUSTED, KHSM_CM_SECRET | KHSM_CM_PUBLIC | KHSM_CM_CERT, TRUSTED,
	   KHSM_AF_SET | KHSM_AF_SO_TRUE),
	/* templates: fixed at creation, empty by default */
	RV(CKA_WRAP_TEMPLATE, KHSM_CM_SECRET | KHSM_CM_PUBLIC, KHSM_AK_ATTRS,
	   KHSM_AS_BLOB, 0),
	RV(CKA_UNWRAP_TEMPLATE, KHSM_CM_SECRET | KHSM_CM_PRIVATE,
	   KHSM_AK_ATTRS, KHSM_AS_BLOB, 0),
	RV(CKA_DERIVE_TEMPLATE, KHSM_CM_SECRET | KHSM_CM_PRIVATE,
	   KHSM_AK_ATTRS, KHSM_AS_BLOB, 0),
	RB(KHSM_CKA_KERNEL_USE, KHSM_CM_SECRET, KERNEL_USE,
	   KHSM_AF_SET | KHSM_AF_TO_FALSE | KHSM_AF_COPY_ANY),
	RV(CKA_VALUE, KHSM_CM_SECRET, KHSM_AK_BYTES, KHSM_AS_SECRET,
	   KHSM_AF_REQ_CREATE | KHSM_AF_NO_GEN | KHSM_AF_SECRET),
	RV(CKA_VALUE_LEN, KHSM_CM_SECRET, KHSM_AK_ULONG, KHSM_AS_VALUE_LEN,
	   KHSM_AF_NO_CREATE | KHSM_AF_REQ_GEN),
	/* computed at creation; a create template's value must match it */
	RV(CKA_CHECK_VALUE, KHSM_CM_SECRET, KHSM_AK_CHECK, KHSM_AS_BLOB,
	   KHSM_AF_NO_GEN),

	/*
	 * Attributes of classes and key types khsm cannot hold yet
	 * (PKCS#11 3.0 chapter 4): in a template of a class khsm holds they
	 * are CKR_TEMPLATE_INCONSISTENT, not unknown.
	 */
	RX(CKA_CERTIFICATE_TYPE, KHSM_CM_CERT),
	RX(CKA_ISSUER, KHSM_CM_CERT),
	RX(CKA_SERIAL_NUMBER, KHSM_CM_CERT),
	RX(CKA_AC_ISSUER, KHSM_CM_CERT),
	RX(CKA_OWNER, KHSM_CM_CERT),
	RX(CKA_ATTR_TYPES, KHSM_CM_CERT),
	RX(CKA_CERTIFICATE_CATEGORY, KHSM_CM_CERT),
	RX(CKA_JAVA_MIDP_SECURITY_DOMAIN, KHSM_CM_CERT),
	RX(CKA_URL, KHSM_CM_CERT),
	RX(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, KHSM_CM_CERT),
	RX(CKA_HASH_OF_ISSUER_PUBLIC_KEY, KHSM_CM_CERT),
	RX(CKA_NAME_HASH_ALGORITHM, KHSM_CM_CERT),
	RX(CKA_SUBJECT, KHSM_CM_CERT | KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RX(CKA_PUBLIC_KEY_INFO,
	   KHSM_CM_CERT | KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RX(CKA_SIGN_RECOVER, KHSM_CM_PRIVATE),
	RX(CKA_VERIFY_RECOVER, KHSM_CM_PUBLIC),
	RX(CKA_ALWAYS_AUTHENTICATE, KHSM_CM_PRIVATE),
	RX(CKA_SECONDARY_AUTH, KHSM_CM_PRIVATE),
	RX(CKA_AUTH_PIN_FLAGS, KHSM_CM_PRIVATE),
	/* RSA */
	RX(CKA_MODULUS, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RX(CKA_MODULUS_BITS, KHSM_CM_PUBLIC),
	RX(CKA_PUBLIC_EXPONENT, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RX(CKA_PRIVATE_EXPONENT, KHSM_CM_PRIVATE),
	RX(CKA_PRIME_1, KHSM_CM_PRIVATE),
	RX(CKA_PRIME_2, KHSM_CM_PRIVATE),
	RX(CKA_EXPONENT_1, KHSM_CM_PRIVATE),
	RX(CKA_EXPONENT_2, KHSM_CM_PRIVATE),
	RX(CKA_COEFFICIENT, KHSM_CM_PRIVATE),
	/* DSA, DH, EC, GOST keys and domain parameters */
	RX(CKA_PRIME, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE | KHSM_CM_DOMAIN),
	RX(CKA_SUBPRIME, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE | KHSM_CM_DOMAIN),
	RX(CKA_BASE, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE | KHSM_CM_DOMAIN),
	RX(CKA_PRIME_BITS, KHSM_CM_DOMAIN),
	RX(CKA_SUB_PRIME_BITS, KHSM_CM_DOMAIN),
	RX(CKA_VALUE_BITS, KHSM_CM_PRIVATE),
	RX(CKA_EC_PARAMS, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE | KHSM_CM_DOMAIN),
	RX(CKA_EC_POINT, KHSM_CM_PUBLIC),
	RX(CKA_GOSTR3410_PARAMS, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RX(CKA_GOSTR3411_PARAMS, KHSM_CM_PUBLIC | KHSM_CM_PRIVATE),
	RXK(CKA_GOST28147_PARAMS, KHSM_CM_SECRET),	/* CKK_GOST28147 */
	/* OTP keys */
	RX(CKA_OTP_FORMAT, KHSM_CM_OTP),
	RX(CKA_OTP_LENGTH, KHSM_CM_OTP),
	RX(CKA_OTP_TIME_INTERVAL, KHSM_CM_OTP),
	RX(CKA_OTP_USER_FRIENDLY_MODE, KHSM_CM_OTP),
	RX(CKA_OTP_CHALLENGE_REQUIREMENT, KHSM_CM_OTP),
	RX(CKA_OTP_TIME_REQUIREMENT, KHSM_CM_OTP),
	RX(CKA_OTP_COUNTER_REQUIREMENT, KHSM_CM_OTP),
	RX(CKA_OTP_PIN_REQUIREMENT, KHSM_CM_OTP),
	RX(CKA_OTP_USER_IDENTIFIER, KHSM_CM_OTP),
	RX(CKA_OTP_SERVICE_IDENTIFIER, KHSM_CM_OTP),
	RX(CKA_OTP_SERVICE_LOGO, KHSM_CM_OTP),
	RX(CKA_OTP_SERVICE_LOGO_TYPE, KHSM_CM_OTP),
	RX(CKA_OTP_COUNTER, KHSM_CM_OTP),
	RX(CKA_OTP_TIME, KHSM_CM_OTP),
	/* hardware features, mechanism and profile objects */
	RX(CKA_HW_FEATURE_TYPE, KHSM_CM_HW),
	RX(CKA_RESET_ON_INIT, KHSM_CM_HW),
	RX(CKA_HAS_RESET, KHSM_CM_HW),
	RX(CKA_PIXEL_X, KHSM_CM_HW),
	RX(CKA_PIXEL_Y, KHSM_CM_HW),
	RX(CKA_RESOLUTION, KHSM_CM_HW),
	RX(CKA_CHAR_ROWS, KHSM_CM_HW),
	RX(CKA_CHAR_COLUMNS, KHSM_CM_HW),
	RX(CKA_COLOR, KHSM_CM_HW),
	RX(CKA_BITS_PER_PIXEL, KHSM_CM_HW),
	RX(CKA_CHAR_SETS, KHSM_CM_HW),
	RX(CKA_ENCODING_METHODS, KHSM_CM_HW),
	RX(CKA_MIME_TYPES, KHSM_CM_HW),
	RX(CKA_MECHANISM_TYPE, KHSM_CM_MECH),
	RX(CKA_REQUIRED_CMS_ATTRIBUTES, KHSM_CM_MECH),
	RX(CKA_DEFAULT_CMS_ATTRIBUTES, KHSM_CM_MECH),
	RX(CKA_SUPPORTED_CMS_ATTRIBUTES, KHSM_CM_MECH),
	RX(CKA_PROFILE_ID, KHSM_CM_PROFILE),
};

#undef RB
#undef RV
#undef RX
#undef RXK

static u16 class_mask(u32 class)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_classes); i++)
		if (khsm_classes[i].class == class)
			return khsm_classes[i].mask;
	return 0;
}

static const struct khsm_key_type_row *key_type_row(u32 class, u32 key_type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_key_types); i++)
		if (khsm_key_types[i].key_type == key_type &&
		    khsm_key_types[i].class == class)
			return &khsm_key_types[i];
	return NULL;
}

bool khsm_key_len_ok(u32 class, u32 key_type, size_t len)
{
	const struct khsm_key_type_row *k = key_type_row(class, key_type);

	if (!k || len < k->min_len || len > k->max_len)
		return false;
	if (k->len_mask && (len % 8 || !(k->len_mask & BIT(len / 8))))
		return false;
	return true;
}

static bool class_is_key(u32 class)
{
	return class_mask(class) & KHSM_CM_KEY;
}

/* Does row @r apply to an object of class mask @cm? */
static bool attr_applicable(const struct khsm_attr_rule *r, u16 cm)
{
	return (r->classes & cm) && !(r->flags & KHSM_AF_OTHER_KT);
}

/* The row of @type for an object of class mask @cm, or -1 */
static int rule_find(u64 type, u16 cm)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(khsm_rules); i++)
		if (khsm_rules[i].type == type &&
		    attr_applicable(&khsm_rules[i], cm))
			return i;
	return -1;
}

/*
 * A template attribute without a row for the object: PKCS#11 3.0 4.1.1.
 * A type PKCS#11 defines for other classes or key types is item 5
 * (CKR_TEMPLATE_INCONSISTENT); a type it does not define at all is item 1
 * (CKR_ATTRIBUTE_TYPE_INVALID).
 */
static u32 rule_missing(u64 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_rules); i++)
		if (khsm_rules[i].type == type)
			return CKR_TEMPLATE_INCONSISTENT;
	return CKR_ATTRIBUTE_TYPE_INVALID;
}

/* ---- blobs ------------------------------------------------------------- */

#define BLOB_HDR	4	/* u16 row, u16 len */

static size_t blob_entry_size(size_t len)
{
	return ALIGN(BLOB_HDR + len, 2);
}

static void blob_entry(const struct khsm_blob *b, u32 off, u16 *row,
		       u16 *len)
{
	memcpy(row, b->data + off, 2);
	memcpy(len, b->data + off + 2, 2);
}

const u8 *khsm_blob_find(const struct khsm_blob *b, u64 type, u16 *len)
{
	u32 off = 0;
	u16 row, l;

	while (b && off < b->size) {
		blob_entry(b, off, &row, &l);
		if (khsm_rules[row].type == type) {
			*len = l;
			return b->data + off + BLOB_HDR;
		}
		off += blob_entry_size(l);
	}
	*len = 0;
	return NULL;
}

static void blob_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct khsm_blob, rcu));
}

void khsm_blob_put(struct khsm_blob *b)
{
	if (b && refcount_dec_and_test(&b->ref))
		call_rcu(&b->rcu, blob_free_rcu);
}

void khsm_blob_put_unreachable(struct khsm_blob *b)
{
	if (b && refcount_dec_and_test(&b->ref))
		kfree_sensitive(b);
}

/* ---- value formats ----------------------------------------------------- */

bool khsm_date_valid(const u8 *d, size_t len)
{
	int i, m, day;

	if (len == 0)
		return true;
	if (len != 8)
		return false;
	for (i = 0; i < 8; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	m = (d[4] - '0') * 10 + (d[5] - '0');
	day = (d[6] - '0') * 10 + (d[7] - '0');
	return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

static bool value_ok(const struct khsm_attr_rule *r, const u8 *v, u64 len)
{
	switch (r->kind) {
	case KHSM_AK_BOOL:
		return len == 1;
	case KHSM_AK_ULONG:
		return len == 8;
	case KHSM_AK_DATE:
		return khsm_date_valid(v, len);
	case KHSM_AK_MECHS:
		return len % 8 == 0;
	case KHSM_AK_CHECK:
		return len == 0 || len == KHSM_CHECK_VALUE_LEN;
	case KHSM_AK_ATTRS:	/* checked and packed at copy-in */
	default:
		return true;
	}
}

static u64 val_ulong(const u8 *v)
{
	u64 x;

	memcpy(&x, v, sizeof(x));
	return x;
}

/* ---- attribute arrays (CKA_WRAP_TEMPLATE ...) --------------------------- */

/*
 * A template held inside an attribute is packed in the kernel as entries
 * of { u64 type; u16 len; value } (unaligned, read with memcpy), in the
 * order given.  At most KHSM_MAX_TEMPLATE entries, each value and all of
 * them together at most KHSM_MAX_ATTR_LEN bytes, so a packed template
 * fits a blob entry.  No template inside a template.
 */
#define ARR_HDR		10
#define ARR_UATTR	sizeof(struct khsm_attr)

static bool type_is_attr_array(u64 type)
{
	return type == CKA_WRAP_TEMPLATE || type == CKA_UNWRAP_TEMPLATE ||
	       type == CKA_DERIVE_TEMPLATE;
}

static void arr_entry(const u8 *p, u64 *type, u16 *len)
{
	memcpy(type, p, 8);
	memcpy(len, p + 8, 2);
}

static u32 arr_count(const u8 *v, size_t len)
{
	u32 n = 0, off = 0;
	u64 type;
	u16 l;

	while (off + ARR_HDR <= len) {
		arr_entry(v + off, &type, &l);
		off += ARR_HDR + l;
		n++;
	}
	return n;
}

/* Packed size of the user array @ua (@n entries, a kernel copy), or 0 */
static size_t arr_packed_size(const struct khsm_attr *ua, u32 n)
{
	size_t total = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (type_is_attr_array(ua[i].type) ||
		    ua[i].len > KHSM_MAX_ATTR_LEN ||
		    (ua[i].len && !ua[i].value))
			return 0;
		total += ua[i].len;
	}
	if (total > KHSM_MAX_ATTR_LEN)
		return 0;
	return n * ARR_HDR + total;
}

/*
 * Replaces the raw CK_ATTRIBUTE array of @a (its kernel copy) with the
 * packed template, reading the inner values from user space into @dst
 * (@size bytes, from arr_packed_size()).
 */
static long arr_pack(struct khsm_tattr *a, const struct khsm_attr *ua,
		     u32 n, u8 *dst, size_t size)
{
	size_t off = 0;
	u16 l;
	u32 i;

	for (i = 0; i < n; i++) {
		l = ua[i].len;
		memcpy(dst + off, &ua[i].type, 8);
		memcpy(dst + off + 8, &l, 2);
		if (l && khsm_copy_in(dst + off + ARR_HDR,
				      u64_to_user_ptr(ua[i].value), l))
			return -EFAULT;
		off += ARR_HDR + l;
	}
	a->val = dst;
	a->len = size;
	return CKR_OK;
}

/* Packs every attribute array of @t; its raw values are in t->buf */
static long tmpl_arrays_in(struct khsm_tmpl *t)
{
	struct khsm_attr *ua[KHSM_MAX_TEMPLATE];
	size_t size[KHSM_MAX_TEMPLATE], total = 0;
	u32 i, n;
	long rv = CKR_OK;
	u8 *p;

	memset(ua, 0, sizeof(ua));
	for (i = 0; i < t->count; i++) {
		if (!type_is_attr_array(t->a[i].type))
			continue;
		n = t->a[i].len / ARR_UATTR;
		if (t->a[i].len % ARR_UATTR || n > KHSM_MAX_TEMPLATE) {
			rv = CKR_ATTRIBUTE_VALUE_INVALID;
			goto out;
		}
		if (!n)
			continue;
		/* the raw copy may sit at any offset of t->buf */
		ua[i] = kmemdup(t->a[i].val, n * ARR_UATTR, GFP_KERNEL);
		if (!ua[i]) {
			rv = CKR_HOST_MEMORY;
			goto out;
		}
		size[i] = arr_packed_size(ua[i], n);
		if (!size[i]) {
			rv = CKR_ATTRIBUTE_VALUE_INVALID;
			goto out;
		}
		total += size[i];
	}
	if (!total)
		goto out;
	t->abuf = kvzalloc(total, GFP_KERNEL);
	if (!t->abuf) {
		rv = CKR_HOST_MEMORY;
		goto out;
	}
	t->abuflen = total;
	for (i = 0, p = t->abuf; i < t->count && !rv; i++) {
		if (!ua[i])
			continue;
		rv = arr_pack(&t->a[i], ua[i], t->a[i].len / ARR_UATTR, p,
			      size[i]);
		p += size[i];
	}
out:
	for (i = 0; i < t->count; i++)
		kfree(ua[i]);
	return rv;
}

/*
 * C_GetAttributeValue of an attribute array, PKCS#11 3.0 5.7.5: the
 * caller's @n elements at @uptr get each inner attribute in turn: its
 * type (ignored on input), and its length (NULL pValue), or its value if
 * the element's buffer holds it, else CK_UNAVAILABLE_INFORMATION.
 * Returns CKR_OK, CKR_BUFFER_TOO_SMALL or -EFAULT.
 */
static long arr_get(u64 uptr, const u8 *v, size_t len)
{
	struct khsm_attr __user *ua = u64_to_user_ptr(uptr);
	struct khsm_attr e;
	size_t off = 0;
	bool small = false;
	u64 type;
	u16 l;

	for (; off + ARR_HDR <= len; ua++, off += ARR_HDR + l) {
		arr_entry(v + off, &type, &l);
		if (khsm_copy_in(&e, ua, sizeof(e)))
			return -EFAULT;
		e.type = type;
		if (!e.value) {
			e.len = l;
		} else if (e.len >= l) {
			if (l && khsm_copy_out(u64_to_user_ptr(e.value),
					       v + off + ARR_HDR, l))
				return -EFAULT;
			e.len = l;
		} else {
			e.len = CK_UNAVAILABLE_INFORMATION;
			small = true;
		}
		if (khsm_copy_out(ua, &e, sizeof(e)))
			return -EFAULT;
	}
	return small ? CKR_BUFFER_TOO_SMALL : CKR_OK;
}

/* ---- templates ---------------------------------------------------------- */

long khsm_tmpl_copy_in(u64 uptr, u64 count, bool values,
		       struct khsm_tmpl **out)
{
	struct khsm_attr __user *ua = u64_to_user_ptr(uptr);
	struct khsm_attr *ka;
	struct khsm_tmpl *t;
	size_t total = 0;
	u8 *buf = NULL;
	long ret;
	u32 i;

	if (count > KHSM_MAX_TEMPLATE || (count && !uptr))
		return CKR_ARGUMENTS_BAD;
	t = kzalloc(struct_size(t, a, count), GFP_KERNEL);
	ka = kmalloc_array(count ? count : 1, sizeof(*ka), GFP_KERNEL);
	if (!t || !ka) {
		ret = CKR_HOST_MEMORY;
		goto err;
	}
	if (khsm_copy_in(ka, ua, count * sizeof(*ka))) {
		ret = -EFAULT;
		goto err;
	}
	t->count = count;
	for (i = 0; i < count; i++) {
		t->a[i].type = ka[i].type;
		t->a[i].len = ka[i].len;
		t->a[i].uval = ka[i].value;
		if (!values)
			continue;
		if (ka[i].len > KHSM_MAX_ATTR_LEN) {
			ret = CKR_ATTRIBUTE_VALUE_INVALID;
			goto err;
		}
		if (ka[i].len && !ka[i].value) {
			ret = CKR_ARGUMENTS_BAD;
			goto err;
		}
		total += ka[i].len;
	}
	if (values && total) {
		buf = kvmalloc(total, GFP_KERNEL);
		if (!buf) {
			ret = CKR_HOST_MEMORY;
			goto err;
		}
		t->buf = buf;
		t->buflen = total;
		total = 0;
		for (i = 0; i < count; i++) {
			t->a[i].val = buf + total;
			if (khsm_copy_in(t->a[i].val,
					 u64_to_user_ptr(t->a[i].uval),
					 t->a[i].len)) {
				ret = -EFAULT;
				goto err;
			}
			total += t->a[i].len;
		}
		ret = tmpl_arrays_in(t);
		if (ret)
			goto err;
	}
	kfree(ka);
	*out = t;
	return CKR_OK;
err:
	kfree(ka);
	khsm_tmpl_free(t);
	return ret;
}

void khsm_tmpl_free(struct khsm_tmpl *t)
{
	if (!t)
		return;
	if (t->buf)
		kvfree_sensitive(t->buf, t->buflen);
	if (t->abuf)
		kvfree_sensitive(t->abuf, t->abuflen);
	kfree(t);
}

/* Index of the attribute @type in @t, or -1 */
static int tmpl_find(const struct khsm_tmpl *t, u64 type)
{
	int i;

	for (i = 0; i < (int)t->count; i++)
		if (t->a[i].type == type)
			return i;
	return -1;
}

/* ---- building objects ------------------------------------------------- */

/* Class and key type of a new object (create and generate) */
static u32 build_class(const struct khsm_tmpl *t, enum khsm_tmpl_op op,
		       const struct khsm_mech_row *gen,
		       struct khsm_obj_spec *spec)
{
	int ic = tmpl_find(t, CKA_CLASS);
	int ik = tmpl_find(t, CKA_KEY_TYPE);
	u64 class, kt;

	if (ic >= 0 && t->a[ic].len != 8)
		return CKR_ATTRIBUTE_VALUE_INVALID;
	if (ik >= 0 && t->a[ik].len != 8)
		return CKR_ATTRIBUTE_VALUE_INVALID;

	if (op == KHSM_TOP_GENERATE) {
		class = CKO_SECRET_KEY;
		kt = gen->key_type;
		if (ic >= 0 && val_ulong(t->a[ic].val) != class)
			return CKR_TEMPLATE_INCONSISTENT;
		if (ik >= 0 && val_ulong(t->a[ik].val) != kt)
			return CKR_TEMPLATE_INCONSISTENT;
	} else {
		if (ic < 0)
			return CKR_TEMPLATE_INCOMPLETE;
		class = val_ulong(t->a[ic].val);
		if (class > U32_MAX || !class_mask(class))
			return CKR_ATTRIBUTE_VALUE_INVALID;
		kt = U32_MAX;
		if (class_is_key(class)) {
			if (ik < 0)
				return CKR_TEMPLATE_INCOMPLETE;
			kt = val_ulong(t->a[ik].val);
			if (kt > U32_MAX || !key_type_row(class, kt))
				return CKR_ATTRIBUTE_VALUE_INVALID;
		}
	}
	spec->class = class;
	spec->key_type = kt;
	return CKR_OK;
}

static u32 default_bools(u16 cm)
{
	u32 bools = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(khsm_rules); i++)
		if ((khsm_rules[i].classes & cm) &&
		    khsm_rules[i].store == KHSM_AS_BOOL &&
		    (khsm_rules[i].flags & KHSM_AF_DEF_TRUE))
			bools |= BIT(khsm_rules[i].bit);
	return bools;
}

/* Is attribute @i of @t allowed in @op at all? */
static u32 check_allowed(const struct khsm_attr_rule *r, enum khsm_tmpl_op op)
{
	switch (op) {
	case KHSM_TOP_CREATE:
		return r->flags & KHSM_AF_NO_CREATE ?
			CKR_ATTRIBUTE_READ_ONLY : CKR_OK;
	case KHSM_TOP_GENERATE:
		return r->flags & KHSM_AF_NO_GEN ?
			CKR_ATTRIBUTE_READ_ONLY : CKR_OK;
	case KHSM_TOP_COPY:
		return r->flags & (KHSM_AF_SET | KHSM_AF_COPY |
				   KHSM_AF_COPY_ANY) ?
			CKR_OK : CKR_ATTRIBUTE_READ_ONLY;
	case KHSM_TOP_SET:
		return r->flags & KHSM_AF_SET ?
			CKR_OK : CKR_ATTRIBUTE_READ_ONLY;
	}
	return CKR_ATTRIBUTE_READ_ONLY;
}

/* A boolean's new value against its one-way rules */
static u32 check_bool(const struct khsm_attr_rule *r, enum khsm_tmpl_op op,
		      u32 old_bools, bool v, int user)
{
	bool old = old_bools & BIT(r->bit);

	if ((r->flags & KHSM_AF_SO_TRUE) && v && !old &&
	    user != KHSM_USER_SO)
		return CKR_ATTRIBUTE_READ_ONLY;
	if (op != KHSM_TOP_COPY && op != KHSM_TOP_SET)
		return CKR_OK;
	if (op == KHSM_TOP_COPY && (r->flags & KHSM_AF_COPY_ANY))
		return CKR_OK;
	if ((r->flags & KHSM_AF_TO_TRUE) && old && !v)
		return CKR_ATTRIBUTE_READ_ONLY;
	if ((r->flags & KHSM_AF_TO_FALSE) && !old && v)
		return CKR_ATTRIBUTE_READ_ONLY;
	return CKR_OK;
}

/* Builds the blob of the new state: template values over @base */
static struct khsm_blob *blob_build(const struct khsm_tmpl *t, u16 cm,
				    const struct khsm_blob *base)
{
	struct khsm_blob *b;
	size_t size = 0, i;
	u32 off = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(khsm_rules); i++) {
			const struct khsm_attr_rule *r = &khsm_rules[i];
			const u8 *v;
			u16 len, row = i;
			int k;

			if (!(r->classes & cm) || r->store != KHSM_AS_BLOB)
				continue;
			k = t ? tmpl_find(t, r->type) : -1;
			if (k >= 0) {
				v = t->a[k].val;
				len = t->a[k].len;
			} else {
				v = khsm_blob_find(base, r->type, &len);
			}
			if (!len)
				continue;
			if (!pass) {
				size += blob_entry_size(len);
				continue;
			}
			memcpy(b->data + off, &row, 2);
			memcpy(b->data + off + 2, &len, 2);
			memcpy(b->data + off + BLOB_HDR, v, len);
			off += blob_entry_size(len);
		}
		if (pass)
			break;
		b = kzalloc(struct_size(b, data, size), GFP_KERNEL_ACCOUNT);
		if (!b)
			return NULL;
		refcount_set(&b->ref, 1);
		b->size = size;
		b->alloc = size;
	}
	return b;
}

u32 khsm_attr_build(const struct khsm_tmpl *t, enum khsm_tmpl_op op,
		    const struct khsm_object *src,
		    const struct khsm_blob *base, u32 base_bools, int user,
		    const struct khsm_mech_row *gen, struct khsm_obj_spec *spec)
{
	u32 bools, rv;
	u16 cm;
	int i, j;

	memset(spec, 0, sizeof(*spec));
	if (src) {
		spec->class = src->class;
		spec->key_type = src->key_type;
		spec->gen_mech = src->gen_mech;
		bools = base_bools;
	} else {
		rv = build_class(t, op, gen, spec);
		if (rv)
			return rv;
		spec->gen_mech = op == KHSM_TOP_GENERATE ?
				 (u32)gen->type : KHSM_NO_MECH;
		bools = default_bools(class_mask(spec->class));
	}
	cm = class_mask(spec->class);

	for (i = 0; i < (int)t->count; i++) {
		const struct khsm_tattr *a = &t->a[i];
		const struct khsm_attr_rule *r;
		int ri = rule_find(a->type, cm);

		if (ri < 0)
			return rule_missing(a->type);
		r = &khsm_rules[ri];
		rv = check_allowed(r, op);
		if (rv)
			return rv;
		if (!value_ok(r, a->val, a->len))
			return CKR_ATTRIBUTE_VALUE_INVALID;
		if (op == KHSM_TOP_COPY &&
		    !(base_bools & BIT(KHSM_B_MODIFIABLE)) &&
		    !(r->flags & (KHSM_AF_COPY | KHSM_AF_COPY_ANY)))
			return CKR_ATTRIBUTE_READ_ONLY;
		for (j = 0; j < i; j++)
			if (t->a[j].type == a->type &&
			    (t->a[j].len != a->len ||
			     (a->len && memcmp(t->a[j].val, a->val, a->len))))
				return CKR_TEMPLATE_INCONSISTENT;
		switch (r->store) {
		case KHSM_AS_BOOL: {
			bool v = a->val[0];

			rv = check_bool(r, op, base_bools, v, user);
			if (rv)
				return rv;
			if (v)
				bools |= BIT(r->bit);
			else
				bools &= ~BIT(r->bit);
			break;
		}
		case KHSM_AS_SECRET:
			if (!khsm_key_len_ok(spec->class, spec->key_type,
					     a->len))
				return CKR_ATTRIBUTE_VALUE_INVALID;
			spec->secret = a->val;
			spec->secret_len = a->len;
			break;
		case KHSM_AS_VALUE_LEN:
			spec->value_len = val_ulong(a->val);
			spec->value_len_set = true;
			break;
		case KHSM_AS_BLOB:
			if (r->kind == KHSM_AK_CHECK && !a->len)
				spec->check_empty = true;
			break;
		default:	/* class, key type: checked above; blobs below */
			break;
		}
	}

	/* required attributes */
	for (i = 0; i < (int)ARRAY_SIZE(khsm_rules); i++) {
		const struct khsm_attr_rule *r = &khsm_rules[i];
		u16 need = op == KHSM_TOP_CREATE ? KHSM_AF_REQ_CREATE :
			   op == KHSM_TOP_GENERATE ? KHSM_AF_REQ_GEN : 0;

		if ((r->classes & cm) && (r->flags & need) &&
		    tmpl_find(t, r->type) < 0)
			return CKR_TEMPLATE_INCOMPLETE;
	}

	if (op == KHSM_TOP_GENERATE) {
		if (!khsm_key_len_ok(spec->class, spec->key_type,
				     spec->value_len) ||
		    spec->value_len < gen->min_key ||
		    spec->value_len > gen->max_key)
			return CKR_ATTRIBUTE_VALUE_INVALID;
		bools |= BIT(KHSM_B_LOCAL);
		if (bools & BIT(KHSM_B_SENSITIVE))
			bools |= BIT(KHSM_B_ALWAYS_SENSITIVE);
		if (!(bools & BIT(KHSM_B_EXTRACTABLE)))
			bools |= BIT(KHSM_B_NEVER_EXTRACTABLE);
	}
	/* a token-chosen boolean a template cannot set: keep it consistent */
	if (op == KHSM_TOP_CREATE)
		bools &= ~(BIT(KHSM_B_LOCAL) | BIT(KHSM_B_ALWAYS_SENSITIVE) |
			   BIT(KHSM_B_NEVER_EXTRACTABLE));
	spec->bools = bools;
	spec->check_kept = op == KHSM_TOP_COPY;

	spec->blob = blob_build(t, cm, src ? base : NULL);
	if (!spec->blob)
		return CKR_HOST_MEMORY;
	return CKR_OK;
}

/*
 * The first bytes of one engine run: E(@key, 0^128) or H(@key).  The
 * engine takes heap buffers only (it builds scatterlists).
 */
static u32 check_value(const struct khsm_key_type_row *k, const u8 *key,
		       size_t keylen, u8 *cv)
{
	const struct khsm_mech_row *m = khsm_mech_find(k->check_mech);
	struct khsm_engine_ctx *ctx;
	size_t n = 64;
	u8 *buf;		/* 16 zero bytes in, then 64 out */
	bool digest;
	u32 rv;

	if (!m || !m->ops || !m->ops->oneshot)
		return CKR_GENERAL_ERROR;
	buf = kzalloc(16 + n, GFP_KERNEL);
	if (!buf)
		return CKR_HOST_MEMORY;
	digest = m->fns & KHSM_FN_DIGEST;
	rv = m->ops->init(m, digest ? KHSM_FN_DIGEST : KHSM_FN_ENCRYPT, NULL,
			  0, digest ? NULL : key, digest ? 0 : keylen, NULL, &ctx);
	if (!rv) {
		rv = digest ? m->ops->oneshot(ctx, key, keylen, buf + 16, &n) :
			      m->ops->oneshot(ctx, buf, 16, buf + 16, &n);
		m->ops->free(ctx);
	}
	if (!rv && n >= KHSM_CHECK_VALUE_LEN)
		memcpy(cv, buf + 16, KHSM_CHECK_VALUE_LEN);
	else if (!rv)
		rv = CKR_GENERAL_ERROR;
	kfree_sensitive(buf);
	return rv;
}

u32 khsm_attr_check_value(struct khsm_obj_spec *spec)
{
	const struct khsm_key_type_row *k;
	struct khsm_blob *b = spec->blob, *nb;
	u8 cv[KHSM_CHECK_VALUE_LEN];
	const u8 *given;
	u16 len, row;
	u32 rv, off;
	int ri;

	k = key_type_row(spec->class, spec->key_type);
	if (!k || !k->check_mech || !spec->secret_len)
		return CKR_OK;
	given = khsm_blob_find(b, CKA_CHECK_VALUE, &len);
	if (spec->check_kept && given)
		return CKR_OK;		/* a copy: the source's */
	if (spec->check_empty)
		return CKR_OK;		/* the template asked for none */
	rv = check_value(k, spec->secret, spec->secret_len, cv);
	if (rv)
		return rv;
	if (given)
		return memcmp(given, cv, sizeof(cv)) ?
		       CKR_ATTRIBUTE_VALUE_INVALID : CKR_OK;

	/* append the entry to a copy of the blob */
	ri = rule_find(CKA_CHECK_VALUE, class_mask(spec->class));
	if (ri < 0)
		return CKR_OK;
	off = b->size;
	nb = kzalloc(struct_size(nb, data, off + blob_entry_size(sizeof(cv))),
		     GFP_KERNEL_ACCOUNT);
	if (!nb)
		return CKR_HOST_MEMORY;
	refcount_set(&nb->ref, 1);
	memcpy(nb->data, b->data, off);
	row = ri;
	len = sizeof(cv);
	memcpy(nb->data + off, &row, 2);
	memcpy(nb->data + off + 2, &len, 2);
	memcpy(nb->data + off + BLOB_HDR, cv, sizeof(cv));
	nb->size = off + blob_entry_size(sizeof(cv));
	nb->alloc = nb->size;
	khsm_blob_put(b);
	spec->blob = nb;
	return CKR_OK;
}

void khsm_obj_spec_free(struct khsm_obj_spec *spec)
{
	khsm_blob_put(spec->blob);
	spec->blob = NULL;
}

/* ---- reading ------------------------------------------------------------ */

/*
 * Value of row @r on @obj: into @tmp (KHSM_ATTR_TMP bytes) for scalars,
 * else a pointer
 */
static const u8 *attr_value(const struct khsm_object *obj,
			    const struct khsm_attr_rule *r,
			    const struct khsm_blob *b, u32 bools, u8 *tmp,
			    size_t *len)
{
	u64 x;
	u16 l;
	const u8 *p;

	switch (r->store) {
	case KHSM_AS_BOOL:
		tmp[0] = !!(bools & BIT(r->bit));
		*len = 1;
		return tmp;
	case KHSM_AS_CLASS:
		x = obj->class;
		break;
	case KHSM_AS_KEY_TYPE:
		x = obj->key_type;
		break;
	case KHSM_AS_VALUE_LEN:
		x = obj->secret_len;
		break;
	case KHSM_AS_GEN_MECH:
		x = obj->gen_mech == KHSM_NO_MECH ? CK_UNAVAILABLE_INFORMATION :
		    obj->gen_mech;
		break;
	case KHSM_AS_SECRET:
		*len = obj->secret_len;
		return obj->secret;
	case KHSM_AS_UNIQUE_ID:
		*len = KHSM_UNIQUE_ID_LEN;
		return khsm_unique_id_str(obj->unique_id, tmp);
	default:
		p = khsm_blob_find(b, r->type, &l);
		*len = l;
		return p;
	}
	memcpy(tmp, &x, sizeof(x));
	*len = sizeof(x);
	return tmp;
}

static bool value_hidden(const struct khsm_attr_rule *r, u32 bools)
{
	return (r->flags & KHSM_AF_SECRET) &&
	       ((bools & BIT(KHSM_B_SENSITIVE)) ||
		!(bools & BIT(KHSM_B_EXTRACTABLE)));
}

long khsm_attr_get(const struct khsm_object *obj, struct khsm_tmpl *t)
{
	bool sensitive = false, invalid = false, small = false;
	u16 cm = class_mask(obj->class);
	struct khsm_blob *b;
	long ret = 0;
	u32 i, bools;

	b = khsm_index_snapshot(khsm_obj_index(obj), obj, &bools);

	for (i = 0; i < t->count; i++) {
		struct khsm_tattr *a = &t->a[i];
		const struct khsm_attr_rule *r;
		const u8 *v;
		u8 tmp[KHSM_ATTR_TMP];
		size_t len;
		int ri = rule_find(a->type, cm);

		if (ri < 0) {
			a->len = CK_UNAVAILABLE_INFORMATION;
			invalid = true;
			continue;
		}
		r = &khsm_rules[ri];
		if (value_hidden(r, bools)) {
			a->len = CK_UNAVAILABLE_INFORMATION;
			sensitive = true;
			continue;
		}
		v = attr_value(obj, r, b, bools, tmp, &len);
		if (r->kind == KHSM_AK_ATTRS) {
			/* the length of the caller's CK_ATTRIBUTE[] */
			u64 need = arr_count(v, len) * ARR_UATTR;

			if (a->uval && a->len >= need) {
				long err = arr_get(a->uval, v, len);

				if (err < 0) {
					ret = err;
					break;
				}
				small |= err == CKR_BUFFER_TOO_SMALL;
				a->len = need;
			} else if (a->uval) {
				a->len = CK_UNAVAILABLE_INFORMATION;
				small = true;
			} else {
				a->len = need;
			}
			continue;
		}
		if (!a->uval) {
			a->len = len;
		} else if (a->len >= len) {
			if (len && khsm_copy_out(u64_to_user_ptr(a->uval), v,
						 len)) {
				ret = -EFAULT;
				break;
			}
			a->len = len;
		} else {
			a->len = CK_UNAVAILABLE_INFORMATION;
			small = true;
		}
	}
	khsm_blob_put(b);
	if (ret)
		return ret;
	if (sensitive)
		return CKR_ATTRIBUTE_SENSITIVE;
	if (invalid)
		return CKR_ATTRIBUTE_TYPE_INVALID;
	if (small)
		return CKR_BUFFER_TOO_SMALL;
	return CKR_OK;
}

bool khsm_attr_match(const struct khsm_object *obj, const struct khsm_tmpl *t)
{
	u16 cm = class_mask(obj->class);
	u32 bools = READ_ONCE(obj->bools);
	const struct khsm_blob *b;
	bool match = true;
	u32 i;

	rcu_read_lock();
	b = rcu_dereference(obj->blob);
	for (i = 0; i < t->count && match; i++) {
		const struct khsm_tattr *a = &t->a[i];
		const struct khsm_attr_rule *r;
		const u8 *v;
		u8 tmp[KHSM_ATTR_TMP];
		size_t len;
		int ri = rule_find(a->type, cm);

		if (ri < 0) {
			match = false;
			break;
		}
		r = &khsm_rules[ri];
		if (value_hidden(r, bools)) {
			match = false;
			break;
		}
		if (r->kind == KHSM_AK_BOOL) {
			match = a->len == 1 &&
				!!a->val[0] == !!(bools & BIT(r->bit));
			continue;
		}
		v = attr_value(obj, r, b, bools, tmp, &len);
		match = a->len == len && (!len || !memcmp(a->val, v, len));
	}
	rcu_read_unlock();
	return match;
}

/* ---- key policy --------------------------------------------------------- */

/* Today as CK_DATE "YYYYMMDD" (UTC) */
static void date_today(u8 d[8])
{
	struct tm tm;
	char s[9];

	time64_to_tm(ktime_get_real_seconds(), 0, &tm);
	snprintf(s, sizeof(s), "%04u%02u%02u",
		 (unsigned int)((tm.tm_year + 1900) % 10000),
		 (unsigned int)(tm.tm_mon + 1), (unsigned int)tm.tm_mday);
	memcpy(d, s, 8);
}

static u32 key_dates_ok(const struct khsm_blob *b)
{
	const u8 *start, *end;
	u16 sl, el;
	u8 today[8];

	start = khsm_blob_find(b, CKA_START_DATE, &sl);
	end = khsm_blob_find(b, CKA_END_DATE, &el);
	if (!sl && !el)
		return CKR_OK;
	date_today(today);
	if (sl == 8 && memcmp(today, start, 8) < 0)
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	if (el == 8 && memcmp(today, end, 8) > 0)
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	return CKR_OK;
}

static u32 fn_bit(u32 fn)
{
	switch (fn) {
	case KHSM_FN_ENCRYPT:
	case KHSM_FN_MSG_ENCRYPT:
		return BIT(KHSM_B_ENCRYPT);
	case KHSM_FN_DECRYPT:
	case KHSM_FN_MSG_DECRYPT:
		return BIT(KHSM_B_DECRYPT);
	case KHSM_FN_SIGN:
		return BIT(KHSM_B_SIGN);
	case KHSM_FN_VERIFY:
		return BIT(KHSM_B_VERIFY);
	default:
		return 0;
	}
}

u32 khsm_key_check(const struct khsm_object *obj, u32 fn,
		   const struct khsm_mech_row *m)
{
	u32 need = fn_bit(fn);
	struct khsm_blob *b;
	const u8 *mechs;
	u32 rv = CKR_OK, bools;
	u16 len, i;

	if (!class_is_key(obj->class))
		return CKR_KEY_HANDLE_INVALID;
	if (m->key_type != obj->key_type)
		return CKR_KEY_TYPE_INCONSISTENT;
	/* usage flags, dates and mechanisms of one C_SetAttributeValue */
	b = khsm_index_snapshot(khsm_obj_index(obj), obj, &bools);
	if (!need || (bools & need) != need) {
		khsm_blob_put(b);
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	}
	mechs = khsm_blob_find(b, CKA_ALLOWED_MECHANISMS, &len);
	if (len) {
		rv = CKR_MECHANISM_INVALID;
		for (i = 0; i + 8 <= len; i += 8)
			if (val_ulong(mechs + i) == m->type)
				rv = CKR_OK;
	}
	if (!rv)
		rv = key_dates_ok(b);
	khsm_blob_put(b);
	return rv;
}
