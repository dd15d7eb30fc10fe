/* strbuf: a growable byte buffer, always NUL-terminated so it can be printed: buf is never NULL
 * once the strbuf is set up with STRBUF_INIT or sb_init (a zeroed struct is not set up). A
 * strbuf that owns no memory yet (cap 0) points at strbuf_slopbuf, one shared "" that is never
 * written, as git's strbuf does; the first append allocates. */
#ifndef FLAME_STRBUF_H
#define FLAME_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

extern char strbuf_slopbuf[1];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

static inline void sb_init(struct strbuf *sb)
{
	sb->buf = strbuf_slopbuf;
	sb->len = sb->cap = 0;
}

void sb_grow(struct strbuf *sb, size_t extra);
/* Free the memory; the strbuf is empty and set up again. */
void sb_release(struct strbuf *sb);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add_u64(struct strbuf *sb, uint64_t v);
/* A double as Perl prints a floating-point number, %.15g ("0.1", "2.5", "1e+15"); whole numbers
 * and halves below 10^12 without printf, as they are most of the numbers of an SVG. */
void sb_add_number(struct strbuf *sb, double v);
/* Append with thousands separators, as flamegraph.pl prints counts ("1,234,567"). */
void sb_add_u64_grouped(struct strbuf *sb, uint64_t v);
/* The same for a number already in decimal digits (an optional '-' first; the digits are
 * grouped up to the first character that is not one): "-1234567" -> "-1,234,567". */
void sb_add_grouped(struct strbuf *sb, const char *digits, size_t len);

static inline void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

static inline void sb_add(struct strbuf *sb, const void *p, size_t n)
{
	if (sb->cap - sb->len <= n)
		sb_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

static inline void sb_addc(struct strbuf *sb, char c)
{
	if (sb->cap - sb->len <= 1)
		sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

#endif
