/* Monte Carlo: many replications of one scenario on threads, each a separate world with its
 * own streams, reduced to quantile bands of the main series, a grade table per milestone and
 * the drivers of slip. Results are identical for any thread count and any completion order:
 * every replication writes only its own slots, and reductions run in replication order. */
#ifndef DCSIM_MC_H
#define DCSIM_MC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/scenario.h"

/* The bands' histograms (sample steps x 9 series x 2,048 bins x 4 bytes, used once the
 * runs no longer fit the exact budget) may take at most this much; a scenario needing more
 * is refused when the Monte Carlo starts (docs/scenario.md, Limits). */
#define DCSIM_MC_MAX_BAND_BYTES ((size_t)2 << 30)

typedef struct dcsim_mc_opts {
    uint64_t runs;
    unsigned threads;            /* 0: one per online CPU */
    bool progress;               /* draw a progress bar on stderr */
    size_t band_budget_bytes;    /* exact band quantiles while they fit, else histograms */
    uint32_t driver_runs;        /* replications re-run per driver (0: min(runs, 100)) */
    uint32_t max_drivers;        /* drivers whose slip contribution is measured (0: 10): each
                                  * milestone's 3 most critical, then the most critical */
    bool skip_drivers;           /* no slip contributions (sweeps need grades only) */
    bool skip_costs;             /* no planned twins, so no cost of slip (sweeps) */
    uint64_t cost_runs;          /* replications priced against their planned twin, the
                                  * first ones (0: min(runs, 500)); never fewer than the
                                  * drivers re-run. A twin doubles a replication's work. */
    bool until_stable;           /* stop once every milestone's P80 moved < 1 day over the
                                  * last 3 batches of `batch` runs (runs is then the cap) */
    uint32_t batch;              /* 0: 100 */
    const volatile int *stop;    /* when set non-zero (a signal), finish the replications in
                                  * flight and stop; the result is then partial */
} dcsim_mc_opts;

typedef struct dcsim_mc dcsim_mc;

/* Run the replications 0 .. runs-1 of sc and reduce them. sc must outlive the result.
 * Returns DCSIM_OK and *out (free with dcsim_mc_free), or an error in d. */
dcsim_status dcsim_mc_run(const dcsim_scenario *sc, const dcsim_mc_opts *o, dcsim_mc **out,
                          dcsim_diag *d);

/* The same Monte Carlo in steps, so that a cluster can split the replications (the MPI front
 * end, sim/mpi/): every process begins, runs its range, one process gathers the others'
 * results (sim/mpi/mc_pack.h) and finishes. Results are the bytes dcsim_mc_run gives for
 * any split. until_stable is not honoured in steps; stop makes dcsim_mc_run_range fail. */

/* Allocate for o->runs replications and run none. *out is freed with dcsim_mc_free. */
dcsim_status dcsim_mc_begin(const dcsim_scenario *sc, const dcsim_mc_opts *o, dcsim_mc **out,
                            dcsim_diag *d);

/* Run replications first .. first + count - 1 on the threads (o.threads). */
dcsim_status dcsim_mc_run_range(dcsim_mc *mc, uint64_t first, uint64_t count, dcsim_diag *d);

/* Once every replication has results (run here or unpacked): criticality, bands and the
 * driver re-runs, as dcsim_mc_run does. On failure mc is still the caller's to free. */
dcsim_status dcsim_mc_finish(dcsim_mc *mc, dcsim_diag *d);

/* Write runs.csv, bands.csv, milestones.csv, drivers.csv and meta.csv into dir. */
dcsim_status dcsim_mc_write(const dcsim_mc *mc, const char *dir, const char *command_line,
                            dcsim_diag *d);

/* Read-outs, for the command line and tests. */
typedef struct dcsim_mc_grade {
    double p10_s, p50_s, p80_s, p90_s;  /* milestone time quantiles (s from start); INFINITY
                                         * when that share of runs never reached it */
    double slip_at_conf_days;           /* INFINITY when not reached at the confidence */
    double mean_slip_days;              /* over the runs that reached it; NaN if none */
    double p_on_time, p_never, p_power_limited;
    char grade;                         /* 'A'..'D' or 'F' */
} dcsim_mc_grade;
void dcsim_mc_grade_of(const dcsim_mc *mc, uint32_t milestone, dcsim_mc_grade *g);

/* The P10, P50 and P90 of a milestone's cost of slip over the priced runs, in US dollars
 * (NaN without planned twins), and how many runs were priced. */
uint64_t dcsim_mc_cost_runs(const dcsim_mc *mc);
void dcsim_mc_slip_cost(const dcsim_mc *mc, uint32_t milestone, double q[3]);

/* Criticality of driver `name` ("stage:grid.substation") for a milestone, or 0. */
double dcsim_mc_criticality(const dcsim_mc *mc, uint32_t milestone, const char *name);

/* Band of series `name` at sample row: quantile q in {0.1, 0.5, 0.9} or the mean (q < 0). */
double dcsim_mc_band(const dcsim_mc *mc, const char *name, uint32_t row, double q);
/* Whether the bands are exact (true) or from histograms (false), and the histogram bin
 * width of a series (its documented error bound). */
bool dcsim_mc_bands_exact(const dcsim_mc *mc);
double dcsim_mc_band_bin(const dcsim_mc *mc, const char *name);

/* Replications completed, whether a signal cut the run short, and whether --until-stable
 * found the P80s settled. */
uint64_t dcsim_mc_runs(const dcsim_mc *mc);
bool dcsim_mc_partial(const dcsim_mc *mc);
bool dcsim_mc_stable(const dcsim_mc *mc);

void dcsim_mc_free(dcsim_mc *mc);

#endif
