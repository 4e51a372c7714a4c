/* The discrete-event engine: a clock in whole seconds and a 4-ary array heap of pending
 * events ordered by (time, sequence number), so equal times run first-in-first-out and runs
 * are deterministic. The hot path allocates nothing: the heap grows by doubling. */
#ifndef DCSIM_ENGINE_H
#define DCSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"

/* Simulated time: seconds since the scenario's start. Exact over any horizon. */
typedef int64_t dcsim_time;

#define DCSIM_TIME_NEVER INT64_MAX

/* A pending event: a small plain struct. kind, target and aux are the model's business (a
 * kind of event, an index into a model array, and a second word: dcsim_engine_schedule_aux);
 * gen is stamped by the engine for cancellation. aux fills what was padding: 32 bytes. */
typedef struct dcsim_event {
    dcsim_time time;
    uint64_t seq;
    uint32_t kind;
    uint32_t target;
    uint32_t gen;
    uint32_t aux;
} dcsim_event;

typedef struct dcsim_engine dcsim_engine;

/* Called for every event that is popped and not cancelled. ctx is the pointer given to
 * dcsim_engine_create. The handler may schedule, cancel and stop. ev points at a copy that
 * is valid only during the call. */
typedef void (*dcsim_event_fn)(void *ctx, dcsim_engine *e, const dcsim_event *ev);

/* Create an engine at time 0 with room for `capacity_hint` pending events (0 is fine) and
 * `n_targets` cancellation targets (events may only name targets < n_targets; 0 means
 * targets are not checked and cancellation is unavailable). Returns NULL when out of memory.
 * The caller frees it with dcsim_engine_destroy. */
dcsim_engine *dcsim_engine_create(dcsim_event_fn handler, void *ctx, size_t capacity_hint,
                                  uint32_t n_targets);
void dcsim_engine_destroy(dcsim_engine *e);

/* Keep events due more than a bucket of 2^width_log2 time units ahead (up to 256 buckets
 * ahead) out of the heap, in a calendar of buckets that are poured into the heap one at a
 * time (-1: off, the default). The order in which events run is the same either way; only
 * the speed differs: with many events pending far ahead (a failure clock per rack, weeks
 * out), the heap stays small enough for the cache. Choose a width that holds a few thousand
 * events or fewer. Call it before the first event is scheduled. Returns DCSIM_ENOMEM or
 * DCSIM_OK. */
dcsim_status dcsim_engine_set_calendar(dcsim_engine *e, int width_log2);

/* Current simulated time. */
dcsim_time dcsim_engine_now(const dcsim_engine *e);

/* Schedule an event of `kind` for `target` at absolute time t (t >= now). Returns DCSIM_OK,
 * or DCSIM_ENOMEM if the heap could not grow (the event is then not scheduled). */
dcsim_status dcsim_engine_schedule(dcsim_engine *e, dcsim_time t, uint32_t kind,
                                   uint32_t target);

/* dcsim_engine_schedule with a second word of payload, aux, handed back in the event. */
dcsim_status dcsim_engine_schedule_aux(dcsim_engine *e, dcsim_time t, uint32_t kind,
                                       uint32_t target, uint32_t aux);

/* Cancel every pending event of `target`: they are skipped when popped (generation check). */
void dcsim_engine_cancel_target(dcsim_engine *e, uint32_t target);

/* Run events in order until none is left with time <= until, or dcsim_engine_stop is called.
 * Unless stopped, the clock then stands at `until` (or stays where it is if until < now).
 * Returns the number of events handled (cancelled ones not counted). */
uint64_t dcsim_engine_run_until(dcsim_engine *e, dcsim_time until);

/* Ask the running loop to return after the current event. Outside a run it has no effect
 * (each run clears the flag when it starts). */
void dcsim_engine_stop(dcsim_engine *e);

/* Number of pending events (cancelled ones still count until popped). */
size_t dcsim_engine_pending(const dcsim_engine *e);

/* Time of the next pending event, or DCSIM_TIME_NEVER when there is none. It may be the time
 * of a cancelled event that has not been popped yet. */
dcsim_time dcsim_engine_next_time(const dcsim_engine *e);

/* The heap's root: the event most likely to run next, or NULL. Only a hint, for a model to
 * start loading the memory that event will touch: the running handler may schedule an
 * earlier one, or the calendar may pour one in. */
const dcsim_event *dcsim_engine_peek(const dcsim_engine *e);

/* Total events handled since creation. */
uint64_t dcsim_engine_handled(const dcsim_engine *e);

#endif
