/* dcsim: the command line, a thin client of libdcsim. It parses arguments, loads the
 * scenario, runs it, and writes outputs into a directory that appears atomically.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input or usage. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/diag.h"
#include "dcsim/mc.h"
#include "dcsim/sweep.h"
#include "dcsim/outdir.h"
#include "dcsim/plot.h"
#include "dcsim/report.h"
#include "dcsim/scenario.h"
#include "dcsim/units.h"
#include "dcsim/version.h"
#include "dcsim/world.h"
#include "cli/cli_util.h"

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: dcsim COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-o DIR] [--seed N] [--set PATH=VALUE]...   simulate one replication\n"
    "  mc SCENARIO -n RUNS [-j THREADS] [-o DIR] [--seed N] [--set PATH=VALUE]...\n"
    "                                                           Monte Carlo: grades, drivers\n"
    "  sweep SCENARIO --vary PATH=V1,V2,... [--vary ...] -n RUNS [-j THREADS] [-o DIR]\n"
    "                                                           what-if grid: grades per point\n"
    "  validate SCENARIO [--set PATH=VALUE]...                  check the scenario, print the plan\n"
    "  plot DIR                                                 draw the charts of a run, mc or\n"
    "                                                           sweep output (PNG and SVG)\n"
    "  report DIR                                               DIR/report.html: one page with\n"
    "                                                           grades, drivers and charts\n"
    "  help [COMMAND]                                           this text\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      output directory (default out/<scenario name>, -mc or -sweep\n"
    "                        added for those); it appears whole or not at all\n"
    "      --force           replace an earlier dcsim output at DIR (refused without it)\n"
    "      --seed N          random seed (replaces the scenario's 'seed')\n"
    "      --set PATH=VALUE  override one scenario value, e.g.\n"
    "                        --set power.sources.grid.capacity=800MW\n"
    "  -n, --runs N          replications (mc; per point for sweep)\n"
    "      --vary PATH=V1,V2,...  sweep: the values of one axis of the grid (repeatable)\n"
    "  -j, --threads N       threads (mc, sweep; default: one per CPU); results do not\n"
    "                        depend on it\n"
    "      --until-stable    mc: stop once every milestone's P80 moved < 1 day over the last\n"
    "                        3 batches of 100 runs (-n is then the most it will run)\n"
    "      --cost-runs N     mc: price the first N runs against their planned schedule (the\n"
    "                        cost of slip; default 500, 0 for every run)\n"
    "      --mitigated       run, mc, validate: apply every risk's mitigation (a sweep\n"
    "                        varies risks.NAME.mitigated=false,true instead)\n"
    "  -q, --quiet           print nothing but errors (and no progress bar)\n"
    "  -h, --help            this text\n"
    "      --version         print the version\n"
    "\n"
    "run writes timeseries.csv, events.csv, milestones.csv, summary.csv, meta.csv, jobs.csv;\n"
    "mc writes runs.csv, bands.csv, milestones.csv (grades), drivers.csv, meta.csv;\n"
    "sweep writes sweep.csv (one row per point) and meta.csv.\n"
    "plot draws every chart that applies into DIR (and DIR/mc, DIR/sweep) with gnuplot and\n"
    "the scripts in plots/ ($DCSIM_PLOTS to use others); report draws what is missing first.\n"
    "Exit codes: 0 success, 1 runtime failure or output not writable, 2 bad input or usage,\n"
    "130 mc interrupted\n"
    "(Ctrl-C: the completed runs are written, meta.csv says partial).\n";

typedef struct cli_opts {
    const char *command;
    const char *scenario;
    const char *output;
    bool has_seed;
    uint64_t seed;
    bool quiet;
    bool force;
    bool until_stable;
    bool mitigated;
    uint64_t cost_runs;         /* --cost-runs: 0 the default, UINT64_MAX every run */
    uint64_t runs;
    unsigned threads;
    const char **sets;
    size_t n_sets;
    const char **varies;
    size_t n_varies;
} cli_opts;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dcsim: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see dcsim --help)\n");
    va_end(ap);
    return EXIT_USAGE;
}



/* Returns -1 when parsing succeeded, else the exit code. */
static int parse_args(int argc, char **argv, cli_opts *o)
{
    o->sets = calloc((size_t)argc + 1, sizeof *o->sets);
    o->varies = calloc((size_t)argc + 1, sizeof *o->varies);
    if (!o->sets || !o->varies) {
        fprintf(stderr, "dcsim: error: out of memory\n");
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--seed") == 0 ||
            strcmp(a, "--set") == 0 || strcmp(a, "-n") == 0 || strcmp(a, "--runs") == 0 ||
            strcmp(a, "-j") == 0 || strcmp(a, "--threads") == 0 ||
            strcmp(a, "--cost-runs") == 0 || strcmp(a, "--vary") == 0) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", a);
            val = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0 || strncmp(a, "--seed=", 7) == 0 ||
                   strncmp(a, "--set=", 6) == 0 || strncmp(a, "--runs=", 7) == 0 ||
                   strncmp(a, "--threads=", 10) == 0 ||
                   strncmp(a, "--cost-runs=", 12) == 0 || strncmp(a, "--vary=", 7) == 0) {
            val = strchr(a, '=') + 1;
        }
        if (strcmp(a, "-o") == 0 || cli_opt_is(a, "--output")) {
            o->output = val;
        } else if (cli_opt_is(a, "--seed")) {
            if (!cli_parse_u64(val, &o->seed))
                return usage_error("--seed needs a whole number from 0 to 18446744073709551615, "
                                   "not '%s'", val);
            o->has_seed = true;
        } else if (cli_opt_is(a, "--set")) {
            o->sets[o->n_sets++] = val;
        } else if (cli_opt_is(a, "--vary")) {
            if (strcmp(o->command, "sweep") != 0)
                return usage_error("'%s' goes with 'sweep'", a);
            o->varies[o->n_varies++] = val;
        } else if (strcmp(a, "-n") == 0 || cli_opt_is(a, "--runs")) {
            if (strcmp(o->command, "mc") != 0 && strcmp(o->command, "sweep") != 0)
                return usage_error("'%s' goes with 'mc'", a);
            if (!cli_parse_u64(val, &o->runs) || o->runs == 0 || o->runs > 100000000)
                return usage_error("-n needs a number of runs from 1 to 100000000, not '%s'",
                                   val);
        } else if (strcmp(a, "-j") == 0 || cli_opt_is(a, "--threads")) {
            uint64_t t;
            if (strcmp(o->command, "mc") != 0 && strcmp(o->command, "sweep") != 0)
                return usage_error("'%s' goes with 'mc'", a);
            if (!cli_parse_u64(val, &t) || t == 0 || t > 1024)
                return usage_error("-j needs a number of threads from 1 to 1024, not '%s'", val);
            o->threads = (unsigned)t;
        } else if (cli_opt_is(a, "--cost-runs")) {
            if (strcmp(o->command, "mc") != 0)
                return usage_error("'%s' goes with 'mc'", a);
            if (!cli_parse_u64(val, &o->cost_runs) || o->cost_runs > 100000000)
                return usage_error("--cost-runs needs a number of runs from 0 (all of them) to "
                                   "100000000, not '%s'", val);
            if (o->cost_runs == 0)
                o->cost_runs = UINT64_MAX;      /* every run */
        } else if (strcmp(a, "--until-stable") == 0) {
            if (strcmp(o->command, "mc") != 0)
                return usage_error("'%s' goes with 'mc'", a);
            o->until_stable = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (strcmp(a, "--mitigated") == 0) {
            if (strcmp(o->command, "sweep") == 0)
                return usage_error("'%s' does not go with 'sweep': vary "
                                   "risks.NAME.mitigated=false,true instead", a);
            o->mitigated = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (!o->scenario) {
            o->scenario = a;
        } else {
            return usage_error("unexpected argument '%s' (one scenario at a time)", a);
        }
    }
    if (!o->scenario)
        return usage_error("'%s' needs a scenario file", o->command);
    if ((strcmp(o->command, "mc") == 0 || strcmp(o->command, "sweep") == 0) && o->runs == 0)
        return usage_error("'%s' needs the number of runs: -n RUNS", o->command);
    if (strcmp(o->command, "sweep") == 0 && o->n_varies == 0)
        return usage_error("'%s' needs at least one --vary PATH=V1,V2,...", o->command);
    return -1;
}

static int fail(const dcsim_diag *d)
{
    dcsim_diag_print(d, stderr);
    return dcsim_status_exit_code(d->status);
}


/* Write an output directory that appears whole or not at all: `write` fills the temporary
 * sibling, then it is moved into place; on any failure nothing is left behind. */
typedef dcsim_status (*write_fn)(const void *what, const char *dir, const char *cmd,
                                 dcsim_diag *d);

static dcsim_status write_out(const char *out, bool force, int argc, char **argv,
                              write_fn write, const void *what, dcsim_diag *d)
{
    dcsim_outdir od = {0};
    dcsim_status st = dcsim_outdir_begin(&od, out, force, d);
    if (st)
        return st;
    char cmd[8192];
    cli_join_args(argc, argv, cmd, sizeof cmd);
    st = write(what, od.tmp_path, cmd, d);
    if (!st)
        st = dcsim_outdir_commit(&od, d);
    if (st)
        dcsim_outdir_abort(&od);
    return st;
}

static dcsim_status write_run(const void *w, const char *dir, const char *cmd, dcsim_diag *d)
{
    return dcsim_world_write(w, dir, cmd, d);
}

static dcsim_status write_mc(const void *mc, const char *dir, const char *cmd, dcsim_diag *d)
{
    return dcsim_mc_write(mc, dir, cmd, d);
}

static dcsim_status write_sweep(const void *sw, const char *dir, const char *cmd, dcsim_diag *d)
{
    return dcsim_sweep_write(sw, dir, cmd, d);
}

static void default_output(const dcsim_scenario *sc, char *buf, size_t n)
{
    snprintf(buf, n, "out/%s", sc->name);
}

static void print_milestones(const dcsim_scenario *sc, const dcsim_world *w, FILE *f)
{
    char d1[32], d2[32];
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_milestone *m = &sc->milestones[i];
        int64_t t = dcsim_world_milestone_time(w, i);
        dcsim_format_date(sc->start_unix + m->planned_s, d1, sizeof d1);
        if (t >= 0)
            fprintf(f, "  %-20s planned %-10s simulated %-20s slip %+8.1f d\n", m->name, d1,
                    dcsim_format_date(sc->start_unix + t, d2, sizeof d2),
                    (double)(t - m->planned_s) / 86400.0);
        else
            fprintf(f, "  %-20s planned %-10s not reached within the horizon\n", m->name, d1);
    }
}

/* The scenario with the command line's overrides, seed and --mitigated applied. */
static dcsim_status load(const cli_opts *o, dcsim_scenario **sc, dcsim_diag *d)
{
    dcsim_status st = dcsim_scenario_load(o->scenario, o->sets, o->n_sets, o->has_seed,
                                          o->seed, sc, d);
    if (!st && o->mitigated)
        dcsim_scenario_mitigate_all(*sc);
    return st;
}

static int cmd_run(int argc, char **argv, const cli_opts *o)
{
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (load(o, &sc, &d))
        return fail(&d);

    /* Timings for the closing lines: set-up (the model's arrays and streams), the event loop,
     * and writing the outputs. */
    double t0 = dcsim_wall_s(), t1 = t0, t2 = t0;
    dcsim_world *w = NULL;
    dcsim_status st = dcsim_world_create(sc, 0, &w, &d);
    if (!st) {
        t1 = dcsim_wall_s();
        st = dcsim_world_run(w, &d);
        t2 = dcsim_wall_s();
    }

    char out[4096];
    if (o->output)
        snprintf(out, sizeof out, "%s", o->output);
    else
        default_output(sc, out, sizeof out);
    if (!st)
        st = write_out(out, o->force, argc, argv, write_run, w, &d);
    double t3 = dcsim_wall_s();
    if (!st && !o->quiet) {
        uint64_t events = dcsim_world_events_handled(w);
        printf("dcsim %s: %s, seed %llu, %llu events\n", DCSIM_VERSION, sc->name,
               (unsigned long long)sc->seed, (unsigned long long)events);
        print_milestones(sc, w, stdout);
        printf("wrote %s/\n", out);
        /* The run's own loop, apart from its planned twin (the cost of slip). */
        double twin = dcsim_world_plan_seconds(w), sim = t2 - t1 - twin;
        printf("simulated in %.3f s (%.3g events/s); planned twin in %.3f s; set up in %.3f s, "
               "written in %.3f s\n",
               sim, sim > 0 ? (double)events / sim : 0.0, twin, t1 - t0, t3 - t2);
    }
    dcsim_world_destroy(w);
    dcsim_scenario_free(sc);
    return st ? fail(&d) : 0;
}


/* The one piece of global state in dcsim: a signal handler can only reach a global, and all
 * it does is ask the Monte Carlo to stop after the replications in flight. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int cmd_mc(int argc, char **argv, const cli_opts *o)
{
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (load(o, &sc, &d))
        return fail(&d);
    dcsim_mc_opts mo = {.runs = o->runs, .threads = o->threads,
                        .progress = !o->quiet && isatty(STDERR_FILENO),
                        .until_stable = o->until_stable, .stop = &interrupted,
                        .cost_runs = o->cost_runs};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    dcsim_mc *mc = NULL;
    dcsim_status st = dcsim_mc_run(sc, &mo, &mc, &d);
    char out[4096];
    if (o->output)
        snprintf(out, sizeof out, "%s", o->output);
    else
        snprintf(out, sizeof out, "out/%s-mc", sc->name);
    if (!st)
        st = write_out(out, o->force, argc, argv, write_mc, mc, &d);
    bool partial = !st && dcsim_mc_partial(mc);
    if (!st && !o->quiet) {
        printf("dcsim %s: %s, seed %llu, %llu runs%s\n", DCSIM_VERSION, sc->name,
               (unsigned long long)sc->seed, (unsigned long long)dcsim_mc_runs(mc),
               partial ? " (interrupted: the completed ones)"
               : o->until_stable ? (dcsim_mc_stable(mc) ? " (P80s stable)"
                                                        : " (P80s not yet stable)")
                                 : "");
        cli_print_grades(sc, mc, stdout);
        printf("wrote %s/\n", out);
    }
    if (partial)
        fprintf(stderr, "dcsim: interrupted after %llu of %llu runs; %s/ holds those\n",
                (unsigned long long)dcsim_mc_runs(mc), (unsigned long long)o->runs, out);
    dcsim_mc_free(mc);
    dcsim_scenario_free(sc);
    if (st)
        return fail(&d);
    return partial ? 130 : 0;
}

static int cmd_sweep(int argc, char **argv, const cli_opts *o)
{
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_sweep_axis *axes = calloc(o->n_varies + 1, sizeof *axes);
    if (!axes) {
        fprintf(stderr, "dcsim: error: out of memory\n");
        return 1;
    }
    dcsim_status st = DCSIM_OK;
    for (size_t k = 0; k < o->n_varies && !st; k++)
        st = dcsim_sweep_parse_vary(o->varies[k], &axes[k], &d);
    dcsim_mc_opts mo = {.runs = o->runs, .threads = o->threads, .skip_drivers = true,
                        .skip_costs = true,
                        .progress = !o->quiet && isatty(STDERR_FILENO)};
    dcsim_sweep *sw = NULL;
    if (!st)
        st = dcsim_sweep_run(o->scenario, o->sets, o->n_sets, o->has_seed, o->seed, axes,
                             o->n_varies, &mo, &sw, &d);
    char out[4096];
    if (o->output) {
        snprintf(out, sizeof out, "%s", o->output);
    } else {
        /* out/<file name>-sweep, as run and mc name theirs after the scenario. */
        const char *b = strrchr(o->scenario, '/');
        b = b ? b + 1 : o->scenario;
        const char *dot = strrchr(b, '.');
        snprintf(out, sizeof out, "out/%.*s-sweep", dot ? (int)(dot - b) : (int)strlen(b), b);
    }
    if (!st)
        st = write_out(out, o->force, argc, argv, write_sweep, sw, &d);
    if (!st && !o->quiet) {
        printf("dcsim %s: %zu points x %llu runs\n", DCSIM_VERSION, dcsim_sweep_points(sw),
               (unsigned long long)o->runs);
        for (size_t p = 0; p < dcsim_sweep_points(sw); p++) {
            printf("  point %zu:", p);
            for (size_t a = 0; a < o->n_varies; a++)
                printf(" %s=%s", axes[a].path, dcsim_sweep_value(sw, p, a));
            for (uint32_t i = 0; i < dcsim_sweep_milestones(sw); i++) {
                dcsim_mc_grade g;
                dcsim_sweep_grade(sw, p, i, &g);
                if (isfinite(g.slip_at_conf_days))
                    printf("  %s %c (%+.0f d)", dcsim_sweep_milestone_name(sw, i), g.grade,
                           g.slip_at_conf_days);
                else
                    printf("  %s F (never)", dcsim_sweep_milestone_name(sw, i));
            }
            printf("\n");
        }
        printf("wrote %s/\n", out);
    }
    dcsim_sweep_free(sw);
    for (size_t k = 0; k < o->n_varies; k++)
        dcsim_sweep_axis_free(&axes[k]);
    free(axes);
    return st ? fail(&d) : 0;
}

static int cmd_validate(const cli_opts *o)
{
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (load(o, &sc, &d))
        return fail(&d);
    if (!o->quiet) {
        dcsim_scenario_print_plan(sc, stdout);
        printf("ok: %s is valid\n", o->scenario);
    }
    dcsim_scenario_free(sc);
    return 0;
}

/* dcsim plot DIR | dcsim report DIR [-q] */
static int cmd_draw(int argc, char **argv)
{
    const char *cmd = argv[1], *dir = NULL;
    bool quiet = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s' for '%s'", a, cmd);
        } else if (!dir) {
            dir = a;
        } else {
            return usage_error("unexpected argument '%s' (one directory at a time)", a);
        }
    }
    if (!dir)
        return usage_error("'%s' needs an output directory of dcsim run, mc or sweep", cmd);
    dcsim_plot_opts po = {.log = quiet ? NULL : stdout};
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_status st;
    if (strcmp(cmd, "plot") == 0) {
        st = dcsim_plot_dir(dir, &po, &d);
    } else {
        st = dcsim_report_write(dir, &po, &d);
        if (!st && !quiet)
            printf("wrote %s/report.html\n", dir);
    }
    return st ? fail(&d) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dcsim %s (scenario format %d)\n", DCSIM_VERSION, DCSIM_SCENARIO_FORMAT);
        return 0;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "run") != 0 && strcmp(cmd, "validate") != 0 && strcmp(cmd, "mc") != 0 &&
        strcmp(cmd, "sweep") != 0) {
        if (strcmp(cmd, "plot") == 0 || strcmp(cmd, "report") == 0)
            return cmd_draw(argc, argv);
        return usage_error("unknown command '%s'", cmd);
    }
    cli_opts o = {.command = cmd};
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        rc = strcmp(cmd, "run") == 0     ? cmd_run(argc, argv, &o)
             : strcmp(cmd, "mc") == 0    ? cmd_mc(argc, argv, &o)
             : strcmp(cmd, "sweep") == 0 ? cmd_sweep(argc, argv, &o)
                                         : cmd_validate(&o);
    free(o.sets);
    free(o.varies);
    return rc;
}
