/*
** lindblad_test_util.h: helpers shared by the Lindblad tests (test_lindblad.c,
** test_lindblad_blocks.c): output views into one buffer, the worst
** difference over a run, and a random N-spin problem with every kind of
** collapse operator.  Include after nmrc_test.h and sim_core_util.h.
*/
#ifndef NMRC_LINDBLAD_TEST_UTIL_H
#define NMRC_LINDBLAD_TEST_UTIL_H

#include <stdlib.h>

#include "nmrc/linalg.h"
#include "nmrc/sim.h"

/* Output matrices as views into one buffer. */
static inline nmrc_cmat *make_outputs(size_t n_t, size_t d, nmrc_cplx **buf)
{
    nmrc_cmat *out = malloc(n_t * sizeof *out);
    *buf = calloc(n_t * d * d, sizeof **buf);
    for (size_t k = 0; k < n_t; k++)
        out[k] = nmrc_cmat_view(*buf + k * d * d, d, d, d);
    return out;
}

/* The largest max_diff between a[k] and b[k] over the n_t outputs. */
static inline double max_output_diff(const nmrc_cmat *a, const nmrc_cmat *b, size_t n_t)
{
    double worst = 0;
    for (size_t k = 0; k < n_t; k++)
        worst = fmax(worst, nmrc_cmat_max_diff(&a[k], &b[k]));
    return worst;
}

/* A random N-spin problem: random H from random pair tensors and fields,
** X dephasing on every spin, damping on spin 0, Y on the last spin, and a
** dense two-mask collapse operator X(0) + i Z(1)/2. */
static inline void random_problem(size_t n, nmrc_cmat *H, nmrc_cmat *Ld, nmrc_collapse *ops,
                           size_t *n_ops)
{
    static const char ax[] = {'x', 'y', 'z'};
    size_t k = 0;
    nmrc_cmat_zero(H);
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < 3; a++) {
            assert_int_equal(nmrc_sim_add_pauli1(H, n, i, ax[a], urand()), NMRC_OK);
            if (i + 1 < n)
                for (int b = 0; b < 3; b++)
                    assert_int_equal(nmrc_sim_add_pauli2(H, n, i, ax[a], i + 1, ax[b], urand()), NMRC_OK);
        }
    for (size_t i = 0; i < n; i++)
        ops[k++] = (nmrc_collapse){NMRC_LOP_X, i, 0.1 + 0.2 * (urand() + 0.5), NULL};
    ops[k++] = (nmrc_collapse){NMRC_LOP_DECAY0, 0, 0.15, NULL};
    ops[k++] = (nmrc_collapse){NMRC_LOP_Y, n - 1, 0.05, NULL};
    nmrc_cmat_zero(Ld);
    assert_int_equal(nmrc_sim_add_pauli1(Ld, n, 0, 'x', 1.0), NMRC_OK);
    assert_int_equal(nmrc_sim_add_pauli1(Ld, n, 1, 'z', 0.5 * I), NMRC_OK);
    ops[k++] = (nmrc_collapse){NMRC_LOP_MATRIX, 0, 0.07, Ld};
    *n_ops = k;
}

#endif /* NMRC_LINDBLAD_TEST_UTIL_H */
