# power.gp: the first chart of a run. Available supply against facility demand and IT load
# over calendar time, with each planned milestone and the date the simulation reached it, so
# the gap between plan and simulation is the first thing a reader sees.
#
#   gnuplot -e "ts='out/x/timeseries.csv'; ms='out/x/milestones.csv'; out='out/x/power.png'" plots/power.gp
#
# ts (required) timeseries.csv; ms (optional) milestones.csv; out (default power.png);
# svg (optional) the same chart as SVG too (dcsim plot and the report use it); name (optional)
# scenario name for the title. Columns are found by their header names, never
# by position: the headers are the contract, and new columns (supply_<source>_mw, ...) may
# appear anywhere after the ones used here.

if (!exists("ts")) {
    exit error "power.gp: give ts='<run>/timeseries.csv' (and ms=, out=) with -e; see plots/README.md"
}
if (!exists("out")) out = "power.png"
if (!exists("ms")) ms = ""

set datafile separator comma
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The date column is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ". Parsing the time of day when it
# is there keeps sub-daily samples from stacking on midnight; an empty field (a milestone not
# reached) becomes NaN, which gnuplot skips.
when(c) = (when_s = strcol(c), \
           strlen(when_s) >= 19 ? strptime("%Y-%m-%dT%H:%M:%S", when_s) : \
           strlen(when_s) >= 10 ? strptime("%Y-%m-%d", when_s) : NaN)

# The y range is fixed before drawing so the milestone band can sit above the data: curves
# use the lower 70%, the milestone rows the rest. stats does not work in time mode, so this
# runs before "set xdata time".
stats ts using (column("supply_mw")) name "SUP" nooutput
stats ts using (column("facility_mw")) name "FAC" nooutput
stats ts using (column("it_mw")) name "IT" nooutput
if (!exists("SUP_max") || !exists("FAC_max") || !exists("IT_max")) {
    exit error sprintf("power.gp: %s has no rows with supply_mw, facility_mw and it_mw", ts)
}
data_max = SUP_max > FAC_max ? SUP_max : FAC_max
data_max = data_max > IT_max ? data_max : IT_max
if (data_max <= 0) data_max = 1
y_top = data_max / 0.70

# Milestone marks are added to the plot only when there are milestones: a file with only its
# header would otherwise draw nothing but a warning per clause. Counted with the header read
# as a row, so that stats has a point even then and does not warn either.
n_ms = 0
if (strlen(ms) > 0) {
    set datafile nocolumnheaders
    stats ms using (1) name "MS" nooutput
    set datafile columnheaders
    n_ms = exists("MS_records") ? MS_records - 1 : 0
}

# Milestones go in staggered rows so close dates do not print over each other.
n_ms_rows = 4
ms_y(i) = y_top * (0.955 - 0.06 * (int(i) % n_ms_rows))
ms_label(name, sim) = strlen(sim) > 0 ? name : name . " (not reached)"

set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1
set output out

# noenhanced: names like first_power would otherwise print with a subscript.
set title (exists("name") ? name . ": " : "") . "available power supply and demand" \
    font ",15" noenhanced
set xlabel "Date"
set ylabel "Power (MW)"
set xdata time
set format x "%b\n%Y"
# The x range hugs the data, with room on the right for the name of a late milestone.
set autoscale xfix
set offsets 0, graph 0.07, 0, 0
set yrange [0:y_top]
set format y "%.0f"
set ytics nomirror
set xtics nomirror out
set mxtics 3
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal maxrows 1 reverse Left samplen 2.5 width 1 font ",11"
set tmargin 3
set rmargin 6

c_supply   = "#4daf4a"
c_facility = "#d62728"
c_it       = "#1f77b4"
c_plan     = "#555555"
c_sim      = "#ff7f0e"

# Each milestone: a dashed line at the planned date, its name, and a dotted slip line to a
# diamond at the simulated date (none when it was not reached). Kept as a macro so that the
# plot below can leave it out.
marks = ''
if (n_ms > 0) {
    marks = ', ms using (when("planned")):(0):(0):(ms_y($0)) with vectors nohead' . \
            '    dt (8,6) lw 1.5 lc rgb c_plan title "planned milestone"' . \
            ', ms using (when("planned")):(ms_y($0)):(when("simulated") - when("planned")):(0)' . \
            '    with vectors nohead dt 3 lw 1.5 lc rgb c_sim notitle' . \
            ', ms using (when("simulated")):(ms_y($0)) with points' . \
            '    pt 13 ps 1.8 lc rgb c_sim title "simulated milestone"' . \
            ', ms using (when("planned")):(ms_y($0)):(ms_label(strcol("milestone"), strcol("simulated")))' . \
            '    with labels left offset char 0.4,0.75 font ",10" tc rgb "#222222" noenhanced notitle'
}

# Supply changes in blocks as sources come online, so its edge is drawn as steps (the fill is
# one polygon under the samples: fillsteps leaves seams between its strips). Demand is drawn
# as sampled.
plot \
    ts using (when("date")):(column("supply_mw")) with filledcurves x1 \
        fs transparent solid 0.22 noborder lc rgb c_supply notitle, \
    ts using (when("date")):(column("supply_mw")) with steps \
        lw 2.5 lc rgb c_supply title "available supply", \
    ts using (when("date")):(column("facility_mw")) with lines \
        lw 2.5 lc rgb c_facility title "facility demand", \
    ts using (when("date")):(column("it_mw")) with lines \
        lw 1.5 lc rgb c_it title "IT load" \
    @marks

# The same chart as SVG (no script in it: the report inlines it).
if (exists("svg")) {
    set terminal svg size 1280,720 font "DejaVu Sans,12" linewidth 1
    set output svg
    replot
}
unset output
