#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *progname = "flame";
void (*die_hook)(int status);

static void vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Where every die and exit_stdout ends: the harness's hook, if any, then exit(status). */
static void die_exit(int status) __attribute__((noreturn));
static void die_exit(int status)
{
	if (die_hook)
		die_hook(status);
	exit(status);
}

void die_with(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	die_exit(status);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	die_exit(2);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

static void vmessage_at(const char *file, uint64_t line, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s:%llu: ", progname, file, (unsigned long long)line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warn_at(const char *file, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage_at(file, line, fmt, ap);
	va_end(ap);
}

/* Leaves errno as it found it, so warn_errno's callers can still look at it. */
static void vmessage_errno(const char *fmt, va_list ap)
{
	int err = errno;
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(err));
	errno = err;
}

void die_errno(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage_errno(fmt, ap);
	va_end(ap);
	die_exit(2);
}

void warn_errno(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage_errno(fmt, ap);
	va_end(ap);
}

int stdin_was_closed;

void prog_init(const char *name, char **argv)
{
	progname = name;
	if (argv && argv[0])
		argv[0] = (char *)name;
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == 0)
			stdin_was_closed = 1;
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0 && null != fd) {
			dup2(null, fd);
			close(null);
		}
	}
}

int xopen_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("cannot open %s", path);
	return fd;
}

void exit_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die_errno("error writing <stdout>");
	die_exit(status);
}

int input_warn_quiet;
static uint64_t input_warnings;

void input_warn(const char *file, uint64_t line, const char *fmt, ...)
{
	if (input_warnings++ >= WARN_CAP || input_warn_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmessage_at(file, line, fmt, ap);
	va_end(ap);
}

void input_warn_held(uint64_t n)
{
	input_warnings += n;
}

void input_warn_reset(void)
{
	input_warn_quiet = 0;
	input_warnings = 0;
}

uint64_t input_warn_count(void)
{
	return input_warnings;
}

void input_warn_summary(void)
{
	if (input_warn_quiet || input_warnings <= WARN_CAP)
		return;
	uint64_t n = input_warnings - WARN_CAP;
	warn("%llu more warning%s not shown", (unsigned long long)n, n == 1 ? "" : "s");
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die("out of memory (%zu x %zu bytes)", count, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

void grow_array(void **p, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem_size)
			die("out of memory (array of %zu items)", need);
		n *= 2;
	}
	*p = xrealloc(*p, n * elem_size);
	*cap = n;
}

void grow_array_zeroed(void **p, size_t *cap, size_t need, size_t elem_size)
{
	size_t old = *cap;
	grow_array(p, cap, need, elem_size);
	if (*cap > old)
		memset((char *)*p + old * elem_size, 0, (*cap - old) * elem_size);
}

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int parse_byte_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, unit = 1;
	size_t n = strlen(s);
	if (n && strchr("kKmMgG", s[n - 1])) {
		char c = s[n - 1];
		unit = c == 'k' || c == 'K' ? 1u << 10 : c == 'm' || c == 'M' ? 1u << 20 : 1u << 30;
		n--;
	}
	if (!n || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > UINT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (int)n;
}
