/* arena: bump allocation of bytes that live until the arena is freed (interned names, stacks). */
#ifndef FLAME_ARENA_H
#define FLAME_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	char *next;
	char *end;
	size_t total;	/* bytes handed out, for reporting */
};

#define ARENA_INIT { NULL, NULL, NULL, 0 }

void *arena_alloc(struct arena *a, size_t n, size_t align);
/* Copy n bytes and add a NUL after them; the result is a C string too. */
char *arena_strndup(struct arena *a, const char *p, size_t n);
void arena_free(struct arena *a);

#endif
