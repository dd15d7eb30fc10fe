/* libFuzzer target: the --cp palette.map reader (flame-render), read and written back. */
#include <stdint.h>
#include <string.h>

#include "memfile.h"
#include "render/color.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfile(data, size, path);
	if (fd < 0)
		return 0;
	struct palette_map pm;
	memset(&pm, 0, sizeof(pm));
	palette_map_read(&pm, path);
	palette_map_color(&pm, palette_parse("hot"), COLOR_NAME_SEEDED, "main", 4);
	palette_map_write(&pm, "/dev/null");
	palette_map_free(&pm);
	close(fd);
	return 0;
}
