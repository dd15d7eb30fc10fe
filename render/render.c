/*
 * flame-render: folded stacks in, one self-contained interactive SVG out; a drop-in for
 * flamegraph.pl (same options, same frames and colours) with inferno's extra options.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "flow.h"
#include "nameattr.h"
#include "reader.h"
#include "stacks.h"
#include "svg.h"
#include "util.h"
#include "writer.h"

enum {
	OPT_TITLE = 256, OPT_SUBTITLE, OPT_WIDTH, OPT_HEIGHT, OPT_MINWIDTH, OPT_FONTTYPE, OPT_FONTSIZE,
	OPT_FONTWIDTH, OPT_COUNTNAME, OPT_NAMETYPE, OPT_BGCOLORS, OPT_HASH, OPT_RANDOM, OPT_CP,
	OPT_REVERSE, OPT_FLAMECHART, OPT_NEGATE, OPT_FACTOR, OPT_TOTAL, OPT_NOTES, OPT_NAMEATTR,
	OPT_SEARCH_COLOR, OPT_STROKE_COLOR, OPT_UICOLOR, OPT_TRUNCATE_RIGHT, OPT_COLORDIFFUSION,
	OPT_DETERMINISTIC, OPT_BASE, OPT_VERSION, OPT_DIFF_INCLUSIVE, OPT_SORT_BY_SIZE, OPT_BUFFER_SIZE, OPT_TRUNCATE_LEFT,
};

static const char usage_text[] =
	"usage: flame-render [options] [FILE...] > graph.svg\n"
	"Reads folded stacks (\"a;b;c 42\", or \"a;b;c BEFORE AFTER\" for a differential graph) from the\n"
	"files or standard input (\"-\") and writes an interactive SVG flame graph.\n"
	"\n"
	"  --title TEXT          title (default \"Flame Graph\")\n"
	"  --subtitle TEXT       second title line\n"
	"  --width N             image width in pixels (default 1200)\n"
	"  --height N            frame height in pixels (default 16)\n"
	"  --minwidth N[%]       omit frames narrower than N pixels, or N% of the total (default 0.1)\n"
	"  --fonttype FONT       font family (default Verdana)\n"
	"  --fontsize N          font size (default 12)\n"
	"  --fontwidth N         average character width relative to the font size (default 0.59)\n"
	"  --countname TEXT      what the counts are (default \"samples\")\n"
	"  --nametype TEXT       what the names are (default \"Function:\")\n"
	"  -c, --colors PALETTE  hot (default), mem, io, wakeup, chain, java, js, perl, red, green,\n"
	"                        blue, aqua, yellow, purple, orange\n"
	"  --bgcolors COLOR      yellow, blue, green, grey or #rrggbb (default: from the palette)\n"
	"  --hash                colour by a hash of the name (stable across graphs)\n"
	"  --random              random colours\n"
	"  --deterministic       colour by an FNV-1a hash of the name (inferno's)\n"
	"  --cp                  consistent palette: keep colours in ./palette.map\n"
	"  --reverse             reverse every stack (leaf at the bottom)\n"
	"  -i, --inverted        icicle graph (root at the top)\n"
	"  --flamechart          keep the input order (time on the x axis), merge only neighbours\n"
	"  --negate              swap the differential colours (blue for growth)\n"
	"  --factor N            scale the counts shown by N\n"
	"  --total N             draw against this total when it is larger than the input's\n"
	"  --notes TEXT          add a comment with TEXT to the SVG\n"
	"  --nameattr FILE       per-function attributes (FUNC<TAB>name=value...)\n"
	"  --search-color COLOR  colour of matched frames, #rrggbb (default #e600e6)\n"
	"  --stroke-color COLOR  outline frames in #rrggbb\n"
	"  --uicolor COLOR       colour of the texts, #rrggbb (default #000000)\n"
	"  --truncate-text-right cut long labels on the right (the default, as flamegraph.pl)\n"
	"  --truncate-text-left  cut long labels on the left, keeping their end (inferno's default)\n"
	"  --colordiffusion      wider frames redder (inferno's)\n"
	"  --base FUNC           only stacks through FUNC, drawn from FUNC up (repeatable)\n"
	"  --diff-inclusive      colour differential frames by their inclusive change; tooltips\n"
	"                        show before, after and self counts\n"
	"  --sort-by-size        widest children first instead of alphabetical order\n"
	"  --buffer-size SIZE    memory for distinct stacks before they are sorted into temporary\n"
	"                        files (default 512M; K, M, G suffixes; 0: no limit)\n"
	"  -h, --help            this help\n"
	"  --version             the version\n";

static void usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	exit(status);
}

static double parse_positive(const char *opt, const char *arg, double max)
{
	double v;
	if (parse_double(arg, &v) < 0 || !(v > 0) || v > max)
		die("--%s: '%s' is not a number above 0 and up to %g", opt, arg, max);
	return v;
}

/* A size in bytes with an optional K, M or G suffix. */
static size_t parse_size(const char *opt, const char *arg)
{
	char num[32];
	size_t n = strlen(arg), mult = 1;
	if (n && strchr("kKmMgG", arg[n - 1])) {
		char c = (char)(arg[n - 1] | 0x20);
		mult = c == 'k' ? 1024 : c == 'm' ? 1024 * 1024 : (size_t)1024 * 1024 * 1024;
		n--;
	}
	uint64_t v;
	if (n == 0 || n >= sizeof(num))
		die("--%s: '%s' is not a size (like 512M)", opt, arg);
	memcpy(num, arg, n);
	num[n] = '\0';
	if (parse_u64(num, &v) < 0 || v > SIZE_MAX / mult)
		die("--%s: '%s' is not a size (like 512M)", opt, arg);
	return (size_t)v * mult;
}

static int parse_pixels(const char *opt, const char *arg)
{
	uint64_t v;
	if (parse_u64(arg, &v) < 0 || v < 1 || v > 1000000)
		die("--%s: '%s' is not a whole number of pixels (1 to 1000000)", opt, arg);
	return (int)v;
}

static const char *parse_rgb_option(const char *opt, const char *arg, char *buf, size_t size)
{
	struct rgb c;
	if (color_parse_hex(arg, &c) < 0)
		die("--%s: '%s' is not a colour of the form #rrggbb", opt, arg);
	snprintf(buf, size, "rgb(%u,%u,%u)", c.r, c.g, c.b);
	return buf;
}

int main(int argc, char **argv)
{
	progname = "flame-render";
	static const struct option longopts[] = {
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
		{ "fonttype", required_argument, NULL, OPT_FONTTYPE },
		{ "fontsize", required_argument, NULL, OPT_FONTSIZE },
		{ "fontwidth", required_argument, NULL, OPT_FONTWIDTH },
		{ "countname", required_argument, NULL, OPT_COUNTNAME },
		{ "nametype", required_argument, NULL, OPT_NAMETYPE },
		{ "colors", required_argument, NULL, 'c' },
		{ "bgcolors", required_argument, NULL, OPT_BGCOLORS },
		{ "hash", no_argument, NULL, OPT_HASH },
		{ "random", no_argument, NULL, OPT_RANDOM },
		{ "deterministic", no_argument, NULL, OPT_DETERMINISTIC },
		{ "cp", no_argument, NULL, OPT_CP },
		{ "reverse", no_argument, NULL, OPT_REVERSE },
		{ "inverted", no_argument, NULL, 'i' },
		{ "flamechart", no_argument, NULL, OPT_FLAMECHART },
		{ "negate", no_argument, NULL, OPT_NEGATE },
		{ "factor", required_argument, NULL, OPT_FACTOR },
		{ "total", required_argument, NULL, OPT_TOTAL },
		{ "notes", required_argument, NULL, OPT_NOTES },
		{ "nameattr", required_argument, NULL, OPT_NAMEATTR },
		{ "search-color", required_argument, NULL, OPT_SEARCH_COLOR },
		{ "stroke-color", required_argument, NULL, OPT_STROKE_COLOR },
		{ "uicolor", required_argument, NULL, OPT_UICOLOR },
		{ "truncate-text-right", no_argument, NULL, OPT_TRUNCATE_RIGHT },
		{ "truncate-text-left", no_argument, NULL, OPT_TRUNCATE_LEFT },
		{ "colordiffusion", no_argument, NULL, OPT_COLORDIFFUSION },
		{ "base", required_argument, NULL, OPT_BASE },
		{ "diff-inclusive", no_argument, NULL, OPT_DIFF_INCLUSIVE },
		{ "sort-by-size", no_argument, NULL, OPT_SORT_BY_SIZE },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct svg_options so = {
		.title = NULL, .width = 1200, .frame_height = 16, .fontsize = 12, .fontwidth = 0.59,
		.fonttype = "Verdana", .countname = "samples", .nametype = "Function:", .palette = PAL_HOT,
		.color_mode = COLOR_NAME_SEEDED, .search_color = "rgb(230,0,230)", .ui_color = "rgb(0,0,0)",
		.truncate_right = 1, .factor = 1,
	};
	struct stack_options sto = { 0 };
	const char *minwidth = "0.1", *bgcolors = NULL, *nameattr_path = NULL;
	double total_option = 0;
	int use_palette_map = 0, colors_given = 0, sort_by_size = 0;
	size_t buffer_size = (size_t)512 * 1024 * 1024;
	char search_buf[32], stroke_buf[32], ui_buf[32];
	int c;
	while ((c = getopt_long(argc, argv, "c:ih", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TITLE: so.title = optarg; break;
		case OPT_SUBTITLE: so.subtitle = optarg; break;
		case OPT_WIDTH: so.width = parse_pixels("width", optarg); break;
		case OPT_HEIGHT: so.frame_height = parse_pixels("height", optarg); break;
		case OPT_MINWIDTH: minwidth = optarg; break;
		case OPT_FONTTYPE: so.fonttype = optarg; break;
		case OPT_FONTSIZE: so.fontsize = parse_positive("fontsize", optarg, 1000); break;
		case OPT_FONTWIDTH: so.fontwidth = parse_positive("fontwidth", optarg, 100); break;
		case OPT_COUNTNAME: so.countname = optarg; break;
		case OPT_NAMETYPE: so.nametype = optarg; break;
		case 'c':
			if ((so.palette = palette_parse(optarg)) < 0)
				die("--colors: unknown palette '%s' (hot, mem, io, wakeup, chain, java, js, perl, "
				    "red, green, blue, aqua, yellow, purple, orange)", optarg);
			colors_given = 1;
			break;
		case OPT_BGCOLORS: bgcolors = optarg; break;
		case OPT_HASH: so.color_mode = COLOR_HASH; break;
		case OPT_RANDOM: so.color_mode = COLOR_RANDOM; break;
		case OPT_DETERMINISTIC: so.color_mode = COLOR_DETERMINISTIC; break;
		case OPT_CP: use_palette_map = 1; break;
		case OPT_REVERSE: sto.reverse = 1; break;
		case 'i': so.inverted = 1; break;
		case OPT_FLAMECHART: sto.flamechart = 1; break;
		case OPT_NEGATE: so.negate = 1; break;
		case OPT_FACTOR: so.factor = parse_positive("factor", optarg, 1e300); break;
		case OPT_TOTAL: total_option = parse_positive("total", optarg, 1e300); break;
		case OPT_NOTES: so.notes = optarg; break;
		case OPT_NAMEATTR: nameattr_path = optarg; break;
		case OPT_SEARCH_COLOR: so.search_color = parse_rgb_option("search-color", optarg, search_buf, sizeof(search_buf)); break;
		case OPT_STROKE_COLOR: so.stroke_color = parse_rgb_option("stroke-color", optarg, stroke_buf, sizeof(stroke_buf)); break;
		case OPT_UICOLOR: so.ui_color = parse_rgb_option("uicolor", optarg, ui_buf, sizeof(ui_buf)); break;
		case OPT_TRUNCATE_RIGHT: so.truncate_right = 1; break;
		case OPT_TRUNCATE_LEFT: so.truncate_right = 0; break;
		case OPT_COLORDIFFUSION: so.colordiffusion = 1; break;
		case OPT_BASE:
			sto.base = xrealloc(sto.base, (sto.nbase + 1) * sizeof(*sto.base));
			sto.base[sto.nbase++] = optarg;
			break;
		case OPT_DIFF_INCLUSIVE: so.diff_inclusive = 1; break;
		case OPT_SORT_BY_SIZE: sort_by_size = 1; break;
		case OPT_BUFFER_SIZE: buffer_size = parse_size("buffer-size", optarg); break;
		case 'h': usage(0); break;
		case OPT_VERSION: printf("flame-render %s\n", FLAME_VERSION); return 0;
		default: usage(2);
		}
	}
	if (so.colordiffusion && colors_given)
		die("--colordiffusion and --colors do not go together (--colordiffusion picks the colours)");
	if (sto.flamechart && sort_by_size)
		die("--flamechart and --sort-by-size do not go together (a flame chart keeps the input order)");
	if (sto.flamechart && sto.reverse)
		die("--flamechart and --reverse do not go together (a flame chart keeps the input order)");
	sto.chain = so.palette == PAL_CHAIN;
	if (!so.title)
		so.title = sto.flamechart ? "Flame Chart" : so.inverted ? "Icicle Graph" : "Flame Graph";
	/* --minwidth: pixels, or a percentage of the total with '%' (checked as flamegraph.pl does). */
	size_t mwlen = strlen(minwidth);
	int minwidth_pct = mwlen && minwidth[mwlen - 1] == '%';
	char mwbuf[64];
	double minwidth_value;
	if (mwlen == 0 || mwlen - (size_t)minwidth_pct >= sizeof(mwbuf) ||
	    strspn(minwidth, "0123456789.") != mwlen - (size_t)minwidth_pct)
		die("--minwidth: '%s' is not a number of pixels or a percentage (like 0.5%%)", minwidth);
	memcpy(mwbuf, minwidth, mwlen - (size_t)minwidth_pct);
	mwbuf[mwlen - (size_t)minwidth_pct] = '\0';
	if (parse_double(mwbuf, &minwidth_value) < 0)
		die("--minwidth: '%s' is not a number of pixels or a percentage (like 0.5%%)", minwidth);
	if (bgcolor_parse(bgcolors ? bgcolors : palette_default_bg(so.palette), so.bg1, so.bg2) < 0)
		die("--bgcolors: '%s' is not yellow, blue, green, grey or #rrggbb", bgcolors);
	struct nameattr na = { INTERNER_INIT, NULL, 0 };
	if (nameattr_path) {
		nameattr_read(&na, nameattr_path);
		so.nameattr = &na;
	}

	/* Read every input into one table of distinct stacks. */
	struct stack_table table = { 0 };
	table.budget = sto.flamechart ? 0 : buffer_size;	/* a flame chart keeps the input order */
	char **files = argv + optind;
	int nfiles = argc - optind;
	static char *stdin_only[] = { "-" };
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") != 0 && stacks_read_file(&table, files[i], &sto) == 0)
			continue;
		struct reader r;
		if (reader_open(&r, files[i]) < 0)
			die("%s: %s", files[i], strerror(errno));
		stacks_read(&table, &r, &sto);
		reader_close(&r);
	}
	if (table.ignored)
		warn("ignored %llu line%s with invalid format", (unsigned long long)table.ignored,
		     table.ignored == 1 ? "" : "s");

	struct writer w;
	writer_init(&w, 1, "<stdout>");
	if (!(table.total > 0)) {
		warn("ERROR: no stack counts found");
		svg_write_error(&w, &so, "ERROR: No valid input provided to flame-render.");
		writer_close(&w);
		stacks_free(&table);
		nameattr_free(&na);
		free(sto.base);
		return 2;
	}
	stacks_order(&table, &sto);

	double timemax = table.total;
	if (total_option > 0) {
		if (total_option >= table.total)
			timemax = total_option;
		else if (total_option / table.total > 0.02)
			warn("--total %g is less than the actual total %g, so it is ignored", total_option, table.total);
	}
	double minwidth_time = minwidth_pct ? timemax * minwidth_value / 100
					    : minwidth_value / ((so.width - 20) / timemax);

	struct flow flow = { 0 };
	flow.collect_spans = 1;
	struct stack_iter it;
	stack_iter_init(&it, &table, &sto);
	flow_merge(&flow, &it, minwidth_time);
	stack_iter_free(&it);
	if (sort_by_size)
		flow_sort_by_size(&flow);
	so.differential = table.differential;
	double maxdelta = so.diff_inclusive ? inclusive_maxdelta(&flow) : table.maxdelta;

	struct palette_map pm = { INTERNER_INIT, NULL, 0 };
	if (use_palette_map) {
		palette_map_read(&pm, "palette.map");
		so.palette_map = &pm;
	}
	svg_write(&w, &so, &flow, timemax, maxdelta);
	writer_close(&w);
	if (use_palette_map)
		palette_map_write(&pm, "palette.map");

	palette_map_free(&pm);
	flow_free(&flow);
	stacks_free(&table);
	nameattr_free(&na);
	free(sto.base);
	return 0;
}
