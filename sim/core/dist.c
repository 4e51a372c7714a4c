/* Probability distributions as a constant table of types chosen by name, in the manner of
 * gsl_rng_type. Draws go through GSL's samplers (triangular, which GSL lacks, by its inverse
 * CDF); mean and variance are analytic so reports and tests can compare against them. */
#include "dcsim/dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "dcsim/diag.h"

/* Reasons go through dcsim_refuse (diag.h); why may be NULL for a yes/no answer. */
#define refuse dcsim_refuse

/* Every check starts here: a NaN or infinity would slip past the comparisons below. */
static bool finite_params(const double *p, int n, const char *const *names, char *why,
                          size_t why_len)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(p[i]))
            return refuse(why, why_len, "%s must be a finite number", names[i]);
    return true;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* ---- fixed: value ---- */

static double fixed_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    (void)r;
    return p[0];
}

/* fixed and exponential: the mean is the first parameter. */
static double first_param(const double *p, bool nonneg)
{
    (void)nonneg;
    return p[0];
}

static double zero_variance(const double *p, bool nonneg)
{
    (void)p;
    (void)nonneg;
    return 0.0;
}

static bool fixed_check(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"value"};
    if (!finite_params(p, 1, names, why, why_len))
        return false;
    if (nonneg && p[0] < 0)
        return refuse(why, why_len, "value (%g) must not be negative", p[0]);
    return true;
}

/* ---- shared by uniform, triangular and pert: bounds min .. max (and a mode) ---- */

static bool check_bounds(double lo, double hi, bool nonneg, char *why, size_t why_len)
{
    if (hi < lo)
        return refuse(why, why_len, "max (%g) is below min (%g)", hi, lo);
    if (nonneg && lo < 0)
        return refuse(why, why_len, "min (%g) must not be negative", lo);
    return true;
}

static bool check_min_mode_max(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"min", "mode", "max"};
    if (!finite_params(p, 3, names, why, why_len))
        return false;
    if (!check_bounds(p[0], p[2], nonneg, why, why_len))
        return false;
    if (p[1] < p[0] || p[1] > p[2])
        return refuse(why, why_len, "mode (%g) must lie between min (%g) and max (%g)", p[1],
                      p[0], p[2]);
    return true;
}

/* ---- uniform: min, max ---- */

static double uniform_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    return gsl_ran_flat(r, p[0], p[1]);
}

static double uniform_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return 0.5 * (p[0] + p[1]);
}

static double uniform_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    double w = p[1] - p[0];
    return w * w / 12.0;
}

static bool uniform_check(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"min", "max"};
    return finite_params(p, 2, names, why, why_len)
           && check_bounds(p[0], p[1], nonneg, why, why_len);
}

/* ---- triangular: min, mode, max ---- */

/* Inverse CDF: the CDF is quadratic on each side of the mode, so each side inverts with one
 * square root. The clamp only absorbs rounding in the last bit, so draws stay in [min, max]. */
static double triangular_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    double a = p[0], c = p[1], b = p[2];
    if (b == a)
        return a;
    double u = gsl_rng_uniform(r);
    double x;
    if (u < (c - a) / (b - a))
        x = a + sqrt(u * (b - a) * (c - a));
    else
        x = b - sqrt((1.0 - u) * (b - a) * (b - c));
    return clamp(x, a, b);
}

static double triangular_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return (p[0] + p[1] + p[2]) / 3.0;
}

static double triangular_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    double a = p[0], c = p[1], b = p[2];
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
}

/* ---- pert: min, mode, max (beta-PERT with lambda = 4) ---- */

/* A Beta(alpha, beta) scaled onto [min, max] whose mean is the classic (min + 4 mode + max)/6. */
static double pert_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    double a = p[0], m = p[1], b = p[2];
    if (b == a)
        return a;       /* no width: the Beta shape is undefined, the answer is not */
    double alpha = 1.0 + 4.0 * (m - a) / (b - a);
    double beta = 1.0 + 4.0 * (b - m) / (b - a);
    return clamp(a + (b - a) * gsl_ran_beta(r, alpha, beta), a, b);
}

static double pert_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return (p[0] + 4.0 * p[1] + p[2]) / 6.0;
}

/* Beta variance alpha*beta / ((alpha+beta)^2 (alpha+beta+1)) with alpha + beta = 6, scaled by
 * (max-min)^2; written through the mean it is the textbook (mean-min)(max-mean)/7. */
static double pert_variance(const double *p, bool nonneg)
{
    double mu = pert_mean(p, nonneg);
    return (mu - p[0]) * (p[2] - mu) / 7.0;
}

/* ---- normal: mean, sd (truncated at 0 when nonneg) ---- */

/* GSL's tail sampler draws N(0, sd) conditioned on x >= -mean; shifted by mean that is exactly
 * the normal conditioned on x >= 0, with no pile-up of mass at 0 as clipping would give. */
static double normal_draw(const double *p, bool nonneg, gsl_rng *r)
{
    if (nonneg)
        return p[0] + gsl_ran_gaussian_tail(r, -p[0], p[1]);
    return p[0] + gsl_ran_gaussian(r, p[1]);
}

/* For the normal truncated below at 0: with alpha = -mean/sd and the inverse Mills ratio
 * lambda = phi(alpha) / Q(alpha), the mean is mean + sd*lambda and the variance
 * sd^2 (1 + alpha*lambda - lambda^2). check() keeps mean >= 0, so Q(alpha) >= 1/2 and the
 * ratio is well conditioned. */
static double trunc_lambda(const double *p)
{
    double alpha = -p[0] / p[1];
    return gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
}

static double normal_mean(const double *p, bool nonneg)
{
    if (!nonneg)
        return p[0];
    return p[0] + p[1] * trunc_lambda(p);
}

static double normal_variance(const double *p, bool nonneg)
{
    if (!nonneg)
        return p[1] * p[1];
    double alpha = -p[0] / p[1];
    double lambda = trunc_lambda(p);
    return p[1] * p[1] * (1.0 + alpha * lambda - lambda * lambda);
}

static bool normal_check(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"mean", "sd"};
    if (!finite_params(p, 2, names, why, why_len))
        return false;
    if (p[1] <= 0)
        return refuse(why, why_len, "sd (%g) must be positive", p[1]);
    /* A negative mean for a quantity that cannot be negative is almost surely a typo, and the
     * truncated law would then be mostly its tail; refusing it keeps the meaning plain. */
    if (nonneg && p[0] < 0)
        return refuse(why, why_len, "mean (%g) must not be negative", p[0]);
    return true;
}

/* ---- lognormal: mu, sigma of ln x ---- */

static double lognormal_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    return gsl_ran_lognormal(r, p[0], p[1]);
}

static double lognormal_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return exp(p[0] + 0.5 * p[1] * p[1]);
}

/* (e^{sigma^2} - 1) e^{2 mu + sigma^2}; expm1 keeps small sigma accurate. */
static double lognormal_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    double s2 = p[1] * p[1];
    return expm1(s2) * exp(2.0 * p[0] + s2);
}

static bool lognormal_check(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"mu", "sigma"};
    (void)nonneg;
    if (!finite_params(p, 2, names, why, why_len))
        return false;
    if (p[1] <= 0)
        return refuse(why, why_len, "sigma (%g) must be positive", p[1]);
    return true;
}

/* ---- gamma: shape k, scale theta ---- */

static double gamma_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    return gsl_ran_gamma(r, p[0], p[1]);
}

static double gamma_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return p[0] * p[1];
}

static double gamma_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    return p[0] * p[1] * p[1];
}

/* Shared by gamma and weibull, which both take (shape, scale). */
static bool check_shape_scale(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"shape", "scale"};
    (void)nonneg;
    if (!finite_params(p, 2, names, why, why_len))
        return false;
    if (p[0] <= 0)
        return refuse(why, why_len, "shape (%g) must be positive", p[0]);
    if (p[1] <= 0)
        return refuse(why, why_len, "scale (%g) must be positive", p[1]);
    return true;
}

/* ---- weibull: shape k, scale lambda ---- */

/* GSL's argument order is (scale, shape): gsl_ran_weibull(r, a, b) has density
 * b/a (x/a)^(b-1) exp(-(x/a)^b). */
static double weibull_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    return gsl_ran_weibull(r, p[1], p[0]);
}

/* Gamma(x) overflows a double past GSL_SF_GAMMA_XMAX (171); gsl_sf_gamma would then call
 * the GSL error handler, so a shape small enough to get there has an infinite moment here. */
static double safe_gamma(double x)
{
    return x < GSL_SF_GAMMA_XMAX ? gsl_sf_gamma(x) : HUGE_VAL;
}

static double weibull_mean(const double *p, bool nonneg)
{
    (void)nonneg;
    return p[1] * safe_gamma(1.0 + 1.0 / p[0]);
}

static double weibull_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    double g1 = safe_gamma(1.0 + 1.0 / p[0]);
    double g2 = safe_gamma(1.0 + 2.0 / p[0]);
    return p[1] * p[1] * (g2 - g1 * g1);
}

/* ---- exponential: mean ---- */

static double exponential_draw(const double *p, bool nonneg, gsl_rng *r)
{
    (void)nonneg;
    return gsl_ran_exponential(r, p[0]);
}

static double exponential_variance(const double *p, bool nonneg)
{
    (void)nonneg;
    return p[0] * p[0];
}

static bool exponential_check(const double *p, bool nonneg, char *why, size_t why_len)
{
    static const char *const names[] = {"mean"};
    (void)nonneg;
    if (!finite_params(p, 1, names, why, why_len))
        return false;
    if (p[0] <= 0)
        return refuse(why, why_len, "mean (%g) must be positive", p[0]);
    return true;
}

/* ---- the table ---- */

static const dcsim_dist_type fixed_type = {
    "fixed", 1, {"value"}, fixed_draw, first_param, zero_variance, fixed_check,
};
static const dcsim_dist_type uniform_type = {
    "uniform", 2, {"min", "max"}, uniform_draw, uniform_mean, uniform_variance, uniform_check,
};
static const dcsim_dist_type triangular_type = {
    "triangular", 3, {"min", "mode", "max"}, triangular_draw, triangular_mean,
    triangular_variance, check_min_mode_max,
};
static const dcsim_dist_type pert_type = {
    "pert", 3, {"min", "mode", "max"}, pert_draw, pert_mean, pert_variance, check_min_mode_max,
};
static const dcsim_dist_type normal_type = {
    "normal", 2, {"mean", "sd"}, normal_draw, normal_mean, normal_variance, normal_check,
};
static const dcsim_dist_type lognormal_type = {
    "lognormal", 2, {"mu", "sigma"}, lognormal_draw, lognormal_mean, lognormal_variance,
    lognormal_check,
};
static const dcsim_dist_type gamma_type = {
    "gamma", 2, {"shape", "scale"}, gamma_draw, gamma_mean, gamma_variance, check_shape_scale,
};
static const dcsim_dist_type weibull_type = {
    "weibull", 2, {"shape", "scale"}, weibull_draw, weibull_mean, weibull_variance,
    check_shape_scale,
};
static const dcsim_dist_type exponential_type = {
    "exponential", 1, {"mean"}, exponential_draw, first_param, exponential_variance,
    exponential_check,
};

static const dcsim_dist_type *const all_types[] = {
    &fixed_type, &uniform_type, &triangular_type, &pert_type, &normal_type,
    &lognormal_type, &gamma_type, &weibull_type, &exponential_type, NULL,
};

const dcsim_dist_type *dcsim_dist_type_find(const char *name)
{
    if (!name)
        return NULL;
    for (const dcsim_dist_type *const *t = all_types; *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

const dcsim_dist_type *const *dcsim_dist_types(void)
{
    return all_types;
}

dcsim_dist dcsim_dist_fixed(double value, bool nonneg)
{
    dcsim_dist d = {&fixed_type, {value, 0.0, 0.0}, nonneg};
    return d;
}

double dcsim_dist_draw(const dcsim_dist *d, gsl_rng *r)
{
    DCSIM_ASSERT(d != NULL && d->type != NULL && r != NULL);
    double x = d->type->draw(d->p, d->nonneg, r);
    /* Every nonneg family already draws >= 0; this only catches a last-bit rounding such as
     * mean + tail draw landing at -1e-17, so that callers can rely on the promise. */
    if (d->nonneg && x < 0)
        x = 0;
    return x;
}

bool dcsim_dist_is_fixed(const dcsim_dist *d)
{
    return d->type == &fixed_type;
}

double dcsim_dist_mean(const dcsim_dist *d)
{
    DCSIM_ASSERT(d != NULL && d->type != NULL);
    return d->type->mean(d->p, d->nonneg);
}

double dcsim_dist_variance(const dcsim_dist *d)
{
    DCSIM_ASSERT(d != NULL && d->type != NULL);
    return d->type->variance(d->p, d->nonneg);
}

bool dcsim_dist_check(const dcsim_dist *d, char *why, size_t why_len)
{
    DCSIM_ASSERT(d != NULL && d->type != NULL);
    return d->type->check(d->p, d->nonneg, why, why_len);
}

/* ln x is normal with mean mu and sd sigma, so median = e^mu and p90 = e^(mu + z90 sigma)
 * where z90 = Phi^-1(0.9) (about 1.2816). */
void dcsim_dist_lognormal_from_median_p90(double median, double p90, double *mu,
                                          double *sigma)
{
    DCSIM_ASSERT(median > 0 && p90 > median);   /* the loader refuses anything else */
    *mu = log(median);
    *sigma = (log(p90) - log(median)) / gsl_cdf_ugaussian_Pinv(0.9);
}
