#!/usr/bin/env bats
# flame-render against flamegraph.pl: for every SVG in the corpus (flamegraph.pl --hash with the
# options named in the file), the same frames: name, count and percentage (the tooltip), x, y,
# width (to 0.01 px) and fill colour. The layout of the rest of the document is ours.

load helpers
load render-helpers

# The options a corpus file name stands for (see the corpus README).
options_for() {
	case $1 in
	default) ;;
	title) echo "--title=Custom title" ;;
	subtitle-notes) printf '%s\n' --subtitle=sub "--notes=some notes" ;;
	width800) echo --width=800 ;;
	height24-fontsize14) printf '%s\n' --height=24 --fontsize=14 ;;
	fontsize10) echo --fontsize=10 ;;
	minwidth2) echo --minwidth=2 ;;
	minwidth0.5pct) echo --minwidth=0.5% ;;
	reverse) echo --reverse ;;
	inverted) echo --inverted ;;
	flamechart) echo --flamechart ;;
	countname) echo --countname=bytes ;;
	countname-nametype) printf '%s\n' --countname=bytes --nametype=Func: ;;
	factor0.5) echo --factor=0.5 ;;
	total) echo --total=1000000 ;;
	font) printf '%s\n' --fonttype=monospace --fontwidth=0.6 ;;
	negate) echo --negate ;;
	colors-*) echo "--colors=${1#colors-}" ;;
	bgcolors-*) echo "--bgcolors=${1#bgcolors-}" ;;
	*) return 1 ;;
	esac
}

input_for() {
	case $1 in
	java-diff) echo "$CORPUS/expected/diff/perf-java-stacks-01.default--perf-java-stacks-02.default.default.txt" ;;
	before-after-n) echo "$CORPUS/expected/diff/before--after.n.txt" ;;
	example-diff-n) echo "$CORPUS/expected/diff/example--example-scaled.n.txt" ;;
	*) echo "$CORPUS/folded/$1.folded" ;;
	esac
}

@test "render corpus: every flamegraph.pl SVG has the same frames, positions and colours" {
	require_corpus
	local n=0 failed=0 svg base input opts
	for svg in "$CORPUS"/expected/render/*.svg; do
		base=$(basename "$svg" .svg)
		input=$(input_for "${base%%.*}")
		mapfile -t opts < <(options_for "${base#*.}") || { echo "no options known for $base"; return 1; }
		[ -f "$input" ] || { echo "input missing for $base: $input"; return 1; }
		flame-render --hash "${opts[@]}" "$input" > "$BATS_TEST_TMPDIR/out.svg" 2>/dev/null
		frames_of "$BATS_TEST_TMPDIR/out.svg" > "$BATS_TEST_TMPDIR/ours"
		frames_of "$svg" > "$BATS_TEST_TMPDIR/theirs"
		if ! cmp -s "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs"; then
			echo "DIFFERS: $base ($(wc -l < "$BATS_TEST_TMPDIR/ours") frames vs $(wc -l < "$BATS_TEST_TMPDIR/theirs"))"
			diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs" | head -n 6
			failed=$((failed + 1))
		fi
		[ -s "$BATS_TEST_TMPDIR/theirs" ] || { echo "no frames extracted from $svg"; return 1; }
		n=$((n + 1))
	done
	echo "$n SVGs compared, $failed differ"
	[ "$n" -ge 60 ]
	[ "$failed" -eq 0 ]
}

@test "render corpus: image height and frame count follow minwidth pruning like flamegraph.pl" {
	require_corpus
	for base in example.minwidth2 example.minwidth0.5pct vertx.total; do
		mapfile -t opts < <(options_for "${base#*.}")
		flame-render --hash "${opts[@]}" "$(input_for "${base%%.*}")" > "$BATS_TEST_TMPDIR/out.svg"
		theirs=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$CORPUS/expected/render/$base.svg" | head -n1)
		ours=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$BATS_TEST_TMPDIR/out.svg" | head -n1)
		echo "$base: height $ours vs $theirs"
		[ -n "$ours" ]
		[ "$ours" = "$theirs" ]
	done
}

@test "render corpus: shuffled input draws the same graph as sorted input" {
	require_corpus
	for f in example vertx java; do
		shuf --random-source=<(yes) "$CORPUS/folded/$f.folded" > "$BATS_TEST_TMPDIR/shuffled"
		refute cmp -s "$BATS_TEST_TMPDIR/shuffled" "$CORPUS/folded/$f.folded"
		cmp <(flame-render --hash "$BATS_TEST_TMPDIR/shuffled") <(flame-render --hash "$CORPUS/folded/$f.folded")
	done
	# Reversed stacks are not sorted either.
	mapfile -t opts < <(options_for reverse)
	flame-render --hash "${opts[@]}" "$CORPUS/folded/example.folded" > "$BATS_TEST_TMPDIR/rev.svg"
	cmp <(frames_of "$BATS_TEST_TMPDIR/rev.svg") <(frames_of "$CORPUS/expected/render/example.reverse.svg")
}
