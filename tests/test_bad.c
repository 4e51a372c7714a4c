/* Bad input, end to end: every malformed scenario listed in tests/bad/MANIFEST, and a few too
 * big to keep in the tree (written at startup into a scratch directory), goes through the
 * dcsim binary (run, validate and mc), which must exit 2 with "file:line:column: error: ..."
 * pointing at what is wrong, quickly, and must leave nothing behind. Then the command line's
 * own refusals. The binary and the tree come from DCSIM_BIN and DCSIM_ROOT (see make test);
 * each run happens in a fresh directory under $TMPDIR so that any stray output shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/testutil.h"

enum {
    MIN_CASES = 150,        /* the brief for this suite: at least this many bad files */
    RUN_TIMEOUT_S = 60,     /* a hang is a failure too; ASan builds are slow, so be generous */
    QUICK_S = 10,           /* bad input is refused at load: even a 100 MB file, even ASan */
    MAX_ARGS = 16,
};

typedef struct bad_case {
    char *file;             /* name inside dir */
    char *pos_file;         /* the file the position is in, inside dir; NULL: file itself */
    int line, col;          /* col 0: a fault of a whole line ("FILE:LINE: error: ..."); line 0
                             * too: of the whole file ("FILE: error: ...") */
    char *frag;
    int manifest_line;      /* 0 for the generated cases */
    const char *dir;        /* tests/bad, or the scratch directory of generated cases */
} bad_case;

typedef struct suite {
    char root[PATH_MAX];    /* absolute, so the child can run anywhere */
    char bin[PATH_MAX];
    char bad_dir[PATH_MAX];
    char valid[PATH_MAX];   /* a scenario that loads and runs */
    char *gen_dir;          /* generated cases, removed at teardown */
    bad_case *cases;
    size_t n_cases, cap_cases;
} suite;

typedef struct proc_result {
    bool exited;            /* false: killed by a signal (status holds it) or timed out */
    bool timed_out;
    int status;
    char *err;              /* everything written to stderr, NUL-terminated */
    size_t err_len;
} proc_result;

/* ---- processes ---- */

static void result_free(proc_result *r)
{
    free(r->err);
    r->err = NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run the binary with args (NULL-terminated, without argv[0]) in directory cwd, stdin and
 * stdout on /dev/null, stderr captured. No shell: arguments arrive exactly as written. */
static int run_in(const suite *s, const char *cwd, const char *const *args, proc_result *r)
{
    memset(r, 0, sizeof *r);
    char *argv[MAX_ARGS + 2];
    size_t n = 0;
    argv[n++] = (char *)s->bin;
    while (args[n - 1] && n < MAX_ARGS + 1) {
        argv[n] = (char *)args[n - 1];
        n++;
    }
    argv[n] = NULL;

    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(fds[1], 2) < 0)
            _exit(126);
        close(fds[0]);
        close(fds[1]);
        close(null);
        if (chdir(cwd) != 0)
            _exit(126);
        execv(s->bin, argv);
        dprintf(2, "test_bad: cannot execute %s: %s\n", s->bin, strerror(errno));
        _exit(127);
    }
    close(fds[1]);

    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    double deadline = now_s() + RUN_TIMEOUT_S;
    for (;;) {
        if (!buf)
            break;
        double left = deadline - now_s();
        if (left <= 0) {
            r->timed_out = true;
            kill(pid, SIGKILL);     /* our own child, by its id */
            break;
        }
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        int pr = poll(&p, 1, (int)(left * 1000.0) + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;       /* timeout: the deadline check above ends it */
        if (len + 1 >= cap) {
            char *grown = realloc(buf, 2 * cap);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t got = read(fds[0], buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;          /* EOF: the child (and anything it forked) closed stderr */
        len += (size_t)got;
    }
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (!buf)
        return -1;
    buf[len] = '\0';
    r->err = buf;
    r->err_len = len;
    if (WIFEXITED(wstatus)) {
        r->exited = !r->timed_out;
        r->status = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        r->status = WTERMSIG(wstatus);
    }
    return 0;
}

/* What the result was, in words, for failure messages. */
static void describe(const proc_result *r, char *buf, size_t n)
{
    if (r->timed_out)
        snprintf(buf, n, "timed out after %d s", RUN_TIMEOUT_S);
    else if (!r->exited)
        snprintf(buf, n, "killed by signal %d (%s)", r->status, strsignal(r->status));
    else
        snprintf(buf, n, "exit status %d", r->status);
}

/* Signs of a crash that still exited with some status: sanitizer reports, our own assertion
 * handler. */
static const char *crash_sign(const char *err)
{
    static const char *const signs[] = {"Sanitizer", "runtime error:", "internal error",
                                        "Assertion", NULL};
    for (const char *const *p = signs; *p; p++)
        if (strstr(err, *p))
            return *p;
    return NULL;
}

/* ---- scratch directories (tu_mkdtemp / tu_rm_tree from tests/support) ---- */

/* The entries of dir (not . and ..), comma-separated into list; returns how many. */
static size_t list_dir(const char *dir, char *list, size_t n)
{
    list[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        size_t used = strlen(list);
        snprintf(list + used, n - used, "%s%s", count ? ", " : "", de->d_name);
        count++;
    }
    closedir(d);
    return count;
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static void path_join(char *buf, const char *a, const char *b)
{
    int w = snprintf(buf, PATH_MAX, "%s/%s", a, b);
    assert_true(w > 0 && w < PATH_MAX);
}

/* ---- the manifest ---- */

static void free_cases(suite *s)
{
    for (size_t i = 0; i < s->n_cases; i++) {
        free(s->cases[i].file);
        free(s->cases[i].pos_file);
        free(s->cases[i].frag);
    }
    free(s->cases);
    s->cases = NULL;
    s->n_cases = s->cap_cases = 0;
}

/* Append c (taking its strings); false when out of memory. */
static bool push_case(suite *s, bad_case c)
{
    if (s->n_cases == s->cap_cases) {
        size_t cap = s->cap_cases ? 2 * s->cap_cases : 64;
        bad_case *grown = realloc(s->cases, cap * sizeof *grown);
        if (!grown) {
            free(c.file);
            free(c.pos_file);
            free(c.frag);
            return false;
        }
        s->cases = grown;
        s->cap_cases = cap;
    }
    s->cases[s->n_cases++] = c;
    return c.file && c.frag;
}

/* "LINE:COL", LINE at least 1; COL 0 for a fault of the whole line (a CSV row too many). */
static bool parse_line_col(const char *t, int *line, int *col)
{
    char *end;
    errno = 0;
    long l = strtol(t, &end, 10);
    if (end == t || *end != ':' || errno || l < 1 || l > INT_MAX)
        return false;
    const char *c0 = end + 1;
    long c = strtol(c0, &end, 10);
    if (end == c0 || *end != '\0' || errno || c < 0 || c > INT_MAX)
        return false;
    *line = (int)l;
    *col = (int)c;
    return true;
}

/* "LINE:COL", or "FILE:LINE:COL" when the position is in another file (a trace the scenario
 * reads): *file gets a copy of FILE, else NULL. */
static bool parse_pos(const char *t, char **file, int *line, int *col)
{
    *file = NULL;
    const char *last = strrchr(t, ':');
    const char *first = last ? memrchr(t, ':', (size_t)(last - t)) : NULL;
    if (!first)
        return parse_line_col(t, line, col);
    if (first == t || !parse_line_col(first + 1, line, col))
        return false;
    *file = strndup(t, (size_t)(first - t));
    return *file != NULL;
}

/* Reads FILE<TAB>LINE:COL<TAB>FRAGMENT lines; prints the manifest line of any malformed one. */
static int load_manifest(suite *s)
{
    char path[PATH_MAX];
    path_join(path, s->bad_dir, "MANIFEST");
    FILE *f = fopen(path, "r");
    if (!f) {
        print_error("%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t text_cap = 0;
    ssize_t got;
    int lineno = 0, bad = 0;
    while ((got = getline(&text, &text_cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        if (len == 0 || text[0] == '#')
            continue;
        char *tab1 = strchr(text, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        bad_case c = {.manifest_line = lineno, .dir = s->bad_dir};
        if (!tab2 || strchr(tab2 + 1, '\t') || tab1 == text || !tab2[1]) {
            print_error("%s:%d: expected FILE<TAB>LINE:COL<TAB>FRAGMENT\n", path, lineno);
            bad++;
            continue;
        }
        *tab1 = '\0';
        *tab2 = '\0';
        if (!parse_pos(tab1 + 1, &c.pos_file, &c.line, &c.col)) {
            print_error("%s:%d: '%s' is not LINE:COL or FILE:LINE:COL\n", path, lineno,
                        tab1 + 1);
            bad++;
            continue;
        }
        c.file = strdup(text);
        c.frag = strdup(tab2 + 1);
        if (!push_case(s, c)) {
            bad++;
            break;
        }
    }
    free(text);
    fclose(f);
    return bad ? -1 : 0;
}

/* ---- generated cases: too big, or too strange, to keep in the tree ---- */

/* Write head, then fill over and over until the file holds at least size bytes. */
static bool write_file(const char *path, const char *head, const char *fill, size_t size)
{
    char block[64 * 1024];
    size_t k = strlen(fill), used = 0;
    while (k > 0 && used + k <= sizeof block) {
        memcpy(block + used, fill, k);
        used += k;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    size_t n = strlen(head);
    bool ok = fwrite(head, 1, n, f) == n;
    while (ok && used > 0 && n < size) {
        ok = fwrite(block, 1, used, f) == used;
        n += used;
    }
    return fclose(f) == 0 && ok;
}

enum { MIB = 1024 * 1024 };

/* A scenario and a trace of 100 MB each, refused by their size before a byte is parsed; a
 * scenario without end (/dev/zero), refused by the bytes read; nesting a million deep; a
 * PUE table of 10,001 points; a trace of more fields than the table may hold. */
static bool make_generated(suite *s)
{
    const char *g = s->gen_dir;
    char p[PATH_MAX], q[PATH_MAX];
    static const char head[] = "dcsim: 1\nstart: 2025-01-01\nhorizon: 30d\n";
    bool ok = true;

    path_join(p, g, "huge.yaml");
    ok = ok && write_file(p, "# generated by test_bad: 100 MB, above the limit of 16 MiB\n",
                          "# padding to make the scenario big; the loader must not read it\n",
                          100 * (size_t)MIB);
    path_join(p, g, "huge-trace.yaml");
    ok = ok && write_file(p, "dcsim: 1\nstart: 2025-01-01\nhorizon: 30d\n"
                             "weather: {model: trace, trace: huge-trace.csv}\n", "", 0);
    path_join(p, g, "huge-trace.csv");
    ok = ok && write_file(p, "ambient_c\n", "20\n", 100 * (size_t)MIB);
    path_join(p, g, "endless.yaml");
    ok = ok && symlink("/dev/zero", p) == 0;
    path_join(p, g, "very-deep.yaml");
    ok = ok && write_file(p, "description: ", "[", MIB);
    /* 10,001 points [[0, 1.1], [1, 1.1], ...]: one more than a table may hold. */
    path_join(p, g, "table-over-limit.yaml");
    FILE *f = ok ? fopen(p, "w") : NULL;
    ok = f != NULL;
    if (f) {
        fprintf(f, "%sbuildings:\n  hall:\n    start: 0d\n    duration: 0d\n"
                   "    it_capacity: 1MW\n    rack_positions: 1\n    pue: [", head);
        for (int i = 0; i <= 10000; i++)
            fprintf(f, "%s[%d, 1.1]", i ? ", " : "", i);
        fputs("]\n", f);
        ok = fclose(f) == 0;
    }
    /* 30,001 columns a row: row 67 takes the fields past two million. */
    path_join(p, g, "wide-trace.yaml");
    ok = ok && write_file(p, "dcsim: 1\nstart: 2025-01-01\nhorizon: 30d\n"
                             "weather: {model: trace, trace: wide-trace.csv}\n", "", 0);
    path_join(q, g, "wide-trace.csv");
    f = ok ? fopen(q, "w") : NULL;
    ok = f != NULL;
    if (f) {
        for (int row = 0; row < 100; row++) {
            fputs(row ? "20" : "ambient_c", f);
            for (int c = 0; c < 30000; c++)
                fputs(row ? ",0" : ",x", f);
            fputc('\n', f);
        }
        ok = fclose(f) == 0;
    }

    static const struct {
        const char *file, *pos_file;
        int line, col;
        const char *frag;
    } gen[] = {
        {"huge.yaml", NULL, 0, 0, "bytes, above the limit of 16777216"},
        {"huge-trace.yaml", NULL, 4, 32, "bytes, above the limit of 67108864"},
        {"endless.yaml", NULL, 0, 0, "more than 16777216 bytes, the limit"},
        {"very-deep.yaml", NULL, 1, 77, "nesting deeper than 64 levels"},
        {"table-over-limit.yaml", NULL, 10, 10, "more than 10000 points"},
        {"wide-trace.yaml", "wide-trace.csv", 67, 0, "more than 2000000 fields"},
    };
    for (size_t i = 0; ok && i < sizeof gen / sizeof *gen; i++) {
        bad_case c = {.file = strdup(gen[i].file), .line = gen[i].line, .col = gen[i].col,
                      .frag = strdup(gen[i].frag), .dir = g};
        if (gen[i].pos_file)
            ok = (c.pos_file = strdup(gen[i].pos_file)) != NULL;
        ok = push_case(s, c) && ok;
    }
    return ok;
}

/* ---- one bad file through one command ---- */

/* Runs `dcsim CMD <file> [-n 2] [-o <scratch>/out]` in a fresh scratch directory and checks
 * the answer. Returns true when every check holds; otherwise prints why, naming the file. */
static bool check_case(const suite *s, const bad_case *c, const char *cmd)
{
    char *scratch = tu_mkdtemp(), out[PATH_MAX], scenario[PATH_MAX], at[PATH_MAX];
    path_join(out, scratch, "out");
    path_join(scenario, c->dir, c->file);
    if (c->pos_file && c->pos_file[0] == '/')
        snprintf(at, sizeof at, "%s", c->pos_file);     /* a device such as /dev/zero */
    else
        path_join(at, c->dir, c->pos_file ? c->pos_file : c->file);
    const char *args_run[] = {cmd, scenario, "-o", out, NULL};
    const char *args_mc[] = {cmd, scenario, "-n", "2", "-o", out, NULL};
    const char *args_validate[] = {cmd, scenario, NULL};
    const char *const *args = strcmp(cmd, "run") == 0  ? args_run
                              : strcmp(cmd, "mc") == 0 ? args_mc
                                                       : args_validate;

    proc_result r;
    bool ok = true;
    double t0 = now_s();
    if (run_in(s, scratch, args, &r) != 0) {
        print_error("%s (%s): could not run %s\n", c->file, cmd, s->bin);
        tu_rm_tree(scratch);
        free(scratch);
        return false;
    }
    double took = now_s() - t0;
    char want[PATH_MAX + 64], how[128];
    if (c->line > 0 && c->col > 0)
        snprintf(want, sizeof want, "%s:%d:%d: error: ", at, c->line, c->col);
    else if (c->line > 0)
        snprintf(want, sizeof want, "%s:%d: error: ", at, c->line);
    else
        snprintf(want, sizeof want, "%s: error: ", at);
    describe(&r, how, sizeof how);
    const char *crash = crash_sign(r.err);
    if (!r.exited || r.status != 2) {
        print_error("%s (%s): want exit status 2, got %s\n", c->file, cmd, how);
        ok = false;
    } else if (took > QUICK_S) {
        print_error("%s (%s): took %.1f s to refuse, want at most %d\n", c->file, cmd, took,
                    QUICK_S);
        ok = false;
    }
    if (crash) {
        print_error("%s (%s): stderr shows a crash ('%s')\n", c->file, cmd, crash);
        ok = false;
    }
    if (!strstr(r.err, want)) {
        if (c->line > 0)
            print_error("%s (%s): want the error at %s, line %d, column %d (manifest line "
                        "%d)\n", c->file, cmd, c->pos_file ? c->pos_file : "the scenario",
                        c->line, c->col, c->manifest_line);
        else
            print_error("%s (%s): want the error on the file, without a position\n", c->file,
                        cmd);
        ok = false;
    }
    if (!strstr(r.err, c->frag)) {
        print_error("%s (%s): want the message to contain \"%s\"\n", c->file, cmd, c->frag);
        ok = false;
    }
    char left[1024];
    if (exists(out)) {
        print_error("%s (%s): the output directory %s was created\n", c->file, cmd, out);
        ok = false;
    } else if (list_dir(scratch, left, sizeof left) > 0) {
        print_error("%s (%s): left behind in the scratch directory: %s\n", c->file, cmd, left);
        ok = false;
    }
    if (!ok)
        print_error("    stderr was: %.600s%s\n", r.err_len ? r.err : "(nothing)\n",
                    r.err_len > 600 ? "...\n" : "");
    result_free(&r);
    tu_rm_tree(scratch);
    free(scratch);
    return ok;
}

static void every_case(void **state, const char *cmd)
{
    const suite *s = *state;
    int failures = 0;
    for (size_t i = 0; i < s->n_cases; i++)
        failures += !check_case(s, &s->cases[i], cmd);
    if (failures)
        print_error("%d of %zu bad scenarios were not refused as the manifest says (%s)\n",
                    failures, s->n_cases, cmd);
    assert_int_equal(failures, 0);
}

static void bad_files_run(void **state)
{
    every_case(state, "run");
}

static void bad_files_validate(void **state)
{
    every_case(state, "validate");
}

static void bad_files_mc(void **state)
{
    every_case(state, "mc");
}

/* Every file in tests/bad/traces/ is named by a listed scenario ("traces/NAME"), so that a
 * trace cannot be left behind when its scenario goes. Returns the number of strays. */
static int traces_are_used(const suite *s)
{
    char dir[PATH_MAX];
    path_join(dir, s->bad_dir, "traces");
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **texts = calloc(s->n_cases + 1, sizeof *texts);
    assert_non_null(texts);
    for (size_t i = 0; i < s->n_cases; i++) {
        char p[PATH_MAX];
        size_t len;
        path_join(p, s->bad_dir, s->cases[i].file);
        texts[i] = s->cases[i].manifest_line > 0 ? tu_slurp(p, &len) : NULL;
    }
    int strays = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char name[PATH_MAX];
        path_join(name, "traces", de->d_name);
        bool used = false;
        for (size_t i = 0; i < s->n_cases && !used; i++)
            used = texts[i] && strstr(texts[i], name);
        if (!used) {
            print_error("%s: in tests/bad/traces/ but no listed scenario reads it\n", name);
            strays++;
        }
    }
    closedir(d);
    for (size_t i = 0; i < s->n_cases; i++)
        free(texts[i]);
    free(texts);
    return strays;
}

/* Enough cases, each file present, and every .yaml file in tests/bad/ listed exactly once, so that a
 * new bad file cannot be forgotten. */
static void manifest_is_complete(void **state)
{
    const suite *s = *state;
    int failures = 0;
    size_t listed_cases = 0;
    for (size_t i = 0; i < s->n_cases; i++)
        listed_cases += s->cases[i].manifest_line > 0;
    if (listed_cases < MIN_CASES) {
        print_error("MANIFEST lists %zu cases, want at least %d\n", listed_cases, MIN_CASES);
        failures++;
    }
    for (size_t i = 0; i < s->n_cases; i++) {
        if (s->cases[i].manifest_line == 0)
            continue;       /* generated */
        char p[PATH_MAX];
        path_join(p, s->bad_dir, s->cases[i].file);
        if (!exists(p)) {
            print_error("%s: listed in MANIFEST (line %d) but missing\n", s->cases[i].file,
                        s->cases[i].manifest_line);
            failures++;
        }
        if (s->cases[i].pos_file) {
            if (s->cases[i].pos_file[0] == '/')
                snprintf(p, sizeof p, "%s", s->cases[i].pos_file);
            else
                path_join(p, s->bad_dir, s->cases[i].pos_file);
            if (!exists(p)) {
                print_error("%s: MANIFEST line %d places the error in %s, which is missing\n",
                            s->cases[i].file, s->cases[i].manifest_line, s->cases[i].pos_file);
                failures++;
            }
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->cases[i].file, s->cases[j].file) == 0) {
                print_error("%s: listed twice in MANIFEST (lines %d and %d)\n",
                            s->cases[i].file, s->cases[j].manifest_line,
                            s->cases[i].manifest_line);
                failures++;
            }
    }
    DIR *d = opendir(s->bad_dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 5, ".yaml") != 0)
            continue;
        bool listed = false;
        for (size_t i = 0; i < s->n_cases && !listed; i++)
            listed = strcmp(s->cases[i].file, de->d_name) == 0;
        if (!listed) {
            print_error("%s: in tests/bad/ but not in MANIFEST\n", de->d_name);
            failures++;
        }
    }
    closedir(d);
    failures += traces_are_used(s);
    assert_int_equal(failures, 0);
}

/* ---- the command line ---- */

/* Runs args in a fresh scratch directory, expects exit 2 with every fragment in stderr, no
 * crash, and the scratch directory still empty. */
static void expect_refusal(const suite *s, const char *const *args, const char *const *frags)
{
    char *scratch = tu_mkdtemp(), left[1024], how[128];
    proc_result r;
    assert_int_equal(run_in(s, scratch, args, &r), 0);
    describe(&r, how, sizeof how);
    int failures = 0;
    if (!r.exited || r.status != 2) {
        print_error("%s %s: want exit status 2, got %s\n", args[0], args[1] ? args[1] : "",
                    how);
        failures++;
    }
    if (crash_sign(r.err)) {
        print_error("%s: stderr shows a crash\n", args[0]);
        failures++;
    }
    for (const char *const *f = frags; *f; f++)
        if (!strstr(r.err, *f)) {
            print_error("want stderr to contain \"%s\"\n", *f);
            failures++;
        }
    if (list_dir(scratch, left, sizeof left) > 0) {
        print_error("left behind: %s\n", left);
        failures++;
    }
    if (failures)
        print_error("    stderr was: %.600s\n", r.err_len ? r.err : "(nothing)");
    result_free(&r);
    tu_rm_tree(scratch);
    free(scratch);
    assert_int_equal(failures, 0);
}

/* The harness itself: the valid scenario runs, so the refusals below are the options'. */
static void valid_scenario_runs(void **state)
{
    const suite *s = *state;
    char *scratch = tu_mkdtemp(), out[PATH_MAX], meta[PATH_MAX], how[128];
    path_join(out, scratch, "out");
    path_join(meta, out, "meta.csv");
    const char *args[] = {"run", s->valid, "-o", out, "-q", NULL};
    proc_result r;
    assert_int_equal(run_in(s, scratch, args, &r), 0);
    describe(&r, how, sizeof how);
    if (!r.exited || r.status != 0)
        print_error("%s: want exit status 0, got %s\n    stderr was: %s\n", s->valid, how, r.err);
    bool ok = r.exited && r.status == 0 && exists(meta);
    result_free(&r);
    tu_rm_tree(scratch);
    free(scratch);
    assert_true(ok);
}

static void missing_scenario_file(void **state)
{
    const suite *s = *state;
    char missing[PATH_MAX];
    path_join(missing, s->bad_dir, "no-such-scenario.yaml");
    const char *args[] = {"run", missing, "-o", "out", NULL};
    const char *frags[] = {missing, "No such file", NULL};
    expect_refusal(s, args, frags);
    const char *vargs[] = {"validate", missing, NULL};
    expect_refusal(s, vargs, frags);
}

static void set_without_value(void **state)
{
    const suite *s = *state;
    const char *args[] = {"run", s->valid, "-o", "out", "--set", NULL};
    const char *frags[] = {"--set", "needs a value", NULL};
    expect_refusal(s, args, frags);
}

static void set_without_equals(void **state)
{
    const suite *s = *state;
    const char *args[] = {"run", s->valid, "-o", "out", "--set", "nonsense", NULL};
    const char *frags[] = {"--set:1:1: error: ", "PATH=VALUE", "nonsense", NULL};
    expect_refusal(s, args, frags);
}

static void unknown_option(void **state)
{
    const suite *s = *state;
    const char *args[] = {"run", s->valid, "-o", "out", "--frobnicate", NULL};
    const char *frags[] = {"unknown option", "--frobnicate", NULL};
    expect_refusal(s, args, frags);
}

static void unknown_command(void **state)
{
    const suite *s = *state;
    const char *args[] = {"frobnicate", s->valid, NULL};
    const char *frags[] = {"unknown command", "frobnicate", NULL};
    expect_refusal(s, args, frags);
}

/* Limits the command line sets: runs (-n) and sweep points. */
static void runs_over_limit(void **state)
{
    const suite *s = *state;
    const char *args[] = {"mc", s->valid, "-n", "100000001", "-o", "out", NULL};
    const char *frags[] = {"-n needs a number of runs from 1 to 100000000", NULL};
    expect_refusal(s, args, frags);
}

static void cost_runs_not_a_number(void **state)
{
    const suite *s = *state;
    const char *args[] = {"mc", s->valid, "-n", "10", "--cost-runs", "half", "-o", "out", NULL};
    const char *frags[] = {"--cost-runs needs a number of runs from 0", NULL};
    expect_refusal(s, args, frags);
    const char *run_args[] = {"run", s->valid, "--cost-runs", "5", "-o", "out", NULL};
    const char *run_frags[] = {"'--cost-runs' goes with 'mc'", NULL};
    expect_refusal(s, run_args, run_frags);
}

/* The Monte Carlo's bands beyond the exact budget: 20 years hourly is 175,321 steps, whose
 * histograms would take 12 GiB, above DCSIM_MC_MAX_BAND_BYTES. */
static void mc_bands_over_limit(void **state)
{
    const suite *s = *state;
    const char *args[] = {"mc", s->valid, "-n", "2000", "--set", "horizon=20y", "--set",
                          "sample=1h", "-o", "out", NULL};
    const char *frags[] = {"the Monte Carlo's bands would keep", "above the limit of 2 GiB",
                           NULL};
    expect_refusal(s, args, frags);
}

static void sweep_points_over_limit(void **state)
{
    const suite *s = *state;
    /* 101 x 101 = 10,201 points, above 10,000. */
    char a[1024] = "reserve=", b[1024] = "seed=";
    for (int i = 0; i <= 100; i++) {
        size_t la = strlen(a), lb = strlen(b);
        snprintf(a + la, sizeof a - la, "%s0.%03d", i ? "," : "", i);
        snprintf(b + lb, sizeof b - lb, "%s%d", i ? "," : "", i + 1);
    }
    const char *args[] = {"sweep", s->valid, "--vary", a, "--vary", b, "-n", "1", "-o", "out",
                          NULL};
    const char *frags[] = {"more than 10000 points", NULL};
    expect_refusal(s, args, frags);
}

/* A misspelt last step adds a key to the tree, which the loader then refuses: the position
 * is the step's column inside the --set argument. */
static void set_misspelt_key(void **state)
{
    const suite *s = *state;
    const char *set = "power.sources.grid.capcity=1MW";
    char where[64];
    snprintf(where, sizeof where, "--set:1:%d: error: ", (int)(strstr(set, "capcity") - set) + 1);
    const char *args[] = {"run", s->valid, "-o", "out", "--set", set, NULL};
    const char *frags[] = {where, "unknown key 'capcity'", "did you mean 'capacity'?", NULL};
    expect_refusal(s, args, frags);
}

/* -o naming a directory that holds something else: refused (exit 1), and the directory
 * untouched. */
static void output_dir_not_ours(void **state)
{
    const suite *s = *state;
    char *scratch = tu_mkdtemp(), keep[PATH_MAX], notes[PATH_MAX], left[1024], how[128];
    path_join(keep, scratch, "keep");
    path_join(notes, keep, "notes.txt");
    assert_int_equal(mkdir(keep, 0777), 0);
    FILE *f = fopen(notes, "w");
    assert_non_null(f);
    fputs("not a dcsim output\n", f);
    assert_int_equal(fclose(f), 0);

    const char *args[] = {"run", s->valid, "-o", keep, NULL};
    proc_result r;
    assert_int_equal(run_in(s, scratch, args, &r), 0);
    describe(&r, how, sizeof how);
    int failures = 0;
    if (!r.exited || r.status != 1) {     /* an output problem: exit 1, like a full disk */
        print_error("-o %s: want exit status 1, got %s\n", keep, how);
        failures++;
    }
    if (!strstr(r.err, keep)) {
        print_error("-o %s: want the message to name the directory\n", keep);
        failures++;
    }
    if (list_dir(keep, left, sizeof left) != 1 || strcmp(left, "notes.txt") != 0) {
        print_error("-o %s: directory now holds: %s\n", keep, left);
        failures++;
    }
    char text[64] = "";
    f = fopen(notes, "r");
    if (!f || !fgets(text, sizeof text, f) || strcmp(text, "not a dcsim output\n") != 0) {
        print_error("-o %s: notes.txt was changed\n", keep);
        failures++;
    }
    if (f)
        fclose(f);
    if (list_dir(scratch, left, sizeof left) != 1 || strcmp(left, "keep") != 0) {
        print_error("-o %s: beside it now: %s\n", keep, left);
        failures++;
    }
    if (failures)
        print_error("    stderr was: %.600s\n", r.err_len ? r.err : "(nothing)");
    result_free(&r);
    tu_rm_tree(scratch);
    free(scratch);
    assert_int_equal(failures, 0);
}

/* ---- setup ---- */

static int suite_teardown(void **state)
{
    suite *s = *state;
    if (s) {
        free_cases(s);
        if (s->gen_dir)
            tu_rm_tree(s->gen_dir);
        free(s->gen_dir);
        free(s);
        *state = NULL;
    }
    return 0;
}

static int suite_setup(void **state)
{
    suite *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    const char *root = getenv("DCSIM_ROOT"), *bin = getenv("DCSIM_BIN");
    if (!root || !*root)
        root = ".";
    if (!bin || !*bin)
        bin = "build/dcsim";
    /* Absolute paths: every child runs in its own scratch directory. */
    if (!realpath(root, s->root)) {
        print_error("DCSIM_ROOT %s: %s\n", root, strerror(errno));
        free(s);
        return -1;
    }
    if (!realpath(bin, s->bin) || access(s->bin, X_OK) != 0) {
        print_error("DCSIM_BIN %s: not an executable (%s); build it first\n", bin,
                    strerror(errno));
        free(s);
        return -1;
    }
    int w1 = snprintf(s->bad_dir, sizeof s->bad_dir, "%s/tests/bad", s->root);
    int w2 = snprintf(s->valid, sizeof s->valid, "%s/tests/scenarios/gate-basic.yaml", s->root);
    *state = s;
    if (w1 < 0 || (size_t)w1 >= sizeof s->bad_dir || w2 < 0 || (size_t)w2 >= sizeof s->valid ||
        load_manifest(s) != 0) {
        suite_teardown(state);
        return -1;
    }
    s->gen_dir = tu_mkdtemp();
    if (!make_generated(s)) {
        print_error("cannot write the generated cases in %s: %s\n", s->gen_dir,
                    strerror(errno));
        suite_teardown(state);
        return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_is_complete),
        cmocka_unit_test(valid_scenario_runs),
        cmocka_unit_test(bad_files_run),
        cmocka_unit_test(bad_files_validate),
        cmocka_unit_test(bad_files_mc),
        cmocka_unit_test(missing_scenario_file),
        cmocka_unit_test(set_without_value),
        cmocka_unit_test(set_without_equals),
        cmocka_unit_test(unknown_option),
        cmocka_unit_test(unknown_command),
        cmocka_unit_test(cost_runs_not_a_number),
        cmocka_unit_test(runs_over_limit),
        cmocka_unit_test(mc_bands_over_limit),
        cmocka_unit_test(sweep_points_over_limit),
        cmocka_unit_test(set_misspelt_key),
        cmocka_unit_test(output_dir_not_ours),
    };
    return cmocka_run_group_tests(tests, suite_setup, suite_teardown);
}
