/*
** bruker.c: Bruker 1-D datasets.  Writes a folder with acqus (JCAMP-DX
** parameters), fid (float64 little endian, re/im interleaved, DTYPA = 2,
** BYTORDA = 0, GRPDLY = 0: no digital filter), pulseprogram and
** pdata/1/procs, every file atomically; reads acqus + fid back (int32 or
** float64, either byte order).  Also the commit of a memstream text
** (dataset_impl.h) through core's atomic write.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset_impl.h"
#include "nmrc/io.h"

#define BRUKER_MAX_TD ((size_t)1 << 26)
#define BRUKER_MAX_ACQUS ((size_t)16 << 20) /* bytes of an acqus file */

nmrc_status nmrc_io_commit_text(FILE *fp, char **text, const char *path, nmrc_ctx *ctx)
{
    if (fclose(fp) != 0 || !*text) {
        free(*text);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    nmrc_status st = nmrc_io_write_atomic(path, *text, strlen(*text), ctx);
    free(*text);
    return st;
}

/* Writes text held by a memstream-like buffer to dir/name atomically. */
static NMRC_NODISCARD nmrc_status write_text(const char *dir, const char *name, const char *text,
                              nmrc_ctx *ctx)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "path too long: %s/%s", dir, name);
    return nmrc_io_write_atomic(path, text, strlen(text), ctx);
}

static NMRC_NODISCARD nmrc_status write_acqus(const char *dir, const nmrc_bruker *ds, nmrc_ctx *ctx)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    double sw_ppm = ds->sfo1 > 0 ? ds->sw_h / ds->sfo1 : 0;
    fprintf(fp, "##TITLE= Parameter file, nmrc %s\n##JCAMPDX= 5.0\n"
                "##DATATYPE= Parameter Values\n##ORIGIN= nmrc simulation\n##OWNER= nmrc\n"
                "$$ simulated FID: no digital filter (GRPDLY = 0), float64 data (DTYPA = 2)\n",
            nmrc_version());
    fprintf(fp, "##$AQ_mod= 3\n##$BF1= %.12g\n##$BYTORDA= 0\n##$DECIM= 1\n##$DIGMOD= 0\n"
                "##$DS= 0\n##$DSPFVS= 20\n##$DTYPA= 2\n##$GRPDLY= 0\n##$NS= %d\n"
                "##$NUC1= <%s>\n##$O1= %.12g\n##$PARMODE= 0\n##$PULPROG= <%s>\n##$RG= 1\n"
                "##$SFO1= %.12g\n##$SW= %.12g\n##$SW_h= %.17g\n##$TD= %zu\n##$TE= 298\n"
                "##END=\n",
            ds->bf1, ds->ns > 0 ? ds->ns : 1, ds->nuc1, ds->o1,
            ds->pulprog[0] ? ds->pulprog : "zg", ds->sfo1, sw_ppm, ds->sw_h, 2 * ds->td);
    if (fclose(fp) != 0 || !text) {
        free(text);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    nmrc_status st = write_text(dir, "acqus", text, ctx);
    free(text);
    return st;
}

static void put_le64(unsigned char *p, double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(u >> (8 * k));
}

static NMRC_NODISCARD nmrc_status write_fid(const char *dir, const nmrc_bruker *ds, nmrc_ctx *ctx)
{
    unsigned char *buf = malloc(16 * ds->td);
    if (!buf)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    for (size_t k = 0; k < ds->td; k++) {
        put_le64(buf + 16 * k, creal(ds->fid[k]));
        put_le64(buf + 16 * k + 8, cimag(ds->fid[k]));
    }
    char path[4096];
    nmrc_status st;
    if (snprintf(path, sizeof path, "%s/fid", dir) >= (int)sizeof path)
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "path too long: %s", dir);
    else
        st = nmrc_io_write_atomic(path, buf, 16 * ds->td, ctx);
    free(buf);
    return st;
}

static NMRC_NODISCARD nmrc_status write_procs(const char *dir, const nmrc_bruker *ds, nmrc_ctx *ctx)
{
    char sub[4096], text[1024];
    size_t si = 1;
    while (si < ds->td)
        si <<= 1;
    if (snprintf(sub, sizeof sub, "%s/pdata/1", dir) >= (int)sizeof sub)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "path too long: %s", dir);
    nmrc_status st = nmrc_io_mkdirs(sub, ctx);
    if (st != NMRC_OK)
        return st;
    double offset = ds->sfo1 > 0 ? (ds->o1 + ds->sw_h / 2) / ds->sfo1 : 0;
    snprintf(text, sizeof text,
             "##TITLE= Parameter file, nmrc %s\n##JCAMPDX= 5.0\n##DATATYPE= Parameter Values\n"
             "##ORIGIN= nmrc simulation\n##OWNER= nmrc\n##$BYTORDP= 0\n##$DTYPP= 0\n"
             "##$FT_mod= 6\n##$GB= 0\n##$LB= 0\n##$OFFSET= %.12g\n##$PHC0= 0\n##$PHC1= 0\n"
             "##$PPARMOD= 0\n##$SF= %.12g\n##$SI= %zu\n##$SW_p= %.12g\n##$WDW= 1\n##END=\n",
             nmrc_version(), offset, ds->sfo1, si, ds->sw_h);
    return write_text(sub, "procs", text, ctx);
}

static const char default_pp[] =
    ";zg\n;nmrc: 1D sequence, one 90-degree pulse and acquisition\n"
    "#include <Avance.incl>\n\n1 ze\n2 d1\n  p1 ph1\n  go=2 ph31\n  30m mc #0 to 2 F0(zd)\n"
    "exit\n\nph1=0\nph31=0\n";

nmrc_status nmrc_bruker_write(const char *dir, const nmrc_bruker *ds, const char *pulseprogram,
                              nmrc_ctx *ctx)
{
    if (!dir || !ds || !ds->fid || ds->td < 1 || ds->td > BRUKER_MAX_TD || !(ds->sw_h > 0) ||
        !isfinite(ds->sw_h) || !isfinite(ds->sfo1) || !isfinite(ds->bf1) || !isfinite(ds->o1))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "bruker: bad dataset (td, sw_h, frequencies)");
    if (strpbrk(ds->nuc1, "<>\n") || strpbrk(ds->pulprog, "<>\n"))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "bruker: NUC1/PULPROG may not contain <, >");
    nmrc_status st = nmrc_io_mkdirs(dir, ctx);
    if (st == NMRC_OK)
        st = write_fid(dir, ds, ctx);
    if (st == NMRC_OK)
        st = write_acqus(dir, ds, ctx);
    if (st == NMRC_OK)
        st = write_text(dir, "pulseprogram", pulseprogram ? pulseprogram : default_pp, ctx);
    if (st == NMRC_OK)
        st = write_procs(dir, ds, ctx);
    return st;
}

int nmrc_jcamp_param(const char *text, const char *key, char *val, size_t size)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, "##$", 3) || strncmp(p + 3, key, kl) || p[3 + kl] != '=')
            continue;
        const char *v = p + 4 + kl;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t n = strcspn(v, "\r\n");
        if (n && *v == '<' && v[n - 1] == '>') {
            v++;
            n -= 2;
        }
        if (n >= size)
            n = size - 1;
        memcpy(val, v, n);
        val[n] = '\0';
        return 1;
    }
    return 0;
}

static int num_param(const char *text, const char *key, double *out)
{
    char v[64], *end;
    if (!nmrc_jcamp_param(text, key, v, sizeof v))
        return 0;
    double x = strtod(v, &end);
    if (end == v || !isfinite(x))
        return 0;
    *out = x;
    return 1;
}

static NMRC_NODISCARD nmrc_status parse_acqus(const char *text, nmrc_bruker *ds, nmrc_ctx *ctx)
{
    double td = 0, dt = 0, bo = 0, ns = 1;
    if (!num_param(text, "TD", &td) || !num_param(text, "SW_h", &ds->sw_h) ||
        !num_param(text, "SFO1", &ds->sfo1))
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "acqus: missing TD, SW_h or SFO1");
    num_param(text, "BF1", &ds->bf1);
    num_param(text, "O1", &ds->o1);
    num_param(text, "DTYPA", &dt);
    num_param(text, "BYTORDA", &bo);
    num_param(text, "GRPDLY", &ds->grpdly);
    num_param(text, "NS", &ns);
    nmrc_jcamp_param(text, "NUC1", ds->nuc1, sizeof ds->nuc1);
    nmrc_jcamp_param(text, "PULPROG", ds->pulprog, sizeof ds->pulprog);
    if (td < 2 || td != floor(td) || fmod(td, 2) != 0 || td / 2 > (double)BRUKER_MAX_TD ||
        !(ds->sw_h > 0) || (dt != 0 && dt != 2) || (bo != 0 && bo != 1))
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX,
                              "acqus: unsupported TD=%g, SW_h=%g, DTYPA=%g or BYTORDA=%g", td,
                              ds->sw_h, dt, bo);
    ds->td = (size_t)(td / 2);
    ds->dtypa = (int)dt;
    ds->bytorda = (int)bo;
    ds->ns = (int)ns;
    return NMRC_OK;
}

/* Decodes value k of the fid file (4 or 8 bytes, given byte order). */
static double get_value(const unsigned char *b, size_t k, int dtypa, int big)
{
    size_t w = dtypa == 2 ? 8 : 4;
    uint64_t u = 0;
    for (size_t j = 0; j < w; j++) {
        size_t src = big ? j : w - 1 - j;
        u = (u << 8) | b[k * w + src];
    }
    if (w == 4)
        return (double)(int32_t)(uint32_t)u;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

nmrc_status nmrc_bruker_read(const char *dir, nmrc_bruker *ds, nmrc_ctx *ctx)
{
    char path[4096];
    size_t len = 0, flen = 0;
    memset(ds, 0, sizeof *ds);
    if (snprintf(path, sizeof path, "%s/acqus", dir) >= (int)sizeof path)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "path too long: %s", dir);
    char *text = NULL;
    nmrc_status st = nmrc_io_read_file(path, BRUKER_MAX_ACQUS, ctx, &text, &len);
    if (st != NMRC_OK)
        return st == NMRC_ENOTFOUND ? NMRC_EIO : st; /* a dataset without acqus */
    st = parse_acqus(text, ds, ctx);
    free(text);
    if (st != NMRC_OK)
        return st;
    snprintf(path, sizeof path, "%s/fid", dir);
    char *rawtext = NULL;
    st = nmrc_io_read_file(path, 16 * BRUKER_MAX_TD + 1024, ctx, &rawtext, &flen);
    if (st != NMRC_OK)
        return st == NMRC_ENOTFOUND ? NMRC_EIO : st;
    unsigned char *raw = (unsigned char *)rawtext;
    size_t w = ds->dtypa == 2 ? 8 : 4, need = 2 * ds->td * w;
    if (flen < need || flen >= need + 1024) {
        free(raw);
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "%s: %zu bytes, TD = %zu needs %zu", path,
                              flen, 2 * ds->td, need);
    }
    ds->fid = malloc(ds->td * sizeof *ds->fid);
    if (!ds->fid) {
        free(raw);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < ds->td; k++)
        ds->fid[k] = get_value(raw, 2 * k, ds->dtypa, ds->bytorda) +
                     I * get_value(raw, 2 * k + 1, ds->dtypa, ds->bytorda);
    free(raw);
    return NMRC_OK;
}

void nmrc_bruker_free(nmrc_bruker *ds)
{
    if (!ds)
        return;
    free(ds->fid);
    ds->fid = NULL;
}
