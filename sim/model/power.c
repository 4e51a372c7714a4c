/* Power supply: when a source's procurement pipeline completes, its capacity comes online
 * tranche by tranche, each after its own delay counted from the tranche before. Every rise in supply lets the gate energize
 * racks that were waiting for power. */
#include "model/model.h"

#include <stdio.h>

#include "dcsim/dist.h"
#include "dcsim/units.h"

/* Tranche k comes online delay_k after tranche k-1 (the first: after the pipeline), so
 * tranches arrive in the order written whatever their draws ("+400 MW 8 months later"). */
static void schedule_tranche(dcsim_model *m, uint32_t t)
{
    double d = dcsim_dist_draw(&m->sc->tranches[t].delay, m->tranche_rng[t]);
    if (d > (double)DCSIM_DURATION_MAX_S)
        d = (double)DCSIM_DURATION_MAX_S;
    model_schedule(m, dcsim_engine_now(m->eng) + (int64_t)(d + 0.5), EV_TRANCHE, t);
}

void power_source_done(dcsim_model *m, uint32_t source)
{
    schedule_tranche(m, m->sc->sources[source].first_tranche);
}

void power_tranche_online(dcsim_model *m, uint32_t tranche)
{
    const dcsim_tranche *t = &m->sc->tranches[tranche];
    const dcsim_source *s = &m->sc->sources[t->source];
    int64_t now = dcsim_engine_now(m->eng);
    model_touch(m);
    m->source_online_w[t->source] += t->capacity_w;
    m->supply_w += t->capacity_w;
    dcsim_eventlog_add(m->log, now, "tranche_online", s->name, "+%.3f MW, source %.3f MW, "
                       "supply %.3f MW", t->capacity_w / 1e6, m->source_online_w[t->source] / 1e6,
                       m->supply_w / 1e6);
    snprintf(m->trigger, sizeof m->trigger, "power:%s", s->name);
    m->trigger_act = (int32_t)s->activity;
    if (tranche + 1 < s->first_tranche + s->n_tranches)
        schedule_tranche(m, tranche + 1);
    gate_drain(m, t->source);
}
