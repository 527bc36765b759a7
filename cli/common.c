/*
** common.c: helpers the subcommands share: help handling, loading and
** resolving a spec with diagnostics on stderr, --sweep ranges, atomic
** output files (temporary file + rename) and the terminal progress bar.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"

int nmrc_cli_want_help(int argc, char **argv, const char *help)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, stdout);
            return 1;
        }
    return 0;
}

static void print_diags(const nmrc_spec *spec)
{
    size_t n = nmrc_spec_diag_count(spec);
    for (size_t i = 0; i < n; i++)
        fputs(nmrc_spec_diag_text(spec, i), stderr);
    if (n >= NMRC_MAX_DIAGS)
        fprintf(stderr, "nmrc: too many errors; stopped after the first %d\n", NMRC_MAX_DIAGS);
}

nmrc_spec *nmrc_cli_load_spec(const char *path)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_status st = ctx ? nmrc_spec_parse_file(path, ctx, &spec) : NMRC_ENOMEM;
    if (st == NMRC_ESYNTAX && spec) {
        print_diags(spec);
        nmrc_spec_destroy(spec);
        spec = NULL;
    } else if (st != NMRC_OK) {
        fprintf(stderr, "nmrc: %s: %s\n", path, ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
        nmrc_spec_destroy(spec);
        spec = NULL;
    }
    nmrc_ctx_destroy(ctx);
    return spec;
}

int nmrc_cli_apply_set(nmrc_spec *spec, const char *arg)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = ctx ? nmrc_spec_set_arg(spec, arg, ctx) : NMRC_ENOMEM;
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc: --set %s: %s\n", arg, ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
    nmrc_ctx_destroy(ctx);
    return st != NMRC_OK;
}

nmrc_model *nmrc_cli_resolve(nmrc_spec *spec)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_model *m = NULL;
    nmrc_status st = ctx ? nmrc_spec_resolve(spec, ctx, &m) : NMRC_ENOMEM;
    if (st == NMRC_ESYNTAX)
        print_diags(spec);
    else if (st != NMRC_OK)
        fprintf(stderr, "nmrc: %s\n", ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
    nmrc_spec_diag_clear(spec);
    nmrc_ctx_destroy(ctx);
    return st == NMRC_OK ? m : NULL;
}

nmrc_spec *nmrc_cli_load_spec_sets(const char *path, const char *const *sets, size_t n_sets)
{
    nmrc_spec *spec = nmrc_cli_load_spec(path);
    if (!spec)
        return NULL;
    for (size_t i = 0; i < n_sets; i++)
        if (nmrc_cli_apply_set(spec, sets[i])) {
            nmrc_spec_destroy(spec);
            return NULL;
        }
    return spec;
}

nmrc_model *nmrc_cli_load_model(const char *path, const char *const *sets, size_t n_sets)
{
    nmrc_spec *spec = nmrc_cli_load_spec_sets(path, sets, n_sets);
    if (!spec)
        return NULL;
    nmrc_model *m = nmrc_cli_resolve(spec);
    nmrc_spec_destroy(spec);
    return m;
}

int nmrc_cli_parse_sweep(const char *arg, nmrc_cli_sweep *sw)
{
    const char *eq = strchr(arg, '=');
    char *end;
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof sw->name)
        goto bad;
    memcpy(sw->name, arg, (size_t)(eq - arg));
    sw->name[eq - arg] = '\0';
    sw->start = strtod(eq + 1, &end);
    if (*end != ':')
        goto bad;
    sw->stop = strtod(end + 1, &end);
    if (*end != ':')
        goto bad;
    errno = 0;
    long long n = strtoll(end + 1, &end, 10);
    if (*end || errno || n < 1 || n > 100000000 || !isfinite(sw->start) || !isfinite(sw->stop))
        goto bad;
    sw->n = (size_t)n;
    return 0;
bad:
    fprintf(stderr, "nmrc: bad --sweep '%s' (expected NAME=START:STOP:N, N >= 1)\n", arg);
    return 1;
}

double nmrc_cli_sweep_value(const nmrc_cli_sweep *sw, size_t k)
{
    if (sw->n < 2)
        return sw->start;
    return sw->start + (sw->stop - sw->start) * (double)k / (double)(sw->n - 1);
}

int nmrc_cli_out_open(nmrc_cli_out *out, const char *path)
{
    memset(out, 0, sizeof *out);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = ctx ? nmrc_io_out_open(path, NMRC_IO_OUT_INPLACE, ctx, &out->io)
                         : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        fprintf(stderr, "nmrc: %s\n", ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
        nmrc_ctx_destroy(ctx);
        return 1;
    }
    nmrc_ctx_destroy(ctx);
    out->fp = nmrc_io_out_stream(out->io);
    return 0;
}

int nmrc_cli_out_commit(nmrc_cli_out *out)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = nmrc_io_out_commit(out->io, ctx);
    out->io = NULL;
    out->fp = NULL;
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc: %s\n", ctx ? nmrc_ctx_errmsg(ctx) : "cannot write output");
    nmrc_ctx_destroy(ctx);
    return st != NMRC_OK;
}

void nmrc_cli_out_abort(nmrc_cli_out *out)
{
    nmrc_io_out_abort(out->io);
    out->io = NULL;
    out->fp = NULL;
}

void nmrc_cli_progress(size_t done, size_t total)
{
    static struct timespec t0;
    static int started, shown;
    struct timespec now;
    if (!isatty(STDERR_FILENO) || total == 0)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!started || done == 0) {
        t0 = now;
        started = 1;
        shown = 0;
    }
    double el = (double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec);
    if (el < 1.0 && !shown)
        return;
    shown = 1;
    int w = 40, k = (int)((double)w * (double)done / (double)total);
    fprintf(stderr, "\r[%.*s%*s] %3d%%", k, "========================================", w - k, "",
            (int)(100.0 * (double)done / (double)total));
    if (done >= total) {
        fputc('\n', stderr);
        started = 0;
    }
}
