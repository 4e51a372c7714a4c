/* The power gate, the heart of the simulator. Each site has one: a commissioned rack is
 * energized only if the facility demand after adding it stays within the site's firm supply
 * minus the reserve margin; otherwise it waits (stranded), and waiting racks are lit strictly
 * in arrival order as supply rises. When supply falls below demand (a unit trips, the grid is
 * curtailed, a hot afternoon raises PUE), the scenario's shortage policy brings demand back
 * down: batteries first, throttling GPU power, or shedding racks (newest, or lowest priority
 * class, first). Shed racks come back first when supply returns. The gate records what each
 * rack waited for last, which is how slip gets a cause. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Demand and budget are sums of products like 132 kW x 1.3; allow a milliwatt of rounding so
 * a rack that fits exactly on paper fits in the simulation too. */
#define GATE_EPS_W 1e-3

/* Share of (peak - idle) a rack of model rm draws at utilization u. */
static double curve(const dcsim_model *m, const dcsim_rack_model *rm, double u)
{
    switch (rm->curve) {
    case DCSIM_CURVE_SQUARE:
        return u * u;
    case DCSIM_CURVE_CUBIC:
        return u * u * u;
    case DCSIM_CURVE_SQRT:
        return sqrt(u);
    case DCSIM_CURVE_TABLE:
        return dcsim_table_eval(&m->rack_curve[rm - m->sc->rack_models], u);
    default:
        return u;
    }
}

double gate_rack_power_w(const dcsim_model *m, const dcsim_rack_model *rm, double u)
{
    return rm->idle_w + (rm->peak_w - rm->idle_w) * curve(m, rm, u);
}

/* IT power of a building's lit racks: peak without a workload; with one, each rack model's
 * idle-to-peak curve at the site's utilization u (power_k: that power per model, or NULL). */
static double building_it_w(const dcsim_model *m, uint32_t b, double u, const double *power_k)
{
    const dcsim_scenario *sc = m->sc;
    if (!sc->workload)
        return m->bld_it_w[b];
    double w = 0;
    const uint32_t *lit = &m->bld_model_lit[(size_t)b * sc->n_rack_models];
    for (uint32_t k = 0; k < sc->n_rack_models; k++)
        if (lit[k])
            w += lit[k] * (power_k ? power_k[k] : gate_rack_power_w(m, &sc->rack_models[k], u));
    return w;
}

double gate_demand(const dcsim_model *m, uint32_t site, double cap)
{
    return gate_demand_at(m, site, cap, m->site[site].util);
}

double gate_demand_at(const dcsim_model *m, uint32_t site, double cap, double u)
{
    const site_state *st = &m->site[site];
    if (st->n_energized == 0)
        return 0;
    double w = 0;
    for (uint32_t k = 0; k < m->sc->n_rack_models; k++)
        if (st->pue_racks[k] != 0)
            w += st->pue_racks[k] * (m->sc->workload ? gate_rack_power_w(m, &m->sc->rack_models[k], u)
                                                      : m->sc->rack_models[k].peak_w);
    return w * cap + st->overhead_w;
}

void gate_reweigh(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    for (uint32_t s = 0; s < sc->n_sites; s++) {
        memset(m->site[s].pue_racks, 0, sc->n_rack_models * sizeof *m->site[s].pue_racks);
        m->site[s].overhead_w = 0;
    }
    for (uint32_t b = 0; b < sc->n_buildings; b++) {
        if (!m->bld_energized[b])
            continue;
        site_state *st = &m->site[sc->buildings[b].site];
        for (uint32_t k = 0; k < sc->n_rack_models; k++)
            st->pue_racks[k] += m->bld_model_lit[(size_t)b * sc->n_rack_models + k] * m->bld_pue[b];
        st->overhead_w += sc->buildings[b].overhead_w;
    }
}

/* Facility power a rack adds at full cap: its IT power times PUE, plus the building's
 * overhead when it is the building's first lit rack. */
static double rack_need_w(const dcsim_model *m, uint32_t ri)
{
    const rack *r = &m->racks[ri];
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    double need = m->sc->rack_models[dl->rack_model].peak_w * m->bld_pue[r->building];
    if (m->bld_energized[r->building] == 0)
        need += m->sc->buildings[r->building].overhead_w;
    return need;
}

static rack_cause cause_of(const dcsim_model *m, const rack *r, int64_t now)
{
    if (now > r->t_commissioned)
        return CAUSE_POWER;
    int64_t ready = m->act_finish[m->sc->buildings[r->building].activity];
    if (r->t_install_start > r->t_delivered)
        return r->t_install_start == ready ? CAUSE_BUILDING : CAUSE_INSTALL;
    return CAUSE_DELIVERY;
}

static void set_trigger(dcsim_model *m, const rack *r)
{
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    const dcsim_building *b = &m->sc->buildings[r->building];
    switch (r->cause) {
    case CAUSE_POWER:
        if (r->power_source < m->sc->n_sources) {
            model_set_trigger(m, "power", m->sc->sources[r->power_source].name);
            m->trigger_act = (int32_t)m->sc->sources[r->power_source].activity;
        } else {
            /* Demand fell instead (a cooler hour lowered PUE): no source to blame. */
            model_set_trigger(m, "power", "demand");
            m->trigger_act = -1;
        }
        break;
    case CAUSE_BUILDING:
        model_set_trigger(m, "building", b->name);
        m->trigger_act = (int32_t)b->activity;
        break;
    case CAUSE_INSTALL:
        /* The crew works only in a ready building: a backlog behind it is, upstream, the
         * building's (and whatever delayed it: a risk on its construction). */
        model_set_trigger(m, "install", b->name);
        m->trigger_act = (int32_t)b->activity;
        break;
    default:
        model_set_trigger(m, "delivery", dl->name);
        m->trigger_act = -1;
    }
}

/* Light rack ri (waiting or shed) at its site. */
static void light(dcsim_model *m, uint32_t ri, site_state *st)
{
    int64_t now = dcsim_engine_now(m->eng);
    rack *r = &m->racks[ri];
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    double peak = m->sc->rack_models[dl->rack_model].peak_w;
    ledger_rack_lit(m, ri, r->state != RACK_SHED);
    if (r->state == RACK_SHED) {
        st->n_shed--;
    } else {
        st->n_stranded--;
        r->t_energized = now;
        /* A rack that waited for power is blamed on the capacity that came last: when the
         * release was a transient recovery (a unit repaired, a curtailment over, a cooler
         * hour), the latest tranche at the site is still what it was waiting for. */
        r->power_source = m->power_is_capacity ? m->power_source : st->last_capacity;
        r->cause = (uint8_t)cause_of(m, r, now);
        set_trigger(m, r);
    }
    r->state = RACK_ENERGIZED;
    r->seq = m->next_seq++;
    m->bld_it_w[r->building] += peak;
    m->bld_energized[r->building]++;
    m->bld_model_lit[(size_t)r->building * m->sc->n_rack_models + dl->rack_model]++;
    st->pue_racks[dl->rack_model] += m->bld_pue[r->building];
    if (m->bld_energized[r->building] == 1)
        st->overhead_w += m->sc->buildings[r->building].overhead_w;
    st->it_w += peak;
    st->n_energized++;
    m->rack_epoch++;
    st->gpus_lit += m->sc->rack_models[dl->rack_model].gpus;
    m->gpus_energized += m->sc->rack_models[dl->rack_model].gpus;
    if (!rack_stack_push(&st->energized[dl->class_id], ri))
        m->out_of_memory = true;
    fleet_rack_lit(m, ri);
    m->workload_dirty = true;
}

static void shed(dcsim_model *m, uint32_t ri, site_state *st)
{
    rack *r = &m->racks[ri];
    const dcsim_delivery *dl = &m->sc->deliveries[r->delivery];
    double peak = m->sc->rack_models[dl->rack_model].peak_w;
    r->state = RACK_SHED;
    ledger_rack_dark(m, ri);
    m->bld_it_w[r->building] -= peak;
    if (--m->bld_energized[r->building] == 0)
        m->bld_it_w[r->building] = 0;  /* no drift left behind by + and - of the same values */
    m->bld_model_lit[(size_t)r->building * m->sc->n_rack_models + dl->rack_model]--;
    st->pue_racks[dl->rack_model] -= m->bld_pue[r->building];
    if (m->bld_energized[r->building] == 0)
        st->overhead_w -= m->sc->buildings[r->building].overhead_w;
    st->it_w -= peak;
    m->rack_epoch++;
    if (st->n_energized == 1)
        gate_reweigh(m);    /* the last lit rack goes: no rounding is left behind */
    st->n_energized--;
    st->n_shed++;
    st->gpus_lit -= m->sc->rack_models[dl->rack_model].gpus;
    m->gpus_energized -= m->sc->rack_models[dl->rack_model].gpus;
    if (!rack_stack_push(&st->shed, ri))
        m->out_of_memory = true;
    fleet_rack_dark(m, ri);
    m->workload_dirty = true;
}

/* The energized rack to shed next: the newest, or under shed-by-priority the newest of the
 * lowest-priority class that has any. */
static bool pick_victim(const dcsim_model *m, const site_state *st, bool by_priority,
                        uint32_t *out_class)
{
    bool found = false;
    double best_pri = 0;
    uint64_t best_seq = 0;
    for (uint32_t k = 0; k < m->sc->n_classes; k++) {
        const rack_stack *s = &st->energized[k];
        if (s->len == 0)
            continue;
        uint64_t seq = m->racks[s->buf[s->len - 1]].seq;
        double pri = m->sc->classes[k].priority;
        bool better = !found ||
                      (by_priority ? (pri < best_pri || (pri == best_pri && seq > best_seq))
                                   : seq > best_seq);
        if (better) {
            found = true;
            best_pri = pri;
            best_seq = seq;
            *out_class = k;
        }
    }
    return found;
}

/* Bring the site's demand down to `target` watts under `policy` (not battery-first). */
static void reduce(dcsim_model *m, uint32_t site, dcsim_policy policy, double target)
{
    site_state *st = &m->site[site];
    if (policy == DCSIM_POLICY_THROTTLE) {
        /* Demand is linear in the cap: D(c) = OH + c (D(1) - OH). */
        double oh = gate_demand(m, site, 0), d1 = gate_demand(m, site, 1);
        double c = d1 > oh ? (target - oh) / (d1 - oh) : 1;
        double floor_cap = m->sc->shortage.min_cap;
        st->cap = fmax(floor_cap, fmin(st->cap, c));
    }
    bool by_priority = policy == DCSIM_POLICY_SHED_PRIORITY;
    uint32_t k = 0;
    bool shed_any = false;
    while (gate_demand(m, site, st->cap) > target + GATE_EPS_W &&
           pick_victim(m, st, by_priority, &k)) {
        rack_stack *s = &st->energized[k];
        shed(m, s->buf[--s->len], st);
        shed_any = true;
    }
    if (policy == DCSIM_POLICY_THROTTLE && shed_any) {
        /* Racks shed at min_cap free more than the deficit by up to one rack: give the rest
         * back to the racks still lit, as recover() would at the very next balance. Without
         * this the cap depended on whether any other event (an hourly tick) came before the
         * supply returned. */
        double oh = gate_demand(m, site, 0), d1 = gate_demand(m, site, 1);
        double c = d1 > oh ? (target - oh) / (d1 - oh) : 1;
        st->cap = fmax(st->cap, fmin(1.0, c));
    }
}

/* Demand the gate commits to when it lights a rack: every lit rack at peak (the default; a
 * planner's firm commitment, so later load can never trip the campus), or at today's load
 * (energize_at: load: idle racks leave room for more). */
static double committed(const dcsim_model *m, uint32_t site)
{
    return gate_demand_at(m, site, 1, m->sc->energize_at_load ? m->site[site].util : 1.0);
}

/* The lit racks building b may hold: all its positions, less the share risks took. */
static uint32_t bld_allow(const dcsim_model *m, uint32_t b)
{
    uint32_t all = m->sc->buildings[b].rack_positions;
    if (!m->bld_lost || m->bld_lost[b] <= 0)
        return all;
    double keep = m->bld_lost[b] < 1 ? 1 - m->bld_lost[b] : 0;
    return (uint32_t)floor(keep * all + 1e-9);
}

/* Whether building b can hold one more lit rack. */
static bool bld_room(const dcsim_model *m, uint32_t b)
{
    return m->bld_energized[b] < bld_allow(m, b);
}

/* Rack ri cannot be lit in its building now: it waits there for the capacity to return. */
static void hold(dcsim_model *m, uint32_t ri)
{
    if (!rack_stack_push(&m->bld_held[m->racks[ri].building], ri))
        m->out_of_memory = true;
}

void gate_building_changed(dcsim_model *m, uint32_t b)
{
    uint32_t site = m->sc->buildings[b].site;
    site_state *st = &m->site[site];
    model_touch(m);
    /* Capacity back (all or part): every waiting rack goes back where it came from, lit
     * ones to the shed stack (they come back first), never-lit ones to the gate's queue; the
     * balance below lights what fits and holds the rest again. */
    rack_stack *held = &m->bld_held[b];
    while (held->len > 0) {
        uint32_t ri = held->buf[--held->len];
        if (m->racks[ri].state != RACK_SHED)
            rack_queue_push(&st->gate_q, ri);   /* it came out of the queue: there is room */
        else if (!rack_stack_push(&st->shed, ri))
            m->out_of_memory = true;
    }
    /* Capacity lost: the newest lit racks of the building go dark until it returns. */
    while (m->bld_energized[b] > bld_allow(m, b)) {
        long best_k = -1;
        uint32_t best_i = 0;
        for (uint32_t k = 0; k < m->sc->n_classes; k++) {
            const rack_stack *s = &st->energized[k];
            for (uint32_t i = s->len; i-- > 0;)
                if (m->racks[s->buf[i]].building == b) {
                    if (best_k < 0 || m->racks[s->buf[i]].seq >
                                          m->racks[st->energized[best_k].buf[best_i]].seq)
                        best_k = k, best_i = i;
                    break;      /* the newest of this class in b: stacks grow by seq */
                }
        }
        if (best_k < 0)
            break;
        rack_stack *s = &st->energized[best_k];
        uint32_t ri = s->buf[best_i];
        memmove(&s->buf[best_i], &s->buf[best_i + 1], (s->len - best_i - 1) * sizeof *s->buf);
        s->len--;
        shed(m, ri, st);
        st->shed.len--;             /* shed() put it on the site's shed stack: it waits here */
        hold(m, ri);
    }
    m->power_source = UINT32_MAX;
    gate_balance(m, site);
}

/* Raise the cap, restore shed racks, then energize waiting ones, while the budget allows. */
static void recover(dcsim_model *m, uint32_t site, double budget)
{
    site_state *st = &m->site[site];
    if (st->cap < 1) {
        double oh = gate_demand(m, site, 0), d1 = gate_demand(m, site, 1);
        double c = d1 > oh ? (budget - oh) / (d1 - oh) : 1;
        st->cap = fmax(st->cap, fmin(1.0, c));
        if (st->cap < 1 - 1e-12)
            return;         /* still throttled: nothing new may be lit */
        st->cap = 1;
    }
    while (st->shed.len > 0) {
        uint32_t ri = st->shed.buf[st->shed.len - 1];
        if (!bld_room(m, m->racks[ri].building)) {
            st->shed.len--;
            hold(m, ri);    /* its building lost capacity: it waits there */
            continue;
        }
        if (committed(m, site) + rack_need_w(m, ri) > budget + GATE_EPS_W)
            return;         /* shed racks come back before any new rack is lit */
        st->shed.len--;
        light(m, ri, st);
    }
    while (st->gate_q.len > 0) {
        uint32_t ri = rack_queue_peek(&st->gate_q);
        if (!bld_room(m, m->racks[ri].building)) {
            rack_queue_pop(&st->gate_q);
            hold(m, ri);
            continue;
        }
        if (committed(m, site) + rack_need_w(m, ri) > budget + GATE_EPS_W)
            break;          /* the rest stay stranded until supply rises */
        rack_queue_pop(&st->gate_q);
        light(m, ri, st);
    }
}

double gate_it_w(const dcsim_model *m, uint32_t site)
{
    double w = 0, u = m->site[site].util;
    for (uint32_t b = 0; b < m->sc->n_buildings; b++)
        if (m->sc->buildings[b].site == site && m->bld_energized[b])
            w += building_it_w(m, b, u, NULL);
    return w * m->site[site].cap;
}

void gate_balance(dcsim_model *m, uint32_t site)
{
    const dcsim_shortage *sh = &m->sc->shortage;
    site_state *st = &m->site[site];
    double cap_before = st->cap;
    storage_settle(m);
    model_touch(m);
    double supply = st->supply_w;
    double demand = gate_demand(m, site, st->cap);
    if (demand > supply + GATE_EPS_W) {
        /* A shortage: batteries carry what they can (battery-first), the policy the rest. */
        bool batteries = sh->policy == DCSIM_POLICY_BATTERY_FIRST;
        dcsim_policy policy = batteries ? sh->then : sh->policy;
        double target = supply + (batteries ? storage_available_w(m, site) : 0);
        if (demand > target + GATE_EPS_W)
            reduce(m, site, policy, target);
        demand = gate_demand(m, site, st->cap);
        /* Shedding whole racks can leave demand below supply: that spare charges the
         * batteries now, as it would after any later balance (an hourly tick) anyway. */
        storage_dispatch(m, site, fmax(0, demand - supply), fmax(0, supply - demand));
    } else {
        recover(m, site, supply * (1.0 - m->sc->reserve));
        demand = gate_demand(m, site, st->cap);
        storage_dispatch(m, site, 0, fmax(0, supply - demand));
    }
    double facility = gate_demand(m, site, st->cap);
    if (facility != st->facility_w) {
        st->facility_w = facility;
        ledger_load_changed(m, site);
    }
    /* A new power cap changes how fast jobs run: let the workload re-rate them now. */
    if (st->cap != cap_before)
        m->workload_dirty = true;
    uint32_t stranded = 0;
    for (uint32_t s = 0; s < m->sc->n_sites; s++)
        stranded += m->site[s].n_stranded;
    if (stranded > m->peak_stranded)
        m->peak_stranded = stranded;
}

void gate_balance_all(dcsim_model *m)
{
    for (uint32_t s = 0; s < m->sc->n_sites; s++)
        gate_balance(m, s);
}

void gate_offer(dcsim_model *m, uint32_t ri)
{
    rack *r = &m->racks[ri];
    uint32_t site = m->sc->buildings[r->building].site;
    r->state = RACK_STRANDED;
    m->site[site].n_stranded++;
    ledger_rack_stranded(m, ri);
    rack_queue_push(&m->site[site].gate_q, ri);
    /* A rack that can be lit at once is not waiting for power; no source is involved. */
    m->power_source = UINT32_MAX;
    gate_balance(m, site);
}

double gate_metric(const dcsim_model *m, dcsim_metric metric)
{
    double v = 0;
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        const site_state *st = &m->site[s];
        switch (metric) {
        case DCSIM_METRIC_IT_ENERGIZED_MW:
            v += st->it_w / 1e6;
            break;
        case DCSIM_METRIC_FACILITY_MW:
            v += st->facility_w / 1e6;
            break;
        case DCSIM_METRIC_SUPPLY_MW:
            v += st->supply_w / 1e6;
            break;
        case DCSIM_METRIC_RACKS_ENERGIZED:
            v += st->n_energized;
            break;
        default:
            break;
        }
    }
    switch (metric) {
    case DCSIM_METRIC_GPUS_ENERGIZED:
        return (double)m->gpus_energized;
    case DCSIM_METRIC_RACKS_DELIVERED:
        return m->n_delivered;
    case DCSIM_METRIC_RACKS_INSTALLED:
        return m->n_installed;
    default:
        return v;
    }
}
