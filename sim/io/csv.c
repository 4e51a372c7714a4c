/* CSV in and out through libcsv. Writing quotes a field only when a reader would misread it
 * and keeps a sticky error, so the many small writes of a run need no checks and a full disk
 * is reported once, at close. Reading turns a whole file into a table with positions in its
 * errors, for traces and schedules given by users. */
#include "dcsim/csv.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- writing ---- */

struct dcsim_csvw {
    FILE *f;
    int err;                /* first errno met, 0 while all is well */
    size_t n_fields;        /* fields in the current row */
    int last_empty;         /* the last field of the row was written as nothing */
    char path[];
};

static void wfail(dcsim_csvw *w, int e)
{
    if (!w->err)
        w->err = e ? e : EIO;   /* some stdio failures leave errno 0 */
}

dcsim_csvw *dcsim_csvw_open(const char *path, dcsim_diag *d)
{
    size_t len = strlen(path);
    dcsim_csvw *w = malloc(sizeof *w + len + 1);
    if (!w) {
        dcsim_diag_set(d, DCSIM_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    memcpy(w->path, path, len + 1);
    w->f = fopen(path, "we");          /* e: O_CLOEXEC, so children never inherit it */
    if (!w->f) {
        dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0, "cannot create: %s", strerror(errno));
        free(w);
        return NULL;
    }
    w->err = 0;
    w->n_fields = 0;
    w->last_empty = 0;
    return w;
}

dcsim_csvw *dcsim_csvw_open_in(const char *dir, const char *name, dcsim_diag *d)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        dcsim_diag_set(d, DCSIM_EWRITE, dir, 0, 0, "output path too long");
        return NULL;
    }
    return dcsim_csvw_open(path, d);
}

/* Separator before every field but the first of a row. */
static void sep(dcsim_csvw *w)
{
    if (w->n_fields > 0 && fputc(',', w->f) == EOF)
        wfail(w, errno);
    w->n_fields++;
}

/* Fields are quoted only when needed, so that numbers stay bare for gnuplot and
 * spreadsheets. Leading or trailing blanks count as needing quotes: many readers (libcsv
 * among them, by default) trim them otherwise. */
static int needs_quotes(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
        return 1;
    return strpbrk(s, ",\"\r\n") != NULL;
}

void dcsim_csvw_str(dcsim_csvw *w, const char *s)
{
    if (w->err)
        return;
    sep(w);
    size_t len = strlen(s);
    w->last_empty = len == 0;
    int rc = needs_quotes(s, len) ? csv_fwrite(w->f, s, len)
                                  : (fwrite(s, 1, len, w->f) == len ? 0 : EOF);
    if (rc == EOF)
        wfail(w, errno);
}

void dcsim_csvw_i64(dcsim_csvw *w, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    dcsim_csvw_str(w, buf);
}

void dcsim_csvw_f64(dcsim_csvw *w, double v, int decimals)
{
    DCSIM_ASSERT(decimals >= 0 && decimals <= 17);
    if (isnan(v)) {
        dcsim_csvw_empty(w);
        return;
    }
    /* %f of DBL_MAX is 309 digits before the point. */
    char buf[400];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    /* A value that rounds to zero from below prints as "-0.000"; a reader sees a sign that
     * means nothing and a diff between runs sees a change that is not there. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    dcsim_csvw_str(w, buf);
}

void dcsim_csvw_empty(dcsim_csvw *w)
{
    dcsim_csvw_str(w, "");
}

void dcsim_csvw_row(dcsim_csvw *w, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dcsim_csvw_str(w, fields[i]);
    dcsim_csvw_endrow(w);
}

void dcsim_csvw_endrow(dcsim_csvw *w)
{
    DCSIM_ASSERT(w->n_fields > 0);      /* a row without fields has no CSV spelling */
    if (w->err)
        return;
    /* A row of one empty field would be a blank line, which readers skip: spell it "". */
    if (w->n_fields == 1 && w->last_empty && fputs("\"\"", w->f) == EOF)
        wfail(w, errno);
    if (fputc('\n', w->f) == EOF)
        wfail(w, errno);
    w->n_fields = 0;
    w->last_empty = 0;
}

void dcsim_csvw_kv(dcsim_csvw *w, const char *key, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    char *value = small;
    if (n < 0) {
        wfail(w, errno);
        small[0] = '\0';
    } else if ((size_t)n >= sizeof small) {
        /* a long value (a command line): format again into room of its size */
        value = malloc((size_t)n + 1);
        if (!value) {
            wfail(w, ENOMEM);
            value = small;
        } else {
            va_start(ap, fmt);
            vsnprintf(value, (size_t)n + 1, fmt, ap);
            va_end(ap);
        }
    }
    dcsim_csvw_str(w, key);
    dcsim_csvw_str(w, value);
    dcsim_csvw_endrow(w);
    if (value != small)
        free(value);
}

/* fsync on a pipe, a terminal or /dev/null fails with EINVAL: there is nothing to make
 * durable, which is not an error of the write. */
static int fsync_matters(int e)
{
    return e != EINVAL && e != EROFS && e != ENOTSUP;
}

dcsim_status dcsim_csvw_close(dcsim_csvw *w, dcsim_diag *d)
{
    if (!w)
        return DCSIM_OK;
    if (fflush(w->f) == EOF)
        wfail(w, errno);
    if (!w->err && fsync(fileno(w->f)) != 0 && fsync_matters(errno))
        wfail(w, errno);
    if (fclose(w->f) == EOF)
        wfail(w, errno);
    dcsim_status st = DCSIM_OK;
    if (w->err)
        st = dcsim_diag_set(d, DCSIM_EWRITE, w->path, 0, 0, "cannot write: %s", strerror(w->err));
    free(w);
    return st;
}

/* ---- reading ---- */

/* Longest field a file may hold. Numbers, names and even command lines are far shorter; a
 * file without separators (/dev/zero, a binary) would otherwise grow one field through the
 * whole byte limit, and libcsv grows a field by copying it. */
enum { CSV_MAX_FIELD = 1024 * 1024 };

/* Parser state shared with the libcsv callbacks. libcsv reports fields and row ends but not
 * positions, so the reader feeds it one line at a time and keeps the line count itself. */
typedef struct reader {
    const char *path;
    dcsim_diag *d;
    dcsim_status st;        /* first error met inside a callback */
    dcsim_csv_table *t;
    size_t cap_rows;
    char **row;             /* fields of the row being read */
    size_t row_len, row_cap;
    size_t line;            /* file line of the bytes being fed (1-based) */
    size_t row_line;        /* file line where the current row began */
    int at_row_start;       /* no byte of a new row has been fed yet */
    int fired;              /* a callback ran during the last csv_parse */
    size_t since_field;     /* bytes fed since a run that ended a field: bounds the open one */
} reader;

static int to_int(size_t v)
{
    return v > INT_MAX ? INT_MAX : (int)v;
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i]);
    free(f);
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    r->fired = 1;
    if (r->st != DCSIM_OK)
        return;
    /* The table hands out C strings; a NUL inside a field would cut it short silently. */
    if (len > 0 && memchr(s, '\0', len)) {
        r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, to_int(r->line),
                               to_int(r->row_len + 1),
                               "field contains a NUL byte; is this a binary file?");
        return;
    }
    if (r->row_len == r->row_cap) {
        size_t cap = r->row_cap ? 2 * r->row_cap : 16;
        char **row = realloc(r->row, cap * sizeof *row);
        if (!row)
            goto oom;
        r->row = row;
        r->row_cap = cap;
    }
    char *f = malloc(len + 1);
    if (!f)
        goto oom;
    if (len > 0)
        memcpy(f, s, len);
    f[len] = '\0';
    r->row[r->row_len++] = f;
    return;
oom:
    r->st = dcsim_diag_set(r->d, DCSIM_ENOMEM, r->path, 0, 0, "out of memory");
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    r->at_row_start = 1;
    r->fired = 1;
    if (r->st != DCSIM_OK)
        return;
    dcsim_csv_table *t = r->t;
    if (t->n_rows == 0) {
        t->n_cols = r->row_len;
    } else if (r->row_len != t->n_cols) {
        /* "row" counts records as a spreadsheet numbers them (header = row 1); the position
         * gives the file line, which differs after blank lines or multi-line fields. The
         * column is the first field that is extra, or the first that is missing. */
        size_t col = (r->row_len < t->n_cols ? r->row_len : t->n_cols) + 1;
        r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, to_int(r->row_line), to_int(col),
                               "row %zu has %zu field%s, expected %zu", t->n_rows + 1,
                               r->row_len, r->row_len == 1 ? "" : "s", t->n_cols);
        return;
    }
    if (t->n_rows == r->cap_rows) {
        size_t cap = r->cap_rows ? 2 * r->cap_rows : 64;
        char ***rows = realloc(t->rows, cap * sizeof *rows);
        if (rows)
            t->rows = rows;
        size_t *lines = rows ? realloc(t->lines, cap * sizeof *lines) : NULL;
        if (!rows || !lines) {
            r->st = dcsim_diag_set(r->d, DCSIM_ENOMEM, r->path, 0, 0, "out of memory");
            return;
        }
        t->lines = lines;
        r->cap_rows = cap;
    }
    /* Each row keeps exactly its fields; the scratch row is reused for the next one. */
    char **row = malloc((r->row_len ? r->row_len : 1) * sizeof *row);
    if (!row) {
        r->st = dcsim_diag_set(r->d, DCSIM_ENOMEM, r->path, 0, 0, "out of memory");
        return;
    }
    memcpy(row, r->row, r->row_len * sizeof *row);
    t->lines[t->n_rows] = r->row_line;
    t->rows[t->n_rows++] = row;
    r->row_len = 0;
}

/* libcsv trims blanks around unquoted fields by default; a trace field " 3" should reach the
 * caller as written, and strict mode then also refuses blanks after a closing quote. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int is_term(unsigned char c)
{
    return c == '\n' || c == '\r';
}

static void quote_error(reader *r, size_t line)
{
    r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, to_int(line), to_int(r->row_len + 1),
                           "malformed quoting: a field holding a quote must be enclosed in "
                           "quotes with the inner quote doubled, and only a comma or the end "
                           "of the line may follow the closing quote");
}

/* Feed buf to the parser in runs that end just after a line terminator, so that every
 * callback fired by a run belongs to the line r->line. A row begins at the first run after a
 * row end that holds a byte other than a terminator (libcsv skips blank lines). */
static void feed(reader *r, struct csv_parser *p, const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && r->st == DCSIM_OK) {
        size_t j = i;
        while (j < len && !is_term((unsigned char)buf[j]))
            j++;
        size_t end = j < len ? j + 1 : j;       /* include the terminator */
        if (r->at_row_start && j > i) {
            r->row_line = r->line;
            r->at_row_start = 0;
        }
        r->fired = 0;
        size_t n = csv_parse(p, buf + i, end - i, on_field, on_row, r);
        if (r->st != DCSIM_OK)
            return;
        r->since_field = r->fired ? 0 : r->since_field + (end - i);
        if (r->since_field > CSV_MAX_FIELD) {
            r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, to_int(r->line),
                                   to_int(r->row_len + 1),
                                   "a field longer than %d bytes; is this a CSV file?",
                                   CSV_MAX_FIELD);
            return;
        }
        if (n != end - i) {
            if (csv_error(p) == CSV_EPARSE)
                quote_error(r, r->line);
            else
                r->st = dcsim_diag_set(r->d, DCSIM_ENOMEM, r->path, 0, 0, "out of memory: %s",
                                       csv_strerror(csv_error(p)));
            return;
        }
        if (j < len && buf[j] == '\n')
            r->line++;
        i = end;
    }
}

static dcsim_status parse_file(reader *r, FILE *f, size_t max_bytes)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return dcsim_diag_set(r->d, DCSIM_ENOMEM, r->path, 0, 0, "out of memory");
    csv_set_space_func(&p, no_space);
    csv_set_term_func(&p, is_term);
    csv_set_blk_size(&p, 64 * 1024);   /* a long field grows in few copies, not thousands */

    char buf[64 * 1024];
    size_t total = 0;
    size_t n;
    while (r->st == DCSIM_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        size_t skip = 0;
        /* Spreadsheets save "CSV UTF-8" with a byte order mark, which would otherwise
         * become part of the first header name. */
        if (total == 0 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            skip = 3;
        total += n;
        /* The size was checked before reading; this catches pipes and growing files. */
        if (total > max_bytes) {
            r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, 0, 0,
                                   "is more than %zu bytes, the limit", max_bytes);
            break;
        }
        feed(r, &p, buf + skip, n - skip);
    }
    if (r->st == DCSIM_OK && ferror(f))
        r->st = dcsim_diag_set(r->d, DCSIM_EIO, r->path, 0, 0, "cannot read: %s",
                               strerror(errno));
    if (r->st == DCSIM_OK && csv_fini(&p, on_field, on_row, r) != 0 && r->st == DCSIM_OK) {
        /* The only failure left at the end is a quote opened and never closed. */
        r->st = dcsim_diag_set(r->d, DCSIM_EINPUT, r->path, to_int(r->row_line),
                               to_int(r->row_len + 1),
                               "a quoted field is not closed before the end of the file");
    }
    csv_free(&p);
    return r->st;
}

dcsim_csv_table *dcsim_csv_read(const char *path, size_t max_bytes, dcsim_diag *d)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0) {
        dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot stat: %s", strerror(errno));
        fclose(f);
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        dcsim_diag_set(d, DCSIM_EIO, path, 0, 0, "cannot read: %s", strerror(EISDIR));
        fclose(f);
        return NULL;
    }
    /* Checked up front so that a huge file is refused before any of it is parsed. */
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > (uintmax_t)max_bytes) {
        dcsim_diag_set(d, DCSIM_EINPUT, path, 0, 0, "is %jd bytes, above the limit of %zu",
                       (intmax_t)sb.st_size, max_bytes);
        fclose(f);
        return NULL;
    }

    dcsim_csv_table *t = calloc(1, sizeof *t);
    if (!t) {
        dcsim_diag_set(d, DCSIM_ENOMEM, path, 0, 0, "out of memory");
        fclose(f);
        return NULL;
    }
    reader r = {.path = path, .d = d, .st = DCSIM_OK, .t = t, .line = 1, .row_line = 1,
                .at_row_start = 1};
    dcsim_status st = parse_file(&r, f, max_bytes);
    fclose(f);
    free_fields(r.row, r.row_len);      /* a row cut short by an error */
    if (st != DCSIM_OK) {
        dcsim_csv_free(t);
        return NULL;
    }
    return t;
}

void dcsim_csv_free(dcsim_csv_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free_fields(t->rows[i], t->n_cols);
    free(t->rows);
    free(t->lines);
    free(t);
}

long dcsim_csv_column(const dcsim_csv_table *t, const char *name)
{
    if (!t || t->n_rows == 0)
        return -1;
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(t->rows[0][c], name) == 0)
            return (long)c;
    return -1;
}
