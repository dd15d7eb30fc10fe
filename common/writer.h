/*
 * writer: buffered output to a file descriptor. Errors (a full disk, a closed pipe) are fatal and
 * name the output, so no program reports success after writing only part of its result.
 */
#ifndef FLAME_WRITER_H
#define FLAME_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct writer {
	int fd;
	const char *name;
	struct strbuf sb;
};

/* Writes to fd (does not take ownership of stdout's fd 1). */
void writer_init(struct writer *w, int fd, const char *name);
/* Opens path for writing (truncating); "-" is stdout. Dies on failure. */
void writer_open(struct writer *w, const char *path);
void writer_flush(struct writer *w);
/* Flush and close; dies on any error. */
void writer_close(struct writer *w);

static inline void writer_add(struct writer *w, const void *p, size_t n)
{
	sb_add(&w->sb, p, n);
	if (w->sb.len >= (1u << 16))
		writer_flush(w);
}

static inline void writer_adds(struct writer *w, const char *s)
{
	writer_add(w, s, strlen(s));
}

#endif
