/* The plan printed by `dcsim validate`: what the scenario holds, and the dates its activities
 * would reach if every duration took its mean (a deterministic critical-path pass, the
 * schedule a planner would draw before any Monte Carlo). */
#include "dcsim/scenario.h"

#include <stdio.h>
#include <stdlib.h>

#include "dcsim/units.h"

/* Earliest finish of every activity with mean durations; activities are acyclic (the loader
 * refused cycles), so repeated relaxation settles in at most n passes. */
static int64_t *mean_finish(const dcsim_scenario *sc)
{
    int64_t *fin = malloc((sc->n_activities + 1) * sizeof *fin);
    if (!fin)
        return NULL;
    for (uint32_t i = 0; i < sc->n_activities; i++)
        fin[i] = -1;
    for (uint32_t pass = 0, changed = 1; changed && pass <= sc->n_activities; pass++) {
        changed = 0;
        for (uint32_t i = 0; i < sc->n_activities; i++) {
            const dcsim_activity *a = &sc->activities[i];
            int64_t start = a->not_before_s;
            uint32_t k;
            for (k = 0; k < a->n_deps; k++) {
                if (fin[a->deps[k]] < 0)
                    break;
                if (fin[a->deps[k]] > start)
                    start = fin[a->deps[k]];
            }
            if (k < a->n_deps)
                continue;
            int64_t f = start + (int64_t)(dcsim_dist_mean(&a->duration) + 0.5);
            /* It may not finish before what it needs has arrived. */
            for (k = 0; k < a->n_needs; k++) {
                if (fin[a->needs[k]] < 0)
                    break;
                if (fin[a->needs[k]] > f)
                    f = fin[a->needs[k]];
            }
            if (k < a->n_needs)
                continue;
            if (f != fin[i]) {
                fin[i] = f;
                changed = 1;
            }
        }
    }
    return fin;
}

/* Plan dates are shown to the day: the mean-duration schedule is no more exact than that. */
static char *day(int64_t unix_s, char *buf, size_t n)
{
    int64_t d = unix_s >= 0 ? unix_s / 86400 : -((-unix_s + 86399) / 86400);
    return dcsim_format_date(d * 86400, buf, n);
}

/* The capital the plan deploys and the prices it runs at (docs/model.md, Economics). */
static void print_economics(const dcsim_scenario *sc, FILE *f)
{
    const dcsim_economics *e = &sc->econ;
    double racks = 0, halls = 0, plants = 0;
    for (uint32_t i = 0; i < sc->n_deliveries; i++)
        racks += sc->deliveries[i].total * e->rack_capex_usd[sc->deliveries[i].rack_model];
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        halls += sc->buildings[b].it_capacity_w * e->building_usd_per_w;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        plants += e->source_capex_usd[s];
    fprintf(f, "economics: capital $%.1fM (racks $%.1fM, buildings $%.1fM, power sources "
               "$%.1fM) at %.1f%% a year\n",
            (racks + halls + plants) / 1e6, racks / 1e6, halls / 1e6, plants / 1e6,
            100 * e->capital_rate);
    char grid[64];
    if (e->grid_trace) {
        double sum = 0;
        for (uint32_t k = 0; k < e->n_grid_trace; k++)
            sum += e->grid_trace[k];
        snprintf(grid, sizeof grid, "hourly, mean $%.2f/MWh", sum / e->n_grid_trace);
    } else {
        snprintf(grid, sizeof grid, "$%.2f/MWh", e->grid_usd_per_mwh);
    }
    fprintf(f, "  grid %s; on-site generation $%.2f/MWh (fuel $%.2f/MMBtu x %.0f Btu/kWh + "
               "$%.2f O&M); a GPU-hour is worth $%.2f\n",
            grid, e->fuel_usd_per_mmbtu * e->heat_rate_btu_per_kwh / 1000 +
                      e->generation_om_usd_per_mwh,
            e->fuel_usd_per_mmbtu, e->heat_rate_btu_per_kwh, e->generation_om_usd_per_mwh,
            e->gpu_hour_usd);
}

void dcsim_scenario_print_plan(const dcsim_scenario *sc, FILE *f)
{
    char d1[32], d2[32], dur[32];
    int64_t t0 = sc->start_unix;
    fprintf(f, "scenario %s (%s)\n", sc->name, sc->path);
    fprintf(f, "  start %s, horizon %s, sample %s, seed %llu, reserve %.1f%%\n",
            dcsim_format_date(t0, d1, sizeof d1),
            dcsim_format_duration((double)sc->horizon_s, d2, sizeof d2),
            dcsim_format_duration((double)sc->sample_s, dur, sizeof dur),
            (unsigned long long)sc->seed, sc->reserve * 100);
    int64_t *fin = mean_finish(sc);

    double cap = 0;
    for (uint32_t i = 0; i < sc->n_sources; i++)
        cap += sc->sources[i].capacity_w;
    fprintf(f, "power sources: %u, %.1f MW in all (dates with mean durations)\n",
            sc->n_sources, cap / 1e6);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const dcsim_source *s = &sc->sources[i];
        static const char *const types[] = {"grid", "generation", "storage", "ppa"};
        fprintf(f, "  %-16s %-10s %8.1f MW  pipeline done %s, %u tranche(s)\n", s->name,
                types[s->type], s->capacity_w / 1e6,
                fin ? day(t0 + fin[s->activity], d1, sizeof d1) : "?",
                s->n_tranches);
        for (uint32_t k = 0; k < s->n_stages; k++) {
            const dcsim_stage *st = &sc->stages[s->first_stage + k];
            const dcsim_activity *a = &sc->activities[st->activity];
            fprintf(f, "    stage %-18s %-11s mean %-8s done %s\n", st->name,
                    a->duration.type->name,
                    dcsim_format_duration(dcsim_dist_mean(&a->duration), dur, sizeof dur),
                    fin ? day(t0 + fin[st->activity], d1, sizeof d1) : "?");
        }
    }
    if (sc->n_equipment)
        fprintf(f, "equipment: %u\n", sc->n_equipment);
    for (uint32_t i = 0; i < sc->n_equipment; i++) {
        const dcsim_equipment *e = &sc->equipment[i];
        const dcsim_activity *a = &sc->activities[e->activity];
        fprintf(f, "  %-16s %4u unit(s), lead time mean %-8s all arrived %s\n", e->name,
                a->count, dcsim_format_duration(dcsim_dist_mean(&a->duration), dur, sizeof dur),
                fin ? day(t0 + fin[e->activity], d1, sizeof d1) : "?");
    }
    if (sc->n_sites > 1) {
        fprintf(f, "sites: %u\n", sc->n_sites);
        for (uint32_t i = 0; i < sc->n_sites; i++)
            fprintf(f, "  %s\n", sc->sites[i].name);
    }
    fprintf(f, "buildings: %u\n", sc->n_buildings);
    for (uint32_t i = 0; i < sc->n_buildings; i++) {
        const dcsim_building *b = &sc->buildings[i];
        const dcsim_activity *a = &sc->activities[b->activity];
        char pue[32];
        if (b->n_pue)
            snprintf(pue, sizeof pue, "%.2f-%.2f", b->pue_value[0], b->pue_value[b->n_pue - 1]);
        else
            snprintf(pue, sizeof pue, "%.2f", b->pue);
        fprintf(f, "  %-16s %8.1f MW IT, %6u positions, PUE %s, build mean %-8s ready %s\n",
                b->name, b->it_capacity_w / 1e6, b->rack_positions, pue,
                dcsim_format_duration(dcsim_dist_mean(&a->duration), dur, sizeof dur),
                fin ? day(t0 + fin[b->activity], d1, sizeof d1) : "?");
    }
    fprintf(f, "racks: %u racks, %llu GPUs in %u deliveries\n", sc->n_racks,
            (unsigned long long)sc->n_gpus, sc->n_deliveries);
    for (uint32_t i = 0; i < sc->n_deliveries; i++) {
        const dcsim_delivery *dl = &sc->deliveries[i];
        const dcsim_rack_model *m = &sc->rack_models[dl->rack_model];
        double months = dl->total / dl->per_month;
        char to[64];
        if (dl->n_buildings == 1)
            snprintf(to, sizeof to, "%s", sc->buildings[dl->buildings[0]].name);
        else
            snprintf(to, sizeof to, "a pool of %u", dl->n_buildings);
        fprintf(f, "  %-16s %6u x %-14s to %-8s from %s, %.0f/month (%.1f months)\n", dl->name,
                dl->total, m->name, to, dcsim_format_date(t0 + dl->start_s, d1, sizeof d1),
                dl->per_month, months);
    }
    if (sc->fleet.mode != DCSIM_FLEET_OFF) {
        double rate = 0;
        for (uint32_t k = 0; k < sc->fleet.n_causes; k++)
            rate += sc->fleet.causes[k].rate_per_gpu_s;
        fprintf(f, "failures: %s, %u cause(s), one per %.0f GPU-hours; %u spare nodes a site\n",
                sc->fleet.mode == DCSIM_FLEET_DISCRETE ? "discrete" : "aggregate",
                sc->fleet.n_causes, rate > 0 ? 1.0 / rate / 3600.0 : 0.0, sc->fleet.spare_nodes);
    }
    for (uint32_t j = 0; j < sc->n_jobs; j++) {
        const dcsim_job *jb = &sc->jobs[j];
        fprintf(f, "job %-16s %.3g FLOP on %s%u GPUs (tp %u x pp %u), MFU %.2f\n", jb->name,
                jb->total_flop, jb->up_to ? "up to " : "", jb->gpus, jb->tp, jb->pp, jb->mfu);
    }
    if (sc->inference.enabled)
        fprintf(f, "inference from %s\n",
                dcsim_format_date(t0 + sc->inference.start_s, d1, sizeof d1));
    fprintf(f, "milestones: %u\n", sc->n_milestones);
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_milestone *m = &sc->milestones[i];
        fprintf(f, "  %-16s planned %s  when %s\n", m->name,
                dcsim_format_date(t0 + m->planned_s, d1, sizeof d1), m->condition);
    }
    if (sc->n_risks)
        fprintf(f, "risks: %u\n", sc->n_risks);
    for (uint32_t i = 0; i < sc->n_risks; i++) {
        const dcsim_risk *r = &sc->risks[i];
        fprintf(f, "  %-22s %.0f%% a run%s, %s to %s, %s %u activit%s", r->name,
                100 * dcsim_risk_run_probability(r, r->mitigated),
                r->mitigated ? " (mitigated)" : "",
                dcsim_format_date(t0 + r->from_s, d1, sizeof d1),
                dcsim_format_date(t0 + r->to_s, d2, sizeof d2),
                r->impact == DCSIM_RISK_DELAY ? "delays" : "cancels", r->n_hits,
                r->n_hits == 1 ? "y" : "ies");
        if (r->impact == DCSIM_RISK_DELAY)
            fprintf(f, " by %.0f d on average",
                    dcsim_dist_mean(r->mitigated ? &r->mitigated_delay : &r->delay) / 86400.0);
        fputc('\n', f);
    }
    print_economics(sc, f);
    free(fin);
}
