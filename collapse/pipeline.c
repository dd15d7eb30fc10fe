#include "pipeline.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Blocks are large enough to amortise the hand-over, small enough to spread over the threads. */
#define BLOCK_SIZE (4u << 20)

/* A block of input waiting for, or being folded by, a worker. */
struct job {
	struct block block;
	struct chunk_result *result;
	struct job *next;
};

struct worker {
	pthread_t thread;
	struct pipeline *pipeline;
	struct folder folder;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pipeline *p = w->pipeline;
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

		folder_run(&w->folder, &j->block, j->result);

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

void pipeline_start(struct pipeline *p, int threads, const struct collapse_options *opt, struct writer *out)
{
	memset(p, 0, sizeof(*p));
	p->opt = opt;
	p->out = out;
	p->keep_event = opt->event_filter;
	p->max_in_flight = (size_t)threads * 2 + 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->workers = xcalloc((size_t)threads, sizeof(*p->workers));
	p->nworkers = threads;
	for (int i = 0; i < threads; i++) {
		p->workers[i].pipeline = p;
		folder_init(&p->workers[i].folder, opt);
		if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]) != 0)
			die("cannot start a thread");
	}
}

/* --no-aggregate: write every folded block whose predecessors are written. */
static void write_timeline(struct pipeline *p)
{
	for (;;) {
		pthread_mutex_lock(&p->lock);
		int ready = p->timeline_written < p->timeline_count && p->timeline[p->timeline_written]->done;
		pthread_mutex_unlock(&p->lock);
		if (!ready)
			return;
		struct chunk_result *r = p->timeline[p->timeline_written++];
		if (!p->keep_event && r->first_event)
			p->keep_event = r->first_event;
		p->dropped += fold_write_timeline(r, p->keep_event, p->out);
		sb_release(&r->timeline);
	}
}

static struct job *take_job(struct pipeline *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->in_flight >= p->max_in_flight)
		pthread_cond_wait(&p->changed, &p->lock);
	struct job *j = p->spare;
	if (j)
		p->spare = j->next;
	pthread_mutex_unlock(&p->lock);
	return j ? j : xcalloc(1, sizeof(*j));
}

static void queue_job(struct pipeline *p, struct job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->queue_tail)
		p->queue_tail->next = j;
	else
		p->queue = j;
	p->queue_tail = j;
	p->in_flight++;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

void pipeline_feed(struct pipeline *p, struct reader *r, struct input_chunks *in)
{
	in->name = r->name;
	for (;;) {
		struct job *j = take_job(p);
		if (!reader_block(r, &j->block, BLOCK_SIZE, cut_after_blank_line)) {
			pthread_mutex_lock(&p->lock);
			j->next = p->spare;
			p->spare = j;
			pthread_mutex_unlock(&p->lock);
			return;
		}
		j->result = xcalloc(1, sizeof(*j->result));
		sb_init(&j->result->timeline);
		GROW(in->results, in->cap, in->count + 1);
		in->results[in->count++] = j->result;
		if (p->opt->no_aggregate) {
			GROW(p->timeline, p->timeline_cap, p->timeline_count + 1);
			p->timeline[p->timeline_count++] = j->result;
			write_timeline(p);
		}
		queue_job(p, j);
	}
}

void pipeline_finish(struct pipeline *p)
{
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i].thread, NULL);
	if (p->opt->no_aggregate)
		write_timeline(p);
}

const struct folder *pipeline_folder(const struct pipeline *p, int i)
{
	return &p->workers[i].folder;
}
