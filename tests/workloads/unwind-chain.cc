// The C++ twin of unwind-chain.c: functions with exception handlers, so their FDEs carry LSDA
// pointers under a "zPLR" CIE; the known chain is main;chain_a;chain_b;chain_c;leaf.
// Usage: unwind-chain-cc [SECONDS]
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

static volatile unsigned long sink;

__attribute__((noinline)) unsigned long leaf(unsigned long x)
{
	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	if (x == 42)
		throw std::runtime_error("unlikely");
	return x;
}

__attribute__((noinline)) unsigned long chain_c(unsigned long x)
{
	std::string keep(sink & 1 ? "a fairly long string that lives on the heap" : "b");
	unsigned long r = leaf(x ^ 3);
	sink = r;
	return r + x + keep.size();
}

__attribute__((noinline)) unsigned long chain_b(unsigned long x)
{
	try {
		unsigned long r = chain_c(x + 7);
		sink = r;
		return r ^ x;
	} catch (const std::exception &) {
		return 0;
	}
}

__attribute__((noinline)) unsigned long chain_a(unsigned long x)
{
	unsigned long r = chain_b(x * 5);
	sink = r;
	return r - x;
}

int main(int argc, char **argv)
{
	auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(argc > 1 ? std::atof(argv[1]) : 1.0);
	unsigned long x = 1;
	while (std::chrono::steady_clock::now() < end)
		for (int i = 0; i < 100; i++)
			x = chain_a(x);
	sink = x;
	return 0;
}
