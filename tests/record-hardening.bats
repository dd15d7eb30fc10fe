#!/usr/bin/env bats
# flame-record against hostile surroundings and failing outputs (issue 13), and the record
# decoders, ordering queue and session shared with the perf.data reader (issue 14).

load helpers
bats_require_minimum_version 1.5.0

@test "record: unit tests of the record decoders, the ordering queue, /proc maps and the session" {
	[ -n "${FLAME_UNIT:-}" ] || skip "FLAME_UNIT is not set: run through make test"
	[ -x "$FLAME_UNIT/record_session" ] || { echo "unit test record_session was not built"; return 1; }
	run "$FLAME_UNIT/record_session"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" checks, 0 failed"* ]]
}
