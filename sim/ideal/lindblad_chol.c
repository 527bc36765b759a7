/*
** lindblad_chol.c: the Cholesky factorization behind the positivity check
** of Lindblad states (nmrc_lb_check).  Small factors stay on the calling
** thread: a right-looking tiled algorithm whose tiles and panel solves are
** plain vectorizable loops and whose trailing updates are zgemm calls small
** enough for OpenBLAS to run them on the caller; large ones go to zpotrf.
*/
#include <cblas.h>
#include <math.h>

#include "lindblad_impl.h"

/* Why not zpotrf for every order: OpenBLAS splits every zpotrf above order
** 8 (and every ztrsm from 8 x 8) over all cores, and its workers then spin
** (sched_yield) for a while after each call.  On the N = 8 chain, whose
** outputs are checked as two 128 x 128 blocks, that doubled the CPU time
** for 3% less wall time, and on a loaded machine a descheduled worker
** stalls the factorization. */
#define NB 8                      /* tile order: 0.079 ms for order 128 (AVX2 clones;
                                  ** 0.087 ms without), vs 0.127 ms with tiles of 32;
                                  ** zpotrf on one thread takes 0.075 ms */
#define ROWS 128                  /* rows per zgemm: OpenBLAS 0.3.21 runs m x 8 x 8 and
                                  ** 32 x 32 x 32 on the caller (checked in gdb: no
                                  ** exec_blas) but splits 128 x 32 x 32 over its
                                  ** threads */

/* Unblocked lower Cholesky of an n x n tile (n <= NB) at a (re, im pairs)
** with leading dimension ld (complex elements).  Returns 0 or the 1-based
** column that failed. */
NMRC_LB_CLONES static lapack_int chol_tile(double *a, size_t ld, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double *cj = a + 2 * j * ld, ajj = cj[2 * j], inv;
        if (!(ajj > 0) || !isfinite(ajj))
            return (lapack_int)j + 1;
        ajj = sqrt(ajj);
        inv = 1.0 / ajj;
        cj[2 * j] = ajj;
        cj[2 * j + 1] = 0;
        for (size_t i = 2 * (j + 1); i < 2 * n; i++)
            cj[i] *= inv;
        for (size_t l = j + 1; l < n; l++) {
            double *restrict cl = a + 2 * l * ld;
            const double *restrict cjr = cj;
            double cr = cjr[2 * l], ci = -cjr[2 * l + 1];   /* conj(L[l, j]) */
            cl[2 * l] -= cr * cr + ci * ci;
            cl[2 * l + 1] = 0;
            for (size_t i = l + 1; i < n; i++) {
                double xr = cjr[2 * i], xi = cjr[2 * i + 1];
                cl[2 * i] -= xr * cr - xi * ci;
                cl[2 * i + 1] -= xr * ci + xi * cr;
            }
        }
    }
    return 0;
}

/* L21 = A21 L11^-H for the m x kb panel b below the factored tile l11:
** column j takes the earlier columns times conj(L11[j, q]) off, then is
** divided by the real L11[j, j]. */
NMRC_LB_CLONES static void panel_solve(const double *l11, double *b, size_t ld, size_t m,
                                       size_t kb)
{
    for (size_t j = 0; j < kb; j++) {
        double *restrict bj = b + 2 * j * ld;
        double inv = 1.0 / l11[2 * (j + j * ld)];
        for (size_t q = 0; q < j; q++) {
            const double *restrict bq = b + 2 * q * ld;
            double cr = l11[2 * (j + q * ld)], ci = -l11[2 * (j + q * ld) + 1];
            for (size_t i = 0; i < m; i++) {
                double xr = bq[2 * i], xi = bq[2 * i + 1];
                bj[2 * i] -= xr * cr - xi * ci;
                bj[2 * i + 1] -= xr * ci + xi * cr;
            }
        }
        for (size_t i = 0; i < 2 * m; i++)
            bj[i] *= inv;
    }
}

/* Tiled right-looking factorization on the calling thread. */
static lapack_int chol_lower(nmrc_cplx *a, size_t ld, size_t n)
{
    const nmrc_cplx one = 1.0, mone = -1.0;
    double *ad = (double *)(void *)a;
    for (size_t k0 = 0; k0 < n; k0 += NB) {
        size_t kb = n - k0 < NB ? n - k0 : NB;
        double *l11 = ad + 2 * (k0 + k0 * ld);
        lapack_int info = chol_tile(l11, ld, kb);
        if (info != 0)
            return info + (lapack_int)k0;
        if (k0 + kb < n)
            panel_solve(l11, ad + 2 * (k0 + kb + k0 * ld), ld, n - k0 - kb, kb);
        for (size_t j0 = k0 + kb; j0 < n; j0 += NB) {           /* A22 -= L21 L21^H */
            size_t jb = n - j0 < NB ? n - j0 : NB;
            for (size_t i0 = j0; i0 < n; i0 += ROWS) {
                size_t m = n - i0 < ROWS ? n - i0 : ROWS;
                cblas_zgemm(CblasColMajor, CblasNoTrans, CblasConjTrans, (int)m, (int)jb,
                            (int)kb, &mone, a + i0 + k0 * ld, (int)ld, a + j0 + k0 * ld,
                            (int)ld, &one, a + i0 + j0 * ld, (int)ld);
            }
        }
    }
    return 0;
}

lapack_int nmrc_lb_cholesky(nmrc_cplx *a, size_t ld, size_t n)
{
    if (n <= NMRC_LB_CHOL_OWN_MAX)
        return chol_lower(a, ld, n);
    return LAPACKE_zpotrf_work(LAPACK_COL_MAJOR, 'L', (lapack_int)n, a, (lapack_int)ld);
}
