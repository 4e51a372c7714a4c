# gantt.gp: the procurement and construction schedule as it ran. One row per activity of
# activities.csv (stages, source pipelines, equipment, buildings), its bar from the date it
# started to the date it finished, coloured by kind; above them one row per milestone, with a
# dashed line down the chart at the planned date and a diamond where the simulation reached
# it. The bar that runs past a dashed line is the one that made the milestone slip.
#
#   gnuplot -e "in='out/x'; out='out/x/gantt'" plots/gantt.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, after the PNG is drawn:
#
#   empty  1 when no row of activities.csv has a start date (the chart then only says "no
#          activity started in this run" and no other line follows); else 0 and the lines below
#   x_min  GPVAL_DATA_X_MIN: the earliest `start` of the drawn activities, seconds since 1970
#   x_max  GPVAL_DATA_X_MAX: the latest end of the drawn activities, seconds since 1970, where
#          an activity's end is its `finish`; for a failed one without a finish, the `date` of
#          its stage_failed row in events.csv (element = the activity), or the last date of
#          timeseries.csv if there is none; for a running one (any other without a finish),
#          the last date of timeseries.csv. Strictly the largest start or end, which is the
#          latest end whenever every start lies within the run
#   rows   the number of activities drawn: rows of activities.csv with a non-empty `start`
#          (each drawn as a bar, or as a diamond when its end equals its start)
#
# Values are printed with %.10g. Dates are "YYYY-MM-DD" (midnight UTC) or
# "YYYY-MM-DDTHH:MM:SSZ". The drawn data are the activities only: milestones, labels and the
# "not started" notes are arrows, labels and objects, which gnuplot leaves out of
# GPVAL_DATA_*. The x range is set to hold them as well as the run (first to last date of
# timeseries.csv), so they are never cut off.
#
# Uses activities.csv (activity, kind, state, start, finish), milestones.csv (milestone,
# planned, simulated; simulated is empty when not reached), events.csv (event, element, date:
# when a failed stage failed) and timeseries.csv (date). Rows with state "waiting" (never
# started) are listed with a note and no bar. A failed activity is drawn in its kind's colour
# up to its failure and marked with a red cross; a running one is drawn pale, with an outline,
# up to the last date.

if (!exists("in")) {
    exit error "gantt.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "gantt.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
}
ts = in . "/timeseries.csv"
acts = in . "/activities.csv"
mss = in . "/milestones.csv"
evs = in . "/events.csv"

set datafile separator comma

# Count rows without a warning: with the header read as a row, a constant expression is valid
# on every line, so a file holding only its header counts 1 and draws no complaint (stats
# warns on a file without data rows, and so would a plot).
set datafile nocolumnheaders
stats acts using (1) name "LINES" nooutput
n_act = LINES_records - 1
stats mss using (1) name "LINES" nooutput
n_ms = LINES_records - 1
stats evs using (1) name "LINES" nooutput
n_ev = LINES_records - 1
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The date columns are "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; an empty one (not started, not
# finished, not reached) is NaN.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
# Item i of a list "|a|b|c|": names may hold any character but "|", so word() will not do.
nth(s, i) = (nth_t = s[2:], i <= 1 ? nth_t[1:strstrt(nth_t, "|") - 1] \
                                   : nth(nth_t[strstrt(nth_t, "|"):], i - 1))
min2(a, b) = a < b ? a : b
max2(a, b) = a > b ? a : b

stats ts using (when("date")) name "X" nooutput
last_date = X_max

# When each failed stage failed: activities.csv leaves its finish empty, events.csv has the
# date. Kept as "|name=seconds|" so a row can look its activity up.
fails = "|"
if (n_ev > 0) {
    stats evs using (strcol("event") eq "stage_failed" ? \
        (fails = fails . strcol("element") . "=" . sprintf("%.0f", when("date")) . "|", 0) : 0, 0) \
        nooutput
}
fail_at(a) = (fa_p = strstrt(fails, "|" . a . "="), fa_p == 0 ? NaN : \
              (fa_r = fails[fa_p + strlen(a) + 2:], real(fa_r[1:strstrt(fa_r, "|") - 1])))

# One row per activity, in file order from the top; the milestone rows go above them. The
# functions read the current row of activities.csv (their argument is unused: gnuplot
# functions need one). An activity without a finish ends where it failed, or else (running)
# at the last date of the run.
row_y(i) = n_act - i
a_start(x) = when("start")
a_fail(x) = (fa_t = fail_at(strcol("activity")), fa_t == fa_t ? fa_t : last_date)
a_end(x) = strlen(strcol("finish")) >= 10 ? when("finish") : \
           strcol("state") eq "failed" ? a_fail(0) : last_date
drawn(x) = a_start(0) == a_start(0)
zero(x) = a_end(0) == a_start(0)        # sources: start = finish, shown as a diamond
running(x) = strcol("state") eq "running"
is_bar(x) = drawn(0) && !zero(0) && !running(0)
is_run(x) = drawn(0) && !zero(0) && running(0)
is_point(x) = drawn(0) && zero(0)
is_fail(x) = drawn(0) && strcol("state") eq "failed"

# Which clauses have data: gnuplot warns about a plot clause with no points, so only the ones
# with rows are drawn. Also the tic list (activity names, noenhanced), the rows with no bar,
# and the range of the drawn activities.
n_drawn = 0; n_bar = 0; n_run = 0; n_point = 0; n_fail = 0
a_lo = NaN; a_hi = NaN
ytic_list = ""
waiting_rows = ""
if (n_act > 0) {
    stats acts using ( \
        ytic_list = ytic_list . sprintf('"%s" %d, ', strcol("activity"), row_y($0)), \
        d = drawn(0), \
        waiting_rows = waiting_rows . (d ? "" : sprintf("%d ", row_y($0))), \
        n_drawn = n_drawn + d, \
        n_point = n_point + is_point(0), \
        n_run = n_run + is_run(0), \
        n_bar = n_bar + is_bar(0), \
        n_fail = n_fail + is_fail(0), \
        a_lo = d ? (a_lo == a_lo ? min2(a_lo, a_start(0)) : a_start(0)) : a_lo, \
        a_hi = d ? (a_hi == a_hi ? max2(a_hi, a_end(0)) : a_end(0)) : a_hi, \
        0) nooutput
}

title_text = (exists("name") ? name . ": " : "") . "procurement and construction schedule"

if (n_drawn == 0) {
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no activity started in this run" at graph 0.5, graph 0.5 center font ",16"
    do for [fmt in "png svg"] {
        if (fmt eq "png") {
            set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
        } else {
            set terminal svg size 1280,720 font "DejaVu Sans,12"
        }
        set output out . "." . fmt
        plot 2 notitle      # lies above the y range: draws nothing, warns about nothing
    }
    unset output
    if (exists("check")) {
        set print check
        print "empty 1"
        unset print
    }
    exit
}

# Milestones, in file order from the top row: names in a "|" list, dates in word lists
# ("-" when not reached). Their dates widen the x range so the marks always show.
ms_names = "|"
ms_planned = ""
ms_sim = ""
x_lo = min2(X_min, a_lo)
x_hi = max2(X_max, a_hi)
if (n_ms > 0) {
    stats mss using ( \
        ms_names = ms_names . strcol("milestone") . "|", \
        p = when("planned"), s = when("simulated"), \
        ms_planned = ms_planned . (p == p ? sprintf("%.0f ", p) : "- "), \
        ms_sim = ms_sim . (s == s ? sprintf("%.0f ", s) : "- "), \
        x_lo = p == p ? min2(x_lo, p) : x_lo, x_hi = p == p ? max2(x_hi, p) : x_hi, \
        x_lo = s == s ? min2(x_lo, s) : x_lo, x_hi = s == s ? max2(x_hi, s) : x_hi, \
        0) nooutput
}
ms_y(i) = n_act + n_ms + 1 - i

# A narrow margin on the left; more on the right, for the "failed" and "running" notes and
# the slip labels.
x_span = x_hi - x_lo
x_pad = x_span > 0 ? x_span * 0.015 : 86400
set xrange [x_lo - x_pad:x_hi + (x_span > 0 ? x_span * 0.07 : 86400)]
# At least 8 rows' height, the spare at the bottom, so a run with two activities does not get
# bars a third of the chart high.
n_rows = n_act + n_ms
set yrange [n_rows + 0.6 - max2(n_rows, 8):n_rows + 0.6]

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
x_format = x_span <= 3 * 86400 ? "%H:%M\n%d %b" : x_span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

# Row labels shrink with the number of rows so that each fits its row (a 10 GW programme has
# some 70 rows on the 600 or so pixels of plot height); bars are at most 20 pixels thick.
row_px = 590.0 / max2(n_rows, 8)
row_font = sprintf(",%d", max2(6, min2(11, int(row_px * 0.85))))
bar_h = min2(0.34, 10 / row_px)
pt_size = min2(1.5, row_px / 10)

c_stage     = "#1f77b4"
c_source    = "#2ca02c"
c_equipment = "#9467bd"
c_building  = "#8c564b"
c_other     = "#7f7f7f"
c_fail      = "#d62728"
c_plan      = "#555555"
c_sim       = "#ff7f0e"
kind_rgb(k) = k eq "stage" ? 0x1f77b4 : k eq "source" ? 0x2ca02c : \
              k eq "equipment" ? 0x9467bd : k eq "building" ? 0x8c564b : 0x7f7f7f

set title title_text font ",15" noenhanced
set xlabel "Date"
set xdata time
set format x x_format
set xtics nomirror out
set mxtics 2
eval "set ytics (" . ytic_list[1:strlen(ytic_list) - 2] . ")"
set ytics nomirror scale 0 noenhanced font row_font
set grid xtics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
# The key below in small type: the rows need all the height they can get.
set key outside below center horizontal maxcols 4 reverse Left samplen 1.5 width 1 font ",10"
set tmargin 3
set rmargin 4

# Every other activity row shaded, so a bar can be followed to its name across the chart; the
# milestone rows on a band of their own.
do for [i = 0:n_act - 1:2] {
    set object (100 + i) rect from graph 0, first row_y(i) - 0.5 to graph 1, first row_y(i) + 0.5 \
        fc rgb "#f3f3f3" fs solid noborder behind
}
if (n_ms > 0) {
    set object 99 rect from graph 0, first n_act + 0.5 to graph 1, first n_rows + 0.5 \
        fc rgb "#fff3e0" fs solid noborder behind
}

# Activities that never started: a note on their row instead of a bar.
do for [w in waiting_rows] {
    set label "not started (waiting)" at graph 0.005, first real(w) left \
        font row_font tc rgb "#888888" noenhanced
}

# Milestones: a dashed line down the whole chart at the planned date; on the milestone's own
# row a dotted slip line from there to a diamond at the simulated date, with the slip in days.
# Added as arrows and labels so they stay out of the data ranges the check reports.
do for [i = 1:n_ms] {
    p = word(ms_planned, i)
    s = word(ms_sim, i)
    y = ms_y(i)
    if (p ne "-") {
        set arrow from real(p), graph 0 to real(p), graph 1 nohead dt (8,6) lw 1.5 \
            lc rgb c_plan front
    }
    if (s ne "-") {
        if (p ne "-") {
            set arrow from real(p), first y to real(s), first y nohead dt 3 lw 1.5 \
                lc rgb c_sim front
            set label sprintf("%+.0f d", (real(s) - real(p)) / 86400) at real(s), first y \
                left offset char 1, 0 font row_font tc rgb "#222222" front
        }
        set label "" at real(s), first y point pt 13 ps pt_size * 1.1 lc rgb c_sim front
    } else {
        if (p ne "-") {
            set label "not reached" at real(p), first y left offset char 0.8, 0 \
                font row_font tc rgb c_fail front
        }
    }
}
if (n_ms > 0) {
    ms_tics = ""
    do for [i = 1:n_ms] {
        ms_tics = ms_tics . sprintf('"%s" %d, ', nth(ms_names, i), ms_y(i))
    }
    eval "set ytics add (" . ms_tics[1:strlen(ms_tics) - 2] . ")"
}

# The plot: only clauses that have rows (see the counts above), then the key entries. In a
# clause with "fs ... border", the colour goes before "fs": after "border" it would be taken
# for the border's colour alone.
# A bar is x:y:xlow:xhigh:ylow:yhigh:colour; x is the start, so the box alone sets the range.
box = ':(row_y($0)):(a_start(0)):(a_end(0)):(row_y($0) - bar_h):(row_y($0) + bar_h)' . \
      ':(kind_rgb(strcol("kind")))'
clauses = ''
sep = ''
if (n_bar > 0) {
    clauses = clauses . sep . 'acts using (is_bar(0) ? a_start(0) : NaN)' . box . \
        ' with boxxyerror fs solid 0.85 noborder lc rgb variable notitle'
    sep = ', '
}
if (n_run > 0) {
    clauses = clauses . sep . 'acts using (is_run(0) ? a_start(0) : NaN)' . box . \
        ' with boxxyerror lc rgb variable fs transparent solid 0.3 border notitle' . \
        ', acts using (is_run(0) ? a_end(0) : NaN):(row_y($0)):("running") with labels' . \
        ' left offset char 0.6, 0 font row_font tc rgb "#444444" notitle'
    sep = ', '
}
if (n_point > 0) {
    clauses = clauses . sep . 'acts using (is_point(0) ? a_start(0) : NaN):(row_y($0))' . \
        ':(kind_rgb(strcol("kind"))) with points pt 13 ps pt_size lc rgb variable notitle'
    sep = ', '
}
if (n_fail > 0) {
    clauses = clauses . sep . 'acts using (is_fail(0) ? a_end(0) : NaN):(row_y($0))' . \
        ' with points pt 2 ps pt_size * 1.3 lw 2.5 lc rgb c_fail notitle' . \
        ', acts using (is_fail(0) ? a_end(0) : NaN):(row_y($0)):("failed") with labels' . \
        ' left offset char 1.2, 0 font row_font tc rgb c_fail notitle'
    sep = ', '
}
keys = 'keyentry with boxes fs solid 0.85 noborder lc rgb c_stage title "stage", ' . \
       'keyentry with boxes fs solid 0.85 noborder lc rgb c_equipment title "equipment", ' . \
       'keyentry with boxes fs solid 0.85 noborder lc rgb c_building title "building", ' . \
       'keyentry with points pt 13 ps 1.5 lc rgb c_source title "source online"'
if (n_run > 0) {
    keys = keys . ', keyentry with boxes lc rgb c_other fs transparent solid 0.3 border' . \
                  ' title "running"'
}
if (n_fail > 0) {
    keys = keys . ', keyentry with points pt 2 ps 2 lw 2.5 lc rgb c_fail title "failed"'
}
if (n_ms > 0) {
    keys = keys . ', keyentry with lines dt (8,6) lw 1.5 lc rgb c_plan title "planned milestone"' . \
                  ', keyentry with points pt 13 ps 1.6 lc rgb c_sim title "simulated milestone"'
}

do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot @clauses, @keys
    if (fmt eq "png" && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        print sprintf("rows %d", n_drawn)
        unset print
    }
}
unset output
