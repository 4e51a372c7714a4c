/* Names and references between activities: the element-name rule, the `after` and `needs`
 * references remembered while sections load, their resolution into dependency lists (with
 * the cycle check), and the look-up of an activity by name that risks share. */
#include "scenario/load.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
