/* procfs: what /proc says about processes, for those that were running before recording began
 * (the kernel reports only what happens after): their threads, whether they still run, their
 * executable maps as the same struct record_mmap a PERF_RECORD_MMAP2 decodes to, and thread names.
 * Nothing here keeps state; a perf.data reader has no use for it (its processes are of another
 * time: the file carries their maps). */
#ifndef FLAME_RECORD_PROCFS_H
#define FLAME_RECORD_PROCFS_H

#include <stddef.h>

#include "events.h"

/* Append the tids of every thread of pid that are not yet in the list; -1 when there is no such
 * process. */
int procfs_threads(int pid, int **tids, size_t *n, size_t *cap);

/* Alive and not a zombie. */
int procfs_running(int pid);

/* Calls fn for each executable mapping in /proc/PID/maps (prot PROT_EXEC; anonymous ones named
 * "//anon", as perf synthesizes them); -1 when the file cannot be read. */
typedef void (*procfs_map_fn)(void *ctx, const struct record_mmap *m);
int procfs_each_map(int pid, procfs_map_fn fn, void *ctx);

/* One line of /proc/PID/maps (without its newline; it is cut at the name's end) into m, the name
 * pointing into line. 0, or -1 when it is no such line. */
int procfs_parse_maps_line(char *line, struct record_mmap *m);

/* The name of thread tid of process pid (/proc/PID/task/TID/comm, without its newline) into buf;
 * -1 when it cannot be read. */
int procfs_thread_comm(int pid, int tid, char *buf, size_t size);

/* Calls fn with every process id in /proc. */
void procfs_each_pid(void (*fn)(void *ctx, int pid), void *ctx);

#endif
