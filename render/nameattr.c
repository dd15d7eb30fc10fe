#include "nameattr.h"
#include "reader.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* An XML name without a colon (an NCName), in ASCII: a letter or '_', then letters, digits, "_.-". */
static int ncname(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/*
 * An attribute name we are willing to write: well-formed and in no namespace but xlink's (the only
 * prefix the document binds), and no event handler, namespace declaration or second link (links go
 * through href, which is checked).
 */
static int safe_attr_name(const char *s, size_t n)
{
	if ((n >= 2 && strncasecmp(s, "on", 2) == 0) || (n >= 5 && strncasecmp(s, "xmlns", 5) == 0) ||
	    (n >= 4 && strncasecmp(s + n - 4, "href", 4) == 0))
		return 0;
	if (n > 6 && memcmp(s, "xlink:", 6) == 0)
		return ncname(s + 6, n - 6);
	return ncname(s, n);
}

/* A character reference at s[0] == '&' as HTML reads one (the ';' optional after digits): its
 * code point and length, or -1 if it is none of those that can spell a scheme. */
static long char_ref(const char *s, size_t *used)
{
	static const struct { const char *name; long cp; } named[] = {
		{ "colon", ':' }, { "tab", '\t' }, { "newline", '\n' }, { "sol", '/' }, { "quest", '?' },
		{ "num", '#' }, { "amp", '&' }, { "nbsp", 0xa0 },
	};
	const char *p = s + 1;
	if (*p == '#') {
		p++;
		int hex = *p == 'x' || *p == 'X';
		p += hex;
		long cp = 0;
		const char *digits = p;
		for (; hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p); p++)
			if (cp <= 0x10ffff)
				cp = cp * (hex ? 16 : 10) + (isdigit((unsigned char)*p) ? *p - '0' : (*p | 0x20) - 'a' + 10);
		if (p == digits)
			return -1;
		if (*p == ';')
			p++;
		*used = (size_t)(p - s);
		return cp;
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(*named); i++) {
		size_t n = strlen(named[i].name);
		if (strncasecmp(p, named[i].name, n) == 0 && p[n] == ';') {
			*used = n + 2;
			return named[i].cp;
		}
	}
	return -1;
}

/*
 * Links: http, https and relative ones only. The scheme is read as a browser reads it, and more
 * strictly: character references decoded, spaces and ASCII control characters dropped wherever they
 * are (a URL parser strips them at the ends and tabs and newlines anywhere), up to the first ':'
 * before any '/', '?' or '#'. A '&' that is no known reference, in that part, refuses the link.
 */
static int link_allowed(const char *v)
{
	char scheme[8];
	size_t n = 0;
	int odd = 0;	/* the part so far cannot be http or https */
	for (const char *p = v; *p;) {
		long c = (unsigned char)*p;
		size_t used = 1;
		if (c == '&' && (c = char_ref(p, &used)) < 0)
			return 0;
		p += used;
		if (c == '&')
			return 0;	/* "&amp;#106;": encoded twice */
		if (c <= 0x20 || c == 0x7f)
			continue;
		if (c == '/' || c == '?' || c == '#')
			return 1;	/* relative: no scheme */
		if (c == ':') {
			scheme[n] = '\0';
			return !odd && (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0);
		}
		if (n + 1 >= sizeof(scheme) || c >= 0x80)
			odd = 1;	/* too long for http(s), or not ASCII: refused if a ':' follows */
		else
			scheme[n++] = (char)c;
	}
	return 1;
}

static char *strip_quotes(const char *s, size_t n)
{
	if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
		s++;
		n -= 2;
	}
	char *v = xmalloc(n + 1);
	memcpy(v, s, n);
	v[n] = '\0';
	return v;
}

/* Set name=value, replacing an earlier value: the last one given wins. */
static void set_attr(struct attr_set *set, const char *name, size_t nlen, char *value)
{
	for (size_t i = 0; i < set->n; i++) {
		if (strlen(set->attrs[i].name) == nlen && memcmp(set->attrs[i].name, name, nlen) == 0) {
			free(set->attrs[i].value);
			set->attrs[i].value = value;
			return;
		}
	}
	set->attrs = xrealloc(set->attrs, (set->n + 1) * sizeof(*set->attrs));
	set->attrs[set->n].name = strip_quotes(name, nlen);
	set->attrs[set->n].value = value;
	set->n++;
}

/* g_extra / a_extra: "name=value name2="value 2"" pairs, each checked; prefix tells where they go. */
static void parse_extra(struct attr_set *set, const char *prefix, const char *s, const char *path, uint64_t lineno)
{
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *name = p;
		while (*p && *p != '=' && *p != ' ')
			p++;
		size_t nlen = (size_t)(p - name);
		const char *val = p;
		size_t vlen = 0;
		if (*p == '=') {
			p++;
			if (*p == '"' || *p == '\'') {
				char q = *p++;
				val = p;
				while (*p && *p != q)
					p++;
				vlen = (size_t)(p - val);
				if (*p)
					p++;
			} else {
				val = p;
				while (*p && *p != ' ')
					p++;
				vlen = (size_t)(p - val);
			}
		}
		if (!safe_attr_name(name, nlen)) {
			input_warn(path, lineno, "attribute '%.*s' refused (not an XML name without a prefix or with xlink:, "
				"or an event handler or link)", (int)nlen, name);
			continue;
		}
		struct strbuf key = STRBUF_INIT;
		sb_adds(&key, prefix);
		sb_add(&key, name, nlen);
		set_attr(set, key.buf, key.len, strip_quotes(val, vlen));
		sb_release(&key);
	}
}

void nameattr_read(struct nameattr *na, const char *path)
{
	static const char *const known[] = { "title", "id", "class", "href", "target" };
	struct reader r;
	reader_open_or_die(&r, path);
	struct stat st;
	if (fstat(r.fd, &st) == 0 && S_ISDIR(st.st_mode))
		die("%s: %s", path, strerror(EISDIR));
	struct strbuf copy = STRBUF_INIT;	/* the line, cut into fields in place */
	struct line ln;
	while (reader_line(&r, &ln)) {
		uint64_t lineno = r.lineno;
		if (ln.len == 0)
			continue;
		sb_reset(&copy);
		sb_add(&copy, ln.ptr, ln.len);
		char *line = copy.buf;
		char *tab = strchr(line, '\t');
		if (!tab || tab == line) {
			input_warn(path, lineno, "expected FUNCTION<TAB>name=value...; line skipped");
			continue;
		}
		uint32_t id = intern(&na->funcs, line, (size_t)(tab - line), NULL);
		GROW_ZEROED(na->sets, na->cap, (size_t)id + 1);
		struct attr_set *set = &na->sets[id];
		for (char *field = tab + 1, *next; field; field = next) {
			next = strchr(field, '\t');
			if (next)
				*next++ = '\0';
			if (!*field)
				continue;
			char *eq = strchr(field, '=');
			if (!eq) {
				input_warn(path, lineno, "attribute '%s' has no '='; ignored", field);
				continue;
			}
			*eq = '\0';
			if (strcmp(field, "g_extra") == 0 || strcmp(field, "a_extra") == 0) {
				parse_extra(set, field[0] == 'g' ? "g:" : "a:", eq + 1, path, lineno);
				continue;
			}
			size_t k;
			for (k = 0; k < sizeof(known) / sizeof(*known); k++)
				if (strcmp(field, known[k]) == 0)
					break;
			if (k == sizeof(known) / sizeof(*known)) {
				input_warn(path, lineno, "unknown attribute '%s' ignored", field);
				continue;
			}
			char *value = strip_quotes(eq + 1, strlen(eq + 1));
			if (strcmp(field, "href") == 0 && !link_allowed(value)) {
				input_warn(path, lineno, "link '%s' refused (only http:, https: and relative links)", value);
				free(value);
				continue;
			}
			set_attr(set, field, strlen(field), value);
		}
	}
	sb_release(&copy);
	reader_close(&r);
}

const struct attr_set *nameattr_find(const struct nameattr *na, const char *func, size_t len)
{
	int64_t id = intern_find(&na->funcs, func, len);
	return id < 0 ? NULL : &na->sets[id];
}

const char *attr_get(const struct attr_set *set, const char *key)
{
	for (size_t i = 0; set && i < set->n; i++)
		if (strcmp(set->attrs[i].name, key) == 0)
			return set->attrs[i].value;
	return NULL;
}

void nameattr_free(struct nameattr *na)
{
	for (size_t i = 0; i < na->funcs.count; i++) {
		for (size_t j = 0; j < na->sets[i].n; j++) {
			free(na->sets[i].attrs[j].name);
			free(na->sets[i].attrs[j].value);
		}
		free(na->sets[i].attrs);
	}
	free(na->sets);
	interner_free(&na->funcs);
}
