/* Power supply: when a source's procurement pipeline completes, its capacity comes online
 * tranche by tranche (generation: unit by unit), each after its own delay counted from the
 * tranche before. Generation units then fail and get repaired; grid sources are curtailed on
 * some days of their season; PPA output follows its hourly capacity factor. Every change
 * re-balances the site at the gate. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>

#include "dcsim/dist.h"
#include "dcsim/units.h"
#include "model/weather.h"

double power_source_w(const dcsim_model *m, uint32_t s)
{
    const dcsim_source *src = &m->sc->sources[s];
    /* What risks took (capacity_lost), off the top of whatever the source gives. */
    double keep = m->src_lost[s] < 1 ? 1 - m->src_lost[s] : 0;
    switch (src->type) {
    case DCSIM_SOURCE_STORAGE:
        return 0;           /* batteries are not firm supply; see storage.c */
    case DCSIM_SOURCE_PPA:
        return m->src_online_w[s] * m->src_cf[s] * keep;
    default: {
        double w = m->src_online_w[s] - m->src_down_w[s];
        if (m->src_curtailed[s])
            w *= 1.0 - src->curtailment.fraction;
        return w > 0 ? w * keep : 0;
    }
    }
}

void power_site_supply(dcsim_model *m, uint32_t site)
{
    double w = 0;
    for (uint32_t s = 0; s < m->sc->n_sources; s++)
        if (m->sc->sources[s].site == site)
            w += power_source_w(m, s);
    m->site[site].supply_w = w;
    /* Even at the same total a source may give more and another less: dispatch again. */
    ledger_supply_changed(m, site);
}

/* Set the trigger for milestone causes, then re-balance the source's site. */
static void changed(dcsim_model *m, uint32_t s)
{
    const dcsim_source *src = &m->sc->sources[s];
    power_site_supply(m, src->site);
    model_set_trigger(m, "power", src->name);
    m->trigger_act = (int32_t)src->activity;
    m->power_source = s;
    gate_balance(m, src->site);
    m->power_source = UINT32_MAX;
}

static void schedule_tranche(dcsim_model *m, uint32_t t)
{
    int64_t d = model_draw_el(m, DCSIM_DRIVER_SOURCE, m->sc->tranches[t].source,
                              &m->sc->tranches[t].delay, m->tranche_rng[t]);
    model_schedule(m, dcsim_engine_now(m->eng) + d, EV_TRANCHE, t);
}

void power_begin(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    /* Weather and PUE at the start; the hourly tick (if any) keeps them current. */
    for (uint32_t s = 0; s < sc->n_sites; s++)
        m->site_ambient_c[s] = weather_ambient_c(&sc->sites[s].weather, sc->start_unix);
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        if (sc->buildings[b].n_pue)
            m->bld_pue[b] = dcsim_table_eval(&m->bld_pue_table[b],
                                             m->site_ambient_c[sc->buildings[b].site]);
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].curtailment.enabled)
            model_schedule(m, 0, EV_CURTAIL_DAY, s);
    if (sc->hourly)
        model_schedule(m, 0, EV_HOUR, 0);
}

void power_source_done(dcsim_model *m, uint32_t source)
{
    ledger_source_done(m, source);
    schedule_tranche(m, m->sc->sources[source].first_tranche);
}

static void schedule_failure(dcsim_model *m, uint32_t t)
{
    /* Exponential time to failure: a constant hazard of 1/MTBF while the unit runs. */
    const dcsim_source *src = &m->sc->sources[m->sc->tranches[t].source];
    double up = gsl_ran_exponential(m->tranche_rng[t], src->mtbf_s);
    if (up > (double)DCSIM_DURATION_MAX_S)
        up = (double)DCSIM_DURATION_MAX_S;
    model_schedule(m, dcsim_engine_now(m->eng) + (int64_t)(up + 0.5), EV_UNIT_FAIL, t);
}

void power_tranche_online(dcsim_model *m, uint32_t tranche)
{
    const dcsim_tranche *t = &m->sc->tranches[tranche];
    uint32_t s = t->source;
    const dcsim_source *src = &m->sc->sources[s];
    int64_t now = dcsim_engine_now(m->eng);
    model_touch(m);
    m->src_online_w[s] += t->capacity_w;
    if (src->type == DCSIM_SOURCE_STORAGE) {
        /* The battery arrives charged: energy the balance counts as installed, not supplied
         * (model_check). Flows so far are settled first, so none is lost. */
        storage_settle(m);
        m->battery_installed_j += src->energy_j * src->initial_soc - m->soc_j[s];
        m->soc_j[s] = src->energy_j * src->initial_soc;
    }
    if (src->type == DCSIM_SOURCE_PPA)
        m->src_cf[s] = ppa_factor(src, m->sc->start_unix + now);
    if (src->units) {
        m->unit_state[tranche] = 1;
        m->units_online++;
        if (src->mtbf_s > 0)
            schedule_failure(m, tranche);
    }
    dcsim_eventlog_add(m->log, now, "tranche_online", src->name, "+%.3f MW, source %.3f MW",
                       t->capacity_w / 1e6, m->src_online_w[s] / 1e6);
    if (tranche + 1 < src->first_tranche + src->n_tranches)
        schedule_tranche(m, tranche + 1);
    m->site[src->site].last_capacity = s;
    m->power_is_capacity = true;
    changed(m, s);
    m->power_is_capacity = false;
}

void power_unit_fail(dcsim_model *m, uint32_t tranche)
{
    const dcsim_tranche *t = &m->sc->tranches[tranche];
    const dcsim_source *src = &m->sc->sources[t->source];
    model_touch(m);
    m->unit_state[tranche] = 2;
    m->units_down++;
    m->src_down_w[t->source] += t->capacity_w;
    int64_t repair = model_draw_s(&src->mttr, m->tranche_rng[tranche]);
    model_schedule(m, dcsim_engine_now(m->eng) + repair, EV_UNIT_REPAIR, tranche);
    changed(m, t->source);
}

void power_unit_repair(dcsim_model *m, uint32_t tranche)
{
    const dcsim_tranche *t = &m->sc->tranches[tranche];
    model_touch(m);
    m->unit_state[tranche] = 1;
    m->units_down--;
    m->src_down_w[t->source] -= t->capacity_w;
    if (m->src_down_w[t->source] < 1e-6)
        m->src_down_w[t->source] = 0;   /* sums of the same values: no drift below zero */
    schedule_failure(m, tranche);
    changed(m, t->source);
}

/* Is day-of-year doy (0-based, a non-leap count) within the season? Seasons may wrap. */
static bool in_season(const dcsim_season *s, unsigned doy)
{
    if (s->from_doy <= s->to_doy)
        return doy >= s->from_doy && doy <= s->to_doy;
    return doy >= s->from_doy || doy <= s->to_doy;
}

void power_curtail_day(dcsim_model *m, uint32_t s)
{
    const dcsim_curtailment *cu = &m->sc->sources[s].curtailment;
    int64_t now = dcsim_engine_now(m->eng);
    int64_t y;
    unsigned mo, d;
    int64_t days = (m->sc->start_unix + now) / DCSIM_DAY_S;
    dcsim_civil_from_days(days, &y, &mo, &d);
    /* Day of a non-leap year, as seasons are written: 29 February counts as 28 February. */
    static const unsigned before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    unsigned doy = before[mo - 1] + (d > 28 && mo == 2 ? 28 : d) - 1;
    /* One draw a day whatever the outcome, so the stream stays aligned across what-ifs. */
    double u = gsl_rng_uniform(m->curt_rng[s]);
    double at = cu->hour_from + (cu->hour_to - cu->hour_from) * gsl_rng_uniform(m->curt_rng[s]);
    if (in_season(&cu->season, doy) && u < cu->p_per_day)
        model_schedule(m, now + (int64_t)llround(at * DCSIM_HOUR_S), EV_CURTAIL_START, s);
    if (now + DCSIM_DAY_S <= m->sc->horizon_s)
        model_schedule(m, now + DCSIM_DAY_S, EV_CURTAIL_DAY, s);
}

void power_curtail_start(dcsim_model *m, uint32_t s)
{
    if (m->src_curtailed[s] || m->src_online_w[s] <= 0)
        return;             /* already curtailed (the same emergency), or nothing to curtail */
    const dcsim_source *src = &m->sc->sources[s];
    int64_t now = dcsim_engine_now(m->eng);
    int64_t dur = model_draw_s(&src->curtailment.duration, m->curt_rng[s]);
    model_touch(m);
    m->src_curtailed[s] = true;
    dcsim_eventlog_add(m->log, now, "curtailment_start", src->name, "%.0f%% for %.2f h",
                       src->curtailment.fraction * 100, (double)dur / 3600.0);
    model_schedule(m, now + dur, EV_CURTAIL_END, s);
    changed(m, s);
}

void power_capacity_changed(dcsim_model *m, uint32_t s)
{
    changed(m, s);
}

void power_curtail_end(dcsim_model *m, uint32_t s)
{
    model_touch(m);
    m->src_curtailed[s] = false;
    dcsim_eventlog_add(m->log, dcsim_engine_now(m->eng), "curtailment_end",
                       m->sc->sources[s].name, "%s", "");
    changed(m, s);
}

/* The hourly tick: ambient temperature, PUE and PPA output move on; every site re-balances
 * (a hot afternoon can push a campus over its supply). */
void power_hour(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    int64_t now = dcsim_engine_now(m->eng);
    int64_t unix_now = sc->start_unix + now;
    model_touch(m);
    ledger_hour(m, unix_now);
    for (uint32_t s = 0; s < sc->n_sites; s++)
        m->site_ambient_c[s] = weather_ambient_tick(&sc->sites[s].weather, unix_now,
                                                    m->wx_clock,
                                                    &m->site_daily_cos[(size_t)s * 24]);
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        if (sc->buildings[b].n_pue)
            m->bld_pue[b] = m->bld_pue_as[b] < b
                                ? m->bld_pue[m->bld_pue_as[b]]
                                : dcsim_table_eval(&m->bld_pue_table[b],
                                                   m->site_ambient_c[sc->buildings[b].site]);
    gate_reweigh(m);        /* PUE moved: the demand terms follow */
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].type == DCSIM_SOURCE_PPA)
            m->src_cf[s] = ppa_factor(&sc->sources[s], unix_now);
    for (uint32_t s = 0; s < sc->n_sites; s++)
        power_site_supply(m, s);
    model_set_trigger(m, "weather", NULL);
    m->trigger_act = -1;
    gate_balance_all(m);
    int64_t next = weather_next_hour(unix_now) - sc->start_unix;
    if (next <= sc->horizon_s)
        model_schedule(m, next, EV_HOUR, 0);
}
