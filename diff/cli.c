/*
 * cli: flame-diff's whole program, callable in-process (the fuzz target runs it).
 * flame-diff: two folded profiles in, "stack before after" lines out, as difffolded.pl; or a
 * report of the frames whose share changed most, and a gate for CI (--fail-above).
 *
 * Both inputs go into one table (stack -> counts of both sides). Lines are written sorted by
 * stack, so the output is deterministic where the Perl's follows its hash order.
 * Exit status: 0, 1 when the gate finds a regression, 2 on usage or input errors.
 */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "reader.h"
#include "report.h"
#include "table.h"
#include "util.h"
#include "writer.h"

#define DEFAULT_TOP 20

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: flame-diff [options] BEFORE AFTER\n"
"Compare two folded profiles (\"-\" is standard input, for one of them). Writes\n"
"\"stack before after\" lines for flame-render (flame-diff a b | flame-render > diff.svg),\n"
"or with --report a table of the frames whose share of the total changed most.\n"
"\n"
"  -n, --normalize      scale BEFORE's counts to AFTER's total\n"
"  -s, --strip-hex      rewrite hex addresses (0x7f3a..) as 0x... so moved code matches\n"
"  -r, --report         print the frames whose share changed most instead of the lines\n"
"      --top=N          rows of the report (default 20; 0 = every frame)\n"
"      --json           the report (and the gate's result) as JSON\n"
"      --fail-above=PCT exit 1 if a frame's inclusive share grew by more than PCT points\n"
"      --frame=REGEX    gate only frames matching REGEX (extended regex); repeatable\n"
"      --max-line=SIZE  skip lines longer than SIZE bytes (default 64M; K, M, G suffixes)\n"
"  -q, --quiet          no per-line warnings (a one-line summary remains)\n"
"  -h, --help           show this help\n"
"      --version        show the version\n"
"\n"
"Exit status: 0; 1 when --fail-above finds a regression; 2 on usage or input errors.\n");
	exit_stdout(status);
}

/* A side with lines but no stack in them is not a folded file (a perf script file, say). */
static void check_side(const struct side *s)
{
	if (s->malformed && !s->stacks_read)
		die("%s: no folded stack in %llu line%s: not a folded file (\"stack COUNT\" lines)", s->name,
		    (unsigned long long)s->lines, s->lines == 1 ? "" : "s");
}

/* What a run holds, kept here so diff_cleanup can free it after a die() that returned. */
static struct {
	struct gate gate;
	size_t re_cap, src_cap;
	struct reader in[2];
	int nopen;
	struct diff_table table;
	int table_ready;
	struct report rep;
	int rep_ready;
} run;

void diff_cleanup(void)
{
	for (int i = 0; i < run.nopen; i++)
		reader_close(&run.in[i]);
	if (run.table_ready)
		table_free(&run.table);
	if (run.rep_ready)
		report_free(&run.rep);
	for (size_t i = 0; i < run.gate.nframe_re; i++)
		regfree(&run.gate.frame_re[i]);
	free(run.gate.frame_re);
	free(run.gate.frame_src);
	free(run.gate.matched);
	free(run.gate.failed);
	memset(&run, 0, sizeof(run));
}

int diff_main(int argc, char **argv)
{
	prog_init("flame-diff", argv);
	optind = 0;	/* getopt starts afresh (diff_main may run more than once in a process) */
	input_warn_reset();
	reader_max_line = READER_MAX_LINE_DEFAULT;
	diff_cleanup();
	int normalize = 0, hex = 0, report = 0, json = 0, gate_on = 0;
	int top_given = 0;
	uint64_t top = DEFAULT_TOP;
	struct gate *gate = &run.gate;
	struct reader *in = run.in;
	struct diff_table *table = &run.table;
	struct report *rep = &run.rep;

	enum { OPT_TOP = 256, OPT_JSON, OPT_FAIL_ABOVE, OPT_FRAME, OPT_MAX_LINE, OPT_VERSION };
	static const struct option longopts[] = {
		{ "normalize", no_argument, NULL, 'n' },
		{ "strip-hex", no_argument, NULL, 's' },
		{ "report", no_argument, NULL, 'r' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "fail-above", required_argument, NULL, OPT_FAIL_ABOVE },
		{ "frame", required_argument, NULL, OPT_FRAME },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "nsrqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': normalize = 1; break;
		case 's': hex = 1; break;
		case 'r': report = 1; break;
		case OPT_TOP:
			if (parse_u64(optarg, &top))
				die("--top takes a number of rows (0 for all), not '%s'", optarg);
			top_given = 1;
			break;
		case OPT_JSON: json = 1; break;
		case OPT_FAIL_ABOVE:
			if (parse_double(optarg, &gate->fail_above) || gate->fail_above < 0)
				die("--fail-above takes percentage points (a number >= 0), not '%s'", optarg);
			gate_on = 1;
			break;
		case OPT_FRAME: {
			GROW(gate->frame_re, run.re_cap, gate->nframe_re + 1);
			GROW(gate->frame_src, run.src_cap, gate->nframe_re + 1);
			int e = regcomp(&gate->frame_re[gate->nframe_re], optarg, REG_EXTENDED | REG_NOSUB);
			if (e) {
				char msg[256];
				regerror(e, &gate->frame_re[gate->nframe_re], msg, sizeof(msg));
				die("--frame '%s': %s", optarg, msg);
			}
			gate->frame_src[gate->nframe_re++] = optarg;
			break;
		}
		case OPT_MAX_LINE: reader_set_max_line(optarg); break;
		case 'q': input_warn_quiet = 1; break;
		case 'h': usage(0); break;
		case OPT_VERSION: printf("flame-diff %s\n", FLAME_VERSION); exit_stdout(0);
		default: usage(2);
		}
	}
	if (argc - optind != 2) {
		warn(argc - optind < 2 ? "two inputs needed: BEFORE and AFTER" : "too many inputs: only BEFORE and AFTER");
		usage(2);
	}
	if (json)
		report = 1;
	if (top_given && !report)
		die("--top applies to --report and --json");
	if (gate->nframe_re && !gate_on)
		die("--frame limits the --fail-above gate; give --fail-above too");
	const char *path[2] = { argv[optind], argv[optind + 1] };
	if (!strcmp(path[BEFORE], "-") && !strcmp(path[AFTER], "-"))
		die("only one input can be standard input (\"-\")");

	/* Open both inputs first, so a missing file fails before any work. */
	for (int side = 0; side < 2; side++) {
		reader_open_or_die(&in[side], path[side]);
		run.nopen++;
	}

	table_init(table, hex);
	run.table_ready = 1;
	for (int side = 0; side < 2; side++) {
		table_read(table, side, &in[side]);
		reader_close(&in[side]);	/* (again in diff_cleanup: harmless) */
	}
	input_warn_summary();
	uint64_t bad = table->side[BEFORE].malformed + table->side[AFTER].malformed;
	uint64_t longer = in[BEFORE].skipped_lines + in[AFTER].skipped_lines;
	if (bad)
		warn("skipped %llu malformed line%s", (unsigned long long)bad, bad == 1 ? "" : "s");
	if (longer)
		warn("skipped %llu line%s longer than %zu bytes", (unsigned long long)longer,
		     longer == 1 ? "" : "s", reader_max_line);
	check_side(&table->side[BEFORE]);
	check_side(&table->side[AFTER]);
	if (gate_on)
		for (int side = 0; side < 2; side++)
			if (table->side[side].total_value <= 0)
				die("%s: no samples (total 0): nothing to compare against", table->side[side].name);

	if (report || gate_on) {
		report_build(rep, table);
		run.rep_ready = 1;
		if (gate_on) {
			gate_check(gate, rep);
			/* A --frame that matches nothing is likely a typo or a renamed function: a gate
			 * that silently checks nothing would pass forever. */
			for (size_t i = 0; i < gate->nframe_re; i++)
				if (!gate->matched[i])
					warn("--frame '%s' matches no frame of either profile", gate->frame_src[i]);
			if (!gate->ngated)
				die("the gate has no frame to check");
		}
	}

	struct writer out;
	writer_init(&out, 1, "<stdout>");
	if (json) {
		report_write_json(rep, top, gate_on ? gate : NULL, &out);
	} else if (report) {
		report_write_text(rep, top, &out);
	} else {
		if (normalize && table_normalize(table) != 0)
			warn("-n: %s has a total of 0; its counts are left as they are", table->side[BEFORE].name);
		table_write(table, &out);
	}
	writer_close(&out);

	int status = 0;
	if (gate_on && gate->nfailed) {
		gate_print_failures(gate, rep);
		status = 1;
	}
	diff_cleanup();
	return status;
}
