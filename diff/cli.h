/* cli: flame-diff's whole program (options, inputs, table, report, gate), callable in-process. */
#ifndef FLAME_DIFF_CLI_H
#define FLAME_DIFF_CLI_H

/* Run flame-diff with argv; returns the exit status. Errors end in die() (see util.h's die_hook);
 * after a die_hook that returned (longjmp), diff_cleanup frees what the run held. */
int diff_main(int argc, char **argv);
void diff_cleanup(void);

#endif
