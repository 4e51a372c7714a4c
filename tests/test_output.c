/* Output safety from the command line: an earlier output is never replaced without --force;
 * a write that fails (the disk full, permission denied, the output path a file) is a clear
 * error with exit 1, and leaves neither the output directory nor its temporary sibling. And
 * what `dcsim run` prints on success, which make bench reads. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "support/testutil.h"

typedef struct child_limits {
    long fsize;         /* RLIMIT_FSIZE in bytes, or -1 */
    bool as_nobody;     /* drop to uid/gid 65534 (only when root) */
} child_limits;

static void apply_limits(void *arg)
{
    const child_limits *lim = arg;
    if (lim->fsize >= 0) {
        /* A size-limited file stands for a full disk: writes past the limit fail with EFBIG
         * once SIGXFSZ no longer kills the writer. */
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {(rlim_t)lim->fsize, (rlim_t)lim->fsize};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(126);
    }
    if (lim->as_nobody && (setgid(65534) != 0 || setuid(65534) != 0))
        _exit(125);
}

/* dcsim ARGS... (NULL-terminated) under the limits; stderr into err. Returns the exit code. */
static int dcsim(const child_limits *lim, char *err, size_t err_len, ...)
{
    const char *bin = getenv("DCSIM_BIN");
    if (!bin || !*bin)
        bin = "build/dcsim";
    char *argv[32] = {(char *)bin};
    size_t n = 1;
    va_list ap;
    va_start(ap, err_len);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 31;)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return tu_exec(argv, lim ? apply_limits : NULL, (void *)lim, err, err_len);
}

/* Entries of dir whose names start with prefix (the output and any sibling it left). */
static int entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static char scenario[PATH_MAX];

static int setup(void **state)
{
    tu_src_path("scenarios/stargate-abilene.yaml", scenario, sizeof scenario);
    *state = tu_mkdtemp();
    return 0;
}

static int teardown(void **state)
{
    tu_rm_tree(*state);
    free(*state);
    return 0;
}

static void no_overwrite_without_force(void **state)
{
    const char *tmp = *state;
    char out[PATH_MAX + 16], err[4096], meta[PATH_MAX + 32];
    assert_true(snprintf(out, sizeof out, "%s/run", tmp) < (int)sizeof out);
    assert_true(snprintf(meta, sizeof meta, "%s/meta.csv", out) < (int)sizeof meta);
    assert_int_equal(dcsim(NULL, err, sizeof err, "run", scenario, "-o", out, "-q", "--seed",
                           "1", NULL),
                     0);
    size_t n1, n2;
    char *first = tu_slurp(meta, &n1);
    assert_non_null(first);
    /* A second run there: refused, exit 1, the first output untouched. */
    assert_int_equal(dcsim(NULL, err, sizeof err, "run", scenario, "-o", out, "-q", "--seed",
                           "2", NULL),
                     1);
    if (!strstr(err, "holds an earlier dcsim output; add --force"))
        fail_msg("unexpected message: %s", err);
    char *again = tu_slurp(meta, &n2);
    assert_non_null(again);
    assert_string_equal(first, again);
    free(again);
    assert_int_equal(entries(tmp, "run"), 1);
    /* With --force it replaces it. */
    assert_int_equal(dcsim(NULL, err, sizeof err, "run", scenario, "-o", out, "-q", "--seed",
                           "2", "--force", NULL),
                     0);
    again = tu_slurp(meta, &n2);
    assert_non_null(again);
    assert_non_null(strstr(again, "seed,2"));
    free(again);
    free(first);
    assert_int_equal(entries(tmp, "run"), 1);
}

/* The disk fills up while the run writes its CSVs: exit 1, the file and the reason named,
 * nothing left behind. The same for the Monte Carlo's outputs. */
static void disk_full(void **state)
{
    const char *tmp = *state;
    char out[PATH_MAX + 16], err[4096];
    child_limits full = {.fsize = 64 * 1024};
    assert_true(snprintf(out, sizeof out, "%s/full", tmp) < (int)sizeof out);
    assert_int_equal(dcsim(&full, err, sizeof err, "run", scenario, "-o", out, "-q", NULL), 1);
    if (!strstr(err, "cannot write") || !strstr(err, strerror(EFBIG)))
        fail_msg("unexpected message: %s", err);
    assert_int_equal(entries(tmp, "full"), 0);

    char scen[PATH_MAX];
    tu_src_path("tests/scenarios/mc-uniform.yaml", scen, sizeof scen);
    full.fsize = 4 * 1024;
    assert_int_equal(dcsim(&full, err, sizeof err, "mc", scen, "-n", "50", "-o", out, "-q",
                           NULL),
                     1);
    if (!strstr(err, "cannot write"))
        fail_msg("unexpected message: %s", err);
    assert_int_equal(entries(tmp, "full"), 0);
}

static void output_path_is_a_file(void **state)
{
    const char *tmp = *state;
    char out[PATH_MAX + 16], err[4096];
    assert_true(snprintf(out, sizeof out, "%s/afile", tmp) < (int)sizeof out);
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fputs("mine\n", f);
    fclose(f);
    assert_int_equal(dcsim(NULL, err, sizeof err, "run", scenario, "-o", out, "-q", NULL), 1);
    if (!strstr(err, "exists and is not a directory"))
        fail_msg("unexpected message: %s", err);
    size_t n;
    char *text = tu_slurp(out, &n);
    assert_string_equal(text, "mine\n");
    free(text);
    assert_int_equal(entries(tmp, "afile"), 1);
}

/* Copy src to dst with the given mode. */
static void copy_file(const char *src, const char *dst, mode_t mode)
{
    size_t n;
    char *data = tu_slurp(src, &n);
    assert_non_null(data);
    FILE *f = fopen(dst, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(data);
    assert_int_equal(chmod(dst, mode), 0);
}

/* A directory the user may not write into. Root may write anywhere, so as root the child
 * drops to nobody first, running copies of the binary and of a scenario placed where nobody
 * can reach them (the checkout itself may be private). */
static void permission_denied(void **state)
{
    const char *tmp = *state;
    char ro[PATH_MAX + 16], out[PATH_MAX + 32], err[4096], bin[PATH_MAX + 16],
        scen[PATH_MAX + 16], src[PATH_MAX];
    assert_true(snprintf(ro, sizeof ro, "%s/locked", tmp) < (int)sizeof ro);
    assert_true(snprintf(out, sizeof out, "%s/run", ro) < (int)sizeof out);
    assert_int_equal(mkdir(ro, 0555), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    child_limits who = {.fsize = -1, .as_nobody = geteuid() == 0};
    const char *run_bin = getenv("DCSIM_BIN");
    if (!run_bin || !*run_bin)
        run_bin = "build/dcsim";
    tu_src_path("tests/scenarios/gate-basic.yaml", src, sizeof src);
    if (who.as_nobody) {
        assert_true(snprintf(bin, sizeof bin, "%s/dcsim", tmp) < (int)sizeof bin);
        assert_true(snprintf(scen, sizeof scen, "%s/gate-basic.yaml", tmp) < (int)sizeof scen);
        copy_file(run_bin, bin, 0755);
        copy_file(src, scen, 0644);
        assert_int_equal(chmod(tmp, 0755), 0);
        setenv("DCSIM_BIN", bin, 1);
    } else {
        assert_true(snprintf(scen, sizeof scen, "%s", src) < (int)sizeof scen);
    }
    int rc = dcsim(&who, err, sizeof err, "run", scen, "-o", out, "-q", NULL);
    if (who.as_nobody)
        setenv("DCSIM_BIN", run_bin, 1);
    if (rc == 125)
        skip();     /* the system has no user 65534 to drop to */
    assert_int_equal(rc, 1);
    if (!strstr(err, strerror(EACCES)))
        fail_msg("unexpected message: %s", err);
    assert_int_equal(entries(ro, ""), 2);       /* . and .. only */
}

/* dcsim run's closing lines: the events handled, then the timings that bench/run.sh reads
 * ("simulated in S s (R events/s); planned twin in S s; set up in S s, written in S s"). The
 * events must be summary.csv's, and the rate the events over the loop's own time. */
static void run_prints_its_timings(void **state)
{
    const char *tmp = *state;
    const char *bin = getenv("DCSIM_BIN");
    char out[PATH_MAX + 16], cmd[3 * PATH_MAX + 64], summary[PATH_MAX + 32];
    assert_true(snprintf(out, sizeof out, "%s/run", tmp) < (int)sizeof out);
    assert_true(snprintf(cmd, sizeof cmd, "'%s' run '%s' -o '%s'",
                         bin && *bin ? bin : "build/dcsim", scenario, out) < (int)sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    unsigned long long events = 0;
    double sim_s = -1, rate = -1, twin_s = -1, setup_s = -1, write_s = -1;
    int timing_lines = 0;
    while (fgets(line, sizeof line, p)) {
        char name[128];
        if (sscanf(line, "dcsim %*s %127[^,], seed %*u, %llu events", name, &events) == 2)
            continue;
        if (sscanf(line, "simulated in %lf s (%lf events/s); planned twin in %lf s; set up in "
                         "%lf s, written in %lf s",
                   &sim_s, &rate, &twin_s, &setup_s, &write_s) == 5)
            timing_lines++;
    }
    assert_int_equal(pclose(p), 0);
    assert_int_equal(timing_lines, 1);
    assert_true(events > 0);
    assert_true(sim_s > 0 && twin_s >= 0 && setup_s >= 0 && write_s >= 0);
    /* The rate is printed to 3 significant digits from the unrounded time. */
    tu_close(rate, (double)events / sim_s, 0.01 * rate + 1e3 / sim_s);
    assert_true(snprintf(summary, sizeof summary, "%s/summary.csv", out) <
                (int)sizeof summary);
    size_t csv_len;
    char *csv = tu_slurp(summary, &csv_len);
    assert_non_null(csv);
    char *row = strstr(csv, "\nevents_handled,");
    assert_non_null(row);
    assert_int_equal(strtoull(row + strlen("\nevents_handled,"), NULL, 10), events);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_overwrite_without_force, setup, teardown),
        cmocka_unit_test_setup_teardown(disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(output_path_is_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(permission_denied, setup, teardown),
        cmocka_unit_test_setup_teardown(run_prints_its_timings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
