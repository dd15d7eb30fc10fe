#!/usr/bin/env bats
# flame-diff on hostile input: binary garbage, NUL bytes, invalid UTF-8, a 10 MB line, counts at
# and past 64 bits, missing counts. Never a crash (status >= 128), never a silent drop: every
# skipped line is a file:line warning, every kept line is in the output whole.

load helpers

setup() {
	SCRATCH=$(mktemp -d)
	export LC_ALL=C
}

teardown() {
	rm -rf "$SCRATCH"
}

@test "binary garbage: no crash; output lines all well formed; the valid lines mixed in are kept" {
	awk 'BEGIN { srand(42); for (i = 0; i < 300000; i++) printf "%c", int(rand() * 256) }' >"$SCRATCH/garbage"
	{ cat "$SCRATCH/garbage"; printf '\nvalid;stack 7\n'; cat "$SCRATCH/garbage"; } >"$SCRATCH/mixed"
	for opts in "" "-n -s" "--report --top 0" "--json --fail-above 1"; do
		run_split flame-diff $opts "$SCRATCH/mixed" "$SCRATCH/garbage"
		[ "$status" -lt 128 ]
		[ "$status" -le 2 ]
	done
	run_split flame-diff "$SCRATCH/mixed" "$SCRATCH/mixed"
	assert_status 0
	grep -qx 'valid;stack 7 7' <<<"$output"
	# Every output line ends in two counts, and every warning names file:line.
	[ -z "$(grep -av ' [0-9.]* [0-9.]*$' <<<"$output")" ]
	[ -z "$(grep -av -e "^flame-diff: $SCRATCH/mixed:[0-9]*: " -e '^flame-diff: skipped [0-9]* malformed lines' \
		-e '^flame-diff: [0-9]* more warnings not shown$' <<<"$stderr")" ]
	[ -n "$stderr" ]
	# Pure garbage that has no valid line is not a folded file.
	run_split flame-diff "$SCRATCH/garbage" "$SCRATCH/mixed"
	if [ "$status" -ne 0 ]; then
		assert_status 2
		[[ "$stderr" == *"not a folded file"* ]]
		assert_output_is ''
	fi
}

@test "NUL bytes in a stack are kept, byte for byte, and shown escaped in the report and JSON" {
	printf 'a\0b;c 5\nd 1\n' >"$SCRATCH/x"
	printf 'a\0b;c 2\n' >"$SCRATCH/y"
	flame-diff "$SCRATCH/x" "$SCRATCH/y" >"$SCRATCH/out"
	cmp "$SCRATCH/out" <(printf 'a\0b;c 5 2\nd 1 0\n')
	run flame-diff --report "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[[ "$output" == *' a\x00b'* ]]
	run flame-diff --json "$SCRATCH/x" "$SCRATCH/y"
	[[ "$output" == *'{"frame": "a\u0000b", '* ]]
	# --frame sees the whole name, past the NUL.
	run flame-diff --fail-above 1 --frame 'b$' "$SCRATCH/x" "$SCRATCH/y"
	assert_status 1
}

@test "invalid UTF-8 passes through the lines unchanged and becomes U+FFFD in JSON" {
	printf 'main;\xff\xfe;caf\xc3\xa9 3\nmain;\xc0\xaf 1\n' >"$SCRATCH/x"
	printf 'main;\xff\xfe;caf\xc3\xa9 1\n' >"$SCRATCH/y"
	flame-diff "$SCRATCH/x" "$SCRATCH/y" >"$SCRATCH/out"
	cmp "$SCRATCH/out" <(printf 'main;\xc0\xaf 1 0\nmain;\xff\xfe;caf\xc3\xa9 3 1\n')
	run flame-diff --json --top 0 "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[[ "$output" == *'{"frame": "\ufffd\ufffd", '* ]]
	[[ "$output" == *$'{"frame": "caf\xc3\xa9", '* ]]
	[ -z "$(grep -v 'caf' <<<"$output" | grep -a $'[\x80-\xff]')" ]
}

@test "a 10 MB line: a 5-million-frame stack is diffed and reported; without a count it is skipped" {
	awk 'BEGIN { for (i = 0; i < 5000000; i++) printf "f;"; print "leaf 3" }' >"$SCRATCH/x"
	printf 'f;leaf 1\n' >"$SCRATCH/y"
	[ "$(wc -c <"$SCRATCH/x")" -gt 10000000 ]
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	assert_stderr_is ''
	[ "$(wc -l <<<"$output")" -eq 2 ]
	[ "$(tail -n1 <<<"$output")" = "f;leaf 0 1" ]
	[ "$(head -n1 <<<"$output" | wc -c)" -eq $(( $(wc -c <"$SCRATCH/x") + 2 )) ]
	# f recurses 5 million deep in one stack: it counts once, 100% on both sides.
	run flame-diff --report "$SCRATCH/x" "$SCRATCH/y"
	[[ "$output" == *"    100.00%      100.00%         0.00        0.00%        0.00%         0.00  f"* ]]
	# The same line with no count: one short warning (the line is not echoed), nothing kept.
	awk 'BEGIN { for (i = 0; i < 5000000; i++) printf "f;"; print "leaf" }' >"$SCRATCH/nocount"
	printf 'f;leaf 1\n' >>"$SCRATCH/nocount"
	run_split flame-diff "$SCRATCH/nocount" "$SCRATCH/y"
	assert_status 0
	[ "$output" = "f;leaf 1 1" ]
	[[ "$stderr" == *"$SCRATCH/nocount:1: no count"* ]]
	[ "$(wc -c <<<"$stderr")" -lt 1000 ]
}

@test "counts at and past 64 bits: 2^64-1 is kept exactly; more, or a total past it, is skipped" {
	printf 'a 18446744073709551615\n' >"$SCRATCH/max"
	printf 'a 18446744073709551616\nb 99999999999999999999999999\nc 1\n' >"$SCRATCH/over"
	printf 'a 18446744073709551615\nb 1\nc 2\n' >"$SCRATCH/sum"
	run_split flame-diff "$SCRATCH/max" "$SCRATCH/max"
	assert_status 0
	[ "$output" = "a 18446744073709551615 18446744073709551615" ]
	run_split flame-diff "$SCRATCH/over" "$SCRATCH/max"
	assert_status 0
	[ "$output" = $'a 0 18446744073709551615\nc 1 0' ]
	assert_stderr_has "over:1: count larger than 2^64-1"
	assert_stderr_has "over:2: count larger than 2^64-1"
	run_split flame-diff "$SCRATCH/sum" "$SCRATCH/max"
	[ "$output" = $'a 18446744073709551615 18446744073709551615' ]
	assert_stderr_has "sum:2: the counts add up to more than 2^64-1"
	assert_stderr_has "sum:3: "
	# -n with counts near 2^64: the product needs 128 bits; the result is exact.
	printf 'a 18446744073709551615\n' >"$SCRATCH/big"
	printf 'a 18446744073709551614\nb 1\n' >"$SCRATCH/big2"
	run flame-diff -n "$SCRATCH/big2" "$SCRATCH/big"
	[ "$output" = $'a 18446744073709551614 18446744073709551615\nb 1 0' ]
	run flame-diff --report "$SCRATCH/max" "$SCRATCH/max"
	assert_status 0
	[[ "$output" == *"before: $SCRATCH/max, total 18,446,744,073,709,551,615"* ]]
	run flame-diff --json "$SCRATCH/max" "$SCRATCH/max"
	[[ "$output" == *'"total": 18446744073709551615,'* ]]
}

@test "missing or odd counts: none, a trailing space, only a count, only spaces, junk after the number" {
	printf 'a;b\na;b \n5\n   \na;b 5x\na;b 0x1f\na;b -3\na;b .5\na;b 1e3\nok 1\n' >"$SCRATCH/x"
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/x"
	assert_status 0
	[ "$output" = "ok 1 1" ]
	for n in 1 2 3 4 5 6 7 8 9; do
		[[ "$stderr" == *"$SCRATCH/x:$n: "* ]]
	done
	[[ "$stderr" == *"skipped 18 malformed lines"* ]]
}

@test "CRLF line ends, no final newline, tabs as the separator are all read" {
	printf 'a;b 1\r\nc\t2\r\nd 3' >"$SCRATCH/x"
	printf 'a;b 4\n' >"$SCRATCH/y"
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	assert_stderr_is ''
	[ "$output" = $'a;b 1 4\nc 2 0\nd 3 0' ]
}

@test "a directory or an unreadable file as input is an error (exit 2)" {
	run_split flame-diff "$SCRATCH" "$SCRATCH"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"flame-diff: "* ]]
	if [ "$(id -u)" -ne 0 ]; then
		printf 'a 1\n' >"$SCRATCH/secret"
		chmod 000 "$SCRATCH/secret"
		run_split flame-diff "$SCRATCH/secret" "$SCRATCH/secret"
		assert_status 2
		[[ "$stderr" == *"Permission denied"* ]]
	fi
}
