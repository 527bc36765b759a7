/*
** fidelity.c: distances between two density matrices: the squared Uhlmann
** fidelity F = (Tr sqrt(sqrt(rho) sigma sqrt(rho)))^2, computed as the
** squared nuclear norm of sqrt(rho) sqrt(sigma) (no square root of a
** rounding-level eigenvalue, so F(rho, rho) = 1 to machine precision even
** for pure states), and the trace distance (1/2)||rho - sigma||_1.
*/
#include <complex.h>
#include <lapacke.h>
#include <math.h>

#include "metrics_impl.h"

/* Checks that rho and sigma are states of one size the workspace handles. */
static NMRC_NODISCARD nmrc_status check_pair(const nmrc_cmat *rho, const nmrc_cmat *sigma,
                              nmrc_metrics_ws *ws)
{
    size_t n = rho ? rho->n1 : 0;
    nmrc_status st;
    if (!ws || !nmrc_mx_eig_for(ws, n))
        return NMRC_EBADLEN;
    st = nmrc_mx_check_state(rho, n);
    return st ? st : nmrc_mx_check_state(sigma, n);
}

/* Scratch k = V diag(sqrt(lambda)), a square root factor W of the state
** m = W W^+, with eigenvalues below nmrc_mx_eig_floor taken as 0. */
static NMRC_NODISCARD nmrc_status sqrt_factor(const nmrc_cmat *m, int k, nmrc_metrics_ws *ws, nmrc_cmat *W)
{
    size_t n = m->n1;
    double *w = ws->w[k], floor;
    nmrc_status st;
    *W = nmrc_mx_copy_to_buf(ws, k, m);
    st = nmrc_eigh(W, w, nmrc_mx_eig_for(ws, n));
    if (st)
        return st;
    floor = nmrc_mx_eig_floor(w, n);
    for (size_t j = 0; j < n; j++) {
        double s = w[j] > floor ? sqrt(w[j]) : 0;
        for (size_t i = 0; i < n; i++)
            NMRC_CMAT_AT(W, i, j) *= s;
    }
    return NMRC_OK;
}

nmrc_status nmrc_metrics_fidelity(nmrc_metrics_ws *ws, const nmrc_cmat *rho, const nmrc_cmat *sigma,
                                  double *out)
{
    nmrc_cmat Wr, Ws, K;
    double *sv, tr = 0;
    size_t n;
    nmrc_status st = check_pair(rho, sigma, ws);
    if (!st)
        st = sqrt_factor(rho, 0, ws, &Wr);
    if (!st)
        st = sqrt_factor(sigma, 1, ws, &Ws);
    if (st)
        return st;
    /* sqrt(rho) sqrt(sigma) = V_r (W_r^+ W_s) V_s^+ has the singular values of K. */
    n = rho->n1;
    K = nmrc_mx_buf(ws, 2, n);
    st = nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, &Wr, &Ws, 0.0, &K);
    if (st)
        return st;
    sv = ws->w[2];
    if (LAPACKE_zgesvd_work(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)n, (lapack_int)n, K.data,
                            (lapack_int)n, sv, NULL, 1, NULL, 1, ws->svd_work,
                            (lapack_int)ws->svd_lwork, ws->svd_rwork) != 0)
        return NMRC_ELAPACK;
    for (size_t k = 0; k < n; k++)
        tr += sv[k];
    *out = tr * tr;
    if (*out > 1 && *out < 1 + 1e-12) /* F <= 1; rounding may exceed it */
        *out = 1;
    return NMRC_OK;
}

nmrc_status nmrc_metrics_trace_distance(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                        const nmrc_cmat *sigma, double *out)
{
    nmrc_cmat D;
    double t = 0;
    size_t n;
    nmrc_status st = check_pair(rho, sigma, ws);
    if (st)
        return st;
    n = rho->n1;
    D = nmrc_mx_buf(ws, 1, n);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            NMRC_CMAT_AT(&D, i, j) = NMRC_CMAT_AT(rho, i, j) - NMRC_CMAT_AT(sigma, i, j);
    st = nmrc_mx_eigvals(&D, 0, ws->w[0], ws);
    if (st)
        return st;
    for (size_t k = 0; k < n; k++)
        t += fabs(ws->w[0][k]);
    *out = 0.5 * t;
    return NMRC_OK;
}
