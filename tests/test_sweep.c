/* The what-if grid against hand-worked answers (tests/scenarios/sweep-grid.yaml has the
 * working): more grid capacity moves the power-gated milestone's P80 earlier (never, day
 * 100, at most day 60); equal values give equal grades (common random numbers) and every
 * point is exactly the Monte Carlo of its overrides; --vary parse errors with their columns;
 * a bad value fails with the loader's message naming the point; a 2-axis grid's rows in the
 * documented order (first axis slowest). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"
#include "dcsim/sweep.h"
#include "support/testutil.h"

#define SCENARIO "tests/scenarios/sweep-grid.yaml"
#define CAP "power.sources.grid.capacity"
#define DAY 86400.0

static const dcsim_mc_opts opts = {.runs = 20, .threads = 2, .driver_runs = 1};

static dcsim_sweep_axis parse(const char *arg)
{
    dcsim_sweep_axis a;
    dcsim_diag d;
    if (dcsim_sweep_parse_vary(arg, &a, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot parse --vary %s", arg);
    }
    return a;
}

static dcsim_sweep *sweep(const dcsim_sweep_axis *axes, size_t n, const dcsim_mc_opts *o)
{
    char path[4096];
    tu_src_path(SCENARIO, path, sizeof path);
    dcsim_sweep *sw = NULL;
    dcsim_diag d;
    if (dcsim_sweep_run(path, NULL, 0, false, 0, axes, n, o, &sw, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("sweep failed");
    }
    return sw;
}

static void same_grade(const dcsim_mc_grade *a, const dcsim_mc_grade *b)
{
    /* Field by field: bitwise equal, infinities included; NaN (no mean) only with NaN. */
    const double x[] = {a->p10_s, a->p50_s, a->p80_s, a->p90_s, a->slip_at_conf_days,
                        a->mean_slip_days, a->p_on_time, a->p_never, a->p_power_limited};
    const double y[] = {b->p10_s, b->p50_s, b->p80_s, b->p90_s, b->slip_at_conf_days,
                        b->mean_slip_days, b->p_on_time, b->p_never, b->p_power_limited};
    for (size_t k = 0; k < sizeof x / sizeof *x; k++)
        if (!(x[k] == y[k] || (isnan(x[k]) && isnan(y[k]))))
            fail_msg("field %zu differs: %.17g vs %.17g", k, x[k], y[k]);
    assert_int_equal(a->grade, b->grade);
}

/* 2 MW never lights all racks (grade F, P80 empty); 5 MW lights them at day 100 in every
 * run (slip 70 d, grade C); 16 MW at max(D, ~10 d) with D ~ U(0, 60 d), so P80 <= 60 d,
 * slip <= 30 d: grade A or B. */
static void capacity_moves_p80_earlier(void **state)
{
    (void)state;
    dcsim_sweep_axis ax = parse(CAP "=2MW,5MW,16MW");
    dcsim_sweep *sw = sweep(&ax, 1, &opts);
    assert_int_equal(dcsim_sweep_points(sw), 3);
    assert_int_equal(dcsim_sweep_milestones(sw), 1);
    assert_string_equal(dcsim_sweep_milestone_name(sw, 0), "all-racks");
    assert_string_equal(dcsim_sweep_value(sw, 2, 0), "16MW");
    dcsim_mc_grade g[3];
    for (size_t p = 0; p < 3; p++)
        dcsim_sweep_grade(sw, p, 0, &g[p]);

    assert_true(isinf(g[0].p80_s) && isinf(g[0].p50_s) && isinf(g[0].slip_at_conf_days));
    tu_close(g[0].p_never, 1.0, 0);
    assert_int_equal(g[0].grade, 'F');

    tu_close(g[1].p50_s, 100 * DAY, 0);
    tu_close(g[1].p80_s, 100 * DAY, 0);
    tu_close(g[1].slip_at_conf_days, 70.0, 1e-9);
    tu_close(g[1].p_on_time, 0.0, 0);
    tu_close(g[1].p_never, 0.0, 0);
    assert_int_equal(g[1].grade, 'C');

    assert_true(g[2].p80_s < g[1].p80_s);
    assert_true(g[2].p80_s <= 60 * DAY && g[2].p80_s >= 8 * DAY);
    assert_true(g[2].slip_at_conf_days <= 30.0);
    assert_true(g[2].grade == 'A' || g[2].grade == 'B');
    tu_close(g[2].p_never, 0.0, 0);

    char *dir = tu_mkdtemp();
    dcsim_diag d;
    assert_int_equal(dcsim_sweep_write(sw, dir, "dcsim sweep test", &d), DCSIM_OK);
    dcsim_csv_table *t = tu_read_csv(dir, "sweep.csv");
    static const char *const header[] = {"point", CAP, "all-racks_p50", "all-racks_p80",
                                         "all-racks_slip_at_confidence_days", "all-racks_grade",
                                         "all-racks_p_on_time", "all-racks_p_never"};
    assert_int_equal(t->n_cols, 8);
    assert_int_equal(t->n_rows, 4);
    for (size_t c = 0; c < 7; c++)
        assert_string_equal(t->rows[0][c], header[c]);
    assert_string_equal(tu_field(t, 1, "point"), "0");
    assert_string_equal(tu_field(t, 1, CAP), "2MW");
    assert_string_equal(tu_field(t, 1, "all-racks_p80"), "");
    assert_string_equal(tu_field(t, 1, "all-racks_slip_at_confidence_days"), "");
    assert_string_equal(tu_field(t, 1, "all-racks_grade"), "F");
    /* Day 100 from 2025-01-01: 31 + 28 + 31 days to 1 April, then 10 more. */
    assert_string_equal(tu_field(t, 2, "all-racks_p50"), "2025-04-11");
    assert_string_equal(tu_field(t, 2, "all-racks_p80"), "2025-04-11");
    assert_string_equal(tu_field(t, 2, "all-racks_slip_at_confidence_days"), "70.000");
    assert_string_equal(tu_field(t, 2, "all-racks_grade"), "C");
    assert_string_equal(tu_field(t, 2, "all-racks_p_on_time"), "0.0000");
    assert_string_equal(tu_field(t, 3, "point"), "2");
    assert_string_equal(tu_field(t, 3, CAP), "16MW");
    assert_true(strncmp(tu_field(t, 3, "all-racks_p80"), "2025-0", 6) == 0);
    dcsim_csv_free(t);

    dcsim_csv_table *m = tu_read_csv(dir, "meta.csv");
    static const char *const kv[][2] = {
        {"kind", "sweep"}, {"seed", "11"}, {"runs", "20"}, {"points", "3"}, {"axes", "1"},
        {"axis_1", CAP "=2MW,5MW,16MW"}, {"command_line", "dcsim sweep test"}};
    for (size_t k = 0; k < sizeof kv / sizeof *kv; k++) {
        size_t r = tu_find_row(m, "key", kv[k][0]);
        if (!r)
            fail_msg("meta.csv has no '%s'", kv[k][0]);
        assert_string_equal(tu_field(m, r, "value"), kv[k][1]);
    }
    assert_int_equal(strlen(tu_field(m, tu_find_row(m, "key", "scenario_fnv1a64"), "value")),
                     16);
    assert_true(tu_find_row(m, "key", "dcsim_version") > 0);
    dcsim_csv_free(m);
    tu_rm_tree(dir);
    free(dir);
    dcsim_sweep_free(sw);
    dcsim_sweep_axis_free(&ax);
}

static char *write_grid(const dcsim_sweep *sw, size_t *len)
{
    char *dir = tu_mkdtemp(), path[4096];
    dcsim_diag d;
    assert_int_equal(dcsim_sweep_write(sw, dir, "same", &d), DCSIM_OK);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    char *bytes = tu_slurp(path, len);
    assert_non_null(bytes);
    tu_rm_tree(dir);
    free(dir);
    return bytes;
}

/* The same value, however written, gives the same grades: each point replays replications
 * 0 .. runs-1 with the same seed. A point is exactly the Monte Carlo of its overrides, and
 * the thread count changes no byte. */
static void common_random_numbers(void **state)
{
    (void)state;
    dcsim_sweep_axis ax = parse(CAP "=16MW,16000kW,16MW");
    dcsim_sweep *sw = sweep(&ax, 1, &opts);
    dcsim_mc_grade g[3];
    for (size_t p = 0; p < 3; p++)
        dcsim_sweep_grade(sw, p, 0, &g[p]);
    same_grade(&g[0], &g[1]);
    same_grade(&g[0], &g[2]);

    char path[4096];
    tu_src_path(SCENARIO, path, sizeof path);
    const char *set = CAP "=16MW";
    dcsim_scenario *sc = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_scenario_load(path, &set, 1, false, 0, &sc, &d), DCSIM_OK);
    dcsim_mc *mc = NULL;
    assert_int_equal(dcsim_mc_run(sc, &opts, &mc, &d), DCSIM_OK);
    dcsim_mc_grade direct;
    dcsim_mc_grade_of(mc, 0, &direct);
    same_grade(&g[0], &direct);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);

    dcsim_mc_opts one = opts;
    one.threads = 1;
    dcsim_sweep *sw1 = sweep(&ax, 1, &one);
    size_t la, lb;
    char *a = write_grid(sw, &la), *b = write_grid(sw1, &lb);
    if (la != lb || memcmp(a, b, la) != 0)
        fail_msg("sweep.csv differs between 2 threads and 1");
    free(a), free(b);
    dcsim_sweep_free(sw1);
    dcsim_sweep_free(sw);
    dcsim_sweep_axis_free(&ax);
}

static void vary_fails(const char *arg, int col, const char *needle)
{
    dcsim_sweep_axis a;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_sweep_parse_vary(arg, &a, &d), DCSIM_EINPUT);
    assert_null(a.path);
    assert_null(a.values);
    assert_int_equal(a.n, 0);
    assert_string_equal(d.file, "--vary");
    assert_int_equal(d.line, 1);
    if (d.col != col)
        fail_msg("--vary '%.40s': column %d, expected %d (%s)", arg, d.col, col, d.msg);
    if (!strstr(d.msg, needle))
        fail_msg("--vary '%.40s': message '%s' lacks '%s'", arg, d.msg, needle);
}

static void vary_parse(void **state)
{
    (void)state;
    /* "power.sources.grid.capacity=" is 28 characters: the first value starts at 29. */
    vary_fails(CAP, 1, "expected PATH=V1,V2,...");
    vary_fails("=600MW", 1, "path before '=' is empty");
    vary_fails(CAP "=", 29, "no values");
    vary_fails(CAP "=600MW,,800MW", 35, "empty value at column 35");
    vary_fails(CAP "=,600MW", 29, "empty value at column 29");
    vary_fails(CAP "=600MW,800MW,", 41, "empty value at column 41, after the trailing ','");
    /* Columns count characters: "größe=1," is 8 characters in 10 bytes. */
    vary_fails("gr\xc3\xb6\xc3\x9f" "e=1,,2", 9, "empty value at column 9");
    /* 1001 values: the 1001st starts after "x=" and 1000 times "1,". */
    char many[2100] = "x=";
    for (int k = 0; k < 1000; k++)
        strcat(many, "1,");
    strcat(many, "1");
    vary_fails(many, 2003, "at most 1000");

    dcsim_sweep_axis a = parse("a.b=1, 2 ,x=y");
    assert_string_equal(a.path, "a.b");
    assert_int_equal(a.n, 3);
    assert_string_equal(a.values[0], "1");
    assert_string_equal(a.values[1], " 2 ");     /* verbatim: the loader judges it */
    assert_string_equal(a.values[2], "x=y");     /* only the first '=' splits */
    dcsim_sweep_axis_free(&a);
    assert_null(a.path);
    dcsim_sweep_axis_free(&a);                   /* twice is harmless */
}

/* A value the loader refuses fails the sweep with the loader's message and position (the
 * override as the loader saw it: the value starts at column 29), prefixed by the point. */
static void bad_value_names_point(void **state)
{
    (void)state;
    char path[4096];
    tu_src_path(SCENARIO, path, sizeof path);
    dcsim_sweep_axis ax = parse(CAP "=600MW,600 parsecs");
    const char *base[] = {"power.sources.late.capacity=12MW"};
    dcsim_sweep *sw = NULL;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_sweep_run(path, base, 1, true, 5, &ax, 1, &opts, &sw, &d),
                     DCSIM_EINPUT);
    assert_null(sw);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 29);
    const char *want = "point 1 (" CAP "=600 parsecs): ";
    if (strncmp(d.msg, want, strlen(want)) != 0 || !strstr(d.msg, "unknown unit 'parsecs'"))
        fail_msg("message: %s", d.msg);

    /* A path the scenario does not have fails at point 0 with the --set error. */
    dcsim_sweep_axis nokey = parse("power.sources.gird.capacity=1MW");
    assert_int_equal(dcsim_sweep_run(path, NULL, 0, false, 0, &nokey, 1, &opts, &sw, &d),
                     DCSIM_EINPUT);
    assert_string_equal(d.file, "--set");
    if (strncmp(d.msg, "point 0 (power.sources.gird.capacity=1MW): ", 43) != 0 ||
        !strstr(d.msg, "did you mean 'grid'"))
        fail_msg("message: %s", d.msg);
    dcsim_sweep_axis_free(&nokey);

    /* The same path twice, and more than 10,000 points, are refused before any run. */
    dcsim_sweep_axis two[2] = {ax, ax};
    assert_int_equal(dcsim_sweep_run(path, NULL, 0, false, 0, two, 2, &opts, &sw, &d),
                     DCSIM_EINPUT);
    assert_string_equal(d.file, "--vary");
    assert_non_null(strstr(d.msg, "varied twice"));
    const char *vals[101];
    for (int k = 0; k < 101; k++)
        vals[k] = "1MW";
    dcsim_sweep_axis big[2] = {{CAP, vals, 101}, {"power.sources.late.capacity", vals, 100}};
    assert_int_equal(dcsim_sweep_run(path, NULL, 0, false, 0, big, 2, &opts, &sw, &d),
                     DCSIM_EINPUT);
    assert_non_null(strstr(d.msg, "more than 10000 points"));
    dcsim_sweep_axis_free(&ax);
}

/* Grid capacity {2, 16 MW} x late capacity {11, 14, 20 MW}: 6 rows, the first axis slowest.
 * With 2 MW the racks need 13 MW from 'late' to reach 15 MW: 11 MW never, 14 and 20 MW at
 * day 100. With 16 MW the grid alone suffices before day 100, so 'late' changes nothing and
 * (common random numbers) rows 3..5 are identical. Axes built by hand work too. */
static void two_axis_order(void **state)
{
    (void)state;
    const char *caps[] = {"2MW", "16MW"}, *lates[] = {"11MW", "14MW", "20MW"};
    const dcsim_sweep_axis axes[2] = {{CAP, caps, 2}, {"power.sources.late.capacity", lates, 3}};
    dcsim_sweep *sw = sweep(axes, 2, &opts);
    assert_int_equal(dcsim_sweep_points(sw), 6);
    char *dir = tu_mkdtemp();
    dcsim_diag d;
    assert_int_equal(dcsim_sweep_write(sw, dir, NULL, &d), DCSIM_OK);
    dcsim_csv_table *t = tu_read_csv(dir, "sweep.csv");
    assert_int_equal(t->n_rows, 7);
    assert_string_equal(t->rows[0][1], CAP);
    assert_string_equal(t->rows[0][2], "power.sources.late.capacity");
    for (size_t r = 1; r <= 6; r++) {
        char want[8];
        snprintf(want, sizeof want, "%zu", r - 1);
        assert_string_equal(tu_field(t, r, "point"), want);
        assert_string_equal(tu_field(t, r, CAP), caps[(r - 1) / 3]);
        assert_string_equal(tu_field(t, r, "power.sources.late.capacity"), lates[(r - 1) % 3]);
    }
    assert_string_equal(tu_field(t, 1, "all-racks_p80"), "");
    assert_string_equal(tu_field(t, 1, "all-racks_grade"), "F");
    assert_string_equal(tu_field(t, 2, "all-racks_p80"), "2025-04-11");
    assert_string_equal(tu_field(t, 3, "all-racks_p80"), "2025-04-11");
    for (size_t r = 5; r <= 6; r++) {
        assert_string_equal(tu_field(t, r, "all-racks_p80"), tu_field(t, 4, "all-racks_p80"));
        assert_string_equal(tu_field(t, r, "all-racks_grade"),
                            tu_field(t, 4, "all-racks_grade"));
    }
    assert_true(strcmp(tu_field(t, 4, "all-racks_p80"), "2025-04-11") < 0);
    dcsim_csv_free(t);
    dcsim_csv_table *m = tu_read_csv(dir, "meta.csv");
    assert_string_equal(tu_field(m, tu_find_row(m, "key", "points"), "value"), "6");
    assert_string_equal(tu_field(m, tu_find_row(m, "key", "axis_2"), "value"),
                        "power.sources.late.capacity=11MW,14MW,20MW");
    assert_string_equal(tu_field(m, tu_find_row(m, "key", "command_line"), "value"), "");
    dcsim_csv_free(m);
    tu_rm_tree(dir);
    free(dir);
    dcsim_sweep_free(sw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(capacity_moves_p80_earlier),
        cmocka_unit_test(common_random_numbers),
        cmocka_unit_test(vary_parse),
        cmocka_unit_test(bad_value_names_point),
        cmocka_unit_test(two_axis_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
