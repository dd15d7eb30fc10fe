/* util: error reporting that names the program, checked allocation, number parsing. */
#ifndef FLAME_UTIL_H
#define FLAME_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define FLAME_VERSION "0.1.0"

/* Set once from main with prog_init; every message starts with it. */
extern const char *progname;

/* Where die() and die_with() end: exit(status), unless a harness running a program's main
 * in-process (the fuzz targets) sets a hook, which must not return (it longjmps). */
extern void (*die_hook)(int status);
/* "prog: message" on stderr; die exits with status 2 (usage/input errors), die_with lets the caller pick. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_with(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: file:line: message" for problems in the input (uncapped: most callers want input_warn). */
void warn_at(const char *file, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* die and warn with ": strerror(errno)" appended, as "cannot open x: No such file or directory". */
void die_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Start of every main: sets progname, and argv[0] to the same name, as getopt starts its own
 * messages ("unrecognized option") with argv[0], the path the program was run by; and puts
 * /dev/null (read-only) on any of fds 0-2 that is closed, so no file opened later lands there (a
 * write to it then fails as to a closed fd). A closed stdin is remembered: reader_open("-")
 * refuses it.
 */
void prog_init(const char *name, char **argv);
extern int stdin_was_closed;
/* open(2) for reading or die "cannot open PATH: reason", the one wording for it. */
int xopen_read(const char *path);
/* Flush stdout and exit with status; a write error (--help > /dev/full) exits 2 with a message.
 * die_hook, when set, is called with the status first. */
void exit_stdout(int status) __attribute__((noreturn));

/*
 * The input policy: warnings about the input, "prog: file:line: message", are printed for the
 * first WARN_CAP only, and none under -q (input_warn_quiet); input_warn_summary, at the end, says
 * "prog: N more warnings not shown" when some were held back (and nothing under -q, where each
 * program prints its own one-line summary of what it skipped).
 */
#define WARN_CAP 20
extern int input_warn_quiet;
void input_warn(const char *file, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Count n warnings the caller held back without formatting them (as if input_warn'ed). */
void input_warn_held(uint64_t n);
/* Back to the start (for a program's main run again in one process). */
void input_warn_reset(void);
/* How many input warnings were given so far, shown or not. */
uint64_t input_warn_count(void);
void input_warn_summary(void);

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
/* A size in bytes with an optional K, M or G suffix (powers of 1024): "64M". 0 on success. */
int parse_byte_size(const char *s, uint64_t *out);

/* Number of CPUs online, at least 1. */
int online_cpus(void);

#endif
