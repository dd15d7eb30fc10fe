#include "stacks.h"
#include "folded.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Warn about the first bad lines one by one; after that only the total is reported. */
#define MAX_LINE_WARNINGS 20

/* Perl's split drops trailing empty fields: "a;b;;" has the frames a and b. */
static size_t strip_trailing_empty(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ';')
		len--;
	return len;
}

/* --reverse: the frames in the opposite order, into sb. */
static void reverse_frames(struct strbuf *sb, const char *s, size_t len)
{
	len = strip_trailing_empty(s, len);
	sb_reset(sb);
	size_t end = len;
	for (;;) {
		size_t start = end;
		while (start > 0 && s[start - 1] != ';')
			start--;
		sb_add(sb, s + start, end - start);
		if (start == 0)
			break;
		sb_addc(sb, ';');
		end = start - 1;
	}
}

/* --colors chain, as flamegraph.pl rewrites the stack: frames after the first ";--;" get "_[w]",
 * and a ";--;" is appended to stacks that have none (so they end in a "--" frame). */
static void chain_frames(struct strbuf *out, const char *s, size_t len)
{
	sb_reset(out);
	const char *sep = memmem(s, len, ";--;", 4);
	size_t first = sep ? (size_t)(sep - s) : len;
	sb_add(out, s, first);
	sb_add(out, ";--;", 4);
	size_t i = sep ? first + 4 : len;
	int any = 0;
	while (i < len) {
		const char *next = memmem(s + i, len - i, ";--;", 4);
		size_t part_end = next ? (size_t)(next - s) : len;
		if (any)
			sb_add(out, ";--;", 4);
		for (size_t j = i; j < part_end; j++) {
			if (s[j] == ';')
				sb_add(out, "_[w];", 5);
			else
				sb_addc(out, s[j]);
		}
		sb_add(out, "_[w]", 4);
		any = 1;
		i = next ? part_end + 4 : len;
	}
}

/* --base: the offset of the deepest frame named like a base function, or -1 if there is none. */
static long base_cut(const char *s, size_t len, const struct stack_options *o)
{
	size_t end = len;
	for (;;) {
		size_t start = end;
		while (start > 0 && s[start - 1] != ';')
			start--;
		for (size_t b = 0; b < o->nbase; b++)
			if (strlen(o->base[b]) == end - start && memcmp(o->base[b], s + start, end - start) == 0)
				return (long)start;
		if (start == 0)
			return -1;
		end = start - 1;
	}
}

static struct stack_entry *new_entry(struct stack_table *t)
{
	GROW(t->entry, t->entry_cap, t->nentry + 1);
	return &t->entry[t->nentry++];
}

static void keep_count_text(struct stack_table *t, uint32_t id, const char *p, size_t n)
{
	if (id >= t->count_text_cap) {
		size_t old = t->count_text_cap;
		GROW(t->count_text, t->count_text_cap, (size_t)id + 1);
		memset(t->count_text + old, 0, (t->count_text_cap - old) * sizeof(*t->count_text));
	}
	t->count_text[id] = arena_strndup(&t->text_arena, p, n);
}

static void add_line(struct stack_table *t, const struct stack_options *o, const char *line, size_t len,
		     const struct folded_line *fl)
{
	const char *stack = fl->stack;
	size_t stack_len = fl->stack_len;
	if (o->nbase) {
		long cut = base_cut(stack, strip_trailing_empty(stack, stack_len), o);
		if (cut < 0)
			return;
		stack += cut;
		stack_len -= (size_t)cut;
	}
	if (o->reverse) {
		reverse_frames(&t->scratch, stack, stack_len);
		stack = t->scratch.buf ? t->scratch.buf : "";
		stack_len = t->scratch.len;
	}
	stack_len = strip_trailing_empty(stack, stack_len);

	int two = fl->ncounts == 2;
	double width = fl->count[two].value;
	double before = fl->count[0].value;
	double delta = two ? fl->count[1].value - fl->count[0].value : 0;
	if (two) {
		t->differential = 1;
		double mag = delta < 0 ? -delta : delta;
		if (mag > t->maxdelta)
			t->maxdelta = mag;
	}
	if (fl->count[0].fractional || (two && fl->count[1].fractional))
		t->fractional = 1;
	t->total += width;
	t->lines++;

	int added;
	uint32_t id = intern(&t->stacks, stack, stack_len, &added);
	if (o->flamechart) {
		/* Neighbours with the same stack merge; the second adds width but no delta, as in the flow. */
		if (t->nentry && t->entry[t->nentry - 1].id == id) {
			t->entry[t->nentry - 1].count += width;
			t->entry[t->nentry - 1].before += before;
			return;
		}
		struct stack_entry *e = new_entry(t);
		*e = (struct stack_entry){ id, (uint8_t)two, width, delta, before };
		return;
	}
	if (added) {
		struct stack_entry *e = new_entry(t);
		*e = (struct stack_entry){ id, (uint8_t)two, width, delta, before };
		if (two)
			keep_count_text(t, id, fl->stack + fl->stack_len, (size_t)(line + len - fl->stack - fl->stack_len));
		return;
	}
	struct stack_entry *e = &t->entry[id];
	e->count += width;
	e->before += before;
	if (two) {
		/* Sorted whole lines put the smallest count text first, and only that line's leaf gets the
		 * delta; the identical stacks after it open no frame. */
		const char *text = fl->stack + fl->stack_len;
		size_t n = (size_t)(line + len - text);
		const char *kept = id < t->count_text_cap ? t->count_text[id] : NULL;
		if (kept && (memcmp(text, kept, n) < 0 || (memcmp(text, kept, n) == 0 && n < strlen(kept)))) {
			e->delta = delta;
			keep_count_text(t, id, text, n);
		}
	}
}

/*
 * "stack BEFORE AFTER": flamegraph.pl tries its count pattern again on the stack. Done here rather
 * than by folded_parse's allow_two, which scans a whole stack back to a space that is rarely there:
 * only digits and dots can precede the separator of a second count.
 */
static void second_count(struct folded_line *fl)
{
	const char *s = fl->stack, *p = s + fl->stack_len;
	while (p > s && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
		p--;
	if (p == s + fl->stack_len || p == s)
		return;
	char c = p[-1];
	if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v')
		return;
	struct folded_count first;
	if (folded_parse_count(p, (size_t)(s + fl->stack_len - p), &first) != 0)
		return;
	fl->count[1] = fl->count[0];
	fl->count[0] = first;
	fl->stack_len = (size_t)(p - 1 - s);
	fl->ncounts = 2;
}

static int blank_or_comment(const char *p, size_t len)
{
	if (len >= 2 && p[0] == '#' && p[1] == ' ')
		return 1;
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

void stacks_read(struct stack_table *t, struct reader *r, const struct stack_options *o)
{
	struct line ln;
	if (t->maxdelta < 1)
		t->maxdelta = 1;
	while (reader_line(r, &ln)) {
		struct folded_line fl;
		enum folded_error err = folded_parse(ln.ptr, ln.len, 0, &fl);
		if (err == FOLDED_OK) {
			second_count(&fl);
			add_line(t, o, ln.ptr, ln.len, &fl);
			continue;
		}
		if (blank_or_comment(ln.ptr, ln.len))
			continue;
		if (t->ignored++ < MAX_LINE_WARNINGS)
			warn_at(r->name, r->lineno, "%s; line skipped", folded_strerror(err));
	}
}

int stacks_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	if (c)
		return c;
	if (alen == blen)
		return 0;
	/* The shorter stack is followed by the space before its count. */
	if (alen < blen)
		return (unsigned char)b[n] < ' ' ? 1 : -1;
	return (unsigned char)a[n] < ' ' ? -1 : 1;
}

static const struct stack_table *sort_table;

static int entry_cmp(const void *pa, const void *pb)
{
	const struct intern_key *a = intern_get(&sort_table->stacks, ((const struct stack_entry *)pa)->id);
	const struct intern_key *b = intern_get(&sort_table->stacks, ((const struct stack_entry *)pb)->id);
	return stacks_compare(a->bytes, a->len, b->bytes, b->len);
}

struct sort_part {
	struct stack_entry *base;
	size_t n;
};

static void *sort_part(void *arg)
{
	struct sort_part *p = arg;
	qsort(p->base, p->n, sizeof(*p->base), entry_cmp);
	return NULL;
}

/* Sort the entries: already-sorted input (what flame-collapse writes) is only checked; big inputs
 * are sorted in parts on every CPU and the parts merged. */
static void sort_entries(struct stack_table *t)
{
	size_t n = t->nentry, sorted = 1;
	sort_table = t;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = entry_cmp(&t->entry[i - 1], &t->entry[i]) <= 0;
	if (sorted)
		return;
	size_t nparts = (size_t)online_cpus();
	if (nparts > 8)
		nparts = 8;
	if (n < 65536 || nparts < 2) {
		qsort(t->entry, n, sizeof(*t->entry), entry_cmp);
		return;
	}
	struct sort_part parts[8];
	pthread_t threads[8];
	for (size_t i = 0; i < nparts; i++) {
		parts[i].base = t->entry + n * i / nparts;
		parts[i].n = n * (i + 1) / nparts - n * i / nparts;
		if (pthread_create(&threads[i], NULL, sort_part, &parts[i]) != 0)
			sort_part(&parts[i]), threads[i] = 0;
	}
	for (size_t i = 0; i < nparts; i++)
		if (threads[i])
			pthread_join(threads[i], NULL);
	/* Merge the sorted parts into a new array, smallest head first. */
	struct stack_entry *out = xmalloc(n * sizeof(*out));
	size_t pos[8] = { 0 };
	for (size_t k = 0; k < n; k++) {
		size_t best = nparts;
		for (size_t i = 0; i < nparts; i++)
			if (pos[i] < parts[i].n &&
			    (best == nparts || entry_cmp(&parts[i].base[pos[i]], &parts[best].base[pos[best]]) < 0))
				best = i;
		out[k] = parts[best].base[pos[best]++];
	}
	free(t->entry);
	t->entry = out;
	t->entry_cap = n;
}

void stacks_order(struct stack_table *t, const struct stack_options *o)
{
	if (!o->flamechart) {
		sort_entries(t);
		sort_table = NULL;
	}
	if (o->chain) {
		/* flamegraph.pl rewrites chain stacks after sorting the lines: sort first, then rewrite. */
		for (size_t i = 0; i < t->nentry; i++) {
			const struct intern_key *k = intern_get(&t->stacks, t->entry[i].id);
			chain_frames(&t->chain_scratch, k->bytes, k->len);
			size_t len = strip_trailing_empty(t->chain_scratch.buf, t->chain_scratch.len);
			t->entry[i].id = intern(&t->stacks, t->chain_scratch.buf, len, NULL);
		}
	}
}

void stacks_free(struct stack_table *t)
{
	interner_free(&t->stacks);
	free(t->entry);
	free(t->count_text);
	arena_free(&t->text_arena);
	sb_release(&t->scratch);
	sb_release(&t->chain_scratch);
}
