/* The Monte Carlo runner: replications on POSIX threads (each a world of its own), reduced
 * to quantile bands and a grade table per milestone; the drivers of slip are mc_drivers.c.
 * Determinism for any thread count: a replication writes only its own slots (or adds
 * integers, which commute), and every reduction walks the replications in index order. */
#include "dcsim/mc.h"
#include "dcsim/units.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "dcsim/world.h"
#include "analysis/mc_priv.h"

/* ---- small helpers ---- */

double mc_quantile_inf(double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (double)(n - 1);
    size_t hi = (size_t)ceil(pos);
    if (isinf(sorted[hi]))
        return INFINITY;        /* that share of runs never got there */
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

/* The elements of a milestone's cause chain: the immediate cause (power:S names source:S)
 * and every activity on its critical path. */
static char *chain_of(const char *cause, const char *path)
{
    size_t n = strlen(cause) + strlen(path) + 32;
    char *out = malloc(n);
    if (!out)
        return NULL;
    out[0] = '\0';
    if (strncmp(cause, "power:", 6) == 0 && strcmp(cause + 6, "demand") != 0)
        snprintf(out, n, "source:%s\n", cause + 6);
    else if (strncmp(cause, "building:", 9) == 0 || strncmp(cause, "delivery:", 9) == 0 ||
             strncmp(cause, "install:", 8) == 0)
        snprintf(out, n, "%s\n", cause);
    const char *p = path;
    while (*p) {
        const char *e = strstr(p, " < ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t used = strlen(out);
        /* Skip what the cause already named. */
        if (!(len + 1 <= used && strncmp(out, p, len) == 0 && out[len] == '\n'))
            snprintf(out + used, n - used, "%.*s\n", (int)len, p);
        p = e ? e + 3 : p + len;
    }
    return out;
}

/* ---- the thread pool ---- */

typedef struct pool {
    dcsim_mc *mc;
    mc_task_fn fn;
    void *arg;
    uint64_t base, n, next, done;
    pthread_mutex_t lock;
    bool progress;
    double t0;          /* dcsim_wall_s at the start */
    const char *what;
} pool;

static void draw_progress(pool *p, uint64_t done)
{
    double el = dcsim_wall_s() - p->t0, rate = el > 0 ? (double)done / el : 0;
    double left = rate > 0 ? (double)(p->n - done) / rate : 0;
    int width = 30, fill = (int)((double)width * (double)done / (double)p->n);
    fprintf(stderr, "\r%s [%.*s%*s] %llu/%llu, %.1f/s, %.0f s left ", p->what, fill,
            "##############################", width - fill, "", (unsigned long long)done,
            (unsigned long long)p->n, rate, left);
    if (done == p->n)
        fprintf(stderr, "\n");
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        /* No new task once something failed or a signal asked to stop; tasks in flight
         * finish, so the tasks done are exactly base .. base + next - 1. */
        bool stop = p->mc->failed || (p->mc->o.stop && *p->mc->o.stop);
        uint64_t t = p->next < p->n && !stop ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (t >= p->n)
            return NULL;
        p->fn(p->mc, p->base + t, p->arg);
        pthread_mutex_lock(&p->lock);
        uint64_t done = ++p->done;
        /* Redraw at most ~20 times a second's worth of tasks: every 1/100 of the work. */
        if (p->progress && (done == p->n || done % (p->n / 100 + 1) == 0))
            draw_progress(p, done);
        pthread_mutex_unlock(&p->lock);
    }
}

/* Run tasks base .. base + n - 1 on the threads; returns how many were run (n unless a
 * failure or a signal stopped the handing out). */
uint64_t mc_run_pool(dcsim_mc *mc, uint64_t base, uint64_t n, mc_task_fn fn, void *arg,
                     const char *what)
{
    pool p = {.mc = mc, .fn = fn, .arg = arg, .base = base, .n = n,
              .progress = mc->o.progress, .what = what};
    pthread_mutex_init(&p.lock, NULL);
    p.t0 = dcsim_wall_s();
    unsigned k = mc->o.threads;
    pthread_t *th = calloc(k, sizeof *th);
    unsigned started = 0;
    for (; th && started < k; started++)
        if (pthread_create(&th[started], NULL, worker, &p) != 0)
            break;
    if (started == 0)
        worker(&p);         /* no thread could start: do the work here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&p.lock);
    if (p.progress && p.done < p.n)
        fprintf(stderr, "\n");
    return p.next;
}

void mc_fail(dcsim_mc *mc, const dcsim_diag *d)
{
    pthread_mutex_lock(&mc->lock);
    if (!mc->failed) {
        mc->failed = true;
        mc->fail_status = d->status ? d->status : DCSIM_ERUNTIME;
        snprintf(mc->fail_msg, sizeof mc->fail_msg, "%.500s", d->msg);
    }
    pthread_mutex_unlock(&mc->lock);
}

/* ---- replications ---- */

void mc_rep_slots(dcsim_mc *mc, uint64_t rep)
{
    const dcsim_scenario *sc = mc->sc;
    size_t nm = (size_t)sc->n_milestones + 1, nj = (size_t)sc->n_jobs + 1;
    size_t nr = (size_t)sc->n_risks + 1;
    rep_result *rr = &mc->rep[rep];
    rr->ms_time = &mc->flat_time[rep * nm];
    rr->ms_chain = &mc->flat_chain[rep * nm];
    rr->ms_power = &mc->flat_power[rep * nm];
    rr->job_finish = &mc->flat_finish[rep * nj];
    rr->risk_fired = &mc->flat_risk_fired[rep * nr];
    rr->risk_delay_s = &mc->flat_risk_delay[rep * nr];
    rr->ms_slip_usd = &mc->flat_slip[rep * nm];
    rr->ms_net = &mc->flat_net[rep * nm];
}

static void replicate(dcsim_mc *mc, uint64_t rep, void *arg)
{
    (void)arg;
    const dcsim_scenario *sc = mc->sc;
    mc_rep_slots(mc, rep);
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_world *w = NULL;
    if (!dcsim_world_create(sc, rep, &w, &d)) {
        dcsim_world_no_events(w);           /* a Monte Carlo writes no events.csv */
        if (mc->o.skip_costs || rep >= mc->cost_runs)
            dcsim_world_no_plan(w);
        else if (rep < mc->driver_runs && mc->plan_net)
            dcsim_world_plan_series(w);     /* the drivers cost their re-runs against it */
        else
            dcsim_world_quiet_plan(w);
    }
    if (!w || dcsim_world_run(w, &d)) {
        mc_fail(mc, &d);
        dcsim_world_destroy(w);
        return;
    }
    rep_result *r = &mc->rep[rep];
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        r->ms_time[i] = dcsim_world_milestone_time(w, i);
        const char *cause = dcsim_world_milestone_cause(w, i);
        r->ms_power[i] = strncmp(cause, "power:", 6) == 0;
        r->ms_chain[i] = chain_of(cause, dcsim_world_milestone_path(w, i));
    }
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        r->job_finish[j] = dcsim_world_job_finish(w, j);
    for (uint32_t i = 0; i < sc->n_risks; i++) {
        r->risk_fired[i] = dcsim_world_risk_fired(w, i);
        r->risk_delay_s[i] = dcsim_world_risk_delay_s(w, i);
    }
    dcsim_world_totals(w, &r->tot);
    mc_costs_record(mc, rep, w);
    mc_record_series(mc, rep, w);
    dcsim_world_destroy(w);
    __atomic_fetch_add(&mc->filled, 1, __ATOMIC_RELAXED);
}

/* P80 (at the confidence) of each milestone over the replications done so far. */
static void current_p80(const dcsim_mc *mc, double *p80, double *scratch)
{
    for (uint32_t i = 0; i < mc->sc->n_milestones; i++) {
        for (uint64_t r = 0; r < mc->n; r++) {
            int64_t t = mc->rep[r].ms_time[i];
            scratch[r] = t < 0 ? INFINITY : (double)t / 86400.0;
        }
        gsl_sort(scratch, 1, mc->n);
        p80[i] = mc_quantile_inf(scratch, mc->n, mc->sc->confidence);
    }
}

/* Replications in index order, in batches when until_stable: after each batch every
 * milestone's P80 is compared with the previous batch's; three settled batches in a row
 * (all moved less than a day) stop the run. Batches keep the result independent of the
 * thread count. */
static void run_replications(dcsim_mc *mc)
{
    uint64_t runs = mc->o.runs;
    uint64_t batch = mc->o.until_stable ? (mc->o.batch ? mc->o.batch : 100) : runs;
    uint32_t nm = mc->sc->n_milestones;
    double *prev = calloc(nm + 1, sizeof *prev), *cur = calloc(nm + 1, sizeof *cur);
    double *scratch = mc->o.until_stable ? malloc((runs + 1) * sizeof *scratch) : NULL;
    int settled = 0;
    mc->n = 0;
    while (mc->n < runs && !mc->failed) {
        uint64_t want = runs - mc->n < batch ? runs - mc->n : batch;
        uint64_t got = mc_run_pool(mc, mc->n, want, replicate, NULL, "runs");
        mc->n += got;
        if (got < want) {
            mc->partial = !mc->failed;
            break;
        }
        if (!mc->o.until_stable || !prev || !cur || !scratch)
            continue;
        current_p80(mc, cur, scratch);
        bool moved = false;
        for (uint32_t i = 0; i < nm; i++) {
            bool same_inf = isinf(cur[i]) && isinf(prev[i]);
            moved = moved || mc->n == got || (!same_inf && !(fabs(cur[i] - prev[i]) < 1.0));
        }
        settled = moved ? 0 : settled + 1;
        memcpy(prev, cur, nm * sizeof *cur);
        if (settled >= 3) {
            mc->stable = true;
            break;
        }
    }
    free(prev), free(cur), free(scratch);
}

/* ---- public ---- */

/* The reductions after the replications 0 .. n-1: criticality, bands, then the driver
 * re-runs (on this process's threads). On failure the caller frees mc. */
static dcsim_status reduce(dcsim_mc *mc, dcsim_diag *d)
{
    if (mc->driver_runs > mc->n)
        mc->driver_runs = (uint32_t)mc->n;
    bool ok = !mc->failed && mc->n > 0 && mc_count_criticality(mc) && mc_reduce_bands(mc);
    /* Interrupted: what completed is kept, the driver re-runs are not started. */
    ok = ok && (mc->partial || mc->o.skip_drivers || mc_measure_drivers(mc));
    if (!mc->failed && mc->n == 0)
        return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                              "interrupted before any replication completed");
    if (mc->failed || !ok) {
        dcsim_status st = mc->failed ? mc->fail_status : DCSIM_ENOMEM;
        return dcsim_diag_set(d, st, NULL, 0, 0, "%s",
                              mc->failed ? mc->fail_msg : "out of memory");
    }
    return DCSIM_OK;
}

dcsim_status dcsim_mc_begin(const dcsim_scenario *sc, const dcsim_mc_opts *o, dcsim_mc **out,
                            dcsim_diag *d)
{
    *out = NULL;
    if (o->runs == 0)
        return dcsim_diag_set(d, DCSIM_EINPUT, NULL, 0, 0, "a Monte Carlo needs at least 1 run");
    dcsim_mc *mc = calloc(1, sizeof *mc);
    if (!mc)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    mc->sc = sc;
    mc->o = *o;
    if (mc->o.threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        mc->o.threads = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (mc->o.band_budget_bytes == 0)
        mc->o.band_budget_bytes = (size_t)256 << 20;
    mc->driver_runs = o->driver_runs ? o->driver_runs : (uint32_t)fmin((double)o->runs, 100);
    if (mc->driver_runs > o->runs)
        mc->driver_runs = (uint32_t)o->runs;
    /* Priced runs: the first 500 by default (a twin doubles a replication's work; P10 and
     * P90 of 500 runs are within ~1.3 points of probability), never fewer than the drivers
     * re-run, whose dollars are read against their twins. */
    mc->cost_runs = o->cost_runs ? o->cost_runs : 500;
    if (!o->skip_drivers && mc->cost_runs < mc->driver_runs)
        mc->cost_runs = mc->driver_runs;
    if (mc->cost_runs > o->runs || o->skip_costs)
        mc->cost_runs = o->skip_costs ? 0 : o->runs;
    pthread_mutex_init(&mc->lock, NULL);
    mc->rows = (uint32_t)(sc->horizon_s / sc->sample_s + 1);
    mc->row_time = malloc(((size_t)mc->rows + 1) * sizeof *mc->row_time);
    /* One block per field for all runs (calloc maps large blocks lazily, so asking for many
     * runs costs nothing until they complete); each run points into its rows. */
    size_t nm = (size_t)sc->n_milestones + 1, nj = (size_t)sc->n_jobs + 1;
    mc->rep = calloc(o->runs, sizeof *mc->rep);
    mc->flat_time = calloc(o->runs * nm, sizeof *mc->flat_time);
    mc->flat_chain = calloc(o->runs * nm, sizeof *mc->flat_chain);
    mc->flat_power = calloc(o->runs * nm, sizeof *mc->flat_power);
    mc->flat_finish = calloc(o->runs * nj, sizeof *mc->flat_finish);
    size_t nr = (size_t)sc->n_risks + 1;
    mc->flat_risk_fired = calloc(o->runs * nr, sizeof *mc->flat_risk_fired);
    mc->flat_risk_delay = calloc(o->runs * nr, sizeof *mc->flat_risk_delay);
    mc->flat_slip = calloc(o->runs * nm, sizeof *mc->flat_slip);
    mc->flat_net = calloc(o->runs * nm, sizeof *mc->flat_net);
    if (!o->skip_costs && !o->skip_drivers)
        mc->plan_net = calloc((size_t)mc->driver_runs * mc->rows + 1, sizeof *mc->plan_net);
    bool ok = mc->row_time && mc->rep && mc->flat_time && mc->flat_chain && mc->flat_power &&
              mc->flat_finish && mc->flat_risk_fired && mc->flat_risk_delay && mc->flat_slip && mc->flat_net &&
              (mc->plan_net || o->skip_costs || o->skip_drivers);
    size_t cells = (size_t)mc->rows * N_SERIES;
    /* Exact bands keep a float per run, step and series; histograms a count per bin, step and
     * series. Exact while that is no more than the histograms would take (runs <= HIST_BINS)
     * and within the budget: the bands' memory then never exceeds the histograms', which
     * depends on the steps alone, so a Monte Carlo of any -n takes no more for its bands
     * than one of 2,048 runs (issue 8: memory independent of -n but for per-run rows). */
    double exact_bytes = (double)cells * (double)o->runs * sizeof(float);
    mc->exact = o->runs <= HIST_BINS && exact_bytes <= (double)mc->o.band_budget_bytes;
    /* Beyond the exact budget the bands keep a histogram per step and series: bounded by
     * DCSIM_MC_MAX_BAND_BYTES whatever the runs, so a long horizon at a fine sample step is
     * refused here rather than exhausting memory. */
    double hist_bytes = (double)cells * HIST_BINS * sizeof *mc->hist;
    if (!mc->exact && hist_bytes > (double)DCSIM_MC_MAX_BAND_BYTES) {
        dcsim_diag_set(d, DCSIM_EINPUT, NULL, 0, 0,
                       "the Monte Carlo's bands would keep %u sample steps x %d series x %d "
                       "bins (%.1f GiB, above the limit of %.0f GiB) for %llu runs: use a "
                       "coarser 'sample', a shorter horizon, or fewer runs",
                       mc->rows, N_SERIES, HIST_BINS, hist_bytes / (1 << 30),
                       (double)DCSIM_MC_MAX_BAND_BYTES / (1 << 30), (unsigned long long)o->runs);
        dcsim_mc_free(mc);
        return DCSIM_EINPUT;
    }
    if (ok && mc->exact) {
        mc->vals = malloc(cells * o->runs * sizeof *mc->vals + 1);
        ok = mc->vals != NULL;
    } else if (ok) {
        mc_hist_bounds(mc);
        mc->hist = calloc(cells * HIST_BINS + 1, sizeof *mc->hist);
        mc->sums = calloc(cells + 1, sizeof *mc->sums);
        ok = mc->hist && mc->sums;
    }
    if (!ok) {
        dcsim_mc_free(mc);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0,
                              "out of memory for %llu runs", (unsigned long long)o->runs);
    }
    for (uint32_t r = 0; r < mc->rows; r++)
        mc->row_time[r] = (int64_t)r * sc->sample_s;
    *out = mc;
    return DCSIM_OK;
}

dcsim_status dcsim_mc_run_range(dcsim_mc *mc, uint64_t first, uint64_t count, dcsim_diag *d)
{
    if (first > mc->o.runs || count > mc->o.runs - first)
        return dcsim_diag_set(d, DCSIM_EINPUT, NULL, 0, 0,
                              "%llu replications from %llu go beyond the %llu runs",
                              (unsigned long long)count, (unsigned long long)first,
                              (unsigned long long)mc->o.runs);
    uint64_t got =
        count && !mc->failed ? mc_run_pool(mc, first, count, replicate, NULL, "runs") : 0;
    if (first + got > mc->span)
        mc->span = first + got;
    if (mc->failed)
        return dcsim_diag_set(d, mc->fail_status, NULL, 0, 0, "%s", mc->fail_msg);
    if (got < count)
        return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                              "stopped after %llu of replications %llu .. %llu",
                              (unsigned long long)got, (unsigned long long)first,
                              (unsigned long long)(first + count - 1));
    return DCSIM_OK;
}

dcsim_status dcsim_mc_finish(dcsim_mc *mc, dcsim_diag *d)
{
    if (mc->failed)
        return dcsim_diag_set(d, mc->fail_status, NULL, 0, 0, "%s", mc->fail_msg);
    if (mc->filled != mc->o.runs)
        return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                              "%llu of %llu replications have results",
                              (unsigned long long)mc->filled, (unsigned long long)mc->o.runs);
    mc->n = mc->o.runs;
    return reduce(mc, d);
}

dcsim_status dcsim_mc_run(const dcsim_scenario *sc, const dcsim_mc_opts *o, dcsim_mc **out,
                          dcsim_diag *d)
{
    dcsim_mc *mc = NULL;
    dcsim_status st = dcsim_mc_begin(sc, o, &mc, d);
    if (st)
        return st;
    run_replications(mc);
    st = reduce(mc, d);
    if (st) {
        dcsim_mc_free(mc);
        return st;
    }
    *out = mc;
    return DCSIM_OK;
}

void dcsim_mc_free(dcsim_mc *mc)
{
    if (!mc)
        return;
    /* Chains exist up to the highest replication run or unpacked here (span), which in a
     * share of a cluster run is beyond n. */
    uint64_t slots = mc->n > mc->span ? mc->n : mc->span;
    if (mc->flat_chain)
        for (uint64_t k = 0; k < slots * ((size_t)mc->sc->n_milestones + 1); k++)
            if (mc->flat_chain[k])
                free(mc->flat_chain[k]);
    free(mc->flat_time), free(mc->flat_chain), free(mc->flat_power), free(mc->flat_finish);
    free(mc->flat_risk_fired), free(mc->flat_risk_delay), free(mc->flat_slip), free(mc->flat_net);
    free(mc->plan_net);
    for (uint32_t k = 0; k < mc->n_drivers; k++)
        free(mc->drivers[k].name);
    free(mc->drivers), free(mc->crit), free(mc->contrib), free(mc->contrib_usd);
    free(mc->rep), free(mc->row_time), free(mc->vals), free(mc->hist), free(mc->sums);
    free(mc->band);
    pthread_mutex_destroy(&mc->lock);
    free(mc);
}

void dcsim_mc_grade_of(const dcsim_mc *mc, uint32_t ms, dcsim_mc_grade *g)
{
    const dcsim_scenario *sc = mc->sc;
    const dcsim_milestone *m = &sc->milestones[ms];
    uint64_t n = mc->n, reached = 0, on_time = 0, power = 0;
    double *t = malloc((n + 1) * sizeof *t), slip_sum = 0;
    if (!t) {
        memset(g, 0, sizeof *g);
        g->grade = '?';
        return;
    }
    for (uint64_t r = 0; r < n; r++) {
        int64_t x = mc->rep[r].ms_time[ms];
        t[r] = x < 0 ? INFINITY : (double)x;
        if (x >= 0) {
            reached++;
            on_time += x <= m->planned_s;
            slip_sum += (double)(x - m->planned_s) / 86400.0;
        }
        power += mc->rep[r].ms_power[ms];
    }
    gsl_sort(t, 1, n);
    g->p10_s = mc_quantile_inf(t, n, 0.1);
    g->p50_s = mc_quantile_inf(t, n, 0.5);
    g->p80_s = mc_quantile_inf(t, n, 0.8);
    g->p90_s = mc_quantile_inf(t, n, 0.9);
    double at = mc_quantile_inf(t, n, sc->confidence);
    g->slip_at_conf_days = isinf(at) ? INFINITY : (at - (double)m->planned_s) / 86400.0;
    g->mean_slip_days = reached ? slip_sum / (double)reached : NAN;
    g->p_on_time = (double)on_time / (double)n;
    g->p_never = (double)(n - reached) / (double)n;
    g->p_power_limited = (double)power / (double)n;
    g->grade = 'F';
    if (!isinf(g->slip_at_conf_days))
        for (int k = 3; k >= 0; k--)
            if (g->slip_at_conf_days * 86400.0 <= sc->grade_max_s[k] + 1e-6)
                g->grade = (char)('A' + k);
    free(t);
}

uint64_t dcsim_mc_runs(const dcsim_mc *mc)
{
    return mc->n;
}

bool dcsim_mc_partial(const dcsim_mc *mc)
{
    return mc->partial;
}

bool dcsim_mc_stable(const dcsim_mc *mc)
{
    return mc->stable;
}
