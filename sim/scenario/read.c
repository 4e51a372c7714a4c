/* Typed readers for the scenario loader: YAML scalar nodes into SI values and distributions
 * (names and references between activities are in refs.c). Every failure names the node's
 * file:line:column and the key path, in words a planner understands. */
#include "scenario/load.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"

/* ---- arena ---- */

struct scn_arena {
    struct scn_arena *next;
    max_align_t data[];
};

void *scn_alloc(struct scn_arena **a, size_t size)
{
    struct scn_arena *blk = calloc(1, sizeof *blk + (size ? size : 1));
    if (!blk)
        return NULL;
    blk->next = *a;
    *a = blk;
    return blk->data;
}

char *scn_strdup(struct scn_arena **a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = scn_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void scn_arena_free(struct scn_arena *a)
{
    while (a) {
        struct scn_arena *next = a->next;
        free(a);
        a = next;
    }
}

/* ---- failures ---- */

dcsim_status scn_fail(scn_ctx *c, const dcsim_ynode *n, const char *path, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = n && n->file ? n->file : c->sc->path;
    int line = n ? n->line : 0, col = n ? n->col : 0;
    if (path && path[0])
        return dcsim_diag_set(c->d, DCSIM_EINPUT, file, line, col, "%s: %s", path, msg);
    return dcsim_diag_set(c->d, DCSIM_EINPUT, file, line, col, "%s", msg);
}

static const char *kind_word(const dcsim_ynode *n)
{
    switch (n->kind) {
    case DCSIM_Y_MAP:
        return "a map";
    case DCSIM_Y_SEQ:
        return "a list";
    default:
        return "a single value";
    }
}

dcsim_status scn_need_map(scn_ctx *c, const dcsim_ynode *n, const char *path)
{
    if (n->kind != DCSIM_Y_MAP)
        return scn_fail(c, n, path, "expected a map of keys and values, found %s",
                        kind_word(n));
    return DCSIM_OK;
}

dcsim_status scn_need_scalar(scn_ctx *c, const dcsim_ynode *n, const char *path)
{
    if (n->kind != DCSIM_Y_SCALAR)
        return scn_fail(c, n, path, "expected a single value, found %s", kind_word(n));
    return DCSIM_OK;
}

dcsim_status scn_check_keys(scn_ctx *c, const dcsim_ynode *n, const char *path,
                            const char *const *allowed)
{
    dcsim_status st = scn_need_map(c, n, path);
    if (st)
        return st;
    size_t n_allowed = 0;
    while (allowed[n_allowed])
        n_allowed++;
    for (size_t i = 0; i < n->len; i++) {
        const dcsim_ynode *k = n->pairs[i].key;
        size_t j = 0;
        while (j < n_allowed && strcmp(k->scalar, allowed[j]) != 0)
            j++;
        if (j < n_allowed)
            continue;
        const char *hint = dcsim_did_you_mean(k->scalar, allowed, n_allowed);
        if (hint)
            return scn_fail(c, k, path, "unknown key '%s' (did you mean '%s'?)", k->scalar,
                            hint);
        char list[512] = "";
        for (size_t m = 0; m < n_allowed; m++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", m ? ", " : "", allowed[m]);
        }
        return scn_fail(c, k, path, "unknown key '%s' (expected one of: %s)", k->scalar, list);
    }
    return DCSIM_OK;
}

dcsim_status scn_required(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, const dcsim_ynode **out)
{
    *out = dcsim_ynode_get(map, key);
    if (!*out)
        return scn_fail(c, map, path, "missing required key '%s'", key);
    return DCSIM_OK;
}

/* ---- scalars ---- */

typedef bool (*parse_f64)(const char *, double *, char *, size_t);

static dcsim_status scalar_with(scn_ctx *c, const dcsim_ynode *n, const char *path,
                                parse_f64 parse, double *out)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    char why[256];
    if (!parse(n->scalar, out, why, sizeof why))
        return scn_fail(c, n, path, "%s", why);
    return DCSIM_OK;
}

/* "2025-06-30": four digits and a dash, which no duration starts with. */
static bool looks_like_date(const char *s)
{
    return strlen(s) >= 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-';
}

dcsim_status scn_duration(scn_ctx *c, const dcsim_ynode *n, const char *path, int64_t *out_s)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    char why[256];
    if (!dcsim_parse_duration(n->scalar, out_s, why, sizeof why)) {
        /* The parser would speak of a unit '-06-30'; say what the value is instead. */
        if (looks_like_date(n->scalar))
            return scn_fail(c, n, path, "'%s' is a date, but this key takes a duration (a "
                            "number and a unit, like 30d or 18mo)", n->scalar);
        return scn_fail(c, n, path, "%s", why);
    }
    return DCSIM_OK;
}

dcsim_status scn_power(scn_ctx *c, const dcsim_ynode *n, const char *path, double *out_w)
{
    dcsim_status st = scalar_with(c, n, path, dcsim_parse_power, out_w);
    if (!st && *out_w > 1e12)
        return scn_fail(c, n, path, "'%s' is above the limit of 1000 GW", n->scalar);
    return st;
}

dcsim_status scn_number(scn_ctx *c, const dcsim_ynode *n, const char *path, double lo,
                        double hi, double *out)
{
    dcsim_status st = scalar_with(c, n, path, dcsim_parse_number, out);
    if (st)
        return st;
    if (*out < lo || *out > hi)
        return scn_fail(c, n, path, "%s is out of range (%g to %g)", n->scalar, lo, hi);
    return DCSIM_OK;
}

dcsim_status scn_count(scn_ctx *c, const dcsim_ynode *n, const char *path, uint32_t lo,
                       uint32_t hi, uint32_t *out)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    char why[256];
    if (!dcsim_parse_count(n->scalar, out, why, sizeof why))
        return scn_fail(c, n, path, "%s", why);
    if (*out < lo || *out > hi)
        return scn_fail(c, n, path, "%u is out of range (%u to %u)", *out, lo, hi);
    return DCSIM_OK;
}

dcsim_status scn_u64(scn_ctx *c, const dcsim_ynode *n, const char *path, uint64_t *out)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    const char *s = n->scalar;
    if (!*s)
        return scn_fail(c, n, path, "expected a whole number, found nothing");
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return scn_fail(c, n, path, "'%s' is not a whole number (digits only)", s);
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return scn_fail(c, n, path, "'%s' is too large (at most 18446744073709551615)", s);
    *out = (uint64_t)v;
    return DCSIM_OK;
}

dcsim_status scn_string(scn_ctx *c, const dcsim_ynode *n, const char *path, char **out)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    *out = scn_strdup(&c->sc->arena, n->scalar);
    if (!*out)
        return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    return DCSIM_OK;
}

dcsim_status scn_when(scn_ctx *c, const dcsim_ynode *n, const char *path, int64_t *out_s)
{
    dcsim_status st = scn_need_scalar(c, n, path);
    if (st)
        return st;
    char why_date[256], why_dur[256];
    int64_t t;
    /* A leading digit-digit-digit-digit-dash is a date; anything else an offset. */
    const char *s = n->scalar;
    if (looks_like_date(s)) {
        if (!dcsim_parse_date(s, &t, why_date, sizeof why_date))
            return scn_fail(c, n, path, "%s", why_date);
        if (t < c->start_unix)
            return scn_fail(c, n, path, "%s is before the scenario start", s);
        *out_s = t - c->start_unix;
        return DCSIM_OK;
    }
    if (!dcsim_parse_duration(s, &t, why_dur, sizeof why_dur))
        return scn_fail(c, n, path,
                        "'%s' is neither a date (2025-06-30) nor a time after the scenario "
                        "start (30d): %s", s, why_dur);
    *out_s = t;
    return DCSIM_OK;
}

/* ---- distributions ---- */

/* Parameters that carry no unit: everything else in a duration distribution is a duration. */
static bool param_is_plain(const char *type, const char *param)
{
    return strcmp(param, "shape") == 0 || strcmp(param, "sigma") == 0 ||
           (strcmp(type, "lognormal") == 0 && strcmp(param, "mu") == 0);
}

static dcsim_status dist_param(scn_ctx *c, const dcsim_ynode *map, const char *type,
                               const char *param, const char *path, double *out)
{
    char sub[256];
    snprintf(sub, sizeof sub, "%s.%s", path, param);
    const dcsim_ynode *v;
    dcsim_status st = scn_required(c, map, param, path, &v);
    if (st)
        return st;
    if (param_is_plain(type, param))
        return scn_number(c, v, sub, -1e300, 1e300, out);
    return scalar_with(c, v, sub, dcsim_parse_duration_f, out);
}

dcsim_status scn_duration_dist(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               dcsim_dist *out)
{
    if (n->kind == DCSIM_Y_SCALAR) {
        int64_t s;
        dcsim_status st = scn_duration(c, n, path, &s);
        if (st)
            return st;
        *out = dcsim_dist_fixed((double)s, true);
        return DCSIM_OK;
    }
    if (n->kind != DCSIM_Y_MAP)
        return scn_fail(c, n, path, "expected a duration (30d) or a distribution "
                                    "({dist: pert, min: 3mo, mode: 6mo, max: 1y}), found a list");
    const dcsim_ynode *dn;
    dcsim_status st = scn_required(c, n, "dist", path, &dn);
    if (st)
        return st;
    if ((st = scn_need_scalar(c, dn, path)))
        return st;
    const dcsim_dist_type *t = dcsim_dist_type_find(dn->scalar);
    if (!t) {
        const char *names[32];
        size_t k = 0;
        for (const dcsim_dist_type *const *p = dcsim_dist_types(); *p && k < 32; p++)
            names[k++] = (*p)->name;
        const char *hint = dcsim_did_you_mean(dn->scalar, names, k);
        char sub[256];
        snprintf(sub, sizeof sub, "%s.dist", path);
        if (hint)
            return scn_fail(c, dn, sub, "unknown distribution '%s' (did you mean '%s'?)",
                            dn->scalar, hint);
        return scn_fail(c, dn, sub, "unknown distribution '%s' (use fixed, uniform, "
                                    "triangular, pert, normal, lognormal, gamma, weibull or "
                                    "exponential)", dn->scalar);
    }
    out->type = t;
    out->nonneg = true;
    memset(out->p, 0, sizeof out->p);

    bool lognormal = strcmp(t->name, "lognormal") == 0;
    if (lognormal && dcsim_ynode_get(n, "median")) {
        /* The planner's form: a median and either a p90 or a sigma of ln(duration). */
        static const char *const keys[] = {"dist", "median", "p90", "sigma", NULL};
        if ((st = scn_check_keys(c, n, path, keys)))
            return st;
        double median;
        if ((st = dist_param(c, n, "lognormal", "median", path, &median)))
            return st;
        if (median <= 0)
            return scn_fail(c, dcsim_ynode_get(n, "median"), path, "median must be positive");
        bool has_p90 = dcsim_ynode_get(n, "p90") != NULL;
        bool has_sigma = dcsim_ynode_get(n, "sigma") != NULL;
        if (has_p90 == has_sigma)
            return scn_fail(c, n, path, "a lognormal by median needs exactly one of 'p90' or "
                                        "'sigma'");
        if (has_p90) {
            double p90;
            if ((st = dist_param(c, n, "lognormal", "p90", path, &p90)))
                return st;
            if (p90 <= median)
                return scn_fail(c, dcsim_ynode_get(n, "p90"), path,
                                "p90 must be above the median");
            dcsim_dist_lognormal_from_median_p90(median, p90, &out->p[0], &out->p[1]);
        } else {
            double sigma;
            if ((st = dist_param(c, n, "lognormal", "sigma", path, &sigma)))
                return st;
            out->p[0] = log(median);
            out->p[1] = sigma;
        }
    } else {
        const char *keys[DCSIM_DIST_MAX_PARAMS + 2] = {"dist"};
        for (int i = 0; i < t->nparams; i++)
            keys[i + 1] = t->param[i];
        keys[t->nparams + 1] = NULL;
        if ((st = scn_check_keys(c, n, path, keys)))
            return st;
        for (int i = 0; i < t->nparams; i++)
            if ((st = dist_param(c, n, t->name, t->param[i], path, &out->p[i])))
                return st;
        if (lognormal)
            /* mu of ln(seconds) is unusable by hand; keep the documented median form. */
            return scn_fail(c, n, path, "give a lognormal duration by 'median' and 'p90' "
                                        "(or 'median' and 'sigma')");
    }
    char why[256];
    if (!dcsim_dist_check(out, why, sizeof why)) {
        /* The check speaks in seconds; the file spoke in days or months, so restate the
         * duration parameters in days. */
        char days[200] = "";
        size_t used = 0;
        for (int i = 0; i < t->nparams && !lognormal; i++) {
            if (param_is_plain(t->name, t->param[i]))
                continue;
            int w = snprintf(days + used, sizeof days - used, "%s%s %g", used ? ", " : "",
                             t->param[i], out->p[i] / 86400.0);
            if (w < 0 || (size_t)w >= sizeof days - used)
                break;
            used += (size_t)w;
        }
        if (used && strstr(why, "shape") == NULL && strstr(why, "sigma") == NULL)
            return scn_fail(c, n, path, "%s (values in seconds; in days: %s)", why, days);
        return scn_fail(c, n, path, "%s", why);
    }
    if (dcsim_dist_mean(out) > (double)DCSIM_DURATION_MAX_S)
        return scn_fail(c, n, path, "mean duration is above the limit of 1000 years");
    return DCSIM_OK;
}
