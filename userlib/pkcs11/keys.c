// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Key management: C_GenerateKey goes to the kernel.  Key pairs, wrapping,
 * unwrapping and derivation have no mechanism in khsm yet (and no ioctl):
 * those functions check what the library can check, in the specification's
 * order (not initialized, the session, the arguments), and then answer as a
 * token whose mechanism table serves none of them must: CKR_MECHANISM_INVALID
 * (the mechanism check precedes every key-handle and template check).
 */
#include <assert.h>

#include "p11.h"

static_assert(sizeof(CK_MECHANISM) == sizeof(struct khsm_mech), "mech");
static_assert(offsetof(CK_MECHANISM, mechanism) ==
	      offsetof(struct khsm_mech, type), "mech.type");
static_assert(offsetof(CK_MECHANISM, pParameter) ==
	      offsetof(struct khsm_mech, param), "mech.param");
static_assert(offsetof(CK_MECHANISM, ulParameterLen) ==
	      offsetof(struct khsm_mech, param_len), "mech.param_len");

P11_API CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession,
			    CK_MECHANISM_PTR pMechanism,
			    CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
			    CK_OBJECT_HANDLE_PTR phKey)
{
	return p11_new_object(khsm_generate_key, hSession, pMechanism, 0,
			      pTemplate, ulCount, pMechanism != NULL, phKey);
}

P11_API CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession,
				CK_MECHANISM_PTR pMechanism,
				CK_ATTRIBUTE_PTR pPublicKeyTemplate,
				CK_ULONG ulPublicKeyAttributeCount,
				CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
				CK_ULONG ulPrivateKeyAttributeCount,
				CK_OBJECT_HANDLE_PTR phPublicKey,
				CK_OBJECT_HANDLE_PTR phPrivateKey)
{
	return p11_no_mech(hSession, pMechanism &&
		(pPublicKeyTemplate || !ulPublicKeyAttributeCount) &&
		(pPrivateKeyTemplate || !ulPrivateKeyAttributeCount) &&
		phPublicKey && phPrivateKey);
}

P11_API CK_RV C_WrapKey(CK_SESSION_HANDLE hSession,
			CK_MECHANISM_PTR pMechanism,
			CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
			CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
	(void)hWrappingKey;
	(void)hKey;
	(void)pWrappedKey;
	return p11_no_mech(hSession, pMechanism && pulWrappedKeyLen);
}

P11_API CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession,
			  CK_MECHANISM_PTR pMechanism,
			  CK_OBJECT_HANDLE hUnwrappingKey,
			  CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen,
			  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
			  CK_OBJECT_HANDLE_PTR phKey)
{
	(void)hUnwrappingKey;
	return p11_no_mech(hSession, pMechanism &&
		(pWrappedKey || !ulWrappedKeyLen) &&
		(pTemplate || !ulAttributeCount) && phKey);
}

P11_API CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession,
			  CK_MECHANISM_PTR pMechanism,
			  CK_OBJECT_HANDLE hBaseKey,
			  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
			  CK_OBJECT_HANDLE_PTR phKey)
{
	(void)hBaseKey;
	return p11_no_mech(hSession, pMechanism &&
		(pTemplate || !ulAttributeCount) && phKey);
}
