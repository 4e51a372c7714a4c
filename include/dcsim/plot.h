/* Charts: dcsim's output directories drawn by the gnuplot scripts in plots/, with gnuplot
 * run as a child process (no shell). Each chart is written as NAME.png and NAME.svg into the
 * directory it draws, and appears whole or not at all. */
#ifndef DCSIM_PLOT_H
#define DCSIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dcsim/diag.h"

/* What an output directory holds, read from its meta.csv (`kind`). */
typedef enum dcsim_dir_kind {
    DCSIM_DIR_NONE,     /* no meta.csv, or one without a kind dcsim knows */
    DCSIM_DIR_RUN,
    DCSIM_DIR_MC,
    DCSIM_DIR_SWEEP
} dcsim_dir_kind;

/* The kind of dir; name (if not NULL) gets the scenario's name ("" when meta.csv has none).
 * DCSIM_DIR_NONE with d filled (DCSIM_EIO) when dir is not a dcsim output. */
dcsim_dir_kind dcsim_dir_kind_of(const char *dir, char *name, size_t name_len, dcsim_diag *d);

/* The charts a kind of directory gets: script names under plots/ without ".gp", in drawing
 * order; *n gets the count. The chart NAME.png/.svg is named after its script. */
const char *const *dcsim_plot_charts(dcsim_dir_kind kind, size_t *n);

typedef struct dcsim_plot_opts {
    const char *plots_dir;  /* where the .gp scripts are; NULL: dcsim_plots_dir() */
    const char *check_dir;  /* if set, each script writes its data check to CHECK/NAME.check */
    bool strict;            /* a gnuplot warning is an error (tests); else it is printed */
    FILE *log;              /* "drew DIR/NAME.png" lines and warnings; NULL for silence */
} dcsim_plot_opts;

/* Draw chart `script` of dir into dir/SCRIPT.png and .svg. Errors name the script and quote
 * gnuplot: DCSIM_EIO when gnuplot cannot be started (not installed) or the script is missing,
 * DCSIM_ERUNTIME when it fails (or, strict, warns). */
dcsim_status dcsim_plot_chart(const char *dir, const char *script, const dcsim_plot_opts *o,
                              dcsim_diag *d);

/* Draw every chart that applies to dir, and to its mc/ and sweep/ subdirectories when they
 * hold dcsim outputs (make run puts a short Monte Carlo in mc/). */
dcsim_status dcsim_plot_dir(const char *dir, const dcsim_plot_opts *o, dcsim_diag *d);

/* The plots/ folder: $DCSIM_PLOTS, else plots/ beside the folder of the running binary
 * (build/dcsim -> plots/), else "plots". */
const char *dcsim_plots_dir(char *buf, size_t len);

/* Run gnuplot on script after the -e assignments. stderr goes to err (NUL-terminated,
 * truncated to err_len). DCSIM_EIO when gnuplot cannot be started, DCSIM_ERUNTIME when it
 * exits non-zero (d quotes its message); DCSIM_OK otherwise, even if it printed warnings. */
dcsim_status dcsim_gnuplot(const char *script, const char *assignments, char *err,
                           size_t err_len, dcsim_diag *d);

#endif
