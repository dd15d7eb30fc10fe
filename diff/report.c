#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "util.h"

/* A growth this close to the limit is taken as equal: shares are quotients of doubles. */
#define GATE_EPSILON 1e-9

static double percent(double part, double total)
{
	return total > 0 ? 100.0 * part / total : 0.0;
}

static const struct report *sort_report;

static double change(const struct frame_share *s)
{
	double i = fabs(s->incl_delta), d = fabs(s->self_delta);
	return i > d ? i : d;
}

static int by_name(const struct interner *names, uint32_t a, uint32_t b)
{
	const struct intern_key *ka = intern_get(names, a), *kb = intern_get(names, b);
	int c = memcmp(ka->bytes, kb->bytes, ka->len < kb->len ? ka->len : kb->len);
	return c ? c : (ka->len > kb->len) - (ka->len < kb->len);
}

/* Largest change (inclusive or self) first, then largest inclusive, then self change, then by name. */
static int by_change(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct frame_share *sa = &sort_report->share[a], *sb = &sort_report->share[b];
	double ca = change(sa), cb = change(sb);
	if (ca != cb)
		return ca < cb ? 1 : -1;
	ca = fabs(sa->incl_delta);
	cb = fabs(sb->incl_delta);
	if (ca != cb)
		return ca < cb ? 1 : -1;
	ca = fabs(sa->self_delta);
	cb = fabs(sb->self_delta);
	if (ca != cb)
		return ca < cb ? 1 : -1;
	return by_name(&sort_report->frames, a, b);
}

/* Largest inclusive growth first, then by name. */
static int by_growth(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	double ga = sort_report->share[a].incl_delta, gb = sort_report->share[b].incl_delta;
	if (ga != gb)
		return ga < gb ? 1 : -1;
	return by_name(&sort_report->frames, a, b);
}

void report_build(struct report *rep, const struct diff_table *t)
{
	memset(rep, 0, sizeof(*rep));
	rep->table = t;
	/* counted_in[frame] = 1 + the last stack that added to the frame's inclusive count */
	uint32_t *counted_in = NULL;
	size_t counted_cap = 0;
	for (uint32_t id = 0; id < table_size(t); id++) {
		const struct intern_key *k = intern_get(&t->stacks, id);
		const struct stack_counts *c = &t->counts[id];
		const char *p = k->bytes, *end = p + k->len;
		if (k->len == 0)
			continue;
		for (;;) {
			const char *semi = memchr(p, ';', (size_t)(end - p));
			const char *frame_end = semi ? semi : end;
			int added;
			uint32_t f = intern(&rep->frames, p, (size_t)(frame_end - p), &added);
			if (added) {
				GROW(rep->share, rep->cap, (size_t)f + 1);
				memset(&rep->share[f], 0, sizeof(rep->share[f]));
				GROW(counted_in, counted_cap, (size_t)f + 1);
				counted_in[f] = 0;
			}
			struct frame_share *s = &rep->share[f];
			if (counted_in[f] != id + 1) {
				counted_in[f] = id + 1;
				s->incl_count[BEFORE] += c->value[BEFORE];
				s->incl_count[AFTER] += c->value[AFTER];
			}
			if (!semi) {
				s->self_count[BEFORE] += c->value[BEFORE];
				s->self_count[AFTER] += c->value[AFTER];
				break;
			}
			p = semi + 1;
		}
	}
	free(counted_in);

	size_t n = report_frames(rep);
	rep->ranked = xmalloc(n * sizeof(*rep->ranked));
	for (size_t f = 0; f < n; f++) {
		struct frame_share *s = &rep->share[f];
		for (int side = 0; side < 2; side++) {
			s->incl[side] = percent(s->incl_count[side], t->side[side].total_value);
			s->self[side] = percent(s->self_count[side], t->side[side].total_value);
		}
		s->incl_delta = s->incl[AFTER] - s->incl[BEFORE];
		s->self_delta = s->self[AFTER] - s->self[BEFORE];
		rep->ranked[f] = (uint32_t)f;
	}
	sort_report = rep;
	qsort(rep->ranked, n, sizeof(*rep->ranked), by_change);
}

static int name_matches(const regex_t *re, const struct intern_key *k)
{
#ifdef REG_STARTEND
	/* the whole name, even past a NUL byte in it */
	regmatch_t m[1] = { { 0, (regoff_t)k->len } };
	return regexec(re, k->bytes, 1, m, REG_STARTEND) == 0;
#else
	return regexec(re, k->bytes, 0, NULL, 0) == 0;
#endif
}

/* Whether the gate applies to the frame; notes which --frame expressions matched something. */
static int frame_selected(struct gate *g, const struct intern_key *k)
{
	int selected = !g->nframe_re;
	for (size_t i = 0; i < g->nframe_re; i++) {
		if (selected && g->matched[i])
			continue;
		if (name_matches(&g->frame_re[i], k))
			selected = g->matched[i] = 1;
	}
	return selected;
}

void gate_check(struct gate *g, const struct report *rep)
{
	size_t n = report_frames(rep);
	g->failed = xmalloc(n * sizeof(*g->failed));
	g->matched = xcalloc(g->nframe_re, sizeof(*g->matched));
	g->nfailed = g->ngated = 0;
	for (uint32_t f = 0; f < n; f++) {
		if (!frame_selected(g, intern_get(&rep->frames, f)))
			continue;
		g->ngated++;
		if (rep->share[f].incl_delta > g->fail_above + GATE_EPSILON)
			g->failed[g->nfailed++] = f;
	}
	sort_report = rep;
	qsort(g->failed, g->nfailed, sizeof(*g->failed), by_growth);
}

void add_printable(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, (char)c);
	}
}

/* Length of the valid UTF-8 sequence at s (shortest form, no surrogates, <= U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_add_string(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
		} else if (c == '\n') {
			sb_adds(sb, "\\n");
		} else if (c == '\t') {
			sb_adds(sb, "\\t");
		} else if (c < 0x20) {
			sb_addf(sb, "\\u%04x", c);
		} else if (c >= 0x80) {
			size_t n = utf8_sequence(p + i, len - i);
			if (n) {
				sb_add(sb, p + i, n);
				i += n;
			} else {
				sb_adds(sb, "\\ufffd");
				i++;
			}
			continue;
		} else {
			sb_addc(sb, (char)c);
		}
		i++;
	}
}

/* A fixed-point number that never reads "-0.00". */
static void add_fixed(struct strbuf *sb, const char *fmt, double v, double unit)
{
	if (fabs(v) < unit / 2)
		v = 0;
	sb_addf(sb, fmt, v);
}

/* A side's total: exact when its counts are integers (grouped when for a person), else %.15g. */
static void add_total(struct strbuf *sb, const struct side *s, int grouped)
{
	if (s->fractional)
		folded_add_count(sb, s->total_value);
	else if (grouped)
		sb_add_u64_grouped(sb, s->total);
	else
		sb_add_u64(sb, s->total);
}

static void add_delta_cell(struct strbuf *sb, double v)
{
	if (fabs(v) < 0.005)
		sb_addf(sb, "%11s", "0.00");
	else
		sb_addf(sb, "%+11.2f", v);
}

void report_write_text(const struct report *rep, size_t top, struct writer *out)
{
	const struct diff_table *t = rep->table;
	size_t n = report_frames(rep);
	size_t rows = top && top < n ? top : n;
	struct strbuf *sb = &out->sb;
	static const char *const label[2] = { "before", "after " };
	for (int side = 0; side < 2; side++) {
		sb_addf(sb, "%s: ", label[side]);
		add_printable(sb, t->side[side].name, strlen(t->side[side].name));
		sb_adds(sb, ", total ");
		add_total(sb, &t->side[side], 1);
		sb_addc(sb, '\n');
	}
	sb_addf(sb, "%zu of %zu frames, largest change first; shares in %% of each side's total, "
		"deltas in points\n\n", rows, n);
	sb_addf(sb, "%11s  %11s  %11s  %11s  %11s  %11s  %s\n", "incl.before", "incl.after",
		"incl.delta", "self.before", "self.after", "self.delta", "frame");
	for (size_t r = 0; r < rows; r++) {
		uint32_t f = rep->ranked[r];
		const struct frame_share *s = &rep->share[f];
		const struct intern_key *k = intern_get(&rep->frames, f);
		sb_addf(sb, "%10.2f%%  %10.2f%%  ", s->incl[BEFORE], s->incl[AFTER]);
		add_delta_cell(sb, s->incl_delta);
		sb_addf(sb, "  %10.2f%%  %10.2f%%  ", s->self[BEFORE], s->self[AFTER]);
		add_delta_cell(sb, s->self_delta);
		sb_adds(sb, "  ");
		add_printable(sb, k->bytes, k->len);
		writer_add(out, "\n", 1);
	}
}

static void json_share(struct strbuf *sb, const char *name, const double pct[2], double delta,
		       const double count[2])
{
	sb_addf(sb, "\"%s\": {\"before\": ", name);
	add_fixed(sb, "%.4f", pct[BEFORE], 1e-4);
	sb_adds(sb, ", \"after\": ");
	add_fixed(sb, "%.4f", pct[AFTER], 1e-4);
	sb_adds(sb, ", \"delta\": ");
	add_fixed(sb, "%.4f", delta, 1e-4);
	sb_adds(sb, ", \"before_count\": ");
	folded_add_count(sb, count[BEFORE]);
	sb_adds(sb, ", \"after_count\": ");
	folded_add_count(sb, count[AFTER]);
	sb_addc(sb, '}');
}

static void json_frame(struct writer *out, const struct report *rep, uint32_t f, int last)
{
	const struct frame_share *s = &rep->share[f];
	const struct intern_key *k = intern_get(&rep->frames, f);
	struct strbuf *sb = &out->sb;
	sb_adds(sb, "    {\"frame\": \"");
	json_add_string(sb, k->bytes, k->len);
	sb_adds(sb, "\", ");
	json_share(sb, "inclusive", s->incl, s->incl_delta, s->incl_count);
	sb_adds(sb, ", ");
	json_share(sb, "self", s->self, s->self_delta, s->self_count);
	writer_adds(out, last ? "}\n" : "},\n");
}

void report_write_json(const struct report *rep, size_t top, const struct gate *g, struct writer *out)
{
	const struct diff_table *t = rep->table;
	size_t n = report_frames(rep);
	size_t rows = top && top < n ? top : n;
	struct strbuf *sb = &out->sb;
	static const char *const key[2] = { "before", "after" };
	sb_adds(sb, "{\n");
	for (int side = 0; side < 2; side++) {
		const struct side *s = &t->side[side];
		sb_addf(sb, "  \"%s\": {\"file\": \"", key[side]);
		json_add_string(sb, s->name, strlen(s->name));
		sb_adds(sb, "\", \"total\": ");
		add_total(sb, s, 0);
		sb_addf(sb, ", \"lines\": %llu, \"malformed_lines\": %llu},\n",
			(unsigned long long)s->lines, (unsigned long long)s->malformed);
	}
	sb_addf(sb, "  \"frames_total\": %zu,\n  \"frames\": [\n", n);
	for (size_t r = 0; r < rows; r++)
		json_frame(out, rep, rep->ranked[r], r + 1 == rows);
	sb_adds(sb, "  ],\n  \"gate\": ");
	if (!g) {
		writer_adds(out, "null\n}\n");
		return;
	}
	sb_adds(sb, "{\"fail_above\": ");
	sb_add_number(sb, g->fail_above);
	sb_adds(sb, ", \"frame\": [");
	for (size_t i = 0; i < g->nframe_re; i++) {
		sb_adds(sb, i ? ", \"" : "\"");
		json_add_string(sb, g->frame_src[i], strlen(g->frame_src[i]));
		sb_addc(sb, '"');
	}
	sb_addf(sb, "], \"passed\": %s, \"failed\": [\n", g->nfailed ? "false" : "true");
	for (size_t i = 0; i < g->nfailed; i++)
		json_frame(out, rep, g->failed[i], i + 1 == g->nfailed);
	writer_adds(out, "  ]}\n}\n");
}

void gate_print_failures(const struct gate *g, const struct report *rep)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < g->nfailed; i++) {
		const struct frame_share *s = &rep->share[g->failed[i]];
		const struct intern_key *k = intern_get(&rep->frames, g->failed[i]);
		sb_reset(&sb);
		add_printable(&sb, k->bytes, k->len);
		warn("regression: %s: inclusive share %.2f%% -> %.2f%% (%+.2f points, limit %g)",
		     sb.buf, s->incl[BEFORE], s->incl[AFTER], s->incl_delta, g->fail_above);
	}
	if (g->nfailed)
		warn("%zu frame%s grew by more than %g points", g->nfailed, g->nfailed == 1 ? "" : "s",
		     g->fail_above);
	sb_release(&sb);
}

void report_free(struct report *rep)
{
	interner_free(&rep->frames);
	free(rep->share);
	free(rep->ranked);
}
