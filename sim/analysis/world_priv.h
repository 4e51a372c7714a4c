/* Private to the analysis layer: a world's insides, shared by world.c (the run) and twin.c
 * (its planned twin, which prices the slip). */
#ifndef DCSIM_WORLD_PRIV_H
#define DCSIM_WORLD_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/engine.h"
#include "dcsim/eventlog.h"
#include "dcsim/world.h"
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
    /* A twin stops once past the last date it is read at (sync_last, when sync_done), its
     * valued jobs done (need_jobs) and its milestones reached (unless quiet), unless it runs
     * to the horizon (to_horizon). Quiet: no milestones tracked and no series sampled, only
     * the ledger's marks are read. */
    bool need_jobs, quiet, to_horizon;
    bool sync_done;
    int64_t sync_last;
    bool quiet_twin;            /* this run's twin is to be quiet */
    int twin;                   /* twin_kind, decided when the run starts */
    double plan_wall_s;         /* wall-clock seconds its twin took (serial) */
    /* A twin running beside the run on another thread (twin.c): the run posts its progress
     * and milestone times to sync, the twin reads them (the twin's sync is the run's). */
    struct twin_sync *sync;
    struct twin_beside *beside; /* the run's: the twin and its thread, while it runs */
};

/* ---- world.c ---- */
bool world_all_reached(const dcsim_world *w);

/* ---- twin.c: the planned twin (docs/model.md, Economics) ---- */

/* What prices the run's slip: nothing (a twin, a re-run, a sweep), the run itself (its plan
 * is the run: every buildout draw fixed, no risk), or a twin. */
typedef enum twin_kind { TWIN_NONE, TWIN_SELF, TWIN_RUN } twin_kind;
twin_kind twin_of(const dcsim_world *w);
/* Before the run (twin TWIN_RUN): start its twin on a thread beside it, unless it is a Monte
 * Carlo's (quiet or keeping its series), which runs after it. */
dcsim_status twin_start(dcsim_world *w, dcsim_diag *d);
/* The run handled every event up to t: post its milestones and its progress. */
void twin_post(dcsim_world *w, int64_t t);
/* The run failed: stop and free its twin. */
void twin_abort(dcsim_world *w);
/* The run is over (net_end its net at the horizon): finish the twin (or run it now), and
 * price the slip. */
dcsim_status twin_finish(dcsim_world *w, double net_end, dcsim_diag *d);

/* In the twin's own loop: before its step to t, wait until the run is past t and schedule
 * the marks due by t (false: the run failed); whether it may stop after t; and before its
 * last stretch to the horizon, schedule the rest. */
bool twin_step(dcsim_world *p, int64_t t);
bool twin_may_stop(const dcsim_world *p, int64_t t);
void twin_close(dcsim_world *p);

#endif
