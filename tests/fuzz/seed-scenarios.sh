#!/bin/sh
# Refresh the seeds copied from the tree: tests/fuzz/corpus/scenario/ from the scenarios the
# project ships and tests (scenarios/, scenarios/what-if/, tests/scenarios/) and its bad
# inputs (tests/bad/), and tests/fuzz/corpus/csv/ from the traces beside them
# (tests/scenarios/profiles/, tests/bad/traces/). One file each, named after where it came
# from; hand-made seeds (every other name) are kept. Run from the top of the tree after
# adding or changing one:
#   sh tests/fuzz/seed-scenarios.sh
set -eu
scn=tests/fuzz/corpus/scenario
csv=tests/fuzz/corpus/csv
mkdir -p "$scn" "$csv"
find "$scn" -type f \( -name 'scenarios-*' -o -name 'what-if-*' -o -name 'tests-*' \
    -o -name 'bad-*' \) -exec rm -f {} +
find "$csv" -type f \( -name 'profile-*' -o -name 'bad-trace-*' \) -exec rm -f {} +
copy() {    # folder, prefix, files...
    out=$1; prefix=$2; shift 2
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$out/$prefix-$(basename "$f")"
    done
    return 0
}
copy "$scn" scenarios scenarios/*.yaml
copy "$scn" what-if scenarios/what-if/*.yaml
copy "$scn" tests tests/scenarios/*.yaml
copy "$scn" bad tests/bad/*.yaml
copy "$csv" profile tests/scenarios/profiles/*.csv
copy "$csv" bad-trace tests/bad/traces/*.csv
echo "seed-scenarios: $(find "$scn" -type f | wc -l) scenario seeds, $(find "$csv" -type f | wc -l) csv seeds"
