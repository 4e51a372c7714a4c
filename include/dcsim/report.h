/* The report: one self-contained HTML page (charts inlined as SVG, no scripts, nothing
 * fetched) for a dcsim output directory, to hand to someone who will never run dcsim. */
#ifndef DCSIM_REPORT_H
#define DCSIM_REPORT_H

#include "dcsim/diag.h"
#include "dcsim/plot.h"

/* Write DIR/report.html for a run, mc or sweep directory (a run directory's mc/ and sweep/
 * subdirectories are included too). Charts not drawn yet are drawn first with `po`. The file
 * appears whole or not at all. */
dcsim_status dcsim_report_write(const char *dir, const dcsim_plot_opts *po, dcsim_diag *d);

#endif
