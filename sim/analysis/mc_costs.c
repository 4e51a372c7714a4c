/* The Monte Carlo's economics: each replication's cost of slip per milestone (against its
 * planned twin, world.c), its quantiles for the grade table, and the planned twins' net
 * series that let a driver re-run be costed against the same plan (mc_drivers.c). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "analysis/mc_priv.h"

void mc_costs_record(dcsim_mc *mc, uint64_t rep, const dcsim_world *w)
{
    rep_result *r = &mc->rep[rep];
    for (uint32_t i = 0; i < mc->sc->n_milestones; i++) {
        r->ms_slip_usd[i] = dcsim_world_slip_cost(w, i);
        r->ms_net[i] = dcsim_world_milestone_net(w, i);
    }
    if (rep >= mc->driver_runs || !mc->plan_net)
        return;
    uint32_t rows = 0;
    const double *net = dcsim_world_plan_net(w, &rows);
    double *out = &mc->plan_net[rep * mc->rows];
    for (uint32_t k = 0; k < mc->rows; k++)
        out[k] = net && k < rows ? net[k] : NAN;
}

/* The planned twin's net at time t, linear between its sample rows (the net is continuous:
 * integrals only), the last step's slope beyond the last row. */
static double plan_net_at(const dcsim_mc *mc, uint64_t rep, int64_t t)
{
    const double *net = &mc->plan_net[rep * mc->rows];
    double x = (double)t / (double)mc->sc->sample_s;
    if (mc->rows < 2)
        return net[0];
    uint32_t k = x <= 0 ? 0 : (uint32_t)fmin(floor(x), (double)(mc->rows - 2));
    return net[k] + (net[k + 1] - net[k]) * (x - k);
}

double mc_costs_rerun_slip(const dcsim_mc *mc, uint64_t rep, int64_t t, double net)
{
    if (!mc->plan_net || rep >= mc->driver_runs)
        return NAN;
    return net - plan_net_at(mc, rep, t < 0 ? mc->sc->horizon_s : t);
}

double mc_quantile_finite(double *v, size_t n, double q)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[k++] = v[i];
    if (k == 0)
        return NAN;
    gsl_sort(v, 1, k);
    return gsl_stats_quantile_from_sorted_data(v, 1, k, q);
}

void dcsim_mc_slip_cost(const dcsim_mc *mc, uint32_t ms, double q[3])
{
    q[0] = q[1] = q[2] = NAN;
    if (ms >= mc->sc->n_milestones || mc->n == 0)
        return;
    double *v = malloc((mc->n + 1) * sizeof *v);
    if (!v)
        return;
    static const double at[3] = {0.1, 0.5, 0.9};
    for (int k = 0; k < 3; k++) {
        for (uint64_t r = 0; r < mc->n; r++)
            v[r] = mc->rep[r].ms_slip_usd[ms];
        q[k] = mc_quantile_finite(v, mc->n, at[k]);
    }
    free(v);
}

uint64_t dcsim_mc_cost_runs(const dcsim_mc *mc)
{
    return mc->cost_runs < mc->n ? mc->cost_runs : mc->n;
}
