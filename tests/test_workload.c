/* The workload against hand-computed answers: rack power following utilization along each
 * curve, a failure-free job finishing to the second, Young's checkpoint interval, goodput
 * under failures against the expected-loss formula over many replications, stuck GPUs, the
 * gate lighting waiting racks when a job ends, a throttled job slowing down, inference
 * growth, and the scheduler's policies. Each scenario under tests/scenarios/workload-*.yaml has its working in its
 * header; the numbers are repeated here where they are asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dcsim/world.h"
#include "support/testutil.h"

#define HOUR 3600.0
#define MW 1e6
/* facility_mw and friends are written with 6 decimals: a watt, plus rounding. */
#define MW_TOL 1.5e-6

static double summary(const char *dir, const char *metric)
{
    dcsim_csv_table *t = tu_read_csv(dir, "summary.csv");
    size_t r = tu_find_row(t, "metric", metric);
    if (r == 0)
        fail_msg("no metric '%s' in summary.csv", metric);
    double v = tu_num(t, r, "value");
    dcsim_csv_free(t);
    return v;
}

/* Row of timeseries.csv whose time_s equals t, or fail. */
static size_t row_at(const dcsim_csv_table *ts, double t)
{
    for (size_t r = 1; r < ts->n_rows; r++)
        if (tu_num(ts, r, "time_s") == t)
            return r;
    fail_msg("no row at time %.0f", t);
    return 0;
}

static double ts_at(const dcsim_csv_table *ts, double t, const char *col)
{
    return tu_num(ts, row_at(ts, t), col);
}

/* Run a scenario with overrides into a fresh directory (the caller removes and frees it). */
static char *run(const char *scenario, const char *const *sets, size_t n_sets)
{
    char *dir = tu_mkdtemp();
    tu_run_scenario(scenario, sets, n_sets, dir);
    return dir;
}

static void done(char *dir)
{
    tu_rm_tree(dir);
    free(dir);
}

/* ---- 1. rack power follows load, per curve ---------------------------------------------- */

/* 4 racks, idle 40 kW, peak 140 kW, PUE 1.0, no overhead, no losses; the job holds 16 of the
 * 32 GPUs from 2h: u = 0.5. facility = 4 x (40 kW + 100 kW x f(u)). */
static double facility_mw(double f)
{
    return 4 * (40e3 + 100e3 * f) / MW;
}

static void check_power(const char *scenario, const char *const *sets, size_t n_sets,
                        double u, double f)
{
    char *dir = run(scenario, sets, n_sets);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* 1h: all 4 racks lit, the job not started: u = 0, every rack at idle, 160 kW. */
    tu_close(ts_at(ts, 1 * HOUR, "utilization"), 0.0, 0);
    tu_close(ts_at(ts, 1 * HOUR, "facility_mw"), facility_mw(0), MW_TOL);
    tu_close(ts_at(ts, 1 * HOUR, "racks_energized"), 4, 0);
    /* 2h to the horizon: the job runs on u x 32 GPUs. */
    for (double t = 2 * HOUR; t <= 4 * HOUR; t += HOUR) {
        tu_close(ts_at(ts, t, "utilization"), u, 1e-4);
        tu_close(ts_at(ts, t, "gpus_idle"), 32 * (1 - u), 0);
        tu_close(ts_at(ts, t, "facility_mw"), facility_mw(f), MW_TOL);
        tu_close(ts_at(ts, t, "supply_mw"), 1.0, 0);
    }
    dcsim_csv_free(ts);
    done(dir);
}

static void rack_power_follows_curve(void **state)
{
    (void)state;
    static const struct {
        const char *curve;
        double f;               /* f(0.5) */
    } cases[] = {
        {"linear", 0.5},        /* 4 x  90 kW         = 0.360 MW */
        {"square", 0.25},       /* 4 x  65 kW         = 0.260 MW */
        {"cubic", 0.125},       /* 4 x  52.5 kW       = 0.210 MW */
        {"sqrt", 0.70710678118654752},  /* 4 x 110.71068 kW = 0.442843 MW */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char set[64];
        snprintf(set, sizeof set, "racks.r.power_curve=%s", cases[i].curve);
        const char *sets[] = {set};
        check_power("tests/scenarios/workload-power.yaml", sets, 1, 0.5, cases[i].f);
        /* Every GPU busy: u = 1, f(1) = 1 on every curve: 4 x 140 kW = 0.560 MW. */
        const char *all[] = {set, "jobs.half.gpus=32"};
        check_power("tests/scenarios/workload-power.yaml", all, 2, 1.0, 1.0);
    }
    /* The table [[0, 0], [0.5, 0.8], [1, 1]]: at a point, f(0.5) = 0.8 (0.480 MW); between
     * points, u = 8 / 32 = 0.25: f = 0.4 (0.320 MW); u = 1: 0.560 MW. */
    check_power("tests/scenarios/workload-power-table.yaml", NULL, 0, 0.5, 0.8);
    static const char *const quarter[] = {"jobs.half.gpus=8"};
    check_power("tests/scenarios/workload-power-table.yaml", quarter, 1, 0.25, 0.4);
    static const char *const full[] = {"jobs.half.gpus=32"};
    check_power("tests/scenarios/workload-power-table.yaml", full, 1, 1.0, 1.0);
}

/* ---- 2. a job without failures finishes on time ----------------------------------------- */

static void check_job(const char *const *sets, size_t n_sets, const char *start,
                      const char *finish, double efficiency)
{
    char *dir = run("tests/scenarios/workload-job.yaml", sets, n_sets);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "train");
    assert_true(r > 0);
    assert_string_equal(tu_field(jobs, r, "state"), "done");
    assert_string_equal(tu_field(jobs, r, "start"), start);
    assert_string_equal(tu_field(jobs, r, "finish"), finish);
    /* Done means all of its FLOP, not a second's worth more. */
    assert_string_equal(tu_field(jobs, r, "progress"), "1.000000");
    assert_string_equal(tu_field(jobs, r, "flop_done"), tu_field(jobs, r, "flop_total"));
    tu_close(tu_num(jobs, r, "step_efficiency"), efficiency, 1e-6);
    tu_close(tu_num(jobs, r, "goodput"), 1.0, 0);
    tu_close(tu_num(jobs, r, "failures"), 0, 0);
    tu_close(tu_num(jobs, r, "checkpoint_interval_s"), 0, 0);
    /* 16 GPUs for 10001 s = 44.449 GPU-hours, written to 0.1. */
    tu_close(tu_num(jobs, r, "gpu_hours"), 44.4, 0);
    dcsim_csv_free(jobs);
    done(dir);
}

static void job_finishes_on_time(void **state)
{
    (void)state;
    /* A: overlap 1, efficiency 1: rate = 16 x 1e15 x 0.5 = 8e15 FLOP/s;
     * 8.0004e19 / 8e15 = 10000.5 s, ceil -> 10001 s after the start at 3600: 13601 s. */
    check_job(NULL, 0, "2025-01-01T01:00:00Z", "2025-01-01T03:46:41Z", 1.0);
    /* B: overlap 0. t_c = 6 x 1e9 x 2e4 / (16 x 1e15 x 0.5) = 0.015 s; S = 2e9 / 8 = 2.5e8 B;
     * 16 GPUs span two 8-GPU domains, so B = 50 GB/s; d = 2: T_ar = 2 (1/2) 2.5e8 / 5e10 =
     * 0.005 s; efficiency 0.015 / 0.020 = 0.75; rate 6e15; 6.0003e19 / 6e15 = 10000.5 s ->
     * 10001 s: the same finish. */
    static const char *const exposed[] = {"fabric.overlap=0", "jobs.train.flop=6.0003e19"};
    check_job(exposed, 2, "2025-01-01T01:00:00Z", "2025-01-01T03:46:41Z", 0.75);
    /* C: a start between the hourly samples holds to the second: 5400 + 10001 = 15401. */
    static const char *const late[] = {"jobs.train.start=5400s"};
    check_job(late, 1, "2025-01-01T01:30:00Z", "2025-01-01T04:16:41Z", 1.0);
}

/* ---- 3. Young's interval ---------------------------------------------------------------- */

static void check_young(const char *const *sets, size_t n_sets, double interval_s)
{
    char *dir = run("tests/scenarios/workload-young.yaml", sets, n_sets);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "train");
    assert_true(r > 0);
    assert_string_equal(tu_field(jobs, r, "start"), "2025-01-01T01:00:00Z");
    tu_close(tu_num(jobs, r, "checkpoint_interval_s"), interval_s, 0);
    dcsim_csv_free(jobs);
    done(dir);
}

static void young_interval(void **state)
{
    (void)state;
    /* round(sqrt(2 x (M / n) x w)):
     * M = 160000h, n = 16, w = 300 s: sqrt(2 x 3.6e7 x 300) = 146969.38 */
    check_young(NULL, 0, 146969);
    /* n = 8: sqrt(2 x 7.2e7 x 300) = 207846.10 */
    static const char *const eight[] = {"jobs.train.gpus=8"};
    check_young(eight, 1, 207846);
    /* takes gpu, M = 40000h, n = 16, w = 120 s: sqrt(2 x 9e6 x 120) = 46475.80 */
    static const char *const gpu[] = {
        "failures.causes.fault.takes=gpu", "failures.causes.fault.repair=1d",
        "failures.causes.fault.mtbf=40000h", "jobs.train.checkpoint.write=2min"};
    check_young(gpu, 4, 46476);
}

/* ---- 4. goodput under failures over many replications ----------------------------------- */

/* The job of workload-goodput.yaml: 16 GPUs, every fault hits it (it holds every GPU), at
 * L = 16 / 320h = 1 / 72000 s; checkpoint every T = 3600 s of running, write w = 60 s,
 * restart r = 600 s; 500 intervals of work.
 *
 * Derivation. The job's life is a sequence of segments: run T, write w, and only then is the
 * work of the segment safe. A failure (rate L, memoryless, in any phase: running, writing or
 * restarting) throws away the segment so far and starts a restart of r, which a failure
 * during it starts over. Per useful T of running, the expected wall time is, to first order:
 *   T + w                               the segment itself
 *   + L (T + w) x (T/2 + r)             failures expected in it, each losing on average
 *                                       half a segment of running (T/2; a failure while
 *                                       writing loses T, but that is w/T rarer: second
 *                                       order) plus the restart r.
 * Divided by T: 1 + w/T + L (T/2 + r) + O(L w, (L T)^2, L r . L T), so
 *   goodput ~ 1 / (1 + w/T + L (T/2 + r)) = 1 / (1 + 1/60 + 0.05 x (1/2 + 1/6)) = 1 / 1.05
 *           = 0.952381.
 * The exact long-run value follows from renewal reward: the expected time to get through
 * tau = T + w of failure-free time, where each failure costs a restart that itself takes
 * R = (e^{L r} - 1) / L on average (restarts restart), is
 *   E = (e^{L tau} - 1) (1/L + R) = (e^{L (T + w)} - 1) e^{L r} / L,
 * so goodput = T / E = L T e^{-L r} / (e^{L (T + w)} - 1) = 0.950861. The first-order formula
 * is 0.16% above it: it holds to 1% here, as asked (L T = 0.05). The job's last segment has
 * no write (it ends the job): 60 s in 1.8e6 s, a 3e-5 effect, negligible beside the
 * statistical tolerance below.
 *
 * Tolerance. Each replication's goodput (jobs.csv) is an independent draw; over n = 200 (a
 * run takes about a millisecond) the mean has standard error SE = s / sqrt(n), s the sample
 * standard deviation (about 0.7% per run here: ~26 failures a run, each losing 0 to 1 h),
 * so SE is about 0.05%. The mean must be within 3 SE of the exact value (a false alarm 0.3%
 * of the time, were the seeds not fixed), and within 3 SE plus the formula's own
 * second-order error (|first order - exact| = 0.0015) of the first-order formula: with
 * 200 runs the data tell the two apart (the first-order value is about 3 SE off). The mean
 * number of failures must match L x wall time within 3 SE as well. */
static void goodput_matches_expected_loss(void **state)
{
    (void)state;
    enum { RUNS = 200 };
    const double L = 16.0 / (320.0 * HOUR), T = 3600, w = 60, r = 600;
    const double first = 1.0 / (1.0 + w / T + L * (T / 2 + r));
    const double exact = L * T * exp(-L * r) / expm1(L * (T + w));
    tu_close(first, 1.0 / 1.05, 1e-12);
    tu_close(exact, 0.950861, 1e-6);
    assert_true(fabs(first - exact) <= 0.01 * exact);

    char path[4096];
    tu_src_path("tests/scenarios/workload-goodput.yaml", path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (dcsim_scenario_load(path, NULL, 0, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load %s", path);
    }
    double g[RUNS], gap[RUNS];
    double sum = 0, sum_gap = 0;
    for (uint64_t rep = 0; rep < RUNS; rep++) {
        dcsim_world *wd = NULL;
        char *dir = tu_mkdtemp();
        if (dcsim_world_create(sc, rep, &wd, &d) || dcsim_world_run(wd, &d) ||
            dcsim_world_write(wd, dir, "test", &d)) {
            dcsim_diag_print(&d, stderr);
            fail_msg("replication %llu failed", (unsigned long long)rep);
        }
        dcsim_world_destroy(wd);
        dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
        size_t row = tu_find_row(jobs, "job", "train");
        assert_true(row > 0);
        assert_string_equal(tu_field(jobs, row, "state"), "done");
        assert_string_equal(tu_field(jobs, row, "checkpoint_interval_s"), "3600");
        g[rep] = tu_num(jobs, row, "goodput");
        /* Failures against their expectation L x wall, wall = useful time / goodput. */
        double wall = 500 * T / g[rep];
        gap[rep] = tu_num(jobs, row, "failures") - L * wall;
        sum += g[rep];
        sum_gap += gap[rep];
        dcsim_csv_free(jobs);
        done(dir);
    }
    dcsim_scenario_free(sc);
    double mean = sum / RUNS, mean_gap = sum_gap / RUNS, ss = 0, ss_gap = 0;
    for (int i = 0; i < RUNS; i++) {
        ss += (g[i] - mean) * (g[i] - mean);
        ss_gap += (gap[i] - mean_gap) * (gap[i] - mean_gap);
    }
    double se = sqrt(ss / (RUNS - 1) / RUNS), se_gap = sqrt(ss_gap / (RUNS - 1) / RUNS);
    print_message("goodput over %d runs: mean %.6f, SE %.6f; exact %.6f, first order %.6f; "
                  "failures - L wall: %.3f (SE %.3f)\n", RUNS, mean, se, exact, first, mean_gap,
                  se_gap);
    assert_true(se > 0 && se < 0.002);      /* failures did happen, and not wildly */
    tu_close(mean, exact, 3 * se);
    tu_close(mean, first, 3 * se + fabs(first - exact));
    tu_close(mean_gap, 0.0, 3 * se_gap);
}

/* ---- 5. stuck GPUs ---------------------------------------------------------------------- */

static void stuck_gpus(void **state)
{
    (void)state;
    char *dir = run("tests/scenarios/workload-stuck.yaml", NULL, 0);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "train");
    /* 8.64e19 FLOP at 8e15 FLOP/s = 10800 s from 1h: done at 4h. */
    assert_string_equal(tu_field(jobs, r, "finish"), "2025-01-01T04:00:00Z");
    dcsim_csv_free(jobs);
    /* Stuck for S = 5h from the finish: 16 GPUs on [4h, 9h), 0 before and after. */
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    for (size_t k = 1; k < ts->n_rows; k++) {
        double t = tu_num(ts, k, "time_s");
        bool stuck = t >= 4 * HOUR && t < 9 * HOUR;
        bool running = t >= 1 * HOUR && t < 4 * HOUR;
        tu_close(tu_num(ts, k, "gpus_stuck"), stuck ? 16 : 0, 0);
        if (t >= 1 * HOUR) {
            /* Stuck GPUs are up but neither busy nor idle. */
            tu_close(tu_num(ts, k, "gpus_up"), 16, 0);
            tu_close(tu_num(ts, k, "utilization"), running ? 1 : 0, 0);
            tu_close(tu_num(ts, k, "gpus_idle"), running || stuck ? 0 : 16, 0);
        }
    }
    dcsim_csv_free(ts);
    /* G x S = 16 x 5 h = 80 GPU-hours stuck; the job was busy 16 x 3 h = 48 GPU-hours. */
    tu_close(summary(dir, "stuck_gpu_hours"), 80.0, 0);
    tu_close(summary(dir, "gpu_hours_busy"), 48.0, 0);
    done(dir);
}

/* ---- 6. the gate lights waiting racks when demand falls --------------------------------- */

static void job_end_lights_waiting_racks(void **state)
{
    (void)state;
    char *dir = run("tests/scenarios/workload-gate.yaml", NULL, 0);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* 1h: the job on the 2 first racks, u = 1: 2 x 140 kW = 280 kW of 300. */
    tu_close(ts_at(ts, 1 * HOUR, "racks_energized"), 2, 0);
    tu_close(ts_at(ts, 1 * HOUR, "facility_mw"), 0.280, MW_TOL);
    /* 3h, 4h: the 2 racks delivered at 2h wait: 280 + 140 = 420 kW > 300 kW. */
    for (double t = 3 * HOUR; t <= 4 * HOUR; t += HOUR) {
        tu_close(ts_at(ts, t, "racks_energized"), 2, 0);
        tu_close(ts_at(ts, t, "racks_stranded"), 2, 0);
        tu_close(ts_at(ts, t, "gpus_energized"), 16, 0);
        tu_close(ts_at(ts, t, "utilization"), 1, 0);
        tu_close(ts_at(ts, t, "facility_mw"), 0.280, MW_TOL);
    }
    /* 5h: the job ends, u = 0: 80 + 140 <= 300 and 120 + 140 <= 300 light both; all 4 at
     * idle draw 160 kW. */
    for (double t = 5 * HOUR; t <= 6 * HOUR; t += HOUR) {
        tu_close(ts_at(ts, t, "racks_energized"), 4, 0);
        tu_close(ts_at(ts, t, "racks_stranded"), 0, 0);
        tu_close(ts_at(ts, t, "gpus_energized"), 32, 0);
        tu_close(ts_at(ts, t, "utilization"), 0, 0);
        tu_close(ts_at(ts, t, "facility_mw"), 0.160, MW_TOL);
    }
    dcsim_csv_free(ts);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    assert_string_equal(tu_field(jobs, tu_find_row(jobs, "job", "train"), "finish"),
                        "2025-01-01T05:00:00Z");
    dcsim_csv_free(jobs);
    tu_close(summary(dir, "racks_stranded_final"), 0, 0);
    tu_close(summary(dir, "racks_stranded_peak"), 2, 0);
    done(dir);
}

/* ---- 6b. a throttled job runs slower ----------------------------------------------------- */

static void throttled_job_runs_slower(void **state)
{
    (void)state;
    char *dir = run("tests/scenarios/workload-throttle.yaml", NULL, 0);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* u = 1: 280 kW wanted, 250 kW there: cap 250 / 280, throughput 0.971429. */
    const double cap = 250.0 / 280.0, perf = 0.96 + (cap - 0.85) / 0.15 * 0.04;
    tu_close(ts_at(ts, 2 * HOUR, "facility_mw"), 0.250, MW_TOL);
    tu_close(ts_at(ts, 2 * HOUR, "throttle"), 1 - cap, 1e-4);
    tu_close(ts_at(ts, 2 * HOUR, "throughput"), perf, 1e-4);
    /* An hour of 16 x 1e15 x 0.5 x 0.971429 FLOP/s = 27977.143 PFLOP. */
    tu_close(ts_at(ts, 2 * HOUR, "train_pflop_done"), 3600 * 8e15 * perf / 1e15, 1e-3);
    /* After the job: 3 racks lit at idle (120 kW), the fourth still waits (260 > 250). */
    tu_close(ts_at(ts, 6 * HOUR, "racks_energized"), 3, 0);
    tu_close(ts_at(ts, 6 * HOUR, "racks_stranded"), 1, 0);
    tu_close(ts_at(ts, 6 * HOUR, "facility_mw"), 0.120, MW_TOL);
    dcsim_csv_free(ts);
    /* 1.152e20 / 7.771429e15 = 14823.53 s -> 14824 s after 1h: 18424 s = 05:07:04. */
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "train");
    assert_string_equal(tu_field(jobs, r, "finish"), "2025-01-01T05:07:04Z");
    assert_string_equal(tu_field(jobs, r, "progress"), "1.000000");
    dcsim_csv_free(jobs);
    done(dir);
}

/* ---- 7. inference and the scheduler ----------------------------------------------------- */

static void inference_growth(void **state)
{
    (void)state;
    char *dir = run("tests/scenarios/workload-inference.yaml", NULL, 0);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    const double half = 0.5 * 365.25 * 86400, year = 365.25 * 86400;
    /* t = 0: nothing lit yet; 20 wanted, none served. */
    tu_close(ts_at(ts, 0, "inference_served_gpus"), 0, 0);
    tu_close(ts_at(ts, 0, "inference_unserved_gpus"), 20, 0);
    /* Half a year: 20 x 2^0.5 = 28.284 <= 32, all served. */
    tu_close(ts_at(ts, half, "inference_served_gpus"), 20 * sqrt(2.0), 5e-4);
    tu_close(ts_at(ts, half, "inference_unserved_gpus"), 0, 0);
    /* A year: 40 wanted, 32 there: min(32, 40) served, 8 not. */
    tu_close(ts_at(ts, year, "inference_served_gpus"), 32, 0);
    tu_close(ts_at(ts, year, "inference_unserved_gpus"), 8, 0);
    tu_close(ts_at(ts, year, "utilization"), 1, 0);
    dcsim_csv_free(ts);
    done(dir);
}

static void check_sched(const char *const *sets, size_t n_sets, const char *state,
                        double served, double unserved, double util)
{
    char *dir = run("tests/scenarios/workload-sched.yaml", sets, n_sets);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    tu_close(ts_at(ts, 2 * HOUR, "inference_served_gpus"), served, 0);
    tu_close(ts_at(ts, 2 * HOUR, "inference_unserved_gpus"), unserved, 0);
    tu_close(ts_at(ts, 2 * HOUR, "utilization"), util, 0);
    dcsim_csv_free(ts);
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    size_t r = tu_find_row(jobs, "job", "train");
    assert_string_equal(tu_field(jobs, r, "state"), state);
    assert_string_equal(tu_field(jobs, r, "start"),
                        strcmp(state, "running") == 0 ? "2025-01-01T01:00:00Z" : "");
    dcsim_csv_free(jobs);
    done(dir);
}

static void scheduler_policies(void **state)
{
    (void)state;
    /* priority: the job (2) before inference (1): job 16, inference 16 of 20. */
    check_sched(NULL, 0, "running", 16, 4, 1.0);
    /* fifo: inference came first (0h) and keeps 20; 12 left < 16: the job waits. */
    static const char *const fifo[] = {"scheduler.policy=fifo"};
    check_sched(fifo, 1, "waiting", 20, 0, 0.625);
    /* fifo, inference from 90min: the job came first (1h) and keeps its 16. */
    static const char *const fifo_late[] = {"scheduler.policy=fifo", "inference.start=90min"};
    check_sched(fifo_late, 2, "running", 16, 4, 1.0);
    /* priority, inference at 3 above the job's 2: inference takes 20, the job waits. */
    static const char *const inf_first[] = {"inference.priority=3"};
    check_sched(inf_first, 1, "waiting", 20, 0, 0.625);
    /* The late inference's half hour (90min to 2h) is counted from its start to the second:
     * 16 GPUs served and 4 unserved for 0.5 h. */
    char *dir = run("tests/scenarios/workload-sched.yaml", fifo_late, 2);
    tu_close(summary(dir, "inference_served_gpu_hours"), 8.0, 0);
    tu_close(summary(dir, "inference_unserved_gpu_hours"), 2.0, 0);
    done(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rack_power_follows_curve),
        cmocka_unit_test(job_finishes_on_time),
        cmocka_unit_test(young_interval),
        cmocka_unit_test(goodput_matches_expected_loss),
        cmocka_unit_test(stuck_gpus),
        cmocka_unit_test(job_end_lights_waiting_racks),
        cmocka_unit_test(throttled_job_runs_slower),
        cmocka_unit_test(inference_growth),
        cmocka_unit_test(scheduler_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
