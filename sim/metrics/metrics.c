/*
** metrics.c: the metrics workspace, state validation and the simple
** single-state measures: expectation values, l1 coherence in the
** computational basis, purity, von Neumann entropy and partial traces.
** Battery metrics are in ergotropy.c, two-qubit correlations in
** correlations.c, distances in fidelity.c.
*/
#include <complex.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_impl.h"
#include "nmrc/consts.h"

/* ---- Workspace --------------------------------------------------------- */

void nmrc_metrics_ws_destroy(nmrc_metrics_ws *ws)
{
    if (!ws)
        return;
    for (int k = 0; k < NMRC_MX_NBUF; k++) {
        free(ws->buf[k]);
        free(ws->w[k]);
    }
    free(ws->order);
    free(ws->vec);
    if (ws->eig4 != ws->eig)
        nmrc_eigh_ws_destroy(ws->eig4);
    nmrc_eigh_ws_destroy(ws->eig);
    free(ws->svd_work);
    free(ws->svd_rwork);
    free(ws);
}

/* Sizes the zgesvd work array (no singular vectors) for cap x cap. */
static int svd_query(nmrc_metrics_ws *ws)
{
    lapack_int n = (lapack_int)ws->cap;
    nmrc_cplx q = 0, a = 0;
    double s = 0, r = 0;
    lapack_int lwork = 3 * n; /* documented minimum 2 min(m,n) + max(m,n) */
    if (LAPACKE_zgesvd_work(LAPACK_COL_MAJOR, 'N', 'N', n, n, &a, n, &s, NULL, 1, NULL, 1, &q,
                            -1, &r) == 0 &&
        (lapack_int)creal(q) > lwork)
        lwork = (lapack_int)creal(q);
    ws->svd_lwork = (int)lwork;
    ws->svd_work = malloc((size_t)lwork * sizeof *ws->svd_work);
    ws->svd_rwork = malloc(5 * ws->cap * sizeof *ws->svd_rwork);
    return ws->svd_work && ws->svd_rwork;
}

nmrc_metrics_ws *nmrc_metrics_ws_create(size_t n_spins)
{
    nmrc_metrics_ws *ws;
    int ok = 1;
    if (n_spins < 1 || n_spins > NMRC_MAX_SPINS)
        return NULL;
    ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n_spins = n_spins;
    ws->dim = (size_t)1 << n_spins;
    ws->cap = ws->dim < 4 ? 4 : ws->dim;
    for (int k = 0; k < NMRC_MX_NBUF; k++) {
        ws->buf[k] = malloc(ws->cap * ws->cap * sizeof *ws->buf[k]);
        ws->w[k] = malloc(ws->cap * sizeof *ws->w[k]);
        ok = ok && ws->buf[k] && ws->w[k];
    }
    ws->order = malloc(ws->cap * sizeof *ws->order);
    ws->vec = malloc(ws->cap * sizeof *ws->vec);
    ws->eig = nmrc_eigh_ws_create(ws->dim);
    ws->eig4 = ws->dim == 4 ? ws->eig : nmrc_eigh_ws_create(4);
    ok = ok && ws->order && ws->vec && ws->eig && ws->eig4 && svd_query(ws);
    if (!ok) {
        nmrc_metrics_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

size_t nmrc_metrics_ws_dim(const nmrc_metrics_ws *ws) { return ws ? ws->dim : 0; }

/* ---- Internal helpers (metrics_impl.h) ---------------------------------- */

nmrc_status nmrc_mx_check_state(const nmrc_cmat *rho, size_t n)
{
    double tr = 0;
    if (!rho || !rho->data || rho->n1 != n || rho->n2 != n || rho->ld < n)
        return NMRC_EBADLEN;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            nmrc_cplx z = NMRC_CMAT_AT(rho, i, j);
            if (!isfinite(creal(z)) || !isfinite(cimag(z)))
                return NMRC_EINVAL;
        }
    for (size_t i = 0; i < n; i++)
        tr += creal(NMRC_CMAT_AT(rho, i, i));
    return fabs(tr - 1.0) <= NMRC_MX_TRACE_TOL ? NMRC_OK : NMRC_EINVAL;
}

nmrc_eigh_ws *nmrc_mx_eig_for(nmrc_metrics_ws *ws, size_t n)
{
    if (n == ws->dim)
        return ws->eig;
    return n == 4 ? ws->eig4 : NULL;
}

nmrc_cmat nmrc_mx_buf(nmrc_metrics_ws *ws, int k, size_t n)
{
    return nmrc_cmat_view(ws->buf[k], n, n, n);
}

nmrc_cmat nmrc_mx_copy_to_buf(nmrc_metrics_ws *ws, int k, const nmrc_cmat *src)
{
    nmrc_cmat b = nmrc_mx_buf(ws, k, src->n1);
    for (size_t j = 0; j < src->n2; j++)
        memcpy(b.data + j * b.ld, src->data + j * src->ld, src->n1 * sizeof *b.data);
    return b;
}

nmrc_status nmrc_mx_eigvals(const nmrc_cmat *src, int k, double *w, nmrc_metrics_ws *ws)
{
    nmrc_eigh_ws *e = nmrc_mx_eig_for(ws, src->n1);
    nmrc_cmat b;
    if (!e)
        return NMRC_EBADLEN;
    b = nmrc_mx_copy_to_buf(ws, k, src);
    return nmrc_eigvalsh(&b, w, e);
}

double nmrc_mx_eig_floor(const double *w, size_t n)
{
    double m = 0;
    for (size_t k = 0; k < n; k++)
        m = fmax(m, w[k]);
    return 4.0 * (double)n * DBL_EPSILON * m;
}

double nmrc_mx_entropy_nats(const double *w, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        if (w[k] > 0)
            s -= w[k] * log(w[k]);
    return s;
}

double nmrc_mx_qubit_entropy_bits(double r)
{
    double p, q, s = 0;
    r = r < 0 ? 0 : (r > 1 ? 1 : r);
    p = 0.5 * (1 + r);
    q = 0.5 * (1 - r);
    if (p > 0)
        s -= p * log2(p);
    if (q > 0)
        s -= q * log2(q);
    return s;
}

/* ---- Single-state measures ---------------------------------------------- */

/* Shape check for the workspace-free measures: square, ld >= n, data. */
static int square(const nmrc_cmat *m)
{
    return m && m->data && m->n1 == m->n2 && m->n1 > 0 && m->ld >= m->n1;
}

nmrc_status nmrc_metrics_expect(const nmrc_cmat *rho, const nmrc_cmat *A, double *out)
{
    if (!square(rho) || !square(A) || A->n1 != rho->n1)
        return NMRC_EBADLEN;
    *out = creal(nmrc_cmat_trace_prod(rho, A));
    return isfinite(*out) ? NMRC_OK : NMRC_EINVAL;
}

nmrc_status nmrc_metrics_coherence(const nmrc_cmat *rho, double *out)
{
    double c = 0;
    if (!square(rho))
        return NMRC_EBADLEN;
    for (size_t j = 0; j < rho->n2; j++)
        for (size_t i = 0; i < rho->n1; i++)
            if (i != j)
                c += cabs(NMRC_CMAT_AT(rho, i, j));
    *out = c;
    return isfinite(c) ? NMRC_OK : NMRC_EINVAL;
}

nmrc_status nmrc_metrics_purity(const nmrc_cmat *rho, double *out)
{
    double p = 0;
    if (!square(rho))
        return NMRC_EBADLEN;
    for (size_t j = 0; j < rho->n2; j++)
        for (size_t i = 0; i < rho->n1; i++) {
            nmrc_cplx z = NMRC_CMAT_AT(rho, i, j);
            p += creal(z) * creal(z) + cimag(z) * cimag(z);
        }
    *out = p;
    return isfinite(p) ? NMRC_OK : NMRC_EINVAL;
}

nmrc_status nmrc_metrics_entropy(nmrc_metrics_ws *ws, const nmrc_cmat *rho, double *out)
{
    nmrc_status st;
    size_t n = rho ? rho->n1 : 0;
    if (!ws || !nmrc_mx_eig_for(ws, n))
        return NMRC_EBADLEN;
    st = nmrc_mx_check_state(rho, n);
    if (!st)
        st = nmrc_mx_eigvals(rho, 0, ws->w[0], ws);
    if (!st)
        *out = nmrc_mx_entropy_nats(ws->w[0], n);
    return st;
}

/* ---- Partial trace ------------------------------------------------------ */

/* Returns x with bit q moved to bit pos[q] (q < nb). */
static size_t spread(size_t x, const unsigned *pos, unsigned nb)
{
    size_t r = 0;
    for (unsigned q = 0; q < nb; q++)
        r |= ((x >> q) & 1u) << pos[q];
    return r;
}

/* Sums rho over the traced bits tpos[0..nt) for the kept bits kpos[0..nk)
** (kpos[q] = full-index bit of bit q of the reduced index). */
static void trace_out(const nmrc_cmat *rho, const unsigned *kpos, unsigned nk,
                      const unsigned *tpos, unsigned nt, nmrc_cmat *out)
{
    size_t dk = (size_t)1 << nk, dt = (size_t)1 << nt;
    for (size_t b = 0; b < dk; b++)
        for (size_t a = 0; a < dk; a++) {
            size_t ia = spread(a, kpos, nk), ib = spread(b, kpos, nk);
            nmrc_cplx s = 0;
            for (size_t r = 0; r < dt; r++) {
                size_t ir = spread(r, tpos, nt);
                s += NMRC_CMAT_AT(rho, ia | ir, ib | ir);
            }
            NMRC_CMAT_AT(out, a, b) = s;
        }
}

/* Checks rho (2^n square) and out (2^k square) shapes. */
static NMRC_NODISCARD nmrc_status trace_shapes(const nmrc_cmat *rho, size_t n_spins, unsigned k,
                                const nmrc_cmat *out)
{
    size_t d = (size_t)1 << n_spins, dk = (size_t)1 << k;
    if (!square(rho) || rho->n1 != d || !square(out) || out->n1 != dk)
        return NMRC_EBADLEN;
    return NMRC_OK;
}

nmrc_status nmrc_metrics_partial_trace(const nmrc_cmat *rho, size_t n_spins, unsigned keep,
                                       nmrc_cmat *out)
{
    unsigned kpos[NMRC_MAX_SPINS], tpos[NMRC_MAX_SPINS], nk = 0, nt = 0;
    if (n_spins < 1 || n_spins > NMRC_MAX_SPINS || keep == 0 || (keep >> n_spins) != 0)
        return NMRC_EINVAL;
    /* Spin s is bit n-1-s of the full index; walk spins from the highest
    ** index so that kept bit q (LSB first) is the (nk-1-q)-th kept spin. */
    for (size_t s = n_spins; s-- > 0;) {
        unsigned bit = (unsigned)(n_spins - 1 - s);
        if ((keep >> s) & 1u)
            kpos[nk++] = bit;
        else
            tpos[nt++] = bit;
    }
    if (trace_shapes(rho, n_spins, nk, out))
        return NMRC_EBADLEN;
    trace_out(rho, kpos, nk, tpos, nt, out);
    return NMRC_OK;
}

nmrc_status nmrc_metrics_reduce_pair(const nmrc_cmat *rho, size_t n_spins, size_t i, size_t j,
                                     nmrc_cmat *rho_ij)
{
    unsigned kpos[2], tpos[NMRC_MAX_SPINS], nt = 0;
    if (n_spins < 2 || n_spins > NMRC_MAX_SPINS || i == j || i >= n_spins || j >= n_spins)
        return NMRC_EINVAL;
    if (trace_shapes(rho, n_spins, 2, rho_ij))
        return NMRC_EBADLEN;
    kpos[0] = (unsigned)(n_spins - 1 - j); /* LSB of the pair index: spin j (B) */
    kpos[1] = (unsigned)(n_spins - 1 - i); /* MSB: spin i (A) */
    for (size_t s = n_spins; s-- > 0;)
        if (s != i && s != j)
            tpos[nt++] = (unsigned)(n_spins - 1 - s);
    trace_out(rho, kpos, 2, tpos, nt, rho_ij);
    return NMRC_OK;
}
