# costs.gp: the money of one run over calendar time. Capital deployed and the value of the
# GPU-hours delivered climb on the left axis (value catching up with capital is the payback
# the reader looks for); the running costs, stranded and idle carrying cost of dark racks and
# energy, are stacked on the right axis, since they are two orders of magnitude smaller.
#
#   gnuplot -e "in='out/x'; out='out/x/costs'" plots/costs.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* after the PNG is drawn:
#
#   empty   1 when capex_musd, value_delivered_musd, stranded_cost_musd, idle_cost_musd and
#           energy_cost_musd are 0 in every row (the chart then only says so and no other
#           line follows); else 0 and the lines below
#   x_min   the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max   the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min   the smallest capex_musd or value_delivered_musd over all rows (MUSD)
#   y_max   the largest capex_musd or value_delivered_musd over all rows (MUSD)
#   y2_min  min over rows of min(0, s, s + i, s + i + e), with s, i, e the stranded, idle and
#           energy cost of the row: the edges of the stacked bands (MUSD)
#   y2_max  max over rows of max(0, s, s + i, s + i + e)
#
# Values are printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
# All five columns are cumulative from the start of the run, in millions of US dollars
# (MUSD). The carrying costs are never negative; energy can be (negative prices), and then
# its band folds back under the idle one and the stack top is still the sum.

if (!exists("in")) {
    exit error "costs.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "costs.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
}
ts = in . "/timeseries.csv"

set datafile separator comma
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The date column is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". Parsing the time of day when it
# is there keeps sub-daily samples from stacking on midnight.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
max2(a, b) = a > b ? a : b
min2(a, b) = a < b ? a : b

# Edges of the stacked running costs: after 0, 1, 2 or 3 bands (stranded, idle, energy).
edge(k) = k == 0 ? 0 : k == 1 ? column("stranded_cost_musd") : \
          k == 2 ? column("stranded_cost_musd") + column("idle_cost_musd") : \
          column("stranded_cost_musd") + column("idle_cost_musd") + column("energy_cost_musd")

# Ranges come before "set xdata time": stats does not work in time mode. Every value is
# written on every row, so stats finds valid points in each column.
stats ts using (when("date")) name "X" nooutput
stats ts using (max2(column("capex_musd"), column("value_delivered_musd"))) name "YHI" nooutput
stats ts using (min2(column("capex_musd"), column("value_delivered_musd"))) name "YLO" nooutput
stats ts using (max2(max2(edge(1), edge(2)), max2(edge(3), 0))) name "Y2HI" nooutput
stats ts using (min2(min2(edge(1), edge(2)), min2(edge(3), 0))) name "Y2LO" nooutput
stats ts using (abs(column("stranded_cost_musd")) + abs(column("idle_cost_musd")) + \
                abs(column("energy_cost_musd"))) name "RUN" nooutput
empty = (YHI_max == 0 && YLO_min == 0 && RUN_max == 0)

title_text = (exists("name") ? name . ": " : "") . \
    "capital, value delivered and running costs (cumulative)"

if (empty) {
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no cost and no value in this run (every price is 0)" at graph 0.5, \
        graph 0.5 center font ",16"
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

# The figures at the last row, for the title.
stats ts using (last_capex = column("capex_musd"), last_value = column("value_delivered_musd"), \
                last_s = column("stranded_cost_musd"), last_i = column("idle_cost_musd"), \
                last_e = column("energy_cost_musd"), last_date = strcol("date"), 0) nooutput
last_run = last_s + last_i + last_e

# Fixed ranges with headroom, 0 always in view: every drawn value lies inside them, so
# GPVAL_DATA_* still reports the data, and an all-zero axis does not trip gnuplot's
# empty-range warning.
y_top = YHI_max > 0 ? YHI_max * 1.08 : 1
y_bot = YLO_min < 0 ? YLO_min * 1.08 : 0
y2_top = Y2HI_max > 0 ? Y2HI_max * 1.08 : 1
y2_bot = Y2LO_min < 0 ? Y2LO_min * 1.08 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

c_capex    = "#1f3a93"
c_value    = "#2ca02c"
c_stranded = "#d62728"
c_idle     = "#ff9896"
c_energy   = "#f2b701"
c_running  = "#b04a00"

# Money in the title: whole millions with thousands separators when large, three significant
# digits when small (a test scenario's value can be a few hundred dollars).
grouped(n) = n < 1000 ? sprintf("%d", n) : grouped(n / 1000) . sprintf(",%03d", n % 1000)
money(v) = abs(v) >= 100 ? (v < 0 ? "-" : "") . grouped(int(abs(v) + 0.5)) : sprintf("%.3g", v)
# The last date, with its time of day when the run is short.
last_when = span <= 3 * 86400 && strlen(last_date) >= 16 ? \
    last_date[1:10] . " " . last_date[12:16] : last_date[1:10]
set title title_text . "\n" . sprintf("by %s: capital %s, value delivered %s, running " . \
    "costs %s (stranded %s, idle %s, energy %s), MUSD", last_when, money(last_capex), \
    money(last_value), money(last_run), money(last_s), money(last_i), money(last_e)) \
    font ",14" noenhanced
set ylabel "Capital deployed, value delivered (MUSD)"
set y2label "Running costs, stacked (MUSD)" tc rgb c_running
set xdata time
set format x x_format
if (span > 0) {
    set autoscale xfix
} else {
    set xrange [X_min - 3600:X_max + 3600]   # one sample: an hour either side
}
set yrange [y_bot:y_top]
set y2range [y2_bot:y2_top]
set format y "%g"
set format y2 "%g"
set ytics nomirror
set y2tics nomirror tc rgb c_running
set xtics nomirror out
set mxtics 2
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 11 lc rgb "#444444"
set key outside below center horizontal maxcols 3 reverse Left samplen 2 width 1 font ",11"

# The bands first, under the two lines of the left axis; their key entries come after those of
# the lines, so the key reads left axis, then right axis.
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot \
        ts using (when("date")):(edge(0)):(edge(1)) axes x1y2 with filledcurves \
            fs solid 0.8 noborder lc rgb c_stranded notitle, \
        ts using (when("date")):(edge(1)):(edge(2)) axes x1y2 with filledcurves \
            fs solid 0.8 noborder lc rgb c_idle notitle, \
        ts using (when("date")):(edge(2)):(edge(3)) axes x1y2 with filledcurves \
            fs solid 0.8 noborder lc rgb c_energy notitle, \
        ts using (when("date")):(column("capex_musd")) with lines \
            lw 3 lc rgb c_capex title "capital deployed (left)", \
        ts using (when("date")):(column("value_delivered_musd")) with lines \
            lw 3 lc rgb c_value title "value of GPU-hours delivered (left)", \
        keyentry with filledcurves fs solid 0.8 noborder lc rgb c_stranded \
            title "stranded racks' carrying cost (right)", \
        keyentry with filledcurves fs solid 0.8 noborder lc rgb c_idle \
            title "idle racks' carrying cost (right)", \
        keyentry with filledcurves fs solid 0.8 noborder lc rgb c_energy \
            title "energy (right)"
    if (fmt eq "png" && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
        print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        print sprintf("y2_min %.10g", GPVAL_DATA_Y2_MIN)
        print sprintf("y2_max %.10g", GPVAL_DATA_Y2_MAX)
        unset print
    }
}
unset output
