/* The scenario loader: YAML (through the ytree) -> validated dcsim_scenario in SI units.
 * It walks the document once per section, checks every key, value and reference, and stops
 * at the first error with file:line:column and the key path. docs/scenario.md is the
 * reference for every key read here. */
#include "dcsim/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"
#include "dcsim/ytree.h"
#include "scenario/load.h"

#define OOM(c) dcsim_diag_set((c)->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory")
#define TRY(expr)                 \
    do {                          \
        dcsim_status st_ = (expr); \
        if (st_)                  \
            return st_;           \
    } while (0)

static const char *const metric_names[DCSIM_METRIC_COUNT] = {
    [DCSIM_METRIC_IT_ENERGIZED_MW] = "it_energized_mw",
    [DCSIM_METRIC_FACILITY_MW] = "facility_mw",
    [DCSIM_METRIC_SUPPLY_MW] = "supply_mw",
    [DCSIM_METRIC_RACKS_ENERGIZED] = "racks_energized",
    [DCSIM_METRIC_GPUS_ENERGIZED] = "gpus_energized",
    [DCSIM_METRIC_RACKS_DELIVERED] = "racks_delivered",
    [DCSIM_METRIC_RACKS_INSTALLED] = "racks_installed",
};

const char *dcsim_metric_name(dcsim_metric m)
{
    return (unsigned)m < DCSIM_METRIC_COUNT ? metric_names[m] : "?";
}

/* Sections hold named elements as maps: name -> body. */
static dcsim_status section(scn_ctx *c, const dcsim_ynode *parent, const char *key,
                            const char *path, const dcsim_ynode **out)
{
    *out = dcsim_ynode_get(parent, key);
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

static size_t len_of(const dcsim_ynode *n)
{
    return n ? n->len : 0;
}

/* Every element name (source, building, rack model, delivery, milestone) is unique across
 * the scenario, so references never need a kind prefix. Names are gathered here and checked
 * for duplicates once, sorted (check_unique), so a scenario of many elements loads in
 * n log n. */
static dcsim_status unique_name(scn_ctx *c, const dcsim_ynode *key, const char *path,
                                const dcsim_ynode **seen, size_t *n_seen)
{
    TRY(scn_name(c, key, path));
    seen[(*n_seen)++] = key;
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

static dcsim_status check_unique(scn_ctx *c, const dcsim_ynode **seen, size_t n)
{
    qsort(seen, n, sizeof *seen, by_name_then_place);
    for (size_t i = 1; i < n; i++)
        if (strcmp(seen[i - 1]->scalar, seen[i]->scalar) == 0)
            return scn_fail(c, seen[i], "", "name '%s' is already used at line %d, column %d; "
                                            "names must be unique across the scenario",
                            seen[i]->scalar, seen[i - 1]->line, seen[i - 1]->col);
    return DCSIM_OK;
}

static dcsim_status load_top(scn_ctx *c, const dcsim_ynode *root)
{
    static const char *const keys[] = {"dcsim", "name", "description", "start", "horizon",
                                       "end", "sample", "seed", "reserve", "power",
                                       "buildings", "racks", "deliveries", "milestones", NULL};
    dcsim_scenario *sc = c->sc;
    TRY(scn_check_keys(c, root, "", keys));

    const dcsim_ynode *n = dcsim_ynode_get(root, "dcsim");
    if (n) {
        uint32_t v;
        TRY(scn_count(c, n, "dcsim", 0, UINT32_MAX, &v));
        if (v != DCSIM_SCENARIO_FORMAT)
            return scn_fail(c, n, "dcsim", "this file is format %u but this dcsim reads format "
                            "%d; %s", v, DCSIM_SCENARIO_FORMAT,
                            v > DCSIM_SCENARIO_FORMAT ? "use a newer dcsim"
                                                      : "see docs/scenario.md to update it");
    }
    if ((n = dcsim_ynode_get(root, "name"))) {
        /* The name becomes the default output directory out/<name>: keep it a plain word. */
        TRY(scn_need_scalar(c, n, "name"));
        TRY(scn_name(c, n, "name"));
        TRY(scn_string(c, n, "name", &sc->name));
    }
    if ((n = dcsim_ynode_get(root, "description")))
        TRY(scn_string(c, n, "description", &sc->description));

    TRY(scn_required(c, root, "start", "", &n));
    TRY(scn_need_scalar(c, n, "start"));
    char why[256];
    if (!dcsim_parse_date(n->scalar, &sc->start_unix, why, sizeof why))
        return scn_fail(c, n, "start", "%s", why);
    if (sc->start_unix % DCSIM_DAY_S != 0)
        return scn_fail(c, n, "start", "the scenario starts at midnight UTC; give a date "
                                       "without a time");
    c->start_unix = sc->start_unix;

    const dcsim_ynode *h = dcsim_ynode_get(root, "horizon"), *e = dcsim_ynode_get(root, "end");
    if (h && e)
        return scn_fail(c, e, "end", "give either 'horizon' or 'end', not both");
    if (h)
        TRY(scn_duration(c, h, "horizon", &sc->horizon_s));
    else if (e)
        TRY(scn_when(c, e, "end", &sc->horizon_s));
    else
        return scn_fail(c, root, "", "missing required key 'horizon' (how long to simulate, "
                                     "e.g. 4y) or 'end' (a date)");
    if (sc->horizon_s <= 0)
        return scn_fail(c, h ? h : e, h ? "horizon" : "end", "the horizon must be after the start");

    sc->sample_s = DCSIM_DAY_S;
    if ((n = dcsim_ynode_get(root, "sample"))) {
        TRY(scn_duration(c, n, "sample", &sc->sample_s));
        if (sc->sample_s < 1)
            return scn_fail(c, n, "sample", "the sample step must be at least 1s");
    }
    if (sc->horizon_s / sc->sample_s + 1 > DCSIM_MAX_SAMPLES)
        return scn_fail(c, n ? n : root, "sample", "horizon / sample gives more than %u rows; "
                        "use a longer sample step", DCSIM_MAX_SAMPLES);
    sc->seed = 1;
    if ((n = dcsim_ynode_get(root, "seed")))
        TRY(scn_u64(c, n, "seed", &sc->seed));
    if ((n = dcsim_ynode_get(root, "reserve")))
        TRY(scn_number(c, n, "reserve", 0.0, 0.9, &sc->reserve));
    return DCSIM_OK;
}

/* ---- power ---- */

static dcsim_status load_tranches(scn_ctx *c, const dcsim_ynode *tn, const char *path,
                                  dcsim_source *src, uint32_t si, const dcsim_ynode *cap_node,
                                  const dcsim_ynode *src_key, const char *src_path)
{
    dcsim_scenario *sc = c->sc;
    dcsim_tranche *tr = &sc->tranches[src->first_tranche];
    if (!tn) {
        if (!cap_node)
            return scn_fail(c, src_key, src_path, "missing required key 'capacity' (or "
                            "'tranches' with capacities)");
        tr[0].capacity_w = src->capacity_w;
        tr[0].delay = dcsim_dist_fixed(0, true);
        tr[0].source = si;
        return DCSIM_OK;
    }
    static const char *const keys[] = {"capacity", "share", "delay", NULL};
    int by_share = -1;
    double sum = 0;
    for (uint32_t i = 0; i < src->n_tranches; i++) {
        const dcsim_ynode *t = tn->items[i];
        char sub[256];
        snprintf(sub, sizeof sub, "%s.%u", path, i);
        TRY(scn_check_keys(c, t, sub, keys));
        const dcsim_ynode *cn = dcsim_ynode_get(t, "capacity"), *sn = dcsim_ynode_get(t, "share");
        if (!!cn == !!sn)
            return scn_fail(c, t, sub, "a tranche needs exactly one of 'capacity' (MW) or "
                                       "'share' (of the source's capacity)");
        if (by_share >= 0 && by_share != !!sn)
            return scn_fail(c, t, sub, "give every tranche as 'capacity' or every tranche as "
                                       "'share', not a mix");
        by_share = !!sn;
        char leaf[300];
        if (sn) {
            snprintf(leaf, sizeof leaf, "%s.share", sub);
            TRY(scn_number(c, sn, leaf, 0.0, 1.0, &tr[i].capacity_w));
        } else {
            snprintf(leaf, sizeof leaf, "%s.capacity", sub);
            TRY(scn_power(c, cn, leaf, &tr[i].capacity_w));
        }
        sum += tr[i].capacity_w;
        tr[i].delay = dcsim_dist_fixed(0, true);
        const dcsim_ynode *dn = dcsim_ynode_get(t, "delay");
        if (dn) {
            snprintf(leaf, sizeof leaf, "%s.delay", sub);
            TRY(scn_duration_dist(c, dn, leaf, &tr[i].delay));
        }
        tr[i].source = si;
    }
    if (by_share) {
        if (!cap_node)
            return scn_fail(c, tn, path, "tranches given as 'share' need the source's "
                                         "'capacity'");
        if (fabs(sum - 1.0) > 1e-6)
            return scn_fail(c, tn, path, "tranche shares add up to %g, not 1", sum);
        for (uint32_t i = 0; i < src->n_tranches; i++)
            tr[i].capacity_w *= src->capacity_w;
    } else {
        if (cap_node && fabs(sum - src->capacity_w) > 1.0)
            return scn_fail(c, cap_node, path, "tranches add up to %.3f MW but capacity is "
                            "%.3f MW; make them agree, or give tranches as 'share'",
                            sum / 1e6, src->capacity_w / 1e6);
        src->capacity_w = sum;
    }
    return DCSIM_OK;
}

static dcsim_status load_power(scn_ctx *c, const dcsim_ynode *root, const dcsim_ynode **seen,
                               size_t *n_seen)
{
    dcsim_scenario *sc = c->sc;
    const dcsim_ynode *power = NULL, *sources = NULL;
    TRY(section(c, root, "power", "power", &power));
    if (!power)
        return DCSIM_OK;
    static const char *const pkeys[] = {"sources", NULL};
    TRY(scn_check_keys(c, power, "power", pkeys));
    TRY(section(c, power, "sources", "power.sources", &sources));

    uint32_t stage_i = 0, tranche_i = 0, act_i = 0;
    for (size_t i = 0; i < len_of(sources); i++) {
        const dcsim_ynode *key = sources->pairs[i].key, *body = sources->pairs[i].value;
        char path[128];
        snprintf(path, sizeof path, "power.sources.%s", key->scalar);
        TRY(unique_name(c, key, "power.sources", seen, n_seen));
        static const char *const keys[] = {"type", "capacity", "start", "after", "stages",
                                           "tranches", NULL};
        TRY(scn_check_keys(c, body, path, keys));
        dcsim_source *src = &sc->sources[i];
        src->name = scn_strdup(&sc->arena, key->scalar);
        if (!src->name)
            return OOM(c);

        const dcsim_ynode *n, *tn = dcsim_ynode_get(body, "tranches");
        char sub[200];
        src->type = DCSIM_SOURCE_GRID;
        if ((n = dcsim_ynode_get(body, "type"))) {
            snprintf(sub, sizeof sub, "%s.type", path);
            TRY(scn_need_scalar(c, n, sub));
            if (strcmp(n->scalar, "grid") == 0)
                src->type = DCSIM_SOURCE_GRID;
            else if (strcmp(n->scalar, "generation") == 0)
                src->type = DCSIM_SOURCE_GENERATION;
            else
                return scn_fail(c, n, sub, "unknown source type '%s' (use grid or generation)",
                                n->scalar);
        }
        const dcsim_ynode *cap = dcsim_ynode_get(body, "capacity");
        if (cap) {
            snprintf(sub, sizeof sub, "%s.capacity", path);
            TRY(scn_power(c, cap, sub, &src->capacity_w));
        }
        int64_t start = 0;
        if ((n = dcsim_ynode_get(body, "start"))) {
            snprintf(sub, sizeof sub, "%s.start", path);
            TRY(scn_when(c, n, sub, &start));
        }

        /* Stages first, then the completion activity that waits for all of them. */
        const dcsim_ynode *stages = NULL;
        snprintf(sub, sizeof sub, "%s.stages", path);
        TRY(section(c, body, "stages", sub, &stages));
        src->first_stage = stage_i;
        src->n_stages = (uint32_t)len_of(stages);
        uint32_t src_act = act_i + src->n_stages;
        const dcsim_ynode *src_after = dcsim_ynode_get(body, "after");
        for (uint32_t k = 0; k < src->n_stages; k++) {
            const dcsim_ynode *skey = stages->pairs[k].key, *sbody = stages->pairs[k].value;
            char spath[200];
            snprintf(spath, sizeof spath, "%s.stages.%s", path, skey->scalar);
            TRY(scn_name(c, skey, sub));
            static const char *const skeys[] = {"duration", "after", NULL};
            TRY(scn_check_keys(c, sbody, spath, skeys));
            dcsim_stage *stg = &sc->stages[stage_i];
            dcsim_activity *a = &sc->activities[act_i];
            stg->name = scn_strdup(&sc->arena, skey->scalar);
            char qual[160];
            snprintf(qual, sizeof qual, "%s.%s", key->scalar, skey->scalar);
            a->name = scn_strdup(&sc->arena, qual);
            if (!stg->name || !a->name)
                return OOM(c);
            stg->source = (uint32_t)i;
            stg->activity = act_i;
            a->kind = DCSIM_ACT_STAGE;
            a->index = stage_i;
            a->not_before_s = start;
            const dcsim_ynode *dn;
            TRY(scn_required(c, sbody, "duration", spath, &dn));
            char leaf[220];
            snprintf(leaf, sizeof leaf, "%s.duration", spath);
            TRY(scn_duration_dist(c, dn, leaf, &a->duration));
            const dcsim_ynode *an = dcsim_ynode_get(sbody, "after");
            c->act_node[act_i] = an ? an : skey;
            if (an) {
                /* Explicit `after` replaces "the previous stage", never the source's own start
                 * condition. */
                snprintf(leaf, sizeof leaf, "%s.after", spath);
                TRY(scn_collect_after(c, an, leaf, act_i));
                if (src_after) {
                    snprintf(leaf, sizeof leaf, "%s.after", path);
                    TRY(scn_collect_after(c, src_after, leaf, act_i));
                }
            } else if (k > 0) {
                a->deps = scn_alloc(&sc->arena, sizeof *a->deps);
                if (!a->deps)
                    return OOM(c);
                a->deps[0] = act_i - 1;
                a->n_deps = 1;
            } else if (src_after) {
                snprintf(leaf, sizeof leaf, "%s.after", path);
                TRY(scn_collect_after(c, src_after, leaf, act_i));
            }
            stage_i++;
            act_i++;
        }
        DCSIM_ASSERT(act_i == src_act);
        dcsim_activity *a = &sc->activities[src_act];
        a->kind = DCSIM_ACT_SOURCE;
        a->index = (uint32_t)i;
        a->name = src->name;
        a->not_before_s = start;
        a->duration = dcsim_dist_fixed(0, true);
        c->act_node[src_act] = src_after ? src_after : key;
        if (src->n_stages) {
            a->deps = scn_alloc(&sc->arena, src->n_stages * sizeof *a->deps);
            if (!a->deps)
                return OOM(c);
            for (uint32_t k = 0; k < src->n_stages; k++)
                a->deps[k] = sc->stages[src->first_stage + k].activity;
            a->n_deps = src->n_stages;
        } else if (src_after) {
            snprintf(sub, sizeof sub, "%s.after", path);
            TRY(scn_collect_after(c, src_after, sub, src_act));
        }
        src->activity = src_act;
        act_i++;

        src->first_tranche = tranche_i;
        src->n_tranches = 1;
        if (tn) {
            snprintf(sub, sizeof sub, "%s.tranches", path);
            if (tn->kind != DCSIM_Y_SEQ || tn->len == 0)
                return scn_fail(c, tn, sub, "expected a list of tranches "
                                            "([{capacity: 100MW}, {capacity: 100MW, delay: 3mo}])");
            src->n_tranches = (uint32_t)tn->len;
        }
        snprintf(sub, sizeof sub, "%s.tranches", path);
        TRY(load_tranches(c, tn, sub, src, (uint32_t)i, cap, key, path));
        tranche_i += src->n_tranches;
    }
    return DCSIM_OK;
}

/* ---- buildings, racks, deliveries, milestones ---- */

static dcsim_status load_buildings(scn_ctx *c, const dcsim_ynode *bs, uint32_t first_act,
                                   const dcsim_ynode **seen, size_t *n_seen)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_buildings; i++) {
        const dcsim_ynode *key = bs->pairs[i].key, *body = bs->pairs[i].value, *n;
        char path[128], sub[200];
        snprintf(path, sizeof path, "buildings.%s", key->scalar);
        TRY(unique_name(c, key, "buildings", seen, n_seen));
        static const char *const keys[] = {"start", "after", "duration", "it_capacity",
                                           "rack_positions", "pue", "install_per_day", NULL};
        TRY(scn_check_keys(c, body, path, keys));
        dcsim_building *b = &sc->buildings[i];
        uint32_t ai = first_act + i;
        dcsim_activity *a = &sc->activities[ai];
        b->name = scn_strdup(&sc->arena, key->scalar);
        if (!b->name)
            return OOM(c);
        b->activity = ai;
        a->kind = DCSIM_ACT_BUILDING;
        a->index = i;
        a->name = b->name;
        const dcsim_ynode *sn = dcsim_ynode_get(body, "start"), *an = dcsim_ynode_get(body, "after");
        if (!sn && !an)
            return scn_fail(c, key, path, "give the construction 'start' (a date), 'after' "
                                          "(what it waits for), or both");
        if (sn) {
            snprintf(sub, sizeof sub, "%s.start", path);
            TRY(scn_when(c, sn, sub, &a->not_before_s));
        }
        c->act_node[ai] = an ? an : key;
        if (an) {
            snprintf(sub, sizeof sub, "%s.after", path);
            TRY(scn_collect_after(c, an, sub, ai));
        }
        TRY(scn_required(c, body, "duration", path, &n));
        snprintf(sub, sizeof sub, "%s.duration", path);
        TRY(scn_duration_dist(c, n, sub, &a->duration));
        TRY(scn_required(c, body, "it_capacity", path, &n));
        snprintf(sub, sizeof sub, "%s.it_capacity", path);
        TRY(scn_power(c, n, sub, &b->it_capacity_w));
        TRY(scn_required(c, body, "rack_positions", path, &n));
        snprintf(sub, sizeof sub, "%s.rack_positions", path);
        TRY(scn_count(c, n, sub, 1, DCSIM_MAX_RACKS, &b->rack_positions));
        b->pue = 1.3;
        if ((n = dcsim_ynode_get(body, "pue"))) {
            snprintf(sub, sizeof sub, "%s.pue", path);
            TRY(scn_number(c, n, sub, 1.0, 3.0, &b->pue));
        }
        b->install_per_day = 20;
        if ((n = dcsim_ynode_get(body, "install_per_day"))) {
            snprintf(sub, sizeof sub, "%s.install_per_day", path);
            TRY(scn_number(c, n, sub, 0.01, 86400.0, &b->install_per_day));
        }
    }
    return DCSIM_OK;
}

static dcsim_status load_racks(scn_ctx *c, const dcsim_ynode *rs, const dcsim_ynode **seen,
                               size_t *n_seen)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_rack_models; i++) {
        const dcsim_ynode *key = rs->pairs[i].key, *body = rs->pairs[i].value, *n;
        char path[128], sub[200];
        snprintf(path, sizeof path, "racks.%s", key->scalar);
        TRY(unique_name(c, key, "racks", seen, n_seen));
        static const char *const keys[] = {"gpu", "gpus", "peak", "idle", NULL};
        TRY(scn_check_keys(c, body, path, keys));
        dcsim_rack_model *m = &sc->rack_models[i];
        m->name = scn_strdup(&sc->arena, key->scalar);
        if (!m->name)
            return OOM(c);
        m->gpu = NULL;
        if ((n = dcsim_ynode_get(body, "gpu"))) {
            snprintf(sub, sizeof sub, "%s.gpu", path);
            TRY(scn_string(c, n, sub, &m->gpu));
        }
        TRY(scn_required(c, body, "gpus", path, &n));
        snprintf(sub, sizeof sub, "%s.gpus", path);
        TRY(scn_count(c, n, sub, 0, 100000, &m->gpus));
        TRY(scn_required(c, body, "peak", path, &n));
        snprintf(sub, sizeof sub, "%s.peak", path);
        TRY(scn_power(c, n, sub, &m->peak_w));
        if (m->peak_w <= 0)
            return scn_fail(c, n, sub, "peak power must be above 0");
        if (m->peak_w > 10e6)
            return scn_fail(c, n, sub, "%s is above the limit of 10 MW per rack", n->scalar);
        m->idle_w = 0;
        if ((n = dcsim_ynode_get(body, "idle"))) {
            snprintf(sub, sizeof sub, "%s.idle", path);
            TRY(scn_power(c, n, sub, &m->idle_w));
            if (m->idle_w > m->peak_w)
                return scn_fail(c, n, sub, "idle power (%s) is above peak power", n->scalar);
        }
    }
    return DCSIM_OK;
}

static long find_named(const dcsim_ynode *sec, const char *name)
{
    for (size_t i = 0; i < len_of(sec); i++)
        if (strcmp(sec->pairs[i].key->scalar, name) == 0)
            return (long)i;
    return -1;
}

/* A reference to an element of one section (delivery.rack, delivery.building). */
static dcsim_status ref_in(scn_ctx *c, const dcsim_ynode *n, const char *path,
                           const dcsim_ynode *sec, const char *what, uint32_t *out)
{
    TRY(scn_need_scalar(c, n, path));
    long k = find_named(sec, n->scalar);
    if (k >= 0) {
        *out = (uint32_t)k;
        return DCSIM_OK;
    }
    size_t m = len_of(sec);
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

static dcsim_status load_deliveries(scn_ctx *c, const dcsim_ynode *ds, const dcsim_ynode *rs,
                                    const dcsim_ynode *bs, const dcsim_ynode **seen,
                                    size_t *n_seen)
{
    dcsim_scenario *sc = c->sc;
    uint64_t racks = 0, gpus = 0;
    uint64_t *per_building = calloc(sc->n_buildings + 1, sizeof *per_building);
    double *peak_building = calloc(sc->n_buildings + 1, sizeof *peak_building);
    const dcsim_ynode **last_node = calloc(sc->n_buildings + 1, sizeof *last_node);
    dcsim_status st = DCSIM_OK;
    if (!per_building || !peak_building || !last_node)
        st = OOM(c);
    for (uint32_t i = 0; i < sc->n_deliveries && !st; i++) {
        const dcsim_ynode *key = ds->pairs[i].key, *body = ds->pairs[i].value, *n;
        char path[128], sub[200];
        snprintf(path, sizeof path, "deliveries.%s", key->scalar);
        static const char *const keys[] = {"rack", "building", "start", "per_month", "total",
                                           "slip", "commissioning", NULL};
        dcsim_delivery *dl = &sc->deliveries[i];
        if ((st = unique_name(c, key, "deliveries", seen, n_seen)) ||
            (st = scn_check_keys(c, body, path, keys)))
            break;
        dl->name = scn_strdup(&sc->arena, key->scalar);
        if (!dl->name) {
            st = OOM(c);
            break;
        }
        snprintf(sub, sizeof sub, "%s.rack", path);
        if ((st = scn_required(c, body, "rack", path, &n)) ||
            (st = ref_in(c, n, sub, rs, "rack model (under racks:)", &dl->rack_model)))
            break;
        snprintf(sub, sizeof sub, "%s.building", path);
        if ((st = scn_required(c, body, "building", path, &n)) ||
            (st = ref_in(c, n, sub, bs, "building", &dl->building)))
            break;
        snprintf(sub, sizeof sub, "%s.start", path);
        if ((st = scn_required(c, body, "start", path, &n)) ||
            (st = scn_when(c, n, sub, &dl->start_s)))
            break;
        snprintf(sub, sizeof sub, "%s.per_month", path);
        if ((st = scn_required(c, body, "per_month", path, &n)) ||
            (st = scn_number(c, n, sub, 0.001, 1e7, &dl->per_month)))
            break;
        snprintf(sub, sizeof sub, "%s.total", path);
        const dcsim_ynode *total_node;
        if ((st = scn_required(c, body, "total", path, &total_node)) ||
            (st = scn_count(c, total_node, sub, 1, DCSIM_MAX_RACKS, &dl->total)))
            break;
        dl->slip = dcsim_dist_fixed(0, true);
        if ((n = dcsim_ynode_get(body, "slip"))) {
            snprintf(sub, sizeof sub, "%s.slip", path);
            if ((st = scn_duration_dist(c, n, sub, &dl->slip)))
                break;
        }
        dl->commissioning = dcsim_dist_fixed(0, true);
        if ((n = dcsim_ynode_get(body, "commissioning"))) {
            snprintf(sub, sizeof sub, "%s.commissioning", path);
            if ((st = scn_duration_dist(c, n, sub, &dl->commissioning)))
                break;
        }
        const dcsim_rack_model *m = &sc->rack_models[dl->rack_model];
        racks += dl->total;
        gpus += (uint64_t)dl->total * m->gpus;
        per_building[dl->building] += dl->total;
        peak_building[dl->building] += dl->total * m->peak_w;
        last_node[dl->building] = total_node;
        if (racks > DCSIM_MAX_RACKS) {
            st = scn_fail(c, total_node, sub, "the scenario delivers more than %u racks in all",
                          DCSIM_MAX_RACKS);
            break;
        }
    }
    /* A building must hold what is delivered to it: positions and IT power at peak. */
    for (uint32_t b = 0; b < sc->n_buildings && !st; b++) {
        const dcsim_building *bd = &sc->buildings[b];
        if (per_building[b] > bd->rack_positions)
            st = scn_fail(c, last_node[b], "deliveries",
                          "%llu racks are delivered to building '%s' but it has %u rack "
                          "positions", (unsigned long long)per_building[b], bd->name,
                          bd->rack_positions);
        else if (peak_building[b] > bd->it_capacity_w * (1 + 1e-9))
            st = scn_fail(c, last_node[b], "deliveries",
                          "racks delivered to building '%s' draw %.3f MW at peak but its "
                          "it_capacity is %.3f MW", bd->name, peak_building[b] / 1e6,
                          bd->it_capacity_w / 1e6);
    }
    sc->n_racks = (uint32_t)racks;
    sc->n_gpus = gpus;
    free(per_building);
    free(peak_building);
    free(last_node);
    return st;
}

static dcsim_status parse_condition(scn_ctx *c, const dcsim_ynode *n, const char *path,
                                    dcsim_milestone *m)
{
    TRY(scn_need_scalar(c, n, path));
    const char *s = n->scalar;
    char metric[64];
    size_t k = 0;
    while (*s == ' ')
        s++;
    while (isalnum((unsigned char)*s) || *s == '_') {
        if (k + 1 < sizeof metric)
            metric[k++] = *s;
        s++;
    }
    metric[k] = '\0';
    if (k == 0)
        return scn_fail(c, n, path, "the condition needs a metric first, like "
                                    "'racks_energized >= 100'");
    int mi = -1;
    for (int i = 0; i < DCSIM_METRIC_COUNT; i++)
        if (strcmp(metric, metric_names[i]) == 0)
            mi = i;
    if (mi < 0) {
        const char *hint = dcsim_did_you_mean(metric, metric_names, DCSIM_METRIC_COUNT);
        if (hint)
            return scn_fail(c, n, path, "unknown metric '%s' (did you mean '%s'?)", metric, hint);
        return scn_fail(c, n, path, "unknown metric '%s' (use it_energized_mw, facility_mw, "
                                    "supply_mw, racks_energized, gpus_energized, "
                                    "racks_delivered or racks_installed)", metric);
    }
    while (*s == ' ')
        s++;
    if (strncmp(s, ">=", 2) != 0)
        return scn_fail(c, n, path, "expected '%s >= NUMBER'; only '>=' conditions are "
                                    "supported", metric);
    s += 2;
    while (*s == ' ')
        s++;
    char why[256];
    if (!dcsim_parse_number(s, &m->threshold, why, sizeof why))
        return scn_fail(c, n, path, "threshold '%s': %s", s, why);
    if (m->threshold < 0)
        return scn_fail(c, n, path, "the threshold may not be negative");
    m->metric = (dcsim_metric)mi;
    m->condition = scn_strdup(&c->sc->arena, n->scalar);
    return m->condition ? DCSIM_OK : OOM(c);
}

static dcsim_status load_milestones(scn_ctx *c, const dcsim_ynode *ms, const dcsim_ynode **seen,
                                    size_t *n_seen)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_ynode *key = ms->pairs[i].key, *body = ms->pairs[i].value, *n;
        char path[128], sub[200];
        snprintf(path, sizeof path, "milestones.%s", key->scalar);
        TRY(unique_name(c, key, "milestones", seen, n_seen));
        static const char *const keys[] = {"planned", "when", NULL};
        TRY(scn_check_keys(c, body, path, keys));
        dcsim_milestone *m = &sc->milestones[i];
        m->name = scn_strdup(&sc->arena, key->scalar);
        if (!m->name)
            return OOM(c);
        TRY(scn_required(c, body, "planned", path, &n));
        snprintf(sub, sizeof sub, "%s.planned", path);
        TRY(scn_when(c, n, sub, &m->planned_s));
        TRY(scn_required(c, body, "when", path, &n));
        snprintf(sub, sizeof sub, "%s.when", path);
        TRY(parse_condition(c, n, sub, m));
    }
    return DCSIM_OK;
}

/* Size every array from the document before filling, so the scenario is allocated once. */
static dcsim_status allocate(scn_ctx *c, const dcsim_ynode *sources, const dcsim_ynode *bs,
                             const dcsim_ynode *rs, const dcsim_ynode *ds,
                             const dcsim_ynode *ms)
{
    dcsim_scenario *sc = c->sc;
    size_t n_stages = 0, n_tranches = 0;
    for (size_t i = 0; i < len_of(sources); i++) {
        const dcsim_ynode *body = sources->pairs[i].value;
        if (body->kind != DCSIM_Y_MAP)
            continue;       /* load_power reports it */
        const dcsim_ynode *st = dcsim_ynode_get(body, "stages");
        const dcsim_ynode *tr = dcsim_ynode_get(body, "tranches");
        if (st && st->kind == DCSIM_Y_MAP)
            n_stages += st->len;
        n_tranches += (tr && tr->kind == DCSIM_Y_SEQ && tr->len) ? tr->len : 1;
    }
    size_t n_act = n_stages + len_of(sources) + len_of(bs);
    size_t total = n_act + n_tranches + len_of(rs) + len_of(ds) + len_of(ms);
    if (total > DCSIM_MAX_ELEMENTS)
        return scn_fail(c, NULL, "", "the scenario has more than %u elements", DCSIM_MAX_ELEMENTS);
    sc->n_stages = (uint32_t)n_stages;
    sc->n_sources = (uint32_t)len_of(sources);
    sc->n_tranches = (uint32_t)n_tranches;
    sc->n_buildings = (uint32_t)len_of(bs);
    sc->n_rack_models = (uint32_t)len_of(rs);
    sc->n_deliveries = (uint32_t)len_of(ds);
    sc->n_milestones = (uint32_t)len_of(ms);
    sc->n_activities = (uint32_t)n_act;
    sc->activities = scn_alloc(&sc->arena, (n_act + 1) * sizeof *sc->activities);
    sc->stages = scn_alloc(&sc->arena, (n_stages + 1) * sizeof *sc->stages);
    sc->sources = scn_alloc(&sc->arena, (sc->n_sources + 1) * sizeof *sc->sources);
    sc->tranches = scn_alloc(&sc->arena, (n_tranches + 1) * sizeof *sc->tranches);
    sc->buildings = scn_alloc(&sc->arena, (sc->n_buildings + 1) * sizeof *sc->buildings);
    sc->rack_models = scn_alloc(&sc->arena, (sc->n_rack_models + 1) * sizeof *sc->rack_models);
    sc->deliveries = scn_alloc(&sc->arena, (sc->n_deliveries + 1) * sizeof *sc->deliveries);
    sc->milestones = scn_alloc(&sc->arena, (sc->n_milestones + 1) * sizeof *sc->milestones);
    c->act_node = calloc(n_act + 1, sizeof *c->act_node);
    if (!sc->activities || !sc->stages || !sc->sources || !sc->tranches || !sc->buildings ||
        !sc->rack_models || !sc->deliveries || !sc->milestones || !c->act_node)
        return OOM(c);
    return DCSIM_OK;
}

static dcsim_status load_root(scn_ctx *c, const dcsim_ynode *root)
{
    TRY(load_top(c, root));
    const dcsim_ynode *power, *sources = NULL, *bs, *rs, *ds, *ms;
    TRY(section(c, root, "power", "power", &power));
    if (power)
        TRY(section(c, power, "sources", "power.sources", &sources));
    TRY(section(c, root, "buildings", "buildings", &bs));
    TRY(section(c, root, "racks", "racks", &rs));
    TRY(section(c, root, "deliveries", "deliveries", &ds));
    TRY(section(c, root, "milestones", "milestones", &ms));
    TRY(allocate(c, sources, bs, rs, ds, ms));

    size_t cap_seen = len_of(sources) + len_of(bs) + len_of(rs) + len_of(ds) + len_of(ms) + 1;
    const dcsim_ynode **seen = calloc(cap_seen, sizeof *seen);
    if (!seen)
        return OOM(c);
    size_t n_seen = 0;
    dcsim_status st = load_power(c, root, seen, &n_seen);
    if (!st)
        st = load_buildings(c, bs, c->sc->n_stages + c->sc->n_sources, seen, &n_seen);
    if (!st)
        st = load_racks(c, rs, seen, &n_seen);
    if (!st)
        st = load_deliveries(c, ds, rs, bs, seen, &n_seen);
    if (!st)
        st = load_milestones(c, ms, seen, &n_seen);
    if (!st)
        st = check_unique(c, seen, n_seen);
    free(seen);
    if (!st)
        st = scn_resolve(c);
    return st;
}

static dcsim_status hash_file(const char *path, uint64_t *out, dcsim_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    uint64_t h = DCSIM_HASH_INIT;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = dcsim_hash64(buf, n, h);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    *out = h;
    return DCSIM_OK;
}

/* The file's base name without extension, made a valid name (it becomes out/<name>):
 * characters other than letters, digits, '-' and '_' become '_'. */
static const char *base_name(const char *path, char *buf, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, n < 64 ? n : 64, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            *p = '_';
    if (!buf[0] || strspn(buf, "_") == strlen(buf))
        snprintf(buf, n, "scenario");
    return buf;
}

dcsim_status dcsim_scenario_load(const char *path, const char *const *overrides,
                                 size_t n_overrides, bool has_seed, uint64_t seed,
                                 dcsim_scenario **out, dcsim_diag *d)
{
    *out = NULL;
    dcsim_diag_clear(d);
    dcsim_ydoc doc;
    dcsim_status st = dcsim_ydoc_load_file(&doc, path, DCSIM_MAX_FILE_BYTES, DCSIM_MAX_DEPTH, d);
    if (st)
        return st;
    if (!doc.root || (doc.root->kind == DCSIM_Y_SCALAR && doc.root->scalar[0] == '\0')) {
        dcsim_ydoc_free(&doc);
        return dcsim_diag_set(d, DCSIM_EINPUT, path, 1, 1, "the scenario file is empty");
    }
    for (size_t i = 0; i < n_overrides && !st; i++)
        st = dcsim_ydoc_set(&doc, overrides[i], d);
    if (st) {
        dcsim_ydoc_free(&doc);
        return st;
    }

    dcsim_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) {
        dcsim_ydoc_free(&doc);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    scn_ctx c = {.sc = sc, .d = d};
    sc->path = scn_strdup(&sc->arena, path);
    if (!sc->path)
        st = OOM(&c);
    if (!st && doc.root->kind != DCSIM_Y_MAP)
        st = scn_fail(&c, doc.root, "", "a scenario is a map of keys (start, horizon, power, "
                                        "buildings ...), found %s",
                      doc.root->kind == DCSIM_Y_SEQ ? "a list" : "a single value");
    if (!st)
        st = load_root(&c, doc.root);
    if (!st && !sc->name) {
        char buf[256];
        sc->name = scn_strdup(&sc->arena, base_name(path, buf, sizeof buf));
        if (!sc->name)
            st = OOM(&c);
    }
    if (!st)
        st = hash_file(path, &sc->file_hash, d);
    if (!st && has_seed)
        sc->seed = seed;
    free(c.refs);
    free(c.act_node);
    dcsim_ydoc_free(&doc);
    if (st) {
        dcsim_scenario_free(sc);
        return st;
    }
    *out = sc;
    return DCSIM_OK;
}

void dcsim_scenario_free(dcsim_scenario *sc)
{
    if (!sc)
        return;
    scn_arena_free(sc->arena);
    free(sc);
}
