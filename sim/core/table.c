/* Piecewise-linear tables (see include/dcsim/table.h). GSL does the interpolation; this file
 * checks the points a user wrote and keeps every query inside the table, because
 * gsl_interp_eval outside [x0, xn-1] calls the GSL error handler (abort by default). */
#include "dcsim/table.h"

#include <math.h>

#include <gsl/gsl_errno.h>

static void clear(dcsim_table *t)
{
    t->x = NULL;
    t->y = NULL;
    t->n = 0;
    t->interp = NULL;
}

dcsim_status dcsim_table_init(dcsim_table *t, const double *x, const double *y, size_t n,
                              char *why, size_t why_len)
{
    DCSIM_ASSERT(t != NULL);
    clear(t);
    if (n == 0) {
        dcsim_refuse(why, why_len, "the table has no points");
        return DCSIM_EINPUT;
    }
    DCSIM_ASSERT(x != NULL && y != NULL);
    /* Points are counted from 1 in reasons: that is how a person counts a YAML list. */
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            dcsim_refuse(why, why_len, "point %zu: x (%g) is not a finite number", i + 1, x[i]);
            return DCSIM_EINPUT;
        }
        if (!isfinite(y[i])) {
            dcsim_refuse(why, why_len, "point %zu: y (%g) is not a finite number", i + 1, y[i]);
            return DCSIM_EINPUT;
        }
        /* Strictly: two points at one x would make the table a step, which linear
         * interpolation cannot represent (GSL refuses it too). */
        if (i > 0 && !(x[i] > x[i - 1])) {
            dcsim_refuse(why, why_len,
                         "x values must increase strictly: point %zu (%g) is not above "
                         "point %zu (%g)", i + 1, x[i], i, x[i - 1]);
            return DCSIM_EINPUT;
        }
    }
    if (n >= 2) {
        /* gsl_interp_alloc reports a failed malloc through the GSL error handler; with the
         * handler off (the application's choice) it returns NULL, which lands here. */
        gsl_interp *g = gsl_interp_alloc(gsl_interp_linear, n);
        if (!g) {
            dcsim_refuse(why, why_len, "out of memory for a table of %zu points", n);
            return DCSIM_ENOMEM;
        }
        int rc = gsl_interp_init(g, x, y, n);
        if (rc != GSL_SUCCESS) {
            /* The points were checked above, so only a GSL surprise can get here. */
            dcsim_refuse(why, why_len, "GSL refused the table: %s", gsl_strerror(rc));
            gsl_interp_free(g);
            return DCSIM_ERUNTIME;
        }
        t->interp = g;
    }
    t->x = x;
    t->y = y;
    t->n = n;
    return DCSIM_OK;
}

double dcsim_table_eval(const dcsim_table *t, double at)
{
    DCSIM_ASSERT(t != NULL && t->n > 0);
    /* NaN compares false with everything below and would reach GSL's search. */
    if (isnan(at))
        return at;
    /* Clamping here also makes the ends exact: GSL computes y at x[n-1] as
     * y[n-2] + 1 * (y[n-1] - y[n-2]), which may differ from y[n-1] in the last bit. */
    if (t->n == 1 || at <= t->x[0])
        return t->y[0];
    if (at >= t->x[t->n - 1])
        return t->y[t->n - 1];
    /* A NULL accelerator makes GSL bisect on every call: O(log n) instead of the cached
     * interval's O(1), but nothing is written, so worlds on threads can share the table. */
    return gsl_interp_eval(t->interp, t->x, t->y, at, NULL);
}

void dcsim_table_fini(dcsim_table *t)
{
    if (!t)
        return;
    if (t->interp)
        gsl_interp_free(t->interp);
    clear(t);
}
