/* The fleet's aggregate failure mode (the discrete one is in fleet.c): failure counts drawn
 * per group (building x rack model) each sample step, repairs and spares returned through a
 * ring of future steps, and each failure's interruption handed to the workload in time. */
#include "model/model.h"
#include "model/fleet_priv.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

/* Aggregate mode ties failed GPUs to groups (building x rack model), not racks: per group,
 * GPUs in repair from lit racks and from racks since shed (expected values, rounded at
 * random), and gpus_down shows min(lit, failed + the running share of what switches cut).
 * It agrees with the discrete mode in steady state (tests/test_fleet.c). Failures drawn at a
 * step's end interrupt jobs one by one at moments spread over the next step (one event
 * each; repairs need none), so interruptions trail their failures by up to a step. What it
 * cannot see: the racks a shortage sheds (the newest lit) hold fewer failed GPUs than the
 * average, so under heavy shedding it reads availability high by ~ down x shed share. */

/* ---- aggregate bookkeeping ----------------------------------------------------------- */

/* Failed GPUs are counted per group, not per rack, so each count below is the expected
 * value over the group's racks, rounded at random (x + uniform, floored) to keep the mean. */
static uint64_t round_random(dcsim_model *m, double x)
{
    return (uint64_t)(x + gsl_rng_uniform(m->fleet_rng));
}

static uint64_t group_lit(const dcsim_model *m, uint32_t g)
{
    return (uint64_t)m->bld_model_lit[g] * m->sc->rack_models[g % m->sc->n_rack_models].gpus;
}

/* A group's share of its site's gpus_down: failed GPUs on lit racks plus the running GPUs a
 * down switch cuts off (its racks have the group's failed share, counted already). Never
 * more than lit, so gpus_down <= gpus_lit. */
void fleet_group_update(dcsim_model *m, uint32_t g)
{
    const dcsim_scenario *sc = m->sc;
    fleet_priv *p = fleet_priv_of(m);
    uint64_t lit = group_lit(m, g);
    uint64_t want = p->grp_failed[g] < lit ? p->grp_failed[g] : lit;
    if (lit > 0)
        want += (uint64_t)llround((double)p->grp_cut[g] * (double)(lit - want) / (double)lit);
    if (want > lit)
        want = lit;
    site_state *st = &m->site[sc->buildings[g / sc->n_rack_models].site];
    if (want == p->grp_shown[g])
        return;
    DCSIM_ASSERT_SIM(st->gpus_down + want >= p->grp_shown[g], dcsim_engine_now(m->eng),
                     sc->seed);
    st->gpus_down = st->gpus_down + want - p->grp_shown[g];
    p->grp_shown[g] = want;
    m->workload_dirty = true;
}

/* Rack r of group g goes dark (shed; lit already counts it out) or comes back. A shed rack
 * takes its share of the lit racks' failed GPUs with it, and brings back, when relit, its
 * share of what the shed racks still have in repair: failures strike lit racks only, and
 * repairs go on in the dark, as in the discrete mode. */
void fleet_group_rack(dcsim_model *m, uint32_t r, bool lit_now)
{
    fleet_priv *p = fleet_priv_of(m);
    uint32_t g = fleet_group_of(m, r), gpus = fleet_model_of(m, r)->gpus;
    if (!lit_now) {
        double before = (double)(group_lit(m, g) + gpus);
        uint64_t x = gpus ? round_random(m, (double)p->grp_failed[g] * gpus / before) : 0;
        x = x < p->grp_failed[g] ? x : p->grp_failed[g];
        p->grp_failed[g] -= x;
        p->grp_dark[g] += x;
        p->grp_dark_racks[g]++;
        p->rack_dark[r] = true;
    } else if (p->rack_dark[r]) {
        uint64_t y = round_random(m, (double)p->grp_dark[g] / p->grp_dark_racks[g]);
        y = y < p->grp_dark[g] ? y : p->grp_dark[g];
        y = y < gpus ? y : gpus;
        p->grp_dark[g] -= y;
        p->grp_failed[g] += y;
        p->grp_dark_racks[g]--;
        p->rack_dark[r] = false;
    }
    if (fleet_cut_off(m, r)) {
        if (lit_now)
            p->grp_cut[g] += gpus;
        else
            p->grp_cut[g] -= gpus;
    }
    fleet_group_update(m, g);
}

/* n GPUs of group g are back from repair: from lit and shed racks in proportion. */
static void group_return(dcsim_model *m, uint32_t g, uint64_t n)
{
    fleet_priv *p = fleet_priv_of(m);
    uint64_t total = p->grp_failed[g] + p->grp_dark[g];
    DCSIM_ASSERT_SIM(n <= total, dcsim_engine_now(m->eng), m->sc->seed);
    double share = (double)p->grp_dark[g] / (double)total;
    uint64_t z = p->grp_dark[g] ? round_random(m, (double)n * share) : 0;
    z = z < p->grp_dark[g] ? z : p->grp_dark[g];
    z = z < n ? z : n;
    if (n - z > p->grp_failed[g])
        z = n - p->grp_failed[g];
    p->grp_dark[g] -= z;
    p->grp_failed[g] -= n - z;
    fleet_group_update(m, g);
}
/* ---- aggregate failures ---------------------------------------------------------------- */

/* Make room in the ring for a return j steps after `step`. Grows by doubling, keeping each
 * pending row at its step. */
static bool ring_fit(dcsim_model *m, fleet_priv *p, uint64_t step, uint64_t j)
{
    if (j < p->ring_len)
        return true;
    size_t len = p->ring_len ? p->ring_len : 16;
    while (len <= j)
        len *= 2;
    uint32_t *ring = calloc(len * p->ring_w, sizeof *ring);
    if (!ring) {
        m->out_of_memory = true;
        dcsim_engine_stop(m->eng);
        return false;
    }
    for (size_t i = 0; i < p->ring_len; i++)
        memcpy(&ring[((step + i) % len) * p->ring_w],
               &p->ring[((step + i) % p->ring_len) * p->ring_w], p->ring_w * sizeof *ring);
    free(p->ring);
    p->ring = ring;
    p->ring_len = len;
    return true;
}

/* File `n` units of entry `idx` (a group's GPUs, or ring_w - n_sites + site for spare nodes)
 * to come back `dur_s` after a failure in the step that ends now. The failure's moment is
 * drawn uniformly within the step, and the units come back at the first step boundary at or
 * after moment + dur: j = ceil(dur / step - u) steps from now, whose mean is exactly
 * dur / step, so the down GPU-time matches the discrete mode's. Returns false when they are
 * back at once (j = 0: failure and repair both inside the step). */
static bool file_return(dcsim_model *m, fleet_priv *p, uint64_t step, size_t idx, uint32_t n,
                        int64_t dur_s)
{
    double x = (double)dur_s / (double)m->sc->sample_s - gsl_rng_uniform(m->fleet_rng);
    if (x <= 0)
        return false;
    uint64_t j = (uint64_t)ceil(x);
    if ((double)(step + j) * (double)m->sc->sample_s > (double)m->sc->horizon_s)
        return true;    /* back after the horizon: stays down for the rest of the run */
    if (ring_fit(m, p, step, j))
        p->ring[((step + j) % p->ring_len) * p->ring_w + idx] += n;
    return true;
}

/* File the interruption of one failure at a moment drawn uniformly within the step that
 * starts now. Were they all handed over at the step's boundary, a job would lose its work
 * since the last checkpoint once per step rather than once per failure (with daily steps
 * and ~40 failures a day on 100,000 GPUs, goodput would read 0.89 instead of 0.67). The
 * engine orders them: ties at one second run in drawing order (their scheduling order). */
static void add_hit(dcsim_model *m, fleet_priv *p, uint32_t s, uint32_t gpus, bool hardware)
{
    int64_t t = dcsim_engine_now(m->eng) +
                (int64_t)(gsl_rng_uniform(m->fleet_rng) * (double)m->sc->sample_s);
    if (t > m->sc->horizon_s)
        return;
    if (p->n_hits == p->cap_hits) {
        size_t cap = p->cap_hits ? 2 * p->cap_hits : 64;
        fleet_hit *h = cap < UINT32_MAX ? realloc(p->hits, cap * sizeof *h) : NULL;
        if (!h) {
            m->out_of_memory = true;
            dcsim_engine_stop(m->eng);
            return;
        }
        p->hits = h;
        p->cap_hits = cap;
    }
    p->hits[p->n_hits] = (fleet_hit){s, gpus, hardware};
    model_schedule(m, t, EV_FLEET_HIT, (uint32_t)p->n_hits++);
}

/* Hand the workload the interruption filed as hit h. The step's hits all come before the
 * next boundary, which files anew. */
void fleet_hit_due(dcsim_model *m, uint32_t h)
{
    fleet_priv *p = fleet_priv_of(m);
    DCSIM_ASSERT_SIM(h < p->n_hits, dcsim_engine_now(m->eng), m->sc->seed);
    workload_failure(m, p->hits[h].site, p->hits[h].gpus, p->hits[h].hardware);
}

/* One failure of cause c in group g (site s, `lit` GPUs, `*up` of them running) at the end
 * of the step. */
static void fail_in_group(dcsim_model *m, fleet_priv *p, uint64_t step, uint32_t g, uint32_t s,
                          const dcsim_failure_cause *c, uint64_t lit, uint64_t *up)
{
    const dcsim_fleet *f = &m->sc->fleet;
    const dcsim_rack_model *rm = &m->sc->rack_models[g % m->sc->n_rack_models];
    uint32_t k = fleet_takes_gpus(c, rm);
    if (c->takes == DCSIM_TAKES_RACK) {
        /* The discrete mode takes what still runs on the rack hit; here the rack is any, so
         * take its expected running share, rounded up or down at random to keep the mean. */
        double x = (double)k * (double)*up / (double)lit + gsl_rng_uniform(m->fleet_rng);
        k = (uint32_t)x;
    }
    if (k > *up)
        k = (uint32_t)*up;
    int64_t repair = model_draw_s(&c->repair, m->fleet_rng);
    if (k > 0) {
        site_state *st = &m->site[s];
        *up -= k;
        p->grp_failed[g] += k;
        m->gpus_failed_total += k;
        fleet_group_update(m, g);
        int64_t back = repair;
        if (c->takes == DCSIM_TAKES_NODE && st->spares_free > 0) {
            back = model_draw_s(&f->swap_time, m->fleet_rng);
            st->spares_free--;
            if (!file_return(m, p, step, p->n_groups + s, 1, repair))
                st->spares_free++;
        }
        if (!file_return(m, p, step, g, k, back))
            group_return(m, g, k);
    }
    add_hit(m, p, s, k, c->takes != DCSIM_TAKES_NOTHING);
}

void fleet_step(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    fleet_priv *p = fleet_priv_of(m);
    int64_t now = dcsim_engine_now(m->eng);
    uint64_t step = (uint64_t)(now / sc->sample_s);
    model_touch(m);
    p->n_hits = 0;      /* the last step's are all delivered (they were < now) */
    if (p->ring_len)
        for (uint32_t s = 0; s < sc->n_sites; s++)
            m->site[s].spares_free += p->ring[(step % p->ring_len) * p->ring_w + p->n_groups + s];
    for (uint32_t g = 0; g < p->n_groups && !m->out_of_memory; g++) {
        /* This step's row, found afresh: filing a return may have grown (moved) the ring. */
        uint32_t back = p->ring_len ? p->ring[(step % p->ring_len) * p->ring_w + g] : 0;
        uint64_t lit = group_lit(m, g);
        /* Failures of the step that ends now strike the GPUs that ran during it: those not
         * failed before this instant's returns. (Counting the returns in would miss that a
         * GPU failed and back within a step was down for part of it: with repairs shorter
         * than a step, the down share would come out lambda MTTR, not
         * lambda MTTR / (1 + lambda MTTR).) */
        uint64_t ran = lit > p->grp_failed[g] ? lit - p->grp_failed[g] : 0;
        if (back)
            group_return(m, g, back);
        if (lit == 0)
            continue;
        /* A Poisson count per cause with mean rate x GPU-time run; each failure takes its
         * GPUs while any are running now, and interrupts once, as in discrete mode. */
        uint64_t up = lit > p->grp_failed[g] ? lit - p->grp_failed[g] : 0;
        double gpu_s = (double)ran * (double)(now - p->last_boundary);
        uint32_t s = sc->buildings[g / sc->n_rack_models].site;
        for (uint32_t c = 0; c < sc->fleet.n_causes && !m->out_of_memory; c++) {
            unsigned n = gsl_ran_poisson(m->fleet_rng, sc->fleet.causes[c].rate_per_gpu_s * gpu_s);
            for (unsigned i = 0; i < n; i++)
                fail_in_group(m, p, step, g, s, &sc->fleet.causes[c], lit, &up);
        }
        fleet_check_site(m, s);
    }
    if (p->ring_len)
        memset(&p->ring[(step % p->ring_len) * p->ring_w], 0, p->ring_w * sizeof *p->ring);
    /* The last step may be short: it ends at the horizon, so no running time goes undrawn.
     * (Its step number is the one before's; what it files lands past the horizon.) */
    p->last_boundary = now;
    p->next_boundary = now + sc->sample_s < sc->horizon_s ? now + sc->sample_s : sc->horizon_s;
    if (now < sc->horizon_s)
        model_schedule(m, p->next_boundary, EV_FLEET_STEP, 0);
}
