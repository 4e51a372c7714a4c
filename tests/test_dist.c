/* Tests for the distribution table (include/dcsim/dist.h) and the random streams it draws
 * from (include/dcsim/rng.h): analytic moments against hand-worked values, sample moments
 * against the analytic ones, support bounds, stream independence and parameter checks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "dcsim/dist.h"
#include "dcsim/rng.h"

#define N_DRAWS 200000
#define TEST_SEED 20250630u

/* |got - want| <= tol, with the numbers in the failure message. */
#define assert_close(got, want, tol)                                                       \
    do {                                                                                   \
        double g_ = (got), w_ = (want), t_ = (tol);                                        \
        if (!(fabs(g_ - w_) <= t_))                                                        \
            fail_msg("%s = %.17g, expected %.17g within %.3g", #got, g_, w_, t_);          \
    } while (0)

#define assert_why_has(why, needle)                                                        \
    do {                                                                                   \
        if (!strstr((why), (needle)))                                                      \
            fail_msg("reason \"%s\" does not mention \"%s\"", (why), (needle));             \
    } while (0)

static dcsim_dist make(const char *type, double p0, double p1, double p2, bool nonneg)
{
    const dcsim_dist_type *t = dcsim_dist_type_find(type);
    if (!t)
        fail_msg("no distribution type '%s'", type);
    dcsim_dist d = {t, {p0, p1, p2}, nonneg};
    return d;
}

/* N_DRAWS draws of d from the stream named `name`; the caller frees the array. */
static double *draw_many(const dcsim_dist *d, const char *name)
{
    gsl_rng *r = dcsim_stream_alloc(TEST_SEED, 0, name);
    assert_non_null(r);
    double *x = malloc(N_DRAWS * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < N_DRAWS; i++)
        x[i] = dcsim_dist_draw(d, r);
    gsl_rng_free(r);
    return x;
}

/* Sample mean and variance of N_DRAWS draws against the analytic ones. The tolerance is five
 * standard errors: sqrt(var/n) for the mean and sqrt(var^2 (kurt + 2)/n) for the sample
 * variance, from Var(s^2) ~ (mu4 - sigma^4)/n with the excess kurtosis taken from the sample.
 * A correct sampler misses by more than 5 SE with probability under 1e-6, while a wrong
 * parameter order or formula is off by tens of SE at n = 200,000. The seed is fixed, so the
 * result is the same on every run. */
static void check_moments(const char *name, dcsim_dist d)
{
    char why[160] = "";
    if (!dcsim_dist_check(&d, why, sizeof why))
        fail_msg("%s: valid parameters refused: %s", name, why);
    double *x = draw_many(&d, name);
    double mean = dcsim_dist_mean(&d);
    double var = dcsim_dist_variance(&d);
    double m = gsl_stats_mean(x, 1, N_DRAWS);
    double v = gsl_stats_variance(x, 1, N_DRAWS);
    double kurt = var > 0 ? gsl_stats_kurtosis(x, 1, N_DRAWS) : 0.0;
    double tol_mean = 5.0 * sqrt(var / N_DRAWS) + 1e-12 * fabs(mean);
    double tol_var = 5.0 * var * sqrt((kurt + 2.0) / N_DRAWS) + 1e-12;
    free(x);
    if (!(fabs(m - mean) <= tol_mean))
        fail_msg("%s: sample mean %.6g, analytic %.6g, tolerance %.3g", name, m, mean,
                 tol_mean);
    if (!(fabs(v - var) <= tol_var))
        fail_msg("%s: sample variance %.6g, analytic %.6g, tolerance %.3g", name, v, var,
                 tol_var);
}

static void test_sample_moments(void **state)
{
    (void)state;
    check_moments("fixed 7", make("fixed", 7, 0, 0, true));
    check_moments("uniform 2..6", make("uniform", 2, 6, 0, true));
    check_moments("uniform -3..1", make("uniform", -3, 1, 0, false));
    check_moments("triangular 0,1,5", make("triangular", 0, 1, 5, true));
    check_moments("triangular 0,0,5", make("triangular", 0, 0, 5, true));
    check_moments("pert 0,1,5", make("pert", 0, 1, 5, true));
    check_moments("pert 10,10,40", make("pert", 10, 10, 40, true));
    check_moments("normal 3,2", make("normal", 3, 2, 0, false));
    check_moments("truncated normal 0,1", make("normal", 0, 1, 0, true));
    check_moments("truncated normal 1,2", make("normal", 1, 2, 0, true));
    check_moments("lognormal 1,0.5", make("lognormal", 1, 0.5, 0, true));
    check_moments("gamma 2.5,3", make("gamma", 2.5, 3, 0, true));
    check_moments("gamma 0.5,2", make("gamma", 0.5, 2, 0, true));
    check_moments("weibull 1.5,10", make("weibull", 1.5, 10, 0, true));
    check_moments("weibull 0.8,100", make("weibull", 0.8, 100, 0, true));
    check_moments("exponential 3", make("exponential", 3, 0, 0, true));
}

static void test_analytic_moments(void **state)
{
    (void)state;
    dcsim_dist d;

    /* pert 0,1,5: mean (0 + 4*1 + 5)/6 = 1.5; variance (1.5-0)(5-1.5)/7 = 0.75, the same as
     * Beta(1.8, 4.2) scaled by 5: 1.8*4.2 / (36*7) * 25 = 0.75. */
    d = make("pert", 0, 1, 5, true);
    assert_close(dcsim_dist_mean(&d), 1.5, 1e-15);
    assert_close(dcsim_dist_variance(&d), 0.75, 1e-15);

    /* triangular 0,1,5: mean (0+1+5)/3 = 2; variance (0 + 25 + 1 - 0 - 0 - 5)/18 = 7/6. */
    d = make("triangular", 0, 1, 5, true);
    assert_close(dcsim_dist_mean(&d), 2.0, 1e-15);
    assert_close(dcsim_dist_variance(&d), 7.0 / 6.0, 1e-15);

    /* exponential mean 3: variance mean^2 = 9. */
    d = make("exponential", 3, 0, 0, true);
    assert_close(dcsim_dist_mean(&d), 3.0, 0);
    assert_close(dcsim_dist_variance(&d), 9.0, 0);

    /* uniform 2..6: mean 4, variance (6-2)^2/12 = 16/12. */
    d = make("uniform", 2, 6, 0, true);
    assert_close(dcsim_dist_mean(&d), 4.0, 0);
    assert_close(dcsim_dist_variance(&d), 16.0 / 12.0, 1e-15);

    /* weibull shape 1 is the exponential: scale 3 gives 3*Gamma(2) = 3, 9*(Gamma(3) - 1) = 9. */
    d = make("weibull", 1, 3, 0, true);
    assert_close(dcsim_dist_mean(&d), 3.0, 1e-14);
    assert_close(dcsim_dist_variance(&d), 9.0, 1e-13);

    /* weibull shape 2 scale 1 (Rayleigh): mean Gamma(3/2) = sqrt(pi)/2, variance
     * Gamma(2) - Gamma(3/2)^2 = 1 - pi/4; that subtraction loses a few digits, hence 1e-13. */
    d = make("weibull", 2, 1, 0, true);
    assert_close(dcsim_dist_mean(&d), sqrt(M_PI) / 2.0, 1e-15);
    assert_close(dcsim_dist_variance(&d), 1.0 - M_PI / 4.0, 1e-13);

    /* normal 0,1 truncated at 0 is the half-normal: mean sqrt(2/pi), variance 1 - 2/pi. */
    d = make("normal", 0, 1, 0, true);
    assert_close(dcsim_dist_mean(&d), sqrt(2.0 / M_PI), 1e-15);
    assert_close(dcsim_dist_variance(&d), 1.0 - 2.0 / M_PI, 1e-15);

    /* Untruncated normal: the parameters themselves. */
    d = make("normal", -3, 2, 0, false);
    assert_close(dcsim_dist_mean(&d), -3.0, 0);
    assert_close(dcsim_dist_variance(&d), 4.0, 0);

    /* Truncation 50 sd away from the mean changes nothing visible. */
    d = make("normal", 50, 1, 0, true);
    assert_close(dcsim_dist_mean(&d), 50.0, 1e-12);
    assert_close(dcsim_dist_variance(&d), 1.0, 1e-12);

    /* gamma shape 2.5 scale 3: mean k*theta = 7.5, variance k*theta^2 = 22.5. */
    d = make("gamma", 2.5, 3, 0, true);
    assert_close(dcsim_dist_mean(&d), 7.5, 0);
    assert_close(dcsim_dist_variance(&d), 22.5, 0);

    /* lognormal mu 0 sigma 1: mean e^(1/2), variance (e - 1) e. */
    d = make("lognormal", 0, 1, 0, true);
    assert_close(dcsim_dist_mean(&d), exp(0.5), 1e-15);
    assert_close(dcsim_dist_variance(&d), (M_E - 1.0) * M_E, 1e-14);

    /* fixed: the value, no spread. */
    d = dcsim_dist_fixed(7.5, true);
    assert_string_equal(d.type->name, "fixed");
    assert_close(dcsim_dist_mean(&d), 7.5, 0);
    assert_close(dcsim_dist_variance(&d), 0.0, 0);

    /* Zero-width pert and triangular degenerate to their single value. */
    d = make("pert", 4, 4, 4, true);
    assert_close(dcsim_dist_mean(&d), 4.0, 0);
    assert_close(dcsim_dist_variance(&d), 0.0, 0);
}

static void test_degenerate_draws(void **state)
{
    (void)state;
    gsl_rng *r = dcsim_stream_alloc(TEST_SEED, 0, "degenerate");
    assert_non_null(r);
    dcsim_dist pert = make("pert", 4, 4, 4, true);
    dcsim_dist tri = make("triangular", 4, 4, 4, true);
    dcsim_dist uni = make("uniform", 4, 4, 0, true);
    dcsim_dist fix = dcsim_dist_fixed(4, true);
    for (int i = 0; i < 100; i++) {
        assert_true(dcsim_dist_draw(&pert, r) == 4.0);
        assert_true(dcsim_dist_draw(&tri, r) == 4.0);
        assert_true(dcsim_dist_draw(&uni, r) == 4.0);
        assert_true(dcsim_dist_draw(&fix, r) == 4.0);
    }
    gsl_rng_free(r);
}

/* Every draw of d lies in [lo, hi]. */
static void check_support(const char *name, dcsim_dist d, double lo, double hi)
{
    double *x = draw_many(&d, name);
    for (size_t i = 0; i < N_DRAWS; i++)
        if (!(x[i] >= lo && x[i] <= hi)) {
            double bad = x[i];
            free(x);
            fail_msg("%s: draw %zu = %.17g outside [%g, %g]", name, i, bad, lo, hi);
        }
    free(x);
}

static void test_support(void **state)
{
    (void)state;
    check_support("pert 0,1,5", make("pert", 0, 1, 5, true), 0, 5);
    check_support("pert mode at min", make("pert", 2, 2, 9, true), 2, 9);
    check_support("pert mode at max", make("pert", 2, 9, 9, true), 2, 9);
    check_support("pert narrow", make("pert", 1e9, 1e9 + 1, 1e9 + 2, true), 1e9, 1e9 + 2);
    check_support("triangular 0,1,5", make("triangular", 0, 1, 5, true), 0, 5);
    check_support("triangular mode at min", make("triangular", 2, 2, 9, true), 2, 9);
    check_support("triangular mode at max", make("triangular", 2, 9, 9, true), 2, 9);
    check_support("triangular narrow", make("triangular", 0.1, 0.3, 0.7, true), 0.1, 0.7);
    /* A mean near 0 puts half the untruncated mass below 0: none of it may come out. */
    check_support("truncated normal 1e-3,1", make("normal", 1e-3, 1, 0, true), 0, HUGE_VAL);
    check_support("truncated normal 0,5", make("normal", 0, 5, 0, true), 0, HUGE_VAL);
    check_support("uniform 2..6", make("uniform", 2, 6, 0, true), 2, 6);
}

/* A type whose draw lands a hair below 0, as rounding could: the last guard in
 * dcsim_dist_draw must hold it at 0 when nonneg, and leave it alone otherwise. */
static double tiny_negative(const double *p, bool nonneg, gsl_rng *r)
{
    (void)p;
    (void)nonneg;
    (void)r;
    return -1e-17;
}

static void test_nonneg_guard(void **state)
{
    (void)state;
    dcsim_dist_type t = *dcsim_dist_type_find("fixed");
    t.draw = tiny_negative;
    gsl_rng *r = dcsim_stream_alloc(TEST_SEED, 0, "guard");
    assert_non_null(r);
    dcsim_dist d = {&t, {0, 0, 0}, true};
    assert_true(dcsim_dist_draw(&d, r) == 0.0);
    d.nonneg = false;
    assert_true(dcsim_dist_draw(&d, r) == -1e-17);
    gsl_rng_free(r);
}

static void test_lognormal_from_median_p90(void **state)
{
    (void)state;
    double mu, sigma;
    dcsim_dist_lognormal_from_median_p90(10, 30, &mu, &sigma);
    /* mu = ln 10; sigma = ln 3 / z90 with z90 = Phi^-1(0.9) = 1.2815515655446004. */
    assert_close(mu, log(10.0), 1e-15);
    assert_close(sigma, log(3.0) / 1.2815515655446004, 1e-12);

    dcsim_dist d = make("lognormal", mu, sigma, 0, true);
    double *x = draw_many(&d, "lognormal median 10 p90 30");
    gsl_sort(x, 1, N_DRAWS);
    double med = gsl_stats_quantile_from_sorted_data(x, 1, N_DRAWS, 0.5);
    double p90 = gsl_stats_quantile_from_sorted_data(x, 1, N_DRAWS, 0.9);
    free(x);
    /* The sample quantiles of 200,000 draws have a standard error near 0.3% here; 2% is
     * loose enough to be stable and tight enough to catch a wrong z or a log10. */
    assert_close(med, 10.0, 0.02 * 10.0);
    assert_close(p90, 30.0, 0.02 * 30.0);
}

/* Refusal of d with a reason containing needle. */
static void expect_refused(dcsim_dist d, const char *needle)
{
    char why[160] = "";
    if (dcsim_dist_check(&d, why, sizeof why))
        fail_msg("%s(%g, %g, %g) accepted", d.type->name, d.p[0], d.p[1], d.p[2]);
    assert_why_has(why, needle);
}

static void test_check(void **state)
{
    (void)state;
    char why[160];
    dcsim_dist d = make("uniform", 5, 3, 0, false);
    assert_false(dcsim_dist_check(&d, why, sizeof why));
    assert_string_equal(why, "max (3) is below min (5)");

    expect_refused(make("triangular", 5, 1, 3, false), "max (3) is below min (5)");
    expect_refused(make("triangular", 0, 7, 5, false), "mode (7) must lie between min");
    expect_refused(make("pert", 0, -1, 5, false), "must lie between min (0) and max (5)");
    expect_refused(make("pert", -1, 0, 5, true), "min (-1) must not be negative");
    expect_refused(make("uniform", -1, 5, 0, true), "min (-1) must not be negative");
    expect_refused(make("fixed", -2, 0, 0, true), "value (-2) must not be negative");
    expect_refused(make("normal", 3, 0, 0, false), "sd (0) must be positive");
    expect_refused(make("normal", 3, -1, 0, true), "sd (-1) must be positive");
    expect_refused(make("normal", -1, 1, 0, true), "mean (-1) must not be negative");
    expect_refused(make("lognormal", 0, 0, 0, true), "sigma (0) must be positive");
    expect_refused(make("gamma", -1, 2, 0, true), "shape (-1) must be positive");
    expect_refused(make("gamma", 1, 0, 0, true), "scale (0) must be positive");
    expect_refused(make("weibull", 0, 2, 0, true), "shape (0) must be positive");
    expect_refused(make("weibull", 2, -3, 0, true), "scale (-3) must be positive");
    expect_refused(make("exponential", 0, 0, 0, true), "mean (0) must be positive");
    expect_refused(make("uniform", NAN, 5, 0, false), "min must be a finite number");
    expect_refused(make("pert", 0, 1, HUGE_VAL, false), "max must be a finite number");

    /* Fine when the quantity may be negative, or at the edges of what is allowed. */
    assert_true(dcsim_dist_check((dcsim_dist[]){make("uniform", -1, 5, 0, false)}, NULL, 0));
    assert_true(dcsim_dist_check((dcsim_dist[]){make("normal", -1, 1, 0, false)}, NULL, 0));
    assert_true(dcsim_dist_check((dcsim_dist[]){make("fixed", -2, 0, 0, false)}, NULL, 0));
    assert_true(dcsim_dist_check((dcsim_dist[]){make("pert", 3, 3, 3, true)}, NULL, 0));
    assert_true(dcsim_dist_check((dcsim_dist[]){make("triangular", 0, 0, 0, true)}, NULL, 0));
    assert_true(dcsim_dist_check((dcsim_dist[]){make("normal", 0, 1, 0, true)}, NULL, 0));
}

static void test_type_table(void **state)
{
    (void)state;
    static const char *const names[] = {"fixed", "uniform", "triangular", "pert", "normal",
                                        "lognormal", "gamma", "weibull", "exponential"};
    const dcsim_dist_type *const *all = dcsim_dist_types();
    size_t n = 0;
    while (all[n]) {
        const dcsim_dist_type *t = all[n];
        assert_ptr_equal(dcsim_dist_type_find(t->name), t);
        assert_true(t->nparams >= 1 && t->nparams <= DCSIM_DIST_MAX_PARAMS);
        for (int i = 0; i < t->nparams; i++)
            assert_non_null(t->param[i]);
        assert_non_null(t->draw);
        assert_non_null(t->mean);
        assert_non_null(t->variance);
        assert_non_null(t->check);
        n++;
    }
    assert_int_equal(n, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < n; i++)
        assert_non_null(dcsim_dist_type_find(names[i]));
    assert_string_equal(dcsim_dist_type_find("weibull")->param[0], "shape");
    assert_string_equal(dcsim_dist_type_find("pert")->param[1], "mode");
    assert_null(dcsim_dist_type_find("Normal"));        /* names are exact */
    assert_null(dcsim_dist_type_find("beta"));
    assert_null(dcsim_dist_type_find(NULL));
}

/* ---- the generator and the streams ---- */

static void test_generator_known_answers(void **state)
{
    (void)state;
    /* Expected values come from an independent Python port of splitmix64 + xoshiro256**,
     * itself checked against the published references: splitmix64's first output from 0 is
     * 0xe220a8397b1dcdaf, and xoshiro256** from state {1, 2, 3, 4} gives 11520, 0,
     * 1509978240, 1215971899390074240. */
    gsl_rng *r = gsl_rng_alloc(dcsim_rng_xoshiro);
    assert_non_null(r);
    assert_string_equal(gsl_rng_name(r), "dcsim-xoshiro256ss");
    assert_int_equal(gsl_rng_max(r), 0xffffffffUL);
    assert_int_equal(gsl_rng_min(r), 0);
    assert_int_equal(gsl_rng_size(r), 32);

    gsl_rng_set(r, 0);          /* 0 is a valid seed: no substitution as in GSL's own types */
    assert_int_equal(gsl_rng_get(r), 0x99ec5f36UL);
    assert_int_equal(gsl_rng_get(r), 0xbf6e1f78UL);
    assert_int_equal(gsl_rng_get(r), 0x1a5f849dUL);

    /* The full 64-bit seed reaches the state: the top bits matter. */
    gsl_rng_set(r, 0xffffffffffffffffUL);
    assert_int_equal(gsl_rng_get(r), 0x8f5520d5UL);
    assert_int_equal(gsl_rng_get(r), 0xc476a018UL);

    /* Doubles are the top 53 bits times 2^-53. */
    gsl_rng_set(r, 12345);
    assert_true(gsl_rng_uniform(r) == (double)0x17cd46c6e82c1aULL * 0x1.0p-53);
    assert_true(gsl_rng_uniform(r) == (double)0x4295540c6f4d1ULL * 0x1.0p-53);
    gsl_rng_free(r);
}

static void test_hash64(void **state)
{
    (void)state;
    /* The published FNV-1a 64 test vectors. */
    assert_true(dcsim_hash64("", 0, DCSIM_HASH_INIT) == 0xcbf29ce484222325ULL);
    assert_true(dcsim_hash64("a", 1, DCSIM_HASH_INIT) == 0xaf63dc4c8601ec8cULL);
    assert_true(dcsim_hash64("foobar", 6, DCSIM_HASH_INIT) == 0x85944171f73967e8ULL);
    /* Continuing from h is the same as hashing the concatenation. */
    uint64_t h = dcsim_hash64("foo", 3, DCSIM_HASH_INIT);
    assert_true(dcsim_hash64("bar", 3, h) == 0x85944171f73967e8ULL);
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static void test_stream_seed(void **state)
{
    (void)state;
    /* Golden values (same Python port): a change here changes every scenario's output. */
    assert_true(dcsim_stream_seed(42, 0, "rack-0") == 0x36d997388aafdb4dULL);
    assert_true(dcsim_stream_seed(42, 1, "rack-0") == 0xb8167e9667999a54ULL);

    /* Nearby inputs give unrelated seeds: flipping one input by 1 flips about half of the
     * 64 bits. Over 3 x 256 neighbour pairs the mean must be 32 +- 1.5 (the standard error
     * of a binomial(64, 1/2) mean over 256 pairs is 4/16 = 0.25, so this is 6 SE). */
    double sum_seed = 0, sum_rep = 0, sum_name = 0;
    for (uint64_t i = 0; i < 256; i++) {
        char a[32], b[32];
        snprintf(a, sizeof a, "rack-%llu", (unsigned long long)i);
        snprintf(b, sizeof b, "rack-%llu", (unsigned long long)i + 1);
        uint64_t base = dcsim_stream_seed(i, i, a);
        sum_seed += popcount64(base ^ dcsim_stream_seed(i + 1, i, a));
        sum_rep += popcount64(base ^ dcsim_stream_seed(i, i + 1, a));
        sum_name += popcount64(base ^ dcsim_stream_seed(i, i, b));
    }
    assert_close(sum_seed / 256, 32.0, 1.5);
    assert_close(sum_rep / 256, 32.0, 1.5);
    assert_close(sum_name / 256, 32.0, 1.5);
    /* Swapping seed and replication is a different stream. */
    assert_true(dcsim_stream_seed(1, 2, "x") != dcsim_stream_seed(2, 1, "x"));
}

/* How many of the first 1000 outputs of two streams agree position by position. */
static int agreeing_draws(uint64_t s1, uint64_t rep1, const char *n1, uint64_t s2,
                          uint64_t rep2, const char *n2)
{
    gsl_rng *a = dcsim_stream_alloc(s1, rep1, n1);
    gsl_rng *b = dcsim_stream_alloc(s2, rep2, n2);
    assert_non_null(a);
    assert_non_null(b);
    int same = 0;
    for (int i = 0; i < 1000; i++)
        same += gsl_rng_get(a) == gsl_rng_get(b);
    gsl_rng_free(a);
    gsl_rng_free(b);
    return same;
}

static void test_streams(void **state)
{
    (void)state;
    /* Same inputs, same sequence (what common random numbers rest on). */
    assert_int_equal(agreeing_draws(7, 3, "building-A", 7, 3, "building-A"), 1000);
    /* Unrelated 32-bit streams agree at a position with probability 2^-32: expect none. */
    assert_int_equal(agreeing_draws(7, 3, "building-A", 7, 3, "building-B"), 0);
    assert_int_equal(agreeing_draws(7, 3, "building-A", 7, 4, "building-A"), 0);
    assert_int_equal(agreeing_draws(7, 3, "building-A", 8, 3, "building-A"), 0);
    assert_int_equal(agreeing_draws(7, 3, "", 7, 3, "building-A"), 0);

    /* Drawing through a distribution follows the stream too. */
    dcsim_dist d = make("pert", 30, 45, 120, true);
    gsl_rng *a = dcsim_stream_alloc(7, 3, "stage-1");
    gsl_rng *b = dcsim_stream_alloc(7, 3, "stage-1");
    assert_non_null(a);
    assert_non_null(b);
    for (int i = 0; i < 1000; i++)
        assert_true(dcsim_dist_draw(&d, a) == dcsim_dist_draw(&d, b));
    gsl_rng_free(a);
    gsl_rng_free(b);

    /* A stream kept in caller-owned state (a rack's clock) draws what the allocated stream of
     * the same inputs draws, through GSL's distributions, and the state carries over between
     * views: an exponential, a uniform and a PERT draw in turn, 1000 times. */
    a = dcsim_stream_alloc(7, 3, "rack/B1-racks/12");
    assert_non_null(a);
    dcsim_stream_state st;
    dcsim_stream_state_init(&st, 7, 3, "rack/B1-racks/12");
    for (int i = 0; i < 1000; i++) {
        gsl_rng v = dcsim_stream_view(&st);
        assert_true(gsl_ran_exponential(a, 5.0) == gsl_ran_exponential(&v, 5.0));
        gsl_rng w = dcsim_stream_view(&st);
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(&w));
        assert_true(dcsim_dist_draw(&d, a) == dcsim_dist_draw(&d, &w));
    }
    gsl_rng_free(a);
}

int main(void)
{
    /* As in the program: GSL reports through return values, never by aborting. */
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_known_answers),
        cmocka_unit_test(test_hash64),
        cmocka_unit_test(test_stream_seed),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_type_table),
        cmocka_unit_test(test_analytic_moments),
        cmocka_unit_test(test_sample_moments),
        cmocka_unit_test(test_degenerate_draws),
        cmocka_unit_test(test_support),
        cmocka_unit_test(test_nonneg_guard),
        cmocka_unit_test(test_lognormal_from_median_p90),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
