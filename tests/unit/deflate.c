/* Unit tests for common/deflate.c: everything it writes decodes (common/inflate.c) to its input,
 * compresses what repeats and barely grows what does not. With arguments,
 *   deflate gzip IN OUT      writes IN gzip-compressed to OUT (tests/inflate.bats gives it to gzip -d). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "deflate.h"
#include "inflate.h"

static uint64_t rng = 88172645463325252ull;

static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

/* Compresses in[0..n) both ways, decodes both, returns the raw size. */
static size_t round_trip(const unsigned char *in, size_t n, const char *what)
{
	struct strbuf raw = STRBUF_INIT, gz = STRBUF_INIT;
	struct inflate_status st;
	deflate_compress(in, n, &raw);
	gzip_compress(in, n, &gz);
	unsigned char *out = malloc(n + 1);
	int r = inflate_into(INFLATE_RAW, raw.buf, raw.len, out, n, &st);
	check_count++;
	if (r != INFLATE_OK || st.out_len != n || (n && memcmp(out, in, n)) || st.in_used != raw.len) {
		check_failures++;
		fprintf(stderr, "%s (%zu bytes): raw: %s at %zu, %zu bytes out\n", what, n, st.err ? st.err : "differs",
			st.err_offset, st.out_len);
	}
	r = inflate_into(INFLATE_GZIP, gz.buf, gz.len, out, n, &st);
	check_count++;
	if (r != INFLATE_OK || st.out_len != n || (n && memcmp(out, in, n))) {
		check_failures++;
		fprintf(stderr, "%s (%zu bytes): gzip: %s\n", what, n, st.err ? st.err : "differs");
	}
	CHECK(gz.len == raw.len + 18);
	/* never more than a stored block's 5 bytes per 64K over the input, and a few bits */
	CHECK(raw.len <= n + 5 * (n / 65535 + 1) + 2);
	size_t len = raw.len;
	printf("%-28s %9zu -> %9zu\n", what, n, len);
	free(out);
	sb_release(&raw);
	sb_release(&gz);
	return len;
}

static void test_round_trips(void)
{
	size_t n = 1 << 20;
	unsigned char *buf = calloc(1, n);
	round_trip(buf, 0, "empty");
	buf[0] = 'x';
	round_trip(buf, 1, "one byte");
	memcpy(buf, "abc", 3);
	round_trip(buf, 3, "three bytes");
	memset(buf, 0, n);
	CHECK(round_trip(buf, n, "1M zeros") < n / 100);
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)next();
	size_t r = round_trip(buf, n, "1M random");
	CHECK(r >= n);
	round_trip(buf, 65535, "random, one chunk");
	round_trip(buf, 65536, "random, a chunk and a byte");
	/* text-like: words from a small vocabulary */
	static const char *words[] = { "main", "foo", "bar", "baz", "std::vector<int>::push_back", ";", "\n",
				       "[unknown]", "0x7f00", "__libc_start_main", "_start", " ", "1" };
	size_t k = 0;
	while (k < n) {
		const char *w = words[next() % (sizeof(words) / sizeof(words[0]))];
		size_t l = strlen(w);
		if (k + l > n)
			break;
		memcpy(buf + k, w, l);
		k += l;
	}
	CHECK(round_trip(buf, k, "1M of words") < k / 2);
	/* matches at the longest distance and of the longest length */
	for (size_t i = 0; i < 32768; i++)
		buf[i] = (unsigned char)next();
	memcpy(buf + 32768, buf, 32768);
	memcpy(buf + 65536, buf, 1000);
	CHECK(round_trip(buf, 66536, "32K repeated at 32K") < 45000);
	/* a random mix of runs, repeats and noise, in several sizes around the chunk size */
	for (int t = 0; t < 40; t++) {
		size_t len = t < 20 ? (size_t)(65535 - 20 + t * 2) : next() % 300000;
		for (size_t i = 0; i < len;) {
			unsigned kind = next() % 3, l = 1 + next() % 300;
			for (unsigned j = 0; j < l && i < len; j++, i++) {
				if (kind == 0)
					buf[i] = 'a';
				else if (kind == 1 && i > 40000)
					buf[i] = buf[i - 1 - (next() % 16 == 0 ? next() % 40000 : 37)];
				else
					buf[i] = (unsigned char)(next() % 7);
			}
		}
		round_trip(buf, len, "mixed");
	}
	free(buf);
}

static int gzip_file(const char *in, const char *out)
{
	int fd = open(in, O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		perror(in);
		return 2;
	}
	unsigned char *p = malloc((size_t)sb.st_size + 1);
	size_t n = 0;
	ssize_t r;
	while (n < (size_t)sb.st_size && (r = read(fd, p + n, (size_t)sb.st_size - n)) > 0)
		n += (size_t)r;
	close(fd);
	struct strbuf gz = STRBUF_INIT;
	gzip_compress(p, n, &gz);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, gz.buf, gz.len) != (ssize_t)gz.len || close(fd) != 0) {
		perror(out);
		return 2;
	}
	free(p);
	sb_release(&gz);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gzip"))
		return gzip_file(argv[2], argv[3]);
	test_round_trips();
	return check_report("deflate");
}
