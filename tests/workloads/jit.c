/* A tiny JIT (x86-64): copies a counting loop into anonymous executable memory, names it in
 * /tmp/perf-PID.map as JIT runtimes do for perf, and runs it.  usage: jit [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	/* mov rax, rdi; 1: dec rax; jnz 1b; ret */
	static const unsigned char code[] = { 0x48, 0x89, 0xf8, 0x48, 0xff, 0xc8, 0x75, 0xfb, 0xc3 };
	double seconds = argc > 1 ? atof(argv[1]) : 1.0, start;
	char path[64];
	FILE *map;
	void (*jitted)(unsigned long);
	unsigned char *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 0xcc, 4096);
	memcpy(mem + 64, code, sizeof(code));
	if (mprotect(mem, 4096, PROT_READ | PROT_EXEC) < 0)
		return 1;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	if (!(map = fopen(path, "w")))
		return 1;
	fprintf(map, "%lx %zx jit_counting_loop\n", (unsigned long)(mem + 64), sizeof(code));
	fclose(map);
	jitted = (void (*)(unsigned long))(mem + 64);
	start = now();
	while (now() - start < seconds)
		jitted(1000000);
	if (argc > 2)
		unlink(path);
	return 0;
}
