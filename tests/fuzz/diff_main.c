/*
 * libFuzzer target: flame-diff's whole main path (diff_main), options included. The input is
 * [option bits: 2 bytes][split: 1 byte][BEFORE bytes][AFTER bytes]: the bits pick -n, -s,
 * --report, --json, --top, --fail-above, --frame, -q, --max-line, and "-" (stdin) for one side;
 * the split byte says where BEFORE ends. die() returns here through die_hook.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff/cli.h"
#include "memfile.h"
#include "util.h"

static jmp_buf back;

static void return_here(int status)
{
	longjmp(back, status + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_out = -1;
	if (null_out < 0) {
		null_out = open("/dev/null", O_WRONLY);
		dup2(null_out, 1);	/* the output is not looked at; only crashes and hangs matter */
	}
	if (size < 3)
		return 0;
	unsigned bits = (unsigned)data[0] | (unsigned)data[1] << 8;
	size_t rest = size - 3, cut = rest * data[2] / 255;
	char before[64], after[64];
	int fb = memfile(data + 3, cut, before);
	int fa = memfile(data + 3 + cut, rest - cut, after);
	if (fb < 0 || fa < 0) {
		if (fb >= 0)
			close(fb);
		if (fa >= 0)
			close(fa);
		return 0;
	}
	static const char *frames[] = { "--frame=main", "--frame=^a;", "--frame=(x|y)+$", "--frame=[[:alpha:]]" };
	static const char *tops[] = { "--top=0", "--top=1", "--top=3", "--top=18446744073709551615" };
	static const char *limits[] = { "--fail-above=0", "--fail-above=0.5", "--fail-above=50", "--fail-above=1e300" };
	char *argv[16];
	int argc = 0;
	argv[argc++] = "flame-diff";
	if (bits & 1) argv[argc++] = "-n";
	if (bits & 2) argv[argc++] = "-s";
	if (bits & 4) argv[argc++] = "--report";
	if (bits & 8) argv[argc++] = "--json";
	if (bits & 16) argv[argc++] = (char *)tops[(bits >> 10) & 3];
	if (bits & 32) argv[argc++] = (char *)limits[(bits >> 12) & 3];
	if (bits & 64) argv[argc++] = (char *)frames[(bits >> 14) & 3];
	if (bits & 128) argv[argc++] = "-q";
	if (bits & 256) argv[argc++] = "--max-line=40";
	int use_stdin = bits & 512;
	if (use_stdin) {
		lseek(fa, 0, SEEK_SET);
		dup2(fa, 0);
	}
	argv[argc++] = before;
	argv[argc++] = use_stdin ? "-" : after;
	argv[argc] = NULL;

	die_hook = return_here;
	if (setjmp(back) == 0)
		diff_main(argc, argv);
	die_hook = NULL;
	diff_cleanup();
	if (use_stdin) {
		int null_in = open("/dev/null", O_RDONLY);
		dup2(null_in, 0);
		close(null_in);
	}
	close(fb);
	close(fa);
	return 0;
}
