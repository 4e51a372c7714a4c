# sweep.gp: what a what-if grid buys. For each milestone, its P80 slip (the slip it is graded
# at: 80% of the futures are no later) at each point of a `dcsim sweep`, one line per
# milestone, with the grade letter at each point. The reader sees which lever moves which
# milestone, and where more of it stops helping.
#
#   gnuplot -e "in='out/x-sweep'; out='out/x-sweep/sweep'" plots/sweep.gp
#
# in (required) the output directory of `dcsim sweep`: uses sweep.csv (point, the varied
# columns, <ms>_slip_at_confidence_days and <ms>_grade for each milestone). out (required)
# the path without extension: writes out.png, then out.svg. name (optional) scenario name for
# the title. check (optional) a file for the data-check lines.
#
# The header of sweep.csv is read to find the columns: the varied paths are the columns
# between `point` and the first one ending in _p50 (meta.csv lists them too, as axis_1,
# axis_2, ...), the milestones those ending in _slip_at_confidence_days. x is the `point`
# index; each tic is labelled with the point's varied values ("600MW", or "600MW, 1" with two
# paths), and the x label names the paths. An empty slip (the milestone is not reached by
# the confidence at that point) is not plotted: the line breaks there and a cross at the top
# of the chart marks it.
#
# Check lines (one "key value" per line, numbers printed with %.10g):
#   empty            = 1 when no <ms>_slip_at_confidence_days is non-empty (no line), else 0
#   x_min            = min of the `point` column (0)
#   x_max            = max of the `point` column (the last point)
#   y_min            = min of every non-empty <ms>_slip_at_confidence_days, all milestones
#   y_max            = max of the same
#   points           = rows of sweep.csv
#   milestones       = columns ending in _slip_at_confidence_days
#   values_<ms>      = non-empty <ms>_slip_at_confidence_days (points drawn on its line)
# x_min .. y_max are gnuplot's GPVAL_DATA_* of the plot. Every point carries an (empty) tic
# label placed at (point, y_min), inside the data range, so x covers every point even where
# no milestone has a slip; y_min and y_max are left out when no slip is non-empty at all.
# The grade letters sit on the points; the zero line and the crosses are an arrow and
# labels, which do not enter GPVAL_DATA_*. Milestone names with spaces are not supported.

if (!exists("in")) {
    exit error "sweep.gp: give in='<dir>' (dcsim sweep output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "sweep.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
}
sw = in . "/sweep.csv"

set datafile separator comma

max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
ends_with(s, tail) = strlen(s) >= strlen(tail) && s[strlen(s) - strlen(tail) + 1:] eq tail
palette = "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf"
colour(i) = word(palette, (int(i) - 1) % 10 + 1)

# Data rows. Read with no header row the header is a row too (taken off again): stats warns
# on a file without data rows, and this way there is always one.
set datafile nocolumnheaders
stats sw using (0) name "ROWS" nooutput
n_pts = ROWS_records - 1
if (n_pts < 1) {
    exit error sprintf("sweep.gp: %s has no points", sw)
}
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

# The header: stats keeps the column names in an array.
stats sw every ::0::0 using (0) name "HDR" nooutput
n_cols = HDR_columns
first_ms_col = 0
ms_list = ""
do for [c = 2:n_cols] {
    h = HDR_column_header[c]
    if (first_ms_col == 0 && ends_with(h, "_p50")) { first_ms_col = c }
    if (ends_with(h, "_slip_at_confidence_days")) {
        ms_list = ms_list . " " . h[1:strlen(h) - strlen("_slip_at_confidence_days")]
    }
}
if (first_ms_col == 0) { first_ms_col = n_cols + 1 }
last_vary = first_ms_col - 1
n_ms = words(ms_list)

# The tic label of a point: its varied values, ", " between them (recursive over the columns
# 2 .. last_vary).
vary_label(j) = j > last_vary ? "" : \
    strcol(j) . (j < last_vary ? ", " . vary_label(j + 1) : "")
paths = ""
do for [c = 2:last_vary] { paths = paths . (c > 2 ? ", " : "") . HDR_column_header[c] }
if (strlen(paths) == 0) { paths = "point" }
lab_chars = 0
stats sw using (lab_chars = max(lab_chars, strlen(vary_label(2))), 0) nooutput

# A slip, or NaN when empty: NaN from an expression breaks the line, where an empty field read
# with column() would be skipped and the line drawn across the gap.
slip(c) = (slip_s = strcol(c), strlen(slip_s) > 0 ? real(slip_s) : NaN)

# Per milestone: how many points have a slip; over all, the slip range. The stats value is
# always 0 so that a column with no slip does not make stats warn.
array n_val[max(n_ms, 1)]
line_ids = ""
y_lo = NaN
y_hi = NaN
do for [m = 1:n_ms] {
    k = 0
    stats sw using (v = slip(word(ms_list, m) . "_slip_at_confidence_days"), \
        v == v ? (k = k + 1, y_lo = (y_lo == y_lo ? min(y_lo, v) : v), \
                  y_hi = (y_hi == y_hi ? max(y_hi, v) : v)) : 0, 0) nooutput
    n_val[m] = k
    if (k > 0) { line_ids = line_ids . sprintf(" %d", m) }
}
stats sw using (column("point")) name "PT" nooutput
has_y = y_lo == y_lo

# Axes: every point, the planned slip 0, and room above for the crosses of points not
# reached at the confidence. The y range holds every slip (so GPVAL_DATA_Y_* are theirs).
if (has_y) {
    ya = min(y_lo, 0)
    yb = max(y_hi, 0)
} else {
    ya = 0
    yb = 1
}
y_span = yb - ya > 0 ? yb - ya : 1
y_top = yb + 0.16 * y_span
set xrange [PT_min - 0.5 : PT_max + 0.5]
set yrange [ya - 0.06 * y_span : y_top]

# Crosses at the top for empty slips, in the milestone's colour, side by side when several
# milestones miss the same point: "x milestone" pairs here, drawn in the loop at the end.
crosses = ""
do for [m = 1:n_ms] {
    col = word(ms_list, m) . "_slip_at_confidence_days"
    stats sw using (strlen(strcol(col)) == 0 ? \
        (crosses = crosses . sprintf(" %.17g %d", column("point"), m), 0) : 0) nooutput
}
n_missing = words(crosses) / 2
note = strlen(line_ids) > 0 ? "letters: the grade at that point" : ""
if (n_missing > 0) {
    note = note . (strlen(note) > 0 ? ";  " : "") . \
        "×: not reached by the confidence at that point"
}
set label note at graph 0.01, first y_top left offset 0, -0.2 font ",10" tc rgb "#555555" front
set arrow from graph 0, first 0 to graph 1, first 0 nohead dt (8, 6) lw 1.5 lc rgb "#333333" back
set label "planned (slip 0)" at graph 0.99, first 0 right offset 0, 0.6 font ",10" \
    tc rgb "#333333" front

set title (exists("name") ? name . ": " : "") . "P80 slip of each milestone across the sweep" \
    font ",15" noenhanced
set xlabel paths noenhanced
set ylabel "P80 slip (days after the planned date)"
set xtics nomirror out noenhanced
# Tic labels slant when side by side they would not fit (about 7.5 pixels a character and
# 2 characters between labels, on some 1100 pixels).
if (n_pts * (lab_chars + 2) * 7.5 > 1100) { set xtics rotate by 30 right }
set ytics nomirror
set format y "%g"
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set key outside below center horizontal reverse Left samplen 2.5 width 1 font ",11" noenhanced
set tmargin 3
set rmargin 6
unset mxtics

anchor = has_y ? y_lo : 0
# The lines and grade letters of the milestones with a slip somewhere (a line with no point
# would make gnuplot warn), and a key entry for each milestone with none. A macro, expanded
# once when the loop below is read, so it is built here.
lines = ''
if (strlen(line_ids) > 0) {
    lines = ', for [id in line_ids] sw using (column("point")):' . \
        '(slip(word(ms_list, int(id)) . "_slip_at_confidence_days"))' . \
        ' with linespoints lw 2.5 pt 7 ps 1.3 * ps_k lc rgb colour(id)' . \
        ' title word(ms_list, int(id))' . \
        ', for [id in line_ids] sw using (column("point")):' . \
        '(slip(word(ms_list, int(id)) . "_slip_at_confidence_days")):' . \
        '(strcol(word(ms_list, int(id)) . "_grade")) with labels offset char 0.9, 0.8' . \
        ' font ",10" tc rgb colour(id) notitle'
}
do for [m = 1:n_ms] {
    if (n_val[m] == 0) {
        lines = lines . \
            sprintf(', keyentry with points pt 2 ps 1.6 * ps_k lw 2 lc rgb colour(%d)', m) . \
            sprintf(' title word(ms_list, %d) . " (not reached at any point)"', m)
    }
}

# Both terminals draw from one loop. The svg terminal draws points about twice as large as
# pngcairo: ps_k evens them out, and the crosses (labels with points, tags from 1000) are
# made again for each.
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
    do for [w = 1:n_missing] {
        m = int(word(crosses, 2 * w))
        set label 999 + w "" at real(word(crosses, 2 * w - 1)) + 0.06 * (m - (n_ms + 1) / 2.0), \
            y_top - 0.05 * y_span point pt 2 ps 1.6 * ps_k lw 2 lc rgb colour(m) front
    }
    plot sw using (column("point")):(anchor):(""):xtic(vary_label(2)) with labels notitle \
        @lines

    if (pass == 1 && exists("check")) {
        set print check
        print sprintf("empty %d", !has_y)
        print sprintf("x_min %.10g", GPVAL_DATA_X_MIN)
        print sprintf("x_max %.10g", GPVAL_DATA_X_MAX)
        if (has_y) {
            print sprintf("y_min %.10g", GPVAL_DATA_Y_MIN)
            print sprintf("y_max %.10g", GPVAL_DATA_Y_MAX)
        }
        print sprintf("points %d", n_pts)
        print sprintf("milestones %d", n_ms)
        do for [m = 1:n_ms] {
            print sprintf("values_%s %d", word(ms_list, m), n_val[m])
        }
        unset print
    }
}
unset output
