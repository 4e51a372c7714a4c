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
#include "analysis/world_priv.h"


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
    /* Most events reach no milestone: every one reached, or none of the rack kind can move
     * until a rack does (the recorder's own first checks, without the call). */
    if (w->quiet || w->rec.n_reached == w->sc->n_milestones ||
        (w->rec.by_racks && w->model->rack_epoch == w->rec.seen_epoch))
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
    twin_abort(w);              /* a twin still beside it (a run that never finished) */
    model_destroy(w->model);
    free(w->plan_net);
    dcsim_engine_destroy(w->eng);
    dcsim_recorder_fini(&w->rec);
    dcsim_eventlog_fini(&w->log);
    free(w);
}

bool world_all_reached(const dcsim_world *w)
{
    return w->rec.n_reached == w->sc->n_milestones;
}

void dcsim_world_milestones_only(dcsim_world *w)
{
    w->milestones_only = true;
}

dcsim_status dcsim_world_run(dcsim_world *w, dcsim_diag *d)
{
    const dcsim_scenario *sc = w->sc;
    w->twin = twin_of(w);
    if (w->twin == TWIN_RUN) {
        dcsim_status st = twin_start(w, d);
        if (st)
            return st;
    }
    model_begin(w->model);
    /* Conditions that hold before anything happens (a zero threshold) are met at time 0. */
    dcsim_recorder_check(&w->rec, w->model, 0, &w->log);
    if (w->rec.n_reached)
        snapshot(w, 0);
    bool stopped = false;
    for (uint32_t k = 0; k < w->rec.n_rows && !w->model->out_of_memory; k++) {
        int64_t t = (int64_t)k * sc->sample_s;
        if (w->sync && !twin_step(w, t))
            return DCSIM_ERUNTIME;      /* a twin whose run failed: nothing to read */
        dcsim_engine_run_until(w->eng, t);
        if (!w->quiet) {
            model_touch(w->model);  /* the ledger's series are read up to t */
            storage_settle(w->model);
            dcsim_recorder_sample(&w->rec, w->model, t);
        }
        if (w->beside)
            twin_post(w, t);
        if (w->check_steps)
            model_check(w->model);
        if (w->milestones_only && world_all_reached(w)) {
            model_check(w->model);
            return DCSIM_OK;    /* nothing left that the caller asked for */
        }
        if (w->sync && twin_may_stop(w, t)) {
            stopped = true;     /* a twin past every date it is read at */
            break;
        }
    }
    if (w->model->out_of_memory || w->log.out_of_memory) {
        twin_abort(w);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory during the run");
    }
    /* Close the stranded-rack integral at the horizon. */
    if (!stopped) {
        if (w->sync)
            twin_close(w);
        dcsim_engine_run_until(w->eng, sc->horizon_s);
    }
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
    if (w->sync)
        return DCSIM_OK;        /* a twin: its run reads it */
    return twin_finish(w, f.net, d);
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
