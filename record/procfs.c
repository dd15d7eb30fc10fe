/* procfs: processes from /proc; see procfs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "procfs.h"

/* A /proc file whole (st_size says 0 there), NUL-terminated; NULL when it cannot be opened. */
static char *read_proc_file(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int procfs_threads(int pid, int **tids, size_t *n, size_t *cap)
{
	char path[64];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(dir = opendir(path)))
		return -1;
	while ((de = readdir(dir)) != NULL) {
		uint64_t tid;
		if (de->d_name[0] == '.' || parse_u64(de->d_name, &tid) < 0)
			continue;
		size_t seen = 0;    /* -p PID,TID lists the same threads twice */
		while (seen < *n && (*tids)[seen] != (int)tid)
			seen++;
		if (seen < *n)
			continue;
		GROW(*tids, *cap, *n + 1);
		(*tids)[(*n)++] = (int)tid;
	}
	closedir(dir);
	return 0;
}

int procfs_running(int pid)
{
	char path[64], buf[256], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	p = strrchr(buf, ')');      /* the state follows the comm, which may hold anything */
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

int procfs_parse_maps_line(char *line, struct record_mmap *m)
{
	uint64_t start, end, pgoff, major, minor, ino;
	char perms[8], *name;
	int used = 0;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %" SCNx64 ":%" SCNx64 " %" SCNu64 "%n",
	           &start, &end, perms, &pgoff, &major, &minor, &ino, &used) < 7 || !used || end < start ||
	    strlen(perms) < 4)
		return -1;
	name = line + used;
	while (*name == ' ')
		name++;
	m->addr = start;
	m->len = end - start;
	m->pgoff = pgoff;
	m->dev = major << 20 | minor;
	m->ino = ino;
	m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
	          (perms[2] == 'x' ? PROT_EXEC : 0);
	m->filename = *name ? name : "//anon";
	return 0;
}

int procfs_each_map(int pid, procfs_map_fn fn, void *ctx)
{
	char path[64], *text, *line, *next;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (!(text = read_proc_file(path, &len)))
		return -1;
	for (line = text; *line; line = next) {
		struct record_mmap m;
		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (procfs_parse_maps_line(line, &m) < 0 || !(m.prot & PROT_EXEC))
			continue;
		m.pid = m.tid = (uint32_t)pid;
		fn(ctx, &m);
	}
	free(text);
	return 0;
}

int procfs_thread_comm(int pid, int tid, char *buf, size_t size)
{
	char path[64], *text;
	size_t len;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	if ((ok = (text = read_proc_file(path, &len)) != NULL && len > 0)) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(buf, size, "%s", text);
	}
	free(text);
	return ok ? 0 : -1;
}

void procfs_each_pid(void (*fn)(void *ctx, int pid), void *ctx)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;

	while (dir && (de = readdir(dir)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end == '\0' && pid > 0 && pid <= 0x7fffffff)
			fn(ctx, (int)pid);
	}
	if (dir)
		closedir(dir);
}
