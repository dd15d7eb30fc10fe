#include "strbuf.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char strbuf_slopbuf[1];

void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	/* the slop buffer (or a zeroed struct's NULL) is not ours to realloc */
	sb->buf = xrealloc(sb->cap ? sb->buf : NULL, cap);
	if (!sb->cap)
		sb->buf[sb->len] = '\0';
	sb->cap = cap;
}

void sb_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	sb_init(sb);
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("sb_addf: bad format");
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_add_u64(struct strbuf *sb, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_add(sb, p, (size_t)(tmp + sizeof(tmp) - p));
}

void sb_add_number(struct strbuf *sb, double v)
{
	if (v >= 0 && v < 1e12 && v * 2 == floor(v * 2)) {
		sb_add_u64(sb, (uint64_t)v);
		if (v != floor(v))
			sb_add(sb, ".5", 2);
		return;
	}
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%.15g", v);
	sb_add(sb, buf, (size_t)n);
}

void sb_add_grouped(struct strbuf *sb, const char *digits, size_t len)
{
	size_t i = len && digits[0] == '-', n = i;
	while (n < len && digits[n] >= '0' && digits[n] <= '9')
		n++;
	sb_grow(sb, len + (n - i) / 3);
	if (i)
		sb_addc(sb, '-');
	for (; i < n; i++) {
		sb_addc(sb, digits[i]);
		if (i + 1 < n && (n - i - 1) % 3 == 0)
			sb_addc(sb, ',');
	}
	sb_add(sb, digits + n, len - n);
}

void sb_add_u64_grouped(struct strbuf *sb, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_add_grouped(sb, p, (size_t)(tmp + sizeof(tmp) - p));
}
