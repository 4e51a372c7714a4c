#!/bin/sh
# One shipped scenario, and a small threaded Monte Carlo, under valgrind: zero errors and zero
# leaks of any kind (still-reachable memory counts too). Called by make test with the binary.
# Prints one line per run and exits non-zero on the first complaint.
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
check() {
    name=$1; shift
    if valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
        --errors-for-leak-kinds=all -q --log-file="$scratch/$name.log" "$@" >/dev/null; then
        echo "valgrind $name: 0 errors, 0 leaks"
    else
        echo "valgrind $name: FAILED (exit $?)"
        cat "$scratch/$name.log"
        exit 1
    fi
}
check run "$bin" run "$root/scenarios/stargate-abilene.yaml" -o "$scratch/run" -q
check mc "$bin" mc "$root/tests/scenarios/mc-uniform.yaml" -n 20 -j 2 -o "$scratch/mc" -q
