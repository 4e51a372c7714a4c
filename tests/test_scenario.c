/* The scenario loader: values land in SI units, defaults apply, references resolve into the
 * activity network, overrides change what they name, and errors name where and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dcsim/scenario.h"
#include "support/testutil.h"

static dcsim_scenario *load_src(const char *rel, const char *const *sets, size_t n)
{
    char path[4096];
    tu_src_path(rel, path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (dcsim_scenario_load(path, sets, n, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load %s", rel);
    }
    return sc;
}

/* Write text to a scratch file and load it, expecting failure; returns the diagnostic. */
static dcsim_diag load_text_fail(const char *text, const char *const *sets, size_t n)
{
    char path[4200];
    char *dir = tu_write_temp("s.yaml", text, path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    dcsim_status st = dcsim_scenario_load(path, sets, n, false, 0, &sc, &d);
    assert_int_equal(st, DCSIM_EINPUT);
    assert_null(sc);
    tu_rm_tree(dir);
    free(dir);
    return d;
}

static uint32_t activity(const dcsim_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->n_activities; i++)
        if (strcmp(sc->activities[i].name, name) == 0)
            return i;
    fail_msg("no activity %s", name);
    return 0;
}

static void gate_basic_values(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_src("tests/scenarios/gate-basic.yaml", NULL, 0);
    /* 2025-01-01 is 20089 days after 1970-01-01: 20089 x 86400 = 1735689600. */
    assert_int_equal(sc->start_unix, 1735689600LL);
    assert_int_equal(sc->horizon_s, 60LL * 86400);
    assert_int_equal(sc->sample_s, 86400);
    assert_int_equal(sc->seed, 7);
    tu_close(sc->reserve, 0.0, 0);
    assert_int_equal(sc->n_sources, 2);
    tu_close(sc->sources[0].capacity_w, 10e6, 1e-6);
    tu_close(sc->sources[1].capacity_w, 6e6, 1e-6);
    assert_int_equal(sc->sources[1].n_stages, 1);
    assert_int_equal(sc->n_buildings, 1);
    tu_close(sc->buildings[0].pue, 1.25, 0);
    tu_close(sc->buildings[0].it_capacity_w, 12e6, 1e-6);
    tu_close(sc->rack_models[0].peak_w, 120e3, 1e-9);
    tu_close(sc->rack_models[0].idle_w, 30e3, 1e-9);
    assert_int_equal(sc->n_racks, 100);
    assert_int_equal(sc->n_gpus, 7200);
    tu_close(sc->deliveries[0].per_month, 3044, 0);
    tu_close(dcsim_dist_mean(&sc->deliveries[0].commissioning), 8 * 86400.0, 1e-9);
    assert_int_equal(sc->milestones[0].planned_s, 30LL * 86400);
    assert_int_equal(sc->milestones[0].metric, DCSIM_METRIC_RACKS_ENERGIZED);
    tu_close(sc->milestones[0].threshold, 100, 0);
    /* Defaults: 'late-source' stage waits for nothing; the source waits for its stage. */
    uint32_t build = activity(sc, "late-source.build"), src = activity(sc, "late-source");
    assert_int_equal(sc->activities[build].n_deps, 0);
    assert_int_equal(sc->activities[src].n_deps, 1);
    assert_int_equal(sc->activities[src].deps[0], build);
    dcsim_scenario_free(sc);
}

static void abilene_network(void **state)
{
    (void)state;
    dcsim_scenario *sc = load_src("scenarios/stargate-abilene.yaml", NULL, 0);
    /* 2 x 700 + 6 x 740 racks of 72 GPUs. */
    assert_int_equal(sc->n_racks, 5840);
    assert_int_equal(sc->n_gpus, 5840ULL * 72);
    /* Gas commissioning waits for construction and turbines; turbines wait for nothing
     * (after: []); construction waits for the permit (the previous stage, by default). */
    uint32_t comm = activity(sc, "gas.commissioning"), turb = activity(sc, "gas.turbine-delivery");
    uint32_t plant = activity(sc, "gas.plant-construction"), permit = activity(sc, "gas.air-permit");
    assert_int_equal(sc->activities[comm].n_deps, 2);
    assert_int_equal(sc->activities[turb].n_deps, 0);
    assert_int_equal(sc->activities[plant].n_deps, 1);
    assert_int_equal(sc->activities[plant].deps[0], permit);
    /* Generation as units: 10 x 36 MW, one tranche per unit, the first at pipeline
     * completion and each next one a unit_interval later. */
    const dcsim_source *gas = &sc->sources[1];
    assert_string_equal(gas->name, "gas");
    assert_int_equal(gas->units, 10);
    assert_int_equal(gas->n_tranches, 10);
    tu_close(gas->capacity_w, 360e6, 1e-3);
    for (uint32_t k = 0; k < 10; k++)
        tu_close(sc->tranches[gas->first_tranche + k].capacity_w, 36e6, 1e-3);
    tu_close(dcsim_dist_mean(&sc->tranches[gas->first_tranche].delay), 0, 0);
    assert_true(gas->mtbf_s > 0);
    /* The grid's substation needs the transformers. */
    uint32_t sub = activity(sc, "grid.substation");
    assert_int_equal(sc->activities[sub].n_needs, 1);
    assert_int_equal(sc->activities[sub].needs[0], activity(sc, "lpt-345kv"));
    /* B8 starts no earlier than 2025-08-01 and waits for B1. */
    uint32_t b8 = activity(sc, "B8");
    assert_int_equal(sc->activities[b8].n_deps, 1);
    assert_int_equal(sc->activities[b8].deps[0], activity(sc, "B1"));
    dcsim_scenario_free(sc);
}

static void overrides_apply(void **state)
{
    (void)state;
    static const char *const sets[] = {"power.sources.grid.capacity=600MW", "reserve=0.1",
                                       "buildings.B1.duration=11mo", "seed=99"};
    dcsim_scenario *sc = load_src("scenarios/stargate-abilene.yaml", sets, 4);
    const dcsim_source *grid = &sc->sources[0];
    tu_close(grid->capacity_w, 600e6, 1e-3);
    /* Shares 0.2 / 0.4 / 0.4 of 600 MW. */
    tu_close(sc->tranches[grid->first_tranche].capacity_w, 120e6, 1e-3);
    tu_close(sc->tranches[grid->first_tranche + 1].capacity_w, 240e6, 1e-3);
    tu_close(sc->reserve, 0.1, 0);
    assert_int_equal(sc->seed, 99);
    /* The PERT became a fixed 11 months (11 x 30.44 d). */
    const dcsim_dist *d = &sc->activities[activity(sc, "B1")].duration;
    assert_string_equal(d->type->name, "fixed");
    tu_close(dcsim_dist_mean(d), 11 * 2630016.0, 1e-6);
    dcsim_scenario_free(sc);
}

static const char base[] =
    "start: 2025-01-01\n"
    "horizon: 1y\n"
    "power:\n"
    "  sources:\n"
    "    grid: {capacity: 10MW}\n"
    "buildings:\n"
    "  A: {start: 2025-01-01, duration: 30d, it_capacity: 5MW, rack_positions: 10}\n";

static void errors_name_place(void **state)
{
    (void)state;
    /* A misspelt override key is refused by the loader with a suggestion, at the --set
     * position: "power.sources.grid." is 19 characters, so the key is at column 20. */
    static const char *const sets[] = {"power.sources.grid.capcity=1MW"};
    dcsim_diag d = load_text_fail(base, sets, 1);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 20);
    assert_non_null(strstr(d.msg, "did you mean 'capacity'"));

    /* A cycle through two buildings names both. */
    static const char cyc[] =
        "start: 2025-01-01\n"
        "horizon: 1y\n"
        "buildings:\n"
        "  A: {after: B, duration: 30d, it_capacity: 5MW, rack_positions: 10}\n"
        "  B: {after: A, duration: 30d, it_capacity: 5MW, rack_positions: 10}\n";
    d = load_text_fail(cyc, NULL, 0);
    assert_non_null(strstr(d.msg, "dependency cycle: A -> B -> A"));
    assert_int_equal(d.line, 4);
    assert_int_equal(d.col, 14);

    /* A value in the wrong unit names the value's line and column. */
    static const char unit[] =
        "start: 2025-01-01\n"
        "horizon: 12 parsecs\n";
    d = load_text_fail(unit, NULL, 0);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 10);
    assert_non_null(strstr(d.msg, "horizon"));
    assert_non_null(strstr(d.msg, "parsecs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gate_basic_values),
        cmocka_unit_test(abilene_network),
        cmocka_unit_test(overrides_apply),
        cmocka_unit_test(errors_name_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
