/* Cluster runs against the threaded Monte Carlo. In process, without MPI: replications split
 * into ranges, packed and unpacked (sim/mpi/mc_pack.c), finish into the same bytes as
 * dcsim_mc_run, with exact bands and with histograms. With Open MPI (DCSIM_MPI_BIN set by
 * make test, mpirun on PATH): `mpirun -n 2 dcsim-mpi mc` writes the same files as
 * `dcsim mc -j 2`, meta.csv apart from the command line; without, that test skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"
#include "mpi/mc_pack.h"
#include "support/testutil.h"

static const char *const mc_files[] = {"runs.csv", "bands.csv", "milestones.csv",
                                       "drivers.csv", "meta.csv"};
#define N_FILES (sizeof mc_files / sizeof *mc_files)

static dcsim_scenario *load(const char *rel)
{
    char path[4096];
    tu_src_path(rel, path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (dcsim_scenario_load(path, NULL, 0, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load %s", rel);
    }
    return sc;
}

static char *write_mc(const dcsim_mc *mc)
{
    char *dir = tu_mkdtemp();
    dcsim_diag d;
    if (dcsim_mc_write(mc, dir, "same command", &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot write the Monte Carlo");
    }
    return dir;
}

/* meta.csv without its command_line row (the command differs between the front ends);
 * text holds len bytes and room for one more. Returns the new length. */
static size_t drop_command_line(char *text, size_t len)
{
    text[len] = '\0';
    char *row = strstr(text, "\ncommand_line,");
    if (row) {
        char *end = strchr(row + 1, '\n');
        if (end)
            memmove(row + 1, end + 1, strlen(end + 1) + 1);
        else
            row[1] = '\0';
    }
    return strlen(text);
}

static void same_files(const char *a_dir, const char *b_dir, bool ignore_command,
                       const char *what)
{
    for (size_t f = 0; f < N_FILES; f++) {
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", a_dir, mc_files[f]);
        snprintf(b, sizeof b, "%s/%s", b_dir, mc_files[f]);
        size_t la, lb;
        char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
        if (!x || !y)
            fail_msg("%s: cannot read %s", what, !x ? a : b);
        if (ignore_command && strcmp(mc_files[f], "meta.csv") == 0) {
            x = realloc(x, la + 1), y = realloc(y, lb + 1);
            assert_non_null(x);
            assert_non_null(y);
            la = drop_command_line(x, la);
            lb = drop_command_line(y, lb);
        }
        if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s: %s differs", what, mc_files[f]);
        free(x), free(y);
    }
}

static dcsim_mc *begin(const dcsim_scenario *sc, const dcsim_mc_opts *o)
{
    dcsim_mc *mc = NULL;
    dcsim_diag d;
    if (dcsim_mc_begin(sc, o, &mc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("dcsim_mc_begin failed");
    }
    return mc;
}

static void run_range(dcsim_mc *mc, uint64_t first, uint64_t count)
{
    dcsim_diag d;
    if (dcsim_mc_run_range(mc, first, count, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("dcsim_mc_run_range %llu +%llu failed", (unsigned long long)first,
                 (unsigned long long)count);
    }
}

/* Three "ranks" of uneven shares (one of them empty) finish into the threaded run's bytes. */
static void split_same_bytes(const char *rel, size_t budget)
{
    dcsim_scenario *sc = load(rel);
    const uint64_t runs = 40;
    dcsim_mc_opts o = {.runs = runs, .threads = 2, .driver_runs = 5,
                       .band_budget_bytes = budget};
    dcsim_mc *ref = NULL;
    dcsim_diag d;
    assert_int_equal(dcsim_mc_run(sc, &o, &ref, &d), DCSIM_OK);
    char *ref_dir = write_mc(ref);

    const uint64_t first[4] = {0, 13, 13, 31}, count[4] = {13, 0, 18, 9};
    dcsim_mc *part[4];
    for (int k = 0; k < 4; k++) {
        o.threads = (unsigned)(k % 2 + 1);
        part[k] = begin(sc, &o);
        run_range(part[k], first[k], count[k]);
    }
    assert_int_equal(dcsim_mc_bands_exact(part[0]), budget == 0);
    /* Not every replication has results yet: finish refuses. */
    assert_int_not_equal(dcsim_mc_finish(part[0], &d), DCSIM_OK);
    void *buf[4] = {NULL};
    size_t len[4] = {0};
    for (int k = 3; k >= 1; k--) {      /* arrival order does not matter */
        assert_int_equal(dcsim_mc_pack(part[k], first[k], count[k], &buf[k], &len[k], &d),
                         DCSIM_OK);
        if (dcsim_mc_unpack(part[0], buf[k], len[k], &d)) {
            dcsim_diag_print(&d, stderr);
            fail_msg("unpack of part %d failed", k);
        }
    }
    if (dcsim_mc_finish(part[0], &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("finish failed");
    }
    assert_int_equal(dcsim_mc_runs(part[0]), runs);
    char *split_dir = write_mc(part[0]);
    same_files(ref_dir, split_dir, false, rel);

    for (int k = 1; k < 4; k++)
        free(buf[k]);
    for (int k = 0; k < 4; k++)
        dcsim_mc_free(part[k]);
    dcsim_mc_free(ref);
    tu_rm_tree(ref_dir), tu_rm_tree(split_dir);
    free(ref_dir), free(split_dir);
    dcsim_scenario_free(sc);
}

static void split_exact_bands(void **state)
{
    (void)state;
    split_same_bytes("tests/scenarios/mc-uniform.yaml", 0);
    split_same_bytes("tests/scenarios/mc-parallel.yaml", 0);
    split_same_bytes("tests/scenarios/mc-risks.yaml", 0);      /* risks.csv from the shares */
}

static void split_histogram_bands(void **state)
{
    (void)state;
    split_same_bytes("tests/scenarios/mc-uniform.yaml", 1);   /* a 1-byte budget: histograms */
}

/* A share packed for another scenario, another run count or arriving twice is refused. */
static void unpack_refuses_mismatch(void **state)
{
    (void)state;
    dcsim_scenario *uni = load("tests/scenarios/mc-uniform.yaml");
    dcsim_scenario *par = load("tests/scenarios/mc-parallel.yaml");
    dcsim_mc_opts o = {.runs = 6, .threads = 1, .driver_runs = 1};
    dcsim_mc *a = begin(uni, &o), *b = begin(uni, &o), *other = begin(par, &o);
    o.runs = 7;
    dcsim_mc *longer = begin(uni, &o);
    run_range(b, 3, 3);
    run_range(other, 3, 3);
    run_range(longer, 3, 3);
    dcsim_diag d;
    void *buf;
    size_t len;
    assert_int_equal(dcsim_mc_pack(b, 0, 3, &buf, &len, &d), DCSIM_ERUNTIME);   /* not run */
    assert_int_equal(dcsim_mc_pack(other, 3, 3, &buf, &len, &d), DCSIM_OK);
    assert_int_equal(dcsim_mc_unpack(a, buf, len, &d), DCSIM_ERUNTIME);
    assert_non_null(strstr(d.msg, "scenario file"));
    free(buf);
    assert_int_equal(dcsim_mc_pack(longer, 3, 3, &buf, &len, &d), DCSIM_OK);
    assert_int_equal(dcsim_mc_unpack(a, buf, len, &d), DCSIM_ERUNTIME);
    free(buf);
    assert_int_equal(dcsim_mc_pack(b, 3, 3, &buf, &len, &d), DCSIM_OK);
    assert_int_equal(dcsim_mc_unpack(a, buf, len - 1, &d), DCSIM_ERUNTIME);    /* truncated */
    dcsim_mc_free(a);
    a = begin(uni, &(dcsim_mc_opts){.runs = 6, .threads = 1, .driver_runs = 1});
    assert_int_equal(dcsim_mc_unpack(a, buf, len, &d), DCSIM_OK);
    assert_int_equal(dcsim_mc_unpack(a, buf, len, &d), DCSIM_ERUNTIME);
    assert_non_null(strstr(d.msg, "twice"));
    free(buf);
    dcsim_mc_free(a), dcsim_mc_free(b), dcsim_mc_free(other), dcsim_mc_free(longer);
    dcsim_scenario_free(uni);
    dcsim_scenario_free(par);
}

/* Run argv with stdout and stderr into log; the exit status, or -1 after `limit` seconds. */
static int run_logged(char *const argv[], const char *log, int limit)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(log, "w", stdout) || dup2(fileno(stdout), STDERR_FILENO) < 0)
            _exit(126);
        /* Containers often forbid Open MPI's single-copy shared memory transport, and
         * MPI_Init leaks what a sanitizer build's leak checker would report: neither is
         * dcsim's. (mpirun passes its environment to the ranks it starts.) */
        if (strcmp(argv[0], "mpirun") == 0) {
            setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 1);
            setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    struct timespec nap = {0, 50 * 1000 * 1000};
    for (int k = 0; k < limit * 20; k++) {
        int status;
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        nanosleep(&nap, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static bool on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        const char *e = strchr(path, ':');
        size_t n = e ? (size_t)(e - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
        if (access(buf, X_OK) == 0)
            return true;
        path = e ? e + 1 : NULL;
    }
    return false;
}

static void show_log(const char *log)
{
    size_t n;
    char *text = tu_slurp(log, &n);
    if (text)
        fprintf(stderr, "%s\n", text);
    free(text);
}

static void mpirun_same_bytes(void **state)
{
    (void)state;
    const char *mpi_bin = getenv("DCSIM_MPI_BIN");
    if (!mpi_bin || !*mpi_bin || !on_path("mpirun")) {
        fprintf(stderr, "skipped: needs DCSIM_MPI_BIN (make test sets it when Open MPI is "
                        "installed) and mpirun\n");
        skip();
    }
    const char *bin = getenv("DCSIM_BIN");
    if (!bin)
        bin = "build/dcsim";
    char scen[4096], mpi_out[4200], thr_out[4200], log[4200];
    tu_src_path("tests/scenarios/mc-uniform.yaml", scen, sizeof scen);
    char *dir = tu_mkdtemp();
    snprintf(mpi_out, sizeof mpi_out, "%s/mpi", dir);
    snprintf(thr_out, sizeof thr_out, "%s/threads", dir);
    snprintf(log, sizeof log, "%s/log", dir);
    char *mpi_argv[] = {"mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2",
                        (char *)mpi_bin, "mc", scen, "-n", "40", "-j", "1", "-o", mpi_out,
                        NULL};
    int rc = run_logged(mpi_argv, log, 300);
    if (rc != 0) {
        show_log(log);
        fail_msg("mpirun -n 2 dcsim-mpi mc exited with %d", rc);
    }
    char *thr_argv[] = {(char *)bin, "mc", scen, "-n", "40", "-j", "2", "-q", "-o", thr_out,
                        NULL};
    rc = run_logged(thr_argv, log, 300);
    if (rc != 0) {
        show_log(log);
        fail_msg("dcsim mc -j 2 exited with %d", rc);
    }
    same_files(thr_out, mpi_out, true, "mpirun -n 2 against -j 2");
    tu_rm_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_exact_bands),
        cmocka_unit_test(split_histogram_bands),
        cmocka_unit_test(unpack_refuses_mismatch),
        cmocka_unit_test(mpirun_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
