/* A YAML document as a small tree with positions, built with libyaml. The scenario loader
 * walks it (so every error can name line and column), and --set overrides edit it before
 * validation. Aliases and merge keys are refused with a clear message. */
#ifndef DCSIM_YTREE_H
#define DCSIM_YTREE_H

#include <stddef.h>

#include "dcsim/diag.h"

typedef enum dcsim_ynode_kind {
    DCSIM_Y_SCALAR,
    DCSIM_Y_MAP,
    DCSIM_Y_SEQ
} dcsim_ynode_kind;

typedef struct dcsim_ynode dcsim_ynode;

/* A map entry: key (always a scalar node) and value. */
typedef struct dcsim_ypair {
    dcsim_ynode *key;
    dcsim_ynode *value;
} dcsim_ypair;

struct dcsim_ynode {
    dcsim_ynode_kind kind;
    int line, col;          /* 1-based position of the node's first character */
    const char *file;       /* the file it came from, or "--set" for an override */
    int quoted;             /* scalar was written in quotes or as a block; the loader reads
                             * quoted and plain values alike ("100" is 100), but an empty
                             * quoted value is a value, not an empty section */
    char *scalar;           /* DCSIM_Y_SCALAR: the text, NUL-terminated */
    size_t len;             /* map: pairs, seq: items */
    dcsim_ypair *pairs;     /* DCSIM_Y_MAP, in document order */
    dcsim_ynode **items;    /* DCSIM_Y_SEQ */
};

/* A parsed document and the memory that holds it. */
typedef struct dcsim_ydoc {
    dcsim_ynode *root;      /* NULL for an empty document */
    char *file;             /* path as given */
    struct ydoc_arena *arena;
} dcsim_ydoc;

/* Parse the file at path (one document; a second document is an error). Limits: file size
 * max_bytes, nesting depth max_depth. Syntax errors name libyaml's line and column.
 * Returns DCSIM_OK and fills doc (free with dcsim_ydoc_free), or an error in d. */
dcsim_status dcsim_ydoc_load_file(dcsim_ydoc *doc, const char *path, size_t max_bytes,
                                  int max_depth, dcsim_diag *d);

/* Same from memory; `name` is used as the file name in positions. */
dcsim_status dcsim_ydoc_load_string(dcsim_ydoc *doc, const char *name, const char *text,
                                    size_t len, int max_depth, dcsim_diag *d);

void dcsim_ydoc_free(dcsim_ydoc *doc);

/* The value under `key` in a map node, or NULL (also NULL when map is not a map). */
dcsim_ynode *dcsim_ynode_get(const dcsim_ynode *map, const char *key);

/* Apply one override "PATH=VALUE": PATH is dot-separated map keys and sequence indices
 * (power.sources.grid.capacity, power.sources.grid.tranches.0.capacity). A sequence of maps
 * may also be indexed by an item's `name` value. The last step may name a key that is not
 * there yet (it is added to its map; the loader then checks it like any key). The new
 * scalar's position is file "--set", line 1, column = position of VALUE in the argument.
 * Errors (no '=', empty path, a step that does not exist — with a did-you-mean — or a path
 * that ends on a map or sequence) are DCSIM_EINPUT in d with file "--set". */
dcsim_status dcsim_ydoc_set(dcsim_ydoc *doc, const char *assignment, dcsim_diag *d);

/* Levenshtein-closest candidate to word among n candidates, or NULL if none is close
 * (distance > max(2, strlen(word)/3)). */
const char *dcsim_did_you_mean(const char *word, const char *const *candidates, size_t n);

#endif
