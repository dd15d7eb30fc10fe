/* offcpu: the switch-out / switch-in bookkeeping of --off-cpu, record by record, including what
 * a real kernel rarely shows: lost records, a reused thread id, a switch-in stamped too early. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "record/offcpu.h"

struct got {
	int n;
	uint64_t period[8], time[8];
	uint32_t tid[8];
	uint64_t leaf[8];
};

static void emit(void *ctx, const struct sample *smp, const struct frame *frames, size_t n)
{
	struct got *g = ctx;

	if (g->n < 8) {
		g->period[g->n] = smp->period;
		g->time[g->n] = smp->time;
		g->tid[g->n] = smp->tid;
		g->leaf[g->n] = n ? frames[0].addr : 0;
	}
	g->n++;
}

/* A switch-out sample of tid at time, leaf address addr. */
static void stack(struct offcpu *o, uint32_t tid, uint64_t time, uint64_t addr)
{
	struct sample smp;
	struct frame f = { addr, 0 };
	uint64_t ips[1] = { addr };

	memset(&smp, 0, sizeof(smp));
	smp.pid = smp.tid = tid;
	smp.time = time;
	smp.period = 1;
	smp.ips = ips;
	smp.nr = 1;
	offcpu_stack(o, &smp, &f, 1);
}

int main(void)
{
	struct offcpu *o = offcpu_new();
	struct got g = { 0 };

	/* Blocked 1000..5000: one sample of 4000 ns on the switch-out stack, stamped at 1000. */
	stack(o, 10, 1000, 0x111);
	offcpu_switch(o, 10, 1000, 1, 0, emit, &g);
	offcpu_switch(o, 10, 5000, 0, 0, emit, &g);
	CHECK(g.n == 1);
	CHECK(g.period[0] == 4000 && g.time[0] == 1000 && g.tid[0] == 10 && g.leaf[0] == 0x111);

	/* The switch record before its sample at the same time (one queue order): the same. */
	offcpu_switch(o, 10, 6000, 1, 0, emit, &g);
	stack(o, 10, 6000, 0x112);
	offcpu_switch(o, 10, 6500, 0, 0, emit, &g);
	CHECK(g.n == 2 && g.period[1] == 500 && g.leaf[1] == 0x112);

	/* Preempted while runnable: not off-CPU, nothing written, counted. */
	stack(o, 10, 7000, 0x113);
	offcpu_switch(o, 10, 7000, 1, 1, emit, &g);
	offcpu_switch(o, 10, 9000, 0, 0, emit, &g);
	CHECK(g.n == 2);
	CHECK(offcpu_stats(o)->preempted == 1);
	CHECK(offcpu_stats(o)->unmatched == 0);

	/* A lost switch record: the stack alone is charged nothing. */
	stack(o, 10, 10000, 0x114);
	offcpu_switch(o, 10, 12000, 0, 0, emit, &g);
	CHECK(g.n == 2);
	CHECK(offcpu_stats(o)->unmatched == 1);

	/* A lost stack: the record alone is charged nothing (never a stack of an older switch). */
	offcpu_switch(o, 10, 13000, 1, 0, emit, &g);
	offcpu_switch(o, 10, 14000, 0, 0, emit, &g);
	CHECK(g.n == 2);
	CHECK(offcpu_stats(o)->unmatched == 2);

	/* A stack far from its record belongs to another switch. */
	stack(o, 10, 15000, 0x115);
	offcpu_switch(o, 10, 15000 + 5000000, 1, 0, emit, &g);
	offcpu_switch(o, 10, 15000 + 6000000, 0, 0, emit, &g);
	CHECK(g.n == 2);

	/* A lost switch-in: the next switch-out replaces the pending one, which is never charged
	 * with the sum of both stretches. */
	stack(o, 11, 20000, 0x121);
	offcpu_switch(o, 11, 20000, 1, 0, emit, &g);
	stack(o, 11, 30000, 0x122);
	offcpu_switch(o, 11, 30000, 1, 0, emit, &g);
	offcpu_switch(o, 11, 31000, 0, 0, emit, &g);
	CHECK(g.n == 3 && g.period[2] == 1000 && g.leaf[2] == 0x122);

	/* A switch-in stamped before its switch-out: dropped, never a negative (huge) period. */
	stack(o, 12, 40000, 0x131);
	offcpu_switch(o, 12, 40000, 1, 0, emit, &g);
	offcpu_switch(o, 12, 39000, 0, 0, emit, &g);
	CHECK(g.n == 3);

	/* A reused id: the old thread's pending switch-out is dropped at the FORK. */
	stack(o, 13, 50000, 0x141);
	offcpu_switch(o, 13, 50000, 1, 0, emit, &g);
	offcpu_forget(o, 13);
	offcpu_switch(o, 13, 90000, 0, 0, emit, &g);
	CHECK(g.n == 3);

	/* An exited thread's last switch-out (after its EXIT) is not blocked time; a new thread with
	 * its id (FORK) is followed again. */
	offcpu_exit(o, 15);
	stack(o, 15, 66000, 0x161);
	offcpu_switch(o, 15, 66000, 1, 0, emit, &g);
	offcpu_end(o, 67000, emit, &g);
	CHECK(g.n == 3);
	offcpu_forget(o, 15);
	stack(o, 15, 67000, 0x162);
	offcpu_switch(o, 15, 67000, 1, 0, emit, &g);
	offcpu_switch(o, 15, 68000, 0, 0, emit, &g);
	CHECK(g.n == 4 && g.period[3] == 1000);

	/* The idle task is never charged; a switch-in of a thread never seen is ignored. */
	stack(o, 0, 60000, 0x1);
	offcpu_switch(o, 0, 60000, 1, 0, emit, &g);
	offcpu_switch(o, 0, 61000, 0, 0, emit, &g);
	offcpu_switch(o, 999, 61000, 0, 0, emit, &g);
	CHECK(g.n == 4);

	/* Lost records: a pending switch-out is dropped, not charged across the gap. */
	uint64_t unmatched = offcpu_stats(o)->unmatched;
	stack(o, 14, 65000, 0x151);
	offcpu_switch(o, 14, 65000, 1, 0, emit, &g);
	offcpu_lost(o);
	offcpu_switch(o, 14, 69000, 0, 0, emit, &g);
	CHECK(g.n == 4);
	CHECK(offcpu_stats(o)->unmatched == unmatched + 1);

	/* Still blocked at the end: charged up to it, once. Many threads (the table grows). */
	for (uint32_t t = 100; t < 300; t++) {
		stack(o, t, 70000, 0x200 + t);
		offcpu_switch(o, t, 70000, 1, 0, emit, &g);
	}
	offcpu_end(o, 80000, emit, &g);
	CHECK(g.n == 204);
	CHECK(g.period[4] == 10000);
	CHECK(offcpu_stats(o)->at_end == 200);
	offcpu_end(o, 90000, emit, &g);
	CHECK(g.n == 204);
	CHECK(offcpu_stats(o)->samples == 204);
	CHECK(offcpu_stats(o)->ns == 4000 + 500 + 1000 + 1000 + 200 * 10000);

	offcpu_free(o);
	printf("record_offcpu: %d checks, %d failed\n", check_count, check_failures);
	return check_failures > 255 ? 255 : check_failures;
}
