/* A piecewise-linear table y(x) over GSL linear interpolation: PUE against ambient
 * temperature, throughput against power cap. Built once at load, then read by every world
 * at once, so evaluation keeps no state (no gsl_interp_accel). */
#ifndef DCSIM_TABLE_H
#define DCSIM_TABLE_H

#include <stddef.h>

#include <gsl/gsl_interp.h>

#include "dcsim/diag.h"

/* x and y belong to the caller and must outlive the table; interp belongs to the table
 * (NULL for a one-point table, which is a constant). */
typedef struct dcsim_table {
    const double *x, *y;
    size_t n;
    gsl_interp *interp;
} dcsim_table;

/* Build t over the n points (x[i], y[i]). Refuses, with DCSIM_EINPUT and a sentence in why,
 * an empty table, values that are not finite and x that does not increase strictly ("x
 * values must increase strictly: point 3 (30) is not above point 2 (35)"; points are
 * counted from 1). The reason is generic; the caller says which table it was. DCSIM_ENOMEM
 * if GSL cannot allocate. On any failure t is left empty, and dcsim_table_fini on it is
 * harmless. */
dcsim_status dcsim_table_init(dcsim_table *t, const double *x, const double *y, size_t n,
                              char *why, size_t why_len);

/* y at `at`, linear between points and clamped to the first and last y outside
 * [x[0], x[n-1]] (no extrapolation). Exact at the points. NaN gives NaN. Safe to call from
 * many threads at once on the same table. */
double dcsim_table_eval(const dcsim_table *t, double at);

/* Free what init allocated (not x and y). */
void dcsim_table_fini(dcsim_table *t);

#endif
