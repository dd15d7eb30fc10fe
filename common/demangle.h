/* demangle: the symbol demangler (libc only), for flame-record's symbols and the legacy Rust
 * names that flame-collapse finds half-demangled in perf script text. Three files: demangle.c
 * picks the grammar by prefix, demangle_cpp.c is Itanium C++, demangle_rust.c is Rust legacy
 * and v0 (demangle_impl.h is what they share).
 *
 * Output is what `perf script` prints when perf is built with libiberty: cplus_demangle(sym,
 * DMGL_PARAMS | DMGL_ANSI), which is c++filt without its verbose flag (c++filt also prints
 * the Rust legacy hash and crate disambiguators, and spells std::string out; perf does not).
 * It was checked against that libiberty call on ~400,000 real symbols (libstdc++, LLVM, V8,
 * node, gRPC, rustc's v0 symbols, g++/clang++/rustc test programs) and matches all but a
 * handful, plus ~400,000 damaged ones:
 *
 *   Itanium C++ (_Z...)  _ZNKSt6vectorIiSaIiEE4sizeEv -> std::vector<int, std::allocator<int> >::size() const
 *     nested and local names, CV and ref qualifiers, every builtin type, substitutions (S_,
 *     Sn_, St, Sa, Sb, Ss, Si, So, Sd; spelt out in full before a constructor or destructor),
 *     template args and params (T_, Tn_, packs J...E and Dp expansions, sizeof...), function,
 *     pointer, reference, array, pointer-to-member and vector types, exception specs,
 *     operators (conversion `cv`, literal `li`, vendor `v`), constructors and destructors,
 *     lambdas {lambda(int)#1} (generic ones with auto:1), unnamed types {unnamed type#1},
 *     (anonymous namespace), ABI tags [abi:cxx11], structured bindings, special names
 *     (vtable, VTT, typeinfo, thunks, guard variables, TLS init/wrapper, reference
 *     temporaries, transaction clones, _GLOBAL__I_ keyed constructors), literals and the
 *     usual expressions in template args and decltype; GCC clone suffixes print as
 *     "f() [clone .cold]", "[clone .constprop.0] [clone .isra.0]", LLVM's ".llvm.123" too.
 *     libiberty's quirks are kept: T_ looked up in the template being printed, "A<B<C>>" when
 *     the last arg is an empty pack, ", , " for an empty pack amid function parameters.
 *   Rust legacy (_ZN...17h<16 hex>E)  _ZN4core3fmt5write17h0123456789abcdefE -> core::fmt::write
 *     hash dropped (as perf shows it), $LT$ $GT$ $SP$ $BP$ $RF$ $LP$ $RP$ $C$ $uXX$ and ".."
 *     decoded, a .llvm.123 suffix ignored; a hash with under 5 distinct digits is taken for
 *     C++, as libiberty does.
 *   Rust v0 (_R...)  paths, generic args, every type, const generics, backrefs, closures
 *     {closure#0}, shims {shim:vtable#0}, impl paths <T> and <T as Trait>, dyn bounds with
 *     associated types, fn pointers with for<'a>, unsafe and extern "C"; crate disambiguators
 *     and the instantiating crate are not printed, a vendor suffix (.llvm.123) is dropped.
 *     Punycode (non-ASCII) identifiers give NULL. Integer constants wider than 64 bits print
 *     as rustc-demangle prints them (-0x80...), where libiberty prints garbage.
 *
 * Whatever is not understood gives NULL, never a guess. Hostile input is safe: recursion,
 * node count, work and output size are bounded (exceeding a bound gives NULL), nothing is
 * read past the end; the deepest input (512 levels) needs about 128 KB of stack at -O2,
 * 256 KB at -O0, more under ASan. The functions are pure (no global state, thread-safe),
 * easy to fuzz.
 */
#ifndef FLAME_DEMANGLE_H
#define FLAME_DEMANGLE_H

#include <stddef.h>

/* Demangle an Itanium C++ (_Z...) or Rust (legacy _ZN...17h<hash>E, or v0 _R...) symbol.
   Returns a malloc'ed string, or NULL when sym is not a mangled name it understands. */
char *demangle(const char *sym);

/* The same for a symbol that is not NUL-terminated (len bytes). */
char *demangle_n(const char *sym, size_t len);

/* perf script itself prints C++ names without their parameters unless run with -v (perf
 * passes DMGL_NO_OPTS by default, DMGL_PARAMS | DMGL_ANSI when verbose; checked with perf
 * 6.1 on this project's machine): _ZNK2ns3BoxIdE4spinEi is "ns::Box<double>::spin" there,
 * "ns::Box<double>::spin(int) const" with -v and from demangle(). DEMANGLE_NO_PARAMS gives
 * the former: the top-level name alone, without parameters, return type, qualifiers or
 * clone suffix (the rest of the symbol is not even read, as in libiberty). Names inside it
 * (a lambda's enclosing function, a thunk's target) keep theirs. Rust is the same in both. */
enum { DEMANGLE_NO_PARAMS = 1 };
char *demangle_opts(const char *sym, size_t len, int opts);

/* Legacy Rust, one piece at a time, for text that holds the pieces: perf without a Rust-aware
 * demangler prints _ZN4core3fmt5write17h0123456789abcdefE as "core::fmt::write::h0123456789abcdef"
 * and leaves the escapes in (flame-collapse finishes the job with these, by the same rules). */

/* Is s (n bytes) a legacy hash segment: 'h', 16 lower-case hex digits, at least 5 different? */
int demangle_rust_legacy_hash(const char *s, size_t n);

/* Decode the escapes of the legacy identifier s (n bytes) into out, which has room for n bytes
 * (the result is never longer), and return its length. The mangler's '_' before a leading '$'
 * is dropped; $SP$ @, $BP$ *, $RF$ &, $LT$ <, $GT$ >, $LP$ (, $RP$ ), $C$ , and $uXX$ for
 * printable ASCII (0x20 to 0x7f) are decoded, ".." is "::"; from an escape it does not know
 * on, the rest is copied as it is (libiberty's way). Not NUL-terminated. */
size_t demangle_rust_legacy_unescape(const char *s, size_t n, char *out);

#endif
