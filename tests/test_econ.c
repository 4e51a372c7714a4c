/* Tests of the economics (sim/model/ledger.c, sim/record/costs.c, the planned twin in
 * world.c, the Monte Carlo's cost of slip): against hand-worked figures on the small
 * scenarios tests/scenarios/econ*.yaml, whose comments give the racks' and the prices'
 * timing. Money is checked in the outputs' MUSD, printed to the dollar (6 decimals). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"
#include "dcsim/world.h"
#include "support/testutil.h"

#define YEAR_S 31557600.0       /* the cost of capital is a rate per 365.25 days */
#define DAY_S 86400.0
#define DOLLAR 1e-6             /* one dollar in MUSD: the outputs' resolution */

/* econ.yaml: ten racks of $3M stranded for 25,919,945 rack-seconds (its comment), at 10% a
 * year. */
#define STRANDED_RACK_S 25919945.0
#define RACK_USD 3.0e6
#define RATE 0.10

typedef struct run {
    char *dir;
    dcsim_csv_table *summary, *series, *milestones;
} run;

static run run_of(const char *scenario, const char *const *sets, size_t n_sets)
{
    run r = {.dir = tu_mkdtemp()};
    tu_run_scenario(scenario, sets, n_sets, r.dir);
    r.summary = tu_read_csv(r.dir, "summary.csv");
    r.series = tu_read_csv(r.dir, "timeseries.csv");
    r.milestones = tu_read_csv(r.dir, "milestones.csv");
    return r;
}

static void run_free(run *r)
{
    dcsim_csv_free(r->summary);
    dcsim_csv_free(r->series);
    dcsim_csv_free(r->milestones);
    tu_rm_tree(r->dir);
    free(r->dir);
}

static double metric(const run *r, const char *name)
{
    size_t row = tu_find_row(r->summary, "metric", name);
    if (row == 0)
        fail_msg("summary.csv has no %s", name);
    return tu_num(r->summary, row, "value");
}

/* The value of column col at the row of day `day` (rows are daily from 0). */
static double at_day(const run *r, const char *col, int day)
{
    return tu_num(r->series, (size_t)day + 1, col);
}

/* Carrying cost: N x K x r x D. Here sum over racks of K r (time stranded) =
 * 3e6 x 0.10 x 25,919,945 / 31,557,600 = $246,405.6. The series ends on it and stays flat
 * after day 30; capital idle while installing (k + 1 seconds each, 55 rack-seconds) costs
 * 3e6 x 0.1 x 55 / 31,557,600 = $0.52. */
static void carrying_cost_by_hand(void **state)
{
    (void)state;
    run r = run_of("tests/scenarios/econ.yaml", NULL, 0);
    double want = RACK_USD * RATE * STRANDED_RACK_S / YEAR_S / 1e6;
    tu_close(metric(&r, "stranded_cost_musd"), want, DOLLAR);
    tu_close(at_day(&r, "stranded_cost_musd", 45), want, DOLLAR);
    /* Halfway through the wait: 10 racks for 15 days, less the 55 s of installation. */
    tu_close(at_day(&r, "stranded_cost_musd", 15),
             RACK_USD * RATE * (10 * 15 * DAY_S - 55) / YEAR_S / 1e6, DOLLAR);
    tu_close(metric(&r, "idle_cost_musd"), RACK_USD * RATE * 55 / YEAR_S / 1e6, DOLLAR);
    /* The stranded GPU-hours are priced as value lost: 72 GPUs x 25,919,945 s / 3600 x $2. */
    tu_close(metric(&r, "value_lost_stranding_musd"), 72 * STRANDED_RACK_S / 3600 * 2 / 1e6,
             DOLLAR);
    run_free(&r);
}

/* Energy cost = integral of purchased power x price (econ-energy.yaml's working): $504 a
 * day, 10 days, and per day from the cumulative series. The first 10 seconds light the racks
 * one by one (5.5 MJ short of 1 MW, at $10/MWh: 1.5 cents), below a dollar. Gas runs only
 * in the $50 hours, when every rack is lit: exactly 7.2 MWh and 72 MMBtu a day. */
static void energy_cost_is_power_times_price(void **state)
{
    (void)state;
    run r = run_of("tests/scenarios/econ-energy.yaml", NULL, 0);
    tu_close(metric(&r, "energy_cost_musd"), 10 * 504 / 1e6, DOLLAR);
    for (int day = 1; day < 10; day++)
        tu_close(at_day(&r, "energy_cost_musd", day + 1) - at_day(&r, "energy_cost_musd", day),
                 504 / 1e6, 2 * DOLLAR);
    tu_close(metric(&r, "generation_mwh"), 72.0, 1e-3);
    tu_close(metric(&r, "fuel_burned_mmbtu"), 720.0, 1e-3);
    tu_close(metric(&r, "fuel_cost_musd"), 720 * 2.0 / 1e6, DOLLAR);
    /* The grid: 12 h at 1 MW and 12 h at 0.4 MW a day, 10 days, less the first seconds. */
    tu_close(metric(&r, "grid_mwh"), 10 * (12 + 12 * 0.4), 0.01);
    tu_close(metric(&r, "grid_cost_musd"), 10 * (12 * 10 + 12 * 0.4 * 50) / 1e6, DOLLAR);
    tu_close(metric(&r, "unsourced_mwh"), 0.0, 0);
    run_free(&r);
}

/* A what-if without stranding (the permit takes no time): the stranded cost is 0 and the
 * value delivered rises by the stranded GPU-hours at their price, 72 GPUs x 25,919,945 s /
 * 3600 x $2 = $1,036,797.8 (base: 720 GPUs lit from day 30 to 60; what-if: rack k lit at
 * k + 1 s, the second it was stranded from in the base). */
static void no_stranding_raises_value(void **state)
{
    (void)state;
    run base = run_of("tests/scenarios/econ.yaml", NULL, 0);
    const char *sets[] = {"power.sources.grid.stages.permit.duration=0d"};
    run fast = run_of("tests/scenarios/econ.yaml", sets, 1);
    tu_close(metric(&fast, "stranded_cost_musd"), 0.0, 0);
    tu_close(metric(&fast, "value_lost_stranding_musd"), 0.0, 0);
    tu_close(metric(&base, "value_delivered_musd"), 720 * 30 * 24 * 2.0 / 1e6, DOLLAR);
    tu_close(metric(&fast, "value_delivered_musd") - metric(&base, "value_delivered_musd"),
             72 * STRANDED_RACK_S / 3600 * 2.0 / 1e6, 2 * DOLLAR);
    run_free(&base);
    run_free(&fast);
}

/* Units: every money figure is in millions of US dollars. Capital: 10 racks x $3M plus a
 * 2 MW hall x $5M/MW = $40M. The first row (time 0) holds the hall and the two racks that
 * arrive at 0 s: 10 + 2 x 3 = $16M; the racks are all in by 2 s. */
static void money_is_in_musd(void **state)
{
    (void)state;
    run r = run_of("tests/scenarios/econ.yaml", NULL, 0);
    tu_close(at_day(&r, "capex_musd", 0), 16.0, DOLLAR);
    tu_close(at_day(&r, "capex_musd", 1), 40.0, DOLLAR);
    tu_close(at_day(&r, "capex_musd", 59), 40.0, DOLLAR);
    tu_close(metric(&r, "capex_musd"), 40.0, DOLLAR);
    size_t musd = 0;
    for (size_t row = 1; row < r.summary->n_rows; row++) {
        const char *m = tu_field(r.summary, row, "metric");
        size_t n = strlen(m);
        if (n > 5 && strcmp(m + n - 5, "_musd") == 0) {
            assert_string_equal(tu_field(r.summary, row, "unit"), "MUSD");
            musd++;
        }
    }
    assert_true(musd >= 15);
    /* Energy: 1 MW lit for 30 days at $40/MWh = $28,800. */
    tu_close(metric(&r, "energy_cost_musd"), 720 * 40 / 1e6, DOLLAR);
    /* Depreciation over 5 years and the capital charge over the 60 days, by hand: racks
     * 30e6 x 60/1826.25 days; the hall 10e6 x 60/(20 x 365.25); the charge 40e6 x 0.1 x
     * 60/365.25. */
    tu_close(metric(&r, "depreciation_musd"),
             (30e6 * 60 / (5 * 365.25) + 10e6 * 60 / (20 * 365.25)) / 1e6, DOLLAR);
    tu_close(metric(&r, "capital_charge_musd"), 40e6 * 0.1 * 60 / 365.25 / 1e6, DOLLAR);
    run_free(&r);
}

/* A building paid evenly over its construction (building_payment: spread): the hall takes 10
 * days, so its $10M comes in at $1M a day while the racks' $30M is in by the second 2. The
 * capital charge at 10% over 60 days, by hand: racks 30e6 x 0.1 x 60 / 365.25; the hall
 * 10e6 x 0.1 x (50 days whole + 10 days at half on average) / 365.25. Depreciation: racks
 * 30e6 x 60 / (5 x 365.25); the hall, each day's $1M aged from its payment to day 60, over
 * 20 years: 1e6 x (60^2 - 50^2) / 2 / (20 x 365.25). */
static void building_paid_evenly(void **state)
{
    (void)state;
    const char *sets[] = {"buildings.hall.duration=10d", "economics.building_payment=spread"};
    run r = run_of("tests/scenarios/econ.yaml", sets, 2);
    tu_close(at_day(&r, "capex_musd", 0), 6.0, DOLLAR);     /* two racks, nothing paid yet */
    for (int day = 1; day <= 10; day++)
        tu_close(at_day(&r, "capex_musd", day), 30.0 + day, DOLLAR);
    tu_close(at_day(&r, "capex_musd", 20), 40.0, DOLLAR);
    tu_close(metric(&r, "capital_charge_musd"),
             (30e6 * 0.1 * 60 / 365.25 + 10e6 * 0.1 * (50 + 10 / 2.0) / 365.25) / 1e6, DOLLAR);
    tu_close(metric(&r, "depreciation_musd"),
             (30e6 * 60 / (5 * 365.25) + 1e6 * (60.0 * 60 - 50.0 * 50) / 2 / (20 * 365.25)) /
                 1e6,
             DOLLAR);
    run_free(&r);
}

/* A source's capital is paid when its pipeline completes: the grid's permit ends at day 30, so
 * $2M more from that row on; its charge 2e6 x 0.1 x 30 / 365.25 and depreciation over a
 * building's 20 years, 2e6 x 30 / (20 x 365.25), on top of econ.yaml's (money_is_in_musd). */
static void source_paid_when_done(void **state)
{
    (void)state;
    const char *sets[] = {"economics.source_capex.grid=2e6"};
    run r = run_of("tests/scenarios/econ.yaml", sets, 1);
    tu_close(at_day(&r, "capex_musd", 29), 40.0, DOLLAR);
    tu_close(at_day(&r, "capex_musd", 30), 42.0, DOLLAR);
    tu_close(metric(&r, "capital_charge_musd"),
             (40e6 * 0.1 * 60 / 365.25 + 2e6 * 0.1 * 30 / 365.25) / 1e6, DOLLAR);
    tu_close(metric(&r, "depreciation_musd"),
             (30e6 * 60 / (5 * 365.25) + 10e6 * 60 / (20 * 365.25) + 2e6 * 30 / (20 * 365.25)) /
                 1e6,
             DOLLAR);
    run_free(&r);
}

/* The cost of slip when a risk adds 20 days to the permit: the planned twin (no risk) lights
 * the racks at day 30, the run at day 50. Over those 20 days the run carries ten stranded
 * racks ($3M x 10% a year each) and misses 720 GPU-hours an hour ($2 each), and the plan buys
 * 1 MW at $40/MWh: 1,728,000 s x (3e7 x 0.1 / 31,557,600 + 720 x 2 / 3600 - 40 / 3600).
 * After day 50 both run alike, so the whole run's cost of slip is the same. */
static double slip_by_hand(void)
{
    return 20 * DAY_S * (10 * RACK_USD * RATE / YEAR_S + 720 * 2.0 / 3600 - 40.0 / 3600) / 1e6;
}

static void cost_of_slip_against_plan(void **state)
{
    (void)state;
    const char *sets[] = {"risks.late.probability=1"};
    run r = run_of("tests/scenarios/econ.yaml", sets, 1);
    size_t lit = tu_find_row(r.milestones, "milestone", "lit");
    tu_close(tu_num(r.milestones, lit, "slip_days"), 20.0, 1e-3);
    tu_close(tu_num(r.milestones, lit, "slip_cost_musd"), slip_by_hand(), DOLLAR);
    tu_close(metric(&r, "slip_cost_musd"), slip_by_hand(), DOLLAR);
    run_free(&r);
    /* Without the risk the run is its plan: nothing to pay. */
    run same = run_of("tests/scenarios/econ.yaml", NULL, 0);
    tu_close(metric(&same, "slip_cost_musd"), 0.0, 0);
    run_free(&same);
}

/* A training run 20 days late at $1M a day costs $20M on top (econ-job.yaml). */
static void training_run_late(void **state)
{
    (void)state;
    const char *sets[] = {"risks.late.probability=1"};
    run r = run_of("tests/scenarios/econ-job.yaml", sets, 1);
    tu_close(metric(&r, "job_slip_cost_musd"), 20.0, DOLLAR);
    /* The whole run's: its last milestone's cost of slip plus the run's lateness. */
    size_t lit = tu_find_row(r.milestones, "milestone", "lit");
    assert_true(tu_num(r.milestones, lit, "slip_cost_musd") > 0);
    tu_close(metric(&r, "slip_cost_musd"), tu_num(r.milestones, lit, "slip_cost_musd") + 20.0,
             2 * DOLLAR);
    run_free(&r);
}

/* A Monte Carlo of econ.yaml with its risk certain, written into a new folder (*dir). */
static dcsim_mc *late_mc(const dcsim_mc_opts *o, dcsim_scenario **sc, char **dir)
{
    char src[4096];
    tu_src_path("tests/scenarios/econ.yaml", src, sizeof src);
    const char *sets[] = {"risks.late.probability=1"};
    dcsim_diag d;
    assert_int_equal(dcsim_scenario_load(src, sets, 1, false, 0, sc, &d), DCSIM_OK);
    dcsim_mc *mc = NULL;
    assert_int_equal(dcsim_mc_run(*sc, o, &mc, &d), DCSIM_OK);
    *dir = tu_mkdtemp();
    assert_int_equal(dcsim_mc_write(mc, *dir, "test", &d), DCSIM_OK);
    return mc;
}

static void late_mc_free(dcsim_mc *mc, dcsim_scenario *sc, char *dir)
{
    tu_rm_tree(dir);
    free(dir);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
}

/* The Monte Carlo: every run alike, so P10 = P50 = P90 = the hand figure; switching the risk
 * off removes the whole cost, so its dollar contribution is minus that, ranked first. */
static void monte_carlo_cost_of_slip(void **state)
{
    (void)state;
    dcsim_mc_opts o = {.runs = 20, .threads = 2};
    dcsim_scenario *sc = NULL;
    char *dir = NULL;
    dcsim_mc *mc = late_mc(&o, &sc, &dir);
    dcsim_csv_table *t = tu_read_csv(dir, "milestones.csv");
    size_t lit = tu_find_row(t, "milestone", "lit");
    static const char *const q[] = {"slip_cost_p10_musd", "slip_cost_p50_musd",
                                    "slip_cost_p90_musd"};
    for (int k = 0; k < 3; k++)
        tu_close(tu_num(t, lit, q[k]), slip_by_hand(), DOLLAR);
    dcsim_csv_free(t);
    t = tu_read_csv(dir, "drivers.csv");
    size_t late = tu_find_row(t, "driver", "risk:late");
    assert_true(late > 0);
    tu_close(tu_num(t, late, "slip_contribution_days"), -20.0, 1e-9);
    tu_close(tu_num(t, late, "slip_contribution_musd"), -slip_by_hand(), DOLLAR);
    assert_string_equal(tu_field(t, late, "rank_musd"), "1");
    dcsim_csv_free(t);
    t = tu_read_csv(dir, "runs.csv");
    tu_close(tu_num(t, 1, "lit_slip_cost_musd"), slip_by_hand(), DOLLAR);
    tu_close(tu_num(t, 1, "slip_cost_musd"), slip_by_hand(), DOLLAR);
    dcsim_csv_free(t);
    late_mc_free(mc, sc, dir);
}

/* Only the first cost_runs replications are priced (each takes a planned twin): the others'
 * columns are empty, and the quantiles are over the priced ones. */
static void monte_carlo_prices_the_first_runs(void **state)
{
    (void)state;
    dcsim_mc_opts o = {.runs = 12, .threads = 2, .driver_runs = 3, .cost_runs = 5};
    dcsim_scenario *sc = NULL;
    char *dir = NULL;
    dcsim_mc *mc = late_mc(&o, &sc, &dir);
    assert_int_equal(dcsim_mc_cost_runs(mc), 5);
    dcsim_csv_table *t = tu_read_csv(dir, "runs.csv");
    assert_int_equal(t->n_rows, 13);
    for (size_t r = 1; r < t->n_rows; r++) {
        if (r <= 5)
            tu_close(tu_num(t, r, "lit_slip_cost_musd"), slip_by_hand(), DOLLAR);
        else
            assert_string_equal(tu_field(t, r, "lit_slip_cost_musd"), "");
    }
    dcsim_csv_free(t);
    t = tu_read_csv(dir, "milestones.csv");
    assert_string_equal(tu_field(t, 1, "slip_cost_runs"), "5");
    tu_close(tu_num(t, 1, "slip_cost_p50_musd"), slip_by_hand(), DOLLAR);
    dcsim_csv_free(t);
    late_mc_free(mc, sc, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(carrying_cost_by_hand),
        cmocka_unit_test(energy_cost_is_power_times_price),
        cmocka_unit_test(no_stranding_raises_value),
        cmocka_unit_test(money_is_in_musd),
        cmocka_unit_test(building_paid_evenly),
        cmocka_unit_test(source_paid_when_done),
        cmocka_unit_test(cost_of_slip_against_plan),
        cmocka_unit_test(training_run_late),
        cmocka_unit_test(monte_carlo_cost_of_slip),
        cmocka_unit_test(monte_carlo_prices_the_first_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
