# gpus.gp: the state of the GPU fleet over calendar time: GPUs up and GPUs idle in the main
# (upper) panel, GPUs in repair and GPUs stuck in a lower panel with its own scale. The lower
# counts are a few hundred against hundreds of thousands up: on a shared axis they would be a
# line along zero.
#
#   gnuplot -e "in='out/x'; out='out/x/gpus'" plots/gpus.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* of each panel of the PNG:
#
#   empty        1 when gpus_up, gpus_idle, gpus_in_repair and gpus_stuck are 0 in every row
#                of timeseries.csv (the chart then only says "no GPUs in this run" and no
#                other line follows); else 0 and the lines below
#   x_min        the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max        the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min        main panel: the smallest gpus_up or gpus_idle over all rows
#   y_max        main panel: the largest gpus_up or gpus_idle over all rows (the largest
#                gpus_up: idle GPUs are up)
#   lower_y_min  lower panel: the smallest gpus_in_repair or gpus_stuck over all rows
#   lower_y_max  lower panel: the largest gpus_in_repair or gpus_stuck over all rows
#
# x_min and x_max are those of the main panel; the lower panel draws the same rows. Values are
# printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
#
# Uses from timeseries.csv: date, gpus_up, gpus_idle, gpus_in_repair ("failed": down now,
# being repaired or swapped), gpus_stuck (held by a finished job). gpus_failed is cumulative
# and not drawn.

if (!exists("in")) {
    exit error "gpus.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "gpus.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
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

# Ranges come before "set xdata time": stats does not work in time mode. Each panel's y range
# is fixed from them with headroom; every drawn value lies inside it, so GPVAL_DATA_* still
# reports the data (and an all-zero panel does not trip gnuplot's empty-range warning).
stats ts using (when("date")) name "X" nooutput
stats ts using (max2(column("gpus_up"), column("gpus_idle"))) name "UHI" nooutput
stats ts using (min2(column("gpus_up"), column("gpus_idle"))) name "ULO" nooutput
stats ts using (max2(column("gpus_in_repair"), column("gpus_stuck"))) name "LHI" nooutput
stats ts using (min2(column("gpus_in_repair"), column("gpus_stuck"))) name "LLO" nooutput
empty = (UHI_max == 0 && ULO_min == 0 && LHI_max == 0 && LLO_min == 0)

title_text = (exists("name") ? name . ": " : "") . "GPU fleet: up, idle, in repair and stuck"

if (empty) {
    # Runs that model power only: say so instead of drawing four lines along zero.
    set title title_text font ",15" noenhanced
    unset border
    unset tics
    unset key
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no GPUs in this run" at graph 0.5, graph 0.5 center font ",16"
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

up_top = UHI_max > 0 ? UHI_max * 1.06 : 1
up_bot = ULO_min < 0 ? ULO_min * 1.06 : 0
lo_top = LHI_max > 0 ? LHI_max * 1.12 : 1
lo_bot = LLO_min < 0 ? LLO_min * 1.12 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

c_up     = "#1f77b4"
c_idle   = "#444444"
c_repair = "#ff7f0e"
c_stuck  = "#9467bd"

set xdata time
if (span > 0) {
    set autoscale xfix
} else {
    set xrange [X_min - 3600:X_max + 3600]   # one sample: an hour either side
}
set ytics nomirror
set format y "%.0f"
set xtics nomirror out
set mxtics 2
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
# Keys right of each panel, at one left edge: they never cover data (the panels end at 0.80
# of the width), and each sits by its own curves.
set key vertical reverse Left samplen 2.5 width 1 font ",11"

# The panels share the left and right edges at fixed screen positions, so their date axes line
# up exactly; only the lower panel labels the dates. Counts change at events and hold until
# the next, so they are drawn as steps.
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    set multiplot title title_text font ",15" noenhanced
    set lmargin at screen 0.08
    set rmargin at screen 0.80

    set tmargin at screen 0.90
    set bmargin at screen 0.40
    set format x ""
    unset xlabel
    set yrange [up_bot:up_top]
    if (up_top <= 5) { set ytics 1 } else { set ytics autofreq }    # counts: whole tics
    set ylabel "GPUs"
    set key at screen 0.815, screen 0.90 left top
    plot \
        ts using (when("date")):(column("gpus_up")) with steps \
            lw 2.5 lc rgb c_up title "up", \
        ts using (when("date")):(column("gpus_idle")) with steps \
            lw 2 dt (8,4) lc rgb c_idle title "idle (up, unused)"
    main_x_min = GPVAL_DATA_X_MIN
    main_x_max = GPVAL_DATA_X_MAX
    main_y_min = GPVAL_DATA_Y_MIN
    main_y_max = GPVAL_DATA_Y_MAX

    set tmargin at screen 0.36
    set bmargin at screen 0.12
    set format x x_format
    set xlabel "Date"
    set yrange [lo_bot:lo_top]
    if (lo_top <= 5) { set ytics 1 } else { set ytics autofreq }
    set ylabel "GPUs"
    set key at screen 0.815, screen 0.36 left top
    if (LHI_max == 0) {
        set label 2 "no GPU in repair or stuck in this run" at graph 0.5, graph 0.5 center \
            tc rgb "#555555"
    }
    plot \
        ts using (when("date")):(column("gpus_in_repair")) with steps \
            lw 1.8 lc rgb c_repair title "in repair (failed)", \
        ts using (when("date")):(column("gpus_stuck")) with steps \
            lw 1.8 lc rgb c_stuck title "stuck (held by done job)"
    unset label 2
    unset multiplot

    if (fmt eq "png" && exists("check")) {
        set print check
        print "empty 0"
        print sprintf("x_min %.10g", main_x_min)
        print sprintf("x_max %.10g", main_x_max)
        print sprintf("y_min %.10g", main_y_min)
        print sprintf("y_max %.10g", main_y_max)
        print sprintf("lower_y_min %.10g", GPVAL_DATA_Y_MIN)
        print sprintf("lower_y_max %.10g", GPVAL_DATA_Y_MAX)
        unset print
    }
}
unset output
