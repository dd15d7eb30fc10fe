/*
 * color: frame colours as flamegraph.pl picks them (palettes, the name-seeded default, --hash,
 * --random), inferno's --deterministic, the differential scale, and the palette map file (--cp).
 */
#ifndef FLAME_RENDER_COLOR_H
#define FLAME_RENDER_COLOR_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"

enum palette {
	PAL_HOT, PAL_MEM, PAL_IO, PAL_WAKEUP, PAL_CHAIN, PAL_JAVA, PAL_JS, PAL_PERL,
	PAL_RED, PAL_GREEN, PAL_BLUE, PAL_AQUA, PAL_YELLOW, PAL_PURPLE, PAL_ORANGE,
};

enum color_mode {
	COLOR_NAME_SEEDED,	/* flamegraph.pl's default: drand48 seeded by the sum of the code points */
	COLOR_HASH,		/* --hash */
	COLOR_RANDOM,		/* --random */
	COLOR_DETERMINISTIC,	/* --deterministic: inferno's FNV-1a */
};

struct rgb {
	uint8_t r, g, b;
};

/* -1 if the name is not a palette. */
int palette_parse(const char *name);
const char *palette_name(int p);
/* The default background for a palette: "yellow", "green", "blue" or "grey". */
const char *palette_default_bg(int p);
/* The two gradient stops of a --bgcolors value ("#rrggbb" makes a flat one); -1 if it is not one. */
int bgcolor_parse(const char *name, char stop1[8], char stop2[8]);

/* The colour of a frame name (as bytes; UTF-8 is decoded as flamegraph.pl does). */
struct rgb color_for(int palette, enum color_mode mode, const char *name, size_t len);
/* flamegraph.pl's differential scale: white at 0, red for growth, blue for shrinkage. */
struct rgb color_diff(double delta, double maxdelta);
/* inferno's scale (never darker than 100), used by --colordiffusion. */
struct rgb color_scale_inferno(long value, long max);
/* "#rrggbb" to rgb; -1 if malformed. */
int color_parse_hex(const char *s, struct rgb *out);

/* flamegraph.pl's namehash (for --hash) and its drand48 (for the default), for unit tests. */
double color_namehash(const char *name, size_t len, int reversed);
double color_seeded_rand(uint32_t seed);

/* The palette map (--cp): name -> colour, read from and written back to a file. */
struct palette_map {
	struct interner names;
	struct rgb *colors;
	size_t cap;
};
/* Read path if it exists; bad lines are warned about and skipped. */
void palette_map_read(struct palette_map *pm, const char *path);
/* The colour kept for name, or the one computed and added. */
struct rgb palette_map_color(struct palette_map *pm, int palette, enum color_mode mode, const char *name, size_t len);
/* Write every entry sorted by name. */
void palette_map_write(struct palette_map *pm, const char *path);
void palette_map_free(struct palette_map *pm);

/* Decode one UTF-8 code point at s[0..n): its value (U+FFFD for an invalid byte) and length. */
uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *used);

#endif
