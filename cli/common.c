/*
** common.c: helpers the subcommands share: help handling, loading an input
** through the run API with its failure on stderr, --sweep ranges, CSV
** numbers, atomic output files (temporary file + rename) and the terminal
** progress bar.
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

int nmrc_cli_is_xml(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcmp(path + n - 4, ".xml");
}

int nmrc_cli_fail(const char *cmd, nmrc_status st, const nmrc_ctx *ctx)
{
    const char *msg = ctx ? nmrc_ctx_errmsg(ctx) : "";
    if (st == NMRC_ESYNTAX && *msg)
        fputs(msg, stderr);
    else
        fprintf(stderr, "nmrc%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
                *msg ? msg : nmrc_strerror(st));
    return 1;
}

nmrc_run_input *nmrc_cli_load(const char *path, const char *spec_path, const char *const *sets,
                              size_t n_sets, unsigned flags)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    nmrc_status st = ctx ? nmrc_run_load(path, spec_path, sets, n_sets, flags, ctx, &in)
                         : NMRC_ENOMEM;
    if (st != NMRC_OK)
        nmrc_cli_fail(NULL, st, ctx);
    nmrc_ctx_destroy(ctx);
    return in;
}

nmrc_model *nmrc_cli_load_model(const char *path, const char *const *sets, size_t n_sets)
{
    nmrc_run_input *in = nmrc_cli_load(path, NULL, sets, n_sets, NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_ctx *ctx = in ? nmrc_ctx_create() : NULL;
    nmrc_model *m = NULL;
    nmrc_status st = in ? (ctx ? nmrc_run_resolve(in, ctx, &m) : NMRC_ENOMEM) : NMRC_OK;
    if (st != NMRC_OK)
        nmrc_cli_fail(NULL, st, ctx);
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
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
    sw->sw.name = sw->name;
    sw->sw.start = strtod(eq + 1, &end);
    if (*end != ':')
        goto bad;
    sw->sw.stop = strtod(end + 1, &end);
    if (*end != ':')
        goto bad;
    errno = 0;
    long long n = strtoll(end + 1, &end, 10);
    if (*end || errno || n < 1 || n > 100000000 || !isfinite(sw->sw.start) ||
        !isfinite(sw->sw.stop))
        goto bad;
    sw->sw.n = (size_t)n;
    return 0;
bad:
    fprintf(stderr, "nmrc: bad --sweep '%s' (expected NAME=START:STOP:N, N >= 1)\n", arg);
    return 1;
}

void nmrc_cli_num(FILE *fp, double x, int last)
{
    if (isnan(x))
        fputs("nan", fp);
    else if (x == 0)
        fputc('0', fp); /* also for -0 */
    else
        fprintf(fp, "%.12g", x);
    fputc(last ? '\n' : ',', fp);
}

size_t nmrc_cli_argmax(const double *x, size_t n)
{
    size_t b = 0;
    for (size_t k = 1; k < n; k++)
        if (x[k] > x[b])
            b = k;
    return b;
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

void nmrc_cli_progress_fn(size_t done, size_t total, void *user)
{
    (void)user;
    nmrc_cli_progress(done, total);
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
