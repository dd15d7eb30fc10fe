/* flame-record: sample a command, processes or the whole system with perf_event_open and write
 * the call stacks as `perf script` text, ready for flame-collapse. No perf binary, no perf.data. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "writer.h"
#include "events.h"
#include "perfdata.h"
#include "procfs.h"
#include "session.h"
#include "offcpu.h"
#include "output.h"
#include "symbols.h"
#include "unwind.h"

/* --call-graph dwarf: bytes of user stack copied per sample, as perf: 8192 by default, at most
 * 65528 (a record's size is 16 bits; the kernel trims the copy further to fit). */
#define STACK_DUMP_DEFAULT 8192
#define STACK_DUMP_MAX 65528
/* Records stamped more than this before a drain began are surely in the buffers: each drain
 * empties every buffer, so whatever still comes later from another CPU is newer than that. */
#define REORDER_SLACK_NS 10000000ULL

static volatile sig_atomic_t stop_count;      /* SIGINT, SIGTERM or SIGHUP received */

static void on_stop(int sig)
{
	(void)sig;
	stop_count++;
}

/* A command that ignores SIGTERM gets SIGKILL after this, or at once on a second stop signal. */
#define STOP_GRACE_NS 2000000000ULL
/* -d at most this many seconds (about 31 years): more would overflow the nanosecond deadline. */
#define DURATION_MAX 1e9

static void usage(int status)
{
	char text[4096];
	struct writer w;

	snprintf(text, sizeof(text),
	         "usage: flame-record [options] -- COMMAND [ARGS...]\n"
	         "       flame-record [options] -p PID[,PID...]\n"
	         "       flame-record [options] -a\n"
	         "       flame-record [options] -i perf.data\n"
	         "Samples call stacks and writes them as `perf script` text (to stdout or -o FILE).\n"
	         "  -i, --input FILE       read a recording of perf record instead (-: its pipe mode)\n"
	         "  -F, --freq HZ          samples per second (default 99)\n"
	         "  -c, --count PERIOD     a sample every PERIOD events instead\n"
	         "  -e, --event EVENT      %s (default cpu-clock)\n"
	         "  -p, --pid PID,...      record running processes (all their threads)\n"
	         "  -a, --all-cpus         record the whole system\n"
	         "  -d, --duration SECS    stop after SECS seconds\n"
	         "  -o, --output FILE      write to FILE instead of stdout\n"
	         "      --command-stdout FILE  the command's own stdout goes to FILE (default: to\n"
	         "                         stderr while the samples go to stdout, else unchanged)\n"
	         "      --off-cpu          also record the time threads spend blocked, as offcpu-time\n"
	         "                         samples (period: blocked ns) charged to the switch-out stack\n"
	         "      --user-only        leave out kernel frames\n"
	         "      --no-demangle      print C++ and Rust symbols as mangled\n"
	         "      --demangle-params  C++ names with their parameter lists (perf script -v)\n"
	         "      --debug-dir DIR    separate debug files (default /usr/lib/debug)\n"
	         "      --no-inline        do not expand inlined functions from DWARF into frames\n"
	         "      --srcline          print each frame's file:line (perf script -F+srcline)\n"
	         "  -g, --call-graph MODE  fp: call stacks by frame pointers (default, -g); dwarf[,SIZE]:\n"
	         "                         copy SIZE bytes of user stack (default 8192) per sample and\n"
	         "                         unwind it with .eh_frame (code built without frame pointers)\n"
	         "  -q, --quiet            no summary line on stderr\n"
	         "  -h, --help             this help\n"
	         "      --version          the version\n",
	         event_names());
	if (status) {
		fputs(text, stderr);
		exit(status);
	}
	/* Through the writer: a failed write (/dev/full) is an error, as for the samples. */
	writer_init(&w, 1, "<stdout>");
	writer_adds(&w, text);
	writer_close(&w);
	exit(0);
}

static void version(void)
{
	struct writer w;

	writer_init(&w, 1, "<stdout>");
	writer_adds(&w, "flame-record " FLAME_VERSION "\n");
	writer_close(&w);
	exit(0);
}

struct recorder {
	struct event_set events;
	struct symbolizer *symbols;
	struct writer out;
	struct session *session;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void take_record(void *ctx, const struct perf_event_header *rec)
{
	session_process_record(ctx, rec, rec->size);
}

static void drain(struct recorder *r)
{
	for (size_t i = 0; i < r->events.nrings; i++)
		ring_drain(&r->events.rings[i], take_record, r->session);
}

/* Open events for the threads of the -p processes that started while the first ones were being
 * opened: the kernel follows only threads started by a thread that already has them. */
static void follow_new_threads(struct event_set *events, const int *pids, size_t npids, const int *tids, size_t ntids)
{
	int *now = NULL, *added = NULL;
	size_t nnow = 0, now_cap = 0, nadded = 0, added_cap = 0;

	for (size_t i = 0; i < npids; i++)
		procfs_threads(pids[i], &now, &nnow, &now_cap);
	for (size_t i = 0; i < nnow; i++) {
		size_t j = 0;
		while (j < ntids && tids[j] != now[i])
			j++;
		if (j == ntids) {
			GROW(added, added_cap, nadded + 1);
			added[nadded++] = now[i];
		}
	}
	events_add_threads(events, added, nadded);
	free(now);
	free(added);
}

/* Fork the command, stopped before its execve until the events are open. */
static pid_t start_command(char **argv, int stdout_fd, int *go_fd, int *err_fd)
{
	int go[2], err[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char c;
		int e;
		close(go[1]);
		close(err[0]);
		/* Our stdout may carry the samples: the command's own output then goes to stderr, or
		 * to --command-stdout's file (stdout_fd; -1: the command keeps our stdout). */
		if (stdout_fd >= 0 && dup2(stdout_fd, 1) < 0)
			_exit(127);
		if (read(go[0], &c, 1) != 1)
			_exit(127);         /* flame-record gave up */
		signal(SIGPIPE, SIG_DFL);   /* the writer ignores it in flame-record, not for the command */
		execvp(argv[0], argv);
		e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(err[1]);
	*go_fd = go[1];
	*err_fd = err[0];
	return pid;
}

static int exit_status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

/* End the command: SIGTERM, then SIGKILL after STOP_GRACE_NS or at once when another stop signal
 * comes (a command that ignores SIGTERM must not keep flame-record waiting). Returns its wait status. */
static int stop_command(pid_t child)
{
	sig_atomic_t signals_before = stop_count;
	uint64_t start = now_ns();
	struct timespec pause = { 0, 10000000 };
	int wstatus = 0, killed = 0;
	pid_t got;

	kill(child, SIGTERM);
	for (;;) {
		got = waitpid(child, &wstatus, killed ? 0 : WNOHANG);
		if (got == child || (got < 0 && errno != EINTR))
			return wstatus;
		/* Another signal since we began waiting, or a second one in all (it may have come while
		 * the last samples were written). */
		if (!killed && (stop_count != signals_before || stop_count >= 2 || now_ns() - start >= STOP_GRACE_NS)) {
			kill(child, SIGKILL);
			killed = 1;
		} else if (!killed) {
			nanosleep(&pause, NULL);    /* SIGCHLD cuts it short */
		}
	}
}

struct config {
	struct event_options event;
	const char *output;
	int *pids;                  /* -p */
	size_t npids;
	int system_wide;            /* -a */
	char **command;             /* after -- */
	double duration;
	int demangle_names, quiet;
	int dwarf;                  /* --call-graph dwarf */
	const char *input;          /* -i: a perf.data to read instead */
	const char *command_stdout; /* --command-stdout FILE */
	char recording_opt[16];     /* an option that only recording takes (refused with -i) */
};

/* --call-graph fp, dwarf or dwarf,SIZE (perf's syntax; SIZE rounded up to whole words as perf does). */
static void parse_call_graph(const char *arg, struct config *cfg)
{
	uint64_t size = STACK_DUMP_DEFAULT;

	if (strcmp(arg, "fp") == 0) {
		cfg->dwarf = 0;
		return;
	}
	if (strncmp(arg, "dwarf", 5) != 0 || (arg[5] != '\0' && arg[5] != ','))
		die("--call-graph %s is not supported: fp (frame pointers) or dwarf[,SIZE] (unwinding a copy of "
		    "the user stack with .eh_frame)", arg);
	if (arg[5] == ',' && (parse_u64(arg + 6, &size) < 0 || size == 0 || size > STACK_DUMP_MAX))
		die("--call-graph dwarf,SIZE wants the bytes of user stack to copy per sample, 1 to %d "
		    "(default %d), not '%s'", STACK_DUMP_MAX, STACK_DUMP_DEFAULT, arg + 6);
	cfg->dwarf = 1;
	cfg->event.sample_stack_user = (uint32_t)((size + 7) & ~(uint64_t)7);
}

/* Ring buffer pages for dwarf mode: a sample is ~8 KB rather than ~200 bytes, so take 4 MB per CPU
 * where the locked-memory budget allows it (root; or kernel.perf_event_mlock_kb raised), at most
 * 256 MB in all; otherwise the default 512 KiB, which the reader still drains in time. */
static size_t dwarf_ring_pages(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = 1024, ncpus = (size_t)online_cpus();
	unsigned long long mlock_kb = 516;
	FILE *f = fopen("/proc/sys/kernel/perf_event_mlock_kb", "r");

	if (f) {
		if (fscanf(f, "%llu", &mlock_kb) != 1)
			mlock_kb = 516;
		fclose(f);
	}
	while (pages > 128 && (pages * page * ncpus > (256u << 20) ||
	                       (geteuid() != 0 && (pages + 1) * page > mlock_kb * 1024)))
		pages /= 2;
	return pages;
}

static void parse_options(int argc, char **argv, struct config *cfg)
{
	enum {
		OPT_USER_ONLY = 256, OPT_NO_DEMANGLE, OPT_DEMANGLE_PARAMS, OPT_DEBUG_DIR, OPT_NO_INLINE, OPT_SRCLINE,
		OPT_CALL_GRAPH, OPT_OFF_CPU, OPT_COMMAND_STDOUT, OPT_VERSION
	};
	static const struct option longopts[] = {
		{ "freq", required_argument, NULL, 'F' },
		{ "count", required_argument, NULL, 'c' },
		{ "event", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "all-cpus", no_argument, NULL, 'a' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "user-only", no_argument, NULL, OPT_USER_ONLY },
		{ "no-demangle", no_argument, NULL, OPT_NO_DEMANGLE },
		{ "demangle-params", no_argument, NULL, OPT_DEMANGLE_PARAMS },
		{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
		{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
		{ "srcline", no_argument, NULL, OPT_SRCLINE },
		{ "call-graph", required_argument, NULL, OPT_CALL_GRAPH },
		{ "off-cpu", no_argument, NULL, OPT_OFF_CPU },
		{ "command-stdout", required_argument, NULL, OPT_COMMAND_STDOUT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "input", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *pids_arg = NULL;
	size_t pids_cap = 0;
	uint64_t value;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->event.event = event_lookup("cpu-clock");
	cfg->event.use_freq = 1;
	cfg->event.rate = 99;
	cfg->event.sample_type = RECORD_SAMPLE_TYPE;
	cfg->output = "-";
	cfg->demangle_names = SYM_DEMANGLE;
	while ((c = getopt_long(argc, argv, "+F:c:e:p:ad:o:gqi:h", longopts, NULL)) != -1) {
		if (c > 0 && strchr("FcedUG", c))
			snprintf(cfg->recording_opt, sizeof(cfg->recording_opt), "%s",
			         c == 'U' ? "--user-only" : c == 'G' ? "--call-graph" : c == 'F' ? "-F" : c == 'c' ? "-c" : c == 'e' ? "-e" : "-d");
		if (c == OPT_OFF_CPU)
			snprintf(cfg->recording_opt, sizeof(cfg->recording_opt), "--off-cpu");
		switch (c) {
		case 'i':
			cfg->input = optarg;
			break;
		case 'F':
			if (parse_u64(optarg, &value) < 0 || value == 0)
				die("-F wants a frequency in Hz (a positive integer), not '%s'", optarg);
			cfg->event.use_freq = 1;
			cfg->event.rate = value;
			break;
		case 'c':
			if (parse_u64(optarg, &value) < 0 || value == 0)
				die("-c wants a sample period (a positive integer), not '%s'", optarg);
			cfg->event.use_freq = 0;
			cfg->event.rate = value;
			break;
		case 'e':
			if (!(cfg->event.event = event_lookup(optarg)))
				die("unknown event '%s'; known: %s", optarg, event_names());
			break;
		case 'p':
			pids_arg = optarg;
			break;
		case 'a':
			cfg->system_wide = 1;
			break;
		case 'd':
			if (parse_double(optarg, &cfg->duration) < 0 || !(cfg->duration > 0))
				die("-d wants a positive number of seconds, not '%s'", optarg);
			if (!(cfg->duration <= DURATION_MAX))
				die("-d %s is too long: at most %.0f seconds (about 31 years)", optarg, DURATION_MAX);
			break;
		case 'o':
			cfg->output = optarg;
			break;
		case OPT_USER_ONLY:
			cfg->event.user_only = 1;
			break;
		case OPT_NO_DEMANGLE:
			cfg->demangle_names = SYM_MANGLED;
			break;
		case OPT_DEMANGLE_PARAMS:
			cfg->demangle_names = SYM_DEMANGLE_PARAMS;
			break;
		case OPT_DEBUG_DIR:
			sym_set_debug_dir(optarg);
			break;
		case OPT_NO_INLINE:
			output_set_inline(0);
			break;
		case OPT_SRCLINE:
			output_set_srcline(1);
			break;
		case 'g':
			break;      /* call graphs are always recorded; fp unless --call-graph says otherwise */
		case OPT_COMMAND_STDOUT:
			if (!*optarg)
				die("--command-stdout needs a file name");
			cfg->command_stdout = optarg;
			break;
		case OPT_CALL_GRAPH:
			parse_call_graph(optarg, cfg);
			break;
		case OPT_OFF_CPU:
			cfg->event.off_cpu = 1;
			break;
		case 'q':
			cfg->quiet = 1;
			break;
		case 'h':
			usage(0);
			break;
		case OPT_VERSION:
			version();
			break;
		default:
			usage(2);
		}
	}
	if (cfg->input) {
		if (optind < argc || pids_arg || cfg->system_wide)
			die("-i reads a recording: give it no command, -p or -a");
		if (cfg->command_stdout)
			die("--command-stdout is for a command after --, not -i");
		if (cfg->recording_opt[0])
			die("%s is for recording; with -i the perf.data says how it was recorded", cfg->recording_opt);
		return;
	}
	if ((optind < argc) + !!pids_arg + cfg->system_wide != 1)
		die("say what to record: a command after --, -p PID, or -a (exactly one); see --help");
	if (optind < argc)
		cfg->command = argv + optind;
	if (cfg->command_stdout && !cfg->command)
		die("--command-stdout is for a command after --, not -p or -a");
	if (pids_arg) {
		const char *p = pids_arg;
		for (;;) {
			char *end;
			unsigned long pid = strtoul(p, &end, 10);
			if (end == p || *p == '-' || *p == '+' || pid == 0 || pid > 0x7fffffff || (*end && *end != ','))
				die("-p wants process ids separated by commas, not '%s'", pids_arg);
			size_t seen = 0;
			while (seen < cfg->npids && cfg->pids[seen] != (int)pid)
				seen++;
			if (seen == cfg->npids) {   /* twice the same would sample it twice */
				GROW(cfg->pids, pids_cap, cfg->npids + 1);
				cfg->pids[cfg->npids++] = (int)pid;
			}
			if (!*end)
				break;
			p = end + 1;
		}
	}
	if (cfg->dwarf) {
		cfg->event.sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		cfg->event.sample_regs_user = UNWIND_PERF_REGS_MASK;
		cfg->event.exclude_callchain_user = 1;  /* useless without frame pointers; perf leaves it out too */
		cfg->event.ring_pages = dwarf_ring_pages();
	}
	if (cfg->event.off_cpu) {
		cfg->event.sample_type |= PERF_SAMPLE_IDENTIFIER;  /* two events in one ring */
		if (!cfg->dwarf)
			cfg->event.ring_pages = dwarf_ring_pages();     /* a sample per switch: room for bursts */
	}
	if (cfg->event.use_freq) {
		FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "r");
		unsigned long long max;
		if (f && fscanf(f, "%llu", &max) == 1 && max > 0 && cfg->event.rate > max) {
			warn("-F %llu is above kernel.perf_event_max_sample_rate: sampling at %llu Hz",
			     (unsigned long long)cfg->event.rate, max);
			cfg->event.rate = max;
		}
		if (f)
			fclose(f);
	}
}

static void on_child(int sig)
{
	(void)sig;      /* only to interrupt poll() at once when the command exits */
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

/* What a fatal error (a write error: a closed pipe, a full disk) must still do before exiting:
 * stop and reap the command rather than orphan it, and say how far recording got. */
static struct {
	pid_t child;                /* started and not yet reaped, else -1 */
	const struct session *session;
	const struct config *cfg;
} fatal = { -1, NULL, NULL };

/* Let the forked command exec (its events are open and armed by enable_on_exec); die if it cannot. */
static void release_command(pid_t child, int go_fd, int err_fd, const char *name)
{
	ssize_t got;
	int e;

	if (write(go_fd, "x", 1) != 1)
		die("cannot start the command: %s", strerror(errno));
	close(go_fd);
	while ((got = read(err_fd, &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(err_fd);
	if (got == (ssize_t)sizeof(e)) {
		waitpid(child, NULL, 0);
		fatal.child = -1;
		die_with(127, "cannot run '%s': %s", name, strerror(e));
	}
}

/* Drain and print until the command exits, the -p processes are gone, -d passes or a signal
 * comes; then the rest. Returns the command's wait status, if it ended. */
static int record_loop(struct recorder *r, const struct config *cfg, pid_t child, int *child_done)
{
	struct pollfd *pfd = xcalloc(r->events.nrings, sizeof(*pfd));
	uint64_t deadline = cfg->duration > 0 ? now_ns() + (uint64_t)(cfg->duration * 1e9) : 0;
	int child_status = 0;

	for (size_t i = 0; i < r->events.nrings; i++) {
		pfd[i].fd = r->events.rings[i].fd;
		pfd[i].events = POLLIN;
	}
	*child_done = 0;
	for (;;) {
		uint64_t round_start = now_ns();
		int timeout = 100;      /* ms: the watermark wakes us sooner when samples pour in */

		if (deadline && deadline - round_start < 100000000ULL)
			timeout = deadline > round_start ? (int)((deadline - round_start) / 1000000) + 1 : 0;
		poll(pfd, r->events.nrings, timeout);
		round_start = now_ns();
		drain(r);
		/* While kallsyms is still being read, keep the records queued rather than wait. */
		if (sym_kernel_ready(r->symbols))
			session_flush(r->session, round_start > REORDER_SLACK_NS ? round_start - REORDER_SLACK_NS : 0);

		if (child > 0 && waitpid(child, &child_status, WNOHANG) == child) {
			*child_done = 1;
			fatal.child = -1;
			break;
		}
		/* A signal ends recording; a command still running then gets SIGTERM, as perf does
		 * to its workload (Ctrl-C in a terminal reaches it directly anyway). */
		if (stop_count || (deadline && round_start >= deadline))
			break;
		if (cfg->npids) {
			size_t alive = 0;
			for (size_t i = 0; i < cfg->npids; i++)
				alive += procfs_running(cfg->pids[i]);
			if (!alive)
				break;
		}
	}
	uint64_t end = now_ns();
	events_disable(&r->events);
	drain(r);
	session_flush(r->session, UINT64_MAX);
	session_end(r->session, end);  /* --off-cpu: threads still blocked are charged up to now */
	free(pfd);
	return child_status;
}

/* A tenth or more of the user stacks stop before the thread's start: say so, with the likely fix
 * (stacks cut short look like a flat profile and are easy to misread). */
static void report_cut_stacks(const struct config *cfg)
{
	const struct output_stack_stats *ss = output_stack_stats();

	if (cfg->quiet || ss->user_stacks < 20 || ss->cut_short * 10 < ss->user_stacks)
		return;
	double pct = 100.0 * (double)ss->cut_short / (double)ss->user_stacks;
	if (cfg->input)
		warn("%.0f%% of the user stacks end before the thread's start ([unknown] or cut short): record "
		     "with --call-graph dwarf (with a bigger SIZE if it was), or build with -fno-omit-frame-pointer", pct);
	else if (cfg->dwarf)
		warn("%.0f%% of the user stacks end before the thread's start ([unknown] or cut short): a bigger "
		     "stack copy may reach it (--call-graph dwarf,SIZE; now %u bytes)", pct,
		     (unsigned)cfg->event.sample_stack_user);
	else
		warn("%.0f%% of the user stacks end before the thread's start ([unknown] or cut short): code "
		     "without frame pointers; try --call-graph dwarf, or build with -fno-omit-frame-pointer", pct);
}

/* The summary on stderr: how many samples, lost, throttled, unwound, skipped. */
static void report(const struct session *session, const struct config *cfg)
{
	const struct session_stats *st = session_stats(session);

	if (!cfg->quiet) {
		if (st->throttled)
			warn("%llu samples, %llu lost, throttled %llu times (lower -F)", (unsigned long long)st->samples,
			     (unsigned long long)st->lost, (unsigned long long)st->throttled);
		else
			warn("%llu samples, %llu lost", (unsigned long long)st->samples, (unsigned long long)st->lost);
	}
	if (!cfg->quiet && cfg->dwarf && st->unwound)
		warn("unwound %llu user stacks: %.1f frames each, %.2f us each",
		     (unsigned long long)st->unwound, (double)st->unwound_frames / (double)st->unwound,
		     (double)st->unwind_ns / 1e3 / (double)st->unwound);
	const struct offcpu_stats *off = session_offcpu_stats(session);
	if (!cfg->quiet && off)
		warn("off-CPU: %llu offcpu-time samples, %.3f s blocked (%llu still blocked at the end), "
		     "%llu preempted switch-outs not counted", (unsigned long long)off->samples, (double)off->ns / 1e9,
		     (unsigned long long)off->at_end, (unsigned long long)off->preempted);
	if (off && off->unmatched)
		warn("off-CPU: %llu switch-outs lacked their stack, switch record or switch-in (%llu records lost in "
		     "all) and were not charged: their blocked time is missing", (unsigned long long)off->unmatched,
		     (unsigned long long)st->lost);
	if (st->bad)
		warn("%llu malformed records skipped", (unsigned long long)st->bad);
	report_cut_stacks(cfg);
}

static void on_fatal(int status)
{
	(void)status;
	die_hook = NULL;            /* a second error on the way out just exits */
	if (fatal.child > 0)
		stop_command(fatal.child);
	fatal.child = -1;
	if (fatal.session)
		report(fatal.session, fatal.cfg);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct recorder *r;
	int *tids = NULL;
	size_t ntids = 0, tids_cap = 0;
	pid_t child = -1;
	int go_fd = -1, err_fd = -1, child_status, child_done, status = 0;
	struct sample_layout layout = { 0 };
	char event_name[64];

	prog_init("flame-record", argv);
	parse_options(argc, argv, &cfg);
	if (cfg.input)
		return perfdata_script(&(struct perfdata_options){ cfg.input, cfg.output, cfg.demangle_names, cfg.quiet });
	r = xcalloc(1, sizeof(*r));
	writer_open(&r->out, cfg.output);

	/* Who to sample: every thread of the -p processes, everything (-a), or the command, forked
	 * now and held before its exec until the events are open. */
	if (cfg.npids) {
		for (size_t i = 0; i < cfg.npids; i++)
			if (procfs_threads(cfg.pids[i], &tids, &ntids, &tids_cap) < 0)
				die("no such process: %d", cfg.pids[i]);
	} else if (cfg.system_wide) {
		GROW(tids, tids_cap, 1);
		tids[ntids++] = -1;
	} else {
		int stdout_fd = strcmp(cfg.output, "-") != 0 ? -1 : 2;
		if (cfg.command_stdout) {
			stdout_fd = open(cfg.command_stdout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
			if (stdout_fd < 0)
				die_errno("--command-stdout: cannot open %s", cfg.command_stdout);
		}
		child = start_command(cfg.command, stdout_fd, &go_fd, &err_fd);
		if (stdout_fd > 2)
			close(stdout_fd);
		fatal.child = child;
		cfg.event.enable_on_exec = 1;
		GROW(tids, tids_cap, 1);
		tids[ntids++] = child;
	}
	install_signal_handlers();
	die_hook = on_fatal;

	events_open(&r->events, &cfg.event, tids, ntids, cfg.system_wide);
	if (cfg.npids)
		follow_new_threads(&r->events, cfg.pids, cfg.npids, tids, ntids);
	snprintf(event_name, sizeof(event_name), "%s%s", r->events.opt.event->name, r->events.opt.user_only ? ":u" : "");
	r->symbols = symbolizer_new(cfg.demangle_names);
	r->session = session_new(r->symbols, &r->out, cfg.dwarf);
	layout.sample_type = r->events.opt.sample_type;
	layout.regs_user = r->events.opt.sample_regs_user;
	layout.sample_id_all = 1;
	if (cfg.event.off_cpu) {
		session_add_event(r->session, event_name, &layout, r->events.ids, r->events.nids);
		session_add_switch_event(r->session, &layout, r->events.switch_ids, r->events.nswitch_ids);
	} else {
		session_add_event(r->session, event_name, &layout, NULL, 0);
	}
	fatal.session = r->session;
	fatal.cfg = &cfg;
	if (!r->events.opt.user_only)
		sym_preload_kernel(r->symbols);
	/* What was running before: its maps from /proc (the kernel reports only new ones). */
	for (size_t i = 0; i < cfg.npids; i++)
		sym_synthesize(r->symbols, cfg.pids[i]);
	if (cfg.system_wide)
		sym_synthesize_all(r->symbols);
	if (child > 0)
		release_command(child, go_fd, err_fd, cfg.command[0]);
	else
		events_enable(&r->events);

	child_status = record_loop(r, &cfg, child, &child_done);
	writer_close(&r->out);
	events_close(&r->events);

	if (child > 0) {
		if (!child_done)
			child_status = stop_command(child);
		fatal.child = -1;
		status = exit_status_of(child_status);
	}
	die_hook = NULL;
	report(r->session, &cfg);
	session_free(r->session);
	symbolizer_free(r->symbols);
	free(tids);
	free(cfg.pids);
	free(r);
	return status;
}
