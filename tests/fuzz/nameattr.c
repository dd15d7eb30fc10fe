/* libFuzzer target: the --nameattr file reader (flame-render). */
#include <stdint.h>
#include <string.h>

#include "memfile.h"
#include "render/nameattr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfile(data, size, path);
	if (fd < 0)
		return 0;
	struct nameattr na;
	memset(&na, 0, sizeof(na));
	nameattr_read(&na, path);
	const struct attr_set *set = nameattr_find(&na, "main", 4);
	if (set)
		attr_get(set, "title");
	nameattr_free(&na);
	close(fd);
	return 0;
}
