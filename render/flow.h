/*
 * flow: flamegraph.pl's merge of sorted stacks into frames. Walking the stacks in order, the frames
 * a stack shares with the previous one stay open; the others close (and are kept if at least
 * minwidth wide) or open. Frames come out in the order they close, shallow to deep, as inferno's.
 */
#ifndef FLAME_RENDER_FLOW_H
#define FLAME_RENDER_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "stacks.h"

struct frame {
	const char *name;	/* into the stack table (not NUL-terminated); "" for the root */
	uint32_t name_len;
	uint32_t depth;		/* 0 is the root, "all" */
	uint8_t has_delta;	/* opened by a differential line */
	double start, end;	/* in counts */
	double delta;		/* after - before, on the leaf a differential line opened; else 0 */
	double before;		/* inclusive "before" count (differential input) */
	double self_before, self_after;	/* counts of the stacks that end at this frame */
};

/* Where the frames of one name lie, pruned ones included: disjoint [start, end) pairs in order. */
struct name_spans {
	double *iv;
	size_t n, cap;		/* in doubles */
};

/* Beyond this many spans they are dropped (the viewer's search then counts drawn frames only). */
#define FLOW_MAX_SPANS 200000

struct flow {
	struct interner names;	/* names of the frames (kept or not): they outlive the stacks */
	struct name_spans *spans;	/* by name id, when collect_spans is set */
	size_t spans_cap, nspans;	/* nspans: pairs in all */
	int collect_spans;	/* set by the caller; cleared when the spans grow too many */
	struct frame *frames;
	size_t nframes, cap;
	uint32_t depthmax;	/* of the frames kept */
	double time;		/* the total width */
};

/* Merge the stacks (in order); frames narrower than minwidth (in counts) are dropped. Memory is
 * the frames kept, whatever the number of stacks. */
void flow_merge(struct flow *f, struct stack_iter *it, double minwidth);
/* --sort-by-size: lay every frame's children out widest first (descendants move with them). */
void flow_sort_by_size(struct flow *f);
void flow_free(struct flow *f);

#endif
