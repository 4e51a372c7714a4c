/* The cost block of summary.csv: capital deployed and what owning it cost over the horizon
 * (depreciation and the cost of capital, of which stranded and idle racks), energy bought by
 * source, the value of GPU-hours delivered and lost, unit economics, and the cost of slip
 * against the planned schedule. Every money figure is in millions of US dollars (MUSD). */
#include <math.h>

#include "dcsim/units.h"
#include "record/recorder.h"

/* Depreciation (straight line over life) and cost of capital (rate x time deployed) of c
 * dollars deployed at t0, by the horizon h. */
static void own(double c, int64_t t0, int64_t h, int64_t life, double rate, double *dep,
                double *charge)
{
    if (t0 < 0 || t0 > h)
        return;
    double held = (double)(h - t0);
    *dep += c * fmin(held, (double)life) / (double)life;
    *charge += c * rate * held / DCSIM_YEAR_S;
}

/* The integral of min(h - tau, life) over tau in [a, b], a <= b <= h: each part paid at tau
 * has depreciated that long (up to its life) by the horizon. */
static double aged(double a, double b, double h, double life)
{
    double knee = h - life;     /* paid before this, fully depreciated */
    double s = 0;
    if (a < knee) {
        double e = b < knee ? b : knee;
        s += life * (e - a);
        a = e;
    }
    if (b > a)
        s += ((h - a) * (h - a) - (h - b) * (h - b)) / 2;
    return s;
}

/* The same for c dollars paid evenly over [t0, t0 + dur] (a building under
 * building_payment: spread). */
static void own_spread(double c, int64_t t0, int64_t dur, int64_t h, int64_t life,
                       double rate, double *dep, double *charge)
{
    if (t0 < 0 || t0 > h)
        return;
    double a = (double)t0, end = (double)(t0 + dur), hh = (double)h;
    double b = end < hh ? end : hh;
    double per_s = c / (double)dur;
    *dep += per_s * aged(a, b, hh, (double)life) / (double)life;
    /* Capital deployed over time: the ramp's area, then the whole until the horizon. */
    double held = hh >= end ? (hh - end) + (double)dur / 2 : (hh - a) * (hh - a) / 2 / (double)dur;
    *charge += c * rate * held / DCSIM_YEAR_S;
}

static void musd(dcsim_csvw *w, const char *metric, double usd)
{
    recorder_metric_row(w, metric, usd / 1e6, 6, "MUSD");
}

void costs_summary_rows(dcsim_csvw *w, const dcsim_recorder *rec, const dcsim_model *m)
{
    const dcsim_scenario *sc = m->sc;
    const dcsim_economics *e = &sc->econ;
    ledger_figures f;
    ledger_read(m, &f);
    int64_t h = sc->horizon_s;
    double dep = 0, charge = 0;
    for (uint32_t r = 0; r < sc->n_racks; r++) {
        const rack *rk = &m->racks[r];
        own(e->rack_capex_usd[sc->deliveries[rk->delivery].rack_model], rk->t_delivered, h,
            e->rack_life_s, e->capital_rate, &dep, &charge);
    }
    for (uint32_t b = 0; b < sc->n_buildings; b++) {
        double c = sc->buildings[b].it_capacity_w * e->building_usd_per_w;
        int64_t from = m->led.bld_pay_from[b], dur = m->led.bld_pay_s[b];
        if (e->building_spread && dur > 0)
            own_spread(c, from, dur, h, e->building_life_s, e->capital_rate, &dep, &charge);
        else
            own(c, from, h, e->building_life_s, e->capital_rate, &dep, &charge);
    }
    /* A power plant or a substation lasts as a building does. */
    for (uint32_t s = 0; s < sc->n_sources; s++)
        own(e->source_capex_usd[s], m->led.src_paid_at[s], h, e->building_life_s,
            e->capital_rate, &dep, &charge);
    double total = dep + charge + f.energy;
    musd(w, "capex_musd", f.capex);
    musd(w, "depreciation_musd", dep);
    musd(w, "capital_charge_musd", charge);
    musd(w, "stranded_cost_musd", f.stranded);
    musd(w, "idle_cost_musd", f.idle);
    recorder_metric_row(w, "grid_mwh", f.grid_mwh, 3, "MWh");
    musd(w, "grid_cost_musd", f.grid_usd);
    recorder_metric_row(w, "ppa_mwh", f.ppa_mwh, 3, "MWh");
    musd(w, "ppa_cost_musd", f.ppa_usd);
    recorder_metric_row(w, "generation_mwh", f.gen_mwh, 3, "MWh");
    recorder_metric_row(w, "fuel_burned_mmbtu", f.fuel_mmbtu, 3, "MMBtu");
    musd(w, "fuel_cost_musd", f.fuel_usd);
    musd(w, "generation_cost_musd", f.gen_usd);
    musd(w, "battery_cycling_cost_musd", f.battery_usd);
    recorder_metric_row(w, "unsourced_mwh", f.unsourced_mwh, 3, "MWh");
    musd(w, "energy_cost_musd", f.energy);
    musd(w, "total_cost_musd", total);
    recorder_metric_row(w, "gpu_hours_delivered", f.delivered_gpu_h, 1, "GPU-hours");
    musd(w, "value_delivered_musd", f.value);
    musd(w, "value_lost_failures_musd", f.lost_failures_gpu_h * e->gpu_hour_usd);
    musd(w, "value_lost_throttling_musd", f.lost_throttle_gpu_h * e->gpu_hour_usd);
    musd(w, "value_lost_stuck_musd", f.lost_stuck_gpu_h * e->gpu_hour_usd);
    musd(w, "value_lost_stranding_musd", f.lost_stranded_gpu_h * e->gpu_hour_usd);
    /* Unit economics. Training carries the share of cost its GPU-hours are of those used. */
    recorder_metric_row(w, "cost_per_gpu_hour_usd",
                        f.delivered_gpu_h > 0 ? total / f.delivered_gpu_h : NAN, 4,
                        "USD/GPU-hour");
    double train_h = 0;
    for (uint32_t j = 0; j < sc->n_jobs; j++) {
        dcsim_job_report r;
        workload_job_row(m, j, &r);
        train_h += r.gpu_hours;
    }
    double share = f.delivered_gpu_h > 0 ? fmin(1.0, train_h / f.delivered_gpu_h) : 0;
    double pflop_days = workload_flop_done(m) / 1e15 / DCSIM_DAY_S;
    recorder_metric_row(w, "cost_per_pflop_day_usd",
                        pflop_days > 0 ? total * share / pflop_days : NAN, 2,
                        "USD/PFLOP-day");
    recorder_metric_row(w, "energy_per_pflop_day_mwh",
                        pflop_days > 0 ? m->facility_j / 3.6e9 * share / pflop_days : NAN, 6,
                        "MWh/PFLOP-day");
    musd(w, "slip_cost_musd", rec->slip_usd);
    musd(w, "job_slip_cost_musd", rec->job_slip_usd);
}
