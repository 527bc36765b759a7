/*
** gen_library.c: writes the sequence library sequences/<name>.xml from the
** built-in builders (nmrc_library_build) with the figures `nmrc
** analyze` reports recorded in each file, or with --check verifies that the
** committed files are exactly what the builders produce today (a ctest).
** Usage: nmrc_gen_library --write DIR | --check DIR
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/compile.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"

/* A library call that must succeed here: on failure the program stops with
** the status (a benchmark or generator has nothing sensible to go on with). */
#define NMRC_BENCH_OK(call)                                                        \
    do {                                                                           \
        nmrc_status st_ = (call);                                                  \
        if (st_ != NMRC_OK) {                                                      \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, nmrc_strerror(st_)); \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

/* x to 6 significant digits, and 0 below `floor` (numerical noise), so
** that the files do not depend on the last bits of LAPACK. */
static double tidy(double x, double floor)
{
    char buf[32];
    if (fabs(x) < floor)
        return 0;
    snprintf(buf, sizeof buf, "%.6g", x);
    return strtod(buf, NULL);
}

/* Records the analyzer's main figures in seq. */
static int add_figures(nmrc_seq *seq, nmrc_ctx *ctx)
{
    nmrc_analysis *an = NULL;
    if (nmrc_analyze(seq, NULL, ctx, &an) != NMRC_OK)
        return 1;
    const double deg = 180 / NMRC_PI, kappa = fabs(an->kappa);
    NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "net_angle_f1", tidy(an->whole.net_angle[0] * deg, 1e-6), "deg"));
    NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "net_angle_f2", tidy(an->whole.net_angle[1] * deg, 1e-6), "deg"));
    if (an->whole.closed[0] && an->whole.closed[1]) {   /* AHT figures of closed cycles */
        NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "efficiency", tidy(an->whole.efficiency, 1e-9), ""));
        NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "h1_norm", tidy(an->whole.h1_norm, 1e-9 * kappa), "rad/s"));
    }
    if (an->has_target && !isnan(an->fidelity_delta))
        NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "fidelity_delta", tidy(an->fidelity_delta, 0), ""));
    if (an->has_target && !isnan(an->fidelity_finite))
        NMRC_BENCH_OK(nmrc_seq_set_figure(seq, "fidelity_finite", tidy(an->fidelity_finite, 0), ""));
    nmrc_analysis_destroy(an);
    return 0;
}

/* Reads a whole file into a new buffer; NULL if it cannot be read. */
static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0, k;
    char *p = malloc(cap);
    while (p && (k = fread(p + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) {
            char *q = realloc(p, cap *= 2);
            if (!q)
                free(p);
            p = q;
        }
    }
    fclose(fp);
    *len = n;
    return p;
}

/* Writes or checks one library file; returns 0 when fine. */
static int one(const char *name, const char *dir, int check, nmrc_ctx *ctx)
{
    nmrc_seq *seq = NULL;
    char *xml = NULL, path[4096];
    size_t len = 0;
    if (nmrc_library_build(name, ctx, &seq) || add_figures(seq, ctx) ||
        nmrc_xml_write_buffer(seq, &xml, &len, ctx)) {
        fprintf(stderr, "%s: %s\n", name, nmrc_ctx_errmsg(ctx));
        nmrc_seq_destroy(seq);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.xml", dir, name);
    int bad = 0;
    if (check) {
        size_t old_len = 0;
        char *old = read_all(path, &old_len);
        bad = !old || old_len != len || memcmp(old, xml, len) != 0;
        if (bad)
            fprintf(stderr, "%s is out of date: run nmrc_gen_library --write %s\n", path, dir);
        free(old);
    } else if (nmrc_xml_write_file(seq, path, ctx) != NMRC_OK) {
        fprintf(stderr, "%s\n", nmrc_ctx_errmsg(ctx));
        bad = 1;
    }
    free(xml);
    nmrc_seq_destroy(seq);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "--write") != 0 && strcmp(argv[1], "--check") != 0)) {
        fprintf(stderr, "usage: nmrc_gen_library --write DIR | --check DIR\n");
        return 2;
    }
    int check = strcmp(argv[1], "--check") == 0, bad = 0, n = 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    for (size_t k = 0; nmrc_library_name(k); k++, n++)
        bad |= one(nmrc_library_name(k), argv[2], check, ctx);
    nmrc_ctx_destroy(ctx);
    printf("%s %d library sequences%s\n", check ? "checked" : "wrote", n, bad ? " (FAILED)" : "");
    return bad;
}
