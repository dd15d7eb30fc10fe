/* elf: ELF64 reader over a read-only mapping; see elf.h. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "elf.h"
#include "unwind.h"

/* Does [off, off+len) lie inside the file? Written so that it cannot overflow. */
static int in_file(const struct elf_file *elf, uint64_t off, uint64_t len)
{
	return off <= elf->size && len <= elf->size - off;
}

static int aligned(const struct elf_file *elf, uint64_t off, unsigned align)
{
	return ((uintptr_t)elf->data + off) % align == 0;
}

static int parse_header(struct elf_file *elf)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf->data;

	if (elf->size < sizeof(*eh) || !aligned(elf, 0, 8) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		errno = ENOEXEC;
		return -1;
	}
	elf->type = eh->e_type;
	elf->machine = eh->e_machine;
	elf->phoff = eh->e_phoff;
	elf->phnum = eh->e_phnum;
	elf->shoff = eh->e_shoff;
	elf->shnum = eh->e_shnum;
	elf->shstrndx = eh->e_shstrndx;
	/* Tables that do not fit, or are misaligned (the structs are read in place), are ignored. */
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !in_file(elf, elf->phoff, (uint64_t)elf->phnum * sizeof(Elf64_Phdr)) ||
	    !aligned(elf, elf->phoff, 8))
		elf->phnum = 0;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !in_file(elf, elf->shoff, (uint64_t)elf->shnum * sizeof(Elf64_Shdr)) ||
	    !aligned(elf, elf->shoff, 8))
		elf->shnum = 0;
	return 0;
}

int elf_from_memory(struct elf_file *elf, const void *data, size_t size)
{
	memset(elf, 0, sizeof(*elf));
	elf->data = data;
	elf->size = size;
	return parse_header(elf);
}

int elf_open(struct elf_file *elf, const char *path)
{
	struct stat st;
	void *p;
	int fd, saved;

	memset(elf, 0, sizeof(*elf));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		errno = ENOEXEC;
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	saved = errno;
	close(fd);
	if (p == MAP_FAILED) {
		errno = saved;
		return -1;
	}
	elf->data = p;
	elf->size = (size_t)st.st_size;
	elf->mapped = 1;
	if (parse_header(elf) < 0) {
		saved = errno;
		elf_close(elf);
		errno = saved;
		return -1;
	}
	return 0;
}

void elf_close(struct elf_file *elf)
{
	if (elf->mapped && elf->data)
		munmap((void *)elf->data, elf->size);
	memset(elf, 0, sizeof(*elf));
}

static const Elf64_Shdr *shdr(const struct elf_file *elf, unsigned index)
{
	return (const Elf64_Shdr *)(elf->data + elf->shoff) + index;
}

/* A NUL-terminated string at offset off of string table section strndx, or NULL. */
static const char *string_at(const struct elf_file *elf, unsigned strndx, uint64_t off)
{
	const Elf64_Shdr *sh;
	const char *s;

	if (strndx >= elf->shnum)
		return NULL;
	sh = shdr(elf, strndx);
	if (sh->sh_type == SHT_NOBITS || !in_file(elf, sh->sh_offset, sh->sh_size) || off >= sh->sh_size)
		return NULL;
	s = (const char *)elf->data + sh->sh_offset + off;
	return memchr(s, '\0', sh->sh_size - off) ? s : NULL;
}

int elf_section_at(const struct elf_file *elf, unsigned index, struct elf_section *out)
{
	const Elf64_Shdr *sh;

	if (index >= elf->shnum)
		return -1;
	sh = shdr(elf, index);
	out->name = string_at(elf, elf->shstrndx, sh->sh_name);
	if (!out->name)
		out->name = "";
	out->type = sh->sh_type;
	out->flags = sh->sh_flags;
	out->addr = sh->sh_addr;
	out->offset = sh->sh_offset;
	out->size = sh->sh_size;
	out->link = sh->sh_link;
	out->entsize = sh->sh_entsize;
	out->data = sh->sh_type != SHT_NOBITS && in_file(elf, sh->sh_offset, sh->sh_size) ?
		elf->data + sh->sh_offset : NULL;
	return 0;
}

int elf_section_by_name(const struct elf_file *elf, const char *name, struct elf_section *out)
{
	for (unsigned i = 1; i < elf->shnum; i++)
		if (elf_section_at(elf, i, out) == 0 && strcmp(out->name, name) == 0)
			return 0;
	return -1;
}

size_t elf_load_segments(const struct elf_file *elf, struct elf_segment *out, size_t max)
{
	const Elf64_Phdr *ph;
	size_t n = 0;

	if (elf->phnum == 0)
		return 0;       /* phoff may be anything then */
	ph = (const Elf64_Phdr *)(elf->data + elf->phoff);
	for (unsigned i = 0; i < elf->phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (n < max) {
			out[n].vaddr = ph[i].p_vaddr;
			out[n].memsz = ph[i].p_memsz;
			out[n].offset = ph[i].p_offset;
			out[n].filesz = ph[i].p_filesz;
			out[n].flags = ph[i].p_flags;
		}
		n++;
	}
	return n;
}

int elf_eh_frame(const struct elf_file *elf, struct elf_eh_frame *out)
{
	/* phoff may be anything when there are no program headers: no pointer is formed then. */
	const Elf64_Phdr *ph = elf->phnum ? (const Elf64_Phdr *)(elf->data + elf->phoff) : NULL;
	struct elf_section sec;
	uint64_t target;

	memset(out, 0, sizeof(*out));
	if (elf_section_by_name(elf, ".eh_frame_hdr", &sec) == 0 && sec.data) {
		out->hdr = sec.data;
		out->hdr_size = sec.size;
		out->hdr_vaddr = sec.addr;
	}
	if (elf_section_by_name(elf, ".eh_frame", &sec) == 0 && sec.data) {
		out->frame = sec.data;
		out->frame_size = sec.size;
		out->frame_vaddr = sec.addr;
		return 0;
	}
	/* No section headers (or no .eh_frame among them): through the program headers. */
	for (unsigned i = 0; i < elf->phnum && !out->hdr; i++)
		if (ph[i].p_type == PT_GNU_EH_FRAME && in_file(elf, ph[i].p_offset, ph[i].p_filesz)) {
			out->hdr = elf->data + ph[i].p_offset;
			out->hdr_size = ph[i].p_filesz;
			out->hdr_vaddr = ph[i].p_vaddr;
		}
	if (!out->hdr || !unwind_eh_frame_ptr(out->hdr, out->hdr_size, out->hdr_vaddr, &target))
		return -1;
	for (unsigned i = 0; i < elf->phnum; i++) {
		uint64_t off, end;
		if (ph[i].p_type != PT_LOAD || target < ph[i].p_vaddr || target - ph[i].p_vaddr >= ph[i].p_filesz)
			continue;
		off = ph[i].p_offset + (target - ph[i].p_vaddr);
		end = ph[i].p_offset + ph[i].p_filesz;
		if (!in_file(elf, ph[i].p_offset, ph[i].p_filesz) || off >= end)
			return -1;
		out->frame = elf->data + off;
		out->frame_size = (size_t)(end - off);
		out->frame_vaddr = target;
		return 0;
	}
	return -1;
}

int elf_vdso(struct elf_file *elf)
{
	const unsigned char *image = (const unsigned char *)(uintptr_t)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
	const Elf64_Phdr *ph;
	uint64_t end;

	memset(elf, 0, sizeof(*elf));
	if (!image || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff % 8)
		return -1;
	/* The kernel maps the whole image (its headers are trusted): it ends with the furthest of the
	 * section header table and the loaded segments. */
	end = eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	ph = (const Elf64_Phdr *)(image + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	if (end < sizeof(*eh) || end > (1u << 24))
		return -1;
	return elf_from_memory(elf, image, (size_t)end);
}

size_t elf_each_symbol(const struct elf_file *elf, const char *section, elf_symbol_fn fn, void *ctx)
{
	struct elf_section sec;
	const Elf64_Sym *syms;
	struct elf_symbol sym;
	size_t count, i;

	if (elf_section_by_name(elf, section, &sec) < 0 || !sec.data || sec.entsize != sizeof(Elf64_Sym) ||
	    !aligned(elf, sec.offset, 8))
		return 0;
	if (sec.type != SHT_SYMTAB && sec.type != SHT_DYNSYM)
		return 0;
	syms = (const Elf64_Sym *)sec.data;
	count = sec.size / sizeof(Elf64_Sym);
	for (i = 1; i < count; i++) {
		sym.name = string_at(elf, sec.link, syms[i].st_name);
		if (!sym.name || !*sym.name)
			continue;
		sym.value = syms[i].st_value;
		sym.size = syms[i].st_size;
		sym.type = ELF64_ST_TYPE(syms[i].st_info);
		sym.bind = ELF64_ST_BIND(syms[i].st_info);
		sym.shndx = syms[i].st_shndx;
		sym.visibility = ELF64_ST_VISIBILITY(syms[i].st_other);
		sym.in_code = sym.shndx != SHN_UNDEF && sym.shndx < SHN_LORESERVE && sym.shndx < elf->shnum &&
			      (shdr(elf, sym.shndx)->sh_flags & SHF_EXECINSTR);
		if (fn(ctx, &sym))
			break;
	}
	return i - 1;
}

/* GOT slots of functions, by address: JUMP_SLOT (.rela.plt) and GLOB_DAT (.rela.dyn, for the
 * .plt.got stubs), each with its .dynsym name. */
struct got_slot {
	uint64_t addr;
	const char *name;
};

static int compare_slots(const void *a, const void *b)
{
	const struct got_slot *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void add_got_slots(const struct elf_file *elf, const char *section, struct got_slot **slots, size_t *n)
{
	struct elf_section rela, dynsym;
	const Elf64_Rela *r;
	size_t count;

	if (elf_section_by_name(elf, section, &rela) < 0 || !rela.data || rela.type != SHT_RELA ||
	    !aligned(elf, rela.offset, 8) || elf_section_at(elf, rela.link, &dynsym) < 0 || !dynsym.data ||
	    dynsym.type != SHT_DYNSYM || !aligned(elf, dynsym.offset, 8))
		return;
	r = (const Elf64_Rela *)rela.data;
	count = rela.size / sizeof(*r);
	*slots = xrealloc(*slots, (*n + count) * sizeof(**slots));
	for (size_t i = 0; i < count; i++) {
		uint32_t type = ELF64_R_TYPE(r[i].r_info), index = ELF64_R_SYM(r[i].r_info);
		const char *name;
		if ((type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) || index == 0 ||
		    index >= dynsym.size / sizeof(Elf64_Sym))
			continue;
		name = string_at(elf, dynsym.link, ((const Elf64_Sym *)dynsym.data)[index].st_name);
		if (name && *name)
			(*slots)[(*n)++] = (struct got_slot){ r[i].r_offset, name };
	}
}

/* The GOT slot a stub jumps through: the first `jmp *disp32(%rip)` (ff 25, maybe after a bnd
 * prefix f2 or an endbr64) in its bytes; 0 when there is none (the .plt header pushes first). */
static uint64_t stub_got_slot(const unsigned char *p, uint64_t addr, uint64_t size)
{
	for (uint64_t i = 0; i + 6 <= size; i++) {
		if (p[i] == 0xff && p[i + 1] == 0x35)
			return 0;       /* push *GOT+8(%rip): the lazy-binding header, not a stub */
		if (p[i] == 0xff && p[i + 1] == 0x25) {
			int32_t disp;
			memcpy(&disp, p + i + 2, 4);
			return addr + i + 6 + (uint64_t)(int64_t)disp;
		}
	}
	return 0;
}

size_t elf_each_plt_stub(const struct elf_file *elf, elf_plt_fn fn, void *ctx)
{
	static const char *const plts[] = { ".plt", ".plt.sec", ".plt.got" };
	struct got_slot *slots = NULL, key, *hit;
	struct elf_section plt;
	size_t nslots = 0, count = 0;

	if (elf->machine != EM_X86_64)
		return 0;
	add_got_slots(elf, ".rela.plt", &slots, &nslots);
	add_got_slots(elf, ".rela.dyn", &slots, &nslots);
	if (nslots == 0) {
		free(slots);
		return 0;
	}
	qsort(slots, nslots, sizeof(*slots), compare_slots);
	for (size_t k = 0; k < sizeof(plts) / sizeof(plts[0]); k++) {
		uint64_t entry;
		if (elf_section_by_name(elf, plts[k], &plt) < 0 || !plt.data || !(plt.flags & SHF_EXECINSTR))
			continue;
		/* With IBT the .plt stubs only push and jump to the header: .plt.sec has the jumps. */
		entry = plt.entsize == 8 || plt.entsize == 16 ? plt.entsize : 16;
		for (uint64_t off = 0; off + entry <= plt.size; off += entry) {
			key.addr = stub_got_slot(plt.data + off, plt.addr + off, entry);
			if (key.addr && (hit = bsearch(&key, slots, nslots, sizeof(*slots), compare_slots)) != NULL) {
				fn(ctx, plt.addr + off, entry, hit->name);
				count++;
			}
		}
	}
	free(slots);
	return count;
}

/* Walk the notes of one SHT_NOTE section looking for the GNU build-id. */
static size_t build_id_in(const unsigned char *p, uint64_t size, unsigned char *out, size_t max)
{
	uint64_t off = 0;

	while (size - off >= sizeof(Elf64_Nhdr)) {
		const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(p + off);
		uint64_t name_len = ((uint64_t)nh->n_namesz + 3) & ~3ULL;
		uint64_t desc_len = ((uint64_t)nh->n_descsz + 3) & ~3ULL;

		off += sizeof(*nh);
		if (name_len > size - off || desc_len > size - off - name_len)
			return 0;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp(p + off, "GNU", 4) == 0) {
			size_t n = nh->n_descsz < max ? nh->n_descsz : max;
			memcpy(out, p + off + name_len, n);
			return n;
		}
		off += name_len + desc_len;
	}
	return 0;
}

size_t elf_build_id(const struct elf_file *elf, unsigned char *out, size_t max)
{
	struct elf_section sec;
	size_t n;

	for (unsigned i = 1; i < elf->shnum; i++) {
		if (elf_section_at(elf, i, &sec) < 0 || sec.type != SHT_NOTE || !sec.data || !aligned(elf, sec.offset, 4))
			continue;
		if ((n = build_id_in(sec.data, sec.size, out, max)) > 0)
			return n;
	}
	return 0;
}

const char *elf_debuglink(const struct elf_file *elf, uint32_t *crc)
{
	struct elf_section sec;
	const char *name;
	size_t len, crc_off;

	if (elf_section_by_name(elf, ".gnu_debuglink", &sec) < 0 || !sec.data || sec.size < 6)
		return NULL;
	name = (const char *)sec.data;
	len = strnlen(name, sec.size);
	if (len == 0 || len == sec.size)
		return NULL;
	crc_off = (len + 4) & ~(size_t)3;   /* the name, its NUL, padding to 4 */
	if (crc) {
		*crc = 0;
		if (crc_off + 4 <= sec.size)
			memcpy(crc, sec.data + crc_off, 4);
	}
	return name;
}
