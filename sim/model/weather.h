/* Private to the model: ambient temperature at a site and the hourly capacity factor of a
 * PPA, as functions of UTC time. Pure functions of the scenario, so worlds on threads share
 * them. The hourly tick that samples them is the model's (weather_next_hour). */
#ifndef DCSIM_WEATHER_H
#define DCSIM_WEATHER_H

#include <stdint.h>

#include "dcsim/scenario.h"

/* Ambient temperature in degrees Celsius at unix_s (seconds since 1970 UTC). Equations in
 * weather.c and docs/model.md. */
double weather_ambient_c(const dcsim_weather *w, int64_t unix_s);

/* Capacity factor of a PPA source at unix_s: its profile value for the hour of the year,
 * held for the whole hour. s must have a profile (n_profile > 0). */
double ppa_factor(const dcsim_source *s, int64_t unix_s);

/* The value of an hourly series of a year (n values from 1 January 00:00 UTC, repeated
 * yearly) for the hour holding unix_s: temperature traces, PPA profiles, prices. */
double weather_hourly(const double *v, uint32_t n, int64_t unix_s);

/* The hourly tick's shortcut to weather_ambient_c, with the same results to the bit: the
 * bounds of the current year are kept in clk (the tick moves forward an hour at a time, so
 * they change once a year), and the daily term's cosine for each whole hour is read from
 * daily[24] (weather_daily_table). */
typedef struct weather_clock {
    int64_t jan1, next_jan1;     /* unix seconds of 1 January of this year and the next */
} weather_clock;
void weather_daily_table(const dcsim_weather *w, double daily[24]);
double weather_ambient_tick(const dcsim_weather *w, int64_t unix_s, weather_clock *clk,
                            const double daily[24]);

/* The first whole UTC hour strictly after unix_s (03:00:00 -> 04:00:00, 03:59:59 ->
 * 04:00:00). */
int64_t weather_next_hour(int64_t unix_s);

#endif
