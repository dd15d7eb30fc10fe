/*
 * flame-collapse: `perf script` text in, folded stacks out, as stackcollapse-perf.pl.
 *
 * The input is cut into blocks at blank lines (sample boundaries); worker threads fold blocks
 * into their own tables, which are merged, sorted and written at the end. Memory grows with the
 * number of distinct stacks and frames, not with the input.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "reader.h"
#include "util.h"
#include "writer.h"

#define BLOCK_SIZE (4u << 20)
#define MAX_PRINTED_WARNINGS 100

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
"  --event-filter=EVENT keep samples of EVENT only (default: the first event in the input)\n"
"  --skip-after=FUNC    drop the callers of FUNC (and the process frame); repeatable\n"
"  --srcline            input is from `perf script -F+srcline`: append file:line to frames\n"
"  --no-aggregate       one line per sample, in input (time) order, for flame-render --flamechart\n"
"  --collapse-recursion fold direct recursion (f;f;f) into one frame\n"
"  -j, --threads=N      fold with N threads (default: the number of online CPUs)\n"
"  -q, --quiet          no per-line warnings or notes (a one-line summary remains)\n"
"  -h, --help           show this help\n"
"      --version        show the version\n");
	exit(status);
}

/* A block of input waiting for, or being folded by, a worker. */
struct job {
	struct block block;
	struct chunk_result *result;
	struct job *next;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct job *queue, *queue_tail;	/* blocks to fold, in input order */
	struct job *spare;		/* folded blocks whose buffers can be reused */
	size_t in_flight, max_in_flight;
	int done;
};

struct worker {
	pthread_t thread;
	struct pool *pool;
	struct folder folder;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->queue && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		struct job *j = p->queue;
		if (!j)
			break;
		p->queue = j->next;
		if (!p->queue)
			p->queue_tail = NULL;
		pthread_mutex_unlock(&p->lock);

		folder_run(&w->folder, j->block.data, j->block.len, j->result);

		pthread_mutex_lock(&p->lock);
		j->result->done = 1;
		j->next = p->spare;
		p->spare = j;
		p->in_flight--;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* A block ends after a blank line (allowing "\r\n"), so it holds whole samples. */
static size_t cut_after_blank_line(const char *data, size_t len)
{
	for (size_t i = len; i >= 2; i--) {
		if (data[i - 1] != '\n')
			continue;
		if (data[i - 2] == '\n' || (i >= 3 && data[i - 2] == '\r' && data[i - 3] == '\n'))
			return i;
	}
	return 0;
}

struct input_chunks {
	const char *name;
	struct chunk_result **results;
	size_t count, cap;
};

/*
 * --no-aggregate output streams: every chunk folded so far, in input order, is written as soon
 * as the chunks before it are. The first event seen decides which samples are kept.
 */
struct timeline {
	struct chunk_result **chunks;
	size_t count, cap, written;
	const char *keep_event;
	int event_known;	/* --event-filter given, or the first event seen */
	uint64_t dropped;
};

static void timeline_flush(struct timeline *t, struct pool *p, struct writer *out)
{
	for (;;) {
		pthread_mutex_lock(&p->lock);
		int ready = t->written < t->count && t->chunks[t->written]->done;
		pthread_mutex_unlock(&p->lock);
		if (!ready)
			return;
		struct chunk_result *r = t->chunks[t->written++];
		if (!t->event_known && r->first_event) {
			t->keep_event = r->first_event;
			t->event_known = 1;
		}
		t->dropped += fold_write_timeline(r, t->keep_event, out);
		sb_release(&r->timeline);
	}
}

int main(int argc, char **argv)
{
	progname = "flame-collapse";
	struct collapse_options opt = { 0 };
	int threads = 0, quiet = 0;
	const char **skip = NULL;
	size_t skip_cap = 0;

	enum { OPT_PID = 256, OPT_TID, OPT_KERNEL, OPT_JIT, OPT_ALL, OPT_ADDRS, OPT_EVENT,
	       OPT_SKIP_AFTER, OPT_SRCLINE, OPT_NO_AGGREGATE, OPT_COLLAPSE_RECURSION, OPT_VERSION };
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
		{ "threads", required_argument, NULL, 'j' },
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
			opt.event_filter = optarg;
			break;
		case OPT_SKIP_AFTER:
			GROW(skip, skip_cap, opt.nskip_after + 1);
			skip[opt.nskip_after++] = optarg;
			break;
		case OPT_SRCLINE: opt.srcline = 1; break;
		case OPT_NO_AGGREGATE: opt.no_aggregate = 1; break;
		case OPT_COLLAPSE_RECURSION: opt.collapse_recursion = 1; break;
		case 'j': {
			uint64_t n;
			if (parse_u64(optarg, &n) || n < 1 || n > 1024)
				die("--threads takes a number from 1 to 1024, not '%s'", optarg);
			threads = (int)n;
			break;
		}
		case 'q': quiet = 1; break;
		case 'h': usage(0); break;
		case OPT_VERSION: printf("flame-collapse %s\n", FLAME_VERSION); return 0;
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
		if (reader_open(&readers[i], path) != 0)
			die("cannot open %s: %s", path, strerror(errno));
	}

	/* Fold: the main thread reads blocks, the workers fold them. */
	struct pool pool = { .max_in_flight = (size_t)threads * 2 + 1 };
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.changed, NULL);
	struct worker *workers = xcalloc((size_t)threads, sizeof(*workers));
	for (int i = 0; i < threads; i++) {
		workers[i].pool = &pool;
		folder_init(&workers[i].folder, &opt);
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
			die("cannot start a thread");
	}
	struct writer out;
	writer_init(&out, 1, "<stdout>");
	struct timeline timeline = { .keep_event = opt.event_filter, .event_known = opt.event_filter != NULL };
	struct input_chunks *inputs = xcalloc((size_t)ninputs, sizeof(*inputs));
	for (int i = 0; i < ninputs; i++) {
		struct input_chunks *in = &inputs[i];
		in->name = readers[i].name;
		for (;;) {
			pthread_mutex_lock(&pool.lock);
			while (pool.in_flight >= pool.max_in_flight)
				pthread_cond_wait(&pool.changed, &pool.lock);
			struct job *j = pool.spare;
			if (j)
				pool.spare = j->next;
			pthread_mutex_unlock(&pool.lock);
			if (!j)
				j = xcalloc(1, sizeof(*j));
			if (!reader_block(&readers[i], &j->block, BLOCK_SIZE, cut_after_blank_line)) {
				pthread_mutex_lock(&pool.lock);
				j->next = pool.spare;
				pool.spare = j;
				pthread_mutex_unlock(&pool.lock);
				break;
			}
			j->result = xcalloc(1, sizeof(*j->result));
			GROW(in->results, in->cap, in->count + 1);
			in->results[in->count++] = j->result;
			if (opt.no_aggregate) {
				GROW(timeline.chunks, timeline.cap, timeline.count + 1);
				timeline.chunks[timeline.count++] = j->result;
				timeline_flush(&timeline, &pool, &out);
			}
			j->next = NULL;
			pthread_mutex_lock(&pool.lock);
			if (pool.queue_tail)
				pool.queue_tail->next = j;
			else
				pool.queue = j;
			pool.queue_tail = j;
			pool.in_flight++;
			pthread_cond_broadcast(&pool.changed);
			pthread_mutex_unlock(&pool.lock);
		}
		reader_close(&readers[i]);
	}
	pthread_mutex_lock(&pool.lock);
	pool.done = 1;
	pthread_cond_broadcast(&pool.changed);
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < threads; i++)
		pthread_join(workers[i].thread, NULL);

	/* Report problems in input order, with file:line. */
	uint64_t bad = 0, samples = 0, content = 0, shown = 0;
	const char *first_event = opt.event_filter;
	for (int i = 0; i < ninputs; i++) {
		uint64_t base = 0;
		for (size_t k = 0; k < inputs[i].count; k++) {
			struct chunk_result *r = inputs[i].results[k];
			bad += r->bad_lines;
			samples += r->samples;
			content += r->content_lines;
			if (!first_event && r->first_event)
				first_event = r->first_event;
			for (size_t w = 0; w < r->nwarnings && !quiet && shown < MAX_PRINTED_WARNINGS; w++, shown++)
				warn_at(inputs[i].name, base + r->warnings[w].line, "%s", r->warnings[w].message);
			base += r->lines;
		}
	}
	if (content && !samples)
		die_with(1, "%s does not look like `perf script` output: no sample header in %llu line%s",
			 ninputs == 1 ? inputs[0].name : "the input", (unsigned long long)content,
			 content == 1 ? "" : "s");

	/* Merge, sort, write; or write what is left of the timeline. */
	uint64_t dropped;
	if (opt.no_aggregate) {
		timeline_flush(&timeline, &pool, &out);
		dropped = timeline.dropped;
	} else {
		struct fold_total total = { 0 };
		for (int i = 0; i < threads; i++)
			fold_merge(&total, &workers[i].folder, opt.event_filter ? NULL : first_event);
		if (total.overflow)
			warn("warning: a stack's count exceeds 2^64-1 and was capped");
		fold_write(&total, &out);
		dropped = total.dropped_samples;
		fold_total_free(&total);
	}
	writer_close(&out);
	if (dropped && !quiet)
		warn("note: kept only samples of the first event, %s; others skipped (choose with --event-filter)",
		     first_event);

	if (bad)
		warn("skipped %llu unrecognized line%s%s", (unsigned long long)bad, bad == 1 ? "" : "s",
		     !quiet && bad > shown ? " (first 100 shown)" : "");
	return 0;
}
