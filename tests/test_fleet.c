/* The fleet's failures, repairs, spares and switch failures against hand-computed answers:
 * steady-state GPU availability MTBF / (MTBF + MTTR) per failure unit, discrete and
 * aggregate modes agreeing in mean, spare nodes cutting the down time to the swap, a switch
 * taking exactly its racks down for exactly its repair, the Llama 3 default causes,
 * counters that stay consistent while racks are shed, and aggregate-mode interruptions.
 * Each tests/scenarios/fleet-*.yaml has its working in its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support/testutil.h"

static double summary(const char *dir, const char *metric)
{
    dcsim_csv_table *t = tu_read_csv(dir, "summary.csv");
    size_t r = tu_find_row(t, "metric", metric);
    if (r == 0)
        fail_msg("summary.csv has no metric '%s'", metric);
    double v = tu_num(t, r, "value");
    dcsim_csv_free(t);
    return v;
}

typedef struct run_out {
    double availability;    /* 1 - integral(down) / integral(lit) */
    double failed;          /* GPUs taken down, cumulative */
    double lit_hours;       /* GPU-hours energized */
} run_out;

/* Run a scenario with up to 3 overrides (NULL for none) and read what the fleet reports. */
static run_out run(const char *scenario, const char *s1, const char *s2, const char *s3)
{
    const char *sets[3];
    size_t n = 0;
    if (s1)
        sets[n++] = s1;
    if (s2)
        sets[n++] = s2;
    if (s3)
        sets[n++] = s3;
    char *dir = tu_mkdtemp();
    tu_run_scenario(scenario, sets, n, dir);
    run_out o = {summary(dir, "gpu_availability"), summary(dir, "gpus_failed"),
                 summary(dir, "gpu_hours_energized")};
    /* Every sample: GPUs up + in repair = energized, and repair never exceeds energized. */
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    for (size_t r = 1; r < ts->n_rows; r++) {
        double lit = tu_num(ts, r, "gpus_energized"), down = tu_num(ts, r, "gpus_in_repair");
        assert_true(down >= 0 && down <= lit);
        tu_close(tu_num(ts, r, "gpus_up"), lit - down, 0);
    }
    dcsim_csv_free(ts);
    tu_rm_tree(dir);
    free(dir);
    return o;
}

/* (1) One cause, fixed 10 h repair, MTBF 90 h per running GPU: 0.9 (scenario header). */
static void availability_one_cause(void **state)
{
    (void)state;
    const char *sc = "tests/scenarios/fleet-availability.yaml";
    run_out gpu = run(sc, NULL, NULL, NULL);
    tu_close(gpu.availability, 0.9, 0.01 * 0.9);
    /* Failures: 1,440 GPUs x ~17,530 h x 0.9 up / 90 h = ~252,000, Poisson (sd ~500). */
    tu_close(gpu.failed, gpu.lit_hours * gpu.availability / 90.0, 4 * sqrt(gpu.failed));

    /* Node of 4 at MTBF 360 h per GPU: a node fails every 90 h running, 10 h down: 0.9. */
    run_out node = run(sc, "failures.causes.hw.takes=node", "failures.causes.hw.mtbf=360h",
                       NULL);
    tu_close(node.availability, 0.9, 0.01 * 0.9);
    /* Node failures: one per 360 running GPU-hours, 4 GPUs each: ~252,000 GPUs again from
     * ~63,000 failures; 4 GPUs per Poisson count, so sd = 4 sqrt(failed / 4) = 2 sqrt(failed).
     * A repair returns 4 GPUs to a rack and adds a clock rather than redrawing (fleet.c):
     * a bias there shows here as a count off by more than the 4 sd allowed (~1.6%). */
    tu_close(node.failed, 4 * node.lit_hours * node.availability / 360.0,
             4 * 2 * sqrt(node.failed));
    /* The same MTBF per GPU as before with takes node: 4x the down share per event,
     * 1 / (1 + 4 x 10 / 90) = 0.6923. */
    run_out node4 = run(sc, "failures.causes.hw.takes=node", NULL, NULL);
    tu_close(node4.availability, 90.0 / 130.0, 0.01 * 90.0 / 130.0);

    /* The aggregate mode, one-day steps (longer than the repair): the same 0.9. */
    run_out agg = run(sc, "failures.mode=aggregate", NULL, NULL);
    tu_close(agg.availability, 0.9, 0.01 * 0.9);
}

/* (2) Discrete and aggregate agree in mean. K replications per mode (seeds 1..K, the same
 * for both); each mode's sample standard deviation s over its K runs estimates one run's
 * noise, so the difference of the two means has standard error sqrt(s_d^2/K + s_a^2/K).
 * The test allows 4 of them (Welch t with ~8 degrees of freedom: a false alarm ~0.4% of the
 * time, and the seeds are fixed, so it is deterministic). A systematic bias of the
 * aggregate step (~1e-3 in availability) would show at ~1.5 SE: the runs are long so that
 * the SE is small (~5e-4). */
#define K 5
static void modes_agree(void **state)
{
    (void)state;
    const char *sc = "tests/scenarios/fleet-modes.yaml";
    static const char *const modes[2] = {"failures.mode=discrete", "failures.mode=aggregate"};
    double avail[2][K], rate[2][K];
    for (int md = 0; md < 2; md++)
        for (int k = 0; k < K; k++) {
            char seed[32];
            snprintf(seed, sizeof seed, "seed=%d", k + 1);
            run_out o = run(sc, modes[md], seed, NULL);
            avail[md][k] = o.availability;
            rate[md][k] = o.failed / (o.lit_hours * o.availability);  /* per running GPU-h */
        }
    double (*series[2])[K] = {avail, rate};
    const char *names[2] = {"availability", "GPUs failed per running GPU-hour"};
    for (int q = 0; q < 2; q++) {
        double mean[2], var[2];
        for (int md = 0; md < 2; md++) {
            double s = 0, ss = 0;
            for (int k = 0; k < K; k++)
                s += series[q][md][k];
            mean[md] = s / K;
            for (int k = 0; k < K; k++)
                ss += (series[q][md][k] - mean[md]) * (series[q][md][k] - mean[md]);
            var[md] = ss / (K - 1);
        }
        double se = sqrt(var[0] / K + var[1] / K);
        print_message("%s: discrete %.6g, aggregate %.6g, difference %.3g, SE %.3g\n",
                      names[q], mean[0], mean[1], mean[1] - mean[0], se);
        if (!(fabs(mean[1] - mean[0]) <= 4 * se))
            fail_msg("%s: discrete %.6g and aggregate %.6g differ by more than 4 SE (%.3g)",
                     names[q], mean[0], mean[1], se);
    }
    /* Rate check against the scenario: 1/150 + 4/1200 = 0.01 GPUs per running GPU-hour,
     * less the node failures capped by GPUs already in repair (a few in 10^4). */
    tu_close(rate[0][0], 0.01, 0.0003);
}

/* (3) Spares: a node is down only for the 1 h swap: 100 / 101 up; without spares, 0.5. */
static void spares(void **state)
{
    (void)state;
    const char *sc = "tests/scenarios/fleet-spares.yaml";
    run_out with = run(sc, NULL, NULL, NULL);
    tu_close(1 - with.availability, 1.0 / 101.0, 0.05 / 101.0);
    /* Aggregate mode returns GPUs at step boundaries, unbiased but dithered: with daily
     * steps a 1 h swap is 0 or 24 h (probability 1/24), which multiplies the down share's
     * noise by ~5 (2.7% here, too close to 5%). Hourly steps make the swap exact. */
    run_out agg = run(sc, "failures.mode=aggregate", "sample=1h", NULL);
    tu_close(1 - agg.availability, 1.0 / 101.0, 0.05 / 101.0);
    run_out without = run(sc, "failures.spares.nodes=0", NULL, NULL);
    tu_close(without.availability, 0.5, 0.01 * 0.5);
}

/* (4) A switch failure takes exactly its 4 racks (288 GPUs) down for exactly 5 h: hourly
 * samples see runs of exactly 5 rows at a multiple of 288 (two switches down at once: 576),
 * each outage adding 288 to gpus_failed; so sum(rows / 288) = 5 x gpus_failed / 288. */
static void switch_outage(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/fleet-switch.yaml", NULL, 0, dir);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    size_t run_len = 0, runs = 0;
    bool overlap = false;
    double unit_rows = 0;
    for (size_t r = 1; r < ts->n_rows; r++) {
        double down = tu_num(ts, r, "gpus_in_repair");
        assert_true(fmod(down, 288) == 0);
        unit_rows += down / 288;
        if (down > 0) {
            run_len++;
            overlap = overlap || down > 288;
            continue;
        }
        /* A run of rows with GPUs down ended: alone, an outage shows as exactly 5 rows of
         * 288; two overlapping ones make a longer run with some rows at 576, and a switch
         * failing again within the hour of its restore (no sample between) 10 rows. */
        if (run_len > 0 && !overlap) {
            if (run_len % 5 != 0)
                fail_msg("an outage run of %zu hourly rows ends at row %zu", run_len, r);
            runs += run_len / 5;
        }
        run_len = 0;
        overlap = false;
    }
    double failed = summary(dir, "gpus_failed");
    assert_true(fmod(failed, 288) == 0);
    assert_true(runs >= 20);    /* ~32 outages expected (scenario header) */
    tu_close(unit_rows, 5 * failed / 288, 0);
    /* Down share: outages x 288 GPUs x 5 h over 864 GPUs lit. */
    tu_close(summary(dir, "gpu_availability"),
             1 - (failed / 288) * 288 * 5 / summary(dir, "gpu_hours_energized"), 1e-5);
    dcsim_csv_free(ts);
    tu_rm_tree(dir);
    free(dir);
}

/* (5) Llama 3 defaults: 419 failures per 21,233,664 GPU-hours in all, of which 268 take a
 * GPU, 97 a node and 54 nothing (scenario header). */
static void llama3_defaults(void **state)
{
    (void)state;
    const double gpu_hours = 54.0 * 24.0 * 16384.0;
    assert_true(gpu_hours == 21233664.0);
    char path[4096];
    tu_src_path("tests/scenarios/fleet-llama3.yaml", path, sizeof path);
    dcsim_scenario *sc = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_scenario_load(path, NULL, 0, false, 0, &sc, &d), DCSIM_OK);
    double by_takes[4] = {0, 0, 0, 0}, all = 0;
    for (uint32_t c = 0; c < sc->fleet.n_causes; c++) {
        double per_run = sc->fleet.causes[c].rate_per_gpu_s * 3600.0 * gpu_hours;
        by_takes[sc->fleet.causes[c].takes] += per_run;
        all += per_run;
    }
    tu_close(all, 419.0, 1e-9);
    tu_close(by_takes[DCSIM_TAKES_NOTHING], 54.0, 1e-9);
    tu_close(by_takes[DCSIM_TAKES_GPU], 268.0, 1e-9);
    tu_close(by_takes[DCSIM_TAKES_NODE], 97.0, 1e-9);
    tu_close(by_takes[DCSIM_TAKES_RACK], 0.0, 0);
    assert_int_equal(sc->rack_models[0].gpus_per_node, 4);
    dcsim_scenario_free(sc);

    /* GPUs taken down = (268 x 1 + 97 x 4) / 21,233,664 per running GPU-hour; failures are
     * Poisson per cause, so the count's variance is sum(expected failures x GPUs^2). */
    static const char *const modes[2] = {"failures.mode=discrete", "failures.mode=aggregate"};
    for (int md = 0; md < 2; md++) {
        run_out o = run("tests/scenarios/fleet-llama3.yaml", modes[md], NULL, NULL);
        double running = o.lit_hours * o.availability;
        double n_gpu = 268.0 * running / gpu_hours, n_node = 97.0 * running / gpu_hours;
        double expect = n_gpu + 4 * n_node, sd = sqrt(n_gpu + 16 * n_node);
        print_message("%s: %.0f GPUs failed, expected %.0f +- %.0f\n", modes[md], o.failed,
                      expect, sd);
        tu_close(o.failed, expect, 4 * sd);
        assert_true(expect > 15000);    /* many failures: the check has power */
    }
}

/* (6) Shortages shed and restore racks while GPUs fail, spares run out and switches cut
 * racks off: counters stay consistent (run() checks every sample; the model asserts
 * gpus_down <= gpus_lit at every change), and the same seed gives the same bytes. */
static void shed_interactions(void **state)
{
    (void)state;
    const char *sc = "tests/scenarios/fleet-shed.yaml";
    static const char *const modes[2] = {"failures.mode=discrete", "failures.mode=aggregate"};
    for (int md = 0; md < 2; md++) {
        char *dir = tu_mkdtemp();
        const char *sets[1] = {modes[md]};
        tu_run_scenario(sc, sets, 1, dir);
        assert_true(summary(dir, "shed_rack_days") > 100);
        assert_true(summary(dir, "gpus_failed") > 10000);
        double a = summary(dir, "gpu_availability");
        assert_true(a > 0.7 && a < 0.9);
        run_out again = run(sc, modes[md], NULL, NULL);
        tu_close(again.availability, a, 0);
        char *dir2 = tu_mkdtemp();
        tu_run_scenario(sc, sets, 1, dir2);
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/timeseries.csv", dir);
        snprintf(p2, sizeof p2, "%s/timeseries.csv", dir2);
        size_t n1, n2;
        char *b1 = tu_slurp(p1, &n1), *b2 = tu_slurp(p2, &n2);
        assert_non_null(b1);
        assert_non_null(b2);
        assert_int_equal(n1, n2);
        assert_memory_equal(b1, b2, n1);
        free(b1), free(b2);
        tu_rm_tree(dir), tu_rm_tree(dir2);
        free(dir), free(dir2);
    }
}

/* (7) The aggregate mode interrupts jobs once per failure, at moments spread over the step
 * (not all at its boundary, which would lose the work since the last checkpoint once per
 * step). tests/scenarios/workload-goodput.yaml: software faults at L = 16 / 320 h on a job
 * of 16 GPUs checkpointing every T = 1 h (write w = 60 s, restart r = 600 s); its goodput is
 * L T exp(-L r) / expm1(L (T + w)) = 0.950861 (tests/test_workload.c has the working).
 * Interruptions trail their failures by up to a step (they are drawn at the step's end), so
 * hourly steps keep that lag out of a 22-day job. 100 seeds: the mean is within 4 standard
 * errors (the runs' sample standard deviation / 10). */
static void aggregate_interrupts_jobs(void **state)
{
    (void)state;
    enum { RUNS = 100 };
    const double L = 16.0 / (320.0 * 3600.0), T = 3600, w = 60, r = 600;
    const double exact = L * T * exp(-L * r) / expm1(L * (T + w));
    tu_close(exact, 0.950861, 1e-6);
    double sum = 0, ss = 0;
    for (int k = 0; k < RUNS; k++) {
        char seed[32];
        snprintf(seed, sizeof seed, "seed=%d", k + 1);
        const char *sets[3] = {"failures.mode=aggregate", "sample=1h", seed};
        char *dir = tu_mkdtemp();
        tu_run_scenario("tests/scenarios/workload-goodput.yaml", sets, 3, dir);
        dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
        size_t row = tu_find_row(jobs, "job", "train");
        assert_true(row > 0);
        assert_string_equal(tu_field(jobs, row, "state"), "done");
        double g = tu_num(jobs, row, "goodput");
        sum += g;
        ss += g * g;
        dcsim_csv_free(jobs);
        tu_rm_tree(dir);
        free(dir);
    }
    double mean = sum / RUNS, sd = sqrt((ss - sum * sum / RUNS) / (RUNS - 1));
    print_message("aggregate goodput %.5f (SE %.5f), expected %.6f\n", mean, sd / sqrt(RUNS),
                  exact);
    tu_close(mean, exact, 4 * sd / sqrt(RUNS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(availability_one_cause),
        cmocka_unit_test(modes_agree),
        cmocka_unit_test(spares),
        cmocka_unit_test(switch_outage),
        cmocka_unit_test(llama3_defaults),
        cmocka_unit_test(shed_interactions),
        cmocka_unit_test(aggregate_interrupts_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
