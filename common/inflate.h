/* inflate: decoding of deflate data (RFC 1951) bare, in a zlib wrapper (RFC 1950, with its Adler-32)
 * or in a gzip wrapper (RFC 1952, with its CRC-32), from memory into memory; and the two ways ELF
 * files carry compressed debug sections (SHF_COMPRESSED with an Elf64_Chdr or Elf32_Chdr, and the
 * legacy .zdebug_* sections). Malformed input is an error naming the byte offset where it was
 * found, never a crash, a hang or a write outside the output buffer; output sizes are bounded. */
#ifndef FLAME_INFLATE_H
#define FLAME_INFLATE_H

#include <stddef.h>
#include <stdint.h>

enum inflate_wrap {
	INFLATE_RAW,    /* bare deflate blocks */
	INFLATE_ZLIB,   /* 2-byte header, deflate, big-endian Adler-32 */
	INFLATE_GZIP,   /* one or more gzip members, each checked by its CRC-32 and size */
};

/* Results of every call: all fields are set whether it succeeds or fails. */
struct inflate_status {
	size_t in_used;     /* input bytes read: the whole stream with its trailer on success */
	size_t out_len;     /* output bytes written (on failure: how far it got) */
	size_t err_offset;  /* byte offset in the input where the error was found */
	const char *err;    /* NULL on success, else a static message ("invalid distance code") */
};

/* The deflate length and distance tables (RFC 1951 3.2.5): base value and extra bits of each
 * length code 257..285 (index 0..28) and each distance code 0..29; shared with deflate.c. */
extern const uint16_t inflate_len_base[29];
extern const uint8_t inflate_len_extra[29];
extern const uint16_t inflate_dist_base[30];
extern const uint8_t inflate_dist_extra[30];

/* Growable output never exceeds this unless the caller asks for more. */
#define INFLATE_LIMIT ((size_t)1 << 31)
/* Deflate cannot expand by more than about 1032:1 (a 258-byte match in 2 bits): a declared size
 * beyond this many times the compressed size is refused before any memory is taken. */
#define INFLATE_MAX_RATIO 1032

/* Return values. */
#define INFLATE_OK 0
#define INFLATE_ERROR (-1)
#define INFLATE_UNSUPPORTED (-2)   /* ELF sections compressed otherwise than with zlib (zstd) */

/* Decode into out[0..cap); producing more than cap bytes is an error. Bytes after the end of the
 * stream are left alone (st->in_used tells where it ended), except that for INFLATE_GZIP further
 * members are decoded and anything else after them is an error. Returns INFLATE_OK or INFLATE_ERROR. */
int inflate_into(enum inflate_wrap wrap, const void *in, size_t in_len, void *out, size_t cap,
		 struct inflate_status *st);

/* The same into a malloc'ed buffer grown as needed up to limit bytes (0 for INFLATE_LIMIT). On
 * success *out holds st->out_len bytes plus a NUL (free it); on failure *out is NULL. */
int inflate_alloc(enum inflate_wrap wrap, const void *in, size_t in_len, size_t limit,
		  unsigned char **out, struct inflate_status *st);

/* The contents of an SHF_COMPRESSED section (as in the file: its Elf64_Chdr, or Elf32_Chdr when
 * elf64 is 0, in little- or big-endian byte order, then the stream). ELFCOMPRESS_ZLIB data is decoded
 * into a malloc'ed buffer of exactly ch_size bytes (plus a NUL), which must be what the stream holds;
 * ch_size above limit (0 for INFLATE_LIMIT) or above INFLATE_MAX_RATIO times the data is refused.
 * Other ch_types (ELFCOMPRESS_ZSTD) return INFLATE_UNSUPPORTED with st->err saying which. Offsets
 * in st count from the start of the section. */
int inflate_elf_section(const void *data, size_t size, int elf64, int big_endian, size_t limit,
			unsigned char **out, size_t *out_len, struct inflate_status *st);

/* The contents of a legacy .zdebug_* section: "ZLIB", the size as 8 bytes big-endian, a zlib
 * stream. Same rules as inflate_elf_section. */
int inflate_zdebug(const void *data, size_t size, size_t limit, unsigned char **out, size_t *out_len,
		   struct inflate_status *st);

/* The checksums, for callers that need them alone (.gnu_debuglink's CRC is inflate_crc32). Start
 * from 0 for crc32 and 1 for adler32, and feed the result back in to continue. */
uint32_t inflate_crc32(uint32_t crc, const void *buf, size_t len);
uint32_t inflate_adler32(uint32_t adler, const void *buf, size_t len);

#endif
