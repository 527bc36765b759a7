/*
** test_gibbs.c: the Gibbs state of nmrc/sim.h.  The battery Hamiltonian
** splits into 2x2 blocks on {|00>,|11>} and {|01>,|10>}; each block is
** a I + n.sigma, so exp(-beta H) has the closed form
** e^{-beta a} (cosh(beta r) - sinh(beta r) n.sigma / r), r = |n|, which the
** test compares element by element.  Also: trace one, Hermitian, positive;
** the T = 0 limit and degenerate ground spaces; no overflow for large beta or
** large energies; a random 3-spin H against the Pade exponential; bad T.
*/
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim_core_util.h"

/* Adds the closed-form block exp(-beta (a + n.sigma)) on basis states (p, q)
** of the 4x4 E (unnormalized). */
static void add_block(nmrc_cmat *E, size_t p, size_t q, double a, double nx, double ny,
                      double nz, double beta)
{
    double r = sqrt(nx * nx + ny * ny + nz * nz), ea = exp(-beta * a);
    double c = cosh(beta * r), s = r > 0 ? sinh(beta * r) / r : beta;
    NMRC_CMAT_AT(E, p, p) = ea * (c - s * nz);
    NMRC_CMAT_AT(E, q, q) = ea * (c + s * nz);
    NMRC_CMAT_AT(E, q, p) = -ea * s * (nx + I * ny);
    NMRC_CMAT_AT(E, p, q) = -ea * s * (nx - I * ny);
}

/* Closed-form Gibbs state of H_QB (Eq. 12).  In the computational basis
** H[00,00] = 2Dl/3 + 2B, H[11,11] = 2Dl/3 - 2B, H[11,00] = 2 eps + 2iG;
** H[01,01] = H[10,10] = -2Dl/3, H[10,01] = -2Dl/3 - 2iD. */
static void battery_gibbs_closed(nmrc_cmat *rho, double B, double D, double G, double Dl,
                                 double eps, double T)
{
    double beta = 1 / T;
    nmrc_cmat_zero(rho);
    add_block(rho, 0, 3, 2 * Dl / 3, 2 * eps, 2 * G, 2 * B, beta);
    add_block(rho, 1, 2, -2 * Dl / 3, -2 * Dl / 3, -2 * D, 0, beta);
    nmrc_cmat_scale(rho, 1 / creal(nmrc_cmat_trace(rho)));
}

static void assert_density_matrix(const nmrc_cmat *rho)
{
    size_t n = rho->n1;
    nmrc_cmat *tmp = nmrc_cmat_create(n, n);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(n);
    double w[16];
    assert_close(nmrc_cmat_trace(rho), 1.0, 0, 1e-14);
    assert_true(nmrc_cmat_herm_dev(rho) == 0);
    assert_int_equal(nmrc_cmat_copy(tmp, rho), NMRC_OK);
    assert_int_equal(nmrc_eigvalsh(tmp, w, ws), NMRC_OK);
    assert_true(w[0] >= -1e-15);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(tmp);
}

/* Asserts that the 4x4 rho is maximally mixed, 1/4, to 1e-15; ref is
** overwritten with 1/4. */
static void assert_maximally_mixed(const nmrc_cmat *rho, nmrc_cmat *ref)
{
    nmrc_cmat_identity(ref);
    nmrc_cmat_scale(ref, 0.25);
    assert_true(nmrc_cmat_max_diff(rho, ref) < 1e-15);
}

static void test_battery_closed_form(void **state)
{
    nmrc_model m;
    nmrc_term t[6];
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    nmrc_cmat *ref = nmrc_cmat_create(4, 4);
    const double temps[] = {0.2, 0.7, 1.0, 3.0, 40.0};
    (void)state;
    srand(4242);
    for (int r = 0; r < 10; r++) {
        double B = 3 * urand(), D = 3 * urand(), G = 3 * urand(), Dl = 3 * urand();
        double eps = 3 * urand();
        battery_model(&m, t, B, D, G, Dl, eps);
        assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_OK);
        for (size_t k = 0; k < sizeof temps / sizeof temps[0]; k++) {
            assert_int_equal(nmrc_sim_gibbs(H, temps[k], NULL, rho), NMRC_OK);
            battery_gibbs_closed(ref, B, D, G, Dl, eps, temps[k]);
            for (size_t i = 0; i < 4; i++)
                for (size_t j = 0; j < 4; j++)
                    assert_close(NMRC_CMAT_AT(rho, i, j), NMRC_CMAT_AT(ref, i, j), 1e-11,
                                 1e-14);
            assert_density_matrix(rho);
        }
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(ref);
}

/* T = 0 on a nondegenerate H: the pure ground state; low T approaches it;
** H scaled by 1e6 at T = 1 (beta E ~ 1e6) gives the same without overflow. */
static void test_zero_temperature(void **state)
{
    nmrc_model m;
    nmrc_term t[6];
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    nmrc_cmat *r2 = nmrc_cmat_create(4, 4), *Hs = nmrc_cmat_create(4, 4);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    double w[4];
    (void)state;
    battery_model(&m, t, 0.5, 1.0, 0.3, 1.0, 0.1);
    assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_OK);
    assert_int_equal(nmrc_cmat_copy(Hs, H), NMRC_OK);
    assert_int_equal(nmrc_eigvalsh(Hs, w, ws), NMRC_OK);
    assert_true(w[1] - w[0] > 0.1); /* nondegenerate ground state */
    assert_int_equal(nmrc_sim_gibbs(H, 0.0, NULL, rho), NMRC_OK);
    assert_density_matrix(rho);
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, rho, rho, 0.0, r2), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r2, rho) < 1e-14);      /* a projector */
    assert_close(nmrc_cmat_trace_prod(rho, H), w[0], 1e-13, 0);
    assert_int_equal(nmrc_sim_gibbs(H, 1e-3, NULL, r2), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r2, rho) < 1e-14);
    assert_int_equal(nmrc_cmat_copy(Hs, H), NMRC_OK);
    nmrc_cmat_scale(Hs, 1e6);
    assert_int_equal(nmrc_sim_gibbs(Hs, 1.0, NULL, r2), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r2, rho) < 1e-12);
    /* Shift invariance at large energies: H + 1e6 gives the same state. */
    assert_int_equal(nmrc_sim_gibbs(H, 0.7, NULL, rho), NMRC_OK);
    assert_int_equal(nmrc_cmat_copy(Hs, H), NMRC_OK);
    for (size_t k = 0; k < 4; k++)
        NMRC_CMAT_AT(Hs, k, k) += 1e6;
    assert_int_equal(nmrc_sim_gibbs(Hs, 0.7, NULL, r2), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r2, rho) < 1e-8);
    /* T = inf: maximally mixed */
    assert_int_equal(nmrc_sim_gibbs(H, INFINITY, NULL, rho), NMRC_OK);
    assert_maximally_mixed(rho, r2);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(r2);
    nmrc_cmat_destroy(Hs);
}

/* Degenerate ground spaces at T = 0 are averaged: -Z0 Z1 has ground states
** |00>, |11>; a 1e-14 splitting is inside the degeneracy tolerance; H = 0
** gives 1/d. */
static void test_degenerate_ground(void **state)
{
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    nmrc_cmat *ref = nmrc_cmat_create(4, 4);
    (void)state;
    assert_int_equal(nmrc_sim_add_pauli2(H, 2, 0, 'z', 1, 'z', -1.0), NMRC_OK);
    NMRC_CMAT_AT(ref, 0, 0) = 0.5;
    NMRC_CMAT_AT(ref, 3, 3) = 0.5;
    assert_int_equal(nmrc_sim_gibbs(H, 0.0, NULL, rho), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(rho, ref) < 1e-15);
    assert_int_equal(nmrc_sim_add_pauli1(H, 2, 0, 'x', 1e-14), NMRC_OK);
    assert_int_equal(nmrc_sim_gibbs(H, 0.0, NULL, rho), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(rho, ref) < 1e-12);
    assert_density_matrix(rho);
    nmrc_cmat_zero(H);
    assert_int_equal(nmrc_sim_gibbs(H, 0.0, NULL, rho), NMRC_OK);
    assert_maximally_mixed(rho, ref);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(ref);
}

/* A random 3-spin H: Gibbs state vs exp(-H/T)/Z from the Pade exponential. */
static void test_vs_pade(void **state)
{
    size_t d = 8;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *A = nmrc_cmat_create(d, d);
    nmrc_cmat *E = nmrc_cmat_create(d, d), *rho = nmrc_cmat_create(d, d);
    nmrc_expm_ws *ws = nmrc_expm_ws_create(d);
    const double T = 0.8;
    (void)state;
    srand(31);
    random_hermitian(H, 2.0);
    assert_int_equal(nmrc_cmat_copy(A, H), NMRC_OK);
    nmrc_cmat_scale(A, -1 / T);
    assert_int_equal(nmrc_expm(E, A, ws), NMRC_OK);
    nmrc_cmat_scale(E, 1 / creal(nmrc_cmat_trace(E)));
    assert_int_equal(nmrc_sim_gibbs(H, T, NULL, rho), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(rho, E) < 1e-13);
    assert_density_matrix(rho);
    nmrc_expm_ws_destroy(ws);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(A);
    nmrc_cmat_destroy(E);
    nmrc_cmat_destroy(rho);
}

static void test_bad_temperature(void **state)
{
    nmrc_cmat *H = nmrc_cmat_create(2, 2), *rho = nmrc_cmat_create(2, 2);
    nmrc_ctx *ctx = nmrc_ctx_create();
    double w[2] = {1.0, 0.0}, p[2];
    (void)state;
    assert_int_equal(nmrc_sim_gibbs(H, -0.1, ctx, rho), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "temperature"));
    assert_int_equal(nmrc_sim_gibbs(H, NAN, ctx, rho), NMRC_EINVAL);
    assert_int_equal(nmrc_gibbs_weights(w, 2, 1.0, ctx, p), NMRC_EINVAL); /* unsorted */
    w[0] = -1.0;
    assert_int_equal(nmrc_gibbs_weights(w, 2, 1.0, ctx, p), NMRC_OK);
    assert_close(p[0], 1 / (1 + exp(-1.0)), 1e-15, 0);
    assert_close(p[1], exp(-1.0) / (1 + exp(-1.0)), 1e-15, 0);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_battery_closed_form), cmocka_unit_test(test_zero_temperature),
        cmocka_unit_test(test_degenerate_ground),   cmocka_unit_test(test_vs_pade),
        cmocka_unit_test(test_bad_temperature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
