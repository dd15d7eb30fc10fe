/* demangle: built-in symbol demanglers for flame-record, libc only.
 *
 * Output is what `perf script` prints when perf is built with libiberty (cplus_demangle with
 * DMGL_PARAMS | DMGL_ANSI, i.e. c++filt without its verbose flag):
 *
 *   Itanium C++ (_Z...)   _ZNKSt6vectorIiSaIiEE4sizeEv -> std::vector<int, std::allocator<int> >::size() const
 *     nested and local names, CV/ref qualifiers, every builtin type, substitutions (S_, Sn_, St,
 *     Sa, Sb, Ss, Si, So, Sd; Ss & co. spelt out in full before a constructor or destructor),
 *     template args and params (T_, Tn_, packs J...E and Dp expansions), function, pointer,
 *     reference, array, pointer-to-member and vector types, operators (conversion `cv`, literal
 *     `li`, vendor `v`), constructors and destructors, lambdas {lambda(int)#1}, unnamed types
 *     {unnamed type#1}, (anonymous namespace), ABI tags [abi:cxx11], structured bindings,
 *     special names (vtable, VTT, typeinfo, thunks, guard variables, TLS init/wrapper,
 *     reference temporaries, transaction clones), template-arg literals, the common expression
 *     forms and decltype; clone suffixes print as " [clone .cold]". Anything it does not
 *     understand yields NULL rather than a guess.
 *   Rust legacy (_ZN...17h<16 hex>E)  _ZN4core3fmt5write17h0123456789abcdefE -> core::fmt::write
 *     The hash is dropped (as perf shows it); $LT$ $GT$ $SP$ $BP$ $RF$ $LP$ $RP$ $C$ $uXX$ and
 *     ".." are decoded.
 *   Rust v0 (_R...)  paths, generic args, all types, const generics, backrefs, closures
 *     {closure#0}, shims, impl paths <T as Trait>, dyn bounds, fn pointers; crate disambiguators
 *     are hidden; a vendor suffix (.llvm.123) is dropped. Punycode identifiers yield NULL.
 *
 * Hostile input is safe: bounded recursion, bounded node count and output size (overflow gives
 * NULL), no read past the terminating NUL. demangle() is a pure function, easy to fuzz.
 */
#ifndef FLAME_DEMANGLE_H
#define FLAME_DEMANGLE_H

#include <stddef.h>

/* Demangle an Itanium C++ (_Z...) or Rust (legacy _ZN...17h<hash>E, or v0 _R...) symbol.
   Returns a malloc'ed string, or NULL when sym is not a mangled name it understands. */
char *demangle(const char *sym);

/* The same for a symbol that is not NUL-terminated (len bytes). */
char *demangle_n(const char *sym, size_t len);

#endif
