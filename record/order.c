/* order: records sorted by time; see order.h. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "order.h"

/* Copies start on 8-byte boundaries, whatever the records' sizes. */
#define PADDED(size) (((size_t)(size) + 7) & ~(size_t)7)

/* Move the queued records to the spare buffer, dropping the spent ones, and swap. */
static void compact(struct order_queue *q)
{
	size_t len = 0, cap;
	unsigned char *bytes;

	GROW(q->spare, q->spare_cap, q->live);
	for (size_t j = 0; j < q->n; j++) {
		const struct perf_event_header *rec = (const void *)(q->bytes + q->items[j].offset);
		memcpy(q->spare + len, rec, rec->size);
		q->items[j].offset = len;
		len += PADDED(rec->size);
	}
	bytes = q->bytes;
	q->bytes = q->spare;
	q->spare = bytes;
	cap = q->cap;
	q->cap = q->spare_cap;
	q->spare_cap = cap;
	q->len = q->live = len;
}

void order_push(struct order_queue *q, const struct perf_event_header *rec, uint64_t time)
{
	size_t size = PADDED(rec->size);

	/* Records are copied once as they come; those still queued are moved only when the buffer
	 * is full and at least half of it is spent (not at every flush). */
	if (q->len + size > q->cap && q->len - q->live >= q->live)
		compact(q);
	GROW(q->bytes, q->cap, q->len + size);
	memcpy(q->bytes + q->len, rec, rec->size);
	GROW(q->items, q->items_cap, q->n + 1);
	q->items[q->n++] = (struct order_item){ time, q->seq++, q->len };
	q->len += size;
	q->live += size;
}

static int compare_items(const void *a, const void *b)
{
	const struct order_item *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void order_flush(struct order_queue *q, uint64_t cutoff, order_fn fn, void *ctx)
{
	size_t handled;

	if (q->n == 0)
		return;
	qsort(q->items, q->n, sizeof(*q->items), compare_items);
	for (handled = 0; handled < q->n && (q->items[handled].time < cutoff || cutoff == UINT64_MAX); handled++) {
		const struct perf_event_header *rec = (const void *)(q->bytes + q->items[handled].offset);
		q->live -= PADDED(rec->size);
		fn(ctx, rec);
	}
	if (handled == q->n) {
		q->n = q->len = q->live = 0;
		return;
	}
	/* The rest stay where they are (compact moves them when their space is needed). */
	memmove(q->items, q->items + handled, (q->n - handled) * sizeof(*q->items));
	q->n -= handled;
}

size_t order_pending(const struct order_queue *q)
{
	return q->n;
}

void order_free(struct order_queue *q)
{
	free(q->bytes);
	free(q->spare);
	free(q->items);
	memset(q, 0, sizeof(*q));
}
