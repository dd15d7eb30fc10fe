/* Unit tests of flame-render's modules: colours, escaping, number formats, stack order. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "../../render/color.h"
#include "../../render/flow.h"
#include "../../render/stacks.h"
#include "../../render/svg.h"

static struct strbuf sb = STRBUF_INIT;

static const char *escaped(const char *s, size_t n)
{
	sb_reset(&sb);
	xml_escape(&sb, s, n);
	return sb.buf;
}

static const char *grouped(double v)
{
	sb_reset(&sb);
	add_count_grouped(&sb, v);
	return sb.buf;
}

static const char *rgb(struct rgb c)
{
	static char buf[32];
	snprintf(buf, sizeof(buf), "rgb(%u,%u,%u)", c.r, c.g, c.b);
	return buf;
}

/* The frames flow_merge keeps for folded text (minwidth 0), as "name@depth[start,end]" lines. */
static const char *merged(const char *text)
{
	static char out[4096];
	FILE *fp = tmpfile();
	fputs(text, fp);
	fflush(fp);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(fp));
	struct stack_table t = { .scratch = STRBUF_INIT, .chain_scratch = STRBUF_INIT };
	struct stack_options o = { 0 };
	struct reader r;
	if (reader_open(&r, path) < 0)
		return "cannot open";
	stacks_read(&t, &r, &o);
	reader_close(&r);
	fclose(fp);
	stacks_order(&t, &o);
	struct flow f = { 0 };
	struct stack_iter it;
	stack_iter_init(&it, &t, &o);
	flow_merge(&f, &it, 0);
	stack_iter_free(&it);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < f.nframes && n < sizeof(out) - 100; i++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%.*s@%u[%g,%g] ", (int)f.frames[i].name_len,
				      f.frames[i].name, f.frames[i].depth, f.frames[i].start, f.frames[i].end);
	flow_free(&f);
	stacks_free(&t);
	return out;
}

int main(void)
{
	/* flamegraph.pl's frame key (name, depth, end): an empty frame closing where an equal frame
	 * closed replaces it, wherever it is among the frames closed then; other frames keep their order. */
	CHECK_STR(merged("x;K 1\ny;K 0\n"), "x@1[0,1] @0[0,1] y@1[1,1] K@2[1,1] ");
	CHECK_STR(merged("x;K 1\nx;L 0\ny;K 0\n"), "x@1[0,1] L@2[1,1] @0[0,1] y@1[1,1] K@2[1,1] ");
	CHECK_STR(merged("x;K 1\ny;J 0\ny;K 0\nz 2\n"), "x@1[0,1] J@2[1,1] y@1[1,1] K@2[1,1] @0[0,3] z@1[1,3] ");
	CHECK_STR(merged("x;K 1\nx;L 0\n"), "K@2[0,1] @0[0,1] x@1[0,1] L@2[1,1] ");

	/* flamegraph.pl's default colours: drand48 seeded with the sum of the code points. */
	CHECK_STR(rgb(color_for(PAL_HOT, COLOR_NAME_SEEDED, "main", 4)), "rgb(243,179,42)");
	CHECK_STR(rgb(color_for(PAL_HOT, COLOR_NAME_SEEDED, "", 0)), "rgb(213,39,9)");
	CHECK(fabs(color_seeded_rand(0) - 0x330e * 0x5deece66dULL % (1ULL << 48) / 281474976710656.0 - 0xb / 281474976710656.0) < 1e-15);
	/* --hash: namehash of the first three code points, module prefix dropped; the root is v=1. */
	CHECK(color_namehash("", 0, 0) == 1.0);
	CHECK(color_namehash("libc.so`main", 12, 0) == color_namehash("main", 4, 0));
	CHECK_STR(rgb(color_for(PAL_HOT, COLOR_HASH, "", 0)), "rgb(255,230,55)");
	/* Code points, not bytes: "é" counts once, as U+00E9 (233 % 10 = 3). */
	CHECK(fabs(color_namehash("\xc3\xa9", 2, 0) - (1 - (3.0 / 9) / 2)) < 1e-12);
	CHECK(color_namehash("ab", 2, 1) == color_namehash("ba", 2, 0));
	/* Multi-palettes resolve by flamegraph.pl's rules. */
	CHECK_STR(rgb(color_for(PAL_JAVA, COLOR_HASH, "foo_[j]", 7)), rgb(color_for(PAL_GREEN, COLOR_HASH, "foo_[j]", 7)));
	CHECK_STR(rgb(color_for(PAL_JAVA, COLOR_HASH, "Ljava/lang/Thread.run", 21)), rgb(color_for(PAL_GREEN, COLOR_HASH, "Ljava/lang/Thread.run", 21)));
	CHECK_STR(rgb(color_for(PAL_JAVA, COLOR_HASH, "JavaCalls::call", 15)), rgb(color_for(PAL_YELLOW, COLOR_HASH, "JavaCalls::call", 15)));
	CHECK_STR(rgb(color_for(PAL_JAVA, COLOR_HASH, "do_read_[k]", 11)), rgb(color_for(PAL_ORANGE, COLOR_HASH, "do_read_[k]", 11)));
	CHECK_STR(rgb(color_for(PAL_PERL, COLOR_HASH, "Perl_pp_add", 11)), rgb(color_for(PAL_GREEN, COLOR_HASH, "Perl_pp_add", 11)));
	CHECK_STR(rgb(color_for(PAL_JS, COLOR_HASH, "/app/x.js:1", 11)), rgb(color_for(PAL_GREEN, COLOR_HASH, "/app/x.js:1", 11)));
	CHECK_STR(rgb(color_for(PAL_CHAIN, COLOR_HASH, "w_[w]", 5)), rgb(color_for(PAL_AQUA, COLOR_HASH, "w_[w]", 5)));
	CHECK_STR(rgb(color_for(PAL_CHAIN, COLOR_HASH, "w", 1)), rgb(color_for(PAL_BLUE, COLOR_HASH, "w", 1)));
	/* Differential scales. */
	CHECK_STR(rgb(color_diff(10, 10)), "rgb(255,0,0)");
	CHECK_STR(rgb(color_diff(-5, 10)), "rgb(105,105,255)");
	CHECK_STR(rgb(color_diff(0, 10)), "rgb(255,255,255)");
	/* Beyond the scale (the root under --diff-inclusive): clamped, never wrapped or cast out of range. */
	CHECK_STR(rgb(color_diff(20, 10)), "rgb(255,0,0)");
	CHECK_STR(rgb(color_diff(-4.2e10, 1)), "rgb(0,0,255)");
	CHECK_STR(rgb(color_diff(1e300, 1)), "rgb(255,0,0)");
	CHECK_STR(rgb(color_diff(NAN, 1)), "rgb(255,255,255)");
	CHECK_STR(rgb(color_scale_inferno(2000, 2000)), "rgb(255,100,100)");
	CHECK_STR(rgb(color_scale_inferno(0, 2000)), "rgb(250,250,250)");
	struct rgb c;
	CHECK(color_parse_hex("#7d7D7d", &c) == 0 && c.r == 0x7d && c.g == 0x7d && c.b == 0x7d);
	CHECK(color_parse_hex("#7d7d7", &c) < 0);
	CHECK(color_parse_hex("red", &c) < 0);
	char s1[8], s2[8];
	CHECK(bgcolor_parse("grey", s1, s2) == 0 && strcmp(s1, "#f8f8f8") == 0 && strcmp(s2, "#e8e8e8") == 0);
	CHECK(bgcolor_parse("#ABCDEF", s1, s2) == 0 && strcmp(s1, "#abcdef") == 0 && strcmp(s2, "#abcdef") == 0);
	CHECK(bgcolor_parse("pink", s1, s2) < 0);
	CHECK(palette_parse("chain") == PAL_CHAIN && palette_parse("rust") < 0);

	/* Escaping for XML text and attributes. */
	CHECK_STR(escaped("a<b>&\"'", 7), "a&lt;b&gt;&amp;&quot;&#39;");
	CHECK_STR(escaped("]]>", 3), "]]&gt;");
	CHECK_STR(escaped("x\x1b[0m", 5), "x\xe2\x90\x9b[0m");
	CHECK_STR(escaped("\xff" "ok\xc3", 4), "\xef\xbf\xbdok\xef\xbf\xbd");
	CHECK_STR(escaped("\xed\xa0\x80", 3), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");	/* a surrogate */
	CHECK_STR(escaped("\xef\xbf\xbe", 3), "\xef\xbf\xbd");	/* U+FFFE is not an XML character */
	CHECK_STR(escaped("caf\xc3\xa9 \xf0\x9f\x94\xa5", 10), "caf\xc3\xa9 \xf0\x9f\x94\xa5");
	CHECK_STR(escaped("a\0b", 3), "a\xe2\x90\x80" "b");

	/* Counts: Perl's %.0f (half to even) with thousands commas. */
	CHECK_STR(grouped(1234567), "1,234,567");
	CHECK_STR(grouped(999), "999");
	CHECK_STR(grouped(2.5), "2");
	CHECK_STR(grouped(3.5), "4");
	CHECK_STR(grouped(1000), "1,000");

	/* Stack order: as sorting whole lines "stack count" (a stack is followed by a space). */
	CHECK(stacks_compare("a;b", 3, "a;b-x", 5) < 0);
	CHECK(stacks_compare("a;b-x", 5, "a;b;c", 5) < 0);
	CHECK(stacks_compare("a;b", 3, "a;b;c", 5) < 0);
	CHECK(stacks_compare("a;b", 3, "a;b\tx", 5) > 0);
	CHECK(stacks_compare("a", 1, "a", 1) == 0);
	sb_release(&sb);
	return check_report("render");
}
