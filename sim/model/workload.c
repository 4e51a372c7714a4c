/* The workload: training jobs, inference demand and the scheduler that gives them GPUs.
 * A job runs at a rate of n x peak x MFU x step efficiency (fabric.c) x throughput under a
 * power cap; it checkpoints every interval (fixed, or Young's sqrt(2 MTBF_job write)),
 * pausing for the write; a failure that hits one of its GPUs loses the work since the last
 * completed checkpoint and costs a restart. Between events every rate is constant, so
 * progress is settled exactly at each event and the next state change is forecast as one
 * event per job. When a job ends its GPUs come back after a release delay, or stay stuck for
 * a while with some probability. What is busy sets each site's utilization, which rack power
 * follows (gate.c). */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"

enum job_phase {
    JOB_PENDING,         /* its start date or condition has not come */
    JOB_WAITING,         /* may start (or resume) but has too few GPUs */
    JOB_RUNNING,
    JOB_CHECKPOINTING,   /* writing a checkpoint: no progress */
    JOB_RESTARTING,      /* after a failure: no progress */
    JOB_DONE
};

struct job_state {
    uint8_t phase;
    uint32_t gpus;               /* allocated now */
    uint32_t *alloc;             /* per site */
    double done_flop;            /* committed by checkpoints */
    double pending_flop;         /* since the last completed checkpoint */
    double rate;                 /* FLOP/s while running */
    double efficiency;           /* step efficiency now */
    int64_t settled;             /* progress is exact as of this time */
    int64_t phase_end;           /* end of a checkpoint write or restart */
    int64_t since_ckpt_s;        /* running seconds since the last checkpoint */
    int64_t interval_s;          /* checkpoint interval in force (0: none) */
    int64_t next_event;          /* forecast EV_JOB time, or -1 */
    uint32_t epoch;              /* bumped at every forecast: older EV_JOB events are stale */
    int64_t started, finished;
    double run_s, lost_run_s;    /* running time, and the part of it lost to failures */
    double gpu_s, lost_gpu_s;
    uint32_t failures;
    uint64_t order;              /* when it became startable, for fifo */
    int64_t arrived;             /* ... and at what time, to rank it against inference */
};

bool workload_create(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    m->job = calloc(sc->n_jobs + 1, sizeof *m->job);
    m->job_rng = calloc(sc->n_jobs + 1, sizeof *m->job_rng);
    if (!m->job || !m->job_rng)
        return false;
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        m->job[i].alloc = calloc(sc->n_sites + 1, sizeof *m->job[i].alloc);
        m->job_rng[i] = model_stream(m, "job", sc->jobs[i].name, -1);
        if (!m->job[i].alloc || !m->job_rng[i])
            return false;
        m->job[i].next_event = -1;
        m->job[i].started = m->job[i].finished = -1;
    }
    /* Scratch for the allocation, sized once: workload_update runs after most events. */
    m->wl_cap = calloc(sc->n_sites + 1, sizeof *m->wl_cap);
    m->wl_order = calloc(sc->n_jobs + 2, sizeof *m->wl_order);
    m->wl_alloc = calloc((size_t)(sc->n_jobs + 1) * (sc->n_sites + 1), sizeof *m->wl_alloc);
    m->sched_rng = dcsim_stream_alloc(sc->seed, m->replication, "scheduler");
    return m->sched_rng && m->wl_cap && m->wl_order && m->wl_alloc;
}

void workload_destroy(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    if (m->job)
        for (uint32_t i = 0; i < sc->n_jobs; i++)
            free(m->job[i].alloc);
    if (m->job_rng)
        for (uint32_t i = 0; i < sc->n_jobs; i++)
            if (m->job_rng[i])
                gsl_rng_free(m->job_rng[i]);
    if (m->sched_rng)
        gsl_rng_free(m->sched_rng);
    free(m->job);
    free(m->job_rng);
    free(m->wl_cap);
    free(m->wl_order);
    free(m->wl_alloc);
}

static double gpu_peak_flops(const dcsim_model *m)
{
    return m->sc->n_gpu_models ? m->sc->gpu_models[0].peak_flops : 0;
}

/* Failures per second that hit a job of n GPUs: every cause's rate per GPU times n. */
static double job_failure_rate(const dcsim_model *m, uint32_t n)
{
    double r = 0;
    if (m->sc->fleet.mode == DCSIM_FLEET_OFF)
        return 0;
    for (uint32_t k = 0; k < m->sc->fleet.n_causes; k++)
        r += m->sc->fleet.causes[k].rate_per_gpu_s;
    return r * n;
}

/* Young's optimum: sqrt(2 x MTBF of the job x checkpoint write time). */
static int64_t interval_for(const dcsim_model *m, const dcsim_job *j, uint32_t n)
{
    if (!j->young)
        return j->ckpt_interval_s;
    double rate = job_failure_rate(m, n);
    if (rate <= 0)
        return 0;       /* nothing fails: no checkpoint is worth its write */
    double t = sqrt(2.0 * (1.0 / rate) * (double)j->ckpt_write_s);
    return t < 1 ? 1 : (int64_t)llround(t);
}

/* Bring progress and time counters up to now at the rates in force. */
static void settle(dcsim_model *m, uint32_t i)
{
    struct job_state *js = &m->job[i];
    int64_t now = dcsim_engine_now(m->eng);
    double dt = (double)(now - js->settled);
    js->settled = now;
    if (dt <= 0 || js->phase == JOB_PENDING || js->phase == JOB_DONE)
        return;
    js->gpu_s += js->gpus * dt;
    if (js->phase == JOB_RUNNING) {
        js->pending_flop += js->rate * dt;
        js->run_s += dt;
        js->since_ckpt_s += (int64_t)dt;
    }
}

static double site_perf(const dcsim_model *m, const struct job_state *js)
{
    /* Throughput under the power cap of the sites the job runs at, GPU-weighted. */
    double w = 0, n = 0;
    for (uint32_t s = 0; s < m->sc->n_sites; s++)
        if (js->alloc[s]) {
            w += js->alloc[s] * dcsim_table_eval(&m->perf, m->site[s].cap);
            n += js->alloc[s];
        }
    return n > 0 ? w / n : 1.0;
}

/* Forecast the job's next state change and schedule it (the old forecast goes stale). */
static void forecast(dcsim_model *m, uint32_t i)
{
    struct job_state *js = &m->job[i];
    const dcsim_job *j = &m->sc->jobs[i];
    int64_t now = dcsim_engine_now(m->eng), t = -1;
    if (js->phase == JOB_CHECKPOINTING || js->phase == JOB_RESTARTING) {
        t = js->phase_end;
    } else if (js->phase == JOB_RUNNING && js->rate > 0) {
        double left = j->total_flop - js->done_flop - js->pending_flop;
        double finish = ceil(fmax(0, left) / js->rate - 1e-9);
        t = now + (int64_t)(finish < 0 ? 0 : finish);
        if (js->interval_s > 0 && js->interval_s - js->since_ckpt_s < t - now)
            t = now + (js->interval_s > js->since_ckpt_s ? js->interval_s - js->since_ckpt_s : 0);
    }
    js->next_event = t;
    /* The event's target carries the job and the forecast's epoch, so a superseded forecast
     * is recognised even when it falls at the same second as the live one. */
    uint32_t nj = m->sc->n_jobs, span = UINT32_MAX / nj;
    js->epoch = (js->epoch + 1) % span;
    if (t >= 0)
        model_schedule(m, t, EV_JOB, js->epoch * nj + i);
}

static void set_rate(dcsim_model *m, uint32_t i)
{
    struct job_state *js = &m->job[i];
    const dcsim_job *j = &m->sc->jobs[i];
    double step;
    js->efficiency = fabric_step_efficiency(&m->sc->fabric, j, js->gpus, gpu_peak_flops(m), &step);
    uint32_t mp = j->tp * j->pp, used = mp ? js->gpus / mp * mp : 0;
    js->rate = used * gpu_peak_flops(m) * j->mfu * js->efficiency * site_perf(m, js);
}

/* GPUs of a finished job go back: after the release delay, or stuck for a while. */
static void release(dcsim_model *m, uint32_t i)
{
    const dcsim_scheduler *sch = &m->sc->scheduler;
    struct job_state *js = &m->job[i];
    int64_t now = dcsim_engine_now(m->eng);
    /* Busy and stuck GPU-seconds run up to now at the old counts. Without this the interval
     * since the last touch (up to an hour-long tick) was counted as stuck, not busy. */
    model_touch(m);
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        uint32_t g = js->alloc[s];
        if (!g)
            continue;
        js->alloc[s] = 0;
        m->site[s].gpus_busy -= g;
        bool stuck = sch->stuck_prob > 0 && gsl_rng_uniform(m->sched_rng) < sch->stuck_prob;
        int64_t hold = model_draw_s(stuck ? &sch->stuck_time : &sch->release_delay,
                                    m->sched_rng);
        if (hold <= 0)
            continue;       /* free at once */
        uint32_t h = hold_take(m, stuck ? HOLD_STUCK : HOLD_RELEASE, s, UINT32_MAX, g);
        if (h == UINT32_MAX)
            return;
        m->site[s].gpus_held += g;
        if (stuck)
            m->site[s].gpus_stuck += g;
        model_schedule(m, now + hold, EV_RELEASE, h);
    }
    js->gpus = 0;
}

void workload_release_done(dcsim_model *m, uint32_t site, uint32_t gpus, bool stuck)
{
    model_touch(m);
    m->site[site].gpus_held -= gpus;
    if (stuck)
        m->site[site].gpus_stuck -= gpus;
    m->workload_dirty = true;
}

static bool condition_met(const dcsim_model *m, const dcsim_job *j)
{
    int64_t now = dcsim_engine_now(m->eng);
    if (now < j->start_s)
        return false;
    return !j->has_condition ||
           gate_metric(m, j->start_metric) + 1e-9 * fmax(1, j->start_threshold) >=
               j->start_threshold;
}

/* Inference GPUs wanted now: a trace by hour of the year, or exponential growth. */
static double inference_want(const dcsim_model *m)
{
    const dcsim_inference *inf = &m->sc->inference;
    int64_t now = dcsim_engine_now(m->eng);
    if (!inf->enabled || now < inf->start_s)
        return 0;
    double w;
    if (inf->n_trace) {
        int64_t unix_now = m->sc->start_unix + now;
        int64_t y;
        unsigned mo, d;
        dcsim_civil_from_days(unix_now / DCSIM_DAY_S, &y, &mo, &d);
        int64_t y0 = dcsim_days_from_civil(y, 1, 1) * DCSIM_DAY_S;
        w = inf->trace[(uint64_t)((unix_now - y0) / 3600) % inf->n_trace];
    } else {
        w = inf->start_gpus * exp(inf->growth_per_s * (double)(now - inf->start_s));
    }
    return fmin(w, inf->max_gpus);
}

/* Consumers in the order the scheduler serves them: jobs by index, inference as -1. */
static int cmp_consumer(const dcsim_model *m, long a, long b)
{
    double pa = a < 0 ? m->sc->inference.priority : m->sc->jobs[a].priority;
    double pb = b < 0 ? m->sc->inference.priority : m->sc->jobs[b].priority;
    if (m->sc->scheduler.policy == DCSIM_SCHED_PRIORITY && pa != pb)
        return pa > pb ? -1 : 1;
    /* By arrival: inference arrives at its start, a job when its start came. Inference used to
     * rank first whatever its start, so under fifo a later inference start preempted a job
     * that had arrived before it. Ties keep inference first, then the jobs' own order. */
    int64_t ta = a < 0 ? m->sc->inference.start_s : m->job[a].arrived;
    int64_t tb = b < 0 ? m->sc->inference.start_s : m->job[b].arrived;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    if ((a < 0) != (b < 0))
        return a < 0 ? -1 : 1;
    uint64_t oa = a < 0 ? 0 : m->job[a].order, ob = b < 0 ? 0 : m->job[b].order;
    if (oa != ob)
        return oa < ob ? -1 : 1;
    return a < b ? -1 : (a > b);
}

static void start_phase(dcsim_model *m, uint32_t i)
{
    struct job_state *js = &m->job[i];
    int64_t now = dcsim_engine_now(m->eng);
    js->phase = JOB_RUNNING;
    if (js->started < 0) {
        js->started = now;
        dcsim_eventlog_add(m->log, now, "job_start", m->sc->jobs[i].name, "%u GPUs", js->gpus);
    }
}

void workload_update(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t ns = sc->n_sites;
    if (!sc->workload)
        return;
    model_touch(m);
    /* Jobs whose start has come become startable, in the order they do (fifo order). */
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        struct job_state *js = &m->job[i];
        settle(m, i);
        if (js->phase == JOB_PENDING && condition_met(m, &sc->jobs[i])) {
            js->phase = JOB_WAITING;
            js->order = ++m->next_seq;
            js->arrived = dcsim_engine_now(m->eng);
            js->settled = js->arrived;
        }
    }
    /* Capacity per site: GPUs up and not held. */
    double *cap = m->wl_cap;
    long *order = m->wl_order;
    uint32_t *want_alloc = m->wl_alloc;
    memset(want_alloc, 0, (size_t)(sc->n_jobs + 1) * (ns + 1) * sizeof *want_alloc);
    for (uint32_t s = 0; s < ns; s++) {
        const site_state *st = &m->site[s];
        double up = (double)st->gpus_lit - (double)st->gpus_down - (double)st->gpus_held;
        cap[s] = up > 0 ? up : 0;
    }
    size_t n = 0;
    if (sc->inference.enabled)
        order[n++] = -1;
    for (uint32_t i = 0; i < sc->n_jobs; i++)
        if (m->job[i].phase != JOB_PENDING && m->job[i].phase != JOB_DONE)
            order[n++] = i;
    /* Insertion sort: a handful of consumers. The one being placed is held aside and the
     * others shift up: written as swaps, gcc stored each pair as 16 bytes and read it back
     * at an 8-byte offset, a store-forwarding stall that was a quarter of this function. */
    for (size_t a = 1; a < n; a++) {
        long x = order[a];
        size_t b = a;
        for (; b > 0 && cmp_consumer(m, x, order[b - 1]) < 0; b--)
            order[b] = order[b - 1];
        order[b] = x;
    }
    m->inference_want = inference_want(m);
    double served = 0;
    for (size_t k = 0; k < n; k++) {
        if (order[k] < 0) {
            double left = m->inference_want;
            for (uint32_t s = 0; s < ns && left > 0; s++) {
                double take = fmin(left, cap[s]);
                cap[s] -= take;
                left -= take;
                served += take;
            }
            continue;
        }
        uint32_t i = (uint32_t)order[k];
        const dcsim_job *j = &sc->jobs[i];
        uint32_t mp = j->tp * j->pp;
        double avail = 0;
        for (uint32_t s = 0; s < ns; s++)
            if (j->site == UINT32_MAX || j->site == s)
                avail += floor(cap[s]);
        double want = j->up_to ? fmin(avail, j->gpus) : j->gpus;
        want = floor(want / mp) * mp;           /* whole model replicas only */
        if (want < j->min_gpus || want > avail)
            continue;                           /* waits (or is preempted) */
        double left = want;
        for (uint32_t s = 0; s < ns && left > 0; s++) {
            if (j->site != UINT32_MAX && j->site != s)
                continue;
            double take = fmin(left, floor(cap[s]));
            want_alloc[(size_t)i * (ns + 1) + s] = (uint32_t)take;
            cap[s] -= take;
            left -= take;
        }
    }
    m->inference_busy = served;
    /* Apply: settle at the old rate (done above), then move to the new allocation. */
    for (uint32_t s = 0; s < ns; s++)
        m->site[s].gpus_busy = 0;
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        struct job_state *js = &m->job[i];
        if (js->phase == JOB_PENDING || js->phase == JOB_DONE)
            continue;
        uint32_t total = 0;
        bool changed = false;
        for (uint32_t s = 0; s < ns; s++) {
            uint32_t g = want_alloc[(size_t)i * (ns + 1) + s];
            changed = changed || g != js->alloc[s];
            js->alloc[s] = g;
            total += g;
            m->site[s].gpus_busy += g;
        }
        js->gpus = total;
        if (total == 0) {
            if (js->phase != JOB_WAITING) {
                js->phase = JOB_WAITING;
                js->next_event = -1;
                js->epoch++;    /* any pending forecast is void */
            }
            continue;
        }
        if (js->phase == JOB_WAITING)
            start_phase(m, i);
        if (changed || js->next_event < 0) {
            js->interval_s = interval_for(m, &sc->jobs[i], total);
            set_rate(m, i);
            forecast(m, i);
        }
    }
    /* Inference GPUs count as busy at the sites they were taken from, in site order. */
    double left = served;
    for (uint32_t s = 0; s < ns && left > 0; s++) {
        const site_state *st = &m->site[s];
        double up = (double)st->gpus_lit - (double)st->gpus_down - (double)st->gpus_held -
                    (double)st->gpus_busy;
        double take = fmin(left, up > 0 ? up : 0);
        m->site[s].gpus_busy += (uint64_t)llround(take);
        left -= take;
    }
    /* Utilization moves rack power: re-balance the sites whose utilization changed. */
    for (uint32_t s = 0; s < ns; s++) {
        site_state *st = &m->site[s];
        double up = (double)st->gpus_lit - (double)st->gpus_down;
        double u = up > 0 ? fmin(1.0, (double)st->gpus_busy / up) : 0.0;
        if (fabs(u - st->util) > 1e-12) {
            st->util = u;
            m->power_source = UINT32_MAX;
            gate_balance(m, s);
        }
    }
    /* Jobs progress at the throughput of their sites' power cap, which the gate may have just
     * moved (a job starting raised demand into a throttle), or moved at an event since the
     * last update. Rates were set only when an allocation changed, so a throttled job ran at
     * full speed. Progress is settled to now, so the new rate holds from now. */
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        struct job_state *js = &m->job[i];
        if (js->phase == JOB_PENDING || js->phase == JOB_DONE || js->gpus == 0)
            continue;
        double old = js->rate;
        set_rate(m, i);
        if (js->rate != old && js->phase == JOB_RUNNING)
            forecast(m, i);
    }
}

void workload_job_event(dcsim_model *m, uint32_t target)
{
    uint32_t nj = m->sc->n_jobs, i = target % nj;
    struct job_state *js = &m->job[i];
    const dcsim_job *j = &m->sc->jobs[i];
    int64_t now = dcsim_engine_now(m->eng);
    if (target / nj != js->epoch || js->next_event != now)
        return;             /* superseded by a later forecast */
    settle(m, i);
    js->next_event = -1;
    switch (js->phase) {
    case JOB_RUNNING:
        if (js->done_flop + js->pending_flop >= j->total_flop * (1 - 1e-12)) {
            /* Done: the work is the job's total. Progress is settled in whole seconds, so the
             * last second computed up to one second's FLOP more than was left (progress read
             * 1.00005 for a 10000.5 s job). */
            js->done_flop = j->total_flop;
            js->pending_flop = 0;
            js->phase = JOB_DONE;
            js->finished = now;
            dcsim_eventlog_add(m->log, now, "job_done", j->name,
                               "goodput %.4f, %u failures, %.0f lost GPU-hours",
                               js->run_s > 0 ? (js->run_s - js->lost_run_s) /
                                                   (double)(now - js->started)
                                             : 0,
                               js->failures, js->lost_gpu_s / 3600.0);
            release(m, i);
            m->workload_dirty = true;
            return;
        }
        /* A checkpoint is due: write it. */
        js->phase = JOB_CHECKPOINTING;
        js->phase_end = now + j->ckpt_write_s;
        break;
    case JOB_CHECKPOINTING:
        js->done_flop += js->pending_flop;
        js->pending_flop = 0;
        js->since_ckpt_s = 0;
        js->phase = JOB_RUNNING;
        break;
    case JOB_RESTARTING:
        js->phase = JOB_RUNNING;
        break;
    default:
        return;
    }
    forecast(m, i);
}

void workload_failure(dcsim_model *m, uint32_t site, uint32_t gpus, bool hardware)
{
    const dcsim_scenario *sc = m->sc;
    int64_t now = dcsim_engine_now(m->eng);
    if (!sc->workload)
        return;
    const site_state *st = &m->site[site];
    /* Where the fault lands is uniform over the site's GPUs that were up: a job holding a
     * share a of them is hit with probability a (a node or rack fault is one place). */
    double up = (double)st->gpus_lit - (double)st->gpus_down + (hardware ? gpus : 0);
    if (up <= 0)
        return;
    double u = gsl_rng_uniform(m->sched_rng), acc = 0;
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        struct job_state *js = &m->job[i];
        acc += js->alloc[site] / up;
        if (u >= acc)
            continue;
        if (js->phase != JOB_RUNNING && js->phase != JOB_CHECKPOINTING &&
            js->phase != JOB_RESTARTING)
            return;
        settle(m, i);
        m->interruptions++;
        js->failures++;
        /* The work since the last completed checkpoint is lost, and the restart costs. */
        double lost = (double)js->since_ckpt_s;
        js->lost_run_s += lost;
        js->lost_gpu_s += (lost + (double)sc->jobs[i].restart_s) * js->gpus;
        js->pending_flop = 0;
        js->since_ckpt_s = 0;
        js->phase = JOB_RESTARTING;
        js->phase_end = now + sc->jobs[i].restart_s;
        forecast(m, i);
        return;
    }
}

/* The next re-check: on the hourly (or sample, if finer) grid, but earlier when a job's start
 * date or inference's start falls before it, so that a start between two ticks is kept to
 * the second (a job with `start: 90min` used to start at 2h). Off-grid wake-ups return to the
 * grid, so there is still one tick chain. */
static void schedule_tick(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    int64_t now = dcsim_engine_now(m->eng);
    int64_t step = sc->sample_s < 3600 ? sc->sample_s : 3600;
    int64_t next = (now / step + 1) * step;
    for (uint32_t i = 0; i < sc->n_jobs; i++)
        if (m->job[i].phase == JOB_PENDING && sc->jobs[i].start_s > now &&
            sc->jobs[i].start_s < next)
            next = sc->jobs[i].start_s;
    if (sc->inference.enabled && sc->inference.start_s > now && sc->inference.start_s < next)
        next = sc->inference.start_s;
    if (next <= sc->horizon_s)
        model_schedule(m, next, EV_WORKLOAD_TICK, 0);
}

void workload_begin(dcsim_model *m)
{
    if (!m->sc->workload)
        return;
    m->workload_dirty = true;
    model_schedule(m, 0, EV_WORKLOAD_TICK, 0);
}

void workload_tick(dcsim_model *m)
{
    m->workload_dirty = true;
    schedule_tick(m);
}

/* ---- read-outs for the recorder ---- */

double workload_flop_done(const dcsim_model *m)
{
    double f = 0;
    for (uint32_t i = 0; i < m->sc->n_jobs; i++)
        f += m->job[i].done_flop + m->job[i].pending_flop;
    return f;
}

double workload_goodput(const dcsim_model *m)
{
    int64_t now = dcsim_engine_now(m->eng);
    double useful = 0, wall = 0;
    for (uint32_t i = 0; i < m->sc->n_jobs; i++) {
        const struct job_state *js = &m->job[i];
        if (js->started < 0)
            continue;
        int64_t end = js->finished >= 0 ? js->finished : now;
        useful += js->run_s - js->lost_run_s;
        wall += (double)(end - js->started);
    }
    return wall > 0 ? useful / wall : NAN;
}

void workload_job_row(const dcsim_model *m, uint32_t i, dcsim_job_report *r)
{
    const struct job_state *js = &m->job[i];
    int64_t now = dcsim_engine_now(m->eng);
    static const char *const phases[] = {"pending", "waiting", "running", "checkpointing",
                                         "restarting", "done"};
    r->state = phases[js->phase];
    r->started = js->started;
    r->finished = js->finished;
    r->flop_done = js->done_flop + js->pending_flop;
    r->gpus_now = js->gpus;
    r->gpu_hours = js->gpu_s / 3600.0;
    r->lost_gpu_hours = js->lost_gpu_s / 3600.0;
    r->failures = js->failures;
    int64_t end = js->finished >= 0 ? js->finished : now;
    r->goodput = js->started >= 0 && end > js->started
                     ? (js->run_s - js->lost_run_s) / (double)(end - js->started)
                     : NAN;
    r->checkpoint_interval_s = js->interval_s;
    r->step_efficiency = js->efficiency;
}
