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
    bool need;                   /* a `needs` entry (finish prerequisite), not an `after` */
} scn_ref;

typedef struct scn_ctx {
    dcsim_scenario *sc;
    dcsim_diag *d;
    int64_t start_unix;
    char dir[4096];              /* the scenario file's folder, for relative trace paths */
    scn_ref *refs;
    size_t n_refs, cap_refs;
    const dcsim_ynode **act_node;   /* per activity: the node to point at in cycle errors */
    const dcsim_ynode **seen;       /* every element name, for the uniqueness check */
    size_t n_seen, cap_seen;
    bool implicit_site;             /* no `sites:` section: one site holds everything */
} scn_ctx;

#define SCN_PATH 256
#define OOM(c) dcsim_diag_set((c)->d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory")
#define TRY(expr)                  \
    do {                           \
        dcsim_status st_ = (expr); \
        if (st_)                   \
            return st_;            \
    } while (0)

/* ---- structure helpers (get.c) ---- */

/* "base.key" (or "key" when base is empty) into buf; returns buf. */
const char *scn_join(char *buf, size_t n, const char *base, const char *key);

/* A section of named entries (name: {...}): its map node, or NULL when absent or empty. */
dcsim_status scn_section(scn_ctx *c, const dcsim_ynode *parent, const char *key,
                         const char *path, const dcsim_ynode **out);
size_t scn_len(const dcsim_ynode *n);

/* Check and remember an element name (unique across the scenario, checked at the end). */
dcsim_status scn_element_name(scn_ctx *c, const dcsim_ynode *key, const char *path);
dcsim_status scn_check_unique(scn_ctx *c);

/* Typed optional getters: when map has `key`, read it into *out (path is the map's path);
 * when it does not, leave *out as it is (the default) unless required, which is then an
 * error naming the key. */
dcsim_status scn_get_power(scn_ctx *c, const dcsim_ynode *map, const char *key,
                           const char *path, bool required, double *out);
dcsim_status scn_get_energy(scn_ctx *c, const dcsim_ynode *map, const char *key,
                            const char *path, bool required, double *out);
dcsim_status scn_get_number(scn_ctx *c, const dcsim_ynode *map, const char *key,
                            const char *path, bool required, double lo, double hi,
                            double *out);
dcsim_status scn_get_count(scn_ctx *c, const dcsim_ynode *map, const char *key,
                           const char *path, bool required, uint32_t lo, uint32_t hi,
                           uint32_t *out);
dcsim_status scn_get_duration(scn_ctx *c, const dcsim_ynode *map, const char *key,
                              const char *path, bool required, int64_t *out);
dcsim_status scn_get_dist(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, bool required, dcsim_dist *out);
dcsim_status scn_get_when(scn_ctx *c, const dcsim_ynode *map, const char *key,
                          const char *path, bool required, int64_t *out);

/* A table of [x, y] pairs ([[10, 1.10], [25, 1.15]]) with x strictly increasing and y in
 * [ylo, yhi]; arrays allocated in the scenario arena. */
dcsim_status scn_pairs(scn_ctx *c, const dcsim_ynode *n, const char *path, double ylo,
                       double yhi, double **x, double **y, uint32_t *count);

/* A "MM-DD" day of a non-leap year, 0-based. */
dcsim_status scn_month_day(scn_ctx *c, const dcsim_ynode *n, const char *path, uint16_t *doy);

/* The element named by scalar n among the keys of section sec (delivery.rack ...). */
dcsim_status scn_ref_in(scn_ctx *c, const dcsim_ynode *n, const char *path,
                        const dcsim_ynode *sec, const char *what, uint32_t *out);

/* The element named by scalar n among the count that name(sc, k, arg) gives (rack models,
 * sources, deliveries...): its index in *out, or a failure "'x' is not WHAT" with a
 * did-you-mean when a name is close. */
typedef const char *(*scn_name_fn)(const dcsim_scenario *sc, uint32_t k, const void *arg);
dcsim_status scn_pick(scn_ctx *c, const dcsim_ynode *n, const char *path, const char *what,
                      uint32_t count, scn_name_fn name, const void *arg, long *out);

/* An hourly series from the CSV file named by map's `file_key` (relative to the scenario),
 * column `col_key` (default default_col), values in [lo, hi]; copied into the arena. */
dcsim_status scn_hourly(scn_ctx *c, const dcsim_ynode *map, const char *file_key,
                        const char *col_key, const char *default_col, const char *path,
                        double lo, double hi, double **out, uint32_t *n);

/* A condition "METRIC >= NUMBER" (milestones, job start). */
dcsim_status scn_condition(scn_ctx *c, const dcsim_ynode *n, const char *path,
                           dcsim_metric *metric, double *threshold);

/* Resolve a file path given in the scenario: relative to the scenario file's folder. */
void scn_file_path(const scn_ctx *c, const char *rel, char *buf, size_t n);

/* ---- sections (power.c, site.c, supply.c) ---- */
dcsim_status scn_load_sites(scn_ctx *c, const dcsim_ynode *root);
dcsim_status scn_load_equipment(scn_ctx *c, const dcsim_ynode *sec, uint32_t first_act);
dcsim_status scn_load_power(scn_ctx *c, const dcsim_ynode *sources);
dcsim_status scn_load_buildings(scn_ctx *c, const dcsim_ynode *bs, uint32_t first_act);
dcsim_status scn_load_racks(scn_ctx *c, const dcsim_ynode *rs);
dcsim_status scn_load_shortage(scn_ctx *c, const dcsim_ynode *root);
dcsim_status scn_load_deliveries(scn_ctx *c, const dcsim_ynode *ds, const dcsim_ynode *rs,
                                 const dcsim_ynode *bs);
dcsim_status scn_load_milestones(scn_ctx *c, const dcsim_ynode *ms);
dcsim_status scn_load_grading(scn_ctx *c, const dcsim_ynode *root);
/* operations (scn_ops.c) */
dcsim_status scn_load_gpus(scn_ctx *c, const dcsim_ynode *gs);
dcsim_status scn_load_failures(scn_ctx *c, const dcsim_ynode *root);
dcsim_status scn_load_fabric(scn_ctx *c, const dcsim_ynode *root);
dcsim_status scn_load_jobs(scn_ctx *c, const dcsim_ynode *js);
dcsim_status scn_load_inference(scn_ctx *c, const dcsim_ynode *root);
dcsim_status scn_load_scheduler(scn_ctx *c, const dcsim_ynode *root);
/* risks: and risk_drivers: (scn_risk.c), after the activities are resolved. */
dcsim_status scn_load_risks(scn_ctx *c, const dcsim_ynode *root);
/* economics: (scn_econ.c), after racks and jobs. */
dcsim_status scn_load_economics(scn_ctx *c, const dcsim_ynode *root);
/* A `site:` key of a source or building: the site's index (0 when the site is implicit). */
dcsim_status scn_site_of(scn_ctx *c, const dcsim_ynode *body, const char *path,
                         uint32_t *out);

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

/* Remember `after` entries (a scalar or a sequence of scalars) for activity `from`; with
 * need set, `needs` entries (the activity may not finish before they complete). */
dcsim_status scn_collect_after(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               uint32_t from);
dcsim_status scn_collect_needs(scn_ctx *c, const dcsim_ynode *n, const char *path,
                               uint32_t from);

/* Resolve every remembered reference into activity deps and needs (appending to those
 * already set), then refuse dependency cycles through either, naming the cycle. */
dcsim_status scn_resolve(scn_ctx *c);

/* The activity ids ordered by name, for scn_activity_ref (malloc'd; NULL when out of
 * memory). */
uint32_t *scn_activities_by_name(const dcsim_scenario *sc);
/* The activity named name in sorted (scn_activities_by_name), or -1. */
long scn_find_activity(const dcsim_scenario *sc, const uint32_t *sorted, const char *name);
/* The activity named by scalar n (a source, source.stage, building or equipment item), or a
 * failure naming it, with a did-you-mean when a name is close. */
dcsim_status scn_activity_ref(scn_ctx *c, const uint32_t *sorted, const dcsim_ynode *n,
                              const char *path, long *out);

#endif
