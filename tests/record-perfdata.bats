#!/usr/bin/env bats
# flame-record -i: perf.data files written by Debian's `perf record` (made here, in setup_file, from
# the bundled workloads) read into the same perf script text as live recording. Each recording
# folds, with every flame-collapse option, to the same stacks as `perf script --no-inline` gives;
# the few differences there are, are removed by name below, each with its reason. Then bad input:
# every error names the file and the byte offset, and nothing crashes or hangs.
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local w=$BATS_FILE_TMPDIR
	export PD=$w
	if ! command -v perf > /dev/null; then
		echo "perf is not installed (Debian: linux-perf)" > "$w/noperf"
		return 0
	fi
	if ! perf record -q -o "$w/probe.data" -- true > /dev/null 2>&1; then
		echo "perf record is not allowed here ($(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null))" > "$w/noperf"
		return 0
	fi
	local cc=${FLAME_CC:-cc}
	"$cc" -O2 -g -fno-omit-frame-pointer -o "$w/demo" "$WORKLOADS/demo.c"
	"$cc" -O2 -g -fno-omit-frame-pointer -pthread -o "$w/threads" "$WORKLOADS/threads.c"
	"$cc" -O2 -g -fno-omit-frame-pointer -o "$w/forker" "$WORKLOADS/forker.c"
	"$cc" -O2 -fomit-frame-pointer -o "$w/chain" "$WORKLOADS/unwind-chain.c"
	cd "$w" || return 1
	perf record -q -g -o fp.data -- ./demo 800 > /dev/null 2>&1
	perf record -q --call-graph dwarf -o dwarf.data -- ./chain 0.4 > /dev/null 2>&1
	perf record -q -g -o threads.data -- ./threads 0.4 > /dev/null 2>&1
	if [ -x /usr/bin/python3 ]; then
		perf record -q --call-graph dwarf -o python.data -- /usr/bin/python3 -c '
import time
def leaf(n): return sum(i * i for i in range(n))
end = time.time() + 0.5
while time.time() < end: leaf(5000)' > /dev/null 2>&1
	fi
	perf record -q -g -o forks.data -- ./forker 0.4 > /dev/null 2>&1
	perf record -q -g -e cpu-clock,task-clock -o two.data -- ./demo 500 > /dev/null 2>&1
	perf record -q -g -o - -- ./demo 500 2> /dev/null > pipe.data
	perf record -q -g -a -o all.data -- ./demo 300 > /dev/null 2>&1
	# Kernel and user frames in the same chains: a workload that lives in system calls.
	perf record -q -g -o kernel.data -- dd if=/dev/zero of=/dev/null bs=64k count=20000 > /dev/null 2>&1
	./threads 3 > /dev/null 2>&1 &
	local bg=$!
	sleep 0.2
	perf record -q -g -p "$bg" -o pid.data -- sleep 0.5 > /dev/null 2>&1 || true
	kill "$bg" 2> /dev/null || true
	wait "$bg" 2> /dev/null || true
	true
}

setup() {
	[ ! -f "$PD/noperf" ] || skip "$(cat "$PD/noperf"): the perf.data tier is skipped"
	cd "$PD" || return 1
	T=$BATS_TEST_TMPDIR
}

# Known differences, each removed from both sides before comparing:
# - a sample taken inside execve after the COMM exec record, whose user frame is still the old
#   program's: perf keeps the old process's maps until new ones come, flame-record drops them at
#   the exec (the old maps would name the new program's frames wrongly), so the frame is
#   [unknown]. Only -a and -p recordings see other processes exec; those stacks are left out.
EXECVE='sys_execve'
# - --addrs: perf 6.1 prints a user frame's address relative to its object (where the object's
#   file would have it), flame-record the address as sampled, as its live recording does; the
#   addresses in the folded frames of unresolved code are compared blanked out.
ADDRS='s/<[0-9a-f]+>/<>/g'
# - PLT stubs: perf 6.1 names a sample in one after the sizeless symbol before the section
#   (`_init`) or not at all (`@plt`); flame-record names it after the function it jumps to,
#   `rand@plt`, as later perf does. Stacks through a PLT stub are left out.
PLT='@plt|;_init( |;|$)'
# - --call-graph dwarf through code without CFI: crtstuff's __do_global_dtors_aux and its
#   neighbours (run at exit) have no FDE in .eh_frame; perf's unwinder goes on by heuristics,
#   flame-record's stops there. Those stacks are left out.
NOCFI='__do_global_dtors_aux|frame_dummy|register_tm_clones'

# Fold DATA's text from flame-record -i and from perf script --no-inline with each collapse
# option (--pid and --tid from perf script -F with the pid: its default text has the tid only),
# and fail on the first difference. Extra arguments: a regex of stacks to leave out of both, a
# regex of the stacks to keep (all by default).
same_folds() {
	local data=$1 drop=$PLT${2:+|$2} keep=${3:-.} opt theirs
	run_split flame-record --no-inline -i "$data" -o "$T/ours.txt"
	assert_status 0
	perf script --no-inline -i "$data" 2> /dev/null > "$T/perf.txt"
	perf script --no-inline -F comm,pid,tid,time,period,event,ip,sym,symoff,dso -i "$data" 2> /dev/null > "$T/perf-pid.txt"
	[ -s "$T/perf.txt" ]
	for opt in "" --pid --tid --kernel --jit --all --addrs; do
		theirs=$T/perf.txt
		case $opt in --pid | --tid) theirs=$T/perf-pid.txt ;; esac
		flame-collapse $opt "$T/ours.txt" 2> /dev/null | grep -Ev "$drop" | grep -E "$keep" | sed -E "$ADDRS" | sort > "$T/ours.folded" || true
		flame-collapse $opt "$theirs" 2> /dev/null | grep -Ev "$drop" | grep -E "$keep" | sed -E "$ADDRS" | sort > "$T/perf.folded" || true
		[ -s "$T/perf.folded" ] || flunk "perf script's text of $data folds to nothing with '$opt'"
		if ! cmp -s "$T/ours.folded" "$T/perf.folded" && ! bare_only "$T/perf.folded" "$T/ours.folded"; then
			diff "$T/perf.folded" "$T/ours.folded" | head -20
			flunk "$data with flame-collapse $opt: flame-record -i (>) and perf script (<) fold differently"
		fi
	done
}

# - perf now and then prints a sample with no frame at all (its chain dropped; seen at a process's
#   exit, a page fault in __unregister_atfork), where flame-record prints the sample's chain. Allowed
#   when it is all that differs: perf's extra weight only on bare "comm" stacks, and ours the same
#   weight more under that comm.
bare_only() {
	awk 'FNR == NR { w[$0 ~ / [0-9]+$/ ? substr($0, 1, length($0) - length($NF) - 1) : $0] += $NF; next }
	     { w[substr($0, 1, length($0) - length($NF) - 1)] -= $NF }
	     END {
		for (k in w) {
			if (w[k] == 0) continue
			comm = k; sub(/;.*/, "", comm)
			if (w[k] > 0 && k !~ /;/) bare[comm] += w[k]
			else if (w[k] < 0) more[comm] -= w[k]
			else bad = 1
		}
		for (c in more) if (more[c] != bare[c]) bad = 1
		for (c in bare) if (more[c] != bare[c]) bad = 1
		n = 0; for (c in bare) n++
		exit bad || n == 0
	     }' "$1" "$2"
}

# Fail, showing the difference, unless folded files A (perf's) and B (ours) are the same.
same() {
	cmp -s "$1" "$2" || { diff "$1" "$2" | head -20; flunk "perf script (<) and flame-record -i (>) fold differently"; }
}

# The byte offset of the first record of type TYPE in a perf.data's data section.
record_at() {
	local file=$1 type=$2 at end t size
	at=$(od -An -t u8 -j 40 -N 8 "$file" | tr -d ' ')
	end=$((at + $(od -An -t u8 -j 48 -N 8 "$file" | tr -d ' ')))
	while [ "$at" -lt "$end" ]; do
		t=$(od -An -t u4 -j "$at" -N 4 "$file" | tr -d ' ')
		size=$(od -An -t u2 -j $((at + 6)) -N 2 "$file" | tr -d ' ')
		if [ "$t" = "$type" ]; then
			echo "$at"
			return 0
		fi
		[ "$size" -gt 0 ] || return 1
		at=$((at + size))
	done
	return 1
}

# Overwrite bytes of FILE at OFFSET with the printf-escaped STRING.
poke() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# ---- the same answer as perf ----

@test "perf.data -i: frame pointers (-g), every collapse option folds as perf script's text" {
	same_folds fp.data
	[[ "$stderr" =~ fp.data:\ [0-9]+\ samples,\ 0\ lost ]]
}

@test "perf.data -i: --call-graph dwarf is unwound from the recorded registers and stack, as perf unwinds it" {
	same_folds dwarf.data "$NOCFI"
	flame-collapse "$T/ours.txt" > "$T/f"
	# The whole chain, which frame pointers cannot give in code built without them.
	grep -q ';main;chain_a;chain_b;chain_c;leaf ' "$T/f"
}

@test "perf.data -i: python3 --call-graph dwarf (deep interpreter stacks cut by the 8 KB copy)" {
	[ -s python.data ] || skip "no /usr/bin/python3"
	# Where the copied 8 KB of stack ends before the stack does, perf's unwinder adds one last frame
	# it cannot name ([unknown], at the root); flame-record's stops at the last frame it could
	# unwind. That frame is taken out of perf's stacks; the rest must fold the same, but for a
	# share of samples at most 5% where the two unwinders part at the cut.
	flame-record -q --no-inline -i python.data | flame-collapse | grep -Ev "$PLT" | sort > "$T/a"
	perf script --no-inline -i python.data 2> /dev/null | flame-collapse |
		sed -E 's/^python3;\[unknown\];/python3;/' | grep -Ev "$PLT" | sort > "$T/b"
	[ -s "$T/a" ]
	total=$(awk '{ s += $NF } END { print s }' "$T/b")
	differ=$(diff "$T/a" "$T/b" | awk '/^</ { s += $NF } END { print s + 0 }')
	echo "$differ of $total differ"
	[ $((differ * 100)) -le $((total * 5)) ]
	grep -q '_PyEval_EvalFrameDefault' "$T/a"
}

@test "perf.data -i: threads, each on its own stack" {
	same_folds threads.data
	grep -q 'worker_left' "$T/ours.txt"
}

@test "perf.data -i: forks (the child's maps come from its parent)" {
	same_folds forks.data
	grep -q 'child_work' "$T/ours.txt"
	grep -q 'parent_work' "$T/ours.txt"
}

@test "perf.data -i: two events (-e cpu-clock,task-clock), each sample with its event's name" {
	same_folds two.data
	grep -q ' cpu-clock: $' "$T/ours.txt"
	grep -q ' task-clock: $' "$T/ours.txt"
	flame-collapse --event-filter=task-clock "$T/ours.txt" | grep -Ev "$PLT" > "$T/a"
	perf script --no-inline -i two.data 2> /dev/null | flame-collapse --event-filter=task-clock |
		grep -Ev "$PLT" > "$T/b"
	same "$T/b" "$T/a"
	[ -s "$T/a" ]
}

@test "perf.data -i -: pipe mode (perf record -o -) from standard input, names from its header records" {
	run_split flame-record --no-inline -i - -o "$T/ours.txt" < pipe.data
	assert_status 0
	perf script --no-inline -i - < pipe.data 2> /dev/null | flame-collapse | grep -Ev "$PLT" > "$T/b"
	flame-collapse "$T/ours.txt" | grep -Ev "$PLT" > "$T/a"
	same "$T/b" "$T/a"
	grep -q ' cpu-clock[:a-zA-Z]*: $' "$T/ours.txt"
	# The same from a pipe, and from the file by name.
	cat pipe.data | flame-record -q --no-inline -i - | flame-collapse | grep -Ev "$PLT" > "$T/c"
	same "$T/a" "$T/c"
	same_folds pipe.data
}

@test "perf.data -i: system-wide (-a), with the CPU of each sample" {
	# The workload's stacks: the rest of the machine (other tests) brings cases of its own, JIT
	# code in /memfd: mappings (flame-record names it [perf-PID.map], perf by the memfd) and PLT
	# stubs perf leaves unnamed ("@plt"), that are not the point here.
	same_folds all.data "$EXECVE" '^demo[-;]' 
	grep -Eq '^demo +[0-9]+/[0-9]+ +\[[0-9]{3}\] ' "$T/ours.txt"
}

@test "perf.data -i: a running process (-p), its maps from the records perf synthesized" {
	# perf record -p can come back empty when the machine is so busy that the target got no CPU.
	[ -s pid.data ] || skip "perf record -p wrote nothing"
	perf script -i pid.data 2> /dev/null | grep -q . || skip "perf record -p recorded no samples (a busy machine)"
	same_folds pid.data "$EXECVE"
	grep -q 'worker_' "$T/ours.txt"
}

@test "perf.data -i: kernel and user frames in the same chains" {
	same_folds kernel.data
	flame-collapse --kernel "$T/ours.txt" > "$T/f"
	if [ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ]; then
		grep -Eq '^dd;.*_\[k\]' "$T/f" || flunk "no kernel frames under dd"
	fi
}

@test "perf.data -i: the header line is perf script's, without a CPU when none was recorded" {
	flame-record -q --no-inline -i fp.data -o "$T/out.txt"
	line=$(head -n1 "$T/out.txt")
	echo "$line"
	[[ "$line" =~ ^(perf-exec|demo)\ +[0-9]+/[0-9]+\ +[0-9]+\.[0-9]{6}:\ +[0-9]+\ cpu-clock(:p+)?:\ $ ]]
}

# ---- symbols: only from the recorded files ----

@test "perf.data -i: a binary rebuilt since the recording gives [unknown] and one warning, the cached copy its symbols" {
	mkdir -p "$T/bin" "$T/home"
	cp demo "$T/bin/demo"
	perf record -q -g -o "$T/r.data" -- "$T/bin/demo" 300 > /dev/null 2>&1
	# Rebuilt with another body: another build id at the same path.
	sed 's/3000/3001/' "$WORKLOADS/demo.c" > "$T/demo2.c"
	"${FLAME_CC:-cc}" -O2 -g -fno-omit-frame-pointer -o "$T/bin/demo" "$T/demo2.c"
	HOME=$T/home run_split flame-record -q --no-inline -i "$T/r.data"
	assert_status 0
	[[ "$stderr" =~ $T/bin/demo\ was\ recorded\ with\ build\ id\ [0-9a-f]+,\ the\ file\ here\ has ]]
	[ "$(grep -c 'bin/demo was recorded' <<< "$stderr")" -eq 1 ]
	[[ "$output" =~ \[unknown\]\ \($T/bin/demo\) ]]
	[[ ! "$output" =~ shade_pixels ]]
	# perf's build-id cache (perf record put the original there; here by hand, in its layout).
	id=$(perf buildid-list -i "$T/r.data" 2> /dev/null | awk -v p="$T/bin/demo" '$2 == p { print $1 }')
	[ -n "$id" ]
	mkdir -p "$T/home/.debug/.build-id/${id:0:2}/${id:2}"
	cp demo "$T/home/.debug/.build-id/${id:0:2}/${id:2}/elf"
	HOME=$T/home run_split flame-record -q --no-inline -i "$T/r.data"
	assert_status 0
	[[ "$output" =~ shade_pixels ]]
	[[ ! "$stderr" =~ recorded\ with\ build\ id ]]
	# Or a debug file under --debug-dir, found by the build id.
	rm -rf "$T/home/.debug"
	mkdir -p "$T/dbg/.build-id/${id:0:2}"
	cp demo "$T/dbg/.build-id/${id:0:2}/${id:2}.debug"
	HOME=$T/home run_split flame-record -q --no-inline --debug-dir "$T/dbg" -i "$T/r.data"
	assert_status 0
	[[ "$output" =~ shade_pixels ]]
}

@test "perf.data -i: recorded on another kernel: kernel frames [unknown] ([kernel.kallsyms]) and one warning" {
	cp kernel.data "$T/k.data"
	# The os release string, one character changed in place, and no cached kallsyms copy.
	rel=$(uname -r)
	at=$(grep -abo -- "$rel" "$T/k.data" | head -n1 | cut -d: -f1)
	[ -n "$at" ]
	poke "$T/k.data" "$at" 'X'
	mkdir -p "$T/home"
	HOME=$T/home run_split flame-record -q --no-inline -i "$T/k.data"
	assert_status 0
	[[ "$stderr" =~ recorded\ on\ kernel\ X ]]
	[ "$(grep -c 'kernel frames are' <<< "$stderr")" -eq 1 ]
	if grep -q '_\[k\]' <(flame-collapse --kernel <<< "$(flame-record -q --no-inline -i kernel.data)"); then
		[[ "$output" =~ \[unknown\]\ \(\[kernel.kallsyms\]\) ]]
	fi
	[[ ! "$output" =~ do_syscall_64 ]]
}

# ---- options ----

@test "perf.data -i: with a command, -p, -a or a recording option it says what is wrong" {
	run_split flame-record -i fp.data -- true
	assert_status 2
	[[ "$stderr" =~ -i\ reads\ a\ recording ]]
	run_split flame-record -i fp.data -F 99
	assert_status 2
	[[ "$stderr" =~ -F\ is\ for\ recording ]]
	run_split flame-record -i "$T/none.data"
	assert_status 2
	[[ "$stderr" =~ none.data:\ No\ such\ file ]]
}

@test "perf.data -i: -o writes the text to a file" {
	run_split flame-record -q --no-inline -i fp.data -o "$T/out.txt"
	assert_status 0
	[ -z "$output" ]
	grep -q 'shade_pixels' "$T/out.txt"
}

# ---- bad input: an error with the file and the byte offset, never a crash ----

@test "perf.data -i: wrong magic, big-endian, the first version" {
	cp fp.data "$T/x.data"
	poke "$T/x.data" 0 'NOTPERF!'
	run_split flame-record -i "$T/x.data"
	assert_status 2
	[[ "$stderr" =~ x.data:\ byte\ 0:\ not\ a\ perf.data ]]
	poke "$T/x.data" 0 '2ELIFREP'
	run_split flame-record -i "$T/x.data"
	assert_status 2
	[[ "$stderr" =~ byte\ 0:\ recorded\ on\ a\ big-endian\ machine ]]
	poke "$T/x.data" 0 'PERFFILE'
	run_split flame-record -i "$T/x.data"
	assert_status 2
	[[ "$stderr" =~ first\ version ]]
	: > "$T/empty.data"
	run_split flame-record -i "$T/empty.data"
	assert_status 2
	[[ "$stderr" =~ empty.data:\ byte\ 0: ]]
	[ -z "$output" ]
}

@test "perf.data -i: a truncated header or data section, sizes outside the file" {
	head -c 60 fp.data > "$T/h.data"
	run_split flame-record -i "$T/h.data"
	assert_status 2
	[[ "$stderr" =~ h.data:\ byte\ 0:\ the\ file\ header.*past\ the\ end\ of\ the\ file\ \(60\ bytes\) ]]
	head -c 20000 fp.data > "$T/t.data"
	run_split flame-record -i "$T/t.data"
	assert_status 2
	[[ "$stderr" =~ t.data:\ byte\ 48:\ the\ data\ section.*past\ the\ end\ of\ the\ file ]]
	[ -z "$output" ]
	cp fp.data "$T/a.data"
	poke "$T/a.data" 24 '\377\377\377\377\377\377\377\177'      # the attrs' offset
	run_split flame-record -i "$T/a.data"
	assert_status 2
	[[ "$stderr" =~ a.data:\ byte\ [0-9]+:\ the\ attribute\ section.*past\ the\ end ]]
}

@test "perf.data -i: a record cut short, and a record of size 0" {
	# Pipe mode cut in the middle of a record.
	head -c 30003 pipe.data > "$T/cut.data"
	run_split flame-record -q -i - < "$T/cut.data"
	assert_status 2
	[[ "$stderr" =~ stdin:\ byte\ [0-9]+:\ a\ record.*cut\ short ]]
	run_split flame-record -q -i "$T/cut.data"
	assert_status 2
	[[ "$stderr" =~ cut.data:\ byte\ [0-9]+: ]]
	# A sample's size field zeroed.
	cp fp.data "$T/z.data"
	at=$(record_at "$T/z.data" 9)
	poke "$T/z.data" $((at + 6)) '\0\0'
	run_split flame-record -q -i "$T/z.data"
	assert_status 2
	[[ "$stderr" =~ z.data:\ byte\ $at:\ a\ record\ of\ size\ 0 ]]
}

@test "perf.data -i: records of unknown types are skipped and counted" {
	cp fp.data "$T/u.data"
	at=$(record_at "$T/u.data" 9)
	poke "$T/u.data" "$at" '\74'      # type 60: no kernel writes it (yet)
	run_split flame-record --no-inline -i "$T/u.data" -o "$T/u.txt"
	assert_status 0
	[[ "$stderr" =~ 1\ records\ of\ unknown\ types\ skipped\ \(types\ 60\) ]]
	n=$(flame-record -q --no-inline -i fp.data | grep -c '^$')
	[ "$(grep -c '^$' "$T/u.txt")" -eq $((n - 1)) ]
}

@test "perf.data -i: perf record -z (compressed) and AUX tracing data are refused with what to do" {
	if perf record -q -z -o "$T/z.data" -- true > /dev/null 2>&1; then
		run_split flame-record -i "$T/z.data"
		assert_status 2
		[[ "$stderr" =~ z.data:\ byte\ [0-9]+:\ .*perf\ record\ -z.*record\ without\ -z ]]
	fi
	cp fp.data "$T/aux.data"
	at=$(record_at "$T/aux.data" 9)
	poke "$T/aux.data" "$at" '\107'   # 71: PERF_RECORD_AUXTRACE
	run_split flame-record -i "$T/aux.data"
	assert_status 2
	[[ "$stderr" =~ aux.data:\ byte\ $at:\ AUX\ area\ tracing ]]
}

@test "perf.data -i: a recording perf record did not finish (data size 0) is read to its end, with a warning" {
	# What perf record leaves when it is killed: the header written at the start, the records, no features.
	off=$(od -An -t u8 -j 40 -N 8 fp.data | tr -d ' ')
	size=$(od -An -t u8 -j 48 -N 8 fp.data | tr -d ' ')
	head -c $((off + size)) fp.data > "$T/k.data"
	poke "$T/k.data" 48 '\0\0\0\0\0\0\0\0'
	run_split flame-record --no-inline -i "$T/k.data" -o "$T/k.txt"
	assert_status 0
	[[ "$stderr" =~ k.data:\ the\ header\ gives\ no\ data\ size ]]
	# Every sample; the os release and build ids were features, so the kernel frames are unknown.
	[[ "$stderr" =~ kernel\ frames\ are\ \[unknown\] ]]
	flame-record -q --no-inline -i fp.data -o "$T/fp.txt"
	[ "$(grep -c '^$' "$T/k.txt")" -eq "$(grep -c '^$' "$T/fp.txt")" ]
	grep -q shade_pixels "$T/k.txt"
}
