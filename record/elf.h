/* elf: a small reader for ELF64 little-endian files (executables, shared libraries, debug files,
 * the vDSO image in memory). Nothing is copied: every pointer handed out points into the mapping,
 * and every offset is checked against the file size first, so a truncated or hostile file is
 * refused rather than read out of bounds. */
#ifndef FLAME_RECORD_ELF_H
#define FLAME_RECORD_ELF_H

#include <stddef.h>
#include <stdint.h>

struct elf_file {
	const unsigned char *data;
	size_t size;
	int mapped;             /* data came from elf_open's mmap (elf_close unmaps it) */
	uint16_t type;          /* ET_EXEC, ET_DYN, ... */
	uint16_t machine;       /* EM_X86_64, ... */
	uint16_t phnum, shnum;
	uint64_t phoff, shoff;
	uint16_t shstrndx;
};

struct elf_section {
	const char *name;
	uint32_t type;          /* SHT_* */
	uint64_t flags;
	uint64_t addr;          /* link-time address (sh_addr) */
	uint64_t offset;        /* file offset */
	uint64_t size;
	uint32_t link;
	uint64_t entsize;
	const unsigned char *data;  /* NULL for SHT_NOBITS or when the bytes lie outside the file */
};

struct elf_segment {
	uint64_t vaddr, memsz;
	uint64_t offset, filesz;
	uint32_t flags;         /* PF_X, PF_W, PF_R */
};

struct elf_symbol {
	const char *name;
	uint64_t value, size;
	unsigned char type, bind;   /* STT_*, STB_* */
	unsigned char visibility;   /* STV_* */
	unsigned char in_code;      /* its section is executable (SHF_EXECINSTR) */
	uint16_t shndx;
};

/* Map path read-only and check its header. Returns 0, or -1 with errno set (ENOEXEC: not ELF64 LE). */
int elf_open(struct elf_file *elf, const char *path);
/* The same for bytes already in memory (the vDSO); the caller keeps them alive. */
int elf_from_memory(struct elf_file *elf, const void *data, size_t size);
void elf_close(struct elf_file *elf);

/* Section by index or by name; 0 when found, -1 otherwise. */
int elf_section_at(const struct elf_file *elf, unsigned index, struct elf_section *out);
int elf_section_by_name(const struct elf_file *elf, const char *name, struct elf_section *out);

/* PT_LOAD program headers in file order; returns how many there are (writes at most max). */
size_t elf_load_segments(const struct elf_file *elf, struct elf_segment *out, size_t max);

/* Calls fn for every named symbol of the symbol table section (".symtab" or ".dynsym");
 * returns how many symbols were visited, 0 when the section is absent. fn returns non-zero to stop. */
typedef int (*elf_symbol_fn)(void *ctx, const struct elf_symbol *sym);
size_t elf_each_symbol(const struct elf_file *elf, const char *section, elf_symbol_fn fn, void *ctx);

/* The stubs of the procedure linkage table (.plt, .plt.sec, .plt.got; x86-64 only): calls fn with
 * each stub's link-time address, size and the name of the function it jumps to (from .dynsym
 * through the relocation of the GOT slot it jumps through). Returns how many were found. */
typedef void (*elf_plt_fn)(void *ctx, uint64_t addr, uint64_t size, const char *name);
size_t elf_each_plt_stub(const struct elf_file *elf, elf_plt_fn fn, void *ctx);

/* Where the object's call frame information is: .eh_frame (and .eh_frame_hdr, its sorted index,
 * when there is one) from the section headers; without them (the vDSO, a stripped or in-memory
 * image), through PT_GNU_EH_FRAME to .eh_frame_hdr, whose eh_frame_ptr gives .eh_frame, which then
 * runs at most to the end of its PT_LOAD segment (a parser stops at its zero terminator). Pointers
 * are into the file; addresses are link-time. 0, or -1 when the object has no .eh_frame. */
struct elf_eh_frame {
	const unsigned char *hdr;   /* .eh_frame_hdr, or NULL */
	size_t hdr_size;
	uint64_t hdr_vaddr;
	const unsigned char *frame; /* .eh_frame */
	size_t frame_size;
	uint64_t frame_vaddr;
};
int elf_eh_frame(const struct elf_file *elf, struct elf_eh_frame *out);

/* The kernel's vDSO as mapped into this process (every process of this kernel maps the same image),
 * sized to its furthest segment or section header table. 0, or -1 when there is none. */
int elf_vdso(struct elf_file *elf);

/* The GNU build-id note (NT_GNU_BUILD_ID): copies up to max bytes, returns its length, 0 if none. */
size_t elf_build_id(const struct elf_file *elf, unsigned char *out, size_t max);

/* The file name in .gnu_debuglink (and its CRC32 when crc is not NULL), or NULL. */
const char *elf_debuglink(const struct elf_file *elf, uint32_t *crc);

#endif
