/* events: perf_event_open, ring buffers, record decoding; see events.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "events.h"

static const struct event_spec events[] = {
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
};

/* perf's own aliases for the same events. */
static const struct { const char *alias, *name; } aliases[] = {
	{ "faults", "page-faults" }, { "cs", "context-switches" }, { "cpu-cycles", "cycles" },
};

const struct event_spec *event_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
		if (strcmp(name, aliases[i].alias) == 0)
			name = aliases[i].name;
	for (size_t i = 0; i < sizeof(events) / sizeof(*events); i++)
		if (strcmp(name, events[i].name) == 0)
			return &events[i];
	return NULL;
}

const char *event_names(void)
{
	return "cpu-clock, task-clock, page-faults, context-switches, cycles, instructions, "
	       "cache-misses, branch-misses";
}

size_t online_cpu_list(int **cpus)
{
	char buf[4096], *p;
	size_t n = 0, cap = 0;
	ssize_t len;
	int fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);

	*cpus = NULL;
	len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (len > 0) {
		buf[len] = '\0';
		for (p = buf; *p && *p != '\n';) {
			char *end;
			long lo = strtol(p, &end, 10), hi = lo;
			if (end == p)
				break;
			if (*end == '-')
				hi = strtol(end + 1, &end, 10);
			for (long c = lo; c <= hi && hi - lo < 65536; c++) {
				GROW(*cpus, cap, n + 1);
				(*cpus)[n++] = (int)c;
			}
			p = *end == ',' ? end + 1 : end;
			if (*end != ',')
				break;
		}
	}
	if (n == 0) {
		int count = online_cpus();
		*cpus = xcalloc((size_t)count, sizeof(int));
		for (int c = 0; c < count; c++)
			(*cpus)[n++] = c;
	}
	return n;
}

static int read_sysctl(const char *path, long *value)
{
	char buf[64];
	ssize_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	*value = strtol(buf, NULL, 10);
	return 0;
}

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static void fill_attr(struct perf_event_attr *attr, const struct event_options *opt, int system_wide, uint32_t watermark)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = opt->event->type;
	attr->config = opt->event->config;
	attr->sample_type = opt->sample_type;
	attr->sample_regs_user = opt->sample_regs_user;
	attr->sample_stack_user = opt->sample_stack_user;
	attr->freq = opt->use_freq ? 1 : 0;
	attr->sample_period = opt->rate;    /* a union with sample_freq */
	attr->disabled = 1;
	attr->enable_on_exec = opt->enable_on_exec ? 1 : 0;
	attr->inherit = system_wide ? 0 : 1;
	attr->exclude_kernel = opt->user_only ? 1 : 0;
	attr->exclude_hv = opt->user_only ? 1 : 0;
	attr->exclude_callchain_kernel = opt->user_only ? 1 : 0;
	attr->exclude_callchain_user = opt->exclude_callchain_user ? 1 : 0;
	/* Side-band records: what each process maps, its name, its forks and exits, each with the
	 * sample id (time) so they can be put in order with the samples. */
	attr->mmap = 1;
	attr->mmap2 = 1;
	attr->comm = 1;
	attr->comm_exec = 1;
	attr->task = 1;
	attr->sample_id_all = 1;
	/* Timestamps on CLOCK_MONOTONIC: comparable with clock_gettime, for merging buffers. */
	attr->use_clockid = 1;
	attr->clockid = CLOCK_MONOTONIC;
	attr->watermark = 1;
	attr->wakeup_watermark = watermark;
}

/* --off-cpu: the context-switch event beside the sampling one. Every switch-out of a recorded
 * thread writes a sample (its stack at schedule()); attr.context_switch adds PERF_RECORD_SWITCH
 * (or SWITCH_CPU_WIDE with -a) at switch-out, with the preempted-while-runnable flag, and at
 * switch-in. The side-band of maps and tasks comes from the sampling event, not twice. A software
 * event fires at schedule() in the kernel: exclude_kernel would silence it, so only the kernel's
 * frames are left out of the stack for --user-only. */
static void fill_switch_attr(struct perf_event_attr *attr, const struct event_options *opt, int system_wide,
                             uint32_t watermark)
{
	fill_attr(attr, opt, system_wide, watermark);
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_CONTEXT_SWITCHES;
	attr->freq = 0;
	attr->sample_period = 1;
	attr->exclude_kernel = 0;
	attr->exclude_hv = 0;
	attr->mmap = 0;
	attr->mmap2 = 0;
	attr->comm = 0;
	attr->comm_exec = 0;
	attr->task = 0;
	attr->context_switch = 1;
}

static void note_id(int fd, uint64_t **ids, size_t *n, size_t *cap)
{
	uint64_t id;

	if (ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0)
		die("cannot read an event's id (PERF_EVENT_IOC_ID): %s", strerror(errno));
	GROW(*ids, *cap, *n + 1);
	(*ids)[(*n)++] = id;
}

/* Open the context-switch event of (tid, cpu) into ring_fd's buffer; the errno, or 0. */
static int open_switch_event(struct event_set *set, const struct perf_event_attr *attr, int tid, int cpu, int ring_fd)
{
	int fd = perf_event_open((struct perf_event_attr *)attr, tid, cpu);

	if (fd < 0)
		return errno;
	if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, ring_fd) < 0)
		die("cannot share cpu %d's ring buffer with the context-switch event: %s", cpu, strerror(errno));
	GROW(set->fds, set->fds_cap, set->nfds + 1);
	set->fds[set->nfds++] = fd;
	note_id(fd, &set->switch_ids, &set->nswitch_ids, &set->switch_ids_cap);
	return 0;
}

static void explain_refusal(int err, const struct event_options *opt, int system_wide, int tid)
{
	long paranoid = 2, max_rate = 0;
	int have_paranoid = read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid) == 0;

	switch (err) {
	case EACCES:
	case EPERM:
		if (have_paranoid && paranoid > 2)
			die("perf_event_open was refused (%s): kernel.perf_event_paranoid = %ld forbids every "
			    "perf event to users without CAP_PERFMON; as root run: sysctl -w kernel.perf_event_paranoid=2",
			    strerror(err), paranoid);
		if (system_wide)
			die("system-wide recording (-a) was refused (%s): it needs root or CAP_PERFMON, or "
			    "kernel.perf_event_paranoid <= 0 (it is %ld); as root run: sysctl -w kernel.perf_event_paranoid=0",
			    strerror(err), paranoid);
		if (tid > 0)
			die("not allowed to record thread %d (%s), tried with%s the kernel: a process of another user "
			    "needs root or CAP_PERFMON (and ptrace access, see kernel.yama.ptrace_scope); "
			    "kernel.perf_event_paranoid is %ld",
			    tid, strerror(err), opt->user_only ? "out" : "", paranoid);
		die("perf_event_open was refused (%s), tried with%s the kernel; kernel.perf_event_paranoid is %ld: "
		    "as root run sysctl -w kernel.perf_event_paranoid=1 (or lower)",
		    strerror(err), opt->user_only ? "out" : "", paranoid);
	case ENOENT:
	case ENODEV:
	case EOPNOTSUPP:
	case ENXIO:
		die("event %s is not supported by this kernel or machine (%s)", opt->event->name, strerror(err));
	case ENOSYS:
		die("perf_event_open is not available: the kernel lacks CONFIG_PERF_EVENTS, or a container's "
		    "seccomp profile blocks it");
	case EMFILE:
	case ENFILE:
		die("out of file descriptors opening one event per thread and CPU (%s): raise `ulimit -n`",
		    strerror(err));
	case EINVAL:
		if (opt->use_freq && read_sysctl("/proc/sys/kernel/perf_event_max_sample_rate", &max_rate) == 0 &&
		    opt->rate > (uint64_t)max_rate)
			die("frequency %llu Hz is above kernel.perf_event_max_sample_rate (%ld): use -F %ld or less",
			    (unsigned long long)opt->rate, max_rate, max_rate);
		die("perf_event_open rejected the event settings (%s) for %s", strerror(err), opt->event->name);
	default:
		die("perf_event_open failed for %s: %s", opt->event->name, strerror(err));
	}
}

static void close_fds(struct event_set *set)
{
	for (size_t i = 0; i < set->nrings; i++)
		if (set->rings[i].meta)
			munmap(set->rings[i].meta, set->rings[i].map_len);
	for (size_t i = 0; i < set->nfds; i++)
		close(set->fds[i]);
	set->nfds = 0;
	set->nrings = 0;
	set->nids = 0;
	set->nswitch_ids = 0;
}

/* Map a ring for fd: 1 + 2^k pages, smaller when the locked-memory budget says no. */
static int map_ring(struct ring *ring, int fd, size_t want_pages)
{
	int cpu = ring->cpu;
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	/* 512 KiB, as perf takes, fits kernel.perf_event_mlock_kb (516 by default) per CPU. */
	for (size_t pages = want_pages ? want_pages : 128; pages >= 2; pages /= 2) {
		size_t len = (pages + 1) * (size_t)page;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			ring->fd = fd;
			ring->cpu = cpu;
			ring->meta = p;
			ring->data = (unsigned char *)p + page;
			ring->size = pages * (uint64_t)page;
			ring->map_len = len;
			return 0;
		}
		if (errno != EPERM && errno != ENOMEM)
			break;
	}
	return -1;
}

/* Wake the reader when this much is in a ring: 64 KiB, or a quarter of a bigger ring (dwarf mode's
 * 8 KB samples would otherwise wake it every 8 samples, each wake-up a round of reads). */
static uint32_t watermark(const struct event_options *opt)
{
	uint64_t quarter = (uint64_t)opt->ring_pages * (uint64_t)sysconf(_SC_PAGESIZE) / 4;
	return quarter > 65536 ? (uint32_t)quarter : 65536;
}

/* One attempt with the current options; returns 0, or the errno of the refusal (and *bad_tid). */
static int try_open(struct event_set *set, const int *tids, size_t ntids, int system_wide, int *bad_tid)
{
	struct perf_event_attr attr, switch_attr;
	int *cpus;
	size_t ncpus = online_cpu_list(&cpus);
	int err = 0;

	fill_attr(&attr, &set->opt, system_wide, watermark(&set->opt));
	fill_switch_attr(&switch_attr, &set->opt, system_wide, watermark(&set->opt));
	for (size_t c = 0; c < ncpus && !err; c++) {
		int ring_fd = -1;
		for (size_t t = 0; t < ntids; t++) {
			int fd = perf_event_open(&attr, tids[t], cpus[c]);
			if (fd < 0) {
				if (errno == ESRCH && ntids > 1)
					continue;       /* that thread ended meanwhile */
				err = errno;
				*bad_tid = tids[t];
				break;
			}
			GROW(set->fds, set->fds_cap, set->nfds + 1);
			set->fds[set->nfds++] = fd;
			note_id(fd, &set->ids, &set->nids, &set->ids_cap);
			if (ring_fd < 0) {
				GROW(set->rings, set->rings_cap, set->nrings + 1);
				set->rings[set->nrings].cpu = cpus[c];
				if (map_ring(&set->rings[set->nrings], fd, set->opt.ring_pages) < 0)
					die("cannot map a ring buffer for cpu %d: %s (the locked-memory budget is "
					    "kernel.perf_event_mlock_kb per CPU, then `ulimit -l`)", cpus[c], strerror(errno));
				set->nrings++;
				ring_fd = fd;
			} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, ring_fd) < 0) {
				die("cannot share cpu %d's ring buffer between threads: %s", cpus[c], strerror(errno));
			}
			if (set->opt.off_cpu && (err = open_switch_event(set, &switch_attr, tids[t], cpus[c], ring_fd))) {
				if (err == ESRCH && ntids > 1) {
					err = 0;    /* ended meanwhile: its sampling event stays, harmless */
					continue;
				}
				*bad_tid = tids[t];
				break;
			}
		}
	}
	free(cpus);
	if (!err && set->nfds == 0) {
		err = ESRCH;
		*bad_tid = ntids ? tids[0] : -1;
	}
	if (err)
		close_fds(set);
	return err;
}

void events_open(struct event_set *set, const struct event_options *opt, const int *tids, size_t ntids,
                 int system_wide)
{
	int err, bad_tid = -1;

	memset(set, 0, sizeof(*set));
	set->opt = *opt;
	for (;;) {
		err = try_open(set, tids, ntids, system_wide, &bad_tid);
		if (!err) {
			if (set->kernel_dropped) {
				long paranoid = -1;
				read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid);
				warn("kernel samples are not allowed (kernel.perf_event_paranoid = %ld): recording user "
				     "space only; to include the kernel, as root: sysctl -w kernel.perf_event_paranoid=1",
				     paranoid);
			}
			return;
		}
		if (set->opt.event->type == PERF_TYPE_HARDWARE &&
		    (err == ENOENT || err == ENODEV || err == EOPNOTSUPP || err == ENXIO || err == EINVAL)) {
			warn("%s: no hardware counter here (%s), sampling cpu-clock instead", set->opt.event->name,
			     strerror(err));
			set->opt.event = event_lookup("cpu-clock");
			set->fell_back = 1;
			continue;
		}
		if ((err == EACCES || err == EPERM) && !set->opt.user_only && !system_wide) {
			set->opt.user_only = 1;
			set->kernel_dropped = 1;
			continue;
		}
		if (err == ESRCH)
			die("no such process or thread: %d", bad_tid);
		if ((err == EACCES || err == EPERM) && set->opt.off_cpu && set->opt.user_only) {
			long paranoid = -1;
			read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid);
			die("--off-cpu was refused (%s): the context-switch event fires in the kernel, at schedule(), "
			    "which kernel.perf_event_paranoid = %ld forbids without CAP_PERFMON; as root run: "
			    "sysctl -w kernel.perf_event_paranoid=1", strerror(err), paranoid);
		}
		explain_refusal(err, &set->opt, system_wide, bad_tid);
	}
}

size_t events_add_threads(struct event_set *set, const int *tids, size_t ntids)
{
	struct perf_event_attr attr, switch_attr;
	size_t added = 0;

	fill_attr(&attr, &set->opt, 0, watermark(&set->opt));
	fill_switch_attr(&switch_attr, &set->opt, 0, watermark(&set->opt));
	for (size_t t = 0; t < ntids; t++) {
		int opened = 0;
		for (size_t r = 0; r < set->nrings; r++) {
			int fd = perf_event_open(&attr, tids[t], set->rings[r].cpu);
			if (fd < 0)
				break;      /* ended meanwhile (ESRCH), or refused like the others would be */
			if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, set->rings[r].fd) < 0) {
				close(fd);
				break;
			}
			GROW(set->fds, set->fds_cap, set->nfds + 1);
			set->fds[set->nfds++] = fd;
			note_id(fd, &set->ids, &set->nids, &set->ids_cap);
			opened = 1;
			if (set->opt.off_cpu && open_switch_event(set, &switch_attr, tids[t], set->rings[r].cpu, set->rings[r].fd))
				break;
		}
		added += opened;
	}
	return added;
}

void events_enable(struct event_set *set)
{
	for (size_t i = 0; i < set->nfds; i++)
		ioctl(set->fds[i], PERF_EVENT_IOC_ENABLE, 0);
}

void events_disable(struct event_set *set)
{
	for (size_t i = 0; i < set->nfds; i++)
		ioctl(set->fds[i], PERF_EVENT_IOC_DISABLE, 0);
}

void events_close(struct event_set *set)
{
	close_fds(set);
	free(set->fds);
	free(set->rings);
	free(set->ids);
	free(set->switch_ids);
	memset(set, 0, sizeof(*set));
}

size_t ring_drain(struct ring *ring, record_fn fn, void *ctx)
{
	static _Alignas(8) unsigned char wrapped[65536];    /* a record is at most 64 KiB (u16 size) */
	uint64_t head = __atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = ring->meta->data_tail;
	uint64_t mask = ring->size - 1;
	size_t count = 0;

	while (head - tail >= sizeof(struct perf_event_header)) {
		uint64_t off = tail & mask;
		const struct perf_event_header *rec = (const void *)(ring->data + off);
		uint16_t size = rec->size;

		if (size < sizeof(*rec) || size > head - tail)
			break;      /* cannot happen with a sane kernel; do not loop on it */
		if (off + size > ring->size) {
			uint64_t first = ring->size - off;
			memcpy(wrapped, ring->data + off, first);
			memcpy(wrapped + first, ring->data, size - first);
			rec = (const void *)wrapped;
		}
		fn(ctx, rec);
		tail += size;
		count++;
	}
	__atomic_store_n(&ring->meta->data_tail, tail, __ATOMIC_RELEASE);
	return count;
}

/* Words of the sample_id trailer a layout gives non-sample records (0 without sample_id_all). */
static size_t trailer_words(const struct sample_layout *l)
{
	uint64_t t = l->sample_type;

	if (!l->sample_id_all)
		return 0;
	return !!(t & PERF_SAMPLE_TID) + !!(t & PERF_SAMPLE_TIME) + !!(t & PERF_SAMPLE_ID) +
	       !!(t & PERF_SAMPLE_STREAM_ID) + !!(t & PERF_SAMPLE_CPU) + !!(t & PERF_SAMPLE_IDENTIFIER);
}

/* The body of a non-sample record without its trailer: its length, or -1 when the trailer does not fit. */
static int record_body(const struct perf_event_header *rec, const struct sample_layout *l, const unsigned char **body,
                       size_t *len)
{
	size_t trailer = trailer_words(l) * 8;

	if (rec->size < sizeof(*rec) + trailer)
		return -1;
	*body = (const unsigned char *)(rec + 1);
	*len = rec->size - sizeof(*rec) - trailer;
	return 0;
}

int sample_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct sample *out)
{
	const uint64_t *p = (const uint64_t *)(rec + 1);
	const uint64_t *end = (const uint64_t *)((const unsigned char *)rec + (rec->size & ~7u));
	uint64_t type = layout->sample_type;

#define NEED(n) do { if ((uint64_t)(end - p) < (uint64_t)(n)) return -1; } while (0)
	memset(out, 0, sizeof(*out));
	out->cpu = SAMPLE_NO_CPU;
	out->period = layout->sample_period;
	if (rec->size < sizeof(*rec))
		return -1;
	if (type & PERF_SAMPLE_IDENTIFIER) { NEED(1); out->id = *p++; }
	if (type & PERF_SAMPLE_IP) { NEED(1); out->ip = *p++; }
	if (type & PERF_SAMPLE_TID) {
		NEED(1);
		out->pid = (uint32_t)*p;
		out->tid = (uint32_t)(*p++ >> 32);
	}
	if (type & PERF_SAMPLE_TIME) { NEED(1); out->time = *p++; }
	if (type & PERF_SAMPLE_ADDR) { NEED(1); p++; }
	if (type & PERF_SAMPLE_ID) { NEED(1); out->id = *p++; }
	if (type & PERF_SAMPLE_STREAM_ID) { NEED(1); p++; }
	if (type & PERF_SAMPLE_CPU) { NEED(1); out->cpu = (uint32_t)*p++; }
	if (type & PERF_SAMPLE_PERIOD) { NEED(1); out->period = *p++; }
	if (type & PERF_SAMPLE_READ) {
		uint64_t f = layout->read_format;
		uint64_t per_value = 1 + !!(f & PERF_FORMAT_ID) + !!(f & PERF_FORMAT_LOST);
		uint64_t times = !!(f & PERF_FORMAT_TOTAL_TIME_ENABLED) + !!(f & PERF_FORMAT_TOTAL_TIME_RUNNING);
		if (f & PERF_FORMAT_GROUP) {    /* nr, times, { value, id, lost } * nr */
			NEED(1);
			uint64_t nr = *p++;
			if (nr > (uint64_t)(end - p) / per_value)
				return -1;
			NEED(times + nr * per_value);
			p += times + nr * per_value;
		} else {                        /* value, times, id, lost */
			NEED(per_value + times);
			p += per_value + times;
		}
	}
	if (type & PERF_SAMPLE_CALLCHAIN) {
		NEED(1);
		out->nr = *p++;
		NEED(out->nr);
		out->ips = p;
		p += out->nr;
	}
	if (type & PERF_SAMPLE_RAW) {       /* u32 size, its bytes; padded so the whole is 8-aligned */
		NEED(1);
		uint64_t raw = get32((const unsigned char *)p);
		if (raw > (uint64_t)((const unsigned char *)end - (const unsigned char *)p) - 4)
			return -1;
		p += (raw + 4 + 7) / 8;
		if (p > end)
			return -1;
	}
	if (type & PERF_SAMPLE_BRANCH_STACK) {  /* nr, hw_idx, { from, to, flags } * nr */
		NEED(1);
		uint64_t nr = *p++;
		if (layout->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX) { NEED(1); p++; }
		if (nr > (uint64_t)(end - p) / 3)
			return -1;
		p += nr * 3;
	}
	if (type & PERF_SAMPLE_REGS_USER) {
		NEED(1);
		out->regs_abi = *p++;
		if (out->regs_abi) {
			out->nregs = (size_t)__builtin_popcountll(layout->regs_user);
			NEED(out->nregs);
			out->regs = p;
			p += out->nregs;
		}
	}
	if (type & PERF_SAMPLE_STACK_USER) {
		uint64_t size;
		NEED(1);
		size = *p++;
		if (size) {
			if (size % 8)
				return -1;      /* the kernel copies whole words */
			NEED(size / 8 + 1);
			out->stack = (const unsigned char *)p;
			p += size / 8;
			out->stack_size = *p++;
			if (out->stack_size > size)
				out->stack_size = size;
		}
	}
#undef NEED
	return 0;
}

int record_sample_id(const struct perf_event_header *rec, const struct sample_layout *layout, struct sample_id *out)
{
	/* The trailer, in this order: { pid, tid }, time, id, stream_id, { cpu, res }, identifier. */
	uint64_t t = layout->sample_type;
	size_t words = trailer_words(layout);
	const unsigned char *p;

	memset(out, 0, sizeof(*out));
	if (!words || rec->size < sizeof(*rec) + words * 8)
		return -1;
	p = (const unsigned char *)rec + rec->size - words * 8;
	if (t & PERF_SAMPLE_TID) {
		out->pid = get32(p);
		out->tid = get32(p + 4);
		p += 8;
	}
	if (t & PERF_SAMPLE_TIME) { out->time = get64(p); p += 8; }
	if (t & PERF_SAMPLE_ID) { out->id = get64(p); p += 8; }
	if (t & PERF_SAMPLE_STREAM_ID) { out->stream_id = get64(p); p += 8; }
	if (t & PERF_SAMPLE_CPU) { out->cpu = get32(p); p += 8; }
	if (t & PERF_SAMPLE_IDENTIFIER)
		out->id = get64(p);
	return 0;
}

int record_event_id(const struct perf_event_header *rec, const struct sample_layout *layout, uint64_t *id)
{
	uint64_t t = layout->sample_type;
	const unsigned char *body = (const unsigned char *)(rec + 1);
	size_t len = rec->size >= sizeof(*rec) ? rec->size - sizeof(*rec) : 0;

	if (rec->type == PERF_RECORD_SAMPLE) {
		/* IDENTIFIER comes first; ID after ip, { pid, tid }, time and addr. */
		size_t at = (t & PERF_SAMPLE_IDENTIFIER) ? 0 :
		            8 * (size_t)(!!(t & PERF_SAMPLE_IP) + !!(t & PERF_SAMPLE_TID) + !!(t & PERF_SAMPLE_TIME) +
		                         !!(t & PERF_SAMPLE_ADDR));
		if (!(t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_ID)) || len < at + 8)
			return -1;
		*id = get64(body + at);
		return 0;
	}
	struct sample_id sid;
	if (!(t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_ID)) || record_sample_id(rec, layout, &sid) < 0)
		return -1;
	*id = sid.id;
	return 0;
}

/* A NUL-terminated string at body + at, inside len bytes. */
static const char *string_at(const unsigned char *body, size_t len, size_t at)
{
	return len > at && memchr(body + at, '\0', len - at) ? (const char *)body + at : NULL;
}

int record_mmap_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_mmap *out)
{
	const unsigned char *body;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (record_body(rec, layout, &body, &len) < 0)
		return -1;
	if (rec->type == PERF_RECORD_MMAP) {
		/* pid, tid, addr, len, pgoff, filename */
		if (!(out->filename = string_at(body, len, 32)))
			return -1;
	} else if (rec->type == PERF_RECORD_MMAP2) {
		/* pid, tid, addr, len, pgoff, { maj, min, ino, ino_generation | build-id }, prot, flags, filename */
		if (!(out->filename = string_at(body, len, 64)))
			return -1;
		if (rec->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
			out->build_id_size = body[32] <= sizeof(out->build_id) ? body[32] : sizeof(out->build_id);
			memcpy(out->build_id, body + 36, out->build_id_size);
		} else {
			out->dev = (uint64_t)get32(body + 32) << 20 | get32(body + 36);
			out->ino = get64(body + 40);
		}
		out->prot = get32(body + 56);
		out->flags = get32(body + 60);
	} else {
		return -1;
	}
	out->pid = get32(body);
	out->tid = get32(body + 4);
	out->addr = get64(body + 8);
	out->len = get64(body + 16);
	out->pgoff = get64(body + 24);
	return 0;
}

int record_comm_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_comm *out)
{
	const unsigned char *body;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (rec->type != PERF_RECORD_COMM || record_body(rec, layout, &body, &len) < 0 ||
	    !(out->comm = string_at(body, len, 8)))
		return -1;
	out->pid = get32(body);
	out->tid = get32(body + 4);
	out->exec = (rec->misc & PERF_RECORD_MISC_COMM_EXEC) != 0;
	return 0;
}

int record_task_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_task *out)
{
	const unsigned char *body;
	size_t len;

	memset(out, 0, sizeof(*out));
	if ((rec->type != PERF_RECORD_FORK && rec->type != PERF_RECORD_EXIT) ||
	    record_body(rec, layout, &body, &len) < 0 || len < 24)
		return -1;
	out->pid = get32(body);         /* pid, ppid, tid, ptid, time */
	out->ppid = get32(body + 4);
	out->tid = get32(body + 8);
	out->ptid = get32(body + 12);
	out->time = get64(body + 16);
	return 0;
}

int record_lost_parse(const struct perf_event_header *rec, const struct sample_layout *layout, uint64_t *lost)
{
	const unsigned char *body;
	size_t len;

	*lost = 0;
	if (record_body(rec, layout, &body, &len) < 0)
		return -1;
	if (rec->type == PERF_RECORD_LOST && len >= 16)
		*lost = get64(body + 8);    /* id, lost */
	else if (rec->type == PERF_RECORD_LOST_SAMPLES && len >= 8)
		*lost = get64(body);
	else
		return -1;
	return 0;
}

int record_throttle_parse(const struct perf_event_header *rec, const struct sample_layout *layout,
                          struct record_throttle *out)
{
	const unsigned char *body;
	size_t len;

	memset(out, 0, sizeof(*out));
	if ((rec->type != PERF_RECORD_THROTTLE && rec->type != PERF_RECORD_UNTHROTTLE) ||
	    record_body(rec, layout, &body, &len) < 0 || len < 24)
		return -1;
	out->time = get64(body);
	out->id = get64(body + 8);
	out->stream_id = get64(body + 16);
	return 0;
}
