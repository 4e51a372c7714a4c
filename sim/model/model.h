/* Private to the model: the state of one simulated program (one or more campus sites) and
 * the functions each model noun (activity network, power, storage, supply, gate) offers the
 * event dispatcher in model.c. Arrays are sized from the scenario at creation; the event loop
 * allocates only when a shed-order stack outgrows its last size. */
#ifndef DCSIM_MODEL_H
#define DCSIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dcsim/engine.h"
#include "dcsim/eventlog.h"
#include "dcsim/scenario.h"
#include "dcsim/table.h"

/* Event kinds; the event's target is an index into the array the kind names. */
enum {
    EV_ACT_START,        /* activities: a start held back by not_before */
    EV_ACT_DONE,         /* activities: the work (duration) is done */
    EV_TRANCHE,          /* tranches: capacity comes online */
    EV_ARRIVE,           /* deliveries: the next rack arrives */
    EV_INSTALL_DONE,     /* buildings: the crew finished the rack at the head of the queue */
    EV_COMMISSIONED,     /* racks: burn-in done, the rack asks the gate for power */
    EV_UNIT_FAIL,        /* tranches (generation units): forced outage */
    EV_UNIT_REPAIR,      /* tranches (generation units): back in service */
    EV_CURTAIL_DAY,      /* sources: draw whether today brings a curtailment */
    EV_CURTAIL_START,    /* sources */
    EV_CURTAIL_END,      /* sources */
    EV_HOUR,             /* 0: weather, PUE and PPA output move on by an hour */
    EV_BATTERY,          /* sites: a battery ran empty or full; stale unless time matches */
    EV_RACK_FAIL,        /* racks: the next failure of an energized rack (discrete mode);
                          * stale unless time matches the rack's clock (fleet.c) */
    EV_REPAIR,           /* repair records: GPUs come back */
    EV_SWITCH_FAIL,      /* switch groups: a leaf switch fails */
    EV_FLEET_STEP,       /* 0: aggregate-mode failures and returns for one sample step */
    EV_JOB,              /* jobs: the job's next state change; stale unless time matches */
    EV_RELEASE,          /* release records: GPUs of a finished job come back to the pool */
    EV_WORKLOAD_TICK,    /* 0: inference demand and job start conditions are re-checked */
    EV_RISK,             /* risks: the risk fires and hits its activities (risk.c) */
    EV_RISK_END,         /* risks: a capacity loss or a delivery cut is over */
    EV_FLEET_HIT,        /* aggregate-mode interruptions: a failure of this step reaches jobs */
    EV_MARK              /* marks: snapshot the ledger at this time (ledger.c) */
};

/* GPUs out of service for a while: a repair (fleet) or a release (scheduler). Records live
 * in a pool and are reused. */
typedef struct gpu_hold {
    uint32_t site;
    uint32_t rack;           /* UINT32_MAX when not tied to a rack */
    uint32_t gpus;
    uint32_t next_free;      /* free-list link */
    uint8_t kind;            /* hold_kind */
} gpu_hold;

enum hold_kind { HOLD_REPAIR, HOLD_SPARE_BACK, HOLD_RELEASE, HOLD_STUCK };

/* What a rack waited for last before it was energized: how slip is attributed to causes. */
typedef enum rack_cause {
    CAUSE_NONE,
    CAUSE_DELIVERY,      /* it arrived, was installed and commissioned without waiting */
    CAUSE_BUILDING,      /* it waited for its building to be ready */
    CAUSE_INSTALL,       /* it waited for the building's install crew */
    CAUSE_POWER          /* it waited at the gate for supply */
} rack_cause;

typedef enum rack_state {
    RACK_ORDERED,        /* not delivered yet */
    RACK_DELIVERED,      /* on site, waiting for installation */
    RACK_COMMISSIONING,  /* installed, in burn-in */
    RACK_STRANDED,       /* installed and commissioned, waiting for power */
    RACK_ENERGIZED,
    RACK_SHED,           /* was energized, switched off in a shortage, waiting to come back */
    RACK_UNPLACED        /* delivered to a pool with no free position left */
} rack_state;

typedef struct rack {
    uint32_t delivery;
    uint32_t building;       /* UINT32_MAX until placed */
    uint8_t state;
    uint8_t cause;
    uint32_t power_source;   /* for CAUSE_POWER: the source whose capacity let it in */
    uint64_t seq;            /* energize order, for shedding the newest first */
    int64_t t_delivered, t_install_start, t_commissioned, t_energized;
} rack;

/* A FIFO ring of rack indices, sized once. */
typedef struct rack_queue {
    uint32_t *buf;
    uint32_t cap, head, len;
} rack_queue;

/* A LIFO stack of rack indices that grows by doubling. */
typedef struct rack_stack {
    uint32_t *buf;
    uint32_t cap, len;
} rack_stack;

typedef struct site_state {
    double supply_w;         /* firm supply: online - units down - curtailed, plus PPA output */
    double it_w;             /* peak IT power of energized racks (before any cap) */
    double cap;              /* power cap on GPUs, 1 = none (throttle policy) */
    double facility_w;       /* demand: it x cap x PUE per building + overheads */
    double battery_w;        /* storage flow: + discharging, - charging */
    int64_t batt_next;       /* time of the pending EV_BATTERY that counts, or -1 */
    rack_queue gate_q;       /* commissioned racks waiting for power, in arrival order */
    rack_stack shed;         /* racks shed in a shortage: restored first, last shed first */
    rack_stack *energized;   /* per class: energized racks, newest on top */
    uint32_t n_stranded, n_shed, n_energized;
    uint32_t last_capacity;  /* source of the latest tranche online here, or UINT32_MAX */
    /* GPUs: lit = on energized racks; down = failed or cut off (subset of lit, never more);
     * busy = allocated to jobs or inference; held = releasing or stuck (not allocatable). */
    uint64_t gpus_lit, gpus_down, gpus_busy, gpus_held, gpus_stuck;
    uint32_t spares_free;    /* spare nodes ready to swap in */
    double util;             /* busy / (lit - down), 1 without a workload */
    /* Demand terms kept as racks light and go dark, so a demand sum costs O(rack models):
     * demand(cap, u) = cap x sum_k pue_racks[k] x P_k(u) + overhead. */
    double *pue_racks;       /* per rack model: sum over its lit racks of their PUE */
    double overhead_w;       /* overheads of the buildings with a lit rack */
    /* The ledger's dispatch (ledger.c), kept here where model_touch reads the site: it holds
     * while the load, the supply and the prices do; the time it has held is booked when one
     * moves (or is read). */
    double led_short_w, led_pending_s;
    uint64_t led_epoch, led_seen;    /* bumped when load or supply move; as of the split */
} site_state;

/* The ledger (ledger.c): money, as the model posts it. Capital is in US dollars; the
 * integrals are in dollar-seconds or joules or GPU-seconds up to the model's last_change, so
 * a rate or price applies when read (docs/model.md, Economics). */
typedef struct ledger {
    double capex_usd;            /* capital paid at once: racks delivered, buildings started
                                  * (paid at their start) */
    int64_t *bld_pay_from;       /* per building paid evenly (building_payment: spread): the
                                  * start of its construction, or -1 */
    int64_t *bld_pay_s;          /* ... and the duration drawn then */
    int64_t *src_paid_at;        /* per source: when its pipeline completed (its capital
                                  * paid), or -1 */
    double delivered_capex_usd;  /* racks delivered (placed or not) */
    double lit_capex_usd;        /* racks energized now */
    double stranded_capex_usd;   /* racks stranded now (waiting for power) */
    uint64_t gpus_stranded;      /* GPUs on those racks */
    double grid_usd_per_mwh;     /* electricity price this hour */
    double gas_usd_per_mwh;      /* fuel cost of a MWh generated on site */
    uint32_t *site_src_first, *site_src;   /* CSR: each site's non-storage sources, in merit
                                            * order at this hour's prices */
    double *take_w;              /* per source: its share of its site's load now */
    /* integrals */
    double stranded_usd_s, idle_usd_s;     /* capital dark x time (USD s) */
    double *src_j, *src_usd;     /* per source: energy supplied and what it cost */
    double unsourced_j;          /* demand no source covered (0 unless the gate overdraws) */
    double throttled_gpu_s;      /* GPU-seconds up and not stuck, lost to a power cap */
    double stranded_gpu_s;       /* GPU-seconds on stranded racks */
    int64_t capital_since;       /* the three above are booked up to this time */
    /* snapshots of the net (stranded + idle + energy - value, USD) at marked times */
    double *mark_usd;
    uint32_t n_marks;
} ledger;

typedef struct dcsim_model {
    const dcsim_scenario *sc;
    uint64_t replication;
    dcsim_engine *eng;
    dcsim_eventlog *log;         /* not owned */
    bool out_of_memory;          /* an event could not be scheduled: the run is void */

    /* activity network */
    gsl_rng **act_rng;
    uint32_t *act_unmet;         /* deps not yet done */
    uint32_t *act_needs_unmet;   /* needs not yet done */
    bool *act_work_done;         /* duration elapsed, maybe still waiting for needs */
    bool *act_failed;            /* failed at its end: never completes */
    uint32_t *dep_first, *dep_list;     /* CSR: activities that wait to start for i */
    uint32_t *need_first, *need_list;   /* CSR: activities that wait to finish for i */
    int64_t *act_start, *act_finish;    /* -1 until it happens */
    int32_t *act_last;           /* the prerequisite that arrived last, or -1 (start date) */
    int64_t *act_done_at;        /* the EV_ACT_DONE that counts (risks move it), or -1 */
    int64_t *act_extra_s;        /* delay risks added before it started */
    bool *act_cancelled;         /* a risk cancelled it */
    int32_t *act_risk;           /* the last risk that hit it (cancelled it), or -1 */

    /* risks (risk.c) */
    int64_t *risk_at;            /* when each fires in this run, or -1 */
    int64_t *risk_delay_s;       /* its delay, drawn whether it fires or not */
    bool *risk_fired;
    double *src_lost;            /* per source: share of its capacity risks took (summed) */
    double *bld_lost;            /* per building: share of its capacity risks took (summed) */
    rack_stack *bld_held;        /* per building: racks waiting for its capacity to return */
    double *dl_cut;              /* per delivery: share of its rate risks cut (summed) */
    int64_t *dl_shift;           /* per delivery: how much later its schedule runs (cuts) */
    uint32_t *risk_hit_first;    /* risk i's hits are [risk_hit_first[i], [i + 1]) below */
    bool *risk_hit_on;           /* that hit found the activity unfinished: on its chain */

    /* power */
    gsl_rng **tranche_rng;       /* tranche delays; generation units also draw outages */
    gsl_rng **curt_rng;          /* per source */
    double *src_online_w;        /* tranches online */
    double *src_down_w;          /* generation units in forced outage */
    bool *src_curtailed;
    double *src_cf;              /* PPA capacity factor this hour */
    uint8_t *unit_state;         /* per tranche: 0 not online, 1 up, 2 down */
    uint32_t units_online, units_down;
    double unit_up_s, unit_online_s;    /* integrals, for availability */

    /* storage */
    double *soc_j;               /* per source (storage only) */
    double *batt_w;              /* per source: + discharging, - charging */
    uint32_t *storage_ids;       /* the storage sources, for model_touch */
    uint32_t n_storage;
    int64_t batt_settled;        /* SOC is exact as of this time */

    /* sites, buildings */
    site_state *site;
    double *bld_pue;             /* PUE now */
    double *bld_it_w;            /* peak IT of energized racks in the building */
    uint32_t *bld_energized, *bld_assigned;
    uint32_t *bld_reserved;      /* positions still owed to single-building deliveries */
    double *bld_assigned_w;      /* peak IT power of the racks placed in the building */
    dcsim_table *bld_pue_table;  /* only where the building gives a table */
    dcsim_table perf;            /* power cap -> throughput */
    bool *bld_ready;
    bool *crew_busy;
    rack_queue *install_q;
    double *site_ambient_c;
    double *site_daily_cos;      /* per site x 24: the daily term of seasonal weather */
    struct weather_clock *wx_clock;  /* the hourly tick's year bounds (weather.h) */
    uint32_t *bld_pue_as;        /* per building: an earlier one at its site with the same
                                  * PUE table (so the same PUE), or itself */

    /* deliveries */
    gsl_rng **slip_rng, **comm_rng;
    uint32_t *dl_next;           /* racks of this delivery already arrived */
    uint32_t *dl_first_rack;     /* index of its first rack in racks[] */
    int64_t *dl_t0;

    /* racks */
    rack *racks;
    uint64_t next_seq;
    uint32_t n_delivered, n_installed, n_commissioning, n_unplaced;
    uint64_t gpus_energized;
    /* Moves whenever a rack is delivered, installed, lit or switched off: the milestone
     * metrics other than facility and supply power change with it and only with it. */
    uint64_t rack_epoch;

    /* what the last state change was, for milestone causes */
    const char *trigger_kind;    /* "power", "building", "install", "delivery", "weather" */
    const char *trigger_name;    /* the element, or NULL ("weather"); model_trigger formats
                                  * them only when a milestone reads them */
    int32_t trigger_act;         /* activity behind the trigger, or -1 */
    uint32_t power_source;       /* source whose change is being balanced, or UINT32_MAX */
    bool power_is_capacity;      /* ... and the change is new capacity (a tranche online) */

    /* fleet (fleet.c) */
    struct fleet_priv *fleet;    /* the fleet's own state (aggregate groups, returns, hits) */
    struct fleet_clock *clocks;  /* per rack: failure process, GPUs in repair (discrete
                                  * mode only; fleet_priv.h) */
    gsl_rng *fleet_rng;          /* aggregate mode and cause picks */
    gsl_rng **switch_rng;        /* per switch group */
    uint32_t n_switches;
    bool *switch_down;
    gpu_hold *holds;             /* repair and release records */
    uint32_t n_holds, cap_holds, free_hold;
    uint64_t gpus_failed_total;  /* GPUs taken down by failures, cumulative */
    uint64_t interruptions;      /* failures that hit a GPU in use */

    /* workload (workload.c) */
    struct job_state *job;
    gsl_rng **job_rng;
    gsl_rng *sched_rng;
    double *wl_cap;              /* scratch for allocation: per site */
    long *wl_order;              /* ... consumers in service order */
    uint32_t *wl_alloc;          /* ... jobs x sites */
    double inference_busy;       /* GPUs serving inference now */
    double inference_want;
    uint32_t *bld_model_lit;     /* per building x rack model: racks lit */
    dcsim_table *rack_curve;     /* per rack model with a table power curve */
    bool workload_dirty;         /* GPUs lit or dark since the last allocation */

    /* sensitivity by exclusion: one driver held at its mean (dcsim_world_fix), or none */
    int fix_kind;                /* dcsim_driver_kind, or -1 */
    uint32_t fix_index;
    bool fix_all;                /* the planned schedule: every buildout draw at its mean, no
                                  * stage failing, no risk firing (dcsim_world_plan) */

    /* integrals up to last_change */
    int64_t last_change;
    double stranded_rack_s, shed_rack_s, shed_it_j, throttle_it_j, battery_out_j;
    /* energy balance (model_check): drawn from the sources, into the batteries, lost in
     * them, and charge the batteries arrived with */
    double supplied_j, battery_in_j, battery_loss_j, battery_installed_j;
    double gpu_down_s, gpu_lit_s, gpu_busy_s, gpu_stuck_s, gpu_idle_s, facility_j;
    double inference_served_s, inference_unserved_s;
    uint32_t peak_stranded;

    /* Last, so that the hot fields above keep their places in the cache lines. */
    ledger led;
} dcsim_model;

/* activity.c */
void activity_begin(dcsim_model *m);
void activity_start(dcsim_model *m, uint32_t a);
void activity_work_done(dcsim_model *m, uint32_t a);
/* The EV_ACT_DONE of activity a at time t: its work is done, unless a risk moved it. */
void activity_work_done_at(dcsim_model *m, uint32_t a, int64_t t);
/* Activity a fails now (a risk named `by` cancelled it): it never completes, and what waits
 * for it never starts. */
void activity_fail(dcsim_model *m, uint32_t a, const char *by);
/* The critical path of activity a (a < its last prerequisite < ...), written into buf. */
void activity_path(const dcsim_model *m, int32_t a, char *buf, size_t n);
/* "stage", "source", "equipment" or "building". */
const char *activity_kind_word(dcsim_activity_kind k);

/* power.c */
void power_begin(dcsim_model *m);
void power_source_done(dcsim_model *m, uint32_t source);
void power_tranche_online(dcsim_model *m, uint32_t tranche);
void power_unit_fail(dcsim_model *m, uint32_t tranche);
void power_unit_repair(dcsim_model *m, uint32_t tranche);
void power_curtail_day(dcsim_model *m, uint32_t source);
void power_curtail_start(dcsim_model *m, uint32_t source);
void power_curtail_end(dcsim_model *m, uint32_t source);
void power_hour(dcsim_model *m);
/* A source's contribution to its site's firm supply now (storage: 0). */
double power_source_w(const dcsim_model *m, uint32_t source);
/* A risk changed building b's capacity (m->bld_lost): racks above what it can hold now go
 * dark (newest first) and wait; when capacity returns they come back. */
void gate_building_changed(dcsim_model *m, uint32_t building);
/* A risk changed source s's capacity (m->src_lost): re-balance its site. */
void power_capacity_changed(dcsim_model *m, uint32_t source);
/* Recompute a site's firm supply from its sources. */
void power_site_supply(dcsim_model *m, uint32_t site);

/* storage.c */
/* Bring every battery's state of charge up to now at its current flow. */
void storage_settle(dcsim_model *m);
/* State of charge of storage source s at time t >= its last settlement, at its current flow
 * (what a sample between events should show), without changing the model. */
double storage_soc_at(const dcsim_model *m, uint32_t s, int64_t t);
/* Discharge power the site's batteries can give now (those not empty and online). */
double storage_available_w(const dcsim_model *m, uint32_t site);
/* Set the site's battery flows: cover `deficit_w` (>= 0) or charge from `surplus_w`, and
 * schedule the next EV_BATTERY when one would run empty or full. */
void storage_dispatch(dcsim_model *m, uint32_t site, double deficit_w, double surplus_w);

/* fleet.c: failures and repairs of energized racks, spares, switch failures. */
/* Allocate the fleet's state in m (streams, per-rack arrays, hold pool); false when out of
 * memory. fleet_destroy frees what it allocated (safe after a failed create). */
bool fleet_create(dcsim_model *m);
void fleet_destroy(dcsim_model *m);
void fleet_begin(dcsim_model *m);
/* A rack was lit (first time or restored) / switched off (shed): start or stop its failure
 * process. */
void fleet_rack_lit(dcsim_model *m, uint32_t rack);
void fleet_rack_dark(dcsim_model *m, uint32_t rack);
/* The EV_RACK_FAIL of `rack` at time t: a failure, unless the rack's clock moved since. */
void fleet_rack_fail(dcsim_model *m, uint32_t rack, int64_t t);
void fleet_switch_fail(dcsim_model *m, uint32_t sw);
void fleet_step(dcsim_model *m);
void fleet_hit_due(dcsim_model *m, uint32_t h);
/* Start loading the per-rack or per-hold record that event ev (the next one, or NULL) will
 * touch, so that on a big fleet its cache miss overlaps the event being handled now. */
void fleet_prefetch(const dcsim_model *m, const dcsim_event *ev);
/* A hold record is done: repaired GPUs (or a spare) come back, or released GPUs free up. */
void fleet_hold_done(dcsim_model *m, uint32_t hold);
/* Take a hold record (grows the pool); UINT32_MAX when out of memory. */
uint32_t hold_take(dcsim_model *m, uint8_t kind, uint32_t site, uint32_t rack, uint32_t gpus);

/* fabric.c: the interconnect's effect on a training job's step. */
/* Ring all-reduce time of S bytes over n participants at B bytes/s each: 2 (n-1)/n S / B. */
double fabric_allreduce_s(double n, double bytes, double bw);
/* Bandwidth per GPU a job of n GPUs sees: the scale-out bandwidth, divided by the
 * oversubscription when it spans more than one pod. */
double fabric_job_bw(const dcsim_fabric *f, uint32_t n_gpus);
/* Step time and efficiency (compute / step) of job j on n GPUs of peak_flops each. */
double fabric_step_efficiency(const dcsim_fabric *f, const dcsim_job *j, uint32_t n_gpus,
                              double peak_flops, double *step_s);

/* workload.c: jobs, inference, the scheduler and stuck GPUs. */
bool workload_create(dcsim_model *m);
void workload_destroy(dcsim_model *m);
void workload_begin(dcsim_model *m);
/* Something changed the GPUs available (racks lit or dark, failures, repairs, releases):
 * settle progress, re-allocate by the scheduler's policy, re-forecast job events. */
void workload_update(dcsim_model *m);
/* A failure hit `gpus` GPUs at site (interrupting: a software fault takes none down but
 * still interrupts): the jobs running there may lose work. */
void workload_failure(dcsim_model *m, uint32_t site, uint32_t gpus, bool hardware);
void workload_job_event(dcsim_model *m, uint32_t job);
void workload_tick(dcsim_model *m);
/* GPUs of released holds come back (called by fleet_hold_done). */
void workload_release_done(dcsim_model *m, uint32_t site, uint32_t gpus, bool stuck);

/* Read-outs for the recorder. */
typedef struct dcsim_job_report {
    const char *state;
    int64_t started, finished;       /* seconds from the start, -1 when not yet */
    double flop_done;
    uint32_t gpus_now;
    double gpu_hours, lost_gpu_hours;
    uint32_t failures;
    double goodput;                  /* useful running time / wall time since start */
    int64_t checkpoint_interval_s;
    double step_efficiency;
} dcsim_job_report;
double workload_flop_done(const dcsim_model *m);
double workload_goodput(const dcsim_model *m);
void workload_job_row(const dcsim_model *m, uint32_t job, dcsim_job_report *r);

/* supply.c */
void supply_begin(dcsim_model *m);
void supply_building_ready(dcsim_model *m, uint32_t building);
void supply_arrive(dcsim_model *m, uint32_t delivery);
void supply_install_done(dcsim_model *m, uint32_t building);
void supply_commissioned(dcsim_model *m, uint32_t rack);

/* gate.c */
void gate_offer(dcsim_model *m, uint32_t rack);
/* Re-balance a site after anything that moves its supply or demand: cover a shortage by the
 * scenario's policy, or restore and energize racks while the budget allows. */
void gate_balance(dcsim_model *m, uint32_t site);
void gate_balance_all(dcsim_model *m);
double gate_metric(const dcsim_model *m, dcsim_metric metric);
/* Facility demand of a site at power cap `cap`, at the site's utilization now (or at u). */
double gate_demand(const dcsim_model *m, uint32_t site, double cap);
double gate_demand_at(const dcsim_model *m, uint32_t site, double cap, double u);
/* Recompute every site's demand terms from the buildings (after PUE moved). */
void gate_reweigh(dcsim_model *m);
/* IT power a site's lit racks draw now (utilization, power cap). */
double gate_it_w(const dcsim_model *m, uint32_t site);
/* IT power of one rack of model rm at utilization u: idle + (peak - idle) f(u). */
double gate_rack_power_w(const dcsim_model *m, const dcsim_rack_model *rm, double u);

/* model.c */
/* The trigger as "kind:name" ("power:grid", "weather") into buf. */
const char *model_trigger(const dcsim_model *m, char *buf, size_t n);
/* Set the trigger: what the last state change was, for milestone causes. */
static inline void model_set_trigger(dcsim_model *m, const char *kind, const char *name)
{
    m->trigger_kind = kind;
    m->trigger_name = name;
}
void model_schedule(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target);

/* One stream per random element, named so that adding or changing another element never
 * moves this one's draws (common random numbers): "KIND/NAME/K", without "/NAME" when name
 * is NULL and without "/K" when k < 0. The name decides the draws: changing it changes them. */
void model_stream_name(char *buf, size_t n, const char *kind, const char *name, long k);
/* The stream of that name for this run's seed and replication; NULL when out of memory. */
gsl_rng *model_stream(const dcsim_model *m, const char *kind, const char *name, long k);
/* Free n streams (NULL entries allowed) and their array. */
void model_free_streams(gsl_rng **r, uint32_t n);

/* risk.c */
bool risk_create(dcsim_model *m);
void risk_destroy(dcsim_model *m);
void risk_begin(dcsim_model *m);
void risk_fire(dcsim_model *m, uint32_t risk);
void risk_end(dcsim_model *m, uint32_t risk);
/* Append " < risk:NAME" to buf (used bytes so far) for every risk that hit activity a while
 * it was unfinished: they are on the chain of whatever waited for it. */
void risk_path(const dcsim_model *m, uint32_t a, char *buf, size_t n, size_t *used);
/* The same with a second word of payload in the event (ev->aux). */
void model_schedule_aux(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target,
                        uint32_t aux);
/* Account time-weighted integrals up to now; call before changing a counted state. */
void model_touch(dcsim_model *m);
/* invariants.c: recount racks, GPUs and energy and abort on any difference (a bug). */
void model_check(dcsim_model *m);
int64_t model_draw_s(const dcsim_dist *d, gsl_rng *r);
/* A draw of element (kind, index), or its mean when that element is the fixed driver. */
int64_t model_draw_el(const dcsim_model *m, int kind, uint32_t index, const dcsim_dist *d,
                      gsl_rng *r);

/* ledger.c: the economics (docs/model.md, Economics). */
bool ledger_create(dcsim_model *m);
void ledger_destroy(dcsim_model *m);
void ledger_begin(dcsim_model *m);
/* Account dt seconds at the state now for the sites model_touch left (called last by it):
 * those whose load, supply or prices moved (a new split of their load over their sources)
 * or that run under a power cap. */
void ledger_touch(dcsim_model *m, double dt);
/* The hour moved on (after model_touch): the electricity price follows its trace. */
void ledger_hour(dcsim_model *m, int64_t unix_now);
/* Capital: a rack arrived; a building's construction started. */
void ledger_rack_delivered(dcsim_model *m, uint32_t rack);
void ledger_building_started(dcsim_model *m, uint32_t building, int64_t duration_s);
void ledger_source_done(dcsim_model *m, uint32_t source);
/* The part of building b's capital paid by time t (its construction started at from and was
 * to take dur seconds; from < 0: not started): all of it at the start, or evenly over the
 * construction (building_payment: spread). */
double ledger_building_paid(const dcsim_scenario *sc, uint32_t b, int64_t from, int64_t dur,
                            int64_t t);
/* A rack's state moved (gate.c): stranded, lit, or dark again (shed). */
void ledger_rack_stranded(dcsim_model *m, uint32_t rack);
void ledger_rack_lit(dcsim_model *m, uint32_t rack, bool was_stranded);
void ledger_rack_dark(dcsim_model *m, uint32_t rack);
/* Room for n snapshots of the net (NaN until taken); false when out of memory. Mark k is
 * taken at time t once scheduled (ledger_mark_at, t not before now), by EV_MARK
 * (ledger_mark). */
bool ledger_marks(dcsim_model *m, uint32_t n);
void ledger_mark_at(dcsim_model *m, uint32_t k, int64_t t);
void ledger_mark(dcsim_model *m, uint32_t k);

/* A site's supply (power_site_supply), facility demand (gate_balance) or battery flow
 * (storage_dispatch) changed: its dispatch is taken again at the next touch. */
static inline void ledger_supply_changed(dcsim_model *m, uint32_t site)
{
    m->site[site].led_epoch++;
}
static inline void ledger_load_changed(dcsim_model *m, uint32_t site)
{
    m->site[site].led_epoch++;
}
/* Energy source s supplied so far (J), and what no source covered, with the time the
 * current dispatch has held. */
double ledger_source_j(const dcsim_model *m, uint32_t s);
double ledger_unsourced_j(const dcsim_model *m);

/* The ledger's figures up to last_change, in US dollars (and MWh, MMBtu, GPU-hours). */
typedef struct ledger_figures {
    double capex, stranded, idle, energy, value;   /* the cumulative series */
    double grid_mwh, grid_usd, ppa_mwh, ppa_usd, gen_mwh, gen_usd, fuel_usd, fuel_mmbtu;
    double battery_mwh, battery_usd, unsourced_mwh;
    double delivered_gpu_h, lost_failures_gpu_h, lost_throttle_gpu_h, lost_stuck_gpu_h,
           lost_stranded_gpu_h;
    double net;                  /* stranded + idle + energy - value */
} ledger_figures;
void ledger_read(const dcsim_model *m, ledger_figures *f);

/* Create the model state for sc with streams for `replication`; events go to eng, log lines
 * to log. NULL when out of memory. */
dcsim_model *model_create(const dcsim_scenario *sc, uint64_t replication, dcsim_engine *eng,
                          dcsim_eventlog *log);
void model_destroy(dcsim_model *m);
/* Schedule the first events (activities with nothing to wait for, first deliveries). */
void model_begin(dcsim_model *m);
/* Handle one event, then re-allocate GPUs if anything changed them. */
void model_handle(dcsim_model *m, const dcsim_event *ev);
void model_dispatch(dcsim_model *m, const dcsim_event *ev);

/* rack queues and stacks */
bool rack_queue_init(rack_queue *q, uint32_t cap);
void rack_queue_fini(rack_queue *q);
void rack_queue_push(rack_queue *q, uint32_t r);
uint32_t rack_queue_peek(const rack_queue *q);
uint32_t rack_queue_pop(rack_queue *q);
bool rack_stack_push(rack_stack *s, uint32_t r);
void rack_stack_fini(rack_stack *s);

#endif
