# Inlined frames from DWARF (issue 16) on a Rust release build with debug info
# (tests/workloads/inline.rs, rustc -C opt-level=3 -g) and on C++ templates and std::sort
# (tests/workloads/inline.cc, g++ -O2 -g), the same steps for each: one perf record --call-graph dwarf -F 999
# recording; `perf script` on it with inline expansion (its default) and without, whole process;
# then flame-record's DWARF reader on the same frames (every user address of every sample in the
# binary and in libc, through record_dwarf_info --bench: opening, lookups, cache), per distinct
# address and per sample; and flame-record live with and without --no-inline on the same work
# (its own CPU: the expansion's cost in a recording). Peak RSS for each.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
rounds=${FLAME_BENCH_INLINE_ROUNDS:-1200}     # ~5 s of CPU: ~5,000 samples at -F 999
cxx_n=${FLAME_BENCH_INLINE_CXX_N:-6000000}    # 4 sorts of 6M elements: ~2.5 s of CPU
unit=${FLAME_UNIT:-$PWD/build/unit}/record_dwarf_info
make -s "build/unit/record_dwarf_info" > /dev/null 2>&1 || true
[ -x "$unit" ] || unit=$PWD/build/unit/record_dwarf_info
if ! command -v perf > /dev/null || ! perf record -q -o "$w/probe.data" -- true 2> /dev/null; then
	echo "record-inline: no perf (or not allowed) to compare with: skipped"
	exit 0
fi
depth() { awk 'BEGIN { RS = ""; FS = "\n" } { t++; f += NF - 1 } END { if (t) printf "%.1f", f / t; else print 0 }' "$1"; }
libc=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)

# bench_inline TAG BINARY ARGS...: the whole comparison for one workload (files $w/TAG.*):
# its figures follow a "TAG: BINARY ARGS" line.
bench_inline() {
	local t=$1 bin=$2 samples obj file mode opt
	shift 2
	echo "$t: $bin $*"
	perf record -q -F 999 --call-graph dwarf -o "$w/$t.data" -- "$bin" "$@" > /dev/null 2>&1
	samples=$(perf script -i "$w/$t.data" -F ip 2> /dev/null | grep -c '^$')
	"$MEASURE" -o "$w/$t.m.perf" -- sh -c "perf script -i '$w/$t.data' > '$w/$t.perf.txt' 2> /dev/null"
	"$MEASURE" -o "$w/$t.m.perf-no" -- sh -c "perf script --no-inline -i '$w/$t.data' > '$w/$t.perf-no.txt' 2> /dev/null"
	echo "perf script (inline) on $samples samples: $(field wall_s "$w/$t.m.perf") s, peak RSS $(($(field maxrss_kb "$w/$t.m.perf") / 1024)) MB, $(depth "$w/$t.perf.txt") frames a sample; --no-inline: $(field wall_s "$w/$t.m.perf-no") s, $(depth "$w/$t.perf-no.txt") frames a sample"

	# flame-record -i on the same recording, whole process, with inline expansion and without.
	"$MEASURE" -o "$w/$t.m.fr-i" -- "$FLAME_BIN/flame-record" -i "$w/$t.data" -o "$w/$t.fr-i.txt" 2> /dev/null
	"$MEASURE" -o "$w/$t.m.fr-i-no" -- "$FLAME_BIN/flame-record" --no-inline -i "$w/$t.data" -o "$w/$t.fr-i-no.txt" 2> /dev/null
	awk -v p="$(field wall_s "$w/$t.m.perf")" -v f="$(field wall_s "$w/$t.m.fr-i")" -v pn="$(field wall_s "$w/$t.m.perf-no")" -v fn="$(field wall_s "$w/$t.m.fr-i-no")" \
	    -v prss="$(field maxrss_kb "$w/$t.m.perf")" -v frss="$(field maxrss_kb "$w/$t.m.fr-i")" -v n="$samples" \
	    -v pd="$(depth "$w/$t.perf.txt")" -v fd="$(depth "$w/$t.fr-i.txt")" 'BEGIN {
		if (f <= 0) f = 0.001; if (fn <= 0) fn = 0.001
		printf "flame-record -i (inline): %.3f s, %.0f us per sample, peak RSS %.1f MB, %s frames a sample; perf script: %.3f s, %.0f us per sample, peak RSS %.1f MB, %s frames a sample: %.1fx faster (--no-inline: %.3f s vs %.3f s, %.1fx)\n",
			f, f * 1e6 / n, frss / 1024, fd, p, p * 1e6 / n, prss / 1024, pd, p / f, fn, pn, pn / fn
	}'

	# The same frames through our reader: the addresses perf printed for each object (file addresses).
	perf script --no-inline -F ip,dso -i "$w/$t.data" 2> /dev/null | awk -v a="$bin" -v b="$libc" -v dir="$w" -v t="$t" '
		NF == 2 { d = $2; gsub(/[()]/, "", d); if (d == a) print $1 > (dir "/" t ".addrs.bin"); else if (d == b) print $1 > (dir "/" t ".addrs.libc") }'
	for obj in bin libc; do
		file=$bin
		[ "$obj" = libc ] && file=$libc
		[ -s "$w/$t.addrs.$obj" ] || continue
		"$MEASURE" -o "$w/$t.m.$obj" -- "$unit" --bench "$file" "$w/$t.addrs.$obj" > "$w/$t.b.$obj"
		echo "dwarf reader, $obj frames: $(cat "$w/$t.b.$obj"), wall $(field wall_s "$w/$t.m.$obj") s, peak RSS $(($(field maxrss_kb "$w/$t.m.$obj") / 1024)) MB"
	done
	awk -v perf="$(field wall_s "$w/$t.m.perf")" -v perfno="$(field wall_s "$w/$t.m.perf-no")" -v n="$samples" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } us += v["us"]; d += v["distinct"]; l += v["lookups"] }
		END { if (!us) exit; printf "inline expansion for the %d samples: ours %.1f ms (%.2f us per distinct address, %.2f us per sample), perf script %.0f ms more with inline than without (%.0f us per sample): %.0fx\n",
			n, us / 1000, us / d, us / n, (perf - perfno) * 1000, (perf - perfno) * 1e6 / n, (perf - perfno) * 1e6 / us }' "$w/$t.b.bin" "$w/$t.b.libc" 2> /dev/null

	# flame-record live, the same work, with and without inline expansion: its own CPU time and RSS.
	for mode in inline no-inline; do
		opt=
		[ "$mode" = no-inline ] && opt=--no-inline
		"$MEASURE" -o "$w/$t.m.fr-$mode" -- "$FLAME_BIN/flame-record" $opt -q -F 999 --call-graph dwarf -o "$w/$t.fr-$mode.txt" -- "$bin" "$@" > /dev/null 2>&1
		echo "flame-record --call-graph dwarf ($mode), live: $(field wall_s "$w/$t.m.fr-$mode") s wall, $(cpu "$w/$t.m.fr-$mode") s CPU (workload included), peak RSS $(($(field maxrss_kb "$w/$t.m.fr-$mode") / 1024)) MB, $(depth "$w/$t.fr-$mode.txt") frames a sample"
	done
}

if command -v rustc > /dev/null && rustc -C opt-level=3 -g -o "$w/inline-rs" tests/workloads/inline.rs 2> /dev/null; then
	bench_inline rust "$w/inline-rs" "$rounds"
else
	echo "record-inline: rust: no rustc (or it failed): skipped"
fi
if command -v g++ > /dev/null && g++ -O2 -g -o "$w/inline-cc" tests/workloads/inline.cc 2> /dev/null; then
	bench_inline c++ "$w/inline-cc" "$cxx_n"
else
	echo "record-inline: c++: no g++ (or it failed): skipped"
fi
