/*
** test_run_util.h: helpers of the run API tests (tests/test_run_*.c):
** spec files written into the build folder, loading them with overrides,
** flat-matrix differences and independent constructions of spin operators
** (Kronecker products of 2x2 matrices, nothing from the run module).
*/
#ifndef NMRC_TEST_RUN_UTIL_H
#define NMRC_TEST_RUN_UTIL_H

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/nmrc.h"

#define TR_EXAMPLES NMRC_SOURCE_DIR "/examples"

/* Writes text to NMRC_BINARY_DIR/tests/NAME and returns the path (static). */
static inline const char *tr_write(const char *name, const char *text)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/tests/%s", NMRC_BINARY_DIR, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* Loads path with the overrides; the load must succeed. */
static inline nmrc_run_input *tr_load(const char *path, const char *const *sets, size_t n,
                                      unsigned flags)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    nmrc_status st = nmrc_run_load(path, NULL, sets, n, flags, ctx, &in);
    if (st != NMRC_OK)
        fail_msg("loading %s: %s", path, nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    return in;
}

/* max |a_k - b_k| over n complex numbers. */
static inline double tr_max_diff(const nmrc_cplx *a, const nmrc_cplx *b, size_t n)
{
    double m = 0;
    for (size_t k = 0; k < n; k++)
        m = fmax(m, cabs(a[k] - b[k]));
    return m;
}

/* out (2^n x 2^n, column-major) = op[0] (x) op[1] (x) ... (x) op[n-1], each
** op a 2x2 column-major matrix; spin 0 is the leftmost factor. */
static inline void tr_kron(size_t n, const nmrc_cplx (*op)[4], nmrc_cplx *out)
{
    size_t d = (size_t)1 << n;
    for (size_t c = 0; c < d; c++)
        for (size_t r = 0; r < d; r++) {
            nmrc_cplx x = 1;
            for (size_t i = 0; i < n; i++) {
                size_t sh = n - 1 - i, ri = r >> sh & 1u, ci = c >> sh & 1u;
                x *= op[i][ri + 2 * ci];
            }
            out[r + c * d] = x;
        }
}

/* C = A B for d x d column-major matrices (naive, independent of BLAS). */
static inline void tr_mul(size_t d, const nmrc_cplx *A, const nmrc_cplx *B, nmrc_cplx *C)
{
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++) {
            nmrc_cplx s = 0;
            for (size_t k = 0; k < d; k++)
                s += A[i + k * d] * B[k + j * d];
            C[i + j * d] = s;
        }
}

/* rho = U rho0 U^+ (naive). */
static inline void tr_similarity(size_t d, const nmrc_cplx *U, const nmrc_cplx *rho0,
                                 nmrc_cplx *rho)
{
    nmrc_cplx *T = malloc(d * d * sizeof *T), *Ua = malloc(d * d * sizeof *Ua);
    assert_non_null(T);
    assert_non_null(Ua);
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++)
            Ua[i + j * d] = conj(U[j + i * d]);
    tr_mul(d, U, rho0, T);
    tr_mul(d, T, Ua, rho);
    free(T);
    free(Ua);
}

/* Re Tr(A B) for d x d matrices. */
static inline double tr_trace_prod(size_t d, const nmrc_cplx *A, const nmrc_cplx *B)
{
    nmrc_cplx s = 0;
    for (size_t i = 0; i < d; i++)
        for (size_t k = 0; k < d; k++)
            s += A[i + k * d] * B[k + i * d];
    return creal(s);
}

#endif /* NMRC_TEST_RUN_UTIL_H */
