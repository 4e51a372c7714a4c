/* A main for a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once on each file
 * given, or on each file in each directory given, so that the targets build with any C
 * compiler and replay the seed corpus and the regression inputs (tests/fuzz/README.md).
 * Each input sits in a buffer of exactly its size, so a sanitizer build sees any overread.
 * Exit status 0 when every input ran, 1 when one could not be read (a crash ends it anyway). */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, size_t *ran)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            uint8_t *grown = realloc(buf, 2 * cap);
            if (!grown)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return 1;
    }
    /* Exactly len bytes, so that one byte past the input is outside the allocation. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    fprintf(stderr, "running %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    (*ran)++;
    return 0;
}

/* The regular files of dir in name order, so runs are reproducible. */
static int run_dir(const char *dir, size_t *ran)
{
    size_t n;
    char **paths = fz_regular_files(dir, &n);
    if (!paths) {
        fprintf(stderr, "%s: cannot open: %s\n", dir, strerror(errno));
        return 1;
    }
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        bad |= run_file(paths[i], ran);
        free(paths[i]);
    }
    free(paths);
    return bad;
}

int main(int argc, char **argv)
{
    size_t ran = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            bad = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            bad |= run_dir(argv[i], &ran);
        } else {
            bad |= run_file(argv[i], &ran);
        }
    }
    fprintf(stderr, "%s: ran %zu input%s%s\n", argc > 0 ? argv[0] : "driver", ran,
            ran == 1 ? "" : "s", bad ? "; some could not be read" : "");
    return bad;
}
