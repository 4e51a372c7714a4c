/* The model of one campus: creation (every array sized from the scenario, every random
 * element given its own stream), the event dispatcher, and the small FIFO used by install
 * crews and the power gate. */
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rng.h"

bool rack_queue_init(rack_queue *q, uint32_t cap)
{
    q->buf = malloc(((size_t)cap + 1) * sizeof *q->buf);
    q->cap = cap;
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

void model_schedule(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target)
{
    if (dcsim_engine_schedule(m->eng, t, kind, target) != DCSIM_OK) {
        /* The run cannot be trusted past this point: stop and let the caller report it. */
        m->out_of_memory = true;
        dcsim_engine_stop(m->eng);
    }
}

void model_touch(dcsim_model *m)
{
    int64_t now = dcsim_engine_now(m->eng);
    m->stranded_rack_s += (double)m->n_stranded * (double)(now - m->last_change);
    m->last_change = now;
}

/* One stream per random element, named so that adding or changing another element never
 * moves this one's draws (common random numbers). */
static gsl_rng **streams(const dcsim_model *m, uint32_t n, const char *prefix,
                         const char *(*name_of)(const dcsim_scenario *, uint32_t))
{
    gsl_rng **r = calloc((size_t)n + 1, sizeof *r);
    if (!r)
        return NULL;
    for (uint32_t i = 0; i < n; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s/%s", prefix, name_of(m->sc, i));
        r[i] = dcsim_stream_alloc(m->sc->seed, m->replication, name);
        if (!r[i]) {
            for (uint32_t k = 0; k < i; k++)
                gsl_rng_free(r[k]);
            free(r);
            return NULL;
        }
    }
    return r;
}

static void free_streams(gsl_rng **r, uint32_t n)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < n; i++)
        gsl_rng_free(r[i]);
    free(r);
}

static const char *act_name(const dcsim_scenario *sc, uint32_t i)
{
    return sc->activities[i].name;
}

static const char *delivery_name(const dcsim_scenario *sc, uint32_t i)
{
    return sc->deliveries[i].name;
}

static gsl_rng **tranche_streams(const dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    gsl_rng **r = calloc((size_t)sc->n_tranches + 1, sizeof *r);
    if (!r)
        return NULL;
    for (uint32_t i = 0; i < sc->n_tranches; i++) {
        const dcsim_source *s = &sc->sources[sc->tranches[i].source];
        char name[256];
        snprintf(name, sizeof name, "tranche/%s/%u", s->name, i - s->first_tranche);
        r[i] = dcsim_stream_alloc(sc->seed, m->replication, name);
        if (!r[i]) {
            free_streams(r, i);
            return NULL;
        }
    }
    return r;
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

    uint32_t na = sc->n_activities, nb = sc->n_buildings, nd = sc->n_deliveries;
    size_t n_edges = 0;
    for (uint32_t i = 0; i < na; i++)
        n_edges += sc->activities[i].n_deps;

    m->act_rng = streams(m, na, "activity", act_name);
    m->act_unmet = calloc(na + 1, sizeof *m->act_unmet);
    m->dep_first = calloc(na + 2, sizeof *m->dep_first);
    m->dep_list = calloc(n_edges + 1, sizeof *m->dep_list);
    m->act_start = malloc((na + 1) * sizeof *m->act_start);
    m->act_finish = malloc((na + 1) * sizeof *m->act_finish);
    m->act_last = malloc((na + 1) * sizeof *m->act_last);
    m->tranche_rng = tranche_streams(m);
    m->source_online_w = calloc(sc->n_sources + 1, sizeof *m->source_online_w);
    m->bld_ready = calloc(nb + 1, sizeof *m->bld_ready);
    m->crew_busy = calloc(nb + 1, sizeof *m->crew_busy);
    m->crew_free_at = calloc(nb + 1, sizeof *m->crew_free_at);
    m->install_q = calloc(nb + 1, sizeof *m->install_q);
    m->slip_rng = streams(m, nd, "delivery-slip", delivery_name);
    m->comm_rng = streams(m, nd, "commissioning", delivery_name);
    m->dl_next = calloc(nd + 1, sizeof *m->dl_next);
    m->dl_first_rack = calloc(nd + 1, sizeof *m->dl_first_rack);
    m->dl_t0 = calloc(nd + 1, sizeof *m->dl_t0);
    m->racks = calloc((size_t)sc->n_racks + 1, sizeof *m->racks);
    bool ok = m->act_rng && m->act_unmet && m->dep_first && m->dep_list && m->act_start &&
              m->act_finish && m->act_last && m->tranche_rng && m->source_online_w &&
              m->bld_ready && m->crew_busy && m->crew_free_at && m->install_q && m->slip_rng &&
              m->comm_rng && m->dl_next && m->dl_first_rack && m->dl_t0 && m->racks &&
              rack_queue_init(&m->gate_q, sc->n_racks + 1);
    if (!ok) {
        model_destroy(m);
        return NULL;
    }

    /* Reverse edges (who waits for activity i), as compressed rows. */
    for (uint32_t i = 0; i < na; i++) {
        const dcsim_activity *a = &sc->activities[i];
        m->act_unmet[i] = a->n_deps;
        for (uint32_t k = 0; k < a->n_deps; k++)
            m->dep_first[a->deps[k] + 1]++;
        m->act_start[i] = m->act_finish[i] = -1;
        m->act_last[i] = -1;
    }
    for (uint32_t i = 0; i < na; i++)
        m->dep_first[i + 1] += m->dep_first[i];
    uint32_t *fill = calloc(na + 1, sizeof *fill);
    if (!fill) {
        model_destroy(m);
        return NULL;
    }
    for (uint32_t i = 0; i < na; i++) {
        const dcsim_activity *a = &sc->activities[i];
        for (uint32_t k = 0; k < a->n_deps; k++) {
            uint32_t d = a->deps[k];
            m->dep_list[m->dep_first[d] + fill[d]++] = i;
        }
    }
    free(fill);

    /* Racks are numbered delivery by delivery, so each delivery's racks are contiguous. */
    uint32_t next = 0;
    uint32_t *per_building = calloc(nb + 1, sizeof *per_building);
    if (!per_building) {
        model_destroy(m);
        return NULL;
    }
    for (uint32_t i = 0; i < nd; i++) {
        const dcsim_delivery *dl = &sc->deliveries[i];
        m->dl_first_rack[i] = next;
        for (uint32_t k = 0; k < dl->total; k++) {
            rack *r = &m->racks[next + k];
            r->delivery = i;
            r->state = RACK_ORDERED;
            r->t_delivered = r->t_install_start = r->t_commissioned = r->t_energized = -1;
        }
        next += dl->total;
        per_building[dl->building] += dl->total;
    }
    for (uint32_t b = 0; b < nb && ok; b++)
        ok = rack_queue_init(&m->install_q[b], per_building[b] + 1);
    free(per_building);
    if (!ok) {
        model_destroy(m);
        return NULL;
    }
    return m;
}

void model_destroy(dcsim_model *m)
{
    if (!m)
        return;
    const dcsim_scenario *sc = m->sc;
    free_streams(m->act_rng, sc->n_activities);
    free_streams(m->tranche_rng, sc->n_tranches);
    free_streams(m->slip_rng, sc->n_deliveries);
    free_streams(m->comm_rng, sc->n_deliveries);
    if (m->install_q)
        for (uint32_t b = 0; b < sc->n_buildings; b++)
            rack_queue_fini(&m->install_q[b]);
    rack_queue_fini(&m->gate_q);
    free(m->act_unmet);
    free(m->dep_first);
    free(m->dep_list);
    free(m->act_start);
    free(m->act_finish);
    free(m->act_last);
    free(m->source_online_w);
    free(m->bld_ready);
    free(m->crew_busy);
    free(m->crew_free_at);
    free(m->install_q);
    free(m->dl_next);
    free(m->dl_first_rack);
    free(m->dl_t0);
    free(m->racks);
    free(m);
}

void model_begin(dcsim_model *m)
{
    activity_begin(m);
    supply_begin(m);
}

void model_handle(dcsim_model *m, const dcsim_event *ev)
{
    switch (ev->kind) {
    case EV_ACT_START:
        activity_start(m, ev->target);
        break;
    case EV_ACT_DONE:
        activity_done(m, ev->target);
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
    default:
        DCSIM_ASSERT_SIM(!"unknown event kind", ev->time, m->sc->seed);
    }
}
