/* The drivers of slip: every element of the replications' cause chains, how often each was
 * critical per milestone, and what holding the most critical at plan changes the slip at the
 * confidence (re-runs on the runner's pool, mc.c). Reads the replications in index order. */
#include "dcsim/mc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "dcsim/world.h"
#include "analysis/mc_priv.h"

static long driver_index(const dcsim_mc *mc, const char *name, size_t len)
{
    for (uint32_t k = 0; k < mc->n_drivers; k++)
        if (strlen(mc->drivers[k].name) == len && strncmp(mc->drivers[k].name, name, len) == 0)
            return (long)k;
    return -1;
}

/* What "kind:name" holds fixed: an activity, a source's tranches, a delivery, or a risk
 * (switched off). */
static void resolve(const dcsim_scenario *sc, driver *dr)
{
    const char *colon = strchr(dr->name, ':');
    const char *n = colon ? colon + 1 : dr->name;
    dr->kind = -1;
    if (strncmp(dr->name, "source:", 7) == 0) {
        for (uint32_t s = 0; s < sc->n_sources; s++)
            if (strcmp(sc->sources[s].name, n) == 0)
                dr->kind = DCSIM_DRIVER_SOURCE, dr->index = s;
    } else if (strncmp(dr->name, "delivery:", 9) == 0) {
        for (uint32_t i = 0; i < sc->n_deliveries; i++)
            if (strcmp(sc->deliveries[i].name, n) == 0)
                dr->kind = DCSIM_DRIVER_DELIVERY, dr->index = i;
    } else if (strncmp(dr->name, "risk:", 5) == 0) {
        for (uint32_t i = 0; i < sc->n_risks; i++)
            if (strcmp(sc->risks[i].name, n) == 0)
                dr->kind = DCSIM_DRIVER_RISK, dr->index = i;
    } else if (strncmp(dr->name, "install:", 8) != 0) {
        for (uint32_t a = 0; a < sc->n_activities; a++)
            if (strcmp(sc->activities[a].name, n) == 0)
                dr->kind = DCSIM_DRIVER_ACTIVITY, dr->index = a;
    }
}

/* Add the driver named by the len bytes at name, if it is new. */
static bool add_driver(dcsim_mc *mc, uint32_t *cap, const char *name, size_t len)
{
    if (driver_index(mc, name, len) >= 0)
        return true;
    if (mc->n_drivers == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        driver *nd = realloc(mc->drivers, *cap * sizeof *nd);
        if (!nd)
            return false;
        mc->drivers = nd;
    }
    driver *dr = &mc->drivers[mc->n_drivers];
    if (!(dr->name = strndup(name, len)))
        return false;
    mc->n_drivers++;
    resolve(mc->sc, dr);
    return true;
}

/* Criticality: count, per milestone, the runs in which each element was on its chain. Every
 * risk of the register is a driver, critical or not: drivers.csv and risks.csv list them
 * all. */
bool mc_count_criticality(dcsim_mc *mc)
{
    const dcsim_scenario *sc = mc->sc;
    uint32_t cap = 0;
    for (uint64_t rep = 0; rep < mc->n; rep++)
        for (uint32_t i = 0; i < sc->n_milestones; i++) {
            const char *p = mc->rep[rep].ms_chain[i];
            while (p && *p) {
                const char *e = strchr(p, '\n');
                if (!add_driver(mc, &cap, p, (size_t)(e - p)))
                    return false;
                p = e + 1;
            }
        }
    for (uint32_t i = 0; i < sc->n_risks; i++) {
        char name[80];
        int len = snprintf(name, sizeof name, "risk:%s", sc->risks[i].name);
        if (!add_driver(mc, &cap, name, (size_t)len))
            return false;
    }
    size_t cells = (size_t)sc->n_milestones * mc->n_drivers + 1;
    mc->crit = calloc(cells, sizeof *mc->crit);
    mc->contrib = malloc(cells * sizeof *mc->contrib);
    mc->contrib_usd = malloc(cells * sizeof *mc->contrib_usd);
    if (!mc->crit || !mc->contrib || !mc->contrib_usd)
        return false;
    for (size_t k = 0; k < cells; k++)
        mc->contrib[k] = mc->contrib_usd[k] = NAN;
    for (uint64_t rep = 0; rep < mc->n; rep++)
        for (uint32_t i = 0; i < sc->n_milestones; i++) {
            const char *p = mc->rep[rep].ms_chain[i];
            while (p && *p) {
                const char *e = strchr(p, '\n');
                long k = driver_index(mc, p, (size_t)(e - p));
                mc->crit[(size_t)i * mc->n_drivers + (size_t)k]++;
                p = e + 1;
            }
        }
    return true;
}

typedef struct fix_job {
    uint32_t *which;             /* drivers measured */
    uint32_t n;
    int64_t *times;              /* [(which R + rep) n_ms + ms] */
    double *slip_usd;            /* [(which R + rep) n_ms + ms]: cost of slip, USD */
} fix_job;

static void replicate_fixed(dcsim_mc *mc, uint64_t task, void *arg)
{
    fix_job *fj = arg;
    const dcsim_scenario *sc = mc->sc;
    uint64_t k = task / mc->driver_runs, rep = task % mc->driver_runs;
    const driver *dr = &mc->drivers[fj->which[k]];
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_world *w = NULL;
    if (dcsim_world_create(sc, rep, &w, &d)) {
        mc_fail(mc, &d);
        return;
    }
    dcsim_world_fix(w, (dcsim_driver_kind)dr->kind, dr->index);
    dcsim_world_no_events(w);
    dcsim_world_milestones_only(w);     /* a re-run is read for its milestone dates only */
    if (dcsim_world_run(w, &d)) {
        mc_fail(mc, &d);
    } else {
        for (uint32_t i = 0; i < sc->n_milestones; i++) {
            int64_t t = dcsim_world_milestone_time(w, i);
            fj->times[task * sc->n_milestones + i] = t;
            fj->slip_usd[task * sc->n_milestones + i] =
                mc_costs_rerun_slip(mc, rep, t, dcsim_world_milestone_net(w, i));
        }
    }
    dcsim_world_destroy(w);
}

static double p80_slip_days(const dcsim_mc *mc, const int64_t *times, size_t stride,
                            uint32_t ms, uint32_t n, double *scratch)
{
    const dcsim_milestone *m = &mc->sc->milestones[ms];
    for (uint32_t r = 0; r < n; r++) {
        int64_t t = times[(size_t)r * stride + ms];
        scratch[r] = t < 0 ? INFINITY : (double)(t - m->planned_s) / 86400.0;
    }
    gsl_sort(scratch, 1, n);
    return mc_quantile_inf(scratch, n, mc->sc->confidence);
}

/* Slip contribution: hold each of the most critical fixable drivers at its planned value,
 * re-run the first R replications, and compare the confidence-quantile slip with the same R
 * replications as run. */
bool mc_measure_drivers(dcsim_mc *mc)
{
    const dcsim_scenario *sc = mc->sc;
    uint32_t nd = mc->n_drivers, nm = sc->n_milestones;
    if (!nd || !nm)
        return true;
    double *best = calloc(nd, sizeof *best);
    uint32_t *which = calloc(nd, sizeof *which);
    if (!best || !which) {
        free(best), free(which);
        return false;
    }
    for (uint32_t k = 0; k < nd; k++)
        for (uint32_t i = 0; i < nm; i++)
            best[k] = fmax(best[k], (double)mc->crit[(size_t)i * nd + k]);
    uint32_t n = 0, max = mc->o.max_drivers ? mc->o.max_drivers : 10;
    /* Each milestone's three most critical fixable drivers first (a milestone whose drivers
     * are less critical than another's still gets its own measured), ... */
    for (uint32_t i = 0; i < nm; i++)
        for (uint32_t pick = 0; pick < 3 && n < max; pick++) {
            long arg = -1;
            for (uint32_t k = 0; k < nd; k++) {
                uint32_t c = mc->crit[(size_t)i * nd + k];
                bool taken = false;
                for (uint32_t j = 0; j < n; j++)
                    taken = taken || which[j] == k;
                if (!taken && mc->drivers[k].kind >= 0 && c > 0 &&
                    (arg < 0 || c > mc->crit[(size_t)i * nd + (size_t)arg]))
                    arg = k;
            }
            if (arg < 0)
                break;
            which[n++] = (uint32_t)arg;
            best[arg] = 0;
        }
    /* ... then the most critical of the rest; ties in the order drivers were first seen. */
    for (uint32_t pick = n; pick < max; pick++) {
        long arg = -1;
        for (uint32_t k = 0; k < nd; k++)
            if (mc->drivers[k].kind >= 0 && best[k] > 0 && (arg < 0 || best[k] > best[arg]))
                arg = k;
        if (arg < 0)
            break;
        which[n++] = (uint32_t)arg;
        best[arg] = 0;
    }
    free(best);
    /* Every risk is measured too, critical or not (the register lists its contribution). */
    for (uint32_t k = 0; k < nd; k++) {
        bool taken = false;
        for (uint32_t j = 0; j < n; j++)
            taken = taken || which[j] == k;
        if (!taken && mc->drivers[k].kind == DCSIM_DRIVER_RISK)
            which[n++] = k;
    }
    uint32_t R = mc->driver_runs;
    fix_job fj = {.which = which, .n = n};
    fj.times = malloc(((size_t)n * R * nm + 1) * sizeof *fj.times);
    fj.slip_usd = malloc(((size_t)n * R * nm + 1) * sizeof *fj.slip_usd);
    int64_t *base = malloc(((size_t)R * nm + 1) * sizeof *base);
    double *scratch = malloc(((size_t)R + 1) * sizeof *scratch);
    if (!fj.times || !fj.slip_usd || !base || !scratch) {
        free(which), free(fj.times), free(fj.slip_usd), free(base), free(scratch);
        return false;
    }
    if (n && R)
        mc_run_pool(mc, 0, (uint64_t)n * R, replicate_fixed, &fj, "drivers");
    for (uint32_t r = 0; r < R; r++)
        for (uint32_t i = 0; i < nm; i++)
            base[(size_t)r * nm + i] = mc->rep[r].ms_time[i];
    for (uint32_t i = 0; i < nm && !mc->failed; i++) {
        double b = p80_slip_days(mc, base, nm, i, R, scratch);
        for (uint32_t k = 0; k < n; k++) {
            double f = p80_slip_days(mc, fj.times + (size_t)k * R * nm, nm, i, R, scratch);
            /* inf - inf: never reached either way, no measurable change. */
            mc->contrib[(size_t)i * nd + which[k]] = isinf(f) && isinf(b) ? 0 : f - b;
        }
        /* The same in dollars: the cost of slip at the confidence, held at plan against as
         * run (the same R replications, each against its own planned twin, read the same
         * way: a re-run that changes nothing changes nothing). */
        for (uint32_t r = 0; r < R; r++)
            scratch[r] = mc_costs_rerun_slip(mc, r, mc->rep[r].ms_time[i], mc->rep[r].ms_net[i]);
        double bu = mc_quantile_finite(scratch, R, sc->confidence);
        for (uint32_t k = 0; k < n; k++) {
            for (uint32_t r = 0; r < R; r++)
                scratch[r] = fj.slip_usd[((size_t)k * R + r) * nm + i];
            mc->contrib_usd[(size_t)i * nd + which[k]] =
                mc_quantile_finite(scratch, R, sc->confidence) - bu;
        }
    }
    free(which), free(fj.times), free(fj.slip_usd), free(base), free(scratch);
    return true;
}

double dcsim_mc_criticality(const dcsim_mc *mc, uint32_t ms, const char *name)
{
    long k = driver_index(mc, name, strlen(name));
    if (k < 0 || ms >= mc->sc->n_milestones)
        return 0;
    return (double)mc->crit[(size_t)ms * mc->n_drivers + (size_t)k] / (double)mc->n;
}
