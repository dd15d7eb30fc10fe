#!/usr/bin/env bats
# common/demangle*.c, the C++ and Rust demangler of flame-record and flame-collapse: its unit tests
# (tests/unit/demangle.c: known manglings, invalid input, every prefix, mutations,
# inputs built to explode), as built by `make test`, and again under ASan and UBSan, where a
# read past the end of a symbol or a leak fails.
load helpers

ROOT=$BATS_TEST_DIRNAME/..

run_checks() {
	echo "$output"
	assert_status 0
	[[ "$output" == *" checks, 0 failed"* ]]
}

@test "demangle: unit tests" {
	run_unit demangle
}

@test "demangle: unit tests under ASan and UBSan" {
	local cc=${FLAME_CC:-cc} bin=$BATS_TEST_TMPDIR/demangle-san
	echo 'int main(void){return 0;}' > "$BATS_TEST_TMPDIR/probe.c"
	"$cc" -fsanitize=address,undefined "$BATS_TEST_TMPDIR/probe.c" -o "$BATS_TEST_TMPDIR/probe" 2>/dev/null ||
		skip "$cc cannot build with -fsanitize=address,undefined here"
	"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer -I"$ROOT" -I"$ROOT/common" -I"$ROOT/tests/unit" \
		"$ROOT/tests/unit/demangle.c" "$ROOT"/common/demangle*.c -o "$bin"
	ASAN_OPTIONS=detect_leaks=1 run "$bin"
	run_checks
}
