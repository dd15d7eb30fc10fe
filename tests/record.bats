#!/usr/bin/env bats
# flame-record: sampling the bundled workloads (tests/workloads) with software events only, so it
# runs in VMs and containers without hardware counters. No perf binary is needed.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local cc=${FLAME_CC:-cc} w=$BATS_FILE_TMPDIR/wl flags="-O2 -g -fno-omit-frame-pointer"
	mkdir -p "$w"
	$cc $flags -o "$w/hotcold" "$WORKLOADS/hotcold.c"
	$cc $flags -no-pie -fno-pie -o "$w/hotcold-nopie" "$WORKLOADS/hotcold.c"
	$cc $flags -pthread -o "$w/threads" "$WORKLOADS/threads.c"
	$cc $flags -o "$w/forker" "$WORKLOADS/forker.c"
	$cc $flags -o "$w/jit" "$WORKLOADS/jit.c"
	$cc $flags -shared -fPIC -o "$w/libhot.so" "$WORKLOADS/libhot.c"
	$cc $flags -fPIE -pie -o "$w/usehotlib" "$WORKLOADS/usehotlib.c" -L"$w" -lhot -Wl,-rpath,"$w"
	# The linkers' kinds of PLT: lazy .plt, -z now, non-PIE, and IBT's .plt.sec.
	local plt=(-o "$w/pltloop" "$WORKLOADS/pltloop.c" -L"$w" -lhot -Wl,-rpath,"$w")
	$cc $flags "${plt[@]}"
	$cc $flags -Wl,-z,now "${plt[@]/%pltloop/pltloop-now}"
	$cc $flags -no-pie -fno-pie "${plt[@]/%pltloop/pltloop-nopie}"
	$cc $flags -fcf-protection=full -Wl,-z,ibtplt "${plt[@]/%pltloop/pltloop-ibt}"
	chmod -R a+rX "$BATS_FILE_TMPDIR"
}

setup() {
	W=$BATS_FILE_TMPDIR/wl
	OUT=$BATS_TEST_TMPDIR/out.txt
}

teardown() {
	[ -z "${BG:-}" ] || kill "$BG" 2>/dev/null || true
	[ -z "${SHARED_DIR:-}" ] || rm -rf "$SHARED_DIR"
}

# Folded stacks of a perf script file, with flame-collapse.
fold() { flame-collapse "$@"; }

# Sum of the counts of folded lines matching an awk regex.
weight() { awk -v re="$1" '$0 ~ re { s += $NF } END { print s + 0 }' "$2"; }

# Kernel frames can be sampled here (root, or perf_event_paranoid <= 1).
kernel_allowed() {
	[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]
}

@test "record: a command's hot functions with their ratio (hot_a ~3x hot_b)" {
	# Fixed work (~1 s of CPU), so a busy machine still gives enough samples for the ratio.
	run_split flame-record -F 999 -o "$OUT" -- "$W/hotcold" 0 800
	assert_status 0
	[[ "$stderr" =~ flame-record:\ [0-9]+\ samples,\ 0\ lost ]]
	fold "$OUT" > "$BATS_TEST_TMPDIR/f"
	a=$(weight '^hotcold;.*main;hot_a( |;)' "$BATS_TEST_TMPDIR/f")
	b=$(weight '^hotcold;.*main;hot_b( |;)' "$BATS_TEST_TMPDIR/f")
	echo "hot_a=$a hot_b=$b"
	[ "$b" -gt 0 ]
	# 3x the work; allow for noise in the sampling.
	[ $((a * 10)) -ge $((b * 20)) ]
	[ $((a * 10)) -le $((b * 45)) ]
}

@test "record: perf script's default text (header fields, frame lines, blank line, time order)" {
	flame-record -F 499 -- "$W/threads" 0.5 > "$OUT" 2>/dev/null
	[ -s "$OUT" ]
	awk '
		state == 0 {
			if ($0 !~ /^[^ \t].* +[0-9]+\/[0-9]+ +\[[0-9][0-9][0-9]\] +[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]: +[0-9]+ cpu-clock(:u)?: $/) { print "bad header: " $0; bad = 1; exit 1 }
			match($0, /[0-9]+\.[0-9]+:/); t = substr($0, RSTART, RLENGTH - 1) + 0
			if (t < last) { print "out of time order: " $0; bad = 1; exit 1 }
			last = t; state = 1; frames = 0; next
		}
		/^$/ { if (!frames) { print "sample without frames"; bad = 1; exit 1 } state = 0; n++; next }
		/^\t *[0-9a-f]+ [^ ].* \(.+\)$/ { frames++; next }
		{ print "bad frame line: " $0; bad = 1; exit 1 }
		END { if (!bad && state != 0) { print "last sample not closed by a blank line"; exit 1 } if (!bad) print n " samples" }
	' "$OUT"
}

@test "record: all threads of a command, each under its own tid" {
	# The same work in each thread (not the same time: the machine may be busy).
	flame-record -F 999 -o "$OUT" -- "$W/threads" 0 5000
	fold "$OUT" > "$BATS_TEST_TMPDIR/f"
	left=$(weight ';worker_left;spin' "$BATS_TEST_TMPDIR/f")
	right=$(weight ';worker_right;spin' "$BATS_TEST_TMPDIR/f")
	total=$(weight . "$BATS_TEST_TMPDIR/f")
	echo "left=$left right=$right total=$total"
	[ $((left * 4)) -ge "$total" ]
	[ $((right * 4)) -ge "$total" ]
	tids=$(awk '/^threads / { split($2, p, "/"); print p[2] }' "$OUT" | sort -u | wc -l)
	[ "$tids" -ge 2 ]
}

@test "record: children are followed, and a child that execs is symbolized as its new program" {
	flame-record -F 999 -o "$OUT" -- "$W/forker" 0.5 "$W/hotcold" 0.5
	fold --pid "$OUT" > "$BATS_TEST_TMPDIR/f"
	cat "$BATS_TEST_TMPDIR/f" | cut -c1-150 | head -20
	[ "$(weight '^forker-[0-9]+;.*main;parent_work;burn' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	[ "$(weight '^forker-[0-9]+;.*main;child_work;burn' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	[ "$(weight '^hotcold-[0-9]+;.*main;hot_a' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	pids=$(awk '/^(forker|hotcold) / { split($2, p, "/"); print p[1] }' "$OUT" | sort -u | wc -l)
	[ "$pids" -eq 2 ]
}

@test "record: short-lived processes and deleted binaries are still symbolized" {
	cp "$W/hotcold" "$BATS_TEST_TMPDIR/gone"
	flame-record -F 999 -o "$OUT" -- sh -c "for i in 1 2 3 4 5; do '$W/hotcold' 0.05; done; '$BATS_TEST_TMPDIR/gone' 0.3; rm '$BATS_TEST_TMPDIR/gone'"
	[ ! -e "$BATS_TEST_TMPDIR/gone" ]
	fold "$OUT" > "$BATS_TEST_TMPDIR/f"
	[ "$(weight '^hotcold;.*main;hot_a' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	[ "$(weight '^gone;.*main;hot_a' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
}

@test "record: exits with the command's status" {
	run flame-record -q -- sh -c 'exit 3'
	assert_status 3
	run flame-record -q -- false
	assert_status 1
}

@test "record: a command that does not exist is a clear error (127), nothing on stdout" {
	run -127 bash -c 'flame-record -- /nonexistent/command arg 2> "$1"' _ "$BATS_TEST_TMPDIR/err"
	[ -z "$output" ]
	stderr=$(cat "$BATS_TEST_TMPDIR/err")
	[[ "$stderr" == *"flame-record: cannot run '/nonexistent/command': No such file or directory"* ]]
}

@test "record: the command's own output goes to stderr when the samples go to stdout" {
	run_split flame-record -q -- echo hello-from-command
	assert_status 0
	[[ "$stderr" == *hello-from-command* ]]
	[[ "$output" != *hello-from-command* ]]
	run flame-record -q -o "$OUT" -- echo hello-from-command
	[ "$output" = hello-from-command ]
}

@test "record: -p on a running process, all its threads, stopped by -d" {
	"$W/threads" 30 > /dev/null &
	BG=$!
	sleep 0.2
	run_split flame-record -F 999 -d 1 -p "$BG"
	assert_status 0
	[[ "$stderr" =~ flame-record:\ [0-9]+\ samples ]]
	echo "$output" > "$OUT"
	fold "$OUT" > "$BATS_TEST_TMPDIR/f"
	[ "$(weight ';worker_left;spin' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	[ "$(weight ';worker_right;spin' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	kill -0 "$BG"       # -p does not stop the process
}

@test "record: -p ends when the process exits; several pids" {
	"$W/hotcold" 0.5 > /dev/null &
	p1=$!
	"$W/forker" 0.5 > /dev/null &
	p2=$!
	sleep 0.1
	run flame-record -q -F 999 -p "$p1,$p2"
	assert_status 0
	[[ "$output" == *hot_a* ]]
	[[ "$output" == *parent_work* ]]
	wait
}

@test "record: -p on a process whose binary was replaced since it started: its own symbols" {
	[ "$(id -u)" = 0 ] || skip "reading a deleted binary through /proc/PID/map_files needs root"
	cp "$W/hotcold" "$BATS_TEST_TMPDIR/app"
	"$BATS_TEST_TMPDIR/app" 30 > /dev/null &
	BG=$!
	sleep 0.2
	# An upgrade: a different program under the same name.
	cp "$W/usehotlib" "$BATS_TEST_TMPDIR/app.new"
	mv "$BATS_TEST_TMPDIR/app.new" "$BATS_TEST_TMPDIR/app"
	flame-record -F 999 -d 0.5 -o "$OUT" -p "$BG"
	grep -qE " hot_a\+0x[0-9a-f]+ \($BATS_TEST_TMPDIR/app \(deleted\)\)$" "$OUT"
	refute grep -qE 'syscalls_loop|clock_loop' "$OUT"
}

@test "record: -p of a process that does not exist" {
	run_split flame-record -p 999999999
	assert_status 2
	[[ "$stderr" == *"no such process: 999999999"* ]]
}

@test "record: -a samples the whole system for -d seconds" {
	kernel_allowed || skip "system-wide recording needs root or perf_event_paranoid <= 0"
	"$W/hotcold" 30 > /dev/null &
	BG=$!
	run_split flame-record -a -F 499 -d 1 -o "$OUT"
	assert_status 0
	fold "$OUT" > "$BATS_TEST_TMPDIR/f"
	[ "$(weight '^hotcold;.*main;hot_a' "$BATS_TEST_TMPDIR/f")" -gt 0 ]
	# The CPU column is filled from the sample.
	grep -qE '^[^ ]+ +[0-9]+/[0-9]+ +\[[0-9]{3}\] ' "$OUT"
}

@test "record: -d ends recording a command that runs longer (and stops it)" {
	run_split flame-record -F 499 -d 0.5 -o "$OUT" -- "$W/hotcold" 30
	[ "$status" -eq 143 ]       # the command was ended with SIGTERM
	[[ "$stderr" =~ flame-record:\ [0-9]+\ samples ]]
	[ "$(fold "$OUT" | weight 'hot_a' /dev/stdin)" -gt 0 ]
}

@test "record: SIGINT stops cleanly and everything sampled is written" {
	flame-record -F 999 -o "$OUT" -- "$W/hotcold" 30 2> "$BATS_TEST_TMPDIR/err" &
	rec=$!
	sleep 1
	kill -INT "$rec"
	status=0
	wait "$rec" || status=$?
	cat "$BATS_TEST_TMPDIR/err"
	[ "$status" -eq 143 ]       # the command got SIGTERM, as perf does to its workload
	grep -qE 'flame-record: [0-9]+ samples, [0-9]+ lost' "$BATS_TEST_TMPDIR/err"
	[ "$(tail -c 2 "$OUT" | od -An -c | tr -d ' ')" = '\n\n' ]
	[ "$(fold "$OUT" | weight 'main;hot_a' /dev/stdin)" -gt 0 ]
}

@test "record: SIGTERM stops -p recording with status 0" {
	"$W/hotcold" 30 > /dev/null &
	BG=$!
	flame-record -F 999 -o "$OUT" -p "$BG" 2> "$BATS_TEST_TMPDIR/err" &
	rec=$!
	sleep 1
	kill -TERM "$rec"
	wait "$rec"
	grep -q 'hot_a' "$OUT"
}

@test "record: symbols of PIE and non-PIE executables and of shared libraries" {
	flame-record -F 999 -o "$OUT" -- "$W/hotcold-nopie" 0.5
	grep -qE "^\s+[0-9a-f]+ hot_a\+0x[0-9a-f]+ \($W/hotcold-nopie\)$" "$OUT"
	flame-record -F 999 -o "$OUT" -- "$W/usehotlib" 1
	grep -qE "^\s+[0-9a-f]+ lib_hot_loop\+0x[0-9a-f]+ \($W/libhot.so\)$" "$OUT"
	grep -qE "^\s+[0-9a-f]+ main\+0x[0-9a-f]+ \($W/usehotlib\)$" "$OUT"
	grep -qE '^\s+[0-9a-f]+ [^ ]+\+0x[0-9a-f]+ \(/.*libc\.so\.6\)$' "$OUT"
}

@test "record: PLT stubs are named NAME@plt, as perf names them (.plt, -z now, non-PIE, .plt.sec)" {
	[ "$(uname -m)" = x86_64 ] || skip "PLT stubs are decoded on x86-64 only"
	for v in pltloop pltloop-now pltloop-nopie pltloop-ibt; do
		flame-record -F 999 -o "$OUT" -- "$W/$v" 0.3 > /dev/null
		# About a third of the samples are in the stub: its leaf frames all carry its name.
		grep -qE "^\s+[0-9a-f]+ lib_next@plt\+0x[0-9a-f]+ \($W/$v\)$" "$OUT" || { echo "$v: no lib_next@plt"; return 1; }
		# Not the sizeless _init before it, as perf 6.1 prints.
		refute grep -E "^\s+[0-9a-f]+ _init\+0x[0-9a-f]+ \($W/$v\)$" "$OUT"
	done
}

@test "record: the vDSO's symbols" {
	flame-record -F 999 -o "$OUT" -- "$W/usehotlib" 1
	grep -E '\(\[vdso\]\)$' "$OUT" | head -3
	grep -qE '^\s+[0-9a-f]+ [a-z_]*clock_gettime[a-z_0-9]*\+0x[0-9a-f]+ \(\[vdso\]\)$' "$OUT"
}

@test "record: kernel frames named from /proc/kallsyms" {
	kernel_allowed || skip "kernel samples need root or perf_event_paranoid <= 1"
	flame-record -F 999 -o "$OUT" -- "$W/usehotlib" 1
	grep -qE '^\s+ffff[0-9a-f]+ [a-z_][a-zA-Z0-9_.]*\+0x[0-9a-f]+ \(\[kernel\.kallsyms\]\)$' "$OUT"
	# perf's kernel frames sit above the user frames of the same sample.
	fold --kernel "$OUT" | grep -qE ';main;[^ ]*pread[^ ]*;[^ ]*_\[k\]'
}

@test "record: --user-only leaves the kernel out" {
	flame-record --user-only -F 999 -o "$OUT" -- "$W/usehotlib" 0.5
	grep -q 'cpu-clock:u: $' "$OUT"
	refute grep -q 'kernel.kallsyms' "$OUT"
	grep -q lib_hot_loop "$OUT"
}

@test "record: JIT symbols from /tmp/perf-PID.map" {
	[ "$(uname -m)" = x86_64 ] || skip "the JIT workload emits x86-64 code"
	flame-record -F 999 -o "$OUT" -- "$W/jit" 0.5 unlink-map-after
	grep -qE '^\s+[0-9a-f]+ jit_counting_loop\+0x[0-9a-f]+ \(/tmp/perf-[0-9]+\.map\)$' "$OUT"
	fold --jit "$OUT" | grep -q 'jit_counting_loop_\[j\]'
}

@test "record: symbols from a separate debug file (.gnu_debuglink)" {
	command -v objcopy > /dev/null || skip "objcopy not installed"
	d=$BATS_TEST_TMPDIR/dbg
	mkdir -p "$d/.debug"
	cp "$W/hotcold" "$d/stripped"
	objcopy --only-keep-debug "$d/stripped" "$d/.debug/stripped.debug"
	objcopy --strip-all --add-gnu-debuglink="$d/.debug/stripped.debug" "$d/stripped"
	if objdump -t "$d/stripped" | grep -q hot_a; then flunk "the stripped binary still has the symbol hot_a"; fi
	flame-record -F 999 -o "$OUT" -- "$d/stripped" 0.5
	grep -qE "^\s+[0-9a-f]+ hot_a\+0x[0-9a-f]+ \($d/stripped\)$" "$OUT"
}

@test "record: symbols from a separate debug file found by build-id (--debug-dir)" {
	command -v objcopy > /dev/null && command -v readelf > /dev/null || skip "binutils not installed"
	d=$BATS_TEST_TMPDIR/bid
	mkdir -p "$d"
	cp "$W/hotcold" "$d/app"
	id=$(readelf -n "$d/app" | awk '/Build ID:/ { print $3 }')
	[ -n "$id" ] || skip "the compiler wrote no build-id"
	mkdir -p "$d/debug/.build-id/${id:0:2}"
	objcopy --only-keep-debug "$d/app" "$d/debug/.build-id/${id:0:2}/${id:2}.debug"
	strip --strip-all "$d/app"
	flame-record -F 999 -o "$OUT" -- "$d/app" 0.3
	refute grep -q hot_a "$OUT"
	flame-record -F 999 --debug-dir "$d/debug" -o "$OUT" -- "$d/app" 0.3
	grep -qE "^\s+[0-9a-f]+ hot_a\+0x[0-9a-f]+ \($d/app\)$" "$OUT"
	# A debug file of another build (another build-id) is not used.
	cp "$W/hotcold-nopie" "$d/debug/.build-id/${id:0:2}/${id:2}.debug"
	flame-record -F 999 --debug-dir "$d/debug" -o "$OUT" -- "$d/app" 0.3
	refute grep -q hot_a "$OUT"
}

@test "record: unprivileged with perf_event_paranoid 2: user space of its own command" {
	[ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
	command -v setpriv > /dev/null || skip "setpriv not installed"
	[ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 2 ] || skip "kernel.perf_event_paranoid < 2 here"
	# A directory the unprivileged user can reach (bats' own are private).
	SHARED_DIR=$(mktemp -d /tmp/flame-record-test.XXXXXX)
	chmod 755 "$SHARED_DIR"
	cp "$FLAME_BIN/flame-record" "$W/hotcold" "$SHARED_DIR/"
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$SHARED_DIR/flame-record" -F 999 -- "$SHARED_DIR/hotcold" 0.5
	assert_status 0
	[[ "$stderr" == *"kernel.perf_event_paranoid = "*"recording user space only"*"sysctl -w kernel.perf_event_paranoid=1"* ]]
	[[ "$output" == *"cpu-clock:u: "* ]]
	[[ "$output" == *hot_a* ]]
	[[ "$output" != *kernel.kallsyms* ]]
	# -p on its own running process.
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		'"$1/hotcold" 3 > /dev/null & sleep 0.2; "$1/flame-record" -F 999 -d 0.5 -p $!; s=$?; kill $!; exit $s' _ "$SHARED_DIR"
	assert_status 0
	[[ "$output" == *hot_a* ]]
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$SHARED_DIR/flame-record" -a -d 0.1
	assert_status 2
	[[ "$stderr" == *"system-wide recording (-a) was refused"*"kernel.perf_event_paranoid"* ]]
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$SHARED_DIR/flame-record" -p 1 -d 0.1
	assert_status 2
	[[ "$stderr" == *"not allowed to record thread 1"* ]]
}

@test "record: events: page-faults with -c, and a hardware event falls back to cpu-clock when unsupported" {
	flame-record -e page-faults -c 1 -o "$OUT" -- "$W/hotcold" 0.1
	grep -qE ' +1 page-faults(:u)?: $' "$OUT"
	run_split flame-record -e cycles -F 499 -o "$OUT" -- "$W/hotcold" 0.3
	assert_status 0
	if [[ "$stderr" == *"sampling cpu-clock instead"* ]]; then
		grep -q ' cpu-clock\(:u\)\?: $' "$OUT"
	else
		grep -q ' cycles\(:u\)\?: $' "$OUT"
	fi
	grep -q hot_a "$OUT"
	flame-record -e task-clock -F 499 -o "$OUT" -- "$W/hotcold" 0.3
	grep -qE ' task-clock(:u)?: $' "$OUT"
	grep -q hot_a "$OUT"
	flame-record -e context-switches -c 1 -o "$OUT" -- sh -c 'for i in 1 2 3 4 5; do sleep 0.01; done'
	grep -qE ' +1 context-switches(:u)?: $' "$OUT"
}

@test "record: C++ names are demangled by default as perf script prints them, not with --no-demangle" {
	command -v "${FLAME_CXX:-c++}" > /dev/null || skip "no C++ compiler"
	"${FLAME_CXX:-c++}" -O2 -g -fno-omit-frame-pointer -o "$BATS_TEST_TMPDIR/cxx" "$WORKLOADS/cxx.cc"
	flame-record --no-demangle -F 999 -o "$OUT" -- "$BATS_TEST_TMPDIR/cxx" 0.5
	grep -qE ' _ZNK6shapes6Circle4areaEi\+0x' "$OUT"
	flame-record -F 999 -o "$OUT" -- "$BATS_TEST_TMPDIR/cxx" 0.5
	if grep -q ' _ZNK6shapes6Circle4areaEi+0x' "$OUT"; then
		skip "flame-record was built without common/demangle.c"
	fi
	# As perf script prints them: without parameter lists (perf passes DMGL_NO_OPTS) ...
	grep -qF ' shapes::Circle::area+0x' "$OUT"
	grep -qF ' scale<unsigned long>+0x' "$OUT"
	# ... and with them, as perf script -v does.
	flame-record --demangle-params -F 999 -o "$OUT" -- "$BATS_TEST_TMPDIR/cxx" 0.5
	grep -qF ' shapes::Circle::area(int) const+0x' "$OUT"
	grep -qF ' unsigned long scale<unsigned long>(unsigned long, int)+0x' "$OUT"
}

@test "record: a C++ function's PLT stub is demangled before its @plt, as perf does" {
	[ "$(uname -m)" = x86_64 ] || skip "PLT stubs are decoded on x86-64 only"
	local cxx=${FLAME_CXX:-c++} t=$BATS_TEST_TMPDIR
	command -v "$cxx" > /dev/null || skip "no C++ compiler"
	"$cxx" -O2 -g -fno-omit-frame-pointer -x c++ -shared -fPIC -o "$t/libhotxx.so" "$WORKLOADS/libhot.c"
	"$cxx" -O2 -g -fno-omit-frame-pointer -x c++ -o "$t/pltloopxx" "$WORKLOADS/pltloop.c" -L"$t" -lhotxx -Wl,-rpath,"$t"
	flame-record -F 999 -o "$OUT" -- "$t/pltloopxx" 0.3 > /dev/null
	grep -qE "^\s+[0-9a-f]+ lib_next@plt\+0x[0-9a-f]+ \($t/pltloopxx\)$" "$OUT"
	flame-record --no-demangle -F 999 -o "$OUT" -- "$t/pltloopxx" 0.3 > /dev/null
	grep -qE "^\s+[0-9a-f]+ _Z8lib_nextm@plt\+0x[0-9a-f]+ \($t/pltloopxx\)$" "$OUT"
}

@test "record: Rust names (legacy and v0 manglings) are demangled" {
	rustc=${FLAME_RUSTC:-$(command -v rustc || echo "$HOME/.cargo/bin/rustc")}
	[ -x "$rustc" ] || skip "no rustc"
	# Legacy is rustc's default mangling; v0 is asked for.
	for mangling in "" "-C symbol-mangling-version=v0"; do
		# shellcheck disable=SC2086
		"$rustc" -O -C force-frame-pointers=yes $mangling -o "$BATS_TEST_TMPDIR/hotrust" "$WORKLOADS/hotrust.rs"
		flame-record -F 999 -o "$OUT" -- "$BATS_TEST_TMPDIR/hotrust" 0.3
		grep -qE ' (hotrust::shapes::Square::grind|<hotrust::shapes::Square>::grind)\+0x' "$OUT"
		grep -qE ' hotrust::main\+0x' "$OUT"
		flame-record --no-demangle -F 999 -o "$OUT" -- "$BATS_TEST_TMPDIR/hotrust" 0.3
		grep -qE ' (_ZN7hotrust6shapes6Square5grind17h[0-9a-f]{16}E|_R[A-Za-z0-9_]*5grind)\+0x' "$OUT"
	done
}

@test "record: option errors" {
	run_split flame-record
	assert_status 2
	[[ "$stderr" == *"say what to record"* ]]
	run_split flame-record -F abc -- true
	assert_status 2
	[[ "$stderr" == *"-F wants a frequency"* ]]
	run_split flame-record -e no-such-event -- true
	assert_status 2
	[[ "$stderr" == *"unknown event 'no-such-event'"*cpu-clock* ]]
	run_split flame-record -a -p 1
	assert_status 2
	run_split flame-record --call-graph lbr -- true
	assert_status 2
	run flame-record --version
	[[ "$output" == "flame-record "* ]]
	run flame-record --help
	assert_status 0
	[[ "$output" == *--user-only* ]]
}

@test "record: unit tests (ELF reader, symbol tables, maps, kallsyms, perf map, record decoding, output)" {
	run_unit record
}

# The upstream folders are not part of the project (nor installable from Debian): this tier runs
# when they are given, as FLAME_STACKCOLLAPSE_PERF (stackcollapse-perf.pl; or FLAMEGRAPH_DIR, a
# FlameGraph checkout) and FLAME_INFERNO_COLLAPSE_PERF (inferno-collapse-perf), or found in PATH.
@test "record: stackcollapse-perf.pl and inferno-collapse-perf fold flame-record's text as flame-collapse does" {
	local perl_fold=${FLAME_STACKCOLLAPSE_PERF:-$(command -v stackcollapse-perf.pl || true)}
	[ -n "$perl_fold" ] || [ ! -f "${FLAMEGRAPH_DIR:-/nonexistent}/stackcollapse-perf.pl" ] || perl_fold=$FLAMEGRAPH_DIR/stackcollapse-perf.pl
	local inferno_fold=${FLAME_INFERNO_COLLAPSE_PERF:-$(command -v inferno-collapse-perf || true)}
	local refs=() ref opt wl
	if [ -n "$perl_fold" ] && command -v perl > /dev/null; then refs+=("perl $perl_fold"); fi
	if [ -n "$inferno_fold" ]; then refs+=("$inferno_fold"); fi
	[ ${#refs[@]} -gt 0 ] || skip "neither stackcollapse-perf.pl nor inferno-collapse-perf is available (set FLAME_STACKCOLLAPSE_PERF or FLAME_INFERNO_COLLAPSE_PERF)"
	# Threads, a fork, shared libraries, the vDSO and kernel frames, a JIT map, PLT stubs.
	flame-record -F 999 -o "$BATS_TEST_TMPDIR/threads.txt" -- "$W/threads" 0.3 > /dev/null
	flame-record -F 999 -o "$BATS_TEST_TMPDIR/forker.txt" -- "$W/forker" 0.3 > /dev/null
	flame-record -F 999 -o "$BATS_TEST_TMPDIR/usehotlib.txt" -- "$W/usehotlib" 0.3 > /dev/null
	flame-record -F 999 -o "$BATS_TEST_TMPDIR/jit.txt" -- "$W/jit" 0.3 > /dev/null
	flame-record -F 999 -o "$BATS_TEST_TMPDIR/pltloop.txt" -- "$W/pltloop" 0.3 > /dev/null
	for wl in threads forker usehotlib jit pltloop; do
		for opt in "" --all --pid --tid --addrs --kernel --jit; do
			flame-collapse $opt "$BATS_TEST_TMPDIR/$wl.txt" | sort > "$BATS_TEST_TMPDIR/ours"
			[ -s "$BATS_TEST_TMPDIR/ours" ]
			for ref in "${refs[@]}"; do
				$ref $opt "$BATS_TEST_TMPDIR/$wl.txt" 2> /dev/null | sort > "$BATS_TEST_TMPDIR/theirs"
				diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/theirs" ||
					{ echo "$wl $opt: ${ref##*/} folds differently"; return 1; }
			done
		done
	done
}
