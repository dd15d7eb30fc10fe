/*
 * reader: input from a file or stdin through one large buffer and read(2), handing out lines as
 * (pointer, length) without copying. Lines may hold NUL bytes; '\n' and a '\r' before it are
 * removed; a last line without '\n' is still a line; a line longer than the buffer grows it.
 * For parallel work, reader_block hands out whole blocks that end at a boundary the caller picks.
 */
#ifndef FLAME_READER_H
#define FLAME_READER_H

#include <stddef.h>
#include <stdint.h>

struct reader {
	int fd;
	const char *name;	/* for messages: the path, or "<stdin>" */
	char *buf;
	size_t cap;
	size_t pos, end;	/* unconsumed bytes are buf[pos, end) */
	int eof;
	uint64_t lineno;	/* number of the line last returned */
	uint64_t bytes;		/* total bytes read */
};

struct line {
	const char *ptr;
	size_t len;
};

/* Open path ("-" or NULL is stdin). Returns 0, or -1 with errno set. */
int reader_open(struct reader *r, const char *path);
void reader_close(struct reader *r);
/* Next line: 1, or 0 at end of input. Dies on a read error. */
int reader_line(struct reader *r, struct line *out);

/*
 * A block of input that the caller owns (data is malloc'ed and reused across calls).
 * find_cut(data, len) returns how many leading bytes form whole units (0: none yet, read more).
 * At end of input the remainder is returned whole. Returns 1, or 0 when the input is exhausted.
 */
struct block {
	char *data;
	size_t len, cap;
};
typedef size_t (*block_cut_fn)(const char *data, size_t len);
int reader_block(struct reader *r, struct block *b, size_t size, block_cut_fn find_cut);
/* Cut after the last '\n'. */
size_t cut_after_last_newline(const char *data, size_t len);

#endif
