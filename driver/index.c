// SPDX-License-Identifier: GPL-2.0
/*
 * khsm object indexes: C_FindObjects never walks every object.
 *
 * Each object set (the token objects of a token; the session objects of one
 * application) has hash tables by CKA_LABEL and CKA_ID and a list per
 * object class, in one shard per CPU (khsm.h: an object stays in the shard
 * its handle names).  A find with a label or an id in its template looks
 * at one bucket per shard; with only a class, at that class's lists; with
 * neither, at all.  A shard's tables grow by 4x when they hold twice as
 * many objects as buckets and shrink when they hold less than an eighth,
 * so a bucket holds about one object with distinct labels whatever the
 * count.
 *
 * Finds are lockless: RCU walks of the buckets and lists, and a seqcount
 * per shard that makes a walk of it start again if objects moved between
 * its buckets under it (a resize, a changed label or id) or an object's
 * booleans and attributes changed (any C_SetAttributeValue).  Writers
 * (create, destroy, set attribute) take the spinlock of the object's shard,
 * never across a user copy or an allocation, so two CPUs creating objects
 * in one set do not wait for each other.  Object headers and blobs are
 * freed after a grace period.
 */
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "khsm.h"

/* per shard: an application's empty index is a few hundred bytes a shard */
#define KHSM_INDEX_MIN_BITS	2
#define KHSM_INDEX_MAX_BITS	20

static u32 hash_bytes(const struct khsm_index *idx, const u8 *p, size_t len)
{
	return jhash(p, len, idx->seed);
}

static unsigned int class_slot(u32 class)
{
	return class < KHSM_NCLASS - 1 ? class : KHSM_NCLASS - 1;
}

/* Both tables in one allocation: label heads, then id heads */
static struct khsm_htab *htab_alloc(unsigned int bits)
{
	struct khsm_htab *h;

	h = kvzalloc(struct_size(h, heads, 2UL << bits), GFP_KERNEL_ACCOUNT);
	if (h)
		h->bits = bits;
	return h;
}

static struct hlist_head *label_head(struct khsm_htab *h, u32 hash)
{
	return &h->heads[hash & ((1U << h->bits) - 1)];
}

static struct hlist_head *id_head(struct khsm_htab *h, u32 hash)
{
	return &h->heads[(1U << h->bits) + (hash & ((1U << h->bits) - 1))];
}

void khsm_index_destroy(struct khsm_index *idx)
{
	struct khsm_index_shard *s;
	unsigned int i;

	if (!idx->sh)
		return;
	for (i = 0; i < khsm_nshards; i++) {
		s = &idx->sh[i];
		WARN_ON_ONCE(s->count);
		kvfree(rcu_dereference_protected(s->tab, 1));
	}
	kfree(idx->sh);
	idx->sh = NULL;
}

int khsm_index_init(struct khsm_index *idx)
{
	struct khsm_index_shard *s;
	struct khsm_htab *h;
	unsigned int i, c;

	idx->seed = get_random_u32();
	idx->sh = kcalloc(khsm_nshards, sizeof(*idx->sh), GFP_KERNEL_ACCOUNT);
	if (!idx->sh)
		return -ENOMEM;
	for (i = 0; i < khsm_nshards; i++) {
		s = &idx->sh[i];
		spin_lock_init(&s->lock);
		seqcount_spinlock_init(&s->seq, &s->lock);
		for (c = 0; c < KHSM_NCLASS; c++)
			INIT_LIST_HEAD(&s->class[c]);
		h = htab_alloc(KHSM_INDEX_MIN_BITS);
		if (!h) {
			khsm_index_destroy(idx);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(s->tab, h);
	}
	return 0;
}

static struct khsm_index_shard *obj_shard(struct khsm_index *idx,
					  const struct khsm_object *obj)
{
	return &idx->sh[khsm_handle_shard(obj->handle)];
}

static struct khsm_htab *htab_locked(struct khsm_index_shard *s)
{
	return rcu_dereference_protected(s->tab, lockdep_is_held(&s->lock));
}

/* Rehashes into 2^@nb buckets when still at @bits; no-op on failure */
static void index_resize(struct khsm_index_shard *s, unsigned int bits,
			 unsigned int nb)
{
	struct khsm_htab *n = htab_alloc(nb), *o;
	struct khsm_object *obj;
	struct hlist_node *tmp;
	unsigned int i;

	if (!n)
		return;
	spin_lock(&s->lock);
	o = htab_locked(s);
	if (o->bits != bits) {
		spin_unlock(&s->lock);
		kvfree(n);
		return;
	}
	write_seqcount_begin(&s->seq);
	for (i = 0; i < (1U << bits); i++) {
		hlist_for_each_entry_safe(obj, tmp, &o->heads[i], label_node) {
			hlist_del_rcu(&obj->label_node);
			hlist_add_head_rcu(&obj->label_node,
					   label_head(n, obj->label_hash));
		}
		hlist_for_each_entry_safe(obj, tmp, &o->heads[i + (1U << bits)],
					  id_node) {
			hlist_del_rcu(&obj->id_node);
			hlist_add_head_rcu(&obj->id_node, id_head(n, obj->id_hash));
		}
	}
	rcu_assign_pointer(s->tab, n);
	write_seqcount_end(&s->seq);
	spin_unlock(&s->lock);
	/*
	 * Freed once no find can walk the old heads.  Not synchronize_rcu():
	 * the create or destroy that crossed the threshold would wait a grace
	 * period (milliseconds under emulation, a fifth of the time of a
	 * 0.25 s destroy benchmark).
	 */
	kvfree_rcu(o, rcu);
}

static void index_rebalance(struct khsm_index_shard *s)
{
	unsigned int bits, count;

	rcu_read_lock();
	bits = rcu_dereference(s->tab)->bits;
	rcu_read_unlock();
	count = READ_ONCE(s->count);
	if (count > (2U << bits) && bits < KHSM_INDEX_MAX_BITS)
		index_resize(s, bits, min(bits + 2, KHSM_INDEX_MAX_BITS));
	else if (count < (1U << bits) / 8 && bits > KHSM_INDEX_MIN_BITS)
		index_resize(s, bits, max(bits - 2, KHSM_INDEX_MIN_BITS));
}

static void obj_hashes(const struct khsm_index *idx,
		       const struct khsm_blob *b, u32 *label, u32 *id)
{
	const u8 *v;
	u16 len;

	v = khsm_blob_find(b, CKA_LABEL, &len);
	*label = hash_bytes(idx, v, len);
	v = khsm_blob_find(b, CKA_ID, &len);
	*id = hash_bytes(idx, v, len);
}

static void link_hashes(struct khsm_index_shard *s, struct khsm_object *obj)
{
	struct khsm_htab *h = htab_locked(s);

	hlist_add_head_rcu(&obj->label_node, label_head(h, obj->label_hash));
	hlist_add_head_rcu(&obj->id_node, id_head(h, obj->id_hash));
}

void khsm_index_add(struct khsm_index *idx, struct khsm_object *obj)
{
	/* not yet published: nobody else sees obj->blob */
	struct khsm_index_shard *s = obj_shard(idx, obj);

	obj_hashes(idx, rcu_dereference_protected(obj->blob, 1),
		   &obj->label_hash, &obj->id_hash);
	spin_lock(&s->lock);
	link_hashes(s, obj);
	list_add_tail_rcu(&obj->class_node, &s->class[class_slot(obj->class)]);
	s->count++;
	spin_unlock(&s->lock);
	index_rebalance(s);
}

bool khsm_index_del(struct khsm_index *idx, struct khsm_object *obj)
{
	struct khsm_index_shard *s = obj_shard(idx, obj);

	spin_lock(&s->lock);
	if (obj->dead) {
		spin_unlock(&s->lock);
		return false;
	}
	WRITE_ONCE(obj->dead, true);
	hlist_del_rcu(&obj->label_node);
	hlist_del_rcu(&obj->id_node);
	list_del_rcu(&obj->class_node);
	s->count--;
	spin_unlock(&s->lock);
	index_rebalance(s);
	return true;
}

bool khsm_index_update(struct khsm_index *idx, struct khsm_object *obj,
		       struct khsm_blob *old, struct khsm_blob *blob,
		       u32 bools, long mem_delta)
{
	struct khsm_index_shard *s = obj_shard(idx, obj);
	u32 lh, ih;

	obj_hashes(idx, blob, &lh, &ih);
	spin_lock(&s->lock);
	if (obj->dead || rcu_access_pointer(obj->blob) != old) {
		spin_unlock(&s->lock);
		return false;
	}
	/* booleans and blob change together for khsm_index_snapshot() */
	write_seqcount_begin(&s->seq);
	WRITE_ONCE(obj->bools, bools);
	rcu_assign_pointer(obj->blob, blob);
	WRITE_ONCE(obj->mem, obj->mem + mem_delta);
	if (lh != obj->label_hash || ih != obj->id_hash) {
		hlist_del_rcu(&obj->label_node);
		hlist_del_rcu(&obj->id_node);
		obj->label_hash = lh;
		obj->id_hash = ih;
		link_hashes(s, obj);
	}
	write_seqcount_end(&s->seq);
	spin_unlock(&s->lock);
	return true;
}

struct khsm_blob *khsm_index_snapshot(struct khsm_index *idx,
				      const struct khsm_object *obj,
				      u32 *bools)
{
	struct khsm_index_shard *s = obj_shard(idx, obj);
	struct khsm_blob *b;
	unsigned int seq;

	/*
	 * No lock: the shard's seqcount covers every update of an object's
	 * booleans and blob.  A blob whose count reached zero was replaced
	 * since: read again.
	 */
	rcu_read_lock();
	do {
		seq = read_seqcount_begin(&s->seq);
		*bools = READ_ONCE(obj->bools);
		b = rcu_dereference(obj->blob);
	} while (read_seqcount_retry(&s->seq, seq) ||
		 (b && !refcount_inc_not_zero(&b->ref)));
	rcu_read_unlock();
	return b;
}

static void find_add(struct khsm_object *obj, const struct khsm_tmpl *t,
		     bool see_private, u32 *out, u32 *n, u32 cap)
{
	if (!see_private && khsm_obj_bool(obj, KHSM_B_PRIVATE))
		return;
	if (!khsm_attr_match(obj, t))
		return;
	if (*n < cap)
		out[*n] = obj->handle;
	(*n)++;
}

/* Which attribute of @t leads the search: 1 label, 2 id, 3 class, 0 none */
static int find_key(const struct khsm_tmpl *t, int *k)
{
	int il = -1, ii = -1, ic = -1;
	u32 i;

	for (i = 0; i < t->count; i++) {
		if (t->a[i].type == CKA_LABEL && il < 0)
			il = i;
		else if (t->a[i].type == CKA_ID && ii < 0)
			ii = i;
		else if (t->a[i].type == CKA_CLASS && ic < 0 &&
			 t->a[i].len == sizeof(u64))
			ic = i;
	}
	*k = il >= 0 ? il : ii >= 0 ? ii : ic;
	return il >= 0 ? 1 : ii >= 0 ? 2 : ic >= 0 ? 3 : 0;
}

/* One walk over a shard's bucket or lists; RCU read lock held */
static u32 find_walk(struct khsm_index_shard *s, const struct khsm_tmpl *t,
		     int kind, int k, u32 hash, bool see, u32 *out, u32 n,
		     u32 cap)
{
	struct khsm_htab *h = rcu_dereference(s->tab);
	struct khsm_object *obj;
	unsigned int i;
	u64 class;

	switch (kind) {
	case 1:
		hlist_for_each_entry_rcu(obj, label_head(h, hash), label_node)
			if (obj->label_hash == hash)
				find_add(obj, t, see, out, &n, cap);
		break;
	case 2:
		hlist_for_each_entry_rcu(obj, id_head(h, hash), id_node)
			if (obj->id_hash == hash)
				find_add(obj, t, see, out, &n, cap);
		break;
	case 3:
		memcpy(&class, t->a[k].val, sizeof(class));
		if (class > U32_MAX)
			break;
		list_for_each_entry_rcu(obj, &s->class[class_slot(class)],
					class_node)
			find_add(obj, t, see, out, &n, cap);
		break;
	default:
		for (i = 0; i < KHSM_NCLASS; i++)
			list_for_each_entry_rcu(obj, &s->class[i], class_node)
				find_add(obj, t, see, out, &n, cap);
		break;
	}
	return n;
}

u32 khsm_index_find(struct khsm_index *idx, const struct khsm_tmpl *t,
		    bool see_private, u32 *out, u32 n, u32 cap)
{
	int k, kind = find_key(t, &k);
	struct khsm_index_shard *s;
	unsigned int seq, i;
	u32 r, hash = 0;

	if (kind == 1 || kind == 2)
		hash = hash_bytes(idx, t->a[k].val, t->a[k].len);
	rcu_read_lock();
	for (i = 0; i < khsm_nshards; i++) {
		s = &idx->sh[i];
		/*
		 * Again if objects moved between buckets, or an object's
		 * booleans and blob changed, under the walk: every match is
		 * made on whole objects, never half of an update.
		 */
		do {
			seq = read_seqcount_begin(&s->seq);
			r = find_walk(s, t, kind, k, hash, see_private, out, n,
				      cap);
		} while (read_seqcount_retry(&s->seq, seq));
		n = r;
	}
	rcu_read_unlock();
	return n;
}
