/* Rack supply: deliveries arrive rack by rack on their schedule (after a lead-time slip),
 * are placed in their building (or, for a delivery shared by a pool of buildings across
 * sites, in the building the allocation rule picks), wait on site until the building is
 * ready, are installed one at a time by the building's crew, then burn in (commissioning)
 * before they ask the power gate for power. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>

#include "dcsim/dist.h"
#include "dcsim/units.h"

/* Arrival time of rack k of delivery i: racks arrive evenly, per_month a month. */
static int64_t arrival(const dcsim_model *m, uint32_t i, uint32_t k)
{
    const dcsim_delivery *dl = &m->sc->deliveries[i];
    return m->dl_t0[i] + m->dl_shift[i] +
           (int64_t)llround((double)k * DCSIM_MONTH_S / dl->per_month);
}

void supply_begin(dcsim_model *m)
{
    for (uint32_t i = 0; i < m->sc->n_deliveries; i++) {
        const dcsim_delivery *dl = &m->sc->deliveries[i];
        m->dl_t0[i] = dl->start_s + model_draw_el(m, DCSIM_DRIVER_DELIVERY, i, &dl->slip,
                                                  m->slip_rng[i]);
        model_schedule(m, arrival(m, i, 0), EV_ARRIVE, i);
    }
}

/* Where a rack of delivery dl goes. A single-building delivery goes to its building (the
 * loader checked it fits). A pool's rack goes to a building of the pool with a free position
 * (not owed to a single-building delivery) and IT capacity left for it, chosen by the
 * allocation rule; UINT32_MAX when there is none. */
static uint32_t place(dcsim_model *m, const dcsim_delivery *dl)
{
    const dcsim_scenario *sc = m->sc;
    double peak = sc->rack_models[dl->rack_model].peak_w;
    if (dl->n_buildings == 1) {
        m->bld_reserved[dl->buildings[0]]--;
        return dl->buildings[0];
    }
    uint32_t best = UINT32_MAX;
    double best_key = 0;
    for (uint32_t k = 0; k < dl->n_buildings; k++) {
        uint32_t b = dl->buildings[k];
        const dcsim_building *bd = &sc->buildings[b];
        if (m->bld_assigned[b] + m->bld_reserved[b] >= bd->rack_positions ||
            m->bld_assigned_w[b] + peak > bd->it_capacity_w * (1 + 1e-9))
            continue;
        double key;
        switch (dl->allocation) {
        case DCSIM_ALLOC_PRO_RATA:
            /* Fill every building at the same pace: the least-filled share goes first. */
            key = -(double)m->bld_assigned[b] / bd->rack_positions;
            break;
        case DCSIM_ALLOC_PRIORITY:
            key = sc->sites[bd->site].priority;
            break;
        default:
            return b;       /* in order: the first with room */
        }
        if (best == UINT32_MAX || key > best_key) {
            best = b;
            best_key = key;
        }
    }
    return best;
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
    model_set_trigger(m, "building", m->sc->buildings[b].name);
    m->trigger_act = (int32_t)m->sc->buildings[b].activity;
    try_install(m, b);
}

void supply_arrive(dcsim_model *m, uint32_t i)
{
    const dcsim_delivery *dl = &m->sc->deliveries[i];
    int64_t now = dcsim_engine_now(m->eng);
    uint32_t k = m->dl_next[i]++;
    uint32_t ri = m->dl_first_rack[i] + k;
    rack *r = &m->racks[ri];
    model_touch(m);
    r->t_delivered = now;
    m->n_delivered++;
    m->rack_epoch++;
    ledger_rack_delivered(m, ri);
    if (k == 0) {
        char planned[32];
        dcsim_eventlog_add(m->log, now, "delivery_first", dl->name, "planned %s, %u racks at "
                           "%.1f a month", dcsim_format_date(m->sc->start_unix + dl->start_s,
                                                             planned, sizeof planned),
                           dl->total, dl->per_month);
    }
    if (k + 1 == dl->total)
        dcsim_eventlog_add(m->log, now, "delivery_done", dl->name, "%u racks", dl->total);
    else {
        /* Under a delivery cut the next rack comes after a longer interval: the rest of the
         * schedule shifts by what the cut adds to this one. */
        double c = m->dl_cut[i] < 0.99 ? m->dl_cut[i] : 0.99;
        if (c > 0)
            m->dl_shift[i] += (int64_t)llround(DCSIM_MONTH_S / dl->per_month * c / (1 - c));
        model_schedule(m, arrival(m, i, k + 1), EV_ARRIVE, i);
    }
    model_set_trigger(m, "delivery", dl->name);
    m->trigger_act = -1;
    uint32_t b = place(m, dl);
    if (b == UINT32_MAX) {
        /* Only pools get here: the loader checks single-building deliveries fit. */
        r->state = RACK_UNPLACED;
        if (m->n_unplaced++ == 0)
            dcsim_eventlog_add(m->log, now, "rack_unplaced", dl->name,
                               "no building of the pool has a free position left");
        return;
    }
    r->state = RACK_DELIVERED;
    r->building = b;
    m->bld_assigned[b]++;
    m->bld_assigned_w[b] += m->sc->rack_models[dl->rack_model].peak_w;
    rack_queue_push(&m->install_q[b], ri);
    try_install(m, b);
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
    m->rack_epoch++;
    m->crew_busy[b] = false;
    model_set_trigger(m, "install", m->sc->buildings[b].name);
    m->trigger_act = -1;
    model_schedule(m, now + model_draw_el(m, DCSIM_DRIVER_DELIVERY, i,
                                          &m->sc->deliveries[i].commissioning, m->comm_rng[i]),
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
