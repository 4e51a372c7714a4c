/* Scenario loader, the demand side: rack models, deliveries (to one building, or a pool of
 * buildings across sites with an allocation rule), workload classes and the shortage policy,
 * and milestones. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"
#include "scenario/keys.h"
#include "scenario/load.h"

/* How rack power follows utilization: a name or a table of [utilization, share]. */
static dcsim_status power_curve(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                dcsim_rack_model *m)
{
    static const char *const names[] = {"linear", "square", "cubic", "sqrt"};
    const dcsim_ynode *n = dcsim_ynode_get(body, "power_curve");
    char sub[SCN_PATH];
    m->curve = DCSIM_CURVE_LINEAR;
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, "power_curve");
    if (n->kind == DCSIM_Y_SEQ) {
        TRY(scn_pairs(c, n, sub, 0, 1, &m->curve_u, &m->curve_f, &m->n_curve));
        if (m->curve_u[0] < 0 || m->curve_u[m->n_curve - 1] > 1)
            return scn_fail(c, n, sub, "utilizations are fractions from 0 to 1");
        m->curve = DCSIM_CURVE_TABLE;
        return DCSIM_OK;
    }
    TRY(scn_need_scalar(c, n, sub));
    for (int k = 0; k < 4; k++)
        if (strcmp(n->scalar, names[k]) == 0) {
            m->curve = (dcsim_curve)k;
            return DCSIM_OK;
        }
    return scn_fail(c, n, sub, "unknown power curve '%s' (use linear, square, cubic, sqrt, or "
                               "a table [[0, 0], [0.5, 0.7], [1, 1]])", n->scalar);
}

dcsim_status scn_load_racks(scn_ctx *c, const dcsim_ynode *rs)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_rack_models; i++) {
        const dcsim_ynode *key = rs->pairs[i].key, *body = rs->pairs[i].value, *n;
        char path[SCN_PATH];
        scn_join(path, sizeof path, "racks", key->scalar);
        TRY(scn_element_name(c, key, "racks"));
        TRY(scn_check_keys(c, body, path, scn_keys_rack));
        dcsim_rack_model *m = &sc->rack_models[i];
        m->name = scn_strdup(&sc->arena, key->scalar);
        if (!m->name)
            return OOM(c);
        m->gpu_model = UINT32_MAX;
        if ((n = dcsim_ynode_get(body, "gpu"))) {
            char sub[SCN_PATH];
            scn_join(sub, sizeof sub, path, "gpu");
            TRY(scn_string(c, n, sub, &m->gpu));
            /* With a gpus: section the name must be one of its models. */
            for (uint32_t g = 0; g < sc->n_gpu_models; g++)
                if (strcmp(sc->gpu_models[g].name, m->gpu) == 0)
                    m->gpu_model = g;
            if (sc->n_gpu_models && m->gpu_model == UINT32_MAX)
                return scn_fail(c, n, sub, "no GPU model '%s' under gpus:", m->gpu);
        } else if (sc->n_gpu_models == 1) {
            m->gpu_model = 0;
        }
        TRY(scn_get_count(c, body, "gpus", path, true, 0, 100000, &m->gpus));
        m->gpus_per_node = m->gpus >= 4 ? 4 : (m->gpus ? m->gpus : 1);
        TRY(scn_get_count(c, body, "gpus_per_node", path, false, 1, 100000, &m->gpus_per_node));
        if (m->gpus && m->gpus % m->gpus_per_node)
            return scn_fail(c, dcsim_ynode_get(body, "gpus_per_node") ? dcsim_ynode_get(body, "gpus_per_node") : body,
                            path, "%u GPUs do not divide into nodes of %u", m->gpus,
                            m->gpus_per_node);
        TRY(power_curve(c, body, path, m));
        TRY(scn_get_power(c, body, "peak", path, true, &m->peak_w));
        n = dcsim_ynode_get(body, "peak");
        char sub[SCN_PATH];
        scn_join(sub, sizeof sub, path, "peak");
        if (m->peak_w <= 0)
            return scn_fail(c, n, sub, "peak power must be above 0");
        if (m->peak_w > 10e6)
            return scn_fail(c, n, sub, "%s is above the limit of 10 MW per rack", n->scalar);
        TRY(scn_get_power(c, body, "idle", path, false, &m->idle_w));
        if (m->idle_w > m->peak_w)
            return scn_fail(c, dcsim_ynode_get(body, "idle"), path,
                            "idle power (%s) is above peak power",
                            dcsim_ynode_get(body, "idle")->scalar);
    }
    return DCSIM_OK;
}

static const char *const policy_names[] = {"defer", "throttle", "shed-by-priority",
                                           "battery-first"};

static dcsim_status policy(scn_ctx *c, const dcsim_ynode *n, const char *path, bool allow_bf,
                           dcsim_policy *out)
{
    TRY(scn_need_scalar(c, n, path));
    for (int p = 0; p < 4; p++)
        if (strcmp(n->scalar, policy_names[p]) == 0) {
            if (!allow_bf && p == DCSIM_POLICY_BATTERY_FIRST)
                return scn_fail(c, n, path, "'then' names what follows battery-first: defer, "
                                            "throttle or shed-by-priority");
            *out = (dcsim_policy)p;
            return DCSIM_OK;
        }
    const char *hint = dcsim_did_you_mean(n->scalar, policy_names, 4);
    if (hint)
        return scn_fail(c, n, path, "unknown policy '%s' (did you mean '%s'?)", n->scalar, hint);
    return scn_fail(c, n, path, "unknown policy '%s' (use defer, throttle, shed-by-priority or "
                                "battery-first)", n->scalar);
}

/* Default power-performance curve: an assumption (no public measurement for GB200 under
 * power caps; reference-data.md has none), documented in docs/model.md. */
static const double default_cap[] = {0.5, 0.7, 0.85, 1.0};
static const double default_perf[] = {0.70, 0.88, 0.96, 1.0};

dcsim_status scn_load_shortage(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    dcsim_shortage *sh = &sc->shortage;
    sh->policy = DCSIM_POLICY_BATTERY_FIRST;
    sh->then = DCSIM_POLICY_DEFER;
    sh->min_cap = 0.5;
    sh->perf_cap = (double *)default_cap;
    sh->perf_value = (double *)default_perf;
    sh->n_perf = 4;
    const dcsim_ynode *n = dcsim_ynode_get(root, "shortage"), *v;
    char sub[SCN_PATH];
    if (n) {
        TRY(scn_check_keys(c, n, "shortage", scn_keys_shortage));
        if ((v = dcsim_ynode_get(n, "policy")))
            TRY(policy(c, v, "shortage.policy", true, &sh->policy));
        if ((v = dcsim_ynode_get(n, "then"))) {
            TRY(policy(c, v, "shortage.then", false, &sh->then));
            if (sh->policy != DCSIM_POLICY_BATTERY_FIRST)
                return scn_fail(c, v, "shortage.then", "'then' says what follows "
                                                       "battery-first; the policy here is '%s'",
                                policy_names[sh->policy]);
        }
        TRY(scn_get_number(c, n, "min_cap", "shortage", false, 0.05, 1.0, &sh->min_cap));
        if ((v = dcsim_ynode_get(n, "performance"))) {
            TRY(scn_pairs(c, v, "shortage.performance", 0, 1, &sh->perf_cap, &sh->perf_value,
                          &sh->n_perf));
            if (sh->perf_cap[0] < 0 || sh->perf_cap[sh->n_perf - 1] > 1)
                return scn_fail(c, v, "shortage.performance", "power caps are fractions from 0 "
                                                              "to 1");
        }
    }
    /* Class 0 is "default" (priority 0); listed classes follow. */
    const dcsim_ynode *cl = n ? dcsim_ynode_get(n, "classes") : NULL;
    if (cl)
        TRY(scn_section(c, n, "classes", "shortage.classes", &cl));
    sc->n_classes = 1 + (uint32_t)scn_len(cl);
    sc->classes = scn_alloc(&sc->arena, sc->n_classes * sizeof *sc->classes);
    if (!sc->classes)
        return OOM(c);
    sc->classes[0].name = (char *)"default";
    for (uint32_t i = 1; i < sc->n_classes; i++) {
        const dcsim_ynode *key = cl->pairs[i - 1].key;
        scn_join(sub, sizeof sub, "shortage.classes", key->scalar);
        TRY(scn_name(c, key, "shortage.classes"));
        if (strcmp(key->scalar, "default") == 0)
            return scn_fail(c, key, sub, "'default' is the class of racks without one; give "
                                         "it no priority here");
        sc->classes[i].name = scn_strdup(&sc->arena, key->scalar);
        if (!sc->classes[i].name)
            return OOM(c);
        TRY(scn_number(c, cl->pairs[i - 1].value, sub, -1e9, 1e9, &sc->classes[i].priority));
    }
    return DCSIM_OK;
}

static dcsim_status delivery_class(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                   uint32_t *out)
{
    const dcsim_ynode *n = dcsim_ynode_get(body, "class");
    char sub[SCN_PATH];
    *out = 0;
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, "class");
    TRY(scn_need_scalar(c, n, sub));
    const dcsim_scenario *sc = c->sc;
    const char *names[256];
    uint32_t k = 0;
    for (uint32_t i = 0; i < sc->n_classes; i++) {
        if (strcmp(sc->classes[i].name, n->scalar) == 0) {
            *out = i;
            return DCSIM_OK;
        }
        if (k < 256)
            names[k++] = sc->classes[i].name;
    }
    const char *hint = dcsim_did_you_mean(n->scalar, names, k);
    if (hint)
        return scn_fail(c, n, sub, "no class '%s' under shortage.classes (did you mean '%s'?)",
                        n->scalar, hint);
    return scn_fail(c, n, sub, "no class '%s' under shortage.classes", n->scalar);
}

static dcsim_status targets(scn_ctx *c, const dcsim_ynode *body, const char *path,
                            const dcsim_ynode *bs, dcsim_delivery *dl)
{
    dcsim_scenario *sc = c->sc;
    const dcsim_ynode *one = dcsim_ynode_get(body, "building"), *many = dcsim_ynode_get(body, "buildings");
    char sub[SCN_PATH];
    if (!!one == !!many)
        return scn_fail(c, body, path, "give exactly one of 'building' (one building) or "
                                       "'buildings' (a pool the racks are allocated across)");
    if (one) {
        const dcsim_ynode *al = dcsim_ynode_get(body, "allocation");
        if (al)
            return scn_fail(c, al, scn_join(sub, sizeof sub, path, "allocation"),
                            "an allocation chooses among 'buildings'; this delivery has one "
                            "'building'");
        dl->buildings = scn_alloc(&sc->arena, sizeof *dl->buildings);
        if (!dl->buildings)
            return OOM(c);
        dl->n_buildings = 1;
        return scn_ref_in(c, one, scn_join(sub, sizeof sub, path, "building"), bs, "building",
                          &dl->buildings[0]);
    }
    scn_join(sub, sizeof sub, path, "buildings");
    if (many->kind != DCSIM_Y_SEQ || many->len == 0)
        return scn_fail(c, many, sub, "expected a list of buildings, like [B1, B2]");
    dl->buildings = scn_alloc(&sc->arena, many->len * sizeof *dl->buildings);
    if (!dl->buildings)
        return OOM(c);
    dl->n_buildings = (uint32_t)many->len;
    for (size_t k = 0; k < many->len; k++) {
        TRY(scn_ref_in(c, many->items[k], sub, bs, "building", &dl->buildings[k]));
        for (size_t j = 0; j < k; j++)
            if (dl->buildings[j] == dl->buildings[k])
                return scn_fail(c, many->items[k], sub, "'%s' is listed twice",
                                many->items[k]->scalar);
    }
    const dcsim_ynode *al = dcsim_ynode_get(body, "allocation");
    dl->allocation = DCSIM_ALLOC_IN_ORDER;
    if (al) {
        scn_join(sub, sizeof sub, path, "allocation");
        TRY(scn_need_scalar(c, al, sub));
        if (strcmp(al->scalar, "in-order") == 0)
            dl->allocation = DCSIM_ALLOC_IN_ORDER;
        else if (strcmp(al->scalar, "pro-rata") == 0)
            dl->allocation = DCSIM_ALLOC_PRO_RATA;
        else if (strcmp(al->scalar, "priority") == 0)
            dl->allocation = DCSIM_ALLOC_PRIORITY;
        else
            return scn_fail(c, al, sub, "unknown allocation '%s' (use in-order, pro-rata or "
                                        "priority)", al->scalar);
    }
    return DCSIM_OK;
}

dcsim_status scn_load_deliveries(scn_ctx *c, const dcsim_ynode *ds, const dcsim_ynode *rs,
                                 const dcsim_ynode *bs)
{
    dcsim_scenario *sc = c->sc;
    uint64_t racks = 0, gpus = 0;
    uint64_t *fixed = calloc(sc->n_buildings + 1, sizeof *fixed);
    double *peak = calloc(sc->n_buildings + 1, sizeof *peak);
    const dcsim_ynode **last = calloc(sc->n_buildings + 1, sizeof *last);
    dcsim_status st = DCSIM_OK;
    if (!fixed || !peak || !last)
        st = OOM(c);
    for (uint32_t i = 0; i < sc->n_deliveries && !st; i++) {
        const dcsim_ynode *key = ds->pairs[i].key, *body = ds->pairs[i].value, *n;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "deliveries", key->scalar);
        dcsim_delivery *dl = &sc->deliveries[i];
        if ((st = scn_element_name(c, key, "deliveries")) ||
            (st = scn_check_keys(c, body, path, scn_keys_delivery)))
            break;
        if (!(dl->name = scn_strdup(&sc->arena, key->scalar))) {
            st = OOM(c);
            break;
        }
        if ((st = scn_required(c, body, "rack", path, &n)) ||
            (st = scn_ref_in(c, n, scn_join(sub, sizeof sub, path, "rack"), rs,
                             "rack model (under racks:)", &dl->rack_model)) ||
            (st = targets(c, body, path, bs, dl)) || (st = delivery_class(c, body, path, &dl->class_id)) ||
            (st = scn_get_when(c, body, "start", path, true, &dl->start_s)) ||
            (st = scn_get_number(c, body, "per_month", path, true, 0.001, 1e7, &dl->per_month)) ||
            (st = scn_get_count(c, body, "total", path, true, 1, DCSIM_MAX_RACKS, &dl->total)))
            break;
        dl->slip = dcsim_dist_fixed(0, true);
        dl->commissioning = dcsim_dist_fixed(0, true);
        if ((st = scn_get_dist(c, body, "slip", path, false, &dl->slip)) ||
            (st = scn_get_dist(c, body, "commissioning", path, false, &dl->commissioning)))
            break;
        const dcsim_rack_model *m = &sc->rack_models[dl->rack_model];
        const dcsim_ynode *total_node = dcsim_ynode_get(body, "total");
        racks += dl->total;
        gpus += (uint64_t)dl->total * m->gpus;
        if (dl->n_buildings == 1) {
            fixed[dl->buildings[0]] += dl->total;
            peak[dl->buildings[0]] += dl->total * m->peak_w;
            last[dl->buildings[0]] = total_node;
        }
        if (racks > DCSIM_MAX_RACKS) {
            st = scn_fail(c, total_node, path, "the scenario delivers more than %u racks in all",
                          DCSIM_MAX_RACKS);
            break;
        }
    }
    /* A building must hold what is delivered to it alone: positions and IT power at peak.
     * Pools are checked as racks arrive (a rack with nowhere to go is logged). */
    for (uint32_t b = 0; b < sc->n_buildings && !st; b++) {
        const dcsim_building *bd = &sc->buildings[b];
        if (fixed[b] > bd->rack_positions)
            st = scn_fail(c, last[b], "deliveries",
                          "%llu racks are delivered to building '%s' but it has %u rack "
                          "positions", (unsigned long long)fixed[b], bd->name,
                          bd->rack_positions);
        else if (peak[b] > bd->it_capacity_w * (1 + 1e-9))
            st = scn_fail(c, last[b], "deliveries",
                          "racks delivered to building '%s' draw %.3f MW at peak but its "
                          "it_capacity is %.3f MW", bd->name, peak[b] / 1e6,
                          bd->it_capacity_w / 1e6);
    }
    sc->n_racks = (uint32_t)racks;
    sc->n_gpus = gpus;
    free(fixed);
    free(peak);
    free(last);
    return st;
}

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

dcsim_status scn_condition(scn_ctx *c, const dcsim_ynode *n, const char *path,
                           dcsim_metric *metric_out, double *threshold)
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
    if (!dcsim_parse_number(s, threshold, why, sizeof why))
        return scn_fail(c, n, path, "threshold: %s", why);
    if (*threshold < 0)
        return scn_fail(c, n, path, "the threshold may not be negative");
    *metric_out = (dcsim_metric)mi;
    return DCSIM_OK;
}

dcsim_status scn_load_milestones(scn_ctx *c, const dcsim_ynode *ms)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_ynode *key = ms->pairs[i].key, *body = ms->pairs[i].value, *n;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "milestones", key->scalar);
        TRY(scn_element_name(c, key, "milestones"));
        TRY(scn_check_keys(c, body, path, scn_keys_milestone));
        dcsim_milestone *m = &sc->milestones[i];
        m->name = scn_strdup(&sc->arena, key->scalar);
        if (!m->name)
            return OOM(c);
        TRY(scn_get_when(c, body, "planned", path, true, &m->planned_s));
        TRY(scn_required(c, body, "when", path, &n));
        TRY(scn_condition(c, n, scn_join(sub, sizeof sub, path, "when"), &m->metric,
                          &m->threshold));
        if (!(m->condition = scn_strdup(&sc->arena, n->scalar)))
            return OOM(c);
    }
    return DCSIM_OK;
}

/* The grade scale: a milestone's slip at the confidence quantile, against the largest slip
 * each letter allows (defaults A <= 0 d, B <= 30 d, C <= 90 d, D <= 180 d, else F). */
dcsim_status scn_load_grading(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    static const char *const letters[] = {"A", "B", "C", "D"};
    static const int64_t defaults[] = {0, 30 * DCSIM_DAY_S, 90 * DCSIM_DAY_S, 180 * DCSIM_DAY_S};
    sc->confidence = 0.8;
    for (int k = 0; k < 4; k++)
        sc->grade_max_s[k] = (double)defaults[k];
    const dcsim_ynode *n = dcsim_ynode_get(root, "grading");
    if (!n)
        return DCSIM_OK;
    TRY(scn_check_keys(c, n, "grading", scn_keys_grading));
    TRY(scn_get_number(c, n, "confidence", "grading", false, 0.5, 0.99, &sc->confidence));
    for (int k = 0; k < 4; k++) {
        const dcsim_ynode *v = dcsim_ynode_get(n, letters[k]);
        if (!v)
            continue;
        char sub[SCN_PATH];
        int64_t d;
        scn_join(sub, sizeof sub, "grading", letters[k]);
        TRY(scn_need_scalar(c, v, sub));
        /* A grade may allow a negative slip (early); durations here take a leading minus. */
        bool neg = v->scalar[0] == '-';
        char why[256];
        if (!dcsim_parse_duration(v->scalar + neg, &d, why, sizeof why))
            return scn_fail(c, v, sub, "%s", why);
        sc->grade_max_s[k] = neg ? -(double)d : (double)d;
        if (k > 0 && sc->grade_max_s[k] < sc->grade_max_s[k - 1])
            return scn_fail(c, v, sub, "each grade must allow at least the slip of the one "
                                       "before");
    }
    return DCSIM_OK;
}
