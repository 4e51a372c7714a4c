/* CSV in and out through libcsv (quoting on write, parsing on read). The writer keeps a
 * sticky error so a full disk is reported once, at close, with the file name. */
#ifndef DCSIM_CSV_H
#define DCSIM_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"

/* ---- writing ---- */

typedef struct dcsim_csvw dcsim_csvw;

/* Create (truncate) path for writing. NULL and d filled on failure. */
dcsim_csvw *dcsim_csvw_open(const char *path, dcsim_diag *d);

/* Create (truncate) dir/name: the outputs' writers name their files this way. */
dcsim_csvw *dcsim_csvw_open_in(const char *dir, const char *name, dcsim_diag *d);

/* Append one field to the current row; quoted by libcsv only when needed. */
void dcsim_csvw_str(dcsim_csvw *w, const char *s);
void dcsim_csvw_i64(dcsim_csvw *w, int64_t v);
/* A double with `decimals` digits after the point ("%.*f"); NaN is written as an empty
 * field. Locale independent. */
void dcsim_csvw_f64(dcsim_csvw *w, double v, int decimals);
/* An empty field. */
void dcsim_csvw_empty(dcsim_csvw *w);
/* End the current row ("\n"). */
void dcsim_csvw_endrow(dcsim_csvw *w);
/* A whole row of n string fields (a header), ended. */
void dcsim_csvw_row(dcsim_csvw *w, const char *const *fields, size_t n);
/* A whole two-field row: key, then the value printf-formatted (the meta.csv files). */
void dcsim_csvw_kv(dcsim_csvw *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Flush, fsync and close; reports any error met since open (e.g. "out/x/timeseries.csv: No
 * space left on device"). Always frees w. */
dcsim_status dcsim_csvw_close(dcsim_csvw *w, dcsim_diag *d);

/* ---- reading ---- */

/* A whole CSV file in memory: rows of fields (strings owned by the table). Row 0 is the
 * header when the file has one; the reader does not interpret it. */
typedef struct dcsim_csv_table {
    size_t n_rows;
    size_t n_cols;          /* fields in every row: ragged files are refused */
    char ***rows;           /* rows[r][c] */
    size_t *lines;          /* lines[r]: the file line where row r begins (1-based) */
} dcsim_csv_table;

/* Read path. Refuses missing or unreadable files, files larger than max_bytes, malformed
 * quoting, and ragged rows ("trace.csv:7:3: row 7 has 3 fields, expected 2"); line numbers
 * are 1-based file lines. Returns NULL and fills d on failure; free with dcsim_csv_free. */
dcsim_csv_table *dcsim_csv_read(const char *path, size_t max_bytes, dcsim_diag *d);
void dcsim_csv_free(dcsim_csv_table *t);

/* Index of the header column named `name` in row 0, or -1. */
long dcsim_csv_column(const dcsim_csv_table *t, const char *name);

#endif
