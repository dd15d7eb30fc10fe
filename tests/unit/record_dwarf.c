/* Unit tests of flame-record's --call-graph dwarf plumbing: decoding a sample that carries user
 * registers and a stack copy, and assembling its frames (the kernel's chain, then the unwound user
 * frames, callers at return address - 1), over a hand-made .eh_frame and stack. */
#include <stdint.h>
#include <string.h>

#include "record/events.h"
#include "record/output.h"
#include "record/unwind.h"
#include "tests/unit/check.h"

#define DWARF_TYPE (RECORD_SAMPLE_TYPE | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER)
static const struct sample_layout DWARF_LAYOUT = { .sample_type = DWARF_TYPE, .regs_user = UNWIND_PERF_REGS_MASK };
#define NREGS 17        /* popcount(UNWIND_PERF_REGS_MASK) */
#define STACK_BYTES 64
#define KADDR1 0xffffffff81000010ULL
#define KADDR2 0xffffffff81000020ULL
#define RSP 0x7ffc00001000ULL

/* A PERF_RECORD_SAMPLE: ip, pid/tid, time, cpu, period, callchain, regs, stack. */
struct record {
	struct perf_event_header h;
	uint64_t w[64 + STACK_BYTES / 8];
};

/* Fill rec; returns its size. chain: nchain entries; abi 0 = no registers; stack_bytes 0 = none. */
static size_t build(struct record *rec, uint64_t ip, const uint64_t *chain, size_t nchain, uint64_t abi,
                    const uint64_t *regs, const unsigned char *stack, size_t stack_bytes, uint64_t dyn_size)
{
	size_t n = 0;

	memset(rec, 0, sizeof(*rec));
	rec->w[n++] = ip;
	rec->w[n++] = (uint64_t)42 << 32 | 41;  /* tid 42, pid 41 */
	rec->w[n++] = 123456789;
	rec->w[n++] = 1;
	rec->w[n++] = 1001001;
	rec->w[n++] = nchain;
	for (size_t i = 0; i < nchain; i++)
		rec->w[n++] = chain[i];
	rec->w[n++] = abi;
	if (abi)
		for (size_t i = 0; i < NREGS; i++)
			rec->w[n++] = regs[i];
	rec->w[n++] = stack_bytes;
	if (stack_bytes) {
		memcpy(&rec->w[n], stack, stack_bytes);
		n += stack_bytes / 8;
		rec->w[n++] = dyn_size;
	}
	rec->h.type = PERF_RECORD_SAMPLE;
	rec->h.size = (uint16_t)(sizeof(rec->h) + n * 8);
	return rec->h.size;
}

/* One CIE (CFA = rsp + 8, return address at CFA - 8: a function's entry state) and one FDE for
 * [0x1000, 0x1100), absolute 4-byte addresses, then the zero terminator. */
static const unsigned char eh_frame[] = {
	20, 0, 0, 0, 0, 0, 0, 0,                /* CIE: length, id 0 */
	1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x03,   /* version, "zR", code 1, data -8, RA r16, aug 1, udata4 */
	0x0c, 7, 8, 0x90, 1, 0, 0,              /* def_cfa rsp+8; offset r16 at cfa-8; nops */
	16, 0, 0, 0, 28, 0, 0, 0,               /* FDE: length, CIE pointer (back to offset 0) */
	0x00, 0x10, 0, 0, 0x00, 0x01, 0, 0,     /* pc_begin 0x1000, pc_range 0x100 */
	0, 0, 0, 0,                             /* augmentation length 0, nops */
	0, 0, 0, 0                              /* terminator */
};

struct find_ctx {
	const struct unwind_table *table;
	int calls;
};

static int find(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	struct find_ctx *c = ctx;
	c->calls++;
	if (pc < 0x1000 || pc >= 0x1100)
		return 0;   /* as JIT code in anonymous memory */
	*table = c->table;
	*bias = 0;
	return 1;
}

/* perf's register order for UNWIND_PERF_REGS_MASK: AX BX CX DX SI DI BP SP IP R8..R15. */
static void user_regs(uint64_t *regs, uint64_t ip, uint64_t sp)
{
	for (int i = 0; i < NREGS; i++)
		regs[i] = 0x1111 * (uint64_t)(i + 1);
	regs[7] = sp;
	regs[8] = ip;
}

int main(void)
{
	struct find_ctx ctx = { 0 };
	struct unwind_cache *cache = unwind_cache_new();
	struct record rec;
	struct sample smp;
	struct frame frames[16];
	uint64_t pcs[16], regs[NREGS], stack[STACK_BYTES / 8] = { 0x1050, 0x1060, 0, 0x1070 };
	const uint64_t kchain[] = { (uint64_t)PERF_CONTEXT_KERNEL, KADDR1, KADDR2 };
	size_t n;

	ctx.table = unwind_table_new(NULL, 0, 0, eh_frame, sizeof(eh_frame), 0x2000);
	CHECK(ctx.table != NULL);
	if (!ctx.table)
		return check_report("record_dwarf");

	/* Decoding: registers in mask order, the stack copy, its valid size. */
	user_regs(regs, 0x1010, RSP);
	build(&rec, 0x1010, NULL, 0, 2, regs, (const unsigned char *)stack, STACK_BYTES, 24);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	CHECK(smp.ip == 0x1010 && smp.pid == 41 && smp.tid == 42 && smp.cpu == 1 && smp.period == 1001001);
	CHECK(smp.regs_abi == 2 && smp.nregs == NREGS && smp.regs && smp.regs[8] == 0x1010 && smp.regs[7] == RSP);
	CHECK(smp.stack && smp.stack_size == 24 && memcmp(smp.stack, stack, 24) == 0);
	/* A record cut anywhere is refused, never read past its end. */
	for (size_t cut = 8; cut < rec.h.size; cut += 8) {
		struct record copy = rec;
		copy.h.size = (uint16_t)cut;
		CHECK(sample_parse(&copy.h, &DWARF_LAYOUT, &smp) < 0);
	}
	/* dyn_size larger than the copy is clamped. */
	build(&rec, 0x1010, NULL, 0, 2, regs, (const unsigned char *)stack, STACK_BYTES, 4096);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0 && smp.stack_size == STACK_BYTES);

	/* A user sample: no kernel chain (the kernel leaves out the user part); unwound to the zero
	 * return address; callers at return address - 1. */
	build(&rec, 0x1010, NULL, 0, 2, regs, (const unsigned char *)stack, STACK_BYTES, STACK_BYTES);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 3);
	CHECK(frames[0].addr == 0x1010 && !frames[0].kernel);
	CHECK(frames[1].addr == 0x104f && !frames[1].kernel);
	CHECK(frames[2].addr == 0x105f && !frames[2].kernel);
	/* The same again through the cache: the same frames. */
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 3 && frames[2].addr == 0x105f);
	uint64_t hits, misses;
	unwind_cache_stats(cache, &hits, &misses);
	CHECK(hits >= 2);

	/* In the kernel: its frames first, then the user frames from the registers at syscall entry. */
	build(&rec, KADDR1, kchain, 3, 2, regs, (const unsigned char *)stack, STACK_BYTES, STACK_BYTES);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 5);
	CHECK(frames[0].addr == KADDR1 && frames[0].kernel && frames[1].addr == KADDR2 && frames[1].kernel);
	CHECK(frames[2].addr == 0x1010 && !frames[2].kernel && frames[4].addr == 0x105f);
	/* max frames: the kernel's first, then as many user frames as fit. */
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 3);
	CHECK(n == 3 && frames[1].kernel && frames[2].addr == 0x1010);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 2);
	CHECK(n == 2 && frames[0].kernel && frames[1].kernel);

	/* The stack copy ends before the second return address: cut short there. */
	build(&rec, 0x1010, NULL, 0, 2, regs, (const unsigned char *)stack, STACK_BYTES, 8);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 2 && frames[1].addr == 0x104f);
	/* No stack copy at all (size 0): the sampled ip alone. */
	build(&rec, 0x1010, NULL, 0, 2, regs, NULL, 0, 0);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0 && !smp.stack);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 1 && frames[0].addr == 0x1010);

	/* In code no object holds (JIT): the ip is kept, nothing beyond. */
	user_regs(regs, 0x7f0000001234, RSP);
	build(&rec, 0x7f0000001234, NULL, 0, 2, regs, (const unsigned char *)stack, STACK_BYTES, STACK_BYTES);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 1 && frames[0].addr == 0x7f0000001234 && !frames[0].kernel);

	/* A kernel thread (no user registers): the kernel's chain as it is; with no chain, the ip. */
	build(&rec, KADDR1, kchain, 3, 0, NULL, NULL, 0, 0);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0 && !smp.regs);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 2 && frames[0].addr == KADDR1 && frames[1].addr == KADDR2 && frames[1].kernel);
	build(&rec, KADDR2, NULL, 0, 0, NULL, NULL, 0, 0);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 1 && frames[0].addr == KADDR2 && frames[0].kernel);
	/* Garbage on the stack: stops cleanly (a return address in no object). */
	uint64_t junk[STACK_BYTES / 8];
	for (size_t i = 0; i < STACK_BYTES / 8; i++)
		junk[i] = 0xdeadbeefcafe0000ULL + i;
	user_regs(regs, 0x1010, RSP);
	build(&rec, 0x1010, NULL, 0, 2, regs, (const unsigned char *)junk, STACK_BYTES, STACK_BYTES);
	CHECK(sample_parse(&rec.h, &DWARF_LAYOUT, &smp) == 0);
	n = sample_frames_unwound(&smp, UNWIND_PERF_REGS_MASK, cache, find, &ctx, pcs, frames, 16);
	CHECK(n == 2 && frames[1].addr == 0xdeadbeefcafe0000ULL - 1);

	unwind_table_free((struct unwind_table *)ctx.table);
	unwind_cache_free(cache);
	return check_report("record_dwarf");
}
