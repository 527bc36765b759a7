/*
** cmd_fid_output.c: the files `nmrc fid` writes per nucleus: the Bruker
** dataset (nmrc_cli_fid_write_dataset, the one place that fills
** nmrc_bruker), the JCAMP-DX spectrum, the SVG picture, the FID and spectrum
** CSV files, and the TopSpin pulse program text of the run.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fid.h"
#include "commands.h"
#include "nmrc/xml.h"

/* Writes a CSV through the CLI's atomic output. */
static int write_csv_fid(const char *path, const nmrc_cplx *fid, size_t td, double sw)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, path))
        return 1;
    fprintf(out.fp, "t,re,im\n");
    for (size_t k = 0; k < td; k++)
        fprintf(out.fp, "%.10g,%.12g,%.12g\n", (double)k / sw, creal(fid[k]), cimag(fid[k]));
    return nmrc_cli_out_commit(&out);
}

static int write_csv_spec(const char *path, const nmrc_spectrum_plan *sp, const nmrc_cplx *s)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, path))
        return 1;
    fprintf(out.fp, "hz,ppm,re,im\n");
    for (size_t k = 0; k < nmrc_spectrum_size(sp); k++)
        fprintf(out.fp, "%.10g,%.10g,%.12g,%.12g\n", nmrc_spectrum_hz(sp, k),
                nmrc_spectrum_ppm(sp, k), creal(s[k]), cimag(s[k]));
    return nmrc_cli_out_commit(&out);
}

/* The TopSpin program of seq (NULL seq: a zg program); see cmd_fid.h. */
char *nmrc_cli_fid_pulse_program(const nmrc_seq *seq, int read_pulse)
{
    char *text = NULL;
    if (!seq) {
        const char pp[] = ";zg (nmrc fid --thermal): 90-degree pulse, phase y, then acquisition\n"
                          "#include <Avance.incl>\n\n1 ze\n2 d1\n  p1 ph1\n  go=2 ph31\n"
                          "  30m mc #0 to 2 F0(zd)\nexit\n\nph1=1\nph31=0\n";
        return strdup(pp);
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (!ctx || nmrc_topspin_write_buffer(seq, &text, NULL, ctx) != NMRC_OK) {
        fprintf(stderr, "nmrc fid: note: no TopSpin program written (%s)\n",
                ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
        text = NULL;
    }
    nmrc_ctx_destroy(ctx);
    if (text && read_pulse) {
        const char note[] = "\n; nmrc fid: the program has no acquisition; the simulation\n"
                            "; read it out with an ideal 90-degree pulse (phase y).\n";
        char *t2 = realloc(text, strlen(text) + sizeof note);
        if (t2)
            strcat(t2, note);
        text = t2;
    }
    return text;
}

/* The Bruker dataset of one nucleus: everything nmrc fid passes to
** nmrc_bruker_write is set here (see cmd_fid.h). */
int nmrc_cli_fid_write_dataset(const char *dir, const nmrc_run_fid_plan *plan,
                               const nmrc_run_fid_info *f, nmrc_cplx *fid, nmrc_ctx *ctx)
{
    const nmrc_seq *seq = nmrc_run_fid_plan_seq(plan);
    char path[4096];
    nmrc_bruker ds = {.td = f->td, .sw_h = f->sw_hz, .sfo1 = f->sfo1_mhz, .bf1 = f->sfo1_mhz,
                      .o1 = 0, .ns = (int)f->scans, .fid = fid};
    snprintf(ds.nuc1, sizeof ds.nuc1, "%s", f->nucleus);
    snprintf(ds.pulprog, sizeof ds.pulprog, "%s", seq ? seq->name : "zg");
    for (char *p = ds.pulprog; *p; p++)
        *p = (*p == '<' || *p == '>' || *p == '\n') ? '_' : *p;
    char *pp = nmrc_cli_fid_pulse_program(seq, f->read_pulse);
    snprintf(path, sizeof path, "%s/%s", dir, f->nucleus);
    int bad = nmrc_bruker_write(path, &ds, pp, ctx) != NMRC_OK;
    if (bad)
        fprintf(stderr, "nmrc fid: %s\n", nmrc_ctx_errmsg(ctx));
    free(pp);
    return bad;
}

/* JCAMP, CSV and SVG files of one nucleus; prints and returns nonzero on
** failure. */
int nmrc_cli_fid_write_outputs(const char *dir, const char *iso, const char *title,
                               const nmrc_cplx *fid, size_t td, double sw, double sfo1,
                               const nmrc_spectrum_plan *sp, const nmrc_cplx *spec,
                               nmrc_ctx *ctx)
{
    char path[4096];
    size_t si = nmrc_spectrum_size(sp);
    double *x = malloc(si * sizeof *x), *y = malloc(si * sizeof *y);
    int bad = !x || !y;
    for (size_t k = 0; !bad && k < si; k++) {
        x[k] = nmrc_spectrum_hz(sp, k);
        y[k] = creal(spec[k]);
    }
    snprintf(path, sizeof path, "%s/%s.jdx", dir, iso);
    nmrc_status st = bad ? NMRC_ENOMEM
                         : nmrc_jcamp_write_spectrum(path, title, iso, sfo1, x, y, si, ctx);
    snprintf(path, sizeof path, "%s/%s.svg", dir, iso);
    if (st == NMRC_OK)
        st = nmrc_fid_svg_write(path, title, iso, fid, td, sw, sp, spec, ctx);
    if (st != NMRC_OK) {
        fprintf(stderr, "nmrc fid: %s\n", bad ? "out of memory" : nmrc_ctx_errmsg(ctx));
        bad = 1;
    }
    snprintf(path, sizeof path, "%s/%s_fid.csv", dir, iso);
    bad = bad || write_csv_fid(path, fid, td, sw);
    snprintf(path, sizeof path, "%s/%s_spectrum.csv", dir, iso);
    bad = bad || write_csv_spec(path, sp, spec);
    free(x);
    free(y);
    return bad;
}
