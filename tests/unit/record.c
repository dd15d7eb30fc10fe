/* Unit tests for flame-record's modules: the ELF reader, symbol tables (self, kallsyms, perf
 * maps), process maps, record decoding and the perf script text. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "common/writer.h"
#include "record/elf.h"
#include "record/events.h"
#include "record/output.h"
#include "record/symbols.h"

__attribute__((noinline)) int unit_marker_function(int x)
{
	__asm__ volatile("");
	return x * 3 + 1;
}

/* The executable mapping of this program holding addr: start, pgoff and path. */
static int self_map(uint64_t addr, uint64_t *start, uint64_t *end, uint64_t *pgoff, char *path, size_t path_len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e, off;
		char perms[8], file[4096] = "";
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &s, &e, perms, &off, file) < 4)
			continue;
		if (addr >= s && addr < e) {
			*start = s;
			*end = e;
			*pgoff = off;
			snprintf(path, path_len, "%s", file);
			found = 1;
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static char *write_temp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/flame-record-unit.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return NULL;
	close(fd);
	return path;
}

static void test_elf_self(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&unit_marker_function, start = 0, end = 0, pgoff = 0;
	char path[4096];
	struct elf_file elf;
	struct elf_section text;
	struct elf_segment segs[16];
	unsigned char id[64];
	struct dso *d;
	const struct symbol *sym;

	CHECK(self_map(addr, &start, &end, &pgoff, path, sizeof(path)));
	CHECK(elf_open(&elf, path) == 0);
	CHECK(elf_section_by_name(&elf, ".text", &text) == 0);
	CHECK(text.size > 0 && text.data != NULL);
	CHECK(elf_section_by_name(&elf, ".no-such-section", &text) < 0);
	CHECK(elf_load_segments(&elf, segs, 16) >= 1);
	CHECK(elf_build_id(&elf, id, sizeof(id)) == 20);   /* what gcc and clang emit on Linux */
	CHECK(elf_debuglink(&elf, NULL) == NULL);
	elf_close(&elf);

	/* Runtime address -> file offset (the map) -> link-time address (PT_LOAD) -> symbol. */
	d = dso_from_elf_path(path);
	CHECK(d != NULL);
	if (!d)
		return;
	uint64_t vaddr = dso_vaddr_of_offset(d, addr - start + pgoff);
	sym = dso_find_symbol(d, vaddr);
	CHECK(sym && strcmp(sym->name, "unit_marker_function") == 0);
	CHECK(sym && sym->start == vaddr);
	sym = dso_find_symbol(d, vaddr + 2);
	CHECK(sym && strcmp(sym->name, "unit_marker_function") == 0);
	CHECK(dso_find_symbol(d, 0) == NULL);
	dso_free(d);
	CHECK(dso_from_elf_path("/nonexistent/file") == NULL);
	CHECK(dso_from_elf_path("/proc/self/status") == NULL);
}

struct plt_seen {
	uint64_t strcmp_stub, plt_got_lo, plt_got_hi;
	int cxa_finalize_in_plt_got;
	size_t n;
};

static void note_stub(void *ctx, uint64_t addr, uint64_t size, const char *name)
{
	struct plt_seen *seen = ctx;

	seen->n++;
	CHECK(size == 8 || size == 16);
	if (strcmp(name, "strcmp") == 0)
		seen->strcmp_stub = addr;
	if (strcmp(name, "__cxa_finalize") == 0 && addr >= seen->plt_got_lo && addr < seen->plt_got_hi)
		seen->cxa_finalize_in_plt_got = 1;
}

/* This program's own PLT: the stub named strcmp@plt must be the one that calls strcmp (it is
 * called here, through its link-time address plus the load bias), and __cxa_finalize's stub in
 * .plt.got (where gcc's startup files put it in a PIE) is found too. */
static void test_plt_stubs(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&unit_marker_function, start = 0, end = 0, pgoff = 0, bias;
	char path[4096];
	struct elf_file elf;
	struct elf_section plt_got;
	struct plt_seen seen = { 0, 0, 0, 0, 0 };
	const char *volatile left = "abc", *volatile right = "abd";
	struct dso *d;
	const struct symbol *sym;

	CHECK(strcmp(left, right) < 0);     /* so that this program calls strcmp through its PLT */
	CHECK(self_map(addr, &start, &end, &pgoff, path, sizeof(path)));
	CHECK(elf_open(&elf, path) == 0);
	if (elf_section_by_name(&elf, ".plt.got", &plt_got) == 0) {
		seen.plt_got_lo = plt_got.addr;
		seen.plt_got_hi = plt_got.addr + plt_got.size;
	}
	CHECK(elf_each_plt_stub(&elf, note_stub, &seen) == seen.n);
	CHECK(seen.n >= 2);
	CHECK(seen.strcmp_stub != 0);
	CHECK(!seen.plt_got_hi || seen.cxa_finalize_in_plt_got);
	elf_close(&elf);

	d = dso_from_elf_path(path);
	CHECK(d != NULL);
	if (!d || !seen.strcmp_stub)
		return;
	bias = addr - dso_vaddr_of_offset(d, addr - start + pgoff);
	sym = dso_find_symbol(d, seen.strcmp_stub + 4);
	CHECK(sym && strcmp(sym->name, "strcmp@plt") == 0 && sym->start == seen.strcmp_stub);
	int (*via_stub)(const char *, const char *) = (int (*)(const char *, const char *))(uintptr_t)(bias + seen.strcmp_stub);
	CHECK(via_stub("abc", "abd") < 0 && via_stub("b", "b") == 0 && via_stub("b", "a") > 0);
	dso_free(d);
}

static void test_elf_hostile(void)
{
	struct elf_file elf;
	struct elf_section sec;
	_Alignas(8) unsigned char buf[256];
	uint64_t huge = ~0ULL;

	CHECK(elf_from_memory(&elf, "not an elf file at all, but long enough to hold a header.....", 64) < 0);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\177ELF\2\1\1", 7);
	buf[52] = 64;       /* e_ehsize */
	buf[58] = 64;       /* e_shentsize */
	buf[60] = 200;      /* e_shnum: far more than the buffer holds */
	memcpy(buf + 40, &huge, 8);     /* e_shoff */
	CHECK(elf_from_memory(&elf, buf, sizeof(buf)) == 0);
	CHECK(elf.shnum == 0);          /* out-of-range tables are ignored, not read */
	CHECK(elf_section_by_name(&elf, ".symtab", &sec) < 0);
	CHECK(elf_load_segments(&elf, NULL, 0) == 0);
	CHECK(elf_each_symbol(&elf, ".symtab", NULL, NULL) == 0);
	CHECK(elf_from_memory(&elf, buf + 1, sizeof(buf) - 1) < 0);    /* misaligned: refused */
	buf[4] = 1;     /* ELFCLASS32 */
	CHECK(elf_from_memory(&elf, buf, sizeof(buf)) < 0);
}

static void test_kallsyms(void)
{
	char *path = write_temp("ffffffff81000000 T _stext\n"
	                        "ffffffff81000100 t do_thing_alias\n"
	                        "ffffffff81000100 t do_thing\n"     /* the last alias, as perf */
	                        "ffffffff81000200 D some_data\n"
	                        "ffffffff81000300 T later_func\n"
	                        "garbage line\n"
	                        "ffffffffc0000000 t mod_func\t[mymod]\n"
	                        "ffffffffc0000040 t mod_func2\t[mymod]\n"
	                        "ffffffffc0001000 t other_func\t[othermod]\n");
	struct dso *d = dso_from_kallsyms(path);
	const struct symbol *sym;

	CHECK(d != NULL);
	if (d) {
		CHECK(d->nsyms == 6);
		sym = dso_find_symbol(d, 0xffffffff81000150);
		CHECK(sym && strcmp(sym->name, "do_thing") == 0 && sym->start == 0xffffffff81000100);
		sym = dso_find_symbol(d, 0xffffffff81000250);   /* data symbols do not end functions */
		CHECK(sym && strcmp(sym->name, "do_thing") == 0);
		sym = dso_find_symbol(d, 0xffffffffc0000010);
		CHECK(sym && strcmp(sym->name, "mod_func") == 0);
		CHECK(kernel_module_at(d, 0xffffffffc0000010) && strcmp(kernel_module_at(d, 0xffffffffc0000010), "[mymod]") == 0);
		CHECK(kernel_module_at(d, 0xffffffffc0000050) && strcmp(kernel_module_at(d, 0xffffffffc0000050), "[mymod]") == 0);
		CHECK(kernel_module_at(d, 0xffffffffc0001010) && strcmp(kernel_module_at(d, 0xffffffffc0001010), "[othermod]") == 0);
		CHECK(kernel_module_at(d, 0xffffffff81000150) == NULL);
		CHECK(dso_find_symbol(d, 0xffffffff80000000) == NULL);
		dso_free(d);
	}
	unlink(path);
	/* kernel.kptr_restrict: every address reads as 0, so nothing can be named. */
	path = write_temp("0000000000000000 T _stext\n0000000000000000 t do_thing\n");
	CHECK(dso_from_kallsyms(path) == NULL);
	unlink(path);
	CHECK(dso_from_kallsyms("/nonexistent/kallsyms") == NULL);

	/* Through the symbolizer: named kernel frames, and [unknown] ([kernel.kallsyms]) when hidden. */
	struct symbolizer *s = symbolizer_new(1);
	struct resolved r;
	path = write_temp("ffffffff81000000 T _stext\nffffffff81000100 t do_thing\n");
	sym_use_kallsyms(s, path);
	sym_resolve(s, 1, 0xffffffff81000104, 1, &r);
	CHECK(r.sym && strcmp(r.sym, "do_thing") == 0 && r.offset == 4 && strcmp(r.dso, "[kernel.kallsyms]") == 0);
	unlink(path);
	path = write_temp("0000000000000000 T _stext\n0000000000000000 t do_thing\n");
	sym_use_kallsyms(s, path);
	sym_resolve(s, 1, 0xffffffff81000104, 1, &r);
	CHECK(r.sym == NULL && strcmp(r.dso, "[kernel.kallsyms]") == 0);
	unlink(path);
	symbolizer_free(s);
}

static void test_perf_map(void)
{
	char *path = write_temp("7f0000001000 100 jit_a\n"
	                        "0x7f0000002000 0x20 LazyCompile:~foo bar.js:1\n"
	                        "not a line\n"
	                        "7f0000003000 0 zero_size\n"
	                        "7f0000004000 10\n"
	                        "7f0000005000 10 first_code_here\n"
	                        "7f0000005000 10 recompiled_code_here\n");
	struct dso *d = dso_from_perf_map(path);
	const struct symbol *sym;

	CHECK(d != NULL);
	if (d) {
		CHECK(d->nsyms == 3);
		sym = dso_find_symbol(d, 0x7f0000005004);  /* a JIT reused the address: the latest wins */
		CHECK(sym && strcmp(sym->name, "recompiled_code_here") == 0);
		sym = dso_find_symbol(d, 0x7f0000001010);
		CHECK(sym && strcmp(sym->name, "jit_a") == 0);
		CHECK(dso_find_symbol(d, 0x7f0000001100) == NULL);  /* past its size */
		sym = dso_find_symbol(d, 0x7f000000201f);
		CHECK(sym && strcmp(sym->name, "LazyCompile:~foo bar.js:1") == 0);
		dso_free(d);
	}
	unlink(path);
	path = write_temp("nothing useful\n");
	CHECK(dso_from_perf_map(path) == NULL);
	unlink(path);
}

#define PID 2000000001      /* above pid_max: no /proc entry, no /tmp/perf-PID.map */
static const struct sample_layout LAYOUT = { .sample_type = RECORD_SAMPLE_TYPE, .sample_id_all = 1 };

static void test_maps(void)
{
	struct symbolizer *s = symbolizer_new(1);
	struct resolved r;

	sym_comm(s, PID, PID, "parent", 0);
	sym_mmap(s, PID, 0x10000, 0x40000, 0, 0, 0, PROT_READ | PROT_EXEC, "/nonexistent/a");
	sym_mmap(s, PID, 0x20000, 0x10000, 0, 0, 0, PROT_READ | PROT_EXEC, "/nonexistent/b");
	sym_mmap(s, PID, 0x70000, 0x10000, 0, 0, 0, PROT_READ | PROT_WRITE, "/nonexistent/data");
	sym_mmap(s, PID, 0x90000, 0x1000, 0, 0, 0, PROT_READ | PROT_EXEC, "//anon");
	sym_resolve(s, PID, 0x18000, 0, &r);
	CHECK(r.dso && strcmp(r.dso, "/nonexistent/a") == 0 && r.sym == NULL);
	sym_resolve(s, PID, 0x28000, 0, &r);
	CHECK(r.dso && strcmp(r.dso, "/nonexistent/b") == 0);
	sym_resolve(s, PID, 0x38000, 0, &r);    /* the right half of the split map */
	CHECK(r.dso && strcmp(r.dso, "/nonexistent/a") == 0);
	sym_resolve(s, PID, 0x60000, 0, &r);
	CHECK(r.dso == NULL && r.sym == NULL);
	sym_resolve(s, PID, 0x78000, 0, &r);    /* data maps are not code */
	CHECK(r.dso == NULL);
	sym_resolve(s, PID, 0x90010, 0, &r);    /* anonymous code: named like perf, after its map file */
	CHECK(r.dso && strcmp(r.dso, "/tmp/perf-2000000001.map") == 0 && r.sym == NULL);

	/* fork copies the maps and the comm; exec forgets the maps. */
	sym_fork(s, PID + 1, PID + 1, PID, PID);
	CHECK_STR(sym_thread_comm(s, PID + 1, PID + 1), "parent");
	sym_resolve(s, PID + 1, 0x28000, 0, &r);
	CHECK(r.dso && strcmp(r.dso, "/nonexistent/b") == 0);
	sym_comm(s, PID + 1, PID + 1, "child", 1);
	CHECK_STR(sym_thread_comm(s, PID + 1, PID + 1), "child");
	sym_resolve(s, PID + 1, 0x28000, 0, &r);
	CHECK(r.dso == NULL);
	sym_resolve(s, PID, 0x28000, 0, &r);    /* the parent keeps its own */
	CHECK(r.dso && strcmp(r.dso, "/nonexistent/b") == 0);
	/* A thread shares the maps of its process. */
	sym_fork(s, PID, PID + 5, PID, PID);
	CHECK_STR(sym_thread_comm(s, PID, PID + 5), "parent");
	CHECK_STR(sym_thread_comm(s, PID, PID + 9), ":2000000010");
	symbolizer_free(s);
}

/* A PERF_RECORD_SAMPLE as the kernel writes it for RECORD_SAMPLE_TYPE. */
static size_t build_sample(uint64_t *w, uint64_t nr, const uint64_t *ips)
{
	struct perf_event_header *h = (struct perf_event_header *)w;
	size_t n = 1;

	w[n++] = 0x28000;                                   /* ip */
	w[n++] = (uint64_t)PID | (uint64_t)PID << 32;       /* pid, tid */
	w[n++] = 12000345678ULL;                            /* time */
	w[n++] = 1;                                         /* cpu, res */
	w[n++] = 1000;                                      /* period */
	w[n++] = nr;
	for (uint64_t i = 0; i < nr; i++)
		w[n++] = ips[i];
	h->type = PERF_RECORD_SAMPLE;
	h->misc = 0;
	h->size = (uint16_t)(n * 8);
	return n * 8;
}

static void test_decoding(void)
{
	union { uint64_t w[64]; struct perf_event_header h; } rec;
	uint64_t *w = rec.w, ips[] = { (uint64_t)PERF_CONTEXT_KERNEL, 0xffffffff81000150ULL,
	                          (uint64_t)PERF_CONTEXT_USER, 0x28000, 0x60000 };
	struct sample smp;
	struct frame frames[8];

	build_sample(w, 5, ips);
	CHECK(sample_parse(&rec.h, &LAYOUT, &smp) == 0);
	CHECK(smp.ip == 0x28000 && smp.pid == PID && smp.tid == PID);
	CHECK(smp.time == 12000345678ULL && smp.cpu == 1 && smp.period == 1000 && smp.nr == 5);
	CHECK(sample_frames(&smp, frames, 8) == 3);
	CHECK(frames[0].kernel && frames[0].addr == 0xffffffff81000150ULL);
	CHECK(!frames[1].kernel && frames[1].addr == 0x28000 && !frames[2].kernel);
	CHECK(sample_frames(&smp, frames, 2) == 2);
	/* A callchain longer than the record is refused. */
	rec.h.size -= 16;
	CHECK(sample_parse(&rec.h, &LAYOUT, &smp) < 0);
	/* No callchain entries: the ip alone. */
	build_sample(w, 0, NULL);
	CHECK(sample_parse(&rec.h, &LAYOUT, &smp) == 0);
	CHECK(sample_frames(&smp, frames, 8) == 1 && frames[0].addr == 0x28000);

	/* A COMM record's sample_id trailer: { pid, tid }, time, { cpu, res }. */
	struct { struct perf_event_header h; uint32_t pid, tid; char comm[8]; uint64_t id[3]; } comm = {
		{ PERF_RECORD_COMM, 0, sizeof(comm) }, 7, 8, "name", { 7 | 8ULL << 32, 555, 3 } };
	struct sample_id sid;
	CHECK(record_sample_id(&comm.h, &LAYOUT, &sid) == 0);
	CHECK(sid.time == 555 && sid.pid == 7 && sid.tid == 8 && sid.cpu == 3);
	comm.h.size = 8;
	CHECK(record_sample_id(&comm.h, &LAYOUT, &sid) < 0);
}

static void test_output(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&unit_marker_function, start = 0, end = 0, pgoff = 0;
	union { uint64_t w[64]; struct perf_event_header h; } rec;
	uint64_t *w = rec.w, ips[] = { (uint64_t)PERF_CONTEXT_USER, addr + 3, 0x28000, 0x60000 };
	char exe[4096], path[] = "/tmp/flame-record-unit.XXXXXX", got[8192], want[8192];
	struct symbolizer *s = symbolizer_new(1);
	struct writer out;
	struct sample smp;
	struct frame frames[8];
	size_t n;
	ssize_t len;
	int fd = mkstemp(path);

	CHECK(fd >= 0 && self_map(addr, &start, &end, &pgoff, exe, sizeof(exe)));
	sym_comm(s, PID, PID, "my prog", 0);
	sym_mmap(s, PID, 0x10000, 0x40000, 0, 0, 0, PROT_EXEC, "/nonexistent/a");
	sym_mmap(s, PID, 0x20000, 0x10000, 0, 0, 0, PROT_EXEC, "/nonexistent/b");
	sym_mmap(s, PID, start, end - start, pgoff, 0, 0, PROT_EXEC, exe);
	/* The object at an address and its load bias (for an unwinder). */
	struct dso *obj = NULL;
	uint64_t bias = 1;
	CHECK(sym_object_at(s, PID, addr, &obj, &bias) == 1);
	CHECK(obj && strcmp(obj->path, exe) == 0);
	CHECK(obj && dso_find_symbol(obj, addr - bias) && strcmp(dso_find_symbol(obj, addr - bias)->name, "unit_marker_function") == 0);
	CHECK(sym_object_at(s, PID, 0x28000, &obj, &bias) == 0);    /* unreadable file */
	CHECK(sym_object_at(s, PID, 0x60000, &obj, &bias) == 0);    /* no map */

	build_sample(w, 4, ips);
	CHECK(sample_parse(&rec.h, &LAYOUT, &smp) == 0);
	n = sample_frames(&smp, frames, 8);
	writer_init(&out, fd, path);
	output_sample(&out, s, &smp, "cpu-clock", frames, n);
	writer_flush(&out);
	len = pread(fd, got, sizeof(got) - 1, 0);
	got[len > 0 ? len : 0] = '\0';
	snprintf(want, sizeof(want),
	         "my prog 2000000001/2000000001 [001]    12.000345:       1000 cpu-clock: \n"
	         "\t%16llx unit_marker_function+0x3 (%s)\n"
	         "\t           28000 [unknown] (/nonexistent/b)\n"
	         "\t           60000 [unknown] ([unknown])\n"
	         "\n", (unsigned long long)addr + 3, exe);
	CHECK_STR(got, want);
	writer_close(&out);
	unlink(path);
	symbolizer_free(s);
}

int main(void)
{
	test_elf_self();
	test_plt_stubs();
	test_elf_hostile();
	test_kallsyms();
	test_perf_map();
	test_maps();
	test_decoding();
	test_output();
	return check_report("record");
}
