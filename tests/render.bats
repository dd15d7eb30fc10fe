#!/usr/bin/env bats
# flame-render: input handling, options, colours, escaping, error paths.

load helpers
load render-helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The "tooltip|x|y|width|fill" line of the frame whose tooltip starts with $2, in SVG $1.
frame_line() {
	frames_of "$1" | grep -F -- "$2 (" | head -n1
}

@test "render unit: colours, escaping, counts, stack order (tests/unit/render.c)" {
	run_unit render
}

@test "render: unsorted input and repeated stacks merge; files, stdin and - concatenate" {
	printf 'b;c 1\na 2\n' > one.folded
	printf 'b;c 3\n' > two.folded
	printf 'a 4\n' | flame-render one.folded - two.folded > out.svg
	xml_wellformed out.svg
	frames_of out.svg > frames
	cat frames
	[ "$(wc -l < frames)" -eq 4 ]
	grep -q '^all (10 samples, 100%)|10.00|' frames
	grep -q '^a (6 samples, 60.00%)|10.00|' frames
	grep -q '^b (4 samples, 40.00%)|718.00|.*|472.00|' frames
	grep -q '^c (4 samples, 40.00%)|718.00|' frames
	# Files, stdin and "-" read the same bytes.
	cat one.folded two.folded | flame-render > stdin.svg
	cat one.folded two.folded | flame-render - > dash.svg
	flame-render one.folded two.folded > files.svg
	cmp <(frames_of stdin.svg) <(frames_of files.svg)
	cmp <(frames_of dash.svg) <(frames_of files.svg)
	# A named pipe is read, not mapped.
	mkfifo fifo
	cat one.folded two.folded > fifo &
	flame-render fifo > fifo.svg
	cmp <(frames_of fifo.svg) <(frames_of files.svg)
}

@test "render: fractional counts are kept (widths exact, counts shown rounded)" {
	printf 'a 1.5\nb 2.25\nb 0.\n' | flame-render > out.svg
	frames_of out.svg
	frame_line out.svg a | grep -q '^a (2 samples, 53.33%)|10.00|.*|472.00|'
	frame_line out.svg b | grep -q '^b (2 samples, 53.33%)|482.00|.*|708.00|'
	frame_line out.svg all | grep -q '^all (4 samples, 100%)'
}

@test "render: bad lines are warned about with file:line and skipped; the rest is drawn" {
	printf 'a;b 3\nno count here\n\n# a comment\nc 12V.43\nd 2\n' > in.folded
	run_split flame-render in.folded
	echo "$stderr"
	assert_status 0
	[[ "$stderr" == *"flame-render: in.folded:2: "*"line skipped"* ]]
	[[ "$stderr" == *"flame-render: in.folded:5: "*"line skipped"* ]]
	[[ "$stderr" == *"ignored 2 lines with invalid format"* ]]
	[[ "$stderr" != *"in.folded:3:"* ]]
	[[ "$stderr" != *"in.folded:4:"* ]]
	echo "$output" > out.svg
	frame_line out.svg all | grep -q '^all (5 samples'
}

@test "render: inferno's bad-lines input: one warning per bad line, the rest drawn" {
	require_corpus
	run_split flame-render "$CORPUS/folded/inferno/bad-lines_bad-lines.txt"
	echo "$stderr"
	assert_status 0
	[ "$(grep -c 'bad-lines_bad-lines.txt:[0-9]*: ' <<< "$stderr")" -eq 2 ]
	grep -v 'BAD' "$CORPUS/folded/inferno/bad-lines_bad-lines.txt" | flame-render > good.svg
	echo "$output" > bad.svg
	cmp <(frames_of bad.svg) <(frames_of good.svg)
}

@test "render: no valid line at all gives an SVG that says so and exit status 2" {
	printf 'nothing valid\n' > bad.folded
	run_split flame-render bad.folded
	assert_status 2
	[[ "$stderr" == *"bad.folded:1:"* ]]
	[[ "$stderr" == *"no stack counts found"* ]]
	[[ "$output" == *"<svg"* ]]
	[[ "$output" == *"ERROR: No valid input"* ]]
	echo "$output" > err.svg
	xml_wellformed err.svg
	run_split flame-render < /dev/null
	assert_status 2
	[[ "$output" == *"ERROR: No valid input"* ]]
	if [ -d "$CORPUS" ]; then
		run flame-render "$CORPUS/folded/inferno/empty_empty.txt"
		assert_status 2
	fi
}

@test "render: an unreadable input file is an error naming it" {
	run_split flame-render /nonexistent/x.folded
	assert_status 2
	[[ "$stderr" == *"/nonexistent/x.folded"* ]]
}

@test "render: differential input colours growth red and shrinkage blue, scaled by the delta" {
	printf 'main;grow 10 20\nmain;shrink 20 10\nmain;half 10 15\nmain;same 5 5\n' > diff.folded
	flame-render diff.folded > out.svg
	frames_of out.svg
	frame_line out.svg grow | grep -q '^grow (20 samples, 40.00%; +20.00%)|.*|rgb(255,0,0)$'
	frame_line out.svg shrink | grep -q '^shrink (10 samples, 20.00%; -20.00%)|.*|rgb(0,0,255)$'
	frame_line out.svg half | grep -q '|rgb(255,105,105)$'
	frame_line out.svg same | grep -q '^same (5 samples, 10.00%; 0.00%)|.*|rgb(255,255,255)$'
	frame_line out.svg main | grep -q '|rgb(255,255,255)$'
	flame-render --negate diff.folded > neg.svg
	frame_line neg.svg grow | grep -q '^grow (20 samples, 40.00%; -20.00%)|.*|rgb(0,0,255)$'
	frame_line neg.svg shrink | grep -q '|rgb(255,0,0)$'
}

@test "render: --minwidth drops narrow frames (pixels or N%) and the image shrinks with them" {
	{ echo 'a;b;c 1000'; echo 'x;y;z 1'; } > in.folded
	flame-render in.folded > all.svg
	flame-render --minwidth 2 in.folded > px.svg
	flame-render --minwidth 1% in.folded > pct.svg
	[ "$(frames_of all.svg | wc -l)" -eq 7 ]
	[ "$(frames_of px.svg | wc -l)" -eq 4 ]
	[ "$(frames_of pct.svg | wc -l)" -eq 4 ]
	printf 'a 1000\nx;y;z;w 1\n' | flame-render --minwidth 2 > short.svg
	[ "$(svg_attr short.svg height)" -lt "$(printf 'a 1000\nx;y;z;w 1\n' | flame-render | sed -n 's/^<svg[^>]* height="\([0-9]*\)".*/\1/p')" ]
	run flame-render --minwidth abc in.folded
	assert_status 2
	[[ "$output" == *"--minwidth"* ]]
}

@test "render: default titles follow the mode; --title, --subtitle and --notes are written escaped" {
	printf 'a 1\n' > in.folded
	grep -q '>Flame Graph</text>' <(flame-render in.folded)
	grep -q '>Icicle Graph</text>' <(flame-render --inverted in.folded)
	grep -q '>Flame Chart</text>' <(flame-render --flamechart in.folded)
	flame-render --title 'A & <B>' --subtitle '"s" <i>' --notes 'n --> <x>' in.folded > out.svg
	xml_wellformed out.svg
	grep -q 'class="title"[^>]*>A &amp; &lt;B&gt;</text>' out.svg
	grep -q 'class="subtitle"[^>]*>&quot;s&quot; &lt;i&gt;</text>' out.svg
	grep -q '<!-- NOTES: n - -&gt; &lt;x&gt; -->' out.svg
	# An icicle graph leaves room for the subtitle (flamegraph.pl draws over it).
	flame-render --inverted --subtitle s in.folded > icicle.svg
	frame_line icicle.svg all | grep -q '^all (1 samples, 100%)|10.00|60.00|'
	flame-render --inverted in.folded > icicle.svg
	frame_line icicle.svg all | grep -q '^all (1 samples, 100%)|10.00|36.00|'
}

@test "render: hostile names, countname and nametype stay inert text in well-formed XML" {
	printf '%s\n' 'main;</text><script>alert(1)</script> 5' "main;\"quoted\" 'single' & amp 3" \
		'main;end ]]> cdata 2' > in.folded
	printf 'main;bad\xff\xfe utf8 1\nmain;esc\x1b[31m\x01\x7f 1\n' >> in.folded
	flame-render --countname '<b>&' --nametype '</script><script>x()' in.folded > out.svg
	xml_wellformed out.svg
	[ "$(grep -c '<script' out.svg)" -eq 1 ]
	refute grep -q '<script>alert' out.svg
	refute grep -q 'onload\|onerror' out.svg
	grep -q '&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; (5 &lt;b&gt;&amp;, ' out.svg
	grep -q '&quot;quoted&quot; &#39;single&#39; &amp; amp' out.svg
	grep -q 'end ]]&gt; cdata' out.svg
	grep -q "bad$(printf '\xef\xbf\xbd\xef\xbf\xbd') utf8" out.svg
	grep -q "esc$(printf '\xe2\x90\x9b')\[31m$(printf '\xe2\x90\x81\xe2\x90\xa1')" out.svg
	grep -q 'data-nametype="&lt;/script&gt;&lt;script&gt;x()"' out.svg
	refute env LC_ALL=C grep -q "$(printf '[\x01-\x08\x0b\x0c\x0e-\x1f]')" out.svg
}

@test "render: --cp keeps colours in palette.map, sorted, reused and extended" {
	printf 'main;b 2\nmain;a 1\n' > in.folded
	flame-render --cp in.folded > one.svg
	cat palette.map
	[ "$(wc -l < palette.map)" -eq 4 ]
	LC_ALL=C sort -c palette.map
	grep -q '^main->rgb(' palette.map
	# A colour edited in the map wins; new names are added; bad lines are warned about.
	sed -i 's/^main->.*/main->rgb(1,2,3)/' palette.map
	echo 'broken line' >> palette.map
	printf 'main;c 1\n' >> in.folded
	run_split flame-render --cp in.folded
	[[ "$stderr" == *"palette.map:5:"* ]]
	echo "$output" > two.svg
	frame_line two.svg main | grep -q '|rgb(1,2,3)$'
	grep -q '^c->rgb(' palette.map
	grep -q '^main->rgb(1,2,3)$' palette.map
}

@test "render: --cp reads inferno's palette maps (valid and invalid lines)" {
	require_corpus
	cp "$CORPUS/folded/inferno/palette-map_palette.map" palette.map
	run_split flame-render --cp --hash "$CORPUS/expected/collapse/perf-vertx-stacks-01.all.folded"
	assert_status 0
	echo "$output" > out.svg
	want=$(grep '^JavaThread::run->' "$CORPUS/folded/inferno/palette-map_palette.map" | sed 's/.*->//')
	frame_line out.svg JavaThread::run | grep -q "|$want\$"
	cp "$CORPUS/folded/inferno/palette-map_palette_invalid.map" palette.map
	run_split flame-render --cp "$CORPUS/expected/collapse/perf-vertx-stacks-01.all.folded"
	echo "$stderr"
	assert_status 0
	[ "$(grep -c 'palette.map:[0-9]*: expected NAME->rgb' <<< "$stderr")" -ge 4 ]
}

@test "render: --nameattr sets links, classes and titles (last value wins, unsafe ones refused)" {
	printf 'main;cksum 3\nmain;noploop 2\nmain;x 1\n' > in.folded
	printf 'main\tclass=c1\ttitle=foo\thref=https://example.com/?a=1&b=2\tclass=c2\ta_extra=rel="external"\n' > attrs
	printf 'noploop\tid=n1\tg_extra=id="n2" onclick="alert(1)"\tbogus=1\n' >> attrs
	printf 'x\thref=javascript:alert(1)\n' >> attrs
	run_split flame-render --nameattr attrs in.folded
	echo "$stderr"
	assert_status 0
	echo "$output" > out.svg
	xml_wellformed out.svg
	link=$(grep '<a ' out.svg)
	[[ "$link" == *' xlink:href="https://example.com/?a=1&amp;b=2" '* ]]
	[[ "$link" == *' target="_top" '* ]]
	[[ "$link" == *' class="c2" '* ]]
	[[ "$link" == *' rel="external">'* ]]
	[[ "$link" == *'><title>foo</title>'* ]]
	[ "$(grep -c '<a ' out.svg)" -eq 1 ]
	grep -q '<g id="n2"><title>noploop (2 samples' out.svg
	refute grep -q 'onclick\|javascript:' out.svg
	[[ "$stderr" == *"attrs:2: attribute 'onclick' refused"* ]]
	[[ "$stderr" == *"attrs:2: unknown attribute 'bogus'"* ]]
	[[ "$stderr" == *"attrs:3: link 'javascript:alert(1)' refused"* ]]
}

@test "render: inferno's nameattr files give inferno's link and group attributes" {
	require_corpus
	for f in nameattr empty_first_line empty_attribute; do
		name=nameattr_nameattr.txt
		[ "$f" = nameattr ] || name=nameattr_nameattr_$f.txt
		flame-render --hash --nameattr "$CORPUS/folded/inferno/$name" "$CORPUS/expected/collapse/perf-cycles-instructions-01.all.folded" > out.svg
		main=$(grep '<title>foo</title>' out.svg | head -n1)
		for a in 'xlink:href="https://github.com/jonhoo/inferno"' 'target="_blank"' 'rel="external"' \
			'hreflang="en-us"' 'class="inferno"' 'stroke-width="1"' 'stroke="green"'; do
			[[ "$main" == "<a "* ]] && [[ "$main" == *" $a"* ]] || { echo "missing $a in $main"; return 1; }
		done
		grep -q '<a xlink:href="https://github.com/jonhoo/inferno" target="_top" class="flames"><title>bar</title>' out.svg
		grep -q '<g id="test"><title>noploop (' out.svg
	done
	flame-render --hash --nameattr "$CORPUS/folded/inferno/nameattr_nameattr_duplicate_attributes.txt" \
		"$CORPUS/expected/collapse/perf-cycles-instructions-01.all.folded" > dup.svg
	grep -q 'class="inferno2"' dup.svg
	grep -q '<g id="test3">' dup.svg
	xml_wellformed dup.svg
}

@test "render: --help, --version, and bad options" {
	run flame-render --help
	assert_status 0
	[[ "$output" == *"--minwidth"* ]]
	[[ "$output" == *"--colors"* ]]
	run flame-render --version
	assert_status 0
	[[ "$output" == "flame-render "* ]]
	run flame-render --no-such-option
	assert_status 2
	run flame-render --colors pink /dev/null
	assert_status 2
	[[ "$output" == *"unknown palette 'pink'"* ]]
	run flame-render --bgcolors '#12345' /dev/null
	assert_status 2
	run flame-render --search-color red /dev/null
	assert_status 2
	run flame-render --width 0 /dev/null
	assert_status 2
	run flame-render --colordiffusion --colors red /dev/null
	assert_status 2
	run flame-render --fontsize 1e300 /dev/null
	assert_status 2
	# Extreme but accepted values still give well-formed XML.
	printf 'a;b 3\nc 1\n' > in.folded
	flame-render --fontsize 1000 --factor 1e300 --total 1e300 --width 21 in.folded > big.svg
	xml_wellformed big.svg
}

@test "render: --search-color, --stroke-color, --uicolor, --bgcolors and fonts reach the SVG" {
	printf 'a 1\n' > in.folded
	flame-render --search-color '#7d7d7d' --stroke-color '#010203' --uicolor '#ff0000' --bgcolors '#123456' \
		--fonttype 'Andale Mono"' --fontsize 14 in.folded > out.svg
	xml_wellformed out.svg
	grep -q 'data-searchcolor="rgb(125,125,125)"' out.svg
	grep -q 'stroke:rgb(1,2,3)' out.svg
	grep -q 'fill:rgb(255,0,0)' out.svg
	grep -q 'stop-color="#123456" offset="5%"' out.svg
	grep -q 'stop-color="#123456" offset="95%"' out.svg
	grep -q 'font-family:"Andale Mono\\""; font-size:14px' out.svg
	flame-render --fonttype monospace in.folded | grep -q 'font-family:monospace;'
}

@test "render: --deterministic, --random and --colordiffusion colour frames" {
	printf 'main;a 30\nmain;b 10\n' > in.folded
	cmp <(flame-render --deterministic in.folded) <(flame-render --deterministic in.folded)
	frames_of <(flame-render --random in.folded) | grep -q '|rgb([0-9]*,[0-9]*,[0-9]*)$'
	flame-render --colordiffusion in.folded > out.svg
	frame_line out.svg all | grep -q '|rgb(255,100,100)$'
	frame_line out.svg a | grep -q '|rgb(255,120,120)$'	# sqrt(0.75) * 2000 = 1732
	frame_line out.svg b | grep -q '|rgb(255,175,175)$'	# sqrt(0.25) * 2000 = 1000
}

@test "render: --deterministic, flame charts, grey and narrow frames match inferno's frames" {
	require_corpus
	local I=$CORPUS/folded/inferno E=$CORPUS/expected/render-inferno
	check() {
		local want=$1; shift
		flame-render --minwidth 0.01% "$@" > out.svg
		ours_as_inferno out.svg > ours
		inferno_frames "$E/$want" > theirs
		diff ours theirs
	}
	check colors_deterministic.svg --deterministic "$I/colors_async-profiler-collapsed-part.txt"
	check flamechart_flame.svg --hash --flamechart "$I/flamechart_flames.txt"
	check grey-frames_grey-frames.svg --hash "$I/grey-frames_grey-frames.txt"
	check narrow-blocks_narrow-blocks.svg --hash "$I/narrow-blocks_narrow-blocks.txt"
	# Unsorted input, one file or two: the same frames (inferno trims a whitespace-only frame name).
	flame-render --minwidth 0.01% --hash "$I/unsorted-input_perf-vertx-stacks-01-collapsed-all-unsorted.txt" > one.svg
	flame-render --minwidth 0.01% --hash "$I/multiple-inputs_perf-vertx-stacks-01-collapsed-all-unsorted-1.txt" \
		"$I/multiple-inputs_perf-vertx-stacks-01-collapsed-all-unsorted-2.txt" > two.svg
	inferno_frames "$E/perf-vertx-stacks_perf-vertx-stacks-01-collapsed-all.svg" | grep -v '^ ' > theirs
	diff <(ours_as_inferno one.svg | grep -v '^ ') theirs
	diff <(ours_as_inferno two.svg | grep -v '^ ') theirs
}

@test "render: inferno's fractional inputs keep their fractions (as flamegraph.pl)" {
	require_corpus
	local I=$CORPUS/folded/inferno
	flame-render "$I/fractional-samples_fractional.txt" > frac.svg
	frame_line frac.svg all | grep -q '^all (335 samples, 100%)'	# 334.618
	frame_line frac.svg noploop | grep -q '^noploop (277 samples, 82.78%)'	# 276.888 of 334.618
	# Zero fractions ("31.0", "6.") are the integers.
	cmp <(frames_of <(flame-render "$I/fractional-samples_zero-fractionals.txt")) \
		<(frames_of <(flame-render "$I/fractional-samples_no-fractionals.txt"))
	flame-render --reverse "$I/fractional-samples_with-space.txt" > space.svg
	# A ';' inside a name splits it, as in flamegraph.pl; the space before the count is the separator.
	grep -q '<title> _\]&gt;::default::h67c9877e6f2a615c (19 samples' space.svg
	flame-render "$I/fractional-samples_tricky-stack.txt" > tricky.svg
	grep -q '<title>memcpy@GLIBC_2.2.5 (3 samples, 100.00%)' tricky.svg
}

@test "render: --reverse keeps both counts of differential lines" {
	printf 'a;b;c 1 3\n' | flame-render --reverse > out.svg
	frame_line out.svg c | grep -q '^c (3 samples, 100.00%; 0.00%)'
	frame_line out.svg a | grep -q '^a (3 samples, 100.00%; +66.67%)|.*|rgb(255,0,0)$'
}

@test "render: --base draws only stacks through FUNC, from FUNC up" {
	printf 'main;run;work;leaf 5\nmain;idle 3\nmain;run;other 2\nx;work;w2 1\n' > in.folded
	flame-render --base work in.folded > out.svg
	frames_of out.svg
	[ "$(frames_of out.svg | wc -l)" -eq 4 ]
	frame_line out.svg work | grep -q '^work (6 samples, 100.00%)'
	frame_line out.svg leaf | grep -q '^leaf (5 samples'
	frame_line out.svg all | grep -q '^all (6 samples'
	flame-render --base work --base other in.folded > two.svg
	frame_line two.svg all | grep -q '^all (8 samples'
}

@test "render: --flamechart keeps input order and merges only neighbours" {
	printf 'a;b 1\nc 2\na;b 3\na;x 1\n' | flame-render --flamechart > out.svg
	frames_of out.svg
	[ "$(frames_of out.svg | grep -c '^a (')" -eq 2 ]
	frames_of out.svg | grep -q '^a (1 samples, 14.29%)|10.00|'
	frames_of out.svg | grep -q '^a (4 samples, 57.14%)|515.70|'
	# A stack that is a prefix of the one before it shares all its frames.
	printf 'a;b;c 1\na;b 2\n' | flame-render --flamechart > prefix.svg
	[ "$(frames_of prefix.svg | wc -l)" -eq 4 ]
	frame_line prefix.svg b | grep -q '^b (3 samples, 100.00%)'
	frame_line prefix.svg c | grep -q '^c (1 samples, 33.33%)'
}

@test "render: --colors chain marks wakers after the -- separator" {
	printf 'sleep;schedule;--;waker;wake_up 4\n' | flame-render --colors chain > out.svg
	frames_of out.svg
	frame_line out.svg waker | grep -q '^waker (4 samples'
	frame_line out.svg -- | grep -q '|rgb(160,160,160)$'
	frame_line out.svg waker | grep -q '|rgb(\([0-9]*\),1[6-9][0-9],1[6-9][0-9])$\||rgb([0-9]*,2[0-2][0-9],2[0-2][0-9])$'
}

@test "render: --diff-inclusive colours by inclusive change; tooltips show before, after and self" {
	printf 'main;a;x 10 30\nmain;a 5 5\nmain;b 20 10\nmain;c 1 1\n' > diff.folded
	flame-render --diff-inclusive diff.folded > out.svg
	frames_of out.svg
	# a grew by 20 inclusive (the most), b shrank by 10, c did not change.
	frame_line out.svg a | grep -q '^a (35 samples, 76.09%; before 15, after 35, +43.48%; self 5 → 5)|.*|rgb(255,0,0)$'
	frame_line out.svg b | grep -q '^b (10 samples, 21.74%; before 20, after 10, -21.74%; self 20 → 10)|.*|rgb(105,105,255)$'
	frame_line out.svg c | grep -q '^c (1 samples, 2.17%; before 1, after 1, 0.00%; self 1 → 1)|.*|rgb(255,255,255)$'
	frame_line out.svg main | grep -q 'before 36, after 46, +21.74%; self 0 → 0)|.*|rgb(255,105,105)$'
	# Without it, a (no self change) is white: flamegraph.pl colours by the leaf's own change.
	flame-render diff.folded > self.svg
	frame_line self.svg a | grep -q '|rgb(255,255,255)$'
	flame-render --diff-inclusive --negate diff.folded > neg.svg
	frame_line neg.svg a | grep -q '^a (35 samples, 76.09%; before 15, after 35, -43.48%;.*|rgb(0,0,255)$'
}

@test "render: --sort-by-size lays children out widest first, descendants moving with them" {
	printf 'm;a 1\nm;b 5\nm;b;x 1\nm;b;y 3\nm;c 2\n' > in.folded
	flame-render --sort-by-size in.folded > out.svg
	frames_of out.svg
	frame_line out.svg b | grep -q '^b (9 samples, 75.00%)|10.00|'
	frame_line out.svg y | grep -q '^y (3 samples, 25.00%)|10.00|'
	frame_line out.svg x | grep -q '^x (1 samples, 8.33%)|305.00|'
	frame_line out.svg c | grep -q '^c (2 samples, 16.67%)|895.00|'
	frame_line out.svg a | grep -q '^a (1 samples, 8.33%)|1091.70|'
	# The same frames and widths as the alphabetical layout, only moved.
	flame-render in.folded > alpha.svg
	diff <(frames_of out.svg | cut -d'|' -f1,3,4,5 | sort) <(frames_of alpha.svg | cut -d'|' -f1,3,4,5 | sort)
	run flame-render --sort-by-size --flamechart in.folded
	assert_status 2
}

@test "render: --buffer-size spills sorted runs to temporary files; the SVG is the same" {
	# Stacks repeated across runs, unsorted, differential duplicates: all merged as in memory.
	for i in $(seq 1 400); do echo "main;f$((i % 97));g$((i % 13)) $i"; done > in.folded
	sort -r in.folded > in.folded.tmp
	cat in.folded.tmp >> in.folded
	rm in.folded.tmp
	flame-render in.folded > mem.svg
	flame-render --buffer-size 2K in.folded > spill.svg
	cmp mem.svg spill.svg
	for i in $(seq 1 300); do echo "main;f$((i % 37)) $((i % 7)) $((i % 11))"; done > diff.folded
	cat diff.folded diff.folded > diff2.folded
	cmp <(flame-render diff2.folded) <(flame-render --buffer-size 1K diff2.folded)
	cmp <(flame-render --colors chain --reverse in.folded) <(flame-render --colors chain --reverse --buffer-size 1k in.folded)
	run flame-render --buffer-size 12Q in.folded
	assert_status 2
}

@test "render: the compatibility corpus renders the same when spilled to runs" {
	require_corpus
	for f in example vertx; do
		cmp <(flame-render --hash "$CORPUS/folded/$f.folded") <(flame-render --hash --buffer-size 16K "$CORPUS/folded/$f.folded")
	done
	cmp <(flame-render "$CORPUS/expected/diff/example--example-scaled.n.txt") \
		<(flame-render --buffer-size 8K "$CORPUS/expected/diff/example--example-scaled.n.txt")
}

@test "render: a large unsorted input (sorted in parallel) draws the same graph as sorted input" {
	seq 1 80000 | awk '{ printf "main;f%d;g%d;h%d %d\n", $1 % 977, $1 % 13, $1, $1 % 5 + 1 }' > big.folded
	shuf --random-source=<(yes) big.folded > shuffled.folded
	LC_ALL=C sort big.folded > sorted.folded
	cmp <(flame-render shuffled.folded) <(flame-render sorted.folded)
	cmp <(flame-render --minwidth 0 shuffled.folded) <(flame-render --minwidth 0 --buffer-size 1M sorted.folded)
}

@test "render: every inferno input renders to well-formed XML (the empty one says so and exits 2)" {
	require_corpus
	local n=0
	for f in "$CORPUS"/folded/inferno/*.txt; do
		case $f in *nameattr*) continue ;; esac
		run_split flame-render "$f"
		if [[ $f == *empty_empty.txt ]]; then
			[ "$status" -eq 2 ] && [[ "$output" == *"ERROR: No valid input"* ]] || { echo "$f: $status"; return 1; }
		else
			[ "$status" -eq 0 ] || { echo "$f: exit $status: $stderr"; return 1; }
		fi
		echo "$output" > out.svg
		xml_wellformed out.svg || { echo "$f: not well-formed"; return 1; }
		n=$((n + 1))
	done
	echo "$n inputs"
	[ "$n" -ge 15 ]
	# The differential one is coloured by change.
	flame-render "$CORPUS/folded/inferno/differential_perf-cycles-instructions-01-collapsed-all-diff.txt" > diff.svg
	frames_of diff.svg | grep -q '|rgb(255,[0-9]*,[0-9]*)$'
	frames_of diff.svg | grep -q '|rgb([0-9]*,[0-9]*,255)$'
}

@test "render: long labels are cut on the right by default, on the left with --truncate-text-left" {
	printf 'a_rather_long_function_name 1\nb 39\n' > in.folded
	flame-render in.folded > right.svg
	flame-render --truncate-text-left in.folded > left.svg
	# 29.5 px hold 4 characters of 7.08 px: two and the dots.
	grep -q '>a_..</text>' right.svg
	grep -q '>..me</text>' left.svg
	grep -q 'data-truncate-right="0"' left.svg
	flame-render --truncate-text-left --truncate-text-right in.folded | grep -q '>a_..</text>'
}
