/* The --set overrides (PATH=VALUE) that edit a parsed scenario tree before validation, and
 * the did-you-mean helper behind their messages and the loader's. New nodes and text go into
 * the document's arena (ytree.c), so dcsim_ydoc_free frees them with the rest. */
#include "dcsim/ytree.h"
#include "scenario/ytree_priv.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- did you mean ---- */

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

const char *dcsim_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    if (!word || !candidates)
        return NULL;
    size_t wl = strlen(word);
    size_t limit = wl / 3 > 2 ? wl / 3 : 2;
    /* Two rows over the word, rolled down the candidate: O(len) memory. */
    size_t *prev = wl < SIZE_MAX / 2 / sizeof *prev - 1 ? malloc(2 * (wl + 1) * sizeof *prev)
                                                        : NULL;
    if (!prev)
        return NULL;
    size_t *cur = prev + wl + 1;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t c = 0; c < n; c++) {
        const char *cand = candidates[c];
        if (!cand)
            continue;
        size_t cl = strlen(cand);
        if ((cl > wl ? cl - wl : wl - cl) > limit)
            continue;       /* the distance is at least the difference in length */
        for (size_t i = 0; i <= wl; i++)
            prev[i] = i;
        for (size_t j = 1; j <= cl; j++) {
            cur[0] = j;
            unsigned char cj = ascii_lower((unsigned char)cand[j - 1]);
            for (size_t i = 1; i <= wl; i++) {
                size_t sub = prev[i - 1] + (ascii_lower((unsigned char)word[i - 1]) != cj);
                size_t del = prev[i] + 1, ins = cur[i - 1] + 1;
                size_t m = sub < del ? sub : del;
                cur[i] = m < ins ? m : ins;
            }
            size_t *t = prev;
            prev = cur;
            cur = t;
        }
        if (prev[wl] <= limit && prev[wl] < best_d) {   /* strict: ties keep the first */
            best_d = prev[wl];
            best = cand;
        }
    }
    free(prev < cur ? prev : cur);
    return best;
}

/* ---- --set overrides ---- */

static const char set_file[] = "--set";

/* 1-based column of byte offset off in the argument, counted in characters as libyaml
 * counts them, so a UTF-8 key does not shift the caret. */
static int arg_col(const char *arg, size_t off)
{
    size_t c = 0;
    for (size_t i = 0; i < off; i++)
        c += ((unsigned char)arg[i] & 0xC0) != 0x80;
    return ytree_pos1(c);
}

static int prec(size_t n)
{
    return n < (size_t)INT_MAX ? (int)n : INT_MAX;
}

/* Fill tail with " (did you mean 'x'?)" when one of the map's keys (or, for a list, one of
 * its items' names) is close to word, else with "". */
static void suggest(const char *word, const dcsim_ynode *n, int names, char *tail, size_t len)
{
    tail[0] = '\0';
    const char **cand = n->len ? malloc(n->len * sizeof *cand) : NULL;
    if (!cand)
        return;             /* no hint is better than no message */
    size_t k = 0;
    for (size_t i = 0; i < n->len; i++) {
        const dcsim_ynode *s = names ? dcsim_ynode_get(n->items[i], "name") : n->pairs[i].key;
        if (s && s->kind == DCSIM_Y_SCALAR)
            cand[k++] = s->scalar;
    }
    const char *hint = dcsim_did_you_mean(word, cand, k);
    if (hint)
        snprintf(tail, len, " (did you mean '%s'?)", hint);
    free(cand);
}

/* The item of seq that step names: a decimal index, or the map whose `name` is step. */
static dcsim_status seq_step(const dcsim_ynode *seq, const char *step, const char *arg,
                             size_t off, dcsim_ynode **out, dcsim_diag *d)
{
    int col = arg_col(arg, off);
    if (strspn(step, "0123456789") == strlen(step)) {
        size_t idx = 0;
        for (const char *p = step; *p; p++)
            idx = idx > (SIZE_MAX - 9) / 10 ? SIZE_MAX : idx * 10 + (size_t)(*p - '0');
        if (idx >= seq->len)
            return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                  "index %s is out of range (the list has %zu item%s)", step,
                                  seq->len, seq->len == 1 ? "" : "s");
        *out = seq->items[idx];
        return DCSIM_OK;
    }
    for (size_t i = 0; i < seq->len; i++) {
        const dcsim_ynode *name = dcsim_ynode_get(seq->items[i], "name");
        if (name && name->kind == DCSIM_Y_SCALAR && strcmp(name->scalar, step) == 0) {
            *out = seq->items[i];
            return DCSIM_OK;
        }
    }
    char tail[256];
    suggest(step, seq, 1, tail, sizeof tail);
    if (off == 0)
        return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                              "no item named '%s' in the top-level list%s", step, tail);
    return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col, "no item named '%s' in '%.*s'%s",
                          step, prec(off - 1), arg, tail);
}

static dcsim_ynode *set_scalar(dcsim_ydoc *doc, const char *text, int col)
{
    dcsim_ynode *n = ytree_arena_alloc(doc->arena, sizeof *n);
    if (n) {
        memset(n, 0, sizeof *n);
        n->kind = DCSIM_Y_SCALAR;
        n->line = 1;
        n->col = col;
        n->file = set_file;
        n->scalar = ytree_arena_strndup(doc->arena, text, strlen(text));
    }
    return n && n->scalar ? n : NULL;
}

/* Grow map by one pair. The old pairs array stays in the arena unused: overrides are few. */
static dcsim_status add_pair(dcsim_ydoc *doc, dcsim_ynode *map, const char *key, int key_col,
                             const char *value, int value_col, dcsim_diag *d)
{
    dcsim_ypair *pairs = ytree_arena_alloc(doc->arena, (map->len + 1) * sizeof *pairs);
    dcsim_ynode *k = set_scalar(doc, key, key_col), *v = set_scalar(doc, value, value_col);
    if (!pairs || !k || !v)
        return dcsim_diag_set(d, DCSIM_ENOMEM, set_file, 0, 0, "out of memory");
    if (map->len)
        memcpy(pairs, map->pairs, map->len * sizeof *pairs);
    pairs[map->len] = (dcsim_ypair){ k, v };
    map->pairs = pairs;
    map->len++;
    return DCSIM_OK;
}

dcsim_status dcsim_ydoc_set(dcsim_ydoc *doc, const char *assignment, dcsim_diag *d)
{
    DCSIM_ASSERT(doc && assignment);
    const char *arg = assignment, *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, 1,
                              "expected PATH=VALUE (like power.sources.grid.capacity=800MW), got '%s'", arg);
    if (!doc->root)
        return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, 1, "the scenario is empty");
    size_t path_len = (size_t)(eq - arg);
    const char *value = eq + 1;
    int value_col = arg_col(arg, path_len + 1);
    /* Split a copy in place; it lives in the arena because a new key's text points into it. */
    char *path = ytree_arena_strndup(doc->arena, arg, path_len);
    if (!path)
        return dcsim_diag_set(d, DCSIM_ENOMEM, set_file, 0, 0, "out of memory");

    dcsim_ynode *node = doc->root;
    size_t off = 0;
    int col = 1;
    for (;;) {
        size_t step_len = strcspn(path + off, ".");
        int last = path[off + step_len] == '\0';
        path[off + step_len] = '\0';
        const char *step = path + off;
        col = arg_col(arg, off);
        if (step_len == 0)
            return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                  "empty step in the path '%.*s'", prec(path_len), arg);
        dcsim_ynode *next = NULL;
        if (node->kind == DCSIM_Y_SEQ) {
            dcsim_status st = seq_step(node, step, arg, off, &next, d);
            if (st != DCSIM_OK)
                return st;
        } else if (node->kind == DCSIM_Y_MAP) {
            next = dcsim_ynode_get(node, step);
            if (!next && last)
                return add_pair(doc, node, step, col, value, value_col, d);
            if (!next) {
                char tail[256];
                suggest(step, node, 0, tail, sizeof tail);
                if (off == 0)
                    return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                          "no key '%s' at the top level%s", step, tail);
                return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                      "no key '%s' under '%.*s'%s", step, prec(off - 1), arg,
                                      tail);
            }
        } else if (off == 0) {
            return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                  "the scenario is a single value, so it has no '%s'", step);
        } else {
            return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                                  "'%.*s' is a single value, so it has no '%s'",
                                  prec(off - 1), arg, step);
        }
        node = next;
        if (last)
            break;
        off += step_len + 1;
    }
    /* A distribution ({dist: pert, ...}) may be fixed to one value: the what-if planners
     * ask most ("what if the substation takes exactly 18 months?"). */
    if (node->kind == DCSIM_Y_MAP && dcsim_ynode_get(node, "dist")) {
        node->kind = DCSIM_Y_SCALAR;
        node->len = 0;
        node->pairs = NULL;
    }
    if (node->kind != DCSIM_Y_SCALAR)
        return dcsim_diag_set(d, DCSIM_EINPUT, set_file, 1, col,
                              "'%.*s' is a %s; nothing to set there", prec(path_len), arg,
                              node->kind == DCSIM_Y_MAP ? "map" : "list");
    char *text = ytree_arena_strndup(doc->arena, value, strlen(value));
    if (!text)
        return dcsim_diag_set(d, DCSIM_ENOMEM, set_file, 0, 0, "out of memory");
    node->scalar = text;
    node->file = set_file;
    node->line = 1;
    node->col = value_col;
    node->quoted = 0;
    return DCSIM_OK;
}
