/* Charts and the report. Every script in plots/ runs without a warning on outputs of shipped
 * scenarios (runs, Monte Carlo, sweeps), writes a 1280x720 PNG and a well-formed SVG with no
 * script in it, and draws the CSV's values (each script reports the data ranges gnuplot
 * plotted through its `check` file; they are compared with the CSV here). dcsim plot fails
 * clearly when gnuplot is missing or fails, leaving no half-written chart. The report opens
 * in headless Chromium with its grade table and every chart. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "dcsim/plot.h"
#include "dcsim/report.h"
#include "dcsim/units.h"
#include "support/testutil.h"

/* snprintf into an array, failing the test if it does not fit. */
#define PATHF(buf, ...)                                                                   \
    do {                                                                                  \
        int n_ = snprintf(buf, sizeof buf, __VA_ARGS__);                                  \
        if (n_ < 0 || (size_t)n_ >= sizeof buf)                                           \
            fail_msg("%s: does not fit in %zu bytes", #buf, sizeof buf);                  \
    } while (0)

/* ---- running the binary ---------------------------------------------------------------- */

static const char *bin(void)
{
    const char *b = getenv("DCSIM_BIN");
    return b && *b ? b : "build/dcsim";
}

typedef struct child_env {
    const char *path;       /* PATH, or NULL to keep it */
    const char *plots;      /* DCSIM_PLOTS, or NULL */
} child_env;

static void set_env(void *arg)
{
    const child_env *e = arg;
    if (e->path)
        setenv("PATH", e->path, 1);
    if (e->plots)
        setenv("DCSIM_PLOTS", e->plots, 1);
}

/* Run argv (NULL-terminated) with PATH replaced when path_env is not NULL and DCSIM_PLOTS set
 * when plots_env is not NULL; stderr into err (if not NULL). Returns the exit status. */
static int run_cmd(char *const argv[], const char *path_env, const char *plots_env, char *err,
                   size_t err_len)
{
    child_env e = {path_env, plots_env};
    return tu_exec(argv, set_env, &e, err, err_len);
}

/* dcsim CMD SCENARIO -o DIR -q, then the NULL-terminated extra arguments; must succeed. */
static void dcsim_ok(const char *cmd, const char *scenario_rel, const char *dir, ...)
{
    char scen[PATH_MAX], err[4096];
    tu_src_path(scenario_rel, scen, sizeof scen);
    char *argv[32] = {(char *)bin(), (char *)cmd, scen, "-o", (char *)dir, "-q"};
    size_t n = 6;
    va_list ap;
    va_start(ap, dir);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 31;)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    int rc = run_cmd(argv, NULL, NULL, err, sizeof err);
    if (rc != 0)
        fail_msg("dcsim %s %s: exit %d: %s", cmd, scenario_rel, rc, err);
}

/* ---- file checks ---------------------------------------------------------------------------- */

static void png_size(const char *path, uint32_t *w, uint32_t *h)
{
    size_t n;
    unsigned char *b = (unsigned char *)tu_slurp(path, &n);
    if (!b)
        fail_msg("%s: missing", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 33 || memcmp(b, sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
        fail_msg("%s: not a PNG", path);
    *w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    *h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    free(b);
}

/* Well-formed XML, checked by hand (no XML parser among the dependencies): every element
 * closed in order, attribute values quoted, text free of '<' and of bare '&'. Returns NULL
 * or what is wrong. */
static const char *xml_problem(const char *s, const char **root)
{
    static char why[160];
    const char *stack[256];
    size_t len[256], depth = 0;
    *root = NULL;
    bool seen_root = false;
    while (*s) {
        if (*s != '<') {
            if (*s == '&') {
                const char *semi = strchr(s, ';');
                if (!semi || semi - s > 10)
                    return "a bare '&' in text";
            }
            s++;
            continue;
        }
        if (strncmp(s, "<?", 2) == 0) {
            s = strstr(s, "?>");
            if (!s)
                return "unclosed <?";
            s += 2;
        } else if (strncmp(s, "<!--", 4) == 0) {
            s = strstr(s, "-->");
            if (!s)
                return "unclosed comment";
            s += 3;
        } else if (strncmp(s, "<![CDATA[", 9) == 0) {
            s = strstr(s, "]]>");
            if (!s)
                return "unclosed CDATA";
            s += 3;
        } else if (strncmp(s, "<!", 2) == 0) {
            s = strchr(s, '>');
            if (!s)
                return "unclosed declaration";
            s++;
        } else if (s[1] == '/') {
            const char *name = s + 2;
            size_t n = strcspn(name, " \t\r\n>");
            if (depth == 0 || len[depth - 1] != n || strncmp(stack[depth - 1], name, n) != 0) {
                (void)snprintf(why, sizeof why, "</%.*s> closes nothing open", (int)(n < 60 ? n : 60), name);
                return why;
            }
            depth--;
            s = strchr(name, '>');
            if (!s)
                return "unclosed end tag";
            s++;
        } else {
            const char *name = s + 1;
            size_t n = strcspn(name, " \t\r\n/>");
            if (n == 0)
                return "'<' in text";
            if (depth == 0) {
                if (seen_root)
                    return "two root elements";
                seen_root = true;
                *root = name;
            }
            const char *p = name + n;
            bool empty = false;
            for (;;) {
                p += strspn(p, " \t\r\n");
                if (*p == '\0')
                    return "unclosed start tag";
                if (*p == '>')
                    break;
                if (p[0] == '/' && p[1] == '>') {
                    empty = true;
                    p++;
                    break;
                }
                size_t an = strcspn(p, " \t\r\n=>");
                if (an == 0)
                    return "an attribute without a name";
                p += an;
                p += strspn(p, " \t\r\n");     /* XML allows space around '=' */
                if (*p != '=')
                    return "an attribute without a value";
                p++;
                p += strspn(p, " \t\r\n");
                char q = *p;
                if (q != '"' && q != '\'')
                    return "an unquoted attribute value";
                const char *end = strchr(p + 1, q);
                if (!end)
                    return "an unclosed attribute value";
                if (memchr(p + 1, '<', (size_t)(end - p - 1)))
                    return "'<' in an attribute value";
                p = end + 1;
            }
            if (!empty) {
                if (depth == 256)
                    return "nesting deeper than 256";
                stack[depth] = name;
                len[depth++] = n;
            }
            s = p + 1;
        }
    }
    if (depth)
        return "elements left open at the end";
    if (!seen_root)
        return "no element";
    return NULL;
}

static void check_svg(const char *path)
{
    size_t n;
    char *text = tu_slurp(path, &n);
    if (!text || n == 0)
        fail_msg("%s: missing or empty", path);
    const char *root;
    const char *why = xml_problem(text, &root);
    if (why)
        fail_msg("%s: not well-formed XML: %s", path, why);
    if (strncmp(root, "svg", 3) != 0)
        fail_msg("%s: the root element is not <svg>", path);
    if (strstr(text, "<script"))
        fail_msg("%s: holds a script (the report inlines it)", path);
    free(text);
}

/* ---- the data checks ------------------------------------------------------------------------- */

/* Value of `key` in a check file ("key value" lines); NAN if absent. */
static double check_value(const char *dir, const char *chart, const char *key)
{
    char path[PATH_MAX];
    PATHF(path, "%s/%s.check", dir, chart);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s: no data check written", path);
    char line[512];
    double v = NAN;
    size_t kn = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, kn) == 0 && line[kn] == ' ')
            v = strtod(line + kn + 1, NULL);
    fclose(f);
    return v;
}

/* gnuplot time for a CSV date: seconds since 1970 (it uses no leap seconds, like us). */
static double gp_time(const char *date)
{
    int64_t unix_s;
    char why[128];
    if (!dcsim_parse_date(date, &unix_s, why, sizeof why))
        fail_msg("not a date: '%s' (%s)", date, why);
    return (double)unix_s;
}

/* Min and max of a numeric column over the data rows (empty fields skipped). */
static void col_range(const dcsim_csv_table *t, const char *col, double *lo, double *hi)
{
    long c = dcsim_csv_column(t, col);
    if (c < 0)
        fail_msg("no column %s", col);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 1; r < t->n_rows; r++) {
        const char *s = t->rows[r][c];
        if (!*s)
            continue;
        double v = strtod(s, NULL);
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
    }
}

static void date_range(const dcsim_csv_table *t, const char *col, double *lo, double *hi)
{
    long c = dcsim_csv_column(t, col);
    if (c < 0)
        fail_msg("no column %s", col);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 1; r < t->n_rows; r++)
        if (t->rows[r][c][0]) {
            double v = gp_time(t->rows[r][c]);
            *lo = fmin(*lo, v);
            *hi = fmax(*hi, v);
        }
}

/* Close in gnuplot's terms: it prints 10 significant digits. */
static void near(const char *what, double got, double want)
{
    double tol = 1e-6 * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: the chart drew %.10g, the CSV says %.10g", what, got, want);
}

/* ---- fixtures ------------------------------------------------------------------------------- */

typedef struct fixture {
    char *tmp;
    char plots[PATH_MAX];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->tmp = tu_mkdtemp();
    tu_src_path("plots", f->plots, sizeof f->plots);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rm_tree(f->tmp);
    free(f->tmp);
    free(f);
    return 0;
}

/* Draw every chart of dir strictly (a warning fails), with data checks into dir/check/, and
 * check each PNG and SVG. */
static void draw_all(const fixture *f, const char *dir, dcsim_dir_kind want)
{
    dcsim_diag d;
    char checks[PATH_MAX];
    PATHF(checks, "%s/check", dir);
    assert_int_equal(mkdir(checks, 0777), 0);
    assert_int_equal(dcsim_dir_kind_of(dir, NULL, 0, &d), want);
    dcsim_plot_opts o = {.plots_dir = f->plots, .check_dir = checks, .strict = true};
    size_t n;
    const char *const *names = dcsim_plot_charts(want, &n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        if (dcsim_plot_chart(dir, names[i], &o, &d) != DCSIM_OK)
            fail_msg("%s on %s: %s", names[i], dir, d.msg);
        char path[PATH_MAX];
        uint32_t w, h;
        PATHF(path, "%s/%s.png", dir, names[i]);
        png_size(path, &w, &h);
        if (w != 1280 || h != 720)
            fail_msg("%s: %ux%u, expected 1280x720", path, w, h);
        PATHF(path, "%s/%s.svg", dir, names[i]);
        check_svg(path);
    }
}

/* ---- dcsim plot on the command line --------------------------------------------------------- */

static bool exists(const char *dir, const char *name)
{
    char path[PATH_MAX + 256];
    PATHF(path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

/* No file whose name starts with ".power.tmp" (a half-written chart) is left in dir. */
static void no_temporaries(const char *dir)
{
    assert_false(exists(dir, ".power.tmp.png"));
    assert_false(exists(dir, ".power.tmp.svg"));
}

static void plot_errors(void **state)
{
    fixture *f = *state;
    char run[PATH_MAX], err[4096];
    PATHF(run, "%s/run", f->tmp);
    assert_int_equal(mkdir(run, 0777), 0);
    tu_run_scenario("tests/scenarios/gate-basic.yaml", NULL, 0, run);

    /* Not a dcsim output: exit 2, says so. */
    char *argv_bad[] = {(char *)bin(), "plot", f->tmp, NULL};
    assert_int_equal(run_cmd(argv_bad, NULL, NULL, err, sizeof err), 2);
    if (!strstr(err, "not a dcsim output directory"))
        fail_msg("unexpected message: %s", err);

    /* gnuplot missing: exit 2, the script named, how to get gnuplot said, nothing drawn. */
    char *argv_run[] = {(char *)bin(), "plot", run, NULL};
    assert_int_equal(run_cmd(argv_run, "/nonexistent-bin", NULL, err, sizeof err), 2);
    if (!strstr(err, "power.gp") || !strstr(err, "cannot run gnuplot") ||
        !strstr(err, "gnuplot-nox"))
        fail_msg("unexpected message: %s", err);
    assert_false(exists(run, "power.png"));
    no_temporaries(run);

    /* gnuplot failing: exit 1, the script named, gnuplot's own words quoted. */
    char plots[PATH_MAX], gp[PATH_MAX + 16];
    PATHF(plots, "%s/broken-plots", f->tmp);
    assert_int_equal(mkdir(plots, 0777), 0);
    PATHF(gp, "%s/power.gp", plots);
    FILE *s = fopen(gp, "w");
    assert_non_null(s);
    fputs("set terminal pngcairo\nset output out\nplot 'no-such-file.csv' using 1:2\n", s);
    fclose(s);
    assert_int_equal(run_cmd(argv_run, NULL, plots, err, sizeof err), 1);
    if (!strstr(err, "broken-plots/power.gp") || !strstr(err, "gnuplot failed") ||
        !strstr(err, "no-such-file.csv"))
        fail_msg("unexpected message: %s", err);
    assert_false(exists(run, "power.png"));
    no_temporaries(run);

    /* And with the real scripts every chart of the run appears. */
    char *argv_ok[] = {(char *)bin(), "plot", run, "-q", NULL};
    PATHF(plots, "%s", f->plots);
    if (run_cmd(argv_ok, NULL, plots, err, sizeof err) != 0)
        fail_msg("dcsim plot: %s", err);
    size_t n;
    const char *const *names = dcsim_plot_charts(DCSIM_DIR_RUN, &n);
    for (size_t i = 0; i < n; i++) {
        char png[300], svg[300];
        PATHF(png, "%s.png", names[i]);
        PATHF(svg, "%s.svg", names[i]);
        if (!exists(run, png) || !exists(run, svg))
            fail_msg("dcsim plot left out %s", names[i]);
    }
    no_temporaries(run);
}

/* ---- the report in headless Chromium ---------------------------------------------------- */

/* chromium --headless with the flags the issue names, plus a private profile; stdout into
 * out_path (NULL: discarded). Returns its exit status. */
static int chromium(const char *profile, const char *what, const char *arg, const char *url,
                    const char *out_path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                         : open("/dev/null", O_WRONLY);
        int null = open("/dev/null", O_WRONLY);
        dup2(o, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        char ud[PATH_MAX + 32];
        PATHF(ud, "--user-data-dir=%s", profile);
        execlp("timeout", "timeout", "180", "chromium", "--headless", "--no-sandbox",
               "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
               ud, what, arg ? arg : url, arg ? url : (char *)NULL, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void report_in_chromium(void **state)
{
    fixture *f = *state;
    char run[PATH_MAX], mc[PATH_MAX + 8], err[4096];
    PATHF(run, "%s/abilene", f->tmp);
    assert_int_equal(mkdir(run, 0777), 0);
    tu_run_scenario("scenarios/stargate-abilene.yaml", NULL, 0, run);
    PATHF(mc, "%s/mc", run);
    dcsim_ok("mc", "scenarios/stargate-abilene.yaml", mc, "-n", "20", "-j", "2", NULL);
    char *argv[] = {(char *)bin(), "report", run, "-q", NULL};
    if (run_cmd(argv, NULL, f->plots, err, sizeof err) != 0)
        fail_msg("dcsim report: %s", err);
    assert_true(exists(run, "report.html"));

    char url[PATH_MAX + 16], dom[PATH_MAX], profile[PATH_MAX];
    PATHF(url, "file://%s/report.html", run);
    PATHF(dom, "%s/dom.html", f->tmp);
    PATHF(profile, "%s/chromium-profile", f->tmp);
    assert_int_equal(chromium(profile, "--dump-dom", NULL, url, dom), 0);
    size_t n;
    char *text = tu_slurp(dom, &n);
    assert_non_null(text);

    /* The grade table: one row per milestone of the Monte Carlo, in its order, with its
     * grade. */
    dcsim_csv_table *ms = tu_read_csv(mc, "milestones.csv");
    const char *table = strstr(text, "id=\"grade-table\"");
    assert_non_null(table);
    const char *table_end = strstr(table, "</table>");
    assert_non_null(table_end);
    size_t rows = 0;
    const char *p = table;
    for (size_t r = 1; r < ms->n_rows; r++) {
        char cell[300];
        PATHF(cell, "<th scope=\"row\">%s</th>", tu_field(ms, r, "milestone"));
        p = strstr(p, cell);
        if (!p || p > table_end)
            fail_msg("grade table: no row for %s in order", tu_field(ms, r, "milestone"));
        char grade[300];
        PATHF(grade, ">%s</td>", tu_field(ms, r, "grade"));
        const char *row_end = strstr(p, "</tr>");
        const char *g = strstr(p, grade);
        if (!g || g > row_end)
            fail_msg("grade table: %s lacks its grade %s", tu_field(ms, r, "milestone"),
                     tu_field(ms, r, "grade"));
        rows++;
    }
    /* ... and no other rows. */
    assert_int_equal(count(table, "<tr class=\"milestone\">") -
                         count(table_end, "<tr class=\"milestone\">"),
                     rows);
    dcsim_csv_free(ms);
    assert_non_null(strstr(text, "id=\"drivers-table\""));
    assert_non_null(strstr(text, "<tr class=\"driver\">"));
    /* The risk register: one row per line of risks.csv (each risk for each milestone). */
    dcsim_csv_table *rk = tu_read_csv(mc, "risks.csv");
    assert_true(rk->n_rows > 1);
    assert_non_null(strstr(text, "id=\"risks-table\""));
    assert_int_equal(count(text, "<tr class=\"risk\">"), rk->n_rows - 1);
    dcsim_csv_free(rk);

    /* Every chart of the run and of the Monte Carlo, as an inline SVG. */
    static const dcsim_dir_kind kinds[] = {DCSIM_DIR_RUN, DCSIM_DIR_MC};
    for (size_t k = 0; k < 2; k++) {
        const char *const *names = dcsim_plot_charts(kinds[k], &n);
        for (size_t i = 0; i < n; i++) {
            char id[128];
            PATHF(id, "<figure id=\"chart-%s\"", names[i]);
            const char *fig = strstr(text, id);
            if (!fig)
                fail_msg("report: no chart %s", names[i]);
            const char *svg = strstr(fig, "<svg"), *end = strstr(fig, "</figure>");
            if (!svg || !end || svg > end)
                fail_msg("report: chart %s has no inline SVG", names[i]);
        }
    }
    assert_null(strstr(text, "<script"));
    free(text);

    /* A screenshot and a printed PDF for people to look at. */
    const char *art = getenv("DCSIM_ARTIFACTS");
    char shot[PATH_MAX + 64], pdf[PATH_MAX + 64], arg[PATH_MAX + 64];
    PATHF(shot, "%s/report.png", art && *art ? art : f->tmp);
    PATHF(pdf, "%s/report.pdf", art && *art ? art : f->tmp);
    PATHF(arg, "--screenshot=%s", shot);
    assert_int_equal(chromium(profile, "--window-size=1280,2400", arg, url, NULL), 0);
    uint32_t w, h;
    png_size(shot, &w, &h);
    assert_int_equal(w, 1280);
    assert_int_equal(h, 2400);
    PATHF(arg, "--print-to-pdf=%s", pdf);
    assert_int_equal(chromium(profile, "--no-pdf-header-footer", arg, url, NULL), 0);
    char *pdf_text = tu_slurp(pdf, &n);
    assert_non_null(pdf_text);
    assert_true(n > 10000 && memcmp(pdf_text, "%PDF-", 5) == 0);
    free(pdf_text);
    print_message("report screenshot: %s, PDF: %s\n", shot, pdf);
}

/* ---- data checks: single run ------------------------------------------------------------ */

static double num_at(const dcsim_csv_table *t, size_t r, long c)
{
    return t->rows[r][c][0] ? strtod(t->rows[r][c], NULL) : NAN;
}

static long col_of(const dcsim_csv_table *t, const char *name)
{
    long c = dcsim_csv_column(t, name);
    if (c < 0)
        fail_msg("no column %s", name);
    return c;
}

/* Min and max over rows of several columns at once. */
static void cols_range(const dcsim_csv_table *t, const char *const *cols, size_t n, double *lo,
                       double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        double a, b;
        col_range(t, cols[k], &a, &b);
        *lo = fmin(*lo, a);
        *hi = fmax(*hi, b);
    }
}

static void check_x_dates(const char *checks, const char *chart, const dcsim_csv_table *ts)
{
    long c = col_of(ts, "date");
    near("x_min", check_value(checks, chart, "x_min"), gp_time(ts->rows[1][c]));
    near("x_max", check_value(checks, chart, "x_max"), gp_time(ts->rows[ts->n_rows - 1][c]));
}

/* The values each single-run chart reports (plots/README.md) recomputed from the CSVs. */
static void run_checks(const char *dir)
{
    char checks[PATH_MAX];
    PATHF(checks, "%s/check", dir);
    dcsim_csv_table *ts = tu_read_csv(dir, "timeseries.csv");
    double lo, hi;

    /* pipeline: the four rack counts. */
    static const char *const racks[] = {"racks_delivered", "racks_installed", "racks_energized",
                                        "racks_stranded"};
    cols_range(ts, racks, 4, &lo, &hi);
    if (hi > 0) {
        near("pipeline empty", check_value(checks, "pipeline", "empty"), 0);
        check_x_dates(checks, "pipeline", ts);
        near("pipeline y_min", check_value(checks, "pipeline", "y_min"), lo);
        near("pipeline y_max", check_value(checks, "pipeline", "y_max"), hi);
    } else {
        near("pipeline empty", check_value(checks, "pipeline", "empty"), 1);
    }

    /* supply: the stack of non-negative source flows, facility demand and supply. The source
     * columns are the supply_<source>_mw ones after it_energized_mw. */
    long first = col_of(ts, "it_energized_mw") + 1, fac = col_of(ts, "facility_mw"),
         sup = col_of(ts, "supply_mw");
    assert_true((size_t)first < ts->n_cols);
    lo = INFINITY, hi = -INFINITY;
    for (size_t r = 1; r < ts->n_rows; r++) {
        double stack = 0;
        for (size_t c = (size_t)first; c < ts->n_cols; c++) {
            const char *h = ts->rows[0][c];
            size_t n = strlen(h);
            if (n > 10 && strncmp(h, "supply_", 7) == 0 && strcmp(h + n - 3, "_mw") == 0)
                stack += fmax(0, num_at(ts, r, (long)c));
        }
        double f = num_at(ts, r, fac), s = num_at(ts, r, sup);
        hi = fmax(hi, fmax(stack, fmax(f, s)));
        lo = fmin(lo, fmin(0, fmin(f, s)));
    }
    check_x_dates(checks, "supply", ts);
    near("supply y_min", check_value(checks, "supply", "y_min"), lo);
    near("supply y_max", check_value(checks, "supply", "y_max"), hi);

    /* gpus: up and idle above, in repair and stuck below. */
    static const char *const up[] = {"gpus_up", "gpus_idle"}, *const down[] = {"gpus_in_repair",
                                                                               "gpus_stuck"};
    double lo2, hi2;
    cols_range(ts, up, 2, &lo, &hi);
    cols_range(ts, down, 2, &lo2, &hi2);
    if (hi > 0 || hi2 > 0) {
        check_x_dates(checks, "gpus", ts);
        near("gpus y_min", check_value(checks, "gpus", "y_min"), lo);
        near("gpus y_max", check_value(checks, "gpus", "y_max"), hi);
        near("gpus lower_y_min", check_value(checks, "gpus", "lower_y_min"), lo2);
        near("gpus lower_y_max", check_value(checks, "gpus", "lower_y_max"), hi2);
    } else {
        near("gpus empty", check_value(checks, "gpus", "empty"), 1);
    }

    /* training: PFLOP done, goodput on y2; empty without jobs. */
    dcsim_csv_table *jobs = tu_read_csv(dir, "jobs.csv");
    if (jobs->n_rows > 1) {
        check_x_dates(checks, "training", ts);
        col_range(ts, "train_pflop_done", &lo, &hi);
        near("training y_min", check_value(checks, "training", "y_min"), lo);
        near("training y_max", check_value(checks, "training", "y_max"), hi);
        col_range(ts, "train_goodput", &lo, &hi);
        if (isfinite(hi)) {
            near("training y2_min", check_value(checks, "training", "y2_min"), lo);
            near("training y2_max", check_value(checks, "training", "y2_max"), hi);
        }
    } else {
        near("training empty", check_value(checks, "training", "empty"), 1);
    }
    dcsim_csv_free(jobs);

    /* inference: demand = served + unserved. */
    long sv = col_of(ts, "inference_served_gpus"), un = col_of(ts, "inference_unserved_gpus");
    lo = INFINITY, hi = -INFINITY;
    for (size_t r = 1; r < ts->n_rows; r++) {
        hi = fmax(hi, num_at(ts, r, sv) + num_at(ts, r, un));
        lo = fmin(lo, fmin(0, num_at(ts, r, sv)));
    }
    if (hi > 0) {
        check_x_dates(checks, "inference", ts);
        near("inference y_min", check_value(checks, "inference", "y_min"), lo);
        near("inference y_max", check_value(checks, "inference", "y_max"), hi);
    } else {
        near("inference empty", check_value(checks, "inference", "empty"), 1);
    }

    /* gantt: one bar per activity that started, from its start to its finish (a failed one
     * to its stage_failed event, a running one to the last date). */
    dcsim_csv_table *acts = tu_read_csv(dir, "activities.csv");
    dcsim_csv_table *ev = tu_read_csv(dir, "events.csv");
    double last = gp_time(ts->rows[ts->n_rows - 1][col_of(ts, "date")]);
    size_t bars = 0;
    lo = INFINITY, hi = -INFINITY;
    for (size_t r = 1; r < acts->n_rows; r++) {
        const char *start = tu_field(acts, r, "start"), *finish = tu_field(acts, r, "finish");
        if (!start[0])
            continue;
        bars++;
        double s = gp_time(start), e = last;
        if (finish[0]) {
            e = gp_time(finish);
        } else if (strcmp(tu_field(acts, r, "state"), "failed") == 0) {
            for (size_t k = 1; k < ev->n_rows; k++)
                if (strcmp(tu_field(ev, k, "event"), "stage_failed") == 0 &&
                    strcmp(tu_field(ev, k, "element"), tu_field(acts, r, "activity")) == 0)
                    e = gp_time(tu_field(ev, k, "date"));
        }
        lo = fmin(lo, s);
        hi = fmax(hi, fmax(s, e));
    }
    if (bars) {
        near("gantt rows", check_value(checks, "gantt", "rows"), (double)bars);
        near("gantt x_min", check_value(checks, "gantt", "x_min"), lo);
        near("gantt x_max", check_value(checks, "gantt", "x_max"), hi);
    } else {
        near("gantt empty", check_value(checks, "gantt", "empty"), 1);
    }
    dcsim_csv_free(acts);
    dcsim_csv_free(ev);

    /* costs: capital and value on the left axis; on the right the running costs stacked,
     * stranded, then idle, then energy, whose band edges are 0, s, s + i and s + i + e. */
    static const char *const left[] = {"capex_musd", "value_delivered_musd"};
    cols_range(ts, left, 2, &lo, &hi);
    long cs = col_of(ts, "stranded_cost_musd"), ci = col_of(ts, "idle_cost_musd"),
         ce = col_of(ts, "energy_cost_musd");
    bool money = lo != 0 || hi != 0;
    lo2 = 0, hi2 = 0;
    for (size_t r = 1; r < ts->n_rows; r++) {
        double s = num_at(ts, r, cs), i = num_at(ts, r, ci), e = num_at(ts, r, ce);
        money = money || s != 0 || i != 0 || e != 0;
        lo2 = fmin(lo2, fmin(s, fmin(s + i, s + i + e)));
        hi2 = fmax(hi2, fmax(s, fmax(s + i, s + i + e)));
    }
    if (money) {
        near("costs empty", check_value(checks, "costs", "empty"), 0);
        check_x_dates(checks, "costs", ts);
        near("costs y_min", check_value(checks, "costs", "y_min"), lo);
        near("costs y_max", check_value(checks, "costs", "y_max"), hi);
        near("costs y2_min", check_value(checks, "costs", "y2_min"), lo2);
        near("costs y2_max", check_value(checks, "costs", "y2_max"), hi2);
    } else {
        near("costs empty", check_value(checks, "costs", "empty"), 1);
        assert_true(isnan(check_value(checks, "costs", "y_max")));
    }
    dcsim_csv_free(ts);
}

/* Runs of shipped scenarios with different shapes: the default campus, the ~10 GW program
 * (several sites), Colossus (batteries and turbines), a failing permit, a small gate test
 * without workload, a job with checkpoints, and a battery shortage. */
static void run_charts(void **state)
{
    fixture *f = *state;
    static const char *const scenarios[] = {
        "scenarios/stargate-abilene.yaml",      "scenarios/stargate-program.yaml",
        "scenarios/colossus-memphis.yaml",      "scenarios/what-if/gas-permit-denied.yaml",
        "tests/scenarios/gate-basic.yaml",      "tests/scenarios/workload-job.yaml",
        "tests/scenarios/shortage-battery.yaml", "tests/scenarios/workload-inference.yaml",
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        char dir[PATH_MAX];
        PATHF(dir, "%s/run-%zu", f->tmp, i);
        print_message("charts of %s\n", scenarios[i]);
        assert_int_equal(mkdir(dir, 0777), 0);
        tu_run_scenario(scenarios[i], NULL, 0, dir);
        draw_all(f, dir, DCSIM_DIR_RUN);
        run_checks(dir);
    }

    /* Every price at 0: no money anywhere, and the costs chart says so. */
    static const char *const free_of_charge[] = {
        "economics.rack_capex.r72=0", "economics.building_capex_per_mw=0",
        "economics.electricity_price=0", "economics.gpu_hour_value=0"};
    char dir[PATH_MAX], checks[PATH_MAX + 8];
    PATHF(dir, "%s/run-free", f->tmp);
    PATHF(checks, "%s/check", dir);
    print_message("charts of tests/scenarios/econ.yaml at no cost\n");
    assert_int_equal(mkdir(dir, 0777), 0);
    tu_run_scenario("tests/scenarios/econ.yaml", free_of_charge,
                    sizeof free_of_charge / sizeof *free_of_charge, dir);
    draw_all(f, dir, DCSIM_DIR_RUN);
    run_checks(dir);
    near("costs empty", check_value(checks, "costs", "empty"), 1);
}

/* ---- data checks: Monte Carlo and sweep ------------------------------------------------- */

static void mc_checks(const char *dir)
{
    char checks[PATH_MAX], key[300], col[300];
    PATHF(checks, "%s/check", dir);
    double lo, hi;

    /* fan: the P10..P90 band of energized IT. */
    dcsim_csv_table *bands = tu_read_csv(dir, "bands.csv");
    check_x_dates(checks, "fan", bands);
    col_range(bands, "it_energized_mw_p10", &lo, &hi);
    near("fan y_min", check_value(checks, "fan", "y_min"), lo);
    col_range(bands, "it_energized_mw_p90", &lo, &hi);
    near("fan y_max", check_value(checks, "fan", "y_max"), hi);
    dcsim_csv_free(bands);

    /* scurve, slip: each milestone's dates and slips over the runs. */
    dcsim_csv_table *ms = tu_read_csv(dir, "milestones.csv");
    dcsim_csv_table *runs = tu_read_csv(dir, "runs.csv");
    double n_runs = (double)(runs->n_rows - 1), best = 0;
    double d_lo = INFINITY, d_hi = -INFINITY, s_lo = INFINITY, s_hi = -INFINITY;
    for (size_t r = 1; r < ms->n_rows; r++) {
        const char *name = tu_field(ms, r, "milestone");
        PATHF(col, "%s_date", name);
        date_range(runs, col, &lo, &hi);
        d_lo = fmin(d_lo, lo);
        d_hi = fmax(d_hi, hi);
        long c = col_of(runs, col);
        double reached = 0;
        for (size_t k = 1; k < runs->n_rows; k++)
            reached += runs->rows[k][c][0] != '\0';
        best = fmax(best, reached / n_runs);
        PATHF(col, "%s_slip_days", name);
        col_range(runs, col, &lo, &hi);
        s_lo = fmin(s_lo, lo);
        s_hi = fmax(s_hi, hi);
        PATHF(key, "n_%s", name);
        near(key, check_value(checks, "slip", key), reached);
    }
    near("scurve x_min", check_value(checks, "scurve", "x_min"), d_lo);
    near("scurve x_max", check_value(checks, "scurve", "x_max"), d_hi);
    near("scurve y_max", check_value(checks, "scurve", "y_max"), best);
    near("slip x_min", check_value(checks, "slip", "x_min"), s_lo);
    near("slip x_max", check_value(checks, "slip", "x_max"), s_hi);

    /* slipcost: one column per milestone with a cost of slip in some run, each run a point,
     * over the box from the grade table's P10 to its P90 (with the P50). */
    double columns = 0, points = 0;
    double y_lo = INFINITY, y_hi = -INFINITY;
    for (size_t r = 1; r < ms->n_rows; r++) {
        const char *name = tu_field(ms, r, "milestone");
        PATHF(col, "%s_slip_cost_musd", name);
        long c = col_of(runs, col);
        double n = 0;
        for (size_t k = 1; k < runs->n_rows; k++)
            n += runs->rows[k][c][0] != '\0';
        PATHF(key, "n_%s", name);
        near(key, check_value(checks, "slipcost", key), n);
        if (n == 0)
            continue;
        columns++;
        points += n;
        col_range(runs, col, &lo, &hi);
        PATHF(key, "y_min_%s", name);
        near(key, check_value(checks, "slipcost", key), lo);
        PATHF(key, "y_max_%s", name);
        near(key, check_value(checks, "slipcost", key), hi);
        y_lo = fmin(y_lo, lo);
        y_hi = fmax(y_hi, hi);
        static const char *const q[] = {"p10", "p50", "p90"};
        const char *qv[3];
        for (size_t k = 0; k < 3; k++) {
            PATHF(col, "slip_cost_%s_musd", q[k]);
            qv[k] = tu_field(ms, r, col);
        }
        if (!qv[0][0] || !qv[1][0] || !qv[2][0])
            continue;
        for (size_t k = 0; k < 3; k++) {
            PATHF(key, "%s_%s", q[k], name);
            near(key, check_value(checks, "slipcost", key), strtod(qv[k], NULL));
        }
        y_lo = fmin(y_lo, strtod(qv[0], NULL));
        y_hi = fmax(y_hi, strtod(qv[2], NULL));
    }
    near("slipcost columns", check_value(checks, "slipcost", "columns"), columns);
    near("slipcost points", check_value(checks, "slipcost", "points"), points);
    near("slipcost empty", check_value(checks, "slipcost", "empty"), columns == 0);
    if (columns > 0) {
        near("slipcost y_min", check_value(checks, "slipcost", "y_min"), y_lo);
        near("slipcost y_max", check_value(checks, "slipcost", "y_max"), y_hi);
    }
    dcsim_csv_free(runs);

    /* tornado: one bar per measured driver, from 0 to its contribution. */
    dcsim_csv_table *dr = tu_read_csv(dir, "drivers.csv");
    long c = col_of(dr, "slip_contribution_days");
    double bars = 0;
    lo = 0, hi = 0;
    for (size_t r = 1; r < dr->n_rows; r++)
        if (dr->rows[r][c][0]) {
            bars++;
            lo = fmin(lo, num_at(dr, r, c));
            hi = fmax(hi, num_at(dr, r, c));
        }
    near("tornado bars", check_value(checks, "tornado", "bars"), bars);
    if (bars > 0) {
        near("tornado x_min", check_value(checks, "tornado", "x_min"), lo);
        near("tornado x_max", check_value(checks, "tornado", "x_max"), hi);
    }

    /* tornado-usd: the same bars from slip_contribution_musd, per milestone in the order of
     * rank_musd; the top bar is the row with the smallest rank. */
    c = col_of(dr, "slip_contribution_musd");
    long rk = col_of(dr, "rank_musd"), cms = col_of(dr, "milestone");
    bars = 0;
    lo = 0, hi = 0;
    for (size_t m = 1; m < ms->n_rows; m++) {
        const char *name = tu_field(ms, m, "milestone");
        double n = 0, m_lo = 0, m_hi = 0, top = NAN, top_rank = INFINITY;
        for (size_t r = 1; r < dr->n_rows; r++) {
            if (strcmp(dr->rows[r][cms], name) != 0 || !dr->rows[r][c][0])
                continue;
            /* A row without a rank goes last, as in the chart; ties keep the file order. */
            double v = num_at(dr, r, c), rank = num_at(dr, r, rk);
            if (isnan(rank))
                rank = INFINITY;
            n++;
            m_lo = fmin(m_lo, v);
            m_hi = fmax(m_hi, v);
            if (isnan(top) || rank < top_rank) {
                top_rank = rank;
                top = v;
            }
        }
        PATHF(key, "bars_%s", name);
        near(key, check_value(checks, "tornado-usd", key), n);
        if (n == 0)
            continue;
        bars += n;
        lo = fmin(lo, m_lo);
        hi = fmax(hi, m_hi);
        PATHF(key, "x_min_%s", name);
        near(key, check_value(checks, "tornado-usd", key), m_lo);
        PATHF(key, "x_max_%s", name);
        near(key, check_value(checks, "tornado-usd", key), m_hi);
        PATHF(key, "top_%s", name);
        near(key, check_value(checks, "tornado-usd", key), top);
    }
    near("tornado-usd bars", check_value(checks, "tornado-usd", "bars"), bars);
    near("tornado-usd empty", check_value(checks, "tornado-usd", "empty"), bars == 0);
    if (bars > 0) {
        near("tornado-usd x_min", check_value(checks, "tornado-usd", "x_min"), lo);
        near("tornado-usd x_max", check_value(checks, "tornado-usd", "x_max"), hi);
    }
    dcsim_csv_free(dr);
    dcsim_csv_free(ms);
}

/* ---- hand-made Monte Carlo directories without money ------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Whether field (r, c) is a money figure of milestone ms (every milestone when ms is NULL):
 * the cost of slip of runs.csv (whose columns are named after the milestone), its quantiles
 * in milestones.csv and the dollar contribution and rank in drivers.csv (by the row's
 * milestone). */
static bool money_field(const dcsim_csv_table *t, size_t r, size_t c, const char *ms)
{
    const char *h = t->rows[0][c];
    bool money = ends_with(h, "slip_cost_musd") ||
                 (strncmp(h, "slip_cost_p", 11) == 0 && ends_with(h, "_musd")) ||
                 strcmp(h, "slip_contribution_musd") == 0 || strcmp(h, "rank_musd") == 0;
    if (!money || !ms)
        return money;
    long m = dcsim_csv_column(t, "milestone");
    if (m >= 0)
        return strcmp(t->rows[r][m], ms) == 0;
    size_t n = strlen(ms);
    return strncmp(h, ms, n) == 0 && h[n] == '_';
}

/* Copy the mc directory src to dst with the money figures of milestone ms (all when NULL)
 * emptied, as an older or partial output would have them. Fields are quoted when they hold a
 * comma or a quote. */
static void mc_without_money(const char *src, const char *dst, const char *ms)
{
    assert_int_equal(mkdir(dst, 0777), 0);
    static const char *const files[] = {"meta.csv",       "runs.csv",    "bands.csv",
                                        "milestones.csv", "drivers.csv", "risks.csv"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        if (!exists(src, files[k]))
            continue;
        dcsim_csv_table *t = tu_read_csv(src, files[k]);
        char path[PATH_MAX + 32];
        PATHF(path, "%s/%s", dst, files[k]);
        FILE *o = fopen(path, "w");
        assert_non_null(o);
        for (size_t r = 0; r < t->n_rows; r++) {
            for (size_t c = 0; c < t->n_cols; c++) {
                const char *v = r > 0 && money_field(t, r, c, ms) ? "" : t->rows[r][c];
                if (c > 0)
                    fputc(',', o);
                if (strpbrk(v, ",\"\n")) {
                    fputc('"', o);
                    for (const char *p = v; *p; p++) {
                        if (*p == '"')
                            fputc('"', o);
                        fputc(*p, o);
                    }
                    fputc('"', o);
                } else {
                    fputs(v, o);
                }
            }
            fputc('\n', o);
        }
        assert_int_equal(fclose(o), 0);
        dcsim_csv_free(t);
    }
}

static void sweep_checks(const char *dir)
{
    char checks[PATH_MAX];
    PATHF(checks, "%s/check", dir);
    dcsim_csv_table *sw = tu_read_csv(dir, "sweep.csv");
    double lo, hi, y_lo = INFINITY, y_hi = -INFINITY;
    col_range(sw, "point", &lo, &hi);
    near("sweep x_min", check_value(checks, "sweep", "x_min"), lo);
    near("sweep x_max", check_value(checks, "sweep", "x_max"), hi);
    for (size_t c = 0; c < sw->n_cols; c++) {
        const char *h = sw->rows[0][c];
        size_t n = strlen(h);
        const char *suffix = "_slip_at_confidence_days";
        size_t k = strlen(suffix);
        if (n > k && strcmp(h + n - k, suffix) == 0) {
            col_range(sw, h, &lo, &hi);
            y_lo = fmin(y_lo, lo);
            y_hi = fmax(y_hi, hi);
        }
    }
    near("sweep y_min", check_value(checks, "sweep", "y_min"), y_lo);
    near("sweep y_max", check_value(checks, "sweep", "y_max"), y_hi);
    near("sweep points", check_value(checks, "sweep", "points"), (double)(sw->n_rows - 1));
    dcsim_csv_free(sw);
}

/* Monte Carlo outputs: the default campus (three milestones, measured drivers) and two small
 * test scenarios (one milestone that some runs never reach; two drivers in series). */
static void mc_charts(void **state)
{
    fixture *f = *state;
    static const char *const scenarios[][2] = {
        {"scenarios/stargate-abilene.yaml", "20"},
        {"tests/scenarios/mc-series.yaml", "200"},
        {"tests/scenarios/mc-uniform.yaml", "200"},
    };
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        char dir[PATH_MAX];
        PATHF(dir, "%s/mc-%zu", f->tmp, i);
        print_message("charts of dcsim mc %s -n %s\n", scenarios[i][0], scenarios[i][1]);
        dcsim_ok("mc", scenarios[i][0], dir, "-n", scenarios[i][1], "-j", "2", NULL);
        draw_all(f, dir, DCSIM_DIR_MC);
        mc_checks(dir);
    }

    /* Hand-made from the first: its first milestone without a cost of slip in any run (no
     * column in slipcost, no bar in tornado-usd), then no money at all (both say so). */
    char src[PATH_MAX], dir[PATH_MAX], checks[PATH_MAX + 8], key[300];
    PATHF(src, "%s/mc-0", f->tmp);
    dcsim_csv_table *ms = tu_read_csv(src, "milestones.csv");
    assert_true(ms->n_rows > 2);
    const char *first = tu_field(ms, 1, "milestone");
    PATHF(dir, "%s/mc-some-money", f->tmp);
    PATHF(checks, "%s/check", dir);
    print_message("charts of dcsim mc without a cost of slip for %s\n", first);
    mc_without_money(src, dir, first);
    draw_all(f, dir, DCSIM_DIR_MC);
    mc_checks(dir);
    near("slipcost empty", check_value(checks, "slipcost", "empty"), 0);
    near("slipcost columns", check_value(checks, "slipcost", "columns"), (double)ms->n_rows - 2);
    PATHF(key, "n_%s", first);
    near(key, check_value(checks, "slipcost", key), 0);
    near("tornado-usd empty", check_value(checks, "tornado-usd", "empty"), 0);
    PATHF(key, "bars_%s", first);
    near(key, check_value(checks, "tornado-usd", key), 0);
    dcsim_csv_free(ms);

    PATHF(dir, "%s/mc-no-money", f->tmp);
    PATHF(checks, "%s/check", dir);
    print_message("charts of dcsim mc without any cost of slip\n");
    mc_without_money(src, dir, NULL);
    draw_all(f, dir, DCSIM_DIR_MC);
    mc_checks(dir);
    near("slipcost empty", check_value(checks, "slipcost", "empty"), 1);
    near("tornado-usd empty", check_value(checks, "tornado-usd", "empty"), 1);
    assert_true(isnan(check_value(checks, "slipcost", "y_max")));
}

/* Sweeps: one varied path on the default campus, and two on a small scenario. */
static void sweep_charts(void **state)
{
    fixture *f = *state;
    char one[PATH_MAX], two[PATH_MAX];
    PATHF(one, "%s/sweep-1", f->tmp);
    PATHF(two, "%s/sweep-2", f->tmp);
    dcsim_ok("sweep", "scenarios/stargate-abilene.yaml", one, "--vary",
             "power.sources.grid.capacity=600MW,1200MW", "-n", "5", NULL);
    draw_all(f, one, DCSIM_DIR_SWEEP);
    sweep_checks(one);
    /* The sweep names its scenario like run and mc do (titles and the report use it). */
    char name[64];
    dcsim_diag d;
    assert_int_equal(dcsim_dir_kind_of(one, name, sizeof name, &d), DCSIM_DIR_SWEEP);
    assert_string_equal(name, "stargate-abilene");
    dcsim_ok("sweep", "tests/scenarios/sweep-grid.yaml", two, "--vary",
             "power.sources.grid.capacity=10MW,20MW", "--vary", "seed=1,2", "-n", "20", NULL);
    draw_all(f, two, DCSIM_DIR_SWEEP);
    sweep_checks(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(run_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(mc_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(sweep_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(plot_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(report_in_chromium, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
