/* The planned twin of a run: the same replication on its planned schedule (every buildout
 * duration at its mean, no stage failing, no risk firing; failures, weather and workload on
 * the same streams), whose ledger is read at the run's milestone dates to price the slip
 * (docs/model.md, Economics). A `dcsim run` starts it beside the run on a second thread: the
 * run posts each sample step's progress and milestone times, the twin never passes the run's
 * progress, and each mark is scheduled in the twin's step that holds its date, so the
 * numbers are the same as when the twin runs after the run (a Monte Carlo's replications). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"
#include "analysis/world_priv.h"

/* What the run tells its twin. */
typedef struct twin_sync {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t frontier;            /* the run handled every event up to here */
    bool done;                   /* the run is over: every date below is known */
    bool abort;                  /* the run failed: the twin stops */
    int64_t *at;                 /* per milestone: its date in the run (the horizon when not
                                  * reached), -1 until known */
    bool *scheduled;             /* per milestone: the twin's mark is scheduled (twin's) */
    int64_t last;                /* the latest date, once done */
} twin_sync;

/* The twin running beside the run. */
typedef struct twin_beside {
    dcsim_world *p;
    pthread_t thread;
    dcsim_status status;
    dcsim_diag d;
} twin_beside;

static twin_sync *sync_create(uint32_t n)
{
    twin_sync *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->at = malloc((n + 1) * sizeof *s->at);
    s->scheduled = calloc(n + 1, sizeof *s->scheduled);
    if (!s->at || !s->scheduled) {
        free(s->at), free(s->scheduled), free(s);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++)
        s->at[i] = -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

static void sync_destroy(twin_sync *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->at), free(s->scheduled), free(s);
}

/* Whether the planned schedule is the run's own: every buildout duration fixed (a fixed draw
 * takes nothing from its stream, so the twin would draw the same numbers), no stage that may
 * fail, no risk that may fire. Then the twin is not run: it would be the run again. */
static bool plan_is_run(const dcsim_scenario *sc)
{
    for (uint32_t a = 0; a < sc->n_activities; a++)
        if (!dcsim_dist_is_fixed(&sc->activities[a].duration) || sc->activities[a].fail_prob > 0)
            return false;
    for (uint32_t t = 0; t < sc->n_tranches; t++)
        if (!dcsim_dist_is_fixed(&sc->tranches[t].delay))
            return false;
    for (uint32_t i = 0; i < sc->n_deliveries; i++)
        if (!dcsim_dist_is_fixed(&sc->deliveries[i].slip) ||
            !dcsim_dist_is_fixed(&sc->deliveries[i].commissioning))
            return false;
    for (uint32_t r = 0; r < sc->n_risks; r++)
        if (dcsim_risk_run_probability(&sc->risks[r], sc->risks[r].mitigated) > 0)
            return false;
    return true;
}

twin_kind twin_of(const dcsim_world *w)
{
    if (w->no_plan || w->model->fix_kind >= 0 || w->model->fix_all || w->milestones_only)
        return TWIN_NONE;
    return plan_is_run(w->sc) ? TWIN_SELF : TWIN_RUN;
}

/* The net (USD) per sample row of a run, from its series. */
static void net_series(const dcsim_world *w, double *out)
{
    long cs = dcsim_world_column(w, "stranded_cost_musd"),
         ci = dcsim_world_column(w, "idle_cost_musd"),
         ce = dcsim_world_column(w, "energy_cost_musd"),
         cv = dcsim_world_column(w, "value_delivered_musd");
    for (uint32_t r = 0; r < w->rec.row; r++)
        out[r] = 1e6 * (dcsim_world_value(w, r, cs) + dcsim_world_value(w, r, ci) +
                        dcsim_world_value(w, r, ce) - dcsim_world_value(w, r, cv));
}

/* Keep plan's net series as w's planned one, when w wants it (the drivers' cost in dollars
 * reads it for re-runs that reach a milestone at another date, mc_drivers.c). */
static dcsim_status keep_plan_series(dcsim_world *w, const dcsim_world *plan, dcsim_diag *d)
{
    if (!w->plan_series)
        return DCSIM_OK;
    w->plan_rows = plan->rec.row;
    w->plan_net = malloc((w->plan_rows + 1) * sizeof *w->plan_net);
    if (!w->plan_net)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    net_series(plan, w->plan_net);
    return DCSIM_OK;
}

/* The run is its own plan: no slip to cost, and its own series stands for the twin's. */
static dcsim_status plan_of_itself(dcsim_world *w, dcsim_diag *d)
{
    for (uint32_t i = 0; i < w->sc->n_milestones; i++) {
        w->rec.ms_slip_usd[i] = 0;
        w->rec.ms_plan_time[i] = w->rec.ms_time[i];
    }
    w->rec.slip_usd = w->rec.job_slip_usd = 0;
    return keep_plan_series(w, w, d);
}

/* A twin of run w, with its sync; NULL (and d set) when out of memory. */
static dcsim_world *twin_create(dcsim_world *w, dcsim_diag *d)
{
    const dcsim_scenario *sc = w->sc;
    dcsim_world *p = NULL;
    if (dcsim_world_create(sc, w->replication, &p, d))
        return NULL;
    p->no_plan = true;
    p->model->fix_all = true;
    p->log.off = true;          /* the twin's events are never written */
    p->quiet = w->quiet_twin;   /* only the marks matter */
    p->to_horizon = w->plan_series;
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        p->need_jobs = p->need_jobs || sc->econ.job_usd_per_day[j] > 0;
    if (!(p->sync = sync_create(sc->n_milestones)) ||
        !ledger_marks(p->model, sc->n_milestones)) {
        dcsim_world_destroy(p);
        dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return p;
}

static void twin_free(dcsim_world *p)
{
    if (!p)
        return;
    sync_destroy(p->sync);
    p->sync = NULL;
    dcsim_world_destroy(p);
}

static void *twin_thread(void *arg)
{
    twin_beside *b = arg;
    dcsim_diag_clear(&b->d);
    b->status = dcsim_world_run(b->p, &b->d);
    return NULL;
}

dcsim_status twin_start(dcsim_world *w, dcsim_diag *d)
{
    if (w->plan_series || w->quiet_twin)
        return DCSIM_OK;        /* a Monte Carlo's: its threads are busy, it runs after */
    twin_beside *b = calloc(1, sizeof *b);
    if (!b)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (!(b->p = twin_create(w, d))) {
        free(b);
        return d->status;
    }
    if (pthread_create(&b->thread, NULL, twin_thread, b) != 0) {
        twin_free(b->p);
        free(b);
        return DCSIM_OK;        /* no thread: the twin runs after the run instead */
    }
    w->beside = b;
    return DCSIM_OK;
}

/* Milestones reached so far go to the sync; unreached ones too (at the horizon) once done. */
static void post_dates(dcsim_world *w, twin_sync *s, bool done)
{
    const dcsim_scenario *sc = w->sc;
    for (uint32_t i = 0; i < sc->n_milestones; i++)
        if (s->at[i] < 0 && (w->rec.ms_time[i] >= 0 || done))
            s->at[i] = w->rec.ms_time[i] >= 0 ? w->rec.ms_time[i] : sc->horizon_s;
    if (done) {
        /* The whole run's cost of slip is read at the last milestone's date (T*): the
         * campus is built in both by then, and what differs after is noise of operation. */
        s->last = sc->n_milestones ? 0 : sc->horizon_s;
        for (uint32_t i = 0; i < sc->n_milestones; i++)
            if (s->at[i] > s->last)
                s->last = s->at[i];
        s->done = true;
    }
}

void twin_post(dcsim_world *w, int64_t t)
{
    twin_sync *s = w->beside->p->sync;
    pthread_mutex_lock(&s->mu);
    post_dates(w, s, false);
    s->frontier = t;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void twin_abort(dcsim_world *w)
{
    twin_beside *b = w->beside;
    if (!b)
        return;
    twin_sync *s = b->p->sync;
    pthread_mutex_lock(&s->mu);
    s->abort = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(b->thread, NULL);
    twin_free(b->p);
    free(b);
    w->beside = NULL;
}

/* Schedule the marks due by t (their dates known) and not yet scheduled. */
static void schedule_marks(dcsim_world *p, twin_sync *s, int64_t t)
{
    for (uint32_t i = 0; i < p->sc->n_milestones; i++)
        if (!s->scheduled[i] && s->at[i] >= 0 && s->at[i] <= t) {
            ledger_mark_at(p->model, i, s->at[i]);
            s->scheduled[i] = true;
        }
    p->sync_done = s->done;
    p->sync_last = s->last;
}

bool twin_step(dcsim_world *p, int64_t t)
{
    twin_sync *s = p->sync;
    pthread_mutex_lock(&s->mu);
    while (!s->done && !s->abort && s->frontier < t)
        pthread_cond_wait(&s->cv, &s->mu);
    bool ok = !s->abort;
    if (ok)
        schedule_marks(p, s, t);
    pthread_mutex_unlock(&s->mu);
    return ok;
}

bool twin_may_stop(const dcsim_world *p, int64_t t)
{
    if (p->to_horizon || !p->sync_done || t < p->sync_last)
        return false;
    if (!p->quiet && !world_all_reached(p))
        return false;
    if (p->need_jobs)
        for (uint32_t j = 0; j < p->sc->n_jobs; j++)
            if (p->sc->econ.job_usd_per_day[j] > 0 && dcsim_world_job_finish(p, j) < 0)
                return false;
    return true;
}

void twin_close(dcsim_world *p)
{
    twin_step(p, p->sc->horizon_s);
}

static double finish_or_horizon(const dcsim_world *w, uint32_t job)
{
    int64_t t = dcsim_world_job_finish(w, job);
    return (double)(t >= 0 ? t : w->sc->horizon_s);
}

/* The slip priced from the finished twin p: per milestone, the run's net at its date less
 * the twin's there; the whole run at the last milestone, with its training runs' lateness. */
static dcsim_status price(dcsim_world *w, dcsim_world *p, double net_end, dcsim_diag *d)
{
    const dcsim_scenario *sc = w->sc;
    uint32_t i_last = 0;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        w->rec.ms_slip_usd[i] = w->rec.ms_net[i] - p->model->led.mark_usd[i];
        w->rec.ms_plan_time[i] = p->rec.ms_time[i];
        if (p->sync->at[i] >= p->sync->at[i_last])
            i_last = i;
    }
    ledger_figures f;
    ledger_read(p->model, &f);
    double late = 0;
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        if (sc->econ.job_usd_per_day[j] > 0)
            late += sc->econ.job_usd_per_day[j] *
                    (finish_or_horizon(w, j) - finish_or_horizon(p, j)) / DCSIM_DAY_S;
    w->rec.job_slip_usd = late;
    w->rec.slip_usd = (sc->n_milestones ? w->rec.ms_slip_usd[i_last] : net_end - f.net) + late;
    return keep_plan_series(w, p, d);
}

dcsim_status twin_finish(dcsim_world *w, double net_end, dcsim_diag *d)
{
    if (w->twin != TWIN_RUN)
        return w->twin == TWIN_SELF ? plan_of_itself(w, d) : DCSIM_OK;
    double t0 = dcsim_wall_s();
    dcsim_world *p;
    dcsim_status st = DCSIM_OK;
    twin_beside *b = w->beside;
    if (b) {
        /* Beside: the last dates go over, then the twin is waited for. */
        twin_sync *s = b->p->sync;
        pthread_mutex_lock(&s->mu);
        post_dates(w, s, true);
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(b->thread, NULL);
        p = b->p;
        if (b->status) {
            st = b->status;
            *d = b->d;
        }
        free(b);
        w->beside = NULL;
    } else {
        /* After: every date is known before it starts. */
        if (!(p = twin_create(w, d)))
            return d->status;
        post_dates(w, p->sync, true);
        st = dcsim_world_run(p, d);
    }
    if (!st)
        st = price(w, p, net_end, d);
    twin_free(p);
    w->plan_wall_s = dcsim_wall_s() - t0;
    return st;
}
