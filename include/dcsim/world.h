/* One replication = one world: an engine, the model state (power sources, buildings,
 * deliveries, racks, the power gate) and a recorder. Worlds share only the immutable
 * scenario, so many can run side by side on threads without locks. */
#ifndef DCSIM_WORLD_H
#define DCSIM_WORLD_H

#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/scenario.h"

typedef struct dcsim_world dcsim_world;

/* Build a world for replication `replication` of sc (sc must outlive it). Every random
 * element gets its stream from hash(sc->seed, replication, element name). Returns DCSIM_OK
 * and *out, or DCSIM_ENOMEM. Free with dcsim_world_destroy. */
dcsim_status dcsim_world_create(const dcsim_scenario *sc, uint64_t replication,
                                dcsim_world **out, dcsim_diag *d);
void dcsim_world_destroy(dcsim_world *w);

/* Simulate from the start to the horizon, sampling every sc->sample_s. Returns DCSIM_OK, or
 * DCSIM_ENOMEM if the event heap could not grow. */
dcsim_status dcsim_world_run(dcsim_world *w, dcsim_diag *d);

/* Write timeseries.csv, events.csv, milestones.csv, summary.csv and meta.csv into the existing
 * directory dir. command_line is recorded in meta.csv. */
dcsim_status dcsim_world_write(const dcsim_world *w, const char *dir, const char *command_line,
                               dcsim_diag *d);

/* Results, for tests and analysis. A milestone's simulated time (seconds from the start), or
 * -1 when it was not reached within the horizon. */
int64_t dcsim_world_milestone_time(const dcsim_world *w, uint32_t milestone);
uint64_t dcsim_world_events_handled(const dcsim_world *w);

#endif
