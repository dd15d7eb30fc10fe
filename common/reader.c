#include "reader.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READER_BUFSIZE (1u << 20)

int reader_open(struct reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	if (!path || strcmp(path, "-") == 0) {
		r->fd = 0;
		r->name = "<stdin>";
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return -1;
		r->name = path;
#ifdef POSIX_FADV_SEQUENTIAL
		posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	r->cap = READER_BUFSIZE;
	r->buf = xmalloc(r->cap);
	return 0;
}

void reader_close(struct reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
	r->fd = -1;
}

/* read(2) up to n bytes into dst: the count, or 0 at end of input. Dies on an error. */
static size_t read_some(struct reader *r, char *dst, size_t n)
{
	for (;;) {
		ssize_t got = read(r->fd, dst, n);
		if (got > 0) {
			r->bytes += (uint64_t)got;
			return (size_t)got;
		}
		if (got == 0) {
			r->eof = 1;
			return 0;
		}
		if (errno != EINTR)
			die("%s: read error: %s", r->name, strerror(errno));
	}
}

/* Read more bytes after buf[end], moving unconsumed bytes to the front and growing as needed.
 * Returns the number of bytes read (0 at EOF). */
static size_t fill(struct reader *r)
{
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	size_t n = read_some(r, r->buf + r->end, r->cap - r->end);
	r->end += n;
	return n;
}

int reader_line(struct reader *r, struct line *out)
{
	size_t scanned = r->pos;
	for (;;) {
		char *nl = memchr(r->buf + scanned, '\n', r->end - scanned);
		if (nl) {
			size_t len = (size_t)(nl - (r->buf + r->pos));
			out->ptr = r->buf + r->pos;
			if (len && out->ptr[len - 1] == '\r')
				len--;
			out->len = len;
			r->pos = (size_t)(nl - r->buf) + 1;
			r->lineno++;
			return 1;
		}
		if (r->eof) {
			if (r->pos == r->end)
				return 0;
			size_t len = r->end - r->pos;
			out->ptr = r->buf + r->pos;
			if (out->ptr[len - 1] == '\r')
				len--;
			out->len = len;
			r->pos = r->end;
			r->lineno++;
			return 1;
		}
		size_t done = r->end - r->pos;
		fill(r);
		scanned = r->pos + done;
	}
}

size_t cut_after_last_newline(const char *data, size_t len)
{
	while (len && data[len - 1] != '\n')
		len--;
	return len;
}

/* Reads straight into the block's buffer; only the partial unit after the cut is copied, into the
 * reader's buffer, to start the next block. */
int reader_block(struct reader *r, struct block *b, size_t size, block_cut_fn find_cut)
{
	size_t carry = r->end - r->pos;
	if (size < carry)
		size = carry;
	if (b->cap < size + 1) {
		b->cap = size + 1;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data, r->buf + r->pos, carry);
	r->pos = r->end = 0;
	b->len = carry;
	size_t cut;
	for (;;) {
		while (!r->eof && b->len < size)
			b->len += read_some(r, b->data + b->len, size - b->len);
		if (b->len == 0)
			return 0;
		cut = r->eof ? b->len : find_cut(b->data, b->len);
		if (cut)
			break;
		size *= 2;	/* no boundary in the block yet: a bigger one */
		b->cap = size + 1;
		b->data = xrealloc(b->data, b->cap);
	}
	size_t tail = b->len - cut;
	if (r->cap < tail) {
		r->cap = tail;
		r->buf = xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf, b->data + cut, tail);
	r->end = tail;
	b->len = cut;
	b->data[cut] = '\0';
	return 1;
}
