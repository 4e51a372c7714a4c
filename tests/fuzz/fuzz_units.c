/* Fuzz target: the unit parsers of units.h. The input, as a C string, goes to every parser;
 * what one accepts must keep that parser's promises (finite, non-negative, within its limits)
 * and must survive the trip through the formatters: a date formats back to the same second,
 * a duration formats to text that parses again. The first bytes also serve as a raw time and
 * a raw double for the formatters, and as a small reason buffer, so truncated reasons are
 * exercised too. A broken promise aborts, which the fuzzer keeps as a crash. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fzu_fail(const char *what, const char *input)
{
    fprintf(stderr, "fuzz units: %s (input '%.200s')\n", what, input);
    abort();
}

/* An accepted quantity: finite, at least 0, at most max. */
static void fzu_check_si(double v, double max, const char *what, const char *s)
{
    if (!isfinite(v) || v < 0 || v > max)
        fzu_fail(what, s);
}

static void fzu_durations(const char *s)
{
    char why[256], buf[64];
    int64_t secs = -1;
    if (dcsim_parse_duration(s, &secs, why, sizeof why)) {
        if (secs < 0 || secs > DCSIM_DURATION_MAX_S)
            fzu_fail("duration out of its range", s);
        /* The header promises that every positive formatted duration parses back. */
        dcsim_format_duration((double)secs, buf, sizeof buf);
        double back;
        if (!dcsim_parse_duration_f(buf, &back, why, sizeof why))
            fzu_fail("a formatted duration does not parse back", s);
    } else if (!why[0]) {
        fzu_fail("duration refused without a reason", s);
    }
    double f = -1;
    if (dcsim_parse_duration_f(s, &f, why, sizeof why))
        fzu_check_si(f, (double)DCSIM_DURATION_MAX_S, "duration_f out of its range", s);
}

static void fzu_dates(const char *s)
{
    char why[256], buf[32];
    int64_t t = -1;
    if (!dcsim_parse_date(s, &t, why, sizeof why))
        return;
    /* 1970-01-01 to 2200-12-31T23:59:59Z. */
    int64_t last = (dcsim_days_from_civil(2201, 1, 1) * DCSIM_DAY_S) - 1;
    if (t < 0 || t > last)
        fzu_fail("date outside 1970..2200", s);
    int64_t back = -1;
    dcsim_format_date(t, buf, sizeof buf);
    if (!dcsim_parse_date(buf, &back, why, sizeof why) || back != t)
        fzu_fail("a formatted date does not parse back to the same second", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_cstr(data, size);
    char why[256], buf[64];
    double x;
    uint32_t u;
    bool b;

    fzu_durations(s);
    fzu_dates(s);
    if (dcsim_parse_power(s, &x, why, sizeof why))
        fzu_check_si(x, HUGE_VAL, "power out of range", s);
    if (dcsim_parse_energy(s, &x, why, sizeof why))
        fzu_check_si(x, HUGE_VAL, "energy out of range", s);
    if (dcsim_parse_bandwidth(s, &x, why, sizeof why))
        fzu_check_si(x, HUGE_VAL, "bandwidth out of range", s);
    if (dcsim_parse_number(s, &x, why, sizeof why) && !isfinite(x))
        fzu_fail("a number that is not finite", s);
    if (dcsim_parse_count(s, &u, why, sizeof why)) {
        /* A count is digits only (blanks around): its value is what strtoull reads. */
        if (strtoull(s, NULL, 10) != u)
            fzu_fail("count differs from its digits", s);
    }
    (void)dcsim_parse_bool(s, &b, why, sizeof why);
    (void)dcsim_parse_bool(s, &b, NULL, 0);

    /* Short reason buffers: refusals must truncate, never overflow. */
    char small[16];
    size_t small_len = 1 + (size ? data[0] : 0u) % sizeof small;
    int64_t i64;
    (void)dcsim_parse_duration(s, &i64, small, small_len);
    (void)dcsim_parse_date(s, &i64, small, small_len);
    (void)dcsim_parse_number(s, &x, small, small_len);
    (void)dcsim_parse_count(s, &u, small, small_len);

    /* The formatters take any value the model could hand them. */
    if (size >= sizeof(int64_t)) {
        int64_t t;
        memcpy(&t, data, sizeof t);
        dcsim_format_date(t, buf, sizeof buf);
        double v;
        memcpy(&v, data, sizeof v);
        dcsim_format_duration(v, buf, sizeof buf);
        dcsim_format_duration(v, small, small_len);
    }
    free(s);
    return 0;
}
