/*
** io.c: every file the library reads or writes goes through here
** (nmrc/io.h).  Reads are bounded and refuse what is not a regular file;
** writes go to a temporary file in the same folder that is fsynced and
** renamed into place, and is registered so that a signal handler can remove
** it (nmrc_io_cleanup_temps).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/defs.h"
#include "core/io_fault.h"
#include "nmrc/io.h"

/* ==== Temporary-file registry =========================================== */
/* Paths of the temporary files being written, in static storage so that a
** signal handler may unlink them.  A slot is published by setting `used`
** after its path is complete and retired by clearing it before the file is
** renamed or removed. */
#define TEMP_SLOTS 64
#define TEMP_PATH_MAX 4096

static struct {
    volatile sig_atomic_t used;
    char path[TEMP_PATH_MAX];
} temps[TEMP_SLOTS];
static pthread_mutex_t temps_lock = PTHREAD_MUTEX_INITIALIZER;

/* Registers path; returns the slot or -1 when all slots are taken (the
** file is then written unregistered). */
static int temp_register(const char *path)
{
    size_t n = strlen(path);
    if (n >= TEMP_PATH_MAX)
        return -1;
    int slot = -1;
    pthread_mutex_lock(&temps_lock);
    for (int k = 0; k < TEMP_SLOTS && slot < 0; k++)
        if (!temps[k].used) {
            memcpy(temps[k].path, path, n + 1);
            temps[k].used = 1;
            slot = k;
        }
    pthread_mutex_unlock(&temps_lock);
    return slot;
}

static void temp_release(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&temps_lock);
    temps[slot].used = 0;
    pthread_mutex_unlock(&temps_lock);
}

void nmrc_io_cleanup_temps(void)
{
    for (int k = 0; k < TEMP_SLOTS; k++)
        if (temps[k].used)
            unlink(temps[k].path);
}

/* ==== Reading ============================================================ */

/* Reads fd to EOF into buf (cap bytes); returns the count or -1. */
static long read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        n += (size_t)k;
    }
    return (long)n;
}

nmrc_status nmrc_io_read_file(const char *path, size_t max_bytes, nmrc_ctx *ctx, char **buf,
                              size_t *len)
{
    if (!buf || !path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_io_read_file: NULL argument");
    *buf = NULL;
    if (len)
        *len = 0;
    /* open first, then check what was opened: no window for a swap, and
    ** O_NONBLOCK keeps a FIFO from blocking the open itself */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return nmrc_ctx_error(ctx, err == ENOENT ? NMRC_ENOTFOUND : NMRC_EIO, "%s: %s", path,
                              strerror(err));
    }
    nmrc_status st = NMRC_OK;
    if (!S_ISREG(sb.st_mode))
        st = nmrc_ctx_error(ctx, NMRC_EIO, "%s: not a regular file", path);
    else if ((unsigned long long)sb.st_size > (unsigned long long)max_bytes)
        st = nmrc_ctx_error(ctx, NMRC_ELIMIT, "%s: larger than %zu bytes", path, max_bytes);
    /* the size may change while reading: read up to one byte past the cap */
    size_t cap = (size_t)sb.st_size < max_bytes ? (size_t)sb.st_size + 1 : max_bytes + 1;
    char *p = st == NMRC_OK ? malloc(cap + 1) : NULL;
    if (st == NMRC_OK && !p)
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "%s: out of memory", path);
    long n = st == NMRC_OK ? read_all(fd, p, cap) : 0;
    int err = errno;
    close(fd);
    if (st == NMRC_OK && n < 0)
        st = nmrc_ctx_error(ctx, NMRC_EIO, "%s: %s", path, strerror(err));
    else if (st == NMRC_OK && (size_t)n > max_bytes)
        st = nmrc_ctx_error(ctx, NMRC_ELIMIT, "%s: larger than %zu bytes", path, max_bytes);
    if (st != NMRC_OK) {
        free(p);
        return st;
    }
    p[n] = '\0';
    *buf = p;
    if (len)
        *len = (size_t)n;
    return NMRC_OK;
}

/* ==== Writing ============================================================ */

/* Refuses an existing path that is not a regular file (lstat: a symbolic
** link is refused too).  A missing path is fine. */
static NMRC_NODISCARD nmrc_status check_target(const char *path, nmrc_ctx *ctx)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? NMRC_OK
                               : nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", path,
                                                strerror(errno));
    if (S_ISREG(sb.st_mode))
        return NMRC_OK;
    return nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", path,
                          S_ISDIR(sb.st_mode)   ? "is a directory"
                          : S_ISLNK(sb.st_mode) ? "is a symbolic link (not replaced)"
                                                : "not a regular file (not replaced)");
}

/* A temporary file beside `path`, registered for cleanup. */
typedef struct temp_file {
    char *name;                 /* "PATH.tmpXXXXXX" */
    int fd;
    int slot;                   /* registry slot or -1 */
} temp_file;

static NMRC_NODISCARD nmrc_status temp_open(const char *path, temp_file *t, nmrc_ctx *ctx)
{
    size_t n = strlen(path) + 16;
    t->fd = -1;
    t->slot = -1;
    t->name = malloc(n);
    if (!t->name)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    snprintf(t->name, n, "%s.tmpXXXXXX", path);
    /* block signals between creating the file and registering it, so that a
    ** handler never misses a file that exists */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    t->fd = mkstemp(t->name);
    int err = errno;
    if (t->fd >= 0)
        t->slot = temp_register(t->name);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (t->fd < 0) {
        nmrc_status st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", path,
                                        strerror(err));
        free(t->name);
        t->name = NULL;
        return st;
    }
    if (fchmod(t->fd, 0644) != 0) {
        /* keep mkstemp's 0600: still a correct file, only less readable */
    }
    return NMRC_OK;
}

/* Removes the temporary file (and closes fd if still open). */
static void temp_discard(temp_file *t)
{
    if (t->fd >= 0)
        close(t->fd);
    temp_release(t->slot);
    if (t->name)
        unlink(t->name);
    free(t->name);
    t->name = NULL;
    t->fd = -1;
    t->slot = -1;
}

/* fsyncs and closes t (fd already written), renames it to path; on failure
** removes it.  err_in: an earlier errno (0 = none) that already failed. */
static NMRC_NODISCARD nmrc_status temp_commit(temp_file *t, const char *path, int err_in, nmrc_ctx *ctx)
{
    int err = err_in;
    if (!err && fsync(t->fd) != 0)
        err = errno;
    if (close(t->fd) != 0 && !err)
        err = errno;
    t->fd = -1;
    if (!err) {
        nmrc_status st = check_target(path, ctx);
        if (st != NMRC_OK) {
            temp_discard(t);
            return st;
        }
        if (rename(t->name, path) != 0)
            err = errno;
    }
    if (err) {
        temp_discard(t);
        return nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", path, strerror(err));
    }
    temp_release(t->slot);
    free(t->name);
    t->name = NULL;
    return NMRC_OK;
}

/* Writes len bytes to fd; returns 0 or the errno of the failure. */
static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        done += (size_t)w;
    }
    return 0;
}

nmrc_status nmrc_io_write_atomic(const char *path, const void *data, size_t len,
                                 nmrc_ctx *ctx)
{
    if (!path || !*path || (!data && len))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_io_write_atomic: no path or data");
    nmrc_status st = check_target(path, ctx);
    temp_file t;
    if (st == NMRC_OK)
        st = temp_open(path, &t, ctx);
    if (st != NMRC_OK)
        return st;
    return temp_commit(&t, path, write_all(t.fd, data, len), ctx);
}

/* ==== Output sets ======================================================== */

/* One member of a set being committed. */
typedef struct set_file {
    temp_file tmp;              /* the new content, fsynced and closed */
    char *keep;                 /* hard link or renamed copy of the old file, or NULL */
    int keep_slot;              /* registry slot of a hard-link keep (removing it loses
                                ** nothing), else -1 */
    int existed, renamed;       /* the final path existed; tmp is in place */
} set_file;

/* Writes data to a fresh temporary beside path, fsynced and closed. */
static NMRC_NODISCARD nmrc_status set_stage(const char *path, const void *data, size_t len,
                                            set_file *f, nmrc_ctx *ctx)
{
    nmrc_status st = temp_open(path, &f->tmp, ctx);
    int err = st == NMRC_OK ? write_all(f->tmp.fd, data, len) : 0;
    if (st == NMRC_OK && !err && fsync(f->tmp.fd) != 0)
        err = errno;
    if (st == NMRC_OK && close(f->tmp.fd) != 0 && !err)
        err = errno;
    if (st == NMRC_OK)
        f->tmp.fd = -1;
    if (st == NMRC_OK && err)
        st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", path, strerror(err));
    return st;
}

/* Keeps the old file at path under a second name (a hard link; where the
** file system has none, the old file is renamed away and put back on
** failure). */
static NMRC_NODISCARD nmrc_status set_keep(const char *path, set_file *f, nmrc_ctx *ctx)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return NMRC_OK;
    f->existed = 1;
    size_t n = strlen(path) + 16;
    if (!(f->keep = malloc(n)))
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(f->keep, n, "%s.old%03u", path, k);
        if (link(path, f->keep) == 0) {
            f->keep_slot = temp_register(f->keep);
            return NMRC_OK;
        }
        if (errno != EEXIST)
            break;
    }
    free(f->keep);
    f->keep = NULL;
    return NMRC_OK; /* no hard links: nmrc_io_write_set renames instead */
}

/* Puts back what set member f replaced at path. */
static void set_restore(const char *path, set_file *f)
{
    if (!f->renamed)
        return;
    if (f->keep && rename(f->keep, path) == 0) {
        temp_release(f->keep_slot);
        f->keep_slot = -1;
        free(f->keep);
        f->keep = NULL;
    } else if (!f->existed) {
        unlink(path);
    }
    f->renamed = 0;
}

static void set_free(set_file *f)
{
    if (f->tmp.name || f->tmp.fd >= 0)
        temp_discard(&f->tmp);
    temp_release(f->keep_slot);
    if (f->keep)
        unlink(f->keep);
    free(f->keep);
}

static int fault_rename = -1; /* core/io_fault.h */

void nmrc_io_fault_rename(int k)
{
    fault_rename = k;
}

/* rename(2), or the injected failure of rename number k of this set. */
static int set_rename(const char *from, const char *to, size_t k)
{
    if (fault_rename >= 0 && (size_t)fault_rename == k) {
        errno = EIO;
        return -1;
    }
    return rename(from, to);
}

/* Renames every staged member into place; on a failure restores the ones
** already renamed.  Signals wait until the set is whole or restored. */
static NMRC_NODISCARD nmrc_status set_commit(size_t n, const char *const *paths, set_file *f,
                                             nmrc_ctx *ctx)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    nmrc_status st = NMRC_OK;
    for (size_t k = 0; k < n && st == NMRC_OK; k++) {
        st = check_target(paths[k], ctx);
        if (st == NMRC_OK && f[k].existed && !f[k].keep) { /* no hard link: move it away */
            size_t m = strlen(paths[k]) + 16;
            if ((f[k].keep = malloc(m)) != NULL) {
                snprintf(f[k].keep, m, "%s.oldXXXXXX", paths[k]);
                int fd = mkstemp(f[k].keep); /* a unique name, then moved over */
                if (fd >= 0)
                    close(fd);
                if (fd < 0 || rename(paths[k], f[k].keep) != 0) {
                    if (fd >= 0)
                        unlink(f[k].keep);
                    free(f[k].keep);
                    f[k].keep = NULL;
                }
            }
            if (!f[k].keep)
                st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: cannot keep the old file",
                                    paths[k]);
        }
        if (st == NMRC_OK && set_rename(f[k].tmp.name, paths[k], k) != 0) {
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", paths[k], strerror(errno));
            if (f[k].keep && f[k].keep_slot < 0 && rename(f[k].keep, paths[k]) == 0) {
                free(f[k].keep); /* the moved-away old file is back */
                f[k].keep = NULL;
            }
        } else if (st == NMRC_OK) {
            f[k].renamed = 1;
            temp_release(f[k].tmp.slot);
            free(f[k].tmp.name);
            f[k].tmp.name = NULL;
            f[k].tmp.slot = -1;
        }
    }
    if (st != NMRC_OK)
        for (size_t k = n; k-- > 0;)
            set_restore(paths[k], &f[k]);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return st;
}

static NMRC_NODISCARD nmrc_status write_set(size_t n, const char *const *paths,
                                             const void *const *data, const size_t *lens,
                                             nmrc_ctx *ctx)
{
    if (n == 0)
        return NMRC_OK;
    if (!paths || !data || !lens)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_io_write_set: NULL argument");
    for (size_t k = 0; k < n; k++) {
        if (!paths[k] || !*paths[k] || (!data[k] && lens[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_io_write_set: no path or data");
        for (size_t j = 0; j < k; j++)
            if (!strcmp(paths[j], paths[k]))
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s is named twice in one output set",
                                      paths[k]);
        nmrc_status st = check_target(paths[k], ctx);
        if (st != NMRC_OK)
            return st;
    }
    set_file *f = calloc(n, sizeof *f);
    if (!f)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        f[k].tmp.fd = f[k].tmp.slot = f[k].keep_slot = -1;
    nmrc_status st = NMRC_OK;
    for (size_t k = 0; k < n && st == NMRC_OK; k++)
        st = set_stage(paths[k], data[k], lens[k], &f[k], ctx);
    for (size_t k = 0; k < n && st == NMRC_OK; k++)
        st = set_keep(paths[k], &f[k], ctx);
    if (st == NMRC_OK)
        st = set_commit(n, paths, f, ctx);
    for (size_t k = 0; k < n; k++)
        set_free(&f[k]);
    free(f);
    return st;
}

nmrc_status nmrc_io_write_set(size_t n, const char *const *paths, const void *const *data,
                              const size_t *lens, nmrc_ctx *ctx)
{
    nmrc_status st = write_set(n, paths, data, lens, ctx);
    fault_rename = -1;
    return st;
}

nmrc_status nmrc_io_mkdirs(const char *path, nmrc_ctx *ctx)
{
    size_t n = path ? strlen(path) : 0;
    if (n == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "mkdir: empty path");
    char *buf = malloc(n + 1);
    if (!buf)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    memcpy(buf, path, n + 1);
    nmrc_status st = NMRC_OK;
    for (char *p = buf + 1; st == NMRC_OK; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        struct stat sb;
        if (mkdir(buf, 0755) != 0 &&
            !(errno == EEXIST && stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode)))
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot create directory %s: %s", buf,
                                strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    free(buf);
    return st;
}

/* ==== Output streams ===================================================== */

struct nmrc_io_out {
    FILE *fp;
    char *path;                 /* final name */
    temp_file tmp;              /* fd owned by fp once fdopen succeeded */
    int is_stdout;
    int direct;                 /* FIFO or device written in place */
};

/* Opens an existing FIFO or character device for writing in place. */
static NMRC_NODISCARD nmrc_status open_direct(nmrc_io_out *o, nmrc_ctx *ctx)
{
    o->fp = fopen(o->path, "w");
    if (!o->fp)
        return nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", o->path, strerror(errno));
    o->direct = 1;
    return NMRC_OK;
}

nmrc_status nmrc_io_out_open(const char *path, unsigned flags, nmrc_ctx *ctx,
                             nmrc_io_out **out)
{
    if (!out || !path || !*path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_io_out_open: no path");
    *out = NULL;
    nmrc_io_out *o = calloc(1, sizeof *o);
    if (!o)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    o->tmp.fd = -1;
    o->tmp.slot = -1;
    if (!strcmp(path, "-")) {
        o->fp = stdout;
        o->is_stdout = 1;
        *out = o;
        return NMRC_OK;
    }
    o->path = strdup(path);
    nmrc_status st = o->path ? NMRC_OK : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    struct stat sb;
    if (st == NMRC_OK && (flags & NMRC_IO_OUT_INPLACE) && stat(path, &sb) == 0 &&
        (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)))
        st = open_direct(o, ctx);
    else if (st == NMRC_OK) {
        st = check_target(path, ctx);
        if (st == NMRC_OK)
            st = temp_open(path, &o->tmp, ctx);
        if (st == NMRC_OK && !(o->fp = fdopen(o->tmp.fd, "w")))
            st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "cannot write %s: %s", path, strerror(errno));
    }
    if (st != NMRC_OK) {
        nmrc_io_out_abort(o);
        return st;
    }
    *out = o;
    return NMRC_OK;
}

FILE *nmrc_io_out_stream(nmrc_io_out *o)
{
    return o ? o->fp : NULL;
}

int nmrc_io_out_is_stdout(const nmrc_io_out *o)
{
    return o && o->is_stdout;
}

nmrc_status nmrc_io_out_commit(nmrc_io_out *o, nmrc_ctx *ctx)
{
    if (!o)
        return NMRC_OK;
    nmrc_status st = NMRC_OK;
    if (o->is_stdout) {
        if (ferror(stdout) || fflush(stdout) != 0)
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write to standard output: %s",
                                strerror(errno));
    } else if (o->direct) {
        int bad = ferror(o->fp) | (fclose(o->fp) != 0);
        o->fp = NULL;
        if (bad)
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", o->path, strerror(errno));
    } else {
        int err = ferror(o->fp) ? EIO : 0;
        if (fflush(o->fp) != 0 && !err)
            err = errno;
        /* temp_commit fsyncs and closes the descriptor; fclose below would
        ** close it again, so detach it first */
        int fd = dup(o->tmp.fd);
        fclose(o->fp);
        o->fp = NULL;
        o->tmp.fd = fd;
        if (fd < 0 && !err)
            err = errno;
        if (fd < 0) {
            temp_discard(&o->tmp);
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write %s: %s", o->path, strerror(err));
        } else
            st = temp_commit(&o->tmp, o->path, err, ctx);
    }
    free(o->path);
    free(o);
    return st;
}

void nmrc_io_out_abort(nmrc_io_out *o)
{
    if (!o)
        return;
    if (o->fp && !o->is_stdout) {
        fclose(o->fp);
        o->tmp.fd = -1;         /* closed by fclose */
    }
    if (o->tmp.name)
        temp_discard(&o->tmp);
    free(o->path);
    free(o);
}
