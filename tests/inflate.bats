#!/usr/bin/env bats
# common/inflate.c on real data: debug sections compressed by objcopy and by gcc -gz (checked against
# the same sections of the uncompressed build, as objcopy --dump-section writes them), gzip -1..-9
# of assorted files, python3's zlib with every wrapper, level and strategy. The checks themselves
# are the unit test's (tests/unit/inflate.c), given the files.

load helpers

setup() {
	[ -n "${FLAME_UNIT:-}" ] || skip "FLAME_UNIT is not set: run through make test"
	[ -x "$FLAME_UNIT/inflate" ] || { echo "unit test inflate was not built"; return 1; }
	SCRATCH=$(mktemp -d)
}

teardown() {
	[ -z "${SCRATCH:-}" ] || rm -rf "$SCRATCH"
}

assert_count() {
	if ! [ "$1" "$2" "$3" ]; then
		flunk "expected $4: $2 $3, got $1"
	fi
}

need() {
	command -v "$1" >/dev/null || skip "$1 is not installed"
}

# Every .debug_* section of the uncompressed $1 must come out of $2 (compressed, as SHF_COMPRESSED or
# .zdebug_*) byte for byte. $3: the way at least one of them must have been compressed.
compare_sections() {
	local plain=$1 packed=$2 how=$3 n=0 packed_n=0 sec
	for sec in $(readelf -SW "$plain" | sed -nE 's/.*\] (\.debug_[a-z_.]+) .*/\1/p'); do
		objcopy --dump-section "$sec=$SCRATCH/want" "$plain" "$SCRATCH/junk"
		run "$FLAME_UNIT/inflate" elf "$packed" "$sec" "$SCRATCH/want"
		echo "$output"
		assert_status 0
		assert_output_has " checks, 0 failed"
		n=$((n + 1))
		if [[ "$output" == *"($how)"* ]]; then packed_n=$((packed_n + 1)); fi
	done
	echo "$n sections, $packed_n $how"
	assert_count "$n" -ge 4 "debug sections"
	assert_count "$packed_n" -ge 3 "$how sections"
}

@test "inflate: unit (streams made by hand and by zlib, truncations, bit flips, ELF wrappers, checksums)" {
	run "$FLAME_UNIT/inflate"
	echo "$output"
	assert_status 0
	assert_output_has " checks, 0 failed"
}

@test "inflate: objcopy --compress-debug-sections=zlib of a C++ -O2 -g program and a C object" {
	need objcopy
	need g++
	g++ -O2 -g -o "$SCRATCH/cxx" "$WORKLOADS/cxx.cc"
	objcopy --compress-debug-sections=zlib "$SCRATCH/cxx" "$SCRATCH/cxx.z"
	compare_sections "$SCRATCH/cxx" "$SCRATCH/cxx.z" SHF_COMPRESSED
	${FLAME_CC:-cc} -O2 -g -c -I"$BATS_TEST_DIRNAME/.." -I"$BATS_TEST_DIRNAME/../common" \
		-o "$SCRATCH/inflate.o" "$BATS_TEST_DIRNAME/../common/inflate.c"
	objcopy --compress-debug-sections=zlib "$SCRATCH/inflate.o" "$SCRATCH/inflate.z.o"
	compare_sections "$SCRATCH/inflate.o" "$SCRATCH/inflate.z.o" SHF_COMPRESSED
}

@test "inflate: gcc -gz against the same build without it" {
	need gcc
	need objcopy
	gcc -O2 -g -gno-record-gcc-switches -o "$SCRATCH/plain" "$WORKLOADS/unwind-chain.c"
	gcc -O2 -g -gno-record-gcc-switches -gz -o "$SCRATCH/packed" "$WORKLOADS/unwind-chain.c"
	if ! readelf -SW "$SCRATCH/packed" | grep -q '\.debug_info .* C '; then
		skip "this gcc/ld does not compress with -gz"
	fi
	compare_sections "$SCRATCH/plain" "$SCRATCH/packed" SHF_COMPRESSED
	gcc -O2 -g -gno-record-gcc-switches -c -o "$SCRATCH/plain.o" "$WORKLOADS/unwind-chain.c"
	gcc -O2 -g -gno-record-gcc-switches -gz -c -o "$SCRATCH/packed.o" "$WORKLOADS/unwind-chain.c"
	compare_sections "$SCRATCH/plain.o" "$SCRATCH/packed.o" SHF_COMPRESSED
}

@test "inflate: legacy .zdebug_* sections (gcc -gz=zlib-gnu, objcopy zlib-gnu)" {
	need gcc
	need objcopy
	gcc -O2 -g -gno-record-gcc-switches -c -o "$SCRATCH/plain.o" "$WORKLOADS/unwind-chain.c"
	gcc -O2 -g -gno-record-gcc-switches -gz=zlib-gnu -c -o "$SCRATCH/gnu.o" "$WORKLOADS/unwind-chain.c" 2>/dev/null ||
		skip "gcc -gz=zlib-gnu is not supported here"
	if ! readelf -SW "$SCRATCH/gnu.o" | grep -q '\.zdebug_info'; then
		skip "the assembler does not write .zdebug sections"
	fi
	compare_sections "$SCRATCH/plain.o" "$SCRATCH/gnu.o" zdebug
	g++ -O2 -g -o "$SCRATCH/cxx" "$WORKLOADS/cxx.cc"
	objcopy --compress-debug-sections=zlib-gnu "$SCRATCH/cxx" "$SCRATCH/cxx.gnu"
	compare_sections "$SCRATCH/cxx" "$SCRATCH/cxx.gnu" zdebug
}

@test "inflate: zstd-compressed sections are reported as unsupported, not as corrupt" {
	need objcopy
	gcc -O2 -g -gno-record-gcc-switches -o "$SCRATCH/plain" "$WORKLOADS/unwind-chain.c"
	objcopy --compress-debug-sections=zstd "$SCRATCH/plain" "$SCRATCH/zstd" 2>/dev/null ||
		skip "objcopy cannot write zstd sections"
	readelf -SW "$SCRATCH/zstd" | grep -q '\.debug_info .* C ' || skip "objcopy left .debug_info alone"
	run "$FLAME_UNIT/inflate" elf-unsupported "$SCRATCH/zstd" .debug_info
	echo "$output"
	assert_status 0
	assert_output_has "zstd"
}

# Assorted files to compress: text, a binary, nothing, one byte, long runs, incompressible bytes,
# more than a stored block's 64K.
make_files() {
	mkdir -p "$SCRATCH/files"
	cp "$BATS_TEST_DIRNAME/../README.md" "$SCRATCH/files/readme"
	head -c 300000 "$FLAME_UNIT/inflate" > "$SCRATCH/files/binary"
	: > "$SCRATCH/files/empty"
	printf x > "$SCRATCH/files/one"
	head -c 1000000 /dev/zero > "$SCRATCH/files/zeros"
	head -c 200000 /dev/urandom > "$SCRATCH/files/random"
	seq 1 100000 > "$SCRATCH/files/numbers"
}

@test "inflate: gzip -1 .. -9 of assorted files, and members concatenated" {
	need gzip
	make_files
	local f level n=0
	for f in "$SCRATCH"/files/*; do
		for level in 1 2 3 4 5 6 7 8 9; do
			gzip -"$level" -c "$f" > "$SCRATCH/out.gz"
			run "$FLAME_UNIT/inflate" gzip "$SCRATCH/out.gz" "$f"
						assert_status 0
			n=$((n + 1))
		done
	done
	# a stored name (FNAME), as gzip FILE writes it
	cp "$SCRATCH/files/readme" "$SCRATCH/named"
	gzip -9 "$SCRATCH/named"
	run "$FLAME_UNIT/inflate" gzip "$SCRATCH/named.gz" "$SCRATCH/files/readme"
	echo "$output"
	assert_status 0
	# two members make one output, as zcat prints them
	gzip -c "$SCRATCH/files/readme" > "$SCRATCH/two.gz"
	gzip -1 -c "$SCRATCH/files/numbers" >> "$SCRATCH/two.gz"
	cat "$SCRATCH/files/readme" "$SCRATCH/files/numbers" > "$SCRATCH/two"
	run "$FLAME_UNIT/inflate" gzip "$SCRATCH/two.gz" "$SCRATCH/two"
	echo "$output"
	assert_status 0
	echo "$n files"
	assert_equal "$n" 63
}

@test "inflate: damaged gzip files are refused with an offset" {
	need gzip
	make_files
	gzip -9 -c "$SCRATCH/files/readme" > "$SCRATCH/r.gz"
	local size
	size=$(stat -c %s "$SCRATCH/r.gz")
	local cut
	for cut in 0 1 9 10 11 100 $((size / 2)) $((size - 8)) $((size - 1)); do
		head -c "$cut" "$SCRATCH/r.gz" > "$SCRATCH/cut.gz"
		run "$FLAME_UNIT/inflate" bad gzip "$SCRATCH/cut.gz"
		echo "$output"
		assert_status 0
	done
	# one byte changed in the middle of the data
	cp "$SCRATCH/r.gz" "$SCRATCH/bent.gz"
	printf '\x55' | dd of="$SCRATCH/bent.gz" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	run "$FLAME_UNIT/inflate" bad gzip "$SCRATCH/bent.gz"
	echo "$output"
	assert_status 0
	# garbage after the member
	{ cat "$SCRATCH/r.gz"; printf 'junk'; } > "$SCRATCH/tail.gz"
	run "$FLAME_UNIT/inflate" bad gzip "$SCRATCH/tail.gz"
	echo "$output"
	assert_status 0
	assert_output_has ":$size: not gzip data"
}

@test "inflate: python3 zlib, every wrapper, level, strategy, window and flush" {
	need python3
	python3 -c 'import zlib' 2>/dev/null || skip "python3 has no zlib module"
	make_files
	python3 - "$SCRATCH" <<-'EOF'
	import os, sys, zlib
	d = sys.argv[1]
	names = ["readme", "binary", "empty", "one", "zeros", "numbers", "random"]
	strategies = [zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED]
	with open(os.path.join(d, "list"), "w") as out:
	    for name in names:
	        data = open(os.path.join(d, "files", name), "rb").read()
	        for wrap, wbits in (("raw", -15), ("zlib", 15), ("gzip", 31), ("zlib", 9), ("raw", -9)):
	            for level in range(10):
	                for s in strategies if level in (1, 6, 9) else strategies[:1]:
	                    for mem in (1, 9) if level == 6 else (8,):
	                        c = zlib.compressobj(level, zlib.DEFLATED, wbits, mem, s)
	                        if level == 5 and len(data) > 1000:
	                            # flushes between pieces: empty stored blocks, byte alignment
	                            z = b""
	                            for i in range(0, len(data), 7777):
	                                z += c.compress(data[i:i + 7777])
	                                z += c.flush(zlib.Z_SYNC_FLUSH if i % 2 else zlib.Z_FULL_FLUSH)
	                            z += c.flush()
	                        else:
	                            z = c.compress(data) + c.flush()
	                        path = os.path.join(d, "%s.%s.%d.%d.%d.%d" % (name, wrap, wbits, level, s, mem))
	                        open(path, "wb").write(z)
	                        out.write("%s %s %s\n" % (wrap, path, os.path.join(d, "files", name)))
	    # a preset dictionary is refused (not a crash)
	    c = zlib.compressobj(6, zlib.DEFLATED, 15, 8, 0, b"hello dictionary")
	    open(os.path.join(d, "dict.zlib"), "wb").write(c.compress(b"hello dictionary hello") + c.flush())
	EOF
	local wrap path want n=0
	while read -r wrap path want; do
		run "$FLAME_UNIT/inflate" "$wrap" "$path" "$want"
				assert_status 0
		n=$((n + 1))
	done < "$SCRATCH/list"
	echo "$n streams"
	assert_count "$n" -gt 500 streams
	run "$FLAME_UNIT/inflate" bad zlib "$SCRATCH/dict.zlib"
	echo "$output"
	assert_status 0
	assert_output_has "preset dictionary"
}

@test "deflate: unit (round trips through inflate, ratios, stored fallback)" {
	[ -x "$FLAME_UNIT/deflate" ] || flunk "unit test deflate was not built"
	run "$FLAME_UNIT/deflate"
	assert_status 0
	assert_output_has " checks, 0 failed"
}

@test "deflate: gzip -d and zcat read what gzip_compress writes" {
	need gzip
	[ -x "$FLAME_UNIT/deflate" ] || flunk "unit test deflate was not built"
	make_files
	local f
	for f in "$SCRATCH"/files/*; do
		"$FLAME_UNIT/deflate" gzip "$f" "$SCRATCH/ours.gz"
		gzip -t "$SCRATCH/ours.gz"
		zcat "$SCRATCH/ours.gz" > "$SCRATCH/back"
		cmp "$SCRATCH/back" "$f"
	done
}
