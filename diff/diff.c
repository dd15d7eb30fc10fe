/* flame-diff: see cli.c for the program and man/flame-diff.1 for its use. */
#include "cli.h"

int main(int argc, char **argv)
{
	return diff_main(argc, argv);
}
