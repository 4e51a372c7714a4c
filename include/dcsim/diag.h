/* Diagnostics: the two failure channels of dcsim.
 * User-caused failures (bad input, I/O) travel as a dcsim_status plus a dcsim_diag that
 * names file, line and column; broken invariants go through DCSIM_ASSERT and abort. */
#ifndef DCSIM_DIAG_H
#define DCSIM_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum dcsim_status {
    DCSIM_OK = 0,
    DCSIM_EINPUT,   /* bad scenario, bad option, bad value: exit code 2 */
    DCSIM_EIO,      /* an input that cannot be read (missing, unreadable, too big): exit 2 */
    DCSIM_ENOMEM,   /* out of memory: exit code 1 */
    DCSIM_ERUNTIME, /* anything else that went wrong while running: exit code 1 */
    DCSIM_EWRITE    /* the output cannot be written (disk full, permission denied, the path is
                     * a file, an earlier output there without --force): exit code 1 */
} dcsim_status;

/* A diagnostic the caller owns (usually on its stack). file may be empty (then the message
 * stands alone); line and col are 1-based, 0 when unknown. */
typedef struct dcsim_diag {
    dcsim_status status;
    char file[512];
    int line;
    int col;
    char msg[1024];
} dcsim_diag;

/* Reset d to "no error". */
void dcsim_diag_clear(dcsim_diag *d);

/* Fill d (if not NULL) and return st, so callers can write `return dcsim_diag_set(...)`.
 * file may be NULL. The message is a sentence a person understands, without the position. */
dcsim_status dcsim_diag_set(dcsim_diag *d, dcsim_status st, const char *file, int line,
                            int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Print "file:line:col: error: msg\n" (parts omitted when unknown) to f. */
void dcsim_diag_print(const dcsim_diag *d, FILE *f);

/* Process exit code for a status: 0 ok, 2 bad or unreadable input, 1 otherwise (the output
 * could not be written, memory, a runtime failure). */
int dcsim_status_exit_code(dcsim_status st);

/* Write a reason for refusing a value into why (if why is not NULL) and return false, so
 * parsers and checkers can write `return dcsim_refuse(why, why_len, "...", ...)`. */
bool dcsim_refuse(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report a broken invariant and abort. now_s < 0 means "no simulation time". */
_Noreturn void dcsim_assert_fail(const char *file, int line, const char *expr, int64_t now_s,
                                 uint64_t seed);

/* Invariants only a bug can break. The _SIM form reports simulation time and seed. */
#define DCSIM_ASSERT(cond) \
    ((cond) ? (void)0 : dcsim_assert_fail(__FILE__, __LINE__, #cond, -1, 0))
#define DCSIM_ASSERT_SIM(cond, now_s, seed) \
    ((cond) ? (void)0 : dcsim_assert_fail(__FILE__, __LINE__, #cond, (now_s), (seed)))

#endif
