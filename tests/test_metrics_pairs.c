/*
** test_metrics_pairs.c: reduced states (partial trace, pair reduction with
** factor order), mutual information, Wootters concurrence, fidelity and
** trace distance against analytic values (Bell, Werner, product and pure
** states, qubit closed forms, commuting states).
*/
#include "nmrc_test.h"
#include "metrics_test_util.h"

/* ---- Partial trace ------------------------------------------------------------------ */

static void kron_into(nmrc_cmat *C, const nmrc_cmat *A, const nmrc_cmat *B)
{
    assert_int_equal(nmrc_cmat_kron(C, A, B), NMRC_OK);
}

/* rho0 (x) rho1 (x) rho2 (spin 0 leftmost): the reduced states are the
** corresponding products, in the requested factor order. */
static void test_partial_trace_product(void **state)
{
    nmrc_cmat *q[3], *q01 = mat(4), *full = mat(8), *r = mat(4), *ref = mat(4), *r1 = mat(2);
    nmrc_cmat *r8 = mat(8);
    (void)state;
    for (int k = 0; k < 3; k++) {
        q[k] = mat(2);
        random_state(q[k], 2);
    }
    kron_into(q01, q[0], q[1]);
    kron_into(full, q01, q[2]);
    assert_int_equal(nmrc_metrics_reduce_pair(full, 3, 0, 2, r), NMRC_OK);
    kron_into(ref, q[0], q[2]);
    assert_true(nmrc_cmat_max_diff(r, ref) < 1e-15);
    assert_int_equal(nmrc_metrics_partial_trace(full, 3, 5u, r), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r, ref) < 1e-15);
    assert_int_equal(nmrc_metrics_reduce_pair(full, 3, 2, 0, r), NMRC_OK);
    kron_into(ref, q[2], q[0]);
    assert_true(nmrc_cmat_max_diff(r, ref) < 1e-15);
    assert_int_equal(nmrc_metrics_reduce_pair(full, 3, 1, 2, r), NMRC_OK);
    kron_into(ref, q[1], q[2]);
    assert_true(nmrc_cmat_max_diff(r, ref) < 1e-15);
    assert_int_equal(nmrc_metrics_partial_trace(full, 3, 2u, r1), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r1, q[1]) < 1e-15);
    assert_int_equal(nmrc_metrics_partial_trace(full, 3, 7u, r8), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(r8, full) == 0);
    for (int k = 0; k < 3; k++)
        nmrc_cmat_destroy(q[k]);
    nmrc_cmat_destroy(q01);
    nmrc_cmat_destroy(full);
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(ref);
    nmrc_cmat_destroy(r1);
    nmrc_cmat_destroy(r8);
}

/* (|0000> + |0111>... : a GHZ state on spins 1, 2, 3 with spin 0 in |1>:
** pair (1, 3) is (|00><00| + |11><11|)/2, pair (0, 2) is |1><1| (x) 1/2;
** and a random 4-spin state's pair reduction traced again gives the
** single-spin reduction. */
static void test_partial_trace_entangled(void **state)
{
    nmrc_cmat *rho = mat(16), *r = mat(4), *a = mat(2), *b = mat(2);
    nmrc_cplx v[16] = {0};
    (void)state;
    v[8] = v[15] = sqrt(0.5); /* |1000> and |1111> */
    projector(rho, v);
    assert_int_equal(nmrc_metrics_reduce_pair(rho, 4, 1, 3, r), NMRC_OK);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            assert_close(AT(r, i, j), (i == j && (i == 0 || i == 3)) ? 0.5 : 0, 0, 1e-15);
    assert_int_equal(nmrc_metrics_reduce_pair(rho, 4, 0, 2, r), NMRC_OK);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            assert_close(AT(r, i, j), (i == j && i >= 2) ? 0.5 : 0, 0, 1e-15);
    random_state(rho, 3);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++) {
            if (i == j)
                continue;
            assert_int_equal(nmrc_metrics_reduce_pair(rho, 4, i, j, r), NMRC_OK);
            assert_close(nmrc_cmat_trace(r), 1, 1e-14, 0);
            assert_int_equal(nmrc_metrics_partial_trace(r, 2, 1u, a), NMRC_OK); /* keep A = spin 0 */
            assert_int_equal(nmrc_metrics_partial_trace(rho, 4, 1u << i, b), NMRC_OK);
            assert_true(nmrc_cmat_max_diff(a, b) < 1e-14);
            assert_int_equal(nmrc_metrics_partial_trace(r, 2, 2u, a), NMRC_OK); /* keep B = spin 1 */
            assert_int_equal(nmrc_metrics_partial_trace(rho, 4, 1u << j, b), NMRC_OK);
            assert_true(nmrc_cmat_max_diff(a, b) < 1e-14);
        }
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(a);
    nmrc_cmat_destroy(b);
}

/* ---- Two-qubit states ----------------------------------------------------------------- */

static double h2(double x) { return (x <= 0 || x >= 1) ? 0 : -x * log2(x) - (1 - x) * log2(1 - x); }

/* Qubit entropy in bits from the 2 x 2 matrix (closed form). */
static double qubit_s_bits(const nmrc_cmat *q)
{
    double a = creal(AT(q, 0, 0)), d = creal(AT(q, 1, 1)), b = cabs(AT(q, 0, 1));
    double r = sqrt((a - d) * (a - d) + 4 * b * b);
    return h2(0.5 * (1 + r));
}

static void test_mutual_info(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *qa = mat(2), *qb = mat(2);
    nmrc_cplx v[4];
    double x;
    (void)state;
    for (int k = 0; k < 4; k++) {
        bell(k, v);
        projector(rho, v);
        assert_int_equal(nmrc_metrics_mutual_info(ws, rho, &x), NMRC_OK);
        assert_close(x, 2, 1e-13, 0);
    }
    for (double p = 0; p <= 1.0; p += 0.125) { /* I = 2 - S(AB), bits */
        double l1 = (1 + 3 * p) / 4, l2 = (1 - p) / 4;
        double sab = -(l1 > 0 ? l1 * log2(l1) : 0) - 3 * (l2 > 0 ? l2 * log2(l2) : 0);
        werner(p, rho);
        assert_int_equal(nmrc_metrics_mutual_info(ws, rho, &x), NMRC_OK);
        assert_close(x, 2 - sab, 1e-13, 1e-14);
    }
    random_state(qa, 2);
    random_state(qb, 2);
    kron_into(rho, qa, qb);
    assert_int_equal(nmrc_metrics_mutual_info(ws, rho, &x), NMRC_OK);
    assert_close(x, 0, 0, 1e-13);
    random_vec(v, 4); /* pure: I = 2 S(A) */
    projector(rho, v);
    assert_int_equal(nmrc_metrics_partial_trace(rho, 2, 2u, qa), NMRC_OK);
    assert_int_equal(nmrc_metrics_mutual_info(ws, rho, &x), NMRC_OK);
    assert_close(x, 2 * qubit_s_bits(qa), 1e-12, 1e-13);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(qa);
    nmrc_cmat_destroy(qb);
    nmrc_metrics_ws_destroy(ws);
}

static void test_concurrence(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(3); /* any size: 4 x 4 always works */
    nmrc_cmat *rho = mat(4), *qa = mat(2), *qb = mat(2), *U = mat(4), *u1 = mat(2), *u2 = mat(2);
    nmrc_cmat *H = mat(2), *T = mat(4), *r2 = mat(4);
    nmrc_cplx v[4];
    double x, y, w[2];
    (void)state;
    for (int k = 0; k < 4; k++) {
        bell(k, v);
        projector(rho, v);
        assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_OK);
        assert_close(x, 1, 1e-13, 0);
    }
    for (double p = 0; p <= 1.0; p += 0.0625) {
        werner(p, rho);
        assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_OK);
        assert_close(x, fmax(0, (3 * p - 1) / 2), 1e-12, 1e-13);
    }
    for (int trial = 0; trial < 20; trial++) {
        random_vec(v, 4); /* C = 2 |ad - bc| */
        projector(rho, v);
        assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_OK);
        assert_close(x, 2 * cabs(v[0] * v[3] - v[1] * v[2]), 1e-11, 1e-13);
        random_state(qa, 1 + trial % 2);
        random_state(qb, 2);
        kron_into(rho, qa, qb);
        assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_OK);
        assert_close(x, 0, 0, 1e-13);
        random_state(rho, 1 + trial % 4); /* local unitaries do not change C */
        random_herm(H);
        eig(H, u1, w);
        random_herm(H);
        eig(H, u2, w);
        kron_into(U, u1, u2);
        assert_int_equal(nmrc_cmat_similarity(r2, U, rho, T), NMRC_OK);
        assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_OK);
        assert_int_equal(nmrc_metrics_concurrence(ws, r2, &y), NMRC_OK);
        assert_close(x, y, 1e-10, 1e-12);
    }
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(qa);
    nmrc_cmat_destroy(qb);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(u1);
    nmrc_cmat_destroy(u2);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(T);
    nmrc_cmat_destroy(r2);
    nmrc_metrics_ws_destroy(ws);
}

/* ---- Fidelity and trace distance -------------------------------------------------------- */

static nmrc_cplx dotc(const nmrc_cplx *a, const nmrc_cplx *b, size_t n)
{
    nmrc_cplx s = 0;
    for (size_t i = 0; i < n; i++)
        s += conj(a[i]) * b[i];
    return s;
}

static void test_fidelity(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(3);
    nmrc_cmat *r = mat(8), *s = mat(8);
    nmrc_cplx a[8], b[8];
    double x, y, ov;
    (void)state;
    for (int trial = 0; trial < 10; trial++) {
        random_state(r, 1 + trial % 8);
        assert_int_equal(nmrc_metrics_fidelity(ws, r, r, &x), NMRC_OK);
        assert_close(x, 1, 1e-13, 0);
        assert_int_equal(nmrc_metrics_trace_distance(ws, r, r, &x), NMRC_OK);
        assert_close(x, 0, 0, 1e-14);
        random_state(s, 1 + (trial + 3) % 8);
        assert_int_equal(nmrc_metrics_fidelity(ws, r, s, &x), NMRC_OK);
        assert_int_equal(nmrc_metrics_fidelity(ws, s, r, &y), NMRC_OK);
        assert_close(x, y, 1e-12, 1e-14);
        assert_true(x >= 0 && x <= 1);
        assert_int_equal(nmrc_metrics_trace_distance(ws, r, s, &y), NMRC_OK);
        assert_true(1 - sqrt(x) <= y + 1e-12 && y <= sqrt(1 - x) + 1e-12); /* Fuchs-van de Graaf */
        random_vec(a, 8);
        random_vec(b, 8);
        ov = creal(dotc(a, b, 8) * conj(dotc(a, b, 8)));
        projector(r, a);
        projector(s, b);
        assert_int_equal(nmrc_metrics_fidelity(ws, r, s, &x), NMRC_OK);
        assert_close(x, ov, 1e-11, 1e-14);
        assert_int_equal(nmrc_metrics_trace_distance(ws, r, s, &x), NMRC_OK);
        assert_close(x, sqrt(1 - ov), 1e-11, 1e-14);
        random_state(s, 3); /* pure vs mixed: F = <a|s|a> */
        assert_int_equal(nmrc_metrics_fidelity(ws, r, s, &x), NMRC_OK);
        assert_int_equal(nmrc_metrics_expect(s, r, &y), NMRC_OK);
        assert_close(x, y, 1e-11, 1e-14);
    }
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(s);
    nmrc_metrics_ws_destroy(ws);
}

/* Qubits: F = Tr(rho sigma) + 2 sqrt(det rho det sigma), T = |r1 - r2| / 2;
** commuting (diagonal) states: F = (sum sqrt(p q))^2, T = sum |p - q| / 2. */
static void test_fidelity_closed_forms(void **state)
{
    nmrc_metrics_ws *w1 = nmrc_metrics_ws_create(1), *w2 = nmrc_metrics_ws_create(2);
    nmrc_cmat *r = mat(2), *s = mat(2), *R = mat(4), *S = mat(4);
    double x, tr, p[4], q[4], sp = 0, sq = 0, bf = 0, bt = 0;
    (void)state;
    for (int trial = 0; trial < 10; trial++) {
        double dr, ds, b1[3], b2[3], dist = 0;
        random_state(r, 2);
        random_state(s, 2);
        dr = creal(AT(r, 0, 0) * AT(r, 1, 1) - AT(r, 0, 1) * AT(r, 1, 0));
        ds = creal(AT(s, 0, 0) * AT(s, 1, 1) - AT(s, 0, 1) * AT(s, 1, 0));
        assert_int_equal(nmrc_metrics_expect(r, s, &tr), NMRC_OK);
        assert_int_equal(nmrc_metrics_fidelity(w1, r, s, &x), NMRC_OK);
        assert_close(x, tr + 2 * sqrt(dr * ds), 1e-12, 1e-14);
        b1[0] = 2 * creal(AT(r, 0, 1)), b1[1] = -2 * cimag(AT(r, 0, 1));
        b1[2] = creal(AT(r, 0, 0) - AT(r, 1, 1));
        b2[0] = 2 * creal(AT(s, 0, 1)), b2[1] = -2 * cimag(AT(s, 0, 1));
        b2[2] = creal(AT(s, 0, 0) - AT(s, 1, 1));
        for (int k = 0; k < 3; k++)
            dist += (b1[k] - b2[k]) * (b1[k] - b2[k]);
        assert_int_equal(nmrc_metrics_trace_distance(w1, r, s, &x), NMRC_OK);
        assert_close(x, 0.5 * sqrt(dist), 1e-12, 1e-14);
    }
    for (int k = 0; k < 4; k++) {
        sp += p[k] = urand();
        sq += q[k] = urand();
    }
    for (int k = 0; k < 4; k++) {
        AT(R, k, k) = p[k] / sp;
        AT(S, k, k) = q[k] / sq;
        bf += sqrt(p[k] / sp * q[k] / sq);
        bt += 0.5 * fabs(p[k] / sp - q[k] / sq);
    }
    assert_int_equal(nmrc_metrics_fidelity(w2, R, S, &x), NMRC_OK);
    assert_close(x, bf * bf, 1e-13, 0);
    assert_int_equal(nmrc_metrics_trace_distance(w2, R, S, &x), NMRC_OK);
    assert_close(x, bt, 1e-13, 0);
    assert_int_equal(nmrc_metrics_fidelity(w1, R, S, &x), NMRC_OK); /* 4 x 4 always works */
    assert_close(x, bf * bf, 1e-13, 0);
    nmrc_cmat_destroy(R);
    R = mat(8);
    nmrc_cmat_identity(R);
    nmrc_cmat_scale(R, 0.125);
    assert_int_equal(nmrc_metrics_fidelity(w2, R, R, &x), NMRC_EBADLEN);
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(s);
    nmrc_cmat_destroy(R);
    nmrc_cmat_destroy(S);
    nmrc_metrics_ws_destroy(w1);
    nmrc_metrics_ws_destroy(w2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_trace_product),
        cmocka_unit_test(test_partial_trace_entangled),
        cmocka_unit_test(test_mutual_info),
        cmocka_unit_test(test_concurrence),
        cmocka_unit_test(test_fidelity),
        cmocka_unit_test(test_fidelity_closed_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
