/* A shared library with one hot function, for symbols in .so files (see usehotlib.c). */
/* Keeps lib_hot_loop from being a leaf function (whose frame pointer gcc would drop). */
__attribute__((noinline)) void lib_checkpoint(void)
{
	__asm__ volatile("");
}

__attribute__((noinline)) unsigned long lib_hot_loop(unsigned long n, unsigned long x)
{
	for (unsigned long i = 0; i < n; i += 1000) {
		for (unsigned long j = i; j < i + 1000; j++)
			x = x * 2862933555777941757ULL + j;
		lib_checkpoint();
	}
	return x;
}

/* Next to nothing: calls to it from pltloop spend a good share of their time in its PLT stub. */
unsigned long lib_next(unsigned long x)
{
	return x * 3 + 1;
}
