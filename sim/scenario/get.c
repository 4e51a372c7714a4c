/* Structure helpers for the scenario loader: sections of named entries, element names,
 * optional typed keys with defaults, [x, y] tables, month-day dates and references into a
 * section. They keep the per-section loaders short and their messages uniform. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/hourly.h"
#include "dcsim/units.h"
#include "scenario/load.h"

const char *scn_join(char *buf, size_t n, const char *base, const char *key)
{
    if (base && base[0])
        snprintf(buf, n, "%s.%s", base, key);
    else
        snprintf(buf, n, "%s", key);
    return buf;
}

size_t scn_len(const dcsim_ynode *n)
{
    return n ? n->len : 0;
}

dcsim_status scn_section(scn_ctx *c, const dcsim_ynode *parent, const char *key,
                         const char *path, const dcsim_ynode **out)
{
    *out = parent ? dcsim_ynode_get(parent, key) : NULL;
    if (!*out)
        return DCSIM_OK;
    if ((*out)->kind == DCSIM_Y_SCALAR && (*out)->scalar[0] == '\0' && !(*out)->quoted) {
        *out = NULL;        /* "buildings:" with nothing under it: an empty section */
        return DCSIM_OK;
    }
    if ((*out)->kind != DCSIM_Y_MAP)
        return scn_fail(c, *out, path, "expected a map of named entries (name: {...}), "
                                       "found %s", (*out)->kind == DCSIM_Y_SEQ ? "a list"
                                                                               : "a value");
    return DCSIM_OK;
}

dcsim_status scn_element_name(scn_ctx *c, const dcsim_ynode *key, const char *path)
{
    TRY(scn_name(c, key, path));
    if (c->n_seen == c->cap_seen) {
        size_t cap = c->cap_seen ? 2 * c->cap_seen : 64;
        const dcsim_ynode **s = realloc(c->seen, cap * sizeof *s);
        if (!s)
            return OOM(c);
        c->seen = s;
        c->cap_seen = cap;
    }
    c->seen[c->n_seen++] = key;
    return DCSIM_OK;
}

static int by_name_then_place(const void *a, const void *b)
{
    const dcsim_ynode *x = *(const dcsim_ynode *const *)a, *y = *(const dcsim_ynode *const *)b;
    int k = strcmp(x->scalar, y->scalar);
    if (k)
        return k;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* Names are unique across the scenario, so references never need a kind prefix; checked
 * once, sorted, so a scenario of many elements loads in n log n. */
dcsim_status scn_check_unique(scn_ctx *c)
{
    if (c->n_seen < 2)
        return DCSIM_OK;    /* nothing to compare; c->seen is still NULL with no names */
    qsort(c->seen, c->n_seen, sizeof *c->seen, by_name_then_place);
    for (size_t i = 1; i < c->n_seen; i++)
        if (strcmp(c->seen[i - 1]->scalar, c->seen[i]->scalar) == 0)
            return scn_fail(c, c->seen[i], "", "name '%s' is already used at line %d, column "
                            "%d; names must be unique across the scenario",
                            c->seen[i]->scalar, c->seen[i - 1]->line, c->seen[i - 1]->col);
    return DCSIM_OK;
}

/* The node under key, or an error when required and absent; *n NULL when optional and
 * absent. */
static dcsim_status get(scn_ctx *c, const dcsim_ynode *map, const char *key, const char *path,
                        bool required, const dcsim_ynode **n)
{
    *n = dcsim_ynode_get(map, key);
    if (!*n && required)
        return scn_fail(c, map, path, "missing required key '%s'", key);
    return DCSIM_OK;
}

dcsim_status scn_get_power(scn_ctx *c, const dcsim_ynode *map, const char *key,
                           const char *path, bool required, double *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_power(c, n, scn_join(sub, sizeof sub, path, key), out) : DCSIM_OK;
}

dcsim_status scn_get_energy(scn_ctx *c, const dcsim_ynode *map, const char *key,
                            const char *path, bool required, double *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH], why[256];
    TRY(get(c, map, key, path, required, &n));
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, key);
    TRY(scn_need_scalar(c, n, sub));
    if (!dcsim_parse_energy(n->scalar, out, why, sizeof why))
        return scn_fail(c, n, sub, "%s", why);
    if (*out > 3.6e15)
        return scn_fail(c, n, sub, "'%s' is above the limit of 1000 GWh", n->scalar);
    return DCSIM_OK;
}

dcsim_status scn_get_number(scn_ctx *c, const dcsim_ynode *map, const char *key,
                            const char *path, bool required, double lo, double hi,
                            double *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_number(c, n, scn_join(sub, sizeof sub, path, key), lo, hi, out) : DCSIM_OK;
}

dcsim_status scn_get_count(scn_ctx *c, const dcsim_ynode *map, const char *key,
                           const char *path, bool required, uint32_t lo, uint32_t hi,
                           uint32_t *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_count(c, n, scn_join(sub, sizeof sub, path, key), lo, hi, out) : DCSIM_OK;
}

dcsim_status scn_get_duration(scn_ctx *c, const dcsim_ynode *map, const char *key,
                              const char *path, bool required, int64_t *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_duration(c, n, scn_join(sub, sizeof sub, path, key), out) : DCSIM_OK;
}

dcsim_status scn_get_dist(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, bool required, dcsim_dist *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_duration_dist(c, n, scn_join(sub, sizeof sub, path, key), out) : DCSIM_OK;
}

dcsim_status scn_get_when(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, bool required, int64_t *out)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(get(c, map, key, path, required, &n));
    return n ? scn_when(c, n, scn_join(sub, sizeof sub, path, key), out) : DCSIM_OK;
}

dcsim_status scn_pairs(scn_ctx *c, const dcsim_ynode *n, const char *path, double ylo,
                       double yhi, double **x, double **y, uint32_t *count)
{
    if (n->kind != DCSIM_Y_SEQ || n->len == 0)
        return scn_fail(c, n, path, "expected a list of [x, y] points, like [[10, 1.10], "
                                    "[35, 1.25]]");
    if (n->len > 10000)
        return scn_fail(c, n, path, "more than 10000 points");
    *x = scn_alloc(&c->sc->arena, n->len * sizeof **x);
    *y = scn_alloc(&c->sc->arena, n->len * sizeof **y);
    if (!*x || !*y)
        return OOM(c);
    for (size_t i = 0; i < n->len; i++) {
        const dcsim_ynode *pt = n->items[i];
        char sub[SCN_PATH];
        snprintf(sub, sizeof sub, "%s.%zu", path, i);
        if (pt->kind != DCSIM_Y_SEQ || pt->len != 2)
            return scn_fail(c, pt, sub, "expected a point [x, y]");
        TRY(scn_number(c, pt->items[0], sub, -1e6, 1e6, &(*x)[i]));
        TRY(scn_number(c, pt->items[1], sub, ylo, yhi, &(*y)[i]));
        if (i > 0 && !((*x)[i] > (*x)[i - 1]))
            return scn_fail(c, pt->items[0], sub, "x values must increase: %g follows %g",
                            (*x)[i], (*x)[i - 1]);
    }
    *count = (uint32_t)n->len;
    return DCSIM_OK;
}

dcsim_status scn_month_day(scn_ctx *c, const dcsim_ynode *n, const char *path, uint16_t *doy)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    TRY(scn_need_scalar(c, n, path));
    const char *s = n->scalar;
    if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != '-' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return scn_fail(c, n, path, "'%s' is not a month and day like 06-01", s);
    int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[3] - '0') * 10 + (s[4] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return scn_fail(c, n, path, "'%s' is not a day of the year (29 February is not "
                                    "allowed in a season)", s);
    int k = 0;
    for (int i = 0; i < m - 1; i++)
        k += days[i];
    *doy = (uint16_t)(k + d - 1);
    return DCSIM_OK;
}

dcsim_status scn_pick(scn_ctx *c, const dcsim_ynode *n, const char *path, const char *what,
                      uint32_t count, scn_name_fn name, const void *arg, long *out)
{
    TRY(scn_need_scalar(c, n, path));
    for (uint32_t k = 0; k < count; k++)
        if (strcmp(name(c->sc, k, arg), n->scalar) == 0) {
            *out = (long)k;
            return DCSIM_OK;
        }
    const char **names = malloc((size_t)count * sizeof *names + 1);
    if (!names)
        return OOM(c);
    for (uint32_t k = 0; k < count; k++)
        names[k] = name(c->sc, k, arg);
    const char *hint = dcsim_did_you_mean(n->scalar, names, count);
    dcsim_status st = hint ? scn_fail(c, n, path, "'%s' is not %s (did you mean '%s'?)",
                                      n->scalar, what, hint)
                           : scn_fail(c, n, path, "'%s' is not %s of this scenario", n->scalar,
                                      what);
    free(names);
    return st;
}

dcsim_status scn_ref_in(scn_ctx *c, const dcsim_ynode *n, const char *path,
                        const dcsim_ynode *sec, const char *what, uint32_t *out)
{
    TRY(scn_need_scalar(c, n, path));
    size_t m = scn_len(sec);
    for (size_t i = 0; i < m; i++)
        if (strcmp(sec->pairs[i].key->scalar, n->scalar) == 0) {
            *out = (uint32_t)i;
            return DCSIM_OK;
        }
    const char **names = malloc((m + 1) * sizeof *names);
    if (!names)
        return OOM(c);
    for (size_t i = 0; i < m; i++)
        names[i] = sec->pairs[i].key->scalar;
    const char *hint = dcsim_did_you_mean(n->scalar, names, m);
    dcsim_status st = hint ? scn_fail(c, n, path, "no %s named '%s' (did you mean '%s'?)", what,
                                      n->scalar, hint)
                           : scn_fail(c, n, path, "no %s named '%s'", what, n->scalar);
    free(names);
    return st;
}

void scn_file_path(const scn_ctx *c, const char *rel, char *buf, size_t n)
{
    int w = rel[0] == '/' || !c->dir[0] ? snprintf(buf, n, "%s", rel)
                                        : snprintf(buf, n, "%s/%s", c->dir, rel);
    if (w < 0 || (size_t)w >= n)
        buf[0] = '\0';     /* too long a path: opening "" fails with a clear message */
}

/* An hourly series from a CSV file named in the scenario; values copied into the arena. */
dcsim_status scn_hourly(scn_ctx *c, const dcsim_ynode *map, const char *file_key,
                       const char *col_key, const char *default_col, const char *path,
                       double lo, double hi, double **out, uint32_t *n)
{
    const dcsim_ynode *fn = dcsim_ynode_get(map, file_key), *cn = dcsim_ynode_get(map, col_key);
    char sub[SCN_PATH], file[4096];
    scn_join(sub, sizeof sub, path, file_key);
    TRY(scn_need_scalar(c, fn, sub));
    const char *col = default_col;
    if (cn) {
        TRY(scn_need_scalar(c, cn, scn_join(sub, sizeof sub, path, col_key)));
        col = cn->scalar;
    }
    scn_file_path(c, fn->scalar, file, sizeof file);
    double *v = NULL;
    dcsim_status st = dcsim_hourly_read(file, col, lo, hi, &v, n, c->d);
    if (st) {
        /* A fault at a place in the file keeps the file's own line and column. One with no
         * place (the file is missing, too big, or has too few rows) points at the key that
         * names the file, and says which file. */
        if (st == DCSIM_EIO || (st == DCSIM_EINPUT && c->d->line == 0)) {
            char msg[sizeof c->d->msg];
            snprintf(msg, sizeof msg, "%s", c->d->msg);
            return scn_fail(c, fn, scn_join(sub, sizeof sub, path, file_key), "%s: %s", file,
                            msg);
        }
        return st;
    }
    *out = scn_alloc(&c->sc->arena, (size_t)*n * sizeof **out);
    if (*out)
        memcpy(*out, v, (size_t)*n * sizeof **out);
    free(v);
    return *out ? DCSIM_OK : OOM(c);
}

