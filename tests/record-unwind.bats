#!/usr/bin/env bats
# record/unwind.c, the .eh_frame unwinder of `flame-record --call-graph dwarf`: its unit tests, the
# live self-unwinding test rebuilt with other compilers and flags, and real perf samples of a
# workload without frame pointers (and of python3) unwound by the module through
# tests/workloads/unwind-sample.c, a minimal dwarf-mode sampler.
load helpers

ROOT=$BATS_TEST_DIRNAME/..

# Compile C sources with the module into $BATS_TEST_TMPDIR/NAME: build NAME CC FLAGS... -- SOURCES...
build() {
	local name=$1 cc=$2 flags=()
	shift 2
	while [ "$1" != "--" ]; do flags+=("$1"); shift; done
	shift
	"$cc" -std=c11 -D_GNU_SOURCE -pthread -I"$ROOT" -I"$ROOT/common" "${flags[@]}" -o "$BATS_TEST_TMPDIR/$name" \
		"$@" "$ROOT/record/unwind.c" "$ROOT/record/elf.c" "$ROOT/common/util.c" -lm
}

self_unwind() {
	build self "$@" -- "$ROOT/tests/unit/record_unwind.c"
	run "$BATS_TEST_TMPDIR/self"
	echo "$output"
	assert_status 0
	[[ "$output" == *" checks, 0 failed"* ]]
}

# Sample CMD with the module; skip when this machine allows no perf events.
sample() {
	build unwind-sample "${FLAME_CC:-cc}" -O2 -- "$ROOT/tests/workloads/unwind-sample.c"
	run_split "$BATS_TEST_TMPDIR/unwind-sample" "$@"
	echo "$stderr" >&2
	[ "$status" -ne 3 ] || skip "perf_event_open refused here: $stderr"
	assert_status 0
}

# Sum of the counts of folded lines matching an extended regex (all lines when none given).
count() { awk -v re="${1:-.}" '$0 ~ re { n += $NF } END { print n + 0 }' <<< "$output"; }

@test "unit: record_unwind (eh_frame parser, CFA programs, expressions, hostile bytes, live self-unwind)" {
	run_unit record_unwind
}

@test "self-unwind: built with -O2 -fomit-frame-pointer" { self_unwind "${FLAME_CC:-cc}" -O2 -g -fomit-frame-pointer; }
@test "self-unwind: built with -O0 (rbp frames)" { self_unwind "${FLAME_CC:-cc}" -O0 -g; }
@test "self-unwind: built with -O3 -fno-omit-frame-pointer" { self_unwind "${FLAME_CC:-cc}" -O3 -g -fno-omit-frame-pointer; }
@test "self-unwind: built with -Os" { self_unwind "${FLAME_CC:-cc}" -Os -g; }
@test "self-unwind: built as PIE and as a static executable" {
	self_unwind "${FLAME_CC:-cc}" -O2 -g -fPIE -pie
	self_unwind "${FLAME_CC:-cc}" -O2 -g -static
}
@test "self-unwind: built by the other compiler (gcc/clang)" {
	local other=clang
	if "${FLAME_CC:-cc}" --version | grep -q clang; then other=gcc; fi
	command -v "$other" >/dev/null || skip "$other is not installed"
	self_unwind "$other" -O2 -g -fomit-frame-pointer
}

@test "perf samples: dwarf unwinding recovers main;chain_a;chain_b;chain_c;leaf that frame pointers lose" {
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/chain" "$WORKLOADS/unwind-chain.c"
	sample -F 999 -- "$BATS_TEST_TMPDIR/chain" 1
	local total full
	total=$(count)
	full=$(count '(^|;)main;chain_a;chain_b;chain_c;leaf ')
	echo "$full of $total samples with the whole chain"
	[ "$total" -gt 50 ]
	# Nearly all time is in leaf; a few samples may land in main's loop or clock_gettime (vdso).
	[ $((full * 100)) -ge $((total * 90)) ]
	# the chain goes on below main, down to _start, where the return address is undefined
	[ "$(count '^_start;.*;main;chain_a;chain_b;chain_c;leaf ')" -eq "$full" ]

	sample -F 999 -m fp -- "$BATS_TEST_TMPDIR/chain" 1
	total=$(count)
	echo "frame pointers: $(count 'chain_b') of $total samples name chain_b"
	[ "$total" -gt 50 ]
	[ $(($(count 'chain_b') * 100)) -lt $((total * 10)) ]
}

@test "perf samples: a C++ build with exception tables (zPLR CIEs, LSDA) unwinds through them" {
	local cxx
	cxx=$(command -v g++ || command -v clang++) || skip "no C++ compiler"
	"$cxx" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/chain-cc" "$WORKLOADS/unwind-chain.cc"
	sample -F 999 -- "$BATS_TEST_TMPDIR/chain-cc" 1
	local total full
	total=$(count)
	full=$(count ';main;_Z7chain_am;_Z7chain_bm;_Z7chain_cm;_Z4leafm ')
	echo "$full of $total samples with the whole chain"
	[ "$total" -gt 50 ]
	[ $((full * 100)) -ge $((total * 90)) ]
}

@test "perf samples: a Rust release build (no frame pointers) unwinds through std's runtime" {
	command -v rustc >/dev/null || skip "rustc is not installed"
	rustc -C opt-level=3 -o "$BATS_TEST_TMPDIR/chain-rs" "$WORKLOADS/unwind-chain.rs"
	sample -F 999 -- "$BATS_TEST_TMPDIR/chain-rs" 1
	local total full
	total=$(count)
	full=$(count '^_start;.*;main;.*unwind_chain4main.*;[^;]*unwind_chain7chain_a[^;]*;[^;]*unwind_chain7chain_b[^;]*;[^;]*unwind_chain7chain_c[^;]*;[^;]*unwind_chain4leaf[^;]* ')
	echo "$full of $total samples from _start to leaf"
	[ "$total" -gt 50 ]
	[ $((full * 100)) -ge $((total * 90)) ]
}

@test "perf samples: a small stack copy (-S 256) stops cleanly inside the chain" {
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/chain" "$WORKLOADS/unwind-chain.c"
	sample -F 499 -S 256 -- "$BATS_TEST_TMPDIR/chain" 0.5
	[ "$(count)" -gt 20 ]
	[ "$(count 'chain_c;leaf ')" -gt 0 ]
}

@test "perf samples: python3 shows the frames below the interpreter's eval loop" {
	local py
	py=$(command -v python3.11 || command -v python3) || skip "python3 is not installed"
	if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; fi   # the distribution's, not a shim script
	sample -F 999 -- "$py" -c '
import time
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
end = time.time() + 1
while time.time() < end: fib(15)'
	local eval below
	eval=$(count '_PyEval_EvalFrameDefault')
	below=$(count '(^|;)(main|Py_BytesMain|Py_RunMain|Py_Main)(;.*)?;_PyEval_EvalFrameDefault')
	echo "$below of $eval eval-loop samples reach main"
	[ "$eval" -gt 50 ]
	[ $((below * 100)) -ge $((eval * 80)) ]
}

@test "perf samples: through the vDSO (clock_gettime) back into the program" {
	[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is not installed"
	sample -F 999 -- /usr/bin/python3 -c '
import time
end = time.time() + 1
while time.time() < end: pass'
	local vdso whole
	vdso=$(count '__vdso_clock_gettime|vdso')
	whole=$(count '^_start;.*(__vdso_clock_gettime|vdso)')
	echo "$whole of $vdso samples in the vDSO reach _start"
	[ "$vdso" -gt 20 ] || skip "too few samples in the vDSO ($vdso) on this kernel"
	[ $((whole * 100)) -ge $((vdso * 80)) ]
}

# Average user frames per sample from `perf script` output (kernel frames are ffffffff...).
perf_depth() {
	perf script -i "$1" -F ip 2>/dev/null | awk 'BEGIN { RS = ""; FS = "\n" }
		{ t++; for (i = 1; i <= NF; i++) if ($i !~ /^[ \t]*ffffffff/) f++ } END { if (t) printf "%.2f\n", f / t }'
}

@test "perf samples: as deep as perf record --call-graph dwarf unwinds them (C chain, python3)" {
	command -v perf >/dev/null || skip "perf is not installed"
	"${FLAME_CC:-cc}" -O2 -fomit-frame-pointer -o "$BATS_TEST_TMPDIR/chain" "$WORKLOADS/unwind-chain.c"
	printf 'import time\ndef f(n): return n if n < 2 else f(n - 1) + f(n - 2)\nend = time.time() + 1\nwhile time.time() < end: f(15)\n' \
		> "$BATS_TEST_TMPDIR/fib.py"
	compare_depth "$BATS_TEST_TMPDIR/chain" 1
	if [ -x /usr/bin/python3 ]; then compare_depth /usr/bin/python3 "$BATS_TEST_TMPDIR/fib.py"; fi
	true
}

# Run CMD under perf and under the module's sampler: average frames per sample within 5% (the
# samples differ; the unwinding must not).
compare_depth() {
	local ours theirs
	perf record -q -e cpu-clock -F 999 --call-graph dwarf -o "$BATS_TEST_TMPDIR/perf.data" -- "$@" \
		>/dev/null 2>&1 || skip "perf record failed here"
	theirs=$(perf_depth "$BATS_TEST_TMPDIR/perf.data")
	[ -n "$theirs" ] || skip "perf recorded no samples"
	sample -F 999 -- "$@"
	ours=$(awk '{ n += $NF; f += $NF * split($0, a, ";") } END { printf "%.2f\n", f / n }' <<< "$output")
	echo "$1: perf $theirs frames/sample, ours $ours"
	awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a >= b * 0.95 && a <= b * 1.05) }'
}
