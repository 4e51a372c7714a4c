/* Fuzz target: CSV traces. The bytes go to trace.csv in the scratch directory and through
 * both readers: the table reader (dcsim_csv_read), whose result must be rectangular with line
 * numbers that never go down, and the hourly series reader (dcsim_hourly_read) on the last
 * header column, as a scenario's weather trace or PPA profile would be read. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/csv.h"
#include "dcsim/hourly.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The table reader's limit here: small, so that the size refusal is reachable too. */
enum { FZC_MAX_BYTES = 64 * 1024 };

static void fzc_fail(const char *what)
{
    fprintf(stderr, "fuzz csv: %s\n", what);
    abort();
}

/* Touch every field (ASan checks each byte) and check the table's shape. */
static void fzc_check_table(const dcsim_csv_table *t)
{
    if (t->n_rows && (!t->rows || !t->lines))
        fzc_fail("rows without arrays");
    for (size_t r = 0; r < t->n_rows; r++) {
        if (!t->rows[r])
            fzc_fail("a missing row");
        /* Not strictly: a lone CR ends a row but not a line. */
        if (t->lines[r] < 1 || (r > 0 && t->lines[r] < t->lines[r - 1]))
            fzc_fail("row line numbers go down");
        for (size_t c = 0; c < t->n_cols; c++) {
            if (!t->rows[r][c])
                fzc_fail("a missing field");
            (void)strlen(t->rows[r][c]);
        }
    }
    for (size_t c = 0; t->n_rows && c < t->n_cols; c++) {
        long at = dcsim_csv_column(t, t->rows[0][c]);
        if (at < 0 || (size_t)at > c)
            fzc_fail("a header column that dcsim_csv_column cannot find");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[FZ_PATH];
    if (!path[0])
        fz_path("trace.csv", path);
    fz_write(path, data, size);

    dcsim_diag d;
    char column[256] = "capacity_factor";
    dcsim_csv_table *t = dcsim_csv_read(path, FZC_MAX_BYTES, &d);
    if (t) {
        fzc_check_table(t);
        if (t->n_rows && t->n_cols)
            snprintf(column, sizeof column, "%s", t->rows[0][t->n_cols - 1]);
        dcsim_csv_free(t);
    } else {
        fz_check_refusal(d.status, &d, "csv");
    }

    double *v = NULL;
    uint32_t n = 0;
    const double lo = -80, hi = 1e9;
    dcsim_status st = dcsim_hourly_read(path, column, lo, hi, &v, &n, &d);
    if (st == DCSIM_OK) {
        if (!v || n < DCSIM_HOURLY_MIN_ROWS || n > DCSIM_HOURLY_MAX_ROWS)
            fzc_fail("an hourly series of the wrong length");
        for (uint32_t i = 0; i < n; i++)
            if (!isfinite(v[i]) || v[i] < lo || v[i] > hi)
                fzc_fail("an hourly value out of its range");
    } else {
        fz_check_refusal(st, &d, "hourly");
        if (v || n)
            fzc_fail("a refused hourly series was handed out");
    }
    free(v);
    return 0;
}
