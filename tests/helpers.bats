#!/usr/bin/env bats
# The assertion helpers of tests/helpers.bash: each passes when it should and fails, saying what it
# expected, when it should not.

load helpers

# must_fail CMD...: CMD (run in a subshell) fails and prints "expected" on stderr.
must_fail() {
	local err
	if err=$( ("$@") 2>&1 >/dev/null); then
		flunk "passed but should have failed: $*"
	fi
	[[ $err == *expected* ]] || flunk "failed without saying what it expected: $*" "stderr: $err"
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
