/* Storage: batteries that carry a site through a shortage (battery-first policy) until they
 * run empty, and recharge from spare firm supply. Between events every flow is constant, so
 * the state of charge moves linearly and the moment a battery runs empty or full is known
 * exactly: it is scheduled as an event, and the gate re-balances then. */
#include "model/model.h"

#include <math.h>

/* A battery holding less than this share of its energy counts as empty (rounding guard). */
#define EMPTY_SHARE 1e-9

static bool is_battery_at(const dcsim_model *m, uint32_t s, uint32_t site)
{
    const dcsim_source *src = &m->sc->sources[s];
    return src->type == DCSIM_SOURCE_STORAGE && src->site == site && m->src_online_w[s] > 0;
}

void storage_settle(dcsim_model *m)
{
    int64_t now = dcsim_engine_now(m->eng);
    double dt = (double)(now - m->batt_settled);
    m->batt_settled = now;
    if (dt <= 0)
        return;
    for (uint32_t s = 0; s < m->sc->n_sources; s++) {
        const dcsim_source *src = &m->sc->sources[s];
        if (src->type != DCSIM_SOURCE_STORAGE || m->batt_w[s] == 0)
            continue;
        if (m->batt_w[s] > 0) {
            /* Delivering P to the load draws P / efficiency from the cells. */
            m->soc_j[s] -= m->batt_w[s] / src->discharge_eff * dt;
            m->battery_out_j += m->batt_w[s] * dt;
        } else {
            m->soc_j[s] += -m->batt_w[s] * src->charge_eff * dt;
        }
        if (m->soc_j[s] < src->energy_j * EMPTY_SHARE)
            m->soc_j[s] = 0;
        if (m->soc_j[s] > src->energy_j * (1 - EMPTY_SHARE))
            m->soc_j[s] = src->energy_j;
    }
}

double storage_soc_at(const dcsim_model *m, uint32_t s, int64_t t)
{
    const dcsim_source *src = &m->sc->sources[s];
    double dt = (double)(t - m->batt_settled), soc = m->soc_j[s];
    if (src->type != DCSIM_SOURCE_STORAGE || dt <= 0 || m->batt_w[s] == 0)
        return soc;
    soc += m->batt_w[s] > 0 ? -m->batt_w[s] / src->discharge_eff * dt
                            : -m->batt_w[s] * src->charge_eff * dt;
    return fmin(src->energy_j, fmax(0.0, soc));
}

double storage_available_w(const dcsim_model *m, uint32_t site)
{
    double w = 0;
    for (uint32_t s = 0; s < m->sc->n_sources; s++)
        if (is_battery_at(m, s, site) && m->soc_j[s] > 0)
            w += m->src_online_w[s];
    return w;
}

void storage_dispatch(dcsim_model *m, uint32_t site, double deficit_w, double surplus_w)
{
    const dcsim_scenario *sc = m->sc;
    int64_t now = dcsim_engine_now(m->eng);
    double total = 0, next = INFINITY;
    /* Batteries serve in the order the scenario lists them. */
    for (uint32_t s = 0; s < sc->n_sources; s++) {
        if (!is_battery_at(m, s, site))
            continue;
        const dcsim_source *src = &sc->sources[s];
        double p = m->src_online_w[s], flow = 0;
        if (deficit_w > 0 && m->soc_j[s] > 0) {
            flow = fmin(deficit_w, p);
            deficit_w -= flow;
            next = fmin(next, m->soc_j[s] / (flow / src->discharge_eff));
        } else if (deficit_w <= 0 && surplus_w > 0 && m->soc_j[s] < src->energy_j) {
            flow = -fmin(surplus_w, p);
            surplus_w += flow;
            next = fmin(next, (src->energy_j - m->soc_j[s]) / (-flow * src->charge_eff));
        }
        m->batt_w[s] = flow;
        total += flow;
    }
    if (total != m->site[site].battery_w) {
        m->site[site].battery_w = total;
        ledger_load_changed(m, site);
    }
    if (isfinite(next)) {
        /* Rounded up: at that second the battery is empty (or full) and settles to it. */
        int64_t t = now + (int64_t)ceil(next - 1e-9);
        if (t <= now)
            t = now + 1;
        m->site[site].batt_next = t;
        model_schedule(m, t, EV_BATTERY, site);
    } else {
        m->site[site].batt_next = -1;
    }
}
