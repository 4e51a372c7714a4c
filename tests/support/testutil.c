/* Test helpers (see testutil.h). They fail the running cmocka test on any setup error, so
 * a broken fixture never passes for a working model. */
#include "support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/world.h"

char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/dcsim-test-XXXXXX", base && *base ? base : "/tmp");
    char *p = mkdtemp(tmpl);
    assert_non_null(p);
    char *out = strdup(p);
    assert_non_null(out);
    return out;
}

char *tu_write_temp(const char *name, const char *text, char *path, size_t n)
{
    char *dir = tu_mkdtemp();
    assert_true((size_t)snprintf(path, n, "%s/%s", dir, name) < n);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    return dir;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void tu_rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void tu_src_path(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("DCSIM_ROOT");
    snprintf(buf, n, "%s/%s", root && *root ? root : ".", rel);
}

dcsim_csv_table *tu_read_csv(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    dcsim_diag d;
    dcsim_csv_table *t = dcsim_csv_read(path, 1u << 30, &d);
    if (!t)
        fail_msg("cannot read %s: %s", path, d.msg);
    return t;
}

const char *tu_field(const dcsim_csv_table *t, size_t r, const char *col)
{
    long c = dcsim_csv_column(t, col);
    if (c < 0)
        fail_msg("no column '%s'", col);
    if (r >= t->n_rows)
        fail_msg("no row %zu (table has %zu data rows)", r, t->n_rows - 1);
    return t->rows[r][c];
}

double tu_num(const dcsim_csv_table *t, size_t r, const char *col)
{
    const char *s = tu_field(t, r, col);
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0')
        fail_msg("row %zu column '%s' is not a number: '%s'", r, col, s);
    return v;
}

size_t tu_find_row(const dcsim_csv_table *t, const char *key_col, const char *key)
{
    long c = dcsim_csv_column(t, key_col);
    if (c < 0)
        fail_msg("no column '%s'", key_col);
    for (size_t r = 1; r < t->n_rows; r++)
        if (strcmp(t->rows[r][c], key) == 0)
            return r;
    return 0;
}

void tu_run_scenario(const char *rel_path, const char *const *sets, size_t n_sets,
                     const char *dir)
{
    char path[4096];
    tu_src_path(rel_path, path, sizeof path);
    dcsim_diag d;
    dcsim_scenario *sc = NULL;
    if (dcsim_scenario_load(path, sets, n_sets, false, 0, &sc, &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot load %s", path);
    }
    dcsim_world *w = NULL;
    if (dcsim_world_create(sc, 0, &w, &d) || dcsim_world_run(w, &d) ||
        dcsim_world_write(w, dir, "test", &d)) {
        dcsim_diag_print(&d, stderr);
        fail_msg("cannot run %s", path);
    }
    dcsim_world_destroy(w);
    dcsim_scenario_free(sc);
}

char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            } else {
                buf = b;
            }
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';     /* n < cap: the buffer grows whenever it fills */
    *len = n;
    return buf;
}

int tu_exec(char *const argv[], void (*in_child)(void *), void *arg, char *err, size_t err_len)
{
    char errfile[] = "/tmp/dcsim-test-err-XXXXXX";
    int fd = mkstemp(errfile);
    if (fd < 0)
        fail_msg("mkstemp: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (in_child)
            in_child(arg);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    close(fd);
    if (err && err_len) {
        size_t n;
        char *text = tu_slurp(errfile, &n);
        snprintf(err, err_len, "%s", text ? text : "");
        free(text);
    }
    unlink(errfile);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
