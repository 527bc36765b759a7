/*
** lindblad.c: execution side of Lindblad evolution.  Workspaces, the
** INITIALIZE/ITERATE step API, execute over an output grid, the exact
** propagator exp(L dt) of the Liouvillian (reused while dt repeats, so a
** uniform grid needs one matrix exponential) and the initial state in the
** plan's block basis.  Output checks and the change back to the caller's
** basis are in lindblad_out.c.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "lindblad_impl.h"

void nmrc_lindblad_ws_destroy(nmrc_lindblad_ws *ws)
{
    if (!ws)
        return;
    nmrc_cmat_destroy(ws->S);
    nmrc_cmat_destroy(ws->term);
    nmrc_cmat_destroy(ws->next);
    nmrc_cmat_destroy(ws->backup);
    nmrc_cmat_destroy(ws->scratch);
    nmrc_cmat_destroy(ws->chk);
    nmrc_expm_ws_destroy(ws->ews);
    nmrc_cmat_destroy(ws->Ldt);
    nmrc_cmat_destroy(ws->P);
    free(ws->bessel);
    free(ws->bessel_scale);
    free(ws->cheb_kj);
    free(ws);
}

nmrc_lindblad_ws *nmrc_lindblad_ws_create(const nmrc_lindblad_plan *p)
{
    nmrc_lindblad_ws *ws = calloc(1, sizeof *ws);
    size_t d = p->d, D = d * d;
    int ok;

    if (!ws)
        return NULL;
    ws->d = d;
    ws->blk = d;
    ws->S = nmrc_cmat_create(d, d);
    ws->next = nmrc_cmat_create(d, d);
    ok = ws->S && ws->next;
    if (p->method != NMRC_LINDBLAD_EXACT) {
        ws->term = nmrc_cmat_create(d, d);
        ws->backup = nmrc_cmat_create(d, d);
        ok = ok && ws->term && ws->backup;
        if (p->method == NMRC_LINDBLAD_CHEBYSHEV) {
            ws->bessel = malloc((NMRC_LB_MAXOUT + 1) * (NMRC_LB_CHEB_KMAX + 1) *
                                sizeof *ws->bessel);
            ws->bessel_scale = malloc(NMRC_LB_MAXOUT * sizeof *ws->bessel_scale);
            ws->cheb_kj = malloc(NMRC_LB_MAXOUT * sizeof *ws->cheb_kj);
            ok = ok && ws->bessel && ws->bessel_scale && ws->cheb_kj;
        }
    } else {
        ws->ews = nmrc_expm_ws_create(D);
        ws->Ldt = nmrc_cmat_create(D, D);
        ws->P = nmrc_cmat_create(D, D);
        ok = ok && ws->ews && ws->Ldt && ws->P;
    }
    if (p->need_scratch)
        ok = ok && (ws->scratch = nmrc_cmat_create(d, d));
    if (p->perm && p->method == NMRC_LINDBLAD_CHEBYSHEV)
        ok = ok && (ws->chk = nmrc_cmat_create(d, d));
    if (!ok) {
        nmrc_lindblad_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

/* S = the Hermitian part of rho0 in the plan's basis; with relabelling, on
** the blocks only when the part outside them is negligible (Frobenius norm
** below 1e-4 rtol ||rho0||_F: dropping it costs a 1e-4 of the error budget;
** for an exactly symmetric state it is zero or rounding).  The other
** workspace matrices are zeroed so nothing outside the blocks is ever read. */
static void init_state(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const nmrc_cmat *rho0)
{
    size_t d = p->d;
    double off = 0, all = 0;
    if (!p->perm) {
        NMRC_CHECKED(nmrc_cmat_copy(ws->S, rho0));
        nmrc_cmat_hermitize(ws->S); /* the integrator relies on exact Hermiticity */
        ws->blk = d;
        return;
    }
    for (size_t y = 0; y < d; y++)
        for (size_t x = 0; x < d; x++) {
            nmrc_cplx v = NMRC_CMAT_AT(rho0, x, y);
            double a2 = creal(v) * creal(v) + cimag(v) * cimag(v);
            all += a2;
            if (nmrc_lb_blk0(p->perm[x], p->blk) != nmrc_lb_blk0(p->perm[y], p->blk))
                off += a2;
        }
    ws->blk = sqrt(off) <= 1e-4 * p->opts.rtol * sqrt(all) ? p->blk : d;
    nmrc_cmat_zero(ws->S);
    if (ws->term) {
        nmrc_cmat_zero(ws->term);
        nmrc_cmat_zero(ws->next);
        nmrc_cmat_zero(ws->backup);
    }
    for (size_t yb = 0; yb < d; yb++) {
        size_t y = p->iperm[yb], b0 = nmrc_lb_blk0(yb, ws->blk);
        for (size_t xb = b0; xb < b0 + ws->blk; xb++) {
            size_t x = p->iperm[xb];
            NMRC_CMAT_AT(ws->S, xb, yb) =
                0.5 * (NMRC_CMAT_AT(rho0, x, y) + conj(NMRC_CMAT_AT(rho0, y, x)));
        }
    }
}

nmrc_status nmrc_lindblad_init(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                               const nmrc_cmat *rho0, double t0, nmrc_ctx *ctx)
{
    nmrc_status st;
    if (ws->d != p->d || (p->method != NMRC_LINDBLAD_EXACT) != (ws->term != NULL) ||
        (p->method == NMRC_LINDBLAD_CHEBYSHEV) != (ws->bessel != NULL) ||
        (p->perm != NULL && p->method == NMRC_LINDBLAD_CHEBYSHEV) != (ws->chk != NULL))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad: workspace made for another plan");
    if (rho0->n1 != p->d || rho0->n2 != p->d)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Lindblad: initial state must be %zu x %zu",
                              p->d, p->d);
    if (!isfinite(t0))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad: initial time is not finite");
    st = nmrc_lb_check(p, rho0, ws->next, t0, "initial state", NMRC_EINVAL, 2, ctx);
    if (st != NMRC_OK)
        return st;
    init_state(p, ws, rho0);
    ws->t = t0;
    ws->cached_dt = NAN;
    /* First Taylor step: about 10 units of the generator's norm bound. */
    ws->tau = p->gen_norm > 0 ? 10.0 / p->gen_norm : 1.0;
    ws->owner = p;
    return NMRC_OK;
}

/* EXACT: S <- exp(L dt) S, with exp(L dt) recomputed only when dt changes
** by more than a few ulps. */
static NMRC_NODISCARD nmrc_status exact_step(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double dt,
                              nmrc_ctx *ctx)
{
    size_t D = p->d * p->d;
    nmrc_status st;
    nmrc_cplx one = 1.0, zero = 0.0;

    if (dt == 0)
        return NMRC_OK;
    if (!(fabs(dt - ws->cached_dt) <= 8 * DBL_EPSILON * fabs(dt))) {
        NMRC_CHECKED(nmrc_cmat_copy(ws->Ldt, p->liou));
        nmrc_cmat_scale(ws->Ldt, dt);
        if ((st = nmrc_expm(ws->P, ws->Ldt, ws->ews)) != NMRC_OK)
            return nmrc_ctx_error(ctx, NMRC_ENUMERIC, "Lindblad: exp(L dt) failed for dt = %g "
                                  "(%s)", dt, nmrc_strerror(st));
        ws->cached_dt = dt;
    }
    {
        nmrc_cmat x = nmrc_cmat_view(ws->S->data, D, 1, D);
        nmrc_cmat y = nmrc_cmat_view(ws->next->data, D, 1, D);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, one, ws->P, &x, zero, &y));
        NMRC_CHECKED(nmrc_cmat_copy(&x, &y));
    }
    return NMRC_OK;
}

nmrc_status nmrc_lindblad_advance(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double t,
                                  nmrc_ctx *ctx, nmrc_cmat *rho)
{
    nmrc_status st;
    if (ws->owner != p)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad: nmrc_lindblad_init was not called "
                              "with this plan and workspace");
    NMRC_ASSERT(ws->d == p->d && ws->blk >= 1 && ws->blk <= p->d);
    if (rho->n1 != p->d || rho->n2 != p->d)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Lindblad: output must be %zu x %zu", p->d,
                              p->d);
    if (!(t >= ws->t) || !isfinite(t))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad: time %g is before the current "
                              "time %g", t, ws->t);
    if (p->method == NMRC_LINDBLAD_TAYLOR)
        return nmrc_lb_taylor(p, ws, &t, 1, rho, ctx);
    if (p->method == NMRC_LINDBLAD_CHEBYSHEV)
        return nmrc_lb_cheb(p, ws, &t, 1, rho, ctx);
    if ((st = exact_step(p, ws, t - ws->t, ctx)) != NMRC_OK)
        return st;
    ws->t = t;
    NMRC_CHECKED(nmrc_cmat_copy(rho, ws->S));
    return nmrc_lb_check(p, rho, ws->next, t, "Lindblad state", NMRC_ENUMERIC, 1, ctx);
}

nmrc_status nmrc_lindblad_execute(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                                  const nmrc_cmat *rho0, const double *t, size_t n_t,
                                  nmrc_ctx *ctx, nmrc_cmat *out)
{
    nmrc_status st;
    for (size_t k = 0; k < n_t; k++) {
        if (!isfinite(t[k]) || t[k] < 0 || (k > 0 && t[k] < t[k - 1]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad: output times must be finite, "
                                  ">= 0 and nondecreasing (t[%zu] = %g)", k, t[k]);
        if (out[k].n1 != p->d || out[k].n2 != p->d)
            return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Lindblad: output %zu must be %zu x %zu",
                                  k, p->d, p->d);
    }
    if ((st = nmrc_lindblad_init(p, ws, rho0, 0.0, ctx)) != NMRC_OK)
        return st;
    if (p->method == NMRC_LINDBLAD_TAYLOR)
        return nmrc_lb_taylor(p, ws, t, n_t, out, ctx);
    if (p->method == NMRC_LINDBLAD_CHEBYSHEV)
        return nmrc_lb_cheb(p, ws, t, n_t, out, ctx);
    for (size_t k = 0; k < n_t; k++)
        if ((st = nmrc_lindblad_advance(p, ws, t[k], ctx, &out[k])) != NMRC_OK)
            return st;
    return NMRC_OK;
}

nmrc_status nmrc_lindblad_rhs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                              const nmrc_cmat *rho, nmrc_cmat *out)
{
    size_t d = p->d, blk;
    nmrc_cmat *a, *b;
    if (rho->n1 != d || rho->n2 != d || out->n1 != d || out->n2 != d ||
        rho->data == out->data)
        return NMRC_EBADLEN;
    if ((p->need_scratch && !ws->scratch) || (p->perm && !ws->backup))
        return NMRC_EINVAL;
    if (!p->perm) {
        nmrc_lb_rhs(p, ws, rho, out, 0);
        return NMRC_OK;
    }
    /* relabelled basis, all entries: a = P rho P^T, b = f(a); TAYLOR's
    ** term and backup are rewritten at every step, CHEBYSHEV has chk */
    a = ws->chk ? ws->chk : ws->backup;
    b = ws->chk ? ws->backup : ws->term;
    for (size_t y = 0; y < d; y++)
        for (size_t x = 0; x < d; x++)
            NMRC_CMAT_AT(a, p->perm[x], p->perm[y]) = NMRC_CMAT_AT(rho, x, y);
    blk = ws->blk;
    ws->blk = d;
    nmrc_lb_rhs(p, ws, a, b, 0);
    ws->blk = blk;
    for (size_t y = 0; y < d; y++)
        for (size_t x = 0; x < d; x++)
            NMRC_CMAT_AT(out, x, y) = NMRC_CMAT_AT(b, p->perm[x], p->perm[y]);
    if (ws->chk)
        nmrc_cmat_zero(ws->backup); /* CHEBYSHEV relies on zeros outside the blocks */
    return NMRC_OK;
}
