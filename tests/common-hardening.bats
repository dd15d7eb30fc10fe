#!/usr/bin/env bats
# The shared input layer under flame-collapse and flame-diff (common/reader.c, common/util.c):
# one line-length cap, one warning cap and summary, a closed stdin refused, a file truncated while
# it is read detected, --help/--version write errors, and (issue 13) the other hardening items.

load helpers

setup() {
	SCRATCH=$(mktemp -d)
	export LC_ALL=C
}

teardown() {
	rm -rf "$SCRATCH"
}

# A perf script sample that folds to "prog;main 1".
sample() {
	printf 'prog 1234 [000] 1.000000: cpu-clock:\n\t401000 main (/bin/prog)\n\n'
}

@test "flame-diff: a closed stdin is refused, not replaced by the other input" {
	printf 'a 1\n' >"$SCRATCH/a"
	run_split bash -c 'flame-diff "$1" - <&-' _ "$SCRATCH/a"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"standard input is closed"* ]]
	run_split bash -c 'flame-diff - "$1" <&-' _ "$SCRATCH/a"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
}

@test "flame-collapse: a closed stdin is refused" {
	sample >"$SCRATCH/s"
	run_split bash -c 'flame-collapse "$1" - <&-' _ "$SCRATCH/s"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"standard input is closed"* ]]
	# A closed stdin that is not read is no error.
	run_split bash -c 'flame-collapse "$1" <&-' _ "$SCRATCH/s"
	[ "$status" -eq 0 ]
	[ "$output" = "prog;main 1" ]
}

@test "--help and --version to a full disk exit non-zero (collapse, diff)" {
	[ -w /dev/full ] || skip "no /dev/full"
	for prog in flame-collapse flame-diff; do
		for opt in --help --version; do
			run bash -c "$prog $opt > /dev/full"
			[ "$status" -eq 2 ]
			[[ "$output" == *"error writing <stdout>"* ]]
		done
	done
}

@test "flame-diff: a line longer than --max-line is skipped with file:line; the rest is diffed" {
	{ printf 'a 1\n'; head -c 5000 /dev/zero | tr '\0' x; printf ' 3\nb 2\n'; } >"$SCRATCH/x"
	printf 'a 1\n' >"$SCRATCH/y"
	run_split flame-diff --max-line 4K "$SCRATCH/x" "$SCRATCH/y"
	[ "$status" -eq 0 ]
	[ "$output" = $'a 1 1\nb 2 0' ]
	[[ "$stderr" == *"$SCRATCH/x:2: line longer than 4096 bytes, skipped"* ]]
	[[ "$stderr" == *"skipped 1 line longer than 4096 bytes"* ]]
	# Under the default cap (64 MiB) the line is kept.
	run_split flame-diff "$SCRATCH/x" "$SCRATCH/y"
	[ "$status" -eq 0 ]
	[ "$(wc -l <<<"$output")" -eq 3 ]
	run_split flame-diff --max-line 0 "$SCRATCH/x" "$SCRATCH/y"
	[ "$status" -eq 2 ]
	run_split flame-diff --max-line 12Q "$SCRATCH/x" "$SCRATCH/y"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-line takes a size"* ]]
}

@test "flame-collapse: a line longer than --max-line is skipped with file:line, also mid-sample" {
	{ sample; printf 'prog 1234 [000] 1.1: cpu-clock:\n\t401000 main (/bin/prog)\n'
	  head -c 300000 /dev/zero | tr '\0' y; printf '\n\n'; sample; } >"$SCRATCH/s"
	run_split flame-collapse --max-line 100K "$SCRATCH/s"
	[ "$status" -eq 0 ]
	[ "$output" = "prog;main 3" ]
	[[ "$stderr" == *"$SCRATCH/s:6: line longer than 102400 bytes, skipped"* ]]
	# The same from a pipe, where the reader drops the line before the folder sees it.
	run_split flame-collapse --max-line 100K -j 2 < "$SCRATCH/s"
	[ "$status" -eq 0 ]
	[ "$output" = "prog;main 3" ]
	[[ "$stderr" == *"<stdin>:6: line longer than 102400 bytes, skipped"* ]]
}

# Peak RSS in kB of PROG ARGS... after it has run for 3 seconds (then it is stopped). PROG may be a
# wrapper that runs the real program as its child (make mutants): the largest of the two counts,
# both are stopped, and bats' own descriptor (3) is closed for them so nothing left can hold it.
peak_rss_after_3s() {
	"$@" >/dev/null 2>&1 3>&- &
	local pid=$! hwm=0 p h kids
	sleep 3
	kids=$(pgrep -P "$pid" || true)
	for p in $pid $kids; do
		h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
		if [ "${h:-0}" -gt "$hwm" ]; then hwm=$h; fi
	done
	for p in $kids $pid; do kill -KILL "$p" 2>/dev/null || true; done
	wait "$pid" 2>/dev/null || true
	echo "$hwm"
}

@test "flame-collapse, flame-diff: an endless line (/dev/zero) no longer grows memory without bound" {
	[ -r /dev/zero ] || skip "no /dev/zero"
	# Before the cap, the reader doubled its buffer for as long as the line went on: gigabytes in
	# three seconds. Now it holds at most about two cap's worth (64 MiB each).
	local rss
	rss=$(peak_rss_after_3s flame-collapse -j 1 /dev/zero)
	echo "flame-collapse: peak RSS $rss kB"
	[ "$rss" -gt 0 ]
	[ "$rss" -lt 700000 ]
	rss=$(peak_rss_after_3s flame-diff /dev/zero /dev/null)
	echo "flame-diff: peak RSS $rss kB"
	[ "$rss" -gt 0 ]
	[ "$rss" -lt 700000 ]
}

@test "warnings: the first 20 are shown, then one 'N more warnings not shown' line (collapse, diff)" {
	{ sample; for i in $(seq 1 30); do printf 'garbage %d\n\n' "$i"; done; } >"$SCRATCH/bad.txt"
	run_split flame-collapse "$SCRATCH/bad.txt"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'unrecognized line, skipped' <<<"$stderr")" -eq 20 ]
	[[ "$stderr" == *"flame-collapse: 10 more warnings not shown"* ]]
	run_split flame-collapse -q "$SCRATCH/bad.txt"
	[ "$stderr" = "flame-collapse: skipped 30 unrecognized lines" ]

	{ for i in $(seq 1 25); do printf 'bad%d\n' "$i"; done; printf 'a 1\n'; } >"$SCRATCH/bad.folded"
	run_split flame-diff "$SCRATCH/bad.folded" "$SCRATCH/bad.folded"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'line skipped' <<<"$stderr")" -eq 20 ]
	[[ "$stderr" == *"flame-diff: 30 more warnings not shown"* ]]
	[[ "$stderr" == *"flame-diff: skipped 50 malformed lines"* ]]
	run_split flame-diff -q "$SCRATCH/bad.folded" "$SCRATCH/bad.folded"
	[ "$stderr" = "flame-diff: skipped 50 malformed lines" ]
}

# Start PROG reading a FIFO first and FILE second; truncate FILE once PROG holds it open, then let
# the FIFO end: PROG then reads FILE shorter than it was when opened.
truncate_while_reading() {
	local prog=$1 file=$2 fifo=$SCRATCH/fifo
	shift 2
	mkfifo "$fifo"
	"$prog" "$@" "$fifo" "$file" >"$SCRATCH/out" 2>"$SCRATCH/err" &
	local pid=$! i
	exec 3>"$fifo"
	for i in $(seq 1 100); do
		if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "$file"; then break; fi
		sleep 0.05
	done
	: >"$file"
	exec 3>&-
	wait "$pid"
}

@test "flame-diff: an input truncated while it is read is an error, not a short input" {
	for i in $(seq 1 2000); do printf 'stack;%d 1\n' "$i"; done >"$SCRATCH/big"
	run truncate_while_reading flame-diff "$SCRATCH/big"
	[ "$status" -eq 2 ]
	grep -q "big: the file shrank while it was being read" "$SCRATCH/err"
}

@test "flame-collapse: an input truncated while it is read is an error, not a short input" {
	for i in $(seq 1 500); do sample; done >"$SCRATCH/big"
	run truncate_while_reading flame-collapse "$SCRATCH/big"
	[ "$status" -eq 2 ]
	grep -q "big: the file shrank while it was being read" "$SCRATCH/err"
	[ ! -s "$SCRATCH/out" ]
}

@test "flame-diff: counts past 2^53 beside fractions print exactly, never in exponent form" {
	printf 'x 9007199254740993\ny 0.5\nz 123456789012345678.5\n' >"$SCRATCH/a"
	printf 'x 1\n' >"$SCRATCH/b"
	run_split flame-diff "$SCRATCH/a" "$SCRATCH/b"
	[ "$status" -eq 0 ]
	[ "$output" = $'x 9007199254740993 1\ny 0.5 0\nz 123456789012345680 0' ]
	run_split flame-diff --report "$SCRATCH/a" "$SCRATCH/b"
	[ "$status" -eq 0 ]
	[[ "$output" != *"e+"* ]]
	# What flame-diff writes, flame-render reads back as two counts, not as part of a frame name.
	run_split bash -c 'flame-diff "$1" "$2" | flame-render' _ "$SCRATCH/a" "$SCRATCH/b"
	[ "$status" -eq 0 ]
	[[ "$output" != *"e+15"* ]]
}

@test "flame-collapse: consecutive headers of one thread reuse its ids, and only its ids" {
	printf 'prog 10/11 1.0: 3 cycles:\n\t1 f (/x)\n\nprog 10/11 2.0: 4 cycles:\n\t1 f (/x)\n\n' >"$SCRATCH/h"
	printf 'prog 10/11 [001] 2.5: 9 cycles:\n\t1 g (/x)\n\nprog 10/12 3.0: 5 cycles:\n\t1 f (/x)\n\n' >>"$SCRATCH/h"
	printf 'a 1 b 10 1.0: 5 cycles:\n\t1 f (/x)\n\na 1 b 10 2.0: 6 cycles:\n\t1 f (/x)\n\n' >>"$SCRATCH/h"
	printf 'prog 10/11 4.0:\n\t1 f (/x)\n\n' >>"$SCRATCH/h"
	run_split flame-collapse --tid "$SCRATCH/h"
	[ "$status" -eq 0 ]
	[ "$output" = $'a_1_b-?/10;f 11\nprog-10/11;f 8\nprog-10/11;g 9\nprog-10/12;f 5' ]
}
