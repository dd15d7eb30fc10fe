/*
 * hash: hashes of byte strings.
 * - hash_keyed (and hash_sip with an explicit key) is for hash tables over input: SipHash-1-3
 *   keyed with a per-process random seed (getrandom(2)), so no input can be crafted to make
 *   keys collide (hash flooding) without knowing the seed.
 * - hash_fast is hash_bytes' 8-bytes-a-step mix under a random key: about twice as fast as
 *   SipHash on short keys but not a proven keyed hash, so a table using it must watch its probe
 *   lengths and move to hash_sip when they run long (as intern.c does).
 * - hash_bytes is fast, unkeyed and the same on every run: for fingerprints that must be
 *   reproducible (an SVG's document id), never for a table whose keys come from input, since
 *   colliding keys are easy to compute for it.
 */
#ifndef FLAME_HASH_H
#define FLAME_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hash_key {
	uint64_t k0, k1;
};

/* SipHash-1-3 of data under key: one compression round per 8 bytes, three to finish. */
uint64_t hash_sip(const struct hash_key *key, const void *data, size_t len);
/* A fresh random key (getrandom(2); falls back on time and address bits if it fails). */
struct hash_key hash_random_key(void);
/* The process's key, drawn once. */
const struct hash_key *hash_process_key(void);

static inline uint64_t hash_keyed(const void *data, size_t len)
{
	return hash_sip(hash_process_key(), data, len);
}

static inline uint64_t hash_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint64_t hash_step8(uint64_t h, const unsigned char *p, size_t len)
{
	while (len >= 8) {
		uint64_t k;
		memcpy(&k, p, 8);
		h = (h ^ (k * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
		h = (h << 31) | (h >> 33);
		p += 8;
		len -= 8;
	}
	uint64_t tail = 0;
	memcpy(&tail, p, len);
	return h ^ (tail * 0x87c37b91114253d5ULL);
}

static inline uint64_t hash_bytes(const void *data, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0x100000001b3ULL);
	return hash_mix64(hash_step8(h, data, len));
}

/* Two independent lanes of 8 bytes, so a step's multiplies overlap. */
static inline uint64_t hash_fast(const struct hash_key *key, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t a = key->k0 ^ (len * 0x100000001b3ULL), b = key->k1;
	while (len >= 16) {
		uint64_t x, y;
		memcpy(&x, p, 8);
		memcpy(&y, p + 8, 8);
		a = (a ^ (x * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
		b = (b ^ (y * 0x9e3779b97f4a7c15ULL)) * 0xd6e8feb86659fd93ULL;
		a = (a << 31) | (a >> 33);
		b = (b << 29) | (b >> 35);
		p += 16;
		len -= 16;
	}
	a = hash_step8(a, p, len);
	return hash_mix64(a ^ hash_mix64(b));
}

#endif
