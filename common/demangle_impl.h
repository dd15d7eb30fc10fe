/* demangle_impl: what the demangler's grammars share (private to common/demangle*.c): the
 * bounds every grammar keeps, an output buffer that fails instead of growing past MAX_OUT,
 * character classes, and each grammar's entry point for the front door (demangle.c). */
#ifndef FLAME_DEMANGLE_IMPL_H
#define FLAME_DEMANGLE_IMPL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DEPTH 512          /* parse and print recursion */
#define MAX_OUT (1u << 20)     /* output bytes */
#define MAX_STEPS (1L << 22)   /* print calls, against exponential substitution bombs */

struct out {
	char *buf;
	size_t len, cap;
	int fail;
	char last; /* the last character appended: libiberty decides spacing on it even after
	            * it takes back the ", " of an empty pack */
};

/* Room for n more bytes and the NUL at o->buf + o->len, or NULL (and o->fail) past MAX_OUT. */
static inline char *out_space(struct out *o, size_t n)
{
	if (o->fail)
		return NULL;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 64;
		while (o->len + n + 1 > cap)
			cap *= 2;
		char *b = cap > MAX_OUT ? NULL : realloc(o->buf, cap);
		if (!b) {
			o->fail = 1;
			return NULL;
		}
		o->buf = b;
		o->cap = cap;
	}
	return o->buf + o->len;
}

static inline void out_add(struct out *o, const char *s, size_t n)
{
	char *p;
	if (n == 0 || !(p = out_space(o, n)))
		return;
	memcpy(p, s, n);
	o->last = s[n - 1];
	o->len += n;
	o->buf[o->len] = '\0';
}

static inline void out_s(struct out *o, const char *s) { out_add(o, s, strlen(s)); }
static inline void out_c(struct out *o, char c) { out_add(o, &c, 1); }
static inline char out_last(const struct out *o) { return o->last; }

static inline void out_u(struct out *o, uint64_t v)
{
	char t[24];
	int i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while (v /= 10);
	out_add(o, t + i, sizeof t - i);
}

/* The result (the caller frees it), or NULL when the grammar failed or nothing was printed. */
static inline char *out_finish(struct out *o, int ok)
{
	if (ok && !o->fail && o->len)
		return o->buf;
	free(o->buf);
	return NULL;
}

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline int is_alpha(char c) { return is_lower(c) || is_upper(c); }
static inline int is_alnum(char c) { return is_alpha(c) || is_digit(c); }
/* Manglings spell hex digits in lower case only. */
static inline int lower_hex_value(char c) { return is_upper(c) ? -1 : hex_digit_value(c); }

/* Each grammar: a malloc'ed name, or NULL when sym (len bytes, no NUL inside) is not one. */
char *demangle_itanium(const char *sym, size_t len, int opts);  /* _Z..., _GLOBAL__I_... */
char *demangle_rust_legacy(const char *sym, size_t len);        /* _ZN...17h<hash>E */
char *demangle_rust_v0(const char *sym, size_t len);            /* _R... */

#endif
