# flame-collapse: MB/s and peak RSS on both perf script inputs, 1 thread and all threads,
# from a file and from a pipe (stdin), and the Perl's time from ../shared/bench/README.md beside it.
. tests/bench/lib.sh
threads=$(nproc)
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
