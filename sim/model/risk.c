/* The risk register in a run: whether each risk fires, when, and what it does to the
 * activities it hits (a delay added, or a cancellation), if they have not finished yet.
 *
 * Every draw of a risk comes from its own stream, in a fixed order, whether it fires or not
 * and whether it is switched off (the drivers analysis) or mitigated: a latent normal, a
 * uniform for the moment, and its delay. So switching a risk off, or mitigating it, changes
 * nothing else in the run. Firing is decided by a Gaussian copula (docs/model.md, Risks): a
 * risk with driver d and correlation rho fires when
 *     Phi(sqrt(rho) X_d + sqrt(1 - rho) e_i) < P_i,
 * X_d one standard normal per driver and run, e_i the risk's own, P_i its probability in the
 * run; each risk still fires with probability P_i, and risks sharing a driver fire together
 * more often than independent ones. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"

bool risk_create(dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint32_t nr = sc->n_risks, na = sc->n_activities;
    m->risk_at = malloc((nr + 1) * sizeof *m->risk_at);
    m->risk_delay_s = calloc(nr + 1, sizeof *m->risk_delay_s);
    m->risk_fired = calloc(nr + 1, sizeof *m->risk_fired);
    m->act_extra_s = calloc(na + 1, sizeof *m->act_extra_s);
    m->act_done_at = malloc((na + 1) * sizeof *m->act_done_at);
    m->act_cancelled = calloc(na + 1, sizeof *m->act_cancelled);
    m->act_risk = malloc((na + 1) * sizeof *m->act_risk);
    m->risk_hit_first = malloc((nr + 1) * sizeof *m->risk_hit_first);
    m->src_lost = calloc(sc->n_sources + 1, sizeof *m->src_lost);
    m->bld_lost = calloc(sc->n_buildings + 1, sizeof *m->bld_lost);
    m->bld_held = calloc(sc->n_buildings + 1, sizeof *m->bld_held);
    if (!m->bld_lost || !m->bld_held)
        return false;
    m->dl_cut = calloc(sc->n_deliveries + 1, sizeof *m->dl_cut);
    m->dl_shift = calloc(sc->n_deliveries + 1, sizeof *m->dl_shift);
    if (!m->src_lost || !m->dl_cut || !m->dl_shift)
        return false;
    if (!m->risk_at || !m->risk_delay_s || !m->risk_fired || !m->act_extra_s ||
        !m->act_done_at || !m->act_cancelled || !m->act_risk || !m->risk_hit_first)
        return false;
    uint32_t hits = 0;
    for (uint32_t i = 0; i < nr; i++) {
        m->risk_hit_first[i] = hits;
        hits += sc->risks[i].n_hits;
    }
    m->risk_hit_first[nr] = hits;
    if (!(m->risk_hit_on = calloc((size_t)hits + 1, sizeof *m->risk_hit_on)))
        return false;
    for (uint32_t a = 0; a < na; a++) {
        m->act_done_at[a] = -1;
        m->act_risk[a] = -1;
    }
    double *x = calloc(sc->n_risk_drivers + 1, sizeof *x);
    if (!x)
        return false;
    for (uint32_t k = 0; k < sc->n_risk_drivers; k++) {
        gsl_rng *r = model_stream(m, "risk-driver", sc->risk_drivers[k].name, -1);
        if (!r) {
            free(x);
            return false;
        }
        x[k] = gsl_ran_ugaussian(r);
        gsl_rng_free(r);
    }
    bool ok = true;
    for (uint32_t i = 0; i < nr && ok; i++) {
        const dcsim_risk *rk = &sc->risks[i];
        gsl_rng *r = model_stream(m, "risk", rk->name, -1);
        if (!r) {
            ok = false;
            break;
        }
        double e = gsl_ran_ugaussian(r), v = gsl_rng_uniform(r);
        const dcsim_dist *delay = rk->mitigated ? &rk->mitigated_delay : &rk->delay;
        m->risk_delay_s[i] = rk->impact == DCSIM_RISK_DELAY ? model_draw_s(delay, r) : 0;
        gsl_rng_free(r);
        double z = e;
        if (rk->driver != UINT32_MAX) {
            double rho = sc->risk_drivers[rk->driver].correlation;
            z = sqrt(rho) * x[rk->driver] + sqrt(1 - rho) * e;
        }
        double p = dcsim_risk_run_probability(rk, rk->mitigated);
        m->risk_at[i] = -1;
        if (!(gsl_cdf_ugaussian_P(z) < p))
            continue;
        int64_t t;
        if (rk->per_day) {
            /* The day, given that some day of the window brings it: the inverse of the
             * geometric law truncated to the window, P(day <= k) = (1 - (1-q)^(k+1)) / p. */
            double q = rk->mitigated ? rk->mitigated_probability : rk->probability;
            double k = q < 1 ? ceil(log1p(-v * p) / log1p(-q)) - 1 : 0;
            if (!(k >= 0))
                k = 0;
            t = rk->from_s + (int64_t)k * DCSIM_DAY_S;
            if (t > rk->to_s)
                t = rk->to_s;
        } else {
            t = rk->from_s + (int64_t)(v * (double)(rk->to_s - rk->from_s) + 0.5);
        }
        if (t <= sc->horizon_s)     /* past the horizon it does not fire in this run */
            m->risk_at[i] = t;
    }
    free(x);
    return ok;
}

void risk_destroy(dcsim_model *m)
{
    if (m->bld_held)
        for (uint32_t b = 0; b < m->sc->n_buildings; b++)
            rack_stack_fini(&m->bld_held[b]);
    free(m->bld_held);
    free(m->bld_lost);
    void *arrays[] = {m->risk_at, m->risk_delay_s, m->risk_fired, m->act_extra_s,
                      m->act_done_at, m->act_cancelled, m->act_risk, m->risk_hit_first,
                      m->risk_hit_on, m->src_lost, m->dl_cut, m->dl_shift};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        free(arrays[i]);
}

void risk_begin(dcsim_model *m)
{
    /* Switched off (the drivers analysis fixes it after the draws were made): never fires. */
    for (uint32_t i = 0; i < m->sc->n_risks; i++)
        if (m->risk_at[i] >= 0 && !m->fix_all &&
            !(m->fix_kind == DCSIM_DRIVER_RISK && m->fix_index == i))
            model_schedule(m, m->risk_at[i], EV_RISK, i);
}

/* Whether activity a waits (after or needs) for another unfinished activity the risk hits:
 * then that one's delay reaches it, and adding the delay again would count it twice (a site,
 * or a stage listed with the source that waits for it, is delayed as a whole by one delay). */
static bool waits_on_hit(const dcsim_model *m, const dcsim_risk *rk, uint32_t a)
{
    const dcsim_activity *act = &m->sc->activities[a];
    for (int need = 0; need < 2; need++) {
        const uint32_t *list = need ? act->needs : act->deps;
        uint32_t n = need ? act->n_needs : act->n_deps;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t p = list[j];
            if (m->act_finish[p] >= 0 || m->act_failed[p])
                continue;
            for (uint32_t k = 0; k < rk->n_hits; k++)
                if (rk->hits[k] == p)
                    return true;
        }
    }
    return false;
}

/* Risk i hits activity a, its k-th hit. Returns a few words on what it did, for the log. */
static const char *hit(dcsim_model *m, uint32_t i, uint32_t k, uint32_t a)
{
    const dcsim_risk *rk = &m->sc->risks[i];
    int64_t now = dcsim_engine_now(m->eng);
    if (m->act_finish[a] >= 0 || m->act_failed[a])
        return "already finished: no effect";
    m->act_risk[a] = (int32_t)i;
    m->risk_hit_on[m->risk_hit_first[i] + k] = true;
    bool started = m->act_start[a] >= 0;
    if (rk->impact == DCSIM_RISK_CANCEL) {
        m->act_cancelled[a] = true;
        if (started)
            activity_fail(m, a, rk->name);
        return started ? "cancelled" : "cancelled before it started";
    }
    int64_t d = m->risk_delay_s[i];
    if (!started) {
        if (waits_on_hit(m, rk, a))
            return "delayed through what it waits for";
        m->act_extra_s[a] += d;     /* added to its duration when it starts */
        return "delayed before it started";
    }
    if (m->act_work_done[a]) {
        /* Its work was done and it waited for a needed item: the delay counts from now. */
        m->act_work_done[a] = false;
        m->act_done_at[a] = now + d;
    } else {
        m->act_done_at[a] += d;     /* the pending EV_ACT_DONE goes stale */
    }
    model_schedule(m, m->act_done_at[a], EV_ACT_DONE, a);
    return "delayed";
}

void risk_path(const dcsim_model *m, uint32_t a, char *buf, size_t n, size_t *used)
{
    const dcsim_scenario *sc = m->sc;
    for (uint32_t i = 0; i < sc->n_risks; i++)
        for (uint32_t k = 0; k < sc->risks[i].n_hits; k++) {
            if (sc->risks[i].hits[k] != a || !m->risk_hit_on[m->risk_hit_first[i] + k])
                continue;
            if (*used + 1 >= n)
                return;
            int w = snprintf(buf + *used, n - *used, " < risk:%s", sc->risks[i].name);
            if (w < 0 || (size_t)w >= n - *used) {
                buf[*used] = '\0';
                return;
            }
            *used += (size_t)w;
        }
}

/* A capacity loss or a delivery cut begins (sign +1) or ends (-1). */
static void share_impact(dcsim_model *m, uint32_t i, int sign)
{
    const dcsim_risk *rk = &m->sc->risks[i];
    double share = rk->mitigated ? rk->mitigated_share : rk->share;
    model_touch(m);
    for (uint32_t k = 0; k < rk->n_hits; k++) {
        uint32_t h = rk->hits[k];
        if (rk->impact == DCSIM_RISK_CAPACITY && h >= m->sc->n_sources) {
            uint32_t b = h - m->sc->n_sources;      /* a building (scn_risk.c) */
            m->bld_lost[b] += sign * share;
            if (m->bld_lost[b] < 1e-12)
                m->bld_lost[b] = 0;
            gate_building_changed(m, b);
        } else if (rk->impact == DCSIM_RISK_CAPACITY) {
            m->src_lost[h] += sign * share;
            if (m->src_lost[h] < 1e-12)
                m->src_lost[h] = 0;     /* sums of the same values: no drift below zero */
            power_capacity_changed(m, h);
        } else {
            m->dl_cut[h] += sign * share;
            if (m->dl_cut[h] < 1e-12)
                m->dl_cut[h] = 0;
        }
    }
}

void risk_end(dcsim_model *m, uint32_t i)
{
    const dcsim_risk *rk = &m->sc->risks[i];
    share_impact(m, i, -1);
    dcsim_eventlog_add(m->log, dcsim_engine_now(m->eng), "risk_over", rk->name,
                       "%s back", rk->impact == DCSIM_RISK_CAPACITY ? "capacity" : "deliveries");
}

void risk_fire(dcsim_model *m, uint32_t i)
{
    const dcsim_scenario *sc = m->sc;
    const dcsim_risk *rk = &sc->risks[i];
    int64_t now = dcsim_engine_now(m->eng);
    m->risk_fired[i] = true;
    if (rk->impact == DCSIM_RISK_CAPACITY || rk->impact == DCSIM_RISK_DELIVERY_CUT) {
        bool cap = rk->impact == DCSIM_RISK_CAPACITY;
        char what[512];
        size_t used = 0;
        what[0] = '\0';
        for (uint32_t k = 0; k < rk->n_hits && used + 1 < sizeof what; k++) {
            uint32_t h = rk->hits[k];
            int w = snprintf(what + used, sizeof what - used, "%s%s", k ? ", " : "",
                             !cap                  ? sc->deliveries[h].name
                             : h < sc->n_sources ? sc->sources[h].name
                                                   : sc->buildings[h - sc->n_sources].name);
            if (w < 0 || (size_t)w >= sizeof what - used)
                break;
            used += (size_t)w;
        }
        share_impact(m, i, +1);
        char span[64];
        if (rk->for_s > 0)
            snprintf(span, sizeof span, "for %.2f d", (double)rk->for_s / 86400.0);
        else
            snprintf(span, sizeof span, "for good");
        dcsim_eventlog_add(m->log, now, "risk_fired", rk->name, "%s %.0f%% %s%s: %s",
                           cap ? "capacity lost" : "deliveries cut",
                           (rk->mitigated ? rk->mitigated_share : rk->share) * 100, span,
                           rk->mitigated ? " (mitigated)" : "", what);
        if (rk->for_s > 0 && now + rk->for_s <= sc->horizon_s)
            model_schedule(m, now + rk->for_s, EV_RISK_END, i);
        return;
    }
    char what[512];
    size_t used = 0;
    what[0] = '\0';
    for (uint32_t k = 0; k < rk->n_hits && used + 1 < sizeof what; k++) {
        uint32_t a = rk->hits[k];
        const char *done = hit(m, i, k, a);
        int w = snprintf(what + used, sizeof what - used, "%s%s:%s %s", k ? "; " : "",
                         activity_kind_word(sc->activities[a].kind), sc->activities[a].name,
                         done);
        if (w < 0 || (size_t)w >= sizeof what - used)
            break;
        used += (size_t)w;
    }
    if (rk->impact == DCSIM_RISK_DELAY)
        dcsim_eventlog_add(m->log, now, "risk_fired", rk->name, "delay %.2f d%s: %s",
                           (double)m->risk_delay_s[i] / 86400.0,
                           rk->mitigated ? " (mitigated)" : "", what);
    else
        dcsim_eventlog_add(m->log, now, "risk_fired", rk->name, "cancellation%s: %s",
                           rk->mitigated ? " (mitigated)" : "", what);
}
