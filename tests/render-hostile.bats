#!/usr/bin/env bats
# flame-render on hostile input: a clear error or counted warnings and a well-formed SVG, never a
# crash, a hang or silently lost data.

load helpers
load render-helpers

setup() {
	SCRATCH=$(mktemp -d)
}

teardown() {
	rm -rf "$SCRATCH"
}

frames() {	# the number of frames drawn
	grep -c '<rect' "$1"
}

@test "render hostile: a 100 MB line without a count is one warning; the rest is drawn" {
	{ printf 'a;b 5\n'; head -c 100000000 /dev/zero | tr '\0' 'x'; printf '\na;c 7\n'; } > "$SCRATCH/in.folded"
	run_split sh -c "flame-render '$SCRATCH/in.folded' > '$SCRATCH/out.svg'"
	assert_status 0
	grep -q 'in.folded:2: ' <<<"$stderr"
	grep -q '>c (7 samples' "$SCRATCH/out.svg"
	xml_wellformed "$SCRATCH/out.svg"
}

@test "render hostile: a 100 MB frame name is drawn, truncated in its label, and the XML holds" {
	{ head -c 100000000 /dev/zero | tr '\0' 'y'; printf ';leaf 3\n'; } > "$SCRATCH/in.folded"
	# Past the default line cap (64M): --max-line lets it in.
	flame-render --max-line 128M "$SCRATCH/in.folded" > "$SCRATCH/out.svg"
	grep -q '>leaf (3 samples' "$SCRATCH/out.svg"
	xml_wellformed "$SCRATCH/out.svg"
}

@test "render hostile: NUL bytes, control characters and invalid UTF-8 in names give valid XML" {
	printf 'a\0b;c\x1b[31m;\xff\xfe\xc3 4\nok;fine 2\n' > "$SCRATCH/in.folded"
	run_split sh -c "flame-render '$SCRATCH/in.folded' > '$SCRATCH/out.svg'"
	assert_status 0
	xml_wellformed "$SCRATCH/out.svg"
	grep -q '>fine (2 samples' "$SCRATCH/out.svg"
	refute env LC_ALL=C grep -q $'\x1b' "$SCRATCH/out.svg"
}

@test "render hostile: counts that overflow 64 bits are warned about, not wrapped" {
	printf 'a;b 99999999999999999999999999\na;c 5\n' > "$SCRATCH/in.folded"
	run_split sh -c "flame-render '$SCRATCH/in.folded' > '$SCRATCH/out.svg'"
	assert_status 0
	grep -q 'in.folded:1: ' <<<"$stderr"
	grep -q '>c (5 samples' "$SCRATCH/out.svg"
	xml_wellformed "$SCRATCH/out.svg"
}

@test "render hostile: a stack of 100,000 frames" {
	{ seq -f 'f%g' 1 100000 | paste -sd';'; } | sed 's/$/ 9/' > "$SCRATCH/in.folded"
	flame-render --minwidth 0 "$SCRATCH/in.folded" > "$SCRATCH/out.svg"
	[ "$(frames "$SCRATCH/out.svg")" -ge 100000 ]
	xml_wellformed "$SCRATCH/out.svg"
}

@test "render hostile: a truncated last line (no count, no newline) is warned about" {
	printf 'a;b 5\na;c 7\na;d' > "$SCRATCH/in.folded"
	run_split sh -c "flame-render '$SCRATCH/in.folded' > '$SCRATCH/out.svg'"
	assert_status 0
	grep -q 'in.folded:3: ' <<<"$stderr"
	grep -q '>c (7 samples' "$SCRATCH/out.svg"
}

@test "render hostile: perf script text given by mistake: no valid line, an SVG saying so, exit 2" {
	printf 'my work  9631  1497.193500:    2004008 cpu-clock:ppp: \n\t    11bc spin_leaf+0x43 (/opt/x)\n\n' > "$SCRATCH/in.txt"
	run_split sh -c "flame-render '$SCRATCH/in.txt' > '$SCRATCH/out.svg'"
	assert_status 2
	grep -q 'No valid input' "$SCRATCH/out.svg"
	xml_wellformed "$SCRATCH/out.svg"
}

@test "render hostile: binary garbage: counted warnings and a well-formed SVG" {
	awk 'BEGIN { srand(3); for (i = 0; i < 200000; i++) printf "%c", int(rand() * 256) }' > "$SCRATCH/in.bin"
	run_split sh -c "flame-render '$SCRATCH/in.bin' > '$SCRATCH/out.svg'"
	# (a random line may happen to end in " <digits>": a valid folded line, drawn)
	[ "$status" -eq 0 ] || [ "$status" -eq 2 ]
	grep -q 'ignored [0-9]* lines with invalid format' <<<"$stderr"
	xml_wellformed "$SCRATCH/out.svg"
}
