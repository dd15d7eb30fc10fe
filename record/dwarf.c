/* dwarf: inlined frames and source lines from DWARF 2-5; see dwarf.h.
 *
 * Written from the DWARF 4 and 5 specifications. The pieces:
 *   cursor      bounds-checked reads of fixed-size, LEB128 and offset-sized values
 *   abbrev      a unit's abbreviation table (code -> tag, children, attribute specs)
 *   unit        a unit header, its top DIE's bases (str_offsets, addr, rnglists, stmt_list)
 *   functions   a unit's subprograms and inlined subroutines with their ranges, in DIE order,
 *               each with the index past its subtree, so a lookup descends without a tree
 *   lines       the unit's line program run into rows, per sequence
 *   index       unit address ranges (aranges, else the units' own), built on the first lookup
 *   cache       address -> chain, so each distinct address is worked out once */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"
#include "inflate.h"
#include "util.h"
#include "demangle.h"
#include "dwarf.h"

#define NONE UINT64_MAX
#define MAX_DEPTH 256           /* DIE nesting */
#define MAX_ORIGIN_CHAIN 16     /* abstract_origin / specification hops */
#define MAX_CHAIN 64            /* inlined frames kept for one address */

/* ---- sections ---- */

struct sec {
	const unsigned char *data;
	size_t size;
};

/* ---- bounds-checked reading ---- */

struct cursor {
	const unsigned char *p, *end;
	int bad;
};

static void cur_init(struct cursor *c, const struct sec *s, uint64_t off)
{
	if (!s->data || off > s->size) {
		c->p = c->end = NULL;
		c->bad = 1;
		return;
	}
	c->p = s->data + off;
	c->end = s->data + s->size;
	c->bad = 0;
}

static int cur_have(struct cursor *c, uint64_t n)
{
	if (c->bad || (uint64_t)(c->end - c->p) < n) {
		c->bad = 1;
		c->p = c->end;
		return 0;
	}
	return 1;
}

static void cur_skip(struct cursor *c, uint64_t n)
{
	if (cur_have(c, n))
		c->p += n;
}

static uint64_t cur_un(struct cursor *c, unsigned n)
{
	uint64_t v = 0;

	if (!cur_have(c, n))
		return 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static uint8_t cur_u8(struct cursor *c) { return (uint8_t)cur_un(c, 1); }
static uint16_t cur_u16(struct cursor *c) { return (uint16_t)cur_un(c, 2); }
static uint32_t cur_u32(struct cursor *c) { return (uint32_t)cur_un(c, 4); }
static uint64_t cur_u64(struct cursor *c) { return cur_un(c, 8); }

static uint64_t cur_uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (!c->bad) {
		if (c->p >= c->end) {
			c->bad = 1;
			break;
		}
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static int64_t cur_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char b = 0;

	while (!c->bad) {
		if (c->p >= c->end) {
			c->bad = 1;
			return 0;
		}
		b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* A NUL-terminated string in place; NULL (and bad) when the NUL is missing. */
static const char *cur_str(struct cursor *c)
{
	const unsigned char *nul;

	if (c->bad)
		return NULL;
	nul = memchr(c->p, 0, (size_t)(c->end - c->p));
	if (!nul) {
		c->bad = 1;
		c->p = c->end;
		return NULL;
	}
	const char *s = (const char *)c->p;
	c->p = nul + 1;
	return s;
}

/* An initial length: 32-bit, or 0xffffffff then 64-bit. */
static uint64_t cur_length(struct cursor *c, int *is64)
{
	uint64_t len = cur_u32(c);

	*is64 = 0;
	if (len == 0xffffffffu) {
		*is64 = 1;
		len = cur_u64(c);
	} else if (len >= 0xfffffff0u) {
		c->bad = 1;
	}
	return len;
}

static const char *sec_str(const struct sec *s, uint64_t off)
{
	struct cursor c;

	cur_init(&c, s, off);
	return cur_str(&c);
}

/* ---- DWARF constants ---- */

enum {
	TAG_inlined_subroutine = 0x1d, TAG_compile_unit = 0x11, TAG_subprogram = 0x2e,
	TAG_partial_unit = 0x3c, TAG_skeleton_unit = 0x4a,
};
enum {
	AT_name = 0x03, AT_stmt_list = 0x10, AT_low_pc = 0x11, AT_high_pc = 0x12,
	AT_abstract_origin = 0x31, AT_specification = 0x47, AT_ranges = 0x55, AT_call_file = 0x58,
	AT_call_line = 0x59, AT_linkage_name = 0x6e, AT_str_offsets_base = 0x72, AT_addr_base = 0x73,
	AT_rnglists_base = 0x74, AT_dwo_name = 0x76, AT_MIPS_linkage_name = 0x2007,
	AT_GNU_dwo_name = 0x2130, AT_GNU_ranges_base = 0x2132, AT_GNU_addr_base = 0x2133,
};
enum {
	FORM_addr = 0x01, FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05, FORM_data4 = 0x06,
	FORM_data8 = 0x07, FORM_string = 0x08, FORM_block = 0x09, FORM_block1 = 0x0a, FORM_data1 = 0x0b,
	FORM_flag = 0x0c, FORM_sdata = 0x0d, FORM_strp = 0x0e, FORM_udata = 0x0f, FORM_ref_addr = 0x10,
	FORM_ref1 = 0x11, FORM_ref2 = 0x12, FORM_ref4 = 0x13, FORM_ref8 = 0x14, FORM_ref_udata = 0x15,
	FORM_indirect = 0x16, FORM_sec_offset = 0x17, FORM_exprloc = 0x18, FORM_flag_present = 0x19,
	FORM_strx = 0x1a, FORM_addrx = 0x1b, FORM_ref_sup4 = 0x1c, FORM_strp_sup = 0x1d,
	FORM_data16 = 0x1e, FORM_line_strp = 0x1f, FORM_ref_sig8 = 0x20, FORM_implicit_const = 0x21,
	FORM_loclistx = 0x22, FORM_rnglistx = 0x23, FORM_ref_sup8 = 0x24, FORM_strx1 = 0x25,
	FORM_strx2 = 0x26, FORM_strx3 = 0x27, FORM_strx4 = 0x28, FORM_addrx1 = 0x29, FORM_addrx2 = 0x2a,
	FORM_addrx3 = 0x2b, FORM_addrx4 = 0x2c, FORM_GNU_addr_index = 0x1f01, FORM_GNU_str_index = 0x1f02,
	FORM_GNU_ref_alt = 0x1f20, FORM_GNU_strp_alt = 0x1f21,
};
enum { UT_compile = 1, UT_type = 2, UT_partial = 3, UT_skeleton = 4, UT_split_compile = 5, UT_split_type = 6 };

/* ---- abbreviations ---- */

struct attr_spec {
	uint16_t name, form;
	int64_t implicit;
};

struct abbrev {
	uint64_t code;
	uint16_t tag;
	uint8_t children;
	uint32_t first, n;      /* specs[first .. first+n) */
};

struct abbrev_table {
	uint64_t offset;
	struct abbrev *abbrevs;     /* sorted by code */
	size_t n;
	struct attr_spec *specs;
	size_t nspecs;
	int bad;
	struct abbrev_table *next;  /* in d->abbrev_tables */
};

/* ---- units and what is read from them ---- */

struct range {
	uint64_t lo, hi;
};

struct node {
	uint64_t die;           /* its offset in .debug_info */
	const char *name;       /* its own linkage name or name */
	uint64_t origin;        /* abstract_origin / specification DIE, NONE */
	const char *resolved;   /* the name to print, once worked out */
	uint32_t range_first, nranges;
	uint32_t end;           /* index past its subtree */
	uint32_t call_file, call_line;
	uint8_t linkage, tried, inlined;
};

struct root {
	uint64_t lo, hi;
	uint32_t node;
};

struct row {
	uint64_t addr;
	uint32_t file, line;
};

struct sequence {
	uint64_t lo, hi;
	uint32_t first, n;      /* rows */
};

struct unit {
	uint64_t offset, end;   /* header .. past the unit, in .debug_info */
	uint64_t die_offset;    /* its first DIE */
	uint64_t abbrev_offset;
	uint16_t version;
	uint8_t unit_type, addr_size, is64;
	struct abbrev_table *abbrevs;
	int prepared;           /* top DIE read: 1 ok, -1 unusable */
	int loaded;             /* functions and lines read: 1 ok, -1 bad */
	int skeleton;
	uint64_t base;          /* DW_AT_low_pc of the unit: base for ranges and location lists */
	uint64_t str_offsets_base, addr_base, rnglists_base, stmt_list;
	int has_stmt, has_rnglists_base;
	struct node *nodes;
	size_t nnodes;
	struct range *ranges;
	size_t nranges;
	struct root *roots;
	size_t nroots;
	/* lines */
	const char **files;
	size_t nfiles;
	unsigned file_base;     /* index of files[0]: 1 before DWARF 5, 0 from it */
	struct row *rows;
	size_t nrows;
	struct sequence *seqs;
	size_t nseqs;
};

struct cu_range {
	uint64_t lo, hi;
	uint32_t unit;
};

struct cache_entry {
	uint64_t key;           /* address + 1; 0: empty */
	uint32_t first, n;      /* frames in d->pool */
};

struct dwarf {
	char *path;
	int names;
	struct sec info, abbrev, str, line_str, str_offsets, addr, ranges, rnglists, aranges, line;
	int indexed;
	struct unit *units;
	size_t nunits;
	struct cu_range *cu_ranges;
	size_t ncu_ranges;
	struct abbrev_table *abbrev_tables;
	int warned_bad, warned_split;
	struct cache_entry *cache;
	size_t cache_cap, cache_n;
	struct inline_frame *pool;
	size_t npool, pool_cap;
	struct arena strings;
	size_t mem;             /* bytes allocated for units and tables */
	unsigned char *owned[16];       /* inflated sections */
	size_t nowned;
};

static void bad_dwarf(struct dwarf *d, const char *what, uint64_t off)
{
	if (d->warned_bad++)
		return;
	warn("%s: bad DWARF (%s at offset 0x%llx); its frames are not expanded", d->path, what,
	     (unsigned long long)off);
}

/* ---- abbreviation tables ---- */

/* qsort, but not on an empty (possibly NULL) array. */
static void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int compare_abbrev(const void *a, const void *b)
{
	const struct abbrev *x = a, *y = b;
	return x->code < y->code ? -1 : x->code > y->code;
}

static struct abbrev_table *abbrev_table_get(struct dwarf *d, uint64_t off)
{
	struct abbrev_table *t;
	struct cursor c;
	size_t cap = 0, spec_cap = 0;

	for (t = d->abbrev_tables; t; t = t->next)
		if (t->offset == off)
			return t;
	t = xcalloc(1, sizeof(*t));
	t->offset = off;
	t->next = d->abbrev_tables;
	d->abbrev_tables = t;
	cur_init(&c, &d->abbrev, off);
	for (;;) {
		uint64_t code = cur_uleb(&c);
		if (c.bad || code == 0)
			break;
		GROW(t->abbrevs, cap, t->n + 1);
		struct abbrev *a = &t->abbrevs[t->n++];
		a->code = code;
		a->tag = (uint16_t)cur_uleb(&c);
		a->children = cur_u8(&c);
		a->first = (uint32_t)t->nspecs;
		for (;;) {
			uint64_t name = cur_uleb(&c), form = cur_uleb(&c);
			int64_t implicit = 0;
			if (form == FORM_implicit_const)
				implicit = cur_sleb(&c);
			if (c.bad || (name == 0 && form == 0))
				break;
			if (t->nspecs >= UINT32_MAX - 1) {
				c.bad = 1;
				break;
			}
			GROW(t->specs, spec_cap, t->nspecs + 1);
			t->specs[t->nspecs].name = (uint16_t)(name > 0xffff ? 0xffff : name);
			t->specs[t->nspecs].form = (uint16_t)(form > 0xffff ? 0xffff : form);
			t->specs[t->nspecs].implicit = implicit;
			t->nspecs++;
		}
		a->n = (uint32_t)(t->nspecs - a->first);
	}
	if (c.bad) {
		t->bad = 1;
		bad_dwarf(d, ".debug_abbrev truncated", off);
	}
	sort_array(t->abbrevs, t->n, sizeof(*t->abbrevs), compare_abbrev);
	d->mem += cap * sizeof(*t->abbrevs) + spec_cap * sizeof(*t->specs) + sizeof(*t);
	return t;
}

static const struct abbrev *abbrev_find(const struct abbrev_table *t, uint64_t code)
{
	size_t lo = 0, hi = t->n;

	if (code - 1 < t->n && t->abbrevs[code - 1].code == code)
		return &t->abbrevs[code - 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->abbrevs[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->abbrevs[lo].code == code ? &t->abbrevs[lo] : NULL;
}

/* ---- attribute values ---- */

struct value {
	uint16_t form;
	uint64_t u;
	const char *s;          /* DW_FORM_string */
};

/* Read one value of form; returns 0, or -1 for an unknown form (the DIE cannot be skipped). */
static int read_value(struct cursor *c, const struct unit *u, unsigned form, int64_t implicit, struct value *v)
{
	unsigned off_size = u->is64 ? 8 : 4;

	v->form = (uint16_t)form;
	v->u = 0;
	v->s = NULL;
	for (int hops = 0; form == FORM_indirect; hops++) {
		form = (unsigned)cur_uleb(c);
		v->form = (uint16_t)form;
		if (hops > 4 || c->bad)
			return -1;
		if (form == FORM_implicit_const)
			return -1;  /* it has no value in the DIE to read */
	}
	switch (form) {
	case FORM_addr: v->u = cur_un(c, u->addr_size); break;
	case FORM_data1: case FORM_ref1: case FORM_flag: case FORM_strx1: case FORM_addrx1:
		v->u = cur_u8(c); break;
	case FORM_data2: case FORM_ref2: case FORM_strx2: case FORM_addrx2: v->u = cur_u16(c); break;
	case FORM_strx3: case FORM_addrx3: v->u = cur_un(c, 3); break;
	case FORM_data4: case FORM_ref4: case FORM_ref_sup4: case FORM_strx4: case FORM_addrx4:
		v->u = cur_u32(c); break;
	case FORM_data8: case FORM_ref8: case FORM_ref_sig8: case FORM_ref_sup8: v->u = cur_u64(c); break;
	case FORM_data16: cur_skip(c, 16); break;
	case FORM_sdata: v->u = (uint64_t)cur_sleb(c); break;
	case FORM_udata: case FORM_ref_udata: case FORM_strx: case FORM_addrx: case FORM_loclistx:
	case FORM_rnglistx: case FORM_GNU_addr_index: case FORM_GNU_str_index:
		v->u = cur_uleb(c); break;
	case FORM_string: v->s = cur_str(c); break;
	case FORM_strp: case FORM_line_strp: case FORM_sec_offset: case FORM_strp_sup:
	case FORM_GNU_ref_alt: case FORM_GNU_strp_alt:
		v->u = cur_un(c, off_size); break;
	case FORM_ref_addr: v->u = cur_un(c, u->version <= 2 ? u->addr_size : off_size); break;
	case FORM_block1: cur_skip(c, cur_u8(c)); break;
	case FORM_block2: cur_skip(c, cur_u16(c)); break;
	case FORM_block4: cur_skip(c, cur_u32(c)); break;
	case FORM_block: case FORM_exprloc: cur_skip(c, cur_uleb(c)); break;
	case FORM_flag_present: v->u = 1; break;
	case FORM_implicit_const: v->u = (uint64_t)implicit; break;
	default: return -1;
	}
	return c->bad ? -1 : 0;
}

static int is_constant_form(unsigned form)
{
	return form == FORM_data1 || form == FORM_data2 || form == FORM_data4 || form == FORM_data8 ||
	       form == FORM_udata || form == FORM_sdata || form == FORM_implicit_const;
}

/* A reference as an absolute .debug_info offset; NONE for references elsewhere (dwz, type units). */
static uint64_t value_ref(const struct unit *u, const struct value *v)
{
	switch (v->form) {
	case FORM_ref1: case FORM_ref2: case FORM_ref4: case FORM_ref8: case FORM_ref_udata:
		return v->u < u->end - u->offset ? u->offset + v->u : NONE;
	case FORM_ref_addr:
		return v->u;
	default:
		return NONE;
	}
}

static const char *value_str(struct dwarf *d, const struct unit *u, const struct value *v)
{
	uint64_t idx, off;
	unsigned off_size = u->is64 ? 8 : 4;
	struct cursor c;

	switch (v->form) {
	case FORM_string: return v->s;
	case FORM_strp: return sec_str(&d->str, v->u);
	case FORM_line_strp: return sec_str(&d->line_str, v->u);
	case FORM_strx: case FORM_strx1: case FORM_strx2: case FORM_strx3: case FORM_strx4:
	case FORM_GNU_str_index:
		idx = v->u;
		if (idx > (UINT64_MAX - u->str_offsets_base) / off_size)
			return NULL;
		cur_init(&c, &d->str_offsets, u->str_offsets_base + idx * off_size);
		off = cur_un(&c, off_size);
		return c.bad ? NULL : sec_str(&d->str, off);
	default: return NULL;   /* strp_sup, GNU_strp_alt: in a file we do not read */
	}
}

/* An address from .debug_addr; 0 when out of bounds. */
static uint64_t addr_index(struct dwarf *d, const struct unit *u, uint64_t idx)
{
	struct cursor c;

	if (!u->addr_size || idx > (UINT64_MAX - u->addr_base) / u->addr_size)
		return 0;
	cur_init(&c, &d->addr, u->addr_base + idx * u->addr_size);
	uint64_t a = cur_un(&c, u->addr_size);
	return c.bad ? 0 : a;
}

static int value_addr(struct dwarf *d, const struct unit *u, const struct value *v, uint64_t *out)
{
	switch (v->form) {
	case FORM_addr: *out = v->u; return 0;
	case FORM_addrx: case FORM_addrx1: case FORM_addrx2: case FORM_addrx3: case FORM_addrx4:
	case FORM_GNU_addr_index:
		*out = addr_index(d, u, v->u);
		return 0;
	default: return -1;
	}
}

/* ---- DIEs ---- */

struct die {
	const struct abbrev *ab;        /* NULL: the end of a sibling list */
	struct value name, linkage, low_pc, high_pc, ranges, call_file, call_line;
	uint64_t origin, specification;
	struct value str_offsets_base, addr_base, rnglists_base, stmt_list;
	int has_name, has_linkage, has_low, has_high, has_ranges, has_call_file, has_call_line;
	int has_str_offsets_base, has_addr_base, has_rnglists_base, has_stmt_list, has_dwo;
};

/* Read the DIE at c; 0, or -1 when it cannot be read (bad code, unknown form, truncated). */
static int read_die(const struct unit *u, struct cursor *c, struct die *die)
{
	uint64_t code;
	const struct abbrev *ab;
	struct value v;

	code = cur_uleb(c);
	die->ab = NULL;
	if (c->bad)
		return -1;
	if (code == 0)
		return 0;
	ab = abbrev_find(u->abbrevs, code);
	if (!ab)
		return -1;
	die->ab = ab;
	die->has_name = die->has_linkage = die->has_low = die->has_high = die->has_ranges = 0;
	die->has_call_file = die->has_call_line = die->has_str_offsets_base = die->has_addr_base = 0;
	die->has_rnglists_base = die->has_stmt_list = die->has_dwo = 0;
	die->origin = die->specification = NONE;
	for (uint32_t i = 0; i < ab->n; i++) {
		const struct attr_spec *sp = &u->abbrevs->specs[ab->first + i];
		if (read_value(c, u, sp->form, sp->implicit, &v) < 0)
			return -1;
		switch (sp->name) {
		case AT_name: die->name = v; die->has_name = 1; break;
		case AT_linkage_name: case AT_MIPS_linkage_name: die->linkage = v; die->has_linkage = 1; break;
		case AT_low_pc: die->low_pc = v; die->has_low = 1; break;
		case AT_high_pc: die->high_pc = v; die->has_high = 1; break;
		case AT_ranges: die->ranges = v; die->has_ranges = 1; break;
		case AT_call_file: die->call_file = v; die->has_call_file = 1; break;
		case AT_call_line: die->call_line = v; die->has_call_line = 1; break;
		case AT_abstract_origin: die->origin = value_ref(u, &v); break;
		case AT_specification: die->specification = value_ref(u, &v); break;
		case AT_str_offsets_base: die->str_offsets_base = v; die->has_str_offsets_base = 1; break;
		case AT_addr_base: case AT_GNU_addr_base: die->addr_base = v; die->has_addr_base = 1; break;
		case AT_rnglists_base: case AT_GNU_ranges_base:
			die->rnglists_base = v; die->has_rnglists_base = 1; break;
		case AT_stmt_list: die->stmt_list = v; die->has_stmt_list = 1; break;
		case AT_dwo_name: case AT_GNU_dwo_name: die->has_dwo = 1; break;
		default: break;
		}
	}
	return 0;
}

/* ---- ranges ---- */

struct range_list {
	struct range *r;
	size_t n, cap;
};

static void range_add(struct range_list *l, uint64_t lo, uint64_t hi)
{
	/* 0 and the all-ones tombstones mark code the linker discarded. */
	if (lo >= hi || lo == 0 || hi == UINT64_MAX || lo >= UINT64_MAX - 1)
		return;
	GROW(l->r, l->cap, l->n + 1);
	l->r[l->n].lo = lo;
	l->r[l->n].hi = hi;
	l->n++;
}

/* DWARF 2-4 .debug_ranges at off. */
static int ranges_v4(struct dwarf *d, const struct unit *u, uint64_t off, struct range_list *out)
{
	struct cursor c;
	uint64_t base = u->base, all = u->addr_size == 4 ? 0xffffffffu : UINT64_MAX;

	cur_init(&c, &d->ranges, off);
	for (size_t guard = 0; guard < (1u << 20); guard++) {
		uint64_t a = cur_un(&c, u->addr_size), b = cur_un(&c, u->addr_size);
		if (c.bad)
			return -1;
		if (a == 0 && b == 0)
			return 0;
		if (a == all)
			base = b;
		else
			range_add(out, base + a, base + b);
	}
	return -1;
}

/* DWARF 5 .debug_rnglists at off. */
static int ranges_v5(struct dwarf *d, const struct unit *u, uint64_t off, struct range_list *out)
{
	struct cursor c;
	uint64_t base = u->base, a, b;

	cur_init(&c, &d->rnglists, off);
	for (size_t guard = 0; guard < (1u << 20); guard++) {
		unsigned kind = cur_u8(&c);
		if (c.bad)
			return -1;
		switch (kind) {
		case 0: return 0;                                               /* end_of_list */
		case 1: base = addr_index(d, u, cur_uleb(&c)); break;           /* base_addressx */
		case 2: a = addr_index(d, u, cur_uleb(&c));                      /* startx_endx */
			b = addr_index(d, u, cur_uleb(&c));
			range_add(out, a, b);
			break;
		case 3: a = addr_index(d, u, cur_uleb(&c));                      /* startx_length */
			b = cur_uleb(&c);
			range_add(out, a, a + b < a ? UINT64_MAX : a + b);
			break;
		case 4: a = cur_uleb(&c);                                        /* offset_pair */
			b = cur_uleb(&c);
			range_add(out, base + a, base + b);
			break;
		case 5: base = cur_un(&c, u->addr_size); break;                 /* base_address */
		case 6: a = cur_un(&c, u->addr_size);                           /* start_end */
			b = cur_un(&c, u->addr_size);
			range_add(out, a, b);
			break;
		case 7: a = cur_un(&c, u->addr_size);                           /* start_length */
			b = cur_uleb(&c);
			range_add(out, a, a + b < a ? UINT64_MAX : a + b);
			break;
		default: return -1;
		}
	}
	return -1;
}

/* The ranges of a DIE (low/high pc or DW_AT_ranges); -1 when they cannot be read. */
static int die_ranges(struct dwarf *d, const struct unit *u, const struct die *die, struct range_list *out)
{
	if (die->has_ranges) {
		uint64_t off = die->ranges.u;
		if (die->ranges.form == FORM_rnglistx) {
			unsigned off_size = u->is64 ? 8 : 4;
			struct cursor c;
			if (off > (UINT64_MAX - u->rnglists_base) / off_size)
				return -1;
			cur_init(&c, &d->rnglists, u->rnglists_base + off * off_size);
			off = cur_un(&c, off_size);
			if (c.bad)
				return -1;
			off += u->rnglists_base;
			return ranges_v5(d, u, off, out);
		}
		if (u->version >= 5)
			return ranges_v5(d, u, off, out);
		return ranges_v4(d, u, off, out);
	}
	if (die->has_low && die->has_high) {
		uint64_t lo, hi;
		if (value_addr(d, u, &die->low_pc, &lo) < 0)
			return -1;
		if (is_constant_form(die->high_pc.form))
			hi = lo + die->high_pc.u < lo ? UINT64_MAX : lo + die->high_pc.u;
		else if (value_addr(d, u, &die->high_pc, &hi) < 0)
			return -1;
		range_add(out, lo, hi);
	}
	return 0;
}

/* ---- units ---- */

/* Read the unit header at off into u; returns the offset past the unit, or 0 when bad. */
static uint64_t read_unit_header(struct dwarf *d, uint64_t off, struct unit *u)
{
	struct cursor c;
	int is64;
	uint64_t len, end;

	memset(u, 0, sizeof(*u));
	cur_init(&c, &d->info, off);
	len = cur_length(&c, &is64);
	if (c.bad || len > (uint64_t)(c.end - c.p))
		return 0;
	end = (uint64_t)(c.p - d->info.data) + len;
	u->offset = off;
	u->end = end;
	u->is64 = (uint8_t)is64;
	u->version = cur_u16(&c);
	if (u->version < 2 || u->version > 5)
		return 0;
	if (u->version >= 5) {
		u->unit_type = cur_u8(&c);
		u->addr_size = cur_u8(&c);
		u->abbrev_offset = cur_un(&c, is64 ? 8 : 4);
		if (u->unit_type == UT_skeleton || u->unit_type == UT_split_compile)
			cur_skip(&c, 8);
		else if (u->unit_type == UT_type || u->unit_type == UT_split_type)
			cur_skip(&c, 8 + (is64 ? 8 : 4));
	} else {
		u->unit_type = UT_compile;
		u->abbrev_offset = cur_un(&c, is64 ? 8 : 4);
		u->addr_size = cur_u8(&c);
	}
	if (c.bad || (u->addr_size != 4 && u->addr_size != 8))
		return 0;
	u->die_offset = (uint64_t)(c.p - d->info.data);
	if (u->die_offset > end)
		return 0;
	return end;
}

static uint64_t value_offset(const struct value *v)
{
	return v->u;
}

/* Read a unit's abbreviations and top DIE (its bases); 0 when usable. */
static int unit_prepare(struct dwarf *d, struct unit *u)
{
	struct cursor c;
	struct die die;

	if (u->prepared)
		return u->prepared > 0 ? 0 : -1;
	u->prepared = -1;
	u->abbrevs = abbrev_table_get(d, u->abbrev_offset);
	if (u->abbrevs->bad)
		return -1;
	cur_init(&c, &d->info, u->die_offset);
	c.end = d->info.data + u->end;
	if (read_die(u, &c, &die) < 0 || !die.ab) {
		bad_dwarf(d, "unreadable unit DIE", u->die_offset);
		return -1;
	}
	if (die.ab->tag == TAG_skeleton_unit || u->unit_type == UT_skeleton || die.has_dwo) {
		u->skeleton = 1;
		if (!d->warned_split++)
			warn("%s: split DWARF (.dwo files) is not read; its inlined frames are not shown", d->path);
		return -1;
	}
	if (die.ab->tag != TAG_compile_unit && die.ab->tag != TAG_partial_unit)
		return -1;  /* type units and the like hold no code */
	/* Without the attribute, the bases point past the tables' headers (the usual layout). */
	u->str_offsets_base = die.has_str_offsets_base ? value_offset(&die.str_offsets_base) : (u->is64 ? 16 : 8);
	u->addr_base = die.has_addr_base ? value_offset(&die.addr_base) : (u->is64 ? 16 : 8);
	u->rnglists_base = die.has_rnglists_base ? value_offset(&die.rnglists_base) : (u->is64 ? 20 : 12);
	u->has_rnglists_base = die.has_rnglists_base;
	if (die.has_low)
		value_addr(d, u, &die.low_pc, &u->base);
	if (die.has_stmt_list) {
		u->stmt_list = die.stmt_list.u;
		u->has_stmt = 1;
	}
	u->prepared = 1;
	return 0;
}

static struct unit *unit_of_offset(struct dwarf *d, uint64_t off)
{
	size_t lo = 0, hi = d->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->units[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < d->nunits && d->units[lo].offset <= off && off < d->units[lo].end)
		return &d->units[lo];
	return NULL;
}

/* ---- line programs ---- */

struct line_builder {
	const char **files;
	size_t nfiles, files_cap;
	struct row *rows;
	size_t nrows, rows_cap;
	struct sequence *seqs;
	size_t nseqs, seqs_cap;
};

static void add_file(struct line_builder *b, const char *name)
{
	GROW(b->files, b->files_cap, b->nfiles + 1);
	b->files[b->nfiles++] = name;
}

/* DWARF 5 entry formats: read entries of (content type, form) pairs; path names go to files. */
static int read_v5_entries(struct dwarf *d, const struct unit *u, struct cursor *c, struct line_builder *b,
                           int want_files)
{
	uint64_t fmt_type[16], fmt_form[16];
	unsigned nfmt = cur_u8(c);
	uint64_t count;

	if (nfmt > 16)
		return -1;
	for (unsigned i = 0; i < nfmt; i++) {
		fmt_type[i] = cur_uleb(c);
		fmt_form[i] = cur_uleb(c);
	}
	count = cur_uleb(c);
	if (c->bad || count > (uint64_t)(c->end - c->p))
		return -1;
	for (uint64_t k = 0; k < count; k++) {
		const char *path = NULL;
		for (unsigned i = 0; i < nfmt; i++) {
			struct value v;
			if (fmt_form[i] > 0xffff || read_value(c, u, (unsigned)fmt_form[i], 0, &v) < 0)
				return -1;
			if (fmt_type[i] == 1)   /* DW_LNCT_path */
				path = value_str(d, u, &v);
		}
		if (want_files)
			add_file(b, path);
	}
	return c->bad ? -1 : 0;
}

static void add_row(struct line_builder *b, uint64_t addr, uint64_t file, uint64_t line)
{
	GROW(b->rows, b->rows_cap, b->nrows + 1);
	b->rows[b->nrows].addr = addr;
	b->rows[b->nrows].file = file > UINT32_MAX ? UINT32_MAX : (uint32_t)file;
	b->rows[b->nrows].line = line > UINT32_MAX ? 0 : (uint32_t)line;
	b->nrows++;
}

static int compare_seq(const void *a, const void *b)
{
	const struct sequence *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int read_lines(struct dwarf *d, struct unit *u)
{
	struct cursor c, prog;
	struct line_builder b = { 0 };
	int is64;
	uint64_t len, hdr_len, end;
	unsigned version, min_inst, max_ops = 1, opcode_base, addr_size = u->addr_size;
	int line_base, default_stmt;
	unsigned line_range;
	uint8_t std_len[256] = { 0 };

	cur_init(&c, &d->line, u->stmt_list);
	len = cur_length(&c, &is64);
	if (c.bad || len > (uint64_t)(c.end - c.p))
		return -1;
	end = (uint64_t)(c.p - d->line.data) + len;
	c.end = d->line.data + end;
	version = cur_u16(&c);
	if (version < 2 || version > 5)
		return -1;
	if (version >= 5) {
		addr_size = cur_u8(&c);
		cur_u8(&c);     /* segment selector size */
		if (addr_size != 4 && addr_size != 8)
			return -1;
	}
	hdr_len = cur_un(&c, is64 ? 8 : 4);
	if (c.bad || hdr_len > (uint64_t)(c.end - c.p))
		return -1;
	prog = c;
	prog.p = c.p + hdr_len;
	min_inst = cur_u8(&c);
	if (version >= 4)
		max_ops = cur_u8(&c);
	default_stmt = cur_u8(&c);
	(void)default_stmt;
	line_base = (int8_t)cur_u8(&c);
	line_range = cur_u8(&c);
	opcode_base = cur_u8(&c);
	if (c.bad || line_range == 0 || max_ops == 0 || opcode_base == 0)
		return -1;
	for (unsigned i = 1; i < opcode_base; i++)
		std_len[i] = cur_u8(&c);
	if (version >= 5) {
		/* Its forms are read with the line table's own offset size (gas writes a 32-bit table
		 * for a 64-bit unit). */
		struct unit lu = *u;
		lu.is64 = (uint8_t)is64;
		if (read_v5_entries(d, &lu, &c, &b, 0) < 0 || read_v5_entries(d, &lu, &c, &b, 1) < 0)
			goto bad;
		u->file_base = 0;
	} else {
		for (;;) {         /* include_directories, up to an empty string */
			const char *dir = cur_str(&c);
			if (!dir || !*dir)
				break;
		}
		if (c.bad)
			goto bad;
		for (;;) {
			const char *name = cur_str(&c);
			if (!name || !*name)
				break;
			cur_uleb(&c);
			cur_uleb(&c);
			cur_uleb(&c);
			add_file(&b, name);
		}
		if (c.bad)
			goto bad;
		u->file_base = 1;
	}

	/* The state machine. */
	uint64_t addr = 0, file = 1, line = 1;
	size_t seq_start = b.nrows;
	int in_seq = 0;
	while (prog.p < prog.end && !prog.bad) {
		unsigned op = cur_u8(&prog);
		if (op >= opcode_base) {
			unsigned adj = op - opcode_base;
			addr += (uint64_t)(adj / line_range) * min_inst;
			line += (uint64_t)(int64_t)(line_base + (int)(adj % line_range));
			add_row(&b, addr, file, line);
			in_seq = 1;
			continue;
		}
		switch (op) {
		case 0: {           /* extended */
			uint64_t n = cur_uleb(&prog);
			const unsigned char *next;
			if (!cur_have(&prog, n) || n == 0) {
				prog.bad = 1;
				break;
			}
			next = prog.p + n;
			unsigned sub = cur_u8(&prog);
			if (sub == 1) {         /* end_sequence */
				add_row(&b, addr, file, line);
				if (in_seq || b.nrows > seq_start) {
					GROW(b.seqs, b.seqs_cap, b.nseqs + 1);
					b.seqs[b.nseqs].lo = b.rows[seq_start].addr;
					b.seqs[b.nseqs].hi = addr;
					b.seqs[b.nseqs].first = (uint32_t)seq_start;
					b.seqs[b.nseqs].n = (uint32_t)(b.nrows - seq_start);
					b.nseqs++;
				}
				seq_start = b.nrows;
				in_seq = 0;
				addr = 0;
				file = 1;
				line = 1;
			} else if (sub == 2) {  /* set_address */
				addr = cur_un(&prog, n - 1 > 8 ? 8 : (unsigned)(n - 1));
			} else if (sub == 3 && version < 5) {   /* define_file */
				const char *name = cur_str(&prog);
				add_file(&b, name);
			}
			prog.p = next;
			break;
		}
		case 1: add_row(&b, addr, file, line); in_seq = 1; break;  /* copy */
		case 2: addr += cur_uleb(&prog) * min_inst; break;          /* advance_pc */
		case 3: line += (uint64_t)cur_sleb(&prog); break;           /* advance_line */
		case 4: file = cur_uleb(&prog); break;                      /* set_file */
		case 5: cur_uleb(&prog); break;                             /* set_column */
		case 6: case 7: case 10: case 11: break;
		case 8: addr += (uint64_t)((255 - opcode_base) / line_range) * min_inst; break;
		case 9: addr += cur_u16(&prog); break;                      /* fixed_advance_pc */
		case 12: cur_uleb(&prog); break;                            /* set_isa */
		default:
			for (unsigned i = 0; i < std_len[op]; i++)
				cur_uleb(&prog);
			break;
		}
		if (b.nrows > (size_t)(d->line.size + 16))  /* cannot be more rows than bytes */
			prog.bad = 1;
	}
	if (prog.bad)
		goto bad;
	sort_array(b.seqs, b.nseqs, sizeof(*b.seqs), compare_seq);
	u->files = b.files;
	u->nfiles = b.nfiles;
	u->rows = b.rows;
	u->nrows = b.nrows;
	u->seqs = b.seqs;
	u->nseqs = b.nseqs;
	d->mem += b.files_cap * sizeof(*b.files) + b.rows_cap * sizeof(*b.rows) + b.seqs_cap * sizeof(*b.seqs);
	return 0;
bad:
	free(b.files);
	free(b.rows);
	free(b.seqs);
	return -1;
}

static const char *unit_file(const struct unit *u, uint64_t index)
{
	if (index < u->file_base || index - u->file_base >= u->nfiles)
		return NULL;
	return u->files[index - u->file_base];
}

/* The row for addr: the last row at or before it in the sequence holding it. */
static const struct row *line_at(const struct unit *u, uint64_t addr)
{
	size_t lo = 0, hi = u->nseqs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->seqs[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, tries = 0; k > 0 && tries < 8; k--, tries++) {
		const struct sequence *s = &u->seqs[k - 1];
		if (addr >= s->hi)
			continue;
		const struct row *r = u->rows + s->first;
		size_t a = 0, b = s->n;
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			if (r[mid].addr <= addr)
				a = mid + 1;
			else
				b = mid;
		}
		if (a > 0)
			return &r[a - 1];
	}
	return NULL;
}

/* ---- functions of a unit ---- */

static int compare_root(const void *a, const void *b)
{
	const struct root *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int load_unit(struct dwarf *d, struct unit *u)
{
	struct cursor c;
	struct die die;
	uint32_t stack[MAX_DEPTH];      /* node index open at each depth, or UINT32_MAX */
	int depth = 0;
	size_t nodes_cap = 0, roots_cap = 0;
	struct range_list rl = { 0 };

	if (u->loaded)
		return u->loaded > 0 ? 0 : -1;
	u->loaded = -1;
	if (unit_prepare(d, u) < 0)
		return -1;
	cur_init(&c, &d->info, u->die_offset);
	c.end = d->info.data + u->end;
	/* The unit's own DIE first (depth 0), then its children. */
	while (c.p < c.end) {
		uint64_t off = (uint64_t)(c.p - d->info.data);
		if (read_die(u, &c, &die) < 0) {
			bad_dwarf(d, "unreadable DIE", off);
			goto bad;
		}
		if (!die.ab) {          /* end of a sibling list */
			if (depth == 0)
				break;
			depth--;
			if (stack[depth] != UINT32_MAX)
				u->nodes[stack[depth]].end = (uint32_t)u->nnodes;
			continue;
		}
		uint32_t me = UINT32_MAX;
		if (die.ab->tag == TAG_subprogram || die.ab->tag == TAG_inlined_subroutine) {
			rl.n = 0;
			if (die_ranges(d, u, &die, &rl) < 0) {
				bad_dwarf(d, "bad ranges", off);
				goto bad;
			}
			if (rl.n && u->nnodes < UINT32_MAX - 1 && u->nranges + rl.n < UINT32_MAX) {
				struct node *n;
				GROW(u->nodes, nodes_cap, u->nnodes + 1);
				me = (uint32_t)u->nnodes++;
				n = &u->nodes[me];
				memset(n, 0, sizeof(*n));
				n->die = off;
				n->origin = die.origin != NONE ? die.origin : die.specification;
				if (die.has_linkage && (n->name = value_str(d, u, &die.linkage)) != NULL)
					n->linkage = 1;
				else if (die.has_name)
					n->name = value_str(d, u, &die.name);
				n->call_file = die.has_call_file && die.call_file.u < UINT32_MAX ? (uint32_t)die.call_file.u : 0;
				n->call_line = die.has_call_line && die.call_line.u < UINT32_MAX ? (uint32_t)die.call_line.u : 0;
				n->end = me + 1;
				n->inlined = die.ab->tag == TAG_inlined_subroutine;
				n->range_first = (uint32_t)u->nranges;
				n->nranges = (uint32_t)rl.n;
				u->ranges = xrealloc(u->ranges, (u->nranges + rl.n) * sizeof(*u->ranges));
				memcpy(u->ranges + u->nranges, rl.r, rl.n * sizeof(*rl.r));
				u->nranges += rl.n;
				/* A subprogram is a root (inlined instances nest inside it); so is an inlined
				 * instance outside any function, which only broken DWARF has. */
				int inside = 0;
				for (int k = depth - 1; k >= 0; k--)
					if (stack[k] != UINT32_MAX) {
						inside = 1;
						break;
					}
				if (die.ab->tag == TAG_subprogram || !inside) {
					for (size_t k = 0; k < rl.n; k++) {
						GROW(u->roots, roots_cap, u->nroots + 1);
						u->roots[u->nroots].lo = rl.r[k].lo;
						u->roots[u->nroots].hi = rl.r[k].hi;
						u->roots[u->nroots].node = me;
						u->nroots++;
					}
				}
			}
		}
		if (die.ab->children) {
			if (depth >= MAX_DEPTH) {
				bad_dwarf(d, "DIEs nested too deep", off);
				goto bad;
			}
			stack[depth++] = me;
		}
		/* A subprogram's subtree ends at the node count when its children are done; one
		 * without children ends right after itself (set above). */
		if (depth == 0)
			break;
	}
	/* Close whatever a truncated unit left open. */
	while (depth > 0) {
		depth--;
		if (stack[depth] != UINT32_MAX)
			u->nodes[stack[depth]].end = (uint32_t)u->nnodes;
	}
	/* A subprogram nested in another (a local function) is its own root, not a frame of it:
	 * the descent stops at subprograms. */
	sort_array(u->roots, u->nroots, sizeof(*u->roots), compare_root);
	if (u->has_stmt && read_lines(d, u) < 0)
		bad_dwarf(d, "bad line table", u->stmt_list);
	free(rl.r);
	d->mem += nodes_cap * sizeof(*u->nodes) + u->nranges * sizeof(*u->ranges) + roots_cap * sizeof(*u->roots);
	u->loaded = 1;
	return 0;
bad:
	free(rl.r);
	return -1;
}

static int node_contains(const struct unit *u, const struct node *n, uint64_t addr)
{
	for (uint32_t i = 0; i < n->nranges; i++) {
		const struct range *r = &u->ranges[n->range_first + i];
		if (addr >= r->lo && addr < r->hi)
			return 1;
	}
	return 0;
}

/* The name of the function at DIE off and its origins: a linkage name anywhere on the chain wins
 * (as addr2line prefers it), else the first DW_AT_name. */
static const char *origin_name(struct dwarf *d, uint64_t off, const char *plain, int *is_linkage)
{
	for (int hop = 0; off != NONE && hop < MAX_ORIGIN_CHAIN; hop++) {
		struct unit *u = unit_of_offset(d, off);
		struct cursor c;
		struct die die;
		const char *s;

		if (!u || unit_prepare(d, u) < 0)
			break;
		cur_init(&c, &d->info, off);
		c.end = d->info.data + u->end;
		if (read_die(u, &c, &die) < 0 || !die.ab)
			break;
		if (die.has_linkage && (s = value_str(d, u, &die.linkage)) != NULL) {
			*is_linkage = 1;
			return s;
		}
		if (!plain && die.has_name)
			plain = value_str(d, u, &die.name);
		off = die.origin != NONE ? die.origin : die.specification;
	}
	*is_linkage = 0;
	return plain;
}

static const char *node_name(struct dwarf *d, struct node *n)
{
	const char *raw;
	int linkage = n->linkage;
	char *dem = NULL;

	if (n->tried)
		return n->resolved;
	n->tried = 1;
	raw = linkage ? n->name : origin_name(d, n->origin, n->name, &linkage);
	if (raw && linkage && d->names != DWARF_NAMES_RAW)
		dem = d->names == DWARF_NAMES_PARAMS ? demangle(raw) : demangle_opts(raw, strlen(raw), DEMANGLE_NO_PARAMS);
	if (dem) {
		n->resolved = arena_strndup(&d->strings, dem, strlen(dem));
		free(dem);
	} else {
		n->resolved = raw;
	}
	return n->resolved;
}

/* The chain for addr within unit u, outermost first into chain; returns its length. */
static size_t unit_chain(const struct unit *u, uint64_t addr, uint32_t *chain, size_t max)
{
	size_t lo = 0, hi = u->nroots, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->roots[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, tries = 0; k > 0 && tries < 16; k--, tries++) {
		const struct root *r = &u->roots[k - 1];
		if (addr < r->lo || addr >= r->hi)
			continue;
		uint32_t cur = r->node;
		chain[n++] = cur;
		for (uint32_t i = cur + 1; i < u->nodes[cur].end && i < u->nnodes && n < max;) {
			const struct node *nd = &u->nodes[i];
			if (nd->end <= i) {     /* broken nesting: stop here */
				break;
			}
			if (nd->inlined && node_contains(u, nd, addr)) {
				chain[n++] = i;
				cur = i;
				i++;
			} else {
				i = nd->end;
			}
		}
		return n;
	}
	return 0;
}

/* ---- the unit index ---- */

static int compare_cu_range(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void build_index(struct dwarf *d)
{
	size_t cap = 0, rcap = 0;
	uint64_t off = 0;
	unsigned char *covered;

	d->indexed = 1;
	while (off < d->info.size) {
		struct unit u;
		uint64_t next = read_unit_header(d, off, &u);
		if (!next) {
			bad_dwarf(d, "bad unit header", off);
			break;
		}
		GROW(d->units, cap, d->nunits + 1);
		d->units[d->nunits++] = u;
		off = next;
	}
	d->mem += cap * sizeof(*d->units);
	covered = xcalloc(d->nunits ? d->nunits : 1, 1);
	/* .debug_aranges: sets of (address, length) per unit. */
	off = 0;
	while (d->aranges.data && off < d->aranges.size) {
		struct cursor c;
		int is64;
		uint64_t len, set_start = off, info_off;
		unsigned asize, ver;
		cur_init(&c, &d->aranges, off);
		len = cur_length(&c, &is64);
		if (c.bad || len > (uint64_t)(c.end - c.p))
			break;
		off = (uint64_t)(c.p - d->aranges.data) + len;
		c.end = d->aranges.data + off;
		ver = cur_u16(&c);
		info_off = cur_un(&c, is64 ? 8 : 4);
		asize = cur_u8(&c);
		cur_u8(&c);     /* segment size */
		if (c.bad || ver != 2 || (asize != 4 && asize != 8))
			continue;
		uint64_t here = (uint64_t)(c.p - d->aranges.data) - set_start;
		cur_skip(&c, (2 * asize - here % (2 * asize)) % (2 * asize));
		struct unit *u = unit_of_offset(d, info_off);
		if (!u || u->offset != info_off)
			continue;
		while (!c.bad && c.p < c.end) {
			uint64_t a = cur_un(&c, asize), l = cur_un(&c, asize);
			if (c.bad || (a == 0 && l == 0))
				break;
			if (a == 0 || l == 0 || a + l < a)
				continue;
			GROW(d->cu_ranges, rcap, d->ncu_ranges + 1);
			d->cu_ranges[d->ncu_ranges++] = (struct cu_range){ a, a + l, (uint32_t)(u - d->units) };
			covered[u - d->units] = 1;
		}
	}
	/* The units aranges does not list: their own ranges. */
	for (size_t i = 0; i < d->nunits && i < UINT32_MAX; i++) {
		struct unit *u = &d->units[i];
		struct cursor c;
		struct die die;
		struct range_list rl = { 0 };
		if (covered[i] || u->unit_type == UT_type || u->unit_type == UT_split_type)
			continue;
		if (unit_prepare(d, u) < 0)
			continue;
		cur_init(&c, &d->info, u->die_offset);
		c.end = d->info.data + u->end;
		if (read_die(u, &c, &die) == 0 && die.ab && die_ranges(d, u, &die, &rl) == 0) {
			for (size_t k = 0; k < rl.n; k++) {
				GROW(d->cu_ranges, rcap, d->ncu_ranges + 1);
				d->cu_ranges[d->ncu_ranges++] = (struct cu_range){ rl.r[k].lo, rl.r[k].hi, (uint32_t)i };
			}
		}
		free(rl.r);
	}
	free(covered);
	sort_array(d->cu_ranges, d->ncu_ranges, sizeof(*d->cu_ranges), compare_cu_range);
	d->mem += rcap * sizeof(*d->cu_ranges);
}

/* ---- lookup and cache ---- */

static size_t compute(struct dwarf *d, uint64_t addr, struct inline_frame *out, size_t max)
{
	size_t lo = 0, hi = d->ncu_ranges;
	const struct unit *line_unit = NULL;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->cu_ranges[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, tries = 0; k > 0 && tries < 16; k--, tries++) {
		const struct cu_range *cr = &d->cu_ranges[k - 1];
		struct unit *u = &d->units[cr->unit];
		uint32_t chain[MAX_CHAIN];
		size_t n;
		if (addr < cr->lo || addr >= cr->hi || load_unit(d, u) < 0)
			continue;
		n = unit_chain(u, addr, chain, max < MAX_CHAIN ? max : MAX_CHAIN);
		if (n == 0) {
			if (!line_unit && line_at(u, addr))
				line_unit = u;
			continue;
		}
		/* innermost first: frame i is chain[n-1-i]; its line is the address's (i == 0) or the
		 * call site of the frame inside it. */
		const struct row *row = line_at(u, addr);
		for (size_t i = 0; i < n; i++) {
			struct node *nd = &u->nodes[chain[n - 1 - i]];
			out[i].name = node_name(d, nd);
			if (i == 0) {
				out[i].file = row ? unit_file(u, row->file) : NULL;
				out[i].line = row ? row->line : 0;
			} else {
				const struct node *inner = &u->nodes[chain[n - i]];
				out[i].file = unit_file(u, inner->call_file);
				out[i].line = inner->call_line;
			}
		}
		return n;
	}
	if (line_unit && max > 0) {
		const struct row *row = line_at(line_unit, addr);
		out[0].name = NULL;
		out[0].file = unit_file(line_unit, row->file);
		out[0].line = row->line;
		return 1;
	}
	return 0;
}

static void cache_grow(struct dwarf *d)
{
	size_t cap = d->cache_cap ? d->cache_cap * 2 : 1024;
	struct cache_entry *t = xcalloc(cap, sizeof(*t));

	for (size_t i = 0; i < d->cache_cap; i++) {
		if (!d->cache[i].key)
			continue;
		size_t j = hash_mix64(d->cache[i].key) & (cap - 1);
		while (t[j].key)
			j = (j + 1) & (cap - 1);
		t[j] = d->cache[i];
	}
	free(d->cache);
	d->mem += (cap - d->cache_cap) * sizeof(*t);
	d->cache = t;
	d->cache_cap = cap;
}

size_t dwarf_lookup(struct dwarf *d, uint64_t addr, struct inline_frame *out, size_t max)
{
	struct inline_frame frames[MAX_CHAIN];
	struct cache_entry *e;
	size_t j, n;

	if (!d)
		return 0;
	if (!d->indexed)
		build_index(d);
	if ((d->cache_n + 1) * 2 > d->cache_cap)
		cache_grow(d);
	j = hash_mix64(addr + 1) & (d->cache_cap - 1);
	while (d->cache[j].key && d->cache[j].key != addr + 1)
		j = (j + 1) & (d->cache_cap - 1);
	e = &d->cache[j];
	if (!e->key) {
		n = compute(d, addr, frames, MAX_CHAIN);
		if (d->npool + n > UINT32_MAX)
			n = 0;
		size_t old = d->pool_cap;
		GROW(d->pool, d->pool_cap, d->npool + n);
		d->mem += (d->pool_cap - old) * sizeof(*d->pool);
		if (n)
			memcpy(d->pool + d->npool, frames, n * sizeof(*frames));
		e->key = addr + 1;
		e->first = (uint32_t)d->npool;
		e->n = (uint32_t)n;
		d->npool += n;
		d->cache_n++;
	}
	n = e->n;
	if (n && max)
		memcpy(out, d->pool + e->first, (n < max ? n : max) * sizeof(*out));
	return n;
}

size_t dwarf_memory(const struct dwarf *d)
{
	return d ? d->mem + d->strings.total : 0;
}

/* ---- opening ---- */

static struct dwarf *dwarf_new(const char *path, int names)
{
	struct dwarf *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path ? path : "?");
	d->names = names;
	return d;
}

struct dwarf *dwarf_from_sections(const struct dwarf_sections *s, const char *path, int names)
{
	struct dwarf *d;

	if (!s->info || !s->info_size || !s->abbrev)
		return NULL;
	d = dwarf_new(path, names);
	d->info = (struct sec){ s->info, s->info_size };
	d->abbrev = (struct sec){ s->abbrev, s->abbrev_size };
	d->str = (struct sec){ s->str, s->str_size };
	d->line_str = (struct sec){ s->line_str, s->line_str_size };
	d->str_offsets = (struct sec){ s->str_offsets, s->str_offsets_size };
	d->addr = (struct sec){ s->addr, s->addr_size_ };
	d->ranges = (struct sec){ s->ranges, s->ranges_size };
	d->rnglists = (struct sec){ s->rnglists, s->rnglists_size };
	d->aranges = (struct sec){ s->aranges, s->aranges_size };
	d->line = (struct sec){ s->line, s->line_size };
	return d;
}

#define SHF_COMPRESSED_FLAG 0x800
#define SHT_NOBITS_TYPE 8

/* Reading the sections of an ELF file: compressed ones (SHF_COMPRESSED with zlib, legacy
 * .zdebug_*) are inflated into buffers the struct dwarf then owns. */
struct section_reader {
	const struct elf_file *elf;
	const char *path;
	unsigned char *owned[16];
	size_t nowned;
	int zstd, bad;
};

static void elf_debug_section(struct section_reader *r, const char *name, const unsigned char **data, size_t *size)
{
	struct elf_section s;
	struct inflate_status st;
	unsigned char *out = NULL;
	size_t out_len = 0;
	char zname[64];
	int rc;

	*data = NULL;
	*size = 0;
	snprintf(zname, sizeof(zname), ".z%s", name + 1);
	if (elf_section_by_name(r->elf, name, &s) == 0) {
		if (s.type == SHT_NOBITS_TYPE || !s.data)
			return;
		if (!(s.flags & SHF_COMPRESSED_FLAG)) {
			*data = s.data;
			*size = (size_t)s.size;
			return;
		}
		rc = inflate_elf_section(s.data, (size_t)s.size, 1, 0, 0, &out, &out_len, &st);
	} else if (elf_section_by_name(r->elf, zname, &s) == 0 && s.data && s.type != SHT_NOBITS_TYPE) {
		name = zname;
		rc = inflate_zdebug(s.data, (size_t)s.size, 0, &out, &out_len, &st);
	} else {
		return;
	}
	if (rc == INFLATE_UNSUPPORTED) {
		r->zstd = 1;
		return;
	}
	if (rc != INFLATE_OK || !out || r->nowned == sizeof(r->owned) / sizeof(r->owned[0])) {
		if (!r->bad++)
			warn("%s: %s: bad compressed data at byte %zu (%s); its frames are not expanded", r->path, name,
			     st.err_offset, st.err ? st.err : "?");
		free(out);
		return;
	}
	r->owned[r->nowned++] = out;
	*data = out;
	*size = out_len;
}

struct dwarf *dwarf_open(const struct elf_file *elf, const char *path, int names)
{
	struct dwarf_sections s = { 0 };
	struct section_reader r = { 0 };
	struct dwarf *d;

	r.elf = elf;
	r.path = path;
	elf_debug_section(&r, ".debug_info", &s.info, &s.info_size);
	elf_debug_section(&r, ".debug_abbrev", &s.abbrev, &s.abbrev_size);
	if (s.info && s.abbrev) {
		elf_debug_section(&r, ".debug_str", &s.str, &s.str_size);
		elf_debug_section(&r, ".debug_line_str", &s.line_str, &s.line_str_size);
		elf_debug_section(&r, ".debug_str_offsets", &s.str_offsets, &s.str_offsets_size);
		elf_debug_section(&r, ".debug_addr", &s.addr, &s.addr_size_);
		elf_debug_section(&r, ".debug_ranges", &s.ranges, &s.ranges_size);
		elf_debug_section(&r, ".debug_rnglists", &s.rnglists, &s.rnglists_size);
		elf_debug_section(&r, ".debug_aranges", &s.aranges, &s.aranges_size);
		elf_debug_section(&r, ".debug_line", &s.line, &s.line_size);
	}
	if (r.zstd)
		warn("%s: its debug sections are compressed with zstd, which is not read; its inlined frames are not shown", path);
	d = dwarf_from_sections(&s, path, names);
	if (!d || r.zstd) {
		dwarf_free(d);
		for (size_t i = 0; i < r.nowned; i++)
			free(r.owned[i]);
		return NULL;
	}
	memcpy(d->owned, r.owned, r.nowned * sizeof(*r.owned));
	d->nowned = r.nowned;
	for (size_t i = 0; i < r.nowned; i++)
		d->mem += s.info == r.owned[i] ? s.info_size : 0;
	return d;
}

void dwarf_free(struct dwarf *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nunits; i++) {
		struct unit *u = &d->units[i];
		free(u->nodes);
		free(u->ranges);
		free(u->roots);
		free(u->files);
		free(u->rows);
		free(u->seqs);
	}
	while (d->abbrev_tables) {
		struct abbrev_table *t = d->abbrev_tables;
		d->abbrev_tables = t->next;
		free(t->abbrevs);
		free(t->specs);
		free(t);
	}
	free(d->units);
	free(d->cu_ranges);
	free(d->cache);
	free(d->pool);
	arena_free(&d->strings);
	for (size_t i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	free(d->path);
	free(d);
}
