/* symbols: processes, maps, symbol tables and their caches; see symbols.h. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "demangle.h"
#include "hash.h"
#include "reader.h"
#include "util.h"
#include "debuginfo.h"
#include "dwarf.h"
#include "procfs.h"
#include "symbols.h"
#include "unwind.h"

/* ---- a small open-addressing table: non-zero 64-bit key -> pointer ---- */

struct ptr_table {
	uint64_t *keys;
	void **vals;
	size_t cap, n;     /* cap is a power of two */
};

static void **ptr_table_slot(struct ptr_table *t, uint64_t key, int insert);

static void ptr_table_grow(struct ptr_table *t)
{
	struct ptr_table old = *t;

	t->cap = old.cap ? old.cap * 2 : 64;
	t->keys = xcalloc(t->cap, sizeof(*t->keys));
	t->vals = xcalloc(t->cap, sizeof(*t->vals));
	t->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			*ptr_table_slot(t, old.keys[i], 1) = old.vals[i];
	free(old.keys);
	free(old.vals);
}

/* The value slot for key; NULL when absent and !insert. */
static void **ptr_table_slot(struct ptr_table *t, uint64_t key, int insert)
{
	size_t i;

	if (insert && (t->n + 1) * 4 > t->cap * 3)
		ptr_table_grow(t);
	if (!t->cap)
		return NULL;
	for (i = hash_mix64(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->keys[i] == key)
			return &t->vals[i];
		if (!t->keys[i])
			break;
	}
	if (!insert)
		return NULL;
	t->keys[i] = key;
	t->vals[i] = NULL;
	t->n++;
	return &t->vals[i];
}

/* Frees the table's own arrays, not the values it points to (their owner frees those). */
static void ptr_table_free_arrays(struct ptr_table *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

/* At most this much of a /tmp/perf-PID.map is read (JIT maps of big JVMs are tens of MB). */
#define PERF_MAP_MAX_BYTES (64u << 20)

/* pids and tids are >= 0; keep 0 free as the empty key. */
#define ID_KEY(id) ((uint64_t)(uint32_t)(id) + 1)

static void dso_load(struct dso *d);
static void dso_load_mapped(struct dso *d, int pid, uint64_t start, uint64_t end);

/* ---- processes and threads ---- */

struct process {
	int pid;
	int synthesized;            /* /proc was read (or tried) for it */
	struct map *maps;           /* sorted by start, not overlapping */
	size_t nmaps, cap;
	struct dso *jit;            /* /tmp/perf-PID.map, when present */
	char jit_path[32];          /* its name, which perf also gives anonymous code */
	int jit_seen, jit_warned;   /* that file was looked at (jit_* say which); a refusal was told */
	dev_t jit_dev;              /* the file when it was last looked at */
	ino_t jit_ino;
	off_t jit_size;
	struct timespec jit_mtime;
	uint64_t jit_checked_ns;    /* when the file was last looked at */
	int owner_known;
	uid_t owner;                /* the process's user: who may own its perf map besides root */
};

struct thread {
	int pid;
	char comm[24];
};

struct symbolizer {
	int demangle_names;
	struct ptr_table processes;     /* pid -> struct process */
	struct ptr_table threads;       /* tid -> struct thread */
	struct ptr_table dsos;          /* hash(path, ino) -> struct dso (probing on collisions below) */
	struct dso **all_dsos;
	size_t ndsos, dsos_cap;
	const char *kallsyms_path;
	struct dso *kernel;         /* kallsyms; NULL when hidden or unreadable */
	int kernel_tried;
	pthread_t kernel_thread;    /* reading kallsyms while the recording runs */
	int kernel_thread_running;
	int kernel_thread_done;     /* set by the thread as it ends */
	int kernel_abandon;
	struct dso *vdso;
	int offline;                /* sym_set_offline: never look in /proc */
	sym_locate_fn locate;       /* sym_set_locate */
	void *locate_ctx;
	char **demangled;           /* every string demangle() returned, to free */
	size_t ndemangled, demangled_cap;
};

struct symbolizer *symbolizer_new(int demangle_names)
{
	struct symbolizer *s = xcalloc(1, sizeof(*s));
	s->demangle_names = demangle_names;
	s->kallsyms_path = "/proc/kallsyms";
	return s;
}

static struct dso *kallsyms_load(const char *path, const int *abandon);

static void *kallsyms_thread(void *arg)
{
	struct symbolizer *s = arg;

	/* Background work: let the recorded program have the CPU first (a thread's nice value is
	 * its own on Linux). */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) < 0)
		(void)0;    /* not worth a warning */
	s->kernel = kallsyms_load(s->kallsyms_path, &s->kernel_abandon);
	__atomic_store_n(&s->kernel_thread_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int sym_kernel_ready(struct symbolizer *s)
{
	return !s->kernel_thread_running || __atomic_load_n(&s->kernel_thread_done, __ATOMIC_ACQUIRE);
}

void sym_preload_kernel(struct symbolizer *s)
{
	if (!s->kernel_tried && !s->kernel_thread_running &&
	    pthread_create(&s->kernel_thread, NULL, kallsyms_thread, s) == 0)
		s->kernel_thread_running = 1;
}

/* The kernel's symbols, read now or by then by the preloading thread. */
static struct dso *kernel_symbols(struct symbolizer *s)
{
	if (s->kernel_thread_running) {
		pthread_join(s->kernel_thread, NULL);
		s->kernel_thread_running = 0;
		s->kernel_tried = 1;
	}
	if (!s->kernel_tried) {
		s->kernel_tried = 1;
		s->kernel = dso_from_kallsyms(s->kallsyms_path);
	}
	return s->kernel;
}

static void stop_preload(struct symbolizer *s)
{
	if (s->kernel_thread_running) {
		/* Not needed after all (no kernel frame came): stop at its next line. */
		__atomic_store_n(&s->kernel_abandon, 1, __ATOMIC_RELAXED);
		pthread_join(s->kernel_thread, NULL);
		s->kernel_thread_running = 0;
	}
}

void sym_use_kallsyms(struct symbolizer *s, const char *path)
{
	stop_preload(s);
	s->kernel_abandon = 0;
	s->kernel_thread_done = 0;
	dso_free(s->kernel);
	s->kernel = NULL;
	s->kernel_tried = 0;
	s->kallsyms_path = path;
}

static void process_free(struct process *p)
{
	if (p->jit)
		dso_free(p->jit);
	free(p->maps);
	free(p);
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	stop_preload(s);
	for (size_t i = 0; i < s->processes.cap; i++)
		if (s->processes.keys[i])
			process_free(s->processes.vals[i]);
	for (size_t i = 0; i < s->threads.cap; i++)
		if (s->threads.keys[i])
			free(s->threads.vals[i]);
	for (size_t i = 0; i < s->ndsos; i++)
		dso_free(s->all_dsos[i]);
	dso_free(s->kernel);
	dso_free(s->vdso);
	for (size_t i = 0; i < s->ndemangled; i++)
		free(s->demangled[i]);
	free(s->demangled);
	free(s->all_dsos);
	ptr_table_free_arrays(&s->processes);
	ptr_table_free_arrays(&s->threads);
	ptr_table_free_arrays(&s->dsos);
	free(s);
}

static struct process *get_process(struct symbolizer *s, int pid, int create)
{
	void **slot = ptr_table_slot(&s->processes, ID_KEY(pid), create);
	struct process *p;

	if (!slot)
		return NULL;
	if (!*slot) {
		p = xcalloc(1, sizeof(*p));
		p->pid = pid;
		snprintf(p->jit_path, sizeof(p->jit_path), "/tmp/perf-%d.map", pid);
		*slot = p;
	}
	return *slot;
}

static struct thread *get_thread(struct symbolizer *s, int tid, int create)
{
	void **slot = ptr_table_slot(&s->threads, ID_KEY(tid), create);

	if (!slot)
		return NULL;
	if (!*slot)
		*slot = xcalloc(1, sizeof(struct thread));
	return *slot;
}

static void set_comm(struct thread *t, const char *comm)
{
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
}

void sym_comm(struct symbolizer *s, int pid, int tid, const char *comm, int exec)
{
	struct thread *t = get_thread(s, tid, 1);
	struct process *p;

	t->pid = pid;
	set_comm(t, comm);
	if (exec && (p = get_process(s, pid, 0)) != NULL) {
		/* A new program image: the old maps are gone (its MMAP2 records follow). */
		p->nmaps = 0;
		p->synthesized = 1;
	}
}

void sym_fork(struct symbolizer *s, int pid, int tid, int ppid, int ptid)
{
	struct thread *parent_thread = get_thread(s, ptid, 0);
	struct thread *t = get_thread(s, tid, 1);
	struct process *parent, *child;

	t->pid = pid;
	if (parent_thread)
		memcpy(t->comm, parent_thread->comm, sizeof(t->comm));
	if (pid == ppid)
		return;         /* a new thread shares its process's maps */
	child = get_process(s, pid, 1);
	parent = get_process(s, ppid, 0);
	child->synthesized = 1;
	if (parent && parent->nmaps) {
		GROW(child->maps, child->cap, parent->nmaps);
		memcpy(child->maps, parent->maps, parent->nmaps * sizeof(*parent->maps));
		child->nmaps = parent->nmaps;
	}
}

void sym_exit(struct symbolizer *s, int pid, int tid)
{
	/* Keep everything: samples of the exiting thread may still be queued behind this record. */
	(void)s;
	(void)pid;
	(void)tid;
}

/* Insert [start, end) into the sorted map list, cutting away what it overlaps, as mmap does. */
static void process_add_map(struct process *p, struct map m)
{
	size_t i = 0, j;

	GROW(p->maps, p->cap, p->nmaps + 2);
	while (i < p->nmaps && p->maps[i].end <= m.start)
		i++;
	if (i < p->nmaps && p->maps[i].start < m.start && p->maps[i].end > m.end) {
		/* The new map splits an old one in two. */
		struct map right = p->maps[i];
		right.pgoff += m.end - right.start;
		right.start = m.end;
		p->maps[i].end = m.start;
		memmove(&p->maps[i + 2], &p->maps[i + 1], (p->nmaps - i - 1) * sizeof(*p->maps));
		p->maps[i + 1] = right;
		p->nmaps++;
		i++;        /* the left part stays; the new map goes before the right one */
	}
	if (i < p->nmaps && p->maps[i].start < m.start && p->maps[i].end > m.start)
		p->maps[i++].end = m.start;
	j = i;
	while (j < p->nmaps && p->maps[j].end <= m.end)
		j++;        /* [i, j) lie wholly inside the new map */
	if (j < p->nmaps && p->maps[j].start < m.end) {
		p->maps[j].pgoff += m.end - p->maps[j].start;
		p->maps[j].start = m.end;
	}
	memmove(&p->maps[i + 1], &p->maps[j], (p->nmaps - j) * sizeof(*p->maps));
	p->nmaps = p->nmaps - (j - i) + 1;
	p->maps[i] = m;
}

static const struct map *process_find_map(const struct process *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nmaps && p->maps[lo].start <= addr ? &p->maps[lo] : NULL;
}

static int is_anon_name(const char *name)
{
	return !*name || strcmp(name, "//anon") == 0 || strncmp(name, "/memfd:", 7) == 0 ||
	       strncmp(name, "[anon", 5) == 0 || strncmp(name, "/dev/zero", 9) == 0;
}

static struct dso *new_dso(struct symbolizer *s, const char *path, uint64_t dev, uint64_t ino)
{
	struct dso *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path);
	d->dev = dev;
	d->ino = ino;
	if (s->locate) {
		char source[4096];
		int how = s->locate(s->locate_ctx, path, source, sizeof(source));
		if (how < 0)
			d->loaded = 1;      /* nothing to read: [unknown] */
		else if (how > 0 && path[0] == '/')
			d->source = xstrdup(source);
	}
	GROW(s->all_dsos, s->dsos_cap, s->ndsos + 1);
	s->all_dsos[s->ndsos++] = d;
	return d;
}

/* The cached object for (path, inode), created unloaded on first sight. */
static struct dso *find_dso(struct symbolizer *s, const char *path, uint64_t dev, uint64_t ino)
{
	uint64_t key = hash_keyed(path, strlen(path)) ^ hash_mix64(ino ^ (dev << 32));
	void **slot;

	for (key |= 1;; key += 2) {
		slot = ptr_table_slot(&s->dsos, key, 1);
		if (!*slot) {
			*slot = new_dso(s, path, dev, ino);
			return *slot;
		}
		struct dso *d = *slot;
		if (d->ino == ino && d->dev == dev && strcmp(d->path, path) == 0)
			return d;
	}
}

static void add_map(struct symbolizer *s, int pid, uint64_t start, uint64_t len, uint64_t pgoff,
                    uint64_t dev, uint64_t ino, uint32_t prot, const char *filename, int load_now)
{
	struct process *p;
	struct map m = { start, start + len, pgoff, NULL };

	if (len == 0 || start + len < start)
		return;
	if (prot && !(prot & PROT_EXEC))
		return;             /* only code is ever sampled */
	p = get_process(s, pid, 1);
	p->synthesized = 1;     /* the kernel tells us about this process: no /proc needed */
	if (!is_anon_name(filename)) {
		m.dso = find_dso(s, filename, dev, ino);
		/* Read the file now, while it surely exists: the process may be gone (and a
		 * temporary binary deleted) by the time its samples are printed. */
		if (load_now && !m.dso->loaded && filename[0] == '/')
			dso_load_mapped(m.dso, s->offline ? -1 : pid, m.start, m.end);
	}
	process_add_map(p, m);
}

void sym_mmap(struct symbolizer *s, int pid, uint64_t start, uint64_t len, uint64_t pgoff,
              uint64_t dev, uint64_t ino, uint32_t prot, const char *filename)
{
	add_map(s, pid, start, len, pgoff, dev, ino, prot, filename, 1);
}

void sym_preload_file(struct symbolizer *s, int pid, uint64_t start, uint64_t len, const char *filename,
                      uint64_t dev, uint64_t ino, uint32_t prot)
{
	struct dso *d;

	if ((prot && !(prot & PROT_EXEC)) || filename[0] != '/' || is_anon_name(filename))
		return;
	d = find_dso(s, filename, dev, ino);
	if (!d->loaded)
		dso_load_mapped(d, s->offline ? -1 : pid, start, start + len);
}

/* The first max bytes of fd, with room for a NUL after them; *capped when the file holds more
 * (the last, cut line is then dropped). NULL on a read error. */
static char *read_capped(int fd, uint64_t max, size_t *len, int *capped)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = xmalloc(cap + 1);
	ssize_t r;

	*capped = 0;
	for (;;) {
		if (n == cap) {
			if (n > max)
				break;
			cap = cap * 2 > max + 1 ? (size_t)max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		char *nl;
		*capped = 1;
		n = (size_t)max;
		nl = memrchr(buf, '\n', n);
		n = nl ? (size_t)(nl - buf) + 1 : 0;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- symbol tables ---- */

/* How preferable a symbol is among those at its address; perf's choose_best_symbol, so the same
 * alias is printed: one with a size, then not weak, then global, then with fewer leading
 * underscores, then the longest name ("clock_gettime@@GLIBC_2.17" over "__clock_gettime"), then
 * the first (ELF) or the last (kallsyms, JIT maps) listed. */
struct preference {
	unsigned char sized, not_weak, global, underscores;
	uint32_t name_len;
	unsigned char later_wins;   /* the last of equals (a JIT map), else the first (perf's rb-tree) */
};

struct builder_entry {
	uint64_t start, end;
	const char *name;
	uint32_t seq;               /* order of addition */
	struct preference pref;
};

struct symbol_builder {
	struct builder_entry *entries;
	size_t n, cap;
};

static void builder_add(struct symbol_builder *b, uint64_t start, uint64_t size, const char *name,
                        struct preference pref)
{
	GROW(b->entries, b->cap, b->n + 1);
	b->entries[b->n] = (struct builder_entry){
		start, size ? start + size : start,     /* sizeless: fixed up from the next symbol */
		name, (uint32_t)b->n, pref };
	b->n++;
}

static struct preference preference_of(const char *name, int sized, int bind, int with_name_len)
{
	struct preference p = { sized != 0, bind != STB_WEAK, bind == STB_GLOBAL, 0, 0, 0 };

	while (name[p.underscores] == '_' && p.underscores < 255)
		p.underscores++;
	p.name_len = with_name_len ? (uint32_t)strlen(name) : 0;
	return p;
}

/* By address, the preferred symbol of an address first. */
static int compare_entries(const void *a, const void *b)
{
	const struct builder_entry *x = a, *y = b;
	const struct preference *px = &x->pref, *py = &y->pref;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (px->sized != py->sized)
		return px->sized ? -1 : 1;
	if (px->not_weak != py->not_weak)
		return px->not_weak ? -1 : 1;
	if (px->global != py->global)
		return px->global ? -1 : 1;
	if (px->underscores != py->underscores)
		return px->underscores < py->underscores ? -1 : 1;
	if (px->name_len != py->name_len)
		return px->name_len > py->name_len ? -1 : 1;
	if (px->later_wins)
		return x->seq > y->seq ? -1 : x->seq < y->seq;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort, keep the best of the symbols sharing an address (see struct preference; in a JIT map
 * the latest line), and give sizeless symbols the extent up to the next one. */
static void builder_finish(struct symbol_builder *b, struct dso *d)
{
	struct symbol *out;
	size_t i, n = 0, best, last;

	/* kallsyms comes in address order already, aliases side by side: then, instead of sorting,
	 * pick the preferred of each run of equal addresses (what sorting would put first). */
	for (i = 1; i < b->n && b->entries[i - 1].start <= b->entries[i].start; i++)
		;
	if (i < b->n)
		qsort(b->entries, b->n, sizeof(*b->entries), compare_entries);
	out = xcalloc(b->n ? b->n : 1, sizeof(*out));
	for (i = 0; i < b->n; i = last + 1) {
		best = last = i;
		while (last + 1 < b->n && b->entries[last + 1].start == b->entries[i].start)
			if (compare_entries(&b->entries[++last], &b->entries[best]) < 0)
				best = last;
		out[n].start = b->entries[best].start;
		out[n].end = b->entries[best].end;
		out[n].name = b->entries[best].name;
		out[n].demangled = NULL;
		n++;
	}
	for (i = 0; i < n; i++)
		if (out[i].end == out[i].start)
			out[i].end = i + 1 < n ? out[i + 1].start : out[i].start + 4096;
	free(b->entries);
	d->syms = n ? xrealloc(out, n * sizeof(*out)) : (free(out), NULL);
	d->nsyms = n;
}

static int elf_symbol_to_builder(void *ctx, const struct elf_symbol *sym)
{
	struct symbol_builder *b = ctx;

	/* Functions, and as perf takes them, code labels: named untyped symbols of default visibility
	 * in an executable section (assembly entry points such as ld.so's _dl_start_user, size 0:
	 * they reach to the next symbol). */
	int label = sym->type == STT_NOTYPE && sym->visibility == STV_DEFAULT && sym->in_code;
	if ((sym->type != STT_FUNC && sym->type != STT_GNU_IFUNC && !label) || sym->shndx == SHN_UNDEF ||
	    !sym->value)
		return 0;
	builder_add(b, sym->value, sym->size, sym->name, preference_of(sym->name, sym->size != 0, sym->bind, 1));
	return 0;
}

static const char *debug_dir = "/usr/lib/debug";

void sym_set_debug_dir(const char *dir)
{
	debug_dir = dir;
}

const char *sym_debug_dir(void)
{
	return debug_dir;
}

/* Open path as the debug file of d: it must have a .symtab, and the same build-id when both
 * files carry one (a stale debug file would name the wrong functions). */
static int debug_file_try(struct dso *d, const unsigned char *id, size_t id_len, const char *path)
{
	struct elf_section sec;
	unsigned char other[64];
	size_t other_len;

	if (elf_open(&d->debug, path) < 0)
		return -1;
	other_len = elf_build_id(&d->debug, other, sizeof(other));
	if (elf_section_by_name(&d->debug, ".symtab", &sec) < 0 ||
	    (id_len && other_len && (id_len != other_len || memcmp(id, other, id_len) != 0))) {
		elf_close(&d->debug);
		return -1;
	}
	return 0;
}

/* A separate debug file for d->elf, by build-id, then by .gnu_debuglink; 0 when found. */
static int find_debug_file(struct dso *d)
{
	unsigned char id[64];
	char path[4096], dir[4096];
	size_t n = elf_build_id(&d->elf, id, sizeof(id)), len;
	const char *link, *slash;

	if (n >= 2) {
		len = (size_t)snprintf(path, sizeof(path), "%s/.build-id/%02x/", debug_dir, id[0]);
		for (size_t i = 1; i < n && len + 3 < sizeof(path); i++)
			len += (size_t)snprintf(path + len, sizeof(path) - len, "%02x", id[i]);
		snprintf(path + len, sizeof(path) - len, ".debug");
		if (debug_file_try(d, id, n, path) == 0)
			return 0;
	}
	link = elf_debuglink(&d->elf, NULL);
	if (!link || strchr(link, '/'))
		return -1;
	slash = strrchr(d->path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - d->path) : 0, d->path);
	/* gdb's places: next to the file, in its .debug directory, under the debug directory. */
	for (int i = 0; i < 3; i++) {
		int k;
		if (i == 0)
			k = snprintf(path, sizeof(path), "%s/%s", dir, link);
		else if (i == 1)
			k = snprintf(path, sizeof(path), "%s/.debug/%s", dir, link);
		else
			k = snprintf(path, sizeof(path), "%s%s/%s", debug_dir, dir, link);
		if (k < 0 || (size_t)k >= sizeof(path))
			continue;   /* too long to be a real path */
		if (strcmp(path, d->path) != 0 && debug_file_try(d, id, n, path) == 0)
			return 0;
	}
	return -1;
}

/* PLT stubs are named as perf names them, "puts@plt": otherwise a sample in one would go to the
 * sizeless symbol before the section (often _init). */
struct plt_context {
	struct symbol_builder *builder;
	struct arena *names;
};

static void plt_stub_to_builder(void *ctx, uint64_t addr, uint64_t size, const char *name)
{
	struct plt_context *c = ctx;
	size_t len = strlen(name);
	char *full = arena_alloc(c->names, len + sizeof("@plt"), 1);

	memcpy(full, name, len);
	memcpy(full + len, "@plt", sizeof("@plt"));
	builder_add(c->builder, addr, size, full, preference_of(full, 1, STB_GLOBAL, 1));
}

static void dso_load_elf(struct dso *d)
{
	struct symbol_builder b = { 0 };
	struct plt_context plt_stubs;
	struct elf_section sec;
	size_t nsegs;

	d->is_elf = 1;
	nsegs = elf_load_segments(&d->elf, NULL, 0);
	d->segs = xcalloc(nsegs ? nsegs : 1, sizeof(*d->segs));
	d->nsegs = elf_load_segments(&d->elf, d->segs, nsegs);
	/* .symtab has the local functions too; .dynsym only the exported ones. A stripped file may
	 * have a debug file with the full table. */
	if (elf_section_by_name(&d->elf, ".symtab", &sec) == 0)
		elf_each_symbol(&d->elf, ".symtab", elf_symbol_to_builder, &b);
	else if (find_debug_file(d) == 0)
		elf_each_symbol(&d->debug, ".symtab", elf_symbol_to_builder, &b);
	else    /* as perf: the dynamic symbols only when there is no full table */
		elf_each_symbol(&d->elf, ".dynsym", elf_symbol_to_builder, &b);
	plt_stubs.builder = &b;
	plt_stubs.names = &d->names;
	elf_each_plt_stub(&d->elf, plt_stub_to_builder, &plt_stubs);
	builder_finish(&b, d);
}

static void dso_load(struct dso *d)
{
	char path[4096];
	struct stat st;
	size_t len;

	d->loaded = 1;
	if (d->source) {
		if (elf_open(&d->elf, d->source) == 0)
			dso_load_elf(d);
		return;
	}
	if (d->path[0] != '/')
		return;
	snprintf(path, sizeof(path), "%s", d->path);
	len = strlen(path);
	if (len > 10 && strcmp(path + len - 10, " (deleted)") == 0)
		path[len - 10] = '\0';
	/* The file at that path now must be the one that was mapped: after an upgrade (or in another
	 * mount namespace) it is not, and its symbols would name the wrong functions. */
	if (d->ino && (stat(path, &st) < 0 || st.st_ino != d->ino))
		return;
	if (elf_open(&d->elf, path) == 0)
		dso_load_elf(d);
}

/* dso_load, and when the file at its path is gone or another one: the mapped file itself through
 * /proc/PID/map_files (a deleted or upgraded binary of a running process; needs privileges). */
static void dso_load_mapped(struct dso *d, int pid, uint64_t start, uint64_t end)
{
	char path[96];

	dso_load(d);
	if (d->is_elf || pid <= 0 || d->path[0] != '/')
		return;
	snprintf(path, sizeof(path), "/proc/%d/map_files/%llx-%llx", pid, (unsigned long long)start,
	         (unsigned long long)end);
	if (elf_open(&d->elf, path) == 0)
		dso_load_elf(d);
}

struct dso *dso_from_elf_path(const char *path)
{
	struct dso *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path);
	dso_load(d);
	if (!d->is_elf) {
		dso_free(d);
		return NULL;
	}
	return d;
}

void dso_free(struct dso *d)
{
	if (!d)
		return;
	dwarf_free(d->dwarf);
	elf_close(&d->dwarf_elf);
	elf_close(&d->elf);
	elf_close(&d->debug);
	free(d->segs);
	free(d->syms);
	arena_free(&d->names);
	free(d->modules);
	unwind_table_free(d->unwind);
	free(d->path);
	free(d->source);
	free(d);
}

const struct symbol *dso_find_symbol(struct dso *d, uint64_t vaddr)
{
	size_t lo = 0, hi = d->nsyms;

	while (lo < hi) {           /* the first symbol starting after vaddr */
		size_t mid = lo + (hi - lo) / 2;
		if (d->syms[mid].start <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || vaddr >= d->syms[lo - 1].end)
		return NULL;
	return &d->syms[lo - 1];
}

uint64_t dso_vaddr_of_offset(const struct dso *d, uint64_t off)
{
	for (size_t i = 0; i < d->nsegs; i++) {
		const struct elf_segment *sg = &d->segs[i];
		if (off >= sg->offset && off - sg->offset < (sg->memsz > sg->filesz ? sg->memsz : sg->filesz))
			return off - sg->offset + sg->vaddr;
	}
	return off;
}

/* ---- /proc/kallsyms and /tmp/perf-PID.map ---- */

/* Parse a hex number (optional 0x) at *p, moving *p past it; -1 when there is none. */
static int parse_hex(char **p, uint64_t *out)
{
	char *s = *p;
	uint64_t v = 0;
	int d, any = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while ((d = hex_digit_value((unsigned char)*s)) >= 0) {
		v = v << 4 | (uint64_t)d;
		s++;
		any = 1;
	}
	*p = s;
	*out = v;
	return any ? 0 : -1;
}

struct line_parser {
	struct symbol_builder b;
	struct dso *d;
	int nonzero;
	const int *abandon;         /* set by another thread: stop reading */
};

/* One line of /proc/kallsyms; non-zero to stop reading. */
static int kallsyms_line(struct line_parser *lp, const char *text, size_t len)
{
	uint64_t addr;
	char line[1024], *p = line, *name, *tab;    /* names are at most KSYM_NAME_LEN (512) */
	char type;

	if (lp->abandon && __atomic_load_n(lp->abandon, __ATOMIC_RELAXED))
		return 1;
	if (len >= sizeof(line))
		return 0;
	memcpy(line, text, len);
	line[len] = '\0';
	if (parse_hex(&p, &addr) < 0 || *p++ != ' ' || !*p)
		return 0;
	type = *p++;
	if (*p++ != ' ' || !*p)
		return 0;
	name = p;
	if (addr)
		lp->nonzero = 1;
	if (type != 't' && type != 'T' && type != 'w' && type != 'W')
		return 0;       /* functions only */
	/* Module symbols end in "\t[module]", and each module's come together. */
	if ((tab = strchr(name, '\t')) != NULL) {
		struct dso *d = lp->d;
		struct module_range *last = d->nmodules ? &d->modules[d->nmodules - 1] : NULL;
		*tab++ = '\0';
		if (!last || strcmp(last->name, tab) != 0) {
			GROW(d->modules, d->modules_cap, d->nmodules + 1);
			last = &d->modules[d->nmodules++];
			last->name = arena_strndup(&d->names, tab, strlen(tab));
			last->start = last->end = addr;
		}
		if (addr < last->start)
			last->start = addr;
		if (addr >= last->end)
			last->end = addr + 1;
	}
	/* Of aliases, the last one listed: perf gives kallsyms symbols their extent up to the next
	 * address before it drops duplicates, so only the last has a size and is kept. */
	builder_add(&lp->b, addr, 0, arena_strndup(&lp->d->names, name, strlen(name)),
	            (struct preference){ 0, 1, 1, 0, 0, 1 });
	return 0;
}

const char *kernel_module_at(const struct dso *kernel, uint64_t addr)
{
	const struct symbol *sym;

	for (size_t i = 0; i < kernel->nmodules; i++) {
		const struct module_range *m = &kernel->modules[i];
		/* Up to the end of the module's last function. */
		if (addr >= m->start && addr < m->end)
			return m->name;
		if (addr >= m->end && (sym = dso_find_symbol((struct dso *)kernel, addr)) && sym->start == m->end - 1)
			return m->name;
	}
	return NULL;
}

static struct dso *kallsyms_load(const char *path, const int *abandon)
{
	struct line_parser lp = { { 0 }, NULL, 0, abandon };
	struct reader rd;
	struct line l;

	lp.d = xcalloc(1, sizeof(*lp.d));
	lp.d->path = xstrdup("[kernel.kallsyms]");
	lp.d->loaded = 1;
	if (reader_open(&rd, path) < 0) {
		dso_free(lp.d);
		return NULL;
	}
	/* Streamed: megabytes of text of which only the functions are kept. */
	while (reader_line(&rd, &l) && !kallsyms_line(&lp, l.ptr, l.len))
		;
	reader_close(&rd);
	builder_finish(&lp.b, lp.d);
	if (!lp.nonzero || !lp.d->nsyms || (abandon && __atomic_load_n(abandon, __ATOMIC_RELAXED))) {
		dso_free(lp.d);     /* hidden by kernel.kptr_restrict (all zeros), or abandoned */
		return NULL;
	}
	return lp.d;
}

struct dso *dso_from_kallsyms(const char *path)
{
	return kallsyms_load(path, NULL);
}

/* One line of a perf map, NUL-terminated. */
static void perf_map_line(struct line_parser *lp, char *line)
{
	uint64_t start, size;
	char *p = line;

	if (parse_hex(&p, &start) < 0 || *p++ != ' ' || parse_hex(&p, &size) < 0 || *p++ != ' ' || !*p || !size)
		return;
	/* All alike but for their order: a JIT that reuses an address wrote the latest line last. */
	builder_add(&lp->b, start, size, arena_strndup(&lp->d->names, p, strlen(p)),
	            (struct preference){ 1, 1, 1, 0, 0, 1 });
}

/* Open a JIT's symbol map only if it can be trusted: a regular file (a FIFO would block us, a
 * device or a symbolic link to one would be read forever), owned by the process's user or root.
 * The fd, or -1 with why (NULL when there simply is no such file). */
static int open_perf_map(const char *path, uid_t owner, struct stat *st, char *why, size_t why_size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	why[0] = '\0';
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(why, why_size, "a symbolic link");
		else if (errno != ENOENT && errno != ENOTDIR)
			snprintf(why, why_size, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0)
		snprintf(why, why_size, "%s", strerror(errno));
	else if (!S_ISREG(st->st_mode))
		snprintf(why, why_size, "not a regular file");
	else if (st->st_uid != 0 && st->st_uid != owner)
		snprintf(why, why_size, "owned by uid %u, neither the process's user (uid %u) nor root",
		         (unsigned)st->st_uid, (unsigned)owner);
	if (why[0]) {
		close(fd);
		return -1;
	}
	return fd;
}

struct dso *dso_from_perf_map_fd(int fd, const char *path)
{
	struct line_parser lp = { { 0 }, NULL, 0, NULL };
	struct line_iter it;
	struct line l;
	size_t len;
	int capped;
	char *text = read_capped(fd, PERF_MAP_MAX_BYTES, &len, &capped);

	if (!text)
		return NULL;
	if (capped)
		warn("%s: larger than %u MiB: only its first %u MiB read", path, PERF_MAP_MAX_BYTES >> 20,
		     PERF_MAP_MAX_BYTES >> 20);
	lp.d = xcalloc(1, sizeof(*lp.d));
	lp.d->path = xstrdup(path);
	lp.d->loaded = 1;
	line_iter_init(&it, text, len);
	while (line_next(&it, &l)) {
		char *line = text + (l.ptr - text);     /* our own buffer: end each line in place */
		line[l.len] = '\0';
		perf_map_line(&lp, line);
	}
	free(text);
	builder_finish(&lp.b, lp.d);
	if (!lp.d->nsyms) {
		dso_free(lp.d);
		return NULL;
	}
	return lp.d;
}

struct dso *dso_from_perf_map(const char *path)
{
	char why[128];
	struct stat st;
	struct dso *d;
	int fd = open_perf_map(path, geteuid(), &st, why, sizeof(why));

	if (fd < 0)
		return NULL;
	d = dso_from_perf_map_fd(fd, path);
	close(fd);
	return d;
}

/* The user a process runs as (the owner of /proc/PID); ours when that cannot be known. */
static uid_t process_owner(struct symbolizer *s, struct process *p)
{
	char path[32];
	struct stat st;

	if (!p->owner_known) {
		p->owner_known = 1;
		p->owner = geteuid();
		snprintf(path, sizeof(path), "/proc/%d", p->pid);
		if (!s->offline && stat(path, &st) == 0)
			p->owner = st.st_uid;
	}
	return p->owner;
}

/* The JIT symbols of process p from /tmp/perf-PID.map: parsed once, and again only when the file
 * changed (a JIT appends as it compiles), looked at no more than 10 times a second. A file that
 * holds no symbol, or that is refused, is remembered as such until it changes. */
static struct dso *process_jit(struct symbolizer *s, struct process *p)
{
	struct stat st;
	struct timespec now;
	uint64_t now_ns;
	char why[128];
	int fd;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	now_ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	if (p->jit_checked_ns && now_ns - p->jit_checked_ns < 100000000ULL)
		return p->jit;
	p->jit_checked_ns = now_ns;
	if (lstat(p->jit_path, &st) < 0)
		return p->jit;
	if (p->jit_seen && st.st_ino == p->jit_ino && st.st_dev == p->jit_dev && st.st_size == p->jit_size &&
	    st.st_mtim.tv_sec == p->jit_mtime.tv_sec && st.st_mtim.tv_nsec == p->jit_mtime.tv_nsec)
		return p->jit;
	p->jit_seen = 1;
	p->jit_ino = st.st_ino;
	p->jit_dev = st.st_dev;
	p->jit_size = st.st_size;
	p->jit_mtime = st.st_mtim;
	if ((fd = open_perf_map(p->jit_path, process_owner(s, p), &st, why, sizeof(why))) < 0) {
		if (why[0] && !p->jit_warned) {
			p->jit_warned = 1;
			warn("%s: %s: not read", p->jit_path, why);
		}
		return p->jit;      /* what an earlier, trusted version said, if any */
	}
	dso_free(p->jit);
	p->jit = dso_from_perf_map_fd(fd, p->jit_path);
	close(fd);
	return p->jit;
}

void sym_check_jit(struct symbolizer *s, int pid)
{
	process_jit(s, get_process(s, pid, 1));
}

/* ---- the vDSO: the same image in every process, so read our own ---- */

static struct dso *load_vdso(void)
{
	struct dso *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup("[vdso]");
	d->loaded = 1;
	if (elf_vdso(&d->elf) == 0)
		dso_load_elf(d);
	return d;
}

/* ---- processes that were running before recording began ---- */

static void synthesized_map(void *ctx, const struct record_mmap *m)
{
	add_map(ctx, (int)m->pid, m->addr, m->len, m->pgoff, m->dev, m->ino, m->prot, m->filename, 0);
}

void sym_synthesize(struct symbolizer *s, int pid)
{
	struct process *p = get_process(s, pid, 1);

	if (p->synthesized || s->offline)
		return;
	p->synthesized = 1;
	if (procfs_each_map(pid, synthesized_map, s) == 0)
		sym_thread_comm(s, pid, pid);
}

static void synthesize_pid(void *ctx, int pid)
{
	sym_synthesize(ctx, pid);
}

void sym_synthesize_all(struct symbolizer *s)
{
	procfs_each_pid(synthesize_pid, s);
}

void sym_set_locate(struct symbolizer *s, sym_locate_fn fn, void *ctx)
{
	s->locate = fn;
	s->locate_ctx = ctx;
}

void sym_set_offline(struct symbolizer *s)
{
	s->offline = 1;
}

const char *sym_thread_comm(struct symbolizer *s, int pid, int tid)
{
	struct thread *t = get_thread(s, tid, 1);

	if (t->comm[0])
		return t->comm;
	t->pid = pid;
	if (s->offline || procfs_thread_comm(pid, tid, t->comm, sizeof(t->comm)) < 0)
		snprintf(t->comm, sizeof(t->comm), ":%d", tid);
	return t->comm;
}

/* ---- resolving ---- */

static const char *display_name(struct symbolizer *s, const struct symbol *sym)
{
	struct symbol *w = (struct symbol *)sym;
	size_t len;
	int plt;
	char *d;

	if (w->demangled)
		return w->demangled;
	w->demangled = w->name;
	len = strlen(w->name);
	plt = len > 4 && memcmp(w->name + len - 4, "@plt", 4) == 0;    /* demangled as perf does: before the suffix */
	if (s->demangle_names && (w->name[0] == '_' && (w->name[1] == 'Z' || w->name[1] == 'R')) &&
	    (d = demangle_opts(w->name, plt ? len - 4 : len,
	                       s->demangle_names == SYM_DEMANGLE_PARAMS ? 0 : DEMANGLE_NO_PARAMS)) != NULL) {
		if (plt) {
			size_t dlen = strlen(d);
			d = xrealloc(d, dlen + sizeof("@plt"));
			memcpy(d + dlen, "@plt", sizeof("@plt"));
		}
		GROW(s->demangled, s->demangled_cap, s->ndemangled + 1);
		s->demangled[s->ndemangled++] = d;
		w->demangled = d;
	}
	return w->demangled;
}

static void resolve_in(struct symbolizer *s, struct dso *d, uint64_t vaddr, struct resolved *out)
{
	const struct symbol *sym = dso_find_symbol(d, vaddr);

	out->dso = d->path;
	if (sym) {
		out->sym = display_name(s, sym);
		out->offset = vaddr - sym->start;
	}
}

/* The object of a file-backed map of process pid, read if it was not yet. */
static struct dso *map_object(struct symbolizer *s, int pid, const struct map *m)
{
	if (strcmp(m->dso->path, "[vdso]") == 0 && !m->dso->loaded) {
		/* Every process maps the same image: read ours once. */
		if (!s->vdso)
			s->vdso = load_vdso();
		return s->vdso;
	}
	if (!m->dso->loaded)
		dso_load_mapped(m->dso, s->offline ? -1 : pid, m->start, m->end);
	return m->dso;
}

/* The map holding addr in process pid, reading /proc for a process never seen. */
static const struct map *find_map(struct symbolizer *s, int pid, uint64_t addr, struct process **proc)
{
	struct process *p = get_process(s, pid, 1);

	if (!p->synthesized)
		sym_synthesize(s, pid);
	*proc = p;
	return process_find_map(p, addr);
}

int sym_object_at(struct symbolizer *s, int pid, uint64_t addr, struct dso **dso, uint64_t *bias)
{
	struct process *p;
	const struct map *m = find_map(s, pid, addr, &p);
	struct dso *d;

	if (!m || !m->dso)
		return 0;
	d = map_object(s, pid, m);
	if (!d->is_elf)
		return 0;
	*dso = d;
	*bias = addr - dso_vaddr_of_offset(d, addr - m->start + m->pgoff);
	return 1;
}

const struct unwind_table *dso_unwind_table(struct dso *d)
{
	struct elf_eh_frame eh;

	if (!d->unwind_tried) {
		d->unwind_tried = 1;
		if (d->is_elf && elf_eh_frame(&d->elf, &eh) == 0)
			d->unwind = unwind_table_new(eh.hdr, eh.hdr_size, eh.hdr_vaddr, eh.frame, eh.frame_size, eh.frame_vaddr);
	}
	return d->unwind;
}

int sym_unwind_table_at(struct symbolizer *s, int pid, uint64_t addr, const struct unwind_table **table, uint64_t *bias)
{
	struct dso *d;

	if (!sym_object_at(s, pid, addr, &d, bias))
		return 0;       /* anonymous memory (JIT code), or no readable file */
	*table = dso_unwind_table(d);
	return *table != NULL;
}

/* d's DWARF: in the file itself, in the debug file its symbols came from, or in a separate one. */
static struct dwarf *dso_dwarf(struct symbolizer *s, struct dso *d)
{
	struct elf_section sec;
	char found[4096];
	int names = s->demangle_names == SYM_MANGLED ? DWARF_NAMES_RAW
	            : s->demangle_names == SYM_DEMANGLE_PARAMS ? DWARF_NAMES_PARAMS : DWARF_NAMES_DEMANGLE;

	if (d->dwarf_tried)
		return d->dwarf;
	d->dwarf_tried = 1;
	if (elf_section_by_name(&d->elf, ".debug_info", &sec) == 0 || elf_section_by_name(&d->elf, ".zdebug_info", &sec) == 0)
		d->dwarf = dwarf_open(&d->elf, d->path, names);
	else if (d->debug.data && (elf_section_by_name(&d->debug, ".debug_info", &sec) == 0 ||
	                           elf_section_by_name(&d->debug, ".zdebug_info", &sec) == 0))
		d->dwarf = dwarf_open(&d->debug, d->path, names);
	else if (debuginfo_find(&d->elf, d->path, debug_dir, &d->dwarf_elf, found, sizeof(found)) == 0)
		d->dwarf = dwarf_open(&d->dwarf_elf, found, names);
	return d->dwarf;
}

size_t sym_inline_chain(struct symbolizer *s, int pid, uint64_t addr, struct inline_frame *out, size_t max)
{
	struct process *p;
	const struct map *m = find_map(s, pid, addr, &p);
	struct dso *d;
	struct dwarf *dw;

	if (!m || !m->dso)
		return 0;
	d = map_object(s, pid, m);
	if (!d->is_elf || !(dw = dso_dwarf(s, d)))
		return 0;
	return dwarf_lookup(dw, dso_vaddr_of_offset(d, addr - m->start + m->pgoff), out, max);
}

void sym_resolve(struct symbolizer *s, int pid, uint64_t addr, int kernel, struct resolved *out)
{
	struct process *p;
	const struct map *m;

	out->sym = NULL;
	out->offset = 0;
	out->dso = NULL;
	if (kernel) {
		struct dso *kernel = kernel_symbols(s);
		const char *module;
		out->dso = "[kernel.kallsyms]";
		if (kernel) {
			resolve_in(s, kernel, addr, out);
			if ((module = kernel_module_at(kernel, addr)) != NULL)
				out->dso = module;
		}
		return;
	}
	m = find_map(s, pid, addr, &p);
	if (m && m->dso) {
		struct dso *d = map_object(s, pid, m);
		out->dso = d->path;
		if (d->is_elf)
			resolve_in(s, d, dso_vaddr_of_offset(d, addr - m->start + m->pgoff), out);
		return;
	}
	/* Anonymous or unmapped code: a JIT that writes /tmp/perf-PID.map tells us its symbols. */
	struct dso *jit = process_jit(s, p);
	if (jit) {
		resolve_in(s, jit, addr, out);
		if (out->sym || m)
			return;
		out->dso = NULL;
	} else if (m) {
		out->dso = p->jit_path;
	}
}
