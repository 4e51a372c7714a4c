/* The report's cells: escaping every text that comes from a file, and the formats a reader
 * plans in (days, not seconds; $2.67B, not 2665.963233). */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/report_priv.h"

void report_out(page *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(p->f, fmt, ap) < 0)
        p->failed = true;
    va_end(ap);
}

void report_esc(page *p, const char *s)
{
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '&':
            rc = fputs("&amp;", p->f);
            break;
        case '<':
            rc = fputs("&lt;", p->f);
            break;
        case '>':
            rc = fputs("&gt;", p->f);
            break;
        case '"':
            rc = fputs("&quot;", p->f);
            break;
        default:
            rc = fputc(*s, p->f);
        }
        if (rc == EOF)
            p->failed = true;
    }
}

/* <td>text</td> (or th, with its attributes), the text escaped. */
void report_cell(page *p, const char *open, const char *close, const char *text)
{
    report_out(p, "%s", open);
    report_esc(p, text);
    report_out(p, "%s", close);
}

dcsim_csv_table *report_read_in(const char *dir, const char *name, dcsim_diag *d)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
        return NULL;
    }
    return dcsim_csv_read(path, CSV_MAX, d);
}

/* The value of `key` in a key,value table (meta.csv) or of `metric` in summary.csv. */
const char *report_lookup(const dcsim_csv_table *t, const char *key, size_t col)
{
    if (!t || t->n_cols <= col)
        return "";
    for (size_t r = 1; r < t->n_rows; r++)
        if (strcmp(t->rows[r][0], key) == 0)
            return t->rows[r][col];
    return "";
}

const char *report_field(const dcsim_csv_table *t, size_t r, const char *col)
{
    long c = dcsim_csv_column(t, col);
    return c < 0 ? "" : t->rows[r][c];
}

/* "2026-08-24T22:13:57Z" -> "2026-08-24": days are what a reader plans in. */
void report_date_cell(page *p, const char *s)
{
    if (!s[0]) {
        report_out(p, "<td>never</td>");
        return;
    }
    report_out(p, "<td>%.10s</td>", s);
}

/* The number a CSV field holds; false for an empty (or non-numeric) field. */
static bool number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s;
}

void report_pct_cell(page *p, const char *s)
{
    double v;
    if (number(s, &v))
        report_out(p, "<td class=\"num\">%.0f%%</td>", 100 * v);
    else
        report_out(p, "<td></td>");
}

void report_days_cell(page *p, const char *s)
{
    double v;
    if (number(s, &v))
        report_out(p, "<td class=\"num\">%+.1f d</td>", v);
    else
        report_out(p, "<td class=\"num\">never</td>");
}

/* Millions of US dollars as "$816M" or "$2.67B" into buf; "" for an empty field. */
const char *report_money(const char *s, char *buf, size_t n)
{
    double v;
    if (!number(s, &v))
        snprintf(buf, n, "%s", "");
    else if (fabs(v) >= 1000)
        snprintf(buf, n, "%s$%.2fB", v < 0 ? "&minus;" : "", fabs(v) / 1000);
    else
        snprintf(buf, n, "%s$%.0fM", v < 0 ? "&minus;" : "", fabs(v));
    return buf;
}

/* A cost in MUSD (blank when the CSV has none). */
void report_money_cell(page *p, const char *s)
{
    char b[48];
    report_out(p, "<td class=\"num\">%s</td>", report_money(s, b, sizeof b));
}

/* Days, or an empty cell where the CSV has none (not measured, never fired). */
void report_days_or_blank(page *p, const char *s)
{
    if (s[0])
        report_days_cell(p, s);
    else
        report_out(p, "<td></td>");
}
