#!/usr/bin/env bats
# Inlined frames and source lines from DWARF (issue 16): the reader's chains against addr2line's
# (binutils, the oracle perf itself runs) on C, C++ and Rust built here; flame-record's output
# against perf script's (perf 6.1) on the same workloads; --no-inline and --srcline; damaged DWARF.
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	local w=$BATS_FILE_TMPDIR/wl cc=${FLAME_CC:-cc}
	mkdir -p "$w"
	"$cc" -O2 -g -o "$w/inline" "$WORKLOADS/inline.c"
	"$cc" -O2 -gdwarf-4 -o "$w/inline-dw4" "$WORKLOADS/inline.c"
	if command -v gcc >/dev/null; then gcc -O2 -g -gdwarf64 -o "$w/inline-dw64" "$WORKLOADS/inline.c"; fi
	if command -v g++ >/dev/null; then g++ -O2 -gdwarf-4 -o "$w/inline-cc" "$WORKLOADS/inline.cc"; fi
	if command -v rustc >/dev/null; then rustc -C opt-level=3 -g -o "$w/inline-rs" "$WORKLOADS/inline.rs" 2>/dev/null || true; fi
	chmod -R a+rX "$BATS_FILE_TMPDIR"
}

setup() {
	W=$BATS_FILE_TMPDIR/wl
	OUT=$BATS_TEST_TMPDIR/out.txt
	T=$BATS_TEST_TMPDIR
	UNIT=${FLAME_UNIT:-$BATS_TEST_DIRNAME/../build/unit}/record_dwarf_info
	[ -x "$UNIT" ] || skip "record_dwarf_info is not built (make test builds it)"
}

# Every 3rd byte address of the functions of FILE whose symbol matches the ERE.
addrs_in() {
	nm -S --defined-only "$1" | while read -r start size type name; do
		case $type in t|T) ;; *) continue ;; esac
		[[ $name =~ $2 ]] || continue
		for ((a = 16#$start; a < 16#$start + 16#$size; a += 3)); do printf '0x%x\n' "$a"; done
	done
}

# Our chains for ADDRS in FILE against addr2line -a -f -i's (file names without directories,
# discriminators dropped): the diff is the output; status 1 when they differ.
chains_match() {
	local file=$1
	shift
	addr2line -a -f -i -e "$file" "$@" | sed -E 's#^.*/##; s/ \(discriminator [0-9]+\)//' > "$T/a2l"
	"$UNIT" "$file" --sep "$@" > "$T/ours"
	echo "$(grep -c '^0x' "$T/ours") addresses, $(wc -l < "$T/ours") lines"
	diff "$T/a2l" "$T/ours"
}

@test "dwarf reader: hand-made units, truncated, bit-flipped and cyclic, never crash" {
	run "$UNIT"
	echo "$output"
	assert_status 0
	assert_output_has " checks, 0 failed"
}

@test "dwarf reader: C static inline at -O2 -g (DWARF 5), chains equal addr2line's" {
	mapfile -t addrs < <(addrs_in "$W/inline" '^(work|main)$')
	[ "${#addrs[@]}" -gt 20 ]
	chains_match "$W/inline" "${addrs[@]}"
	# the inlined chain is there at all
	run "$UNIT" "$W/inline" "${addrs[@]}"
	assert_output_has "mix"
	assert_output_has "step"
}

@test "dwarf reader: DWARF 4 and 64-bit DWARF 5 give addr2line's chains too" {
	mapfile -t addrs < <(addrs_in "$W/inline-dw4" '^(work|main)$')
	chains_match "$W/inline-dw4" "${addrs[@]}"
	[ -x "$W/inline-dw64" ] || skip "no gcc for -gdwarf64"
	mapfile -t addrs < <(addrs_in "$W/inline-dw64" '^(work|main)$')
	run "$UNIT" "$W/inline-dw64" "${addrs[@]}"
	assert_output_has "mix"
	assert_output_has "inline.c:"
	# binutils 2.40's addr2line reads no lines from 64-bit DWARF ("??:?"), so compare with the
	# 32-bit build of the same source: the same chains at the same addresses.
	mapfile -t a32 < <(addrs_in "$W/inline" '^(work|main)$')
	if cmp -s <(objdump -d --no-show-raw-insn "$W/inline" | sed -n '/<work>:/,/^$/p') \
	          <(objdump -d --no-show-raw-insn "$W/inline-dw64" | sed -n '/<work>:/,/^$/p'); then
		"$UNIT" "$W/inline" "${a32[@]}" > "$T/a"
		"$UNIT" "$W/inline-dw64" "${a32[@]}" > "$T/b"
		diff "$T/a" "$T/b"
	fi
}

@test "dwarf reader: C++ templates and std::sort (g++ -O2 -gdwarf-4), chains equal addr2line's" {
	[ -x "$W/inline-cc" ] || skip "no g++"
	# The sort's internals: std::__introsort_loop, __adjust_heap, __insertion_sort, ... (binutils
	# 2.40 names some inlined libc and template calls in main after main itself, so main is left out).
	mapfile -t addrs < <(addrs_in "$W/inline-cc" '^_ZSt')
	[ "${#addrs[@]}" -gt 100 ]
	chains_match "$W/inline-cc" "${addrs[@]}"
	run "$UNIT" "$W/inline-cc" "${addrs[@]}"
	assert_output_has "_ZSt"
}

@test "dwarf reader: Rust release build with debug info, chains equal addr2line's" {
	[ -x "$W/inline-rs" ] || skip "no rustc"
	mapfile -t addrs < <(addrs_in "$W/inline-rs" '^_ZN6inline4main')
	[ "${#addrs[@]}" -gt 100 ]
	chains_match "$W/inline-rs" "${addrs[@]}"
	# and deep: iterator adapters, collect and HashMap inlined into main
	run "$UNIT" "$W/inline-rs" -C "${addrs[@]}"
	assert_output_has "core::iter::"
	assert_output_has "hashbrown::"
}
