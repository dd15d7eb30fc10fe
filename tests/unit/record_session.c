/* Unit tests of flame-record's record decoders (events.c), time-ordering queue (order.c), /proc
 * maps parsing (procfs.c) and the session that ties them to the symbolizer and the output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "writer.h"
#include "record/events.h"
#include "record/order.h"
#include "record/procfs.h"
#include "record/session.h"
#include "record/symbols.h"

#define PID 2000000001      /* above pid_max: no /proc entry, no /tmp/perf-PID.map */

static const struct sample_layout LAYOUT = { .sample_type = RECORD_SAMPLE_TYPE, .sample_id_all = 1 };

/* A record under construction, in 8-byte words. */
struct rec {
	union { uint64_t w[512]; struct perf_event_header h; } u;
	size_t bytes;
};

static void rec_start(struct rec *r, uint32_t type, uint16_t misc)
{
	memset(r, 0, sizeof(*r));
	r->u.h.type = type;
	r->u.h.misc = misc;
	r->bytes = sizeof(r->u.h);
}

static void put(struct rec *r, const void *p, size_t n)
{
	memcpy((unsigned char *)r->u.w + r->bytes, p, n);
	r->bytes += n;
}

static void put32(struct rec *r, uint32_t v) { put(r, &v, 4); }
static void put64(struct rec *r, uint64_t v) { put(r, &v, 8); }

/* A NUL-terminated string padded to 8 bytes. */
static void put_string(struct rec *r, const char *s)
{
	size_t n = strlen(s) + 1;
	put(r, s, n);
	while (r->bytes % 8)
		r->bytes++;
}

/* RECORD_SAMPLE_TYPE's trailer: { pid, tid }, time, { cpu, res }. */
static void put_trailer(struct rec *r, uint32_t pid, uint64_t time)
{
	put32(r, pid);
	put32(r, pid);
	put64(r, time);
	put64(r, 2);
}

static void rec_end(struct rec *r)
{
	r->u.h.size = (uint16_t)r->bytes;
}

static void build_mmap2(struct rec *r, uint32_t pid, uint64_t addr, uint64_t len, const char *name, uint64_t time)
{
	rec_start(r, PERF_RECORD_MMAP2, 0);
	put32(r, pid);
	put32(r, pid);
	put64(r, addr);
	put64(r, len);
	put64(r, 0x1000);           /* pgoff */
	put32(r, 8);                /* maj */
	put32(r, 1);                /* min */
	put64(r, 1234);             /* ino */
	put64(r, 0);                /* ino_generation */
	put32(r, PROT_READ | PROT_EXEC);
	put32(r, MAP_PRIVATE);
	put_string(r, name);
	put_trailer(r, pid, time);
	rec_end(r);
}

static void build_comm(struct rec *r, uint32_t pid, const char *comm, uint64_t time)
{
	rec_start(r, PERF_RECORD_COMM, 0);
	put32(r, pid);
	put32(r, pid);
	put_string(r, comm);
	put_trailer(r, pid, time);
	rec_end(r);
}

/* A sample for RECORD_SAMPLE_TYPE with one user frame. */
static void build_sample(struct rec *r, uint32_t pid, uint64_t ip, uint64_t time)
{
	rec_start(r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put64(r, ip);
	put32(r, pid);
	put32(r, pid);
	put64(r, time);
	put64(r, 1);                /* cpu, res */
	put64(r, 1000);             /* period */
	put64(r, 2);
	put64(r, (uint64_t)PERF_CONTEXT_USER);
	put64(r, ip);
	rec_end(r);
}

static void test_decoders(void)
{
	struct rec r;
	struct record_mmap m;
	struct record_comm c;
	struct record_task t;
	struct record_throttle th;
	struct sample_id sid;
	uint64_t lost, id;

	build_mmap2(&r, 7, 0x400000, 0x2000, "/usr/bin/thing", 99);
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) == 0);
	CHECK(m.pid == 7 && m.addr == 0x400000 && m.len == 0x2000 && m.pgoff == 0x1000);
	CHECK(m.dev == (8u << 20 | 1) && m.ino == 1234 && m.prot == (PROT_READ | PROT_EXEC) && m.flags == MAP_PRIVATE);
	CHECK_STR(m.filename, "/usr/bin/thing");
	CHECK(record_sample_id(&r.u.h, &LAYOUT, &sid) == 0 && sid.time == 99 && sid.pid == 7 && sid.cpu == 2);
	/* The name must end inside the body, before the trailer. */
	memset((unsigned char *)r.u.w + 8 + 64, 'x', r.bytes - 8 - 64 - 24);
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) < 0);
	/* Too short for its fixed fields or its trailer. */
	build_mmap2(&r, 7, 0x400000, 0x2000, "/a", 99);
	r.u.h.size = 8 + 40;
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) < 0);
	r.u.h.size = 16;
	CHECK(record_sample_id(&r.u.h, &LAYOUT, &sid) < 0);
	/* Without sample_id_all the whole body is the record's. */
	struct sample_layout bare = { .sample_type = RECORD_SAMPLE_TYPE };
	build_mmap2(&r, 7, 0x400000, 0x2000, "/a", 99);
	CHECK(record_mmap_parse(&r.u.h, &bare, &m) == 0 && strcmp(m.filename, "/a") == 0);
	CHECK(record_sample_id(&r.u.h, &bare, &sid) < 0);
	/* A build-id in place of dev and inode. */
	build_mmap2(&r, 7, 0x400000, 0x2000, "/a", 99);
	r.u.h.misc = PERF_RECORD_MISC_MMAP_BUILD_ID;
	((unsigned char *)r.u.w)[8 + 32] = 4;
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) == 0 && m.dev == 0 && m.ino == 0 && m.build_id_size == 4);

	/* PERF_RECORD_MMAP: no dev, inode or prot. */
	rec_start(&r, PERF_RECORD_MMAP, 0);
	put32(&r, 5);
	put32(&r, 6);
	put64(&r, 0x1000);
	put64(&r, 0x3000);
	put64(&r, 0);
	put_string(&r, "/lib/x.so");
	put_trailer(&r, 5, 1);
	rec_end(&r);
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) == 0 && m.pid == 5 && m.tid == 6 && m.len == 0x3000 && m.prot == 0);
	CHECK_STR(m.filename, "/lib/x.so");

	build_comm(&r, 9, "worker", 5);
	r.u.h.misc = PERF_RECORD_MISC_COMM_EXEC;
	CHECK(record_comm_parse(&r.u.h, &LAYOUT, &c) == 0 && c.pid == 9 && c.exec && strcmp(c.comm, "worker") == 0);
	CHECK(record_mmap_parse(&r.u.h, &LAYOUT, &m) < 0);      /* not an mmap */

	rec_start(&r, PERF_RECORD_FORK, 0);
	put32(&r, 10);
	put32(&r, 9);
	put32(&r, 11);
	put32(&r, 9);
	put64(&r, 77);
	put_trailer(&r, 10, 77);
	rec_end(&r);
	CHECK(record_task_parse(&r.u.h, &LAYOUT, &t) == 0 && t.pid == 10 && t.ppid == 9 && t.tid == 11 && t.ptid == 9);
	CHECK(t.time == 77);
	r.u.h.size -= 16;
	CHECK(record_task_parse(&r.u.h, &LAYOUT, &t) < 0);

	rec_start(&r, PERF_RECORD_LOST, 0);
	put64(&r, 1);
	put64(&r, 42);
	put_trailer(&r, 0, 3);
	rec_end(&r);
	CHECK(record_lost_parse(&r.u.h, &LAYOUT, &lost) == 0 && lost == 42);
	rec_start(&r, PERF_RECORD_LOST_SAMPLES, 0);
	put64(&r, 17);
	put_trailer(&r, 0, 3);
	rec_end(&r);
	CHECK(record_lost_parse(&r.u.h, &LAYOUT, &lost) == 0 && lost == 17);
	r.u.h.size = 8 + 24;        /* the trailer alone */
	CHECK(record_lost_parse(&r.u.h, &LAYOUT, &lost) < 0);

	rec_start(&r, PERF_RECORD_THROTTLE, 0);
	put64(&r, 500);
	put64(&r, 3);
	put64(&r, 4);
	put_trailer(&r, 0, 500);
	rec_end(&r);
	CHECK(record_throttle_parse(&r.u.h, &LAYOUT, &th) == 0 && th.time == 500 && th.id == 3 && th.stream_id == 4);

	/* Event ids: PERF_SAMPLE_IDENTIFIER first in samples, last in trailers; ID after ip, tid, time. */
	struct sample_layout ident = { .sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TIME,
	                               .sample_id_all = 1 };
	rec_start(&r, PERF_RECORD_SAMPLE, 0);
	put64(&r, 31);
	put64(&r, 0x1000);
	put64(&r, 8);
	rec_end(&r);
	CHECK(record_event_id(&r.u.h, &ident, &id) == 0 && id == 31);
	rec_start(&r, PERF_RECORD_EXIT, 0);
	put32(&r, 1);
	put32(&r, 1);
	put32(&r, 1);
	put32(&r, 1);
	put64(&r, 8);
	put64(&r, 8);   /* trailer: time, identifier */
	put64(&r, 32);
	rec_end(&r);
	CHECK(record_event_id(&r.u.h, &ident, &id) == 0 && id == 32);
	struct sample_layout with_id = { .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_ID, .sample_id_all = 1 };
	rec_start(&r, PERF_RECORD_SAMPLE, 0);
	put64(&r, 0x1000);
	put64(&r, 1);
	put64(&r, 33);
	rec_end(&r);
	CHECK(record_event_id(&r.u.h, &with_id, &id) == 0 && id == 33);
	CHECK(record_event_id(&r.u.h, &LAYOUT, &id) < 0);

	/* A sample with PERF_SAMPLE_READ (a group of two with ids) and RAW before the callchain's
	 * successors: both skipped by their sizes. */
	struct sample_layout rd = { .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW |
	                                           PERF_SAMPLE_REGS_USER,
	                            .read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID, .regs_user = 0x3 };
	struct sample smp;
	rec_start(&r, PERF_RECORD_SAMPLE, 0);
	put64(&r, 0x1234);
	put64(&r, 2);                       /* nr */
	put64(&r, 10); put64(&r, 100);      /* value, id */
	put64(&r, 11); put64(&r, 101);
	put64(&r, 1);                       /* callchain nr */
	put64(&r, 0x1234);
	put32(&r, 5);                       /* raw size, then 5 bytes: 12 in all, padded to 16 */
	put(&r, "abcde", 5);
	put(&r, "\0\0\0\0\0\0\0", 7);
	put64(&r, 1);                       /* regs abi */
	put64(&r, 0xaa); put64(&r, 0xbb);
	rec_end(&r);
	CHECK(sample_parse(&r.u.h, &rd, &smp) == 0 && smp.ip == 0x1234 && smp.nr == 1 && smp.nregs == 2 && smp.regs &&
	      smp.regs[1] == 0xbb);
	r.u.h.size -= 8;
	CHECK(sample_parse(&r.u.h, &rd, &smp) < 0);
	((uint64_t *)r.u.w)[2] = 1ULL << 60;    /* a group too large for the record */
	r.u.h.size += 8;
	CHECK(sample_parse(&r.u.h, &rd, &smp) < 0);
}

static void collect(void *ctx, const struct perf_event_header *rec)
{
	struct rec *seen = ctx;
	uint64_t ip;
	memcpy(&ip, rec + 1, 8);
	put64(seen, ip);
	CHECK(((uintptr_t)rec & 7) == 0);
}

static void test_order(void)
{
	struct order_queue q = ORDER_QUEUE_INIT;
	struct rec r, seen;
	uint64_t *got = (uint64_t *)((unsigned char *)seen.u.w + 8);
	uint64_t times[] = { 30, 10, 20, 10, 50, 40 };

	rec_start(&seen, 0, 0);
	for (size_t i = 0; i < 6; i++) {
		build_sample(&r, 1, 100 + i, times[i]);
		if (i == 2)
			r.u.h.size -= 4;        /* an odd size: the next copy still starts aligned */
		order_push(&q, &r.u.h, times[i]);
	}
	order_flush(&q, 30, collect, &seen);
	CHECK(seen.bytes == 8 + 3 * 8 && got[0] == 101 && got[1] == 103 && got[2] == 102);
	CHECK(order_pending(&q) == 3);
	build_sample(&r, 1, 106, 35);
	order_push(&q, &r.u.h, 35);
	order_flush(&q, UINT64_MAX, collect, &seen);
	CHECK(seen.bytes == 8 + 7 * 8 && got[3] == 100 && got[4] == 106 && got[5] == 105 && got[6] == 104);
	CHECK(order_pending(&q) == 0);
	order_free(&q);
}

struct rounds_seen {
	uint64_t last_ip, count;
	int out_of_order;
};

static void collect_round(void *ctx, const struct perf_event_header *rec)
{
	struct rounds_seen *rs = ctx;
	uint64_t ip;
	memcpy(&ip, rec + 1, 8);
	if (rs->count && ip != rs->last_ip + 1)
		rs->out_of_order = 1;
	rs->last_ip = ip;
	rs->count++;
}

/* perf's rounds: each flush keeps the last round's records; they are moved only when their space
 * is needed, and come out intact and in order, in a buffer that does not keep growing. */
static void test_order_rounds(void)
{
	struct order_queue q = ORDER_QUEUE_INIT;
	struct rounds_seen rs = { 0, 0, 0 };
	struct rec r;
	uint64_t t = 0;
	size_t cap_after_warmup = 0;

	for (int round = 0; round < 2000; round++) {
		for (int i = 0; i < 50; i++, t++) {
			build_sample(&r, 1, 1000 + t, t);
			order_push(&q, &r.u.h, t);
		}
		order_flush(&q, t - 50, collect_round, &rs);   /* the round just pushed stays */
		CHECK(order_pending(&q) == 50);
		if (round == 100)
			cap_after_warmup = q.cap;
	}
	order_flush(&q, UINT64_MAX, collect_round, &rs);
	CHECK(rs.count == t && !rs.out_of_order && rs.last_ip == 1000 + t - 1);
	CHECK(q.cap == cap_after_warmup);
	order_free(&q);
}

static void test_procfs(void)
{
	char line[] = "7f12a0000000-7f12a0021000 r-xp 00002000 fd:01 131090                     /usr/lib/x86_64-linux-gnu/libc.so.6";
	char anon[] = "7f12a0000000-7f12a0001000 rwxp 00000000 00:00 0 ";
	struct record_mmap m;

	CHECK(procfs_parse_maps_line(line, &m) == 0);
	CHECK(m.addr == 0x7f12a0000000ULL && m.len == 0x21000 && m.pgoff == 0x2000 && m.dev == (0xfdu << 20 | 1));
	CHECK(m.ino == 131090 && m.prot == (PROT_READ | PROT_EXEC));
	CHECK_STR(m.filename, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK(procfs_parse_maps_line(anon, &m) == 0 && strcmp(m.filename, "//anon") == 0 &&
	      m.prot == (PROT_READ | PROT_WRITE | PROT_EXEC));
	char junk[] = "hello";
	CHECK(procfs_parse_maps_line(junk, &m) < 0);
	CHECK(procfs_running(getpid()));
	CHECK(!procfs_running(PID));
	char comm[32];
	CHECK(procfs_thread_comm(getpid(), getpid(), comm, sizeof(comm)) == 0 && strcmp(comm, "record_session") == 0);
}

/* What a session printed, from its writer's file. */
static void read_back(int fd, char *buf, size_t size)
{
	ssize_t len = pread(fd, buf, size - 1, 0);
	buf[len > 0 ? len : 0] = '\0';
}

static void test_session(void)
{
	char path[] = "/tmp/flame-record-session.XXXXXX", got[8192];
	int fd = mkstemp(path);
	struct symbolizer *sym = symbolizer_new(SYM_DEMANGLE);
	struct writer out;
	struct session *s;
	struct rec r;
	unsigned char misaligned[1024];

	CHECK(fd >= 0);
	sym_set_offline(sym);
	writer_init(&out, fd, path);
	s = session_new(sym, &out, 0);
	session_add_event(s, "cpu-clock", &LAYOUT, NULL, 0);
	/* Out of order: the sample (t=30) comes before the comm and mmap (t=10, 20) that it needs. */
	build_sample(&r, PID, 0x401010, 30);
	CHECK(session_process_record(s, &r.u.h, r.bytes) == 0);
	build_comm(&r, PID, "worker", 10);
	/* Not aligned, and len covering more than the record: fine. */
	memcpy(misaligned + 1, r.u.w, r.bytes);
	CHECK(session_process_record(s, misaligned + 1, sizeof(misaligned) - 1) == 0);
	build_mmap2(&r, PID, 0x400000, 0x2000, "/nonexistent/prog", 20);
	CHECK(session_process_record(s, &r.u.h, r.bytes) == 0);
	/* Hostile: shorter than a header, longer than the bytes given, malformed. */
	CHECK(session_process_record(s, &r.u.h, 4) < 0);
	CHECK(session_process_record(s, &r.u.h, r.bytes - 1) < 0);
	build_sample(&r, PID, 0x401010, 40);
	r.u.h.size = 8 + 16;
	CHECK(session_process_record(s, &r.u.h, r.bytes) < 0);
	CHECK(session_stats(s)->bad == 3);
	session_flush(s, UINT64_MAX);
	writer_flush(&out);
	read_back(fd, got, sizeof(got));
	CHECK_STR(got, "worker 2000000001/2000000001 [001]     0.000000:       1000 cpu-clock: \n"
	               "\t          401010 [unknown] (/nonexistent/prog)\n\n");
	CHECK(session_stats(s)->samples == 1);
	session_free(s);

	/* Two events told apart by PERF_SAMPLE_IDENTIFIER; perf.data's rounds. */
	struct sample_layout ident = { .sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
	                                              PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD,
	                               .sample_id_all = 1 };
	uint64_t ids_a[] = { 7, 3 }, ids_b[] = { 5 };
	CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	writer_init(&out, fd, path);
	s = session_new(sym, &out, 0);
	session_add_event(s, "cycles", &ident, ids_a, 2);
	session_add_event(s, "instructions:u", &ident, ids_b, 1);
	for (int i = 0; i < 4; i++) {
		uint64_t id[] = { 3, 5, 7, 9 };
		rec_start(&r, PERF_RECORD_SAMPLE, 0);
		put64(&r, id[i]);
		put64(&r, 0x401000 + (uint64_t)i);
		put32(&r, PID);
		put32(&r, PID);
		put64(&r, 100 - (uint64_t)i);   /* newest first */
		put64(&r, 1);
		rec_end(&r);
		CHECK(session_process_record(s, &r.u.h, r.bytes) == (i == 3 ? -1 : 0));     /* id 9: no such event */
	}
	struct perf_event_header round = { 68, 0, 8 };      /* PERF_RECORD_FINISHED_ROUND */
	CHECK(session_process_record(s, &round, 8) == 0);   /* the first round flushes nothing yet */
	CHECK(session_stats(s)->samples == 0);
	CHECK(session_process_record(s, &round, 8) == 0);   /* the second: all up to the first's newest */
	CHECK(session_stats(s)->samples == 3);
	writer_flush(&out);
	read_back(fd, got, sizeof(got));
	CHECK(strstr(got, "cycles: \n\t          401002 ") != NULL);
	CHECK(strstr(got, "instructions:u: \n\t          401001 ") != NULL);
	CHECK(strstr(got, "cycles: \n\t          401000 ") != NULL);
	CHECK(strstr(got, "401002") < strstr(got, "401001") && strstr(got, "401001") < strstr(got, "401000"));
	session_free(s);
	symbolizer_free(sym);
	close(fd);
	unlink(path);
}

/* A perf map with no symbol is parsed once and remembered as empty until the file changes (it
 * was read again every 100 ms); a changed one is read again. */
static void test_perf_map_remembered(void)
{
	const int pid = 2000000077;     /* above pid_max: only its map file exists */
	char path[64];
	struct timespec times[2], pause = { 0, 150000000 };
	struct stat st;
	struct resolved r;
	struct symbolizer *s = symbolizer_new(SYM_DEMANGLE);
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/perf-%d.map", pid);
	f = fopen(path, "w");
	CHECK(f && fputs("not a symbol line at all!\n", f) >= 0 && fclose(f) == 0);
	CHECK(stat(path, &st) == 0);
	sym_check_jit(s, pid);
	sym_resolve(s, pid, 0x5010, 0, &r);
	CHECK(r.sym == NULL);
	/* Same size and time, new bytes: not looked at again. */
	f = fopen(path, "w");
	CHECK(f && fputs("5000 40 jit_function_abcd\n", f) >= 0 && fclose(f) == 0);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	CHECK(utimensat(AT_FDCWD, path, times, 0) == 0);
	nanosleep(&pause, NULL);
	sym_resolve(s, pid, 0x5010, 0, &r);
	CHECK(r.sym == NULL);
	/* Changed: read again. */
	times[1].tv_sec -= 10;
	CHECK(utimensat(AT_FDCWD, path, times, 0) == 0);
	nanosleep(&pause, NULL);
	sym_resolve(s, pid, 0x5010, 0, &r);
	CHECK(r.sym && strcmp(r.sym, "jit_function_abcd") == 0 && r.offset == 0x10);
	symbolizer_free(s);
	unlink(path);
}

int main(void)
{
	test_perf_map_remembered();
	test_decoders();
	test_order();
	test_order_rounds();
	test_procfs();
	test_session();
	printf("record_session: %d checks, %d failed\n", check_count, check_failures);
	return check_failures > 255 ? 255 : check_failures;
}
