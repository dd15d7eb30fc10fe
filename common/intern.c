#include "intern.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void rehash(struct interner *t, size_t nslots)
{
	uint64_t *slots = xcalloc(nslots, sizeof(*slots));
	size_t mask = nslots - 1;
	for (size_t id = 0; id < t->count; id++) {
		uint64_t h = t->keys[id].hash;
		size_t i = (size_t)h & mask;
		while (slots[i])
			i = (i + 1) & mask;
		slots[i] = (h << 32) | (id + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->mask = mask;
}

static inline uint32_t key_hash(const struct interner *t, const void *key, size_t len)
{
	return (uint32_t)(t->strong ? hash_sip(&t->seed, key, len) : hash_fast(&t->seed, key, len));
}

/* Every key hashed again with SipHash under a new random key (a probe ran too long). */
static void reseed(struct interner *t)
{
	t->strong = 1;
	t->seed = hash_random_key();
	t->reseeds++;
	for (size_t id = 0; id < t->count; id++)
		t->keys[id].hash = key_hash(t, t->keys[id].bytes, t->keys[id].len);
	rehash(t, t->mask + 1);
}

/* memcmp(a, b, len) == 0 for the short keys of the tables, word by word. */
static inline int same_bytes(const char *a, const char *b, size_t len)
{
	if (len < 8)
		return memcmp(a, b, len) == 0;
	uint64_t x, y, diff = 0;
	for (size_t i = 0; i + 8 <= len; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		diff |= x ^ y;
	}
	memcpy(&x, a + len - 8, 8);
	memcpy(&y, b + len - 8, 8);
	return (diff | (x ^ y)) == 0;
}

static size_t probe(const struct interner *t, const void *key, size_t len, uint32_t h, int64_t *found)
{
	size_t i = h & t->mask;
	for (;;) {
		uint64_t s = t->slots[i];
		if (!s)
			break;
		if ((uint32_t)(s >> 32) == h) {
			uint32_t id = (uint32_t)s - 1;
			const struct intern_key *k = &t->keys[id];
			if (k->len == len && same_bytes(k->bytes, key, len)) {
				*found = id;
				return i;
			}
		}
		i = (i + 1) & t->mask;
	}
	*found = -1;
	return i;
}

int64_t intern_find(const struct interner *t, const void *key, size_t len)
{
	int64_t found = -1;
	if (t->slots)
		probe(t, key, len, key_hash(t, key, len), &found);
	return found;
}

static uint32_t intern_add(struct interner *t, const void *key, size_t len, int *added, int copy);

uint32_t intern(struct interner *t, const void *key, size_t len, int *added)
{
	return intern_add(t, key, len, added, 1);
}

uint32_t intern_ref(struct interner *t, const void *key, size_t len, int *added)
{
	return intern_add(t, key, len, added, 0);
}

static uint32_t intern_add(struct interner *t, const void *key, size_t len, int *added, int copy)
{
	if (len > UINT32_MAX)
		die("string too long to intern (%zu bytes)", len);
	if (!t->slots) {
		t->seed = hash_random_key();
		rehash(t, 1024);
	}
	uint32_t h = key_hash(t, key, len);
	int64_t found;
	size_t slot = probe(t, key, len, h, &found);
	if (added)
		*added = found < 0;
	if (found >= 0)
		return (uint32_t)found;

	if (t->count >= UINT32_MAX - 1)
		die("too many distinct strings");
	GROW(t->keys, t->keys_cap, t->count + 1);
	uint32_t id = (uint32_t)t->count++;
	if (copy) {
		char *bytes = arena_alloc(&t->arena, len + 1, 8);
		memcpy(bytes, key, len);
		bytes[len] = '\0';
		t->keys[id].bytes = bytes;
	} else {
		t->keys[id].bytes = key;
	}
	t->keys[id].len = (uint32_t)len;
	t->keys[id].hash = h;
	t->slots[slot] = ((uint64_t)h << 32) | (id + 1);
	size_t dist = ((slot - (h & t->mask)) & t->mask) + 1;
	if (dist > t->longest_probe)
		t->longest_probe = dist;
	/* Keep the load under one half so probes stay short; a long probe all the same means keys
	 * that collide under this hash: SipHash under a new key. */
	if (t->count * 2 > t->mask)
		rehash(t, (t->mask + 1) * 2);
	else if (dist > INTERN_MAX_PROBE && t->reseeds < 8)
		reseed(t);
	return id;
}

void interner_free(struct interner *t)
{
	arena_free(&t->arena);
	free(t->slots);
	free(t->keys);
	t->slots = NULL;
	t->keys = NULL;
	t->count = t->keys_cap = 0;
	t->mask = 0;
}

/* qsort has no context argument in C11: the table being sorted, for the comparison. */
static _Thread_local const struct interner *sorting;

int intern_compare(const struct interner *t, uint32_t a, uint32_t b)
{
	const struct intern_key *x = &t->keys[a], *y = &t->keys[b];
	int c = memcmp(x->bytes, y->bytes, x->len < y->len ? x->len : y->len);
	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int compare_keys(const void *a, const void *b)
{
	return intern_compare(sorting, *(const uint32_t *)a, *(const uint32_t *)b);
}

uint32_t *intern_sorted(const struct interner *t)
{
	uint32_t *ids = xmalloc(t->count * sizeof(*ids) + 1);
	for (size_t i = 0; i < t->count; i++)
		ids[i] = (uint32_t)i;
	sorting = t;
	qsort(ids, t->count, sizeof(*ids), compare_keys);
	sorting = NULL;
	return ids;
}
