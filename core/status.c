/*
** status.c: the error context (nmrc_ctx) and status-code descriptions.
** A context records the last error; functions report through
** nmrc_ctx_error, the one funnel to set a breakpoint on.
*/
#include "nmrc/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct nmrc_ctx {
    nmrc_status status;   /* last status recorded */
    char msg[1024];       /* last message, NUL-terminated */
    nmrc_errpos pos;      /* its source position (line 0: none) */
    size_t text;          /* offset of the bare text in msg */
};

nmrc_ctx *nmrc_ctx_create(void)
{
    return calloc(1, sizeof(nmrc_ctx));
}

void nmrc_ctx_destroy(nmrc_ctx *ctx)
{
    free(ctx);
}

nmrc_status nmrc_ctx_error(nmrc_ctx *ctx, nmrc_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
        va_end(ap);
        ctx->status = status;
        ctx->pos = (nmrc_errpos){0, 0, 0, 0};
        ctx->text = 0;
    }
    return status;
}

nmrc_status nmrc_ctx_error_at(nmrc_ctx *ctx, nmrc_status status, nmrc_errpos pos,
                              const char *path, const char *fmt, ...)
{
    if (ctx) {
        int k = path ? snprintf(ctx->msg, sizeof ctx->msg, "%s:%u:%u: ", path, pos.line, pos.col)
                     : 0;
        size_t off = k > 0 && (size_t)k < sizeof ctx->msg ? (size_t)k : 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->msg + off, sizeof ctx->msg - off, fmt, ap);
        va_end(ap);
        ctx->status = status;
        ctx->pos = pos;
        ctx->text = off;
    }
    return status;
}

int nmrc_ctx_errpos(const nmrc_ctx *ctx, nmrc_errpos *pos, const char **text)
{
    if (!ctx || ctx->pos.line == 0)
        return 0;
    if (pos)
        *pos = ctx->pos;
    if (text)
        *text = ctx->msg + ctx->text;
    return 1;
}

const char *nmrc_ctx_errmsg(const nmrc_ctx *ctx)
{
    return ctx ? ctx->msg : "";
}

nmrc_status nmrc_ctx_status(const nmrc_ctx *ctx)
{
    return ctx ? ctx->status : NMRC_OK;
}

void nmrc_ctx_clear(nmrc_ctx *ctx)
{
    if (ctx) {
        ctx->status = NMRC_OK;
        ctx->msg[0] = '\0';
        ctx->pos = (nmrc_errpos){0, 0, 0, 0};
        ctx->text = 0;
    }
}

static const char *const status_text[] = {
    [NMRC_OK] = "success",
    [NMRC_EINVAL] = "invalid argument",
    [NMRC_ENOMEM] = "out of memory",
    [NMRC_EBADLEN] = "sizes not conformant",
    [NMRC_ESYNTAX] = "spec has errors",
    [NMRC_ENOTFOUND] = "not found",
    [NMRC_EIO] = "input/output error",
    [NMRC_ELAPACK] = "LAPACK failure",
    [NMRC_EFFTW] = "FFTW planning failure",
    [NMRC_EXML] = "invalid XML",
    [NMRC_ENOTSUP] = "not supported",
    [NMRC_ENUMERIC] = "numerical failure",
    [NMRC_ELIMIT] = "size limit exceeded",
};

const char *nmrc_strerror(nmrc_status status)
{
    if ((unsigned)status < sizeof status_text / sizeof status_text[0] && status_text[status])
        return status_text[status];
    return "unknown status";
}

const char *nmrc_version(void)
{
    return NMRC_VERSION_STRING;
}
