/* Calls lib_hot_loop from libhot.so, syscalls_loop (kernel time: many small reads) and
 * clock_loop (time in the vDSO's clock_gettime).
 * usage: usehotlib [SECONDS] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

unsigned long lib_hot_loop(unsigned long n, unsigned long x);

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void syscalls_loop(int fd)
{
	char buf[64];
	for (int i = 0; i < 2000; i++)
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			break;
}

__attribute__((noinline)) double clock_loop(void)
{
	double sum = 0;
	for (int i = 0; i < 20000; i++)
		sum += now();
	return sum;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0, start = now();
	unsigned long x = 1;
	double t = 0;
	int fd = open("/proc/self/stat", O_RDONLY);

	while (now() - start < seconds) {
		x = lib_hot_loop(1000000, x);
		syscalls_loop(fd);
		t += clock_loop();
	}
	printf("usehotlib: %lu %g\n", x, t);
	return 0;
}
