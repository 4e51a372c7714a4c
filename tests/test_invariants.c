/* The conservation checks (sim/model/invariants.c). They hold at every sample step of the
 * shipped scenarios and of test scenarios with batteries, shedding, throttling, switches and
 * both failure modes; and each one fires, naming time, seed and values, when the counter it
 * guards is off by one (the model run by hand here, then corrupted in a child process). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "dcsim/engine.h"
#include "dcsim/eventlog.h"
#include "dcsim/scenario.h"
#include "model/model.h"
#include "support/testutil.h"

static void every_step_holds(void **state)
{
    (void)state;
    setenv("DCSIM_INVARIANTS", "1", 1);
    /* Each with the failure modes it has: "a" as shipped, "d" also with discrete failures. */
    static const char *const scenarios[][2] = {
        {"scenarios/stargate-abilene.yaml", "d"},      {"scenarios/colossus-memphis.yaml", "a"},
        {"scenarios/stargate-program.yaml", "a"},      {"tests/scenarios/shortage-battery.yaml", "a"},
        {"tests/scenarios/shortage-defer.yaml", "a"},  {"tests/scenarios/shortage-throttle.yaml", "a"},
        {"tests/scenarios/shortage-priority.yaml", "a"}, {"tests/scenarios/fleet-switch.yaml", "a"},
        {"tests/scenarios/fleet-shed.yaml", "d"},      {"tests/scenarios/fleet-spares.yaml", "d"},
        {"tests/scenarios/pool-sites.yaml", "a"},      {"tests/scenarios/workload-goodput.yaml", "d"},
    };
    static const char *const discrete[] = {"failures.mode=discrete"},
                             *const aggregate[] = {"failures.mode=aggregate"};
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        bool both = scenarios[i][1][0] == 'd';
        for (int pass = 0; pass < (both ? 3 : 1); pass++) {
            char *dir = tu_mkdtemp();
            /* A failing invariant aborts the test binary: reaching the end is the check. */
            tu_run_scenario(scenarios[i][0], pass == 1 ? discrete : pass == 2 ? aggregate : NULL,
                            pass ? 1 : 0, dir);
            tu_rm_tree(dir);
            free(dir);
        }
    }
}

/* ---- each check fires ---------------------------------------------------------------- */

typedef struct world {
    dcsim_scenario *sc;
    dcsim_engine *eng;
    dcsim_model *m;
    dcsim_eventlog log;
} world;

static void on_event(void *ctx, dcsim_engine *e, const dcsim_event *ev)
{
    (void)e;
    model_handle(((world *)ctx)->m, ev);
}

static void run_world(world *w, const char *rel, const char *set)
{
    char path[4096];
    dcsim_diag d;
    tu_src_path(rel, path, sizeof path);
    const char *sets[] = {set};
    if (dcsim_scenario_load(path, sets, set ? 1 : 0, false, 0, &w->sc, &d) != DCSIM_OK)
        fail_msg("%s: %s", rel, d.msg);
    dcsim_eventlog_init(&w->log);
    w->eng = dcsim_engine_create(on_event, w, 1024, 0);
    assert_non_null(w->eng);
    w->m = model_create(w->sc, 0, w->eng, &w->log);
    assert_non_null(w->m);
    model_begin(w->m);
    dcsim_engine_run_until(w->eng, w->sc->horizon_s);
    model_check(w->m);      /* as run: holds */
}

static void free_world(world *w)
{
    model_destroy(w->m);
    dcsim_engine_destroy(w->eng);
    dcsim_eventlog_fini(&w->log);
    dcsim_scenario_free(w->sc);
}

typedef void (*corrupt_fn)(dcsim_model *m);

/* In a child: corrupt, check. The child must die by abort and say `want`, the time and the
 * seed. */
static void fires(world *w, corrupt_fn corrupt, const char *want)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        corrupt(w->m);
        model_check(w->m);
        _exit(0);       /* not reached when the check works */
    }
    close(fds[1]);
    char msg[2048];
    size_t n = 0;
    ssize_t k;
    while (n < sizeof msg - 1 && (k = read(fds[0], msg + n, sizeof msg - 1 - n)) > 0)
        n += (size_t)k;
    msg[n] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
        fail_msg("corrupting for '%s' did not abort (status %d): %s", want, status, msg);
    char seed[64];
    snprintf(seed, sizeof seed, "seed %llu", (unsigned long long)w->sc->seed);
    if (!strstr(msg, want) || !strstr(msg, "invariant violated at t=") || !strstr(msg, seed))
        fail_msg("message lacks '%s', the time or the seed: %s", want, msg);
}

static void one_more_delivered(dcsim_model *m)
{
    m->n_delivered++;
}

/* Delivered and installed both: the first balance holds, the second does not. */
static void one_more_installed(dcsim_model *m)
{
    m->n_delivered++;
    m->n_installed++;
}

static void one_more_stranded(dcsim_model *m)
{
    m->site[0].n_stranded++;
}

static void one_gpu_down(dcsim_model *m)
{
    m->site[0].gpus_down++;
}

static void one_gpu_lit(dcsim_model *m)
{
    m->gpus_energized++;
}

static void energy_from_nowhere(dcsim_model *m)
{
    m->supplied_j += 1e12;
}

static void battery_leaks(dcsim_model *m)
{
    for (uint32_t s = 0; s < m->sc->n_sources; s++)
        if (m->sc->sources[s].type == DCSIM_SOURCE_STORAGE)
            m->soc_j[s] *= 0.5;
}

static void each_check_fires(void **state)
{
    (void)state;
    world w;
    run_world(&w, "tests/scenarios/gate-basic.yaml", NULL);
    fires(&w, one_more_delivered, "racks delivered");
    fires(&w, one_more_installed, "racks installed");
    fires(&w, one_more_stranded, "rack counters");
    fires(&w, one_gpu_lit, "GPUs energized");
    fires(&w, energy_from_nowhere, "energy supplied");
    free_world(&w);

    /* A fleet with failures (discrete): GPUs down recounted rack by rack. */
    run_world(&w, "tests/scenarios/fleet-availability.yaml", "failures.mode=discrete");
    fires(&w, one_gpu_down, "GPUs down");
    free_world(&w);

    /* Batteries: half the charge vanishing breaks the energy balance. */
    run_world(&w, "tests/scenarios/shortage-battery.yaml", NULL);
    fires(&w, battery_leaks, "energy supplied");
    free_world(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_step_holds),
        cmocka_unit_test(each_check_fires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
