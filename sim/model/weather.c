/* Ambient temperature and PPA capacity factors against UTC time. Calendar arithmetic goes
 * through dcsim_civil_from_days/dcsim_days_from_civil (units.h), never gmtime, so TZ cannot
 * leak in and times before 1970 land on the right day.
 *
 * Equations (copied into docs/model.md). t is seconds since 1970-01-01T00:00Z; Y0 is
 * 1 January 00:00 UTC of t's year.
 *
 *     doy_frac     = (t - Y0) / 86400                 day of the year, 0 at Y0, fractional
 *     hour_frac    = (t mod 86400) / 3600             hour of the UTC day, fractional
 *     hour_of_year = floor((t - Y0) / 3600)           whole hours since Y0 (0 .. 8783)
 *
 *     FIXED:     T(t) = mean
 *     SEASONAL:  T(t) = mean + A_s cos(2 pi (doy_frac  - hottest_doy)  / 365.25)
 *                            + A_d cos(2 pi (hour_frac - hottest_hour) / 24)
 *     TRACE:     T(t) = trace[hour_of_year mod n_trace]       (held for the hour)
 *     PPA:       cf(t) = profile[hour_of_year mod n_profile]  (held for the hour)
 *
 * The seasonal period is the mean year, but doy_frac restarts at 0 every 1 January, so the
 * seasonal phase jumps back by 2 pi 0.25 / 365.25 at New Year after a common year (0.75 day
 * after a leap year): the temperature steps by at most 0.0043 A_s (0.013 A_s), 0.04 C for a
 * 10 C swing, in exchange for a peak that stays on hottest_doy every year instead of
 * drifting a quarter day a year. doy_frac also moves
 * through the day, so at hottest_doy + hottest_hour/24 the seasonal factor is cos of a
 * small angle, not exactly 1. A 8760-value trace or profile read in a leap year wraps to
 * its own first day for 31 December. */
#include "model/weather.h"

#include <math.h>

#include "dcsim/diag.h"
#include "dcsim/units.h"

/* Position of t within its UTC year: *since_y0_s is t - Y0 (>= 0), *sod_s the second of the
 * day. */
static void year_position(int64_t t, int64_t *since_y0_s, int64_t *sod_s)
{
    /* Floor division, so 1969-12-31T23:00Z is day -1 at second 82800. */
    int64_t days = t / DCSIM_DAY_S;
    int64_t sod = t % DCSIM_DAY_S;
    if (sod < 0) {
        sod += DCSIM_DAY_S;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    dcsim_civil_from_days(days, &y, &m, &d);
    int64_t jan1 = dcsim_days_from_civil(y, 1, 1);
    *since_y0_s = (days - jan1) * DCSIM_DAY_S + sod;
    *sod_s = sod;
}

static int64_t hour_of_year(int64_t t)
{
    int64_t since, sod;
    year_position(t, &since, &sod);
    return since / DCSIM_HOUR_S;        /* since >= 0: plain division is the floor */
}

/* The daily term's cosine at second sod of the day. */
static double daily_cos(const dcsim_weather *w, int64_t sod)
{
    double hour_frac = (double)sod / DCSIM_HOUR_S;
    return cos(2.0 * M_PI * (hour_frac - w->hottest_hour) / 24.0);
}

/* The temperature `since` seconds into the year, the daily term's cosine given. */
static double ambient_at(const dcsim_weather *w, int64_t since, double daily)
{
    switch (w->kind) {
    case DCSIM_WEATHER_FIXED:
        return w->mean_c;
    case DCSIM_WEATHER_SEASONAL: {
        double doy_frac = (double)since / DCSIM_DAY_S;
        return w->mean_c
               + w->seasonal_amp_c * cos(2.0 * M_PI * (doy_frac - w->hottest_doy) / 365.25)
               + w->daily_amp_c * daily;
    }
    case DCSIM_WEATHER_TRACE:
        DCSIM_ASSERT(w->trace_c != NULL && w->n_trace > 0);   /* the loader requires one */
        return w->trace_c[(uint64_t)(since / DCSIM_HOUR_S) % w->n_trace];
    }
    DCSIM_ASSERT(0 && "unknown weather kind");
    return NAN;
}

double weather_ambient_c(const dcsim_weather *w, int64_t unix_s)
{
    DCSIM_ASSERT(w != NULL);
    int64_t since, sod;
    year_position(unix_s, &since, &sod);
    return ambient_at(w, since, w->kind == DCSIM_WEATHER_SEASONAL ? daily_cos(w, sod) : 0);
}

void weather_daily_table(const dcsim_weather *w, double daily[24])
{
    for (int h = 0; h < 24; h++)
        daily[h] = daily_cos(w, h * DCSIM_HOUR_S);
}

double weather_ambient_tick(const dcsim_weather *w, int64_t unix_s, weather_clock *clk,
                            const double daily[24])
{
    if (unix_s % DCSIM_HOUR_S != 0)
        return weather_ambient_c(w, unix_s);
    if (unix_s < clk->jan1 || unix_s >= clk->next_jan1) {
        int64_t days = unix_s / DCSIM_DAY_S - (unix_s % DCSIM_DAY_S < 0);
        int64_t y;
        unsigned mo, d;
        dcsim_civil_from_days(days, &y, &mo, &d);
        clk->jan1 = dcsim_days_from_civil(y, 1, 1) * DCSIM_DAY_S;
        clk->next_jan1 = dcsim_days_from_civil(y + 1, 1, 1) * DCSIM_DAY_S;
    }
    int64_t since = unix_s - clk->jan1;
    return ambient_at(w, since, daily[(since % DCSIM_DAY_S) / DCSIM_HOUR_S]);
}

double weather_hourly(const double *v, uint32_t n, int64_t unix_s)
{
    DCSIM_ASSERT(v != NULL && n > 0);   /* the loader requires a series */
    return v[(uint64_t)hour_of_year(unix_s) % n];
}

double ppa_factor(const dcsim_source *s, int64_t unix_s)
{
    DCSIM_ASSERT(s != NULL);
    return weather_hourly(s->profile, s->n_profile, unix_s);
}

int64_t weather_next_hour(int64_t unix_s)
{
    DCSIM_ASSERT(unix_s <= INT64_MAX - DCSIM_HOUR_S);
    int64_t h = unix_s / DCSIM_HOUR_S;
    if (unix_s % DCSIM_HOUR_S < 0)
        h -= 1;                         /* floor for times before 1970 */
    return (h + 1) * DCSIM_HOUR_S;
}
