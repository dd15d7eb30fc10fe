/*
 * sample-floor: what sampling costs a command when nobody does anything with the samples, for
 * `make bench`:  sample-floor [-F HZ] -- command args...
 * It opens flame-record's events through the same module (record/events.c: same attributes, one
 * ring per CPU, enable at exec) and drains the rings without reading the records. The command's
 * slowdown under it is the kernel's part (timer interrupts, call-chain walks, ring writes): the
 * floor that flame-record's own overhead is measured against.
 * Prints "records=N bytes=N" on stderr; exits with the command's status.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "record/events.h"

static uint64_t bytes;

static void count_record(void *ctx, const struct perf_event_header *rec)
{
	(void)ctx;
	bytes += rec->size;
}

int main(int argc, char **argv)
{
	struct event_options opt;
	struct event_set set;
	int go[2], status = 0, i = 1;
	uint64_t hz = 999, records = 0;
	pid_t child;

	progname = "sample-floor";
	if (i + 1 < argc && strcmp(argv[i], "-F") == 0) {
		if (parse_u64(argv[i + 1], &hz) < 0 || hz == 0)
			die("-F wants a frequency in Hz");
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		die("usage: sample-floor [-F HZ] -- command [args...]");

	/* The command waits on a pipe until its events are open, as under flame-record. */
	if (pipe(go) < 0 || (child = fork()) < 0)
		die("cannot start the command: %s", strerror(errno));
	if (child == 0) {
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[i], argv + i);
		_exit(127);
	}
	close(go[0]);

	memset(&opt, 0, sizeof(opt));
	opt.event = event_lookup("cpu-clock");
	opt.use_freq = 1;
	opt.rate = hz;
	opt.sample_type = RECORD_SAMPLE_TYPE;
	opt.enable_on_exec = 1;
	events_open(&set, &opt, &child, 1, 0);

	/* The rings, and a pidfd that polls readable when the command exits. */
	struct pollfd *pfd = xcalloc(set.nrings + 1, sizeof(*pfd));
	for (size_t r = 0; r < set.nrings; r++) {
		pfd[r].fd = set.rings[r].fd;
		pfd[r].events = POLLIN;
	}
	pfd[set.nrings].fd = (int)syscall(SYS_pidfd_open, child, 0);
	pfd[set.nrings].events = POLLIN;
	if (write(go[1], "x", 1) != 1)
		die("cannot start the command: %s", strerror(errno));
	close(go[1]);

	for (;;) {
		poll(pfd, set.nrings + 1, 100);
		for (size_t r = 0; r < set.nrings; r++)
			records += ring_drain(&set.rings[r], count_record, NULL);
		if (waitpid(child, &status, WNOHANG) == child)
			break;
	}
	events_disable(&set);
	for (size_t r = 0; r < set.nrings; r++)
		records += ring_drain(&set.rings[r], count_record, NULL);
	events_close(&set);
	free(pfd);
	fprintf(stderr, "records=%llu bytes=%llu\n", (unsigned long long)records, (unsigned long long)bytes);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
