/* YAML text to a dcsim_ynode tree with positions (libyaml's event API). Every node lives in
 * one arena per document, so the loader keeps plain pointers and frees all at once; the --set
 * overrides (yset.c) edit the tree and allocate from the same arena.
 *
 * What is refused, each with a position: anchors and aliases (the loader would have to
 * follow them and errors could not name one place), merge keys, keys that are maps or lists,
 * duplicate keys, nesting beyond max_depth, a second document, and tags other than the
 * standard !!str/!!int/... ones. Standard tags are ignored except !!str, which marks the
 * scalar as quoted (text, never a number or null), as YAML means it. */
#include "dcsim/ytree.h"
#include "scenario/ytree_priv.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

/* ---- arena: a chunked bump allocator, freed all at once ---- */

enum { ARENA_CHUNK = 16 * 1024 };

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[];     /* max_align_t so every bump offset is aligned for any node */
};

struct ydoc_arena {
    struct arena_chunk *head;   /* the chunk being filled; full ones follow */
};

void *ytree_arena_alloc(struct ydoc_arena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    if (size > SIZE_MAX / 2)
        return NULL;
    size = size == 0 ? align : (size + align - 1) / align * align;
    struct arena_chunk *c = a->head;
    if (c && c->cap - c->used >= size) {
        void *p = (unsigned char *)c->data + c->used;
        c->used += size;
        return p;
    }
    /* A big request (a long scalar, a long list) gets a chunk of its own, linked behind the
     * head so that the room left in the head chunk is still used by the small ones. */
    int own = size > ARENA_CHUNK / 4;
    size_t cap = own ? size : ARENA_CHUNK;
    struct arena_chunk *n = malloc(sizeof *n + cap);
    if (!n)
        return NULL;
    n->used = size;
    n->cap = cap;
    if (own && c) {
        n->next = c->next;
        c->next = n;
    } else {
        n->next = c;
        a->head = n;
    }
    return n->data;
}

char *ytree_arena_strndup(struct ydoc_arena *a, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? ytree_arena_alloc(a, n + 1) : NULL;
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void dcsim_ydoc_free(dcsim_ydoc *doc)
{
    if (!doc)
        return;
    if (doc->arena) {
        struct arena_chunk *c = doc->arena->head;
        while (c) {
            struct arena_chunk *next = c->next;
            free(c);
            c = next;
        }
        free(doc->arena);
    }
    doc->root = NULL;
    doc->file = NULL;
    doc->arena = NULL;
}

/* ---- parsing ---- */

typedef struct builder {
    yaml_parser_t parser;
    const unsigned char *text;  /* the whole input, to place reader errors */
    size_t len;
    dcsim_ydoc *doc;
    dcsim_diag *d;
    int max_depth;
    /* Children of the open collections, innermost last. Sizes are unknown until the end
     * event, so items gather here and are copied into the arena once, at the right size. */
    dcsim_ynode **stack;
    size_t top, cap;
} builder;

/* libyaml marks are 0-based size_t; ours are 1-based int. */
int ytree_pos1(size_t zero_based)
{
    return zero_based < (size_t)INT_MAX ? (int)zero_based + 1 : INT_MAX;
}

static dcsim_status no_memory(builder *b)
{
    return dcsim_diag_set(b->d, DCSIM_ENOMEM, b->doc->file, 0, 0,
                          "out of memory while reading the YAML document");
}

/* Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark; count
 * lines and characters up to it the way libyaml's marks do. */
static void offset_to_pos(const builder *b, size_t off, int *line, int *col)
{
    size_t l = 0, c = 0;
    if (off > b->len)
        off = b->len;
    for (size_t i = 0; i < off; i++) {
        if (b->text[i] == '\n') {
            l++;
            c = 0;
        } else if ((b->text[i] & 0xC0) != 0x80) {
            c++;            /* UTF-8 continuation bytes do not start a character */
        }
    }
    *line = ytree_pos1(l);
    *col = ytree_pos1(c);
}

/* The byte at a mark, or -1. Marks count characters, not bytes, so walk the text. */
static int byte_at(const builder *b, const yaml_mark_t *m)
{
    size_t i = 0, line = 0, c = 0;
    while (line < m->line && i < b->len)
        line += b->text[i++] == '\n';
    for (; i < b->len && b->text[i] != '\n'; i++) {
        if ((b->text[i] & 0xC0) == 0x80)
            continue;
        if (c++ == m->column)
            return b->text[i];
    }
    return -1;
}

/* Offset of the first byte that is not part of a well-formed UTF-8 sequence, or len.
 * libyaml reports the byte where it noticed the problem (often the one after a stray
 * Latin-1 byte); people need the stray byte itself. */
static size_t first_bad_utf8(const unsigned char *t, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = t[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || (n == 2 && c < 0xC2) || i + n > len)
            return i;
        for (size_t k = 1; k < n; k++)
            if ((t[i + k] & 0xC0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

static dcsim_status parser_error(builder *b)
{
    const yaml_parser_t *p = &b->parser;
    const char *problem = p->problem ? p->problem : "unknown problem";
    int line = 0, col = 0;
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return no_memory(b);
    case YAML_READER_ERROR:
        /* Offsets are bytes of the raw input: meaningful as positions only for UTF-8. */
        if (p->encoding == YAML_UTF8_ENCODING || p->encoding == YAML_ANY_ENCODING) {
            size_t bad = first_bad_utf8(b->text, b->len);
            if (strstr(problem, "UTF-8") && bad < b->len) {
                offset_to_pos(b, bad, &line, &col);
                return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, line, col,
                                      "not UTF-8 text: byte 0x%02X here is not part of a UTF-8 "
                                      "character; save the file as UTF-8", b->text[bad]);
            }
            offset_to_pos(b, p->problem_offset, &line, &col);
        } else {
            line = col = 1;     /* UTF-16: byte offsets are no use as positions */
        }
        if (p->problem_value >= 0)
            return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, line, col,
                                  "not readable as YAML text: %s (0x%02X)%s", problem,
                                  (unsigned)p->problem_value,
                                  p->problem_value == 0 ? "; is this a binary file?" : "");
        return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, line, col,
                              "not readable as YAML text: %s", problem);
    default:
        line = ytree_pos1(p->problem_mark.line);
        col = ytree_pos1(p->problem_mark.column);
        /* Tabs are the commonest YAML mistake and libyaml's words do not say so. */
        const char *tab = byte_at(b, &p->problem_mark) == '\t'
                              ? "; YAML indents with spaces, not tabs" : "";
        if (p->context)
            return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, line, col,
                                  "YAML syntax error: %s (%s at line %d, column %d)%s", problem,
                                  p->context, ytree_pos1(p->context_mark.line),
                                  ytree_pos1(p->context_mark.column), tab);
        return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, line, col,
                              "YAML syntax error: %s%s", problem, tab);
    }
}

static dcsim_status next_event(builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return parser_error(b);
    return DCSIM_OK;
}

static dcsim_status push(builder *b, dcsim_ynode *n)
{
    if (b->top == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        dcsim_ynode **s = cap < SIZE_MAX / sizeof *s ? realloc(b->stack, cap * sizeof *s) : NULL;
        if (!s)
            return no_memory(b);
        b->stack = s;
        b->cap = cap;
    }
    b->stack[b->top++] = n;
    return DCSIM_OK;
}

static dcsim_status fail_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An input error at a libyaml mark. */
static dcsim_status fail_at(builder *b, const yaml_mark_t *m, const char *fmt, ...)
{
    char msg[sizeof b->d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, ytree_pos1(m->line),
                          ytree_pos1(m->column), "%s", msg);
}

static const char std_tag_prefix[] = "tag:yaml.org,2002:";

/* Create the node an event opens, or refuse what it carries. Does not free ev. */
static dcsim_status node_from_event(builder *b, const yaml_event_t *ev, int parent_depth,
                                    dcsim_ynode **out)
{
    const yaml_mark_t *m = &ev->start_mark;
    const yaml_char_t *anchor, *tag;
    dcsim_ynode_kind kind;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return fail_at(b, m, "YAML aliases (*%s) are not supported; write the value out",
                       (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        kind = DCSIM_Y_SCALAR;
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        kind = DCSIM_Y_SEQ;
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        kind = DCSIM_Y_MAP;
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    default:
        /* libyaml's grammar only puts the four events above where a node belongs. */
        DCSIM_ASSERT(0 && "libyaml gave a non-node event in node position");
        return DCSIM_ERUNTIME;
    }
    /* An anchor is only useful to an alias, so refuse it where it is written, with the
     * same advice, rather than later at the alias. */
    if (anchor)
        return fail_at(b, m, "YAML anchors (&%s) and aliases are not supported; write the "
                             "value out", (const char *)anchor);
    int as_text = 0;
    if (tag) {
        const char *t = (const char *)tag;
        if (strncmp(t, std_tag_prefix, sizeof std_tag_prefix - 1) != 0)
            return fail_at(b, m, "YAML tag '%s' is not supported; write a plain value "
                                 "(quote it to make it text)", t);
        as_text = strcmp(t + sizeof std_tag_prefix - 1, "str") == 0;
    }
    if (kind != DCSIM_Y_SCALAR && parent_depth >= b->max_depth)
        return fail_at(b, m, "nesting deeper than %d levels", b->max_depth);

    dcsim_ynode *n = ytree_arena_alloc(b->doc->arena, sizeof *n);
    if (!n)
        return no_memory(b);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = ytree_pos1(m->line);
    n->col = ytree_pos1(m->column);
    n->file = b->doc->file;
    if (kind == DCSIM_Y_SCALAR) {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        /* "\0" in a double-quoted scalar: our scalars are C strings, so it would cut the
         * value short without a word. */
        if (memchr(v, '\0', len))
            return fail_at(b, m, "a value contains a NUL character (\\0), which dcsim "
                                 "cannot use");
        n->scalar = ytree_arena_strndup(b->doc->arena, v, len);
        if (!n->scalar)
            return no_memory(b);
        n->quoted = as_text || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    }
    *out = n;
    return DCSIM_OK;
}

static dcsim_status parse_node(builder *b, yaml_event_t *ev, int parent_depth,
                               dcsim_ynode **out);

static dcsim_status parse_seq_body(builder *b, dcsim_ynode *seq, int depth)
{
    size_t base = b->top;
    for (;;) {
        yaml_event_t ev;
        dcsim_status st = next_event(b, &ev);
        if (st != DCSIM_OK)
            return st;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        dcsim_ynode *item;
        if ((st = parse_node(b, &ev, depth, &item)) != DCSIM_OK || (st = push(b, item)))
            return st;
    }
    seq->len = b->top - base;
    if (seq->len > 0) {
        seq->items = ytree_arena_alloc(b->doc->arena, seq->len * sizeof *seq->items);
        if (!seq->items)
            return no_memory(b);
        memcpy(seq->items, b->stack + base, seq->len * sizeof *seq->items);
    }
    b->top = base;
    return DCSIM_OK;
}

typedef struct keyref {
    const char *text;
    size_t i;
} keyref;

static int keyref_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    int c = strcmp(a->text, b->text);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* Sort the keys rather than compare each with all before it: O(n log n) keeps a hostile
 * map of 100k keys cheap. The error names the earliest second occurrence, which is what a
 * scan in document order would have found. */
static dcsim_status check_duplicates(builder *b, const dcsim_ynode *map)
{
    size_t n = map->len;
    if (n < 2)
        return DCSIM_OK;
    keyref *k = malloc(n * sizeof *k);
    if (!k)
        return no_memory(b);
    for (size_t i = 0; i < n; i++)
        k[i] = (keyref){ map->pairs[i].key->scalar, i };
    qsort(k, n, sizeof *k, keyref_cmp);
    size_t first = 0, second = SIZE_MAX, run = 0;
    for (size_t j = 1; j < n; j++) {
        if (strcmp(k[j].text, k[run].text) != 0)
            run = j;
        else if (j == run + 1 && k[j].i < second) {
            second = k[j].i;
            first = k[run].i;
        }
    }
    free(k);
    if (second == SIZE_MAX)
        return DCSIM_OK;
    const dcsim_ynode *k1 = map->pairs[first].key, *k2 = map->pairs[second].key;
    return dcsim_diag_set(b->d, DCSIM_EINPUT, b->doc->file, k2->line, k2->col,
                          "duplicate key '%s' (first at line %d, column %d)", k2->scalar,
                          k1->line, k1->col);
}

static dcsim_status parse_map_body(builder *b, dcsim_ynode *map, int depth)
{
    size_t base = b->top;
    for (;;) {
        yaml_event_t ev;
        dcsim_status st = next_event(b, &ev);
        if (st != DCSIM_OK)
            return st;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
            st = fail_at(b, &ev.start_mark, "a key must be a single value, not a %s",
                         ev.type == YAML_MAPPING_START_EVENT ? "map" : "list");
            yaml_event_delete(&ev);
            return st;
        }
        dcsim_ynode *key, *value;
        if ((st = parse_node(b, &ev, depth, &key)) != DCSIM_OK)
            return st;
        /* Only the plain "<<" is a merge key; a quoted one is an ordinary (unknown) key. */
        if (!key->quoted && strcmp(key->scalar, "<<") == 0)
            return dcsim_diag_set(b->d, DCSIM_EINPUT, key->file, key->line, key->col,
                                  "YAML merge keys (<<) are not supported; write the keys out");
        if ((st = push(b, key)) != DCSIM_OK || (st = next_event(b, &ev)) != DCSIM_OK)
            return st;
        if ((st = parse_node(b, &ev, depth, &value)) != DCSIM_OK || (st = push(b, value)))
            return st;
    }
    map->len = (b->top - base) / 2;
    if (map->len > 0) {
        map->pairs = ytree_arena_alloc(b->doc->arena, map->len * sizeof *map->pairs);
        if (!map->pairs)
            return no_memory(b);
        for (size_t i = 0; i < map->len; i++)
            map->pairs[i] = (dcsim_ypair){ b->stack[base + 2 * i], b->stack[base + 2 * i + 1] };
    }
    b->top = base;
    return check_duplicates(b, map);
}

/* Build the node that starts with ev (taking ownership of ev) and everything under it.
 * Recursion depth is bounded by max_depth, which is checked before descending. */
static dcsim_status parse_node(builder *b, yaml_event_t *ev, int parent_depth,
                               dcsim_ynode **out)
{
    dcsim_status st = node_from_event(b, ev, parent_depth, out);
    yaml_event_type_t type = ev->type;
    yaml_event_delete(ev);
    if (st != DCSIM_OK || type == YAML_SCALAR_EVENT)
        return st;
    if (type == YAML_MAPPING_START_EVENT)
        return parse_map_body(b, *out, parent_depth + 1);
    return parse_seq_body(b, *out, parent_depth + 1);
}

static dcsim_status parse_stream(builder *b)
{
    yaml_event_t ev;
    dcsim_status st;
    if ((st = next_event(b, &ev)) != DCSIM_OK)
        return st;
    DCSIM_ASSERT(ev.type == YAML_STREAM_START_EVENT);
    yaml_event_delete(&ev);
    if ((st = next_event(b, &ev)) != DCSIM_OK)
        return st;
    if (ev.type == YAML_STREAM_END_EVENT) {     /* nothing but comments and blanks */
        yaml_event_delete(&ev);
        return DCSIM_OK;
    }
    DCSIM_ASSERT(ev.type == YAML_DOCUMENT_START_EVENT);
    yaml_event_delete(&ev);
    dcsim_ynode *root;
    if ((st = next_event(b, &ev)) != DCSIM_OK || (st = parse_node(b, &ev, 0, &root)))
        return st;
    if ((st = next_event(b, &ev)) != DCSIM_OK)
        return st;
    DCSIM_ASSERT(ev.type == YAML_DOCUMENT_END_EVENT);
    yaml_event_delete(&ev);
    if ((st = next_event(b, &ev)) != DCSIM_OK)
        return st;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        st = fail_at(b, &ev.start_mark, "a second YAML document starts here, but a scenario "
                                        "holds exactly one");
        yaml_event_delete(&ev);
        return st;
    }
    yaml_event_delete(&ev);
    /* "---" alone gives a plain empty scalar: that is an empty document, not a value. */
    if (!(root->kind == DCSIM_Y_SCALAR && !root->quoted && root->scalar[0] == '\0'))
        b->doc->root = root;
    return DCSIM_OK;
}

/* On failure the doc is left empty (root NULL, nothing to free), like a half-built GSL
 * object cleaned up by its _alloc. */
static dcsim_status load(dcsim_ydoc *doc, const char *name, const char *text, size_t len,
                         int max_depth, dcsim_diag *d)
{
    DCSIM_ASSERT(doc && (text || len == 0) && max_depth >= 1);
    memset(doc, 0, sizeof *doc);
    builder b;
    memset(&b, 0, sizeof b);
    b.text = (const unsigned char *)(text ? text : "");
    b.len = len;
    b.doc = doc;
    b.d = d;
    b.max_depth = max_depth;
    doc->arena = calloc(1, sizeof *doc->arena);
    if (doc->arena)
        doc->file = ytree_arena_strndup(doc->arena, name ? name : "", strlen(name ? name : ""));
    if (!doc->file) {
        dcsim_ydoc_free(doc);
        return dcsim_diag_set(d, DCSIM_ENOMEM, name, 0, 0, "out of memory");
    }
    if (!yaml_parser_initialize(&b.parser)) {
        dcsim_ydoc_free(doc);
        return dcsim_diag_set(d, DCSIM_ENOMEM, name, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&b.parser, b.text, len);
    dcsim_status st = parse_stream(&b);
    yaml_parser_delete(&b.parser);
    free(b.stack);
    if (st != DCSIM_OK)
        dcsim_ydoc_free(doc);
    return st;
}

dcsim_status dcsim_ydoc_load_string(dcsim_ydoc *doc, const char *name, const char *text,
                                    size_t len, int max_depth, dcsim_diag *d)
{
    return load(doc, name, text, len, max_depth, d);
}

/* Read the whole file, refusing it as soon as it is known to be above max_bytes. */
static dcsim_status read_all(const char *path, size_t max_bytes, char **out, size_t *out_len,
                             dcsim_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 0 &&
        (uintmax_t)sb.st_size > max_bytes) {
        fclose(f);
        return dcsim_diag_set(d, DCSIM_EINPUT, path, 0, 0,
                              "file is %jd bytes, above the limit of %zu",
                              (intmax_t)sb.st_size, max_bytes);
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    dcsim_status st = DCSIM_OK;
    for (;;) {
        if (!buf) {
            st = dcsim_diag_set(d, DCSIM_ENOMEM, path, 0, 0, "out of memory reading the file");
            break;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > max_bytes) {  /* not a regular file, or it grew while we read */
            st = dcsim_diag_set(d, DCSIM_EINPUT, path, 0, 0,
                                "file is more than %zu bytes, the limit", max_bytes);
            break;
        }
        if (got == 0) {
            if (ferror(f))
                st = dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot read: %s",
                                    strerror(errno));
            break;
        }
        if (len == cap) {
            char *grown = cap < SIZE_MAX / 2 ? realloc(buf, 2 * cap) : NULL;
            if (!grown)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (st != DCSIM_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *out_len = len;
    return DCSIM_OK;
}

dcsim_status dcsim_ydoc_load_file(dcsim_ydoc *doc, const char *path, size_t max_bytes,
                                  int max_depth, dcsim_diag *d)
{
    DCSIM_ASSERT(doc && path);
    memset(doc, 0, sizeof *doc);
    char *text = NULL;
    size_t len = 0;
    dcsim_status st = read_all(path, max_bytes, &text, &len, d);
    if (st != DCSIM_OK)
        return st;
    st = load(doc, path, text, len, max_depth, d);
    free(text);
    return st;
}

dcsim_ynode *dcsim_ynode_get(const dcsim_ynode *map, const char *key)
{
    if (!map || map->kind != DCSIM_Y_MAP || !key)
        return NULL;
    /* Linear: scenario maps hold a handful of keys, and document order is kept. */
    for (size_t i = 0; i < map->len; i++)
        if (strcmp(map->pairs[i].key->scalar, key) == 0)
            return map->pairs[i].value;
    return NULL;
}
