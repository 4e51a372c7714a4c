/* Every shipped scenario and what-if loads, validates and runs; every what-if under
 * scenarios/what-if/ (each a variant of Abilene that makes power scarcer or later) moves no
 * milestone earlier than the base run, and at least one later; the README's frontier-run
 * claims hold; and Abilene's aggregate failures agree with the discrete mode. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <glob.h>

#include "support/testutil.h"

/* Scenario paths relative to the source root, matching pattern. Caller globfree()s. */
static size_t find(const char *pattern, glob_t *g)
{
    char path[4096];
    tu_src_path(pattern, path, sizeof path);
    if (glob(path, 0, NULL, g) != 0)
        return 0;
    return g->gl_pathc;
}

static const char *rel(const char *abs_path)
{
    char root[4096];
    tu_src_path("", root, sizeof root);
    size_t n = strlen(root);
    return strncmp(abs_path, root, n) == 0 ? abs_path + n : abs_path;
}

static void all_scenarios_run(void **state)
{
    (void)state;
    glob_t g;
    size_t n = find("scenarios/*.yaml", &g);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        char *dir = tu_mkdtemp();
        print_message("running %s\n", rel(g.gl_pathv[i]));
        tu_run_scenario(rel(g.gl_pathv[i]), NULL, 0, dir);
        dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
        assert_true(ts->n_rows > 2);
        dcsim_csv_free(ts);
        tu_rm_tree(dir);
        free(dir);
    }
    globfree(&g);
}

/* Slip of each milestone, +infinity when not reached. */
static void slips(const char *dir, double *out, size_t n)
{
    dcsim_csv_table *ms = tu_read_csv(dir, "milestones.csv");
    assert_int_equal(ms->n_rows - 1, n);
    for (size_t r = 1; r < ms->n_rows; r++)
        out[r - 1] = strcmp(tu_field(ms, r, "reached"), "true") == 0 ? tu_num(ms, r, "slip_days")
                                                                     : INFINITY;
    dcsim_csv_free(ms);
}

static void what_ifs_move_later(void **state)
{
    (void)state;
    char *base = tu_mkdtemp();
    tu_run_scenario("scenarios/stargate-abilene.yaml", NULL, 0, base);
    dcsim_csv_table *ms = tu_read_csv(base, "milestones.csv");
    size_t n_ms = ms->n_rows - 1;
    dcsim_csv_free(ms);
    double *b = calloc(n_ms + 1, sizeof *b), *w = calloc(n_ms + 1, sizeof *w);
    assert_non_null(b);
    assert_non_null(w);
    slips(base, b, n_ms);
    glob_t g;
    size_t n = find("scenarios/what-if/*.yaml", &g);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        char *dir = tu_mkdtemp();
        print_message("running %s\n", rel(g.gl_pathv[i]));
        tu_run_scenario(rel(g.gl_pathv[i]), NULL, 0, dir);
        slips(dir, w, n_ms);
        int later = 0;
        for (size_t k = 0; k < n_ms; k++) {
            if (w[k] < b[k] - 1e-9)
                fail_msg("%s: milestone %zu comes %.1f days earlier than the base",
                         rel(g.gl_pathv[i]), k + 1, b[k] - w[k]);
            later += w[k] > b[k] + 1e-9;
        }
        if (!later)
            fail_msg("%s moves no milestone later", rel(g.gl_pathv[i]));
        tu_rm_tree(dir);
        free(dir);
    }
    globfree(&g);
    free(b);
    free(w);
    tu_rm_tree(base);
    free(base);
}

/* The frontier job's GPU-hours in jobs.csv after a run with one override (NULL: none). It
 * holds the same GPUs throughout, so more GPU-hours is a later finish. */
static double frontier_finish(const char *set)
{
    char *dir = tu_mkdtemp();
    const char *sets[] = {set};
    tu_run_scenario("scenarios/stargate-abilene.yaml", sets, set ? 1 : 0, dir);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "frontier-pretrain");
    assert_true(r > 0);
    assert_string_equal(tu_field(jobs, r, "state"), "done");
    double gpu_hours = tu_num(jobs, r, "gpu_hours");
    dcsim_csv_free(jobs);
    tu_rm_tree(dir);
    free(dir);
    return gpu_hours;
}

/* The README's claims: a lower per-GPU MTBF, a longer checkpoint write and a more
 * oversubscribed fabric each make the frontier run take longer. */
static void frontier_job_moves_later(void **state)
{
    (void)state;
    double base = frontier_finish(NULL);
    static const char *const worse[] = {"failures.causes.gpu.mtbf=20000h",
                                        "jobs.frontier-pretrain.checkpoint.write=10min",
                                        "fabric.oversubscription=7"};
    for (size_t i = 0; i < sizeof worse / sizeof *worse; i++) {
        double w = frontier_finish(worse[i]);
        if (!(w > base))
            fail_msg("--set %s: %.0f GPU-hours, not more than the base %.0f", worse[i], w, base);
    }
}

static double summary_value(const dcsim_csv_table *t, const char *metric)
{
    size_t r = tu_find_row(t, "metric", metric);
    assert_true(r > 0);
    return tu_num(t, r, "value");
}

/* The Abilene scenario's claim for shipping aggregate failures: its run agrees with the
 * per-rack (discrete) mode. Tolerances are a few standard deviations of one run's noise:
 * - GPU availability 1 - d, d ~ 0.00105 (failed GPUs ~ 2e5, so d is known to ~0.3%): the two
 *   must agree to 5% of d, 5e-5;
 * - GPUs failed ~ 2.15e5, Poisson: sd ~ 0.25%, allow 2%;
 * - goodput ~ 0.67, the lost third made of ~4,400 interruptions each losing a uniform share
 *   of a checkpoint interval: sd of one run ~ 0.33 / sqrt(4400) x 1.2 ~ 0.006, of the
 *   difference ~ 0.0085; allow 0.025 (3 sd). */
static void failure_modes_agree(void **state)
{
    (void)state;
    char *agg = tu_mkdtemp(), *dis = tu_mkdtemp();
    const char *shipped[] = {"failures.mode=aggregate"}, *discrete[] = {"failures.mode=discrete"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", shipped, 1, agg);
    tu_run_scenario("scenarios/stargate-abilene.yaml", discrete, 1, dis);
    dcsim_csv_table *a = tu_read_csv(agg, "summary.csv"), *d = tu_read_csv(dis, "summary.csv");
    double avail_a = summary_value(a, "gpu_availability");
    double avail_d = summary_value(d, "gpu_availability");
    assert_true(avail_d < 1 && avail_d > 0.99);
    if (fabs(avail_a - avail_d) > 5e-5)
        fail_msg("GPU availability: aggregate %.6f, discrete %.6f", avail_a, avail_d);
    double fail_a = summary_value(a, "gpus_failed"), fail_d = summary_value(d, "gpus_failed");
    if (fabs(fail_a / fail_d - 1) > 0.02)
        fail_msg("GPUs failed: aggregate %.0f, discrete %.0f", fail_a, fail_d);
    double good_a = summary_value(a, "train_goodput"), good_d = summary_value(d, "train_goodput");
    if (fabs(good_a - good_d) > 0.025)
        fail_msg("goodput: aggregate %.4f, discrete %.4f", good_a, good_d);
    /* The aggregate mode handles far fewer events: the point of shipping it. */
    assert_true(summary_value(a, "events_handled") < 0.8 * summary_value(d, "events_handled"));
    dcsim_csv_free(a);
    dcsim_csv_free(d);
    tu_rm_tree(agg);
    tu_rm_tree(dis);
    free(agg);
    free(dis);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_scenarios_run),
        cmocka_unit_test(what_ifs_move_later),
        cmocka_unit_test(frontier_job_moves_later),
        cmocka_unit_test(failure_modes_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
