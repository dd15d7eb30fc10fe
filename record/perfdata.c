/* perfdata: perf.data files, in the file and the pipe layout; see perfdata.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/hash.h"
#include "common/util.h"
#include "common/writer.h"
#include "record/elf.h"
#include "record/events.h"
#include "record/perfdata.h"
#include "record/session.h"
#include "record/symbols.h"

#define MAGIC 0x32454c4946524550ULL         /* "PERFILE2" read as a little-endian u64 */
#define MAGIC_SWAPPED 0x50455246494c4532ULL /* the same written by a big-endian machine */
#define FILE_HEADER_SIZE 104                /* magic, size, attr_size, 3 sections, 256 feature bits */
#define PIPE_HEADER_SIZE 16                 /* magic, size */
#define BUF_SIZE (1u << 20)                 /* the streaming buffer: any record (< 64 KiB) fits */
#define MAX_EVENTS 4096
#define MAX_IDS (1u << 22)
#define MAX_SECTION (256u << 20)            /* a feature section read whole (build ids of -a: ~1 MB) */
#define BUILD_ID_MISC_SIZE (1u << 15)       /* PERF_RECORD_MISC_BUILD_ID_SIZE: the id's length is given */
#define EVENT_UPDATE_NAME 2                 /* PERF_EVENT_UPDATE__NAME */

static int fail(struct perfdata *pd, uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct perfdata *pd, uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(pd->err, sizeof(pd->err), "%s: byte %llu: ", pd->name, (unsigned long long)offset);

	if (n < 0 || (size_t)n >= sizeof(pd->err))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(pd->err + n, sizeof(pd->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- reading at offsets (the file layout's header) and streaming (the data) ---- */

/* Whether [offset, offset + len) is inside the file (checked before anything is allocated for it). */
static int in_file(const struct perfdata *pd, uint64_t offset, uint64_t len)
{
	return offset <= pd->file_size && len <= pd->file_size - offset;
}

/* Read exactly len bytes at offset of a regular file; -1 (with the message) when the file is shorter. */
static int read_at(struct perfdata *pd, void *out, size_t len, uint64_t offset, const char *what)
{
	size_t got = 0;

	if (offset > pd->file_size || len > pd->file_size - offset)
		return fail(pd, offset, "%s (%zu bytes) goes past the end of the file (%llu bytes): truncated?", what, len,
		            (unsigned long long)pd->file_size);
	while (got < len) {
		ssize_t r = pread(pd->fd, (char *)out + got, len - got, (off_t)(offset + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(pd, offset + got, "cannot read: %s", strerror(errno));
		if (r == 0)
			return fail(pd, offset + got, "%s: the file ends here (truncated?)", what);
		got += (size_t)r;
	}
	return 0;
}

/* Have at least n bytes from pd->pos in the buffer, unless the data ends first. Returns how many
 * bytes are there (maybe fewer than n), or -1 on a read error. */
static int64_t ensure(struct perfdata *pd, size_t n)
{
	uint64_t have = pd->buf_off + pd->buf_len - pd->pos;
	size_t keep_from;

	if (have >= n)
		return (int64_t)have;
	/* Move what is left to the front, keeping its alignment to 8 bytes. */
	keep_from = (size_t)((pd->pos - pd->buf_off) & ~(uint64_t)7);
	memmove(pd->buf, pd->buf + keep_from, pd->buf_len - keep_from);
	pd->buf_off += keep_from;
	pd->buf_len -= keep_from;
	while (have < n && !pd->eof) {
		uint64_t at = pd->buf_off + pd->buf_len;
		size_t room = pd->buf_cap - pd->buf_len;
		ssize_t r;

		if (at >= pd->end) {
			pd->eof = 1;
			break;
		}
		if (pd->end - at < room)
			room = (size_t)(pd->end - at);
		if (pd->file_size)
			r = pread(pd->fd, pd->buf + pd->buf_len, room, (off_t)at);
		else
			r = read(pd->fd, pd->buf + pd->buf_len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(pd, at, "cannot read: %s", strerror(errno));
		if (r == 0) {
			pd->eof = 1;
			break;
		}
		pd->buf_len += (size_t)r;
		have += (uint64_t)r;
	}
	return (int64_t)have;
}

/* Step over n bytes of the stream (a payload that follows a record). */
static int skip(struct perfdata *pd, uint64_t n, uint64_t record_at, const char *what)
{
	while (n > 0) {
		int64_t have = ensure(pd, n < BUF_SIZE / 2 ? (size_t)n : BUF_SIZE / 2);
		if (have < 0)
			return -1;
		if (have == 0)
			return fail(pd, record_at, "%s: the data ends before its %llu bytes (truncated)", what,
			            (unsigned long long)n);
		uint64_t take = (uint64_t)have < n ? (uint64_t)have : n;
		pd->pos += take;
		n -= take;
	}
	return 0;
}

/* ---- events and their ids ---- */

static void id_table_put(struct perfdata *pd, uint64_t id, size_t event)
{
	if ((pd->id_used + 1) * 2 > pd->id_cap) {
		uint64_t *keys = pd->id_keys;
		uint32_t *events = pd->id_events;
		size_t cap = pd->id_cap;
		pd->id_cap = cap ? cap * 2 : 64;
		pd->id_keys = xcalloc(pd->id_cap, sizeof(*pd->id_keys));
		pd->id_events = xcalloc(pd->id_cap, sizeof(*pd->id_events));
		pd->id_used = 0;
		for (size_t i = 0; i < cap; i++)
			if (events[i])
				id_table_put(pd, keys[i], events[i] - 1);
		free(keys);
		free(events);
	}
	for (size_t i = hash_mix64(id) & (pd->id_cap - 1);; i = (i + 1) & (pd->id_cap - 1)) {
		if (!pd->id_events[i]) {
			pd->id_keys[i] = id;
			pd->id_events[i] = (uint32_t)event + 1;
			pd->id_used++;
			return;
		}
		if (pd->id_keys[i] == id)
			return;     /* the first event listed with an id keeps it */
	}
}

static const struct pd_event *id_table_get(const struct perfdata *pd, uint64_t id)
{
	if (!pd->id_cap)
		return NULL;
	for (size_t i = hash_mix64(id) & (pd->id_cap - 1);; i = (i + 1) & (pd->id_cap - 1)) {
		if (!pd->id_events[i])
			return NULL;
		if (pd->id_keys[i] == id)
			return &pd->events[pd->id_events[i] - 1];
	}
}

static void event_add_id(struct perfdata *pd, size_t event, uint64_t id)
{
	struct pd_event *ev = &pd->events[event];

	GROW(ev->ids, ev->ids_cap, ev->nids + 1);
	ev->ids[ev->nids++] = id;
	id_table_put(pd, id, event);
}

/* perf's name for an event it has no recorded name for: the generic event, then modifiers for what
 * it leaves out (":u" for user space only, ":ppp" for precise_ip 3, ...), as evsel__name does. */
static void default_name(const struct perf_event_attr *a, char *out, size_t size)
{
	static const char *const hardware[] = {
		"cycles", "instructions", "cache-references", "cache-misses", "branches", "branch-misses",
		"bus-cycles", "stalled-cycles-frontend", "stalled-cycles-backend", "ref-cycles",
	};
	static const char *const software[] = {
		"cpu-clock", "task-clock", "page-faults", "context-switches", "cpu-migrations", "minor-faults",
		"major-faults", "alignment-faults", "emulation-faults", "dummy", "bpf-output", "cgroup-switches",
	};
	char mods[16];
	size_t n = 0;
	int guest_default = 0;

	if (a->type == PERF_TYPE_HARDWARE && a->config < sizeof(hardware) / sizeof(*hardware))
		snprintf(out, size, "%s", hardware[a->config]);
	else if (a->type == PERF_TYPE_SOFTWARE && a->config < sizeof(software) / sizeof(*software))
		snprintf(out, size, "%s", software[a->config]);
	else if (a->type == PERF_TYPE_RAW)
		snprintf(out, size, "r%llx", (unsigned long long)a->config);
	else
		snprintf(out, size, "%u:0x%llx", a->type, (unsigned long long)a->config);
	if (a->exclude_kernel || a->exclude_user || a->exclude_hv) {
		if (!a->exclude_kernel)
			mods[n++] = 'k';
		if (!a->exclude_user)
			mods[n++] = 'u';
		if (!a->exclude_hv)
			mods[n++] = 'h';
		guest_default = 1;
	}
	for (unsigned i = 0; i < a->precise_ip && i < 3; i++)
		mods[n++] = 'p';
	if (a->precise_ip)
		guest_default = 1;
	if (a->exclude_host || (int)a->exclude_guest == guest_default) {
		if (!a->exclude_host)
			mods[n++] = 'H';
		if (!a->exclude_guest)
			mods[n++] = 'G';
	}
	if (n) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, ":%.*s", (int)n, mods);
	}
}

/* An attr as perf wrote it (size bytes, of whatever version): a new event. */
static int add_event(struct perfdata *pd, const unsigned char *attr, size_t size, uint64_t offset)
{
	struct pd_event *ev;

	if (size < PERF_ATTR_SIZE_VER0)
		return fail(pd, offset, "an event's attributes are %zu bytes, fewer than the %d of the first version", size,
		            PERF_ATTR_SIZE_VER0);
	if (pd->nevents >= MAX_EVENTS)
		return fail(pd, offset, "more than %d events", MAX_EVENTS);
	GROW(pd->events, pd->events_cap, pd->nevents + 1);
	ev = &pd->events[pd->nevents++];
	memset(ev, 0, sizeof(*ev));
	memcpy(&ev->attr, attr, size < sizeof(ev->attr) ? size : sizeof(ev->attr));
	ev->attr_size = (uint32_t)size;
	default_name(&ev->attr, ev->name, sizeof(ev->name));
	return 0;
}

static void set_name(struct pd_event *ev, const char *name, size_t max)
{
	size_t len = strnlen(name, max);

	if (len == 0)
		return;
	if (len >= sizeof(ev->name))
		len = sizeof(ev->name) - 1;
	memcpy(ev->name, name, len);
	ev->name[len] = '\0';
	ev->named = 1;
}

/* ---- feature sections (the same bytes in the file layout and in pipe mode's HEADER_FEATURE) ---- */

struct cursor {
	const unsigned char *p, *end;
	uint64_t offset;        /* the file offset of p */
};

static int take(struct cursor *c, size_t n, const unsigned char **out)
{
	if ((size_t)(c->end - c->p) < n)
		return -1;
	*out = c->p;
	c->p += n;
	c->offset += n;
	return 0;
}

/* A perf_header_string: u32 length, then that many bytes holding a NUL-terminated string. */
static int take_string(struct perfdata *pd, struct cursor *c, const char **s, const char *what)
{
	const unsigned char *p;
	uint64_t at = c->offset;
	uint32_t len;

	if (take(c, 4, &p) < 0)
		return fail(pd, at, "%s: truncated string length", what);
	len = get32(p);
	if (take(c, len, &p) < 0)
		return fail(pd, at, "%s: a string of %u bytes goes past the end of its section", what, len);
	if (len == 0 || !memchr(p, '\0', len))
		return fail(pd, at, "%s: a string without its terminating NUL", what);
	*s = (const char *)p;
	return 0;
}

static int feature_string(struct perfdata *pd, struct cursor *c, char **out, const char *what)
{
	const char *s;

	if (take_string(pd, c, &s, what) < 0)
		return -1;
	free(*out);
	*out = xstrdup(s);
	return 0;
}

/* HEADER_CMDLINE: a list of strings, kept joined by spaces. */
static int feature_cmdline(struct perfdata *pd, struct cursor *c)
{
	const unsigned char *p;
	uint64_t at = c->offset;
	uint32_t nr;
	size_t len = 0;
	char *line = NULL;

	if (take(c, 4, &p) < 0)
		return fail(pd, at, "cmdline: truncated");
	nr = get32(p);
	if (nr > (size_t)(c->end - c->p) / 4)
		return fail(pd, at, "cmdline: %u strings cannot fit in the section", nr);
	for (uint32_t i = 0; i < nr; i++) {
		const char *s;
		size_t n;
		if (take_string(pd, c, &s, "cmdline") < 0) {
			free(line);
			return -1;
		}
		n = strlen(s);
		line = xrealloc(line, len + n + 2);
		if (len)
			line[len++] = ' ';
		memcpy(line + len, s, n + 1);
		len += n;
	}
	free(pd->cmdline);
	pd->cmdline = line ? line : xstrdup("");
	return 0;
}

/* One build_id_event: header (type, misc, size), pid, 24 bytes of id, the file name. */
static int add_build_id(struct perfdata *pd, const unsigned char *p, size_t size, uint64_t at)
{
	struct pd_build_id *b;
	uint16_t misc;
	size_t len = 20;

	if (size < 8 + 4 + 24 + 1)
		return fail(pd, at, "a build id record of %zu bytes is too short", size);
	if (!memchr(p + 36, '\0', size - 36))
		return fail(pd, at, "a build id record's file name has no terminating NUL");
	memcpy(&misc, p + 4, 2);
	if (misc & BUILD_ID_MISC_SIZE) {
		len = p[12 + 20];
		if (len > 20)
			return fail(pd, at, "a build id of %zu bytes (at most 20)", len);
	}
	GROW(pd->build_ids, pd->build_ids_cap, pd->nbuild_ids + 1);
	b = &pd->build_ids[pd->nbuild_ids++];
	memset(b, 0, sizeof(*b));
	memcpy(&b->pid, p + 8, 4);
	b->misc = misc;
	memcpy(b->id, p + 12, len);
	b->len = len;
	b->path = xstrdup((const char *)p + 36);
	return 0;
}

static int feature_build_ids(struct perfdata *pd, struct cursor *c)
{
	while (c->p < c->end) {
		const unsigned char *p;
		uint64_t at = c->offset;
		uint16_t size;

		if ((size_t)(c->end - c->p) < 8)
			return fail(pd, at, "build ids: a truncated record header");
		memcpy(&size, c->p + 6, 2);
		if (size < 8)
			return fail(pd, at, "build ids: a record of size %u", size);
		if (take(c, size, &p) < 0)
			return fail(pd, at, "build ids: a record of %u bytes goes past the end of the section", size);
		if (add_build_id(pd, p, size, at) < 0)
			return -1;
	}
	return 0;
}

/* HEADER_EVENT_DESC: u32 nr, u32 attr_size, then per event: attr, u32 nr_ids, name, u64 ids[]. The
 * names go to the events with the same ids (or the same place in the list, when no ids). */
static int feature_event_desc(struct perfdata *pd, struct cursor *c)
{
	const unsigned char *p;
	uint64_t at = c->offset;
	uint32_t nr, attr_size;

	if (take(c, 8, &p) < 0)
		return fail(pd, at, "event descriptions: truncated");
	nr = get32(p);
	attr_size = get32(p + 4);
	if (attr_size < PERF_ATTR_SIZE_VER0 || attr_size > 4096)
		return fail(pd, at, "event descriptions: attributes of %u bytes", attr_size);
	for (uint32_t i = 0; i < nr; i++) {
		const unsigned char *attr, *ids;
		const char *name;
		struct pd_event *ev = NULL;
		uint32_t nids;

		at = c->offset;
		if (take(c, attr_size, &attr) < 0 || take(c, 4, &p) < 0)
			return fail(pd, at, "event description %u: truncated", i);
		nids = get32(p);
		if (take_string(pd, c, &name, "event description") < 0)
			return -1;
		if (nids > (size_t)(c->end - c->p) / 8 || take(c, (size_t)nids * 8, &ids) < 0)
			return fail(pd, at, "event description %u: %u ids go past the end of the section", i, nids);
		for (uint32_t k = 0; k < nids && !ev; k++)
			ev = (struct pd_event *)id_table_get(pd, get64(ids + 8 * k));
		if (!ev && nids == 0 && i < pd->nevents)
			ev = &pd->events[i];
		if (ev)
			set_name(ev, name, strlen(name));
	}
	return 0;
}

static int parse_feature(struct perfdata *pd, int feat, const unsigned char *data, size_t size, uint64_t offset)
{
	struct cursor c = { data, data + size, offset };

	switch (feat) {
	case PD_FEAT_BUILD_ID:
		return feature_build_ids(pd, &c);
	case PD_FEAT_HOSTNAME:
		return feature_string(pd, &c, &pd->hostname, "hostname");
	case PD_FEAT_OSRELEASE:
		return feature_string(pd, &c, &pd->os_release, "os release");
	case PD_FEAT_VERSION:
		return feature_string(pd, &c, &pd->perf_version, "perf version");
	case PD_FEAT_ARCH:
		return feature_string(pd, &c, &pd->arch, "arch");
	case PD_FEAT_CMDLINE:
		return feature_cmdline(pd, &c);
	case PD_FEAT_EVENT_DESC:
		return feature_event_desc(pd, &c);
	case PD_FEAT_AUXTRACE:
		return fail(pd, offset, "recorded with AUX area tracing (Intel PT, ARM CoreSight, ...), which flame-record "
		            "cannot decode: record a sampling event (-e cpu-clock, cycles) instead");
	case PD_FEAT_COMPRESSED:
		return fail(pd, offset, "the records are compressed (perf record -z): flame-record cannot decompress zstd; "
		            "record without -z");
	default:
		return 0;
	}
}

/* ---- the file layout's header ---- */

static int read_file_header(struct perfdata *pd)
{
	unsigned char h[FILE_HEADER_SIZE], *attrs;
	uint64_t attr_size, attrs_off, attrs_size, nfeat = 0, feat_at;

	if (read_at(pd, h, sizeof(h), 0, "the file header") < 0)
		return -1;
	if (get64(h + 8) < FILE_HEADER_SIZE)
		return fail(pd, 8, "a file header of %llu bytes (at least %d)", (unsigned long long)get64(h + 8), FILE_HEADER_SIZE);
	attr_size = get64(h + 16);
	attrs_off = get64(h + 24);
	attrs_size = get64(h + 32);
	pd->data_offset = get64(h + 40);
	pd->data_size = get64(h + 48);
	memcpy(pd->features, h + 72, sizeof(pd->features));

	/* Each entry: a perf_event_attr of the recording perf's version, then the section of its ids. */
	if (attr_size < PERF_ATTR_SIZE_VER0 + 16 || attr_size > 4096 + 16)
		return fail(pd, 16, "attribute entries of %llu bytes", (unsigned long long)attr_size);
	if (attrs_size == 0 || attrs_size % attr_size || attrs_size / attr_size > MAX_EVENTS)
		return fail(pd, 32, "an attribute section of %llu bytes does not hold whole entries of %llu bytes (or none)",
		            (unsigned long long)attrs_size, (unsigned long long)attr_size);
	if (!in_file(pd, attrs_off, attrs_size))
		return fail(pd, attrs_off, "the attribute section (%llu bytes) goes past the end of the file (%llu bytes): "
		            "truncated?", (unsigned long long)attrs_size, (unsigned long long)pd->file_size);
	attrs = xmalloc((size_t)attrs_size);
	if (read_at(pd, attrs, (size_t)attrs_size, attrs_off, "the attribute section") < 0) {
		free(attrs);
		return -1;
	}
	for (uint64_t i = 0; i < attrs_size / attr_size; i++) {
		const unsigned char *e = attrs + i * attr_size;
		uint64_t at = attrs_off + i * attr_size;
		uint64_t ids_off = get64(e + attr_size - 16), ids_size = get64(e + attr_size - 8);
		uint64_t *ids;

		if (add_event(pd, e, (size_t)(attr_size - 16), at) < 0)
			goto bad;
		if (ids_size % 8 || ids_size / 8 > MAX_IDS) {
			fail(pd, at + attr_size - 8, "event %llu: an id section of %llu bytes", (unsigned long long)i,
			     (unsigned long long)ids_size);
			goto bad;
		}
		if (!in_file(pd, ids_off, ids_size)) {
			fail(pd, ids_off, "an event's ids (%llu bytes) go past the end of the file (%llu bytes): truncated?",
			     (unsigned long long)ids_size, (unsigned long long)pd->file_size);
			goto bad;
		}
		ids = xmalloc(ids_size ? (size_t)ids_size : 1);
		if (read_at(pd, ids, (size_t)ids_size, ids_off, "an event's ids") < 0) {
			free(ids);
			goto bad;
		}
		for (uint64_t k = 0; k < ids_size / 8; k++)
			event_add_id(pd, pd->nevents - 1, ids[k]);
		free(ids);
	}
	free(attrs);

	if (pd->data_offset < FILE_HEADER_SIZE || pd->data_offset > pd->file_size)
		return fail(pd, 40, "the data section starts at byte %llu, outside the file (%llu bytes)",
		            (unsigned long long)pd->data_offset, (unsigned long long)pd->file_size);
	if (pd->data_size == 0 && pd->file_size > pd->data_offset) {
		/* perf record did not finish (killed, or out of disk): read the records up to the end. */
		pd->data_size = pd->file_size - pd->data_offset;
		pd->data_size_guessed = 1;
		memset(pd->features, 0, sizeof(pd->features));
	}
	if (pd->data_size > pd->file_size - pd->data_offset)
		return fail(pd, 48, "the data section (bytes %llu to %llu) goes past the end of the file (%llu bytes): truncated?",
		            (unsigned long long)pd->data_offset, (unsigned long long)(pd->data_offset + pd->data_size),
		            (unsigned long long)pd->file_size);

	/* The features: one section descriptor per bit set, in bit order, right after the data. */
	for (int i = 0; i < PD_FEAT_BITS / 64; i++)
		nfeat += (uint64_t)__builtin_popcountll(pd->features[i]);
	feat_at = pd->data_offset + pd->data_size;
	for (int bit = 1, k = 0; bit < PD_FEAT_BITS; bit++) {
		unsigned char sec[16], *data;
		uint64_t off, size;

		if (!(pd->features[bit / 64] >> (bit % 64) & 1))
			continue;
		if (bit == PD_FEAT_DIR_FORMAT)
			return fail(pd, feat_at, "a directory-format recording (perf record --threads): not supported");
		if (read_at(pd, sec, 16, feat_at + 16 * (uint64_t)k++, "the feature table") < 0)
			return -1;
		off = get64(sec);
		size = get64(sec + 8);
		if (bit != PD_FEAT_BUILD_ID && bit != PD_FEAT_HOSTNAME && bit != PD_FEAT_OSRELEASE && bit != PD_FEAT_VERSION &&
		    bit != PD_FEAT_ARCH && bit != PD_FEAT_CMDLINE && bit != PD_FEAT_EVENT_DESC && bit != PD_FEAT_AUXTRACE &&
		    bit != PD_FEAT_COMPRESSED)
			continue;   /* not needed here: not even read */
		if (size > MAX_SECTION)
			return fail(pd, feat_at + 16 * (uint64_t)(k - 1), "feature %d: a section of %llu bytes", bit,
			            (unsigned long long)size);
		if (!in_file(pd, off, size))
			return fail(pd, off, "feature %d: a section of %llu bytes goes past the end of the file (%llu bytes): "
			            "truncated?", bit, (unsigned long long)size, (unsigned long long)pd->file_size);
		data = xmalloc(size ? (size_t)size : 1);
		if (read_at(pd, data, (size_t)size, off, "a feature section") < 0 ||
		    parse_feature(pd, bit, data, (size_t)size, off) < 0) {
			free(data);
			return -1;
		}
		free(data);
	}
	(void)nfeat;
	return 0;
bad:
	free(attrs);
	return -1;
}

/* ---- opening ---- */

static int open_stream(struct perfdata *pd)
{
	unsigned char h[PIPE_HEADER_SIZE];
	uint64_t magic, size;
	struct stat st;
	size_t got = 0;

	if (fstat(pd->fd, &st) < 0)
		return fail(pd, 0, "cannot stat: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fail(pd, 0, "is a directory (perf record --threads writes one): not supported; "
		            "record without --threads");
	pd->file_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	pd->buf_cap = BUF_SIZE;
	pd->buf = xmalloc(pd->buf_cap);
	pd->scratch = xmalloc(65536);
	pd->end = UINT64_MAX;

	/* The first 16 bytes tell the layout; from a pipe they stay in the buffer. */
	if (pd->file_size && pd->file_size < PIPE_HEADER_SIZE)
		return fail(pd, 0, "a file of %llu bytes is no perf.data (empty or truncated)", (unsigned long long)pd->file_size);
	while (got < sizeof(h)) {
		ssize_t r = pd->file_size ? pread(pd->fd, h + got, sizeof(h) - got, (off_t)got)
		                          : read(pd->fd, h + got, sizeof(h) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(pd, got, "cannot read: %s", strerror(errno));
		if (r == 0)
			return fail(pd, got, got ? "the header is truncated" : "empty: no perf.data here");
		got += (size_t)r;
	}
	magic = get64(h);
	size = get64(h + 8);
	if (magic == MAGIC_SWAPPED)
		return fail(pd, 0, "recorded on a big-endian machine: only little-endian perf.data files are read");
	if (memcmp(h, "PERFFILE", 8) == 0)
		return fail(pd, 0, "a perf.data of the first version (PERFFILE, before 2012): not supported");
	if (magic != MAGIC)
		return fail(pd, 0, "not a perf.data file (no PERFILE2 magic)");
	if (size == PIPE_HEADER_SIZE) {
		pd->pipe = 1;
		memcpy(pd->buf, h, sizeof(h));
		pd->buf_len = sizeof(h);
		pd->pos = PIPE_HEADER_SIZE;
		if (pd->file_size)
			pd->end = pd->file_size;
		return 0;
	}
	if (!pd->file_size)
		return fail(pd, 8, "a perf.data in the file layout cannot be read from a pipe: give its path, or record "
		            "with perf record -o - to pipe it");
	if (read_file_header(pd) < 0)
		return -1;
	pd->pos = pd->buf_off = pd->data_offset;
	pd->end = pd->data_offset + pd->data_size;
	return 0;
}

static int read_pipe_header(struct perfdata *pd);

int perfdata_open_fd(struct perfdata *pd, int fd, const char *name)
{
	memset(pd, 0, sizeof(*pd));
	pd->fd = fd;
	pd->name = name;
	if (open_stream(pd) < 0 || (pd->pipe && read_pipe_header(pd) < 0)) {
		char err[sizeof(pd->err)];
		memcpy(err, pd->err, sizeof(err));
		perfdata_close(pd);
		memcpy(pd->err, err, sizeof(err));
		return -1;
	}
	if (pd->nevents == 0) {
		fail(pd, pd->pos, "no event attributes before the first record");
		perfdata_close(pd);
		return -1;
	}
	return 0;
}

int perfdata_open(struct perfdata *pd, const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return perfdata_open_fd(pd, 0, "stdin");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		memset(pd, 0, sizeof(*pd));
		snprintf(pd->err, sizeof(pd->err), "%s: %s", path, strerror(errno));
		return -1;
	}
	if (perfdata_open_fd(pd, fd, path) < 0) {
		close(fd);
		return -1;
	}
	pd->own_fd = 1;
	return 0;
}

void perfdata_close(struct perfdata *pd)
{
	if (pd->own_fd)
		close(pd->fd);
	for (size_t i = 0; i < pd->nevents; i++)
		free(pd->events[i].ids);
	free(pd->events);
	for (size_t i = 0; i < pd->nbuild_ids; i++)
		free(pd->build_ids[i].path);
	free(pd->build_ids);
	free(pd->hostname);
	free(pd->os_release);
	free(pd->perf_version);
	free(pd->arch);
	free(pd->cmdline);
	free(pd->id_keys);
	free(pd->id_events);
	free(pd->buf);
	free(pd->scratch);
	memset(pd, 0, sizeof(*pd));
}

/* ---- records ---- */

/* The record at pd->pos, without consuming it: 1, 0 at the end, -1 on an error. */
static int peek(struct perfdata *pd, const struct perf_event_header **rec)
{
	struct perf_event_header h;
	int64_t have = ensure(pd, sizeof(h));
	const unsigned char *p;

	if (have < 0)
		return -1;
	if (have == 0)
		return 0;
	if (have < (int64_t)sizeof(h))
		return fail(pd, pd->pos, "a record header cut short: %s", pd->end == UINT64_MAX ? "the data ends inside it"
		            : "the data section ends inside it");
	memcpy(&h, pd->buf + (pd->pos - pd->buf_off), sizeof(h));
	if (h.size == 0)
		return fail(pd, pd->pos, "a record of size 0 (type %u): the data is corrupt", h.type);
	if (h.size < sizeof(h))
		return fail(pd, pd->pos, "a record of size %u, smaller than its header (type %u)", h.size, h.type);
	if ((have = ensure(pd, h.size)) < 0)
		return -1;
	if (have < h.size)
		return fail(pd, pd->pos, "a record of %u bytes (type %u) is cut short: %s after %lld bytes", h.size, h.type,
		            pd->end == UINT64_MAX || pd->data_size_guessed ? "the file ends" : "the data section ends",
		            (long long)have);
	p = pd->buf + (pd->pos - pd->buf_off);
	if ((uintptr_t)p & 7) {         /* pipe mode's header records are not all 8-byte multiples */
		memcpy(pd->scratch, p, h.size);
		p = pd->scratch;
	}
	*rec = (const struct perf_event_header *)p;
	return 1;
}

static void count_unknown(struct perfdata *pd, uint32_t type)
{
	pd->unknown++;
	for (size_t i = 0; i < pd->nunknown_types; i++)
		if (pd->unknown_types[i] == type)
			return;
	if (pd->nunknown_types < sizeof(pd->unknown_types) / sizeof(*pd->unknown_types))
		pd->unknown_types[pd->nunknown_types++] = type;
}

/* A record perf wrote for itself: take what it says, step over it (and its payload). */
static int user_record(struct perfdata *pd, const struct perf_event_header *rec, uint64_t at)
{
	const unsigned char *body = (const unsigned char *)(rec + 1);
	size_t len = rec->size - sizeof(*rec);

	switch (rec->type) {
	case PD_RECORD_HEADER_ATTR: {
		uint32_t size;
		if (len < PERF_ATTR_SIZE_VER0)
			return fail(pd, at, "an attribute record of %u bytes is too short", rec->size);
		size = get32(body + 4);     /* perf_event_attr.size; 0 in the oldest files */
		if (size == 0)
			size = PERF_ATTR_SIZE_VER0;
		if (size < PERF_ATTR_SIZE_VER0 || size > len || (len - size) % 8)
			return fail(pd, at, "an attribute record of %u bytes does not fit attributes of %u bytes and ids",
			            rec->size, size);
		if (add_event(pd, body, size, at) < 0)
			return -1;
		for (size_t k = size; k < len; k += 8)
			event_add_id(pd, pd->nevents - 1, get64(body + k));
		break;
	}
	case PD_RECORD_EVENT_UPDATE:
		if (len >= 16 && get64(body) == EVENT_UPDATE_NAME) {
			struct pd_event *ev = (struct pd_event *)id_table_get(pd, get64(body + 8));
			if (ev)
				set_name(ev, (const char *)body + 16, len - 16);
		}
		break;
	case PD_RECORD_HEADER_FEATURE:
		if (len < 8)
			return fail(pd, at, "a feature record of %u bytes is too short", rec->size);
		if (get64(body) < PD_FEAT_BITS) {
			int feat = (int)get64(body);
			pd->features[feat / 64] |= 1ULL << (feat % 64);
			if (parse_feature(pd, feat, body + 8, len - 8, at + 16) < 0)
				return -1;
		}
		break;
	case PD_RECORD_HEADER_BUILD_ID:
		if (add_build_id(pd, (const unsigned char *)rec, rec->size, at) < 0)
			return -1;
		break;
	case PD_RECORD_HEADER_TRACING_DATA: {
		uint64_t payload;
		if (len < 4)
			return fail(pd, at, "a tracing data record of %u bytes is too short", rec->size);
		payload = (get32(body) + 7ULL) & ~7ULL;     /* the tracepoint formats follow the record */
		pd->pos += rec->size;
		return skip(pd, payload, at, "tracing data");
	}
	case PD_RECORD_AUXTRACE_INFO:
	case PD_RECORD_AUXTRACE:
		return fail(pd, at, "AUX area tracing data (Intel PT, ARM CoreSight, ...), which flame-record cannot "
		            "decode: record a sampling event (-e cpu-clock, cycles) instead");
	case PD_RECORD_COMPRESSED:
	case PD_RECORD_COMPRESSED2:
		return fail(pd, at, "compressed records (perf record -z): flame-record cannot decompress zstd; record "
		            "without -z");
	case PD_RECORD_HEADER_EVENT_TYPE:
	case PD_RECORD_ID_INDEX:        /* ids -> cpu, tid: the events' ids are already known */
	case PD_RECORD_AUXTRACE_ERROR:
	case PD_RECORD_THREAD_MAP:
	case PD_RECORD_CPU_MAP:
	case PD_RECORD_STAT_CONFIG:
	case PD_RECORD_STAT:
	case PD_RECORD_STAT_ROUND:
	case PD_RECORD_TIME_CONV:
		break;
	default:
		count_unknown(pd, rec->type);
		break;
	}
	pd->pos += rec->size;
	return 0;
}

/* Records of the kernel's ABI (and perf's ordering marks) are handed out; the others handled here. */
static int handed_out(uint32_t type)
{
	return (type >= PERF_RECORD_MMAP && type <= PERF_RECORD_AUX_OUTPUT_HW_ID) ||
	       type == PD_RECORD_FINISHED_ROUND || type == PD_RECORD_FINISHED_INIT;
}

/* Pipe mode: the header records that come before the data (events, features), so that the events'
 * names and the recording's os release are known before the first record is handed out. */
static int read_pipe_header(struct perfdata *pd)
{
	for (;;) {
		const struct perf_event_header *rec;
		int r = peek(pd, &rec);
		if (r <= 0)
			return r;
		if (handed_out(rec->type))
			return 0;
		if (user_record(pd, rec, pd->pos) < 0)
			return -1;
	}
}

int perfdata_next(struct perfdata *pd, const struct perf_event_header **rec)
{
	for (;;) {
		uint64_t at = pd->pos;
		int r = peek(pd, rec);

		if (r <= 0)
			return r;
		if (handed_out((*rec)->type)) {
			pd->pos += (*rec)->size;
			pd->record_offset = at;
			pd->records++;
			return 1;
		}
		if ((*rec)->type == 0 || (*rec)->type < PD_RECORD_HEADER_ATTR) {
			count_unknown(pd, (*rec)->type);      /* a kernel record newer than this reader */
			pd->pos += (*rec)->size;
			continue;
		}
		if (user_record(pd, *rec, at) < 0)
			return -1;
	}
}

const struct pd_build_id *perfdata_build_id(const struct perfdata *pd, const char *path)
{
	for (size_t i = 0; i < pd->nbuild_ids; i++)
		if (strcmp(pd->build_ids[i].path, path) == 0)
			return &pd->build_ids[i];
	return NULL;
}

void perfdata_layout(const struct pd_event *ev, struct sample_layout *out)
{
	memset(out, 0, sizeof(*out));
	out->sample_type = ev->attr.sample_type;
	out->read_format = ev->attr.read_format;
	out->regs_user = ev->attr.sample_regs_user;
	out->branch_sample_type = ev->attr.branch_sample_type;
	out->sample_id_all = ev->attr.sample_id_all;
	out->sample_period = ev->attr.sample_period;
}

/* ---- flame-record -i ---- */

#define HOLD_MAX (64u << 20)    /* pipe mode: records held until the events' names are known */

struct script {
	struct perfdata pd;
	struct symbolizer *symbols;
	struct session *session;
	struct writer out;
	size_t events_added;
	unsigned char *held;        /* pipe mode: the records before the first sample */
	size_t held_len, held_cap;
	int started;
	int kernel_ok;              /* /proc/kallsyms may name this recording's kernel frames */
	int kernel_checked;         /* its kernel map was compared with this kernel's */
	int wants_kernel;           /* some event samples the kernel */
	uint64_t missing_objects;   /* objects whose recorded build id matched no file here */
	char kallsyms[4096];        /* where the kernel symbols come from */
};

static void hex_id(const unsigned char *id, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
	if (!len)
		out[0] = '\0';
}

/* The build id of the ELF file at path: its length (0: none, or no readable ELF file). */
static size_t file_build_id(const char *path, unsigned char *id, size_t max)
{
	struct elf_file elf;
	size_t n;

	if (elf_open(&elf, path) < 0)
		return 0;
	n = elf_build_id(&elf, id, max);
	elf_close(&elf);
	return n;
}

static int same_id(const struct pd_build_id *b, const unsigned char *id, size_t len)
{
	return len == b->len && memcmp(id, b->id, len) == 0;
}

/* Try path as the file with build id b: 1 and path copied to out when it is. */
static int try_file(const struct pd_build_id *b, const char *path, char *out, size_t outlen)
{
	unsigned char id[64];
	struct stat st;
	char elf[4096];

	if (stat(path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {      /* perf's cache today: .build-id/xx/rest -> a directory holding elf */
		if (snprintf(elf, sizeof(elf), "%s/elf", path) >= (int)sizeof(elf))
			return 0;
		path = elf;
	}
	if (!same_id(b, id, file_build_id(path, id, sizeof(id))))
		return 0;
	if (snprintf(out, outlen, "%s", path) >= (int)outlen)
		return 0;
	return 1;
}

/* The symbolizer asks where the object recorded at path is: see sym_set_locate. */
static int locate(void *ctx, const char *path, char *out, size_t outlen)
{
	struct script *sc = ctx;
	const struct pd_build_id *b = perfdata_build_id(&sc->pd, path);
	char file[4096], hex[41], dir[4096];
	unsigned char id[64];
	size_t n, len;
	const char *home;

	if (!b || b->len < 2)
		return 0;       /* nothing recorded (pipe mode, perf record -B): as perf, the file at path */
	hex_id(b->id, b->len, hex);
	if (strcmp(path, "[vdso]") == 0) {
		struct elf_file elf;
		if (elf_vdso(&elf) == 0) {
			len = elf_build_id(&elf, id, sizeof(id));
			elf_close(&elf);
			if (same_id(b, id, len))
				return 0;
		}
		warn("%s: the recording's [vdso] (build id %s) is not this kernel's: its frames are [unknown]",
		     sc->pd.name, hex);
		sc->missing_objects++;
		return -1;
	}
	if (path[0] != '/')
		return 0;
	snprintf(file, sizeof(file), "%s", path);
	len = strlen(file);
	if (len > 10 && strcmp(file + len - 10, " (deleted)") == 0)
		file[len - 10] = '\0';
	n = file_build_id(file, id, sizeof(id));
	if (same_id(b, id, n)) {
		snprintf(out, outlen, "%s", file);
		return 1;
	}
	/* perf's build-id cache, then the debug directory (a debug file has the symbols too). */
	if ((home = getenv("HOME")) != NULL && *home &&
	    snprintf(dir, sizeof(dir), "%s/.debug/.build-id/%.2s/%s", home, hex, hex + 2) < (int)sizeof(dir) &&
	    try_file(b, dir, out, outlen))
		return 1;
	if (snprintf(dir, sizeof(dir), "%s/.build-id/%.2s/%s.debug", sym_debug_dir(), hex, hex + 2) < (int)sizeof(dir) &&
	    try_file(b, dir, out, outlen))
		return 1;
	if (n) {
		char other[41];
		hex_id(id, n < 20 ? n : 20, other);
		warn("%s: %s was recorded with build id %s, the file here has %s (rebuilt or upgraded since?), and "
		     "no copy was found in ~/.debug or %s: its frames are [unknown]", sc->pd.name, file, hex, other,
		     sym_debug_dir());
	} else {
		warn("%s: %s (build id %s) is not here (or not readable), nor in ~/.debug or %s: its frames are [unknown]",
		     sc->pd.name, file, hex, sym_debug_dir());
	}
	sc->missing_objects++;
	return -1;
}

/* This kernel's build id, from /sys/kernel/notes (ELF notes: namesz, descsz, type, name, desc). */
static size_t kernel_build_id(unsigned char *id, size_t max)
{
	unsigned char notes[4096];
	ssize_t len;
	size_t at = 0;
	int fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	len = read(fd, notes, sizeof(notes));
	close(fd);
	while (len > 0 && at + 12 <= (size_t)len) {
		uint32_t namesz = get32(notes + at), descsz = get32(notes + at + 4), type = get32(notes + at + 8);
		size_t name_at = at + 12, desc_at = name_at + ((namesz + 3) & ~3u);
		if (desc_at > (size_t)len || descsz > (size_t)len - desc_at)
			break;
		if (type == 3 && namesz == 4 && memcmp(notes + name_at, "GNU", 4) == 0) {   /* NT_GNU_BUILD_ID */
			size_t n = descsz < max ? descsz : max;
			memcpy(id, notes + desc_at, n);
			return n;
		}
		at = desc_at + ((descsz + 3) & ~3u);
	}
	return 0;
}

/* Which kernel symbols name this recording's kernel frames: the copy of kallsyms perf record keeps
 * in its build-id cache for the recorded kernel (~/.debug/[kernel.kallsyms]/ID/kallsyms, exact even
 * after a reboot), else this kernel's /proc/kallsyms when it is the recorded one (same os release,
 * same build id when one was recorded), else none. Writes the path to out, or returns 0 with why. */
static int kernel_symbols_source(struct script *sc, char *out, size_t outlen, char *why, size_t whylen)
{
	const struct pd_build_id *b = perfdata_build_id(&sc->pd, "[kernel.kallsyms]");
	struct utsname un;
	const char *home = getenv("HOME");
	unsigned char id[64];
	size_t n;
	char hex[41];

	if (b && b->len && home && *home) {
		struct stat st;
		hex_id(b->id, b->len, hex);
		if (snprintf(out, outlen, "%s/.debug/[kernel.kallsyms]/%s/kallsyms", home, hex) < (int)outlen &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	if (uname(&un) < 0 || !sc->pd.os_release || strcmp(sc->pd.os_release, un.release) != 0) {
		snprintf(why, whylen, "recorded on kernel %s, this is %s", sc->pd.os_release ? sc->pd.os_release : "(unknown)",
		         uname(&un) == 0 ? un.release : "?");
		return 0;
	}
	if (b && b->len && (n = kernel_build_id(id, sizeof(id))) > 0 && !same_id(b, id, n)) {
		char now[41];
		hex_id(b->id, b->len, hex);
		hex_id(id, n < 20 ? n : 20, now);
		snprintf(why, whylen, "recorded on a kernel %s with build id %s, this one has %s", un.release, hex, now);
		return 0;
	}
	snprintf(out, outlen, "/proc/kallsyms");
	return 1;
}

/* The address of a kernel symbol in /proc/kallsyms now (0 when absent or hidden). */
static uint64_t kallsyms_address(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	uint64_t addr = 0;

	for (int i = 0; f && i < 100000 && fgets(line, sizeof(line), f); i++) {
		char *end, *sym;
		uint64_t a = strtoull(line, &end, 16);
		if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
			continue;
		sym = end + 3;
		sym[strcspn(sym, "\t\n")] = '\0';
		if (strcmp(sym, name) == 0) {
			addr = a;
			break;
		}
	}
	if (f)
		fclose(f);
	return addr;
}

/* The kernel's map ("[kernel.kallsyms]_text" at the address of _text): the same kernel, but booted
 * again since (another KASLR offset), would name every kernel frame wrongly. */
static void check_kernel_map(struct script *sc, const struct perf_event_header *rec)
{
	const struct pd_event *ev = &sc->pd.events[0];
	struct sample_layout layout;
	struct record_mmap m;
	uint64_t now;
	const char *sym;

	perfdata_layout(ev, &layout);
	if ((rec->misc & PERF_RECORD_MISC_CPUMODE_MASK) != PERF_RECORD_MISC_KERNEL ||
	    record_mmap_parse(rec, &layout, &m) < 0 || strncmp(m.filename, "[kernel.kallsyms]", 17) != 0)
		return;
	sc->kernel_checked = 1;
	sym = m.filename + 17;
	if (!*sym || !(now = kallsyms_address(sym)) || now == m.pgoff)
		return;
	warn("%s: the kernel was at another address when this was recorded (%s at 0x%llx, now 0x%llx: rebooted "
	     "since?): kernel frames are [unknown]", sc->pd.name, sym, (unsigned long long)m.pgoff,
	     (unsigned long long)now);
	sc->kernel_ok = 0;
	sym_use_kallsyms(sc->symbols, "/dev/null");
}

static void add_events(struct script *sc)
{
	for (; sc->events_added < sc->pd.nevents; sc->events_added++) {
		const struct pd_event *ev = &sc->pd.events[sc->events_added];
		struct sample_layout layout;
		perfdata_layout(ev, &layout);
		session_add_event(sc->session, ev->name, &layout, ev->ids, ev->nids);
	}
}

static void start(struct script *sc)
{
	size_t at = 0;

	sc->started = 1;
	add_events(sc);
	while (at < sc->held_len) {
		const struct perf_event_header *rec = (const void *)(sc->held + at);
		session_process_record(sc->session, rec, rec->size);
		at += rec->size;
	}
	free(sc->held);
	sc->held = NULL;
	sc->held_len = 0;
}

static void feed(struct script *sc, const struct perf_event_header *rec)
{
	if (rec->type == PERF_RECORD_MMAP && sc->kernel_ok && !sc->kernel_checked)
		check_kernel_map(sc, rec);
	if (!sc->started) {
		/* Pipe mode names the events (EVENT_UPDATE) after the first records: hold those. */
		if (rec->type != PERF_RECORD_SAMPLE && rec->type != PD_RECORD_FINISHED_ROUND &&
		    rec->type != PD_RECORD_FINISHED_INIT && sc->held_len + rec->size <= HOLD_MAX) {
			GROW(sc->held, sc->held_cap, sc->held_len + rec->size);
			memcpy(sc->held + sc->held_len, rec, rec->size);
			sc->held_len += rec->size;
			return;
		}
		start(sc);
	}
	if (sc->events_added < sc->pd.nevents)
		add_events(sc);     /* pipe mode: an event added on the way (perf inject) */
	if (rec->type != PD_RECORD_FINISHED_INIT)
		session_process_record(sc->session, rec, rec->size);
}

int perfdata_script(const struct perfdata_options *opt)
{
	struct script *sc = xcalloc(1, sizeof(*sc));
	const struct perf_event_header *rec;
	const struct session_stats *st;
	char why[256];
	int dwarf = 0, r;

	if (perfdata_open(&sc->pd, opt->input) < 0)
		die("%s", sc->pd.err);
	if (sc->pd.data_size_guessed)
		warn("%s: the header gives no data size (perf record did not finish?): reading the records up to the "
		     "end of the file", sc->pd.name);
	for (size_t i = 0; i < sc->pd.nevents; i++) {
		const struct perf_event_attr *a = &sc->pd.events[i].attr;
		if ((a->sample_type & (PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER)) ==
		    (PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER))
			dwarf = 1;          /* --call-graph dwarf: unwind as perf script does */
		if (!a->exclude_kernel)
			sc->wants_kernel = 1;
	}
	sc->symbols = symbolizer_new(opt->demangle_names);
	sym_set_offline(sc->symbols);
	sym_set_locate(sc->symbols, locate, sc);
	if (!(sc->kernel_ok = kernel_symbols_source(sc, sc->kallsyms, sizeof(sc->kallsyms), why, sizeof(why)))) {
		sym_use_kallsyms(sc->symbols, "/dev/null");
		if (sc->wants_kernel)
			warn("%s: %s: kernel frames are [unknown]", sc->pd.name, why);
	} else {
		sym_use_kallsyms(sc->symbols, sc->kallsyms);
		/* A cached copy is the recorded kernel's own; /proc/kallsyms must be at the same address. */
		sc->kernel_checked = strcmp(sc->kallsyms, "/proc/kallsyms") != 0;
		/* Not preloaded: read when the first kernel frame is named (never, for a recording
		 * without any), which costs no thread and no CPU time for nothing. */
	}
	writer_open(&sc->out, opt->output);
	sc->session = session_new(sc->symbols, &sc->out, dwarf);
	if (!sc->pd.pipe)
		start(sc);
	while ((r = perfdata_next(&sc->pd, &rec)) > 0)
		feed(sc, rec);
	if (r < 0)
		die("%s", sc->pd.err);
	if (!sc->started)
		start(sc);
	session_flush(sc->session, UINT64_MAX);
	writer_close(&sc->out);

	st = session_stats(sc->session);
	if (!opt->quiet) {
		if (st->throttled)
			warn("%s: %llu samples, %llu lost, throttled %llu times", sc->pd.name, (unsigned long long)st->samples,
			     (unsigned long long)st->lost, (unsigned long long)st->throttled);
		else
			warn("%s: %llu samples, %llu lost", sc->pd.name, (unsigned long long)st->samples,
			     (unsigned long long)st->lost);
	}
	if (st->bad)
		warn("%s: %llu malformed records (or of unknown events) skipped", sc->pd.name, (unsigned long long)st->bad);
	if (sc->pd.unknown) {
		char types[128] = "";
		size_t len = 0;
		for (size_t i = 0; i < sc->pd.nunknown_types && len < sizeof(types) - 16; i++)
			len += (size_t)snprintf(types + len, sizeof(types) - len, "%s%u", i ? ", " : "", sc->pd.unknown_types[i]);
		warn("%s: %llu records of unknown types skipped (types %s%s)", sc->pd.name,
		     (unsigned long long)sc->pd.unknown, types, sc->pd.nunknown_types == 8 ? ", ..." : "");
	}
	session_free(sc->session);
	symbolizer_free(sc->symbols);
	perfdata_close(&sc->pd);
	free(sc->held);
	free(sc);
	return 0;
}
