#include "flow.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct open_frame {
	const char *name;
	uint32_t name_len;
	uint8_t has_delta;
	double start, delta;
};

struct merger {
	struct flow *f;
	double minwidth;
	struct open_frame *open;	/* by depth; open[0] is the root */
	size_t nopen, cap;
};

/*
 * flamegraph.pl keys closed frames by (name, depth, end time), so an empty frame (from a line with
 * a zero count) that closes where an equal frame closed replaces it. Do the same, so the frames
 * stay the same as its; only frames closed at this very time can share the key.
 */
static void replace_same_key(struct merger *m, const struct open_frame *o, size_t depth, double time)
{
	for (size_t i = m->f->nframes; i-- > 0 && m->f->frames[i].end == time;) {
		struct frame *fr = &m->f->frames[i];
		if (fr->depth != depth || fr->name_len != o->name_len || memcmp(fr->name, o->name, o->name_len))
			continue;
		memmove(fr, fr + 1, (m->f->nframes - i - 1) * sizeof(*fr));
		m->f->nframes--;
		return;
	}
}

static void close_frames(struct merger *m, size_t keep, double time)
{
	/* Shallow to deep, like inferno, so the output order does not depend on a hash. */
	for (size_t d = keep; d < m->nopen; d++) {
		struct open_frame *o = &m->open[d];
		if (o->start == time)
			replace_same_key(m, o, d, time);
		if (time - o->start < m->minwidth) {
			m->f->pruned++;
			continue;
		}
		GROW(m->f->frames, m->f->cap, m->f->nframes + 1);
		m->f->frames[m->f->nframes++] = (struct frame){
			o->name, o->name_len, (uint32_t)d, o->has_delta, o->start, time, o->delta
		};
	}
	m->nopen = keep;
}

static void open_frame(struct merger *m, const char *name, size_t len, double time, int has_delta, double delta)
{
	GROW(m->open, m->cap, m->nopen + 1);
	m->open[m->nopen++] = (struct open_frame){ name, (uint32_t)len, (uint8_t)has_delta, time, delta };
}

/* How many frames (not counting the root) stacks a and b share. */
static size_t shared_frames(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return 0;
	size_t n = alen < blen ? alen : blen, l = 0;
	while (l < n && a[l] == b[l])
		l++;
	size_t frames = 0;
	for (const char *p = b; (p = memchr(p, ';', (size_t)(b + l - p))) != NULL; p++)
		frames++;
	int a_ends = l == alen || a[l] == ';';
	int b_ends = l == blen || b[l] == ';';
	return frames + (a_ends && b_ends);
}

void flow_merge(struct flow *f, const struct stack_table *t, double minwidth)
{
	struct merger m = { f, minwidth, NULL, 0, 0 };
	const char *prev = NULL;
	size_t prev_len = 0;
	double time = 0;
	for (size_t i = 0; i < t->nentry; i++) {
		const struct stack_entry *e = &t->entry[i];
		const struct intern_key *k = intern_get(&t->stacks, e->id);
		const char *s = k->bytes;
		size_t len = k->len;
		size_t nframes = len ? 1 : 0;
		for (const char *p = s; (p = memchr(p, ';', (size_t)(s + len - p))) != NULL; p++)
			nframes++;
		size_t shared = 0;
		if (m.nopen == 0)
			open_frame(&m, "", 0, time, e->has_delta, nframes == 0 ? e->delta : 0);
		else
			shared = shared_frames(prev, prev_len, s, len);
		close_frames(&m, shared + 1, time);
		/* Open the frames after the shared ones; the leaf takes this line's delta. */
		const char *p = s, *end = s + len;
		for (size_t d = 1; d <= nframes; d++) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *fe = semi ? semi : end;
			if (d > shared)
				open_frame(&m, p, (size_t)(fe - p), time, e->has_delta, d == nframes ? e->delta : 0);
			p = fe + 1;
		}
		prev = s;
		prev_len = len;
		time += e->count;
	}
	close_frames(&m, 0, time);
	f->time = time;
	for (size_t i = 0; i < f->nframes; i++)
		if (f->frames[i].depth > f->depthmax)
			f->depthmax = f->frames[i].depth;
	free(m.open);
}

void flow_free(struct flow *f)
{
	free(f->frames);
	memset(f, 0, sizeof(*f));
}
