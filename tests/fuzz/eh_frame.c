/* libFuzzer target: the .eh_frame / .eh_frame_hdr parser and CFA interpreter, and elf.c's lookup of
 * them (flame-record --call-graph dwarf). The body is in eh_frame.h (the unit test runs it too). */
#include "eh_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eh_frame_fuzz_parse(data, size);
	return 0;
}
