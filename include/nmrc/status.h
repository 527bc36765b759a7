/*
** nmrc/status.h: status codes and the error context.
** Every fallible library function returns an nmrc_status; the detail (a
** sentence, file and line where relevant) goes into the nmrc_ctx the caller
** passed.  The library never prints, aborts or exits.
*/
#ifndef NMRC_STATUS_H
#define NMRC_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a function whose nmrc_status result must be used: ignoring it is a
** compiler warning (an error in CI builds). */
#if defined(__GNUC__) || defined(__clang__)
#define NMRC_NODISCARD __attribute__((warn_unused_result))
#else
#define NMRC_NODISCARD
#endif

typedef enum nmrc_status {
    NMRC_OK = 0,       /* success */
    NMRC_EINVAL,       /* invalid argument or value (NaN, T < 0, ...) */
    NMRC_ENOMEM,       /* allocation failed */
    NMRC_EBADLEN,      /* sizes not conformant */
    NMRC_ESYNTAX,      /* spec has diagnostics; see nmrc_spec_diag_* */
    NMRC_ENOTFOUND,    /* named object (parameter, sequence, file) unknown */
    NMRC_EIO,          /* file could not be read or written */
    NMRC_ELAPACK,      /* LAPACK reported info != 0 */
    NMRC_EFFTW,        /* FFTW could not make a plan */
    NMRC_EXML,         /* XML not well formed or not schema-valid */
    NMRC_ENOTSUP,      /* valid input the library does not handle yet */
    NMRC_ENUMERIC,     /* numerical failure: no convergence, lost positivity */
    NMRC_ELIMIT        /* a size limit was exceeded */
} nmrc_status;

/* Opaque error context.  One per thread; holds the last error's message. */
typedef struct nmrc_ctx nmrc_ctx;

/* Returns a new context, or NULL when out of memory.  Free it with
** nmrc_ctx_destroy. */
nmrc_ctx *nmrc_ctx_create(void);

/* Frees the context; accepts NULL. */
void nmrc_ctx_destroy(nmrc_ctx *ctx);

/* Records status and a printf-style message in ctx (ctx may be NULL) and
** returns status, so callers write `return nmrc_ctx_error(ctx, NMRC_EINVAL,
** "...")`.  Messages of any length are kept (a long one, such as every
** diagnostic of a spec, in a heap buffer; truncated to 1023 bytes only when
** that allocation fails). */
nmrc_status nmrc_ctx_error(nmrc_ctx *ctx, nmrc_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A source position for an error about a spec construct: index into the
** model's file table (nmrc_model.files), 1-based line and column, length in
** bytes (the same numbers as nmrc_span in nmrc/model.h). */
typedef struct nmrc_errpos {
    unsigned file, line, col, len;
} nmrc_errpos;

/* As nmrc_ctx_error, and attaches the source position pos to the error
** (nmrc_ctx_error and nmrc_ctx_clear drop it).  The message is the bare
** text; nmrc_ctx_errmsg returns it prefixed with "PATH:LINE:COL: " when
** path is not NULL (the file's name), else as it is.  A front end formats
** the position as a spec diagnostic (nmrc_spec_format_error). */
nmrc_status nmrc_ctx_error_at(nmrc_ctx *ctx, nmrc_status status, nmrc_errpos pos,
                              const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Returns nonzero if the last error carries a source position (line > 0),
** writing it to *pos and the message without a "PATH:LINE:COL: " prefix to
** *text (owned by ctx; either pointer may be NULL). */
int nmrc_ctx_errpos(const nmrc_ctx *ctx, nmrc_errpos *pos, const char **text);

/* Returns the last message recorded in ctx ("" if none).  The string is
** owned by ctx and valid until the next error or nmrc_ctx_destroy. */
const char *nmrc_ctx_errmsg(const nmrc_ctx *ctx);

/* Returns the last status recorded in ctx (NMRC_OK if none). */
NMRC_NODISCARD nmrc_status nmrc_ctx_status(const nmrc_ctx *ctx);

/* Clears the recorded error. */
void nmrc_ctx_clear(nmrc_ctx *ctx);

/* Returns a static English description of a status code. */
const char *nmrc_strerror(nmrc_status status);

/* Returns the library version string, e.g. "0.1.0" (static). */
const char *nmrc_version(void);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_STATUS_H */
