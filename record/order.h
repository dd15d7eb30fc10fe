/* order: perf_event records put back in time order. Each CPU's ring buffer (and each round of a
 * perf.data file) is in order by itself, but not with the others: records are copied in as they
 * are read, with their time, and handed back sorted by (time, arrival) once the caller knows that
 * nothing older can still come (order_flush's cutoff). Records stay 8-byte aligned in the copy. */
#ifndef FLAME_RECORD_ORDER_H
#define FLAME_RECORD_ORDER_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

struct order_item {
	uint64_t time, seq;
	size_t offset;              /* into bytes */
};

struct order_queue {
	unsigned char *bytes, *spare;   /* spare: where the records kept for later are compacted */
	size_t len, cap, spare_cap;
	size_t live;                /* bytes of the records still queued (the rest of len is spent) */
	struct order_item *items;
	size_t n, items_cap;
	uint64_t seq;
};

#define ORDER_QUEUE_INIT { 0 }

/* Copy rec (rec->size bytes) into the queue, to come out at time. */
void order_push(struct order_queue *q, const struct perf_event_header *rec, uint64_t time);

/* Call fn for every queued record stamped before cutoff, oldest first (equal times in arrival
 * order), and keep the rest; UINT64_MAX hands back everything. No allocation once warmed up. */
typedef void (*order_fn)(void *ctx, const struct perf_event_header *rec);
void order_flush(struct order_queue *q, uint64_t cutoff, order_fn fn, void *ctx);

/* How many records wait. */
size_t order_pending(const struct order_queue *q);

void order_free(struct order_queue *q);

#endif
