/*
** test_linalg.c: nmrc/linalg.h and the spin operators of nmrc/sim.h.
** Eigen-decompositions checked by their defining equations, matrix
** exponentials against closed forms and against each other, basis order and
** Pauli algebra, the battery Hamiltonian's spectrum against the paper's
** Eq. 13, and unitary evolution (U^+U = 1, spectrum preserved).
*/
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim_core_util.h"

/* Asserts U^+ U = 1 element by element to tol; G (U's size) is overwritten
** with U^+ U. */
static void assert_unitary(const nmrc_cmat *U, nmrc_cmat *G, double tol)
{
    assert_int_equal(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, U, U, 0.0, G), NMRC_OK);
    for (size_t j = 0; j < G->n2; j++)
        for (size_t i = 0; i < G->n1; i++)
            assert_close(NMRC_CMAT_AT(G, i, j), i == j ? 1.0 : 0.0, 0, tol);
}

static void test_eigh_defining_equations(void **state)
{
    size_t n = 7;
    nmrc_cmat *A = nmrc_cmat_create(n, n), *V = nmrc_cmat_create(n, n);
    nmrc_cmat *AV = nmrc_cmat_create(n, n), *G = nmrc_cmat_create(n, n);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(n);
    double w[7];
    (void)state;
    srand(11);
    random_hermitian(A, 2.0);
    assert_int_equal(nmrc_cmat_copy(V, A), NMRC_OK);
    assert_int_equal(nmrc_eigh(V, w, ws), NMRC_OK);
    for (size_t k = 1; k < n; k++)
        assert_true(w[k] >= w[k - 1]);
    /* A V = V diag(w) */
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, V, 0.0, AV), NMRC_OK);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < n; i++)
            assert_close(NMRC_CMAT_AT(AV, i, k), w[k] * NMRC_CMAT_AT(V, i, k), 0, 1e-13);
    /* V^+ V = 1 */
    assert_unitary(V, G, 1e-14);
    /* eigenvalues only agree; trace = sum of eigenvalues */
    {
        double w2[7], s = 0;
        assert_int_equal(nmrc_cmat_copy(V, A), NMRC_OK);
        assert_int_equal(nmrc_eigvalsh(V, w2, ws), NMRC_OK);
        for (size_t k = 0; k < n; k++) {
            assert_close(w2[k], w[k], 0, 1e-13);
            s += w[k];
        }
        assert_close(s, nmrc_cmat_trace(A), 1e-14, 1e-14);
    }
    /* NaN rejected, wrong size rejected */
    NMRC_CMAT_AT(A, 3, 1) = NAN;
    assert_int_equal(nmrc_eigh(A, w, ws), NMRC_EINVAL);
    {
        nmrc_cmat *B = nmrc_cmat_create(3, 3);
        assert_int_equal(nmrc_eigh(B, w, ws), NMRC_EBADLEN);
        nmrc_cmat_destroy(B);
    }
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(A);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(AV);
    nmrc_cmat_destroy(G);
}

/* exp of an upper-triangular 2x2 [[a, b], [0, c]] is
** [[e^a, b (e^a - e^c)/(a - c)], [0, e^c]]; a large norm forces squaring. */
static void test_expm_closed_form(void **state)
{
    nmrc_cmat *A = nmrc_cmat_create(2, 2), *E = nmrc_cmat_create(2, 2);
    nmrc_expm_ws *ws = nmrc_expm_ws_create(2);
    const nmrc_cplx cases[][3] = {{0.001, 0.002, -0.0005},  {0.3 + 0.2 * I, 1.0, -0.1},
                                  {1.0, -2.0, 2.0 * I},     {-3.0 + 5.0 * I, 4.0, 1.0 - 2.0 * I},
                                  {-20.0, 30.0, -25.0 + 40.0 * I}};
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nmrc_cplx a = cases[k][0], b = cases[k][1], c = cases[k][2];
        nmrc_cmat_zero(A);
        NMRC_CMAT_AT(A, 0, 0) = a;
        NMRC_CMAT_AT(A, 0, 1) = b;
        NMRC_CMAT_AT(A, 1, 1) = c;
        assert_int_equal(nmrc_expm(E, A, ws), NMRC_OK);
        assert_close(NMRC_CMAT_AT(E, 0, 0), cexp(a), 1e-13, 0);
        assert_close(NMRC_CMAT_AT(E, 1, 1), cexp(c), 1e-13, 0);
        assert_close(NMRC_CMAT_AT(E, 0, 1), b * (cexp(a) - cexp(c)) / (a - c), 1e-12, 1e-300);
        assert_close(NMRC_CMAT_AT(E, 1, 0), 0, 0, 1e-300);
    }
    NMRC_CMAT_AT(A, 0, 0) = INFINITY;
    assert_int_equal(nmrc_expm(E, A, ws), NMRC_EINVAL);
    nmrc_expm_ws_destroy(ws);
    nmrc_cmat_destroy(A);
    nmrc_cmat_destroy(E);
}

/* exp(-iHt) by the eigendecomposition equals Pade exp(-iHt); unitary. */
static void test_expmh_vs_expm(void **state)
{
    size_t n = 6;
    nmrc_cmat *H = nmrc_cmat_create(n, n), *U = nmrc_cmat_create(n, n);
    nmrc_cmat *A = nmrc_cmat_create(n, n), *E = nmrc_cmat_create(n, n);
    nmrc_cmat *G = nmrc_cmat_create(n, n);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(n);
    nmrc_expm_ws *ews = nmrc_expm_ws_create(n);
    (void)state;
    srand(5);
    random_hermitian(H, 3.0);
    for (double t = 0.01; t < 100; t *= 3.7) {
        assert_int_equal(nmrc_expmh(U, H, t, ws), NMRC_OK);
        assert_int_equal(nmrc_cmat_copy(A, H), NMRC_OK);
        nmrc_cmat_scale(A, -I * t);
        assert_int_equal(nmrc_expm(E, A, ews), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(U, E) < 1e-13 * fmax(1.0, t));
        assert_unitary(U, G, 1e-13);
    }
    nmrc_eigh_ws_destroy(ws);
    nmrc_expm_ws_destroy(ews);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(A);
    nmrc_cmat_destroy(E);
    nmrc_cmat_destroy(G);
}

/* Basis order: spin 0 is the leftmost factor; Z(0) = diag(1,1,-1,-1). */
static void test_basis_order_and_kron(void **state)
{
    nmrc_cmat *Z0 = nmrc_cmat_create(4, 4), *X1 = nmrc_cmat_create(4, 4);
    nmrc_cmat *z = nmrc_cmat_create(2, 2), *x = nmrc_cmat_create(2, 2);
    nmrc_cmat *id = nmrc_cmat_create(2, 2);
    nmrc_cmat *K = nmrc_cmat_create(4, 4);
    const double zd[4] = {1, 1, -1, -1};
    (void)state;
    assert_int_equal(nmrc_sim_spin_op(Z0, 2, 0, 'z'), NMRC_OK);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            assert_close(NMRC_CMAT_AT(Z0, i, j), i == j ? zd[i] : 0.0, 0, 0);
    assert_int_equal(nmrc_sim_spin_op(z, 1, 0, 'z'), NMRC_OK);
    assert_int_equal(nmrc_sim_spin_op(x, 1, 0, 'x'), NMRC_OK);
    nmrc_cmat_identity(id);
    assert_int_equal(nmrc_cmat_kron(K, z, id), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(K, Z0) == 0);
    assert_int_equal(nmrc_sim_spin_op(X1, 2, 1, 'x'), NMRC_OK);
    assert_int_equal(nmrc_cmat_kron(K, id, x), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(K, X1) == 0);
    /* X(1)|00> = |01>: column 0 has its one at row 1 */
    assert_close(NMRC_CMAT_AT(X1, 1, 0), 1.0, 0, 0);
    assert_int_equal(nmrc_sim_spin_op(K, 2, 2, 'x'), NMRC_EINVAL);
    assert_int_equal(nmrc_sim_spin_op(K, 2, 0, 'q'), NMRC_EINVAL);
    nmrc_cmat_destroy(Z0);
    nmrc_cmat_destroy(X1);
    nmrc_cmat_destroy(z);
    nmrc_cmat_destroy(x);
    nmrc_cmat_destroy(id);
    nmrc_cmat_destroy(K);
}

/* Pauli algebra on every spin of 3: XY = iZ, Y^2 = 1, sigma^+/- = (X +/- iY)/2;
** and operators on different spins commute. */
static void test_pauli_algebra(void **state)
{
    size_t n = 3, d = 8;
    nmrc_cmat *X = nmrc_cmat_create(d, d), *Y = nmrc_cmat_create(d, d);
    nmrc_cmat *Z = nmrc_cmat_create(d, d), *P = nmrc_cmat_create(d, d);
    nmrc_cmat *Q = nmrc_cmat_create(d, d), *S = nmrc_cmat_create(d, d);
    (void)state;
    for (size_t s = 0; s < n; s++) {
        assert_int_equal(nmrc_sim_spin_op(X, n, s, 'x'), NMRC_OK);
        assert_int_equal(nmrc_sim_spin_op(Y, n, s, 'y'), NMRC_OK);
        assert_int_equal(nmrc_sim_spin_op(Z, n, s, 'z'), NMRC_OK);
        assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, X, Y, 0.0, P), NMRC_OK);
        nmrc_cmat_scale(Z, I);
        assert_true(nmrc_cmat_max_diff(P, Z) < 1e-15);
        assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, Y, Y, 0.0, P), NMRC_OK);
        nmrc_cmat_identity(Q);
        assert_true(nmrc_cmat_max_diff(P, Q) < 1e-15);
        assert_int_equal(nmrc_sim_spin_op(S, n, s, '+'), NMRC_OK);
        assert_int_equal(nmrc_cmat_copy(Q, X), NMRC_OK);
        assert_int_equal(nmrc_cmat_axpy(Q, I, Y), NMRC_OK);
        nmrc_cmat_scale(Q, 0.5);
        assert_true(nmrc_cmat_max_diff(S, Q) < 1e-15);
        assert_int_equal(nmrc_sim_spin_op(S, n, s, '-'), NMRC_OK);
        assert_int_equal(nmrc_cmat_adjoint(Q, Q), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(S, Q) < 1e-15);
    }
    /* X(0) Y(2) == add_pauli2 and commutes */
    assert_int_equal(nmrc_sim_spin_op(X, n, 0, 'x'), NMRC_OK);
    assert_int_equal(nmrc_sim_spin_op(Y, n, 2, 'y'), NMRC_OK);
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, X, Y, 0.0, P), NMRC_OK);
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, Y, X, 0.0, Q), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(P, Q) < 1e-15);
    nmrc_cmat_zero(S);
    assert_int_equal(nmrc_sim_add_pauli2(S, n, 0, 'x', 2, 'y', 1.0), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(P, S) < 1e-15);
    nmrc_cmat_destroy(X);
    nmrc_cmat_destroy(Y);
    nmrc_cmat_destroy(Z);
    nmrc_cmat_destroy(P);
    nmrc_cmat_destroy(Q);
    nmrc_cmat_destroy(S);
}

/* Elementwise helpers: adjoint in place, trace of a product, norms. */
static void test_helpers(void **state)
{
    nmrc_cmat *A = nmrc_cmat_create(3, 2), *B = nmrc_cmat_create(2, 3), *C = nmrc_cmat_create(3, 3);
    nmrc_cmat *S = nmrc_cmat_create(3, 3), *T = nmrc_cmat_create(3, 3);
    (void)state;
    srand(3);
    for (size_t j = 0; j < 2; j++)
        for (size_t i = 0; i < 3; i++) {
            NMRC_CMAT_AT(A, i, j) = urand() + I * urand();
            NMRC_CMAT_AT(B, j, i) = urand() + I * urand();
        }
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, B, 0.0, C), NMRC_OK);
    assert_close(nmrc_cmat_trace_prod(A, B), nmrc_cmat_trace(C), 1e-14, 1e-15);
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, A, 0.0, C), NMRC_EBADLEN);
    assert_int_equal(nmrc_cmat_copy(S, C), NMRC_OK);
    assert_int_equal(nmrc_cmat_adjoint(S, S), NMRC_OK);
    assert_int_equal(nmrc_cmat_adjoint(T, C), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(S, T) == 0);
    assert_close(NMRC_CMAT_AT(T, 0, 2), conj(NMRC_CMAT_AT(C, 2, 0)), 0, 0);
    assert_int_equal(nmrc_cmat_axpy(S, 1.0, C), NMRC_OK);
    assert_true(nmrc_cmat_herm_dev(S) < 1e-15);
    nmrc_cmat_zero(T);
    NMRC_CMAT_AT(T, 0, 0) = 3;
    NMRC_CMAT_AT(T, 1, 0) = 4 * I;
    NMRC_CMAT_AT(T, 2, 2) = -1;
    assert_close(nmrc_cmat_norm_fro(T), sqrt(26.0), 1e-15, 0);
    assert_close(nmrc_cmat_norm_1(T), 7.0, 1e-15, 0);
    assert_close(nmrc_cmat_norm_max(T), 4.0, 1e-15, 0);
    nmrc_cmat_destroy(A);
    nmrc_cmat_destroy(B);
    nmrc_cmat_destroy(C);
    nmrc_cmat_destroy(S);
    nmrc_cmat_destroy(T);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Eigenvalues of H_QB vs Eq. 13 for 20 random parameter sets. */
static void test_battery_eq13(void **state)
{
    nmrc_model m;
    nmrc_term t[6];
    nmrc_cmat *H = nmrc_cmat_create(4, 4);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    (void)state;
    srand(2024);
    for (int r = 0; r < 20; r++) {
        double B = 4 * urand(), D = 4 * urand(), G = 4 * urand(), Dl = 4 * urand();
        double eps = 4 * urand(), w[4], ref[4];
        double k1 = sqrt(9 * D * D + Dl * Dl), k2 = sqrt(B * B + G * G + eps * eps);
        battery_model(&m, t, B, D, G, Dl, eps);
        assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_OK);
        assert_true(nmrc_cmat_herm_dev(H) == 0);
        assert_int_equal(nmrc_eigvalsh(H, w, ws), NMRC_OK);
        ref[0] = -2 * (Dl + k1) / 3;
        ref[1] = 2 * (-Dl + k1) / 3;
        ref[2] = 2 * (Dl - 3 * k2) / 3;
        ref[3] = 2 * (Dl + 3 * k2) / 3;
        qsort(ref, 4, sizeof ref[0], cmp_double);
        for (int k = 0; k < 4; k++)
            assert_close(w[k], ref[k], 1e-13, 1e-13);
    }
    /* a term on a spin outside the system is an error */
    t[3].i = 2;
    assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_EINVAL);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(H);
}

/* sigma_a on one spin as a 2x2 matrix. */
static void pauli2(nmrc_cmat *P, int a)
{
    nmrc_cmat_zero(P);
    if (a == 0) {
        NMRC_CMAT_AT(P, 0, 1) = NMRC_CMAT_AT(P, 1, 0) = 1;
    } else if (a == 1) {
        NMRC_CMAT_AT(P, 0, 1) = -I;
        NMRC_CMAT_AT(P, 1, 0) = I;
    } else {
        NMRC_CMAT_AT(P, 0, 0) = 1;
        NMRC_CMAT_AT(P, 1, 1) = -1;
    }
}

/* P_a on spin i of 3 as id (x) .. (x) P (x) .. built with nmrc_cmat_kron. */
static void kron3(nmrc_cmat *out, int i, int a, int j, int b)
{
    nmrc_cmat *f[3], *t = nmrc_cmat_create(4, 4);
    for (int k = 0; k < 3; k++) {
        f[k] = nmrc_cmat_create(2, 2);
        nmrc_cmat_identity(f[k]);
    }
    pauli2(f[i], a);
    if (j >= 0)
        pauli2(f[j], b);
    assert_int_equal(nmrc_cmat_kron(t, f[0], f[1]), NMRC_OK);
    assert_int_equal(nmrc_cmat_kron(out, t, f[2]), NMRC_OK);
    for (int k = 0; k < 3; k++)
        nmrc_cmat_destroy(f[k]);
    nmrc_cmat_destroy(t);
}

/* nmrc_sim_hamiltonian on 3 spins with a non-adjacent pair written as
** (2, 0) and random full tensors and fields equals the same sum built from
** Kronecker products: an independent check of bit order and pair order. */
static void test_hamiltonian_vs_kron(void **state)
{
    nmrc_model m;
    nmrc_term t[3];
    nmrc_cmat *H = nmrc_cmat_create(8, 8), *R = nmrc_cmat_create(8, 8);
    nmrc_cmat *K = nmrc_cmat_create(8, 8);
    (void)state;
    srand(17);
    memset(&m, 0, sizeof m);
    memset(t, 0, sizeof t);
    m.n_spins = 3;
    m.n_terms = 3;
    m.terms = t;
    t[0].kind = NMRC_TERM_TENSOR;
    t[0].i = 2;
    t[0].j = 0;
    t[1].kind = NMRC_TERM_TENSOR;
    t[1].i = 0;
    t[1].j = 1;
    t[2].kind = NMRC_TERM_ZEEMAN;
    t[2].i = 1;
    t[2].j = -1;
    for (int k = 0; k < 9; k++) {
        t[0].tensor[k] = urand();
        t[1].tensor[k] = urand();
    }
    for (int k = 0; k < 3; k++)
        t[2].field[k] = urand();
    assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_OK);
    for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
            kron3(K, 2, a, 0, b);   /* sigma_a(2) sigma_b(0) */
            assert_int_equal(nmrc_cmat_axpy(R, t[0].tensor[3 * a + b], K), NMRC_OK);
            kron3(K, 0, a, 1, b);
            assert_int_equal(nmrc_cmat_axpy(R, t[1].tensor[3 * a + b], K), NMRC_OK);
        }
        kron3(K, 1, a, -1, 0);
        assert_int_equal(nmrc_cmat_axpy(R, t[2].field[a], K), NMRC_OK);
    }
    assert_true(nmrc_cmat_max_diff(H, R) < 1e-15);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(R);
    nmrc_cmat_destroy(K);
}

/* Unitary plan: propagator unitary and equal to expmh; state_at equals
** U rho0 U^+ and keeps the spectrum of rho0. */
static void test_unitary_plan(void **state)
{
    size_t n = 8;
    nmrc_cmat *H = nmrc_cmat_create(n, n), *U = nmrc_cmat_create(n, n);
    nmrc_cmat *U2 = nmrc_cmat_create(n, n), *rho0 = nmrc_cmat_create(n, n);
    nmrc_cmat *rho = nmrc_cmat_create(n, n), *ref = nmrc_cmat_create(n, n);
    nmrc_cmat *tmp = nmrc_cmat_create(n, n);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(n);
    nmrc_unitary_plan *p;
    nmrc_unitary_ws *ws;
    double w0[8], w1[8];
    (void)state;
    srand(77);
    random_hermitian(H, 2.0);
    /* rho0 = Gibbs-like positive matrix: A A^+ / Tr */
    random_hermitian(tmp, 1.0);
    assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, tmp, 0.0, rho0), NMRC_OK);
    nmrc_cmat_scale(rho0, 1.0 / creal(nmrc_cmat_trace(rho0)));
    assert_int_equal(nmrc_unitary_plan_create(H, NULL, &p), NMRC_OK);
    assert_non_null(ws = nmrc_unitary_ws_create(p));
    assert_int_equal(nmrc_unitary_set_state(p, ws, rho0), NMRC_OK);
    assert_int_equal(nmrc_cmat_copy(tmp, rho0), NMRC_OK);
    assert_int_equal(nmrc_eigvalsh(tmp, w0, ews), NMRC_OK);
    for (double t = 0; t < 30; t += 2.9) {
        assert_int_equal(nmrc_unitary_propagator(p, ws, t, U), NMRC_OK);
        assert_int_equal(nmrc_expmh(U2, H, t, ews), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(U, U2) < 1e-13);
        assert_unitary(U, tmp, 1e-13);
        assert_int_equal(nmrc_unitary_state_at(p, ws, t, rho), NMRC_OK);
        assert_int_equal(nmrc_cmat_similarity(ref, U, rho0, tmp), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(rho, ref) < 1e-13);
        assert_int_equal(nmrc_cmat_copy(tmp, rho), NMRC_OK);
        assert_int_equal(nmrc_eigvalsh(tmp, w1, ews), NMRC_OK);
        for (size_t k = 0; k < n; k++)
            assert_close(w1[k], w0[k], 0, 1e-13);
    }
    /* execute = set_state + state_at at each time, bit for bit; a state set
    ** with another plan (another eigenbasis) is refused by state_at */
    {
        double ts[3] = {4.1, -1.3, 0.0};
        nmrc_cmat outs[3] = {*U, *U2, *ref};
        nmrc_unitary_plan *p2;
        assert_int_equal(nmrc_unitary_execute(p, ws, rho0, ts, 3, NULL, outs), NMRC_OK);
        for (int k = 0; k < 3; k++) {
            assert_int_equal(nmrc_unitary_state_at(p, ws, ts[k], rho), NMRC_OK);
            assert_true(nmrc_cmat_max_diff(&outs[k], rho) == 0);
        }
        assert_true(nmrc_cmat_max_diff(ref, rho0) < 1e-14);
        ts[1] = NAN;
        assert_int_equal(nmrc_unitary_execute(p, ws, rho0, ts, 3, NULL, outs), NMRC_EINVAL);
        assert_int_equal(nmrc_unitary_plan_create(H, NULL, &p2), NMRC_OK);
        assert_int_equal(nmrc_unitary_state_at(p2, ws, 1.0, rho), NMRC_EINVAL);
        nmrc_unitary_plan_destroy(p2);
    }
    /* non-Hermitian H is rejected */
    NMRC_CMAT_AT(H, 0, 1) += 0.5;
    nmrc_unitary_plan *bad = NULL;
    assert_int_equal(nmrc_unitary_plan_create(H, NULL, &bad), NMRC_EINVAL);
    assert_null(bad);
    nmrc_unitary_ws_destroy(ws);
    nmrc_unitary_plan_destroy(p);
    nmrc_eigh_ws_destroy(ews);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(U2);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(ref);
    nmrc_cmat_destroy(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eigh_defining_equations),
        cmocka_unit_test(test_expm_closed_form),
        cmocka_unit_test(test_expmh_vs_expm),
        cmocka_unit_test(test_basis_order_and_kron),
        cmocka_unit_test(test_pauli_algebra),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_battery_eq13),
        cmocka_unit_test(test_hamiltonian_vs_kron),
        cmocka_unit_test(test_unitary_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
