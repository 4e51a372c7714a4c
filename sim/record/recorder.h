/* The recorder of one replication: the sampler (model metrics every sample step, kept as
 * rows of numbers), the milestone tracker (the first time each condition holds, exact to the
 * second, with its cause and critical path), and the writers of the run's CSV files. */
#ifndef DCSIM_RECORDER_H
#define DCSIM_RECORDER_H

#include <stdint.h>

#include "dcsim/csv.h"
#include "dcsim/diag.h"
#include "dcsim/eventlog.h"
#include "dcsim/scenario.h"
#include "model/model.h"

typedef struct dcsim_recorder {
    const dcsim_scenario *sc;
    uint32_t n_rows, n_cols, row;
    int64_t *time_s;             /* per row */
    double *data;                /* n_rows x n_cols, row-major */
    char **col_names;            /* owned */
    int64_t *ms_time;            /* per milestone, -1 until reached */
    uint32_t n_reached;          /* milestones with ms_time >= 0 */
    bool by_racks;               /* every milestone counts racks, GPUs or energized IT */
    uint64_t seen_epoch;         /* the model's rack_epoch at the last check */
    char (*ms_cause)[96];
    char (*ms_path)[512];
    /* economics: the ledger's net (USD) when each milestone was reached (at the horizon when
     * not), and, once the planned twin ran (world.c), the cost of slip: per milestone, the
     * whole run's, and the training runs' lateness (NaN until then) */
    double *ms_net;
    double *ms_slip_usd;
    int64_t *ms_plan_time;       /* per milestone: the planned twin's date, -1 if none */
    double slip_usd, job_slip_usd;
} dcsim_recorder;

/* Caller-owned recorder sized for sc. DCSIM_ENOMEM when allocation fails (then fini is still
 * safe). */
dcsim_status dcsim_recorder_init(dcsim_recorder *rec, const dcsim_scenario *sc);
void dcsim_recorder_fini(dcsim_recorder *rec);

/* Record the model's state as the next row, at time t. */
void dcsim_recorder_sample(dcsim_recorder *rec, const dcsim_model *m, int64_t t);

/* After any event: mark milestones whose condition now holds for the first time. */
void dcsim_recorder_check(dcsim_recorder *rec, const dcsim_model *m, int64_t now,
                          dcsim_eventlog *log);

/* Write the five CSV files of a run into dir. */
dcsim_status dcsim_recorder_write(const dcsim_recorder *rec, const dcsim_model *m,
                                  const dcsim_eventlog *log, uint64_t events_handled,
                                  uint64_t replication, const char *dir,
                                  const char *command_line, dcsim_diag *d);

/* A time (seconds from the start) as its ISO date in one field. */
void recorder_date_field(dcsim_csvw *w, const dcsim_scenario *sc, int64_t t);

/* jobs.csv and activities.csv (tables.c). */
dcsim_status recorder_write_jobs(const dcsim_recorder *rec, const dcsim_model *m,
                                 const char *dir, dcsim_diag *d);
dcsim_status recorder_write_activities(const dcsim_recorder *rec, const dcsim_model *m,
                                       const char *dir, dcsim_diag *d);

/* One "metric,value,unit" row of summary.csv. */
void recorder_metric_row(dcsim_csvw *w, const char *metric, double v, int decimals,
                         const char *unit);

/* The cost block of summary.csv (costs.c): capital, carrying costs, energy by source, value
 * delivered and lost, unit economics and the cost of slip. */
void costs_summary_rows(dcsim_csvw *w, const dcsim_recorder *rec, const dcsim_model *m);

/* The rows every meta.csv of one scenario starts with (run, mc): the header, the version,
 * `kind`, the scenario's path, name, file hash and seed. */
void dcsim_meta_head(dcsim_csvw *w, const char *kind, const dcsim_scenario *sc);

#endif
