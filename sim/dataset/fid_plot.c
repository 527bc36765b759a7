/*
** fid_plot.c: an SVG picture of a FID and its spectrum, written directly
** (no external program): FID real and imaginary parts against time; the
** real spectrum zoomed on its lines, frequency increasing to the left as
** NMR spectra are drawn, Hz below and ppm above.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_impl.h"
#include "nmrc/fid.h"

#define W 900.0
#define H 760.0
#define ML 90.0                 /* left margin */
#define MR 30.0

typedef struct panel {
    double x0, y0, w, h;        /* pixel box */
    double xa, xb, ya, yb;      /* data range: xa maps to the left edge */
} panel;

static double px(const panel *p, double x)
{
    return p->x0 + (x - p->xa) / (p->xb - p->xa) * p->w;
}

static double py(const panel *p, double y)
{
    return p->y0 + p->h - (y - p->ya) / (p->yb - p->ya) * p->h;
}

/* Tick step of about n ticks over |b - a|: 1, 2 or 5 times a power of 10. */
static double tick_step(double a, double b, int n)
{
    double raw = fabs(b - a) / n, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void xml_text(FILE *fp, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
}

/* Frame, grid and tick labels along x (below or above) and y. */
static void axes(FILE *fp, const panel *p, double (*xmap)(double, const void *), const void *arg,
                 int top, const char *xlabel, const char *ylabel, int yticks)
{
    if (yticks)
        fprintf(fp, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='white' "
                    "stroke='#444'/>\n", p->x0, p->y0, p->w, p->h);
    double a = xmap(p->xa, arg), b = xmap(p->xb, arg), lo = fmin(a, b), hi = fmax(a, b);
    double st = tick_step(lo, hi, 8);
    for (double v = ceil(lo / st) * st; v <= hi + 1e-9 * st; v += st) {
        double x = p->x0 + (v - a) / (b - a) * p->w, y = top ? p->y0 : p->y0 + p->h;
        if (yticks)
            fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#ddd'/>\n", x,
                    p->y0, x, p->y0 + p->h);
        else
            fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#444'/>\n", x,
                    p->y0, x, p->y0 + 5);
        fprintf(fp, "<text x='%.1f' y='%.1f' text-anchor='middle'>%g</text>\n", x,
                top ? y - 6 : y + 16, fabs(v) < 1e-9 * st ? 0.0 : v);
    }
    fprintf(fp, "<text x='%.1f' y='%.1f' text-anchor='middle'>", p->x0 + p->w / 2,
            top ? p->y0 - 24 : p->y0 + p->h + 36);
    xml_text(fp, xlabel);
    fputs("</text>\n", fp);
    if (!yticks)
        return;
    st = tick_step(p->ya, p->yb, 5);
    for (double v = ceil(p->ya / st) * st; v <= p->yb + 1e-9 * st; v += st)
        fprintf(fp, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#eee'/>\n"
                    "<text x='%.1f' y='%.1f' text-anchor='end'>%.3g</text>\n",
                p->x0, py(p, v), p->x0 + p->w, py(p, v), p->x0 - 6, py(p, v) + 4,
                fabs(v) < 1e-9 * st ? 0.0 : v);
    fprintf(fp, "<text transform='translate(%.1f,%.1f) rotate(-90)' text-anchor='middle'>",
            p->x0 - 62, p->y0 + p->h / 2);
    xml_text(fp, ylabel);
    fputs("</text>\n", fp);
}

/* Polyline of y[k] at x[k] for k in [k0, k1), min/max per pixel column. */
static void trace(FILE *fp, const panel *p, const double *x, const double *y, size_t k0,
                  size_t k1, const char *color)
{
    fprintf(fp, "<polyline fill='none' stroke='%s' stroke-width='1.2' points='", color);
    int col = -1;
    double lo = 0, hi = 0, last = 0;
    for (size_t k = k0; k < k1; k++) {
        int c = (int)floor(px(p, x[k]) * 2);
        if (c != col && col >= 0)
            fprintf(fp, "%.1f,%.1f %.1f,%.1f ", col / 2.0, py(p, lo), col / 2.0, py(p, hi));
        if (c != col)
            lo = hi = y[k];
        lo = fmin(lo, y[k]);
        hi = fmax(hi, y[k]);
        col = c;
        last = y[k];
    }
    if (col >= 0)
        fprintf(fp, "%.1f,%.1f %.1f,%.1f", col / 2.0, py(p, lo), col / 2.0, py(p, last));
    fputs("'/>\n", fp);
}

static double ident(double v, const void *arg)
{
    (void)arg;
    return v;
}

static double hz_to_ppm(double v, const void *arg)
{
    return v / *(const double *)arg;
}

static void fid_panel(FILE *fp, const nmrc_cplx *fid, size_t td, double sw, double *buf)
{
    double *t = buf, *v = buf + td, m = 0;
    for (size_t k = 0; k < td; k++) {
        t[k] = (double)k / sw;
        m = fmax(m, cabs(fid[k]));
    }
    /* Show the FID up to where it has decayed below 0.2 % of its peak. */
    size_t last = 0;
    for (size_t k = 0; k < td; k++)
        if (cabs(fid[k]) > 2e-3 * m)
            last = k;
    size_t shown = last + last / 5 + 10 < td ? last + last / 5 + 10 : td;
    m = m > 0 ? 1.1 * m : 1;
    panel p = {ML, 70, W - ML - MR, 250, 0, shown > 1 ? t[shown - 1] : 1, -m, m};
    axes(fp, &p, ident, NULL, 0, "time / s", "FID", 1);
    for (int part = 1; part >= 0; part--) {
        for (size_t k = 0; k < shown; k++)
            v[k] = part ? cimag(fid[k]) : creal(fid[k]);
        trace(fp, &p, t, v, 0, shown, part ? "#e08a2c" : "#1f5fbf");
    }
    fprintf(fp, "<text x='%.1f' y='90' text-anchor='end' fill='#1f5fbf'>real</text>\n"
                "<text x='%.1f' y='108' text-anchor='end' fill='#e08a2c'>imaginary</text>\n",
            W - MR - 10, W - MR - 10);
}

/* Spectrum panel zoomed on the region where |re| exceeds 1 % of its peak. */
static void spec_panel(FILE *fp, const nmrc_spectrum_plan *sp, const nmrc_cplx *spec,
                       const char *nucleus, double *buf)
{
    size_t si = nmrc_spectrum_size(sp), a = si, b = 0;
    double *hz = buf, *re = buf + si, m = 0, lo = 0, hi = 0;
    for (size_t k = 0; k < si; k++) {
        hz[k] = nmrc_spectrum_hz(sp, k);
        re[k] = creal(spec[k]);
        m = fmax(m, fabs(re[k]));
        lo = fmin(lo, re[k]);
        hi = fmax(hi, re[k]);
    }
    for (size_t k = 0; k < si; k++)
        if (fabs(re[k]) > 0.01 * m) {
            a = k < a ? k : a;
            b = k;
        }
    double fa = a < si ? hz[a] : hz[0], fb = a < si ? hz[b] : hz[si - 1];
    double pad = fmax(0.15 * (fb - fa), 20.0);
    fa = fmax(fa - pad, hz[0]);
    fb = fmin(fb + pad, hz[si - 1]);
    double r = hi - lo > 0 ? hi - lo : 1;
    panel p = {ML, 440, W - ML - MR, 250, fb, fa, lo - 0.05 * r, hi + 0.08 * r};
    char xl[64], pl[64];
    snprintf(xl, sizeof xl, "frequency from the carrier / Hz (%s)", nucleus);
    snprintf(pl, sizeof pl, "chemical shift from the carrier / ppm");
    axes(fp, &p, ident, NULL, 0, xl, "spectrum (real)", 1);
    double sfo1 = nmrc_spectrum_ppm(sp, 0) != 0 ? hz[0] / nmrc_spectrum_ppm(sp, 0) : 0;
    if (sfo1 > 0)
        axes(fp, &p, hz_to_ppm, &sfo1, 1, pl, "", 0);
    size_t k0 = 0, k1 = si;
    while (k0 < si && hz[k0] < fa)
        k0++;
    while (k1 > k0 && hz[k1 - 1] > fb)
        k1--;
    trace(fp, &p, hz, re, k0, k1, "#1f5fbf");
}

nmrc_status nmrc_fid_svg_write(const char *path, const char *title, const char *nucleus,
                               const nmrc_cplx *fid, size_t td, double sw,
                               const nmrc_spectrum_plan *sp, const nmrc_cplx *spec,
                               nmrc_ctx *ctx)
{
    size_t si = nmrc_spectrum_size(sp);
    if (td < 1 || !(sw > 0) || si < 2)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "svg: empty FID or spectrum");
    double *buf = malloc(2 * (td > si ? td : si) * sizeof *buf);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = buf ? open_memstream(&text, &len) : NULL;
    if (!fp) {
        free(buf);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    fprintf(fp, "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' "
                "width='%g' height='%g' viewBox='0 0 %g %g' font-family='sans-serif' "
                "font-size='12'>\n<rect width='100%%' height='100%%' fill='#fafafa'/>\n",
            W, H, W, H);
    fprintf(fp, "<text x='%g' y='30' text-anchor='middle' font-size='16'>", W / 2);
    xml_text(fp, nucleus);
    fputs(" FID and spectrum: ", fp);
    xml_text(fp, title ? title : "");
    fprintf(fp, "</text>\n<text x='%g' y='50' text-anchor='middle' fill='#666'>%zu points, "
                "SW %g Hz, dwell %g us (nmrc simulation)</text>\n",
            W / 2, td, sw, 1e6 / sw);
    fid_panel(fp, fid, td, sw, buf);
    spec_panel(fp, sp, spec, nucleus, buf);
    fputs("</svg>\n", fp);
    free(buf);
    return nmrc_io_commit_text(fp, &text, path, ctx);
}
