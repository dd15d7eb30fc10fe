/* symbols: what a sampled address means. Processes and their memory maps (from PERF_RECORD_MMAP2,
 * COMM, FORK records, or /proc for processes that were running before recording began), one symbol
 * table per ELF object read once and cached by path and inode, the kernel's /proc/kallsyms, the vDSO,
 * and JIT symbols from /tmp/perf-PID.map. */
#ifndef FLAME_RECORD_SYMBOLS_H
#define FLAME_RECORD_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "elf.h"

struct unwind_table;

struct symbol {
	uint64_t start, end;        /* [start, end) in the object's link-time addresses */
	const char *name;
	const char *demangled;      /* filled in on first use; == name when nothing to demangle */
};

/* One mapped object: an ELF file, the vDSO, or the kernel. */
struct dso {
	char *path;                 /* as printed between parentheses */
	uint64_t dev, ino;
	int loaded;                 /* symbols were read (or reading was tried) */
	int is_elf;
	struct elf_file elf, debug; /* kept mapped: symbol names point into them */
	struct elf_segment *segs;
	size_t nsegs;
	struct symbol *syms;
	size_t nsyms;
	struct arena names;         /* kallsyms / perf map names live here */
	struct module_range *modules;   /* kernel: where each module's functions are */
	size_t nmodules, modules_cap;
	struct unwind_table *unwind;    /* its .eh_frame for --call-graph dwarf: see dso_unwind_table */
	int unwind_tried;
	struct dwarf *dwarf;            /* its DWARF for inlined frames and source lines, opened when first needed */
	struct elf_file dwarf_elf;      /* a separate debug file holding that DWARF, when it is not in elf/debug */
	int dwarf_tried;
	char *source;               /* sym_set_locate: the file to read instead of path (same build id) */
};

struct module_range {
	uint64_t start, end;        /* from its first to past its last function symbol */
	const char *name;           /* "[name]", as perf prints a module it has no file for */
};

struct map {
	uint64_t start, end, pgoff;
	struct dso *dso;            /* NULL: anonymous memory (JIT code lives here) */
};

/* The answer for one address. */
struct resolved {
	const char *sym;            /* NULL: [unknown] */
	uint64_t offset;            /* address - symbol start */
	const char *dso;            /* NULL: [unknown] */
};

struct symbolizer;

/* How to print C++ and Rust names: as in the symbol table, demangled without parameter lists
 * (perf script's default: "ns::Box<double>::spin"), or with them ("ns::Box<double>::spin(int)
 * const", perf script -v). */
enum { SYM_MANGLED, SYM_DEMANGLE, SYM_DEMANGLE_PARAMS };
struct symbolizer *symbolizer_new(int demangle_names);
void symbolizer_free(struct symbolizer *s);
/* Start reading /proc/kallsyms in a thread now, so the first kernel frame does not wait for it
 * (abandoned at the end if no kernel frame came). */
void sym_preload_kernel(struct symbolizer *s);
/* Whether kernel addresses can be resolved without waiting for that thread. */
int sym_kernel_ready(struct symbolizer *s);
/* Where separate debug files live (default /usr/lib/debug): DIR/.build-id/xx/yyyy.debug and
 * DIR/<the object's directory>/<its .gnu_debuglink name>. */
void sym_set_debug_dir(const char *dir);
const char *sym_debug_dir(void);
/* Read kernel symbols from path instead of /proc/kallsyms (for tests). */
void sym_use_kallsyms(struct symbolizer *s, const char *path);

/* Record events, in time order. */
void sym_comm(struct symbolizer *s, int pid, int tid, const char *comm, int exec);
void sym_fork(struct symbolizer *s, int pid, int tid, int ppid, int ptid);
void sym_mmap(struct symbolizer *s, int pid, uint64_t start, uint64_t len, uint64_t pgoff,
              uint64_t dev, uint64_t ino, uint32_t prot, const char *filename);
void sym_exit(struct symbolizer *s, int pid, int tid);
/* As records arrive, before they are put in order: read a newly mapped file, and a process's
 * /tmp/perf-PID.map (again if it changed), while they surely exist. */
void sym_preload_file(struct symbolizer *s, int pid, uint64_t start, uint64_t len, const char *filename,
                      uint64_t dev, uint64_t ino, uint32_t prot);
void sym_check_jit(struct symbolizer *s, int pid);
/* Read /proc/PID/maps and the main thread's comm for a process that was running before recording
 * (the files are read when first needed). */
void sym_synthesize(struct symbolizer *s, int pid);
/* The same for every process in /proc (system-wide recording). */
void sym_synthesize_all(struct symbolizer *s);
/* Never look in /proc (maps of unseen processes, thread names, /proc/PID/map_files): the records
 * come from a perf.data file, of processes of another time that carry their own maps. */
void sym_set_offline(struct symbolizer *s);
/* Where the symbols of an object seen at path come from (flame-record -i: the recorded build ids
 * decide), asked once per object before it is read: return 0 to read path as usual (with its inode
 * check), 1 to read the file written to out instead (vouched for: no inode check), -1 to read
 * nothing (its frames print [unknown] with path). Also asked for "[vdso]" (1 counts as 0). */
typedef int (*sym_locate_fn)(void *ctx, const char *path, char *out, size_t outlen);
void sym_set_locate(struct symbolizer *s, sym_locate_fn fn, void *ctx);

/* comm of a thread ("" when unknown; tries /proc for threads never seen). */
const char *sym_thread_comm(struct symbolizer *s, int pid, int tid);

/* Symbolize one address of process pid; kernel: the address is in kernel space. */
void sym_resolve(struct symbolizer *s, int pid, uint64_t addr, int kernel, struct resolved *out);

/* The ELF object mapped at addr in process pid (its file stays mapped in dso->elf, e.g. for
 * dso_unwind_table) and the load bias: addr = link-time address + bias. 0 when addr is in no
 * ELF object. */
int sym_object_at(struct symbolizer *s, int pid, uint64_t addr, struct dso **dso, uint64_t *bias);
/* The unwind table of the object mapped at addr in process pid, and its load bias: an
 * unwind_find_fn's answer (unwind.h) for `--call-graph dwarf`. 0 when addr is in no ELF object or
 * the object has no .eh_frame. */
int sym_unwind_table_at(struct symbolizer *s, int pid, uint64_t addr, const struct unwind_table **table, uint64_t *bias);
/* d's unwind table, built from its .eh_frame on first use and owned by d (freed by dso_free);
 * NULL when it has none. */
const struct unwind_table *dso_unwind_table(struct dso *d);

/* The inlined-function chain and source lines at addr in process pid (see dwarf_lookup: innermost
 * first, the physical function last); 0 when no DWARF covers it (kernel, JIT, no debug info). */
struct inline_frame;
size_t sym_inline_chain(struct symbolizer *s, int pid, uint64_t addr, struct inline_frame *out, size_t max);

/* Building blocks, exposed for the unit tests. */
struct dso *dso_from_elf_path(const char *path);          /* loads the symbols now; NULL if unreadable */
const struct symbol *dso_find_symbol(struct dso *dso, uint64_t vaddr);
uint64_t dso_vaddr_of_offset(const struct dso *dso, uint64_t file_offset);
void dso_free(struct dso *dso);
/* Parse perf-PID.map text ("START SIZE name" per line, hex) into a dso; NULL if no valid line, or
 * when the file is not one to trust (see open rules in flame-record(1), JIT MAPS). The _fd form
 * parses an already opened file (at most its first 64 MiB), with no checks; path names it. */
struct dso *dso_from_perf_map(const char *path);
struct dso *dso_from_perf_map_fd(int fd, const char *path);
/* Parse /proc/kallsyms-format text; NULL when unreadable or every address is 0 (hidden). */
/* The module holding a kernel address, or NULL for the kernel proper. */
const char *kernel_module_at(const struct dso *kernel, uint64_t addr);
struct dso *dso_from_kallsyms(const char *path);

#endif
