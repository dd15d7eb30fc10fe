#!/usr/bin/env bats
# flame-diff's C unit tests (tests/unit/diff.c), built by `make test` into $FLAME_UNIT.

load helpers

@test "unit: diff (strip-hex, -n scaling, frame shares, gate, JSON escaping and validity)" {
	run_unit diff
}
