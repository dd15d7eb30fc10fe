# flame-render: MB/s of folded input and peak RSS on deep-stacks.folded and on the 371 MB
# wide.folded (60 process names per stack), and the size of the SVG (frames under --minwidth are
# not written). Then memory bounded by --buffer-size: wide.folded with a 64 MB buffer, and ten
# copies of it (3.7 GB, 8.8 million lines) through a pipe, the distinct stacks spilled to sorted
# temporary files. flamegraph.pl's time on deep-stacks.folded is in ../shared/bench/README.md (1.2 s).
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
in=$BENCH_DIR/wide.folded
if [ -s "$in" ]; then
	bytes=$(stat -c %s "$in")
	lines=$(wc -l < "$in")
	bench_run "render wide.folded, --buffer-size 64M" "$bytes" "$lines" lines -- \
		sh -c "'$FLAME_BIN/flame-render' --buffer-size 64M '$in' > '$out'"
	bench_run "render 10 x wide.folded from a pipe, --buffer-size 64M" "$((bytes * 10))" "$((lines * 10))" lines -- \
		sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$in'; done | '$FLAME_BIN/flame-render' --buffer-size 64M > '$out'"
	echo "render 10 x wide.folded: SVG $(stat -c %s "$out") bytes, $(grep -c '^<g><title>' "$out") frames drawn"
fi
