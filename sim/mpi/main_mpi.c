/* dcsim-mpi: `dcsim mc` over the ranks of an MPI job, on one machine or many. Every rank loads
 * the scenario and runs a contiguous range of the replications on its threads; rank 0
 * gathers the others' results (mc_pack.h), finishes (criticality, bands, driver re-runs on
 * its threads) and writes the output directory as `dcsim mc` does: the same bytes for the
 * same seed and runs. Built only by `make mpi`; the library and build/dcsim know no MPI.
 * Exit codes as dcsim: 0 success, 1 runtime failure, 2 bad input or usage. */
#include <mpi.h>

#include "cli/cli_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/diag.h"
#include "dcsim/mc.h"
#include "dcsim/outdir.h"
#include "dcsim/scenario.h"
#include "dcsim/units.h"
#include "dcsim/version.h"
#include "mpi/mc_pack.h"

#define EXIT_USAGE 2
#define TAG_LEN 1
#define TAG_DATA 2
/* MPI counts are ints: a share larger than this travels in several messages. */
#define CHUNK_BYTES ((size_t)1 << 30)

static const char usage_text[] =
    "usage: mpirun -n RANKS dcsim-mpi mc SCENARIO -n RUNS [-j THREADS] [-o DIR] [--seed N]\n"
    "                                    [--set PATH=VALUE]... [-q]\n"
    "\n"
    "The Monte Carlo of `dcsim mc`, its replications spread over the ranks (each runs a\n"
    "contiguous share on its threads; rank 0 gathers, re-runs the drivers and writes).\n"
    "The output is the same bytes as `dcsim mc` with the same seed and runs.\n"
    "Every rank must be able to read SCENARIO (and its profiles) at the same path; the\n"
    "output directory is written by rank 0 only.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      output directory (default out/<scenario name>-mc)\n"
    "      --seed N          random seed (replaces the scenario's 'seed')\n"
    "      --set PATH=VALUE  override one scenario value\n"
    "  -n, --runs N          replications\n"
    "  -j, --threads N       threads per rank (default: the CPUs of its machine shared among\n"
    "                        the ranks on it); results do not depend on it\n"
    "      --force           replace an earlier dcsim output at DIR\n"
    "      --cost-runs N     price the first N runs against their planned schedule (default\n"
    "                        500, 0 for every run)\n"
    "      --mitigated       apply every risk's mitigation\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this text\n"
    "      --version         print the version\n"
    "--until-stable is not available under MPI yet: use dcsim mc --until-stable.\n";

typedef struct mpi_opts {
    const char *scenario;
    const char *output;
    bool has_seed;
    uint64_t seed;
    bool quiet;
    bool force;
    bool mitigated;
    uint64_t cost_runs;         /* --cost-runs: 0 the default, UINT64_MAX every run */
    uint64_t runs;
    unsigned threads;
    const char **sets;
    size_t n_sets;
} mpi_opts;

/* The job: this process's place in it. */
typedef struct job {
    int rank, size;
} job;

static int usage_error(bool speak, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every rank parses the same arguments and reaches the same verdict; only rank 0 speaks. */
static int usage_error(bool speak, const char *fmt, ...)
{
    if (!speak)
        return EXIT_USAGE;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dcsim-mpi: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see dcsim-mpi --help)\n");
    va_end(ap);
    return EXIT_USAGE;
}



/* The options of `dcsim mc`, with the same meanings and limits. Returns -1 when parsing
 * succeeded, else the exit code (0 after --help or --version). */
static int parse_args(int argc, char **argv, mpi_opts *o, bool speak)
{
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
        if (speak)
            printf("dcsim-mpi %s (scenario format %d)\n", DCSIM_VERSION,
                   DCSIM_SCENARIO_FORMAT);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "help") == 0)) {
        if (speak)
            fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2)
        return usage_error(speak, "a command is needed: mc");
    if (strcmp(argv[1], "mc") != 0)
        return usage_error(speak, "dcsim-mpi runs 'mc' only, not '%s'", argv[1]);
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    if (!o->sets) {
        if (speak)
            fprintf(stderr, "dcsim-mpi: error: out of memory\n");
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--seed") == 0 ||
            strcmp(a, "--set") == 0 || strcmp(a, "-n") == 0 || strcmp(a, "--runs") == 0 ||
            strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0 ||
            strcmp(a, "--cost-runs") == 0) {
            if (i + 1 >= argc)
                return usage_error(speak, "option '%s' needs a value", a);
            val = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0 || strncmp(a, "--seed=", 7) == 0 ||
                   strncmp(a, "--set=", 6) == 0 || strncmp(a, "--runs=", 7) == 0 ||
                   strncmp(a, "--threads=", 10) == 0 ||
                   strncmp(a, "--cost-runs=", 12) == 0) {
            val = strchr(a, '=') + 1;
        }
        if (strcmp(a, "-o") == 0 || cli_opt_is(a, "--output")) {
            o->output = val;
        } else if (cli_opt_is(a, "--seed")) {
            if (!cli_parse_u64(val, &o->seed))
                return usage_error(speak, "--seed needs a whole number from 0 to "
                                          "18446744073709551615, not '%s'", val);
            o->has_seed = true;
        } else if (cli_opt_is(a, "--set")) {
            o->sets[o->n_sets++] = val;
        } else if (strcmp(a, "-n") == 0 || cli_opt_is(a, "--runs")) {
            if (!cli_parse_u64(val, &o->runs) || o->runs == 0 || o->runs > 100000000)
                return usage_error(speak, "-n needs a number of runs from 1 to 100000000, "
                                          "not '%s'", val);
        } else if (strcmp(a, "-j") == 0 || cli_opt_is(a, "--threads")) {
            uint64_t t;
            if (!cli_parse_u64(val, &t) || t == 0 || t > 1024)
                return usage_error(speak, "-j needs a number of threads from 1 to 1024, "
                                          "not '%s'", val);
            o->threads = (unsigned)t;
        } else if (cli_opt_is(a, "--cost-runs")) {
            if (!cli_parse_u64(val, &o->cost_runs) || o->cost_runs > 100000000)
                return usage_error(speak, "--cost-runs needs a number of runs from 0 (all of them) to "
                                   "100000000, not '%s'", val);
            if (o->cost_runs == 0)
                o->cost_runs = UINT64_MAX;      /* every run */
        } else if (strcmp(a, "--until-stable") == 0) {
            return usage_error(speak, "--until-stable is not available under MPI yet (its "
                                      "batches need every rank's results); run it with "
                                      "'dcsim mc --until-stable'");
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (strcmp(a, "--mitigated") == 0) {
            o->mitigated = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            if (speak)
                fputs(usage_text, stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error(speak, "unknown option '%s'", a);
        } else if (!o->scenario) {
            o->scenario = a;
        } else {
            return usage_error(speak, "unexpected argument '%s' (one scenario at a time)", a);
        }
    }
    if (!o->scenario)
        return usage_error(speak, "'mc' needs a scenario file");
    if (o->runs == 0)
        return usage_error(speak, "'mc' needs the number of runs: -n RUNS");
    return -1;
}

/* The command line as typed, for meta.csv, by the rule of `dcsim` (sim/cli/main.c):
 * arguments with spaces or quotes are quoted. */


/* Wait for a request without spinning a CPU: ranks sharing a machine with rank 0 would
 * otherwise take cycles from its threads while it runs its share or the driver re-runs. */
static void wait_idle(MPI_Request *rq)
{
    int done = 0;
    struct timespec nap = {0, 2 * 1000 * 1000};
    for (;;) {
        MPI_Test(rq, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        nanosleep(&nap, NULL);
    }
}

/* Every rank reports how its step went; rank 0 prints the first failure (lowest rank) and
 * all learn its exit code (0: go on). Collective. */
static int agree(const job *jb, dcsim_status st, const dcsim_diag *d)
{
    dcsim_diag mine;
    if (st)
        mine = *d, mine.status = st;
    else
        dcsim_diag_clear(&mine);
    dcsim_diag *all = jb->rank == 0 ? calloc((size_t)jb->size, sizeof *all) : NULL;
    int code = 0;
    if (jb->rank == 0 && !all) {
        fprintf(stderr, "dcsim-mpi: error: out of memory\n");
        code = 1;
    }
    MPI_Request rq;
    MPI_Igather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, 0,
                MPI_COMM_WORLD, &rq);
    wait_idle(&rq);
    for (int r = 0; all && r < jb->size && !code; r++)
        if (all[r].status) {
            if (r > 0)
                fprintf(stderr, "dcsim-mpi: on rank %d of %d:\n", r, jb->size);
            dcsim_diag_print(&all[r], stderr);
            code = dcsim_status_exit_code(all[r].status);
        }
    free(all);
    MPI_Ibcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD, &rq);
    wait_idle(&rq);
    return code;
}

/* Every rank ends here once rank 0 has said why: a failure aborts the job with its exit code
 * (mpirun returns it), success finalizes. */
static int end_job(const job *jb, int code)
{
    fflush(stdout);
    fflush(stderr);
    MPI_Request rq;
    MPI_Ibarrier(MPI_COMM_WORLD, &rq);
    wait_idle(&rq);
    if (code && jb->rank == 0)
        MPI_Abort(MPI_COMM_WORLD, code);
    MPI_Finalize();
    return code;
}

static void send_bytes(const void *buf, size_t len, int to)
{
    uint64_t n = len;
    MPI_Send(&n, 1, MPI_UINT64_T, to, TAG_LEN, MPI_COMM_WORLD);
    for (size_t at = 0; at < len; at += CHUNK_BYTES) {
        size_t c = len - at < CHUNK_BYTES ? len - at : CHUNK_BYTES;
        MPI_Send((const char *)buf + at, (int)c, MPI_BYTE, to, TAG_DATA, MPI_COMM_WORLD);
    }
}

/* NULL when out of memory (the message is then received nowhere: the caller aborts). */
static void *recv_bytes(int from, size_t *len)
{
    uint64_t n;
    MPI_Recv(&n, 1, MPI_UINT64_T, from, TAG_LEN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return NULL;
    for (size_t at = 0; at < n; at += CHUNK_BYTES) {
        size_t c = n - at < CHUNK_BYTES ? n - at : CHUNK_BYTES;
        MPI_Recv(buf + at, (int)c, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    *len = (size_t)n;
    return buf;
}

/* Threads per rank when -j is not given: the machine's CPUs shared among its ranks. */
static unsigned default_threads(void)
{
    MPI_Comm node;
    int local = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, &local);
        MPI_Comm_free(&node);
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long t = (cpus > 0 ? cpus : 1) / (local > 0 ? local : 1);
    return t > 0 ? (unsigned)t : 1;
}

/* Rank 0: receive every other rank's share into mc. */
static dcsim_status gather(const job *jb, dcsim_mc *mc, dcsim_diag *d)
{
    for (int r = 1; r < jb->size; r++) {
        size_t len = 0;
        void *buf = recv_bytes(r, &len);
        if (!buf)
            return dcsim_diag_set(d, DCSIM_ENOMEM, NULL, 0, 0,
                                  "out of memory for the results of rank %d", r);
        dcsim_status st = dcsim_mc_unpack(mc, buf, len, d);
        free(buf);
        if (st) {
            char msg[sizeof d->msg];
            snprintf(msg, sizeof msg, "%s", d->msg);
            return dcsim_diag_set(d, st, NULL, 0, 0, "rank %d of %d: %.900s", r, jb->size, msg);
        }
    }
    return DCSIM_OK;
}

/* Rank 0, with every replication in mc: finish and write as `dcsim mc` does. */
static int finish_and_write(const job *jb, const mpi_opts *o, const dcsim_scenario *sc,
                            dcsim_mc *mc, const char *cmd)
{
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_status st = dcsim_mc_finish(mc, &d);
    char out[4096];
    if (o->output)
        snprintf(out, sizeof out, "%s", o->output);
    else
        snprintf(out, sizeof out, "out/%s-mc", sc->name);
    dcsim_outdir od = {0};
    if (!st)
        st = dcsim_outdir_begin(&od, out, o->force, &d);
    if (!st) {
        st = dcsim_mc_write(mc, od.tmp_path, cmd, &d);
        if (!st)
            st = dcsim_outdir_commit(&od, &d);
        if (st)
            dcsim_outdir_abort(&od);
    }
    if (st) {
        dcsim_diag_print(&d, stderr);
        return dcsim_status_exit_code(st);
    }
    if (!o->quiet) {
        printf("dcsim %s: %s, seed %llu, %llu runs on %d ranks\n", DCSIM_VERSION, sc->name,
               (unsigned long long)sc->seed, (unsigned long long)dcsim_mc_runs(mc), jb->size);
        cli_print_grades(sc, mc, stdout);
        printf("wrote %s/\n", out);
    }
    return 0;
}

static int run_job(const job *jb, const mpi_opts *o, const char *cmd)
{
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_scenario *sc = NULL;
    dcsim_status st = dcsim_scenario_load(o->scenario, o->sets, o->n_sets, o->has_seed,
                                          o->seed, &sc, &d);
    if (!st && o->mitigated)
        dcsim_scenario_mitigate_all(sc);
    dcsim_mc_opts mo = {.runs = o->runs, .threads = o->threads ? o->threads : default_threads(),
                        .cost_runs = o->cost_runs,
                        .progress = jb->rank == 0 && !o->quiet && isatty(STDERR_FILENO)};
    dcsim_mc *mc = NULL;
    if (!st)
        st = dcsim_mc_begin(sc, &mo, &mc, &d);
    int code = agree(jb, st, &d);
    /* Contiguous shares: each rank's results sit together in the arrays, so a rank touches
     * only its slice of them (they are mapped lazily). */
    uint64_t first = o->runs * (uint64_t)jb->rank / (uint64_t)jb->size;
    uint64_t count = o->runs * (uint64_t)(jb->rank + 1) / (uint64_t)jb->size - first;
    void *buf = NULL;
    size_t len = 0;
    if (!code) {
        st = dcsim_mc_run_range(mc, first, count, &d);
        if (!st && jb->rank > 0)
            st = dcsim_mc_pack(mc, first, count, &buf, &len, &d);
        code = agree(jb, st, &d);
    }
    if (!code && jb->rank > 0)
        send_bytes(buf, len, 0);
    free(buf);
    if (!code && jb->rank == 0) {
        st = gather(jb, mc, &d);
        if (st) {
            dcsim_diag_print(&d, stderr);
            code = dcsim_status_exit_code(st);
        }
    }
    if (!code && jb->rank == 0)
        code = finish_and_write(jb, o, sc, mc, cmd);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
    return end_job(jb, code);
}

int main(int argc, char **argv)
{
    /* The command line before MPI_Init may touch argv. */
    static char cmd[8192];
    cli_join_args(argc, argv, cmd, sizeof cmd);
    int provided;
    /* Only the main thread calls MPI; the replication threads never do. */
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    job jb;
    MPI_Comm_rank(MPI_COMM_WORLD, &jb.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &jb.size);
    mpi_opts o = {0};
    int rc = parse_args(argc, argv, &o, jb.rank == 0);
    if (rc < 0)
        rc = run_job(&jb, &o, cmd);
    else
        rc = end_job(&jb, rc);
    free(o.sets);
    return rc;
}
