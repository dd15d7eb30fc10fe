/*
 * flame-render: folded stacks in, one self-contained interactive SVG out; a drop-in for
 * flamegraph.pl (same options, same frames and colours) with inferno's extra options.
 * The program is render_main (cli.c).
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return render_main(argc, argv);
}
