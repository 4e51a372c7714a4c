/* Output directories that appear atomically: files are written into a temporary sibling
 * (DIR.tmp-XXXXXX), and committed by one rename (or an atomic exchange with an older dcsim
 * output at DIR, with --force). A run that fails leaves nothing behind. */
#ifndef DCSIM_OUTDIR_H
#define DCSIM_OUTDIR_H

#include <limits.h>
#include <stdbool.h>

#include "dcsim/diag.h"

/* Caller-owned handle. */
typedef struct dcsim_outdir {
    char final_path[PATH_MAX];
    char tmp_path[PATH_MAX];
    int open;
    bool force;     /* an earlier dcsim output at the path may be replaced */
} dcsim_outdir;

/* Prepare to write `path`: create missing parents, refuse a path that exists and is not a
 * directory, an existing non-empty directory that is not a dcsim output (one holding
 * meta.csv), so that -o never replaces a user's folder, and an earlier dcsim output unless
 * `force`; then create the temporary sibling. Refusals and failures are DCSIM_EWRITE. */
dcsim_status dcsim_outdir_begin(dcsim_outdir *o, const char *path, bool force, dcsim_diag *d);

/* Path of `name` inside the temporary directory, written into buf. Returns buf, or NULL if it
 * does not fit. */
char *dcsim_outdir_file(const dcsim_outdir *o, const char *name, char *buf, size_t buf_len);

/* fsync the files, then move the temporary directory into place (replacing an older dcsim
 * output at the same path, whose remains are then removed). */
dcsim_status dcsim_outdir_commit(dcsim_outdir *o, dcsim_diag *d);

/* Remove the temporary directory and everything in it. Safe to call twice or after commit. */
void dcsim_outdir_abort(dcsim_outdir *o);

#endif
