/* The run's tables beside its series: jobs.csv (one row per training job) and
 * activities.csv (one row per stage, source pipeline, equipment item and building, for the
 * Gantt chart). */
#include <stdio.h>

#include "dcsim/csv.h"
#include "dcsim/dist.h"
#include "record/recorder.h"

dcsim_status recorder_write_jobs(const dcsim_recorder *rec, const dcsim_model *m,
                                 const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = rec->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "jobs.csv", d);
    if (!w)
        return d->status;
    static const char *const head[] = {
        "job", "state", "start", "finish", "gpus", "flop_total", "flop_done", "progress",
        "gpu_hours", "goodput", "failures", "lost_gpu_hours", "checkpoint_interval_s",
        "step_efficiency"};
    dcsim_csvw_row(w, head, sizeof head / sizeof *head);
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        dcsim_job_report r;
        workload_job_row(m, i, &r);
        dcsim_csvw_str(w, sc->jobs[i].name);
        dcsim_csvw_str(w, r.state);
        if (r.started >= 0)
            recorder_date_field(w, sc, r.started);
        else
            dcsim_csvw_empty(w);
        if (r.finished >= 0)
            recorder_date_field(w, sc, r.finished);
        else
            dcsim_csvw_empty(w);
        dcsim_csvw_i64(w, sc->jobs[i].gpus);
        dcsim_csvw_f64(w, sc->jobs[i].total_flop, 0);
        dcsim_csvw_f64(w, r.flop_done, 0);
        dcsim_csvw_f64(w, r.flop_done / sc->jobs[i].total_flop, 6);
        dcsim_csvw_f64(w, r.gpu_hours, 1);
        dcsim_csvw_f64(w, r.goodput, 6);
        dcsim_csvw_i64(w, r.failures);
        dcsim_csvw_f64(w, r.lost_gpu_hours, 1);
        dcsim_csvw_i64(w, r.checkpoint_interval_s);
        dcsim_csvw_f64(w, r.step_efficiency, 6);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

/* The activity network as it ran: one row per stage, source pipeline, equipment item and
 * building, for the Gantt chart (plots/gantt.gp). */
dcsim_status recorder_write_activities(const dcsim_recorder *rec, const dcsim_model *m,
                                       const char *dir, dcsim_diag *d)
{
    const dcsim_scenario *sc = rec->sc;
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "activities.csv", d);
    if (!w)
        return d->status;
    static const char *const head[] = {"activity", "kind", "state", "start", "finish",
                                       "start_s", "finish_s", "days", "planned_days"};
    dcsim_csvw_row(w, head, sizeof head / sizeof *head);
    for (uint32_t a = 0; a < sc->n_activities; a++) {
        const dcsim_activity *act = &sc->activities[a];
        int64_t s = m->act_start[a], f = m->act_finish[a];
        dcsim_csvw_str(w, act->name);
        dcsim_csvw_str(w, activity_kind_word(act->kind));
        dcsim_csvw_str(w, m->act_failed[a] ? "failed" : f >= 0 ? "done" : s >= 0 ? "running"
                                                                                 : "waiting");
        if (s >= 0)
            recorder_date_field(w, sc, s);
        else
            dcsim_csvw_empty(w);
        if (f >= 0)
            recorder_date_field(w, sc, f);
        else
            dcsim_csvw_empty(w);
        if (s >= 0)
            dcsim_csvw_i64(w, s);
        else
            dcsim_csvw_empty(w);
        if (f >= 0)
            dcsim_csvw_i64(w, f);
        else
            dcsim_csvw_empty(w);
        if (s >= 0 && f >= 0)
            dcsim_csvw_f64(w, (double)(f - s) / 86400.0, 3);
        else
            dcsim_csvw_empty(w);
        dcsim_csvw_f64(w, dcsim_dist_mean(&act->duration) / 86400.0, 3);
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}
