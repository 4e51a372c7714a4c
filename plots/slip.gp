# slip.gp: how late each milestone is, run by run. One histogram panel per milestone of the
# slip (days after the planned date; negative = early) over the Monte Carlo runs that
# reached it, with the planned date (slip 0) and the P80 slip (the slip the milestone is
# graded at) marked, and a rug under the bars with one tick per run. The shape tells what a
# single number cannot: a long right tail, or two clusters (say, with and without a late
# transformer).
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/slip'" plots/slip.gp
#
# in (required) the output directory of `dcsim mc`: uses milestones.csv (milestone,
# slip_at_confidence_days, confidence) and runs.csv (<milestone>_slip_days, empty when that
# run never reached it). out (required) the path without extension: writes out.png, then
# out.svg. name (optional) scenario name for the title. check (optional) a file
# for the data-check lines. Columns are found by their header names.
#
# Panels: one per milestones.csv row, in its order; up to 3 stacked in one column, more in
# two columns (row by row). Each panel has its own x axis: the milestones' slips can differ
# by an order of magnitude.
#
# Bins: a panel with n non-empty slips from lo to hi has K bins of width w = (hi - lo) / K
# starting at lo, so the bars span exactly the data; a slip s falls in bin
# k = floor((s - lo) / w) (0-based), except s = hi which goes in the last bin (k = K - 1).
# K = ceil((hi - lo) / (2 IQR / n^(1/3))) (Freedman-Diaconis; IQR from gnuplot's stats
# quartiles), at least ceil(sqrt(n)) (also when IQR = 0) and at most 50; it is printed in the
# check file. When hi = lo there is one bin (K = 1), drawn as a thick bar at that slip.
#
# Check lines (one "key value" per line, numbers printed with %.10g):
#   empty          = 1 when no <ms>_slip_days is non-empty (no bar anywhere), else 0
#   x_min          = min of every non-empty <ms>_slip_days in runs.csv, over all milestones
#   x_max          = max of the same
#   y_min          = 0 (the rug sits on y = 0)
#   y_max          = the largest bin count over all panels
#   n_<ms>         = runs with a non-empty <ms>_slip_days (the sum of that panel's bins)
#   bins_<ms>      = K of that panel (0 when no run reached the milestone)
#   x_min_<ms>, x_max_<ms> = min and max of the non-empty <ms>_slip_days
#   y_max_<ms>     = that panel's largest bin count
# x_min .. y_max are gnuplot's GPVAL_DATA_* of each panel, combined over the panels (the rug
# carries every slip; the bars span lo to hi, equal to 10 significant digits). The _<ms> lines
# are left out for a milestone no run reached, x_min .. y_max when no milestone was reached at
# all. The planned and P80 marks are arrows and labels, which do not enter GPVAL_DATA_*; each
# panel's axis is set wide enough to hold its data. Milestone names with spaces are not
# supported.

if (!exists("in")) {
    exit error "slip.gp: give in='<dir>' (dcsim mc output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "slip.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
}
runs = in . "/runs.csv"
mst = in . "/milestones.csv"

set datafile separator comma

# Data rows of each file. Read with no header row the header is a row too (taken off again):
# stats warns on a file without data rows, and this way there is always one.
set datafile nocolumnheaders
stats runs using (0) name "RUNS" nooutput
stats mst using (0) name "MS" nooutput
set datafile columnheaders      # row 1 names the columns; column("x") looks them up
n_runs = RUNS_records - 1
n_ms = MS_records - 1
if (n_runs < 1) {
    exit error sprintf("slip.gp: %s has no runs", runs)
}

max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
# A tic step of 1, 2 or 5 times a power of ten, at least x (and at least 1: counts).
nice_step(x) = x <= 1 ? 1 : (ne = 10 ** floor(log10(x)), nf = x / ne, \
    (nf <= 1 ? 1 : nf <= 2 ? 2 : nf <= 5 ? 5 : 10) * ne)

# The milestones, read once into arrays (gnuplot 5.4 assigns array elements inside an
# expression).
array ms_name[max(n_ms, 1)]
array ms_p80[max(n_ms, 1)]
array ms_conf[max(n_ms, 1)]
if (n_ms > 0) {
    stats mst using (i = int($0) + 1, ms_name[i] = strcol("milestone"), \
        ms_p80[i] = column("slip_at_confidence_days"), ms_conf[i] = column("confidence"), \
        0) nooutput
}

# Per milestone: the count, min and max of its non-empty slips. The stats value is always 0
# so that a column with no slip at all does not make stats warn.
array n_ok[max(n_ms, 1)]
array s_lo[max(n_ms, 1)]
array s_hi[max(n_ms, 1)]
do for [i = 1:n_ms] {
    k = 0
    a = NaN
    b = NaN
    stats runs using (s = column(ms_name[i] . "_slip_days"), \
        s == s ? (k = k + 1, a = (a == a ? min(a, s) : s), b = (b == b ? max(b, s) : s)) : 0, \
        0) nooutput
    n_ok[i] = k
    s_lo[i] = a
    s_hi[i] = b
}

# The number of bins K per milestone (see the header). Freedman-Diaconis width from the
# quartiles keeps a long tail (a few runs a year late) from squeezing the bulk into one or
# two bars; at least ceil(sqrt(n)) bins, at most 50 so that a bar stays visible.
array n_bins_of[max(n_ms, 1)]
do for [i = 1:n_ms] {
    n_bins_of[i] = 0
    if (n_ok[i] > 0) {
        n_bins_of[i] = 1
        if (s_hi[i] > s_lo[i]) {
            stats runs using (column(ms_name[i] . "_slip_days")) name "Q" nooutput
            k_min = int(ceil(sqrt(n_ok[i])))
            w_fd = 2 * (Q_up_quartile - Q_lo_quartile) / n_ok[i] ** (1.0 / 3)
            k_fd = w_fd > 0 ? int(ceil((s_hi[i] - s_lo[i]) / w_fd)) : k_min
            n_bins_of[i] = min(max(k_fd, k_min), 50)
        }
    }
}

# Results of the first (PNG) pass for the check file.
array g_xmin[max(n_ms, 1)]
array g_xmax[max(n_ms, 1)]
array g_ymin[max(n_ms, 1)]
array g_ymax[max(n_ms, 1)]
array g_n[max(n_ms, 1)]
array g_bins[max(n_ms, 1)]

if (n_ms <= 3) {
    n_cols = 1
} else {
    n_cols = 2
}
n_rows = max(1, int(ceil(1.0 * n_ms / n_cols)))
bottom_row(i) = int((i - 1) / n_cols) == n_rows - 1 || i + n_cols > n_ms

c_bar  = "#1f77b4"
c_plan = "#333333"
c_p80  = "#ff7f0e"
title_text = (exists("name") ? name . ": " : "") . \
    sprintf("slip of each milestone over %d Monte Carlo runs", n_runs)

# Both terminals draw from one loop (the multiplot is drawn again for each).
do for [pass = 1:2] {
    if (pass == 1) {
        set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1
        set output out . ".png"
    } else {
        # The same chart as SVG for the HTML report (no mouse: the file carries no script).
        set terminal svg size 1280,720 font "DejaVu Sans,12"
        set output out . ".svg"
    }
    set multiplot layout n_rows, n_cols title title_text font ",15" noenhanced \
        margins 0.07, 0.97, 0.09, 0.90 spacing 0.06, 0.11
    if (n_ms == 0) {
        set xrange [-1 : 1]
        set yrange [0 : 1]
        unset tics
        set border 0
        set label "milestones.csv lists no milestone" at graph 0.5, graph 0.5 center \
            font ",12" tc rgb "#555555"
        plot NaN notitle
    }
    do for [i = 1:n_ms] {
        unset label
        unset arrow
        unset key
        set border 3 lc rgb "#444444"
        set xtics nomirror out
        set ytics nomirror out
        set grid ytics lc rgb "#dddddd" lw 1 dt 1
        set format y "%g"
        if (bottom_row(i)) {
            set xlabel "Slip (days after the planned date; negative = early)" offset 0, 0.3
        } else {
            unset xlabel
        }
        set ylabel "Runs"
        col = ms_name[i] . "_slip_days"
        n = n_ok[i]
        p80 = ms_p80[i]
        has_p80 = p80 == p80
        if (n == n_runs) {
            set title sprintf("%s: all %d runs reached it", ms_name[i], n_runs) noenhanced
        } else {
            set title sprintf("%s: %d of %d runs reached it", ms_name[i], n, n_runs) noenhanced
        }
        # stats filters by the axis ranges: undo the previous panel's before counting.
        set autoscale x
        set autoscale y
        if (n > 0) {
            lo = s_lo[i]
            hi = s_hi[i]
            n_bins = n_bins_of[i]
            w = hi > lo ? (hi - lo) / n_bins : 1.0
            # The bin counts, then a small CSV table of bar centres and counts to plot.
            array cnt[n_bins]
            do for [k = 1:n_bins] { cnt[k] = 0 }
            stats runs using (s = column(col), \
                s == s ? (kb = (hi > lo ? int(floor((s - lo) / w)) : 0), \
                          kb = (kb >= n_bins ? n_bins - 1 : kb), \
                          cnt[kb + 1] = cnt[kb + 1] + 1) : 0, \
                0) nooutput
            set print $hist
            print "mid,count"
            do for [k = 1:n_bins] {
                print sprintf("%.17g,%d", hi > lo ? lo + (k - 0.5) * w : lo, cnt[k])
            }
            unset print
            stats $hist using (column("count")) name "H" nooutput

            # The axis holds the data, the planned date (0) and the P80 slip, plus half a
            # bar on each side.
            xa = min(lo, 0)
            xb = max(hi, 0)
            if (has_p80) { xa = min(xa, p80); xb = max(xb, p80) }
            pad = max(0.04 * (xb - xa), 0.6 * w)
            set xrange [xa - pad : xb + pad]
            set yrange [0 : H_max * 1.3]
            set ytics nice_step(H_max / 4.0)
            set boxwidth w absolute

            set arrow from 0, graph 0 to 0, graph 0.93 nohead dt (8, 6) lw 1.5 lc rgb c_plan \
                front
            set label "planned" at 0, graph 0.93 center offset 0, 0.6 font ",10" \
                tc rgb c_plan front
            if (has_p80) {
                set arrow from p80, graph 0 to p80, graph 0.93 nohead lw 2 lc rgb c_p80 front
                set label sprintf("P%.0f %+.0f d", 100 * ms_conf[i], p80) at p80, graph 0.93 \
                    center offset 0, 0.6 font ",10" tc rgb c_p80 front
            } else {
                set label sprintf("P%.0f not reached", 100 * ms_conf[i]) \
                    at graph 0.99, graph 0.93 right font ",10" tc rgb c_p80 front
            }
            # Every run at one slip: a thick impulse, since a box of any width would widen
            # the data range (boxes count their edges in it).
            if (hi > lo) {
                plot $hist using (column("mid")):(column("count")) with boxes \
                        fs solid 0.55 border lc rgb "#ffffff" lc rgb c_bar notitle, \
                    runs using (column(col)):(0) with points pt "|" ps 1.2 lc rgb "#333333" notitle
            } else {
                plot $hist using (column("mid")):(column("count")) with impulses \
                        lw 24 lc rgb c_bar notitle, \
                    runs using (column(col)):(0) with points pt "|" ps 1.2 lc rgb "#333333" notitle
            }
            if (pass == 1) {
                g_xmin[i] = GPVAL_DATA_X_MIN
                g_xmax[i] = GPVAL_DATA_X_MAX
                g_ymin[i] = GPVAL_DATA_Y_MIN
                g_ymax[i] = GPVAL_DATA_Y_MAX
                g_n[i] = H_sum
                g_bins[i] = n_bins
            }
        } else {
            set xrange [-1 : 1]
            set yrange [0 : 1]
            unset tics
            unset grid
            unset ylabel
            set border 0
            set label sprintf("no run reached %s", ms_name[i]) at graph 0.5, graph 0.5 center \
                font ",12" tc rgb "#555555" noenhanced
            plot NaN notitle
            if (pass == 1) {
                g_n[i] = 0
                g_bins[i] = 0
            }
        }
    }
    unset multiplot

    if (pass == 1 && exists("check")) {
        set print check
        first = 1
        do for [i = 1:n_ms] {
            if (g_bins[i] > 0) {
                if (first) {
                    x_min = g_xmin[i]
                    x_max = g_xmax[i]
                    y_min = g_ymin[i]
                    y_max = g_ymax[i]
                    first = 0
                } else {
                    x_min = min(x_min, g_xmin[i])
                    x_max = max(x_max, g_xmax[i])
                    y_min = min(y_min, g_ymin[i])
                    y_max = max(y_max, g_ymax[i])
                }
            }
        }
        print sprintf("empty %d", first)
        if (!first) {
            print sprintf("x_min %.10g", x_min)
            print sprintf("x_max %.10g", x_max)
            print sprintf("y_min %.10g", y_min)
            print sprintf("y_max %.10g", y_max)
        }
        do for [i = 1:n_ms] {
            print sprintf("n_%s %d", ms_name[i], g_n[i])
            print sprintf("bins_%s %d", ms_name[i], g_bins[i])
            if (g_bins[i] > 0) {
                print sprintf("x_min_%s %.10g", ms_name[i], g_xmin[i])
                print sprintf("x_max_%s %.10g", ms_name[i], g_xmax[i])
                print sprintf("y_max_%s %.10g", ms_name[i], g_ymax[i])
            }
        }
        unset print
    }
}
unset output
