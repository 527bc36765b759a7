/*
** fuzz_fidio.c: libFuzzer target for the FID file readers: the JCAMP-DX
** spectrum reader and the Bruker acqus + fid reader.  Byte 0 selects the
** reader; for Bruker the rest is split at the first NUL into acqus and fid.
** Any input must be rejected cleanly or read; what the JCAMP reader accepts
** must survive write -> read with the same abscissae.
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put(const char *name, const uint8_t *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (n && fwrite(p, 1, n, fp) != n)
        abort();
    fclose(fp);
}

static void jcamp(const uint8_t *p, size_t n, nmrc_ctx *ctx)
{
    char path[128];
    double *x, *y;
    size_t m;
    put("s.jdx", p, n);
    snprintf(path, sizeof path, "%s/s.jdx", dir);
    if (nmrc_jcamp_read_spectrum(path, &x, &y, &m, ctx) != NMRC_OK)
        return;
    int finite = m >= 2;
    for (size_t k = 0; k < m; k++)
        finite &= isfinite(x[k]) && isfinite(y[k]);
    if (finite && nmrc_jcamp_write_spectrum(path, "fuzz", "1H", 400, x, y, m, ctx) == NMRC_OK) {
        double *x2, *y2;
        size_t m2;
        if (nmrc_jcamp_read_spectrum(path, &x2, &y2, &m2, ctx) != NMRC_OK || m2 != m)
            abort();
        free(x2);
        free(y2);
    }
    free(x);
    free(y);
}

static void bruker(const uint8_t *p, size_t n, nmrc_ctx *ctx)
{
    const uint8_t *nul = memchr(p, 0, n);
    size_t a = nul ? (size_t)(nul - p) : n;
    put("acqus", p, a);
    put("fid", nul ? nul + 1 : p + n, nul ? n - a - 1 : 0);
    nmrc_bruker ds;
    if (nmrc_bruker_read(dir, &ds, ctx) == NMRC_OK && (!ds.fid || ds.td < 1))
        abort();
    nmrc_bruker_free(&ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/nmrc_fuzz_fidio_%ld", (long)getpid());
        if (nmrc_io_mkdirs(dir, NULL) != NMRC_OK)
            abort();
    }
    if (size < 1)
        return 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (data[0] & 1)
        bruker(data + 1, size - 1, ctx);
    else
        jcamp(data + 1, size - 1, ctx);
    nmrc_ctx_destroy(ctx);
    return 0;
}
