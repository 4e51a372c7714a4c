/* Probability distributions a scenario can name, as a table of types chosen by name (the
 * gsl_rng_type pattern). Draws go through GSL. Parameters are plain doubles in SI units. */
#ifndef DCSIM_DIST_H
#define DCSIM_DIST_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#define DCSIM_DIST_MAX_PARAMS 3

/* One distribution family. param[] names the parameters in the order p[] holds them:
 *   fixed       value
 *   uniform     min, max
 *   triangular  min, mode, max
 *   pert        min, mode, max          (beta-PERT, lambda = 4)
 *   normal      mean, sd                (truncated at 0 when the dist is nonneg)
 *   lognormal   mu, sigma               (of ln x; the loader also takes median and p90)
 *   gamma       shape, scale
 *   weibull     shape, scale
 *   exponential mean */
typedef struct dcsim_dist_type {
    const char *name;
    int nparams;
    const char *param[DCSIM_DIST_MAX_PARAMS];
    double (*draw)(const double *p, bool nonneg, gsl_rng *r);
    double (*mean)(const double *p, bool nonneg);
    double (*variance)(const double *p, bool nonneg);
    /* false and a reason when the parameters are impossible (max < min, sd <= 0 ...). */
    bool (*check)(const double *p, bool nonneg, char *why, size_t why_len);
} dcsim_dist_type;

/* A distribution: a type and its parameters. nonneg marks durations and other quantities
 * that can never be negative: normal is then truncated at 0, and check() refuses families
 * whose support reaches below 0 (uniform/triangular/pert with min < 0, fixed < 0). */
typedef struct dcsim_dist {
    const dcsim_dist_type *type;
    double p[DCSIM_DIST_MAX_PARAMS];
    bool nonneg;
} dcsim_dist;

/* The type named `name`, or NULL. */
const dcsim_dist_type *dcsim_dist_type_find(const char *name);

/* All types, NULL-terminated (for did-you-mean suggestions and help text). */
const dcsim_dist_type *const *dcsim_dist_types(void);

/* A fixed distribution (always `value`). */
dcsim_dist dcsim_dist_fixed(double value, bool nonneg);

/* Draw one value. Never negative when d->nonneg. */
double dcsim_dist_draw(const dcsim_dist *d, gsl_rng *r);

/* Analytic mean and variance (for the truncated normal, those of the truncated law). */
double dcsim_dist_mean(const dcsim_dist *d);

/* Whether d is `fixed`: its draw is its value and takes nothing from the stream. */
bool dcsim_dist_is_fixed(const dcsim_dist *d);
double dcsim_dist_variance(const dcsim_dist *d);

/* Parameter check; see dcsim_dist_type.check. */
bool dcsim_dist_check(const dcsim_dist *d, char *why, size_t why_len);

/* Lognormal parameters from a median and a 90th percentile (p90 > median > 0). */
void dcsim_dist_lognormal_from_median_p90(double median, double p90, double *mu,
                                          double *sigma);

#endif
