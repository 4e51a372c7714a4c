/* The recorder: samples the model into rows, tracks milestones exactly, and writes the
 * run's outputs (timeseries, events, milestones, summary, meta) with the CSV writer. Column
 * names are a contract users' scripts rely on: add columns, never rename them. */
#include "record/recorder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/csv.h"
#include "dcsim/dist.h"
#include "dcsim/units.h"
#include "dcsim/version.h"

/* The fixed columns of timeseries.csv after time_s and date, in order. */
enum {
    COL_SUPPLY_MW,
    COL_FACILITY_MW,
    COL_IT_MW,
    COL_PUE,
    COL_RACKS_DELIVERED,
    COL_RACKS_INSTALLED,
    COL_RACKS_COMMISSIONING,
    COL_RACKS_ENERGIZED,
    COL_RACKS_STRANDED,
    COL_GPUS_ENERGIZED,
    COL_BUILDINGS_READY,
    COL_THROTTLE,
    COL_SHED_RACKS,
    COL_BATTERY_SOC_MWH,
    COL_BATTERY_MW,
    COL_CURTAILED_MW,
    COL_UNITS_DOWN,
    COL_AMBIENT_C,
    COL_THROUGHPUT,
    COL_GPUS_UP,
    COL_GPUS_FAILED,
    COL_GPUS_IN_REPAIR,
    COL_GPUS_IDLE,
    COL_GPUS_STUCK,
    COL_UTILIZATION,
    COL_TRAIN_PFLOP_DONE,
    COL_TRAIN_GOODPUT,
    COL_INFERENCE_SERVED,
    COL_INFERENCE_UNSERVED,
    COL_IT_ENERGIZED_MW,
    COL_CAPEX_MUSD,
    COL_STRANDED_COST_MUSD,
    COL_IDLE_COST_MUSD,
    COL_ENERGY_COST_MUSD,
    COL_VALUE_DELIVERED_MUSD,
    COL_FIXED
};
_Static_assert(COL_FIXED == DCSIM_SERIES_FIXED_COLUMNS,
               "the loader's memory check counts the fixed columns: update it");

static const char *const fixed_cols[COL_FIXED] = {
    "supply_mw", "facility_mw", "it_mw", "pue", "racks_delivered", "racks_installed",
    "racks_commissioning", "racks_energized", "racks_stranded", "gpus_energized",
    "buildings_ready", "throttle", "shed_racks", "battery_soc_mwh", "battery_mw",
    "curtailed_mw", "units_down", "ambient_c", "throughput", "gpus_up", "gpus_failed",
    "gpus_in_repair", "gpus_idle", "gpus_stuck", "utilization", "train_pflop_done",
    "train_goodput", "inference_served_gpus", "inference_unserved_gpus", "it_energized_mw",
    "capex_musd", "stranded_cost_musd", "idle_cost_musd", "energy_cost_musd",
    "value_delivered_musd",
};

/* Decimals written per column: MW and MWh to the watt(-hour), counts whole, ratios to 1e-4. */
static int col_decimals(uint32_t c)
{
    switch (c) {
    case COL_PUE:
    case COL_THROTTLE:
    case COL_THROUGHPUT:
    case COL_UTILIZATION:
    case COL_TRAIN_GOODPUT:
        return 4;
    case COL_TRAIN_PFLOP_DONE:
    case COL_INFERENCE_SERVED:
    case COL_INFERENCE_UNSERVED:
        return 3;
    case COL_AMBIENT_C:
        return 2;
    case COL_SUPPLY_MW:
    case COL_FACILITY_MW:
    case COL_IT_MW:
    case COL_IT_ENERGIZED_MW:
    case COL_BATTERY_SOC_MWH:
    case COL_BATTERY_MW:
    case COL_CURTAILED_MW:
    case COL_CAPEX_MUSD:
    case COL_STRANDED_COST_MUSD:
    case COL_IDLE_COST_MUSD:
    case COL_ENERGY_COST_MUSD:
    case COL_VALUE_DELIVERED_MUSD:
        return 6;
    default:
        return c < COL_FIXED ? 0 : 6;
    }
}

dcsim_status dcsim_recorder_init(dcsim_recorder *rec, const dcsim_scenario *sc)
{
    memset(rec, 0, sizeof *rec);
    rec->sc = sc;
    rec->n_rows = (uint32_t)(sc->horizon_s / sc->sample_s + 1);
    rec->n_cols = COL_FIXED + sc->n_sources;
    rec->time_s = calloc(rec->n_rows, sizeof *rec->time_s);
    rec->data = calloc((size_t)rec->n_rows * rec->n_cols, sizeof *rec->data);
    rec->col_names = calloc(rec->n_cols, sizeof *rec->col_names);
    rec->ms_time = calloc(sc->n_milestones + 1, sizeof *rec->ms_time);
    rec->ms_cause = calloc(sc->n_milestones + 1, sizeof *rec->ms_cause);
    rec->ms_path = calloc(sc->n_milestones + 1, sizeof *rec->ms_path);
    rec->ms_net = calloc(sc->n_milestones + 1, sizeof *rec->ms_net);
    rec->ms_slip_usd = calloc(sc->n_milestones + 1, sizeof *rec->ms_slip_usd);
    rec->ms_plan_time = calloc(sc->n_milestones + 1, sizeof *rec->ms_plan_time);
    if (!rec->time_s || !rec->data || !rec->col_names || !rec->ms_time || !rec->ms_cause ||
        !rec->ms_path || !rec->ms_net || !rec->ms_slip_usd || !rec->ms_plan_time)
        return DCSIM_ENOMEM;
    rec->slip_usd = rec->job_slip_usd = NAN;
    for (uint32_t c = 0; c < rec->n_cols; c++) {
        char name[128];
        if (c < COL_FIXED)
            snprintf(name, sizeof name, "%s", fixed_cols[c]);
        else
            snprintf(name, sizeof name, "supply_%s_mw", sc->sources[c - COL_FIXED].name);
        rec->col_names[c] = strdup(name);
        if (!rec->col_names[c])
            return DCSIM_ENOMEM;
    }
    /* Milestones on racks, GPUs or energized IT can only be reached when a rack moves: the
     * check after every event (most are failures, repairs, job steps) can skip the rest. */
    rec->by_racks = true;
    rec->seen_epoch = UINT64_MAX;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        dcsim_metric mt = sc->milestones[i].metric;
        rec->by_racks = rec->by_racks && mt != DCSIM_METRIC_FACILITY_MW &&
                        mt != DCSIM_METRIC_SUPPLY_MW;
        rec->ms_time[i] = rec->ms_plan_time[i] = -1;
        rec->ms_net[i] = rec->ms_slip_usd[i] = NAN;
    }
    return DCSIM_OK;
}

void dcsim_recorder_fini(dcsim_recorder *rec)
{
    if (rec->col_names)
        for (uint32_t c = 0; c < rec->n_cols; c++)
            free(rec->col_names[c]);
    free(rec->col_names);
    free(rec->time_s);
    free(rec->data);
    free(rec->ms_time);
    free(rec->ms_cause);
    free(rec->ms_path);
    free(rec->ms_net);
    free(rec->ms_slip_usd);
    free(rec->ms_plan_time);
    memset(rec, 0, sizeof *rec);
}

/* Campus-wide figures summed over sites. */
typedef struct totals {
    double supply_w, facility_w, it_w, capped_it_w, perf_it_w, battery_w, soc_j;
    uint32_t stranded, shed, energized;
} totals;

static totals sum_sites(const dcsim_model *m)
{
    totals t = {0};
    for (uint32_t s = 0; s < m->sc->n_sites; s++) {
        const site_state *st = &m->site[s];
        t.supply_w += st->supply_w;
        t.facility_w += st->facility_w;
        t.it_w += st->it_w;
        t.capped_it_w += gate_it_w(m, s);    /* drawn now: utilization and cap */
        t.perf_it_w += st->it_w * dcsim_table_eval(&m->perf, st->cap);
        t.battery_w += st->battery_w;
        t.stranded += st->n_stranded;
        t.shed += st->n_shed;
        t.energized += st->n_energized;
    }
    int64_t now = dcsim_engine_now(m->eng);
    for (uint32_t s = 0; s < m->sc->n_sources; s++)
        t.soc_j += storage_soc_at(m, s, now);
    return t;
}

/* Facility PUE as the campus sees it: facility over (capped) IT power while anything is lit;
 * before that, the IT-capacity-weighted PUE of the buildings now (never empty). */
static double campus_pue(const dcsim_model *m, const totals *t)
{
    if (t->capped_it_w > 0) {
        double oh = 0;
        for (uint32_t b = 0; b < m->sc->n_buildings; b++)
            if (m->bld_energized[b])
                oh += m->sc->buildings[b].overhead_w;
        return (t->facility_w - oh) / t->capped_it_w;
    }
    double cap = 0, w = 0;
    for (uint32_t b = 0; b < m->sc->n_buildings; b++) {
        cap += m->sc->buildings[b].it_capacity_w;
        w += m->sc->buildings[b].it_capacity_w * m->bld_pue[b];
    }
    return cap > 0 ? w / cap : 1.0;
}

void dcsim_recorder_sample(dcsim_recorder *rec, const dcsim_model *m, int64_t t)
{
    DCSIM_ASSERT_SIM(rec->row < rec->n_rows, t, m->sc->seed);
    const dcsim_scenario *sc = m->sc;
    double *row = &rec->data[(size_t)rec->row * rec->n_cols];
    totals tot = sum_sites(m);
    rec->time_s[rec->row] = t;
    uint32_t ready = 0;
    for (uint32_t b = 0; b < sc->n_buildings; b++)
        ready += m->bld_ready[b];
    double curtailed = 0, ambient = 0;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (m->src_curtailed[s])
            curtailed += (m->src_online_w[s] - m->src_down_w[s]) *
                         sc->sources[s].curtailment.fraction;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        ambient += m->site_ambient_c[s] / sc->n_sites;
    row[COL_SUPPLY_MW] = tot.supply_w / 1e6;
    row[COL_FACILITY_MW] = tot.facility_w / 1e6;
    row[COL_IT_MW] = tot.capped_it_w / 1e6;
    row[COL_PUE] = campus_pue(m, &tot);
    row[COL_RACKS_DELIVERED] = m->n_delivered;
    row[COL_RACKS_INSTALLED] = m->n_installed;
    row[COL_RACKS_COMMISSIONING] = m->n_commissioning;
    row[COL_RACKS_ENERGIZED] = tot.energized;
    row[COL_RACKS_STRANDED] = tot.stranded;
    row[COL_GPUS_ENERGIZED] = (double)m->gpus_energized;
    row[COL_BUILDINGS_READY] = ready;
    /* The share of lit GPU power cut by throttling (0 = none), IT-weighted over sites. */
    double cap_w = 0;
    for (uint32_t s = 0; s < sc->n_sites; s++)
        cap_w += m->site[s].it_w * m->site[s].cap;
    row[COL_THROTTLE] = tot.it_w > 0 ? 1.0 - cap_w / tot.it_w : 0.0;
    row[COL_SHED_RACKS] = tot.shed;
    row[COL_BATTERY_SOC_MWH] = tot.soc_j / 3.6e9;
    row[COL_BATTERY_MW] = tot.battery_w / 1e6;
    row[COL_CURTAILED_MW] = curtailed / 1e6;
    row[COL_UNITS_DOWN] = m->units_down;
    row[COL_AMBIENT_C] = ambient;
    row[COL_THROUGHPUT] = tot.it_w > 0 ? tot.perf_it_w / tot.it_w : 1.0;
    double lit = 0, down = 0, busy = 0, held = 0, stuck = 0;
    for (uint32_t s = 0; s < sc->n_sites; s++) {
        lit += (double)m->site[s].gpus_lit;
        down += (double)m->site[s].gpus_down;
        busy += (double)m->site[s].gpus_busy;
        held += (double)m->site[s].gpus_held;
        stuck += (double)m->site[s].gpus_stuck;
    }
    row[COL_GPUS_UP] = lit - down;
    row[COL_GPUS_FAILED] = (double)m->gpus_failed_total;
    row[COL_GPUS_IN_REPAIR] = down;
    row[COL_GPUS_IDLE] = fmax(0, lit - down - busy - held);
    row[COL_GPUS_STUCK] = stuck;
    row[COL_UTILIZATION] = lit - down > 0 ? busy / (lit - down) : 0;
    row[COL_TRAIN_PFLOP_DONE] = workload_flop_done(m) / 1e15;
    row[COL_TRAIN_GOODPUT] = workload_goodput(m);
    row[COL_INFERENCE_SERVED] = m->inference_busy;
    row[COL_INFERENCE_UNSERVED] = fmax(0, m->inference_want - m->inference_busy);
    row[COL_IT_ENERGIZED_MW] = gate_metric(m, DCSIM_METRIC_IT_ENERGIZED_MW);
    ledger_figures f;
    ledger_read(m, &f);     /* the world touched the model at t: integrals are up to now */
    row[COL_CAPEX_MUSD] = f.capex / 1e6;
    row[COL_STRANDED_COST_MUSD] = f.stranded / 1e6;
    row[COL_IDLE_COST_MUSD] = f.idle / 1e6;
    row[COL_ENERGY_COST_MUSD] = f.energy / 1e6;
    row[COL_VALUE_DELIVERED_MUSD] = f.value / 1e6;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        row[COL_FIXED + s] = (sc->sources[s].type == DCSIM_SOURCE_STORAGE
                                  ? m->batt_w[s] : power_source_w(m, s)) / 1e6;
    rec->row++;
}

void dcsim_recorder_check(dcsim_recorder *rec, const dcsim_model *m, int64_t now,
                          dcsim_eventlog *log)
{
    /* Called after every event: once all are reached there is nothing to look at. */
    if (rec->n_reached == rec->sc->n_milestones)
        return;
    if (rec->by_racks && m->rack_epoch == rec->seen_epoch)
        return;
    rec->seen_epoch = m->rack_epoch;
    for (uint32_t i = 0; i < rec->sc->n_milestones; i++) {
        if (rec->ms_time[i] >= 0)
            continue;
        const dcsim_milestone *ms = &rec->sc->milestones[i];
        /* Thresholds are compared with a hair of tolerance: 200 MW of racks summed from
         * 132 kW pieces must count as 200. */
        double v = gate_metric(m, ms->metric);
        if (v + 1e-9 * fmax(1.0, ms->threshold) < ms->threshold)
            continue;
        rec->ms_time[i] = now;
        rec->n_reached++;
        model_trigger(m, rec->ms_cause[i], sizeof rec->ms_cause[i]);
        activity_path(m, m->trigger_act, rec->ms_path[i], sizeof rec->ms_path[i]);
        dcsim_eventlog_add(log, now, "milestone", ms->name, "%s; slip %.2f d; cause %s",
                           ms->condition, (double)(now - ms->planned_s) / 86400.0,
                           rec->ms_cause[i]);
    }
}

/* ---- writers ---- */

void recorder_date_field(dcsim_csvw *w, const dcsim_scenario *sc, int64_t t)
{
    char buf[32];
    dcsim_csvw_str(w, dcsim_format_date(sc->start_unix + t, buf, sizeof buf));
}

static dcsim_status write_timeseries(const dcsim_recorder *rec, const char *dir, dcsim_diag *d)
{
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "timeseries.csv", d);
    if (!w)
        return d->status;
    dcsim_csvw_str(w, "time_s");
    dcsim_csvw_str(w, "date");
    for (uint32_t c = 0; c < rec->n_cols; c++)
        dcsim_csvw_str(w, rec->col_names[c]);
    dcsim_csvw_endrow(w);
    for (uint32_t r = 0; r < rec->row; r++) {
        const double *row = &rec->data[(size_t)r * rec->n_cols];
        dcsim_csvw_i64(w, rec->time_s[r]);
        recorder_date_field(w, rec->sc, rec->time_s[r]);
        for (uint32_t c = 0; c < rec->n_cols; c++)
            dcsim_csvw_f64(w, row[c], col_decimals(c));
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

static dcsim_status write_events(const dcsim_recorder *rec, const dcsim_eventlog *log,
                                 const char *dir, dcsim_diag *d)
{
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "events.csv", d);
    if (!w)
        return d->status;
    static const char *const head[] = {"time_s", "date", "event", "element", "detail"};
    dcsim_csvw_row(w, head, sizeof head / sizeof *head);
    for (size_t i = 0; i < log->len; i++) {
        const dcsim_logline *l = &log->lines[i];
        dcsim_csvw_i64(w, l->time_s);
        recorder_date_field(w, rec->sc, l->time_s);
        dcsim_csvw_str(w, l->event);
        dcsim_csvw_str(w, l->element);
        dcsim_csvw_str(w, l->detail);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

static dcsim_status write_milestones(const dcsim_recorder *rec, const char *dir, dcsim_diag *d)
{
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "milestones.csv", d);
    if (!w)
        return d->status;
    static const char *const head[] = {"milestone", "metric", "threshold", "planned",
                                       "simulated", "slip_days", "reached", "cause",
                                       "critical_path", "slip_cost_musd", "plan_date"};
    dcsim_csvw_row(w, head, sizeof head / sizeof *head);
    for (uint32_t i = 0; i < rec->sc->n_milestones; i++) {
        const dcsim_milestone *ms = &rec->sc->milestones[i];
        dcsim_csvw_str(w, ms->name);
        dcsim_csvw_str(w, dcsim_metric_name(ms->metric));
        dcsim_csvw_f64(w, ms->threshold, 3);
        recorder_date_field(w, rec->sc, ms->planned_s);
        if (rec->ms_time[i] >= 0) {
            recorder_date_field(w, rec->sc, rec->ms_time[i]);
            dcsim_csvw_f64(w, (double)(rec->ms_time[i] - ms->planned_s) / 86400.0, 3);
            dcsim_csvw_str(w, "true");
            dcsim_csvw_str(w, rec->ms_cause[i]);
            dcsim_csvw_str(w, rec->ms_path[i]);
        } else {
            /* Not reached within the horizon: no date and no number, never a fake one. */
            dcsim_csvw_empty(w);
            dcsim_csvw_empty(w);
            dcsim_csvw_str(w, "false");
            dcsim_csvw_empty(w);
            dcsim_csvw_empty(w);
        }
        /* Against the planned schedule, at the milestone's date (the horizon when not
         * reached); empty when the run had no planned twin. */
        if (isfinite(rec->ms_slip_usd[i]))
            dcsim_csvw_f64(w, rec->ms_slip_usd[i] / 1e6, 6);
        else
            dcsim_csvw_empty(w);
        /* ... which reached it here: every duration at its mean, no risk firing */
        if (rec->ms_plan_time[i] >= 0)
            recorder_date_field(w, rec->sc, rec->ms_plan_time[i]);
        else
            dcsim_csvw_empty(w);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

void recorder_metric_row(dcsim_csvw *w, const char *metric, double v, int decimals,
                       const char *unit)
{
    dcsim_csvw_str(w, metric);
    dcsim_csvw_f64(w, v, decimals);
    dcsim_csvw_str(w, unit);
    dcsim_csvw_endrow(w);
}

/* First time a per-row column reaches a value, or -1. */
static int64_t first_time(const dcsim_recorder *rec, uint32_t col, double at_least)
{
    for (uint32_t r = 0; r < rec->row; r++)
        if (rec->data[(size_t)r * rec->n_cols + col] >= at_least)
            return rec->time_s[r];
    return -1;
}

static dcsim_status write_summary(const dcsim_recorder *rec, const dcsim_model *m,
                                  uint64_t events_handled, const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = rec->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "summary.csv", d);
    if (!w)
        return d->status;
    dcsim_csvw_str(w, "metric");
    dcsim_csvw_str(w, "value");
    dcsim_csvw_str(w, "unit");
    dcsim_csvw_endrow(w);
    double cap = 0;
    for (uint32_t s = 0; s < sc->n_sources; s++)
        if (sc->sources[s].type != DCSIM_SOURCE_STORAGE)
            cap += sc->sources[s].capacity_w;   /* batteries are not firm supply */
    uint32_t reached = 0;
    for (uint32_t i = 0; i < sc->n_milestones; i++)
        reached += rec->ms_time[i] >= 0;
    recorder_metric_row(w, "horizon", (double)sc->horizon_s / 86400.0, 3, "d");
    recorder_metric_row(w, "supply_planned_mw", cap / 1e6, 6, "MW");
    totals tot = sum_sites(m);
    recorder_metric_row(w, "supply_final_mw", tot.supply_w / 1e6, 6, "MW");
    recorder_metric_row(w, "facility_final_mw", tot.facility_w / 1e6, 6, "MW");
    recorder_metric_row(w, "it_energized_final_mw", tot.it_w / 1e6, 6, "MW");
    recorder_metric_row(w, "racks_planned", sc->n_racks, 0, "racks");
    recorder_metric_row(w, "racks_delivered", m->n_delivered, 0, "racks");
    recorder_metric_row(w, "racks_installed", m->n_installed, 0, "racks");
    recorder_metric_row(w, "racks_energized", tot.energized, 0, "racks");
    recorder_metric_row(w, "racks_stranded_final", tot.stranded, 0, "racks");
    recorder_metric_row(w, "racks_stranded_peak", m->peak_stranded, 0, "racks");
    recorder_metric_row(w, "stranded_rack_days", m->stranded_rack_s / 86400.0, 3, "rack-days");
    recorder_metric_row(w, "racks_unplaced", m->n_unplaced, 0, "racks");
    recorder_metric_row(w, "shed_rack_days", m->shed_rack_s / 86400.0, 3, "rack-days");
    recorder_metric_row(w, "throttled_it_mwh", m->throttle_it_j / 3.6e9, 3, "MWh");
    recorder_metric_row(w, "battery_discharged_mwh", m->battery_out_j / 3.6e9, 3, "MWh");
    recorder_metric_row(w, "generation_availability",
                        m->unit_online_s > 0 ? m->unit_up_s / m->unit_online_s : NAN, 6,
                        "fraction");
    recorder_metric_row(w, "gpu_availability",
                        m->gpu_lit_s > 0 ? 1.0 - m->gpu_down_s / m->gpu_lit_s : NAN, 6, "fraction");
    recorder_metric_row(w, "gpu_hours_energized", m->gpu_lit_s / 3600.0, 1, "GPU-hours");
    recorder_metric_row(w, "gpu_hours_busy", m->gpu_busy_s / 3600.0, 1, "GPU-hours");
    recorder_metric_row(w, "gpu_hours_idle", m->gpu_idle_s / 3600.0, 1, "GPU-hours");
    recorder_metric_row(w, "gpus_failed", (double)m->gpus_failed_total, 0, "GPUs");
    recorder_metric_row(w, "job_interruptions", (double)m->interruptions, 0, "interruptions");
    recorder_metric_row(w, "stuck_gpu_hours", m->gpu_stuck_s / 3600.0, 3, "GPU-hours");
    recorder_metric_row(w, "inference_served_gpu_hours", m->inference_served_s / 3600.0, 1,
                        "GPU-hours");
    recorder_metric_row(w, "inference_unserved_gpu_hours", m->inference_unserved_s / 3600.0, 1,
                        "GPU-hours");
    recorder_metric_row(w, "train_pflop_done", workload_flop_done(m) / 1e15, 3, "PFLOP");
    recorder_metric_row(w, "train_goodput", workload_goodput(m), 6, "fraction");
    recorder_metric_row(w, "gpus_planned", (double)sc->n_gpus, 0, "GPUs");
    recorder_metric_row(w, "gpus_energized", (double)m->gpus_energized, 0, "GPUs");
    recorder_metric_row(w, "milestones", sc->n_milestones, 0, "milestones");
    recorder_metric_row(w, "milestones_reached", reached, 0, "milestones");
    recorder_metric_row(w, "events_handled", (double)events_handled, 0, "events");
    costs_summary_rows(w, rec, m);
    int64_t t = first_time(rec, COL_RACKS_ENERGIZED, sc->n_racks > 0 ? (double)sc->n_racks : 1);
    dcsim_csvw_str(w, "all_racks_energized_date");
    if (t >= 0 && sc->n_racks > 0)
        recorder_date_field(w, sc, t);
    else
        dcsim_csvw_empty(w);
    dcsim_csvw_str(w, "date");
    dcsim_csvw_endrow(w);
    return dcsim_csvw_close(w, d);
}

void dcsim_meta_head(dcsim_csvw *w, const char *kind, const dcsim_scenario *sc)
{
    dcsim_csvw_kv(w, "key", "value");
    dcsim_csvw_kv(w, "dcsim_version", "%s", DCSIM_VERSION);
    dcsim_csvw_kv(w, "kind", "%s", kind);
    dcsim_csvw_kv(w, "scenario", "%s", sc->path);
    dcsim_csvw_kv(w, "scenario_name", "%s", sc->name);
    dcsim_csvw_kv(w, "scenario_fnv1a64", "%016llx", (unsigned long long)sc->file_hash);
    dcsim_csvw_kv(w, "seed", "%llu", (unsigned long long)sc->seed);
}

static dcsim_status write_meta(const dcsim_recorder *rec, uint64_t replication,
                               const char *dir, const char *command_line, dcsim_diag *d)
{
    const dcsim_scenario *sc = rec->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "meta.csv", d);
    if (!w)
        return d->status;
    char buf[64];
    dcsim_meta_head(w, "run", sc);
    dcsim_csvw_kv(w, "replication", "%llu", (unsigned long long)replication);
    dcsim_csvw_kv(w, "start", "%s", dcsim_format_date(sc->start_unix, buf, sizeof buf));
    dcsim_csvw_kv(w, "horizon_s", "%lld", (long long)sc->horizon_s);
    dcsim_csvw_kv(w, "sample_s", "%lld", (long long)sc->sample_s);
    dcsim_csvw_kv(w, "scenario_format", "%d", DCSIM_SCENARIO_FORMAT);
    dcsim_csvw_kv(w, "command_line", "%s", command_line ? command_line : "");
    return dcsim_csvw_close(w, d);
}

dcsim_status dcsim_recorder_write(const dcsim_recorder *rec, const dcsim_model *m,
                                  const dcsim_eventlog *log, uint64_t events_handled,
                                  uint64_t replication, const char *dir,
                                  const char *command_line, dcsim_diag *d)
{
    dcsim_status st = write_timeseries(rec, dir, d);
    if (!st)
        st = write_events(rec, log, dir, d);
    if (!st)
        st = write_milestones(rec, dir, d);
    if (!st)
        st = write_summary(rec, m, events_handled, dir, d);
    if (!st)
        st = write_meta(rec, replication, dir, command_line, d);
    if (!st)
        st = recorder_write_jobs(rec, m, dir, d);
    if (!st)
        st = recorder_write_activities(rec, m, dir, d);
    return st;
}
