/* pprof: the stacks as a profile.proto message (google/pprof's format, read by go tool pprof,
 * Pyroscope, Parca, Grafana), gzip-compressed as the format asks. One sample per distinct stack;
 * one function and one location per distinct frame name, shared by every stack through it; one
 * sample type named by --countname, or "before" and "after" for differential input. */
#ifndef FLAME_RENDER_PPROF_H
#define FLAME_RENDER_PPROF_H

#include "stacks.h"
#include "writer.h"

/* Orders t (stacks_order) and writes the whole gzip-compressed profile to w. Returns the exit
 * status: 0, or 2 (with a message) when there are no counts. Nothing is written on failure. */
int pprof_write(struct writer *w, struct stack_table *t, const struct stack_options *o, const char *countname);

/* The uncompressed Profile message of t (for tests), appended to msg. Returns 0, or -1 if empty. */
int pprof_encode(struct stack_table *t, const struct stack_options *o, const char *countname, struct strbuf *msg);

#endif
