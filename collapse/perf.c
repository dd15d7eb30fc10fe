#include "perf.h"
#include "demangle.h"

#include <string.h>

/* Whitespace as Perl's \s (ASCII): one table load instead of six compares in the hot loops. */
static const unsigned char ws_table[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

static inline int is_ws(char c)
{
	return ws_table[(unsigned char)c];
}

size_t perf_skip_space(const char *line, size_t len)
{
	/* perf indents frames with a tab and then spaces to align the address: skip 8 spaces a step. */
	size_t i = 0;
	while (i < len && line[i] == '\t')
		i++;
	for (uint64_t w; i + 8 <= len; i += 8) {
		memcpy(&w, line + i, 8);
		if (w != 0x2020202020202020ULL)
			break;
	}
	while (i < len && ws_table[(unsigned char)line[i]])
		i++;
	return i;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Perl's \w in byte mode: [A-Za-z0-9_]. */
static const unsigned char word_table[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
};

static inline int is_word(char c)
{
	return word_table[(unsigned char)c];
}

static int span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

static int span_starts(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len >= n && memcmp(s.ptr, lit, n) == 0;
}

static int span_ends(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len >= n && memcmp(s.ptr + s.len - n, lit, n) == 0;
}

/* Next whitespace-separated token in line[*pos, end). */
static int next_token(const char *line, size_t end, size_t *pos, struct span *tok)
{
	size_t i = *pos;
	while (i < end && is_ws(line[i]))
		i++;
	if (i == end)
		return 0;
	size_t start = i;
	while (i < end && !is_ws(line[i]))
		i++;
	tok->ptr = line + start;
	tok->len = i - start;
	*pos = i;
	return 1;
}

static int all_digits(struct span s)
{
	if (!s.len)
		return 0;
	for (size_t i = 0; i < s.len; i++)
		if (!is_digit(s.ptr[i]))
			return 0;
	return 1;
}

static int parse_period(struct span s, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned)(s.ptr[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * The process name runs up to the first "pid" or "pid/tid" token (digits surrounded by
 * whitespace), as in stackcollapse-perf.pl; unlike it, a leading space (perf pads comm when there
 * are no call chains) and one-character names are fine.
 */
/*
 * What follows the pid, each part optional: "[cpu] time: period event:" and, after the event,
 * tracepoint arguments or a one-frame stack. Returns 0 when it does not start like that.
 */
static int parse_header_tail(const char *line, size_t end, size_t pos, struct perf_header *h)
{
	struct span tok;
	if (!next_token(line, end, &pos, &tok))
		return 0;
	int known = 0;
	if (tok.ptr[0] == '[' && tok.ptr[tok.len - 1] == ']') {
		known = 1;
		if (!next_token(line, end, &pos, &tok))
			return 1;
	}
	if (tok.len > 1 && tok.ptr[tok.len - 1] == ':' && is_digit(tok.ptr[0])) {
		known = 1;
		h->time = (struct span){ tok.ptr, tok.len - 1 };
		if (!next_token(line, end, &pos, &tok))
			return 1;
	}
	if (known && all_digits(tok)) {
		if (parse_period(tok, &h->period) == 0)
			h->has_period = 1;
		else
			h->period_overflow = 1;
		if (!next_token(line, end, &pos, &tok))
			return 1;
	}
	if (tok.len > 1 && tok.ptr[tok.len - 1] == ':') {
		h->event = (struct span){ tok.ptr, tok.len - 1 };
		size_t rest = pos;
		while (rest < end && is_ws(line[rest]))
			rest++;
		struct perf_frame f;
		if (rest < end && perf_parse_frame(line + rest, end - rest, &f))
			h->trailing_frame = (struct span){ line + rest, end - rest };
		return 1;
	}
	return known;
}

/*
 * The process name runs up to the first "pid" or "pid/tid" token (digits surrounded by
 * whitespace) that the rest of a header follows, as in stackcollapse-perf.pl; unlike it, a
 * leading space (perf pads comm when there are no call chains) and one-character names are fine.
 */
int perf_parse_header(const char *line, size_t len, struct perf_header *h)
{
	memset(h, 0, sizeof(*h));
	size_t end = len;
	while (end && is_ws(line[end - 1]))
		end--;
	size_t start = 0;
	while (start < end && is_ws(line[start]))
		start++;
	if (start == end)
		return 0;

	int tries = 0;
	for (size_t i = start + 1; i < end; i++) {
		unsigned char c = (unsigned char)line[i - 1];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;	/* process names hold no control characters */
		if (!is_ws(line[i - 1]) || !is_digit(line[i]))
			continue;
		size_t j = i;
		while (j < end && is_digit(line[j]))
			j++;
		struct span first = { line + i, j - i }, second = { NULL, 0 };
		if (j < end && line[j] == '/') {
			size_t k = j + 1;
			while (k < end && is_digit(line[k]))
				k++;
			if (k == j + 1)
				continue;
			second = (struct span){ line + j + 1, k - j - 1 };
			j = k;
		}
		if (j < end && !is_ws(line[j]))
			continue;
		size_t comm_end = i;
		while (comm_end > start && is_ws(line[comm_end - 1]))
			comm_end--;
		memset(h, 0, sizeof(*h));
		h->comm = (struct span){ line + start, comm_end - start };
		/* "pid/0" reads as a lone id, as the Perl's truth test on the tid makes it (swapper 0/0). */
		if (second.ptr && !(second.len == 1 && second.ptr[0] == '0')) {
			h->pid = first;
			h->tid = second;
		} else {
			h->tid = first;
		}
		h->tail_at = j;
		h->first_try = tries++ == 0;
		if (parse_header_tail(line, end, j, h))
			return 1;
	}
	memset(h, 0, sizeof(*h));
	return 0;
}

int perf_parse_header_again(const char *line, size_t len, size_t tail_at, struct perf_header *h)
{
	size_t end = len;
	while (end > tail_at && is_ws(line[end - 1]))
		end--;
	h->time = h->event = h->trailing_frame = (struct span){ NULL, 0 };
	h->period = 0;
	h->has_period = h->period_overflow = 0;
	h->tail_at = tail_at;
	h->first_try = 1;
	return parse_header_tail(line, end, tail_at, h);
}

/*
 * "<pc> <func> (<dso>)" read the way stackcollapse-perf.pl's pattern does: the dso runs from the
 * last " (" that has a ')' after it to the last ')', so dso paths with spaces and parentheses work.
 */
size_t perf_skip_word(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && is_word(line[i]))
		i++;
	return i;
}

int perf_parse_frame(const char *line, size_t len, struct perf_frame *f)
{
	size_t i = perf_skip_space(line, len);
	size_t pc_start = i;
	while (i < len && is_word(line[i]))
		i++;
	if (i == pc_start)
		return 0;
	size_t pc_end = i;

	const char *rparen = len > pc_end ? memrchr(line + pc_end, ')', len - pc_end) : NULL;
	if (!rparen)
		return 0;
	size_t close = (size_t)(rparen - line);	/* index of the last ')' */
	size_t q = close;		/* becomes the index of the space in the last " (" */
	for (;;) {
		const char *lparen = q > pc_end + 1 ? memrchr(line + pc_end + 1, '(', q - pc_end - 1) : NULL;
		if (!lparen)
			return 0;
		q = (size_t)(lparen - line);
		if (line[q - 1] == ' ') {
			q--;
			break;
		}
	}
	/* A dso path that holds " (" itself ("/opt/my app (2)/lib.so"): perf's dsos are paths or
	 * [names], so then the first " (/" or " ([" marks its start. */
	if (line[q + 2] != '/' && line[q + 2] != '[') {
		for (size_t i = pc_end; i < q; i++) {
			if (line[i] == ' ' && line[i + 1] == '(' && (line[i + 2] == '/' || line[i + 2] == '[')) {
				q = i;
				break;
			}
		}
	}

	size_t func_start = pc_end;
	while (func_start < q && is_ws(line[func_start]))
		func_start++;
	f->pc = (struct span){ line + pc_start, pc_end - pc_start };
	f->dso = (struct span){ line + q + 2, close - q - 2 };
	/* No symbol ("pc (dso)" or "pc  (dso)") reads as " ", as in the Perl. The span is a space of
	 * the line itself, so that func always lies in the line, before the dso. */
	if (func_start < q)
		f->func = (struct span){ line + func_start, q - func_start };
	else
		f->func = (struct span){ line + q, 1 };
	return 1;
}

struct span perf_event_base(struct span event)
{
	size_t colon = event.len;
	while (colon > 0 && event.ptr[colon - 1] != ':')
		colon--;
	if (colon < 2 || colon == event.len)
		return event;
	for (size_t i = colon; i < event.len; i++)
		if (!strchr("ukhIGHpPSDWeb", event.ptr[i]))
			return event;
	return (struct span){ event.ptr, colon - 1 };
}

static int event_is(struct span event, struct span w)
{
	if (event.len == w.len && memcmp(event.ptr, w.ptr, w.len) == 0)
		return 1;
	struct span a = perf_event_base(event), b = perf_event_base(w);
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

int perf_event_matches(struct span event, const char *want)
{
	for (;;) {
		const char *comma = strchr(want, ',');
		struct span w = { want, comma ? (size_t)(comma - want) : strlen(want) };
		if (event_is(event, w))
			return 1;
		if (!comma)
			return 0;
		want = comma + 1;
	}
}

struct span perf_strip_offset(struct span func)
{
	size_t i = func.len;
	while (i > 0 && ((func.ptr[i - 1] >= '0' && func.ptr[i - 1] <= '9') ||
			 (func.ptr[i - 1] >= 'a' && func.ptr[i - 1] <= 'f')))
		i--;
	if (i < func.len && i >= 3 && memcmp(func.ptr + i - 3, "+0x", 3) == 0)
		func.len = i - 3;
	return func;
}

int rust_legacy_decode(struct span sym, struct strbuf *out)
{
	/* "path::h0123456789abcdef": perf printed the legacy Rust name without finishing it. The
	 * path is unescaped as one identifier, so the mangler's '_' before an escape is dropped at
	 * its start only ("a::_<impl [T]>::len", not "a::<impl [T]>::len"): inferno's bytes, the
	 * compatibility oracle for this input (flame-record, like perf, drops it in each part). */
	enum { HASH = 17 };
	if (sym.len < HASH + 2 || memcmp(sym.ptr + sym.len - HASH - 2, "::", 2) != 0 ||
	    !demangle_rust_legacy_hash(sym.ptr + sym.len - HASH, HASH))
		return 0;
	size_t n = sym.len - HASH - 2;
	sb_grow(out, n);
	out->len += demangle_rust_legacy_unescape(sym.ptr, n, out->buf + out->len);
	out->buf[out->len] = '\0';
	return 1;
}

/* inferno's reading of kernel modules: "[...]" names, *.ko files, and vmlinux with or without version. */
static int is_kernel_dso(struct span dso)
{
	if (span_eq(dso, "[unknown]"))
		return 0;
	if (span_starts(dso, "[") || span_ends(dso, ".ko"))
		return 1;
	const char *vm = NULL;
	for (size_t i = 0; i + 7 <= dso.len; i++)
		if (memcmp(dso.ptr + i, "vmlinux", 7) == 0)
			vm = dso.ptr + i;
	if (!vm)
		return 0;
	for (const char *p = vm; p < dso.ptr + dso.len; p++)
		if (!is_word(*p) && *p != '-' && *p != '.')
			return 0;
	return 1;
}

static int is_jit_dso(struct span dso)
{
	if (span_starts(dso, "/tmp/perf-") && span_ends(dso, ".map"))
		return 1;
	if (!span_ends(dso, ".so"))
		return 0;
	for (size_t i = 0; i + 8 <= dso.len; i++)
		if (memcmp(dso.ptr + i, "/jitted-", 8) == 0)
			return 1;
	return 0;
}

static int contains(const char *p, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(p + i, lit, m) == 0)
			return 1;
	return 0;
}

/*
 * Append a function name without its argument list. The list starts at the first '(' outside
 * <>, {}, [] that is neither a Go method receiver ("pkg.(*T).M") nor "(anonymous namespace)", so
 * "std::function<int (int)>::operator()" keeps its template argument (inferno's fix of the Perl).
 */
static void add_without_args(struct strbuf *out, const char *p, size_t n)
{
	int depth = 0;
	size_t cut = n;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '<' || c == '{' || c == '[') {
			depth++;
		} else if (c == '>' || c == '}' || c == ']' || c == ')') {
			depth--;
		} else if (c == '(') {
			if (depth <= 0 && !(i > 0 && p[i - 1] == '.') &&
			    !(n - i >= 21 && memcmp(p + i, "(anonymous namespace)", 21) == 0)) {
				cut = i;
				break;
			}
			depth++;
		}
	}
	size_t start = out->len;
	sb_add(out, p, cut);
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] == ';')
			out->buf[i] = ':';
}

static struct span basename_of(struct span path)
{
	size_t i = path.len;
	while (i > 0 && path.ptr[i - 1] != '/')
		i--;
	return (struct span){ path.ptr + i, path.len - i };
}

/* A --srcline line, tidied as stackcollapse-perf.pl does: "[...]" groups removed, trimmed. */
static void add_srcline(struct strbuf *out, struct span line)
{
	struct strbuf tmp = STRBUF_INIT;
	for (size_t i = 0; i < line.len; i++) {
		if (line.ptr[i] == '[') {
			const char *close = memchr(line.ptr + i, ']', line.len - i);
			if (close) {
				i = (size_t)(close - line.ptr);
				continue;
			}
		}
		sb_addc(&tmp, line.ptr[i]);
	}
	size_t s = 0, e = tmp.len;
	while (s < e && is_ws(tmp.buf[s]))
		s++;
	while (e > s && is_ws(tmp.buf[e - 1]))
		e--;
	if (e > s) {
		sb_addc(out, ':');
		sb_add(out, tmp.buf + s, e - s);
	}
	sb_release(&tmp);
}

/* Split on "->", the separator of Java inlined frames. */
static int next_part(struct span *rest, struct span *part)
{
	if (!rest->ptr)
		return 0;
	for (size_t i = 0; i + 1 < rest->len; i++) {
		if (rest->ptr[i] == '-' && rest->ptr[i + 1] == '>') {
			*part = (struct span){ rest->ptr, i };
			rest->ptr += i + 2;
			rest->len -= i + 2;
			return 1;
		}
	}
	*part = *rest;
	rest->ptr = NULL;
	return 1;
}

size_t srcline_count(const struct perf_frame *f)
{
	struct span func = perf_strip_offset(f->func);
	if (func.len && func.ptr[0] == '(')
		return 0;
	struct span rest = func, part;
	size_t n = 0;
	while (next_part(&rest, &part)) {
		if (span_eq(part, "[unknown]") && span_eq(f->dso, "[unknown]"))
			break;
		n++;
	}
	return n;
}

int tidy_frame(const struct perf_frame *f, const struct tidy_options *o, const struct span *srclines,
	       size_t nsrclines, struct strbuf *out)
{
	struct span func = perf_strip_offset(f->func);
	if (func.len && func.ptr[0] == '(')
		return 0;

	/* The Perl drops quotes from names (they broke its SVG); Rust names decoded below keep theirs. */
	struct strbuf raw = STRBUF_INIT, decoded = STRBUF_INIT;
	if (memchr(func.ptr, '"', func.len) || memchr(func.ptr, '\'', func.len)) {
		for (size_t i = 0; i < func.len; i++)
			if (func.ptr[i] != '"' && func.ptr[i] != '\'')
				sb_addc(&raw, func.ptr[i]);
		func = (struct span){ raw.buf, raw.len };
	}
	if (rust_legacy_decode(func, &decoded))
		func = (struct span){ decoded.buf, decoded.len };

	struct span rest = func, part;
	int parts = 0, unknown = 0;
	while (next_part(&rest, &part)) {
		if (parts)
			sb_addc(out, ';');
		size_t start = out->len;
		if (span_eq(part, "[unknown]")) {
			struct span name = { "unknown", 7 };
			if (!span_eq(f->dso, "[unknown]"))
				name = basename_of(f->dso);
			else
				unknown = 1;
			struct strbuf tmp = STRBUF_INIT;
			sb_addc(&tmp, '[');
			sb_add(&tmp, name.ptr, name.len);
			if (o->include_addrs) {
				sb_add(&tmp, " <", 2);
				sb_add(&tmp, f->pc.ptr, f->pc.len);
				sb_addc(&tmp, '>');
			}
			sb_addc(&tmp, ']');
			add_without_args(out, tmp.buf, tmp.len);
			sb_release(&tmp);
		} else {
			add_without_args(out, part.ptr, part.len);
		}
		/* Java: "Lorg/foo/Bar;.baz" names lose their type-descriptor 'L'. */
		if (o->java && out->len > start && out->buf[start] == 'L' &&
		    memchr(out->buf + start, '/', out->len - start)) {
			memmove(out->buf + start, out->buf + start + 1, out->len - start - 1);
			out->len--;
			out->buf[out->len] = '\0';
		}
		size_t n = out->len - start;
		if (parts > 0) {
			if (!contains(out->buf + start, n, "_[i]"))
				sb_add(out, "_[i]", 4);
		} else if (o->annotate_kernel && is_kernel_dso(f->dso)) {
			sb_add(out, "_[k]", 4);
		} else if (o->annotate_jit && is_jit_dso(f->dso) && !contains(out->buf + start, n, "_[j]")) {
			sb_add(out, "_[j]", 4);
		}
		if (srclines && !unknown && (size_t)parts < nsrclines)
			add_srcline(out, srclines[parts]);
		parts++;
	}
	sb_release(&raw);
	sb_release(&decoded);
	return parts;
}
