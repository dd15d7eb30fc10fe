# flame-collapse: MB/s and peak RSS on both perf script inputs, 1 thread and all threads,
# from a file and from a pipe (stdin), and the Perl's time from ../shared/bench/README.md beside it.
# inferno-collapse-perf is measured the same way when it is given (FLAME_INFERNO_COLLAPSE_PERF, or
# found in PATH): it is not a Debian package, so it is not installed here.
. tests/bench/lib.sh
threads=$(nproc)
inferno=${FLAME_INFERNO_COLLAPSE_PERF:-$(command -v inferno-collapse-perf || true)}
[ -n "$inferno" ] || echo "inferno-collapse-perf: not available, not measured (set FLAME_INFERNO_COLLAPSE_PERF)"
for name in deep-stacks mixed-workload; do
	in=$BENCH_DIR/$name.perf.txt
	bytes=$(stat -c %s "$in")
	samples=$(grep -c '^$' "$in")
	# Check the output first: it must equal the Perl's folded file (default options).
	if "$FLAME_BIN/flame-collapse" "$in" | cmp -s - "$BENCH_DIR/$name.folded"; then
		echo "$name: output identical to stackcollapse-perf.pl's ($(wc -l < "$BENCH_DIR/$name.folded") stacks)"
	else
		echo "$name: OUTPUT DIFFERS from stackcollapse-perf.pl's"
	fi
	bench_run "collapse $name, 1 thread, file" "$bytes" "$samples" samples -- sh -c "'$FLAME_BIN/flame-collapse' -j 1 '$in' > /dev/null"
	bench_run "collapse $name, $threads threads, file" "$bytes" "$samples" samples -- sh -c "'$FLAME_BIN/flame-collapse' -j $threads '$in' > /dev/null"
	bench_run "collapse $name, $threads threads, stdin pipe" "$bytes" "$samples" samples -- \
		sh -c "cat '$in' | '$FLAME_BIN/flame-collapse' -j $threads > /dev/null"
	if [ -n "$inferno" ]; then
		"$inferno" "$in" 2> /dev/null | sort | cmp -s - <(sort "$BENCH_DIR/$name.folded") &&
			echo "$name: inferno-collapse-perf's output is the same set of stacks" ||
			echo "$name: inferno-collapse-perf's output differs from stackcollapse-perf.pl's"
		bench_run "inferno-collapse-perf $name, 1 thread, file" "$bytes" "$samples" samples -- sh -c "'$inferno' -n 1 '$in' > /dev/null 2>&1"
		bench_run "inferno-collapse-perf $name, $threads threads, file" "$bytes" "$samples" samples -- sh -c "'$inferno' -n $threads '$in' > /dev/null 2>&1"
		bench_run "inferno-collapse-perf $name, $threads threads, stdin pipe" "$bytes" "$samples" samples -- \
			sh -c "cat '$in' | '$inferno' -n $threads > /dev/null 2>&1"
	fi
done

# Streaming: ~10 GB of perf script text (deep-stacks 44 times over) through a pipe. Peak RSS must
# stay near the single-copy figure: memory follows distinct stacks, not input size.
# FLAME_BENCH_HUGE=0 skips it.
if [ "${FLAME_BENCH_HUGE:-1}" != 0 ]; then
	in=$BENCH_DIR/deep-stacks.perf.txt
	copies=44
	bytes=$(( $(stat -c %s "$in") * copies ))
	samples=$(( $(grep -c '^$' "$in") * copies ))
	bench_run "collapse ~10 GB from a pipe ($copies x deep-stacks), $threads threads" "$bytes" "$samples" samples -- \
		sh -c "for i in \$(seq $copies); do cat '$in'; done | '$FLAME_BIN/flame-collapse' > /dev/null"
fi
