#include "svg.h"
#include "hash.h"
#include "script.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XPAD SVG_XPAD

void xml_escape(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '&' && *p != '<' && *p != '>' && *p != '"' && *p != '\'')
			p++;
		sb_add(sb, run, (size_t)(p - run));
		if (p == end)
			break;
		unsigned char c = *p;
		switch (c) {
		case '&': sb_add(sb, "&amp;", 5); p++; continue;
		case '<': sb_add(sb, "&lt;", 4); p++; continue;
		case '>': sb_add(sb, "&gt;", 4); p++; continue;
		case '"': sb_add(sb, "&quot;", 6); p++; continue;
		case '\'': sb_add(sb, "&#39;", 5); p++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			/* XML 1.0 cannot hold control characters, not even as references: show their pictures. */
			char pic[3] = { (char)0xe2, (char)0x90, (char)(c == 0x7f ? 0xa1 : 0x80 + c) };
			if (c == '\t')
				sb_add(sb, "&#9;", 4);
			else
				sb_add(sb, pic, 3);
			p++;
			continue;
		}
		size_t used;
		uint32_t cp = utf8_decode(p, (size_t)(end - p), &used);
		if (cp == 0xfffd || cp == 0xfffe || cp == 0xffff)
			sb_add(sb, "\xef\xbf\xbd", 3);
		else
			sb_add(sb, p, used);
		p += used;
	}
}

/*
 * Numbers are most of the output, and printf's exact decimal conversion is slow. The fast paths
 * below give printf's result whenever the value is not within a hair of a rounding tie; near a
 * tie (or out of range) printf itself decides.
 */
static double add_fixed(struct strbuf *sb, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100 };
	if (decimals <= 2) {
		double scaled = v * scale[decimals];
		double r = nearbyint(scaled);
		double frac = fabs(scaled - trunc(scaled));
		/* Below 2^32 the product is within 5e-7 of the exact one, so 1e-6 away from a tie is safe. */
		if (fabs(scaled) < 4294967296.0 && fabs(frac - 0.5) > 1e-6 && (r != 0 || !signbit(v))) {
			char buf[32], *p = buf + sizeof(buf);
			uint64_t u = (uint64_t)fabs(r);
			for (int d = 0; d < decimals; d++, u /= 10)
				*--p = (char)('0' + u % 10);
			if (decimals)
				*--p = '.';
			do {
				*--p = (char)('0' + u % 10);
				u /= 10;
			} while (u);
			if (r < 0)
				*--p = '-';
			sb_add(sb, p, (size_t)(buf + sizeof(buf) - p));
			return r / scale[decimals];	/* correctly rounded, so the same double as the text */
		}
	}
	char buf[400];	/* DBL_MAX has 309 digits */
	int n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = snprintf(buf, sizeof(buf), "%g", v);
	sb_add(sb, buf, (size_t)n);
	return strtod(buf, NULL);
}


/* Perl's %.0f, as a string in buf (which holds 400 bytes) and as a double. */
static double round_count(char *buf, double v)
{
	struct strbuf sb = { buf, 0, 400 };
	double r = add_fixed(&sb, v, 0);
	buf[sb.len] = '\0';
	return r;
}

void add_count_grouped(struct strbuf *sb, double v)
{
	char buf[400];
	round_count(buf, v);
	sb_add_grouped(sb, buf, strlen(buf));
}

/* Nanoseconds as time with about three significant digits: "812 ns", "12.3 ms", "1.56 s", "3600 s". */
static void add_duration(struct strbuf *sb, double ns)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "\xc2\xb5s" }, { 1, "ns" },
	};
	size_t i = 0;
	while (i + 1 < sizeof(units) / sizeof(units[0]) && ns < units[i].scale)
		i++;
	double v = ns / units[i].scale;
	int decimals = units[i].scale == 1 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
	char buf[400];
	int n = snprintf(buf, sizeof(buf), "%.*f %s", decimals, v, units[i].unit);
	if (n > 0)
		sb_add(sb, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A count as the tooltips show it: "1,234" or, for nanoseconds, a time. */
static void add_value(struct strbuf *sb, const struct svg_options *o, double v)
{
	if (o->time_ns)
		add_duration(sb, v);
	else
		add_count_grouped(sb, v);
}

/* "1,234 samples" (the --countname), or "1.23 s" for nanoseconds. */
static void add_amount(struct strbuf *sb, const struct svg_options *o, double v)
{
	add_value(sb, o, v);
	if (o->time_ns)
		return;
	sb_addc(sb, ' ');
	xml_escape(sb, o->countname, strlen(o->countname));
}

static void add_rgb(struct strbuf *sb, struct rgb c)
{
	sb_add(sb, "rgb(", 4);
	sb_add_u64(sb, c.r);
	sb_addc(sb, ',');
	sb_add_u64(sb, c.g);
	sb_addc(sb, ',');
	sb_add_u64(sb, c.b);
	sb_addc(sb, ')');
}

/* A text element; the string is escaped here. */
static void add_text(struct strbuf *sb, const char *cls, double x, double y, const char *s, size_t len)
{
	sb_adds(sb, "<text class=\"");
	sb_adds(sb, cls);
	sb_adds(sb, "\" x=\"");
	add_fixed(sb, x, 2);
	sb_adds(sb, "\" y=\"");
	sb_add_number(sb, y);
	sb_adds(sb, "\">");
	xml_escape(sb, s, len);
	sb_adds(sb, "</text>\n");
}

/* The display name: a trailing _[k]-style annotation is for colours only. */
static size_t strip_annotation(const char *s, size_t len)
{
	if (len >= 4 && s[len - 4] == '_' && s[len - 3] == '[' && s[len - 1] == ']' && strchr("kwij", s[len - 2]) && s[len - 2])
		return len - 4;
	return len;
}

/* flamegraph.pl's static label: as many code points as fit, the last two replaced by ".." if cut. */
static void add_label(struct strbuf *sb, const char *name, size_t len, double px, const struct svg_options *o)
{
	double fit = px / (o->fontsize * o->fontwidth);
	if (!(fit >= 3))
		return;
	size_t chars = fit > 1e9 ? (size_t)1e9 : (size_t)fit;
	len = strip_annotation(name, len);
	size_t i = 0, n = 0, cut2 = 0;
	while (i < len && n < chars) {
		size_t used;
		utf8_decode((const unsigned char *)name + i, len - i, &used);
		i += used;
		n++;
		if (n + 2 == chars)
			cut2 = i;
	}
	if (i >= len) {
		xml_escape(sb, name, len);
	} else if (o->truncate_right) {
		xml_escape(sb, name, cut2);
		sb_add(sb, "..", 2);
	} else {
		/* --truncate-text-left: ".." and the last chars-2 code points. */
		size_t total = n;
		for (size_t used; i < len; i += used, total++)
			utf8_decode((const unsigned char *)name + i, len - i, &used);
		size_t skip = total - (chars - 2), at = 0;
		for (size_t k = 0, used; k < skip; k++, at += used)
			utf8_decode((const unsigned char *)name + at, len - at, &used);
		sb_add(sb, "..", 2);
		xml_escape(sb, name + at, len - at);
	}
}

static double ypad1(const struct svg_options *o) { return o->fontsize * 3; }
static double ypad2(const struct svg_options *o) { return o->fontsize * 2 + 10; }
static double ypad3(const struct svg_options *o) { return o->subtitle ? o->fontsize * 2 : 0; }

static uint32_t document_id(const struct svg_options *o, const struct flow *f)
{
	uint64_t h = hash_bytes(o->title, strlen(o->title));
	for (size_t i = 0; i < f->nframes; i++) {
		const struct frame *fr = &f->frames[i];
		uint64_t k[3] = { hash_bytes(fr->name, fr->name_len), 0, 0 };
		memcpy(&k[1], &fr->start, 8);
		memcpy(&k[2], &fr->end, 8);
		h = hash_mix64(h ^ hash_bytes(k, sizeof(k)));
	}
	return (uint32_t)h;
}

static void add_comment(struct strbuf *sb, const char *label, const char *s)
{
	/* "--" may not appear in a comment: break every pair; escape the rest like text. */
	struct strbuf t = STRBUF_INIT;
	xml_escape(&t, s, strlen(s));
	sb_adds(sb, "<!-- ");
	sb_adds(sb, label);
	for (size_t i = 0; i < t.len; i++) {
		sb_addc(sb, t.buf[i]);
		if (t.buf[i] == '-' && (i + 1 == t.len || t.buf[i + 1] == '-'))
			sb_addc(sb, ' ');
	}
	sb_adds(sb, " -->\n");
	sb_release(&t);
}

static void add_attr(struct strbuf *sb, const char *name, const char *value)
{
	sb_addc(sb, ' ');
	sb_adds(sb, name);
	sb_adds(sb, "=\"");
	xml_escape(sb, value, strlen(value));
	sb_addc(sb, '"');
}

static void header(struct strbuf *sb, const struct svg_options *o, double height, uint32_t id)
{
	sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
	sb_addf(sb, "<svg version=\"1.1\" id=\"flame-%08x\" class=\"flame\" width=\"%d\" height=\"", id, o->width);
	sb_add_number(sb, height);
	sb_addf(sb, "\" viewBox=\"0 0 %d ", o->width);
	sb_add_number(sb, height);
	sb_adds(sb, "\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
	/* Settings for the script travel as data attributes, escaped like any attribute: no user string
	 * is ever put into JavaScript source. */
	add_attr(sb, "data-nametype", o->nametype);
	sb_adds(sb, " data-fontsize=\"");
	sb_add_number(sb, o->fontsize);
	sb_adds(sb, "\" data-fontwidth=\"");
	sb_add_number(sb, o->fontwidth);
	sb_addf(sb, "\" data-inverted=\"%d\" data-truncate-right=\"%d\"", o->inverted, o->truncate_right);
	add_attr(sb, "data-searchcolor", o->search_color);
	sb_adds(sb, ">\n<!-- Flame graph stack visualization made by flame-render " FLAME_VERSION
		": hover for details, click to zoom, Ctrl-F to search. -->\n");
	if (o->notes)
		add_comment(sb, "NOTES: ", o->notes);
	sb_addf(sb, "<defs>\n\t<linearGradient id=\"flame-%08x-bg\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">\n"
		"\t\t<stop stop-color=\"%s\" offset=\"5%%\"/>\n\t\t<stop stop-color=\"%s\" offset=\"95%%\"/>\n"
		"\t</linearGradient>\n</defs>\n", id, o->bg1, o->bg2);
	/* The style is scoped to this graph's id, so graphs inlined in one page keep their own. */
	/* Family names made of plain words ("Verdana", "monospace", "Andale Mono, serif") go in as
	 * they are; anything else becomes a CSS string, with what could end the style dropped. */
	struct strbuf font = STRBUF_INIT;
	int plain = strspn(o->fonttype, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,-_") == strlen(o->fonttype);
	if (!plain)
		sb_addc(&font, '"');
	const unsigned char *p = (const unsigned char *)o->fonttype, *end = p + strlen(o->fonttype);
	while (p < end) {
		if (*p >= 0x80) {
			/* UTF-8 as xml_escape checks it: anything else is U+FFFD, never raw bytes. */
			size_t used;
			uint32_t cp = utf8_decode(p, (size_t)(end - p), &used);
			if (cp == 0xfffd || cp == 0xfffe || cp == 0xffff)
				sb_add(&font, "\xef\xbf\xbd", 3);
			else
				sb_add(&font, p, used);
			p += used;
			continue;
		}
		if (*p == '"' || *p == '\\')
			sb_addc(&font, '\\');
		if (*p >= 0x20 && *p != 0x7f && *p != '<' && *p != '>' && *p != '&')
			sb_addc(&font, (char)*p);
		p++;
	}
	if (!plain)
		sb_addc(&font, '"');
	char scope[32];
	snprintf(scope, sizeof(scope), "#flame-%08x", id);
	sb_adds(sb, "<style type=\"text/css\">\n");
	sb_addf(sb, "\t%s text { font-family:%s; font-size:", scope, font.len ? font.buf : "sans-serif");
	sb_add_number(sb, o->fontsize);
	sb_addf(sb, "px; fill:%s; }\n", o->ui_color);
	/* The controls are visible before they are hovered (flamegraph.pl's 0.1 hides them). */
	sb_addf(sb, "\t%s .search, %s .ignorecase { opacity:0.6; cursor:pointer; text-decoration:underline; }\n",
		scope, scope);
	sb_addf(sb, "\t%s .search:hover, %s .search.show, %s .ignorecase:hover, %s .ignorecase.show { opacity:1; }\n",
		scope, scope, scope, scope);
	sb_addf(sb, "\t%s .subtitle { text-anchor:middle; fill:rgb(160,160,160); }\n", scope);
	sb_addf(sb, "\t%s .title { text-anchor:middle; font-size:", scope);
	sb_add_number(sb, o->fontsize + 5);
	sb_adds(sb, "px; }\n");
	sb_addf(sb, "\t%s .unzoom { cursor:pointer; }\n", scope);
	sb_addf(sb, "\t%s .matched { text-anchor:end; }\n", scope);
	sb_addf(sb, "\t%s .frames > *:hover { stroke:black; stroke-width:0.5; cursor:pointer; }\n", scope);
	if (o->stroke_color)
		sb_addf(sb, "\t%s .frames > * > rect { stroke:%s; stroke-width:1; }\n", scope, o->stroke_color);
	sb_addf(sb, "\t%s .hide { display:none; }\n\t%s .parent { opacity:0.5; }\n</style>\n", scope, scope);
	sb_release(&font);
}

static void footer(struct strbuf *sb)
{
	/* Last, so every element exists when it runs; an <img> never runs it and still shows the labels. */
	sb_adds(sb, "<script type=\"text/ecmascript\"><![CDATA[\n");
	sb_adds(sb, flame_script);
	sb_adds(sb, "]]></script>\n</svg>\n");
}


static struct rgb frame_color(const struct svg_options *o, const struct frame *f, double timemax, double maxdelta)
{
	if (f->name_len == 2 && memcmp(f->name, "--", 2) == 0)
		return (struct rgb){ 160, 160, 160 };
	if (f->name_len == 1 && f->name[0] == '-')
		return (struct rgb){ 200, 200, 200 };
	if (o->colordiffusion) {
		double end = f->depth == 0 ? timemax : f->end;
		return color_scale_inferno((long)(sqrt((end - f->start) / timemax) * 2000), 2000);
	}
	if (o->diff_inclusive && o->differential) {
		double d = (f->depth == 0 ? timemax : f->end) - f->start - f->before;
		return color_diff(o->negate ? -d : d, maxdelta);
	}
	if (f->has_delta)
		return color_diff(o->negate ? -f->delta : f->delta, maxdelta);
	if (o->palette_map)
		return palette_map_color(o->palette_map, o->palette, o->color_mode, f->name, f->name_len);
	return color_for(o->palette, o->color_mode, f->name, f->name_len);
}

/* The tooltip: "NAME (N samples, P%)", "; D%" added for differential frames. */
static void add_info(struct strbuf *sb, const struct svg_options *o, const struct frame *f, double etime,
		     double timemax)
{
	char buf[400];
	double samples = round_count(buf, (etime - f->start) * o->factor);
	if (f->depth == 0) {
		sb_adds(sb, "all (");
		add_amount(sb, o, samples);
		sb_adds(sb, ", 100%)");
		return;
	}
	if (o->diff_inclusive && o->differential) {
		/* "name (after, %; before B, after A, +D%; self B → A)": what changed, inclusive and self. */
		double after = etime - f->start, d = after - f->before;
		if (o->negate)
			d = -d;
		xml_escape(sb, f->name, strip_annotation(f->name, f->name_len));
		sb_adds(sb, " (");
		add_amount(sb, o, samples);
		sb_adds(sb, ", ");
		add_fixed(sb, 100 * samples / (timemax * o->factor), 2);
		sb_adds(sb, "%; before ");
		add_value(sb, o, f->before * o->factor);
		sb_adds(sb, ", after ");
		add_value(sb, o, after * o->factor);
		sb_adds(sb, ", ");
		if (d > 0)
			sb_addc(sb, '+');
		add_fixed(sb, d == 0 ? 0 : 100 * d / (timemax * o->factor), 2);
		sb_adds(sb, "%; self ");
		add_value(sb, o, f->self_before * o->factor);
		sb_adds(sb, " \xe2\x86\x92 ");
		add_value(sb, o, f->self_after * o->factor);
		sb_addc(sb, ')');
		return;
	}
	xml_escape(sb, f->name, strip_annotation(f->name, f->name_len));
	sb_adds(sb, " (");
	add_amount(sb, o, samples);
	sb_adds(sb, ", ");
	add_fixed(sb, 100 * samples / (timemax * o->factor), 2);
	sb_addc(sb, '%');
	if (f->has_delta) {
		double d = o->negate ? -f->delta : f->delta;
		if (d == 0)
			d = 0;	/* Perl's integer negation has no -0: print 0.00 */
		sb_adds(sb, "; ");
		if (d > 0)
			sb_addc(sb, '+');
		add_fixed(sb, 100 * d / (timemax * o->factor), 2);
		sb_addc(sb, '%');
	}
	sb_addc(sb, ')');
}

/* <g> or, with an href, <a>; attributes from --nameattr, the later of a name given twice winning. */
static void group_open(struct strbuf *sb, const struct attr_set *set)
{
	const char *href = attr_get(set, "href");
	struct attr out[32];
	size_t n = 0;
	if (href) {
		out[n++] = (struct attr){ "xlink:href", (char *)href };
		const char *target = attr_get(set, "target");
		out[n++] = (struct attr){ "target", (char *)(target ? target : "_top") };
	}
	for (size_t i = 0; set && i < set->n; i++) {
		const char *name = set->attrs[i].name;
		if (strcmp(name, "id") && strcmp(name, "class") && strncmp(name, "g:", 2) && (!href || strncmp(name, "a:", 2)))
			continue;
		if (name[1] == ':')
			name += 2;
		size_t j;
		for (j = 0; j < n; j++)
			if (strcmp(out[j].name, name) == 0)
				break;
		if (j == sizeof(out) / sizeof(*out))
			continue;
		out[j] = (struct attr){ (char *)name, set->attrs[i].value };
		if (j == n)
			n++;
	}
	sb_adds(sb, href ? "<a" : "<g");
	for (size_t i = 0; i < n; i++)
		add_attr(sb, out[i].name, out[i].value);
	sb_addc(sb, '>');
}

static void flush(struct writer *w, struct strbuf *sb)
{
	writer_add(w, sb->buf, sb->len);
	sb_reset(sb);
}

/* JSON string contents, then escaped for XML text: what JSON.parse of the element's text reads. */
static void add_json_name(struct strbuf *sb, const char *s, size_t len)
{
	struct strbuf j = STRBUF_INIT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sb_addc(&j, '\\');
		if (s[i] == '\t')
			sb_add(&j, "\\t", 2);
		else
			sb_addc(&j, s[i]);
	}
	sb_addc(sb, '"');
	xml_escape(sb, j.buf, j.len);
	sb_addc(sb, '"');
	sb_release(&j);
}

/*
 * Where every name lies, frames too narrow to draw included, so a search can count them:
 * {"t":TOTAL,"n":["name",...],"s":[[start,end,...],...]} in sample units. Left out when large
 * (the search then counts the drawn frames only).
 */
static void add_spans(struct writer *w, struct strbuf *sb, const struct flow *f, double timemax)
{
	if (!f->collect_spans)
		return;
	sb_adds(sb, "<metadata class=\"spans\">{\"t\":");
	sb_add_number(sb, timemax);
	sb_adds(sb, ",\"n\":[");
	int first = 1;
	for (size_t id = 0; id < f->spans_cap; id++) {
		if (!f->spans[id].n)
			continue;
		const struct intern_key *k = intern_get(&f->names, (uint32_t)id);
		if (!first)
			sb_addc(sb, ',');
		first = 0;
		add_json_name(sb, k->bytes, strip_annotation(k->bytes, k->len));
	}
	sb_adds(sb, "],\"s\":[");
	first = 1;
	for (size_t id = 0; id < f->spans_cap; id++) {
		const struct name_spans *ns = &f->spans[id];
		if (!ns->n)
			continue;
		sb_adds(sb, first ? "[" : ",[");
		first = 0;
		for (size_t i = 0; i < ns->n; i++) {
			if (i)
				sb_addc(sb, ',');
			sb_add_number(sb, ns->iv[i]);
		}
		sb_addc(sb, ']');
		if (sb->len > (1u << 16))
			flush(w, sb);
	}
	sb_adds(sb, "]}</metadata>\n");
}

void svg_write(struct writer *w, const struct svg_options *o, const struct flow *f, double timemax, double maxdelta)
{
	struct strbuf sb = STRBUF_INIT;
	double fh = o->frame_height;
	double height = (f->depthmax + 1) * fh + ypad1(o) + ypad2(o) + ypad3(o);
	double wpt = (o->width - 2 * XPAD) / timemax;
	uint32_t id = document_id(o, f);
	header(&sb, o, height, id);
	sb_addf(&sb, "<rect x=\"0.0\" y=\"0\" width=\"%d.0\" height=\"", o->width);
	add_fixed(&sb, height, 1);
	sb_addf(&sb, "\" fill=\"url(#flame-%08x-bg)\"/>\n", id);
	double half = (double)(o->width / 2);
	add_text(&sb, "title", half, o->fontsize * 2, o->title, strlen(o->title));
	if (o->subtitle)
		add_text(&sb, "subtitle", half, o->fontsize * 4, o->subtitle, strlen(o->subtitle));
	add_text(&sb, "details", XPAD, height - ypad2(o) / 2, " ", 1);
	add_text(&sb, "unzoom hide", XPAD, o->fontsize * 2, "Reset Zoom", 10);
	add_text(&sb, "search", o->width - XPAD - 100, o->fontsize * 2, "Search", 6);
	add_text(&sb, "ignorecase", o->width - XPAD - 16, o->fontsize * 2, "ic", 2);
	add_text(&sb, "matched", o->width - XPAD, height - ypad2(o) / 2, " ", 1);	/* text-anchor:end */
	sb_adds(&sb, "<g class=\"frames\">\n");
	flush(w, &sb);

	for (size_t i = 0; i < f->nframes; i++) {
		const struct frame *fr = &f->frames[i];
		double etime = fr->depth == 0 ? timemax : fr->end;
		double x1 = XPAD + fr->start * wpt, x2 = XPAD + etime * wpt;
		double y1, y2;
		if (!o->inverted) {
			y1 = height - ypad2(o) - (fr->depth + 1) * fh + 1;
			y2 = height - ypad2(o) - fr->depth * fh;
		} else {
			y1 = ypad1(o) + ypad3(o) + fr->depth * fh;
			y2 = ypad1(o) + ypad3(o) + (fr->depth + 1) * fh - 1;
		}
		const struct attr_set *attrs = o->nameattr && fr->depth ? nameattr_find(o->nameattr, fr->name, fr->name_len) : NULL;
		group_open(&sb, attrs);
		sb_adds(&sb, "<title>");
		const char *title = attr_get(attrs, "title");
		if (title)
			xml_escape(&sb, title, strlen(title));
		else
			add_info(&sb, o, fr, etime, timemax);
		/* flamegraph.pl's rounding: x to 0.1 px, the width as the difference of the rounded ends. */
		sb_adds(&sb, "</title><rect x=\"");
		double rx1 = add_fixed(&sb, x1, 1);
		sb_adds(&sb, "\" y=\"");
		sb_add_number(&sb, y1);
		sb_adds(&sb, "\" width=\"");
		size_t at = sb.len;
		double rx2 = add_fixed(&sb, x2, 1);
		sb.len = at;
		add_fixed(&sb, rx2 - rx1, 1);
		sb_adds(&sb, "\" height=\"");
		add_fixed(&sb, y2 - y1, 1);
		sb_adds(&sb, "\" fill=\"");
		add_rgb(&sb, frame_color(o, fr, timemax, maxdelta));
		sb_adds(&sb, "\" rx=\"2\" ry=\"2\"/><text x=\"");
		add_fixed(&sb, x1 + 3, 2);
		sb_adds(&sb, "\" y=\"");
		sb_add_number(&sb, 3 + (y1 + y2) / 2);
		sb_adds(&sb, "\">");
		if (fr->depth == 0)
			add_label(&sb, "all", 3, x2 - x1, o);
		else
			add_label(&sb, fr->name, fr->name_len, x2 - x1, o);
		sb_adds(&sb, attrs && attr_get(attrs, "href") ? "</text></a>\n" : "</text></g>\n");
		if (sb.len > (1u << 16))
			flush(w, &sb);
	}
	sb_adds(&sb, "</g>\n");
	add_spans(w, &sb, f, timemax);
	footer(&sb);
	flush(w, &sb);
	sb_release(&sb);
}

double inclusive_maxdelta(const struct flow *f)
{
	double max = 1;
	for (size_t i = 0; i < f->nframes; i++) {
		const struct frame *fr = &f->frames[i];
		double d = fabs(fr->end - fr->start - fr->before);
		if (fr->depth && d > max)
			max = d;
	}
	return max;
}

void svg_write_error(struct writer *w, const struct svg_options *o, const char *message)
{
	struct strbuf sb = STRBUF_INIT;
	double height = o->fontsize * 5;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
	sb_addf(&sb, "<svg version=\"1.1\" width=\"%d\" height=\"", o->width);
	sb_add_number(&sb, height);
	sb_addf(&sb, "\" viewBox=\"0 0 %d ", o->width);
	sb_add_number(&sb, height);
	sb_adds(&sb, "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
	sb_adds(&sb, "<text x=\"");
	add_fixed(&sb, (double)(o->width / 2), 2);
	sb_adds(&sb, "\" y=\"");
	sb_add_number(&sb, o->fontsize * 2);
	sb_adds(&sb, "\" text-anchor=\"middle\" font-family=\"Verdana\" font-size=\"");
	sb_add_number(&sb, o->fontsize);
	sb_adds(&sb, "\">");
	xml_escape(&sb, message, strlen(message));
	sb_adds(&sb, "</text>\n</svg>\n");
	flush(w, &sb);
	sb_release(&sb);
}
