#!/usr/bin/env bats
# flame-collapse against the compatibility corpus: stackcollapse-perf.pl's outputs
# (expected/collapse/) and inferno's (expected/collapse-inferno/), byte for byte.
#
# Where the Perl is wrong and inferno fixed it, inferno is the oracle (see the corpus README):
# - The Perl drops the last sample when the input does not end with a blank line (FG#230); we keep
#   it. Such inputs are compared with the Perl's output after cutting that unterminated sample off,
#   and a separate test checks that the full input gives the Perl's output plus that one sample.
# - C++ argument lists inside template brackets (inferno-cpp-stacks-std-function): lines holding
#   std::function are compared with inferno's output, the rest with the Perl's.
# - Legacy Rust symbols (perf-rust-Yamakaky-dcpu) and jitdump modules (inferno-sourcepawn-jitdump):
#   compared with inferno's outputs for each option set it has.

load helpers

setup() {
	require_corpus
	SCRATCH=$(mktemp -d)
}

teardown() {
	if [ -n "${SCRATCH:-}" ]; then rm -rf "$SCRATCH"; fi
}

# The input with an unterminated last sample cut off (what the Perl effectively reads).
terminated_input() {
	local in=$1
	if [ -s "$in" ] && [ "$(tail -c 2 "$in" | od -An -c | tr -d ' ')" != '\n\n' ]; then
		local last
		last=$(grep -n '^$' "$in" | tail -n 1 | cut -d: -f1)
		head -n "${last:-0}" "$in" > "$SCRATCH/input.txt"
		echo "$SCRATCH/input.txt"
	else
		echo "$in"
	fi
}

# Compare every expected/collapse/<stem>.<opts>.folded for one option set; print failures.
check_perl_cases() {
	local opts=$1 flag=$2 failures=0 cases=0
	for exp in "$CORPUS"/expected/collapse/*."$opts".folded; do
		local stem
		stem=$(basename "$exp" ."$opts".folded)
		cases=$((cases + 1))
		case $stem in
		perf-rust-Yamakaky-dcpu|inferno-sourcepawn-jitdump) continue ;;	# inferno's tier
		esac
		local in
		in=$(terminated_input "$CORPUS/perf/$stem.txt")
		flame-collapse $flag "$in" > "$SCRATCH/out" 2> "$SCRATCH/err" || { echo "FAIL (exit) $stem $opts"; failures=$((failures + 1)); continue; }
		if [ "$stem" = inferno-cpp-stacks-std-function ]; then
			grep -v 'std::function<' "$SCRATCH/out" > "$SCRATCH/ours" || true
			grep -v 'std::function<' "$exp" > "$SCRATCH/theirs" || true
			cmp -s "$SCRATCH/ours" "$SCRATCH/theirs" || { echo "FAIL $stem $opts"; failures=$((failures + 1)); }
			continue
		fi
		if ! cmp -s "$SCRATCH/out" "$exp"; then
			echo "FAIL $stem $opts"
			diff "$SCRATCH/out" "$exp" | head -n 5
			failures=$((failures + 1))
		fi
	done
	echo "$cases cases, $failures failed"
	[ "$cases" -gt 0 ]
	[ "$failures" -eq 0 ]
}

@test "corpus: stackcollapse-perf.pl, default options" { check_perl_cases default ""; }
@test "corpus: stackcollapse-perf.pl --pid" { check_perl_cases pid --pid; }
@test "corpus: stackcollapse-perf.pl --tid" { check_perl_cases tid --tid; }
@test "corpus: stackcollapse-perf.pl --kernel" { check_perl_cases kernel --kernel; }
@test "corpus: stackcollapse-perf.pl --jit" { check_perl_cases jit --jit; }
@test "corpus: stackcollapse-perf.pl --all" { check_perl_cases all --all; }
@test "corpus: stackcollapse-perf.pl --addrs" { check_perl_cases addrs --addrs; }

@test "corpus: --event-filter=cycles and =instructions" {
	for ev in cycles instructions; do
		flame-collapse --event-filter=$ev "$CORPUS/perf/perf-cycles-instructions-01.txt" > "$SCRATCH/out"
		cmp "$SCRATCH/out" "$CORPUS/expected/collapse/perf-cycles-instructions-01.event-filter=$ev.folded"
	done
}

@test "corpus: with no filter the first event is kept, with a one-time note naming it" {
	run_split flame-collapse "$CORPUS/perf/perf-cycles-instructions-01.txt"
	assert_status 0
	cmp <(printf '%s\n' "$output") "$CORPUS/expected/collapse/perf-cycles-instructions-01.default.folded"
	[ "$(grep -c 'note: kept only samples of the first event, instructions' <<<"$stderr")" -eq 1 ]
}

@test "corpus: an unterminated last sample is kept: the Perl's output plus that sample" {
	n=0
	for in in "$CORPUS"/perf/*.txt; do
		stem=$(basename "$in" .txt)
		exp=$CORPUS/expected/collapse/$stem.default.folded
		[ -f "$exp" ] && [ -s "$in" ] || continue
		[ "$(tail -c 2 "$in" | od -An -c | tr -d ' ')" != '\n\n' ] || continue
		case $stem in inferno-cpp-stacks-std-function|perf-rust-Yamakaky-dcpu|inferno-sourcepawn-jitdump) continue ;; esac
		n=$((n + 1))
		# The last sample alone: from the line after the last blank line.
		last=$(grep -n '^$' "$in" | tail -n 1 | cut -d: -f1)
		tail -n +"$((${last:-0} + 1))" "$in" > "$SCRATCH/last.txt"
		# (inferno-empty-line ends with a stray frame line, not a sample: nothing to add there)
		flame-collapse -q "$SCRATCH/last.txt" > "$SCRATCH/last.folded" 2>/dev/null || [ "$stem" = inferno-empty-line ]
		cat "$exp" "$SCRATCH/last.folded" | awk '{ c = $NF; s = substr($0, 1, length($0) - length(c) - 1); sum[s] += c } END { for (s in sum) print s, sum[s] }' |
			LC_ALL=C sort > "$SCRATCH/want"
		flame-collapse -q "$in" > "$SCRATCH/got"
		cmp "$SCRATCH/got" "$SCRATCH/want" || { echo "differs: $stem"; false; }
	done
	[ "$n" -ge 5 ]
}

@test "corpus: inferno's expected outputs (Rust names, jitdump, no-pid headers, inline, vmlinux-VERSION, templates)" {
	n=0
	while IFS='|' read -r exp in opts; do
		exp=$(echo $exp); in=$(echo $in | cut -d' ' -f1); opts=$(echo $opts)
		if [ "$opts" = "(none)" ]; then opts=; fi
		n=$((n + 1))
		flame-collapse $opts "$CORPUS/$in" > "$SCRATCH/out" 2>/dev/null
		cmp "$SCRATCH/out" "$CORPUS/expected/collapse-inferno/$exp" || { echo "differs: $exp"; false; }
	done < <(grep -v '^#' "$CORPUS/expected/collapse-inferno/OPTIONS.txt" | grep '|')
	[ "$n" -ge 15 ]
}

@test "corpus: Rust default options equal inferno's --jit result (the input has no JIT frames)" {
	cmp "$CORPUS/expected/collapse/perf-rust-Yamakaky-dcpu.default.folded" "$CORPUS/expected/collapse/perf-rust-Yamakaky-dcpu.jit.folded"
	flame-collapse "$CORPUS/perf/perf-rust-Yamakaky-dcpu.txt" | cmp - "$CORPUS/expected/collapse-inferno/perf-rust-Yamakaky-dcpu-collapsed-jit.txt"
}

@test "corpus: jitdump --all equals inferno's --jit result (the input has no kernel frames)" {
	cmp "$CORPUS/expected/collapse/inferno-sourcepawn-jitdump.default.folded" "$CORPUS/expected/collapse/inferno-sourcepawn-jitdump.kernel.folded"
	flame-collapse --all "$CORPUS/perf/inferno-sourcepawn-jitdump.txt" | cmp - "$CORPUS/expected/collapse-inferno/sourcepawn-jitdump-collapsed-jit.txt"
}

@test "corpus: an empty line inside a sample gives exactly one warning with file:line" {
	run_split flame-collapse "$CORPUS/perf/inferno-empty-line.txt"
	assert_status 0
	[ "$(grep -c 'inferno-empty-line.txt:[0-9]*: ' <<<"$stderr")" -eq 1 ]
	grep -q 'inferno-empty-line.txt:6: stack line with no sample header' <<<"$stderr"
	grep -q 'skipped 1 unrecognized line' <<<"$stderr"
	[ "$output" = "$(cat "$CORPUS/expected/collapse/inferno-empty-line.default.folded")" ]
}

@test "corpus: a weird stack line gives exactly one warning with file:line, the rest is folded" {
	run_split flame-collapse "$CORPUS/perf/inferno-weird-stack-line.txt"
	assert_status 0
	[ "$(grep -c 'inferno-weird-stack-line.txt:[0-9]*: ' <<<"$stderr")" -eq 1 ]
	grep -q 'inferno-weird-stack-line.txt:5: unrecognized stack line' <<<"$stderr"
	grep -qx 'inline-counter;main 250000' <<<"$output"
}

@test "corpus: --skip-after=main.init drops the callers of main.init and the process name" {
	flame-collapse --skip-after=main.init "$CORPUS/perf/inferno-go-stacks.txt" > "$SCRATCH/out"
	n=$(grep -c 'main\.init' "$SCRATCH/out")
	[ "$n" -gt 0 ]
	[ "$(grep 'main\.init' "$SCRATCH/out" | grep -vc '^main\.init;')" -eq 0 ]
	# Stacks without main.init keep their process name.
	grep -v 'main\.init' "$SCRATCH/out" | grep -q '^go;'
}

@test "corpus: --skip-after twice (main.init, regexp.compile)" {
	flame-collapse --skip-after=main.init --skip-after=regexp.compile "$CORPUS/perf/inferno-go-stacks.txt" > "$SCRATCH/out"
	[ "$(grep -c 'regexp\.compile' "$SCRATCH/out")" -gt 0 ]
	[ "$(grep 'regexp\.compile' "$SCRATCH/out" | grep -vc '^regexp\.compile;')" -eq 0 ]
	[ "$(grep -v 'regexp\.compile' "$SCRATCH/out" | grep 'main\.init' | grep -vc '^main\.init;')" -eq 0 ]
}

@test "corpus: file argument, stdin and '-' give the same output; so do 1 and 4 threads" {
	in=$CORPUS/perf/perf-vertx-stacks-01.txt
	flame-collapse --all "$in" > "$SCRATCH/a"
	flame-collapse --all < "$in" > "$SCRATCH/b"
	flame-collapse --all - < "$in" > "$SCRATCH/c"
	flame-collapse --all -j 1 "$in" > "$SCRATCH/d"
	flame-collapse --all -j 4 "$in" > "$SCRATCH/e"
	cmp "$SCRATCH/a" "$SCRATCH/b"; cmp "$SCRATCH/a" "$SCRATCH/c"; cmp "$SCRATCH/a" "$SCRATCH/d"; cmp "$SCRATCH/a" "$SCRATCH/e"
	# and that is the Perl's output plus the unterminated last sample
	[ "$(wc -l < "$SCRATCH/a")" -eq $(( $(wc -l < "$CORPUS/expected/collapse/perf-vertx-stacks-01.all.folded") + 1 )) ]
}

@test "corpus: all inputs concatenated through several files equal one big input" {
	ins=("$CORPUS"/perf/perf-java-stacks-02.txt "$CORPUS"/perf/perf-js-stacks-01.txt "$CORPUS"/perf/perf-funcab-pid-01.txt)
	flame-collapse "${ins[@]}" > "$SCRATCH/a"
	cat "${ins[@]}" | flame-collapse > "$SCRATCH/b"
	cmp "$SCRATCH/a" "$SCRATCH/b"
}
