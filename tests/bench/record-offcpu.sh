# flame-record --off-cpu: wall overhead on a switch-heavy workload (two processes ping-ponging a
# byte over pipes, tests/workloads/pingpong.c) at about 10k blocking switches/s and at the most
# this machine does (about 100k/s on an idle one), beside recording without --off-cpu and beside
# perf record -e sched:sched_switch -g followed by perf script (where perf and tracefs allow it);
# the records --off-cpu lost. Shuffled rounds, medians of per-round ratios, as record.sh does.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
${FLAME_CC:-cc} -O2 -g -fno-omit-frame-pointer -o "$w/pingpong" tests/workloads/pingpong.c
runs=${FLAME_BENCH_OFFCPU_RUNS:-5}

kinds="alone record offcpu"
if command -v perf > /dev/null && perf record -q -e sched:sched_switch -g -o "$w/probe.data" -- true > /dev/null 2>&1; then
	kinds="$kinds perf"
fi
# "label rounds spin_us": spin_us of CPU per side per round sets the rate.
for setting in "10k 10000 25" "max 40000 0"; do
	set -- $setting
	label=$1 rounds=$2 spin=$3
	: > "$w/runs"
	: > "$w/lost"
	for i in $(seq "$runs"); do
		for kind in $(printf '%s\n' $kinds | shuf); do
			case $kind in
			alone) "$MEASURE" -o "$w/m" -- "$w/pingpong" "$rounds" "$spin" 2> "$w/rate" > /dev/null ;;
			record) "$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" -q -o "$w/out.txt" -- "$w/pingpong" "$rounds" "$spin" > /dev/null 2>&1 ;;
			offcpu) "$MEASURE" -o "$w/m" -- "$FLAME_BIN/flame-record" --off-cpu -o "$w/offcpu.txt" -- "$w/pingpong" "$rounds" "$spin" > /dev/null 2> "$w/summary" &&
				awk '/ samples, / { for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^lost/) l = $i }
				     /switch-outs lacked/ { u = $3 } END { print (l + 0), (u + 0) }' "$w/summary" >> "$w/lost" ;;
			perf) "$MEASURE" -o "$w/m" -- sh -c 'perf record -q -e sched:sched_switch -g -o "$1/perf.data" -- "$1/pingpong" "$2" "$3" &&
				perf script -i "$1/perf.data" > /dev/null' sh "$w" "$rounds" "$spin" > /dev/null 2>&1 ;;
			esac || { echo "record-offcpu: $kind run failed"; cat "$w/m"; exit 1; }
			echo "$i $kind $(field wall_s "$w/m")" >> "$w/runs"
		done
	done
	samples=$(grep -c ' offcpu-time:' "$w/offcpu.txt" || true)
	awk -v label="$label" -v n="$runs" -v rate="$(awk '{ print $2 }' "$w/rate")" -v samples="$samples" \
		-v lost="$(awk '{ l += $1; u += $2 } END { printf "%d records lost, %d switch-outs uncharged", l, u }' "$w/lost")" \
		-v load="$(cut -d' ' -f1 /proc/loadavg)" '
	function med(a, k,   i, j, t) {
		for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return a[int((k + 1) / 2)]
	}
	{ wall[$1, $2] = $3 }
	END {
		for (i = 1; i <= n; i++) {
			wa[i] = wall[i, "alone"]; wr[i] = wall[i, "record"]; wo[i] = wall[i, "offcpu"]
			ra[i] = wall[i, "record"] / wall[i, "alone"]; oa[i] = wall[i, "offcpu"] / wall[i, "alone"]; or[i] = wall[i, "offcpu"] / wall[i, "record"]
		}
		printf "record --off-cpu, ping-pong at %s (%s blocking switches/s alone), %d shuffled rounds (load average %s): alone %.3f s, flame-record %.3f s, flame-record --off-cpu %.3f s (%d offcpu-time samples in the last run)\n",
			label, rate, n, load, med(wa, n), med(wr, n), med(wo, n), samples
		printf "record --off-cpu at %s wall overhead (medians of per-round ratios): %+.1f%% over flame-record without it; flame-record %+.1f%% and --off-cpu %+.1f%% over alone; %s in all rounds\n",
			label, (med(or, n) - 1) * 100, (med(ra, n) - 1) * 100, (med(oa, n) - 1) * 100, lost
		if ((1, "perf") in wall) {
			for (i = 1; i <= n; i++) { wp[i] = wall[i, "perf"]; po[i] = wall[i, "offcpu"] / wall[i, "perf"]; pa[i] = wall[i, "perf"] / wall[i, "alone"] }
			printf "perf record -e sched:sched_switch -g + perf script at %s: %.3f s, %+.1f%% over alone; flame-record --off-cpu %+.1f%% beside it\n",
				label, med(wp, n), (med(pa, n) - 1) * 100, (med(po, n) - 1) * 100
		} else {
			printf "perf record -e sched:sched_switch: not available here (no perf, or tracefs not allowed)\n"
		}
	}' "$w/runs"
done
