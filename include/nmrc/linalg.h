/*
** nmrc/linalg.h: dense complex linear algebra on nmrc_cmat shared by the
** compiler, the simulators and the metrics: BLAS products, elementwise
** helpers, norms, Kronecker products, the Hermitian eigendecomposition
** (LAPACK zheevd with a preallocated workspace), exp(-i H t) for Hermitian H
** and the general matrix exponential (scaling and squaring Pade).
** No function here prints or allocates unless its name ends in _create.
*/
#ifndef NMRC_LINALG_H
#define NMRC_LINALG_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operation applied to a gemm operand: none, transpose, conjugate transpose. */
typedef enum nmrc_op { NMRC_OP_N, NMRC_OP_T, NMRC_OP_C } nmrc_op;

/* ---- Products ------------------------------------------------------------ */

/* C = alpha op(A) op(B) + beta C through cblas_zgemm.  C must not alias A or
** B.  Returns NMRC_EBADLEN (nothing written) when the shapes do not conform. */
NMRC_NODISCARD nmrc_status nmrc_gemm(nmrc_op opa, nmrc_op opb, nmrc_cplx alpha, const nmrc_cmat *A,
                      const nmrc_cmat *B, nmrc_cplx beta, nmrc_cmat *C);

/* C = U A U^+ (two gemms) using the caller's n x n scratch tmp.  All four
** matrices n x n; C must differ from U, A and tmp.  Returns NMRC_EBADLEN on
** a shape mismatch. */
NMRC_NODISCARD nmrc_status nmrc_cmat_similarity(nmrc_cmat *C, const nmrc_cmat *U, const nmrc_cmat *A,
                                 nmrc_cmat *tmp);

/* C = U^+ A U (the "into the eigenbasis" direction); as nmrc_cmat_similarity. */
NMRC_NODISCARD nmrc_status nmrc_cmat_similarity_adj(nmrc_cmat *C, const nmrc_cmat *U, const nmrc_cmat *A,
                                     nmrc_cmat *tmp);

/* C = A (x) B (Kronecker product, A's index most significant: with A for spin
** 0 and B for spin 1 this is nmrc's basis order).  C must be
** (A.n1*B.n1) x (A.n2*B.n2) and differ from A and B; NMRC_EBADLEN otherwise. */
NMRC_NODISCARD nmrc_status nmrc_cmat_kron(nmrc_cmat *C, const nmrc_cmat *A, const nmrc_cmat *B);

/* ---- Elementwise --------------------------------------------------------- */

/* Sets every element of A to zero. */
void nmrc_cmat_zero(nmrc_cmat *A);

/* Sets A to the identity (ones on the main diagonal of a possibly
** rectangular matrix). */
void nmrc_cmat_identity(nmrc_cmat *A);

/* dst = src.  Returns NMRC_EBADLEN when the shapes differ.  dst may equal src. */
NMRC_NODISCARD nmrc_status nmrc_cmat_copy(nmrc_cmat *dst, const nmrc_cmat *src);

/* dst = src^+ (conjugate transpose); dst is src.n2 x src.n1.  dst == src is
** allowed for square matrices (done in place).  NMRC_EBADLEN on shape. */
NMRC_NODISCARD nmrc_status nmrc_cmat_adjoint(nmrc_cmat *dst, const nmrc_cmat *src);

/* Y = Y + a X.  NMRC_EBADLEN when the shapes differ. */
NMRC_NODISCARD nmrc_status nmrc_cmat_axpy(nmrc_cmat *Y, nmrc_cplx a, const nmrc_cmat *X);

/* A = a A. */
void nmrc_cmat_scale(nmrc_cmat *A, nmrc_cplx a);

/* Replaces a square A by its Hermitian part (A + A^+)/2, in place. */
void nmrc_cmat_hermitize(nmrc_cmat *A);

/* ---- Scalars ------------------------------------------------------------- */

/* Returns the trace of A (sum of the main diagonal of the leading square). */
nmrc_cplx nmrc_cmat_trace(const nmrc_cmat *A);

/* Returns Tr(A B) for A n x m and B m x n, in O(nm) without forming A B;
** returns NAN when the shapes do not conform. */
nmrc_cplx nmrc_cmat_trace_prod(const nmrc_cmat *A, const nmrc_cmat *B);

/* Returns the Frobenius norm sqrt(sum |a_ij|^2) (overflow-safe scaling). */
double nmrc_cmat_norm_fro(const nmrc_cmat *A);

/* Returns max_ij |a_ij|. */
double nmrc_cmat_norm_max(const nmrc_cmat *A);

/* Returns the 1-norm, the largest column sum of |a_ij|. */
double nmrc_cmat_norm_1(const nmrc_cmat *A);

/* Returns max_ij |a_ij - conj(a_ji)| of a square A (0 for Hermitian A). */
double nmrc_cmat_herm_dev(const nmrc_cmat *A);

/* Returns max_ij |a_ij - b_ij|, or INFINITY when the shapes differ. */
double nmrc_cmat_max_diff(const nmrc_cmat *A, const nmrc_cmat *B);

/* ---- Hermitian eigendecomposition ---------------------------------------- */

/* Workspace for nmrc_eigh / nmrc_eigvalsh / nmrc_expmh on n x n matrices.
** Holds LAPACK zheevd's work arrays (sized for eigenvectors) and two n x n
** scratch matrices plus n eigenvalues for nmrc_expmh.  One per thread. */
typedef struct nmrc_eigh_ws nmrc_eigh_ws;

/* Returns a workspace for n x n problems (n >= 1), or NULL when out of
** memory or n is too large for LAPACK's int.  Free with nmrc_eigh_ws_destroy. */
nmrc_eigh_ws *nmrc_eigh_ws_create(size_t n);

/* Frees a workspace; accepts NULL. */
void nmrc_eigh_ws_destroy(nmrc_eigh_ws *ws);

/* Returns the n the workspace was made for (0 for NULL). */
size_t nmrc_eigh_ws_size(const nmrc_eigh_ws *ws);

/* Diagonalizes the Hermitian n x n matrix A (only its lower triangle is read):
** A = V diag(w) V^+.  On return A holds the orthonormal eigenvectors V (column
** k belongs to w[k]) and w[0..n-1] the eigenvalues in ascending order.
** Allocates nothing.  Returns NMRC_EBADLEN when A is not n x n for the
** workspace, NMRC_EINVAL when A has a NaN or infinity, NMRC_ELAPACK when
** zheevd fails to converge. */
NMRC_NODISCARD nmrc_status nmrc_eigh(nmrc_cmat *A, double *w, nmrc_eigh_ws *ws);

/* As nmrc_eigh but eigenvalues only; A is destroyed (overwritten). */
NMRC_NODISCARD nmrc_status nmrc_eigvalsh(nmrc_cmat *A, double *w, nmrc_eigh_ws *ws);

/* U = V diag(exp(-i w_k t)) V^+ from an eigensystem (V n x n, w[n]), the
** propagator exp(-i H t) of H = V diag(w) V^+.  tmp is n x n scratch.  U must
** differ from V and tmp.  Two passes: O(n^2) scaling plus one gemm.
** Returns NMRC_EBADLEN on a shape mismatch. */
NMRC_NODISCARD nmrc_status nmrc_expih_eig(nmrc_cmat *U, const nmrc_cmat *V, const double *w, double t,
                           nmrc_cmat *tmp);

/* U = exp(-i H t) for a Hermitian H (unchanged) through the eigendecomposition,
** using the workspace's scratch.  U must differ from H.  Allocates nothing.
** Errors as nmrc_eigh. */
NMRC_NODISCARD nmrc_status nmrc_expmh(nmrc_cmat *U, const nmrc_cmat *H, double t, nmrc_eigh_ws *ws);

/* ---- General matrix exponential ------------------------------------------- */

/* Workspace for nmrc_expm on n x n matrices (general, non-Hermitian):
** six n x n matrices and a pivot array.  One per thread. */
typedef struct nmrc_expm_ws nmrc_expm_ws;

/* Returns a workspace for n x n matrices, or NULL when out of memory. */
nmrc_expm_ws *nmrc_expm_ws_create(size_t n);

/* Frees it; accepts NULL. */
void nmrc_expm_ws_destroy(nmrc_expm_ws *ws);

/* E = exp(A) for a general square A (unchanged) by scaling and squaring with
** the degree-13 Pade approximant (Higham 2005, with the lower-degree
** approximants for small ||A||_1); the Pade denominator is solved with LU
** (zgetrf/zgetrs).  E must differ from A.  Allocates nothing.  Returns
** NMRC_EBADLEN on shape, NMRC_EINVAL for NaN/inf entries, NMRC_ELAPACK when
** the denominator is singular. */
NMRC_NODISCARD nmrc_status nmrc_expm(nmrc_cmat *E, const nmrc_cmat *A, nmrc_expm_ws *ws);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_LINALG_H */
