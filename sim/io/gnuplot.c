/* The gnuplot runner (include/dcsim/plot.h): gnuplot as a child process started with
 * posix_spawnp (no shell between dcsim and the paths it passes), its stderr read back through
 * a pipe so that a failure can be reported in gnuplot's own words. */
#include "dcsim/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/csv.h"

extern char **environ;

/* Charts per kind of directory. power.gp predates the in/out contract (it takes ts, ms and
 * out as the PNG path) and keeps it for users' scripts; the others take in= and out= (a stem). */
static const char *const run_charts[] = {"power",    "supply",    "pipeline", "gpus",
                                         "training", "inference", "gantt",    "costs"};
/* tornado-usd.gp is tornado.gp with money = 1 (drivers ranked by dollars): a script of its own
 * keeps each chart named after its script. */
static const char *const mc_charts[] = {"fan",     "scurve", "slip", "slipcost",
                                        "tornado", "tornado-usd"};
static const char *const sweep_charts[] = {"sweep"};

const char *const *dcsim_plot_charts(dcsim_dir_kind kind, size_t *n)
{
    switch (kind) {
    case DCSIM_DIR_RUN:
        *n = sizeof run_charts / sizeof *run_charts;
        return run_charts;
    case DCSIM_DIR_MC:
        *n = sizeof mc_charts / sizeof *mc_charts;
        return mc_charts;
    case DCSIM_DIR_SWEEP:
        *n = sizeof sweep_charts / sizeof *sweep_charts;
        return sweep_charts;
    default:
        *n = 0;
        return NULL;
    }
}

dcsim_dir_kind dcsim_dir_kind_of(const char *dir, char *name, size_t name_len, dcsim_diag *d)
{
    char path[PATH_MAX];
    if (name && name_len)
        name[0] = '\0';
    if ((size_t)snprintf(path, sizeof path, "%s/meta.csv", dir) >= sizeof path) {
        dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
        return DCSIM_DIR_NONE;
    }
    dcsim_diag sub;
    dcsim_csv_table *t = dcsim_csv_read(path, 1 << 20, &sub);
    if (!t) {
        dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0,
                       "not a dcsim output directory (no readable meta.csv: %s)", sub.msg);
        return DCSIM_DIR_NONE;
    }
    dcsim_dir_kind kind = DCSIM_DIR_NONE;
    const char *kind_word = "";
    for (size_t r = 1; r < t->n_rows && t->n_cols >= 2; r++) {
        const char *k = t->rows[r][0], *v = t->rows[r][1];
        if (strcmp(k, "kind") == 0) {
            kind_word = v;
            kind = strcmp(v, "run") == 0     ? DCSIM_DIR_RUN
                   : strcmp(v, "mc") == 0    ? DCSIM_DIR_MC
                   : strcmp(v, "sweep") == 0 ? DCSIM_DIR_SWEEP
                                             : DCSIM_DIR_NONE;
        } else if (name && name_len && strcmp(k, "scenario_name") == 0) {
            snprintf(name, name_len, "%s", v);
        }
    }
    if (kind == DCSIM_DIR_NONE)
        dcsim_diag_set(d, DCSIM_EIO, path, 0, 0,
                       "meta.csv says kind '%s'; expected run, mc or sweep", kind_word);
    dcsim_csv_free(t);
    return kind;
}

const char *dcsim_plots_dir(char *buf, size_t len)
{
    const char *env = getenv("DCSIM_PLOTS");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return buf;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            struct stat st;
            if ((size_t)snprintf(buf, len, "%s/../plots", exe) < len && stat(buf, &st) == 0 &&
                S_ISDIR(st.st_mode))
                return buf;
        }
    }
    snprintf(buf, len, "plots");
    return buf;
}

/* The first line of gnuplot's message that says something (it prefixes context lines). */
static void quote_err(const char *err, char *out, size_t len)
{
    size_t n = strlen(err);
    while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
        n--;
    snprintf(out, len, "%.*s", (int)n, err);
}

dcsim_status dcsim_gnuplot(const char *script, const char *assignments, char *err,
                           size_t err_len, dcsim_diag *d)
{
    err[0] = '\0';
    int fds[2];
    if (pipe(fds) != 0)
        return dcsim_diag_set(d, DCSIM_ERUNTIME, script, 0, 0, "cannot make a pipe: %s",
                              strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {"gnuplot", "-e", (char *)assignments, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return dcsim_diag_set(d, DCSIM_EIO, script, 0, 0,
                              "cannot run gnuplot (%s): install it (Debian: gnuplot-nox) or "
                              "put it on PATH",
                              strerror(rc));
    }
    /* Read all of stderr (keeping what fits) so the child never blocks on a full pipe. */
    size_t used = 0;
    char chunk[4096];
    for (;;) {
        ssize_t k = read(fds[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t take = (size_t)k < err_len - 1 - used ? (size_t)k : err_len - 1 - used;
        memcpy(err + used, chunk, take);
        used += take;
    }
    err[used] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return dcsim_diag_set(d, DCSIM_ERUNTIME, script, 0, 0, "lost gnuplot: %s",
                                  strerror(errno));
    /* posix_spawnp reports a missing program through the child on some C libraries. */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && used == 0)
        return dcsim_diag_set(d, DCSIM_EIO, script, 0, 0,
                              "cannot run gnuplot: install it (Debian: gnuplot-nox) or put it "
                              "on PATH");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[768];
        quote_err(err, msg, sizeof msg);
        if (WIFSIGNALED(status))
            return dcsim_diag_set(d, DCSIM_ERUNTIME, script, 0, 0,
                                  "gnuplot was killed by signal %d: %s", WTERMSIG(status), msg);
        return dcsim_diag_set(d, DCSIM_ERUNTIME, script, 0, 0, "gnuplot failed: %s",
                              msg[0] ? msg : "(no message)");
    }
    return DCSIM_OK;
}

/* Append key='value'; to buf as a gnuplot string (a quote inside is doubled). */
static bool gp_assign(char *buf, size_t len, const char *key, const char *value)
{
    size_t n = strlen(buf);
    int k = snprintf(buf + n, len - n, "%s='", key);
    if (k < 0 || (size_t)k >= len - n)
        return false;
    n += (size_t)k;
    for (const char *p = value; *p; p++) {
        if (n + 3 >= len)
            return false;
        if (*p == '\'')
            buf[n++] = '\'';
        buf[n++] = *p;
    }
    if (n + 3 >= len)
        return false;
    buf[n++] = '\'';
    buf[n++] = ';';
    buf[n++] = ' ';
    buf[n] = '\0';
    return true;
}

/* A failed draw leaves no half-written chart: its temporary files go (a missing one is fine;
 * one that cannot be removed keeps its dot name and is overwritten by the next draw). */
static void remove_quiet(const char *path)
{
    (void)unlink(path);
}

dcsim_status dcsim_plot_chart(const char *dir, const char *script, const dcsim_plot_opts *o,
                              dcsim_diag *d)
{
    char plots[PATH_MAX], gp[PATH_MAX], stem[PATH_MAX], png[PATH_MAX], svg[PATH_MAX];
    char fin_png[PATH_MAX], fin_svg[PATH_MAX], check[PATH_MAX], path[PATH_MAX];
    char name[256];
    const char *pd = o->plots_dir ? o->plots_dir : dcsim_plots_dir(plots, sizeof plots);
    if ((size_t)snprintf(gp, sizeof gp, "%s/%s.gp", pd, script) >= sizeof gp ||
        (size_t)snprintf(stem, sizeof stem, "%s/.%s.tmp", dir, script) >= sizeof stem ||
        (size_t)snprintf(png, sizeof png, "%s.png", stem) >= sizeof png ||
        (size_t)snprintf(svg, sizeof svg, "%s.svg", stem) >= sizeof svg ||
        (size_t)snprintf(fin_png, sizeof fin_png, "%s/%s.png", dir, script) >= sizeof fin_png ||
        (size_t)snprintf(fin_svg, sizeof fin_svg, "%s/%s.svg", dir, script) >= sizeof fin_svg)
        return dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long");
    if (access(gp, R_OK) != 0)
        return dcsim_diag_set(d, DCSIM_EIO, gp, 0, 0,
                              "chart script not found (%s); set DCSIM_PLOTS to dcsim's plots/ "
                              "folder",
                              strerror(errno));
    dcsim_diag sub;
    dcsim_dir_kind_of(dir, name, sizeof name, &sub);
    char assign[4 * PATH_MAX + 512] = "";
    bool ok = true;
    if (strcmp(script, "power") == 0) {
        /* The chart of the first version: ts, ms, out (the PNG), and svg. */
        snprintf(path, sizeof path, "%s/timeseries.csv", dir);
        ok = ok && gp_assign(assign, sizeof assign, "ts", path);
        snprintf(path, sizeof path, "%s/milestones.csv", dir);
        ok = ok && gp_assign(assign, sizeof assign, "ms", path);
        ok = ok && gp_assign(assign, sizeof assign, "out", png);
        ok = ok && gp_assign(assign, sizeof assign, "svg", svg);
    } else {
        ok = ok && gp_assign(assign, sizeof assign, "in", dir);
        ok = ok && gp_assign(assign, sizeof assign, "out", stem);
    }
    if (name[0])
        ok = ok && gp_assign(assign, sizeof assign, "name", name);
    if (o->check_dir) {
        if ((size_t)snprintf(check, sizeof check, "%s/%s.check", o->check_dir, script) >=
            sizeof check)
            return dcsim_diag_set(d, DCSIM_EIO, o->check_dir, 0, 0, "path too long");
        ok = ok && gp_assign(assign, sizeof assign, "check", check);
    }
    if (!ok)
        return dcsim_diag_set(d, DCSIM_EIO, dir, 0, 0, "path too long for gnuplot's arguments");
    char err[8192];
    dcsim_status st = dcsim_gnuplot(gp, assign, err, sizeof err, d);
    if (st == DCSIM_OK && err[0]) {
        char msg[768];
        quote_err(err, msg, sizeof msg);
        if (o->strict)
            st = dcsim_diag_set(d, DCSIM_ERUNTIME, gp, 0, 0, "gnuplot warned: %s", msg);
        else if (o->log)
            fprintf(o->log, "dcsim: warning: %s: gnuplot says: %s\n", gp, msg);
    }
    struct stat s1, s2;
    if (st == DCSIM_OK && (stat(png, &s1) != 0 || s1.st_size == 0 || stat(svg, &s2) != 0 ||
                           s2.st_size == 0))
        st = dcsim_diag_set(d, DCSIM_ERUNTIME, gp, 0, 0,
                            "gnuplot wrote no PNG and SVG (expected %s and %s)", png, svg);
    if (st == DCSIM_OK && (rename(png, fin_png) != 0 || rename(svg, fin_svg) != 0))
        st = dcsim_diag_set(d, DCSIM_EWRITE, fin_png, 0, 0, "cannot move the chart into place: %s",
                            strerror(errno));
    remove_quiet(png);
    remove_quiet(svg);
    if (st == DCSIM_OK && o->log)
        fprintf(o->log, "drew %s and .svg\n", fin_png);
    return st;
}

static dcsim_status plot_one_dir(const char *dir, const dcsim_plot_opts *o, dcsim_diag *d)
{
    dcsim_dir_kind kind = dcsim_dir_kind_of(dir, NULL, 0, d);
    if (kind == DCSIM_DIR_NONE)
        return d->status;
    size_t n;
    const char *const *charts = dcsim_plot_charts(kind, &n);
    for (size_t i = 0; i < n; i++) {
        dcsim_status st = dcsim_plot_chart(dir, charts[i], o, d);
        if (st)
            return st;
    }
    return DCSIM_OK;
}

dcsim_status dcsim_plot_dir(const char *dir, const dcsim_plot_opts *o, dcsim_diag *d)
{
    dcsim_status st = plot_one_dir(dir, o, d);
    if (st)
        return st;
    static const char *const subs[] = {"mc", "sweep"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        char sub[PATH_MAX], meta[PATH_MAX];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, subs[i]) >= sizeof sub ||
            (size_t)snprintf(meta, sizeof meta, "%s/meta.csv", sub) >= sizeof meta)
            continue;
        if (access(meta, R_OK) != 0)
            continue;
        st = plot_one_dir(sub, o, d);
        if (st)
            return st;
    }
    return DCSIM_OK;
}
