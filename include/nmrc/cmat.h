/*
** nmrc/cmat.h: dense complex matrices shared by compiler, simulator and FFT
** code.  Column-major with an explicit leading dimension, element (i, j) at
** data[i + j*ld], double _Complex (the same type FFTW and LAPACKE use), so
** LAPACKE_*(LAPACK_COL_MAJOR, ...) never transposes or allocates.
*/
#ifndef NMRC_CMAT_H
#define NMRC_CMAT_H

#include <complex.h>
#include <stddef.h>

#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef double _Complex nmrc_cplx;

/* A matrix or a view.  `owner` is nonzero when `data` was allocated by
** nmrc_cmat_create and is freed by nmrc_cmat_destroy. */
typedef struct nmrc_cmat {
    size_t n1;        /* rows */
    size_t n2;        /* columns */
    size_t ld;        /* leading dimension, >= n1 */
    nmrc_cplx *data;  /* element (i, j) at data[i + j*ld] */
    int owner;        /* 1 if data is owned */
} nmrc_cmat;

#define NMRC_CMAT_AT(m, i, j) ((m)->data[(size_t)(i) + (size_t)(j) * (m)->ld])

/* Returns a zeroed n1 x n2 matrix (ld = n1) or NULL when out of memory.
** The caller owns it; free with nmrc_cmat_destroy. */
nmrc_cmat *nmrc_cmat_create(size_t n1, size_t n2);

/* Frees a matrix made by nmrc_cmat_create; accepts NULL. */
void nmrc_cmat_destroy(nmrc_cmat *m);

/* Returns a non-owning view of n1 x n2 elements at data with leading
** dimension ld. */
nmrc_cmat nmrc_cmat_view(nmrc_cplx *data, size_t n1, size_t n2, size_t ld);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_CMAT_H */
