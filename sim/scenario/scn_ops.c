/* Scenario loader, operations: GPU models, the fleet's failure causes and spares, the
 * interconnect, training jobs, inference demand and the scheduler. Defaults for failures
 * come from the Llama 3 paper's interruption counts (docs/model.md gives the working). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"
#include "scenario/keys.h"
#include "scenario/load.h"

dcsim_status scn_load_gpus(scn_ctx *c, const dcsim_ynode *gs)
{
    dcsim_scenario *sc = c->sc;
    for (uint32_t i = 0; i < sc->n_gpu_models; i++) {
        const dcsim_ynode *key = gs->pairs[i].key, *body = gs->pairs[i].value;
        char path[SCN_PATH];
        scn_join(path, sizeof path, "gpus", key->scalar);
        TRY(scn_element_name(c, key, "gpus"));
        TRY(scn_check_keys(c, body, path, scn_keys_gpu));
        dcsim_gpu_model *g = &sc->gpu_models[i];
        if (!(g->name = scn_strdup(&sc->arena, key->scalar)))
            return OOM(c);
        TRY(scn_get_number(c, body, "peak_flops", path, true, 1e9, 1e18, &g->peak_flops));
        TRY(scn_get_power(c, body, "tdp", path, false, &g->tdp_w));
    }
    return DCSIM_OK;
}

static dcsim_status takes(scn_ctx *c, const dcsim_ynode *n, const char *path, dcsim_takes *out)
{
    static const char *const names[] = {"nothing", "gpu", "node", "rack"};
    TRY(scn_need_scalar(c, n, path));
    for (int k = 0; k < 4; k++)
        if (strcmp(n->scalar, names[k]) == 0) {
            *out = (dcsim_takes)k;
            return DCSIM_OK;
        }
    return scn_fail(c, n, path, "'%s' is not what a failure takes down (use nothing, gpu, node "
                                "or rack)", n->scalar);
}

/* The Llama 3 405B run: 419 unexpected interruptions in 54 days on 16,384 H100 GPUs
 * (21,233,664 GPU-hours), grouped by what they take down. Repair times are assumptions. */
static const struct {
    const char *name;
    double count;
    dcsim_takes takes;
    double median_h, p90_h;     /* lognormal repair; 0 for software restarts */
} llama3[] = {
    /* faulty GPU 148, SRAM 19, GSP 17, silent data corruption 6, thermal 6 */
    {"gpu", 196, DCSIM_TAKES_GPU, 48, 168},
    {"hbm", 72, DCSIM_TAKES_GPU, 48, 168},
    /* host maintenance 32, NIC 7, SSD 3, PSU 3, five others 2 each */
    {"node", 55, DCSIM_TAKES_NODE, 12, 72},
    /* switch and cable 35, NCCL watchdog 7 */
    {"network", 42, DCSIM_TAKES_NODE, 4, 24},
    {"software", 54, DCSIM_TAKES_NOTHING, 0, 0},
};
#define LLAMA3_GPU_HOURS (54.0 * 24.0 * 16384.0)

static dcsim_status default_causes(scn_ctx *c, dcsim_fleet *f)
{
    f->n_causes = sizeof llama3 / sizeof *llama3;
    f->causes = scn_alloc(&c->sc->arena, f->n_causes * sizeof *f->causes);
    if (!f->causes)
        return OOM(c);
    for (uint32_t k = 0; k < f->n_causes; k++) {
        dcsim_failure_cause *fc = &f->causes[k];
        fc->name = (char *)llama3[k].name;
        fc->rate_per_gpu_s = llama3[k].count / (LLAMA3_GPU_HOURS * 3600.0);
        fc->takes = llama3[k].takes;
        if (llama3[k].median_h > 0) {
            fc->repair.type = dcsim_dist_type_find("lognormal");
            fc->repair.nonneg = true;
            dcsim_dist_lognormal_from_median_p90(llama3[k].median_h * 3600,
                                                 llama3[k].p90_h * 3600, &fc->repair.p[0],
                                                 &fc->repair.p[1]);
        } else {
            fc->repair = dcsim_dist_fixed(0, true);
        }
    }
    return DCSIM_OK;
}

dcsim_status scn_load_failures(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_fleet *f = &c->sc->fleet;
    const dcsim_ynode *n = dcsim_ynode_get(root, "failures"), *v;
    f->mode = DCSIM_FLEET_OFF;
    f->swap_time = dcsim_dist_fixed(2 * 3600.0, true);
    if (!n)
        return DCSIM_OK;
    TRY(scn_check_keys(c, n, "failures", scn_keys_failures));
    f->mode = DCSIM_FLEET_DISCRETE;
    if ((v = dcsim_ynode_get(n, "mode"))) {
        TRY(scn_need_scalar(c, v, "failures.mode"));
        if (strcmp(v->scalar, "discrete") == 0)
            f->mode = DCSIM_FLEET_DISCRETE;
        else if (strcmp(v->scalar, "aggregate") == 0)
            f->mode = DCSIM_FLEET_AGGREGATE;
        else if (strcmp(v->scalar, "off") == 0)
            f->mode = DCSIM_FLEET_OFF;
        else
            return scn_fail(c, v, "failures.mode", "unknown mode '%s' (use discrete, aggregate "
                                                   "or off)", v->scalar);
    }
    const dcsim_ynode *cs;
    TRY(scn_section(c, n, "causes", "failures.causes", &cs));
    if (!cs) {
        TRY(default_causes(c, f));
    } else {
        f->n_causes = (uint32_t)cs->len;
        f->causes = scn_alloc(&c->sc->arena, f->n_causes * sizeof *f->causes);
        if (!f->causes)
            return OOM(c);
        for (uint32_t k = 0; k < f->n_causes; k++) {
            const dcsim_ynode *key = cs->pairs[k].key, *body = cs->pairs[k].value;
            char path[SCN_PATH], sub[SCN_PATH];
            scn_join(path, sizeof path, "failures.causes", key->scalar);
            TRY(scn_name(c, key, "failures.causes"));
            TRY(scn_check_keys(c, body, path, scn_keys_cause));
            dcsim_failure_cause *fc = &f->causes[k];
            if (!(fc->name = scn_strdup(&c->sc->arena, key->scalar)))
                return OOM(c);
            int64_t mtbf;
            TRY(scn_get_duration(c, body, "mtbf", path, true, &mtbf));
            if (mtbf <= 0)
                return scn_fail(c, dcsim_ynode_get(body, "mtbf"), path,
                                "mtbf must be above 0");
            fc->rate_per_gpu_s = 1.0 / (double)mtbf;
            fc->takes = DCSIM_TAKES_GPU;
            if ((v = dcsim_ynode_get(body, "takes")))
                TRY(takes(c, v, scn_join(sub, sizeof sub, path, "takes"), &fc->takes));
            fc->repair = dcsim_dist_fixed(0, true);
            TRY(scn_get_dist(c, body, "repair", path, fc->takes != DCSIM_TAKES_NOTHING,
                             &fc->repair));
        }
    }
    if ((v = dcsim_ynode_get(n, "spares"))) {
        TRY(scn_check_keys(c, v, "failures.spares", scn_keys_spares));
        TRY(scn_get_count(c, v, "nodes", "failures.spares", true, 0, 1000000, &f->spare_nodes));
        TRY(scn_get_dist(c, v, "swap_time", "failures.spares", false, &f->swap_time));
    }
    return DCSIM_OK;
}

static dcsim_status bandwidth(scn_ctx *c, const dcsim_ynode *map, const char *key,
                              const char *path, double *out)
{
    const dcsim_ynode *n = dcsim_ynode_get(map, key);
    char sub[SCN_PATH], why[256];
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, key);
    TRY(scn_need_scalar(c, n, sub));
    if (!dcsim_parse_bandwidth(n->scalar, out, why, sizeof why))
        return scn_fail(c, n, sub, "%s", why);
    if (*out <= 0)
        return scn_fail(c, n, sub, "a bandwidth must be above 0");
    return DCSIM_OK;
}

dcsim_status scn_load_fabric(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_fabric *f = &c->sc->fabric;
    /* GB200 NVL72: 72-GPU NVLink domains at 900 GB/s each way per GPU (1.8 TB/s both ways);
     * 400 Gb/s NDR scale-out per GPU; 3,072-GPU non-blocking pods (Meta's 24k clusters),
     * 7:1 above (reference-data.md section 7). Half the all-reduce hidden under compute is an
     * assumption. */
    f->domain_gpus = 72;
    f->domain_bw = 900e9;
    f->scaleout_bw = 50e9;
    f->pod_gpus = 3072;
    f->oversubscription = 7;
    f->overlap = 0.5;
    f->switch_repair = dcsim_dist_fixed(4 * 3600.0, true);
    const dcsim_ynode *n = dcsim_ynode_get(root, "fabric"), *v;
    if (!n)
        return DCSIM_OK;
    TRY(scn_check_keys(c, n, "fabric", scn_keys_fabric));
    TRY(scn_get_count(c, n, "domain_gpus", "fabric", false, 1, 1000000, &f->domain_gpus));
    TRY(bandwidth(c, n, "domain_bandwidth", "fabric", &f->domain_bw));
    TRY(bandwidth(c, n, "scaleout_bandwidth", "fabric", &f->scaleout_bw));
    TRY(scn_get_count(c, n, "pod_gpus", "fabric", false, 1, UINT32_MAX, &f->pod_gpus));
    TRY(scn_get_number(c, n, "oversubscription", "fabric", false, 1, 1000,
                       &f->oversubscription));
    TRY(scn_get_number(c, n, "overlap", "fabric", false, 0, 1, &f->overlap));
    if ((v = dcsim_ynode_get(n, "switch"))) {
        TRY(scn_check_keys(c, v, "fabric.switch", scn_keys_switch));
        TRY(scn_get_count(c, v, "racks", "fabric.switch", true, 1, 1000000,
                          &f->racks_per_switch));
        int64_t mtbf;
        TRY(scn_get_duration(c, v, "mtbf", "fabric.switch", true, &mtbf));
        if (mtbf <= 0)
            return scn_fail(c, dcsim_ynode_get(v, "mtbf"), "fabric.switch", "mtbf must be above 0");
        f->switch_mtbf_s = (double)mtbf;
        TRY(scn_get_dist(c, v, "repair", "fabric.switch", false, &f->switch_repair));
    }
    return DCSIM_OK;
}

static dcsim_status job_gpus(scn_ctx *c, const dcsim_ynode *body, const char *path,
                             dcsim_job *j)
{
    const dcsim_ynode *n;
    char sub[SCN_PATH];
    TRY(scn_required(c, body, "gpus", path, &n));
    scn_join(sub, sizeof sub, path, "gpus");
    TRY(scn_need_scalar(c, n, sub));
    /* "100000" wants exactly that many; "up to 200000" takes what is free, at least
     * min_gpus. */
    const char *s = n->scalar;
    j->up_to = strncmp(s, "up to ", 6) == 0;
    char why[256];
    if (!dcsim_parse_count(j->up_to ? s + 6 : s, &j->gpus, why, sizeof why))
        return scn_fail(c, n, sub, "expected a GPU count (16384) or 'up to N': %s", why);
    if (j->gpus == 0)
        return scn_fail(c, n, sub, "a job needs at least one GPU");
    j->min_gpus = j->up_to ? 1 : j->gpus;
    if (dcsim_ynode_get(body, "min_gpus")) {
        if (!j->up_to)
            return scn_fail(c, dcsim_ynode_get(body, "min_gpus"), path,
                            "'min_gpus' goes with 'gpus: up to N'");
        TRY(scn_get_count(c, body, "min_gpus", path, true, 1, j->gpus, &j->min_gpus));
    }
    return DCSIM_OK;
}

static dcsim_status job_checkpoint(scn_ctx *c, const dcsim_ynode *body, const char *path,
                                   dcsim_job *j)
{
    const dcsim_ynode *n = dcsim_ynode_get(body, "checkpoint"), *v;
    char sub[SCN_PATH], leaf[SCN_PATH];
    j->young = true;
    j->ckpt_write_s = 5 * 60;
    if (!n)
        return DCSIM_OK;
    scn_join(sub, sizeof sub, path, "checkpoint");
    TRY(scn_check_keys(c, n, sub, scn_keys_checkpoint));
    TRY(scn_get_duration(c, n, "write", sub, false, &j->ckpt_write_s));
    if ((v = dcsim_ynode_get(n, "interval"))) {
        scn_join(leaf, sizeof leaf, sub, "interval");
        TRY(scn_need_scalar(c, v, leaf));
        if (strcmp(v->scalar, "young") == 0) {
            j->young = true;
        } else if (strcmp(v->scalar, "none") == 0) {
            j->young = false;
            j->ckpt_interval_s = 0;
        } else {
            j->young = false;
            TRY(scn_duration(c, v, leaf, &j->ckpt_interval_s));
            if (j->ckpt_interval_s <= 0)
                return scn_fail(c, v, leaf, "the interval must be above 0 (or 'none')");
        }
    }
    if (j->young && j->ckpt_write_s <= 0)
        return scn_fail(c, n, sub, "Young's interval sqrt(2 MTBF write) needs a write time "
                                   "above 0");
    return DCSIM_OK;
}

dcsim_status scn_load_jobs(scn_ctx *c, const dcsim_ynode *js)
{
    dcsim_scenario *sc = c->sc;
    if (sc->n_jobs && sc->n_gpu_models == 0)
        return scn_fail(c, js, "jobs", "jobs need a 'gpus' section giving peak_flops");
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        const dcsim_ynode *key = js->pairs[i].key, *body = js->pairs[i].value, *n;
        char path[SCN_PATH], sub[SCN_PATH];
        scn_join(path, sizeof path, "jobs", key->scalar);
        TRY(scn_element_name(c, key, "jobs"));
        TRY(scn_check_keys(c, body, path, scn_keys_job));
        dcsim_job *j = &sc->jobs[i];
        if (!(j->name = scn_strdup(&sc->arena, key->scalar)))
            return OOM(c);
        TRY(scn_get_number(c, body, "flop", path, true, 1, 1e32, &j->total_flop));
        TRY(job_gpus(c, body, path, j));
        TRY(scn_get_when(c, body, "start", path, false, &j->start_s));
        if ((n = dcsim_ynode_get(body, "start_when"))) {
            j->has_condition = true;
            TRY(scn_condition(c, n, scn_join(sub, sizeof sub, path, "start_when"),
                              &j->start_metric, &j->start_threshold));
        }
        j->mfu = 0.4;
        TRY(scn_get_number(c, body, "mfu", path, false, 0.001, 1, &j->mfu));
        TRY(scn_get_number(c, body, "params", path, true, 1, 1e16, &j->params));
        j->tokens_per_step = 16e6;
        TRY(scn_get_number(c, body, "tokens_per_step", path, false, 1, 1e12,
                           &j->tokens_per_step));
        j->tp = 8;
        j->pp = 1;
        TRY(scn_get_count(c, body, "tp", path, false, 1, 1024, &j->tp));
        TRY(scn_get_count(c, body, "pp", path, false, 1, 1024, &j->pp));
        if (j->min_gpus < j->tp * j->pp)
            return scn_fail(c, dcsim_ynode_get(body, "gpus"), path, "the job needs at least tp x "
                            "pp = %u GPUs for one model replica", j->tp * j->pp);
        TRY(job_checkpoint(c, body, path, j));
        j->restart_s = 10 * 60;
        TRY(scn_get_duration(c, body, "restart", path, false, &j->restart_s));
        TRY(scn_get_number(c, body, "priority", path, false, -1e9, 1e9, &j->priority));
        j->site = UINT32_MAX;
        if (dcsim_ynode_get(body, "site"))
            TRY(scn_site_of(c, body, path, &j->site));
    }
    return DCSIM_OK;
}

dcsim_status scn_load_inference(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_inference *inf = &c->sc->inference;
    const dcsim_ynode *n = dcsim_ynode_get(root, "inference");
    inf->max_gpus = 1e12;
    inf->priority = 1;
    if (!n)
        return DCSIM_OK;
    TRY(scn_check_keys(c, n, "inference", scn_keys_inference));
    inf->enabled = true;
    TRY(scn_get_when(c, n, "start", "inference", false, &inf->start_s));
    const dcsim_ynode *tr = dcsim_ynode_get(n, "trace");
    if (tr) {
        if (dcsim_ynode_get(n, "gpus") || dcsim_ynode_get(n, "annual_growth"))
            return scn_fail(c, tr, "inference.trace", "give a trace, or gpus and annual_growth, "
                                                      "not both");
        TRY(scn_hourly(c, n, "trace", "column", "gpus", "inference", 0, 1e9, &inf->trace,
                       &inf->n_trace));
    } else {
        TRY(scn_get_number(c, n, "gpus", "inference", true, 0, 1e9, &inf->start_gpus));
        double g = 0;
        TRY(scn_get_number(c, n, "annual_growth", "inference", false, -0.99, 100, &g));
        inf->growth_per_s = log1p(g) / DCSIM_YEAR_S;
    }
    TRY(scn_get_number(c, n, "max_gpus", "inference", false, 0, 1e12, &inf->max_gpus));
    TRY(scn_get_number(c, n, "priority", "inference", false, -1e9, 1e9, &inf->priority));
    return DCSIM_OK;
}

dcsim_status scn_load_scheduler(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scheduler *s = &c->sc->scheduler;
    const dcsim_ynode *n = dcsim_ynode_get(root, "scheduler"), *v;
    s->policy = DCSIM_SCHED_PRIORITY;
    s->release_delay = dcsim_dist_fixed(0, true);
    s->stuck_time = dcsim_dist_fixed(0, true);
    if (!n)
        return DCSIM_OK;
    TRY(scn_check_keys(c, n, "scheduler", scn_keys_scheduler));
    if ((v = dcsim_ynode_get(n, "policy"))) {
        TRY(scn_need_scalar(c, v, "scheduler.policy"));
        if (strcmp(v->scalar, "priority") == 0)
            s->policy = DCSIM_SCHED_PRIORITY;
        else if (strcmp(v->scalar, "fifo") == 0)
            s->policy = DCSIM_SCHED_FIFO;
        else
            return scn_fail(c, v, "scheduler.policy", "unknown policy '%s' (use priority or "
                                                      "fifo)", v->scalar);
    }
    TRY(scn_get_dist(c, n, "release_delay", "scheduler", false, &s->release_delay));
    TRY(scn_get_number(c, n, "stuck_probability", "scheduler", false, 0, 1, &s->stuck_prob));
    TRY(scn_get_dist(c, n, "stuck_time", "scheduler", s->stuck_prob > 0, &s->stuck_time));
    return DCSIM_OK;
}
