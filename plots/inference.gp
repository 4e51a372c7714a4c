# inference.gp: inference served against inference demand over calendar time. Demand is what
# the inference workloads want; served is what the scheduler could give them from the GPUs up
# and not held by training. The hatched gap between the two is demand left unserved.
#
#   gnuplot -e "in='out/x'; out='out/x/inference'" plots/inference.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* after the PNG is drawn:
#
#   empty  1 when inference_served_gpus + inference_unserved_gpus is 0 in every row of
#          timeseries.csv (the chart then only says "no inference in this run" and no other
#          line follows); else 0 and the lines below
#   x_min  the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max  the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min  the smallest over all rows of min(0, inference_served_gpus) (0: the served area
#          is drawn up from 0)
#   y_max  the largest over all rows of inference_served_gpus + inference_unserved_gpus
#          (demand)
#
# Values are printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
#
# Uses from timeseries.csv: date, inference_served_gpus, inference_unserved_gpus (demand =
# served + unserved).

if (!exists("in")) {
    exit error "inference.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "inference.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
}
ts = in . "/timeseries.csv"

set datafile separator comma
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The date column is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". Parsing the time of day when it
# is there keeps sub-daily samples from stacking on midnight.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
# Demand of the current row (gnuplot functions take an argument; this one ignores it).
demand(x) = column("inference_served_gpus") + column("inference_unserved_gpus")

# Ranges come before "set xdata time": stats does not work in time mode. The y range is
# fixed from them with headroom; every drawn value lies inside it, so GPVAL_DATA_* still
# reports the data.
stats ts using (when("date")) name "X" nooutput
stats ts using (demand(0)) name "D" nooutput
stats ts using (s = column("inference_served_gpus"), s < 0 ? s : 0) name "S" nooutput
stats ts using (abs(column("inference_served_gpus")) + abs(column("inference_unserved_gpus"))) \
    name "ANY" nooutput
empty = (ANY_max == 0)

title_text = (exists("name") ? name . ": " : "") . "inference served and demand"

if (empty) {
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no inference in this run" at graph 0.5, graph 0.5 center font ",16"
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

y_top = D_max > 0 ? D_max * 1.08 : 1
y_bot = S_min < 0 ? S_min * 1.08 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

c_served   = "#2ca02c"
c_unserved = "#d62728"
c_demand   = "#222222"

set title title_text font ",15" noenhanced
set xlabel "Date"
set ylabel "GPUs"
set xdata time
set format x x_format
if (span > 0) {
    set autoscale xfix
} else {
    set xrange [X_min - 3600:X_max + 3600]   # one sample: an hour either side
}
set yrange [y_bot:y_top]
set format y "%.0f"
set ytics nomirror
set xtics nomirror out
set mxtics 2
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal maxrows 1 reverse Left samplen 2.5 width 1 font ",11"
set tmargin 3
set rmargin 6

# Served is an area up from 0, unserved a hatched band from served up to demand, and demand a
# line along the top, all between samples as recorded.
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot \
        ts using (when("date")):(0):(column("inference_served_gpus")) with filledcurves \
            fs transparent solid 0.35 noborder lc rgb c_served notitle, \
        ts using (when("date")):(column("inference_served_gpus")):(demand(0)) with filledcurves \
            fs transparent pattern 4 noborder lc rgb c_unserved title "unserved", \
        ts using (when("date")):(column("inference_served_gpus")) with lines \
            lw 2.5 lc rgb c_served title "served", \
        ts using (when("date")):(demand(0)) with lines \
            lw 1.8 dt (8,4) lc rgb c_demand title "demand (served + unserved)"
    if (fmt eq "png" && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
        print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        unset print
    }
}
unset output
