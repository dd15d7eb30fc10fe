# Sourced by tests/bench/*.sh: run a command under measure and print one figures line.
# bench_run LABEL INPUT_BYTES UNITS UNIT_NAME -- command...   (stdin/stdout of the command as given)
# Prints: LABEL: 1.234 s, 185.2 MB/s, 12,345 UNIT_NAME/s, peak RSS 12.3 MB
# The command runs BENCH_REPEAT times (default 3): the figures are the median wall time and the
# largest peak RSS, since the machines are shared and one run can be slowed by a neighbour.
bench_run() {
	local label=$1 bytes=$2 units=$3 unit_name=$4 runs=${BENCH_REPEAT:-3} m i
	shift 5
	m=$(mktemp)
	for i in $(seq "$runs"); do
		"$MEASURE" -o "$m.$i" -- "$@" || { echo "$label: FAILED (exit $?)"; cat "$m.$i"; rm -f "$m"*; return 1; }
		cat "$m.$i" >> "$m"
	done
	awk -v label="$label" -v bytes="$bytes" -v units="$units" -v un="$unit_name" -v runs="$runs" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		wall[NR] = v["wall_s"] + 0
		if (v["maxrss_kb"] + 0 > rss) rss = v["maxrss_kb"] + 0
	} END {
		n = asort_(wall, NR)
		w = wall[int((NR + 1) / 2)]; if (w <= 0) w = 0.001
		line = sprintf("%s: %.3f s", label, w)
		if (bytes > 0) line = line sprintf(", %.1f MB/s", bytes / w / 1e6)
		if (units > 0) line = line sprintf(", %d %s/s", units / w, un)
		printf "%s, peak RSS %.1f MB%s\n", line, rss / 1024, (runs > 1 ? sprintf(" (median of %d)", runs) : "")
	}
	function asort_(a, n,   i, j, t) {	# insertion sort: mawk has no asort
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n
	}' "$m"
	rm -f "$m"*
}

# Figures from a measure output file: field NAME FILE; cpu FILE (user + system seconds).
field() { sed -E "s/.*$1=([^ ]+).*/\\1/" "$2"; }
cpu() { awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } print v["user_s"] + v["sys_s"] }' "$1"; }
# The median of numbers on stdin, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
