# Loaded by every bats file: where the programs, the corpus and the fixtures are.
FLAME_BIN=${FLAME_BIN:-$BATS_TEST_DIRNAME/../bin}
FLAME_UNIT=${FLAME_UNIT:-$BATS_TEST_DIRNAME/../build/unit}
FIXTURES=$BATS_TEST_DIRNAME/fixtures
WORKLOADS=$BATS_TEST_DIRNAME/workloads
CORPUS=${FLAME_CORPUS:-$BATS_TEST_DIRNAME/../../shared/corpus}
PATH=$FLAME_BIN:$PATH

# Skip (visibly) the compatibility tier when the shared corpus is absent.
require_corpus() {
	[ -d "$CORPUS/expected" ] || skip "corpus not found at $CORPUS (set FLAME_CORPUS): compatibility tier skipped"
}

# run_unit NAME: run the C unit test built from tests/unit/NAME.c into $FLAME_UNIT (make test builds
# them all); it must exit 0 and report 0 failed checks. A unit test that was not built is a failure,
# never a skip. It returns its verdict, so it also works where set -e does not (in an if).
run_unit() {
	if [ ! -x "$FLAME_UNIT/$1" ]; then
		flunk "unit test $1 was not built at $FLAME_UNIT (make test builds it from tests/unit/$1.c)"
		return 1
	fi
	run "$FLAME_UNIT/$1"
	echo "$output"
	assert_status 0 || return 1
	assert_output_has " checks, 0 failed"
}

# run, but keep stderr apart: $output is stdout, $stderr is stderr (bats 1.8 has no --separate-stderr).
run_split() {
	local err
	err=$(mktemp)
	run bash -c '"$@" 2>"'"$err"'"' _ "$@"
	stderr=$(cat "$err")
	rm -f "$err"
}

# Assertions that say what they expected and what they got when they fail. Each is one command, so
# it can stand on its own line in a test body (never `A && B` mid-test: under set -e only B counts).
# $output and $status come from run (or run_split, which also sets $stderr).

# flunk MESSAGE...: fail the test with MESSAGE on stderr.
flunk() {
	printf '%s\n' "$@" >&2
	return 1
}

# assert_status N: the last run exited with N.
assert_status() {
	if [ "${status-}" != "$1" ]; then
		flunk "expected exit status $1, got ${status-<unset>}" "output: ${output-}" ${stderr:+"stderr: $stderr"}
	fi
}

# assert_output_has TEXT: $output contains TEXT (a plain substring, not a pattern).
assert_output_has() {
	if [[ "${output-}" != *"$1"* ]]; then
		flunk "expected output to contain: $1" "output was: ${output-}"
	fi
}

# assert_output_lacks TEXT: $output does not contain TEXT.
assert_output_lacks() {
	if [[ "${output-}" == *"$1"* ]]; then
		flunk "expected output not to contain: $1" "output was: ${output-}"
	fi
}

# assert_output_is TEXT: $output is exactly TEXT.
assert_output_is() {
	if [ "${output-}" != "$1" ]; then
		flunk "expected output: $1" "got output:      ${output-}"
	fi
}

# assert_output_matches ERE: $output matches the bash extended regular expression ERE.
assert_output_matches() {
	if ! [[ "${output-}" =~ $1 ]]; then
		flunk "expected output to match: $1" "output was: ${output-}"
	fi
}

# assert_stderr_has TEXT / assert_stderr_lacks TEXT: the same on $stderr (set by run_split).
assert_stderr_has() {
	if [[ "${stderr-}" != *"$1"* ]]; then
		flunk "expected stderr to contain: $1" "stderr was: ${stderr-}"
	fi
}
assert_stderr_lacks() {
	if [[ "${stderr-}" == *"$1"* ]]; then
		flunk "expected stderr not to contain: $1" "stderr was: ${stderr-}"
	fi
}

# assert_equal GOT WANT: two strings are equal.
assert_equal() {
	if [ "$1" != "$2" ]; then
		flunk "expected: $2" "got:      $1"
	fi
}

# assert_file_has FILE TEXT: FILE exists and contains TEXT (a plain substring).
assert_file_has() {
	if [ ! -f "$1" ]; then
		flunk "expected file $1 to exist"
	elif ! grep -qF -- "$2" "$1"; then
		flunk "expected $1 to contain: $2" "it has: $(head -c 2000 "$1")"
	fi
}

# assert_stderr_is TEXT: $stderr is exactly TEXT (assert_stderr_is '' for no stderr at all).
assert_stderr_is() {
	if [ "${stderr-}" != "$1" ]; then
		flunk "expected stderr: $1" "got stderr:      ${stderr-}"
	fi
}

# refute CMD...: CMD fails. In the middle of a test `! CMD` checks nothing (set -e ignores it).
refute() {
	if "$@"; then
		flunk "expected to fail, but it succeeded: $*"
	fi
}
