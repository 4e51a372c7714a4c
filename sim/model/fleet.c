/* The fleet: failures and repairs of energized racks, spare nodes, and leaf switches that
 * fail and cut their racks off. It keeps site.gpus_down (GPUs of lit racks that cannot run)
 * exact as racks are lit, shed, fail and come back; the workload allocates around it and
 * the recorder integrates it. Two failure modes: discrete (one failure process per rack,
 * repairs as hold records with their own events) and aggregate (failure counts drawn per
 * building and rack model each sample step, returns kept in a ring of future steps).
 *
 * Hazard: a cause fails at rate_per_gpu_s per *running* GPU, so a rack's failure rate is
 * sum(rates) x (its GPUs - those in repair); it is re-forecast whenever that count moves (a
 * failure or a repair), which is exact for a memoryless process. Both modes then agree with
 * MTBF / (MTBF + MTTR) per failure unit (a GPU, a node of gpus_per_node, a rack).
 *
 * What site.gpus_down counts (discrete and off modes), summed over energized racks r:
 *     switch of r down ? gpus(r) : rack_down[r]
 * rack_down[r] is the rack's GPUs in repair, kept whether or not the rack is lit (a rack
 * shed mid-repair takes its share out of gpus_down and brings it back when relit). A GPU that
 * fails behind a down switch goes to repair but leaves gpus_down alone (the rack already
 * counts whole) and interrupts nothing (its GPUs run no job); when the switch comes back the
 * rack's share falls from gpus(r) to rack_down[r]. Each term is at most gpus(r), so
 * gpus_down <= gpus_lit and no update underflows. Switch cuts count in gpus_failed_total.
 *
 * Aggregate mode ties failed GPUs to groups (building x rack model), not racks: per group,
 * GPUs in repair from lit racks and from racks since shed (expected values, rounded at
 * random), and gpus_down shows min(lit, failed + the running share of what switches cut).
 * It agrees with the discrete mode in steady state (tests/test_fleet.c). Failures drawn at a
 * step's end interrupt jobs one by one at moments spread over the next step (one event
 * each; repairs need none), so interruptions trail their failures by up to a step. What it
 * cannot see: the racks a shortage sheds (the newest lit) hold fewer failed GPUs than the
 * average, so under heavy shedding it reads availability high by ~ down x shed share. */
#include "model/model.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"

/* State the fleet needs beyond the fields model.h gives it (m->fleet). The per-rack down
 * counts live in its flexible tail, and m->rack_down points at them. */
typedef struct fleet_priv {
    /* aggregate mode: groups are building x rack model, g = b * n_rack_models + k */
    uint32_t n_groups;
    uint64_t *grp_failed;    /* GPUs in repair from lit racks (expected, racks are not told) */
    uint64_t *grp_dark;      /* ... from racks since shed */
    uint32_t *grp_dark_racks;/* racks shed */
    bool *rack_dark;         /* per rack: shed (lit before, dark now) */
    uint64_t *grp_cut;       /* GPUs on lit racks behind a down switch */
    uint64_t *grp_shown;     /* what the group adds to its site's gpus_down now */
    /* returns at future steps: row (step % ring_len) holds GPUs back per group, then spare
     * nodes back per site */
    uint32_t *ring;
    size_t ring_len, ring_w;
    /* interruptions of the step's failures, handed to the workload at their own moments */
    struct fleet_hit *hits;
    size_t n_hits, cap_hits, next_hit;
    int64_t last_boundary, next_boundary;   /* failure draws: the last one, the next one */
    uint32_t rack_down[];    /* m->rack_down */
} fleet_priv;

/* A failure's interruption, due at time t. */
typedef struct fleet_hit {
    int64_t t;
    uint32_t seq;            /* drawing order: ties at one second keep it */
    uint32_t site, gpus;
    bool hardware;
} fleet_hit;

static fleet_priv *priv(const dcsim_model *m)
{
    return m->fleet;
}

static bool aggregate(const dcsim_model *m)
{
    return m->sc->fleet.mode == DCSIM_FLEET_AGGREGATE;
}

static const dcsim_rack_model *model_of(const dcsim_model *m, uint32_t r)
{
    return &m->sc->rack_models[m->sc->deliveries[m->racks[r].delivery].rack_model];
}

static uint32_t site_of(const dcsim_model *m, uint32_t r)
{
    return m->sc->buildings[m->racks[r].building].site;
}

static bool cut_off(const dcsim_model *m, uint32_t r)
{
    uint32_t per = m->sc->fabric.racks_per_switch;
    return per > 0 && m->switch_down && m->switch_down[r / per];
}

static uint32_t group_of(const dcsim_model *m, uint32_t r)
{
    return m->racks[r].building * m->sc->n_rack_models +
           m->sc->deliveries[m->racks[r].delivery].rack_model;
}

/* Every cause's rate per running GPU-second, summed. */
static double rate_per_gpu(const dcsim_model *m)
{
    double r = 0;
    for (uint32_t c = 0; c < m->sc->fleet.n_causes; c++)
        r += m->sc->fleet.causes[c].rate_per_gpu_s;
    return r;
}

/* GPUs one failure of cause c takes from a rack of model rm (before the cap at GPUs up). */
static uint32_t takes_gpus(const dcsim_failure_cause *c, const dcsim_rack_model *rm)
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

static void check_site(const dcsim_model *m, uint32_t s)
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

/* Take a hold and schedule its EV_REPAIR after `delay_s`. */
static void hold_after(dcsim_model *m, uint8_t kind, uint32_t site, uint32_t ri,
                       uint32_t gpus, int64_t delay_s)
{
    uint32_t h = hold_take(m, kind, site, ri, gpus);
    if (h != UINT32_MAX)
        model_schedule(m, dcsim_engine_now(m->eng) + delay_s, EV_REPAIR, h);
}

/* ---- create, destroy, begin ---------------------------------------------------------- */

static void free_streams(gsl_rng **r, uint32_t n)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < n; i++)
        if (r[i])
            gsl_rng_free(r[i]);
    free(r);
}

static gsl_rng *named_stream(const dcsim_model *m, const char *kind, const char *name,
                             uint32_t k)
{
    char full[256];
    if (name)
        snprintf(full, sizeof full, "%s/%s/%u", kind, name, k);
    else
        snprintf(full, sizeof full, "%s/%u", kind, k);
    return dcsim_stream_alloc(m->sc->seed, m->replication, full);
}

bool fleet_create(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t nr = sc->n_racks;
    m->free_hold = UINT32_MAX;
    fleet_priv *p = calloc(1, sizeof *p + ((size_t)nr + 1) * sizeof p->rack_down[0]);
    if (!p)
        return false;
    m->fleet = p;
    m->rack_down = p->rack_down;
    m->fleet_next = malloc(((size_t)nr + 1) * sizeof *m->fleet_next);
    if (!m->fleet_next || !(m->fleet_rng = dcsim_stream_alloc(sc->seed, m->replication, "fleet")))
        return false;
    for (uint32_t r = 0; r < nr; r++)
        m->fleet_next[r] = -1;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        m->site[s].spares_free = sc->fleet.spare_nodes;

    if (sc->fleet.mode == DCSIM_FLEET_DISCRETE) {
        /* Rack k of a delivery keeps its stream whatever other deliveries do. */
        if (!(m->rack_rng = calloc((size_t)nr + 1, sizeof *m->rack_rng)))
            return false;
        uint32_t r = 0;
        for (uint32_t i = 0; i < sc->n_deliveries; i++)
            for (uint32_t k = 0; k < sc->deliveries[i].total; k++, r++)
                if (!(m->rack_rng[r] = named_stream(m, "rack", sc->deliveries[i].name, k)))
                    return false;
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
            if (!(m->switch_rng[k] = named_stream(m, "switch", NULL, k)))
                return false;
    }
    return true;
}

void fleet_destroy(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    if (m->fleet) {
        fleet_priv *p = priv(m);
        free(p->grp_failed);
        free(p->grp_dark);
        free(p->grp_dark_racks);
        free(p->grp_cut);
        free(p->grp_shown);
        free(p->rack_dark);
        free(p->ring);
        free(p->hits);
        free(p);
        m->rack_down = NULL;
    }
    free_streams(m->rack_rng, sc->n_racks);
    free_streams(m->switch_rng, m->n_switches);
    if (m->fleet_rng)
        gsl_rng_free(m->fleet_rng);
    free(m->fleet_next);
    free(m->switch_down);
    free(m->holds);
    m->rack_rng = m->switch_rng = NULL;
    m->fleet_rng = NULL;
    m->fleet_next = NULL;
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
        priv(m)->next_boundary = t;
        model_schedule(m, t, EV_FLEET_STEP, 0);
    }
    for (uint32_t k = 0; k < m->n_switches; k++)
        schedule_switch(m, k, 0);
}

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
static void group_update(dcsim_model *m, uint32_t g)
{
    const dcsim_scenario *sc = m->sc;
    fleet_priv *p = priv(m);
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
static void group_rack(dcsim_model *m, uint32_t r, bool lit_now)
{
    fleet_priv *p = priv(m);
    uint32_t g = group_of(m, r), gpus = model_of(m, r)->gpus;
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
    if (cut_off(m, r)) {
        if (lit_now)
            p->grp_cut[g] += gpus;
        else
            p->grp_cut[g] -= gpus;
    }
    group_update(m, g);
}

/* n GPUs of group g are back from repair: from lit and shed racks in proportion. */
static void group_return(dcsim_model *m, uint32_t g, uint64_t n)
{
    fleet_priv *p = priv(m);
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
    group_update(m, g);
}

/* ---- racks lit and dark, switches ---------------------------------------------------- */

/* Forecast rack r's next failure from its running GPUs (discrete mode). */
static void forecast(dcsim_model *m, uint32_t r)
{
    m->fleet_next[r] = -1;
    if (m->sc->fleet.mode != DCSIM_FLEET_DISCRETE)
        return;
    uint32_t up = model_of(m, r)->gpus - m->rack_down[r];
    double rate = rate_per_gpu(m) * up;
    if (rate <= 0)
        return;     /* nothing running to fail: a repair re-forecasts */
    int64_t t = dcsim_engine_now(m->eng) + whole_s(gsl_ran_exponential(m->rack_rng[r],
                                                                         1.0 / rate));
    if (t > m->sc->horizon_s)
        return;     /* beyond the run: no event to keep in the heap */
    m->fleet_next[r] = t;
    model_schedule(m, t, EV_RACK_FAIL, r);
}

/* Rack r's share of gpus_down while lit. */
static uint32_t rack_share(const dcsim_model *m, uint32_t r)
{
    return cut_off(m, r) ? model_of(m, r)->gpus : m->rack_down[r];
}

void fleet_rack_lit(dcsim_model *m, uint32_t r)
{
    uint32_t s = site_of(m, r);
    if (aggregate(m)) {
        group_rack(m, r, true);
    } else {
        /* The gate calls this after gpus_lit grew, and model_touch ran in gate_balance. */
        m->site[s].gpus_down += rack_share(m, r);
        forecast(m, r);
    }
    check_site(m, s);
}

void fleet_rack_dark(dcsim_model *m, uint32_t r)
{
    uint32_t s = site_of(m, r);
    m->fleet_next[r] = -1;      /* the pending EV_RACK_FAIL goes stale */
    if (aggregate(m)) {
        group_rack(m, r, false);
    } else {
        uint32_t share = rack_share(m, r);
        DCSIM_ASSERT_SIM(m->site[s].gpus_down >= share, dcsim_engine_now(m->eng), m->sc->seed);
        m->site[s].gpus_down -= share;
    }
    check_site(m, s);
}

/* Switch the GPUs of lit rack r behind switch k off (down) or back on. */
static void cut_rack(dcsim_model *m, uint32_t r, bool down)
{
    site_state *st = &m->site[site_of(m, r)];
    uint32_t gpus = model_of(m, r)->gpus;
    if (aggregate(m)) {
        uint32_t g = group_of(m, r);
        if (down)
            priv(m)->grp_cut[g] += gpus;
        else
            priv(m)->grp_cut[g] -= gpus;
        group_update(m, g);
        return;
    }
    uint32_t up = gpus - m->rack_down[r];   /* what the switch takes: GPUs not in repair */
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
        check_site(m, s);
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

void fleet_rack_fail(dcsim_model *m, uint32_t r)
{
    const dcsim_scenario *sc = m->sc;
    const dcsim_fleet *f = &sc->fleet;
    int64_t now = dcsim_engine_now(m->eng);
    DCSIM_ASSERT_SIM(m->racks[r].state == RACK_ENERGIZED && f->n_causes > 0, now, sc->seed);
    model_touch(m);
    m->fleet_next[r] = -1;
    gsl_rng *rng = m->rack_rng[r];
    /* The cause, in proportion to its rate (all causes see the same running GPUs). */
    double u = gsl_rng_uniform(rng) * rate_per_gpu(m), acc = 0;
    uint32_t c = 0;
    for (; c + 1 < f->n_causes; c++) {
        acc += f->causes[c].rate_per_gpu_s;
        if (u < acc)
            break;
    }
    const dcsim_failure_cause *cause = &f->causes[c];
    const dcsim_rack_model *rm = model_of(m, r);
    uint32_t s = site_of(m, r);
    site_state *st = &m->site[s];
    uint32_t up = rm->gpus - m->rack_down[r];
    uint32_t k = takes_gpus(cause, rm);
    if (k > up)
        k = up;
    int64_t repair = model_draw_s(&cause->repair, rng);
    bool cut = cut_off(m, r);
    if (k > 0) {
        m->rack_down[r] += k;
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
        check_site(m, s);
    }
    /* Behind a down switch the rack runs no job: nothing to interrupt, nothing moved. */
    if (!cut) {
        if (k > 0)
            m->workload_dirty = true;
        workload_failure(m, s, k, cause->takes != DCSIM_TAKES_NOTHING);
    }
    forecast(m, r);
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
        DCSIM_ASSERT_SIM(m->rack_down[h.rack] >= h.gpus, dcsim_engine_now(m->eng), m->sc->seed);
        m->rack_down[h.rack] -= h.gpus;
        if (m->racks[h.rack].state == RACK_ENERGIZED) {
            if (!cut_off(m, h.rack)) {
                DCSIM_ASSERT_SIM(m->site[h.site].gpus_down >= h.gpus, dcsim_engine_now(m->eng),
                                 m->sc->seed);
                m->site[h.site].gpus_down -= h.gpus;
            }
            forecast(m, h.rack);    /* more GPUs running: a higher rate from now */
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
 * and ~40 failures a day on 100,000 GPUs, goodput would read 0.89 instead of 0.67). */
static void add_hit(dcsim_model *m, fleet_priv *p, uint32_t s, uint32_t gpus, bool hardware)
{
    int64_t t = dcsim_engine_now(m->eng) +
                (int64_t)(gsl_rng_uniform(m->fleet_rng) * (double)m->sc->sample_s);
    if (t > m->sc->horizon_s)
        return;
    if (p->n_hits == p->cap_hits) {
        size_t cap = p->cap_hits ? 2 * p->cap_hits : 64;
        fleet_hit *h = realloc(p->hits, cap * sizeof *h);
        if (!h) {
            m->out_of_memory = true;
            dcsim_engine_stop(m->eng);
            return;
        }
        p->hits = h;
        p->cap_hits = cap;
    }
    p->hits[p->n_hits] = (fleet_hit){t, (uint32_t)p->n_hits, s, gpus, hardware};
    p->n_hits++;
}

static int hit_cmp(const void *a, const void *b)
{
    const fleet_hit *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hand the workload every interruption due by now. */
static void deliver_hits(dcsim_model *m, fleet_priv *p)
{
    int64_t now = dcsim_engine_now(m->eng);
    while (p->next_hit < p->n_hits && p->hits[p->next_hit].t <= now) {
        const fleet_hit *h = &p->hits[p->next_hit++];
        workload_failure(m, h->site, h->gpus, h->hardware);
    }
}

/* One failure of cause c in group g (site s, `lit` GPUs, `*up` of them running) at the end
 * of the step. */
static void fail_in_group(dcsim_model *m, fleet_priv *p, uint64_t step, uint32_t g, uint32_t s,
                          const dcsim_failure_cause *c, uint64_t lit, uint64_t *up)
{
    const dcsim_fleet *f = &m->sc->fleet;
    const dcsim_rack_model *rm = &m->sc->rack_models[g % m->sc->n_rack_models];
    uint32_t k = takes_gpus(c, rm);
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
        group_update(m, g);
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
    fleet_priv *p = priv(m);
    int64_t now = dcsim_engine_now(m->eng);
    deliver_hits(m, p);
    if (now != p->next_boundary)
        return;     /* an interruption's moment, not a step's boundary */
    uint64_t step = (uint64_t)(now / sc->sample_s);
    model_touch(m);
    p->n_hits = p->next_hit = 0;     /* the last step's are all delivered (they were < now) */
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
        check_site(m, s);
    }
    if (p->ring_len)
        memset(&p->ring[(step % p->ring_len) * p->ring_w], 0, p->ring_w * sizeof *p->ring);
    /* The interruptions in time order, one event each (ties in drawing order). */
    if (p->n_hits)
        qsort(p->hits, p->n_hits, sizeof *p->hits, hit_cmp);
    for (size_t i = 0; i < p->n_hits; i++)
        model_schedule(m, p->hits[i].t, EV_FLEET_STEP, 0);
    /* The last step may be short: it ends at the horizon, so no running time goes undrawn.
     * (Its step number is the one before's; what it files lands past the horizon.) */
    p->last_boundary = now;
    p->next_boundary = now + sc->sample_s < sc->horizon_s ? now + sc->sample_s : sc->horizon_s;
    if (now < sc->horizon_s)
        model_schedule(m, p->next_boundary, EV_FLEET_STEP, 0);
}
