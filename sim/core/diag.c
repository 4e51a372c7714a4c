/* Diagnostics: filling and printing user-facing errors, and the assertion handler for
 * invariants. See include/dcsim/diag.h for the two failure channels. */
#include "dcsim/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void dcsim_diag_clear(dcsim_diag *d)
{
    if (!d)
        return;
    d->status = DCSIM_OK;
    d->file[0] = '\0';
    d->line = 0;
    d->col = 0;
    d->msg[0] = '\0';
}

dcsim_status dcsim_diag_set(dcsim_diag *d, dcsim_status st, const char *file, int line,
                            int col, const char *fmt, ...)
{
    if (!d)
        return st;
    d->status = st;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return st;
}

void dcsim_diag_print(const dcsim_diag *d, FILE *f)
{
    if (d->file[0] && d->line > 0 && d->col > 0)
        fprintf(f, "%s:%d:%d: error: %s\n", d->file, d->line, d->col, d->msg);
    else if (d->file[0] && d->line > 0)
        fprintf(f, "%s:%d: error: %s\n", d->file, d->line, d->msg);
    else if (d->file[0])
        fprintf(f, "%s: error: %s\n", d->file, d->msg);
    else
        fprintf(f, "dcsim: error: %s\n", d->msg);
}

bool dcsim_refuse(char *why, size_t why_len, const char *fmt, ...)
{
    if (why && why_len > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    return false;
}

int dcsim_status_exit_code(dcsim_status st)
{
    switch (st) {
    case DCSIM_OK:
        return 0;
    case DCSIM_EINPUT:
    case DCSIM_EIO:
        return 2;
    case DCSIM_ENOMEM:
    case DCSIM_ERUNTIME:
    case DCSIM_EWRITE:
    default:
        return 1;
    }
}

_Noreturn void dcsim_assert_fail(const char *file, int line, const char *expr, int64_t now_s,
                                 uint64_t seed)
{
    if (now_s >= 0)
        fprintf(stderr, "%s:%d: dcsim internal error: assertion '%s' failed at t=%lld s "
                        "(seed %llu); please report this with the scenario\n",
                file, line, expr, (long long)now_s, (unsigned long long)seed);
    else
        fprintf(stderr, "%s:%d: dcsim internal error: assertion '%s' failed; please report "
                        "this with the scenario\n", file, line, expr);
    abort();
}
