/* The Monte Carlo's bands: each replication's main series into exact per-run floats (up to
 * 2,048 runs) or fixed histograms per step and series, reduced to P10/P50/P90 and the mean
 * per step (bands.csv), and read back for the charts and tests. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "analysis/mc_priv.h"

const char *const mc_series_names[N_SERIES] = {
    "supply_mw", "facility_mw", "it_mw", "racks_energized", "racks_stranded",
    "gpus_energized", "gpus_up", "train_pflop_done", "it_energized_mw"};

void mc_record_series(dcsim_mc *mc, uint64_t rep, const dcsim_world *w)
{
    long col[N_SERIES];
    for (int s = 0; s < N_SERIES; s++)
        col[s] = dcsim_world_column(w, mc_series_names[s]);
    for (uint32_t r = 0; r < mc->rows; r++)
        for (int s = 0; s < N_SERIES; s++) {
            double v = dcsim_world_value(w, r, col[s]);
            if (!isfinite(v))
                v = 0;
            size_t cell = (size_t)r * N_SERIES + (size_t)s;
            if (mc->exact) {
                mc->vals[cell * mc->o.runs + rep] = (float)v;
                continue;
            }
            double x = v / mc->hist_max[s] * HIST_BINS;
            long bin = x < 0 ? 0 : x >= HIST_BINS ? HIST_BINS - 1 : (long)x;
            __atomic_fetch_add(&mc->hist[cell * HIST_BINS + (size_t)bin], 1u, __ATOMIC_RELAXED);
            __atomic_fetch_add(&mc->sums[cell], (int64_t)llround(v * MEAN_SCALE),
                               __ATOMIC_RELAXED);
        }
}

static double hist_quantile(const uint32_t *h, uint64_t n, double width, double q)
{
    double target = q * (double)n, cum = 0;
    for (int b = 0; b < HIST_BINS; b++) {
        if (cum + h[b] >= target && h[b] > 0)
            return width * (b + (target - cum) / h[b]);
        cum += h[b];
    }
    return width * HIST_BINS;
}

bool mc_reduce_bands(dcsim_mc *mc)
{
    size_t cells = (size_t)mc->rows * N_SERIES;
    uint64_t n = mc->n;
    mc->band = malloc((cells + 1) * 4 * sizeof *mc->band);
    double *tmp = mc->exact ? malloc((n + 1) * sizeof *tmp) : NULL;
    if (!mc->band || (mc->exact && !tmp)) {
        free(tmp);
        return false;
    }
    for (size_t c = 0; c < cells; c++) {
        double *out = &mc->band[c * 4];
        if (mc->exact) {
            for (uint64_t r = 0; r < n; r++)
                tmp[r] = mc->vals[c * mc->o.runs + r];
            out[3] = gsl_stats_mean(tmp, 1, n);
            gsl_sort(tmp, 1, n);
            out[0] = gsl_stats_quantile_from_sorted_data(tmp, 1, n, 0.1);
            out[1] = gsl_stats_quantile_from_sorted_data(tmp, 1, n, 0.5);
            out[2] = gsl_stats_quantile_from_sorted_data(tmp, 1, n, 0.9);
        } else {
            int s = (int)(c % N_SERIES);
            double width = mc->hist_max[s] / HIST_BINS;
            const uint32_t *h = &mc->hist[c * HIST_BINS];
            out[0] = hist_quantile(h, n, width, 0.1);
            out[1] = hist_quantile(h, n, width, 0.5);
            out[2] = hist_quantile(h, n, width, 0.9);
            out[3] = (double)mc->sums[c] / MEAN_SCALE / (double)n;
        }
    }
    free(tmp);
    return true;
}

/* Upper bounds of each series for the histograms: nothing can exceed what is built. */
void mc_hist_bounds(dcsim_mc *mc)
{
    const dcsim_scenario *sc = mc->sc;
    double supply = 0, it = 0, fac = 0, pflop = 0;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].type != DCSIM_SOURCE_STORAGE)
            supply += sc->sources[s].capacity_w;
    for (uint32_t b = 0; b < sc->n_buildings; b++) {
        const dcsim_building *bd = &sc->buildings[b];
        double pue = bd->pue;
        for (uint32_t k = 0; k < bd->n_pue; k++)
            pue = fmax(pue, bd->pue_value[k]);
        it += bd->it_capacity_w;
        fac += bd->it_capacity_w * pue + bd->overhead_w;
    }
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        pflop += sc->jobs[j].total_flop / 1e15;
    /* Energized IT counts racks at peak, which may exceed the buildings' rating. */
    double racks_peak = 0;
    for (uint32_t i = 0; i < sc->n_deliveries; i++)
        racks_peak += sc->deliveries[i].total * sc->rack_models[sc->deliveries[i].rack_model].peak_w;
    double maxes[N_SERIES] = {supply / 1e6, fac / 1e6, it / 1e6, sc->n_racks, sc->n_racks,
                              (double)sc->n_gpus, (double)sc->n_gpus, pflop,
                              fmax(it, racks_peak) / 1e6};
    for (int s = 0; s < N_SERIES; s++)
        mc->hist_max[s] = maxes[s] > 0 ? maxes[s] * 1.0000001 : 1.0;
}

static int series_index(const char *name)
{
    for (int s = 0; s < N_SERIES; s++)
        if (strcmp(mc_series_names[s], name) == 0)
            return s;
    return -1;
}

double dcsim_mc_band(const dcsim_mc *mc, const char *name, uint32_t row, double q)
{
    int s = series_index(name);
    if (s < 0 || row >= mc->rows)
        return NAN;
    const double *b = &mc->band[((size_t)row * N_SERIES + (size_t)s) * 4];
    return q < 0 ? b[3] : q < 0.3 ? b[0] : q < 0.7 ? b[1] : b[2];
}

bool dcsim_mc_bands_exact(const dcsim_mc *mc)
{
    return mc->exact;
}

double dcsim_mc_band_bin(const dcsim_mc *mc, const char *name)
{
    int s = series_index(name);
    return s < 0 || mc->exact ? 0 : mc->hist_max[s] / HIST_BINS;
}
