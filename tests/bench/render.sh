# flame-render: MB/s of folded input and peak RSS on deep-stacks.folded and on the 371 MB
# wide.folded (60 process names per stack; default settings: a 32M buffer), and the size of the SVG (frames under --minwidth are
# not written). Then memory bounded by --buffer-size: wide.folded with a 64 MB buffer, and ten
# copies of it (3.7 GB, 8.8 million lines) through a pipe, the distinct stacks spilled to sorted
# temporary files. flamegraph.pl's time on deep-stacks.folded is in ../shared/bench/README.md (1.2 s).
# Each figure line (like tests/bench/lib.sh's) also gives the CPU time (user + system, of the whole
# command) and the MB/s it stands for: on a shared machine the wall time includes waiting for a CPU.
out=$(mktemp)
m=$(mktemp)
trap 'rm -f "$out" "$m"' EXIT
render_run() {
	local label=$1 bytes=$2 units=$3 unit_name=$4
	shift 5
	"$MEASURE" -o "$m" -- "$@" || { echo "$label: FAILED (exit $?)"; cat "$m"; return 1; }
	awk -v label="$label" -v bytes="$bytes" -v units="$units" -v un="$unit_name" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		w = v["wall_s"]; if (w <= 0) w = 0.001
		c = v["user_s"] + v["sys_s"]; if (c <= 0) c = 0.001
		printf "%s: %.3f s, %.1f MB/s, %d %s/s, peak RSS %.1f MB; CPU %.3f s, %.1f MB/s\n",
			label, w, bytes / w / 1e6, units / w, un, v["maxrss_kb"] / 1024, c, bytes / c / 1e6
	}' "$m"
}
for name in deep-stacks wide; do
	in=$BENCH_DIR/$name.folded
	[ -s "$in" ] || { echo "render $name: $in missing"; continue; }
	bytes=$(stat -c %s "$in")
	lines=$(wc -l < "$in")
	render_run "render $name.folded ($lines lines)" "$bytes" "$lines" lines -- \
		sh -c "'$FLAME_BIN/flame-render' '$in' > '$out'"
	echo "render $name.folded: SVG $(stat -c %s "$out") bytes, $(grep -c '^<g><title>' "$out") frames drawn"
	render_run "render $name.folded from a pipe" "$bytes" "$lines" lines -- \
		sh -c "cat '$in' | '$FLAME_BIN/flame-render' > '$out'"
done
in=$BENCH_DIR/wide.folded
if [ -s "$in" ]; then
	bytes=$(stat -c %s "$in")
	lines=$(wc -l < "$in")
	# Issue 19's target, default settings: peak RSS <= 1/4 of inferno-flamegraph's, >= 2x its speed.
	inferno=${FLAME_INFERNO_FLAMEGRAPH:-$(command -v inferno-flamegraph || true)}
	if [ -n "$inferno" ]; then
		render_run "inferno-flamegraph wide.folded (default settings)" "$bytes" "$lines" lines -- \
			sh -c "'$inferno' '$in' > '$out'"
	else
		echo "inferno-flamegraph: not available, not measured (set FLAME_INFERNO_FLAMEGRAPH)"
	fi
	render_run "render wide.folded, --buffer-size 0 (no limit)" "$bytes" "$lines" lines -- \
		sh -c "'$FLAME_BIN/flame-render' --buffer-size 0 '$in' > '$out'"
	render_run "render wide.folded, --buffer-size 64M" "$bytes" "$lines" lines -- \
		sh -c "'$FLAME_BIN/flame-render' --buffer-size 64M '$in' > '$out'"
	render_run "render 10 x wide.folded from a pipe, --buffer-size 64M" "$((bytes * 10))" "$((lines * 10))" lines -- \
		sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$in'; done | '$FLAME_BIN/flame-render' --buffer-size 64M > '$out'"
	echo "render 10 x wide.folded: SVG $(stat -c %s "$out") bytes, $(grep -c '^<g><title>' "$out") frames drawn"
fi
# Zero-count lines with --minwidth 0: every empty frame looks for an equal one closed at the same
# time (flamegraph.pl's frame key); 300,000 of them (once quadratic: 100,000 took 16 s).
zero=$(mktemp)
awk 'BEGIN { print "main 1"; for (i = 0; i < 300000; i++) printf "main;f%d 0\n", i }' > "$zero"
render_run "render 300000 zero-count lines, --minwidth 0" "$(stat -c %s "$zero")" 300001 lines -- \
	sh -c "'$FLAME_BIN/flame-render' --minwidth 0 '$zero' > '$out'"
rm -f "$zero"
