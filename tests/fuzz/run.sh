#!/bin/sh
# Run each libFuzzer target for a while and say what it found (called by make fuzz).
#   sh tests/fuzz/run.sh BUILD SECONDS TARGET...
# BUILD/fuzz/fuzz_TARGET must be built. Each target starts from a scratch copy of its seed
# corpus and regressions (BUILD/corpus/TARGET; what the fuzzer adds stays there for the next
# run, and the tree is never written), runs SECONDS seconds with a 10 s timeout per input and
# a 2 GB memory limit, and logs to BUILD/logs/TARGET.log. One line per target:
#   fuzz scenario: 1234567 executions, 0 crashes
# with the saved input and the command to replay it for each crash, leak, timeout or
# out-of-memory. Exit status 1 if any target found one (or did not run).
set -u
build=$1; seconds=$2; shift 2
here=$(dirname "$0")
failed=0
for t in "$@"; do
    bin=$build/fuzz/fuzz_$t
    corpus=$build/corpus/$t
    art=$build/artifacts/$t
    log=$build/logs/$t.log
    mkdir -p "$corpus" "$art" "$build/logs"
    for src in "$here/corpus/$t" "$here/regressions/$t"; do
        [ -d "$src" ] && find "$src" -maxdepth 1 -type f -exec cp {} "$corpus/" \;
    done
    dict=""
    case $t in
        scenario|set) dict="-dict=$here/yaml.dict" ;;
        units) dict="-dict=$here/units.dict" ;;
    esac
    # Only artifacts written by this run count; older ones stay for inspection.
    stamp=$build/logs/$t.start
    touch "$stamp"
    # stdin from /dev/null: an input naming /dev/stdin as a trace must not wait on a terminal.
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art/" $dict "$corpus" </dev/null >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    if [ -z "$execs" ]; then     # no final stats: take the last progress line (#N ...)
        execs=$(sed -n 's/^#\([0-9][0-9]*\)[^0-9].*/\1/p' "$log" | tail -n 1)
    fi
    found=$(find "$art" -maxdepth 1 -type f -newer "$stamp" \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    n=$(printf '%s' "$found" | grep -c . || true)
    if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
        n=1     # it stopped without saving an input: still a failure
        echo "fuzz $t: exited with status $rc without an artifact; see $log"
    fi
    echo "fuzz $t: ${execs:-0} executions, $n crash$( [ "$n" -eq 1 ] || echo es)"
    for f in $found; do
        echo "  $(basename "$f" | sed 's/-.*//'): $f (replay: $bin $f; log: $log)"
    done
    [ "$n" -eq 0 ] || failed=1
done
exit $failed
