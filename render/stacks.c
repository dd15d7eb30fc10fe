#include "stacks.h"
#include "folded.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Perl's split drops trailing empty fields: "a;b;;" has the frames a and b. */
static size_t strip_trailing_empty(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ';')
		len--;
	return len;
}

/* --reverse: the frames in the opposite order, into sb. */
static void reverse_frames(struct strbuf *sb, const char *s, size_t len)
{
	len = strip_trailing_empty(s, len);
	sb_reset(sb);
	size_t end = len;
	for (;;) {
		size_t start = end;
		while (start > 0 && s[start - 1] != ';')
			start--;
		sb_add(sb, s + start, end - start);
		if (start == 0)
			break;
		sb_addc(sb, ';');
		end = start - 1;
	}
}

/* --colors chain, as flamegraph.pl rewrites the stack: frames after the first ";--;" get "_[w]",
 * and a ";--;" is appended to stacks that have none (so they end in a "--" frame). */
static void chain_frames(struct strbuf *out, const char *s, size_t len)
{
	sb_reset(out);
	const char *sep = memmem(s, len, ";--;", 4);
	size_t first = sep ? (size_t)(sep - s) : len;
	sb_add(out, s, first);
	sb_add(out, ";--;", 4);
	size_t i = sep ? first + 4 : len;
	int any = 0;
	while (i < len) {
		const char *next = memmem(s + i, len - i, ";--;", 4);
		size_t part_end = next ? (size_t)(next - s) : len;
		if (any)
			sb_add(out, ";--;", 4);
		for (size_t j = i; j < part_end; j++) {
			if (s[j] == ';')
				sb_add(out, "_[w];", 5);
			else
				sb_addc(out, s[j]);
		}
		sb_add(out, "_[w]", 4);
		any = 1;
		i = next ? part_end + 4 : len;
	}
}

/* --base: the offset of the deepest frame named like a base function, or -1 if there is none. */
static long base_cut(const char *s, size_t len, const struct stack_options *o)
{
	size_t end = len;
	for (;;) {
		size_t start = end;
		while (start > 0 && s[start - 1] != ';')
			start--;
		for (size_t b = 0; b < o->nbase; b++)
			if (strlen(o->base[b]) == end - start && memcmp(o->base[b], s + start, end - start) == 0)
				return (long)start;
		if (start == 0)
			return -1;
		end = start - 1;
	}
}

static struct stack_entry *new_entry(struct stack_table *t)
{
	GROW(t->entry, t->entry_cap, t->nentry + 1);
	return &t->entry[t->nentry++];
}

static void keep_count_text(struct stack_table *t, uint32_t id, const char *p, size_t n)
{
	GROW_ZEROED(t->count_text, t->count_text_cap, (size_t)id + 1);
	t->count_text[id] = arena_strndup(&t->text_arena, p, n);
}

/* An entry as the sort sees it (see lcp_sort). */
struct sort_item {
	const char *s;
	uint32_t len;
	uint32_t index;		/* into the entries */
};

static void sort_entries(struct stack_table *t);
static void merge_runs(struct stack_table *t, size_t first);

/* Runs are merged RUN_FANIN at a time: a level of that many becomes one run of the next level, at
 * most 2 * RUN_FANIN - 1 are kept and RUN_FANIN are read at the end. Files open stay few (with
 * their 64 KiB buffers) whatever the budget, and each stack is rewritten about once per level:
 * log_16 of the number of runs. */
#define RUN_FANIN 16

/* A record of a run file: the merged counts of one distinct stack, then its bytes and count text. */
struct run_record {
	uint32_t len;
	uint32_t text_len;
	uint32_t has_delta;
	double count, before, delta;
};

/* A temporary file in $TMPDIR (else /tmp), unlinked at once: nothing is left behind, whatever happens. */
static FILE *temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, "%s/flame-render-XXXXXX", dir);
	int fd = mkostemp(path.buf, O_CLOEXEC);
	if (fd < 0)
		die("cannot create a temporary file for sorting in %s: %s", dir, strerror(errno));
	unlink(path.buf);
	sb_release(&path);
	FILE *fp = fdopen(fd, "w+");
	if (!fp)
		die("cannot create a temporary file for sorting: %s", strerror(errno));
	setvbuf(fp, NULL, _IOFBF, 1 << 16);
	return fp;
}

static void write_record(FILE *fp, const char *stack, size_t len, const char *text, size_t text_len,
			 int has_delta, double count, double before, double delta)
{
	struct run_record r;
	memset(&r, 0, sizeof(r));	/* the padding goes to the file too: no uninitialised bytes */
	r.len = (uint32_t)len;
	r.text_len = (uint32_t)text_len;
	r.has_delta = (uint32_t)has_delta;
	r.count = count;
	r.before = before;
	r.delta = delta;
	if (fwrite(&r, sizeof(r), 1, fp) != 1 || fwrite(stack, 1, len, fp) != len ||
	    (text_len && fwrite(text, 1, text_len, fp) != text_len))
		die("temporary file: write error: %s", strerror(errno));
}

/* A run written whole: rewind it for reading and add it at the given level. */
static void add_run(struct stack_table *t, size_t at, FILE *fp, unsigned level)
{
	if (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0)
		die("temporary file: write error: %s", strerror(errno));
	if (at == t->nruns) {
		t->runs = xrealloc(t->runs, (t->nruns + 1) * sizeof(*t->runs));
		t->nruns++;
	}
	t->runs[at] = (struct run_file){ fp, level };
}

/*
 * The memory reading would hold after one more distinct stack: the stacks' bytes (copied, or the
 * pages of mapped input read since the last spill), the entry, key and count-text arrays as they
 * grow by doubling, and the larger of the hash slots (both tables while they are resized) and the
 * sort's scratch (the slots are freed before sorting).
 */
static size_t table_memory(const struct stack_table *t)
{
	return t->stacks.arena.total + t->text_arena.total + t->mapped_bytes + t->fixed_memory;
}

/* The part of table_memory that changes only with the number of entries (kept in fixed_memory). */
static void update_fixed_memory(struct stack_table *t)
{
	const struct interner *s = &t->stacks;
	size_t n = t->nentry + 1;
#define GROWN(cap) ((n) > (cap) ? ((cap) ? 2 * (cap) : 16) : (cap))
	size_t mem = n * 8;	/* alignment and NUL of copied stacks */
	mem += GROWN(t->entry_cap) * sizeof(struct stack_entry) + GROWN(s->keys_cap) * sizeof(struct intern_key);
	if (t->count_text_cap)
		mem += GROWN(t->count_text_cap) * sizeof(char *);
#undef GROWN
	size_t nslots = s->slots ? s->mask + 1 : 1024;
	size_t slots = (n * 2 > nslots - 1 ? 3 * nslots : nslots) * sizeof(uint64_t);
	size_t sort = n * (2 * sizeof(struct sort_item) + 2 * sizeof(uint32_t));
	t->fixed_memory = mem + (slots > sort ? slots : sort);
}

/* Sort the distinct stacks read so far into a temporary file and start afresh: memory stays within
 * the budget however big the input; the runs are merged when the stacks are walked. */
static void spill(struct stack_table *t)
{
	sort_entries(t);
	FILE *fp = temp_file();
	for (size_t i = 0; i < t->nentry; i++) {
		const struct stack_entry *e = &t->entry[t->order ? t->order[i] : i];
		const struct intern_key *k = intern_get(&t->stacks, e->id);
		const char *text = e->id < t->count_text_cap ? t->count_text[e->id] : NULL;
		write_record(fp, k->bytes, k->len, text, text ? strlen(text) : 0, e->has_delta, e->count,
			     e->before, e->delta);
	}
	add_run(t, t->nruns, fp, 0);
	free(t->order);
	t->order = NULL;
	interner_free(&t->stacks);
	t->stacks = (struct interner)INTERNER_INIT;
	t->nentry = 0;
	t->mapped_bytes = 0;
	t->fixed_memory = 0;
	/* No stack refers to the mapped input read so far any more: let its pages go. */
	long page = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < t->nmaps; i++) {
		size_t done = (size_t)(t->maps[i].cursor - t->maps[i].data) / (size_t)page * (size_t)page;
		if (done)
			madvise(t->maps[i].data, done, MADV_DONTNEED);
	}
	free(t->count_text);
	t->count_text = NULL;
	t->count_text_cap = 0;
	arena_free(&t->text_arena);
	/* A full level becomes one run of the next; and never more than 2 * RUN_FANIN - 1 runs are
	 * kept (one file each): the last ones, the smallest, are merged first. */
	while (t->nruns >= 2 * RUN_FANIN ||
	       (t->nruns >= RUN_FANIN && t->runs[t->nruns - RUN_FANIN].level == t->runs[t->nruns - 1].level))
		merge_runs(t, t->nruns - RUN_FANIN);
}

static void add_line(struct stack_table *t, const struct stack_options *o, const char *line, size_t len,
		     const struct folded_line *fl, int stable)
{
	const char *stack = fl->stack;
	size_t stack_len = fl->stack_len;
	if (o->nbase) {
		long cut = base_cut(stack, strip_trailing_empty(stack, stack_len), o);
		if (cut < 0)
			return;
		stack += cut;
		stack_len -= (size_t)cut;
	}
	if (o->reverse) {
		reverse_frames(&t->scratch, stack, stack_len);
		stack = t->scratch.buf;
		stack_len = t->scratch.len;
		stable = 0;
	}
	stack_len = strip_trailing_empty(stack, stack_len);

	int two = fl->ncounts == 2;
	double width = fl->count[two].value;
	double before = fl->count[0].value;
	double delta = two ? fl->count[1].value - fl->count[0].value : 0;
	if (two) {
		t->differential = 1;
		double mag = delta < 0 ? -delta : delta;
		if (mag > t->maxdelta)
			t->maxdelta = mag;
	}
	t->total += width;

	/* Room for one more distinct stack, or spill first (when this one may be new). */
	if (t->budget && t->nentry && !o->flamechart && table_memory(t) > t->budget)
		spill(t);
	int added;
	/* Stacks in a mapped file stay where they are: no copy (and no fresh memory) per stack. */
	uint32_t id = stable ? intern_ref(&t->stacks, stack, stack_len, &added) : intern(&t->stacks, stack, stack_len, &added);
	if (o->flamechart) {
		/* Neighbours with the same stack merge; the second adds width but no delta, as in the flow. */
		if (t->nentry && t->entry[t->nentry - 1].id == id) {
			t->entry[t->nentry - 1].count += width;
			t->entry[t->nentry - 1].before += before;
			return;
		}
		struct stack_entry *e = new_entry(t);
		*e = (struct stack_entry){ id, (uint8_t)two, width, delta, before };
		return;
	}
	if (added) {
		struct stack_entry *e = new_entry(t);
		*e = (struct stack_entry){ id, (uint8_t)two, width, delta, before };
		if (two)
			keep_count_text(t, id, fl->stack + fl->stack_len, (size_t)(line + len - fl->stack - fl->stack_len));
		if (t->budget)
			update_fixed_memory(t);
		return;
	}
	struct stack_entry *e = &t->entry[id];
	e->count += width;
	e->before += before;
	if (two) {
		/* Sorted whole lines put the smallest count text first, and only that line's leaf gets the
		 * delta; the identical stacks after it open no frame. */
		const char *text = fl->stack + fl->stack_len;
		size_t n = (size_t)(line + len - text);
		const char *kept = id < t->count_text_cap ? t->count_text[id] : NULL;
		size_t kept_len = kept ? strlen(kept) : 0;
		int c = kept ? memcmp(text, kept, n < kept_len ? n : kept_len) : 0;
		/* Kept even when the first line had one count (its delta then stays unused): the
		 * runs of a spill merge the same way, in any grouping. */
		if (!kept || c < 0 || (c == 0 && n < kept_len)) {
			e->delta = delta;
			keep_count_text(t, id, text, n);
		}
	}
}

static int blank_or_comment(const char *p, size_t len)
{
	return (len >= 2 && p[0] == '#' && p[1] == ' ') || line_is_blank(p, len);
}

/* "# units: U": what the counts are (flame-collapse --units). Inputs that disagree leave it unknown. */
static void note_units(struct stack_table *t, const char *p, size_t len)
{
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	if (!len || len >= sizeof(t->units) || memchr(p, ' ', len) || memchr(p, '\t', len))
		return;
	if (t->units[0] && (strlen(t->units) != len || memcmp(t->units, p, len) != 0))
		t->units_mixed = 1;
	if (!t->units[0]) {
		memcpy(t->units, p, len);
		t->units[len] = '\0';
	}
}

static void read_line(struct stack_table *t, const struct stack_options *o, const char *name, uint64_t lineno,
		      const char *p, size_t len, int stable)
{
	struct folded_line fl;
	/* "stack BEFORE AFTER" is tried as flamegraph.pl does: its count pattern again on the stack. */
	enum folded_error err = folded_parse(p, len, 1, &fl);
	if (err == FOLDED_OK) {
		add_line(t, o, p, len, &fl, stable);
		return;
	}
	if (len > 9 && memcmp(p, "# units: ", 9) == 0) {
		note_units(t, p + 9, len - 9);
		return;
	}
	if (blank_or_comment(p, len))
		return;
	t->ignored++;
	input_warn(name, lineno, "%s; line skipped", folded_strerror(err));
}

void stacks_read(struct stack_table *t, struct reader *r, const struct stack_options *o)
{
	struct line ln;
	if (t->maxdelta < 1)
		t->maxdelta = 1;
	while (reader_line(r, &ln))
		read_line(t, o, r->name, r->lineno, ln.ptr, ln.len, 0);
	t->ignored += r->skipped_lines;	/* too long: the reader warned */
}

/* A mapped file that shrinks under us faults on the lost pages: say so rather than crash. */
static void on_sigbus(int sig)
{
	static const char msg[] = "flame-render: an input file shrank while it was being read\n";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

int stacks_read_file(struct stack_table *t, const char *path, const struct stack_options *o)
{
	/* stat first: opening (and closing) a FIFO here would lose its writer. */
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > SIZE_MAX)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	char *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED)
		return -1;
	madvise(data, size, MADV_SEQUENTIAL);
	signal(SIGBUS, on_sigbus);
	t->maps = xrealloc(t->maps, (t->nmaps + 1) * sizeof(*t->maps));
	t->maps[t->nmaps++] = (struct mapping){ data, size, data };
	struct mapping *m = &t->maps[t->nmaps - 1];
	if (t->maxdelta < 1)
		t->maxdelta = 1;
	/* Lines as the reader cuts them, and as long as it takes them. */
	struct line_iter it;
	struct line ln;
	line_iter_init(&it, data, size);
	while (line_next(&it, &ln)) {
		m->cursor = ln.ptr;
		/* Mapped pages read stay resident until a spill lets them go: they count as memory. */
		t->mapped_bytes += (size_t)(it.p - ln.ptr);
		if (ln.len > reader_max_line) {
			t->ignored++;
			input_warn(path, it.lineno, "line longer than %zu bytes, skipped (--max-line raises the limit)",
				   reader_max_line);
			continue;
		}
		read_line(t, o, path, it.lineno, ln.ptr, ln.len, 1);
	}
	m->cursor = data + size;
	return 0;
}

int stacks_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	if (c)
		return c;
	if (alen == blen)
		return 0;
	/* The shorter stack is followed by the space before its count. */
	if (alen < blen)
		return (unsigned char)b[n] < ' ' ? 1 : -1;
	return (unsigned char)a[n] < ' ' ? -1 : 1;
}

static const struct stack_table *sort_table;

static int entry_cmp(const void *pa, const void *pb)
{
	const struct intern_key *a = intern_get(&sort_table->stacks, ((const struct stack_entry *)pa)->id);
	const struct intern_key *b = intern_get(&sort_table->stacks, ((const struct stack_entry *)pb)->id);
	return stacks_compare(a->bytes, a->len, b->bytes, b->len);
}

/*
 * Sorting: stacks share long prefixes (every stack of a process starts the same way), so a plain
 * comparison sort spends its time comparing those prefixes again and again. This merge sort keeps
 * the longest common prefix (LCP) of neighbours and of each head with the last output, and compares
 * two stacks only from where they may differ (Ng and Kakehi's LCP-mergesort).
 */
/* (struct sort_item: above, where the budget counts its size.) */

/* The order of stacks_compare as keys: byte b is 2b+1, the end of a stack 2*' ' (just below a space). */
static inline unsigned key_at(const struct sort_item *x, size_t i)
{
	return i < x->len ? 2u * (unsigned char)x->s[i] + 1 : 2u * ' ';
}

/* Compare a and b, known to agree on their first h bytes; *lcp gets their common prefix. */
static int compare_from(const struct sort_item *a, const struct sort_item *b, size_t h, size_t *lcp)
{
	size_t n = a->len < b->len ? a->len : b->len;
	size_t l = h + stacks_common_prefix(a->s + h, b->s + h, n - h);
	*lcp = l;
	return (int)key_at(a, l) - (int)key_at(b, l);
}

/* Merge sorted a and b (lcp arrays: with the element before) into out and lo. */
static void lcp_merge(const struct sort_item *a, const uint32_t *la, size_t na, const struct sort_item *b,
		      const uint32_t *lb, size_t nb, struct sort_item *out, uint32_t *lo)
{
	size_t i = 0, j = 0, k = 0, ha = 0, hb = 0;	/* the heads' LCP with the last output */
	while (i < na && j < nb) {
		int a_first;
		if (ha != hb) {
			a_first = ha > hb;	/* the head agreeing longer with the last output is smaller */
		} else {
			size_t l;
			a_first = compare_from(&a[i], &b[j], ha, &l) <= 0;
			if (a_first)
				hb = l;
			else
				ha = l;
		}
		if (a_first) {
			lo[k] = (uint32_t)ha;
			out[k++] = a[i++];
			ha = i < na ? la[i] : 0;
		} else {
			lo[k] = (uint32_t)hb;
			out[k++] = b[j++];
			hb = j < nb ? lb[j] : 0;
		}
	}
	for (; i < na; ha = i < na ? la[i] : 0) {
		lo[k] = (uint32_t)ha;
		out[k++] = a[i++];
	}
	for (; j < nb; hb = j < nb ? lb[j] : 0) {
		lo[k] = (uint32_t)hb;
		out[k++] = b[j++];
	}
}

struct sort_job {
	struct sort_item *v, *tmp;
	uint32_t *lcp, *tlcp;
	size_t n;
	int threads;
};

static void *lcp_sort(void *arg)
{
	struct sort_job *j = arg;
	struct sort_item *v = j->v;
	uint32_t *lcp = j->lcp;
	size_t n = j->n;
	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			struct sort_item x = v[i];
			size_t k = i, l;
			while (k > 0 && compare_from(&v[k - 1], &x, 0, &l) > 0) {
				v[k] = v[k - 1];
				k--;
			}
			v[k] = x;
		}
		for (size_t i = 0; i < n; i++) {
			size_t l = 0;
			if (i)
				compare_from(&v[i - 1], &v[i], 0, &l);
			lcp[i] = (uint32_t)l;
		}
		return NULL;
	}
	size_t h = n / 2;
	struct sort_job left = { v, j->tmp, lcp, j->tlcp, h, j->threads / 2 };
	struct sort_job right = { v + h, j->tmp + h, lcp + h, j->tlcp + h, n - h, j->threads - j->threads / 2 };
	pthread_t t;
	int threaded = j->threads > 1 && n > 65536 && pthread_create(&t, NULL, lcp_sort, &left) == 0;
	if (!threaded)
		lcp_sort(&left);
	lcp_sort(&right);
	if (threaded)
		pthread_join(t, NULL);
	lcp_merge(v, lcp, h, v + h, lcp + h, n - h, j->tmp, j->tlcp);
	memcpy(v, j->tmp, n * sizeof(*v));
	memcpy(lcp, j->tlcp, n * sizeof(*lcp));
	return NULL;
}

/* Sort the entries into t->order: already-sorted input (what flame-collapse writes) is only
 * checked. The hash slots are freed first (no stack is added after a sort) and the entries are not
 * moved, so the sort needs no memory beyond its scratch (of which the order is kept). */
static void sort_entries(struct stack_table *t)
{
	size_t n = t->nentry, sorted = 1;
	free(t->order);
	t->order = NULL;
	free(t->stacks.slots);
	t->stacks.slots = NULL;
	t->stacks.mask = 0;
	sort_table = t;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = entry_cmp(&t->entry[i - 1], &t->entry[i]) <= 0;
	if (sorted)
		return;
	struct sort_item *v = xmalloc(2 * n * sizeof(*v));
	uint32_t *lcp = xmalloc(2 * n * sizeof(*lcp));
	for (size_t i = 0; i < n; i++) {
		const struct intern_key *k = intern_get(&t->stacks, t->entry[i].id);
		v[i] = (struct sort_item){ k->bytes, k->len, (uint32_t)i };
	}
	struct sort_job job = { v, v + n, lcp, lcp + n, n, online_cpus() };
	lcp_sort(&job);
	/* The order, kept in lcp's room (its lcps are no longer needed): the entries stay put. */
	for (size_t i = 0; i < n; i++)
		lcp[i] = v[i].index;
	free(v);
	t->order = xrealloc(lcp, n * sizeof(*lcp));
}

void stacks_order(struct stack_table *t, const struct stack_options *o)
{
	if (o->flamechart)
		return;
	if (t->nruns) {
		if (t->nentry)
			spill(t);
		return;
	}
	sort_entries(t);
	sort_table = NULL;
}

/* One run being read: its current record, stack and count text. */
struct run_source {
	FILE *fp;
	struct run_record rec;
	struct strbuf stack, text;
};

/* A merge of runs: the same stack from every run comes out once, its counts added. */
struct run_merge {
	struct run_source *src;
	size_t nsrc;
	size_t *heap;		/* sources by their current stack, smallest first */
	size_t nheap;
	struct strbuf key, text;	/* the stack merged last and the count text it keeps */
	int has_delta;
	double count, before, delta;
};

/* Read the next record of a run: 1, or 0 at its end. */
static int source_advance(struct run_source *s)
{
	if (fread(&s->rec, sizeof(s->rec), 1, s->fp) != 1) {
		if (ferror(s->fp))
			die("temporary file: read error: %s", strerror(errno));
		return 0;
	}
	sb_reset(&s->stack);
	sb_grow(&s->stack, s->rec.len);
	sb_reset(&s->text);
	sb_grow(&s->text, s->rec.text_len);
	if (fread(s->stack.buf, 1, s->rec.len, s->fp) != s->rec.len ||
	    fread(s->text.buf, 1, s->rec.text_len, s->fp) != s->rec.text_len)
		die("temporary file: short read");
	s->stack.len = s->rec.len;
	s->stack.buf[s->stack.len] = '\0';
	s->text.len = s->rec.text_len;
	s->text.buf[s->text.len] = '\0';
	return 1;
}

/* Earlier runs first among equal stacks: they hold the earlier input. */
static int source_less(const struct run_merge *m, size_t a, size_t b)
{
	const struct run_source *x = &m->src[a], *y = &m->src[b];
	int c = stacks_compare(x->stack.buf, x->stack.len, y->stack.buf, y->stack.len);
	return c < 0 || (c == 0 && a < b);
}

static void heap_down(struct run_merge *m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, k = i;
		if (l < m->nheap && source_less(m, m->heap[l], m->heap[k]))
			k = l;
		if (l + 1 < m->nheap && source_less(m, m->heap[l + 1], m->heap[k]))
			k = l + 1;
		if (k == i)
			return;
		size_t tmp = m->heap[i];
		m->heap[i] = m->heap[k];
		m->heap[k] = tmp;
		i = k;
	}
}

static struct run_merge *merge_open(const struct run_file *runs, size_t n)
{
	struct run_merge *m = xcalloc(1, sizeof(*m));
	sb_init(&m->key);
	sb_init(&m->text);
	m->nsrc = n;
	m->src = xcalloc(n, sizeof(*m->src));
	m->heap = xmalloc(n * sizeof(*m->heap));
	for (size_t i = 0; i < n; i++) {
		m->src[i].fp = runs[i].fp;
		sb_init(&m->src[i].stack);
		sb_init(&m->src[i].text);
		if (source_advance(&m->src[i]))
			m->heap[m->nheap++] = i;
	}
	for (size_t i = m->nheap; i-- > 0;)
		heap_down(m, i);
	return m;
}

/* The smallest stack of all runs, the same stack from the other runs merged into it: 1, or 0 at
 * the end. */
static int merge_next(struct run_merge *m)
{
	if (!m->nheap)
		return 0;
	struct run_source *first = &m->src[m->heap[0]];
	sb_reset(&m->key);
	sb_add(&m->key, first->stack.buf, first->stack.len);
	sb_reset(&m->text);
	m->has_delta = (int)first->rec.has_delta;
	m->delta = 0;
	m->count = m->before = 0;
	int any = 0;
	/* Equal stacks come out of the heap in run order, so ties go to the earlier input. */
	while (m->nheap) {
		struct run_source *s = &m->src[m->heap[0]];
		if (stacks_compare(s->stack.buf, s->stack.len, m->key.buf, m->key.len) != 0)
			break;
		m->count += s->rec.count;
		m->before += s->rec.before;
		if (s->text.len && (!any || strcmp(s->text.buf, m->text.buf) < 0)) {
			/* As within one run: the two-count line whose counts sort first gives the delta
			 * (used if the stack's first line had two counts: has_delta). */
			any = 1;
			m->delta = s->rec.delta;
			sb_reset(&m->text);
			sb_add(&m->text, s->text.buf, s->text.len);
		}
		if (!source_advance(s))
			m->heap[0] = m->heap[--m->nheap];
		heap_down(m, 0);
	}
	return 1;
}

/* Free the merge and close its runs' files. */
static void merge_close(struct run_merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nsrc; i++) {
		sb_release(&m->src[i].stack);
		sb_release(&m->src[i].text);
		fclose(m->src[i].fp);
	}
	free(m->src);
	free(m->heap);
	sb_release(&m->key);
	sb_release(&m->text);
	free(m);
}

/* Merge runs[first, nruns) into one run of the next level, in their place. */
static void merge_runs(struct stack_table *t, size_t first)
{
	unsigned level = 0;
	for (size_t i = first; i < t->nruns; i++)
		if (t->runs[i].level >= level)
			level = t->runs[i].level + 1;
	struct run_merge *m = merge_open(t->runs + first, t->nruns - first);
	FILE *fp = temp_file();
	while (merge_next(m))
		write_record(fp, m->key.buf, m->key.len, m->text.buf, m->text.len, m->has_delta, m->count,
			     m->before, m->delta);
	merge_close(m);
	t->nruns = first;
	add_run(t, first, fp, level);
}

void stack_iter_init(struct stack_iter *it, struct stack_table *t, const struct stack_options *o)
{
	memset(it, 0, sizeof(*it));
	it->t = t;
	it->o = o;
	sb_init(&it->out[0]);
	sb_init(&it->out[1]);
	if (!t->nruns)
		return;
	/* The last merge reads at most RUN_FANIN runs: merge the smallest (the last) ones first. */
	while (t->nruns > RUN_FANIN)
		merge_runs(t, t->nruns - RUN_FANIN);
	it->merge = merge_open(t->runs, t->nruns);
	t->nruns = 0;	/* the merge owns the files now */
}

/* Hand out a stack: copied into the buffer not used last time (chain stacks rewritten there). */
static void hand_out(struct stack_iter *it, struct stack_item *item, const char *s, size_t len)
{
	struct strbuf *out = &it->out[it->flip];
	it->flip ^= 1;
	if (it->o->chain) {
		/* flamegraph.pl rewrites chain stacks after sorting the lines: rewrite here. */
		chain_frames(out, s, len);
		len = strip_trailing_empty(out->buf, out->len);
	} else {
		sb_reset(out);
		sb_add(out, s, len);
	}
	item->stack = out->buf;
	item->len = len;
}

int stack_iter_next(struct stack_iter *it, struct stack_item *item)
{
	struct stack_table *t = it->t;
	if (!it->merge) {
		if (it->next >= t->nentry)
			return 0;
		size_t i = it->next++;
		const struct stack_entry *e = &t->entry[t->order ? t->order[i] : i];
		const struct intern_key *k = intern_get(&t->stacks, e->id);
		*item = (struct stack_item){ k->bytes, k->len, e->has_delta, e->count, e->before,
					     e->has_delta ? e->delta : 0 };
		if (it->o->chain)
			hand_out(it, item, k->bytes, k->len);
		return 1;
	}
	struct run_merge *m = it->merge;
	if (!merge_next(m))
		return 0;
	hand_out(it, item, m->key.buf, m->key.len);
	item->has_delta = m->has_delta;
	item->count = m->count;
	item->before = m->before;
	item->delta = m->has_delta ? m->delta : 0;
	return 1;
}

void stack_iter_free(struct stack_iter *it)
{
	merge_close(it->merge);
	it->merge = NULL;
	sb_release(&it->out[0]);
	sb_release(&it->out[1]);
}

void stacks_free(struct stack_table *t)
{
	interner_free(&t->stacks);
	free(t->entry);
	free(t->order);
	free(t->count_text);
	arena_free(&t->text_arena);
	sb_release(&t->scratch);
	sb_release(&t->chain_scratch);
	for (size_t i = 0; i < t->nruns; i++)
		fclose(t->runs[i].fp);
	free(t->runs);
	for (size_t i = 0; i < t->nmaps; i++)
		munmap(t->maps[i].data, t->maps[i].size);
	free(t->maps);
}
