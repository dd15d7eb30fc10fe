/* check: the few macros the C unit tests use. Each failed check prints where and what; the test
 * program's exit status is the number of failures (capped), so bats sees a failure as a failure. */
#ifndef FLAME_CHECK_H
#define FLAME_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *got_ = (got), *want_ = (want); \
	check_count++; \
	if (strcmp(got_, want_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, got_, want_); \
	} \
} while (0)

#define CHECK_MEM(got, got_len, want) do { \
	const char *want_ = (want); \
	size_t wl_ = strlen(want_), gl_ = (got_len); \
	check_count++; \
	if (gl_ != wl_ || memcmp((got), want_, wl_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: got \"%.*s\", want \"%s\"\n", __FILE__, __LINE__, \
			(int)gl_, (const char *)(got), want_); \
	} \
} while (0)

static inline int check_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures > 100 ? 100 : check_failures;
}

#endif
