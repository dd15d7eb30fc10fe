#!/usr/bin/env bats
# tests/chainlint, the lint tests/run applies to every bats file: it names each mid-test `A && B`
# and `! cmd` (assertions set -e never checks), and leaves alone what does get checked.

load helpers

ROOT=$BATS_TEST_DIRNAME/..

# Bats reads @test even inside a here-document, so the planted files below say %test for it.
write() {
	sed 's/^%test/@test/' > "$1"
}

# A test file with one planted chain at line 5, and everything around it that is fine.
planted() {
	write "$BATS_TEST_TMPDIR/planted.bats" <<'BATS'
load helpers

%test "planted" {
	run true
	[ "$status" -eq 2 ] && [ -z "$output" ]
	echo done
}
BATS
}

@test "chainlint: names FILE:LINE of a mid-test && list, and fails" {
	planted
	run_split "$ROOT/tests/chainlint" "$BATS_TEST_TMPDIR/planted.bats"
	assert_status 1
	assert_output_has "$BATS_TEST_TMPDIR/planted.bats:5: an && list in the middle of a test"
	assert_equal "$(grep -c . <<<"$output")" 1
}

@test "chainlint: a clean file passes, silently" {
	planted
	sed -i 's/^\t\[ "$status" -eq 2 \] && \[ -z "$output" \]$/\tassert_status 2\n\tassert_output_is ""/' "$BATS_TEST_TMPDIR/planted.bats"
	assert_file_has "$BATS_TEST_TMPDIR/planted.bats" 'assert_status 2'
	run_split "$ROOT/tests/chainlint" "$BATS_TEST_TMPDIR/planted.bats"
	assert_status 0
	assert_output_is ''
	assert_stderr_is ''
}

@test "chainlint: the project's bats files and helpers are clean" {
	run "$ROOT/tests/chainlint" "$ROOT"/tests/*.bats "$ROOT"/tests/*.bash
	assert_status 0
	assert_output_is ''
}

@test "chainlint: ! mid-test, && in an if body or a loop, a teardown's && are caught" {
	write "$BATS_TEST_TMPDIR/t.bats" <<'BATS'
teardown() {
	[ -n "${SCRATCH:-}" ] && rm -rf "$SCRATCH"
}
%test "a" {
	! grep -q x f
	if true; then
		[ a ] && [ b ]
	fi
	for i in 1 2; do [ "$i" ] && [ b ]; done
	a &&
		b
	{ x && y; }
	[ 1 ] || [ 2 ] && [ 3 ]
	echo "two
lines" && false
	last && one
}
%test "b" { a && b; c; }
BATS
	run "$ROOT/tests/chainlint" "$BATS_TEST_TMPDIR/t.bats"
	assert_status 1
	echo "$output"
	assert_equal "$(sed -E 's/^[^ ]*:([0-9]+): .*/\1/' <<<"$output" | tr '\n' ' ')" "2 5 7 9 10 12 13 15 18 "
	assert_output_has "t.bats:2: an && list in teardown()"
	assert_output_has "t.bats:5: a ! command in the middle of a test"
}

@test "chainlint: what set -e does check is left alone" {
	write "$BATS_TEST_TMPDIR/t.bats" <<'BATS'
X='not a test: f() { a && b; }
!'
helper() {
	[ -f x ] || return 1
	[ a ] && [ b ]
}
%test "fine" {
	if [ -n "$x" ] && [ -n "$y" ]; then
		echo "a && b"   # a comment && here
	fi
	while read -r a && [ -n "$a" ]; do :; done < f
	[[ $a == b && $c == d ]]
	[ a ] && [ b ] || flunk "x"
	x=$(a && b)
	( a && b )
	awk 'BEGIN { if (a && b) print }' f
	cat > f <<'HERE'
a && b
! b
HERE
	case $x in a) y=1 ;; *) y=2 ;; esac
	run ! true
	[ 1 ] &&
		[ 2 ] ||
		flunk
	! grep -q x f
}
%test "fine too" { a && b; }
BATS
	run "$ROOT/tests/chainlint" "$BATS_TEST_TMPDIR/t.bats"
	assert_status 0
	assert_output_is ''
}

@test "chainlint: tests/run counts each finding as a failure and names it" {
	planted
	sed -i 's/^load helpers$//' "$BATS_TEST_TMPDIR/planted.bats"
	run "$ROOT/tests/run" "$BATS_TEST_TMPDIR/planted.bats"
	assert_status 1
	assert_output_has "not ok - chain lint: $BATS_TEST_TMPDIR/planted.bats:5: an && list"
	assert_equal "$(tail -n 1 <<<"$output")" "1 passed, 1 failed"
}
