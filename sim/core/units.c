/* Units at the border: the loader hands every "18mo", "1.2GW" or "2025-06-30" it reads to the
 * strict parsers here and works in seconds, watts and joules from then on. Calendar arithmetic
 * is done by hand (days_from_civil), never through timegm/mktime, so TZ cannot leak in. */
#include "dcsim/diag.h"
#include "dcsim/units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One accepted unit: its spelling (case-sensitive) and what one of it is in SI. */
typedef struct unit {
    const char *name;
    double si;
} unit;

/* A family of units and the words used when refusing a value of that kind. */
typedef struct quantity {
    const char *what;       /* "duration", "power", "energy" */
    const char *accepted;   /* the list shown to the user when the unit is wrong */
    const unit *units;      /* terminated by a NULL name */
    double max_si;          /* above this the value is refused; HUGE_VAL for no limit */
} quantity;

static const unit duration_units[] = {
    {"s", 1.0},
    {"min", DCSIM_MINUTE_S},
    {"h", DCSIM_HOUR_S},
    {"d", DCSIM_DAY_S},
    {"w", DCSIM_WEEK_S},
    {"mo", DCSIM_MONTH_S},
    {"y", DCSIM_YEAR_S},
    {NULL, 0.0},
};

static const unit power_units[] = {
    {"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}, {NULL, 0.0},
};

/* One watt-hour is 3600 joules. */
static const unit energy_units[] = {
    {"Wh", 3.6e3}, {"kWh", 3.6e6}, {"MWh", 3.6e9}, {"GWh", 3.6e12}, {NULL, 0.0},
};

/* Bytes per second; network gear is sold in bits (400Gb/s = 50 GB/s). */
static const unit bandwidth_units[] = {
    {"B/s", 1.0},     {"kB/s", 1e3},  {"MB/s", 1e6},  {"GB/s", 1e9},  {"TB/s", 1e12},
    {"b/s", 0.125},   {"kb/s", 125.0}, {"Mb/s", 1.25e5}, {"Gb/s", 1.25e8}, {"Tb/s", 1.25e11},
    {NULL, 0.0},
};

static const quantity duration_q = {"duration", "s, min, h, d, w, mo or y", duration_units,
                                    (double)DCSIM_DURATION_MAX_S};
static const quantity power_q = {"power", "W, kW, MW or GW", power_units, HUGE_VAL};
static const quantity energy_q = {"energy", "Wh, kWh, MWh or GWh", energy_units, HUGE_VAL};
static const quantity bandwidth_q = {"bandwidth", "B/s, kB/s, MB/s, GB/s, TB/s or b/s ... Tb/s",
                                     bandwidth_units, HUGE_VAL};

/* Reasons go through dcsim_refuse (diag.h); why may be NULL for a yes/no answer. */
#define refuse dcsim_refuse

/* Only space and tab count as surrounding blanks: isspace() would consult the locale. */
static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The value without surrounding blanks, as [*b, *e). */
static void trim(const char *s, const char **b, const char **e)
{
    const char *p = s;
    const char *q = s + strlen(s);
    while (p < q && is_blank(*p))
        p++;
    while (q > p && is_blank(q[-1]))
        q--;
    *b = p;
    *e = q;
}

/* Length of the longest plain decimal number at p (digits, an optional fraction, an optional
 * exponent with digits), 0 when there is none. This is a strict subset of what strtod takes:
 * "inf", "nan" and hex floats never match, so they cannot sneak through strtod. No sign. */
static size_t scan_decimal(const char *p, const char *e)
{
    const char *q = p;
    size_t mant = 0;
    while (q < e && is_digit(*q)) {
        q++;
        mant++;
    }
    if (q < e && *q == '.') {
        q++;
        while (q < e && is_digit(*q)) {
            q++;
            mant++;
        }
    }
    if (mant == 0)
        return 0;
    /* An exponent counts only when digits follow it, as in strtod: "2e" is 2 then "e". */
    if (q < e && (*q == 'e' || *q == 'E')) {
        const char *x = q + 1;
        if (x < e && (*x == '+' || *x == '-'))
            x++;
        if (x < e && is_digit(*x)) {
            while (x < e && is_digit(*x))
                x++;
            q = x;
        }
    }
    return (size_t)(q - p);
}

/* Convert n characters already checked by scan_decimal. strtod reads the decimal point of the
 * current locale; dcsim never calls setlocale, so that is the "C" locale and '.' is right.
 * Returns false when the text is too long to be a sensible number. */
static bool decimal_value(const char *p, size_t n, double *out)
{
    char buf[128];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return true;
}

/* Whether [b, e) starts with "inf" or "nan" in any case: what strtod would have taken. */
static bool looks_inf_nan(const char *b, const char *e)
{
    if (e - b < 3)
        return false;
    char w[4] = {ascii_lower(b[0]), ascii_lower(b[1]), ascii_lower(b[2]), '\0'};
    return strcmp(w, "inf") == 0 || strcmp(w, "nan") == 0;
}

/* The reason given for text that does not start with a number. */
static bool refuse_not_number(const char *b, const char *e, const quantity *q, char *why,
                              size_t why_len)
{
    int n = (int)(e - b);
    if (looks_inf_nan(b, e))
        return refuse(why, why_len, "'%.*s' is not a %s: infinity and NaN are not allowed", n,
                      b, q->what);
    return refuse(why, why_len, "'%.*s' is not a %s: expected a number and a unit (%s)", n, b,
                  q->what, q->accepted);
}

/* Number, at most one space, unit; the whole value in SI units. */
static bool parse_quantity(const char *s, const quantity *q, double *out, char *why,
                           size_t why_len)
{
    if (!s)
        return refuse(why, why_len, "empty %s: expected a number and a unit (%s)", q->what,
                      q->accepted);
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e)
        return refuse(why, why_len, "empty %s: expected a number and a unit (%s)", q->what,
                      q->accepted);
    if (*b == '-')
        return refuse(why, why_len, "'%.*s': a %s cannot be negative", (int)(e - b), b,
                      q->what);
    if (*b == '+')
        return refuse(why, why_len, "'%.*s': write the %s without a sign", (int)(e - b), b,
                      q->what);

    size_t n = scan_decimal(b, e);
    if (n == 0)
        return refuse_not_number(b, e, q, why, why_len);
    double x;
    if (!decimal_value(b, n, &x))
        return refuse(why, why_len, "'%.*s': the number is too long", (int)(e - b), b);

    const char *u = b + n;
    if (u == e)
        return refuse(why, why_len, "'%.*s' has no unit: a %s needs one (%s)", (int)(e - b), b,
                      q->what, q->accepted);
    if (*u == ',')
        return refuse(why, why_len, "'%.*s': use '.' as the decimal point, not ','",
                      (int)(e - b), b);
    if (*u == ' ')
        u++;            /* one space between number and unit reads well: "3 h" */
    if (u == e || is_blank(*u))
        return refuse(why, why_len, "'%.*s': put at most one space between the number and "
                      "the unit (%s)", (int)(e - b), b, q->accepted);

    size_t ulen = (size_t)(e - u);
    const unit *hit = NULL;
    for (const unit *k = q->units; k->name; k++) {
        if (strlen(k->name) == ulen && memcmp(k->name, u, ulen) == 0) {
            hit = k;
            break;
        }
    }
    if (!hit)
        return refuse(why, why_len, "unknown unit '%.*s' (use %s)", (int)ulen, u,
                      q->accepted);

    /* strtod gives HUGE_VAL for "1e400": that and any product past the limit are refused
     * here, so nothing downstream sees an infinity. */
    double v = x * hit->si;
    if (!isfinite(v) || v > q->max_si) {
        if (q->max_si < HUGE_VAL)
            return refuse(why, why_len, "'%.*s' is beyond the limit of 1000 years",
                          (int)(e - b), b);
        return refuse(why, why_len, "'%.*s' is out of range", (int)(e - b), b);
    }
    *out = v;
    return true;
}

bool dcsim_parse_duration_f(const char *s, double *out_s, char *why, size_t why_len)
{
    return parse_quantity(s, &duration_q, out_s, why, why_len);
}

bool dcsim_parse_duration(const char *s, int64_t *out_s, char *why, size_t why_len)
{
    double v;
    if (!parse_quantity(s, &duration_q, &v, why, why_len))
        return false;
    /* v is at most 1000 years (about 3.2e10 s), well inside int64_t. */
    *out_s = (int64_t)llround(v);
    return true;
}

bool dcsim_parse_power(const char *s, double *out_w, char *why, size_t why_len)
{
    return parse_quantity(s, &power_q, out_w, why, why_len);
}

bool dcsim_parse_energy(const char *s, double *out_j, char *why, size_t why_len)
{
    return parse_quantity(s, &energy_q, out_j, why, why_len);
}

bool dcsim_parse_bandwidth(const char *s, double *out_bps, char *why, size_t why_len)
{
    return parse_quantity(s, &bandwidth_q, out_bps, why, why_len);
}

bool dcsim_parse_number(const char *s, double *out, char *why, size_t why_len)
{
    if (!s)
        return refuse(why, why_len, "empty value: expected a number");
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e)
        return refuse(why, why_len, "empty value: expected a number");
    int len = (int)(e - b);
    const char *p = b;
    if (*p == '-' || *p == '+')
        p++;
    /* Checked against the strict grammar before strtod, because strtod also takes "inf",
     * "nan", "0x1p3" and leading blanks, none of which belong in a scenario. */
    if (e - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return refuse(why, why_len, "'%.*s': hexadecimal numbers are not accepted", len, b);
    size_t n = scan_decimal(p, e);
    if (n == 0) {
        if (looks_inf_nan(p, e))
            return refuse(why, why_len, "'%.*s': infinity and NaN are not allowed", len, b);
        return refuse(why, why_len, "'%.*s' is not a number", len, b);
    }
    if (p + n != e) {
        if (p[n] == ',')
            return refuse(why, why_len, "'%.*s': use '.' as the decimal point, not ','", len,
                          b);
        return refuse(why, why_len, "'%.*s' is not a plain number: unexpected '%.*s'", len, b,
                      (int)(e - (p + n)), p + n);
    }
    double x;
    if (!decimal_value(b, (size_t)(e - b), &x))
        return refuse(why, why_len, "'%.*s': the number is too long", len, b);
    if (!isfinite(x))
        return refuse(why, why_len, "'%.*s' is out of range", len, b);
    *out = x;
    return true;
}

bool dcsim_parse_count(const char *s, uint32_t *out, char *why, size_t why_len)
{
    if (!s)
        return refuse(why, why_len, "empty value: expected a count (a whole number)");
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e)
        return refuse(why, why_len, "empty value: expected a count (a whole number)");
    int len = (int)(e - b);
    if (*b == '-')
        return refuse(why, why_len, "'%.*s': a count cannot be negative", len, b);
    uint64_t v = 0;
    for (const char *p = b; p < e; p++) {
        if (!is_digit(*p)) {
            if (*p == '.' || *p == 'e' || *p == 'E' || *p == ',')
                return refuse(why, why_len, "'%.*s': a count is a whole number written with "
                              "digits only", len, b);
            return refuse(why, why_len, "'%.*s' is not a count (a whole number)", len, b);
        }
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > UINT32_MAX)     /* checked per digit, so v never overflows uint64_t */
            return refuse(why, why_len, "'%.*s' is too large for a count (at most %lu)", len,
                          b, (unsigned long)UINT32_MAX);
    }
    *out = (uint32_t)v;
    return true;
}

/* Case-insensitive equality of [b, e) with a lower-case word, without the locale. */
static bool word_is(const char *b, const char *e, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(e - b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(b[i]) != word[i])
            return false;
    return true;
}

bool dcsim_parse_bool(const char *s, bool *out, char *why, size_t why_len)
{
    if (!s)
        return refuse(why, why_len, "empty value: expected true/false, yes/no or on/off");
    const char *b, *e;
    trim(s, &b, &e);
    if (word_is(b, e, "true") || word_is(b, e, "yes") || word_is(b, e, "on")) {
        *out = true;
        return true;
    }
    if (word_is(b, e, "false") || word_is(b, e, "no") || word_is(b, e, "off")) {
        *out = false;
        return true;
    }
    if (b == e)
        return refuse(why, why_len, "empty value: expected true/false, yes/no or on/off");
    return refuse(why, why_len, "'%.*s' is not a yes/no value (use true/false, yes/no or "
                  "on/off)", (int)(e - b), b);
}

/* Howard Hinnant's days_from_civil: eras of 400 years (146097 days) make the leap rule exact
 * and the arithmetic branch-free; March-based years put February's leap day at the end. */
int64_t dcsim_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                       /* [0, 399] */
    int64_t mp = (int64_t)m + (m > 2 ? -3 : 9);                        /* [0, 11] */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;                 /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               /* [0, 146096] */
    return era * 146097 + doe - 719468;     /* 719468 days from 0000-03-01 to 1970-01-01 */
}

void dcsim_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                    /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                  /* [0, 11] */
    unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);            /* [1, 31] */
    unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);               /* [1, 12] */
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

/* Exactly n digits at *p, advancing *p; false otherwise. */
static bool fixed_digits(const char **p, const char *e, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= e || !is_digit(**p))
            return false;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return true;
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
};

bool dcsim_parse_date(const char *s, int64_t *out_unix, char *why, size_t why_len)
{
    if (!s)
        return refuse(why, why_len, "empty date: expected YYYY-MM-DD");
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e)
        return refuse(why, why_len, "empty date: expected YYYY-MM-DD");
    int len = (int)(e - b);
    const char *p = b;
    int y, mo, d, hh = 0, mi = 0, ss = 0;
    if (!fixed_digits(&p, e, 4, &y) || p >= e || *p++ != '-' || !fixed_digits(&p, e, 2, &mo)
        || p >= e || *p++ != '-' || !fixed_digits(&p, e, 2, &d))
        return refuse(why, why_len, "'%.*s' is not a date: expected YYYY-MM-DD, optionally "
                      "followed by THH:MM[:SS][Z] in UTC", len, b);
    if (p < e) {
        if (*p++ != 'T' || !fixed_digits(&p, e, 2, &hh) || p >= e || *p++ != ':'
            || !fixed_digits(&p, e, 2, &mi))
            return refuse(why, why_len, "'%.*s' is not a date: expected YYYY-MM-DD, optionally "
                          "followed by THH:MM[:SS][Z] in UTC", len, b);
        if (p < e && *p == ':') {
            p++;
            if (!fixed_digits(&p, e, 2, &ss))
                return refuse(why, why_len, "'%.*s': seconds must be two digits", len, b);
        }
        if (p < e && *p == 'Z')
            p++;
        if (p != e)
            return refuse(why, why_len, "'%.*s': unexpected '%.*s' after the time (only UTC "
                          "is accepted: end with Z or nothing)", len, b, (int)(e - p), p);
    }
    if (y < 1970 || y > 2200)
        return refuse(why, why_len, "'%.*s': year %d is outside 1970..2200", len, b, y);
    if (mo < 1 || mo > 12)
        return refuse(why, why_len, "'%.*s': month %d does not exist (1..12)", len, b, mo);
    unsigned dim = days_in_month(y, (unsigned)mo);
    if (d < 1 || (unsigned)d > dim)
        return refuse(why, why_len, "'%.*s': %s %d has %u days", len, b, month_names[mo - 1],
                      y, dim);
    if (hh > 23 || mi > 59 || ss > 59)
        return refuse(why, why_len, "'%.*s': %02d:%02d:%02d is not a time of day", len, b, hh,
                      mi, ss);
    int64_t days = dcsim_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out_unix = days * DCSIM_DAY_S + hh * DCSIM_HOUR_S + mi * DCSIM_MINUTE_S + ss;
    return true;
}

char *dcsim_format_date(int64_t unix_s, char *buf, size_t buf_len)
{
    /* Floor division, so times before 1970 land on the right day. */
    int64_t days = unix_s / DCSIM_DAY_S;
    int64_t rem = unix_s % DCSIM_DAY_S;
    if (rem < 0) {
        rem += DCSIM_DAY_S;
        days--;
    }
    int64_t y;
    unsigned m, d;
    dcsim_civil_from_days(days, &y, &m, &d);
    if (rem == 0)
        snprintf(buf, buf_len, "%04lld-%02u-%02u", (long long)y, m, d);
    else
        snprintf(buf, buf_len, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    return buf;
}

char *dcsim_format_duration(double seconds, char *buf, size_t buf_len)
{
    /* The largest unit that keeps the number at 1 or more, with the precision a person reads;
     * every form parses back through dcsim_parse_duration when positive. */
    double a = fabs(seconds);
    if (!isfinite(seconds))
        snprintf(buf, buf_len, "%g", seconds);
    else if (a < DCSIM_MINUTE_S)
        snprintf(buf, buf_len, "%.3gs", seconds);
    else if (a < DCSIM_HOUR_S)
        snprintf(buf, buf_len, "%.1fmin", seconds / DCSIM_MINUTE_S);
    else if (a < DCSIM_DAY_S)
        snprintf(buf, buf_len, "%.1fh", seconds / DCSIM_HOUR_S);
    else if (a < DCSIM_YEAR_S)
        snprintf(buf, buf_len, "%.1fd", seconds / DCSIM_DAY_S);
    else
        snprintf(buf, buf_len, "%.2fy", seconds / DCSIM_YEAR_S);
    return buf;
}

double dcsim_wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
