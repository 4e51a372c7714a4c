/* Rack supply: deliveries arrive rack by rack on their schedule (after a lead-time slip),
 * wait on site until their building is ready, are installed one at a time by the building's
 * crew, then burn in (commissioning) before they ask the power gate for power. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>

#include "dcsim/dist.h"
#include "dcsim/units.h"

static int64_t draw_s(const dcsim_dist *d, gsl_rng *r)
{
    double x = dcsim_dist_draw(d, r);
    if (x > (double)DCSIM_DURATION_MAX_S)
        x = (double)DCSIM_DURATION_MAX_S;
    return (int64_t)(x + 0.5);
}

/* Arrival time of rack k of delivery i: racks arrive evenly, per_month a month. */
static int64_t arrival(const dcsim_model *m, uint32_t i, uint32_t k)
{
    const dcsim_delivery *dl = &m->sc->deliveries[i];
    return m->dl_t0[i] + (int64_t)llround((double)k * DCSIM_MONTH_S / dl->per_month);
}

void supply_begin(dcsim_model *m)
{
    for (uint32_t i = 0; i < m->sc->n_deliveries; i++) {
        const dcsim_delivery *dl = &m->sc->deliveries[i];
        m->dl_t0[i] = dl->start_s + draw_s(&dl->slip, m->slip_rng[i]);
        model_schedule(m, arrival(m, i, 0), EV_ARRIVE, i);
    }
}

/* Start the crew on the rack at the head of the building's queue, if it can work. The rack
 * stays at the head until it is installed. */
static void try_install(dcsim_model *m, uint32_t b)
{
    if (!m->bld_ready[b] || m->crew_busy[b] || m->install_q[b].len == 0)
        return;
    int64_t now = dcsim_engine_now(m->eng);
    uint32_t r = rack_queue_peek(&m->install_q[b]);
    m->racks[r].t_install_start = now;
    m->crew_busy[b] = true;
    double per_rack = DCSIM_DAY_S / m->sc->buildings[b].install_per_day;
    model_schedule(m, now + (int64_t)llround(per_rack), EV_INSTALL_DONE, b);
}

void supply_building_ready(dcsim_model *m, uint32_t b)
{
    m->bld_ready[b] = true;
    snprintf(m->trigger, sizeof m->trigger, "building:%s", m->sc->buildings[b].name);
    m->trigger_act = (int32_t)m->sc->buildings[b].activity;
    try_install(m, b);
}

void supply_arrive(dcsim_model *m, uint32_t i)
{
    const dcsim_delivery *dl = &m->sc->deliveries[i];
    int64_t now = dcsim_engine_now(m->eng);
    uint32_t k = m->dl_next[i]++;
    uint32_t r = m->dl_first_rack[i] + k;
    model_touch(m);
    m->racks[r].state = RACK_DELIVERED;
    m->racks[r].t_delivered = now;
    m->n_delivered++;
    if (k == 0) {
        char planned[32];
        dcsim_eventlog_add(m->log, now, "delivery_first", dl->name, "planned %s, %u racks at "
                           "%.1f a month", dcsim_format_date(m->sc->start_unix + dl->start_s,
                                                             planned, sizeof planned),
                           dl->total, dl->per_month);
    }
    if (k + 1 == dl->total)
        dcsim_eventlog_add(m->log, now, "delivery_done", dl->name, "%u racks", dl->total);
    else
        model_schedule(m, arrival(m, i, k + 1), EV_ARRIVE, i);
    snprintf(m->trigger, sizeof m->trigger, "delivery:%s", dl->name);
    m->trigger_act = -1;
    rack_queue_push(&m->install_q[dl->building], r);
    try_install(m, dl->building);
}

void supply_install_done(dcsim_model *m, uint32_t b)
{
    int64_t now = dcsim_engine_now(m->eng);
    uint32_t r = rack_queue_pop(&m->install_q[b]);
    uint32_t i = m->racks[r].delivery;
    model_touch(m);
    m->racks[r].state = RACK_COMMISSIONING;
    m->n_installed++;
    m->n_commissioning++;
    m->crew_busy[b] = false;
    m->crew_free_at[b] = now;
    snprintf(m->trigger, sizeof m->trigger, "install:%s", m->sc->buildings[b].name);
    m->trigger_act = -1;
    model_schedule(m, now + draw_s(&m->sc->deliveries[i].commissioning, m->comm_rng[i]),
                   EV_COMMISSIONED, r);
    try_install(m, b);
}

void supply_commissioned(dcsim_model *m, uint32_t r)
{
    model_touch(m);
    m->n_commissioning--;
    m->racks[r].t_commissioned = dcsim_engine_now(m->eng);
    gate_offer(m, r);
}
