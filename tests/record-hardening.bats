#!/usr/bin/env bats
# flame-record against hostile surroundings and failing outputs (issue 13), and the record
# decoders, ordering queue and session shared with the perf.data reader (issue 14).

load helpers
bats_require_minimum_version 1.5.0

@test "record: unit tests of the record decoders, the ordering queue, /proc maps and the session" {
	[ -n "${FLAME_UNIT:-}" ] || skip "FLAME_UNIT is not set: run through make test"
	[ -x "$FLAME_UNIT/record_session" ] || { echo "unit test record_session was not built"; return 1; }
	run "$FLAME_UNIT/record_session"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" checks, 0 failed"* ]]
}

setup_file() {
	local cc=${FLAME_CC:-cc} w=$BATS_FILE_TMPDIR/wl flags="-O2 -g -fno-omit-frame-pointer"
	mkdir -p "$w"
	$cc $flags -o "$w/hotcold" "$WORKLOADS/hotcold.c"
	$cc $flags -o "$w/jit" "$WORKLOADS/jit.c"
	chmod -R a+rX "$BATS_FILE_TMPDIR"
}

setup() {
	W=$BATS_FILE_TMPDIR/wl
	OUT=$BATS_TEST_TMPDIR/out.txt
	MAPS=()
}

teardown() {
	[ -z "${BG:-}" ] || kill -9 "$BG" 2>/dev/null || true
	[ -z "${BG:-}" ] || wait "$BG" 2>/dev/null || true
	local m
	for m in "${MAPS[@]}"; do rm -f "$m"; done
}

# A workload running in the background for -p: BG is its pid, MAP its /tmp/perf-PID.map path
# (removed by teardown).
start_workload() {
	"$@" & BG=$!
	MAP=/tmp/perf-$BG.map
	MAPS+=("$MAP")
}

# Memory for a run that must not grow without bound (not under ASan or valgrind, which reserve
# terabytes of address space).
limit_memory() {
	if [ -z "${FLAME_VALGRIND:-}" ] && [[ $FLAME_BIN != *sanitize* ]]; then ulimit -v 1500000; fi
}

@test "record: a FIFO planted as /tmp/perf-PID.map is refused, not waited on" {
	start_workload "$W/hotcold" 5
	rm -f "$MAP"
	mkfifo "$MAP"
	run_split timeout 10 flame-record -p "$BG" -d 0.5 -o "$OUT"
	assert_status 0
	assert_stderr_has "$MAP: not a regular file: not read"
	assert_file_has "$OUT" hot_a
}

@test "record: a symbolic link planted as /tmp/perf-PID.map (to /dev/zero) is refused" {
	start_workload "$W/hotcold" 5
	rm -f "$MAP"
	ln -s /dev/zero "$MAP"
	limit_memory
	run_split timeout 60 flame-record -p "$BG" -d 0.5 -o "$OUT"
	assert_status 0
	assert_stderr_has "$MAP: a symbolic link: not read"
}

@test "record: a huge sparse /tmp/perf-PID.map is read up to 64 MiB, with a warning" {
	start_workload "$W/hotcold" 5
	rm -f "$MAP"
	truncate -s 100G "$MAP"
	limit_memory
	run_split timeout 60 flame-record -p "$BG" -d 0.5 -o "$OUT"
	assert_status 0
	assert_stderr_has "$MAP: larger than 64 MiB: only its first 64 MiB read"
	assert_file_has "$OUT" hot_a
}

@test "record: a /tmp/perf-PID.map owned by another user than the process's or root is refused" {
	[ "$(uname -m)" = x86_64 ] || skip "the JIT workload emits x86-64 code"
	[ "$(id -u)" -eq 0 ] || skip "needs root to give the map to another user"
	start_workload "$W/jit" 5
	for _ in $(seq 100); do if [ -s "$MAP" ]; then break; fi; sleep 0.05; done
	# The same map, owned by nobody: flame-record runs as root, the process as root.
	chown 65534 "$MAP"
	run_split flame-record -F 999 -p "$BG" -d 0.5 -o "$OUT"
	assert_status 0
	assert_stderr_has "$MAP: owned by uid 65534, neither the process's user (uid 0) nor root: not read"
	run grep -c jit_counting_loop "$OUT"
	assert_output_is 0
	# Given back to root, the same map is read.
	chown 0 "$MAP"
	run_split flame-record -F 999 -p "$BG" -d 0.5 -o "$OUT"
	assert_status 0
	assert_file_has "$OUT" jit_counting_loop
}

# A command that writes its pid to $BATS_TEST_TMPDIR/pid, then runs hotcold for 30 s (as the same
# process); with "ignore", ignoring SIGTERM and SIGINT.
command_script() {
	local script=$BATS_TEST_TMPDIR/command.sh
	{
		[ "${1:-}" != ignore ] || echo "trap '' TERM INT"
		echo "echo \$\$ > $BATS_TEST_TMPDIR/pid"
		echo "exec $W/hotcold 30"
	} > "$script"
	echo "$script"
}

# Whether process $1 runs (a zombie does not).
running() {
	[ -r "/proc/$1/stat" ] && ! grep -qE '^[0-9]+ \(.*\) [ZX] ' "/proc/$1/stat" 2>/dev/null
}

# Whether the process that wrote $BATS_TEST_TMPDIR/pid is gone (not running, not a zombie).
command_gone() {
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[ -n "$pid" ] || flunk "the command wrote no pid"
	if running "$pid"; then
		kill -9 "$pid"
		flunk "the command (pid $pid) was left running: $(ps -o pid,ppid,stat,args -p "$pid" | tail -1)"
	fi
}

@test "record: a closed output pipe stops and reaps the command, with the summary, and fails" {
	run_split bash -c "flame-record -F 999 -- sh $(command_script) | head -5 > /dev/null; echo \"status \${PIPESTATUS[0]}\""
	command_gone
	assert_output_has "status 2"
	assert_stderr_has "flame-record: error writing <stdout>: Broken pipe"
	assert_stderr_has " samples, 0 lost"
}

@test "record: a full output device (/dev/full) stops and reaps the command, with the summary, and fails" {
	run_split flame-record -F 999 -o /dev/full -- sh "$(command_script)"
	command_gone
	assert_status 2
	assert_stderr_has "/dev/full"
	assert_stderr_has " samples, 0 lost"
}

@test "record: a command that ignores SIGTERM is killed after the grace period (-d)" {
	run_split timeout 20 flame-record -d 0.3 -o "$OUT" -- sh "$(command_script ignore)"
	assert_status 137
	assert_stderr_has " samples, 0 lost"
	command_gone
}

@test "record: a second SIGINT kills a command that ignores SIGTERM at once" {
	# User space only and no inline expansion: the last samples are written at once (no kallsyms or
	# DWARF to read on a loaded machine), so what is timed below is the escalation alone.
	flame-record --user-only --no-inline -o "$OUT" -- sh "$(command_script ignore)" 2> "$BATS_TEST_TMPDIR/err" &
	BG=$!
	for _ in $(seq 100); do if [ -s "$BATS_TEST_TMPDIR/pid" ]; then break; fi; sleep 0.05; done
	sleep 0.3
	kill -INT "$BG"
	sleep 0.2
	kill -INT "$BG"
	# Well before the 2 s grace period: the second signal escalated.
	for _ in $(seq 15); do running "$BG" || break; sleep 0.1; done
	if running "$BG"; then flunk "flame-record still runs 1.5 s after the second SIGINT"; fi
	run wait "$BG"
	assert_status 137
	BG=
	command_gone
}

@test "record: -d beyond what the nanosecond clock holds is refused, not cut to 0.1 s" {
	run_split flame-record -d 2e10 -o "$OUT" -- true
	assert_status 2
	assert_stderr_has "-d 2e10 is too long: at most 1000000000 seconds"
	run_split flame-record -d inf -o "$OUT" -- true
	assert_status 2
}

@test "record: --help and --version to a full device fail" {
	run flame-record --help
	assert_status 0
	assert_output_has "usage: flame-record"
	run flame-record --version
	assert_status 0
	assert_output_has "flame-record "
	run_split bash -c 'flame-record --help > /dev/full'
	assert_status 2
	assert_stderr_has "error writing <stdout>: No space left on device"
	run_split bash -c 'flame-record --version > /dev/full'
	assert_status 2
	assert_stderr_has "error writing <stdout>: No space left on device"
}
