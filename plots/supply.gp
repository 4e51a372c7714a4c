# supply.gp: where the power comes from. Each source's supply is stacked as a filled band, so
# the reader sees which source carries the campus at any date, with facility demand and the
# available supply drawn over the stack as lines.
#
#   gnuplot -e "in='out/x'; out='out/x/supply'" plots/supply.gp
#
# in (required) a run's output directory; out (required) the output path without extension:
# the script writes out.png and then out.svg, the same chart. name (optional) scenario name for
# the title. check (optional) a file to which the data ranges of the drawn chart are written,
# one "key value" per line, from gnuplot's GPVAL_DATA_* after the PNG is drawn:
#
#   empty  0 (this chart is never empty: timeseries.csv always has rows)
#   x_min  the earliest date of timeseries.csv (its first row), seconds since 1970 UTC
#   x_max  the latest date of timeseries.csv (its last row), seconds since 1970 UTC
#   y_min  the smallest over all rows of min(0, facility_mw, supply_mw) (0 unless one is
#          negative: the stack starts at 0)
#   y_max  the largest over all rows of max(stack top, facility_mw, supply_mw), where
#          stack top = the sum over the supply_<source>_mw columns of max(0, value)
#
# Values are printed with %.10g. Dates are the `date` column ("YYYY-MM-DD" is midnight UTC).
#
# Uses from timeseries.csv: date, supply_mw, facility_mw, and every supply_<source>_mw column
# after it_energized_mw (the per-source columns are the last ones and their number and names
# vary by scenario, so they are found from the header). A storage source's column is negative
# while it charges: only the non-negative part (discharge) is stacked, since charging is a
# load, not a supply. supply_mw does not count storage, so the stack top rises above the
# available-supply line while a battery discharges.

if (!exists("in")) {
    exit error "supply.gp: give in='<run dir>' and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "supply.gp: give out='<stem>' (no extension) with -e; see plots/README.md"
}
ts = in . "/timeseries.csv"

set datafile separator comma
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The date column is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". Parsing the time of day when it
# is there keeps sub-daily samples from stacking on midnight.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)
pos(v) = v > 0 ? v : 0
# Item i of a list "a|b|c|": names may hold any character but "|", so word() will not do.
nth(s, i) = i <= 1 ? s[1:strstrt(s, "|") - 1] : nth(s[strstrt(s, "|") + 1:], i - 1)

# Find the source columns: the header names after it_energized_mw that look like
# supply_<source>_mw. columnhead() only works inside a using expression, hence stats over the
# first row. Their column numbers go in src_col ("33 34 ") and their names in src_name.
stats ts every ::0::0 using 1 nooutput
ncol = STATS_columns
k0 = 0
stats ts every ::0::0 \
    using (sum [i = 1:ncol] (columnhead(i) eq "it_energized_mw" ? (k0 = i, 0) : 0), 0) nooutput
if (k0 == 0) {
    exit error sprintf("supply.gp: %s has no it_energized_mw column", ts)
}
src_col = ""
src_name = ""
is_src(h) = strlen(h) > 10 && h[1:7] eq "supply_" && h[strlen(h) - 2:] eq "_mw"
stats ts every ::0::0 \
    using (sum [i = k0 + 1:ncol] (h = columnhead(i), \
           is_src(h) ? (src_col = src_col . sprintf("%d ", i), \
                        src_name = src_name . h[8:strlen(h) - 3] . "|", 0) : 0), 0) nooutput
nsrc = words(src_col)

# Top of the stack after k sources; after 0 it is the axis.
stack(k) = sum [m = 1:k] pos(column(int(word(src_col, m))))

# Ranges come before "set xdata time": stats does not work in time mode. The y range is
# fixed from them (0 to the highest curve plus headroom): every drawn value lies inside it,
# so GPVAL_DATA_* still reports the data.
stats ts using (when("date")) name "X" nooutput
stats ts using (top = stack(nsrc), f = column("facility_mw"), s = column("supply_mw"), \
                m = top > f ? top : f, m > s ? m : s) name "YHI" nooutput
stats ts using (f = column("facility_mw"), s = column("supply_mw"), \
                m = f < s ? f : s, m < 0 ? m : 0) name "YLO" nooutput
y_top = YHI_max > 0 ? YHI_max * 1.06 : 1
y_bot = YLO_min < 0 ? YLO_min * 1.06 : 0

# Tic labels by span: runs last from hours (workload tests) to years (programmes).
span = X_max - X_min
x_format = span <= 3 * 86400 ? "%H:%M\n%d %b" : span <= 120 * 86400 ? "%d %b\n%Y" : "%b\n%Y"

# Colours for the bands, cycled when there are more sources than colours. Red and green are
# left to the demand and supply lines drawn over the stack.
src_colours = "#1f77b4 #ff7f0e #9467bd #8c564b #17becf #bcbd22 #e377c2 #7f7f7f #aec7e8 " . \
              "#ffbb78 #c5b0d5 #c49c94"
src_colour(k) = word(src_colours, (k - 1) % words(src_colours) + 1)
c_supply   = "#2ca02c"
c_facility = "#d62728"

# noenhanced: names like tva-150mw or first_power would otherwise print with subscripts.
set title (exists("name") ? name . ": " : "") . "power supply by source and facility demand" \
    font ",15" noenhanced
set xlabel "Date"
set ylabel "Power (MW)"
set xdata time
set format x x_format
if (span > 0) {
    set autoscale xfix
} else {
    set xrange [X_min - 3600:X_max + 3600]   # one sample: an hour either side
}
set yrange [y_bot:y_top]
set ytics nomirror
set xtics nomirror out
set mxtics 2
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal reverse Left samplen 2 width 1 font ",11" noenhanced
set tmargin 3
set rmargin 6

# The stack is filled between samples, so the supply edge is drawn between samples too (not as
# steps like power.gp): drawn as steps it would part from the top of the stack at every jump.
do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12"
    } else {
        set terminal svg size 1280,720 font "DejaVu Sans,12"
    }
    set output out . "." . fmt
    plot \
        for [k = 1:nsrc] ts using (when("date")):(stack(k - 1)):(stack(k)) \
            with filledcurves fs solid 0.85 noborder lc rgb src_colour(k) \
            title nth(src_name, k), \
        ts using (when("date")):(column("supply_mw")) with lines \
            lw 2 dt (6,3) lc rgb c_supply title "available supply", \
        ts using (when("date")):(column("facility_mw")) with lines \
            lw 2.5 lc rgb c_facility title "facility demand"
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
