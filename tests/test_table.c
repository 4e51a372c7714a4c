/* Tests for dcsim_table: piecewise-linear lookup over GSL with clamped ends. GSL's error
 * handler is left at its default (abort), so any query that reached gsl_interp_eval out of
 * range would crash the test instead of passing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "dcsim/table.h"

/* |got - want| <= tol in double (cmocka's assert_float_equal rounds to float), with the
 * numbers in the failure message. */
#define assert_close(got, want, tol)                                                       \
    do {                                                                                   \
        double g_ = (got), w_ = (want), t_ = (tol);                                        \
        if (!(fabs(g_ - w_) <= t_))                                                        \
            fail_msg("%s = %.17g, expected %.17g within %.3g", #got, g_, w_, t_);          \
    } while (0)

/* A PUE table: 1.10 at 10 C, 1.15 at 25 C, 1.30 at 40 C. */
static const double pue_x[] = {10.0, 25.0, 40.0};
static const double pue_y[] = {1.10, 1.15, 1.30};

static void test_points_and_between(void **state)
{
    (void)state;
    dcsim_table t;
    char why[256] = "";
    assert_int_equal(dcsim_table_init(&t, pue_x, pue_y, 3, why, sizeof why), DCSIM_OK);
    assert_non_null(t.interp);
    assert_int_equal(t.n, 3);

    /* At the points the table gives the point's y exactly, ends included. */
    assert_true(dcsim_table_eval(&t, 10.0) == 1.10);
    assert_true(dcsim_table_eval(&t, 25.0) == 1.15);
    assert_true(dcsim_table_eval(&t, 40.0) == 1.30);

    /* 32.5 is halfway from 25 to 40: 1.15 + 0.5 * (1.30 - 1.15) = 1.225. */
    assert_close(dcsim_table_eval(&t, 32.5), 1.225, 1e-12);
    /* 17.5 is halfway from 10 to 25: 1.10 + 0.5 * 0.05 = 1.125. */
    assert_close(dcsim_table_eval(&t, 17.5), 1.125, 1e-12);
    /* 13 is a fifth of the way from 10 to 25: 1.10 + 0.2 * 0.05 = 1.11. */
    assert_close(dcsim_table_eval(&t, 13.0), 1.11, 1e-12);

    /* Outside the table the end values hold (no extrapolation). */
    assert_true(dcsim_table_eval(&t, 0.0) == 1.10);
    assert_true(dcsim_table_eval(&t, 9.999) == 1.10);
    assert_true(dcsim_table_eval(&t, 50.0) == 1.30);
    assert_true(dcsim_table_eval(&t, 40.001) == 1.30);
    assert_true(dcsim_table_eval(&t, -1e308) == 1.10);
    assert_true(dcsim_table_eval(&t, 1e308) == 1.30);
    assert_true(dcsim_table_eval(&t, -INFINITY) == 1.10);
    assert_true(dcsim_table_eval(&t, INFINITY) == 1.30);
    /* NaN in, NaN out: it must not reach GSL's search. */
    assert_true(isnan(dcsim_table_eval(&t, NAN)));

    dcsim_table_fini(&t);
    assert_null(t.interp);
    assert_int_equal(t.n, 0);
    dcsim_table_fini(&t);       /* twice is harmless */
}

static void test_one_point_is_constant(void **state)
{
    (void)state;
    const double x[] = {20.0};
    const double y[] = {1.4};
    dcsim_table t;
    assert_int_equal(dcsim_table_init(&t, x, y, 1, NULL, 0), DCSIM_OK);
    assert_null(t.interp);      /* GSL's linear type needs two points; none is allocated */
    assert_true(dcsim_table_eval(&t, -40.0) == 1.4);
    assert_true(dcsim_table_eval(&t, 20.0) == 1.4);
    assert_true(dcsim_table_eval(&t, 55.0) == 1.4);
    dcsim_table_fini(&t);
}

static void test_two_points(void **state)
{
    (void)state;
    /* A throughput curve: cap 0.5 -> 0.6, cap 1.0 -> 1.0. At cap 0.8: 0.6 + 0.6 * 0.4 = 0.84
     * (0.8 is 0.3 / 0.5 = 60% of the way). */
    const double x[] = {0.5, 1.0};
    const double y[] = {0.6, 1.0};
    dcsim_table t;
    assert_int_equal(dcsim_table_init(&t, x, y, 2, NULL, 0), DCSIM_OK);
    assert_close(dcsim_table_eval(&t, 0.8), 0.84, 1e-12);
    assert_true(dcsim_table_eval(&t, 0.2) == 0.6);
    assert_true(dcsim_table_eval(&t, 1.0) == 1.0);
    dcsim_table_fini(&t);
}

/* Init refuses, names the reason, and leaves t empty so that fini is harmless. */
static void refused(const double *x, const double *y, size_t n, const char *want)
{
    dcsim_table t;
    char why[256] = "";
    assert_int_equal(dcsim_table_init(&t, x, y, n, why, sizeof why), DCSIM_EINPUT);
    if (!strstr(why, want))
        fail_msg("reason '%s' does not contain '%s'", why, want);
    assert_null(t.interp);
    assert_int_equal(t.n, 0);
    dcsim_table_fini(&t);
}

static void test_refusals(void **state)
{
    (void)state;
    const double y3[] = {1.1, 1.2, 1.3};

    refused(pue_x, pue_y, 0, "no points");

    const double down[] = {10.0, 35.0, 30.0};
    refused(down, y3, 3, "x values must increase strictly: point 3 (30) is not above point 2 (35)");

    const double equal[] = {10.0, 25.0, 25.0};
    refused(equal, y3, 3, "point 3 (25) is not above point 2 (25)");

    const double nan_x[] = {10.0, NAN, 40.0};
    refused(nan_x, y3, 3, "point 2: x (nan) is not a finite number");

    const double inf_x[] = {-INFINITY, 25.0, 40.0};
    refused(inf_x, y3, 3, "point 1: x (-inf) is not a finite number");

    const double nan_y[] = {1.1, 1.2, NAN};
    refused(pue_x, nan_y, 3, "point 3: y (nan) is not a finite number");

    /* A NULL why is allowed: the status alone still says no. */
    dcsim_table t;
    assert_int_equal(dcsim_table_init(&t, down, y3, 3, NULL, 0), DCSIM_EINPUT);
}

/* The table written out by hand, to check GSL against. */
static double by_hand(double at)
{
    if (at <= 10.0)
        return 1.10;
    if (at <= 25.0)
        return 1.10 + (at - 10.0) / 15.0 * 0.05;
    if (at <= 40.0)
        return 1.15 + (at - 25.0) / 15.0 * 0.15;
    return 1.30;
}

/* Evaluation keeps no state: a scrambled order of queries gives the same bits as a sweep,
 * which a cached interval (gsl_interp_accel) shared between worlds could not promise. */
static void test_many_evals_any_order(void **state)
{
    (void)state;
    enum { N = 10007 };         /* prime, so a stride of 7919 visits every index once */
    static double sweep[N];
    dcsim_table t;
    assert_int_equal(dcsim_table_init(&t, pue_x, pue_y, 3, NULL, 0), DCSIM_OK);
    for (size_t i = 0; i < N; i++) {
        double at = -10.0 + 70.0 * (double)i / (N - 1);    /* -10 .. 60 C */
        sweep[i] = dcsim_table_eval(&t, at);
        assert_close(sweep[i], by_hand(at), 1e-12);
    }
    size_t i = 0;
    for (size_t k = 0; k < N; k++) {
        i = (i + 7919) % N;
        double at = -10.0 + 70.0 * (double)i / (N - 1);
        assert_true(dcsim_table_eval(&t, at) == sweep[i]);
    }
    /* Non-decreasing, like the PUE curve it holds. */
    for (size_t k = 1; k < N; k++)
        assert_true(sweep[k] >= sweep[k - 1]);
    dcsim_table_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_and_between),
        cmocka_unit_test(test_one_point_is_constant),
        cmocka_unit_test(test_two_points),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_many_evals_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
