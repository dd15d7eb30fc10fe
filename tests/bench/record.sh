# flame-record: wall-time overhead on a CPU-bound workload at -F 999 (the same fixed work with and
# without recording, runs interleaved, medians), samples per second written (text to a file, and
# through flame-collapse), peak RSS; start+stop time on `true`; perf record's figures beside
# them when perf is installed.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
${FLAME_CC:-cc} -O2 -g -fno-omit-frame-pointer -o "$w/hotcold" tests/workloads/hotcold.c
rounds=${FLAME_BENCH_RECORD_ROUNDS:-2500}       # ~3 s of CPU on a 2020s x86 core
runs=${FLAME_BENCH_RECORD_RUNS:-5}

for i in $(seq "$runs"); do
	"$MEASURE" -o "$w/m" -- "$w/hotcold" 0 "$rounds" > /dev/null && { field wall_s "$w/m" >> "$w/alone"; cpu "$w/m" >> "$w/alone_cpu"; }
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -F 999 -o "$w/out.txt" -- "$w/hotcold" 0 "$rounds" > /dev/null 2>&1 &&
		{ field wall_s "$w/m" >> "$w/rec"; cpu "$w/m" >> "$w/rec_cpu"; field maxrss_kb "$w/m" >> "$w/rss"; }
done
alone=$(median < "$w/alone")
rec=$(median < "$w/rec")
samples=$(grep -c '^$' "$w/out.txt")
bytes=$(stat -c %s "$w/out.txt")
awk -v a="$alone" -v r="$rec" -v ac="$(median < "$w/alone_cpu")" -v rc="$(median < "$w/rec_cpu")" -v s="$samples" -v b="$bytes" \
    -v rss="$(median < "$w/rss")" -v n="$runs" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "record -F 999, CPU-bound workload (median of %d, load average %s): alone %.3f s, recorded %.3f s: wall overhead %+.1f%%; CPU time %.3f -> %.3f s (%+.1f%%, recorder and kernel sampling included); %d samples (%.0f/s, %.1f MB of text), peak RSS %.1f MB\n",
		n, load, a, r, (r / a - 1) * 100, ac, rc, (rc / ac - 1) * 100, s, s / r, b / 1e6, rss / 1024
}'
# The recorder's own CPU time, apart from the workload's: -p on a process doing the same work, and
# on one doing a tenth of it, to split the fixed cost (mostly reading /proc/kallsyms) from the cost
# per sample.
for n in $((rounds / 10)) "$rounds"; do
	"$w/hotcold" 0 "$n" > /dev/null &
	target=$!
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -F 999 -o "$w/p.txt" -p "$target"
	wait "$target"
	echo "$(cpu "$w/m") $(grep -c '^$' "$w/p.txt") $(field wall_s "$w/m")" >> "$w/self"
done
awk 'NR == 1 { c1 = $1; s1 = $2 } NR == 2 { c2 = $1; s2 = $2; wall = $3 } END {
	per = s2 > s1 ? (c2 - c1) / (s2 - s1) : 0
	if (per < 0) per = 0
	printf "flame-record itself (-p, same work): %.3f s CPU over %.3f s (%.1f%% of one CPU): about %.0f ms once (kallsyms, ELF files) + %.1f us per sample\n",
		c2, wall, c2 / wall * 100, (c2 - per * s2) * 1000, per * 1e6
}' "$w/self"
# The whole pipeline, to a folded file.
bench_run "record -F 999 | flame-collapse (pipeline)" 0 "$samples" samples -- \
	sh -c "'$FLAME_BIN/flame-record' -q -F 999 -- '$w/hotcold' 0 '$rounds' 2>/dev/null | '$FLAME_BIN/flame-collapse' > '$w/out.folded'"
# Start and stop: recording a command that does nothing.
for i in $(seq 20); do
	"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -F 999 -o "$w/true.txt" -- true && field wall_s "$w/m" >> "$w/start"
done
echo "record -- true (start + stop, median of 20): $(median < "$w/start") s"

if command -v perf > /dev/null && perf record -q -o "$w/probe.data" -- true 2>/dev/null; then
	for i in $(seq "$runs"); do
		"$MEASURE" -o "$w/m" -- perf record -q -F 999 -g -o "$w/perf.data" -- "$w/hotcold" 0 "$rounds" > /dev/null 2>&1 &&
			field wall_s "$w/m" >> "$w/perf"
	done
	"$MEASURE" -o "$w/m" -- sh -c "perf script -i '$w/perf.data' > '$w/perf.txt' 2>/dev/null"
	script=$(field wall_s "$w/m")
	for i in $(seq 20); do
		"$MEASURE" -o "$w/m" -- perf record -q -F 999 -g -o "$w/perf-true.data" -- true > /dev/null 2>&1 &&
			field wall_s "$w/m" >> "$w/pstart"
	done
	awk -v a="$alone" -v r="$(median < "$w/perf")" -v s="$script" -v t="$(median < "$w/pstart")" 'BEGIN {
		printf "perf record -F 999 -g, same workload: %.3f s: overhead %+.1f%%, then perf script %.3f s; perf record -- true: %.3f s\n",
			r, (r / a - 1) * 100, s, t
	}'
fi
