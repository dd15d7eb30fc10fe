/*
 * cli: flame-render's command line, whole: the options parsed into one configuration, the input
 * read, the pipeline run (stacks -> order -> flow -> SVG), the outcome reported. render.c's main
 * only calls render_main, so tests and the fuzz targets can run the program in-process.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "flow.h"
#include "nameattr.h"
#include "pprof.h"
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
	OPT_FORMAT, OPT_MAX_LINE,
};

static const char usage_text[] =
	"usage: flame-render [options] [FILE...] > graph.svg\n"
	"Reads folded stacks (\"a;b;c 42\", or \"a;b;c BEFORE AFTER\" for a differential graph) from the\n"
	"files or standard input (\"-\") and writes an interactive SVG flame graph.\n"
	"\n"
	"  --title TEXT          title (default \"Flame Graph\")\n"
	"  --subtitle TEXT       second title line\n"
	"  --width N             image width in pixels (default 1200, at least 21)\n"
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
	"  --buffer-size SIZE    memory for reading before the stacks are sorted into temporary\n"
	"                        files in $TMPDIR (default 32M; K, M, G suffixes; 0: no limit)\n"
	"  --format svg|pprof    write an SVG (the default) or a gzipped pprof profile.proto\n"
	"  --max-line SIZE       skip lines longer than SIZE bytes (default 64M; K, M, G suffixes)\n"
	"  -q, --quiet           no warning per malformed line (the count of skipped lines stays)\n"
	"  -h, --help            this help\n"
	"  --version             the version\n";

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
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

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

static int parse_pixels(const char *opt, const char *arg, int min)
{
	uint64_t v;
	if (parse_u64(arg, &v) < 0 || v < (uint64_t)min || v > 1000000)
		die("--%s: '%s' is not a whole number of pixels (%d to 1000000)", opt, arg, min);
	return (int)v;
}

/* --minwidth: pixels, or a percentage of the total with '%' (digits and dots, as flamegraph.pl). */
static void parse_minwidth(const char *arg, double *value, int *percent)
{
	char num[64];
	size_t n = strlen(arg);
	*percent = n && arg[n - 1] == '%';
	n -= (size_t)*percent;
	if (n == 0 || n >= sizeof(num) || strspn(arg, "0123456789.") != n)
		die("--minwidth: '%s' is not a number of pixels or a percentage (like 0.5%%)", arg);
	memcpy(num, arg, n);
	num[n] = '\0';
	if (parse_double(num, value) < 0)
		die("--minwidth: '%s' is not a number of pixels or a percentage (like 0.5%%)", arg);
}

static const char *parse_rgb_option(const char *opt, const char *arg, char *buf, size_t size)
{
	struct rgb c;
	if (color_parse_hex(arg, &c) < 0)
		die("--%s: '%s' is not a colour of the form #rrggbb", opt, arg);
	snprintf(buf, size, "rgb(%u,%u,%u)", c.r, c.g, c.b);
	return buf;
}


/* Everything the command line sets. */
struct config {
	struct svg_options so;
	struct stack_options sto;
	double minwidth;	/* pixels, or percent of the total */
	int minwidth_percent;
	const char *bgcolors, *nameattr_path;
	double total;		/* --total, 0 if not given */
	int palette_map, colors_given, sort_by_size;
	size_t buffer_size;
	int pprof;		/* --format pprof */
	int countname_given;	/* --countname wins over a "# units:" line */
	char **files;
	int nfiles;
	char search_buf[32], stroke_buf[32], ui_buf[32];
};

/* --help and --version go to stdout through the writer: a failed write is an error, as for a graph. */
static int print_stdout(const char *text)
{
	struct writer w;
	writer_init(&w, 1, "<stdout>");
	writer_adds(&w, text);
	writer_close(&w);
	return 0;
}

/* Fill c from argv. Returns -1 to go on, or the exit status (--help, --version, a usage error). */
static int parse_options(struct config *c, int argc, char **argv)
{
	*c = (struct config){
		.so = {
			.title = NULL, .width = 1200, .frame_height = 16, .fontsize = 12, .fontwidth = 0.59,
			.fonttype = "Verdana", .countname = "samples", .nametype = "Function:", .palette = PAL_HOT,
			.color_mode = COLOR_NAME_SEEDED, .search_color = "rgb(230,0,230)", .ui_color = "rgb(0,0,0)",
			.truncate_right = 1, .factor = 1,
		},
		.minwidth = 0.1,
		.buffer_size = (size_t)32 * 1024 * 1024,	/* issue 19: bounded memory by default */
	};
	struct svg_options *so = &c->so;
	struct stack_options *sto = &c->sto;
	int opt;
	/* Run more than once in a process (the fuzz target), everything starts afresh. */
	optind = 0;
	reader_max_line = READER_MAX_LINE_DEFAULT;
	while ((opt = getopt_long(argc, argv, "c:ihq", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_TITLE: so->title = optarg; break;
		case OPT_SUBTITLE: so->subtitle = optarg; break;
		case OPT_WIDTH: so->width = parse_pixels("width", optarg, SVG_MIN_WIDTH); break;
		case OPT_HEIGHT: so->frame_height = parse_pixels("height", optarg, 1); break;
		case OPT_MINWIDTH: parse_minwidth(optarg, &c->minwidth, &c->minwidth_percent); break;
		case OPT_FONTTYPE: so->fonttype = optarg; break;
		case OPT_FONTSIZE: so->fontsize = parse_positive("fontsize", optarg, 1000); break;
		case OPT_FONTWIDTH: so->fontwidth = parse_positive("fontwidth", optarg, 100); break;
		case OPT_COUNTNAME: so->countname = optarg; c->countname_given = 1; break;
		case OPT_NAMETYPE: so->nametype = optarg; break;
		case 'c':
			if ((so->palette = palette_parse(optarg)) < 0)
				die("--colors: unknown palette '%s' (hot, mem, io, wakeup, chain, java, js, perl, "
				    "red, green, blue, aqua, yellow, purple, orange)", optarg);
			c->colors_given = 1;
			break;
		case OPT_BGCOLORS: c->bgcolors = optarg; break;
		case OPT_HASH: so->color_mode = COLOR_HASH; break;
		case OPT_RANDOM: so->color_mode = COLOR_RANDOM; break;
		case OPT_DETERMINISTIC: so->color_mode = COLOR_DETERMINISTIC; break;
		case OPT_CP: c->palette_map = 1; break;
		case OPT_REVERSE: sto->reverse = 1; break;
		case 'i': so->inverted = 1; break;
		case OPT_FLAMECHART: sto->flamechart = 1; break;
		case OPT_NEGATE: so->negate = 1; break;
		case OPT_FACTOR: so->factor = parse_positive("factor", optarg, 1e300); break;
		case OPT_TOTAL: c->total = parse_positive("total", optarg, 1e300); break;
		case OPT_NOTES: so->notes = optarg; break;
		case OPT_NAMEATTR: c->nameattr_path = optarg; break;
		case OPT_SEARCH_COLOR:
			so->search_color = parse_rgb_option("search-color", optarg, c->search_buf, sizeof(c->search_buf));
			break;
		case OPT_STROKE_COLOR:
			so->stroke_color = parse_rgb_option("stroke-color", optarg, c->stroke_buf, sizeof(c->stroke_buf));
			break;
		case OPT_UICOLOR: so->ui_color = parse_rgb_option("uicolor", optarg, c->ui_buf, sizeof(c->ui_buf)); break;
		case OPT_TRUNCATE_RIGHT: so->truncate_right = 1; break;
		case OPT_TRUNCATE_LEFT: so->truncate_right = 0; break;
		case OPT_COLORDIFFUSION: so->colordiffusion = 1; break;
		case OPT_BASE:
			sto->base = xrealloc(sto->base, (sto->nbase + 1) * sizeof(*sto->base));
			sto->base[sto->nbase++] = optarg;
			break;
		case OPT_DIFF_INCLUSIVE: so->diff_inclusive = 1; break;
		case OPT_SORT_BY_SIZE: c->sort_by_size = 1; break;
		case OPT_BUFFER_SIZE: c->buffer_size = parse_size("buffer-size", optarg); break;
		case OPT_MAX_LINE: reader_set_max_line(optarg); break;
		case OPT_FORMAT:
			if (strcmp(optarg, "svg") != 0 && strcmp(optarg, "pprof") != 0)
				die("--format: '%s' is not svg or pprof", optarg);
			c->pprof = optarg[0] == 'p';
			break;
		case 'q': input_warn_quiet = 1; break;
		case 'h': return print_stdout(usage_text);
		case OPT_VERSION: return print_stdout("flame-render " FLAME_VERSION "\n");
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (so->colordiffusion && c->colors_given)
		die("--colordiffusion and --colors do not go together (--colordiffusion picks the colours)");
	if (sto->flamechart && c->sort_by_size)
		die("--flamechart and --sort-by-size do not go together (a flame chart keeps the input order)");
	if (sto->flamechart && c->pprof)
		die("--flamechart and --format pprof do not go together (a profile has one sample per distinct stack)");
	if (sto->flamechart && sto->reverse)
		die("--flamechart and --reverse do not go together (a flame chart keeps the input order)");
	if (bgcolor_parse(c->bgcolors ? c->bgcolors : palette_default_bg(so->palette), so->bg1, so->bg2) < 0)
		die("--bgcolors: '%s' is not yellow, blue, green, grey or #rrggbb", c->bgcolors);
	sto->chain = so->palette == PAL_CHAIN;
	if (!so->title)
		so->title = sto->flamechart ? "Flame Chart" : so->inverted ? "Icicle Graph" : "Flame Graph";
	static char *stdin_only[] = { "-" };
	c->files = argv + optind;
	c->nfiles = argc - optind;
	if (c->nfiles == 0) {
		c->files = stdin_only;
		c->nfiles = 1;
	}
	return -1;
}

/*
 * What a run holds: here rather than on render_main's stack, so that render_cleanup can free it
 * after a die() that came back through die_hook (the fuzz target runs render_main again and again).
 */
static struct {
	struct config c;
	struct nameattr na;
	struct stack_table table;
	struct reader in;
	int in_open;
	struct writer w;
	int w_open;
	struct stack_iter it;
	int it_open;
	struct flow flow;
	struct palette_map pm;
	int ready;
} run;

void render_cleanup(void)
{
	if (run.ready) {
		if (run.in_open)
			reader_close(&run.in);
		if (run.it_open)
			stack_iter_free(&run.it);
		if (run.w_open)
			sb_release(&run.w.sb);	/* not flushed: a run that died writes nothing more */
		flow_free(&run.flow);
		palette_map_free(&run.pm);
		stacks_free(&run.table);
		nameattr_free(&run.na);
	}
	free(run.c.sto.base);
	memset(&run, 0, sizeof(run));
}

/* Every input into one table of distinct stacks: regular files mapped, the rest read. */
static void read_input(struct stack_table *t, const struct config *c)
{
	t->budget = c->sto.flamechart ? 0 : c->buffer_size;	/* a flame chart keeps the input order */
	for (int i = 0; i < c->nfiles; i++) {
		const char *path = c->files[i];
		if (strcmp(path, "-") != 0 && stacks_read_file(t, path, &c->sto) == 0)
			continue;
		reader_open_or_die(&run.in, path);
		run.in_open = 1;
		stacks_read(t, &run.in, &c->sto);
		run.in_open = 0;
		reader_close(&run.in);
	}
	input_warn_summary();
	if (t->ignored)
		warn("ignored %llu line%s with invalid format", (unsigned long long)t->ignored,
		     t->ignored == 1 ? "" : "s");
}

/* Order the stacks, merge them into frames and write the graph. Returns the exit status. */
static int draw(struct config *c, struct stack_table *t, struct writer *w)
{
	struct svg_options *so = &c->so;
	if (!(t->total > 0)) {
		warn("ERROR: no stack counts found");
		svg_write_error(w, so, "ERROR: No valid input provided to flame-render.");
		return 2;
	}
	stacks_order(t, &c->sto);
	double timemax = t->total;
	if (c->total >= t->total)
		timemax = c->total;
	else if (c->total > 0 && c->total / t->total > 0.02)
		warn("--total %g is less than the actual total %g, so it is ignored", c->total, t->total);
	double minwidth_time = c->minwidth_percent ? timemax * c->minwidth / 100
						   : c->minwidth / ((so->width - 2 * SVG_XPAD) / timemax);

	struct flow *flow = &run.flow;
	flow->collect_spans = 1;
	stack_iter_init(&run.it, t, &c->sto);
	run.it_open = 1;
	flow_merge(flow, &run.it, minwidth_time);
	run.it_open = 0;
	stack_iter_free(&run.it);
	if (c->sort_by_size)
		flow_sort_by_size(flow);
	so->differential = t->differential;
	double maxdelta = so->diff_inclusive ? inclusive_maxdelta(flow) : t->maxdelta;

	if (c->palette_map) {
		palette_map_read(&run.pm, "palette.map");
		so->palette_map = &run.pm;
	}
	svg_write(w, so, flow, timemax, maxdelta);
	if (c->palette_map)
		palette_map_write(&run.pm, "palette.map");
	return 0;
}

/* A "# units: U" line (flame-collapse --units) names what the counts are, unless --countname did:
 * ns shows them as time, samples or an event's name (cycles) becomes the count's name. */
static void use_units(struct config *c, const struct stack_table *t)
{
	if (c->countname_given || !t->units[0])
		return;
	if (t->units_mixed) {
		warn("the inputs' \"# units:\" lines disagree: counts shown as %s", c->so.countname);
		return;
	}
	if (strcmp(t->units, "ns") == 0)
		c->so.time_ns = 1;
	else
		c->so.countname = t->units;
}

int render_main(int argc, char **argv)
{
	prog_init("flame-render", argv);
	input_warn_reset();
	render_cleanup();
	struct config *c = &run.c;
	int status = parse_options(c, argc, argv);
	if (status >= 0)
		return status;
	run.na = (struct nameattr){ INTERNER_INIT, NULL, 0 };
	run.table = (struct stack_table){ .scratch = STRBUF_INIT, .chain_scratch = STRBUF_INIT };
	run.pm = (struct palette_map){ INTERNER_INIT, NULL, 0 };
	run.ready = 1;
	if (c->nameattr_path) {
		nameattr_read(&run.na, c->nameattr_path);
		c->so.nameattr = &run.na;
	}
	read_input(&run.table, c);
	use_units(c, &run.table);

	writer_init(&run.w, 1, "<stdout>");
	run.w_open = 1;
	status = c->pprof ? pprof_write(&run.w, &run.table, &c->sto, c->so.countname) : draw(c, &run.table, &run.w);
	run.w_open = 0;
	writer_close(&run.w);
	render_cleanup();
	return status;
}
