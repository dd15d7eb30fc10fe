/* Unit tests for common/inflate.c.
 *
 * Without arguments: small streams (made by python3's zlib and written down here, or built bit by
 * bit below), every truncation and every bit flip of them, the ELF wrappers and the checksums.
 * With arguments, checks against real data made by tests/inflate.bats:
 *   inflate gzip|zlib|raw FILE EXPECTED     FILE decodes to the bytes of EXPECTED
 *   inflate bad gzip|zlib|raw FILE          FILE is refused (prints the message and offset)
 *   inflate elf FILE SECTION EXPECTED       SECTION of ELF FILE (SHF_COMPRESSED, or .zdebug_*
 *                                           for a .debug_* name) decodes to EXPECTED's bytes
 *   inflate elf-unsupported FILE SECTION    SECTION is compressed in a way not supported (zstd) */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "inflate.h"
#include "record/elf.h"

static const unsigned char z_fixed[] = {   /* zlib.compress(3 x "hello, hello, hello, flame graphs! ", 9) */
	0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0xc8, 0x40, 0xa1, 0xd2, 0x72, 0x12, 0x73,
	0x53, 0x15, 0xd2, 0x8b, 0x12, 0x0b, 0x32, 0x8a, 0x15, 0xd1, 0xe4, 0xc8, 0x55, 0x02, 0x00, 0x89,
	0xc0, 0x24, 0x22 };
static const unsigned char raw_fixed[] = { /* raw, Z_FIXED: "abracadabra abracadabra" */
	0x4b, 0x4c, 0x2a, 0x4a, 0x4c, 0x4e, 0x4c, 0x49, 0x04, 0x52, 0x0a, 0x89, 0x08, 0x36, 0x00 };
static const unsigned char raw_stored[] = { /* raw, level 0: "stored!" */
	0x01, 0x07, 0x00, 0xf8, 0xff, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x64, 0x21 };
static const unsigned char gz_small[] = {  /* gzip.compress(b"gzip me\n", mtime=0) */
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xaf, 0xca, 0x2c, 0x50, 0xc8,
	0x4d, 0xe5, 0x02, 0x00, 0x42, 0xc6, 0x5f, 0x39, 0x08, 0x00, 0x00, 0x00 };
static const unsigned char z_dynamic[] = { /* Z_HUFFMAN_ONLY of miss_text(): one dynamic block */
	0x78, 0x01, 0x05, 0xc1, 0xd1, 0x09, 0xc0, 0x20, 0x10, 0x05, 0xc1, 0x56, 0xae, 0x80, 0x74, 0x90,
	0x6a, 0x16, 0xe2, 0xc7, 0x82, 0xc2, 0xe1, 0x13, 0xeb, 0xcf, 0xcc, 0x32, 0x31, 0xb1, 0xdb, 0xda,
	0xde, 0xb1, 0x9f, 0x5a, 0x26, 0x26, 0x76, 0x5b, 0xdf, 0x98, 0x87, 0xb7, 0x96, 0x89, 0x89, 0xdd,
	0xd6, 0xf6, 0x8e, 0xfd, 0xd4, 0x32, 0x31, 0xb1, 0xdb, 0xfa, 0xc6, 0x3c, 0xbc, 0xb5, 0x4c, 0x4c,
	0xec, 0xb6, 0xb6, 0x77, 0xec, 0xa7, 0x96, 0x89, 0x89, 0xdd, 0xd6, 0x37, 0xe6, 0xe1, 0xad, 0x65,
	0x62, 0x62, 0xb7, 0xb5, 0xbd, 0x63, 0x3f, 0xb5, 0x4c, 0x4c, 0xec, 0xb6, 0xbe, 0x31, 0x0f, 0x6f,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x83, 0x67, 0x47, 0x90 };
static const unsigned char z_dynamic_lz[] = { /* level 9 of miss_text(): fixed codes, matches */
	0x78, 0xda, 0xcb, 0xcd, 0x2c, 0x2e, 0x06, 0xa1, 0x82, 0x82, 0x4c, 0x85, 0xa2, 0xcc, 0xb2, 0xd4,
	0x22, 0x1d, 0x85, 0x5c, 0x24, 0xa1, 0x94, 0xd4, 0x9c, 0x92, 0x44, 0x6b, 0x14, 0x21, 0xfa, 0xa8,
	0x4a, 0x24, 0x0c, 0x00, 0x83, 0x67, 0x47, 0x90 };

static const char *miss_text(void)
{
	static char buf[256];
	buf[0] = '\0';
	for (int i = 0; i < 4; i++)
		strcat(buf, "mississippi river, mississippi delta; ");
	strcat(buf, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	return buf;
}

static const char *hello_text(void)
{
	static char buf[128];
	buf[0] = '\0';
	for (int i = 0; i < 3; i++)
		strcat(buf, "hello, hello, hello, flame graphs! ");
	return buf;
}

/* Decodes with both entry points and checks the output is want. */
static void expect(enum inflate_wrap w, const unsigned char *in, size_t n, const char *want, int line)
{
	struct inflate_status st;
	size_t wl = strlen(want);
	unsigned char *buf = malloc(wl + 1), *got = NULL;
	int r = inflate_into(w, in, n, buf, wl, &st);
	check_count++;
	if (r != INFLATE_OK || st.out_len != wl || memcmp(buf, want, wl) != 0 || st.in_used != n) {
		check_failures++;
		fprintf(stderr, "line %d: inflate_into: r=%d err=%s at %zu, out %zu of %zu, used %zu of %zu\n",
			line, r, st.err ? st.err : "-", st.err_offset, st.out_len, wl, st.in_used, n);
	}
	/* One byte short of room is an error, not a write past the end. */
	if (wl) {
		r = inflate_into(w, in, n, buf, wl - 1, &st);
		CHECK(r == INFLATE_ERROR);
		CHECK(st.err && strstr(st.err, "output buffer"));
	}
	r = inflate_alloc(w, in, n, 0, &got, &st);
	check_count++;
	if (r != INFLATE_OK || st.out_len != wl || memcmp(got, want, wl) != 0 || got[wl] != '\0') {
		check_failures++;
		fprintf(stderr, "line %d: inflate_alloc: r=%d err=%s\n", line, r, st.err ? st.err : "-");
	}
	free(got);
	free(buf);
}
#define EXPECT(w, arr, want) expect(w, arr, sizeof(arr), want, __LINE__)

/* Every prefix is refused with an offset inside it; every single-bit change is either refused or
 * decoded within the buffer. */
static void mangle(enum inflate_wrap w, const unsigned char *in, size_t n, const char *want)
{
	size_t out_len = strlen(want);
	unsigned char *copy = malloc(n), *buf = malloc(out_len + 8), *got;
	struct inflate_status st;
	int bad_prefix = 0, bad_offset = 0, wrong = 0;
	for (size_t k = 0; k < n; k++) {
		memcpy(copy, in, k);
		/* a fresh allocation of exactly k bytes, so ASan sees any read past the end */
		unsigned char *pre = malloc(k ? k : 1);
		memcpy(pre, in, k);
		if (inflate_into(w, pre, k, buf, out_len + 8, &st) != INFLATE_ERROR || !st.err)
			bad_prefix++;
		else if (st.err_offset > k)
			bad_offset++;
		if (inflate_alloc(w, pre, k, 0, &got, &st) != INFLATE_ERROR || got)
			bad_prefix++;
		free(pre);
	}
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(copy, in, n);
			copy[i] ^= (unsigned char)(1u << bit);
			if (inflate_into(w, copy, n, buf, out_len + 8, &st) == INFLATE_OK) {
				CHECK(st.out_len <= out_len + 8);
				/* with a checksum, only bits that carry nothing (header
				 * fields, padding after the last block) may change */
				if (w != INFLATE_RAW && (st.out_len != out_len || memcmp(buf, want, out_len)))
					wrong++;
			} else {
				CHECK(st.err != NULL);
				CHECK(st.err_offset <= n);
			}
			if (inflate_alloc(w, copy, n, 1 << 20, &got, &st) == INFLATE_OK)
				free(got);
		}
	}
	CHECK(bad_prefix == 0);
	CHECK(bad_offset == 0);
	CHECK(wrong == 0);
	free(copy);
	free(buf);
}

/* A bit writer for hand-made streams: fields LSB first, Huffman codes MSB first. */
struct bw {
	unsigned char b[64];
	size_t bit;
};

static void put(struct bw *w, unsigned v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->bit++)
		if (v >> i & 1)
			w->b[w->bit / 8] |= (unsigned char)(1u << (w->bit % 8));
}

static void put_code(struct bw *w, unsigned code, unsigned n)
{
	for (unsigned i = n; i-- > 0;)
		put(w, code >> i & 1, 1);
}

static void expect_error(const unsigned char *in, size_t n, const char *msg, size_t off, int line)
{
	unsigned char out[64];
	struct inflate_status st;
	int r = inflate_into(INFLATE_RAW, in, n, out, sizeof(out), &st);
	check_count++;
	if (r != INFLATE_ERROR || !st.err || !strstr(st.err, msg) || st.err_offset != off) {
		check_failures++;
		fprintf(stderr, "line %d: want \"%s\" at %zu, got r=%d \"%s\" at %zu\n", line, msg, off, r,
			st.err ? st.err : "-", st.err_offset);
	}
}

static void test_hand_made(void)
{
	struct bw w;
	/* Block type 3. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 3, 2);
	expect_error(w.b, 1, "invalid block type", 0, __LINE__);
	/* A stored block whose length's complement is wrong, after a first good stored block. */
	const unsigned char st_bad[] = { 0x00, 0x01, 0x00, 0xfe, 0xff, 'x', 0x01, 0x05, 0x00, 0xfa, 0xfe };
	expect_error(st_bad, sizeof(st_bad), "complement", 7, __LINE__);
	/* A stored block longer than the input. */
	const unsigned char st_long[] = { 0x01, 0x05, 0x00, 0xfa, 0xff, 'a', 'b' };
	expect_error(st_long, sizeof(st_long), "unexpected end", sizeof(st_long), __LINE__);
	/* Fixed codes: a match (length 3, distance 1) before any output. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 1, 7);         /* 257: length 3 */
	put_code(&w, 0, 5);         /* distance 1 */
	put_code(&w, 0, 7);         /* 256 */
	expect_error(w.b, (w.bit + 7) / 8, "distance back before the start", 1, __LINE__);
	/* Fixed codes: 'a', then a match reaching 2 back from 1 byte of output. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7);
	put_code(&w, 1, 5);         /* distance 2 */
	put_code(&w, 0, 7);
	expect_error(w.b, (w.bit + 7) / 8, "distance back before the start", 2, __LINE__);
	/* Fixed codes: 'a', then a match of 258 at distance 1 (overlapping copy), then the end. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 0xc5, 8);      /* 285: length 258 */
	put_code(&w, 0, 5);
	put_code(&w, 0, 7);
	{
		char want[260];
		memset(want, 'a', 259);
		want[259] = '\0';
		expect(INFLATE_RAW, w.b, (w.bit + 7) / 8, want, __LINE__);
	}
	/* Fixed codes: length symbol 286 and distance symbol 30 are invalid. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0xc6, 8);
	expect_error(w.b, 2, "invalid length code", 1, __LINE__);
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0x30 + 'a', 8);
	put_code(&w, 1, 7);
	put_code(&w, 30, 5);
	expect_error(w.b, 4, "invalid distance code", 2, __LINE__);
	/* Dynamic: 287 literal/length codes. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 30, 5);
	put(&w, 0, 5);
	put(&w, 0, 4);
	expect_error(w.b, 8, "too many literal/length codes", 2, __LINE__);
	/* Dynamic: 31 distance codes. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 5);
	put(&w, 30, 5);
	put(&w, 0, 4);
	expect_error(w.b, 8, "too many distance codes", 2, __LINE__);
	/* Dynamic: a code-length code of no codes at all. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 14);
	put(&w, 0, 12);
	expect_error(w.b, 8, "invalid code-length code", 3, __LINE__);
	/* Dynamic: code-length code {0: 1 bit, 16: 1 bit}; the first length is a repeat. */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 10);
	put(&w, 0, 4);              /* 4 code-length lengths: 16, 17, 18, 0 */
	put(&w, 1, 3);
	put(&w, 0, 3);
	put(&w, 0, 3);
	put(&w, 1, 3);
	put_code(&w, 1, 1);         /* 16 (0 is code 0, 16 code 1) */
	put(&w, 0, 2);
	expect_error(w.b, 8, "repeat of a code length with none before it", 3, __LINE__);
	/* Dynamic: over-subscribed code-length code (three 1-bit codes). */
	memset(&w, 0, sizeof(w));
	put(&w, 1, 1);
	put(&w, 2, 2);
	put(&w, 0, 10);
	put(&w, 0, 4);
	put(&w, 1, 3);
	put(&w, 1, 3);
	put(&w, 0, 3);
	put(&w, 1, 3);
	expect_error(w.b, 8, "invalid code-length code", 3, __LINE__);
	/* Two blocks, the first not final: a stored "ab" then a fixed "c". */
	memset(&w, 0, sizeof(w));
	put(&w, 0, 1);
	put(&w, 0, 2);
	w.bit = 8;
	put(&w, 2, 16);
	put(&w, 0xfffd, 16);
	put(&w, 'a', 8);
	put(&w, 'b', 8);
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_code(&w, 0x30 + 'c', 8);
	put_code(&w, 0, 7);
	expect(INFLATE_RAW, w.b, (w.bit + 7) / 8, "abc", __LINE__);
	/* The same with nothing after the first block. */
	expect_error(w.b, 7, "unexpected end", 7, __LINE__);
}

static void test_streams(void)
{
	EXPECT(INFLATE_ZLIB, z_fixed, hello_text());
	EXPECT(INFLATE_RAW, raw_fixed, "abracadabra abracadabra");
	EXPECT(INFLATE_RAW, raw_stored, "stored!");
	EXPECT(INFLATE_GZIP, gz_small, "gzip me\n");
	EXPECT(INFLATE_ZLIB, z_dynamic, miss_text());
	EXPECT(INFLATE_ZLIB, z_dynamic_lz, miss_text());
	CHECK(((z_dynamic[2] >> 1) & 3) == 2);
	/* Two gzip members make one output, as zcat prints them. */
	unsigned char two[2 * sizeof(gz_small)];
	memcpy(two, gz_small, sizeof(gz_small));
	memcpy(two + sizeof(gz_small), gz_small, sizeof(gz_small));
	EXPECT(INFLATE_GZIP, two, "gzip me\ngzip me\n");
	/* Anything else after a member is refused where it starts. */
	struct inflate_status st;
	unsigned char out[64];
	unsigned char junk[sizeof(gz_small) + 2];
	memcpy(junk, gz_small, sizeof(gz_small));
	junk[sizeof(gz_small)] = 'x';
	junk[sizeof(gz_small) + 1] = 'y';
	CHECK(inflate_into(INFLATE_GZIP, junk, sizeof(junk), out, sizeof(out), &st) == INFLATE_ERROR);
	CHECK(st.err_offset == sizeof(gz_small));
	/* A zlib stream leaves what follows it alone and says where it ended. */
	unsigned char more[sizeof(z_fixed) + 3];
	memcpy(more, z_fixed, sizeof(z_fixed));
	memcpy(more + sizeof(z_fixed), "abc", 3);
	CHECK(inflate_into(INFLATE_ZLIB, more, sizeof(more), out, 0, &st) == INFLATE_ERROR);
	unsigned char big[200];
	CHECK(inflate_into(INFLATE_ZLIB, more, sizeof(more), big, sizeof(big), &st) == INFLATE_OK);
	CHECK(st.in_used == sizeof(z_fixed));
	/* Header errors. */
	unsigned char h[sizeof(z_fixed)];
	memcpy(h, z_fixed, sizeof(h));
	h[0] = 0x79;
	CHECK(inflate_into(INFLATE_ZLIB, h, sizeof(h), big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err_offset == 0);
	h[0] = 0x78;
	h[1] = 0xdb;
	CHECK(inflate_into(INFLATE_ZLIB, h, sizeof(h), big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err && strstr(st.err, "check bits"));
	const unsigned char dict[] = { 0x78, 0xbb, 0, 0, 0, 1, 3, 0 };
	CHECK(inflate_into(INFLATE_ZLIB, dict, sizeof(dict), big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err && strstr(st.err, "preset dictionary"));
	memcpy(h, z_fixed, sizeof(h));
	h[sizeof(h) - 1] ^= 1;
	CHECK(inflate_into(INFLATE_ZLIB, h, sizeof(h), big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err && strstr(st.err, "Adler-32"));
	CHECK(st.err_offset == sizeof(h) - 4);
	/* gzip: the optional header fields, with a header CRC. */
	unsigned char g[128];
	size_t n = 0;
	const unsigned char head[] = { 0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3, 3, 0, 'x', 'y', 'z' };
	memcpy(g, head, sizeof(head));
	n = sizeof(head);
	memcpy(g + n, "name", 5);
	n += 5;
	memcpy(g + n, "comment", 8);
	n += 8;
	uint32_t hc = inflate_crc32(0, g, n);
	g[n++] = (unsigned char)hc;
	g[n++] = (unsigned char)(hc >> 8);
	memcpy(g + n, gz_small + 10, sizeof(gz_small) - 10);
	n += sizeof(gz_small) - 10;
	expect(INFLATE_GZIP, g, n, "gzip me\n", __LINE__);
	g[12] ^= 1;
	CHECK(inflate_into(INFLATE_GZIP, g, n, big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err && strstr(st.err, "header CRC"));
	g[12] ^= 1;
	g[3] |= 0x80;
	CHECK(inflate_into(INFLATE_GZIP, g, n, big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err_offset == 3);
	/* Size field wrong. */
	memcpy(g, gz_small, sizeof(gz_small));
	g[sizeof(gz_small) - 4]++;
	CHECK(inflate_into(INFLATE_GZIP, g, sizeof(gz_small), big, sizeof(big), &st) == INFLATE_ERROR);
	CHECK(st.err_offset == sizeof(gz_small) - 4);
	CHECK(inflate_into(INFLATE_GZIP, "", 0, big, sizeof(big), &st) == INFLATE_ERROR);
	/* The growable output stops at its limit. */
	unsigned char *got;
	CHECK(inflate_alloc(INFLATE_ZLIB, z_dynamic, sizeof(z_dynamic), 100, &got, &st) == INFLATE_ERROR);
	CHECK(got == NULL);
	CHECK(st.err && strstr(st.err, "limit"));
	CHECK(inflate_alloc(INFLATE_ZLIB, z_dynamic, sizeof(z_dynamic), strlen(miss_text()), &got, &st) == INFLATE_OK);
	free(got);
}

static void test_mangled(void)
{
	mangle(INFLATE_ZLIB, z_fixed, sizeof(z_fixed), hello_text());
	mangle(INFLATE_ZLIB, z_dynamic, sizeof(z_dynamic), miss_text());
	mangle(INFLATE_ZLIB, z_dynamic_lz, sizeof(z_dynamic_lz), miss_text());
	mangle(INFLATE_GZIP, gz_small, sizeof(gz_small), "gzip me\n");
	mangle(INFLATE_RAW, raw_stored, sizeof(raw_stored), "stored!");
	mangle(INFLATE_RAW, raw_fixed, sizeof(raw_fixed), "abracadabra abracadabra");
}

static void put_le(unsigned char *p, uint64_t v, unsigned n, int be)
{
	for (unsigned i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static void test_elf(void)
{
	unsigned char sec[24 + sizeof(z_fixed) + 4];
	unsigned char *out;
	size_t len, want = strlen(hello_text());
	struct inflate_status st;
	for (int be = 0; be < 2; be++) {
		for (int e64 = 0; e64 < 2; e64++) {
			size_t hdr = e64 ? 24 : 12;
			memset(sec, 0, sizeof(sec));
			put_le(sec, 1, 4, be);
			if (e64)
				put_le(sec + 8, want, 8, be);
			else
				put_le(sec + 4, want, 4, be);
			memcpy(sec + hdr, z_fixed, sizeof(z_fixed));
			size_t n = hdr + sizeof(z_fixed);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_OK);
			CHECK(len == want);
			CHECK(out && memcmp(out, hello_text(), want) == 0);
			free(out);
			/* zero padding after the stream is allowed, other bytes are not */
			CHECK(inflate_elf_section(sec, n + 4, e64, be, 0, &out, &len, &st) == INFLATE_OK);
			free(out);
			sec[n + 2] = 1;
			CHECK(inflate_elf_section(sec, n + 4, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err_offset == n + 2);
			CHECK(out == NULL);
			sec[n + 2] = 0;
			/* a size that is not what the stream holds */
			put_le(sec + (e64 ? 8 : 4), want + 1, e64 ? 8 : 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err && strstr(st.err, "shorter"));
			put_le(sec + (e64 ? 8 : 4), want - 1, e64 ? 8 : 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			/* absurd sizes are refused before allocating */
			put_le(sec + (e64 ? 8 : 4), e64 ? (uint64_t)1 << 40 : 0xffffffffu, e64 ? 8 : 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err && strstr(st.err, "size"));
			put_le(sec + (e64 ? 8 : 4), 1 << 20, e64 ? 8 : 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err && strstr(st.err, "too large for the compressed data"));
			CHECK(inflate_elf_section(sec, n, e64, be, 1000, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err && strstr(st.err, "limit"));
			/* a bad stream names its offset in the section */
			put_le(sec + (e64 ? 8 : 4), want, e64 ? 8 : 4, be);
			sec[hdr] = 0x79;
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
			CHECK(st.err_offset == hdr);
			/* zstd and others */
			put_le(sec, 2, 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_UNSUPPORTED);
			CHECK(st.err && strstr(st.err, "zstd"));
			put_le(sec, 7, 4, be);
			CHECK(inflate_elf_section(sec, n, e64, be, 0, &out, &len, &st) == INFLATE_UNSUPPORTED);
			CHECK(inflate_elf_section(sec, hdr - 1, e64, be, 0, &out, &len, &st) == INFLATE_ERROR);
		}
	}
	/* .zdebug */
	unsigned char z[12 + sizeof(z_fixed)];
	memcpy(z, "ZLIB", 4);
	put_le(z + 4, want, 8, 1);
	memcpy(z + 12, z_fixed, sizeof(z_fixed));
	CHECK(inflate_zdebug(z, sizeof(z), 0, &out, &len, &st) == INFLATE_OK);
	CHECK(len == want);
	CHECK(out && memcmp(out, hello_text(), want) == 0);
	free(out);
	CHECK(inflate_zdebug(z, sizeof(z) - 1, 0, &out, &len, &st) == INFLATE_ERROR);
	CHECK(st.err_offset == sizeof(z) - 1);
	z[0] = 'X';
	CHECK(inflate_zdebug(z, sizeof(z), 0, &out, &len, &st) == INFLATE_ERROR);
	CHECK(inflate_zdebug(z, 11, 0, &out, &len, &st) == INFLATE_ERROR);
}

static void test_checksums(void)
{
	CHECK(inflate_crc32(0, "123456789", 9) == 0xcbf43926u);
	CHECK(inflate_crc32(inflate_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u);
	CHECK(inflate_crc32(0, "", 0) == 0);
	CHECK(inflate_adler32(1, "Wikipedia", 9) == 0x11e60398u);
	/* long inputs: the chunked paths agree with byte-at-a-time */
	static unsigned char big[100000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + (i >> 9));
	uint32_t c = 0, a = 1;
	for (size_t i = 0; i < sizeof(big); i++) {
		c = inflate_crc32(c, big + i, 1);
		a = inflate_adler32(a, big + i, 1);
	}
	CHECK(c == inflate_crc32(0, big, sizeof(big)));
	CHECK(a == inflate_adler32(1, big, sizeof(big)));
	memset(big, 0xff, sizeof(big));
	a = 1;
	for (size_t i = 0; i < sizeof(big); i++)
		a = inflate_adler32(a, big + i, 1);
	CHECK(a == inflate_adler32(1, big, sizeof(big)));
}

/* ---- real data ---- */

static unsigned char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		perror(path);
		exit(2);
	}
	unsigned char *p = malloc((size_t)sb.st_size + 1);
	size_t n = 0;
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, p + n, (size_t)sb.st_size - n);
		if (r <= 0) {
			perror(path);
			exit(2);
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return p;
}

static int wrap_of(const char *s, enum inflate_wrap *w)
{
	if (!strcmp(s, "gzip"))
		*w = INFLATE_GZIP;
	else if (!strcmp(s, "zlib"))
		*w = INFLATE_ZLIB;
	else if (!strcmp(s, "raw"))
		*w = INFLATE_RAW;
	else
		return -1;
	return 0;
}

static void same(const char *what, const unsigned char *got, size_t got_len, const unsigned char *want,
		 size_t want_len)
{
	check_count++;
	if (got_len != want_len || memcmp(got, want, want_len) != 0) {
		size_t i = 0;
		while (i < got_len && i < want_len && got[i] == want[i])
			i++;
		check_failures++;
		fprintf(stderr, "%s: %zu bytes, want %zu; first difference at %zu\n", what, got_len, want_len, i);
	}
}

static int real_stream(enum inflate_wrap w, const char *file, const char *expected)
{
	size_t n, wn;
	unsigned char *in = slurp(file, &n), *want = slurp(expected, &wn), *got;
	struct inflate_status st;
	if (inflate_alloc(w, in, n, 0, &got, &st) != INFLATE_OK) {
		fprintf(stderr, "%s:%zu: %s\n", file, st.err_offset, st.err);
		check_failures++;
		return check_report("inflate");
	}
	CHECK(st.in_used == n);
	same(file, got, st.out_len, want, wn);
	free(got);
	/* and into a buffer of exactly the right size */
	unsigned char *buf = malloc(wn ? wn : 1);
	CHECK(inflate_into(w, in, n, buf, wn, &st) == INFLATE_OK);
	same(file, buf, st.out_len, want, wn);
	free(buf);
	free(in);
	free(want);
	printf("%s: %zu -> %zu bytes\n", file, n, wn);
	return check_report("inflate");
}

static int real_bad(enum inflate_wrap w, const char *file)
{
	size_t n;
	unsigned char *in = slurp(file, &n), *got;
	struct inflate_status st;
	CHECK(inflate_alloc(w, in, n, 0, &got, &st) == INFLATE_ERROR);
	CHECK(got == NULL);
	CHECK(st.err != NULL);
	CHECK(st.err_offset <= n);
	if (st.err)
		printf("%s:%zu: %s\n", file, st.err_offset, st.err);
	free(in);
	return check_report("inflate");
}

static int find_section(struct elf_file *elf, const char *name, struct elf_section *sec, int *zdebug)
{
	*zdebug = 0;
	if (elf_section_by_name(elf, name, sec) == 0)
		return 0;
	if (strncmp(name, ".debug_", 7) == 0) {
		char z[256];
		snprintf(z, sizeof(z), ".zdebug_%s", name + 7);
		if (elf_section_by_name(elf, z, sec) == 0) {
			*zdebug = 1;
			return 0;
		}
	}
	return -1;
}

#define SHF_COMPRESSED_ (1u << 11)

static int real_elf(const char *file, const char *name, const char *expected, int unsupported)
{
	struct elf_file elf;
	struct elf_section sec;
	int zdebug;
	if (elf_open(&elf, file) < 0) {
		perror(file);
		return 2;
	}
	if (find_section(&elf, name, &sec, &zdebug) < 0 || !sec.data) {
		fprintf(stderr, "%s: no section %s\n", file, name);
		return 2;
	}
	unsigned char *got = NULL;
	size_t len = 0;
	struct inflate_status st;
	int r;
	const char *how;
	if (zdebug && sec.size >= 4 && memcmp(sec.data, "ZLIB", 4) == 0) {
		how = "zdebug";
		r = inflate_zdebug(sec.data, sec.size, 0, &got, &len, &st);
	} else if (sec.flags & SHF_COMPRESSED_) {
		how = "SHF_COMPRESSED";
		r = inflate_elf_section(sec.data, sec.size, 1, 0, 0, &got, &len, &st);
	} else {
		/* left uncompressed (too small to gain): the bytes themselves */
		how = "uncompressed";
		got = malloc(sec.size + 1);
		memcpy(got, sec.data, sec.size);
		len = sec.size;
		r = INFLATE_OK;
	}
	if (unsupported) {
		CHECK(r == INFLATE_UNSUPPORTED);
		printf("%s %s: %s\n", file, name, st.err ? st.err : "-");
		return check_report("inflate");
	}
	if (r != INFLATE_OK) {
		fprintf(stderr, "%s: section %s:%zu: %s\n", file, name, st.err_offset, st.err);
		check_failures++;
	} else {
		size_t wn;
		unsigned char *want = slurp(expected, &wn);
		same(name, got, len, want, wn);
		printf("%s %s (%s): %" PRIu64 " -> %zu bytes\n", file, name, how, sec.size, len);
		free(want);
	}
	free(got);
	elf_close(&elf);
	return check_report("inflate");
}

int main(int argc, char **argv)
{
	enum inflate_wrap w;
	if (argc == 4 && wrap_of(argv[1], &w) == 0)
		return real_stream(w, argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "bad") && wrap_of(argv[2], &w) == 0)
		return real_bad(w, argv[3]);
	if (argc == 5 && !strcmp(argv[1], "elf"))
		return real_elf(argv[2], argv[3], argv[4], 0);
	if (argc == 4 && !strcmp(argv[1], "elf-unsupported"))
		return real_elf(argv[2], argv[3], NULL, 1);
	if (argc != 1) {
		fprintf(stderr, "usage: inflate [gzip|zlib|raw FILE EXPECTED | bad WRAP FILE | elf FILE SECTION EXPECTED"
			" | elf-unsupported FILE SECTION]\n");
		return 2;
	}
	test_checksums();
	test_streams();
	test_hand_made();
	test_elf();
	test_mangled();
	return check_report("inflate");
}
