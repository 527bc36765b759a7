/*
** nmrc/io.h: the library's one file-I/O module (core/io.c).  Bounded reads
** of regular files, atomic writes (temporary file in the same folder, fsync,
** rename; never a half-written file under the final name), output streams
** committed the same way, directory creation, and the cleanup of temporary
** files that a signal handler may call.
*/
#ifndef NMRC_IO_H
#define NMRC_IO_H

#include <stddef.h>
#include <stdio.h>

#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the regular file at path (opened without blocking on FIFOs or
** devices, which are refused) into a new NUL-terminated buffer *buf (caller
** frees with free()) of *len bytes (len may be NULL).  Files longer than
** max_bytes give NMRC_ELIMIT.  Returns NMRC_OK, NMRC_ENOTFOUND (no such
** file), NMRC_EIO (not a regular file, read error), NMRC_ELIMIT or
** NMRC_ENOMEM; the message in ctx is "PATH: reason".  *buf is NULL on
** failure. */
NMRC_NODISCARD nmrc_status nmrc_io_read_file(const char *path, size_t max_bytes, nmrc_ctx *ctx,
                                             char **buf, size_t *len);

/* Writes len bytes of data to path atomically: a temporary file
** "PATH.tmpXXXXXX" in the same folder (mode 0644), fsync, rename.  An
** existing path that is not a regular file (directory, device, FIFO,
** symbolic link) is refused and left alone.  On failure nothing is left
** behind and path is untouched.  Returns NMRC_OK, NMRC_EINVAL (no path) or
** NMRC_EIO (message names the file and the reason). */
NMRC_NODISCARD nmrc_status nmrc_io_write_atomic(const char *path, const void *data, size_t len,
                                                nmrc_ctx *ctx);

/* Writes an output set of n files that land together or not at all: each
** data[k] (lens[k] bytes) goes to a temporary file beside paths[k]
** (fsynced), then all are renamed into place with signals held back.  If a
** write or a rename fails, the files already renamed get their previous
** content back (or are removed if they did not exist), every temporary file
** is removed, and the status says which file failed.  Existing paths that
** are not regular files are refused before anything is written; a path
** named twice is NMRC_EINVAL.  Returns NMRC_OK, NMRC_EINVAL, NMRC_ENOMEM or
** NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_io_write_set(size_t n, const char *const *paths,
                                             const void *const *data, const size_t *lens,
                                             nmrc_ctx *ctx);

/* Makes the directory path and its parents (mode 0755); existing directories
** are fine.  Returns NMRC_OK, NMRC_EINVAL (empty path) or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_io_mkdirs(const char *path, nmrc_ctx *ctx);

/* ---- Output streams ------------------------------------------------------ */
/* An output stream writes to a temporary file that nmrc_io_out_commit
** renames into place (after fflush and fsync), or to standard output for the
** path "-".  With NMRC_IO_OUT_INPLACE an existing FIFO or character device
** (a pipe, /dev/null) is written in place instead of refused: renaming over
** it would replace the device.  Regular files are always replaced
** atomically. */
typedef struct nmrc_io_out nmrc_io_out;

#define NMRC_IO_OUT_INPLACE 1u  /* write FIFOs and character devices in place */

/* Opens an output stream for path (flags: NMRC_IO_OUT_*).  Stores *out
** (caller owns; finish with nmrc_io_out_commit or nmrc_io_out_abort).
** Returns NMRC_OK, NMRC_EINVAL, NMRC_ENOMEM or NMRC_EIO (directory, refused
** non-regular file, cannot create the temporary file). */
NMRC_NODISCARD nmrc_status nmrc_io_out_open(const char *path, unsigned flags, nmrc_ctx *ctx,
                                            nmrc_io_out **out);

/* Returns the stream to write to (owned by o). */
FILE *nmrc_io_out_stream(nmrc_io_out *o);

/* Returns nonzero if o writes to standard output. */
int nmrc_io_out_is_stdout(const nmrc_io_out *o);

/* Flushes and commits the stream: any write error (ferror, fflush, fsync,
** close, rename) is reported as NMRC_EIO and the temporary file removed, so
** the old file stays.  Frees o in every case (accepts NULL: NMRC_OK). */
NMRC_NODISCARD nmrc_status nmrc_io_out_commit(nmrc_io_out *o, nmrc_ctx *ctx);

/* Abandons the stream: removes the temporary file, frees o (accepts NULL).
** Standard output is left open. */
void nmrc_io_out_abort(nmrc_io_out *o);

/* ---- Temporary files and signals ---------------------------------------- */

/* Removes every temporary file the library is writing at this moment.
** Async-signal-safe (only unlink(2) on paths held in static storage): a
** program's SIGINT/SIGTERM handler calls it before re-raising the signal. */
void nmrc_io_cleanup_temps(void);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_IO_H */
