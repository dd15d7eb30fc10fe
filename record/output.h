/* output: samples as `perf script` prints them by default, so flame-collapse,
 * stackcollapse-perf.pl and inferno-collapse-perf read them as they read perf's:
 *     comm pid/tid [cpu] secs.usecs: period event:
 *     \t<addr> <symbol>+0x<off> (<dso>)      one line per frame, leaf first
 *     (a blank line) */
#ifndef FLAME_RECORD_OUTPUT_H
#define FLAME_RECORD_OUTPUT_H

#include "writer.h"
#include "events.h"
#include "symbols.h"
#include "unwind.h"

/* Frames of one sample, leaf first, with whether each is a kernel address. */
struct frame {
	uint64_t addr;
	int kernel;
};

/* Turn a sample's callchain (context markers and all) into frames; returns how many (<= max). */
size_t sample_frames(const struct sample *smp, struct frame *frames, size_t max);

/* --call-graph dwarf: the kernel's frames from the sample's callchain (the kernel leaves out its
 * user part), then the user frames unwound from the sample's registers and stack copy, finding
 * objects with find(ctx, ...). Callers' addresses are the return address - 1, inside the call, as
 * perf script prints unwound frames. pcs is scratch room for max addresses. A sample without user
 * registers (a kernel thread) keeps what the kernel gave. */
size_t sample_frames_unwound(const struct sample *smp, uint64_t regs_mask, struct unwind_cache *cache,
                             unwind_find_fn find, void *ctx, uint64_t *pcs, struct frame *frames, size_t max);

/* Inlined frames from DWARF (on by default, as in perf script; --no-inline), and perf script
 * -F+srcline's "  file:line" line after each frame (--srcline). */
void output_set_inline(int on);
void output_set_srcline(int on);

void output_sample(struct writer *w, struct symbolizer *s, const struct sample *smp, const char *event,
                   const struct frame *frames, size_t nframes);

/* Of the samples written with user frames, how many stacks stop before the thread's start (their
 * outermost user frame is [unknown] or not an entry point such as _start or start_thread). */
struct output_stack_stats {
	unsigned long long user_stacks, cut_short;
};
const struct output_stack_stats *output_stack_stats(void);

#endif
