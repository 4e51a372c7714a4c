/* Conservation checks. The model keeps running counters (racks per state, GPUs lit and down,
 * energy integrals) updated by many handlers; here they are recounted from the racks' own
 * states and compared. A difference is a bug in dcsim, never in the input: the run aborts
 * with the simulated time, the seed, the replication and both values, so it can be replayed.
 *
 *   racks delivered  = installed + waiting to install + unplaced
 *   racks installed  = commissioning + stranded + energized + shed
 *   GPUs energized   = GPUs of the energized racks = up + down (failed, in repair, cut off)
 *   energy supplied  = energy consumed + battery change + battery losses
 *
 * model_check runs at the end of every run, and after every sample step when the world asks
 * for it (test and debug builds: see dcsim_world_create). */
#include "model/model.h"
#include "model/fleet_priv.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static _Noreturn void violated(const dcsim_model *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static _Noreturn void violated(const dcsim_model *m, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr,
            "dcsim: internal error (a bug in dcsim, not in the scenario): invariant violated "
            "at t=%" PRId64 " s, seed %" PRIu64 ", replication %" PRIu64 ": %s\n",
            dcsim_engine_now(m->eng), m->sc->seed, m->replication, what);
    abort();
}

static void check_racks(const dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    uint64_t count[RACK_UNPLACED + 1] = {0};
    uint64_t gpus_lit = 0;
    for (uint32_t r = 0; r < sc->n_racks; r++) {
        count[m->racks[r].state]++;
        if (m->racks[r].state == RACK_ENERGIZED)
            gpus_lit += fleet_model_of(m, r)->gpus;
    }
    uint64_t stranded = 0, energized = 0, shed = 0, lit = 0;
    for (uint32_t s = 0; s < sc->n_sites; s++) {
        stranded += m->site[s].n_stranded;
        energized += m->site[s].n_energized;
        shed += m->site[s].n_shed;
        lit += m->site[s].gpus_lit;
    }
    uint64_t waiting = count[RACK_DELIVERED], unplaced = count[RACK_UNPLACED];
    if (m->n_delivered != m->n_installed + waiting + unplaced)
        violated(m, "racks delivered %u != installed %u + waiting to install %" PRIu64
                    " + unplaced %" PRIu64,
                 m->n_delivered, m->n_installed, waiting, unplaced);
    if (m->n_unplaced != unplaced)
        violated(m, "racks unplaced: counter %u, racks %" PRIu64, m->n_unplaced, unplaced);
    uint64_t in_place = count[RACK_COMMISSIONING] + count[RACK_STRANDED] +
                        count[RACK_ENERGIZED] + count[RACK_SHED];
    if (m->n_installed != in_place)
        violated(m, "racks installed %u != commissioning %" PRIu64 " + stranded %" PRIu64
                    " + energized %" PRIu64 " + shed %" PRIu64,
                 m->n_installed, count[RACK_COMMISSIONING], count[RACK_STRANDED],
                 count[RACK_ENERGIZED], count[RACK_SHED]);
    if (m->n_commissioning != count[RACK_COMMISSIONING] || stranded != count[RACK_STRANDED] ||
        energized != count[RACK_ENERGIZED] || shed != count[RACK_SHED])
        violated(m, "rack counters (commissioning %u, stranded %" PRIu64 ", energized %" PRIu64
                    ", shed %" PRIu64 ") != racks in those states (%" PRIu64 ", %" PRIu64
                    ", %" PRIu64 ", %" PRIu64 ")",
                 m->n_commissioning, stranded, energized, shed, count[RACK_COMMISSIONING],
                 count[RACK_STRANDED], count[RACK_ENERGIZED], count[RACK_SHED]);
    if (m->gpus_energized != gpus_lit || lit != gpus_lit)
        violated(m, "GPUs energized %" PRIu64 " (sites: %" PRIu64 ") != GPUs of the energized "
                    "racks %" PRIu64,
                 m->gpus_energized, lit, gpus_lit);
}

/* GPUs down per site, recounted: in discrete mode each lit rack's GPUs in repair (all of it
 * behind a down switch); in aggregate mode what each group shows. */
static void check_gpus(const dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        if (m->site[s].gpus_down > m->site[s].gpus_lit)
            violated(m, "site %s: GPUs down %" PRIu64 " > GPUs energized %" PRIu64,
                     sc->sites[s].name, m->site[s].gpus_down, m->site[s].gpus_lit);
    if (sc->fleet.mode == DCSIM_FLEET_OFF)
        return;
    uint64_t *down = calloc(sc->n_sites + 1, sizeof *down);
    if (!down)
        return;     /* a check is not worth failing the run for */
    if (sc->fleet.mode == DCSIM_FLEET_AGGREGATE) {
        const fleet_priv *p = fleet_priv_of(m);
        for (uint32_t g = 0; g < p->n_groups; g++)
            down[sc->buildings[g / sc->n_rack_models].site] += p->grp_shown[g];
    } else {
        for (uint32_t r = 0; r < sc->n_racks; r++)
            if (m->racks[r].state == RACK_ENERGIZED)
                down[sc->buildings[m->racks[r].building].site] +=
                    fleet_cut_off(m, r) ? fleet_model_of(m, r)->gpus : fleet_rack_down(m, r);
    }
    for (uint32_t s = 0; s < sc->n_sites; s++)
        if (down[s] != m->site[s].gpus_down) {
            uint64_t counted = down[s];
            free(down);
            violated(m, "site %s: GPUs down %" PRIu64 " != up to now failed, in repair or cut "
                        "off on its energized racks %" PRIu64,
                     sc->sites[s].name, m->site[s].gpus_down, counted);
        }
    free(down);
}

/* Energy at the site buses, integrated in model_touch: what the sources gave = what the
 * facilities drew + what went into the batteries - what came out. The batteries' side is
 * kept apart, in storage_settle: the change of charge = charge x efficiency - discharge /
 * efficiency. Together: supplied = consumed + battery change + losses. */
static void check_energy(const dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    double soc = 0, size = 0;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].type == DCSIM_SOURCE_STORAGE) {
            soc += m->soc_j[s];
            size += sc->sources[s].energy_j;
        }
    double change = soc - m->battery_installed_j;
    double balance = m->supplied_j - (m->facility_j + change + m->battery_loss_j);
    /* Rounding over a run of sums, plus the batteries' empty/full snapping (1e-9 of their
     * size per event at most). */
    double tol = 1e-6 * (m->supplied_j + m->facility_j + m->battery_in_j + m->battery_out_j) +
                 1e-6 * size + 1.0;
    if (!(fabs(balance) <= tol))
        violated(m, "energy supplied %.6g J != consumed %.6g J + battery change %.6g J + "
                    "losses %.6g J (off by %.3g J)",
                 m->supplied_j, m->facility_j, change, m->battery_loss_j, balance);
    /* The ledger's dispatch hands every joule drawn to a source (or to none). */
    double by_source = ledger_unsourced_j(m);
    for (uint32_t s = 0; s < sc->n_sources; s++)
        by_source += ledger_source_j(m, s);
    if (!(fabs(by_source - m->supplied_j) <= 1e-6 * m->supplied_j + 1.0))
        violated(m, "energy dispatched to sources %.6g J != drawn %.6g J", by_source,
                 m->supplied_j);
}

void model_check(dcsim_model *m)
{
    model_touch(m);
    storage_settle(m);
    check_racks(m);
    check_gpus(m);
    check_energy(m);
}
