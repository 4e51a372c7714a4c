/* One replication: an engine, the campus model and its recorder, run from the scenario's
 * start to its horizon. The world is the unit the Monte Carlo runner multiplies; it shares
 * nothing mutable with other worlds. */
#include "dcsim/world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/engine.h"
#include "dcsim/units.h"
#include "dcsim/eventlog.h"
#include "model/model.h"
#include "record/recorder.h"

struct dcsim_world {
    const dcsim_scenario *sc;
    uint64_t replication;
    dcsim_engine *eng;
    dcsim_model *model;
    dcsim_eventlog log;
    dcsim_recorder rec;
    bool milestones_only;       /* stop once every milestone is reached */
    bool check_steps;           /* model_check after every sample step, not just at the end */
    bool no_plan;               /* no planned twin (the twin itself, re-runs, sweeps) */
    bool plan_series;           /* the twin runs to the horizon and keeps its net series */
    double *plan_net;           /* per row: the planned twin's net (USD), once it ran */
    uint32_t plan_rows;
    /* A twin may stop early: at the first sample step at or after stop_after (-1: never)
     * once its jobs are done (need_jobs) and its milestones reached (unless quiet). Quiet:
     * no milestones tracked and no series sampled, only the ledger's marks are read. */
    int64_t stop_after;
    bool need_jobs, quiet;
    bool quiet_twin;            /* this run's twin is to be quiet */
    double plan_wall_s;         /* wall-clock seconds its twin took */
};

/* The ledger's figures now: the model is brought up to now first (touching splits an
 * interval in two and changes nothing else). */
static void read_now(dcsim_world *w, ledger_figures *f)
{
    model_touch(w->model);
    storage_settle(w->model);
    ledger_read(w->model, f);
}

/* Milestones just reached: keep the ledger's net at their time, for the cost of slip. */
static void snapshot(dcsim_world *w, int64_t now)
{
    ledger_figures f;
    read_now(w, &f);
    for (uint32_t i = 0; i < w->sc->n_milestones; i++)
        if (w->rec.ms_time[i] == now && isnan(w->rec.ms_net[i]))
            w->rec.ms_net[i] = f.net;
}

/* Conservation is checked at the end of every run; after every sample step too in debug
 * builds (-DDCSIM_DEBUG: make asan, make ubsan) and when DCSIM_INVARIANTS is set to
 * anything but 0 (make test sets it). */
static bool check_every_step(void)
{
#ifdef DCSIM_DEBUG
    return true;
#else
    const char *e = getenv("DCSIM_INVARIANTS");
    return e && *e && strcmp(e, "0") != 0;
#endif
}

/* Every event goes to the model; milestones are checked right after, so their dates are
 * exact to the second rather than rounded to a sample step. */
static void on_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    dcsim_world *w = ctx;
    model_handle(w->model, ev);
    if (w->quiet)
        return;
    uint32_t before = w->rec.n_reached;
    dcsim_recorder_check(&w->rec, w->model, dcsim_engine_now(e), &w->log);
    if (w->rec.n_reached != before)
        snapshot(w, dcsim_engine_now(e));
}

dcsim_status dcsim_world_create(const dcsim_scenario *sc, uint64_t replication,
                                dcsim_world **out, dcsim_diag *d)
{
    *out = NULL;
    dcsim_world *w = calloc(1, sizeof *w);
    if (!w)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    w->sc = sc;
    w->replication = replication;
    w->stop_after = -1;
    w->check_steps = check_every_step();
    dcsim_eventlog_init(&w->log);
    /* Pending events: at most one arrival per delivery, one install per building, one
     * commissioning per rack, plus activities and tranches. */
    size_t hint = (size_t)sc->n_racks + sc->n_activities + sc->n_tranches + 16;
    w->eng = dcsim_engine_create(on_event, w, hint, 0);
    /* Events more than 2^16 s (18 h) ahead wait in the engine's calendar (most of them are
     * racks' next failures, weeks out): 18 h of a 90,000-rack fleet are ~5,000 events. */
    if (w->eng && dcsim_engine_set_calendar(w->eng, 16) == DCSIM_OK)
        w->model = model_create(sc, replication, w->eng, &w->log);
    if (!w->eng || !w->model || dcsim_recorder_init(&w->rec, sc) != DCSIM_OK) {
        dcsim_world_destroy(w);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0,
                              "out of memory while setting up the simulation (%u racks)",
                              sc->n_racks);
    }
    *out = w;
    return DCSIM_OK;
}

void dcsim_world_destroy(dcsim_world *w)
{
    if (!w)
        return;
    model_destroy(w->model);
    free(w->plan_net);
    dcsim_engine_destroy(w->eng);
    dcsim_recorder_fini(&w->rec);
    dcsim_eventlog_fini(&w->log);
    free(w);
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

static bool all_reached(const dcsim_world *w)
{
    return w->rec.n_reached == w->sc->n_milestones;
}

void dcsim_world_milestones_only(dcsim_world *w)
{
    w->milestones_only = true;
}

static double finish_or_horizon(const dcsim_world *w, uint32_t job)
{
    int64_t t = dcsim_world_job_finish(w, job);
    return (double)(t >= 0 ? t : w->sc->horizon_s);
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

/* The run is its own plan: no slip to cost, and its own series stands for the twin's. */
static dcsim_status plan_of_itself(dcsim_world *w, dcsim_diag *d)
{
    for (uint32_t i = 0; i < w->sc->n_milestones; i++) {
        w->rec.ms_slip_usd[i] = 0;
        w->rec.ms_plan_time[i] = w->rec.ms_time[i];
    }
    w->rec.slip_usd = w->rec.job_slip_usd = 0;
    if (!w->plan_series)
        return DCSIM_OK;
    w->plan_rows = w->rec.row;
    w->plan_net = malloc((w->plan_rows + 1) * sizeof *w->plan_net);
    if (!w->plan_net)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    net_series(w, w->plan_net);
    return DCSIM_OK;
}

/* Whether every job worth something a day has finished (or the twin can stop regardless). */
static bool jobs_done(const dcsim_world *w)
{
    if (!w->need_jobs)
        return true;
    for (uint32_t j = 0; j < w->sc->n_jobs; j++)
        if (w->sc->econ.job_usd_per_day[j] > 0 && dcsim_world_job_finish(w, j) < 0)
            return false;
    return true;
}

/* The cost of slip: the same replication run again on the planned schedule (every buildout
 * duration at its mean, no stage failing, no risk firing; failures, weather and workload on
 * the same streams), its ledger read at this run's milestone dates (docs/model.md). The twin
 * stops once past the last of them, its jobs done, unless its series is wanted. */
static dcsim_status run_plan(dcsim_world *w, double net_end, dcsim_diag *d)
{
    const dcsim_scenario *sc = w->sc;
    dcsim_world *p = NULL;
    int64_t *at = malloc((sc->n_milestones + 1) * sizeof *at);
    if (!at || dcsim_world_create(sc, w->replication, &p, d)) {
        free(at);
        return at ? d->status : dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->no_plan = true;
    p->model->fix_all = true;
    p->log.off = true;          /* the twin's events are never written */
    /* The whole run's cost of slip is read at the last milestone's date (T*): the campus is
     * built in both by then, and what differs after is noise of operation. */
    int64_t last = sc->n_milestones ? 0 : sc->horizon_s;
    uint32_t i_last = 0;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        at[i] = w->rec.ms_time[i] >= 0 ? w->rec.ms_time[i] : sc->horizon_s;
        if (at[i] >= last)
            last = at[i], i_last = i;
    }
    if (!w->plan_series) {
        p->stop_after = last;
        p->quiet = w->quiet_twin;   /* only the marks matter */
        for (uint32_t j = 0; j < sc->n_jobs; j++)
            p->need_jobs = p->need_jobs || sc->econ.job_usd_per_day[j] > 0;
    }
    dcsim_status st = ledger_marks(p->model, at, sc->n_milestones)
                          ? dcsim_world_run(p, d)
                          : dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    free(at);
    if (st) {
        dcsim_world_destroy(p);
        return st;
    }
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        w->rec.ms_slip_usd[i] = w->rec.ms_net[i] - p->model->led.mark_usd[i];
        w->rec.ms_plan_time[i] = p->rec.ms_time[i];
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
    if (!w->plan_series) {
        dcsim_world_destroy(p);
        return DCSIM_OK;
    }
    /* The twin's net per sample row, for re-runs that reach a milestone at another date
     * (the drivers' cost in dollars, mc_drivers.c). */
    w->plan_rows = p->rec.row;
    w->plan_net = malloc((w->plan_rows + 1) * sizeof *w->plan_net);
    if (!w->plan_net) {
        dcsim_world_destroy(p);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    net_series(p, w->plan_net);
    dcsim_world_destroy(p);
    return DCSIM_OK;
}

dcsim_status dcsim_world_run(dcsim_world *w, dcsim_diag *d)
{
    const dcsim_scenario *sc = w->sc;
    model_begin(w->model);
    /* Conditions that hold before anything happens (a zero threshold) are met at time 0. */
    dcsim_recorder_check(&w->rec, w->model, 0, &w->log);
    if (w->rec.n_reached)
        snapshot(w, 0);
    bool stopped = false;
    for (uint32_t k = 0; k < w->rec.n_rows && !w->model->out_of_memory; k++) {
        int64_t t = (int64_t)k * sc->sample_s;
        dcsim_engine_run_until(w->eng, t);
        if (!w->quiet) {
            model_touch(w->model);  /* the ledger's series are read up to t */
            storage_settle(w->model);
            dcsim_recorder_sample(&w->rec, w->model, t);
        }
        if (w->check_steps)
            model_check(w->model);
        if (w->milestones_only && all_reached(w)) {
            model_check(w->model);
            return DCSIM_OK;    /* nothing left that the caller asked for */
        }
        if (w->stop_after >= 0 && t >= w->stop_after && jobs_done(w) &&
            (w->quiet || all_reached(w))) {
            stopped = true;     /* a twin past every date it is read at */
            break;
        }
    }
    if (w->model->out_of_memory || w->log.out_of_memory)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory during the run");
    /* Close the stranded-rack integral at the horizon. */
    if (!stopped)
        dcsim_engine_run_until(w->eng, sc->horizon_s);
    storage_settle(w->model);
    model_touch(w->model);
    model_check(w->model);
    ledger_figures f;
    ledger_read(w->model, &f);
    for (uint32_t i = 0; i < sc->n_milestones; i++)
        if (isnan(w->rec.ms_net[i]))
            w->rec.ms_net[i] = f.net;   /* not reached: its slip is costed to the horizon */
    for (uint32_t k = 0; k < w->model->led.n_marks; k++)
        if (isnan(w->model->led.mark_usd[k]))
            w->model->led.mark_usd[k] = f.net;
    if (w->no_plan || w->model->fix_kind >= 0 || w->model->fix_all)
        return DCSIM_OK;
    if (plan_is_run(sc))
        return plan_of_itself(w, d);
    double t0 = dcsim_wall_s();
    dcsim_status st = run_plan(w, f.net, d);
    w->plan_wall_s = dcsim_wall_s() - t0;
    return st;
}

dcsim_status dcsim_world_write(const dcsim_world *w, const char *dir, const char *command_line,
                               dcsim_diag *d)
{
    return dcsim_recorder_write(&w->rec, w->model, &w->log, dcsim_engine_handled(w->eng),
                                w->replication, dir, command_line, d);
}

int64_t dcsim_world_milestone_time(const dcsim_world *w, uint32_t milestone)
{
    return milestone < w->sc->n_milestones ? w->rec.ms_time[milestone] : -1;
}

uint64_t dcsim_world_events_handled(const dcsim_world *w)
{
    return dcsim_engine_handled(w->eng);
}

const char *dcsim_world_milestone_cause(const dcsim_world *w, uint32_t milestone)
{
    if (milestone >= w->sc->n_milestones || w->rec.ms_time[milestone] < 0)
        return "";
    return w->rec.ms_cause[milestone];
}

const char *dcsim_world_milestone_path(const dcsim_world *w, uint32_t milestone)
{
    if (milestone >= w->sc->n_milestones || w->rec.ms_time[milestone] < 0)
        return "";
    return w->rec.ms_path[milestone];
}

void dcsim_world_fix(dcsim_world *w, dcsim_driver_kind kind, uint32_t index)
{
    w->model->fix_kind = (int)kind;
    w->model->fix_index = index;
}

uint32_t dcsim_world_rows(const dcsim_world *w)
{
    return w->rec.row;
}

long dcsim_world_column(const dcsim_world *w, const char *name)
{
    for (uint32_t c = 0; c < w->rec.n_cols; c++)
        if (strcmp(w->rec.col_names[c], name) == 0)
            return (long)c;
    return -1;
}

double dcsim_world_value(const dcsim_world *w, uint32_t row, long column)
{
    if (row >= w->rec.row || column < 0 || (uint32_t)column >= w->rec.n_cols)
        return NAN;
    return w->rec.data[(size_t)row * w->rec.n_cols + (size_t)column];
}

void dcsim_world_totals(const dcsim_world *w, dcsim_run_totals *t)
{
    const dcsim_model *m = w->model;
    t->stranded_rack_days = m->stranded_rack_s / 86400.0;
    t->facility_mwh = m->facility_j / 3.6e9;
    ledger_figures f;
    ledger_read(m, &f);
    t->capex_musd = f.capex / 1e6;
    t->stranded_cost_musd = f.stranded / 1e6;
    t->energy_cost_musd = f.energy / 1e6;
    t->value_delivered_musd = f.value / 1e6;
    t->slip_cost_musd = w->rec.slip_usd / 1e6;
    t->gpu_hours_busy = m->gpu_busy_s / 3600.0;
    t->train_pflop = workload_flop_done(m) / 1e15;
    t->goodput = m->sc->n_jobs ? workload_goodput(m) : NAN;
}

int64_t dcsim_world_job_finish(const dcsim_world *w, uint32_t job)
{
    if (job >= w->sc->n_jobs)
        return -1;
    dcsim_job_report r;
    workload_job_row(w->model, job, &r);
    return r.finished;
}

bool dcsim_world_risk_fired(const dcsim_world *w, uint32_t risk)
{
    DCSIM_ASSERT(risk < w->sc->n_risks);
    return w->model->risk_fired[risk];
}

int64_t dcsim_world_risk_delay_s(const dcsim_world *w, uint32_t risk)
{
    DCSIM_ASSERT(risk < w->sc->n_risks);
    return w->model->risk_delay_s[risk];
}

void dcsim_world_no_plan(dcsim_world *w)
{
    w->no_plan = true;
}

double dcsim_world_slip_cost(const dcsim_world *w, uint32_t milestone)
{
    return milestone < w->sc->n_milestones ? w->rec.ms_slip_usd[milestone] : NAN;
}

double dcsim_world_milestone_net(const dcsim_world *w, uint32_t milestone)
{
    return milestone < w->sc->n_milestones ? w->rec.ms_net[milestone] : NAN;
}

const double *dcsim_world_plan_net(const dcsim_world *w, uint32_t *rows)
{
    *rows = w->plan_rows;
    return w->plan_net;
}

void dcsim_world_plan_series(dcsim_world *w)
{
    w->plan_series = true;
}

void dcsim_world_quiet_plan(dcsim_world *w)
{
    w->quiet_twin = true;
}

void dcsim_world_no_events(dcsim_world *w)
{
    w->log.off = true;
}

double dcsim_world_plan_seconds(const dcsim_world *w)
{
    return w->plan_wall_s;
}
