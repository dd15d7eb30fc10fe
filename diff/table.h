/*
 * table: the two profiles of a diff as one table, stack -> (before, after), the way
 * difffolded.pl builds it: counts of the same stack are summed per side, -s rewrites
 * addresses before the stacks are compared, -n scales the "before" column.
 */
#ifndef FLAME_DIFF_TABLE_H
#define FLAME_DIFF_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "reader.h"
#include "strbuf.h"
#include "writer.h"

enum { BEFORE, AFTER };

/*
 * Counts are kept twice: exact 64-bit sums of integer counts, and double sums of every count.
 * A side prints its doubles once a fractional count ("1.5") was seen in it, as the Perl does.
 */
struct side {
	const char *name;	/* the input, for messages */
	uint64_t total;		/* exact sum of the integer counts */
	double total_value;	/* sum of all counts */
	int fractional;		/* a count had a '.': print value[] for this side */
	uint64_t lines, stacks_read, malformed;
	char units[32];		/* a "# units: U" line's U (flame-collapse --units), "" if none */
};

struct stack_counts {
	uint64_t count[2];	/* per side: exact sum of the integer counts */
	double value[2];	/* per side: sum of all counts */
};

struct diff_table {
	struct interner stacks;	/* stack bytes (after -s) -> id */
	struct stack_counts *counts;	/* indexed by stack id */
	size_t cap;
	struct side side[2];
	int strip_hex;		/* -s */
	struct strbuf scratch;	/* the stack with addresses rewritten */
};

void table_init(struct diff_table *t, int strip_hex);
/* Add every line of r to one side; malformed lines are warned about (input_warn, file:line) and
 * skipped. */
void table_read(struct diff_table *t, int side, struct reader *r);
/* -n: scale "before" to the "after" total, c1 = int(c1 * total2 / total1). 0, or -1 if total1 is 0. */
int table_normalize(struct diff_table *t);
/* "stack before after" for every stack, sorted by stack (byte order). */
void table_write(const struct diff_table *t, struct writer *out);
static inline size_t table_size(const struct diff_table *t)
{
	return t->stacks.count;
}
void table_free(struct diff_table *t);

/* Append s with every "0x" + hex digits turned into "0x...", as difffolded.pl -s does. */
void strip_hex(struct strbuf *out, const char *s, size_t len);
/* floor(c * num / den) without overflow (den > 0, c <= den so the result fits). */
uint64_t scale_count(uint64_t c, uint64_t num, uint64_t den);

#endif
