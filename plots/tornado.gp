# tornado.gp: what to fix first. For each milestone, one horizontal bar per measured driver:
# how much the milestone's P80 slip would change if that driver always took its planned
# (mean) duration, every other random draw unchanged. A bar to the left (negative, green)
# means fixing the driver makes the milestone earlier: the longest one is the first thing to
# de-risk. A bar to the right (red) means holding it at its mean makes the milestone later.
# The share of runs in which the driver was on the critical path follows its name: a driver
# can be critical yet move nothing.
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/tornado'" plots/tornado.gp
#
# in (required) the output directory of `dcsim mc`: uses drivers.csv (milestone, driver,
# criticality, slip_contribution_days, contribution_runs) and milestones.csv (milestone: the
# order of the panels). out (required) the path without extension: writes out.png, then
# out.svg. name (optional) scenario name for the title. check (optional) a file for the
# data-check lines. Columns are found by their header names.
#
# Only drivers.csv rows with a non-empty slip_contribution_days are drawn (the others were
# not re-run), in file order (drivers.csv is ranked per milestone), the first at the top.
# One panel per milestone with such rows, in milestones.csv order, as tall as its bars need
# (a bar is equally thick in every panel); each panel has its own x axis (contributions
# differ by orders of magnitude between milestones) and prints every value. When one column
# would make the bars thinner than 18 pixels, the panels go in two columns. Milestones with
# no measured driver are listed under the chart.
#
# Check lines (one "key value" per line, numbers printed with %.10g):
#   empty         = 1 when bars is 0 (no panel), else 0
#   bars          = drivers.csv rows with a non-empty slip_contribution_days, over the
#                   milestones of milestones.csv (the sum of the bars_<ms>)
#   x_min         = min(0, min of those slip_contribution_days)
#   x_max         = max(0, max of those slip_contribution_days)
#   bars_<ms>     = such rows of milestone <ms>, for each milestones.csv row in order
#   x_min_<ms>, x_max_<ms> = min(0, ...) and max(0, ...) over the rows of <ms> (left out
#                   when bars_<ms> is 0)
# Each bar runs from 0 to its value, so gnuplot's GPVAL_DATA_X_* of each panel (combined over
# the panels for x_min/x_max) always include 0. The value labels sit at the bar ends, inside
# that range; the zero line is an arrow. x_min/x_max are left out when no row has a
# contribution. Milestone names with spaces are not supported.
#
# money (optional, a number): 1 draws the same chart in dollars (tornado-usd.gp sets it): the
# bars are slip_contribution_musd, the change of the milestone's cost of slip at the
# confidence (MUSD) if the driver took its planned value, only rows where it is non-empty,
# ordered per milestone by rank_musd; values print as "-599.7 $M". The check lines are the
# same keys over slip_contribution_musd, plus top_<ms> = the value of the panel's top bar
# (the row with the smallest rank_musd), when bars_<ms> > 0.

if (!exists("in")) {
    exit error "tornado.gp: give in='<dir>' (dcsim mc output) and out='<stem>' with -e; see plots/README.md"
}
if (!exists("out")) {
    exit error "tornado.gp: give out='<stem>' (the path without .png/.svg) with -e; see plots/README.md"
}
money = exists("money") ? money : 0
drv = in . "/drivers.csv"
mst = in . "/milestones.csv"

set datafile separator comma
set datafile columnheaders      # row 1 names the columns; column("x") looks them up

max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
# A tic step of 1, 2 or 5 times a power of ten, at least x.
nice_step(x) = (ne = 10 ** floor(log10(x)), nf = x / ne, \
    (nf <= 1 ? 1 : nf <= 2 ? 2 : nf <= 5 ? 5 : 10) * ne)

# Data rows of each file. Read with no header row the header is a row too (taken off
# again): stats warns on a file without data rows, and this way there is always one.
set datafile nocolumnheaders
stats mst using (0) name "MS" nooutput
stats drv using (0) name "DRV" nooutput
set datafile columnheaders
n_ms = MS_records - 1
n_d = DRV_records - 1

array ms_name[max(n_ms, 1)]
if (n_ms > 0) {
    stats mst using (i = int($0) + 1, ms_name[i] = strcol("milestone"), 0) nooutput
}
# The confidence the grades are read at (money only: the days chart says P80).
conf = 0.8
if (money && n_ms > 0) {
    stats mst using (conf = column("confidence"), 0) nooutput
}

# drivers.csv, read once into arrays (gnuplot 5.4 assigns array elements inside an
# expression); an empty contribution reads as NaN. d_key orders the bars of a milestone:
# the file order for days, rank_musd for dollars.
val_col = money ? "slip_contribution_musd" : "slip_contribution_days"
array d_ms[max(n_d, 1)]
array d_name[max(n_d, 1)]
array d_crit[max(n_d, 1)]
array d_val[max(n_d, 1)]
array d_runs[max(n_d, 1)]
array d_key[max(n_d, 1)]
if (n_d > 0) {
    stats drv using (i = int($0) + 1, d_ms[i] = strcol("milestone"), \
        d_name[i] = strcol("driver"), d_crit[i] = column("criticality"), \
        d_val[i] = column(val_col), d_runs[i] = column("contribution_runs"), \
        d_key[i] = money ? column("rank_musd") : i, 0) nooutput
}
measured(j) = d_val[j] == d_val[j]

# The rows in drawing order: by milestone as they come, and within one by d_key (a selection
# sort, stable: ties keep the file order); a row without a key goes last.
sort_key(j) = d_key[j] == d_key[j] ? d_key[j] : 1e300
array order[max(n_d, 1)]
array placed[max(n_d, 1)]
do for [j = 1:n_d] { placed[j] = 0 }
do for [k = 1:n_d] {
    best = 0
    do for [j = 1:n_d] {
        if (!placed[j]) {
            if (best == 0) {
                best = j
            } else {
                if (d_ms[j] eq d_ms[best] && sort_key(j) < sort_key(best)) { best = j }
            }
        }
    }
    order[k] = best
    placed[best] = 1
}

# Bars per milestone, and the panels (milestones with at least one bar).
array n_bars[max(n_ms, 1)]
panels = ""
n_total = 0
none = ""
do for [i = 1:n_ms] {
    k = 0
    do for [j = 1:n_d] {
        if (d_ms[j] eq ms_name[i] && measured(j)) { k = k + 1 }
    }
    n_bars[i] = k
    n_total = n_total + k
    if (k > 0) {
        panels = panels . sprintf(" %d", i)
    } else {
        none = none . (strlen(none) > 0 ? ", " : "") . ms_name[i]
    }
}
n_panels = words(panels)

# Layout. Each panel has a fixed strip for its title and one for its x tics; the rest of the
# height is shared out by bars, so that a bar is equally thick in every panel (at most 6% of
# the height: a short chart should not draw slabs). When one column would make bars thinner
# than 18 pixels of 720, the panels go in two columns, split where the running count of bars
# passes half.
s_top = 0.93
s_bottom = strlen(none) > 0 ? 0.14 : 0.11
o_title = 0.045
o_tics = 0.05
bar_cap = 0.06
one_col_unit = n_total > 0 ? (s_top - s_bottom - n_panels * (o_title + o_tics)) / n_total : bar_cap
n_cols = (one_col_unit < 18.0 / 720 && n_panels > 1) ? 2 : 1
array p_col[max(n_panels, 1)]
array c_bars[2]
array c_panels[2]
c_bars[1] = 0
c_bars[2] = 0
c_panels[1] = 0
c_panels[2] = 0
c = 1
do for [p = 1:n_panels] {
    b = n_bars[int(word(panels, p))]
    if (n_cols == 2 && c == 1 && c_bars[1] > 0 && c_bars[1] + b / 2.0 > n_total / 2.0) { c = 2 }
    p_col[p] = c
    c_bars[c] = c_bars[c] + b
    c_panels[c] = c_panels[c] + 1
}
bar_unit = bar_cap
do for [c = 1:n_cols] {
    if (c_bars[c] > 0) {
        bar_unit = min(bar_unit, (s_top - s_bottom - c_panels[c] * (o_title + o_tics)) / c_bars[c])
    }
}
# The screen top and bottom of each panel, filled down each column.
array p_hi[max(n_panels, 1)]
array p_lo[max(n_panels, 1)]
array c_y[2]
c_y[1] = s_top
c_y[2] = s_top
do for [p = 1:n_panels] {
    c = p_col[p]
    p_hi[p] = c_y[c]
    p_lo[p] = c_y[c] - o_title - o_tics - n_bars[int(word(panels, p))] * bar_unit
    c_y[c] = p_lo[p]
}
# With few bars the panels do not fill the page: the block of panels and notes is moved
# down to the middle of the free space, the notes right under the lowest panel.
s_notes = n_cols == 2 ? min(c_y[1], c_y[2]) : c_y[1]
if (n_panels == 0) s_notes = s_bottom
s_shift = (s_notes - s_bottom) / 2
do for [p = 1:n_panels] {
    p_hi[p] = p_hi[p] - s_shift
    p_lo[p] = p_lo[p] - s_shift
}
s_notes = s_notes - s_shift
col_left(c) = c == 1 ? 0.0 : 0.5
col_width = n_cols == 2 ? 0.5 : 1.0
# Room on the left of each panel for the longest tic label (the driver and its
# criticality), at about 7.2 pixels a character of the 10-point font on a 1280-pixel chart;
# at most 55% of a column.
name_chars = 0
do for [j = 1:n_d] {
    if (measured(j)) { name_chars = max(name_chars, strlen(d_name[j]) + 6) }
}
name_room = min((7.2 * name_chars + 30) / 1280 / col_width, 0.55)

# Bar colours as 0xRRGGBB numbers, for "lc rgb variable".
c_neg = 0x2ca02c
c_pos = 0xd62728
crit_text = "(n%) after a driver: the share of runs in which it was on the milestone's" . \
    " critical path"
if (money) {
    title_text = (exists("name") ? name . ": " : "") . sprintf("what moves each milestone's" . \
        " P%.0f cost of slip (contribution of each driver, in dollars)", 100 * conf)
    x_text = sprintf("Change in the P%.0f cost of slip (MUSD) if the driver took its" . \
        " planned value: green = cheaper, red = dearer", 100 * conf)
    # Value labels: "-4195.6 $M" (up to 11 characters, 90 pixels).
    v_fmt = "%+.1f $M"
    v_room = 90.0
} else {
    title_text = (exists("name") ? name . ": " : "") . \
        "what moves each milestone's P80 slip (slip contribution of each driver)"
    x_text = "Change in P80 slip (days) if the driver always took its planned (mean) duration:" . \
        " green = earlier, red = later"
    v_fmt = "%+.1f d"
    v_room = 70.0
}

array g_xmin[max(n_ms, 1)]
array g_xmax[max(n_ms, 1)]
array g_top[max(n_ms, 1)]

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
    set multiplot title title_text font ",15" noenhanced
    unset key
    set border 3 lc rgb "#444444"
    set ytics nomirror scale 0 noenhanced font ",10"
    set xtics nomirror out font ",10"
    set grid xtics lc rgb "#dddddd" lw 1 dt 1
    set format x "%g"
    if (n_panels == 0) {
        # Nothing to draw: an empty frame that says why.
        set lmargin at screen 0.1
        set rmargin at screen 0.95
        set tmargin at screen s_top
        set bmargin at screen s_bottom
        set xrange [-1 : 1]
        set yrange [0 : 1]
        unset tics
        unset grid
        set border 0
        set label 1005 (money ? "no driver has a measured contribution to the cost of slip" : \
            "no driver has a measured slip contribution") at graph 0.5, graph 0.5 \
            center font ",12" tc rgb "#555555"
        if (strlen(none) > 0) {
            set label 1003 "no measured driver (not re-run): " . none at screen 0.5, \
                screen (s_notes - 0.105) center font ",10" tc rgb "#555555" noenhanced
        }
        plot NaN notitle
    }
    do for [p = 1:n_panels] {
        i = int(word(panels, p))
        # The notes under the chart are screen labels: set for the last panel only, as
        # every panel would draw them again.
        if (p == n_panels) {
            set label 1001 x_text at screen 0.5, screen (s_notes - 0.04) center font ",12"
            set label 1002 crit_text at screen 0.5, screen (s_notes - 0.075) center \
                font ",10" tc rgb "#555555"
            if (strlen(none) > 0) {
                set label 1003 "no measured driver (not re-run): " . none at screen 0.5, \
                    screen (s_notes - 0.105) center font ",10" tc rgb "#555555" noenhanced
            }
        }
        ms = ms_name[i]
        # This panel's bars as a small CSV table: position (1 at the top, going down as
        # -1, -2, ...), value, tic label (the driver and its criticality).
        set print $bars
        print "pos,value,label"
        k = 0
        runs_used = 0
        do for [o = 1:n_d] {
            j = order[o]
            if (d_ms[j] eq ms && measured(j)) {
                k = k + 1
                if (d_runs[j] == d_runs[j]) { runs_used = max(runs_used, d_runs[j]) }
                if (k == 1 && pass == 1) { g_top[i] = d_val[j] }
                print sprintf('%d,%.17g,"%s (%.0f%%)"', -k, d_val[j], d_name[j], 100 * d_crit[j])
            }
        }
        unset print
        lo = 0
        hi = 0
        do for [j = 1:n_d] {
            if (d_ms[j] eq ms && measured(j)) { lo = min(lo, d_val[j]); hi = max(hi, d_val[j]) }
        }
        span = hi - lo > 0 ? hi - lo : 1
        # Room at both ends for the value labels (days: up to 9 characters, 70 pixels): their
        # share f of the plot's width on each side, so the bars take the rest.
        f = min(v_room / ((0.97 - name_room) * col_width * 1280), 0.3)
        set xrange [lo - f * span / (1 - 2 * f) : hi + f * span / (1 - 2 * f)]
        # About five to eight tics whatever the panel's width.
        set xtics nice_step(span / (1 - 2 * f) / (col_width > 0.5 ? 8 : 5))
        set yrange [-k - 0.6 : -0.4]

        x0 = col_left(p_col[p])
        set lmargin at screen x0 + name_room * col_width
        set rmargin at screen x0 + 0.97 * col_width
        set tmargin at screen p_hi[p] - o_title
        set bmargin at screen p_lo[p] + o_tics
        # The panel title is a label in its own strip: a plot title floats too high.
        set label 1004 sprintf("%s  (%d measured driver%s, %d runs each)", ms, k, \
            k == 1 ? "" : "s", runs_used) at screen x0 + 0.5 * col_width, \
            screen p_hi[p] - o_title / 2 center font ",12" noenhanced
        set arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 1.2 lc rgb "#444444" front

        plot $bars using (column("value")):(column("pos")):(min(0, column("value"))): \
                (max(0, column("value"))):(column("pos") - 0.35):(column("pos") + 0.35): \
                (column("value") < 0 ? c_neg : c_pos):ytic(strcol("label")) \
                with boxxyerror fs solid 0.75 noborder lc rgb variable notitle, \
            $bars using (column("value")):(column("pos")): \
                (column("value") < 0 ? sprintf(v_fmt, column("value")) : "") \
                with labels right offset char -0.5, 0 font ",10" tc rgb "#222222" notitle, \
            $bars using (column("value")):(column("pos")): \
                (column("value") < 0 ? "" : sprintf(v_fmt, column("value"))) \
                with labels left offset char 0.5, 0 font ",10" tc rgb "#222222" notitle
        if (pass == 1) {
            g_xmin[i] = GPVAL_DATA_X_MIN
            g_xmax[i] = GPVAL_DATA_X_MAX
        }
        unset arrow 1
    }
    unset multiplot
    unset label

    if (pass == 1 && exists("check")) {
        set print check
        print sprintf("empty %d", n_panels == 0)
        print sprintf("bars %d", n_total)
        if (n_panels > 0) {
            x_min = g_xmin[int(word(panels, 1))]
            x_max = g_xmax[int(word(panels, 1))]
            do for [p = 2:n_panels] {
                i = int(word(panels, p))
                x_min = min(x_min, g_xmin[i])
                x_max = max(x_max, g_xmax[i])
            }
            print sprintf("x_min %.10g", x_min)
            print sprintf("x_max %.10g", x_max)
        }
        do for [i = 1:n_ms] {
            print sprintf("bars_%s %d", ms_name[i], n_bars[i])
            if (n_bars[i] > 0) {
                print sprintf("x_min_%s %.10g", ms_name[i], g_xmin[i])
                print sprintf("x_max_%s %.10g", ms_name[i], g_xmax[i])
                if (money) { print sprintf("top_%s %.10g", ms_name[i], g_top[i]) }
            }
        }
        unset print
    }
}
unset output
