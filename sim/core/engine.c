/* The discrete-event engine (include/dcsim/engine.h): a clock and a 4-ary min-heap of pending
 * events ordered by (time, seq), with an optional calendar in front of it that keeps far
 * events out of the heap. Everything a model does passes through the pop/sift loop here, so
 * it is written for speed: no allocation per event, no swaps, branch-free choices. */
#include "dcsim/engine.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Four children of node i sit at 4i+1 .. 4i+4. Four 32-byte events are 128 bytes; the array
 * is placed so that every sibling group starts on a 128-byte boundary, and looking at a node's
 * children touches two cache lines instead of three. 4-ary rather than binary because it
 * halves the depth, and the extra comparisons are cheaper than the cache misses saved. */
#define ARITY 4
#define ALIGN 128
#define SHIFT 3 /* slots before the root, so that slot 1 (first child of the root) is aligned */
#define MIN_CAP 64

_Static_assert(sizeof(dcsim_event) == 32, "four events to a 128-byte sibling group");
#define PREFETCH_FROM 8192

/* The calendar (dcsim_engine_set_calendar): a ring of CAL_SLOTS buckets of 2^shift time
 * units. An event due in bucket b = t >> shift with win < b <= win + CAL_SLOTS waits,
 * unsorted, in slot b % CAL_SLOTS; the heap holds the rest: the current bucket `win` (and any
 * before) and the rare events past the ring. When the heap has nothing left before the end of
 * bucket win, the next bucket is poured into it. Why: a fleet of 90,000 racks keeps one
 * failure pending per rack, weeks ahead; in the heap they make it 3 MB, past the core's cache,
 * and every pop and push then misses at its bottom levels. Bucketed, an event costs an append
 * and, when its bucket comes up, one push into a heap of a bucket's events. The order of
 * events is exactly the heap's alone, (time, seq), because seq is stamped when the event is
 * scheduled.
 * Few buckets, so that their tails (where appends land) stay in cache: 256 tails are 16 kB,
 * where 4096 one-hour buckets made every append a miss. A power-of-two width, so that finding
 * a bucket is a shift: a 64-bit division costs as much as the rest of scheduling. */
#define CAL_SLOTS 256

typedef struct bucket {
    dcsim_event *ev;
    uint32_t n, cap;
} bucket;

struct dcsim_engine {
    dcsim_event *heap;  /* logical view: heap[0] is the root */
    void *block;        /* what was allocated; heap = block + SHIFT slots */
    size_t n;
    size_t cap;
    dcsim_time now;
    uint64_t seq;       /* next sequence number: ties at equal time run in scheduling order */
    uint64_t handled;
    uint32_t *gen;      /* gen[target]; an event whose stamp differs was cancelled */
    uint32_t n_targets;
    bool stopped;
    dcsim_event_fn handler;
    void *ctx;
    int shift;          /* calendar buckets are 2^shift wide; -1: no calendar, all in the heap */
    int64_t win;        /* the current bucket: the heap holds every event due before its end */
    int64_t last_win;   /* the last bucket whose end is a time (INT64_MAX >> shift) - 1 */
    bucket *cal;        /* CAL_SLOTS buckets */
    size_t n_cal;       /* events waiting in the calendar */
};

/* (time, seq) as one unsigned 128-bit number: time biased to unsigned in the high half, seq
 * in the low half. One compare (cmp/sbb) instead of a compare, a test and a second compare,
 * and the result feeds a conditional move rather than a branch the predictor cannot learn. */
__extension__ typedef unsigned __int128 key128;

static inline key128 key_of(const dcsim_event *ev)
{
    return ((key128)((uint64_t)ev->time ^ UINT64_C(0x8000000000000000)) << 64) | ev->seq;
}

static inline bool before(const dcsim_event *a, const dcsim_event *b)
{
    return key_of(a) < key_of(b);
}

/* Move x up from the hole at i: parents that are later slide down into the hole. */
static inline void sift_up(dcsim_event *h, size_t i, const dcsim_event *x)
{
    key128 k = key_of(x);
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (key_of(&h[p]) <= k)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = *x;
}

/* Fill the hole at the root with x (the former last element; n already excludes it): the
 * hole walks down, the smaller child moving up into it, until x fits. Moves, not swaps: each
 * level writes one event instead of three.
 * Once the heap outgrows the cache, every level is a miss whose address is known only after
 * the comparisons of the level above. So at each level the sixteen grandchildren (512
 * contiguous, aligned bytes) are fetched ahead: whichever child wins, its children are on the
 * way. This halves the time per event at 10^6 pending. A heap that fits the core's cache
 * gains nothing from it, and the eight prefetches a level were a tenth of the instructions of
 * a small run: below PREFETCH_FROM events (256 kB) there are none. */
static inline void sift_down_root(dcsim_event *h, size_t n, const dcsim_event *x)
{
    key128 k = key_of(x);
    size_t i = 0;
    size_t c;
    while ((c = ARITY * i + 1) + ARITY <= n) {
        if (n > PREFETCH_FROM && ARITY * c + ARITY * ARITY < n) {
            const char *g = (const char *)&h[ARITY * c + 1];
            for (size_t b = 0; b < ARITY * ARITY * sizeof *h; b += 64)
                __builtin_prefetch(g + b);
        }
        /* All four children exist: a tournament of three comparisons, each a conditional
         * move, because random times make any branch on them a coin toss. */
        size_t a = c + before(&h[c + 1], &h[c]);
        size_t b = c + 2 + before(&h[c + 3], &h[c + 2]);
        size_t m = before(&h[b], &h[a]) ? b : a;
        if (k < key_of(&h[m]))
            goto done;
        h[i] = h[m];
        i = m;
    }
    if (c < n) {
        /* The one node with fewer than four children; its children are leaves. */
        size_t m = c;
        for (size_t j = c + 1; j < n; j++)
            if (before(&h[j], &h[m]))
                m = j;
        if (key_of(&h[m]) < k) {
            h[i] = h[m];
            i = m;
        }
    }
done:
    h[i] = *x;
}

/* Room for one more event: double the capacity. A fresh aligned block rather than realloc,
 * because realloc does not keep the 128-byte alignment; the copy is amortized like realloc's. */
static dcsim_status grow(dcsim_engine *e, size_t want)
{
    size_t cap = e->cap ? e->cap : MIN_CAP;
    while (cap < want) {
        if (cap > (SIZE_MAX / sizeof(dcsim_event) - SHIFT - ALIGN) / 2)
            return DCSIM_ENOMEM;
        cap *= 2;
    }
    /* aligned_alloc wants a multiple of the alignment. */
    size_t bytes = ((cap + SHIFT) * sizeof(dcsim_event) + ALIGN - 1) / ALIGN * ALIGN;
    void *block = aligned_alloc(ALIGN, bytes);
    if (!block)
        return DCSIM_ENOMEM;
    dcsim_event *heap = (dcsim_event *)block + SHIFT;
    if (e->n)
        memcpy(heap, e->heap, e->n * sizeof *heap);
    free(e->block);
    e->block = block;
    e->heap = heap;
    e->cap = cap;
    return DCSIM_OK;
}

dcsim_engine *dcsim_engine_create(dcsim_event_fn handler, void *ctx, size_t capacity_hint,
                                  uint32_t n_targets)
{
    DCSIM_ASSERT(handler != NULL);
    dcsim_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->handler = handler;
    e->ctx = ctx;
    e->shift = -1;
    e->n_targets = n_targets;
    if (n_targets) {
        e->gen = calloc(n_targets, sizeof *e->gen);
        if (!e->gen)
            goto fail;
    }
    if (grow(e, capacity_hint) != DCSIM_OK)
        goto fail;
    return e;
fail:
    dcsim_engine_destroy(e); /* copes with a half-built engine */
    return NULL;
}

void dcsim_engine_destroy(dcsim_engine *e)
{
    if (!e)
        return;
    if (e->cal)
        for (size_t i = 0; i < CAL_SLOTS; i++)
            free(e->cal[i].ev);
    free(e->cal);
    free(e->block);
    free(e->gen);
    free(e);
}

dcsim_status dcsim_engine_set_calendar(dcsim_engine *e, int width_log2)
{
    DCSIM_ASSERT(width_log2 >= -1 && width_log2 < 62 && e->n == 0 && e->n_cal == 0 &&
                 e->now == 0);
    if (width_log2 >= 0 && !e->cal && !(e->cal = calloc(CAL_SLOTS, sizeof *e->cal)))
        return DCSIM_ENOMEM;
    e->shift = width_log2;
    e->win = 0;
    e->last_win = width_log2 >= 0 ? (INT64_MAX >> width_log2) - 1 : 0;
    return DCSIM_OK;
}

/* The end of the current bucket: every event before it is in the heap. */
static inline dcsim_time window_end(const dcsim_engine *e)
{
    if (e->shift < 0 || e->win >= e->last_win)
        return DCSIM_TIME_NEVER;
    return (e->win + 1) << e->shift;
}

/* Put ev in its bucket, if the calendar holds that far ahead. The heap's capacity already
 * covers it (dcsim_engine_schedule), so pouring a bucket never allocates. */
static inline bool calendar_put(dcsim_engine *e, const dcsim_event *ev, dcsim_status *st)
{
    int64_t b = ev->time >> e->shift;
    if (b <= e->win || b - e->win > CAL_SLOTS)
        return false;
    bucket *k = &e->cal[b % CAL_SLOTS];
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? 2 * k->cap : 16;
        dcsim_event *p = cap > k->cap ? realloc(k->ev, (size_t)cap * sizeof *p) : NULL;
        if (!p) {
            *st = DCSIM_ENOMEM;
            return true;
        }
        k->ev = p;
        k->cap = cap;
    }
    k->ev[k->n++] = *ev;
    e->n_cal++;
    return true;
}

/* Move to the next bucket and pour its events into the heap. */
static void calendar_advance(dcsim_engine *e)
{
    e->win++;
    bucket *k = &e->cal[e->win % CAL_SLOTS];
    for (uint32_t i = 0; i < k->n; i++)
        sift_up(e->heap, e->n++, &k->ev[i]);
    e->n_cal -= k->n;
    k->n = 0;
}

/* The earliest event due before `until`, moved to the heap's root: true if there is one.
 * Buckets are poured only while they could hold one. */
static inline bool next_due(dcsim_engine *e, dcsim_time until)
{
    for (;;) {
        dcsim_time end = window_end(e);
        if (e->n > 0 && e->heap[0].time < end)
            return e->heap[0].time <= until;
        if (end > until)
            return false;   /* whatever is left is due at or after end */
        if (e->n_cal > 0)
            calendar_advance(e);
        else if (e->n > 0)
            e->win = e->heap[0].time >> e->shift;   /* nothing bucketed: jump to the heap's */
        else
            return false;
    }
}

dcsim_time dcsim_engine_now(const dcsim_engine *e)
{
    return e->now;
}

dcsim_status dcsim_engine_schedule(dcsim_engine *e, dcsim_time t, uint32_t kind,
                                   uint32_t target)
{
    return dcsim_engine_schedule_aux(e, t, kind, target, 0);
}

dcsim_status dcsim_engine_schedule_aux(dcsim_engine *e, dcsim_time t, uint32_t kind,
                                       uint32_t target, uint32_t aux)
{
    /* An event in the past would run after events later than it: only a bug does that. */
    DCSIM_ASSERT(t >= e->now);
    DCSIM_ASSERT(e->n_targets == 0 || target < e->n_targets);
    if (e->n + e->n_cal == e->cap) {
        dcsim_status st = grow(e, e->n + e->n_cal + 1);
        if (st != DCSIM_OK)
            return st;
    }
    dcsim_event ev = {
        .time = t,
        .seq = e->seq,
        .kind = kind,
        .target = target,
        .gen = e->n_targets ? e->gen[target] : 0,
        .aux = aux,
    };
    if (e->shift >= 0) {
        dcsim_status st = DCSIM_OK;
        if (calendar_put(e, &ev, &st)) {
            if (st == DCSIM_OK)
                e->seq++;
            return st;
        }
    }
    e->seq++;
    sift_up(e->heap, e->n++, &ev);
    return DCSIM_OK;
}

/* O(1) rather than a search of the heap: the target's events are left where they are and
 * skipped when they surface. The counter wraps after 2^32 cancellations of one target; an
 * event would have to stay pending across all of them to be wrongly revived. */
void dcsim_engine_cancel_target(dcsim_engine *e, uint32_t target)
{
    DCSIM_ASSERT(target < e->n_targets);
    e->gen[target]++;
}

uint64_t dcsim_engine_run_until(dcsim_engine *e, dcsim_time until)
{
    uint64_t before_run = e->handled;
    e->stopped = false; /* a stop asked for outside a run does not carry into this one */
    while (next_due(e, until)) {
        dcsim_event ev = e->heap[0];
        size_t n = --e->n;
        if (n > 0) {
            dcsim_event last = e->heap[n];
            sift_down_root(e->heap, n, &last);
        }
        /* The next pop checks the new root's generation: with many targets that is a miss,
         * so start it now, while the handler runs. */
        if (n > 0 && e->n_targets)
            __builtin_prefetch(&e->gen[e->heap[0].target]);
        if (e->n_targets && ev.gen != e->gen[ev.target])
            continue;
        e->now = ev.time;
        e->handled++; /* counted before the call, so the handler sees itself counted */
        e->handler(e->ctx, e, &ev);
        if (e->stopped)
            break;
    }
    if (!e->stopped && until > e->now)
        e->now = until;
    return e->handled - before_run;
}

void dcsim_engine_stop(dcsim_engine *e)
{
    e->stopped = true;
}

size_t dcsim_engine_pending(const dcsim_engine *e)
{
    return e->n + e->n_cal;
}

dcsim_time dcsim_engine_next_time(const dcsim_engine *e)
{
    dcsim_time t = e->n ? e->heap[0].time : DCSIM_TIME_NEVER;
    if (t < window_end(e) || e->n_cal == 0)
        return t;
    /* The first bucket that holds anything: its earliest event, or the heap's if earlier. */
    for (int64_t b = 1; b <= CAL_SLOTS; b++) {
        const bucket *k = &e->cal[(e->win + b) % CAL_SLOTS];
        if (k->n == 0)
            continue;
        for (uint32_t i = 0; i < k->n; i++)
            if (k->ev[i].time < t)
                t = k->ev[i].time;
        break;
    }
    return t;
}

uint64_t dcsim_engine_handled(const dcsim_engine *e)
{
    return e->handled;
}

const dcsim_event *dcsim_engine_peek(const dcsim_engine *e)
{
    return e->n ? &e->heap[0] : NULL;
}
