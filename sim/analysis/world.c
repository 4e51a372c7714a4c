/* One replication: an engine, the campus model and its recorder, run from the scenario's
 * start to its horizon. The world is the unit the Monte Carlo runner multiplies; it shares
 * nothing mutable with other worlds. */
#include "dcsim/world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/engine.h"
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
};

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
    dcsim_recorder_check(&w->rec, w->model, dcsim_engine_now(e), &w->log);
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
    model_destroy(w->model);
    dcsim_engine_destroy(w->eng);
    dcsim_recorder_fini(&w->rec);
    dcsim_eventlog_fini(&w->log);
    free(w);
}

static bool all_reached(const dcsim_world *w)
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
    model_begin(w->model);
    /* Conditions that hold before anything happens (a zero threshold) are met at time 0. */
    dcsim_recorder_check(&w->rec, w->model, 0, &w->log);
    for (uint32_t k = 0; k < w->rec.n_rows && !w->model->out_of_memory; k++) {
        int64_t t = (int64_t)k * sc->sample_s;
        dcsim_engine_run_until(w->eng, t);
        dcsim_recorder_sample(&w->rec, w->model, t);
        if (w->check_steps)
            model_check(w->model);
        if (w->milestones_only && all_reached(w)) {
            model_check(w->model);
            return DCSIM_OK;    /* nothing left that the caller asked for */
        }
    }
    if (w->model->out_of_memory || w->log.out_of_memory)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory during the run");
    /* Close the stranded-rack integral at the horizon. */
    dcsim_engine_run_until(w->eng, sc->horizon_s);
    storage_settle(w->model);
    model_touch(w->model);
    model_check(w->model);
    return DCSIM_OK;
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
