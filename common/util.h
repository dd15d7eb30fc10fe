/* util: error reporting that names the program, checked allocation, number parsing. */
#ifndef FLAME_UTIL_H
#define FLAME_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define FLAME_VERSION "0.1.0"

/* Set once from main (basename of argv[0] or a fixed name); every message starts with it. */
extern const char *progname;

/* Where die() and die_with() end: exit(status), unless a harness running a program's main
 * in-process (the fuzz targets) sets a hook, which must not return (it longjmps). */
extern void (*die_hook)(int status);
/* "prog: message" on stderr; die exits with status 2 (usage/input errors), die_with lets the caller pick. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_with(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: file:line: message" for problems in the input. */
void warn_at(const char *file, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Grow *p (an array of elem_size items with capacity *cap) so it holds at least need items. */
void grow_array(void **p, size_t *cap, size_t need, size_t elem_size);
#define GROW(arr, cap, need) \
	((need) > (cap) ? grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr))) : (void)0)
/* GROW, with the items it adds (from the old capacity to the new) zeroed: for arrays indexed by
 * an id that may skip ahead. */
void grow_array_zeroed(void **p, size_t *cap, size_t need, size_t elem_size);
#define GROW_ZEROED(arr, cap, need) \
	((need) > (cap) ? grow_array_zeroed((void **)&(arr), &(cap), (need), sizeof(*(arr))) : (void)0)

/* The value of the hex digit c (either case), or -1. */
static inline int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strict decimal parsing of a whole string: returns 0 on success, -1 on junk or overflow. */
int parse_u64(const char *s, uint64_t *out);
int parse_double(const char *s, double *out);

/* Number of CPUs online, at least 1. */
int online_cpus(void);

#endif
