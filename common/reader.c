#include "reader.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READER_BUFSIZE (1u << 20)

size_t reader_max_line = READER_MAX_LINE_DEFAULT;

void reader_set_max_line(const char *v)
{
	uint64_t n;
	if (parse_byte_size(v, &n) || n < 1 || n > SIZE_MAX / 4)
		die("--max-line takes a size in bytes (K, M or G suffixes allowed), not '%s'", v);
	reader_max_line = (size_t)n;
}

int reader_open(struct reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	if (!path || strcmp(path, "-") == 0) {
		if (stdin_was_closed) {
			errno = EBADF;
			return -1;
		}
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
	struct stat st;
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t at = lseek(r->fd, 0, SEEK_CUR);
		if (at >= 0 && at < st.st_size)
			r->expect = (uint64_t)(st.st_size - at);
	}
	r->cap = READER_BUFSIZE;
	r->buf = xmalloc(r->cap);
	return 0;
}

void reader_open_or_die(struct reader *r, const char *path)
{
	if (reader_open(r, path) == 0)
		return;
	if ((!path || strcmp(path, "-") == 0) && stdin_was_closed)
		die("standard input is closed; cannot read \"-\"");
	die_errno("cannot open %s", path);
}

void reader_close(struct reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	free(r->buf);
	r->buf = NULL;
	r->fd = -1;
}

/* read(2) up to n bytes into dst: the count, or 0 at end of input. Dies on an error, and on a
 * regular file that ends short of the size it had when opened. */
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
			if (r->bytes < r->expect)
				die("%s: the file shrank while it was being read (ends at byte %llu of %llu)",
				    r->name, (unsigned long long)r->bytes, (unsigned long long)r->expect);
			return 0;
		}
		if (errno != EINTR)
			die_errno("%s: read error", r->name);
	}
}

/* Read more bytes after buf[end], moving unconsumed bytes to the front and growing as needed,
 * but never beyond what a line of reader_max_line bytes and its newline need. */
static void fill(struct reader *r)
{
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->end == r->cap) {
		size_t cap = r->cap * 2, most = reader_max_line + 2;
		r->cap = cap > most && r->cap < most ? most : cap;
		r->buf = xrealloc(r->buf, r->cap);
	}
	r->end += read_some(r, r->buf + r->end, r->cap - r->end);
}

static void warn_long_line(const char *name, uint64_t lineno)
{
	input_warn(name, lineno, "line longer than %zu bytes, skipped (--max-line raises the limit)",
		   reader_max_line);
}

/* Discard input up to and including the next '\n'. */
static void skip_rest_of_line(struct reader *r)
{
	r->pos = r->end = 0;
	r->skipped_lines++;
	while (!r->eof) {
		r->end = read_some(r, r->buf, r->cap);
		char *nl = memchr(r->buf, '\n', r->end);
		if (nl) {
			r->pos = (size_t)(nl - r->buf) + 1;
			return;
		}
		r->end = 0;
	}
}

int reader_line(struct reader *r, struct line *out)
{
	size_t scanned = r->pos;
	for (;;) {
		char *nl = memchr(r->buf + scanned, '\n', r->end - scanned);
		if (nl) {
			size_t len = (size_t)(nl - (r->buf + r->pos));
			if (len > reader_max_line) {
				warn_long_line(r->name, ++r->lineno);
				r->skipped_lines++;
				r->pos = (size_t)(nl - r->buf) + 1;
				scanned = r->pos;
				continue;
			}
			out->ptr = r->buf + r->pos;
			if (len && out->ptr[len - 1] == '\r')
				len--;
			out->len = len;
			r->pos = (size_t)(nl - r->buf) + 1;
			r->lineno++;
			return 1;
		}
		size_t done = r->end - r->pos;
		if (done > reader_max_line) {
			warn_long_line(r->name, ++r->lineno);
			skip_rest_of_line(r);
			scanned = r->pos;
			continue;
		}
		if (r->eof) {
			if (r->pos == r->end)
				return 0;
			out->ptr = r->buf + r->pos;
			if (out->ptr[done - 1] == '\r')
				done--;
			out->len = done;
			r->pos = r->end;
			r->lineno++;
			return 1;
		}
		fill(r);
		scanned = r->pos + done;
	}
}

static void block_reserve(struct block *b, size_t need)
{
	if (b->cap < need + 1) {
		b->cap = need + 1;
		b->data = xrealloc(b->data, b->cap);
	}
}

/* The block's last line, from `start`, is too long: drop it and the rest of it still unread,
 * keeping what follows its '\n'. */
static void block_skip_line(struct reader *r, struct block *b, size_t start)
{
	GROW(b->skipped, b->skipped_cap, b->nskipped + 1);
	b->skipped[b->nskipped++] = start;
	b->len = start;
	r->pos = r->end = 0;
	skip_rest_of_line(r);
	size_t rest = r->end - r->pos;
	block_reserve(b, b->len + rest);
	memcpy(b->data + b->len, r->buf + r->pos, rest);
	b->len += rest;
	r->pos = r->end = 0;
}

/* Reads straight into the block's buffer; only the partial unit after the cut is copied, into the
 * reader's buffer, to start the next block. */
int reader_block(struct reader *r, struct block *b, size_t size, block_cut_fn find_cut)
{
	size_t carry = r->end - r->pos;
	if (size < carry)
		size = carry;
	block_reserve(b, size);
	memcpy(b->data, r->buf + r->pos, carry);
	r->pos = r->end = 0;
	b->len = carry;
	b->nskipped = 0;
	size_t cut;
	for (;;) {
		while (!r->eof && b->len < size)
			b->len += read_some(r, b->data + b->len, size - b->len);
		if (b->len == 0)
			return 0;
		cut = r->eof ? b->len : find_cut(b->data, b->len);
		if (cut)
			break;
		/* No boundary in the block yet: a bigger one, unless its last line is too long. */
		const char *nl = memrchr(b->data, '\n', b->len);
		size_t start = nl ? (size_t)(nl - b->data) + 1 : 0;
		if (b->len - start > reader_max_line) {
			block_skip_line(r, b, start);
			if (size < b->len)
				size = b->len;
			block_reserve(b, size);
			continue;
		}
		size *= 2;
		block_reserve(b, size);
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

void block_free(struct block *b)
{
	free(b->data);
	free(b->skipped);
	memset(b, 0, sizeof(*b));
}
