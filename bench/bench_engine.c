/* Engine benchmark: the classic hold model (pop one event, schedule it again a random time
 * later) at several heap sizes, and an M/M/1 queue whose SimPy twin is bench/mm1.py.
 * Prints one "name key=value ..." line per figure for bench/run.sh to read.
 * Usage: bench_engine [scale]   (scale multiplies every run length; default 1) */
#include "dcsim/engine.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* One time tick stands for a microsecond: whole seconds would round an exponential with a
 * mean of one time unit into a handful of values and ruin the queue's statistics. */
#define TICKS_PER_UNIT 1e6
#define SEED 20250630UL

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Exponential draw rounded to the nearest tick (draws are >= 0, so +0.5 and truncation round;
 * cheaper than llround's library call on the hot path). */
static dcsim_time draw_ticks(gsl_rng *r, double mean_ticks)
{
    return (dcsim_time)(gsl_ran_exponential(r, mean_ticks) + 0.5);
}

static void check(dcsim_status st)
{
    if (st != DCSIM_OK) {
        fprintf(stderr, "bench_engine: out of memory\n");
        exit(1);
    }
}

/* ---- hold model ---------------------------------------------------------------------- */

typedef struct hold {
    gsl_rng *r;
    double mean_ticks;
    uint64_t left; /* holds still to do in this batch */
} hold;

static void hold_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    hold *h = ctx;
    check(dcsim_engine_schedule(e, dcsim_engine_now(e) + draw_ticks(h->r, h->mean_ticks),
                                ev->kind, ev->target));
    if (--h->left == 0)
        dcsim_engine_stop(e);
}

/* Time `count` holds; the heap size stays n because every pop schedules one event. */
static double hold_batch(dcsim_engine *e, hold *h, uint64_t count)
{
    h->left = count;
    double t0 = seconds_now();
    uint64_t done = dcsim_engine_run_until(e, DCSIM_TIME_NEVER);
    double t1 = seconds_now();
    if (done != count) {
        fprintf(stderr, "bench_engine: hold ran %llu events, expected %llu\n",
                (unsigned long long)done, (unsigned long long)count);
        exit(1);
    }
    return t1 - t0;
}

static void bench_hold(uint32_t n, double scale)
{
    hold h = {.r = gsl_rng_alloc(gsl_rng_mt19937), .mean_ticks = TICKS_PER_UNIT};
    if (!h.r)
        check(DCSIM_ENOMEM);
    gsl_rng_set(h.r, SEED + n);
    /* Every event is its own cancellation target, so the generation check is paid as a
     * model with targets would pay it. */
    dcsim_engine *e = dcsim_engine_create(hold_event, &h, n, n);
    if (!e)
        check(DCSIM_ENOMEM);
    for (uint32_t i = 0; i < n; i++)
        check(dcsim_engine_schedule(e, draw_ticks(h.r, h.mean_ticks), 0, i));

    /* The start is not the steady state (all times are fresh draws from 0, and the caches
     * are cold): hold every event a couple of times before timing. */
    uint64_t warm = 2 * (uint64_t)n > 200000 ? 2 * (uint64_t)n : 200000;
    hold_batch(e, &h, warm);
    /* A short timed batch sizes the measured ones; batches continue until the measurement
     * has lasted 0.3 s times scale. */
    double rate = 200000.0 / hold_batch(e, &h, 200000);
    double goal = 0.3 * scale, dt = 0.0;
    uint64_t count = 0;
    while (dt < goal) {
        double want = rate * (goal - dt) * 1.02;
        uint64_t batch = want > 100000.0 ? (uint64_t)want : 100000;
        double t = hold_batch(e, &h, batch);
        rate = (double)batch / t;
        dt += t;
        count += batch;
    }

    printf("hold n=%u holds=%llu seconds=%.3f holds_per_s=%.0f ns_per_hold=%.1f\n", n,
           (unsigned long long)count, dt, (double)count / dt, dt * 1e9 / (double)count);
    fflush(stdout);
    dcsim_engine_destroy(e);
    gsl_rng_free(h.r);
}

/* ---- M/M/1 ----------------------------------------------------------------------------- */

enum { ARRIVAL, DEPARTURE };
enum { SOURCE, SERVER }; /* cancellation targets; unused, but paid for as a model would */

typedef struct mm1 {
    gsl_rng *r;
    double mean_ia_ticks;    /* 1 / lambda */
    double mean_svc_ticks;   /* 1 / mu */
    uint64_t arrivals_left;
    dcsim_time *fifo;        /* arrival times of the customers in the system, oldest first */
    size_t head, len, cap;   /* ring buffer; cap is a power of two */
    bool busy;
    uint64_t served;
    int64_t sum_sojourn;     /* ticks; exact, so the mean does not depend on summation order */
} mm1;

static void fifo_push(mm1 *q, dcsim_time t)
{
    if (q->len == q->cap) {
        /* Rare (the queue's length is geometric): double and unwrap the ring. */
        size_t cap = q->cap ? 2 * q->cap : 1024;
        dcsim_time *f = malloc(cap * sizeof *f);
        if (!f)
            check(DCSIM_ENOMEM);
        for (size_t i = 0; i < q->len; i++)
            f[i] = q->fifo[(q->head + i) & (q->cap - 1)];
        free(q->fifo);
        q->fifo = f;
        q->cap = cap;
        q->head = 0;
    }
    q->fifo[(q->head + q->len++) & (q->cap - 1)] = t;
}

static dcsim_time fifo_pop(mm1 *q)
{
    dcsim_time t = q->fifo[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return t;
}

static void mm1_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    mm1 *q = ctx;
    dcsim_time now = dcsim_engine_now(e);
    if (ev->kind == ARRIVAL) {
        fifo_push(q, now);
        if (!q->busy) {
            q->busy = true;
            check(dcsim_engine_schedule(e, now + draw_ticks(q->r, q->mean_svc_ticks),
                                        DEPARTURE, SERVER));
        }
        if (--q->arrivals_left > 0)
            check(dcsim_engine_schedule(e, now + draw_ticks(q->r, q->mean_ia_ticks), ARRIVAL,
                                        SOURCE));
    } else {
        q->sum_sojourn += now - fifo_pop(q);
        q->served++;
        if (q->len > 0)
            check(dcsim_engine_schedule(e, now + draw_ticks(q->r, q->mean_svc_ticks),
                                        DEPARTURE, SERVER));
        else
            q->busy = false;
    }
}

/* Serve `customers` customers from an empty system; returns the wall time taken. */
static double mm1_run(uint64_t customers, double lambda, double mu, mm1 *q, uint64_t *events)
{
    memset(q, 0, sizeof *q);
    q->r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!q->r)
        check(DCSIM_ENOMEM);
    gsl_rng_set(q->r, SEED);
    q->mean_ia_ticks = TICKS_PER_UNIT / lambda;
    q->mean_svc_ticks = TICKS_PER_UNIT / mu;
    q->arrivals_left = customers;
    dcsim_engine *e = dcsim_engine_create(mm1_event, q, 16, 2);
    if (!e)
        check(DCSIM_ENOMEM);
    double t0 = seconds_now();
    check(dcsim_engine_schedule(e, draw_ticks(q->r, q->mean_ia_ticks), ARRIVAL, SOURCE));
    *events = dcsim_engine_run_until(e, DCSIM_TIME_NEVER);
    double dt = seconds_now() - t0;
    dcsim_engine_destroy(e);
    gsl_rng_free(q->r);
    free(q->fifo);
    return dt;
}

static void bench_mm1(double scale)
{
    const double lambda = 0.9, mu = 1.0;
    mm1 q;
    uint64_t events;
    mm1_run(1000000, lambda, mu, &q, &events); /* warm-up: page in code, libm, allocator */
    double want = 1e7 * scale;
    uint64_t customers = want > 100000.0 ? (uint64_t)want : 100000;
    double dt = mm1_run(customers, lambda, mu, &q, &events);
    if (q.served != customers || events != 2 * customers) {
        fprintf(stderr, "bench_engine: mm1 served %llu in %llu events, expected %llu\n",
                (unsigned long long)q.served, (unsigned long long)events,
                (unsigned long long)customers);
        exit(1);
    }
    /* Mean time in system of M/M/1 is 1/(mu - lambda) (Little's law on L = rho/(1-rho)). */
    printf("mm1 lambda=%.2f mu=%.2f customers=%llu events=%llu seconds=%.3f "
           "events_per_s=%.0f customers_per_s=%.0f mean_time_in_system=%.0f analytic=%.0f\n",
           lambda, mu, (unsigned long long)customers, (unsigned long long)events, dt,
           (double)events / dt, (double)customers / dt,
           (double)q.sum_sojourn / (double)q.served, TICKS_PER_UNIT / (mu - lambda));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double scale = 1.0;
    if (argc > 1) {
        char *end;
        scale = strtod(argv[1], &end);
        if (*end != '\0' || !(scale > 0.0) || scale > 1e6) {
            fprintf(stderr, "usage: %s [scale]   (scale > 0 multiplies every run length)\n",
                    argv[0]);
            return 2;
        }
    }
    static const uint32_t sizes[] = {100, 1000, 10000, 100000, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        bench_hold(sizes[i], scale);
    bench_mm1(scale);
    return 0;
}
