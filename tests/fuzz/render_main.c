/*
 * libFuzzer target: flame-render's whole main path (render_main), options included. The input is
 * [option bits: 4 bytes][value picks: 2 bytes][split: 1 byte][TEXT bytes][FOLDED bytes]: the bits
 * pick options (below), the picks their values, and the split byte where TEXT ends. TEXT's first
 * line is the string given to --title, --fonttype, --notes, --countname when their bits are set
 * (any bytes: not UTF-8, controls, quotes); the rest of TEXT is the --nameattr file. FOLDED is the
 * input, as a file or on stdin. die() returns here through die_hook; render_cleanup frees the run.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memfile.h"
#include "render/cli.h"
#include "util.h"

static jmp_buf back;

static void return_here(int status)
{
	longjmp(back, status + 1);
}

#define PICK(table, shift) ((char *)table[(picks >> (shift)) % (sizeof(table) / sizeof(*table))])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		/* The output is not looked at (only crashes, hangs and sanitizer reports matter); the
		 * spill files go to a scratch folder of their own. (--cp, which writes ./palette.map,
		 * is left out: the fuzzer's own files are relative to the working directory.) */
		int null_out = open("/dev/null", O_WRONLY);
		dup2(null_out, 1);
		close(null_out);
		static char dir[] = "/tmp/flame-fuzz-render-XXXXXX";
		if (!mkdtemp(dir))
			return 0;
		setenv("TMPDIR", dir, 1);
		ready = 1;
	}
	if (size < 7)
		return 0;
	uint32_t bits = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
	unsigned picks = (unsigned)data[4] | (unsigned)data[5] << 8;
	size_t rest = size - 7, cut = rest * data[6] / 255;
	const char *text = (const char *)data + 7;
	const char *nl = memchr(text, '\n', cut);
	size_t slen = nl ? (size_t)(nl - text) : cut;
	char *str = malloc(slen + 1);
	memcpy(str, text, slen);
	str[slen] = '\0';	/* (a NUL inside ends the option, as it would on a command line) */
	size_t attr_at = nl ? slen + 1 : cut;
	char attrs[64], folded[64];
	int fa = memfile(text + attr_at, cut - attr_at, attrs);
	int ff = memfile(text + cut, rest - cut, folded);
	if (fa < 0 || ff < 0) {
		if (fa >= 0)
			close(fa);
		if (ff >= 0)
			close(ff);
		free(str);
		return 0;
	}
	static const char *const palettes[] = { "--colors=hot", "--colors=java", "--colors=js", "--colors=chain",
		"--colors=perl", "--colors=mem", "--colors=wakeup", "--colors=aqua" };
	static const char *const minwidths[] = { "--minwidth=0", "--minwidth=0.1", "--minwidth=5%", "--minwidth=100000" };
	static const char *const widths[] = { "--width=21", "--width=200", "--width=1000000", "--width=20" };
	static const char *const factors[] = { "--factor=1e-300", "--factor=3", "--factor=1e300", "--factor=0" };
	static const char *const totals[] = { "--total=1", "--total=1e18", "--total=1e300", "--total=nan" };
	static const char *const sizes[] = { "--buffer-size=1", "--buffer-size=1K", "--buffer-size=64K", "--buffer-size=0" };
	static const char *const heights[] = { "--height=1", "--height=1000000", "--fontsize=1000", "--fontwidth=0.001" };
	static const char *const bgs[] = { "--bgcolors=blue", "--bgcolors=#123456", "--bgcolors=grey", "--bgcolors=#12345" };
	char *opt_str[4] = { NULL, NULL, NULL, NULL };
	static const char *const str_opts[] = { "--title=", "--fonttype=", "--notes=", "--countname=" };
	char nameattr_opt[80];
	snprintf(nameattr_opt, sizeof(nameattr_opt), "--nameattr=%s", attrs);
	char *argv[48];
	int argc = 0;
	argv[argc++] = "flame-render";
	if (bits & (1u << 0)) argv[argc++] = "--hash";
	if (bits & (1u << 1)) argv[argc++] = "--deterministic";
	if (bits & (1u << 2)) argv[argc++] = "--reverse";
	if (bits & (1u << 3)) argv[argc++] = "-i";
	if (bits & (1u << 4)) argv[argc++] = "--flamechart";
	if (bits & (1u << 5)) argv[argc++] = "--negate";
	if (bits & (1u << 6)) argv[argc++] = PICK(factors, 0);
	if (bits & (1u << 7)) argv[argc++] = PICK(totals, 2);
	if (bits & (1u << 8)) argv[argc++] = nameattr_opt;
	if (bits & (1u << 9)) argv[argc++] = PICK(minwidths, 4);
	if (bits & (1u << 10)) argv[argc++] = PICK(widths, 6);
	if (bits & (1u << 11)) argv[argc++] = PICK(palettes, 8);
	if (bits & (1u << 12)) argv[argc++] = "--sort-by-size";
	if (bits & (1u << 13)) argv[argc++] = "--diff-inclusive";
	if (bits & (1u << 14)) argv[argc++] = "--colordiffusion";
	if (bits & (1u << 15)) argv[argc++] = "--base=main";
	if (bits & (1u << 16)) argv[argc++] = PICK(sizes, 11);
	if (bits & (1u << 17)) argv[argc++] = "--truncate-text-left";
	if (bits & (1u << 18)) argv[argc++] = "--format=pprof";
	if (bits & (1u << 19)) argv[argc++] = "--max-line=40";
	if (bits & (1u << 20)) argv[argc++] = "--stroke-color=#010203";
	if (bits & (1u << 21)) argv[argc++] = PICK(bgs, 13);
	if (bits & (1u << 22)) argv[argc++] = PICK(heights, 14);
	if (bits & (1u << 23)) argv[argc++] = "--truncate-text-right";
	if (bits & (1u << 24)) argv[argc++] = "--random";
	if (bits & (1u << 25)) argv[argc++] = "--subtitle=sub";
	if (bits & (1u << 26)) argv[argc++] = "--base=a";
	for (int k = 0; k < 4; k++) {
		if (!(bits & (1u << (27 + k))))
			continue;
		size_t n = strlen(str_opts[k]);
		opt_str[k] = malloc(n + slen + 1);
		memcpy(opt_str[k], str_opts[k], n);
		memcpy(opt_str[k] + n, str, slen + 1);
		argv[argc++] = opt_str[k];
	}
	int use_stdin = (bits & (1u << 31)) != 0;
	if (use_stdin) {
		lseek(ff, 0, SEEK_SET);
		dup2(ff, 0);
	}
	argv[argc++] = use_stdin ? "-" : folded;
	argv[argc] = NULL;

	die_hook = return_here;
	if (setjmp(back) == 0)
		render_main(argc, argv);
	die_hook = NULL;
	render_cleanup();
	if (use_stdin) {
		int null_in = open("/dev/null", O_RDONLY);
		dup2(null_in, 0);
		close(null_in);
	}
	for (int k = 0; k < 4; k++)
		free(opt_str[k]);
	free(str);
	close(fa);
	close(ff);
	return 0;
}
