/*
** charge.c: the fast two-spin charging kernel.  In H's eigenbasis
** W(t) = V^+ U(t) V = A + B cos(phi) + C sin(phi) with phi = 2 w t, so
** rho~(t) = W P W^+ (P the Gibbs populations) has harmonics 0, 1, 2 in phi.
** nmrc_charge_prepare computes those coefficients once per parameter point;
** the curve/extrema loops then cost a few flops and 6 square roots per time.
*/
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/battery.h"

/* OpenMP pragmas that vanish (without -Wunknown-pragmas noise) when the
** library is built without OpenMP. */
#ifdef _OPENMP
#define NMRC_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define NMRC_OMP(...)
#endif
/* Vectorization requests for GCC; clang 14 rejects the max/min reductions
** of the time loop (and would warn with -Wpass-failed). */
#if defined(__clang__)
#define NMRC_OMP_SIMD(...)
#else
#define NMRC_OMP_SIMD(...) NMRC_OMP(__VA_ARGS__)
#endif

#define D4 NMRC_CHARGE_DIM
#define AT(m, i, j) ((m)[(i) + 4 * (j)])

static const int pair_i[NMRC_CHARGE_NPAIR] = {0, 0, 0, 1, 1, 2};
static const int pair_j[NMRC_CHARGE_NPAIR] = {1, 2, 3, 2, 3, 3};

struct nmrc_charge_table {
    size_t n;
    double w;
    double *t, *c1, *s1, *c2, *s2; /* one allocation, 64-byte aligned blocks */
};

/* Hermitian eigendecomposition of the m x m matrix a (ld lda), in place:
** eigenvalues ascending in e, eigenvectors in the columns of a. */
static NMRC_NODISCARD nmrc_status eigh_small(nmrc_cplx *a, int m, int lda, double *e, nmrc_ctx *ctx)
{
    lapack_complex_double work[64];
    double rwork[16];
    lapack_int info = LAPACKE_zheev_work(LAPACK_COL_MAJOR, 'V', 'U', m, a, lda, e, work, 64, rwork);
    if (info != 0)
        return nmrc_ctx_error(ctx, NMRC_ELAPACK, "zheev failed (info %d)", (int)info);
    return NMRC_OK;
}

/* Fast path for Hamiltonians that commute with Z x Z (the paper's Eq. 12 and
** anything X-shaped): two 2x2 blocks on {|00>,|11>} and {|01>,|10>}, solved
** in closed form.  Returns 0 (nothing written) if a cross-parity entry is
** nonzero.  E ascending, V's columns the eigenvectors. */
static int eigh_parity(const nmrc_cplx *H, double *E, nmrc_cplx *V)
{
    static const int cross[8][2] = {{0, 1}, {0, 2}, {1, 0}, {1, 3},
                                    {2, 0}, {2, 3}, {3, 1}, {3, 2}};
    for (int k = 0; k < 8; k++)
        if (AT(H, cross[k][0], cross[k][1]) != 0)
            return 0;
    static const int blk[2][2] = {{0, 3}, {1, 2}};
    double e[4];
    nmrc_cplx v[4][4] = {{0}}; /* v[k] = eigenvector k (4 components) */
    for (int q = 0; q < 2; q++) {
        int i = blk[q][0], j = blk[q][1];
        double a = creal(AT(H, i, i)), d = creal(AT(H, j, j)), m = 0.5 * (a + d), h = 0.5 * (a - d);
        nmrc_cplx b = AT(H, i, j);
        double beta = cabs(b), r = hypot(h, beta), half = 0.5 * atan2(beta, h);
        nmrc_cplx ph = beta > 0 ? b / beta : 1.0; /* e^{i phi} */
        double c = cos(half), sn = sin(half);
        e[2 * q] = m - r;     /* v- = (-e^{i phi} sin, cos) */
        e[2 * q + 1] = m + r; /* v+ = (cos, e^{-i phi} sin) */
        v[2 * q][i] = -ph * sn, v[2 * q][j] = c;
        v[2 * q + 1][i] = c, v[2 * q + 1][j] = conj(ph) * sn;
    }
    int order[4] = {0, 1, 2, 3};
    for (int x = 1; x < 4; x++)
        for (int y = x; y > 0 && e[order[y - 1]] > e[order[y]]; y--) {
            int t = order[y];
            order[y] = order[y - 1];
            order[y - 1] = t;
        }
    for (int k = 0; k < 4; k++) {
        E[k] = e[order[k]];
        for (int r = 0; r < 4; r++)
            AT(V, r, k) = v[order[k]][r];
    }
    return 1;
}

/* Inside each degenerate level, replaces the eigenvectors by the canonical
** basis of nmrc_metrics_energy_basis (metrics.h): Gram-Schmidt of the level
** projector applied to e_0, e_1, ... in index order, skipping residuals
** below 1e-3.  It depends on the projector only, not on LAPACK's choice.
** Works in the level's coordinates x = Vg^+ e_i (= conj of row i of Vg). */
static void canonical_level(nmrc_cplx *V, int g0, int m)
{
    nmrc_cplx X[16]; /* accepted coordinate vectors, m x m, column-major */
    int acc = 0;
    for (int i = 0; i < D4 && acc < m; i++) {
        nmrc_cplx x[4];
        for (int a = 0; a < m; a++)
            x[a] = conj(AT(V, i, g0 + a));
        for (int b = 0; b < acc; b++) {
            nmrc_cplx d = 0;
            for (int a = 0; a < m; a++)
                d += conj(X[a + 4 * b]) * x[a];
            for (int a = 0; a < m; a++)
                x[a] -= d * X[a + 4 * b];
        }
        double nrm = 0;
        for (int a = 0; a < m; a++)
            nrm += creal(x[a]) * creal(x[a]) + cimag(x[a]) * cimag(x[a]);
        nrm = sqrt(nrm);
        if (nrm < 1e-3)
            continue;
        for (int a = 0; a < m; a++)
            X[a + 4 * acc] = x[a] / nrm;
        acc++;
    }
    if (acc < m)
        return; /* cannot happen for an orthonormal Vg; keep LAPACK's vectors */
    nmrc_cplx Vg[16];
    for (int k = 0; k < D4; k++)
        for (int b = 0; b < m; b++) {
            nmrc_cplx s = 0;
            for (int a = 0; a < m; a++)
                s += AT(V, k, g0 + a) * X[a + 4 * b];
            Vg[k + 4 * b] = s;
        }
    for (int k = 0; k < D4; k++)
        for (int b = 0; b < m; b++)
            AT(V, k, g0 + b) = Vg[k + 4 * b];
}

/* Applies canonical_level to every group of levels within tol (E ascending). */
static void canonical_basis(nmrc_cplx *V, const double *E, double tol)
{
    for (int g0 = 0; g0 < D4;) {
        int g1 = g0 + 1;
        while (g1 < D4 && E[g1] - E[g1 - 1] <= tol)
            g1++;
        if (g1 - g0 > 1)
            canonical_level(V, g0, g1 - g0);
        g0 = g1;
    }
}

/* Gibbs populations of ascending levels E at temperature T (T = 0: equal
** weights on the ground group). */
static void gibbs_pop(const double *E, double T, double tol, double *p)
{
    double z = 0;
    for (int k = 0; k < D4; k++) {
        if (T == 0)
            p[k] = (E[k] - E[0] <= tol) ? 1.0 : 0.0;
        else
            p[k] = exp(-(E[k] - E[0]) / T);
        z += p[k];
    }
    for (int k = 0; k < D4; k++)
        p[k] /= z;
}

/* Energies of the passive (populations descending) and active (ascending)
** states with the populations p on ascending levels E. */
static void passive_active(const double *E, const double *p, double *ep, double *ea)
{
    double s[4];
    memcpy(s, p, sizeof s);
    for (int i = 1; i < D4; i++)
        for (int j = i; j > 0 && s[j - 1] < s[j]; j--) {
            double x = s[j];
            s[j] = s[j - 1];
            s[j - 1] = x;
        }
    *ep = *ea = 0;
    for (int k = 0; k < D4; k++) {
        *ep += s[k] * E[k];
        *ea += s[D4 - 1 - k] * E[k];
    }
}

/* out = V^+ F V for the flip operator F = N on the spins whose bits are in
** `mask` (2 = spin 0, 1 = spin 1, 3 = both), N = cos a X + sin a Y: F has
** one entry per row, <r|F|r^mask>, a product of <1|N|0> = e^{ia} and
** <0|N|1> = e^{-ia} factors. */
static void flip_in_basis(const nmrc_cplx *V, int mask, double a, nmrc_cplx *out)
{
    nmrc_cplx n10 = cos(a) + I * sin(a), T[16];
    for (int r = 0; r < D4; r++) {
        nmrc_cplx f = 1;
        for (int bit = 2; bit >= 1; bit >>= 1)
            if (mask & bit)
                f *= (r & bit) ? n10 : conj(n10);
        for (int j = 0; j < D4; j++)
            AT(T, r, j) = f * AT(V, r ^ mask, j);
    }
    for (int i = 0; i < D4; i++)
        for (int j = 0; j < D4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < D4; k++)
                s += conj(AT(V, k, i)) * AT(T, k, j);
            AT(out, i, j) = s;
        }
}

/* out = X diag(p) Y^+ for 4x4 matrices. */
static void xpy(const nmrc_cplx *X, const double *p, const nmrc_cplx *Y, nmrc_cplx *out)
{
    for (int i = 0; i < D4; i++)
        for (int j = 0; j < D4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < D4; k++)
                s += AT(X, i, k) * p[k] * conj(AT(Y, j, k));
            AT(out, i, j) = s;
        }
}

/* Harmonic coefficients of rho~ = W P W^+, W = A + B cos phi + C sin phi
** with B = 1 - A: R[h] for h = 0..4 (1, cos, sin, cos2, sin2).  With
** M = A P A^+, K = C P C^+, L = A P C^+ and the diagonal scalings AP, CP:
**   R0 = M + (P - AP - PA^+ + M + K)/2      R1 = AP + PA^+ - 2M
**   R2 = L + L^+                            R3 = (P - AP - PA^+ + M - K)/2
**   R4 = (PC^+ + CP - L - L^+)/2 */
static void rho_harmonics(const nmrc_cplx *A, const nmrc_cplx *C, const double *p,
                          nmrc_cplx R[NMRC_CHARGE_NHARM][16])
{
    nmrc_cplx M[16], K[16], L[16];
    xpy(A, p, A, M);
    xpy(C, p, C, K);
    xpy(A, p, C, L);
    for (int i = 0; i < D4; i++)
        for (int j = 0; j < D4; j++) {
            int ij = i + 4 * j, ji = j + 4 * i;
            nmrc_cplx P = (i == j) ? p[i] : 0;
            nmrc_cplx ap = A[ij] * p[j] + conj(A[ji]) * p[i];  /* AP + PA^+ */
            nmrc_cplx cp = C[ij] * p[j] + conj(C[ji]) * p[i];  /* CP + PC^+ */
            nmrc_cplx ll = L[ij] + conj(L[ji]);                /* L + L^+ */
            R[0][ij] = M[ij] + 0.5 * (P - ap + M[ij] + K[ij]);
            R[1][ij] = ap - 2.0 * M[ij];
            R[2][ij] = ll;
            R[3][ij] = 0.5 * (P - ap + M[ij] - K[ij]);
            R[4][ij] = 0.5 * (cp - ll);
        }
}

static NMRC_NODISCARD nmrc_status check_input(const nmrc_cplx H[16], double T, double w, double phase,
                               double *scale, nmrc_ctx *ctx)
{
    if (isnan(T) || T < 0 || isinf(T))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "temperature must be finite and >= 0 (got %g)", T);
    if (!isfinite(w) || !isfinite(phase))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "charging strength and phase must be finite");
    double s = 0; /* max over entries of |re| + |im| (within 2x of |h|) */
    for (int k = 0; k < 16; k++) {
        double m = fabs(creal(H[k])) + fabs(cimag(H[k]));
        if (!isfinite(m))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "Hamiltonian has a NaN or infinite entry");
        s = m > s ? m : s;
    }
    for (int i = 0; i < D4; i++)
        for (int j = 0; j <= i; j++) {
            nmrc_cplx d = AT(H, i, j) - conj(AT(H, j, i));
            if (fabs(creal(d)) + fabs(cimag(d)) > 1e-12 * fmax(s, 1.0))
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "Hamiltonian is not Hermitian");
        }
    *scale = s;
    return NMRC_OK;
}

/* Copies the harmonic matrices R into the coefficient arrays of out. */
static void store_harmonics(nmrc_cplx R[NMRC_CHARGE_NHARM][16], nmrc_charge_coef *out)
{
    for (int h = 0; h < NMRC_CHARGE_NHARM; h++) {
        double e = 0;
        for (int i = 0; i < D4; i++) {
            out->diag[h][i] = creal(AT(R[h], i, i));
            e += out->energy[i] * out->diag[h][i];
        }
        out->e[h] = e;
        for (int q = 0; q < NMRC_CHARGE_NPAIR; q++) {
            nmrc_cplx z = 2.0 * AT(R[h], pair_i[q], pair_j[q]);
            out->re[h][q] = creal(z);
            out->im[h][q] = cimag(z);
        }
    }
}

nmrc_status nmrc_charge_prepare(const nmrc_cplx H[16], double T, double w, double phase,
                                nmrc_ctx *ctx, nmrc_charge_coef *out)
{
    double scale;
    nmrc_status st = check_input(H, T, w, phase, &scale, ctx);
    if (st != NMRC_OK)
        return st;
    memset(out, 0, sizeof *out);
    nmrc_cplx *V = out->basis;
    if (!eigh_parity(H, out->energy, V)) {
        memcpy(V, H, 16 * sizeof *V);
        if ((st = eigh_small(V, D4, D4, out->energy, ctx)) != NMRC_OK)
            return st;
    }
    double tol = 1e-10 * fmax(fabs(out->energy[0]), fabs(out->energy[3]));
    canonical_basis(V, out->energy, tol);
    gibbs_pop(out->energy, T, tol, out->pop);
    passive_active(out->energy, out->pop, &out->e_passive, &out->e_active);
    out->capacity = out->e_active - out->e_passive;
    out->strength = w;
    out->phase = phase;

    /* W = (c I - i s N1~)(c I - i s N2~), c = cos wt, s = sin wt
    **   = (I - Q)/2 + (I + Q)/2 cos phi - (i/2)(N1~ + N2~) sin phi, Q = N1~ N2~
    ** (N1~ = V^+ (N x 1) V, N2~ = V^+ (1 x N) V, Q = V^+ (N x N) V). */
    nmrc_cplx M1[16], M2[16], Q[16], A[16], C[16];
    flip_in_basis(V, 2, phase, M1);
    flip_in_basis(V, 1, phase, M2);
    flip_in_basis(V, 3, phase, Q);
    for (int k = 0; k < 16; k++) {
        A[k] = -0.5 * Q[k] + ((k % 5 == 0) ? 0.5 : 0.0);
        C[k] = -0.5 * I * (M1[k] + M2[k]);
    }
    nmrc_cplx R[NMRC_CHARGE_NHARM][16];
    rho_harmonics(A, C, out->pop, R);
    store_harmonics(R, out);
    return NMRC_OK;
}

/* ---- Time tables ------------------------------------------------------ */

static size_t round_up8(size_t n) { return (n + 7) & ~(size_t)7; }

static void table_fill(nmrc_charge_table *tab, double start, double stop, double w)
{
    size_t n = tab->n;
    tab->w = w;
    for (size_t k = 0; k < n; k++) {
        double t = n < 2 ? start : start + (stop - start) * (double)k / (double)(n - 1);
        double phi = 2.0 * w * t, c = cos(phi), s = sin(phi);
        tab->t[k] = t;
        tab->c1[k] = c;
        tab->s1[k] = s;
        tab->c2[k] = 2.0 * c * c - 1.0;
        tab->s2[k] = 2.0 * s * c;
    }
}

nmrc_status nmrc_charge_table_create(const nmrc_grid *time, double w, nmrc_ctx *ctx,
                                     nmrc_charge_table **out)
{
    *out = NULL;
    if (!time || time->n < 1 || !isfinite(time->start) || !isfinite(time->stop) || !isfinite(w))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "charging time grid needs n >= 1 finite points");
    if (time->n > ((size_t)1 << 32))
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "charging time grid too long (%zu)", time->n);
    nmrc_charge_table *tab = calloc(1, sizeof *tab);
    size_t m = round_up8(time->n);
    double *blk = tab ? aligned_alloc(64, 5 * m * sizeof(double)) : NULL;
    if (!blk) {
        free(tab);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for a %zu-point time table", time->n);
    }
    tab->n = time->n;
    tab->t = blk;
    tab->c1 = blk + m;
    tab->s1 = blk + 2 * m;
    tab->c2 = blk + 3 * m;
    tab->s2 = blk + 4 * m;
    table_fill(tab, time->start, time->stop, w);
    *out = tab;
    return NMRC_OK;
}

void nmrc_charge_table_refill(nmrc_charge_table *tab, const nmrc_grid *time, double w)
{
    if (time->n == tab->n)
        table_fill(tab, time->start, time->stop, w);
}

void nmrc_charge_table_destroy(nmrc_charge_table *tab)
{
    if (!tab)
        return;
    free(tab->t);
    free(tab);
}

size_t nmrc_charge_table_size(const nmrc_charge_table *tab) { return tab->n; }

double nmrc_charge_table_time(const nmrc_charge_table *tab, size_t k) { return tab->t[k]; }

nmrc_status nmrc_charge_curve_check(const nmrc_charge_table *tab, const nmrc_charge_coef *c,
                                    nmrc_ctx *ctx)
{
    if (c->strength != tab->w)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "time table made for w = %g, point has w = %g",
                              tab->w, c->strength);
    return NMRC_OK;
}

/* ---- Evaluation kernels ----------------------------------------------- */

/* The l1 coherence at harmonics (c1, s1, c2, s2). */
static inline double coh_at(const nmrc_charge_coef *restrict c, double c1, double s1, double c2,
                            double s2)
{
    double sum = 0;
    for (int q = 0; q < NMRC_CHARGE_NPAIR; q++) {
        double re = c->re[0][q] + c->re[1][q] * c1 + c->re[2][q] * s1 + c->re[3][q] * c2 +
                    c->re[4][q] * s2;
        double im = c->im[0][q] + c->im[1][q] * c1 + c->im[2][q] * s1 + c->im[3][q] * c2 +
                    c->im[4][q] * s2;
        sum += sqrt(re * re + im * im);
    }
    return sum;
}

static inline double energy_at(const nmrc_charge_coef *restrict c, double c1, double s1, double c2,
                               double s2)
{
    return c->e[0] + c->e[1] * c1 + c->e[2] * s1 + c->e[3] * c2 + c->e[4] * s2;
}

/* Rounding tolerance of the energy figures: 1e-11 of the energy scale. */
static double energy_tol(const nmrc_charge_coef *c)
{
    return 1e-11 * fmax(fabs(c->energy[0]), fabs(c->energy[3]));
}

/* x, with rounding-level values of the wrong sign (sign s) set to 0. */
static double snap(double x, double s, double tol) { return (s * x < 0 && fabs(x) <= tol) ? 0.0 : x; }

void nmrc_charge_curve(const nmrc_charge_table *tab, const nmrc_charge_coef *c, double *energy,
                       double *ergotropy, double *antiergotropy, double *coherence)
{
    double tol = energy_tol(c);
    for (size_t k = 0; k < tab->n; k++) {
        double c1 = tab->c1[k], s1 = tab->s1[k], c2 = tab->c2[k], s2 = tab->s2[k];
        double e = energy_at(c, c1, s1, c2, s2);
        if (energy)
            energy[k] = e;
        if (ergotropy)
            ergotropy[k] = snap(e - c->e_passive, 1, tol);
        if (antiergotropy)
            antiergotropy[k] = snap(e - c->e_active, -1, tol);
        if (coherence)
            coherence[k] = coh_at(c, c1, s1, c2, s2);
    }
}

static inline double SQ(double x) { return x * x; }

/* Extrema of one point over the times: the energy max/min (energies kept
** in e_out) and the coherence max. */
typedef struct loop_ext {
    double emax, emin, cmax;
} loop_ext;

/* The hot loop of maps, vectorized over the times.  Compiled for AVX-512,
** AVX2 and baseline; the loader picks one. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(NMRC_NO_CLONES)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static loop_ext extrema_loop(const nmrc_charge_coef *restrict c, const double *restrict c1,
                             const double *restrict s1, const double *restrict c2,
                             const double *restrict s2, size_t n, double *restrict e_out)
{
    double cmax = -INFINITY, emax = -INFINITY, emin = INFINITY;
    const double e0 = c->e[0], e1 = c->e[1], e2 = c->e[2], e3 = c->e[3], e4 = c->e[4];
NMRC_OMP_SIMD(omp simd reduction(max : cmax, emax) reduction(min : emin))
    for (size_t k = 0; k < n; k++) {
        double a = c1[k], b = s1[k], d = c2[k], f = s2[k];
        double e = e0 + e1 * a + e2 * b + e3 * d + e4 * f;
        e_out[k] = e;
        emax = e > emax ? e : emax;
        emin = e < emin ? e : emin;
        /* The six pairs written out: both GCC and clang then vectorize
        ** the time loop (clang does not unroll an inner loop under simd). */
#define NMRC_PAIR_ABS(q)                                                                  \
    sqrt(SQ(c->re[0][q] + c->re[1][q] * a + c->re[2][q] * b + c->re[3][q] * d +           \
            c->re[4][q] * f) +                                                            \
         SQ(c->im[0][q] + c->im[1][q] * a + c->im[2][q] * b + c->im[3][q] * d +           \
            c->im[4][q] * f))
        double sum = NMRC_PAIR_ABS(0) + NMRC_PAIR_ABS(1) + NMRC_PAIR_ABS(2) +
                     NMRC_PAIR_ABS(3) + NMRC_PAIR_ABS(4) + NMRC_PAIR_ABS(5);
#undef NMRC_PAIR_ABS
        cmax = sum > cmax ? sum : cmax;
    }
    loop_ext r = {emax, emin, cmax};
    return r;
}

/* Index of the first e[k] >= thr (some k has it): blocks of 32 tested with
** a vectorizable reduction, then a scalar scan inside the block. */
static size_t first_at_least(const double *e, size_t n, double thr)
{
    size_t k0 = 0;
    for (; k0 + 32 <= n; k0 += 32) {
        int hit = 0;
NMRC_OMP_SIMD(omp simd reduction(+ : hit))
        for (size_t k = k0; k < k0 + 32; k++)
            hit += e[k] >= thr;
        if (hit)
            break;
    }
    while (k0 < n - 1 && e[k0] < thr)
        k0++;
    return k0;
}

void nmrc_charge_extrema(const nmrc_charge_table *tab, double *work, const nmrc_charge_coef *c,
                         nmrc_charge_max *out)
{
    loop_ext x = extrema_loop(c, tab->c1, tab->s1, tab->c2, tab->s2, tab->n, work);
    /* The first time within rounding of the maximum, so that symmetric
    ** maxima (t and pi/w - t) do not swap by rounding noise. */
    double tol = energy_tol(c);
    size_t kmax = first_at_least(work, tab->n, x.emax - tol);
    out->coherence_max = x.cmax;
    out->ergotropy_max = snap(x.emax - c->e_passive, 1, tol);
    out->t_ergotropy_max = tab->t[kmax];
    out->antiergotropy_min = snap(x.emin - c->e_active, -1, tol);
    out->capacity = c->capacity;
}

void nmrc_charge_state(const nmrc_charge_coef *c, double t, nmrc_cplx rho[16])
{
    double phi = 2.0 * c->strength * t;
    double h[NMRC_CHARGE_NHARM] = {1.0, cos(phi), sin(phi), cos(2 * phi), sin(2 * phi)};
    nmrc_cplx r[16] = {0};
    for (int hh = 0; hh < NMRC_CHARGE_NHARM; hh++) {
        for (int i = 0; i < D4; i++)
            AT(r, i, i) += c->diag[hh][i] * h[hh];
        for (int q = 0; q < NMRC_CHARGE_NPAIR; q++) {
            nmrc_cplx z = 0.5 * h[hh] * (c->re[hh][q] + I * c->im[hh][q]);
            AT(r, pair_i[q], pair_j[q]) += z;
            AT(r, pair_j[q], pair_i[q]) += conj(z);
        }
    }
    /* rho = V r V^+ */
    const nmrc_cplx *V = c->basis;
    nmrc_cplx T[16];
    for (int i = 0; i < D4; i++)
        for (int j = 0; j < D4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < D4; k++)
                s += AT(V, i, k) * AT(r, k, j);
            AT(T, i, j) = s;
        }
    for (int i = 0; i < D4; i++)
        for (int j = 0; j < D4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < D4; k++)
                s += AT(T, i, k) * conj(AT(V, j, k));
            AT(rho, i, j) = s;
        }
}
