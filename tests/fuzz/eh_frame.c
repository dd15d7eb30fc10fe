/* libFuzzer target: the .eh_frame / .eh_frame_hdr parser and CFA interpreter (flame-record). */
#include <stdint.h>

#include "record/unwind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unwind_fuzz_parse(data, size);
	return 0;
}
