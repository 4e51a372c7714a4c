/* The ledger: what the simulated campus costs and earns, posted as things happen. Capital is
 * deployed when a rack arrives and when a building's construction starts; dark capital
 * carries the cost of capital while it waits; energy is dispatched source by source in merit
 * order and bought at its price; delivered GPU-hours are valued at a rental price. Equations
 * and the source of every default are in docs/model.md (Economics). */
#include <math.h>
#include <stdlib.h>

#include "dcsim/units.h"
#include "model/model.h"
#include "model/weather.h"

#define J_PER_MWH 3.6e9

bool ledger_create(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    ledger *L = &m->led;
    L->src_j = calloc(sc->n_sources + 1, sizeof *L->src_j);
    L->src_usd = calloc(sc->n_sources + 1, sizeof *L->src_usd);
    L->site_src_first = calloc(sc->n_sites + 2, sizeof *L->site_src_first);
    L->site_src = calloc(sc->n_sources + 1, sizeof *L->site_src);
    L->take_w = calloc(sc->n_sources + 1, sizeof *L->take_w);
    L->bld_pay_from = malloc((sc->n_buildings + 1) * sizeof *L->bld_pay_from);
    L->bld_pay_s = calloc(sc->n_buildings + 1, sizeof *L->bld_pay_s);
    L->src_paid_at = malloc((sc->n_sources + 1) * sizeof *L->src_paid_at);
    if (!L->src_j || !L->src_usd || !L->site_src_first || !L->site_src || !L->take_w ||
        !L->bld_pay_from || !L->bld_pay_s || !L->src_paid_at)
        return false;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        L->src_paid_at[s] = -1;
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        L->bld_pay_from[b] = -1;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        m->site[s].led_epoch = 1;   /* no split yet (led_seen 0) */
    /* Each site's firm sources (order_sources puts them in merit order). */
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].type != DCSIM_SOURCE_STORAGE)
            L->site_src_first[sc->sources[s].site + 1]++;
    for (uint32_t i = 0; i < sc->n_sites; i++)
        L->site_src_first[i + 1] += L->site_src_first[i];
    uint32_t *fill = calloc(sc->n_sites + 1, sizeof *fill);
    if (!fill)
        return false;
    for (uint32_t s = 0; s < sc->n_sources; s++) {
        uint32_t site = sc->sources[s].site;
        if (sc->sources[s].type != DCSIM_SOURCE_STORAGE)
            L->site_src[L->site_src_first[site] + fill[site]++] = s;
    }
    free(fill);
    const dcsim_economics *e = &sc->econ;
    /* A MWh burns heat_rate x 1,000 Btu (Btu/kWh x 1,000 kWh), heat_rate / 1,000 MMBtu, at
     * the fuel price each: 2.21 $/MMBtu x 11,000 Btu/kWh = $24.31/MWh, plus variable O&M. */
    L->gas_usd_per_mwh = e->fuel_usd_per_mmbtu * e->heat_rate_btu_per_kwh / 1000.0 +
                         e->generation_om_usd_per_mwh;
    return true;
}

void ledger_destroy(dcsim_model *m)
{
    ledger *L = &m->led;
    free(L->src_j);
    free(L->src_usd);
    free(L->site_src_first);
    free(L->site_src);
    free(L->take_w);
    free(L->bld_pay_from);
    free(L->bld_pay_s);
    free(L->src_paid_at);
    free(L->mark_usd);
}

void ledger_begin(dcsim_model *m)
{
    ledger_hour(m, m->sc->start_unix);
}

static int merit_rank(const dcsim_model *m, uint32_t s);

/* Each site's sources in merit order at this hour's prices (stable: scenario order within a
 * rank), so that dispatch is one pass. */
static void order_sources(dcsim_model *m)
{
    ledger *L = &m->led;
    for (uint32_t site = 0; site < m->sc->n_sites; site++) {
        uint32_t a = L->site_src_first[site], b = L->site_src_first[site + 1];
        for (uint32_t i = a + 1; i < b; i++) {      /* insertion sort: a handful each */
            uint32_t s = L->site_src[i], j = i;
            for (; j > a && merit_rank(m, L->site_src[j - 1]) > merit_rank(m, s); j--)
                L->site_src[j] = L->site_src[j - 1];
            L->site_src[j] = s;
        }
    }
}

static void book(dcsim_model *m, uint32_t site);

void ledger_hour(dcsim_model *m, int64_t unix_now)
{
    const dcsim_economics *e = &m->sc->econ;
    double before = m->led.grid_usd_per_mwh;
    double now = e->grid_trace ? weather_hourly(e->grid_trace, e->n_grid_trace, unix_now)
                               : e->grid_usd_per_mwh;
    if (now == before && unix_now != m->sc->start_unix)
        return;
    /* What the sites drew at the old price is booked at it; then the order may change. */
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        book(m, s);
        m->site[s].led_epoch++;
    }
    m->led.grid_usd_per_mwh = now;
    order_sources(m);
}

static double price_of(const dcsim_model *m, uint32_t s)
{
    const dcsim_economics *e = &m->sc->econ;
    switch (m->sc->sources[s].type) {
    case DCSIM_SOURCE_GENERATION:
        return m->led.gas_usd_per_mwh;
    case DCSIM_SOURCE_PPA:
        return e->ppa_usd_per_mwh >= 0 ? e->ppa_usd_per_mwh : m->led.grid_usd_per_mwh;
    default:
        return m->led.grid_usd_per_mwh;
    }
}

/* Merit order: PPA output first (contracted, it flows whether or not it is cheapest), then
 * the cheaper of the grid and on-site generation at this hour's prices (the grid on a tie),
 * then the other; each source gives what it can now. */
static int merit_rank(const dcsim_model *m, uint32_t s)
{
    dcsim_source_type t = m->sc->sources[s].type;
    if (t == DCSIM_SOURCE_PPA)
        return 0;
    bool grid_first = m->led.grid_usd_per_mwh <= m->led.gas_usd_per_mwh;
    return (t == DCSIM_SOURCE_GRID) == grid_first ? 1 : 2;
}

static inline double u2d(uint64_t x)
{
    return (double)(int64_t)x;
}

/* Book the time the site's current split has held: energy and cost per source. */
static void book(dcsim_model *m, uint32_t site)
{
    ledger *L = &m->led;
    site_state *st = &m->site[site];
    double dt = st->led_pending_s;
    if (dt <= 0)
        return;
    for (uint32_t k = L->site_src_first[site]; k < L->site_src_first[site + 1]; k++) {
        uint32_t s = L->site_src[k];
        if (L->take_w[s] > 0) {
            L->src_j[s] += L->take_w[s] * dt;
            L->src_usd[s] += L->take_w[s] * dt / J_PER_MWH * price_of(m, s);
        }
    }
    L->unsourced_j += st->led_short_w * dt;
    st->led_pending_s = 0;
}

static void split(dcsim_model *m, uint32_t site, double load_w)
{
    ledger *L = &m->led;
    book(m, site);
    site_state *st = &m->site[site];
    st->led_seen = st->led_epoch;
    for (uint32_t k = L->site_src_first[site]; k < L->site_src_first[site + 1]; k++) {
        uint32_t s = L->site_src[k];
        double take = load_w > 0 ? fmin(power_source_w(m, s), load_w) : 0;
        L->take_w[s] = take > 0 ? take : 0;
        load_w -= L->take_w[s];
    }
    st->led_short_w = load_w > 0 ? load_w : 0;
}

void ledger_touch(dcsim_model *m, double dt)
{
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        site_state *st = &m->site[s];
        if (st->led_epoch == st->led_seen && st->cap >= 1)
            continue;           /* model_touch added its time */
        if (st->led_epoch != st->led_seen)
            split(m, s, st->facility_w - st->battery_w);
        st->led_pending_s += dt;
        /* A power cap delivers less of the GPUs' time (model_touch keeps the GPU-seconds
         * lit, down and stuck, from which ledger_read takes what was delivered). */
        if (st->cap < 1) {
            double up = u2d(st->gpus_lit) - u2d(st->gpus_down) - u2d(st->gpus_stuck);
            m->led.throttled_gpu_s += up * (1 - dcsim_table_eval(&m->perf, st->cap)) * dt;
        }
    }
}

double ledger_source_j(const dcsim_model *m, uint32_t s)
{
    const ledger *L = &m->led;
    uint32_t site = m->sc->sources[s].site;
    return L->src_j[s] + (m->sc->sources[s].type == DCSIM_SOURCE_STORAGE
                              ? 0 : L->take_w[s] * m->site[site].led_pending_s);
}

/* The cost of source s so far, with the pending time at the current price. */
static double source_usd(const dcsim_model *m, uint32_t s)
{
    const ledger *L = &m->led;
    uint32_t site = m->sc->sources[s].site;
    return L->src_usd[s] + L->take_w[s] * m->site[site].led_pending_s / J_PER_MWH * price_of(m, s);
}

double ledger_unsourced_j(const dcsim_model *m)
{
    const ledger *L = &m->led;
    double j = L->unsourced_j;
    for (uint32_t s = 0; s < m->sc->n_sites; s++)
        j += m->site[s].led_short_w * m->site[s].led_pending_s;
    return j;
}

/* Dark capital that is not stranded: racks on their way through installation and burn-in,
 * shed, or with no position. */
static double dark_usd(const ledger *L)
{
    double dark = L->delivered_capex_usd - L->lit_capex_usd - L->stranded_capex_usd;
    return dark > 0 ? dark : 0;
}

/* The capital integrals change only when a rack moves: they are booked then (every rack
 * hook runs after model_touch, at now), and read with the time since (ledger_read). */
static void book_capital(dcsim_model *m)
{
    ledger *L = &m->led;
    int64_t now = dcsim_engine_now(m->eng);
    double dt = (double)(now - L->capital_since);
    if (dt > 0) {
        L->stranded_usd_s += L->stranded_capex_usd * dt;
        L->stranded_gpu_s += u2d(L->gpus_stranded) * dt;
        L->idle_usd_s += dark_usd(L) * dt;
    }
    L->capital_since = now;
}

static double rack_capex(const dcsim_model *m, uint32_t ri)
{
    const dcsim_delivery *dl = &m->sc->deliveries[m->racks[ri].delivery];
    return m->sc->econ.rack_capex_usd[dl->rack_model];
}

static uint32_t rack_gpus(const dcsim_model *m, uint32_t ri)
{
    const dcsim_delivery *dl = &m->sc->deliveries[m->racks[ri].delivery];
    return m->sc->rack_models[dl->rack_model].gpus;
}

void ledger_rack_delivered(dcsim_model *m, uint32_t ri)
{
    book_capital(m);
    double c = rack_capex(m, ri);
    m->led.capex_usd += c;
    m->led.delivered_capex_usd += c;
}

void ledger_building_started(dcsim_model *m, uint32_t b, int64_t duration_s)
{
    m->led.bld_pay_from[b] = dcsim_engine_now(m->eng);
    m->led.bld_pay_s[b] = duration_s;
}

void ledger_source_done(dcsim_model *m, uint32_t s)
{
    m->led.src_paid_at[s] = dcsim_engine_now(m->eng);
    m->led.capex_usd += m->sc->econ.source_capex_usd[s];
}

double ledger_building_paid(const dcsim_scenario *sc, uint32_t b, int64_t from, int64_t dur,
                            int64_t t)
{
    double all = sc->buildings[b].it_capacity_w * sc->econ.building_usd_per_w;
    if (from < 0 || t < from)
        return 0;
    if (!sc->econ.building_spread || dur <= 0 || t >= from + dur)
        return all;
    return all * (double)(t - from) / (double)dur;
}

void ledger_rack_stranded(dcsim_model *m, uint32_t ri)
{
    book_capital(m);
    m->led.stranded_capex_usd += rack_capex(m, ri);
    m->led.gpus_stranded += rack_gpus(m, ri);
}

void ledger_rack_lit(dcsim_model *m, uint32_t ri, bool was_stranded)
{
    book_capital(m);
    ledger *L = &m->led;
    double c = rack_capex(m, ri);
    if (was_stranded) {
        L->stranded_capex_usd -= c;
        L->gpus_stranded -= rack_gpus(m, ri);
        if (L->gpus_stranded == 0)
            L->stranded_capex_usd = 0;  /* no rounding left behind by + and - */
    }
    L->lit_capex_usd += c;
}

void ledger_rack_dark(dcsim_model *m, uint32_t ri)
{
    book_capital(m);
    m->led.lit_capex_usd -= rack_capex(m, ri);
}

void ledger_read(const dcsim_model *m, ledger_figures *f)
{
    const dcsim_scenario *sc = m->sc;
    const dcsim_economics *e = &sc->econ;
    const ledger *L = &m->led;
    *f = (ledger_figures){0};
    for (uint32_t s = 0; s < sc->n_sources; s++) {
        double mwh = ledger_source_j(m, s) / J_PER_MWH;
        switch (sc->sources[s].type) {
        case DCSIM_SOURCE_GENERATION:
            f->gen_mwh += mwh;
            f->gen_usd += source_usd(m, s);
            break;
        case DCSIM_SOURCE_PPA:
            f->ppa_mwh += mwh;
            f->ppa_usd += source_usd(m, s);
            break;
        case DCSIM_SOURCE_GRID:
            f->grid_mwh += mwh;
            f->grid_usd += source_usd(m, s);
            break;
        default:
            break;
        }
    }
    /* Btu/kWh x 1000 kWh/MWh / 1e6 Btu/MMBtu. */
    f->fuel_mmbtu = f->gen_mwh * e->heat_rate_btu_per_kwh / 1000.0;
    f->fuel_usd = f->fuel_mmbtu * e->fuel_usd_per_mmbtu;
    f->battery_mwh = m->battery_out_j / J_PER_MWH;
    f->battery_usd = f->battery_mwh * e->battery_usd_per_mwh;
    f->unsourced_mwh = ledger_unsourced_j(m) / J_PER_MWH;
    double per_s = e->capital_rate / DCSIM_YEAR_S;
    f->capex = L->capex_usd;
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        f->capex += ledger_building_paid(sc, b, L->bld_pay_from[b], L->bld_pay_s[b],
                                         m->last_change);
    /* The capital integrals booked at the last rack move, and the time since, up to the
     * model's last_change like every other integral. */
    double since = m->last_change > L->capital_since ? (double)(m->last_change - L->capital_since)
                                                     : 0;
    f->stranded = (L->stranded_usd_s + L->stranded_capex_usd * since) * per_s;
    f->idle = (L->idle_usd_s + dark_usd(L) * since) * per_s;
    f->energy = f->grid_usd + f->ppa_usd + f->gen_usd + f->battery_usd;
    /* The owner's view: every GPU lit, working and not stuck is capacity delivered to its
     * tenant, whether or not a job uses it, at the throughput a power cap leaves. */
    f->delivered_gpu_h =
        (m->gpu_lit_s - m->gpu_down_s - m->gpu_stuck_s - L->throttled_gpu_s) / DCSIM_HOUR_S;
    f->value = f->delivered_gpu_h * e->gpu_hour_usd;
    f->lost_failures_gpu_h = m->gpu_down_s / DCSIM_HOUR_S;
    f->lost_throttle_gpu_h = L->throttled_gpu_s / DCSIM_HOUR_S;
    f->lost_stuck_gpu_h = m->gpu_stuck_s / DCSIM_HOUR_S;
    f->lost_stranded_gpu_h = (L->stranded_gpu_s + u2d(L->gpus_stranded) * since) / DCSIM_HOUR_S;
    f->net = f->stranded + f->idle + f->energy - f->value;
}

bool ledger_marks(dcsim_model *m, uint32_t n)
{
    ledger *L = &m->led;
    free(L->mark_usd);
    L->mark_usd = calloc(n + 1, sizeof *L->mark_usd);
    if (!L->mark_usd)
        return false;
    L->n_marks = n;
    for (uint32_t k = 0; k < n; k++)
        L->mark_usd[k] = NAN;
    return true;
}

void ledger_mark_at(dcsim_model *m, uint32_t k, int64_t t)
{
    model_schedule(m, t, EV_MARK, k);
}

void ledger_mark(dcsim_model *m, uint32_t k)
{
    model_touch(m);
    storage_settle(m);
    ledger_figures f;
    ledger_read(m, &f);
    m->led.mark_usd[k] = f.net;
}
