# pipeline.gp: the rack pipeline over calendar time. Racks are delivered, installed,
# commissioned and energized; a commissioned rack that waits for power is stranded. The gaps
# between the curves are the racks waiting at each step, so a stalled step shows as a
# widening gap, and power arriving late shows as a stranded hump.
#
#   gnuplot -e "in='out/x'; out='out/x/pipeline'" plots/pipeline.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* after the PNG is drawn:
#
#   empty  1 when racks_delivered, racks_installed, racks_energized and racks_stranded are 0
#          in every row of timeseries.csv (the chart then only says "no racks in this run"
#          and no other line follows); else 0 and the lines below
#   x_min  the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max  the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min  the smallest value of the four columns over all rows (0 in practice)
#   y_max  the largest value of the four columns over all rows; racks_delivered bounds the
#          other three, so this is the largest racks_delivered
#
# Values are printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
#
# Uses from timeseries.csv: date, racks_delivered, racks_installed, racks_energized,
# racks_stranded.

if (!exists("in")) {
    exit error "pipeline.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "pipeline.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
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

# Ranges come before "set xdata time": stats does not work in time mode. The y range is
# fixed from them with headroom; every drawn value lies inside it, so GPVAL_DATA_* still
# reports the data (and an all-zero run does not trip gnuplot's empty-range warning).
stats ts using (when("date")) name "X" nooutput
stats ts using (max2(max2(column("racks_delivered"), column("racks_installed")), \
                     max2(column("racks_energized"), column("racks_stranded")))) \
    name "YHI" nooutput
stats ts using (min2(min2(column("racks_delivered"), column("racks_installed")), \
                     min2(column("racks_energized"), column("racks_stranded")))) \
    name "YLO" nooutput
empty = (YHI_max == 0 && YLO_min == 0)

title_text = (exists("name") ? name . ": " : "") . "rack pipeline"

if (empty) {
    # Runs that model power only: say so instead of drawing four lines along zero.
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no racks in this run" at graph 0.5, graph 0.5 center font ",16"
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

y_top = YHI_max * 1.06
y_bot = YLO_min < 0 ? YLO_min * 1.06 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

c_delivered = "#7f7f7f"
c_installed = "#1f77b4"
c_energized = "#2ca02c"
c_stranded  = "#d62728"

set title title_text font ",15" noenhanced
set xlabel "Date"
set ylabel "Racks"
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

# Counts change at events between samples, and a rack count holds until the next change, so
# the curves are drawn as steps. Delivered is drawn first and widest: installed and energized
# often run along it, and the later, narrower lines stay visible on top.
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot \
        ts using (when("date")):(column("racks_delivered")) with steps \
            lw 5 lc rgb c_delivered title "delivered", \
        ts using (when("date")):(column("racks_installed")) with steps \
            lw 3 lc rgb c_installed title "installed", \
        ts using (when("date")):(column("racks_energized")) with steps \
            lw 1.8 lc rgb c_energized title "energized", \
        ts using (when("date")):(column("racks_stranded")) with steps \
            lw 2 lc rgb c_stranded title "stranded (waiting for power)"
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
