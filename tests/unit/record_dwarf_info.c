/* Unit tests of the DWARF reader (record/dwarf.c).
 *
 * Without arguments: a hand-made DWARF 5 unit (a function with an inlined call, reached through
 * abstract_origin) is looked up, then damaged every way that is cheap to enumerate: truncated at
 * every length, every byte flipped, a cyclic abstract_origin chain. None may crash or hang, and a
 * damaged unit gives no chain or a sane one.
 *
 * With arguments `FILE ADDR...` (hex link-time addresses): prints each address's chain as
 * `addr2line -f -i -e FILE ADDR...` prints it (function, then file:line, innermost first; "??"
 * and "??:0" when unknown), so tests/record-inline.bats can compare the two outputs. The names
 * are DWARF's raw ones (addr2line without -C); file names are shown without directories, so the
 * test compares basenames. `--sep` first prints each address before its chain, as addr2line -a.
 * `-C` demangles (addr2line -C). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "record/debuginfo.h"
#include "record/dwarf.h"
#include "record/elf.h"
#include "tests/unit/check.h"

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static const char *base_name(const char *s)
{
	const char *slash = s ? strrchr(s, '/') : NULL;
	return slash ? slash + 1 : s;
}

static int print_chains(int argc, char **argv)
{
	struct elf_file elf, debug = { 0 };
	struct dwarf *d;
	struct inline_frame f[64];

	if (elf_open(&elf, argv[1]) < 0) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 2;
	}
	int names = argc > 2 && strcmp(argv[2], "-C") == 0 ? DWARF_NAMES_PARAMS : DWARF_NAMES_RAW;
	struct elf_section sec;
	char found[4096];
	/* A stripped object: its separate debug file (by build id, as addr2line finds it). */
	if (elf_section_by_name(&elf, ".debug_info", &sec) == 0 ||
	    debuginfo_find(&elf, argv[1], NULL, &debug, found, sizeof(found)) < 0)
		d = dwarf_open(&elf, argv[1], names);
	else
		d = dwarf_open(&debug, found, names);
	int sep = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-C") == 0)
			continue;
		if (strcmp(argv[i], "--sep") == 0) {
			sep = 1;
			continue;
		}
		uint64_t a = strtoull(argv[i], NULL, 16);
		if (sep)
			printf("0x%016llx\n", (unsigned long long)a);
		size_t n = dwarf_lookup(d, a, f, 64);
		if (n == 0) {
			printf("??\n??:0\n");
			continue;
		}
		for (size_t k = 0; k < n && k < 64; k++) {
			printf("%s\n", f[k].name ? f[k].name : "??");
			if (f[k].file)
				printf(f[k].line ? "%s:%u\n" : "%s:?\n", base_name(f[k].file), f[k].line);
			else
				printf("??:%u\n", f[k].line);
		}
	}
	dwarf_free(d);
	elf_close(&debug);
	elf_close(&elf);
	return 0;
}

/* ---- a hand-made DWARF 5 unit ----
 * abbrev 1: compile_unit, children: name (string), low_pc (addr), high_pc (data4), stmt_list (sec_offset)
 * abbrev 2: subprogram, no children: name (string), inline (data1)      -- the abstract instance
 * abbrev 3: subprogram, children: name (string), low_pc (addr), high_pc (data4)
 * abbrev 4: inlined_subroutine, no children: abstract_origin (ref4), low_pc, high_pc, call_file (data1), call_line (data1)
 */
static const unsigned char abbrev[] = {
	1, 0x11, 1, 0x03, 0x08, 0x11, 0x01, 0x12, 0x06, 0x10, 0x17, 0, 0,
	2, 0x2e, 0, 0x03, 0x08, 0x20, 0x0b, 0, 0,
	3, 0x2e, 1, 0x03, 0x08, 0x11, 0x01, 0x12, 0x06, 0, 0,
	4, 0x1d, 0, 0x31, 0x13, 0x11, 0x01, 0x12, 0x06, 0x58, 0x0b, 0x59, 0x0b, 0, 0,
	0,
};

static size_t put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return (size_t)n;
}

static size_t put_str(unsigned char *p, const char *s)
{
	size_t n = strlen(s) + 1;
	memcpy(p, s, n);
	return n;
}

/* Builds .debug_info into info; origin_self makes the inlined DIE's origin point at itself
 * (a cycle). Returns its size. */
static size_t build_info(unsigned char *info, int origin_self)
{
	size_t n = 0, len_at, inner_at, inl_at;

	len_at = n;
	n += 4;                                 /* unit_length, filled in below */
	n += put(info + n, 5, 2);               /* version */
	info[n++] = 1;                          /* DW_UT_compile */
	info[n++] = 8;                          /* address size */
	n += put(info + n, 0, 4);               /* abbrev offset */
	info[n++] = 1;                          /* compile_unit */
	n += put_str(info + n, "t.c");
	n += put(info + n, 0x1000, 8);
	n += put(info + n, 0x100, 4);
	n += put(info + n, 0, 4);               /* stmt_list */
	inner_at = n;
	info[n++] = 2;                          /* abstract inner */
	n += put_str(info + n, "inner");
	info[n++] = 3;                          /* DW_INL_declared_inlined */
	info[n++] = 3;                          /* outer */
	n += put_str(info + n, "outer");
	n += put(info + n, 0x1000, 8);
	n += put(info + n, 0x100, 4);
	inl_at = n;
	info[n++] = 4;
	n += put(info + n, origin_self ? inl_at : inner_at, 4);
	n += put(info + n, 0x1010, 8);
	n += put(info + n, 0x20, 4);
	info[n++] = 1;                          /* call_file */
	info[n++] = 7;                          /* call_line */
	info[n++] = 0;                          /* end of outer's children */
	info[n++] = 0;                          /* end of the unit's children */
	put(info + len_at, n - 4, 4);
	return n;
}

/* A DWARF 5 line program: file 0 and 1 "t.c"; rows 0x1000 line 3, 0x1010 line 9, end 0x1100. */
static size_t build_line(unsigned char *line)
{
	size_t n = 0, len_at, hdr_at, hdr_start;

	len_at = n;
	n += 4;
	n += put(line + n, 5, 2);
	line[n++] = 8;                          /* address size */
	line[n++] = 0;                          /* segment selector size */
	hdr_at = n;
	n += 4;                                 /* header_length */
	hdr_start = n;
	line[n++] = 1;                          /* minimum_instruction_length */
	line[n++] = 1;                          /* maximum_operations_per_instruction */
	line[n++] = 1;                          /* default_is_stmt */
	line[n++] = (unsigned char)-5;          /* line_base */
	line[n++] = 14;                         /* line_range */
	line[n++] = 13;                         /* opcode_base */
	static const unsigned char std_len[12] = { 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1 };
	memcpy(line + n, std_len, 12);
	n += 12;
	line[n++] = 1;                          /* directory format count: path, string */
	line[n++] = 1;
	line[n++] = 0x08;
	line[n++] = 1;                          /* directories */
	n += put_str(line + n, "/src");
	line[n++] = 2;                          /* file format: path string, directory index udata */
	line[n++] = 1;
	line[n++] = 0x08;
	line[n++] = 2;
	line[n++] = 0x0f;
	line[n++] = 2;                          /* files */
	n += put_str(line + n, "t.c");
	line[n++] = 0;
	n += put_str(line + n, "t.c");
	line[n++] = 0;
	put(line + hdr_at, n - hdr_start, 4);
	line[n++] = 0;                          /* set_address 0x1000 */
	line[n++] = 9;
	line[n++] = 2;
	n += put(line + n, 0x1000, 8);
	line[n++] = 3;                          /* advance_line +2 -> 3 */
	line[n++] = 2;
	line[n++] = 1;                          /* copy */
	line[n++] = 2;                          /* advance_pc 0x10 */
	line[n++] = 0x10;
	line[n++] = 3;                          /* advance_line +6 -> 9 */
	line[n++] = 6;
	line[n++] = 1;                          /* copy */
	line[n++] = 2;                          /* advance_pc 0xf0 */
	line[n++] = 0xf0;
	line[n++] = 0x01;
	line[n++] = 0;                          /* end_sequence */
	line[n++] = 1;
	line[n++] = 1;
	put(line + len_at, n - 4, 4);
	return n;
}

static struct dwarf *open_sections(unsigned char *info, size_t info_size, unsigned char *line, size_t line_size,
                                   const unsigned char *ab, size_t ab_size)
{
	struct dwarf_sections s = { 0 };

	s.info = info;
	s.info_size = info_size;
	s.abbrev = ab;
	s.abbrev_size = ab_size;
	s.line = line;
	s.line_size = line_size;
	return dwarf_from_sections(&s, "hand-made", DWARF_NAMES_RAW);
}

static void test_hand_made(void)
{
	unsigned char info[256], line[256];
	size_t ni = build_info(info, 0), nl = build_line(line);
	struct inline_frame f[8];
	struct dwarf *d = open_sections(info, ni, line, nl, abbrev, sizeof(abbrev));
	size_t n;

	CHECK(d != NULL);
	n = dwarf_lookup(d, 0x1018, f, 8);
	CHECK(n == 2);
	if (n == 2) {
		CHECK_STR(f[0].name, "inner");
		CHECK_STR(f[0].file, "t.c");
		CHECK(f[0].line == 9);
		CHECK_STR(f[1].name, "outer");
		CHECK(f[1].line == 7);
	}
	n = dwarf_lookup(d, 0x1004, f, 8);      /* outside the inlined call */
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(f[0].name, "outer");
		CHECK(f[0].line == 3);
	}
	CHECK(dwarf_lookup(d, 0x1018, f, 1) == 2);      /* the length, even when cut */
	CHECK(dwarf_lookup(d, 0x2000, f, 8) == 0);      /* nothing there */
	CHECK(dwarf_lookup(d, 0x1018, f, 8) == 2);      /* cached answer */
	CHECK(dwarf_memory(d) > 0);
	dwarf_free(d);
}

static void test_cyclic_origin(void)
{
	unsigned char info[256], line[256];
	size_t ni = build_info(info, 1), nl = build_line(line);
	struct inline_frame f[8];
	struct dwarf *d = open_sections(info, ni, line, nl, abbrev, sizeof(abbrev));
	size_t n = dwarf_lookup(d, 0x1018, f, 8);

	CHECK(n == 2);
	if (n == 2)
		CHECK(f[0].name == NULL);       /* no name anywhere on the cycle */
	dwarf_free(d);
}

/* Truncated and bit-flipped sections: no crash (ASan and the sanitize build watch), no hang. */
static void test_damaged(void)
{
	unsigned char info[256], line[256], copy[256], ab[sizeof(abbrev)];
	size_t ni = build_info(info, 0), nl = build_line(line);
	struct inline_frame f[8];
	size_t answers = 0;

	for (size_t cut = 0; cut <= ni; cut++) {
		unsigned char *buf = malloc(cut ? cut : 1);      /* exact size, so ASan sees overreads */
		memcpy(buf, info, cut);
		struct dwarf *d = open_sections(buf, cut, line, nl, abbrev, sizeof(abbrev));
		answers += dwarf_lookup(d, 0x1018, f, 8);
		dwarf_free(d);
		free(buf);
	}
	for (size_t cut = 0; cut <= nl; cut++) {
		unsigned char *buf = malloc(cut ? cut : 1);
		memcpy(buf, line, cut);
		struct dwarf *d = open_sections(info, ni, buf, cut, abbrev, sizeof(abbrev));
		answers += dwarf_lookup(d, 0x1018, f, 8);
		dwarf_free(d);
		free(buf);
	}
	for (size_t cut = 0; cut <= sizeof(abbrev); cut++) {
		unsigned char *buf = malloc(cut ? cut : 1);
		memcpy(buf, abbrev, cut);
		struct dwarf *d = open_sections(info, ni, line, nl, buf, cut);
		answers += dwarf_lookup(d, 0x1018, f, 8);
		dwarf_free(d);
		free(buf);
	}
	for (size_t i = 0; i < ni; i++)
		for (int bit = 0; bit < 8; bit++) {
			memcpy(copy, info, ni);
			copy[i] ^= (unsigned char)(1 << bit);
			struct dwarf *d = open_sections(copy, ni, line, nl, abbrev, sizeof(abbrev));
			for (uint64_t a = 0x1000; a < 0x1100; a += 8)
				answers += dwarf_lookup(d, a, f, 8);
			dwarf_free(d);
		}
	for (size_t i = 0; i < sizeof(abbrev); i++) {
		memcpy(ab, abbrev, sizeof(abbrev));
		ab[i] ^= 0x80;
		struct dwarf *d = open_sections(info, ni, line, nl, ab, sizeof(ab));
		answers += dwarf_lookup(d, 0x1018, f, 8);
		dwarf_free(d);
	}
	for (size_t i = 0; i < nl; i++) {
		memcpy(copy, line, nl);
		copy[i] ^= 0xff;
		struct dwarf *d = open_sections(info, ni, copy, nl, abbrev, sizeof(abbrev));
		answers += dwarf_lookup(d, 0x1018, f, 8);
		dwarf_free(d);
	}
	CHECK(answers > 0);     /* the damage left some lookups answerable, and none crashed */
}

/* --bench FILE ADDRS: look up every address of ADDRS (hex, one a line, in sample order, repeats
 * and all) in FILE's DWARF; print the time (opening included), the distinct addresses, the frames
 * the chains add up to and the reader's memory. For tests/bench/record-inline.sh. */
static int bench(const char *file, const char *list)
{
	struct elf_file elf, debug = { 0 };
	struct elf_section sec;
	struct inline_frame f[64];
	struct timespec t0, t1;
	char found[4096], line[64];
	uint64_t *addrs = NULL;
	size_t n = 0, cap = 0, frames = 0, distinct = 0;
	FILE *in = fopen(list, "r");
	struct dwarf *d;

	if (!in || elf_open(&elf, file) < 0) {
		fprintf(stderr, "cannot open %s or %s\n", file, list);
		return 2;
	}
	while (fgets(line, sizeof(line), in)) {
		GROW(addrs, cap, n + 1);
		addrs[n++] = strtoull(line, NULL, 16);
	}
	fclose(in);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (elf_section_by_name(&elf, ".debug_info", &sec) == 0 ||
	    debuginfo_find(&elf, file, NULL, &debug, found, sizeof(found)) < 0)
		d = dwarf_open(&elf, file, DWARF_NAMES_DEMANGLE);
	else
		d = dwarf_open(&debug, found, DWARF_NAMES_DEMANGLE);
	for (size_t i = 0; i < n; i++) {
		size_t k = dwarf_lookup(d, addrs[i], f, 64);
		frames += k ? k : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	qsort(addrs, n, sizeof(*addrs), compare_u64);
	for (size_t i = 0; i < n; i++)
		distinct += i == 0 || addrs[i] != addrs[i - 1];
	double us = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
	printf("lookups=%zu distinct=%zu frames=%zu us=%.0f us_per_distinct=%.2f us_per_lookup=%.3f dwarf_kb=%zu\n", n,
	       distinct, frames, us, distinct ? us / (double)distinct : 0, n ? us / (double)n : 0, dwarf_memory(d) / 1024);
	dwarf_free(d);
	elf_close(&debug);
	elf_close(&elf);
	free(addrs);
	return 0;
}

int main(int argc, char **argv)
{
	progname = "record_dwarf_info";
	if (argc == 4 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], argv[3]);
	if (argc > 1)
		return print_chains(argc, argv);
	test_hand_made();
	test_cyclic_origin();
	/* The damaged units warn; this test is about not crashing, so their warnings go away. */
	fflush(stderr);
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	test_damaged();
	fflush(stderr);
	dup2(saved, 2);
	close(null);
	close(saved);
	return check_report("record_dwarf_info");
}
