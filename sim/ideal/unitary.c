/*
** unitary.c: closed-system evolution rho(t) = exp(-iHt) rho0 exp(iHt) through
** the eigendecomposition H = V diag(w) V^+.  The plan diagonalizes once; a
** workspace keeps rho0 in the eigenbasis, where evolution is the phase
** exp(-i(w_k - w_l)t) per element, so each output time costs O(n^2) phases
** plus two gemms back to the computational basis.  Execution only reads the
** plan, so one plan serves many threads, each with its own workspace.
*/
#include <math.h>
#include <stdlib.h>

#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "core/defs.h"

struct nmrc_unitary_plan {
    size_t n;
    double *w;        /* ascending eigenvalues */
    nmrc_cmat *V;     /* eigenvectors (columns) */
};

struct nmrc_unitary_ws {
    size_t n;
    nmrc_cmat *rho_e; /* rho0 in the eigenbasis */
    nmrc_cmat *a, *b; /* scratch */
    nmrc_cplx *ph;    /* per-level phases exp(-i (w_k - c) t) */
    const nmrc_unitary_plan *state_of; /* plan whose eigenbasis rho_e is in (NULL: none) */
};

void nmrc_unitary_plan_destroy(nmrc_unitary_plan *p)
{
    if (!p)
        return;
    free(p->w);
    nmrc_cmat_destroy(p->V);
    free(p);
}

nmrc_status nmrc_unitary_plan_create(const nmrc_cmat *H, nmrc_ctx *ctx,
                                     nmrc_unitary_plan **out)
{
    nmrc_unitary_plan *p;
    nmrc_eigh_ws *ws;
    nmrc_status st;
    size_t n = H->n1;
    double scale;

    *out = NULL;
    if (n == 0 || H->n2 != n)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "unitary plan: H must be square");
    scale = nmrc_cmat_norm_max(H);
    if (!isfinite(scale))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "unitary plan: H has non-finite entries");
    if (nmrc_cmat_herm_dev(H) > 1e-12 * fmax(scale, 1e-300))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "unitary plan: H is not Hermitian");
    p = calloc(1, sizeof *p);
    ws = nmrc_eigh_ws_create(n);
    if (!p || !ws || !(p->w = malloc(n * sizeof *p->w)) || !(p->V = nmrc_cmat_create(n, n))) {
        nmrc_eigh_ws_destroy(ws);
        nmrc_unitary_plan_destroy(p);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "unitary plan: out of memory (dim %zu)", n);
    }
    p->n = n;
    NMRC_CHECKED(nmrc_cmat_copy(p->V, H));
    st = nmrc_eigh(p->V, p->w, ws);
    nmrc_eigh_ws_destroy(ws);
    if (st != NMRC_OK) {
        nmrc_unitary_plan_destroy(p);
        return nmrc_ctx_error(ctx, st, "unitary plan: eigendecomposition failed");
    }
    *out = p;
    return NMRC_OK;
}

size_t nmrc_unitary_plan_dim(const nmrc_unitary_plan *p) { return p->n; }
const double *nmrc_unitary_plan_energies(const nmrc_unitary_plan *p) { return p->w; }
const nmrc_cmat *nmrc_unitary_plan_vectors(const nmrc_unitary_plan *p) { return p->V; }

void nmrc_unitary_ws_destroy(nmrc_unitary_ws *ws)
{
    if (!ws)
        return;
    nmrc_cmat_destroy(ws->rho_e);
    nmrc_cmat_destroy(ws->a);
    nmrc_cmat_destroy(ws->b);
    free(ws->ph);
    free(ws);
}

nmrc_unitary_ws *nmrc_unitary_ws_create(const nmrc_unitary_plan *p)
{
    nmrc_unitary_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n = p->n;
    ws->rho_e = nmrc_cmat_create(p->n, p->n);
    ws->a = nmrc_cmat_create(p->n, p->n);
    ws->b = nmrc_cmat_create(p->n, p->n);
    ws->ph = malloc(p->n * sizeof *ws->ph);
    if (!ws->rho_e || !ws->a || !ws->b || !ws->ph) {
        nmrc_unitary_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

nmrc_status nmrc_unitary_propagator(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws, double t,
                                    nmrc_cmat *U)
{
    if (U->n1 != p->n || U->n2 != p->n || ws->n != p->n)
        return NMRC_EBADLEN;
    return nmrc_expih_eig(U, p->V, p->w, t, ws->a);
}

nmrc_status nmrc_unitary_set_state(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws,
                                   const nmrc_cmat *rho0)
{
    nmrc_status st;
    if (rho0->n1 != p->n || rho0->n2 != p->n || ws->n != p->n)
        return NMRC_EBADLEN;
    st = nmrc_cmat_similarity_adj(ws->rho_e, p->V, rho0, ws->a);
    ws->state_of = st == NMRC_OK ? p : NULL;
    return st;
}

nmrc_status nmrc_unitary_state_at(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws, double t,
                                  nmrc_cmat *rho)
{
    size_t n = p->n;
    nmrc_cmat *b = ws->b;
    if (rho->n1 != n || rho->n2 != n || ws->n != n)
        return NMRC_EBADLEN;
    if (ws->state_of != p)
        return NMRC_EINVAL;
    NMRC_ASSERT(ws->rho_e->n1 == n && ws->b->n1 == n && ws->a->n1 == n);
    /* b_kl = exp(-i (w_k - w_l) t) rho_e,kl as a product of per-level phases
    ** (n sincos instead of n^2); energies are centred on the middle of the
    ** spectrum to keep the phase arguments small. */
    double c = 0.5 * (p->w[0] + p->w[n - 1]);
    for (size_t k = 0; k < n; k++) {
        double a = (p->w[k] - c) * t;
        ws->ph[k] = cos(a) - I * sin(a);
    }
    for (size_t l = 0; l < n; l++) {
        nmrc_cplx el = conj(ws->ph[l]);
        for (size_t k = 0; k < n; k++)
            NMRC_CMAT_AT(b, k, l) = ws->ph[k] * el * NMRC_CMAT_AT(ws->rho_e, k, l);
    }
    return nmrc_cmat_similarity(rho, p->V, b, ws->a);
}

nmrc_status nmrc_unitary_execute(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws,
                                 const nmrc_cmat *rho0, const double *t, size_t n_t,
                                 nmrc_ctx *ctx, nmrc_cmat *out)
{
    size_t n = p->n;
    if (ws->n != n)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "unitary: workspace made for dimension %zu, "
                              "plan has %zu", ws->n, n);
    if (rho0->n1 != n || rho0->n2 != n)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "unitary: initial state must be %zu x %zu",
                              n, n);
    for (size_t k = 0; k < n_t; k++) {
        if (!isfinite(t[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "unitary: output time t[%zu] = %g is not "
                                  "finite", k, t[k]);
        if (out[k].n1 != n || out[k].n2 != n)
            return nmrc_ctx_error(ctx, NMRC_EBADLEN, "unitary: output %zu must be %zu x %zu",
                                  k, n, n);
    }
    NMRC_CHECKED(nmrc_unitary_set_state(p, ws, rho0));
    for (size_t k = 0; k < n_t; k++)
        NMRC_CHECKED(nmrc_unitary_state_at(p, ws, t[k], &out[k]));
    return NMRC_OK;
}
