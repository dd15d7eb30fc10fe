#include "flow.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct open_frame {
	const char *name;
	uint32_t name_len;
	uint8_t has_delta;
	double start, delta;
	double before_start, self_before, self_after;
};

/*
 * flamegraph.pl keys closed frames by (name, depth, end time), so an empty frame (from a line with
 * a zero count) that closes where an equal frame closed replaces it. Only the frames closed last,
 * at this very time, can share the key: they are indexed by (name, depth) in a hash table, built
 * lazily (only empty frames look into it) and emptied in O(1) by a new generation when the time
 * moves on. A replaced frame is marked (name NULL) and the frames are compacted once at the end,
 * so each frame is indexed, looked up and moved a bounded number of times: O(n) for n frames.
 */
struct key_index {
	uint64_t *slots;	/* 0 empty, else (generation << 32) | (frame index + 1); KEY_GONE: replaced */
	size_t mask;
	size_t used;		/* slots of this generation, replaced ones included */
	uint32_t gen;
	double time;		/* the frames indexed end here */
	size_t upto;		/* frames[0, upto) have been looked at */
};

#define KEY_GONE 0xffffffffu

struct merger {
	struct flow *f;
	double minwidth;
	struct open_frame *open;	/* by depth; open[0] is the root */
	size_t nopen, cap;
	double before_time;		/* running sum of the "before" counts */
	struct key_index keys;
	size_t nreplaced;
};

static size_t key_home(const char *name, size_t len, size_t depth, size_t mask)
{
	return (size_t)hash_mix64(hash_keyed(name, len) ^ ((uint64_t)depth * 0x9e3779b97f4a7c15ULL)) & mask;
}

static int key_live(const struct key_index *x, uint64_t slot)
{
	return slot && (uint32_t)(slot >> 32) == x->gen;
}

/* The slot of (name, depth), or of the empty slot where it would go. */
static size_t key_probe(const struct key_index *x, const struct flow *f, const char *name, size_t len, size_t depth)
{
	size_t i = key_home(name, len, depth, x->mask);
	for (;; i = (i + 1) & x->mask) {
		uint64_t s = x->slots[i];
		if (!key_live(x, s))
			return i;
		uint32_t at = (uint32_t)s;
		if (at == KEY_GONE)
			continue;
		const struct frame *fr = &f->frames[at - 1];
		if (fr->depth == depth && fr->name_len == len && memcmp(fr->name, name, len) == 0)
			return i;
	}
}

static void key_put(struct key_index *x, const struct flow *f, size_t frame);

static void key_grow(struct key_index *x, const struct flow *f)
{
	uint64_t *old = x->slots;
	size_t n = old ? x->mask + 1 : 0;
	x->mask = n ? 2 * n - 1 : 255;
	x->slots = xcalloc(x->mask + 1, sizeof(*x->slots));
	x->used = 0;
	for (size_t i = 0; i < n; i++)
		if (key_live(x, old[i]) && (uint32_t)old[i] != KEY_GONE)
			key_put(x, f, (uint32_t)old[i] - 1);
	free(old);
}

static void key_put(struct key_index *x, const struct flow *f, size_t frame)
{
	if (!x->slots || 2 * (x->used + 1) > x->mask + 1)
		key_grow(x, f);
	const struct frame *fr = &f->frames[frame];
	size_t i = key_probe(x, f, fr->name, fr->name_len, fr->depth);
	if (!key_live(x, x->slots[i]))
		x->used++;
	x->slots[i] = ((uint64_t)x->gen << 32) | (uint64_t)(frame + 1);
}

/* Forget every frame indexed (a new generation; the slots are cleared only when it wraps). */
static void key_reset(struct key_index *x)
{
	if (++x->gen == 0) {
		if (x->slots)
			memset(x->slots, 0, (x->mask + 1) * sizeof(*x->slots));
		x->gen = 1;
	}
	x->used = 0;
}

static void replace_same_key(struct merger *m, const struct open_frame *o, size_t depth, double time)
{
	struct key_index *x = &m->keys;
	struct flow *f = m->f;
	if (x->time != time) {
		key_reset(x);	/* a new time: nothing indexed can match */
		x->time = time;
	}
	/* Index the frames closed since the last look; one that ended earlier starts the run anew. */
	for (; x->upto < f->nframes; x->upto++) {
		const struct frame *fr = &f->frames[x->upto];
		if (fr->end != time)
			key_reset(x);
		else if (fr->name)
			key_put(x, f, x->upto);
	}
	if (!x->slots)
		return;
	size_t i = key_probe(x, f, o->name, o->name_len, depth);
	if (!key_live(x, x->slots[i]))
		return;
	f->frames[(uint32_t)x->slots[i] - 1].name = NULL;	/* replaced: compacted away at the end */
	x->slots[i] = ((uint64_t)x->gen << 32) | KEY_GONE;
	m->nreplaced++;
}

/* Drop the replaced frames, keeping the order of the others. */
static void compact_frames(struct merger *m)
{
	struct flow *f = m->f;
	if (!m->nreplaced)
		return;
	size_t k = 0;
	for (size_t i = 0; i < f->nframes; i++)
		if (f->frames[i].name)
			f->frames[k++] = f->frames[i];
	f->nframes = k;
}

/* Add [start, end) to the spans of a name. Frames close in time order, so a new span can only
 * swallow the last ones (a caller of the same name closing after its callees). */
static void add_span(struct flow *f, uint32_t id, double start, double end)
{
	GROW_ZEROED(f->spans, f->spans_cap, (size_t)id + 1);
	struct name_spans *ns = &f->spans[id];
	while (ns->n && ns->iv[ns->n - 1] >= start) {
		if (ns->iv[ns->n - 2] < start)
			start = ns->iv[ns->n - 2];
		ns->n -= 2;
		f->nspans--;
	}
	GROW(ns->iv, ns->cap, ns->n + 2);
	ns->iv[ns->n++] = start;
	ns->iv[ns->n++] = end;
	f->nspans++;
}

static void drop_spans(struct flow *f)
{
	for (size_t i = 0; i < f->spans_cap; i++)
		free(f->spans[i].iv);
	free(f->spans);
	f->spans = NULL;
	f->spans_cap = f->nspans = 0;
	f->collect_spans = 0;
}

static void close_frames(struct merger *m, size_t keep, double time)
{
	/* Shallow to deep, like inferno, so the output order does not depend on a hash. */
	for (size_t d = keep; d < m->nopen; d++) {
		struct open_frame *o = &m->open[d];
		uint32_t id = UINT32_MAX;
		if (m->f->collect_spans && d > 0 && time > o->start) {
			id = intern(&m->f->names, o->name, o->name_len, NULL);
			add_span(m->f, id, o->start, time);
			if (m->f->nspans > FLOW_MAX_SPANS)
				drop_spans(m->f);	/* too many to carry: memory stays with the frames drawn */
		}
		if (o->start == time)
			replace_same_key(m, o, d, time);
		if (time - o->start < m->minwidth)
			continue;
		if (id == UINT32_MAX)
			id = intern(&m->f->names, o->name, o->name_len, NULL);
		const char *name = intern_get(&m->f->names, id)->bytes;
		GROW(m->f->frames, m->f->cap, m->f->nframes + 1);
		m->f->frames[m->f->nframes++] = (struct frame){
			name, o->name_len, (uint32_t)d, o->has_delta, o->start, time, o->delta,
			m->before_time - o->before_start, o->self_before, o->self_after
		};
	}
	m->nopen = keep;
}

static void open_frame(struct merger *m, const char *name, size_t len, double time, int has_delta, double delta)
{
	GROW(m->open, m->cap, m->nopen + 1);
	m->open[m->nopen++] = (struct open_frame){ name, (uint32_t)len, (uint8_t)has_delta, time, delta,
						    m->before_time, 0, 0 };
}

/*
 * How many frames (not counting the root) the new stack s shares with the previous one, whose
 * frames are open[1..nopen): a frame is shared if it ends inside the common prefix, or where the
 * prefix ends and s has a frame boundary too. Open frames point into the previous stack.
 */
static size_t shared_frames(const struct merger *m, const char *prev, size_t prev_len, const char *s, size_t len)
{
	if (len == 0 || prev_len == 0)
		return 0;
	size_t l = stacks_common_prefix(prev, s, prev_len < len ? prev_len : len);
	int boundary = l == len || s[l] == ';';
	size_t lo = 0, hi = m->nopen - 1;	/* the answer is in [lo, hi] */
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		const struct open_frame *o = &m->open[mid];
		size_t end = (size_t)(o->name - prev) + o->name_len;
		if (end < l || (end == l && boundary))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void flow_merge(struct flow *f, struct stack_iter *it, double minwidth)
{
	struct merger m = { f, minwidth, NULL, 0, 0, 0, { 0 }, 0 };
	m.keys.time = -1;	/* counts are never negative: no frame ends there */
	m.keys.gen = 1;
	const char *prev = NULL;
	size_t prev_len = 0;
	double time = 0;
	struct stack_item e;
	while (stack_iter_next(it, &e)) {
		const char *s = e.stack, *end = s + e.len;
		size_t shared = 0;
		if (m.nopen == 0)
			open_frame(&m, "", 0, time, e.has_delta, e.len == 0 ? e.delta : 0);
		else
			shared = shared_frames(&m, prev, prev_len, s, e.len);
		close_frames(&m, shared + 1, time);
		/* Open the frames after the shared ones; the leaf takes this line's delta. */
		if (e.len) {
			const char *p = s;
			if (shared)
				p += (size_t)(m.open[shared].name - prev) + m.open[shared].name_len + 1;
			/* Offsets are taken against the previous stack: re-aim the shared frames at this
			 * one (their bytes are the same in both). */
			for (size_t d = 1; d <= shared; d++)
				m.open[d].name = s + (m.open[d].name - prev);
			for (; p <= end;) {	/* p > end: this stack is a prefix of the previous one */
				const char *fe = p;
				while (fe < end && *fe != ';')
					fe++;
				open_frame(&m, p, (size_t)(fe - p), time, e.has_delta, fe == end ? e.delta : 0);
				if (fe == end)
					break;
				p = fe + 1;
			}
		}
		/* The stack ends at the deepest open frame: its self counts. */
		m.open[m.nopen - 1].self_after += e.count;
		m.open[m.nopen - 1].self_before += e.before;
		prev = s;
		prev_len = e.len;
		time += e.count;
		m.before_time += e.before;
	}
	close_frames(&m, 0, time);
	compact_frames(&m);
	free(m.keys.slots);
	f->time = time;
	for (size_t i = 0; i < f->nframes; i++)
		if (f->frames[i].depth > f->depthmax)
			f->depthmax = f->frames[i].depth;
	free(m.open);
}

static const struct frame *sort_frames;

static int by_depth_start(const void *pa, const void *pb)
{
	const struct frame *a = &sort_frames[*(const uint32_t *)pa], *b = &sort_frames[*(const uint32_t *)pb];
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return (a->start > b->start) - (a->start < b->start);
}

static int by_width_desc(const void *pa, const void *pb)
{
	const struct frame *a = &sort_frames[*(const uint32_t *)pa], *b = &sort_frames[*(const uint32_t *)pb];
	double wa = a->end - a->start, wb = b->end - b->start;
	if (wa != wb)
		return wa > wb ? -1 : 1;
	return (a->start > b->start) - (a->start < b->start);
}

void flow_sort_by_size(struct flow *f)
{
	size_t n = f->nframes;
	uint32_t *order = xmalloc((n ? n : 1) * sizeof(*order));
	double *shift = xcalloc(n ? n : 1, sizeof(*shift));	/* new start - old start, by frame */
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	sort_frames = f->frames;
	qsort(order, n, sizeof(*order), by_depth_start);
	/* Level by level: the children of a parent are the next level's frames inside its old span,
	 * contiguous in start order; lay them out from the parent's new start, widest first. */
	size_t level = 0;
	while (level < n && f->frames[order[level]].depth == 0)
		level++;
	size_t parents = 0;
	while (level < n) {
		uint32_t depth = f->frames[order[level]].depth;
		size_t next = level;
		while (next < n && f->frames[order[next]].depth == depth)
			next++;
		size_t c = level;
		for (size_t p = parents; p < level && c < next; p++) {
			const struct frame *pf = &f->frames[order[p]];
			if (pf->depth + 1 != depth)
				continue;
			while (c < next && f->frames[order[c]].start < pf->start)
				c++;	/* no parent kept (cannot happen with minwidth pruning; stay put) */
			size_t first = c;
			while (c < next && f->frames[order[c]].start < pf->end)
				c++;
			qsort(order + first, c - first, sizeof(*order), by_width_desc);
			double at = pf->start + shift[order[p]];
			for (size_t k = first; k < c; k++) {
				const struct frame *cf = &f->frames[order[k]];
				shift[order[k]] = at - cf->start;
				at += cf->end - cf->start;
			}
			qsort(order + first, c - first, sizeof(*order), by_depth_start);
		}
		parents = level;
		level = next;
	}
	for (size_t i = 0; i < n; i++) {
		f->frames[i].start += shift[i];
		f->frames[i].end += shift[i];
	}
	sort_frames = NULL;
	free(order);
	free(shift);
}

void flow_free(struct flow *f)
{
	drop_spans(f);
	interner_free(&f->names);
	free(f->frames);
	memset(f, 0, sizeof(*f));
}
