/* One replication = one world: an engine, the model state (power sources, buildings,
 * deliveries, racks, the power gate) and a recorder. Worlds share only the immutable
 * scenario, so many can run side by side on threads without locks. */
#ifndef DCSIM_WORLD_H
#define DCSIM_WORLD_H

#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/scenario.h"

typedef struct dcsim_world dcsim_world;

/* Build a world for replication `replication` of sc (sc must outlive it). Every random
 * element gets its stream from hash(sc->seed, replication, element name). Returns DCSIM_OK
 * and *out, or DCSIM_ENOMEM. Free with dcsim_world_destroy. */
dcsim_status dcsim_world_create(const dcsim_scenario *sc, uint64_t replication,
                                dcsim_world **out, dcsim_diag *d);
void dcsim_world_destroy(dcsim_world *w);

/* Simulate from the start to the horizon, sampling every sc->sample_s. Returns DCSIM_OK, or
 * DCSIM_ENOMEM if the event heap could not grow. */
dcsim_status dcsim_world_run(dcsim_world *w, dcsim_diag *d);

/* Write timeseries.csv, events.csv, milestones.csv, summary.csv and meta.csv into the existing
 * directory dir. command_line is recorded in meta.csv. */
dcsim_status dcsim_world_write(const dcsim_world *w, const char *dir, const char *command_line,
                               dcsim_diag *d);

/* Results, for tests and analysis. A milestone's simulated time (seconds from the start), or
 * -1 when it was not reached within the horizon. */
int64_t dcsim_world_milestone_time(const dcsim_world *w, uint32_t milestone);
/* Whether risk i fired in the run (after dcsim_world_run), and its delay as drawn (seconds;
 * drawn whether it fired or not). */
bool dcsim_world_risk_fired(const dcsim_world *w, uint32_t risk);
int64_t dcsim_world_risk_delay_s(const dcsim_world *w, uint32_t risk);
uint64_t dcsim_world_events_handled(const dcsim_world *w);

/* What gated the milestone ("power:grid", "delivery:B3-racks"...) and the critical path
 * behind it ("source:grid < stage:grid.substation < equipment:lpt"); "" when not reached. */
const char *dcsim_world_milestone_cause(const dcsim_world *w, uint32_t milestone);
const char *dcsim_world_milestone_path(const dcsim_world *w, uint32_t milestone);

/* Before dcsim_world_run: only the milestone dates matter, so the run may stop as soon as
 * every milestone is reached (series and totals are then cut short). */
void dcsim_world_milestones_only(dcsim_world *w);

/* Before dcsim_world_run: hold one driver at its planned value (every draw of it becomes its
 * distribution's mean). Every other element keeps its own stream, so the run differs from the
 * unfixed one only through this driver (sensitivity by exclusion). */
void dcsim_world_fix(dcsim_world *w, dcsim_driver_kind kind, uint32_t index);

/* The sampled series: rows, a column's index by name (-1 if none) and a value. */
uint32_t dcsim_world_rows(const dcsim_world *w);
long dcsim_world_column(const dcsim_world *w, const char *name);
double dcsim_world_value(const dcsim_world *w, uint32_t row, long column);

/* Totals of a finished run. */
typedef struct dcsim_run_totals {
    double stranded_rack_days;
    double facility_mwh;        /* energy drawn by the facilities */
    double capex_musd;          /* capital deployed by the horizon */
    double stranded_cost_musd;  /* carrying cost of stranded racks */
    double energy_cost_musd;    /* energy and fuel bought, battery cycling */
    double value_delivered_musd;/* GPU-hours delivered, at their value */
    double slip_cost_musd;      /* against the planned schedule; NaN without its twin */
    double gpu_hours_busy;      /* GPU-hours delivered to jobs and inference */
    double train_pflop;
    double goodput;             /* NaN without jobs */
} dcsim_run_totals;
void dcsim_world_totals(const dcsim_world *w, dcsim_run_totals *t);

/* Before dcsim_world_run: no planned twin, so no cost of slip (sweeps, which read grades
 * only). Runs that are fixed or stop at the milestones never have one. */
void dcsim_world_no_plan(dcsim_world *w);

/* Wall-clock seconds dcsim_world_run spent on the planned twin (0 without one): the whole
 * twin when it ran after the run, the wait for it when it ran beside. */
double dcsim_world_plan_seconds(const dcsim_world *w);

/* Before dcsim_world_run: keep no event log (a run whose events.csv is never written). */
void dcsim_world_no_events(dcsim_world *w);

/* Before dcsim_world_run: keep the planned twin's net series (dcsim_world_plan_net), which
 * runs it to the horizon; otherwise it stops after the last milestone's date. With this or
 * the next, the twin runs after the run (a Monte Carlo's threads are busy already), else
 * beside it on a second thread; the numbers are the same. */
void dcsim_world_plan_series(dcsim_world *w);

/* Before dcsim_world_run: the twin need not track its own milestones (plan_date) nor sample
 * its series (a Monte Carlo reads the cost of slip only). */
void dcsim_world_quiet_plan(dcsim_world *w);

/* The cost of slip of a milestone in US dollars (docs/model.md, Economics): the ledger's net
 * (carrying cost + energy - value delivered) at the milestone's date in this run (the horizon
 * when not reached), less the planned twin's at the same date. NaN without a twin. */
double dcsim_world_slip_cost(const dcsim_world *w, uint32_t milestone);
/* This run's net (USD) at the milestone's date (the horizon when not reached). */
double dcsim_world_milestone_net(const dcsim_world *w, uint32_t milestone);
/* The planned twin's net (USD) per sample row (row k at k x sample), or NULL (*rows 0). */
const double *dcsim_world_plan_net(const dcsim_world *w, uint32_t *rows);

/* A job's finish time (seconds from the start), or -1. */
int64_t dcsim_world_job_finish(const dcsim_world *w, uint32_t job);

#endif
