/* Helpers shared by the fuzz targets (tests/fuzz/fuzz_*.c): a scratch directory per process
 * for the files the loaders read, writing an input into it, and a NUL-terminated copy of an
 * input. Header-only (static inline), so that tests/test_fuzz.c can include every target into
 * one translation unit; the scratch directory is then shared, each target using its own file
 * names. Setup failures (no temp directory, a full disk) are the machine's, not the input's:
 * they abort with a message rather than pass for a clean run. */
#ifndef DCSIM_FUZZ_UTIL_H
#define DCSIM_FUZZ_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcsim/diag.h"

enum { FZ_PATH = 4096 };

static inline _Noreturn void fz_die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, path);
    abort();
}

static inline int fz_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static char fz_dir_path[FZ_PATH];

static inline void fz_rm_dir(void)
{
    if (fz_dir_path[0])
        nftw(fz_dir_path, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The scratch directory, created on first use under $TMPDIR (or /tmp) and removed at exit.
 * A crash skips the removal; its name says what left it there. */
static inline const char *fz_dir(void)
{
    if (!fz_dir_path[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(fz_dir_path, sizeof fz_dir_path, "%s/dcsim-fuzz-XXXXXX",
                 base && *base ? base : "/tmp");
        if (!mkdtemp(fz_dir_path))
            fz_die("cannot create a scratch directory", fz_dir_path);
        atexit(fz_rm_dir);
    }
    return fz_dir_path;
}

/* dir/name into buf (FZ_PATH bytes). */
static inline char *fz_path(const char *name, char *buf)
{
    int w = snprintf(buf, FZ_PATH, "%s/%s", fz_dir(), name);
    if (w < 0 || w >= FZ_PATH)
        fz_die("scratch path too long", name);
    return buf;
}

/* Replace the file at path with exactly these bytes. */
static inline void fz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fz_die("cannot create", path);
    if ((size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fz_die("cannot write", path);
}

/* Write a text into dir/name once (a fixture the inputs may refer to); creates the folder
 * of name, one level deep. */
static inline void fz_fixture(const char *name, const char *text)
{
    char path[FZ_PATH];
    fz_path(name, path);
    char *slash = strrchr(path, '/');
    if (slash && slash > path + strlen(fz_dir())) {
        *slash = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            fz_die("cannot create", path);
        *slash = '/';
    }
    fz_write(path, text, strlen(text));
}

/* A NUL-terminated copy of the input, exactly size + 1 bytes so that ASan sees any read
 * past its end. Inputs holding a NUL end there for the C-string parsers. */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        fz_die("out of memory", "input copy");
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A refused input must say why: a status of the input kind and a sentence. Anything else
 * (out of memory, a runtime error, an empty message) is a finding: abort so that the fuzzer
 * keeps the input. */
static inline void fz_check_refusal(dcsim_status st, const dcsim_diag *d, const char *what)
{
    if ((st == DCSIM_EINPUT || st == DCSIM_EIO) && d->status == st && d->msg[0] &&
        memchr(d->msg, '\0', sizeof d->msg) && memchr(d->file, '\0', sizeof d->file))
        return;
    fprintf(stderr, "fuzz: %s: refusal with status %d (diag status %d) and message '%.200s'\n",
            what, (int)st, (int)d->status, d->msg);
    abort();
}

/* /dev/null for output nobody reads (the plan), opened once. */
static inline FILE *fz_devnull(void)
{
    static FILE *f;
    if (!f && !(f = fopen("/dev/null", "w")))
        fz_die("cannot open", "/dev/null");
    return f;
}

static inline int fz_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir (their paths), in name order so that replays are reproducible;
 * *n gets the count. NULL with errno set when dir cannot be read or memory runs out. Free
 * each path and the array. Shared by driver.c and tests/test_fuzz.c. */
static inline char **fz_regular_files(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **paths = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[FZ_PATH];
        struct stat sb;
        int w = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (w <= 0 || (size_t)w >= sizeof path || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(paths, cap * sizeof *paths);
            if (!grown)
                goto fail;
            paths = grown;
        }
        if (!(paths[*n] = strdup(path)))
            goto fail;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(paths, *n, sizeof *paths, fz_name_cmp);
    return paths ? paths : calloc(1, sizeof *paths);
fail:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        free(paths[i]);
    free(paths);
    *n = 0;
    errno = ENOMEM;
    return NULL;
}

#endif
