/* Scenario loader, the power side: equipment items, power sources (grid, generation units,
 * storage, PPA) with their procurement stages, capacity tranches, forced outages and grid
 * curtailment. Activities are laid out as: every source's stages then its completion, in
 * order, then buildings, then equipment. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/hourly.h"
#include "scenario/keys.h"
#include "scenario/load.h"

dcsim_status scn_load_equipment(scn_ctx *c, const dcsim_ynode *sec, uint32_t first_act)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_equipment; i++) {
        const dcsim_ynode *key = sec->pairs[i].key, *body = sec->pairs[i].value, *an;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "equipment", key->scalar);
        TRY(scn_element_name(c, key, "equipment"));
        TRY(scn_check_keys(c, body, path, scn_keys_equipment));
        dcsim_equipment *e = &sc->equipment[i];
        uint32_t ai = first_act + i;
        dcsim_activity *a = &sc->activities[ai];
        e->name = scn_strdup(&sc->arena, key->scalar);
        if (!e->name)
            return OOM(c);
        e->activity = ai;
        a->kind = DCSIM_ACT_EQUIPMENT;
        a->index = i;
        a->name = e->name;
        a->count = 1;
        TRY(scn_get_count(c, body, "count", path, false, 1, 10000, &a->count));
        TRY(scn_get_when(c, body, "ordered", path, false, &a->not_before_s));
        TRY(scn_get_dist(c, body, "lead_time", path, true, &a->duration));
        an = dcsim_ynode_get(body, "after");
        c->act_node[ai] = an ? an : key;
        if (an)
            TRY(scn_collect_after(c, an, scn_join(sub, sizeof sub, path, "after"), ai));
    }
    return DCSIM_OK;
}

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
    int by_share = -1;
    double sum = 0;
    for (uint32_t i = 0; i < src->n_tranches; i++) {
        const dcsim_ynode *t = tn->items[i];
        char sub[SCN_PATH + 16];
        snprintf(sub, sizeof sub, "%s.%u", path, i);
        TRY(scn_check_keys(c, t, sub, scn_keys_tranche));
        const dcsim_ynode *cn = dcsim_ynode_get(t, "capacity"), *sn = dcsim_ynode_get(t, "share");
        if (!!cn == !!sn)
            return scn_fail(c, t, sub, "a tranche needs exactly one of 'capacity' (MW) or "
                                       "'share' (of the source's capacity)");
        if (by_share >= 0 && by_share != !!sn)
            return scn_fail(c, t, sub, "give every tranche as 'capacity' or every tranche as "
                                       "'share', not a mix");
        by_share = !!sn;
        if (sn)
            TRY(scn_get_number(c, t, "share", sub, true, 0.0, 1.0, &tr[i].capacity_w));
        else
            TRY(scn_get_power(c, t, "capacity", sub, true, &tr[i].capacity_w));
        sum += tr[i].capacity_w;
        tr[i].delay = dcsim_dist_fixed(0, true);
        TRY(scn_get_dist(c, t, "delay", sub, false, &tr[i].delay));
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

/* Generation as N units of M watts: one tranche per unit, the first at pipeline completion,
 * each next one unit_interval later. */
static dcsim_status load_units(scn_ctx *c, const dcsim_ynode *body, const char *path,
                               dcsim_source *src, uint32_t si)
{
    dcsim_scenario *sc = c->sc;
    TRY(scn_get_power(c, body, "unit_capacity", path, true, &src->unit_capacity_w));
    if (src->unit_capacity_w <= 0)
        return scn_fail(c, dcsim_ynode_get(body, "unit_capacity"), path,
                        "unit_capacity must be above 0");
    double total = src->units * src->unit_capacity_w;
    const dcsim_ynode *cap = dcsim_ynode_get(body, "capacity");
    if (cap && fabs(total - src->capacity_w) > 1.0)
        return scn_fail(c, cap, path, "%u units of %.3f MW make %.3f MW but capacity is %.3f MW",
                        src->units, src->unit_capacity_w / 1e6, total / 1e6,
                        src->capacity_w / 1e6);
    src->capacity_w = total;
    dcsim_dist interval = dcsim_dist_fixed(0, true);
    TRY(scn_get_dist(c, body, "unit_interval", path, false, &interval));
    for (uint32_t k = 0; k < src->units; k++) {
        dcsim_tranche *t = &sc->tranches[src->first_tranche + k];
        t->capacity_w = src->unit_capacity_w;
        t->delay = k == 0 ? dcsim_dist_fixed(0, true) : interval;
        t->source = si;
    }
    if (dcsim_ynode_get(body, "mtbf")) {
        int64_t mtbf;
        TRY(scn_get_duration(c, body, "mtbf", path, true, &mtbf));
        if (mtbf <= 0)
            return scn_fail(c, dcsim_ynode_get(body, "mtbf"), path, "mtbf must be above 0");
        src->mtbf_s = (double)mtbf;
        TRY(scn_get_dist(c, body, "mttr", path, true, &src->mttr));
    } else if (dcsim_ynode_get(body, "mttr")) {
        return scn_fail(c, dcsim_ynode_get(body, "mttr"), path, "'mttr' needs 'mtbf'");
    }
    return DCSIM_OK;
}

static dcsim_status load_curtailment(scn_ctx *c, const dcsim_ynode *n, const char *path,
                                     dcsim_curtailment *cu)
{
    TRY(scn_check_keys(c, n, path, scn_keys_curtailment));
    char sub[SCN_PATH];
    cu->enabled = true;
    TRY(scn_get_number(c, n, "probability_per_day", path, true, 0, 1, &cu->p_per_day));
    TRY(scn_get_number(c, n, "fraction", path, true, 0, 1, &cu->fraction));
    TRY(scn_get_dist(c, n, "duration", path, true, &cu->duration));
    cu->season.from_doy = 0;
    cu->season.to_doy = 364;
    const dcsim_ynode *s = dcsim_ynode_get(n, "season");
    if (s) {
        scn_join(sub, sizeof sub, path, "season");
        if (s->kind != DCSIM_Y_SEQ || s->len != 2)
            return scn_fail(c, s, sub, "expected [FROM, TO] month-days, like [06-01, 09-30]");
        TRY(scn_month_day(c, s->items[0], sub, &cu->season.from_doy));
        TRY(scn_month_day(c, s->items[1], sub, &cu->season.to_doy));
    }
    cu->hour_from = 0;
    cu->hour_to = 24;
    const dcsim_ynode *h = dcsim_ynode_get(n, "hours");
    if (h) {
        scn_join(sub, sizeof sub, path, "hours");
        if (h->kind != DCSIM_Y_SEQ || h->len != 2)
            return scn_fail(c, h, sub, "expected [FROM, TO] hours of the day (UTC), like [19, 24]");
        TRY(scn_number(c, h->items[0], sub, 0, 24, &cu->hour_from));
        TRY(scn_number(c, h->items[1], sub, 0, 24, &cu->hour_to));
        if (cu->hour_to < cu->hour_from)
            return scn_fail(c, h, sub, "the window ends before it starts");
    }
    return DCSIM_OK;
}

static dcsim_status load_storage(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                 dcsim_source *src)
{
    TRY(scn_get_energy(c, body, "energy", path, true, &src->energy_j));
    if (src->energy_j <= 0)
        return scn_fail(c, dcsim_ynode_get(body, "energy"), path, "energy must be above 0");
    src->charge_eff = src->discharge_eff = 0.95;
    TRY(scn_get_number(c, body, "charge_efficiency", path, false, 0.01, 1,
                       &src->charge_eff));
    TRY(scn_get_number(c, body, "discharge_efficiency", path, false, 0.01, 1,
                       &src->discharge_eff));
    src->initial_soc = 1.0;
    TRY(scn_get_number(c, body, "initial_soc", path, false, 0, 1, &src->initial_soc));
    return DCSIM_OK;
}

/* Keys each type accepts beyond the common ones, so a key meant for another type is an error
 * that says which type it belongs to. */
static dcsim_status type_keys(scn_ctx *c, const dcsim_ynode *body, const char *path,
                              dcsim_source_type type)
{
    static const struct { const char *key; dcsim_source_type type; } own[] = {
        {"units", DCSIM_SOURCE_GENERATION}, {"unit_capacity", DCSIM_SOURCE_GENERATION},
        {"unit_interval", DCSIM_SOURCE_GENERATION}, {"mtbf", DCSIM_SOURCE_GENERATION},
        {"mttr", DCSIM_SOURCE_GENERATION}, {"curtailment", DCSIM_SOURCE_GRID},
        {"energy", DCSIM_SOURCE_STORAGE}, {"charge_efficiency", DCSIM_SOURCE_STORAGE},
        {"discharge_efficiency", DCSIM_SOURCE_STORAGE}, {"initial_soc", DCSIM_SOURCE_STORAGE},
        {"profile", DCSIM_SOURCE_PPA}, {"profile_column", DCSIM_SOURCE_PPA},
    };
    static const char *const names[] = {"grid", "generation", "storage", "ppa"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        const dcsim_ynode *n = dcsim_ynode_get(body, own[i].key);
        char sub[SCN_PATH];
        if (n && own[i].type != type)
            return scn_fail(c, n, scn_join(sub, sizeof sub, path, own[i].key),
                            "'%s' belongs to sources of type %s, not %s", own[i].key,
                            names[own[i].type], names[type]);
    }
    return DCSIM_OK;
}

static dcsim_status load_source_type(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                     dcsim_source_type *out)
{
    const dcsim_ynode *n = dcsim_ynode_get(body, "type");
    char sub[SCN_PATH];
    *out = DCSIM_SOURCE_GRID;
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, "type");
    TRY(scn_need_scalar(c, n, sub));
    static const char *const names[] = {"grid", "generation", "storage", "ppa"};
    for (int t = 0; t < 4; t++)
        if (strcmp(n->scalar, names[t]) == 0) {
            *out = (dcsim_source_type)t;
            return DCSIM_OK;
        }
    return scn_fail(c, n, sub, "unknown source type '%s' (use grid, generation, storage or "
                               "ppa)", n->scalar);
}

/* The stages of one source, in order, as activities act_i.. (returns the next free id). */
static dcsim_status load_stages(scn_ctx *c, const dcsim_ynode *body, const dcsim_ynode *key,
                                const char *path, uint32_t si, int64_t start,
                                uint32_t *stage_i, uint32_t *act_i)
{
    dcsim_scenario *sc = c->sc;
    dcsim_source *src = &sc->sources[si];
    const dcsim_ynode *stages = NULL, *src_after = dcsim_ynode_get(body, "after");
    char sub[SCN_PATH];
    TRY(scn_section(c, body, "stages", scn_join(sub, sizeof sub, path, "stages"), &stages));
    src->first_stage = *stage_i;
    src->n_stages = (uint32_t)scn_len(stages);
    for (uint32_t k = 0; k < src->n_stages; k++) {
        const dcsim_ynode *skey = stages->pairs[k].key, *sbody = stages->pairs[k].value, *an, *nn;
        char spath[SCN_PATH], leaf[SCN_PATH];
        scn_join(spath, sizeof spath, sub, skey->scalar);
        TRY(scn_name(c, skey, sub));
        TRY(scn_check_keys(c, sbody, spath, scn_keys_stage));
        uint32_t ai = *act_i;
        dcsim_stage *stg = &sc->stages[*stage_i];
        dcsim_activity *a = &sc->activities[ai];
        char qual[160];
        snprintf(qual, sizeof qual, "%s.%s", key->scalar, skey->scalar);
        stg->name = scn_strdup(&sc->arena, skey->scalar);
        a->name = scn_strdup(&sc->arena, qual);
        if (!stg->name || !a->name)
            return OOM(c);
        stg->source = si;
        stg->activity = ai;
        a->kind = DCSIM_ACT_STAGE;
        a->index = *stage_i;
        a->not_before_s = start;
        a->count = 1;
        TRY(scn_get_dist(c, sbody, "duration", spath, true, &a->duration));
        TRY(scn_get_number(c, sbody, "fail_probability", spath, false, 0, 1, &a->fail_prob));
        an = dcsim_ynode_get(sbody, "after");
        nn = dcsim_ynode_get(sbody, "needs");
        c->act_node[ai] = an ? an : skey;
        if (nn)
            TRY(scn_collect_needs(c, nn, scn_join(leaf, sizeof leaf, spath, "needs"), ai));
        if (an) {
            /* Explicit `after` replaces "the previous stage", never the source's own start
             * condition. */
            TRY(scn_collect_after(c, an, scn_join(leaf, sizeof leaf, spath, "after"), ai));
            if (src_after)
                TRY(scn_collect_after(c, src_after, scn_join(leaf, sizeof leaf, path, "after"),
                                      ai));
        } else if (k > 0) {
            a->deps = scn_alloc(&sc->arena, sizeof *a->deps);
            if (!a->deps)
                return OOM(c);
            a->deps[0] = ai - 1;
            a->n_deps = 1;
        } else if (src_after) {
            TRY(scn_collect_after(c, src_after, scn_join(leaf, sizeof leaf, path, "after"), ai));
        }
        (*stage_i)++;
        (*act_i)++;
    }
    return DCSIM_OK;
}

dcsim_status scn_load_power(scn_ctx *c, const dcsim_ynode *sources)
{
    dcsim_scenario *sc = c->sc;
    uint32_t stage_i = 0, tranche_i = 0, act_i = 0;
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const dcsim_ynode *key = sources->pairs[i].key, *body = sources->pairs[i].value, *n;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "power.sources", key->scalar);
        TRY(scn_element_name(c, key, "power.sources"));
        TRY(scn_check_keys(c, body, path, scn_keys_source));
        dcsim_source *src = &sc->sources[i];
        src->name = scn_strdup(&sc->arena, key->scalar);
        if (!src->name)
            return OOM(c);
        TRY(load_source_type(c, body, path, &src->type));
        TRY(type_keys(c, body, path, src->type));
        TRY(scn_site_of(c, body, path, &src->site));
        const dcsim_ynode *cap = dcsim_ynode_get(body, "capacity");
        TRY(scn_get_power(c, body, "capacity", path, false, &src->capacity_w));
        int64_t start = 0;
        TRY(scn_get_when(c, body, "start", path, false, &start));

        TRY(load_stages(c, body, key, path, i, start, &stage_i, &act_i));
        /* The completion activity waits for all the stages (or, without stages, for the
         * source's own `after`). */
        uint32_t src_act = act_i++;
        const dcsim_ynode *src_after = dcsim_ynode_get(body, "after");
        dcsim_activity *a = &sc->activities[src_act];
        a->kind = DCSIM_ACT_SOURCE;
        a->index = i;
        a->name = src->name;
        a->not_before_s = start;
        a->count = 1;
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
            TRY(scn_collect_after(c, src_after, scn_join(sub, sizeof sub, path, "after"),
                                  src_act));
        }
        src->activity = src_act;

        src->first_tranche = tranche_i;
        const dcsim_ynode *tn = dcsim_ynode_get(body, "tranches");
        scn_join(sub, sizeof sub, path, "tranches");
        if (src->type == DCSIM_SOURCE_GENERATION && dcsim_ynode_get(body, "units")) {
            if (tn)
                return scn_fail(c, tn, sub, "give 'units' or 'tranches', not both (units come "
                                            "online one by one, unit_interval apart)");
            TRY(scn_get_count(c, body, "units", path, true, 1, 100000, &src->units));
            src->n_tranches = src->units;
            TRY(load_units(c, body, path, src, i));
        } else {
            static const char *const unit_keys[] = {"unit_capacity", "unit_interval", "mtbf",
                                                    "mttr"};
            for (size_t k = 0; k < 4; k++) {
                const dcsim_ynode *u = dcsim_ynode_get(body, unit_keys[k]);
                if (u)
                    return scn_fail(c, u, scn_join(sub, sizeof sub, path, unit_keys[k]),
                                    "'%s' needs 'units' (N units of unit_capacity each)",
                                    unit_keys[k]);
            }
            src->n_tranches = 1;
            if (tn) {
                if (tn->kind != DCSIM_Y_SEQ || tn->len == 0)
                    return scn_fail(c, tn, sub, "expected a list of tranches ([{capacity: "
                                                "100MW}, {capacity: 100MW, delay: 3mo}])");
                if (src->type == DCSIM_SOURCE_STORAGE)
                    return scn_fail(c, tn, sub, "storage comes online as one block; give its "
                                                "'capacity' (discharge power) only");
                src->n_tranches = (uint32_t)tn->len;
            }
            TRY(load_tranches(c, tn, sub, src, i, cap, key, path));
        }
        tranche_i += src->n_tranches;

        if ((n = dcsim_ynode_get(body, "curtailment")))
            TRY(load_curtailment(c, n, scn_join(sub, sizeof sub, path, "curtailment"),
                                 &src->curtailment));
        if (src->type == DCSIM_SOURCE_STORAGE)
            TRY(load_storage(c, body, path, src));
        if (src->type == DCSIM_SOURCE_PPA) {
            if (!dcsim_ynode_get(body, "profile"))
                return scn_fail(c, body, path, "missing required key 'profile' (an hourly CSV "
                                               "of capacity factors)");
            TRY(scn_hourly(c, body, "profile", "profile_column", "capacity_factor", path, 0, 1,
                           &src->profile, &src->n_profile));
            sc->hourly = true;
        }
    }
    return DCSIM_OK;
}
