/* The activity network: procurement stages, source pipelines and building construction.
 * An activity starts when every activity it waits for is done and its not-before date has
 * come, runs for a duration drawn from its own stream, and on completion releases the
 * activities that wait for it. Each records which prerequisite arrived last, so a late
 * milestone can be traced back along its critical path. */
#include "model/model.h"

#include <stdio.h>
#include <string.h>

#include "dcsim/dist.h"
#include "dcsim/units.h"

static const char *kind_word(dcsim_activity_kind k)
{
    switch (k) {
    case DCSIM_ACT_STAGE:
        return "stage";
    case DCSIM_ACT_SOURCE:
        return "source";
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
    double d = dcsim_dist_draw(&act->duration, m->act_rng[a]);
    if (d > (double)DCSIM_DURATION_MAX_S)
        d = (double)DCSIM_DURATION_MAX_S;  /* a heavy tail may not overflow the clock */
    int64_t dur = (int64_t)(d + 0.5);
    m->act_start[a] = now;
    if (act->kind != DCSIM_ACT_SOURCE)
        dcsim_eventlog_add(m->log, now, act->kind == DCSIM_ACT_STAGE ? "stage_start"
                                                                     : "construction_start",
                           act->name, "duration %.2f d", (double)dur / 86400.0);
    model_schedule(m, now + dur, EV_ACT_DONE, a);
}

void activity_done(dcsim_model *m, uint32_t a)
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
    }
    for (uint32_t k = m->dep_first[a]; k < m->dep_first[a + 1]; k++) {
        uint32_t w = m->dep_list[k];
        DCSIM_ASSERT_SIM(m->act_unmet[w] > 0, now, m->sc->seed);
        if (--m->act_unmet[w] == 0) {
            m->act_last[w] = (int32_t)a;
            ready(m, w);
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
                         kind_word(act->kind), act->name);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
        a = m->act_last[a];
    }
}
