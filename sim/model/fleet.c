/* The fleet: failures and repairs of energized racks, spare nodes, and leaf switches that
 * fail and cut their racks off. It keeps site.gpus_down (GPUs of lit racks that cannot run)
 * exact as racks are lit, shed, fail and come back; the workload allocates around it and
 * the recorder integrates it. Two failure modes: discrete (one failure process per rack,
 * repairs as hold records with their own events) and aggregate (failure counts drawn per
 * building and rack model each sample step, returns kept in a ring of future steps).
 *
 * Hazard: a cause fails at rate_per_gpu_s per *running* GPU, so a rack's failure rate is
 * sum(rates) x (its GPUs - those in repair). In discrete mode a lit rack's clock runs at the
 * rate of all its GPUs, and a failure it proposes is kept with probability up / gpus
 * (thinning): exact for the changing rate, with nothing to redraw when GPUs come back. Both
 * modes agree with MTBF / (MTBF + MTTR) per failure unit (a GPU, a node of gpus_per_node, a
 * rack).
 *
 * What site.gpus_down counts (discrete and off modes), summed over energized racks r:
 *     switch of r down ? gpus(r) : down(r)
 * down(r) is the rack's GPUs in repair (its clock's `down`), kept whether or not the rack is
 * lit (a rack shed mid-repair takes its share out of gpus_down and brings it back when
 * relit). A GPU that fails behind a down switch goes to repair but leaves gpus_down alone (the rack already
 * counts whole) and interrupts nothing (its GPUs run no job); when the switch comes back the
 * rack's share falls from gpus(r) to down(r). Each term is at most gpus(r), so
 * gpus_down <= gpus_lit and no update underflows. Switch cuts count in gpus_failed_total.
 *
 * The aggregate mode lives in fleet_agg.c; fleet_priv.h holds the state and the helpers the
 * two files share. */
#include "model/model.h"
#include "model/fleet_priv.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"

fleet_priv *fleet_priv_of(const dcsim_model *m)
{
    return m->fleet;
}

static bool aggregate(const dcsim_model *m)
{
    return m->sc->fleet.mode == DCSIM_FLEET_AGGREGATE;
}

const dcsim_rack_model *fleet_model_of(const dcsim_model *m, uint32_t r)
{
    return &m->sc->rack_models[m->sc->deliveries[m->racks[r].delivery].rack_model];
}

static uint32_t site_of(const dcsim_model *m, uint32_t r)
{
    return m->sc->buildings[m->racks[r].building].site;
}

bool fleet_cut_off(const dcsim_model *m, uint32_t r)
{
    uint32_t per = m->sc->fabric.racks_per_switch;
    return per > 0 && m->switch_down && m->switch_down[r / per];
}

uint32_t fleet_group_of(const dcsim_model *m, uint32_t r)
{
    return m->racks[r].building * m->sc->n_rack_models +
           m->sc->deliveries[m->racks[r].delivery].rack_model;
}

/* Every cause's rate per running GPU-second, summed (once, in fleet_create). */
static double rate_per_gpu(const dcsim_model *m)
{
    return fleet_priv_of(m)->rate_per_gpu_s;
}

/* GPUs one failure of cause c takes from a rack of model rm (before the cap at GPUs up). */
uint32_t fleet_takes_gpus(const dcsim_failure_cause *c, const dcsim_rack_model *rm)
{
    switch (c->takes) {
    case DCSIM_TAKES_GPU:
        return 1;
    case DCSIM_TAKES_NODE:
        return rm->gpus_per_node;
    case DCSIM_TAKES_RACK:
        return rm->gpus;
    default:
        return 0;
    }
}

/* A time to failure in whole seconds, at least 1 (so a re-forecast never lands on the
 * instant being handled) and never past the clock's range. */
static int64_t whole_s(double x)
{
    if (x > (double)DCSIM_DURATION_MAX_S)
        x = (double)DCSIM_DURATION_MAX_S;
    int64_t s = (int64_t)(x + 0.5);
    return s < 1 ? 1 : s;
}

uint32_t fleet_rack_down(const dcsim_model *m, uint32_t r)
{
    return m->clocks ? m->clocks[r].down : 0;
}

void fleet_check_site(const dcsim_model *m, uint32_t s)
{
    DCSIM_ASSERT_SIM(m->site[s].gpus_down <= m->site[s].gpus_lit, dcsim_engine_now(m->eng),
                     m->sc->seed);
}
/* ---- hold records ---------------------------------------------------------------- */

uint32_t hold_take(dcsim_model *m, uint8_t kind, uint32_t site, uint32_t ri, uint32_t gpus)
{
    uint32_t h = m->free_hold;
    if (h != UINT32_MAX) {
        m->free_hold = m->holds[h].next_free;
    } else {
        if (m->n_holds == m->cap_holds) {
            /* Doubling: the pool settles at the largest number of records out at once. */
            uint32_t cap = m->cap_holds ? 2 * m->cap_holds : 64;
            gpu_hold *p = cap > m->cap_holds && cap < UINT32_MAX
                              ? realloc(m->holds, (size_t)cap * sizeof *p)
                              : NULL;
            if (!p) {
                m->out_of_memory = true;
                dcsim_engine_stop(m->eng);
                return UINT32_MAX;
            }
            m->holds = p;
            m->cap_holds = cap;
        }
        h = m->n_holds++;
    }
    m->holds[h] = (gpu_hold){.site = site, .rack = ri, .gpus = gpus,
                             .next_free = UINT32_MAX, .kind = kind};
    return h;
}

static void hold_free(dcsim_model *m, uint32_t h)
{
    m->holds[h].next_free = m->free_hold;
    m->free_hold = h;
}

/* Take a hold and schedule its EV_REPAIR after `delay_s`. The event also names the rack
 * (aux = rack + 1, 0 for none), so that fleet_prefetch can load the rack's clock with the
 * hold, without waiting to read the hold. */
static void hold_after(dcsim_model *m, uint8_t kind, uint32_t site, uint32_t ri,
                       uint32_t gpus, int64_t delay_s)
{
    uint32_t h = hold_take(m, kind, site, ri, gpus);
    if (h != UINT32_MAX)
        model_schedule_aux(m, dcsim_engine_now(m->eng) + delay_s, EV_REPAIR, h,
                           ri == UINT32_MAX ? 0 : ri + 1);
}

/* ---- create, destroy, begin ---------------------------------------------------------- */

bool fleet_create(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t nr = sc->n_racks;
    m->free_hold = UINT32_MAX;
    fleet_priv *p = calloc(1, sizeof *p);
    if (!p)
        return false;
    m->fleet = p;
    for (uint32_t c = 0; c < sc->fleet.n_causes; c++)
        p->rate_per_gpu_s += sc->fleet.causes[c].rate_per_gpu_s;
    if (!(m->fleet_rng = dcsim_stream_alloc(sc->seed, m->replication, "fleet")))
        return false;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        m->site[s].spares_free = sc->fleet.spare_nodes;

    if (sc->fleet.mode == DCSIM_FLEET_DISCRETE) {
        /* aligned_alloc wants a multiple of the alignment: sizeof a clock is one. */
        m->clocks = aligned_alloc(_Alignof(fleet_clock), ((size_t)nr + 1) * sizeof *m->clocks);
        if (!m->clocks)
            return false;
        /* Rack k of a delivery keeps its stream whatever other deliveries do. */
        uint32_t r = 0;
        for (uint32_t i = 0; i < sc->n_deliveries; i++)
            for (uint32_t k = 0; k < sc->deliveries[i].total; k++, r++) {
                char full[256];
                model_stream_name(full, sizeof full, "rack", sc->deliveries[i].name, k);
                fleet_clock *c = &m->clocks[r];
                dcsim_stream_state_init(&c->rng, sc->seed, m->replication, full);
                c->next = -1;
                c->down = 0;
                c->model = sc->deliveries[i].rack_model;
                c->site = 0;
                c->lit = false;
            }
    } else if (sc->fleet.mode == DCSIM_FLEET_AGGREGATE) {
        p->n_groups = sc->n_buildings * sc->n_rack_models;
        p->ring_w = (size_t)p->n_groups + sc->n_sites;
        p->grp_failed = calloc((size_t)p->n_groups + 1, sizeof *p->grp_failed);
        p->grp_dark = calloc((size_t)p->n_groups + 1, sizeof *p->grp_dark);
        p->grp_dark_racks = calloc((size_t)p->n_groups + 1, sizeof *p->grp_dark_racks);
        p->grp_cut = calloc((size_t)p->n_groups + 1, sizeof *p->grp_cut);
        p->grp_shown = calloc((size_t)p->n_groups + 1, sizeof *p->grp_shown);
        p->rack_dark = calloc((size_t)nr + 1, sizeof *p->rack_dark);
        if (!p->grp_failed || !p->grp_dark || !p->grp_dark_racks || !p->grp_cut ||
            !p->grp_shown || !p->rack_dark)
            return false;
    }

    uint32_t per = sc->fabric.racks_per_switch;
    if (per > 0 && nr > 0) {
        m->n_switches = (uint32_t)(((uint64_t)nr + per - 1) / per);
        m->switch_down = calloc((size_t)m->n_switches + 1, sizeof *m->switch_down);
        m->switch_rng = calloc((size_t)m->n_switches + 1, sizeof *m->switch_rng);
        if (!m->switch_down || !m->switch_rng)
            return false;
        for (uint32_t k = 0; k < m->n_switches; k++)
            if (!(m->switch_rng[k] = model_stream(m, "switch", NULL, k)))
                return false;
    }
    return true;
}

void fleet_destroy(dcsim_model *m)
{
    if (m->fleet) {
        fleet_priv *p = fleet_priv_of(m);
        free(p->grp_failed);
        free(p->grp_dark);
        free(p->grp_dark_racks);
        free(p->grp_cut);
        free(p->grp_shown);
        free(p->rack_dark);
        free(p->ring);
        free(p->hits);
        free(p);
    }
    model_free_streams(m->switch_rng, m->n_switches);
    if (m->fleet_rng)
        gsl_rng_free(m->fleet_rng);
    free(m->clocks);
    free(m->switch_down);
    free(m->holds);
    m->switch_rng = NULL;
    m->fleet_rng = NULL;
    m->clocks = NULL;
    m->switch_down = NULL;
    m->holds = NULL;
    m->n_holds = m->cap_holds = 0;
    m->free_hold = UINT32_MAX;
}

/* The next failure of switch k, `after` seconds from the start (its restore, or 0). */
static void schedule_switch(dcsim_model *m, uint32_t k, int64_t after)
{
    double mtbf = m->sc->fabric.switch_mtbf_s;
    if (mtbf <= 0)
        return;
    int64_t t = after + whole_s(gsl_ran_exponential(m->switch_rng[k], mtbf));
    if (t <= m->sc->horizon_s)
        model_schedule(m, t, EV_SWITCH_FAIL, k);
}

void fleet_begin(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    if (aggregate(m) && rate_per_gpu(m) > 0 && sc->sample_s > 0 && sc->horizon_s > 0) {
        int64_t t = sc->sample_s < sc->horizon_s ? sc->sample_s : sc->horizon_s;
        fleet_priv_of(m)->next_boundary = t;
        model_schedule(m, t, EV_FLEET_STEP, 0);
    }
    for (uint32_t k = 0; k < m->n_switches; k++)
        schedule_switch(m, k, 0);
}
/* ---- racks lit and dark, switches ---------------------------------------------------- */

/* Propose rack r's next failure (discrete mode): its clock runs at the rate of all its GPUs,
 * up or in repair, and fleet_rack_fail keeps a proposal with probability up / gpus. This is
 * thinning (Lewis and Shedler 1979): the kept failures are a Poisson process at the rate of
 * the GPUs up at each moment, exactly, however GPUs fail and come back, and a repair has
 * nothing to redraw. The proposals that fall on GPUs in repair are about the share of GPUs
 * down (~0.1% on the shipped scenarios): an event each, against the redraw per repair and the
 * stale events it left in the heap. */
static void forecast(dcsim_model *m, uint32_t r)
{
    if (!m->clocks)
        return;
    fleet_clock *c = &m->clocks[r];
    c->next = -1;
    double rate = rate_per_gpu(m) * m->sc->rack_models[c->model].gpus;
    if (rate <= 0)
        return;
    gsl_rng rng = dcsim_stream_view(&c->rng);
    int64_t t = dcsim_engine_now(m->eng) + whole_s(gsl_ran_exponential(&rng, 1.0 / rate));
    if (t > m->sc->horizon_s) {
        c->next = FLEET_AFTER_RUN;     /* no event to keep in the heap */
        return;
    }
    c->next = t;
    model_schedule(m, t, EV_RACK_FAIL, r);
}

/* Rack r's share of gpus_down while lit. */
static uint32_t rack_share(const dcsim_model *m, uint32_t r)
{
    return fleet_cut_off(m, r) ? fleet_model_of(m, r)->gpus : fleet_rack_down(m, r);
}

void fleet_rack_lit(dcsim_model *m, uint32_t r)
{
    uint32_t s = site_of(m, r);
    if (aggregate(m)) {
        fleet_group_rack(m, r, true);
    } else {
        if (m->clocks) {
            m->clocks[r].site = s;
            m->clocks[r].lit = true;
        }
        /* The gate calls this after gpus_lit grew, and model_touch ran in gate_balance. */
        m->site[s].gpus_down += rack_share(m, r);
        forecast(m, r);
    }
    fleet_check_site(m, s);
}

void fleet_rack_dark(dcsim_model *m, uint32_t r)
{
    uint32_t s = site_of(m, r);
    if (m->clocks) {
        m->clocks[r].next = -1;     /* the pending EV_RACK_FAIL goes stale */
        m->clocks[r].lit = false;
    }
    if (aggregate(m)) {
        fleet_group_rack(m, r, false);
    } else {
        uint32_t share = rack_share(m, r);
        DCSIM_ASSERT_SIM(m->site[s].gpus_down >= share, dcsim_engine_now(m->eng), m->sc->seed);
        m->site[s].gpus_down -= share;
    }
    fleet_check_site(m, s);
}

/* Switch the GPUs of lit rack r behind switch k off (down) or back on. */
static void cut_rack(dcsim_model *m, uint32_t r, bool down)
{
    site_state *st = &m->site[site_of(m, r)];
    uint32_t gpus = fleet_model_of(m, r)->gpus;
    if (aggregate(m)) {
        uint32_t g = fleet_group_of(m, r);
        if (down)
            fleet_priv_of(m)->grp_cut[g] += gpus;
        else
            fleet_priv_of(m)->grp_cut[g] -= gpus;
        fleet_group_update(m, g);
        return;
    }
    uint32_t up = gpus - fleet_rack_down(m, r);    /* what the switch takes: not in repair */
    if (down) {
        st->gpus_down += up;
    } else {
        DCSIM_ASSERT_SIM(st->gpus_down >= up, dcsim_engine_now(m->eng), m->sc->seed);
        st->gpus_down -= up;
    }
}

void fleet_switch_fail(dcsim_model *m, uint32_t sw)
{
    const dcsim_scenario *sc = m->sc;
    if (m->switch_down[sw])
        return;     /* cannot happen: the next failure is drawn after the restore */
    model_touch(m);
    int64_t now = dcsim_engine_now(m->eng);
    uint32_t per = sc->fabric.racks_per_switch;
    uint32_t lo = sw * per, hi = lo + per < sc->n_racks ? lo + per : sc->n_racks;
    m->switch_down[sw] = true;
    /* A group may span sites (a pool's racks are numbered by delivery): one interruption
     * per site hit, for the GPUs the switch took there. */
    uint64_t total = 0;
    for (uint32_t s = 0; s < sc->n_sites; s++) {
        uint64_t before = m->site[s].gpus_down;
        for (uint32_t r = lo; r < hi; r++)
            if (m->racks[r].state == RACK_ENERGIZED && site_of(m, r) == s)
                cut_rack(m, r, true);
        uint64_t hit = m->site[s].gpus_down - before;
        fleet_check_site(m, s);
        if (hit) {
            total += hit;
            workload_failure(m, s, (uint32_t)hit, true);
        }
    }
    m->gpus_failed_total += total;
    if (total)
        m->workload_dirty = true;
    /* The restore is a hold that names its switch in `site` (rack UINT32_MAX marks it):
     * gpu_hold has no field for a switch. */
    int64_t repair = model_draw_s(&sc->fabric.switch_repair, m->switch_rng[sw]);
    hold_after(m, HOLD_REPAIR, sw, UINT32_MAX, total > UINT32_MAX ? UINT32_MAX : (uint32_t)total,
               repair);
    schedule_switch(m, sw, now + repair);
}

static void switch_restore(dcsim_model *m, uint32_t sw)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t per = sc->fabric.racks_per_switch;
    uint32_t lo = sw * per, hi = lo + per < sc->n_racks ? lo + per : sc->n_racks;
    DCSIM_ASSERT_SIM(m->switch_down[sw], dcsim_engine_now(m->eng), sc->seed);
    m->switch_down[sw] = false;
    /* Racks lit or shed during the outage came and went as whole racks; each lit one now
     * drops from all its GPUs to those still in repair. */
    for (uint32_t r = lo; r < hi; r++)
        if (m->racks[r].state == RACK_ENERGIZED)
            cut_rack(m, r, false);
    m->workload_dirty = true;
}

/* ---- discrete failures ---------------------------------------------------------------- */

void fleet_rack_fail(dcsim_model *m, uint32_t r, int64_t t)
{
    const dcsim_scenario *sc = m->sc;
    const dcsim_fleet *f = &sc->fleet;
    fleet_clock *clk = &m->clocks[r];
    /* A failure forecast is void once the rack went dark or was re-forecast. */
    if (clk->next != t)
        return;
    int64_t now = dcsim_engine_now(m->eng);
    DCSIM_ASSERT_SIM(clk->lit && f->n_causes > 0, now, sc->seed);
    clk->next = -1;
    gsl_rng view = dcsim_stream_view(&clk->rng), *rng = &view;
    const dcsim_rack_model *rm = &sc->rack_models[clk->model];
    uint32_t up = rm->gpus - clk->down;
    /* Thinning (forecast): the proposal stands for a failure with probability up / gpus. */
    if (clk->down > 0 && gsl_rng_uniform(rng) * rm->gpus >= up) {
        forecast(m, r);
        return;
    }
    model_touch(m);
    /* The cause, in proportion to its rate (all causes see the same running GPUs). */
    double u = gsl_rng_uniform(rng) * rate_per_gpu(m), acc = 0;
    uint32_t c = 0;
    for (; c + 1 < f->n_causes; c++) {
        acc += f->causes[c].rate_per_gpu_s;
        if (u < acc)
            break;
    }
    const dcsim_failure_cause *cause = &f->causes[c];
    uint32_t s = clk->site;
    site_state *st = &m->site[s];
    uint32_t k = fleet_takes_gpus(cause, rm);
    if (k > up)
        k = up;
    int64_t repair = model_draw_s(&cause->repair, rng);
    bool cut = fleet_cut_off(m, r);
    if (k > 0) {
        clk->down += k;
        if (!cut)
            st->gpus_down += k;
        m->gpus_failed_total += k;
        if (cause->takes == DCSIM_TAKES_NODE && st->spares_free > 0) {
            /* A spare node goes in after the swap; the failed one, once repaired, becomes
             * the spare. */
            int64_t swap = model_draw_s(&f->swap_time, rng);
            st->spares_free--;
            hold_after(m, HOLD_REPAIR, s, r, k, swap);
            hold_after(m, HOLD_SPARE_BACK, s, r, 0, repair);
        } else {
            hold_after(m, HOLD_REPAIR, s, r, k, repair);
        }
        fleet_check_site(m, s);
    }
    /* Behind a down switch the rack runs no job: nothing to interrupt, nothing moved. */
    if (!cut) {
        if (k > 0)
            m->workload_dirty = true;
        workload_failure(m, s, k, cause->takes != DCSIM_TAKES_NOTHING);
    }
    forecast(m, r);
}

void fleet_prefetch(const dcsim_model *m, const dcsim_event *ev)
{
    if (!ev)
        return;
    if (ev->kind == EV_RACK_FAIL && m->clocks) {
        __builtin_prefetch(&m->clocks[ev->target]);
    } else if ((ev->kind == EV_REPAIR || ev->kind == EV_RELEASE) && ev->target < m->n_holds) {
        __builtin_prefetch(&m->holds[ev->target]);
        if (ev->aux > 0 && m->clocks && ev->aux <= m->sc->n_racks)
            __builtin_prefetch(&m->clocks[ev->aux - 1]);     /* the repaired rack (hold_after) */
    }
}

void fleet_hold_done(dcsim_model *m, uint32_t hi)
{
    DCSIM_ASSERT_SIM(hi < m->n_holds, dcsim_engine_now(m->eng), m->sc->seed);
    gpu_hold h = m->holds[hi];      /* a copy: the callbacks below may grow the pool */
    hold_free(m, hi);
    model_touch(m);
    switch (h.kind) {
    case HOLD_REPAIR:
        if (h.rack == UINT32_MAX) {
            switch_restore(m, h.site);
            break;
        }
        fleet_clock *clk = &m->clocks[h.rack];
        DCSIM_ASSERT_SIM(clk->down >= h.gpus, dcsim_engine_now(m->eng), m->sc->seed);
        clk->down -= h.gpus;
        /* The rack's clock runs on (thinning, forecast): more GPUs up only make its next
         * proposal likelier to stand. */
        if (clk->lit && !fleet_cut_off(m, h.rack)) {
            DCSIM_ASSERT_SIM(m->site[h.site].gpus_down >= h.gpus, dcsim_engine_now(m->eng),
                             m->sc->seed);
            m->site[h.site].gpus_down -= h.gpus;
        }
        break;
    case HOLD_SPARE_BACK:
        m->site[h.site].spares_free++;
        break;
    case HOLD_RELEASE:
    case HOLD_STUCK:
        workload_release_done(m, h.site, h.gpus, h.kind == HOLD_STUCK);
        break;
    default:
        DCSIM_ASSERT_SIM(0 && "unknown hold kind", dcsim_engine_now(m->eng), m->sc->seed);
    }
    m->workload_dirty = true;
}
