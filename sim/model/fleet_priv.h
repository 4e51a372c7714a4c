/* Private to the fleet (fleet.c and fleet_agg.c): the state it keeps beyond the fields
 * model.h gives it, and the helpers its discrete and aggregate halves share. */
#ifndef DCSIM_FLEET_PRIV_H
#define DCSIM_FLEET_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* fleet_next[r] for a rack whose failure clock runs but lands after the horizon. */
#define FLEET_AFTER_RUN INT64_MAX

/* State the fleet needs beyond the fields model.h gives it (m->fleet). The per-rack down
 * counts live in its flexible tail, and m->rack_down points at them. */
typedef struct fleet_priv {
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
    uint32_t rack_down[];    /* m->rack_down */
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
/* Asserts site s's invariant gpus_down <= gpus_lit. */
void fleet_check_site(const dcsim_model *m, uint32_t s);

/* fleet_agg.c */

/* Recompute group g's share of its site's gpus_down after its counts moved. */
void fleet_group_update(dcsim_model *m, uint32_t g);
/* Rack r is lit (lit_now) or shed: its share of its group's failed GPUs moves with it. */
void fleet_group_rack(dcsim_model *m, uint32_t r, bool lit_now);

#endif
