/* The what-if grid ("sweep"): one Monte Carlo per point of a cartesian product of override
 * values ("--vary PATH=V1,V2,..."), all with the same seed and replication indices (common
 * random numbers), so the differences between points are the effect of the change and not of
 * the draws. Keeps only the grade table of each point; writes sweep.csv and meta.csv. */
#ifndef DCSIM_SWEEP_H
#define DCSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/mc.h"

/* Limits: no command line can make a sweep run for ever. */
#define DCSIM_SWEEP_MAX_VALUES 1000u     /* per axis */
#define DCSIM_SWEEP_MAX_POINTS 10000u    /* product over the axes */

/* One axis: a key path and the values it takes, in the order given. When filled by
 * dcsim_sweep_parse_vary, the axis owns path, values and the strings (free with
 * dcsim_sweep_axis_free); an axis built by hand stays the caller's and is only read. */
typedef struct dcsim_sweep_axis {
    const char *path;
    const char **values;
    size_t n;
} dcsim_sweep_axis;

/* Parse "PATH=V1,V2,V3": PATH is everything before the first '=', the values are separated
 * by ','; each value must be non-empty, at least one and at most DCSIM_SWEEP_MAX_VALUES.
 * Values are kept verbatim (no trimming) and checked by the loader, point by point.
 * On error: DCSIM_EINPUT in d with file "--vary", line 1 and the column of the fault
 * (counted in characters), and *axis is left empty. */
dcsim_status dcsim_sweep_parse_vary(const char *arg, dcsim_sweep_axis *axis, dcsim_diag *d);

/* Free what dcsim_sweep_parse_vary allocated and empty the axis. Safe on an empty axis. */
void dcsim_sweep_axis_free(dcsim_sweep_axis *axis);

typedef struct dcsim_sweep dcsim_sweep;

/* Run the grid: every combination of the axes' values, the first axis slowest (point
 * index = sum of value index x product of the later axes' sizes), at most
 * DCSIM_SWEEP_MAX_POINTS points; no axes is one point (the base scenario). Each point loads
 * scenario_path with base_sets, then one "PATH=VALUE" override per axis (so an axis wins
 * over a base set of the same path), and runs dcsim_mc_run with mc_opts. Points must keep
 * the milestones of point 0 (same names, same order). Errors are the loader's or the
 * runner's, with the message prefixed by the point ("point 2 (power.sources.grid.capacity=
 * 600 parsecs): ..."); file, line and column are the loader's. The axes are copied.
 * Returns DCSIM_OK and *out (free with dcsim_sweep_free), or *out NULL and d. */
dcsim_status dcsim_sweep_run(const char *scenario_path, const char *const *base_sets,
                             size_t n_base_sets, bool has_seed, uint64_t seed,
                             const dcsim_sweep_axis *axes, size_t n_axes,
                             const dcsim_mc_opts *mc_opts, dcsim_sweep **out, dcsim_diag *d);

/* Write into dir (which must exist):
 * sweep.csv, one row per point in point order: `point` (0-based), one column per axis named
 *   by its PATH holding the value as given, then per milestone `<ms>_p50`, `<ms>_p80`
 *   (dates; empty when that share of runs never reached it), `<ms>_p80_slip_days` (slip at
 *   the scenario's grading confidence, 0.8 unless set; empty when not reached there),
 *   `<ms>_grade` and `<ms>_p_on_time`;
 * meta.csv (key,value): dcsim_version, kind (sweep), scenario, scenario_fnv1a64 and seed of
 *   point 0, runs, points, axes (their count), axis_1 .. axis_N ("PATH=V1,V2,..."),
 *   command_line. */
dcsim_status dcsim_sweep_write(const dcsim_sweep *sw, const char *dir, const char *command_line,
                               dcsim_diag *d);

/* Read-outs, for the command line and tests. */
size_t dcsim_sweep_points(const dcsim_sweep *sw);
/* The grade of milestone (index in the scenario) at point; asserts both are in range. */
void dcsim_sweep_grade(const dcsim_sweep *sw, size_t point, uint32_t milestone,
                       dcsim_mc_grade *out);

/* Milestones of the sweep (point 0's, by index) and their names. */
uint32_t dcsim_sweep_milestones(const dcsim_sweep *sw);
const char *dcsim_sweep_milestone_name(const dcsim_sweep *sw, uint32_t milestone);
/* The value (as given) axis takes at point. */
const char *dcsim_sweep_value(const dcsim_sweep *sw, size_t point, size_t axis);

/* Free the sweep and its copies of the axes. Safe on NULL. */
void dcsim_sweep_free(dcsim_sweep *sw);

#endif
