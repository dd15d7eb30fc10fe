#!/usr/bin/env bats
# flame-diff on our own fixtures: every option, the exit statuses (0 fine, 1 regression, 2 usage
# or input error) and bad input. tests/fixtures/diff-before.folded has 100 samples, diff-after.folded
# 200; by hand: kernel (recursing once in one stack) goes from 60% to 70% inclusive and self, its
# caller compute from 60% to 70% inclusive (0% self), lex 20% -> 10%, parse 30% -> 20% inclusive
# (10% self both), io 10% -> 5%, newfunc 0% -> 5%, main 100% throughout.

load helpers

setup() {
	B=$FIXTURES/diff-before.folded
	A=$FIXTURES/diff-after.folded
	SCRATCH=$(mktemp -d)
	export LC_ALL=C
}

teardown() {
	rm -rf "$SCRATCH"
}

# The report row of frame $2 in report text $1: "incl.before incl.after incl.delta self.before ..."
row() {
	awk -v f="$2" '$7 == f { print $1, $2, $3, $4, $5, $6 }' <<<"$1"
}

@test "lines: every stack of either side with both counts, 0 where absent, sorted" {
	run_split flame-diff "$B" "$A"
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") - <<'EOF'
main;compute;kernel 50 100
main;compute;kernel;kernel 10 40
main;io 10 10
main;newfunc 0 10
main;parse 10 20
main;parse;lex 20 20
EOF
}

@test "lines: sorted by stack whatever the input order (sorted inputs are merged, others sorted)" {
	printf 'a 1\nc;x 2\ne 3\n' >"$SCRATCH/x"          # sorted
	printf 'b 1\nc 2\nc;x 1\nd 4\nf 5\n' >"$SCRATCH/y"  # sorted, interleaving with x
	run flame-diff "$SCRATCH/x" "$SCRATCH/y"
	[ "$output" = $'a 1 0\nb 0 1\nc 0 2\nc;x 2 1\nd 0 4\ne 3 0\nf 0 5' ]
	sort -r "$SCRATCH/y" >"$SCRATCH/y-reversed"
	run flame-diff "$SCRATCH/x" "$SCRATCH/y-reversed"
	[ "$output" = $'a 1 0\nb 0 1\nc 0 2\nc;x 2 1\nd 0 4\ne 3 0\nf 0 5' ]
	# Byte order: upper case before lower case, "a" before "a;b" before "a b"... as sort(1) in C.
	printf 'a;b 1\nB 1\na 1\n\xc3\xa9 1\na b 1\n_ 1\n' >"$SCRATCH/z"
	run flame-diff "$SCRATCH/z" "$SCRATCH/z"
	[ "$output" = "$(sed 's/$/ 1/' "$SCRATCH/z" | LC_ALL=C sort)" ]
}

@test "lines: counts of a repeated stack are summed per side" {
	printf 'a;b 1\nc 2\na;b 3\n' >"$SCRATCH/x"
	printf 'a;b 10\na;b 5\n' >"$SCRATCH/y"
	run flame-diff "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[ "$output" = $'a;b 4 15\nc 2 0' ]
}

@test "-n/--normalize scales BEFORE to AFTER's total, rounding down; AFTER unchanged" {
	run flame-diff -n "$B" "$A"
	assert_status 0
	grep -qx 'main;compute;kernel 100 100' <<<"$output"
	grep -qx 'main;io 20 10' <<<"$output"
	run flame-diff --normalize "$B" "$A"
	grep -qx 'main;newfunc 0 10' <<<"$output"
	# int(c1 * total2 / total1): 1 * 2 / 3 is 0, 2 * 2 / 3 is 1.
	printf 'a 1\nb 2\n' >"$SCRATCH/x"
	printf 'a 2\n' >"$SCRATCH/y"
	run flame-diff -n "$SCRATCH/x" "$SCRATCH/y"
	[ "$output" = $'a 0 2\nb 1 0' ]
	# Equal totals: nothing changes.
	run flame-diff -n "$B" "$B"
	diff <(printf '%s\n' "$output") <(awk '{ print $0 " " $NF }' "$B" | sort)
}

@test "-n: counts whose product overflows 64 bits are still scaled exactly" {
	printf 'a 9000000000000000000\nb 1000000000000000000\n' >"$SCRATCH/x"
	printf 'a 3\nc 7\n' >"$SCRATCH/y"
	run flame-diff -n "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[ "$output" = $'a 9 3\nb 1 0\nc 0 7' ]
}

@test "-n with an empty BEFORE warns and leaves the counts (difffolded.pl dies dividing by zero)" {
	: >"$SCRATCH/empty"
	run_split flame-diff -n "$SCRATCH/empty" "$A"
	assert_status 0
	[[ "$stderr" == *"has a total of 0"* ]]
	grep -qx 'main;newfunc 0 10' <<<"$output"
}

@test "-s/--strip-hex: 0x + hex digits become 0x..., so the same code at other addresses matches" {
	printf 'main;f+0x1f;[libc.so 0x7f3a00001000] 3\nmain;g 0X1f 1\nmain;0x;0xZ 1\n' >"$SCRATCH/x"
	printf 'main;f+0x2b;[libc.so 0x7f3a0000a000] 4\n' >"$SCRATCH/y"
	run flame-diff -s "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	# Only "0x" followed by at least one hex digit, lower-case x, as difffolded.pl.
	[ "$output" = $'main;0x;0xZ 1 0\nmain;f+0x...;[libc.so 0x...] 3 4\nmain;g 0X1f 1 0' ]
	run flame-diff --strip-hex -n "$SCRATCH/x" "$SCRATCH/y"
	grep -qx 'main;f+0x...;\[libc.so 0x...\] 2 4' <<<"$output"
	# Without -s the addresses keep the stacks apart.
	run flame-diff "$SCRATCH/x" "$SCRATCH/y"
	[ "$(wc -l <<<"$output")" -eq 4 ]
}

@test "fractional counts are summed and printed as Perl numbers" {
	printf 'a 1.5\na 1.25\nb 2.\nc 3\n' >"$SCRATCH/x"
	printf 'a 10\nc 0.5\n' >"$SCRATCH/y"
	run flame-diff "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[ "$output" = $'a 2.75 10\nb 2 0\nc 3 0.5' ]
	# -n with fractions: int(c1 * total2 / total1) in doubles, total1 7.75, total2 10.5 (as the Perl).
	run flame-diff -n "$SCRATCH/x" "$SCRATCH/y"
	[ "$output" = $'a 3 10\nb 2 0\nc 4 0.5' ]
}

@test "either input may be - (standard input), not both" {
	run flame-diff - "$A" <"$B"
	assert_status 0
	grep -qx 'main;compute;kernel 50 100' <<<"$output"
	run flame-diff "$B" - <"$A"
	assert_status 0
	grep -qx 'main;compute;kernel 50 100' <<<"$output"
	run_split flame-diff - - <"$B"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"only one input can be standard input"* ]]
}

@test "two empty inputs give empty output; one empty side gives zeros" {
	: >"$SCRATCH/e1"
	: >"$SCRATCH/e2"
	run_split flame-diff "$SCRATCH/e1" "$SCRATCH/e2"
	assert_status 0
	assert_output_is ''
	assert_stderr_is ''
	run_split flame-diff -n -s "$SCRATCH/e1" "$SCRATCH/e2"
	assert_status 0
	assert_output_is ''
	assert_stderr_is ''
	run flame-diff "$B" "$SCRATCH/e1"
	assert_status 0
	[ "$(awk '$NF != 0' <<<"$output")" = "" ]
	[ "$(wc -l <<<"$output")" -eq 5 ]
}

@test "a missing input is an error (exit 2), reported before any output" {
	run_split flame-diff "$SCRATCH/nope" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"cannot open $SCRATCH/nope: No such file or directory"* ]]
	run_split flame-diff "$B" "$SCRATCH/nope"
	assert_status 2
	assert_output_is ''
	run_split flame-diff --report --fail-above 1 "$B" "$SCRATCH/nope"
	assert_status 2
	assert_output_is ''
}

@test "malformed lines are warned with file:line and skipped; the rest is diffed" {
	printf 'a 1\n\nno count here\nb 2 3\nc 18446744073709551616\nd 4\ne 1x\n' >"$SCRATCH/x"
	printf 'a 1\n' >"$SCRATCH/y"
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/y"
	assert_status 0
	[ "$output" = $'a 1 1\nd 4 0' ]
	[[ "$stderr" == *"$SCRATCH/x:2: blank line; line skipped"* ]]
	[[ "$stderr" == *"$SCRATCH/x:3: no count at the end of the line"* ]]
	[[ "$stderr" == *"$SCRATCH/x:4: two counts"* ]]
	[[ "$stderr" == *"$SCRATCH/x:5: count larger than 2^64-1"* ]]
	[[ "$stderr" == *"$SCRATCH/x:7: no count"* ]]
	[[ "$stderr" == *"skipped 5 malformed lines"* ]]
	[ "$(grep -c 'line skipped' <<<"$stderr")" -eq 5 ]
}

@test "-q/--quiet: no per-line warnings, the summary remains" {
	printf 'a 1\n\nbad\n' >"$SCRATCH/x"
	run_split flame-diff -q "$SCRATCH/x" "$SCRATCH/x"
	assert_status 0
	[ "$output" = "a 1 1" ]
	[ "$stderr" = "flame-diff: skipped 4 malformed lines" ]
	run_split flame-diff --quiet "$SCRATCH/x" "$SCRATCH/x"
	[ "$stderr" = "flame-diff: skipped 4 malformed lines" ]
}

@test "many malformed lines: the first 20 are shown, then a count" {
	seq 1 250 | sed 's/$/ x/' >"$SCRATCH/x"
	printf 'a 1\n' >>"$SCRATCH/x"
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/x"
	assert_status 0
	[ "$output" = "a 1 1" ]
	[ "$(grep -c 'line skipped' <<<"$stderr")" -eq 20 ]
	[[ "$stderr" == *"480 more warnings not shown"* ]]
	[[ "$stderr" == *"skipped 500 malformed lines"* ]]
}

@test "an input with lines but no folded stack at all is an input error (exit 2)" {
	printf 'perf 1234 [000] 1.0: cpu-clock:\n\tffffffff81000000 do_idle ([kernel.kallsyms])\n' >"$SCRATCH/perf"
	run_split flame-diff "$SCRATCH/perf" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"$SCRATCH/perf: no folded stack in 2 lines: not a folded file"* ]]
	run_split flame-diff --fail-above 5 "$A" "$SCRATCH/perf"
	assert_status 2
	assert_output_is ''
}

@test "--report: frames by largest change in share, inclusive and self, in percent and points" {
	cd "$FIXTURES"
	run_split flame-diff --report diff-before.folded diff-after.folded
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") - <<'EOF'
before: diff-before.folded, total 100
after : diff-after.folded, total 200
7 of 7 frames, largest change first; shares in % of each side's total, deltas in points

incl.before   incl.after   incl.delta  self.before   self.after   self.delta  frame
     60.00%       70.00%       +10.00       60.00%       70.00%       +10.00  kernel
     20.00%       10.00%       -10.00       20.00%       10.00%       -10.00  lex
     60.00%       70.00%       +10.00        0.00%        0.00%         0.00  compute
     30.00%       20.00%       -10.00       10.00%       10.00%         0.00  parse
     10.00%        5.00%        -5.00       10.00%        5.00%        -5.00  io
      0.00%        5.00%        +5.00        0.00%        5.00%        +5.00  newfunc
    100.00%      100.00%         0.00        0.00%        0.00%         0.00  main
EOF
}

@test "--report: a recursing frame counts each stack once; -r is --report; -n does not change shares" {
	run flame-diff -r "$B" "$A"
	assert_status 0
	# kernel;kernel (10 before) counts once: 50 + 10 = 60%, not 70%.
	[ "$(row "$output" kernel)" = "60.00% 70.00% +10.00 60.00% 70.00% +10.00" ]
	run flame-diff -r -n "$B" "$A"
	[ "$(row "$output" kernel)" = "60.00% 70.00% +10.00 60.00% 70.00% +10.00" ]
	# Aggregated over positions: a frame at two depths is one frame.
	printf 'a;f 1\nb;c;f 1\nb;c 2\n' >"$SCRATCH/x"
	printf 'a 1\n' >"$SCRATCH/y"
	run flame-diff -r "$SCRATCH/x" "$SCRATCH/y"
	[ "$(row "$output" f)" = "50.00% 0.00% -50.00 50.00% 0.00% -50.00" ]
	[ "$(row "$output" c)" = "75.00% 0.00% -75.00 50.00% 0.00% -50.00" ]
}

@test "--top N limits the rows; 0 shows every frame; it needs --report or --json" {
	run flame-diff --report --top 2 "$B" "$A"
	assert_status 0
	[[ "$output" == *"2 of 7 frames"* ]]
	[ "$(tail -n +6 <<<"$output" | awk '{ print $7 }' | tr '\n' ' ')" = "kernel lex " ]
	run flame-diff --report --top=0 "$B" "$A"
	[ "$(tail -n +6 <<<"$output" | wc -l)" -eq 7 ]
	# The default is 20 rows: 31 frames here (main, f1..f30), 5 more in B.
	for i in $(seq 1 30); do echo "main;f$i $i"; done >"$SCRATCH/x"
	run flame-diff --report "$SCRATCH/x" "$B"
	[[ "$output" == *"20 of 36 frames"* ]]
	[ "$(tail -n +6 <<<"$output" | wc -l)" -eq 20 ]
	run_split flame-diff --top 3 "$B" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"--top applies to --report and --json"* ]]
	run flame-diff --report --top -1 "$B" "$A"
	assert_status 2
	run flame-diff --report --top x "$B" "$A"
	assert_status 2
}

@test "--fail-above: exit 1 when an inclusive share grew by more than PCT points, listed on stderr" {
	run_split flame-diff --fail-above 9 "$B" "$A"
	assert_status 1
	# The lines are still written (for flame-render), whole.
	[ "$(wc -l <<<"$output")" -eq 6 ]
	[[ "$stderr" == *"regression: compute: inclusive share 60.00% -> 70.00% (+10.00 points, limit 9)"* ]]
	[[ "$stderr" == *"regression: kernel: inclusive share 60.00% -> 70.00% (+10.00 points, limit 9)"* ]]
	[[ "$stderr" == *"2 frames grew by more than 9 points"* ]]
	[ "$(grep -c regression <<<"$stderr")" -eq 2 ]
	# Exactly 10 points is not more than 10.
	run_split flame-diff --fail-above 10 "$B" "$A"
	assert_status 0
	assert_stderr_is ''
	run_split flame-diff --fail-above=4.5 "$B" "$A"
	assert_status 1
	[ "$(grep -c regression <<<"$stderr")" -eq 3 ]
	[[ "$stderr" == *"regression: newfunc:"* ]]
	# Shrinking frames never fail the gate: the reverse diff only grows lex, parse, io.
	run_split flame-diff --fail-above 9 "$A" "$B"
	assert_status 1
	assert_stderr_has "regression: lex:"
	assert_stderr_has "regression: parse:"
	[ "$(grep -c regression <<<"$stderr")" -eq 2 ]
}

@test "--fail-above with --report: the table on stdout, the regressions on stderr" {
	run_split flame-diff --report --fail-above 9 "$B" "$A"
	assert_status 1
	[[ "$output" == *"incl.before"* ]]
	[[ "$output" != *regression* ]]
	[[ "$stderr" == *"regression: kernel:"* ]]
}

@test "--frame REGEX limits the gate to matching frames; repeatable; extended regex" {
	run_split flame-diff --fail-above 9 --frame '^kernel$' "$B" "$A"
	assert_status 1
	[[ "$stderr" == *"regression: kernel:"* ]]
	[[ "$stderr" != *"compute"* ]]
	run_split flame-diff --fail-above 9 --frame 'lex|io' "$B" "$A"
	assert_status 0
	assert_stderr_is ''
	run_split flame-diff --fail-above 4 --frame '^new' --frame '^comp' "$B" "$A"
	assert_status 1
	assert_stderr_has "regression: compute:"
	assert_stderr_has "regression: newfunc:"
	[ "$(grep -c regression <<<"$stderr")" -eq 2 ]
	# The report still lists every frame.
	run flame-diff --report --fail-above 9 --frame '^kernel$' "$B" "$A"
	[[ "$output" == *" compute"* ]]
}

@test "--frame that matches no frame: a warning; when the gate is left with no frame, exit 2" {
	run_split flame-diff --fail-above 9 --frame '^kernle$' --frame '^kernel$' "$B" "$A"
	assert_status 1
	[[ "$stderr" == *"--frame '^kernle\$' matches no frame of either profile"* ]]
	[[ "$stderr" == *"regression: kernel:"* ]]
	run_split flame-diff --fail-above 9 --frame '^kernle$' "$B" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"the gate has no frame to check"* ]]
}

@test "--frame errors: a bad regex, or no --fail-above, exit 2" {
	run_split flame-diff --fail-above 1 --frame '(' "$B" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"--frame '(':"* ]]
	run_split flame-diff --frame kernel "$B" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"give --fail-above too"* ]]
}

@test "--fail-above errors: not a number, negative, or an empty side (exit 2, not a pass)" {
	for bad in x -1 '' 5% nan inf; do
		run flame-diff --fail-above "$bad" "$B" "$A"
		assert_status 2
	done
	: >"$SCRATCH/empty"
	run_split flame-diff --fail-above 5 "$SCRATCH/empty" "$A"
	assert_status 2
	assert_output_is ''
	[[ "$stderr" == *"$SCRATCH/empty: no samples (total 0)"* ]]
	run_split flame-diff --fail-above 5 "$A" "$SCRATCH/empty"
	assert_status 2
}

@test "--json: the report as JSON, inclusive and self shares, deltas and counts; gate null without --fail-above" {
	cd "$FIXTURES"
	run_split flame-diff --json --top 2 diff-before.folded diff-after.folded
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") - <<'EOF'
{
  "before": {"file": "diff-before.folded", "total": 100, "lines": 5, "malformed_lines": 0},
  "after": {"file": "diff-after.folded", "total": 200, "lines": 6, "malformed_lines": 0},
  "frames_total": 7,
  "frames": [
    {"frame": "kernel", "inclusive": {"before": 60.0000, "after": 70.0000, "delta": 10.0000, "before_count": 60, "after_count": 140}, "self": {"before": 60.0000, "after": 70.0000, "delta": 10.0000, "before_count": 60, "after_count": 140}},
    {"frame": "lex", "inclusive": {"before": 20.0000, "after": 10.0000, "delta": -10.0000, "before_count": 20, "after_count": 20}, "self": {"before": 20.0000, "after": 10.0000, "delta": -10.0000, "before_count": 20, "after_count": 20}}
  ],
  "gate": null
}
EOF
}

@test "--json with --fail-above: the gate's verdict and the failing frames; stderr and exit status as without" {
	run_split flame-diff --json --fail-above 9 --frame '^k' "$B" "$A"
	assert_status 1
	[[ "$stderr" == *"regression: kernel:"* ]]
	grep -q '"gate": {"fail_above": 9, "frame": \["\^k"\], "passed": false, "failed": \[' <<<"$output"
	[ "$(grep -c '{"frame": "kernel"' <<<"$output")" -eq 2 ]   # in frames and in failed
	run_split flame-diff --json --fail-above 10 "$B" "$A"
	assert_status 0
	grep -q '"gate": {"fail_above": 10, "frame": \[\], "passed": true, "failed": \[' <<<"$output"
	if command -v jq >/dev/null; then
		run flame-diff --json --fail-above 9 "$B" "$A"
		[ "$(jq -r '.gate.failed | map(.frame) | join(",")' <<<"$output")" = "compute,kernel" ]
		[ "$(jq -r '.frames | length' <<<"$output")" = 7 ]
		[ "$(jq -r '.frames[] | select(.frame == "parse") | .self.delta' <<<"$output")" = 0 ]
	fi
}

@test "usage errors exit 2 with the usage on stderr; --help and --version exit 0 on stdout" {
	run_split flame-diff "$B"
	assert_status 2
	assert_output_is ''
	assert_stderr_has "two inputs needed"
	assert_stderr_has "usage: flame-diff"
	run_split flame-diff "$B" "$A" "$A"
	assert_status 2
	[[ "$stderr" == *"too many inputs"* ]]
	run_split flame-diff
	assert_status 2
	run_split flame-diff --no-such-option "$B" "$A"
	assert_status 2
	assert_output_is ''
	run_split flame-diff --help
	assert_status 0
	assert_stderr_is ''
	assert_output_has "usage: flame-diff [options] BEFORE AFTER"
	assert_output_has "--fail-above"
	run_split flame-diff -h
	assert_status 0
	run flame-diff --version
	assert_status 0
	[[ "$output" =~ ^flame-diff\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a write error (full disk) is an error, exit 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'flame-diff "$1" "$2" > /dev/full' _ "$B" "$A"
	assert_status 2
	[[ "$output" == *"flame-diff:"* ]]
}

@test "flame-diff output feeds flame-render" {
	[ -x "$FLAME_BIN/flame-render" ] || flunk "flame-render was not built in $FLAME_BIN"
	run bash -c 'flame-diff "$1" "$2" | flame-render > "$3"' _ "$B" "$A" "$SCRATCH/diff.svg"
	assert_status 0
	grep -q '<svg' "$SCRATCH/diff.svg"
	grep -q 'newfunc' "$SCRATCH/diff.svg"
}
