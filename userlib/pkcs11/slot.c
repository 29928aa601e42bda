// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The slot and its token: one slot (P11_SLOT_ID) for /dev/hsm, its token
 * present while the device is open.  Token information, the mechanism
 * list and C_InitToken come from the kernel unchanged.
 */
#include <string.h>

#include "p11.h"

P11_API CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList,
			    CK_ULONG_PTR pulCount)
{
	CK_RV rv = p11_ready();
	CK_ULONG n = 1;

	if (rv != CKR_OK)
		return rv;
	if (!pulCount)
		return CKR_ARGUMENTS_BAD;
	if (tokenPresent && p11_token_fd() < 0)
		n = 0;
	if (pSlotList) {
		if (*pulCount < n) {
			*pulCount = n;
			return CKR_BUFFER_TOO_SMALL;
		}
		if (n)
			pSlotList[0] = P11_SLOT_ID;
	}
	*pulCount = n;
	return CKR_OK;
}

P11_API CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
	struct khsm_token_info t = { 0 };
	CK_RV rv = p11_ready();
	int fd;

	if (rv != CKR_OK)
		return rv;
	if (slotID != P11_SLOT_ID)
		return CKR_SLOT_ID_INVALID;
	if (!pInfo)
		return CKR_ARGUMENTS_BAD;
	memset(pInfo, 0, sizeof(*pInfo));
	p11_pad(pInfo->slotDescription, sizeof(pInfo->slotDescription),
		"khsm /dev/hsm");
	p11_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "khsm");
	/* The module can be absent or unloaded: a removable token. */
	pInfo->flags = CKF_REMOVABLE_DEVICE;
	fd = p11_token_fd();
	if (fd >= 0 && khsm_token_info(fd, &t) == CKR_OK) {
		pInfo->flags |= CKF_TOKEN_PRESENT;
		pInfo->hardwareVersion.major = t.hw_version[0];
		pInfo->hardwareVersion.minor = t.hw_version[1];
		pInfo->firmwareVersion.major = t.fw_version[0];
		pInfo->firmwareVersion.minor = t.fw_version[1];
	}
	return CKR_OK;
}

P11_API CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
	struct khsm_token_info t = { 0 };
	CK_RV rv;
	int fd;

	rv = p11_slot(slotID, pInfo != NULL, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_token_info(fd, &t);
	if (rv != CKR_OK)
		return rv;
	memcpy(pInfo->label, t.label, sizeof(pInfo->label));
	memcpy(pInfo->manufacturerID, t.manufacturer,
	       sizeof(pInfo->manufacturerID));
	memcpy(pInfo->model, t.model, sizeof(pInfo->model));
	memcpy(pInfo->serialNumber, t.serial, sizeof(pInfo->serialNumber));
	pInfo->flags = t.flags;
	pInfo->ulMaxSessionCount = t.max_session_count;
	pInfo->ulSessionCount = t.session_count;
	pInfo->ulMaxRwSessionCount = t.max_rw_session_count;
	pInfo->ulRwSessionCount = t.rw_session_count;
	pInfo->ulMaxPinLen = t.max_pin_len;
	pInfo->ulMinPinLen = t.min_pin_len;
	pInfo->ulTotalPublicMemory = t.total_public_memory;
	pInfo->ulFreePublicMemory = t.free_public_memory;
	pInfo->ulTotalPrivateMemory = t.total_private_memory;
	pInfo->ulFreePrivateMemory = t.free_private_memory;
	pInfo->hardwareVersion.major = t.hw_version[0];
	pInfo->hardwareVersion.minor = t.hw_version[1];
	pInfo->firmwareVersion.major = t.fw_version[0];
	pInfo->firmwareVersion.minor = t.fw_version[1];
	memcpy(pInfo->utcTime, t.utc_time, sizeof(pInfo->utcTime));
	return CKR_OK;
}

/*
 * Slot events would be the module coming and going; the library has no
 * thread to watch for that and the kernel no event to report it, so the
 * function is not supported (the specification allows it).
 */
P11_API CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot,
				 CK_VOID_PTR pReserved)
{
	CK_RV rv = p11_ready();

	(void)flags;
	if (rv != CKR_OK)
		return rv;
	if (!pSlot || pReserved)
		return CKR_ARGUMENTS_BAD;
	return CKR_FUNCTION_NOT_SUPPORTED;
}

P11_API CK_RV C_GetMechanismList(CK_SLOT_ID slotID,
				 CK_MECHANISM_TYPE_PTR pMechanismList,
				 CK_ULONG_PTR pulCount)
{
	struct khsm_mech_list a = { 0 };
	CK_RV rv;
	int fd;

	rv = p11_slot(slotID, pulCount != NULL, &fd);
	if (rv != CKR_OK)
		return rv;
	/* CK_MECHANISM_TYPE[] is the kernel's __u64[] on LP64 */
	a.mechs = P11_PTR(pMechanismList);
	a.count = pMechanismList ? *pulCount : 0;
	rv = khsm_mech_list(fd, &a);
	if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL)
		*pulCount = a.count;
	return rv;
}

P11_API CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,
				 CK_MECHANISM_INFO_PTR pInfo)
{
	struct khsm_mech_info a = { .type = type };
	CK_RV rv;
	int fd;

	rv = p11_slot(slotID, pInfo != NULL, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_mech_info(fd, &a);
	if (rv != CKR_OK)
		return rv;
	pInfo->ulMinKeySize = a.min_key_size;
	pInfo->ulMaxKeySize = a.max_key_size;
	pInfo->flags = a.flags;
	return CKR_OK;
}

/*
 * A NULL pPin goes to the kernel as given, as in C_Login: the token decides
 * what a missing PIN means.
 */
P11_API CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin,
			  CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel)
{
	struct khsm_init_token a = {
		.so_pin = P11_PTR(pPin),
		.so_pin_len = ulPinLen,
	};
	CK_RV rv;
	int fd;

	rv = p11_slot(slotID, pLabel != NULL, &fd);
	if (rv != CKR_OK)
		return rv;
	memcpy(a.label, pLabel, sizeof(a.label));
	return khsm_init_token(fd, &a);
}
