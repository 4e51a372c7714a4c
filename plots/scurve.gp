# scurve.gp: when each milestone is reached, as a probability. One S-curve per milestone: the
# share of all Monte Carlo runs that had reached it by each date. The planned date and the
# P80 date are marked on each, so the reader sees how likely the plan is (the height of the
# curve at its planned line) and how late the date is that 80% of the futures meet.
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/scurve'" plots/scurve.gp
#
# in (required) the output directory of `dcsim mc`: uses milestones.csv (milestone, planned,
# p80, confidence) and runs.csv (<milestone>_date for each milestone, empty when that run
# never reached it); bands.csv (date) only when there is no date at all. out (required) the
# path without extension: writes out.png, then out.svg. name (optional) scenario name for
# the title. check (optional) a file for the data-check lines. Columns are found by their
# header names.
#
# A curve counts against ALL runs, so a milestone that some runs never reach ends below 1 (a
# dotted line carries that level to the right edge, and the key says how many never did). A
# milestone no run reached has no curve; the key names it.
#
# Check lines (one "key value" per line, numbers printed with %.10g; dates are seconds since
# 1970-01-01 00:00 UTC, as gnuplot reads them):
#   empty          = 1 when no run reached any milestone (no curve), else 0
#   x_min          = the earliest non-empty <ms>_date in runs.csv, over all milestones
#   x_max          = the latest non-empty <ms>_date in runs.csv, over all milestones
#   y_min          = 0 (each curve starts with a rise from 0 at its first date)
#   y_max          = max over the milestones of (runs with a non-empty <ms>_date) / runs,
#                    i.e. 1 - the smallest p_never
#   runs           = rows of runs.csv
#   curves         = milestones with at least one non-empty <ms>_date (one curve each)
#   reached_<ms>   = runs with a non-empty <ms>_date, for each milestones.csv row in order
# x_min .. y_max are gnuplot's GPVAL_DATA_* of the plot, left out when no run reached any
# milestone (nothing is plotted). The planned and P80 marks, the confidence line and the
# tails are arrows and labels, which do not enter GPVAL_DATA_*; the axes are set wide enough
# to hold every curve point. Runs that reach a milestone at the same moment make one step.
# Milestone names with spaces are not supported.

if (!exists("in")) {
    exit error "scurve.gp: give in='<dir>' (dcsim mc output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "scurve.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
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
if (n_runs < 1) {
    exit error sprintf("scurve.gp: %s has no runs", runs)
}

# Dates are "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; an empty field (never reached) becomes
# NaN. The x axis stays numeric (seconds) and only its tic labels are dates ("timedate"
# below), so stats works anywhere and set arrow/label take plain numbers.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
palette = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf"
colour(i) = word(palette, (int(i) - 1) % 10 + 1)

# The milestones, read once into arrays (gnuplot 5.4 assigns array elements inside an
# expression).
array ms_name[max(n_ms, 1)]
array ms_plan[max(n_ms, 1)]
array ms_p80[max(n_ms, 1)]
array ms_p80s[max(n_ms, 1)]
array ms_conf[max(n_ms, 1)]
if (n_ms > 0) {
    stats mst using (i = int($0) + 1, ms_name[i] = strcol("milestone"), \
        ms_plan[i] = when("planned"), ms_p80[i] = when("p80"), ms_p80s[i] = strcol("p80"), \
        ms_conf[i] = column("confidence"), 0) nooutput
}

# Per milestone: how many runs reached it, and the first and last such date. The stats value
# is always 0 so that a column with no date at all does not make stats warn.
array reached[max(n_ms, 1)]
array t_first[max(n_ms, 1)]
array t_last[max(n_ms, 1)]
curve_ids = ""
x_lo = NaN
x_hi = NaN
do for [i = 1:n_ms] {
    k = 0
    t1 = NaN
    t2 = NaN
    stats runs using (t = when(ms_name[i] . "_date"), \
        t == t ? (k = k + 1, t1 = (t1 == t1 ? min(t1, t) : t), \
                  t2 = (t2 == t2 ? max(t2, t) : t)) : 0, 0) nooutput
    reached[i] = k
    t_first[i] = t1
    t_last[i] = t2
    if (k > 0) {
        curve_ids = curve_ids . sprintf(" %d", i)
        x_lo = x_lo == x_lo ? min(x_lo, t1) : t1
        x_hi = x_hi == x_hi ? max(x_hi, t2) : t2
    }
}
n_curves = words(curve_ids)

# The curves into a table, one block each in the order of curve_ids: the count of runs that
# reached the milestone by each date (smooth cumulative sorts by date and merges equal
# dates). Counts, divided by the runs only when plotted, keep the last level exactly
# reached/runs. A run that never reached it counts 0 at the first date: a NaN would split the
# column into pieces that smooth cumulative sums separately. The ranges are fixed around the
# points (autoscaling warns when all runs share one date), and seconds are written in full
# (the table's default %g would round dates to the minute or worse).
if (n_curves > 0) {
    set xrange [x_lo - 86400 : x_hi + 86400]
    set yrange [-1 : n_runs + 1]
    set format x "%.3f"
    set format y "%.0f"
    set table $cum
    plot for [id in curve_ids] runs using (t = when(ms_name[int(id)] . "_date"), \
        t == t ? t : t_first[int(id)]):(t == t ? 1 : 0) smooth cumulative
    unset table
}

# The x axis holds every curve point and every mark (a plan can lie before every run's date);
# with no date at all (no milestones) it spans the simulation (bands.csv); it is at least two
# weeks wide, so that a lone date still gets readable tics.
do for [i = 1:n_ms] {
    if (ms_plan[i] == ms_plan[i]) {
        x_lo = x_lo == x_lo ? min(x_lo, ms_plan[i]) : ms_plan[i]
        x_hi = x_hi == x_hi ? max(x_hi, ms_plan[i]) : ms_plan[i]
    }
}
if (x_lo != x_lo) {
    stats in . "/bands.csv" using (when("date")) name "BANDS" nooutput
    x_lo = BANDS_min
    x_hi = BANDS_max
}
if (x_hi - x_lo < 14 * 86400) {
    x_mid = (x_lo + x_hi) / 2
    x_lo = x_mid - 7 * 86400
    x_hi = x_mid + 7 * 86400
}
x_pad = (x_hi - x_lo) * 0.03

# Marks per milestone, in its curve's colour: a dashed line at the planned date up to its
# name at the top (rows staggered so that close dates do not overprint), a diamond where the
# curve crosses the confidence (the P80 date of milestones.csv), and for a milestone some runs
# never reach, a dotted line carrying its final level to the right edge. A text near the
# right edge is set to the left of its date so that it stays on the chart.
n_rows = 3
row_y(k) = 1.17 - 0.055 * (k % n_rows)
near_right(t) = t > x_hi - 0.2 * (x_hi - x_lo)

# The key names each curve; one that some runs never reach says how many.
curve_title(i) = reached[i] == n_runs ? ms_name[i] : \
    sprintf("%s (never reached in %d of %d runs)", ms_name[i], n_runs - reached[i], n_runs)
missing = ""
do for [i = 1:n_ms] {
    if (reached[i] == 0) { missing = missing . (strlen(missing) > 0 ? ", " : "") . ms_name[i] }
}

set title (exists("name") ? name . ": " : "") . \
    "when each milestone is reached, across the Monte Carlo futures" font ",15" noenhanced
set xlabel "Date"
set ylabel "Share of runs that have reached it"
if (x_hi - x_lo > 400 * 86400) {
    set format x "%b\n%Y" timedate
} else {
    set format x "%d %b\n%Y" timedate
}
set xtics time nomirror out
set mxtics 3
set xrange [x_lo - x_pad : x_hi + x_pad]
set yrange [0 : 1.22]
set ytics 0, 0.2, 1 nomirror
set format y "%.1f"
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal reverse Left samplen 2.5 width 1 font ",11" noenhanced
set tmargin 3
set rmargin 6

# The chart reads only the table, which is whitespace-separated and has no header row.
set datafile separator whitespace
set datafile nocolumnheaders

# A macro: expanded when the loop below is read, so it is built before.
if (n_curves > 0) {
    chart = 'plot for [j = 1:n_curves] $cum index (j - 1) using 1:($2 / n_runs) with steps' . \
        '    lw 2.5 lc rgb colour(word(curve_ids, j))' . \
        '    title curve_title(int(word(curve_ids, j))),' . \
        '  for [j = 1:n_curves] $cum index (j - 1) every ::0::0 using 1:(0):(0):($2 / n_runs)' . \
        '    with vectors nohead lw 2.5 lc rgb colour(word(curve_ids, j)) notitle'
} else {
    chart = 'plot NaN notitle'
}
if (strlen(missing) > 0) {
    chart = chart . ', keyentry with lines lw 0 lc rgb "white"' . \
        ' title "not reached in any run: " . missing'
}

# Both terminals draw from one loop. The svg terminal draws points about twice as large as
# pngcairo: ps_k evens them out, and the marks (labels with points) are made again for each.
do for [pass = 1:2] {
    if (pass == 1) {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1
        set output out . ".png"
        ps_k = 1.0
    } else {
        # The same chart as SVG for the HTML report (no mouse: the file carries no script).
        set terminal svg size 1280,720 font "DejaVu Sans,12"
        set output out . ".svg"
        ps_k = 0.5
    }
    unset label
    unset arrow

    if (n_ms == 0) {
        set label "milestones.csv lists no milestone" \
            at graph 0.5, graph 0.45 center font ",12" tc rgb "#555555"
    }
    if (n_ms > 0 && n_curves == 0) {
        set label sprintf("no milestone was reached in any of the %d runs", n_runs) \
            at graph 0.5, graph 0.45 center font ",12" tc rgb "#555555"
    }
    conf_drawn = ""
    do for [i = 1:n_ms] {
        c = colour(i)
        if (ms_plan[i] == ms_plan[i]) {
            set arrow from ms_plan[i], 0 to ms_plan[i], row_y(i - 1) nohead dt (8, 6) lw 1.5 \
                lc rgb c back
            if (near_right(ms_plan[i])) {
                set label sprintf("%s planned", ms_name[i]) at ms_plan[i], row_y(i - 1) \
                    right offset char -0.3, 0.45 font ",10" tc rgb c noenhanced front
            } else {
                set label sprintf("%s planned", ms_name[i]) at ms_plan[i], row_y(i - 1) \
                    left offset char 0.3, 0.45 font ",10" tc rgb c noenhanced front
            }
        }
        if (ms_p80[i] == ms_p80[i] && ms_conf[i] == ms_conf[i]) {
            p80_text = sprintf("P%.0f %s", 100 * ms_conf[i], ms_p80s[i][1:10])
            if (near_right(ms_p80[i])) {
                set label p80_text at ms_p80[i], ms_conf[i] point pt 13 ps 1.8 * ps_k lc rgb c \
                    right offset char -1.2, -0.6 font ",10" tc rgb c front
            } else {
                set label p80_text at ms_p80[i], ms_conf[i] point pt 13 ps 1.8 * ps_k lc rgb c \
                    left offset char 1.0, -0.6 font ",10" tc rgb c front
            }
        }
        # The confidence line is drawn even when there is no P80: the curve stays below it.
        if (ms_conf[i] == ms_conf[i] && strstrt(conf_drawn, sprintf(" %g ", ms_conf[i])) == 0) {
            conf_drawn = conf_drawn . sprintf(" %g ", ms_conf[i])
            set arrow from graph 0, first ms_conf[i] to graph 1, first ms_conf[i] nohead \
                dt 3 lw 1 lc rgb "#888888" back
            set label sprintf("%.0f%% of runs", 100 * ms_conf[i]) at graph 0, first ms_conf[i] \
                left offset char 0.5, 0.55 font ",10" tc rgb "#666666" front
        }
        if (reached[i] > 0 && reached[i] < n_runs) {
            level = 1.0 * reached[i] / n_runs
            set arrow from t_last[i], level to graph 1, first level nohead dt 3 lw 2 lc rgb c back
        }
    }

    @chart

    if (pass == 1 && exists("check")) {
        set print check
        print sprintf("empty %d", n_curves == 0)
        if (n_curves > 0) {
            print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
            print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
            print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
            print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        }
        print sprintf("runs %d", n_runs)
        print sprintf("curves %d", n_curves)
        do for [i = 1:n_ms] {
            print sprintf("reached_%s %d", ms_name[i], reached[i])
        }
        unset print
    }
}
unset output
