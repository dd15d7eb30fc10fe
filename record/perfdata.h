/* perfdata: reading the perf.data files that `perf record` writes, for `flame-record -i`.
 *
 * Both layouts perf writes are read:
 *   - the file layout ("PERFILE2" header, the attr section with each event's ids, the data section,
 *     then the feature sections: build ids, event names, os release, command line, ...);
 *   - the pipe layout (`perf record -o -`), where the same information comes as records in the
 *     stream itself (HEADER_ATTR, HEADER_FEATURE, EVENT_UPDATE, HEADER_BUILD_ID, ...).
 * The data is streamed through a fixed buffer, so memory does not grow with the file. Every size is
 * checked before it is used; a problem is reported with the file name and the byte offset of the
 * record or field at fault. Only native (little-endian on x86) files are read.
 *
 * perfdata_next hands out the records the kernel wrote (MMAP, COMM, SAMPLE, ...) and the records
 * that order them (FINISHED_ROUND, FINISHED_INIT); everything else (the header records of pipe
 * mode, id indexes, cpu and thread maps, ...) is consumed inside. Records of types it does not know
 * are skipped and counted. The records are decoded by events.h with each event's layout
 * (perfdata_layout), through the session (session.h), as flame-record's own records are. */
#ifndef FLAME_RECORD_PERFDATA_H
#define FLAME_RECORD_PERFDATA_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

#include "record/events.h"

/* perf's own record types (tools/perf/util/event.h), which the kernel never writes. */
enum {
	PD_RECORD_HEADER_ATTR = 64,
	PD_RECORD_HEADER_EVENT_TYPE = 65,
	PD_RECORD_HEADER_TRACING_DATA = 66,
	PD_RECORD_HEADER_BUILD_ID = 67,
	PD_RECORD_FINISHED_ROUND = 68,
	PD_RECORD_ID_INDEX = 69,
	PD_RECORD_AUXTRACE_INFO = 70,
	PD_RECORD_AUXTRACE = 71,
	PD_RECORD_AUXTRACE_ERROR = 72,
	PD_RECORD_THREAD_MAP = 73,
	PD_RECORD_CPU_MAP = 74,
	PD_RECORD_STAT_CONFIG = 75,
	PD_RECORD_STAT = 76,
	PD_RECORD_STAT_ROUND = 77,
	PD_RECORD_EVENT_UPDATE = 78,
	PD_RECORD_TIME_CONV = 79,
	PD_RECORD_HEADER_FEATURE = 80,
	PD_RECORD_COMPRESSED = 81,
	PD_RECORD_FINISHED_INIT = 82,
	PD_RECORD_COMPRESSED2 = 83,
};

/* Feature bits of the file header (tools/perf/util/header.h), those read here and those refused. */
enum {
	PD_FEAT_TRACING_DATA = 1,
	PD_FEAT_BUILD_ID = 2,
	PD_FEAT_HOSTNAME = 3,
	PD_FEAT_OSRELEASE = 4,
	PD_FEAT_VERSION = 5,
	PD_FEAT_ARCH = 6,
	PD_FEAT_CMDLINE = 11,
	PD_FEAT_EVENT_DESC = 12,
	PD_FEAT_AUXTRACE = 18,
	PD_FEAT_DIR_FORMAT = 24,
	PD_FEAT_COMPRESSED = 27,
	PD_FEAT_BITS = 256,
};

/* One event of the recording (one perf_event_attr), with the ids its samples carry. */
struct pd_event {
	struct perf_event_attr attr;    /* as recorded; fields newer than the recording are zero */
	uint32_t attr_size;             /* the size perf wrote */
	char name[128];                 /* as perf script prints it: "cpu-clock", "cycles:u", ... */
	int named;                      /* the name came from the file (else made from the attr) */
	uint64_t *ids;
	size_t nids, ids_cap;
};

/* A build id of the HEADER_BUILD_ID feature (or record): the object at path, as it was recorded. */
struct pd_build_id {
	char *path;
	int pid;                        /* -1: the kernel and its modules */
	uint16_t misc;                  /* PERF_RECORD_MISC_KERNEL, _USER, ... */
	unsigned char id[20];
	size_t len;
};

struct perfdata {
	const char *name;               /* for messages: the path, or "stdin" */
	int fd, own_fd;
	int pipe;                       /* the pipe layout */
	uint64_t file_size;             /* file layout: its size */
	uint64_t data_offset, data_size;
	uint64_t features[PD_FEAT_BITS / 64];

	struct pd_event *events;
	size_t nevents, events_cap;
	struct pd_build_id *build_ids;
	size_t nbuild_ids, build_ids_cap;
	char *hostname, *os_release, *perf_version, *arch, *cmdline;

	/* ids -> events */
	uint64_t *id_keys;
	uint32_t *id_events;
	size_t id_cap, id_used;

	/* streaming */
	unsigned char *buf;
	size_t buf_cap, buf_len;
	uint64_t buf_off;               /* the file offset of buf[0] */
	uint64_t pos;                   /* the file offset of the next record */
	uint64_t end;                   /* where the data ends (UINT64_MAX: at the end of the pipe) */
	int eof;                        /* the pipe or file gave no more bytes */
	unsigned char *scratch;         /* a record copied to be 8-byte aligned */
	uint64_t record_offset;         /* the file offset of the record perfdata_next gave last */

	uint64_t records;               /* records handed out */
	uint64_t unknown;               /* records of unknown types skipped */
	uint32_t unknown_types[8];      /* the first few of those types, for the message */
	size_t nunknown_types;
	uint64_t bad_records;           /* known records too short to decode (counted by the caller) */
	int data_size_guessed;          /* the header said 0 bytes of data: read to the end of the file */

	char err[1024];                 /* "FILE: byte N: what is wrong", after a -1 */
};

/* Open path ("-": standard input) and read its header: the attrs, the features, in the pipe layout
 * the header records up to the first record of the data. Returns 0, or -1 with pd->err set (the
 * file is then closed). */
int perfdata_open(struct perfdata *pd, const char *path);
/* The same from an open descriptor (not closed by perfdata_close); name is for messages. */
int perfdata_open_fd(struct perfdata *pd, int fd, const char *name);
void perfdata_close(struct perfdata *pd);

/* The next record: 1 with *rec set (valid until the next call; 8-byte aligned; rec->size bytes long,
 * at least 8), 0 at the end of the data, -1 with pd->err set. */
int perfdata_next(struct perfdata *pd, const struct perf_event_header **rec);

/* The decoding layout of an event's records, for the decoders of events.h and the session. */
void perfdata_layout(const struct pd_event *ev, struct sample_layout *out);

/* The recorded build id of the object at path (the first one listed for it), or NULL. */
const struct pd_build_id *perfdata_build_id(const struct perfdata *pd, const char *path);

/* flame-record -i: a recording to perf script text, through the same session (decoders, ordering,
 * symbols, unwinding, output) as live recording. Symbols come from the files at the recorded paths
 * when their build ids match the recorded ones, else from perf's build-id cache (~/.debug) or the
 * debug directory, else none ([unknown] with the object's path, one warning per object); kernel
 * symbols from /proc/kallsyms only when the recording's os release and kernel address are this
 * kernel's. Returns the exit status (0); dies on bad input, naming the file and byte offset. */
struct perfdata_options {
	const char *input;              /* a path, or "-" for standard input */
	const char *output;             /* a path, or "-" */
	int demangle_names;             /* SYM_MANGLED, SYM_DEMANGLE, SYM_DEMANGLE_PARAMS */
	int quiet;                      /* no summary line */
};
int perfdata_script(const struct perfdata_options *opt);

#endif
