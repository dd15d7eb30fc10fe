/* demangle: the front door of the demangler. It checks what every grammar needs (no NUL inside,
 * a bounded length) and hands the symbol to the grammar its prefix names: _R is Rust v0; _ZN may
 * be legacy Rust, which is tried first (libiberty's order: a legacy Rust symbol is also valid
 * C++); any other _Z, and _GLOBAL__I_, is Itanium C++. */
#include <string.h>

#include "demangle.h"
#include "demangle_impl.h"

char *demangle_opts(const char *sym, size_t len, int opts)
{
	if (!sym || len > MAX_OUT || memchr(sym, '\0', len))
		return NULL;
	if (len >= 3 && sym[0] == '_' && sym[1] == 'R')
		return demangle_rust_v0(sym, len);
	if (len >= 3 && sym[0] == '_' && sym[1] == 'Z' && sym[2] == 'N') {
		char *r = demangle_rust_legacy(sym, len);
		if (r)
			return r;
	}
	return demangle_itanium(sym, len, opts);
}

char *demangle_n(const char *sym, size_t len)
{
	return demangle_opts(sym, len, 0);
}

char *demangle(const char *sym)
{
	return sym ? demangle_n(sym, strlen(sym)) : NULL;
}
