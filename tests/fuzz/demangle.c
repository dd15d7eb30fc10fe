/* libFuzzer target: the C++ and Rust demanglers (flame-record) on arbitrary symbol bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "record/demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	free(demangle_n((const char *)data, size));
	return 0;
}
