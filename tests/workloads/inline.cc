// C++ templates and std::sort for flame-record's DWARF tests (g++ -O2 -g inlines most of it).
// usage: inline-cc [N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

template <typename T> struct Box {
	T v;
	bool operator<(const Box &o) const { return v < o.v; }
};

template <typename T> static T checksum(const std::vector<Box<T>> &v)
{
	T s = 0;
	for (auto &b : v)
		s += b.v;
	return s;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000000;
	std::vector<Box<double>> v;
	for (int r = 0; r < 4; r++) {
		v.clear();
		unsigned x = 1;
		for (int i = 0; i < n; i++) {
			x = x * 1103515245 + 12345;
			v.push_back({(double)(x >> 8)});
		}
		std::sort(v.begin(), v.end());
	}
	printf("%f\n", checksum(v));
}
