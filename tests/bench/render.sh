# flame-render: MB/s of folded input and peak RSS on deep-stacks.folded and on the 371 MB
# wide.folded (60 process names per stack), and the size of the SVG (frames under --minwidth are
# not written). flamegraph.pl's time on deep-stacks.folded is in ../shared/bench/README.md (1.2 s).
. tests/bench/lib.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for name in deep-stacks wide; do
	in=$BENCH_DIR/$name.folded
	[ -s "$in" ] || { echo "render $name: $in missing"; continue; }
	bytes=$(stat -c %s "$in")
	lines=$(wc -l < "$in")
	bench_run "render $name.folded ($lines lines)" "$bytes" "$lines" lines -- \
		sh -c "'$FLAME_BIN/flame-render' '$in' > '$out'"
	echo "render $name.folded: SVG $(stat -c %s "$out") bytes, $(grep -c '^<g><title>' "$out") frames drawn"
	bench_run "render $name.folded from a pipe" "$bytes" "$lines" lines -- \
		sh -c "cat '$in' | '$FLAME_BIN/flame-render' > '$out'"
done
