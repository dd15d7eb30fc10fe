/* Unit tests of the perf.data reader (record/perfdata.c): files built here byte by byte in both
 * layouts perf writes, with attributes of other perf versions' sizes, several events, the feature
 * sections, pipe mode's header records (misaligned among them), and every kind of bad input. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "record/perfdata.h"

/* Bytes under construction. */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	if (n)
		memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put64(struct buf *b, uint64_t v) { put(b, &v, 8); }
static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void set64(struct buf *b, size_t at, uint64_t v) { memcpy(b->p + at, &v, 8); }
static void zeros(struct buf *b, size_t n)
{
	static const unsigned char z[4096];
	put(b, z, n);
}

/* A record: header, then body bytes (padded with zeros to pad, when pad > 0). */
static void record(struct buf *b, uint32_t type, uint16_t misc, const void *body, size_t len, size_t pad)
{
	struct perf_event_header h = { type, misc, (uint16_t)(sizeof(h) + len + (pad ? (pad - len % pad) % pad : 0)) };
	put(b, &h, sizeof(h));
	put(b, body, len);
	zeros(b, h.size - sizeof(h) - len);
}

/* A perf_header_string: u32 length (rounded up to 8 here), the string, NULs. */
static void header_string(struct buf *b, const char *s)
{
	uint32_t len = (uint32_t)((strlen(s) + 1 + 7) & ~7u);
	put32(b, len);
	put(b, s, strlen(s));
	zeros(b, len - strlen(s));
}

/* An attr of attr_size bytes (perf_event_attr.size says so). */
static void attr_bytes(struct buf *b, uint32_t attr_size, uint32_t type, uint64_t config, uint64_t sample_type,
                       uint64_t flags)
{
	struct perf_event_attr a;
	size_t n = attr_size < sizeof(a) ? attr_size : sizeof(a);
	memset(&a, 0, sizeof(a));
	a.type = type;
	a.size = attr_size;
	a.config = config;
	a.sample_period = 4000;
	a.sample_type = sample_type;
	memcpy((unsigned char *)&a + 40, &flags, 8);    /* the bit fields (disabled, inherit, ...) */
	put(b, &a, n);
	zeros(b, attr_size - n);
}

static int open_bytes(struct perfdata *pd, const struct buf *b)
{
	int fd = memfd_create("perfdata", 0);
	if (fd < 0 || write(fd, b->p, b->len) != (ssize_t)b->len)
		return -2;
	int r = perfdata_open_fd(pd, fd, "test.data");
	if (r < 0)
		close(fd);
	return r;
}

/* Through a real pipe (the bytes must fit its buffer). */
static int open_pipe(struct perfdata *pd, const struct buf *b)
{
	int fds[2];
	if (pipe(fds) < 0 || write(fds[1], b->p, b->len) != (ssize_t)b->len)
		return -2;
	close(fds[1]);
	return perfdata_open_fd(pd, fds[0], "stdin");
}

/* Count the records handed out, by type; -1 on an error. */
static int drain(struct perfdata *pd, int counts[128])
{
	const struct perf_event_header *rec;
	int r, n = 0;
	memset(counts, 0, 128 * sizeof(int));
	while ((r = perfdata_next(pd, &rec)) > 0) {
		CHECK(((uintptr_t)rec & 7) == 0);
		CHECK(rec->size >= 8);
		counts[rec->type < 128 ? rec->type : 127]++;
		n++;
	}
	return r < 0 ? -1 : n;
}

#define ST_BASE (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD)
#define FLAG_EXCLUDE_KERNEL (1ULL << 5)
#define FLAG_SAMPLE_ID_ALL (1ULL << 18)
#define FLAG_EXCLUDE_GUEST (1ULL << 20)

/* A file-layout perf.data: nevents events (attr_size bytes each), the given records, features. */
struct file_spec {
	uint32_t attr_size;
	int nevents;
	uint64_t sample_type[2], flags[2];
	uint32_t type[2];
	uint64_t config[2];
	const struct buf *data;
	int with_features;
};

static void build_file(struct buf *out, const struct file_spec *s)
{
	size_t attrs_at = 104, ids_at, data_at, feat_at;
	out->len = 0;
	zeros(out, 104);
	memcpy(out->p, "PERFILE2", 8);
	set64(out, 8, 104);
	set64(out, 16, s->attr_size + 16);
	ids_at = attrs_at + (size_t)s->nevents * (s->attr_size + 16);
	for (int i = 0; i < s->nevents; i++) {
		attr_bytes(out, s->attr_size, s->type[i], s->config[i], s->sample_type[i], s->flags[i]);
		put64(out, ids_at + 16 * (size_t)i);
		put64(out, 16);
	}
	for (int i = 0; i < s->nevents; i++) {
		put64(out, 100 + 10 * (uint64_t)i);
		put64(out, 101 + 10 * (uint64_t)i);
	}
	set64(out, 24, attrs_at);
	set64(out, 32, (size_t)s->nevents * (s->attr_size + 16));
	data_at = out->len;
	put(out, s->data->p, s->data->len);
	set64(out, 40, data_at);
	set64(out, 48, s->data->len);
	if (!s->with_features)
		return;
	/* Features: BUILD_ID (2), OSRELEASE (4), CMDLINE (11), EVENT_DESC (12). */
	uint64_t bits = 1ULL << 2 | 1ULL << 4 | 1ULL << 11 | 1ULL << 12;
	set64(out, 72, bits);
	feat_at = out->len;
	zeros(out, 4 * 16);
	struct buf f = { 0 };
	size_t sec[4][2];
	/* build ids: one record per object */
	sec[0][0] = out->len;
	{
		struct buf r = { 0 };
		int32_t pid = -1;
		unsigned char id[24] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
		put(&r, &pid, 4);
		put(&r, id, 24);
		put(&r, "/usr/bin/app\0\0\0\0", 16);
		record(out, 0, PERF_RECORD_MISC_USER, r.p, r.len, 0);
		id[20] = 8;     /* PERF_RECORD_MISC_BUILD_ID_SIZE: an 8-byte id */
		r.len = 0;
		put(&r, &pid, 4);
		put(&r, id, 24);
		put(&r, "[kernel.kallsyms]\0\0\0\0\0\0\0", 24);
		record(out, 0, PERF_RECORD_MISC_KERNEL | (1u << 15), r.p, r.len, 0);
		free(r.p);
	}
	sec[0][1] = out->len - sec[0][0];
	sec[1][0] = out->len;
	header_string(out, "6.1.0-test");
	sec[1][1] = out->len - sec[1][0];
	sec[2][0] = out->len;
	put32(out, 3);
	header_string(out, "perf");
	header_string(out, "record");
	header_string(out, "-g");
	sec[2][1] = out->len - sec[2][0];
	sec[3][0] = out->len;
	put32(out, (uint32_t)s->nevents);
	put32(out, s->attr_size);
	for (int i = s->nevents - 1; i >= 0; i--) {     /* listed backwards: matched by their ids */
		attr_bytes(out, s->attr_size, s->type[i], s->config[i], s->sample_type[i], s->flags[i]);
		put32(out, 2);
		header_string(out, i ? "second:u" : "first-event");
		put64(out, 100 + 10 * (uint64_t)i);
		put64(out, 101 + 10 * (uint64_t)i);
	}
	sec[3][1] = out->len - sec[3][0];
	for (int i = 0; i < 4; i++) {
		set64(out, feat_at + 16 * (size_t)i, sec[i][0]);
		set64(out, feat_at + 16 * (size_t)i + 8, sec[i][1]);
	}
	free(f.p);
}

/* The records of a small recording: COMM, MMAP2, two SAMPLEs, FINISHED_ROUND, and records that
 * are consumed (ID_INDEX, THREAD_MAP) or unknown (kernel type 30, user type 99). */
static void build_data(struct buf *d, uint64_t sample_type)
{
	struct buf body = { 0 };
	uint32_t pidtid[2] = { 42, 42 };

	d->len = 0;
	put(&body, pidtid, 8);
	put(&body, "app\0\0\0\0\0", 8);
	put64(&body, 42 | 42ULL << 32);     /* sample_id trailer: tid, time */
	put64(&body, 1000);
	record(d, PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC, body.p, body.len, 8);
	body.len = 0;
	put(&body, pidtid, 8);
	put64(&body, 0x400000);
	put64(&body, 0x1000);
	put64(&body, 0);
	zeros(&body, 32);                   /* maj, min, ino, ino_generation */
	put32(&body, 5);                    /* prot: read, exec */
	put32(&body, 2);
	put(&body, "/usr/bin/app\0\0\0\0", 16);
	put64(&body, 42 | 42ULL << 32);
	put64(&body, 1001);
	record(d, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER, body.p, body.len, 8);
	for (int i = 0; i < 2; i++) {
		body.len = 0;
		if (sample_type & PERF_SAMPLE_IDENTIFIER)
			put64(&body, 100);
		put64(&body, 0x400100 + (uint64_t)i);
		put64(&body, 42 | 42ULL << 32);
		put64(&body, 2000 + (uint64_t)i);
		if (sample_type & PERF_SAMPLE_ID)
			put64(&body, 110);
		put64(&body, 250000);
		record(d, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, body.p, body.len, 8);
	}
	body.len = 0;
	put64(&body, 0);
	record(d, PD_RECORD_ID_INDEX, 0, body.p, body.len, 8);
	record(d, PD_RECORD_THREAD_MAP, 0, body.p, body.len, 8);
	record(d, 30, 0, body.p, body.len, 8);
	record(d, 99, 0, body.p, body.len, 8);
	record(d, PD_RECORD_FINISHED_ROUND, 0, NULL, 0, 0);
	free(body.p);
}

static void test_file_layout(void)
{
	struct buf data = { 0 }, file = { 0 };
	struct file_spec spec = { 64, 1, { ST_BASE }, { FLAG_SAMPLE_ID_ALL }, { PERF_TYPE_SOFTWARE }, { 0 }, &data, 1 };
	struct perfdata pd;
	int counts[128];

	/* Attributes of the first version (64 bytes), as perf 2.6.3x wrote them. */
	build_data(&data, ST_BASE);
	build_file(&file, &spec);
	CHECK(open_bytes(&pd, &file) == 0);
	CHECK(!pd.pipe);
	CHECK(pd.nevents == 1);
	CHECK(pd.events[0].attr_size == 64);
	CHECK(pd.events[0].attr.sample_type == ST_BASE);
	CHECK(pd.events[0].nids == 2 && pd.events[0].ids[1] == 101);
	CHECK_STR(pd.events[0].name, "first-event");
	CHECK(pd.events[0].named);
	CHECK(pd.os_release && strcmp(pd.os_release, "6.1.0-test") == 0);
	CHECK(pd.cmdline && strcmp(pd.cmdline, "perf record -g") == 0);
	const struct pd_build_id *b = perfdata_build_id(&pd, "/usr/bin/app");
	CHECK(b && b->len == 20 && b->id[0] == 0xde && b->id[19] == 16);
	b = perfdata_build_id(&pd, "[kernel.kallsyms]");
	CHECK(b && b->len == 8 && b->id[7] == 4);
	CHECK(perfdata_build_id(&pd, "/nope") == NULL);
	CHECK(drain(&pd, counts) == 5);
	CHECK(counts[PERF_RECORD_COMM] == 1 && counts[PERF_RECORD_MMAP2] == 1 && counts[PERF_RECORD_SAMPLE] == 2);
	CHECK(counts[PD_RECORD_FINISHED_ROUND] == 1);
	CHECK(pd.unknown == 2 && pd.nunknown_types == 2 && pd.unknown_types[0] == 30 && pd.unknown_types[1] == 99);
	struct sample_layout layout;
	perfdata_layout(&pd.events[0], &layout);
	CHECK(layout.sample_type == ST_BASE && layout.sample_id_all && layout.sample_period == 4000);
	perfdata_close(&pd);

	/* Attributes bigger than this reader knows (a newer perf): the known part is read. */
	spec.attr_size = 256;
	build_file(&file, &spec);
	CHECK(open_bytes(&pd, &file) == 0);
	CHECK(pd.events[0].attr_size == 256 && pd.events[0].attr.sample_type == ST_BASE);
	CHECK(drain(&pd, counts) == 5);
	perfdata_close(&pd);

	/* Two events, told apart by PERF_SAMPLE_ID; names from EVENT_DESC listed in another order. */
	build_data(&data, ST_BASE | PERF_SAMPLE_ID);
	struct file_spec two = { 128, 2, { ST_BASE | PERF_SAMPLE_ID, ST_BASE | PERF_SAMPLE_ID },
	                         { FLAG_SAMPLE_ID_ALL, FLAG_SAMPLE_ID_ALL }, { PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE },
	                         { 0, 1 }, &data, 1 };
	build_file(&file, &two);
	CHECK(open_bytes(&pd, &file) == 0);
	CHECK(pd.nevents == 2);
	CHECK_STR(pd.events[0].name, "first-event");
	CHECK_STR(pd.events[1].name, "second:u");
	CHECK(pd.events[1].ids[0] == 110);
	perfdata_close(&pd);

	/* No features: names made from the attributes, as perf makes them. */
	two.with_features = 0;
	two.flags[1] = FLAG_SAMPLE_ID_ALL | FLAG_EXCLUDE_KERNEL | 1ULL << 6 | FLAG_EXCLUDE_GUEST;  /* + exclude_hv */
	build_file(&file, &two);
	CHECK(open_bytes(&pd, &file) == 0);
	CHECK_STR(pd.events[0].name, "cpu-clock:HG");
	CHECK_STR(pd.events[1].name, "instructions:uH");
	CHECK(!pd.events[0].named && pd.os_release == NULL);
	perfdata_close(&pd);
	free(data.p);
	free(file.p);
}

static void test_pipe_layout(void)
{
	struct buf s = { 0 }, body = { 0 };
	struct perfdata pd;
	int counts[128];

	put(&s, "PERFILE2", 8);
	put64(&s, 16);
	attr_bytes(&body, 128, PERF_TYPE_SOFTWARE, 0, ST_BASE | PERF_SAMPLE_IDENTIFIER, FLAG_SAMPLE_ID_ALL);
	put64(&body, 7);
	put64(&body, 8);
	record(&s, PD_RECORD_HEADER_ATTR, 0, body.p, body.len, 0);
	/* HEADER_FEATURE OSRELEASE of 4 + 9 bytes: every record after it is misaligned by 4. */
	body.len = 0;
	put64(&body, PD_FEAT_OSRELEASE);
	put32(&body, 13);
	put(&body, "6.9.9-xy\0\0\0\0\0", 13);
	record(&s, PD_RECORD_HEADER_FEATURE, 0, body.p, body.len, 4);
	body.len = 0;
	put64(&body, 2);                    /* PERF_EVENT_UPDATE__NAME */
	put64(&body, 8);
	put(&body, "cpu-clock:ppp\0\0\0", 16);
	record(&s, PD_RECORD_EVENT_UPDATE, 0, body.p, body.len, 0);
	/* Tracing data: 13 bytes that follow the record, padded to 16. */
	body.len = 0;
	put32(&body, 13);
	record(&s, PD_RECORD_HEADER_TRACING_DATA, 0, body.p, body.len, 0);
	zeros(&s, 16);
	body.len = 0;
	put64(&body, 7);
	put64(&body, 0x1234);
	put64(&body, 5 | 6ULL << 32);
	put64(&body, 999);
	put64(&body, 1);
	record(&s, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER, body.p, body.len, 0);
	record(&s, PD_RECORD_FINISHED_ROUND, 0, NULL, 0, 0);

	CHECK(open_pipe(&pd, &s) == 0);
	CHECK(pd.pipe);
	CHECK(pd.nevents == 1 && pd.events[0].nids == 2);
	CHECK(pd.os_release && strcmp(pd.os_release, "6.9.9-xy") == 0);
	CHECK(drain(&pd, counts) == 2);
	CHECK_STR(pd.events[0].name, "cpu-clock:ppp");
	CHECK(counts[PERF_RECORD_SAMPLE] == 1 && counts[PD_RECORD_FINISHED_ROUND] == 1);
	CHECK(pd.unknown == 0);
	perfdata_close(&pd);
	/* The same bytes in a regular file (perf record -o - > file). */
	CHECK(open_bytes(&pd, &s) == 0);
	CHECK(pd.pipe && drain(&pd, counts) == 2);
	perfdata_close(&pd);

	/* Cut inside the sample: the error names stdin and the sample's offset. */
	size_t sample_at = s.len - 8 - 48;
	s.len -= 8 + 10;
	int r = open_pipe(&pd, &s);     /* the sample is the first record: open looks at it already */
	if (r == 0)
		r = drain(&pd, counts);
	CHECK(r < 0);
	char want[64];
	snprintf(want, sizeof(want), "stdin: byte %zu: a record of 48 bytes", sample_at);
	CHECK(strncmp(pd.err, want, strlen(want)) == 0);
	if (strncmp(pd.err, want, strlen(want)) != 0)
		fprintf(stderr, "got: %s\nwant: %s\n", pd.err, want);
	if (pd.buf)
		perfdata_close(&pd);
	free(s.p);
	free(body.p);
}

/* Open b (built as a valid file, then damaged), expect failure at open or while reading, with an
 * error that starts with "test.data: byte AT: " and holds what. */
static void expect_error(const struct buf *b, long at, const char *what)
{
	struct perfdata pd;
	int counts[128], r = open_bytes(&pd, b);
	char want[64];

	if (r == 0) {
		r = drain(&pd, counts);
		if (r >= 0)
			fprintf(stderr, "no error, want one about: %s\n", what);
		CHECK(r < 0);
	}
	snprintf(want, sizeof(want), "test.data: byte %ld: ", at);
	CHECK(strncmp(pd.err, want, strlen(want)) == 0 && strstr(pd.err, what));
	if (strncmp(pd.err, want, strlen(want)) != 0 || !strstr(pd.err, what))
		fprintf(stderr, "got: %s\nwant: %s...%s\n", pd.err, want, what);
	if (r == 0 || pd.buf)
		perfdata_close(&pd);
}

static void test_bad_input(void)
{
	struct buf data = { 0 }, file = { 0 }, bad = { 0 };
	struct file_spec spec = { 128, 1, { ST_BASE }, { FLAG_SAMPLE_ID_ALL }, { PERF_TYPE_SOFTWARE }, { 0 }, &data, 1 };
	size_t data_at;

	build_data(&data, ST_BASE);
	build_file(&file, &spec);
	memcpy(&data_at, file.p + 40, 8);

#define DAMAGED(stmt) do { bad.len = 0; put(&bad, file.p, file.len); stmt; } while (0)
	DAMAGED(memcpy(bad.p, "NOTPERF!", 8));
	expect_error(&bad, 0, "not a perf.data file");
	DAMAGED(memcpy(bad.p, "2ELIFREP", 8));
	expect_error(&bad, 0, "big-endian");
	DAMAGED(memcpy(bad.p, "PERFFILE", 8));
	expect_error(&bad, 0, "first version");
	DAMAGED(bad.len = 50);
	expect_error(&bad, 0, "past the end of the file (50 bytes)");
	DAMAGED(bad.len = 5);
	expect_error(&bad, 0, "is no perf.data");
	DAMAGED(set64(&bad, 16, 8));
	expect_error(&bad, 16, "attribute entries of 8 bytes");
	DAMAGED(set64(&bad, 32, 100));
	expect_error(&bad, 32, "whole entries");
	DAMAGED(set64(&bad, 24, 1ULL << 40));
	expect_error(&bad, 1L << 40, "the attribute section");
	DAMAGED(set64(&bad, 104 + 128, 1ULL << 62));                  /* the ids' offset */
	expect_error(&bad, 1L << 62, "an event's ids (16 bytes) go past");
	DAMAGED(set64(&bad, 48, 1ULL << 50));
	expect_error(&bad, 48, "goes past the end of the file");
	DAMAGED(set64(&bad, 40, 3));
	expect_error(&bad, 40, "outside the file");
	/* A record of size 0, of size 4, and one cut by the data section's end. */
	DAMAGED(memset(bad.p + data_at + 6, 0, 2));
	expect_error(&bad, (long)data_at, "a record of size 0");
	DAMAGED(bad.p[data_at + 6] = 4);
	expect_error(&bad, (long)data_at, "smaller than its header");
	DAMAGED(set64(&bad, 48, 12); memset(bad.p + 72, 0, 32));
	expect_error(&bad, (long)data_at, "the data section ends");
	/* Compressed, AUX, a feature section outside the file. */
	DAMAGED(bad.p[data_at] = PD_RECORD_COMPRESSED);
	expect_error(&bad, (long)data_at, "record without -z");
	DAMAGED(bad.p[data_at] = PD_RECORD_AUXTRACE);
	expect_error(&bad, (long)data_at, "AUX area tracing");
	{
		uint64_t feat_at;
		memcpy(&feat_at, file.p + 40, 8);
		feat_at += data.len;
		DAMAGED(set64(&bad, feat_at + 16, 1ULL << 45));         /* OSRELEASE's offset */
		expect_error(&bad, 1L << 45, "feature 4: a section of 20 bytes goes past the end");
		uint64_t osrelease_at, desc_at;
		memcpy(&osrelease_at, file.p + feat_at + 16, 8);
		memcpy(&desc_at, file.p + feat_at + 48, 8);
		DAMAGED(set64(&bad, feat_at + 24, 2));                  /* OSRELEASE: 2 bytes */
		expect_error(&bad, (long)osrelease_at, "os release: truncated");
		/* Feature 27 (COMPRESSED) where 12 (EVENT_DESC) was. */
		DAMAGED(bad.p[72 + 1] &= (unsigned char)~(1 << 4); bad.p[72 + 3] |= 1 << 3);
		expect_error(&bad, (long)desc_at, "perf record -z");
	}
	/* Data size 0 (perf record killed): read to the end, features forgotten. */
	{
		struct perfdata pd;
		int counts[128];
		DAMAGED(set64(&bad, 48, 0); bad.len = data_at + data.len);
		CHECK(open_bytes(&pd, &bad) == 0);
		CHECK(pd.data_size_guessed && pd.os_release == NULL);
		CHECK(drain(&pd, counts) == 5);
		perfdata_close(&pd);
	}
#undef DAMAGED
	free(data.p);
	free(file.p);
	free(bad.p);
}

int main(void)
{
	test_file_layout();
	test_pipe_layout();
	test_bad_input();
	return check_report("record_perfdata");
}
