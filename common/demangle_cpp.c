/* demangle_cpp: Itanium C++ symbol names (_Z...), printed the way libiberty prints them for perf
 * (see demangle.h for what is covered and why).
 *
 * C++ is parsed into a small tree first, because substitutions (S_) and template parameters (T_)
 * re-use earlier parts, and C declarator syntax needs the structure: a pointer to a function
 * prints around the pointee ("void (*)(int)"). Types print in two halves, left and right of
 * where a declarator name would go. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "demangle.h"
#include "demangle_impl.h"

/* ======================================================================== */
/* Itanium C++                                                               */
/* ======================================================================== */

enum kind {
	K_NAME,      /* s,n: an identifier */
	K_TEXT,      /* s,n: fixed text (std, a builtin type; num: literal style) */
	K_STD,       /* s: spelling, s2: last component (for constructors) */
	K_QUAL,      /* a::b */
	K_TEMPLATE,  /* a<b>, b a K_ARGS */
	K_ARGS,      /* template args: a the first K_LIST cell */
	K_LIST,      /* a: item, b: next cell */
	K_OPERATOR,  /* operator s */
	K_CONV,      /* operator a (conversion) */
	K_CTOR,      /* a */
	K_DTOR,      /* ~a */
	K_ABI_TAG,   /* a[abi:s] */
	K_LOCAL,     /* a::b */
	K_LAMBDA,    /* {lambda(a)#num} */
	K_UNNAMED,   /* {unnamed type#num} */
	K_BINDING,   /* [a] */
	K_SPECIAL,   /* s a */
	K_CTOR_VT,   /* construction vtable for a-in-b */
	K_ENCODING,  /* function: name a, type b (K_FUNC) */
	K_CLONE,     /* a [clone s] */
	K_QUALTYPE,  /* a const volatile restrict (quals) */
	K_PTR, K_LREF, K_RREF, /* a*, a&, a&& */
	K_FUNC,      /* return a (or NULL), params b (K_LIST), quals, num: ref-qualifier */
	K_ARRAY,     /* a [b] (b an expression, or s,n a number) */
	K_PTRMEM,    /* member b of class a */
	K_POSTFIX,   /* a s (a _Complex), a __vector(b) when b is set, a s,n when num is 1 */
	K_PACKEXP,   /* expansion of pattern a */
	K_ARGPACK,   /* a: K_LIST */
	K_TPARAM,    /* template parameter num, looked up when printed (see resolve) */
	K_DECLTYPE,  /* decltype (a) */
	K_LITERAL,   /* type a, value s,n, negative num */
	K_FPARAM,    /* {parm#num} */
	K_UNARY,     /* s a */
	K_BINARY,    /* a s b */
	K_TRINARY,   /* a ? b : c */
	K_CAST,      /* (a)(b) */
	K_NAMEDCAST, /* s<a> (b) */
	K_CALL,      /* a(b) */
	K_TYPEOP,    /* s (a), e.g. sizeof (int); also an exception spec (a, b, c: see there) */
	K_SIZEOFPACK, /* sizeof...(a) */
	K_INITLIST,  /* a{b}, or {b} without a type */
	K_NEW        /* s a, s a(b): s is "new" or "::new" */
};

/* CV-qualifiers are kept in the order they were mangled, two bits each, the last one in the
 * low bits: libiberty prints them last first ("VKi" is "int const volatile"). */
enum { Q_RESTRICT = 1, Q_VOLATILE = 2, Q_CONST = 3 };

static unsigned qmask(unsigned q)
{
	unsigned m = 0;
	for (; q; q >>= 2)
		m |= 1u << (q & 3);
	return m;
}

/* How a literal of a builtin type prints: 5, 5u, 5l, true, (char)65 ... */
enum { LIT_CAST, LIT_INT, LIT_UNSIGNED, LIT_LONG, LIT_ULONG, LIT_LLONG, LIT_ULLONG, LIT_BOOL,
	LIT_FLOAT, LIT_VOID };

struct node {
	unsigned char kind;
	unsigned quals;
	int num;
	const char *s, *s2;
	size_t n;
	struct node *a, *b, *c;
};

#define BLOCK_NODES 128
struct block {
	struct block *next;
	struct node nodes[BLOCK_NODES];
};

struct cpp {
	const char *p, *end;
	struct block *blocks;
	int block_used;
	size_t nodes, max_nodes;
	struct node **subs;
	size_t nsubs, capsubs;
	int depth, fail;
	unsigned nq;             /* CV-qualifiers of the last nested name (member function) */
	struct node *last_name;  /* the last source name outside template args: what a
	                          * constructor or destructor is called (as libiberty has it) */
	int in_conv;             /* parsing a conversion operator's type */
	int old_sr;              /* read "sr <digit>" the old way (<type> <name>): a second try */
	int no_params;           /* DEMANGLE_NO_PARAMS: the top-level name only */
	int top;                 /* the next encoding parsed is the symbol's own */
	int new_sr_seen;         /* the new way was used, so a second try may differ */
	int nref;                /* its ref-qualifier: 1 &, 2 && */
	/* printing */
	struct out o;
	long steps;
	int pdepth;
	int pack_index;          /* element of the pack being expanded, or -1 */
	int lambda_arg;          /* printing a lambda's parameters: T_ is auto:N */
	struct node *cur_tmpl;   /* K_ARGS of the template whose name is being printed */
	struct node *ptmpl;      /* K_ARGS of the function template being printed, for T_ */
};

static struct node *mk(struct cpp *c, int kind)
{
	if (c->fail || c->nodes >= c->max_nodes) {
		c->fail = 1;
		return NULL;
	}
	if (!c->blocks || c->block_used == BLOCK_NODES) {
		struct block *b = malloc(sizeof *b);
		if (!b) {
			c->fail = 1;
			return NULL;
		}
		b->next = c->blocks;
		c->blocks = b;
		c->block_used = 0;
	}
	struct node *n = &c->blocks->nodes[c->block_used++];
	c->nodes++;
	memset(n, 0, sizeof *n);
	n->kind = (unsigned char)kind;
	return n;
}

static struct node *mk2(struct cpp *c, int kind, struct node *a, struct node *b)
{
	struct node *n = mk(c, kind);
	if (n) {
		n->a = a;
		n->b = b;
	}
	return n;
}

static struct node *mktext(struct cpp *c, const char *s, int lit)
{
	struct node *n = mk(c, K_TEXT);
	if (n) {
		n->s = s;
		n->n = strlen(s);
		n->num = lit;
	}
	return n;
}

static void fail(struct cpp *c) { c->fail = 1; }

static unsigned add_qual(struct cpp *c, unsigned q, char ch)
{
	if (q >> 14) {
		c->fail = 1; /* more qualifiers than anything real has */
		return q;
	}
	return q << 2 | (ch == 'r' ? Q_RESTRICT : ch == 'V' ? Q_VOLATILE : Q_CONST);
}
static char pk(const struct cpp *c) { return c->p < c->end ? *c->p : '\0'; }
static char pk1(const struct cpp *c) { return c->p + 1 < c->end ? c->p[1] : '\0'; }

static int eat(struct cpp *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

static int eat2(struct cpp *c, const char *two)
{
	if (pk(c) == two[0] && pk1(c) == two[1]) {
		c->p += 2;
		return 1;
	}
	return 0;
}

static void add_sub(struct cpp *c, struct node *n)
{
	if (!n || c->fail)
		return;
	if (c->nsubs == c->capsubs) {
		size_t cap = c->capsubs ? c->capsubs * 2 : 32;
		struct node **s = realloc(c->subs, cap * sizeof *s);
		if (!s) {
			fail(c);
			return;
		}
		c->subs = s;
		c->capsubs = cap;
	}
	c->subs[c->nsubs++] = n;
}

/* Append item to the list whose last cell is *tail (or start it at *head). */
static void append(struct cpp *c, struct node **head, struct node **tail, struct node *item)
{
	struct node *cell = mk2(c, K_LIST, item, NULL);
	if (!cell)
		return;
	if (*tail)
		(*tail)->b = cell;
	else
		*head = cell;
	*tail = cell;
}

/* <number> ::= [n] <decimal>; returns -1 on error (and sets *neg for a leading n). */
static long parse_number(struct cpp *c, int *neg)
{
	int n = eat(c, 'n');
	if (neg)
		*neg = n;
	else if (n)
		return -1;
	if (!is_digit(pk(c)))
		return -1;
	long v = 0;
	while (is_digit(pk(c))) {
		v = v * 10 + (*c->p++ - '0');
		if (v > 100000000L)
			return -1;
	}
	return v;
}

/* <seq-id> _ in base 36, with an empty seq-id meaning 0 and "0_" meaning 1. */
static long parse_seq(struct cpp *c)
{
	if (eat(c, '_'))
		return 0;
	long v = 0;
	while (is_digit(pk(c)) || is_upper(pk(c))) {
		char ch = *c->p++;
		v = v * 36 + (is_digit(ch) ? ch - '0' : ch - 'A' + 10);
		if (v > 100000000L)
			return -1;
	}
	if (!eat(c, '_'))
		return -1;
	return v + 1;
}

/* [<number>] _ with an empty number meaning 0 and "0_" meaning 1 */
static long parse_index(struct cpp *c)
{
	if (eat(c, '_'))
		return 0;
	long v = parse_number(c, NULL);
	if (v < 0 || !eat(c, '_'))
		return -1;
	return v + 1;
}

static struct node *parse_type(struct cpp *c);
static struct node *parse_encoding(struct cpp *c);
static struct node *parse_name(struct cpp *c);
static struct node *parse_expr(struct cpp *c);
static struct node *parse_template_args(struct cpp *c);
static struct node *parse_unqualified(struct cpp *c, struct node *scope);

static int enter(struct cpp *c)
{
	if (c->fail || ++c->depth > MAX_DEPTH) {
		c->fail = 1;
		return 0;
	}
	return 1;
}

static struct node *leave(struct cpp *c, struct node *n)
{
	c->depth--;
	return c->fail ? NULL : n;
}

static struct node *parse_source_name(struct cpp *c)
{
	long len = parse_number(c, NULL);
	if (len <= 0 || len > c->end - c->p) {
		fail(c);
		return NULL;
	}
	struct node *n = mk(c, K_NAME);
	if (n) {
		n->s = c->p;
		n->n = (size_t)len;
	}
	c->p += len;
	c->last_name = n;
	return n;
}

struct op {
	char code[3];
	unsigned char arity;
	const char *name;
};

/* Operator codes: OP(code, arity, spelling). */
#define OP(code, arity, name) { code, arity, name }
static const struct op ops[] = {
	OP("aN", 2, "&="), OP("aS", 2, "="), OP("aa", 2, "&&"), OP("ad", 1, "&"),
	OP("an", 2, "&"), OP("at", 1, "alignof "), OP("aw", 1, "co_await "), OP("az", 1, "alignof "),
	OP("cc", 2, "const_cast"), OP("cl", 2, "()"), OP("cm", 2, ","), OP("co", 1, "~"),
	OP("dV", 2, "/="), OP("da", 1, "delete[] "), OP("dc", 2, "dynamic_cast"), OP("de", 1, "*"),
	OP("dl", 1, "delete "), OP("ds", 2, ".*"), OP("dt", 2, "."), OP("dv", 2, "/"),
	OP("eO", 2, "^="), OP("gs", 1, "::"), OP("sP", 1, "sizeof..."), OP("sZ", 1, "sizeof..."), OP("eo", 2, "^"), OP("eq", 2, "=="), OP("ge", 2, ">="),
	OP("gt", 2, ">"), OP("ix", 2, "[]"), OP("lS", 2, "<<="), OP("le", 2, "<="),
	OP("ls", 2, "<<"), OP("lt", 2, "<"), OP("mI", 2, "-="), OP("mL", 2, "*="),
	OP("mi", 2, "-"), OP("ml", 2, "*"), OP("mm", 1, "--"), OP("na", 3, "new[]"),
	OP("ne", 2, "!="), OP("ng", 1, "-"), OP("nt", 1, "!"), OP("nw", 3, "new"),
	OP("oR", 2, "|="), OP("oo", 2, "||"), OP("or", 2, "|"), OP("pL", 2, "+="),
	OP("pl", 2, "+"), OP("pm", 2, "->*"), OP("pp", 1, "++"), OP("ps", 1, "+"),
	OP("pt", 2, "->"), OP("qu", 3, "?"), OP("rM", 2, "%="), OP("rS", 2, ">>="),
	OP("rc", 2, "reinterpret_cast"), OP("rm", 2, "%"), OP("rs", 2, ">>"),
	OP("sc", 2, "static_cast"), OP("ss", 2, "<=>"), OP("st", 1, "sizeof "),
	OP("sz", 1, "sizeof "), OP("te", 1, "typeid "), OP("ti", 1, "typeid "),
};

static const struct op *find_op(char a, char b)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].code[0] == a && ops[i].code[1] == b)
			return &ops[i];
	return NULL;
}

/* The name an operator prints as after "operator": libiberty drops the trailing space of
 * "delete " but keeps the one of "sizeof ". */
static struct node *parse_operator_name(struct cpp *c)
{
	char a = pk(c), b = pk1(c);
	if (a == 'c' && b == 'v') {
		c->p += 2;
		c->in_conv++;
		struct node *t = parse_type(c);
		c->in_conv--;
		return mk2(c, K_CONV, t, NULL);
	}
	if (a == 'l' && b == 'i') {
		c->p += 2;
		struct node *id = parse_source_name(c);
		struct node *n = mk2(c, K_OPERATOR, id, NULL);
		if (n)
			n->s = "\"\" ";
		return n;
	}
	if (a == 'v' && is_digit(b)) {
		c->p += 2;
		struct node *id = parse_source_name(c);
		struct node *n = mk2(c, K_OPERATOR, id, NULL);
		if (n)
			n->s = " ";
		return n;
	}
	const struct op *op = find_op(a, b);
	if (!op || (a == 't' && (b == 'e' || b == 'i'))) {
		fail(c);
		return NULL;
	}
	c->p += 2;
	struct node *n = mk(c, K_OPERATOR);
	if (n)
		n->s = op->name;
	return n;
}

/* The last unqualified name of a scope: what a constructor or destructor is called. */
static struct node *base_name(struct cpp *c, struct node *n)
{
	int guard = 0;
	while (n && guard++ < MAX_DEPTH) {
		switch (n->kind) {
		case K_NAME:
			return n;
		case K_STD: {
			struct node *b = mk(c, K_NAME);
			if (b) {
				b->s = n->s2;
				b->n = strlen(n->s2);
			}
			return b;
		}
		case K_QUAL:
		case K_LOCAL:
			n = n->b;
			break;
		case K_TEMPLATE:
		case K_ABI_TAG:
			n = n->a;
			break;
		case K_TPARAM:
			/* rare; libiberty prints the argument itself */
			return n;
		default:
			return n;
		}
	}
	fail(c);
	return NULL;
}

static struct node *parse_abi_tags(struct cpp *c, struct node *n)
{
	while (!c->fail && pk(c) == 'B') {
		c->p++;
		struct node *last_name = c->last_name;
		struct node *tag = parse_source_name(c);
		c->last_name = last_name;
		struct node *t = mk2(c, K_ABI_TAG, n, NULL);
		if (!t || !tag)
			return NULL;
		t->s = tag->s;
		t->n = tag->n;
		n = t;
	}
	return n;
}

/* Skip a discriminator: _ [<digit>] or __ <number> _ (libiberty takes a lone _ too) */
static void skip_discriminator(struct cpp *c)
{
	if (!eat(c, '_'))
		return;
	int two = eat(c, '_');
	long n = 0;
	while (is_digit(pk(c)) && n < 100000000L)
		n = n * 10 + (*c->p++ - '0');
	if (two && n >= 10 && !eat(c, '_'))
		fail(c);
}

static struct node *parse_params(struct cpp *c, char stop1, char stop2);

/* <unqualified-name>, scope being what it is nested in (for constructors). */
static struct node *parse_unqualified(struct cpp *c, struct node *scope)
{
	(void)scope; /* constructors take c->last_name, as libiberty does */
	if (!enter(c))
		return NULL;
	struct node *n = NULL;
	char ch = pk(c);
	if (is_digit(ch)) {
		n = parse_source_name(c);
	} else if (ch == 'L') {
		c->p++;
		n = parse_source_name(c);
		skip_discriminator(c);
	} else if (ch == 'U' && pk1(c) == 't') {
		c->p += 2;
		long i = parse_index(c);
		if (i < 0)
			fail(c);
		n = mk(c, K_UNNAMED);
		if (n)
			n->num = (int)i + 1;
	} else if (ch == 'U' && pk1(c) == 'l') {
		c->p += 2;
		struct node *params = parse_params(c, 'E', 'E');
		if (!eat(c, 'E'))
			fail(c);
		long i = parse_index(c);
		if (i < 0)
			fail(c);
		n = mk2(c, K_LAMBDA, params, NULL);
		if (n)
			n->num = (int)i + 1;
	} else if (ch == 'C' && (is_digit(pk1(c)) || pk1(c) == 'I')) {
		c->p++;
		int inheriting = eat(c, 'I');
		if (pk(c) < '1' || pk(c) > '5')
			fail(c);
		c->p++;
		if (inheriting)
			parse_type(c);
		n = mk2(c, K_CTOR, c->last_name, NULL);
	} else if (ch == 'D' && is_digit(pk1(c))) {
		if (pk1(c) > '5' || pk1(c) == '3')
			fail(c);
		c->p += 2;
		n = mk2(c, K_DTOR, c->last_name, NULL);
	} else if (ch == 'D' && pk1(c) == 'C') {
		c->p += 2;
		struct node *head = NULL, *tail = NULL;
		while (!c->fail && pk(c) != 'E')
			append(c, &head, &tail, parse_source_name(c));
		if (!eat(c, 'E') || !head)
			fail(c);
		n = mk2(c, K_BINDING, head, NULL);
	} else if (is_lower(ch)) {
		n = parse_operator_name(c);
	} else {
		fail(c);
	}
	if (n && (n->kind == K_CTOR || n->kind == K_DTOR) && !n->a)
		fail(c);
	n = parse_abi_tags(c, n);
	return leave(c, n);
}

static const struct {
	char code;
	const char *s, *full, *last;
} std_subs[] = {
	{ 't', "std", "std", "std" },
	{ 'a', "std::allocator", "std::allocator", "allocator" },
	{ 'b', "std::basic_string", "std::basic_string", "basic_string" },
	{ 's', "std::string", "std::basic_string<char, std::char_traits<char>, std::allocator<char> >",
	  "basic_string" },
	{ 'i', "std::istream", "std::basic_istream<char, std::char_traits<char> >", "basic_istream" },
	{ 'o', "std::ostream", "std::basic_ostream<char, std::char_traits<char> >", "basic_ostream" },
	{ 'd', "std::iostream", "std::basic_iostream<char, std::char_traits<char> >", "basic_iostream" },
};

/* <substitution>; in a prefix before a constructor or destructor the std abbreviations are
 * spelt out in full, as libiberty does. */
static struct node *parse_substitution(struct cpp *c, int prefix)
{
	if (!eat(c, 'S')) {
		fail(c);
		return NULL;
	}
	char ch = pk(c);
	if (is_lower(ch)) {
		for (size_t i = 0; i < sizeof std_subs / sizeof std_subs[0]; i++) {
			if (std_subs[i].code != ch)
				continue;
			c->p++;
			int full = prefix && (pk(c) == 'C' || pk(c) == 'D');
			struct node *n = mk(c, K_STD);
			if (n) {
				n->s = full ? std_subs[i].full : std_subs[i].s;
				n->n = strlen(n->s);
				n->s2 = std_subs[i].last;
				if (ch != 't')
					c->last_name = base_name(c, n);
			}
			return n;
		}
		fail(c);
		return NULL;
	}
	long i = parse_seq(c);
	if (i < 0 || (size_t)i >= c->nsubs) {
		fail(c);
		return NULL;
	}
	return c->subs[i];
}

static struct node *parse_template_param(struct cpp *c)
{
	if (!eat(c, 'T')) {
		fail(c);
		return NULL;
	}
	long i = parse_index(c);
	if (i < 0) {
		fail(c);
		return NULL;
	}
	struct node *n = mk(c, K_TPARAM);
	if (n)
		n->num = (int)i;
	return n;
}

static struct node *parse_decltype(struct cpp *c)
{
	if (!eat(c, 'D') || !(eat(c, 't') || eat(c, 'T'))) {
		fail(c);
		return NULL;
	}
	struct node *e = parse_expr(c);
	if (!eat(c, 'E'))
		fail(c);
	return mk2(c, K_DECLTYPE, e, NULL);
}

/* N [<CV-qualifiers>] [<ref-qualifier>] <prefix> <unqualified-name> E */
static struct node *parse_nested(struct cpp *c)
{
	unsigned q = 0;
	int ref = 0;
	c->p++; /* N */
	for (;;) {
		if (pk(c) == 'r' || pk(c) == 'V' || pk(c) == 'K')
			q = add_qual(c, q, *c->p++);
		else
			break;
	}
	if (eat(c, 'R'))
		ref = 1;
	else if (eat(c, 'O'))
		ref = 2;
	struct node *cur = NULL;
	while (!c->fail && pk(c) != 'E') {
		char ch = pk(c);
		struct node *comp;
		if (ch == 'S' && pk1(c) == 't' && !cur) {
			c->p += 2;
			cur = mktext(c, "std", 0);
			if (pk(c) == 'E')
				fail(c);
			continue;
		}
		if (ch == 'S') {
			if (cur) {
				fail(c);
				break;
			}
			cur = parse_substitution(c, 1);
			if (pk(c) == 'E')
				fail(c); /* a name, not just a substitution, must end it */
			continue;
		}
		if (ch == 'I') {
			if (!cur) {
				fail(c);
				break;
			}
			struct node *args = parse_template_args(c);
			cur = mk2(c, K_TEMPLATE, cur, args);
			if (pk(c) != 'E')
				add_sub(c, cur);
			continue;
		}
		if (ch == 'M') {
			/* data member prefix, for closures in member initialisers */
			if (!cur) {
				fail(c);
				break;
			}
			c->p++;
			if (pk(c) == 'E')
				fail(c);
			continue;
		}
		if (ch == 'T') {
			if (cur) {
				fail(c);
				break;
			}
			cur = parse_template_param(c);
			add_sub(c, cur);
			continue;
		}
		if (ch == 'D' && (pk1(c) == 't' || pk1(c) == 'T')) {
			if (cur) {
				fail(c);
				break;
			}
			cur = parse_decltype(c);
			add_sub(c, cur);
			continue;
		}
		comp = parse_unqualified(c, cur);
		cur = cur ? mk2(c, K_QUAL, cur, comp) : comp;
		if (pk(c) != 'E')
			add_sub(c, cur);
	}
	if (!eat(c, 'E') || !cur)
		fail(c);
	c->nq = q;
	c->nref = ref;
	return c->fail ? NULL : cur;
}

/* Z <encoding> E <entity name> [<discriminator>] | Z <encoding> E s | Z <encoding> Ed [n] _ <name> */
static struct node *parse_local(struct cpp *c)
{
	c->p++; /* Z */
	struct node *enc = parse_encoding(c);
	if (!eat(c, 'E')) {
		fail(c);
		return NULL;
	}
	if (enc && enc->kind == K_ENCODING)
		enc->num = 1; /* libiberty leaves out the return type of a local name's function */
	struct node *entity;
	c->nq = 0;
	c->nref = 0;
	if (eat(c, 's')) {
		entity = mktext(c, "string literal", 0);
		skip_discriminator(c);
	} else if (pk(c) == 'd' && (pk1(c) == '_' || is_digit(pk1(c)))) {
		c->p++;
		long i = parse_index(c);
		struct node *d = mk(c, K_UNNAMED);
		if (i < 0 || !d) {
			fail(c);
			return NULL;
		}
		d->num = -(int)(i + 1); /* negative: prints as {default arg#N} */
		entity = mk2(c, K_QUAL, d, parse_name(c));
	} else {
		entity = parse_name(c);
		skip_discriminator(c);
	}
	return mk2(c, K_LOCAL, enc, entity);
}

static struct node *parse_name(struct cpp *c)
{
	if (!enter(c))
		return NULL;
	struct node *n;
	char ch = pk(c);
	if (ch == 'N') {
		n = parse_nested(c);
	} else if (ch == 'Z') {
		n = parse_local(c);
	} else if (ch == 'S' && pk1(c) == 't') {
		c->p += 2;
		struct node *u = parse_unqualified(c, NULL);
		n = mk2(c, K_QUAL, mktext(c, "std", 0), u);
		if (pk(c) == 'I') {
			add_sub(c, n);
			n = mk2(c, K_TEMPLATE, n, parse_template_args(c));
		}
	} else if (ch == 'S') {
		n = parse_substitution(c, 0);
		if (pk(c) == 'I')
			n = mk2(c, K_TEMPLATE, n, parse_template_args(c));
	} else {
		n = parse_unqualified(c, NULL);
		if (pk(c) == 'I') {
			add_sub(c, n);
			n = mk2(c, K_TEMPLATE, n, parse_template_args(c));
		}
	}
	return leave(c, n);
}

static struct node *parse_literal(struct cpp *c)
{
	/* after L */
	if (pk(c) == '_' && pk1(c) == 'Z') {
		c->p += 2;
		struct node *e = parse_encoding(c);
		if (!eat(c, 'E'))
			fail(c);
		return e;
	}
	if (pk(c) == '_' && pk1(c) == '_' && c->p + 2 < c->end && c->p[2] == 'Z') {
		fail(c);
		return NULL;
	}
	struct node *t = parse_type(c);
	struct node *n = mk2(c, K_LITERAL, t, NULL);
	if (!n)
		return NULL;
	if (eat(c, 'n'))
		n->num = 1;
	n->s = c->p;
	while (c->p < c->end && *c->p != 'E')
		c->p++;
	n->n = (size_t)(c->p - n->s);
	if (!eat(c, 'E'))
		fail(c);
	if (!n->n) {
		/* only nullptr's type stands alone: it prints as that type */
		if (t && t->kind == K_TEXT && !strcmp(t->s, "decltype(nullptr)") && !n->num)
			return t;
		fail(c);
	}
	return n;
}

static struct node *parse_template_arg(struct cpp *c)
{
	struct node *n;
	if (eat(c, 'L')) {
		n = parse_literal(c);
	} else if (eat(c, 'X')) {
		n = parse_expr(c);
		if (!eat(c, 'E'))
			fail(c);
	} else if (eat(c, 'J') || eat(c, 'I')) {
		/* an argument pack (I...E in GCCs before the ABI named it J) */
		struct node *head = NULL, *tail = NULL;
		while (!c->fail && pk(c) != 'E')
			append(c, &head, &tail, parse_template_arg(c));
		if (!eat(c, 'E'))
			fail(c);
		n = mk2(c, K_ARGPACK, head, NULL);
	} else {
		n = parse_type(c);
	}
	return n;
}

/* I <template-arg>* E (libiberty takes an empty list too) */
static struct node *parse_template_args(struct cpp *c)
{
	if (!enter(c))
		return NULL;
	c->p++; /* I */
	struct node *args = mk(c, K_ARGS);
	if (!args)
		return leave(c, NULL);
	struct node *tail = NULL, *last_name = c->last_name;
	while (!c->fail && pk(c) != 'E')
		append(c, &args->a, &tail, parse_template_arg(c));
	c->last_name = last_name;
	if (!eat(c, 'E'))
		fail(c);
	return leave(c, args);
}

/* Types until a stop character; "v" alone is kept as the void list. */
static struct node *parse_params(struct cpp *c, char stop1, char stop2)
{
	struct node *head = NULL, *tail = NULL;
	while (!c->fail && c->p < c->end && pk(c) != stop1 && pk(c) != stop2) {
		if (pk(c) == '.' )
			break;
		append(c, &head, &tail, parse_type(c));
	}
	return head;
}

/* Do | DO <expr> E | Dw <type>+ E | Dx, printed after the parameters as libiberty does:
 * " noexcept", " noexcept(expr)", " throw(types)", " transaction_safe". Several chain
 * through c, the last parsed printing first. */
static struct node *parse_exception_spec(struct cpp *c, struct node *prev)
{
	struct node *n = mk(c, K_TYPEOP);
	if (!n)
		return NULL;
	c->p++;
	char ch = *c->p++;
	n->c = prev;
	if (ch == 'o') {
		n->s = " noexcept";
	} else if (ch == 'x') {
		n->s = " transaction_safe";
	} else if (ch == 'O') {
		n->s = " noexcept";
		n->a = parse_expr(c);
		if (!eat(c, 'E'))
			fail(c);
	} else {
		n->s = " throw";
		n->b = parse_params(c, 'E', 'E');
		if (!eat(c, 'E') || !n->b)
			fail(c);
	}
	return n;
}

static void print_exception_spec(struct cpp *c, struct node *n);

static struct node *parse_function_type(struct cpp *c, unsigned quals)
{
	/* at F */
	c->p++;
	eat(c, 'Y');
	struct node *ret = parse_type(c);
	struct node *head = NULL, *tail = NULL;
	int ref = 0;
	while (!c->fail) {
		if (pk(c) == 'E')
			break;
		if ((pk(c) == 'R' || pk(c) == 'O') && pk1(c) == 'E') {
			ref = pk(c) == 'R' ? 1 : 2;
			c->p++;
			break;
		}
		if (c->p >= c->end) {
			fail(c);
			break;
		}
		append(c, &head, &tail, parse_type(c));
	}
	if (!eat(c, 'E') || !head)
		fail(c);
	struct node *f = mk2(c, K_FUNC, ret, head);
	if (f) {
		f->quals = quals;
		f->num = ref;
	}
	return f;
}

static const struct {
	char code;
	const char *name;
	int lit;
} builtins[] = {
	{ 'v', "void", LIT_VOID }, { 'w', "wchar_t", LIT_CAST }, { 'b', "bool", LIT_BOOL },
	{ 'c', "char", LIT_CAST }, { 'a', "signed char", LIT_CAST },
	{ 'h', "unsigned char", LIT_CAST }, { 's', "short", LIT_CAST },
	{ 't', "unsigned short", LIT_CAST }, { 'i', "int", LIT_INT },
	{ 'j', "unsigned int", LIT_UNSIGNED }, { 'l', "long", LIT_LONG },
	{ 'm', "unsigned long", LIT_ULONG }, { 'x', "long long", LIT_LLONG },
	{ 'y', "unsigned long long", LIT_ULLONG }, { 'n', "__int128", LIT_CAST },
	{ 'o', "unsigned __int128", LIT_CAST }, { 'f', "float", LIT_FLOAT },
	{ 'd', "double", LIT_FLOAT }, { 'e', "long double", LIT_FLOAT },
	{ 'g', "__float128", LIT_FLOAT }, { 'z', "...", LIT_CAST },
};

static const struct {
	char code;
	const char *name;
	int lit;
} dbuiltins[] = {
	{ 'd', "decimal64", LIT_CAST }, { 'e', "decimal128", LIT_CAST },
	{ 'f', "decimal32", LIT_CAST }, { 'h', "half", LIT_FLOAT }, { 'i', "char32_t", LIT_CAST },
	{ 's', "char16_t", LIT_CAST }, { 'u', "char8_t", LIT_CAST }, { 'a', "auto", LIT_CAST },
	{ 'c', "decltype(auto)", LIT_CAST }, { 'n', "decltype(nullptr)", LIT_CAST },
};

static struct node *parse_type_inner(struct cpp *c)
{
	char ch = pk(c), nx = pk1(c);
	struct node *n = NULL;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (builtins[i].code == ch) {
			c->p++;
			return mktext(c, builtins[i].name, builtins[i].lit);
		}
	switch (ch) {
	case 'u':
		c->p++;
		n = parse_source_name(c);
		add_sub(c, n);
		return n;
	case 'D':
		if (nx == 'o' || nx == 'O' || nx == 'w' || nx == 'x')
			goto qualified; /* an exception spec before a function type */
		for (size_t i = 0; i < sizeof dbuiltins / sizeof dbuiltins[0]; i++)
			if (dbuiltins[i].code == nx) {
				c->p += 2;
				return mktext(c, dbuiltins[i].name, dbuiltins[i].lit);
			}
		if (nx == 'F') {
			/* DF <number> _ : _FloatN */
			c->p += 2;
			const char *s = c->p;
			long bits = parse_number(c, NULL);
			if (bits < 0 || !eat(c, '_')) {
				fail(c);
				return NULL;
			}
			n = mk2(c, K_POSTFIX, mktext(c, "_Float", 0), NULL);
			if (n) {
				n->s = s; /* the digits */
				n->n = (size_t)(c->p - 1 - s);
				n->num = 1;
			}
			return n;
		}
		if (nx == 'p') {
			c->p += 2;
			n = mk2(c, K_PACKEXP, parse_type(c), NULL);
			add_sub(c, n);
			return n;
		}
		if (nx == 't' || nx == 'T') {
			n = parse_decltype(c);
			add_sub(c, n);
			return n;
		}
		if (nx == 'v') {
			/* Dv <number> _ <type> | Dv _ <expr> _ <type> */
			c->p += 2;
			struct node *dim;
			if (eat(c, '_')) {
				dim = parse_expr(c);
			} else {
				const char *s = c->p;
				if (parse_number(c, NULL) < 0) {
					fail(c);
					return NULL;
				}
				dim = mk(c, K_NAME);
				if (dim) {
					dim->s = s;
					dim->n = (size_t)(c->p - s);
				}
			}
			if (!eat(c, '_'))
				fail(c);
			n = mk2(c, K_POSTFIX, parse_type(c), dim);
			if (n)
				n->s = " __vector(";
			add_sub(c, n);
			return n;
		}
		fail(c);
		return NULL;
	case 'r':
	case 'V':
	case 'K':
	qualified: {
		unsigned q = 0;
		struct node *spec = NULL;
		while (!c->fail) {
			if (pk(c) == 'r' || pk(c) == 'V' || pk(c) == 'K')
				q = add_qual(c, q, *c->p++);
			else if (pk(c) == 'D' && (pk1(c) == 'o' || pk1(c) == 'O' || pk1(c) == 'w' ||
			                          pk1(c) == 'x'))
				spec = parse_exception_spec(c, spec);
			else
				break;
		}
		if (spec && pk(c) != 'F')
			fail(c);
		if (pk(c) == 'F') {
			n = parse_function_type(c, q);
			if (n)
				n->c = spec;
		} else {
			struct node *t = parse_type(c);
			n = mk2(c, K_QUALTYPE, t, NULL);
			if (n)
				n->quals = q;
		}
		add_sub(c, n);
		return n;
	}
	case 'P':
	case 'R':
	case 'O':
		c->p++;
		n = mk2(c, ch == 'P' ? K_PTR : ch == 'R' ? K_LREF : K_RREF, parse_type(c), NULL);
		add_sub(c, n);
		return n;
	case 'C':
	case 'G':
		c->p++;
		n = mk2(c, K_POSTFIX, parse_type(c), NULL);
		if (n)
			n->s = ch == 'C' ? " _Complex" : " _Imaginary";
		add_sub(c, n);
		return n;
	case 'F':
		n = parse_function_type(c, 0);
		add_sub(c, n);
		return n;
	case 'A': {
		c->p++;
		struct node *arr = mk(c, K_ARRAY);
		if (!arr)
			return NULL;
		if (is_digit(pk(c))) {
			arr->s = c->p;
			parse_number(c, NULL);
			arr->n = (size_t)(c->p - arr->s);
		} else if (pk(c) != '_') {
			arr->b = parse_expr(c);
		}
		if (!eat(c, '_'))
			fail(c);
		arr->a = parse_type(c);
		add_sub(c, arr);
		return arr;
	}
	case 'M': {
		c->p++;
		struct node *cls = parse_type(c);
		struct node *mem = parse_type(c);
		n = mk2(c, K_PTRMEM, cls, mem);
		add_sub(c, n);
		return n;
	}
	case 'T':
		n = parse_template_param(c);
		add_sub(c, n);
		if (pk(c) == 'I' && c->in_conv) {
			/* in "cv T_ I...E" the args are the conversion operator's, unless more
			 * follow: then T_ is a template template parameter */
			const char *p = c->p;
			size_t nsubs = c->nsubs;
			struct node *args = parse_template_args(c);
			if (pk(c) == 'I') {
				add_sub(c, n);
				n = mk2(c, K_TEMPLATE, n, args);
			} else {
				c->p = p;
				c->nsubs = nsubs;
			}
		} else if (pk(c) == 'I') {
			n = mk2(c, K_TEMPLATE, n, parse_template_args(c));
			add_sub(c, n);
		}
		return n;
	case 'S':
		if (nx == 't') {
			n = parse_name(c);
			add_sub(c, n);
			return n;
		}
		n = parse_substitution(c, 0);
		if (pk(c) == 'I') {
			n = mk2(c, K_TEMPLATE, n, parse_template_args(c));
			add_sub(c, n);
		}
		return n;
	case 'N':
	case 'Z':
		c->nq = 0;
		c->nref = 0;
		n = parse_name(c);
		if (c->nq || c->nref) {
			/* N K ... E as a type: libiberty prints the qualifiers after it */
			struct node *q = mk2(c, K_QUALTYPE, n, NULL);
			if (q) {
				q->quals = c->nq;
				q->num = c->nref;
			}
			n = q;
		}
		add_sub(c, n);
		return n;
	default:
		if (is_digit(ch) || (ch == 'U' && (nx == 't' || nx == 'l'))) {
			n = parse_name(c);
			add_sub(c, n);
			return n;
		}
		fail(c);
		return NULL;
	}
}

static struct node *parse_type(struct cpp *c)
{
	if (!enter(c))
		return NULL;
	unsigned saved_nq = c->nq;
	int saved_nref = c->nref;
	struct node *n = parse_type_inner(c);
	c->nq = saved_nq;
	c->nref = saved_nref;
	if (!n)
		fail(c);
	return leave(c, n);
}

/* An unresolved name in an expression: [gs] [sr <type>] <base name> [<template-args>] */
static struct node *parse_unresolved(struct cpp *c)
{
	struct node *scope = NULL;
	if (eat2(c, "sr")) {
		char ch = pk(c);
		if (!c->old_sr && (is_digit(ch) || is_lower(ch) || ch == 'C' || ch == 'U' || ch == 'L')) {
			/* sr <unresolved-qualifier-level>+ E <base-unresolved-name>. Older GCCs
			 * wrote sr <type> <name> with no E; libiberty tries this reading first and
			 * the old one when the whole symbol fails, and so do we. */
			c->new_sr_seen = 1;
			while (!c->fail && pk(c) != 'E' && c->p < c->end) {
				if (pk(c) == 'I') {
					if (!scope)
						fail(c);
					scope = mk2(c, K_TEMPLATE, scope, parse_template_args(c));
					continue;
				}
				struct node *q = parse_unqualified(c, scope);
				scope = scope ? mk2(c, K_QUAL, scope, q) : q;
			}
			if (!eat(c, 'E'))
				fail(c);
		} else {
			scope = parse_type(c);
		}
	}
	struct node *base;
	if (eat2(c, "on")) {
		base = parse_operator_name(c);
	} else if (eat2(c, "dn")) {
		struct node *t = is_digit(pk(c)) ? parse_source_name(c) : parse_type(c);
		base = mk2(c, K_DTOR, t, NULL);
	} else if (scope) {
		base = parse_unqualified(c, scope);
	} else {
		base = parse_source_name(c);
	}
	if (scope)
		base = mk2(c, K_QUAL, scope, base);
	if (pk(c) == 'I')
		base = mk2(c, K_TEMPLATE, base, parse_template_args(c));
	return base;
}

static struct node *mkop(struct cpp *c, int kind, const char *s, struct node *a, struct node *b)
{
	struct node *n = mk2(c, kind, a, b);
	if (n)
		n->s = s;
	return n;
}

static struct node *parse_expr_inner(struct cpp *c)
{
	char ch = pk(c), nx = pk1(c);
	if (ch == 'L') {
		c->p++;
		return parse_literal(c);
	}
	if (ch == 'T')
		return parse_template_param(c);
	if (ch == 'f' && nx == 'p') {
		/* fp [<CV-qualifiers>] [<number>] _ */
		c->p += 2;
		while (pk(c) == 'K' || pk(c) == 'V' || pk(c) == 'r')
			c->p++;
		long i = parse_index(c);
		struct node *n = mk(c, K_FPARAM);
		if (i < 0)
			fail(c);
		if (n)
			n->num = (int)i + 1;
		return n;
	}
	if (ch == 'f' && nx == 'L') {
		/* fL <number> p ... : deeper function parameter scopes */
		fail(c);
		return NULL;
	}
	if (ch == 's' && nx == 'r')
		return parse_unresolved(c);
	if (ch == 'g' && nx == 's' && c->p + 3 < c->end && c->p[2] == 'n' &&
	    (c->p[3] == 'w' || c->p[3] == 'a')) {
		c->p += 2;
		struct node *n = parse_expr(c);
		if (n && n->kind == K_NEW)
			n->s = "::new";
		return n;
	}
	if (ch == 'g' && nx == 's') {
		c->p += 2;
		return parse_expr(c);
	}
	if ((ch == 't' || ch == 'i') && nx == 'l') {
		/* tl <type> <expression>* E: type{a, b}; il <expression>* E: {a, b} */
		c->p += 2;
		struct node *t = ch == 't' ? parse_type(c) : NULL;
		struct node *head = NULL, *tail = NULL;
		while (!c->fail && pk(c) != 'E')
			append(c, &head, &tail, parse_expr(c));
		if (!eat(c, 'E'))
			fail(c);
		return mk2(c, K_INITLIST, t, head);
	}
	if (ch == 'n' && (nx == 'w' || nx == 'a')) {
		/* nw _ <type> E | nw _ <type> pi <expression>+ E (no placement args) */
		c->p += 2;
		if (!eat(c, '_')) {
			fail(c);
			return NULL;
		}
		struct node *t = parse_type(c);
		struct node *head = NULL, *tail = NULL;
		if (eat2(c, "pi")) {
			while (!c->fail && pk(c) != 'E')
				append(c, &head, &tail, parse_expr(c));
			if (!head)
				fail(c);
		}
		if (!eat(c, 'E'))
			fail(c);
		return mkop(c, K_NEW, "new", t, head); /* libiberty prints na as "new" too */
	}
	if (ch == 'D' && (nx == 't' || nx == 'T'))
		return parse_decltype(c);
	if (is_digit(ch))
		return parse_unresolved(c);
	if (ch == 'o' && nx == 'n') {
		return parse_unresolved(c);
	}
	if (ch == 's' && nx == 'Z') {
		c->p += 2;
		struct node *a = pk(c) == 'T' ? parse_template_param(c) : parse_expr(c);
		return mk2(c, K_SIZEOFPACK, a, NULL);
	}
	if (ch == 's' && nx == 'p') {
		c->p += 2;
		return mk2(c, K_PACKEXP, parse_expr(c), NULL);
	}
	if ((ch == 's' || ch == 'a') && nx == 't') {
		c->p += 2;
		return mkop(c, K_TYPEOP, ch == 's' ? "sizeof " : "alignof ", parse_type(c), NULL);
	}
	if (ch == 't' && nx == 'i') {
		c->p += 2;
		return mkop(c, K_TYPEOP, "typeid", parse_type(c), NULL);
	}
	if (ch == 'c' && nx == 'v') {
		c->p += 2;
		struct node *t = parse_type(c);
		struct node *e;
		if (eat(c, '_')) {
			struct node *head = NULL, *tail = NULL;
			while (!c->fail && pk(c) != 'E')
				append(c, &head, &tail, parse_expr(c));
			if (!eat(c, 'E'))
				fail(c);
			/* (type)(a, b) */
			e = mk2(c, K_ARGPACK, head, NULL);
			return mk2(c, K_CAST, t, e);
		}
		e = parse_expr(c);
		return mk2(c, K_CAST, t, e);
	}
	if (ch == 'c' && nx == 'l') {
		c->p += 2;
		struct node *fn = parse_expr(c);
		struct node *head = NULL, *tail = NULL;
		while (!c->fail && pk(c) != 'E')
			append(c, &head, &tail, parse_expr(c));
		if (!eat(c, 'E'))
			fail(c);
		return mk2(c, K_CALL, fn, head);
	}
	if ((ch == 'd' || ch == 's' || ch == 'c' || ch == 'r') && nx == 'c') {
		const struct op *op = find_op(ch, nx);
		c->p += 2;
		struct node *t = parse_type(c);
		struct node *e = parse_expr(c);
		return mkop(c, K_NAMEDCAST, op->name, t, e);
	}
	if ((ch == 'd' || ch == 'p') && nx == 't') {
		c->p += 2;
		struct node *a = parse_expr(c);
		struct node *b = parse_unresolved(c);
		return mkop(c, K_BINARY, ch == 'd' ? "." : "->", a, b);
	}
	const struct op *op = find_op(ch, nx);
	if (!op || op->arity > 3 || (ch == 'n' && (nx == 'w' || nx == 'a')) || (ch == 's' && nx == 'P') ||
	    (ch == 'a' && nx == 'z') || (ch == 's' && nx == 'z') || (ch == 't' && nx == 'e')) {
		if (op && ((ch == 'a' || ch == 's') && nx == 'z')) {
			c->p += 2;
			return mkop(c, K_UNARY, op->name, parse_expr(c), NULL);
		}
		fail(c);
		return NULL;
	}
	c->p += 2;
	if (op->arity == 1) {
		if ((ch == 'p' && nx == 'p') || (ch == 'm' && nx == 'm')) {
			/* prefix form pp_ <expr>; postfix otherwise */
			if (eat(c, '_'))
				return mkop(c, K_UNARY, op->name, parse_expr(c), NULL);
			fail(c);
			return NULL;
		}
		return mkop(c, K_UNARY, op->name, parse_expr(c), NULL);
	}
	if (op->arity == 2) {
		struct node *a = parse_expr(c);
		struct node *b = parse_expr(c);
		return mkop(c, K_BINARY, op->name, a, b);
	}
	struct node *a = parse_expr(c);
	struct node *b = parse_expr(c);
	struct node *e = parse_expr(c);
	struct node *n = mkop(c, K_TRINARY, op->name, a, b);
	if (n)
		n->c = e;
	return n;
}

static struct node *parse_expr(struct cpp *c)
{
	if (!enter(c))
		return NULL;
	struct node *n = parse_expr_inner(c);
	if (!n)
		fail(c);
	return leave(c, n);
}

/* Does a function of this name mangle its return type? Templates do, except constructors,
 * destructors and conversion operators. */
static int has_return_type(const struct node *n)
{
	for (int guard = 0; n && guard < MAX_DEPTH; guard++) {
		if (n->kind == K_LOCAL) {
			n = n->b;
			continue;
		}
		if (n->kind != K_TEMPLATE)
			return 0;
		n = n->a;
		while (n && (n->kind == K_QUAL || n->kind == K_ABI_TAG))
			n = n->kind == K_QUAL ? n->b : n->a;
		return n && n->kind != K_CTOR && n->kind != K_DTOR && n->kind != K_CONV;
	}
	return 0;
}

static struct node *parse_call_offset(struct cpp *c)
{
	int neg;
	if (eat(c, 'h')) {
		if (parse_number(c, &neg) < 0 || !eat(c, '_'))
			fail(c);
	} else if (eat(c, 'v')) {
		if (parse_number(c, &neg) < 0 || !eat(c, '_') || parse_number(c, &neg) < 0 ||
		    !eat(c, '_'))
			fail(c);
	} else {
		fail(c);
	}
	return NULL;
}

static struct node *special(struct cpp *c, const char *text, struct node *a)
{
	return mkop(c, K_SPECIAL, text, a, NULL);
}

static struct node *parse_special(struct cpp *c)
{
	char ch = *c->p++, nx = pk(c);
	if (ch == 'T') {
		c->p++;
		switch (nx) {
		case 'V': return special(c, "vtable for ", parse_type(c));
		case 'T': return special(c, "VTT for ", parse_type(c));
		case 'I': return special(c, "typeinfo for ", parse_type(c));
		case 'S': return special(c, "typeinfo name for ", parse_type(c));
		case 'F': return special(c, "typeinfo fn for ", parse_type(c));
		case 'h':
			c->p--;
			parse_call_offset(c);
			return special(c, "non-virtual thunk to ", parse_encoding(c));
		case 'v':
			c->p--;
			parse_call_offset(c);
			return special(c, "virtual thunk to ", parse_encoding(c));
		case 'c':
			parse_call_offset(c);
			parse_call_offset(c);
			return special(c, "covariant return thunk to ", parse_encoding(c));
		case 'C': {
			struct node *derived = parse_type(c);
			if (parse_number(c, NULL) < 0 || !eat(c, '_'))
				fail(c);
			struct node *base = parse_type(c);
			return mk2(c, K_CTOR_VT, base, derived);
		}
		case 'H': return special(c, "TLS init function for ", parse_name(c));
		case 'W': return special(c, "TLS wrapper function for ", parse_name(c));
		case 'A': return special(c, "template parameter object for ", parse_template_arg(c));
		}
	} else {
		c->p++;
		switch (nx) {
		case 'V': return special(c, "guard variable for ", parse_name(c));
		case 'R': {
			struct node *name = parse_name(c);
			long i = 0;
			while (is_digit(pk(c)) && i < 100000000L)
				i = i * 10 + (*c->p++ - '0');
			struct node *n = special(c, "reference temporary #", name);
			if (n) {
				n->num = (int)i;
				n->quals = 1; /* print the number and " for " */
			}
			return n;
		}
		case 'A': return special(c, "hidden alias for ", parse_encoding(c));
		case 'T':
			if (c->p >= c->end)
				break;
			if (*c->p++ == 'n')
				return special(c, "non-transaction clone for ", parse_encoding(c));
			return special(c, "transaction clone for ", parse_encoding(c));
		case 'r':
			break;
		}
	}
	fail(c);
	return NULL;
}

static struct node *parse_encoding(struct cpp *c)
{
	int top = c->top;
	c->top = 0;
	if (!enter(c))
		return NULL;
	char ch = pk(c);
	if ((ch == 'T' || ch == 'G') && !(ch == 'T' && (pk1(c) == '_' || is_digit(pk1(c)))))
		return leave(c, parse_special(c));
	c->nq = 0;
	c->nref = 0;
	struct node *name = parse_name(c);
	unsigned q = c->nq;
	int ref = c->nref;
	if (top && c->no_params)
		return leave(c, name); /* like libiberty, not even looking at the rest */
	if (c->fail || c->p >= c->end || pk(c) == 'E') {
		if (q || ref) {
			/* a qualified data name: libiberty prints the qualifiers after it */
			struct node *qt = mk2(c, K_QUALTYPE, name, NULL);
			if (qt) {
				qt->quals = q;
				qt->num = ref;
			}
			name = qt;
		}
		return leave(c, name);
	}
	struct node *ret = NULL;
	if (has_return_type(name))
		ret = parse_type(c);
	struct node *params = parse_params(c, 'E', 'E');
	if (!params)
		fail(c);
	struct node *f = mk2(c, K_FUNC, ret, params);
	if (f) {
		f->quals = q;
		f->num = ref;
	}
	return leave(c, mk2(c, K_ENCODING, name, f));
}

/* ---- printing ---- */

static void print(struct cpp *c, struct node *n);
static void print_left(struct cpp *c, struct node *n);
static void print_right(struct cpp *c, struct node *n);

static int pstart(struct cpp *c)
{
	if (c->fail || c->o.fail || ++c->steps > MAX_STEPS || ++c->pdepth > MAX_DEPTH) {
		c->fail = 1;
		c->pdepth++;
		return 0;
	}
	return 1;
}

static void pend(struct cpp *c) { c->pdepth--; }

/* What a template parameter stands for (through parameters that name parameters). As in
 * libiberty, T_ means the parameter of the function template being printed, wherever the
 * node came from: GCC substitutes T_ by what it is, a parameter position, so an S_ made in
 * a local name's inner function may print as the outer function's parameter. */
static struct node *resolve(struct cpp *c, struct node *n)
{
	if (c->lambda_arg)
		return n; /* prints as auto:N */
	for (int guard = 0; n && n->kind == K_TPARAM; guard++) {
		struct node *args = c->ptmpl;
		if (!args || guard > MAX_DEPTH) {
			fail(c);
			return NULL;
		}
		struct node *cell = args->a;
		for (int i = 0; cell && i < n->num; i++)
			cell = cell->b;
		if (!cell) {
			fail(c);
			return NULL;
		}
		n = cell->a;
		if (n && n->kind == K_ARGPACK && c->pack_index >= 0) {
			cell = n->a;
			for (int i = 0; cell && i < c->pack_index; i++)
				cell = cell->b;
			if (!cell) {
				fail(c);
				return NULL;
			}
			n = cell->a;
		}
	}
	return n;
}

/* Items joined by ", ". Empty packs print nothing; libiberty takes back the commas of
 * trailing ones only (its lists are cons cells: a comma goes when all the rest is empty). */
static void print_list(struct cpp *c, struct node *cell)
{
	size_t keep = c->o.len;
	for (int i = 0; cell && !c->fail; cell = cell->b, i++) {
		if (i)
			out_s(&c->o, ", ");
		size_t start = c->o.len;
		print(c, cell->a);
		if (!i || c->o.len != start)
			keep = c->o.len;
	}
	if (!c->fail && !c->o.fail && c->o.len > keep) {
		c->o.len = keep;
		c->o.buf[keep] = '\0';
	}
}

static void print_params(struct cpp *c, struct node *cell)
{
	if (cell && !cell->b && cell->a && cell->a->kind == K_TEXT && cell->a->num == LIT_VOID)
		return;
	print_list(c, cell);
}

/* Qualifiers last mangled first, leaving out those in skip (a qmask); in a type (once) a
 * repeated qualifier prints once, on a member function every time (libiberty's ways). */
static void print_quals(struct cpp *c, unsigned q, unsigned skip, int once)
{
	static const char *const names[] = { "", " restrict", " volatile", " const" };
	for (; q; q >>= 2)
		if (!(skip & (1u << (q & 3)))) {
			out_s(&c->o, names[q & 3]);
			if (once)
				skip |= 1u << (q & 3);
		}
}

static void print_ref(struct cpp *c, int ref)
{
	if (ref == 1)
		out_s(&c->o, " &");
	else if (ref == 2)
		out_s(&c->o, " &&");
}

/* libiberty prints a reference to a template parameter in the template scope where that
 * parameter node was first printed, even when a substitution brings it back elsewhere. */
static struct node *ref_scope(struct cpp *c, struct node *n)
{
	struct node *saved = c->ptmpl;
	if ((n->kind == K_LREF || n->kind == K_RREF) && n->a && n->a->kind == K_TPARAM &&
	    !c->lambda_arg) {
		struct node *t = n->a;
		if (!t->quals) {
			t->quals = 1;
			t->c = c->ptmpl;
		} else {
			c->ptmpl = t->c;
		}
	}
	return saved;
}

/* A pointer's or reference's target, with C++ reference collapsing; *kind gets updated. */
static struct node *pointee(struct cpp *c, struct node *n, int *kind)
{
	*kind = n->kind;
	struct node *p = resolve(c, n->a);
	for (int guard = 0; p && (*kind == K_LREF || *kind == K_RREF) &&
	     (p->kind == K_LREF || p->kind == K_RREF) && guard < MAX_DEPTH; guard++) {
		if (p->kind == K_LREF)
			*kind = K_LREF;
		p = resolve(c, p->a);
	}
	return p;
}

/* n without its CV-qualifiers (collected in *q) */
static struct node *unqual(struct cpp *c, struct node *n, unsigned *q)
{
	*q = 0;
	n = resolve(c, n);
	for (int guard = 0; n && n->kind == K_QUALTYPE && guard < MAX_DEPTH; guard++) {
		*q |= qmask(n->quals);
		n = resolve(c, n->a);
	}
	return n;
}

/* Is n, qualifiers aside, a function or an array (which a pointer to it must parenthesise)? */
static int is_func_or_array(struct cpp *c, struct node *n, int *array)
{
	unsigned q;
	n = unqual(c, n, &q);
	*array = n && n->kind == K_ARRAY;
	return n && (n->kind == K_ARRAY || n->kind == K_FUNC);
}

static int has_right(struct cpp *c, struct node *n)
{
	for (int guard = 0; guard < MAX_DEPTH; guard++) {
		n = resolve(c, n);
		if (!n)
			return 0;
		switch (n->kind) {
		case K_FUNC:
		case K_ARRAY:
			return 1;
		case K_PTR:
		case K_LREF:
		case K_RREF: {
			int k;
			struct node *saved = ref_scope(c, n);
			n = pointee(c, n, &k);
			c->ptmpl = saved;
			break;
		}
		case K_QUALTYPE:
			n = n->a;
			break;
		case K_PTRMEM:
			n = n->b;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* Start printing a type: the node it stands for (through template parameters), or NULL when
 * there is nothing to print (the depth budget is spent, or it does not resolve), pend done. */
static struct node *print_enter(struct cpp *c, struct node *n)
{
	if (!pstart(c) || !n) {
		fail(c);
		pend(c);
		return NULL;
	}
	n = resolve(c, n);
	if (!n)
		pend(c);
	return n;
}

static void print_left(struct cpp *c, struct node *n)
{
	n = print_enter(c, n);
	if (!n)
		return;
	switch (n->kind) {
	case K_QUALTYPE: {
		/* a qualifier the parameter's type already has prints once */
		unsigned inner;
		unqual(c, n->a, &inner);
		print_left(c, n->a);
		print_quals(c, n->quals, inner, 1);
		print_ref(c, n->num);
		break;
	}
	case K_PTR:
	case K_LREF:
	case K_RREF: {
		int k;
		struct node *saved = ref_scope(c, n);
		struct node *p = pointee(c, n, &k);
		if (!p) {
			c->ptmpl = saved;
			break;
		}
		int array, paren = is_func_or_array(c, p, &array);
		print_left(c, p);
		if (array)
			out_c(&c->o, ' ');
		if (paren)
			out_c(&c->o, '(');
		out_s(&c->o, k == K_PTR ? "*" : k == K_LREF ? "&" : "&&");
		c->ptmpl = saved;
		break;
	}
	case K_FUNC:
		if (n->a) {
			print_left(c, n->a);
			if (!has_right(c, n->a))
				out_c(&c->o, ' ');
		}
		break;
	case K_ARRAY:
		print_left(c, n->a);
		break;
	case K_PTRMEM: {
		struct node *m = resolve(c, n->b);
		if (!m)
			break;
		print_left(c, m);
		if (m->kind == K_FUNC) {
			out_c(&c->o, '(');
		} else {
			out_c(&c->o, ' ');
		}
		print(c, n->a);
		out_s(&c->o, "::*");
		break;
	}
	default:
		print(c, n);
	}
	pend(c);
}

static void print_right(struct cpp *c, struct node *n)
{
	n = print_enter(c, n);
	if (!n)
		return;
	switch (n->kind) {
	case K_QUALTYPE:
		print_right(c, n->a);
		break;
	case K_PTR:
	case K_LREF:
	case K_RREF: {
		int k;
		struct node *saved = ref_scope(c, n);
		struct node *p = pointee(c, n, &k);
		if (p) {
			int array;
			if (is_func_or_array(c, p, &array))
				out_c(&c->o, ')');
			print_right(c, p);
		}
		c->ptmpl = saved;
		break;
	}
	case K_FUNC:
		out_c(&c->o, '(');
		print_params(c, n->b);
		out_c(&c->o, ')');
		if (n->a)
			print_right(c, n->a);
		print_exception_spec(c, n->c);
		print_quals(c, n->quals, 0, 0);
		print_ref(c, n->num);
		break;
	case K_ARRAY:
		if (out_last(&c->o) != ']')
			out_c(&c->o, ' ');
		out_c(&c->o, '[');
		if (n->b)
			print(c, n->b);
		else
			out_add(&c->o, n->s, n->n);
		out_c(&c->o, ']');
		print_right(c, n->a);
		break;
	case K_PTRMEM: {
		struct node *m = resolve(c, n->b);
		if (m && m->kind == K_FUNC)
			out_c(&c->o, ')');
		print_right(c, m);
		break;
	}
	default:
		break;
	}
	pend(c);
}

static void print_exception_spec(struct cpp *c, struct node *n)
{
	for (int guard = 0; n && guard < MAX_DEPTH; n = n->c, guard++) {
		out_s(&c->o, n->s);
		if (n->a) {
			out_c(&c->o, '(');
			print(c, n->a);
			out_c(&c->o, ')');
		} else if (n->b) {
			out_c(&c->o, '(');
			print_list(c, n->b);
			out_c(&c->o, ')');
		}
	}
}

/* An operand: parenthesised unless it is a plain name */
static void print_subexpr(struct cpp *c, struct node *n)
{
	int simple = n && (n->kind == K_NAME || n->kind == K_QUAL || n->kind == K_FPARAM ||
	                   n->kind == K_INITLIST);
	if (!simple)
		out_c(&c->o, '(');
	print(c, n);
	if (!simple)
		out_c(&c->o, ')');
}

static struct node *find_pack(struct cpp *c, struct node *n, int depth)
{
	if (!n || depth > 64)
		return NULL;
	if (n->kind == K_TPARAM) {
		int saved = c->pack_index;
		c->pack_index = -1;
		struct node *r = resolve(c, n);
		c->pack_index = saved;
		return r && r->kind == K_ARGPACK ? r : NULL;
	}
	if (n->kind == K_LAMBDA || n->kind == K_NAME || n->kind == K_TEXT || n->kind == K_STD ||
	    n->kind == K_FPARAM || n->kind == K_UNNAMED || n->kind == K_OPERATOR)
		return NULL;
	if (n->kind == K_LIST) {
		for (int i = 0; n && i < 1000; n = n->b, i++) {
			struct node *p = find_pack(c, n->a, depth + 1);
			if (p)
				return p;
		}
		return NULL;
	}
	struct node *p = find_pack(c, n->a, depth + 1);
	if (!p)
		p = find_pack(c, n->b, depth + 1);
	if (!p)
		p = find_pack(c, n->c, depth + 1);
	return p;
}

static void print_literal(struct cpp *c, struct node *n)
{
	struct node *t = n->a;
	int lit = t && t->kind == K_TEXT ? t->num : LIT_CAST;
	switch (lit) {
	case LIT_INT:
	case LIT_UNSIGNED:
	case LIT_LONG:
	case LIT_ULONG:
	case LIT_LLONG:
	case LIT_ULLONG: {
		static const char *const suffix[] = { "", "u", "l", "ul", "ll", "ull" };
		if (n->num)
			out_c(&c->o, '-');
		out_add(&c->o, n->s, n->n);
		out_s(&c->o, suffix[lit - LIT_INT]);
		return;
	}
	case LIT_BOOL:
		if (!n->num && n->n == 1 && (n->s[0] == '0' || n->s[0] == '1')) {
			out_s(&c->o, n->s[0] == '1' ? "true" : "false");
			return;
		}
		break;
	case LIT_FLOAT:
		out_c(&c->o, '(');
		print(c, t);
		out_s(&c->o, ")[");
		out_add(&c->o, n->s, n->n);
		out_c(&c->o, ']');
		return;
	}
	out_c(&c->o, '(');
	print(c, t);
	out_c(&c->o, ')');
	if (n->num)
		out_c(&c->o, '-');
	out_add(&c->o, n->s, n->n);
}

static void print_encoding(struct cpp *c, struct node *n)
{
	struct node *f = n->b, *ret = n->num ? NULL : f->a;
	struct node *saved = c->ptmpl, *typed = n->a;
	for (int guard = 0; typed && typed->kind == K_LOCAL && guard < MAX_DEPTH; guard++)
		typed = typed->b;
	if (typed && typed->kind == K_TEMPLATE)
		c->ptmpl = typed->b;
	if (ret) {
		print_left(c, ret);
		if (!has_right(c, ret))
			out_c(&c->o, ' ');
	}
	print(c, n->a);
	out_c(&c->o, '(');
	print_params(c, f->b);
	out_c(&c->o, ')');
	/* the member function's qualifiers belong to it, inside a returned declarator */
	print_quals(c, f->quals, 0, 0);
	print_ref(c, f->num);
	if (ret)
		print_right(c, ret);
	c->ptmpl = saved;
}

static void print(struct cpp *c, struct node *n)
{
	if (!pstart(c) || !n) {
		fail(c);
		pend(c);
		return;
	}
	struct out *o = &c->o;
	switch (n->kind) {
	case K_NAME:
		if (n->n >= 10 && !memcmp(n->s, "_GLOBAL_", 8) &&
		    (n->s[8] == '.' || n->s[8] == '_' || n->s[8] == '$') && n->s[9] == 'N')
			out_s(o, "(anonymous namespace)");
		else
			out_add(o, n->s, n->n);
		break;
	case K_TEXT:
	case K_STD:
		out_add(o, n->s, n->n);
		break;
	case K_QUAL:
	case K_LOCAL:
		print(c, n->a);
		out_s(o, "::");
		print(c, n->b);
		break;
	case K_TEMPLATE: {
		/* a conversion operator's type may use the args of the template it names */
		struct node *saved = c->cur_tmpl;
		c->cur_tmpl = n->b;
		print(c, n->a);
		c->cur_tmpl = saved;
		if (out_last(o) == '<')
			out_c(o, ' ');
		out_c(o, '<');
		print(c, n->b);
		if (out_last(o) == '>')
			out_c(o, ' ');
		out_c(o, '>');
		break;
	}
	case K_ARGS:
	case K_ARGPACK:
		print_list(c, n->a);
		break;
	case K_OPERATOR:
		out_s(o, "operator");
		if (n->a) {
			out_s(o, n->s);
			print(c, n->a);
		} else {
			if (is_alpha(n->s[0]))
				out_c(o, ' ');
			size_t len = strlen(n->s); /* "delete " as a name loses its space */
			if (len && n->s[len - 1] == ' ')
				len--;
			out_add(o, n->s, len);
		}
		break;
	case K_CONV: {
		struct node *outer = c->ptmpl;
		if (c->cur_tmpl)
			c->ptmpl = c->cur_tmpl;
		out_s(o, "operator ");
		if (n->a && n->a->kind == K_TEMPLATE) {
			/* libiberty prints a templated conversion type's args with no template
			 * in scope, so a T_ there does not demangle */
			struct node *saved = c->ptmpl;
			print(c, n->a->a);
			c->ptmpl = NULL;
			if (out_last(o) == '<')
				out_c(o, ' ');
			out_c(o, '<');
			print(c, n->a->b);
			if (out_last(o) == '>')
				out_c(o, ' ');
			out_c(o, '>');
			c->ptmpl = saved;
		} else {
			print(c, n->a);
		}
		c->ptmpl = outer;
		break;
	}
	case K_CTOR:
		print(c, n->a);
		break;
	case K_DTOR:
		out_c(o, '~');
		print(c, n->a);
		break;
	case K_ABI_TAG:
		print(c, n->a);
		out_s(o, "[abi:");
		out_add(o, n->s, n->n);
		out_c(o, ']');
		break;
	case K_LAMBDA: {
		int saved = c->lambda_arg;
		c->lambda_arg = 1;
		out_s(o, "{lambda(");
		print_params(c, n->a);
		c->lambda_arg = saved;
		out_s(o, ")#");
		out_u(o, (uint64_t)n->num);
		out_c(o, '}');
		break;
	}
	case K_UNNAMED:
		out_s(o, n->num < 0 ? "{default arg#" : "{unnamed type#");
		out_u(o, (uint64_t)(n->num < 0 ? -n->num : n->num));
		out_c(o, '}');
		break;
	case K_BINDING:
		out_c(o, '[');
		print_list(c, n->a);
		out_c(o, ']');
		break;
	case K_SPECIAL:
		out_s(o, n->s);
		if (n->quals) {
			out_u(o, (uint64_t)n->num);
			out_s(o, " for ");
		}
		print(c, n->a);
		break;
	case K_CTOR_VT:
		out_s(o, "construction vtable for ");
		print(c, n->a);
		out_s(o, "-in-");
		print(c, n->b);
		break;
	case K_ENCODING:
		print_encoding(c, n);
		break;
	case K_CLONE:
		print(c, n->a);
		out_s(o, " [clone ");
		out_add(o, n->s, n->n);
		out_c(o, ']');
		break;
	case K_QUALTYPE:
	case K_PTR:
	case K_LREF:
	case K_RREF:
	case K_FUNC:
	case K_ARRAY:
	case K_PTRMEM:
		print_left(c, n);
		print_right(c, n);
		break;
	case K_POSTFIX:
		print(c, n->a);
		if (n->num == 1) {
			out_add(o, n->s, n->n); /* _Float<N> */
		} else if (n->b) {
			out_s(o, n->s);
			print(c, n->b);
			out_c(o, ')');
		} else {
			out_s(o, n->s);
		}
		break;
	case K_PACKEXP: {
		struct node *pack = find_pack(c, n->a, 0);
		if (!pack) {
			/* nothing to expand: the pattern itself, as an operand */
			print_subexpr(c, n->a);
			out_s(o, "...");
			break;
		}
		int len = 0;
		for (struct node *cell = pack->a; cell && len < 100000; cell = cell->b)
			len++;
		int saved = c->pack_index;
		for (int i = 0; i < len && !c->fail; i++) {
			if (i)
				out_s(o, ", ");
			c->pack_index = i;
			print(c, n->a);
		}
		c->pack_index = saved;
		break;
	}
	case K_TPARAM: {
		if (c->lambda_arg) {
			out_s(o, "auto:");
			out_u(o, (uint64_t)n->num + 1);
			break;
		}
		struct node *r = resolve(c, n);
		if (r)
			print(c, r);
		break;
	}
	case K_DECLTYPE:
		out_s(o, "decltype (");
		print(c, n->a);
		out_c(o, ')');
		break;
	case K_LITERAL:
		print_literal(c, n);
		break;
	case K_FPARAM:
		out_s(o, "{parm#");
		out_u(o, (uint64_t)n->num);
		out_c(o, '}');
		break;
	case K_UNARY: {
		struct node *a = n->a;
		/* &A::f, not &(A::f(int)): the address of a member function drops its params */
		if (!strcmp(n->s, "&") && a && a->kind == K_ENCODING && a->a && a->a->kind == K_QUAL &&
		    !a->b->quals && !a->b->num)
			a = a->a;
		out_s(o, n->s);
		print_subexpr(c, a);
		break;
	}
	case K_BINARY: {
		int gt = !strcmp(n->s, ">");
		if (gt)
			out_c(o, '(');
		print_subexpr(c, n->a);
		if (!strcmp(n->s, "[]")) {
			out_c(o, '[');
			print(c, n->b);
			out_c(o, ']');
		} else {
			out_s(o, n->s);
			print_subexpr(c, n->b);
		}
		if (gt)
			out_c(o, ')');
		break;
	}
	case K_TRINARY:
		print_subexpr(c, n->a);
		out_s(o, n->s);
		print_subexpr(c, n->b);
		out_s(o, " : ");
		print_subexpr(c, n->c);
		break;
	case K_CAST:
		out_c(o, '(');
		print(c, n->a);
		out_c(o, ')');
		if (n->b && n->b->kind == K_ARGPACK) {
			out_c(o, '(');
			print(c, n->b);
			out_c(o, ')');
		} else {
			print_subexpr(c, n->b);
		}
		break;
	case K_NAMEDCAST:
		out_s(o, n->s);
		out_c(o, '<');
		print(c, n->a);
		out_s(o, ">(");
		print(c, n->b);
		out_c(o, ')');
		break;
	case K_CALL:
		/* a function named by its mangled name (L_Z...E) is called by name alone */
		print_subexpr(c, n->a && n->a->kind == K_ENCODING ? n->a->a : n->a);
		out_c(o, '(');
		print_list(c, n->b);
		out_c(o, ')');
		break;
	case K_TYPEOP:
		out_s(o, n->s);
		out_c(o, '(');
		print(c, n->a);
		out_c(o, ')');
		break;
	case K_SIZEOFPACK: {
		/* a known pack prints as its length */
		struct node *pack = find_pack(c, n->a, 0);
		if (pack) {
			uint64_t len = 0;
			for (struct node *cell = pack->a; cell; cell = cell->b)
				len++;
			out_u(o, len);
			break;
		}
		out_s(o, "sizeof...(");
		print(c, n->a);
		out_c(o, ')');
		break;
	}
	case K_INITLIST:
		if (n->a)
			print(c, n->a);
		out_c(o, '{');
		print_list(c, n->b);
		out_c(o, '}');
		break;
	case K_NEW:
		out_s(o, n->s);
		out_c(o, ' ');
		print(c, n->a);
		if (n->b) {
			out_c(o, '(');
			print_list(c, n->b);
			out_c(o, ')');
		}
		break;
	default:
		fail(c);
	}
	pend(c);
}

/* .<lowercase or _ or digit>... then .<digits>..., as GCC's clone suffixes (.cold, .isra.0) */
static struct node *parse_clone_suffix(struct cpp *c, struct node *enc)
{
	const char *s = c->p, *e = s + 1;
	if (e < c->end && (is_lower(*e) || *e == '_' || is_digit(*e))) {
		e++;
		while (e < c->end && (is_lower(*e) || *e == '_' || is_digit(*e)))
			e++;
	}
	while (e + 1 < c->end && *e == '.' && is_digit(e[1])) {
		e += 2;
		while (e < c->end && is_digit(*e))
			e++;
	}
	c->p = e;
	struct node *n = mk2(c, K_CLONE, enc, NULL);
	if (n) {
		n->s = s;
		n->n = (size_t)(e - s);
	}
	return n;
}

static char *demangle_cpp_try(const char *sym, size_t len, int opts, int old_sr, int *retry)
{
	struct cpp c;
	memset(&c, 0, sizeof c);
	c.p = sym + 2;
	c.end = sym + len;
	c.max_nodes = 64 + 16 * len;
	c.pack_index = -1;
	c.old_sr = old_sr;
	c.no_params = !!(opts & DEMANGLE_NO_PARAMS);
	c.top = 1;
	struct node *n = parse_encoding(&c);
	if (c.no_params)
		c.p = c.end; /* the parameters and any clone suffix are not read */
	while (!c.fail && pk(&c) == '.' && (is_lower(pk1(&c)) || pk1(&c) == '_' || is_digit(pk1(&c))))
		n = parse_clone_suffix(&c, n);
	if (c.p != c.end || !n)
		c.fail = 1;
	if (!c.fail)
		print(&c, n);
	*retry = c.fail && c.new_sr_seen;
	char *r = out_finish(&c.o, !c.fail);
	free(c.subs);
	while (c.blocks) {
		struct block *b = c.blocks->next;
		free(c.blocks);
		c.blocks = b;
	}
	return r;
}

static char *demangle_cpp(const char *sym, size_t len, int opts)
{
	int retry;
	char *r = demangle_cpp_try(sym, len, opts, 0, &retry);
	if (!r && retry)
		r = demangle_cpp_try(sym, len, opts, 1, &retry);
	return r;
}

/* Itanium C++, and old GCC's static constructor and destructor functions (_GLOBAL__I_...) */
char *demangle_itanium(const char *sym, size_t len, int opts)
{
	if (len > 11 && !memcmp(sym, "_GLOBAL_", 8) &&
	    (sym[8] == '.' || sym[8] == '_' || sym[8] == '$') &&
	    (sym[9] == 'D' || sym[9] == 'I') && sym[10] == '_') {
		/* old GCC's static constructor and destructor functions */
		struct out o = { 0 };
		int mangled = len > 12 && sym[11] == '_' && sym[12] == 'Z';
		/* libiberty prints its parameters in either mode */
		char *inner = mangled ? demangle_cpp(sym + 11, len - 11, 0) : NULL;
		if (mangled && !inner)
			return NULL;
		out_s(&o, sym[9] == 'I' ? "global constructors keyed to " :
		                          "global destructors keyed to ");
		if (inner)
			out_s(&o, inner);
		else
			out_add(&o, sym + 11, len - 11);
		free(inner);
		return out_finish(&o, 1);
	}
	if (len >= 3 && sym[0] == '_' && sym[1] == 'Z')
		return demangle_cpp(sym, len, opts);
	return NULL;
}
