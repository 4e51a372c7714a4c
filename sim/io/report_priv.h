/* Private to the HTML report: the page being written and the helpers its parts share
 * (report.c: the page, its charts and assumptions; report_tables.c: the tables of a Monte
 * Carlo, a run and a sweep; report_cells.c: escaping and formatting one cell). */
#ifndef DCSIM_REPORT_PRIV_H
#define DCSIM_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dcsim/csv.h"
#include "dcsim/diag.h"
#include "dcsim/plot.h"

/* The largest CSV the report reads. */
#define CSV_MAX ((size_t)1 << 30)

/* The page: a write error anywhere sets failed, checked once at the end. */
typedef struct page {
    FILE *f;
    bool failed;
} page;

/* ---- report_cells.c ---- */
void report_out(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text with &, <, > and " escaped. */
void report_esc(page *p, const char *s);
/* <td>text</td> (or th, with its attributes), the text escaped. */
void report_cell(page *p, const char *open, const char *close, const char *text);
/* dir/name read as a CSV table; NULL and d set when it cannot be. */
dcsim_csv_table *report_read_in(const char *dir, const char *name, dcsim_diag *d);
/* The value of `key` in a key,value table (meta.csv) or of `metric` in summary.csv. */
const char *report_lookup(const dcsim_csv_table *t, const char *key, size_t col);
/* Row r's value in column col, "" when there is no such column. */
const char *report_field(const dcsim_csv_table *t, size_t r, const char *col);
/* Cells: a day ("never" when empty), a percentage, days with a sign ("never" when empty),
 * millions of US dollars as $816M or $2.67B (blank when empty), days or blank. */
void report_date_cell(page *p, const char *s);
void report_pct_cell(page *p, const char *s);
void report_days_cell(page *p, const char *s);
const char *report_money(const char *s, char *buf, size_t n);
void report_money_cell(page *p, const char *s);
void report_days_or_blank(page *p, const char *s);

/* ---- report.c ---- */
/* Every chart of a directory of that kind, inlined as a figure with its title. */
dcsim_status report_charts_of(page *p, const char *dir, dcsim_dir_kind kind, dcsim_diag *d);

/* ---- report_tables.c ---- */
dcsim_status report_mc_section(page *p, const char *dir, const dcsim_csv_table *meta,
                               dcsim_diag *d);
dcsim_status report_run_section(page *p, const char *dir, const dcsim_csv_table *meta,
                                dcsim_diag *d);
dcsim_status report_sweep_section(page *p, const char *dir, dcsim_diag *d);

#endif
