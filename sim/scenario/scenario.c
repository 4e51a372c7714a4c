/* The scenario loader: YAML (through the ytree) -> validated dcsim_scenario in SI units.
 * It walks the document once per section, checks every key, value and reference, and stops
 * at the first error with file:line:column and the key path. docs/scenario.md is the
 * reference for every key read here. */
#include "dcsim/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rng.h"
#include "dcsim/units.h"
#include "dcsim/ytree.h"
#include "scenario/keys.h"
#include "scenario/load.h"

/* The file's base name without extension, made a valid name (it becomes out/<name>):
 * characters other than letters, digits, '-' and '_' become '_'. */
static const char *base_name(const char *path, char *buf, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, n < 64 ? n : 64, "%s", b);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    for (char *p = buf; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            *p = '_';
    if (!buf[0] || strspn(buf, "_") == strlen(buf))
        snprintf(buf, n, "scenario");
    return buf;
}

static dcsim_status load_top(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    TRY(scn_check_keys(c, root, "", scn_keys_top));

    const dcsim_ynode *n = dcsim_ynode_get(root, "dcsim");
    if (n) {
        uint32_t v;
        TRY(scn_count(c, n, "dcsim", 0, UINT32_MAX, &v));
        if (v != DCSIM_SCENARIO_FORMAT)
            return scn_fail(c, n, "dcsim", "this file is format %u but this dcsim reads format "
                            "%d; %s", v, DCSIM_SCENARIO_FORMAT,
                            v > DCSIM_SCENARIO_FORMAT ? "use a newer dcsim"
                                                      : "see docs/scenario.md to update it");
    }
    if ((n = dcsim_ynode_get(root, "name"))) {
        /* The name becomes the default output directory out/<name>: keep it a plain word. */
        TRY(scn_need_scalar(c, n, "name"));
        TRY(scn_name(c, n, "name"));
        TRY(scn_string(c, n, "name", &sc->name));
    } else {
        char buf[256];
        if (!(sc->name = scn_strdup(&sc->arena, base_name(sc->path, buf, sizeof buf))))
            return OOM(c);
    }
    if ((n = dcsim_ynode_get(root, "description")))
        TRY(scn_string(c, n, "description", &sc->description));

    TRY(scn_required(c, root, "start", "", &n));
    TRY(scn_need_scalar(c, n, "start"));
    char why[256];
    if (!dcsim_parse_date(n->scalar, &sc->start_unix, why, sizeof why))
        return scn_fail(c, n, "start", "%s", why);
    if (sc->start_unix % DCSIM_DAY_S != 0)
        return scn_fail(c, n, "start", "the scenario starts at midnight UTC; give a date "
                                       "without a time");
    c->start_unix = sc->start_unix;

    const dcsim_ynode *h = dcsim_ynode_get(root, "horizon"), *e = dcsim_ynode_get(root, "end");
    if (h && e)
        return scn_fail(c, e, "end", "give either 'horizon' or 'end', not both");
    if (h)
        TRY(scn_duration(c, h, "horizon", &sc->horizon_s));
    else if (e)
        TRY(scn_when(c, e, "end", &sc->horizon_s));
    else
        return scn_fail(c, root, "", "missing required key 'horizon' (how long to simulate, "
                                     "e.g. 4y) or 'end' (a date)");
    if (sc->horizon_s <= 0)
        return scn_fail(c, h ? h : e, h ? "horizon" : "end", "the horizon must be after the start");

    sc->sample_s = DCSIM_DAY_S;
    if ((n = dcsim_ynode_get(root, "sample"))) {
        TRY(scn_duration(c, n, "sample", &sc->sample_s));
        if (sc->sample_s < 1)
            return scn_fail(c, n, "sample", "the sample step must be at least 1s");
    }
    if (sc->horizon_s / sc->sample_s + 1 > DCSIM_MAX_SAMPLES)
        return scn_fail(c, n ? n : root, "sample", "horizon / sample gives more than %u rows; "
                        "use a longer sample step", DCSIM_MAX_SAMPLES);
    sc->seed = 1;
    if ((n = dcsim_ynode_get(root, "seed")))
        TRY(scn_u64(c, n, "seed", &sc->seed));
    if ((n = dcsim_ynode_get(root, "reserve")))
        TRY(scn_number(c, n, "reserve", 0.0, 0.9, &sc->reserve));
    if ((n = dcsim_ynode_get(root, "energize_at"))) {
        TRY(scn_need_scalar(c, n, "energize_at"));
        if (strcmp(n->scalar, "load") == 0)
            sc->energize_at_load = true;
        else if (strcmp(n->scalar, "peak") != 0)
            return scn_fail(c, n, "energize_at", "use peak (light a rack only if every lit "
                                                 "rack could run at peak) or load (against "
                                                 "today's demand)");
    }
    return DCSIM_OK;
}

/* Size every array from the document before filling, so the scenario is allocated once. */
static dcsim_status allocate(scn_ctx *c, const dcsim_ynode *sources, const dcsim_ynode *eq,
                             const dcsim_ynode *bs, const dcsim_ynode *rs,
                             const dcsim_ynode *ds, const dcsim_ynode *ms,
                             const dcsim_ynode *gs, const dcsim_ynode *js)
{
    dcsim_scenario *sc = c->sc;
    size_t n_stages = 0, n_tranches = 0;
    for (size_t i = 0; i < scn_len(sources); i++) {
        const dcsim_ynode *body = sources->pairs[i].value;
        if (body->kind != DCSIM_Y_MAP)
            continue;       /* scn_load_power reports it */
        const dcsim_ynode *st = dcsim_ynode_get(body, "stages");
        const dcsim_ynode *tr = dcsim_ynode_get(body, "tranches");
        const dcsim_ynode *un = dcsim_ynode_get(body, "units");
        uint32_t units = 0;
        if (st && st->kind == DCSIM_Y_MAP)
            n_stages += st->len;
        if (un && un->kind == DCSIM_Y_SCALAR && dcsim_parse_count(un->scalar, &units, NULL, 0) &&
            units <= 100000)
            n_tranches += units ? units : 1;
        else
            n_tranches += (tr && tr->kind == DCSIM_Y_SEQ && tr->len) ? tr->len : 1;
    }
    size_t n_act = n_stages + scn_len(sources) + scn_len(bs) + scn_len(eq);
    size_t total = n_act + n_tranches + scn_len(rs) + scn_len(ds) + scn_len(ms);
    if (total > DCSIM_MAX_ELEMENTS)
        return scn_fail(c, NULL, "", "the scenario has more than %u elements", DCSIM_MAX_ELEMENTS);
    sc->n_stages = (uint32_t)n_stages;
    sc->n_sources = (uint32_t)scn_len(sources);
    sc->n_tranches = (uint32_t)n_tranches;
    sc->n_buildings = (uint32_t)scn_len(bs);
    sc->n_equipment = (uint32_t)scn_len(eq);
    sc->n_rack_models = (uint32_t)scn_len(rs);
    sc->n_deliveries = (uint32_t)scn_len(ds);
    sc->n_milestones = (uint32_t)scn_len(ms);
    sc->n_gpu_models = (uint32_t)scn_len(gs);
    sc->n_jobs = (uint32_t)scn_len(js);
    sc->gpu_models = scn_alloc(&sc->arena, (sc->n_gpu_models + 1) * sizeof *sc->gpu_models);
    sc->jobs = scn_alloc(&sc->arena, (sc->n_jobs + 1) * sizeof *sc->jobs);
    if (!sc->gpu_models || !sc->jobs)
        return OOM(c);
    sc->n_activities = (uint32_t)n_act;
    sc->activities = scn_alloc(&sc->arena, (n_act + 1) * sizeof *sc->activities);
    sc->stages = scn_alloc(&sc->arena, (n_stages + 1) * sizeof *sc->stages);
    sc->sources = scn_alloc(&sc->arena, (sc->n_sources + 1) * sizeof *sc->sources);
    sc->tranches = scn_alloc(&sc->arena, (n_tranches + 1) * sizeof *sc->tranches);
    sc->buildings = scn_alloc(&sc->arena, (sc->n_buildings + 1) * sizeof *sc->buildings);
    sc->equipment = scn_alloc(&sc->arena, (sc->n_equipment + 1) * sizeof *sc->equipment);
    sc->rack_models = scn_alloc(&sc->arena, (sc->n_rack_models + 1) * sizeof *sc->rack_models);
    sc->deliveries = scn_alloc(&sc->arena, (sc->n_deliveries + 1) * sizeof *sc->deliveries);
    sc->milestones = scn_alloc(&sc->arena, (sc->n_milestones + 1) * sizeof *sc->milestones);
    c->act_node = calloc(n_act + 1, sizeof *c->act_node);
    if (!sc->activities || !sc->stages || !sc->sources || !sc->tranches || !sc->buildings ||
        !sc->equipment || !sc->rack_models || !sc->deliveries || !sc->milestones ||
        !c->act_node)
        return OOM(c);
    return DCSIM_OK;
}

/* ---- limits: what one run may cost (docs/scenario.md, "Limits") ---- */

/* The key node of `key` in map (to point at a section by its name), or NULL. */
static const dcsim_ynode *key_of(const dcsim_ynode *map, const char *key)
{
    if (!map || map->kind != DCSIM_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->len; i++)
        if (strcmp(map->pairs[i].key->scalar, key) == 0)
            return map->pairs[i].key;
    return NULL;
}

/* The node at a path of keys below n (NULL-terminated), or NULL when any step is missing. */
static const dcsim_ynode *node_at(const dcsim_ynode *n, const char *const *keys)
{
    for (; n && *keys; keys++)
        n = n->kind == DCSIM_Y_MAP ? dcsim_ynode_get(n, *keys) : NULL;
    return n;
}

static const dcsim_ynode *entries(const dcsim_ynode *root, const char *const *keys)
{
    const dcsim_ynode *n = node_at(root, keys);
    return n && n->kind == DCSIM_Y_MAP ? n : NULL;
}

static dcsim_status add_elements(scn_ctx *c, size_t *total, size_t more, const dcsim_ynode *at)
{
    *total += more;
    if (*total <= DCSIM_MAX_ELEMENTS)
        return DCSIM_OK;
    return scn_fail(c, at, NULL, "the scenario has more than %u elements by here (each site, "
                    "source, stage, tranche or generation unit, equipment item, building, rack "
                    "model, delivery, milestone, GPU model, job, failure cause, class, risk and "
                    "risk driver counts one); the model keeps arrays of each",
                    DCSIM_MAX_ELEMENTS);
}

/* Every element the model keeps state for, counted in document order before anything is
 * allocated, so the refusal points at the entry (or the `units` value) past the limit. A
 * source counts itself, its stages and its tranches, sized as allocate() sizes them. */
static dcsim_status check_elements(scn_ctx *c, const dcsim_ynode *root)
{
    static const char *const sections[][3] = {
        {"sites", NULL}, {"equipment", NULL}, {"buildings", NULL}, {"racks", NULL},
        {"deliveries", NULL}, {"milestones", NULL}, {"gpus", NULL}, {"jobs", NULL},
        {"failures", "causes", NULL}, {"shortage", "classes", NULL}, {"risks", NULL},
        {"risk_drivers", NULL},
    };
    static const char *const power_sources[] = {"power", "sources", NULL};
    size_t total = 0;
    const dcsim_ynode *src = entries(root, power_sources);
    for (size_t i = 0; i < scn_len(src); i++) {
        const dcsim_ynode *key = src->pairs[i].key, *body = src->pairs[i].value;
        TRY(add_elements(c, &total, 1, key));
        if (body->kind != DCSIM_Y_MAP)
            continue;
        const dcsim_ynode *st = dcsim_ynode_get(body, "stages");
        const dcsim_ynode *tr = dcsim_ynode_get(body, "tranches");
        const dcsim_ynode *un = dcsim_ynode_get(body, "units");
        uint32_t units = 0;
        if (st && st->kind == DCSIM_Y_MAP)
            TRY(add_elements(c, &total, st->len, st));
        if (un && un->kind == DCSIM_Y_SCALAR && dcsim_parse_count(un->scalar, &units, NULL, 0) &&
            units <= 100000)
            TRY(add_elements(c, &total, units ? units : 1, un));
        else
            TRY(add_elements(c, &total, (tr && tr->kind == DCSIM_Y_SEQ && tr->len) ? tr->len : 1,
                             tr ? tr : key));
    }
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        const dcsim_ynode *sec = entries(root, sections[s]);
        for (size_t i = 0; i < scn_len(sec); i++)
            TRY(add_elements(c, &total, 1, sec->pairs[i].key));
    }
    return DCSIM_OK;
}

/* Tables the model keeps over two kinds of element (racks lit per building and rack model,
 * per site and class, GPUs per job and site): their product bounds that memory. */
static dcsim_status check_pairs(scn_ctx *c, const dcsim_ynode *root)
{
    const dcsim_scenario *sc = c->sc;
    const dcsim_ynode *shortage = dcsim_ynode_get(root, "shortage");
    const struct {
        uint64_t a, b;
        const char *what_a, *what_b;
        const dcsim_ynode *at;
    } pairs[] = {
        {sc->n_buildings, sc->n_rack_models, "buildings", "rack models", key_of(root, "racks")},
        {sc->n_sites, sc->n_rack_models, "sites", "rack models", key_of(root, "racks")},
        {sc->n_sites, sc->n_classes, "sites", "workload classes (with 'default')",
         key_of(shortage, "classes")},
        {sc->n_jobs, sc->n_sites, "jobs", "sites", key_of(root, "jobs")},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        uint64_t n = pairs[k].a * pairs[k].b;
        if (n > DCSIM_MAX_PAIRS)
            return scn_fail(c, pairs[k].at ? pairs[k].at : root, NULL,
                            "%llu %s x %llu %s make %llu combinations, above the limit of %u "
                            "(the model keeps a table of them)",
                            (unsigned long long)pairs[k].a, pairs[k].what_a,
                            (unsigned long long)pairs[k].b, pairs[k].what_b,
                            (unsigned long long)n, DCSIM_MAX_PAIRS);
    }
    return DCSIM_OK;
}

/* The timeseries of a run is held in memory until it is written: rows x columns doubles.
 * Columns are the recorder's fixed ones (recorder.c, COL_FIXED) plus one per source. */
enum { SERIES_FIXED_COLUMNS = DCSIM_SERIES_FIXED_COLUMNS };

static dcsim_status check_series(scn_ctx *c, const dcsim_ynode *root)
{
    const dcsim_scenario *sc = c->sc;
    uint64_t rows = (uint64_t)(sc->horizon_s / sc->sample_s) + 1;
    uint64_t cols = SERIES_FIXED_COLUMNS + (uint64_t)sc->n_sources;
    const dcsim_ynode *at = dcsim_ynode_get(root, "sample");
    if (rows * cols > DCSIM_MAX_SERIES_CELLS)
        return scn_fail(c, at ? at : root, "sample",
                        "the timeseries would keep %llu rows of %llu values (%.1f GB) in "
                        "memory until written, above the limit of %u values; use a longer "
                        "sample step",
                        (unsigned long long)rows, (unsigned long long)cols,
                        (double)(rows * cols) * 8 / 1e9, DCSIM_MAX_SERIES_CELLS);
    /* Aggregate failures file repairs in a ring of future sample steps, per group (building
     * x rack model) and site: as long as the run at most, since later returns are dropped. */
    uint64_t ring = sc->fleet.mode == DCSIM_FLEET_AGGREGATE
                        ? (uint64_t)sc->n_buildings * sc->n_rack_models + sc->n_sites
                        : 0;
    if (rows * ring > DCSIM_MAX_SERIES_CELLS)
        return scn_fail(c, at ? at : root, "sample",
                        "aggregate failures could keep repairs for %llu sample steps x %llu "
                        "groups (%.1f GB), above the limit of %u; use a longer sample step or "
                        "failures.mode: discrete",
                        (unsigned long long)rows, (unsigned long long)ring,
                        (double)(rows * ring) * 4 / 1e9, DCSIM_MAX_SERIES_CELLS);
    return DCSIM_OK;
}

/* Each equipment unit is a lead-time draw when its item is ordered. */
static dcsim_status check_equipment_units(scn_ctx *c, const dcsim_ynode *root)
{
    const dcsim_scenario *sc = c->sc;
    uint64_t units = 0;
    for (uint32_t i = 0; i < sc->n_equipment; i++) {
        units += sc->activities[sc->equipment[i].activity].count;
        if (units <= DCSIM_MAX_EQUIPMENT_UNITS)
            continue;
        const char *const keys[] = {"equipment", sc->equipment[i].name, "count", NULL};
        const dcsim_ynode *at = node_at(root, keys);
        char path[SCN_PATH];
        snprintf(path, sizeof path, "equipment.%s.count", sc->equipment[i].name);
        return scn_fail(c, at ? at : root, path, "the equipment items order more than %u units "
                        "in all by here", DCSIM_MAX_EQUIPMENT_UNITS);
    }
    return DCSIM_OK;
}

/* One contribution to the random events a run expects, and where it is set. */
typedef struct event_share {
    double n;
    const dcsim_ynode *at;
    char path[SCN_PATH];
    const char *what, *advice;
} event_share;

static void share_add(event_share *total, event_share *top, double n, const dcsim_ynode *at,
                      const dcsim_ynode *fallback, const char *path, const char *what,
                      const char *advice)
{
    total->n += n;
    if (n <= top->n)
        return;
    top->n = n;
    top->at = at ? at : fallback;
    snprintf(top->path, sizeof top->path, "%s", path);
    top->what = what;
    top->advice = advice;
}

/* Events whose number grows with rates rather than with the size of the scenario: failures
 * and repairs, unit outages, switch failures, curtailment days and checkpoints. Estimated
 * from above (every GPU running for the whole horizon) so that no rate can make a run last
 * for ever; what grows with size (racks, rows, hours) is bounded by the other limits. */
static dcsim_status check_events(scn_ctx *c, const dcsim_ynode *root)
{
    const dcsim_scenario *sc = c->sc;
    const double h = (double)sc->horizon_s;
    event_share total = {0}, top = {0};
    char path[SCN_PATH];
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const dcsim_source *s = &sc->sources[i];
        const char *const src[] = {"power", "sources", s->name, NULL};
        const dcsim_ynode *body = node_at(root, src);
        if (s->mtbf_s > 0) {
            snprintf(path, sizeof path, "power.sources.%s.mtbf", s->name);
            share_add(&total, &top, 2.0 * s->units * h / s->mtbf_s,
                      body ? dcsim_ynode_get(body, "mtbf") : NULL, root, path,
                      "outages and repairs of generation units",
                      "use a longer mtbf, fewer units or a shorter horizon");
        }
        if (s->curtailment.enabled) {
            snprintf(path, sizeof path, "power.sources.%s.curtailment", s->name);
            share_add(&total, &top, h / DCSIM_DAY_S * (1 + 2 * s->curtailment.p_per_day),
                      body ? dcsim_ynode_get(body, "curtailment") : NULL, root, path,
                      "curtailment draws", "curtail fewer sources or use a shorter horizon");
        }
    }
    double rate = 0;                     /* failures per GPU-second, all causes */
    uint32_t worst = 0;
    for (uint32_t k = 0; k < sc->fleet.n_causes; k++) {
        rate += sc->fleet.causes[k].rate_per_gpu_s;
        if (sc->fleet.causes[k].rate_per_gpu_s > sc->fleet.causes[worst].rate_per_gpu_s)
            worst = k;
    }
    /* Both modes draw each failure and its repair; discrete mode as events of its racks,
     * aggregate mode as counts per step that it then hands out one by one (fleet_agg.c). */
    if (sc->fleet.mode != DCSIM_FLEET_OFF && sc->fleet.n_causes) {
        const char *const mtbf[] = {"failures", "causes", sc->fleet.causes[worst].name, "mtbf",
                                    NULL};
        const char *const mode[] = {"failures", "mode", NULL};
        const dcsim_ynode *at = node_at(root, mtbf);
        if (at)
            snprintf(path, sizeof path, "failures.causes.%s.mtbf", sc->fleet.causes[worst].name);
        else
            snprintf(path, sizeof path, node_at(root, mode) ? "failures.mode" : "failures");
        share_add(&total, &top, 2.0 * (double)sc->n_gpus * rate * h,
                  at ? at : node_at(root, mode), key_of(root, "failures"), path,
                  "GPU failures and repairs",
                  at ? "use a longer mtbf, fewer GPUs or a shorter horizon"
                     : "use fewer GPUs, a shorter horizon, or failures.causes with a longer "
                       "mtbf than the default (Llama 3) rates");
    }
    if (sc->fabric.racks_per_switch > 0 && sc->fabric.switch_mtbf_s > 0) {
        const char *const sw[] = {"fabric", "switch", "mtbf", NULL};
        double switches = ceil((double)sc->n_racks / sc->fabric.racks_per_switch);
        share_add(&total, &top, 2.0 * switches * h / sc->fabric.switch_mtbf_s, node_at(root, sw),
                  root, "fabric.switch.mtbf", "switch failures and repairs",
                  "use a longer mtbf, more racks per switch or a shorter horizon");
    }
    for (uint32_t i = 0; i < sc->n_jobs; i++) {
        const dcsim_job *j = &sc->jobs[i];
        /* Young's interval (workload.c) is shortest when the job holds all the GPUs it asks
         * for; it is never below 1 s. */
        double every = (double)j->ckpt_interval_s;
        if (j->young)
            every = sc->fleet.mode == DCSIM_FLEET_OFF || rate <= 0
                        ? 0
                        : fmax(1, sqrt(2.0 * (double)j->ckpt_write_s / (rate * j->gpus)));
        if (every <= 0)
            continue;
        const char *const ck[] = {"jobs", j->name, "checkpoint", j->young ? "write" : "interval",
                                  NULL};
        const char *const job[] = {"jobs", j->name, NULL};
        snprintf(path, sizeof path, "jobs.%s.checkpoint.%s", j->name,
                 j->young ? "write" : "interval");
        share_add(&total, &top, 2.0 * h / every, node_at(root, ck), node_at(root, job), path,
                  "checkpoints of a job",
                  j->young ? "Young's interval sqrt(2 MTBF write) is short here: give a fixed "
                             "interval, a longer write time or rarer failures"
                           : "use a longer checkpoint interval or a shorter horizon");
    }
    if (total.n <= DCSIM_MAX_EVENTS)
        return DCSIM_OK;
    return scn_fail(c, top.at ? top.at : root, top.path,
                    "a run would expect about %.3g random events, above the limit of %u that "
                    "keeps a run to a minute or so; most of them, about %.3g, are %s set here: "
                    "%s",
                    total.n, DCSIM_MAX_EVENTS, top.n, top.what, top.advice);
}

/* Sections load in dependency order: sites before what is placed at them, classes before
 * the deliveries that name them; references between activities resolve last. */
static dcsim_status load_root(scn_ctx *c, const dcsim_ynode *root)
{
    dcsim_scenario *sc = c->sc;
    TRY(load_top(c, root));
    const dcsim_ynode *power, *sources = NULL, *eq, *bs, *rs, *ds, *ms, *gs, *js;
    TRY(scn_section(c, root, "power", "power", &power));
    if (power) {
        TRY(scn_check_keys(c, power, "power", scn_keys_power));
        TRY(scn_section(c, power, "sources", "power.sources", &sources));
    }
    TRY(scn_section(c, root, "equipment", "equipment", &eq));
    TRY(scn_section(c, root, "buildings", "buildings", &bs));
    TRY(scn_section(c, root, "racks", "racks", &rs));
    TRY(scn_section(c, root, "deliveries", "deliveries", &ds));
    TRY(scn_section(c, root, "milestones", "milestones", &ms));
    TRY(scn_section(c, root, "gpus", "gpus", &gs));
    TRY(scn_section(c, root, "jobs", "jobs", &js));
    TRY(check_elements(c, root));
    TRY(allocate(c, sources, eq, bs, rs, ds, ms, gs, js));
    TRY(scn_load_sites(c, root));
    TRY(scn_load_power(c, sources));
    TRY(scn_load_buildings(c, bs, sc->n_stages + sc->n_sources));
    TRY(scn_load_equipment(c, eq, sc->n_stages + sc->n_sources + sc->n_buildings));
    TRY(scn_load_gpus(c, gs));
    TRY(scn_load_racks(c, rs));
    TRY(scn_load_shortage(c, root));
    TRY(scn_load_deliveries(c, ds, rs, bs));
    TRY(scn_load_milestones(c, ms));
    TRY(scn_load_grading(c, root));
    TRY(scn_load_failures(c, root));
    TRY(scn_load_fabric(c, root));
    TRY(scn_load_jobs(c, js));
    TRY(scn_load_inference(c, root));
    TRY(scn_load_scheduler(c, root));
    sc->workload = sc->n_jobs > 0 || sc->inference.enabled;
    TRY(scn_check_unique(c));
    TRY(scn_resolve(c));
    TRY(scn_load_risks(c, root));
    TRY(scn_load_economics(c, root));
    TRY(check_pairs(c, root));
    TRY(check_series(c, root));
    TRY(check_equipment_units(c, root));
    return check_events(c, root);
}

static dcsim_status hash_file(const char *path, uint64_t *out, dcsim_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    uint64_t h = DCSIM_HASH_INIT;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = dcsim_hash64(buf, n, h);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    *out = h;
    return DCSIM_OK;
}

dcsim_status dcsim_scenario_load(const char *path, const char *const *overrides,
                                 size_t n_overrides, bool has_seed, uint64_t seed,
                                 dcsim_scenario **out, dcsim_diag *d)
{
    *out = NULL;
    dcsim_diag_clear(d);
    dcsim_ydoc doc;
    dcsim_status st = dcsim_ydoc_load_file(&doc, path, DCSIM_MAX_FILE_BYTES, DCSIM_MAX_DEPTH, d);
    if (st)
        return st;
    if (!doc.root || (doc.root->kind == DCSIM_Y_SCALAR && doc.root->scalar[0] == '\0')) {
        dcsim_ydoc_free(&doc);
        return dcsim_diag_set(d, DCSIM_EINPUT, path, 1, 1, "the scenario file is empty");
    }
    for (size_t i = 0; i < n_overrides && !st; i++)
        st = dcsim_ydoc_set(&doc, overrides[i], d);
    if (st) {
        dcsim_ydoc_free(&doc);
        return st;
    }

    dcsim_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) {
        dcsim_ydoc_free(&doc);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    scn_ctx c = {.sc = sc, .d = d};
    /* Trace files named in the scenario are relative to the scenario's folder. */
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(c.dir, sizeof c.dir, "%.*s", (int)(slash - path), path);
    sc->path = scn_strdup(&sc->arena, path);
    if (!sc->path)
        st = OOM(&c);
    if (!st && doc.root->kind != DCSIM_Y_MAP)
        st = scn_fail(&c, doc.root, "", "a scenario is a map of keys (start, horizon, power, "
                                        "buildings ...), found %s",
                      doc.root->kind == DCSIM_Y_SEQ ? "a list" : "a single value");
    if (!st)
        st = load_root(&c, doc.root);
    if (!st)
        st = hash_file(path, &sc->file_hash, d);
    if (!st && has_seed)
        sc->seed = seed;
    free(c.refs);
    free(c.act_node);
    free(c.seen);
    dcsim_ydoc_free(&doc);
    if (st) {
        dcsim_scenario_free(sc);
        return st;
    }
    *out = sc;
    return DCSIM_OK;
}

void dcsim_scenario_free(dcsim_scenario *sc)
{
    if (!sc)
        return;
    scn_arena_free(sc->arena);
    free(sc);
}
