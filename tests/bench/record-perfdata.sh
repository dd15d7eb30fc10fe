# flame-record -i beside perf script --no-inline: the whole process, perf.data to text, on (a) a
# ~15 s python3 --call-graph dwarf recording and (b) a frame-pointer recording of a C program
# (tests/workloads/demo.c), both made here by perf record (kept in $BENCH_DIR between runs).
# Shuffled rounds, medians; MB/s of perf.data, µs per sample, CPU, peak RSS, and the speed-up.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
runs=${FLAME_BENCH_PERFDATA_RUNS:-5}
seconds=${FLAME_BENCH_PERFDATA_SECONDS:-15}

if ! command -v perf > /dev/null || ! perf record -q -o "$w/probe.data" -- true > /dev/null 2>&1; then
	echo "record-perfdata: perf is not installed or may not record here: skipped"
	exit 0
fi
py=$BENCH_DIR/perfdata-python3-dwarf.data
fp=$BENCH_DIR/perfdata-c-fp.data
if [ ! -s "$py" ]; then
	echo "record-perfdata: recording python3 for ${seconds}s with --call-graph dwarf (once; kept in $BENCH_DIR)"
	perf record -q -F 999 --call-graph dwarf -o "$py.tmp" -- /usr/bin/python3 -c '
import time
def leaf(n):
    s = 0
    for i in range(n):
        s += i * i
    return s
def middle(n):
    return leaf(n) + leaf(n // 2) + sum(sorted(range(n // 4)))
end = time.time() + '"$seconds"'
while time.time() < end:
    middle(20000)
' > /dev/null 2>&1 && mv "$py.tmp" "$py"
fi
if [ ! -s "$fp" ]; then
	echo "record-perfdata: recording tests/workloads/demo.c with frame pointers (once)"
	${FLAME_CC:-cc} -O2 -g -fno-omit-frame-pointer -o "$w/demo" tests/workloads/demo.c
	# Twice 4000 frames (~5 s of CPU): demo.c goes out of bounds above about 4100.
	perf record -q -g -o "$fp.tmp" -- sh -c "'$w/demo' 4000 && '$w/demo' 4000" > /dev/null 2>&1 && mv "$fp.tmp" "$fp"
fi

# figures LABEL FILE: runs perf script and flame-record on FILE in alternation, prints one line each.
figures() {
	local label=$1 data=$2 size samples i
	size=$(stat -c %s "$data")
	: > "$w/perf"
	: > "$w/ours"
	for i in $(seq "$runs"); do
		"$MEASURE" -o "$w/m" -- sh -c "perf script --no-inline -i '$data' > '$w/perf.txt' 2> /dev/null" &&
			echo "$(field wall_s "$w/m") $(cpu "$w/m") $(field maxrss_kb "$w/m")" >> "$w/perf"
		"$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q --no-inline -i "$data" -o "$w/ours.txt" &&
			echo "$(field wall_s "$w/m") $(cpu "$w/m") $(field maxrss_kb "$w/m")" >> "$w/ours"
	done
	samples=$(grep -c '^$' "$w/ours.txt")
	[ "$samples" -gt 0 ] || { echo "$label: no samples?"; return; }
	for who in perf ours; do
		awk -v who="$who" -v label="$label" -v size="$size" -v n="$samples" -v runs="$runs" \
		    -v wall="$(awk '{ print $1 }' "$w/$who" | median)" -v cpu="$(awk '{ print $2 }' "$w/$who" | median)" \
		    -v rss="$(awk '{ print $3 }' "$w/$who" | sort -n | tail -n1)" 'BEGIN {
			name = who == "perf" ? "perf script --no-inline" : "flame-record -i"
			printf "%s, %s: %.3f s (%.3f s CPU), %.1f MB/s of perf.data, %.1f us per sample, peak RSS %.1f MB (%.1f MB, %d samples; median of %d)\n",
				label, name, wall, cpu, size / wall / 1e6, wall / n * 1e6, rss / 1024, size / 1e6, n, runs
		}'
	done
	awk -v p="$(awk '{ print $1 }' "$w/perf" | median)" -v o="$(awk '{ print $1 }' "$w/ours" | median)" \
	    -v pc="$(awk '{ print $2 }' "$w/perf" | median)" -v oc="$(awk '{ print $2 }' "$w/ours" | median)" \
	    -v label="$label" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
		printf "%s: flame-record -i is %.1fx faster than perf script --no-inline (%.1fx in CPU time; load average %s)\n",
			label, (o > 0 ? p / o : 0), (oc > 0 ? pc / oc : 0), load
	}'
}

[ -s "$py" ] && figures "(a) python3 --call-graph dwarf" "$py"
[ -s "$fp" ] && figures "(b) C program, frame pointers" "$fp"
true
