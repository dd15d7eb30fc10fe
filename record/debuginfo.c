/* debuginfo: finding separate debug files; see debuginfo.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"
#include "debuginfo.h"

uint32_t debuginfo_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	return inflate_crc32(crc, p, n);
}

static int has_debug_info(const struct elf_file *elf)
{
	struct elf_section s;
	return elf_section_by_name(elf, ".debug_info", &s) == 0 || elf_section_by_name(elf, ".zdebug_info", &s) == 0;
}

/* Open path into out if it is the debug file wanted: it has .debug_info, the same build id when
 * both have one, and (want_crc) the link's CRC. */
static int try_file(const char *path, const unsigned char *id, size_t id_len, int want_crc, uint32_t crc,
                    const char *self, struct elf_file *out)
{
	unsigned char other[64];
	size_t other_len;

	if (self && strcmp(path, self) == 0)
		return -1;
	if (elf_open(out, path) < 0)
		return -1;
	other_len = elf_build_id(out, other, sizeof(other));
	if (!has_debug_info(out) || (id_len && other_len && (id_len != other_len || memcmp(id, other, id_len) != 0)) ||
	    (want_crc && debuginfo_crc32(0, out->data, out->size) != crc)) {
		elf_close(out);
		return -1;
	}
	return 0;
}

static int found_at(const char *path, char *found, size_t found_size)
{
	if (found && found_size)
		snprintf(found, found_size, "%s", path);
	return 0;
}

int debuginfo_find(const struct elf_file *elf, const char *path, const char *debug_dir, struct elf_file *out,
                   char *found, size_t found_size)
{
	unsigned char id[64];
	char hex[2 * sizeof(id) + 1], cand[4096], dir[4096];
	size_t n = elf_build_id(elf, id, sizeof(id));
	const char *link, *home = getenv("HOME"), *slash;
	uint32_t crc = 0;

	if (!debug_dir)
		debug_dir = "/usr/lib/debug";
	if (n >= 2) {
		for (size_t i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", id[i]);
		if ((size_t)snprintf(cand, sizeof(cand), "%s/.build-id/%.2s/%s.debug", debug_dir, hex, hex + 2) < sizeof(cand) &&
		    try_file(cand, id, n, 0, 0, path, out) == 0)
			return found_at(cand, found, found_size);
		for (int k = 0; home && *home && k < 2; k++)
			if ((size_t)snprintf(cand, sizeof(cand), "%s/.debug/.build-id/%.2s/%s/%s", home, hex, hex + 2,
			                     k == 0 ? "debug" : "elf") < sizeof(cand) &&
			    try_file(cand, id, n, 0, 0, path, out) == 0)
				return found_at(cand, found, found_size);
	}
	link = elf_debuglink(elf, &crc);
	if (!link || !*link || strchr(link, '/'))
		return -1;
	slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 0, path);
	for (int i = 0; i < 3; i++) {
		int k;
		if (i == 0)
			k = snprintf(cand, sizeof(cand), "%s/%s", dir, link);
		else if (i == 1)
			k = snprintf(cand, sizeof(cand), "%s/.debug/%s", dir, link);
		else
			k = snprintf(cand, sizeof(cand), "%s%s/%s", debug_dir, dir, link);
		if (k < 0 || (size_t)k >= sizeof(cand))
			continue;
		if (try_file(cand, id, n, 1, crc, path, out) == 0)
			return found_at(cand, found, found_size);
	}
	return -1;
}
