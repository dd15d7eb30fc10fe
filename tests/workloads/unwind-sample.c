/* unwind-sample: a minimal `perf record --call-graph dwarf` on top of record/unwind.c, to test the
 * module on real kernel samples before it is wired into flame-record (and to show how to wire it):
 * runs CMD under a cpu-clock event that copies the user registers and stack with each sample,
 * unwinds every sample, names the frames from the ELF symbol tables and prints folded stacks.
 *   unwind-sample [-F FREQ] [-S STACK_BYTES] [-m dwarf|fp] -- CMD [ARGS]
 * -m fp walks the rbp chain over the same copied stack instead, for contrast.
 * stderr ends with: samples, frames per sample and the unwinding cost per sample. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "record/elf.h"
#include "record/unwind.h"

#define RING_PAGES 1024     /* data pages of the ring buffer (4 MB): ~500 samples of 8 KB */

struct sym { uint64_t addr, size; const char *name; };

struct elf {
	char *path;
	unsigned char *data;
	size_t size;
	struct unwind_table *table;
	struct sym *syms;
	size_t nsyms;
};

struct map { uint64_t start, end, bias; struct elf *elf; };

static struct elf *elves[256];
static int nelves;
static struct map maps[1024];
static int nmaps;
static uint64_t nsamples, nframes, nlost;
static double unwind_seconds, *unwind_times;  /* total, and per sample for the median */
static size_t cap_times;
static int fp_mode;
static struct unwind_cache *cache;   /* one per unwinding thread, kept across samples */
static char **stacks;
static size_t nstacks, cap_stacks;

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Function symbols from .symtab, or .dynsym when stripped. */
static void load_syms(struct elf *e)
{
	const Elf64_Ehdr *h = (const void *)e->data;
	if (e->size < sizeof(*h) || h->e_shoff == 0 || h->e_shoff + (uint64_t)h->e_shnum * sizeof(Elf64_Shdr) > e->size)
		return;
	const Elf64_Shdr *sh = (const void *)(e->data + h->e_shoff);
	int pick = -1;
	for (int i = 0; i < h->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB || (sh[i].sh_type == SHT_DYNSYM && pick < 0))
			pick = i;
	if (pick < 0 || sh[pick].sh_link >= h->e_shnum)
		return;
	const Elf64_Sym *s = (const void *)(e->data + sh[pick].sh_offset);
	const char *str = (const char *)e->data + sh[sh[pick].sh_link].sh_offset;
	size_t n = sh[pick].sh_size / sizeof(*s);
	e->syms = calloc(n ? n : 1, sizeof(*e->syms));
	for (size_t i = 0; i < n; i++)
		if (ELF64_ST_TYPE(s[i].st_info) == STT_FUNC && s[i].st_value)
			e->syms[e->nsyms++] = (struct sym){ s[i].st_value, s[i].st_size, str + s[i].st_name };
	qsort(e->syms, e->nsyms, sizeof(*e->syms), cmp_sym);
}

/* The object's unwind table, from the sections (or program headers) elf.c finds. */
static struct unwind_table *table_from_elf(const unsigned char *data, size_t size)
{
	struct elf_file f;
	struct elf_eh_frame eh;

	if (elf_from_memory(&f, data, size) < 0 || elf_eh_frame(&f, &eh) < 0)
		return NULL;
	return unwind_table_new(eh.hdr, eh.hdr_size, eh.hdr_vaddr, eh.frame, eh.frame_size, eh.frame_vaddr);
}

static struct elf *load_elf(const char *path)
{
	for (int i = 0; i < nelves; i++)
		if (strcmp(elves[i]->path, path) == 0)
			return elves[i];
	if (strcmp(path, "[vdso]") == 0) {     /* the kernel's image, as mapped into us too */
		struct elf_file vdso;
		if (elf_vdso(&vdso) < 0 || nelves == 256)
			return NULL;
		struct elf *e = calloc(1, sizeof(*e));
		e->path = strdup(path);
		e->data = (unsigned char *)vdso.data;
		e->size = vdso.size;
		e->table = table_from_elf(e->data, e->size);
		load_syms(e);
		return elves[nelves++] = e;
	}
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr) || nelves == 256) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct elf *e = calloc(1, sizeof(*e));
	e->path = strdup(path);
	e->size = (size_t)st.st_size;
	e->data = mmap(NULL, e->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (e->data == MAP_FAILED || memcmp(e->data, ELFMAG, SELFMAG) != 0) {
		free(e->path);
		free(e);
		return NULL;
	}
	e->table = table_from_elf(e->data, e->size);
	load_syms(e);
	return elves[nelves++] = e;
}

/* An executable mapping of a file: its load bias from the executable PT_LOAD it maps. The loader
 * maps a segment from its page-aligned offset, and segments may share a page (lld packs them):
 * pgoff alone can fall inside the previous, read-only one, so match the page-aligned start. */
static void add_map(uint64_t start, uint64_t len, uint64_t pgoff, const char *path)
{
	struct elf *e = load_elf(path);
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	if (!e || nmaps == 1024)
		return;
	const Elf64_Ehdr *h = (const void *)e->data;
	for (int i = 0; i < h->e_phnum && h->e_phoff + (i + 1) * sizeof(Elf64_Phdr) <= e->size; i++) {
		const Elf64_Phdr *ph = (const void *)(e->data + h->e_phoff + i * sizeof(Elf64_Phdr));
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || (ph->p_offset & ~(page - 1)) != pgoff)
			continue;
		maps[nmaps++] = (struct map){ start, start + len, start - (ph->p_vaddr & ~(page - 1)), e };
		return;
	}
}

static const struct map *find_map(uint64_t pc)
{
	for (int i = nmaps - 1; i >= 0; i--)    /* newest first: a remapped range wins */
		if (pc >= maps[i].start && pc < maps[i].end)
			return &maps[i];
	return NULL;
}

static int find(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	(void)ctx;
	const struct map *m = find_map(pc);
	if (!m || !m->elf->table)
		return 0;
	*table = m->elf->table;
	*bias = m->bias;
	return 1;
}

static const char *name_of(uint64_t pc)
{
	const struct map *m = find_map(pc);
	if (!m)
		return "[unknown]";
	const struct elf *e = m->elf;
	uint64_t addr = pc - m->bias;
	size_t lo = 0, hi = e->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < e->syms[lo - 1].addr + (e->syms[lo - 1].size ? e->syms[lo - 1].size : 1))
		return e->syms[lo - 1].name;
	const char *base = strrchr(e->path, '/');
	return base ? base + 1 : e->path;
}

/* What a frame-pointer call chain sees: rbp -> (saved rbp, return address) links. */
static size_t walk_fp(const struct unwind_regs *r, const unsigned char *stack, size_t size, uint64_t *pcs, size_t max)
{
	uint64_t sp = r->r[UNWIND_RSP], bp = r->r[UNWIND_RBP];
	size_t n = 0;
	pcs[n++] = r->r[UNWIND_RIP];
	while (n < max && bp >= sp && bp - sp + 16 <= size) {
		uint64_t next, ret;
		memcpy(&next, stack + (bp - sp), 8);
		memcpy(&ret, stack + (bp - sp) + 8, 8);
		if (!ret)
			break;
		pcs[n++] = ret;
		if (next <= bp)
			break;
		bp = next;
	}
	return n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* PERF_RECORD_SAMPLE with IP | TID | REGS_USER | STACK_USER: ip, pid/tid, abi, regs, size, data,
 * dyn_size. This is the part flame-record will do per sample. */
static void on_sample(const unsigned char *p, const unsigned char *end)
{
	uint64_t abi, size, dyn_size = 0, regs[64], pcs[256];
	const unsigned char *stack = NULL;
	size_t nregs = (size_t)__builtin_popcountll(UNWIND_PERF_REGS_MASK);
	p += 8 + 8;                                     /* ip, pid/tid */
	if (end - p < 8)
		return;
	memcpy(&abi, p, 8);
	p += 8;
	if (abi != PERF_SAMPLE_REGS_ABI_NONE) {
		if ((size_t)(end - p) < nregs * 8)
			return;
		memcpy(regs, p, nregs * 8);
		p += nregs * 8;
	}
	if (end - p < 8)
		return;
	memcpy(&size, p, 8);
	p += 8;
	if (size) {
		if ((uint64_t)(end - p) < size + 8)
			return;
		stack = p;
		memcpy(&dyn_size, p + size, 8);
		if (dyn_size > size)
			dyn_size = size;
	}
	if (abi == PERF_SAMPLE_REGS_ABI_NONE)
		return;
	struct unwind_regs r;
	unwind_regs_from_perf(&r, UNWIND_PERF_REGS_MASK, regs, nregs);
	double t0 = now();
	size_t n = fp_mode ? walk_fp(&r, stack, dyn_size, pcs, 256)
	                   : unwind_stack_cached(cache, &r, stack, dyn_size, find, NULL, pcs, 256);
	double took = now() - t0;
	unwind_seconds += took;
	if (nsamples == cap_times)
		unwind_times = realloc(unwind_times, (cap_times = 2 * cap_times + 1024) * sizeof(*unwind_times));
	unwind_times[nsamples] = took;
	nsamples++;
	nframes += n;
	/* folded: root first; return addresses named at pc - 1 */
	size_t len = 0, cap = 256;
	char *line = malloc(cap);
	line[0] = 0;
	for (size_t i = n; i-- > 0;) {
		const char *name = name_of(i ? pcs[i] - 1 : pcs[i]);
		size_t l = strlen(name);
		if (len + l + 2 > cap)
			line = realloc(line, cap = 2 * (len + l + 2));
		if (len)
			line[len++] = ';';
		memcpy(line + len, name, l + 1);
		len += l;
	}
	if (nstacks == cap_stacks)
		stacks = realloc(stacks, (cap_stacks = 2 * cap_stacks + 64) * sizeof(*stacks));
	stacks[nstacks++] = line;
}

static void on_record(const struct perf_event_header *h)
{
	const unsigned char *p = (const unsigned char *)(h + 1), *end = (const unsigned char *)h + h->size;
	if (h->type == PERF_RECORD_SAMPLE) {
		on_sample(p, end);
	} else if (h->type == PERF_RECORD_LOST && end - p >= 16) {
		uint64_t lost;
		memcpy(&lost, p + 8, 8);
		nlost += lost;
	} else if (h->type == PERF_RECORD_MMAP2) {
		/* pid, tid, addr, len, pgoff, maj, min, ino, ino_generation, prot, flags, filename */
		uint64_t addr, len, pgoff;
		uint32_t prot;
		memcpy(&addr, p + 8, 8);
		memcpy(&len, p + 16, 8);
		memcpy(&pgoff, p + 24, 8);
		memcpy(&prot, p + 56, 4);
		const char *file = (const char *)p + 64;
		if ((prot & PROT_EXEC) && memchr(file, 0, (size_t)(end - (const unsigned char *)file)) &&
		    (file[0] == '/' || strcmp(file, "[vdso]") == 0))
			add_map(addr, len, pgoff, file);
	}
}

static void drain(struct perf_event_mmap_page *meta, unsigned char *ring, size_t ring_size)
{
	static unsigned char rec[65536];  /* a record size is 16 bits */
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE), tail = meta->data_tail;
	while (tail < head) {
		struct perf_event_header h;
		size_t at = tail % ring_size;
		for (size_t i = 0; i < sizeof(h); i++)
			((unsigned char *)&h)[i] = ring[(at + i) % ring_size];
		if (h.size < sizeof(h))
			break;
		size_t first = ring_size - at < h.size ? ring_size - at : h.size;  /* unwrap */
		memcpy(rec, ring + at, first);
		memcpy(rec + first, ring, h.size - first);
		on_record((const struct perf_event_header *)(void *)rec);
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
	int freq = 999, opt;
	unsigned stack_size = 8192;
	while ((opt = getopt(argc, argv, "+F:S:m:")) != -1) {
		if (opt == 'm')
			fp_mode = strcmp(optarg, "fp") == 0;
		else if (opt == 'F')
			freq = atoi(optarg);
		else if (opt == 'S')
			stack_size = (unsigned)atoi(optarg) & ~7u;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: unwind-sample [-F FREQ] [-S STACK_BYTES] [-m dwarf|fp] -- CMD [ARGS]\n");
		return 2;
	}
	cache = unwind_cache_new();
	int go[2];
	if (pipe(go) < 0)
		return 2;
	pid_t child = fork();
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	close(go[0]);

	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;
	attr.sample_freq = (uint64_t)freq;
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	attr.sample_regs_user = UNWIND_PERF_REGS_MASK;
	attr.sample_stack_user = stack_size;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	attr.mmap = 1;
	attr.mmap2 = 1;
	attr.disabled = 1;
	attr.enable_on_exec = 1;
	int fd = (int)syscall(SYS_perf_event_open, &attr, child, -1, -1, 0);
	if (fd < 0) {
		fprintf(stderr, "unwind-sample: perf_event_open: %s\n", strerror(errno));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return 3;       /* the caller skips: no perf events here */
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE), ring_size = RING_PAGES * page;
	void *base = mmap(NULL, page + ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		fprintf(stderr, "unwind-sample: mmap: %s\n", strerror(errno));
		kill(child, SIGKILL);
		return 3;
	}
	struct perf_event_mmap_page *meta = base;
	unsigned char *ring = (unsigned char *)base + page;
	if (write(go[1], "g", 1) != 1)
		return 2;
	close(go[1]);
	int status = 0;
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		poll(&pfd, 1, 50);
		drain(meta, ring, ring_size);
		if (waitpid(child, &status, WNOHANG) == child)
			break;
	}
	drain(meta, ring, ring_size);

	qsort(stacks, nstacks, sizeof(*stacks), cmp_str);
	for (size_t i = 0; i < nstacks;) {
		size_t k = i;
		while (k < nstacks && strcmp(stacks[k], stacks[i]) == 0)
			k++;
		printf("%s %zu\n", stacks[i], k - i);
		i = k;
	}
	/* The median: a sampler descheduled in the middle of one unwind must not skew the figure. */
	double median = 0;
	if (nsamples) {
		qsort(unwind_times, nsamples, sizeof(*unwind_times), cmp_double);
		median = unwind_times[nsamples / 2];
	}
	uint64_t hits, misses;
	unwind_cache_stats(cache, &hits, &misses);
	fprintf(stderr, "unwind-sample: %llu samples (%llu lost), %.1f frames/sample, unwinding %.2f us/sample "
	        "(median; mean %.2f), row cache hits %.1f%%\n", (unsigned long long)nsamples,
	        (unsigned long long)nlost, nsamples ? (double)nframes / (double)nsamples : 0.0, median * 1e6,
	        nsamples ? unwind_seconds * 1e6 / (double)nsamples : 0.0,
	        hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 0.0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
