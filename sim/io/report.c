/* The HTML report (include/dcsim/report.h). It reads only the CSV contracts of the output
 * directories and the SVG charts beside them, so a report can be rebuilt from a directory
 * alone. Every text from a file is escaped; the page has no script and fetches nothing, and
 * its print style keeps tables and charts whole across pages. */
#include "dcsim/report.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcsim/csv.h"
#include "dcsim/version.h"

#define CSV_MAX ((size_t)1 << 30)

/* A chart's caption: what it shows and how to read it. */
typedef struct chart_text {
    const char *script;
    const char *title;
    const char *caption;
} chart_text;

static const chart_text charts[] = {
    {"fan", "Energized IT capacity, 80% band",
     "The shaded band holds 80% of the simulated futures (P10 to P90), the line is the median "
     "(P50); markers are the planned milestones."},
    {"scurve", "Chance of each milestone by date",
     "Read across from a probability to the date by which the milestone is met that often; "
     "the planned date and the P80 date are marked."},
    {"slip", "Slip per milestone", "How many futures slip by how much (days after plan)."},
    {"tornado", "Drivers of slip",
     "Change in P80 slip when one driver always takes its planned value (negative: fixing it "
     "helps), ranked per milestone."},
    {"slipcost", "Cost of slip per milestone",
     "Each point is one future's cost of slip when the milestone is reached (its net cost less "
     "the planned twin's, MUSD); the box spans P10 to P90, the bar is the median."},
    {"tornado-usd", "Drivers of slip, in dollars",
     "Change in the P80 cost of slip (MUSD) when one driver takes its planned value (negative: "
     "fixing it saves money), ranked per milestone."},
    {"sweep", "P80 slip across the what-if grid",
     "Each point is a Monte Carlo of the scenario with the varied values below it."},
    {"power", "Power supply and demand (one run)",
     "Available supply against facility demand and IT load, with planned and simulated "
     "milestones."},
    {"supply", "Supply by source (one run)", "Each source's contribution, stacked, against "
                                             "facility demand."},
    {"pipeline", "Rack pipeline (one run)",
     "Racks delivered, installed, energized, and stranded (delivered but dark for lack of "
     "power)."},
    {"gpus", "GPUs (one run)", "GPUs up, in repair, idle and stuck."},
    {"training", "Training (one run)", "Progress of the training job and its goodput."},
    {"inference", "Inference (one run)", "Inference GPUs served against demand."},
    {"gantt", "Procurement and construction (one run)",
     "Stages, equipment and buildings as they ran, with the planned milestones."},
    {"costs", "Capital, value and running costs (one run)",
     "Capital deployed and value of GPU-hours delivered (left axis) against the stranded and "
     "idle carrying cost and energy, stacked (right axis), all cumulative in MUSD."},
};

typedef struct page {
    FILE *f;
    bool failed;
} page;

static void out(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(page *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(p->f, fmt, ap) < 0)
        p->failed = true;
    va_end(ap);
}

static void esc(page *p, const char *s)
{
    for (; s && *s; s++) {
        int rc;
        switch (*s) {
        case '&':
            rc = fputs("&amp;", p->f);
            break;
        case '<':
            rc = fputs("&lt;", p->f);
            break;
        case '>':
            rc = fputs("&gt;", p->f);
            break;
        case '"':
            rc = fputs("&quot;", p->f);
            break;
        default:
            rc = fputc(*s, p->f);
        }
        if (rc == EOF)
            p->failed = true;
    }
}

/* <td>text</td> (or th, with its attributes), the text escaped. */
static void cell(page *p, const char *open, const char *close, const char *text)
{
    out(p, "%s", open);
    esc(p, text);
    out(p, "%s", close);
}

static dcsim_csv_table *read_in(const char *dir, const char *name, dcsim_diag *d)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
        return NULL;
    }
    return dcsim_csv_read(path, CSV_MAX, d);
}

/* The value of `key` in a key,value table (meta.csv) or of `metric` in summary.csv. */
static const char *lookup(const dcsim_csv_table *t, const char *key, size_t col)
{
    if (!t || t->n_cols <= col)
        return "";
    for (size_t r = 1; r < t->n_rows; r++)
        if (strcmp(t->rows[r][0], key) == 0)
            return t->rows[r][col];
    return "";
}

static const char *field(const dcsim_csv_table *t, size_t r, const char *col)
{
    long c = dcsim_csv_column(t, col);
    return c < 0 ? "" : t->rows[r][c];
}

/* "2026-08-24T22:13:57Z" -> "2026-08-24": days are what a reader plans in. */
static void date_cell(page *p, const char *s)
{
    if (!s[0]) {
        out(p, "<td>never</td>");
        return;
    }
    out(p, "<td>%.10s</td>", s);
}

static void pct_cell(page *p, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        out(p, "<td></td>");
    else
        out(p, "<td class=\"num\">%.0f%%</td>", 100 * v);
}

static void days_cell(page *p, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        out(p, "<td class=\"num\">never</td>");
    else
        out(p, "<td class=\"num\">%+.1f d</td>", v);
}

/* Days, or an empty cell where the CSV has none (not measured, never fired). */
static void days_or_blank(page *p, const char *s)
{
    if (s[0])
        days_cell(p, s);
    else
        out(p, "<td></td>");
}

/* Inline dir/SCRIPT.svg as a figure; the XML prolog goes, the <svg> element stays. */
static dcsim_status figure(page *p, const char *dir, const char *script, dcsim_diag *d)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s.svg", dir, script) >= sizeof path)
        return dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot read the chart: %s",
                              strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + k + 1 > cap) {
            size_t nc = cap ? 2 * cap : sizeof chunk * 4;
            while (nc < len + k + 1)
                nc *= 2;
            char *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                fclose(f);
                return dcsim_diag_set(d, DCSIM_ENOMEM, path, 0, 0, "out of memory");
            }
            buf = nb;
            cap = nc;
        }
        memcpy(buf + len, chunk, k);
        len += k;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    const char *svg = buf ? (buf[len] = '\0', strstr(buf, "<svg")) : NULL;
    if (bad || !svg) {
        free(buf);
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "not an SVG chart");
    }
    const chart_text *ct = NULL;
    for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
        if (strcmp(charts[i].script, script) == 0)
            ct = &charts[i];
    out(p, "<figure id=\"chart-%s\" class=\"chart\">\n", script);
    if (ct)
        out(p, "<h3>%s</h3>\n", ct->title);
    if (fputs(svg, p->f) == EOF)
        p->failed = true;
    if (ct)
        out(p, "<figcaption>%s</figcaption>\n", ct->caption);
    out(p, "</figure>\n");
    free(buf);
    return DCSIM_OK;
}

/* Draw dir's charts unless every SVG is there already. */
static dcsim_status ensure_charts(const char *dir, dcsim_dir_kind kind, const dcsim_plot_opts *po,
                                  dcsim_diag *d)
{
    size_t n;
    const char *const *names = dcsim_plot_charts(kind, &n);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.svg", dir, names[i]);
        if (stat(path, &st) != 0) {
            dcsim_status s = dcsim_plot_chart(dir, names[i], po, d);
            if (s)
                return s;
        }
    }
    return DCSIM_OK;
}

static dcsim_status charts_of(page *p, const char *dir, dcsim_dir_kind kind, dcsim_diag *d)
{
    size_t n;
    const char *const *names = dcsim_plot_charts(kind, &n);
    for (size_t i = 0; i < n; i++) {
        dcsim_status st = figure(p, dir, names[i], d);
        if (st)
            return st;
    }
    return DCSIM_OK;
}

/* The risk register as simulated (risks.csv), when the scenario has one: a Monte Carlo of
 * an older dcsim, or of a scenario without risks, has no such file or no rows. */
static dcsim_status risks_table(page *p, const char *dir, dcsim_diag *d)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/risks.csv", dir) >= sizeof path ||
        access(path, R_OK) != 0)
        return DCSIM_OK;
    dcsim_csv_table *rk = read_in(dir, "risks.csv", d);
    if (!rk)
        return d->status;
    if (rk->n_rows > 1) {
        out(p, "<h2>The risk register</h2>\n<table id=\"risks-table\">\n<thead><tr>"
               "<th>risk</th><th>milestone</th><th>probability</th><th>fired</th>"
               "<th>mean delay</th><th>criticality</th><th>slip contribution</th>"
               "<th>mitigation</th></tr></thead>\n<tbody>\n");
        for (size_t r = 1; r < rk->n_rows; r++) {
            cell(p, "<tr class=\"risk\"><td>", "</td>", field(rk, r, "risk"));
            cell(p, "<td>", "</td>", field(rk, r, "milestone"));
            pct_cell(p, field(rk, r, "probability"));
            pct_cell(p, field(rk, r, "fired_share"));
            days_or_blank(p, field(rk, r, "mean_delay_days"));
            pct_cell(p, field(rk, r, "criticality"));
            days_or_blank(p, field(rk, r, "slip_contribution_days"));
            const char *cost = field(rk, r, "mitigation_cost_usd");
            if (!cost[0])
                out(p, "<td>none</td>");
            else
                out(p, "<td class=\"num\">$%.0fM%s</td>", strtod(cost, NULL) / 1e6,
                    strcmp(field(rk, r, "mitigated"), "true") == 0 ? " (applied)" : "");
            out(p, "</tr>\n");
        }
        out(p, "</tbody></table>\n");
        out(p, "<p class=\"note\">Probability: that the risk fires in a future. Fired: the "
               "share of the simulated futures it fired in. Criticality: the share in which it "
               "hit work on the milestone's critical path. Slip contribution: how the P80 slip "
               "changes with the risk switched off, every other draw the same. dcsim mc "
               "--mitigated runs with every mitigation applied.</p>\n");
    }
    dcsim_csv_free(rk);
    return DCSIM_OK;
}

static dcsim_status mc_section(page *p, const char *dir, const dcsim_csv_table *meta,
                               dcsim_diag *d)
{
    dcsim_csv_table *ms = read_in(dir, "milestones.csv", d);
    if (!ms)
        return d->status;
    dcsim_csv_table *dr = read_in(dir, "drivers.csv", d);
    if (!dr) {
        dcsim_csv_free(ms);
        return d->status;
    }
    const char *runs = lookup(meta, "runs", 1);
    out(p, "<section id=\"monte-carlo\">\n<h2>Schedule grades: %s simulated futures</h2>\n",
        runs);
    if (strcmp(lookup(meta, "partial", 1), "true") == 0)
        out(p, "<p class=\"warn\">Partial: the Monte Carlo was interrupted after %s of %s "
               "runs.</p>\n",
            runs, lookup(meta, "runs_asked", 1));
    out(p, "<table id=\"grade-table\">\n<thead><tr><th>milestone</th><th>planned</th>"
           "<th>P50</th><th>P80</th><th>P(on time)</th><th>slip at confidence</th>"
           "<th>grade</th><th>P(never)</th><th>P(power-limited)</th></tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < ms->n_rows; r++) {
        const char *g = field(ms, r, "grade");
        cell(p, "<tr class=\"milestone\"><th scope=\"row\">", "</th>",
             field(ms, r, "milestone"));
        date_cell(p, field(ms, r, "planned"));
        date_cell(p, field(ms, r, "p50"));
        date_cell(p, field(ms, r, "p80"));
        pct_cell(p, field(ms, r, "p_on_time"));
        days_cell(p, field(ms, r, "slip_at_confidence_days"));
        out(p, "<td class=\"grade grade-%c\">", g[0] ? g[0] : 'X');
        cell(p, "", "</td>", g);
        pct_cell(p, field(ms, r, "p_never"));
        pct_cell(p, field(ms, r, "p_power_limited"));
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table>\n");
    out(p, "<p class=\"note\">In 80%% of the simulated futures (the scenario's confidence: "
           "%s) the milestone is met by its P80 date. The grade is read at the slip at that "
           "confidence (default scale A &le; 0 d, B &le; 30 d, C &le; 90 d, D &le; 180 d, "
           "else F; F too when the milestone is never reached in more than 1 &minus; "
           "confidence of the futures). Power-limited: the share of futures in which power, "
           "not buildings or racks, was the last thing the milestone waited for.</p>\n",
        ms->n_rows > 1 ? field(ms, 1, "confidence") : "");
    out(p, "<h2>What drives the slip</h2>\n<table id=\"drivers-table\">\n<thead><tr>"
           "<th>milestone</th><th>rank</th><th>driver</th><th>criticality</th>"
           "<th>slip contribution</th></tr></thead>\n<tbody>\n");
    /* The measured drivers (those with a contribution), at most five per milestone. */
    const char *last = "";
    int shown = 0;
    for (size_t r = 1; r < dr->n_rows; r++) {
        const char *m = field(dr, r, "milestone");
        if (strcmp(m, last) != 0)
            shown = 0, last = m;
        if (!field(dr, r, "slip_contribution_days")[0] || shown >= 5)
            continue;
        shown++;
        cell(p, "<tr class=\"driver\"><td>", "</td>", m);
        cell(p, "<td class=\"num\">", "</td>", field(dr, r, "rank"));
        cell(p, "<td>", "</td>", field(dr, r, "driver"));
        pct_cell(p, field(dr, r, "criticality"));
        days_cell(p, field(dr, r, "slip_contribution_days"));
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table>\n");
    out(p, "<p class=\"note\">Criticality: the share of futures in which the driver was on "
           "the milestone's critical path. Slip contribution: how the P80 slip changes when "
           "that driver always takes its planned (mean) value and every other draw stays the "
           "same (measured on the first %s futures); the most negative is the first thing to "
           "de-risk.</p>\n",
        lookup(meta, "driver_runs", 1));
    dcsim_csv_free(ms);
    dcsim_csv_free(dr);
    dcsim_status st = risks_table(p, dir, d);
    if (!st)
        st = charts_of(p, dir, DCSIM_DIR_MC, d);
    out(p, "</section>\n");
    return st;
}

static dcsim_status run_section(page *p, const char *dir, const dcsim_csv_table *meta,
                                dcsim_diag *d)
{
    dcsim_csv_table *ms = read_in(dir, "milestones.csv", d);
    if (!ms)
        return d->status;
    out(p, "<section id=\"run\">\n<h2>One simulated future (seed ");
    esc(p, lookup(meta, "seed", 1));
    out(p, ")</h2>\n<table id=\"run-milestones\">\n<thead><tr><th>milestone</th><th>planned"
           "</th><th>simulated</th><th>slip</th><th>last prerequisite</th></tr></thead>\n"
           "<tbody>\n");
    for (size_t r = 1; r < ms->n_rows; r++) {
        cell(p, "<tr><th scope=\"row\">", "</th>", field(ms, r, "milestone"));
        date_cell(p, field(ms, r, "planned"));
        date_cell(p, field(ms, r, "simulated"));
        days_cell(p, field(ms, r, "slip_days"));
        cell(p, "<td>", "</td></tr>\n", field(ms, r, "cause"));
    }
    out(p, "</tbody></table>\n");
    dcsim_csv_free(ms);
    dcsim_status st = charts_of(p, dir, DCSIM_DIR_RUN, d);
    out(p, "</section>\n");
    return st;
}

/* The sweep table shows every column but the P50s and the probabilities: the grid, then
 * each milestone's P80, slip at the confidence and grade. */
static bool sweep_shown(const char *h)
{
    size_t n = strlen(h);
    return !(n > 4 && strcmp(h + n - 4, "_p50") == 0) && !strstr(h, "_p_on_time") &&
           !strstr(h, "_p_never");
}

static dcsim_status sweep_section(page *p, const char *dir, dcsim_diag *d)
{
    dcsim_csv_table *sw = read_in(dir, "sweep.csv", d);
    if (!sw)
        return d->status;
    out(p, "<section id=\"sweep\">\n<h2>What-if grid</h2>\n<table id=\"sweep-table\">\n"
           "<thead><tr>");
    for (size_t c = 0; c < sw->n_cols; c++)
        if (sweep_shown(sw->rows[0][c]))
            cell(p, "<th>", "</th>", sw->rows[0][c]);
    out(p, "</tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < sw->n_rows; r++) {
        out(p, "<tr>");
        for (size_t c = 0; c < sw->n_cols; c++) {
            const char *h = sw->rows[0][c];
            size_t n = strlen(h);
            if (!sweep_shown(h))
                continue;
            if (n > 4 && strcmp(h + n - 4, "_p80") == 0)
                date_cell(p, sw->rows[r][c]);
            else
                cell(p, "<td>", "</td>", sw->rows[r][c]);
        }
        out(p, "</tr>\n");
    }
    out(p, "</tbody></table>\n");
    dcsim_csv_free(sw);
    dcsim_status st = charts_of(p, dir, DCSIM_DIR_SWEEP, d);
    out(p, "</section>\n");
    return st;
}

static void kv_row(page *p, const char *k, const char *v)
{
    if (!v || !v[0])
        return;
    cell(p, "<tr><th scope=\"row\">", "</th>", k);
    cell(p, "<td>", "</td></tr>\n", v);
}

static void assumptions(page *p, const dcsim_csv_table *meta, const dcsim_csv_table *mc_meta,
                        const dcsim_csv_table *summary)
{
    out(p, "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<table id=\"assumptions-table\">"
           "\n<tbody>\n");
    kv_row(p, "scenario file", lookup(meta, "scenario", 1));
    kv_row(p, "scenario hash (FNV-1a 64)", lookup(meta, "scenario_fnv1a64", 1));
    kv_row(p, "seed", lookup(meta, "seed", 1));
    kv_row(p, "start", lookup(meta, "start", 1));
    if (mc_meta) {
        kv_row(p, "Monte Carlo runs", lookup(mc_meta, "runs", 1));
        kv_row(p, "runs re-run per driver", lookup(mc_meta, "driver_runs", 1));
        kv_row(p, "bands", lookup(mc_meta, "bands", 1));
        kv_row(p, "Monte Carlo command", lookup(mc_meta, "command_line", 1));
    }
    static const char *const keys[][2] = {
        {"horizon", "horizon (days)"},
        {"supply_planned_mw", "supply planned (MW)"},
        {"racks_planned", "racks planned"},
        {"gpus_planned", "GPUs planned"},
        {"it_energized_final_mw", "IT energized at the horizon (MW)"},
        {"stranded_rack_days", "stranded rack-days"},
        {"generation_availability", "generation availability"},
        {"gpu_availability", "GPU availability"},
        {"train_goodput", "training goodput"},
    };
    for (size_t i = 0; summary && i < sizeof keys / sizeof *keys; i++)
        kv_row(p, keys[i][1], lookup(summary, keys[i][0], 1));
    kv_row(p, "command", lookup(meta, "command_line", 1));
    kv_row(p, "dcsim version", lookup(meta, "dcsim_version", 1));
    out(p, "</tbody></table>\n</section>\n");
}

static const char style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:11pt;color:#222;"
    "max-width:1100px;margin:24px auto;padding:0 16px;line-height:1.4}"
    "h1{font-size:20pt;margin:0}h2{font-size:14pt;margin:28px 0 8px;border-bottom:1px solid "
    "#ccc}h3{font-size:11.5pt;margin:16px 0 4px}"
    ".sub{color:#555;margin:4px 0 16px}"
    "table{border-collapse:collapse;margin:8px 0;font-size:10pt}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
    "thead th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}"
    ".grade{font-weight:bold;text-align:center}.grade-A{background:#c7e9c0}"
    ".grade-B{background:#e5f5e0}.grade-C{background:#fff3bf}.grade-D{background:#fdd0a2}"
    ".grade-F{background:#fcbba1}.note{color:#444;font-size:9.5pt}.warn{color:#a00}"
    "figure.chart{margin:12px 0 20px}figure.chart svg{width:100%;height:auto;display:block}"
    "figcaption{color:#444;font-size:9.5pt}"
    "@page{size:A4;margin:12mm}"
    "@media print{body{max-width:none;margin:0;font-size:10pt}figure.chart,table,tr{"
    "break-inside:avoid}h2,h3{break-after:avoid}}";

static dcsim_status write_page(page *p, const char *dir, dcsim_dir_kind kind, const char *mc_dir,
                               const char *sweep_dir, dcsim_diag *d)
{
    dcsim_csv_table *meta = read_in(dir, "meta.csv", d);
    if (!meta)
        return d->status;
    dcsim_diag ignore;
    dcsim_csv_table *mc_meta = mc_dir ? read_in(mc_dir, "meta.csv", &ignore) : NULL;
    dcsim_csv_table *summary =
        kind == DCSIM_DIR_RUN ? read_in(dir, "summary.csv", &ignore) : NULL;
    const char *name = lookup(meta, "scenario_name", 1);
    if (!name[0])
        name = lookup(meta, "scenario", 1);
    out(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<title>dcsim report: ");
    esc(p, name);
    out(p, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1 id=\"scenario-name\">",
        style);
    esc(p, name);
    out(p, "</h1>\n<p class=\"sub\">dcsim %s report &middot; scenario <code>", DCSIM_VERSION);
    esc(p, lookup(meta, "scenario", 1));
    out(p, "</code> &middot; hash <code id=\"scenario-hash\">");
    esc(p, lookup(meta, "scenario_fnv1a64", 1));
    out(p, "</code> &middot; seed ");
    esc(p, lookup(meta, "seed", 1));
    out(p, "</p>\n</header>\n");
    dcsim_status st = DCSIM_OK;
    if (mc_dir)
        st = mc_section(p, mc_dir, mc_meta ? mc_meta : meta, d);
    if (!st && sweep_dir)
        st = sweep_section(p, sweep_dir, d);
    if (!st && kind == DCSIM_DIR_RUN)
        st = run_section(p, dir, meta, d);
    if (!st)
        assumptions(p, meta, mc_meta ? mc_meta : (kind == DCSIM_DIR_MC ? meta : NULL), summary);
    out(p, "</body>\n</html>\n");
    dcsim_csv_free(meta);
    dcsim_csv_free(mc_meta);
    dcsim_csv_free(summary);
    return st;
}

/* dir/sub when it holds a dcsim output of the wanted kind. */
static bool sub_of_kind(const char *dir, const char *sub, dcsim_dir_kind want, char *buf,
                        size_t len)
{
    dcsim_diag ignore;
    if ((size_t)snprintf(buf, len, "%s/%s", dir, sub) >= len)
        return false;
    char meta[PATH_MAX];
    snprintf(meta, sizeof meta, "%s/meta.csv", buf);
    return access(meta, R_OK) == 0 && dcsim_dir_kind_of(buf, NULL, 0, &ignore) == want;
}

dcsim_status dcsim_report_write(const char *dir, const dcsim_plot_opts *po, dcsim_diag *d)
{
    dcsim_dir_kind kind = dcsim_dir_kind_of(dir, NULL, 0, d);
    if (kind == DCSIM_DIR_NONE)
        return d->status;
    char mc_buf[PATH_MAX], sweep_buf[PATH_MAX];
    const char *mc_dir = kind == DCSIM_DIR_MC ? dir
                         : kind == DCSIM_DIR_RUN && sub_of_kind(dir, "mc", DCSIM_DIR_MC, mc_buf,
                                                                 sizeof mc_buf)
                             ? mc_buf
                             : NULL;
    const char *sweep_dir = kind == DCSIM_DIR_SWEEP ? dir
                            : kind == DCSIM_DIR_RUN &&
                                      sub_of_kind(dir, "sweep", DCSIM_DIR_SWEEP, sweep_buf,
                                                  sizeof sweep_buf)
                                ? sweep_buf
                                : NULL;
    dcsim_status st = DCSIM_OK;
    if (kind == DCSIM_DIR_RUN)
        st = ensure_charts(dir, DCSIM_DIR_RUN, po, d);
    if (!st && mc_dir)
        st = ensure_charts(mc_dir, DCSIM_DIR_MC, po, d);
    if (!st && sweep_dir)
        st = ensure_charts(sweep_dir, DCSIM_DIR_SWEEP, po, d);
    if (st)
        return st;
    char tmp[PATH_MAX], fin[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.report.html.tmp", dir) >= sizeof tmp ||
        (size_t)snprintf(fin, sizeof fin, "%s/report.html", dir) >= sizeof fin)
        return dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
    page p = {.f = fopen(tmp, "w")};
    if (!p.f)
        return dcsim_diag_set(d, DCSIM_EWRITE, tmp, 0, 0, "cannot write the report: %s",
                              strerror(errno));
    st = write_page(&p, dir, kind, mc_dir, sweep_dir, d);
    if (fflush(p.f) != 0 || ferror(p.f))
        p.failed = true;
    if (fclose(p.f) != 0)
        p.failed = true;
    if (!st && p.failed)
        st = dcsim_diag_set(d, DCSIM_EWRITE, tmp, 0, 0, "cannot write the report (disk full?)");
    if (!st && rename(tmp, fin) != 0)
        st = dcsim_diag_set(d, DCSIM_EWRITE, fin, 0, 0, "cannot move the report into place: %s",
                            strerror(errno));
    if (st)
        (void)unlink(tmp);
    return st;
}
