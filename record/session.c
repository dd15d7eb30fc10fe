/* session: records to perf script text; see session.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "order.h"
#include "offcpu.h"
#include "output.h"
#include "session.h"
#include "unwind.h"

#define MAX_FRAMES 512
/* A user record type of perf's (perf.data only; the kernel's types end below 64). */
#define PERF_RECORD_FINISHED_ROUND 68

struct session_event {
	char *name;
	struct sample_layout layout;
	int switches;               /* --off-cpu's context-switch event */
};

struct event_id {
	uint64_t id;
	size_t event;
};

struct session {
	struct symbolizer *symbols;
	struct writer *out;
	struct order_queue queue;
	struct session_event *events;
	size_t nevents, events_cap;
	struct event_id *ids;           /* sorted by id */
	size_t nids, ids_cap;
	uint64_t max_time, round_cutoff;    /* PERF_RECORD_FINISHED_ROUND */
	struct session_stats stats;
	struct offcpu *offcpu;      /* with a switch event */
	struct frame frames[MAX_FRAMES];
	/* --call-graph dwarf */
	int dwarf;
	struct unwind_cache *unwind_cache;
	uint64_t pcs[MAX_FRAMES];
	_Alignas(8) unsigned char aligned[65536];   /* a copy of a misaligned record (at most 64 KiB) */
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct session *session_new(struct symbolizer *symbols, struct writer *out, int dwarf)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->symbols = symbols;
	s->out = out;
	if ((s->dwarf = dwarf))
		s->unwind_cache = unwind_cache_new();
	return s;
}

static int compare_ids(const void *a, const void *b)
{
	const struct event_id *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

void session_add_event(struct session *s, const char *name, const struct sample_layout *layout, const uint64_t *ids,
                       size_t nids)
{
	GROW(s->events, s->events_cap, s->nevents + 1);
	s->events[s->nevents].name = xstrdup(name);
	s->events[s->nevents].layout = *layout;
	s->events[s->nevents].switches = 0;
	GROW(s->ids, s->ids_cap, s->nids + nids);
	for (size_t i = 0; i < nids; i++)
		s->ids[s->nids++] = (struct event_id){ ids[i], s->nevents };
	s->nevents++;
	if (s->nids > 1)        /* qsort wants an array, even for nothing */
		qsort(s->ids, s->nids, sizeof(*s->ids), compare_ids);
}

void session_add_switch_event(struct session *s, const struct sample_layout *layout, const uint64_t *ids, size_t nids)
{
	session_add_event(s, "offcpu-time", layout, ids, nids);
	s->events[s->nevents - 1].switches = 1;
	if (!s->offcpu)
		s->offcpu = offcpu_new();
}

static void emit_offcpu(void *ctx, const struct sample *smp, const struct frame *frames, size_t n)
{
	struct session *s = ctx;

	output_sample(s->out, s->symbols, smp, "offcpu-time", frames, n);
}

void session_end(struct session *s, uint64_t end_time)
{
	if (s->offcpu)
		offcpu_end(s->offcpu, end_time, emit_offcpu, s);
}

const struct offcpu_stats *session_offcpu_stats(const struct session *s)
{
	return s->offcpu ? offcpu_stats(s->offcpu) : NULL;
}

/* The event that wrote rec, or NULL. */
static const struct session_event *event_of(const struct session *s, const struct perf_event_header *rec)
{
	uint64_t id;
	size_t lo = 0, hi = s->nids;

	if (s->nevents <= 1)
		return s->nevents ? &s->events[0] : NULL;
	if (record_event_id(rec, &s->events[0].layout, &id) < 0)
		return NULL;
	if (id == 0)
		return &s->events[0];   /* records perf synthesized (maps, comms of running processes) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nids && s->ids[lo].id == id ? &s->events[s->ids[lo].event] : NULL;
}

/* Where the unwinder finds the object holding pc in the sampled process, and its .eh_frame. */
struct unwind_target {
	struct symbolizer *symbols;
	int pid;
};

static int find_object(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	struct unwind_target *t = ctx;

	return sym_unwind_table_at(t->symbols, t->pid, pc, table, bias);
}

/* --call-graph dwarf: unwind the sample's user stack, timed for the final line. */
static size_t dwarf_frames(struct session *s, const struct sample *smp, uint64_t regs_mask)
{
	struct unwind_target target = { s->symbols, (int)smp->pid };
	uint64_t start = now_ns();
	size_t n = sample_frames_unwound(smp, regs_mask, s->unwind_cache, find_object, &target, s->pcs, s->frames,
	                                 MAX_FRAMES);

	if (smp->regs_abi && smp->regs) {
		s->stats.unwind_ns += now_ns() - start;
		s->stats.unwound++;
		for (size_t i = 0; i < n; i++)
			s->stats.unwound_frames += !s->frames[i].kernel;
	}
	return n;
}

static void handle_sample(struct session *s, const struct session_event *ev, const struct perf_event_header *rec)
{
	struct sample smp;
	size_t n;

	if (sample_parse(rec, &ev->layout, &smp) < 0) {
		s->stats.bad++;
		return;
	}
	n = s->dwarf ? dwarf_frames(s, &smp, ev->layout.regs_user) : sample_frames(&smp, s->frames, MAX_FRAMES);
	if (ev->switches) {
		offcpu_stack(s->offcpu, &smp, s->frames, n);   /* printed when the thread runs again */
		return;
	}
	output_sample(s->out, s->symbols, &smp, ev->name, s->frames, n);
	s->stats.samples++;
}

/* One record, in time order: update what we know of the processes, or print a sample. */
static void handle_record(void *ctx, const struct perf_event_header *rec)
{
	struct session *s = ctx;
	const struct session_event *ev = event_of(s, rec);
	struct record_mmap m;
	struct record_comm c;
	struct record_task t;
	struct sample_id id;
	uint64_t lost;

	if (!ev) {
		s->stats.bad++;
		return;
	}
	switch (rec->type) {
	case PERF_RECORD_SAMPLE:
		handle_sample(s, ev, rec);
		break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (record_mmap_parse(rec, &ev->layout, &m) == 0)
			sym_mmap(s->symbols, (int)m.pid, m.addr, m.len, m.pgoff, m.dev, m.ino, m.prot, m.filename);
		break;
	case PERF_RECORD_COMM:
		if (record_comm_parse(rec, &ev->layout, &c) == 0)
			sym_comm(s->symbols, (int)c.pid, (int)c.tid, c.comm, c.exec);
		break;
	case PERF_RECORD_FORK:
		if (record_task_parse(rec, &ev->layout, &t) == 0) {
			sym_fork(s->symbols, (int)t.pid, (int)t.tid, (int)t.ppid, (int)t.ptid);
			if (s->offcpu)
				offcpu_forget(s->offcpu, t.tid);    /* a reused id: nothing of the old thread's */
		}
		break;
	case PERF_RECORD_EXIT:
		if (record_task_parse(rec, &ev->layout, &t) == 0) {
			sym_exit(s->symbols, (int)t.pid, (int)t.tid);
			if (s->offcpu)
				offcpu_exit(s->offcpu, t.tid);
		}
		break;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		/* The sample_id is the thread switched out, or the one switched in. */
		if (s->offcpu && record_sample_id(rec, &ev->layout, &id) == 0)
			offcpu_switch(s->offcpu, id.tid, id.time, !!(rec->misc & PERF_RECORD_MISC_SWITCH_OUT),
			              !!(rec->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT), emit_offcpu, s);
		else if (s->offcpu)
			s->stats.bad++;
		break;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
		if (record_lost_parse(rec, &ev->layout, &lost) == 0)
			s->stats.lost += lost;
		if (s->offcpu)
			offcpu_lost(s->offcpu);     /* a switch-in may be among them: charge no gap */
		break;
	case PERF_RECORD_THROTTLE:
		s->stats.throttled++;
		break;
	default:
		break;
	}
}

int session_process_record(struct session *s, const void *bytes, size_t len)
{
	const struct perf_event_header *rec = bytes;
	const struct session_event *ev;
	uint64_t time = 0;

	if (len < sizeof(*rec)) {
		s->stats.bad++;
		return -1;
	}
	if ((uintptr_t)bytes % 8) {
		memcpy(s->aligned, bytes, sizeof(*rec));
		rec = (const void *)s->aligned;
		if (rec->size <= len)
			memcpy(s->aligned, bytes, rec->size);
	}
	if (rec->size < sizeof(*rec) || rec->size > len) {
		s->stats.bad++;
		return -1;
	}
	if (rec->type == PERF_RECORD_FINISHED_ROUND) {
		session_flush(s, s->round_cutoff == UINT64_MAX ? UINT64_MAX : s->round_cutoff + 1);
		s->round_cutoff = s->max_time;
		return 0;
	}
	if (!(ev = event_of(s, rec))) {
		s->stats.bad++;
		return -1;
	}
	if (rec->type == PERF_RECORD_SAMPLE) {
		struct sample smp;
		if (sample_parse(rec, &ev->layout, &smp) < 0) {
			s->stats.bad++;
			return -1;
		}
		time = smp.time;
		/* A JIT may delete its map when it exits: read it while it runs. */
		sym_check_jit(s->symbols, (int)smp.pid);
	} else {
		struct sample_id id;
		struct record_mmap m;
		if (record_sample_id(rec, &ev->layout, &id) == 0)
			time = id.time;
		/* Read a newly mapped file now, before the records are put in order (which may wait):
		 * a short-lived program's binary may be deleted soon after it exits. */
		if (rec->type == PERF_RECORD_MMAP2 && record_mmap_parse(rec, &ev->layout, &m) == 0)
			sym_preload_file(s->symbols, (int)m.pid, m.addr, m.len, m.filename, m.dev, m.ino, m.prot);
	}
	if (time > s->max_time)
		s->max_time = time;
	order_push(&s->queue, rec, time);
	return 0;
}

void session_flush(struct session *s, uint64_t cutoff)
{
	order_flush(&s->queue, cutoff, handle_record, s);
}

const struct session_stats *session_stats(const struct session *s)
{
	return &s->stats;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nevents; i++)
		free(s->events[i].name);
	free(s->events);
	free(s->ids);
	order_free(&s->queue);
	offcpu_free(s->offcpu);
	unwind_cache_free(s->unwind_cache);
	free(s);
}
