/* The what-if grid: parse "--vary PATH=V1,V2,...", run one Monte Carlo per combination of
 * values (each point a fresh load with its overrides, so a bad value gets the loader's own
 * message), keep each point's grade table and write it as sweep.csv. The points share seed
 * and replication indices: common random numbers make the differences the effect of the
 * change. Points run one after another; each Monte Carlo already uses every thread. */
#include "dcsim/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/csv.h"
#include "dcsim/scenario.h"
#include "dcsim/units.h"
#include "dcsim/version.h"

static const char vary_file[] = "--vary";

struct dcsim_sweep {
    char *scenario;              /* path as given */
    char *name;                  /* the scenario's name (point 0) */
    uint64_t file_hash, seed, runs;     /* of point 0 */
    dcsim_sweep_axis *axes;      /* owned copies (laid out as dcsim_sweep_parse_vary does) */
    size_t n_axes;
    size_t n_points;
    char **ms_names;             /* point 0's milestones; every point has the same */
    uint32_t n_ms;
    int64_t *start_unix;         /* per point: an axis may move the start */
    dcsim_mc_grade *grades;      /* [point n_ms + ms] */
};

/* ---- axes ---- */

/* 1-based column of byte offset off in arg, in characters (UTF-8 continuation bytes do not
 * count), as the --set errors count them. */
static int char_col(const char *arg, size_t off)
{
    size_t c = 1;
    for (size_t i = 0; i < off; i++)
        c += ((unsigned char)arg[i] & 0xC0) != 0x80;
    return c < (size_t)INT32_MAX ? (int)c : INT32_MAX;
}

/* One block "PATH\0V1\0V2\0..." that path points at, and the values array into it: the
 * layout dcsim_sweep_axis_free undoes. */
static dcsim_status axis_alloc(dcsim_sweep_axis *axis, const char *block, size_t block_len,
                               size_t n, dcsim_diag *d)
{
    char *buf = malloc(block_len + 1);
    const char **vals = malloc((n + 1) * sizeof *vals);
    if (!buf || !vals) {
        free(buf), free(vals);
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(buf, block, block_len);
    buf[block_len] = '\0';
    axis->path = buf;
    axis->values = vals;
    axis->n = n;
    return DCSIM_OK;
}

dcsim_status dcsim_sweep_parse_vary(const char *arg, dcsim_sweep_axis *axis, dcsim_diag *d)
{
    *axis = (dcsim_sweep_axis){0};
    const char *eq = strchr(arg, '=');
    if (!eq)
        return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                              "expected PATH=V1,V2,... (like "
                              "power.sources.grid.capacity=600MW,800MW), got '%s'", arg);
    if (eq == arg)
        return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                              "the path before '=' is empty; expected PATH=V1,V2,...");
    /* Check every value before allocating, so an error leaves nothing to free. */
    size_t n = 0;
    const char *p = eq + 1;
    for (;;) {
        size_t len = strcspn(p, ",");
        int col = char_col(arg, (size_t)(p - arg));
        if (len == 0 && n == 0 && *p == '\0')
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, col,
                                  "no values after '=' at column %d; expected PATH=V1,V2,...",
                                  col);
        if (len == 0 && *p == '\0')
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, col,
                                  "empty value at column %d, after the trailing ','", col);
        if (len == 0)
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, col,
                                  "empty value at column %d; values are separated by one ','",
                                  col);
        if (++n > DCSIM_SWEEP_MAX_VALUES)
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, col,
                                  "too many values (at most %u per axis)",
                                  DCSIM_SWEEP_MAX_VALUES);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    dcsim_status st = axis_alloc(axis, arg, strlen(arg), n, d);
    if (st)
        return st;
    /* Split the copy in place: '=' and each ',' end a string. */
    char *buf = (char *)axis->path;
    char *v = buf + (eq - arg);
    *v++ = '\0';
    for (size_t k = 0; k < n; k++) {
        axis->values[k] = v;
        v += strcspn(v, ",");
        *v++ = '\0';
    }
    return DCSIM_OK;
}

void dcsim_sweep_axis_free(dcsim_sweep_axis *axis)
{
    if (!axis)
        return;
    free((char *)axis->path);
    free(axis->values);
    *axis = (dcsim_sweep_axis){0};
}

/* A copy of src in the parse layout, whoever built src. */
static dcsim_status axis_copy(dcsim_sweep_axis *dst, const dcsim_sweep_axis *src,
                              dcsim_diag *d)
{
    size_t len = strlen(src->path) + 1;
    for (size_t k = 0; k < src->n; k++)
        len += strlen(src->values[k]) + 1;
    char *tmp = malloc(len);
    if (!tmp)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t off = 0;
    memcpy(tmp, src->path, strlen(src->path) + 1);
    off += strlen(src->path) + 1;
    for (size_t k = 0; k < src->n; k++) {
        memcpy(tmp + off, src->values[k], strlen(src->values[k]) + 1);
        off += strlen(src->values[k]) + 1;
    }
    dcsim_status st = axis_alloc(dst, tmp, len, src->n, d);
    free(tmp);
    if (st)
        return st;
    const char *v = dst->path + strlen(dst->path) + 1;
    for (size_t k = 0; k < src->n; k++) {
        dst->values[k] = v;
        v += strlen(v) + 1;
    }
    return DCSIM_OK;
}

/* Axes a caller built by hand get the checks the parser gives --vary. */
static dcsim_status check_axes(const dcsim_sweep_axis *axes, size_t n_axes, size_t *points,
                               dcsim_diag *d)
{
    size_t total = 1;
    for (size_t a = 0; a < n_axes; a++) {
        const dcsim_sweep_axis *x = &axes[a];
        if (!x->path || !*x->path || x->n == 0 || x->n > DCSIM_SWEEP_MAX_VALUES || !x->values)
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                                  "axis %zu needs a path and 1 to %u values", a + 1,
                                  DCSIM_SWEEP_MAX_VALUES);
        for (size_t k = 0; k < x->n; k++)
            if (!x->values[k] || !*x->values[k])
                return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                                      "value %zu of '%s' is empty", k + 1, x->path);
        for (size_t b = 0; b < a; b++)
            if (strcmp(axes[b].path, x->path) == 0)
                return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                                      "'%s' is varied twice (axes %zu and %zu); give all its "
                                      "values in one --vary", x->path, b + 1, a + 1);
        /* Compare before multiplying: no overflow, and the message names the real size. */
        if (total > DCSIM_SWEEP_MAX_POINTS / x->n)
            return dcsim_diag_set(d, DCSIM_EINPUT, vary_file, 1, 1,
                                  "the grid has more than %u points; vary fewer values",
                                  DCSIM_SWEEP_MAX_POINTS);
        total *= x->n;
    }
    *points = total;
    return DCSIM_OK;
}

/* ---- running ---- */

/* Index of axis a's value at point: the first axis varies slowest, so the stride of axis a
 * is the product of the later axes' sizes. */
static size_t value_index(const dcsim_sweep *sw, size_t point, size_t a)
{
    size_t stride = 1;
    for (size_t b = a + 1; b < sw->n_axes; b++)
        stride *= sw->axes[b].n;
    return point / stride % sw->axes[a].n;
}


/* "point 2 (power.sources.grid.capacity=600MW, reserve=0.1)" */
static void point_label(const dcsim_sweep *sw, size_t point, char *buf, size_t len)
{
    int w = snprintf(buf, len, "point %zu", point);
    size_t off = w > 0 && (size_t)w < len ? (size_t)w : len - 1;
    for (size_t a = 0; a < sw->n_axes && off + 1 < len; a++) {
        w = snprintf(buf + off, len - off, "%s%s=%s", a ? ", " : " (", sw->axes[a].path,
                     sw->axes[a].values[value_index(sw, point, a)]);
        off = w > 0 && (size_t)w < len - off ? off + (size_t)w : len - 1;
    }
    if (sw->n_axes && off + 1 < len)
        snprintf(buf + off, len - off, ")");
}

/* Put the point in front of what the loader or the runner said; keep its position. The
 * message is cut at the end when the two do not fit together. */
static void prefix_point(dcsim_diag *d, const char *label)
{
    if (!d)
        return;
    size_t cap = sizeof d->msg - 1, lab = strlen(label), msg = strlen(d->msg);
    if (lab + 2 > cap)
        lab = cap - 2;
    if (msg > cap - lab - 2)
        msg = cap - lab - 2;
    memmove(d->msg + lab + 2, d->msg, msg);
    memcpy(d->msg, label, lab);
    memcpy(d->msg + lab, ": ", 2);
    d->msg[lab + 2 + msg] = '\0';
}

static bool same_milestones(const dcsim_sweep *sw, const dcsim_scenario *sc)
{
    if (sc->n_milestones != sw->n_ms)
        return false;
    for (uint32_t i = 0; i < sw->n_ms; i++)
        if (strcmp(sc->milestones[i].name, sw->ms_names[i]) != 0)
            return false;
    return true;
}

/* Point 0 fixes what the sweep reports: its milestones, file hash and seed. */
static dcsim_status first_point(dcsim_sweep *sw, const dcsim_scenario *sc, dcsim_diag *d)
{
    sw->file_hash = sc->file_hash;
    sw->seed = sc->seed;
    sw->name = strdup(sc->name);
    sw->n_ms = sc->n_milestones;
    sw->ms_names = calloc(sw->n_ms + 1, sizeof *sw->ms_names);
    sw->grades = calloc(sw->n_points * sw->n_ms + 1, sizeof *sw->grades);
    if (!sw->ms_names || !sw->grades)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (uint32_t i = 0; i < sw->n_ms; i++)
        if (!(sw->ms_names[i] = strdup(sc->milestones[i].name)))
            return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
    return DCSIM_OK;
}

/* Load and run one point; its grades go to their slots. */
static dcsim_status run_point(dcsim_sweep *sw, size_t point, const char *const *sets,
                              size_t n_sets, bool has_seed, uint64_t seed,
                              const dcsim_mc_opts *o, dcsim_diag *d)
{
    dcsim_scenario *sc = NULL;
    dcsim_status st = dcsim_scenario_load(sw->scenario, sets, n_sets, has_seed, seed, &sc, d);
    if (st)
        return st;
    if (point == 0)
        st = first_point(sw, sc, d);
    else if (!same_milestones(sw, sc))
        st = dcsim_diag_set(d, DCSIM_EINPUT, sw->scenario, 0, 0,
                            "the milestones differ from point 0's; a sweep compares the "
                            "same milestones at every point");
    dcsim_mc *mc = NULL;
    if (!st)
        st = dcsim_mc_run(sc, o, &mc, d);
    if (!st) {
        for (uint32_t i = 0; i < sw->n_ms; i++)
            dcsim_mc_grade_of(mc, i, &sw->grades[point * sw->n_ms + i]);
        sw->start_unix[point] = sc->start_unix;
    }
    dcsim_mc_free(mc);          /* before the scenario it points into */
    dcsim_scenario_free(sc);
    return st;
}

dcsim_status dcsim_sweep_run(const char *scenario_path, const char *const *base_sets,
                             size_t n_base_sets, bool has_seed, uint64_t seed,
                             const dcsim_sweep_axis *axes, size_t n_axes,
                             const dcsim_mc_opts *mc_opts, dcsim_sweep **out, dcsim_diag *d)
{
    *out = NULL;
    size_t n_points = 0;
    dcsim_status st = check_axes(axes, n_axes, &n_points, d);
    if (st)
        return st;
    dcsim_sweep *sw = calloc(1, sizeof *sw);
    const char **sets = malloc((n_base_sets + n_axes + 1) * sizeof *sets);
    char **mine = calloc(n_axes + 1, sizeof *mine);
    bool ok = sw && sets && mine;
    if (ok) {
        sw->n_points = n_points;
        sw->runs = mc_opts->runs;
        sw->scenario = strdup(scenario_path);
        sw->axes = calloc(n_axes + 1, sizeof *sw->axes);
        sw->start_unix = calloc(n_points, sizeof *sw->start_unix);
        ok = sw->scenario && sw->axes && sw->start_unix;
    }
    for (size_t a = 0; ok && a < n_axes; a++) {
        ok = axis_copy(&sw->axes[a], &axes[a], d) == DCSIM_OK;
        sw->n_axes += ok;
    }
    if (!ok) {
        st = dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n_base_sets; k++)
        sets[k] = base_sets[k];
    for (size_t p = 0; p < n_points && !st; p++) {
        for (size_t a = 0; a < n_axes && !st; a++) {
            const char *path = sw->axes[a].path;
            const char *value = sw->axes[a].values[value_index(sw, p, a)];
            size_t len = strlen(path) + strlen(value) + 2;
            free(mine[a]);
            if (!(mine[a] = malloc(len)))
                st = dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
            else
                snprintf(mine[a], len, "%s=%s", path, value);
            sets[n_base_sets + a] = mine[a];
        }
        if (!st)
            st = run_point(sw, p, sets, n_base_sets + n_axes, has_seed, seed, mc_opts, d);
        if (st) {
            char label[512];
            point_label(sw, p, label, sizeof label);
            prefix_point(d, label);
        }
    }
done:
    for (size_t a = 0; mine && a < n_axes; a++)
        free(mine[a]);
    free(mine), free(sets);
    if (st) {
        dcsim_sweep_free(sw);
        return st;
    }
    *out = sw;
    return DCSIM_OK;
}

/* ---- read-outs ---- */

size_t dcsim_sweep_points(const dcsim_sweep *sw)
{
    return sw->n_points;
}

void dcsim_sweep_grade(const dcsim_sweep *sw, size_t point, uint32_t milestone,
                       dcsim_mc_grade *out)
{
    DCSIM_ASSERT(point < sw->n_points && milestone < sw->n_ms);
    *out = sw->grades[point * sw->n_ms + milestone];
}

uint32_t dcsim_sweep_milestones(const dcsim_sweep *sw)
{
    return sw->n_ms;
}

const char *dcsim_sweep_milestone_name(const dcsim_sweep *sw, uint32_t milestone)
{
    DCSIM_ASSERT(milestone < sw->n_ms);
    return sw->ms_names[milestone];
}

const char *dcsim_sweep_value(const dcsim_sweep *sw, size_t point, size_t axis)
{
    DCSIM_ASSERT(point < sw->n_points && axis < sw->n_axes);
    return sw->axes[axis].values[value_index(sw, point, axis)];
}

void dcsim_sweep_free(dcsim_sweep *sw)
{
    if (!sw)
        return;
    for (size_t a = 0; sw->axes && a < sw->n_axes; a++)
        dcsim_sweep_axis_free(&sw->axes[a]);
    for (uint32_t i = 0; sw->ms_names && i < sw->n_ms; i++)
        free(sw->ms_names[i]);
    free(sw->axes), free(sw->ms_names), free(sw->grades), free(sw->start_unix);
    free(sw->scenario);
    free(sw->name);
    free(sw);
}

/* ---- writing ---- */

static void date_or_empty(dcsim_csvw *w, int64_t start_unix, double t)
{
    char buf[32];
    if (!isfinite(t) || t < 0)
        dcsim_csvw_empty(w);
    else
        dcsim_csvw_str(w, dcsim_format_date(start_unix + (int64_t)llround(t), buf, sizeof buf));
}

static dcsim_status write_grid(const dcsim_sweep *sw, const char *dir, dcsim_diag *d)
{
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "sweep.csv", d);
    if (!w)
        return d ? d->status : DCSIM_EIO;
    /* The slip is read at the scenario's grading confidence (P80 by default), as the grade. */
    static const char *const per_ms[] = {"_p50", "_p80", "_slip_at_confidence_days",
                                         "_grade", "_p_on_time", "_p_never"};
    dcsim_csvw_str(w, "point");
    for (size_t a = 0; a < sw->n_axes; a++)
        dcsim_csvw_str(w, sw->axes[a].path);
    for (uint32_t i = 0; i < sw->n_ms; i++)
        for (size_t k = 0; k < sizeof per_ms / sizeof *per_ms; k++) {
            char col[256];
            snprintf(col, sizeof col, "%s%s", sw->ms_names[i], per_ms[k]);
            dcsim_csvw_str(w, col);
        }
    dcsim_csvw_endrow(w);
    for (size_t p = 0; p < sw->n_points; p++) {
        dcsim_csvw_i64(w, (int64_t)p);
        for (size_t a = 0; a < sw->n_axes; a++)
            dcsim_csvw_str(w, sw->axes[a].values[value_index(sw, p, a)]);
        for (uint32_t i = 0; i < sw->n_ms; i++) {
            const dcsim_mc_grade *g = &sw->grades[p * sw->n_ms + i];
            date_or_empty(w, sw->start_unix[p], g->p50_s);
            date_or_empty(w, sw->start_unix[p], g->p80_s);
            if (isfinite(g->slip_at_conf_days))
                dcsim_csvw_f64(w, g->slip_at_conf_days, 3);
            else
                dcsim_csvw_empty(w);
            char grade[2] = {g->grade, '\0'};
            dcsim_csvw_str(w, grade);
            dcsim_csvw_f64(w, g->p_on_time, 4);
            dcsim_csvw_f64(w, g->p_never, 4);
        }
        dcsim_csvw_endrow(w);
    }
    return dcsim_csvw_close(w, d);
}

static dcsim_status write_meta(const dcsim_sweep *sw, const char *dir, const char *cmd,
                               dcsim_diag *d)
{
    dcsim_csvw *w = dcsim_csvw_open_in(dir, "meta.csv", d);
    if (!w)
        return d ? d->status : DCSIM_EIO;
    char buf[64];
    dcsim_csvw_kv(w, "key", "value");
    dcsim_csvw_kv(w, "dcsim_version", "%s", DCSIM_VERSION);
    dcsim_csvw_kv(w, "kind", "sweep");
    dcsim_csvw_kv(w, "scenario", "%s", sw->scenario);
    dcsim_csvw_kv(w, "scenario_name", "%s", sw->name ? sw->name : "");
    dcsim_csvw_kv(w, "scenario_fnv1a64", "%016llx", (unsigned long long)sw->file_hash);
    dcsim_csvw_kv(w, "seed", "%llu", (unsigned long long)sw->seed);
    dcsim_csvw_kv(w, "runs", "%llu", (unsigned long long)sw->runs);
    dcsim_csvw_kv(w, "points", "%zu", sw->n_points);
    dcsim_csvw_kv(w, "axes", "%zu", sw->n_axes);
    for (size_t a = 0; a < sw->n_axes; a++) {
        /* The axis as --vary took it: the values rejoined with ','. */
        const dcsim_sweep_axis *x = &sw->axes[a];
        size_t len = strlen(x->path) + 2;
        for (size_t k = 0; k < x->n; k++)
            len += strlen(x->values[k]) + 1;
        char *spec = malloc(len);
        if (!spec) {
            dcsim_csvw_close(w, NULL);
            return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        size_t off = (size_t)snprintf(spec, len, "%s=", x->path);
        for (size_t k = 0; k < x->n; k++)
            off += (size_t)snprintf(spec + off, len - off, "%s%s", k ? "," : "", x->values[k]);
        snprintf(buf, sizeof buf, "axis_%zu", a + 1);
        dcsim_csvw_kv(w, buf, "%s", spec);
        free(spec);
    }
    dcsim_csvw_kv(w, "command_line", "%s", cmd ? cmd : "");
    return dcsim_csvw_close(w, d);
}

dcsim_status dcsim_sweep_write(const dcsim_sweep *sw, const char *dir, const char *command_line,
                               dcsim_diag *d)
{
    dcsim_status st = write_grid(sw, dir, d);
    if (!st)
        st = write_meta(sw, dir, command_line, d);
    return st;
}
