/* libFuzzer target: common/inflate.c. Every input is tried as bare deflate, zlib, gzip, an
 * SHF_COMPRESSED section (64- and 32-bit) and a .zdebug section. The growable and the fixed-size
 * outputs must agree: what inflate_alloc decodes within the limit, inflate_into decodes alike into
 * a buffer of exactly that size, and one byte less is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inflate.h"

#define LIMIT (1u << 20)

static void check_stream(enum inflate_wrap w, const uint8_t *data, size_t size)
{
	unsigned char *got;
	struct inflate_status st, st2;
	int r = inflate_alloc(w, data, size, LIMIT, &got, &st);
	if (st.out_len > LIMIT || st.in_used > size || st.err_offset > size)
		__builtin_trap();
	if (r != INFLATE_OK) {
		if (got || !st.err)
			__builtin_trap();
		return;
	}
	if (st.err || got[st.out_len] != '\0')
		__builtin_trap();
	unsigned char *buf = malloc(st.out_len ? st.out_len : 1);
	if (inflate_into(w, data, size, buf, st.out_len, &st2) != INFLATE_OK || st2.out_len != st.out_len ||
	    st2.in_used != st.in_used || memcmp(buf, got, st.out_len) != 0)
		__builtin_trap();
	if (st.out_len && inflate_into(w, data, size, buf, st.out_len - 1, &st2) != INFLATE_ERROR)
		__builtin_trap();
	free(buf);
	free(got);
}

static void check_section(int kind, const uint8_t *data, size_t size)
{
	unsigned char *out;
	size_t len;
	struct inflate_status st;
	int r = kind == 2 ? inflate_zdebug(data, size, LIMIT, &out, &len, &st)
			  : inflate_elf_section(data, size, kind, 0, LIMIT, &out, &len, &st);
	if (r == INFLATE_OK) {
		if (!out || len > LIMIT || out[len] != '\0')
			__builtin_trap();
		free(out);
	} else if (out || !st.err || st.err_offset > size) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_stream(INFLATE_RAW, data, size);
	check_stream(INFLATE_ZLIB, data, size);
	check_stream(INFLATE_GZIP, data, size);
	for (int kind = 0; kind < 3; kind++)
		check_section(kind, data, size);
	return 0;
}
