/* Tests for the unit parsers and date arithmetic (include/dcsim/units.h). Expected values are
 * worked by hand in the comments; Unix times were cross-checked with Python's calendar.timegm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dcsim/units.h"

/* Fail with the text of the reason when a refusal does not say what we expect. */
#define assert_why_has(why, needle)                                                        \
    do {                                                                                   \
        if (!strstr((why), (needle)))                                                      \
            fail_msg("reason \"%s\" does not mention \"%s\"", (why), (needle));             \
    } while (0)

static void expect_duration(const char *s, int64_t want)
{
    int64_t got = -1;
    char why[160] = "";
    if (!dcsim_parse_duration(s, &got, why, sizeof why))
        fail_msg("'%s' refused: %s", s, why);
    if (got != want)
        fail_msg("'%s' gave %lld s, expected %lld", s, (long long)got, (long long)want);
}

static void expect_duration_refused(const char *s, const char *needle)
{
    int64_t got = 12345;
    char why[160] = "";
    if (dcsim_parse_duration(s, &got, why, sizeof why))
        fail_msg("'%s' accepted as %lld s", s, (long long)got);
    assert_int_equal(got, 12345);       /* output untouched on failure */
    assert_why_has(why, needle);
}

static void test_duration_units(void **state)
{
    (void)state;
    expect_duration("90s", 90);
    expect_duration("15min", 900);              /* 15 * 60 */
    expect_duration("6h", 21600);               /* 6 * 3600 */
    expect_duration("30d", 2592000);            /* 30 * 86400 */
    expect_duration("2w", 1209600);             /* 2 * 7 * 86400 */
    expect_duration("18mo", 18 * 2630016);      /* 30.44 d = 2630016 s; 47340288 */
    expect_duration("2y", 63115200);            /* 2 * 365.25 * 86400 */
    expect_duration("1.5d", 129600);            /* 1.5 * 86400 */
    expect_duration("3 h", 10800);              /* one space before the unit */
    expect_duration("  3h\t", 10800);           /* surrounding blanks */
    expect_duration("0s", 0);
    expect_duration(".5min", 30);
    expect_duration("1e3s", 1000);
    expect_duration("1.6s", 2);                 /* rounded to whole seconds */
    expect_duration("1000y", 1000LL * 31557600);/* exactly DCSIM_DURATION_MAX_S */
}

static void test_duration_f_keeps_fractions(void **state)
{
    (void)state;
    double v = 0;
    assert_true(dcsim_parse_duration_f("1.5s", &v, NULL, 0));
    assert_true(v == 1.5);
    assert_true(dcsim_parse_duration_f("0.25min", &v, NULL, 0));
    assert_true(v == 15.0);
    assert_false(dcsim_parse_duration_f("2", &v, NULL, 0));    /* NULL why is allowed */
}

static void test_duration_refusals(void **state)
{
    (void)state;
    char why[160];
    int64_t v;
    assert_false(dcsim_parse_duration("12 parsecs", &v, why, sizeof why));
    assert_string_equal(why, "unknown unit 'parsecs' (use s, min, h, d, w, mo or y)");

    expect_duration_refused("-3d", "negative");
    expect_duration_refused("3", "s, min, h, d, w, mo or y");   /* bare number: list units */
    expect_duration_refused("3", "unit");
    expect_duration_refused("", "empty");
    expect_duration_refused("   ", "empty");
    expect_duration_refused("nan d", "NaN");
    expect_duration_refused("inf", "infinity");
    expect_duration_refused("infinity s", "infinity");
    expect_duration_refused("1e400d", "1000 years");            /* strtod overflows to inf */
    expect_duration_refused("1001y", "1000 years");
    expect_duration_refused("3dd", "unknown unit 'dd'");
    expect_duration_refused("0x10", "unknown unit 'x10'");      /* hex is not a number here */
    expect_duration_refused("1,5d", "decimal point");
    expect_duration_refused("3  h", "one space");
    expect_duration_refused("3 ", "unit");                      /* trailing blank is trimmed */
    expect_duration_refused("15MIN", "unknown unit 'MIN'");     /* units are case-sensitive */
    expect_duration_refused("2 d ago", "unknown unit 'd ago'");
    expect_duration_refused("+3d", "sign");
    expect_duration_refused("d", "expected a number");
}

static void test_power_and_energy(void **state)
{
    (void)state;
    double w = 0, j = 0;
    char why[160];
    assert_true(dcsim_parse_power("120kW", &w, why, sizeof why));
    assert_true(w == 120000.0);
    assert_true(dcsim_parse_power("1.2GW", &w, why, sizeof why));
    assert_true(w == 1.2e9);            /* 1.2 * 1e9 rounds to the same double as 1.2e9 */
    assert_true(dcsim_parse_power("500 W", &w, why, sizeof why));
    assert_true(w == 500.0);
    assert_true(dcsim_parse_power("10MW", &w, why, sizeof why));
    assert_true(w == 1e7);

    assert_false(dcsim_parse_power("10mw", &w, why, sizeof why));
    assert_string_equal(why, "unknown unit 'mw' (use W, kW, MW or GW)");
    assert_false(dcsim_parse_power("10", &w, why, sizeof why));
    assert_why_has(why, "W, kW, MW or GW");
    assert_false(dcsim_parse_power("-5kW", &w, why, sizeof why));
    assert_why_has(why, "negative");
    assert_false(dcsim_parse_power("1kWh", &w, why, sizeof why));  /* energy is not power */
    assert_why_has(why, "unknown unit 'kWh'");

    assert_true(dcsim_parse_energy("1kWh", &j, why, sizeof why));
    assert_true(j == 3.6e6);            /* 1000 W * 3600 s */
    assert_true(dcsim_parse_energy("1Wh", &j, why, sizeof why));
    assert_true(j == 3600.0);
    assert_true(dcsim_parse_energy("40MWh", &j, why, sizeof why));
    assert_true(j == 1.44e11);          /* 40 * 3.6e9 */
    assert_true(dcsim_parse_energy("2 GWh", &j, why, sizeof why));
    assert_true(j == 7.2e12);
    assert_false(dcsim_parse_energy("5kW", &j, why, sizeof why));
    assert_string_equal(why, "unknown unit 'kW' (use Wh, kWh, MWh or GWh)");
}

static void expect_date(const char *s, int64_t want)
{
    int64_t got = -1;
    char why[160] = "";
    if (!dcsim_parse_date(s, &got, why, sizeof why))
        fail_msg("'%s' refused: %s", s, why);
    if (got != want)
        fail_msg("'%s' gave %lld, expected %lld", s, (long long)got, (long long)want);
}

static void expect_date_refused(const char *s, const char *needle)
{
    int64_t got;
    char why[160] = "";
    if (dcsim_parse_date(s, &got, why, sizeof why))
        fail_msg("'%s' accepted as %lld", s, (long long)got);
    assert_why_has(why, needle);
}

static void test_dates(void **state)
{
    (void)state;
    /* 2025-06-30 is day 20269 after 1970-01-01: the 55 years 1970..2024 hold 14 leap days
     * (1972, 1976, ..., 2024), 55*365 + 14 = 20089, plus 31+28+31+30+31+29 = 180 days from
     * Jan 1 to Jun 30 of a common year; 20269 * 86400 = 1751241600. */
    expect_date("2025-06-30", 1751241600);
    expect_date("1970-01-01", 0);
    expect_date("2024-02-29", 1709164800);                      /* divisible by 4: leap */
    expect_date("2000-02-29", 951782400);                       /* divisible by 400: leap */
    expect_date("2025-06-30T14:00:05Z", 1751241600 + 14 * 3600 + 5);
    expect_date("2025-06-30T14:00:05", 1751241600 + 14 * 3600 + 5);   /* Z optional */
    expect_date("2025-06-30T14:00Z", 1751241600 + 14 * 3600);
    expect_date("2025-06-30T14:00", 1751241600 + 14 * 3600);
    expect_date(" 2025-06-30 ", 1751241600);
    expect_date("2200-12-31T23:59:59Z", 7289654399);            /* last accepted second */

    expect_date_refused("2025-02-29", "February 2025 has 28 days");
    expect_date_refused("2100-02-29", "February 2100 has 28 days");  /* century: common */
    expect_date_refused("2025-13-01", "month 13");
    expect_date_refused("2025-00-10", "month 0");
    expect_date_refused("2025-04-31", "April 2025 has 30 days");
    expect_date_refused("2025-01-00", "January 2025 has 31 days");
    expect_date_refused("1969-12-31", "1970..2200");
    expect_date_refused("2201-01-01", "1970..2200");
    expect_date_refused("2025-6-30", "YYYY-MM-DD");
    expect_date_refused("2025/06/30", "YYYY-MM-DD");
    expect_date_refused("2025-06-30 14:00", "YYYY-MM-DD");
    expect_date_refused("2025-06-30T24:00", "time of day");
    expect_date_refused("2025-06-30T12:60", "time of day");
    expect_date_refused("2025-06-30T14:00:05+02:00", "UTC");
    expect_date_refused("2025-06-30T14:00:5", "two digits");
    expect_date_refused("", "empty");
}

static void test_format_date(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(dcsim_format_date(1751241600, buf, sizeof buf), "2025-06-30");
    assert_string_equal(dcsim_format_date(1751292005, buf, sizeof buf),
                        "2025-06-30T14:00:05Z");
    assert_string_equal(dcsim_format_date(0, buf, sizeof buf), "1970-01-01");
    /* One second before the epoch: floor division puts it on the previous day. */
    assert_string_equal(dcsim_format_date(-1, buf, sizeof buf), "1969-12-31T23:59:59Z");

    /* Parse(format(t)) == t for midnights and odd times across the accepted range. */
    for (int64_t t = 0; t <= 7289654399; t += 86400 * 97 + 3607) {
        int64_t back = -1;
        char why[160];
        dcsim_format_date(t, buf, sizeof buf);
        if (!dcsim_parse_date(buf, &back, why, sizeof why) || back != t)
            fail_msg("%lld -> '%s' -> %lld (%s)", (long long)t, buf, (long long)back, why);
        int64_t midnight = t - t % 86400;
        dcsim_format_date(midnight, buf, sizeof buf);
        assert_int_equal(strlen(buf), 10);                      /* plain YYYY-MM-DD */
        assert_true(dcsim_parse_date(buf, &back, why, sizeof why) && back == midnight);
    }
}

static void test_format_duration(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(dcsim_format_duration(45, buf, sizeof buf), "45s");
    assert_string_equal(dcsim_format_duration(1800, buf, sizeof buf), "30.0min");
    assert_string_equal(dcsim_format_duration(3.5 * 3600, buf, sizeof buf), "3.5h");
    assert_string_equal(dcsim_format_duration(12 * 86400, buf, sizeof buf), "12.0d");
    assert_string_equal(dcsim_format_duration(1.5 * 31557600, buf, sizeof buf), "1.50y");
    /* What is printed for people parses back as a duration. */
    int64_t v;
    assert_true(dcsim_parse_duration(dcsim_format_duration(12 * 86400, buf, sizeof buf), &v,
                                     NULL, 0));
    assert_int_equal(v, 12 * 86400);
}

static void test_civil_round_trip(void **state)
{
    (void)state;
    assert_int_equal(dcsim_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(dcsim_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(dcsim_days_from_civil(2000, 3, 1), 11017); /* 30 y: 10950 + 7 leap + 60 */
    /* 1970-01-01 .. 2200-12-31: 231 years of 365 days plus 56 leap days (1972..2200 holds 58
     * multiples of 4, less 2100 and 2200), 84315 + 56 - 1 = 84370 (Python agrees). */
    assert_int_equal(dcsim_days_from_civil(2200, 12, 31), 84370);

    /* Walk every day of 1970..2200: each maps back to itself, and each is the day after the
     * one before (so no date is skipped or repeated, leap days included). */
    int64_t py = 1969;
    unsigned pm = 12, pd = 31;
    for (int64_t days = 0; days <= 84370; days++) {
        int64_t y;
        unsigned m, d;
        dcsim_civil_from_days(days, &y, &m, &d);
        if (dcsim_days_from_civil(y, m, d) != days)
            fail_msg("day %lld -> %lld-%u-%u does not map back", (long long)days,
                     (long long)y, m, d);
        bool next_day = (y == py && m == pm && d == pd + 1);
        bool next_month = (y == py && m == pm + 1 && d == 1);
        bool next_year = (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
        if (!next_day && !next_month && !next_year)
            fail_msg("%lld-%u-%u follows %lld-%u-%u", (long long)y, m, d, (long long)py, pm,
                     pd);
        py = y;
        pm = m;
        pd = d;
    }
    assert_int_equal(py, 2200);
    assert_int_equal(pm, 12);
    assert_int_equal(pd, 31);
}

static void test_numbers(void **state)
{
    (void)state;
    double x = 0;
    char why[160];
    assert_true(dcsim_parse_number("1.25", &x, why, sizeof why) && x == 1.25);
    assert_true(dcsim_parse_number("3e5", &x, why, sizeof why) && x == 3e5);
    assert_true(dcsim_parse_number("-2", &x, why, sizeof why) && x == -2.0);
    assert_true(dcsim_parse_number(" 7 ", &x, why, sizeof why) && x == 7.0);

    static const struct {
        const char *s, *needle;
    } bad[] = {
        {"inf", "infinity"},    {"-inf", "infinity"},     {"nan", "NaN"},
        {"NaN", "NaN"},         {"0x10", "hexadecimal"},  {"0x1p3", "hexadecimal"},
        {"1e400", "out of range"}, {"3 W", "not a plain number"}, {"", "empty"},
        {"1,5", "decimal point"}, {"abc", "not a number"}, {"-", "not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        if (dcsim_parse_number(bad[i].s, &x, why, sizeof why))
            fail_msg("'%s' accepted as %g", bad[i].s, x);
        assert_why_has(why, bad[i].needle);
    }
}

static void test_counts(void **state)
{
    (void)state;
    uint32_t n = 0;
    char why[160];
    assert_true(dcsim_parse_count("72", &n, why, sizeof why) && n == 72);
    assert_true(dcsim_parse_count("0", &n, why, sizeof why) && n == 0);
    assert_true(dcsim_parse_count("4294967295", &n, why, sizeof why) && n == UINT32_MAX);

    assert_false(dcsim_parse_count("-1", &n, why, sizeof why));
    assert_why_has(why, "negative");
    assert_false(dcsim_parse_count("7.5", &n, why, sizeof why));
    assert_why_has(why, "whole number");
    assert_false(dcsim_parse_count("1e3", &n, why, sizeof why));
    assert_why_has(why, "digits only");
    assert_false(dcsim_parse_count("4294967296", &n, why, sizeof why));    /* 2^32 */
    assert_why_has(why, "too large");
    assert_false(dcsim_parse_count("99999999999999999999999", &n, why, sizeof why));
    assert_why_has(why, "too large");
    assert_false(dcsim_parse_count("", &n, why, sizeof why));
    assert_why_has(why, "empty");
    assert_false(dcsim_parse_count("12 racks", &n, why, sizeof why));
    assert_why_has(why, "not a count");
}

static void test_bools(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "TRUE", "Yes", "on", " On "};
    static const char *const no[] = {"false", "False", "NO", "off", "oFF"};
    bool b;
    char why[160];
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        b = false;
        assert_true(dcsim_parse_bool(yes[i], &b, why, sizeof why));
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        b = true;
        assert_true(dcsim_parse_bool(no[i], &b, why, sizeof why));
        assert_false(b);
    }
    assert_false(dcsim_parse_bool("1", &b, why, sizeof why));
    assert_why_has(why, "true/false, yes/no or on/off");
    assert_false(dcsim_parse_bool("", &b, why, sizeof why));
    assert_why_has(why, "empty");
    assert_false(dcsim_parse_bool("yess", &b, why, sizeof why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_units),
        cmocka_unit_test(test_duration_f_keeps_fractions),
        cmocka_unit_test(test_duration_refusals),
        cmocka_unit_test(test_power_and_energy),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_format_date),
        cmocka_unit_test(test_format_duration),
        cmocka_unit_test(test_civil_round_trip),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_bools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
