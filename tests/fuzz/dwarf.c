/* libFuzzer target: the DWARF reader (flame-record's inlined frames and source lines).
 * Input: ten little-endian 16-bit sizes, then the sections one after another in this order:
 * .debug_info, .debug_abbrev, .debug_line, .debug_str, .debug_line_str, .debug_str_offsets,
 * .debug_addr, .debug_ranges, .debug_rnglists, .debug_aranges (a size past the end is cut).
 * Each section is copied to a buffer of its exact size, so ASan sees any read past it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/dwarf.h"

#define NSEC 10

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dwarf_sections s = { 0 };
	unsigned char *buf[NSEC] = { 0 };
	size_t len[NSEC], off = 2 * NSEC;
	struct inline_frame f[16];

	if (size < off)
		return 0;
	for (int i = 0; i < NSEC; i++) {
		size_t want = (size_t)data[2 * i] | (size_t)data[2 * i + 1] << 8;
		len[i] = want < size - off ? want : size - off;
		buf[i] = malloc(len[i] ? len[i] : 1);
		memcpy(buf[i], data + off, len[i]);
		off += len[i];
	}
	s.info = buf[0], s.info_size = len[0];
	s.abbrev = buf[1], s.abbrev_size = len[1];
	s.line = buf[2], s.line_size = len[2];
	s.str = buf[3], s.str_size = len[3];
	s.line_str = buf[4], s.line_str_size = len[4];
	s.str_offsets = buf[5], s.str_offsets_size = len[5];
	s.addr = buf[6], s.addr_size_ = len[6];
	s.ranges = buf[7], s.ranges_size = len[7];
	s.rnglists = buf[8], s.rnglists_size = len[8];
	s.aranges = buf[9], s.aranges_size = len[9];
	struct dwarf *d = dwarf_from_sections(&s, "fuzz", DWARF_NAMES_DEMANGLE);
	/* Addresses: a spread over small link-time addresses, and the words of the inputs' tail. */
	for (uint64_t a = 0x1000; a < 0x3000; a += 0x40)
		dwarf_lookup(d, a, f, 16);
	for (size_t i = 0; i + 8 <= size && i < 512; i += 8) {
		uint64_t a;
		memcpy(&a, data + size - 8 - i, 8);
		dwarf_lookup(d, a, f, 16);
		dwarf_lookup(d, a & 0xffffff, f, 16);
	}
	dwarf_free(d);
	for (int i = 0; i < NSEC; i++)
		free(buf[i]);
	return 0;
}
