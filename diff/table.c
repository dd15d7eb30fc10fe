#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "util.h"

void table_init(struct diff_table *t, int strip_hex)
{
	memset(t, 0, sizeof(*t));
	sb_init(&t->scratch);
	t->strip_hex = strip_hex;
}

void strip_hex(struct strbuf *out, const char *s, size_t len)
{
	const char *end = s + len;
	while (s < end) {
		const char *x = memmem(s, (size_t)(end - s), "0x", 2);
		if (!x)
			break;
		const char *digits = x + 2, *d = digits;
		while (d < end && hex_digit_value(*d) >= 0)
			d++;
		sb_add(out, s, (size_t)(digits - s));
		if (d > digits)
			sb_add(out, "...", 3);
		s = d;
	}
	sb_add(out, s, (size_t)(end - s));
}

uint64_t scale_count(uint64_t c, uint64_t num, uint64_t den)
{
	return (uint64_t)((unsigned __int128)c * num / den);
}

static void malformed(struct side *s, uint64_t line, const char *what)
{
	s->malformed++;
	input_warn(s->name, line, "%s; line skipped", what);
}

static uint32_t stack_id(struct diff_table *t, const char *stack, size_t len)
{
	if (t->strip_hex && memmem(stack, len, "0x", 2)) {
		sb_reset(&t->scratch);
		strip_hex(&t->scratch, stack, len);
		stack = t->scratch.buf;
		len = t->scratch.len;
	}
	int added;
	uint32_t id = intern(&t->stacks, stack, len, &added);
	if (added) {
		GROW(t->counts, t->cap, (size_t)id + 1);
		memset(&t->counts[id], 0, sizeof(t->counts[id]));
	}
	return id;
}

void table_read(struct diff_table *t, int side, struct reader *r)
{
	struct side *s = &t->side[side];
	struct line line;
	s->name = r->name;
	while (reader_line(r, &line)) {
		struct folded_line f;
		enum folded_error e;
		s->lines++;
		if (line.len == 0) {
			malformed(s, r->lineno, "blank line");
			continue;
		}
		if (line.len > 9 && line.len - 9 < sizeof(s->units) && memcmp(line.ptr, "# units: ", 9) == 0) {
			memcpy(s->units, line.ptr + 9, line.len - 9);	/* what the counts are */
			s->units[line.len - 9] = '\0';
			continue;
		}
		/* "stack 1 2" is a diff output line, which flamegraph.pl would also read as two
		 * counts, not as a stack ending in " 1": reject it. */
		e = folded_parse(line.ptr, line.len, 1, &f);
		if (e == FOLDED_OVERFLOW) {
			malformed(s, r->lineno, "count larger than 2^64-1");
			continue;
		}
		if (e != FOLDED_OK) {
			malformed(s, r->lineno, "no count at the end of the line (expected \"stack COUNT\")");
			continue;
		}
		if (f.ncounts == 2) {
			malformed(s, r->lineno, "two counts (a flame-diff output line?); "
				  "inputs are folded stacks, \"stack COUNT\"");
			continue;
		}
		const struct folded_count *c = &f.count[0];
		if (!c->fractional && s->total > UINT64_MAX - c->integer) {
			malformed(s, r->lineno, "the counts add up to more than 2^64-1");
			continue;
		}
		uint32_t id = stack_id(t, f.stack, f.stack_len);
		if (c->fractional) {
			s->fractional = 1;
		} else {
			t->counts[id].count[side] += c->integer;
			s->total += c->integer;
		}
		t->counts[id].value[side] += c->value;
		s->total_value += c->value;
		s->stacks_read++;
	}
}

int table_normalize(struct diff_table *t)
{
	struct side *b = &t->side[BEFORE], *a = &t->side[AFTER];
	size_t n = table_size(t);
	if (!b->fractional && !a->fractional) {
		if (b->total == a->total)
			return 0;
		if (b->total == 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			t->counts[i].count[BEFORE] = scale_count(t->counts[i].count[BEFORE], a->total, b->total);
			t->counts[i].value[BEFORE] = (double)t->counts[i].count[BEFORE];
		}
		return 0;
	}
	/* Fractional counts: the Perl's double arithmetic, truncated by int(). */
	if (b->total_value == a->total_value)
		return 0;
	if (b->total_value == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		t->counts[i].value[BEFORE] = trunc(t->counts[i].value[BEFORE] * a->total_value / b->total_value);
	b->fractional = 1;	/* print value[], which now holds the scaled counts */
	return 0;
}

/*
 * Stack ids in sorted order. Ids are given in order of first appearance, so when both inputs are
 * sorted (flame-collapse's output is) the ids form two sorted runs, BEFORE's stacks then the
 * stacks new in AFTER: merging them costs n comparisons instead of a sort's n log n.
 */
static uint32_t *sorted_ids(const struct diff_table *t)
{
	const struct interner *st = &t->stacks;
	size_t n = table_size(t), cut = n;
	uint32_t *order = xmalloc(n * sizeof(*order));
	for (size_t i = 1; i < n; i++) {
		if (intern_compare(st, (uint32_t)(i - 1), (uint32_t)i) <= 0)
			continue;
		if (cut != n) {	/* a third run: sort */
			free(order);
			return intern_sorted(st);
		}
		cut = i;
	}
	size_t a = 0, b = cut, k = 0;
	while (a < cut && b < n)
		order[k++] = intern_compare(st, (uint32_t)a, (uint32_t)b) <= 0 ? (uint32_t)a++ : (uint32_t)b++;
	while (a < cut)
		order[k++] = (uint32_t)a++;
	while (b < n)
		order[k++] = (uint32_t)b++;
	return order;
}

/* A side with fractions prints its sums as doubles, except a stack whose lines there were all
 * integers: its exact sum, which a double loses past 2^53. */
static void add_count(struct strbuf *sb, const struct diff_table *t, int side, uint32_t id)
{
	const struct stack_counts *c = &t->counts[id];
	if (t->side[side].fractional && (double)c->count[side] != c->value[side])
		folded_add_count(sb, c->value[side]);
	else
		sb_add_u64(sb, c->count[side]);
}

void table_write(const struct diff_table *t, struct writer *out)
{
	size_t n = table_size(t);
	uint32_t *order = sorted_ids(t);
	const char *units = t->side[BEFORE].units, *after_units = t->side[AFTER].units;
	if (strcmp(units, after_units) != 0)
		warn("%s counts %s, %s counts %s: the counts are compared as they are",
		     t->side[BEFORE].name, *units ? units : "(no units line)",
		     t->side[AFTER].name, *after_units ? after_units : "(no units line)");
	else if (*units) {	/* one unit on both sides: flame-render shows it */
		writer_adds(out, "# units: ");
		writer_adds(out, units);
		writer_add(out, "\n", 1);
	}
	for (size_t i = 0; i < n; i++) {
		const struct intern_key *k = intern_get(&t->stacks, order[i]);
		writer_add(out, k->bytes, k->len);
		sb_addc(&out->sb, ' ');
		add_count(&out->sb, t, BEFORE, order[i]);
		sb_addc(&out->sb, ' ');
		add_count(&out->sb, t, AFTER, order[i]);
		writer_add(out, "\n", 1);
	}
	free(order);
}

void table_free(struct diff_table *t)
{
	interner_free(&t->stacks);
	free(t->counts);
	sb_release(&t->scratch);
}
