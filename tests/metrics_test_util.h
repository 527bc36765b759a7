/*
** metrics_test_util.h: helpers shared by the metrics tests (test_metrics.c,
** test_metrics_pairs.c, test_discord.c): a deterministic PRNG, random
** states, vectors and Hermitian matrices, projectors, Pauli matrices, Bell
** and Werner states and an eigensolver call.  Include after nmrc_test.h.
*/
#ifndef NMRC_METRICS_TEST_UTIL_H
#define NMRC_METRICS_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc/consts.h"

#define AT(m, i, j) NMRC_CMAT_AT(m, i, j)
#define LN2 0.69314718055994530942

static uint64_t rng_state = 0x9E3779B97F4A7C15ull; /* each test file has its own copy */

static inline double urand(void) /* uniform in [0, 1) (xorshift64*) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) * 0x1.0p-53;
}

static inline double gauss(void)
{
    double u = urand() + 1e-300, v = urand();
    return sqrt(-2 * log(u)) * cos(2 * NMRC_PI * v);
}

static inline nmrc_cmat *mat(size_t n) { return nmrc_cmat_create(n, n); }

/* Random density matrix G G^+ / Tr (rank r columns of Gaussian G). */
static inline void random_state(nmrc_cmat *rho, size_t rank)
{
    size_t n = rho->n1;
    nmrc_cmat *G = nmrc_cmat_create(n, rank);
    for (size_t j = 0; j < rank; j++)
        for (size_t i = 0; i < n; i++)
            AT(G, i, j) = gauss() + I * gauss();
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, G, G, 0.0, rho), NMRC_OK);
    nmrc_cmat_scale(rho, 1.0 / creal(nmrc_cmat_trace(rho)));
    nmrc_cmat_destroy(G);
}

static inline void random_vec(nmrc_cplx *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = gauss() + I * gauss();
        s += creal(v[i] * conj(v[i]));
    }
    for (size_t i = 0; i < n; i++)
        v[i] /= sqrt(s);
}

static inline void projector(nmrc_cmat *rho, const nmrc_cplx *v)
{
    for (size_t j = 0; j < rho->n2; j++)
        for (size_t i = 0; i < rho->n1; i++)
            AT(rho, i, j) = v[i] * conj(v[j]);
}

static inline void random_herm(nmrc_cmat *H)
{
    for (size_t j = 0; j < H->n2; j++)
        for (size_t i = j; i < H->n1; i++) {
            nmrc_cplx z = gauss() + (i == j ? 0 : I * gauss());
            AT(H, i, j) = z;
            AT(H, j, i) = conj(z);
        }
}

/* Eigen-decomposition through simcore's nmrc_eigh: V (n x n), w. */
static inline void eig(const nmrc_cmat *H, nmrc_cmat *V, double *w)
{
    nmrc_eigh_ws *e = nmrc_eigh_ws_create(H->n1);
    assert_non_null(e);
    assert_int_equal(nmrc_cmat_copy(V, H), NMRC_OK);
    assert_int_equal(nmrc_eigh(V, w, e), NMRC_OK);
    nmrc_eigh_ws_destroy(e);
}

/* Pauli matrices, column-major 2 x 2. */
static const nmrc_cplx PX[4] = {0, 1, 1, 0}, PY[4] = {0, I, -I, 0}, PZ[4] = {1, 0, 0, -1},
                       P1[4] = {1, 0, 0, 1};

/* out += f * (a (x) b) for 2 x 2 a, b (4 x 4 out). */
static inline void add_kron2(nmrc_cmat *out, nmrc_cplx f, const nmrc_cplx *a, const nmrc_cplx *b)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            AT(out, i, j) += f * a[(i >> 1) + 2 * (j >> 1)] * b[(i & 1) + 2 * (j & 1)];
}

static inline double l1_offdiag(const nmrc_cmat *R)
{
    double c = 0;
    for (size_t j = 0; j < R->n2; j++)
        for (size_t i = 0; i < R->n1; i++)
            if (i != j)
                c += cabs(AT(R, i, j));
    return c;
}

/* Bell states phi+-, psi+- (index 0..3) as vectors. */
static inline void bell(int k, nmrc_cplx v[4])
{
    double s = sqrt(0.5);
    memset(v, 0, 4 * sizeof *v);
    if (k < 2)
        v[0] = s, v[3] = k == 0 ? s : -s;
    else
        v[1] = s, v[2] = k == 2 ? s : -s;
}

/* Werner state p |psi-><psi-| + (1 - p) 1/4 into the 4 x 4 rho. */
static inline void werner(double p, nmrc_cmat *rho)
{
    nmrc_cplx v[4];
    bell(3, v);
    projector(rho, v);
    nmrc_cmat_scale(rho, p);
    for (int k = 0; k < 4; k++)
        AT(rho, k, k) += 0.25 * (1 - p);
}

#endif /* NMRC_METRICS_TEST_UTIL_H */
