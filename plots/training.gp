# training.gp: training progress over calendar time. The work done by the training jobs
# (PFLOP, left axis) climbs while they run and flattens when power, failures or a finished job
# stop it; goodput (right axis) is the share of the jobs' wall time that was useful, so a
# failure-ridden run shows as a falling goodput under a slowing climb.
#
#   gnuplot -e "in='out/x'; out='out/x/training'" plots/training.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* after the PNG is drawn:
#
#   empty   1 when jobs.csv has no job rows (the chart then only says "no training job in
#           this run" and no other line follows); else 0 and the lines below
#   x_min   the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max   the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min   the smallest train_pflop_done over all rows (PFLOP, as in the CSV)
#   y_max   the largest train_pflop_done over all rows (PFLOP, as in the CSV)
#   y2_min  the smallest non-empty train_goodput (0..1); only when some row has one
#   y2_max  the largest non-empty train_goodput (0..1); only when some row has one
#
# train_pflop_done is written on every row, so the x range is that of the whole run. Values
# are printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
#
# Uses from timeseries.csv: date, train_pflop_done (all jobs together), train_goodput (empty
# until a job starts); from jobs.csv: flop_total (FLOP; 1 PFLOP = 1e15 FLOP), summed over the
# jobs for the dashed "job total" line. The line is drawn only when it is at most 4 times the
# work done, so that an unfinished giant job does not flatten the curve to nothing; the title
# always gives the share done.

if (!exists("in")) {
    exit error "training.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "training.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
}
ts = in . "/timeseries.csv"
jobs = in . "/jobs.csv"

set datafile separator comma

# Count the jobs without a warning: with the header read as a row, a constant expression is
# valid on every line, so a file holding only its header counts 1 and draws no complaint.
set datafile nocolumnheaders
stats jobs using (1) name "JOBLINES" nooutput
n_jobs = JOBLINES_records - 1
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

title_text = (exists("name") ? name . ": " : "") . "training progress and goodput"

if (n_jobs <= 0) {
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no training job in this run" at graph 0.5, graph 0.5 center font ",16"
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

# The date column is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". Parsing the time of day when it
# is there keeps sub-daily samples from stacking on midnight.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)

# Ranges and totals come before "set xdata time": stats does not work in time mode. Goodput is
# empty before the first job starts and may be empty throughout (a job that never got GPUs):
# it is counted with an expression that is valid on every row, so stats does not warn, and the
# goodput curve is left out when there is none.
flop_total = 0
stats jobs using (flop_total = flop_total + column("flop_total"), 0) nooutput
total_pf = flop_total / 1e15
stats ts using (when("date")) name "X" nooutput
last_pf = 0
stats ts using (last_pf = column("train_pflop_done")) name "Y" nooutput
n_good = 0
stats ts using (g = column("train_goodput"), n_good = n_good + (g == g ? 1 : 0), 0) nooutput

show_total = (total_pf > 0 && total_pf <= 4 * Y_max)
y_top = (show_total && total_pf > Y_max ? total_pf : Y_max) * 1.08
y_top = y_top > 0 ? y_top : 1
y_bot = Y_min < 0 ? Y_min * 1.08 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

c_work    = "#1f77b4"
c_total   = "#555555"
c_goodput = "#ff7f0e"

# Big numbers as 5.00e11 in the (plain text) title, small ones whole.
num(v) = abs(v) >= 1e6 ? gprintf("%.2t", v) . "e" . gprintf("%T", v) : sprintf("%.0f", v)
pct = total_pf > 0 ? 100 * last_pf / total_pf : 0
share = total_pf <= 0 ? "" : pct > 0 && pct < 0.1 ? sprintf(" (%.2g%%)", pct) : sprintf(" (%.1f%%)", pct)
set title title_text . "\n" . sprintf("%s of %s PFLOP done%s, %d job%s", \
    num(last_pf), num(total_pf), share, n_jobs, n_jobs == 1 ? "" : "s") font ",15" noenhanced
set xlabel "Date"
set ylabel "Training work done (PFLOP)"
set y2label "Goodput (useful / wall time)"
set xdata time
set format x x_format
if (span > 0) {
    set autoscale xfix
} else {
    set xrange [X_min - 3600:X_max + 3600]   # one sample: an hour either side
}
# Every drawn value lies inside these fixed ranges, so GPVAL_DATA_* still reports the data.
set yrange [y_bot:y_top]
set y2range [0:1.05]
# %h prints 5e+11 as 5×10^11 (enhanced text; utf8 for the ×) and small numbers plainly.
set encoding utf8
set format y "%h"
set format y2 "%.1f"
set ytics nomirror
set y2tics 0.2 nomirror tc rgb c_goodput
set xtics nomirror out
set mxtics 2
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 11 lc rgb "#444444"
set key outside below center horizontal maxrows 1 reverse Left samplen 2.5 width 1 font ",11"
set rmargin 10

if (show_total) {
    set arrow 1 from graph 0, first total_pf to graph 1, first total_pf nohead \
        dt (8,6) lw 1.5 lc rgb c_total
    set label 1 sprintf("job total %s PFLOP", num(total_pf)) at graph 0.01, first total_pf \
        left offset 0, char 0.7 font ",10" tc rgb c_total noenhanced
}

if (Y_max == 0 && n_good == 0) {
    set label 2 "no job has started: no training work done" at graph 0.5, graph 0.5 center \
        font ",14" tc rgb "#555555"
}

goodput_plot = ''
if (n_good > 0) {
    goodput_plot = ', ts using (when("date")):(column("train_goodput")) axes x1y2' . \
                   '    with lines lw 2 lc rgb c_goodput title "goodput (right axis)"'
}

do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot \
        ts using (when("date")):(column("train_pflop_done")) with lines \
            lw 2.5 lc rgb c_work title "work done (left axis)" \
        @goodput_plot
    if (fmt eq "png" && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
        print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        if (n_good > 0) {
            print sprintf("y2_min %.10g", GPVAL_DATA_Y2_MIN)
            print sprintf("y2_max %.10g", GPVAL_DATA_Y2_MAX)
        }
        unset print
    }
}
unset output
