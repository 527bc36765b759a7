/*
** mat4.h: internal 4x4 helpers for the two-spin compiler (aht.c, analyze.c,
** analyze_prop.c): column-major 4x4 products, the toggling-frame conjugation
** U^+ X U and the row-major SU(2) of a single-spin rotation.  Not installed;
** the public two-spin interface is include/nmrc/compile.h.
*/
#ifndef NMRC_COMPILER_MAT4_H
#define NMRC_COMPILER_MAT4_H

#include "core/defs.h"

#include "nmrc/compile.h"

/* C = A B for 4x4 column-major matrices; C may alias A or B. */
NMRC_INTERNAL void nmrc_mat4_mul(const nmrc_cplx A[16], const nmrc_cplx B[16], nmrc_cplx C[16]);

/* out = U^+ X U for 4x4 column-major matrices; out must not alias U or X. */
NMRC_INTERNAL void nmrc_mat4_conj(const nmrc_cplx U[16], const nmrc_cplx X[16], nmrc_cplx out[16]);

/* Overwrites U with the 4x4 identity. */
NMRC_INTERNAL void nmrc_mat4_eye(nmrc_cplx U[16]);

/* Writes into G (2x2 row-major) the SU(2) exp(-i angle n.s/2) of a rotation
** by angle about the unit axis n. */
NMRC_INTERNAL void nmrc_mat4_su2(double angle, const double n[3], nmrc_cplx G[4]);

#endif
