/* Hourly series of a year read from CSV: ambient temperature traces and PPA capacity-factor
 * profiles. One value per data row, the row index being the hour since 1 January 00:00 UTC;
 * the model repeats the series yearly. */
#ifndef DCSIM_HOURLY_H
#define DCSIM_HOURLY_H

#include <stdint.h>

#include "dcsim/diag.h"

#define DCSIM_HOURLY_MAX_BYTES (64u * 1024u * 1024u)
#define DCSIM_HOURLY_MIN_ROWS  24u       /* one day */
#define DCSIM_HOURLY_MAX_ROWS  8784u     /* a leap year */

/* Read the column named `column` of the CSV file at path (header in the first row). Every
 * data row gives one value, in file order: a finite plain number within [lo, hi]. Between
 * 24 and 8784 data rows. On success *values is a new array of *n values that the caller
 * frees. On failure *values is NULL, *n is 0 and d names the file, line and column:
 * DCSIM_EIO when the file cannot be read, DCSIM_EINPUT for anything wrong in it ("trace.csv:
 * 7:2: data row 6: 'abc' is not a number"; line numbers assume no blank lines or multi-line
 * quoted fields before the row, since the CSV table does not keep lines). */
dcsim_status dcsim_hourly_read(const char *path, const char *column, double lo, double hi,
                               double **values, uint32_t *n, dcsim_diag *d);

#endif
