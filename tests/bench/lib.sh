# Shared by tests/bench/*.sh: run a command under measure and print one figures line.
# bench_run LABEL INPUT_BYTES UNITS UNIT_NAME -- command...   (stdin/stdout of the command as given)
# Prints: LABEL: 1.234 s, 185.2 MB/s, 12,345 UNIT_NAME/s, peak RSS 12.3 MB
bench_run() {
	local label=$1 bytes=$2 units=$3 unit_name=$4
	shift 5
	local m
	m=$(mktemp)
	"$MEASURE" -o "$m" -- "$@" || { echo "$label: FAILED (exit $?)"; cat "$m"; rm -f "$m"; return 1; }
	awk -v label="$label" -v bytes="$bytes" -v units="$units" -v un="$unit_name" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		w = v["wall_s"]; if (w <= 0) w = 0.001
		line = sprintf("%s: %.3f s", label, w)
		if (bytes > 0) line = line sprintf(", %.1f MB/s", bytes / w / 1e6)
		if (units > 0) line = line sprintf(", %d %s/s", units / w, un)
		printf "%s, peak RSS %.1f MB\n", line, v["maxrss_kb"] / 1024
	}' "$m"
	rm -f "$m"
}
