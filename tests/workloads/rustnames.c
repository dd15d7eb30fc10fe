/* Functions named as rustc's legacy mangling names them, for flame-record's demangler and
 * flame-collapse's reading of the same names half-demangled (tests/rust-names.bats).
 * usage: rustnames [SECONDS]  (each function spins for a quarter of it; default 0.8 s) */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* not a leaf, so that gcc keeps its frame pointer */
__attribute__((noinline)) void checkpoint(void)
{
	__asm__ volatile("");
}

static inline __attribute__((always_inline)) void spin(double seconds)
{
	double end = now() + seconds;
	unsigned long x = sink;
	while (now() < end) {
		for (int j = 0; j < 10000; j++)
			x = x * 2862933555777941757ULL + (unsigned long)j;
		checkpoint();
	}
	sink = x;
}

#define RUST_FN(c_name, mangled) \
	__attribute__((noinline)) void c_name(double s) __asm__(mangled); \
	void c_name(double s) { spin(s); }

/* shape::Square::grind */
RUST_FN(grind, "_ZN5shape6Square5grind17h0123456789abcdefE")
/* <shape::Square as shape::Area?>::area: an escape beyond the usual ones */
RUST_FN(area, "_ZN50_$LT$shape..Square$u20$as$u20$shape..Area$u3f$$GT$4area17h5e4f3a2b1c0d9e8fE")
/* a hash of 4 different digits: a C++ name, spin::loop::h000000000000ffff */
RUST_FN(cpp_loop, "_ZN4spin4loop17h000000000000ffffE")
/* shape::<impl [T]>::len: the mangler's '_' before an escape, in the middle of the path */
RUST_FN(slice_len, "_ZN5shape29_$LT$impl$u20$$u5b$T$u5d$$GT$3len17h9377899ac1bb5027E")

int main(int argc, char **argv)
{
	double s = (argc > 1 ? atof(argv[1]) : 0.8) / 4;
	grind(s);
	area(s);
	cpp_loop(s);
	slice_len(s);
	return 0;
}
