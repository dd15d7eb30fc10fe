#include "folded.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

int folded_parse_count(const char *p, size_t len, struct folded_count *out)
{
	size_t i = 0;
	uint64_t v = 0;
	int overflow = 0;
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		unsigned d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = 1;
		else
			v = v * 10 + d;
		i++;
	}
	if (i == 0)
		return -1;
	out->fractional = 0;
	if (i < len && p[i] == '.') {
		out->fractional = 1;
		for (i++; i < len && p[i] >= '0' && p[i] <= '9'; i++)
			;
	}
	if (i != len)
		return -1;
	if (overflow)
		return FOLDED_OVERFLOW;
	out->integer = v;
	if (out->fractional) {
		char tmp[64];
		if (len >= sizeof(tmp))
			return FOLDED_OVERFLOW;
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		out->value = strtod(tmp, NULL);
		if (!isfinite(out->value))
			return FOLDED_OVERFLOW;
	} else {
		out->value = (double)v;
	}
	return 0;
}

/*
 * The count is the last token, after the last whitespace character. Only digits and '.' can
 * form a count, so the scan back stops at the first other byte: the cost is the count's length,
 * never the stack's (a stack rarely holds a space, and a line without a count is not scanned whole).
 */
static int split_count(const char *line, size_t len, size_t *stack_len, struct folded_count *count)
{
	size_t ws = len;
	while (ws > 0 && ((line[ws - 1] >= '0' && line[ws - 1] <= '9') || line[ws - 1] == '.'))
		ws--;
	if (ws == len || ws == 0 || !is_space(line[ws - 1]))
		return FOLDED_NO_COUNT;
	int r = folded_parse_count(line + ws, len - ws, count);
	if (r)
		return r == FOLDED_OVERFLOW ? FOLDED_OVERFLOW : FOLDED_NO_COUNT;
	*stack_len = ws - 1;
	return FOLDED_OK;
}

enum folded_error folded_parse(const char *line, size_t len, int allow_two, struct folded_line *out)
{
	size_t stack_len;
	int r = split_count(line, len, &stack_len, &out->count[0]);
	if (r)
		return (enum folded_error)r;
	out->stack = line;
	out->stack_len = stack_len;
	out->ncounts = 1;
	if (allow_two) {
		size_t first_len;
		struct folded_count first;
		r = split_count(line, stack_len, &first_len, &first);
		if (r == FOLDED_OVERFLOW)
			return FOLDED_OVERFLOW;
		if (r == FOLDED_OK) {
			out->count[1] = out->count[0];
			out->count[0] = first;
			out->stack_len = first_len;
			out->ncounts = 2;
		}
	}
	return FOLDED_OK;
}

const char *folded_strerror(enum folded_error e)
{
	switch (e) {
	case FOLDED_OK: return "ok";
	case FOLDED_NO_COUNT: return "no count at the end of the line (expected \"stack COUNT\")";
	case FOLDED_OVERFLOW: return "count too large";
	}
	return "bad line";
}

void folded_add_count(struct strbuf *sb, double value)
{
	if (value == floor(value) && fabs(value) < 9007199254740992.0) {
		if (value < 0) {
			sb_addc(sb, '-');
			value = -value;
		}
		sb_add_u64(sb, (uint64_t)value);
		return;
	}
	/* As Perl prints numbers, unless that is in exponent form (1e+16, 1e-07), which a reader
	 * of folded lines would take for part of the stack: then the shortest fixed-point form that
	 * reads back as the same double (whole numbers past 2^53 print their exact value). */
	char buf[32];
	snprintf(buf, sizeof(buf), "%.15g", value);
	if (!strchr(buf, 'e') || !isfinite(value)) {
		sb_add_number(sb, value);
		return;
	}
	if (value == floor(value)) {
		sb_addf(sb, "%.0f", value);
		return;
	}
	for (int prec = 1; prec < 400; prec++) {
		size_t at = sb->len;
		sb_addf(sb, "%.*f", prec, value);
		if (strtod(sb->buf + at, NULL) == value)
			return;
		sb->len = at;
		sb->buf[at] = '\0';
	}
	sb_addf(sb, "%.400f", value);
}
