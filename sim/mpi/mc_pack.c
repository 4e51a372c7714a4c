/* Packing a share of a Monte Carlo's replications for another process, and unpacking it
 * there. The finishing process ends with the very slots and integer sums a threaded run
 * fills, so its reductions, and so its files, are the same bytes. */
#include "mpi/mc_pack.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mc_priv.h"

static const char magic[8] = {'d', 'c', 's', 'i', 'm', 'M', 'C', '2'};
#define BYTE_ORDER_MARK 0x01020304u

/* A writer that first only counts (p NULL), then writes into a buffer of that size. */
typedef struct wbuf {
    unsigned char *p;
    size_t len;
} wbuf;

static void put(wbuf *w, const void *x, size_t n)
{
    if (w->p && n)
        memcpy(w->p + w->len, x, n);
    w->len += n;
}

static void put_u8(wbuf *w, uint8_t v) { put(w, &v, sizeof v); }
static void put_u32(wbuf *w, uint32_t v) { put(w, &v, sizeof v); }
static void put_u64(wbuf *w, uint64_t v) { put(w, &v, sizeof v); }
static void put_i64(wbuf *w, int64_t v) { put(w, &v, sizeof v); }
static void put_f64(wbuf *w, double v) { put(w, &v, sizeof v); }

/* A reader that turns any overrun into one flag, checked once per record. */
typedef struct rbuf {
    const unsigned char *p;
    size_t len, at;
    bool bad;
} rbuf;

static void get(rbuf *r, void *x, size_t n)
{
    if (r->bad || n > r->len - r->at) {
        r->bad = true;
        memset(x, 0, n);
        return;
    }
    memcpy(x, r->p + r->at, n);
    r->at += n;
}

static uint8_t get_u8(rbuf *r) { uint8_t v; get(r, &v, sizeof v); return v; }
static uint32_t get_u32(rbuf *r) { uint32_t v; get(r, &v, sizeof v); return v; }
static uint64_t get_u64(rbuf *r) { uint64_t v; get(r, &v, sizeof v); return v; }
static int64_t get_i64(rbuf *r) { int64_t v; get(r, &v, sizeof v); return v; }
static double get_f64(rbuf *r) { double v; get(r, &v, sizeof v); return v; }

static size_t cells_of(const dcsim_mc *mc)
{
    return (size_t)mc->rows * N_SERIES;
}

/* The header names everything both sides must agree on, so that a process that loaded
 * another file or seed, or runs on another architecture, is refused rather than mixed in. */
static void put_header(wbuf *w, const dcsim_mc *mc, uint64_t first, uint64_t count)
{
    put(w, magic, sizeof magic);
    put_u32(w, BYTE_ORDER_MARK);
    put_u32(w, (uint32_t)(sizeof(double) << 8 | sizeof(float)));
    put_u64(w, mc->sc->file_hash);
    put_u64(w, mc->sc->seed);
    put_u64(w, mc->o.runs);
    put_u32(w, mc->sc->n_milestones);
    put_u32(w, mc->sc->n_jobs);
    put_u32(w, mc->rows);
    put_u32(w, mc->plan_net ? mc->driver_runs : 0);
    put_u64(w, mc->cost_runs);
    put_u8(w, mc->exact);
    put_u64(w, first);
    put_u64(w, count);
}

static void put_rep(wbuf *w, const dcsim_mc *mc, uint64_t rep)
{
    const dcsim_scenario *sc = mc->sc;
    const rep_result *r = &mc->rep[rep];
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        put_i64(w, r->ms_time[i]);
        put_u8(w, r->ms_power[i]);
        const char *c = r->ms_chain[i];
        put_u8(w, c != NULL);
        uint32_t n = c ? (uint32_t)strlen(c) : 0;
        put_u32(w, n);
        put(w, c, n);
    }
    put_f64(w, r->tot.stranded_rack_days);
    put_f64(w, r->tot.facility_mwh);
    put_f64(w, r->tot.gpu_hours_busy);
    put_f64(w, r->tot.train_pflop);
    put_f64(w, r->tot.goodput);
    put_f64(w, r->tot.capex_musd);
    put_f64(w, r->tot.stranded_cost_musd);
    put_f64(w, r->tot.energy_cost_musd);
    put_f64(w, r->tot.value_delivered_musd);
    put_f64(w, r->tot.slip_cost_musd);
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        put_f64(w, r->ms_slip_usd[i]);
        put_f64(w, r->ms_net[i]);
    }
    /* The planned twin's net series of the replications the drivers re-run. */
    if (mc->plan_net && rep < mc->driver_runs)
        put(w, &mc->plan_net[rep * mc->rows], mc->rows * sizeof *mc->plan_net);
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        put_i64(w, r->job_finish[j]);
    for (uint32_t i = 0; i < sc->n_risks; i++) {
        put_u8(w, r->risk_fired[i]);
        put_i64(w, r->risk_delay_s[i]);
    }
    if (mc->exact)
        for (size_t c = 0; c < cells_of(mc); c++)
            put(w, &mc->vals[c * mc->o.runs + rep], sizeof(float));
}

/* Histogram counts travel sparse (most bins of most cells are empty), sums whole. */
static void put_hist(wbuf *w, const dcsim_mc *mc)
{
    size_t bins = cells_of(mc) * HIST_BINS;
    uint64_t nonzero = 0;
    for (size_t b = 0; b < bins; b++)
        nonzero += mc->hist[b] != 0;
    put_u64(w, nonzero);
    for (size_t b = 0; b < bins; b++)
        if (mc->hist[b]) {
            put_u64(w, b);
            put_u32(w, mc->hist[b]);
        }
    for (size_t c = 0; c < cells_of(mc); c++)
        put_i64(w, mc->sums[c]);
}

static void put_all(wbuf *w, const dcsim_mc *mc, uint64_t first, uint64_t count)
{
    put_header(w, mc, first, count);
    for (uint64_t rep = first; rep < first + count; rep++)
        put_rep(w, mc, rep);
    if (!mc->exact)
        put_hist(w, mc);
}

dcsim_status dcsim_mc_pack(const dcsim_mc *mc, uint64_t first, uint64_t count, void **buf,
                           size_t *len, dcsim_diag *d)
{
    *buf = NULL;
    *len = 0;
    if (first > mc->o.runs || count > mc->o.runs - first)
        return dcsim_diag_set(d, DCSIM_EINPUT, NULL, 0, 0,
                              "%llu replications from %llu go beyond the %llu runs",
                              (unsigned long long)count, (unsigned long long)first,
                              (unsigned long long)mc->o.runs);
    for (uint64_t rep = first; rep < first + count; rep++)
        if (!mc->rep[rep].ms_time)
            return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                                  "replication %llu has no results to pack",
                                  (unsigned long long)rep);
    wbuf w = {0};
    put_all(&w, mc, first, count);      /* counting pass */
    size_t n = w.len;
    w = (wbuf){.p = malloc(n)};
    if (!w.p)
        return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0,
                              "out of memory packing %zu bytes of results", n);
    put_all(&w, mc, first, count);
    *buf = w.p;
    *len = w.len;
    return DCSIM_OK;
}

static dcsim_status corrupt(dcsim_diag *d, const char *what)
{
    return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                          "results from another process are not usable here: %s", what);
}

static dcsim_status get_header(rbuf *r, const dcsim_mc *mc, uint64_t *first, uint64_t *count,
                               dcsim_diag *d)
{
    char m[sizeof magic];
    get(r, m, sizeof m);
    if (r->bad || memcmp(m, magic, sizeof magic) != 0)
        return corrupt(d, "not a dcsim Monte Carlo share (or another version's)");
    uint32_t bom = get_u32(r), sizes = get_u32(r);
    if (bom != BYTE_ORDER_MARK || sizes != (uint32_t)(sizeof(double) << 8 | sizeof(float)))
        return corrupt(d, "packed on a machine of another architecture");
    uint64_t hash = get_u64(r), seed = get_u64(r), runs = get_u64(r);
    uint32_t nm = get_u32(r), nj = get_u32(r), rows = get_u32(r), plans = get_u32(r);
    uint64_t priced = get_u64(r);
    bool exact = get_u8(r) != 0;
    *first = get_u64(r);
    *count = get_u64(r);
    if (r->bad)
        return corrupt(d, "truncated header");
    if (hash != mc->sc->file_hash)
        return corrupt(d, "its scenario file has other bytes (a different copy of the file?)");
    if (seed != mc->sc->seed || runs != mc->o.runs || nm != mc->sc->n_milestones ||
        nj != mc->sc->n_jobs || rows != mc->rows || exact != mc->exact ||
        plans != (mc->plan_net ? mc->driver_runs : 0) || priced != mc->cost_runs)
        return corrupt(d, "its seed, runs, overrides or band mode differ");
    if (*first > runs || *count > runs - *first)
        return corrupt(d, "replications out of range");
    return DCSIM_OK;
}

static dcsim_status get_rep(rbuf *r, dcsim_mc *mc, uint64_t rep, dcsim_diag *d)
{
    const dcsim_scenario *sc = mc->sc;
    rep_result *rr = &mc->rep[rep];
    if (rr->ms_time)
        return dcsim_diag_set(d, DCSIM_ERUNTIME, NULL, 0, 0,
                              "replication %llu arrived twice", (unsigned long long)rep);
    /* The slots a threaded run would have written (replicate() in mc.c). */
    mc_rep_slots(mc, rep);
    if (rep + 1 > mc->span)
        mc->span = rep + 1;
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        rr->ms_time[i] = get_i64(r);
        rr->ms_power[i] = get_u8(r) != 0;
        bool has_chain = get_u8(r) != 0;
        uint32_t n = get_u32(r);
        if (r->bad || n > r->len - r->at)
            return corrupt(d, "truncated cause chain");
        if (has_chain) {
            rr->ms_chain[i] = malloc((size_t)n + 1);
            if (!rr->ms_chain[i])
                return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0, "out of memory");
            get(r, rr->ms_chain[i], n);
            rr->ms_chain[i][n] = '\0';
        } else {
            r->at += n;
        }
    }
    rr->tot.stranded_rack_days = get_f64(r);
    rr->tot.facility_mwh = get_f64(r);
    rr->tot.gpu_hours_busy = get_f64(r);
    rr->tot.train_pflop = get_f64(r);
    rr->tot.goodput = get_f64(r);
    rr->tot.capex_musd = get_f64(r);
    rr->tot.stranded_cost_musd = get_f64(r);
    rr->tot.energy_cost_musd = get_f64(r);
    rr->tot.value_delivered_musd = get_f64(r);
    rr->tot.slip_cost_musd = get_f64(r);
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        rr->ms_slip_usd[i] = get_f64(r);
        rr->ms_net[i] = get_f64(r);
    }
    if (mc->plan_net && rep < mc->driver_runs)
        get(r, &mc->plan_net[rep * mc->rows], mc->rows * sizeof *mc->plan_net);
    for (uint32_t j = 0; j < sc->n_jobs; j++)
        rr->job_finish[j] = get_i64(r);
    for (uint32_t i = 0; i < sc->n_risks; i++) {
        rr->risk_fired[i] = get_u8(r);
        rr->risk_delay_s[i] = get_i64(r);
    }
    if (mc->exact)
        for (size_t c = 0; c < cells_of(mc); c++)
            get(r, &mc->vals[c * mc->o.runs + rep], sizeof(float));
    if (r->bad)
        return corrupt(d, "truncated replication");
    mc->filled++;
    return DCSIM_OK;
}

/* Counts and sums are integers: adding another process's in any order gives the totals a
 * threaded run reaches. */
static dcsim_status add_hist(rbuf *r, dcsim_mc *mc, dcsim_diag *d)
{
    size_t bins = cells_of(mc) * HIST_BINS;
    uint64_t nonzero = get_u64(r);
    if (r->bad || nonzero > bins)
        return corrupt(d, "bad histogram");
    for (uint64_t k = 0; k < nonzero; k++) {
        uint64_t b = get_u64(r);
        uint32_t c = get_u32(r);
        if (r->bad || b >= bins)
            return corrupt(d, "bad histogram bin");
        mc->hist[b] += c;
    }
    for (size_t c = 0; c < cells_of(mc); c++)
        mc->sums[c] += get_i64(r);
    return r->bad ? corrupt(d, "truncated histogram sums") : DCSIM_OK;
}

dcsim_status dcsim_mc_unpack(dcsim_mc *mc, const void *buf, size_t len, dcsim_diag *d)
{
    rbuf r = {.p = buf, .len = len};
    uint64_t first = 0, count = 0;
    dcsim_status st = get_header(&r, mc, &first, &count, d);
    for (uint64_t rep = first; !st && rep < first + count; rep++)
        st = get_rep(&r, mc, rep, d);
    if (!st && !mc->exact)
        st = add_hist(&r, mc, d);
    if (!st && r.at != r.len)
        st = corrupt(d, "trailing bytes");
    return st;
}
