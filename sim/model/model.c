/* The model of one program of campuses: creation (every array sized from the scenario,
 * every random element given its own stream), the event dispatcher, and the small FIFO and
 * LIFO containers used by install crews, the gate and the shed order. */
#include "model/model.h"
#include "model/weather.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"

bool rack_queue_init(rack_queue *q, uint32_t cap)
{
    q->buf = malloc(((size_t)cap + 1) * sizeof *q->buf);
    q->cap = cap + 1;
    q->head = q->len = 0;
    return q->buf != NULL;
}

void rack_queue_fini(rack_queue *q)
{
    free(q->buf);
    q->buf = NULL;
}

void rack_queue_push(rack_queue *q, uint32_t r)
{
    DCSIM_ASSERT(q->len < q->cap);
    q->buf[(q->head + q->len) % q->cap] = r;
    q->len++;
}

uint32_t rack_queue_peek(const rack_queue *q)
{
    DCSIM_ASSERT(q->len > 0);
    return q->buf[q->head];
}

uint32_t rack_queue_pop(rack_queue *q)
{
    uint32_t r = rack_queue_peek(q);
    q->head = (q->head + 1) % q->cap;
    q->len--;
    return r;
}

bool rack_stack_push(rack_stack *s, uint32_t r)
{
    if (s->len == s->cap) {
        uint32_t cap = s->cap ? 2 * s->cap : 64;
        uint32_t *b = realloc(s->buf, (size_t)cap * sizeof *b);
        if (!b)
            return false;
        s->buf = b;
        s->cap = cap;
    }
    s->buf[s->len++] = r;
    return true;
}

void rack_stack_fini(rack_stack *s)
{
    free(s->buf);
    s->buf = NULL;
    s->len = s->cap = 0;
}

void model_schedule(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target)
{
    model_schedule_aux(m, t, kind, target, 0);
}

void model_schedule_aux(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target,
                        uint32_t aux)
{
    if (dcsim_engine_schedule_aux(m->eng, t, kind, target, aux) != DCSIM_OK) {
        /* The run cannot be trusted past this point: stop and let the caller report it. */
        m->out_of_memory = true;
        dcsim_engine_stop(m->eng);
    }
}

int64_t model_draw_s(const dcsim_dist *d, gsl_rng *r)
{
    double x = dcsim_dist_draw(d, r);
    if (x > (double)DCSIM_DURATION_MAX_S)
        x = (double)DCSIM_DURATION_MAX_S;   /* a heavy tail may not overflow the clock */
    return (int64_t)(x + 0.5);
}

int64_t model_draw_el(const dcsim_model *m, int kind, uint32_t index, const dcsim_dist *d,
                      gsl_rng *r)
{
    if ((m->fix_kind == kind && m->fix_index == index) ||
        (m->fix_all && kind != DCSIM_DRIVER_RISK)) {
        double x = dcsim_dist_mean(d);
        if (!(x < (double)DCSIM_DURATION_MAX_S))
            x = (double)DCSIM_DURATION_MAX_S;
        return (int64_t)(x + 0.5);
    }
    return model_draw_s(d, r);
}

/* A count as a double. Counts stay far below 2^63, and from a signed integer the conversion is
 * one instruction where from an unsigned 64-bit one it is a dozen: model_touch runs at every
 * state change. */
static inline double u2d(uint64_t x)
{
    return (double)(int64_t)x;
}

void model_touch(dcsim_model *m)
{
    int64_t now = dcsim_engine_now(m->eng);
    double dt = (double)(now - m->last_change);
    if (dt <= 0)
        return;
    uint32_t stranded = 0, shed = 0;
    bool ledger_due = false;
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        site_state *st = &m->site[s];
        /* The ledger's dispatch holds while the site's load, supply and prices do: its time
         * is added here, and anything more (a new split, a power cap) is ledger_touch's. */
        if (st->led_epoch == st->led_seen && st->cap >= 1)
            st->led_pending_s += dt;
        else
            ledger_due = true;
        stranded += st->n_stranded;
        shed += st->n_shed;
        m->throttle_it_j += st->it_w * (1.0 - st->cap) * dt;
        double lit = u2d(st->gpus_lit), down = u2d(st->gpus_down), busy = u2d(st->gpus_busy);
        m->gpu_lit_s += lit * dt;
        m->facility_j += st->facility_w * dt;
        m->supplied_j += (st->facility_w - st->battery_w) * dt;
        m->gpu_down_s += down * dt;
        m->gpu_busy_s += busy * dt;
        m->gpu_stuck_s += u2d(st->gpus_stuck) * dt;
        double idle = lit - down - busy - u2d(st->gpus_held);
        m->gpu_idle_s += (idle > 0 ? idle : 0) * dt;
    }
    for (uint32_t k = 0; k < m->n_storage; k++) {
        uint32_t s = m->storage_ids[k];
        const dcsim_source *src = &m->sc->sources[s];
        if (m->batt_w[s] == 0)
            continue;
        double flow = m->batt_w[s] * dt;     /* + delivered to the load, - drawn to charge */
        if (flow < 0)
            m->battery_in_j -= flow;
        m->battery_loss_j += flow < 0 ? -flow * (1 - src->charge_eff)
                                      : flow * (1 / src->discharge_eff - 1);
    }
    double unserved = m->inference_want - m->inference_busy;
    m->inference_served_s += m->inference_busy * dt;
    m->inference_unserved_s += (unserved > 0 ? unserved : 0) * dt;
    m->stranded_rack_s += stranded * dt;
    m->shed_rack_s += shed * dt;
    m->unit_up_s += (double)(m->units_online - m->units_down) * dt;
    m->unit_online_s += (double)m->units_online * dt;
    m->last_change = now;
    if (ledger_due)
        ledger_touch(m, dt);    /* rare, and last: a tail call, so that this stays a leaf */
}

const char *model_trigger(const dcsim_model *m, char *buf, size_t n)
{
    if (!m->trigger_kind)
        snprintf(buf, n, "%s", "");
    else if (m->trigger_name)
        snprintf(buf, n, "%s:%s", m->trigger_kind, m->trigger_name);
    else
        snprintf(buf, n, "%s", m->trigger_kind);
    return buf;
}

void model_stream_name(char *buf, size_t n, const char *kind, const char *name, long k)
{
    if (name && k >= 0)
        snprintf(buf, n, "%s/%s/%ld", kind, name, k);
    else if (name)
        snprintf(buf, n, "%s/%s", kind, name);
    else
        snprintf(buf, n, "%s/%ld", kind, k);
}

gsl_rng *model_stream(const dcsim_model *m, const char *kind, const char *name, long k)
{
    char full[256];
    model_stream_name(full, sizeof full, kind, name, k);
    return dcsim_stream_alloc(m->sc->seed, m->replication, full);
}

void model_free_streams(gsl_rng **r, uint32_t n)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < n; i++)
        if (r[i])
            gsl_rng_free(r[i]);
    free(r);
}

static bool make_streams(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    m->act_rng = calloc(sc->n_activities + 1, sizeof *m->act_rng);
    m->tranche_rng = calloc(sc->n_tranches + 1, sizeof *m->tranche_rng);
    m->curt_rng = calloc(sc->n_sources + 1, sizeof *m->curt_rng);
    m->slip_rng = calloc(sc->n_deliveries + 1, sizeof *m->slip_rng);
    m->comm_rng = calloc(sc->n_deliveries + 1, sizeof *m->comm_rng);
    if (!m->act_rng || !m->tranche_rng || !m->curt_rng || !m->slip_rng || !m->comm_rng)
        return false;
    for (uint32_t i = 0; i < sc->n_activities; i++)
        if (!(m->act_rng[i] = model_stream(m, "activity", sc->activities[i].name, -1)))
            return false;
    for (uint32_t i = 0; i < sc->n_tranches; i++) {
        const dcsim_source *s = &sc->sources[sc->tranches[i].source];
        if (!(m->tranche_rng[i] = model_stream(m, "tranche", s->name, i - s->first_tranche)))
            return false;
    }
    for (uint32_t i = 0; i < sc->n_sources; i++)
        if (sc->sources[i].curtailment.enabled &&
            !(m->curt_rng[i] = model_stream(m, "curtailment", sc->sources[i].name, -1)))
            return false;
    for (uint32_t i = 0; i < sc->n_deliveries; i++)
        if (!(m->slip_rng[i] = model_stream(m, "delivery-slip", sc->deliveries[i].name, -1)) ||
            !(m->comm_rng[i] = model_stream(m, "commissioning", sc->deliveries[i].name, -1)))
            return false;
    return true;
}

/* Reverse edges (who waits for activity i), as compressed rows over deps or needs. */
static bool reverse(const dcsim_scenario *sc, bool needs, uint32_t **first, uint32_t **list)
{
    uint32_t na = sc->n_activities;
    size_t n_edges = 0;
    for (uint32_t i = 0; i < na; i++)
        n_edges += needs ? sc->activities[i].n_needs : sc->activities[i].n_deps;
    *first = calloc(na + 2, sizeof **first);
    *list = calloc(n_edges + 1, sizeof **list);
    uint32_t *fill = calloc(na + 1, sizeof *fill);
    if (!*first || !*list || !fill) {
        free(fill);
        return false;
    }
    for (uint32_t i = 0; i < na; i++) {
        const dcsim_activity *a = &sc->activities[i];
        const uint32_t *e = needs ? a->needs : a->deps;
        uint32_t n = needs ? a->n_needs : a->n_deps;
        for (uint32_t k = 0; k < n; k++)
            (*first)[e[k] + 1]++;
    }
    for (uint32_t i = 0; i < na; i++)
        (*first)[i + 1] += (*first)[i];
    for (uint32_t i = 0; i < na; i++) {
        const dcsim_activity *a = &sc->activities[i];
        const uint32_t *e = needs ? a->needs : a->deps;
        uint32_t n = needs ? a->n_needs : a->n_deps;
        for (uint32_t k = 0; k < n; k++)
            (*list)[(*first)[e[k]] + fill[e[k]]++] = i;
    }
    free(fill);
    return true;
}

static bool make_sites(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    m->site = calloc(sc->n_sites + 1, sizeof *m->site);
    m->site_ambient_c = calloc(sc->n_sites + 1, sizeof *m->site_ambient_c);
    m->site_daily_cos = calloc((size_t)sc->n_sites * 24 + 1, sizeof *m->site_daily_cos);
    m->wx_clock = calloc(1, sizeof *m->wx_clock);
    if (!m->site || !m->site_ambient_c || !m->site_daily_cos || !m->wx_clock)
        return false;
    m->wx_clock->jan1 = m->wx_clock->next_jan1 = INT64_MIN;     /* no year yet */
    for (uint32_t s = 0; s < sc->n_sites; s++)
        if (sc->sites[s].weather.kind == DCSIM_WEATHER_SEASONAL)
            weather_daily_table(&sc->sites[s].weather, &m->site_daily_cos[(size_t)s * 24]);
    for (uint32_t s = 0; s < sc->n_sites; s++) {
        site_state *st = &m->site[s];
        st->cap = 1.0;
        st->batt_next = -1;
        st->last_capacity = UINT32_MAX;
        st->util = 1.0;         /* without a workload racks draw peak */
        st->energized = calloc(sc->n_classes + 1, sizeof *st->energized);
        st->pue_racks = calloc(sc->n_rack_models + 1, sizeof *st->pue_racks);
        if (!st->pue_racks)
            return false;
        /* Any rack may end up at any site through a pool, so the queue can hold them all. */
        if (!st->energized || !rack_queue_init(&st->gate_q, sc->n_racks))
            return false;
    }
    return true;
}

static bool make_buildings(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t nb = sc->n_buildings;
    m->bld_pue = calloc(nb + 1, sizeof *m->bld_pue);
    m->bld_it_w = calloc(nb + 1, sizeof *m->bld_it_w);
    m->bld_energized = calloc(nb + 1, sizeof *m->bld_energized);
    m->bld_assigned = calloc(nb + 1, sizeof *m->bld_assigned);
    m->bld_reserved = calloc(nb + 1, sizeof *m->bld_reserved);
    m->bld_assigned_w = calloc(nb + 1, sizeof *m->bld_assigned_w);
    m->bld_pue_table = calloc(nb + 1, sizeof *m->bld_pue_table);
    m->bld_ready = calloc(nb + 1, sizeof *m->bld_ready);
    m->crew_busy = calloc(nb + 1, sizeof *m->crew_busy);
    m->install_q = calloc(nb + 1, sizeof *m->install_q);
    m->bld_model_lit = calloc((size_t)nb * sc->n_rack_models + 1, sizeof *m->bld_model_lit);
    m->bld_pue_as = calloc(nb + 1, sizeof *m->bld_pue_as);
    if (!m->bld_pue || !m->bld_it_w || !m->bld_energized || !m->bld_assigned ||
        !m->bld_reserved || !m->bld_assigned_w ||
        !m->bld_pue_table || !m->bld_ready || !m->crew_busy || !m->install_q ||
        !m->bld_model_lit || !m->bld_pue_as)
        return false;
    /* Buildings of a site with the same PUE table have the same PUE every hour: the hourly
     * tick reads it once (Abilene's eight halls share one table). */
    for (uint32_t b = 0; b < nb; b++) {
        const dcsim_building *bd = &sc->buildings[b];
        m->bld_pue_as[b] = b;
        for (uint32_t a = 0; a < b && m->bld_pue_as[b] == b; a++) {
            const dcsim_building *ad = &sc->buildings[a];
            if (ad->site == bd->site && ad->n_pue && ad->n_pue == bd->n_pue &&
                memcmp(ad->pue_ambient_c, bd->pue_ambient_c, bd->n_pue * sizeof(double)) == 0 &&
                memcmp(ad->pue_value, bd->pue_value, bd->n_pue * sizeof(double)) == 0)
                m->bld_pue_as[b] = a;
        }
    }
    /* Pools may not take the positions that single-building deliveries were promised. */
    for (uint32_t i = 0; i < sc->n_deliveries; i++)
        if (sc->deliveries[i].n_buildings == 1)
            m->bld_reserved[sc->deliveries[i].buildings[0]] += sc->deliveries[i].total;
    for (uint32_t b = 0; b < nb; b++) {
        const dcsim_building *bd = &sc->buildings[b];
        m->bld_pue[b] = bd->pue;
        if (!rack_queue_init(&m->install_q[b], bd->rack_positions))
            return false;
        if (bd->n_pue && dcsim_table_init(&m->bld_pue_table[b], bd->pue_ambient_c, bd->pue_value,
                                          bd->n_pue, NULL, 0) != DCSIM_OK)
            return false;   /* the loader checked the table; only memory can fail here */
    }
    m->rack_curve = calloc(sc->n_rack_models + 1, sizeof *m->rack_curve);
    if (!m->rack_curve)
        return false;
    for (uint32_t k = 0; k < sc->n_rack_models; k++) {
        const dcsim_rack_model *rm = &sc->rack_models[k];
        if (rm->curve == DCSIM_CURVE_TABLE &&
            dcsim_table_init(&m->rack_curve[k], rm->curve_u, rm->curve_f, rm->n_curve, NULL,
                             0) != DCSIM_OK)
            return false;
    }
    return dcsim_table_init(&m->perf, sc->shortage.perf_cap, sc->shortage.perf_value,
                            sc->shortage.n_perf, NULL, 0) == DCSIM_OK;
}

dcsim_model *model_create(const dcsim_scenario *sc, uint64_t replication, dcsim_engine *eng,
                          dcsim_eventlog *log)
{
    dcsim_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->sc = sc;
    m->replication = replication;
    m->eng = eng;
    m->log = log;
    m->trigger_act = -1;
    m->power_source = UINT32_MAX;
    m->fix_kind = -1;

    uint32_t na = sc->n_activities, ns = sc->n_sources, nd = sc->n_deliveries;
    m->act_unmet = calloc(na + 1, sizeof *m->act_unmet);
    m->act_needs_unmet = calloc(na + 1, sizeof *m->act_needs_unmet);
    m->act_work_done = calloc(na + 1, sizeof *m->act_work_done);
    m->act_failed = calloc(na + 1, sizeof *m->act_failed);
    m->act_start = malloc((na + 1) * sizeof *m->act_start);
    m->act_finish = malloc((na + 1) * sizeof *m->act_finish);
    m->act_last = malloc((na + 1) * sizeof *m->act_last);
    m->src_online_w = calloc(ns + 1, sizeof *m->src_online_w);
    m->src_down_w = calloc(ns + 1, sizeof *m->src_down_w);
    m->src_curtailed = calloc(ns + 1, sizeof *m->src_curtailed);
    m->src_cf = calloc(ns + 1, sizeof *m->src_cf);
    m->soc_j = calloc(ns + 1, sizeof *m->soc_j);
    m->batt_w = calloc(ns + 1, sizeof *m->batt_w);
    m->storage_ids = malloc((ns + 1) * sizeof *m->storage_ids);
    if (m->storage_ids)
        for (uint32_t s = 0; s < ns; s++)
            if (sc->sources[s].type == DCSIM_SOURCE_STORAGE)
                m->storage_ids[m->n_storage++] = s;
    m->unit_state = calloc(sc->n_tranches + 1, sizeof *m->unit_state);
    m->dl_next = calloc(nd + 1, sizeof *m->dl_next);
    m->dl_first_rack = calloc(nd + 1, sizeof *m->dl_first_rack);
    m->dl_t0 = calloc(nd + 1, sizeof *m->dl_t0);
    m->racks = calloc((size_t)sc->n_racks + 1, sizeof *m->racks);
    bool ok = m->act_unmet && m->act_needs_unmet && m->act_work_done && m->act_failed &&
              m->act_start && m->act_finish && m->act_last && m->src_online_w &&
              m->src_down_w && m->src_curtailed && m->src_cf && m->soc_j && m->batt_w &&
              m->storage_ids && m->unit_state && m->dl_next && m->dl_first_rack && m->dl_t0 &&
              m->racks &&
              make_streams(m) && reverse(sc, false, &m->dep_first, &m->dep_list) &&
              reverse(sc, true, &m->need_first, &m->need_list) && make_sites(m) &&
              make_buildings(m) && fleet_create(m) && workload_create(m) && risk_create(m) &&
              ledger_create(m);
    if (!ok) {
        model_destroy(m);
        return NULL;
    }
    for (uint32_t i = 0; i < na; i++) {
        m->act_unmet[i] = sc->activities[i].n_deps;
        m->act_needs_unmet[i] = sc->activities[i].n_needs;
        m->act_start[i] = m->act_finish[i] = -1;
        m->act_last[i] = -1;
    }
    /* Racks are numbered delivery by delivery, so each delivery's racks are contiguous. */
    uint32_t next = 0;
    for (uint32_t i = 0; i < nd; i++) {
        m->dl_first_rack[i] = next;
        for (uint32_t k = 0; k < sc->deliveries[i].total; k++) {
            rack *r = &m->racks[next + k];
            r->delivery = i;
            r->building = UINT32_MAX;
            r->state = RACK_ORDERED;
            r->t_delivered = r->t_install_start = r->t_commissioned = r->t_energized = -1;
        }
        next += sc->deliveries[i].total;
    }
    return m;
}

void model_destroy(dcsim_model *m)
{
    if (!m)
        return;
    const dcsim_scenario *sc = m->sc;
    fleet_destroy(m);
    risk_destroy(m);
    ledger_destroy(m);
    workload_destroy(m);
    model_free_streams(m->act_rng, sc->n_activities);
    model_free_streams(m->tranche_rng, sc->n_tranches);
    model_free_streams(m->curt_rng, sc->n_sources);
    model_free_streams(m->slip_rng, sc->n_deliveries);
    model_free_streams(m->comm_rng, sc->n_deliveries);
    if (m->install_q)
        for (uint32_t b = 0; b < sc->n_buildings; b++)
            rack_queue_fini(&m->install_q[b]);
    if (m->bld_pue_table)
        for (uint32_t b = 0; b < sc->n_buildings; b++)
            dcsim_table_fini(&m->bld_pue_table[b]);
    dcsim_table_fini(&m->perf);
    if (m->rack_curve)
        for (uint32_t k = 0; k < sc->n_rack_models; k++)
            dcsim_table_fini(&m->rack_curve[k]);
    free(m->rack_curve);
    if (m->site)
        for (uint32_t s = 0; s < sc->n_sites; s++) {
            site_state *st = &m->site[s];
            rack_queue_fini(&st->gate_q);
            rack_stack_fini(&st->shed);
            if (st->energized)
                for (uint32_t k = 0; k < sc->n_classes; k++)
                    rack_stack_fini(&st->energized[k]);
            free(st->energized);
            free(st->pue_racks);
        }
    void *arrays[] = {m->act_unmet, m->act_needs_unmet, m->act_work_done, m->act_failed,
                      m->dep_first, m->dep_list, m->need_first, m->need_list, m->act_start,
                      m->act_finish, m->act_last, m->src_online_w, m->src_down_w,
                      m->src_curtailed, m->src_cf, m->unit_state, m->soc_j, m->batt_w,
                      m->storage_ids,
                      m->site, m->bld_pue, m->bld_it_w, m->bld_energized, m->bld_assigned, m->bld_reserved, m->bld_assigned_w,
                      m->bld_pue_table, m->bld_ready, m->crew_busy, m->install_q,
                      m->site_ambient_c, m->site_daily_cos, m->wx_clock, m->bld_pue_as,
                      m->bld_model_lit, m->dl_next, m->dl_first_rack, m->dl_t0, m->racks};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        free(arrays[i]);
    free(m);
}

void model_begin(dcsim_model *m)
{
    ledger_begin(m);
    power_begin(m);
    risk_begin(m);
    activity_begin(m);
    supply_begin(m);
    fleet_begin(m);
    workload_begin(m);
}

/* After an event: while racks were lit or switched off, re-allocate GPUs (which moves
 * utilization, so demand, so possibly the gate again). Bounded: each pass only reacts to the
 * last. */
static void settle(dcsim_model *m)
{
    for (int pass = 0; pass < 4 && m->workload_dirty; pass++) {
        m->workload_dirty = false;
        workload_update(m);
    }
}

void model_handle(dcsim_model *m, const dcsim_event *ev)
{
    fleet_prefetch(m, dcsim_engine_peek(m->eng));
    model_dispatch(m, ev);
    settle(m);
}

void model_dispatch(dcsim_model *m, const dcsim_event *ev)
{
    switch (ev->kind) {
    case EV_ACT_START:
        activity_start(m, ev->target);
        break;
    case EV_ACT_DONE:
        activity_work_done_at(m, ev->target, ev->time);
        break;
    case EV_RISK:
        risk_fire(m, ev->target);
        break;
    case EV_RISK_END:
        risk_end(m, ev->target);
        break;
    case EV_TRANCHE:
        power_tranche_online(m, ev->target);
        break;
    case EV_ARRIVE:
        supply_arrive(m, ev->target);
        break;
    case EV_INSTALL_DONE:
        supply_install_done(m, ev->target);
        break;
    case EV_COMMISSIONED:
        supply_commissioned(m, ev->target);
        break;
    case EV_UNIT_FAIL:
        power_unit_fail(m, ev->target);
        break;
    case EV_UNIT_REPAIR:
        power_unit_repair(m, ev->target);
        break;
    case EV_CURTAIL_DAY:
        power_curtail_day(m, ev->target);
        break;
    case EV_CURTAIL_START:
        power_curtail_start(m, ev->target);
        break;
    case EV_CURTAIL_END:
        power_curtail_end(m, ev->target);
        break;
    case EV_HOUR:
        power_hour(m);
        break;
    case EV_BATTERY:
        /* Only the latest battery forecast counts; earlier ones were superseded. */
        if (m->site[ev->target].batt_next == ev->time) {
            m->site[ev->target].batt_next = -1;
            m->power_source = UINT32_MAX;
            gate_balance(m, ev->target);
        }
        break;
    case EV_RACK_FAIL:
        fleet_rack_fail(m, ev->target, ev->time);
        break;
    case EV_REPAIR:
    case EV_RELEASE:
        fleet_hold_done(m, ev->target);
        break;
    case EV_SWITCH_FAIL:
        fleet_switch_fail(m, ev->target);
        break;
    case EV_FLEET_STEP:
        fleet_step(m);
        break;
    case EV_FLEET_HIT:
        fleet_hit_due(m, ev->target);
        break;
    case EV_JOB:
        workload_job_event(m, ev->target);
        break;
    case EV_MARK:
        ledger_mark(m, ev->target);
        break;
    case EV_WORKLOAD_TICK:
        workload_tick(m);
        break;
    default:
        DCSIM_ASSERT_SIM(0 && "unknown event kind", ev->time, m->sc->seed);
    }
}
