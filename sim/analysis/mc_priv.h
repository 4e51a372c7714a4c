/* Private to the Monte Carlo: the state shared by the runner (mc.c), the drivers of slip
 * (mc_drivers.c), the writers (mc_write.c) and the wire format of a cluster run's share
 * (sim/mpi/mc_pack.c). */
#ifndef DCSIM_MC_PRIV_H
#define DCSIM_MC_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/mc.h"
#include "dcsim/world.h"

#define N_SERIES 9
/* The series banded in bands.csv, in column order. */
extern const char *const mc_series_names[N_SERIES];

/* Histogram estimator: this many fixed bins per series and step over [0, max]. The quantile
 * read from it is within one bin width of the exact one (docs/model.md). */
#define HIST_BINS 2048
/* Means in histogram mode are sums of values in thousandths, kept as integers so that the
 * order threads add them in cannot change a bit. */
#define MEAN_SCALE 1000.0

typedef struct rep_result {
    int64_t *ms_time;            /* per milestone, -1 not reached */
    char **ms_chain;             /* per milestone: elements of its cause chain, '\n'-separated */
    bool *ms_power;
    dcsim_run_totals tot;
    int64_t *job_finish;
    double *ms_slip_usd;         /* per milestone: its cost of slip (NaN without a twin) */
    double *ms_net;              /* per milestone: the run's net (USD) at its date */
    uint8_t *risk_fired;         /* per risk: 1 if it fired */
    int64_t *risk_delay_s;       /* per risk: its delay as drawn (fired or not) */
} rep_result;

typedef struct driver {
    char *name;                  /* "stage:grid.substation" */
    int kind;                    /* dcsim_driver_kind, or -1 when it cannot be fixed */
    uint32_t index;
} driver;

struct dcsim_mc {
    const dcsim_scenario *sc;
    dcsim_mc_opts o;
    uint32_t rows;
    int64_t *row_time;
    rep_result *rep;
    int64_t *flat_time;          /* [rep (n_ms + 1) + ms] */
    char **flat_chain;
    bool *flat_power;
    int64_t *flat_finish;        /* [rep (n_jobs + 1) + job] */
    uint8_t *flat_risk_fired;    /* [rep (n_risks + 1) + risk] */
    int64_t *flat_risk_delay;    /* [rep (n_risks + 1) + risk] */
    double *flat_slip;           /* [rep (n_ms + 1) + ms]: cost of slip, USD */
    double *flat_net;            /* [rep (n_ms + 1) + ms]: net at the milestone, USD */
    double *plan_net;            /* [rep rows + row] for rep < driver_runs: the planned
                                  * twin's net (USD), for the drivers in dollars */
    bool exact;
    float *vals;                 /* exact: [(row N + s) runs + rep] */
    uint32_t *hist;              /* histograms: [(row N + s) BINS + bin] */
    int64_t *sums;               /* histograms: [(row N + s)] in thousandths */
    double hist_max[N_SERIES];
    double *band;                /* [(row N + s) 4]: p10, p50, p90, mean */
    driver *drivers;
    uint32_t n_drivers;
    uint32_t *crit;              /* [ms n_drivers + d]: runs where d was critical */
    uint32_t driver_runs;
    double *contrib;             /* [ms n_drivers + d]: P80 slip change in days, NaN if none */
    double *contrib_usd;         /* [ms n_drivers + d]: change of the cost of slip at the
                                  * confidence, USD, NaN if none */
    uint64_t cost_runs;          /* replications 0 .. cost_runs-1 have a planned twin */
    uint64_t n;                  /* replications completed: 0 .. n-1 (<= o.runs) */
    uint64_t span;               /* slots 0 .. span-1 may hold results (run in a range or
                                  * unpacked), for dcsim_mc_free */
    uint64_t filled;             /* replications with results here, by any means */
    bool partial;                /* stopped by a signal before o.runs */
    bool stable;                 /* until_stable: P80s settled */
    bool failed;
    dcsim_status fail_status;
    char fail_msg[512];         /* the first failure, as the world reported it */
    pthread_mutex_t lock;
};

/* ---- the runner's helpers, for the drivers (mc.c) ---- */

/* The q quantile of n sorted values, where +inf stands for a run that never got there:
 * INFINITY when the quantile falls among those, NaN when n is 0. */
double mc_quantile_inf(double *sorted, size_t n, double q);

/* One task of a pool run: replication or re-run number task. */
typedef void (*mc_task_fn)(dcsim_mc *mc, uint64_t task, void *arg);

/* Run tasks base .. base + n - 1 on mc's threads (a progress bar labelled what when
 * mc->o.progress); returns how many were run (n unless a failure or a signal stopped the
 * handing out). */
uint64_t mc_run_pool(dcsim_mc *mc, uint64_t base, uint64_t n, mc_task_fn fn, void *arg,
                     const char *what);

/* Point replication rep's result at its slots in the flat arrays. */
void mc_rep_slots(dcsim_mc *mc, uint64_t rep);

/* Record a replication's failure; the first one is kept (thread-safe). */
void mc_fail(dcsim_mc *mc, const dcsim_diag *d);

/* ---- the bands (mc_bands.c) ---- */

/* Add replication rep's series to the bands (exact values or histogram counts). */
void mc_record_series(dcsim_mc *mc, uint64_t rep, const dcsim_world *w);
/* Upper bounds of each series for the histograms: nothing can exceed what is built. */
void mc_hist_bounds(dcsim_mc *mc);
/* P10/P50/P90 and the mean of every series at every step (mc->band); false when out of
 * memory. */
bool mc_reduce_bands(dcsim_mc *mc);

/* ---- the economics (mc_costs.c) ---- */

/* Keep replication rep's cost of slip per milestone, and for the first driver_runs
 * replications its planned twin's net series. */
void mc_costs_record(dcsim_mc *mc, uint64_t rep, const dcsim_world *w);

/* The cost of slip, in US dollars, that a re-run of replication rep reaching milestones at
 * times[ms] (-1: not reached, costed at the horizon) with net[ms] shows against the
 * replication's planned twin. */
double mc_costs_rerun_slip(const dcsim_mc *mc, uint64_t rep, int64_t t, double net);

/* The q quantile of n values, NaN ones left out (NaN when none is left); sorts v. */
double mc_quantile_finite(double *v, size_t n, double q);

/* ---- the drivers of slip (mc_drivers.c) ---- */

/* Collect every element of the cause chains of replications 0 .. n-1 into mc->drivers and
 * count, per milestone, the runs in which each was critical (mc->crit); mc->contrib is set
 * to NaN. false when out of memory. */
bool mc_count_criticality(dcsim_mc *mc);

/* Slip contribution (mc->contrib) of the most critical fixable drivers, from re-runs of the
 * first mc->driver_runs replications with each held at plan. false when out of memory; a
 * failed re-run sets mc->failed. */
bool mc_measure_drivers(dcsim_mc *mc);

#endif
