/* Helpers shared by the tests: scratch directories, reading a run's CSV outputs, and
 * running a scenario through the library into a directory. */
#ifndef DCSIM_TESTUTIL_H
#define DCSIM_TESTUTIL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/csv.h"
#include "dcsim/scenario.h"

/* A fresh directory under $TMPDIR (or /tmp); the caller frees the string after rm_tree. */
char *tu_mkdtemp(void);
/* Write text to dir/name in a new scratch directory; returns the directory (free it, and
 * tu_rm_tree it) and the file's path in path. */
char *tu_write_temp(const char *name, const char *text, char *path, size_t n);
/* Remove a directory tree (best effort). */
void tu_rm_tree(const char *path);

/* Path of a file under the source tree ($DCSIM_ROOT, default "."), in a static-free buffer. */
void tu_src_path(const char *rel, char *buf, size_t n);

/* Read dir/name as a CSV table; fails the test if it cannot. */
dcsim_csv_table *tu_read_csv(const char *dir, const char *name);
/* Field of row r (1-based data rows: r = 1 is the first row after the header) in column
 * `col` by name; fails the test if the column does not exist. */
const char *tu_field(const dcsim_csv_table *t, size_t r, const char *col);
double tu_num(const dcsim_csv_table *t, size_t r, const char *col);
/* Row index (1-based data row) whose `key_col` equals key, or 0. */
size_t tu_find_row(const dcsim_csv_table *t, const char *key_col, const char *key);

/* Load src-relative scenario with overrides, run replication 0, write outputs into dir.
 * Fails the test on any error. */
void tu_run_scenario(const char *rel_path, const char *const *sets, size_t n_sets,
                     const char *dir);

/* Double-precision closeness (cmocka's assert_float_equal compares as float). */
#define tu_close(a, b, tol)                                                               \
    do {                                                                                  \
        double tu_a_ = (a), tu_b_ = (b);                                                  \
        if (!(fabs(tu_a_ - tu_b_) <= (tol)))                                              \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, tu_a_, tu_b_,       \
                     (double)(tol));                                                      \
    } while (0)

/* Run argv[0] (a path) with argv, stdout to /dev/null and stderr into err (NUL-terminated,
 * truncated to err_len; err may be NULL). in_child, if not NULL, runs in the child just
 * before exec (to set the environment or limits; it may _exit with a code of its own).
 * Returns the exit status, or 128 + the signal that ended it. */
int tu_exec(char *const argv[], void (*in_child)(void *), void *arg, char *err, size_t err_len);

/* Read a whole file, NUL-terminated; NULL if it cannot. *len gets its size. Caller frees. */
char *tu_slurp(const char *path, size_t *len);

#endif
