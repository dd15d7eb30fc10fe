#!/usr/bin/env bats
# flame-diff against difffolded.pl's and inferno-diff-folded's outputs in the shared corpus
# (see its README: expected/diff/<a>--<b>.<opts>.txt and expected/diff/inferno-results/).
# Both reference tools print their lines in hash order, so the oracle is the set of lines:
# we compare sorted. flame-diff itself writes sorted output, which is checked too.

load helpers

setup() {
	require_corpus
	export LC_ALL=C
	E=$CORPUS/expected/diff
	R=$E/inferno-results
	D=$CORPUS/folded/diff
	SCRATCH=$(mktemp -d)
}

teardown() {
	rm -rf "$SCRATCH"
}

# The folded file named <stem> in the corpus README's naming scheme.
corpus_input() {
	local f
	for f in "$CORPUS/expected/collapse/$1.folded" "$CORPUS/folded/$1.folded" "$CORPUS/folded/diff/$1.txt"; do
		if [ -f "$f" ]; then echo "$f"; return 0; fi
	done
	echo "no corpus input for '$1'" >&2
	return 1
}

@test "corpus: every expected/diff/*.txt of difffolded.pl, sorted, byte for byte" {
	local expected name a rest b opts checked=0 failed=()
	for expected in "$E"/*.txt; do
		name=$(basename "$expected" .txt)
		a=${name%%--*}
		rest=${name#*--}
		b=${rest%.*}
		case ${rest##*.} in
		default) opts=() ;;
		n) opts=(-n) ;;
		s) opts=(-s) ;;
		n-s) opts=(-n -s) ;;
		*) echo "unknown options in $name"; return 1 ;;
		esac
		"$FLAME_BIN/flame-diff" "${opts[@]}" "$(corpus_input "$a")" "$(corpus_input "$b")" \
			>"$SCRATCH/out" 2>"$SCRATCH/err" || failed+=("$name (exit $?)")
		# Our order: sorted by stack, byte order.
		sort -c "$SCRATCH/out" || failed+=("$name (output not sorted)")
		# difffolded.pl turns a blank or unparseable line into a line " 0 0" (an empty stack with
		# no counts): its bug, not the behaviour to copy. flame-diff warns with file:line and skips
		# the line instead (as inferno does), so such oracle lines are dropped here, and a warning
		# must then have been printed.
		grep -vx ' 0 0' "$expected" | sort >"$SCRATCH/want"
		if ! cmp -s "$SCRATCH/want" <(sort "$expected"); then
			grep -q 'line skipped' "$SCRATCH/err" || failed+=("$name (oracle has ' 0 0' but no warning)")
		else
			if [ -s "$SCRATCH/err" ]; then failed+=("$name (unexpected stderr: $(head -n1 "$SCRATCH/err"))"); fi
		fi
		cmp -s "$SCRATCH/out" "$SCRATCH/want" || failed+=("$name")
		checked=$((checked + 1))
	done
	echo "checked $checked cases; failed: ${failed[*]:-none}"
	[ "$checked" -ge 20 ]
	[ "${#failed[@]}" -eq 0 ]
}

@test "corpus: inferno default, --normalize and --strip-hex on before.txt/after.txt" {
	run_split flame-diff "$D/before.txt" "$D/after.txt"
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") <(sort "$R/default.txt")
	run_split flame-diff --normalize "$D/before.txt" "$D/after.txt"
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") <(sort "$R/normalize.txt")
	run_split flame-diff --strip-hex "$D/before.txt" "$D/after.txt"
	assert_status 0
	assert_stderr_is ''
	diff <(printf '%s\n' "$output") <(sort "$R/strip_hex.txt")
	grep -q '0x\.\.\.;system_call_\[k\];0x\.\.\. 1 0$' <<<"$output"
}

@test "corpus: fractional counts are kept as difffolded.pl keeps them; inferno's truncation is their integer part" {
	# A deliberate difference from inferno (see flame-diff(1)): inferno truncates fractional
	# counts and warns; difffolded.pl keeps them and prints them as Perl numbers (%.15g). We keep
	# them: nothing is lost, and flame-render reads fractions as flamegraph.pl does.
	run_split flame-diff "$D/before_fractionals.txt" "$D/after.txt"
	assert_status 0
	assert_stderr_is ''
	sort -c <<<"$output"
	grep -qx 'dd;\[unknown\];read 14.2343983248723 13' <<<"$output"     # 14.2343983248722834234
	grep -qx 'dd;\[unknown\];read;system_call_\[k\];__fdget_pos_\[k\] 11.98 15' <<<"$output"
	grep -qx 'dd;\[unknown\];0x234f2abc;system_call_\[k\];0xF1BDE348 1 0' <<<"$output"   # "1.0"
	grep -q ' 20 15$' <<<"$output"                                        # "20."
	# Truncated to integers, the lines are inferno's.
	awk '{ n = match($0, / [^ ]+ [^ ]+$/); split(substr($0, n + 1), c, " ")
	       print substr($0, 1, n - 1) " " int(c[1]) " " int(c[2]) }' <<<"$output" >"$SCRATCH/truncated"
	diff "$SCRATCH/truncated" <(sort "$R/fractionals.txt")
}

@test "corpus: a malformed line in before (bad_before.txt) is warned once with file:line and skipped" {
	# difffolded.pl would print an extra " 0 0" line for it (see above); inferno warns and skips,
	# as we do, so the stack of the skipped line counts 0 before.
	run_split flame-diff "$D/bad_before.txt" "$D/after.txt"
	assert_status 0
	[ "$(grep -c 'bad_before.txt:3: ' <<<"$stderr")" -eq 1 ]
	[ "$(grep -c 'line skipped' <<<"$stderr")" -eq 1 ]
	sed 's/^\(dd;\[unknown\];read;system_call_\[k\];__fdget_pos_\[k\]\) 11 15$/\1 0 15/' "$R/default.txt" \
		| sort >"$SCRATCH/want"
	diff <(printf '%s\n' "$output") "$SCRATCH/want"
	run cmp -s "$SCRATCH/want" <(sort "$R/default.txt")   # the edit above did change a line
	assert_status 1
}
