#!/usr/bin/env bats
# Issue 19: bounded memory by default, and the SVG's function table and sandwich view in a real
# browser (headless chromium; skipped with a note when it is not installed).

load helpers
load render-helpers

@test "render: default settings keep peak memory bounded (32M buffer), the graph unchanged" {
	command -v /usr/bin/time >/dev/null || skip "no /usr/bin/time"
	# ~90 MB of distinct stacks through a pipe: with the old 512M default all of it stayed in memory.
	awk 'BEGIN { for (i = 0; i < 400000; i++) printf "main;proc_%d;a_rather_long_function_name_to_fill_memory_%d;leaf_%d 1\n", i % 50, i, i % 7 }' > "$BATS_TEST_TMPDIR/big.folded"
	run sh -c "cat '$BATS_TEST_TMPDIR/big.folded' | /usr/bin/time -f 'maxrss=%M' flame-render > '$BATS_TEST_TMPDIR/d.svg' 2> '$BATS_TEST_TMPDIR/time'"
	assert_status 0
	rss=$(sed -n 's/^maxrss=//p' "$BATS_TEST_TMPDIR/time")
	echo "peak RSS ${rss} KB"
	[ "$rss" -lt 70000 ]
	flame-render --buffer-size 0 "$BATS_TEST_TMPDIR/big.folded" > "$BATS_TEST_TMPDIR/whole.svg"
	run cmp "$BATS_TEST_TMPDIR/d.svg" "$BATS_TEST_TMPDIR/whole.svg"
	assert_status 0
}
