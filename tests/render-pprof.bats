#!/usr/bin/env bats
# flame-render --format pprof: a gzipped profile.proto. Checked three ways: gzip and zcat accept
# it; a protobuf decoder (python3, below) finds the structure the format asks for (string table
# starting with "" and without duplicates, one function and location per distinct name, samples
# naming existing locations); and the real `go tool pprof` gives back, with -traces, every stack
# and its count and, with -top, every function's flat and cumulative count, exactly. The go tier
# skips with a note when go is absent (Debian: golang-go).

load helpers

setup() {
	SCRATCH=$(mktemp -d)
	# go offline, in throwaway directories (CI has no network and a read-only home)
	export HOME=$SCRATCH/home GOCACHE=$SCRATCH/gocache GOPATH=$SCRATCH/gopath GOPROXY=off GOFLAGS=
	export GOTOOLCHAIN=local GOTELEMETRY=off PPROF_TMPDIR=$SCRATCH/pprof PPROF_BINARY_PATH=$SCRATCH/none
	mkdir -p "$HOME" "$PPROF_TMPDIR"
}

teardown() {
	[ -z "${SCRATCH:-}" ] || rm -rf "$SCRATCH"
}

need_python() {
	command -v python3 >/dev/null || skip "python3 is not installed: the pprof checks need it"
}

need_go() {
	need_python
	command -v go >/dev/null || skip "go is not installed (apt-get install golang-go): pprof round trip skipped"
	go tool pprof -h >/dev/null 2>&1 || skip "go tool pprof does not run here: pprof round trip skipped"
}

# The checker: python3 check.py MODE FOLDED DIFF FILE
#   traces: FILE is `go tool pprof -traces` output; its samples must be FOLDED's stacks and counts
#   top:    FILE is `go tool pprof -top` output; flat and cum of each function must be FOLDED's
#   proto:  FILE is the profile (gzipped); its structure is checked and its samples compared
# DIFF: 0, or "before"/"after" to read FOLDED's two counts and compare that one.
write_checker() {
	cat > "$SCRATCH/check.py" <<-'EOF'
	import collections, gzip, re, sys
	mode, folded, diff, path = sys.argv[1:5]
	one = re.compile(rb"^(.*)\s(\d+(?:\.\d*)?)$", re.S)
	two = re.compile(rb"^(.*)\s(\d+(?:\.\d*)?)\s(\d+(?:\.\d*)?)$", re.S)
	want = collections.Counter()
	for raw in open(folded, "rb").read().split(b"\n"):
	    if raw.endswith(b"\r"):
	        raw = raw[:-1]
	    m = (two if diff != "0" else one).match(raw)
	    if not m:
	        continue
	    count = float(m.group(2 if diff in ("0", "before") else 3))
	    frames = m.group(1).split(b";")
	    while frames and frames[-1] == b"":
	        frames.pop()
	    if frames:
	        want[tuple(frames)] += count
	want = collections.Counter({k: round(v) for k, v in want.items() if round(v)})
	def name(b):  # pprof shows a function without a name as <unknown>
	    return b if b else b"<unknown>"
	def fail(msg, got):
	    missing = [(k, v) for k, v in want.items() if got.get(k) != v][:5]
	    extra = [(k, v) for k, v in got.items() if want.get(k) != v][:5]
	    sys.exit("%s: %d expected, %d got\n  expected, not got: %r\n  got, not expected: %r"
	             % (msg, len(want), len(got), missing, extra))
	if mode == "traces":
	    got = collections.Counter()
	    blocks = open(path, "rb").read().split(b"-----------+-------------------------------------------------------\n")
	    for b in blocks[1:]:
	        lines = b.split(b"\n")[:-1]
	        if not lines:
	            continue
	        m = re.match(rb"^ *(\d+)   (.*)$", lines[0], re.S)
	        if not m:
	            sys.exit("unexpected trace line %r" % lines[0])
	        stack = [m.group(2)] + [l[13:] for l in lines[1:]]
	        got[tuple(reversed(stack))] += int(m.group(1))
	    got = +got
	    want = collections.Counter({tuple(name(f) for f in k): v for k, v in want.items()})
	    if got != want:
	        fail("traces differ", got)
	elif mode == "top":
	    flat, cum = collections.Counter(), collections.Counter()
	    for k, v in want.items():
	        flat[name(k[-1])] += v
	        for f in set(name(f) for f in k):
	            cum[f] += v
	    gflat, gcum = collections.Counter(), collections.Counter()
	    rows = 0
	    for line in open(path, "rb").read().split(b"\n"):
	        m = re.match(rb"^ *(\d+) +\S+% +\S+% +(\d+) +\S+%  (.*)$", line, re.S)
	        if m:
	            rows += 1
	            gflat[m.group(3)] += int(m.group(1))
	            gcum[m.group(3)] += int(m.group(2))
	    flat = +flat
	    gflat = +gflat
	    if gflat != flat or gcum != cum or rows != len(cum):
	        want = cum
	        fail("top differs (%d rows, flat %s)" % (rows, "same" if gflat == flat else "differs"), gcum)
	elif mode == "proto":
	    data = gzip.open(path).read()
	    def varint(b, i):
	        v = s = 0
	        while True:
	            c = b[i]; i += 1
	            v |= (c & 0x7f) << s; s += 7
	            if c < 0x80:
	                return v, i
	    def fields(b):
	        i, out = 0, []
	        while i < len(b):
	            key, i = varint(b, i)
	            f, w = key >> 3, key & 7
	            if w == 0:
	                v, i = varint(b, i)
	            elif w == 2:
	                n, i = varint(b, i)
	                v = b[i:i + n]; i += n
	                if len(v) != n:
	                    sys.exit("truncated field %d" % f)
	            else:
	                sys.exit("unexpected wire type %d" % w)
	            out.append((f, v))
	        return out
	    def packed(b):
	        i, out = 0, []
	        while i < len(b):
	            v, i = varint(b, i)
	            out.append(v)
	        return out
	    top = fields(data)
	    strings = [v for f, v in top if f == 6]
	    assert strings and strings[0] == b"", "string_table[0] is not empty"
	    assert len(set(strings)) == len(strings), "duplicate strings"
	    funcs = {}
	    for f, v in top:
	        if f == 5:
	            d = dict(fields(v))
	            funcs[d[1]] = strings[d.get(2, 0)]
	    assert len(set(funcs.values())) == len(funcs), "two functions with one name"
	    locs = {}
	    for f, v in top:
	        if f == 4:
	            d = fields(v)
	            lid = dict(d)[1]
	            lines = [dict(fields(l)) for k, l in d if k == 4]
	            assert len(lines) == 1 and lines[0][1] in funcs, "location %d" % lid
	            assert lid not in locs, "location %d twice" % lid
	            locs[lid] = funcs[lines[0][1]]
	    types = [dict(fields(v)) for f, v in top if f == 1]
	    got = collections.Counter()
	    for f, v in top:
	        if f == 2:
	            d = fields(v)
	            ids = [x for k, b in d if k == 1 for x in packed(b)]
	            vals = [x for k, b in d if k == 2 for x in packed(b)]
	            assert len(vals) == len(types), "sample with %d values for %d types" % (len(vals), len(types))
	            assert all(i in locs for i in ids), "sample names a missing location"
	            key = tuple(locs[i] for i in reversed(ids))
	            assert key not in got, "one stack in two samples"
	            got[key] += vals[1 if diff == "after" else 0]
	    got = +got
	    if got != want:
	        fail("samples differ", got)
	    names = [strings[t[1]].decode() for t in types]
	    print("sample types", names, "functions", len(funcs), "samples", len(got), "strings", len(strings))
	EOF
}

# render FOLDED [flame-render options]: $SCRATCH/out.pb.gz
render_pprof() {
	local in=$1
	shift
	if ! flame-render --format pprof "$@" "$in" > "$SCRATCH/out.pb.gz" 2> "$SCRATCH/render.err"; then
		flunk "flame-render --format pprof $* $in failed:" "$(cat "$SCRATCH/render.err")"
	fi
}

# round_trip FOLDED [MODES]: structure, -traces and -top agree with FOLDED. MODES: "0" (one count,
# the default) or "before after" (differential: each sample type in turn).
round_trip() {
	local in=$1 modes=${2:-0} m
	render_pprof "$in"
	gzip -t "$SCRATCH/out.pb.gz"
	for m in $modes; do
		local opt=()
		if [ "$m" != 0 ]; then opt=(-sample_index="$m"); fi
		python3 "$SCRATCH/check.py" proto "$in" "$m" "$SCRATCH/out.pb.gz"
		go tool pprof "${opt[@]}" -traces "$SCRATCH/out.pb.gz" > "$SCRATCH/traces" 2>"$SCRATCH/err"
		python3 "$SCRATCH/check.py" traces "$in" "$m" "$SCRATCH/traces"
		go tool pprof "${opt[@]}" -top -nodecount=1000000 -nodefraction=0 \
			"$SCRATCH/out.pb.gz" > "$SCRATCH/top" 2>"$SCRATCH/err"
		python3 "$SCRATCH/check.py" top "$in" "$m" "$SCRATCH/top"
	done
}

hostile_input() {
	local long
	long=$(printf 'f%.0s' $(seq 1 6000))
	{
		printf 'main;  leading spaces;trailing spaces  ;a b c 5\n'
		printf 'main;;empty between 3\n'
		printf 'main;\xc3\xbcn\xc3\xafc\xc3\xb8d\xc3\xa9;\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e 12345678\n'
		printf 'main;%s 7\n' "$long"
		printf 'main;%s;x 1\n' "$long"
		printf 'main;std::vector<int, std::allocator<int> >::push_back(int const&) 11\n'
		printf 'main;github.com/x/y.(*T).Method;runtime.goexit 9\n'
		printf 'main;-;%%d %%s %%n;<>&"'"'"' 2\n'
		printf 'main;rec;rec;rec 4\n'
		printf 'main;rec 6\n'
		printf 'main;tab\there 1\n'
		printf 'only 2\n'
		printf 'main;trailing;; 3\n'
		printf 'main;foo 4\nmain;foo 5\n'
	} > "$SCRATCH/hostile.folded"
}

@test "pprof: --format svg stays the default, unknown formats are refused" {
	printf 'a;b 1\n' > "$SCRATCH/in.folded"
	run flame-render "$SCRATCH/in.folded"
	assert_status 0
	assert_output_has "<svg"
	run flame-render --format svg "$SCRATCH/in.folded"
	assert_status 0
	assert_output_has "<svg"
	run_split flame-render --format png "$SCRATCH/in.folded"
	assert_status 2
	assert_stderr_has "--format: 'png' is not svg or pprof"
	assert_equal "$output" ""
	run_split flame-render --format pprof --flamechart "$SCRATCH/in.folded"
	assert_status 2
	assert_stderr_has "do not go together"
}

@test "pprof: the output is gzip that gzip -t and zcat accept, and deterministic" {
	printf 'main;a;b 5\nmain;a 3\nmain;c;b 2\n' > "$SCRATCH/in.folded"
	render_pprof "$SCRATCH/in.folded"
	gzip -t "$SCRATCH/out.pb.gz"
	run zcat "$SCRATCH/out.pb.gz"
	assert_status 0
	assert_output_has "samples"
	flame-render --format pprof "$SCRATCH/in.folded" > "$SCRATCH/again.pb.gz"
	cmp "$SCRATCH/out.pb.gz" "$SCRATCH/again.pb.gz"
}

@test "pprof: structure (strings, functions and locations shared between stacks, one sample per stack)" {
	need_python
	write_checker
	printf 'main;a;b 5\nmain;a 3\nmain;c;b 2\nmain;a;b 1\n' > "$SCRATCH/in.folded"
	render_pprof "$SCRATCH/in.folded"
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/in.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
	assert_output_has "sample types ['samples'] functions 4 samples 3 strings 7"
	hostile_input
	render_pprof "$SCRATCH/hostile.folded"
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/hostile.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
}

@test "pprof: --countname names the sample type; a function named like it shares its string" {
	need_python
	write_checker
	printf 'main;cycles 5\nmain;count 2\n' > "$SCRATCH/in.folded"
	render_pprof "$SCRATCH/in.folded" --countname cycles
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/in.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
	assert_output_has "sample types ['cycles'] functions 3 samples 2 strings 4"
}

@test "pprof: empty input is an error and writes nothing" {
	: > "$SCRATCH/empty.folded"
	run_split flame-render --format pprof "$SCRATCH/empty.folded"
	assert_status 2
	assert_stderr_has "no stack counts"
	assert_equal "$output" ""
}

@test "pprof: fractional counts are rounded, with one warning" {
	need_python
	write_checker
	printf 'main;a 1.4\nmain;b 2.6\nmain;c 3\n' > "$SCRATCH/in.folded"
	run_split flame-render --format pprof "$SCRATCH/in.folded"
	assert_status 0
	assert_stderr_has "rounded"
	flame-render --format pprof "$SCRATCH/in.folded" > "$SCRATCH/out.pb.gz" 2>/dev/null
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/in.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
}

@test "pprof: differential input gives two sample types, before and after" {
	need_python
	write_checker
	printf 'main;a 5 7\nmain;b 3 0\nmain;c 0 4\nmain;a;x 1 1\n' > "$SCRATCH/in.folded"
	render_pprof "$SCRATCH/in.folded"
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/in.folded" before "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
	assert_output_has "sample types ['before', 'after']"
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/in.folded" after "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
}

@test "pprof round trip (go tool pprof -traces, -top): small and hostile names" {
	need_go
	write_checker
	printf 'main;a;b 5\nmain;a 3\nmain;c;b 2\n' > "$SCRATCH/small.folded"
	round_trip "$SCRATCH/small.folded"
	hostile_input
	round_trip "$SCRATCH/hostile.folded"
	# what pprof says about the sample type
	go tool pprof -top "$SCRATCH/out.pb.gz" > "$SCRATCH/top" 2>/dev/null
	assert_file_has "$SCRATCH/top" "Type: samples"
	render_pprof "$SCRATCH/small.folded" --countname cycles
	go tool pprof -top "$SCRATCH/out.pb.gz" > "$SCRATCH/top" 2>/dev/null
	assert_file_has "$SCRATCH/top" "Type: cycles"
}

@test "pprof round trip (go tool pprof): differential input, each sample type" {
	need_go
	write_checker
	printf 'main;a 5 7\nmain;b 3 0\nmain;c 0 4\nmain;a;x 1 1\n' > "$SCRATCH/in.folded"
	round_trip "$SCRATCH/in.folded" "before after"
}

@test "pprof round trip (go tool pprof): the corpus's folded files" {
	need_go
	require_corpus
	write_checker
	local f n=0
	for f in "$CORPUS"/folded/*.folded; do
		echo "# $f"
		round_trip "$f"
		n=$((n + 1))
	done
	assert_equal "$n" 6
	f=$CORPUS/folded/inferno/differential_perf-cycles-instructions-01-collapsed-all-diff.txt
	if [ -f "$f" ]; then
		round_trip "$f" "before after"
	fi
	flame-diff "$CORPUS/folded/diff/before.txt" "$CORPUS/folded/diff/after.txt" > "$SCRATCH/diff.folded"
	round_trip "$SCRATCH/diff.folded" "before after"
}

@test "pprof round trip (go tool pprof): stacks spilled to temporary files come back merged" {
	need_go
	write_checker
	local i
	for i in $(seq 1 3000); do
		printf 'main;f%d;g%d 1\nmain;f%d 2\n' $((i % 700)) "$i" $((i % 700))
	done > "$SCRATCH/many.folded"
	render_pprof "$SCRATCH/many.folded" --buffer-size 4K
	python3 "$SCRATCH/check.py" proto "$SCRATCH/many.folded" 0 "$SCRATCH/out.pb.gz"
	go tool pprof -traces "$SCRATCH/out.pb.gz" > "$SCRATCH/traces" 2>/dev/null
	python3 "$SCRATCH/check.py" traces "$SCRATCH/many.folded" 0 "$SCRATCH/traces"
}

@test "pprof round trip (go tool pprof): the bench's deep stacks (counts in the billions), when present" {
	need_go
	local xz=$BATS_TEST_DIRNAME/../../shared/bench/deep-stacks.folded.xz
	[ -f "$xz" ] || skip "no $xz: large round trip skipped"
	command -v xz >/dev/null || skip "xz is not installed"
	write_checker
	xz -dc "$xz" > "$SCRATCH/deep.folded"
	round_trip "$SCRATCH/deep.folded"
}

@test "pprof: --reverse and --base shape the stacks as they shape the graph" {
	need_python
	write_checker
	printf 'main;a;b 5\nmain;a 3\nmain;c;b 2\n' > "$SCRATCH/in.folded"
	printf 'b;a;main 5\na;main 3\nb;c;main 2\n' > "$SCRATCH/reversed.folded"
	render_pprof "$SCRATCH/in.folded" --reverse
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/reversed.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
	printf 'a;b 5\na 3\n' > "$SCRATCH/based.folded"
	render_pprof "$SCRATCH/in.folded" --base a
	run python3 "$SCRATCH/check.py" proto "$SCRATCH/based.folded" 0 "$SCRATCH/out.pb.gz"
	echo "$output"
	assert_status 0
}
