#!/bin/sh
# Run every cmocka test binary given, then print one closing line with the totals across
# all of them ("tests: N passed, N failed"). Exit non-zero if anything failed or crashed.
passed=0; failed=0; crashed=0
for t in "$@"; do
    echo "== $t"
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p)); failed=$((failed + f))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "!! $t exited with status $rc without a cmocka failure (crash?)"
        crashed=$((crashed + 1)); failed=$((failed + 1))
    fi
done
echo "tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
