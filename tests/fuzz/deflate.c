/* libFuzzer target: common/deflate.c. Whatever the input, the compressed stream (bare and gzip)
 * decodes with common/inflate.c to exactly the input, and stays within the stored-block bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf raw = STRBUF_INIT, gz = STRBUF_INIT;
	struct inflate_status st;
	deflate_compress(data, size, &raw);
	gzip_compress(data, size, &gz);
	if (raw.len > size + 5 * (size / 65535 + 1) + 2 || gz.len != raw.len + 18)
		__builtin_trap();
	unsigned char *out = malloc(size + 1);
	if (inflate_into(INFLATE_RAW, raw.buf, raw.len, out, size, &st) != INFLATE_OK || st.out_len != size ||
	    st.in_used != raw.len || (size && memcmp(out, data, size) != 0))
		__builtin_trap();
	if (inflate_into(INFLATE_GZIP, gz.buf, gz.len, out, size, &st) != INFLATE_OK || st.out_len != size ||
	    (size && memcmp(out, data, size) != 0))
		__builtin_trap();
	free(out);
	sb_release(&raw);
	sb_release(&gz);
	return 0;
}
