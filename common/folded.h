/*
 * folded: the folded-stack line format, "frame;frame;...;leaf COUNT" or, for differential input,
 * "frame;...;leaf BEFORE AFTER". Counts are decimal integers or fractions ("5", "5.", "5.25"),
 * separated from the stack by one whitespace character, as flamegraph.pl reads them.
 */
#ifndef FLAME_FOLDED_H
#define FLAME_FOLDED_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct folded_count {
	double value;
	uint64_t integer;	/* exact value when !fractional */
	int fractional;		/* written with a '.' */
};

struct folded_line {
	const char *stack;
	size_t stack_len;
	int ncounts;		/* 1, or 2 for "stack before after" */
	struct folded_count count[2];	/* count[0] is the only one, or "before" */
};

enum folded_error {
	FOLDED_OK = 0,
	FOLDED_NO_COUNT,	/* no whitespace-separated count at the end */
	FOLDED_OVERFLOW,	/* a count too large to represent */
};

/*
 * Parse one line (without its newline). Two counts ("stack BEFORE AFTER") are recognised only
 * when allow_two is set; then a BEFORE too large to represent is FOLDED_OVERFLOW. The scan looks
 * at the last tokens only, so it costs the same for any stack length.
 */
enum folded_error folded_parse(const char *line, size_t len, int allow_two, struct folded_line *out);
const char *folded_strerror(enum folded_error e);

/* Parse a lone count token; returns 0, or -1 if it is not a count / FOLDED_OVERFLOW. */
int folded_parse_count(const char *p, size_t len, struct folded_count *out);

/* Append a count the way the Perl tools print numbers: integers in full, fractions as %.15g,
 * but never in exponent form: such counts are written in full, fixed-point (issue 13 #12). */
void folded_add_count(struct strbuf *sb, double value);

#endif
