#!/usr/bin/env bats
# flame-collapse on our own fixtures (tests/fixtures/collapse/, see its README), every option,
# and what it does with bad input.

load helpers

setup() {
	D=$FIXTURES/collapse
	SCRATCH=$(mktemp -d)
}

teardown() {
	rm -rf "$SCRATCH"
}

# Fold D/<input>.txt with options and compare with D/<input>.<name>.folded.
check_fixture() {
	local input=$1 name=$2
	shift 2
	run_split flame-collapse "$@" "$D/$input.txt"
	assert_status 0
	diff <(printf '%s\n' "$output") "$D/$input.$name.folded"
}

@test "fixture: call chains from perf record -g, comm with a space" {
	check_fixture callchains default
	grep -q '^my_work;__libc_start_call_main;main;hot_a;spin_leaf ' "$D/callchains.default.folded"
}
@test "fixture: no call chains (padded comm, frame on the header line, no blank lines)" {
	check_fixture no-callchain default
	[ "$(wc -l < "$D/no-callchain.default.folded")" -ge 2 ]
}
@test "fixture: pid/tid headers, --pid and --tid" {
	check_fixture pid-tid default
	check_fixture pid-tid pid --pid
	check_fixture pid-tid tid --tid
	grep -q '^my_work-[0-9]*/[0-9]*;' "$D/pid-tid.tid.folded"
}
@test "fixture: system-wide with kernel frames, --all and --addrs" {
	check_fixture system-wide default
	check_fixture system-wide all --all
	check_fixture system-wide addrs --addrs
	grep -q '_\[k\]' "$D/system-wide.all.folded"
	run flame-collapse --addrs "$D/edge-cases.txt"
	grep -qx 'Web_Content;\[unknown <7f0000003000>\];\[lib x (copy).so <7f0000002000>\];paint 7' <<<"$output"
}
@test "fixture: tracepoint headers with arguments; dso paths ending in (deleted)" {
	check_fixture tracepoint default
	grep -q '\[memfd:[^]]* (deleted)\]' "$D/tracepoint.default.folded"
}
@test "fixture: --srcline appends file:line" {
	check_fixture srcline srcline --srcline
	grep -q 'spin_leaf:work.c:6 ' "$D/srcline.srcline.folded"
}
@test "fixture: two events: the first is kept, with one note; --event-filter picks the other" {
	check_fixture two-events default
	[ "$(grep -c 'note: kept only samples of the first event, page-faults' <<<"$stderr")" -eq 1 ]
	run_split flame-collapse --event-filter=cpu-clock "$D/two-events.txt"
	assert_status 0
	assert_stderr_lacks "note: kept only"	# (its many [unknown] frames are noted: issue 18.2)
	total=$(awk '{ s += $NF } END { print s }' <<<"$output")
	want=$(awk '/cpu-clock:/ { s += $(NF-1) } END { print s }' "$D/two-events.txt")
	[ "$total" -eq "$want" ]
}
@test "fixture: hand-written edge cases (see the fixture README)" {
	check_fixture edge-cases default
	grep -q 'edge-cases.txt:34: unrecognized line, skipped: this is not perf output at all' <<<"$stderr"
	grep -qx 'a;main;leaf 5' <<<"$output"
	grep -qx 'Web_Content;\[unknown\];\[lib x (copy).so\];paint 7' <<<"$output"
	grep -qx 'idle 11' <<<"$output"
	grep -qx 'kworker/0:1;kthread;worker_thread 9' <<<"$output"
	grep -qx 'crlf;main 19' <<<"$output"
	grep -qx 'tail;last 23' <<<"$output"
	check_fixture edge-cases all-tid --all --tid
}

@test "--kernel annotates kernel frames only; --jit JIT frames only" {
	run flame-collapse --kernel "$D/edge-cases.txt"
	grep -qx 'kworker/0:1;kthread_\[k\];worker_thread_\[k\] 9' <<<"$output"
	assert_output_lacks '_[j]'
	run flame-collapse --jit "$D/edge-cases.txt"
	grep -q 'com/example/Foo:::bar_\[j\] 13' <<<"$output"
	assert_output_lacks '_[k]'
}

@test "--skip-after drops callers and the process name" {
	run flame-collapse --skip-after=hot_b "$D/callchains.txt"
	assert_status 0
	grep -q '^hot_b;spin_leaf ' <<<"$output"
	assert_output_lacks ';hot_b'
	grep -q '^my_work;.*hot_a' <<<"$output"
}

@test "stdin, '-' and several files; 1 and 3 threads give the same output" {
	flame-collapse "$D/callchains.txt" > "$SCRATCH/a"
	flame-collapse < "$D/callchains.txt" > "$SCRATCH/b"
	flame-collapse - < "$D/callchains.txt" > "$SCRATCH/c"
	cmp "$SCRATCH/a" "$SCRATCH/b"
	cmp "$SCRATCH/a" "$SCRATCH/c"
	flame-collapse "$D/callchains.txt" "$D/system-wide.txt" > "$SCRATCH/two"
	cat "$D/callchains.txt" "$D/system-wide.txt" | flame-collapse > "$SCRATCH/cat"
	cmp "$SCRATCH/two" "$SCRATCH/cat"
	flame-collapse -j 1 "$D/system-wide.txt" > "$SCRATCH/j1"
	flame-collapse --threads=3 "$D/system-wide.txt" > "$SCRATCH/j3"
	cmp "$SCRATCH/j1" "$SCRATCH/j3"
}

@test "many samples across many blocks: same output for 1 and 2 threads, counts add up" {
	for i in $(seq 1 400); do cat "$D/callchains.txt"; done > "$SCRATCH/big.txt"
	flame-collapse -j 1 "$SCRATCH/big.txt" > "$SCRATCH/j1"
	flame-collapse -j 2 "$SCRATCH/big.txt" > "$SCRATCH/j2"
	cmp "$SCRATCH/j1" "$SCRATCH/j2"
	# each stack's count is 400 times the count from one copy
	awk '{ c = $NF; s = substr($0, 1, length($0) - length(c) - 1); printf "%s %.0f\n", s, c * 400 }' "$D/callchains.default.folded" > "$SCRATCH/want"
	cmp "$SCRATCH/j1" "$SCRATCH/want"
}

@test "empty input: empty output, exit 0; comments and blank lines only: the same" {
	run_split flame-collapse < /dev/null
	assert_status 0
	assert_output_is ''
	assert_stderr_has 'no samples read'	# tests/honest-output.bats
	printf '# header\n\n\n' > "$SCRATCH/c.txt"
	run_split flame-collapse "$SCRATCH/c.txt"
	assert_status 0
	assert_output_is ''
}

@test "input that is not perf script output: a clear error, exit 1, no output" {
	printf 'a;b;c 42\nhello world\n' > "$SCRATCH/folded.txt"
	run_split flame-collapse "$SCRATCH/folded.txt"
	assert_status 1
	[ -z "$output" ]
	grep -q "does not look like \`perf script\` output" <<<"$stderr"
	# pseudo-random bytes, the same on every run
	awk 'BEGIN { srand(42); for (i = 0; i < 100000; i++) printf "%c", int(rand() * 256) }' > "$SCRATCH/random.bin"
	run_split flame-collapse "$SCRATCH/random.bin"
	assert_status 1
	[ -z "$output" ]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]	# the one error, no warning a line
	grep -q 'random.bin does not look like' <<<"$stderr"
}

@test "a missing or unreadable file is an error naming it, exit 2, before any output" {
	run_split flame-collapse "$D/callchains.txt" "$SCRATCH/nope.txt"
	assert_status 2
	[ -z "$output" ]
	grep -q "cannot open $SCRATCH/nope.txt: No such file or directory" <<<"$stderr"
	run_split flame-collapse "$SCRATCH"
	assert_status 2
	grep -q "read error" <<<"$stderr"
}

@test "write errors are reported: a full disk and a closed pipe" {
	run_split sh -c "flame-collapse '$D/callchains.txt' > /dev/full"
	assert_status 2
	grep -q 'error writing <stdout>: No space left on device' <<<"$stderr"
	# Far more output than a pipe buffer holds, to a reader that stops after 10 bytes.
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "p 1 [000] 1.0: 1 cpu-clock:\n\t1 function_with_a_rather_long_name_%d (/bin/p)\n\n", i }' > "$SCRATCH/wide.txt"
	run_split bash -c "set -o pipefail; flame-collapse '$SCRATCH/wide.txt' | head -c 10 > /dev/null"
	assert_status 2
	grep -q 'error writing <stdout>: Broken pipe' <<<"$stderr"
}

@test "bad lines: a warning each with file:line, a summary count; -q keeps only the summary" {
	{ cat "$D/callchains.txt"; for i in $(seq 1 150); do printf 'garbage line %d\n\n' "$i"; done; } > "$SCRATCH/bad.txt"
	run_split flame-collapse "$SCRATCH/bad.txt"
	assert_status 0
	diff <(printf '%s\n' "$output") "$D/callchains.default.folded"
	[ "$(grep -c "bad.txt:[0-9]*: unrecognized line, skipped: garbage line" <<<"$stderr")" -eq 20 ]
	grep -q "bad.txt:$(( $(wc -l < "$D/callchains.txt") + 1 )): unrecognized line, skipped: garbage line 1\$" <<<"$stderr"
	grep -q '130 more warnings not shown' <<<"$stderr"
	grep -q 'skipped 150 unrecognized lines$' <<<"$stderr"
	run_split flame-collapse -q "$SCRATCH/bad.txt"
	assert_status 0
	[ "$stderr" = "flame-collapse: skipped 150 unrecognized lines" ]
}

@test "NUL bytes, invalid UTF-8 and very long lines do not break parsing" {
	{ printf 'p 1 [000] 1.0: 3 cpu-clock:\n\t1 f\0o+0x1 (/bin/p)\n\t2 \xff\xfe (/bin/p)\n\n'
	  printf 'q 2 [000] 1.0: 4 cpu-clock:\n\t1 '; head -c 3000000 /dev/zero | tr '\0' x; printf ' (/bin/q)\n\n'; } > "$SCRATCH/odd.txt"
	flame-collapse "$SCRATCH/odd.txt" > "$SCRATCH/out"
	[ "$(wc -l < "$SCRATCH/out")" -eq 2 ]
	[ "$(awk '/^q;/ { print length($0) }' "$SCRATCH/out")" -eq $((2 + 3000000 + 2)) ]
	LC_ALL=C grep -qaP '^p;\xff\xfe;f\x00o 3$' "$SCRATCH/out"
}

@test "options: --help, --version, bad option, bad --threads" {
	run flame-collapse --help
	assert_status 0
	grep -q 'usage: flame-collapse' <<<"$output"
	run flame-collapse --version
	assert_status 0
	grep -q '^flame-collapse [0-9]' <<<"$output"
	run_split flame-collapse --bogus
	assert_status 2
	run_split flame-collapse -j 0 "$D/callchains.txt"
	assert_status 2
	grep -q -- '--threads takes a number' <<<"$stderr"
}

@test "--no-aggregate: one line per sample in input order; the same totals as aggregated" {
	run_split flame-collapse --no-aggregate "$D/callchains.txt"
	assert_status 0
	[ "$(wc -l <<<"$output")" -eq "$(grep -c '^$' "$D/callchains.txt")" ]
	# the order follows the input: the leaf of line N is the first frame of sample N
	paste -d' ' <(awk '{ n = split($1, f, ";"); print f[n] }' <<<"$output") \
		<(awk '{ header = /^[^ \t]/ } after_header { sub(/^[ \t]*[0-9a-f]+ /, ""); sub(/\+0x.*/, ""); print } { after_header = header }' "$D/callchains.txt") |
		awk '$1 != $2 { bad++ } END { exit bad > 0 }'
	awk '{ c = $NF; s = substr($0, 1, length($0) - length(c) - 1); sum[s] += c } END { for (s in sum) printf "%s %.0f\n", s, sum[s] }' <<<"$output" |
		LC_ALL=C sort | cmp - "$D/callchains.default.folded"
	for i in $(seq 1 300); do cat "$D/callchains.txt"; done > "$SCRATCH/big.txt"
	flame-collapse --no-aggregate -j 1 "$SCRATCH/big.txt" > "$SCRATCH/j1"
	flame-collapse --no-aggregate -j 2 "$SCRATCH/big.txt" > "$SCRATCH/j2"
	cmp "$SCRATCH/j1" "$SCRATCH/j2"
	[ "$(wc -l < "$SCRATCH/j1")" -eq $((300 * $(grep -c '^$' "$D/callchains.txt"))) ]
}

@test "--no-aggregate keeps the first event only, as aggregated output does" {
	run_split flame-collapse --no-aggregate "$D/two-events.txt"
	[ "$(wc -l <<<"$output")" -eq "$(grep -c 'page-faults:' "$D/two-events.txt")" ]
	grep -q 'note: kept only samples of the first event, page-faults' <<<"$stderr"
}

@test "--collapse-recursion folds direct recursion only" {
	printf 'p 1 [000] 1.0: 5 cpu-clock:\n\t1 f (/b)\n\t2 f+0x1 (/b)\n\t3 f+0x2 (/b)\n\t4 g (/b)\n\t5 f (/b)\n\t6 main (/b)\n\n' > "$SCRATCH/rec.txt"
	run flame-collapse --collapse-recursion "$SCRATCH/rec.txt"
	[ "$output" = "p;main;f;g;f 5" ]
	run flame-collapse "$SCRATCH/rec.txt"
	[ "$output" = "p;main;f;g;f;f;f 5" ]
}
