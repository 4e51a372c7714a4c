/* Private to the fleet (fleet.c and fleet_agg.c): the state it keeps beyond the fields
 * model.h gives it, and the helpers its discrete and aggregate halves share. */
#ifndef DCSIM_FLEET_PRIV_H
#define DCSIM_FLEET_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/rng.h"
#include "model/model.h"

/* fleet_clock.next for a rack whose failure clock runs but lands after the horizon. */
#define FLEET_AFTER_RUN INT64_MAX

/* One rack's failure process in discrete mode (m->clocks[r]), alone in a cache line: an
 * EV_RACK_FAIL or a repair touches this and no other per-rack memory (the rack's model, site
 * and whether it is lit are copied here when it is lit). On a fleet of 90,000 racks the
 * per-rack state no longer fits a core's cache, and separate arrays (a gsl_rng pointer, the
 * struct it points to, its state, the next failure, the GPUs down, the rack record) cost a
 * miss each: docs/performance.md. */
typedef struct fleet_clock {
    _Alignas(64) dcsim_stream_state rng;   /* the rack's stream (dcsim_stream_view) */
    int64_t next;       /* its pending EV_RACK_FAIL, -1 when no clock runs, FLEET_AFTER_RUN */
    uint32_t down;      /* its GPUs in repair, kept whether or not it is lit */
    uint32_t model;     /* its rack model (an index into sc->rack_models) */
    uint32_t site;      /* its site, set when it is lit (a rack is placed by then) */
    bool lit;           /* energized: racks[r].state == RACK_ENERGIZED */
} fleet_clock;

/* State the fleet needs beyond the fields model.h gives it (m->fleet). */
typedef struct fleet_priv {
    double rate_per_gpu_s;   /* every cause's failure rate per running GPU-second, summed */
    /* aggregate mode: groups are building x rack model, g = b * n_rack_models + k */
    uint32_t n_groups;
    uint64_t *grp_failed;    /* GPUs in repair from lit racks (expected, racks are not told) */
    uint64_t *grp_dark;      /* ... from racks since shed */
    uint32_t *grp_dark_racks;/* racks shed */
    bool *rack_dark;         /* per rack: shed (lit before, dark now) */
    uint64_t *grp_cut;       /* GPUs on lit racks behind a down switch */
    uint64_t *grp_shown;     /* what the group adds to its site's gpus_down now */
    /* returns at future steps: row (step % ring_len) holds GPUs back per group, then spare
     * nodes back per site */
    uint32_t *ring;
    size_t ring_len, ring_w;
    /* interruptions of the step's failures, handed to the workload at their own moments
     * (an EV_FLEET_HIT each, naming its index here) */
    struct fleet_hit *hits;
    size_t n_hits, cap_hits;
    int64_t last_boundary, next_boundary;   /* failure draws: the last one, the next one */
} fleet_priv;

/* A failure's interruption, due at its EV_FLEET_HIT. */
typedef struct fleet_hit {
    uint32_t site, gpus;
    bool hardware;
} fleet_hit;

/* fleet.c */

/* m->fleet. */
fleet_priv *fleet_priv_of(const dcsim_model *m);
/* The rack model of rack r. */
const dcsim_rack_model *fleet_model_of(const dcsim_model *m, uint32_t r);
/* Whether rack r sits behind a leaf switch that is down. */
bool fleet_cut_off(const dcsim_model *m, uint32_t r);
/* Rack r's aggregate group: building x n_rack_models + rack model. */
uint32_t fleet_group_of(const dcsim_model *m, uint32_t r);
/* GPUs one failure of cause c takes from a rack of model rm (before the cap at GPUs up). */
uint32_t fleet_takes_gpus(const dcsim_failure_cause *c, const dcsim_rack_model *rm);
/* Rack r's GPUs in repair (discrete mode; none in the other modes, which keep no count
 * per rack). */
uint32_t fleet_rack_down(const dcsim_model *m, uint32_t r);
/* Asserts site s's invariant gpus_down <= gpus_lit. */
void fleet_check_site(const dcsim_model *m, uint32_t s);

/* fleet_agg.c */

/* Recompute group g's share of its site's gpus_down after its counts moved. */
void fleet_group_update(dcsim_model *m, uint32_t g);
/* Rack r is lit (lit_now) or shed: its share of its group's failed GPUs moves with it. */
void fleet_group_rack(dcsim_model *m, uint32_t r, bool lit_now);

#endif
