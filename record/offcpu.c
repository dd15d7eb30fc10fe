/* offcpu: switch-out stacks and switch records to offcpu-time samples; see offcpu.h. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "offcpu.h"

/* A switch-out's sample and its record are written one after the other in schedule(): further
 * apart than this, they belong to different switches (one of them was lost). */
#define PAIR_WINDOW_NS 1000000ULL

struct thread_state {
	uint32_t tid;               /* 0: a free slot (the idle task is never recorded here) */
	unsigned has_stack : 1, has_out : 1, preempt : 1;
	unsigned dead : 1;          /* exited: its last switch-out (-a sees it) is not blocking */
	uint64_t out_time;
	struct sample smp;          /* the switch-out sample, its pointers cleared */
	struct frame *frames;
	size_t nframes, frames_cap;
};

struct offcpu {
	struct thread_state *slots;
	size_t nslots, used;        /* nslots a power of two */
	struct offcpu_stats stats;
};

struct offcpu *offcpu_new(void)
{
	struct offcpu *o = xcalloc(1, sizeof(*o));

	o->nslots = 64;
	o->slots = xcalloc(o->nslots, sizeof(*o->slots));
	return o;
}

/* Thread ids come from the kernel, not from input: a plain multiplicative hash. */
static size_t slot_of(const struct offcpu *o, uint32_t tid)
{
	return (size_t)((tid * 2654435761u) & (o->nslots - 1));
}

static struct thread_state *find(struct offcpu *o, uint32_t tid, int add)
{
	size_t i;

	if (add && (o->used + 1) * 2 > o->nslots) {
		struct thread_state *old = o->slots;
		size_t nold = o->nslots;
		o->nslots *= 2;
		o->slots = xcalloc(o->nslots, sizeof(*o->slots));
		for (size_t j = 0; j < nold; j++) {
			if (!old[j].tid)
				continue;
			for (i = slot_of(o, old[j].tid); o->slots[i].tid; i = (i + 1) & (o->nslots - 1))
				;
			o->slots[i] = old[j];
		}
		free(old);
	}
	for (i = slot_of(o, tid); o->slots[i].tid; i = (i + 1) & (o->nslots - 1))
		if (o->slots[i].tid == tid)
			return &o->slots[i];
	if (!add)
		return NULL;
	o->used++;
	o->slots[i].tid = tid;
	return &o->slots[i];
}

/* Forget what a thread had pending; a switch-out that never saw its switch-in is unmatched. */
static void clear(struct offcpu *o, struct thread_state *t, int count)
{
	if (count && (t->has_stack || t->has_out) && !(t->has_out && t->preempt))
		o->stats.unmatched++;
	t->has_stack = t->has_out = t->preempt = 0;
}

void offcpu_stack(struct offcpu *o, const struct sample *smp, const struct frame *frames, size_t n)
{
	struct thread_state *t;

	if (smp->tid == 0)
		return;         /* the idle task */
	t = find(o, smp->tid, 1);
	if (t->dead)
		return;
	/* A switch-out record stamped before this sample belongs to an older switch: its switch-in,
	 * or this switch's record, was lost. A stack still pending means its switch-in was lost. */
	if (t->has_stack || (t->has_out && t->out_time < smp->time))
		clear(o, t, 1);
	GROW(t->frames, t->frames_cap, n);
	if (n)
		memcpy(t->frames, frames, n * sizeof(*frames));
	t->nframes = n;
	t->smp = *smp;
	t->smp.ips = NULL;
	t->smp.nr = 0;
	t->smp.regs = NULL;
	t->smp.nregs = 0;
	t->smp.stack = NULL;
	t->smp.stack_size = 0;
	t->has_stack = 1;
}

/* Whether the pending stack and switch-out record are one switch-out of a blocked thread. */
static int blocked(const struct thread_state *t)
{
	return t->has_stack && t->has_out && !t->preempt && t->out_time >= t->smp.time &&
	       t->out_time - t->smp.time <= PAIR_WINDOW_NS;
}

static void charge(struct offcpu *o, struct thread_state *t, uint64_t until, offcpu_emit_fn emit, void *ctx)
{
	struct sample smp = t->smp;

	smp.period = until - t->out_time;
	smp.time = t->out_time;
	o->stats.samples++;
	o->stats.ns += smp.period;
	emit(ctx, &smp, t->frames, t->nframes);
}

void offcpu_switch(struct offcpu *o, uint32_t tid, uint64_t time, int out, int preempt, offcpu_emit_fn emit,
                   void *ctx)
{
	struct thread_state *t;

	if (tid == 0)
		return;
	if (out) {
		t = find(o, tid, 1);
		if (t->dead)
			return;
		if (t->has_out)
			clear(o, t, 1);     /* two switch-outs in a row: the switch-in between was lost */
		t->has_out = 1;
		t->preempt = preempt ? 1 : 0;
		t->out_time = time;
		if (preempt)
			o->stats.preempted++;
		return;
	}
	if (!(t = find(o, tid, 0)))
		return;                 /* blocked since before the recording: no stack to charge */
	if (blocked(t)) {
		if (time >= t->out_time)
			charge(o, t, time, emit, ctx);
		else
			o->stats.unmatched++;   /* a switch-in before its switch-out: never a negative period */
		clear(o, t, 0);
	} else {
		clear(o, t, 1);
	}
}

void offcpu_lost(struct offcpu *o)
{
	for (size_t i = 0; i < o->nslots; i++)
		if (o->slots[i].tid)
			clear(o, &o->slots[i], 1);
}

void offcpu_forget(struct offcpu *o, uint32_t tid)
{
	struct thread_state *t = find(o, tid, 0);

	if (t) {
		clear(o, t, 0);
		t->dead = 0;
	}
}

void offcpu_exit(struct offcpu *o, uint32_t tid)
{
	struct thread_state *t;

	if (tid == 0)
		return;
	t = find(o, tid, 1);
	clear(o, t, 0);
	t->dead = 1;
}

void offcpu_end(struct offcpu *o, uint64_t time, offcpu_emit_fn emit, void *ctx)
{
	for (size_t i = 0; i < o->nslots; i++) {
		struct thread_state *t = &o->slots[i];
		if (!t->tid || !blocked(t))
			continue;
		if (time >= t->out_time) {
			charge(o, t, time, emit, ctx);
			o->stats.at_end++;
		}
		clear(o, t, 0);
	}
}

const struct offcpu_stats *offcpu_stats(const struct offcpu *o)
{
	return &o->stats;
}

void offcpu_free(struct offcpu *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nslots; i++)
		free(o->slots[i].frames);
	free(o->slots);
	free(o);
}
