#!/usr/bin/env bats
# The C unit tests: every tests/unit/*.c, built by `make test` into $FLAME_UNIT. The list comes from
# the sources, so a new unit test is run without a line here; one that was not built fails.

load helpers

@test "unit: every tests/unit/*.c is built, exits 0 and reports 0 failed" {
	local src name failed=() n=0
	for src in "$BATS_TEST_DIRNAME"/unit/*.c; do
		name=$(basename "$src" .c)
		n=$((n + 1))
		if ! run_unit "$name"; then
			failed+=("$name")
		fi
	done
	echo "$n unit tests, failed: ${failed[*]:-none}"
	[ "$n" -ge 8 ]
	[ ${#failed[@]} -eq 0 ]
}
