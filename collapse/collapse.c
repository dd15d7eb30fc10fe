/*
 * flame-collapse: `perf script` text in, folded stacks out, as stackcollapse-perf.pl.
 *
 * The input is cut into blocks at blank lines (sample boundaries); worker threads fold blocks
 * into their own tables (pipeline.c), which are merged, sorted and written at the end. Memory
 * grows with the number of distinct stacks and frames, not with the input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "pipeline.h"
#include "reader.h"
#include "util.h"
#include "writer.h"

/* Events whose periods are nanoseconds: perf's software clocks and flame-record's off-CPU time. */
static int time_event(const char *name, size_t len)
{
	static const char *const names[] = { "cpu-clock", "task-clock", "offcpu-time" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return 1;
	return 0;
}

/* --units: what the counts are, from --samples and the kept events (a comma list or one name);
 * NULL when they mix units (a time event and another, or two other events). */
static const char *counts_unit(const struct collapse_options *opt, const char *events, struct strbuf *sb)
{
	if (opt->count_samples)
		return "samples";
	if (!events)	/* headers without an event name have no period either: 1 each */
		return "samples";
	int time = 0, other = 0;
	for (const char *p = events; *p;) {
		size_t len = strcspn(p, ",");
		size_t base = strcspn(p, ",:");	/* "cycles:u" is cycles */
		if (time_event(p, base < len ? base : len))
			time++;
		else
			other++;
		p += len + (p[len] == ',');
	}
	if (time && !other)
		return "ns";
	if (other != 1 || time)
		return NULL;
	sb_reset(sb);
	sb_add(sb, events, strcspn(events, ",:"));
	for (size_t i = 0; i < sb->len; i++)	/* one word on a line of its own */
		if ((unsigned char)sb->buf[i] <= ' ')
			return NULL;
	return sb->len ? sb->buf : NULL;
}

static void write_units(struct writer *out, const char *unit)
{
	struct strbuf line = STRBUF_INIT;
	sb_adds(&line, "# units: ");
	sb_adds(&line, unit);
	sb_addc(&line, '\n');
	writer_add(out, line.buf, line.len);
	sb_release(&line);
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: flame-collapse [options] [FILE...]\n"
"Fold `perf script` output into one line per distinct stack: \"comm;frame;...;leaf count\".\n"
"Reads the FILEs in order, or standard input (also as \"-\").\n"
"\n"
"  --pid                include the process id in the process frame (comm-PID)\n"
"  --tid                include process and thread ids (comm-PID/TID)\n"
"  --kernel             annotate kernel frames with _[k]\n"
"  --jit                annotate JIT frames (/tmp/perf-PID.map, jitted-*.so) with _[j]\n"
"  --all                --kernel and --jit\n"
"  --addrs              show the address of frames with no symbol: [dso <addr>]\n"
"  --event-filter=EVENT[,EVENT...] keep samples of these events only (default: the first\n"
"                       event in the input); cpu-clock,offcpu-time folds a wall-clock graph\n"
"  --skip-after=FUNC    drop the callers of FUNC (and the process frame); repeatable\n"
"  --srcline            input is from `perf script -F+srcline`: append file:line to frames\n"
"  --no-aggregate       one line per sample, in input (time) order, for flame-render --flamechart\n"
"  --collapse-recursion fold direct recursion (f;f;f) into one frame\n"
"  --samples            count samples: each counts 1 (default: its period, as the Perl, which\n"
"                       for cpu-clock, task-clock and offcpu-time is nanoseconds)\n"
"  --units              first line \"# units: U\": ns (time events), samples (--samples) or the\n"
"                       event's name, for flame-render to label the counts truly\n"
"  -j, --threads=N      fold with N threads (default: the number of online CPUs)\n"
"      --max-line=SIZE  skip lines longer than SIZE bytes (default 64M; K, M, G suffixes)\n"
"  -q, --quiet          no per-line warnings or notes (a one-line summary remains)\n"
"  -h, --help           show this help\n"
"      --version        show the version\n");
	exit_stdout(status);
}

/* Warnings in input order with file:line, and what the input held. */
struct input_summary {
	uint64_t bad_lines, samples, content_lines, frames, unknown_frames;
	const char *first_event;
};

static struct input_summary summarize(const struct input_chunks *inputs, int ninputs)
{
	struct input_summary s = { 0 };
	for (int i = 0; i < ninputs; i++) {
		for (size_t k = 0; k < inputs[i].count; k++) {
			const struct chunk_result *r = inputs[i].results[k];
			s.bad_lines += r->bad_lines;
			s.samples += r->samples;
			s.content_lines += r->content_lines;
			s.frames += r->frames;
			s.unknown_frames += r->unknown_frames;
			if (!s.first_event && r->first_event)
				s.first_event = r->first_event;
		}
	}
	return s;
}

/* The warnings, in input order, with file:line: the first WARN_CAP are printed, all are counted. */
static void show_warnings(const struct input_chunks *inputs, int ninputs)
{
	for (int i = 0; i < ninputs; i++) {
		uint64_t base = 0;	/* lines before this block in its file */
		for (size_t k = 0; k < inputs[i].count; k++) {
			const struct chunk_result *r = inputs[i].results[k];
			for (size_t w = 0; w < r->nwarnings; w++)
				input_warn(inputs[i].name, base + r->warnings[w].line, "%s", r->warnings[w].message);
			input_warn_held(r->bad_lines - r->nwarnings);
			base += r->lines;
		}
	}
}

int main(int argc, char **argv)
{
	prog_init("flame-collapse", argv);
	struct collapse_options opt = { 0 };
	int threads = 0;
	const char **skip = NULL;
	size_t skip_cap = 0;

	enum { OPT_PID = 256, OPT_TID, OPT_KERNEL, OPT_JIT, OPT_ALL, OPT_ADDRS, OPT_EVENT,
	       OPT_SKIP_AFTER, OPT_SRCLINE, OPT_NO_AGGREGATE, OPT_COLLAPSE_RECURSION, OPT_MAX_LINE,
	       OPT_SAMPLES, OPT_UNITS, OPT_VERSION };
	int units = 0;
	static const struct option longopts[] = {
		{ "pid", no_argument, NULL, OPT_PID },
		{ "tid", no_argument, NULL, OPT_TID },
		{ "kernel", no_argument, NULL, OPT_KERNEL },
		{ "jit", no_argument, NULL, OPT_JIT },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "addrs", no_argument, NULL, OPT_ADDRS },
		{ "event-filter", required_argument, NULL, OPT_EVENT },
		{ "skip-after", required_argument, NULL, OPT_SKIP_AFTER },
		{ "srcline", no_argument, NULL, OPT_SRCLINE },
		{ "no-aggregate", no_argument, NULL, OPT_NO_AGGREGATE },
		{ "collapse-recursion", no_argument, NULL, OPT_COLLAPSE_RECURSION },
		{ "samples", no_argument, NULL, OPT_SAMPLES },
		{ "units", no_argument, NULL, OPT_UNITS },
		{ "threads", required_argument, NULL, 'j' },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PID: opt.include_pid = 1; break;
		case OPT_TID: opt.include_tid = 1; break;
		case OPT_KERNEL: opt.tidy.annotate_kernel = 1; break;
		case OPT_JIT: opt.tidy.annotate_jit = 1; break;
		case OPT_ALL: opt.tidy.annotate_kernel = opt.tidy.annotate_jit = 1; break;
		case OPT_ADDRS: opt.tidy.include_addrs = 1; break;
		case OPT_EVENT:
			if (!*optarg)
				die("--event-filter needs an event name");
			if (optarg[0] == ',' || optarg[strlen(optarg) - 1] == ',' || strstr(optarg, ",,"))
				die("--event-filter=%s: an empty name in the list (EVENT[,EVENT...])", optarg);
			opt.event_filter = optarg;
			break;
		case OPT_SKIP_AFTER:
			GROW(skip, skip_cap, opt.nskip_after + 1);
			skip[opt.nskip_after++] = optarg;
			break;
		case OPT_SRCLINE: opt.srcline = 1; break;
		case OPT_NO_AGGREGATE: opt.no_aggregate = 1; break;
		case OPT_COLLAPSE_RECURSION: opt.collapse_recursion = 1; break;
		case OPT_SAMPLES: opt.count_samples = 1; break;
		case OPT_UNITS: units = 1; break;
		case 'j': {
			uint64_t n;
			if (parse_u64(optarg, &n) || n < 1 || n > 1024)
				die("--threads takes a number from 1 to 1024, not '%s'", optarg);
			threads = (int)n;
			break;
		}
		case OPT_MAX_LINE: reader_set_max_line(optarg); break;
		case 'q': input_warn_quiet = 1; break;
		case 'h': usage(0); break;
		case OPT_VERSION: printf("flame-collapse %s\n", FLAME_VERSION); exit_stdout(0);
		default: usage(2);
		}
	}
	opt.skip_after = skip;
	if (!threads)
		threads = online_cpus();

	/* Open every input first, so a missing file fails before any work. */
	int ninputs = argc - optind > 0 ? argc - optind : 1;
	struct reader *readers = xcalloc((size_t)ninputs, sizeof(*readers));
	for (int i = 0; i < ninputs; i++) {
		const char *path = optind < argc ? argv[optind + i] : "-";
		reader_open_or_die(&readers[i], path);
	}

	/* Fold: this thread reads blocks, the workers fold them. */
	struct writer out;
	writer_init(&out, 1, "<stdout>");
	struct strbuf unit_name = STRBUF_INIT;
	const char *unit = NULL;
	if (units && opt.no_aggregate) {
		/* Lines are written as they are folded: the unit must be known before the first. */
		if (opt.event_filter || opt.count_samples)
			unit = counts_unit(&opt, opt.event_filter, &unit_name);
		if (unit)
			write_units(&out, unit);
		else
			warn("--units with --no-aggregate needs --samples or --event-filter: no units line written");
	}
	struct pipeline pipeline;
	pipeline_start(&pipeline, threads, &opt, &out);
	struct input_chunks *inputs = xcalloc((size_t)ninputs, sizeof(*inputs));
	for (int i = 0; i < ninputs; i++) {
		pipeline_feed(&pipeline, &readers[i], &inputs[i]);
		reader_close(&readers[i]);
	}
	pipeline_finish(&pipeline);

	/* Text without a single sample is not perf script output: one error, not a warning a line. */
	struct input_summary sum = summarize(inputs, ninputs);
	if (sum.content_lines && !sum.samples)
		die_with(1, "%s does not look like `perf script` output: no sample header in %llu line%s",
			 ninputs == 1 ? inputs[0].name : "the input", (unsigned long long)sum.content_lines,
			 sum.content_lines == 1 ? "" : "s");
	if (!sum.samples)	/* still a success: an empty input folds to an empty output */
		warn("%s: no samples read (the input is empty or holds only comments and blank lines)",
		     ninputs == 1 ? inputs[0].name : "the input");
	show_warnings(inputs, ninputs);
	input_warn_summary();
	const char *kept_event = opt.event_filter ? opt.event_filter : sum.first_event;

	/* Merge, sort, write (--no-aggregate wrote as it went). */
	uint64_t dropped = pipeline.dropped;
	if (!opt.no_aggregate) {
		struct fold_total total = { 0 };
		for (int i = 0; i < threads; i++)
			fold_merge(&total, pipeline_folder(&pipeline, i), opt.event_filter ? NULL : kept_event);
		if (total.overflow)
			warn("warning: a stack's count exceeds 2^64-1 and was capped");
		if (units && sum.samples) {
			unit = counts_unit(&opt, kept_event, &unit_name);
			if (unit)
				write_units(&out, unit);
			else
				warn("--units: the kept events (%s) count in different units: no units line written",
				     kept_event);
		}
		fold_write(&total, &out);
		dropped = total.dropped_samples;
		fold_total_free(&total);
	}
	writer_close(&out);
	sb_release(&unit_name);

	if (dropped && !input_warn_quiet)
		warn("note: kept only samples of the first event, %s; others skipped (choose with --event-filter)",
		     kept_event);
	/* Stacks cut short (a small dwarf stack copy, code without frame pointers) or symbols missing
	 * show as [unknown] frames: say so once, when they are a noticeable share. */
	if (!input_warn_quiet && sum.unknown_frames >= 10 && sum.unknown_frames * 10 >= sum.frames) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		sb_add_u64_grouped(&a, sum.unknown_frames);
		sb_add_u64_grouped(&b, sum.frames);
		warn("note: %.1f%% of the frames (%s of %s) are [unknown]: stacks unwound short or symbols "
		     "missing; record with --call-graph dwarf (a bigger SIZE if already), build with "
		     "-fno-omit-frame-pointer, or install debug symbols",
		     100.0 * (double)sum.unknown_frames / (double)sum.frames, a.buf, b.buf);
		sb_release(&a);
		sb_release(&b);
	}
	if (sum.bad_lines)
		warn("skipped %llu unrecognized line%s", (unsigned long long)sum.bad_lines,
		     sum.bad_lines == 1 ? "" : "s");
	return 0;
}
