#!/usr/bin/env bats
# tests/deps, which make test and .ci/run call first: silent when the test packages are there;
# otherwise, unless it may install them (root with apt-get), it stops naming the one command to run.

load helpers

ROOT=$BATS_TEST_DIRNAME/..

# Somewhere another user can read too (BATS_TEST_TMPDIR is not): a copy of tests/deps and bin/.
setup() {
	PUBLIC=$(mktemp -d /tmp/flame-deps.XXXXXX)
	chmod 755 "$PUBLIC"
	cp "$ROOT/tests/deps" "$PUBLIC/deps"
	chmod 755 "$PUBLIC/deps"
}

teardown() {
	rm -rf "$PUBLIC"
}

# A PATH with the few commands tests/deps uses, and whatever else is given, but no test package.
bare_path() {
	local dir=$PUBLIC/bin c
	mkdir -p "$dir"
	for c in bash env id mktemp rm sed head printf cat "$@"; do
		if command -v "$c" >/dev/null 2>&1 && [ ! -e "$dir/$c" ]; then
			ln -s "$(command -v "$c")" "$dir/$c"
		fi
	done
	echo "$dir"
}

@test "deps: with everything installed it prints nothing and exits 0" {
	run_split "$ROOT/tests/deps"
	assert_status 0
	assert_output_is ''
	assert_stderr_is ''
}

@test "deps: not root and a package missing: exit 2 at once, naming the one command to run" {
	local path
	path=$(bare_path)
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || skip "setpriv is not installed (util-linux)"
		run_split setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$path" bash "$PUBLIC/deps"
	else
		run_split env PATH="$path" bash "$PUBLIC/deps"
	fi
	assert_status 2
	assert_stderr_has "not installed: bats libxml2-utils chromium linux-perf"
	assert_stderr_has "run:  sudo apt-get install -y bats libxml2-utils chromium linux-perf"
	assert_output_is ''
}

@test "deps: root without apt-get: exit 2, naming the command without sudo" {
	[ "$(id -u)" = 0 ] || skip "needs root"
	run_split env PATH="$(bare_path)" bash "$PUBLIC/deps"
	assert_status 2
	assert_stderr_has "run:  apt-get install -y bats"
	assert_stderr_lacks "sudo"
}

@test "deps: FLAME_TEST_DEPS=skip skips the check" {
	run_split env PATH="$(bare_path)" FLAME_TEST_DEPS=skip bash "$PUBLIC/deps"
	assert_status 0
	assert_stderr_is ''
}
