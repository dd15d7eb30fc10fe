/* events: perf_event_open for the chosen targets, the ring buffers, and decoding of the records
 * they hold. The kernel writes; we read each buffer with the documented protocol (data_head read
 * with acquire, data_tail written with release), copying every record out so the buffer space can
 * be reused at once. */
#ifndef FLAME_RECORD_EVENTS_H
#define FLAME_RECORD_EVENTS_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* Native-endian unaligned reads of record and file fields (perf data is in the host's order). */
static inline uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* What we ask the kernel to put in each sample, in the ABI's order. `--call-graph dwarf` adds
 * PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER (decoded by sample_parse below). */
#define RECORD_SAMPLE_TYPE (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | \
                            PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN)

struct event_spec {
	const char *name;
	uint32_t type;              /* PERF_TYPE_SOFTWARE or PERF_TYPE_HARDWARE */
	uint64_t config;
};

/* The event called name, or NULL. */
const struct event_spec *event_lookup(const char *name);
/* "cpu-clock, task-clock, ..." for messages and --help. */
const char *event_names(void);

struct event_options {
	const struct event_spec *event;
	int use_freq;               /* sample_freq = rate, else sample_period = rate */
	uint64_t rate;
	int user_only;              /* exclude the kernel (asked for, or forced by permissions) */
	int enable_on_exec;         /* the command target: counting starts at its execve */
	uint64_t sample_type;       /* RECORD_SAMPLE_TYPE, plus more for future modes */
	uint64_t sample_regs_user;
	uint32_t sample_stack_user;
	int exclude_callchain_user; /* --call-graph dwarf: user frames come from the unwinder */
	size_t ring_pages;          /* data pages per ring buffer, a power of two (0: 128, 512 KiB) */
	int off_cpu;                /* --off-cpu: beside each event, a context-switch event (period 1,
	                             * the switch-out stack, PERF_RECORD_SWITCH side-band); sample_type
	                             * must then hold PERF_SAMPLE_IDENTIFIER to tell the two apart */
};

struct ring {
	int fd;
	int cpu;
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	uint64_t size;              /* bytes of data, a power of two */
	size_t map_len;
};

struct event_set {
	int *fds;
	size_t nfds, fds_cap;
	struct ring *rings;
	size_t nrings, rings_cap;
	struct event_options opt;
	int fell_back;              /* hardware event unsupported: recording cpu-clock */
	int kernel_dropped;         /* permissions forced --user-only */
	/* The kernel's ids of the fds (PERF_EVENT_IOC_ID): the sampling event's, and with off_cpu the
	 * context-switch event's, for session_add_event. */
	uint64_t *ids, *switch_ids;
	size_t nids, ids_cap, nswitch_ids, switch_ids_cap;
};

/* Online CPU numbers from /sys (0..n-1 when it cannot be read); returns how many. */
size_t online_cpu_list(int **cpus);

/* Open one event per (thread, cpu) for each tid in tids (tid -1 with system_wide: every task
 * on the cpu), with one ring buffer per cpu. On failure, prints a message that says what was
 * tried and which setting to change, then exits. */
void events_open(struct event_set *set, const struct event_options *opt, const int *tids, size_t ntids,
                 int system_wide);
/* Follow more threads (started after the list given to events_open was made), into the rings of
 * the set; threads that ended meanwhile are skipped. Returns how many were added. */
size_t events_add_threads(struct event_set *set, const int *tids, size_t ntids);
void events_enable(struct event_set *set);
void events_disable(struct event_set *set);
void events_close(struct event_set *set);

/* Calls fn for every whole record in the ring, in buffer order, and frees the space. rec points to
 * a copy when the record wraps around the buffer's end. Returns how many records were read. */
typedef void (*record_fn)(void *ctx, const struct perf_event_header *rec);
size_t ring_drain(struct ring *ring, record_fn fn, void *ctx);

/* ---- decoding ----
 * Pure functions from the bytes of one record to a struct: no state, no allocation, nothing read
 * outside rec->size bytes. rec must be 8-byte aligned (the kernel's ring and a perf.data file's
 * data section are; session_process_record copies one that is not). Each returns 0, or -1 when the
 * record is malformed (too short for what its layout says it holds, or a name without its NUL).
 * Pointers handed out (ips, regs, stack, filename, comm) point into rec. */

/* What an event's attribute says about the layout of its records. flame-record fills it from the
 * attributes it opens; a perf.data reader from the file's attribute section. */
struct sample_layout {
	uint64_t sample_type;       /* attr.sample_type */
	uint64_t read_format;       /* attr.read_format (PERF_SAMPLE_READ) */
	uint64_t regs_user;         /* attr.sample_regs_user (PERF_SAMPLE_REGS_USER) */
	uint64_t branch_sample_type;    /* attr.branch_sample_type (PERF_SAMPLE_BRANCH_STACK) */
	int sample_id_all;          /* attr.sample_id_all: every other record ends with a sample_id */
	uint64_t sample_period;     /* attr.sample_period: the period of samples without PERF_SAMPLE_PERIOD */
};

struct sample {
	uint64_t id;                /* PERF_SAMPLE_IDENTIFIER or PERF_SAMPLE_ID, else 0 */
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu;
	uint64_t period;
	uint64_t nr;                /* callchain: nr entries, context markers included */
	const uint64_t *ips;
	/* PERF_SAMPLE_REGS_USER / STACK_USER (for unwinding), when asked for */
	uint64_t regs_abi;
	const uint64_t *regs;
	size_t nregs;
	const unsigned char *stack;
	uint64_t stack_size;        /* bytes valid (dyn_size) */
};

/* A sample's cpu when the layout has no PERF_SAMPLE_CPU (perf record without -a): not printed. */
#define SAMPLE_NO_CPU UINT32_MAX

/* PERF_RECORD_SAMPLE. Fields the layout leaves out are 0 (the cpu SAMPLE_NO_CPU, the period the
 * layout's sample_period, as perf script prints them); fields after PERF_SAMPLE_STACK_USER in
 * the ABI's order (weight, data_src, ...) are not decoded. */
int sample_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct sample *out);

/* The sample_id trailer of a non-sample record (layout->sample_id_all): the fields the layout's
 * sample_type names, 0 for the others. -1 without a trailer or when the record is too short. */
struct sample_id {
	uint32_t pid, tid;
	uint64_t time, id, stream_id;
	uint32_t cpu;
};
int record_sample_id(const struct perf_event_header *rec, const struct sample_layout *layout, struct sample_id *out);

/* The event id of any record (PERF_SAMPLE_IDENTIFIER, or PERF_SAMPLE_ID where the layout puts it):
 * which attribute wrote it, when there are several. -1 when the layout carries no id. */
int record_event_id(const struct perf_event_header *rec, const struct sample_layout *layout, uint64_t *id);

/* PERF_RECORD_MMAP and PERF_RECORD_MMAP2 (dev, ino and prot are 0 for MMAP, and for an MMAP2 that
 * carries a build-id instead, PERF_RECORD_MISC_MMAP_BUILD_ID). */
struct record_mmap {
	uint32_t pid, tid;
	uint64_t addr, len, pgoff;
	uint64_t dev, ino;          /* dev as the kernel's (major << 20 | minor) */
	uint32_t prot, flags;
	unsigned char build_id[20];
	size_t build_id_size;
	const char *filename;
};
int record_mmap_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_mmap *out);

/* PERF_RECORD_COMM; exec: PERF_RECORD_MISC_COMM_EXEC, a new program image. */
struct record_comm {
	uint32_t pid, tid;
	const char *comm;
	int exec;
};
int record_comm_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_comm *out);

/* PERF_RECORD_FORK and PERF_RECORD_EXIT. */
struct record_task {
	uint32_t pid, ppid, tid, ptid;
	uint64_t time;
};
int record_task_parse(const struct perf_event_header *rec, const struct sample_layout *layout, struct record_task *out);

/* PERF_RECORD_LOST (id, lost) and PERF_RECORD_LOST_SAMPLES (lost): how many samples were lost. */
int record_lost_parse(const struct perf_event_header *rec, const struct sample_layout *layout, uint64_t *lost);

/* PERF_RECORD_THROTTLE and PERF_RECORD_UNTHROTTLE. */
struct record_throttle {
	uint64_t time, id, stream_id;
};
int record_throttle_parse(const struct perf_event_header *rec, const struct sample_layout *layout,
                          struct record_throttle *out);

#endif
