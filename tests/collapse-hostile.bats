#!/usr/bin/env bats
# flame-collapse on hostile input: every case ends with a clear error or counted warnings, never a
# crash, a hang or silently lost data.

load helpers

setup() {
	SCRATCH=$(mktemp -d)
}

teardown() {
	rm -rf "$SCRATCH"
}

sample() {	# sample COMM PERIOD FRAME...
	local comm=$1 period=$2
	shift 2
	printf '%s 1 [000] 1.000000: %s cpu-clock:\n' "$comm" "$period"
	for f in "$@"; do printf '\t1 %s (/bin/x)\n' "$f"; done
	printf '\n'
}

@test "hostile: a 100 MB line between samples is one counted warning (past the 64 MiB line cap)" {
	{ sample a 5 leaf main; head -c 100000000 /dev/zero | tr '\0' 'y'; printf '\n\n'; sample b 7 leaf main; } > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	[ "$output" = "$(printf 'a;main;leaf 5\nb;main;leaf 7')" ]
	grep -q 'in.txt:5: line longer than 67108864 bytes, skipped' <<<"$stderr"
	grep -q 'skipped 1 unrecognized line$' <<<"$stderr"
}

@test "hostile: binary garbage after good samples is warned about; the samples are kept" {
	# pseudo-random bytes without newlines, the same on every run; a control byte first, so it
	# can be neither a comment nor a header
	{ sample a 5 leaf main
	  awk 'BEGIN { srand(7); printf "%c", 1; for (i = 0; i < 200000; i++) { c = 1 + int(rand() * 254); if (c == 10) c = 11; printf "%c", c } }'
	  printf '\n\n'; } > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	grep -qx 'a;main;leaf 5' <<<"$output"
	grep -q 'in.txt:5: unrecognized line' <<<"$stderr"
}

@test "hostile: a period that overflows 64 bits skips that sample with a warning" {
	{ sample a 99999999999999999999999 leaf main; sample b 7 leaf main; } > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	[ "$output" = "b;main;leaf 7" ]
	grep -q 'in.txt:1: sample period does not fit in 64 bits, sample skipped' <<<"$stderr"
}

@test "hostile: counts whose sum overflows 64 bits are capped with a warning" {
	{ sample a 18446744073709551615 leaf; sample a 18446744073709551615 leaf; } > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	[ "$output" = "a;leaf 18446744073709551615" ]
	grep -q 'exceeds 2^64-1 and was capped' <<<"$stderr"
}

@test "hostile: a stack of 100,000 frames" {
	{ printf 'deep 1 [000] 1.0: 3 cpu-clock:\n'; for i in $(seq 100000 -1 1); do printf '\t1 f%d (/bin/x)\n' "$i"; done; printf '\n'; } > "$SCRATCH/in.txt"
	flame-collapse "$SCRATCH/in.txt" > "$SCRATCH/out"
	[ "$(tr ';' '\n' < "$SCRATCH/out" | wc -l)" -eq 100001 ]
	grep -q '^deep;f1;f2;f3;.*;f100000 3$' "$SCRATCH/out"
}

@test "hostile: a truncated final sample (cut mid-line) is kept as far as it goes" {
	{ sample a 5 leaf main; printf 'b 1 [000] 1.0: 7 cpu-clock:\n\t1 leaf (/bin/x)\n\t1 mai'; } > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	grep -qx 'a;main;leaf 5' <<<"$output"
	grep -qx 'b;leaf 7' <<<"$output"
	grep -q 'in.txt:7: unrecognized stack line, skipped: 1 mai' <<<"$stderr"
}

@test "hostile: a folded file given by mistake is refused as not perf script output" {
	printf 'a;b;c 42\na;b 7\n' > "$SCRATCH/in.folded"
	run_split flame-collapse "$SCRATCH/in.folded"
	assert_status 1
	[ -z "$output" ]
	grep -q 'does not look like' <<<"$stderr"
}

@test "hostile: only NUL bytes" {
	head -c 1000000 /dev/zero > "$SCRATCH/in.bin"
	run_split flame-collapse "$SCRATCH/in.bin"
	assert_status 1
	[ -z "$output" ]
}

@test "hostile: a frame line with no symbol at all ('pc (dso)') folds as ' ', as the Perl's (found by fuzzing)" {
	printf 'p 1 [000] 1.0: 3 cpu-clock:\n\tffff (/bin/x)\n\t1 main (/bin/x)\n\n' > "$SCRATCH/in.txt"
	run_split flame-collapse "$SCRATCH/in.txt"
	assert_status 0
	[ "$output" = "p;main;  3" ]	# the frame " ", then " 3"
	[ -z "$stderr" ]
}
