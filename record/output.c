/* output: perf script's default text; see output.h. */
#include <stdio.h>
#include <string.h>

#include "dwarf.h"
#include "output.h"

/* Kernel addresses on x86-64 (and arm64) are in the upper half. */
#define KERNEL_START 0xffff800000000000ULL

size_t sample_frames(const struct sample *smp, struct frame *frames, size_t max)
{
	size_t n = 0;
	int kernel = smp->ip >= KERNEL_START;

	for (uint64_t i = 0; i < smp->nr && n < max; i++) {
		uint64_t ip = smp->ips[i];
		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			kernel = ip == (uint64_t)PERF_CONTEXT_KERNEL || ip == (uint64_t)PERF_CONTEXT_GUEST_KERNEL;
			continue;
		}
		frames[n].addr = ip;
		frames[n].kernel = kernel;
		n++;
	}
	if (n == 0 && max > 0) {    /* no callchain: the sampled ip alone */
		frames[0].addr = smp->ip;
		frames[0].kernel = smp->ip >= KERNEL_START;
		n = 1;
	}
	return n;
}

size_t sample_frames_unwound(const struct sample *smp, uint64_t regs_mask, struct unwind_cache *cache,
                             unwind_find_fn find, void *ctx, uint64_t *pcs, struct frame *frames, size_t max)
{
	struct unwind_regs regs;
	size_t n = 0, k = sample_frames(smp, frames, max), got;

	for (size_t i = 0; i < k; i++)
		if (frames[i].kernel)
			frames[n++] = frames[i];
	if (!smp->regs_abi || !smp->regs || n == max)
		return n ? n : k;
	unwind_regs_from_perf(&regs, regs_mask, smp->regs, smp->nregs);
	got = unwind_stack_cached(cache, &regs, smp->stack, smp->stack ? (size_t)smp->stack_size : 0, find, ctx,
	                          pcs, max - n);
	for (size_t i = 0; i < got; i++) {
		frames[n].addr = i ? pcs[i] - 1 : pcs[i];
		frames[n].kernel = 0;
		n++;
	}
	return n ? n : k;
}

static char *put_hex(char *p, uint64_t v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* %16lx: right-aligned in 16 columns, as perf prints callchain addresses. */
static char *put_hex16(char *p, uint64_t v)
{
	int digits = 1;

	for (uint64_t rest = v >> 4; rest; rest >>= 4)
		digits++;
	for (int pad = 16 - digits; pad > 0; pad--)
		*p++ = ' ';
	return put_hex(p, v);
}

static int show_inline = 1, show_srcline;

void output_set_inline(int on)
{
	show_inline = on;
}

void output_set_srcline(int on)
{
	show_srcline = on;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* "\t<addr> " */
static void put_addr(struct writer *w, uint64_t addr)
{
	char line[32], *p = line;

	*p++ = '\t';
	p = put_hex16(p, addr);
	*p++ = ' ';
	writer_add(w, line, (size_t)(p - line));
}

static void put_offset(struct writer *w, uint64_t off)
{
	char line[32], *p = line;

	*p++ = '+';
	*p++ = '0';
	*p++ = 'x';
	p = put_hex(p, off);
	writer_add(w, line, (size_t)(p - line));
}

/* perf script -F+srcline's line under a frame: "  file:line" (the file without its directories), "??:0"
 * for a user frame no line information covers, "[dso][addr]" for the kernel, nothing without a map. */
static void put_srcline(struct writer *w, const struct frame *f, const struct resolved *r, const struct inline_frame *in)
{
	char line[48];

	if (in && in->file) {
		writer_add(w, "\n  ", 3);
		writer_adds(w, base_name(in->file));
		snprintf(line, sizeof(line), ":%u", in->line);
		writer_adds(w, line);
	} else if (f->kernel) {
		writer_add(w, "\n  ", 3);
		writer_adds(w, r->dso ? r->dso : "[kernel.kallsyms]");
		snprintf(line, sizeof(line), "[%llx]", (unsigned long long)f->addr);
		writer_adds(w, line);
	} else if (r->dso) {
		writer_add(w, "\n  ??:0", 7);
	}
}

#define MAX_INLINE 64

/* Where user stacks end, for the note on stacks cut short: a stack that reaches the thread's
 * start ends in one of these (libc's, ld.so's, or a static binary's entry points). */
static const char *const thread_starts[] = {
	"_start", "_dl_start_user", "_dl_start", "__libc_start_main", "__libc_start_main_impl",
	"__libc_start_call_main", "start_thread", "clone", "clone3", "__clone", "__clone3", "thread_start",
};
static struct output_stack_stats stack_stats;

static int is_thread_start(const char *sym)
{
	for (size_t i = 0; i < sizeof(thread_starts) / sizeof(thread_starts[0]); i++)
		if (strcmp(sym, thread_starts[i]) == 0)
			return 1;
	return 0;
}

const struct output_stack_stats *output_stack_stats(void)
{
	return &stack_stats;
}

void output_sample(struct writer *w, struct symbolizer *s, const struct sample *smp, const char *event,
                   const struct frame *frames, size_t nframes)
{
	int user_frames = 0, reached_start = 0;
	char line[128];
	const char *comm = smp->tid == 0 ? "swapper" : sym_thread_comm(s, (int)smp->pid, (int)smp->tid);
	struct resolved r;
	struct inline_frame chain[MAX_INLINE];

	/* perf_sample__fprintf_start: "%s " comm, "%5d/%-5d " pid/tid, "[%03d] " cpu,
	 * "%5lu.%06lu: " time, "%10lu " period, "%s: " event. */
	writer_adds(w, comm);
	snprintf(line, sizeof(line), " %5d/%-5d ", (int)smp->pid, (int)smp->tid);
	writer_adds(w, line);
	if (smp->cpu != SAMPLE_NO_CPU) {    /* a perf.data recorded without -a has none */
		snprintf(line, sizeof(line), "[%03u] ", smp->cpu);
		writer_adds(w, line);
	}
	snprintf(line, sizeof(line), "%5llu.%06llu: %10llu ", (unsigned long long)(smp->time / 1000000000),
	         (unsigned long long)(smp->time % 1000000000 / 1000), (unsigned long long)smp->period);
	writer_adds(w, line);
	writer_adds(w, event);
	writer_add(w, ": \n", 3);
	for (size_t i = 0; i < nframes; i++) {
		size_t n = 0;
		sym_resolve(s, (int)smp->pid, frames[i].addr, frames[i].kernel, &r);
		if (!frames[i].kernel) {    /* the last user frame decides (leaf first, so outermost) */
			user_frames = 1;
			reached_start = r.sym && is_thread_start(r.sym);
		}
		if (!frames[i].kernel && (show_srcline || (show_inline && r.sym))) {
			n = sym_inline_chain(s, (int)smp->pid, frames[i].addr, chain, MAX_INLINE);
			if (n > MAX_INLINE)
				n = MAX_INLINE;
		}
		/* As perf: an address in inlined code is one line per function of its chain, innermost
		 * first, each with the physical symbol's offset; a function other than the symbol is
		 * marked "(inlined)" instead of its dso. */
		if (show_inline && r.sym && n > 0) {
			for (size_t k = 0; k < n; k++) {
				const char *name = chain[k].name ? chain[k].name : r.sym;
				int inlined = strcmp(name, r.sym) != 0;
				put_addr(w, frames[i].addr);
				writer_adds(w, name);
				put_offset(w, r.offset);
				if (!inlined) {
					writer_add(w, " (", 2);
					writer_adds(w, r.dso ? r.dso : "[unknown]");
					writer_add(w, ")", 1);
				}
				if (show_srcline)
					put_srcline(w, &frames[i], &r, &chain[k]);
				if (inlined)
					writer_add(w, " (inlined)", 10);
				writer_add(w, "\n", 1);
			}
			continue;
		}
		put_addr(w, frames[i].addr);
		if (r.sym) {
			writer_adds(w, r.sym);
			put_offset(w, r.offset);
			writer_add(w, " ", 1);
		} else {
			writer_add(w, "[unknown] ", 10);
		}
		writer_add(w, "(", 1);
		writer_adds(w, r.dso ? r.dso : "[unknown]");
		writer_add(w, ")", 1);
		if (show_srcline)
			put_srcline(w, &frames[i], &r, n ? &chain[0] : NULL);
		writer_add(w, "\n", 1);
	}
	writer_add(w, "\n", 1);
	if (user_frames) {
		stack_stats.user_stacks++;
		stack_stats.cut_short += !reached_start;
	}
}
