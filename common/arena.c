#include "arena.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *prev;
	char data[];
};

/* Blocks are large so that allocation is almost always a pointer bump. */
#define ARENA_BLOCK_SIZE (1u << 20)

void *arena_alloc(struct arena *a, size_t n, size_t align)
{
	uintptr_t p = ((uintptr_t)a->next + (align - 1)) & ~(uintptr_t)(align - 1);
	if (!a->next || p + n > (uintptr_t)a->end) {
		size_t size = n + align > ARENA_BLOCK_SIZE ? n + align : ARENA_BLOCK_SIZE;
		struct arena_block *b = xmalloc(sizeof(*b) + size);
		b->prev = a->head;
		a->head = b;
		a->end = b->data + size;
		p = ((uintptr_t)b->data + (align - 1)) & ~(uintptr_t)(align - 1);
	}
	a->next = (char *)(p + n);
	a->total += n;
	return (void *)p;
}

char *arena_strndup(struct arena *a, const char *p, size_t n)
{
	char *s = arena_alloc(a, n + 1, 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	a->head = NULL;
	a->next = a->end = NULL;
	a->total = 0;
}
