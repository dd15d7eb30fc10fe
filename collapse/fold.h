/*
 * fold: perf script samples -> a table of stacks and their summed counts.
 * A folder belongs to one thread and folds any number of chunks (each a run of whole samples);
 * fold_merge then combines the folders into one table of stack strings, sorted for output.
 */
#ifndef FLAME_COLLAPSE_FOLD_H
#define FLAME_COLLAPSE_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "perf.h"
#include "reader.h"
#include "strbuf.h"
#include "util.h"
#include "writer.h"

struct collapse_options {
	struct tidy_options tidy;	/* tidy.java is set per sample */
	int include_pid;
	int include_tid;
	const char *event_filter;	/* NULL: keep the first event seen */
	const char **skip_after;
	size_t nskip_after;
	int srcline;
	int collapse_recursion;	/* f;f;f -> f */
	int no_aggregate;	/* one line per sample, in input order */
	int count_samples;	/* --samples: each sample counts 1, whatever its period */
};

struct fold_warning {
	uint64_t line;		/* within the chunk, from 1 */
	char *message;
};

/* What folding one chunk found, kept so warnings can be printed in input order with file:line. */
struct chunk_result {
	int done;		/* folded (set under the pool's lock) */
	uint64_t lines;
	uint64_t samples;
	uint64_t content_lines;	/* lines that are neither blank nor comments */
	uint64_t bad_lines;
	uint64_t frames, unknown_frames;	/* frame lines of kept samples; those with no symbol */
	char *first_event;	/* first event name in the chunk, or NULL */
	struct fold_warning *warnings;	/* the first few only */
	size_t nwarnings, warnings_cap;
	/* --no-aggregate: the chunk's samples in order, as records of
	 * [u32 event length][event][u32 line length]["stack count\n"] */
	struct strbuf timeline;
};

/* No more are kept per chunk than are ever printed (the rest are counted in bad_lines). */
#define FOLD_MAX_WARNINGS_PER_CHUNK WARN_CAP

/* Raw frame text -> folded text id (or FOLD_SKIP) and whether it matches --skip-after. */
struct frame_memo {
	struct interner keys;
	uint32_t *text_id;
	uint8_t *stops;		/* FRAME_STOPS | FRAME_UNKNOWN */
	size_t cap;
};

/*
 * Two levels: by the frame's text as it stands in the line ("func+0x1f (dso"), found without
 * copying; on a miss, by the symbol without its offset, so each function is tidied once.
 */
struct frame_cache {
	struct frame_memo by_line;
	struct frame_memo by_name;
};

struct folder {
	const struct collapse_options *opt;
	struct frame_cache cache[2];	/* [1] for java processes, whose names are tidied differently */
	struct interner texts;	/* folded frame texts and process names */
	struct interner events;
	struct interner stacks;	/* [event tag, process name, frames root..leaf] as uint32s */
	uint64_t *counts;
	size_t counts_cap;
	uint32_t *frames;	/* the current sample's frames, leaf first */
	size_t nframes, frames_cap;
	uint32_t *key;
	size_t key_cap;
	struct strbuf scratch, text;
	/* Consecutive samples mostly come from one thread and one event: remember the last ones. */
	struct strbuf last_thread;	/* "comm pid/tid" text as in the header */
	uint32_t last_pname;
	struct strbuf last_event;
	uint32_t last_event_tag;
	/* The last header read whole with first_try: its bytes up to tail_at, and where its comm,
	 * pid and tid lie in them (offsets), so the next header of the same thread skips that part. */
	struct strbuf last_ids;
	size_t comm_at, comm_len, pid_at, pid_len, tid_at, tid_len;
	struct chunk_result *res;	/* of the chunk being folded */
};

void folder_init(struct folder *f, const struct collapse_options *opt);
/* Fold a block of whole samples; its lines the reader left out as too long are warned about. */
void folder_run(struct folder *f, const struct block *b, struct chunk_result *res);
void folder_free(struct folder *f);

/* All folders' stacks as text, with summed counts. */
struct fold_total {
	struct interner stacks;
	uint64_t *counts;
	size_t counts_cap;
	uint64_t dropped_samples;	/* of events other than the kept one */
	int overflow;
};

/* Add f's stacks whose event is keep_event (NULL: all). */
void fold_merge(struct fold_total *t, const struct folder *f, const char *keep_event);
/* Write "stack count" lines sorted by stack, byte order. */
void fold_write(const struct fold_total *t, struct writer *w);
/* --no-aggregate: write a chunk's samples of keep_event (NULL: all); returns how many were dropped. */
uint64_t fold_write_timeline(const struct chunk_result *r, const char *keep_event, struct writer *w);
void fold_total_free(struct fold_total *t);

#endif
