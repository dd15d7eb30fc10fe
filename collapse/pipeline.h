/*
 * pipeline: the input cut into blocks at sample boundaries and folded by worker threads, each
 * into its own folder. Results are kept per block, in input order, for file:line warnings; with
 * --no-aggregate the blocks' samples are written in order as soon as they are folded.
 */
#ifndef FLAME_COLLAPSE_PIPELINE_H
#define FLAME_COLLAPSE_PIPELINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "fold.h"
#include "reader.h"
#include "writer.h"

/* The blocks of one input file, in order. */
struct input_chunks {
	const char *name;
	struct chunk_result **results;
	size_t count, cap;
};

struct job;
struct worker;

struct pipeline {
	const struct collapse_options *opt;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct job *queue, *queue_tail;	/* blocks to fold, in input order */
	struct job *spare;		/* folded blocks whose buffers can be reused */
	size_t in_flight, max_in_flight;
	int done;
	struct worker *workers;
	int nworkers;
	/* --no-aggregate: every block so far, and how many have been written */
	struct writer *out;
	struct chunk_result **timeline;
	size_t timeline_count, timeline_cap, timeline_written;
	const char *keep_event;		/* --event-filter, or the first event seen */
	uint64_t dropped;		/* samples of other events */
};

void pipeline_start(struct pipeline *p, int threads, const struct collapse_options *opt, struct writer *out);
/* Read all of r, handing its blocks to the workers; their results go to in. */
void pipeline_feed(struct pipeline *p, struct reader *r, struct input_chunks *in);
/* Wait for the workers; with --no-aggregate, write what is left. */
void pipeline_finish(struct pipeline *p);
/* After pipeline_finish: the workers' folders, for fold_merge. */
const struct folder *pipeline_folder(const struct pipeline *p, int i);

#endif
