/* libFuzzer target: the C++ and Rust demanglers (common/demangle*.c) on arbitrary symbol bytes, in both
 * forms: with parameters (demangle_n) and perf script's default without them. */
#include <stdint.h>
#include <stdlib.h>

#include "demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	free(demangle_n((const char *)data, size));
	free(demangle_opts((const char *)data, size, DEMANGLE_NO_PARAMS));
	return 0;
}
