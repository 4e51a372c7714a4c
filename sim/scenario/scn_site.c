/* Scenario loader, sites and buildings: each site's weather (fixed, seasonal model or an
 * hourly trace), and each building's construction, capacity, PUE (a number or a table over
 * ambient temperature) and fixed overhead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/keys.h"
#include "scenario/load.h"

/* Defaults when a site says nothing about weather: a mild fixed 20 C, so a fixed PUE is all
 * that matters. */
static void weather_default(dcsim_weather *w)
{
    memset(w, 0, sizeof *w);
    w->kind = DCSIM_WEATHER_FIXED;
    w->mean_c = 20.0;
}

static dcsim_status load_weather(scn_ctx *c, const dcsim_ynode *n, const char *path,
                                 dcsim_weather *w)
{
    TRY(scn_check_keys(c, n, path, scn_keys_weather));
    const dcsim_ynode *m;
    char sub[SCN_PATH];
    TRY(scn_required(c, n, "model", path, &m));
    TRY(scn_need_scalar(c, m, scn_join(sub, sizeof sub, path, "model")));
    weather_default(w);
    if (strcmp(m->scalar, "fixed") == 0) {
        w->kind = DCSIM_WEATHER_FIXED;
        TRY(scn_get_number(c, n, "mean_c", path, true, -80, 70, &w->mean_c));
    } else if (strcmp(m->scalar, "seasonal") == 0) {
        w->kind = DCSIM_WEATHER_SEASONAL;
        TRY(scn_get_number(c, n, "mean_c", path, true, -80, 70, &w->mean_c));
        TRY(scn_get_number(c, n, "seasonal_amplitude_c", path, false, 0, 60,
                           &w->seasonal_amp_c));
        TRY(scn_get_number(c, n, "daily_amplitude_c", path, false, 0, 40, &w->daily_amp_c));
        const dcsim_ynode *hd = dcsim_ynode_get(n, "hottest_day");
        uint16_t doy = 196;     /* 16 July, a typical northern-hemisphere peak */
        if (hd)
            TRY(scn_month_day(c, hd, scn_join(sub, sizeof sub, path, "hottest_day"), &doy));
        w->hottest_doy = doy;
        w->hottest_hour = 21;   /* 15:00 in Texas (UTC-6) */
        TRY(scn_get_number(c, n, "hottest_hour", path, false, 0, 24, &w->hottest_hour));
    } else if (strcmp(m->scalar, "trace") == 0) {
        w->kind = DCSIM_WEATHER_TRACE;
        if (!dcsim_ynode_get(n, "trace"))
            return scn_fail(c, n, path, "missing required key 'trace' (an hourly CSV file)");
        TRY(scn_hourly(c, n, "trace", "column", "ambient_c", path, -80, 70, &w->trace_c,
                  &w->n_trace));
    } else {
        return scn_fail(c, m, scn_join(sub, sizeof sub, path, "model"),
                        "unknown weather model '%s' (use fixed, seasonal or trace)", m->scalar);
    }
    /* Keys of another model would be silently unused: refuse them. */
    static const char *const seasonal_only[] = {"seasonal_amplitude_c", "daily_amplitude_c",
                                                "hottest_day", "hottest_hour", NULL};
    static const char *const trace_only[] = {"trace", "column", NULL};
    for (int pass = 0; pass < 2; pass++) {
        const char *const *own = pass ? trace_only : seasonal_only;
        bool mine = pass ? w->kind == DCSIM_WEATHER_TRACE : w->kind == DCSIM_WEATHER_SEASONAL;
        for (size_t k = 0; own[k] && !mine; k++) {
            const dcsim_ynode *x = dcsim_ynode_get(n, own[k]);
            if (x)
                return scn_fail(c, x, scn_join(sub, sizeof sub, path, own[k]),
                                "'%s' belongs to the %s model, not '%s'", own[k],
                                pass ? "trace" : "seasonal", m->scalar);
        }
    }
    if (w->kind == DCSIM_WEATHER_TRACE && dcsim_ynode_get(n, "mean_c"))
        return scn_fail(c, dcsim_ynode_get(n, "mean_c"), scn_join(sub, sizeof sub, path, "mean_c"),
                        "a trace gives every hour's temperature; 'mean_c' is not used");
    if (w->kind != DCSIM_WEATHER_FIXED)
        c->sc->hourly = true;
    return DCSIM_OK;
}

dcsim_status scn_load_sites(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    const dcsim_ynode *sites, *top_weather = dcsim_ynode_get(root, "weather");
    TRY(scn_section(c, root, "sites", "sites", &sites));
    c->implicit_site = sites == NULL;
    sc->n_sites = sites ? (uint32_t)sites->len : 1;
    sc->sites = scn_alloc(&sc->arena, sc->n_sites * sizeof *sc->sites);
    if (!sc->sites)
        return OOM(c);
    if (!sites) {
        dcsim_site *s = &sc->sites[0];
        s->name = sc->name;
        weather_default(&s->weather);
        if (top_weather)
            TRY(load_weather(c, top_weather, "weather", &s->weather));
        return DCSIM_OK;
    }
    if (top_weather)
        return scn_fail(c, top_weather, "weather", "with 'sites', give each site its own "
                                                   "'weather'");
    for (uint32_t i = 0; i < sc->n_sites; i++) {
        const dcsim_ynode *key = sites->pairs[i].key, *body = sites->pairs[i].value, *n;
        char path[SCN_PATH];
        scn_join(path, sizeof path, "sites", key->scalar);
        TRY(scn_element_name(c, key, "sites"));
        if (body->kind == DCSIM_Y_SCALAR && body->scalar[0] == '\0' && !body->quoted)
            body = NULL;    /* "abilene:" with nothing: defaults */
        else
            TRY(scn_check_keys(c, body, path, scn_keys_site));
        dcsim_site *s = &sc->sites[i];
        s->name = scn_strdup(&sc->arena, key->scalar);
        if (!s->name)
            return OOM(c);
        weather_default(&s->weather);
        if (body && (n = dcsim_ynode_get(body, "weather"))) {
            char sub[SCN_PATH];
            TRY(load_weather(c, n, scn_join(sub, sizeof sub, path, "weather"), &s->weather));
        }
        if (body)
            TRY(scn_get_number(c, body, "priority", path, false, -1e9, 1e9, &s->priority));
    }
    return DCSIM_OK;
}

dcsim_status scn_site_of(scn_ctx *c, const dcsim_ynode *body, const char *path, uint32_t *out)
{
    const dcsim_ynode *n = dcsim_ynode_get(body, "site");
    char sub[SCN_PATH];
    *out = 0;
    if (!n) {
        if (!c->implicit_site && c->sc->n_sites > 1)
            return scn_fail(c, body, path, "missing required key 'site' (this scenario has "
                                           "%u sites)", c->sc->n_sites);
        return DCSIM_OK;
    }
    scn_join(sub, sizeof sub, path, "site");
    TRY(scn_need_scalar(c, n, sub));
    if (c->implicit_site)
        return scn_fail(c, n, sub, "there is no 'sites' section to name a site from");
    for (uint32_t i = 0; i < c->sc->n_sites; i++)
        if (strcmp(c->sc->sites[i].name, n->scalar) == 0) {
            *out = i;
            return DCSIM_OK;
        }
    const char **names = malloc((c->sc->n_sites + 1) * sizeof *names);
    if (!names)
        return OOM(c);
    for (uint32_t i = 0; i < c->sc->n_sites; i++)
        names[i] = c->sc->sites[i].name;
    const char *hint = dcsim_did_you_mean(n->scalar, names, c->sc->n_sites);
    dcsim_status st = hint ? scn_fail(c, n, sub, "no site named '%s' (did you mean '%s'?)",
                                      n->scalar, hint)
                           : scn_fail(c, n, sub, "no site named '%s'", n->scalar);
    free(names);
    return st;
}

dcsim_status scn_load_buildings(scn_ctx *c, const dcsim_ynode *bs, uint32_t first_act)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_buildings; i++) {
        const dcsim_ynode *key = bs->pairs[i].key, *body = bs->pairs[i].value, *n;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "buildings", key->scalar);
        TRY(scn_element_name(c, key, "buildings"));
        TRY(scn_check_keys(c, body, path, scn_keys_building));
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
        a->count = 1;
        TRY(scn_site_of(c, body, path, &b->site));
        const dcsim_ynode *sn = dcsim_ynode_get(body, "start"), *an = dcsim_ynode_get(body, "after");
        if (!sn && !an)
            return scn_fail(c, key, path, "give the construction 'start' (a date), 'after' "
                                          "(what it waits for), or both");
        TRY(scn_get_when(c, body, "start", path, false, &a->not_before_s));
        c->act_node[ai] = an ? an : key;
        if (an)
            TRY(scn_collect_after(c, an, scn_join(sub, sizeof sub, path, "after"), ai));
        TRY(scn_get_dist(c, body, "duration", path, true, &a->duration));
        TRY(scn_get_power(c, body, "it_capacity", path, true, &b->it_capacity_w));
        TRY(scn_get_count(c, body, "rack_positions", path, true, 1, DCSIM_MAX_RACKS,
                          &b->rack_positions));
        b->pue = 1.3;
        if ((n = dcsim_ynode_get(body, "pue"))) {
            scn_join(sub, sizeof sub, path, "pue");
            if (n->kind == DCSIM_Y_SEQ) {
                TRY(scn_pairs(c, n, sub, 1.0, 3.0, &b->pue_ambient_c, &b->pue_value, &b->n_pue));
                b->pue = b->pue_value[0];
                sc->hourly = true;
            } else {
                TRY(scn_number(c, n, sub, 1.0, 3.0, &b->pue));
            }
        }
        TRY(scn_get_power(c, body, "overhead", path, false, &b->overhead_w));
        b->install_per_day = 20;
        TRY(scn_get_number(c, body, "install_per_day", path, false, 0.01, 86400.0,
                           &b->install_per_day));
    }
    return DCSIM_OK;
}
