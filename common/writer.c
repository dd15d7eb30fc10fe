#include "writer.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void writer_init(struct writer *w, int fd, const char *name)
{
	w->fd = fd;
	w->name = name;
	w->sb = (struct strbuf)STRBUF_INIT;
	sb_grow(&w->sb, 1u << 17);
	/* A closed pipe is reported as an error message instead of killing us silently. */
	signal(SIGPIPE, SIG_IGN);
}

void writer_open(struct writer *w, const char *path)
{
	if (!path || strcmp(path, "-") == 0) {
		writer_init(w, 1, "<stdout>");
		return;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		die_errno("cannot open %s for writing", path);
	writer_init(w, fd, path);
}

void writer_flush(struct writer *w)
{
	size_t off = 0;
	while (off < w->sb.len) {
		ssize_t n = write(w->fd, w->sb.buf + off, w->sb.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die_errno("error writing %s", w->name);
		}
		off += (size_t)n;
	}
	sb_reset(&w->sb);
}

void writer_close(struct writer *w)
{
	writer_flush(w);
	if (w->fd > 2 && close(w->fd) != 0)
		die_errno("error closing %s", w->name);
	sb_release(&w->sb);
}
