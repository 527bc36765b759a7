/*
** jcamp.c: JCAMP-DX 5.01 spectra.  Writes ##DATA TYPE= NMR SPECTRUM with
** XYDATA=(X++(Y..Y)) in AFFN form (integer ordinates times YFACTOR), the
** form every JCAMP reader accepts; reads that form and (XY..XY) back.
*/
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_impl.h"
#include "nmrc/fid.h"

#define JCAMP_PER_LINE 8        /* ordinates per XYDATA line (lines < 80 chars) */
#define JCAMP_MAX_BYTES ((size_t)256 << 20) /* largest spectrum file read */
#define JCAMP_YMAX 1e9          /* largest integer ordinate written */

static void write_header(FILE *fp, const char *title, const char *nucleus, double sfo1,
                         const double *x, size_t n, double yfactor, double y0)
{
    fprintf(fp, "##TITLE= %s\n##JCAMP-DX= 5.01\n##DATA TYPE= NMR SPECTRUM\n"
                "##DATA CLASS= XYDATA\n##ORIGIN= nmrc %s (simulation)\n##OWNER= public\n",
            title, nmrc_version());
    if (nucleus && *nucleus)
        fprintf(fp, "##.OBSERVE NUCLEUS= ^%s\n", nucleus);
    if (sfo1 > 0)
        fprintf(fp, "##.OBSERVE FREQUENCY= %.12g\n", sfo1);
    fprintf(fp, "##XUNITS= HZ\n##YUNITS= ARBITRARY UNITS\n##XFACTOR= 1\n##YFACTOR= %.10e\n"
                "##FIRSTX= %.10f\n##LASTX= %.10f\n##DELTAX= %.12g\n##NPOINTS= %zu\n"
                "##FIRSTY= %.10e\n##XYDATA= (X++(Y..Y))\n",
            yfactor, x[0], x[n - 1], n > 1 ? (x[n - 1] - x[0]) / (double)(n - 1) : 0.0, n, y0);
}

nmrc_status nmrc_jcamp_write_spectrum(const char *path, const char *title, const char *nucleus,
                                      double sfo1_mhz, const double *x, const double *y,
                                      size_t n, nmrc_ctx *ctx)
{
    if (!path || !x || !y || n < 2)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "jcamp: need at least 2 points");
    double ymax = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "jcamp: point %zu is not finite", k);
        ymax = fmax(ymax, fabs(y[k]));
    }
    if (title && strchr(title, '\n'))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "jcamp: title has a newline");
    double yf = ymax > 0 ? ymax / JCAMP_YMAX : 1.0;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    write_header(fp, title ? title : "nmrc spectrum", nucleus, sfo1_mhz, x, n, yf,
                 nearbyint(y[0] / yf) * yf);
    for (size_t k = 0; k < n; k += JCAMP_PER_LINE) {
        fprintf(fp, "%.10f", x[k]);
        for (size_t j = k; j < n && j < k + JCAMP_PER_LINE; j++)
            fprintf(fp, " %.0f", nearbyint(y[j] / yf));
        fputc('\n', fp);
    }
    fputs("##END=\n", fp);
    return nmrc_io_commit_text(fp, &text, path, ctx);
}

/* Normalizes a label (JCAMP: case, spaces, '-', '/', '_' are insignificant). */
static void norm_label(const char *s, size_t n, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++)
        if (!strchr(" -/_\t", s[i]))
            out[k++] = (char)toupper((unsigned char)s[i]);
    out[k] = '\0';
}

typedef struct jc_hdr {
    double firstx, lastx, xfactor, yfactor;
    size_t npoints;
    int have_first, have_last, have_n;
    int form;                   /* 1 = X++(Y..Y), 2 = (XY..XY) */
    const char *data;           /* first byte after the data label's line */
} jc_hdr;

static void header_value(jc_hdr *h, const char *lab, const char *v, const char *eol)
{
    if (!strcmp(lab, "FIRSTX"))
        h->have_first = sscanf(v, "%lf", &h->firstx) == 1;
    else if (!strcmp(lab, "LASTX"))
        h->have_last = sscanf(v, "%lf", &h->lastx) == 1;
    else if (!strcmp(lab, "XFACTOR"))
        sscanf(v, "%lf", &h->xfactor);
    else if (!strcmp(lab, "YFACTOR"))
        sscanf(v, "%lf", &h->yfactor);
    else if (!strcmp(lab, "NPOINTS")) {
        unsigned long long u;
        h->have_n = sscanf(v, "%llu", &u) == 1 && u >= 1 && u <= ((size_t)1 << 26);
        h->npoints = h->have_n ? (size_t)u : 0;
    } else if (!strcmp(lab, "XYDATA") || !strcmp(lab, "XYPOINTS")) {
        char form[32];
        norm_label(v, (size_t)(eol - v), form, sizeof form);
        h->form = !strcmp(form, "(X++(Y..Y))") ? 1 : !strcmp(form, "(XY..XY)") ? 2 : 0;
        h->data = *eol ? eol + 1 : eol;
    }
}

/* Scans the labelled header up to the data table. */
static NMRC_NODISCARD nmrc_status scan_header(const char *text, jc_hdr *h, nmrc_ctx *ctx)
{
    memset(h, 0, sizeof *h);
    h->xfactor = h->yfactor = 1;
    for (const char *p = text; *p && !h->data;) {
        const char *eol = p + strcspn(p, "\n");
        if (p[0] == '#' && p[1] == '#') {
            const char *eq = memchr(p, '=', (size_t)(eol - p));
            if (eq) {
                char lab[40];
                norm_label(p + 2, (size_t)(eq - p - 2), lab, sizeof lab);
                header_value(h, lab, eq + 1, eol);
            }
        }
        p = *eol ? eol + 1 : eol;
    }
    if (!h->data || !h->form)
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "jcamp: no XYDATA=(X++(Y..Y)) or "
                              "XYPOINTS=(XY..XY) table");
    if (h->form == 1 && !(h->have_first && h->have_last && h->have_n))
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "jcamp: FIRSTX, LASTX or NPOINTS missing");
    return NMRC_OK;
}

/* Reads the numbers of one table line (AFFN/PAC: separators are blanks,
** commas, semicolons and signs). */
static size_t line_numbers(const char *p, const char *eol, double *v, size_t max, int *bad)
{
    size_t k = 0;
    while (p < eol) {
        if (strchr(" \t\r,;", *p)) {
            p++;
            continue;
        }
        char *end;
        double x = strtod(p, &end);
        if (end == p || end > eol || k == max) {
            *bad = 1;
            return k;
        }
        v[k++] = x;
        p = end;
    }
    return k;
}

static NMRC_NODISCARD nmrc_status read_table(const jc_hdr *h, double *x, double *y, size_t cap, size_t *n,
                              nmrc_ctx *ctx)
{
    double v[64];
    size_t k = 0;
    int bad = 0;
    for (const char *p = h->data; *p && !(p[0] == '#' && p[1] == '#') && !bad;) {
        const char *eol = p + strcspn(p, "\n");
        size_t m = line_numbers(p, eol, v, 64, &bad);
        if (h->form == 1)
            for (size_t j = 1; j < m && k < cap; j++)
                y[k++] = v[j] * h->yfactor;
        else
            for (size_t j = 0; j + 1 < m && k < cap; j += 2, k++) {
                x[k] = v[j] * h->xfactor;
                y[k] = v[j + 1] * h->yfactor;
            }
        p = *eol ? eol + 1 : eol;
    }
    if (bad || (h->form == 1 && k != h->npoints) || k == 0)
        return nmrc_ctx_error(ctx, NMRC_ESYNTAX, "jcamp: bad data table (%zu values read)", k);
    if (h->form == 1)
        for (size_t j = 0; j < k; j++)
            x[j] = k > 1 ? h->firstx + (h->lastx - h->firstx) * (double)j / (double)(k - 1)
                         : h->firstx;
    *n = k;
    return NMRC_OK;
}

nmrc_status nmrc_jcamp_read_spectrum(const char *path, double **x, double **y, size_t *n,
                                     nmrc_ctx *ctx)
{
    *x = *y = NULL;
    *n = 0;
    char *text = NULL;
    size_t len = 0;
    nmrc_status rd = nmrc_io_read_file(path, JCAMP_MAX_BYTES, ctx, &text, &len);
    if (rd != NMRC_OK)
        return rd == NMRC_ENOTFOUND ? NMRC_EIO : rd;
    jc_hdr h;
    nmrc_status st = scan_header(text, &h, ctx);
    size_t room = h.form == 1 ? h.npoints : len / 2 + 1;
    if (st == NMRC_OK && room > len)
        st = nmrc_ctx_error(ctx, NMRC_ESYNTAX, "jcamp: NPOINTS= %zu but the file has %zu bytes",
                            room, len);
    if (st == NMRC_OK) {
        *x = malloc(room * sizeof **x);
        *y = malloc(room * sizeof **y);
        st = (*x && *y) ? read_table(&h, *x, *y, room, n, ctx)
                        : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    free(text);
    if (st != NMRC_OK) {
        free(*x);
        free(*y);
        *x = *y = NULL;
        *n = 0;
    }
    return st;
}
