/* The economics (`economics:`): capital cost of racks and buildings, the cost of capital and
 * depreciation, energy and fuel prices, battery cycling, and what a GPU-hour and a day of a
 * training run are worth. Every key is optional; the defaults and their sources are in
 * docs/model.md (Economics). Loaded after racks and jobs, which it names. */
#include "scenario/load.h"

#include <string.h>

#include "dcsim/units.h"
#include "scenario/keys.h"

/* Defaults (docs/model.md gives each source). */
#define RACK_USD_PER_GPU (5e6 / 72)   /* GB200 NVL72 with its network, ~$5M (L) */
#define BUILDING_USD_PER_W 11.7        /* $11.7M per MW of critical load (Cushman 2025, M) */
#define CAPITAL_RATE 0.08
#define GRID_USD_PER_MWH 27.33         /* ERCOT North hub day-ahead, 2024 (M) */
#define FUEL_USD_PER_MMBTU 2.21        /* Henry Hub, 2024 (H) */
#define HEAT_RATE_BTU_PER_KWH 11000.0  /* US gas turbines, EIA (M) */
#define GENERATION_OM_USD_PER_MWH 5.0 /* aeroderivative turbines, EIA (M) */
#define BATTERY_USD_PER_MWH 19.0       /* $115/kWh packs over 6,000 cycles (D) */
#define GPU_HOUR_USD 2.0               /* H100 rental, $1.80-2 (L) */

/* Prices may be large but stay finite and printable in MUSD with room to spare. */
#define USD_MAX 1e13

static const char *rack_name(const dcsim_scenario *sc, uint32_t k, const void *arg)
{
    (void)arg;
    return sc->rack_models[k].name;
}

static const char *source_name(const dcsim_scenario *sc, uint32_t k, const void *arg)
{
    (void)arg;
    return sc->sources[k].name;
}

static const char *job_name(const dcsim_scenario *sc, uint32_t k, const void *arg)
{
    (void)arg;
    return sc->jobs[k].name;
}

/* A map of named values (`rack_capex`, `job_value_per_day`): each key names one of the n
 * elements name() gives; its value in [0, USD_MAX] goes to out[index]. */
static dcsim_status named_usd(scn_ctx *c, const dcsim_ynode *econ, const char *key,
                              const char *what, scn_name_fn name, uint32_t n, double *out)
{
    const dcsim_ynode *sec;
    char path[SCN_PATH];
    scn_join(path, sizeof path, "economics", key);
    TRY(scn_section(c, econ, key, path, &sec));
    if (!sec)
        return DCSIM_OK;
    for (size_t i = 0; i < sec->len; i++) {
        const dcsim_ynode *k = sec->pairs[i].key;
        char sub[SCN_PATH];
        scn_join(sub, sizeof sub, path, k->scalar);
        long found;
        TRY(scn_pick(c, k, sub, what, n, name, NULL, &found));
        TRY(scn_number(c, sec->pairs[i].value, sub, 0, USD_MAX, &out[found]));
    }
    return DCSIM_OK;
}

/* `electricity_price`: USD/MWh, or {trace: FILE, column: NAME} for an hourly price. */
static dcsim_status electricity_price(scn_ctx *c, const dcsim_ynode *econ)
{
    dcsim_economics *e = &c->sc->econ;
    const dcsim_ynode *n = dcsim_ynode_get(econ, "electricity_price");
    const char *path = "economics.electricity_price";
    if (!n)
        return DCSIM_OK;
    if (n->kind == DCSIM_Y_SCALAR)
        return scn_number(c, n, path, -USD_MAX, USD_MAX, &e->grid_usd_per_mwh);
    TRY(scn_check_keys(c, n, path, scn_keys_price));
    /* Negative prices happen (ERCOT's West hub, windy nights): allowed, and dispatch then
     * takes the grid first. */
    TRY(scn_hourly(c, n, "trace", "column", "usd_per_mwh", path, -USD_MAX, USD_MAX,
                   &e->grid_trace, &e->n_grid_trace));
    c->sc->hourly = true;       /* the price moves every hour: so does dispatch */
    return DCSIM_OK;
}

dcsim_status scn_load_economics(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    dcsim_economics *e = &sc->econ;
    e->rack_capex_usd = scn_alloc(&sc->arena, (sc->n_rack_models + 1) * sizeof *e->rack_capex_usd);
    e->job_usd_per_day = scn_alloc(&sc->arena, (sc->n_jobs + 1) * sizeof *e->job_usd_per_day);
    e->source_capex_usd = scn_alloc(&sc->arena, (sc->n_sources + 1) * sizeof *e->source_capex_usd);
    if (!e->rack_capex_usd || !e->job_usd_per_day || !e->source_capex_usd)
        return OOM(c);
    for (uint32_t k = 0; k < sc->n_rack_models; k++)
        e->rack_capex_usd[k] = RACK_USD_PER_GPU * sc->rack_models[k].gpus;
    e->building_usd_per_w = BUILDING_USD_PER_W;
    e->capital_rate = CAPITAL_RATE;
    e->rack_life_s = 5 * (int64_t)DCSIM_YEAR_S;
    e->building_life_s = 20 * (int64_t)DCSIM_YEAR_S;
    e->grid_usd_per_mwh = GRID_USD_PER_MWH;
    e->ppa_usd_per_mwh = -1;
    e->fuel_usd_per_mmbtu = FUEL_USD_PER_MMBTU;
    e->heat_rate_btu_per_kwh = HEAT_RATE_BTU_PER_KWH;
    e->generation_om_usd_per_mwh = GENERATION_OM_USD_PER_MWH;
    e->battery_usd_per_mwh = BATTERY_USD_PER_MWH;
    e->gpu_hour_usd = GPU_HOUR_USD;

    const dcsim_ynode *n = dcsim_ynode_get(root, "economics");
    if (!n || (n->kind == DCSIM_Y_SCALAR && n->scalar[0] == '\0' && !n->quoted))
        return DCSIM_OK;
    const char *p = "economics";
    TRY(scn_check_keys(c, n, p, scn_keys_economics));
    TRY(named_usd(c, n, "rack_capex", "a rack model", rack_name, sc->n_rack_models,
                  e->rack_capex_usd));
    TRY(named_usd(c, n, "source_capex", "a power source", source_name, sc->n_sources,
                  e->source_capex_usd));
    double per_mw = e->building_usd_per_w * 1e6;
    TRY(scn_get_number(c, n, "building_capex_per_mw", p, false, 0, USD_MAX, &per_mw));
    e->building_usd_per_w = per_mw / 1e6;
    const dcsim_ynode *pay = dcsim_ynode_get(n, "building_payment");
    if (pay) {
        TRY(scn_need_scalar(c, pay, "economics.building_payment"));
        if (strcmp(pay->scalar, "spread") == 0)
            e->building_spread = true;
        else if (strcmp(pay->scalar, "start") != 0)
            return scn_fail(c, pay, "economics.building_payment",
                            "unknown payment schedule '%s' (use start or spread)", pay->scalar);
    }
    TRY(scn_get_number(c, n, "cost_of_capital", p, false, 0, 1, &e->capital_rate));
    TRY(scn_get_duration(c, n, "rack_life", p, false, &e->rack_life_s));
    TRY(scn_get_duration(c, n, "building_life", p, false, &e->building_life_s));
    const char *lives[] = {"rack_life", "building_life"};
    for (int k = 0; k < 2; k++) {
        const dcsim_ynode *v = dcsim_ynode_get(n, lives[k]);
        char sub[SCN_PATH];
        if (v && (k ? e->building_life_s : e->rack_life_s) < DCSIM_DAY_S)
            return scn_fail(c, v, scn_join(sub, sizeof sub, p, lives[k]),
                            "a depreciation life must be at least a day");
    }
    TRY(electricity_price(c, n));
    TRY(scn_get_number(c, n, "ppa_price", p, false, -USD_MAX, USD_MAX, &e->ppa_usd_per_mwh));
    if (dcsim_ynode_get(n, "ppa_price") && e->ppa_usd_per_mwh < 0) {
        /* Below zero means "the electricity price" inside: refuse it rather than guess. */
        return scn_fail(c, dcsim_ynode_get(n, "ppa_price"), "economics.ppa_price",
                        "a PPA price must be 0 or more (leave it out to pay the electricity "
                        "price)");
    }
    TRY(scn_get_number(c, n, "fuel_price", p, false, 0, USD_MAX, &e->fuel_usd_per_mmbtu));
    TRY(scn_get_number(c, n, "heat_rate", p, false, 3412.0, 100000, &e->heat_rate_btu_per_kwh));
    TRY(scn_get_number(c, n, "generation_variable_om", p, false, 0, USD_MAX,
                       &e->generation_om_usd_per_mwh));
    TRY(scn_get_number(c, n, "battery_cycling_cost", p, false, 0, USD_MAX,
                       &e->battery_usd_per_mwh));
    TRY(scn_get_number(c, n, "gpu_hour_value", p, false, 0, USD_MAX, &e->gpu_hour_usd));
    return named_usd(c, n, "job_value_per_day", "a job", job_name, sc->n_jobs,
                     e->job_usd_per_day);
}
