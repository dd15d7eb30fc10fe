/*
 * stacks: folded input read into a table of distinct stacks (identical stacks merged as they are
 * read, so memory follows the distinct stacks, not the input), then put in flamegraph.pl's order.
 */
#ifndef FLAME_RENDER_STACKS_H
#define FLAME_RENDER_STACKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "intern.h"
#include "reader.h"
#include "strbuf.h"

/* One line's worth of stack, or several identical stacks merged: what the flow merge consumes. */
struct stack_entry {
	uint32_t id;		/* stack id in the table's interner */
	uint8_t has_delta;	/* came from a differential line */
	double count;		/* width: the count, or the "after" count of a differential line */
	double delta;		/* after - before of the first such line in sort order */
	double before;		/* sum of the "before" counts (the count itself for one-count lines) */
};

struct stack_options {
	int reverse;		/* frames of every line reversed (--reverse) */
	int flamechart;		/* keep input order, merge only neighbours (--flamechart) */
	int chain;		/* mark the frames after ";--;" as wakers with _[w] (--colors chain) */
	char **base;		/* --base FUNC: keep lines through FUNC, cut so FUNC is the bottom */
	size_t nbase;
};

struct stack_table {
	struct interner stacks;	/* key: the stack, trailing empty frames removed */
	struct stack_entry *entry;	/* by id (sorted mode) or by line (flame chart) */
	size_t nentry, entry_cap;
	uint32_t *order;	/* after stacks_order: the entries in order (NULL: as they are) */
	char **count_text;	/* by id: count columns of the differential line kept (its sort key) */
	size_t count_text_cap;
	struct arena text_arena;
	double total;		/* sum of the widths */
	double maxdelta;	/* max(1, max |delta|) */
	uint64_t ignored;	/* lines warned about and skipped */
	int differential;	/* at least one line had two counts */
	char units[32];		/* from a "# units: U" line (flame-collapse --units); "" if none */
	int units_mixed;	/* "# units:" lines that disagree: the unit is unknown */
	size_t budget;		/* bytes of memory for reading before the stacks are sorted to a file; 0: no limit */
	size_t mapped_bytes;	/* bytes of mapped input read since the last spill (resident) */
	size_t fixed_memory;	/* memory of the arrays and tables with one more entry (see table_memory) */
	struct run_file {	/* sorted runs spilled to temporary files (in $TMPDIR) */
		FILE *fp;
		unsigned level;	/* 0: spilled; n + 1: merged from runs of level n */
	} *runs;
	size_t nruns;
	struct mapping {	/* input files mapped whole; stacks point into them */
		char *data;
		size_t size;
		const char *cursor;	/* the line being read */
	} *maps;
	size_t nmaps;
	struct strbuf scratch, chain_scratch;
};

/* The next stack for the flow merge, identical stacks of every run merged. */
struct stack_item {
	const char *stack;	/* valid until the next call but one */
	size_t len;
	int has_delta;
	double count, before, delta;
};

struct run_merge;

struct stack_iter {
	struct stack_table *t;
	const struct stack_options *o;
	size_t next;		/* in-memory entries */
	struct run_merge *merge;	/* or a merge of the spilled runs (at most 16 files) */
	struct strbuf out[2];	/* the stacks handed out last and before */
	int flip;
};

/* Add every line of r to t; bad lines are warned about with file:line and counted in t->ignored. */
void stacks_read(struct stack_table *t, struct reader *r, const struct stack_options *o);
/* The same for a regular file, mapped rather than read: its stacks are not copied. -1 (nothing
 * read) if it cannot be mapped: use stacks_read. */
int stacks_read_file(struct stack_table *t, const char *path, const struct stack_options *o);
/* Put the entries in the order the flow merge needs (sorted like flamegraph.pl, or input order). */
void stacks_order(struct stack_table *t, const struct stack_options *o);
/* Walk the stacks in order (after stacks_order); 0 at the end. With spilled runs, init merges
 * them down to a few first and the iterator then owns their files. */
void stack_iter_init(struct stack_iter *it, struct stack_table *t, const struct stack_options *o);
int stack_iter_next(struct stack_iter *it, struct stack_item *item);
void stack_iter_free(struct stack_iter *it);
/* The length of the common prefix of a and b, eight bytes at a time. */
static inline size_t stacks_common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y) {
			uint64_t d = x ^ y;
			return i + (size_t)(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? __builtin_ctzll(d) : __builtin_clzll(d)) / 8;
		}
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Compare two stacks as flamegraph.pl's sort of whole lines orders them. */
int stacks_compare(const char *a, size_t alen, const char *b, size_t blen);
void stacks_free(struct stack_table *t);

#endif
