/*
** status.c: the error context (nmrc_ctx) and status-code descriptions.
** A context records the last error, of any length (spec diagnostics run to
** many lines), with its source position when it has one; functions report
** through nmrc_ctx_error / nmrc_ctx_error_at, the funnel to break on.
*/
#include "nmrc/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct nmrc_ctx {
    nmrc_status status;   /* last status recorded */
    char *msg;            /* last message, NUL-terminated: `fixed` or `big` */
    char fixed[1024];
    char *big;            /* heap buffer for long messages, or NULL */
    size_t big_size;
    nmrc_errpos pos;      /* its source position (line 0: none) */
    size_t text;          /* offset of the bare text in msg */
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

/* Sets msg to prefix + the formatted text; a message longer than `fixed`
** goes to the heap buffer (truncated to `fixed` if that cannot grow). */
static void set_msg(nmrc_ctx *ctx, const char *prefix, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int k = snprintf(ctx->fixed, sizeof ctx->fixed, "%s", prefix);
    size_t off = k > 0 && (size_t)k < sizeof ctx->fixed ? (size_t)k : 0;
    int n = vsnprintf(ctx->fixed + off, sizeof ctx->fixed - off, fmt, ap);
    ctx->msg = ctx->fixed;
    ctx->text = off;
    size_t need = off + (n > 0 ? (size_t)n : 0) + 1;
    if (need > sizeof ctx->fixed) {
        if (need > ctx->big_size) {
            char *b = realloc(ctx->big, need);
            if (b)
                ctx->big = b, ctx->big_size = need;
        }
        if (need <= ctx->big_size) {
            snprintf(ctx->big, ctx->big_size, "%s", prefix);
            vsnprintf(ctx->big + off, ctx->big_size - off, fmt, ap2);
            ctx->msg = ctx->big;
        }
    }
    va_end(ap2);
}

nmrc_status nmrc_ctx_error(nmrc_ctx *ctx, nmrc_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        set_msg(ctx, "", fmt, ap);
        va_end(ap);
        ctx->status = status;
        ctx->pos = (nmrc_errpos){0, 0, 0, 0};
    }
    return status;
}

nmrc_status nmrc_ctx_error_at(nmrc_ctx *ctx, nmrc_status status, nmrc_errpos pos,
                              const char *path, const char *fmt, ...)
{
    if (ctx) {
        char prefix[1024] = "";
        if (path)
            snprintf(prefix, sizeof prefix, "%s:%u:%u: ", path, pos.line, pos.col);
        va_list ap;
        va_start(ap, fmt);
        set_msg(ctx, prefix, fmt, ap);
        va_end(ap);
        ctx->status = status;
        ctx->pos = pos;
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
        ctx->msg = ctx->fixed;
        ctx->fixed[0] = '\0';
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
