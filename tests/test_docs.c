/* Tests that docs/scenario.md and the loader cannot drift apart: every key path the loader
 * accepts (dcsim_scenario_key_paths) is shown in the reference in backquotes, and the path
 * table agrees with the allowed-key arrays the loader checks maps against (keys.c). The
 * reference is read from $DCSIM_ROOT (default "."). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/dist.h"
#include "dcsim/scenario.h"
#include "scenario/keys.h"
#include "support/testutil.h"

#define DOC "docs/scenario.md"

static int read_doc(void **state)
{
    char path[4096];
    size_t len;
    tu_src_path(DOC, path, sizeof path);
    char *text = tu_slurp(path, &len);
    if (!text) {
        print_error("cannot read %s (set DCSIM_ROOT to the source tree)\n", path);
        return -1;
    }
    *state = text;
    return 0;
}

static int free_doc(void **state)
{
    free(*state);
    return 0;
}

/* Is `word` written in backquotes, exactly, somewhere in the text? */
static int in_backquotes(const char *text, const char *word)
{
    char quoted[512];
    snprintf(quoted, sizeof quoted, "`%s`", word);
    return strstr(text, quoted) != NULL;
}

/* "prefix.key", or "key" at the top level. */
static const char *join(char *buf, size_t n, const char *prefix, const char *key)
{
    snprintf(buf, n, prefix[0] ? "%s.%s" : "%s%s", prefix, key);
    return buf;
}

static int is_path(const char *p)
{
    for (const char *const *q = dcsim_scenario_key_paths(); *q; q++)
        if (strcmp(*q, p) == 0)
            return 1;
    return 0;
}

/* Every path the loader accepts appears in the reference as `path`. All missing paths are
 * named before the test fails, so one run lists the whole gap. */
static void test_every_path_documented(void **state)
{
    const char *doc = *state;
    size_t n = 0, missing = 0;
    for (const char *const *p = dcsim_scenario_key_paths(); *p; p++, n++)
        if (!in_backquotes(doc, *p)) {
            print_error(DOC " does not document key `%s`\n", *p);
            missing++;
        }
    assert_true(n > 0);
    if (missing)
        fail_msg("%zu of %zu key paths are missing from " DOC " (listed above)", missing, n);
}

/* Each key of each registry array is the last segment of some path, and more exactly the
 * path of its own place; each path comes from a registry array, or is a named entry whose
 * section is itself a path (shortage.classes.<name>); no path is listed twice. */
static void test_registry_matches_paths(void **state)
{
    (void)state;
    size_t bad = 0;
    char buf[512];
    for (const scn_key_set *s = scn_key_sets; s->keys; s++)
        for (const char *const *k = s->keys; *k; k++) {
            int last = 0;
            for (const char *const *p = dcsim_scenario_key_paths(); *p && !last; p++) {
                const char *dot = strrchr(*p, '.');
                last = strcmp(dot ? dot + 1 : *p, *k) == 0;
            }
            if (!last) {
                print_error("key '%s' of %s is not the last segment of any path\n", *k,
                            s->name);
                bad++;
            } else if (!is_path(join(buf, sizeof buf, s->prefix, *k))) {
                print_error("key '%s' of %s: path table lacks `%s`\n", *k, s->name, buf);
                bad++;
            }
        }
    for (const char *const *p = dcsim_scenario_key_paths(); *p; p++) {
        int from_set = 0;
        for (const scn_key_set *s = scn_key_sets; s->keys && !from_set; s++)
            for (const char *const *k = s->keys; *k && !from_set; k++)
                from_set = strcmp(join(buf, sizeof buf, s->prefix, *k), *p) == 0;
        /* A named entry is "<section>.<name>"; its section must be a path too. */
        size_t len = strlen(*p), tail = strlen(".<name>");
        int named_leaf = 0;
        if (len > tail && strcmp(*p + len - tail, ".<name>") == 0) {
            snprintf(buf, sizeof buf, "%.*s", (int)(len - tail), *p);
            named_leaf = is_path(buf);
        }
        if (!from_set && !named_leaf) {
            print_error("path `%s` is accepted by no key array of the loader\n", *p);
            bad++;
        }
        for (const char *const *q = p + 1; *q; q++)
            if (strcmp(*p, *q) == 0) {
                print_error("path `%s` is listed twice\n", *p);
                bad++;
            }
    }
    if (bad)
        fail_msg("%zu disagreements between the key arrays and the path table (above)", bad);
}

/* Distribution keys follow any duration key, so they are documented once, under
 * Distributions: every family and parameter of the distribution table, and the lognormal
 * median form that read.c accepts. */
static void test_distributions_documented(void **state)
{
    const char *doc = *state;
    static const char *const median_form[] = {"dist", "median", "p90", "sigma"};
    size_t missing = 0;
    for (const dcsim_dist_type *const *t = dcsim_dist_types(); *t; t++) {
        if (!in_backquotes(doc, (*t)->name)) {
            print_error(DOC " does not document distribution `%s`\n", (*t)->name);
            missing++;
        }
        for (int i = 0; i < (*t)->nparams; i++)
            if (!in_backquotes(doc, (*t)->param[i])) {
                print_error(DOC " does not document parameter `%s` of `%s`\n",
                            (*t)->param[i], (*t)->name);
                missing++;
            }
    }
    for (size_t i = 0; i < sizeof median_form / sizeof *median_form; i++)
        if (!in_backquotes(doc, median_form[i])) {
            print_error(DOC " does not document distribution key `%s`\n", median_form[i]);
            missing++;
        }
    if (missing)
        fail_msg("%zu distribution keys are missing from " DOC " (listed above)", missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_path_documented),
        cmocka_unit_test(test_registry_matches_paths),
        cmocka_unit_test(test_distributions_documented),
    };
    return cmocka_run_group_tests(tests, read_doc, free_doc);
}
