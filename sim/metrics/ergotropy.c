/*
** ergotropy.c: battery metrics of a state for H = V diag(E) V^+ (paper
** Sec. IV, Eqs. 20-27): energy, ergotropy from the passive state, anti-
** ergotropy from the active state, capacity, and the l1 coherence in a
** canonical energy basis that does not depend on how the eigensolver
** picked vectors inside a degenerate level.
*/
#include <complex.h>
#include <math.h>
#include <string.h>

#include "metrics_impl.h"

#define GS_TOL 1e-3 /* smallest accepted component; < 1/sqrt(4096) guarantees a full basis */

/* Sorts order[0..n) so that e[order[k]] ascends (insertion sort: the
** eigensolver already returns ascending values, making this O(n)). */
static void sort_index(const double *e, size_t *order, size_t n)
{
    for (size_t k = 0; k < n; k++)
        order[k] = k;
    for (size_t k = 1; k < n; k++) {
        size_t v = order[k], m = k;
        while (m > 0 && e[order[m - 1]] > e[v]) {
            order[m] = order[m - 1];
            m--;
        }
        order[m] = v;
    }
}

/* Orthonormalizes y (length m) against the first j columns of W (m x m,
** ld m) twice (classical Gram-Schmidt with reorthogonalization) and
** returns the remaining norm. */
static double orthogonalize(nmrc_cplx *y, const nmrc_cplx *W, size_t j, size_t m)
{
    double nrm = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 0; c < j; c++) {
            nmrc_cplx dot = 0;
            for (size_t r = 0; r < m; r++)
                dot += conj(W[r + c * m]) * y[r];
            for (size_t r = 0; r < m; r++)
                y[r] -= dot * W[r + c * m];
        }
    for (size_t r = 0; r < m; r++)
        nrm += creal(y[r]) * creal(y[r]) + cimag(y[r]) * cimag(y[r]);
    return sqrt(nrm);
}

/* Replaces the m columns C[:, s..s+m) (an orthonormal basis of one level)
** by the canonical basis: the coordinates y_i = C_s^+ e_i of the projected
** computational vectors, Gram-Schmidt in index order, then C_s W. */
static NMRC_NODISCARD nmrc_status canon_level(nmrc_cplx *C, size_t d, size_t s, size_t m, nmrc_metrics_ws *ws)
{
    nmrc_cplx *W = ws->buf[0], *y = ws->vec, *cs = C + s * d;
    nmrc_cmat Cs, Wm, P;
    size_t j = 0;
    for (size_t i = 0; i < d && j < m; i++) {
        double nrm;
        for (size_t k = 0; k < m; k++)
            y[k] = conj(cs[i + k * d]);
        nrm = orthogonalize(y, W, j, m);
        if (nrm <= GS_TOL)
            continue;
        for (size_t k = 0; k < m; k++)
            W[k + j * m] = y[k] / nrm;
        j++;
    }
    if (j < m)
        return NMRC_ENUMERIC;
    Cs = nmrc_cmat_view(cs, d, m, d);
    Wm = nmrc_cmat_view(W, m, m, m);
    P = nmrc_cmat_view(ws->buf[1], d, m, d);
    if (nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &Cs, &Wm, 0.0, &P))
        return NMRC_EBADLEN;
    for (size_t k = 0; k < m; k++)
        memcpy(cs + k * d, P.data + k * d, d * sizeof *cs);
    return NMRC_OK;
}

/* Writes sorted energies into es and the canonical basis into C (d x d,
** ld d, must not be scratch 0 or 1).  Uses scratch 0, 1, vec and order. */
static NMRC_NODISCARD nmrc_status canon_basis(const double *energies, const nmrc_cmat *V, double *es,
                               nmrc_cplx *C, nmrc_metrics_ws *ws)
{
    size_t d = ws->dim, s = 0;
    double scale = 0, tol;
    sort_index(energies, ws->order, d);
    for (size_t k = 0; k < d; k++) {
        if (!isfinite(energies[k]))
            return NMRC_EINVAL;
        es[k] = energies[ws->order[k]];
        memcpy(C + k * d, V->data + ws->order[k] * V->ld, d * sizeof *C);
        scale = fmax(scale, fabs(es[k]));
    }
    tol = NMRC_METRICS_DEGEN_RTOL * scale;
    while (s < d) {
        size_t m = 1;
        while (s + m < d && es[s + m] - es[s + m - 1] <= tol)
            m++;
        if (m > 1) {
            nmrc_status st = canon_level(C, d, s, m, ws);
            if (st)
                return st;
        }
        s += m;
    }
    return NMRC_OK;
}

/* Checks the Hamiltonian arguments against the workspace. */
static NMRC_NODISCARD nmrc_status check_h(const double *energies, const nmrc_cmat *V, const nmrc_metrics_ws *ws)
{
    if (!ws || !energies || !V || !V->data || V->n1 != ws->dim || V->n2 != ws->dim ||
        V->ld < V->n1)
        return NMRC_EBADLEN;
    return NMRC_OK;
}

nmrc_status nmrc_metrics_energy_basis(nmrc_metrics_ws *ws, const double *energies,
                                      const nmrc_cmat *eigvecs, double *e_sorted, nmrc_cmat *basis)
{
    nmrc_status st = check_h(energies, eigvecs, ws);
    size_t d;
    if (st || !e_sorted || !basis || !basis->data || basis->n1 != ws->dim ||
        basis->n2 != ws->dim || basis->ld < basis->n1)
        return st ? st : NMRC_EBADLEN;
    d = ws->dim;
    st = canon_basis(energies, eigvecs, ws->w[1], ws->buf[2], ws);
    if (st)
        return st;
    memcpy(e_sorted, ws->w[1], d * sizeof *e_sorted);
    for (size_t k = 0; k < d; k++)
        memcpy(basis->data + k * basis->ld, ws->buf[2] + k * d, d * sizeof *basis->data);
    return NMRC_OK;
}

/* R = C^+ rho C into scratch 1 (C = scratch 2, canonical basis; scratch 0
** temporary).  Returns R's view through *R. */
static NMRC_NODISCARD nmrc_status to_energy_basis(const nmrc_cmat *rho, nmrc_metrics_ws *ws, nmrc_cmat *R)
{
    size_t d = ws->dim;
    nmrc_cmat C = nmrc_mx_buf(ws, 2, d), T = nmrc_mx_buf(ws, 0, d);
    *R = nmrc_mx_buf(ws, 1, d);
    return nmrc_cmat_similarity_adj(R, &C, rho, &T);
}

/* Off-diagonal l1 norm of R. */
static double offdiag_l1(const nmrc_cmat *R)
{
    double c = 0;
    for (size_t j = 0; j < R->n2; j++)
        for (size_t i = 0; i < R->n1; i++)
            if (i != j)
                c += cabs(NMRC_CMAT_AT(R, i, j));
    return c;
}

/* Validates, canonicalizes the basis and transforms rho into it: sorted
** energies in ws->w[1], R in scratch 1. */
static NMRC_NODISCARD nmrc_status prepare(const nmrc_cmat *rho, const double *energies, const nmrc_cmat *V,
                           nmrc_metrics_ws *ws, nmrc_cmat *R)
{
    nmrc_status st = check_h(energies, V, ws);
    if (!st)
        st = nmrc_mx_check_state(rho, ws->dim);
    if (!st)
        st = canon_basis(energies, V, ws->w[1], ws->buf[2], ws);
    if (!st)
        st = to_energy_basis(rho, ws, R);
    return st;
}

nmrc_status nmrc_metrics_coherence_energy(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                          const double *energies, const nmrc_cmat *eigvecs,
                                          double *out)
{
    nmrc_cmat R;
    nmrc_status st = prepare(rho, energies, eigvecs, ws, &R);
    if (!st)
        *out = offdiag_l1(&R);
    return st;
}

/* Sets *x to 0 when |*x| <= tol: rounding of a zero figure (so xi(0) of a
** Gibbs state prints as 0, not +-1e-17). */
static void snap(double *x, double tol)
{
    if (fabs(*x) <= tol)
        *x = 0;
}

/* Fills energy, passive/active energies and the three battery figures from
** R (rho in the sorted energy basis), es (ascending energies) and lam (rho's
** eigenvalues, ascending). */
static void battery_figs(const nmrc_cmat *R, const double *es, const double *lam, size_t d,
                         nmrc_battery_figs *out)
{
    double e = 0, ep = 0, ea = 0, tol = 0;
    for (size_t k = 0; k < d; k++) {
        e += es[k] * creal(NMRC_CMAT_AT(R, k, k));
        ep += lam[d - 1 - k] * es[k]; /* largest population on the lowest level */
        ea += lam[k] * es[k];         /* largest population on the highest level */
        tol = fmax(tol, fabs(es[k]));
    }
    tol *= 1e-11;
    out->energy = e;
    out->e_passive = ep;
    out->e_active = ea;
    out->ergotropy = e - ep;
    out->antiergotropy = e - ea;
    out->capacity = ea - ep;
    snap(&out->ergotropy, tol);
    snap(&out->antiergotropy, tol);
    snap(&out->capacity, tol);
}

nmrc_status nmrc_metrics_battery(nmrc_metrics_ws *ws, const nmrc_cmat *rho, const double *energies,
                                 const nmrc_cmat *eigvecs, nmrc_battery_figs *out)
{
    nmrc_cmat R;
    nmrc_status st = prepare(rho, energies, eigvecs, ws, &R);
    if (!st)
        st = nmrc_mx_eigvals(&R, 0, ws->w[0], ws);
    if (st)
        return st;
    battery_figs(&R, ws->w[1], ws->w[0], ws->dim, out);
    out->coherence = offdiag_l1(&R);
    return NMRC_OK;
}
