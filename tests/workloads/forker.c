/* A parent that forks: the child burns CPU in child_work (then, given a program, execs it), the
 * parent in parent_work.  usage: forker [SECONDS [PROGRAM ARGS...]] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Keeps burn from being a leaf function (gcc drops a leaf's frame pointer, hiding its caller). */
__attribute__((noinline)) void checkpoint(void)
{
	__asm__ volatile("");
}

__attribute__((noinline)) void burn(double seconds)
{
	double start = now();
	unsigned long x = sink;
	while (now() - start < seconds)
		for (int i = 0; i < 100; i++) {
			for (int j = 0; j < 1000; j++)
				x = x * 2862933555777941757ULL + 3037000493ULL;
			checkpoint();
		}
	sink = x;
}

/* The increments after the calls keep them from being tail calls (which would drop the frame). */
__attribute__((noinline)) void child_work(double seconds) { burn(seconds); sink++; }
__attribute__((noinline)) void parent_work(double seconds) { burn(seconds); sink++; }

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		child_work(seconds);
		if (argc > 2) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		_exit(0);
	}
	parent_work(seconds);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
