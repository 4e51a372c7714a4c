/* Tests of the risk register (sim/model/risk.c, sim/scenario/scn_risk.c) on
 * tests/scenarios/risk-delay.yaml, whose milestone `lit` is gated by a 100-day permit:
 * a certain 90-day delay moves it by exactly 90 days; a risk of probability p fires in a
 * share p of runs; a risk that strikes after the permit is done does nothing; risks sharing a
 * driver fire together as the Gaussian copula says, independent ones multiply; a mitigation
 * lowers the share and the slip; switching a risk off changes nothing else in the run; a
 * cancellation stops the milestone; a capacity loss takes its share of supply for its time;
 * a delivery cut stretches the racks' intervals; the Monte Carlo's register. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"
#include "dcsim/world.h"
#include "support/testutil.h"

#define DAY 86400
#define PLAN (100 * DAY)        /* the permit's 100 days: `lit` without any risk */

/* risk-delay.yaml with each `from` text replaced by `to` (once each), loaded with sets. */
static dcsim_scenario *load_variant(const char *const *from, const char *const *to, size_t n,
                                    const char *const *sets, size_t n_sets)
{
    char src[4096];
    tu_src_path("tests/scenarios/risk-delay.yaml", src, sizeof src);
    size_t len;
    char *text = tu_slurp(src, &len);
    assert_non_null(text);
    for (size_t k = 0; k < n; k++) {
        char *at = strstr(text, from[k]);
        if (!at)
            fail_msg("'%s' is not in risk-delay.yaml", from[k]);
        size_t lf = strlen(from[k]), lt = strlen(to[k]), tail = strlen(at + lf);
        char *grown = malloc(strlen(text) - lf + lt + 1);
        assert_non_null(grown);
        size_t head = (size_t)(at - text);
        memcpy(grown, text, head);
        memcpy(grown + head, to[k], lt);
        memcpy(grown + head + lt, at + lf, tail + 1);
        free(text);
        text = grown;
    }
    char path[4200];
    char *dir = tu_write_temp("risk.yaml", text, path, sizeof path);
    free(text);
    dcsim_scenario *sc = NULL;
    dcsim_diag d;
    if (dcsim_scenario_load(path, sets, n_sets, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load the variant");
    }
    tu_rm_tree(dir);
    free(dir);
    return sc;
}

static dcsim_scenario *load_with(const char *const *sets, size_t n_sets)
{
    return load_variant(NULL, NULL, 0, sets, n_sets);
}

/* A risk that fires for certain at the start. */
#define AT_ONCE "    probability: 1\n    window: [0d, 0d]\n"

/* The body of the risk `slip` in risk-delay.yaml, which a test may replace whole. */
#define SLIP_BODY                                                                           \
    AT_ONCE "    hits: grid.permit\n    delay: 90d\n"                                       \
    "    driver: market\n    mitigation: {cost: 5e6, probability: 0.1, delay: 30d}"

/* risk-delay.yaml with `slip` given `body` instead. */
static dcsim_scenario *load_slip(const char *body)
{
    const char *from[] = {SLIP_BODY}, *to[] = {body};
    return load_variant(from, to, 1, NULL, 0);
}

typedef struct outcome {
    int64_t lit;            /* the milestone's time, or -1 */
    bool fired[3];          /* slip, twin, solo */
} outcome;

static outcome run(const dcsim_scenario *sc, uint64_t rep, int fix_risk)
{
    dcsim_world *w = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_world_create(sc, rep, &w, &d), DCSIM_OK);
    if (fix_risk >= 0)
        dcsim_world_fix(w, DCSIM_DRIVER_RISK, (uint32_t)fix_risk);
    assert_int_equal(dcsim_world_run(w, &d), DCSIM_OK);
    outcome o = {.lit = dcsim_world_milestone_time(w, 0)};
    for (uint32_t i = 0; i < 3 && i < sc->n_risks; i++)
        o.fired[i] = dcsim_world_risk_fired(w, i);
    dcsim_world_destroy(w);
    return o;
}

/* Probability 1, a fixed 90 d on the running permit: `lit` moves by exactly 90 d. */
static void certain_delay_moves_milestone(void **state)
{
    (void)state;
    dcsim_scenario *with = load_with(NULL, 0);
    const char *off[] = {"risks.slip.probability=0"};
    dcsim_scenario *without = load_with(off, 1);
    outcome a = run(with, 0, -1), b = run(without, 0, -1);
    assert_true(a.fired[0]);
    assert_false(b.fired[0]);
    assert_int_equal(b.lit, PLAN);
    assert_int_equal(a.lit - b.lit, 90 * DAY);
    /* Struck before the permit started (a 10-day wait ahead of it), the 90 days go on its
     * duration instead: the same 90 days later. */
    const char *from[] = {"      stages:\n        permit:\n          duration: 100d"};
    const char *to[] = {"      start: 10d\n      stages:\n        permit:\n          duration: 100d"};
    dcsim_scenario *later = load_variant(from, to, 1, NULL, 0);
    const char *off_later[] = {"risks.slip.probability=0"};
    dcsim_scenario *later_off = load_variant(from, to, 1, off_later, 1);
    assert_int_equal(run(later, 0, -1).lit - run(later_off, 0, -1).lit, 90 * DAY);
    dcsim_scenario_free(with);
    dcsim_scenario_free(without);
    dcsim_scenario_free(later);
    dcsim_scenario_free(later_off);
}

/* A site stands for its sources, stages and buildings, delayed as a whole by one delay: the
 * permit (running) ends 90 d later, the grid's pipeline (it waits for the permit) inherits
 * that without a second 90 d, the hall (0 days, still running at the instant the risk
 * fires) is ready at 90 d. `lit` comes at exactly 190 d, not at 280 d. */
static void site_delayed_as_a_whole(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip(AT_ONCE "    hits: risk-delay\n    delay: 90d");
    assert_int_equal(sc->risks[0].n_hits, 3);      /* grid, grid.permit, hall */
    assert_int_equal(run(sc, 0, -1).lit, PLAN + 90 * DAY);
    dcsim_scenario_free(sc);
}

/* Probability 0.3: it fires in 30% of 2,000 runs within 4 standard errors
 * (sqrt(0.3 x 0.7 / 2000) = 0.0102), and `lit` slips by 90 d in exactly those runs. */
static void fires_at_its_probability(void **state)
{
    (void)state;
    const char *sets[] = {"risks.slip.probability=0.3"};
    dcsim_scenario *sc = load_with(sets, 1);
    enum { N = 2000 };
    int fired = 0;
    for (uint64_t rep = 0; rep < N; rep++) {
        outcome o = run(sc, rep, -1);
        fired += o.fired[0];
        assert_int_equal(o.lit, o.fired[0] ? PLAN + 90 * DAY : PLAN);
    }
    tu_close((double)fired / N, 0.3, 4 * sqrt(0.3 * 0.7 / N));
    dcsim_scenario_free(sc);
}

/* Struck at 150 d, after the permit finished at 100 d: no effect, though it fired. */
static void finished_work_is_not_hit(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip("    probability: 1\n    window: [150d, 150d]\n"
                                   "    hits: grid.permit\n    delay: 90d");
    outcome o = run(sc, 0, -1);
    assert_true(o.fired[0]);
    assert_int_equal(o.lit, PLAN);
    dcsim_scenario_free(sc);
}

/* P(both fire) under the copula: with a = Phi^-1(p) and Z_i = sqrt(rho) X + sqrt(1-rho) e_i,
 * P(Z_1 < a, Z_2 < a) = integral of phi(x) Phi((a - sqrt(rho) x) / sqrt(1 - rho))^2 dx. */
typedef struct joint_arg {
    double a, rho;
} joint_arg;

static double joint_integrand(double x, void *v)
{
    const joint_arg *j = v;
    double c = gsl_cdf_ugaussian_P((j->a - sqrt(j->rho) * x) / sqrt(1 - j->rho));
    return gsl_ran_ugaussian_pdf(x) * c * c;
}

static double joint_probability(double p, double rho)
{
    joint_arg j = {gsl_cdf_ugaussian_Pinv(p), rho};
    gsl_function f = {joint_integrand, &j};
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    assert_non_null(ws);
    double result, err;
    assert_int_equal(gsl_integration_qagi(&f, 1e-12, 1e-10, 1000, ws, &result, &err), 0);
    gsl_integration_workspace_free(ws);
    return result;
}

/* slip and twin share the driver `market` (rho 0.6), solo is independent; all at p = 0.3.
 * Over 4,000 runs the joint firing rates match the copula (0.1727 for the pair) and the
 * product (0.09) within 4 standard errors of a proportion, and each single rate stays 0.3. */
static void shared_driver_correlates(void **state)
{
    (void)state;
    const char *sets[] = {"risks.slip.probability=0.3", "risks.twin.probability=0.3",
                          "risks.solo.probability=0.3"};
    dcsim_scenario *sc = load_with(sets, 3);
    enum { N = 4000 };
    int both = 0, slip_solo = 0, n_slip = 0, n_twin = 0, n_solo = 0;
    for (uint64_t rep = 0; rep < N; rep++) {
        outcome o = run(sc, rep, -1);
        both += o.fired[0] && o.fired[1];
        slip_solo += o.fired[0] && o.fired[2];
        n_slip += o.fired[0];
        n_twin += o.fired[1];
        n_solo += o.fired[2];
    }
    double pj = joint_probability(0.3, 0.6);
    tu_close(pj, 0.1727, 1e-4);     /* far above 0.09 (4 SE is 0.024): the test tells them apart */
    tu_close((double)both / N, pj, 4 * sqrt(pj * (1 - pj) / N));
    tu_close((double)slip_solo / N, 0.09, 4 * sqrt(0.09 * 0.91 / N));
    double se = 4 * sqrt(0.3 * 0.7 / N);
    tu_close((double)n_slip / N, 0.3, se);
    tu_close((double)n_twin / N, 0.3, se);
    tu_close((double)n_solo / N, 0.3, se);
    dcsim_scenario_free(sc);
}

/* The mitigation (probability 0.1, delay 30 d): mitigated, the risk fires in ~10% of runs
 * and costs 30 d when it does; `--mitigated` and `--set risks.slip.mitigated=true` agree run
 * for run. The mitigated share is below the unmitigated one (1) by far. */
static void mitigation_lowers_share_and_slip(void **state)
{
    (void)state;
    dcsim_scenario *all = load_with(NULL, 0);
    dcsim_scenario_mitigate_all(all);
    const char *sets[] = {"risks.slip.mitigated=true"};
    dcsim_scenario *one = load_with(sets, 1);
    enum { N = 2000 };
    int fired = 0;
    for (uint64_t rep = 0; rep < N; rep++) {
        outcome a = run(all, rep, -1), b = run(one, rep, -1);
        assert_int_equal(a.lit, b.lit);
        assert_int_equal(a.fired[0], b.fired[0]);
        fired += a.fired[0];
        assert_int_equal(a.lit, a.fired[0] ? PLAN + 30 * DAY : PLAN);
    }
    tu_close((double)fired / N, 0.1, 4 * sqrt(0.1 * 0.9 / N));
    dcsim_scenario_free(all);
    dcsim_scenario_free(one);
}

/* Switched off (the drivers analysis), the risk leaves the run exactly as a scenario where
 * it never fires; its correlated twin still fires as before (its draws and the driver's are
 * untouched). */
static void switched_off_changes_nothing_else(void **state)
{
    (void)state;
    const char *sets[] = {"risks.slip.probability=0.5", "risks.twin.probability=0.5"};
    dcsim_scenario *sc = load_with(sets, 2);
    const char *zero[] = {"risks.slip.probability=0", "risks.twin.probability=0.5"};
    dcsim_scenario *never = load_with(zero, 2);
    int compared = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        outcome as_run = run(sc, rep, -1), off = run(sc, rep, 0), ref = run(never, rep, -1);
        assert_false(off.fired[0]);
        assert_int_equal(off.fired[1], as_run.fired[1]);
        assert_int_equal(off.lit, ref.lit);
        compared += as_run.fired[0];
    }
    assert_true(compared > 5);      /* runs where switching it off did change something */
    dcsim_scenario_free(sc);
    dcsim_scenario_free(never);
}

/* A cancellation of the permit: the grid never delivers, so `lit` is never reached. */
static void cancellation_stops_the_milestone(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip(AT_ONCE "    hits: grid.permit\n    cancel: true");
    outcome o = run(sc, 0, -1);
    assert_true(o.fired[0]);
    assert_int_equal(o.lit, -1);
    dcsim_scenario_free(sc);
}

/* A per-day risk over a 100-day window fires in a run with probability 1 - (1 - q)^100. */
static void per_day_probability(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip("    per_day: 0.005\n    window: [0d, 100d]\n"
                                   "    hits: grid.permit\n    delay: 90d\n"
                                   "    mitigation: {cost: 5e6, per_day: 0.001}");
    double p = 1 - pow(1 - 0.005, 100);
    tu_close(dcsim_risk_run_probability(&sc->risks[0], false), p, 1e-12);
    tu_close(dcsim_risk_run_probability(&sc->risks[0], true), 1 - pow(1 - 0.001, 100), 1e-12);
    enum { N = 2000 };
    int fired = 0;
    for (uint64_t rep = 0; rep < N; rep++) {
        outcome o = run(sc, rep, -1);
        fired += o.fired[0];
        /* It strikes while the permit runs (days 0 to 100), so it always delays `lit`. */
        assert_int_equal(o.lit, o.fired[0] ? PLAN + 90 * DAY : PLAN);
    }
    tu_close((double)fired / N, p, 4 * sqrt(p * (1 - p) / N));
    dcsim_scenario_free(sc);
}

/* A value of the daily series at day `day` of replication 0. */
static double series_at(const dcsim_scenario *sc, const char *col, uint32_t day)
{
    dcsim_world *w = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_world_create(sc, 0, &w, &d), DCSIM_OK);
    assert_int_equal(dcsim_world_run(w, &d), DCSIM_OK);
    long c = dcsim_world_column(w, col);
    assert_true(c >= 0);
    double v = dcsim_world_value(w, day, c);
    dcsim_world_destroy(w);
    return v;
}

/* 80% of the 20 MW grid lost at day 150 for 30 days: supply reads 4 MW during the loss and
 * 20 MW after; the 50 racks (6 MW at PUE 1.2) do not fit 4 MW, so some are shed, and all
 * are lit again once the capacity is back. */
static void capacity_lost_for_a_time(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip("    probability: 1\n    window: [150d, 150d]\n"
                                   "    hits: grid\n    capacity_lost: {share: 0.8, for: 30d}");
    tu_close(series_at(sc, "supply_mw", 149), 20.0, 1e-9);
    tu_close(series_at(sc, "supply_mw", 160), 4.0, 1e-9);
    tu_close(series_at(sc, "supply_mw", 181), 20.0, 1e-9);
    assert_true(series_at(sc, "racks_energized", 160) < 50);
    tu_close(series_at(sc, "racks_energized", 181), 50.0, 0);
    assert_int_equal(run(sc, 0, -1).lit, PLAN);    /* lit at 100 d, before the loss */
    dcsim_scenario_free(sc);
    /* Mitigated to half the grid lost: 10 MW during the loss, and the 6 MW campus fits. */
    dcsim_scenario *mit = load_slip("    probability: 1\n    window: [150d, 150d]\n"
                                    "    hits: grid\n    capacity_lost: {share: 0.8, for: 30d}\n"
                                    "    mitigation: {cost: 1e6, share: 0.5}\n"
                                    "    mitigated: true");
    tu_close(series_at(mit, "supply_mw", 160), 10.0, 1e-9);
    tu_close(series_at(mit, "racks_energized", 160), 50.0, 0);
    dcsim_scenario_free(mit);
}

/* Half of the hall (50 positions) lost at day 150 for 30 days: the 25 newest of its 50 lit
 * racks go dark and wait, and all 50 are lit again when the hall is whole; supply is not
 * touched. */
static void building_capacity_lost(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_slip("    probability: 1\n    window: [150d, 150d]\n"
                                   "    hits: hall\n    capacity_lost: {share: 0.5, for: 30d}");
    tu_close(series_at(sc, "racks_energized", 149), 50.0, 0);
    tu_close(series_at(sc, "racks_energized", 160), 25.0, 0);
    tu_close(series_at(sc, "supply_mw", 160), 20.0, 1e-9);
    tu_close(series_at(sc, "racks_energized", 181), 50.0, 0);
    dcsim_scenario_free(sc);
    /* Lost before the racks light (at day 10, for good): only 25 ever light, and `lit`
     * (all 50) is never reached. */
    dcsim_scenario *early = load_slip("    probability: 1\n    window: [10d, 10d]\n"
                                      "    hits: hall\n    capacity_lost: {share: 0.5}");
    tu_close(series_at(early, "racks_energized", 400), 25.0, 0);
    assert_int_equal(run(early, 0, -1).lit, -1);
    dcsim_scenario_free(early);
}

/* Deliveries halved for good from the start: 30 racks a month become 15. Rack k comes at
 * llround(k x 87,667.2 s) without the cut (a month is 2,630,016 s); with it, each of the 49
 * intervals before the last rack is stretched by 1 / (1 - 0.5), adding 87,667 s each. The
 * last rack (k = 49) then comes at 49 x 87,667 + llround(49 x 87,667.2) s. */
static void delivery_cut_slows_the_racks(void **state)
{
    (void)state;
    const char *from[] = {"    per_month: 100000", "when: racks_energized >= 50", SLIP_BODY};
    const char *to[] = {"    per_month: 30", "when: racks_delivered >= 50",
                        AT_ONCE "    hits: hall-racks\n"
                        "    delivery_cut: {share: 0.5}"};
    dcsim_scenario *cut = load_variant(from, to, 3, NULL, 0);
    const char *off[] = {"risks.slip.probability=0"};
    dcsim_scenario *none = load_variant(from, to, 3, off, 1);
    int64_t nominal = llround(49 * 87667.2);
    assert_int_equal(run(none, 0, -1).lit, nominal);
    assert_int_equal(run(cut, 0, -1).lit, 49 * 87667 + nominal);
    dcsim_scenario_free(cut);
    dcsim_scenario_free(none);
}

/* The Monte Carlo's register: slip (p 0.4, 90 d) and solo (p 0, never fires) on the permit.
 * risks.csv lists both for `lit`; slip fired in ~40% of 400 runs (4 SE = 0.049), its mean
 * delay is 90 d, it is on `lit`'s chain exactly when it fired (criticality = fired share),
 * and switching it off takes the P80 slip from 90 d (40% of runs slip, more than 20%) to
 * 0: a contribution of exactly -90 d. solo contributes 0. drivers.csv lists both risks. */
static void monte_carlo_register(void **state)
{
    (void)state;
    const char *sets[] = {"risks.slip.probability=0.4"};
    dcsim_scenario *sc = load_with(sets, 1);
    dcsim_mc_opts o = {.runs = 400, .threads = 2, .driver_runs = 400};
    dcsim_mc *mc = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_mc_run(sc, &o, &mc, &d), DCSIM_OK);
    char *dir = tu_mkdtemp();
    assert_int_equal(dcsim_mc_write(mc, dir, "test", &d), DCSIM_OK);
    dcsim_csv_table *t = tu_read_csv(dir, "risks.csv");
    size_t slip = tu_find_row(t, "risk", "slip"), solo = tu_find_row(t, "risk", "solo");
    assert_true(slip > 0 && solo > 0);
    double share = tu_num(t, slip, "fired_share");
    tu_close(share, 0.4, 4 * sqrt(0.4 * 0.6 / 400));
    tu_close(tu_num(t, slip, "mean_delay_days"), 90.0, 1e-9);
    tu_close(tu_num(t, slip, "criticality"), share, 1e-9);
    tu_close(tu_num(t, slip, "slip_contribution_days"), -90.0, 1e-9);
    tu_close(tu_num(t, slip, "probability"), 0.4, 1e-9);
    assert_string_equal(tu_field(t, slip, "mitigation_cost_usd"), "5000000");
    tu_close(tu_num(t, solo, "fired_share"), 0.0, 0);
    tu_close(tu_num(t, solo, "slip_contribution_days"), 0.0, 0);
    dcsim_csv_free(t);
    t = tu_read_csv(dir, "drivers.csv");
    size_t ds = tu_find_row(t, "driver", "risk:slip"), dz = tu_find_row(t, "driver", "risk:solo");
    assert_true(ds > 0 && dz > 0);
    tu_close(tu_num(t, ds, "fired_share"), share, 1e-9);
    tu_close(tu_num(t, ds, "slip_contribution_days"), -90.0, 1e-9);
    dcsim_csv_free(t);
    tu_rm_tree(dir);
    free(dir);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(certain_delay_moves_milestone),
        cmocka_unit_test(site_delayed_as_a_whole),
        cmocka_unit_test(fires_at_its_probability),
        cmocka_unit_test(finished_work_is_not_hit),
        cmocka_unit_test(shared_driver_correlates),
        cmocka_unit_test(mitigation_lowers_share_and_slip),
        cmocka_unit_test(switched_off_changes_nothing_else),
        cmocka_unit_test(cancellation_stops_the_milestone),
        cmocka_unit_test(per_day_probability),
        cmocka_unit_test(capacity_lost_for_a_time),
        cmocka_unit_test(building_capacity_lost),
        cmocka_unit_test(delivery_cut_slows_the_racks),
        cmocka_unit_test(monte_carlo_register),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
