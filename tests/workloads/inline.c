/* Inlined code for flame-record's DWARF tests: static inline functions, gcc -O2 -g folds them into
 * work().  usage: inline [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>

static inline unsigned mix(unsigned x)
{
	return x * 2654435761u ^ (x >> 13);
}

static inline unsigned step(unsigned x)
{
	for (int i = 0; i < 100; i++)
		x = mix(x + (unsigned)i);
	return x;
}

__attribute__((noinline)) unsigned work(unsigned n)
{
	unsigned a = 0;
	for (unsigned i = 0; i < n; i++)
		a += step(i);
	return a;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 2000000;
	printf("%u\n", work(n));
	return 0;
}
