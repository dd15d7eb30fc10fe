/*
 * nameattr: per-function attributes (--nameattr FILE, lines "FUNC<TAB>name=value<TAB>..."): title
 * replaces the tooltip, href makes the frame a link, id/class/target and *_extra are attributes.
 */
#ifndef FLAME_RENDER_NAMEATTR_H
#define FLAME_RENDER_NAMEATTR_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"

struct attr {
	char *name, *value;
};

struct attr_set {
	struct attr *attrs;
	size_t n;
};

struct nameattr {
	struct interner funcs;
	struct attr_set *sets;	/* by function id */
	size_t cap;
};

/* Read path; dies if it cannot be opened, warns about and skips bad lines. */
void nameattr_read(struct nameattr *na, const char *path);
/* The attributes of a function, or NULL. */
const struct attr_set *nameattr_find(const struct nameattr *na, const char *func, size_t len);
/* The value of key in set, or NULL. */
const char *attr_get(const struct attr_set *set, const char *key);
void nameattr_free(struct nameattr *na);

#endif
