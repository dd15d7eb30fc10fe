/* libFuzzer target: the perf script parser and folder (flame-collapse) on arbitrary bytes.
 * The first byte picks the options, so every tidy path is reached. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collapse/fold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char *skip[] = { "main", "hot_a" };
	struct collapse_options opt = { 0 };
	uint8_t flags = data[0];
	opt.tidy.annotate_kernel = flags & 1;
	opt.tidy.annotate_jit = flags & 2;
	opt.tidy.include_addrs = flags & 4;
	opt.include_pid = flags & 8;
	opt.include_tid = flags & 16;
	opt.srcline = flags & 32;
	opt.collapse_recursion = flags & 64;
	opt.no_aggregate = flags & 128;
	if (flags & 1) {
		opt.skip_after = skip;
		opt.nskip_after = 2;
	}
	if ((flags & 3) == 3)
		opt.event_filter = "cycles";

	struct folder f;
	struct chunk_result res = { 0 };
	folder_init(&f, &opt);
	struct block b = { .data = (char *)data + 1, .len = size - 1 };
	folder_run(&f, &b, &res);
	struct fold_total total = { 0 };
	fold_merge(&total, &f, res.first_event);
	fold_total_free(&total);
	folder_free(&f);
	for (size_t i = 0; i < res.nwarnings; i++)
		free(res.warnings[i].message);
	free(res.warnings);
	free(res.first_event);
	sb_release(&res.timeline);
	return 0;
}
