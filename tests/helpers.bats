#!/usr/bin/env bats
# The assertion helpers of tests/helpers.bash: each passes when it should and fails, saying what it
# expected, when it should not.

load helpers

# must_fail CMD...: CMD (run in a subshell) fails and says why on stderr.
must_fail() {
	local err
	if err=$( ("$@") 2>&1 >/dev/null); then
		flunk "passed but should have failed: $*"
	fi
	[ -n "$err" ] || flunk "failed without saying why: $*"
}

@test "helpers: assert_status" {
	status=2
	assert_status 2
	must_fail assert_status 0
	unset status
	must_fail assert_status 0
}

@test "helpers: assert_output_has, _lacks, _is, _matches" {
	output=$'one\ntwo [x]'
	assert_output_has 'two [x]'
	must_fail assert_output_has 'three'
	must_fail assert_output_has '*'
	assert_output_lacks 'three'
	must_fail assert_output_lacks 'one'
	assert_output_is $'one\ntwo [x]'
	must_fail assert_output_is 'one'
	assert_output_matches '^one'
	must_fail assert_output_matches '^two'
}

@test "helpers: assert_stderr_has, _lacks" {
	stderr='flame-diff: a.folded:3: bad line'
	assert_stderr_has 'a.folded:3:'
	must_fail assert_stderr_has 'b.folded'
	assert_stderr_lacks 'b.folded'
	must_fail assert_stderr_lacks 'bad line'
}

@test "helpers: assert_equal, assert_file_has, flunk" {
	assert_equal abc abc
	must_fail assert_equal abc abd
	printf 'main;f 3\n' > "$BATS_TEST_TMPDIR/f"
	assert_file_has "$BATS_TEST_TMPDIR/f" 'main;f'
	must_fail assert_file_has "$BATS_TEST_TMPDIR/f" 'g 3'
	must_fail assert_file_has "$BATS_TEST_TMPDIR/none" 'x'
	must_fail flunk "expected nothing"
}

@test "helpers: xml_wellformed checks, and fails when neither xmllint nor python3 is there" {
	load render-helpers
	printf '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>\n' > "$BATS_TEST_TMPDIR/ok.svg"
	printf '<svg><g></svg>\n' > "$BATS_TEST_TMPDIR/bad.svg"
	xml_wellformed "$BATS_TEST_TMPDIR/ok.svg"
	refute xml_wellformed "$BATS_TEST_TMPDIR/bad.svg" 2>/dev/null
	PATH=$BATS_TEST_TMPDIR/empty must_fail xml_wellformed "$BATS_TEST_TMPDIR/ok.svg"
}

@test "helpers: run_unit fails (never skips) on a unit test that was not built" {
	FLAME_UNIT=$BATS_TEST_TMPDIR must_fail run_unit no_such_unit
	printf '#!/bin/sh\necho "x: 3 checks, 1 failed"\nexit 1\n' > "$BATS_TEST_TMPDIR/bad_unit"
	chmod +x "$BATS_TEST_TMPDIR/bad_unit"
	FLAME_UNIT=$BATS_TEST_TMPDIR must_fail run_unit bad_unit
	printf '#!/bin/sh\necho "x: 3 checks, 1 failed"\n' > "$BATS_TEST_TMPDIR/lying_unit"
	chmod +x "$BATS_TEST_TMPDIR/lying_unit"
	FLAME_UNIT=$BATS_TEST_TMPDIR must_fail run_unit lying_unit
}

@test "helpers: refute" {
	refute false
	must_fail refute true
}
