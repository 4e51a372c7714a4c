/* Private to the scenario loader: the loading context and the typed readers that turn YAML
 * nodes into SI values, each failing with file:line:column, the key path and a sentence. */
#ifndef DCSIM_SCENARIO_LOAD_H
#define DCSIM_SCENARIO_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/dist.h"
#include "dcsim/scenario.h"
#include "dcsim/ytree.h"

/* Memory for the scenario: every string and array, freed at once. */
struct scn_arena;
void *scn_alloc(struct scn_arena **a, size_t size);      /* zeroed; NULL when out of memory */
char *scn_strdup(struct scn_arena **a, const char *s);
void scn_arena_free(struct scn_arena *a);

/* A reference to another element by name (an `after` entry), kept with its node until every
 * name is known. */
typedef struct scn_ref {
    const dcsim_ynode *node;
    char path[160];
    uint32_t from_activity;      /* the activity that waits */
} scn_ref;

typedef struct scn_ctx {
    dcsim_scenario *sc;
    dcsim_diag *d;
    int64_t start_unix;
    scn_ref *refs;
    size_t n_refs, cap_refs;
    const dcsim_ynode **act_node;   /* per activity: the node to point at in cycle errors */
} scn_ctx;

/* Fail at node n (its file, line and column) with "path: message". Returns DCSIM_EINPUT. */
dcsim_status scn_fail(scn_ctx *c, const dcsim_ynode *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Unknown keys are errors with a did-you-mean among `allowed` (NULL-terminated). Also
 * checks that n is a map. */
dcsim_status scn_check_keys(scn_ctx *c, const dcsim_ynode *n, const char *path,
                            const char *const *allowed);

/* Expect a map / a scalar. */
dcsim_status scn_need_map(scn_ctx *c, const dcsim_ynode *n, const char *path);
dcsim_status scn_need_scalar(scn_ctx *c, const dcsim_ynode *n, const char *path);

/* A required key: its node, or an error naming the key at the map's position. */
dcsim_status scn_required(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, const dcsim_ynode **out);

/* Typed scalar readers. `path` is the key path for messages. */
dcsim_status scn_duration(scn_ctx *c, const dcsim_ynode *n, const char *path, int64_t *out_s);
dcsim_status scn_power(scn_ctx *c, const dcsim_ynode *n, const char *path, double *out_w);
dcsim_status scn_number(scn_ctx *c, const dcsim_ynode *n, const char *path, double lo,
                        double hi, double *out);
dcsim_status scn_count(scn_ctx *c, const dcsim_ynode *n, const char *path, uint32_t lo,
                       uint32_t hi, uint32_t *out);
dcsim_status scn_u64(scn_ctx *c, const dcsim_ynode *n, const char *path, uint64_t *out);
dcsim_status scn_string(scn_ctx *c, const dcsim_ynode *n, const char *path, char **out);
/* A date ("2025-06-30") or a duration after the scenario start ("30d"), as seconds from the
 * scenario start; refuses dates before the start. */
dcsim_status scn_when(scn_ctx *c, const dcsim_ynode *n, const char *path, int64_t *out_s);

/* A duration distribution: a scalar duration (fixed) or a map {dist: NAME, params...}. */
dcsim_status scn_duration_dist(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               dcsim_dist *out);

/* A name used as a map key: 1 to 63 letters, digits, '-' or '_', so it can appear in --set
 * paths, references, CSV columns and file names. */
dcsim_status scn_name(scn_ctx *c, const dcsim_ynode *key, const char *path);

/* Remember `after` entries (a scalar or a sequence of scalars) for activity `from`. */
dcsim_status scn_collect_after(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               uint32_t from);

/* Resolve every remembered reference into activity deps (appending to deps already set),
 * then refuse dependency cycles, naming the cycle. */
dcsim_status scn_resolve(scn_ctx *c);

#endif
