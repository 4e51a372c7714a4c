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
    return scn_resolve(c);
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
