#!/usr/bin/env bats
# One legacy Rust demangler (common/demangle_rust.c) for both programs: flame-record demangles the
# symbol table's _ZN...17h<hash>E names, flame-collapse finishes the half-demangled names an older
# perf prints ("a::b::h<hash>" with $LT$ and .. left in), and for the same symbol both print the
# same name (tests/workloads/rustnames.c holds the symbols; its other frames, such as a sample in
# checkpoint or clock_gettime, are not Rust names and are left out of the comparison).

load helpers

setup_file() {
	local cc=${FLAME_CC:-cc}
	$cc -O2 -g -fno-omit-frame-pointer -o "$BATS_FILE_TMPDIR/rustnames" "$WORKLOADS/rustnames.c"
	flame-record -F 999 -o "$BATS_FILE_TMPDIR/record.txt" -- "$BATS_FILE_TMPDIR/rustnames" 0.8
}

# The names of the frames main called, from folded stacks on stdin, one a line, sorted.
callees_of_main() {
	sed -n 's/.*;main;\([^;]*\).*/\1/p' | sed 's/ [0-9][0-9]*$//' | LC_ALL=C sort -u
}

# perf script text with one sample per half-demangled name given, called from main.
perf_text_of() {
	local name
	for name in "$@"; do
		printf 'rustnames 7/7 [000] 1.000000: 1 cpu-clock:\n'
		printf '\t    55e0a1 %s+0x10 (/tmp/rustnames)\n' "$name"
		printf '\t    55e0b2 main+0x33 (/tmp/rustnames)\n\n'
	done
}

@test "rust names: flame-record and flame-collapse print a legacy Rust symbol alike" {
	# what an older perf prints for each symbol of rustnames.c (its C++ demangler's reading)
	perf_text_of 'shape::Square::grind::h0123456789abcdef' \
		'_$LT$shape..Square$u20$as$u20$shape..Area$u3f$$GT$::area::h5e4f3a2b1c0d9e8f' \
		'spin::loop::h000000000000ffff' > "$BATS_TEST_TMPDIR/half.txt"
	want=$(printf '%s\n' '<shape::Square as shape::Area?>::area' 'shape::Square::grind' \
		'spin::loop::h000000000000ffff' | LC_ALL=C sort)
	from_collapse=$(flame-collapse "$BATS_TEST_TMPDIR/half.txt" | callees_of_main)
	from_record=$(flame-collapse "$BATS_FILE_TMPDIR/record.txt" | callees_of_main | grep -F '::' | grep -vF '<impl')
	echo "collapse: $from_collapse"
	echo "record:   $from_record"
	[ "$from_collapse" = "$want" ]
	[ "$from_record" = "$want" ]
}

@test "rust names: flame-record prints them as perf does, not as mangled (unless --no-demangle)" {
	grep -q ' <shape::Square as shape::Area?>::area+0x' "$BATS_FILE_TMPDIR/record.txt"
	grep -q ' spin::loop::h000000000000ffff+0x' "$BATS_FILE_TMPDIR/record.txt"
	flame-record --no-demangle -F 999 -o "$BATS_TEST_TMPDIR/mangled.txt" -- "$BATS_FILE_TMPDIR/rustnames" 0.2
	grep -q ' _ZN5shape6Square5grind17h0123456789abcdefE+0x' "$BATS_TEST_TMPDIR/mangled.txt"
}

@test "rust names: the one difference, kept for inferno's bytes: the mangler's _ inside a half-demangled path" {
	# flame-record drops the '_' rustc puts before an escape in every part of the path, as perf
	# and libiberty do; flame-collapse, reading perf's half-demangled text, drops it at the start
	# only, as inferno does (the corpus case perf-rust-Yamakaky-dcpu holds such names).
	flame-collapse "$BATS_FILE_TMPDIR/record.txt" | grep -q ';main;shape::<impl \[T\]>::len'
	perf_text_of 'shape::_$LT$impl$u20$$u5b$T$u5d$$GT$::len::h9377899ac1bb5027' \
		'_$LT$impl$u20$$u5b$T$u5d$$GT$::len::h9377899ac1bb5027' > "$BATS_TEST_TMPDIR/half.txt"
	run flame-collapse "$BATS_TEST_TMPDIR/half.txt"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *";main;shape::_<impl [T]>::len 1"* ]]
	[[ "$output" == *";main;<impl [T]>::len 1"* ]]
}
