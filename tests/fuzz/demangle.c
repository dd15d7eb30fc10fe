/* libFuzzer target: the C++ and Rust demanglers (common/demangle*.c) on arbitrary symbol bytes, in
 * both forms: with parameters (demangle_n) and perf script's default without them; and the legacy
 * Rust pieces flame-collapse uses, whose output must fit in the input's length. */
#include <stdint.h>
#include <stdlib.h>

#include "demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	free(demangle_n((const char *)data, size));
	free(demangle_opts((const char *)data, size, DEMANGLE_NO_PARAMS));
	char *out = malloc(size ? size : 1);
	if (out) {
		if (demangle_rust_legacy_unescape((const char *)data, size, out) > size)
			abort();
		free(out);
	}
	(void)demangle_rust_legacy_hash((const char *)data, size);
	return 0;
}
