/* libFuzzer target: the folded-line parser (2 and 3 columns) and count formatting. */
#include <stdint.h>
#include <string.h>

#include "folded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct folded_line f;
	struct strbuf sb = STRBUF_INIT;
	for (int two = 0; two < 2; two++) {
		if (folded_parse((const char *)data, size, two, &f) != FOLDED_OK)
			continue;
		if (f.stack_len > size || f.ncounts < 1 || f.ncounts > 2)
			__builtin_trap();
		for (int i = 0; i < f.ncounts; i++)
			folded_add_count(&sb, f.count[i].value);
	}
	sb_release(&sb);
	return 0;
}
