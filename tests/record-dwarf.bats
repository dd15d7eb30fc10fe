#!/usr/bin/env bats
# flame-record --call-graph dwarf[,SIZE]: user stacks copied with each sample and unwound with the
# objects' .eh_frame, on the bundled workloads built without frame pointers (where fp mode loses
# the callers), on python3, Rust and C++ code, JIT code, -p, an unprivileged user, bad SIZE values.
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local w=$BATS_FILE_TMPDIR/wl
	mkdir -p "$w"
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -o "$w/chain" "$WORKLOADS/unwind-chain.c"
	"${FLAME_CC:-cc}" -O2 -g -fno-omit-frame-pointer -o "$w/jit" "$WORKLOADS/jit.c"
	chmod -R a+rX "$BATS_FILE_TMPDIR"
}

setup() {
	W=$BATS_FILE_TMPDIR/wl
	OUT=$BATS_TEST_TMPDIR/out.txt
	F=$BATS_TEST_TMPDIR/folded
}

teardown() {
	[ -z "${BG:-}" ] || kill "$BG" 2>/dev/null || true
	[ -z "${SHARED_DIR:-}" ] || rm -rf "$SHARED_DIR"
}

# Sum of the counts of the folded lines (in $F) matching an awk regex (all lines when none given).
weight() { awk -v re="${1:-.}" '$0 ~ re { s += $NF } END { print s + 0 }' "$F"; }

# Average number of frames per sample in a perf script text file.
depth() {
	awk 'BEGIN { RS = ""; FS = "\n" } { t++; f += NF - 1 } END { if (t) printf "%d\n", f * 10 / t; else print 0 }' "$1"
}

kernel_allowed() {
	[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]
}

# Record the C chain in one mode; sets leaf (samples in leaf) and full (of those, with the whole
# main;chain_a;chain_b;chain_c;leaf chain under it).
chain_in_mode() {
	run_split flame-record -F 999 --call-graph "$1" -o "$OUT" -- "$W/chain" 1
	echo "$stderr"
	assert_status 0
	flame-collapse "$OUT" > "$F"
	leaf=$(weight ';leaf( |;)')
	full=$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')
	echo "$1: $full of $leaf samples in leaf have the whole chain"
}

@test "record dwarf: recovers main;chain_a;chain_b;chain_c;leaf that fp mode loses (C, -O2 -fomit-frame-pointer)" {
	chain_in_mode fp
	[ "$leaf" -gt 50 ]
	[ $((full * 100)) -lt $((leaf * 20)) ]
	chain_in_mode dwarf
	[[ "$stderr" =~ flame-record:\ [0-9]+\ samples,\ [0-9]+\ lost ]]
	[[ "$stderr" =~ unwound\ [0-9]+\ user\ stacks ]]
	[ "$leaf" -gt 50 ]
	[ $((full * 100)) -ge $((leaf * 90)) ]
	# Down to the program's entry point, through libc.
	[ "$(weight '^chain;_start;.*__libc_start_call_main;main;chain_a;chain_b;chain_c;leaf( |;)')" -eq "$full" ]
}

@test "record dwarf: perf script's text, the same as fp mode's; return addresses as perf prints them (minus one)" {
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$W/chain" 0.5
	head -12 "$OUT"
	grep -qE '^chain +[0-9]+/[0-9]+ +\[[0-9]{3}\] +[0-9]+\.[0-9]{6}: +[0-9]+ cpu-clock: $' "$OUT"
	# Every frame line has the fp mode's shape.
	refute grep -vE '^$|^chain |^	 *[0-9a-f]+ ([^ ].*\+0x[0-9a-f]+|\[unknown\]) \(.*\)$' "$OUT"
	# A caller's line: its address is the return address - 1, inside the call instruction (as
	# perf script prints unwound frames), so the offset into the symbol agrees with the address.
	local line addr off
	line=$(grep -m1 -E '^\s+[0-9a-f]+ chain_c\+0x[0-9a-f]+ ' "$OUT")
	addr=$(awk '{ print $1 }' <<< "$line")
	off=$(sed -E 's/.*\+0x([0-9a-f]+) .*/\1/' <<< "$line")
	[ $((0x$off)) -gt 0 ]
	# The leaf's address is the sampled ip itself: odd return addresses are no proof, but the
	# caller's call instruction (5 bytes) ends one past the printed address.
	objdump -d "$W/chain" > "$BATS_TEST_TMPDIR/dis" 2>/dev/null || skip "objdump is not installed"
	local sym_start
	sym_start=$(awk '/<chain_c>:$/ { print $1 }' "$BATS_TEST_TMPDIR/dis")
	[ -n "$sym_start" ]
	# The instruction after the call starts at chain_c + off + 1.
	grep -qE "^ +$(printf '%x' $((0x$sym_start + 0x$off + 1))):" "$BATS_TEST_TMPDIR/dis"
}

@test "record dwarf: kernel frames from the kernel's chain above the unwound user frames" {
	kernel_allowed || skip "kernel samples need root or perf_event_paranoid <= 1"
	# A program spending its time in system calls, built without frame pointers.
	printf '#include <unistd.h>\n#include <fcntl.h>\n__attribute__((noinline)) static void rd(int fd) { char b[4096]; for (int i = 0; i < 20000; i++) if (pread(fd, b, sizeof b, 0) < 0) return; }\n__attribute__((noinline)) static void outer(int fd) { for (int i = 0; i < 30; i++) rd(fd); }\nint main(void) { int fd = open("/proc/self/exe", O_RDONLY); outer(fd); return 0; }\n' \
		> "$BATS_TEST_TMPDIR/sys.c"
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/sys" "$BATS_TEST_TMPDIR/sys.c"
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$BATS_TEST_TMPDIR/sys"
	flame-collapse --kernel "$OUT" > "$F"
	local kern whole
	kern=$(weight '_\[k\]')
	whole=$(weight ';main;outer;rd;[^ ]*pread[^ ]*;[^ ]*_\[k\]')
	echo "$whole of $kern samples with kernel frames have main;outer;rd;pread below them"
	[ "$kern" -gt 20 ]
	[ $((whole * 100)) -ge $((kern * 80)) ]
	# No user frame above a kernel frame in a sample.
	! awk 'BEGIN { RS = ""; FS = "\n" } { for (i = 2; i <= NF; i++) { if ($i ~ /kernel\.kallsyms/) { if (u) bad = 1 } else u = 1 } u = 0 } END { exit !bad }' "$OUT"
}

@test "record dwarf: C++ (FDEs with LSDA pointers) and Rust release builds" {
	local cxx=${FLAME_CXX:-c++}
	command -v "$cxx" > /dev/null || skip "no C++ compiler"
	"$cxx" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/chain-cc" "$WORKLOADS/unwind-chain.cc"
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$BATS_TEST_TMPDIR/chain-cc" 1
	flame-collapse "$OUT" > "$F"
	leaf=$(weight ';leaf( |;)')
	full=$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')
	echo "C++: $full of $leaf"
	[ "$leaf" -gt 50 ]
	[ $((full * 100)) -ge $((leaf * 90)) ]
	command -v rustc > /dev/null || skip "rustc is not installed (C++ checked)"
	rustc -C opt-level=3 -o "$BATS_TEST_TMPDIR/chain-rs" "$WORKLOADS/unwind-chain.rs"
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$BATS_TEST_TMPDIR/chain-rs" 1
	flame-collapse "$OUT" > "$F"
	leaf=$(weight ';unwind_chain::leaf( |;)')
	full=$(weight ';main;.*unwind_chain::main;unwind_chain::chain_a;unwind_chain::chain_b;unwind_chain::chain_c;unwind_chain::leaf( |;)')
	echo "Rust: $full of $leaf"
	[ "$leaf" -gt 50 ]
	[ $((full * 100)) -ge $((leaf * 90)) ]
}

@test "record dwarf: python3 shows the frames below the interpreter's eval loop" {
	local py
	py=$(command -v python3) || skip "python3 is not installed"
	if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; fi   # the distribution's binary, not a shim script
	printf 'import time\ndef fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)\nend = time.time() + 1\nwhile time.time() < end: fib(15)\n' \
		> "$BATS_TEST_TMPDIR/fib.py"
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$py" "$BATS_TEST_TMPDIR/fib.py"
	flame-collapse "$OUT" > "$F"
	local eval below
	eval=$(weight '_PyEval_EvalFrameDefault')
	below=$(weight '(^|;)(main|Py_BytesMain|Py_RunMain|Py_Main);(.*;)?_PyEval_EvalFrameDefault')
	echo "$below of $eval eval-loop samples reach main"
	[ "$eval" -gt 50 ]
	[ $((below * 100)) -ge $((eval * 80)) ]
}

@test "record dwarf: SIZE bounds the stack copied: a tiny one cuts the stacks short" {
	flame-record -F 999 --call-graph dwarf,16 -o "$OUT" -- "$W/chain" 0.5
	local short full
	short=$(depth "$OUT")
	flame-collapse "$OUT" > "$F"
	echo "dwarf,16: $(weight ';main;chain_a;chain_b;chain_c;leaf( |;)') of $(weight) samples whole, depth x10 $short"
	[ "$(weight)" -gt 20 ]
	[ "$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')" -eq 0 ]
	flame-record -F 999 --call-graph dwarf,65528 -o "$OUT" -- "$W/chain" 0.5
	full=$(depth "$OUT")
	echo "dwarf,65528: depth x10 $full"
	[ "$full" -gt $((short + 20)) ]
	# A SIZE that is not a multiple of 8 is rounded up, as perf does.
	flame-record -F 999 --call-graph dwarf,1001 -o "$OUT" -- "$W/chain" 0.3
	flame-collapse "$OUT" > "$F"
	[ "$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')" -gt 0 ]
}

@test "record dwarf: bad --call-graph values are exit 2 with a clear message" {
	for bad in dwarf,0 dwarf,65529 dwarf,abc dwarf, dwarf,-8 dwarf,8k; do
		run_split flame-record --call-graph "$bad" -- true
		echo "$bad: $status $stderr"
		assert_status 2
		[[ "$stderr" == *"--call-graph dwarf,SIZE wants the bytes of user stack to copy per sample, 1 to 65528"* ]]
		[ -z "$output" ]
	done
	for bad in lbr dwarfx fp,8192 ''; do
		run_split flame-record --call-graph "$bad" -- true
		assert_status 2
		[[ "$stderr" == *"is not supported: fp (frame pointers) or dwarf[,SIZE]"* ]]
	done
	run flame-record --help
	[[ "$output" == *"dwarf[,SIZE]"* ]]
}

@test "record dwarf: JIT code (no .eh_frame): the sample keeps its ip, named from the perf map" {
	[ "$(uname -m)" = x86_64 ] || skip "the JIT workload emits x86-64 code"
	run_split flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$W/jit" 0.5 unlink-map-after
	echo "$stderr"
	assert_status 0
	grep -qE '^\s+[0-9a-f]+ jit_counting_loop\+0x[0-9a-f]+ \(/tmp/perf-[0-9]+\.map\)$' "$OUT"
}

@test "record dwarf: code without unwind tables: the sampled function is kept, unwinding stops there" {
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables \
		-o "$BATS_TEST_TMPDIR/noeh" "$WORKLOADS/unwind-chain.c"
	run_split flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$BATS_TEST_TMPDIR/noeh" 0.5
	echo "$stderr"
	assert_status 0
	flame-collapse "$OUT" > "$F"
	echo "$(weight '^noeh;leaf( |;|$)') of $(weight) samples: noeh;leaf"
	[ "$(weight)" -gt 20 ]
	# No FDE for leaf: the samples in it keep leaf, with no invented callers.
	[ $(($(weight '^noeh;leaf( |;)') * 100)) -ge $(($(weight ';leaf( |;)') * 90)) ]
	# Every sample has at least its ip.
	! awk 'BEGIN { RS = ""; FS = "\n" } NF < 2 { bad = 1 } END { exit !bad }' "$OUT"
}

@test "record dwarf: threads unwound on their own stacks, down to clone3;start_thread" {
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -pthread -o "$BATS_TEST_TMPDIR/threads" "$WORKLOADS/threads.c"
	flame-record -F 999 --call-graph dwarf -o "$OUT" -- "$BATS_TEST_TMPDIR/threads" 0.5
	flame-collapse "$OUT" > "$F"
	local spin whole
	spin=$(weight ';spin( |;)')
	whole=$(weight '^threads;(clone3|clone);start_thread;worker_(left|right);spin( |;)')
	echo "$whole of $spin samples in spin have the whole thread stack"
	[ "$spin" -gt 50 ]
	[ $((whole * 100)) -ge $((spin * 90)) ]
	[ "$(weight ';worker_left;spin( |;)')" -gt 0 ]
	[ "$(weight ';worker_right;spin( |;)')" -gt 0 ]
}

@test "record dwarf: -p on a running process" {
	"$W/chain" 3 &
	BG=$!
	sleep 0.3
	flame-record -F 999 --call-graph dwarf -d 0.7 -p "$BG" -o "$OUT"
	flame-collapse "$OUT" > "$F"
	leaf=$(weight ';leaf( |;)')
	full=$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')
	echo "$full of $leaf"
	[ "$leaf" -gt 30 ]
	[ $((full * 100)) -ge $((leaf * 90)) ]
}

@test "record dwarf: unprivileged with perf_event_paranoid 2: user stacks of its own command" {
	[ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
	command -v setpriv > /dev/null || skip "setpriv not installed"
	[ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 2 ] || skip "kernel.perf_event_paranoid < 2 here"
	SHARED_DIR=$(mktemp -d /tmp/flame-record-test.XXXXXX)
	chmod 755 "$SHARED_DIR"
	cp "$FLAME_BIN/flame-record" "$W/chain" "$SHARED_DIR/"
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$SHARED_DIR/flame-record" -F 999 \
		--call-graph dwarf -- "$SHARED_DIR/chain" 1
	assert_status 0
	[[ "$stderr" == *"recording user space only"* ]]
	[[ "$output" == *"cpu-clock:u: "* ]]
	[[ "$output" != *kernel.kallsyms* ]]
	printf '%s\n' "$output" > "$OUT"
	flame-collapse "$OUT" > "$F"
	leaf=$(weight ';leaf( |;)')
	full=$(weight ';main;chain_a;chain_b;chain_c;leaf( |;)')
	echo "$full of $leaf"
	[ "$leaf" -gt 50 ]
	[ $((full * 100)) -ge $((leaf * 90)) ]
}

@test "record dwarf: as deep as perf record --call-graph dwarf + perf script on the same programs (when perf is here)" {
	command -v perf > /dev/null || skip "perf is not installed"
	perf record -q -o "$BATS_TEST_TMPDIR/probe.data" -- true 2>/dev/null || skip "perf record is not allowed here"
	local py=
	if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; fi
	printf 'import time\ndef f(n): return n if n < 2 else f(n - 1) + f(n - 2)\nend = time.time() + 1\nwhile time.time() < end: f(15)\n' \
		> "$BATS_TEST_TMPDIR/fib.py"
	for cmd in "$W/chain 1" ${py:+"$py $BATS_TEST_TMPDIR/fib.py"}; do
		# shellcheck disable=SC2086
		perf record -q -F 999 --call-graph dwarf -o "$BATS_TEST_TMPDIR/perf.data" -- $cmd > /dev/null 2>&1
		perf script -i "$BATS_TEST_TMPDIR/perf.data" 2>/dev/null > "$BATS_TEST_TMPDIR/perf.txt"
		# shellcheck disable=SC2086
		flame-record -F 999 --call-graph dwarf -o "$OUT" -- $cmd > /dev/null 2>&1
		# Average user frames per sample (kernel addresses start with ffff), times ten.
		local ours theirs
		ours=$(awk 'BEGIN { RS = ""; FS = "\n" } { t++; for (i = 2; i <= NF; i++) if ($i !~ /^[ \t]*ffff/) u++ } END { print int(u * 10 / t) }' "$OUT")
		theirs=$(awk 'BEGIN { RS = ""; FS = "\n" } { t++; for (i = 2; i <= NF; i++) if ($i !~ /^[ \t]*ffff/) u++ } END { print int(u * 10 / t) }' "$BATS_TEST_TMPDIR/perf.txt")
		echo "$cmd: user frames per sample x10: flame-record $ours, perf $theirs"
		[ "$theirs" -gt 0 ]
		[ "$ours" -ge $((theirs - 5)) ]
	done
}

@test "record dwarf: unit tests (decoding registers and stack copies, kernel + unwound frames, cut-short and JIT stacks)" {
	run_unit record_dwarf
}
