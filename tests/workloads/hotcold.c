/* A known profile: hot_a does three times the work of hot_b, both called from main in turns.
 * usage: hotcold [SECONDS [ROUNDS]]  (default 1 second; with ROUNDS, exactly that much work, for
 * timing: `make bench` compares the same work with and without flame-record) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

/* Called from the hot loops so that they are not leaf functions: gcc omits the frame
 * pointer of leaves even with -fno-omit-frame-pointer, and their caller would then be missing
 * from the kernel's frame-pointer call chain. */
__attribute__((noinline)) void checkpoint(void)
{
	__asm__ volatile("");
}

__attribute__((noinline)) void hot_a(unsigned long n)
{
	unsigned long x = sink;
	for (unsigned long i = 0; i < 3 * n; i += 1000) {
		for (unsigned long j = i; j < i + 1000; j++)
			x = x * 2862933555777941757ULL + j;
		checkpoint();
	}
	sink = x;
}

__attribute__((noinline)) void hot_b(unsigned long n)
{
	unsigned long x = sink;
	for (unsigned long i = 0; i < n; i += 1000) {
		for (unsigned long j = i; j < i + 1000; j++)
			x = x * 2862933555777941757ULL + j;
		checkpoint();
	}
	sink = x;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0, start = now();
	long rounds = argc > 2 ? atol(argv[2]) : -1;

	/* Rounds of ~4 ms, so the ratio holds whatever the duration. */
	while (rounds >= 0 ? rounds-- > 0 : now() - start < seconds) {
		hot_a(250000);
		hot_b(250000);
	}
	printf("hotcold: %lu\n", sink);
	return 0;
}
