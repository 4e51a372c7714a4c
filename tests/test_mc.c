/* The Monte Carlo against known answers: quantiles and grades of a uniform delay, criticality
 * and slip contribution of parallel and serial drivers, the same bytes for any thread count,
 * and the histogram estimator within its documented bound of the exact quantiles. The
 * scenarios' headers have the working. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"
#include "support/testutil.h"

static dcsim_scenario *load(const char *rel)
{
    char path[4096];
    tu_src_path(rel, path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (dcsim_scenario_load(path, NULL, 0, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load %s", rel);
    }
    return sc;
}

static dcsim_mc *run_mc(const dcsim_scenario *sc, uint64_t runs, unsigned threads,
                        uint32_t driver_runs, size_t budget)
{
    dcsim_mc_opts o = {.runs = runs, .threads = threads, .driver_runs = driver_runs,
                       .band_budget_bytes = budget};
    dcsim_mc *mc = NULL;
    dcsim_diag d;
    if (dcsim_mc_run(sc, &o, &mc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("mc failed");
    }
    return mc;
}

/* D ~ U(0, 60 d): the p-quantile of D is 60 p days; with n runs its standard error is
 * sqrt(p (1 - p) / n) / (1 / 60) days: 0.54 d for p = 0.8 and n = 2000. Tolerance 4 SE. */
static void uniform_delay_grades(void **state)
{
    (void)state;
    dcsim_scenario *sc = load("tests/scenarios/mc-uniform.yaml");
    const uint64_t n = 2000;
    dcsim_mc *mc = run_mc(sc, n, 2, 1, 0);
    dcsim_mc_grade g0, g15;
    dcsim_mc_grade_of(mc, 0, &g0);
    dcsim_mc_grade_of(mc, 1, &g15);
    double se80 = sqrt(0.8 * 0.2 / (double)n) * 60, se50 = sqrt(0.25 / (double)n) * 60;
    tu_close(g0.p50_s / 86400.0, 30.0, 4 * se50);
    tu_close(g0.p80_s / 86400.0, 48.0, 4 * se80);
    tu_close(g0.slip_at_conf_days, 48.0, 4 * se80);
    assert_int_equal(g0.grade, 'C');
    tu_close(g0.p_on_time, 0.0, 0);
    tu_close(g0.p_never, 0.0, 0);
    tu_close(g0.p_power_limited, 1.0, 0);
    /* Mean slip of U(0, 60): 30 d; its standard error 60 / sqrt(12 n). */
    tu_close(g0.mean_slip_days, 30.0, 4 * 60 / sqrt(12.0 * (double)n));
    /* Planned at day 15: P(on time) = 0.25 (binomial SE sqrt(0.25 x 0.75 / n)). */
    tu_close(g15.p_on_time, 0.25, 4 * sqrt(0.25 * 0.75 / (double)n));
    tu_close(g15.slip_at_conf_days, 33.0, 4 * se80);
    assert_int_equal(g15.grade, 'C');
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
}

/* Criticality of A is P(A > B) = 0.75 in parallel (binomial SE sqrt(0.75 x 0.25 / n)), 1 in
 * series; holding A at its mean moves the P80 slip by -18 d in parallel and -9.17 d in
 * series (exact for these laws; the same n runs re-run, so the sampling error of the
 * difference is that of two quantiles: about 1 d at n = 1000, tolerance 3 d). */
static void criticality_and_contribution(void **state)
{
    (void)state;
    const uint64_t n = 1000;
    dcsim_scenario *par = load("tests/scenarios/mc-parallel.yaml");
    dcsim_mc *mc = run_mc(par, n, 2, (uint32_t)n, 0);
    double se = sqrt(0.75 * 0.25 / (double)n);
    tu_close(dcsim_mc_criticality(mc, 0, "stage:grid.a"), 0.75, 4 * se);
    tu_close(dcsim_mc_criticality(mc, 0, "stage:grid.b"), 0.25, 4 * se);
    tu_close(dcsim_mc_criticality(mc, 0, "source:grid"), 1.0, 0);
    dcsim_mc_grade g;
    dcsim_mc_grade_of(mc, 0, &g);
    tu_close(g.slip_at_conf_days, 48.0, 3.0);
    char *dir = tu_mkdtemp();
    dcsim_diag d;
    assert_int_equal(dcsim_mc_write(mc, dir, "test", &d), DCSIM_OK);
    dcsim_csv_table *dr = tu_read_csv(dir, "drivers.csv");
    size_t ra = 0;
    for (size_t r = 1; r < dr->n_rows; r++)
        if (strcmp(tu_field(dr, r, "driver"), "stage:grid.a") == 0)
            ra = r;
    assert_true(ra > 0);
    tu_close(tu_num(dr, ra, "slip_contribution_days"), -18.0, 3.0);
    /* The dominant driver ranks first. */
    assert_string_equal(tu_field(dr, 1, "driver"), "stage:grid.a");
    dcsim_csv_free(dr);
    tu_rm_tree(dir);
    free(dir);
    dcsim_mc_free(mc);
    dcsim_scenario_free(par);

    dcsim_scenario *ser = load("tests/scenarios/mc-series.yaml");
    mc = run_mc(ser, n, 2, (uint32_t)n, 0);
    tu_close(dcsim_mc_criticality(mc, 0, "stage:grid.a"), 1.0, 0);
    tu_close(dcsim_mc_criticality(mc, 0, "stage:grid.b"), 1.0, 0);
    dcsim_mc_grade_of(mc, 0, &g);
    tu_close(g.slip_at_conf_days, 63.167, 3.0);
    dir = tu_mkdtemp();
    assert_int_equal(dcsim_mc_write(mc, dir, "test", &d), DCSIM_OK);
    dr = tu_read_csv(dir, "drivers.csv");
    ra = 0;
    for (size_t r = 1; r < dr->n_rows; r++)
        if (strcmp(tu_field(dr, r, "driver"), "stage:grid.a") == 0)
            ra = r;
    assert_true(ra > 0);
    tu_close(tu_num(dr, ra, "slip_contribution_days"), -9.167, 3.0);
    dcsim_csv_free(dr);
    tu_rm_tree(dir);
    free(dir);
    dcsim_mc_free(mc);
    dcsim_scenario_free(ser);
}

static const char *const mc_files[] = {"runs.csv", "bands.csv", "milestones.csv",
                                       "drivers.csv", "meta.csv"};

static void same_bytes_any_threads(void **state)
{
    (void)state;
    dcsim_scenario *sc = load("scenarios/stargate-abilene.yaml");
    char *dir[2];
    for (int k = 0; k < 2; k++) {
        dcsim_mc *mc = run_mc(sc, 6, (unsigned)(k + 1), 3, 0);
        dir[k] = tu_mkdtemp();
        dcsim_diag d;
        assert_int_equal(dcsim_mc_write(mc, dir[k], "same command", &d), DCSIM_OK);
        dcsim_mc_free(mc);
    }
    for (size_t f = 0; f < sizeof mc_files / sizeof *mc_files; f++) {
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", dir[0], mc_files[f]);
        snprintf(b, sizeof b, "%s/%s", dir[1], mc_files[f]);
        size_t la, lb;
        char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
        assert_non_null(x);
        assert_non_null(y);
        if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s differs between -j 1 and -j 2", mc_files[f]);
        free(x), free(y);
    }
    for (int k = 0; k < 2; k++) {
        tu_rm_tree(dir[k]);
        free(dir[k]);
    }
    dcsim_scenario_free(sc);
}

/* Histograms (a budget of one byte forces them) against exact quantiles of the same runs:
 * the documented bound is one bin width plus the spacing of the order statistics next to the
 * quantile's rank. Supply here moves in whole 10 MW steps between runs, so that spacing is
 * at most one step where runs disagree: the bound checked is 10 MW + 2 bins where a step
 * falls between ranks, and 2 bins elsewhere (the medians sit inside flat stretches). */
static void histogram_within_bound(void **state)
{
    (void)state;
    dcsim_scenario *sc = load("tests/scenarios/mc-uniform.yaml");
    dcsim_mc *ex = run_mc(sc, 400, 2, 1, 0);
    dcsim_mc *hi = run_mc(sc, 400, 2, 1, 1);
    assert_true(dcsim_mc_bands_exact(ex));
    assert_false(dcsim_mc_bands_exact(hi));
    double bin = dcsim_mc_band_bin(hi, "supply_mw");
    tu_close(bin, 10.0 * 1.0000001 / 2048, 1e-12);
    for (uint32_t row = 0; row <= 100; row++)
        for (int k = 0; k < 4; k++) {
            double q = k == 3 ? -1 : (k == 0 ? 0.1 : k == 1 ? 0.5 : 0.9);
            double e = dcsim_mc_band(ex, "supply_mw", row, q);
            double h = dcsim_mc_band(hi, "supply_mw", row, q);
            double bound = (q < 0 ? 0 : 10.0) + 2 * bin;
            if (fabs(e - h) > bound + 1e-9)
                fail_msg("row %u q %.1f: exact %g, histogram %g", row, q, e, h);
        }
    /* Before the stage can end (row 0) and after it surely has (row 61+), every run agrees:
     * there the histogram is within 2 bins of the exact value. */
    for (uint32_t row = 61; row <= 100; row++)
        tu_close(dcsim_mc_band(hi, "supply_mw", row, 0.5), 10.0, 2 * bin);
    tu_close(dcsim_mc_band(hi, "supply_mw", 0, 0.5), 0.0, 2 * bin);
    dcsim_mc_free(ex);
    dcsim_mc_free(hi);
    /* Past 2,048 runs the bands are histograms whatever the budget (their memory is then
     * fixed by the steps, not the runs); at 2,048 they are still exact. */
    dcsim_mc *at = run_mc(sc, 2048, 2, 1, 0);
    dcsim_mc *past = run_mc(sc, 2049, 2, 1, 0);
    assert_true(dcsim_mc_bands_exact(at));
    assert_false(dcsim_mc_bands_exact(past));
    dcsim_mc_free(at);
    dcsim_mc_free(past);
    dcsim_scenario_free(sc);
}

/* Ctrl-C during `dcsim mc`: exit 130, and the output holds exactly the completed
 * replications 0 .. n-1, with meta.csv saying partial. */
static void interrupt_keeps_completed(void **state)
{
    (void)state;
    const char *bin = getenv("DCSIM_BIN");
    if (!bin)
        bin = "build/dcsim";
    char scen[4096], *dir = tu_mkdtemp(), out[4200];
    tu_src_path("tests/scenarios/mc-uniform.yaml", scen, sizeof scen);
    snprintf(out, sizeof out, "%s/mc", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        /* Far more runs than can finish before the signal. */
        execl(bin, bin, "mc", scen, "-n", "5000000", "-j", "2", "-q", "-o", out, (char *)NULL);
        _exit(127);
    }
    /* Long enough for the first replications to finish even under the sanitizers. */
    struct timespec ts = {2, 500 * 1000 * 1000};
    nanosleep(&ts, NULL);
    kill(pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    dcsim_csv_table *meta = tu_read_csv(out, "meta.csv");
    assert_string_equal(tu_field(meta, tu_find_row(meta, "key", "partial"), "value"), "true");
    double n = tu_num(meta, tu_find_row(meta, "key", "runs"), "value");
    dcsim_csv_free(meta);
    assert_true(n >= 1 && n < 5000000);
    dcsim_csv_table *runs = tu_read_csv(out, "runs.csv");
    assert_int_equal(runs->n_rows - 1, (size_t)n);
    for (size_t r = 1; r < runs->n_rows; r++)
        assert_int_equal((long)tu_num(runs, r, "replication"), (long)(r - 1));
    dcsim_csv_free(runs);
    tu_rm_tree(dir);
    free(dir);
}

/* --until-stable: the uniform delay's P80 settles well before the cap; the run stops at a
 * batch boundary, and says so. */
static void until_stable_stops(void **state)
{
    (void)state;
    dcsim_scenario *sc = load("tests/scenarios/mc-uniform.yaml");
    dcsim_mc_opts o = {.runs = 100000, .threads = 2, .driver_runs = 1, .until_stable = true};
    dcsim_mc *mc = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_mc_run(sc, &o, &mc, &d), DCSIM_OK);
    assert_true(dcsim_mc_stable(mc));
    uint64_t n = dcsim_mc_runs(mc);
    assert_true(n >= 400 && n < 100000);
    assert_int_equal(n % 100, 0);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uniform_delay_grades),
        cmocka_unit_test(criticality_and_contribution),
        cmocka_unit_test(same_bytes_any_threads),
        cmocka_unit_test(histogram_within_bound),
        cmocka_unit_test(interrupt_keeps_completed),
        cmocka_unit_test(until_stable_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
