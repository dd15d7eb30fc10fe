/* offcpu: --off-cpu's bookkeeping. Per thread, the stack of its last switch-out (a sample of the
 * context-switch event, taken at schedule()) and that switch-out's PERF_RECORD_SWITCH, which says
 * whether the thread was preempted while runnable. When the thread is switched in again after a
 * switch-out that was not a preemption, one `offcpu-time` sample is due: the switch-out stack, with
 * the nanoseconds from the switch-out record to the switch-in record as its period.
 *
 * Contract (records in time order, as the session hands them):
 *  - offcpu_stack(o, smp, frames, n): the context-switch event's sample; smp's pointers are not
 *    kept (the frames are copied).
 *  - offcpu_switch(o, tid, time, out, preempt, emit, ctx): a PERF_RECORD_SWITCH or SWITCH_CPU_WIDE
 *    of thread tid (its sample_id's). At a switch-in that ends a blocked stretch emit(ctx, smp,
 *    frames, n) is called with smp.period the blocked ns (smp.time the switch-out's).
 *  - offcpu_exit(o, tid): the thread exited (EXIT comes before its last switch-out, which -a sees:
 *    that one is not blocking, and is ignored). offcpu_forget(o, tid): a new thread took the id
 *    (FORK): what was pending is dropped, never charged to the new thread, which is alive.
 *  - offcpu_lost(o): records were lost (PERF_RECORD_LOST): any pending switch-out may have lost its
 *    switch-in, so all are dropped (counted in unmatched) rather than charged across the gap.
 *  - offcpu_end(o, time, emit, ctx): the recording ended at time: threads still blocked are charged
 *    up to it.
 * A switch-out whose stack or record was lost (ring overflow) is counted in unmatched and charged
 * nothing; a period that would be negative is counted and dropped, so no period is ever made up. */
#ifndef FLAME_RECORD_OFFCPU_H
#define FLAME_RECORD_OFFCPU_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "output.h"

struct offcpu_stats {
	uint64_t samples, ns;           /* offcpu-time samples written, their total period */
	uint64_t preempted;             /* switch-outs of runnable threads (not off-CPU) */
	uint64_t unmatched;             /* switch-outs missing their stack or their record (lost) */
	uint64_t at_end;                /* threads still blocked at the end, charged up to it */
};

struct offcpu;
typedef void (*offcpu_emit_fn)(void *ctx, const struct sample *smp, const struct frame *frames, size_t n);

struct offcpu *offcpu_new(void);
void offcpu_stack(struct offcpu *o, const struct sample *smp, const struct frame *frames, size_t n);
void offcpu_switch(struct offcpu *o, uint32_t tid, uint64_t time, int out, int preempt, offcpu_emit_fn emit,
                   void *ctx);
void offcpu_forget(struct offcpu *o, uint32_t tid);
void offcpu_exit(struct offcpu *o, uint32_t tid);
void offcpu_lost(struct offcpu *o);
void offcpu_end(struct offcpu *o, uint64_t time, offcpu_emit_fn emit, void *ctx);
const struct offcpu_stats *offcpu_stats(const struct offcpu *o);
void offcpu_free(struct offcpu *o);

#endif
