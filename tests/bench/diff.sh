# flame-diff: time and peak RSS on the deep-stacks folded files (../shared/bench/README.md): two
# windows of one run, a changed program's run with -n, the --report/--gate path, and the 371 MB
# wide.folded against the changed run (877,860 + 11,524 stacks). difffolded.pl's times beside them.
. tests/bench/lib.sh
d=$BENCH_DIR
fd=$FLAME_BIN/flame-diff
size() { echo $(( $(stat -c %s "$1") + $(stat -c %s "$2") )); }
lines() { echo $(( $(wc -l < "$1") + $(wc -l < "$2") )); }

# The stacks of either side, as difffolded.pl prints them (its README gives 20,905 for run2).
n=$("$fd" -n "$d/deep-stacks.folded" "$d/deep-stacks-run2.folded" | wc -l)
echo "deep-stacks vs deep-stacks-run2: $n output lines (difffolded.pl: 20,905)"

a=$d/deep-stacks.folded b=$d/deep-stacks-2.folded
bench_run "diff deep-stacks vs deep-stacks-2 (difffolded.pl 0.13 s)" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' '$a' '$b' > /dev/null"
b=$d/deep-stacks-run2.folded
bench_run "diff -n deep-stacks vs deep-stacks-run2 (difffolded.pl 0.16 s)" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' -n '$a' '$b' > /dev/null"
bench_run "diff --report --fail-above 5 deep-stacks vs deep-stacks-run2" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' --report --fail-above 5 '$a' '$b' > /dev/null 2>&1; [ \$? -eq 1 ]"
bench_run "diff --json --top 0 deep-stacks vs deep-stacks-run2" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' --json --top 0 '$a' '$b' > /dev/null"
a=$d/wide.folded
bench_run "diff -n -s wide.folded (371 MB) vs deep-stacks-run2" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' -n -s '$a' '$b' > /dev/null"
bench_run "diff --report wide.folded (371 MB) vs deep-stacks-run2" "$(size "$a" "$b")" "$(lines "$a" "$b")" lines -- \
	sh -c "'$fd' --report '$a' '$b' > /dev/null"
