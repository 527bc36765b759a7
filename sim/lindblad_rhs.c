/*
** lindblad_rhs.c: the Lindblad generator in matrix form and the adaptive
** Taylor integrator built on it (any number of spins; never forms the 4^N
** superoperator).
**   f(rho) = -i (H_eff rho - rho H_eff^+) + sum_k L_k rho L_k^+
** with H_eff = H - (i/2) sum L^+L and L scaled by sqrt(rate).  Mask-form
** operators cost O(d^2) per mask: (A rho)[x,y] = v[x] rho[x^m, y] and
** (rho A^+)[x,y] = conj(v[y]) rho[x, y^m].  The integrator sums the Taylor
** series of exp(tau f) term by term, stops when two consecutive terms fall
** below the local tolerance and evaluates every output time inside the step
** from the same terms (dense output), so output grids cost no extra
** generator applications.
*/
#include <math.h>
#include <string.h>

#include "lindblad_impl.h"

/* One column y of the mask-form part of f(rho); col is zeroed first unless
** `add` is set. */
static void rhs_column(const nmrc_lindblad_plan *p, const nmrc_cmat *rho, nmrc_cplx *col,
                       size_t y, int add)
{
    size_t d = p->d, ld = rho->ld;
    if (!add)
        memset(col, 0, d * sizeof *col);
    for (size_t k = 0; k < p->n_hmasks && !p->heff; k++) {
        size_t m = p->hm[k].mask;
        const nmrc_cplx *v = p->hm[k].v;
        const nmrc_cplx *rl = rho->data + y * ld, *rr = rho->data + (y ^ m) * ld;
        nmrc_cplx cy = I * conj(v[y]);
        for (size_t x = 0; x < d; x++)
            col[x] += cy * rr[x] - I * v[x] * rl[x ^ m];
    }
    for (size_t j = 0; j < p->n_jumps; j++) {
        const lb_jump *J = &p->jumps[j];
        if (J->dense)
            continue;
        for (size_t b = 0; b < J->n_masks; b++) {
            nmrc_cplx cb = conj(J->m[b].v[y]);
            const nmrc_cplx *src = rho->data + (y ^ J->m[b].mask) * ld;
            if (cb == 0)
                continue;
            for (size_t a = 0; a < J->n_masks; a++) {
                size_t ma = J->m[a].mask;
                const nmrc_cplx *va = J->m[a].v;
                for (size_t x = 0; x < d; x++)
                    col[x] += va[x] * cb * src[x ^ ma];
            }
        }
    }
}

void nmrc_lb_rhs(const nmrc_lindblad_plan *p, nmrc_cmat *scratch, const nmrc_cmat *rho,
                 nmrc_cmat *out)
{
    size_t d = p->d;
    long yd = (long)d;
    int add = 0;

    if (p->heff) {
        nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -I, p->heff, rho, 0.0, out);
        nmrc_gemm(NMRC_OP_N, NMRC_OP_C, I, rho, p->heff, 1.0, out);
        add = 1;
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (d >= 64)
#endif
    for (long y = 0; y < yd; y++)
        rhs_column(p, rho, out->data + (size_t)y * out->ld, (size_t)y, add);
    for (size_t j = 0; j < p->n_jumps; j++) {
        const lb_jump *J = &p->jumps[j];
        if (!J->dense)
            continue;
        nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, J->dense, rho, 0.0, scratch);
        nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, scratch, J->dense, 1.0, out);
    }
}

/* Frobenius norm of a d x d matrix with ld = d (fast path, no scaling: the
** entries of density-matrix terms are far from overflow). */
static double fro(const nmrc_cmat *A)
{
    double s = 0;
    size_t n = A->n1 * A->n2;
    for (size_t k = 0; k < n; k++)
        s += creal(A->data[k]) * creal(A->data[k]) + cimag(A->data[k]) * cimag(A->data[k]);
    return sqrt(s);
}

/* y += a x for d x d matrices with ld = d. */
static void axpy_flat(nmrc_cmat *Y, nmrc_cplx a, const nmrc_cmat *X)
{
    size_t n = X->n1 * X->n2;
    for (size_t k = 0; k < n; k++)
        Y->data[k] += a * X->data[k];
}

#define TAYLOR_KMAX 64     /* terms before a step is rejected */
#define TAYLOR_KGOAL 30    /* terms a step should take */
#define TAYLOR_MAXOUT 16   /* output times served by one step */

/* Tries one step of length tau from ws->S; outputs o[0..no-1] at offsets
** s[k] in (0, tau].  Returns the number of terms used, or 0 when the series
** did not converge (ws->S is then restored from ws->backup). */
static int taylor_try(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double tau,
                      double tol, const double *s, nmrc_cmat *o, size_t no)
{
    nmrc_cmat *term = ws->term, *next = ws->next, *sw;
    double prev = INFINITY;

    nmrc_cmat_copy(ws->backup, ws->S);
    nmrc_cmat_copy(term, ws->S);
    for (size_t k = 0; k < no; k++)
        nmrc_cmat_copy(&o[k], ws->S);
    for (int k = 1; k <= TAYLOR_KMAX; k++) {
        double nt;
        nmrc_lb_rhs(p, ws->scratch, term, next);
        nmrc_cmat_scale(next, tau / k);
        sw = term;
        term = next;
        next = sw;
        axpy_flat(ws->S, 1.0, term);
        for (size_t j = 0; j < no; j++)
            nmrc_cmat_axpy(&o[j], pow(s[j] / tau, k), term);
        nt = fro(term);
        if (!isfinite(nt))
            break;
        if (nt + prev <= tol) {
            ws->term = term;
            ws->next = next;
            return k;
        }
        prev = nt;
    }
    ws->term = term;
    ws->next = next;
    nmrc_cmat_copy(ws->S, ws->backup);
    return 0;
}

/* Checks the outputs of an accepted step. */
static nmrc_status check_outputs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                                 const double *tq, nmrc_cmat *o, size_t no, nmrc_ctx *ctx)
{
    for (size_t k = 0; k < no; k++) {
        nmrc_status st = nmrc_lb_check(p, &o[k], ws->next, tq[k], "Lindblad state",
                                       NMRC_ENUMERIC, ctx);
        if (st != NMRC_OK)
            return st;
    }
    return NMRC_OK;
}

nmrc_status nmrc_lb_taylor(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const double *tq,
                           size_t nq, nmrc_cmat *outq, nmrc_ctx *ctx)
{
    double t_start = ws->t, span, s[TAYLOR_MAXOUT];
    double rtol = p->opts.rtol;
    size_t j = 0;

    span = nq ? tq[nq - 1] - t_start : 0;
    while (j < nq) {
        double tau, tol;
        size_t j2 = j, no;
        int k = 0;
        nmrc_status st;

        while (j < nq && tq[j] <= ws->t) {  /* outputs at the current time */
            nmrc_cmat_copy(&outq[j], ws->S);
            if ((st = check_outputs(p, ws, &tq[j], &outq[j], 1, ctx)) != NMRC_OK)
                return st;
            j++;
        }
        if (j == nq)
            break;
        tau = fmin(ws->tau, tq[nq - 1] - ws->t);
        if (j + TAYLOR_MAXOUT <= nq)
            tau = fmin(tau, tq[j + TAYLOR_MAXOUT - 1] - ws->t);
        /* Local error budget proportional to the step: the sum over the
        ** whole span stays within rtol * ||rho||_F. */
        tol = rtol * fro(ws->S) * fmin(1.0, tau / fmax(span, 1e-300));
        for (int tries = 0; tries < 60 && k == 0; tries++) {
            for (j2 = j; j2 < nq && tq[j2] - ws->t <= tau; j2++)
                s[j2 - j] = tq[j2] - ws->t;
            no = j2 - j;
            k = taylor_try(p, ws, tau, tol, s, &outq[j], no);
            if (k == 0) {
                tau *= 0.5;
                tol *= 0.5;
            }
        }
        if (k == 0)
            return nmrc_ctx_error(ctx, NMRC_ENUMERIC, "Lindblad integrator: the Taylor series "
                                  "did not converge at t = %g", ws->t);
        no = j2 - j;
        ws->t = (no && tq[j2 - 1] - ws->t >= tau) ? tq[j2 - 1] : ws->t + tau;
        if ((st = check_outputs(p, ws, &tq[j], &outq[j], no, ctx)) != NMRC_OK)
            return st;
        j = j2;
        /* Aim for about TAYLOR_KGOAL terms per step. */
        if (tau >= ws->tau * 0.999) {
            if (k < TAYLOR_KGOAL * 2 / 3)
                ws->tau *= 1.5;
            else if (k > TAYLOR_KGOAL * 4 / 3)
                ws->tau *= 0.7;
        } else if (k > TAYLOR_KGOAL * 4 / 3) {
            ws->tau = tau * 0.7;
        }
    }
    return NMRC_OK;
}
