/* Tests of the discrete-event engine (sim/core/engine.c): ordering, first-in-first-out ties,
 * cancellation by generation, the clock under run_until and stop, a million random events,
 * the calendar (the same order as the heap alone), and an M/M/1 queue checked against its
 * analytic mean time in system. */
#include <setjmp.h> /* setjmp, stdarg and stddef before cmocka.h, which needs them */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dcsim/engine.h"

#define SEED 20250630UL

/* ---- a recorder: the handler of most tests writes down what it saw ------------------- */

typedef struct seen {
    dcsim_time time;
    dcsim_time now;     /* the clock as the handler saw it */
    uint64_t seq;
    uint32_t kind;
    uint32_t target;
} seen;

typedef struct recorder {
    seen *log;
    size_t len, cap;
    dcsim_time stop_at;         /* call stop in the event at this time; -1 for never */
    int64_t cancel_at;          /* cancel cancel_target in the event at this time; -1 never */
    uint32_t cancel_target;
} recorder;

static void recorder_init(recorder *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->log = malloc(cap * sizeof *r->log);
    assert_non_null(r->log);
    r->cap = cap;
    r->stop_at = -1;
    r->cancel_at = -1;
}

static void record(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    recorder *r = ctx;
    assert_true(r->len < r->cap);
    r->log[r->len++] = (seen){ev->time, dcsim_engine_now(e), ev->seq, ev->kind, ev->target};
    if (ev->time == r->cancel_at)
        dcsim_engine_cancel_target(e, r->cancel_target);
    if (ev->time == r->stop_at)
        dcsim_engine_stop(e);
}

/* ---- ordering ------------------------------------------------------------------------ */

static void test_out_of_order(void **state)
{
    (void)state;
    static const dcsim_time times[] = {50, 10, 40, 0, 30, 20, 70, 60, 5, 45, 15, 35};
    enum { N = sizeof times / sizeof times[0] };
    recorder r;
    recorder_init(&r, N);
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, 0);
    assert_non_null(e);
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(dcsim_engine_schedule(e, times[i], i, 0), DCSIM_OK);
    assert_int_equal(dcsim_engine_pending(e), N);
    assert_int_equal(dcsim_engine_next_time(e), 0);

    assert_int_equal(dcsim_engine_run_until(e, 1000), N);
    assert_int_equal(r.len, N);
    for (size_t i = 0; i < N; i++) {
        /* kind is the index it was scheduled with, so the right time came with each event */
        assert_int_equal(r.log[i].time, times[r.log[i].kind]);
        assert_int_equal(r.log[i].now, r.log[i].time); /* the clock stands at the event */
        if (i > 0)
            assert_true(r.log[i - 1].time < r.log[i].time);
    }
    assert_int_equal(r.log[0].time, 0);
    assert_int_equal(r.log[N - 1].time, 70);
    assert_int_equal(dcsim_engine_pending(e), 0);
    assert_int_equal(dcsim_engine_next_time(e), DCSIM_TIME_NEVER);
    dcsim_engine_destroy(e);
    free(r.log);
}

/* A heap is not a stable sort: without the sequence number equal times come out scrambled. */
static void test_fifo_ties(void **state)
{
    (void)state;
    enum { N = 1000 };
    recorder r;
    recorder_init(&r, 2 * N);
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, 0);
    assert_non_null(e);
    /* The tied events are interleaved with events before and after them, so the heap
     * reshuffles them as it would in a model. */
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(dcsim_engine_schedule(e, 1000, i, 0), DCSIM_OK);
        assert_int_equal(dcsim_engine_schedule(e, (i % 2) ? 2000 - i : i, N + i, 0), DCSIM_OK);
    }
    assert_int_equal(dcsim_engine_run_until(e, 999), N / 2); /* times 0, 2, ..., 998 */
    assert_int_equal(dcsim_engine_run_until(e, 1000), N);   /* the ties only */
    size_t base = N / 2;
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(r.log[base + i].time, 1000);
        assert_int_equal(r.log[base + i].kind, i);
    }
    dcsim_engine_destroy(e);
    free(r.log);
}

/* ---- cancellation -------------------------------------------------------------------- */

static void test_cancel(void **state)
{
    (void)state;
    enum { TARGETS = 4, PER = 5 };
    recorder r;
    recorder_init(&r, 64);
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, TARGETS);
    assert_non_null(e);
    for (uint32_t t = 0; t < TARGETS; t++)
        for (uint32_t k = 0; k < PER; k++)
            assert_int_equal(dcsim_engine_schedule(e, 10 * k + t, k, t), DCSIM_OK);
    dcsim_engine_cancel_target(e, 1);
    /* Cancelled events stay in the heap until they surface. */
    assert_int_equal(dcsim_engine_pending(e), TARGETS * PER);

    /* Target 1's events are gone; the others all run, in order. */
    assert_int_equal(dcsim_engine_run_until(e, 1000), (TARGETS - 1) * PER);
    assert_int_equal(r.len, (TARGETS - 1) * PER);
    for (size_t i = 0; i < r.len; i++) {
        assert_int_not_equal(r.log[i].target, 1);
        if (i > 0)
            assert_true(r.log[i - 1].time < r.log[i].time);
    }
    assert_int_equal(dcsim_engine_pending(e), 0);

    /* A cancelled target scheduled again fires: the cancel covered what was pending. */
    r.len = 0;
    assert_int_equal(dcsim_engine_schedule(e, 2000, 7, 1), DCSIM_OK);
    assert_int_equal(dcsim_engine_run_until(e, 3000), 1);
    assert_int_equal(r.len, 1);
    assert_int_equal(r.log[0].target, 1);
    assert_int_equal(r.log[0].kind, 7);
    assert_int_equal(dcsim_engine_handled(e), (TARGETS - 1) * PER + 1);
    dcsim_engine_destroy(e);
    free(r.log);
}

/* A handler cancels another target's later events while the loop runs. */
static void test_cancel_from_handler(void **state)
{
    (void)state;
    recorder r;
    recorder_init(&r, 16);
    r.cancel_at = 5;
    r.cancel_target = 2;
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, 3);
    assert_non_null(e);
    assert_int_equal(dcsim_engine_schedule(e, 5, 0, 0), DCSIM_OK);  /* cancels target 2 */
    assert_int_equal(dcsim_engine_schedule(e, 3, 0, 2), DCSIM_OK);  /* before: runs */
    assert_int_equal(dcsim_engine_schedule(e, 8, 0, 2), DCSIM_OK);  /* after: cancelled */
    assert_int_equal(dcsim_engine_schedule(e, 9, 0, 2), DCSIM_OK);  /* after: cancelled */
    assert_int_equal(dcsim_engine_schedule(e, 9, 0, 1), DCSIM_OK);  /* other target: runs */
    assert_int_equal(dcsim_engine_run_until(e, 100), 3);
    assert_int_equal(r.len, 3);
    assert_int_equal(r.log[0].time, 3);
    assert_int_equal(r.log[0].target, 2);
    assert_int_equal(r.log[1].time, 5);
    assert_int_equal(r.log[2].time, 9);
    assert_int_equal(r.log[2].target, 1);
    dcsim_engine_destroy(e);
    free(r.log);
}

/* ---- the clock ------------------------------------------------------------------------- */

static void test_run_until(void **state)
{
    (void)state;
    recorder r;
    recorder_init(&r, 8);
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, 0);
    assert_non_null(e);
    assert_int_equal(dcsim_engine_now(e), 0);
    assert_int_equal(dcsim_engine_schedule(e, 10, 0, 0), DCSIM_OK);
    assert_int_equal(dcsim_engine_schedule(e, 20, 1, 0), DCSIM_OK);
    assert_int_equal(dcsim_engine_schedule(e, 30, 2, 0), DCSIM_OK);

    /* The bound is inclusive, and the clock then stands at the bound. */
    assert_int_equal(dcsim_engine_run_until(e, 20), 2);
    assert_int_equal(dcsim_engine_now(e), 20);
    assert_int_equal(dcsim_engine_next_time(e), 30);
    assert_int_equal(dcsim_engine_pending(e), 1);

    /* Nothing due: the clock still advances to the bound. */
    assert_int_equal(dcsim_engine_run_until(e, 25), 0);
    assert_int_equal(dcsim_engine_now(e), 25);

    /* A bound in the past neither runs anything nor moves the clock back. */
    assert_int_equal(dcsim_engine_run_until(e, 15), 0);
    assert_int_equal(dcsim_engine_now(e), 25);

    /* Scheduling at now is allowed. */
    assert_int_equal(dcsim_engine_schedule(e, 25, 3, 0), DCSIM_OK);
    assert_int_equal(dcsim_engine_run_until(e, 100), 2);
    assert_int_equal(dcsim_engine_now(e), 100);
    assert_int_equal(r.len, 4);
    assert_int_equal(r.log[2].kind, 3);
    assert_int_equal(r.log[2].now, 25);
    assert_int_equal(r.log[3].now, 30);
    assert_int_equal(dcsim_engine_handled(e), 4);
    assert_int_equal(dcsim_engine_next_time(e), DCSIM_TIME_NEVER);
    dcsim_engine_destroy(e);
    free(r.log);
}

static void test_stop(void **state)
{
    (void)state;
    recorder r;
    recorder_init(&r, 16);
    r.stop_at = 4;
    dcsim_engine *e = dcsim_engine_create(record, &r, 0, 0);
    assert_non_null(e);
    for (uint32_t i = 1; i <= 10; i++)
        assert_int_equal(dcsim_engine_schedule(e, i, i, 0), DCSIM_OK);

    /* Returns right after the event that stopped it; the clock stays at that event. */
    assert_int_equal(dcsim_engine_run_until(e, 100), 4);
    assert_int_equal(dcsim_engine_now(e), 4);
    assert_int_equal(dcsim_engine_pending(e), 6);
    assert_int_equal(r.log[3].time, 4);

    /* The next run starts afresh and finishes the rest. */
    assert_int_equal(dcsim_engine_run_until(e, 100), 6);
    assert_int_equal(dcsim_engine_now(e), 100);
    assert_int_equal(r.len, 10);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(r.log[i].time, i + 1);
    dcsim_engine_destroy(e);
    free(r.log);
}

/* Scheduling in the past is a bug: the engine aborts (in a child, so the test survives). */
static void test_past_aborts(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        recorder r;
        recorder_init(&r, 4);
        dcsim_engine *e = dcsim_engine_create(record, &r, 0, 0);
        if (!e || dcsim_engine_schedule(e, 10, 0, 0) != DCSIM_OK)
            _exit(3);
        dcsim_engine_run_until(e, 50);
        dcsim_engine_schedule(e, 49, 0, 0); /* must abort here */
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* ---- a million random events ------------------------------------------------------------ */

typedef struct checker {
    dcsim_time last_time;
    uint64_t last_seq;
    uint32_t last_kind;
    uint64_t count;
    unsigned char *seen;   /* seen[kind]: each event comes out exactly once */
    size_t n;
    gsl_rng *r;
    uint32_t respawn;      /* events still to schedule from inside the loop */
    uint32_t next_kind;
    bool small;            /* keep the heap between 10 and 40 events (see test_small_heaps) */
    int bad_order, dup;
} checker;

static void check_order(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    checker *c = ctx;
    if (c->count > 0) {
        /* (time, seq) strictly increasing; kinds are handed out in scheduling order, so they
         * must increase among equal times too (a check that does not trust seq). */
        bool ok = ev->time > c->last_time ||
                  (ev->time == c->last_time && ev->seq > c->last_seq && ev->kind > c->last_kind);
        c->bad_order += !ok;
    }
    if (ev->kind >= c->n || c->seen[ev->kind])
        c->dup++;
    else
        c->seen[ev->kind] = 1;
    c->last_time = ev->time;
    c->last_seq = ev->seq;
    c->last_kind = ev->kind;
    c->count++;
    /* Events schedule others in their future, so pushes and pops interleave. */
    unsigned spawn;
    if (!c->small)
        spawn = gsl_rng_uniform(c->r) < 0.5;
    else if (dcsim_engine_pending(e) < 10)
        spawn = 2;
    else if (dcsim_engine_pending(e) > 40)
        spawn = 0;
    else
        spawn = (unsigned)gsl_rng_uniform_int(c->r, 3);
    for (; spawn > 0 && c->respawn > 0; spawn--) {
        c->respawn--;
        unsigned long span = c->small ? 4 : 1000; /* small: many ties at and near now */
        dcsim_time t = dcsim_engine_now(e) + (dcsim_time)gsl_rng_uniform_int(c->r, span);
        if (dcsim_engine_schedule(e, t, c->next_kind++, 0) != DCSIM_OK)
            c->dup++;
    }
}

static void test_million_random(void **state)
{
    (void)state;
    enum { INITIAL = 1000000, RESPAWN = 200000 };
    checker c = {.n = INITIAL + RESPAWN, .respawn = RESPAWN, .next_kind = INITIAL};
    c.seen = calloc(c.n, 1);
    assert_non_null(c.seen);
    c.r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(c.r);
    gsl_rng_set(c.r, SEED);
    /* capacity 0: the heap grows by doubling from its minimum, a dozen times. */
    dcsim_engine *e = dcsim_engine_create(check_order, &c, 0, 0);
    assert_non_null(e);
    /* 10^5 distinct times for 10^6 events: about ten events share each time. */
    for (uint32_t i = 0; i < INITIAL; i++)
        assert_int_equal(dcsim_engine_schedule(e, (dcsim_time)gsl_rng_uniform_int(c.r, 100000),
                                               i, 0),
                         DCSIM_OK);
    assert_int_equal(dcsim_engine_pending(e), INITIAL);
    uint64_t handled = dcsim_engine_run_until(e, DCSIM_TIME_NEVER - 1);
    assert_int_equal(c.bad_order, 0);
    assert_int_equal(c.dup, 0);
    assert_int_equal(handled, c.count);
    assert_int_equal(c.count, INITIAL + RESPAWN - c.respawn);
    assert_true(c.respawn < RESPAWN / 2); /* the interleaving did happen */
    assert_int_equal(dcsim_engine_pending(e), 0);
    dcsim_engine_destroy(e);
    gsl_rng_free(c.r);
    free(c.seen);
}

/* Small heaps churned hard: the last internal node, the one with fewer than four children, is
 * on the path of many pops, and equal times abound. A sift that skipped a child of that node
 * would show here, where in a big heap its damage could heal before anyone saw it. */
static void test_small_heaps(void **state)
{
    (void)state;
    enum { INITIAL = 20, RESPAWN = 1000000 };
    checker c = {.n = INITIAL + RESPAWN, .respawn = RESPAWN, .next_kind = INITIAL, .small = true};
    c.seen = calloc(c.n, 1);
    assert_non_null(c.seen);
    c.r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(c.r);
    gsl_rng_set(c.r, SEED + 1);
    dcsim_engine *e = dcsim_engine_create(check_order, &c, 0, 0);
    assert_non_null(e);
    for (uint32_t i = 0; i < INITIAL; i++)
        assert_int_equal(dcsim_engine_schedule(e, (dcsim_time)gsl_rng_uniform_int(c.r, 4), i, 0),
                         DCSIM_OK);
    assert_int_equal(dcsim_engine_run_until(e, DCSIM_TIME_NEVER - 1), INITIAL + RESPAWN);
    assert_int_equal(c.respawn, 0);
    assert_int_equal(c.bad_order, 0);
    assert_int_equal(c.dup, 0);
    dcsim_engine_destroy(e);
    gsl_rng_free(c.r);
    free(c.seen);
}

/* ---- the second word of payload ---------------------------------------------------------- */

static void keep_aux(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    (void)e;
    uint32_t *got = ctx;
    got[ev->target] = ev->aux;
}

/* aux comes back as it was given, through the heap and the calendar; plain scheduling
 * gives 0. */
static void test_aux(void **state)
{
    (void)state;
    uint32_t got[6];
    memset(got, 0xff, sizeof got);
    dcsim_engine *e = dcsim_engine_create(keep_aux, got, 0, 0);
    assert_non_null(e);
    assert_int_equal(dcsim_engine_set_calendar(e, 4), DCSIM_OK);
    /* 0 and 5: the current bucket (heap); 100: the calendar; 10^6: past the ring (heap). */
    static const dcsim_time t[] = {0, 5, 100, 1000000, 100, 3};
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(dcsim_engine_schedule_aux(e, t[i], 1, i, 0xabc00 + i), DCSIM_OK);
    assert_int_equal(dcsim_engine_schedule(e, t[5], 1, 5), DCSIM_OK);
    assert_int_equal(dcsim_engine_run_until(e, DCSIM_TIME_NEVER - 1), 6);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(got[i], 0xabc00 + i);
    assert_int_equal(got[5], 0);
    dcsim_engine_destroy(e);
}

/* ---- the calendar ------------------------------------------------------------------------ */

/* A workload run with and without the calendar must give the same events in the same order,
 * the same clock, pending count and next time at every pause. Bucket width 16 ticks makes the
 * ring 256 x 16 = 4,096 ticks wide: events land in the current bucket, in later buckets,
 * past the ring (in the heap), on equal times, and the run jumps over empty stretches. */
typedef struct churn {
    gsl_rng *r;
    seen *log;
    size_t len, cap;
    uint32_t respawn;
    uint32_t kind;
} churn;

static void churn_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    churn *c = ctx;
    assert_true(c->len < c->cap);
    c->log[c->len++] = (seen){ev->time, dcsim_engine_now(e), ev->seq, ev->kind, ev->target};
    double u = gsl_rng_uniform(c->r);
    if (u < 0.02)
        dcsim_engine_cancel_target(e, (uint32_t)gsl_rng_uniform_int(c->r, 64));
    else if (u < 0.03)
        dcsim_engine_stop(e);
    for (unsigned k = (unsigned)gsl_rng_uniform_int(c->r, 4); k > 0 && c->respawn > 0; k--) {
        c->respawn--;
        /* Spans: a tie at now, within a bucket, within the ring, past the ring. */
        static const unsigned long spans[] = {1, 16, 3000, 300000};
        unsigned long span = spans[gsl_rng_uniform_int(c->r, 4)];
        dcsim_time t = dcsim_engine_now(e) + (dcsim_time)gsl_rng_uniform_int(c->r, span);
        assert_int_equal(dcsim_engine_schedule(e, t, c->kind++,
                                               (uint32_t)gsl_rng_uniform_int(c->r, 64)),
                         DCSIM_OK);
    }
}

/* Runs the churn; the pauses' (now, pending, next time) go into marks. */
static void churn_run(int width_log2, churn *c, dcsim_time (*marks)[3], size_t n_marks)
{
    c->r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(c->r);
    gsl_rng_set(c->r, SEED + 7);
    dcsim_engine *e = dcsim_engine_create(churn_event, c, 0, 64);
    assert_non_null(e);
    assert_int_equal(dcsim_engine_set_calendar(e, width_log2), DCSIM_OK);
    for (uint32_t i = 0; i < 2000; i++)
        assert_int_equal(dcsim_engine_schedule(e, (dcsim_time)gsl_rng_uniform_int(c->r, 500000),
                                               c->kind++, i % 64),
                         DCSIM_OK);
    /* Pauses at uneven times, some inside a bucket, some far apart. */
    dcsim_time until = 0;
    for (size_t k = 0; k < n_marks; k++) {
        until += (dcsim_time)gsl_rng_uniform_int(c->r, k % 2 ? 40 : 20000);
        dcsim_engine_run_until(e, until);
        marks[k][0] = dcsim_engine_now(e);
        marks[k][1] = (dcsim_time)dcsim_engine_pending(e);
        marks[k][2] = dcsim_engine_next_time(e);
    }
    while (dcsim_engine_pending(e) > 0)   /* the handler stops a run now and then */
        dcsim_engine_run_until(e, DCSIM_TIME_NEVER - 1);
    assert_int_equal(dcsim_engine_next_time(e), DCSIM_TIME_NEVER);
    dcsim_engine_destroy(e);
    gsl_rng_free(c->r);
}

static void test_calendar_same_order(void **state)
{
    (void)state;
    enum { CAP = 400000, RESPAWN = 150000, MARKS = 400 };
    static dcsim_time marks[2][MARKS][3];
    churn c[2];
    for (int k = 0; k < 2; k++) {
        c[k] = (churn){.log = malloc(CAP * sizeof(seen)), .cap = CAP, .respawn = RESPAWN};
        assert_non_null(c[k].log);
        churn_run(k ? 4 : -1, &c[k], marks[k], MARKS);
    }
    assert_true(c[0].len > 100000);     /* the churn did run */
    assert_int_equal(c[0].respawn, 0);
    assert_int_equal(c[1].len, c[0].len);
    assert_memory_equal(c[1].log, c[0].log, c[0].len * sizeof(seen));
    assert_memory_equal(marks[1], marks[0], sizeof marks[0]);
    /* The pauses saw the calendar hold events and the heap run dry before the end. */
    size_t waiting = 0;
    for (size_t k = 0; k < MARKS; k++)
        waiting += marks[1][k][1] > 0;
    assert_true(waiting > MARKS / 2);
    free(c[0].log);
    free(c[1].log);
}

/* ---- M/M/1 ------------------------------------------------------------------------------ */

/* Poisson arrivals at rate lambda, one server with exponential service at rate mu, first come
 * first served. With rho = lambda/mu < 1 the number in the system is geometric in steady state,
 * P(N = n) = (1 - rho) rho^n, so L = rho / (1 - rho); Little's law W = L / lambda then gives
 * the mean time in system W = 1 / (mu - lambda), and the mean wait in the queue is
 * Wq = W - 1/mu = rho / (mu - lambda). With lambda = 0.5 and mu = 1 per unit: W = 2 units,
 * Wq = 1 unit, and the server is busy half the time.
 * One unit is 10^6 ticks: draws rounded to whole ticks then bias the means by under 10^-6,
 * where whole units would round an exponential of mean 1 into a few values. */
#define UNIT 1000000.0

enum { ARRIVAL, DEPARTURE };
enum { SOURCE, SERVER };

typedef struct mm1 {
    gsl_rng *r;
    double mean_ia, mean_svc;   /* ticks */
    uint64_t arrivals_left;
    dcsim_time *fifo;           /* arrival times of those in the system; arrays sized ahead */
    uint64_t head, tail;
    dcsim_time service_start;
    bool busy;
    dcsim_time busy_ticks;
    uint64_t served;
    int64_t sum_sojourn, sum_wait;
    int clock_back;
} mm1;

static dcsim_time draw(gsl_rng *r, double mean)
{
    return (dcsim_time)(gsl_ran_exponential(r, mean) + 0.5);
}

static void mm1_start_service(mm1 *q, dcsim_engine *e, dcsim_time now)
{
    q->busy = true;
    q->service_start = now;
    q->sum_wait += now - q->fifo[q->head];
    dcsim_time s = draw(q->r, q->mean_svc);
    q->busy_ticks += s;
    assert_int_equal(dcsim_engine_schedule(e, now + s, DEPARTURE, SERVER), DCSIM_OK);
}

static void mm1_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    mm1 *q = ctx;
    dcsim_time now = dcsim_engine_now(e);
    q->clock_back += now != ev->time;
    if (ev->kind == ARRIVAL) {
        q->fifo[q->tail++] = now;
        if (!q->busy)
            mm1_start_service(q, e, now);
        if (--q->arrivals_left > 0)
            assert_int_equal(dcsim_engine_schedule(e, now + draw(q->r, q->mean_ia), ARRIVAL,
                                                   SOURCE),
                             DCSIM_OK);
    } else {
        q->sum_sojourn += now - q->fifo[q->head++];
        q->served++;
        q->busy = false;
        if (q->head < q->tail)
            mm1_start_service(q, e, now);
    }
}

static void test_mm1(void **state)
{
    (void)state;
    enum { CUSTOMERS = 1000000 };
    const double lambda = 0.5, mu = 1.0;
    mm1 q = {.mean_ia = UNIT / lambda, .mean_svc = UNIT / mu, .arrivals_left = CUSTOMERS};
    q.fifo = malloc(CUSTOMERS * sizeof *q.fifo);
    assert_non_null(q.fifo);
    q.r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(q.r);
    gsl_rng_set(q.r, SEED);
    dcsim_engine *e = dcsim_engine_create(mm1_event, &q, 4, 2);
    assert_non_null(e);
    assert_int_equal(dcsim_engine_schedule(e, draw(q.r, q.mean_ia), ARRIVAL, SOURCE), DCSIM_OK);
    assert_int_equal(dcsim_engine_run_until(e, DCSIM_TIME_NEVER - 1), 2 * CUSTOMERS);
    assert_int_equal(q.served, CUSTOMERS);
    assert_int_equal(q.clock_back, 0);

    double w = (double)q.sum_sojourn / (double)q.served;
    double wq = (double)q.sum_wait / (double)q.served;
    double rho = (double)q.busy_ticks / (double)q.fifo[CUSTOMERS - 1]; /* busy / span */
    double w_exact = UNIT / (mu - lambda);
    double wq_exact = UNIT * (lambda / mu) / (mu - lambda);
    print_message("mm1: W = %.0f ticks (analytic %.0f), Wq = %.0f (%.0f), rho = %.4f (%.2f)\n",
                  w, w_exact, wq, wq_exact, rho, lambda / mu);
    /* Over 10^6 customers the standard error of W is about 0.3%, of Wq about 0.5%. */
    assert_true(w > 0.98 * w_exact && w < 1.02 * w_exact);
    assert_true(wq > 0.97 * wq_exact && wq < 1.03 * wq_exact);
    assert_true(rho > 0.49 && rho < 0.51);
    dcsim_engine_destroy(e);
    gsl_rng_free(q.r);
    free(q.fifo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_fifo_ties),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_from_handler),
        cmocka_unit_test(test_run_until),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_past_aborts),
        cmocka_unit_test(test_million_random),
        cmocka_unit_test(test_small_heaps),
        cmocka_unit_test(test_aux),
        cmocka_unit_test(test_calendar_same_order),
        cmocka_unit_test(test_mm1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
