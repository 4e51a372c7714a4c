#!/bin/sh
# Run the engine benchmark and its SimPy twin, then print a table of the figures against the
# targets. Exit 1 if a target is missed or a figure could not be measured (after printing all).
#   sh bench/run.sh BUILD_BENCH_DIR          (make bench passes build/bench)
#   BENCH_SCALE=0.2 SIMPY_CUSTOMERS=50000 sh bench/run.sh DIR    shorter runs
set -u

if [ $# -ne 1 ] || [ ! -x "$1/bench_engine" ]; then
    echo "usage: sh bench/run.sh BUILD_BENCH_DIR   (a directory holding bench_engine)" >&2
    exit 2
fi
bin=$1/bench_engine
here=$(cd "$(dirname "$0")" && pwd)
scale=${BENCH_SCALE:-1}
customers=${SIMPY_CUSTOMERS:-200000}
# Debian's python, which has python3-simpy3; a pyenv or venv python3 earlier on PATH may not.
py=${PYTHON:-/usr/bin/python3}

out=$(mktemp) || exit 1
one=$(mktemp) || exit 1
trap 'rm -f "$out" "$one"' EXIT
trap 'exit 1' INT TERM
status=0

# Run a command, show its output and keep it for the table. Not "cmd | tee": POSIX sh has no
# pipefail, and the pipe's status would be tee's.
measure() {
    "$@" >"$one"; rc=$?
    cat "$one"
    cat "$one" >>"$out"
    return $rc
}

echo "== $bin $scale"
if ! measure "$bin" "$scale"; then
    echo "run.sh: $bin failed" >&2
    status=1
fi

echo "== $py $here/mm1.py $customers"
if ! [ -x "$py" ]; then
    echo "run.sh: $py not found; the SimPy comparison needs Debian's python3 with python3-simpy3" >&2
    status=1
elif ! "$py" -c 'import simpy' 2>/dev/null; then
    echo "run.sh: SimPy is missing for $py; install it with: apt-get install python3-simpy3" >&2
    status=1
elif ! measure "$py" "$here/mm1.py" "$customers"; then
    echo "run.sh: mm1.py failed" >&2
    status=1
fi

# Issue 5's target: Monte Carlo of the Abilene scenario, 1000 runs on 2 threads, in under
# 60 s of wall time (drivers' re-runs included). BENCH_MC_RUNS=N for a shorter look (then
# only printed, not judged).
dcsim=$1/../dcsim
mc_runs=${BENCH_MC_RUNS:-1000}
mc_dir=$(mktemp -d) || exit 1
trap 'rm -rf "$out" "$one" "$mc_dir"' EXIT
echo "== $dcsim mc scenarios/stargate-abilene.yaml -n $mc_runs -j 2"
if ! [ -x "$dcsim" ]; then
    echo "run.sh: $dcsim not found (make builds it)" >&2
    status=1
else
    t0=$(date +%s.%N)
    if "$dcsim" mc "$here/../scenarios/stargate-abilene.yaml" -n "$mc_runs" -j 2 -q \
            -o "$mc_dir/mc"; then
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" -v n="$mc_runs" \
            'BEGIN { printf "mc_abilene runs=%d seconds=%.1f\n", n, b - a }' | tee -a "$out"
    else
        echo "run.sh: dcsim mc failed" >&2
        status=1
    fi
fi

# Issue 8's Monte Carlo throughput: the same runs at -j 1 and -j 2 (drivers' re-runs
# included, as a user waits for them), replications per second and parallel efficiency
# (rate at -j 2 / twice the rate at -j 1). The runs are those of the -j 2 run above
# (BENCH_MC_EFF_RUNS=N for others), whose time then serves for -j 2: with the drivers'
# re-runs a fixed cost, the rate depends on the runs, so both sides use the same.
eff_runs=${BENCH_MC_EFF_RUNS:-$mc_runs}
eff_js="1 2"
if [ "$eff_runs" = "$mc_runs" ] && grep -q '^mc_abilene ' "$out"; then
    eff_js=1
    awk '$1 == "mc_abilene" { split($3, kv, "="); split($2, r, "=");
         printf "mc_rate_j2 runs=%d seconds=%.2f per_s=%.2f\n", r[2], kv[2], r[2] / kv[2] }' \
        "$out" | tee -a "$out.j2"
    cat "$out.j2" >>"$out"
    rm -f "$out.j2"
fi
if [ -x "$dcsim" ]; then
    for j in $eff_js; do
        echo "== $dcsim mc scenarios/stargate-abilene.yaml -n $eff_runs -j $j"
        t0=$(date +%s.%N)
        if "$dcsim" mc "$here/../scenarios/stargate-abilene.yaml" -n "$eff_runs" -j "$j" -q \
                -o "$mc_dir/eff-$j"; then
            t1=$(date +%s.%N)
            awk -v a="$t0" -v b="$t1" -v n="$eff_runs" -v j="$j" \
                'BEGIN { printf "mc_rate_j%d runs=%d seconds=%.2f per_s=%.2f\n", j, n, b - a,
                         n / (b - a) }' | tee -a "$out"
        else
            echo "run.sh: dcsim mc -j $j failed" >&2
            status=1
        fi
    done
fi

# Issue 8's single replications: Abilene and the ~10 GW program in both failure modes. The
# wall time includes loading the scenario and writing the outputs, as a user sees it; the
# best of three runs, with the events handled (summary.csv) and the peak memory (GNU time).
one_run() {   # name scenario mode ("asis": the scenario's own)
    best=""
    set_mode=""
    [ "$3" = asis ] || set_mode="failures.mode=$3"
    for k in 1 2 3; do
        d="$mc_dir/$1-$k"
        if ! /usr/bin/time -f "%e %M" -o "$mc_dir/time" "$dcsim" run "$2" -q -o "$d" \
                ${set_mode:+--set "$set_mode"}; then
            echo "run.sh: dcsim run $2 ($3) failed" >&2
            status=1
            return
        fi
        read -r secs kb <"$mc_dir/time"
        if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$secs; best_kb=$kb
        fi
    done
    events=$(awk -F, '$1 == "events_handled" { print $2 }' "$d/summary.csv")
    awk -v n="$1" -v s="$best" -v kb="$best_kb" -v e="$events" 'BEGIN {
        printf "%s seconds=%.3f events=%d events_per_s=%.0f peak_mib=%.0f\n",
               n, s, e, (s > 0 ? e / s : 0), kb / 1024 }' | tee -a "$out"
}
if [ -x "$dcsim" ] && [ -x /usr/bin/time ]; then
    echo "== $dcsim run (one replication, best of 3)"
    one_run abilene_discrete "$here/../scenarios/stargate-abilene.yaml" discrete
    one_run abilene_aggregate "$here/../scenarios/stargate-abilene.yaml" aggregate
    if grep -q '^failures:' "$here/../scenarios/stargate-program.yaml"; then
        one_run program_aggregate "$here/../scenarios/stargate-program.yaml" aggregate
        one_run program_discrete "$here/../scenarios/stargate-program.yaml" discrete
    else
        # Not measurable yet: the program scenario has no failures section to set a mode on
        # (issue 8 gives it one). Its run without failures is shown for reference.
        echo "run.sh: scenarios/stargate-program.yaml has no failures section: the program's" \
             "failure-mode figures are not measured" >&2
        one_run program_no_failures "$here/../scenarios/stargate-program.yaml" asis
    fi
else
    echo "run.sh: the single-run figures need $dcsim and GNU time (/usr/bin/time)" >&2
    status=1
fi

echo
# Each line is "name key=value ...": keep the last value of each (name, key) pair.
awk '
function val(name, key) { return ((name SUBSEP key) in v) ? v[name, key] : "" }
function row(what, got, target, verdict) {
    printf "%-34s %16s  %-10s %s\n", what, (got == "" ? "-" : got), target, verdict
}
function judge(x, min) {
    if (x == "") { fails++; return "FAIL (not measured)" }
    if (x + 0 >= min) return "PASS"
    fails++; return "FAIL"
}
{
    name = $1
    if (name == "hold") {
        split($2, kv, "="); name = "hold" kv[2]   # one name per heap size
    }
    for (i = 2; i <= NF; i++) {
        eq = index($i, "=")
        if (eq) v[name, substr($i, 1, eq - 1)] = substr($i, eq + 1)
    }
}
END {
    fails = 0
    row("figure", "measured", "target", "")
    for (n = 100; n <= 1000000; n *= 10) {
        h = val("hold" n, "holds_per_s")
        if (n == 10000) row("hold holds/s, n=" n, h, ">= 5e6", judge(h, 5e6))
        else row("hold holds/s, n=" n, h, "", "")
    }
    e = val("mm1", "events_per_s")
    row("mm1 events/s (dcsim)", e, ">= 15e6", judge(e, 15e6))
    c = val("mm1", "customers_per_s")
    s = val("simpy_mm1", "customers_per_s")
    row("mm1 customers/s (dcsim)", c, "", "")
    row("mm1 customers/s (SimPy)", s, "", "")
    r = (c != "" && s != "" && s + 0 > 0) ? sprintf("%.1f", c / s) : ""
    row("dcsim / SimPy", (r == "" ? "" : r "x"), ">= 50x", judge(r, 50))
    # Both runs should land near the analytic mean; a wide miss means a broken model.
    w = val("mm1", "mean_time_in_system"); ws = val("simpy_mm1", "mean_time_in_system")
    a = val("mm1", "analytic")
    if (a != "") {
        row("mm1 mean time in system (dcsim)", w, a, "(analytic, ticks)")
        row("mm1 mean time in system (SimPy)", ws, a, "(analytic, ticks)")
    }
    # Wall time, judged only at the 1000 runs of issue 5; the ratio is measured / target.
    ms = val("mc_abilene", "seconds"); mn = val("mc_abilene", "runs")
    if (mn == "" || mn == 1000) {
        verdict = (ms == "") ? "FAIL (not measured)" : (ms + 0 <= 60 ? "PASS" : "FAIL")
        if (verdict != "PASS") fails++
        row("mc Abilene -n 1000 -j 2, s", ms, "<= 60", verdict)
        if (ms != "") row("  measured / target", sprintf("%.2f", ms / 60), "<= 1", "")
    } else {
        row("mc Abilene -n " mn " -j 2, s", ms, "", "(target is at -n 1000)")
    }
    # Issue 8: at least 20 replications/s at -j 2, parallel efficiency at least 85%.
    r1 = val("mc_rate_j1", "per_s"); r2 = val("mc_rate_j2", "per_s")
    row("mc Abilene replications/s, -j 1", r1, "", "")
    row("mc Abilene replications/s, -j 2", r2, ">= 20", judge(r2, 20))
    eff = (r1 != "" && r2 != "" && r1 + 0 > 0) ? sprintf("%.2f", r2 / (2 * r1)) : ""
    row("  parallel efficiency", eff, ">= 0.85", judge(eff, 0.85))
    # Issue 8 (performance) targets for one replication; printed with the ratio, judged.
    split("abilene_discrete abilene_aggregate program_aggregate program_discrete", names, " ")
    split("0.5 0.1 1 10", limits, " ")
    for (k = 1; k <= 4; k++) {
        t = val(names[k], "seconds")
        verdict = (t == "") ? "FAIL (not measured)" : (t + 0 <= limits[k] ? "PASS" : "FAIL")
        if (verdict != "PASS") fails++
        row(names[k] " run, s", t, "<= " limits[k], verdict)
        if (t != "")
            row("  events/s, peak MiB, ratio", sprintf("%.2g, %d, %.2f", val(names[k], "events_per_s"),
                val(names[k], "peak_mib"), t / limits[k]), "", "")
    }
    t = val("program_no_failures", "seconds")
    if (t != "")
        row("program run, no failures, s", t, "", sprintf("(%.2g events/s, %d MiB)",
            val("program_no_failures", "events_per_s"), val("program_no_failures", "peak_mib")))
    pm = val("program_aggregate", "peak_mib")
    verdict = (pm == "") ? "FAIL (not measured)" : (pm + 0 < 1024 ? "PASS" : "FAIL")
    if (verdict != "PASS") fails++
    row("program run peak memory, MiB", pm, "< 1024", verdict)
    exit (fails > 0 ? 1 : 0)
}' "$out" || status=1

if [ $status -ne 0 ]; then
    echo "bench: some target missed or not measured"
else
    echo "bench: all targets met"
fi
exit $status
