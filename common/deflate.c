/* deflate: LZ77 with hash chains and the fixed Huffman code, chunk by chunk: each chunk of up to
 * 65535 input bytes is first turned into symbols, its cost in fixed-code bits compared with a
 * stored block's, and the cheaper written. Matches stay inside their chunk (so a chunk can always
 * be stored instead) but reach back into earlier chunks. */
#include "deflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"
#include "util.h"

#define WSIZE 32768
#define HBITS 15
#define MAX_CHAIN 64
#define CHUNK 65535
#define MIN_MATCH 3
#define MAX_MATCH 258

struct bitw {
	struct strbuf *sb;
	uint64_t buf;
	unsigned n;
};

static void put(struct bitw *w, uint32_t v, unsigned k)
{
	w->buf |= (uint64_t)v << w->n;
	w->n += k;
	if (w->n >= 32) {
		unsigned char b[4] = { (unsigned char)w->buf, (unsigned char)(w->buf >> 8),
				       (unsigned char)(w->buf >> 16), (unsigned char)(w->buf >> 24) };
		sb_add(w->sb, b, 4);
		w->buf >>= 32;
		w->n -= 32;
	}
}

/* Out to the next byte boundary (zero bits). */
static void align(struct bitw *w)
{
	while (w->n > 0) {
		sb_addc(w->sb, (char)(w->buf & 0xff));
		w->buf >>= 8;
		w->n = w->n > 8 ? w->n - 8 : 0;
	}
	w->buf = 0;
}

static unsigned reverse(unsigned code, unsigned len)
{
	unsigned r = 0;
	for (unsigned i = 0; i < len; i++)
		r |= ((code >> i) & 1u) << (len - 1 - i);
	return r;
}

/* The fixed code of literal/length symbol s, bit-reversed for LSB-first output, and its length. */
static void fixed_code(unsigned s, unsigned *code, unsigned *len)
{
	if (s < 144)
		*code = reverse(0x30 + s, 8), *len = 8;
	else if (s < 256)
		*code = reverse(0x190 + s - 144, 9), *len = 9;
	else if (s < 280)
		*code = reverse(s - 256, 7), *len = 7;
	else
		*code = reverse(0xc0 + s - 280, 8), *len = 8;
}

struct tables {
	uint16_t lit_code[288];
	uint8_t lit_len[288];
	uint8_t len_sym[MAX_MATCH + 1];     /* match length -> symbol - 257 */
	uint8_t dist_code[32];              /* reversed 5-bit distance codes */
};

static void tables_init(struct tables *t)
{
	for (unsigned s = 0; s < 288; s++) {
		unsigned code, len;
		fixed_code(s, &code, &len);
		t->lit_code[s] = (uint16_t)code;
		t->lit_len[s] = (uint8_t)len;
	}
	for (unsigned s = 0; s < 29; s++) {
		unsigned top = s == 28 ? MAX_MATCH : inflate_len_base[s] + (1u << inflate_len_extra[s]) - 1;
		for (unsigned l = inflate_len_base[s]; l <= top && l <= MAX_MATCH; l++)
			t->len_sym[l] = (uint8_t)s;
	}
	t->len_sym[MAX_MATCH] = 28;   /* 258 has its own symbol, not 227 + 31 */
	for (unsigned d = 0; d < 32; d++)
		t->dist_code[d] = (uint8_t)reverse(d, 5);
}

static unsigned dist_sym(unsigned d)
{
	if (d <= 4)
		return d - 1;
	unsigned v = d - 1, hi = 31 - (unsigned)__builtin_clz(v);
	return 2 * hi + ((v >> (hi - 1)) & 1u);
}

/* A match or a literal: dist 0 for a literal (len holds the byte). */
struct sym {
	uint16_t len;
	uint16_t dist;
};

struct state {
	const unsigned char *in;
	size_t n;
	size_t *head;       /* hash -> last position + 1 */
	size_t *prev;       /* position % WSIZE -> earlier position + 1 with the same hash */
	struct sym *syms;
	struct tables t;
};

static inline uint32_t hash3(const unsigned char *p)
{
	uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	return (v * 2654435761u) >> (32 - HBITS);
}

static inline void insert(struct state *s, size_t pos)
{
	uint32_t h = hash3(s->in + pos);
	s->prev[pos % WSIZE] = s->head[h];
	s->head[h] = pos + 1;
}

/* The longest match for pos ending by end (at least MIN_MATCH bytes); 0 if none. */
static unsigned longest(struct state *s, size_t pos, size_t end, unsigned *dist)
{
	size_t maxlen = end - pos < MAX_MATCH ? end - pos : MAX_MATCH;
	if (maxlen < MIN_MATCH)
		return 0;
	const unsigned char *p = s->in + pos;
	size_t cand = s->head[hash3(p)];
	unsigned best = 0;
	for (int chain = MAX_CHAIN; cand && chain > 0; chain--) {
		size_t c = cand - 1;
		if (c >= pos || pos - c > WSIZE)
			break;
		const unsigned char *q = s->in + c;
		if (q[best] == p[best] && q[0] == p[0] && q[1] == p[1]) {
			size_t l = 2;
			while (l < maxlen && q[l] == p[l])
				l++;
			if (l > best && l >= MIN_MATCH) {
				best = (unsigned)l;
				*dist = (unsigned)(pos - c);
				if (l == maxlen)
					break;
			}
		}
		size_t next = s->prev[c % WSIZE];
		if (next >= cand)
			break;      /* the slot was reused by a later position */
		cand = next;
	}
	return best;
}

static void chunk(struct state *s, struct bitw *w, size_t start, size_t end, int last)
{
	size_t nsym = 0;
	uint64_t bits = 3 + 7;      /* block header and end-of-block code */
	for (size_t pos = start; pos < end;) {
		unsigned dist = 0, len = longest(s, pos, end, &dist);
		if (len) {
			unsigned ls = s->t.len_sym[len], ds = dist_sym(dist);
			bits += s->t.lit_len[257 + ls] + inflate_len_extra[ls] + 5 +
				(ds >= 4 ? ds / 2 - 1 : 0);
			s->syms[nsym++] = (struct sym){ (uint16_t)len, (uint16_t)dist };
			for (size_t k = 0; k < len; k++)
				if (pos + k + MIN_MATCH <= s->n)
					insert(s, pos + k);
			pos += len;
		} else {
			bits += s->t.lit_len[s->in[pos]];
			s->syms[nsym++] = (struct sym){ s->in[pos], 0 };
			if (pos + MIN_MATCH <= s->n)
				insert(s, pos);
			pos++;
		}
	}
	uint64_t stored_bits = 3 + 7 + 32 + 8 * (uint64_t)(end - start);
	if (stored_bits < bits) {
		put(w, (unsigned)last, 1);
		put(w, 0, 2);
		align(w);
		size_t len = end - start;
		unsigned char h[4] = { (unsigned char)len, (unsigned char)(len >> 8),
				       (unsigned char)~len, (unsigned char)(~len >> 8) };
		sb_add(w->sb, h, 4);
		sb_add(w->sb, s->in + start, len);
		return;
	}
	put(w, (unsigned)last, 1);
	put(w, 1, 2);
	for (size_t i = 0; i < nsym; i++) {
		struct sym y = s->syms[i];
		if (!y.dist) {
			put(w, s->t.lit_code[y.len], s->t.lit_len[y.len]);
			continue;
		}
		unsigned ls = s->t.len_sym[y.len];
		put(w, s->t.lit_code[257 + ls], s->t.lit_len[257 + ls]);
		if (inflate_len_extra[ls])
			put(w, y.len - inflate_len_base[ls], inflate_len_extra[ls]);
		unsigned ds = dist_sym(y.dist);
		put(w, s->t.dist_code[ds], 5);
		if (ds >= 4)
			put(w, y.dist - inflate_dist_base[ds], ds / 2 - 1);
	}
	put(w, s->t.lit_code[256], s->t.lit_len[256]);
}

void deflate_compress(const void *in, size_t n, struct strbuf *out)
{
	struct state *s = xcalloc(1, sizeof(*s));
	s->in = in;
	s->n = n;
	s->head = xcalloc((size_t)1 << HBITS, sizeof(*s->head));
	s->prev = xcalloc(WSIZE, sizeof(*s->prev));
	s->syms = xmalloc(CHUNK * sizeof(*s->syms));
	tables_init(&s->t);
	struct bitw w = { out, 0, 0 };
	size_t pos = 0;
	do {
		size_t end = n - pos > CHUNK ? pos + CHUNK : n;
		chunk(s, &w, pos, end, end == n);
		pos = end;
	} while (pos < n);
	align(&w);
	free(s->syms);
	free(s->prev);
	free(s->head);
	free(s);
}

void gzip_compress(const void *in, size_t n, struct strbuf *out)
{
	static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	sb_add(out, head, sizeof(head));
	deflate_compress(in, n, out);
	uint32_t crc = n ? inflate_crc32(0, in, n) : 0, size = (uint32_t)n;
	unsigned char tail[8] = { (unsigned char)crc, (unsigned char)(crc >> 8), (unsigned char)(crc >> 16),
				  (unsigned char)(crc >> 24), (unsigned char)size, (unsigned char)(size >> 8),
				  (unsigned char)(size >> 16), (unsigned char)(size >> 24) };
	sb_add(out, tail, sizeof(tail));
}
