/* Workloads for --off-cpu's accuracy tests: each blocks in functions named after what it waits
 * for, and measures itself (CLOCK_MONOTONIC around each blocking call). At the end it prints, on
 * stderr, one line per blocking function: "wait FUNCTION SECONDS", the truth the recording is
 * compared with.
 * usage: offcpu sleep | pipe | mutex | fsync FILE | server | block SECS (200 ms asleep, then SECS) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static double waited[8];
static const char *names[8] = { "sleeper", "pipe_reader", "lock_waiter", "file_flusher", "job_waiter", "backend_io",
                                "dispatch_sleep", "writer" };

static void add_wait(int which, double secs)
{
	pthread_mutex_lock(&stats_lock);
	waited[which] += secs;
	pthread_mutex_unlock(&stats_lock);
}

static volatile unsigned long sink;

/* Burn this thread's CPU for secs of CPU time (not wall time: a busy machine only stretches it). */
__attribute__((noinline)) void compute(double secs)
{
	double end = thread_cpu() + secs;
	while (thread_cpu() < end)
		for (int i = 0; i < 20000; i++)
			sink = sink * 6364136223846793005ULL + (unsigned long)i;
	__asm__ volatile("");
}

static void nap(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	while (nanosleep(&ts, &ts) != 0)
		;
}

__attribute__((noinline)) void sleeper(double secs)
{
	double t = now();
	nap(secs);
	add_wait(0, now() - t);
	__asm__ volatile("");
}

/* 10 x (100 ms of CPU, 100 ms asleep). */
static void run_sleep(void)
{
	for (int i = 0; i < 10; i++) {
		compute(0.1);
		sleeper(0.1);
	}
}

static int pipe_fds[2];

__attribute__((noinline)) int pipe_reader(void)
{
	char c;
	double t = now();
	ssize_t got = read(pipe_fds[0], &c, 1);
	add_wait(1, now() - t);
	__asm__ volatile("");
	return got == 1;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++) {
		double t = now();
		nap(0.05);
		add_wait(7, now() - t);
		if (write(pipe_fds[1], "x", 1) != 1)
			exit(1);
	}
	close(pipe_fds[1]);
	return NULL;
}

/* A reader blocked on a pipe that gets a byte every 50 ms, 20 times. */
static void run_pipe(void)
{
	pthread_t w;

	if (pipe(pipe_fds) < 0 || pthread_create(&w, NULL, writer, NULL))
		exit(1);
	while (pipe_reader())
		;
	pthread_join(w, NULL);
}

static pthread_mutex_t contended = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void lock_waiter(void)
{
	double t = now();
	pthread_mutex_lock(&contended);
	add_wait(2, now() - t);
	__asm__ volatile("");
}

static void *contender(void *arg)
{
	(void)arg;
	for (int i = 0; i < 40; i++) {
		lock_waiter();
		compute(0.01);          /* 10 ms of CPU holding the lock */
		pthread_mutex_unlock(&contended);
		compute(0.002);
	}
	return NULL;
}

/* Two threads contending for one mutex. */
static void run_mutex(void)
{
	pthread_t a, b;

	if (pthread_create(&a, NULL, contender, NULL) || pthread_create(&b, NULL, contender, NULL))
		exit(1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
}

__attribute__((noinline)) void file_flusher(int fd)
{
	double t = now();
	if (fsync(fd) < 0)
		exit(1);
	add_wait(3, now() - t);
	__asm__ volatile("");
}

/* Write 256 KiB and fsync it, 20 times. */
static void run_fsync(const char *path)
{
	static char block[256 * 1024];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		exit(1);
	for (int i = 0; i < 20; i++) {
		memset(block, 'a' + i, sizeof(block));
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			exit(1);
		file_flusher(fd);
	}
	close(fd);
	unlink(path);
}

/* A server-like loop: a dispatcher hands out a job every 10 ms to 3 workers, each of which
 * computes 2 ms, waits 5 ms on a "backend" and computes 1 ms more. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond = PTHREAD_COND_INITIALIZER;
static int jobs, done;

__attribute__((noinline)) int job_waiter(void)
{
	int got;
	double t = now();

	pthread_mutex_lock(&queue_lock);
	while (!jobs && !done)
		pthread_cond_wait(&queue_cond, &queue_lock);
	got = jobs > 0;
	if (got)
		jobs--;
	pthread_mutex_unlock(&queue_lock);
	add_wait(4, now() - t);
	__asm__ volatile("");
	return got;
}

__attribute__((noinline)) void backend_io(void)
{
	double t = now();
	nap(0.005);
	add_wait(5, now() - t);
	__asm__ volatile("");
}

static void *worker(void *arg)
{
	(void)arg;
	while (job_waiter()) {
		compute(0.002);
		backend_io();
		compute(0.001);
	}
	return NULL;
}

__attribute__((noinline)) void dispatch_sleep(void)
{
	double t = now();
	nap(0.01);
	add_wait(6, now() - t);
	__asm__ volatile("");
}

static void run_server(void)
{
	pthread_t w[3];

	for (int i = 0; i < 3; i++)
		if (pthread_create(&w[i], NULL, worker, NULL))
			exit(1);
	for (int i = 0; i < 150; i++) {
		dispatch_sleep();
		pthread_mutex_lock(&queue_lock);
		jobs++;
		pthread_cond_signal(&queue_cond);
		pthread_mutex_unlock(&queue_lock);
	}
	pthread_mutex_lock(&queue_lock);
	done = 1;
	pthread_cond_broadcast(&queue_cond);
	pthread_mutex_unlock(&queue_lock);
	for (int i = 0; i < 3; i++)
		pthread_join(w[i], NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sleep";

	if (strcmp(mode, "sleep") == 0)
		run_sleep();
	else if (strcmp(mode, "pipe") == 0)
		run_pipe();
	else if (strcmp(mode, "mutex") == 0)
		run_mutex();
	else if (strcmp(mode, "fsync") == 0 && argc > 2)
		run_fsync(argv[2]);
	else if (strcmp(mode, "server") == 0)
		run_server();
	else if (strcmp(mode, "block") == 0 && argc > 2) {
		sleeper(0.2);
		sleeper(atof(argv[2]));
	}
	else
		return 2;
	for (int i = 0; i < 8; i++)
		if (waited[i] > 0)
			fprintf(stderr, "wait %s %.6f\n", names[i], waited[i]);
	return 0;
}
