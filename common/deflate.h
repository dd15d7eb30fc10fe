/* deflate: a small compressor (RFC 1951) with the gzip wrapper (RFC 1952), for output that other
 * tools expect compressed (pprof's profile.proto). LZ77 matches over a 32K window found through
 * hash chains, coded with the fixed Huffman code; each 64K of input that would not shrink goes in
 * a stored block instead, so incompressible data grows by a few bytes only. */
#ifndef FLAME_DEFLATE_H
#define FLAME_DEFLATE_H

#include <stddef.h>

#include "strbuf.h"

/* Append the bare deflate stream of in[0..n) to out. */
void deflate_compress(const void *in, size_t n, struct strbuf *out);
/* Append one gzip member (no name, time 0, so the output depends on the input only). */
void gzip_compress(const void *in, size_t n, struct strbuf *out);

#endif
