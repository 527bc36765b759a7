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
    char *msg;            /* last message, NUL-terminated: fixed, or big when longer */
    char fixed[1024];
    char *big;            /* heap buffer for long messages (spec diagnostics), or NULL */
    size_t big_size;
};

nmrc_ctx *nmrc_ctx_create(void)
{
    nmrc_ctx *ctx = calloc(1, sizeof(nmrc_ctx));
    if (ctx)
        ctx->msg = ctx->fixed;
    return ctx;
}

void nmrc_ctx_destroy(nmrc_ctx *ctx)
{
    if (ctx)
        free(ctx->big);
    free(ctx);
}

nmrc_status nmrc_ctx_error(nmrc_ctx *ctx, nmrc_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap, ap2;
        va_start(ap, fmt);
        va_copy(ap2, ap);
        int n = vsnprintf(ctx->fixed, sizeof ctx->fixed, fmt, ap);
        va_end(ap);
        ctx->msg = ctx->fixed;
        if (n >= (int)sizeof ctx->fixed) { /* long: a heap buffer, else truncated */
            if ((size_t)n >= ctx->big_size) {
                char *b = realloc(ctx->big, (size_t)n + 1);
                if (b)
                    ctx->big = b, ctx->big_size = (size_t)n + 1;
            }
            if ((size_t)n < ctx->big_size) {
                vsnprintf(ctx->big, ctx->big_size, fmt, ap2);
                ctx->msg = ctx->big;
            }
        }
        va_end(ap2);
        ctx->status = status;
    }
    return status;
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
        ctx->msg = ctx->fixed;
        ctx->fixed[0] = '\0';
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
