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

/* Load-time limits: no input can make dcsim exhaust memory or run forever. docs/scenario.md
 * ("Limits") gives each with its reason and its message. */
#define DCSIM_MAX_FILE_BYTES   (16u * 1024u * 1024u)
#define DCSIM_MAX_DEPTH        64
#define DCSIM_MAX_RACKS        10000000u
#define DCSIM_MAX_ELEMENTS     100000u      /* every named entry, tranche and generation unit */
#define DCSIM_MAX_SAMPLES      10000000u    /* horizon / sample */
#define DCSIM_MAX_PAIRS        1000000u     /* tables over two kinds: buildings x rack models */
#define DCSIM_MAX_SERIES_CELLS 320000000u   /* timeseries rows x columns, 8 bytes each */
#define DCSIM_MAX_EQUIPMENT_UNITS 1000000u  /* sum of equipment `count`: a draw each */
#define DCSIM_MAX_EVENTS       100000000u   /* random events one run expects (failures ...) */
/* Columns of timeseries.csv before the per-source ones (the recorder's, checked there). */
#define DCSIM_SERIES_FIXED_COLUMNS 35

/* The activity network: every piece of work with a start and a duration that others may wait
 * for. Stages of a source's procurement pipeline, the source's completion (all its stages
 * done) and building construction are activities; `after` references resolve to them. */
typedef enum dcsim_activity_kind {
    DCSIM_ACT_STAGE,
    DCSIM_ACT_SOURCE,       /* the source's pipeline is complete; capacity tranches follow */
    DCSIM_ACT_BUILDING,     /* construction complete: the building is ready for racks */
    DCSIM_ACT_EQUIPMENT     /* every unit of an equipment item has arrived */
} dcsim_activity_kind;

typedef struct dcsim_activity {
    dcsim_activity_kind kind;
    uint32_t index;          /* into stages, sources, buildings or equipment by kind */
    char *name;              /* qualified: "grid.interconnection", "grid", "B1", "lpt" */
    int64_t not_before_s;    /* may not start before this (seconds from scenario start) */
    uint32_t *deps;          /* activity ids that must complete before it starts */
    uint32_t n_deps;
    uint32_t *needs;         /* activity ids that must complete before it may finish */
    uint32_t n_needs;
    dcsim_dist duration;     /* seconds; fixed 0 for source completion; for equipment the lead
                              * time of one unit (the item completes when all `count` have
                              * arrived, each with its own draw) */
    uint32_t count;          /* equipment units; 1 otherwise */
    double fail_prob;        /* chance the activity fails at its end (a denied permit) */
} dcsim_activity;

typedef struct dcsim_stage {
    char *name;              /* unqualified, unique within its source */
    uint32_t source;
    uint32_t activity;
} dcsim_stage;

typedef enum dcsim_source_type {
    DCSIM_SOURCE_GRID,
    DCSIM_SOURCE_GENERATION,
    DCSIM_SOURCE_STORAGE,    /* a battery: discharges only to carry a shortage */
    DCSIM_SOURCE_PPA         /* a contract whose output follows an hourly capacity factor */
} dcsim_source_type;

/* An equipment item (large power transformers, switchgear, turbines): `count` units ordered
 * on a date, each arriving after its own lead time. Stages may `need` it. */
typedef struct dcsim_equipment {
    char *name;
    uint32_t activity;
} dcsim_equipment;

/* A window of the year, by month and day (inclusive); may wrap over New Year. */
typedef struct dcsim_season {
    uint16_t from_doy, to_doy;   /* day of a non-leap year, 0..364 */
} dcsim_season;

/* Emergency curtailment of a grid source (Texas SB 6 style): on each day within the season
 * the source is curtailed with probability p, starting at a time uniform within
 * [hour_from, hour_to), for a drawn duration, by `fraction` of its online capacity. */
typedef struct dcsim_curtailment {
    bool enabled;
    double p_per_day;
    dcsim_season season;
    double hour_from, hour_to;   /* hours of the day, UTC */
    dcsim_dist duration;         /* seconds */
    double fraction;             /* 0..1 */
} dcsim_curtailment;

/* A block of capacity that comes online `delay` after the source's pipeline completes. */
typedef struct dcsim_tranche {
    double capacity_w;
    dcsim_dist delay;        /* seconds after pipeline completion */
    uint32_t source;
} dcsim_tranche;

typedef struct dcsim_source {
    char *name;
    dcsim_source_type type;
    uint32_t site;
    double capacity_w;       /* sum of its tranches (storage: discharge power) */
    uint32_t activity;       /* the completion activity */
    uint32_t first_stage, n_stages;
    uint32_t first_tranche, n_tranches;

    /* generation: units of unit_capacity_w; each tranche is one unit when units > 0 */
    uint32_t units;
    double unit_capacity_w;
    double mtbf_s;           /* 0: no forced outages */
    dcsim_dist mttr;         /* seconds */

    dcsim_curtailment curtailment;   /* grid */

    /* storage */
    double energy_j;
    double charge_eff, discharge_eff;
    double initial_soc;      /* fraction of energy_j when it comes online */

    /* ppa: capacity factor per hour of the year (8760 values, or 8784), repeated yearly */
    double *profile;
    uint32_t n_profile;
} dcsim_source;

/* Ambient temperature: a fixed value, a seasonal-plus-daily cosine model, or an hourly
 * trace of the year (repeated yearly). */
typedef enum dcsim_weather_kind {
    DCSIM_WEATHER_FIXED,
    DCSIM_WEATHER_SEASONAL,
    DCSIM_WEATHER_TRACE
} dcsim_weather_kind;

typedef struct dcsim_weather {
    dcsim_weather_kind kind;
    double mean_c;               /* fixed: the temperature */
    double seasonal_amp_c;       /* half the swing between the hottest and coldest day */
    double daily_amp_c;          /* half the swing between afternoon and night */
    double hottest_doy;          /* day of year of the seasonal peak (0-based) */
    double hottest_hour;         /* hour of day of the daily peak, UTC */
    double *trace_c;             /* hourly, from hour 0 of 1 January */
    uint32_t n_trace;
} dcsim_weather;

/* A site: a campus with its own weather, power sources and buildings. Racks at a site draw
 * only on that site's supply. */
typedef struct dcsim_site {
    char *name;
    dcsim_weather weather;
    double priority;             /* for deliveries allocated by priority: higher first */
} dcsim_site;

typedef struct dcsim_building {
    char *name;
    uint32_t site;
    uint32_t activity;
    double it_capacity_w;
    uint32_t rack_positions;
    double pue;              /* fixed PUE when n_pue == 0 */
    double *pue_ambient_c;   /* PUE table: ambient (ascending) -> PUE, interpolated */
    double *pue_value;
    uint32_t n_pue;
    double overhead_w;       /* fixed facility load once its first rack is energized */
    double install_per_day;  /* racks a day the crew installs */
} dcsim_building;

/* What a driver of slip is: an activity (stage, building, equipment, source pipeline), a
 * source's tranche delays, or a delivery's slip and commissioning. */
typedef enum dcsim_driver_kind {
    DCSIM_DRIVER_ACTIVITY,
    DCSIM_DRIVER_SOURCE,
    DCSIM_DRIVER_DELIVERY,
    DCSIM_DRIVER_RISK            /* a risk event, switched off (its draws still made) */
} dcsim_driver_kind;

/* What a risk does to the activities it hits, if they have not finished. */
typedef enum dcsim_risk_impact {
    DCSIM_RISK_DELAY,            /* adds a drawn delay to each activity it hits */
    DCSIM_RISK_CANCEL,           /* each activity fails: what waits for it never starts */
    DCSIM_RISK_CAPACITY,         /* each source loses a share of its capacity */
    DCSIM_RISK_DELIVERY_CUT      /* each delivery's racks a month fall by a share */
} dcsim_risk_impact;

/* A shared cause of several risks (a tight labour market): their firing is correlated
 * through a Gaussian copula with this correlation (docs/model.md, Risks). */
typedef struct dcsim_risk_driver {
    char *name;
    double correlation;          /* 0 to 1: the correlation of the risks' latent normals */
} dcsim_risk_driver;

/* A risk event of the register: with some probability it fires once in a run, at a moment
 * in its window, and hits named activities that have not finished yet. */
typedef struct dcsim_risk {
    char *name;
    double probability;          /* that it fires in a run (per_day: per day in the window) */
    bool per_day;
    int64_t from_s, to_s;        /* the window it may fire in, seconds from the start */
    uint32_t *hits;              /* activity ids (delay, cancel), source ids (capacity) or
                                  * delivery ids (delivery cut) */
    uint32_t n_hits;
    dcsim_risk_impact impact;
    dcsim_dist delay;            /* seconds (impact delay) */
    double share;                /* capacity lost or delivery rate cut (0 to 1) */
    int64_t for_s;               /* how long the loss or cut lasts; 0: for good */
    uint32_t driver;             /* index into risk_drivers, or UINT32_MAX */
    bool has_mitigation;
    double mitigation_cost;      /* US dollars */
    double mitigated_probability;/* the probability once mitigated (same unit as probability) */
    dcsim_dist mitigated_delay;  /* the delay once mitigated (the delay itself when not given) */
    double mitigated_share;      /* the share lost or cut once mitigated (the share itself) */
    bool mitigated;              /* run with the mitigation applied */
} dcsim_risk;

/* The probability that risk r fires in a run, mitigated or not: for a per-day risk
 * 1 - (1 - p)^days of its window. */
double dcsim_risk_run_probability(const dcsim_risk *r, bool mitigated);

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

/* A GPU model: what one GPU computes at peak (dense BF16) and draws. */
typedef struct dcsim_gpu_model {
    char *name;
    double peak_flops;       /* FLOP/s */
    double tdp_w;
} dcsim_gpu_model;

/* How rack power rises from idle to peak with utilization u in [0, 1]:
 * P(u) = idle + (peak - idle) * f(u), f one of u, u^2, u^3, sqrt(u) or a table. */
typedef enum dcsim_curve {
    DCSIM_CURVE_LINEAR,
    DCSIM_CURVE_SQUARE,
    DCSIM_CURVE_CUBIC,
    DCSIM_CURVE_SQRT,
    DCSIM_CURVE_TABLE
} dcsim_curve;

typedef struct dcsim_rack_model {
    char *name;
    char *gpu;               /* GPU model name as written */
    uint32_t gpu_model;      /* index into gpu_models, or UINT32_MAX when none is defined */
    uint32_t gpus;
    uint32_t gpus_per_node;  /* a node failure takes these down together */
    double peak_w;
    double idle_w;
    dcsim_curve curve;
    double *curve_u, *curve_f;   /* DCSIM_CURVE_TABLE: utilization -> share of (peak-idle) */
    uint32_t n_curve;
} dcsim_rack_model;

/* What a failure takes down. */
typedef enum dcsim_takes {
    DCSIM_TAKES_NOTHING,     /* a software fault: jobs restart, no hardware is lost */
    DCSIM_TAKES_GPU,
    DCSIM_TAKES_NODE,
    DCSIM_TAKES_RACK
} dcsim_takes;

/* One cause of failure of energized racks: a rate per GPU-hour of running, what it takes
 * down, and how long the repair takes. */
typedef struct dcsim_failure_cause {
    char *name;
    double rate_per_gpu_s;   /* failures per GPU-second */
    dcsim_takes takes;
    dcsim_dist repair;       /* seconds */
} dcsim_failure_cause;

typedef enum dcsim_fleet_mode {
    DCSIM_FLEET_OFF,         /* no failures */
    DCSIM_FLEET_DISCRETE,    /* one event per failure, per rack */
    DCSIM_FLEET_AGGREGATE    /* failure counts per building per sample step */
} dcsim_fleet_mode;

typedef struct dcsim_fleet {
    dcsim_fleet_mode mode;
    dcsim_failure_cause *causes;
    uint32_t n_causes;
    uint32_t spare_nodes;    /* per site; a node failure swaps in a spare after swap_time */
    dcsim_dist swap_time;
} dcsim_fleet;

/* The interconnect: scale-up (NVLink) domains and a scale-out network of non-blocking pods,
 * oversubscribed above the pod; leaf switches that fail and cut their racks off. */
typedef struct dcsim_fabric {
    uint32_t domain_gpus;        /* GPUs per scale-up domain */
    double domain_bw;            /* bytes/s per GPU inside a domain */
    double scaleout_bw;          /* bytes/s per GPU on the scale-out network */
    uint32_t pod_gpus;           /* non-blocking pod size */
    double oversubscription;     /* >= 1, above the pod */
    double overlap;              /* share of communication hidden under compute, 0..1 */
    uint32_t racks_per_switch;   /* racks a leaf switch serves; 0: no switch failures */
    double switch_mtbf_s;
    dcsim_dist switch_repair;
} dcsim_fabric;

/* A training job. Its step: compute time FLOP_step / (n GPU peak MFU) plus the exposed
 * share of the data-parallel gradient all-reduce 2 (d-1)/d S / B. */
typedef struct dcsim_job {
    char *name;
    double total_flop;
    uint32_t gpus;               /* wanted */
    bool up_to;                  /* take what is free, up to gpus, at least min_gpus */
    uint32_t min_gpus;
    int64_t start_s;             /* not before (seconds from start) */
    bool has_condition;          /* and not before this metric reaches its threshold */
    dcsim_metric start_metric;
    double start_threshold;
    double mfu;                  /* base model FLOP utilization */
    double params;               /* model parameters: gradient bytes = 2 params / (tp pp) */
    double tokens_per_step;      /* global batch: FLOP per step = 6 params tokens */
    uint32_t tp, pp;             /* tensor and pipeline parallel degrees */
    bool young;                  /* checkpoint interval from Young's formula */
    int64_t ckpt_interval_s;     /* when not young; 0: no checkpoints */
    int64_t ckpt_write_s;
    int64_t restart_s;
    double priority;
    uint32_t site;               /* UINT32_MAX: any site's GPUs */
} dcsim_job;

/* Inference demand in GPUs: start_gpus at start_s growing exponentially at growth_per_s,
 * capped at max_gpus; or an hourly trace. */
typedef struct dcsim_inference {
    bool enabled;
    double start_gpus;
    double growth_per_s;         /* ln(1 + annual growth) / year */
    int64_t start_s;
    double max_gpus;
    double *trace;               /* GPUs per hour of the year, when given */
    uint32_t n_trace;
    double priority;
} dcsim_inference;

typedef enum dcsim_sched_policy {
    DCSIM_SCHED_PRIORITY,        /* highest priority first; inference and jobs alike */
    DCSIM_SCHED_FIFO             /* in order of arrival */
} dcsim_sched_policy;

typedef struct dcsim_scheduler {
    dcsim_sched_policy policy;
    dcsim_dist release_delay;    /* seconds before a finished job's GPUs are free */
    double stuck_prob;           /* chance they stay stuck instead */
    dcsim_dist stuck_time;       /* seconds stuck */
} dcsim_scheduler;

/* A delivery schedule of one rack model to one building. Rack k (0-based) arrives at
 * start + slip + k * month / per_month. */
/* How a delivery shared between several buildings (and sites) places each rack. */
typedef enum dcsim_allocation {
    DCSIM_ALLOC_IN_ORDER,    /* first listed building with a free position */
    DCSIM_ALLOC_PRO_RATA,    /* the building with the smallest share of positions filled */
    DCSIM_ALLOC_PRIORITY     /* highest site priority first, then list order */
} dcsim_allocation;

typedef struct dcsim_delivery {
    char *name;
    uint32_t rack_model;
    uint32_t *buildings;     /* one building, or a pool the allocation chooses among */
    uint32_t n_buildings;
    dcsim_allocation allocation;
    uint32_t class_id;       /* workload class, for shed-by-priority */
    int64_t start_s;         /* planned first arrival, seconds from scenario start */
    double per_month;
    uint32_t total;
    dcsim_dist slip;         /* seconds added to start (lead-time slip) */
    dcsim_dist commissioning;/* seconds of burn-in after installation */
} dcsim_delivery;

/* What the gate does when supply falls below demand. */
typedef enum dcsim_policy {
    DCSIM_POLICY_DEFER,          /* stop energizing; shed the newest racks */
    DCSIM_POLICY_THROTTLE,       /* cap GPU power down to min_cap, then shed */
    DCSIM_POLICY_SHED_PRIORITY,  /* shed the lowest-priority class first, newest first */
    DCSIM_POLICY_BATTERY_FIRST   /* discharge storage, then `then` */
} dcsim_policy;

typedef struct dcsim_shortage {
    dcsim_policy policy;
    dcsim_policy then;           /* after batteries run dry (battery-first only) */
    double min_cap;              /* lowest power cap throttling may impose (fraction) */
    double *perf_cap, *perf_value;   /* power cap -> throughput, ascending caps */
    uint32_t n_perf;
} dcsim_shortage;

/* A workload class: racks of a class are shed in priority order (lowest first). */
typedef struct dcsim_class {
    char *name;
    double priority;
} dcsim_class;

/* What things cost and what computing is worth (`economics:`), in US dollars; every figure
 * has a default (docs/scenario.md, Economics; sources in docs/model.md). */
typedef struct dcsim_economics {
    double *rack_capex_usd;      /* per rack model: paid when a rack is delivered */
    double building_usd_per_w;   /* per watt of a building's IT capacity */
    bool building_spread;        /* paid evenly over its construction, not at its start */
    double *source_capex_usd;    /* per source: paid when its pipeline completes (0: none) */
    double capital_rate;         /* cost of capital, per year (365.25 days) */
    int64_t rack_life_s;         /* straight-line depreciation of racks */
    int64_t building_life_s;     /* ... and of buildings */
    double grid_usd_per_mwh;     /* electricity price, when no trace is given */
    double *grid_trace;          /* hourly electricity price (USD/MWh) of the year, or NULL */
    uint32_t n_grid_trace;
    double ppa_usd_per_mwh;      /* price of PPA energy; < 0: the electricity price */
    double fuel_usd_per_mmbtu;   /* on-site generation's fuel */
    double heat_rate_btu_per_kwh;
    double generation_om_usd_per_mwh;    /* variable operation and maintenance */
    double battery_usd_per_mwh;  /* cycling cost per MWh discharged */
    double gpu_hour_usd;         /* value of a delivered GPU-hour */
    double *job_usd_per_day;     /* per job: value of finishing a day earlier (0: none) */
} dcsim_economics;

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
    bool energize_at_load;   /* light racks against demand at today's load, not at peak */

    dcsim_activity *activities;  uint32_t n_activities;
    dcsim_stage *stages;         uint32_t n_stages;
    dcsim_source *sources;       uint32_t n_sources;
    dcsim_tranche *tranches;     uint32_t n_tranches;
    dcsim_building *buildings;   uint32_t n_buildings;
    dcsim_rack_model *rack_models; uint32_t n_rack_models;
    dcsim_delivery *deliveries;  uint32_t n_deliveries;
    dcsim_milestone *milestones; uint32_t n_milestones;
    dcsim_equipment *equipment;  uint32_t n_equipment;
    dcsim_site *sites;           uint32_t n_sites;
    dcsim_class *classes;        uint32_t n_classes;
    dcsim_shortage shortage;
    bool hourly;                 /* weather, PUE tables or PPA profiles need an hourly tick */
    dcsim_gpu_model *gpu_models; uint32_t n_gpu_models;
    dcsim_fleet fleet;
    dcsim_fabric fabric;
    dcsim_job *jobs;             uint32_t n_jobs;
    dcsim_inference inference;
    dcsim_scheduler scheduler;
    bool workload;               /* jobs or inference: rack power follows utilization */
    dcsim_risk *risks;           uint32_t n_risks;
    dcsim_risk_driver *risk_drivers; uint32_t n_risk_drivers;
    dcsim_economics econ;
    double confidence;           /* grading: the quantile of slip a grade is read at (0.8) */
    double grade_max_s[4];       /* grading: largest slip for A, B, C, D (else F) */

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

/* Apply every risk's mitigation (`dcsim run --mitigated`): risks without one are unchanged.
 * Call before the scenario is shared with worlds. */
void dcsim_scenario_mitigate_all(dcsim_scenario *sc);

/* Print a short plan: sources with their stages and mean durations, buildings, racks and
 * GPUs, milestones, and the dates everything would reach with every duration at its mean. */
void dcsim_scenario_print_plan(const dcsim_scenario *sc, FILE *f);

/* Every key path the loader accepts, with <name> for named entries and [] for list items
 * (e.g. "buildings.<name>.pue"), NULL-terminated; for docs and tests. */
const char *const *dcsim_scenario_key_paths(void);

#endif
