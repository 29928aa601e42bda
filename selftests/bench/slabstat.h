/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel slab usage from /proc/slabinfo, for memory-per-object measurements */
#ifndef SLABSTAT_H
#define SLABSTAT_H

#include <stddef.h>
#include <stdio.h>

struct slab_cache {
	char name[64];
	unsigned long active;		/* objects in use */
	unsigned long size;		/* bytes per object, with metadata */
	unsigned long long held;	/* bytes of the slabs it holds */
};

struct slab_snap {
	struct slab_cache *c;
	size_t n;
	unsigned long long used;	/* sum of active * size */
	unsigned long long held;	/* sum of slab pages */
};

/*
 * Ask every cache to flush its per-cpu slabs and free its empty ones
 * (/sys/kernel/slab/ NAME /shrink), so that freed objects stop counting as
 * active.  Returns the number of caches shrunk, -1 if none could be.
 */
int slab_shrink_all(void);

/* Read /proc/slabinfo (root only); 0 or -1 */
int slab_read(struct slab_snap *s);
void slab_release(struct slab_snap *s);

/*
 * Print the @top caches that grew most from @a to @b, per @per objects,
 * with the names of the caches SLUB merged into each.
 */
void slab_print_growth(FILE *out, const struct slab_snap *a,
		       const struct slab_snap *b, int top, double per);

/* A field of /proc/meminfo ("Slab", "MemFree" ...) in bytes, or -1 */
long long meminfo(const char *field);

#endif /* SLABSTAT_H */
