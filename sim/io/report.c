/* The HTML report (include/dcsim/report.h). It reads only the CSV contracts of the output
 * directories and the SVG charts beside them, so a report can be rebuilt from a directory
 * alone. Every text from a file is escaped; the page has no script and fetches nothing, and
 * its print style keeps tables and charts whole across pages. */
#include "dcsim/report.h"

#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcsim/csv.h"
#include "dcsim/version.h"
#include "io/report_priv.h"


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
    report_out(p, "<figure id=\"chart-%s\" class=\"chart\">\n", script);
    if (ct)
        report_out(p, "<h3>%s</h3>\n", ct->title);
    if (fputs(svg, p->f) == EOF)
        p->failed = true;
    if (ct)
        report_out(p, "<figcaption>%s</figcaption>\n", ct->caption);
    report_out(p, "</figure>\n");
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

dcsim_status report_charts_of(page *p, const char *dir, dcsim_dir_kind kind, dcsim_diag *d)
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

static void kv_row(page *p, const char *k, const char *v)
{
    if (!v || !v[0])
        return;
    report_cell(p, "<tr><th scope=\"row\">", "</th>", k);
    report_cell(p, "<td>", "</td></tr>\n", v);
}

static void assumptions(page *p, const dcsim_csv_table *meta, const dcsim_csv_table *mc_meta,
                        const dcsim_csv_table *summary)
{
    report_out(p, "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<table id=\"assumptions-table\">"
           "\n<tbody>\n");
    kv_row(p, "scenario file", report_lookup(meta, "scenario", 1));
    kv_row(p, "scenario hash (FNV-1a 64)", report_lookup(meta, "scenario_fnv1a64", 1));
    kv_row(p, "seed", report_lookup(meta, "seed", 1));
    kv_row(p, "start", report_lookup(meta, "start", 1));
    if (mc_meta) {
        kv_row(p, "Monte Carlo runs", report_lookup(mc_meta, "runs", 1));
        kv_row(p, "runs re-run per driver", report_lookup(mc_meta, "driver_runs", 1));
        kv_row(p, "bands", report_lookup(mc_meta, "bands", 1));
        kv_row(p, "Monte Carlo command", report_lookup(mc_meta, "command_line", 1));
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
        kv_row(p, keys[i][1], report_lookup(summary, keys[i][0], 1));
    kv_row(p, "command", report_lookup(meta, "command_line", 1));
    kv_row(p, "dcsim version", report_lookup(meta, "dcsim_version", 1));
    report_out(p, "</tbody></table>\n</section>\n");
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
    dcsim_csv_table *meta = report_read_in(dir, "meta.csv", d);
    if (!meta)
        return d->status;
    dcsim_diag ignore;
    dcsim_csv_table *mc_meta = mc_dir ? report_read_in(mc_dir, "meta.csv", &ignore) : NULL;
    dcsim_csv_table *summary =
        kind == DCSIM_DIR_RUN ? report_read_in(dir, "summary.csv", &ignore) : NULL;
    const char *name = report_lookup(meta, "scenario_name", 1);
    if (!name[0])
        name = report_lookup(meta, "scenario", 1);
    report_out(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<title>dcsim report: ");
    report_esc(p, name);
    report_out(p, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1 id=\"scenario-name\">",
        style);
    report_esc(p, name);
    report_out(p, "</h1>\n<p class=\"sub\">dcsim %s report &middot; scenario <code>", DCSIM_VERSION);
    report_esc(p, report_lookup(meta, "scenario", 1));
    report_out(p, "</code> &middot; hash <code id=\"scenario-hash\">");
    report_esc(p, report_lookup(meta, "scenario_fnv1a64", 1));
    report_out(p, "</code> &middot; seed ");
    report_esc(p, report_lookup(meta, "seed", 1));
    report_out(p, "</p>\n</header>\n");
    dcsim_status st = DCSIM_OK;
    if (mc_dir)
        st = report_mc_section(p, mc_dir, mc_meta ? mc_meta : meta, d);
    if (!st && sweep_dir)
        st = report_sweep_section(p, sweep_dir, d);
    if (!st && kind == DCSIM_DIR_RUN)
        st = report_run_section(p, dir, meta, d);
    if (!st)
        assumptions(p, meta, mc_meta ? mc_meta : (kind == DCSIM_DIR_MC ? meta : NULL), summary);
    report_out(p, "</body>\n</html>\n");
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
