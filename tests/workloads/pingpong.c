/* Two processes ping-ponging a byte over a pair of pipes: each blocks in read() once a round, so a
 * round is two blocking switch-outs. SPIN_US of CPU on each side per round sets the rate.
 * usage: pingpong ROUNDS SPIN_US; prints "switches/s N" (blocking switch-outs per second) on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile unsigned long sink;

static void spin(double us)
{
	double end = now() + us / 1e6;
	while (now() < end)
		for (int i = 0; i < 50; i++)
			sink += (unsigned long)i;
}

static void serve(int in, int out, long rounds, double us, int first)
{
	char c = 'x';

	for (long i = 0; i < rounds; i++) {
		if (!first || i > 0)
			if (read(in, &c, 1) != 1)
				exit(1);
		spin(us);
		if (write(out, &c, 1) != 1)
			exit(1);
	}
	/* The first side's last byte: read it so neither side exits with a write in flight. */
	if (first && read(in, &c, 1) != 1)
		exit(1);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 10000;
	double us = argc > 2 ? atof(argv[2]) : 0;
	int ab[2], ba[2];
	double start = now();
	pid_t pid;

	if (pipe(ab) < 0 || pipe(ba) < 0)
		return 1;
	if ((pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		serve(ab[0], ba[1], rounds, us, 0);
		_exit(0);
	}
	serve(ba[0], ab[1], rounds, us, 1);
	waitpid(pid, NULL, 0);
	fprintf(stderr, "switches/s %.0f\n", 2.0 * (double)rounds / (now() - start));
	return 0;
}
