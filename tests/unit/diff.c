/* Unit tests for flame-diff's modules: -s rewriting, -n scaling, the frame report and its JSON. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "diff/report.h"
#include "diff/table.h"
#include "reader.h"
#include "strbuf.h"
#include "util.h"
#include "writer.h"

static void check_strip(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	strip_hex(&sb, in, strlen(in));
	CHECK_STR(sb.len ? sb.buf : "", want);
	sb_release(&sb);
}

static void test_strip_hex(void)
{
	check_strip("", "");
	check_strip("main;f", "main;f");
	check_strip("f+0x1f", "f+0x...");
	check_strip("0x7fA0;0xdeadBEEF", "0x...;0x...");
	check_strip("0x", "0x");
	check_strip("0xg", "0xg");
	check_strip("0X1f", "0X1f");		/* upper-case X is left, as the Perl's regex */
	check_strip("0x0x1", "0x...x1");	/* "0x0" matches, then "x1" is plain text */
	check_strip("a0x1b;c", "a0x...;c");
	check_strip("00xx0x", "00xx0x");
}

static void test_scale_count(void)
{
	CHECK(scale_count(1, 2, 3) == 0);
	CHECK(scale_count(2, 2, 3) == 1);
	CHECK(scale_count(50, 200, 100) == 100);
	/* the product needs more than 64 bits */
	CHECK(scale_count(9000000000000000000ULL, 3, 10000000000000000000ULL) == 2);
	CHECK(scale_count(UINT64_MAX, UINT64_MAX, UINT64_MAX) == UINT64_MAX);
}

static void check_json(const char *in, size_t len, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	json_add_string(&sb, in, len);
	CHECK_STR(sb.len ? sb.buf : "", want);
	sb_release(&sb);
}

static void test_json_string(void)
{
	check_json("plain", 5, "plain");
	check_json("a\"b\\c", 5, "a\\\"b\\\\c");
	check_json("t\tn\nx\x1b", 6, "t\\tn\\nx\\u001b");
	check_json("a\0b", 3, "a\\u0000b");
	check_json("caf\xc3\xa9", 5, "caf\xc3\xa9");			/* valid 2 bytes */
	check_json("\xe2\x82\xac", 3, "\xe2\x82\xac");			/* valid 3 bytes */
	check_json("\xf0\x9f\x94\xa5", 4, "\xf0\x9f\x94\xa5");		/* valid 4 bytes */
	check_json("\xff", 1, "\\ufffd");
	check_json("\xc3", 1, "\\ufffd");					/* truncated */
	check_json("\xc0\xaf", 2, "\\ufffd\\ufffd");			/* overlong */
	check_json("\xe0\x80\xaf", 3, "\\ufffd\\ufffd\\ufffd");		/* overlong */
	check_json("\xed\xa0\x80", 3, "\\ufffd\\ufffd\\ufffd");		/* surrogate */
	check_json("\xf4\x90\x80\x80", 4, "\\ufffd\\ufffd\\ufffd\\ufffd");	/* > U+10FFFF */
	check_json("\xe2\x82x", 3, "\\ufffd\\ufffdx");
	check_json("\x7f", 1, "\x7f");
}

static void test_printable(void)
{
	struct strbuf sb = STRBUF_INIT;
	add_printable(&sb, "a\x1b[31m\0b\x7f\xc3\xa9", 11);
	CHECK_STR(sb.buf, "a\\x1b[31m\\x00b\\x7f\xc3\xa9");
	sb_release(&sb);
}

/* A table from two folded texts, read through the real reader from temporary files. */
static void load(struct diff_table *t, const char *before, size_t blen, const char *after, size_t alen)
{
	const char *text[2] = { before, after };
	size_t len[2] = { blen, alen };
	input_warn_quiet = 1;
	table_init(t, 0);
	for (int side = 0; side < 2; side++) {
		char path[] = "/tmp/flame-diff-unit-XXXXXX";
		int fd = mkstemp(path);
		CHECK(fd >= 0);
		CHECK(write(fd, text[side], len[side]) == (ssize_t)len[side]);
		close(fd);
		struct reader r;
		CHECK(reader_open(&r, path) == 0);
		table_read(t, side, &r);
		reader_close(&r);
		unlink(path);
	}
}

static const struct frame_share *share_of(const struct report *rep, const char *name)
{
	int64_t id = intern_find(&rep->frames, name, strlen(name));
	return id < 0 ? NULL : &rep->share[id];
}

static void test_report(void)
{
	struct diff_table t;
	struct report rep;
	const char before[] = "m;f;f;f 2\nm;f;g 1\nm 1\n";
	const char after[] = "m;g 3\nm;f 1\n";
	load(&t, before, sizeof(before) - 1, after, sizeof(after) - 1);
	CHECK(table_size(&t) == 5);
	CHECK(t.side[BEFORE].total == 4 && t.side[AFTER].total == 4);
	report_build(&rep, &t);
	CHECK(report_frames(&rep) == 3);
	const struct frame_share *f = share_of(&rep, "f"), *g = share_of(&rep, "g"), *m = share_of(&rep, "m");
	CHECK(f && g && m);
	if (!f || !g || !m)
		return;
	/* f recurses 3 deep in one stack: that stack counts once */
	CHECK(f->incl_count[BEFORE] == 3 && f->self_count[BEFORE] == 2);
	CHECK(f->incl[BEFORE] == 75 && f->incl[AFTER] == 25 && f->incl_delta == -50);
	CHECK(g->incl[BEFORE] == 25 && g->incl[AFTER] == 75 && g->self_delta == 50);
	CHECK(m->incl[BEFORE] == 100 && m->self[BEFORE] == 25 && m->self[AFTER] == 0);
	/* ranked: f and g change by 50 points inclusive, g's self by 50 too (f's by 25); m by 25 */
	CHECK(f->self_delta == -25);
	CHECK(!strcmp(intern_get(&rep.frames, rep.ranked[0])->bytes, "g"));
	CHECK(!strcmp(intern_get(&rep.frames, rep.ranked[1])->bytes, "f"));
	CHECK(!strcmp(intern_get(&rep.frames, rep.ranked[2])->bytes, "m"));

	struct gate gate = { .fail_above = 49.5 };
	gate_check(&gate, &rep);
	CHECK(gate.nfailed == 1 && !strcmp(intern_get(&rep.frames, gate.failed[0])->bytes, "g"));
	CHECK(gate.ngated == 3);
	free(gate.failed);
	free(gate.matched);
	gate.fail_above = 50;	/* exactly 50 points is not more than 50 */
	gate_check(&gate, &rep);
	CHECK(gate.nfailed == 0);
	free(gate.failed);
	free(gate.matched);
	report_free(&rep);
	table_free(&t);
}

/* A strict JSON syntax check (RFC 8259), enough to catch what a report could get wrong. */
static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
			continue;
		}
		if (c >= 0x80) {	/* structure of a multi-byte sequence; validity is json_add_string's test */
			int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
			if (n < 0)
				return NULL;
			for (int i = 1; i <= n; i++)
				if (((unsigned char)p[i] & 0xc0) != 0x80)
					return NULL;
			p += n + 1;
			continue;
		}
		p++;
	}
}

static const char *json_number(const char *p)
{
	const char *start;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

static const char *json_value(const char *p)
{
	p = json_ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		int object = *p == '{';
		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (object) {
				p = json_string(json_ws(p));
				if (!p)
					return NULL;
				p = json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = json_value(p);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (!strncmp(p, "null", 4))
		return p + 4;
	return json_number(p);
}

static int json_valid(const char *text)
{
	const char *end = json_value(text);
	return end && *json_ws(end) == '\0';
}

static void test_json_validator(void)
{
	CHECK(json_valid("{\"a\": [1, -2.5, 3e+20, true, null, \"x\\u00e9\"]}"));
	CHECK(!json_valid("{\"a\": 1,}"));
	CHECK(!json_valid("{\"a\": \"\x01\"}"));
	CHECK(!json_valid("[01]"));
	CHECK(!json_valid("[1.]"));
	CHECK(!json_valid("{\"a\" 1}"));
}

/* The JSON report of hostile frame names, with fractional counts and a gate, is valid JSON. */
static void test_json_report(void)
{
	struct diff_table t;
	struct report rep;
	const char before[] = "m;\"quoted\\\";\x1b[31mred 1.5\nm;a\0b;\xff\xfe 2\nm;caf\xc3\xa9 3\n";
	const char after[] = "m;\xc0\xaf;\xed\xa0\x80 1\nm;caf\xc3\xa9 1e\nm;\"quoted\\\";\x1b[31mred 4\n";
	load(&t, before, sizeof(before) - 1, after, sizeof(after) - 1);
	CHECK(t.side[AFTER].malformed == 1);	/* "1e" is not a count */
	report_build(&rep, &t);
	regex_t re;
	CHECK(regcomp(&re, "red$", REG_EXTENDED | REG_NOSUB) == 0);
	const char *src = "red$";
	struct gate gate = { .fail_above = 0.5, .frame_re = &re, .nframe_re = 1, .frame_src = &src };
	gate_check(&gate, &rep);
	CHECK(gate.nfailed == 1 && gate.ngated == 1 && gate.matched[0]);
	free(gate.matched);

	char path[] = "/tmp/flame-diff-unit-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	struct writer w;
	writer_init(&w, fd, path);
	report_write_json(&rep, 0, &gate, &w);
	writer_flush(&w);
	struct reader r;
	CHECK(reader_open(&r, path) == 0);
	struct strbuf all = STRBUF_INIT;
	struct line line;
	while (reader_line(&r, &line)) {
		sb_add(&all, line.ptr, line.len);
		sb_addc(&all, '\n');
	}
	reader_close(&r);
	close(fd);
	unlink(path);
	CHECK(all.len > 0 && memchr(all.buf, '\0', all.len) == NULL);
	CHECK(json_valid(all.buf));
	CHECK(strstr(all.buf, "\"frame\": \"a\\u0000b\"") != NULL);
	CHECK(strstr(all.buf, "\"frame\": \"\\ufffd\\ufffd\"") != NULL);
	CHECK(strstr(all.buf, "\"frame\": \"\\\"quoted\\\\\\\"\"") != NULL);
	CHECK(strstr(all.buf, "\"frame\": \"\\u001b[31mred\"") != NULL);
	CHECK(strstr(all.buf, "\"before_count\": 1.5") != NULL);
	CHECK(strstr(all.buf, "\"passed\": false") != NULL);
	sb_release(&all);
	free(gate.failed);
	regfree(&re);
	report_free(&rep);
	table_free(&t);
}

int main(void)
{
	progname = "unit-diff";
	test_strip_hex();
	test_scale_count();
	test_json_string();
	test_printable();
	test_report();
	test_json_validator();
	test_json_report();
	return check_report("diff");
}
