/* The report's tables: a Monte Carlo's grades, drivers and risk register, a run's
 * milestones, a sweep's grid. They read the CSV contracts only. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/report_priv.h"

/* The risk register as simulated (risks.csv), when the scenario has one: a Monte Carlo of
 * an older dcsim, or of a scenario without risks, has no such file or no rows. */
static dcsim_status risks_table(page *p, const char *dir, dcsim_diag *d)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/risks.csv", dir) >= sizeof path ||
        access(path, R_OK) != 0)
        return DCSIM_OK;
    dcsim_csv_table *rk = report_read_in(dir, "risks.csv", d);
    if (!rk)
        return d->status;
    if (rk->n_rows > 1) {
        report_out(p, "<h2>The risk register</h2>\n<table id=\"risks-table\">\n<thead><tr>"
               "<th>risk</th><th>milestone</th><th>probability</th><th>fired</th>"
               "<th>mean delay</th><th>criticality</th><th>slip contribution</th>"
               "<th>mitigation</th></tr></thead>\n<tbody>\n");
        for (size_t r = 1; r < rk->n_rows; r++) {
            report_cell(p, "<tr class=\"risk\"><td>", "</td>", report_field(rk, r, "risk"));
            report_cell(p, "<td>", "</td>", report_field(rk, r, "milestone"));
            report_pct_cell(p, report_field(rk, r, "probability"));
            report_pct_cell(p, report_field(rk, r, "fired_share"));
            report_days_or_blank(p, report_field(rk, r, "mean_delay_days"));
            report_pct_cell(p, report_field(rk, r, "criticality"));
            report_days_or_blank(p, report_field(rk, r, "slip_contribution_days"));
            const char *cost = report_field(rk, r, "mitigation_cost_usd");
            if (!cost[0])
                report_out(p, "<td>none</td>");
            else
                report_out(p, "<td class=\"num\">$%.0fM%s</td>", strtod(cost, NULL) / 1e6,
                    strcmp(report_field(rk, r, "mitigated"), "true") == 0 ? " (applied)" : "");
            report_out(p, "</tr>\n");
        }
        report_out(p, "</tbody></table>\n");
        report_out(p, "<p class=\"note\">Probability: that the risk fires in a future. Fired: the "
               "share of the simulated futures it fired in. Criticality: the share in which it "
               "hit work on the milestone's critical path. Slip contribution: how the P80 slip "
               "changes with the risk switched off, every other draw the same. dcsim mc "
               "--mitigated runs with every mitigation applied.</p>\n");
    }
    dcsim_csv_free(rk);
    return DCSIM_OK;
}

dcsim_status report_mc_section(page *p, const char *dir, const dcsim_csv_table *meta,
                               dcsim_diag *d)
{
    dcsim_csv_table *ms = report_read_in(dir, "milestones.csv", d);
    if (!ms)
        return d->status;
    dcsim_csv_table *dr = report_read_in(dir, "drivers.csv", d);
    if (!dr) {
        dcsim_csv_free(ms);
        return d->status;
    }
    const char *runs = report_lookup(meta, "runs", 1);
    report_out(p, "<section id=\"monte-carlo\">\n<h2>Schedule grades: %s simulated futures</h2>\n",
        runs);
    if (strcmp(report_lookup(meta, "partial", 1), "true") == 0)
        report_out(p, "<p class=\"warn\">Partial: the Monte Carlo was interrupted after %s of %s "
               "runs.</p>\n",
            runs, report_lookup(meta, "runs_asked", 1));
    report_out(p, "<table id=\"grade-table\">\n<thead><tr><th>milestone</th><th>planned</th>"
           "<th>P50</th><th>P80</th><th>P(on time)</th><th>slip at confidence</th>"
           "<th>grade</th><th>P(never)</th><th>P(power-limited)</th>"
           "<th>cost of slip P50 (P10 to P90)</th></tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < ms->n_rows; r++) {
        const char *g = report_field(ms, r, "grade");
        report_cell(p, "<tr class=\"milestone\"><th scope=\"row\">", "</th>",
             report_field(ms, r, "milestone"));
        report_date_cell(p, report_field(ms, r, "planned"));
        report_date_cell(p, report_field(ms, r, "p50"));
        report_date_cell(p, report_field(ms, r, "p80"));
        report_pct_cell(p, report_field(ms, r, "p_on_time"));
        report_days_cell(p, report_field(ms, r, "slip_at_confidence_days"));
        report_out(p, "<td class=\"grade grade-%c\">", g[0] ? g[0] : 'X');
        report_cell(p, "", "</td>", g);
        report_pct_cell(p, report_field(ms, r, "p_never"));
        report_pct_cell(p, report_field(ms, r, "p_power_limited"));
        char b0[48], b1[48], b2[48];
        report_money(report_field(ms, r, "slip_cost_p50_musd"), b1, sizeof b1);
        if (b1[0])
            report_out(p, "<td class=\"num\">%s (%s to %s)</td>", b1,
                report_money(report_field(ms, r, "slip_cost_p10_musd"), b0, sizeof b0),
                report_money(report_field(ms, r, "slip_cost_p90_musd"), b2, sizeof b2));
        else
            report_out(p, "<td></td>");
        report_out(p, "</tr>\n");
    }
    report_out(p, "</tbody></table>\n");
    report_out(p, "<p class=\"note\">In 80%% of the simulated futures (the scenario's confidence: "
           "%s) the milestone is met by its P80 date. The grade is read at the slip at that "
           "confidence (default scale A &le; 0 d, B &le; 30 d, C &le; 90 d, D &le; 180 d, "
           "else F; F too when the milestone is never reached in more than 1 &minus; "
           "confidence of the futures). Power-limited: the share of futures in which power, "
           "not buildings or racks, was the last thing the milestone waited for. Cost of "
           "slip: how far each future's net (carrying cost of dark racks + energy &minus; value "
           "of GPU-hours delivered) is behind its planned twin's (every duration at its mean, "
           "the same streams) when the milestone is reached.</p>\n",
        ms->n_rows > 1 ? report_field(ms, 1, "confidence") : "");
    report_out(p, "<h2>What drives the slip</h2>\n<table id=\"drivers-table\">\n<thead><tr>"
           "<th>milestone</th><th>rank</th><th>driver</th><th>criticality</th>"
           "<th>slip contribution</th><th>in dollars</th></tr></thead>\n<tbody>\n");
    /* The measured drivers (those with a contribution), at most five per milestone. */
    const char *last = "";
    int shown = 0;
    for (size_t r = 1; r < dr->n_rows; r++) {
        const char *m = report_field(dr, r, "milestone");
        if (strcmp(m, last) != 0)
            shown = 0, last = m;
        if (!report_field(dr, r, "slip_contribution_days")[0] || shown >= 5)
            continue;
        shown++;
        report_cell(p, "<tr class=\"driver\"><td>", "</td>", m);
        report_cell(p, "<td class=\"num\">", "</td>", report_field(dr, r, "rank"));
        report_cell(p, "<td>", "</td>", report_field(dr, r, "driver"));
        report_pct_cell(p, report_field(dr, r, "criticality"));
        report_days_cell(p, report_field(dr, r, "slip_contribution_days"));
        report_money_cell(p, report_field(dr, r, "slip_contribution_musd"));
        report_out(p, "</tr>\n");
    }
    report_out(p, "</tbody></table>\n");
    report_out(p, "<p class=\"note\">Criticality: the share of futures in which the driver was on "
           "the milestone's critical path. Slip contribution: how the P80 slip changes when "
           "that driver always takes its planned (mean) value and every other draw stays the "
           "same (measured on the first %s futures); the most negative is the first thing to "
           "de-risk. In dollars: the same for the P80 cost of slip.</p>\n",
        report_lookup(meta, "driver_runs", 1));
    dcsim_csv_free(ms);
    dcsim_csv_free(dr);
    dcsim_status st = risks_table(p, dir, d);
    if (!st)
        st = report_charts_of(p, dir, DCSIM_DIR_MC, d);
    report_out(p, "</section>\n");
    return st;
}

dcsim_status report_run_section(page *p, const char *dir, const dcsim_csv_table *meta,
                                dcsim_diag *d)
{
    dcsim_csv_table *ms = report_read_in(dir, "milestones.csv", d);
    if (!ms)
        return d->status;
    report_out(p, "<section id=\"run\">\n<h2>One simulated future (seed ");
    report_esc(p, report_lookup(meta, "seed", 1));
    report_out(p, ")</h2>\n<table id=\"run-milestones\">\n<thead><tr><th>milestone</th><th>planned"
           "</th><th>simulated</th><th>slip</th><th>cost of slip</th><th>last prerequisite</th>"
           "</tr></thead>\n"
           "<tbody>\n");
    for (size_t r = 1; r < ms->n_rows; r++) {
        report_cell(p, "<tr><th scope=\"row\">", "</th>", report_field(ms, r, "milestone"));
        report_date_cell(p, report_field(ms, r, "planned"));
        report_date_cell(p, report_field(ms, r, "simulated"));
        report_days_cell(p, report_field(ms, r, "slip_days"));
        report_money_cell(p, report_field(ms, r, "slip_cost_musd"));
        report_cell(p, "<td>", "</td></tr>\n", report_field(ms, r, "cause"));
    }
    report_out(p, "</tbody></table>\n");
    dcsim_csv_free(ms);
    dcsim_status st = report_charts_of(p, dir, DCSIM_DIR_RUN, d);
    report_out(p, "</section>\n");
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

dcsim_status report_sweep_section(page *p, const char *dir, dcsim_diag *d)
{
    dcsim_csv_table *sw = report_read_in(dir, "sweep.csv", d);
    if (!sw)
        return d->status;
    report_out(p, "<section id=\"sweep\">\n<h2>What-if grid</h2>\n<table id=\"sweep-table\">\n"
           "<thead><tr>");
    for (size_t c = 0; c < sw->n_cols; c++)
        if (sweep_shown(sw->rows[0][c]))
            report_cell(p, "<th>", "</th>", sw->rows[0][c]);
    report_out(p, "</tr></thead>\n<tbody>\n");
    for (size_t r = 1; r < sw->n_rows; r++) {
        report_out(p, "<tr>");
        for (size_t c = 0; c < sw->n_cols; c++) {
            const char *h = sw->rows[0][c];
            size_t n = strlen(h);
            if (!sweep_shown(h))
                continue;
            if (n > 4 && strcmp(h + n - 4, "_p80") == 0)
                report_date_cell(p, sw->rows[r][c]);
            else
                report_cell(p, "<td>", "</td>", sw->rows[r][c]);
        }
        report_out(p, "</tr>\n");
    }
    report_out(p, "</tbody></table>\n");
    dcsim_csv_free(sw);
    dcsim_status st = report_charts_of(p, dir, DCSIM_DIR_SWEEP, d);
    report_out(p, "</section>\n");
    return st;
}
