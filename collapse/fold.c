#include "fold.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A frame that stackcollapse-perf.pl leaves out (symbols starting with '('). */
#define FOLD_SKIP UINT32_MAX
/* Key slot for "no process name" (after --skip-after matched). */
#define NO_PNAME UINT32_MAX

void folder_init(struct folder *f, const struct collapse_options *opt)
{
	memset(f, 0, sizeof(*f));
	f->opt = opt;
	sb_init(&f->scratch);
	sb_init(&f->text);
	sb_init(&f->last_thread);
	sb_init(&f->last_event);
	sb_init(&f->last_ids);
}

void folder_free(struct folder *f)
{
	for (int i = 0; i < 2; i++) {
		struct frame_memo *m[2] = { &f->cache[i].by_line, &f->cache[i].by_name };
		for (int j = 0; j < 2; j++) {
			interner_free(&m[j]->keys);
			free(m[j]->text_id);
			free(m[j]->stops);
		}
	}
	interner_free(&f->texts);
	interner_free(&f->events);
	interner_free(&f->stacks);
	free(f->counts);
	free(f->frames);
	free(f->key);
	sb_release(&f->scratch);
	sb_release(&f->text);
	sb_release(&f->last_thread);
	sb_release(&f->last_event);
	sb_release(&f->last_ids);
}

static void add_warning(struct chunk_result *res, uint64_t line, const char *fmt, ...)
{
	res->bad_lines++;
	if (res->nwarnings >= FOLD_MAX_WARNINGS_PER_CHUNK)
		return;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	GROW(res->warnings, res->warnings_cap, res->nwarnings + 1);
	res->warnings[res->nwarnings].line = line;
	res->warnings[res->nwarnings].message = xstrdup(buf);
	res->nwarnings++;
}

/* A short, printable excerpt of a bad line for a warning. */
static const char *excerpt(const char *p, size_t len, char *buf, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 4 < size; i++)
		buf[n++] = (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' ? p[i] : '?';
	if (n < len && n + 4 >= size)
		memcpy(buf + n - 3, "...", 3);
	buf[n] = '\0';
	return buf;
}

struct sample {
	int active;		/* a header was read and no blank line yet */
	int skipped;		/* filtered out by --event-filter */
	int stopped;		/* --skip-after matched: callers and the process name are dropped */
	int java;
	uint32_t event_tag;	/* 0: no event name; else events id + 1 */
	uint32_t pname;
	uint64_t period;
	/* --srcline: a frame waiting for its source lines */
	struct perf_frame pending;
	size_t srclines_wanted, nsrclines;
	struct span srclines[16];
};

static int matches_skip_after(const struct collapse_options *o, struct span func, struct strbuf *tmp)
{
	if (!o->nskip_after)
		return 0;
	func = perf_strip_offset(func);
	sb_reset(tmp);
	if (rust_legacy_decode(func, tmp))
		func = (struct span){ tmp->buf, tmp->len };
	for (size_t i = 0; i < o->nskip_after; i++)
		if (strlen(o->skip_after[i]) == func.len && memcmp(o->skip_after[i], func.ptr, func.len) == 0)
			return 1;
	return 0;
}

static void push_frame(struct folder *f, uint32_t text_id)
{
	GROW(f->frames, f->frames_cap, f->nframes + 1);
	f->frames[f->nframes++] = text_id;
}

static uint32_t memo_entry(struct frame_memo *m, const char *key, size_t len, int *added)
{
	uint32_t entry = intern(&m->keys, key, len, added);
	if (*added) {
		size_t cap = m->cap;
		GROW(m->text_id, cap, (size_t)entry + 1);
		cap = m->cap;
		GROW(m->stops, cap, (size_t)entry + 1);
		m->cap = cap;
	}
	return entry;
}

enum { FRAME_STOPS = 1, FRAME_UNKNOWN = 2 };	/* frame_memo.stops: --skip-after; symbol [unknown] */

/* A frame line's cached result: its folded text (or FOLD_SKIP) and whether it stops the stack. */
static void use_entry(struct folder *f, struct sample *s, const struct frame_memo *m, uint32_t entry)
{
	f->res->frames++;
	if (m->stops[entry] & FRAME_UNKNOWN)
		f->res->unknown_frames++;
	if (m->text_id[entry] == FOLD_SKIP)
		return;
	push_frame(f, m->text_id[entry]);
	if (m->stops[entry] & FRAME_STOPS)
		s->stopped = 1;
}

/*
 * The by_line key of a frame line (after its indentation): the line from just after the address,
 * which is all its folded text depends on (the address too with --addrs). folder_run looks a
 * line up by it before parsing, so a line seen before costs one lookup. NULL when the line does
 * not start with an address word (it is no frame line, or not one this cache may answer).
 */
static const char *frame_key(const struct collapse_options *o, const char *line, size_t len)
{
	size_t pc_end = perf_skip_word(line, len);
	if (!pc_end)
		return NULL;
	return o->tidy.include_addrs ? line : line + pc_end;
}

/* Fold one frame line, ending at line_end, into the current sample through the cache of tidied
 * frames: each distinct line is parsed once, each symbol and dso tidied once (by_name). */
static void add_frame(struct folder *f, struct sample *s, const struct perf_frame *fr, const char *line_end)
{
	const struct collapse_options *o = f->opt;
	const char *key = o->tidy.include_addrs ? fr->pc.ptr : fr->pc.ptr + fr->pc.len;
	size_t keylen = (size_t)(line_end - key);
	struct frame_cache *c = &f->cache[s->java];
	struct strbuf *k = &f->scratch;
	int added;
	uint32_t entry = memo_entry(&c->by_line, key, keylen, &added);
	if (added) {
		int pc_matters = o->tidy.include_addrs && memmem(fr->func.ptr, fr->func.len, "[unknown]", 9);
		struct span func = perf_strip_offset(fr->func);
		sb_reset(k);
		sb_add(k, func.ptr, func.len);
		sb_addc(k, '\0');
		sb_add(k, fr->dso.ptr, fr->dso.len);
		if (pc_matters) {
			sb_addc(k, '\0');
			sb_add(k, fr->pc.ptr, fr->pc.len);
		}
		uint32_t named = memo_entry(&c->by_name, k->buf, k->len, &added);
		if (added) {
			struct tidy_options t = o->tidy;
			t.java = s->java;
			sb_reset(&f->text);
			c->by_name.text_id[named] = tidy_frame(fr, &t, NULL, 0, &f->text)
				? intern(&f->texts, f->text.buf, f->text.len, NULL) : FOLD_SKIP;
			c->by_name.stops[named] = (uint8_t)((matches_skip_after(o, fr->func, k) ? FRAME_STOPS : 0) |
				(func.len == 9 && memcmp(func.ptr, "[unknown]", 9) == 0 ? FRAME_UNKNOWN : 0));
		}
		c->by_line.text_id[entry] = c->by_name.text_id[named];
		c->by_line.stops[entry] = c->by_name.stops[named];
	}
	use_entry(f, s, &c->by_line, entry);
}

/* --srcline frames are not cached: their text depends on the source lines that follow them. */
static void add_frame_with_srclines(struct folder *f, struct sample *s)
{
	struct tidy_options t = f->opt->tidy;
	t.java = s->java;
	sb_reset(&f->text);
	if (tidy_frame(&s->pending, &t, s->srclines, s->nsrclines, &f->text))
		push_frame(f, intern(&f->texts, f->text.buf, f->text.len, NULL));
	if (matches_skip_after(f->opt, s->pending.func, &f->scratch))
		s->stopped = 1;
	s->srclines_wanted = s->nsrclines = 0;
}

static void frame_line(struct folder *f, struct sample *s, const struct perf_frame *fr, const char *line_end)
{
	if (s->skipped || s->stopped)
		return;
	if (f->opt->srcline) {
		s->pending = *fr;
		s->srclines_wanted = srcline_count(fr);
		if (s->srclines_wanted > sizeof(s->srclines) / sizeof(s->srclines[0]))
			s->srclines_wanted = sizeof(s->srclines) / sizeof(s->srclines[0]);
		s->nsrclines = 0;
		if (!s->srclines_wanted)
			add_frame_with_srclines(f, s);
		return;
	}
	add_frame(f, s, fr, line_end);
}

static void start_sample(struct folder *f, struct sample *s, const struct perf_header *h,
			 struct chunk_result *res)
{
	const struct collapse_options *o = f->opt;
	memset(s, 0, sizeof(*s));
	s->active = 1;
	f->nframes = 0;
	res->samples++;
	if (h->event.len) {
		if (o->event_filter) {
			s->skipped = !perf_event_matches(h->event, o->event_filter);
		} else if (f->last_event.len == h->event.len && f->last_event_tag &&
			   memcmp(f->last_event.buf, h->event.ptr, h->event.len) == 0) {
			s->event_tag = f->last_event_tag;
		} else {
			/* Samples are told apart by event type: "cycles:u" and "cycles" are one type. */
			struct span base = perf_event_base(h->event);
			s->event_tag = intern(&f->events, base.ptr, base.len, NULL) + 1;
			sb_reset(&f->last_event);
			sb_add(&f->last_event, h->event.ptr, h->event.len);
			f->last_event_tag = s->event_tag;
		}
		if (s->event_tag && !res->first_event) {
			struct span base = perf_event_base(h->event);
			res->first_event = xmalloc(base.len + 1);
			memcpy(res->first_event, base.ptr, base.len);
			res->first_event[base.len] = '\0';
		}
	}
	/* As the Perl: no period, or a zero one, counts as 1 (and every sample with --samples). */
	s->period = h->has_period && h->period && !o->count_samples ? h->period : 1;
	s->java = h->comm.len >= 4 && memcmp(h->comm.ptr, "java", 4) == 0;

	const char *thread = h->comm.ptr;
	size_t thread_len = (size_t)(h->tid.ptr + h->tid.len - thread);
	if (f->last_thread.len == thread_len &&
	    memcmp(f->last_thread.buf, thread, thread_len) == 0) {
		s->pname = f->last_pname;
		return;
	}
	struct strbuf *n = &f->scratch;
	sb_reset(n);
	sb_add(n, h->comm.ptr, h->comm.len);
	if (o->include_pid || o->include_tid) {
		sb_addc(n, '-');
		if (h->pid.len)
			sb_add(n, h->pid.ptr, h->pid.len);
		else
			sb_addc(n, '?');
		if (o->include_tid) {
			sb_addc(n, '/');
			sb_add(n, h->tid.ptr, h->tid.len);
		}
	}
	for (size_t i = 0; i < n->len; i++)
		if (n->buf[i] == ' ')
			n->buf[i] = '_';
	s->pname = intern(&f->texts, n->buf, n->len, NULL);
	sb_reset(&f->last_thread);
	sb_add(&f->last_thread, thread, thread_len);
	f->last_pname = s->pname;
}

/* The text of a stack: process name and frames (texts ids), joined with ';'. */
static void add_stack_text(struct strbuf *sb, const struct interner *texts, const uint32_t *ids, size_t n)
{
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (ids[i] == NO_PNAME)
			continue;
		const struct intern_key *tk = intern_get(texts, ids[i]);
		if (!first)
			sb_addc(sb, ';');
		sb_add(sb, tk->bytes, tk->len);
		first = 0;
	}
}

static void add_u32(struct strbuf *sb, uint32_t v)
{
	sb_add(sb, &v, sizeof(v));
}

static void add_timeline(struct folder *f, const struct sample *s, const uint32_t *ids, size_t n)
{
	struct strbuf *t = &f->res->timeline;
	const struct intern_key *ev = s->event_tag ? intern_get(&f->events, s->event_tag - 1) : NULL;
	add_u32(t, ev ? ev->len : 0);
	if (ev)
		sb_add(t, ev->bytes, ev->len);
	size_t at = t->len;
	add_u32(t, 0);
	size_t start = t->len;
	add_stack_text(t, &f->texts, ids, n);
	sb_addc(t, ' ');
	sb_add_u64(t, s->period);
	sb_addc(t, '\n');
	uint32_t len = (uint32_t)(t->len - start);
	memcpy(t->buf + at, &len, sizeof(len));
}

static void end_sample(struct folder *f, struct sample *s)
{
	if (s->srclines_wanted)
		add_frame_with_srclines(f, s);	/* source lines cut short by the end of the sample */
	if (s->active && !s->skipped) {
		size_t n = f->nframes, k = 2;
		GROW(f->key, f->key_cap, n + 2);
		f->key[0] = s->event_tag;
		f->key[1] = s->stopped ? NO_PNAME : s->pname;
		for (size_t i = 0; i < n; i++) {
			uint32_t frame = f->frames[n - 1 - i];
			if (f->opt->collapse_recursion && k > 2 && f->key[k - 1] == frame)
				continue;
			f->key[k++] = frame;
		}
		if (f->opt->no_aggregate) {
			add_timeline(f, s, f->key + 1, k - 1);
			s->active = 0;
			f->nframes = 0;
			return;
		}
		uint32_t id = intern(&f->stacks, f->key, k * sizeof(uint32_t), NULL);
		GROW_ZEROED(f->counts, f->counts_cap, (size_t)id + 1);
		if (__builtin_add_overflow(f->counts[id], s->period, &f->counts[id]))
			f->counts[id] = UINT64_MAX;
	}
	s->active = 0;
	f->nframes = 0;
}

/* perf_parse_header, skipping the comm and ids when they are those of the last header. */
static int parse_header(struct folder *f, const char *line, size_t n, struct perf_header *h)
{
	size_t k = f->last_ids.len;
	if (k && n > k && memcmp(line, f->last_ids.buf, k) == 0) {
		h->comm = (struct span){ line + f->comm_at, f->comm_len };
		h->pid = (struct span){ f->pid_len ? line + f->pid_at : NULL, f->pid_len };
		h->tid = (struct span){ line + f->tid_at, f->tid_len };
		if (perf_parse_header_again(line, n, k, h))
			return 1;
	}
	if (!perf_parse_header(line, n, h))
		return 0;
	sb_reset(&f->last_ids);
	if (h->first_try) {
		sb_add(&f->last_ids, line, h->tail_at);
		f->comm_at = (size_t)(h->comm.ptr - line);
		f->comm_len = h->comm.len;
		f->pid_at = h->pid.len ? (size_t)(h->pid.ptr - line) : 0;
		f->pid_len = h->pid.len;
		f->tid_at = (size_t)(h->tid.ptr - line);
		f->tid_len = h->tid.len;
	}
	return 1;
}

static void warn_long_line(struct chunk_result *res, uint64_t lineno)
{
	add_warning(res, lineno, "line longer than %zu bytes, skipped (--max-line raises the limit)",
		    reader_max_line);
}

void folder_run(struct folder *f, const struct block *b, struct chunk_result *res)
{
	struct sample s = { 0 };
	f->res = res;
	struct perf_header h;
	struct perf_frame fr;
	char ex[80];
	struct line_iter it;
	struct line ln;
	size_t skip = 0;	/* the next of the lines the reader left out */
	const char *skip_at = b->nskipped ? b->data + b->skipped[0] : NULL;

	line_iter_init(&it, b->data, b->len);
	for (;;) {
		while (skip_at && it.p >= skip_at) {
			warn_long_line(res, ++it.lineno);
			skip_at = ++skip < b->nskipped ? b->data + b->skipped[skip] : NULL;
		}
		if (!line_next(&it, &ln))
			break;
		const char *line = ln.ptr;
		size_t n = ln.len;
		uint64_t lineno = it.lineno;
		if (n > reader_max_line) {
			warn_long_line(res, lineno);
			continue;
		}

		if (n && line[0] == '#')
			continue;
		if (s.srclines_wanted) {
			s.srclines[s.nsrclines++] = (struct span){ line, n };
			if (s.nsrclines == s.srclines_wanted)
				add_frame_with_srclines(f, &s);
			continue;
		}
		size_t indent = perf_skip_space(line, n);
		if (indent == n) {
			if (s.active)
				end_sample(f, &s);
			continue;
		}
		line += indent;
		n -= indent;
		res->content_lines++;
		if (s.active) {
			const char *key = f->opt->srcline ? NULL : frame_key(f->opt, line, n);
			if (key) {
				const struct frame_memo *m = &f->cache[s.java].by_line;
				int64_t e = intern_find(&m->keys, key, (size_t)(line + n - key));
				if (e >= 0) {
					if (!s.skipped && !s.stopped)
						use_entry(f, &s, m, (uint32_t)e);
					continue;
				}
			}
			if (perf_parse_frame(line, n, &fr)) {
				frame_line(f, &s, &fr, line + n);
				continue;
			}
			if (parse_header(f, line, n, &h)) {
				/* A new sample without a blank line before it. */
				end_sample(f, &s);
				goto header;
			}
			add_warning(res, lineno, "unrecognized stack line, skipped: %s", excerpt(line, n, ex, sizeof(ex)));
			continue;
		}
		if (!parse_header(f, line, n, &h)) {
			if (perf_parse_frame(line, n, &fr))
				add_warning(res, lineno, "stack line with no sample header before it, skipped: %s",
					    excerpt(line, n, ex, sizeof(ex)));
			else
				add_warning(res, lineno, "unrecognized line, skipped: %s", excerpt(line, n, ex, sizeof(ex)));
			continue;
		}
header:
		start_sample(f, &s, &h, res);
		if (h.period_overflow) {
			add_warning(res, lineno, "sample period does not fit in 64 bits, sample skipped: %s",
				    excerpt(line, n, ex, sizeof(ex)));
			s.skipped = 1;
		}
		/* perf prints a one-frame stack on the header line itself; that sample ends there. */
		if (h.trailing_frame.len && perf_parse_frame(h.trailing_frame.ptr, h.trailing_frame.len, &fr)) {
			frame_line(f, &s, &fr, h.trailing_frame.ptr + h.trailing_frame.len);
			end_sample(f, &s);
		}
	}
	if (s.active)
		end_sample(f, &s);
	res->lines = it.lineno;
}

void fold_merge(struct fold_total *t, const struct folder *f, const char *keep_event)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t id = 0; id < f->stacks.count; id++) {
		const struct intern_key *k = intern_get(&f->stacks, (uint32_t)id);
		size_t n = k->len / sizeof(uint32_t);
		uint32_t key[2];
		memcpy(key, k->bytes, sizeof(key));
		if (keep_event && key[0]) {
			const struct intern_key *ev = intern_get(&f->events, key[0] - 1);
			if (strcmp(ev->bytes, keep_event) != 0) {
				t->dropped_samples++;
				continue;
			}
		}
		sb_reset(&sb);
		add_stack_text(&sb, &f->texts, (const uint32_t *)k->bytes + 1, n - 1);
		uint32_t gid = intern(&t->stacks, sb.buf, sb.len, NULL);
		GROW_ZEROED(t->counts, t->counts_cap, (size_t)gid + 1);
		if (__builtin_add_overflow(t->counts[gid], f->counts[id], &t->counts[gid])) {
			t->counts[gid] = UINT64_MAX;
			t->overflow = 1;
		}
		if (f->counts[id] == UINT64_MAX)
			t->overflow = 1;
	}
	sb_release(&sb);
}

void fold_write(const struct fold_total *t, struct writer *w)
{
	size_t n = t->stacks.count;
	uint32_t *order = intern_sorted(&t->stacks);
	for (size_t i = 0; i < n; i++) {
		const struct intern_key *k = intern_get(&t->stacks, order[i]);
		writer_add(w, k->bytes, k->len);
		writer_add(w, " ", 1);
		sb_add_u64(&w->sb, t->counts[order[i]]);
		writer_add(w, "\n", 1);
	}
	free(order);
}

void fold_total_free(struct fold_total *t)
{
	interner_free(&t->stacks);
	free(t->counts);
}

uint64_t fold_write_timeline(const struct chunk_result *r, const char *keep_event, struct writer *w)
{
	uint64_t dropped = 0;
	size_t keep_len = keep_event ? strlen(keep_event) : 0;
	const char *p = r->timeline.buf, *end = p + r->timeline.len;
	while (p < end) {
		uint32_t evlen, len;
		memcpy(&evlen, p, sizeof(evlen));
		const char *ev = p + sizeof(evlen);
		memcpy(&len, ev + evlen, sizeof(len));
		const char *line = ev + evlen + sizeof(len);
		p = line + len;
		if (keep_event && evlen && (evlen != keep_len || memcmp(ev, keep_event, evlen) != 0)) {
			dropped++;
			continue;
		}
		writer_add(w, line, len);
	}
	return dropped;
}
