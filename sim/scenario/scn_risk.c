/* The risk register (`risks:`, `risk_drivers:`): each risk's probability, window, the
 * activities it hits, its impact, its mitigation, and the drivers that make risks fire
 * together. Loaded after the activities are resolved, since a risk hits them by name. */
#include "scenario/load.h"

#include <math.h>
#include <string.h>

#include "dcsim/units.h"
#include "scenario/keys.h"

double dcsim_risk_run_probability(const dcsim_risk *r, bool mitigated)
{
    double p = mitigated && r->has_mitigation ? r->mitigated_probability : r->probability;
    if (!r->per_day)
        return p;
    /* At most one firing a run: the chance that some day of the window brings it. */
    double days = ceil((double)(r->to_s - r->from_s) / (double)DCSIM_DAY_S);
    if (days < 1)
        days = 1;
    return -expm1(days * log1p(-p));
}

void dcsim_scenario_mitigate_all(dcsim_scenario *sc)
{
    for (uint32_t i = 0; i < sc->n_risks; i++)
        if (sc->risks[i].has_mitigation)
            sc->risks[i].mitigated = true;
}

/* `hits`: one activity name or a list of them. */
#define MAX_HITS 10000    /* per risk: each hit is checked against the others */

/* The k-th name a capacity loss (sources, then buildings) or a delivery cut can hit. */
static const char *target_name(const dcsim_scenario *sc, bool capacity, uint32_t k)
{
    if (!capacity)
        return sc->deliveries[k].name;
    return k < sc->n_sources ? sc->sources[k].name : sc->buildings[k - sc->n_sources].name;
}

static const char *target_at(const dcsim_scenario *sc, uint32_t k, const void *capacity)
{
    return target_name(sc, *(const bool *)capacity, k);
}

/* What a capacity loss (a source, or a building as n_sources + b) or a delivery cut (a
 * delivery) names, with a did-you-mean. */
static dcsim_status named_in(scn_ctx *c, const dcsim_ynode *item, const char *path,
                             bool capacity, long *out)
{
    const dcsim_scenario *sc = c->sc;
    uint32_t n = capacity ? sc->n_sources + sc->n_buildings : sc->n_deliveries;
    return scn_pick(c, item, path, capacity ? "a power source or a building" : "a delivery", n,
                    target_at, &capacity, out);
}

/* The site of activity a, or UINT32_MAX (an equipment item belongs to no site). */
static uint32_t site_of_activity(const dcsim_scenario *sc, uint32_t a)
{
    const dcsim_activity *act = &sc->activities[a];
    switch (act->kind) {
    case DCSIM_ACT_SOURCE:
        return sc->sources[act->index].site;
    case DCSIM_ACT_STAGE:
        return sc->sources[sc->stages[act->index].source].site;
    case DCSIM_ACT_BUILDING:
        return sc->buildings[act->index].site;
    default:
        return UINT32_MAX;
    }
}

/* Whether `name` is one of the impact's own kind (an activity, a source, a delivery). */
static bool of_kind(const dcsim_scenario *sc, const uint32_t *sorted, dcsim_risk_impact im,
                    const char *name)
{
    if (im == DCSIM_RISK_DELAY || im == DCSIM_RISK_CANCEL)
        return scn_find_activity(sc, sorted, name) >= 0;
    bool capacity = im == DCSIM_RISK_CAPACITY;
    uint32_t n = capacity ? sc->n_sources + sc->n_buildings : sc->n_deliveries;
    for (uint32_t k = 0; k < n; k++)
        if (strcmp(target_name(sc, capacity, k), name) == 0)
            return true;
    return false;
}

/* A site named by a risk stands for everything of the impact's kind at it: its sources,
 * stages and buildings (delay, cancel) or its sources (capacity). Returns the site, or -1. */
static long site_named(const dcsim_scenario *sc, const uint32_t *sorted, dcsim_risk_impact im,
                       const char *name)
{
    if (im == DCSIM_RISK_DELIVERY_CUT || of_kind(sc, sorted, im, name))
        return -1;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        if (strcmp(sc->sites[s].name, name) == 0)
            return (long)s;
    return -1;
}

static dcsim_status add_hit(scn_ctx *c, const dcsim_ynode *item, const char *path,
                            dcsim_risk *r, uint32_t id, size_t cap)
{
    for (uint32_t j = 0; j < r->n_hits; j++)
        if (r->hits[j] == id)
            return scn_fail(c, item, path, "'%s' is hit twice (listed twice, or also through "
                                           "its site)", item->scalar);
    if (r->n_hits >= cap)
        return scn_fail(c, item, path, "a risk hits at most %d things", MAX_HITS);
    r->hits[r->n_hits++] = id;
    return DCSIM_OK;
}

static dcsim_status load_hits(scn_ctx *c, const uint32_t *sorted, const dcsim_ynode *n,
                              const char *path, dcsim_risk *r)
{
    dcsim_scenario *sc = c->sc;
    size_t m = n->kind == DCSIM_Y_SEQ ? n->len : 1;
    if (n->kind == DCSIM_Y_MAP || m == 0)
        return scn_fail(c, n, path, "expected a name or a list of names (activities for a "
                                    "delay or a cancellation, power sources for "
                                    "capacity_lost, deliveries for delivery_cut)");
    if (m > MAX_HITS)
        return scn_fail(c, n, path, "a risk hits at most %d activities", MAX_HITS);
    /* Room for every name, a site counting for what it stands for. */
    size_t cap = 0;
    for (size_t k = 0; k < m; k++) {
        const dcsim_ynode *item = n->kind == DCSIM_Y_SEQ ? n->items[k] : n;
        TRY(scn_need_scalar(c, item, path));
        long site = site_named(sc, sorted, r->impact, item->scalar);
        if (site < 0)
            cap++;
        else if (r->impact == DCSIM_RISK_CAPACITY)
            cap += sc->n_sources;
        else
            cap += sc->n_activities;
    }
    if (cap > MAX_HITS)
        cap = MAX_HITS;
    r->hits = scn_alloc(&sc->arena, cap * sizeof *r->hits + 1);
    if (!r->hits)
        return OOM(c);
    for (size_t k = 0; k < m; k++) {
        const dcsim_ynode *item = n->kind == DCSIM_Y_SEQ ? n->items[k] : n;
        TRY(scn_need_scalar(c, item, path));
        long site = site_named(sc, sorted, r->impact, item->scalar);
        if (site >= 0) {
            size_t before = r->n_hits;
            if (r->impact == DCSIM_RISK_CAPACITY) {
                for (uint32_t s = 0; s < sc->n_sources; s++)
                    if (sc->sources[s].site == (uint32_t)site &&
                        sc->sources[s].type != DCSIM_SOURCE_STORAGE)
                        TRY(add_hit(c, item, path, r, s, cap));
            } else {
                for (uint32_t a = 0; a < sc->n_activities; a++)
                    if (site_of_activity(sc, a) == (uint32_t)site)
                        TRY(add_hit(c, item, path, r, a, cap));
            }
            if (r->n_hits == before)
                return scn_fail(c, item, path, "site '%s' has nothing this risk can hit",
                                item->scalar);
            continue;
        }
        long a;
        if (r->impact == DCSIM_RISK_CAPACITY || r->impact == DCSIM_RISK_DELIVERY_CUT)
            TRY(named_in(c, item, path, r->impact == DCSIM_RISK_CAPACITY, &a));
        else
            TRY(scn_activity_ref(c, sorted, item, path, &a));
        if (r->impact == DCSIM_RISK_CAPACITY && a < (long)sc->n_sources &&
            sc->sources[a].type == DCSIM_SOURCE_STORAGE)
            return scn_fail(c, item, path, "'%s' is a battery: capacity_lost hits grid, "
                                           "generation or PPA sources", item->scalar);
        TRY(add_hit(c, item, path, r, (uint32_t)a, cap));
    }
    return DCSIM_OK;
}

static dcsim_status get_bool(scn_ctx *c, const dcsim_ynode *map, const char *key,
                             const char *path, bool *out)
{
    const dcsim_ynode *n = dcsim_ynode_get(map, key);
    if (!n)
        return DCSIM_OK;
    char sub[SCN_PATH];
    scn_join(sub, sizeof sub, path, key);
    TRY(scn_need_scalar(c, n, sub));
    if (strcmp(n->scalar, "true") == 0)
        *out = true;
    else if (strcmp(n->scalar, "false") == 0)
        *out = false;
    else
        return scn_fail(c, n, sub, "'%s': expected true or false", n->scalar);
    return DCSIM_OK;
}

/* `probability` (per run) or `per_day` (per day of the window): exactly one. */
static dcsim_status get_probability(scn_ctx *c, const dcsim_ynode *map, const char *path,
                                    bool need_same, bool per_day_before, double *p,
                                    bool *per_day)
{
    const dcsim_ynode *run = dcsim_ynode_get(map, "probability");
    const dcsim_ynode *day = dcsim_ynode_get(map, "per_day");
    if (run && day)
        return scn_fail(c, day, path, "give 'probability' (per run) or 'per_day', not both");
    if (need_same && ((run && per_day_before) || (day && !per_day_before)))
        return scn_fail(c, run ? run : day, path, "the mitigation gives its probability the "
                                                  "way the risk does ('%s')",
                        per_day_before ? "per_day" : "probability");
    *per_day = day != NULL;
    if (!run && !day)
        return DCSIM_OK;
    return scn_get_number(c, map, day ? "per_day" : "probability", path, true, 0, 1, p);
}

static dcsim_status load_window(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                dcsim_risk *r)
{
    const dcsim_scenario *sc = c->sc;
    r->from_s = 0;
    r->to_s = sc->horizon_s;
    const dcsim_ynode *w = dcsim_ynode_get(body, "window");
    if (!w)
        return DCSIM_OK;
    char sub[SCN_PATH];
    scn_join(sub, sizeof sub, path, "window");
    if (w->kind != DCSIM_Y_SEQ || w->len != 2)
        return scn_fail(c, w, sub, "expected [FROM, TO]: two dates (or durations after the "
                                   "start)");
    TRY(scn_when(c, w->items[0], sub, &r->from_s));
    TRY(scn_when(c, w->items[1], sub, &r->to_s));
    if (r->to_s < r->from_s)
        return scn_fail(c, w->items[1], sub, "the window ends before it begins");
    if (r->from_s > sc->horizon_s)
        return scn_fail(c, w->items[0], sub, "the window begins after the horizon");
    return DCSIM_OK;
}

static dcsim_status load_mitigation(scn_ctx *c, const dcsim_ynode *n, const char *path,
                                    dcsim_risk *r)
{
    TRY(scn_check_keys(c, n, path, scn_keys_mitigation));
    r->has_mitigation = true;
    r->mitigation_cost = 0;
    TRY(scn_get_number(c, n, "cost", path, false, 0, 1e15, &r->mitigation_cost));
    bool per_day;
    r->mitigated_probability = r->probability;
    TRY(get_probability(c, n, path, true, r->per_day, &r->mitigated_probability, &per_day));
    r->mitigated_delay = r->delay;
    r->mitigated_share = r->share;
    const dcsim_ynode *share = dcsim_ynode_get(n, "share");
    if (share) {
        if (r->impact != DCSIM_RISK_CAPACITY && r->impact != DCSIM_RISK_DELIVERY_CUT)
            return scn_fail(c, share, path, "a mitigation's share needs a risk with "
                                            "capacity_lost or delivery_cut");
        TRY(scn_get_number(c, n, "share", path, true, 0,
                           r->impact == DCSIM_RISK_CAPACITY ? 1 : 0.99, &r->mitigated_share));
    }
    if (dcsim_ynode_get(n, "delay")) {
        if (r->impact != DCSIM_RISK_DELAY)
            return scn_fail(c, dcsim_ynode_get(n, "delay"), path,
                            "a mitigation's delay needs a risk with a delay");
        TRY(scn_get_dist(c, n, "delay", path, true, &r->mitigated_delay));
    } else if (!dcsim_ynode_get(n, "probability") && !dcsim_ynode_get(n, "per_day") &&
               !share) {
        return scn_fail(c, n, path, "a mitigation lowers the probability, the impact or "
                                    "both: give 'probability' (or 'per_day'), 'delay' or "
                                    "'share'");
    }
    return DCSIM_OK;
}

static dcsim_status load_risk(scn_ctx *c, const uint32_t *sorted, const dcsim_ynode *key,
                              const dcsim_ynode *body, dcsim_risk *r)
{
    dcsim_scenario *sc = c->sc;
    char path[SCN_PATH], sub[SCN_PATH];
    scn_join(path, sizeof path, "risks", key->scalar);
    TRY(scn_name(c, key, "risks"));
    TRY(scn_need_map(c, body, path));
    TRY(scn_check_keys(c, body, path, scn_keys_risk));
    if (!(r->name = scn_strdup(&sc->arena, key->scalar)))
        return OOM(c);
    if (!dcsim_ynode_get(body, "probability") && !dcsim_ynode_get(body, "per_day"))
        return scn_fail(c, body, path, "a risk needs 'probability' (per run) or 'per_day'");
    TRY(get_probability(c, body, path, false, false, &r->probability, &r->per_day));
    TRY(load_window(c, body, path, r));
    /* The impact first: it says what `hits` names. */
    bool cancel = false;
    TRY(get_bool(c, body, "cancel", path, &cancel));
    const dcsim_ynode *delay = dcsim_ynode_get(body, "delay");
    const dcsim_ynode *lost = dcsim_ynode_get(body, "capacity_lost");
    const dcsim_ynode *cut = dcsim_ynode_get(body, "delivery_cut");
    int impacts = (cancel ? 1 : 0) + (delay != NULL) + (lost != NULL) + (cut != NULL);
    if (impacts > 1)
        return scn_fail(c, body, path, "a risk has one impact: 'delay', 'cancel: true', "
                                       "'capacity_lost' or 'delivery_cut'");
    if (impacts == 0)
        return scn_fail(c, body, path, "a risk needs an impact: 'delay' (a duration or a "
                                       "distribution), 'cancel: true', 'capacity_lost' or "
                                       "'delivery_cut'");
    r->impact = cancel ? DCSIM_RISK_CANCEL
                : delay ? DCSIM_RISK_DELAY
                : lost ? DCSIM_RISK_CAPACITY
                : DCSIM_RISK_DELIVERY_CUT;
    if (delay)
        TRY(scn_get_dist(c, body, "delay", path, true, &r->delay));
    if (lost || cut) {
        const dcsim_ynode *n = lost ? lost : cut;
        scn_join(sub, sizeof sub, path, lost ? "capacity_lost" : "delivery_cut");
        TRY(scn_need_map(c, n, sub));
        TRY(scn_check_keys(c, n, sub, scn_keys_risk_share));
        /* A cut slows deliveries (below 1): a halt is a delay of the deliveries instead. */
        TRY(scn_get_number(c, n, "share", sub, true, lost ? 0 : 0, lost ? 1 : 0.99,
                           &r->share));
        r->for_s = 0;
        TRY(scn_get_duration(c, n, "for", sub, false, &r->for_s));
    }
    const dcsim_ynode *hits;
    TRY(scn_required(c, body, "hits", path, &hits));
    TRY(load_hits(c, sorted, hits, scn_join(sub, sizeof sub, path, "hits"), r));

    r->driver = UINT32_MAX;
    const dcsim_ynode *drv = dcsim_ynode_get(body, "driver");
    if (drv) {
        scn_join(sub, sizeof sub, path, "driver");
        TRY(scn_need_scalar(c, drv, sub));
        for (uint32_t k = 0; k < sc->n_risk_drivers; k++)
            if (strcmp(sc->risk_drivers[k].name, drv->scalar) == 0)
                r->driver = k;
        if (r->driver == UINT32_MAX)
            return scn_fail(c, drv, sub, "'%s' is not under risk_drivers", drv->scalar);
    }
    const dcsim_ynode *mit = dcsim_ynode_get(body, "mitigation");
    if (mit)
        TRY(load_mitigation(c, mit, scn_join(sub, sizeof sub, path, "mitigation"), r));
    TRY(get_bool(c, body, "mitigated", path, &r->mitigated));
    if (r->mitigated && !r->has_mitigation)
        return scn_fail(c, dcsim_ynode_get(body, "mitigated"), path,
                        "mitigated: true needs a 'mitigation'");
    return DCSIM_OK;
}

dcsim_status scn_load_risks(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    const dcsim_ynode *drivers, *risks;
    TRY(scn_section(c, root, "risk_drivers", "risk_drivers", &drivers));
    TRY(scn_section(c, root, "risks", "risks", &risks));
    sc->n_risk_drivers = (uint32_t)scn_len(drivers);
    sc->n_risks = (uint32_t)scn_len(risks);
    sc->risk_drivers = scn_alloc(&sc->arena, (sc->n_risk_drivers + 1) * sizeof *sc->risk_drivers);
    sc->risks = scn_alloc(&sc->arena, (sc->n_risks + 1) * sizeof *sc->risks);
    if (!sc->risk_drivers || !sc->risks)
        return OOM(c);
    for (uint32_t k = 0; k < sc->n_risk_drivers; k++) {
        const dcsim_ynode *key = drivers->pairs[k].key, *body = drivers->pairs[k].value;
        char path[SCN_PATH];
        scn_join(path, sizeof path, "risk_drivers", key->scalar);
        TRY(scn_name(c, key, "risk_drivers"));
        TRY(scn_need_map(c, body, path));
        TRY(scn_check_keys(c, body, path, scn_keys_risk_driver));
        dcsim_risk_driver *dr = &sc->risk_drivers[k];
        if (!(dr->name = scn_strdup(&sc->arena, key->scalar)))
            return OOM(c);
        TRY(scn_get_number(c, body, "correlation", path, true, 0, 1, &dr->correlation));
    }
    if (!sc->n_risks)
        return DCSIM_OK;
    uint32_t *sorted = scn_activities_by_name(sc);
    if (!sorted)
        return OOM(c);
    dcsim_status st = DCSIM_OK;
    for (uint32_t i = 0; i < sc->n_risks && !st; i++)
        st = load_risk(c, sorted, risks->pairs[i].key, risks->pairs[i].value, &sc->risks[i]);
    free(sorted);
    return st;
}
