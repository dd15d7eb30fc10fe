#include "color.h"
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const palette_names[] = {
	"hot", "mem", "io", "wakeup", "chain", "java", "js", "perl",
	"red", "green", "blue", "aqua", "yellow", "purple", "orange",
};

int palette_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(palette_names) / sizeof(*palette_names); i++)
		if (strcmp(name, palette_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *palette_name(int p)
{
	return palette_names[p];
}

const char *palette_default_bg(int p)
{
	switch (p) {
	case PAL_MEM: return "green";
	case PAL_IO: case PAL_WAKEUP: case PAL_CHAIN: return "blue";
	case PAL_RED: case PAL_GREEN: case PAL_BLUE: case PAL_AQUA:
	case PAL_YELLOW: case PAL_PURPLE: case PAL_ORANGE: return "grey";
	default: return "yellow";
	}
}

int color_parse_hex(const char *s, struct rgb *out)
{
	if (strlen(s) != 7 || s[0] != '#')
		return -1;
	unsigned v[3];
	for (int i = 0; i < 3; i++) {
		v[i] = 0;
		for (int j = 0; j < 2; j++) {
			int d = hex_digit_value(s[1 + 2 * i + j]);
			if (d < 0)
				return -1;
			v[i] = v[i] * 16 + (unsigned)d;
		}
	}
	*out = (struct rgb){ (uint8_t)v[0], (uint8_t)v[1], (uint8_t)v[2] };
	return 0;
}

int bgcolor_parse(const char *name, char stop1[8], char stop2[8])
{
	static const char *const grads[][3] = {
		{ "yellow", "#eeeeee", "#eeeeb0" },
		{ "blue", "#eeeeee", "#e0e0ff" },
		{ "green", "#eef2ee", "#e0ffe0" },
		{ "grey", "#f8f8f8", "#e8e8e8" },
	};
	for (size_t i = 0; i < sizeof(grads) / sizeof(*grads); i++) {
		if (strcmp(name, grads[i][0]) == 0) {
			memcpy(stop1, grads[i][1], 8);
			memcpy(stop2, grads[i][2], 8);
			return 0;
		}
	}
	struct rgb c;
	if (color_parse_hex(name, &c) < 0)
		return -1;
	snprintf(stop1, 8, "#%02x%02x%02x", c.r, c.g, c.b);
	memcpy(stop2, stop1, 8);
	return 0;
}

uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
	unsigned char c = s[0];
	uint32_t cp, min;
	size_t len;
	*used = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; min = 0x80; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; min = 0x800; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; min = 0x10000; }
	else return 0xfffd;
	if (n < len)
		return 0xfffd;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0xfffd;
	*used = len;
	return cp;
}

/* The code points of a name: into buf when they fit, else into a malloc'ed array. */
static uint32_t *code_points(const char *name, size_t len, uint32_t *buf, size_t cap, size_t *n)
{
	uint32_t *cps = len <= cap ? buf : xmalloc(len * sizeof(*cps));
	size_t k = 0;
	for (size_t i = 0, used; i < len; i += used)
		cps[k++] = utf8_decode((const unsigned char *)name + i, len - i, &used);
	*n = k;
	return cps;
}

/* flamegraph.pl's namehash over code points: s/.(.*?)`// first, then the first three weighted. */
static double namehash_cps(const uint32_t *cps, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (cps[i] == '`') {
			cps += i + 1;
			n -= i + 1;
			break;
		}
	}
	double vector = 0, weight = 1, max = 1;
	unsigned mod = 10;
	for (size_t i = 0; i < n; i++) {
		unsigned v = cps[i] % mod;
		vector += (double)v / (double)(mod - 1) * weight;
		mod++;
		max += weight;
		weight *= 0.70;
		if (mod > 12)
			break;
	}
	return 1 - vector / max;
}

double color_namehash(const char *name, size_t len, int reversed)
{
	uint32_t buf[256];
	size_t n;
	uint32_t *cps = code_points(name, len, buf, 256, &n);
	if (reversed) {
		for (size_t i = 0; i < n / 2; i++) {
			uint32_t t = cps[i];
			cps[i] = cps[n - 1 - i];
			cps[n - 1 - i] = t;
		}
	}
	double h = namehash_cps(cps, n);
	if (cps != buf)
		free(cps);
	return h;
}

/* Perl's rand() after srand(seed): drand48 with x0 = seed << 16 | 0x330e. */
double color_seeded_rand(uint32_t seed)
{
	uint64_t x = ((uint64_t)seed << 16) | 0x330e;
	x = (x * 0x5deece66dULL + 0xb) & ((1ULL << 48) - 1);
	return (double)x / (double)(1ULL << 48);
}

static double random_unit(void)
{
	static uint64_t state;
	if (!state)
		state = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) / 9007199254740992.0;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static int contains(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

static int java_package(const char *s, size_t len)
{
	static const char *const pkgs[] = { "java/", "javax/", "jdk/", "net/", "org/", "com/", "io/", "sun/" };
	if (len && s[0] == 'L') {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof(pkgs) / sizeof(*pkgs); i++)
		if (len >= strlen(pkgs[i]) && memcmp(s, pkgs[i], strlen(pkgs[i])) == 0)
			return 1;
	return 0;
}

/* The multi-palettes pick a basic palette from the name, in flamegraph.pl's order of tests. */
static int resolve_palette(int p, const char *s, size_t len)
{
	switch (p) {
	case PAL_JAVA:
		if (ends_with(s, len, "_[j]")) return PAL_GREEN;
		if (ends_with(s, len, "_[i]")) return PAL_AQUA;
		if (java_package(s, len)) return PAL_GREEN;
		if (contains(s, len, ":::")) return PAL_GREEN;
		if (contains(s, len, "::")) return PAL_YELLOW;
		if (ends_with(s, len, "_[k]")) return PAL_ORANGE;
		return PAL_RED;
	case PAL_PERL:
		if (contains(s, len, "::")) return PAL_YELLOW;
		if (contains(s, len, "Perl") || contains(s, len, ".pl")) return PAL_GREEN;
		if (ends_with(s, len, "_[k]")) return PAL_ORANGE;
		return PAL_RED;
	case PAL_JS: {
		if (ends_with(s, len, "_[j]"))
			return contains(s, len, "/") ? PAL_GREEN : PAL_AQUA;
		if (contains(s, len, "::")) return PAL_YELLOW;
		const char *slash = memchr(s, '/', len);
		if (slash && contains(slash, len - (size_t)(slash - s), ".js")) return PAL_GREEN;
		if (contains(s, len, ":")) return PAL_AQUA;
		if (len == 1 && s[0] == ' ') return PAL_GREEN;
		if (contains(s, len, "_[k]")) return PAL_ORANGE;
		return PAL_RED;
	}
	case PAL_WAKEUP:
		return PAL_AQUA;
	case PAL_CHAIN:
		return contains(s, len, "_[w]") ? PAL_AQUA : PAL_BLUE;
	default:
		return p;
	}
}

struct rgb color_for(int palette, enum color_mode mode, const char *name, size_t len)
{
	double v1, v2, v3;
	switch (mode) {
	case COLOR_HASH:
		v1 = color_namehash(name, len, 0);
		v2 = v3 = color_namehash(name, len, 1);
		break;
	case COLOR_RANDOM:
		v1 = random_unit();
		v2 = random_unit();
		v3 = random_unit();
		break;
	case COLOR_DETERMINISTIC: {
		uint64_t h = 0xcbf29ce484222325ULL;
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)name[i]) * 0x100000001b3ULL;
		v1 = (double)h / 18446744073709551615.0;
		h *= 0x100000001b3ULL;
		v2 = (double)h / 18446744073709551615.0;
		h *= 0x100000001b3ULL;
		v3 = (double)h / 18446744073709551615.0;
		break;
	}
	default: {
		uint32_t sum = 0;
		for (size_t i = 0, used; i < len; i += used)
			sum += utf8_decode((const unsigned char *)name + i, len - i, &used);
		v1 = v2 = v3 = color_seeded_rand(sum);
		break;
	}
	}
#define C(base, range, v) ((uint8_t)((base) + (int)((range) * (v))))
	switch (resolve_palette(palette, name, len)) {
	case PAL_HOT: return (struct rgb){ C(205, 50, v3), C(0, 230, v1), C(0, 55, v2) };
	case PAL_MEM: return (struct rgb){ 0, C(190, 50, v2), C(0, 210, v1) };
	case PAL_IO: return (struct rgb){ C(80, 60, v1), C(80, 60, v1), C(190, 55, v2) };
	case PAL_RED: return (struct rgb){ C(200, 55, v1), C(50, 80, v1), C(50, 80, v1) };
	case PAL_GREEN: return (struct rgb){ C(50, 60, v1), C(200, 55, v1), C(50, 60, v1) };
	case PAL_BLUE: return (struct rgb){ C(80, 60, v1), C(80, 60, v1), C(205, 50, v1) };
	case PAL_YELLOW: return (struct rgb){ C(175, 55, v1), C(175, 55, v1), C(50, 20, v1) };
	case PAL_PURPLE: return (struct rgb){ C(190, 65, v1), C(80, 60, v1), C(190, 65, v1) };
	case PAL_AQUA: return (struct rgb){ C(50, 60, v1), C(165, 55, v1), C(165, 55, v1) };
	case PAL_ORANGE: return (struct rgb){ C(190, 65, v1), C(90, 65, v1), 0 };
	}
#undef C
	return (struct rgb){ 0, 0, 0 };
}

struct rgb color_diff(double delta, double maxdelta)
{
	/* A change beyond maxdelta (the root's, under --diff-inclusive) is as strong as the colour
	 * goes: clamp before converting, so nothing wraps and no out-of-range double is cast. */
	double d = fabs(delta);
	if (!(d <= maxdelta))
		d = maxdelta;
	uint8_t c = maxdelta > 0 ? (uint8_t)(int)(210 * (maxdelta - d) / maxdelta) : 0;
	if (delta > 0)
		return (struct rgb){ 255, c, c };
	if (delta < 0)
		return (struct rgb){ c, c, 255 };
	return (struct rgb){ 255, 255, 255 };
}

struct rgb color_scale_inferno(long value, long max)
{
	if (value > 0) {
		uint8_t c = (uint8_t)(100 + 150 * (max - value) / max);
		return (struct rgb){ 255, c, c };
	}
	if (value < 0) {
		uint8_t c = (uint8_t)(100 + 150 * (max + value) / max);
		return (struct rgb){ c, c, 255 };
	}
	return (struct rgb){ 250, 250, 250 };
}

static void palette_map_put(struct palette_map *pm, const char *name, size_t len, struct rgb c)
{
	uint32_t id = intern(&pm->names, name, len, NULL);
	GROW(pm->colors, pm->cap, (size_t)id + 1);
	pm->colors[id] = c;
}

static int parse_rgb(const char *s, size_t len, struct rgb *out)
{
	char buf[32];
	unsigned r, g, b;
	int end = -1;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (sscanf(buf, "rgb(%u,%u,%u)%n", &r, &g, &b, &end) != 3 || end != (int)len || r > 255 || g > 255 || b > 255)
		return -1;
	*out = (struct rgb){ (uint8_t)r, (uint8_t)g, (uint8_t)b };
	return 0;
}

void palette_map_read(struct palette_map *pm, const char *path)
{
	struct reader r;
	if (reader_open(&r, path) < 0) {
		if (errno != ENOENT)
			die_errno("cannot open %s", path);
		return;
	}
	struct line ln;
	while (reader_line(&r, &ln)) {
		const char *line = ln.ptr;
		size_t len = ln.len;
		if (!len)
			continue;
		/* The colour never holds "->"; a name may (Java inlines), so split at the last one. */
		const char *arrow = NULL;
		for (const char *p = line; (p = memmem(p, len - (size_t)(p - line), "->", 2)) != NULL; p++)
			arrow = p;
		struct rgb c;
		if (!arrow || parse_rgb(arrow + 2, len - (size_t)(arrow + 2 - line), &c) < 0) {
			input_warn(path, r.lineno, "expected NAME->rgb(R,G,B); line skipped");
			continue;
		}
		palette_map_put(pm, line, (size_t)(arrow - line), c);
	}
	reader_close(&r);
}

struct rgb palette_map_color(struct palette_map *pm, int palette, enum color_mode mode, const char *name, size_t len)
{
	int64_t id = intern_find(&pm->names, name, len);
	if (id >= 0)
		return pm->colors[id];
	struct rgb c = color_for(palette, mode, name, len);
	palette_map_put(pm, name, len, c);
	return c;
}

static const struct palette_map *sort_map;

static int name_cmp(const void *pa, const void *pb)
{
	const struct intern_key *a = intern_get(&sort_map->names, *(const uint32_t *)pa);
	const struct intern_key *b = intern_get(&sort_map->names, *(const uint32_t *)pb);
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->bytes, b->bytes, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

void palette_map_write(struct palette_map *pm, const char *path)
{
	size_t n = pm->names.count;
	uint32_t *ids = xmalloc((n ? n : 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = (uint32_t)i;
	sort_map = pm;
	qsort(ids, n, sizeof(*ids), name_cmp);
	sort_map = NULL;
	FILE *fp = fopen(path, "w");
	if (!fp)
		die("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		const struct intern_key *k = intern_get(&pm->names, ids[i]);
		struct rgb c = pm->colors[ids[i]];
		fwrite(k->bytes, 1, k->len, fp);
		fprintf(fp, "->rgb(%u,%u,%u)\n", c.r, c.g, c.b);
	}
	if (fclose(fp) != 0)
		die("%s: write error: %s", path, strerror(errno));
	free(ids);
}

void palette_map_free(struct palette_map *pm)
{
	interner_free(&pm->names);
	free(pm->colors);
}
