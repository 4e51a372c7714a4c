/* Tests for the YAML tree (sim/scenario/ytree.c): shapes and positions of a parsed document,
 * every refusal with the position it names, --set overrides and their messages, and the
 * did-you-mean helper. Positions in the comments are worked out by hand from the text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/ytree.h"

enum { DEPTH = 16 };

static const char scenario[] =
    "# a small scenario\n"              /* 1 */
    "site: abilene\n"                   /* 2 */
    "power:\n"                          /* 3 */
    "  pue: 1.3\n"                      /* 4 */
    "  sources:\n"                      /* 5 */
    "    - name: grid\n"                /* 6 */
    "      capacity: 1.2GW\n"           /* 7 */
    "    - name: \"gas\"\n"             /* 8 */
    "      capacity: '300MW'\n"         /* 9 */
    "      note: |\n"                   /* 10 */
    "        peaker\n"                  /* 11 */
    "tags: [a, b]\n";                   /* 12 */

static dcsim_status load(dcsim_ydoc *doc, const char *text, int depth, dcsim_diag *d)
{
    dcsim_diag_clear(d);
    return dcsim_ydoc_load_string(doc, "t.yaml", text, strlen(text), depth, d);
}

/* Load text expecting an input error at line:col whose message contains want. */
static void expect_error(const char *text, int depth, int line, int col, const char *want)
{
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, text, depth, &d), DCSIM_EINPUT);
    assert_int_equal(d.status, DCSIM_EINPUT);
    assert_null(doc.root);
    assert_string_equal(d.file, "t.yaml");
    if (!strstr(d.msg, want))
        fail_msg("message '%s' lacks '%s'", d.msg, want);
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
    dcsim_ydoc_free(&doc);      /* harmless on a doc a failed load left empty */
}

static void expect_pos(const dcsim_ynode *n, int line, int col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

static void test_tree_shape_and_positions(void **state)
{
    (void)state;
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, scenario, DEPTH, &d), DCSIM_OK);
    assert_string_equal(doc.file, "t.yaml");
    const dcsim_ynode *root = doc.root;
    assert_non_null(root);
    assert_int_equal(root->kind, DCSIM_Y_MAP);
    assert_int_equal(root->len, 3);
    expect_pos(root, 2, 1);                     /* the comment line holds no node */
    assert_string_equal(root->pairs[0].key->scalar, "site");
    assert_string_equal(root->pairs[2].key->scalar, "tags");

    const dcsim_ynode *site = dcsim_ynode_get(root, "site");
    assert_int_equal(site->kind, DCSIM_Y_SCALAR);
    assert_string_equal(site->scalar, "abilene");
    assert_int_equal(site->quoted, 0);
    assert_ptr_equal(site->file, doc.file);
    expect_pos(site, 2, 7);

    const dcsim_ynode *power = dcsim_ynode_get(root, "power");
    assert_int_equal(power->kind, DCSIM_Y_MAP);
    expect_pos(power, 4, 3);                    /* a block map starts at its first key */
    const dcsim_ynode *src = dcsim_ynode_get(power, "sources");
    assert_int_equal(src->kind, DCSIM_Y_SEQ);
    assert_int_equal(src->len, 2);
    expect_pos(src, 6, 5);                      /* the first '-' */

    const dcsim_ynode *grid = src->items[0];
    assert_int_equal(grid->kind, DCSIM_Y_MAP);
    expect_pos(grid, 6, 7);
    /* "      capacity: 1.2GW": key at column 7, "capacity:" ends at 15, value at 17. */
    expect_pos(grid->pairs[1].key, 7, 7);
    const dcsim_ynode *cap = dcsim_ynode_get(grid, "capacity");
    assert_string_equal(cap->scalar, "1.2GW");
    expect_pos(cap, 7, 17);

    const dcsim_ynode *gas = src->items[1];
    const dcsim_ynode *name = dcsim_ynode_get(gas, "name");
    assert_string_equal(name->scalar, "gas");   /* quotes are not part of the text */
    assert_int_equal(name->quoted, 1);
    expect_pos(name, 8, 13);                    /* the opening quote */
    assert_int_equal(dcsim_ynode_get(gas, "capacity")->quoted, 1);
    const dcsim_ynode *note = dcsim_ynode_get(gas, "note");
    assert_string_equal(note->scalar, "peaker\n");
    assert_int_equal(note->quoted, 1);          /* block scalars are text too */

    const dcsim_ynode *tags = dcsim_ynode_get(root, "tags");
    assert_int_equal(tags->kind, DCSIM_Y_SEQ);
    assert_int_equal(tags->len, 2);
    expect_pos(tags, 12, 7);                    /* the '[' */
    assert_string_equal(tags->items[1]->scalar, "b");
    expect_pos(tags->items[1], 12, 11);

    assert_null(dcsim_ynode_get(root, "nope"));
    assert_null(dcsim_ynode_get(site, "x"));    /* not a map */
    assert_null(dcsim_ynode_get(NULL, "x"));
    dcsim_ydoc_free(&doc);
    assert_null(doc.root);
    dcsim_ydoc_free(&doc);                      /* twice is harmless */
}

static void test_tags(void **state)
{
    (void)state;
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, "a: !!str 12\nb: !!int 3\n", DEPTH, &d), DCSIM_OK);
    assert_int_equal(dcsim_ynode_get(doc.root, "a")->quoted, 1);
    assert_int_equal(dcsim_ynode_get(doc.root, "b")->quoted, 0);
    dcsim_ydoc_free(&doc);
    expect_error("a: !thing x\n", DEPTH, 1, 4, "YAML tag '!thing' is not supported");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    /* The second ':' is the fifth character of line 1. */
    expect_error("a: b: c\n", DEPTH, 1, 5,
                 "YAML syntax error: mapping values are not allowed in this context");
    /* Unterminated flow list: libyaml closes the stream with a forced line break, so the
     * end-of-stream token where ',' or ']' was expected sits at line 2, column 1; the
     * context is the '[' at line 1, column 6 ("key: " is five characters). */
    expect_error("key: [1, 2", DEPTH, 2, 1,
                 "did not find expected ',' or ']' (while parsing a flow sequence at line 1, "
                 "column 6)");
    /* A tab where the indentation of line 2 begins: column 1, with our hint. */
    expect_error("a:\n\tb: 1\n", DEPTH, 2, 1, "YAML indents with spaces, not tabs");
    /* Unterminated quote: context is the quote at column 4, problem at the end. */
    expect_error("a: 'x\n", DEPTH, 2, 1, "while scanning a quoted scalar at line 1, column 4");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    /* 0xFF is the fourth character of line 2 ("b: " before it). */
    expect_error("a: 1\nb: \xff\n", DEPTH, 2, 4, "byte 0xFF here is not part of a UTF-8");
    /* A Latin-1 e-acute (0xE9) followed by 'x': libyaml notices at the 'x' (a bad trailing
     * octet), but the stray byte is 0xE9, the sixth character of line 1 ("name " before). */
    expect_error("name \xe9x: 1\n", DEPTH, 1, 6, "byte 0xE9 here is not part of a UTF-8");
    /* A NUL byte starts line 2: strlen cannot be used for the length here. */
    dcsim_ydoc doc;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_ydoc_load_string(&doc, "t.yaml", "a: 1\n\0b: 2\n", 11, DEPTH, &d),
                     DCSIM_EINPUT);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 1);
    assert_non_null(strstr(d.msg, "control characters are not allowed"));
    assert_null(doc.root);
    /* A NUL written as an escape inside quotes. */
    expect_error("a: \"x\\0y\"\n", DEPTH, 1, 4, "NUL character");
}

static void test_duplicates(void **state)
{
    (void)state;
    expect_error("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", DEPTH, 5, 3,
                 "duplicate key 'x' (first at line 3, column 3)");
    expect_error("{a: 1, a: 2}", DEPTH, 1, 8, "duplicate key 'a' (first at line 1, column 2)");
    /* Two duplicates: the one whose second copy comes first in the text is named, though
     * 'a' sorts before 'b'. */
    expect_error("b: 1\na: 2\nc: 3\nb: 4\na: 5\n", DEPTH, 4, 1,
                 "duplicate key 'b' (first at line 1, column 1)");
    /* The same key in two different maps is fine. */
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, "p: {x: 1}\nq: {x: 2}\n", DEPTH, &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_error("a: *base\n", DEPTH, 1, 4, "YAML aliases (*base) are not supported");
    expect_error("a: &x 1\nb: *x\n", DEPTH, 1, 4, "YAML anchors (&x) and aliases are not");
    expect_error("base: {a: 1}\nx:\n  <<: {a: 2}\n", DEPTH, 3, 3, "merge keys (<<)");
    expect_error("? [a]\n: 1\n", DEPTH, 1, 3, "a key must be a single value, not a list");
    expect_error("{{a: 1}: 2}", DEPTH, 1, 2, "a key must be a single value, not a map");
    /* "---" on line 2 opens the second document. */
    expect_error("a: 1\n---\nb: 2\n", DEPTH, 2, 1, "a second YAML document");
    /* A quoted "<<" is an ordinary key. */
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, "'<<': 1\n", DEPTH, &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
}

static void test_depth(void **state)
{
    (void)state;
    static const char three[] = "a:\n  b:\n    c: 1\n";
    /* Root map is level 1, b's value level 2, the map at "c" (line 3, column 5) level 3. */
    expect_error(three, 2, 3, 5, "nesting deeper than 2 levels");
    expect_error("[[[[]]]]", 3, 1, 4, "nesting deeper than 3 levels");
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, three, 3, &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
    /* Scalars do not count as a level. */
    assert_int_equal(load(&doc, "a: 1\n", 1, &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
}

static void test_empty(void **state)
{
    (void)state;
    static const char *const empties[] = { "", "# only a comment\n", "---\n", "\n\n", "---\n...\n" };
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        dcsim_ydoc doc;
        dcsim_diag d;
        assert_int_equal(load(&doc, empties[i], DEPTH, &d), DCSIM_OK);
        assert_null(doc.root);
        dcsim_ydoc_free(&doc);
    }
    /* A quoted empty string is a value, not an empty document. */
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, "''\n", DEPTH, &d), DCSIM_OK);
    assert_non_null(doc.root);
    dcsim_ydoc_free(&doc);
}

/* Apply one --set expecting an input error at column col with a message containing want. */
static void expect_set_error(dcsim_ydoc *doc, const char *arg, int col, const char *want)
{
    dcsim_diag d;
    dcsim_diag_clear(&d);
    dcsim_status st = dcsim_ydoc_set(doc, arg, &d);
    if (st != DCSIM_EINPUT)
        fail_msg("--set %s: status %d, expected an input error", arg, (int)st);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 1);
    if (!strstr(d.msg, want))
        fail_msg("--set %s: message '%s' lacks '%s'", arg, d.msg, want);
    assert_int_equal(d.col, col);
}

static const dcsim_ynode *source(const dcsim_ydoc *doc, size_t i)
{
    return dcsim_ynode_get(dcsim_ynode_get(doc->root, "power"), "sources")->items[i];
}

static void test_set(void **state)
{
    (void)state;
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, scenario, DEPTH, &d), DCSIM_OK);
    const dcsim_ynode *power = dcsim_ynode_get(doc.root, "power");

    /* "power.pue=" is 10 characters, so VALUE starts at column 11. */
    assert_int_equal(dcsim_ydoc_set(&doc, "power.pue=1.4", &d), DCSIM_OK);
    const dcsim_ynode *pue = dcsim_ynode_get(power, "pue");
    assert_string_equal(pue->scalar, "1.4");
    assert_string_equal(pue->file, "--set");
    expect_pos(pue, 1, 11);

    assert_int_equal(dcsim_ydoc_set(&doc, "power.sources.0.capacity=2GW", &d), DCSIM_OK);
    const dcsim_ynode *cap0 = dcsim_ynode_get(source(&doc, 0), "capacity");
    assert_string_equal(cap0->scalar, "2GW");
    expect_pos(cap0, 1, 26);

    /* By name; the quoted '300MW' becomes a plain override. */
    assert_int_equal(dcsim_ydoc_set(&doc, "power.sources.gas.capacity=400MW", &d), DCSIM_OK);
    const dcsim_ynode *cap1 = dcsim_ynode_get(source(&doc, 1), "capacity");
    assert_string_equal(cap1->scalar, "400MW");
    assert_int_equal(cap1->quoted, 0);
    expect_pos(cap1, 1, 28);

    /* A new key goes at the end of its map: key at column 7, value at 15. */
    assert_int_equal(dcsim_ydoc_set(&doc, "power.reserve=0.1", &d), DCSIM_OK);
    assert_int_equal(power->len, 3);
    assert_string_equal(power->pairs[2].key->scalar, "reserve");
    assert_string_equal(power->pairs[2].key->file, "--set");
    expect_pos(power->pairs[2].key, 1, 7);
    const dcsim_ynode *res = dcsim_ynode_get(power, "reserve");
    assert_string_equal(res->scalar, "0.1");
    expect_pos(res, 1, 15);
    assert_string_equal(dcsim_ynode_get(power, "pue")->scalar, "1.4");  /* old pairs kept */

    /* A misspelt last key is added like any new key: the loader's key check then refuses
     * it, with the position "--set:1:20" (after "power.sources.grid."). */
    assert_int_equal(dcsim_ydoc_set(&doc, "power.sources.grid.capcity=1", &d), DCSIM_OK);
    expect_pos(source(&doc, 0)->pairs[2].key, 1, 20);
    assert_string_equal(source(&doc, 0)->pairs[2].key->scalar, "capcity");

    /* Split at the first '='; an empty VALUE is an empty scalar. */
    assert_int_equal(dcsim_ydoc_set(&doc, "site=a=b", &d), DCSIM_OK);
    assert_string_equal(dcsim_ynode_get(doc.root, "site")->scalar, "a=b");
    assert_int_equal(dcsim_ydoc_set(&doc, "tags.1=", &d), DCSIM_OK);
    assert_string_equal(dcsim_ynode_get(doc.root, "tags")->items[1]->scalar, "");

    /* A missing step before the last: "power." is 6 characters, 'sourcs' is at column 7. */
    expect_set_error(&doc, "power.sourcs.grid.capacity=1", 7,
                     "no key 'sourcs' under 'power' (did you mean 'sources'?)");
    /* "power.sources.gas." is 18 characters, so 'capcity' starts at column 19. */
    expect_set_error(&doc, "power.sources.gas.capcity.x=1", 19,
                     "no key 'capcity' under 'power.sources.gas' (did you mean 'capacity'?)");
    expect_set_error(&doc, "power.sources.5.capacity=1", 15,
                     "index 5 is out of range (the list has 2 items)");
    expect_set_error(&doc, "power.sources.gsa.capacity=1", 15,
                     "no item named 'gsa' in 'power.sources' (did you mean 'gas'?)");
    expect_set_error(&doc, "powr.pue=1", 1,
                     "no key 'powr' at the top level (did you mean 'power'?)");
    expect_set_error(&doc, "power.wibble.x=1", 7, "no key 'wibble' under 'power'");
    expect_set_error(&doc, "power.sources=1", 7,
                     "'power.sources' is a list; nothing to set there");
    expect_set_error(&doc, "power=1", 1, "'power' is a map; nothing to set there");
    expect_set_error(&doc, "site.x=1", 6, "'site' is a single value, so it has no 'x'");
    expect_set_error(&doc, "power..pue=1", 7, "empty step");
    expect_set_error(&doc, "power.pue", 1, "expected PATH=VALUE");
    expect_set_error(&doc, "=1", 1, "expected PATH=VALUE");
    /* The failed overrides changed nothing. */
    assert_string_equal(dcsim_ynode_get(power, "pue")->scalar, "1.4");
    assert_int_equal(power->len, 3);
    dcsim_ydoc_free(&doc);

    /* Columns count characters: "été." is four, so 'y' is at column 7. */
    assert_int_equal(load(&doc, "\xc3\xa9t\xc3\xa9: {x: 1}\n", DEPTH, &d), DCSIM_OK);
    expect_set_error(&doc, "\xc3\xa9t\xc3\xa9.x.y=2", 7, "is a single value");
    dcsim_ydoc_free(&doc);

    assert_int_equal(load(&doc, "", DEPTH, &d), DCSIM_OK);
    expect_set_error(&doc, "a=1", 1, "the scenario is empty");
    dcsim_ydoc_free(&doc);
}

/* A distribution map may be fixed to one value by --set; other maps may not be replaced. */
static void test_set_fixes_distribution(void **state)
{
    (void)state;
    static const char text[] = "b:\n  duration: {dist: pert, min: 1d, mode: 2d, max: 3d}\n";
    dcsim_ydoc doc;
    dcsim_diag d;
    assert_int_equal(load(&doc, text, 16, &d), DCSIM_OK);
    assert_int_equal(dcsim_ydoc_set(&doc, "b.duration=30mo", &d), DCSIM_OK);
    const dcsim_ynode *dur = dcsim_ynode_get(dcsim_ynode_get(doc.root, "b"), "duration");
    assert_int_equal(dur->kind, DCSIM_Y_SCALAR);
    assert_string_equal(dur->scalar, "30mo");
    /* "b.duration=" is 11 characters: the value starts at column 12. */
    expect_pos(dur, 1, 12);
    assert_int_not_equal(dcsim_ydoc_set(&doc, "b=1", &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
}

static void test_did_you_mean(void **state)
{
    (void)state;
    static const char *const keys[] = { "name", "capacity", "tranches" };
    assert_string_equal(dcsim_did_you_mean("capcity", keys, 3), "capacity");
    assert_string_equal(dcsim_did_you_mean("CAPACITY", keys, 3), "capacity");
    assert_string_equal(dcsim_did_you_mean("nmae", keys, 3), "name");
    assert_null(dcsim_did_you_mean("xyz", keys, 3));
    assert_null(dcsim_did_you_mean("capacity", keys, 0));
    /* Ties go to the first candidate. */
    static const char *const tie[] = { "ac", "ad" };
    assert_string_equal(dcsim_did_you_mean("ab", tie, 2), "ac");
    /* Long words allow distance strlen/3: "utilisation_target" (18) allows 6. */
    static const char *const longer[] = { "utilization_target" };
    assert_non_null(dcsim_did_you_mean("utilisation_targt", longer, 1));
}

typedef struct tmpdir {
    char path[64];
} tmpdir;

static int make_tmpdir(void **state)
{
    tmpdir *t = malloc(sizeof *t);
    if (!t)
        return -1;
    snprintf(t->path, sizeof t->path, "/tmp/test_ytree.XXXXXX");
    if (!mkdtemp(t->path)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int remove_tmpdir(void **state)
{
    tmpdir *t = *state;
    int rc = rmdir(t->path);    /* fails (and the test run with it) if a file was left */
    free(t);
    return rc;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_load_file(void **state)
{
    const tmpdir *t = *state;
    char path[128];
    dcsim_ydoc doc;
    dcsim_diag d;

    snprintf(path, sizeof path, "%s/ok.yaml", t->path);
    write_file(path, scenario, strlen(scenario));
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_ydoc_load_file(&doc, path, 1 << 20, DEPTH, &d), DCSIM_OK);
    assert_string_equal(doc.file, path);
    assert_ptr_equal(dcsim_ynode_get(doc.root, "site")->file, doc.file);
    expect_pos(dcsim_ynode_get(dcsim_ynode_get(doc.root, "power"), "pue"), 4, 8);
    dcsim_ydoc_free(&doc);

    /* Exactly at the limit is fine; one byte less than the file is not. */
    size_t n = strlen(scenario);
    assert_int_equal(dcsim_ydoc_load_file(&doc, path, n, DEPTH, &d), DCSIM_OK);
    dcsim_ydoc_free(&doc);
    assert_int_equal(dcsim_ydoc_load_file(&doc, path, n - 1, DEPTH, &d), DCSIM_EINPUT);
    char want[96];
    snprintf(want, sizeof want, "file is %zu bytes, above the limit of %zu", n, n - 1);
    assert_string_equal(d.msg, want);
    assert_string_equal(d.file, path);
    assert_null(doc.root);
    assert_int_equal(unlink(path), 0);

    /* Syntax errors from a file name the file. */
    snprintf(path, sizeof path, "%s/bad.yaml", t->path);
    write_file(path, "a: b: c\n", 8);
    assert_int_equal(dcsim_ydoc_load_file(&doc, path, 1 << 20, DEPTH, &d), DCSIM_EINPUT);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 5);
    assert_int_equal(unlink(path), 0);

    snprintf(path, sizeof path, "%s/missing.yaml", t->path);
    assert_int_equal(dcsim_ydoc_load_file(&doc, path, 1 << 20, DEPTH, &d), DCSIM_EIO);
    assert_string_equal(d.msg, "cannot open: No such file or directory");
    assert_string_equal(d.file, path);
    assert_null(doc.root);

    /* A directory opens but cannot be read. */
    assert_int_equal(dcsim_ydoc_load_file(&doc, t->path, 1 << 20, DEPTH, &d), DCSIM_EIO);
    assert_non_null(strstr(d.msg, "cannot read"));
}

/* Many keys: the duplicate check must stay fast and still name the right pair. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 50000 };
    size_t cap = (size_t)N * 16 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len, "k%d: %d\n", i, i);
    dcsim_ydoc doc;
    dcsim_diag d;
    dcsim_diag_clear(&d);
    assert_int_equal(dcsim_ydoc_load_string(&doc, "t.yaml", text, len, DEPTH, &d), DCSIM_OK);
    assert_int_equal(doc.root->len, N);
    assert_string_equal(dcsim_ynode_get(doc.root, "k49999")->scalar, "49999");
    dcsim_ydoc_free(&doc);
    len += (size_t)snprintf(text + len, cap - len, "k7: again\n");
    assert_int_equal(dcsim_ydoc_load_string(&doc, "t.yaml", text, len, DEPTH, &d),
                     DCSIM_EINPUT);
    assert_int_equal(d.line, N + 1);
    assert_string_equal(d.msg, "duplicate key 'k7' (first at line 8, column 1)");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_shape_and_positions),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_fixes_distribution),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test_setup_teardown(test_load_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
