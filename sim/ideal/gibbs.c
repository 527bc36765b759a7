/*
** gibbs.c: the Gibbs state exp(-H/T)/Z for any temperature T >= 0.
** Energies are shifted by the ground energy before exponentiation, so Z >= 1
** and nothing overflows for large beta or large energies; T = 0 gives the
** projector onto the (numerically) degenerate ground space divided by its
** dimension.  The state is assembled as (V sqrt(p)) (V sqrt(p))^+: one gemm,
** Hermitian and positive semidefinite by construction.
*/
#include <math.h>
#include <stdlib.h>

#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "core/defs.h"

static NMRC_NODISCARD nmrc_status check_energies(const double *w, size_t n, nmrc_ctx *ctx)
{
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(w[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "energy %zu is not finite", k);
        if (k > 0 && w[k] < w[k - 1])
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "energies are not in ascending order");
    }
    return NMRC_OK;
}

/* T = 0: uniform weights on the levels within the degeneracy tolerance. */
static void ground_weights(const double *w, size_t n, double *p)
{
    double scale = fmax(fmax(fabs(w[0]), fabs(w[n - 1])), 1e-300);
    double tol = NMRC_GIBBS_DEGTOL * scale;
    size_t g = 0;
    for (size_t k = 0; k < n; k++)
        g += (w[k] - w[0] <= tol);
    for (size_t k = 0; k < n; k++)
        p[k] = (w[k] - w[0] <= tol) ? 1.0 / (double)g : 0.0;
}

nmrc_status nmrc_gibbs_weights(const double *w, size_t n, double T, nmrc_ctx *ctx, double *p)
{
    double z = 0;
    nmrc_status st;

    if (n == 0)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Gibbs state of an empty spectrum");
    if (isnan(T) || T < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "temperature %g is not >= 0", T);
    if ((st = check_energies(w, n, ctx)) != NMRC_OK)
        return st;
    if (T == 0) {
        ground_weights(w, n, p);
        return NMRC_OK;
    }
    /* exp(-(E - E0)/T) is in (0, 1]; the ground term makes z >= 1. */
    for (size_t k = 0; k < n; k++) {
        p[k] = isinf(T) ? 1.0 : exp(-(w[k] - w[0]) / T);
        z += p[k];
    }
    for (size_t k = 0; k < n; k++)
        p[k] /= z;
    return NMRC_OK;
}

nmrc_status nmrc_gibbs_from_eig(nmrc_cmat *rho, const nmrc_cmat *V, const double *p,
                                nmrc_cmat *tmp)
{
    size_t n = V->n1;
    nmrc_status st;

    if (V->n2 != n || tmp->n1 != n || tmp->n2 != n || rho->n1 != n || rho->n2 != n)
        return NMRC_EBADLEN;
    for (size_t k = 0; k < n; k++) {
        double s = p[k] > 0 ? sqrt(p[k]) : 0.0;
        for (size_t i = 0; i < n; i++)
            NMRC_CMAT_AT(tmp, i, k) = s * NMRC_CMAT_AT(V, i, k);
    }
    st = nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, tmp, 0.0, rho);
    if (st == NMRC_OK)
        nmrc_cmat_hermitize(rho);
    return st;
}

nmrc_status nmrc_sim_gibbs(const nmrc_cmat *H, double T, nmrc_ctx *ctx, nmrc_cmat *rho)
{
    size_t n = H->n1;
    nmrc_status st;
    nmrc_cmat *V, *tmp;
    nmrc_eigh_ws *ws;
    double *w, *p;

    if (H->n2 != n || rho->n1 != n || rho->n2 != n || n == 0)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Gibbs state: H and rho must be square "
                              "and of the same size");
    if (isnan(T) || T < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "temperature %g is not >= 0", T);
    V = nmrc_cmat_create(n, n);
    tmp = nmrc_cmat_create(n, n);
    ws = nmrc_eigh_ws_create(n);
    w = malloc(n * sizeof *w);
    p = malloc(n * sizeof *p);
    if (!V || !tmp || !ws || !w || !p) {
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "Gibbs state: out of memory (dim %zu)", n);
        goto done;
    }
    NMRC_CHECKED(nmrc_cmat_copy(V, H));
    st = nmrc_eigh(V, w, ws);
    if (st != NMRC_OK) {
        nmrc_ctx_error(ctx, st, "Gibbs state: eigendecomposition of H failed (%s)",
                       nmrc_strerror(st));
        goto done;
    }
    if ((st = nmrc_gibbs_weights(w, n, T, ctx, p)) == NMRC_OK)
        st = nmrc_gibbs_from_eig(rho, V, p, tmp);
done:
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(tmp);
    nmrc_eigh_ws_destroy(ws);
    free(w);
    free(p);
    return st;
}
