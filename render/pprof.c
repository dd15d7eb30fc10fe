/* pprof: a protobuf encoder just big enough for profile.proto, over the table of distinct stacks.
 *
 * Field numbers (perftools.profiles): Profile { sample_type = 1, sample = 2, location = 4,
 * function = 5, string_table = 6, default_sample_type = 14 }, ValueType { type = 1, unit = 2 },
 * Sample { location_id = 1 (packed), value = 2 (packed) }, Location { id = 1, line = 4 },
 * Line { function_id = 1 }, Function { id = 1, name = 2 }. (A system_name equal to the name
 * would tell pprof the name still needs demangling: it would shorten C++ names to their bare
 * scope, so there is none: the names are final.) Protobuf lets the
 * top-level fields come in any order, so samples are written while the stacks are walked and the
 * functions, locations and strings they named come after. No mappings or addresses: folded
 * stacks have names only. */
#include "pprof.h"

#include <math.h>
#include <stdlib.h>

#include "deflate.h"
#include "intern.h"
#include "util.h"

enum { WIRE_VARINT = 0, WIRE_BYTES = 2 };

static void pb_varint(struct strbuf *sb, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	sb_add(sb, b, n);
}

static void pb_key(struct strbuf *sb, unsigned field, unsigned wire)
{
	pb_varint(sb, (uint64_t)field << 3 | wire);
}

/* A varint field; zero is the default and left out, as proto3 writers do. */
static void pb_uint(struct strbuf *sb, unsigned field, uint64_t v)
{
	if (!v)
		return;
	pb_key(sb, field, WIRE_VARINT);
	pb_varint(sb, v);
}

static void pb_bytes(struct strbuf *sb, unsigned field, const void *p, size_t n)
{
	pb_key(sb, field, WIRE_BYTES);
	pb_varint(sb, n);
	sb_add(sb, p, n);
}

struct pprof {
	struct interner strings;    /* the string table: id = index */
	struct interner funcs;      /* frame names: id + 1 = function id = location id */
	uint64_t *func_name;        /* by function: index of its name in the string table */
	size_t func_cap;
	uint64_t *ids;              /* location ids of the stack being written, root first */
	size_t ids_cap;
	struct strbuf sub, packed;
	int rounded;
};

static uint64_t string_index(struct pprof *p, const char *s, size_t len)
{
	return intern(&p->strings, s, len, NULL);
}

static uint64_t location_of(struct pprof *p, const char *name, size_t len)
{
	int added;
	uint32_t id = intern(&p->funcs, name, len, &added);
	if (added) {
		GROW(p->func_name, p->func_cap, (size_t)id + 1);
		p->func_name[id] = string_index(p, name, len);
	}
	return (uint64_t)id + 1;
}

static uint64_t value_of(struct pprof *p, double v)
{
	if (!(v >= 0) || v >= 9.2e18)
		die("a count of %g does not fit pprof's 64-bit values", v);
	double r = floor(v + 0.5);
	if (r != v && !p->rounded) {
		warn("pprof values are whole numbers: counts with fractions are rounded");
		p->rounded = 1;
	}
	return (uint64_t)r;
}

static void sample(struct pprof *p, struct strbuf *msg, const struct stack_item *it, int differential)
{
	uint64_t v[2];
	int nv = 0;
	if (differential)
		v[nv++] = value_of(p, it->before);
	v[nv++] = value_of(p, it->count);
	if (!v[0] && !v[nv - 1])
		return;
	size_t n = 0;
	for (size_t i = 0, start = 0; i <= it->len; i++) {
		if (i < it->len && it->stack[i] != ';')
			continue;
		GROW(p->ids, p->ids_cap, n + 1);
		p->ids[n++] = location_of(p, it->stack + start, i - start);
		start = i + 1;
	}
	sb_reset(&p->sub);
	sb_reset(&p->packed);
	for (size_t i = n; i-- > 0;)        /* the leaf first */
		pb_varint(&p->packed, p->ids[i]);
	pb_bytes(&p->sub, 1, p->packed.buf, p->packed.len);
	sb_reset(&p->packed);
	for (int i = 0; i < nv; i++)
		pb_varint(&p->packed, v[i]);
	pb_bytes(&p->sub, 2, p->packed.buf, p->packed.len);
	pb_bytes(msg, 2, p->sub.buf, p->sub.len);
}

static void value_type(struct pprof *p, struct strbuf *msg, const char *type)
{
	sb_reset(&p->sub);
	pb_uint(&p->sub, 1, string_index(p, type, strlen(type)));
	pb_uint(&p->sub, 2, string_index(p, "count", 5));
	pb_bytes(msg, 1, p->sub.buf, p->sub.len);
}

int pprof_encode(struct stack_table *t, const struct stack_options *o, const char *countname, struct strbuf *msg)
{
	if (!(t->total > 0) && !t->differential)
		return -1;
	struct pprof p = { .strings = INTERNER_INIT, .funcs = INTERNER_INIT,
			   .sub = STRBUF_INIT, .packed = STRBUF_INIT };
	string_index(&p, "", 0);            /* string_table[0] must be "" */
	if (t->differential) {
		value_type(&p, msg, "before");
		value_type(&p, msg, "after");
		pb_uint(msg, 14, string_index(&p, "after", 5));
	} else {
		value_type(&p, msg, countname);
	}
	stacks_order(t, o);
	struct stack_iter it;
	struct stack_item item;
	stack_iter_init(&it, t, o);
	while (stack_iter_next(&it, &item))
		sample(&p, msg, &item, t->differential);
	stack_iter_free(&it);
	for (size_t f = 0; f < p.funcs.count; f++) {
		sb_reset(&p.sub);
		pb_uint(&p.sub, 1, f + 1);
		pb_uint(&p.sub, 2, p.func_name[f]);
		pb_bytes(msg, 5, p.sub.buf, p.sub.len);
		/* its location: one line, in it */
		sb_reset(&p.packed);
		pb_uint(&p.packed, 1, f + 1);
		sb_reset(&p.sub);
		pb_uint(&p.sub, 1, f + 1);
		pb_bytes(&p.sub, 4, p.packed.buf, p.packed.len);
		pb_bytes(msg, 4, p.sub.buf, p.sub.len);
	}
	for (size_t s = 0; s < p.strings.count; s++) {
		const struct intern_key *k = intern_get(&p.strings, (uint32_t)s);
		pb_bytes(msg, 6, k->bytes, k->len);
	}
	int empty = p.funcs.count == 0;
	interner_free(&p.strings);
	interner_free(&p.funcs);
	free(p.func_name);
	free(p.ids);
	sb_release(&p.sub);
	sb_release(&p.packed);
	return empty ? -1 : 0;
}

int pprof_write(struct writer *w, struct stack_table *t, const struct stack_options *o, const char *countname)
{
	struct strbuf msg = STRBUF_INIT, gz = STRBUF_INIT;
	if (pprof_encode(t, o, countname, &msg) < 0) {
		warn("ERROR: no stack counts found");
		sb_release(&msg);
		return 2;
	}
	gzip_compress(msg.buf, msg.len, &gz);
	writer_add(w, gz.buf, gz.len);
	sb_release(&msg);
	sb_release(&gz);
	return 0;
}
