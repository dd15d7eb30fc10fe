# Inlined frames from DWARF (issue 16) on a Rust release build with debug info
# (tests/workloads/inline.rs, rustc -C opt-level=3 -g): one perf record --call-graph dwarf -F 999
# recording; `perf script` on it with inline expansion (its default) and without, whole process;
# then flame-record's DWARF reader on the same frames (every user address of every sample in the
# binary and in libc, through record_dwarf_info --bench: opening, lookups, cache), per distinct
# address and per sample; and flame-record live with and without --no-inline on the same work
# (its own CPU: the expansion's cost in a recording). Peak RSS for each.
. tests/bench/lib.sh
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
rounds=${FLAME_BENCH_INLINE_ROUNDS:-1200}     # ~5 s of CPU: ~5,000 samples at -F 999
unit=${FLAME_UNIT:-$PWD/build/unit}/record_dwarf_info
make -s "build/unit/record_dwarf_info" > /dev/null 2>&1 || true
[ -x "$unit" ] || unit=$PWD/build/unit/record_dwarf_info
command -v rustc > /dev/null || { echo "record-inline: no rustc: skipped"; exit 0; }
rustc -C opt-level=3 -g -o "$w/inline-rs" tests/workloads/inline.rs 2> /dev/null || { echo "record-inline: rustc failed: skipped"; exit 0; }
if ! command -v perf > /dev/null || ! perf record -q -o "$w/probe.data" -- true 2> /dev/null; then
	echo "record-inline: no perf (or not allowed) to compare with: skipped"
	exit 0
fi
perf record -q -F 999 --call-graph dwarf -o "$w/rs.data" -- "$w/inline-rs" "$rounds" > /dev/null 2>&1
samples=$(perf script -i "$w/rs.data" -F ip 2> /dev/null | grep -c '^$')
"$MEASURE" -o "$w/m.perf" -- sh -c "perf script -i '$w/rs.data' > '$w/perf.txt' 2> /dev/null"
"$MEASURE" -o "$w/m.perf-no" -- sh -c "perf script --no-inline -i '$w/rs.data' > '$w/perf-no.txt' 2> /dev/null"
depth() { awk 'BEGIN { RS = ""; FS = "\n" } { t++; f += NF - 1 } END { if (t) printf "%.1f", f / t; else print 0 }' "$1"; }
echo "perf script (inline) on $samples samples: $(field wall_s "$w/m.perf") s, peak RSS $(($(field maxrss_kb "$w/m.perf") / 1024)) MB, $(depth "$w/perf.txt") frames a sample; --no-inline: $(field wall_s "$w/m.perf-no") s, $(depth "$w/perf-no.txt") frames a sample"

# flame-record -i on the same recording, whole process, with inline expansion and without.
"$MEASURE" -o "$w/m.fr-i" -- "$FLAME_BIN/flame-record" -i "$w/rs.data" -o "$w/fr-i.txt" 2> /dev/null
"$MEASURE" -o "$w/m.fr-i-no" -- "$FLAME_BIN/flame-record" --no-inline -i "$w/rs.data" -o "$w/fr-i-no.txt" 2> /dev/null
awk -v p="$(field wall_s "$w/m.perf")" -v f="$(field wall_s "$w/m.fr-i")" -v pn="$(field wall_s "$w/m.perf-no")" -v fn="$(field wall_s "$w/m.fr-i-no")" \
    -v prss="$(field maxrss_kb "$w/m.perf")" -v frss="$(field maxrss_kb "$w/m.fr-i")" -v n="$samples" \
    -v pd="$(depth "$w/perf.txt")" -v fd="$(depth "$w/fr-i.txt")" 'BEGIN {
	if (f <= 0) f = 0.001; if (fn <= 0) fn = 0.001
	printf "flame-record -i (inline): %.3f s, %.0f us per sample, peak RSS %.1f MB, %s frames a sample; perf script: %.3f s, %.0f us per sample, peak RSS %.1f MB, %s frames a sample: %.1fx faster (--no-inline: %.3f s vs %.3f s, %.1fx)\n",
		f, f * 1e6 / n, frss / 1024, fd, p, p * 1e6 / n, prss / 1024, pd, p / f, fn, pn, pn / fn
}'

# The same frames through our reader: the addresses perf printed for each object (file addresses).
libc=$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)
perf script --no-inline -F ip,dso -i "$w/rs.data" 2> /dev/null | awk -v a="$w/inline-rs" -v b="$libc" -v dir="$w" '
	NF == 2 { d = $2; gsub(/[()]/, "", d); if (d == a) print $1 > (dir "/addrs.rs"); else if (d == b) print $1 > (dir "/addrs.libc") }'
total_us=0
for obj in rs libc; do
	file=$w/inline-rs
	[ "$obj" = libc ] && file=$libc
	[ -s "$w/addrs.$obj" ] || continue
	"$MEASURE" -o "$w/m.$obj" -- "$unit" --bench "$file" "$w/addrs.$obj" > "$w/b.$obj"
	echo "dwarf reader, $obj frames: $(cat "$w/b.$obj"), wall $(field wall_s "$w/m.$obj") s, peak RSS $(($(field maxrss_kb "$w/m.$obj") / 1024)) MB"
done
awk -v perf="$(field wall_s "$w/m.perf")" -v perfno="$(field wall_s "$w/m.perf-no")" -v n="$samples" '
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } us += v["us"]; d += v["distinct"]; l += v["lookups"] }
	END { if (!us) exit; printf "inline expansion for the %d samples: ours %.1f ms (%.2f us per distinct address, %.2f us per sample), perf script %.0f ms more with inline than without (%.0f us per sample): %.0fx\n",
		n, us / 1000, us / d, us / n, (perf - perfno) * 1000, (perf - perfno) * 1e6 / n, (perf - perfno) * 1e6 / us }' "$w/b.rs" "$w/b.libc" 2> /dev/null

# flame-record live, the same work, with and without inline expansion: its own CPU time and RSS.
for mode in inline no-inline; do
	opt=
	[ "$mode" = no-inline ] && opt=--no-inline
	"$MEASURE" -o "$w/m.fr-$mode" -- "$FLAME_BIN/flame-record" $opt -q -F 999 --call-graph dwarf -o "$w/fr-$mode.txt" -- "$w/inline-rs" "$rounds" > /dev/null 2>&1
	echo "flame-record --call-graph dwarf ($mode), live: $(field wall_s "$w/m.fr-$mode") s wall, $(cpu "$w/m.fr-$mode") s CPU (workload included), peak RSS $(($(field maxrss_kb "$w/m.fr-$mode") / 1024)) MB, $(depth "$w/fr-$mode.txt") frames a sample"
done
