/* Unit tests for record/unwind.c: hand-built .eh_frame blobs (encodings, CFA programs, expressions,
 * signal frames, stop conditions), hostile bytes, and a live self-unwind of this very process
 * through its own and libc's .eh_frame, checked against the symbol table of /proc/self/exe.
 *
 *   record_unwind                    run the checks
 *   record_unwind --bench N DEPTH    time N unwinds of a live sample DEPTH frames deep (make bench)
 */
#include "check.h"
#include "record/elf.h"
#include "record/unwind.h"
#include "../fuzz/eh_frame.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIT(r) (1u << (r))
/* Every test function stays out of main, whose frame must stay small: the live tests copy 64 KB
 * of stack from deep inside and unwind up to main and beyond. */
#ifdef __clang__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

static unsigned char *exe;      /* /proc/self/exe, mapped */
static size_t exe_size;

/* ---- building .eh_frame bytes ---- */

struct blob {
	unsigned char b[8192];
	size_t n;
	uint64_t vaddr;         /* link-time address of b[0] */
};

static void put(struct blob *x, const void *p, size_t n)
{
	if (x->n + n > sizeof(x->b))
		abort();
	memcpy(x->b + x->n, p, n);
	x->n += n;
}

static void put_le(struct blob *x, uint64_t v, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)(v >> (8 * i));
		put(x, &c, 1);
	}
}

static void put_uleb(struct blob *x, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;
		v >>= 7;
		if (v)
			c |= 0x80;
		put(x, &c, 1);
	} while (v);
}

static void put_sleb(struct blob *x, int64_t v)
{
	for (;;) {
		unsigned char c = v & 0x7f;
		v >>= 7;   /* arithmetic on gcc and clang */
		int done = (v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40));
		if (!done)
			c |= 0x80;
		put(x, &c, 1);
		if (done)
			return;
	}
}

/* An address in DW_EH_PE encoding enc; pcrel is relative to where it is written. */
static void put_enc(struct blob *x, uint8_t enc, uint64_t v)
{
	if ((enc & 0x70) == 0x10)
		v -= x->vaddr + x->n;
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: put_le(x, v, 8); break;
	case 0x01: put_uleb(x, v); break;
	case 0x09: put_sleb(x, (int64_t)v); break;
	case 0x02: case 0x0a: put_le(x, v, 2); break;
	case 0x03: case 0x0b: put_le(x, v, 4); break;
	default: abort();
	}
}

static size_t begin_entry(struct blob *x)
{
	size_t at = x->n;
	put_le(x, 0, 4);
	return at;
}

static void end_entry(struct blob *x, size_t at)
{
	while ((x->n - at) % 4)
		put(x, "\0", 1);    /* DW_CFA_nop padding, as assemblers do */
	uint32_t len = (uint32_t)(x->n - at - 4);
	for (int i = 0; i < 4; i++)
		x->b[at + i] = (unsigned char)(len >> (8 * i));
}

/* A CIE: code alignment 1, data alignment -8, return address in r16, CFA = rsp + 8 and the return
 * address at CFA - 8 (what gcc, clang and rustc emit), augmentation aug ("", "zR", "zRS", "zPLR"). */
static size_t add_cie(struct blob *x, const char *aug, uint8_t fde_enc)
{
	size_t at = begin_entry(x);
	put_le(x, 0, 4);
	put(x, "\1", 1);
	put(x, aug, strlen(aug) + 1);
	put_uleb(x, 1);
	put_sleb(x, -8);
	put(x, "\x10", 1);
	if (aug[0] == 'z') {
		struct blob data = { .n = 0 };
		data.vaddr = x->vaddr + x->n + 1;   /* aug data length is one byte here */
		for (const char *s = aug + 1; *s; s++) {
			if (*s == 'R')
				put(&data, &fde_enc, 1);
			else if (*s == 'L')
				put(&data, "\x1b", 1);
			else if (*s == 'P') {
				put(&data, "\x9b", 1);  /* indirect|pcrel|sdata4, as gcc's personality */
				put_enc(&data, 0x1b, 0x12345);
			}
		}
		put_uleb(x, data.n);
		put(x, data.b, data.n);
	}
	put(x, "\x0c\x07\x08\x90\x01", 5);   /* def_cfa rsp+8; offset r16 at cfa-8 */
	end_entry(x, at);
	return at;
}

static size_t add_fde(struct blob *x, size_t cie, const char *aug, uint8_t enc, uint64_t pc, uint64_t range,
                      const char *insns, size_t ninsns)
{
	size_t at = begin_entry(x);
	put_le(x, x->n - cie, 4);
	put_enc(x, enc, pc);
	put_enc(x, enc & 0x0f, range);
	if (aug[0] == 'z') {
		if (strchr(aug, 'L')) {     /* augmentation data: the LSDA pointer */
			put_uleb(x, 4);
			put_le(x, 0, 4);
		} else {
			put_uleb(x, 0);
		}
	}
	put(x, insns, ninsns);
	end_entry(x, at);
	return at;
}

#define INSNS(s) s, sizeof(s) - 1

/* .eh_frame_hdr with version 1, pcrel eh_frame_ptr, udata4 count, datarel sdata4 table. */
static void make_hdr(struct blob *h, const struct blob *eh, const uint64_t *pcs, const size_t *offs, size_t n)
{
	h->n = 0;
	put(h, "\x01\x1b\x03\x3b", 4);
	put_enc(h, 0x1b, eh->vaddr);
	put_le(h, n, 4);
	for (size_t i = 0; i < n; i++) {
		put_le(h, pcs[i] - h->vaddr, 4);
		put_le(h, eh->vaddr + offs[i] - h->vaddr, 4);
	}
}

/* Every unwind of these tests runs three times: without the cache, then with one shared by all
 * tests (tables come and go meanwhile, at reused addresses), cold or warm, and warm. All agree. */
static struct unwind_cache *cache;

static size_t unwind_checked(const struct unwind_regs *regs, const unsigned char *stack, size_t size,
                             unwind_find_fn find, void *ctx, uint64_t *pcs, size_t max)
{
	uint64_t again[256];
	size_t n = unwind_stack(regs, stack, size, find, ctx, pcs, max);
	if (max > 256)
		return n;
	for (int i = 0; i < 2; i++) {
		size_t m = unwind_stack_cached(cache, regs, stack, size, find, ctx, again, max);
		if (m != n || memcmp(pcs, again, n * sizeof(*pcs)) != 0) {
			CHECK(!"cached unwinding agrees");
			return n;
		}
	}
	return n;
}

/* ---- a fake process: one object at a load bias and a copied stack ---- */

struct fake {
	const struct unwind_table *table;
	uint64_t bias, lo, hi;      /* runtime range of the object */
};

static int fake_find(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	const struct fake *f = ctx;
	if (pc < f->lo || pc >= f->hi)
		return 0;
	*table = f->table;
	*bias = f->bias;
	return 1;
}

#define STACK_BASE 0x7ffc0000ULL
static unsigned char fake_stack[1024];

static void poke(uint64_t addr, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		fake_stack[addr - STACK_BASE + i] = (unsigned char)(v >> (8 * i));
}

static size_t run(const struct fake *f, struct unwind_regs *regs, size_t stack_size, uint64_t *pcs, size_t max)
{
	regs->valid |= BIT(UNWIND_RIP) | BIT(UNWIND_RSP);
	return unwind_checked(regs, fake_stack, stack_size, fake_find, (void *)f, pcs, max);
}

/* Link-time functions of the fake object. */
enum { F1 = 0x1000, F2 = 0x2000, F3 = 0x3000, F4 = 0x4000, PLT = 0x5000, SIG = 0x6000, F6 = 0x7000,
       F7 = 0x8000, F2END = 0x2100, NOFDE = 0x9800, BIAS = 0x555500000000ULL };

/* The blob every scenario uses, with FDE addresses in encoding enc. Records the FDEs for a hdr. */
static size_t build_object(struct blob *x, uint8_t enc, uint64_t *pcs, size_t *offs)
{
	size_t n = 0, cie, sig_cie;
	x->n = 0;
	x->vaddr = 0x200;
	/* 'z' CIE with the wanted encoding, and a non-'z' one (absptr) for F4 to mix both. */
	cie = add_cie(x, "zR", enc);
	size_t plain = add_cie(x, "", 0);
#define FDE(c, aug, e, pc, len, ins) (pcs[n] = (pc), offs[n++] = add_fde(x, c, aug, e, pc, len, INSNS(ins)))
	/* F1: push rbp; mov rsp,rbp; ...; an epilogue in remember/restore_state. */
	FDE(cie, "zR", enc, F1, 0x100,
	    "\x41\x0e\x10\x86\x02"              /* +1: def_cfa_offset 16; rbp at cfa-16 */
	    "\x43\x0d\x06"                      /* +3: def_cfa_register rbp */
	    "\x02\x40\x0a\x0c\x07\x08"          /* +0x40: remember_state; def_cfa rsp+8 */
	    "\x41\x0b");                        /* +1: restore_state */
	/* F2: sub $24,rsp after pushing rbx and r12. */
	FDE(cie, "zR", enc, F2, 0x100,
	    "\x44\x0e\x20\x83\x02\x8c\x03");    /* +4: def_cfa_offset 32; rbx at cfa-16; r12 at cfa-24 */
	/* F3: _start: the return address is undefined. */
	FDE(cie, "zR", enc, F3, 0x100, "\x07\x10");
	/* F4: the CFA is rbx + 16 (so rbx must have been recovered correctly). */
	FDE(plain, "", 0, F4, 0x100, "\x0c\x03\x10");
	/* F5 right after F2: a different rule, to catch a return address at F2's end looked up as is. */
	FDE(cie, "zR", enc, F2END, 0x100, "\x0e\x40");
	/* PLT: ld's .plt FDE: CFA = rsp + 8 + ((rip & 15) >= 11 ? 8 : 0) inside each 16-byte entry. */
	FDE(cie, "zR", enc, PLT, 0x40,
	    "\x0e\x10\x46\x0e\x18\x4a\x0f\x0b\x77\x08\x80\x00\x3f\x1a\x3b\x2a\x33\x24\x22");
	/* F6: the return address in rax (DW_CFA_register), rbx = CFA (val_offset), r12 undefined. */
	FDE(cie, "zR", enc, F6, 0x100, "\x09\x10\x00\x14\x03\x00\x07\x0c");
	/* F7: CFA = rsp + (0x100 >> 3) by an expression with a taken branch over two pushes. */
	FDE(cie, "zR", enc, F7, 0x100,
	    "\x0f\x11\x77\x00\x0c\x00\x01\x00\x00\x08\x03\x25\x31\x28\x02\x00\x39\x39\x22");
	/* A signal trampoline ('S'): everything from the ucontext at rsp, as glibc's __restore_rt. */
	sig_cie = add_cie(x, "zRS", enc);
	FDE(sig_cie, "zRS", enc, SIG, 0x10,
	    "\x0f\x04\x77\xa0\x01\x06"          /* def_cfa_expression: *(rsp + 160) */
	    "\x10\x10\x03\x77\xa8\x01"          /* rip at rsp + 168 */
	    "\x10\x06\x03\x77\xf8\x00");            /* rbp at rsp + 120 */
	/* A 'zPLR' CIE (C++ with exceptions): personality and LSDA must be skipped. */
	size_t cxx = add_cie(x, "zPLR", enc);
	FDE(cxx, "zPLR", enc, NOFDE + 0x100, 0x10, "\x0e\x10");
#undef FDE
	put_le(x, 0, 4);    /* terminator */
	return n;
}

static void check_scenarios(const struct unwind_table *t, const char *what)
{
	struct fake f = { t, BIAS, BIAS, BIAS + 0x10000 };
	uint64_t pcs[16], S = STACK_BASE;
	struct unwind_regs regs;
	size_t n;
	int failures = check_failures;

	/* F1 (rbp frame) -> F2 (rsp frame saving rbx) -> F4 (CFA from rbx) -> F3 (_start). */
	memset(fake_stack, 0, sizeof(fake_stack));
	memset(&regs, 0, sizeof(regs));
	regs.r[UNWIND_RIP] = BIAS + F1 + 0x10;
	regs.r[UNWIND_RSP] = S;
	regs.r[UNWIND_RBP] = S + 0x10;
	regs.valid = BIT(UNWIND_RBP);
	poke(S + 0x10, 0xdead0);            /* caller's rbp */
	poke(S + 0x18, BIAS + F2 + 0x50);   /* F1's return address */
	poke(S + 0x28, 0x1212);             /* F2: r12 */
	poke(S + 0x30, S + 0x48);           /* F2: rbx */
	poke(S + 0x38, BIAS + F4 + 0x20);   /* F2's return address */
	poke(S + 0x50, BIAS + F3 + 0x10);   /* F4's return address at rbx + 16 - 8 */
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 4);
	CHECK(pcs[0] == BIAS + F1 + 0x10 && pcs[1] == BIAS + F2 + 0x50);
	CHECK(n >= 4 && pcs[2] == BIAS + F4 + 0x20 && pcs[3] == BIAS + F3 + 0x10);
	/* max frames */
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 2) == 2);
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 1) == 1 && pcs[0] == BIAS + F1 + 0x10);
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 0) == 0);
	/* the stack copy ends before F2's return address */
	CHECK(run(&f, &regs, 0x38, pcs, 16) == 2);
	CHECK(run(&f, &regs, 0x3f, pcs, 16) == 2);
	CHECK(run(&f, &regs, 0, pcs, 16) == 1);
	/* without rbp, F1's CFA (rbp + 16) is unknown */
	regs.valid = 0;
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 16) == 1);
	regs.valid = BIT(UNWIND_RBP);
	/* F1 at its entry (CFA = rsp + 8), after push rbp (rsp + 16), and in the remembered epilogue */
	poke(S, BIAS + F3 + 0x20);
	regs.r[UNWIND_RIP] = BIAS + F1;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 0x20);
	poke(S + 8, BIAS + F3 + 0x28);
	regs.r[UNWIND_RIP] = BIAS + F1 + 2;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 0x28);
	regs.r[UNWIND_RIP] = BIAS + F1 + 0x44;  /* after remember_state; def_cfa rsp+8 */
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 0x20);
	regs.r[UNWIND_RIP] = BIAS + F1 + 0x45;  /* after restore_state: rbp + 16 again */
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 4 && pcs[1] == BIAS + F2 + 0x50);

	/* a zero return address ends the chain; so does one in no object, or in no FDE */
	regs.r[UNWIND_RIP] = BIAS + F1 + 0x10;
	poke(S + 0x38, 0);
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 16) == 2);
	poke(S + 0x38, 0x1234);
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 3 && pcs[2] == 0x1234);
	poke(S + 0x38, BIAS + NOFDE);
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 3 && pcs[2] == BIAS + NOFDE);
	/* a CFA that does not grow: rbx pointing below the current frame */
	poke(S + 0x38, BIAS + F4 + 0x20);
	poke(S + 0x30, S);
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 16) == 3);
	poke(S + 0x30, S + 0x48);
	/* a leaf pc in no object */
	regs.r[UNWIND_RIP] = 0x10;
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 16) == 1);

	/* A return address just past F2 (a call to a noreturn function at its end) belongs to F2:
	 * looked up as pc - 1. F2's rule reads the return address at rsp + 24. */
	memset(fake_stack, 0, sizeof(fake_stack));
	regs.r[UNWIND_RIP] = BIAS + F4;
	regs.r[UNWIND_RBX] = S - 8;         /* F4: CFA = S + 8, return address at S */
	regs.valid = BIT(UNWIND_RBX);
	poke(S, BIAS + F2END);
	poke(S + 0x20, BIAS + F3 + 4);      /* F2: CFA = S + 8 + 32 */
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 3 && pcs[1] == BIAS + F2END && pcs[2] == BIAS + F3 + 4);

	/* PLT entry at PLT + 0x10: before its push (rip & 15 < 11) and after (>= 11) */
	memset(fake_stack, 0, sizeof(fake_stack));
	poke(S, BIAS + F3 + 8);
	poke(S + 8, BIAS + F3 + 12);
	regs.valid = 0;
	regs.r[UNWIND_RIP] = BIAS + PLT + 0x10;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 8);
	regs.r[UNWIND_RIP] = BIAS + PLT + 0x1a;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 8);
	regs.r[UNWIND_RIP] = BIAS + PLT + 0x1b;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 12);
	/* PLT0 (rip < 0x10 past the start: CFA offset 16, then 24 after its second push) */
	regs.r[UNWIND_RIP] = BIAS + PLT + 2;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 12);

	/* F6: return address in rax; caller's rbx = F6's CFA, which F4 then uses. */
	memset(fake_stack, 0, sizeof(fake_stack));
	regs.r[UNWIND_RIP] = BIAS + F6 + 4;
	regs.r[UNWIND_RAX] = BIAS + F4 + 0x10;
	regs.valid = BIT(UNWIND_RAX);
	poke(S + 0x10, BIAS + F3 + 0x30);   /* F4: CFA = (S + 8) + 16, return address at S + 0x10 */
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 3 && pcs[1] == BIAS + F4 + 0x10 && pcs[2] == BIAS + F3 + 0x30);
	regs.valid = 0;                     /* rax unknown: no return address */
	CHECK(run(&f, &regs, sizeof(fake_stack), pcs, 16) == 1);

	/* F7: the CFA by an expression with constants, shifts and a branch: rsp + 0x20 */
	memset(fake_stack, 0, sizeof(fake_stack));
	poke(S + 0x18, BIAS + F3 + 0x38);
	regs.r[UNWIND_RIP] = BIAS + F7 + 1;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 0x38);

	/* A signal frame: the interrupted pc F1 + 0 must be looked up as is, not as pc - 1 (which is
	 * in no FDE): F1 at its entry has CFA = rsp + 8. */
	memset(fake_stack, 0, sizeof(fake_stack));
	regs.r[UNWIND_RIP] = BIAS + SIG + 5;
	regs.valid = 0;
	poke(S + 160, S + 0x200);           /* interrupted rsp */
	poke(S + 168, BIAS + F1);           /* interrupted rip */
	poke(S + 0x200, BIAS + F3 + 0x40);
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 3 && pcs[1] == BIAS + F1 && pcs[2] == BIAS + F3 + 0x40);

	/* zPLR CIE: its FDE's rule (CFA = rsp + 16) is found behind the skipped augmentation data */
	memset(fake_stack, 0, sizeof(fake_stack));
	poke(S + 8, BIAS + F3 + 0x48);
	regs.r[UNWIND_RIP] = BIAS + NOFDE + 0x104;
	n = run(&f, &regs, sizeof(fake_stack), pcs, 16);
	CHECK(n == 2 && pcs[1] == BIAS + F3 + 0x48);

	if (check_failures != failures)
		fprintf(stderr, "  (in scenarios for %s)\n", what);
}

NOINLINE static void test_blobs(void)
{
	static const uint8_t encs[] = { 0x1b, 0x00, 0x03, 0x04, 0x0b, 0x0c, 0x02, 0x01, 0x09, 0x1c, 0x13 };
	for (size_t i = 0; i < sizeof(encs); i++) {
		struct blob x, h = { .n = 0, .vaddr = 0x100 };
		uint64_t pcs[32];
		size_t offs[32];
		char what[64];
		size_t n = build_object(&x, encs[i], pcs, offs);

		/* .eh_frame alone: the index is built by scanning */
		struct unwind_table *t = unwind_table_new(NULL, 0, 0, x.b, x.n, x.vaddr);
		CHECK(t != NULL);
		CHECK(unwind_table_fdes(t) == n);
		snprintf(what, sizeof(what), "encoding 0x%02x, no hdr", encs[i]);
		if (t)
			check_scenarios(t, what);
		unwind_table_free(t);

		/* with an .eh_frame_hdr, in reverse order to check that an unsorted table gets sorted */
		uint64_t rpcs[32];
		size_t roffs[32];
		for (size_t k = 0; k < n; k++)
			rpcs[k] = pcs[n - 1 - k], roffs[k] = offs[n - 1 - k];
		make_hdr(&h, &x, rpcs, roffs, n);
		uint64_t eh_vaddr = 0;
		CHECK(unwind_eh_frame_ptr(h.b, h.n, h.vaddr, &eh_vaddr) && eh_vaddr == x.vaddr);
		t = unwind_table_new(h.b, h.n, h.vaddr, x.b, x.n, x.vaddr);
		CHECK(t != NULL);
		CHECK(unwind_table_fdes(t) == n);
		snprintf(what, sizeof(what), "encoding 0x%02x, with hdr", encs[i]);
		if (t)
			check_scenarios(t, what);
		unwind_table_free(t);

		/* a hdr listing only some FDEs: lookups go by the hdr, as the runtime's do */
		make_hdr(&h, &x, pcs, offs, 2);
		t = unwind_table_new(h.b, h.n, h.vaddr, x.b, x.n, x.vaddr);
		CHECK(t != NULL && unwind_table_fdes(t) == 2);
		unwind_table_free(t);
		/* a hdr whose addresses match no FDE (another object's): ignored, the scan builds the index */
		uint64_t wrong[32];
		for (size_t k = 0; k < n; k++)
			wrong[k] = pcs[k] + 1;
		make_hdr(&h, &x, wrong, offs, n);
		t = unwind_table_new(h.b, h.n, h.vaddr, x.b, x.n, x.vaddr);
		CHECK(t != NULL && unwind_table_fdes(t) == n);
		unwind_table_free(t);
		make_hdr(&h, &x, pcs, offs, 2);
		/* a hdr whose count lies: ignored, the scan builds the index */
		h.b[8] = 0xff, h.b[9] = 0xff;
		t = unwind_table_new(h.b, h.n, h.vaddr, x.b, x.n, x.vaddr);
		CHECK(t != NULL && unwind_table_fdes(t) == n);
		unwind_table_free(t);
	}
}

/* The 64-bit DWARF format (length 0xffffffff, 64-bit CIE id and pointer), as a few tools emit. */
NOINLINE static void test_dwarf64(void)
{
	struct blob x = { .n = 0, .vaddr = 0x200 };
	size_t cie = x.n;
	put_le(&x, 0xffffffff, 4);
	size_t len_at = x.n;
	put_le(&x, 0, 8);
	put_le(&x, 0, 8);                      /* CIE id */
	put(&x, INSNS("\1zR\0\1\x78\x10\1\x1b\x0c\x07\x08\x90\x01"));
	uint64_t len = x.n - len_at - 8;
	memcpy(x.b + len_at, &len, 8);
	size_t fde = x.n;
	put_le(&x, 0xffffffff, 4);
	len_at = x.n;
	put_le(&x, 0, 8);
	put_le(&x, x.n - cie, 8);              /* CIE pointer */
	put_enc(&x, 0x1b, F1);
	put_le(&x, 0x100, 4);
	put(&x, "\0\x41\x0e\x10", 4);          /* aug length 0; +1: def_cfa_offset 16 */
	len = x.n - len_at - 8;
	memcpy(x.b + len_at, &len, 8);
	(void)fde;
	struct unwind_table *t = unwind_table_new(NULL, 0, 0, x.b, x.n, x.vaddr);
	CHECK(t != NULL && unwind_table_fdes(t) == 1);
	struct fake f = { t, 0, 0, 0x10000 };
	struct unwind_regs regs = { .valid = 0 };
	uint64_t pcs[4];
	memset(fake_stack, 0, sizeof(fake_stack));
	poke(STACK_BASE + 8, F1 + 0x80);
	regs.r[UNWIND_RSP] = STACK_BASE;
	regs.r[UNWIND_RIP] = F1 + 4;
	CHECK(t && run(&f, &regs, sizeof(fake_stack), pcs, 4) >= 2 && pcs[1] == F1 + 0x80);
	unwind_table_free(t);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* An unwind table from a whole ELF file in memory, as the symbolizer builds one. */
static struct unwind_table *table_from_elf(const unsigned char *file, size_t size)
{
	struct elf_file elf;
	struct elf_eh_frame eh;

	if (!file || elf_from_memory(&elf, file, size) < 0 || elf_eh_frame(&elf, &eh) < 0)
		return NULL;
	return unwind_table_new(eh.hdr, eh.hdr_size, eh.hdr_vaddr, eh.frame, eh.frame_size, eh.frame_vaddr);
}

/* Hostile bytes: every prefix of a valid table, many mutations of it, and noise. Under ASan this
 * is what proves "never reads outside"; here it must at least return. */
NOINLINE static void test_hostile(void)
{
	struct blob x;
	uint64_t pcs[32];
	size_t offs[32];
	build_object(&x, 0x1b, pcs, offs);
	for (size_t len = 0; len <= x.n; len++)
		eh_frame_fuzz_parse(x.b, len);
	unsigned char m[sizeof(x.b)];
	for (int i = 0; i < 20000; i++) {
		memcpy(m, x.b, x.n);
		int flips = 1 + (int)(rng() % 8);
		for (int k = 0; k < flips; k++) {
			size_t at = rng() % x.n;
			uint64_t r = rng();
			m[at] = (r & 0x300) ? (unsigned char)r : (unsigned char)(m[at] ^ (1u << (r % 8)));
		}
		eh_frame_fuzz_parse(m, x.n - (rng() % 4 == 0 ? rng() % x.n : 0));
	}
	for (int i = 0; i < 2000; i++) {
		size_t len = rng() % 512;
		for (size_t k = 0; k < len; k++)
			m[k] = (unsigned char)rng();
		eh_frame_fuzz_parse(m, len);
	}
	/* a real ELF file (this test) with its headers damaged, or cut short */
	unsigned char *elf = malloc(exe_size);
	const Elf64_Ehdr *eh = (const void *)exe;
	size_t tables = 0;
	for (int i = 0; i < 400; i++) {
		memcpy(elf, exe, exe_size);
		for (int k = 0, flips = 1 + (int)(rng() % 4); k < flips; k++) {
			uint64_t r = rng(), at;
			if (r % 3 == 0)
				at = r / 3 % sizeof(Elf64_Ehdr);
			else if (r % 3 == 1)
				at = eh->e_shoff + r / 3 % ((size_t)eh->e_shnum * sizeof(Elf64_Shdr));
			else
				at = eh->e_phoff + r / 3 % ((size_t)eh->e_phnum * sizeof(Elf64_Phdr));
			elf[at % exe_size] = (unsigned char)(r >> 40);
		}
		size_t size = rng() % 8 == 0 ? rng() % exe_size : exe_size;
		struct unwind_table *t = table_from_elf(elf, size);
		tables += t != NULL;
		unwind_table_free(t);
	}
	CHECK(tables > 0);      /* most damage misses what matters */
	free(elf);

	/* specific malformations are refused rather than half-used */
	CHECK(unwind_table_new(NULL, 0, 0, (const unsigned char *)"\xff\xff\xff\x7f", 4, 0) == NULL);
	CHECK(unwind_table_new(NULL, 0, 0, NULL, 0, 0) == NULL);
	CHECK(unwind_table_new((const unsigned char *)"\1\x1b\3\x3b", 4, 0, NULL, 0, 0) == NULL);
	CHECK(table_from_elf((const unsigned char *)"\x7f" "ELF", 4) == NULL);
	CHECK(table_from_elf(NULL, 0) == NULL);
	/* remember_state nested beyond any compiler's needs is refused, not overflowed */
	struct blob y = { .n = 0, .vaddr = 0 };
	size_t cie = add_cie(&y, "zR", 0x1b);
	char deep[40];
	memset(deep, 0x0a, sizeof(deep));
	add_fde(&y, cie, "zR", 0x1b, 0x1000, 0x10, deep, sizeof(deep));
	struct unwind_table *t = unwind_table_new(NULL, 0, 0, y.b, y.n, 0);
	CHECK(t != NULL);
	struct fake f = { t, 0, 0, 0x10000 };
	struct unwind_regs regs = { .valid = 0 };
	regs.r[UNWIND_RSP] = STACK_BASE;
	regs.r[UNWIND_RIP] = 0x1004;
	memset(fake_stack, 0, sizeof(fake_stack));
	poke(STACK_BASE, 0x1008);
	CHECK(t && run(&f, &regs, sizeof(fake_stack), pcs, 4) == 1);
	unwind_table_free(t);
}

NOINLINE static void test_perf_regs(void)
{
	/* AX..IP and R8..R15 in perf's order: ax bx cx dx si di bp sp ip r8 ... r15 */
	uint64_t v[17];
	for (int i = 0; i < 17; i++)
		v[i] = 100 + i;
	struct unwind_regs r;
	unwind_regs_from_perf(&r, UNWIND_PERF_REGS_MASK, v, 17);
	CHECK(r.valid == (1u << UNWIND_NREGS) - 1);
	CHECK(r.r[UNWIND_RAX] == 100 && r.r[UNWIND_RBX] == 101 && r.r[UNWIND_RCX] == 102);
	CHECK(r.r[UNWIND_RDX] == 103 && r.r[UNWIND_RSI] == 104 && r.r[UNWIND_RDI] == 105);
	CHECK(r.r[UNWIND_RBP] == 106 && r.r[UNWIND_RSP] == 107 && r.r[UNWIND_RIP] == 108);
	CHECK(r.r[UNWIND_R8] == 109 && r.r[UNWIND_R15] == 116);
	/* a smaller mask (ip, sp, bp = bits 8, 7, 6) and flags (bit 9) skipped */
	uint64_t w[4] = { 6, 7, 8, 9 };
	unwind_regs_from_perf(&r, 0x3c0, w, 4);
	CHECK(r.valid == (BIT(UNWIND_RBP) | BIT(UNWIND_RSP) | BIT(UNWIND_RIP)));
	CHECK(r.r[UNWIND_RBP] == 6 && r.r[UNWIND_RSP] == 7 && r.r[UNWIND_RIP] == 8);
	/* fewer values than bits: only those */
	unwind_regs_from_perf(&r, UNWIND_PERF_REGS_MASK, v, 2);
	CHECK(r.valid == (BIT(UNWIND_RAX) | BIT(UNWIND_RBX)));
}

/* ---- live: unwind this process's own stack ---- */

struct object {
	uint64_t bias, lo[8], hi[8];
	int nseg;
	struct unwind_table *table;
};

static struct object objects[64];
static int nobjects;

static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size, (void)data;
	if (nobjects >= 64)
		return 1;
	struct object *o = &objects[nobjects];
	const ElfW(Phdr) *eh = NULL;
	memset(o, 0, sizeof(*o));
	o->bias = info->dlpi_addr;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && o->nseg < 8) {
			o->lo[o->nseg] = o->bias + ph->p_vaddr;
			o->hi[o->nseg++] = o->bias + ph->p_vaddr + ph->p_memsz;
		} else if (ph->p_type == PT_GNU_EH_FRAME) {
			eh = ph;
		}
	}
	uint64_t eh_vaddr;
	const unsigned char *hdr = eh ? (const unsigned char *)(o->bias + eh->p_vaddr) : NULL;
	if (hdr && unwind_eh_frame_ptr(hdr, eh->p_memsz, eh->p_vaddr, &eh_vaddr)) {
		/* .eh_frame runs at most to the end of its loaded segment */
		for (int i = 0; i < o->nseg; i++) {
			uint64_t at = o->bias + eh_vaddr;
			if (at >= o->lo[i] && at < o->hi[i])
				o->table = unwind_table_new(hdr, eh->p_memsz, eh->p_vaddr,
				                            (const unsigned char *)at, o->hi[i] - at, eh_vaddr);
		}
	}
	/* Static executables have no .eh_frame_hdr (gcc links them without --eh-frame-hdr): the
	 * file's section headers lead to .eh_frame, indexed by scanning it. */
	if (!o->table && info->dlpi_name[0] == 0)
		o->table = table_from_elf(exe, exe_size);
	nobjects++;
	return 0;
}

static int live_find(void *ctx, uint64_t pc, const struct unwind_table **table, uint64_t *bias)
{
	(void)ctx;
	for (int i = 0; i < nobjects; i++)
		for (int k = 0; k < objects[i].nseg; k++)
			if (pc >= objects[i].lo[k] && pc < objects[i].hi[k]) {
				*table = objects[i].table;
				*bias = objects[i].bias;
				return objects[i].table != NULL;
			}
	return 0;
}

/* The symbol table of /proc/self/exe, to name the unwound pcs independently of .eh_frame. */

static int exe_symbol(const char *name, uint64_t *value, uint64_t *size)
{
	const Elf64_Ehdr *e = (const void *)exe;
	const Elf64_Shdr *sh = (const void *)(exe + e->e_shoff);
	for (int i = 0; i < e->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const void *)(exe + sh[i].sh_offset);
		const char *str = (const char *)exe + sh[sh[i].sh_link].sh_offset;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && strcmp(str + sym[k].st_name, name) == 0) {
				*value = sym[k].st_value;
				*size = sym[k].st_size;
				return 1;
			}
	}
	return 0;
}

static const Elf64_Shdr *exe_section(const char *name)
{
	const Elf64_Ehdr *e = (const void *)exe;
	const Elf64_Shdr *sh = (const void *)(exe + e->e_shoff);
	const char *names = (const char *)exe + sh[e->e_shstrndx].sh_offset;
	for (int i = 0; i < e->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, name) == 0)
			return &sh[i];
	return NULL;
}

static uint64_t exe_bias(void)
{
	extern int main(int, char **);
	uint64_t v, s;
	return exe_symbol("main", &v, &s) ? (uint64_t)(uintptr_t)main - v : 0;
}

#define NO_ASAN __attribute__((no_sanitize_address))

#define STACK_COPY 65536
struct sample {
	struct unwind_regs regs;
	unsigned char stack[STACK_COPY];
	size_t size;
};

/* Copy the stack as perf does: from rsp upwards, up to the stack's end. Not through memcpy, which
 * ASan would check against other frames' redzones. */
NO_ASAN static void copy_stack(struct sample *s, uint64_t sp)
{
	pthread_attr_t attr;
	void *addr;
	size_t size, n = STACK_COPY;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			uint64_t top = (uint64_t)(uintptr_t)addr + size;
			if (top - sp < n)
				n = top - sp;
		}
		pthread_attr_destroy(&attr);
	}
	const volatile unsigned char *from = (const volatile unsigned char *)(uintptr_t)sp;
	for (size_t i = 0; i < n; i++)
		s->stack[i] = from[i];
	s->size = n;
}

NOINLINE void live_leaf(struct sample *s)
{
	uint64_t r[8];
	__asm__ volatile(
		"lea 0(%%rip), %%rax\n\t"
		"mov %%rax, 0(%0)\n\t"
		"mov %%rsp, 8(%0)\n\t"
		"mov %%rbp, 16(%0)\n\t"
		"mov %%rbx, 24(%0)\n\t"
		"mov %%r12, 32(%0)\n\t"
		"mov %%r13, 40(%0)\n\t"
		"mov %%r14, 48(%0)\n\t"
		"mov %%r15, 56(%0)\n\t"
		: : "r"(r) : "rax", "memory");
	memset(&s->regs, 0, sizeof(s->regs));
	s->regs.r[UNWIND_RIP] = r[0];
	s->regs.r[UNWIND_RSP] = r[1];
	s->regs.r[UNWIND_RBP] = r[2];
	s->regs.r[UNWIND_RBX] = r[3];
	s->regs.r[UNWIND_R12] = r[4];
	s->regs.r[UNWIND_R13] = r[5];
	s->regs.r[UNWIND_R14] = r[6];
	s->regs.r[UNWIND_R15] = r[7];
	s->regs.valid = BIT(UNWIND_RIP) | BIT(UNWIND_RSP) | BIT(UNWIND_RBP) | BIT(UNWIND_RBX) |
	                BIT(UNWIND_R12) | BIT(UNWIND_R13) | BIT(UNWIND_R14) | BIT(UNWIND_R15);
	copy_stack(s, r[1]);
}

/* Each level does work after its call, so no call becomes a tail call. */
static volatile int sink;
NOINLINE int live_c(struct sample *s, int x) { live_leaf(s); sink = x; return x + 1; }
NOINLINE int live_b(struct sample *s, int x) { int r = live_c(s, x * 3); sink = r; return r + 2; }
NOINLINE int live_a(struct sample *s, int x) { int r = live_b(s, x + 5); sink = r; return r * 2; }
NOINLINE int live_deep(struct sample *s, int depth)
{
	int r = depth > 0 ? live_deep(s, depth - 1) : live_a(s, depth);
	sink = r;
	return r + 1;
}
NOINLINE int live_run(struct sample *s, int depth) { int r = live_deep(s, depth); sink = r; return r; }

static int in_function(uint64_t pc, const char *name, uint64_t bias)
{
	uint64_t v, size;
	return exe_symbol(name, &v, &size) && pc >= v + bias && pc < v + bias + size;
}

static void load_objects(void)
{
	if (nobjects == 0)
		dl_iterate_phdr(add_object, NULL);
}

static void load_exe(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror("/proc/self/exe");
		exit(1);
	}
	exe_size = (size_t)st.st_size;
	exe = mmap(NULL, exe_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (exe == MAP_FAILED) {
		perror("mmap /proc/self/exe");
		exit(1);
	}
}

static struct sample live;

NOINLINE static void test_live(int depth)
{
	uint64_t pcs[128];
	load_objects();
	live_run(&live, depth);
	size_t n = unwind_checked(&live.regs, live.stack, live.size, live_find, NULL, pcs, 128);
	uint64_t bias = exe_bias();
	const char *want[64];
	size_t nwant = 0;
	want[nwant++] = "live_leaf";
	want[nwant++] = "live_c";
	want[nwant++] = "live_b";
	want[nwant++] = "live_a";
	for (int i = 0; i <= depth; i++)
		want[nwant++] = "live_deep";
	want[nwant++] = "live_run";
	want[nwant++] = "test_live";
	want[nwant++] = "main";
	CHECK(n > nwant);
	for (size_t i = 0; i < nwant && i < n; i++) {
		/* return addresses are looked up at pc - 1: a call may end its function */
		uint64_t pc = i ? pcs[i] - 1 : pcs[i];
		if (!in_function(pc, want[i], bias)) {
			CHECK(!"frame in the wanted function");
			fprintf(stderr, "  frame %zu: %#llx is not in %s\n", i, (unsigned long long)pcs[i], want[i]);
		}
	}
	/* below main: libc's start code, then _start, whose return address is undefined: the end */
	CHECK(n >= 2 && in_function(pcs[n - 1] - 1, "_start", bias));
	if (check_failures) {
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  pcs[%zu] = %#llx\n", i, (unsigned long long)pcs[i]);
	}

	/* The same from the executable file's sections (elf_eh_frame), as the symbolizer builds it. */
	struct unwind_table *t = table_from_elf(exe, exe_size);
	CHECK(t != NULL);
	struct object *self = NULL;
	for (int i = 0; i < nobjects; i++)
		if (objects[i].bias == bias && objects[i].table)
			self = &objects[i];
	CHECK(self != NULL);
	if (t && self) {
		CHECK(unwind_table_fdes(t) == unwind_table_fdes(self->table));
		struct unwind_table *mem = self->table;
		uint64_t pcs2[128];
		self->table = t;
		size_t n2 = unwind_checked(&live.regs, live.stack, live.size, live_find, NULL, pcs2, 128);
		self->table = mem;
		CHECK(n2 == n && memcmp(pcs, pcs2, n * sizeof(*pcs)) == 0);
	}
	unwind_table_free(t);

	/* Indexing by scanning .eh_frame finds the FDEs the .eh_frame_hdr lists, and unwinds alike. */
	const Elf64_Shdr *eh = exe_section(".eh_frame"), *hdr = exe_section(".eh_frame_hdr");
	CHECK(eh != NULL);
	if (eh && self) {
		struct unwind_table *scanned = unwind_table_new(NULL, 0, 0, exe + eh->sh_offset, eh->sh_size, eh->sh_addr);
		struct unwind_table *indexed = hdr ? unwind_table_new(exe + hdr->sh_offset, hdr->sh_size, hdr->sh_addr,
		                                                      exe + eh->sh_offset, eh->sh_size, eh->sh_addr) : NULL;
		CHECK(scanned != NULL);
		CHECK(!hdr || (indexed && unwind_table_fdes(scanned) >= unwind_table_fdes(indexed)));
		struct unwind_table *mem = self->table;
		uint64_t pcs2[128];
		self->table = scanned;
		size_t n2 = unwind_checked(&live.regs, live.stack, live.size, live_find, NULL, pcs2, 128);
		self->table = mem;
		CHECK(n2 == n && memcmp(pcs, pcs2, n * sizeof(*pcs)) == 0);
		unwind_table_free(scanned);
		unwind_table_free(indexed);
	}

	/* A short stack copy stops cleanly, inside the chain. */
	size_t n3 = unwind_checked(&live.regs, live.stack, 64, live_find, NULL, pcs, 128);
	CHECK(n3 >= 1 && n3 < n);
}

/* Through a signal frame: the handler's return address is libc's __restore_rt, whose CIE says 'S'
 * and whose rules read the interrupted registers from the ucontext on the stack. */
static struct sample *signal_sample;

static void on_signal(int sig)
{
	live_c(signal_sample, 1);
	sink = sig;     /* no tail call */
}

NOINLINE int signal_chain(int x)
{
	raise(SIGUSR1);
	sink = x;
	return x + 1;
}

NOINLINE static void test_signal(void)
{
	uint64_t pcs[128];
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	load_objects();
	signal_sample = &live;
	signal_chain(7);
	signal(SIGUSR1, SIG_DFL);
	size_t n = unwind_checked(&live.regs, live.stack, live.size, live_find, NULL, pcs, 128);
	uint64_t bias = exe_bias();
	/* The frames of this executable, in order; libc's (raise, __restore_rt) may come between. */
	static const char *const want[] = { "live_leaf", "live_c", "on_signal", "signal_chain", "test_signal", "main", "_start" };
	size_t w = 0, libc_between = 0;
	for (size_t i = 0; i < n && w < sizeof(want) / sizeof(*want); i++) {
		uint64_t pc = i ? pcs[i] - 1 : pcs[i];
		if (in_function(pc, want[w], bias))
			w++;
		else if (w == 3)
			libc_between++;     /* between on_signal and signal_chain: __restore_rt, raise, ... */
	}
	CHECK(w == sizeof(want) / sizeof(*want));
	CHECK(libc_between >= 2);
	if (w != sizeof(want) / sizeof(*want)) {
		fprintf(stderr, "  through a signal frame: matched %zu frames, stopped before %s\n", w,
		        w < sizeof(want) / sizeof(*want) ? want[w] : "-");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  pcs[%zu] = %#llx\n", i, (unsigned long long)pcs[i]);
	}
}

/* In a thread: the chain ends in libc's start_thread/clone3, whose return address is undefined. */
static void *thread_main(void *arg)
{
	live_run(arg, 3);
	sink = 1;
	return NULL;
}

NOINLINE static void test_thread(void)
{
	pthread_t th;
	uint64_t pcs[128];
	load_objects();
	if (pthread_create(&th, NULL, thread_main, &live) != 0) {
		CHECK(!"pthread_create");
		return;
	}
	pthread_join(th, NULL);
	size_t n = unwind_checked(&live.regs, live.stack, live.size, live_find, NULL, pcs, 128);
	uint64_t bias = exe_bias();
	static const char *const want[] = { "live_leaf", "live_c", "live_b", "live_a", "live_deep", "live_deep",
	                                    "live_deep", "live_deep", "live_run", "thread_main" };
	size_t nwant = sizeof(want) / sizeof(*want);
	CHECK(n > nwant && n < 128);
	for (size_t i = 0; i < nwant && i < n; i++)
		if (!in_function(i ? pcs[i] - 1 : pcs[i], want[i], bias)) {
			CHECK(!"thread frame in the wanted function");
			fprintf(stderr, "  thread frame %zu: %#llx is not in %s\n", i, (unsigned long long)pcs[i], want[i]);
		}
	/* the frames after thread_main are libc's (start_thread, then clone3): in libc.so, or in this
	 * executable when it is static */
	const struct unwind_table *t;
	uint64_t b, last = pcs[n - 1] - 1;
	CHECK(n > nwant && live_find(NULL, last, &t, &b) &&
	      (b != bias || in_function(last, "start_thread", bias) || in_function(last, "clone3", bias) ||
	       in_function(last, "__clone3", bias)));
}

NOINLINE static void test_vdso(void)
{
	struct elf_file vdso;
	if (elf_vdso(&vdso) < 0) {
		printf("record_unwind: no vDSO in this process, its test skipped\n");
		return;
	}
	CHECK(vdso.size >= 4096 && vdso.size <= 1 << 20);
	struct unwind_table *t = table_from_elf(vdso.data, vdso.size);
	CHECK(t != NULL && unwind_table_fdes(t) >= 2);   /* clock_gettime, gettimeofday, ... */
	unwind_table_free(t);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* make bench: the cost of unwinding one real sample, the recorder's per-sample work. */
NOINLINE static int bench(long iterations, int depth)
{
	uint64_t pcs[512];
	size_t n = 0;
	load_objects();
	double t0 = now();
	for (int i = 0; i < nobjects; i++)
		unwind_table_free(objects[i].table);
	nobjects = 0;
	load_objects();
	double load = now() - t0;
	live_run(&live, depth);
	t0 = now();
	for (long i = 0; i < iterations; i++)
		n = unwind_stack(&live.regs, live.stack, live.size, live_find, NULL, pcs, 512);
	double per = (now() - t0) / (double)iterations;
	t0 = now();
	for (long i = 0; i < iterations; i++)
		n = unwind_stack_cached(cache, &live.regs, live.stack, live.size, live_find, NULL, pcs, 512);
	double cached = (now() - t0) / (double)iterations;
	printf("unwind, %zu frames/sample: %.2f us/sample (%.0f ns/frame), with the row cache %.2f us/sample "
	       "(%.0f ns/frame); tables of %d objects built in %.2f ms\n", n, per * 1e6, per * 1e9 / (double)n,
	       cached * 1e6, cached * 1e9 / (double)n, nobjects, load * 1e3);
	printf("unwind, %zu frames/sample: at -F 999 that is %.3f%% of one CPU per sampled thread (%.3f%% cached)\n",
	       n, per * 999 * 100, cached * 999 * 100);
	return 0;
}

int main(int argc, char **argv)
{
	load_exe();
	cache = unwind_cache_new();
	if (argc == 4 && strcmp(argv[1], "--bench") == 0)
		return bench(atol(argv[2]), atoi(argv[3]));
	test_perf_regs();
	test_blobs();
	test_dwarf64();
	test_hostile();
	test_live(0);
	test_live(20);
	test_signal();
	test_thread();
	test_vdso();
	for (int i = 0; i < nobjects; i++)
		unwind_table_free(objects[i].table);
	uint64_t hits, misses;
	unwind_cache_stats(cache, &hits, &misses);
	CHECK(hits > 0 && misses > 0);
	unwind_cache_free(cache);
	return check_report("record_unwind");
}
