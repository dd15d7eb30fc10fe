/*
 * report: how each frame's share of its profile changed, for --report, --json and the
 * --fail-above gate. A frame is a function name, aggregated over every position it has in
 * every stack: its inclusive count is the sum of the stacks that contain it (once per stack,
 * however often it recurses), its self count the sum of the stacks it ends. Shares are
 * percentages of each side's own total, so they do not depend on -n.
 */
#ifndef FLAME_DIFF_REPORT_H
#define FLAME_DIFF_REPORT_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "table.h"
#include "writer.h"

struct frame_share {
	double incl_count[2], self_count[2];
	double incl[2], self[2];	/* percent of the side's total */
	double incl_delta, self_delta;	/* after - before, in percentage points */
};

struct report {
	struct interner frames;	/* frame name -> id */
	struct frame_share *share;	/* by frame id */
	size_t cap;
	uint32_t *ranked;	/* frame ids, largest change first */
	const struct diff_table *table;
};

struct gate {
	double fail_above;	/* points */
	regex_t *frame_re;	/* --frame: any of them must match; none given = every frame */
	size_t nframe_re;
	const char **frame_src;	/* the --frame texts, for messages and the JSON */
	int *matched;		/* per --frame: it matched at least one frame */
	size_t ngated;		/* frames the gate looked at */
	uint32_t *failed;	/* frame ids over the limit, largest growth first */
	size_t nfailed;
};

/* Shares from the table's raw (not normalized) counts, and the frames ranked. */
void report_build(struct report *rep, const struct diff_table *t);
static inline size_t report_frames(const struct report *rep)
{
	return rep->frames.count;
}
/* Fill g->failed with the (selected) frames whose inclusive share grew by more than g->fail_above. */
void gate_check(struct gate *g, const struct report *rep);
/* The table of --report: the top rows (all when top is 0). */
void report_write_text(const struct report *rep, size_t top, struct writer *out);
/* The same as one JSON object, with the gate's result when g is not NULL. */
void report_write_json(const struct report *rep, size_t top, const struct gate *g, struct writer *out);
/* One stderr line per frame over the limit. */
void gate_print_failures(const struct gate *g, const struct report *rep);
void report_free(struct report *rep);

/* JSON string body: escapes, control characters as \u00XX, invalid UTF-8 as U+FFFD. */
void json_add_string(struct strbuf *sb, const char *s, size_t len);
/* Frame names for a terminal: control characters as \xHH. */
void add_printable(struct strbuf *sb, const char *s, size_t len);

#endif
