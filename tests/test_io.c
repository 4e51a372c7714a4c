/* Tests for the io layer: CSV writing and reading (quoting, number format, positions in
 * errors, limits, a full disk) and output directories that appear atomically. Everything
 * happens in a fresh directory under /tmp that the group teardown removes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dcsim/csv.h"
#include "dcsim/outdir.h"

static char base[PATH_MAX];

static const char *at(char *buf, const char *name)
{
    int n = snprintf(buf, PATH_MAX, "%s/%s", base, name);
    assert_true(n > 0 && n < PATH_MAX);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Whole file as a string (caller frees). */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Entries of base whose name starts with prefix and holds ".tmp-" or ".old-". */
static int leftovers(const char *prefix)
{
    DIR *dir = opendir(base);
    assert_non_null(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL)
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
            (strstr(de->d_name, ".tmp-") || strstr(de->d_name, ".old-")))
            n++;
    closedir(dir);
    return n;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(base, sizeof base, "/tmp/dcsim-test-io-XXXXXX");
    return mkdtemp(base) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- CSV ---- */

static const char *const tricky[] = {
    "plain", "a,b", "say \"hi\"", "line1\nline2", "crlf\r\nend", "", " lead", "trail ",
    "\"", "\"\"", ",", "tab\tin",
};
#define N_TRICKY (sizeof tricky / sizeof tricky[0])

static void test_csv_roundtrip(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_csvw *w = dcsim_csvw_open(at(path, "round.csv"), &d);
    assert_non_null(w);
    for (size_t i = 0; i < N_TRICKY; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%zu", i);
        dcsim_csvw_str(w, name);
    }
    dcsim_csvw_endrow(w);
    for (int r = 0; r < 3; r++) {
        for (size_t i = 0; i < N_TRICKY; i++)
            dcsim_csvw_str(w, tricky[(i + (size_t)r) % N_TRICKY]);
        dcsim_csvw_endrow(w);
    }
    assert_int_equal(dcsim_csvw_close(w, &d), DCSIM_OK);

    dcsim_csv_table *t = dcsim_csv_read(path, 1 << 20, &d);
    if (!t)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    assert_int_equal(t->n_rows, 4);
    assert_int_equal(t->n_cols, N_TRICKY);
    for (int r = 0; r < 3; r++)
        for (size_t i = 0; i < N_TRICKY; i++)
            assert_string_equal(t->rows[r + 1][i], tricky[(i + (size_t)r) % N_TRICKY]);
    assert_int_equal(dcsim_csv_column(t, "c0"), 0);
    assert_int_equal(dcsim_csv_column(t, "c3"), 3);
    assert_int_equal(dcsim_csv_column(t, "nope"), -1);
    dcsim_csv_free(t);
}

/* Plain fields stay bare so gnuplot and spreadsheets see numbers. */
static void test_csv_bytes(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_csvw *w = dcsim_csvw_open(at(path, "bytes.csv"), &d);
    assert_non_null(w);
    dcsim_csvw_str(w, "x");
    dcsim_csvw_str(w, "a,b");
    dcsim_csvw_str(w, "q\"q");
    dcsim_csvw_empty(w);
    dcsim_csvw_i64(w, -42);
    dcsim_csvw_i64(w, INT64_MIN);
    dcsim_csvw_endrow(w);
    dcsim_csvw_str(w, "");          /* one empty field must not become a blank line */
    dcsim_csvw_endrow(w);
    assert_int_equal(dcsim_csvw_close(w, &d), DCSIM_OK);
    char *text = read_text(path);
    assert_string_equal(text, "x,\"a,b\",\"q\"\"q\",,-42,-9223372036854775808\n\"\"\n");
    free(text);
}

/* Key-value rows (meta.csv): the value formatted, quoted when needed, and a value longer
 * than the writer's 128-byte first attempt kept whole. dcsim_csvw_open_in joins dir/name. */
static void test_csv_kv(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_csvw *w = dcsim_csvw_open_in(base, "kv.csv", &d);
    assert_non_null(w);
    char long_value[301];
    memset(long_value, 'v', 300);
    long_value[300] = '\0';
    dcsim_csvw_kv(w, "key", "value");
    dcsim_csvw_kv(w, "seed", "%llu", 18446744073709551615ULL);
    dcsim_csvw_kv(w, "cmd", "%s --vary a=%d,%d", "dcsim sweep", 1, 2);
    dcsim_csvw_kv(w, "long", "%s!", long_value);
    assert_int_equal(dcsim_csvw_close(w, &d), DCSIM_OK);
    char want[512];
    snprintf(want, sizeof want,
             "key,value\nseed,18446744073709551615\ncmd,\"dcsim sweep --vary a=1,2\"\n"
             "long,%s!\n", long_value);
    char *text = read_text(at(path, "kv.csv"));
    assert_string_equal(text, want);
    free(text);
}

static void test_csv_f64(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_csvw *w = dcsim_csvw_open(at(path, "f64.csv"), &d);
    assert_non_null(w);
    dcsim_csvw_f64(w, 1.5, 3);
    dcsim_csvw_f64(w, NAN, 3);
    dcsim_csvw_f64(w, -0.0001, 3);
    dcsim_csvw_f64(w, -0.0, 2);
    dcsim_csvw_f64(w, -0.4, 0);
    dcsim_csvw_f64(w, -1.25, 2);
    dcsim_csvw_f64(w, 1234567.891, 1);
    dcsim_csvw_f64(w, 0.0005, 3);   /* 0.0005 is just above in binary: rounds up */
    dcsim_csvw_endrow(w);
    assert_int_equal(dcsim_csvw_close(w, &d), DCSIM_OK);
    char *text = read_text(path);
    assert_string_equal(text, "1.500,,0.000,0.00,0,-1.25,1234567.9,0.001\n");
    free(text);
}

/* Read text from a scratch file, expecting failure at line:col with msg inside. */
static void expect_refused(const char *name, const char *text, dcsim_status st, int line,
                           int col, const char *msg)
{
    char path[PATH_MAX];
    write_text(at(path, name), text);
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_csv_table *t = dcsim_csv_read(path, 1 << 20, &d);
    if (t) {
        dcsim_csv_free(t);
        fail_msg("%s was accepted", name);
    }
    assert_int_equal(d.status, st);
    assert_string_equal(d.file, path);
    if (d.line != line || d.col != col || !strstr(d.msg, msg))
        fail_msg("%s: got %d:%d \"%s\", want %d:%d \"%s\"", name, d.line, d.col, d.msg, line,
                 col, msg);
}

static void test_csv_ragged(void **state)
{
    (void)state;
    expect_refused("ragged1.csv", "a,b\n1,2\n3,4\n5,6\n6,7\n7,8\n1,2,3\n", DCSIM_EINPUT, 7, 3,
                   "row 7 has 3 fields, expected 2");
    /* A blank line and a two-line field: the line counts file lines, the row records. */
    expect_refused("ragged2.csv", "a,b\r\n\r\n\"x\r\ny\",2\r\n1\r\n", DCSIM_EINPUT, 5, 2,
                   "row 3 has 1 field, expected 2");
    expect_refused("ragged3.csv", "a,b,c\n1,2,3\n\n\n1,2,3,4,5\n", DCSIM_EINPUT, 5, 4,
                   "row 3 has 5 fields, expected 3");
    /* The last row, without a final newline. */
    expect_refused("ragged4.csv", "a,b\n1,2\n1", DCSIM_EINPUT, 3, 2,
                   "row 3 has 1 field, expected 2");
}

static void test_csv_bad_quote(void **state)
{
    (void)state;
    expect_refused("quote1.csv", "a,b\n1,x\"y\n", DCSIM_EINPUT, 2, 2, "malformed quoting");
    expect_refused("quote2.csv", "a,b\n\"one\"two,2\n", DCSIM_EINPUT, 2, 1, "malformed quoting");
    expect_refused("quote3.csv", "a,b\n1,\"multi\nline\"x\n", DCSIM_EINPUT, 3, 2,
                   "malformed quoting");
    expect_refused("quote4.csv", "a,b\n1,2\n3,\"never closed\n\n", DCSIM_EINPUT, 3, 2,
                   "not closed");
}

static void test_csv_lenient_bits(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    /* A byte order mark, blank lines, CRLF, no final newline. */
    write_text(at(path, "ok.csv"), "\xEF\xBB\xBF\n\na,b\r\n 1 ,\"2\"\n\n3,\"\"\n4,5");
    dcsim_csv_table *t = dcsim_csv_read(path, 1 << 20, &d);
    if (!t)
        fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    assert_int_equal(t->n_rows, 4);
    assert_int_equal(t->n_cols, 2);
    assert_string_equal(t->rows[1][0], " 1 ");      /* blanks kept as written */
    assert_string_equal(t->rows[1][1], "2");
    assert_string_equal(t->rows[2][1], "");
    assert_string_equal(t->rows[3][1], "5");
    assert_int_equal(dcsim_csv_column(t, "a"), 0);
    dcsim_csv_free(t);
}

static void test_csv_missing(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_null(dcsim_csv_read(at(path, "no-such.csv"), 1 << 20, &d));
    assert_int_equal(d.status, DCSIM_EIO);
    assert_string_equal(d.file, path);
    assert_string_equal(d.msg, "cannot open: No such file or directory");
}

static void test_csv_size_limit(void **state)
{
    (void)state;
    char path[PATH_MAX];
    char text[101];
    memset(text, 'x', 99);
    text[99] = '\n';
    text[100] = '\0';
    write_text(at(path, "big.csv"), text);
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_null(dcsim_csv_read(path, 50, &d));
    assert_string_equal(d.file, path);
    assert_string_equal(d.msg, "is 100 bytes, above the limit of 50");
    dcsim_csv_table *t = dcsim_csv_read(path, 100, &d);
    assert_non_null(t);
    assert_int_equal(t->n_rows, 1);
    dcsim_csv_free(t);
}

static void test_csv_empty_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    write_text(at(path, "empty.csv"), "");
    dcsim_diag d;
    dcsim_csv_table *t = dcsim_csv_read(path, 1 << 20, &d);
    assert_non_null(t);
    assert_int_equal(t->n_rows, 0);
    assert_int_equal(dcsim_csv_column(t, "a"), -1);
    dcsim_csv_free(t);
}

static void test_csv_full_disk(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_csvw *w = dcsim_csvw_open("/dev/full", &d);
    assert_non_null(w);
    for (int i = 0; i < 10; i++) {
        dcsim_csvw_i64(w, i);
        dcsim_csvw_f64(w, i * 0.5, 3);
        dcsim_csvw_endrow(w);
    }
    assert_int_equal(dcsim_csvw_close(w, &d), DCSIM_EWRITE);
    assert_int_equal(dcsim_status_exit_code(d.status), 1);
    assert_string_equal(d.file, "/dev/full");
    assert_non_null(strstr(d.msg, strerror(ENOSPC)));
}

static void test_csv_open_fails(void **state)
{
    (void)state;
    char path[PATH_MAX];
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_null(dcsim_csvw_open(at(path, "no-dir/x.csv"), &d));
    assert_int_equal(d.status, DCSIM_EWRITE);
    assert_string_equal(d.file, path);
    assert_non_null(strstr(d.msg, "No such file or directory"));
}

/* ---- output directories ---- */

/* Write name with text into the open outdir o. */
static void put(const dcsim_outdir *o, const char *name, const char *text)
{
    char path[PATH_MAX];
    assert_non_null(dcsim_outdir_file(o, name, path, sizeof path));
    write_text(path, text);
}

static void commit_ok(dcsim_outdir *o)
{
    dcsim_diag d;
    dcsim_diag_clear(&d);
    if (dcsim_outdir_commit(o, &d) != DCSIM_OK)
        fail_msg("commit: %s: %s", d.file, d.msg);
}

static void test_outdir_commit_new(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    dcsim_outdir o;
    dcsim_diag d;
    assert_int_equal(dcsim_outdir_begin(&o, at(path, "run1"), false, &d), DCSIM_OK);
    assert_false(exists(path));             /* nothing visible before commit */
    put(&o, "meta.csv", "key,value\n");
    put(&o, "timeseries.csv", "time_s\n0\n");
    commit_ok(&o);
    assert_true(exists(at(file, "run1/meta.csv")));
    char *text = read_text(at(file, "run1/timeseries.csv"));
    assert_string_equal(text, "time_s\n0\n");
    free(text);
    assert_int_equal(leftovers("run1"), 0);
    dcsim_outdir_abort(&o);                 /* after commit: a no-op */
    assert_true(exists(at(file, "run1/meta.csv")));

    /* The directory gets the mode mkdir would give it, not mkdtemp's 0700. */
    mode_t mask = umask(0);
    umask(mask);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0777 & ~mask);
}

static void test_outdir_replace(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    dcsim_outdir o;
    dcsim_diag d;
    assert_int_equal(dcsim_outdir_begin(&o, at(path, "run2"), false, &d), DCSIM_OK);
    put(&o, "meta.csv", "key,value\nrun,1\n");
    put(&o, "old-only.csv", "x\n");
    assert_int_equal(mkdir(at(file, "run2.tmp-sub"), 0777), 0);     /* a neighbour to keep */
    char sub[PATH_MAX];
    assert_non_null(dcsim_outdir_file(&o, "sub", sub, sizeof sub));
    assert_int_equal(mkdir(sub, 0777), 0);
    put(&o, "sub/deep.csv", "y\n");
    commit_ok(&o);

    /* A second run over the first is refused without --force, and nothing moves. */
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_outdir_begin(&o, path, false, &d), DCSIM_EWRITE);
    assert_non_null(strstr(d.msg, "add --force to replace it"));
    assert_int_equal(dcsim_status_exit_code(d.status), 1);
    assert_true(exists(at(file, "run2/old-only.csv")));
    assert_int_equal(leftovers("run2"), 1);     /* only the neighbour run2.tmp-sub */

    /* With it, the second replaces the first (with the trailing slash a shell completion
     * leaves). */
    assert_true(snprintf(file, sizeof file, "%s/", path) < (int)sizeof file);
    assert_int_equal(dcsim_outdir_begin(&o, file, true, &d), DCSIM_OK);
    put(&o, "meta.csv", "key,value\nrun,2\n");
    put(&o, "new-only.csv", "z\n");
    commit_ok(&o);
    assert_false(exists(at(file, "run2/old-only.csv")));
    assert_false(exists(at(file, "run2/sub")));
    assert_true(exists(at(file, "run2/new-only.csv")));
    char *text = read_text(at(file, "run2/meta.csv"));
    assert_string_equal(text, "key,value\nrun,2\n");
    free(text);
    assert_int_equal(rmdir(at(file, "run2.tmp-sub")), 0);
    assert_int_equal(leftovers("run2"), 0);
}

static void test_outdir_abort(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    dcsim_outdir o;
    dcsim_diag d;
    assert_int_equal(dcsim_outdir_begin(&o, at(path, "run3"), false, &d), DCSIM_OK);
    put(&o, "meta.csv", "key,value\n");
    /* A symlink out of the tree must be removed, not followed. */
    write_text(at(file, "precious.txt"), "keep me\n");
    char link[PATH_MAX];
    assert_non_null(dcsim_outdir_file(&o, "link", link, sizeof link));
    assert_int_equal(symlink(base, link), 0);
    dcsim_outdir_abort(&o);
    dcsim_outdir_abort(&o);                 /* twice is fine */
    assert_false(exists(path));
    assert_int_equal(leftovers("run3"), 0);
    assert_true(exists(at(file, "precious.txt")));
}

static void test_outdir_refuse_foreign(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    assert_int_equal(mkdir(at(path, "mine"), 0777), 0);
    write_text(at(file, "mine/thesis.tex"), "years of work\n");
    dcsim_outdir o;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_outdir_begin(&o, path, true, &d), DCSIM_EWRITE);
    assert_string_equal(d.file, path);
    assert_non_null(strstr(d.msg, "pick another -o or remove it"));
    char *text = read_text(file);
    assert_string_equal(text, "years of work\n");
    free(text);
    assert_int_equal(leftovers("mine"), 0);
    dcsim_outdir_abort(&o);                 /* after a refused begin: a no-op */
    assert_true(exists(file));
}

static void test_outdir_refuse_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    write_text(at(path, "afile"), "data\n");
    dcsim_outdir o;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_outdir_begin(&o, path, true, &d), DCSIM_EWRITE);
    assert_non_null(strstr(d.msg, "not a directory"));
    assert_int_equal(dcsim_status_exit_code(d.status), 1);
    char *text = read_text(path);
    assert_string_equal(text, "data\n");
    free(text);
    assert_int_equal(leftovers("afile"), 0);

    /* A file where a parent should be. */
    char below[PATH_MAX];
    assert_true(snprintf(below, sizeof below, "%s/sub/run", path) < (int)sizeof below);
    assert_int_equal(dcsim_outdir_begin(&o, below, false, &d), DCSIM_EWRITE);
}

static void test_outdir_nested_parents(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    dcsim_outdir o;
    dcsim_diag d;
    assert_int_equal(dcsim_outdir_begin(&o, at(path, "a/b//c/run"), false, &d), DCSIM_OK);
    assert_true(exists(at(file, "a/b/c")));
    put(&o, "meta.csv", "key,value\n");
    commit_ok(&o);
    assert_true(exists(at(file, "a/b/c/run/meta.csv")));
}

static void test_outdir_empty_dir(void **state)
{
    (void)state;
    char path[PATH_MAX], file[PATH_MAX];
    assert_int_equal(mkdir(at(path, "fresh"), 0777), 0);
    dcsim_outdir o;
    dcsim_diag d;
    assert_int_equal(dcsim_outdir_begin(&o, path, false, &d), DCSIM_OK);   /* empty: no --force */
    put(&o, "meta.csv", "key,value\n");
    commit_ok(&o);
    assert_true(exists(at(file, "fresh/meta.csv")));
    assert_int_equal(leftovers("fresh"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_roundtrip),
        cmocka_unit_test(test_csv_bytes),
        cmocka_unit_test(test_csv_f64),
        cmocka_unit_test(test_csv_kv),
        cmocka_unit_test(test_csv_ragged),
        cmocka_unit_test(test_csv_bad_quote),
        cmocka_unit_test(test_csv_lenient_bits),
        cmocka_unit_test(test_csv_missing),
        cmocka_unit_test(test_csv_size_limit),
        cmocka_unit_test(test_csv_empty_file),
        cmocka_unit_test(test_csv_full_disk),
        cmocka_unit_test(test_csv_open_fails),
        cmocka_unit_test(test_outdir_commit_new),
        cmocka_unit_test(test_outdir_replace),
        cmocka_unit_test(test_outdir_abort),
        cmocka_unit_test(test_outdir_refuse_foreign),
        cmocka_unit_test(test_outdir_refuse_file),
        cmocka_unit_test(test_outdir_nested_parents),
        cmocka_unit_test(test_outdir_empty_dir),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
