/* demangle_rust: Rust symbol names, legacy (_ZN...17h<hash>E) and v0 (_R...), printed the way
 * libiberty prints them for perf (see demangle.h). Both are printed while they are parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"
#include "demangle_impl.h"

/* ======================================================================== */
/* Rust legacy: _ZN <len><ident>... 17h<16 hex> E                            */
/* ======================================================================== */

/* One $..$ escape at s (n bytes left): the character, or 0 if it is not one; *len its length.
 * rustc writes one for each character outside [A-Za-z0-9_.$]: the named ones, else $u<hex>$.
 * $u<hex>$ decodes to printable ASCII only, as libiberty (so perf) does: rustc-demangle also
 * decodes other characters, to UTF-8, but rustc escapes those only inside identifiers, which
 * libiberty then prints as they are (from that escape on), and so does this. */
static char legacy_escape(const char *s, size_t n, size_t *len)
{
	static const struct {
		char code[3];
		char ch;
	} esc[] = {
		{ "SP", '@' }, { "BP", '*' }, { "RF", '&' }, { "LT", '<' }, { "GT", '>' },
		{ "LP", '(' }, { "RP", ')' },
	};
	char ch = 0;
	size_t el = 0;
	if (n < 3 || s[0] != '$')
		return 0;
	s++;
	n--;
	if (s[0] == 'C') {
		el = 1;
		ch = ',';
	} else if (n > 2) {
		el = 2;
		for (size_t k = 0; k < sizeof esc / sizeof esc[0]; k++)
			if (s[0] == esc[k].code[0] && s[1] == esc[k].code[1])
				ch = esc[k].ch;
		if (!ch && s[0] == 'u' && n > 3) {
			int hi = lower_hex_value(s[1]), lo = lower_hex_value(s[2]);
			el = 3;
			if (hi < 0 || lo < 0 || hi > 7 || (hi << 4 | lo) < 0x20)
				return 0;
			ch = (char)(hi << 4 | lo);
		}
	}
	if (!ch || n <= el || s[el] != '$')
		return 0;
	*len = el + 2;
	return ch;
}

size_t demangle_rust_legacy_unescape(const char *s, size_t n, char *out)
{
	char *o = out;
	if (n >= 2 && s[0] == '_' && s[1] == '$') {
		s++;
		n--;
	}
	while (n > 0) {
		size_t len;
		if (s[0] == '$') {
			char ch = legacy_escape(s, n, &len);
			if (!ch)
				break; /* the rest as it is */
			*o++ = ch;
		} else if (s[0] == '.') {
			len = n >= 2 && s[1] == '.' ? 2 : 1;
			if (len == 2) { /* ".." is "::" */
				*o++ = ':';
				*o++ = ':';
			} else {
				*o++ = '.';
			}
		} else {
			for (len = 0; len < n && s[len] != '$' && s[len] != '.'; len++)
				;
			memcpy(o, s, len);
			o += len;
		}
		s += len;
		n -= len;
	}
	memcpy(o, s, n);
	return (size_t)(o - out) + n;
}

int demangle_rust_legacy_hash(const char *s, size_t n)
{
	if (n != 17 || s[0] != 'h')
		return 0;
	unsigned seen = 0;
	for (size_t i = 1; i < n; i++) {
		int h = lower_hex_value(s[i]);
		if (h < 0)
			return 0;
		seen |= 1u << h;
	}
	int distinct = 0;
	for (; seen; seen &= seen - 1)
		distinct++;
	return distinct >= 5; /* fewer is more likely a C++ name that looks like a hash */
}

/* One identifier, decoded, after what o holds. */
static void legacy_ident(struct out *o, const char *s, size_t n)
{
	char *p = out_space(o, n);
	if (!p)
		return;
	size_t len = demangle_rust_legacy_unescape(s, n, p);
	if (len) {
		o->len += len;
		o->last = o->buf[o->len - 1];
		o->buf[o->len] = '\0';
	}
}

/* Returns NULL when sym is not a legacy Rust symbol (it may still be C++). */
char *demangle_rust_legacy(const char *sym, size_t len)
{
	const char *p = sym + 3, *end = sym + len;
	for (const char *q = p; q < end; q++)
		if (!is_alnum(*q) && *q != '_' && *q != '$' && *q != '.' && *q != ':' && *q != '@')
			return NULL;
	/* The path ends at an E that is the last character or comes right before a '.'
	 * suffix (.llvm.1234). */
	int dot = 1;
	while (end > p && !(dot && end[-1] == 'E')) {
		dot = end[-1] == '.';
		end--;
	}
	if (end == p)
		return NULL;
	end--;
	if (end - p < 20 || memcmp(end - 19, "17h", 3))
		return NULL;
	const char *last = NULL;
	size_t last_len = 0;
	for (const char *q = p; q < end;) {
		size_t n = 0;
		if (!is_digit(*q) || *q == '0')
			return NULL;
		while (q < end && is_digit(*q)) {
			n = n * 10 + (size_t)(*q++ - '0');
			if (n > len)
				return NULL;
		}
		if (n > (size_t)(end - q))
			return NULL;
		last = q;
		last_len = n;
		q += n;
	}
	if (!last || !demangle_rust_legacy_hash(last, last_len))
		return NULL;
	struct out o = { 0 };
	end -= 19; /* the hash is not printed */
	for (const char *q = p; q < end;) {
		size_t n = 0;
		if (q != p)
			out_s(&o, "::");
		while (is_digit(*q))
			n = n * 10 + (size_t)(*q++ - '0');
		legacy_ident(&o, q, n);
		q += n;
	}
	return out_finish(&o, 1);
}

/* ======================================================================== */
/* Rust v0: _R [<decimal>] <path> [<instantiating-crate>] [.suffix]          */
/* ======================================================================== */

struct rust {
	const char *s;   /* after _R */
	size_t len, pos;
	int fail, depth;
	uint32_t bound_lifetimes;
	struct out o;
	int print;       /* 0 while skipping (the instantiating crate) */
};

static void r_fail(struct rust *r) { r->fail = 1; }
static char r_peek(const struct rust *r) { return r->pos < r->len ? r->s[r->pos] : '\0'; }

static int r_eat(struct rust *r, char ch)
{
	if (r_peek(r) == ch) {
		r->pos++;
		return 1;
	}
	return 0;
}

static char r_next(struct rust *r)
{
	if (r->pos >= r->len) {
		r_fail(r);
		return '\0';
	}
	return r->s[r->pos++];
}

static void r_out(struct rust *r, const char *s, size_t n)
{
	if (r->print && !r->fail)
		out_add(&r->o, s, n);
}

static void r_str(struct rust *r, const char *s) { r_out(r, s, strlen(s)); }

static void r_u64(struct rust *r, uint64_t v)
{
	if (r->print && !r->fail)
		out_u(&r->o, v);
}

/* <base-62-number> = {<0-9a-zA-Z>} "_" ; "_" is 0, otherwise the value plus one */
static uint64_t r_base62(struct rust *r)
{
	if (r_eat(r, '_'))
		return 0;
	uint64_t v = 0;
	for (;;) {
		char ch = r_next(r);
		if (r->fail)
			return 0;
		if (ch == '_')
			break;
		unsigned d;
		if (is_digit(ch))
			d = (unsigned)(ch - '0');
		else if (is_lower(ch))
			d = 10u + (unsigned)(ch - 'a');
		else if (is_upper(ch))
			d = 36u + (unsigned)(ch - 'A');
		else {
			r_fail(r);
			return 0;
		}
		/* wraps on overflow, as libiberty's does: only hashes get this long, and
		 * backrefs and lifetimes are range-checked where they are used */
		v = v * 62 + d;
		if (r->pos > r->len)
			break;
	}
	return v + 1;
}

static uint64_t r_opt_base62(struct rust *r, char tag)
{
	if (!r_eat(r, tag))
		return 0;
	uint64_t v = r_base62(r);
	return r->fail ? 0 : v + 1;
}

static uint64_t r_decimal(struct rust *r)
{
	if (!is_digit(r_peek(r))) {
		r_fail(r);
		return 0;
	}
	if (r_peek(r) == '0') {
		r->pos++;
		return 0;
	}
	uint64_t v = 0;
	while (is_digit(r_peek(r))) {
		v = v * 10 + (uint64_t)(r->s[r->pos++] - '0');
		if (v > 1000000000)
			r_fail(r);
		if (r->fail)
			return 0;
	}
	return v;
}

struct ident {
	const char *s;
	size_t n;
};

static struct ident r_ident(struct rust *r)
{
	struct ident id = { "", 0 };
	int puny = r_eat(r, 'u');
	uint64_t n = r_decimal(r);
	r_eat(r, '_');
	if (r->fail || n > r->len - r->pos) {
		r_fail(r);
		return id;
	}
	if (puny)
		r_fail(r); /* punycode identifiers are not decoded */
	id.s = r->s + r->pos;
	id.n = (size_t)n;
	r->pos += (size_t)n;
	return id;
}

static void r_path(struct rust *r, int in_value);
static void r_type(struct rust *r);
static void r_const(struct rust *r);

static int r_enter(struct rust *r)
{
	if (r->fail || ++r->depth > MAX_DEPTH || r->o.fail) {
		r->fail = 1;
		return 0;
	}
	return 1;
}

/* B <base-62-number>: run f at an earlier position, then come back */
static int r_backref(struct rust *r, void (*f)(struct rust *, int), int arg)
{
	size_t start = r->pos - 1;
	uint64_t to = r_base62(r);
	if (!r->print)
		return 1; /* the instantiating crate is skipped, not followed (libiberty) */
	if (r->fail || to >= start) {
		r_fail(r);
		return 0;
	}
	size_t back = r->pos;
	r->pos = (size_t)to;
	f(r, arg);
	r->pos = back;
	return 1;
}

static void r_lifetime(struct rust *r, uint64_t lt)
{
	if (lt == 0) {
		r_str(r, "'_");
		return;
	}
	if (lt > r->bound_lifetimes) {
		r_fail(r);
		return;
	}
	uint64_t depth = r->bound_lifetimes - lt;
	if (depth < 26) {
		char t[2] = { '\'', (char)('a' + depth) };
		r_out(r, t, 2);
	} else {
		r_str(r, "'_");
		r_u64(r, depth);
	}
}

/* G <base-62-number>: for<'a, 'b> */
static uint64_t r_binder(struct rust *r)
{
	uint64_t n = r_opt_base62(r, 'G');
	if (r->fail || n > 1000) {
		r_fail(r);
		return 0;
	}
	if (n) {
		r_str(r, "for<");
		for (uint64_t i = 0; i < n; i++) {
			if (i)
				r_str(r, ", ");
			r->bound_lifetimes++;
			r_lifetime(r, 1);
		}
		r_str(r, "> ");
	}
	return n;
}

static void r_generic_arg(struct rust *r)
{
	if (r_eat(r, 'L')) {
		r_lifetime(r, r_base62(r));
	} else if (r_eat(r, 'K')) {
		r_const(r);
	} else {
		r_type(r);
	}
}

static void r_generic_args(struct rust *r)
{
	for (int i = 0; !r->fail && !r_eat(r, 'E'); i++) {
		if (r->pos >= r->len) {
			r_fail(r);
			return;
		}
		if (i)
			r_str(r, ", ");
		r_generic_arg(r);
	}
}

static void r_path_fn(struct rust *r, int in_value) { r_path(r, in_value); }

static void r_path(struct rust *r, int in_value)
{
	if (!r_enter(r))
		return;
	char tag = r_next(r);
	switch (tag) {
	case 'C': {
		r_opt_base62(r, 's');
		struct ident id = r_ident(r);
		r_out(r, id.s, id.n);
		break;
	}
	case 'M':
	case 'X':
		r_opt_base62(r, 's');
		{
			/* the impl path itself is not printed */
			int saved = r->print;
			r->print = 0;
			r_path(r, 0);
			r->print = saved;
		}
		/* fallthrough */
	case 'Y':
		r_str(r, "<");
		r_type(r);
		if (tag != 'M') {
			r_str(r, " as ");
			r_path(r, 0);
		}
		r_str(r, ">");
		break;
	case 'N': {
		char ns = r_next(r);
		if (!is_alpha(ns)) {
			r_fail(r);
			break;
		}
		r_path(r, in_value);
		uint64_t dis = r_opt_base62(r, 's');
		struct ident id = r_ident(r);
		if (is_upper(ns)) {
			r_str(r, "::{");
			if (ns == 'C')
				r_str(r, "closure");
			else if (ns == 'S')
				r_str(r, "shim");
			else
				r_out(r, &ns, 1);
			if (id.n) {
				r_str(r, ":");
				r_out(r, id.s, id.n);
			}
			r_str(r, "#");
			r_u64(r, dis);
			r_str(r, "}");
		} else if (id.n) {
			r_str(r, "::");
			r_out(r, id.s, id.n);
		}
		break;
	}
	case 'I':
		r_path(r, in_value);
		r_str(r, in_value ? "::<" : "<");
		r_generic_args(r);
		r_str(r, ">");
		break;
	case 'B':
		r_backref(r, r_path_fn, in_value);
		break;
	default:
		r_fail(r);
	}
	r->depth--;
}

static const char *r_basic(char ch)
{
	switch (ch) {
	case 'a': return "i8";
	case 'b': return "bool";
	case 'c': return "char";
	case 'd': return "f64";
	case 'e': return "str";
	case 'f': return "f32";
	case 'h': return "u8";
	case 'i': return "isize";
	case 'j': return "usize";
	case 'l': return "i32";
	case 'm': return "u32";
	case 'n': return "i128";
	case 'o': return "u128";
	case 's': return "i16";
	case 't': return "u16";
	case 'u': return "()";
	case 'v': return "...";
	case 'x': return "i64";
	case 'y': return "u64";
	case 'z': return "!";
	case 'p': return "_";
	}
	return NULL;
}

static void r_type_fn(struct rust *r, int unused)
{
	(void)unused;
	r_type(r);
}

static void r_dyn_trait(struct rust *r)
{
	/* <path> {p <ident> <type>}: the path's generic args stay open for the bindings */
	size_t start = r->o.len;
	r_path(r, 0);
	int open = 0;
	while (!r->fail && r_eat(r, 'p')) {
		if (!open) {
			if (r->print && r->o.len > start && out_last(&r->o) == '>') {
				r->o.len--; /* reopen Trait<A> as Trait<A, Item = T> */
				r_str(r, ", ");
			} else {
				r_str(r, "<");
			}
			open = 1;
		} else {
			r_str(r, ", ");
		}
		struct ident id = r_ident(r);
		r_out(r, id.s, id.n);
		r_str(r, " = ");
		r_type(r);
	}
	if (open)
		r_str(r, ">");
}

static void r_type(struct rust *r)
{
	if (!r_enter(r))
		return;
	char ch = r_next(r);
	const char *basic = r_basic(ch);
	if (basic) {
		r_str(r, basic);
		r->depth--;
		return;
	}
	switch (ch) {
	case 'R':
	case 'Q':
		r_str(r, "&");
		if (r_eat(r, 'L')) {
			uint64_t lt = r_base62(r);
			if (lt) {
				r_lifetime(r, lt);
				r_str(r, " ");
			}
		}
		if (ch == 'Q')
			r_str(r, "mut ");
		r_type(r);
		break;
	case 'P':
		r_str(r, "*const ");
		r_type(r);
		break;
	case 'O':
		r_str(r, "*mut ");
		r_type(r);
		break;
	case 'A':
	case 'S':
		r_str(r, "[");
		r_type(r);
		if (ch == 'A') {
			r_str(r, "; ");
			r_const(r);
		}
		r_str(r, "]");
		break;
	case 'T': {
		r_str(r, "(");
		int n = 0;
		for (; !r->fail && !r_eat(r, 'E'); n++) {
			if (r->pos >= r->len)
				r_fail(r);
			if (n)
				r_str(r, ", ");
			r_type(r);
		}
		if (n == 1)
			r_str(r, ",");
		r_str(r, ")");
		break;
	}
	case 'F': {
		uint32_t saved = r->bound_lifetimes;
		r_binder(r);
		if (r_eat(r, 'U'))
			r_str(r, "unsafe ");
		if (r_eat(r, 'K')) {
			r_str(r, "extern \"");
			if (r_eat(r, 'C')) {
				r_str(r, "C");
			} else {
				struct ident id = r_ident(r);
				for (size_t i = 0; i < id.n; i++)
					r_out(r, id.s[i] == '_' ? "-" : &id.s[i], 1);
			}
			r_str(r, "\" ");
		}
		r_str(r, "fn(");
		for (int n = 0; !r->fail && !r_eat(r, 'E'); n++) {
			if (r->pos >= r->len)
				r_fail(r);
			if (n)
				r_str(r, ", ");
			r_type(r);
		}
		r_str(r, ")");
		if (r_eat(r, 'u')) {
			/* returns () : printed as nothing */
		} else {
			r_str(r, " -> ");
			r_type(r);
		}
		r->bound_lifetimes = saved;
		break;
	}
	case 'D': {
		uint32_t saved = r->bound_lifetimes;
		r_str(r, "dyn ");
		r_binder(r);
		for (int n = 0; !r->fail && !r_eat(r, 'E'); n++) {
			if (r->pos >= r->len)
				r_fail(r);
			if (n)
				r_str(r, " + ");
			r_dyn_trait(r);
		}
		if (!r_eat(r, 'L'))
			r_fail(r);
		uint64_t lt = r_base62(r);
		if (lt) {
			r_str(r, " + ");
			r_lifetime(r, lt);
		}
		r->bound_lifetimes = saved;
		break;
	}
	case 'B':
		r_backref(r, r_type_fn, 0);
		break;
	default:
		r->pos--;
		r_path(r, 0);
	}
	r->depth--;
}

static void r_const_fn(struct rust *r, int unused)
{
	(void)unused;
	r_const(r);
}

static void r_const(struct rust *r)
{
	if (!r_enter(r))
		return;
	if (r_eat(r, 'B')) {
		r_backref(r, r_const_fn, 0);
		r->depth--;
		return;
	}
	if (r_eat(r, 'p')) {
		r_str(r, "_");
		r->depth--;
		return;
	}
	char ty = r_next(r);
	int neg = 0;
	switch (ty) {
	case 'a': case 's': case 'l': case 'x': case 'n': case 'i':
		neg = r_eat(r, 'n');
		/* fallthrough */
	case 'h': case 't': case 'm': case 'y': case 'o': case 'j':
	case 'b': case 'c': {
		const char *digits = r->s + r->pos;
		size_t nd = 0;
		uint64_t v = 0;
		int overflow = 0;
		for (;;) {
			char ch = r_next(r);
			if (r->fail)
				break;
			if (ch == '_')
				break;
			int h = lower_hex_value(ch);
			if (h < 0) {
				r_fail(r);
				break;
			}
			if (v >> 60)
				overflow = 1;
			v = v * 16 + (uint64_t)h;
			nd++;
		}
		if (!nd)
			r_fail(r);
		if (r->fail)
			break;
		if (ty == 'b') {
			if (v > 1 || nd == 0 || overflow)
				r_fail(r);
			else
				r_str(r, v ? "true" : "false");
		} else if (ty == 'c') {
			if (overflow || v > 0x10ffff) {
				r_fail(r);
				break;
			}
			r_str(r, "'");
			if (v == '\t')
				r_str(r, "\\t");
			else if (v == '\r')
				r_str(r, "\\r");
			else if (v == '\n')
				r_str(r, "\\n");
			else if (v >= 0x20 && v < 0x7f) {
				/* as libiberty: ' and \ are not escaped */
				char t = (char)v;
				r_out(r, &t, 1);
			} else {
				/* \u{hex} as Rust's escape_debug */
				static const char hex[] = "0123456789abcdef";
				char t[16];
				int i = 0;
				for (int sh = 20; sh >= 0; sh -= 4)
					if ((v >> sh) || sh == 0) {
						if (!i && !(v >> sh))
							continue;
						t[i++] = hex[(v >> sh) & 15];
					}
				if (!i)
					t[i++] = '0';
				r_str(r, "\\u{");
				r_out(r, t, (size_t)i);
				r_str(r, "}");
			}
			r_str(r, "'");
		} else if (overflow) {
			/* wider than 64 bits: hex, as rustc-demangle prints it (libiberty garbles
			 * these) */
			if (neg)
				r_str(r, "-");
			r_str(r, "0x");
			r_out(r, digits, nd);
		} else {
			if (neg)
				r_str(r, "-");
			r_u64(r, v);
		}
		break;
	}
	default:
		r_fail(r);
	}
	r->depth--;
}

char *demangle_rust_v0(const char *sym, size_t len)
{
	struct rust r;
	memset(&r, 0, sizeof r);
	r.s = sym + 2;
	r.len = len - 2;
	/* a vendor suffix starts at the first '.' */
	for (size_t i = 0; i < r.len; i++) {
		char ch = r.s[i];
		if (ch == '.') {
			r.len = i;
			break;
		}
		if (!is_alnum(ch) && ch != '_')
			return NULL;
	}
	if (is_digit(r_peek(&r))) {
		/* an encoding version; only 0 would be one, and it is not in use */
		return NULL;
	}
	if (!is_upper(r_peek(&r)))
		return NULL;
	r.print = 1;
	r_path(&r, 1);
	if (!r.fail && r.pos < r.len) {
		/* the instantiating crate: parsed, not printed */
		r.print = 0;
		r_path(&r, 0);
	}
	if (r.pos != r.len)
		r.fail = 1;
	return out_finish(&r.o, !r.fail);
}
