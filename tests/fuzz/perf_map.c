/* libFuzzer target: the /tmp/perf-PID.map reader (JIT symbols, flame-record). */
#include <stdint.h>

#include "memfile.h"
#include "record/symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfile(data, size, path);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	struct dso *dso = dso_from_perf_map_fd(fd, path);
	if (dso) {
		static const uint64_t probes[] = { 0, 1, 0x1000, 0x7f0000000000, UINT64_MAX };
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			dso_find_symbol(dso, probes[i]);
		dso_free(dso);
	}
	close(fd);
	return 0;
}
