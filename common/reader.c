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
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n > 0) {
			r->end += (size_t)n;
			r->bytes += (uint64_t)n;
			return (size_t)n;
		}
		if (n == 0) {
			r->eof = 1;
			return 0;
		}
		if (errno != EINTR)
			die("%s: read error: %s", r->name, strerror(errno));
	}
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

int reader_block(struct reader *r, struct block *b, size_t size, block_cut_fn find_cut)
{
	/* Make sure the reader's buffer holds at least size bytes (or all that is left). */
	if (r->cap < size) {
		r->cap = size;
		r->buf = xrealloc(r->buf, r->cap);
	}
	for (;;) {
		while (!r->eof && r->end - r->pos < size)
			if (!fill(r))
				break;
		size_t avail = r->end - r->pos;
		if (avail == 0)
			return 0;
		size_t cut = r->eof && avail <= size ? avail : find_cut(r->buf + r->pos, avail < size ? avail : size);
		if (cut == 0 && avail > size)
			cut = find_cut(r->buf + r->pos, avail);
		if (cut == 0 && r->eof)
			cut = avail;
		if (cut == 0) {
			size = avail * 2;	/* no boundary yet: a bigger block */
			if (r->cap < size) {
				r->cap = size;
				r->buf = xrealloc(r->buf, r->cap);
			}
			continue;
		}
		if (b->cap < cut + 1) {
			b->cap = cut + 1;
			b->data = xrealloc(b->data, b->cap);
		}
		memcpy(b->data, r->buf + r->pos, cut);
		b->data[cut] = '\0';
		b->len = cut;
		r->pos += cut;
		return 1;
	}
}
