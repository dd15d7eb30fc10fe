/* Unit tests for common/: strbuf, arena, interner, reader, writer, folded. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "folded.h"
#include "hash.h"
#include "intern.h"
#include "reader.h"
#include "strbuf.h"
#include "util.h"
#include "writer.h"

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "a;b");
	sb_addc(&sb, ' ');
	sb_add_u64(&sb, 18446744073709551615ULL);
	CHECK_STR(sb.buf, "a;b 18446744073709551615");
	sb_reset(&sb);
	sb_add_u64_grouped(&sb, 1234567);
	sb_addc(&sb, ' ');
	sb_add_u64_grouped(&sb, 999);
	sb_addc(&sb, ' ');
	sb_add_u64_grouped(&sb, 0);
	CHECK_STR(sb.buf, "1,234,567 999 0");
	sb_reset(&sb);
	sb_add_u64_grouped(&sb, 18446744073709551615ULL);
	CHECK_STR(sb.buf, "18,446,744,073,709,551,615");
	sb_reset(&sb);
	sb_add_grouped(&sb, "-1234567", 8);
	sb_addc(&sb, ' ');
	sb_add_grouped(&sb, "100", 3);
	sb_addc(&sb, ' ');
	sb_add_grouped(&sb, "-12", 3);
	sb_addc(&sb, ' ');
	sb_add_grouped(&sb, "1234.5", 6);	/* the digits before the first other character */
	sb_addc(&sb, ' ');
	sb_add_grouped(&sb, "inf", 3);
	sb_addc(&sb, ' ');
	sb_add_grouped(&sb, "", 0);
	CHECK_STR(sb.buf, "-1,234,567 100 -12 1,234.5 inf ");
	sb_reset(&sb);
	static const double nums[] = { 0, 3, 2.5, 0.1, -3, -0.5, 1e15, 123456789012.5, 1.0 / 3, 1e-300 };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		sb_add_number(&sb, nums[i]);
		sb_addc(&sb, ' ');
	}
	CHECK_STR(sb.buf, "0 3 2.5 0.1 -3 -0.5 1e+15 123456789012.5 0.333333333333333 1e-300 ");
	sb_reset(&sb);
	for (int i = 0; i < 10000; i++)
		sb_addf(&sb, "%d,", i);
	CHECK(sb.len == 48890);
	CHECK(sb.buf[sb.len] == '\0');
	sb_release(&sb);

	/* buf is never NULL: an empty strbuf is "" before any append and after release */
	struct strbuf empty = STRBUF_INIT, set_up;
	CHECK(empty.buf != NULL);
	CHECK_STR(empty.buf, "");
	sb_reset(&empty);
	CHECK_STR(empty.buf, "");
	sb_addf(&empty, "%s", "");
	CHECK_STR(empty.buf, "");
	sb_release(&empty);
	CHECK(empty.buf != NULL);
	CHECK_STR(empty.buf, "");
	sb_release(&empty); /* twice is harmless */
	sb_init(&set_up);
	CHECK_STR(set_up.buf, "");
	sb_addc(&set_up, 'x');
	CHECK_STR(set_up.buf, "x");
	sb_release(&set_up);
	CHECK_STR(empty.buf, ""); /* the shared empty string was never written */
}

static void test_interner(void)
{
	struct interner t = INTERNER_INIT;
	int added;
	CHECK(intern(&t, "main", 4, &added) == 0 && added);
	CHECK(intern(&t, "foo", 3, &added) == 1 && added);
	CHECK(intern(&t, "main", 4, &added) == 0 && !added);
	CHECK(intern(&t, "a\0b", 3, NULL) == 2);
	CHECK(intern(&t, "a\0c", 3, NULL) == 3);
	CHECK(intern(&t, "", 0, NULL) == 4);
	CHECK(intern_find(&t, "a\0b", 3) == 2);
	CHECK(intern_find(&t, "nope", 4) == -1);
	CHECK_STR(intern_get(&t, 1)->bytes, "foo");
	/* Enough keys to force several rehashes; every id stays stable. */
	char key[32];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "key%d", i);
		CHECK(intern(&t, key, (size_t)n, NULL) == (uint32_t)(5 + i));
	}
	int bad = 0;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "key%d", i);
		bad += intern_find(&t, key, (size_t)n) != 5 + i;
	}
	CHECK(bad == 0);
	CHECK(t.count == 100005);
	interner_free(&t);

	/* Sorted ids: byte order, a prefix before its extensions, bytes above 0x7f last. */
	const char *words[] = { "b", "a;b", "a", "\xff", "a;b c", "", "a b" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		intern(&t, words[i], strlen(words[i]), NULL);
	uint32_t *ids = intern_sorted(&t);
	struct strbuf order = STRBUF_INIT;
	for (size_t i = 0; i < t.count; i++) {
		sb_adds(&order, intern_get(&t, ids[i])->bytes);
		sb_addc(&order, '|');
	}
	CHECK_STR(order.buf, "|a|a b|a;b|a;b c|b|\xff|");
	free(ids);
	sb_release(&order);
	interner_free(&t);
}

static char *write_temp(const char *data, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/flame-unit-XXXXXX");
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
	return path;
}

static void test_reader(void)
{
	static const char data[] = "one\r\ntwo\n\nth\0ree\nlast";
	char *path = write_temp(data, sizeof(data) - 1);
	struct reader r;
	struct line l;
	CHECK(reader_open(&r, path) == 0);
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "one");
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "two");
	CHECK(reader_line(&r, &l) == 1 && l.len == 0);
	CHECK(reader_line(&r, &l) == 1 && l.len == 6 && memcmp(l.ptr, "th\0ree", 6) == 0);
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "last");
	CHECK(r.lineno == 5);
	CHECK(reader_line(&r, &l) == 0);
	reader_close(&r);
	unlink(path);

	/* A line far longer than the 1 MiB buffer. */
	size_t big = 5u << 20;
	char *long_data = xmalloc(big + 8);
	memset(long_data, 'x', big);
	memcpy(long_data + big, "\nend\n", 5);
	path = write_temp(long_data, big + 5);
	CHECK(reader_open(&r, path) == 0);
	CHECK(reader_line(&r, &l) == 1 && l.len == big && l.ptr[big - 1] == 'x');
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "end");
	CHECK(reader_line(&r, &l) == 0);
	reader_close(&r);
	unlink(path);
	free(long_data);

	CHECK(reader_open(&r, "/nonexistent/flame") == -1);
}

static size_t cut_at_blank_line(const char *d, size_t len)
{
	for (size_t i = len; i >= 2; i--)
		if (d[i - 1] == '\n' && d[i - 2] == '\n')
			return i;
	return 0;
}

static void test_blocks(void)
{
	struct strbuf in = STRBUF_INIT;
	for (int i = 0; i < 50000; i++)
		sb_addf(&in, "sample %d\nframe a\nframe b\n\n", i);
	char *path = write_temp(in.buf, in.len);
	struct reader r;
	struct block b = { 0 };
	struct strbuf joined = STRBUF_INIT;
	int blocks = 0, all_cut = 1;
	CHECK(reader_open(&r, path) == 0);
	while (reader_block(&r, &b, 64 << 10, cut_at_blank_line)) {
		blocks++;
		all_cut &= b.len >= 2 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n';
		sb_add(&joined, b.data, b.len);
	}
	CHECK(blocks > 10);
	CHECK(all_cut);
	CHECK(joined.len == in.len && memcmp(joined.buf, in.buf, in.len) == 0);
	reader_close(&r);
	unlink(path);
	free(b.data);
	sb_release(&in);
	sb_release(&joined);
}

static void test_folded(void)
{
	struct folded_line f;
	CHECK(folded_parse("a;b;c 42", 8, 0, &f) == FOLDED_OK);
	CHECK_MEM(f.stack, f.stack_len, "a;b;c");
	CHECK(f.ncounts == 1 && f.count[0].integer == 42 && !f.count[0].fractional);

	CHECK(folded_parse("a;b  5", 6, 0, &f) == FOLDED_OK);
	CHECK_MEM(f.stack, f.stack_len, "a;b ");	/* flamegraph.pl keeps the extra space */

	CHECK(folded_parse("x 1.5", 5, 0, &f) == FOLDED_OK);
	CHECK(f.count[0].fractional && f.count[0].value == 1.5);
	CHECK(folded_parse("x 5.", 4, 0, &f) == FOLDED_OK && f.count[0].value == 5.0);
	CHECK(folded_parse("x .5", 4, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("x 1.2.3", 7, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("x5", 2, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("x 5 ", 4, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("", 0, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("x 99999999999999999999999", 25, 0, &f) == FOLDED_OVERFLOW);

	CHECK(folded_parse("a;b 12 5", 8, 1, &f) == FOLDED_OK);
	CHECK_MEM(f.stack, f.stack_len, "a;b");
	CHECK(f.ncounts == 2 && f.count[0].integer == 12 && f.count[1].integer == 5);
	CHECK(folded_parse("a;b 12 5", 8, 0, &f) == FOLDED_OK && f.ncounts == 1);
	CHECK_MEM(f.stack, f.stack_len, "a;b 12");
	CHECK(folded_parse("a\tb 3", 5, 1, &f) == FOLDED_OK && f.ncounts == 1);

	struct strbuf sb = STRBUF_INIT;
	folded_add_count(&sb, 42);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 1.5);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 0.1 + 0.2);
	CHECK_STR(sb.buf, "42 1.5 0.3");
	/* Never in exponent form, which flame-render would read as part of the stack. */
	sb_reset(&sb);
	folded_add_count(&sb, 9007199254740992.0);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 1e20);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 1e-7);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 1234567890123456.5);
	sb_addc(&sb, ' ');
	folded_add_count(&sb, 18446744073709551616.0);
	CHECK_STR(sb.buf, "9007199254740992 100000000000000000000 0.0000001 1234567890123456.5 18446744073709551616");
	sb_release(&sb);
}

static void test_writer(void)
{
	char path[] = "/tmp/flame-unit-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	struct writer w;
	writer_init(&w, fd, path);
	for (int i = 0; i < 100000; i++) {
		char num[16];
		writer_add(&w, num, (size_t)snprintf(num, sizeof(num), "%d\n", i));
	}
	writer_close(&w);
	struct reader r;
	struct line l;
	CHECK(reader_open(&r, path) == 0);
	int n = 0, ok = 1;
	while (reader_line(&r, &l)) {
		char want[16];
		int wl = snprintf(want, sizeof(want), "%d", n++);
		ok &= l.len == (size_t)wl && memcmp(l.ptr, want, l.len) == 0;
	}
	CHECK(ok && n == 100000);
	reader_close(&r);
	unlink(path);
}

/* line_iter cuts lines as reader_line does. */
static void test_line_iter(void)
{
	static const char data[] = "one\r\ntwo\n\nth\0ree\n \t\r\nlast\r";
	struct line_iter it;
	struct line l;
	line_iter_init(&it, data, sizeof(data) - 1);
	CHECK(line_next(&it, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "one");
	CHECK(line_next(&it, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "two");
	CHECK(line_next(&it, &l) == 1 && l.len == 0 && line_is_blank(l.ptr, l.len));
	CHECK(line_next(&it, &l) == 1 && l.len == 6 && !line_is_blank(l.ptr, l.len));
	CHECK(line_next(&it, &l) == 1 && l.len == 2 && line_is_blank(l.ptr, l.len));
	CHECK(line_next(&it, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "last");	/* and before the end, as reader_line does */
	CHECK(it.lineno == 6);
	CHECK(line_next(&it, &l) == 0);
	line_iter_init(&it, "", 0);
	CHECK(line_next(&it, &l) == 0);
}

/* A line longer than reader_max_line is skipped and counted; the line numbers stay right. */
static void test_reader_line_cap(void)
{
	struct strbuf in = STRBUF_INIT;
	sb_adds(&in, "short\n");
	for (int i = 0; i < 3000; i++)
		sb_addc(&in, 'x');
	sb_adds(&in, "\nafter\n");
	for (int i = 0; i < 3000; i++)
		sb_addc(&in, 'y');
	char *path = write_temp(in.buf, in.len);
	size_t saved = reader_max_line;
	reader_max_line = 1000;
	input_warn_quiet = 1;
	struct reader r;
	struct line l;
	CHECK(reader_open(&r, path) == 0);
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "short");
	CHECK(reader_line(&r, &l) == 1);
	CHECK_MEM(l.ptr, l.len, "after");
	CHECK(r.lineno == 3);
	CHECK(reader_line(&r, &l) == 0);
	CHECK(r.skipped_lines == 2 && r.lineno == 4);
	reader_close(&r);
	unlink(path);
	reader_max_line = saved;
	input_warn_quiet = 0;
	sb_release(&in);
}

static void test_folded_two(void)
{
	struct folded_line f;
	CHECK(folded_parse("a;b 1 2", 7, 1, &f) == FOLDED_OK && f.ncounts == 2 && f.stack_len == 3);
	CHECK(f.count[0].integer == 1 && f.count[1].integer == 2);
	CHECK(folded_parse("a;b 1 2", 7, 0, &f) == FOLDED_OK && f.ncounts == 1 && f.stack_len == 5);
	CHECK(folded_parse("a;b1 2", 6, 1, &f) == FOLDED_OK && f.ncounts == 1 && f.stack_len == 4);
	CHECK(folded_parse("a b\t1.5 2.", 10, 1, &f) == FOLDED_OK && f.ncounts == 2 && f.stack_len == 3);
	CHECK(f.count[0].fractional && f.count[0].value == 1.5 && f.count[1].fractional);
	CHECK(folded_parse("a 1.2.3 4", 9, 1, &f) == FOLDED_OK && f.ncounts == 1 && f.stack_len == 7);
	CHECK(folded_parse("a 99999999999999999999 4", 24, 1, &f) == FOLDED_OVERFLOW);
	CHECK(folded_parse("a 99999999999999999999", 22, 0, &f) == FOLDED_OVERFLOW);
	CHECK(folded_parse(" 5", 2, 0, &f) == FOLDED_OK && f.stack_len == 0);
	CHECK(folded_parse("5", 1, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("a 5x", 4, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("a 5 ", 4, 0, &f) == FOLDED_NO_COUNT);
	CHECK(folded_parse("1 2", 3, 1, &f) == FOLDED_OK && f.ncounts == 1);
}

static void test_byte_size(void)
{
	uint64_t v;
	CHECK(parse_byte_size("64M", &v) == 0 && v == 64u << 20);
	CHECK(parse_byte_size("4k", &v) == 0 && v == 4096);
	CHECK(parse_byte_size("1G", &v) == 0 && v == 1u << 30);
	CHECK(parse_byte_size("123", &v) == 0 && v == 123);
	CHECK(parse_byte_size("", &v) == -1);
	CHECK(parse_byte_size("M", &v) == -1);
	CHECK(parse_byte_size("1T", &v) == -1);
	CHECK(parse_byte_size("-1", &v) == -1);
	CHECK(parse_byte_size("99999999999999999999", &v) == -1);
	CHECK(parse_byte_size("17179869184G", &v) == -1);
}

/*
 * Hash flooding (issue 13): 16-byte keys that all share one value of the old unkeyed hash
 * (hash_bytes, still used for fingerprints): its steps are invertible, so the second word can be
 * chosen to cancel the first. In a table hashed so, each insertion probed past all the others.
 */
static void test_intern_flooding(void)
{
	const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
	uint64_t inv = c1;
	for (int i = 0; i < 6; i++)
		inv *= 2 - c1 * inv;
	CHECK(inv * c1 == 1);
	const uint64_t h0 = 0x9e3779b97f4a7c15ULL ^ (16 * 0x100000001b3ULL), x = 0x1234567;
	enum { N = 40000 };
	struct interner t = INTERNER_INIT;
	uint64_t first = 0;
	int same = 1;
	for (uint64_t i = 0; i < N; i++) {
		uint64_t k[2];
		k[0] = i * 0x9e3779b97f4a7c15ULL;
		uint64_t h1 = (h0 ^ (k[0] * c1)) * c2;
		h1 = (h1 << 31) | (h1 >> 33);
		k[1] = (h1 ^ x) * inv;
		uint64_t old = hash_bytes(k, sizeof(k));
		if (i == 0)
			first = old;
		same &= old == first;
		CHECK(intern(&t, k, sizeof(k), NULL) == i);
	}
	CHECK(same);	/* the keys do collide under the old hash */
	CHECK(t.count == N);
	/* Under the keyed hash they spread like any keys: short probes, no reseed needed. */
	CHECK(t.longest_probe < INTERN_MAX_PROBE);
	CHECK(t.reseeds == 0 && !t.strong);
	interner_free(&t);

	/* Worse: keys that collide under the table's own key, as if it had leaked. After one probe
	 * longer than INTERN_MAX_PROBE the table moves to SipHash under a new key. hash_fast takes
	 * 16 bytes a step in two lanes; the second step of a 32-byte key cancels the first's. */
	const uint64_t c3 = 0x9e3779b97f4a7c15ULL, c4 = 0xd6e8feb86659fd93ULL;
	uint64_t inv3 = c3;
	for (int i = 0; i < 6; i++)
		inv3 *= 2 - c3 * inv3;
	CHECK(inv3 * c3 == 1);
	struct interner u = INTERNER_INIT;
	intern(&u, "first", 5, NULL);
	const uint64_t a0 = u.seed.k0 ^ (32 * 0x100000001b3ULL), b0 = u.seed.k1;
	int collide = 1, found = 1;
	uint64_t want = 0;
	for (uint64_t i = 0; i < 2 * N; i++) {
		uint64_t k[4];
		uint64_t n = i < N ? i : i - N;	/* the second pass looks the keys up */
		k[0] = n * 0x9e3779b97f4a7c15ULL;
		k[1] = n;
		uint64_t a1 = (a0 ^ (k[0] * c1)) * c2, b1 = (b0 ^ (k[1] * c3)) * c4;
		a1 = (a1 << 31) | (a1 >> 33);
		b1 = (b1 << 29) | (b1 >> 35);
		k[2] = (a1 ^ x) * inv;
		k[3] = (b1 ^ x) * inv3;
		if (i >= N) {
			if (n % 97 == 0)
				found &= intern_find(&u, k, sizeof(k)) == (int64_t)(n + 1);
			continue;
		}
		if (!u.strong) {
			uint64_t hf = hash_fast(&u.seed, k, sizeof(k));
			if (i == 0)
				want = hf;
			collide &= hf == want;
		}
		CHECK(intern(&u, k, sizeof(k), NULL) == i + 1);
	}
	CHECK(collide);
	CHECK(u.strong && u.reseeds == 1);
	CHECK(u.longest_probe <= INTERN_MAX_PROBE + 1);
	CHECK(found);
	interner_free(&u);

	/* Two tables draw different keys: a collision found for one is no collision for the other. */
	struct hash_key a = hash_random_key(), b = hash_random_key();
	CHECK(a.k0 != b.k0 || a.k1 != b.k1);
	CHECK(hash_sip(&a, "main", 4) != hash_sip(&b, "main", 4));
	CHECK(hash_sip(&a, "main", 4) == hash_sip(&a, "main", 4));
	CHECK(hash_keyed("x", 1) == hash_keyed("x", 1));
}

/* SipHash-1-3 with the reference's test key (bytes 0..15) on the messages 0, 0 1, 0 1 2, ... */
static void test_siphash(void)
{
	struct hash_key k = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	unsigned char msg[64];
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	/* Every length hashes differently; a changed byte changes the hash. */
	uint64_t seen[65];
	int distinct = 1;
	for (int n = 0; n <= 64; n++) {
		seen[n] = hash_sip(&k, msg, (size_t)n);
		for (int j = 0; j < n; j++)
			distinct &= seen[j] != seen[n];
	}
	CHECK(distinct);
	/* Values of a model of the reference (its SipHash-2-4 gives the published vectors). */
	CHECK(hash_sip(&k, msg, 0) == 0xabac0158050fc4dcULL);
	CHECK(hash_sip(&k, msg, 15) == 0xd320d86d2a519956ULL);
	CHECK(hash_sip(&k, msg, 64) == 0xf17997ec4b4a6065ULL);
}

int main(void)
{
	progname = "unit-common";
	test_siphash();
	test_intern_flooding();
	test_line_iter();
	test_reader_line_cap();
	test_folded_two();
	test_byte_size();
	test_strbuf();
	test_interner();
	test_reader();
	test_blocks();
	test_folded();
	test_writer();
	return check_report("common");
}
