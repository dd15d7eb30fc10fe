/* unwind: .eh_frame_hdr/.eh_frame parsing and CFA-program evaluation for x86-64 user stacks.
 * Every read goes through a bounded cursor; every loop consumes input or is bounded by a constant,
 * so arbitrary bytes can neither crash nor hang it. See unwind.h for the API. */
#include "unwind.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* DW_EH_PE_*: how .eh_frame and .eh_frame_hdr encode addresses. */
enum {
	PE_ABSPTR = 0x00, PE_ULEB128 = 0x01, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
	PE_SLEB128 = 0x09, PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c,
	PE_PCREL = 0x10, PE_TEXTREL = 0x20, PE_DATAREL = 0x30, PE_FUNCREL = 0x40, PE_ALIGNED = 0x50,
	PE_INDIRECT = 0x80, PE_OMIT = 0xff
};

/* DW_CFA_* */
enum {
	CFA_NOP = 0x00, CFA_SET_LOC = 0x01, CFA_ADVANCE_LOC1 = 0x02, CFA_ADVANCE_LOC2 = 0x03,
	CFA_ADVANCE_LOC4 = 0x04, CFA_OFFSET_EXTENDED = 0x05, CFA_RESTORE_EXTENDED = 0x06,
	CFA_UNDEFINED = 0x07, CFA_SAME_VALUE = 0x08, CFA_REGISTER = 0x09, CFA_REMEMBER_STATE = 0x0a,
	CFA_RESTORE_STATE = 0x0b, CFA_DEF_CFA = 0x0c, CFA_DEF_CFA_REGISTER = 0x0d,
	CFA_DEF_CFA_OFFSET = 0x0e, CFA_DEF_CFA_EXPRESSION = 0x0f, CFA_EXPRESSION = 0x10,
	CFA_OFFSET_EXTENDED_SF = 0x11, CFA_DEF_CFA_SF = 0x12, CFA_DEF_CFA_OFFSET_SF = 0x13,
	CFA_VAL_OFFSET = 0x14, CFA_VAL_OFFSET_SF = 0x15, CFA_VAL_EXPRESSION = 0x16,
	CFA_GNU_ARGS_SIZE = 0x2e, CFA_GNU_NEGATIVE_OFFSET_EXTENDED = 0x2f,
	CFA_ADVANCE_LOC = 0x40, CFA_OFFSET = 0x80, CFA_RESTORE = 0xc0
};

/* DW_OP_* the CFI of x86-64 toolchains uses (PLT stubs, signal trampolines, stack realignment). */
enum {
	OP_ADDR = 0x03, OP_DEREF = 0x06, OP_CONST1U = 0x08, OP_CONST1S = 0x09, OP_CONST2U = 0x0a,
	OP_CONST2S = 0x0b, OP_CONST4U = 0x0c, OP_CONST4S = 0x0d, OP_CONST8U = 0x0e, OP_CONST8S = 0x0f,
	OP_CONSTU = 0x10, OP_CONSTS = 0x11, OP_DUP = 0x12, OP_DROP = 0x13, OP_OVER = 0x14,
	OP_PICK = 0x15, OP_SWAP = 0x16, OP_ROT = 0x17, OP_ABS = 0x19, OP_AND = 0x1a, OP_DIV = 0x1b,
	OP_MINUS = 0x1c, OP_MOD = 0x1d, OP_MUL = 0x1e, OP_NEG = 0x1f, OP_NOT = 0x20, OP_OR = 0x21,
	OP_PLUS = 0x22, OP_PLUS_UCONST = 0x23, OP_SHL = 0x24, OP_SHR = 0x25, OP_SHRA = 0x26,
	OP_XOR = 0x27, OP_BRA = 0x28, OP_EQ = 0x29, OP_GE = 0x2a, OP_GT = 0x2b, OP_LE = 0x2c,
	OP_LT = 0x2d, OP_NE = 0x2e, OP_SKIP = 0x2f, OP_LIT0 = 0x30, OP_LIT31 = 0x4f, OP_REG0 = 0x50,
	OP_REG31 = 0x6f, OP_BREG0 = 0x70, OP_BREG31 = 0x8f, OP_REGX = 0x90, OP_BREGX = 0x92,
	OP_DEREF_SIZE = 0x94, OP_NOP = 0x96
};

#define MAX_STATES 16      /* remember_state depth; compilers use 1 or 2 */
#define MAX_EXPR_STACK 32
#define MAX_EXPR_STEPS 1024 /* branches can loop; real expressions take < 20 steps */

/* How to find a register of the caller (a row of the CFA table). Unspecified registers keep their
 * value (RULE_SAME), which is what compilers mean for callee-saved ones. Kept small: rows are
 * copied per frame. */
enum { RULE_SAME, RULE_UNDEF, RULE_OFFSET, RULE_VAL_OFFSET, RULE_REG, RULE_EXPR, RULE_VAL_EXPR };

struct rule {
	int64_t off;            /* RULE_*OFFSET: from the CFA; CFA by register: added to it */
	uint32_t expr;          /* RULE_*EXPR: the DWARF expression's offset in .eh_frame ... */
	uint16_t expr_len;      /* ... and length */
	uint8_t kind;
	uint8_t reg;            /* RULE_REG: the register holding the value; CFA: the base register */
};

struct row {
	struct rule cfa;        /* kind RULE_REG (reg + off), RULE_EXPR, or RULE_UNDEF */
	uint32_t set;           /* bit n: r[n] holds a rule other than RULE_SAME; others are unset */
	struct rule r[UNWIND_NREGS];
};

/* Copy only the rules in use: a row is copied for every frame. */
static void copy_row(struct row *to, const struct row *from)
{
	to->cfa = from->cfa;
	to->set = from->set;
	for (uint32_t m = from->set; m; m &= m - 1)
		to->r[__builtin_ctz(m)] = from->r[__builtin_ctz(m)];
}

struct cie {
	uint32_t off;               /* offset of the CIE in .eh_frame */
	uint32_t insn, insn_end;    /* initial instructions, offsets in .eh_frame */
	uint64_t code_align;
	int64_t data_align;
	uint32_t ra_reg;
	uint8_t fde_enc;            /* DW_EH_PE_* of the FDEs' addresses */
	uint8_t has_aug_data;       /* 'z': FDEs carry an augmentation length */
	uint8_t signal;             /* 'S': FDEs describe signal trampolines */
	uint8_t wide;               /* 64-bit DWARF format */
	uint8_t init_ok;            /* the initial instructions ran fine into init */
	struct row init;            /* the row they set up, shared by the CIE's FDEs */
};

/* An FDE decoded once when the table is built, so a lookup is a binary search and nothing else. */
struct fde_entry {
	uint64_t pc;                /* link-time start */
	uint32_t range;             /* bytes of code covered */
	uint32_t insn, insn_end;    /* its CFA instructions, offsets in .eh_frame */
	uint32_t cie;               /* index in cies */
};

struct unwind_table {
	uint64_t id;                /* unique for the process's lifetime: the cache's key */
	unsigned char *eh;          /* copy of .eh_frame */
	size_t eh_size;
	uint64_t eh_vaddr;
	struct fde_entry *fdes;     /* decoded FDEs, sorted by start address */
	size_t nfde;
	struct cie *cies;           /* sorted by offset */
	size_t ncie;
};

/* A bounded reader over bytes that live at link-time address vaddr. */
struct cursor {
	const unsigned char *start, *p, *end;
	uint64_t vaddr;
	int bad;
};

static struct cursor cursor_at(const unsigned char *start, size_t size, uint64_t vaddr, size_t off)
{
	struct cursor c = { start, start + (off < size ? off : size), start + size, vaddr, off > size };
	return c;
}

static int need(struct cursor *c, size_t n)
{
	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = 1;
		return 0;
	}
	return 1;
}

static uint64_t rd_le(struct cursor *c, int n)
{
	uint64_t v = 0;
	if (!need(c, n))
		return 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | c->p[i];
	c->p += n;
	return v;
}

static uint8_t rd_u8(struct cursor *c) { return (uint8_t)rd_le(c, 1); }

static uint64_t rd_uleb(struct cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0;; shift += 7) {
		if (!need(c, 1))
			return 0;
		uint8_t b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static int64_t rd_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;
	do {
		if (!need(c, 1))
			return 0;
		b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

static uint64_t cursor_vaddr(const struct cursor *c) { return c->vaddr + (uint64_t)(c->p - c->start); }

/* One DW_EH_PE_-encoded address. datarel is relative to data_base (the .eh_frame_hdr start);
 * indirect pointers are returned undereferenced: only personality/LSDA use them, and those are
 * skipped. Text- and function-relative encodings are not used on x86-64 and fail. */
static uint64_t rd_encoded(struct cursor *c, uint8_t enc, uint64_t data_base)
{
	uint64_t base = 0, v;
	if (enc == PE_OMIT)
		return 0;
	switch (enc & 0x70) {
	case 0: break;
	case PE_PCREL: base = cursor_vaddr(c); break;
	case PE_DATAREL: base = data_base; break;
	case PE_ALIGNED: {
		size_t pos = (size_t)(c->p - c->start), pad = (8 - pos % 8) % 8;
		if (!need(c, pad))
			return 0;
		c->p += pad;
		break;
	}
	default: c->bad = 1; return 0;
	}
	switch (enc & 0x0f) {
	case PE_ABSPTR: case PE_UDATA8: case PE_SDATA8: v = rd_le(c, 8); break;
	case PE_ULEB128: v = rd_uleb(c); break;
	case PE_UDATA2: v = rd_le(c, 2); break;
	case PE_UDATA4: v = rd_le(c, 4); break;
	case PE_SLEB128: v = (uint64_t)rd_sleb(c); break;
	case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)rd_le(c, 2); break;
	case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)rd_le(c, 4); break;
	default: c->bad = 1; return 0;
	}
	return base + v;
}

/* The length field of a CIE/FDE at off: sets *body (offset just after the length) and *next. */
static int entry_bounds(const struct unwind_table *t, size_t off, size_t *body, size_t *next, int *wide)
{
	struct cursor c = cursor_at(t->eh, t->eh_size, t->eh_vaddr, off);
	uint64_t len = rd_le(&c, 4);
	*wide = len == 0xffffffff;
	if (*wide)
		len = rd_le(&c, 8);
	if (c.bad || len == 0)
		return 0;
	*body = (size_t)(c.p - t->eh);
	if (len > t->eh_size - *body)
		return 0;
	*next = *body + (size_t)len;
	return 1;
}

static int parse_cie(const struct unwind_table *t, size_t off, struct cie *cie)
{
	size_t body, next;
	int wide;
	if (!entry_bounds(t, off, &body, &next, &wide))
		return 0;
	struct cursor c = cursor_at(t->eh, next, t->eh_vaddr, body);
	if (rd_le(&c, wide ? 8 : 4) != 0)
		return 0;
	uint8_t version = rd_u8(&c);
	if (version != 1 && version != 3 && version != 4)
		return 0;
	const unsigned char *aug = c.p;
	while (rd_u8(&c) != 0 && !c.bad)
		;
	if (c.bad)
		return 0;
	if (version == 4 && (rd_u8(&c) != 8 || rd_u8(&c) != 0))  /* address and segment size */
		return 0;
	memset(cie, 0, sizeof(*cie));
	cie->off = (uint32_t)off;
	cie->wide = (uint8_t)wide;
	cie->code_align = rd_uleb(&c);
	cie->data_align = rd_sleb(&c);
	cie->ra_reg = version == 1 ? rd_u8(&c) : (uint32_t)rd_uleb(&c);
	cie->fde_enc = PE_ABSPTR;
	if (aug[0] == 'z') {
		uint64_t aug_len = rd_uleb(&c);
		if (c.bad || aug_len > (uint64_t)(c.end - c.p))
			return 0;
		const unsigned char *aug_end = c.p + aug_len;
		struct cursor a = cursor_at(c.start, (size_t)(aug_end - c.start), c.vaddr, (size_t)(c.p - c.start));
		cie->has_aug_data = 1;
		/* An unknown letter ends the walk: the length lets us skip the data that follows. */
		for (const unsigned char *s = aug + 1; *s && !a.bad && strchr("RLPSBG", *s); s++) {
			if (*s == 'R')
				cie->fde_enc = rd_u8(&a);
			else if (*s == 'L')
				rd_u8(&a);
			else if (*s == 'P')
				rd_encoded(&a, rd_u8(&a), 0);
			else if (*s == 'S')
				cie->signal = 1;
		}
		if (a.bad)
			return 0;
		c.p = aug_end;
	} else if (aug[0] != 0) {
		return 0;   /* pre-'z' augmentations ("eh") carry data we cannot size */
	}
	if (c.bad || cie->code_align == 0)
		return 0;
	cie->insn = (uint32_t)(c.p - t->eh);
	cie->insn_end = (uint32_t)next;
	return 1;
}

static const struct cie *find_cie(const struct unwind_table *t, size_t off)
{
	size_t lo = 0, hi = t->ncie;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->cies[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->ncie && t->cies[lo].off == off ? &t->cies[lo] : NULL;
}

struct fde {
	const struct cie *cie;
	uint64_t pc_begin, pc_end;
	uint32_t insn, insn_end;
};

/* The FDE at off, if it is one and its CIE is known. */
static int parse_fde(const struct unwind_table *t, size_t off, struct fde *fde)
{
	size_t body, next;
	int wide;
	if (!entry_bounds(t, off, &body, &next, &wide))
		return 0;
	struct cursor c = cursor_at(t->eh, next, t->eh_vaddr, body);
	uint64_t cie_ptr = rd_le(&c, wide ? 8 : 4);
	if (c.bad || cie_ptr == 0 || cie_ptr > body)
		return 0;
	fde->cie = find_cie(t, body - cie_ptr);
	if (!fde->cie)
		return 0;
	uint8_t enc = fde->cie->fde_enc;
	if (enc & PE_INDIRECT)
		return 0;
	fde->pc_begin = rd_encoded(&c, enc, 0);
	uint64_t range = rd_encoded(&c, enc & 0x0f, 0);
	if (fde->cie->has_aug_data) {
		uint64_t aug_len = rd_uleb(&c);
		if (aug_len > (uint64_t)(c.end - c.p))
			return 0;
		c.p += aug_len;
	}
	if (c.bad || range == 0 || fde->pc_begin + range < fde->pc_begin)
		return 0;
	fde->pc_end = fde->pc_begin + range;
	fde->insn = (uint32_t)(c.p - t->eh);
	fde->insn_end = (uint32_t)next;
	return 1;
}

static int run_cfa(const struct unwind_table *t, const struct cie *cie, uint32_t start, uint32_t end,
                   uint64_t loc, uint64_t target, struct row *row, const struct row *init);

static int cmp_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;  /* (pc, offset) pairs */
	return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Decode the FDEs at the (pc, offset) pairs into the sorted index; the CIEs must be known. */
static void index_from_pairs(struct unwind_table *t, uint64_t *pairs, size_t n, int sorted)
{
	if (!sorted)
		qsort(pairs, n, 2 * sizeof(uint64_t), cmp_pair);
	t->fdes = xmalloc((n ? n : 1) * sizeof(*t->fdes));
	t->nfde = 0;
	for (size_t i = 0; i < n; i++) {
		struct fde fde;
		if (!parse_fde(t, (size_t)pairs[2 * i + 1], &fde) || fde.pc_end - fde.pc_begin > UINT32_MAX ||
		    fde.pc_begin != pairs[2 * i])
			continue;
		struct fde_entry *e = &t->fdes[t->nfde++];
		e->pc = fde.pc_begin;
		e->range = (uint32_t)(fde.pc_end - fde.pc_begin);
		e->insn = fde.insn;
		e->insn_end = fde.insn_end;
		e->cie = (uint32_t)(fde.cie - t->cies);
	}
}

/* The binary search table of .eh_frame_hdr as (pc, offset) pairs; NULL if absent or unusable. */
static uint64_t *pairs_from_hdr(const struct unwind_table *t, const unsigned char *hdr, size_t size,
                                uint64_t vaddr, size_t *npairs, int *sorted)
{
	struct cursor c = cursor_at(hdr, size, vaddr, 0);
	uint8_t version = rd_u8(&c), ptr_enc = rd_u8(&c), count_enc = rd_u8(&c), table_enc = rd_u8(&c);
	if (c.bad || version != 1 || count_enc == PE_OMIT || table_enc == PE_OMIT || (table_enc & PE_INDIRECT))
		return NULL;
	rd_encoded(&c, ptr_enc, vaddr);
	uint64_t count = rd_encoded(&c, count_enc, vaddr);
	/* Each entry takes at least two bytes: a count beyond that is a lie. */
	if (c.bad || count > (uint64_t)(c.end - c.p) / 2)
		return NULL;
	uint64_t *pairs = xmalloc((count ? count : 1) * 2 * sizeof(uint64_t));
	size_t n = 0;
	*sorted = 1;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pc = rd_encoded(&c, table_enc, vaddr);
		uint64_t fde = rd_encoded(&c, table_enc, vaddr);
		if (c.bad)
			break;
		if (fde - t->eh_vaddr >= t->eh_size)
			continue;
		if (n && pc < pairs[2 * (n - 1)])
			*sorted = 0;
		pairs[2 * n] = pc;
		pairs[2 * n + 1] = fde - t->eh_vaddr;
		n++;
	}
	if (c.bad || n == 0) {
		free(pairs);
		return NULL;
	}
	*npairs = n;
	return pairs;
}

/* One pass over .eh_frame: decode every CIE (and its initial row); list the FDEs as (pc, offset)
 * pairs too when want_fdes. It ends at a zero length, as the runtime unwinder does. */
static uint64_t *scan_eh_frame(struct unwind_table *t, int want_fdes, size_t *npairs, int *sorted)
{
	size_t cap_cie = 0, cap_pairs = 0, off = 0;
	uint64_t *pairs = NULL;
	*npairs = 0;
	*sorted = 1;
	while (off < t->eh_size && t->eh_size - off >= 4) {
		size_t body, next;
		int wide;
		if (!entry_bounds(t, off, &body, &next, &wide))
			break;
		struct cursor c = cursor_at(t->eh, next, t->eh_vaddr, body);
		uint64_t id = rd_le(&c, wide ? 8 : 4);
		if (c.bad) {
			break;
		} else if (id == 0) {
			struct cie cie;
			if (parse_cie(t, off, &cie)) {
				memset(&cie.init, 0, sizeof(cie.init));
				cie.init.cfa.kind = RULE_UNDEF;
				cie.init_ok = (uint8_t)run_cfa(t, &cie, cie.insn, cie.insn_end, 0, UINT64_MAX, &cie.init, NULL);
				GROW(t->cies, cap_cie, t->ncie + 1);
				t->cies[t->ncie++] = cie;
			}
		} else if (want_fdes) {
			struct fde fde;
			if (parse_fde(t, off, &fde)) {
				GROW(pairs, cap_pairs, 2 * *npairs + 2);
				if (*npairs && fde.pc_begin < pairs[2 * (*npairs - 1)])
					*sorted = 0;
				pairs[2 * *npairs] = fde.pc_begin;
				pairs[2 * *npairs + 1] = off;
				++*npairs;
			}
		}
		off = next;
	}
	return pairs;
}

struct unwind_table *unwind_table_new(const unsigned char *eh_frame_hdr, size_t hdr_size, uint64_t hdr_vaddr,
                                      const unsigned char *eh_frame, size_t eh_size, uint64_t eh_vaddr)
{
	if (!eh_frame || eh_size == 0 || eh_size > UINT32_MAX)
		return NULL;
	static uint64_t next_id;
	struct unwind_table *t = xcalloc(1, sizeof(*t));
	t->id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
	t->eh = xmalloc(eh_size);
	memcpy(t->eh, eh_frame, eh_size);
	t->eh_size = eh_size;
	t->eh_vaddr = eh_vaddr;
	size_t npairs = 0;
	int sorted = 1;
	uint64_t *pairs = eh_frame_hdr ? pairs_from_hdr(t, eh_frame_hdr, hdr_size, hdr_vaddr, &npairs, &sorted) : NULL;
	if (pairs) {
		size_t unused;
		int unused_sorted;
		free(scan_eh_frame(t, 0, &unused, &unused_sorted));
	} else {
		pairs = scan_eh_frame(t, 1, &npairs, &sorted);
	}
	index_from_pairs(t, pairs, npairs, sorted);
	free(pairs);
	if (t->nfde == 0 && eh_frame_hdr) {
		/* A hdr that leads nowhere (not this .eh_frame's): index by scanning after all. */
		free(t->fdes);
		free(t->cies);
		t->cies = NULL;
		t->ncie = 0;
		pairs = scan_eh_frame(t, 1, &npairs, &sorted);
		index_from_pairs(t, pairs, npairs, sorted);
		free(pairs);
	}
	if (t->nfde == 0 || t->ncie == 0) {
		unwind_table_free(t);
		return NULL;
	}
	return t;
}

void unwind_table_free(struct unwind_table *t)
{
	if (!t)
		return;
	free(t->eh);
	free(t->fdes);
	free(t->cies);
	free(t);
}

size_t unwind_table_fdes(const struct unwind_table *t) { return t ? t->nfde : 0; }

uint64_t unwind_table_fde_start(const struct unwind_table *t, size_t i) { return t && i < t->nfde ? t->fdes[i].pc : 0; }

int unwind_eh_frame_ptr(const unsigned char *hdr, size_t size, uint64_t hdr_vaddr, uint64_t *eh_vaddr)
{
	struct cursor c = cursor_at(hdr, size, hdr_vaddr, 0);
	uint8_t version = rd_u8(&c), ptr_enc = rd_u8(&c);
	rd_u8(&c);
	rd_u8(&c);
	if (c.bad || version != 1 || ptr_enc == PE_OMIT || (ptr_enc & PE_INDIRECT))
		return 0;
	*eh_vaddr = rd_encoded(&c, ptr_enc, hdr_vaddr);
	return !c.bad;
}

/* ---- unwinding ---- */

struct memory {
	const unsigned char *stack;
	size_t size;
	uint64_t base;          /* the address of stack[0] */
};

static int read_mem(const struct memory *m, uint64_t addr, size_t n, uint64_t *v)
{
	if (addr < m->base || m->size < n || addr - m->base > m->size - n)
		return 0;
	const unsigned char *p = m->stack + (addr - m->base);
	uint64_t x = 0;
	memcpy(&x, p, n);   /* x86-64 is little-endian, as the stack copy */
	*v = x;
	return 1;
}

/* Evaluate a DWARF expression with initial stack [push] (the CFA, for register rules) or []. */
static int eval_expr(const struct unwind_table *t, uint32_t off, uint16_t len, const struct unwind_regs *regs,
                     const struct memory *m, const uint64_t *push, uint64_t *out)
{
	uint64_t st[MAX_EXPR_STACK];
	int sp = 0;
	if (push)
		st[sp++] = *push;
	struct cursor c = cursor_at(t->eh, (size_t)off + len, t->eh_vaddr, off);
	for (int steps = 0; c.p < c.end; steps++) {
		if (steps >= MAX_EXPR_STEPS || c.bad)
			return 0;
		uint8_t op = rd_u8(&c);
		uint64_t a, b;
		int64_t s;
		/* Operators with operands but no pops first; pops are checked below by arity. */
		if (op >= OP_LIT0 && op <= OP_LIT31) {
			a = op - OP_LIT0;
			goto push;
		}
		if (op >= OP_BREG0 && op <= OP_BREG31) {
			unsigned r = op - OP_BREG0;
			s = rd_sleb(&c);
			if (r >= UNWIND_NREGS || !(regs->valid & 1u << r))
				return 0;
			a = regs->r[r] + (uint64_t)s;
			goto push;
		}
		if (op >= OP_REG0 && op <= OP_REG31) {
			unsigned r = op - OP_REG0;
			if (r >= UNWIND_NREGS || !(regs->valid & 1u << r))
				return 0;
			a = regs->r[r];
			goto push;
		}
		switch (op) {
		case OP_ADDR: case OP_CONST8U: case OP_CONST8S: a = rd_le(&c, 8); goto push;
		case OP_CONST1U: a = rd_le(&c, 1); goto push;
		case OP_CONST1S: a = (uint64_t)(int64_t)(int8_t)rd_le(&c, 1); goto push;
		case OP_CONST2U: a = rd_le(&c, 2); goto push;
		case OP_CONST2S: a = (uint64_t)(int64_t)(int16_t)rd_le(&c, 2); goto push;
		case OP_CONST4U: a = rd_le(&c, 4); goto push;
		case OP_CONST4S: a = (uint64_t)(int64_t)(int32_t)rd_le(&c, 4); goto push;
		case OP_CONSTU: a = rd_uleb(&c); goto push;
		case OP_CONSTS: a = (uint64_t)rd_sleb(&c); goto push;
		case OP_REGX: case OP_BREGX: {
			uint64_t r = rd_uleb(&c);
			s = op == OP_BREGX ? rd_sleb(&c) : 0;
			if (r >= UNWIND_NREGS || !(regs->valid & 1u << r))
				return 0;
			a = regs->r[r] + (uint64_t)s;
			goto push;
		}
		case OP_NOP: continue;
		case OP_SKIP: case OP_BRA: {
			int16_t d = (int16_t)rd_le(&c, 2);
			if (op == OP_BRA) {
				if (sp < 1)
					return 0;
				if (st[--sp] == 0)
					continue;
			}
			if (c.bad || d < -(c.p - c.start - (ptrdiff_t)off) || d > c.end - c.p)
				return 0;
			c.p += d;
			continue;
		}
		case OP_DUP: if (sp < 1) return 0; a = st[sp - 1]; goto push;
		case OP_OVER: if (sp < 2) return 0; a = st[sp - 2]; goto push;
		case OP_PICK: {
			uint8_t i = rd_u8(&c);
			if (i >= sp)
				return 0;
			a = st[sp - 1 - i];
			goto push;
		}
		case OP_DROP: if (sp < 1) return 0; sp--; continue;
		case OP_SWAP: if (sp < 2) return 0; a = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = a; continue;
		case OP_ROT:
			if (sp < 3)
				return 0;
			a = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = st[sp - 3];
			st[sp - 3] = a;
			continue;
		case OP_DEREF: case OP_DEREF_SIZE: {
			size_t n = op == OP_DEREF ? 8 : rd_u8(&c);
			if (sp < 1 || n == 0 || n > 8 || !read_mem(m, st[sp - 1], n, &a))
				return 0;
			st[sp - 1] = a;
			continue;
		}
		case OP_ABS: case OP_NEG: case OP_NOT: case OP_PLUS_UCONST:
			if (sp < 1)
				return 0;
			a = st[sp - 1];
			if (op == OP_ABS)
				a = (int64_t)a < 0 ? -a : a;
			else if (op == OP_NEG)
				a = -a;
			else if (op == OP_NOT)
				a = ~a;
			else
				a += rd_uleb(&c);
			st[sp - 1] = a;
			continue;
		case OP_AND: case OP_DIV: case OP_MINUS: case OP_MOD: case OP_MUL: case OP_OR: case OP_PLUS:
		case OP_SHL: case OP_SHR: case OP_SHRA: case OP_XOR: case OP_EQ: case OP_GE: case OP_GT:
		case OP_LE: case OP_LT: case OP_NE:
			if (sp < 2)
				return 0;
			b = st[--sp];       /* top */
			a = st[sp - 1];     /* second */
			switch (op) {
			case OP_AND: a &= b; break;
			case OP_DIV:
				if (b == 0 || ((int64_t)a == INT64_MIN && (int64_t)b == -1))
					return 0;
				a = (uint64_t)((int64_t)a / (int64_t)b);
				break;
			case OP_MINUS: a -= b; break;
			case OP_MOD: if (b == 0) return 0; a %= b; break;
			case OP_MUL: a *= b; break;
			case OP_OR: a |= b; break;
			case OP_PLUS: a += b; break;
			case OP_SHL: a = b >= 64 ? 0 : a << b; break;
			case OP_SHR: a = b >= 64 ? 0 : a >> b; break;
			case OP_SHRA: a = (uint64_t)((int64_t)a >> (b >= 64 ? 63 : b)); break;
			case OP_XOR: a ^= b; break;
			case OP_EQ: a = (int64_t)a == (int64_t)b; break;
			case OP_GE: a = (int64_t)a >= (int64_t)b; break;
			case OP_GT: a = (int64_t)a > (int64_t)b; break;
			case OP_LE: a = (int64_t)a <= (int64_t)b; break;
			case OP_LT: a = (int64_t)a < (int64_t)b; break;
			case OP_NE: a = (int64_t)a != (int64_t)b; break;
			}
			st[sp - 1] = a;
			continue;
		default:
			return 0;   /* not used by x86-64 CFI */
		}
push:
		if (c.bad || sp >= MAX_EXPR_STACK)
			return 0;
		st[sp++] = a;
	}
	if (c.bad || sp < 1)
		return 0;
	*out = st[sp - 1];
	return 1;
}

/* Factored offsets in two's complement: hostile factors must not be undefined behaviour. */
static int64_t scale(uint64_t v, int64_t factor) { return (int64_t)(v * (uint64_t)factor); }

static void set_rule(struct row *row, uint64_t reg, uint8_t kind, int64_t off)
{
	if (reg >= UNWIND_NREGS)
		return;     /* vector and other registers: not needed to find callers */
	struct rule *r = &row->r[reg];
	r->kind = kind;
	r->off = off;
	r->reg = 0;
	if (kind == RULE_SAME)
		row->set &= ~(1u << reg);
	else
		row->set |= 1u << reg;
}

/* Read a DW_FORM_block operand (ULEB length, bytes) as offsets into .eh_frame. */
static int rd_block(struct cursor *c, const struct unwind_table *t, struct rule *r)
{
	uint64_t len = rd_uleb(c);
	if (c->bad || len > (uint64_t)(c->end - c->p) || len > UINT16_MAX)
		return 0;
	r->expr = (uint32_t)(c->p - t->eh);
	r->expr_len = (uint16_t)len;
	c->p += len;
	return 1;
}

/* Run the CFA instructions [start, end) from loc up to the row covering target. init is the row
 * after the CIE's instructions (NULL while running them) for DW_CFA_restore*. */
static int run_cfa(const struct unwind_table *t, const struct cie *cie, uint32_t start, uint32_t end,
                   uint64_t loc, uint64_t target, struct row *row, const struct row *init)
{
	struct row saved[MAX_STATES];
	int depth = 0;
	struct cursor c = cursor_at(t->eh, end, t->eh_vaddr, start);
	while (c.p < c.end) {
		uint8_t op = rd_u8(&c), low = op & 0x3f;
		uint64_t reg, delta = 0;
		struct rule tmp;
		switch (op & 0xc0) {
		case CFA_ADVANCE_LOC: delta = low * cie->code_align; goto advance;
		case CFA_OFFSET:
			set_rule(row, low, RULE_OFFSET, scale(rd_uleb(&c), cie->data_align));
			continue;
		case CFA_RESTORE: reg = low; goto restore;
		}
		switch (op) {
		case CFA_NOP: continue;
		case CFA_SET_LOC: {
			uint64_t to = rd_encoded(&c, cie->fde_enc, 0);
			if (c.bad || to < loc)
				return 0;
			delta = to - loc;
			goto advance;
		}
		case CFA_ADVANCE_LOC1: delta = rd_le(&c, 1) * cie->code_align; goto advance;
		case CFA_ADVANCE_LOC2: delta = rd_le(&c, 2) * cie->code_align; goto advance;
		case CFA_ADVANCE_LOC4: delta = rd_le(&c, 4) * cie->code_align; goto advance;
		case CFA_OFFSET_EXTENDED:
			reg = rd_uleb(&c);
			set_rule(row, reg, RULE_OFFSET, scale(rd_uleb(&c), cie->data_align));
			continue;
		case CFA_OFFSET_EXTENDED_SF:
			reg = rd_uleb(&c);
			set_rule(row, reg, RULE_OFFSET, scale((uint64_t)rd_sleb(&c), cie->data_align));
			continue;
		case CFA_GNU_NEGATIVE_OFFSET_EXTENDED:
			reg = rd_uleb(&c);
			set_rule(row, reg, RULE_OFFSET, scale(0 - rd_uleb(&c), cie->data_align));
			continue;
		case CFA_VAL_OFFSET:
			reg = rd_uleb(&c);
			set_rule(row, reg, RULE_VAL_OFFSET, scale(rd_uleb(&c), cie->data_align));
			continue;
		case CFA_VAL_OFFSET_SF:
			reg = rd_uleb(&c);
			set_rule(row, reg, RULE_VAL_OFFSET, scale((uint64_t)rd_sleb(&c), cie->data_align));
			continue;
		case CFA_RESTORE_EXTENDED: reg = rd_uleb(&c); goto restore;
		case CFA_UNDEFINED: set_rule(row, rd_uleb(&c), RULE_UNDEF, 0); continue;
		case CFA_SAME_VALUE: set_rule(row, rd_uleb(&c), RULE_SAME, 0); continue;
		case CFA_REGISTER: {
			reg = rd_uleb(&c);
			uint64_t from = rd_uleb(&c);
			if (from >= UNWIND_NREGS)
				set_rule(row, reg, RULE_UNDEF, 0);
			else if (reg < UNWIND_NREGS) {
				set_rule(row, reg, RULE_REG, 0);
				row->r[reg].reg = (uint8_t)from;
			}
			continue;
		}
		case CFA_REMEMBER_STATE:
			if (depth >= MAX_STATES)
				return 0;
			copy_row(&saved[depth++], row);
			continue;
		case CFA_RESTORE_STATE:
			if (depth == 0)
				return 0;
			copy_row(row, &saved[--depth]);
			continue;
		case CFA_DEF_CFA:
			reg = rd_uleb(&c);
			row->cfa.kind = reg < UNWIND_NREGS ? RULE_REG : RULE_UNDEF;
			row->cfa.reg = (uint8_t)reg;
			row->cfa.off = (int64_t)rd_uleb(&c);
			continue;
		case CFA_DEF_CFA_SF:
			reg = rd_uleb(&c);
			row->cfa.kind = reg < UNWIND_NREGS ? RULE_REG : RULE_UNDEF;
			row->cfa.reg = (uint8_t)reg;
			row->cfa.off = scale((uint64_t)rd_sleb(&c), cie->data_align);
			continue;
		case CFA_DEF_CFA_REGISTER:
			reg = rd_uleb(&c);
			if (row->cfa.kind == RULE_EXPR)
				row->cfa.off = 0;
			row->cfa.kind = reg < UNWIND_NREGS ? RULE_REG : RULE_UNDEF;
			row->cfa.reg = (uint8_t)reg;
			continue;
		case CFA_DEF_CFA_OFFSET:
			row->cfa.off = (int64_t)rd_uleb(&c);
			continue;
		case CFA_DEF_CFA_OFFSET_SF:
			row->cfa.off = scale((uint64_t)rd_sleb(&c), cie->data_align);
			continue;
		case CFA_DEF_CFA_EXPRESSION:
			if (!rd_block(&c, t, &row->cfa))
				return 0;
			row->cfa.kind = RULE_EXPR;
			continue;
		case CFA_EXPRESSION: case CFA_VAL_EXPRESSION:
			reg = rd_uleb(&c);
			if (!rd_block(&c, t, &tmp))
				return 0;
			tmp.kind = op == CFA_EXPRESSION ? RULE_EXPR : RULE_VAL_EXPR;
			if (reg < UNWIND_NREGS) {
				row->r[reg] = tmp;
				row->set |= 1u << reg;
			}
			continue;
		case CFA_GNU_ARGS_SIZE: rd_uleb(&c); continue;
		default:
			return 0;   /* unknown (or other architectures') opcode: this frame cannot be unwound */
		}
advance:
		if (c.bad)
			return 0;
		if (target - loc < delta)
			return 1;   /* the current row covers target */
		loc += delta;
		continue;
restore:
		if (reg < UNWIND_NREGS) {
			if (init && (init->set & 1u << reg)) {
				row->r[reg] = init->r[reg];
				row->set |= 1u << reg;
			} else {
				row->set &= ~(1u << reg);
			}
		}
	}
	return !c.bad;
}

/* Apply one frame's rules: the caller's registers from the callee's. Unset rules keep values. */
static int step(const struct unwind_table *t, const struct row *row, const struct cie *cie,
                const struct unwind_regs *cur, const struct memory *m, struct unwind_regs *next)
{
	uint64_t cfa;
	if (row->cfa.kind == RULE_REG) {
		if (!(cur->valid & 1u << row->cfa.reg))
			return 0;
		cfa = cur->r[row->cfa.reg] + (uint64_t)row->cfa.off;
	} else if (row->cfa.kind == RULE_EXPR) {
		if (!eval_expr(t, row->cfa.expr, row->cfa.expr_len, cur, m, NULL, &cfa))
			return 0;
	} else {
		return 0;
	}
	if (cie->ra_reg >= UNWIND_NREGS)
		return 0;
	uint32_t ra = 1u << cie->ra_reg;
	if (!(row->set & ra) || row->r[cie->ra_reg].kind == RULE_UNDEF)
		return 0;   /* the outermost frame (or a return address that never moved: no progress) */
	*next = *cur;
	/* The CFA is by definition the caller's stack pointer, unless a rule says otherwise. */
	next->r[UNWIND_RSP] = cfa;
	next->valid |= 1u << UNWIND_RSP;
	for (uint32_t set = row->set; set; set &= set - 1) {
		unsigned i = (unsigned)__builtin_ctz(set);
		const struct rule *r = &row->r[i];
		uint64_t v = 0, addr;
		int ok;
		switch (r->kind) {
		case RULE_OFFSET: ok = read_mem(m, cfa + (uint64_t)r->off, 8, &v); break;
		case RULE_VAL_OFFSET: v = cfa + (uint64_t)r->off, ok = 1; break;
		case RULE_REG: ok = (cur->valid >> r->reg) & 1, v = cur->r[r->reg]; break;
		case RULE_EXPR:
			ok = eval_expr(t, r->expr, r->expr_len, cur, m, &cfa, &addr) && read_mem(m, addr, 8, &v);
			break;
		case RULE_VAL_EXPR: ok = eval_expr(t, r->expr, r->expr_len, cur, m, &cfa, &v); break;
		default: ok = 0; break;     /* RULE_UNDEF */
		}
		if (ok) {
			next->r[i] = v;
			next->valid |= 1u << i;
		} else {
			next->valid &= ~(1u << i);
		}
	}
	/* The return address column becomes the caller's pc. */
	if (!(next->valid & ra))
		return 0;
	next->r[UNWIND_RIP] = next->r[cie->ra_reg];
	next->valid |= 1u << UNWIND_RIP;
	return 1;
}

static int find_fde(const struct unwind_table *t, uint64_t addr, struct fde *fde)
{
	size_t lo = 0, hi = t->nfde;
	while (lo < hi) {   /* the first entry starting after addr */
		size_t mid = lo + (hi - lo) / 2;
		if (t->fdes[mid].pc <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - t->fdes[lo - 1].pc >= t->fdes[lo - 1].range)
		return 0;
	const struct fde_entry *e = &t->fdes[lo - 1];
	fde->cie = &t->cies[e->cie];
	fde->pc_begin = e->pc;
	fde->pc_end = e->pc + e->range;
	fde->insn = e->insn;
	fde->insn_end = e->insn_end;
	return 1;
}

/* Rows already computed, by (table id, link-time pc): profiles hit the same few hundred return
 * addresses over and over, and big functions have long CFA programs. Table ids are never reused,
 * so a freed table's slots can never match again. */
#define CACHE_BITS 11

struct cache_slot {
	uint64_t table_id, addr;
	const struct cie *cie;
	struct row row;
};

struct unwind_cache {
	uint64_t hits, misses;
	struct cache_slot slot[1 << CACHE_BITS];
};

struct unwind_cache *unwind_cache_new(void)
{
	return xcalloc(1, sizeof(struct unwind_cache));     /* table id 0 is never given out */
}

void unwind_cache_free(struct unwind_cache *cache) { free(cache); }

void unwind_cache_stats(const struct unwind_cache *cache, uint64_t *hits, uint64_t *misses)
{
	*hits = cache->hits;
	*misses = cache->misses;
}

static struct cache_slot *cache_slot(struct unwind_cache *cache, uint64_t id, uint64_t addr)
{
	uint64_t h = (id * 0x9e3779b97f4a7c15ULL) ^ (addr * 0xff51afd7ed558ccdULL);
	return &cache->slot[h >> (64 - CACHE_BITS)];
}

size_t unwind_stack_cached(struct unwind_cache *cache, const struct unwind_regs *regs, const unsigned char *stack,
                           size_t stack_size, unwind_find_fn find, void *ctx, uint64_t *pcs, size_t max)
{
	const uint32_t need_regs = 1u << UNWIND_RIP | 1u << UNWIND_RSP;
	struct memory m = { stack, stack ? stack_size : 0, regs->r[UNWIND_RSP] };
	struct unwind_regs frames[2], *cur = &frames[0], *next = &frames[1], *swap;
	size_t n = 0;
	int exact = 1;  /* the leaf's pc, and a pc interrupted by a signal, are not return addresses */
	*cur = *regs;
	if (max == 0 || !(cur->valid & 1u << UNWIND_RIP))
		return 0;
	pcs[n++] = cur->r[UNWIND_RIP];
	while (n < max && (cur->valid & need_regs) == need_regs) {
		uint64_t pc = cur->r[UNWIND_RIP] - (exact ? 0 : 1), bias;
		const struct unwind_table *t;
		const struct row *rowp;
		const struct cie *cie;
		struct row row;
		struct cache_slot *slot = NULL;
		if (!find(ctx, pc, &t, &bias) || !t)
			break;
		if (cache) {
			slot = cache_slot(cache, t->id, pc - bias);
			if (slot->table_id == t->id && slot->addr == pc - bias) {
				cache->hits++;
				rowp = &slot->row;
				cie = slot->cie;
				goto have_row;
			}
			cache->misses++;
		}
		struct fde fde;
		if (!find_fde(t, pc - bias, &fde) || !fde.cie->init_ok)
			break;
		copy_row(&row, &fde.cie->init);
		if (!run_cfa(t, fde.cie, fde.insn, fde.insn_end, fde.pc_begin, pc - bias, &row, &fde.cie->init))
			break;
		rowp = &row;
		cie = fde.cie;
		if (slot) {
			slot->table_id = t->id;
			slot->addr = pc - bias;
			slot->cie = cie;
			copy_row(&slot->row, &row);
		}
have_row:
		if (!step(t, rowp, cie, cur, &m, next))
			break;
		if (next->r[UNWIND_RIP] == 0 || !(next->valid & 1u << UNWIND_RSP) ||
		    next->r[UNWIND_RSP] <= cur->r[UNWIND_RSP])
			break;
		pcs[n++] = next->r[UNWIND_RIP];
		exact = cie->signal;
		swap = cur, cur = next, next = swap;
	}
	return n;
}

size_t unwind_stack(const struct unwind_regs *regs, const unsigned char *stack, size_t stack_size,
                    unwind_find_fn find, void *ctx, uint64_t *pcs, size_t max)
{
	return unwind_stack_cached(NULL, regs, stack, stack_size, find, ctx, pcs, max);
}

void unwind_regs_from_perf(struct unwind_regs *regs, uint64_t mask, const uint64_t *values, size_t n)
{
	/* perf's x86 register bits (<asm/perf_regs.h>) to DWARF numbers; -1: not used here. */
	static const signed char to_dwarf[24] = {
		UNWIND_RAX, UNWIND_RBX, UNWIND_RCX, UNWIND_RDX, UNWIND_RSI, UNWIND_RDI, UNWIND_RBP,
		UNWIND_RSP, UNWIND_RIP, -1, -1, -1, -1, -1, -1, -1,
		UNWIND_R8, UNWIND_R9, UNWIND_R10, UNWIND_R11, UNWIND_R12, UNWIND_R13, UNWIND_R14, UNWIND_R15
	};
	size_t i = 0;
	memset(regs, 0, sizeof(*regs));
	for (unsigned bit = 0; bit < 64 && i < n; bit++) {
		if (!(mask & (uint64_t)1 << bit))
			continue;
		uint64_t v = values[i++];
		if (bit < 24 && to_dwarf[bit] >= 0) {
			regs->r[(int)to_dwarf[bit]] = v;
			regs->valid |= 1u << to_dwarf[bit];
		}
	}
}
