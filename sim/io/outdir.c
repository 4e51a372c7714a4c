/* Output directories that appear whole or not at all. A run writes into DIR.tmp-XXXXXX beside
 * DIR and commits with one rename, or one atomic exchange when an older dcsim output sits at
 * DIR, so a reader (or a plot script) never sees half a run and a crash leaves DIR as it was.
 * Tree walks go through directory fds and never follow a symlink out of the tree. */
#include "dcsim/outdir.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_SUFFIX ".tmp-XXXXXX"
#define OLD_SUFFIX ".old-XXXXXX"
#define MARKER "meta.csv"       /* every dcsim output has it; see the recorder */

static dcsim_status fail(dcsim_diag *d, const char *path, const char *what, int e)
{
    return dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0, "%s: %s", what, strerror(e));
}

/* buf (PATH_MAX bytes) = a followed by b. Returns 0, or -1 if that does not fit. */
static int path_cat(char *buf, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb >= PATH_MAX)
        return -1;
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb + 1);
    return 0;
}

/* Directory part of path ("." for a bare name), into buf of PATH_MAX bytes. */
static void parent_of(const char *path, char *buf)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, PATH_MAX, ".");
    else if (slash == path)
        snprintf(buf, PATH_MAX, "/");
    else
        snprintf(buf, PATH_MAX, "%.*s", (int)(slash - path), path);
}

/* mkdir -p of every directory above path (not path itself: it appears at commit). */
static dcsim_status make_parents(const char *path, dcsim_diag *d)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0) {
            int e = errno;
            struct stat sb;
            if (e != EEXIST)
                return fail(d, buf, "cannot create directory", e);
            if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
                return dcsim_diag_set(d, DCSIM_EWRITE, buf, 0, 0,
                                      "exists and is not a directory, so the output directory "
                                      "%s cannot be made below it", path);
        }
        *p = '/';
    }
    return DCSIM_OK;
}

/* 1 if the directory at path is empty, 2 if it holds a dcsim output, 0 if it holds something
 * else, -1 with errno set if it cannot be read. */
static int replaceable(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int empty = 1;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    }
    struct stat sb;
    int marked = fstatat(dirfd(dir), MARKER, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                 S_ISREG(sb.st_mode);
    closedir(dir);
    return empty ? 1 : marked ? 2 : 0;
}

/* What the user asked for must be a place we may fill: absent, an empty directory, or (with
 * --force) an older dcsim output. Checked at begin, and again at commit since a long run gives
 * the user time to put something there. */
static dcsim_status check_final(const char *path, bool force, int *exists, dcsim_diag *d)
{
    struct stat sb;
    *exists = 0;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return DCSIM_OK;
        return fail(d, path, "cannot inspect the output directory", errno);
    }
    *exists = 1;
    /* A symlink is refused rather than followed: the exchange would swap the link itself. */
    if (!S_ISDIR(sb.st_mode))
        return dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0,
                              "exists and is not a directory; pick another -o");
    int r = replaceable(path);
    if (r < 0)
        return fail(d, path, "cannot read the output directory", errno);
    if (r == 0)
        return dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0,
                              "is a non-empty directory that is not a dcsim output (no "
                              MARKER "); pick another -o or remove it");
    if (r == 2 && !force)
        return dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0,
                              "holds an earlier dcsim output; add --force to replace it, or "
                              "pick another -o");
    return DCSIM_OK;
}

/* mkdtemp makes 0700 directories; the output should get the mode mkdir would give it. The
 * umask cannot be read without being changed for every thread, so ask the kernel: make a
 * probe directory with 0777 and see what the umask left. */
static void widen_mode(const char *dir)
{
    char probe[PATH_MAX];
    struct stat sb;
    if (path_cat(probe, dir, "/.mode-probe") != 0)
        return;
    if (mkdir(probe, 0777) != 0)
        return;
    if (stat(probe, &sb) == 0)
        chmod(dir, sb.st_mode & 07777);
    rmdir(probe);
}

dcsim_status dcsim_outdir_begin(dcsim_outdir *o, const char *path, bool force, dcsim_diag *d)
{
    o->open = 0;
    o->force = force;
    o->final_path[0] = '\0';
    o->tmp_path[0] = '\0';

    /* "out/x/" must name out/x, or the sibling would land inside it as out/x/.tmp-... */
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return dcsim_diag_set(d, DCSIM_EWRITE, NULL, 0, 0, "the output directory name is empty");
    if (len + sizeof TMP_SUFFIX > sizeof o->final_path)
        return dcsim_diag_set(d, DCSIM_EWRITE, path, 0, 0, "output path is too long");
    memcpy(o->final_path, path, len);
    o->final_path[len] = '\0';

    const char *base = strrchr(o->final_path, '/');
    base = base ? base + 1 : o->final_path;
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || base[0] == '\0')
        return dcsim_diag_set(d, DCSIM_EWRITE, o->final_path, 0, 0,
                              "cannot be replaced as a whole; name a new directory with -o");

    dcsim_status st = make_parents(o->final_path, d);
    if (st != DCSIM_OK)
        return st;
    int exists;
    st = check_final(o->final_path, force, &exists, d);
    if (st != DCSIM_OK)
        return st;

    path_cat(o->tmp_path, o->final_path, TMP_SUFFIX);     /* fits: checked above */
    if (!mkdtemp(o->tmp_path)) {
        int e = errno;
        o->tmp_path[0] = '\0';
        return fail(d, o->final_path, "cannot create a temporary directory beside it", e);
    }
    widen_mode(o->tmp_path);
    o->open = 1;
    return DCSIM_OK;
}

char *dcsim_outdir_file(const dcsim_outdir *o, const char *name, char *buf, size_t buf_len)
{
    DCSIM_ASSERT(o->open);      /* files go in between begin and commit/abort */
    int n = snprintf(buf, buf_len, "%s/%s", o->tmp_path, name);
    if (n < 0 || (size_t)n >= buf_len)
        return NULL;
    return buf;
}

/* Is the entry `name` in dirfd a real directory? d_type saves a stat on most filesystems. */
static int entry_is_dir(int dfd, const struct dirent *de)
{
    if (de->d_type != DT_UNKNOWN)
        return de->d_type == DT_DIR;
    struct stat sb;
    return fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
}

static int is_dot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* fsync every regular file and directory under the open directory dfd (which this closes).
 * Returns 0, or an errno. O_NOFOLLOW keeps the walk inside the tree. */
static int sync_tree(int dfd)
{
    DIR *dir = fdopendir(dfd);
    if (!dir) {
        int e = errno;
        close(dfd);
        return e;
    }
    int err = 0;
    struct dirent *de;
    while (!err && (de = readdir(dir)) != NULL) {
        if (is_dot(de->d_name))
            continue;
        if (entry_is_dir(dirfd(dir), de)) {
            int sub = openat(dirfd(dir), de->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            err = sub < 0 ? errno : sync_tree(sub);
            continue;
        }
        struct stat sb;
        if (fstatat(dirfd(dir), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
        } else if (S_ISREG(sb.st_mode)) {
            int fd = openat(dirfd(dir), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0 || fsync(fd) != 0)
                err = errno;
            if (fd >= 0)
                close(fd);
        }
    }
    if (!err && fsync(dirfd(dir)) != 0)
        err = errno;
    closedir(dir);
    return err;
}

/* Remove everything under the open directory dfd (which this closes), not the directory
 * itself. Symlinks are unlinked, never followed. Best effort: keeps going past failures and
 * returns the first errno, or 0. */
static int empty_tree(int dfd)
{
    DIR *dir = fdopendir(dfd);
    if (!dir) {
        int e = errno;
        close(dfd);
        return e;
    }
    int err = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (is_dot(de->d_name))
            continue;
        int flags = 0;
        if (entry_is_dir(dirfd(dir), de)) {
            int sub = openat(dirfd(dir), de->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int e = sub < 0 ? errno : empty_tree(sub);
            if (e && !err)
                err = e;
            flags = AT_REMOVEDIR;
        }
        if (unlinkat(dirfd(dir), de->d_name, flags) != 0 && !err)
            err = errno;
    }
    closedir(dir);
    return err;
}

/* rm -rf path, where path is a directory we made. Returns 0 or an errno. */
static int remove_tree(const char *path)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : errno;
    int err = empty_tree(dfd);
    if (rmdir(path) != 0 && !err)
        err = errno;
    return err;
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = fsync(fd) != 0 ? errno : 0;
    close(fd);
    return err;
}

/* Replace the existing final directory with tmp. After success the old tree is at
 * *old_path (a buffer of PATH_MAX bytes), to be removed by the caller. */
static dcsim_status swap_in(dcsim_outdir *o, char *old_path, dcsim_diag *d)
{
    if (renameat2(AT_FDCWD, o->tmp_path, AT_FDCWD, o->final_path, RENAME_EXCHANGE) == 0) {
        snprintf(old_path, PATH_MAX, "%s", o->tmp_path);
        return DCSIM_OK;
    }
    /* EINVAL: the filesystem cannot exchange (some network and FUSE ones); ENOSYS: an old
     * kernel. Fall back to two renames; between them DIR is briefly absent, never mixed. */
    if (errno != EINVAL && errno != ENOSYS)
        return fail(d, o->final_path, "cannot replace the previous output", errno);
    path_cat(old_path, o->final_path, OLD_SUFFIX);        /* same length as tmp_path */
    if (!mkdtemp(old_path))     /* a unique empty name that rename may replace */
        return fail(d, o->final_path, "cannot move the previous output aside", errno);
    if (rename(o->final_path, old_path) != 0) {
        int e = errno;
        rmdir(old_path);
        return fail(d, o->final_path, "cannot move the previous output aside", e);
    }
    if (rename(o->tmp_path, o->final_path) != 0) {
        int e = errno;
        rename(old_path, o->final_path);        /* put it back; nothing better to do */
        return fail(d, o->final_path, "cannot move the new output into place", e);
    }
    return DCSIM_OK;
}

dcsim_status dcsim_outdir_commit(dcsim_outdir *o, dcsim_diag *d)
{
    DCSIM_ASSERT(o->open);

    int dfd = open(o->tmp_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = dfd < 0 ? errno : sync_tree(dfd);
    if (err)
        return fail(d, o->tmp_path, "cannot flush the output to disk", err);

    int exists;
    dcsim_status st = check_final(o->final_path, o->force, &exists, d);
    if (st != DCSIM_OK)
        return st;

    char old_path[PATH_MAX] = "";
    if (!exists) {
        if (rename(o->tmp_path, o->final_path) != 0)
            return fail(d, o->final_path, "cannot move the output into place", errno);
    } else {
        st = swap_in(o, old_path, d);
        if (st != DCSIM_OK)
            return st;
    }
    /* The new output is in place: from here on abort() has nothing to remove. */
    o->open = 0;

    /* The rename is durable only once the directory holding the name is synced. */
    char parent[PATH_MAX];
    parent_of(o->final_path, parent);
    int sync_err = sync_dir(parent);
    int rm_err = old_path[0] ? remove_tree(old_path) : 0;
    if (sync_err)
        return fail(d, parent, "cannot flush the directory to disk", sync_err);
    if (rm_err)
        return dcsim_diag_set(d, DCSIM_EWRITE, o->final_path, 0, 0,
                              "the new output is in place, but the previous one could not be "
                              "removed from %s: %s", old_path, strerror(rm_err));
    return DCSIM_OK;
}

void dcsim_outdir_abort(dcsim_outdir *o)
{
    if (!o || !o->open)
        return;
    remove_tree(o->tmp_path);
    o->open = 0;
}
