/* Unit tests for the demangler (common/demangle.c, demangle_cpp.c, demangle_rust.c).
 *
 * The expected strings are what libiberty's cplus_demangle(sym, DMGL_PARAMS | DMGL_ANSI)
 * prints for each symbol, which is what `perf script -v` shows, and what cplus_demangle(sym,
 * DMGL_NO_OPTS) prints, which is what plain `perf script` shows (perf 6.1). (c++filt is
 * the same code with DMGL_VERBOSE, which for Rust also prints the legacy hash and the crate
 * disambiguators; perf does not.) The symbols are hand-written manglings of ABI features, and
 * real symbols from a small C++ program (g++ and clang++, -O2 for the clones) and a Rust one
 * (legacy and v0 mangling) built for this purpose. One deliberate difference: Rust v0 integer
 * constants wider than 64 bits print as rustc-demangle prints them (-0x8000...), where
 * libiberty prints garbage.
 *
 * Past the table: invalid symbols give NULL, every prefix of every symbol (also without a
 * terminating NUL) and many mutations of them run without a crash (run this under ASan and
 * UBSan to make that mean something), and inputs built to explode (deep nesting,
 * exponential substitutions and backrefs) end quickly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demangle.h"

/* sym, what demangle() gives, what demangle_opts(DEMANGLE_NO_PARAMS) gives (perf script's
 * default) */
static const struct {
	const char *sym, *want, *want_no_params;
} known[] = {
	{ "_ZN3foo3barEv", "foo::bar()", "foo::bar" },
	{ "_ZNKSt6vectorIiSaIiEE4sizeEv",
	  "std::vector<int, std::allocator<int> >::size() const",
	  "std::vector<int, std::allocator<int> >::size" },
	{ "_Z1fv", "f()", "f" },
	{ "_Z1fi", "f(int)", "f" },
	{ "_Z1fPKc", "f(char const*)", "f" },
	{ "_Z1fRKi", "f(int const&)", "f" },
	{ "_Z1fOi", "f(int&&)", "f" },
	{ "_Z1fPFviE", "f(void (*)(int))", "f" },
	{ "_Z1fPA3_i", "f(int (*) [3])", "f" },
	{ "_Z1fRA3_i", "f(int (&) [3])", "f" },
	{ "_Z1fA2_A3_i", "f(int [2][3])", "f" },
	{ "_Z1fM1AFviE", "f(void (A::*)(int))", "f" },
	{ "_Z1fM1AKFvvE", "f(void (A::*)() const)", "f" },
	{ "_Z1fM1Ai", "f(int A::*)", "f" },
	{ "_Z1fPVKi", "f(int const volatile*)", "f" },
	{ "_Z1frVKi", "f(int const volatile restrict)", "f" },
	{ "_Z1fPPFvvE", "f(void (**)())", "f" },
	{ "_Z1fPKPFvvE", "f(void (* const*)())", "f" },
	{ "_Z1fwbcahstijlmxynofdeg",
	  "f(wchar_t, bool, char, signed char, unsigned char, short, unsigned short, int, unsigned int, long, unsigned long, long long, unsigned long long, __int128, unsigned __int128, float, double, long double, __float128)",
	  "f" },
	{ "_Z1fDnDiDsDuDhDF16_",
	  "f(decltype(nullptr), char32_t, char16_t, char8_t, half, _Float16)",
	  "f" },
	{ "_Z1fiz", "f(int, ...)", "f" },
	{ "_Z1fSs", "f(std::string)", "f" },
	{ "_Z1fSiSoSd", "f(std::istream, std::ostream, std::iostream)", "f" },
	{ "_ZNSsC1Ev",
	  "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()",
	  "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string" },
	{ "_ZNSdD0Ev",
	  "std::basic_iostream<char, std::char_traits<char> >::~basic_iostream()",
	  "std::basic_iostream<char, std::char_traits<char> >::~basic_iostream" },
	{ "_Z1fSaIcE", "f(std::allocator<char>)", "f" },
	{ "_Z1fSbIcE", "f(std::basic_string<char>)", "f" },
	{ "_Z1fP1AS0_", "f(A*, A*)", "f" },
	{ "_Z1fP1AS_", "f(A*, A)", "f" },
	{ "_Z1fIiEvT_", "void f<int>(int)", "f<int>" },
	{ "_Z1fIiJcdEEvT_DpT0_",
	  "void f<int, char, double>(int, char, double)",
	  "f<int, char, double>" },
	{ "_Z1fIJEEvDpT_", "void f<>()", "f<>" },
	{ "_Z1fIJiiEEvDpRT_", "void f<int, int>(int&, int&)", "f<int, int>" },
	{ "_ZN1AIiE1fIcEEvT_", "void A<int>::f<char>(char)", "A<int>::f<char>" },
	{ "_Z1fILi5EEvv", "void f<5>()", "f<5>" },
	{ "_Z1fILb1EEvv", "void f<true>()", "f<true>" },
	{ "_Z1fILb0EEvv", "void f<false>()", "f<false>" },
	{ "_Z1fILc65EEvv", "void f<(char)65>()", "f<(char)65>" },
	{ "_Z1fILln5EEvv", "void f<-5l>()", "f<-5l>" },
	{ "_Z1fILj5EEvv", "void f<5u>()", "f<5u>" },
	{ "_Z1fILm5EEvv", "void f<5ul>()", "f<5ul>" },
	{ "_Z1fILx5EEvv", "void f<5ll>()", "f<5ll>" },
	{ "_Z1fILy5EEvv", "void f<5ull>()", "f<5ull>" },
	{ "_Z1fILs5EEvv", "void f<(short)5>()", "f<(short)5>" },
	{ "_Z1fIXadL_Z3foovEEEvv", "void f<&(foo())>()", "f<&(foo())>" },
	{ "_Z1fIXadL_ZN1A3fooEvEEEvv", "void f<&A::foo>()", "f<&A::foo>" },
	{ "_Z1fIL_Z3foovEEvv", "void f<foo()>()", "f<foo()>" },
	{ "_Z1fILDn0EEvv", "void f<(decltype(nullptr))0>()", "f<(decltype(nullptr))0>" },
	{ "_Z1fILf3f800000EEvv", "void f<(float)[3f800000]>()", "f<(float)[3f800000]>" },
	{ "_ZN1AplERKS_", "A::operator+(A const&)", "A::operator+" },
	{ "_ZN1AcviEv", "A::operator int()", "A::operator int" },
	{ "_ZN1AnwEm", "A::operator new(unsigned long)", "A::operator new" },
	{ "_ZN1AdaEPv", "A::operator delete[](void*)", "A::operator delete[]" },
	{ "_ZN1AclEv", "A::operator()()", "A::operator()" },
	{ "_ZN1AixEi", "A::operator[](int)", "A::operator[]" },
	{ "_ZN1AaSERKS_", "A::operator=(A const&)", "A::operator=" },
	{ "_ZN1AssERKS_", "A::operator<=>(A const&)", "A::operator<=>" },
	{ "_ZltRK1AS1_", "operator<(A const&, A const&)", "operator<" },
	{ "_ZlsRSoRK1A", "operator<<(std::ostream&, A const&)", "operator<<" },
	{ "_Zli2_xPKcm", "operator\"\" _x(char const*, unsigned long)", "operator\"\" _x" },
	{ "_ZN1AawEv", "A::operator co_await()", "A::operator co_await" },
	{ "_ZN1AptEv", "A::operator->()", "A::operator->" },
	{ "_ZN1AC1Ev", "A::A()", "A::A" },
	{ "_ZN1AC2ERKS_", "A::A(A const&)", "A::A" },
	{ "_ZN1AD0Ev", "A::~A()", "A::~A" },
	{ "_ZN1AD1Ev", "A::~A()", "A::~A" },
	{ "_ZN1AD2Ev", "A::~A()", "A::~A" },
	{ "_ZN1AIiEC1Ev", "A<int>::A()", "A<int>::A" },
	{ "_ZN1AIiED2Ev", "A<int>::~A()", "A<int>::~A" },
	{ "_ZN1AB5cxx11C1Ev", "A[abi:cxx11]::A()", "A[abi:cxx11]::A" },
	{ "_ZZ1fvE1x", "f()::x", "f()::x" },
	{ "_ZZ1fvEs", "f()::string literal", "f()::string literal" },
	{ "_ZZ1fvEd_1x", "f()::{default arg#1}::x", "f()::{default arg#1}::x" },
	{ "_ZZ4mainENKUlvE_clEv",
	  "main::{lambda()#1}::operator()() const",
	  "main::{lambda()#1}::operator()" },
	{ "_ZZ4mainENKUliE0_clEi",
	  "main::{lambda(int)#2}::operator()(int) const",
	  "main::{lambda(int)#2}::operator()" },
	{ "_ZZ1fIiEvvE1x", "f<int>()::x", "f<int>()::x" },
	{ "_ZN1AUt_D1Ev", "A::{unnamed type#1}::~A()", "A::{unnamed type#1}::~A" },
	{ "_ZN1AUt0_1xE", "A::{unnamed type#2}::x", "A::{unnamed type#2}::x" },
	{ "_ZN12_GLOBAL__N_14AnonD0Ev",
	  "(anonymous namespace)::Anon::~Anon()",
	  "(anonymous namespace)::Anon::~Anon" },
	{ "_ZN12_GLOBAL__N_11fEv",
	  "(anonymous namespace)::f()",
	  "(anonymous namespace)::f" },
	{ "_Z3tagB5cxx11v", "tag[abi:cxx11]()", "tag[abi:cxx11]" },
	{ "_ZTV1A", "vtable for A", "vtable for A" },
	{ "_ZTI1A", "typeinfo for A", "typeinfo for A" },
	{ "_ZTS1A", "typeinfo name for A", "typeinfo name for A" },
	{ "_ZTT1A", "VTT for A", "VTT for A" },
	{ "_ZThn8_N1D1hEl",
	  "non-virtual thunk to D::h(long)",
	  "non-virtual thunk to D::h(long)" },
	{ "_ZTv0_n24_N1D1gEi", "virtual thunk to D::g(int)", "virtual thunk to D::g(int)" },
	{ "_ZTch0_h0_N1A1fEv",
	  "covariant return thunk to A::f()",
	  "covariant return thunk to A::f()" },
	{ "_ZGVZ1fvE1x", "guard variable for f()::x", "guard variable for f()::x" },
	{ "_ZGR1x0", "reference temporary #0 for x", "reference temporary #0 for x" },
	{ "_ZTH1x", "TLS init function for x", "TLS init function for x" },
	{ "_ZTW1x", "TLS wrapper function for x", "TLS wrapper function for x" },
	{ "_ZTC1D0_1B",
	  "construction vtable for B-in-D",
	  "construction vtable for B-in-D" },
	{ "_ZGTt1fv", "transaction clone for f()", "transaction clone for f()" },
	{ "_Z9cold_pathi.cold", "cold_path(int) [clone .cold]", "cold_path" },
	{ "_ZL7isra_fnRKSt6vectorIiSaIiEEi.isra.0",
	  "isra_fn(std::vector<int, std::allocator<int> > const&, int) [clone .isra.0]",
	  "isra_fn" },
	{ "_Z1fv.constprop.0.isra.0", "f() [clone .constprop.0] [clone .isra.0]", "f" },
	{ "_Z1fv.part.0", "f() [clone .part.0]", "f" },
	{ "_Z1fv.llvm.1234", "f() [clone .llvm.1234]", "f" },
	{ "_ZNSt8ios_base4InitC1Ev",
	  "std::ios_base::Init::Init()",
	  "std::ios_base::Init::Init" },
	{ "_ZSt4endlIcSt11char_traitsIcEERSt13basic_ostreamIT_T0_ES6_",
	  "std::basic_ostream<char, std::char_traits<char> >& std::endl<char, std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&)",
	  "std::endl<char, std::char_traits<char> >" },
	{ "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm",
	  "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long&, unsigned long)",
	  "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create" },
	{ "_Z1fIiEvRAplT_Li1E_i", "void f<int>(int (&) [(int)+(1)])", "f<int>" },
	{ "_Z1fIiEvRAszT__i", "void f<int>(int (&) [sizeof (int)])", "f<int>" },
	{ "_Z1fIiEvRAstT__i", "void f<int>(int (&) [sizeof (int)])", "f<int>" },
	{ "_Z1fILi1EEvPAngT__i", "void f<1>(int (*) [-(1)])", "f<1>" },
	{ "_Z1fIPDoFvvEEvv", "void f<void (*)() noexcept>()", "f<void (*)() noexcept>" },
	{ "_ZN1AcvT_IiEEv", "A::operator int<int>()", "A::operator int<int>" },
	{ "_Z1fDv4_f", "f(float __vector(4))", "f" },
	{ "_Z1fCd", "f(double _Complex)", "f" },
	{ "_ZNK1A1fEv", "A::f() const", "A::f" },
	{ "_ZNVK1A1fEv", "A::f() const volatile", "A::f" },
	{ "_ZNR1A1fEv", "A::f() &", "A::f" },
	{ "_ZNO1A1fEv", "A::f() &&", "A::f" },
	{ "_ZN1A1fEv.cold", "A::f() [clone .cold]", "A::f" },
	{ "_ZN5outer2v13ArrIdLi4EEixEi",
	  "outer::v1::Arr<double, 4>::operator[](int)",
	  "outer::v1::Arr<double, 4>::operator[]" },
	{ "_ZNKSt8functionIFiiEEclEi",
	  "std::function<int (int)>::operator()(int) const",
	  "std::function<int (int)>::operator()" },
	{ "_ZSt4sortIN9__gnu_cxx17__normal_iteratorIPiSt6vectorIiSaIiEEEEEvT_S7_",
	  "void std::sort<__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > > >(__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, __gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >)",
	  "std::sort<__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > > >" },
	{ "_ZNSt10unique_ptrIiSt14default_deleteIiEED2Ev",
	  "std::unique_ptr<int, std::default_delete<int> >::~unique_ptr()",
	  "std::unique_ptr<int, std::default_delete<int> >::~unique_ptr" },
	{ "_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv",
	  "__gnu_cxx::new_allocator<char>::allocate(unsigned long, void const*)",
	  "__gnu_cxx::new_allocator<char>::allocate" },
	{ "_ZNSt6vectorISt4pairIiiESaIS1_EE9push_backEOS1_",
	  "std::vector<std::pair<int, int>, std::allocator<std::pair<int, int> > >::push_back(std::pair<int, int>&&)",
	  "std::vector<std::pair<int, int>, std::allocator<std::pair<int, int> > >::push_back" },
	{ "_Z1fIJEiEvv", "void f<, int>()", "f<, int>" },
	{ "_ZNK3FooIiE3barIcEEPFvT_EPS0_",
	  "void (*Foo<int>::bar<char>(Foo<int>*) const)(char)",
	  "Foo<int>::bar<char>" },
	{ "_Z1fPFPFivEvE", "f(int (*(*)())())", "f" },
	{ "_Z1fRKFvvE", "f(void (&)() const)", "f" },
	{ "_Z1fPN1A1BE", "f(A::B*)", "f" },
	{ "_ZN1A1B1C1DE", "A::B::C::D", "A::B::C::D" },
	{ "_ZL3bari", "bar(int)", "bar" },
	{ "_ZN1AD0Ev.cold", "A::~A() [clone .cold]", "A::~A" },
	{ "_ZTSN1A1BE", "typeinfo name for A::B", "typeinfo name for A::B" },
	{ "_ZTIPKc", "typeinfo for char const*", "typeinfo for char const*" },
	{ "_ZN4core3fmt5write17h0123456789abcdefE",
	  "core::fmt::write",
	  "core::fmt::write" },
	{ "_ZN4core3fmt5write17h0123456789abcdefE.llvm.1234567",
	  "core::fmt::write",
	  "core::fmt::write" },
	{ "_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE",
	  "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>",
	  "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>" },
	{ "_ZN66_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..drop..Drop$GT$4drop17h0123456789abcdefE",
	  "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop",
	  "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop" },
	{ "_ZN20a$SP$b$BP$c$RF$d$C$e17h0123456789abcdefE", "a@b*c&d,e", "a@b*c&d,e" },
	{ "_ZN3std2io5Write9write_fmt17h5e4f3a2b1c0d9e8fE",
	  "std::io::Write::write_fmt",
	  "std::io::Write::write_fmt" },
	{ "_ZN7x$u7e$y17h0123456789abcdefE", "x~y", "x~y" },
	{ "_ZN7d$$u7d$17h0123456789abcdefE", "d$$u7d$", "d$$u7d$" },
	{ "_ZN1f17h0000000000000000E", "f::h0000000000000000", "f::h0000000000000000" },
	{ "_RINvCs1234_1m1fFG_RL0_hEuE",
	  "m::f::<for<'a> fn(&'a u8)>",
	  "m::f::<for<'a> fn(&'a u8)>" },
	{ "_RINvC1m1fDINtC1m5TraitlEp4ItemmEL_E",
	  "m::f::<dyn m::Trait<i32, Item = u32>>",
	  "m::f::<dyn m::Trait<i32, Item = u32>>" },
	{ "_RNSNvC1m1f6vtable", "m::f::{shim:vtable#0}", "m::f::{shim:vtable#0}" },
	{ "_RNCNvC1m1fs_0", "m::f::{closure#1}", "m::f::{closure#1}" },
	{ "_RINvC1m1fKc0_E", "m::f::<'\\u{0}'>", "m::f::<'\\u{0}'>" },
	{ "_RINvC1m1fKc27_E", "m::f::<'''>", "m::f::<'''>" },
	{ "_RINvC1m1fKca_E", "m::f::<'\\n'>", "m::f::<'\\n'>" },
	{ "_RINvC1m1fKce9_E", "m::f::<'\\u{e9}'>", "m::f::<'\\u{e9}'>" },
	{ "_RINvC1m1fKpE", "m::f::<_>", "m::f::<_>" },
	{ "_RINvC1m1fTlhEE", "m::f::<(i32, u8)>", "m::f::<(i32, u8)>" },
	{ "_RINvC1m1fTlEE", "m::f::<(i32,)>", "m::f::<(i32,)>" },
	{ "_RINvC1m1fTEE", "m::f::<()>", "m::f::<()>" },
	{ "_RINvC1m1fFUKCEuE",
	  "m::f::<unsafe extern \"C\" fn()>",
	  "m::f::<unsafe extern \"C\" fn()>" },
	{ "_RINvC1m1fFK5stdcallEhE",
	  "m::f::<extern \"stdca\" fn(i32, i32) -> u8>",
	  "m::f::<extern \"stdca\" fn(i32, i32) -> u8>" },
	{ "_RINvC1m1fAlj4_E", "m::f::<[i32; 4]>", "m::f::<[i32; 4]>" },
	{ "_RNvC1m1f.llvm.123", "m::f", "m::f" },
	{ "_RNvNvC1m1f1g", "m::f::g", "m::f::g" },
	{ "_RINvC1m1fRL_lQlPlOlSlzE",
	  "m::f::<&i32, &mut i32, *const i32, *mut i32, [i32], !>",
	  "m::f::<&i32, &mut i32, *const i32, *mut i32, [i32], !>" },
	{ "_RINvC1m1fDG_INtC1m1TRL0_hEEL_E",
	  "m::f::<dyn for<'a> m::T<&'a u8>>",
	  "m::f::<dyn for<'a> m::T<&'a u8>>" },
	{ "_RNvMC1mNtC1m1S3new", "<m::S>::new", "<m::S>::new" },
	{ "_RNvXC1mNtC1m1SNtC1m1T1f", "<m::S as m::T>::f", "<m::S as m::T>::f" },
	{ "_RNvYNtC1m1SNtC1m1T1f", "<m::S as m::T>::f", "<m::S as m::T>::f" },
	{ "_RNvCs1234_7mycrate3foo", "mycrate::foo", "mycrate::foo" },
	{ "_RNvC1m1fC1n", "m::f", "m::f" },
	{ "_RINvC1m1fKc22_E", "m::f::<'\"'>", "m::f::<'\"'>" },
	{ "_RINvC1m1fKc5c_E", "m::f::<'\\'>", "m::f::<'\\'>" },
	{ "_RINvC1m1fKc9_E", "m::f::<'\\t'>", "m::f::<'\\t'>" },
	{ "_RINvC1m1fKcd_E", "m::f::<'\\r'>", "m::f::<'\\r'>" },
	{ "_RINvC1m1fKc7f_E", "m::f::<'\\u{7f}'>", "m::f::<'\\u{7f}'>" },
	{ "_RINvC1m1fKc1f_E", "m::f::<'\\u{1f}'>", "m::f::<'\\u{1f}'>" },
	{ "_RINvC1m1fKc10ffff_E", "m::f::<'\\u{10ffff}'>", "m::f::<'\\u{10ffff}'>" },
	{ "_RINvC1m1fKcd800_E", "m::f::<'\\u{d800}'>", "m::f::<'\\u{d800}'>" },
	{ "_ZNSt16allocator_traitsISaIiEE9constructIiJiEEEvRS0_PT_DpOT0_",
	  "void std::allocator_traits<std::allocator<int> >::construct<int, int>(std::allocator<int>&, int*, int&&)",
	  "std::allocator_traits<std::allocator<int> >::construct<int, int>" },
	{ "_ZNSt11_Tuple_implILm0EJicNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEC2IiJcRA2_KcEvEEOT_DpOT0_",
	  "std::_Tuple_impl<0ul, int, char, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_Tuple_impl<int, char, char const (&) [2], void>(int&&, char&&, char const (&) [2])",
	  "std::_Tuple_impl<0ul, int, char, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_Tuple_impl<int, char, char const (&) [2], void>" },
	{ "_ZN4ConvcvPT_IiEEv", "Conv::operator int*<int>()", "Conv::operator int*<int>" },
	{ "_ZNSt16allocator_traitsISaINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEE8allocateERS9_m",
	  "std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::allocate(std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >&, unsigned long)",
	  "std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::allocate" },
	{ "_ZNSt10shared_ptrI7DerivedEC5ISaIvEJEEESt20_Sp_alloc_shared_tagIT_EDpOT0_",
	  "std::shared_ptr<Derived>::shared_ptr<std::allocator<void>>(std::_Sp_alloc_shared_tag<std::allocator<void> >)",
	  "std::shared_ptr<Derived>::shared_ptr<std::allocator<void>>" },
	{ "_ZN9__gnu_cxx5__ops15_Iter_comp_iterIZ4mainEUlRKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES9_E_EC1ESA_",
	  "__gnu_cxx::__ops::_Iter_comp_iter<main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1}>::_Iter_comp_iter(main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1})",
	  "__gnu_cxx::__ops::_Iter_comp_iter<main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1}>::_Iter_comp_iter" },
	{ "_ZNSt15__new_allocatorIiE9constructIiJiEEEvPT_DpOT0_",
	  "void std::__new_allocator<int>::construct<int, int>(int*, int&&)",
	  "std::__new_allocator<int>::construct<int, int>" },
	{ "_ZNSt12__shared_ptrI7DerivedLN9__gnu_cxx12_Lock_policyE2EEC2ISaIvEJEEESt20_Sp_alloc_shared_tagIT_EDpOT0_",
	  "std::__shared_ptr<Derived, (__gnu_cxx::_Lock_policy)2>::__shared_ptr<std::allocator<void>>(std::_Sp_alloc_shared_tag<std::allocator<void> >)",
	  "std::__shared_ptr<Derived, (__gnu_cxx::_Lock_policy)2>::__shared_ptr<std::allocator<void>>" },
	{ "_ZNSt13unordered_mapIiSt8functionIFiiEESt4hashIiESt8equal_toIiESaISt4pairIKiS2_EEED5Ev",
	  "std::unordered_map<int, std::function<int (int)>, std::hash<int>, std::equal_to<int>, std::allocator<std::pair<int const, std::function<int (int)> > > >::~unordered_map()",
	  "std::unordered_map<int, std::function<int (int)>, std::hash<int>, std::equal_to<int>, std::allocator<std::pair<int const, std::function<int (int)> > > >::~unordered_map" },
	{ "_ZNSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEC2Ev",
	  "std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>::_Hash_node()",
	  "std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>::_Hash_node" },
	{ "_ZN9__gnu_cxx5__ops14_Val_comp_iterIZ4mainEUlRKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES9_E_EC1EONS0_15_Iter_comp_iterISA_EE",
	  "__gnu_cxx::__ops::_Val_comp_iter<main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1}>::_Val_comp_iter(__gnu_cxx::__ops::_Iter_comp_iter<main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1}>&&)",
	  "__gnu_cxx::__ops::_Val_comp_iter<main::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#1}>::_Val_comp_iter" },
	{ "_ZNKSt8optionalIdEcvbEv",
	  "std::optional<double>::operator bool() const",
	  "std::optional<double>::operator bool" },
	{ "_ZNSt15__new_allocatorINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEC2Ev",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::__new_allocator()",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::__new_allocator" },
	{ "_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJZ4mainEUlvE1_EEEEE6_M_runEv",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_M_run()",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_M_run" },
	{ "_ZNSt19__ptr_traits_ptr_toIPNSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEES8_Lb0EE10pointer_toERS8_",
	  "std::__ptr_traits_ptr_to<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>*, std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>, false>::pointer_to(std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>&)",
	  "std::__ptr_traits_ptr_to<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>*, std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>, false>::pointer_to" },
	{ "_ZNSt5tupleIJONSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEC5IJS5_ELb1ELb1EEEDpOT_",
	  "std::tuple<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&&>::tuple<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, true, true>(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&&)",
	  "std::tuple<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&&>::tuple<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, true, true>" },
	{ "_ZNSt10_Head_baseILm0EZ4mainEUlvE1_Lb1EEC2IS0_EEOT_",
	  "std::_Head_base<0ul, main::{lambda()#3}, true>::_Head_base<main::{lambda()#3}>(main::{lambda()#3}&&)",
	  "std::_Head_base<0ul, main::{lambda()#3}, true>::_Head_base<main::{lambda()#3}>" },
	{ "_ZNSaIPNSt8__detail15_Hash_node_baseEEC2INS_10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEERKSaIT_E",
	  "std::allocator<std::__detail::_Hash_node_base*>::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >(std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > const&)",
	  "std::allocator<std::__detail::_Hash_node_base*>::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >" },
	{ "_Z5applyIZ10use_lambdaiEUliE1_EiT_i.constprop.0",
	  "int apply<use_lambda(int)::{lambda(int)#3}>(use_lambda(int)::{lambda(int)#3}, int) [clone .constprop.0]",
	  "apply<use_lambda(int)::{lambda(int)#3}>" },
	{ "_ZN12_GLOBAL__N_14AnonD1Ev",
	  "(anonymous namespace)::Anon::~Anon()",
	  "(anonymous namespace)::Anon::~Anon" },
	{ "_ZNKSt8__detail10_Select1stclIRKSt4pairIKiSt8functionIFiiEEEEEONS0_10__1st_typeIT_E4typeEOSB_",
	  "std::__detail::_Select1st::__1st_type<std::pair<int const, std::function<int (int)> > const&>::type&& std::__detail::_Select1st::operator()<std::pair<int const, std::function<int (int)> > const&>(std::pair<int const, std::function<int (int)> > const&) const",
	  "std::__detail::_Select1st::operator()<std::pair<int const, std::function<int (int)> > const&>" },
	{ "_ZNSt14_Function_base13_Base_managerIZ4mainEUliE0_E10_M_managerERSt9_Any_dataRKS3_St18_Manager_operation",
	  "std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_manager(std::_Any_data&, std::_Any_data const&, std::_Manager_operation)",
	  "std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_manager" },
	{ "_ZNSt4pairIKiSt8functionIFiiEEEC2IJOiEJLm0EEJEJEEERSt5tupleIJDpT_EERS7_IJDpT1_EESt12_Index_tupleIJXspT0_EEESG_IJXspT2_EEE",
	  "std::pair<int const, std::function<int (int)> >::pair<int&&, 0ul>(std::tuple<int&&>&, std::tuple<>&, std::_Index_tuple<0ul>, std::_Index_tuple<>)",
	  "std::pair<int const, std::function<int (int)> >::pair<int&&, 0ul>" },
	{ "_ZNSt11_Tuple_implILm0EJZ4mainEUlvE1_EEC2IS0_EEOT_",
	  "std::_Tuple_impl<0ul, main::{lambda()#3}>::_Tuple_impl<main::{lambda()#3}>(main::{lambda()#3}&&)",
	  "std::_Tuple_impl<0ul, main::{lambda()#3}>::_Tuple_impl<main::{lambda()#3}>" },
	{ "_ZNSt14_Function_base13_Base_managerIZ4mainEUliE0_E10_M_destroyERSt9_Any_dataSt17integral_constantIbLb1EE",
	  "std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_destroy(std::_Any_data&, std::integral_constant<bool, true>)",
	  "std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_destroy" },
	{ "_ZNSt5tupleIJZ4mainEUlvE1_EEC2IJS0_ELb1ELb1EEEDpOT_",
	  "std::tuple<main::{lambda()#3}>::tuple<main::{lambda()#3}, true, true>(main::{lambda()#3}&&)",
	  "std::tuple<main::{lambda()#3}>::tuple<main::{lambda()#3}, true, true>" },
	{ "_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJZ4mainEUlvE1_EEEEED1Ev",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::~_State_impl()",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::~_State_impl" },
	{ "_ZNSt11_Tuple_implILm1EJcNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEC2IcJRA2_KcEvEEOT_DpOT0_",
	  "std::_Tuple_impl<1ul, char, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_Tuple_impl<char, char const (&) [2], void>(char&&, char const (&) [2])",
	  "std::_Tuple_impl<1ul, char, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_Tuple_impl<char, char const (&) [2], void>" },
	{ "_ZNSt15__new_allocatorINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEED5Ev",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::~__new_allocator()",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::~__new_allocator" },
	{ "_ZNSaINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEED1Ev",
	  "std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::~allocator()",
	  "std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::~allocator" },
	{ "_ZZNSt8__detail9__variant16_Variant_storageILb0EJiNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEE8_M_resetEvENUlOT_E_clIRS7_EEDaSA_",
	  "auto std::__detail::__variant::_Variant_storage<false, int, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_M_reset()::{lambda(auto:1&&)#1}::operator()<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&>(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&)",
	  "std::__detail::__variant::_Variant_storage<false, int, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::_M_reset()::{lambda(auto:1&&)#1}::operator()<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&>" },
	{ "_ZNSt16allocator_traitsISaINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEE10deallocateERS9_PS8_m",
	  "std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::deallocate(std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >&, std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>*, unsigned long)",
	  "std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::deallocate" },
	{ "_ZNSt15__new_allocatorINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEE10deallocateEPS8_m",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::deallocate(std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false>*, unsigned long)",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::deallocate" },
	{ "_ZNSt16allocator_traitsISaINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEE7destroyIS7_EEvRS9_PT_",
	  "void std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::destroy<std::pair<int const, std::function<int (int)> > >(std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >&, std::pair<int const, std::function<int (int)> >*)",
	  "std::allocator_traits<std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> > >::destroy<std::pair<int const, std::function<int (int)> > >" },
	{ "_ZNSt14_Function_base13_Base_managerIZ4mainEUliE0_E9_M_createIRKS1_EEvRSt9_Any_dataOT_St17integral_constantIbLb1EE",
	  "void std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_create<main::{lambda(int)#2} const&>(std::_Any_data&, main::{lambda(int)#2} const&, std::integral_constant<bool, true>)",
	  "std::_Function_base::_Base_manager<main::{lambda(int)#2}>::_M_create<main::{lambda(int)#2} const&>" },
	{ "_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJZ4mainEUlvE1_EEEEEC1IJS3_EEEDpOT_",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_State_impl<main::{lambda()#3}>(main::{lambda()#3}&&)",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_State_impl<main::{lambda()#3}>" },
	{ "_ZNSt14__shared_countILN9__gnu_cxx12_Lock_policyE2EEC5I7DerivedSaIvEJEEERPT_St20_Sp_alloc_shared_tagIT0_EDpOT1_",
	  "std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count<Derived, std::allocator<void>>(Derived*&, std::_Sp_alloc_shared_tag<std::allocator<void> >)",
	  "std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count<Derived, std::allocator<void>>" },
	{ "_ZNSt15__new_allocatorINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEE7destroyIS7_EEvPT_",
	  "void std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::destroy<std::pair<int const, std::function<int (int)> > >(std::pair<int const, std::function<int (int)> >*)",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::destroy<std::pair<int const, std::function<int (int)> > >" },
	{ "_ZNSaINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEEC1Ev",
	  "std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::allocator()",
	  "std::allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::allocator" },
	{ "_ZNKSt8__detail21_Hash_node_value_baseISt4pairIKiSt8functionIFiiEEEE9_M_valptrEv",
	  "std::__detail::_Hash_node_value_base<std::pair<int const, std::function<int (int)> > >::_M_valptr() const",
	  "std::__detail::_Hash_node_value_base<std::pair<int const, std::function<int (int)> > >::_M_valptr" },
	{ "_ZNKSt15__new_allocatorINSt8__detail10_Hash_nodeISt4pairIKiSt8functionIFiiEEELb0EEEE11_M_max_sizeEv",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::_M_max_size() const",
	  "std::__new_allocator<std::__detail::_Hash_node<std::pair<int const, std::function<int (int)> >, false> >::_M_max_size" },
	{ "_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJZ4mainEUlvE1_EEEEEC2IJS3_EEEDpOT_",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_State_impl<main::{lambda()#3}>(main::{lambda()#3}&&)",
	  "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#3}> > >::_State_impl<main::{lambda()#3}>" },
	{ "_ZNSt13unordered_mapIiSt8functionIFiiEESt4hashIiESt8equal_toIiESaISt4pairIKiS2_EEED2Ev",
	  "std::unordered_map<int, std::function<int (int)>, std::hash<int>, std::equal_to<int>, std::allocator<std::pair<int const, std::function<int (int)> > > >::~unordered_map()",
	  "std::unordered_map<int, std::function<int (int)>, std::hash<int>, std::equal_to<int>, std::allocator<std::pair<int const, std::function<int (int)> > > >::~unordered_map" },
	{ "_ZN9__gnu_cxx16__aligned_bufferISt4pairIKiSt8functionIFiiEEEE7_M_addrEv",
	  "__gnu_cxx::__aligned_buffer<std::pair<int const, std::function<int (int)> > >::_M_addr()",
	  "__gnu_cxx::__aligned_buffer<std::pair<int const, std::function<int (int)> > >::_M_addr" },
	{ "_RINvNtCsgEmfK2I1SDS_4core3ptr13drop_in_placeNCNvNtNtCsjrHSEGnQ3l9_3std3sys9backtrace10__print_fmt0EBO_",
	  "core::ptr::drop_in_place::<std::sys::backtrace::_print_fmt::{closure#0}>",
	  "core::ptr::drop_in_place::<std::sys::backtrace::_print_fmt::{closure#0}>" },
	{ "_RINvNvNtCsjrHSEGnQ3l9_3std2io19default_read_to_end16small_probe_readRNtNtB6_2fs4FileEB6_",
	  "std::io::default_read_to_end::small_probe_read::<&std::fs::File>",
	  "std::io::default_read_to_end::small_probe_read::<&std::fs::File>" },
	{ "_RINvNtNtCsgEmfK2I1SDS_4core3fmt5float29float_to_decimal_common_exactdEB6_",
	  "core::fmt::float::float_to_decimal_common_exact::<f64>",
	  "core::fmt::float::float_to_decimal_common_exact::<f64>" },
	{ "_RNvXsq_NtCslNYArtu3iFV_5alloc6stringNtB5_6StringNtNtCsgEmfK2I1SDS_4core3fmt7Display3fmtCskK7mfDs1mzF_1m",
	  "<alloc::string::String as core::fmt::Display>::fmt",
	  "<alloc::string::String as core::fmt::Display>::fmt" },
	{ "_RINvNtNtNtCsjrHSEGnQ3l9_3std3sys7helpers14small_c_string24run_with_cstr_allocatingNtNtNtB6_2fs4unix8FileAttrEB8_",
	  "std::sys::helpers::small_c_string::run_with_cstr_allocating::<std::sys::fs::unix::FileAttr>",
	  "std::sys::helpers::small_c_string::run_with_cstr_allocating::<std::sys::fs::unix::FileAttr>" },
	{ "_RNvYINtCsgY6Mt91CT9J_14rustc_demangle21SizeLimitedFmtAdapterQNtNtCsgEmfK2I1SDS_4core3fmt9FormatterENtBZ_5Write9write_fmtB5_",
	  "<rustc_demangle::SizeLimitedFmtAdapter<&mut core::fmt::Formatter> as core::fmt::Write>::write_fmt",
	  "<rustc_demangle::SizeLimitedFmtAdapter<&mut core::fmt::Formatter> as core::fmt::Write>::write_fmt" },
	{ "_RNCINvNtCsgvbsrvnw3yD_9hashbrown3map14equivalent_keyNtNtCslNYArtu3iFV_5alloc6string6StringBO_INtNtBS_3vec3VechEE0CskK7mfDs1mzF_1m",
	  "hashbrown::map::equivalent_key::<alloc::string::String, alloc::string::String, alloc::vec::Vec<u8>>::{closure#0}",
	  "hashbrown::map::equivalent_key::<alloc::string::String, alloc::string::String, alloc::vec::Vec<u8>>::{closure#0}" },
	{ "_RNvXsq_NtCslNYArtu3iFV_5alloc3vecINtB5_3VechENtNtCsgEmfK2I1SDS_4core3fmt5Debug3fmtCskK7mfDs1mzF_1m",
	  "<alloc::vec::Vec<u8> as core::fmt::Debug>::fmt",
	  "<alloc::vec::Vec<u8> as core::fmt::Debug>::fmt" },
	{ "_RINvCskK7mfDs1mzF_1m7generichKj3_EB2_",
	  "m::generic::<u8, 3>",
	  "m::generic::<u8, 3>" },
	{ "_RNvCsgY6Mt91CT9J_14rustc_demangle12try_demangle",
	  "rustc_demangle::try_demangle",
	  "rustc_demangle::try_demangle" },
	{ "_RNvXs4_NtNtNtCsgEmfK2I1SDS_4core3fmt3num3impsNtB9_7Display3fmt",
	  "<i16 as core::fmt::Display>::fmt",
	  "<i16 as core::fmt::Display>::fmt" },
	{ "_RNvXs_NtNtCsgEmfK2I1SDS_4core3str7patternNtB4_12CharSearcherNtB4_8Searcher10next_match",
	  "<core::str::pattern::CharSearcher as core::str::pattern::Searcher>::next_match",
	  "<core::str::pattern::CharSearcher as core::str::pattern::Searcher>::next_match" },
	{ "_RINvMNtNtCsgEmfK2I1SDS_4core3fmt2rtNtB3_8Argument11new_displaydECskK7mfDs1mzF_1m",
	  "<core::fmt::rt::Argument>::new_display::<f64>",
	  "<core::fmt::rt::Argument>::new_display::<f64>" },
	{ "_RINvMs4_NtCsgY6Mt91CT9J_14rustc_demangle2v0NtB6_7Printer14print_sep_listNvB2_10print_typeEB8_",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_type>",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_type>" },
	{ "_RINvMs4_NtCsgY6Mt91CT9J_14rustc_demangle2v0NtB6_7Printer14print_sep_listNvB2_17print_generic_argEB8_",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_generic_arg>",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_generic_arg>" },
	{ "_RNvXsv_NtNtCsgEmfK2I1SDS_4core3str7patternNtB5_11StrSearcherNtB5_8Searcher4next",
	  "<core::str::pattern::StrSearcher as core::str::pattern::Searcher>::next",
	  "<core::str::pattern::StrSearcher as core::str::pattern::Searcher>::next" },
	{ "_RNCNvNtNtNtCsjrHSEGnQ3l9_3std3sys3env4unix6getenv0B9_",
	  "std::sys::env::unix::getenv::{closure#0}",
	  "std::sys::env::unix::getenv::{closure#0}" },
	{ "_RINvNtNtCsduwmD7cSIQq_5gimli4read4unit15skip_attributesINtNtB4_12endian_slice11EndianSliceNtNtB6_9endianity12LittleEndianEECsjrHSEGnQ3l9_3std",
	  "gimli::read::unit::skip_attributes::<gimli::read::endian_slice::EndianSlice<gimli::endianity::LittleEndian>>",
	  "gimli::read::unit::skip_attributes::<gimli::read::endian_slice::EndianSlice<gimli::endianity::LittleEndian>>" },
	{ "_RINvNvNtCsjrHSEGnQ3l9_3std9panicking12catch_unwind7do_callNCNvCskK7mfDs1mzF_1m4main0uEBY_",
	  "std::panicking::catch_unwind::do_call::<m::main::{closure#0}, ()>",
	  "std::panicking::catch_unwind::do_call::<m::main::{closure#0}, ()>" },
	{ "_RINvMs4_NtCsgY6Mt91CT9J_14rustc_demangle2v0NtB6_7Printer14print_sep_listNvB2_15print_dyn_traitEB8_",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_dyn_trait>",
	  "<rustc_demangle::v0::Printer>::print_sep_list::<<rustc_demangle::v0::Printer>::print_dyn_trait>" },
	{ "_RNvMNtCslNYArtu3iFV_5alloc6stringNtB2_6String15from_utf8_lossy",
	  "<alloc::string::String>::from_utf8_lossy",
	  "<alloc::string::String>::from_utf8_lossy" },
	{ "_RNvXs2_NtNtCsjrHSEGnQ3l9_3std4hash6randomNtB5_13DefaultHasherNtNtCsgEmfK2I1SDS_4core4hash6Hasher6finishCskK7mfDs1mzF_1m",
	  "<std::hash::random::DefaultHasher as core::hash::Hasher>::finish",
	  "<std::hash::random::DefaultHasher as core::hash::Hasher>::finish" },
	{ "_RNCNvNtCsjrHSEGnQ3l9_3std5alloc8rust_oom0B5_",
	  "std::alloc::rust_oom::{closure#0}",
	  "std::alloc::rust_oom::{closure#0}" },
	{ "_RINvMs5_NtNtCsjrHSEGnQ3l9_3std2io5errorNtB6_5Error3newReEBa_",
	  "<std::io::error::Error>::new::<&str>",
	  "<std::io::error::Error>::new::<&str>" },
	{ "_RINvMs2_NtCsgEmfK2I1SDS_4core3fmtNtB6_9Arguments3newKj7_Kj2_ECskK7mfDs1mzF_1m",
	  "<core::fmt::Arguments>::new::<7, 2>",
	  "<core::fmt::Arguments>::new::<7, 2>" },
	{ "_ZN3std6thread5local17LocalKey$LT$T$GT$8try_with17h56461d8d869c8880E",
	  "std::thread::local::LocalKey<T>::try_with",
	  "std::thread::local::LocalKey<T>::try_with" },
	{ "_ZN3std11collections4hash3map28HashMap$LT$K$C$V$C$S$C$A$GT$6insert17h9c27b1eebc5ffa2bE",
	  "std::collections::hash::map::HashMap<K,V,S,A>::insert",
	  "std::collections::hash::map::HashMap<K,V,S,A>::insert" },
	{ "_ZN4core6option15Option$LT$T$GT$11map_or_else17h14833faa06ddeec2E",
	  "core::option::Option<T>::map_or_else",
	  "core::option::Option<T>::map_or_else" },
	{ "_ZN4core3ptr110drop_in_place$LT$hashbrown..raw..RawTable$LT$$LP$alloc..string..String$C$alloc..vec..Vec$LT$u8$GT$$RP$$GT$$GT$17hebadf29ce45f8e37E",
	  "core::ptr::drop_in_place<hashbrown::raw::RawTable<(alloc::string::String,alloc::vec::Vec<u8>)>>",
	  "core::ptr::drop_in_place<hashbrown::raw::RawTable<(alloc::string::String,alloc::vec::Vec<u8>)>>" },
	{ "_ZN4core3ptr42drop_in_place$LT$alloc..string..String$GT$17hee257efd7a06bb95E",
	  "core::ptr::drop_in_place<alloc::string::String>",
	  "core::ptr::drop_in_place<alloc::string::String>" },
	{ "_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17haae1561d831b6411E",
	  "hashbrown::raw::RawTable<T,A>::reserve_rehash",
	  "hashbrown::raw::RawTable<T,A>::reserve_rehash" },
	{ "_ZN72_$LT$alloc..boxed..Box$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$4drop17hff212a89eb124b98E",
	  "<alloc::boxed::Box<T,A> as core::ops::drop::Drop>::drop",
	  "<alloc::boxed::Box<T,A> as core::ops::drop::Drop>::drop" },
	{ "_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h41e2f6a5410bc0feE",
	  "<&T as core::fmt::Debug>::fmt",
	  "<&T as core::fmt::Debug>::fmt" },
	{ "_ZN9hashbrown3raw13RawTableInner14prepare_resize28_$u7b$$u7b$closure$u7d$$u7d$17h4acbdef535dbfc96E",
	  "hashbrown::raw::RawTableInner::prepare_resize::{{closure}}",
	  "hashbrown::raw::RawTableInner::prepare_resize::{{closure}}" },
	{ "_ZN4core4iter8adapters7step_by15StepBy$LT$I$GT$3new17ha6221fa65c493299E",
	  "core::iter::adapters::step_by::StepBy<I>::new",
	  "core::iter::adapters::step_by::StepBy<I>::new" },
	{ "_ZN5alloc3vec16Vec$LT$T$C$A$GT$7set_len18precondition_check17h5654f7c507445f82E",
	  "alloc::vec::Vec<T,A>::set_len::precondition_check",
	  "alloc::vec::Vec<T,A>::set_len::precondition_check" },
	{ "_ZN4core3ptr8non_null16NonNull$LT$T$GT$13new_unchecked18precondition_check17hf7eb7db9de42861dE",
	  "core::ptr::non_null::NonNull<T>::new_unchecked::precondition_check",
	  "core::ptr::non_null::NonNull<T>::new_unchecked::precondition_check" },
	{ "_Z1fIiEDTtlT_EEv",
	  "decltype (int{}) f<int>()",
	  "f<int>" },
	{ "_Z1fIiEDTtlT_Li1ELi2EEEv",
	  "decltype (int{1, 2}) f<int>()",
	  "f<int>" },
	{ "_Z1fIiEDTilLi1ELi2EEEv",
	  "decltype ({1, 2}) f<int>()",
	  "f<int>" },
	{ "_Z1fIiEDTnw_T_EEv",
	  "decltype (new int) f<int>()",
	  "f<int>" },
	{ "_Z1fIiEDTnw_T_piLi1EEEv",
	  "decltype (new int(1)) f<int>()",
	  "f<int>" },
	{ "_Z1fIiEDTgsnw_T_EEv",
	  "decltype (::new int) f<int>()",
	  "f<int>" },
	{ "_ZN12_GLOBAL__N_119parsePassParametersIRFN4llvm8ExpectedINS1_10GVNOptionsEEENS1_9StringRefEEEEDTclfp_tlS5_EEEOT_S5_S5_",
	  "decltype ({parm#1}(llvm::StringRef{})) (anonymous namespace)::parsePassParameters<llvm::Expected<llvm::GVNOptions> (&)(llvm::StringRef)>(llvm::Expected<llvm::GVNOptions> (&)(llvm::StringRef), llvm::StringRef, llvm::StringRef)",
	  "(anonymous namespace)::parsePassParameters<llvm::Expected<llvm::GVNOptions> (&)(llvm::StringRef)>" },
	{ "_Z1fv.__uniq.123456", "f() [clone .__uniq.123456]", "f" },
	{ "_Z1fv.part.0.lto_priv.0", "f() [clone .part.0] [clone .lto_priv.0]", "f" },
	{ "_Z1fv.isra.0.cold", "f() [clone .isra.0] [clone .cold]", "f" },
	{ "_Z1fv.cold.1.2", "f() [clone .cold.1.2]", "f" },
	{ "_ZN1A1fEv.resolver", "A::f() [clone .resolver]", "A::f" },
	{ "_GLOBAL__I__Z1fv",
	  "global constructors keyed to f()",
	  "global constructors keyed to f()" },
	{ "_GLOBAL__D_foo",
	  "global destructors keyed to foo",
	  "global destructors keyed to foo" },
	/* wider than 64 bits: rustc-demangle's spelling (see above) */
	{ "_RINvC1m1fKnn80000000000000000000000000000000_E",
	  "m::f::<-0x80000000000000000000000000000000>",
	  "m::f::<-0x80000000000000000000000000000000>" },
	{ "_RINvC1m1fKo123456789abcdef0123_E",
	  "m::f::<0x123456789abcdef0123>",
	  "m::f::<0x123456789abcdef0123>" },
};

static const char *const invalid[] = {
	"", "_", "_Z", "_R", "main", "foo", "_Z1", "_Z3fo", "_Z1fPPPP", "_ZNSt", "_RNvC",
	"_ZN3fooE.", "_Z1fv.", "_ZTV", "_Z1fS_", "_Z1fT_", "_ZN", "_ZNE", "_Z1fILiEEvv",
	"_ZN3foo17h0123456789abcdeE", "_RNvCs_3foo", "_RINvC1m1fKj_E", "_R1", "_RB_", "__Z1fv",
	"Z1fv", "_Z1fv ", "_Z1fv$", "_ZN4core3fmt5write17h0123456789abcdefE$",
	"_Z1f.cold", "_Z1fv.A", "_Z1fv.a.B", "_GLOBAL__I_", "_GLOBAL__sub_I_main.cpp", "_GLOBAL__I__Z1",
	"_Z1fDB8_",
	"_RNvC1m3u7_gdr2lha",
	"_R0NvC1m1f",
};

static void test_known(void)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		char *got = demangle(known[i].sym);
		if (!got) {
			check_count++;
			check_failures++;
			fprintf(stderr, "%s: got NULL, want \"%s\"\n", known[i].sym, known[i].want);
			continue;
		}
		CHECK_STR(got, known[i].want);
		free(got);
		got = demangle_opts(known[i].sym, strlen(known[i].sym), DEMANGLE_NO_PARAMS);
		CHECK(got != NULL);
		if (got)
			CHECK_STR(got, known[i].want_no_params);
		free(got);
	}
	/* without parameters the rest of the symbol is not read: libiberty's way */
	char *got = demangle_opts("_Z1fPPPP", 8, DEMANGLE_NO_PARAMS);
	CHECK(got && !strcmp(got, "f"));
	free(got);
}

static void test_invalid(void)
{
	CHECK(demangle(NULL) == NULL);
	CHECK(demangle_n(NULL, 3) == NULL);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		char *got = demangle(invalid[i]);
		if (got)
			fprintf(stderr, "%s: want NULL, got \"%s\"\n", invalid[i], got);
		CHECK(got == NULL);
		free(got);
	}
	/* a NUL inside the given length is not a symbol */
	CHECK(demangle_n("_Z1fv\0x", 7) == NULL);
}

/* demangle_n reads only len bytes: the name may end anywhere in a bigger buffer */
static void test_length(void)
{
	char *got = demangle_n("_ZN3foo3barEvXYZ", 13);
	CHECK(got && !strcmp(got, "foo::bar()"));
	free(got);
	got = demangle_n("_RNvC1m1fXYZ", 9);
	CHECK(got && !strcmp(got, "m::f"));
	free(got);
}

/* The result is NULL or a non-empty string; under ASan a read past len or a leak fails. */
static int run_one(const char *s, size_t len, int opts)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return 0;
	memcpy(copy, s, len);
	/* copy has no NUL: the end is len */
	char *got = opts ? demangle_opts(copy, len, opts) : demangle_n(copy, len);
	int ok = !got || got[0] != '\0';
	free(got);
	free(copy);
	return ok;
}

static void test_prefixes(void)
{
	int ok = 1;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		size_t len = strlen(known[i].sym);
		for (size_t k = 0; k <= len; k++) {
			char buf[512];
			if (k >= sizeof buf)
				break;
			memcpy(buf, known[i].sym, k);
			buf[k] = '\0';
			char *got = demangle(buf);
			ok &= !got || got[0] != '\0';
			free(got);
			ok &= run_one(known[i].sym, k, 0);
			ok &= run_one(known[i].sym, k, DEMANGLE_NO_PARAMS);
		}
	}
	CHECK(ok);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Damaged symbols: characters replaced, inserted, deleted, and tails of others spliced on. */
static void test_mutations(void)
{
	static const char alphabet[] =
		"_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.$";
	size_t n = sizeof known / sizeof known[0];
	int ok = 1;
	for (int iter = 0; iter < 40000; iter++) {
		char buf[1024];
		const char *s = known[next_rand() % n].sym;
		size_t len = strlen(s);
		if (len >= 500)
			continue;
		memcpy(buf, s, len);
		for (int m = 1 + (int)(next_rand() % 3); m > 0; m--) {
			size_t at = len ? next_rand() % len : 0;
			char ch = alphabet[next_rand() % (sizeof alphabet - 1)];
			switch (next_rand() % 4) {
			case 0:
				if (len)
					buf[at] = ch;
				break;
			case 1:
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = ch;
				len++;
				break;
			case 2:
				if (len) {
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
				}
				break;
			default: {
				const char *t = known[next_rand() % n].sym;
				size_t tl = strlen(t), from = next_rand() % (tl + 1);
				if (at + tl - from < 1000) {
					memcpy(buf + at, t + from, tl - from);
					len = at + tl - from;
				}
			}
			}
		}
		ok &= run_one(buf, len, iter & 1 ? DEMANGLE_NO_PARAMS : 0);
	}
	CHECK(ok);
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * times + tl + 1), *p = s;
	if (!s)
		return NULL;
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < times; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void append_b36(char *s, unsigned v)
{
	char t[16];
	int i = 0;
	do
		t[i++] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[v % 36];
	while (v /= 36);
	s += strlen(s);
	while (i)
		*s++ = t[--i];
	*s = '\0';
}

static void append_b62(char *s, uint64_t v)
{
	char t[16];
	int i = 0;
	static const char digits[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	do
		t[i++] = digits[v % 62];
	while (v /= 62);
	s += strlen(s);
	while (i)
		*s++ = t[--i];
	*s = '\0';
}

static void test_hostile(void)
{
	/* deep nesting: bounded recursion gives up */
	char *s = repeat("_Z1f", "P", 200000, "i");
	char *got = demangle(s);
	CHECK(got == NULL);
	free(got);
	free(s);
	s = repeat("_RINvC1m1f", "R", 100000, "lE");
	got = demangle(s);
	CHECK(got == NULL);
	free(got);
	free(s);

	/* a long name is fine (libiberty gives up between 250 and 300 components) */
	s = repeat("_ZN", "3abc", 250, "E");
	got = demangle(s);
	CHECK(got && strlen(got) == 250 * 5 - 2);
	free(got);
	free(s);
	s = repeat("_Z1f", "P", 300, "i");
	got = demangle(s);
	CHECK(got && strlen(got) == strlen("f(int)") + 300);
	free(got);
	free(s);

	/* each type pairs two copies of the one before: 2^60 copies of "int" */
	char *bomb = malloc(4096);
	strcpy(bomb, "_Z1fSt4pairIiiE");
	for (unsigned level = 1; level <= 60; level++) {
		strcat(bomb, "S_IS");
		append_b36(bomb, level - 1);
		strcat(bomb, "_S");
		append_b36(bomb, level - 1);
		strcat(bomb, "_E");
	}
	got = demangle(bomb);
	CHECK(got == NULL);
	free(got);

	/* the same with Rust v0 backrefs: each tuple holds the previous one twice */
	strcpy(bomb, "_RINvC1m1f");
	size_t prev = strlen(bomb) - 2;
	strcat(bomb, "l");
	for (int level = 0; level < 60; level++) {
		size_t here = strlen(bomb) - 2;
		strcat(bomb, "TB");
		append_b62(bomb, prev - 1);
		strcat(bomb, "_B");
		append_b62(bomb, prev - 1);
		strcat(bomb, "_E");
		prev = here;
	}
	strcat(bomb, "E");
	got = demangle(bomb);
	CHECK(got == NULL);
	free(got);
	free(bomb);

	/* inputs that once made the parser loop: it must stop on any of them */
	static const char *const hung[] = {
		"_Z1Z1fDnDiDsZ1Z1fDnDiDsDw1F2_Z1fDnDiDsDw1F7_IvE2__Z1fDnDiDsDw1_IvE2_EEDw1F2_Z1fDnDiDsDw1F7_IvE2__Z1fDnDiDsDw1_IvE2_EEEEEEEEDw1_IvE2_EEEEEEEE\077",
		"_Z1fDnDiDsDw1F7_IvE2__Z1fDnDiDsDw1F7_Z_GLOBAL_Dw0EEEEEE",
		"_Z1fDnDiDsDsDw1F7_IvE2__Z1fDnDiDs2w1F7_Z1fDnDiDsDw12_F7v_IE_Z1fDnDiDsDw1_IvE2_EEEEDw1F7_IvE2__Z1fDnDiDs2w1F7_Z1fDnDiDsDw12_F7v_IE_Z1fDnDiDsDw1_IvE2_EEEEEEEE",
		"_Z1fDnDiDsDw0DwsDw\2021EE",
	};
	for (size_t i = 0; i < sizeof hung / sizeof hung[0]; i++)
		free(demangle(hung[i]));
	CHECK(1);

	/* a template parameter that refers to itself */
	got = demangle("_Z1fIT_EvT_");
	CHECK(got == NULL);
	free(got);
}

/* The legacy Rust pieces flame-collapse uses on half-demangled text: the same rules as above. */
static void test_rust_legacy_pieces(void)
{
	static const struct {
		const char *in, *want;
	} esc[] = {
		{ "_$LT$std..fs..ReadDir$u20$as$u20$core..iter..Iterator$GT$",
		  "<std::fs::ReadDir as core::iter::Iterator>" },
		{ "a$SP$b$BP$c$RF$d$C$e$LP$$RP$", "a@b*c&d,e()" },
		{ "x$u7e$y$u3f$z$u2f$w$u7f$", "x~y?z/w\x7f" },
		{ "f.g", "f.g" },
		{ "a..b", "a::b" },
		{ "a$u1f$b$LT$", "a$u1f$b$LT$" },       /* a control character: the rest as it is */
		{ "a$u7E$b", "a$u7E$b" },               /* hex in upper case is no escape */
		{ "a$ue9$b$LT$", "a$ue9$b$LT$" },       /* beyond ASCII: as libiberty, not decoded */
		{ "a$LT", "a$LT" },
		{ "$", "$" },
		{ "_$", "$" },
		{ "", "" },
	};
	char buf[128];
	for (size_t i = 0; i < sizeof esc / sizeof esc[0]; i++) {
		size_t n = strlen(esc[i].in);
		size_t len = demangle_rust_legacy_unescape(esc[i].in, n, buf);
		CHECK(len <= n);
		CHECK_MEM(buf, len, esc[i].want);
	}
	CHECK(demangle_rust_legacy_hash("h0123456789abcdef", 17));
	CHECK(demangle_rust_legacy_hash("h01234aaaaaaaaaa", 17) == 0);  /* 16 digits wanted */
	CHECK(demangle_rust_legacy_hash("h0123400000000000", 17));       /* 5 different */
	CHECK(demangle_rust_legacy_hash("h0123000000000000", 17) == 0);  /* 4 different */
	CHECK(demangle_rust_legacy_hash("h0123456789ABCDEF", 17) == 0);  /* upper case */
	CHECK(demangle_rust_legacy_hash("g0123456789abcdef", 17) == 0);
	/* the whole symbol agrees with the pieces */
	char *got = demangle("_ZN4spin4loop17h000000000000ffffE");
	CHECK_STR(got ? got : "(null)", "spin::loop::h000000000000ffff");
	free(got);
}

int main(void)
{
	test_known();
	test_invalid();
	test_length();
	test_prefixes();
	test_mutations();
	test_hostile();
	test_rust_legacy_pieces();
	return check_report("demangle");
}
