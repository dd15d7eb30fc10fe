/* script: the JavaScript viewer embedded in the SVG: hover details, click zoom, regex search,
 * case-insensitive toggle, state in the URL. */
#ifndef FLAME_RENDER_SCRIPT_H
#define FLAME_RENDER_SCRIPT_H

extern const char flame_script[];

#endif
