/* inflate: deflate decoding (RFC 1951) with the zlib (RFC 1950) and gzip (RFC 1952) wrappers.
 *
 * The whole output stays in memory, so the output itself is the window: a match copies from
 * earlier output, checked against how much there is. Bits are read through a 64-bit buffer
 * refilled before each symbol; past the end of the input it is fed zero bytes, which are counted,
 * and a stream that has read any of them is truncated (checked at every symbol, so no loop runs
 * on made-up input). Huffman codes decode through a table indexed by the next FAST_BITS bits, and
 * longer codes (rare) bit by bit from the canonical code's counts. */
#include "inflate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FAST_BITS 10
#define MAX_BITS 15

struct bits {
	const unsigned char *in;
	size_t len;         /* bytes of input */
	size_t pos;         /* next byte to load into buf */
	size_t pad;         /* zero bytes loaded past the end */
	uint64_t buf;       /* unread bits, the next one lowest */
	unsigned n;         /* how many bits buf holds */
};

struct output {
	unsigned char *p;
	size_t len, cap;
	size_t limit;       /* growable output: the most it may become */
	int growable;
};

struct huff {
	uint16_t fast[1 << FAST_BITS];  /* symbol << 4 | length; 0 when the code is longer */
	uint16_t count[MAX_BITS + 1];   /* codes of each length */
	uint16_t sym[288];              /* symbols ordered by code */
};

struct ctx {
	struct bits b;
	struct output o;
	const char *err;
	size_t err_off;
	int fixed_built;
	struct huff lit, dist, fixed_lit, fixed_dist;
};

const uint16_t inflate_len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
const uint8_t inflate_len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
const uint16_t inflate_dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
const uint8_t inflate_dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
/* The order in which a dynamic block lists the code-length code's lengths. */
static const uint8_t clen_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* ---- bits ---- */

static inline void refill(struct bits *b)
{
	if (b->n > 56)
		return;
	if (b->len - b->pos >= 8) {
		uint64_t w;
		memcpy(&w, b->in + b->pos, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		b->buf |= w << b->n;
		b->pos += (63 - b->n) >> 3;
		b->n |= 56;
		return;
	}
	while (b->n <= 56) {
		uint64_t byte = 0;
		if (b->pos < b->len)
			byte = b->in[b->pos++];
		else
			b->pad++;
		b->buf |= byte << b->n;
		b->n += 8;
	}
}

/* Bits taken so far, counted from the start of the input. */
static inline uint64_t bits_used(const struct bits *b)
{
	return ((uint64_t)b->pos + b->pad) * 8 - b->n;
}

static inline int overrun(const struct bits *b)
{
	return b->pad && (uint64_t)b->pad * 8 > b->n;
}

static inline unsigned take(struct bits *b, unsigned k)
{
	unsigned v = (unsigned)(b->buf & ((1ull << k) - 1));
	b->buf >>= k;
	b->n -= k;
	return v;
}

static int fail(struct ctx *c, const char *msg)
{
	uint64_t off = bits_used(&c->b) / 8;
	c->err = msg;
	c->err_off = off > c->b.len ? c->b.len : (size_t)off;
	return -1;
}

static int truncated(struct ctx *c)
{
	c->err = "unexpected end of data";
	c->err_off = c->b.len;
	return -1;
}

/* ---- Huffman codes ---- */

/* Builds h from n code lengths. Returns how many codes of the 2^15 space are left unused (0 for a
 * complete code), or -1 when the lengths are over-subscribed. */
static int build(struct huff *h, const uint8_t *lens, unsigned n)
{
	uint16_t offs[MAX_BITS + 2], next[MAX_BITS + 1];
	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[lens[i]]++;
	int left = 1;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (lens[i])
			h->sym[offs[lens[i]]++] = (uint16_t)i;
	/* The canonical codes: each length's first code follows the previous length's last. */
	unsigned code = 0;
	next[1] = 0;
	for (unsigned len = 2; len <= MAX_BITS; len++) {
		code = (code + h->count[len - 1]) << 1;
		next[len] = (uint16_t)code;
	}
	memset(h->fast, 0, sizeof(h->fast));
	unsigned idx = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		for (unsigned k = 0; k < h->count[len]; k++, idx++) {
			unsigned c = next[len]++;
			if (len > FAST_BITS)
				continue;
			unsigned rev = 0;
			for (unsigned j = 0; j < len; j++)
				rev |= ((c >> j) & 1u) << (len - 1 - j);
			for (unsigned f = rev; f < (1u << FAST_BITS); f += 1u << len)
				h->fast[f] = (uint16_t)(h->sym[idx] << 4 | len);
		}
	}
	return left;
}

/* The next symbol, or -1 for a bit pattern no code uses (possible only in incomplete codes).
 * Needs at least MAX_BITS bits in the buffer. */
static int decode_slow(struct bits *b, const struct huff *h)
{
	unsigned code = 0, first = 0, index = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		code |= (unsigned)(b->buf >> (len - 1)) & 1u;
		unsigned count = h->count[len];
		if (code - first < count) {
			b->buf >>= len;
			b->n -= len;
			return h->sym[index + code - first];
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static inline int decode(struct bits *b, const struct huff *h)
{
	unsigned e = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
	if (e) {
		b->buf >>= e & 15;
		b->n -= e & 15;
		return (int)(e >> 4);
	}
	return decode_slow(b, h);
}

/* ---- output ---- */

static int reserve(struct ctx *c, size_t k)
{
	struct output *o = &c->o;
	if (o->cap - o->len >= k)
		return 0;
	if (!o->growable)
		return fail(c, "more data than the output buffer holds");
	if (k > o->limit || o->len > o->limit - k)
		return fail(c, "output larger than the limit");
	size_t cap = o->cap < 65536 ? 65536 : o->cap;
	while (cap - o->len < k)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX - 1 : cap * 2;
	if (cap > o->limit)
		cap = o->limit;
	unsigned char *p = realloc(o->p, cap + 1);
	if (!p)
		return fail(c, "out of memory");
	o->p = p;
	o->cap = cap;
	return 0;
}

/* ---- blocks ---- */

static int stored(struct ctx *c)
{
	struct bits *b = &c->b;
	/* Back to a byte boundary, and from the bit buffer back to bytes. */
	take(b, b->n & 7);
	if ((uint64_t)b->pad * 8 > b->n)
		return truncated(c);
	size_t pos = b->pos + b->pad - b->n / 8;
	b->pos = pos;
	b->pad = 0;
	b->n = 0;
	b->buf = 0;
	if (b->len - pos < 4)
		return truncated(c);
	unsigned len = b->in[pos] | (unsigned)b->in[pos + 1] << 8;
	unsigned nlen = b->in[pos + 2] | (unsigned)b->in[pos + 3] << 8;
	if ((len ^ 0xffffu) != nlen) {
		c->err = "stored block's length does not match its complement";
		c->err_off = pos;
		return -1;
	}
	pos += 4;
	b->pos = pos;
	if (b->len - pos < len)
		return truncated(c);
	if (reserve(c, len) < 0)
		return -1;
	if (len) {
		memcpy(c->o.p + c->o.len, b->in + pos, len);
		c->o.len += len;
	}
	b->pos = pos + len;
	return 0;
}

static int codes(struct ctx *c, const struct huff *lit, const struct huff *dist)
{
	struct bits *b = &c->b;
	struct output *o = &c->o;
	for (;;) {
		refill(b);
		if (overrun(b))
			return truncated(c);
		int sym = decode(b, lit);
		if (sym < 256) {
			if (sym < 0)
				return fail(c, "invalid literal/length code");
			if (o->len == o->cap && reserve(c, 1) < 0)
				return -1;
			o->p[o->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return fail(c, "invalid length code");
		/* At most 15 + 5 + 15 + 13 = 48 bits: the 57 refilled suffice. */
		size_t len = inflate_len_base[sym] + take(b, inflate_len_extra[sym]);
		int d = decode(b, dist);
		if (d < 0 || d >= 30)
			return fail(c, "invalid distance code");
		size_t back = inflate_dist_base[d] + take(b, inflate_dist_extra[d]);
		if (overrun(b))
			return truncated(c);
		if (back > o->len)
			return fail(c, "distance back before the start of the output");
		if (reserve(c, len) < 0)
			return -1;
		unsigned char *dst = o->p + o->len;
		const unsigned char *src = dst - back;
		if (back >= len) {
			memcpy(dst, src, len);
		} else {
			for (size_t i = 0; i < len; i++)
				dst[i] = src[i];
		}
		o->len += len;
	}
}

static int fixed(struct ctx *c)
{
	if (!c->fixed_built) {
		uint8_t lens[288];
		memset(lens, 8, 144);
		memset(lens + 144, 9, 112);
		memset(lens + 256, 7, 24);
		memset(lens + 280, 8, 8);
		build(&c->fixed_lit, lens, 288);
		memset(lens, 5, 32);    /* 30 and 31 are codes, but invalid */
		build(&c->fixed_dist, lens, 32);
		c->fixed_built = 1;
	}
	return codes(c, &c->fixed_lit, &c->fixed_dist);
}

/* A code must be complete, except one of a single 1-bit code or (distances) of none at all. */
static int usable(int left, const struct huff *h, unsigned n)
{
	if (left == 0)
		return 1;
	unsigned codes = n - h->count[0];
	return left > 0 && (codes == 0 || (codes == 1 && h->count[1] == 1));
}

static int dynamic(struct ctx *c)
{
	struct bits *b = &c->b;
	uint8_t lens[286 + 30];
	refill(b);
	unsigned nlit = take(b, 5) + 257, ndist = take(b, 5) + 1, nclen = take(b, 4) + 4;
	if (nlit > 286)
		return fail(c, "too many literal/length codes");
	if (ndist > 30)
		return fail(c, "too many distance codes");
	memset(lens, 0, 19);
	for (unsigned i = 0; i < nclen; i++) {
		refill(b);
		lens[clen_order[i]] = (uint8_t)take(b, 3);
	}
	if (overrun(b))
		return truncated(c);
	struct huff *cl = &c->lit;  /* lent until the literal code is built */
	if (build(cl, lens, 19) != 0)
		return fail(c, "invalid code-length code");
	unsigned total = nlit + ndist;
	for (unsigned i = 0; i < total;) {
		refill(b);
		if (overrun(b))
			return truncated(c);
		int sym = decode(b, cl);
		if (sym < 0)
			return fail(c, "invalid code-length code");
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		unsigned rep, val = 0;
		if (sym == 16) {
			if (i == 0)
				return fail(c, "repeat of a code length with none before it");
			val = lens[i - 1];
			rep = 3 + take(b, 2);
		} else if (sym == 17) {
			rep = 3 + take(b, 3);
		} else {
			rep = 11 + take(b, 7);
		}
		if (rep > total - i)
			return fail(c, "code lengths repeated past the last code");
		memset(lens + i, (int)val, rep);
		i += rep;
	}
	if (lens[256] == 0)
		return fail(c, "no end-of-block code");
	if (!usable(build(&c->lit, lens, nlit), &c->lit, nlit))
		return fail(c, "invalid literal/length code lengths");
	if (!usable(build(&c->dist, lens + nlit, ndist), &c->dist, ndist))
		return fail(c, "invalid distance code lengths");
	return codes(c, &c->lit, &c->dist);
}

/* Deflate blocks from byte b->pos to the final one; leaves b->pos after the last byte used. */
static int blocks(struct ctx *c)
{
	struct bits *b = &c->b;
	b->buf = 0;
	b->n = 0;
	b->pad = 0;
	for (;;) {
		refill(b);
		if (overrun(b))
			return truncated(c);
		unsigned last = take(b, 1), type = take(b, 2);
		int r;
		if (type == 0)
			r = stored(c);
		else if (type == 1)
			r = fixed(c);
		else if (type == 2)
			r = dynamic(c);
		else
			return fail(c, "invalid block type");
		if (r < 0)
			return -1;
		if (last)
			break;
	}
	refill(b);
	if (overrun(b))
		return truncated(c);
	uint64_t used = (bits_used(b) + 7) / 8;
	if (used > b->len)
		return truncated(c);
	b->pos = (size_t)used;
	b->buf = 0;
	b->n = 0;
	b->pad = 0;
	return 0;
}

/* ---- wrappers ---- */

static int header_error(struct ctx *c, size_t off, const char *msg)
{
	c->err = msg;
	c->err_off = off;
	return -1;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int zlib_stream(struct ctx *c)
{
	const unsigned char *in = c->b.in;
	size_t n = c->b.len;
	if (n < 2)
		return truncated(c);
	if ((in[0] & 15) != 8)
		return header_error(c, 0, "not a zlib stream of deflate data (compression method is not 8)");
	if ((in[0] >> 4) > 7)
		return header_error(c, 0, "zlib window size above 32K");
	if (((unsigned)in[0] << 8 | in[1]) % 31 != 0)
		return header_error(c, 1, "zlib header check bits are wrong");
	if (in[1] & 0x20)
		return header_error(c, 1, "zlib stream needs a preset dictionary");
	c->b.pos = 2;
	if (blocks(c) < 0)
		return -1;
	size_t pos = c->b.pos;
	if (n - pos < 4)
		return truncated(c);
	if (be32(in + pos) != inflate_adler32(1, c->o.p, c->o.len))
		return header_error(c, pos, "Adler-32 of the data does not match the stream's");
	c->b.pos = pos + 4;
	return 0;
}

static int gzip_member(struct ctx *c)
{
	const unsigned char *in = c->b.in;
	size_t n = c->b.len, start = c->b.pos, pos = start;
	if ((n - pos >= 1 && in[pos] != 0x1f) || (n - pos >= 2 && in[pos + 1] != 0x8b))
		return header_error(c, pos, "not gzip data (no 1f 8b magic)");
	if (n - pos < 10)
		return truncated(c);
	if (in[pos + 2] != 8)
		return header_error(c, pos + 2, "gzip compression method is not deflate");
	unsigned flg = in[pos + 3];
	if (flg & 0xe0)
		return header_error(c, pos + 3, "gzip header has reserved flags set");
	pos += 10;
	if (flg & 4) {          /* FEXTRA */
		if (n - pos < 2)
			return truncated(c);
		size_t xlen = in[pos] | (size_t)in[pos + 1] << 8;
		pos += 2;
		if (n - pos < xlen)
			return truncated(c);
		pos += xlen;
	}
	for (unsigned bit = 8; bit <= 16; bit <<= 1) {   /* FNAME, FCOMMENT */
		if (!(flg & bit))
			continue;
		const unsigned char *z = memchr(in + pos, 0, n - pos);
		if (!z)
			return truncated(c);
		pos = (size_t)(z - in) + 1;
	}
	if (flg & 2) {          /* FHCRC */
		if (n - pos < 2)
			return truncated(c);
		unsigned want = in[pos] | (unsigned)in[pos + 1] << 8;
		if ((inflate_crc32(0, in + start, pos - start) & 0xffff) != want)
			return header_error(c, pos, "gzip header CRC does not match");
		pos += 2;
	}
	size_t out_start = c->o.len;
	c->b.pos = pos;
	if (blocks(c) < 0)
		return -1;
	pos = c->b.pos;
	if (n - pos < 8)
		return truncated(c);
	size_t got = c->o.len - out_start;
	if (le32(in + pos) != (got ? inflate_crc32(0, c->o.p + out_start, got) : 0))
		return header_error(c, pos, "CRC-32 of the data does not match the gzip member's");
	if (le32(in + pos + 4) != (uint32_t)got)
		return header_error(c, pos + 4, "size of the data does not match the gzip member's");
	c->b.pos = pos + 8;
	return 0;
}

static int run(struct ctx *c, enum inflate_wrap wrap)
{
	switch (wrap) {
	case INFLATE_RAW:
		c->b.pos = 0;
		return blocks(c);
	case INFLATE_ZLIB:
		return zlib_stream(c);
	case INFLATE_GZIP:
		c->b.pos = 0;
		do {
			if (gzip_member(c) < 0)
				return -1;
		} while (c->b.pos < c->b.len);
		return 0;
	}
	return header_error(c, 0, "unknown wrapper");
}

static int finish(struct ctx *c, int r, struct inflate_status *st)
{
	st->out_len = c->o.len;
	st->in_used = r < 0 ? c->err_off : c->b.pos;
	st->err = r < 0 ? c->err : NULL;
	st->err_offset = r < 0 ? c->err_off : 0;
	return r < 0 ? INFLATE_ERROR : INFLATE_OK;
}

/* A context reading in[0..in_len) with no output yet (the tables past lit are built on use), or
 * NULL with *st set when memory runs out. */
static struct ctx *ctx_new(const void *in, size_t in_len, struct inflate_status *st)
{
	struct ctx *c = malloc(sizeof(*c));
	if (!c) {
		*st = (struct inflate_status){ 0, 0, 0, "out of memory" };
		return NULL;
	}
	memset(c, 0, offsetof(struct ctx, lit));
	c->b.in = in;
	c->b.len = in_len;
	return c;
}

int inflate_into(enum inflate_wrap wrap, const void *in, size_t in_len, void *out, size_t cap,
		 struct inflate_status *st)
{
	struct ctx *c = ctx_new(in, in_len, st);
	if (!c)
		return INFLATE_ERROR;
	c->o.p = out;
	c->o.cap = cap;
	int r = finish(c, run(c, wrap), st);
	free(c);
	return r;
}

int inflate_alloc(enum inflate_wrap wrap, const void *in, size_t in_len, size_t limit,
		  unsigned char **out, struct inflate_status *st)
{
	*out = NULL;
	struct ctx *c = ctx_new(in, in_len, st);
	if (!c)
		return INFLATE_ERROR;
	c->o.growable = 1;
	c->o.limit = limit ? limit : INFLATE_LIMIT;
	if (c->o.limit >= SIZE_MAX - 1)
		c->o.limit = SIZE_MAX - 2;
	int r = finish(c, run(c, wrap), st);
	if (r == INFLATE_OK && !c->o.p)
		c->o.p = malloc(1);
	if (r == INFLATE_OK && !c->o.p) {
		st->err = "out of memory";
		r = INFLATE_ERROR;
	}
	if (r == INFLATE_OK) {
		c->o.p[c->o.len] = '\0';
		*out = c->o.p;
	} else {
		free(c->o.p);
	}
	free(c);
	return r;
}

/* ---- ELF ---- */

static uint64_t get(const unsigned char *p, unsigned n, int big_endian)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

static int set_error(struct inflate_status *st, size_t off, const char *msg, int r)
{
	st->in_used = 0;
	st->out_len = 0;
	st->err_offset = off;
	st->err = msg;
	return r;
}

/* A zlib stream at data[hdr..size) that must hold exactly want bytes. */
static int exact(const unsigned char *data, size_t size, size_t hdr, uint64_t want, size_t limit,
		 unsigned char **out, size_t *out_len, struct inflate_status *st)
{
	if (!limit)
		limit = INFLATE_LIMIT;
	if (want > limit || want >= SIZE_MAX)
		return set_error(st, hdr, "uncompressed size above the limit", INFLATE_ERROR);
	if (want > (uint64_t)(size - hdr) * INFLATE_MAX_RATIO + 64)
		return set_error(st, hdr, "uncompressed size too large for the compressed data",
				 INFLATE_ERROR);
	unsigned char *buf = malloc((size_t)want + 1);
	if (!buf)
		return set_error(st, hdr, "out of memory", INFLATE_ERROR);
	int r = inflate_into(INFLATE_ZLIB, data + hdr, size - hdr, buf, (size_t)want, st);
	st->in_used += hdr;
	if (r == INFLATE_OK && st->out_len != want) {
		st->err = "compressed data shorter than the size in its header";
		st->err_offset = st->in_used;
		r = INFLATE_ERROR;
	} else if (r == INFLATE_OK) {
		/* Padding after the stream may be zeros, nothing else. */
		for (size_t i = st->in_used; i < size; i++) {
			if (data[i]) {
				st->err = "data after the end of the compressed stream";
				st->err_offset = i;
				r = INFLATE_ERROR;
				break;
			}
		}
	} else {
		st->err_offset += hdr;
	}
	if (r != INFLATE_OK) {
		free(buf);
		*out = NULL;
		*out_len = 0;
		return r;
	}
	buf[want] = '\0';
	*out = buf;
	*out_len = (size_t)want;
	return INFLATE_OK;
}

int inflate_elf_section(const void *data, size_t size, int elf64, int big_endian, size_t limit,
			unsigned char **out, size_t *out_len, struct inflate_status *st)
{
	const unsigned char *p = data;
	size_t hdr = elf64 ? 24 : 12;
	*out = NULL;
	*out_len = 0;
	if (size < hdr)
		return set_error(st, size, "compression header truncated", INFLATE_ERROR);
	uint32_t type = (uint32_t)get(p, 4, big_endian);
	uint64_t want = elf64 ? get(p + 8, 8, big_endian) : get(p + 4, 4, big_endian);
	if (type == 2)
		return set_error(st, 0, "zstd-compressed section (not supported)", INFLATE_UNSUPPORTED);
	if (type != 1)
		return set_error(st, 0, "unknown section compression type", INFLATE_UNSUPPORTED);
	return exact(p, size, hdr, want, limit, out, out_len, st);
}

int inflate_zdebug(const void *data, size_t size, size_t limit, unsigned char **out, size_t *out_len,
		   struct inflate_status *st)
{
	const unsigned char *p = data;
	*out = NULL;
	*out_len = 0;
	if (size < 12)
		return set_error(st, size, "compression header truncated", INFLATE_ERROR);
	if (memcmp(p, "ZLIB", 4) != 0)
		return set_error(st, 0, "no ZLIB magic at the start of the section", INFLATE_ERROR);
	return exact(p, size, 12, get(p + 4, 8, 1), limit, out, out_len, st);
}

/* ---- checksums ---- */

static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xff];
}

uint32_t inflate_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (len >= 8) {
		uint32_t a = crc ^ le32(p), b = le32(p + 4);
		crc = crc_table[7][a & 0xff] ^ crc_table[6][(a >> 8) & 0xff] ^
		      crc_table[5][(a >> 16) & 0xff] ^ crc_table[4][a >> 24] ^
		      crc_table[3][b & 0xff] ^ crc_table[2][(b >> 8) & 0xff] ^
		      crc_table[1][(b >> 16) & 0xff] ^ crc_table[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

uint32_t inflate_adler32(uint32_t adler, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t a = adler & 0xffff, b = adler >> 16;
	while (len) {
		/* 5552 bytes is the most that cannot overflow 32 bits before the modulo. */
		size_t n = len < 5552 ? len : 5552;
		len -= n;
		while (n--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}
