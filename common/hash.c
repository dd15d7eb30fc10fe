#include "hash.h"

#include <pthread.h>
#include <sys/random.h>
#include <time.h>

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

uint64_t hash_sip(const struct hash_key *key, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t v0 = key->k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = key->k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key->k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = key->k1 ^ 0x7465646279746573ULL;
	uint64_t last = (uint64_t)len << 56;
	const unsigned char *end = p + (len & ~(size_t)7);
	for (; p < end; p += 8) {
		uint64_t m;
		memcpy(&m, p, 8);	/* little-endian machines: the word as the reference reads it */
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	uint64_t tail = 0;
	memcpy(&tail, p, len & 7);
	last |= tail;
	v3 ^= last;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

struct hash_key hash_random_key(void)
{
	struct hash_key k;
	if (getrandom(&k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k.k0 = hash_mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)(uintptr_t)&k);
		k.k1 = hash_mix64(k.k0 ^ (uint64_t)(uintptr_t)&hash_random_key);
	}
	return k;
}

static struct hash_key process_key;
static pthread_once_t process_key_once = PTHREAD_ONCE_INIT;

static void draw_process_key(void)
{
	process_key = hash_random_key();
}

const struct hash_key *hash_process_key(void)
{
	pthread_once(&process_key_once, draw_process_key);
	return &process_key;
}
