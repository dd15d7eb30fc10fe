/* dwarf: inlined functions and source lines from an ELF file's DWARF debug information (versions
 * 2 to 5, 32- and 64-bit), read in-process for flame-record, as `addr2line -f -i` gives them.
 *
 * Nothing is read at open but the section headers. The first lookup builds an index of the compile
 * units by address (from .debug_aranges, and for units it does not list, from each unit's own
 * ranges); a unit's functions, inlined instances and line table are read when an address first
 * falls in it, and each answer is cached by address, so a profile costs per distinct address and
 * memory follows the units touched. Every read is bounds-checked: damaged DWARF (truncated, absurd
 * sizes, cyclic abstract_origin chains) gives one warning naming the file and an empty answer for
 * the addresses it covers, so the caller falls back to the symbol table. */
#ifndef FLAME_RECORD_DWARF_H
#define FLAME_RECORD_DWARF_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"

struct dwarf;

/* One frame of an address's chain, innermost first. The strings live as long as the struct dwarf. */
struct inline_frame {
	const char *name;       /* function (linkage name demangled as asked); NULL: not known */
	const char *file;       /* source file of the line below, as DWARF names it; NULL: not known */
	unsigned line;          /* innermost frame: the address's line; others: the call site of the
	                         * frame before (inside this function); 0: not known */
};

/* How function names are given: the DWARF linkage name as is, demangled without parameters (perf
 * script's default) or with them. A function without a linkage name has its DW_AT_name. */
enum { DWARF_NAMES_RAW, DWARF_NAMES_DEMANGLE, DWARF_NAMES_PARAMS };

/* The DWARF of elf (which must stay mapped as long as the result); path names the file in
 * warnings. NULL when it has no .debug_info (or it cannot be read: compressed with zstd, split
 * DWARF; those say so once). */
struct dwarf *dwarf_open(const struct elf_file *elf, const char *path, int names);
void dwarf_free(struct dwarf *d);

/* The chain of functions at file_address (a link-time address), innermost first, the last being
 * the function the code physically belongs to. Writes at most max frames and returns how many
 * the chain has (0: no debug information covers the address). A chain of one frame whose name is
 * NULL is a source line without a function (assembly). */
size_t dwarf_lookup(struct dwarf *d, uint64_t file_address, struct inline_frame *out, size_t max);

/* Bytes allocated for what was read so far (units, lines, cache), for the bench. */
size_t dwarf_memory(const struct dwarf *d);

/* The same reader over bare section contents (tests and the fuzzer): any pointer may be NULL. */
struct dwarf_sections {
	const unsigned char *info, *abbrev, *str, *line_str, *str_offsets, *addr, *ranges, *rnglists,
	                    *aranges, *line;
	size_t info_size, abbrev_size, str_size, line_str_size, str_offsets_size, addr_size_,
	       ranges_size, rnglists_size, aranges_size, line_size;
};
struct dwarf *dwarf_from_sections(const struct dwarf_sections *sec, const char *path, int names);

#endif
