#!/usr/bin/env bats
# flame-render hardened (issue 13): links and attribute names from --nameattr, option strings that
# are not UTF-8, narrow widths, extreme differential colours, zero-count lines, the spill files of
# --buffer-size, and output errors of --help/--version. Each test failed before its fix.

load helpers
load render-helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	printf 'main;a 3\nmain;b 1\n' > in.folded
}

# The frame whose tooltip starts with NAME: "tooltip|x|y|width|fill".
frame_line() {
	frames_of "$1" | grep -F -- "$2 (" | head -n1
}

# Well-formed XML: xmllint is required here (these tests are about exactly that).
xml_strict() {
	if ! command -v xmllint >/dev/null; then
		skip "xmllint not installed (apt-get install libxml2-utils)"
	fi
	xmllint --huge --noout "$1"
}

@test "render: --help and --version report a failed write (/dev/full)" {
	run flame-render --help
	assert_status 0
	assert_output_has "--buffer-size"
	run bash -c 'flame-render --help > /dev/full'
	assert_status 2
	assert_output_has "error writing <stdout>"
	run bash -c 'flame-render --version > /dev/full'
	assert_status 2
	assert_output_has "error writing <stdout>"
}

@test "render: --width that cannot hold the padding is refused with a message" {
	for w in 1 5 19 20; do
		run_split flame-render --width "$w" in.folded
		assert_status 2
		assert_stderr_has "--width: '$w' is not a whole number of pixels (21 to 1000000)"
		assert_equal "$output" ""
	done
	run flame-render --width 21 in.folded
	assert_status 0
	if [[ "$output" == *'width="-'* ]]; then
		flunk "a negative width in the SVG"
	fi
}

# nameattr_href VALUE: the xlink:href main's frame gets from a --nameattr line "main<TAB>href=VALUE",
# or "" when the link is refused; the warnings are in $stderr.
nameattr_href() {
	printf 'main\thref=%s\n' "$1" > attrs.txt
	run_split flame-render --nameattr attrs.txt in.folded
	assert_status 0
	printf '%s\n' "$output" > out.svg
	xml_strict out.svg
	href=$(sed -n 's/.*<a xlink:href="\([^"]*\)".*/\1/p' out.svg | head -n 1)
}

@test "render: --nameattr refuses every link scheme but http and https, however it is spelt" {
	# (A tab or newline cannot be in a value: they end the field and the line.)
	local forms=(
		'javascript:alert(1)' ' javascript:alert(1)' '  JaVaScRiPt:alert(1)' $'\x01javascript:alert(1)'
		$'\x1fjavascript:alert(1)' $'java\rscript:alert(1)' $'jav\x0bascript:alert(1)' $'java\x7fscript:alert(1)'
		'java script:alert(1)' $'javascript\x0c:alert(1)' '&Tab;javascript:alert(1)'
		'&#106;avascript:alert(1)' '&#x6A;avascript:alert(1)' '&#X6a;avascript:alert(1)' '&#0000106avascript:alert(1)'
		'&#106avascript:alert(1)' 'javascript&colon;alert(1)' 'javascript&#58;alert(1)' 'javascript&#x3a;alert(1)'
		'java&Tab;script:alert(1)' 'java&NewLine;script:alert(1)' '&amp;#106;avascript:alert(1)'
		'vbscript:msgbox(1)' 'data:text/html,<script>alert(1)</script>' 'file:///etc/passwd' 'mailto:a@b'
		'jar:http://x/!/' 'httpx://example.com' 'https2:x' '"javascript:alert(1)"' "'javascript:alert(1)'"
		$'\xc2\xa0javascript:alert(1)' 'javascript&unknown;:alert(1)'
	)
	for f in "${forms[@]}"; do
		nameattr_href "$f"
		if [ -n "$href" ]; then
			flunk "link accepted: $(printf '%q' "$f") -> $href"
		fi
		assert_stderr_has "refused (only http:, https: and relative links)"
	done
}

@test "render: --nameattr keeps http, https and relative links" {
	local forms=('http://example.com/a?b=1&c=2' 'HTTPS://example.com/' ' https://example.com/x ' '//example.com/x'
		'/path/to/page' 'page.html' 'page.html#frag:ment' '?q=a:b' '#main' 'index.html')
	for f in "${forms[@]}"; do
		nameattr_href "$f"
		if [ -z "$href" ]; then
			flunk "link refused: $f ($stderr)"
		fi
		assert_stderr_lacks "refused"
	done
	nameattr_href 'http://example.com/a?b=1&c=2'
	assert_equal "$href" 'http://example.com/a?b=1&amp;c=2'
}

@test "render: --nameattr writes only attribute names that are well-formed and unprefixed or xlink:" {
	printf 'main\tg_extra=foo:bar=1 xlink:title=t ok-name=2 _u=3 1bad=4 -bad=5 a:b:c=6 xml:space=7 x\xc3\xa9=8 onclick=9 xmlns:q=10\ta_extra=foo:baz=1\thref=/x\n' > attrs.txt
	run_split flame-render --nameattr attrs.txt in.folded
	assert_status 0
	printf '%s\n' "$output" > out.svg
	xml_strict out.svg
	assert_file_has out.svg 'xlink:title="t"'
	assert_file_has out.svg 'ok-name="2"'
	assert_file_has out.svg '_u="3"'
	for bad in foo:bar 1bad -bad a:b:c xml:space onclick xmlns:q foo:baz; do
		if grep -q " $bad=" out.svg; then
			flunk "attribute $bad written"
		fi
		assert_stderr_has "attribute '$bad' refused"
	done
	if grep -q "x$(printf '\xc3\xa9')=" out.svg; then
		flunk "a non-ASCII attribute name written"
	fi
}

@test "render: --fonttype that is not UTF-8 still gives well-formed XML" {
	for font in $'\xff\xfe' $'\xed\xa0\x80' $'Verdana\xc3' $'a\xef\xbf\xbeb' $'x\x7fy' $'\xf4\x90\x80\x80'; do
		flame-render --fonttype "$font" in.folded > out.svg
		xml_strict out.svg
	done
	flame-render --fonttype $'Mono\xff' in.folded > out.svg
	assert_file_has out.svg "font-family:\"Mono$(printf '\xef\xbf\xbd')\";"
	flame-render --fonttype 'Déjà Vu' in.folded > out.svg
	assert_file_has out.svg 'font-family:"Déjà Vu";'
}

@test "render: --diff-inclusive clamps the colour of a frame that changed more than the scale" {
	printf 'a 0 5\nb 0 5\n' > diff.folded
	flame-render --diff-inclusive diff.folded > out.svg
	run frame_line out.svg all
	assert_output_matches '\|rgb\(255,0,0\)$'
	printf 'a 5 0\nb 5 0\nc 0 1\n' > diff.folded
	flame-render --diff-inclusive diff.folded > out.svg
	run frame_line out.svg all
	assert_output_matches '\|rgb\(0,0,255\)$'
	# Under the scale, the colours are flamegraph.pl's: a grew by 5 of 5, b by 2.5 (105 = 210 * 2.5 / 5).
	printf 'a 0 5\nb 0 2.5\n' > diff.folded
	flame-render --diff-inclusive diff.folded > out.svg
	run frame_line out.svg a
	assert_output_matches '\|rgb\(255,0,0\)$'
	run frame_line out.svg b
	assert_output_matches '\|rgb\(255,105,105\)$'
}

@test "render: --nameattr naming a directory is an error that names it" {
	mkdir adir
	run_split flame-render --nameattr adir in.folded
	assert_status 2
	assert_stderr_has "adir: Is a directory"
	assert_equal "$output" ""
}

@test "render: 300,000 zero-count lines with --minwidth 0 finish (no quadratic frame replacement)" {
	if [ -n "${FLAME_VALGRIND:-}" ]; then
		skip "timed: not under valgrind"
	fi
	awk 'BEGIN { print "main 1"; for (i = 0; i < 300000; i++) printf "main;f%d 0\n", i }' > zero.folded
	# About a second now; quadratic, it took minutes (100,000 lines: 16 s).
	run timeout 60 flame-render --minwidth 0 zero.folded
	assert_status 0
	run timeout 60 flame-render --width 21 zero.folded
	assert_status 0
}

@test "render: --buffer-size spills into \$TMPDIR and leaves nothing there" {
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "main;f%d;g%d 1\n", i % 97, i }' > many.folded
	flame-render --buffer-size 0 many.folded > whole.svg
	mkdir spill
	TMPDIR=$PWD/spill flame-render --buffer-size 4K many.folded > spilled.svg
	cmp whole.svg spilled.svg
	run ls -A spill
	assert_output_is ""
	# Under valgrind the missing TMPDIR fails valgrind's own temporary files first.
	if [ -n "${FLAME_VALGRIND:-}" ]; then return 0; fi
	run_split env TMPDIR=$PWD/no-such-dir flame-render --buffer-size 4K many.folded
	assert_status 2
	assert_stderr_has "cannot create a temporary file for sorting in $PWD/no-such-dir"
}

@test "render: a tiny --buffer-size merges its runs in levels (few files open at once)" {
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "main;f%d;g%d 1\n", i % 97, i }' > many.folded
	flame-render --buffer-size 0 many.folded > whole.svg
	# One run per stack: 3000 runs, merged 16 at a time, at most 32 files open (with stdio and bats', 48).
	# valgrind keeps descriptors of its own, so it gets more room; the bound is checked without it.
	local fds=48
	if [ -n "${FLAME_VALGRIND:-}" ]; then fds=1024; fi
	run bash -c "ulimit -n $fds || exit 99; flame-render --buffer-size 1 many.folded > tiny.svg"
	assert_status 0
	cmp whole.svg tiny.svg
	# One- and two-count lines of a stack, in runs of their own: the delta is still the one of the
	# two-count line that sorts first (a's), as in memory.
	awk 'BEGIN { print "a 3 3"; for (i = 0; i < 60; i++) { printf "f%d %d %d\n", i, i % 3, i % 5
		if (i == 20) print "a 2"; if (i == 22) print "a 0 1"; if (i == 40) print "a 9"; if (i == 41) print "a 2 1" } }' > diff.folded
	flame-render diff.folded > whole.svg
	flame-render --buffer-size 1 diff.folded > tiny.svg
	cmp whole.svg tiny.svg
}

@test "render: --buffer-size bounds the peak memory (SIZE plus what is drawn)" {
	if [ -n "${FLAME_VALGRIND:-}" ] || grep -qa __asan_init "$FLAME_BIN/flame-render"; then
		skip "memory figures of an instrumented build mean nothing"
	fi
	MEASURE=${FLAME_TOOLS:-}/measure
	if [ ! -x "$MEASURE" ]; then
		flunk "tests/tools/measure was not built at $MEASURE (make test builds it)"
	fi
	# 300,000 distinct stacks of two names (few frames to draw), from a pipe: about 45 MB unbounded.
	awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++) { s = "m"; for (d = 0; d < 24; d++) s = s (rand() < 0.5 ? ";a" : ";b"); print s, 1 } }' > bin.folded
	"$MEASURE" -o m.txt -- sh -c 'cat bin.folded | flame-render --buffer-size 16M > out.svg'
	rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' m.txt)
	# 16 MiB and 6 MiB for the program, its frames and the spans (it was 36 MB).
	if [ "$rss" -gt $((22 * 1024)) ]; then
		flunk "peak RSS ${rss} kB with --buffer-size 16M"
	fi
	flame-render --buffer-size 0 bin.folded | cmp - out.svg
}

@test "render: a garbage --nameattr file gives 20 warnings and one summary line" {
	awk 'BEGIN { for (i = 0; i < 5000; i++) print "garbage line " i }' > attrs.txt
	run_split flame-render --nameattr attrs.txt in.folded
	assert_status 0
	n=$(printf '%s\n' "$stderr" | wc -l)
	assert_equal "$n" 21
	assert_stderr_has "attrs.txt:20: expected FUNCTION<TAB>name=value...; line skipped"
	assert_stderr_lacks "attrs.txt:21:"
	assert_stderr_has "flame-render: 4980 more warnings not shown"
}

@test "render: --max-line skips longer lines with a warning, mapped or read" {
	printf 'main;a 3\n%s 1\nmain;b 1\n' "$(head -c 5000 /dev/zero | tr '\0' x)" > long.folded
	run_split flame-render --max-line 1K long.folded
	assert_status 0
	assert_stderr_has "long.folded:2: line longer than 1024 bytes, skipped"
	run_split bash -c 'cat long.folded | flame-render --max-line 1K'
	assert_status 0
	assert_stderr_has "<stdin>:2: line longer than 1024 bytes, skipped"
}

@test "render: -q drops the per-line warnings and keeps the count of skipped lines" {
	printf 'a;b 1\nbad line\nbad2\nc 2\n' > q.folded
	run_split flame-render -q q.folded
	assert_status 0
	assert_stderr_lacks "q.folded:2:"
	assert_stderr_has "ignored 2 lines with invalid format"
	run_split flame-render --quiet q.folded
	assert_status 0
	assert_stderr_lacks "q.folded:3:"
	run_split flame-render q.folded
	assert_stderr_has "q.folded:2:"
}
