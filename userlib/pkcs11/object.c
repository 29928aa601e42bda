// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Objects, attributes and finding.  Templates (CK_ATTRIBUTE[]) and handle
 * arrays (CK_OBJECT_HANDLE[]) have the kernel's layout on LP64 and go to the
 * kernel as they are: the kernel reads the values and writes the lengths
 * (C_GetAttributeValue) straight into the application's memory.
 */
#include <assert.h>

#include "p11.h"

static_assert(sizeof(CK_ULONG) == sizeof(__u64),
	      "khsm-pkcs11 needs LP64: CK_ULONG is the ABI's __u64");
static_assert(sizeof(CK_OBJECT_HANDLE) == sizeof(__u64), "handle");
static_assert(sizeof(CK_MECHANISM_TYPE) == sizeof(__u64), "mechanism type");
static_assert(sizeof(CK_ATTRIBUTE) == sizeof(struct khsm_attr), "attr");
static_assert(offsetof(CK_ATTRIBUTE, type) ==
	      offsetof(struct khsm_attr, type), "attr.type");
static_assert(offsetof(CK_ATTRIBUTE, pValue) ==
	      offsetof(struct khsm_attr, value), "attr.value");
static_assert(offsetof(CK_ATTRIBUTE, ulValueLen) ==
	      offsetof(struct khsm_attr, len), "attr.len");

/*
 * An ioctl that makes an object from a template (and, for C_GenerateKey, a
 * mechanism; for C_CopyObject, the source @src) and returns its handle.
 * @args_ok covers the caller's own pointers; @tmpl and @handle are checked
 * here.
 */
CK_RV p11_new_object(p11_object_call call, CK_SESSION_HANDLE h,
		     CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE src,
		     CK_ATTRIBUTE_PTR tmpl, CK_ULONG count, int args_ok,
		     CK_OBJECT_HANDLE_PTR handle)
{
	struct khsm_object_req a = {
		.hdr.session = (__u32)h,
		.object = src,
		.attrs = P11_PTR(tmpl),
		.count = count,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(h, args_ok && (tmpl || !count) && handle, 0,
			      &fd);
	if (rv != CKR_OK)
		return rv;
	if (mech)
		p11_mech(&a.mech, mech);
	rv = call(fd, &a);
	if (rv == CKR_OK)
		*handle = a.handle;
	return rv;
}

P11_API CK_RV C_CreateObject(CK_SESSION_HANDLE hSession,
			     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
			     CK_OBJECT_HANDLE_PTR phObject)
{
	return p11_new_object(khsm_create_object, hSession, NULL, 0,
			      pTemplate, ulCount, 1, phObject);
}

P11_API CK_RV C_CopyObject(CK_SESSION_HANDLE hSession,
			   CK_OBJECT_HANDLE hObject,
			   CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
			   CK_OBJECT_HANDLE_PTR phNewObject)
{
	return p11_new_object(khsm_copy_object, hSession, NULL, hObject,
			      pTemplate, ulCount, 1, phNewObject);
}

P11_API CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession,
			      CK_OBJECT_HANDLE hObject)
{
	struct khsm_object_handle a = {
		.hdr.session = (__u32)hSession,
		.object = hObject,
	};
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_destroy_object(fd, &a);
}

P11_API CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession,
			      CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
	struct khsm_object_handle a = {
		.hdr.session = (__u32)hSession,
		.object = hObject,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, pulSize != NULL, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_object_size(fd, &a);
	if (rv == CKR_OK)
		*pulSize = a.size;
	return rv;
}

static CK_RV p11_attrs(int set, CK_SESSION_HANDLE hSession,
		       CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
		       CK_ULONG ulCount)
{
	struct khsm_attrs a = {
		.hdr.session = (__u32)hSession,
		.object = hObject,
		.attrs = P11_PTR(pTemplate),
		.count = ulCount,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, pTemplate || !ulCount, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	return set ? khsm_set_attrs(fd, &a) : khsm_get_attrs(fd, &a);
}

P11_API CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession,
				  CK_OBJECT_HANDLE hObject,
				  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	return p11_attrs(0, hSession, hObject, pTemplate, ulCount);
}

P11_API CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession,
				  CK_OBJECT_HANDLE hObject,
				  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	return p11_attrs(1, hSession, hObject, pTemplate, ulCount);
}

P11_API CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession,
				CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	struct khsm_find_init a = {
		.hdr.session = (__u32)hSession,
		.attrs = P11_PTR(pTemplate),
		.count = ulCount,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, pTemplate || !ulCount, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_find_init(fd, &a);
}

P11_API CK_RV C_FindObjects(CK_SESSION_HANDLE hSession,
			    CK_OBJECT_HANDLE_PTR phObject,
			    CK_ULONG ulMaxObjectCount,
			    CK_ULONG_PTR pulObjectCount)
{
	struct khsm_find a = {
		.hdr.session = (__u32)hSession,
		.handles = P11_PTR(phObject),
		.max = ulMaxObjectCount,
	};
	CK_RV rv;
	int fd;

	rv = p11_session_args(hSession, (phObject || !ulMaxObjectCount) &&
			      pulObjectCount, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = khsm_find(fd, &a);
	if (rv == CKR_OK)
		*pulObjectCount = a.count;
	return rv;
}

P11_API CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
	struct khsm_find a = { .hdr.session = (__u32)hSession };
	CK_RV rv;
	int fd;

	rv = p11_session(hSession, &fd);
	if (rv != CKR_OK)
		return rv;
	return khsm_find_final(fd, &a);
}
