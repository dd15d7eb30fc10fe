// C++ names for demangling: a member function in a namespace and a function template.
// usage: cxx [SECONDS]
#include <cstdio>
#include <cstdlib>
#include <ctime>

static double now()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void checkpoint() { __asm__ volatile(""); }

namespace shapes {
struct Circle {
	unsigned long seed;
	unsigned long area(int rounds) const;
};

__attribute__((noinline)) unsigned long Circle::area(int rounds) const
{
	unsigned long x = seed;
	for (int i = 0; i < rounds; i++) {
		for (int j = 0; j < 1000; j++)
			x = x * 2862933555777941757ULL + j;
		checkpoint();
	}
	return x;
}
}

template <typename T> __attribute__((noinline)) T scale(T x, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		for (int j = 0; j < 1000; j++)
			x = x * 3 + 1;
		checkpoint();
	}
	return x;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.0, start = now();
	shapes::Circle c{ 7 };
	unsigned long x = 0;

	while (now() - start < seconds)
		x += c.area(1000) + scale<unsigned long>(x, 1000);
	std::printf("cxx: %lu\n", x);
	return 0;
}
