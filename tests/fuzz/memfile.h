/* memfile: fuzz input as a file path, for readers that take one (an in-memory file, no disk). */
#ifndef FLAME_FUZZ_MEMFILE_H
#define FLAME_FUZZ_MEMFILE_H

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes data to a fresh memfd; path receives "/proc/self/fd/N". Returns the fd, or -1. */
static int memfile(const void *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
