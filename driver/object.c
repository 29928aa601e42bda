// SPDX-License-Identifier: GPL-2.0
/*
 * khsm objects: handles, lifetime, bounds, and the object ioctls
 * (C_CreateObject, C_CopyObject, C_GenerateKey, C_DestroyObject,
 * C_GetObjectSize, C_GetAttributeValue, C_SetAttributeValue).
 *
 * Every object handle of a token (token and session objects) lives in the
 * xarray of one shard (khsm.h: the shard of the CPU that created it), its
 * id allocated cyclically from 1 so a handle is not reused soon.  An
 * object holds one reference for its handle, dropped by destroy; lookups
 * take their own under RCU, so destroying a key another session is using
 * is safe (an operation copies the key into the engine at init anyway).
 * The header is in a kmem_cache, the packed variable attributes in one
 * blob, a key value in its own allocation freed with kfree_sensitive.
 * State an engine derives from a key value (struct khsm_kcache, mech.h)
 * lives in the object's engine cache and goes with the key value.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "khsm.h"
#include "alg.h"

static struct kmem_cache *khsm_obj_cache;
/* object shards: a power of two, at most one per possible CPU and 16 */
unsigned int khsm_nshards __read_mostly = 1;
/* engine cache frees that may sleep (khsm_kcache_defer()) */
static struct workqueue_struct *khsm_kcache_wq;

int khsm_objects_init(void)
{
	unsigned int cpus = num_possible_cpus();

	khsm_nshards = rounddown_pow_of_two(min_t(unsigned int, cpus,
						  KHSM_MAX_SHARDS));
	khsm_kcache_wq = alloc_workqueue("khsm_kcache", 0, 0);
	if (!khsm_kcache_wq)
		return -ENOMEM;
	khsm_obj_cache = kmem_cache_create("khsm_object",
					   sizeof(struct khsm_object), 0,
					   SLAB_ACCOUNT, NULL);
	if (!khsm_obj_cache) {
		destroy_workqueue(khsm_kcache_wq);
		return -ENOMEM;
	}
	return 0;
}

void khsm_objects_exit(void)
{
	/*
	 * Object and blob frees in flight (an object's free takes its blob
	 * along, queueing nothing), then the engine cache frees those
	 * deferred: no callback may run once the module text is gone.
	 */
	rcu_barrier();
	destroy_workqueue(khsm_kcache_wq);	/* drains */
	kmem_cache_destroy(khsm_obj_cache);
}

const struct khsm_kcache *khsm_kcache_find(struct khsm_kcache_head *h,
					   u64 tag)
{
	const struct khsm_kcache *kc;

	/* pairs with the release in khsm_kcache_add() */
	for (kc = smp_load_acquire(&h->first); kc; kc = kc->next)
		if (kc->tag == tag)
			return kc;
	return NULL;
}

bool khsm_kcache_add(struct khsm_kcache_head *h, struct khsm_kcache *kc,
		     size_t charge)
{
	struct khsm_token *tok = container_of(h, struct khsm_object,
					      kcache)->tok;
	struct khsm_kcache *first = READ_ONCE(h->first);

	if (charge > U32_MAX ||
	    atomic64_add_return(charge, &tok->mem_used) >
	    tok->cfg.max_object_memory) {
		atomic64_sub(charge, &tok->mem_used);
		return false;
	}
	kc->charge = charge;
	for (;;) {
		struct khsm_kcache *old;

		kc->next = first;
		old = cmpxchg_release(&h->first, first, kc);
		if (old == first)
			return true;
		first = old;
	}
}

void khsm_kcache_defer(struct work_struct *work)
{
	queue_work(khsm_kcache_wq, work);
}

void khsm_kcache_free_all(struct khsm_kcache_head *h)
{
	struct khsm_token *tok = container_of(h, struct khsm_object,
					      kcache)->tok;
	struct khsm_kcache *kc = h->first, *next;

	for (; kc; kc = next) {
		next = kc->next;
		atomic64_sub(kc->charge, &tok->mem_used);
		kc->free(kc);
	}
	h->first = NULL;
}

static void obj_free_now(struct khsm_object *obj)
{
	khsm_kcache_free_all(&obj->kcache);
	kfree_sensitive(obj->secret);
	khsm_blob_put_unreachable(rcu_dereference_protected(obj->blob, 1));
	kmem_cache_free(khsm_obj_cache, obj);
}

static void obj_free_rcu(struct rcu_head *head)
{
	obj_free_now(container_of(head, struct khsm_object, rcu));
}

/*
 * An object that was ever indexed may still be under a find's RCU walk,
 * which reads its header, blob and (matching CKA_VALUE of an extractable
 * key) its secret: all of it goes after a grace period.
 */
static void obj_free(struct khsm_object *obj, bool indexed)
{
	if (indexed)
		call_rcu(&obj->rcu, obj_free_rcu);
	else
		obj_free_now(obj);
}

void khsm_object_put(struct khsm_object *obj)
{
	if (obj && refcount_dec_and_test(&obj->ref))
		obj_free(obj, true);
}

struct khsm_object *khsm_object_get(struct khsm_token *tok, u64 handle)
{
	unsigned int shard = khsm_handle_shard(handle);
	struct khsm_object *obj;

	if (!handle || handle > U32_MAX || shard >= khsm_nshards)
		return NULL;
	rcu_read_lock();
	obj = xa_load(&tok->handles[shard].xa, handle >> KHSM_SHARD_BITS);
	if (obj && !refcount_inc_not_zero(&obj->ref))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

struct khsm_object *khsm_object_lookup(struct khsm_app *app, u64 handle,
				       bool with_private)
{
	struct khsm_object *obj = khsm_object_get(app->tok, handle);

	if (!obj)
		return NULL;
	if ((obj->owner && obj->owner != app) ||
	    (!with_private && khsm_obj_bool(obj, KHSM_B_PRIVATE) &&
	     khsm_app_user(app) != KHSM_USER_NORMAL)) {
		khsm_object_put(obj);
		return NULL;
	}
	return obj;
}

/* ---- bounds ------------------------------------------------------------ */

static u32 charge(struct khsm_token *tok, struct khsm_app *app, bool token,
		  u32 mem)
{
	if (token && atomic_inc_return(&tok->token_objects) >
		     tok->cfg.max_token_objects)
		goto err_token;
	if (atomic_inc_return(&app->objects) > tok->cfg.max_objects)
		goto err_app;
	if (atomic64_add_return(mem, &tok->mem_used) >
	    tok->cfg.max_object_memory)
		goto err_mem;
	return CKR_OK;
err_mem:
	atomic64_sub(mem, &tok->mem_used);
err_app:
	atomic_dec(&app->objects);
err_token:
	if (token)
		atomic_dec(&tok->token_objects);
	return CKR_DEVICE_MEMORY;
}

/* Drops the owner or creator link and every charge of @obj */
static void uncharge(struct khsm_object *obj)
{
	struct khsm_token *tok = obj->tok;
	struct khsm_session *sess = NULL;

	if (obj->owner) {
		sess = obj->sess;
		spin_lock(&sess->obj_lock);
		list_del_init(&obj->own_node);
		spin_unlock(&sess->obj_lock);
		atomic_dec(&obj->owner->objects);
	} else {
		spin_lock(&tok->creator_lock);
		if (obj->creator) {
			list_del_init(&obj->own_node);
			atomic_dec(&obj->creator->objects);
			obj->creator = NULL;
		}
		spin_unlock(&tok->creator_lock);
		atomic_dec(&tok->token_objects);
	}
	atomic64_sub(obj->mem, &tok->mem_used);
	khsm_session_put(sess);
}

void khsm_object_destroy(struct khsm_object *obj)
{
	if (!khsm_index_del(khsm_obj_index(obj), obj))
		return;		/* lost a race with another destroy */
	xa_erase(&obj->tok->handles[khsm_handle_shard(obj->handle)].xa,
		 obj->handle >> KHSM_SHARD_BITS);
	uncharge(obj);
	khsm_keytoken_revalidate(obj);	/* kernel users bound to it */
	khsm_object_put(obj);
}

/* ---- creation ----------------------------------------------------------- */

/* Reserves a handle in the shard of this CPU; publish with handle_set() */
static int handle_reserve(struct khsm_token *tok, u32 *handle)
{
	unsigned int shard = raw_smp_processor_id() & (khsm_nshards - 1);
	struct khsm_handle_shard *hs = &tok->handles[shard];
	u32 id;
	int err;

	err = xa_alloc_cyclic(&hs->xa, &id, NULL,
			      XA_LIMIT(1, KHSM_HANDLE_ID_MAX), &hs->next,
			      GFP_KERNEL);
	if (err < 0)
		return err;
	*handle = id << KHSM_SHARD_BITS | shard;
	return 0;
}

static void handle_set(struct khsm_token *tok, struct khsm_object *obj)
{
	/* the slot is reserved: nothing to allocate */
	xa_store(&tok->handles[khsm_handle_shard(obj->handle)].xa,
		 obj->handle >> KHSM_SHARD_BITS, obj, GFP_KERNEL);
}

/*
 * Makes the object @spec describes in @sess: access rules, allocation,
 * bounds, handle, index.  Consumes spec->blob.
 */
static u32 object_new(struct khsm_session *sess, struct khsm_obj_spec *spec,
		      u64 *handle)
{
	struct khsm_app *app = sess->app;
	struct khsm_token *tok = app->tok;
	bool token = spec->bools & BIT(KHSM_B_TOKEN);
	struct khsm_object *obj;
	u32 rv, id;
	int err;

	if (token && !sess->rw)
		return CKR_SESSION_READ_ONLY;
	if ((spec->bools & BIT(KHSM_B_PRIVATE)) &&
	    khsm_app_user(app) != KHSM_USER_NORMAL)
		return CKR_USER_NOT_LOGGED_IN;
	rv = khsm_attr_check_value(spec);
	if (rv)
		return rv;

	obj = kmem_cache_zalloc(khsm_obj_cache, GFP_KERNEL);
	if (!obj)
		return CKR_HOST_MEMORY;
	refcount_set(&obj->ref, 1);
	INIT_LIST_HEAD(&obj->own_node);
	INIT_LIST_HEAD(&obj->class_node);
	obj->tok = tok;
	obj->class = spec->class;
	obj->key_type = spec->key_type;
	obj->gen_mech = spec->gen_mech;
	obj->bools = spec->bools;
	RCU_INIT_POINTER(obj->blob, spec->blob);
	spec->blob = NULL;
	if (spec->secret_len) {
		obj->secret = kmemdup(spec->secret, spec->secret_len,
				      GFP_KERNEL_ACCOUNT);
		if (!obj->secret) {
			obj_free(obj, false);
			return CKR_HOST_MEMORY;
		}
		obj->secret_len = spec->secret_len;
	}
	obj->mem = kmem_cache_size(khsm_obj_cache) +
		   ksize(rcu_dereference_protected(obj->blob, 1)) +
		   (obj->secret ? ksize(obj->secret) : 0);

	rv = charge(tok, app, token, obj->mem);
	if (rv) {
		obj_free(obj, false);
		return rv;
	}
	/* reserve the handle; the object is published only when complete */
	err = handle_reserve(tok, &id);
	if (err < 0) {
		rv = CKR_DEVICE_MEMORY;
		goto err_charge;
	}
	obj->handle = id;
	obj->unique_id = atomic64_inc_return(&tok->unique_ids);

	/*
	 * Index first, then the handle, then the owner list (which close
	 * session and logout destroy from): an object is on a list only once
	 * it is complete and published.  A session object keeps its session
	 * (the list and its lock) until uncharge().
	 */
	if (!token) {
		obj->owner = app;
		obj->sess = sess;
		kref_get(&sess->ref);
	}
	khsm_index_add(khsm_obj_index(obj), obj);
	if (token) {
		spin_lock(&tok->creator_lock);
		obj->creator = app;
		list_add_tail(&obj->own_node, &app->tok_objects);
		spin_unlock(&tok->creator_lock);
		handle_set(tok, obj);
		*handle = id;
		return CKR_OK;
	}

	/* published, a guessed handle may destroy it: our own reference */
	refcount_inc(&obj->ref);
	handle_set(tok, obj);
	spin_lock(&sess->obj_lock);
	if (sess->objs_closed)
		rv = CKR_SESSION_CLOSED;
	else if ((spec->bools & BIT(KHSM_B_PRIVATE)) &&
		 khsm_app_user(app) != KHSM_USER_NORMAL)
		rv = CKR_USER_NOT_LOGGED_IN;	/* logged out since the check */
	else if (!READ_ONCE(obj->dead))	/* else destroyed already */
		list_add_tail(&obj->own_node, &sess->objects);
	spin_unlock(&sess->obj_lock);
	if (rv)
		khsm_object_destroy(obj);
	khsm_object_put(obj);
	if (!rv)
		*handle = id;
	return rv;

err_charge:
	atomic64_sub(obj->mem, &tok->mem_used);
	atomic_dec(&app->objects);
	if (token)
		atomic_dec(&tok->token_objects);
	obj_free(obj, false);
	return rv;
}

/* ---- teardown of object sets --------------------------------------------- */

/* Destroys every object on @list, which @lock protects */
static void destroy_list(struct list_head *list, spinlock_t *lock)
{
	struct khsm_object *obj;
	bool got;

	spin_lock(lock);
	while (!list_empty(list)) {
		obj = list_first_entry(list, struct khsm_object, own_node);
		list_del_init(&obj->own_node);
		got = refcount_inc_not_zero(&obj->ref);
		spin_unlock(lock);
		if (got) {
			khsm_object_destroy(obj);
			khsm_object_put(obj);
		}
		spin_lock(lock);
	}
	spin_unlock(lock);
}

void khsm_session_objects_destroy(struct khsm_session *sess)
{
	LIST_HEAD(list);

	spin_lock(&sess->obj_lock);
	sess->objs_closed = true;
	list_splice_init(&sess->objects, &list);
	spin_unlock(&sess->obj_lock);
	if (!list_empty(&list))
		destroy_list(&list, &sess->obj_lock);
}

void khsm_app_private_objects_destroy(struct khsm_app *app)
{
	struct khsm_session *sess;
	struct khsm_object *obj, *tmp;
	LIST_HEAD(list);
	u32 i;

	lockdep_assert_held(&app->lock);
	for (i = 0; i < khsm_app_session_slots(app); i++) {
		sess = khsm_app_session_at(app, i);
		if (!sess)
			continue;
		spin_lock(&sess->obj_lock);
		list_for_each_entry_safe(obj, tmp, &sess->objects, own_node)
			if (khsm_obj_bool(obj, KHSM_B_PRIVATE))
				list_move_tail(&obj->own_node, &list);
		spin_unlock(&sess->obj_lock);
		destroy_list(&list, &sess->obj_lock);
	}
}

void khsm_app_forget_token_objects(struct khsm_app *app)
{
	struct khsm_token *tok = app->tok;
	struct khsm_object *obj, *tmp;

	spin_lock(&tok->creator_lock);
	list_for_each_entry_safe(obj, tmp, &app->tok_objects, own_node) {
		list_del_init(&obj->own_node);
		obj->creator = NULL;
		atomic_dec(&app->objects);
	}
	spin_unlock(&tok->creator_lock);
}

void khsm_token_objects_destroy(struct khsm_token *tok)
{
	struct khsm_object *obj;
	unsigned long i;
	unsigned int s;

	for (s = 0; s < khsm_nshards; s++) {
		xa_for_each(&tok->handles[s].xa, i, obj) {
			if (obj->owner || !refcount_inc_not_zero(&obj->ref))
				continue;
			khsm_object_destroy(obj);
			khsm_object_put(obj);
			cond_resched();
		}
	}
}

/* ---- ioctls --------------------------------------------------------------- */

static bool mech_empty(const struct khsm_mech *m)
{
	return !m->type && !m->param && !m->param_len;
}

long khsm_ioc_create_object(struct khsm_app *app, struct khsm_object_req *a)
{
	struct khsm_obj_spec spec = {};
	struct khsm_session *sess;
	struct khsm_tmpl *t = NULL;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (!mech_empty(&a->mech) || a->object) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_tmpl_copy_in(a->attrs, a->count, true, &t);
	if (rv)
		goto out;
	rv = khsm_attr_build(t, KHSM_TOP_CREATE, NULL, NULL, 0,
			     khsm_app_user(app), NULL, &spec);
	if (!rv)
		rv = object_new(sess, &spec, &a->handle);
	khsm_obj_spec_free(&spec);
out:
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_copy_object(struct khsm_app *app, struct khsm_object_req *a)
{
	struct khsm_obj_spec spec = {};
	struct khsm_session *sess;
	struct khsm_object *src = NULL;
	struct khsm_blob *base;
	struct khsm_tmpl *t = NULL;
	u32 bools;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (!mech_empty(&a->mech)) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_tmpl_copy_in(a->attrs, a->count, true, &t);
	if (rv)
		goto out;
	src = khsm_object_lookup(app, a->object, false);
	if (!src) {
		rv = CKR_OBJECT_HANDLE_INVALID;
		goto out;
	}
	base = khsm_index_snapshot(khsm_obj_index(src), src, &bools);
	if (!(bools & BIT(KHSM_B_COPYABLE))) {
		khsm_blob_put(base);
		rv = CKR_ACTION_PROHIBITED;
		goto out;
	}
	rv = khsm_attr_build(t, KHSM_TOP_COPY, src, base, bools,
			     khsm_app_user(app), NULL, &spec);
	khsm_blob_put(base);
	if (!rv) {
		spec.secret = src->secret;
		spec.secret_len = src->secret_len;
		rv = object_new(sess, &spec, &a->handle);
	}
	khsm_obj_spec_free(&spec);
out:
	khsm_object_put(src);
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_generate_key(struct khsm_app *app, struct khsm_object_req *a)
{
	const struct khsm_mech_row *m;
	struct khsm_obj_spec spec = {};
	struct khsm_session *sess;
	struct khsm_tmpl *t = NULL;
	u8 *key = NULL;
	size_t keylen = 0;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->object) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	m = khsm_mech_find(a->mech.type);
	if (!m || !(m->fns & KHSM_FN_GENERATE)) {
		rv = CKR_MECHANISM_INVALID;
		goto out;
	}
	if (a->mech.param || a->mech.param_len) {
		rv = CKR_MECHANISM_PARAM_INVALID;
		goto out;
	}
	rv = khsm_tmpl_copy_in(a->attrs, a->count, true, &t);
	if (rv)
		goto out;
	rv = khsm_attr_build(t, KHSM_TOP_GENERATE, NULL, NULL, 0,
			     khsm_app_user(app), m, &spec);
	if (rv)
		goto out_spec;
	keylen = spec.value_len;
	key = kmalloc(keylen, GFP_KERNEL);
	if (!key) {
		rv = CKR_HOST_MEMORY;
		goto out_spec;
	}
	rv = khsm_rng_generate(key, keylen);
	if (rv)
		goto out_spec;
	spec.secret = key;
	spec.secret_len = keylen;
	rv = object_new(sess, &spec, &a->handle);
out_spec:
	khsm_obj_spec_free(&spec);
	if (key)
		kfree_sensitive(key);
out:
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_destroy_object(struct khsm_app *app,
			     struct khsm_object_handle *a)
{
	struct khsm_session *sess;
	struct khsm_object *obj;
	long rv = CKR_OK;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->size) {		/* OBJECT_SIZE's output: unused, so zero */
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	obj = khsm_object_lookup(app, a->object, false);
	if (!obj) {
		rv = CKR_OBJECT_HANDLE_INVALID;
		goto out;
	}
	if (khsm_obj_is_token(obj) && !sess->rw)
		rv = CKR_SESSION_READ_ONLY;
	else if (!khsm_obj_bool(obj, KHSM_B_DESTROYABLE))
		rv = CKR_ACTION_PROHIBITED;
	else
		khsm_object_destroy(obj);
	khsm_object_put(obj);
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_object_size(struct khsm_app *app, struct khsm_object_handle *a)
{
	struct khsm_session *sess;
	struct khsm_object *obj;
	long rv = CKR_OK;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	obj = khsm_object_lookup(app, a->object, false);
	if (obj) {
		a->size = READ_ONCE(obj->mem);
		khsm_object_put(obj);
	} else {
		a->size = 0;
		rv = CKR_OBJECT_HANDLE_INVALID;
	}
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_get_attrs(struct khsm_app *app, struct khsm_attrs *a)
{
	struct khsm_attr __user *ua = u64_to_user_ptr(a->attrs);
	struct khsm_session *sess;
	struct khsm_object *obj = NULL;
	struct khsm_tmpl *t = NULL;
	long rv;
	u32 i;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	rv = khsm_tmpl_copy_in(a->attrs, a->count, false, &t);
	if (rv)
		goto out;
	obj = khsm_object_lookup(app, a->object, false);
	if (!obj) {
		rv = CKR_OBJECT_HANDLE_INVALID;
		goto out;
	}
	rv = khsm_attr_get(obj, t);
	if (rv < 0)
		goto out;
	for (i = 0; i < t->count; i++) {
		if (put_user(t->a[i].len, &ua[i].len)) {
			rv = -EFAULT;
			break;
		}
	}
out:
	khsm_object_put(obj);
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_set_attrs(struct khsm_app *app, struct khsm_attrs *a)
{
	struct khsm_session *sess;
	struct khsm_object *obj = NULL;
	struct khsm_tmpl *t = NULL;
	struct khsm_obj_spec spec = {};
	struct khsm_token *tok = app->tok;
	struct khsm_index *idx;
	struct khsm_blob *base, *nb;
	long delta;
	u32 bools;
	long rv;
	int tries;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	rv = khsm_tmpl_copy_in(a->attrs, a->count, true, &t);
	if (rv)
		goto out;
	obj = khsm_object_lookup(app, a->object, false);
	if (!obj) {
		rv = CKR_OBJECT_HANDLE_INVALID;
		goto out;
	}
	if (khsm_obj_is_token(obj) && !sess->rw) {
		rv = CKR_SESSION_READ_ONLY;
		goto out;
	}
	idx = khsm_obj_index(obj);
	for (tries = 0; ; tries++) {
		base = khsm_index_snapshot(idx, obj, &bools);
		if (!(bools & BIT(KHSM_B_MODIFIABLE))) {
			khsm_blob_put(base);
			rv = CKR_ACTION_PROHIBITED;
			break;
		}
		rv = khsm_attr_build(t, KHSM_TOP_SET, obj, base, bools,
				     khsm_app_user(app), NULL, &spec);
		if (rv) {
			khsm_blob_put(base);
			break;
		}
		nb = spec.blob;
		delta = (long)ksize(nb) - (long)ksize(base);
		if (delta > 0 && atomic64_add_return(delta, &tok->mem_used) >
				 tok->cfg.max_object_memory) {
			atomic64_sub(delta, &tok->mem_used);
			rv = CKR_DEVICE_MEMORY;
		} else if (delta < 0) {
			atomic64_add(delta, &tok->mem_used);
		}
		if (!rv && khsm_index_update(idx, obj, base, nb, spec.bools,
					     delta)) {
			/* the object's reference moved to nb */
			spec.blob = NULL;
			khsm_blob_put(base);	/* the object's */
			khsm_blob_put(base);	/* the snapshot's */
			khsm_keytoken_revalidate(obj);
			break;
		}
		if (!rv)
			atomic64_sub(delta, &tok->mem_used);
		khsm_obj_spec_free(&spec);
		khsm_blob_put(base);
		if (rv)
			break;
		if (obj->dead || tries > 16) {
			rv = CKR_OBJECT_HANDLE_INVALID;
			break;
		}
	}
	khsm_obj_spec_free(&spec);
out:
	khsm_object_put(obj);
	khsm_tmpl_free(t);
	khsm_session_put(sess);
	return rv;
}
