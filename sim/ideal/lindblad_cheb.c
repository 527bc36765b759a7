/*
** lindblad_cheb.c: the Chebyshev integrator for Lindblad evolution (method
** NMRC_LINDBLAD_CHEBYSHEV).  The field of values of the generator f lies in
** a rectangle Re in [c - a, c + a], Im in [-W, W] (W from the spread of H's
** spectrum, found by Lanczos, plus the dissipator's bounds); an ellipse E_r
** around it carries the Chebyshev expansion
**   exp(tau f) rho = e^{tau c} [J_0(x) U_0 + 2 sum_k J_k(x) U_k],  x = tau W,
**   U_0 = rho, U_1 = (f - c) rho / W, U_{k+1} = (2/W)(f - c) U_k + U_{k-1},
** with Hermitian U_k and real coefficients.  By Crouzeix-Palencia,
** ||p(f)|| <= (1 + sqrt 2) max over the field of values of |p|, so the
** truncation error after K terms is at most
**   (1 + sqrt 2) e^{tau c} sum_{k>K} 2 |J_k(x)| r^k ||rho||_F,
** which fixes K before the step: error control without rejected steps.  The
** same bound caps ||U_k||_F; exceeding it means the enclosure was wrong and
** the step fails with NMRC_ENUMERIC instead of returning a wrong state.
*/
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lindblad_impl.h"

#define CROUZEIX 2.4142135623730951 /* 1 + sqrt(2) */

/* ---- Planning: spectral enclosure ------------------------------------------ */

/* y = H x with H = (H_eff + H_eff^+)/2 from the plan's mask or dense form. */
static void apply_h(const nmrc_lindblad_plan *p, const nmrc_cplx *x, nmrc_cplx *y)
{
    size_t d = p->d;
    if (p->heff) {
        for (size_t i = 0; i < d; i++) {
            nmrc_cplx s = 0;
            for (size_t j = 0; j < d; j++)
                s += 0.5 * (NMRC_CMAT_AT(p->heff, i, j) + conj(NMRC_CMAT_AT(p->heff, j, i))) *
                     x[j];
            y[i] = s;
        }
        return;
    }
    memset(y, 0, d * sizeof *y);
    for (size_t k = 0; k < p->n_hmasks; k++) {
        size_t m = p->hm[k].mask;
        const nmrc_cplx *v = p->hm[k].v;
        for (size_t i = 0; i < d; i++)
            y[i] += 0.5 * (v[i] + conj(v[i ^ m])) * x[i ^ m];
    }
}

static double vnorm(const nmrc_cplx *x, size_t d)
{
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += creal(x[i]) * creal(x[i]) + cimag(x[i]) * cimag(x[i]);
    return sqrt(s);
}

/* Extreme eigenvalues of H by Lanczos with full reorthogonalization from a
** fixed pseudo-random start, each widened by its residual bound and by
** 1e-3 of the spread.  Returns NMRC_ENOMEM or NMRC_ELAPACK on failure. */
static NMRC_NODISCARD nmrc_status h_extremes(const nmrc_lindblad_plan *p, double *emin, double *emax)
{
    size_t d = p->d, m = d < 80 ? d : 80, k = 0;
    nmrc_cplx *Q = malloc((m + 1) * d * sizeof *Q);
    double *al = malloc(m * sizeof *al), *be = malloc((m + 1) * sizeof *be);
    double *z = malloc(m * m * sizeof *z);
    unsigned long seed = 12345;
    nmrc_status st = NMRC_OK;

    if (!Q || !al || !be || !z) {
        st = NMRC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < d; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        Q[i] = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
    }
    {
        double n0 = vnorm(Q, d);
        for (size_t i = 0; i < d; i++)
            Q[i] /= n0;
    }
    for (k = 0; k < m; k++) {
        nmrc_cplx *q = Q + k * d, *w = Q + (k + 1) * d;
        apply_h(p, q, w);
        for (int pass = 0; pass < 2; pass++)     /* full reorthogonalization */
            for (size_t j = 0; j <= k; j++) {
                nmrc_cplx h = 0;
                for (size_t i = 0; i < d; i++)
                    h += conj(Q[j * d + i]) * w[i];
                if (pass == 0 && j == k)
                    al[k] = creal(h);
                for (size_t i = 0; i < d; i++)
                    w[i] -= h * Q[j * d + i];
            }
        be[k] = vnorm(w, d);
        if (be[k] <= 1e-13 * (fabs(al[k]) + 1e-300)) {
            k++;
            break;                               /* invariant subspace */
        }
        for (size_t i = 0; i < d; i++)
            w[i] /= be[k];
    }
    /* Ritz values and the residual bounds |be_k * s_last| of the extremes. */
    {
        size_t n = k;
        double *e = malloc((n ? n : 1) * sizeof *e);
        if (!e) {
            st = NMRC_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i + 1 < n; i++)
            e[i] = be[i];
        if (LAPACKE_dstev(LAPACK_COL_MAJOR, 'V', (lapack_int)n, al, e, z, (lapack_int)n) != 0) {
            free(e);
            st = NMRC_ELAPACK;
            goto done;
        }
        free(e);
        {
            double rlo = fabs(be[n - 1] * z[(n - 1) + 0 * n]);
            double rhi = fabs(be[n - 1] * z[(n - 1) + (n - 1) * n]);
            double spread = al[n - 1] - al[0];
            *emin = al[0] - rlo - 1e-3 * spread - 1e-12;
            *emax = al[n - 1] + rhi + 1e-3 * spread + 1e-12;
        }
    }
done:
    free(Q);
    free(al);
    free(be);
    free(z);
    return st;
}

/* Smallest ellipse parameter r whose ellipse, (r+1/r)/2 by (r-1/r)/2, holds
** the corners (+-1, +-b) of the normalized rectangle. */
static double ellipse_param(double b)
{
    double lo = 1.0, hi = 2.0;
    while (1 / pow((hi + 1 / hi) / 2, 2) + b * b / pow((hi - 1 / hi) / 2, 2) > 1)
        hi *= 2;
    for (int it = 0; it < 100; it++) {
        double r = 0.5 * (lo + hi);
        double A = (r + 1 / r) / 2, B = (r - 1 / r) / 2;
        if (1 / (A * A) + b * b / (B * B) > 1)
            lo = r;
        else
            hi = r;
    }
    return hi;
}

nmrc_status nmrc_lb_cheb_plan(nmrc_lindblad_plan *p)
{
    double emin, emax, W, lo = p->jump_re_lo, hi = p->jump_re_hi;
    nmrc_status st = h_extremes(p, &emin, &emax);
    if (st != NMRC_OK)
        return st;
    W = (emax - emin) + p->jump_im;
    p->cheb_c = 0.5 * (lo + hi);
    p->cheb_a = 0.5 * (hi - lo);
    /* A nearly dissipative problem (W << a) still gets a sane ellipse. */
    p->cheb_w = fmax(W, fmax(p->cheb_a, 1e-300));
    p->cheb_r = ellipse_param(p->cheb_a / p->cheb_w);
    return NMRC_OK;
}

/* ---- Execution ------------------------------------------------------------- */

/* J_0(x)..J_n(x) into J (n + 1 values) for x >= 0 by Miller's backward
** recurrence, normalized with J_0 + 2 sum J_2k = 1; start well above
** max(n, x) and rescale on the way down to avoid overflow. */
static void bessel_j(double x, int n, double *J)
{
    int top;
    double jp = 0, jc = 1e-300, norm = 0;
    if (x == 0) {
        for (int k = 0; k <= n; k++)
            J[k] = k == 0;
        return;
    }
    top = n + 20 + (int)(x + 10 * cbrt(x + 1));
    top += top & 1;
    for (int k = 0; k <= n; k++)
        J[k] = 0;
    for (int k = top; k > 0; k--) {
        double jm = 2.0 * k / x * jc - jp;      /* J_{k-1} */
        jp = jc;
        jc = jm;
        if (k - 1 <= n)
            J[k - 1] = jc;
        if ((k - 1) % 2 == 0)
            norm += (k - 1 == 0 ? 1.0 : 2.0) * jc;
        if (fabs(jc) > 1e250) {
            jc *= 1e-250;
            jp *= 1e-250;
            norm *= 1e-250;
            for (int i = k - 1; i <= n; i++)
                J[i] *= 1e-250;
        }
    }
    for (int k = 0; k <= n; k++)
        J[k] /= norm;
}

/* Number of terms K so that the tail bound at x = s W, decay e^{s c} is
** <= tol (relative to ||rho||_F).  J holds J_0..J_kmax at x.  Returns -1 if
** kmax terms are not enough. */
static int terms_needed(const nmrc_lindblad_plan *p, const double *J, int kmax, double s,
                        double tol)
{
    double r = p->cheb_r, scale = CROUZEIX * exp(s * p->cheb_c), tail = 0;
    /* tail(K) = scale * sum_{k>K} 2 |J_k| r^k, summed from the top down */
    for (int k = kmax; k >= 1; k--) {
        double t = 2 * fabs(J[k]) * pow(r, k);
        if (scale * (tail + t) > tol)
            return k < kmax ? k : -1;
        tail += t;
    }
    return 0;
}

/* A = (2/W)(F - c B) + A over d x d flat matrices (the recurrence), and
** returns ||A||_F after the update. */
static double cheb_combine(double *restrict A, const double *restrict F, const double *restrict B,
                           double c, double W, size_t n)
{
    double g = 2 / W, s = 0;
    for (size_t i = 0; i < n; i++) {
        A[i] += g * (F[i] - c * B[i]);
        s += A[i] * A[i];
    }
    return sqrt(s);
}

static double fro_flat(const nmrc_cmat *A)
{
    const double *a = (const double *)(const void *)A->data;
    double s = 0;
    for (size_t i = 0; i < 2 * A->n1 * A->n2; i++)
        s += a[i] * a[i];
    return sqrt(s);
}

/* Y += a X for a caller's output (any ld) and X with ld = d. */
static void add_out(nmrc_cmat *Y, double a, const nmrc_cmat *X)
{
    for (size_t j = 0; j < X->n2; j++) {
        double *restrict y = (double *)(void *)(Y->data + j * Y->ld);
        const double *restrict x = (const double *)(const void *)(X->data + j * X->ld);
        for (size_t i = 0; i < 2 * X->n1; i++)
            y[i] += a * x[i];
    }
}

/* One step of length tau from ws->S with outputs o[j] at offsets s[j] in
** (0, tau]; the coefficients of output j are in ws->bessel + (j+1)*(KMAX+1)
** and of the step end in ws->bessel.  K terms. */
static NMRC_NODISCARD nmrc_status cheb_step(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double tau,
                             const double *s, nmrc_cmat *o, size_t no, int K, nmrc_ctx *ctx)
{
    size_t n2 = 2 * p->d * p->d;
    double *J = ws->bessel, c = p->cheb_c, W = p->cheb_w, r = p->cheb_r;
    double n0 = fro_flat(ws->S), e_end = exp(tau * c), *e_out = ws->bessel_scale;
    nmrc_cmat *Um = ws->term, *U = ws->next, *F = ws->backup, *sw;

    for (size_t j = 0; j < no; j++)
        e_out[j] = exp(s[j] * c);
    /* U_0 = rho, U_1 = (f - c) rho / W */
    NMRC_CHECKED(nmrc_cmat_copy(Um, ws->S));
    nmrc_lb_rhs(p, ws, Um, U, 1);
    {
        double *u = (double *)(void *)U->data, *um = (double *)(void *)Um->data;
        for (size_t i = 0; i < n2; i++)
            u[i] = (u[i] - c * um[i]) / W;
    }
    nmrc_cmat_scale(ws->S, e_end * J[0]);
    for (size_t j = 0; j < no; j++) {
        nmrc_cmat_zero(&o[j]);
        add_out(&o[j], e_out[j] * J[(j + 1) * (NMRC_LB_CHEB_KMAX + 1)], Um);
    }
    for (int k = 1; k <= K; k++) {
        double nu;
        /* U is U_k: add it, then form U_{k+1} in Um's place */
        add_out(ws->S, 2 * e_end * J[k], U);
        for (size_t j = 0; j < no; j++) {
            double cj = 2 * e_out[j] * J[(j + 1) * (NMRC_LB_CHEB_KMAX + 1) + (size_t)k];
            if (k <= ws->cheb_kj[j]) /* later terms are inside output j's bound */
                add_out(&o[j], cj, U);
        }
        if (k == K)
            break;
        nmrc_lb_rhs(p, ws, U, F, 1);
        nu = cheb_combine((double *)(void *)Um->data, (const double *)(const void *)F->data,
                          (const double *)(const void *)U->data, c, W, n2);
        if (!(nu <= 4 * CROUZEIX * pow(r, k + 1) * n0 + 1e-300))
            return nmrc_ctx_error(ctx, NMRC_ENUMERIC, "Lindblad Chebyshev integrator: term %d "
                                  "grew beyond the spectral bound at t = %g (use method "
                                  "TAYLOR)", k + 1, ws->t);
        sw = Um;
        Um = U;
        U = sw;
    }
    return NMRC_OK;
}

/* Bessel coefficients for the step end (row 0) and each output (row j+1);
** returns the number of terms the error bound needs, or -1 if more than
** NMRC_LB_CHEB_KMAX. */
static int cheb_coefficients(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double tau,
                             const double *s, size_t no, double tol)
{
    const int kmax = NMRC_LB_CHEB_KMAX;
    int K;
    bessel_j(tau * p->cheb_w, kmax, ws->bessel);
    K = terms_needed(p, ws->bessel, kmax, tau, tol);
    for (size_t j = 0; j < no && K >= 0; j++) {
        double *Jj = ws->bessel + (j + 1) * (size_t)(kmax + 1);
        int Kj;
        bessel_j(s[j] * p->cheb_w, kmax, Jj);
        Kj = terms_needed(p, Jj, kmax, s[j], tol);
        ws->cheb_kj[j] = Kj;
        K = Kj < 0 ? -1 : (Kj > K ? Kj : K);
    }
    return K < 1 ? (K < 0 ? -1 : 1) : K;
}

nmrc_status nmrc_lb_cheb(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const double *tq,
                         size_t nq, nmrc_cmat *outq, nmrc_ctx *ctx)
{
    double span = nq ? tq[nq - 1] - ws->t : 0, s[NMRC_LB_MAXOUT];
    size_t j = 0;

    NMRC_ASSERT(ws->owner == p && ws->bessel && ws->cheb_kj && (!p->perm || ws->chk));
    while (j < nq) {
        double tau, tol;
        size_t j2 = j, no = 0;
        int K = -1;
        nmrc_status st;

        while (j < nq && tq[j] <= ws->t) {      /* outputs at the current time */
            nmrc_lb_emit(p, ws, ws->S, &outq[j]);
            st = nmrc_lb_check(p, &outq[j], nmrc_lb_out_scratch(ws), tq[j], "Lindblad state",
                               NMRC_ENUMERIC,
                               j + 1 == nq, ctx);
            if (st != NMRC_OK)
                return st;
            j++;
        }
        if (j == nq)
            break;
        /* About NMRC_LB_CHEB_X radians of the spectrum per step. */
        tau = fmin(NMRC_LB_CHEB_X / p->cheb_w, tq[nq - 1] - ws->t);
        if (j + NMRC_LB_MAXOUT <= nq)
            tau = fmin(tau, tq[j + NMRC_LB_MAXOUT - 1] - ws->t);
        for (int tries = 0; tries < 60 && K < 0; tries++) {
            tol = p->opts.rtol * fmin(1.0, tau / fmax(span, 1e-300));
            for (j2 = j; j2 < nq && tq[j2] - ws->t <= tau; j2++)
                s[j2 - j] = tq[j2] - ws->t;
            no = j2 - j;
            if ((K = cheb_coefficients(p, ws, tau, s, no, tol)) < 0)
                tau *= 0.5;
        }
        if (K < 0)
            return nmrc_ctx_error(ctx, NMRC_ENUMERIC, "Lindblad Chebyshev integrator: no step "
                                  "size meets the tolerance at t = %g", ws->t);
        if ((st = cheb_step(p, ws, tau, s, &outq[j], no, K, ctx)) != NMRC_OK)
            return st;
        ws->t = (no && tq[j2 - 1] - ws->t >= tau) ? tq[j2 - 1] : ws->t + tau;
        for (size_t k = j; k < j2; k++) {
            nmrc_lb_finalize(p, ws, &outq[k]);
            st = nmrc_lb_check(p, &outq[k], nmrc_lb_out_scratch(ws), tq[k], "Lindblad state",
                               NMRC_ENUMERIC,
                               k + 1 == nq, ctx);
            if (st != NMRC_OK)
                return st;
        }
        j = j2;
    }
    return NMRC_OK;
}
