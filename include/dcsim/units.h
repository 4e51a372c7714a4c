/* Units at the border: durations, power, energy, dates and plain numbers parsed from text
 * into SI (seconds, watts, joules; dates as seconds since 1970-01-01 UTC), and dates
 * formatted back to ISO 8601. Parsers never read the locale or the TZ environment. */
#ifndef DCSIM_UNITS_H
#define DCSIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCSIM_MINUTE_S 60
#define DCSIM_HOUR_S   3600
#define DCSIM_DAY_S    86400
#define DCSIM_WEEK_S   (7 * 86400)
#define DCSIM_MONTH_S  2630016   /* 30.44 days, the mean Gregorian month rounded as DESIGN.md */
#define DCSIM_YEAR_S   31557600  /* 365.25 days */

/* Largest duration accepted anywhere: 1000 years. */
#define DCSIM_DURATION_MAX_S ((int64_t)1000 * DCSIM_YEAR_S)

/* All parsers: the whole string must be consumed (surrounding spaces allowed); on failure
 * they return false and write a short reason into why (e.g. "unknown unit 'parsecs' (use s,
 * min, h, d, w, mo or y)"). NaN, infinity and negative values are refused. */

/* "90s" "15min" "6h" "30d" "2w" "18mo" "2y", "1.5d", optionally with a space before the unit.
 * A bare number is refused (a duration needs a unit). Result rounded to whole seconds. */
bool dcsim_parse_duration(const char *s, int64_t *out_s, char *why, size_t why_len);

/* Same as dcsim_parse_duration but the result is a double number of seconds (no rounding);
 * used for distribution parameters. */
bool dcsim_parse_duration_f(const char *s, double *out_s, char *why, size_t why_len);

/* "120kW" "1.2GW" "500 W" "10MW" -> watts. A bare number is refused. */
bool dcsim_parse_power(const char *s, double *out_w, char *why, size_t why_len);

/* "1Wh" "250kWh" "40MWh" "2GWh" -> joules. A bare number is refused. */
bool dcsim_parse_energy(const char *s, double *out_j, char *why, size_t why_len);

/* "900GB/s" "400Gb/s" "1.8TB/s" -> bytes per second (b = bit, B = byte). */
bool dcsim_parse_bandwidth(const char *s, double *out_bps, char *why, size_t why_len);

/* "2025-06-30", "2025-06-30T14:00Z", "2025-06-30T14:00:05Z" (UTC only; a trailing Z is
 * optional) -> seconds since 1970-01-01T00:00:00Z. Years 1970..2200. Refuses month 13,
 * day 31 of a 30-day month, February 29 of a common year. */
bool dcsim_parse_date(const char *s, int64_t *out_unix, char *why, size_t why_len);

/* A finite plain number ("1.25", "3e5", "-2"); no unit allowed. Negative values allowed. */
bool dcsim_parse_number(const char *s, double *out, char *why, size_t why_len);

/* A non-negative integer that fits in uint32_t ("72"); "1e3" and "7.5" are refused. */
bool dcsim_parse_count(const char *s, uint32_t *out, char *why, size_t why_len);

/* true/false, yes/no, on/off. */
bool dcsim_parse_bool(const char *s, bool *out, char *why, size_t why_len);

/* Format a Unix time as "YYYY-MM-DD" when it is midnight UTC, else "YYYY-MM-DDTHH:MM:SSZ".
 * buf needs 32 bytes. Returns buf. */
char *dcsim_format_date(int64_t unix_s, char *buf, size_t buf_len);

/* Format a duration in seconds for people: "45s", "3.5h", "12.0d", "1.50y" style. */
char *dcsim_format_duration(double seconds, char *buf, size_t buf_len);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t dcsim_days_from_civil(int64_t y, unsigned m, unsigned d);
void dcsim_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Wall-clock seconds on the monotonic clock, from an arbitrary origin: for timing a phase
 * (progress bars, `dcsim run`'s timings), never for anything simulated. */
double dcsim_wall_s(void);

#endif
