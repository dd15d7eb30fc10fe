/* debuginfo: where the DWARF of an ELF object is when the object itself has none, looked for as
 * gdb and perf look: DEBUG_DIR/.build-id/xx/yyyy.debug (DEBUG_DIR is /usr/lib/debug unless
 * --debug-dir says otherwise), perf's cache ~/.debug/.build-id/xx/yyyy/{debug,elf}, then the
 * .gnu_debuglink name next to the object, in its .debug directory and under DEBUG_DIR, where the
 * file's CRC32 must match the link's. A candidate with another build id is refused. */
#ifndef FLAME_RECORD_DEBUGINFO_H
#define FLAME_RECORD_DEBUGINFO_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"

/* Open the separate debug file of elf (at path) that holds .debug_info into out, its path into
 * found (found_size bytes). 0 when found, -1 otherwise. */
int debuginfo_find(const struct elf_file *elf, const char *path, const char *debug_dir, struct elf_file *out,
                   char *found, size_t found_size);

/* The CRC32 of .gnu_debuglink (IEEE 802.3, as zlib's crc32), continuing from crc (0 to start). */
uint32_t debuginfo_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif
