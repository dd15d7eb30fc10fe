/* unwind: user-stack unwinding from .eh_frame for `flame-record --call-graph dwarf` (x86-64).
 *
 * The recorder copies the sampled thread's user registers and the top of its user stack with each
 * sample (PERF_SAMPLE_REGS_USER, PERF_SAMPLE_STACK_USER) and calls unwind_stack afterwards. The
 * caller needs no DWARF knowledge: it builds one unwind_table per mapped ELF object from the bytes
 * elf_eh_frame (elf.h) finds (the symbolizer does, and keeps it with the object's symbols), and
 * answers "which object holds this runtime address, at which load bias" through a callback. This
 * module knows nothing of ELF: only DWARF call frame information.
 *
 * Wiring with perf_event_open (x86-64):
 *   attr.sample_type      |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
 *   attr.sample_regs_user  = UNWIND_PERF_REGS_MASK;
 *   attr.sample_stack_user = SIZE;      (multiple of 8, default 8192 as perf; a record is < 64 KB)
 *   attr.exclude_callchain_user = 1;    (with PERF_SAMPLE_CALLCHAIN: the kernel's frame-pointer walk
 *                                        of the user stack is useless here, perf skips it too)
 * In a PERF_RECORD_SAMPLE these follow PERF_SAMPLE_BRANCH_STACK (i.e. after CALLCHAIN, RAW, BRANCH):
 *   u64 abi;                            PERF_SAMPLE_REGS_ABI_NONE (0): no regs follow (kernel thread)
 *   u64 regs[popcount(mask)];           only if abi != 0, in increasing bit order of the mask
 *   u64 size;                           PERF_SAMPLE_STACK_USER: bytes copied (0 = none, nothing follows)
 *   char data[size];                    the stack from the sampled user rsp upwards
 *   u64 dyn_size;                       only if size != 0: how many bytes of data are valid
 * then: unwind_regs_from_perf(&regs, UNWIND_PERF_REGS_MASK, regs, n);
 *       n = unwind_stack_cached(cache, &regs, data, dyn_size, find, ctx, pcs, max);
 * (tests/workloads/unwind-sample.c does all of this in ~400 lines, with elf.c: a working reference.)
 * pcs[0] is the sampled ip; pcs[1..n-1] are return addresses (symbolize pc - 1 for those, as a
 * return address may point just past a call at the end of a function). Kernel frames come from the
 * kernel's callchain (PERF_SAMPLE_CALLCHAIN, entries before PERF_CONTEXT_USER); replace the user part
 * of that chain with pcs.
 */
#ifndef FLAME_RECORD_UNWIND_H
#define FLAME_RECORD_UNWIND_H

#include <stddef.h>
#include <stdint.h>

/* x86-64 DWARF register numbers (System V psABI); 16 is the return address column (rip). */
enum {
	UNWIND_RAX, UNWIND_RDX, UNWIND_RCX, UNWIND_RBX, UNWIND_RSI, UNWIND_RDI, UNWIND_RBP, UNWIND_RSP,
	UNWIND_R8, UNWIND_R9, UNWIND_R10, UNWIND_R11, UNWIND_R12, UNWIND_R13, UNWIND_R14, UNWIND_R15,
	UNWIND_RIP,
	UNWIND_NREGS
};

struct unwind_regs {
	uint64_t r[UNWIND_NREGS];  /* by DWARF number */
	uint32_t valid;            /* bit n set: r[n] is known; rip and rsp are required */
};

/* perf_event_attr.sample_regs_user for x86-64: AX..DI, BP, SP, IP, R8..R15 (bits of
 * <asm/perf_regs.h>; no flags or segment registers, which the unwinder never needs). */
#define UNWIND_PERF_REGS_MASK 0x00ff01ffULL

/* Fill regs from a sample's PERF_SAMPLE_REGS_USER values: values[i] belongs to the i-th set bit of
 * mask (perf's order), n = how many values the record holds. Unknown bits are skipped. */
void unwind_regs_from_perf(struct unwind_regs *regs, uint64_t mask, const uint64_t *values, size_t n);

/* The parsed .eh_frame(_hdr) of one ELF object: a sorted FDE index and the decoded CIEs. Immutable
 * once built, so threads may share it. The bytes are copied: the caller may unmap the file. */
struct unwind_table;

/* Build from the section bytes and their link-time addresses (sh_addr). eh_frame_hdr may be NULL
 * (hdr_size 0; static executables have none): the FDE index is then built by scanning .eh_frame,
 * as it is when the hdr is unusable. Returns NULL when the data holds no usable FDE (or is
 * malformed beyond use, or eh_frame is NULL); never reads outside the given ranges. */
struct unwind_table *unwind_table_new(const unsigned char *eh_frame_hdr, size_t hdr_size, uint64_t hdr_vaddr,
                                      const unsigned char *eh_frame, size_t eh_size, uint64_t eh_vaddr);

/* The link-time address of .eh_frame that an .eh_frame_hdr points to (for objects found through
 * PT_GNU_EH_FRAME alone, e.g. in memory via dl_iterate_phdr: .eh_frame then runs at most to the end
 * of its PT_LOAD segment, and the scan stops at its zero terminator). 1 on success. */
int unwind_eh_frame_ptr(const unsigned char *eh_frame_hdr, size_t hdr_size, uint64_t hdr_vaddr, uint64_t *eh_vaddr);

void unwind_table_free(struct unwind_table *table);

/* How many FDEs the table indexes, and where the i-th (in address order) starts (for tests,
 * statistics and the fuzzer). */
size_t unwind_table_fdes(const struct unwind_table *table);
uint64_t unwind_table_fde_start(const struct unwind_table *table, size_t i);

/* Which object holds the runtime address pc: set *table and *bias (runtime = link-time vaddr + bias)
 * and return 1, or return 0 when the address is in no known object (unwinding stops there).
 * pc is the leaf's ip, or a return address - 1 (inside the call), so it is in the caller's object.
 * From a PERF_RECORD_MMAP2 of an executable mapping (start, pgoff): take the PT_LOAD with PF_X
 * whose page-aligned p_offset equals pgoff; bias = start - (p_vaddr & ~(pagesize - 1)). Do not
 * just take the segment containing pgoff: lld packs segments, so that page may also belong to the
 * read-only segment before (Rust binaries). */
typedef int (*unwind_find_fn)(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias);

/* Unwind one sample. stack holds stack_size bytes copied from address regs->r[UNWIND_RSP] upwards.
 * Writes at most max addresses to pcs, leaf first (pcs[0] = the sampled ip) and returns how many.
 * Stops cleanly at: the stack copy's end, an address in no object, no FDE for a pc, a return
 * address rule undefined (_start, thread entry), a CFA that does not grow, a zero return address,
 * or max frames. No allocation; safe on any stack contents; reentrant. */
size_t unwind_stack(const struct unwind_regs *regs, const unsigned char *stack, size_t stack_size,
                    unwind_find_fn find, void *ctx, uint64_t *pcs, size_t max);

/* The same with a cache of computed CFA rows across samples (keyed by table and address; tables
 * may be freed and built at will meanwhile). Use one cache per unwinding thread: unwinding then
 * costs little more than reading the stack. cache may be NULL. */
struct unwind_cache;
struct unwind_cache *unwind_cache_new(void);          /* about 700 KB */
void unwind_cache_free(struct unwind_cache *cache);
size_t unwind_stack_cached(struct unwind_cache *cache, const struct unwind_regs *regs, const unsigned char *stack,
                           size_t stack_size, unwind_find_fn find, void *ctx, uint64_t *pcs, size_t max);
void unwind_cache_stats(const struct unwind_cache *cache, uint64_t *hits, uint64_t *misses);

#endif
