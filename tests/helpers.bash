# Loaded by every bats file: where the programs, the corpus and the fixtures are.
FLAME_BIN=${FLAME_BIN:-$BATS_TEST_DIRNAME/../bin}
FIXTURES=$BATS_TEST_DIRNAME/fixtures
WORKLOADS=$BATS_TEST_DIRNAME/workloads
CORPUS=${FLAME_CORPUS:-$BATS_TEST_DIRNAME/../../shared/corpus}
PATH=$FLAME_BIN:$PATH

# Skip (visibly) the compatibility tier when the shared corpus is absent.
require_corpus() {
	[ -d "$CORPUS/expected" ] || skip "corpus not found at $CORPUS (set FLAME_CORPUS): compatibility tier skipped"
}

# run, but keep stderr apart: $output is stdout, $stderr is stderr (bats 1.8 has no --separate-stderr).
run_split() {
	local err
	err=$(mktemp)
	run bash -c '"$@" 2>"'"$err"'"' _ "$@"
	stderr=$(cat "$err")
	rm -f "$err"
}
