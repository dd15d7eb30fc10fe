# record/unwind.c (--call-graph dwarf): the unwinding cost per sample, on a live sample of the
# unit test (10 and 60 frames) and on real perf samples (a C chain and python3), and the end-to-end
# wall and CPU overhead of dwarf sampling at -F 999 on a CPU-bound workload, through the module's
# test sampler (tests/workloads/unwind-sample.c), beside frame-pointer sampling and perf itself.
. tests/bench/lib.sh
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src="record/unwind.c common/util.c"
$cc -std=c11 -D_GNU_SOURCE -O2 -g -pthread -I. -Icommon -o "$tmp/unit" tests/unit/record_unwind.c $src -lm &&
$cc -std=c11 -D_GNU_SOURCE -O2 -I. -Icommon -o "$tmp/sample" tests/workloads/unwind-sample.c $src &&
$cc -O2 -fomit-frame-pointer -o "$tmp/chain" tests/workloads/unwind-chain.c || { echo "record-unwind: build failed"; exit 0; }

"$tmp/unit" --bench 200000 0
"$tmp/unit" --bench 50000 50

if ! "$tmp/sample" -F 99 -- true 2>"$tmp/err" >/dev/null; then
	echo "record-unwind: no perf events here ($(cat "$tmp/err")): sampling figures skipped"
	exit 0
fi
printf 'real samples, unwind-chain: '
"$tmp/sample" -F 999 -- "$tmp/chain" 2 2>&1 >/dev/null | sed 's/^unwind-sample: //'
if [ -x /usr/bin/python3 ]; then
	printf 'real samples, python3:      '
	"$tmp/sample" -F 999 -- /usr/bin/python3 -c '
import json
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
for i in range(1500): json.dumps(list(range(2000))); fib(15)' 2>&1 >/dev/null | sed 's/^unwind-sample: //'
fi

# End to end: the same fixed work alone and sampled; wall and CPU (workload + sampler) against alone,
# each the best of three runs (the machine is shared and noisy).
calls=100000
figures() {
	: > "$tmp/all"
	for _ in 1 2 3; do
		"$MEASURE" -o "$tmp/m" -- "$@" >/dev/null 2>&1
		cat "$tmp/m" >> "$tmp/all"
	done
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		c = v["user_s"] + v["sys_s"]
		if (NR == 1 || v["wall_s"] < w) w = v["wall_s"]
		if (NR == 1 || c < cpu) cpu = c }
		END { print w, cpu }' "$tmp/all"
}
read -r wall0 cpu0 < <(figures "$tmp/chain" -n $calls)
report() {
	local label=$1 wall cpu
	shift
	read -r wall cpu < <(figures "$@")
	awk -v l="$label" -v w="$wall" -v c="$cpu" -v w0="$wall0" -v c0="$cpu0" 'BEGIN {
		printf "%s: %.3f s wall (%+.1f%%), %.3f s CPU (%+.1f%%)\n", l, w, (w / w0 - 1) * 100, c, (c / c0 - 1) * 100 }'
}
echo "unwind-chain -n $calls alone: $wall0 s wall, $cpu0 s CPU"
report "  sampled -F 999, dwarf unwinding, 8 KB stacks" "$tmp/sample" -F 999 -- "$tmp/chain" -n $calls
report "  sampled -F 999, dwarf unwinding, 32 KB stacks" "$tmp/sample" -F 999 -S 32768 -- "$tmp/chain" -n $calls
report "  sampled -F 999, frame pointers only (same copy)" "$tmp/sample" -F 999 -m fp -- "$tmp/chain" -n $calls
if command -v perf >/dev/null; then
	report "  perf record --call-graph dwarf -F 999 (reference)" \
		perf record -q -e cpu-clock -F 999 --call-graph dwarf -o "$tmp/perf.data" -- "$tmp/chain" -n $calls
fi
