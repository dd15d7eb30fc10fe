/* libFuzzer target: the ELF64 reader (flame-record): sections, symbols, PLT stubs, segments, notes. */
#include <stdint.h>

#include "record/elf.h"

static void count_stub(void *ctx, uint64_t addr, uint64_t size, const char *name)
{
	(void)addr;
	(void)size;
	(void)name;
	++*(size_t *)ctx;
}

static int count_symbol(void *ctx, const struct elf_symbol *sym)
{
	(void)sym;
	++*(size_t *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_file elf;
	if (elf_from_memory(&elf, data, size) != 0)
		return 0;
	struct elf_section sec;
	for (unsigned i = 0; i < 64 && elf_section_at(&elf, i, &sec) == 0; i++)
		;
	elf_section_by_name(&elf, ".text", &sec);
	struct elf_segment segs[16];
	elf_load_segments(&elf, segs, 16);
	size_t n = 0;
	elf_each_symbol(&elf, ".symtab", count_symbol, &n);
	elf_each_symbol(&elf, ".dynsym", count_symbol, &n);
	elf_each_plt_stub(&elf, count_stub, &n);
	unsigned char id[64];
	elf_build_id(&elf, id, sizeof(id));
	uint32_t crc;
	elf_debuglink(&elf, &crc);
	elf_close(&elf);
	return 0;
}
