/*
** metrics_impl.h: internals shared by the metrics sources (metrics.c,
** ergotropy.c, correlations.c, fidelity.c): the workspace layout, state
** validation, scratch views and spectra.  Not installed; nmrc_mx_* names
** are internal to the library.
*/
#ifndef NMRC_METRICS_IMPL_H
#define NMRC_METRICS_IMPL_H

#include "core/defs.h"

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/linalg.h"
#include "nmrc/metrics.h"

#define NMRC_MX_NBUF 3           /* scratch matrices in a workspace */
#define NMRC_MX_TRACE_TOL 1e-6   /* accepted |Tr rho - 1| */

struct nmrc_metrics_ws {
    size_t n_spins;
    size_t dim;                  /* d = 2^n_spins */
    size_t cap;                  /* max(d, 4): side of the scratch matrices */
    nmrc_cplx *buf[NMRC_MX_NBUF]; /* cap x cap each */
    double *w[NMRC_MX_NBUF];     /* cap reals each */
    size_t *order;               /* cap: a sort permutation */
    nmrc_cplx *vec;              /* cap: one vector */
    nmrc_eigh_ws *eig;           /* eigensolver for d x d */
    nmrc_eigh_ws *eig4;          /* eigensolver for 4 x 4 (owned only if d != 4) */
    nmrc_cplx *svd_work;         /* zgesvd work for cap x cap, singular values only */
    int svd_lwork;
    double *svd_rwork;           /* 5 cap */
};

/* Returns NMRC_OK if rho is n x n (ld >= n), finite and of trace 1 within
** NMRC_MX_TRACE_TOL; NMRC_EBADLEN or NMRC_EINVAL otherwise. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_mx_check_state(const nmrc_cmat *rho, size_t n);

/* Returns the eigensolver workspace for n x n problems (n = d or 4), or
** NULL for any other n. */
NMRC_INTERNAL nmrc_eigh_ws *nmrc_mx_eig_for(nmrc_metrics_ws *ws, size_t n);

/* Returns scratch matrix k as an n x n view with ld n (n <= cap). */
NMRC_INTERNAL nmrc_cmat nmrc_mx_buf(nmrc_metrics_ws *ws, int k, size_t n);

/* Copies the n x n matrix src into scratch k (ld n) and returns the view. */
NMRC_INTERNAL nmrc_cmat nmrc_mx_copy_to_buf(nmrc_metrics_ws *ws, int k, const nmrc_cmat *src);

/* Eigenvalues (ascending) of the Hermitian n x n src into w, using scratch
** k; src unchanged.  n must be d or 4. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_mx_eigvals(const nmrc_cmat *src, int k, double *w, nmrc_metrics_ws *ws);

/* Returns the level below which the eigenvalues w[0..n) of a state are
** rounding noise: 4 n DBL_EPSILON max_k w_k.  Square-root factors zero
** them, since sqrt(1e-17) = 3e-9 would otherwise leak into the result. */
NMRC_INTERNAL double nmrc_mx_eig_floor(const double *w, size_t n);

/* Returns -sum w_k ln w_k over w_k > 0 (nats). */
NMRC_INTERNAL double nmrc_mx_entropy_nats(const double *w, size_t n);

/* Returns the binary entropy in bits of the eigenvalues (1 +- r)/2 of a
** qubit with Bloch vector length r (clamped to [0, 1]). */
NMRC_INTERNAL double nmrc_mx_qubit_entropy_bits(double r);

#endif /* NMRC_METRICS_IMPL_H */
