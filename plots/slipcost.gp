# slipcost.gp: what being late costs, milestone by milestone, run by run. One column per
# milestone: every Monte Carlo run's cost of slip at that milestone as a point (spread
# sideways so the points do not hide each other), over a box from its P10 to its P90 with a
# bar at the P50. The cost of slip is the run's net cost (stranded + idle carrying cost +
# energy - value delivered, cumulative) less its planned twin's, when the milestone is
# reached: money lost to the slip, negative when the run is ahead of its plan.
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/slipcost'" plots/slipcost.gp
#
# in (required) the output directory of `dcsim mc`: uses milestones.csv (milestone,
# slip_cost_p10_musd, slip_cost_p50_musd, slip_cost_p90_musd) and runs.csv (replication,
# <milestone>_slip_cost_musd, empty when the run has no cost of slip). out (required) the
# path without extension: writes out.png, then out.svg. name (optional) scenario name for
# the title. check (optional) a file for the data-check lines. Columns are found by their
# header names. Money is in millions of US dollars (MUSD).
#
# Columns: the milestones with at least one value, in milestones.csv order, at x = 1, 2, ...
# A run's point sits at x = column + 0.25 (2 frac(r g) - 1), r its replication and g the
# golden ratio's fraction 0.618...: the same run always lands at the same offset, and
# successive runs fill the width evenly. Milestones whose column is empty in every run are
# listed under the chart; with none left the chart says "no run has a cost of slip".
#
# Check lines (one "key value" per line, numbers printed with %.10g):
#   empty       = 1 when no <ms>_slip_cost_musd is non-empty (no point, no box), else 0
#   columns     = milestones with at least one non-empty <ms>_slip_cost_musd
#   points      = non-empty <ms>_slip_cost_musd over all those milestones (points drawn)
#   y_min       = min over the points and the drawn boxes' P10 (gnuplot's GPVAL_DATA_Y_MIN)
#   y_max       = max over the points and the drawn boxes' P90 (GPVAL_DATA_Y_MAX)
#   n_<ms>      = non-empty <ms>_slip_cost_musd, for each milestones.csv row in order
#   y_min_<ms>, y_max_<ms> = min and max of them (left out when n_<ms> is 0)
#   p10_<ms>, p50_<ms>, p90_<ms> = the box drawn (slip_cost_p10/p50/p90_musd of milestones.csv;
#                 left out when n_<ms> is 0 or the quantiles are empty)
# y_min and y_max are left out when empty is 1. The x axis is the column index, not data: it
# has no check line. The zero line and the notes are arrows and labels, which stay out of
# GPVAL_DATA_*. Milestone names with spaces are not supported.

if (!exists("in")) {
    exit error "slipcost.gp: give in='<dir>' (dcsim mc output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "slipcost.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
}
runs = in . "/runs.csv"
mst = in . "/milestones.csv"

set datafile separator comma

# Data rows of each file. Read with no header row the header is a row too (taken off again):
# stats warns on a file without data rows, and this way there is always one.
set datafile nocolumnheaders
stats runs using (0) name "RUNS" nooutput
stats mst using (0) name "MS" nooutput
set datafile columnheaders      # row 1 names the columns; column("x") looks them up
n_runs = RUNS_records - 1
n_ms = MS_records - 1

max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
isnum(v) = v == v
# Whole millions with thousands separators when large, three significant digits when small.
grouped(n) = n < 1000 ? sprintf("%d", n) : grouped(n / 1000) . sprintf(",%03d", n % 1000)
money(v) = abs(v) >= 100 ? (v < 0 ? "-" : "") . grouped(int(abs(v) + 0.5)) : sprintf("%.3g", v)
# The sideways offset of replication r (see the header).
jitter(r) = 0.25 * (2 * (r * 0.6180339887498949 - floor(r * 0.6180339887498949)) - 1)
half_box = 0.3

# The milestones and their quantiles, read once into arrays (gnuplot 5.4 assigns array
# elements inside an expression); an empty quantile reads as NaN.
array ms_name[max(n_ms, 1)]
array q10[max(n_ms, 1)]
array q50[max(n_ms, 1)]
array q90[max(n_ms, 1)]
if (n_ms > 0) {
    stats mst using (i = int($0) + 1, ms_name[i] = strcol("milestone"), \
        q10[i] = column("slip_cost_p10_musd"), q50[i] = column("slip_cost_p50_musd"), \
        q90[i] = column("slip_cost_p90_musd"), 0) nooutput
}

# Per milestone: the count, min and max of its non-empty costs. The stats value is always 0
# so that a column with no value at all does not make stats warn.
array n_ok[max(n_ms, 1)]
array c_lo[max(n_ms, 1)]
array c_hi[max(n_ms, 1)]
do for [i = 1:n_ms] {
    k = 0
    a = NaN
    b = NaN
    if (n_runs > 0) {
        stats runs using (s = column(ms_name[i] . "_slip_cost_musd"), \
            isnum(s) ? (k = k + 1, a = (isnum(a) ? min(a, s) : s), \
                        b = (isnum(b) ? max(b, s) : s)) : 0, 0) nooutput
    }
    n_ok[i] = k
    c_lo[i] = a
    c_hi[i] = b
}

# The columns (milestones with a value), the boxes among them, and the milestones left out.
cols = ""
none = ""
n_points = 0
n_boxes = 0
do for [i = 1:n_ms] {
    if (n_ok[i] > 0) {
        cols = cols . sprintf(" %d", i)
        n_points = n_points + n_ok[i]
        if (isnum(q10[i]) && isnum(q50[i]) && isnum(q90[i])) { n_boxes = n_boxes + 1 }
    } else {
        none = none . (strlen(none) > 0 ? ", " : "") . ms_name[i]
    }
}
n_cols = words(cols)
col_ms(p) = int(word(cols, p))
col_name(p) = ms_name[col_ms(p)] . "_slip_cost_musd"

# The boxes as a small CSV table (column, P10, P50, P90), plotted as data so that the check
# covers them.
set print $box
print "pos,p10,p50,p90"
do for [p = 1:n_cols] {
    i = col_ms(p)
    if (isnum(q10[i]) && isnum(q50[i]) && isnum(q90[i])) {
        print sprintf("%d,%.17g,%.17g,%.17g", p, q10[i], q50[i], q90[i])
    }
}
unset print

# The y axis holds every point, every box and 0 (the plan), with 6% headroom either side.
y_lo = 0
y_hi = 0
do for [p = 1:n_cols] {
    i = col_ms(p)
    y_lo = min(y_lo, c_lo[i])
    y_hi = max(y_hi, c_hi[i])
    if (isnum(q10[i])) { y_lo = min(y_lo, q10[i]); y_hi = max(y_hi, q10[i]) }
    if (isnum(q90[i])) { y_lo = min(y_lo, q90[i]); y_hi = max(y_hi, q90[i]) }
}
y_pad = y_hi > y_lo ? 0.06 * (y_hi - y_lo) : 1

c_run  = "#1f77b4"
c_box  = "#ff7f0e"
c_p50  = "#b34700"
c_zero = "#333333"
title_text = (exists("name") ? name . ": " : "") . \
    sprintf("cost of slip per milestone over %d Monte Carlo run%s", n_runs, \
        n_runs == 1 ? "" : "s")
sub_text = "net cost (stranded + idle + energy - value delivered) less the planned twin's," . \
    " at the milestone"

# Results of the first (PNG) pass for the check file.
g_ymin = NaN
g_ymax = NaN

# Both terminals draw from one loop.
do for [pass = 1:2] {
    if (pass == 1) {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1
        set output out . ".png"
        ps_run = 0.8
    } else {
        # The same chart as SVG for the HTML report (no mouse: the file carries no script).
        # The svg terminal draws points about twice as large as pngcairo.
        set terminal svg size 1280,720 font "DejaVu Sans,12"
        set output out . ".svg"
        ps_run = 0.4
    }
    reset
    set datafile separator comma
    set datafile columnheaders
    set title title_text . "\n" . sub_text font ",14" noenhanced
    set lmargin 12
    set rmargin 4
    set bmargin strlen(none) > 0 ? 8 : 7
    if (n_cols == 0) {
        set lmargin 4
        set xrange [0 : 1]
        set yrange [0 : 1]
        unset tics
        unset border
        unset key
        set label 1 (n_ms == 0 ? "milestones.csv lists no milestone" : \
            "no run has a cost of slip") at graph 0.5, graph 0.5 center font ",16" \
            tc rgb "#555555"
        if (strlen(none) > 0) {
            set label 2 "no cost of slip in any run: " . none at screen 0.5, screen 0.04 \
                center font ",10" tc rgb "#555555" noenhanced
        }
        plot 2 notitle      # lies above the y range: draws nothing, warns about nothing
        continue
    }
    # At least three columns' width, so that one or two milestones do not draw slabs.
    x_mid = (n_cols + 1) / 2.0
    x_half = (max(n_cols, 3) + 0.2) / 2
    set xrange [x_mid - x_half : x_mid + x_half]
    set yrange [y_lo - y_pad : y_hi + y_pad]
    set border 3 lc rgb "#444444"
    set ytics nomirror out
    set format y "%g"
    set grid ytics lc rgb "#dddddd" lw 1 dt 1
    set ylabel "Cost of slip (MUSD; negative = ahead of plan)"
    # One tic per column: the milestone, how many runs have a value, and the box's figures.
    set xtics scale 0 nomirror noenhanced font ",11" ()
    do for [p = 1:n_cols] {
        i = col_ms(p)
        runs_text = n_ok[i] == n_runs ? sprintf("%d runs", n_runs) : \
            sprintf("%d of %d runs", n_ok[i], n_runs)
        q_text = isnum(q50[i]) ? sprintf("\nP50 %s $M\nP10 %s to P90 %s $M", money(q50[i]), \
            money(q10[i]), money(q90[i])) : ""
        set xtics add (ms_name[i] . " (" . runs_text . ")" . q_text p)
    }
    set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt (8, 6) lw 1.5 \
        lc rgb c_zero back
    set label 1 "plan" at graph 1, first 0 right offset -0.5, 0.6 font ",10" tc rgb c_zero
    if (strlen(none) > 0) {
        set label 2 "no cost of slip in any run: " . none at screen 0.5, screen 0.025 \
            center font ",10" tc rgb "#555555" noenhanced
    }
    set key at screen 0.5, screen (strlen(none) > 0 ? 0.075 : 0.045) center center horizontal reverse Left \
        samplen 1.5 width 1 font ",11"
    if (n_boxes > 0) {
        plot \
            $box using (column("pos")):(column("p50")):(column("pos") - half_box): \
                (column("pos") + half_box):(column("p10")):(column("p90")) with boxxyerror \
                fs solid 0.25 border lc rgb c_box lc rgb c_box title "P10 to P90", \
            $box using (column("pos") - half_box):(column("p50")):(2 * half_box):(0) \
                with vectors nohead lw 3 lc rgb c_p50 title "P50", \
            for [p = 1:n_cols] runs using (p + jitter(column("replication"))): \
                (column(col_name(p))) with points pt 7 ps ps_run lc rgb "#601f77b4" \
                title (p == 1 ? "one run" : "")
    } else {
        plot for [p = 1:n_cols] runs using (p + jitter(column("replication"))): \
            (column(col_name(p))) with points pt 7 ps ps_run lc rgb "#601f77b4" \
            title (p == 1 ? "one run" : "")
    }
    if (pass == 1) {
        g_ymin = GPVAL_DATA_Y_MIN
        g_ymax = GPVAL_DATA_Y_MAX
    }
}
unset output

if (exists("check")) {
    set print check
    print sprintf("empty %d", n_cols == 0)
    print sprintf("columns %d", n_cols)
    print sprintf("points %d", n_points)
    if (n_cols > 0) {
        print sprintf("y_min %.10g", g_ymin)
        print sprintf("y_max %.10g", g_ymax)
    }
    do for [i = 1:n_ms] {
        print sprintf("n_%s %d", ms_name[i], n_ok[i])
        if (n_ok[i] > 0) {
            print sprintf("y_min_%s %.10g", ms_name[i], c_lo[i])
            print sprintf("y_max_%s %.10g", ms_name[i], c_hi[i])
            if (isnum(q10[i]) && isnum(q50[i]) && isnum(q90[i])) {
                print sprintf("p10_%s %.10g", ms_name[i], q10[i])
                print sprintf("p50_%s %.10g", ms_name[i], q50[i])
                print sprintf("p90_%s %.10g", ms_name[i], q90[i])
            }
        }
    }
    unset print
}
