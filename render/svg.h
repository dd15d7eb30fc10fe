/*
 * svg: the SVG document: flamegraph.pl's geometry and numbers (so frames line up with its output to
 * the pixel), every user string escaped for where it lands, the style and the script embedded.
 */
#ifndef FLAME_RENDER_SVG_H
#define FLAME_RENDER_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "color.h"
#include "flow.h"
#include "nameattr.h"
#include "strbuf.h"
#include "writer.h"

/* The padding left and right of the frames, in pixels; a graph must be wider than both. */
#define SVG_XPAD 10
#define SVG_MIN_WIDTH (2 * SVG_XPAD + 1)

struct svg_options {
	const char *title, *subtitle, *notes;
	int width;		/* pixels, at least SVG_MIN_WIDTH */
	int frame_height;
	double fontsize, fontwidth;
	const char *fonttype;
	const char *countname, *nametype;
	int time_ns;		/* the counts are nanoseconds ("# units: ns"): show them as time */
	int palette;
	enum color_mode color_mode;
	char bg1[8], bg2[8];
	const char *search_color;	/* rgb(...) */
	const char *stroke_color;	/* NULL: none */
	const char *ui_color;		/* rgb(...) */
	int inverted, negate, truncate_right, colordiffusion;
	int diff_inclusive;	/* colour differential frames by their inclusive change */
	int differential;	/* the input had two counts */
	double factor;
	struct palette_map *palette_map;	/* --cp */
	const struct nameattr *nameattr;
};

/* Write the whole document for the merged frames; timemax is the total (--total may widen it). */
void svg_write(struct writer *w, const struct svg_options *o, const struct flow *f, double timemax,
	       double maxdelta);
/* --diff-inclusive: max(1, max |after - before|) over the frames but the root. */
double inclusive_maxdelta(const struct flow *f);
/* The document flamegraph.pl writes when there is nothing to draw. */
void svg_write_error(struct writer *w, const struct svg_options *o, const char *message);

/* Append s escaped for XML text and attribute values: & < > " ' as entities, invalid UTF-8 and
 * U+FFFE/U+FFFF as U+FFFD, control characters as their visible U+24xx pictures. */
void xml_escape(struct strbuf *sb, const char *s, size_t len);
/* Append a count rounded like Perl's %.0f, with thousands commas. */
void add_count_grouped(struct strbuf *sb, double v);

#endif
