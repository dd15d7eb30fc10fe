#!/usr/bin/env bats
# The C unit tests (tests/unit/*.c), one bats test each, built by `make test` into $FLAME_UNIT.

setup() {
	[ -n "${FLAME_UNIT:-}" ] || skip "FLAME_UNIT is not set: run through make test"
}

run_unit() {
	[ -x "$FLAME_UNIT/$1" ] || { echo "unit test $1 was not built"; return 1; }
	run "$FLAME_UNIT/$1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" checks, 0 failed"* ]]
}

@test "unit: common (strbuf, arena, interner, reader, writer, folded)" { run_unit common; }
@test "unit: collapse perf parser and tidy rules" { run_unit collapse_perf; }
