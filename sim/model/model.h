/* Private to the model: the state of one simulated campus and the functions each model noun
 * (activity network, power, supply, gate) offers the event dispatcher in model.c. Arrays are sized from
 * the scenario at creation; the event loop allocates nothing. */
#ifndef DCSIM_MODEL_H
#define DCSIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dcsim/engine.h"
#include "dcsim/scenario.h"
#include "dcsim/eventlog.h"

/* Event kinds; the event's target is an index into the array the kind names. */
enum {
    EV_ACT_START,        /* activities: a start held back by not_before */
    EV_ACT_DONE,         /* activities */
    EV_TRANCHE,          /* tranches: capacity comes online */
    EV_ARRIVE,           /* deliveries: the next rack arrives */
    EV_INSTALL_DONE,     /* buildings: the crew finished the rack at the head of the queue */
    EV_COMMISSIONED      /* racks: burn-in done, the rack asks the gate for power */
};

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
    RACK_ENERGIZED
} rack_state;

typedef struct rack {
    uint32_t delivery;
    uint8_t state;
    uint8_t cause;
    uint32_t power_source;   /* for CAUSE_POWER: the source whose capacity let it in */
    int64_t t_delivered, t_install_start, t_commissioned, t_energized;
} rack;

/* A FIFO ring of rack indices, sized once. */
typedef struct rack_queue {
    uint32_t *buf;
    uint32_t cap, head, len;
} rack_queue;

typedef struct dcsim_model {
    const dcsim_scenario *sc;
    uint64_t replication;
    dcsim_engine *eng;

    /* activity network */
    gsl_rng **act_rng;
    uint32_t *act_unmet;         /* deps not yet done */
    uint32_t *dep_first, *dep_list; /* CSR: activities that wait for activity i */
    int64_t *act_start, *act_finish;  /* -1 until it happens */
    int32_t *act_last;           /* the dep that completed last, or -1 (the start date) */

    /* power */
    gsl_rng **tranche_rng;
    double *source_online_w;
    double supply_w;

    /* buildings: readiness and install crews */
    bool *bld_ready;
    bool *crew_busy;
    int64_t *crew_free_at;       /* when the crew last finished a rack */
    rack_queue *install_q;

    /* deliveries */
    gsl_rng **slip_rng, **comm_rng;
    uint32_t *dl_next;           /* racks of this delivery already arrived */
    uint32_t *dl_first_rack;     /* index of its first rack in racks[] */
    int64_t *dl_t0;

    /* racks and the gate */
    rack *racks;
    rack_queue gate_q;
    double it_w, facility_w;
    uint32_t n_delivered, n_installed, n_commissioning, n_stranded, n_energized;
    uint64_t gpus_energized;

    /* what the last state change was, for milestone causes */
    char trigger[96];
    int32_t trigger_act;         /* activity behind the trigger, or -1 */

    /* integrals */
    int64_t last_change;
    double stranded_rack_s;
    uint32_t peak_stranded;

    dcsim_eventlog *log;         /* not owned */
    bool out_of_memory;          /* an event could not be scheduled: the run is void */
} dcsim_model;

/* activity.c */
void activity_begin(dcsim_model *m);
void activity_start(dcsim_model *m, uint32_t a);
void activity_done(dcsim_model *m, uint32_t a);
/* The critical path of activity a (a < its last dep < ...), written into buf. */
void activity_path(const dcsim_model *m, int32_t a, char *buf, size_t n);

/* power.c */
void power_source_done(dcsim_model *m, uint32_t source);
void power_tranche_online(dcsim_model *m, uint32_t tranche);

/* supply.c */
void supply_begin(dcsim_model *m);
void supply_building_ready(dcsim_model *m, uint32_t building);
void supply_arrive(dcsim_model *m, uint32_t delivery);
void supply_install_done(dcsim_model *m, uint32_t building);
void supply_commissioned(dcsim_model *m, uint32_t rack);

/* gate.c */
void gate_offer(dcsim_model *m, uint32_t rack);
void gate_drain(dcsim_model *m, uint32_t source);
double gate_metric(const dcsim_model *m, dcsim_metric metric);

/* model.c */
void model_schedule(dcsim_model *m, int64_t t, uint32_t kind, uint32_t target);
/* Account time-weighted integrals up to now; call before changing a counted state. */
void model_touch(dcsim_model *m);

/* Create the model state for sc with streams for `replication`; events go to eng, log lines
 * to log. NULL when out of memory. */
dcsim_model *model_create(const dcsim_scenario *sc, uint64_t replication, dcsim_engine *eng,
                          dcsim_eventlog *log);
void model_destroy(dcsim_model *m);
/* Schedule the first events (activities with nothing to wait for, first deliveries). */
void model_begin(dcsim_model *m);
/* Handle one event. */
void model_handle(dcsim_model *m, const dcsim_event *ev);

/* rack_queue helpers */
bool rack_queue_init(rack_queue *q, uint32_t cap);
void rack_queue_fini(rack_queue *q);
void rack_queue_push(rack_queue *q, uint32_t r);
uint32_t rack_queue_peek(const rack_queue *q);
uint32_t rack_queue_pop(rack_queue *q);

#endif
