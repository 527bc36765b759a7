/*
** nmrc/consts.h: the constants every part of nmrc shares (core/consts.c):
** pi, the size limits of each stage and why they differ, and the table of
** nuclei (gyromagnetic ratios).  Defined once here; no other file defines
** pi or a gyromagnetic ratio.
*/
#ifndef NMRC_CONSTS_H
#define NMRC_CONSTS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_PI 3.14159265358979323846     /* pi */
#define NMRC_TWO_PI 6.28318530717958647693 /* 2 pi */
#define NMRC_DEG (NMRC_PI / 180.0)          /* one degree in rad */

/* ---- Limits -------------------------------------------------------------- */
/* The spec language and the ideal simulator (dense 2^N x 2^N density
** matrices) take up to 12 spins (dimension 4096, 256 MiB per matrix).  The
** physical NMR model and FIDs hold 2^N x 2^N propagators per distinct event
** and so stop at 10 (dimension 1024).  Exact Liouville superoperators
** (4^N x 4^N) are used up to 4 spins. */
#define NMRC_MAX_SPINS 12                /* spins a spec may declare; ideal simulator */
#define NMRC_NMR_MAX_SPINS 10            /* physical model, FIDs, validation */
#define NMRC_NMR_LIOUVILLE_MAX_SPINS 4   /* exact superoperators up to 4^4 = 256; above,
                                         ** relaxation by Strang splitting */
#define NMRC_LABEL_MAX 16                /* bytes of a spin label, NUL included */
#define NMRC_NAME_MAX 64                 /* bytes of a parameter / sequence name */

/* ---- Nuclei -------------------------------------------------------------- */

/* Gyromagnetic ratio of the proton, rad s^-1 T^-1 (CODATA 2018). */
#define NMRC_GAMMA_1H 267.52218744e6

/* Returns the gyromagnetic ratio (rad s^-1 T^-1, signed) of an isotope name
** such as "13C", or 0 if the isotope is not in the table. */
double nmrc_isotope_gamma(const char *isotope);

/* Returns the name of isotope k of the table (0, 1, ...; static), or NULL
** past the end. */
const char *nmrc_isotope_name(size_t k);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_CONSTS_H */
