#!/usr/bin/env bats
# Honest output for a first-time user (issue 18): every message names the program the same way
# however it was run, and flame-collapse says when it read no sample.

load helpers

setup() {
	SCRATCH=$BATS_TEST_TMPDIR
}

# The first line of $stderr.
first_stderr_line() {
	printf '%s\n' "$stderr" | head -n 1
}

# Run PROG with a bad option through the path given (absolute, relative, or a link of another
# name) and check getopt's message starts with the program's name, not that path.
check_option_error_names() {
	local prog=$1 path=$2
	run_split "$path" --bogus < /dev/null
	assert_status 2
	assert_equal "$(first_stderr_line)" "$prog: unrecognized option '--bogus'"
	assert_stderr_lacks "$path"
}

@test "option errors name the program, not the path it was run by: flame-collapse" {
	check_option_error_names flame-collapse "$FLAME_BIN/flame-collapse"
	run_split "$FLAME_BIN/flame-collapse" -j
	assert_status 2
	assert_equal "$(first_stderr_line)" "flame-collapse: option requires an argument -- 'j'"
}

@test "option errors name the program, not the path it was run by: flame-render" {
	check_option_error_names flame-render "$FLAME_BIN/flame-render"
}

@test "option errors name the program, not the path it was run by: flame-diff" {
	check_option_error_names flame-diff "$FLAME_BIN/flame-diff"
}

@test "option errors name the program, not the path it was run by: flame-record" {
	check_option_error_names flame-record "$FLAME_BIN/flame-record"
}

@test "option errors name the program through a relative path and a link of another name" {
	mkdir -p "$SCRATCH/b"
	ln -s "$FLAME_BIN/flame-render" "$SCRATCH/b/fr"
	cp "$FLAME_BIN/flame-diff" "$SCRATCH/b/flame-diff"
	cd "$SCRATCH"
	check_option_error_names flame-render ./b/fr
	check_option_error_names flame-diff b/flame-diff
}

@test "flame-collapse on empty input: empty output, exit 0, and a word on stderr" {
	run_split flame-collapse < /dev/null
	assert_status 0
	assert_output_is ""
	assert_equal "$stderr" "flame-collapse: <stdin>: no samples read (the input is empty or holds only comments and blank lines)"
}

@test "flame-collapse on comments and blank lines only: the same, naming the file; -q keeps the line" {
	printf '# perf script header\n\n\n' > "$SCRATCH/c.txt"
	run_split flame-collapse -q "$SCRATCH/c.txt"
	assert_status 0
	assert_output_is ""
	assert_stderr_has "flame-collapse: $SCRATCH/c.txt: no samples read"
	: > "$SCRATCH/empty.txt"
	run_split flame-collapse "$SCRATCH/empty.txt" "$SCRATCH/c.txt"
	assert_status 0
	assert_stderr_has "flame-collapse: the input: no samples read"
}

@test "flame-collapse with samples does not say that no sample was read" {
	printf 'app 1/1 [000] 1.0: 1 cpu-clock:\n\t1 main+0x1 (/bin/app)\n\n' > "$SCRATCH/one.txt"
	run_split flame-collapse "$SCRATCH/one.txt"
	assert_status 0
	assert_output_is "app;main 1"
	assert_stderr_lacks "no samples read"
}

# Item 7: the recorded command's own stdout, when the samples go to stdout.

@test "flame-record --help says where the command's stdout goes, and names --command-stdout" {
	run flame-record --help
	assert_status 0
	assert_output_has "--command-stdout FILE"
	assert_output_has "stderr while the samples go to stdout"
}

@test "flame-record --command-stdout FILE: the command's stdout goes to FILE, not to stderr or the samples" {
	run_split flame-record -q --command-stdout "$SCRATCH/cmd.out" -- sh -c 'echo from-the-command; echo to-stderr >&2'
	assert_status 0
	assert_file_has "$SCRATCH/cmd.out" "from-the-command"
	assert_output_lacks "from-the-command"
	assert_stderr_lacks "from-the-command"
	assert_stderr_has "to-stderr"
}

@test "flame-record without --command-stdout: the command's stdout goes to stderr, with -o it stays" {
	run_split flame-record -q -- sh -c 'echo from-the-command'
	assert_status 0
	assert_output_lacks "from-the-command"
	assert_stderr_has "from-the-command"
	run_split flame-record -q -o "$SCRATCH/s.txt" -- sh -c 'echo from-the-command'
	assert_status 0
	assert_output_has "from-the-command"
}

@test "flame-record --command-stdout: an unwritable file is an error naming it, before the command runs" {
	run_split flame-record -q --command-stdout "$SCRATCH/no/such/dir/x" -- sh -c "touch '$SCRATCH/ran'"
	assert_status 2
	assert_stderr_has "flame-record: --command-stdout: cannot open $SCRATCH/no/such/dir/x: No such file or directory"
	refute test -e "$SCRATCH/ran"
	run_split flame-record --command-stdout "$SCRATCH/x" -p 1
	assert_status 2
	assert_stderr_has "--command-stdout is for a command after --"
}

# Item 1: counts called samples are periods (nanoseconds for cpu-clock). flame-collapse --samples
# counts samples; --units writes "# units: U" first, and flame-render shows ns as time.

# Two cpu-clock samples of 10101010 ns each (a 99 Hz recording's period).
two_clock_samples() {
	printf 'app 1/1 [000] 1.0: 10101010 cpu-clock:\n\t1 main+0x1 (/bin/app)\n\n'
	printf 'app 1/1 [000] 1.1: 10101010 cpu-clock:\n\t1 f+0x1 (/bin/app)\n\t1 main+0x1 (/bin/app)\n\n'
}

@test "flame-collapse --samples: each sample counts 1, not its period; the default stays the period" {
	two_clock_samples > "$SCRATCH/p.txt"
	run flame-collapse "$SCRATCH/p.txt"
	assert_status 0
	assert_output_is "$(printf 'app;main 10101010\napp;main;f 10101010')"
	run flame-collapse --samples "$SCRATCH/p.txt"
	assert_status 0
	assert_output_is "$(printf 'app;main 1\napp;main;f 1')"
}

@test "flame-collapse --units: # units: ns for clock events, samples with --samples, the event's name otherwise" {
	two_clock_samples > "$SCRATCH/p.txt"
	run flame-collapse --units "$SCRATCH/p.txt"
	assert_status 0
	assert_output_is "$(printf '# units: ns\napp;main 10101010\napp;main;f 10101010')"
	run flame-collapse --units --samples "$SCRATCH/p.txt"
	assert_output_is "$(printf '# units: samples\napp;main 1\napp;main;f 1')"
	sed 's/cpu-clock:/cycles:u:/' "$SCRATCH/p.txt" > "$SCRATCH/c.txt"
	run flame-collapse --units "$SCRATCH/c.txt"
	assert_output_is "$(printf '# units: cycles\napp;main 10101010\napp;main;f 10101010')"
	run flame-collapse --units --no-aggregate --event-filter=offcpu-time,cpu-clock "$SCRATCH/p.txt"
	assert_output_is "$(printf '# units: ns\napp;main 10101010\napp;main;f 10101010')"
}

@test "flame-collapse --units: mixed units or an unknown event in --no-aggregate: no units line, and a word why" {
	two_clock_samples > "$SCRATCH/p.txt"
	run_split flame-collapse --units --event-filter=cycles,cpu-clock "$SCRATCH/p.txt"
	assert_status 0
	assert_output_is "$(printf 'app;main 10101010\napp;main;f 10101010')"
	assert_stderr_has "count in different units: no units line written"
	run_split flame-collapse --units --no-aggregate "$SCRATCH/p.txt"
	assert_status 0
	assert_output_lacks "# units"
	assert_stderr_has "--units with --no-aggregate needs --samples or --event-filter"
}

@test "flame-collapse without --units writes no comment line (the Perl's output, byte for byte)" {
	two_clock_samples > "$SCRATCH/p.txt"
	run flame-collapse --all --pid "$SCRATCH/p.txt"
	assert_status 0
	assert_output_lacks "#"
}

@test "flame-render: '# units: ns' shows time (1.56 s, 20.2 ms, 812 ns); --countname still wins" {
	printf '# units: ns\na;b 1555110208\na;c 12345678\na;d 812\n' > "$SCRATCH/ns.folded"
	run flame-render "$SCRATCH/ns.folded"
	assert_status 0
	assert_output_has "<title>all (1.57 s, 100%)</title>"
	assert_output_has "<title>b (1.56 s, 99.21%)</title>"
	assert_output_has "<title>c (12.3 ms, 0.79%)</title>"
	if printf '%s\n' "$output" | grep -q '<title>[^<]* samples'; then flunk "a tooltip still says samples"; fi
	run flame-render --countname ns "$SCRATCH/ns.folded"
	assert_output_has "<title>all (1,567,456,698 ns, 100%)</title>"
	printf '# units: ns\na 812\na;b 2500\n' > "$SCRATCH/small.folded"
	run flame-render "$SCRATCH/small.folded"
	assert_output_has $'<title>all (3.31 \xc2\xb5s, 100%)</title>'
	assert_output_has $'<title>b (2.50 \xc2\xb5s, 75.48%)</title>'
	printf '# units: ns\na 812\n' > "$SCRATCH/ns812.folded"
	run flame-render "$SCRATCH/ns812.folded"
	assert_output_has "<title>all (812 ns, 100%)</title>"
}

@test "flame-render: '# units: cycles' names the counts; no units line keeps 'samples'" {
	printf '# units: cycles\na;b 1000\n' > "$SCRATCH/cy.folded"
	run flame-render "$SCRATCH/cy.folded"
	assert_status 0
	assert_output_has "<title>all (1,000 cycles, 100%)</title>"
	printf 'a;b 1000\n' > "$SCRATCH/plain.folded"
	run flame-render "$SCRATCH/plain.folded"
	assert_output_has "<title>all (1,000 samples, 100%)</title>"
}

@test "the pipeline flame-collapse --units | flame-render labels a cpu-clock recording with time" {
	two_clock_samples > "$SCRATCH/p.txt"
	flame-collapse --units "$SCRATCH/p.txt" > "$SCRATCH/p.folded"
	run flame-render "$SCRATCH/p.folded"
	assert_status 0
	assert_output_has "<title>all (20.2 ms, 100%)</title>"
	assert_output_has "<title>f (10.1 ms, 50.00%)</title>"
	flame-collapse --samples "$SCRATCH/p.txt" > "$SCRATCH/s.folded"
	run flame-render "$SCRATCH/s.folded"
	assert_output_has "<title>all (2 samples, 100%)</title>"
}

@test "flame-diff: one unit on both sides is kept for flame-render; different units are said" {
	printf '# units: ns\na;b 5\n' > "$SCRATCH/1.folded"
	printf '# units: ns\na;b 7\n' > "$SCRATCH/2.folded"
	printf 'a;b 7\n' > "$SCRATCH/3.folded"
	run_split flame-diff "$SCRATCH/1.folded" "$SCRATCH/2.folded"
	assert_status 0
	assert_output_is "$(printf '# units: ns\na;b 5 7')"
	assert_equal "$stderr" ""
	run_split flame-diff "$SCRATCH/1.folded" "$SCRATCH/3.folded"
	assert_status 0
	assert_output_is "a;b 5 7"
	assert_stderr_has "1.folded counts ns, $SCRATCH/3.folded counts (no units line)"
}

# Item 5: the Search and ic controls are findable before hovered; the Matched and details texts
# stay inside the picture.

@test "svg: Search and ic are visible before hovering (not flamegraph.pl's opacity 0.1)" {
	printf 'main;f 1\n' > "$SCRATCH/a.folded"
	run flame-render "$SCRATCH/a.folded"
	assert_status 0
	assert_output_lacks "opacity:0.1"
	assert_output_matches '\.search, #flame-[0-9a-f]+ \.ignorecase \{ opacity:0\.6;'
	assert_output_matches '<text class="matched" x="1190\.00" y="[0-9.]+"> </text>'
	assert_output_has ".matched { text-anchor:end; }"
}

@test "browser: a long Matched text and a long details line stay inside the picture" {
	load render-helpers
	require_chromium
	long=$(printf 'a_very_long_function_name_%.0s' $(seq 1 12))
	printf 'main;%s;leaf 30\nmain;other 10\n' "$long" > "$SCRATCH/long.folded"
	flame-render --width 600 "$SCRATCH/long.folded" > "$SCRATCH/long.svg"
	run in_browser "$SCRATCH/long.svg" "" "
		var g = d.querySelectorAll('.frames > g'), z = null, leaf = null;
		for (var i = 0; i < g.length; i++) {
			var t = g[i].querySelector('title').textContent;
			if (t.indexOf('a_very') === 0) z = g[i];
			if (t.indexOf('leaf (') === 0) leaf = g[i];
		}
		log('search.opacity', w.getComputedStyle(d.querySelector('.search')).opacity);
		log('ic.opacity', w.getComputedStyle(d.querySelector('.ignorecase')).opacity);
		fire(z.querySelector('rect'), 'click');
		w.prompt = function () { return 'leaf|a_very_long_function_name_a_very_long_function_name_'; };
		fire(d.querySelector('.search'), 'click');
		var m = d.querySelector('.matched'), box = m.getBBox();
		log('matched', m.textContent);
		log('matched.inside', box.x >= 0 && box.x + box.width <= 600);
		fire(z.querySelector('rect'), 'mouseover');
		var det = d.querySelector('.details'), db = det.getBBox();
		log('details', det.textContent);
		log('details.inside', db.x >= 0 && db.x + db.width <= 600);
		log('apart', db.x + db.width < box.x);
"
	echo "$output"
	assert_output_has "matched=Matched: 100% for /leaf|a_very"
	assert_output_has "matched.inside=true"
	assert_output_has "details=Function: a_very"
	assert_output_has "details.inside=true"
	assert_output_has "apart=true"
	assert_output_has "search.opacity=0.6"
	assert_output_has "ic.opacity=0.6"
	assert_output_matches 'matched=[^
]*\.\.'
}

# Item 2 (flame-collapse's part): a large share of [unknown] frames is said once, not with -q.

@test "flame-collapse: a large share of [unknown] frames is said once on stderr, with the likely fixes; -q keeps quiet" {
	for i in $(seq 1 12); do
		printf 'app 1/1 [000] 1.%d: 1 cpu-clock:\n\t1 [unknown] ([unknown])\n\t2 main+0x1 (/bin/app)\n\n' "$i"
	done > "$SCRATCH/unk.txt"
	run_split flame-collapse "$SCRATCH/unk.txt"
	assert_status 0
	assert_output_is "app;main;[unknown] 12"
	assert_stderr_is "flame-collapse: note: 50.0% of the frames (12 of 24) are [unknown]: stacks unwound short or symbols missing; record with --call-graph dwarf (a bigger SIZE if already), build with -fno-omit-frame-pointer, or install debug symbols"
	run_split flame-collapse -q "$SCRATCH/unk.txt"
	assert_status 0
	assert_equal "$stderr" ""
}

@test "flame-collapse: a few [unknown] frames (under 10%) are not worth a note" {
	for i in $(seq 1 12); do
		printf 'app 1/1 [000] 1.%d: 1 cpu-clock:\n\t1 f+0x1 (/bin/app)\n\t2 main+0x1 (/bin/app)\n\n' "$i"
	done > "$SCRATCH/k.txt"
	printf 'app 1/1 [000] 2.0: 1 cpu-clock:\n\t1 [unknown] ([unknown])\n\t2 main+0x1 (/bin/app)\n\n' >> "$SCRATCH/k.txt"
	run_split flame-collapse "$SCRATCH/k.txt"
	assert_status 0
	assert_equal "$stderr" ""
}

# Item 3: untyped zero-size code labels (ld.so's _dl_start_user, assembly entry points) are named as
# perf names them, not folded into the symbol before them or [unknown].

@test "flame-record names a zero-size NOTYPE code label as perf does (not the symbol before it)" {
	command -v cc > /dev/null || skip "no C compiler"
	cat > "$SCRATCH/l.c" <<'C'
#include <stdint.h>
void spin_label(uint64_t n);
__asm__(".text\n"
	"spin_label:\n"
	"1:\tdec %rdi\n"
	"\tjnz 1b\n"
	"\tret\n");
int main(void)
{
	spin_label(600000000ULL);
	return 0;
}
C
	[ "$(uname -m)" = x86_64 ] || skip "the label is x86-64 assembly"
	cc -O0 -fno-omit-frame-pointer -o "$SCRATCH/l" "$SCRATCH/l.c"
	if ! readelf -sW "$SCRATCH/l" | grep -Eq ' 0 NOTYPE +LOCAL +DEFAULT +[0-9]+ spin_label$'; then
		skip "the toolchain did not make spin_label a zero-size NOTYPE local"
	fi
	flame-record -q -F 499 -- "$SCRATCH/l" > "$SCRATCH/l.txt"
	flame-collapse "$SCRATCH/l.txt" > "$SCRATCH/l.folded"
	top=$(sort -k2 -nr "$SCRATCH/l.folded" | head -n 1)
	assert_equal "${top% *}" "l;__libc_start_call_main;spin_label"
	assert_file_has "$SCRATCH/l.txt" "spin_label+0x"
	refute grep -q "frame_dummy" "$SCRATCH/l.folded"
}

# Item 2: stacks cut short are said at the end of a recording, with the likely fix.
build_deep() {
	${FLAME_CC:-cc} -O2 -g "$1" -o "$SCRATCH/deep" -x c - <<'C'
#include <stdlib.h>
__attribute__((noinline)) static unsigned long burn(unsigned long n)
{ volatile unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += i * i; return s; }
__attribute__((noinline)) static unsigned long deep(int d, char *pad)
{ char buf[4096]; buf[0] = (char)d; if (d == 0) return burn(300000000UL) + (unsigned char)pad[0]; return deep(d - 1, buf) + 1; }
int main(int argc, char **argv) { volatile unsigned long r = deep(argc > 1 ? atoi(argv[1]) : 8, argv[0]); (void)r; return 0; }
C
}

@test "flame-record: stacks cut short by a small dwarf copy are said at the end, with a bigger SIZE as the fix" {
	build_deep -fno-omit-frame-pointer
	run_split flame-record -F 499 --call-graph dwarf,256 -o "$SCRATCH/out.txt" -- "$SCRATCH/deep" 8
	assert_status 0
	assert_stderr_has "of the user stacks end before the thread's start"
	assert_stderr_has "(--call-graph dwarf,SIZE; now 256 bytes)"
	run_split flame-record -q -F 499 --call-graph dwarf,256 -o "$SCRATCH/out.txt" -- "$SCRATCH/deep" 8
	assert_stderr_lacks "end before the thread's start"
}

@test "flame-record: frame pointers missing are said, with dwarf and -fno-omit-frame-pointer as the fix" {
	build_deep -fomit-frame-pointer
	run_split flame-record -F 499 -o "$SCRATCH/out.txt" -- "$SCRATCH/deep" 3
	assert_status 0
	assert_stderr_has "code without frame pointers; try --call-graph dwarf, or build with -fno-omit-frame-pointer"
}

@test "flame-record: whole stacks (frame pointers kept, or a dwarf copy deep enough) give no such note" {
	build_deep -fno-omit-frame-pointer
	run_split flame-record -F 499 -o "$SCRATCH/out.txt" -- "$SCRATCH/deep" 8
	assert_status 0
	assert_stderr_has " samples, 0 lost"
	assert_stderr_lacks "end before the thread's start"
	run_split flame-record -F 499 --call-graph dwarf -o "$SCRATCH/out.txt" -- "$SCRATCH/deep" 0
	assert_status 0
	assert_stderr_lacks "end before the thread's start"
}
