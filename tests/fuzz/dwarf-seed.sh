#!/usr/bin/env bash
# Seeds for the dwarf fuzz target: the debug sections of small programs built here (DWARF 4 and 5,
# C and C++), packed as tests/fuzz/dwarf.c reads them.  usage: dwarf-seed.sh OUTDIR
set -u
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'static inline int sq(int x) { return x * x; }\nint f(int n) { int s = 0; for (int i = 0; i < n; i++) s += sq(i); return s; }\nint main(int c, char **v) { (void)v; return f(c); }\n' > "$tmp/a.c"
for v in 4 5; do
	cc -O2 -gdwarf-$v -o "$tmp/a$v" "$tmp/a.c" 2>/dev/null || continue
	secs=()
	for s in info abbrev line str line_str str_offsets addr ranges rnglists aranges; do
		rm -f "$tmp/$s"
		objcopy --dump-section ".debug_$s=$tmp/$s" "$tmp/a$v" "$tmp/junk" 2>/dev/null
		[ -f "$tmp/$s" ] || : > "$tmp/$s"
		secs+=("$tmp/$s")
	done
	python3 - "$out/c-dwarf$v" "${secs[@]}" <<'PY' || exit 0
import struct, sys
parts = [open(p, "rb").read()[:65535] for p in sys.argv[2:]]
open(sys.argv[1], "wb").write(b"".join(struct.pack("<H", len(p)) for p in parts) + b"".join(parts))
PY
done
