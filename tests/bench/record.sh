# flame-record: wall-time overhead on a CPU-bound workload at -F 999, samples per second written
# (text to a file, and through flame-collapse), peak RSS; start+stop time on `true`; perf record's
# figures beside them when perf is installed.
#
# Overhead: the same fixed work run alone, under sample-floor (flame-record's events opened and
# their rings drained unread: the kernel's share, which no recorder can avoid) and under
# flame-record writing its text to a file. Each round runs the three in a shuffled order; the
# figures are medians over rounds of each run's wall time and of each round's ratios, so that a
# neighbour slowing one round does not tilt the comparison.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
${FLAME_CC:-cc} -O2 -g -fno-omit-frame-pointer -o "$w/hotcold" tests/workloads/hotcold.c
rounds=${FLAME_BENCH_RECORD_ROUNDS:-2500}       # ~3 s of CPU on a 2020s x86 core
runs=${FLAME_BENCH_RECORD_RUNS:-9}

kinds="alone floor record"
command -v perf > /dev/null && perf record -q -o "$w/probe.data" -- true > /dev/null 2>&1 && kinds="$kinds perf"
for i in $(seq "$runs"); do
	for kind in $(printf '%s\n' $kinds | shuf); do
		case $kind in
		alone) "$MEASURE" -o "$w/m" -- "$w/hotcold" 0 "$rounds" > /dev/null ;;
		floor) "$MEASURE" -o "$w/m" -- "$FLAME_TOOLS/sample-floor" -F 999 -- "$w/hotcold" 0 "$rounds" > /dev/null 2>&1 ;;
		record) "$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -F 999 -o "$w/out.txt" -- "$w/hotcold" 0 "$rounds" > /dev/null 2>&1 &&
			field maxrss_kb "$w/m" >> "$w/rss" ;;
		perf) "$MEASURE" -o "$w/m" -- perf record -q -F 999 -g -o "$w/perf.data" -- "$w/hotcold" 0 "$rounds" > /dev/null 2>&1 ;;
		esac || { echo "record overhead: $kind run failed"; cat "$w/m"; exit 1; }
		echo "$i $kind $(field wall_s "$w/m") $(cpu "$w/m")" >> "$w/runs"
	done
done
samples=$(grep -c '^$' "$w/out.txt")
bytes=$(stat -c %s "$w/out.txt")
awk -v s="$samples" -v b="$bytes" -v rss="$(median < "$w/rss")" -v n="$runs" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
function med(a, k,   i, j, t) {	# median of a[1..k], sorting in place (mawk has no asort)
	for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return a[int((k + 1) / 2)]
}
{ wall[$1, $2] = $3; cpu[$1, $2] = $4 }
END {
	for (i = 1; i <= n; i++) {
		wa[i] = wall[i, "alone"]; wf[i] = wall[i, "floor"]; wr[i] = wall[i, "record"]; ca[i] = cpu[i, "alone"]; cr[i] = cpu[i, "record"]
		fa[i] = wall[i, "floor"] / wall[i, "alone"]; ra[i] = wall[i, "record"] / wall[i, "alone"]; rf[i] = wall[i, "record"] / wall[i, "floor"]
	}
	a = med(wa, n); f = med(wf, n); r = med(wr, n)
	printf "record -F 999, CPU-bound workload, %d shuffled rounds (load average %s): alone %.3f s, kernel sampling only (sample-floor) %.3f s, flame-record %.3f s\n", n, load, a, f, r
	printf "record -F 999 wall overhead (medians of per-round ratios): flame-record %+.1f%% over alone; kernel sampling only %+.1f%% over alone; flame-record %+.1f%% over kernel sampling only\n",
		(med(ra, n) - 1) * 100, (med(fa, n) - 1) * 100, (med(rf, n) - 1) * 100
	printf "record -F 999 kernel sampling cost on the workload'"'"'s CPU: about %.0f us per sample ((sample-floor - alone) / samples)\n", (f - a) / s * 1e6
	printf "record -F 999 output: %d samples (%.0f/s, %.1f MB of text), CPU time %.3f -> %.3f s (recorder and kernel sampling included), peak RSS %.1f MB\n",
		s, s / r, b / 1e6, med(ca, n), med(cr, n), rss / 1024
	if ((1, "perf") in wall) {
		for (i = 1; i <= n; i++) { wp[i] = wall[i, "perf"]; pa[i] = wall[i, "perf"] / wall[i, "alone"] }
		printf "perf record -F 999 -g, same rounds: %.3f s, wall overhead %+.1f%% (perf.data only: perf script comes after)\n", med(wp, n), (med(pa, n) - 1) * 100
	}
}' "$w/runs"
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

if [[ $kinds == *perf* ]]; then
	"$MEASURE" -o "$w/m" -- sh -c "perf script -i '$w/perf.data' > '$w/perf.txt' 2>/dev/null"
	script=$(field wall_s "$w/m")
	for i in $(seq 20); do
		"$MEASURE" -o "$w/m" -- perf record -q -F 999 -g -o "$w/perf-true.data" -- true > /dev/null 2>&1 &&
			field wall_s "$w/m" >> "$w/pstart"
	done
	echo "perf script on that perf.data: $script s; perf record -- true (start + stop, median of 20): $(median < "$w/pstart") s"
fi
