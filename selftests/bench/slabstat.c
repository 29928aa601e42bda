// SPDX-License-Identifier: GPL-2.0
/* Kernel slab usage from /proc/slabinfo; see slabstat.h. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "slabstat.h"

int slab_shrink_all(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *e;
	char path[512];
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int fd;

		/*
		 * Aliases are symlinks to a cache already in the list; read
		 * them anyway, so their dentries exist before any baseline.
		 */
		if (e->d_type == DT_LNK) {
			char target[256];

			snprintf(path, sizeof(path), "/sys/kernel/slab/%s",
				 e->d_name);
			if (readlink(path, target, sizeof(target)) < 0)
				continue;
		}
		if (e->d_name[0] == '.' || e->d_type == DT_LNK)
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, "1", 1) == 1)
			n++;
		close(fd);
	}
	closedir(d);
	return n ? n : -1;
}

int slab_read(struct slab_snap *s)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	size_t cap = 0;

	memset(s, 0, sizeof(*s));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct slab_cache c;
		unsigned long num, perslab, pages, aslabs, nslabs;

		if (sscanf(line,
			   "%63s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu",
			   c.name, &c.active, &num, &c.size, &perslab, &pages,
			   &aslabs, &nslabs) != 8)
			continue;
		c.held = (unsigned long long)nslabs * pages *
			 sysconf(_SC_PAGESIZE);
		if (s->n == cap) {
			struct slab_cache *p;

			cap = cap ? 2 * cap : 256;
			p = realloc(s->c, cap * sizeof(*p));
			if (!p) {
				fclose(f);
				slab_release(s);
				return -1;
			}
			s->c = p;
		}
		s->c[s->n++] = c;
		s->used += (unsigned long long)c.active * c.size;
		s->held += c.held;
	}
	fclose(f);
	return s->n ? 0 : -1;
}

void slab_release(struct slab_snap *s)
{
	free(s->c);
	memset(s, 0, sizeof(*s));
}

static const struct slab_cache *find(const struct slab_snap *s,
				     const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

/*
 * SLUB merges caches of like size and flags: a cache created as
 * "khsm_object" may be counted under "vm_area_struct".  Names the caches
 * merged into @name (khsm's first), from the symlinks in /sys/kernel/slab.
 */
static void aliases(const char *name, char *out, size_t len)
{
	char path[512], want[PATH_MAX], got[PATH_MAX];
	struct dirent *e;
	size_t used = 0;
	int pass, shown = 0, more = 0;
	DIR *d;

	out[0] = 0;
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s", name);
	if (!realpath(path, want))
		return;
	for (pass = 0; pass < 2; pass++) {
		d = opendir("/sys/kernel/slab");
		if (!d)
			return;
		while ((e = readdir(d))) {
			int ours = !strncmp(e->d_name, "khsm", 4);

			if (e->d_type != DT_LNK || ours != !pass ||
			    !strcmp(e->d_name, name))
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/slab/%s",
				 e->d_name);
			if (!realpath(path, got) || strcmp(got, want))
				continue;
			if (shown == 3 || used + strlen(e->d_name) + 3 >= len) {
				more++;
				continue;
			}
			used += snprintf(out + used, len - used, "%s%s",
					 shown++ ? ", " : " = ", e->d_name);
		}
		closedir(d);
	}
	if (more && used + 16 < len)
		snprintf(out + used, len - used, " +%d more", more);
}

static long long growth(const struct slab_snap *a, const struct slab_cache *c)
{
	const struct slab_cache *o = find(a, c->name);
	long long before = o ? (long long)o->active * o->size : 0;

	return (long long)c->active * c->size - before;
}

void slab_print_growth(FILE *out, const struct slab_snap *a,
		       const struct slab_snap *b, int top, double per)
{
	char *done = calloc(b->n, 1);
	int k;

	if (!done)
		return;
	for (k = 0; k < top; k++) {
		long long best = 0, g;
		char names[160];
		size_t i, bi = 0;
		const struct slab_cache *o;

		for (i = 0; i < b->n; i++) {
			g = growth(a, &b->c[i]);
			if (!done[i] && g > best) {
				best = g;
				bi = i;
			}
		}
		if (best <= 0)
			break;
		done[bi] = 1;
		o = find(a, b->c[bi].name);
		aliases(b->c[bi].name, names, sizeof(names));
		fprintf(out, "    %-22s %+9ld objects x %5lu B = %+8.1f B/object%s%s%s\n",
			b->c[bi].name,
			(long)b->c[bi].active - (long)(o ? o->active : 0),
			b->c[bi].size, best / per,
			names[0] ? "  (merged cache" : "", names,
			names[0] ? ")" : "");
	}
	free(done);
}

long long meminfo(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t n = strlen(field);
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%lld", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}
