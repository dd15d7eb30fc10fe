/* session: what becomes of perf_event records, wherever they come from. flame-record feeds it the
 * records of its ring buffers; a perf.data reader feeds it the records of a file's data section.
 * Either way each record goes through the same decoders (events.h), the same time-ordering queue
 * (order.h), the same symbolizer (symbols.h) and the same perf script text (output.h).
 *
 * Contract:
 *  - session_new(symbols, out, dwarf): the caller owns the symbolizer and the writer (opens,
 *    configures, closes, frees them) and keeps them alive until session_free. dwarf: unwind user
 *    stacks from the samples' register and stack copies (PERF_SAMPLE_REGS_USER|STACK_USER)
 *    instead of taking the callchain's user part.
 *  - session_add_event(s, name, layout, ids, nids), once per event (perf_event_attr) before the
 *    first record: name is printed in each sample's header ("cpu-clock", "cycles:u"); layout is what
 *    the attr says about the records' shape (sample_type, read_format, sample_regs_user,
 *    branch_sample_type, sample_id_all); ids are the event ids the kernel gave that attr's fds
 *    (PERF_EVENT_IOC_ID; a perf.data file lists them per attr). With one event, ids may be empty:
 *    every record is that event's. With several, records are told apart by their id (found where
 *    the FIRST event's layout puts it: the layouts must agree on that, as perf makes them with
 *    PERF_SAMPLE_IDENTIFIER); a record with an unknown id is counted in bad and skipped. Name and
 *    ids are copied.
 *  - session_process_record(s, rec, len): one raw record (struct perf_event_header first; len the
 *    bytes readable at rec, at least its header.size). Any bytes are safe: a record shorter than its
 *    header, longer than len or malformed for its layout is counted (bad) and skipped, returns -1;
 *    else 0. rec need not be aligned and need not outlive the call (it is copied). Records are
 *    queued, then handled in time order by session_flush: samples are printed, MMAP/MMAP2, COMM,
 *    FORK and EXIT update the processes, LOST/LOST_SAMPLES and THROTTLE are counted, other types
 *    (AUX, KSYMBOL, perf's own user records, ...) are ignored. Two things happen at once rather than
 *    in order: a newly mapped file is read (it may be deleted soon), and a sampled process's
 *    /tmp/perf-PID.map is looked at while the process runs. PERF_RECORD_FINISHED_ROUND (perf.data)
 *    flushes what is older than everything seen before the previous round, as perf does; a reader
 *    without rounds calls session_flush itself.
 *  - session_flush(s, cutoff): handle every queued record stamped before cutoff (UINT64_MAX: all,
 *    at the end). Records without a time (no PERF_SAMPLE_TIME, or no sample_id_all) count as time
 *    0: they are handled at the next flush, before the others.
 *  - session_stats(s): the counts so far, for the summary line.
 * Output errors are the writer's: fatal, as everywhere. */
#ifndef FLAME_RECORD_SESSION_H
#define FLAME_RECORD_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "symbols.h"
#include "writer.h"

struct session;

struct session_stats {
	uint64_t samples, lost, throttled;
	uint64_t bad;                   /* malformed or unattributable records skipped */
	uint64_t unwound, unwound_frames, unwind_ns;    /* --call-graph dwarf */
};

struct session *session_new(struct symbolizer *symbols, struct writer *out, int dwarf);
void session_add_event(struct session *s, const char *name, const struct sample_layout *layout, const uint64_t *ids,
                       size_t nids);
/* --off-cpu: the context-switch event (offcpu.h). Its samples are switch-out stacks, kept rather
 * than printed; its PERF_RECORD_SWITCH / SWITCH_CPU_WIDE records end blocked stretches, each then
 * printed as an `offcpu-time` sample with the blocked nanoseconds as period. FORK and EXIT drop a
 * thread's pending switch-out (a reused id is a new thread). session_end(s, time) after the last
 * flush charges the threads still blocked up to time. */
struct offcpu_stats;
void session_add_switch_event(struct session *s, const struct sample_layout *layout, const uint64_t *ids, size_t nids);
void session_end(struct session *s, uint64_t end_time);
const struct offcpu_stats *session_offcpu_stats(const struct session *s);   /* NULL without --off-cpu */
int session_process_record(struct session *s, const void *rec, size_t len);
void session_flush(struct session *s, uint64_t cutoff);
const struct session_stats *session_stats(const struct session *s);
void session_free(struct session *s);

#endif
