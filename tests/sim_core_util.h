/*
** sim_core_util.h: helpers shared by the simulator-core tests
** (test_linalg.c, test_gibbs.c, test_lindblad.c): random matrices and the
** paper's two-spin battery target (Eq. 12) built by hand as model terms, so
** the tests do not depend on the spec parser.
*/
#ifndef NMRC_SIM_CORE_UTIL_H
#define NMRC_SIM_CORE_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/model.h"

static inline double urand(void) { return rand() / (double)RAND_MAX - 0.5; }

/* A random Hermitian matrix with entries of size ~scale. */
static inline void random_hermitian(nmrc_cmat *A, double scale)
{
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i <= j; i++) {
            nmrc_cplx a = scale * (urand() + (i == j ? 0 : I * urand()));
            NMRC_CMAT_AT(A, i, j) = i == j ? creal(a) : a;
            NMRC_CMAT_AT(A, j, i) = i == j ? creal(a) : conj(a);
        }
}

/* A random density matrix A A^+ / Tr(A A^+) (full rank almost surely). */
static inline void random_state(nmrc_cmat *rho, nmrc_cmat *tmp)
{
    for (size_t j = 0; j < tmp->n2; j++)
        for (size_t i = 0; i < tmp->n1; i++)
            NMRC_CMAT_AT(tmp, i, j) = urand() + I * urand();
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, tmp, 0.0, rho), NMRC_OK);
    nmrc_cmat_scale(rho, 1.0 / creal(nmrc_cmat_trace(rho)));
    nmrc_cmat_hermitize(rho);
}

/* The battery target H_QB of Eq. 12 as six model terms in t[0..5]: dipolar,
** DM (D along z), KSEA (G, xy), Zeeman B along z on each spin. */
static inline void battery_model(nmrc_model *m, nmrc_term t[6], double B, double D, double G,
                                 double Dl, double eps)
{
    memset(m, 0, sizeof *m);
    memset(t, 0, 6 * sizeof *t);
    m->n_spins = 2;
    m->n_terms = 6;
    m->terms = t;
    for (int k = 0; k < 3; k++) {
        t[k].i = 0;
        t[k].j = 1;
    }
    t[0].kind = NMRC_TERM_DIPOLAR;
    t[0].tensor[0] = -Dl / 3 + eps;
    t[0].tensor[4] = -Dl / 3 - eps;
    t[0].tensor[8] = 2 * Dl / 3;
    t[1].kind = NMRC_TERM_DM; /* D (XY - YX) = D z.(s1 x s2) */
    t[1].tensor[1] = D;
    t[1].tensor[3] = -D;
    t[2].kind = NMRC_TERM_KSEA; /* G (XY + YX) */
    t[2].tensor[1] = G;
    t[2].tensor[3] = G;
    for (int k = 3; k < 5; k++) {
        t[k].kind = NMRC_TERM_ZEEMAN;
        t[k].i = k - 3;
        t[k].j = -1;
        t[k].field[2] = B;
    }
    t[5].kind = NMRC_TERM_TENSOR; /* an all-zero pair term must add nothing */
    t[5].i = 1;
    t[5].j = 0;
}

#endif /* NMRC_SIM_CORE_UTIL_H */
