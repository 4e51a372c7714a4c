/* The Monte Carlo's outputs: runs.csv (one row per replication), bands.csv (quantiles of the
 * main series per sample step), milestones.csv (the grade table), drivers.csv (criticality
 * and slip contribution, ranked), risks.csv (the risk register as simulated) and meta.csv. Column names are a contract: add, never
 * rename. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mc_priv.h"
#include "record/recorder.h"
#include "dcsim/csv.h"
#include "dcsim/units.h"

static void date_or_empty(dcsim_csvw *w, const dcsim_scenario *sc, double t)
{
    char buf[32];
    if (!isfinite(t) || t < 0) {
        dcsim_csvw_empty(w);
        return;
    }
    dcsim_csvw_str(w, dcsim_format_date(sc->start_unix + (int64_t)llround(t), buf, sizeof buf));
}

static void cols(dcsim_csvw *w, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        dcsim_csvw_str(w, names[k]);
}

/* A column named after an element: "NAME_SUFFIX". */
static void named_col(dcsim_csvw *w, const char *name, const char *suffix)
{
    char col[160];
    snprintf(col, sizeof col, "%s_%s", name, suffix);
    dcsim_csvw_str(w, col);
}

static dcsim_status write_runs(const dcsim_mc *mc, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "runs.csv", d);
    if (!w)
        return d->status;
    dcsim_csvw_str(w, "replication");
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        named_col(w, sc->milestones[i].name, "date");
        named_col(w, sc->milestones[i].name, "slip_days");
    }
    static const char *const tot[] = {"stranded_rack_days", "facility_mwh", "gpu_hours_busy",
                                      "train_pflop_done", "train_goodput"};
    cols(w, tot, sizeof tot / sizeof *tot);
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        named_col(w, sc->jobs[j].name, "finish");
    static const char *const money[] = {"capex_musd", "stranded_cost_musd", "energy_cost_musd",
                                        "value_delivered_musd", "slip_cost_musd"};
    cols(w, money, sizeof money / sizeof *money);
    for (uint32_t i = 0; i < sc->n_milestones; i++)
        named_col(w, sc->milestones[i].name, "slip_cost_musd");
    dcsim_csvw_endrow(w);
    for (uint64_t r = 0; r < mc->n; r++) {
        const rep_result *rr = &mc->rep[r];
        dcsim_csvw_i64(w, (int64_t)r);
        for (uint32_t i = 0; i < sc->n_milestones; i++) {
            int64_t t = rr->ms_time[i];
            date_or_empty(w, sc, t < 0 ? NAN : (double)t);
            if (t < 0)
                dcsim_csvw_empty(w);
            else
                dcsim_csvw_f64(w, (double)(t - sc->milestones[i].planned_s) / 86400.0, 3);
        }
        dcsim_csvw_f64(w, rr->tot.stranded_rack_days, 3);
        dcsim_csvw_f64(w, rr->tot.facility_mwh, 3);
        dcsim_csvw_f64(w, rr->tot.gpu_hours_busy, 1);
        dcsim_csvw_f64(w, rr->tot.train_pflop, 3);
        dcsim_csvw_f64(w, rr->tot.goodput, 6);
        for (uint32_t j = 0; j < sc->n_jobs; j++)
            date_or_empty(w, sc, rr->job_finish[j] < 0 ? NAN : (double)rr->job_finish[j]);
        dcsim_csvw_f64(w, rr->tot.capex_musd, 6);
        dcsim_csvw_f64(w, rr->tot.stranded_cost_musd, 6);
        dcsim_csvw_f64(w, rr->tot.energy_cost_musd, 6);
        dcsim_csvw_f64(w, rr->tot.value_delivered_musd, 6);
        dcsim_csvw_f64(w, rr->tot.slip_cost_musd, 6);
        for (uint32_t i = 0; i < sc->n_milestones; i++)
            dcsim_csvw_f64(w, rr->ms_slip_usd[i] / 1e6, 6);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

static dcsim_status write_bands(const dcsim_mc *mc, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "bands.csv", d);
    if (!w)
        return d->status;
    static const char *const stat[] = {"_p10", "_p50", "_p90", "_mean"};
    dcsim_csvw_str(w, "time_s");
    dcsim_csvw_str(w, "date");
    for (int s = 0; s < N_SERIES; s++)
        for (int k = 0; k < 4; k++) {
            char col[128];
            snprintf(col, sizeof col, "%s%s", mc_series_names[s], stat[k]);
            dcsim_csvw_str(w, col);
        }
    dcsim_csvw_endrow(w);
    for (uint32_t r = 0; r < mc->rows; r++) {
        dcsim_csvw_i64(w, mc->row_time[r]);
        date_or_empty(w, sc, (double)mc->row_time[r]);
        for (int s = 0; s < N_SERIES; s++)
            for (int k = 0; k < 4; k++)
                dcsim_csvw_f64(w, mc->band[((size_t)r * N_SERIES + (size_t)s) * 4 + (size_t)k],
                               4);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

static void days_or_empty(dcsim_csvw *w, double days)
{
    if (isfinite(days))
        dcsim_csvw_f64(w, days, 3);
    else
        dcsim_csvw_empty(w);
}

static dcsim_status write_grades(const dcsim_mc *mc, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "milestones.csv", d);
    if (!w)
        return d->status;
    static const char *const cols[] = {
        "milestone", "metric", "threshold", "planned", "p10", "p50", "p80", "p90",
        "mean_slip_days", "p_on_time", "p_never", "confidence", "slip_at_confidence_days",
        "grade", "p_power_limited", "runs", "slip_cost_p10_musd", "slip_cost_p50_musd",
        "slip_cost_p90_musd", "slip_cost_runs"};
    dcsim_csvw_row(w, cols, sizeof cols / sizeof *cols);
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_milestone *m = &sc->milestones[i];
        dcsim_mc_grade g;
        dcsim_mc_grade_of(mc, i, &g);
        dcsim_csvw_str(w, m->name);
        dcsim_csvw_str(w, dcsim_metric_name(m->metric));
        dcsim_csvw_f64(w, m->threshold, 3);
        date_or_empty(w, sc, (double)m->planned_s);
        /* A quantile that falls among runs that never reached it is written empty. */
        date_or_empty(w, sc, g.p10_s);
        date_or_empty(w, sc, g.p50_s);
        date_or_empty(w, sc, g.p80_s);
        date_or_empty(w, sc, g.p90_s);
        days_or_empty(w, g.mean_slip_days);
        dcsim_csvw_f64(w, g.p_on_time, 4);
        dcsim_csvw_f64(w, g.p_never, 4);
        dcsim_csvw_f64(w, sc->confidence, 2);
        days_or_empty(w, g.slip_at_conf_days);
        char grade[2] = {g.grade, '\0'};
        dcsim_csvw_str(w, grade);
        dcsim_csvw_f64(w, g.p_power_limited, 4);
        dcsim_csvw_i64(w, (int64_t)mc->n);
        double q[3];
        dcsim_mc_slip_cost(mc, i, q);
        for (int k = 0; k < 3; k++)
            dcsim_csvw_f64(w, q[k] / 1e6, 6);
        dcsim_csvw_i64(w, (int64_t)dcsim_mc_cost_runs(mc));
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

typedef struct ranked {
    uint32_t driver;
    double crit, contrib, usd;
    uint32_t rank_usd;
} ranked;

/* The largest reduction first (most negative; measured before not measured), then the most
 * critical, then the order drivers were first seen. */
static int rank_on(const ranked *x, const ranked *y, double vx, double vy)
{
    bool fx = isfinite(vx), fy = isfinite(vy);
    if (fx != fy)
        return fx ? -1 : 1;
    if (fx && vx != vy)
        return vx < vy ? -1 : 1;
    if (x->crit != y->crit)
        return x->crit > y->crit ? -1 : 1;
    return (x->driver > y->driver) - (x->driver < y->driver);
}

/* Rank by slip contribution in days, or in dollars. */
static int by_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return rank_on(x, y, x->contrib, y->contrib);
}

static int by_usd(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return rank_on(x, y, x->usd, y->usd);
}

/* The share of the runs in which risk i fired, and its mean delay in those runs (seconds;
 * NaN when it never fired or cancels). */
static double fired_share(const dcsim_mc *mc, uint32_t i, double *mean_delay_s)
{
    uint64_t fired = 0;
    double sum = 0;
    for (uint64_t rep = 0; rep < mc->n; rep++)
        if (mc->rep[rep].risk_fired[i]) {
            fired++;
            sum += (double)mc->rep[rep].risk_delay_s[i];
        }
    *mean_delay_s = fired && mc->sc->risks[i].impact == DCSIM_RISK_DELAY
                        ? sum / (double)fired
                        : NAN;
    return mc->n ? (double)fired / (double)mc->n : NAN;
}

static dcsim_status write_drivers(const dcsim_mc *mc, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "drivers.csv", d);
    if (!w)
        return d->status;
    static const char *const cols[] = {"milestone", "rank", "driver", "criticality",
                                       "slip_contribution_days", "contribution_runs",
                                       "fired_share", "slip_contribution_musd", "rank_musd"};
    dcsim_csvw_row(w, cols, sizeof cols / sizeof *cols);
    ranked *rk = malloc((mc->n_drivers + 1) * sizeof *rk);
    if (!rk) {
        dcsim_csvw_close(w, NULL);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        uint32_t n = 0;
        for (uint32_t k = 0; k < mc->n_drivers; k++) {
            size_t cell = (size_t)i * mc->n_drivers + k;
            if (!mc->crit[cell] && mc->drivers[k].kind != DCSIM_DRIVER_RISK)
                continue;       /* a risk is listed even when never critical */
            rk[n++] = (ranked){k, (double)mc->crit[cell] / (double)mc->n,
                               mc->contrib[cell], mc->contrib_usd[cell], 0};
        }
        qsort(rk, n, sizeof *rk, by_usd);
        for (uint32_t k = 0; k < n; k++)
            rk[k].rank_usd = isfinite(rk[k].usd) ? k + 1 : 0;
        qsort(rk, n, sizeof *rk, by_rank);
        for (uint32_t k = 0; k < n; k++) {
            dcsim_csvw_str(w, sc->milestones[i].name);
            dcsim_csvw_i64(w, k + 1);
            dcsim_csvw_str(w, mc->drivers[rk[k].driver].name);
            dcsim_csvw_f64(w, rk[k].crit, 4);
            days_or_empty(w, rk[k].contrib);
            if (isfinite(rk[k].contrib))
                dcsim_csvw_i64(w, mc->driver_runs);
            else
                dcsim_csvw_empty(w);
            const driver *dr = &mc->drivers[rk[k].driver];
            double delay;
            if (dr->kind == DCSIM_DRIVER_RISK)
                dcsim_csvw_f64(w, fired_share(mc, dr->index, &delay), 4);
            else
                dcsim_csvw_empty(w);
            dcsim_csvw_f64(w, rk[k].usd / 1e6, 6);
            if (rk[k].rank_usd)
                dcsim_csvw_i64(w, rk[k].rank_usd);
            else
                dcsim_csvw_empty(w);
            dcsim_csvw_endrow(w);
        }
    }
    free(rk);
    return dcsim_csvw_close(w, d);
}

/* risks.csv: the register as simulated, one row per risk and milestone. */
static dcsim_status write_risks(const dcsim_mc *mc, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "risks.csv", d);
    if (!w)
        return d->status;
    static const char *const cols[] = {"risk", "milestone", "impact", "probability",
                                       "mitigated", "mitigation_cost_usd", "fired_share",
                                       "mean_delay_days", "criticality",
                                       "slip_contribution_days", "contribution_runs",
                                       "slip_contribution_musd"};
    dcsim_csvw_row(w, cols, sizeof cols / sizeof *cols);
    for (uint32_t r = 0; r < sc->n_risks; r++) {
        const dcsim_risk *rk = &sc->risks[r];
        char name[80];
        snprintf(name, sizeof name, "risk:%s", rk->name);
        long k = -1;
        for (uint32_t j = 0; j < mc->n_drivers && k < 0; j++)
            if (strcmp(mc->drivers[j].name, name) == 0)
                k = (long)j;
        double mean_delay, share = fired_share(mc, r, &mean_delay);
        for (uint32_t i = 0; i < sc->n_milestones; i++) {
            dcsim_csvw_str(w, rk->name);
            dcsim_csvw_str(w, sc->milestones[i].name);
            dcsim_csvw_str(w, rk->impact == DCSIM_RISK_DELAY ? "delay" : "cancel");
            dcsim_csvw_f64(w, dcsim_risk_run_probability(rk, rk->mitigated), 4);
            dcsim_csvw_str(w, rk->mitigated ? "true" : "false");
            if (rk->has_mitigation)
                dcsim_csvw_f64(w, rk->mitigation_cost, 0);
            else
                dcsim_csvw_empty(w);
            dcsim_csvw_f64(w, share, 4);
            dcsim_csvw_f64(w, mean_delay / 86400.0, 2);
            size_t cell = k < 0 ? 0 : (size_t)i * mc->n_drivers + (size_t)k;
            dcsim_csvw_f64(w, k < 0 ? NAN : (double)mc->crit[cell] / (double)mc->n, 4);
            double c = k < 0 ? NAN : mc->contrib[cell];
            dcsim_csvw_f64(w, isfinite(c) ? c : NAN, 2);
            if (isfinite(c))
                dcsim_csvw_i64(w, mc->driver_runs);
            else
                dcsim_csvw_empty(w);
            dcsim_csvw_f64(w, k < 0 ? NAN : mc->contrib_usd[cell] / 1e6, 6);
            dcsim_csvw_endrow(w);
        }
    }
    return dcsim_csvw_close(w, d);
}

static dcsim_status write_meta(const dcsim_mc *mc, const char *dir, const char *cmd,
                               dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "meta.csv", d);
    if (!w)
        return d->status;
    char buf[64];
    dcsim_meta_head(w, "mc", sc);
    dcsim_csvw_kv(w, "runs", "%llu", (unsigned long long)mc->n);
    dcsim_csvw_kv(w, "runs_asked", "%llu", (unsigned long long)mc->o.runs);
    /* Partial: interrupted (Ctrl-C) after the replications in flight; every row written is a
     * completed replication 0 .. runs-1. */
    dcsim_csvw_kv(w, "partial", "%s", mc->partial ? "true" : "false");
    dcsim_csvw_kv(w, "until_stable", "%s",
                  mc->o.until_stable ? (mc->stable ? "stable" : "not stable") : "off");
    dcsim_csvw_kv(w, "bands", "%s", mc->exact ? "exact" : "histogram");
    /* 0: slip contributions were not measured */
    dcsim_csvw_kv(w, "driver_runs", "%u", mc->partial ? 0 : mc->driver_runs);
    /* runs priced against their planned twin (the cost of slip): the first ones */
    dcsim_csvw_kv(w, "cost_runs", "%llu", (unsigned long long)dcsim_mc_cost_runs(mc));
    dcsim_csvw_kv(w, "start", "%s", dcsim_format_date(sc->start_unix, buf, sizeof buf));
    dcsim_csvw_kv(w, "horizon_s", "%lld", (long long)sc->horizon_s);
    dcsim_csvw_kv(w, "sample_s", "%lld", (long long)sc->sample_s);
    /* The thread count is not written: the outputs do not depend on it. */
    dcsim_csvw_kv(w, "command_line", "%s", cmd ? cmd : "");
    return dcsim_csvw_close(w, d);
}

dcsim_status dcsim_mc_write(const dcsim_mc *mc, const char *dir, const char *command_line,
                            dcsim_diag *d)
{
    dcsim_status st = write_runs(mc, dir, d);
    if (!st)
        st = write_bands(mc, dir, d);
    if (!st)
        st = write_grades(mc, dir, d);
    if (!st)
        st = write_drivers(mc, dir, d);
    if (!st)
        st = write_risks(mc, dir, d);
    if (!st)
        st = write_meta(mc, dir, command_line, d);
    return st;
}
