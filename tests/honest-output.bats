#!/usr/bin/env bats
# Honest output for a first-time user (issue 18): every message names the program the same way
# however it was run, and flame-collapse says when it read no sample.

load helpers

setup() {
	SCRATCH=$BATS_TEST_TMPDIR
}

# The first line of $stderr.
first_stderr_line() {
	printf '%s\n' "$stderr" | head -n 1
}

# Run PROG with a bad option through the path given (absolute, relative, or a link of another
# name) and check getopt's message starts with the program's name, not that path.
check_option_error_names() {
	local prog=$1 path=$2
	run_split "$path" --bogus < /dev/null
	assert_status 2
	assert_equal "$(first_stderr_line)" "$prog: unrecognized option '--bogus'"
	assert_stderr_lacks "$path"
}

@test "option errors name the program, not the path it was run by: flame-collapse" {
	check_option_error_names flame-collapse "$FLAME_BIN/flame-collapse"
	run_split "$FLAME_BIN/flame-collapse" -j
	assert_status 2
	assert_equal "$(first_stderr_line)" "flame-collapse: option requires an argument -- 'j'"
}

@test "option errors name the program, not the path it was run by: flame-render" {
	check_option_error_names flame-render "$FLAME_BIN/flame-render"
}

@test "option errors name the program, not the path it was run by: flame-diff" {
	check_option_error_names flame-diff "$FLAME_BIN/flame-diff"
}

@test "option errors name the program, not the path it was run by: flame-record" {
	check_option_error_names flame-record "$FLAME_BIN/flame-record"
}

@test "option errors name the program through a relative path and a link of another name" {
	mkdir -p "$SCRATCH/b"
	ln -s "$FLAME_BIN/flame-render" "$SCRATCH/b/fr"
	cp "$FLAME_BIN/flame-diff" "$SCRATCH/b/flame-diff"
	cd "$SCRATCH"
	check_option_error_names flame-render ./b/fr
	check_option_error_names flame-diff b/flame-diff
}

@test "flame-collapse on empty input: empty output, exit 0, and a word on stderr" {
	run_split flame-collapse < /dev/null
	assert_status 0
	assert_output_is ""
	assert_equal "$stderr" "flame-collapse: <stdin>: no samples read (the input is empty or holds only comments and blank lines)"
}

@test "flame-collapse on comments and blank lines only: the same, naming the file; -q keeps the line" {
	printf '# perf script header\n\n\n' > "$SCRATCH/c.txt"
	run_split flame-collapse -q "$SCRATCH/c.txt"
	assert_status 0
	assert_output_is ""
	assert_stderr_has "flame-collapse: $SCRATCH/c.txt: no samples read"
	: > "$SCRATCH/empty.txt"
	run_split flame-collapse "$SCRATCH/empty.txt" "$SCRATCH/c.txt"
	assert_status 0
	assert_stderr_has "flame-collapse: the input: no samples read"
}

@test "flame-collapse with samples does not say that no sample was read" {
	printf 'app 1/1 [000] 1.0: 1 cpu-clock:\n\t1 main+0x1 (/bin/app)\n\n' > "$SCRATCH/one.txt"
	run_split flame-collapse "$SCRATCH/one.txt"
	assert_status 0
	assert_output_is "app;main 1"
	assert_stderr_lacks "no samples read"
}

# Item 7: the recorded command's own stdout, when the samples go to stdout.

@test "flame-record --help says where the command's stdout goes, and names --command-stdout" {
	run flame-record --help
	assert_status 0
	assert_output_has "--command-stdout FILE"
	assert_output_has "stderr while the samples go to stdout"
}

@test "flame-record --command-stdout FILE: the command's stdout goes to FILE, not to stderr or the samples" {
	run_split flame-record -q --command-stdout "$SCRATCH/cmd.out" -- sh -c 'echo from-the-command; echo to-stderr >&2'
	assert_status 0
	assert_file_has "$SCRATCH/cmd.out" "from-the-command"
	assert_output_lacks "from-the-command"
	assert_stderr_lacks "from-the-command"
	assert_stderr_has "to-stderr"
}

@test "flame-record without --command-stdout: the command's stdout goes to stderr, with -o it stays" {
	run_split flame-record -q -- sh -c 'echo from-the-command'
	assert_status 0
	assert_output_lacks "from-the-command"
	assert_stderr_has "from-the-command"
	run_split flame-record -q -o "$SCRATCH/s.txt" -- sh -c 'echo from-the-command'
	assert_status 0
	assert_output_has "from-the-command"
}

@test "flame-record --command-stdout: an unwritable file is an error naming it, before the command runs" {
	run_split flame-record -q --command-stdout "$SCRATCH/no/such/dir/x" -- sh -c "touch '$SCRATCH/ran'"
	assert_status 2
	assert_stderr_has "flame-record: --command-stdout: cannot open $SCRATCH/no/such/dir/x: No such file or directory"
	refute test -e "$SCRATCH/ran"
	run_split flame-record --command-stdout "$SCRATCH/x" -p 1
	assert_status 2
	assert_stderr_has "--command-stdout is for a command after --"
}
