/* The power side of the buildout against hand-computed answers: equipment a stage needs,
 * a transformer delay moving a power-gated milestone by exactly as much, failing stages,
 * generation availability against MTBF / (MTBF + MTTR), a deterministic curtailment, PPA
 * output following its profile, and deliveries shared by sites under each allocation rule.
 * Each scenario under tests/scenarios/ has its working in its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support/testutil.h"

#define DAY 86400.0
#define MONTH 2630016.0

static double summary(const char *dir, const char *metric)
{
    dcsim_csv_table *t = tu_read_csv(dir, "summary.csv");
    size_t r = tu_find_row(t, "metric", metric);
    assert_true(r > 0);
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

static void equipment_gates_stage(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/equipment-needs.yaml", NULL, 0, dir);
    dcsim_csv_table *ms = tu_read_csv(dir, "milestones.csv");
    size_t r = tu_find_row(ms, "milestone", "lit");
    /* The substation's 30 days end on day 30, the transformers arrive on day 50: day 50. */
    assert_string_equal(tu_field(ms, r, "simulated"), "2025-02-20");
    tu_close(tu_num(ms, r, "slip_days"), 10.0, 1e-9);
    assert_string_equal(tu_field(ms, r, "cause"), "power:grid");
    assert_string_equal(tu_field(ms, r, "critical_path"),
                        "source:grid < stage:grid.substation < equipment:lpt");
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* Day 49: racks commissioned, no power; day 50: all 40 lit (5 MW of 10 MW). */
    size_t d49 = row_at(ts, 49 * DAY), d50 = row_at(ts, 50 * DAY);
    assert_int_equal((int)tu_num(ts, d49, "racks_stranded"), 40);
    tu_close(tu_num(ts, d49, "supply_mw"), 0.0, 0);
    assert_int_equal((int)tu_num(ts, d50, "racks_energized"), 40);
    tu_close(tu_num(ts, d50, "facility_mw"), 5.0, 1e-9);
    dcsim_csv_free(ts);
    dcsim_csv_free(ms);

    /* Transformers 9 months late: the milestone moves by exactly 9 x 30.44 days. */
    char *late = tu_mkdtemp();
    static const char *const sets[] = {"equipment.lpt.ordered=9mo"};
    tu_run_scenario("tests/scenarios/equipment-needs.yaml", sets, 1, late);
    ms = tu_read_csv(late, "milestones.csv");
    r = tu_find_row(ms, "milestone", "lit");
    tu_close(tu_num(ms, r, "slip_days"), 10.0 + 9 * MONTH / DAY, 1e-3);
    dcsim_csv_free(ms);
    tu_rm_tree(dir), tu_rm_tree(late);
    free(dir), free(late);
}

static void failing_stage_never_delivers(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/failing-stage.yaml", NULL, 0, dir);
    dcsim_csv_table *ev = tu_read_csv(dir, "events.csv");
    size_t r = tu_find_row(ev, "event", "stage_failed");
    assert_true(r > 0);
    assert_string_equal(tu_field(ev, r, "element"), "gas.air-permit");
    assert_non_null(strstr(tu_field(ev, r, "detail"), "'gas' will never deliver"));
    /* Nothing after the permit starts, and no capacity ever comes online. */
    assert_int_equal(tu_find_row(ev, "event", "tranche_online"), 0);
    for (size_t k = 1; k < ev->n_rows; k++)
        assert_string_not_equal(tu_field(ev, k, "element"), "gas.construction");
    dcsim_csv_free(ev);
    dcsim_csv_table *ms = tu_read_csv(dir, "milestones.csv");
    assert_string_equal(tu_field(ms, 1, "reached"), "false");
    dcsim_csv_free(ms);
    tu_close(summary(dir, "supply_final_mw"), 0.0, 0);
    tu_close(summary(dir, "racks_stranded_final"), 50.0, 0);
    tu_rm_tree(dir);
    free(dir);
}

static void generation_availability(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/generation-availability.yaml", NULL, 0, dir);
    /* MTBF / (MTBF + MTTR) = 100 / 110; within 1% (relative). */
    double a = summary(dir, "generation_availability");
    tu_close(a, 100.0 / 110.0, 0.01 * 100.0 / 110.0);
    /* Supply counts only units up: 1 MW per unit, at every sample. */
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    for (size_t r = 1; r < ts->n_rows; r++)
        tu_close(tu_num(ts, r, "supply_mw"), 100.0 - tu_num(ts, r, "units_down"), 1e-6);
    dcsim_csv_free(ts);
    tu_rm_tree(dir);
    free(dir);
}

static void curtailment_window(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/curtailment-day.yaml", NULL, 0, dir);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* 2025-03-10 is day 9 of the run; the curtailment covers [14:00, 16:00). */
    double day9 = 9 * DAY;
    for (size_t r = 1; r < ts->n_rows; r++) {
        double t = tu_num(ts, r, "time_s");
        bool on = t >= day9 + 14 * 3600 && t < day9 + 16 * 3600;
        tu_close(tu_num(ts, r, "supply_mw"), on ? 5.0 : 10.0, 1e-9);
        tu_close(tu_num(ts, r, "curtailed_mw"), on ? 5.0 : 0.0, 1e-9);
    }
    dcsim_csv_free(ts);
    tu_rm_tree(dir);
    free(dir);
}

static void ppa_follows_profile(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/ppa-profile.yaml", NULL, 0, dir);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    for (size_t r = 1; r < ts->n_rows; r++) {
        double hour = fmod(tu_num(ts, r, "time_s") / 3600.0, 24.0);
        tu_close(tu_num(ts, r, "supply_mw"), hour < 12 ? 0.0 : 50.0, 1e-9);
        tu_close(tu_num(ts, r, "supply_solar_mw"), hour < 12 ? 0.0 : 50.0, 1e-9);
    }
    dcsim_csv_free(ts);
    tu_rm_tree(dir);
    free(dir);
}

/* 15 racks shared by a dark site and a lit one (2 MW, 10 positions each, 100 kW racks). */
static void pool_allocation(void **state)
{
    (void)state;
    static const struct {
        const char *rule;
        double lit;
    } cases[] = {
        {"priority", 10},   /* the lit site's priority is higher: it fills first */
        {"in-order", 5},    /* dark-hall is listed first: 10 there, 5 lit */
        {"pro-rata", 7},    /* alternate, ties to the first listed: 8 dark, 7 lit */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *dir = tu_mkdtemp();
        char set[64];
        snprintf(set, sizeof set, "deliveries.shared.allocation=%s", cases[i].rule);
        const char *sets[] = {set};
        tu_run_scenario("tests/scenarios/pool-sites.yaml", sets, 1, dir);
        tu_close(summary(dir, "racks_energized"), cases[i].lit, 0);
        tu_close(summary(dir, "racks_stranded_final"), 15 - cases[i].lit, 0);
        tu_close(summary(dir, "racks_unplaced"), 0, 0);
        tu_rm_tree(dir);
        free(dir);
    }
    /* 25 racks for 20 positions: 5 have nowhere to go. */
    char *dir = tu_mkdtemp();
    static const char *const more[] = {"deliveries.shared.total=25"};
    tu_run_scenario("tests/scenarios/pool-sites.yaml", more, 1, dir);
    tu_close(summary(dir, "racks_unplaced"), 5, 0);
    tu_rm_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equipment_gates_stage),
        cmocka_unit_test(failing_stage_never_delivers),
        cmocka_unit_test(generation_availability),
        cmocka_unit_test(curtailment_window),
        cmocka_unit_test(ppa_follows_profile),
        cmocka_unit_test(pool_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
