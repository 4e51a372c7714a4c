/* Whole-scenario checks of the power gate and the run outputs: the hand-computed gate case
 * (tests/scenarios/gate-basic.yaml, whose header has the working), same seed -> same bytes,
 * common random numbers across what-ifs, and a grid cut that must strand racks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "support/testutil.h"

#define DAY 86400.0

/* gate-basic: 10 MW, PUE 1.25, 100 racks x 120 kW -> 150 kW each at the facility;
 * floor(10 MW / 150 kW) = 66 lit and 34 stranded until the 6 MW source arrives on day 40. */
static void gate_basic_numbers(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    tu_run_scenario("tests/scenarios/gate-basic.yaml", NULL, 0, dir);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    /* Row r is day r - 1 (daily samples from day 0 to day 60). */
    assert_int_equal(ts->n_rows, 1 + 61);
    for (size_t day = 10; day <= 39; day++) {
        size_t r = day + 1;
        assert_int_equal((long)tu_num(ts, r, "time_s"), (long)(day * 86400));
        assert_int_equal((int)tu_num(ts, r, "racks_energized"), 66);
        assert_int_equal((int)tu_num(ts, r, "racks_stranded"), 34);
        assert_int_equal((int)tu_num(ts, r, "racks_installed"), 100);
        assert_int_equal((int)tu_num(ts, r, "gpus_energized"), 66 * 72);
        /* 66 x 150 kW = 9.9 MW facility, 66 x 120 kW = 7.92 MW IT. */
        tu_close(tu_num(ts, r, "facility_mw"), 9.9, 1e-6);
        tu_close(tu_num(ts, r, "it_mw"), 7.92, 1e-6);
        tu_close(tu_num(ts, r, "supply_mw"), 10.0, 1e-6);
        tu_close(tu_num(ts, r, "pue"), 1.25, 1e-9);
    }
    for (size_t day = 40; day <= 60; day++) {
        size_t r = day + 1;
        assert_int_equal((int)tu_num(ts, r, "racks_energized"), 100);
        assert_int_equal((int)tu_num(ts, r, "racks_stranded"), 0);
        tu_close(tu_num(ts, r, "supply_mw"), 16.0, 1e-6);
        tu_close(tu_num(ts, r, "facility_mw"), 15.0, 1e-6);
        tu_close(tu_num(ts, r, "supply_late-source_mw"), 6.0, 1e-6);
    }
    assert_string_equal(tu_field(ts, 41, "date"), "2025-02-10");

    dcsim_csv_table *ms = tu_read_csv(dir, "milestones.csv");
    size_t r = tu_find_row(ms, "milestone", "all-racks");
    assert_true(r > 0);
    assert_string_equal(tu_field(ms, r, "planned"), "2025-01-31");
    assert_string_equal(tu_field(ms, r, "simulated"), "2025-02-10");
    tu_close(tu_num(ms, r, "slip_days"), 10.0, 1e-9);
    assert_string_equal(tu_field(ms, r, "reached"), "true");
    assert_string_equal(tu_field(ms, r, "cause"), "power:late-source");

    /* Stranded rack-days: 34 racks from the moment the 67th rack was commissioned to day 40.
     * Racks 67..100 were commissioned between day 8 and day 9, so the integral lies between
     * 34 x 31 and 34 x 32 rack-days. */
    dcsim_csv_table *sum = tu_read_csv(dir, "summary.csv");
    size_t sr = tu_find_row(sum, "metric", "stranded_rack_days");
    assert_true(sr > 0);
    double srd = tu_num(sum, sr, "value");
    assert_true(srd > 34 * 31.0 && srd < 34 * 32.0);
    sr = tu_find_row(sum, "metric", "racks_stranded_peak");
    assert_int_equal((int)tu_num(sum, sr, "value"), 34);

    dcsim_csv_free(ts);
    dcsim_csv_free(ms);
    dcsim_csv_free(sum);
    tu_rm_tree(dir);
    free(dir);
}

static const char *const run_files[] = {"timeseries.csv", "events.csv", "milestones.csv",
                                        "summary.csv", "meta.csv"};

static int same_file(const char *a_dir, const char *b_dir, const char *name)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/%s", a_dir, name);
    snprintf(b, sizeof b, "%s/%s", b_dir, name);
    size_t la, lb;
    char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
    assert_non_null(x);
    assert_non_null(y);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    char *a = tu_mkdtemp(), *b = tu_mkdtemp(), *c = tu_mkdtemp();
    tu_run_scenario("scenarios/stargate-abilene.yaml", NULL, 0, a);
    tu_run_scenario("scenarios/stargate-abilene.yaml", NULL, 0, b);
    static const char *const other_seed[] = {"seed=12345"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", other_seed, 1, c);
    for (size_t i = 0; i < sizeof run_files / sizeof *run_files; i++)
        assert_true(same_file(a, b, run_files[i]));
    /* Another seed draws other durations: the series and the events must differ. */
    assert_false(same_file(a, c, "timeseries.csv"));
    assert_false(same_file(a, c, "events.csv"));
    tu_rm_tree(a), tu_rm_tree(b), tu_rm_tree(c);
    free(a), free(b), free(c);
}

/* The time of the first events.csv line with this event and element, or -1. */
static long event_time(const dcsim_csv_table *ev, const char *event, const char *element)
{
    for (size_t r = 1; r < ev->n_rows; r++)
        if (strcmp(tu_field(ev, r, "event"), event) == 0 &&
            strcmp(tu_field(ev, r, "element"), element) == 0)
            return (long)tu_num(ev, r, "time_s");
    return -1;
}

/* Common random numbers: changing B8's construction time must not move any draw of the
 * other elements, so the gas pipeline and B1's completion happen at the same second. The
 * register's risks that hit B8 are off in both runs, so that B8 takes exactly its duration. */
static void what_if_keeps_other_draws(void **state)
{
    (void)state;
    char *a = tu_mkdtemp(), *b = tu_mkdtemp();
    static const char *const base[] = {"risks.labour-materials.probability=0",
                                       "risks.architects-exodus.probability=0"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", base, 2, a);
    static const char *const sets[] = {"risks.labour-materials.probability=0",
                                       "risks.architects-exodus.probability=0",
                                       "buildings.B8.duration=30mo"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", sets, 3, b);
    dcsim_csv_table *ea = tu_read_csv(a, "events.csv"), *eb = tu_read_csv(b, "events.csv");
    static const char *const same[][2] = {
        {"pipeline_done", "gas"}, {"pipeline_done", "grid"}, {"building_ready", "B1"},
        {"building_ready", "B7"}, {"stage_done", "gas.turbine-delivery"},
        {"delivery_first", "B3-racks"},
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        long ta = event_time(ea, same[i][0], same[i][1]);
        assert_true(ta >= 0);
        assert_int_equal(ta, event_time(eb, same[i][0], same[i][1]));
    }
    /* B8 itself now takes 30 months from its start. */
    long s8 = event_time(eb, "construction_start", "B8"), r8 = event_time(eb, "building_ready", "B8");
    assert_true(s8 >= 0);
    assert_int_equal(r8 - s8, 30L * 2630016L);
    dcsim_csv_free(ea);
    dcsim_csv_free(eb);
    tu_rm_tree(a), tu_rm_tree(b);
    free(a), free(b);
}

static double summary_value(const char *dir, const char *metric)
{
    dcsim_csv_table *t = tu_read_csv(dir, "summary.csv");
    size_t r = tu_find_row(t, "metric", metric);
    assert_true(r > 0);
    double v = tu_num(t, r, "value");
    dcsim_csv_free(t);
    return v;
}

/* With 600 MW of grid instead of 1000 MW (+360 MW gas, 5% reserve: 912 MW of budget for
 * ~890-950 MW of racks at the facility, depending on the hour's PUE), racks must be stranded
 * for longer, and no milestone may come earlier; the full campus comes later or never. */
static void grid_cut_strands_racks(void **state)
{
    (void)state;
    char *a = tu_mkdtemp(), *b = tu_mkdtemp();
    tu_run_scenario("scenarios/stargate-abilene.yaml", NULL, 0, a);
    static const char *const sets[] = {"power.sources.grid.capacity=600MW"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", sets, 1, b);
    assert_true(summary_value(b, "stranded_rack_days") > summary_value(a, "stranded_rack_days"));
    tu_close(summary_value(b, "supply_planned_mw"), 960.0, 1e-6);
    dcsim_csv_table *ma = tu_read_csv(a, "milestones.csv"), *mb = tu_read_csv(b, "milestones.csv");
    size_t ra = tu_find_row(ma, "milestone", "full-campus"), rb = tu_find_row(mb, "milestone",
                                                                              "full-campus");
    assert_string_equal(tu_field(ma, ra, "reached"), "true");
    if (strcmp(tu_field(mb, rb, "reached"), "true") == 0)
        assert_true(tu_num(mb, rb, "slip_days") > tu_num(ma, ra, "slip_days"));
    else
        assert_string_equal(tu_field(mb, rb, "slip_days"), "");
    for (size_t r = 1; r < ma->n_rows; r++) {
        if (strcmp(tu_field(mb, r, "reached"), "true") != 0)
            continue;
        assert_true(tu_num(mb, r, "slip_days") >= tu_num(ma, r, "slip_days"));
    }
    dcsim_csv_free(ma);
    dcsim_csv_free(mb);
    /* At 500 MW the campus can never be lit in full: racks are still stranded at the end. */
    char *c = tu_mkdtemp();
    static const char *const less[] = {"power.sources.grid.capacity=500MW"};
    tu_run_scenario("scenarios/stargate-abilene.yaml", less, 1, c);
    assert_true(summary_value(c, "racks_stranded_final") > 0);
    dcsim_csv_table *mc = tu_read_csv(c, "milestones.csv");
    assert_string_equal(tu_field(mc, tu_find_row(mc, "milestone", "full-campus"), "reached"),
                        "false");
    dcsim_csv_free(mc);
    tu_rm_tree(a), tu_rm_tree(b), tu_rm_tree(c);
    free(a), free(b), free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gate_basic_numbers),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(what_if_keeps_other_draws),
        cmocka_unit_test(grid_cut_strands_racks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
