/* The eh_frame fuzzing body, shared by the libFuzzer target (eh_frame.c) and the unit test's hostile
 * bytes (tests/unit/record_unwind.c): parse arbitrary bytes as an .eh_frame, as an .eh_frame_hdr in
 * front of one, and as an ELF file (through elf.c's lookup, as the symbolizer does); unwind from
 * every FDE and a few addresses over a stack made of the same bytes. Must never crash or hang. */
#ifndef FLAME_FUZZ_EH_FRAME_H
#define FLAME_FUZZ_EH_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "record/elf.h"
#include "record/unwind.h"

struct eh_frame_fuzz_ctx { const struct unwind_table *table; };

static int eh_frame_fuzz_find(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	(void)pc;
	*table = ((struct eh_frame_fuzz_ctx *)ctx)->table;
	*bias = 0;
	return 1;
}

static void eh_frame_fuzz_table(const struct unwind_table *t, const uint8_t *data, size_t size,
                                struct unwind_cache *cache)
{
	struct eh_frame_fuzz_ctx ctx = { t };
	uint64_t pcs[16];

	if (!t)
		return;
	for (size_t i = 0; i < unwind_table_fdes(t) && i < 64; i++) {
		struct unwind_regs regs;
		for (unsigned r = 0; r < UNWIND_NREGS; r++)
			regs.r[r] = 0x7000 + 8 * r;
		regs.r[UNWIND_RSP] = 0x7000;
		regs.r[UNWIND_RIP] = unwind_table_fde_start(t, i) + (i & 7);
		regs.valid = (1u << UNWIND_NREGS) - 1;
		unwind_stack_cached(cache, &regs, data, size, eh_frame_fuzz_find, &ctx, pcs, 16);
	}
}

static int eh_frame_fuzz_parse(const uint8_t *data, size_t size)
{
	static struct unwind_cache *cache;  /* shared across inputs, as a recorder's is across tables */
	struct unwind_table *t;
	struct elf_file elf;
	struct elf_eh_frame eh;

	if (!cache)
		cache = unwind_cache_new();
	t = unwind_table_new(NULL, 0, 0, data, size, 0x1000);
	eh_frame_fuzz_table(t, data, size, cache);
	eh_frame_fuzz_table(t, data, size, cache);     /* the second time from the cache */
	unwind_table_free(t);
	/* The bytes as a whole ELF file. */
	if (elf_from_memory(&elf, data, size) == 0 && elf_eh_frame(&elf, &eh) == 0) {
		t = unwind_table_new(eh.hdr, eh.hdr_size, eh.hdr_vaddr, eh.frame, eh.frame_size, eh.frame_vaddr);
		eh_frame_fuzz_table(t, data, size, cache);
		unwind_table_free(t);
	}
	/* The first byte picks where an .eh_frame_hdr in front ends and the .eh_frame begins. */
	if (size > 1) {
		size_t split = 1 + data[0] % (size - 1);
		t = unwind_table_new(data + 1, split - 1, 0x800, data + split, size - split, 0x800 + split - 1);
		eh_frame_fuzz_table(t, data, size, cache);
		unwind_table_free(t);
	}
	return 0;
}

#endif
