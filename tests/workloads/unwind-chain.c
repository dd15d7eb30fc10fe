/* A CPU-bound workload with a known call chain, main;chain_a;chain_b;chain_c;leaf, for the
 * unwinder tests: built with -O2 -fomit-frame-pointer, frame-pointer call chains lose it.
 * Usage: unwind-chain [SECONDS]   run for that long (default 1)
 *        unwind-chain -n CALLS     do a fixed amount of work (for overhead measurements) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))

static volatile unsigned long sink;

NOINLINE static unsigned long leaf(unsigned long x)
{
	/* Enough register pressure that the callers' values live in callee-saved registers. */
	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

NOINLINE static unsigned long chain_c(unsigned long x) { unsigned long r = leaf(x ^ 3); sink = r; return r + x; }
NOINLINE static unsigned long chain_b(unsigned long x) { unsigned long r = chain_c(x + 7); sink = r; return r ^ x; }
NOINLINE static unsigned long chain_a(unsigned long x) { unsigned long r = chain_b(x * 5); sink = r; return r - x; }

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long x = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		for (long calls = atol(argv[2]); calls > 0; calls--)
			x = chain_a(x);
	} else {
		double end = now() + (argc > 1 ? atof(argv[1]) : 1.0);
		while (now() < end)
			for (int i = 0; i < 100; i++)
				x = chain_a(x);
	}
	sink = x;
	return 0;
}
