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

#ifdef _OPENMP
#include <omp.h>
#endif

/* OpenMP: below NMRC_LB_OMP_MIN_WORK entries in the diagonal blocks (d x
** blk) one generator application is too short to share.  Above it the
** workspace times (wall clock) one application on one thread and one on all
** threads, uses the faster, and measures again after a period that starts
** at NMRC_LB_TUNE_PERIOD calls and grows 4x each time one thread wins.  On
** an idle machine threads pay; on a loaded one a thread that loses its time
** slice stalls every barrier (at dim 256 under load 4 one application took
** 0.55 ms on one thread and 20-40 ms on two), and waiting threads spin: on
** the N = 8 chain (dim 256, two blocks) two threads took 0.7 s of CPU and
** more wall time than one thread's 0.33 s. */
#define NMRC_LB_OMP_MIN_WORK ((size_t)1 << 17)
#define NMRC_LB_TUNE_PERIOD 256

/* The kernels below work on the (re, im) pairs of nmrc_cplx (C17 6.2.5:
** a complex is laid out as double[2]) so that no complex multiplication
** goes through the NaN-recovering libgcc helper. */

/* c += a * r - i v * s over n contiguous elements (one run of a mask pass). */
static NMRC_LB_INLINE void h_run(double *restrict c, const double *restrict v,
                                  const double *restrict r, const double *restrict s, double ar,
                                  double ai, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double vr = v[2 * i], vi = v[2 * i + 1], sr = s[2 * i], si = s[2 * i + 1];
        double rr = r[2 * i], ri = r[2 * i + 1];
        c[2 * i] += ar * rr - ai * ri + (vr * si + vi * sr);
        c[2 * i + 1] += ar * ri + ai * rr - (vr * sr - vi * si);
    }
}

/* c += (va * cb) * s over n contiguous elements (one run of a jump pass). */
static NMRC_LB_INLINE void jump_run(double *restrict c, const double *restrict va,
                                     const double *restrict s, double cr, double ci, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double wr = va[2 * i] * cr - va[2 * i + 1] * ci;
        double wi = va[2 * i] * ci + va[2 * i + 1] * cr;
        c[2 * i] += wr * s[2 * i] - wi * s[2 * i + 1];
        c[2 * i + 1] += wr * s[2 * i + 1] + wi * s[2 * i];
    }
}

/* h_run for a mask with bit 0 set, from an even x over n (even) elements:
** element i reads s[i ^ 1] (s = the aligned pair run of x ^ m ^ 1), so the
** loop stays vectorizable where plain runs would have length one. */
static NMRC_LB_INLINE void h_run_swap(double *restrict c, const double *restrict v,
                                       const double *restrict r, const double *restrict s,
                                       double ar, double ai, size_t n)
{
    for (size_t i = 0; i < n; i += 2)
        for (size_t u = 0; u < 2; u++) {
            size_t q = 2 * (i + u), w = 2 * (i + (u ^ 1));
            double vr = v[q], vi = v[q + 1], sr = s[w], si = s[w + 1];
            double rr = r[q], ri = r[q + 1];
            c[q] += ar * rr - ai * ri + (vr * si + vi * sr);
            c[q + 1] += ar * ri + ai * rr - (vr * sr - vi * si);
        }
}

/* jump_run for a mask with bit 0 set; as h_run_swap. */
static NMRC_LB_INLINE void jump_run_swap(double *restrict c, const double *restrict va,
                                         const double *restrict s, double cr, double ci, size_t n)
{
    for (size_t i = 0; i < n; i += 2)
        for (size_t u = 0; u < 2; u++) {
            size_t q = 2 * (i + u), w = 2 * (i + (u ^ 1));
            double wr = va[q] * cr - va[q + 1] * ci;
            double wi = va[q] * ci + va[q + 1] * cr;
            c[q] += wr * s[w] - wi * s[w + 1];
            c[q + 1] += wr * s[w + 1] + wi * s[w];
        }
}

/* c += w * s over n contiguous elements (a jump whose values are one
** constant, folded into w). */
static NMRC_LB_INLINE void const_run(double *restrict c, const double *restrict s, double wr,
                                      double wi, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c[2 * i] += wr * s[2 * i] - wi * s[2 * i + 1];
        c[2 * i + 1] += wr * s[2 * i + 1] + wi * s[2 * i];
    }
}

/* const_run for a mask with bit 0 set; as h_run_swap. */
static NMRC_LB_INLINE void const_run_swap(double *restrict c, const double *restrict s,
                                           double wr, double wi, size_t n)
{
    for (size_t i = 0; i < n; i += 2)
        for (size_t u = 0; u < 2; u++) {
            size_t q = 2 * (i + u), w = 2 * (i + (u ^ 1));
            c[q] += wr * s[w] - wi * s[w + 1];
            c[q + 1] += wr * s[w + 1] + wi * s[w];
        }
}

/* Runs of x with contiguous x ^ m: below m's lowest set bit L the bits of x
** are untouched, so [x, end of x's aligned L-block) maps to a contiguous
** range starting at x ^ m.  Returns the run's end (exclusive). */
static NMRC_LB_INLINE size_t run_end(size_t x, size_t m, size_t d)
{
    size_t L = m ? (m & (~m + 1)) : d;
    size_t end = (x | (L - 1)) + 1;
    return end < d ? end : d;
}

/* col += a * r[x] - i v[x] s[x ^ m] for x0 <= x < d (the H_eff mask term). */
NMRC_LB_CLONES static void h_mask_pass(double *col, const double *v, const double *r,
                                       const double *s, double ar, double ai, size_t m,
                                       size_t x0, size_t d)
{
    size_t x = x0, e, m2 = m & ~(size_t)1;
    if ((m & 1) && (x & 1) && x < d) {        /* odd start: one element, then pairs */
        h_run(col + 2 * x, v + 2 * x, r + 2 * x, s + 2 * (x ^ m), ar, ai, 1);
        x++;
    }
    for (; x < d && (m & 1); x = e) {
        size_t n;
        e = run_end(x, m2, d);
        n = (e - x) & ~(size_t)1;
        h_run_swap(col + 2 * x, v + 2 * x, r + 2 * x, s + 2 * (x ^ m2), ar, ai, n);
        if (x + n < e)
            h_run(col + 2 * (x + n), v + 2 * (x + n), r + 2 * (x + n), s + 2 * ((x + n) ^ m),
                  ar, ai, 1);
    }
    for (; x < d; x = e) {
        e = run_end(x, m, d);
        h_run(col + 2 * x, v + 2 * x, r + 2 * x, s + 2 * (x ^ m), ar, ai, e - x);
    }
}

/* col += (va[x] * c) s[x ^ m] for x0 <= x < d (one mask pair of a jump). */
NMRC_LB_CLONES static void jump_pass(double *col, const double *va, const double *s,
                                     double cr, double ci, size_t m, size_t x0, size_t d)
{
    size_t x = x0, e, m2 = m & ~(size_t)1;
    if ((m & 1) && (x & 1) && x < d) {        /* odd start: one element, then pairs */
        jump_run(col + 2 * x, va + 2 * x, s + 2 * (x ^ m), cr, ci, 1);
        x++;
    }
    for (; x < d && (m & 1); x = e) {
        size_t n;
        e = run_end(x, m2, d);
        n = (e - x) & ~(size_t)1;
        jump_run_swap(col + 2 * x, va + 2 * x, s + 2 * (x ^ m2), cr, ci, n);
        if (x + n < e)
            jump_run(col + 2 * (x + n), va + 2 * (x + n), s + 2 * ((x + n) ^ m), cr, ci, 1);
    }
    for (; x < d; x = e) {
        e = run_end(x, m, d);
        jump_run(col + 2 * x, va + 2 * x, s + 2 * (x ^ m), cr, ci, e - x);
    }
}

/* col += w s[x ^ m] for x0 <= x < d (a constant-valued jump mask pair). */
NMRC_LB_CLONES static void const_pass(double *col, const double *s, double wr, double wi,
                                      size_t m, size_t x0, size_t d)
{
    size_t x = x0, e, m2 = m & ~(size_t)1;
    if ((m & 1) && (x & 1) && x < d) {        /* odd start: one element, then pairs */
        const_run(col + 2 * x, s + 2 * (x ^ m), wr, wi, 1);
        x++;
    }
    for (; x < d && (m & 1); x = e) {
        size_t n;
        e = run_end(x, m2, d);
        n = (e - x) & ~(size_t)1;
        const_run_swap(col + 2 * x, s + 2 * (x ^ m2), wr, wi, n);
        if (x + n < e)
            const_run(col + 2 * (x + n), s + 2 * ((x + n) ^ m), wr, wi, 1);
    }
    for (; x < d; x = e) {
        e = run_end(x, m, d);
        const_run(col + 2 * x, s + 2 * (x ^ m), wr, wi, e - x);
    }
}

/* Rows x0..d-1 of column y of the mask-form part of f(rho); they are
** zeroed first unless `add` is set.  d here is the end of y's block. */
static void rhs_column(const nmrc_lindblad_plan *p, const nmrc_cmat *rho, nmrc_cplx *col,
                       size_t y, size_t x0, size_t d, int add)
{
    size_t ld = rho->ld;
    double *c = (double *)(void *)col;
    if (!add)
        memset(col + x0, 0, (d - x0) * sizeof *col);
    for (size_t k = 0; k < p->n_hmasks && !p->heff; k++) {
        size_t m = p->hm[k].mask;
        const nmrc_cplx *v = p->hm[k].v;
        nmrc_cplx cy = I * conj(v[y]);
        h_mask_pass(c, (const double *)(const void *)v,
                    (const double *)(const void *)(rho->data + (y ^ m) * ld),
                    (const double *)(const void *)(rho->data + y * ld), creal(cy), cimag(cy),
                    m, x0, d);
    }
    for (size_t j = 0; j < p->n_jumps; j++) {
        const lb_jump *J = &p->jumps[j];
        if (J->dense)
            continue;
        for (size_t b = 0; b < J->n_masks; b++) {
            nmrc_cplx cb = conj(J->m[b].v[y]);
            const double *src = (const double *)(const void *)(rho->data +
                                                               (y ^ J->m[b].mask) * ld);
            if (cb == 0)
                continue;
            for (size_t a = 0; a < J->n_masks; a++) {
                nmrc_cplx w = J->m[a].v[0] * cb;
                if (J->m[a].constant)
                    const_pass(c, src, creal(w), cimag(w), J->m[a].mask, x0, d);
                else
                    jump_pass(c, (const double *)(const void *)J->m[a].v, src, creal(cb),
                              cimag(cb), J->m[a].mask, x0, d);
            }
        }
    }
}

/* Upper triangle of out's diagonal blocks (size blk) = conjugate of the
** lower triangle, in 32 x 32 tiles so that the transposed reads hit the
** cache. */
#define MIRROR_TILE 32
static void mirror_lower(nmrc_cmat *out, size_t blk, int nt)
{
    long n = (long)out->n1;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
#endif
    for (long j0 = 0; j0 < n; j0 += MIRROR_TILE) {
        long j1 = j0 + MIRROR_TILE < n ? j0 + MIRROR_TILE : n;
        for (long i0 = (long)nmrc_lb_blk0((size_t)j0, blk); i0 < j1; i0 += MIRROR_TILE)
            for (long j = j0; j < j1; j++) {
                long i1 = i0 + MIRROR_TILE < j ? i0 + MIRROR_TILE : j;
                for (long i = i0 > (long)nmrc_lb_blk0((size_t)j, blk)
                                  ? i0
                                  : (long)nmrc_lb_blk0((size_t)j, blk);
                     i < i1; i++)
                    NMRC_CMAT_AT(out, i, j) = conj(NMRC_CMAT_AT(out, j, i));
            }
    }
    (void)nt;
}

/* Threads for the next application; *probe = 0 or 1 while timing one
** thread or all of them, -1 otherwise. */
static int pick_threads(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, int *probe)
{
    *probe = -1;
#ifdef _OPENMP
    {
        int maxt = omp_get_max_threads();
        if (p->d * ws->blk < NMRC_LB_OMP_MIN_WORK || maxt < 2 || omp_in_parallel())
            return 1;
        if (ws->tune_calls <= 0) {             /* time to measure */
            *probe = ws->tune_calls == 0 ? 0 : 1;
            ws->tune_calls = ws->tune_calls == 0 ? -1 : -2;
            return *probe ? maxt : 1;
        }
        ws->tune_calls--;
        return ws->tune_nt > 0 ? ws->tune_nt : 1;
    }
#else
    (void)p;
    (void)ws;
    return 1;
#endif
}

/* Records a timed application; after the second, picks the faster and sets
** the calls until the next measurement. */
static void record_threads(nmrc_lindblad_ws *ws, int probe, int nt, double seconds)
{
    if (probe < 0)
        return;
    ws->tune_t[probe] = seconds;
    if (probe == 1) {
        int threads_win = ws->tune_t[1] < ws->tune_t[0];
        ws->tune_nt = threads_win ? nt : 1;
        ws->tune_period = threads_win || ws->tune_period < NMRC_LB_TUNE_PERIOD
                              ? NMRC_LB_TUNE_PERIOD
                              : (ws->tune_period < (1 << 20) ? 4 * ws->tune_period
                                                             : ws->tune_period);
        ws->tune_calls = ws->tune_period;
    }
}

static double wall(void)
{
#ifdef _OPENMP
    return omp_get_wtime();
#else
    return 0;
#endif
}

void nmrc_lb_rhs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const nmrc_cmat *rho,
                 nmrc_cmat *out, int herm)
{
    nmrc_lb_rhs_scaled(p, ws, rho, out, herm, 1.0);
}

/* col[0..n) *= a. */
static void scale_column(nmrc_cplx *col, size_t n, double a)
{
    double *c = (double *)(void *)col;
    for (size_t i = 0; i < 2 * n; i++)
        c[i] *= a;
}

void nmrc_lb_rhs_scaled(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const nmrc_cmat *rho,
                        nmrc_cmat *out, int herm, double alpha)
{
    size_t d = p->d, blk = ws->blk;
    long yd = (long)d;
    int add = 0, probe, nt = pick_threads(p, ws, &probe);
    int col_scale = alpha != 1.0 && !p->need_scratch; /* dense jumps come after the columns */
    double t0 = probe >= 0 ? wall() : 0;

    NMRC_ASSERT(ws->d == d && rho->n1 == d && out->n1 == d && rho->data != out->data);
    NMRC_ASSERT(!p->need_scratch || ws->scratch);
    /* f maps Hermitian matrices to Hermitian ones: with mask-form H_eff and
    ** a Hermitian rho only the lower triangle is computed. */
    herm = herm && !p->heff;
    if (p->heff) {
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -I, p->heff, rho, 0.0, out));
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, I, rho, p->heff, 1.0, out));
        add = 1;
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 8) num_threads(nt) if (nt > 1)
#endif
    for (long y = 0; y < yd; y++) {
        size_t b0 = nmrc_lb_blk0((size_t)y, blk), x0 = herm ? (size_t)y : b0;
        nmrc_cplx *col = out->data + (size_t)y * out->ld;
        rhs_column(p, rho, col, (size_t)y, x0, b0 + blk, add);
        if (col_scale)                       /* while the column is in L1 */
            scale_column(col + x0, b0 + blk - x0, alpha);
    }
    if (herm)
        mirror_lower(out, blk, nt);
    for (size_t j = 0; j < p->n_jumps; j++) {
        const lb_jump *J = &p->jumps[j];
        if (!J->dense)
            continue;
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, J->dense, rho, 0.0, ws->scratch));
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, ws->scratch, J->dense, 1.0, out));
    }
    if (alpha != 1.0 && !col_scale)
        nmrc_cmat_scale(out, alpha);
    record_threads(ws, probe, nt, probe >= 0 ? wall() - t0 : 0);
}

/* The integrator's matrices are d x d with ld = d and hold the state in the
** plan's basis: only the diagonal blocks of size ws->blk are used (all of
** the matrix without relabelling). */

/* Frobenius norm of a Hermitian matrix from the lower triangles of its
** diagonal blocks (no scaling: the entries of density-matrix terms are far
** from overflow). */
static double fro(const nmrc_cmat *A, size_t blk)
{
    double s = 0, dg = 0;
    size_t d = A->n1;
    for (size_t y = 0; y < d; y++) {
        const double *a = (const double *)(const void *)(A->data + y * d + y);
        size_t n = 2 * (nmrc_lb_blk0(y, blk) + blk - y);
        dg += a[0] * a[0] + a[1] * a[1];
        for (size_t k = 0; k < n; k++)
            s += a[k] * a[k];
    }
    return sqrt(2 * s - dg);
}

/* S += X on the lower triangles of the diagonal blocks of Hermitian
** matrices; returns ||X||_F. */
NMRC_LB_CLONES static double accumulate(const nmrc_cmat *X, nmrc_cmat *S, size_t blk)
{
    double s = 0, dg = 0;
    size_t d = X->n1;
    for (size_t y = 0; y < d; y++) {
        size_t o = y * d + y, n = 2 * (nmrc_lb_blk0(y, blk) + blk - y);
        const double *restrict x = (const double *)(const void *)(X->data + o);
        double *restrict z = (double *)(void *)(S->data + o);
        dg += x[0] * x[0] + x[1] * x[1];
        for (size_t k = 0; k < n; k++) {
            z[k] += x[k];
            s += x[k] * x[k];
        }
    }
    return sqrt(2 * s - dg);
}

/* Y += a X (a = 0: Y = X) on the lower triangles of the diagonal blocks,
** for a caller's output Y (any ld) that nmrc_lb_finalize completes. */
NMRC_LB_CLONES static void axpy_out(nmrc_cmat *Y, double a, const nmrc_cmat *X, size_t blk,
                                    int copy)
{
    size_t d = X->n1;
    for (size_t j = 0; j < d; j++) {
        size_t n = 2 * (nmrc_lb_blk0(j, blk) + blk - j);
        double *restrict y = (double *)(void *)(Y->data + j * Y->ld + j);
        const double *restrict x = (const double *)(const void *)(X->data + j * X->ld + j);
        if (copy)
            memcpy(y, x, n * sizeof *y);
        else
            for (size_t i = 0; i < n; i++)
                y[i] += a * x[i];
    }
}

/* Y[j] += a[j] X + b[j] Z for the outputs j < no (X and Z two consecutive
** terms; b NULL: X alone), column by column: each column of X and Z is
** read once for all outputs, from cache, and each output column is read
** and written once for both terms. */
NMRC_LB_CLONES static void axpy_outs(nmrc_cmat *Y, const double *a, const double *b, size_t no,
                                     const nmrc_cmat *X, const nmrc_cmat *Z, size_t blk)
{
    size_t d = X->n1;
    for (size_t c = 0; c < d; c++) {
        size_t n = 2 * (nmrc_lb_blk0(c, blk) + blk - c);
        const double *restrict x = (const double *)(const void *)(X->data + c * X->ld + c);
        const double *restrict z = (const double *)(const void *)(Z->data + c * Z->ld + c);
        for (size_t j = 0; j < no; j++) {
            double *restrict y = (double *)(void *)(Y[j].data + c * Y[j].ld + c);
            double aj = a[j], bj = b ? b[j] : 0;
            if (bj != 0)
                for (size_t i = 0; i < n; i++)
                    y[i] += aj * x[i] + bj * z[i];
            else if (aj != 0)
                for (size_t i = 0; i < n; i++)
                    y[i] += aj * x[i];
        }
    }
}

#define TAYLOR_KMAX 64     /* terms before a step is rejected */
#define TAYLOR_KGOAL 40    /* terms a step should take */
#define TAYLOR_MAXOUT NMRC_LB_MAXOUT

/* Tries one step of length tau from ws->S; outputs o[0..no-1] at offsets
** s[k] in (0, tau].  Returns the number of terms used, or 0 when the series
** did not converge (ws->S is then restored from ws->backup). */
static int taylor_try(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, double tau,
                      double tol, const double *s, nmrc_cmat *o, size_t no)
{
    nmrc_cmat *term = ws->term, *next = ws->next, *sw;
    double prev = INFINITY, coef[TAYLOR_MAXOUT], odd[TAYLOR_MAXOUT];

    mirror_lower(ws->S, ws->blk, 1); /* steps accumulate the lower triangles only */
    NMRC_CHECKED(nmrc_cmat_copy(ws->backup, ws->S));
    NMRC_CHECKED(nmrc_cmat_copy(term, ws->S));
    for (size_t k = 0; k < no; k++)
        axpy_out(&o[k], 0, ws->S, ws->blk, 1);
    for (int k = 1; k <= TAYLOR_KMAX; k++) {
        double nt;
        nmrc_lb_rhs_scaled(p, ws, term, next, 1, tau / k);
        nt = accumulate(next, ws->S, ws->blk);
        sw = term;
        term = next;
        next = sw;
        if (!isfinite(nt))
            break;
        /* An output at s < tau gets term * (s/tau)^k.  Once the terms
        ** decrease, the rest of its series is at most r nt / (1 - s/tau):
        ** when that is below tol / 10 the output takes no more terms. */
        /* Odd terms wait for the next one (still in `next` then) so that
        ** the outputs take two terms per pass. */
        for (size_t j = 0; j < no; j++) {
            double r = pow(s[j] / tau, k);
            (k % 2 ? odd : coef)[j] =
                !(nt < prev && r * nt <= 0.1 * tol * (1 - s[j] / tau)) ? r : 0;
        }
        if (k % 2 == 0)
            axpy_outs(o, odd, coef, no, next, term, ws->blk);
        if (nt + prev <= tol) {
            if (k % 2)
                axpy_outs(o, odd, NULL, no, term, term, ws->blk);
            ws->term = term;
            ws->next = next;
            return k;
        }
        prev = nt;
    }
    ws->term = term;
    ws->next = next;
    NMRC_CHECKED(nmrc_cmat_copy(ws->S, ws->backup));
    return 0;
}

/* Completes (nmrc_lb_finalize) and checks the outputs of an accepted step;
** `final` if the last of them is the last output of the call. */
static NMRC_NODISCARD nmrc_status check_outputs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                                 const double *tq, nmrc_cmat *o, size_t no, int final,
                                 nmrc_ctx *ctx)
{
    for (size_t k = 0; k < no; k++) {
        nmrc_status st;
        nmrc_lb_finalize(p, ws, &o[k]);
        st = nmrc_lb_check(p, &o[k], nmrc_lb_out_scratch(ws), tq[k], "Lindblad state",
                           NMRC_ENUMERIC, final && k + 1 == no, ctx);
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

    NMRC_ASSERT(ws->owner == p && ws->term && ws->backup);
    span = nq ? tq[nq - 1] - t_start : 0;
    while (j < nq) {
        double tau, tol;
        size_t j2 = j, no;
        int k = 0, rejected = 0;
        nmrc_status st;

        while (j < nq && tq[j] <= ws->t) {  /* outputs at the current time */
            axpy_out(&outq[j], 0, ws->S, ws->blk, 1);
            if ((st = check_outputs(p, ws, &tq[j], &outq[j], 1, j + 1 == nq, ctx)) != NMRC_OK)
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
        tol = rtol * fro(ws->S, ws->blk) * fmin(1.0, tau / fmax(span, 1e-300));
        for (int tries = 0; tries < 60 && k == 0; tries++) {
            for (j2 = j; j2 < nq && tq[j2] - ws->t <= tau; j2++)
                s[j2 - j] = tq[j2] - ws->t;
            no = j2 - j;
            k = taylor_try(p, ws, tau, tol, s, &outq[j], no);
            if (k == 0) {
                tau *= 0.5;
                tol *= 0.5;
                rejected = 1;
            }
        }
        if (k == 0)
            return nmrc_ctx_error(ctx, NMRC_ENUMERIC, "Lindblad integrator: the Taylor series "
                                  "did not converge at t = %g", ws->t);
        no = j2 - j;
        ws->t = (no && tq[j2 - 1] - ws->t >= tau) ? tq[j2 - 1] : ws->t + tau;
        if ((st = check_outputs(p, ws, &tq[j], &outq[j], no, j2 == nq, ctx)) != NMRC_OK)
            return st;
        j = j2;
        /* Aim for about TAYLOR_KGOAL terms per step; after a rejection
        ** start from the step that worked. */
        if (rejected) {
            ws->tau = tau;
        } else if (tau >= ws->tau * 0.999) {
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
