/* The fuzz targets without libFuzzer: every seed in tests/fuzz/corpus/<target>/ and every
 * input a fuzzer once crashed on, kept in tests/fuzz/regressions/<target>/, goes through its
 * target once, in the normal build and in make asan / make ubsan. A target aborts on any
 * broken promise, so passing means: no crash, no sanitizer report, every refusal a clear
 * input error. The targets are compiled in here, each entry point renamed; their sources are
 * tests/fuzz/fuzz_*.c (make fuzz runs them under libFuzzer). The tree comes from DCSIM_ROOT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support/testutil.h"

#define LLVMFuzzerTestOneInput fuzz_scenario_one
#include "fuzz/fuzz_scenario.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_set_one
#include "fuzz/fuzz_set.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_units_one
#include "fuzz/fuzz_units.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

/* Run fn on the file at path, held in a buffer of exactly its size. */
static void run_one(fuzz_fn fn, const char *path)
{
    size_t len = 0;
    char *text = tu_slurp(path, &len);
    if (!text)
        fail_msg("%s: cannot read", path);
    uint8_t *exact = malloc(len ? len : 1);
    assert_non_null(exact);
    memcpy(exact, text, len);
    free(text);
    int rc = fn(exact, len);
    free(exact);
    if (rc != 0)
        fail_msg("%s: the target returned %d", path, rc);
}

/* Run fn on every regular file of rel (under DCSIM_ROOT), in name order; returns how many.
 * A missing folder runs nothing when optional (no regression found yet), fails otherwise. */
static size_t run_dir(fuzz_fn fn, const char *rel, bool optional)
{
    char dir[4096];
    tu_src_path(rel, dir, sizeof dir);
    size_t n;
    char **paths = fz_regular_files(dir, &n);
    if (!paths) {
        if (optional && errno == ENOENT)
            return 0;
        fail_msg("%s: cannot open: %s (is DCSIM_ROOT the source tree?)", dir, strerror(errno));
    }
    for (size_t i = 0; i < n; i++) {
        run_one(fn, paths[i]);
        free(paths[i]);
    }
    free(paths);
    return n;
}

/* The seeds (at least min_seeds of them) and the regressions of one target. */
static void run_target(fuzz_fn fn, const char *target, size_t min_seeds)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fuzz/corpus/%s", target);
    size_t seeds = run_dir(fn, rel, false);
    snprintf(rel, sizeof rel, "tests/fuzz/regressions/%s", target);
    size_t regressions = run_dir(fn, rel, true);
    print_message("fuzz %s: %zu seeds, %zu regression inputs\n", target, seeds, regressions);
    if (seeds < min_seeds)
        fail_msg("tests/fuzz/corpus/%s holds %zu seeds, expected at least %zu", target, seeds,
                 min_seeds);
}

static void scenario_inputs(void **state)
{
    (void)state;
    run_target(fuzz_scenario_one, "scenario", 50);
    /* The shipped scenarios among the seeds load: the harness reaches past the loader's
     * first refusal (a fixture missing would show here). */
    assert_true(fzs_loaded >= 10);
}

static void set_inputs(void **state)
{
    (void)state;
    size_t before = fzset_loaded;
    /* The base alone loads, so refusals come from the overrides. */
    assert_int_equal(fuzz_set_one((const uint8_t *)"", 0), 0);
    assert_int_equal(fzset_loaded, before + 1);
    run_target(fuzz_set_one, "set", 10);
    assert_true(fzset_loaded >= before + 5);
}

static void units_inputs(void **state)
{
    (void)state;
    run_target(fuzz_units_one, "units", 20);
}

static void csv_inputs(void **state)
{
    (void)state;
    run_target(fuzz_csv_one, "csv", 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenario_inputs),
        cmocka_unit_test(set_inputs),
        cmocka_unit_test(units_inputs),
        cmocka_unit_test(csv_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
