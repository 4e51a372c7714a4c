/* Tests for the weather module (ambient temperature, PPA factors, the hourly tick) and for
 * dcsim_hourly_read, which loads the traces and profiles they read. Answers are worked by
 * hand from the equations in sim/model/weather.c; CSV files go to a scratch directory that
 * the group teardown removes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/hourly.h"
#include "dcsim/units.h"
#include "model/weather.h"
#include "support/testutil.h"

/* |got - want| <= tol in double (cmocka's assert_float_equal rounds to float), with the
 * numbers in the failure message. */
#define assert_close(got, want, tol)                                                       \
    do {                                                                                   \
        double g_ = (got), w_ = (want), t_ = (tol);                                        \
        if (!(fabs(g_ - w_) <= t_))                                                        \
            fail_msg("%s = %.17g, expected %.17g within %.3g", #got, g_, w_, t_);          \
    } while (0)

/* Unix time of y-m-d hh:mm:ss UTC. */
static int64_t utc(int64_t y, unsigned m, unsigned d, int hh, int mm, int ss)
{
    return dcsim_days_from_civil(y, m, d) * DCSIM_DAY_S + hh * DCSIM_HOUR_S
           + mm * DCSIM_MINUTE_S + ss;
}

/* ---- seasonal model ---- */

static const dcsim_weather seasonal = {
    .kind = DCSIM_WEATHER_SEASONAL, .mean_c = 20.0, .seasonal_amp_c = 10.0,
    .daily_amp_c = 5.0, .hottest_doy = 200.0, .hottest_hour = 15.0,
};

/* The model term by term, for instants whose doy_frac and hour_frac the test works out by
 * calendar. */
static double model(double doy_frac, double hour_frac)
{
    return 20.0 + 10.0 * cos(2.0 * M_PI * (doy_frac - 200.0) / 365.25)
           + 5.0 * cos(2.0 * M_PI * (hour_frac - 15.0) / 24.0);
}

static void test_fixed(void **state)
{
    (void)state;
    dcsim_weather w = {.kind = DCSIM_WEATHER_FIXED, .mean_c = 27.5};
    assert_true(weather_ambient_c(&w, utc(2025, 7, 20, 15, 0, 0)) == 27.5);
    assert_true(weather_ambient_c(&w, 0) == 27.5);
}

static void test_seasonal_peak_and_night(void **state)
{
    (void)state;
    /* Day 200 of 2025 (0 = 1 January): January to June hold 31+28+31+30+31+30 = 181 days, so
     * day 181 is 1 July and day 200 is 20 July. */
    assert_int_equal(dcsim_days_from_civil(2025, 7, 20) - dcsim_days_from_civil(2025, 1, 1),
                     200);

    /* 20 July 15:00: doy_frac = 200 + 15/24 = 200.625, hour_frac = 15. The daily term is
     * 5 cos(0) = 5; the seasonal one is 10 cos(2 pi 0.625 / 365.25) = 10 cos(0.010752)
     * = 9.999422, because doy_frac runs through the day too. T = 34.999422, ~35. */
    double t = weather_ambient_c(&seasonal, utc(2025, 7, 20, 15, 0, 0));
    assert_close(t, model(200.625, 15.0), 1e-9);
    assert_close(t, 34.999422, 1e-6);
    assert_close(t, 35.0, 1e-3);

    /* 20 July 03:00: doy_frac = 200.125; daily 5 cos(2 pi (3 - 15) / 24) = 5 cos(-pi) = -5;
     * seasonal 10 cos(2 pi 0.125 / 365.25) = 9.999977. T = 24.999977, ~25. */
    t = weather_ambient_c(&seasonal, utc(2025, 7, 20, 3, 0, 0));
    assert_close(t, model(200.125, 3.0), 1e-9);
    assert_close(t, 24.999977, 1e-6);

    /* 182 days after 20 July 2025 is 18 January 2026 (11 days left in July, then 31 + 30 +
     * 31 + 30 + 31 = 153 to the end of December, then 18 = 182), day 17 of 2026. At 15:00,
     * doy_frac = 17.625: the seasonal angle is 2 pi (17.625 - 200) / 365.25 = 2 pi
     * (-0.499316), just short of -pi, so the seasonal term is -10 cos(2 pi 0.000684) =
     * -9.999908; the daily term is +5. T = 15.000092, ~15. */
    assert_int_equal(dcsim_days_from_civil(2026, 1, 18) - dcsim_days_from_civil(2025, 7, 20),
                     182);
    t = weather_ambient_c(&seasonal, utc(2026, 1, 18, 15, 0, 0));
    assert_close(t, model(17.625, 15.0), 1e-9);
    assert_close(t, 15.000092, 1e-6);

    /* Half past an hour: 20 July 2025 09:30 has hour_frac 9.5 and doy_frac 200 + 9.5/24;
     * the daily term is 5 cos(2 pi (-5.5) / 24) = 5 cos(-1.4399) = 0.6526. */
    t = weather_ambient_c(&seasonal, utc(2025, 7, 20, 9, 30, 0));
    assert_close(t, model(200.0 + 9.5 / 24.0, 9.5), 1e-9);
}

/* Where both cosines are at exactly 0 or pi, the answer is exact. */
static void test_seasonal_exact_origin(void **state)
{
    (void)state;
    dcsim_weather w = {.kind = DCSIM_WEATHER_SEASONAL, .mean_c = 20.0,
                       .seasonal_amp_c = 10.0, .daily_amp_c = 5.0,
                       .hottest_doy = 0.0, .hottest_hour = 0.0};
    /* 1 January 00:00: doy_frac = 0, hour_frac = 0: 20 + 10 + 5 = 35. */
    assert_close(weather_ambient_c(&w, utc(2025, 1, 1, 0, 0, 0)), 35.0, 1e-12);
    assert_close(weather_ambient_c(&w, utc(1999, 1, 1, 0, 0, 0)), 35.0, 1e-12);
    /* Peak at noon instead: 1 January 00:00 is 12 hours off, cos(-pi) = -1: 20 + 10 - 5. */
    w.hottest_hour = 12.0;
    assert_close(weather_ambient_c(&w, utc(2025, 1, 1, 0, 0, 0)), 25.0, 1e-12);
    /* The origin is 1 January of the instant's own year, also before 1970. */
    assert_close(weather_ambient_c(&w, utc(1969, 1, 1, 0, 0, 0)), 25.0, 1e-12);
    /* 1 January 12:00: doy_frac = 0.5, so the seasonal term is 10 cos(2 pi 0.5 / 365.25). */
    assert_close(weather_ambient_c(&w, utc(2025, 1, 1, 12, 0, 0)),
                       20.0 + 10.0 * cos(M_PI / 365.25) + 5.0, 1e-12);
}

/* ---- traces and profiles ---- */

static void test_trace_lookup(void **state)
{
    (void)state;
    double trace[48];
    for (int i = 0; i < 48; i++)
        trace[i] = i + 0.5;
    dcsim_weather w = {.kind = DCSIM_WEATHER_TRACE, .trace_c = trace, .n_trace = 48};

    /* Hour 0 holds for the whole hour. */
    assert_true(weather_ambient_c(&w, utc(2025, 1, 1, 0, 0, 0)) == 0.5);
    assert_true(weather_ambient_c(&w, utc(2025, 1, 1, 0, 59, 59)) == 0.5);
    assert_true(weather_ambient_c(&w, utc(2025, 1, 1, 1, 0, 0)) == 1.5);
    /* 2 January 01:00 is hour 24 + 1 = 25. */
    assert_true(weather_ambient_c(&w, utc(2025, 1, 2, 1, 0, 0)) == 25.5);
    /* 3 January 02:30 is hour 50, past the 48 values: 50 mod 48 = 2. */
    assert_true(weather_ambient_c(&w, utc(2025, 1, 3, 2, 30, 0)) == 2.5);
    /* 31 December 23:00 of a common year is hour 8759; 8759 - 182 * 48 = 23. */
    assert_true(weather_ambient_c(&w, utc(2025, 12, 31, 23, 0, 0)) == 23.5);
    /* The next hour is hour 0 of 2026: the trace restarts each 1 January (8760 mod 48 = 24
     * would be a trace running on across years). */
    assert_true(weather_ambient_c(&w, utc(2026, 1, 1, 0, 0, 0)) == 0.5);
    /* 31 December 23:00 of leap 2024 is hour 8783; 8783 - 8736 = 47. */
    assert_true(weather_ambient_c(&w, utc(2024, 12, 31, 23, 0, 0)) == 47.5);
    /* Before 1970: 1969-12-31 23:30 is hour 8759 of 1969 (floor, not truncation). */
    assert_true(weather_ambient_c(&w, utc(1969, 12, 31, 23, 30, 0)) == 23.5);
}

static void test_leap_year_with_8760_values(void **state)
{
    (void)state;
    static double trace[8760];
    for (int i = 0; i < 8760; i++)
        trace[i] = i;
    dcsim_weather w = {.kind = DCSIM_WEATHER_TRACE, .trace_c = trace, .n_trace = 8760};
    /* 31 December 2024 05:00 is hour 365 * 24 + 5 = 8765 of the leap year: 8765 mod 8760
     * = 5, so the last day of a leap year repeats the first day of the trace. */
    assert_true(weather_ambient_c(&w, utc(2024, 12, 31, 5, 0, 0)) == 5.0);
    /* 30 December 2024 23:00 is hour 8759, the trace's last value. */
    assert_true(weather_ambient_c(&w, utc(2024, 12, 30, 23, 0, 0)) == 8759.0);
}

static void test_ppa_factor(void **state)
{
    (void)state;
    static double profile[8784];
    for (int i = 0; i < 8784; i++)
        profile[i] = i * 1e-4;
    dcsim_source s = {.type = DCSIM_SOURCE_PPA, .profile = profile, .n_profile = 8784};
    /* 29 February 2024 12:00: 31 + 28 = 59 days into the year, hour 59 * 24 + 12 = 1428. */
    assert_true(ppa_factor(&s, utc(2024, 2, 29, 12, 0, 0)) == profile[1428]);
    /* 1 March 2025 12:00 is also hour 1428 of its (common) year: rows are hours from
     * 1 January, not calendar dates. */
    assert_true(ppa_factor(&s, utc(2025, 3, 1, 12, 0, 0)) == profile[1428]);
    assert_true(ppa_factor(&s, utc(2025, 3, 1, 12, 59, 59)) == profile[1428]);
    /* Last hour of a leap year: 8783. */
    assert_true(ppa_factor(&s, utc(2024, 12, 31, 23, 0, 0)) == profile[8783]);

    /* A one-day profile repeats every day: 2025-06-15 18:20 is hour-of-day 18. */
    double day[24];
    for (int i = 0; i < 24; i++)
        day[i] = i / 23.0;
    dcsim_source d = {.type = DCSIM_SOURCE_PPA, .profile = day, .n_profile = 24};
    assert_true(ppa_factor(&d, utc(2025, 6, 15, 18, 20, 0)) == day[18]);
}

/* The hourly tick's shortcut (the year's bounds kept, the daily cosine from a table) gives
 * weather_ambient_c's numbers to the bit, hour after hour across a leap year and two year
 * ends, and off the hour falls back to it. */
static void test_tick_is_ambient(void **state)
{
    (void)state;
    double trace[30];
    for (int i = 0; i < 30; i++)
        trace[i] = i * 1.5 - 3;
    dcsim_weather tr = {.kind = DCSIM_WEATHER_TRACE, .trace_c = trace, .n_trace = 30};
    const dcsim_weather *ws[] = {&seasonal, &tr};
    for (int k = 0; k < 2; k++) {
        double daily[24];
        weather_daily_table(ws[k], daily);
        weather_clock clk = {INT64_MIN, INT64_MIN};
        for (int64_t t = utc(2023, 12, 30, 0, 0, 0); t < utc(2025, 1, 2, 0, 0, 0);
             t += DCSIM_HOUR_S)
            if (weather_ambient_tick(ws[k], t, &clk, daily) != weather_ambient_c(ws[k], t))
                fail_msg("weather %d at %lld: the tick differs", k, (long long)t);
        int64_t off = utc(2024, 7, 4, 13, 20, 7);
        assert_true(weather_ambient_tick(ws[k], off, &clk, daily) ==
                    weather_ambient_c(ws[k], off));
    }
}

static void test_next_hour(void **state)
{
    (void)state;
    assert_int_equal(weather_next_hour(0), 3600);
    assert_int_equal(weather_next_hour(1), 3600);
    assert_int_equal(weather_next_hour(3599), 3600);
    assert_int_equal(weather_next_hour(3600), 7200);    /* strictly after */
    assert_int_equal(weather_next_hour(-1), 0);
    assert_int_equal(weather_next_hour(-3600), 0);
    assert_int_equal(weather_next_hour(-3601), -3600);
    int64_t t = utc(2025, 7, 20, 15, 0, 0);
    assert_int_equal(weather_next_hour(t), t + 3600);
    assert_int_equal(weather_next_hour(t + 1799), t + 3600);
    assert_int_equal(weather_next_hour(utc(2025, 12, 31, 23, 30, 0)),
                     utc(2026, 1, 1, 0, 0, 0));
}

/* ---- dcsim_hourly_read ---- */

static char *dir;

static int setup_dir(void **state)
{
    (void)state;
    dir = tu_mkdtemp();
    return 0;
}

static int teardown_dir(void **state)
{
    (void)state;
    tu_rm_tree(dir);
    free(dir);
    return 0;
}

/* Write text to dir/name; path gets the full name. */
static void write_file(const char *name, const char *text, char *path, size_t len)
{
    int w = snprintf(path, len, "%s/%s", dir, name);
    assert_true(w > 0 && (size_t)w < len);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* "hour,cf" then rows "i,cf(i)" for i in [0, rows), where cf(i) = i / 100 unless row
 * bad_row (1-based data row) gets bad_text instead. Caller frees. */
static char *cf_csv(size_t rows, size_t bad_row, const char *bad_text)
{
    size_t cap = 32 + rows * 48;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t used = (size_t)snprintf(s, cap, "hour,cf\n");
    for (size_t i = 0; i < rows; i++) {
        int w = (i + 1 == bad_row)
                    ? snprintf(s + used, cap - used, "%zu,%s\n", i, bad_text)
                    : snprintf(s + used, cap - used, "%zu,%.2f\n", i, (double)i / 100.0);
        assert_true(w > 0 && (size_t)w < cap - used);
        used += (size_t)w;
    }
    return s;
}

/* Read and expect failure with status st at line:col with msg inside the message. */
static void read_fails(const char *path, const char *col, dcsim_status st, int line, int c,
                       const char *msg)
{
    double *v = (double *)&v;   /* not NULL, so the test sees it reset */
    uint32_t n = 99;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_hourly_read(path, col, 0.0, 1.0, &v, &n, &d), st);
    assert_null(v);
    assert_int_equal(n, 0);
    assert_int_equal(d.status, st);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, c);
    if (!strstr(d.msg, msg))
        fail_msg("message '%s' does not contain '%s'", d.msg, msg);
}

static void test_hourly_good(void **state)
{
    (void)state;
    char path[PATH_MAX];
    char *text = cf_csv(48, 0, NULL);
    write_file("good.csv", text, path, sizeof path);
    free(text);
    double *v = NULL;
    uint32_t n = 0;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_hourly_read(path, "cf", 0.0, 1.0, &v, &n, &d), DCSIM_OK);
    assert_int_equal(n, 48);
    assert_non_null(v);
    for (uint32_t i = 0; i < n; i++)
        assert_close(v[i], i / 100.0, 1e-12);
    free(v);

    /* The column may be anywhere; other columns are ignored even if they are not numbers;
     * blanks around a value are fine; bounds are inclusive (temperatures: -90 to 60). */
    char buf[4096] = "station,temp_c,note\n";
    for (int i = 0; i < 24; i++) {
        char row[64];
        snprintf(row, sizeof row, "ABI,%s,x%d\n",
                 i == 0 ? " -90" : i == 1 ? "60 " : i == 2 ? "1e1" : "21.5", i);
        strcat(buf, row);
    }
    write_file("temp.csv", buf, path, sizeof path);
    assert_int_equal(dcsim_hourly_read(path, "temp_c", -90.0, 60.0, &v, &n, &d), DCSIM_OK);
    assert_int_equal(n, 24);
    assert_true(v[0] == -90.0 && v[1] == 60.0 && v[2] == 10.0 && v[23] == 21.5);
    free(v);

    /* A leap year's 8784 rows is the most there can be. */
    text = cf_csv(8784, 0, NULL);
    write_file("leap.csv", text, path, sizeof path);
    free(text);
    assert_int_equal(dcsim_hourly_read(path, "cf", 0.0, 100.0, &v, &n, NULL), DCSIM_OK);
    assert_int_equal(n, 8784);
    assert_close(v[8783], 87.83, 1e-12);
    free(v);
}

static void test_hourly_missing_column(void **state)
{
    (void)state;
    char path[PATH_MAX];
    char *text = cf_csv(24, 0, NULL);
    write_file("cols.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "capacity_factor", DCSIM_EINPUT, 1, 0,
               "no column 'capacity_factor' (columns: hour, cf)");
}

static void test_hourly_bad_values(void **state)
{
    (void)state;
    char path[PATH_MAX];
    /* Data row 6 is file line 7 (the header is line 1); cf is column 2. */
    char *text = cf_csv(30, 6, "abc");
    write_file("abc.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 7, 2, "data row 6: 'abc' is not a number");

    text = cf_csv(30, 3, "1.3");
    write_file("range.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 4, 2, "data row 3: 1.3 is out of range (0 to 1)");

    text = cf_csv(30, 30, "-0.01");
    write_file("neg.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 31, 2, "data row 30: -0.01 is out of range (0 to 1)");

    text = cf_csv(30, 1, "nan");
    write_file("nan.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 2, 2, "infinity and NaN are not allowed");

    text = cf_csv(30, 10, "");
    write_file("empty-field.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 11, 2, "data row 10: empty value");

    text = cf_csv(30, 2, "\"0,5\"");
    write_file("comma.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 3, 2, "use '.' as the decimal point");

    /* Two blank lines after the header move every data row down two lines: data row 6 is
     * then file line 9, not 7 (the reader keeps each row's own line). */
    text = cf_csv(30, 6, "abc");
    char *nl = strchr(text, '\n');
    size_t n = strlen(text);
    char *shifted = malloc(n + 3);
    assert_non_null(shifted);
    size_t head = (size_t)(nl - text) + 1;
    memcpy(shifted, text, head);
    memcpy(shifted + head, "\n\n", 2);
    memcpy(shifted + head + 2, text + head, n - head + 1);
    write_file("blank.csv", shifted, path, sizeof path);
    free(text);
    free(shifted);
    read_fails(path, "cf", DCSIM_EINPUT, 9, 2, "data row 6: 'abc' is not a number");
}

static void test_hourly_row_counts(void **state)
{
    (void)state;
    char path[PATH_MAX];
    char *text = cf_csv(23, 0, NULL);
    write_file("short.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 0, 0, "has 23 data rows: an hourly series needs 24 to 8784");

    write_file("header-only.csv", "hour,cf\n", path, sizeof path);
    read_fails(path, "cf", DCSIM_EINPUT, 0, 0, "has 0 data rows");

    write_file("empty.csv", "", path, sizeof path);
    read_fails(path, "cf", DCSIM_EINPUT, 1, 0, "the file is empty");

    /* Row 8785 is one too many; it sits on line 8786. */
    text = cf_csv(8785, 0, NULL);
    write_file("long.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 8786, 0, "has 8785 data rows: an hourly series holds at most 8784");
}

static void test_hourly_csv_errors_pass_through(void **state)
{
    (void)state;
    char path[PATH_MAX];
    /* Line 5 has a third field: the CSV reader refuses it at line 5, column 3 (the first
     * field too many), before any value is looked at. */
    char *text = cf_csv(30, 4, "0.5,oops");
    write_file("ragged.csv", text, path, sizeof path);
    free(text);
    read_fails(path, "cf", DCSIM_EINPUT, 5, 3, "row 5 has 3 fields, expected 2");

    snprintf(path, sizeof path, "%s/no-such-file.csv", dir);
    read_fails(path, "cf", DCSIM_EIO, 0, 0, "cannot open");

    /* Without a diag the status still tells I/O from input. */
    double *v = NULL;
    uint32_t n = 0;
    assert_int_equal(dcsim_hourly_read(path, "cf", 0.0, 1.0, &v, &n, NULL), DCSIM_EIO);
    assert_null(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_seasonal_peak_and_night),
        cmocka_unit_test(test_seasonal_exact_origin),
        cmocka_unit_test(test_trace_lookup),
        cmocka_unit_test(test_leap_year_with_8760_values),
        cmocka_unit_test(test_ppa_factor),
        cmocka_unit_test(test_next_hour),
        cmocka_unit_test(test_tick_is_ambient),
        cmocka_unit_test(test_hourly_good),
        cmocka_unit_test(test_hourly_missing_column),
        cmocka_unit_test(test_hourly_bad_values),
        cmocka_unit_test(test_hourly_row_counts),
        cmocka_unit_test(test_hourly_csv_errors_pass_through),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
