/* The power gate, the heart of the simulator: a commissioned rack is energized only if the
 * facility demand after adding it stays within available supply minus the reserve margin.
 * Otherwise it waits (stranded), and waiting racks are lit strictly in arrival order as supply
 * rises. The gate records what each rack waited for last, which is how slip gets a cause. */
#include "model/model.h"

#include <stdio.h>

/* Demand and budget are sums of products like 132 kW x 1.3; allow a milliwatt of rounding so
 * a rack that fits exactly on paper fits in the simulation too. */
#define GATE_EPS_W 1e-3

static rack_cause cause_of(const dcsim_model *m, const rack *r, int64_t now)
{
    if (now > r->t_commissioned)
        return CAUSE_POWER;
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    int64_t ready = m->act_finish[m->sc->buildings[dl->building].activity];
    if (r->t_install_start > r->t_delivered)
        return r->t_install_start == ready ? CAUSE_BUILDING : CAUSE_INSTALL;
    return CAUSE_DELIVERY;
}

static void energize(dcsim_model *m, uint32_t ri, uint32_t source, double it_w, double fac_w)
{
    int64_t now = dcsim_engine_now(m->eng);
    rack *r = &m->racks[ri];
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    const dcsim_building *b = &m->sc->buildings[dl->building];
    r->state = RACK_ENERGIZED;
    r->t_energized = now;
    r->cause = (uint8_t)cause_of(m, r, now);
    r->power_source = source;
    m->it_w += it_w;
    m->facility_w += fac_w;
    m->n_stranded--;
    m->n_energized++;
    m->gpus_energized += m->sc->rack_models[dl->rack_model].gpus;
    switch (r->cause) {
    case CAUSE_POWER:
        DCSIM_ASSERT_SIM(source < m->sc->n_sources, now, m->sc->seed);
        snprintf(m->trigger, sizeof m->trigger, "power:%s", m->sc->sources[source].name);
        m->trigger_act = (int32_t)m->sc->sources[source].activity;
        break;
    case CAUSE_BUILDING:
        snprintf(m->trigger, sizeof m->trigger, "building:%s", b->name);
        m->trigger_act = (int32_t)b->activity;
        break;
    case CAUSE_INSTALL:
        snprintf(m->trigger, sizeof m->trigger, "install:%s", b->name);
        m->trigger_act = -1;
        break;
    default:
        snprintf(m->trigger, sizeof m->trigger, "delivery:%s", dl->name);
        m->trigger_act = -1;
    }
}

void gate_drain(dcsim_model *m, uint32_t source)
{
    double budget = m->supply_w * (1.0 - m->sc->reserve);
    while (m->gate_q.len > 0) {
        uint32_t ri = rack_queue_peek(&m->gate_q);
        const dcsim_delivery *dl = &m->sc->deliveries[m->racks[ri].delivery];
        double it_w = m->sc->rack_models[dl->rack_model].peak_w;
        double fac_w = it_w * m->sc->buildings[dl->building].pue;
        if (m->facility_w + fac_w > budget + GATE_EPS_W)
            break;                      /* the rest stay stranded until supply rises */
        rack_queue_pop(&m->gate_q);
        energize(m, ri, source, it_w, fac_w);
    }
    if (m->n_stranded > m->peak_stranded)
        m->peak_stranded = m->n_stranded;
}

void gate_offer(dcsim_model *m, uint32_t ri)
{
    m->racks[ri].state = RACK_STRANDED;
    m->n_stranded++;
    rack_queue_push(&m->gate_q, ri);
    /* A rack that can be lit at once is not waiting for power; the source is unused then. */
    gate_drain(m, UINT32_MAX);
}

double gate_metric(const dcsim_model *m, dcsim_metric metric)
{
    switch (metric) {
    case DCSIM_METRIC_IT_ENERGIZED_MW:
        return m->it_w / 1e6;
    case DCSIM_METRIC_FACILITY_MW:
        return m->facility_w / 1e6;
    case DCSIM_METRIC_SUPPLY_MW:
        return m->supply_w / 1e6;
    case DCSIM_METRIC_RACKS_ENERGIZED:
        return m->n_energized;
    case DCSIM_METRIC_GPUS_ENERGIZED:
        return (double)m->gpus_energized;
    case DCSIM_METRIC_RACKS_DELIVERED:
        return m->n_delivered;
    case DCSIM_METRIC_RACKS_INSTALLED:
        return m->n_installed;
    default:
        return 0;
    }
}
