/* The scenario: a validated, immutable description of one campus, in SI units (seconds,
 * watts), built from a YAML file by dcsim_scenario_load. Model code reads only this, never
 * YAML. Worlds (replications) share one scenario read-only, so it needs no locks. */
#ifndef DCSIM_SCENARIO_H
#define DCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/dist.h"

/* Version of the scenario format this build reads (key `dcsim:` at the top of a file). */
#define DCSIM_SCENARIO_FORMAT 1

/* Load-time limits: no input can make dcsim exhaust memory or run forever. */
#define DCSIM_MAX_FILE_BYTES   (16u * 1024u * 1024u)
#define DCSIM_MAX_DEPTH        64
#define DCSIM_MAX_RACKS        10000000u
#define DCSIM_MAX_ELEMENTS     100000u      /* sources, stages, buildings, deliveries ... */
#define DCSIM_MAX_SAMPLES      10000000u    /* horizon / sample */

/* The activity network: every piece of work with a start and a duration that others may wait
 * for. Stages of a source's procurement pipeline, the source's completion (all its stages
 * done) and building construction are activities; `after` references resolve to them. */
typedef enum dcsim_activity_kind {
    DCSIM_ACT_STAGE,
    DCSIM_ACT_SOURCE,       /* the source's pipeline is complete; capacity tranches follow */
    DCSIM_ACT_BUILDING      /* construction complete: the building is ready for racks */
} dcsim_activity_kind;

typedef struct dcsim_activity {
    dcsim_activity_kind kind;
    uint32_t index;          /* into stages, sources or buildings by kind */
    char *name;              /* qualified: "grid.interconnection", "grid", "B1" */
    int64_t not_before_s;    /* may not start before this (seconds from scenario start) */
    uint32_t *deps;          /* activity ids that must complete first */
    uint32_t n_deps;
    dcsim_dist duration;     /* seconds; fixed 0 for source completion */
} dcsim_activity;

typedef struct dcsim_stage {
    char *name;              /* unqualified, unique within its source */
    uint32_t source;
    uint32_t activity;
} dcsim_stage;

typedef enum dcsim_source_type {
    DCSIM_SOURCE_GRID,
    DCSIM_SOURCE_GENERATION
} dcsim_source_type;

/* A block of capacity that comes online `delay` after the source's pipeline completes. */
typedef struct dcsim_tranche {
    double capacity_w;
    dcsim_dist delay;        /* seconds after pipeline completion */
    uint32_t source;
} dcsim_tranche;

typedef struct dcsim_source {
    char *name;
    dcsim_source_type type;
    double capacity_w;       /* sum of its tranches */
    uint32_t activity;       /* the completion activity */
    uint32_t first_stage, n_stages;
    uint32_t first_tranche, n_tranches;
} dcsim_source;

typedef struct dcsim_building {
    char *name;
    uint32_t activity;
    double it_capacity_w;
    uint32_t rack_positions;
    double pue;
    double install_per_day;  /* racks a day the crew installs */
} dcsim_building;

typedef struct dcsim_rack_model {
    char *name;
    char *gpu;               /* GPU model name, informative in this version */
    uint32_t gpus;
    double peak_w;
    double idle_w;
} dcsim_rack_model;

/* A delivery schedule of one rack model to one building. Rack k (0-based) arrives at
 * start + slip + k * month / per_month. */
typedef struct dcsim_delivery {
    char *name;
    uint32_t rack_model;
    uint32_t building;
    int64_t start_s;         /* planned first arrival, seconds from scenario start */
    double per_month;
    uint32_t total;
    dcsim_dist slip;         /* seconds added to start (lead-time slip) */
    dcsim_dist commissioning;/* seconds of burn-in after installation */
} dcsim_delivery;

/* Metrics a milestone condition can name. */
typedef enum dcsim_metric {
    DCSIM_METRIC_IT_ENERGIZED_MW,
    DCSIM_METRIC_FACILITY_MW,
    DCSIM_METRIC_SUPPLY_MW,
    DCSIM_METRIC_RACKS_ENERGIZED,
    DCSIM_METRIC_GPUS_ENERGIZED,
    DCSIM_METRIC_RACKS_DELIVERED,
    DCSIM_METRIC_RACKS_INSTALLED,
    DCSIM_METRIC_COUNT
} dcsim_metric;

/* Name of a metric as written in scenarios and outputs ("it_energized_mw"). */
const char *dcsim_metric_name(dcsim_metric m);

typedef struct dcsim_milestone {
    char *name;
    int64_t planned_s;       /* seconds from scenario start */
    dcsim_metric metric;
    double threshold;        /* in the metric's own unit (MW, racks, GPUs) */
    char *condition;         /* as written, for outputs */
} dcsim_milestone;

typedef struct dcsim_scenario {
    char *path;              /* file as given */
    char *name;
    char *description;
    uint64_t file_hash;      /* FNV-1a 64 of the file's bytes */
    int64_t start_unix;      /* scenario start, seconds since 1970 UTC (midnight) */
    int64_t horizon_s;
    int64_t sample_s;
    uint64_t seed;
    double reserve;          /* reserve margin: the gate keeps demand <= supply * (1 - reserve) */

    dcsim_activity *activities;  uint32_t n_activities;
    dcsim_stage *stages;         uint32_t n_stages;
    dcsim_source *sources;       uint32_t n_sources;
    dcsim_tranche *tranches;     uint32_t n_tranches;
    dcsim_building *buildings;   uint32_t n_buildings;
    dcsim_rack_model *rack_models; uint32_t n_rack_models;
    dcsim_delivery *deliveries;  uint32_t n_deliveries;
    dcsim_milestone *milestones; uint32_t n_milestones;

    uint32_t n_racks;            /* sum of delivery totals */
    uint64_t n_gpus;

    struct scn_arena *arena;     /* owns every string and array above */
} dcsim_scenario;

/* Load, apply the overrides ("PATH=VALUE" strings, in order; see dcsim_ydoc_set), and
 * validate. On success *out is a new scenario to free with dcsim_scenario_free. On failure
 * *out is NULL and d says what and where (file:line:column and the key path). A seed given
 * here (has_seed) replaces the scenario's. */
dcsim_status dcsim_scenario_load(const char *path, const char *const *overrides,
                                 size_t n_overrides, bool has_seed, uint64_t seed,
                                 dcsim_scenario **out, dcsim_diag *d);

void dcsim_scenario_free(dcsim_scenario *sc);

/* Print a short plan: sources with their stages and mean durations, buildings, racks and
 * GPUs, milestones, and the dates everything would reach with every duration at its mean. */
void dcsim_scenario_print_plan(const dcsim_scenario *sc, FILE *f);

#endif
