#!/usr/bin/env bats
# flame-diff's C unit tests (tests/unit/diff.c), built by `make test` into $FLAME_UNIT.

setup() {
	[ -n "${FLAME_UNIT:-}" ] || skip "FLAME_UNIT is not set: run through make test"
}

@test "unit: diff (strip-hex, -n scaling, frame shares, gate, JSON escaping and validity)" {
	[ -x "$FLAME_UNIT/diff" ] || { echo "unit test diff was not built"; return 1; }
	run "$FLAME_UNIT/diff"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" checks, 0 failed"* ]]
}
