/*
** nmrc/dataset.h: what FIDs and spectra become on disk (sim/dataset):
** Bruker 1-D datasets (acqus, fid, pulseprogram, pdata/1/procs) written and
** read, JCAMP-DX spectra, and SVG pictures of a FID with its spectrum.
** Every file is written atomically through nmrc/io.h.
*/
#ifndef NMRC_DATASET_H
#define NMRC_DATASET_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/fid.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A 1-D Bruker dataset: acquisition parameters and the complex FID. */
typedef struct nmrc_bruker {
    size_t td;                  /* complex points (acqus TD = 2 td) */
    double sw_h;                /* Hz */
    double sfo1;                /* observe frequency, MHz */
    double bf1;                 /* basic frequency, MHz */
    double o1;                  /* carrier offset from bf1, Hz */
    char nuc1[8];               /* "1H" */
    char pulprog[64];           /* pulse program name */
    int ns;                     /* scans */
    int dtypa;                  /* 2 = float64 (written), 0 = int32 (read too) */
    int bytorda;                /* 0 = little endian (written), 1 = big (read too) */
    double grpdly;              /* digital-filter group delay, points (0 written) */
    nmrc_cplx *fid;             /* td points; owned when returned by a reader */
} nmrc_bruker;

/* Writes dir/acqus, dir/fid (float64, little endian, re/im interleaved),
** dir/pulseprogram (the text given, or a minimal zg program when NULL) and
** dir/pdata/1/procs, each atomically; makes dir.  Returns NMRC_OK,
** NMRC_EINVAL or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_bruker_write(const char *dir, const nmrc_bruker *ds,
                              const char *pulseprogram, nmrc_ctx *ctx);

/* Reads dir/acqus and dir/fid into *ds (ds->fid allocated, caller frees
** with nmrc_bruker_free).  Accepts DTYPA 0 and 2, BYTORDA 0 and 1.
** Returns NMRC_OK, NMRC_EIO, NMRC_ESYNTAX (bad acqus) or NMRC_EBADLEN (fid
** size does not match TD). */
NMRC_NODISCARD nmrc_status nmrc_bruker_read(const char *dir, nmrc_bruker *ds, nmrc_ctx *ctx);

/* Frees ds->fid and clears it. */
void nmrc_bruker_free(nmrc_bruker *ds);

/* Parses the value of "##$KEY=" (key given without "##$", e.g. "SW_h") in
** JCAMP-DX parameter text; writes it (without <>) to val.  Returns 1 if
** found. */
int nmrc_jcamp_param(const char *text, const char *key, char *val, size_t size);

/* Writes a JCAMP-DX 5.01 NMR SPECTRUM (real part, XYDATA=(X++(Y..Y)), X in
** Hz, integer Y with YFACTOR) to path atomically.  x[n], y[n] with x
** equally spaced.  Returns NMRC_OK, NMRC_EINVAL or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_jcamp_write_spectrum(const char *path, const char *title,
                                      const char *nucleus, double sfo1_mhz,
                                      const double *x, const double *y, size_t n,
                                      nmrc_ctx *ctx);

/* Reads a JCAMP-DX spectrum with XYDATA=(X++(Y..Y)) or XYPOINTS=(XY..XY)
** in AFFN (plain decimal) form.  *x and *y are allocated (caller frees
** with free()), *n set.  Returns NMRC_OK, NMRC_EIO or NMRC_ESYNTAX. */
NMRC_NODISCARD nmrc_status nmrc_jcamp_read_spectrum(const char *path, double **x, double **y, size_t *n,
                                     nmrc_ctx *ctx);

/* Writes an SVG picture (FID real/imaginary against time; real spectrum
** zoomed on its lines, frequency increasing to the left, Hz below and ppm
** above) to path atomically.  fid[td] sampled at sw; spec from plan sp.
** Returns NMRC_OK, NMRC_EINVAL, NMRC_ENOMEM or NMRC_EIO. */
NMRC_NODISCARD nmrc_status nmrc_fid_svg_write(const char *path, const char *title, const char *nucleus,
                               const nmrc_cplx *fid, size_t td, double sw,
                               const nmrc_spectrum_plan *sp, const nmrc_cplx *spec,
                               nmrc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_DATASET_H */
