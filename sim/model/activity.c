/* The activity network: procurement stages, source pipelines, building construction and
 * equipment deliveries. An activity starts when every activity it waits for (`after`) is
 * done and its not-before date has come, works for a duration drawn from its own stream,
 * and finishes once everything it `needs` has arrived too. A stage may fail at its end (a
 * denied permit); what waits for it then never starts. Each activity records which
 * prerequisite arrived last, so a late milestone can be traced along its critical path. */
#include "model/model.h"

#include <stdio.h>
#include <string.h>

#include "dcsim/dist.h"

const char *activity_kind_word(dcsim_activity_kind k)
{
    switch (k) {
    case DCSIM_ACT_STAGE:
        return "stage";
    case DCSIM_ACT_SOURCE:
        return "source";
    case DCSIM_ACT_EQUIPMENT:
        return "equipment";
    default:
        return "building";
    }
}

/* All prerequisites are met: start now, or at the not-before date if that is later. */
static void ready(dcsim_model *m, uint32_t a)
{
    int64_t now = dcsim_engine_now(m->eng);
    const dcsim_activity *act = &m->sc->activities[a];
    if (act->not_before_s > now) {
        m->act_last[a] = -1;        /* the date, not a prerequisite, held it back */
        model_schedule(m, act->not_before_s, EV_ACT_START, a);
    } else {
        activity_start(m, a);
    }
}

void activity_begin(dcsim_model *m)
{
    for (uint32_t a = 0; a < m->sc->n_activities; a++)
        if (m->act_unmet[a] == 0)
            ready(m, a);
}

void activity_start(dcsim_model *m, uint32_t a)
{
    int64_t now = dcsim_engine_now(m->eng);
    const dcsim_activity *act = &m->sc->activities[a];
    /* Equipment: every unit has its own lead time; the item is complete with the last. */
    int64_t dur = 0;
    for (uint32_t k = 0; k < act->count; k++) {
        int64_t d = model_draw_el(m, DCSIM_DRIVER_ACTIVITY, a, &act->duration, m->act_rng[a]);
        if (d > dur)
            dur = d;
    }
    m->act_start[a] = now;
    if (m->act_cancelled[a]) {
        activity_fail(m, a, m->sc->risks[m->act_risk[a]].name);
        return;
    }
    dur += m->act_extra_s[a];      /* what risks added before it started */
    switch (act->kind) {
    case DCSIM_ACT_STAGE:
        dcsim_eventlog_add(m->log, now, "stage_start", act->name, "duration %.2f d",
                           (double)dur / 86400.0);
        break;
    case DCSIM_ACT_BUILDING:
        dcsim_eventlog_add(m->log, now, "construction_start", act->name, "duration %.2f d",
                           (double)dur / 86400.0);
        ledger_building_started(m, act->index, dur);
        break;
    case DCSIM_ACT_EQUIPMENT:
        dcsim_eventlog_add(m->log, now, "equipment_ordered", act->name,
                           "%u unit(s), last arrives after %.2f d", act->count,
                           (double)dur / 86400.0);
        break;
    default:
        break;
    }
    m->act_done_at[a] = now + dur;
    model_schedule(m, now + dur, EV_ACT_DONE, a);
}

void activity_work_done_at(dcsim_model *m, uint32_t a, int64_t t)
{
    if (m->act_done_at[a] == t && !m->act_failed[a])
        activity_work_done(m, a);
}

void activity_fail(dcsim_model *m, uint32_t a, const char *by)
{
    const dcsim_activity *act = &m->sc->activities[a];
    m->act_failed[a] = true;
    m->act_done_at[a] = -1;         /* a pending EV_ACT_DONE goes stale */
    dcsim_eventlog_add(m->log, dcsim_engine_now(m->eng), "stage_failed", act->name,
                       "cancelled by risk '%s'; nothing that waits for it will start", by);
}

static void complete(dcsim_model *m, uint32_t a);

/* The work is done; it completes now unless it still needs something, or fails. */
void activity_work_done(dcsim_model *m, uint32_t a)
{
    int64_t now = dcsim_engine_now(m->eng);
    const dcsim_activity *act = &m->sc->activities[a];
    m->act_work_done[a] = true;
    m->act_done_at[a] = -1;
    /* The planned schedule has no failures; the draw is made all the same. */
    if (act->fail_prob > 0 && gsl_rng_uniform(m->act_rng[a]) < act->fail_prob && !m->fix_all) {
        m->act_failed[a] = true;
        const char *what = act->kind == DCSIM_ACT_STAGE
                               ? m->sc->sources[m->sc->stages[act->index].source].name
                               : act->name;
        dcsim_eventlog_add(m->log, now, "stage_failed", act->name,
                           "failed (probability %.3g); '%s' will never deliver, and nothing "
                           "that waits for it will start", act->fail_prob, what);
        return;
    }
    if (m->act_needs_unmet[a] > 0) {
        dcsim_eventlog_add(m->log, now, "stage_waiting", act->name,
                           "work done; waiting for %u needed item(s)", m->act_needs_unmet[a]);
        return;
    }
    complete(m, a);
}

static void complete(dcsim_model *m, uint32_t a)
{
    int64_t now = dcsim_engine_now(m->eng);
    const dcsim_activity *act = &m->sc->activities[a];
    m->act_finish[a] = now;
    switch (act->kind) {
    case DCSIM_ACT_STAGE:
        dcsim_eventlog_add(m->log, now, "stage_done", act->name, "started %.2f d earlier",
                           (double)(now - m->act_start[a]) / 86400.0);
        break;
    case DCSIM_ACT_SOURCE:
        dcsim_eventlog_add(m->log, now, "pipeline_done", act->name, "%.3f MW in %u tranche(s)",
                           m->sc->sources[act->index].capacity_w / 1e6,
                           m->sc->sources[act->index].n_tranches);
        power_source_done(m, act->index);
        break;
    case DCSIM_ACT_BUILDING:
        dcsim_eventlog_add(m->log, now, "building_ready", act->name, "%.3f MW IT, %u positions",
                           m->sc->buildings[act->index].it_capacity_w / 1e6,
                           m->sc->buildings[act->index].rack_positions);
        supply_building_ready(m, act->index);
        break;
    case DCSIM_ACT_EQUIPMENT:
        dcsim_eventlog_add(m->log, now, "equipment_arrived", act->name, "%u unit(s)",
                           act->count);
        break;
    }
    for (uint32_t k = m->dep_first[a]; k < m->dep_first[a + 1]; k++) {
        uint32_t w = m->dep_list[k];
        DCSIM_ASSERT_SIM(m->act_unmet[w] > 0, now, m->sc->seed);
        if (--m->act_unmet[w] == 0) {
            m->act_last[w] = (int32_t)a;
            ready(m, w);
        }
    }
    /* Work waiting only for this item finishes now, and this item is its last prerequisite. */
    for (uint32_t k = m->need_first[a]; k < m->need_first[a + 1]; k++) {
        uint32_t w = m->need_list[k];
        DCSIM_ASSERT_SIM(m->act_needs_unmet[w] > 0, now, m->sc->seed);
        if (--m->act_needs_unmet[w] == 0 && m->act_work_done[w] && !m->act_failed[w]) {
            m->act_last[w] = (int32_t)a;
            complete(m, w);
        }
    }
}

void activity_path(const dcsim_model *m, int32_t a, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    /* The chain is acyclic (the loader refused cycles); the bound is a belt and braces. */
    for (uint32_t hops = 0; a >= 0 && hops <= m->sc->n_activities && used + 1 < n; hops++) {
        const dcsim_activity *act = &m->sc->activities[a];
        int w = snprintf(buf + used, n - used, "%s%s:%s", used ? " < " : "",
                         activity_kind_word(act->kind), act->name);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
        /* The risks that hit it are on the chain too (drivers of the milestone's slip). */
        risk_path(m, (uint32_t)a, buf, n, &used);
        a = m->act_last[a];
    }
}
