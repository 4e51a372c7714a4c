# fan.gp: how much IT power is energized, and how sure that is, over calendar time. The band
# is the middle 80% of the Monte Carlo futures (P10 to P90 of energized IT MW at each date),
# the line their median; each planned milestone is marked where the plan puts it, so a reader
# sees at once whether the band passes the plan or runs under it.
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/fan'" plots/fan.gp
#
# in (required) the output directory of `dcsim mc`: uses bands.csv (date,
# it_energized_mw_p10, it_energized_mw_p50, it_energized_mw_p90) and milestones.csv
# (milestone, metric, threshold, planned, p80). out (required) the path without extension:
# writes out.png, then out.svg. name (optional) scenario name for the title. check
# (optional) a file for the data-check lines. Columns are found by their header names.
#
# Check lines (one "key value" per line, numbers printed with %.10g; dates are seconds since
# 1970-01-01 00:00 UTC, as gnuplot reads them):
#   empty    = 0 (bands.csv always has rows; a scenario with no IT gets a note, not empty)
#   x_min    = the earliest bands.csv `date` (its first row)
#   x_max    = the latest bands.csv `date` (its last row)
#   y_min    = min over the rows of it_energized_mw_p10
#   y_max    = max over the rows of it_energized_mw_p90
#   rows     = bands.csv rows with a date
#   markers  = milestones.csv rows with a planned date (each one is marked)
# x_min .. y_max are gnuplot's GPVAL_DATA_* of the plot (the P50 line lies inside the band).
# The milestone marks are labels, arrows and objects, which do not enter GPVAL_DATA_*, and
# the axes are set wide enough to hold every row. Milestone names with spaces are not
# supported.

if (!exists("in")) {
    exit error "fan.gp: give in='<dir>' (dcsim mc output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "fan.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
}
bands = in . "/bands.csv"
mst = in . "/milestones.csv"

set datafile separator comma

# Data rows of each file. Read with no header row the header is a row too (taken off again):
# stats warns on a file without data rows, and this way there is always one.
set datafile nocolumnheaders
stats bands using (0) name "BR" nooutput
stats mst using (0) name "MS" nooutput
set datafile columnheaders      # row 1 names the columns; column("x") looks them up
if (BR_records < 2) {
    exit error sprintf("fan.gp: %s has no rows", bands)
}
n_ms = MS_records - 1

# Dates are "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; an empty field (a quantile never
# reached) becomes NaN. The x axis stays numeric (seconds) and only its tic labels are dates
# ("timedate" below), so stats works anywhere and set arrow/label take plain numbers.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
num(v) = v == int(v) ? sprintf("%.0f", v) : sprintf("%g", v)

stats bands using (when("date")) name "T" nooutput
stats bands using (column("it_energized_mw_p10")) name "LO" nooutput
stats bands using (column("it_energized_mw_p90")) name "HI" nooutput

# The milestones, read once into arrays (gnuplot 5.4 assigns array elements inside an
# expression). Only the thresholds of metric it_energized_mw are in MW, on this y axis.
array ms_name[max(n_ms, 1)]
array ms_metric[max(n_ms, 1)]
array ms_thr[max(n_ms, 1)]
array ms_plan[max(n_ms, 1)]
array ms_p80[max(n_ms, 1)]
if (n_ms > 0) {
    stats mst using (i = int($0) + 1, ms_name[i] = strcol("milestone"), \
        ms_metric[i] = strcol("metric"), ms_thr[i] = column("threshold"), \
        ms_plan[i] = when("planned"), ms_p80[i] = when("p80"), 0) nooutput
}
is_mw(i) = ms_metric[i] eq "it_energized_mw" && ms_thr[i] == ms_thr[i]
n_marks = 0
n_other = 0
do for [i = 1:n_ms] {
    if (ms_plan[i] == ms_plan[i]) {
        n_marks = n_marks + 1
        if (!is_mw(i)) { n_other = n_other + 1 }
    }
}

# Axes: every band row is inside them (so GPVAL_DATA_* are the data's own extremes), and so
# is every mark: a plan may lie before the first sample or past the horizon.
x_lo = T_min
x_hi = T_max
y_hi = HI_max
do for [i = 1:n_ms] {
    if (ms_plan[i] == ms_plan[i]) { x_lo = min(x_lo, ms_plan[i]); x_hi = max(x_hi, ms_plan[i]) }
    if (ms_p80[i] == ms_p80[i]) { x_hi = max(x_hi, ms_p80[i]) }
    if (is_mw(i)) { y_hi = max(y_hi, ms_thr[i]) }
}
if (x_hi <= x_lo) x_hi = x_lo + 86400
if (y_hi <= 0) y_hi = 1
# The top 22% is kept for the rows of milestones not in MW when there are any, else 8% for
# the name over the highest MW mark.
y_top = y_hi / (n_other > 0 ? 0.78 : 0.92)
x_pad = (x_hi - x_lo) * 0.02

c_band = "#1f77b4"
c_plan = "#333333"
c_p80  = "#ff7f0e"

# Marks: a planned MW milestone is a dot at (planned date, threshold), with a dotted slip
# line along the threshold to an orange diamond at its P80 date (the date by which 80% of the
# futures reached it). Another metric has no place on a MW axis: a dashed line at the planned
# date up to a row at the top with its name, and the same slip line and diamond in that row.
# Rows are staggered so that close dates do not overprint; each name starts at its planned
# date, just above its line.
n_rows = 3
row_y(k) = y_top * (0.95 - 0.055 * (k % n_rows))

set title (exists("name") ? name . ": " : "") . \
    "energized IT power across the Monte Carlo futures" font ",15" noenhanced
set xlabel "Date"
set ylabel "Energized IT power (MW)"
# Month tics for long horizons; a short one (the test scenarios run a few months) needs days.
if (x_hi - x_lo > 400 * 86400) {
    set format x "%b\n%Y" timedate
} else {
    set format x "%d %b\n%Y" timedate
}
set xtics time nomirror out
set mxtics 3
set xrange [x_lo - x_pad : x_hi + x_pad]
set yrange [min(0, LO_min) : y_top]
set format y "%g"
set ytics nomirror
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal maxrows 1 reverse Left samplen 2.5 width 1 font ",11"
set tmargin 3
set rmargin 6

# The band is drawn first and translucent so the grid shows through it. A macro: expanded
# when the loop below is read, so it is built before.
chart = 'plot ' . \
    'bands using (when("date")):(column("it_energized_mw_p10")):(column("it_energized_mw_p90"))' . \
    '    with filledcurves fs transparent solid 0.25 noborder lc rgb c_band' . \
    '    title "P10 to P90 of the futures",' . \
    'bands using (when("date")):(column("it_energized_mw_p50")) with lines' . \
    '    lw 2.5 lc rgb c_band title "P50 (median)",' . \
    'keyentry with points pt 13 ps 1.5 * ps_k lc rgb c_p80' . \
    '    title "P80 date (80% of futures reached it)"'
# Key entries for the kinds of planned mark on the chart: the dot (MW milestones), the dashed
# line (the others).
if (n_marks - n_other > 0) {
    chart = chart . ', keyentry with points pt 7 ps 1.2 * ps_k lc rgb c_plan' . \
        ' title "planned milestone (MW)"'
}
if (n_other > 0) {
    chart = chart . ', keyentry with lines dt (8, 6) lw 1.5 lc rgb c_plan' . \
        ' title "planned milestone (other metric)"'
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
    unset object

    # A supply-only scenario energizes no IT: say so rather than leave a flat line unexplained.
    if (HI_max <= 0) {
        set label "no IT power is energized in any future (a supply-only scenario?)" \
            at graph 0.5, graph 0.45 center font ",12" tc rgb "#555555"
    }
    k_top = 0
    do for [i = 1:n_ms] {
        if (ms_plan[i] == ms_plan[i]) {
            if (is_mw(i)) {
                y_m = ms_thr[i]
                set label sprintf("%s (%s MW)", ms_name[i], num(ms_thr[i])) at ms_plan[i], y_m \
                    left offset char 0.2, 0.9 font ",10" tc rgb "#222222" noenhanced front
                set object circle at ms_plan[i], y_m size char 0.45 \
                    fs solid 1.0 noborder fc rgb c_plan front
            } else {
                y_m = row_y(k_top)
                k_top = k_top + 1
                set arrow from ms_plan[i], graph 0 to ms_plan[i], first y_m nohead \
                    dt (8, 6) lw 1.5 lc rgb c_plan back
                set label sprintf("%s (%s ≥ %s)", ms_name[i], ms_metric[i], num(ms_thr[i])) \
                    at ms_plan[i], y_m left offset char 0.2, 0.75 font ",10" tc rgb "#222222" \
                    noenhanced front
            }
            if (ms_p80[i] == ms_p80[i]) {
                if (ms_p80[i] != ms_plan[i]) {
                    set arrow from ms_plan[i], y_m to ms_p80[i], y_m nohead dt 3 lw 1.5 \
                        lc rgb c_p80 front
                }
                set label "" at ms_p80[i], y_m point pt 13 ps 1.8 * ps_k lc rgb c_p80 front
            }
        }
    }

    @chart

    if (pass == 1 && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
        print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        print sprintf("rows %d", T_records)
        print sprintf("markers %d", n_marks)
        unset print
    }
}
unset output
