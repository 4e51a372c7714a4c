# tornado-usd.gp: drivers ranked by dollars. The tornado chart (tornado.gp) drawn from
# slip_contribution_musd instead of slip_contribution_days: for each milestone, how much its
# cost of slip at the confidence (P80) would change, in millions of US dollars, if the driver
# took its planned value; the bars ordered by rank_musd, the largest saving at the top.
#
#   gnuplot -e "in='out/x-mc'; out='out/x-mc/tornado-usd'" plots/tornado-usd.gp
#
# Takes what tornado.gp takes (in, out, name, check) and runs it with money = 1; the check
# lines are described there. tornado.gp is found beside this file.

money = 1
# This script's folder, from the path gnuplot was given (ARG0): up to its last "/".
here = ""
do for [k = 1:strlen(ARG0)] {
    if (ARG0[k:k] eq "/") { here = ARG0[1:k] }
}
load here . "tornado.gp"
