/*
 * intern: byte strings -> dense ids (0, 1, 2, ...), in an open-addressing hash table whose keys
 * live in an arena. Keys are hashed under the table's own random key (hash_fast); should an
 * insertion ever probe more than INTERN_MAX_PROBE slots (keys crafted to collide, which a keyed
 * but unproven hash cannot rule out), the table moves to SipHash-1-3 under a new key and
 * rehashes, so the worst case stays bounded whatever the input. Ids index the caller's own parallel arrays (counts, frame info, ...), so one
 * table serves as a set, a map and a string interner. Keys may contain any byte, NUL included.
 */
#ifndef FLAME_INTERN_H
#define FLAME_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "hash.h"

struct intern_key {
	const char *bytes;	/* NUL-terminated copy in the arena, 8-byte aligned (intern_ref: the caller's bytes) */
	uint32_t len;
	uint32_t hash;		/* low bits of the full hash, to skip most key compares */
};

struct interner {
	struct arena arena;
	uint64_t *slots;	/* 0 = empty, else (hash32 << 32) | (id + 1) */
	size_t mask;
	struct intern_key *keys;
	size_t count;
	size_t keys_cap;
	struct hash_key seed;	/* drawn when the table is first used */
	size_t longest_probe;	/* the most slots an insertion has looked at (for tests) */
	unsigned reseeds;	/* new keys drawn after a long probe */
	int strong;		/* hashing with hash_sip since a long probe */
};

#define INTERN_MAX_PROBE 64
#define INTERNER_INIT { ARENA_INIT, NULL, 0, NULL, 0, 0, { 0, 0 }, 0, 0, 0 }

/* Id of the key, adding it if new; *added (when not NULL) tells which. */
uint32_t intern(struct interner *t, const void *key, size_t len, int *added);
/* The same, but a new key is not copied: its bytes (not NUL-terminated) must outlive the table. */
uint32_t intern_ref(struct interner *t, const void *key, size_t len, int *added);
/* Id of the key, or -1 if it was never added. */
int64_t intern_find(const struct interner *t, const void *key, size_t len);
static inline const struct intern_key *intern_get(const struct interner *t, uint32_t id)
{
	return &t->keys[id];
}
/* <0, 0, >0 as key a sorts before, with or after key b (byte order, a prefix first). */
int intern_compare(const struct interner *t, uint32_t a, uint32_t b);
/* All ids, ordered by their keys in byte order (shorter first on a common prefix), as C's memcmp
 * and Perl's cmp order strings. The caller frees the array. */
uint32_t *intern_sorted(const struct interner *t);
void interner_free(struct interner *t);

#endif
