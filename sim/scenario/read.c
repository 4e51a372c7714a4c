/* Typed readers for the scenario loader: YAML scalar nodes into SI values, distributions,
 * names and references, and the dependency resolver that refuses cycles. Every failure
 * names the node's file:line:column and the key path, in words a planner understands. */
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

/* ---- names and references ---- */

dcsim_status scn_name(scn_ctx *c, const dcsim_ynode *key, const char *path)
{
    const char *s = key->scalar;
    size_t len = strlen(s);
    if (len == 0)
        return scn_fail(c, key, path, "a name may not be empty");
    if (len > 63)
        return scn_fail(c, key, path, "name '%.20s...' is longer than 63 characters", s);
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (!(isalnum(ch) || ch == '_' || ch == '-'))
            return scn_fail(c, key, path, "name '%s' may hold only letters, digits, '-' and "
                                          "'_' (found '%c')", s, isprint(ch) ? ch : '?');
    }
    return DCSIM_OK;
}

static dcsim_status add_ref(scn_ctx *c, const dcsim_ynode *n, const char *path, uint32_t from,
                            bool need)
{
    if (c->n_refs == c->cap_refs) {
        size_t cap = c->cap_refs ? 2 * c->cap_refs : 16;
        scn_ref *r = realloc(c->refs, cap * sizeof *r);
        if (!r)
            return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
        c->refs = r;
        c->cap_refs = cap;
    }
    scn_ref *r = &c->refs[c->n_refs++];
    r->node = n;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->from_activity = from;
    r->need = need;
    return DCSIM_OK;
}

static dcsim_status collect(scn_ctx *c, const dcsim_ynode *n, const char *path, uint32_t from,
                            bool need)
{
    if (n->kind == DCSIM_Y_SCALAR && n->scalar[0] == '\0' && !n->quoted)
        return DCSIM_OK;            /* "after:" with nothing: waits for nothing, like [] */
    if (n->kind == DCSIM_Y_SCALAR)
        return add_ref(c, n, path, from, need);
    if (n->kind != DCSIM_Y_SEQ)
        return scn_fail(c, n, path, "expected a name or a list of names ([grid.permits, B1])");
    for (size_t i = 0; i < n->len; i++) {
        dcsim_status st = scn_need_scalar(c, n->items[i], path);
        if (st)
            return st;
        if ((st = add_ref(c, n->items[i], path, from, need)))
            return st;
    }
    return DCSIM_OK;
}

dcsim_status scn_collect_after(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               uint32_t from)
{
    return collect(c, n, path, from, false);
}

dcsim_status scn_collect_needs(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               uint32_t from)
{
    return collect(c, n, path, from, true);
}

/* Activity ids sorted by name, for binary search: references resolve in log n each. */
static int by_act_name(const void *a, const void *b, void *sc_)
{
    const dcsim_scenario *sc = sc_;
    return strcmp(sc->activities[*(const uint32_t *)a].name,
                  sc->activities[*(const uint32_t *)b].name);
}

long scn_find_activity(const dcsim_scenario *sc, const uint32_t *sorted, const char *name)
{
    size_t lo = 0, hi = sc->n_activities;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = strcmp(sc->activities[sorted[mid]].name, name);
        if (k == 0)
            return (long)sorted[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

dcsim_status scn_activity_ref(scn_ctx *c, const uint32_t *sorted, const dcsim_ynode *n,
                              const char *path, long *out)
{
    const dcsim_scenario *sc = c->sc;
    TRY(scn_need_scalar(c, n, path));
    *out = scn_find_activity(sc, sorted, n->scalar);
    if (*out >= 0)
        return DCSIM_OK;
    const char **names = malloc(sc->n_activities * sizeof *names + 1);
    if (!names)
        return OOM(c);
    for (uint32_t k = 0; k < sc->n_activities; k++)
        names[k] = sc->activities[k].name;
    const char *hint = dcsim_did_you_mean(n->scalar, names, sc->n_activities);
    dcsim_status st =
        hint ? scn_fail(c, n, path, "'%s' is not a source, stage, building or equipment item "
                                    "(did you mean '%s'?)", n->scalar, hint)
             : scn_fail(c, n, path, "'%s' is not a source, stage (source.stage), building or "
                                    "equipment item of this scenario", n->scalar);
    free(names);
    return st;
}

uint32_t *scn_activities_by_name(const dcsim_scenario *sc)
{
    uint32_t *sorted = malloc((sc->n_activities + 1) * sizeof *sorted);
    if (!sorted)
        return NULL;
    for (uint32_t k = 0; k < sc->n_activities; k++)
        sorted[k] = k;
    qsort_r(sorted, sc->n_activities, sizeof *sorted, by_act_name, (void *)sc);
    return sorted;
}

/* Depth-first search for a cycle from v, iterative so a long chain of `after`s cannot
 * overflow the C stack. colour: 0 new, 1 on the path, 2 done. stack holds the path and pos
 * the next dep to try at each level. On a cycle, writes its activities in order into cyc
 * and returns its length. */
static size_t dfs_cycle(const dcsim_scenario *sc, uint32_t v, uint8_t *colour,
                        uint32_t *stack, uint32_t *pos, uint32_t *cyc)
{
    size_t depth = 0;
    stack[0] = v;
    pos[0] = 0;
    colour[v] = 1;
    for (;;) {
        uint32_t u = stack[depth];
        const dcsim_activity *a = &sc->activities[u];
        /* Edges are the deps, then the needs: waiting to start or to finish, both block. */
        if (pos[depth] == a->n_deps + a->n_needs) {
            colour[u] = 2;
            if (depth == 0)
                return 0;
            depth--;
            continue;
        }
        uint32_t e = pos[depth]++;
        uint32_t w = e < a->n_deps ? a->deps[e] : a->needs[e - a->n_deps];
        if (colour[w] == 1) {
            size_t k = depth + 1, n = 0;
            while (k-- > 0 && stack[k] != w)
                ;
            for (size_t j = k; j <= depth; j++)
                cyc[n++] = stack[j];
            return n;
        }
        if (colour[w] == 0) {
            colour[w] = 1;
            stack[++depth] = w;
            pos[depth] = 0;
        }
    }
}

dcsim_status scn_resolve(scn_ctx *c)
{
    dcsim_scenario *sc = c->sc;
    /* Count the extra deps and needs per activity, then grow each array once. */
    uint32_t *extra = calloc(2 * (size_t)sc->n_activities + 1, sizeof *extra);
    if (!extra)
        return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    dcsim_status st = DCSIM_OK;
    long *target = calloc(c->n_refs + 1, sizeof *target);
    if (!target) {
        free(extra);
        return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    uint32_t *sorted = scn_activities_by_name(sc);
    if (!sorted) {
        free(extra);
        free(target);
        return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < c->n_refs && !st; i++) {
        const scn_ref *r = &c->refs[i];
        st = scn_activity_ref(c, sorted, r->node, r->path, &target[i]);
        if (st)
            break;
        if ((uint32_t)target[i] == r->from_activity) {
            st = scn_fail(c, r->node, r->path, "'%s' cannot wait for itself", r->node->scalar);
        } else {
            extra[2 * (size_t)r->from_activity + r->need]++;
        }
    }
    for (uint32_t a = 0; a < sc->n_activities && !st; a++) {
        dcsim_activity *act = &sc->activities[a];
        for (int need = 0; need < 2 && !st; need++) {
            uint32_t more = extra[2 * (size_t)a + (size_t)need];
            if (!more)
                continue;
            uint32_t **arr = need ? &act->needs : &act->deps;
            uint32_t have = need ? act->n_needs : act->n_deps;
            uint32_t *grown = scn_alloc(&sc->arena, (have + more) * sizeof *grown);
            if (!grown) {
                st = dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            if (have)
                memcpy(grown, *arr, have * sizeof *grown);
            *arr = grown;
        }
    }
    for (size_t i = 0; i < c->n_refs && !st; i++) {
        dcsim_activity *act = &sc->activities[c->refs[i].from_activity];
        uint32_t t = (uint32_t)target[i];
        uint32_t *arr = c->refs[i].need ? act->needs : act->deps;
        uint32_t *n = c->refs[i].need ? &act->n_needs : &act->n_deps;
        bool dup = false;
        for (uint32_t k = 0; k < *n; k++)
            dup = dup || arr[k] == t;
        if (!dup)
            arr[(*n)++] = t;
    }
    free(sorted);
    free(target);
    free(extra);
    if (st)
        return st;

    uint8_t *colour = calloc(sc->n_activities + 1, 1);
    uint32_t *stack = malloc((sc->n_activities + 1) * sizeof *stack);
    uint32_t *pos = malloc((sc->n_activities + 1) * sizeof *pos);
    uint32_t *cyc = malloc((sc->n_activities + 1) * sizeof *cyc);
    if (!colour || !stack || !pos || !cyc) {
        free(colour), free(stack), free(pos), free(cyc);
        return dcsim_diag_set(c->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (uint32_t v = 0; v < sc->n_activities && !st; v++) {
        if (colour[v])
            continue;
        size_t n = dfs_cycle(sc, v, colour, stack, pos, cyc);
        if (!n)
            continue;
        /* cyc[i] waits for cyc[i+1]; print it as "A waits for B waits for ... A". */
        char msg[700] = "";
        for (size_t i = 0; i < n; i++) {
            size_t used = strlen(msg);
            snprintf(msg + used, sizeof msg - used, "%s -> ", sc->activities[cyc[i]].name);
        }
        size_t used = strlen(msg);
        snprintf(msg + used, sizeof msg - used, "%s", sc->activities[cyc[0]].name);
        st = scn_fail(c, c->act_node[cyc[0]], NULL,
                      "dependency cycle: %s (each waits for the next)", msg);
    }
    free(colour), free(stack), free(pos), free(cyc);
    return st;
}
