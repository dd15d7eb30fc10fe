/* Two threads, each burning CPU in a function named after its role.
 * usage: threads [SECONDS [ROUNDS]]  (with ROUNDS, each does exactly that much work, so both get
 * the same CPU time however busy the machine is) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds = 1.0;
static long rounds = -1;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Keeps spin from being a leaf function (gcc drops a leaf's frame pointer, hiding its caller). */
__attribute__((noinline)) void checkpoint(void)
{
	__asm__ volatile("");
}

__attribute__((noinline)) unsigned long spin(unsigned long x)
{
	for (int i = 0; i < 100; i++) {
		for (int j = 0; j < 1000; j++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		checkpoint();
	}
	return x;
}

__attribute__((noinline)) void *worker_left(void *arg)
{
	unsigned long x = (unsigned long)arg;
	double start = now();
	for (long n = rounds; rounds >= 0 ? n-- > 0 : now() - start < seconds;)
		x = spin(x);
	checkpoint();   /* no tail call: keep this frame on the stack */
	return (void *)x;
}

__attribute__((noinline)) void *worker_right(void *arg)
{
	unsigned long x = (unsigned long)arg;
	double start = now();
	for (long n = rounds; rounds >= 0 ? n-- > 0 : now() - start < seconds;)
		x = spin(x);
	checkpoint();   /* no tail call: keep this frame on the stack */
	return (void *)x;
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	void *r0, *r1;

	if (argc > 1)
		seconds = atof(argv[1]);
	if (argc > 2)
		rounds = atol(argv[2]);
	pthread_create(&t[0], NULL, worker_left, (void *)1);
	pthread_create(&t[1], NULL, worker_right, (void *)2);
	pthread_join(t[0], &r0);
	pthread_join(t[1], &r1);
	printf("threads: %lu\n", (unsigned long)r0 ^ (unsigned long)r1);
	return 0;
}
