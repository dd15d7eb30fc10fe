/*
 * perf: the pieces of `perf script` text, parsed without allocation. Pure functions on
 * (pointer, length) byte ranges, so they are easy to test and to fuzz.
 */
#ifndef FLAME_COLLAPSE_PERF_H
#define FLAME_COLLAPSE_PERF_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct span {
	const char *ptr;
	size_t len;
};

/* A sample header: "comm pid/tid [cpu] time: period event:" (most parts optional). */
struct perf_header {
	struct span comm;	/* may contain spaces */
	struct span pid;	/* empty when perf printed only the thread id */
	struct span tid;
	struct span time;	/* "1234.567890", empty if absent */
	struct span event;	/* e.g. "cycles", "cpu-clock:uhH", "sched:sched_switch"; empty if absent */
	uint64_t period;	/* 0 when absent */
	int has_period;
	int period_overflow;	/* a period that does not fit in 64 bits */
	struct span trailing_frame;	/* a one-frame stack printed on the header line, if any */
	/* How the line was read: the ids end at tail_at, and when first_try is set no earlier
	 * place was tried as the ids, so any line with the same bytes before tail_at reads the
	 * same comm and ids (perf_parse_header_again). */
	size_t tail_at;
	int first_try;
};

/* A frame line: "<pc> <symbol>[+0x<off>] (<dso>)". */
struct perf_frame {
	struct span pc;
	struct span func;	/* raw symbol, with any +0x offset */
	struct span dso;
};

/* Length of the leading whitespace of a line. */
size_t perf_skip_space(const char *line, size_t len);

int perf_parse_header(const char *line, size_t len, struct perf_header *h);
/* Read the rest of a header whose first tail_at bytes equal those of one perf_parse_header read
 * with first_try set, given its comm, pid and tid (at the same offsets). 1, or 0: parse it whole. */
int perf_parse_header_again(const char *line, size_t len, size_t tail_at, struct perf_header *h);
/* Length of the run of address/word characters at the start of line (a frame line's address). */
size_t perf_skip_word(const char *line, size_t len);
int perf_parse_frame(const char *line, size_t len, struct perf_frame *f);

/* The event without perf's modifiers: "cycles:uppp" -> "cycles"; "sched:sched_switch" stays. */
struct span perf_event_base(struct span event);
/* Does event name `event` pass `--event-filter=want`? want is one name or a comma list ("cpu-clock,
 * offcpu-time"): equal to one of them, or equal but for modifiers. */
int perf_event_matches(struct span event, const char *want);

/* How a raw frame becomes folded frame text. */
struct tidy_options {
	int annotate_kernel;
	int annotate_jit;
	int include_addrs;
	int java;		/* the process name starts with "java" */
};

/* Strip a trailing "+0x<hex>" symbol offset. */
struct span perf_strip_offset(struct span func);

/*
 * Append the folded text of one frame to out: the symbol tidied as stackcollapse-perf.pl does
 * (with inferno's fixes), Java inlined parts ("a->b") as "a;b_[i]", annotations added. srclines,
 * when not NULL, holds one source line per inlined part (`--srcline`). Returns the number of
 * parts, or 0 when the frame is to be skipped (a symbol starting with '(').
 */
int tidy_frame(const struct perf_frame *f, const struct tidy_options *o, const struct span *srclines,
	       size_t nsrclines, struct strbuf *out);

/* How many source lines `perf script -F+srcline` prints after this frame. */
size_t srcline_count(const struct perf_frame *f);

/* Decode a legacy Rust symbol that perf left half-demangled ("..::h<16 hex>", "$LT$", ".."), by the
 * rules of common/demangle.h (flame-record's); appends the result to out and returns 1, or
 * returns 0 (nothing appended) when it is not one. */
int rust_legacy_decode(struct span sym, struct strbuf *out);

#endif
