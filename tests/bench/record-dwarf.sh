# flame-record --call-graph dwarf end to end: the same fixed work on a CPU-bound workload built
# without frame pointers (tests/workloads/unwind-chain.c), alone, recorded with fp and with dwarf at
# -F 999 (runs interleaved, medians): wall overhead, samples/s, the unwinding cost per sample (as
# flame-record reports it), peak RSS; then perf record --call-graph dwarf + perf script on the
# same work when perf is installed and allowed.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
${FLAME_CC:-cc} -O2 -fomit-frame-pointer -o "$w/chain" tests/workloads/unwind-chain.c
calls=${FLAME_BENCH_DWARF_CALLS:-80000}         # ~2 s of CPU on a 2020s x86 core
runs=${FLAME_BENCH_DWARF_RUNS:-5}

if ! "$FLAME_BIN/flame-record" -q --call-graph dwarf -o /dev/null -- true 2> "$w/err"; then
	echo "record-dwarf: no perf events here ($(cat "$w/err")): skipped"
	exit 0
fi
for i in $(seq "$runs"); do
	"$MEASURE" -o "$w/m" -- "$w/chain" -n "$calls" > /dev/null && field wall_s "$w/m" >> "$w/alone"
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -F 999 -o "$w/fp.txt" -- "$w/chain" -n "$calls" > /dev/null 2>&1 &&
		field wall_s "$w/m" >> "$w/fp"
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -F 999 --call-graph dwarf -o "$w/dwarf.txt" -- "$w/chain" -n "$calls" \
		> /dev/null 2> "$w/err" || continue
	field wall_s "$w/m" >> "$w/dwarf"
	field maxrss_kb "$w/m" >> "$w/rss"
	sed -nE 's/.*unwound [0-9]+ user stacks: ([0-9.]+) frames each, ([0-9.]+) us each.*/\2/p' "$w/err" >> "$w/unwind_us"
	sed -nE 's/.*unwound [0-9]+ user stacks: ([0-9.]+) frames each.*/\1/p' "$w/err" >> "$w/frames"
	sed -nE 's/.*: ([0-9]+) samples, ([0-9]+) lost.*/\1 \2/p' "$w/err" >> "$w/counts"
done
alone=$(median < "$w/alone")
"$FLAME_BIN/flame-collapse" "$w/dwarf.txt" > "$w/dwarf.folded"
whole=$(awk '/;main;chain_a;chain_b;chain_c;leaf( |;)/ { s += $NF } /;leaf( |;)/ { t += $NF } END { printf "%.1f%% of the", t ? s / t * 100 : 0 }' "$w/dwarf.folded")
awk -v a="$alone" -v f="$(median < "$w/fp")" -v d="$(median < "$w/dwarf")" -v n="$runs" \
    -v s="$(awk '{ print $1 }' "$w/counts" | median)" -v lost="$(awk '{ print $2 }' "$w/counts" | median)" \
    -v us="$(median < "$w/unwind_us")" -v fr="$(median < "$w/frames")" -v rss="$(median < "$w/rss")" \
    -v whole="$whole" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "record --call-graph dwarf -F 999, CPU-bound workload without frame pointers (median of %d, load average %s): alone %.3f s, fp %.3f s (%+.1f%%), dwarf %.3f s: wall overhead %+.1f%%; %d samples (%.0f/s, %d lost), %.1f frames and %.2f us of unwinding per sample, peak RSS %.1f MB; whole chain in %s samples in leaf\n",
		n, load, a, f, (f / a - 1) * 100, d, (d / a - 1) * 100, s, s / d, lost, fr, us, rss / 1024, whole
}'

# flame-record's own CPU time, apart from the workload's: -p on a process doing the same work and
# on one doing a tenth of it, to split the fixed cost (kallsyms, ELF files, .eh_frame tables) from
# the cost per sample (decoding, unwinding, symbolizing, writing); --user-only, since reading
# /proc/kallsyms is abandoned when no kernel frame needs it, which would blur the split.
for n in $((calls / 10)) "$calls"; do
	"$w/chain" -n "$n" &
	target=$!
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -F 999 --call-graph dwarf --user-only -o "$w/p.txt" -p "$target"
	wait "$target"
	echo "$(cpu "$w/m") $(grep -c '^$' "$w/p.txt") $(field wall_s "$w/m")" >> "$w/self"
done
awk 'NR == 1 { c1 = $1; s1 = $2 } NR == 2 { c2 = $1; s2 = $2; wall = $3 } END {
	per = s2 > s1 ? (c2 - c1) / (s2 - s1) : 0
	if (per < 0) per = 0
	printf "flame-record --call-graph dwarf --user-only itself (-p, same work): %.3f s CPU over %.3f s (%.1f%% of one CPU): about %.0f ms once + %.1f us per sample\n",
		c2, wall, c2 / wall * 100, (c2 - per * s2) * 1000, per * 1e6
}' "$w/self"

if command -v perf > /dev/null && perf record -q -o "$w/probe.data" -- true 2>/dev/null; then
	for i in $(seq "$runs"); do
		"$MEASURE" -o "$w/m" -- perf record -q -F 999 --call-graph dwarf -o "$w/perf.data" -- "$w/chain" -n "$calls" \
			> /dev/null 2>&1 && { field wall_s "$w/m" >> "$w/perf"; field maxrss_kb "$w/m" >> "$w/perf_rss"; }
	done
	"$MEASURE" -o "$w/m" -- sh -c "perf script -i '$w/perf.data' > '$w/perf.txt' 2>/dev/null"
	script=$(field wall_s "$w/m")
	psamples=$(grep -c '^$' "$w/perf.txt")
	awk -v a="$alone" -v r="$(median < "$w/perf")" -v s="$script" -v n="$psamples" -v size="$(stat -c %s "$w/perf.data")" \
	    -v rss="$(median < "$w/perf_rss")" -v srss="$(field maxrss_kb "$w/m")" 'BEGIN {
		printf "perf record -F 999 --call-graph dwarf, same work: %.3f s (overhead %+.1f%%, %.1f MB perf.data, peak RSS %.1f MB), then perf script %.3f s (%.0f us per sample, peak RSS %.1f MB): %+.1f%% in all\n",
			r, (r / a - 1) * 100, size / 1e6, rss / 1024, s, n ? s / n * 1e6 : 0, srss / 1024, ((r + s) / a - 1) * 100
	}'
else
	echo "perf record --call-graph dwarf: perf not installed or not allowed here, skipped"
fi
