/* Hourly series from CSV (see include/dcsim/hourly.h). The CSV reader does the parsing and
 * refuses ragged rows; this file bounds the fields before it parses, picks the column, checks
 * every value and the row count, and says where a bad value is. */
#include "dcsim/hourly.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcsim/csv.h"
#include "dcsim/units.h"

static int to_int(size_t v)
{
    return v > INT_MAX ? INT_MAX : (int)v;
}

/* The table keeps each field as a string of its own, some 40 bytes however short it is, so a
 * file within the size limit made of "0," would take over a gigabyte. Two million fields is
 * 8784 rows of 227 columns. */
#define HOURLY_MAX_FIELDS 2000000u

/* Count commas and line ends, which bound the fields from above (quoted commas count too),
 * and refuse the file at the line where they pass the limit, before any table is built.
 * Only regular files within the byte limit: dcsim_csv_read refuses the others itself, and a
 * pipe read here would be gone for the parser. */
static dcsim_status count_fields(const char *path, dcsim_diag *d)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return DCSIM_OK;                /* dcsim_csv_read says why */
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uintmax_t)sb.st_size > DCSIM_HOURLY_MAX_BYTES) {
        fclose(f);
        return DCSIM_OK;
    }
    char buf[64 * 1024];
    size_t n, fields = 1, line = 1;
    dcsim_status st = DCSIM_OK;
    while (st == DCSIM_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++) {
            if (buf[i] != ',' && buf[i] != '\n')
                continue;
            if (++fields > HOURLY_MAX_FIELDS) {
                st = dcsim_diag_set(d, DCSIM_EINPUT, path, to_int(line), 0,
                                    "more than %u fields by this line: an hourly file holds 24 "
                                    "to %u data rows and at most %u fields in all",
                                    HOURLY_MAX_FIELDS, DCSIM_HOURLY_MAX_ROWS, HOURLY_MAX_FIELDS);
                break;
            }
            line += buf[i] == '\n';
        }
    fclose(f);
    return st;
}

/* "hour, cf" for the header row, ending in "..." when it does not fit in buf. */
static void list_columns(const dcsim_csv_table *t, char *buf, size_t len)
{
    DCSIM_ASSERT(len >= 4);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < t->n_cols; c++) {
        int w = snprintf(buf + used, len - used, "%s%s", c ? ", " : "", t->rows[0][c]);
        if (w < 0 || (size_t)w >= len - used) {
            memcpy(buf + len - 4, "...", 4);    /* snprintf filled buf up to its end */
            return;
        }
        used += (size_t)w;
    }
}

/* Trim blanks for display; the value itself went through dcsim_parse_number, which trims
 * the same way. */
static void trimmed(const char *s, const char **b, int *len)
{
    const char *e = s + strlen(s);
    while (*s == ' ' || *s == '\t')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *b = s;
    *len = (int)(e - s);
}

dcsim_status dcsim_hourly_read(const char *path, const char *column, double lo, double hi,
                               double **values, uint32_t *n, dcsim_diag *d)
{
    DCSIM_ASSERT(path && column && values && n);
    DCSIM_ASSERT(lo <= hi);             /* also false for NaN: bounds come from code */
    *values = NULL;
    *n = 0;

    /* The status of a failed read lives in the diag; keep one even when the caller does
     * not want the message. */
    dcsim_diag local;
    if (!d)
        d = &local;
    if (count_fields(path, d) != DCSIM_OK)
        return d->status;
    dcsim_csv_table *t = dcsim_csv_read(path, DCSIM_HOURLY_MAX_BYTES, d);
    if (!t)
        return d->status;

    dcsim_status st = DCSIM_OK;
    double *v = NULL;
    if (t->n_rows == 0) {
        st = dcsim_diag_set(d, DCSIM_EINPUT, path, 1, 0,
                            "the file is empty: expected a header with a column '%s'", column);
        goto out;
    }
    long col = dcsim_csv_column(t, column);
    if (col < 0) {
        char cols[512];
        list_columns(t, cols, sizeof cols);
        st = dcsim_diag_set(d, DCSIM_EINPUT, path, 1, 0, "no column '%s' (columns: %s)",
                            column, cols);
        goto out;
    }

    size_t rows = t->n_rows - 1;
    if (rows < DCSIM_HOURLY_MIN_ROWS) {
        st = dcsim_diag_set(d, DCSIM_EINPUT, path, 0, 0,
                            "has %zu data row%s: an hourly series needs %u to %u, one for "
                            "each hour from 1 January 00:00", rows, rows == 1 ? "" : "s",
                            DCSIM_HOURLY_MIN_ROWS, DCSIM_HOURLY_MAX_ROWS);
        goto out;
    }
    if (rows > DCSIM_HOURLY_MAX_ROWS) {
        /* Point at the first row too many (row 0 is the header). */
        st = dcsim_diag_set(d, DCSIM_EINPUT, path, to_int(t->lines[DCSIM_HOURLY_MAX_ROWS + 1]), 0,
                            "has %zu data rows: an hourly series holds at most %u (a leap "
                            "year)", rows, DCSIM_HOURLY_MAX_ROWS);
        goto out;
    }

    v = malloc(rows * sizeof *v);
    if (!v) {
        st = dcsim_diag_set(d, DCSIM_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    for (size_t r = 1; r <= rows; r++) {
        const char *field = t->rows[r][col];
        int line = to_int(t->lines[r]);     /* the file line, blank lines and all */
        int c1 = to_int((size_t)col + 1);
        char why[256];
        double x;
        if (!dcsim_parse_number(field, &x, why, sizeof why)) {
            st = dcsim_diag_set(d, DCSIM_EINPUT, path, line, c1, "data row %zu: %s", r, why);
            goto out;
        }
        if (x < lo || x > hi) {
            const char *b;
            int len;
            trimmed(field, &b, &len);
            st = dcsim_diag_set(d, DCSIM_EINPUT, path, line, c1,
                                "data row %zu: %.*s is out of range (%g to %g)", r, len, b, lo,
                                hi);
            goto out;
        }
        v[r - 1] = x;
    }
    *values = v;
    *n = (uint32_t)rows;
    v = NULL;

out:
    free(v);
    dcsim_csv_free(t);
    return st;
}
