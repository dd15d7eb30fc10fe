/* cli: flame-render's whole program (options, input, pipeline, report), callable in-process. */
#ifndef FLAME_RENDER_CLI_H
#define FLAME_RENDER_CLI_H

/* Run flame-render with argv; returns the exit status. Errors end in die() (see util.h's die_hook). */
int render_main(int argc, char **argv);
/* Free what a run that died (die_hook returned to the caller) left; render_main calls it first. */
void render_cleanup(void);

#endif
