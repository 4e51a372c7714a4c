/* Fuzz target: the --set overrides. The input is read as lines, each one PATH=VALUE argument
 * as the command line would pass it (at most FZSET_MAX of them; the rest is ignored), applied
 * in order to a small valid scenario through dcsim_scenario_load, which then validates the
 * result. The base has what the paths can walk: named sections, a list of tranches indexed
 * by position, distributions that an override may fix to one value, a job and equipment. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/scenario.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZSET_MAX = 8 };

static const char fzset_base_yaml[] =
    "dcsim: 1\n"
    "name: set-base\n"
    "start: 2025-01-01\n"
    "horizon: 90d\n"
    "sample: 1d\n"
    "seed: 7\n"
    "reserve: 0.05\n"
    "equipment:\n"
    "  lpt:\n"
    "    count: 2\n"
    "    ordered: 0d\n"
    "    lead_time: {dist: pert, min: 20d, mode: 30d, max: 60d}\n"
    "power:\n"
    "  sources:\n"
    "    grid:\n"
    "      type: grid\n"
    "      capacity: 20MW\n"
    "      stages:\n"
    "        substation:\n"
    "          duration: {dist: triangular, min: 10d, mode: 20d, max: 40d}\n"
    "          needs: [lpt]\n"
    "      tranches:\n"
    "        - share: 0.5\n"
    "        - share: 0.5\n"
    "          delay: {dist: uniform, min: 5d, max: 15d}\n"
    "    gas:\n"
    "      type: generation\n"
    "      units: 2\n"
    "      unit_capacity: 3MW\n"
    "      mtbf: 2000h\n"
    "      mttr: 2d\n"
    "buildings:\n"
    "  hall:\n"
    "    start: 2025-01-01\n"
    "    duration: 0d\n"
    "    it_capacity: 12MW\n"
    "    rack_positions: 100\n"
    "    pue: 1.25\n"
    "    install_per_day: 200\n"
    "gpus:\n"
    "  g1:\n"
    "    peak_flops: 1e15\n"
    "racks:\n"
    "  test-rack:\n"
    "    gpu: g1\n"
    "    gpus: 72\n"
    "    peak: 120kW\n"
    "    idle: 30kW\n"
    "deliveries:\n"
    "  hall-racks:\n"
    "    rack: test-rack\n"
    "    building: hall\n"
    "    start: 0d\n"
    "    per_month: 3044\n"
    "    total: 100\n"
    "    commissioning: 8d\n"
    "jobs:\n"
    "  train:\n"
    "    flop: 1e21\n"
    "    gpus: 144\n"
    "    start: 10d\n"
    "    params: 1e9\n"
    "    tokens_per_step: 2e4\n"
    "milestones:\n"
    "  all-racks:\n"
    "    planned: 30d\n"
    "    when: racks_energized >= 100\n";

/* Loads that succeeded, for tests/test_fuzz.c (the base alone must load). */
static size_t fzset_loaded;

static const char *fzset_base_path(void)
{
    static char path[FZ_PATH];
    if (!path[0]) {
        fz_path("set-base.yaml", path);
        fz_write(path, fzset_base_yaml, sizeof fzset_base_yaml - 1);
    }
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *base = fzset_base_path();
    char *text = fz_cstr(data, size);
    const char *sets[FZSET_MAX];
    size_t n = 0;
    char *p = text;
    /* An empty input applies nothing; a trailing newline does not make an empty override. */
    while (n < FZSET_MAX && *p) {
        char *nl = strchr(p, '\n');
        sets[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    /* The seed flag as `--seed` gives it, chosen by the input so both ways are covered. */
    bool has_seed = size % 2 == 1;
    dcsim_scenario *sc = NULL;
    dcsim_diag d;
    dcsim_status st = dcsim_scenario_load(base, sets, n, has_seed, size, &sc, &d);
    if (st == DCSIM_OK) {
        fzset_loaded++;
        if (has_seed && sc->seed != size)
            fz_die("--seed was not applied", base);
        dcsim_scenario_free(sc);
    } else {
        fz_check_refusal(st, &d, "set");
        if (sc)
            fz_die("a refused scenario was handed out", base);
    }
    free(text);
    return 0;
}
