/* Time in a PLT stub: calls lib_next of libhot.so in a tight loop, so that a good share of the
 * samples land in the stub that jumps to it (perf names it lib_next@plt).
 * usage: pltloop [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

unsigned long lib_next(unsigned long x);

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1, elapsed;
	struct timespec t0, t;
	unsigned long x = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 1000000; i++)
			x = lib_next(x);
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
	} while (elapsed < seconds);
	printf("pltloop: %lu\n", x);
	return 0;
}
