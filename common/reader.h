/*
 * reader: input from a file or stdin through one large buffer and read(2), handing out lines as
 * (pointer, length) without copying; and line_iter, the same cutting over bytes already in memory.
 * One behaviour for every program: lines may hold NUL bytes; '\n' and a '\r' before it are
 * removed; a last line without '\n' is still a line. What is blank or a comment is each format's
 * own rule (line_is_blank is the common one: nothing but spaces, tabs and '\r').
 *
 * A line longer than reader_max_line bytes (64 MiB unless an option raised it) is skipped with a
 * "file:line: line longer than ..." input warning, so no input can make the reader grow without
 * bound (`flame-collapse /dev/zero`). A regular file that ends before the size it had when it was
 * opened (truncated while being read) is an error, not a short input.
 * For parallel work, reader_block hands out whole blocks that end at a boundary the caller picks.
 */
#ifndef FLAME_READER_H
#define FLAME_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define READER_MAX_LINE_DEFAULT ((size_t)64 << 20)
/* The line-length cap, set from a program's --max-line option before any reader_open. */
extern size_t reader_max_line;
/* Parse a --max-line value (bytes, K/M/G suffixes; at least 1) into reader_max_line, or die. */
void reader_set_max_line(const char *option_value);

struct reader {
	int fd;
	const char *name;	/* for messages: the path, or "<stdin>" */
	char *buf;
	size_t cap;
	size_t pos, end;	/* unconsumed bytes are buf[pos, end) */
	int eof;
	uint64_t lineno;	/* number of the line last returned (reader_line only) */
	uint64_t bytes;		/* total bytes read */
	uint64_t expect;	/* a regular file: the bytes it held when opened (else 0) */
	uint64_t skipped_lines;	/* longer than reader_max_line */
};

struct line {
	const char *ptr;
	size_t len;
};

/* Open path ("-" or NULL is stdin). Returns 0, or -1 with errno set (EBADF: stdin was closed). */
int reader_open(struct reader *r, const char *path);
/* The same, but dies "cannot open PATH: reason" (or "standard input is closed"). */
void reader_open_or_die(struct reader *r, const char *path);
void reader_close(struct reader *r);
/* Next line: 1, or 0 at end of input. Dies on a read error or a truncated file. */
int reader_line(struct reader *r, struct line *out);

/* Lines of a buffer in memory, cut as reader_line cuts them. */
struct line_iter {
	const char *p, *end;
	uint64_t lineno;	/* number of the line last returned */
};

static inline void line_iter_init(struct line_iter *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
	it->lineno = 0;
}

static inline int line_next(struct line_iter *it, struct line *out)
{
	if (it->p >= it->end)
		return 0;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	size_t n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	out->ptr = it->p;
	if (n && it->p[n - 1] == '\r')
		n--;
	out->len = n;
	it->p = nl ? nl + 1 : it->end;
	it->lineno++;
	return 1;
}

/* Nothing but spaces, tabs and '\r' (an empty line included). */
static inline int line_is_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/*
 * A block of input that the caller owns (data is malloc'ed and reused across calls).
 * find_cut(data, len) returns how many leading bytes form whole units (0: none yet, read more).
 * At end of input the remainder is returned whole. Returns 1, or 0 when the input is exhausted.
 * Lines longer than reader_max_line are left out of the block; skipped[] holds, in order, the
 * offsets in data where each was (a line starts there), so the caller can warn with its number.
 */
struct block {
	char *data;
	size_t len, cap;
	size_t *skipped;
	size_t nskipped, skipped_cap;
};
typedef size_t (*block_cut_fn)(const char *data, size_t len);
int reader_block(struct reader *r, struct block *b, size_t size, block_cut_fn find_cut);
void block_free(struct block *b);

#endif
