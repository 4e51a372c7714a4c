/* Fuzz target: YAML bytes in, through the scenario loader as `dcsim validate` runs it (load,
 * then print the plan). The loader reads files only, so the bytes go to scenario.yaml in the
 * scratch directory, beside two hourly CSV fixtures that scenarios may name as traces:
 * profiles/half-day.csv (the one tests/scenarios/ppa-profile.yaml uses) and
 * profiles/hourly.csv (a column for each trace kind: capacity_factor, ambient_c, gpus). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dcsim/scenario.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loads that succeeded, for tests/test_fuzz.c: the seeds must get past the loader too. */
static size_t fzs_loaded;

static void fzs_fixtures(void)
{
    char half[1024], hourly[2048];
    size_t u = (size_t)snprintf(half, sizeof half, "hour,capacity_factor\n");
    size_t v = (size_t)snprintf(hourly, sizeof hourly, "hour,capacity_factor,ambient_c,gpus\n");
    for (int h = 0; h < 24; h++) {
        u += (size_t)snprintf(half + u, sizeof half - u, "%d,%s\n", h, h < 12 ? "0.0" : "1.0");
        v += (size_t)snprintf(hourly + v, sizeof hourly - v, "%d,%.2f,%d,%d\n", h,
                              h / 23.0, 10 + h / 2, 100 * h);
    }
    fz_fixture("profiles/half-day.csv", half);
    fz_fixture("profiles/hourly.csv", hourly);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[FZ_PATH];
    if (!path[0]) {
        fzs_fixtures();
        fz_path("scenario.yaml", path);
    }
    fz_write(path, data, size);
    dcsim_scenario *sc = NULL;
    dcsim_diag d;
    dcsim_status st = dcsim_scenario_load(path, NULL, 0, false, 0, &sc, &d);
    if (st == DCSIM_OK) {
        fzs_loaded++;
        dcsim_scenario_print_plan(sc, fz_devnull());
        dcsim_scenario_free(sc);
    } else {
        fz_check_refusal(st, &d, "scenario");
        if (sc)
            fz_die("a refused scenario was handed out", path);
    }
    return 0;
}
