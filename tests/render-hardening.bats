#!/usr/bin/env bats
# flame-render hardened (issue 13): links and attribute names from --nameattr, option strings that
# are not UTF-8, narrow widths, extreme differential colours, zero-count lines, the spill files of
# --buffer-size, and output errors of --help/--version. Each test failed before its fix.

load helpers
load render-helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	printf 'main;a 3\nmain;b 1\n' > in.folded
}

# Well-formed XML: xmllint is required here (these tests are about exactly that).
xml_strict() {
	if ! command -v xmllint >/dev/null; then
		skip "xmllint not installed (apt-get install libxml2-utils)"
	fi
	xmllint --huge --noout "$1"
}

@test "render: --help and --version report a failed write (/dev/full)" {
	run flame-render --help
	assert_status 0
	assert_output_has "--buffer-size"
	run bash -c 'flame-render --help > /dev/full'
	assert_status 2
	assert_output_has "error writing <stdout>"
	run bash -c 'flame-render --version > /dev/full'
	assert_status 2
	assert_output_has "error writing <stdout>"
}

@test "render: --width that cannot hold the padding is refused with a message" {
	for w in 1 5 19 20; do
		run_split flame-render --width "$w" in.folded
		assert_status 2
		assert_stderr_has "--width: '$w' is not a whole number of pixels (21 to 1000000)"
		assert_equal "$output" ""
	done
	run flame-render --width 21 in.folded
	assert_status 0
	if [[ "$output" == *'width="-'* ]]; then
		flunk "a negative width in the SVG"
	fi
}
