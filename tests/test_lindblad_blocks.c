/*
** test_lindblad_blocks.c: the Lindblad integrators on the invariant blocks of
** a parity-conserving chain (and off them for a state that is not block
** diagonal) against the exact Liouvillian propagator, blocks of size one,
** strided output views, and the output checks themselves: a broken plan
** must end in NMRC_ENUMERIC, and the positivity check must match eigenvalues.
*/
#include "nmrc_test.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim_core_util.h"
#include "lindblad_test_util.h"
#include "sim/ideal/lindblad_impl.h" /* to break a plan on purpose in test_checks_fire */

/* A 4-spin chain whose pair terms flip two spins at a time (XX, YY, XY, YX,
** ZZ) conserves the parity of x ^ y under X/Y dephasing and damping: the
** plan finds blocks of half the dimension.  A Gibbs state (block diagonal)
** is evolved on the blocks, a random state on the whole matrix; both agree
** with the exact propagator, and the generator applied to any state agrees
** with the dense formula -i[H, rho] + sum L rho L^+ - {L^+ L, rho}/2. */
static void test_blocks_vs_exact(void **state)
{
    size_t n = 4, d = 16, nt = 31;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *rho0 = nmrc_cmat_create(d, d);
    nmrc_cmat *tmp = nmrc_cmat_create(d, d), *f = nmrc_cmat_create(d, d);
    nmrc_cmat *ref = nmrc_cmat_create(d, d), *L = nmrc_cmat_create(d, d);
    nmrc_cmat *LL = nmrc_cmat_create(d, d);
    nmrc_cplx *be, *bt;
    nmrc_cmat *oe = make_outputs(nt, d, &be), *ot = make_outputs(nt, d, &bt);
    nmrc_collapse ops[6];
    static const char lk[] = {'x', 'x', 'x', 'x', 'y', '+'};
    double t[31];
    (void)state;
    srand(77);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(nmrc_sim_add_pauli1(H, n, i, 'z', 0.2 + 0.1 * (double)i), NMRC_OK);
        if (i + 1 < n) {
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'x', -0.23), NMRC_OK);
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'y', i + 1, 'y', -0.43), NMRC_OK);
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'z', i + 1, 'z', 0.67), NMRC_OK);
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'y', 0.8), NMRC_OK);
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'y', i + 1, 'x', -0.2), NMRC_OK);
        }
        ops[i] = (nmrc_collapse){NMRC_LOP_X, i, 0.1 + 0.05 * (double)i, NULL};
    }
    ops[4] = (nmrc_collapse){NMRC_LOP_Y, 2, 0.07, NULL};
    ops[5] = (nmrc_collapse){NMRC_LOP_DECAY0, 1, 0.12, NULL};
    for (size_t k = 0; k < nt; k++)
        t[k] = 0.25 * (double)k;
    for (int init = 0; init < 2; init++) {
        nmrc_lindblad_opts o;
        nmrc_lindblad_plan *pe, *pt;
        nmrc_lindblad_ws *we, *wt;
        if (init == 0)
            assert_int_equal(nmrc_sim_gibbs(H, 0.8, NULL, rho0), NMRC_OK);
        else
            random_state(rho0, tmp);
        nmrc_lindblad_opts_default(&o);
        o.method = NMRC_LINDBLAD_EXACT;
        assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, 6, &o, NULL, &pe), NMRC_OK);
        we = nmrc_lindblad_ws_create(pe);
        assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, NULL, oe), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(&oe[nt - 1], rho0) > 1e-2);
        for (int m = NMRC_LINDBLAD_TAYLOR; m <= NMRC_LINDBLAD_CHEBYSHEV; m++) {
            o.method = (nmrc_lindblad_method)m;
            assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, 6, &o, NULL, &pt), NMRC_OK);
            assert_int_equal(pt->blk, d / 2);
            wt = nmrc_lindblad_ws_create(pt);
            assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, NULL, ot), NMRC_OK);
            assert_int_equal(wt->blk, init == 0 ? d / 2 : d);
            double worst = max_output_diff(oe, ot, nt);
            if (!(worst <= 1e-9))
                fail_msg("blocks, init %d, method %d: max |rho - exact| = %g", init, m, worst);
            /* the generator on a random (not block-diagonal) state */
            random_state(tmp, f);
            assert_int_equal(nmrc_lindblad_rhs(pt, wt, tmp, f), NMRC_OK);
            assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -I, H, tmp, 0.0, ref), NMRC_OK);
            assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, I, tmp, H, 1.0, ref), NMRC_OK);
            for (size_t k = 0; k < 6; k++) {
                assert_int_equal(nmrc_sim_spin_op(L, n, ops[k].spin, lk[k]), NMRC_OK);
                nmrc_cmat_scale(L, sqrt(ops[k].rate));
                assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, L, tmp, 0.0, LL), NMRC_OK);
                assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, LL, L, 1.0, ref), NMRC_OK);
                assert_int_equal(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, L, L, 0.0, LL), NMRC_OK);
                assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -0.5, LL, tmp, 1.0, ref), NMRC_OK);
                assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -0.5, tmp, LL, 1.0, ref), NMRC_OK);
            }
            assert_true(nmrc_cmat_max_diff(f, ref) <= 1e-13);
            /* and the integration goes on after it */
            assert_int_equal(nmrc_lindblad_init(pt, wt, rho0, 0, NULL), NMRC_OK);
            assert_int_equal(nmrc_lindblad_advance(pt, wt, t[nt - 1], NULL, &ot[0]), NMRC_OK);
            assert_true(nmrc_cmat_max_diff(&oe[nt - 1], &ot[0]) <= 1e-9);
            nmrc_lindblad_ws_destroy(wt);
            nmrc_lindblad_plan_destroy(pt);
        }
        nmrc_lindblad_ws_destroy(we);
        nmrc_lindblad_plan_destroy(pe);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(tmp);
    nmrc_cmat_destroy(f);
    nmrc_cmat_destroy(ref);
    nmrc_cmat_destroy(L);
    nmrc_cmat_destroy(LL);
    free(oe);
    free(ot);
    free(be);
    free(bt);
}

/* A diagonal H with Pauli-X dephasing moves no entry off its x ^ y: the
** blocks have size one and a diagonal (Gibbs) state stays diagonal, its
** populations relaxing as the exact propagator says. */
static void test_blocks_of_one(void **state)
{
    size_t n = 3, d = 8, nt = 9;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *rho0 = nmrc_cmat_create(d, d);
    nmrc_cplx *be, *bt;
    nmrc_cmat *oe = make_outputs(nt, d, &be), *ot = make_outputs(nt, d, &bt);
    nmrc_collapse ops[3];
    double t[9];
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *pe, *pt;
    nmrc_lindblad_ws *we, *wt;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(nmrc_sim_add_pauli1(H, n, i, 'z', 0.4 + 0.3 * (double)i), NMRC_OK);
        if (i + 1 < n)
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'z', i + 1, 'z', 0.5), NMRC_OK);
        ops[i] = (nmrc_collapse){NMRC_LOP_X, i, 0.2 + 0.1 * (double)i, NULL};
    }
    for (size_t k = 0; k < nt; k++)
        t[k] = 0.5 * (double)k;
    assert_int_equal(nmrc_sim_gibbs(H, 0.5, NULL, rho0), NMRC_OK);
    nmrc_lindblad_opts_default(&o);
    o.method = NMRC_LINDBLAD_EXACT;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, NULL, &pe), NMRC_OK);
    we = nmrc_lindblad_ws_create(pe);
    assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, NULL, oe), NMRC_OK);
    o.method = NMRC_LINDBLAD_TAYLOR;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, NULL, &pt), NMRC_OK);
    assert_int_equal(pt->blk, 1);
    wt = nmrc_lindblad_ws_create(pt);
    assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, NULL, ot), NMRC_OK);
    assert_int_equal(wt->blk, 1);
    assert_true(max_output_diff(oe, ot, nt) <= 1e-9);
    assert_true(nmrc_cmat_max_diff(&oe[nt - 1], rho0) > 1e-2);
    nmrc_lindblad_ws_destroy(we);
    nmrc_lindblad_ws_destroy(wt);
    nmrc_lindblad_plan_destroy(pe);
    nmrc_lindblad_plan_destroy(pt);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    free(oe);
    free(ot);
    free(be);
    free(bt);
}

/* The output checks are real: a generator with its -(i/2) sum L^+L part
** removed no longer preserves the trace, and a Chebyshev plan whose
** spectral enclosure is 4x too small trips the term-growth guard.  Both
** must end in NMRC_ENUMERIC, not in a silently wrong state. */
static void test_checks_fire(void **state)
{
    size_t n = 4, d = 16;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *rho0 = nmrc_cmat_create(d, d);
    nmrc_cmat *rho = nmrc_cmat_create(d, d);
    nmrc_collapse ops[4];
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *p;
    nmrc_lindblad_ws *ws;
    nmrc_ctx *ctx = nmrc_ctx_create();
    (void)state;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(nmrc_sim_add_pauli1(H, n, i, 'z', 0.3 * (double)(i + 1)), NMRC_OK);
        if (i + 1 < n)
            assert_int_equal(nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'x', 1.0), NMRC_OK);
        ops[i] = (nmrc_collapse){NMRC_LOP_X, i, 0.3, NULL};
    }
    nmrc_cmat_identity(rho0);
    nmrc_cmat_scale(rho0, 1.0 / (double)d);
    nmrc_lindblad_opts_default(&o);
    o.method = NMRC_LINDBLAD_TAYLOR;
    o.kernel = NMRC_LINDBLAD_KERNEL_SPARSE;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, ctx, &p), NMRC_OK);
    for (size_t k = 0; k < p->n_hmasks; k++)
        if (p->hm[k].mask == 0)
            for (size_t x = 0; x < d; x++)
                p->hm[k].v[x] = creal(p->hm[k].v[x]);
    ws = nmrc_lindblad_ws_create(p);
    assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0, ctx), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p, ws, 1.0, ctx, rho), NMRC_ENUMERIC);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "trace"));
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);

    o.method = NMRC_LINDBLAD_CHEBYSHEV;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, ctx, &p), NMRC_OK);
    p->cheb_w *= 0.25;
    ws = nmrc_lindblad_ws_create(p);
    random_state(rho0, rho);
    assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0, ctx), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p, ws, 5.0, ctx, rho), NMRC_ENUMERIC);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "spectral bound"));
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* The positivity check (a tiled Cholesky on the calling thread up to order
** 512, LAPACK above) against eigenvalues: rho = V diag(lam) V^+ for a random
** eigenbasis V, trace one, with lambda_min = -1e-5 (below -check_tol: the
** initial state is refused as not positive) or -1e-9 (within check_tol:
** accepted), for dim 64 (two 32-column tiles) and 256 (two row chunks). */
static void test_positivity_check(void **state)
{
    (void)state;
    srand(31);
    for (size_t n = 6; n <= 8; n += 2) {
        size_t d = (size_t)1 << n;
        nmrc_cmat *H = nmrc_cmat_create(d, d), *V = nmrc_cmat_create(d, d);
        nmrc_cmat *rho = nmrc_cmat_create(d, d), *tmp = nmrc_cmat_create(d, d);
        nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
        double *w = malloc(d * sizeof *w), *lam = malloc(d * sizeof *lam);
        nmrc_collapse c = {NMRC_LOP_X, 0, 0.1, NULL};
        nmrc_lindblad_plan *p;
        nmrc_lindblad_ws *ws;
        nmrc_ctx *ctx = nmrc_ctx_create();
        nmrc_lindblad_opts o;
        nmrc_lindblad_opts_default(&o);
        o.method = NMRC_LINDBLAD_TAYLOR;
        random_hermitian(V, 1.0);
        assert_int_equal(nmrc_eigh(V, w, ews), NMRC_OK);
        assert_int_equal(nmrc_lindblad_plan_create(H, n, &c, 1, &o, ctx, &p), NMRC_OK);
        ws = nmrc_lindblad_ws_create(p);
        for (int bad = 0; bad < 2; bad++) {
            double sum = 0, neg = bad ? -1e-5 : -1e-9;
            for (size_t k = 0; k < d; k++)
                sum += (lam[k] = (double)(k + 1));
            for (size_t k = 0; k < d; k++)
                lam[k] /= sum;
            lam[0] += lam[d / 2 + 3] - neg; /* trace stays one */
            lam[d / 2 + 3] = neg;
            for (size_t k = 0; k < d; k++)
                for (size_t i = 0; i < d; i++)
                    NMRC_CMAT_AT(tmp, i, k) = lam[k] * NMRC_CMAT_AT(V, i, k);
            assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, V, 0.0, rho), NMRC_OK);
            nmrc_cmat_hermitize(rho);
            if (bad) {
                assert_int_equal(nmrc_lindblad_init(p, ws, rho, 0, ctx), NMRC_EINVAL);
                assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "not positive"));
            } else {
                assert_int_equal(nmrc_lindblad_init(p, ws, rho, 0, ctx), NMRC_OK);
            }
        }
        nmrc_lindblad_ws_destroy(ws);
        nmrc_lindblad_plan_destroy(p);
        nmrc_ctx_destroy(ctx);
        nmrc_eigh_ws_destroy(ews);
        nmrc_cmat_destroy(H);
        nmrc_cmat_destroy(V);
        nmrc_cmat_destroy(rho);
        nmrc_cmat_destroy(tmp);
        free(w);
        free(lam);
    }
}

/* Caller matrices with a leading dimension above dim (NaN padding) give the
** same states as packed ones, for every method. */
static void test_strided_views(void **state)
{
    size_t n = 3, d = 8, ld = 11, nt = 5, n_ops;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *Ld = nmrc_cmat_create(d, d);
    nmrc_cmat *tmp = nmrc_cmat_create(d, d);
    nmrc_cplx *pad0 = malloc(ld * d * sizeof *pad0), *pad = malloc(nt * ld * d * sizeof *pad);
    nmrc_cplx *buf;
    nmrc_cmat *packed = make_outputs(nt, d, &buf), views[5], rho0;
    nmrc_collapse ops[8];
    double t[5] = {0.0, 0.3, 0.3, 1.1, 2.0};
    (void)state;
    srand(55);
    random_problem(n, H, Ld, ops, &n_ops);
    for (size_t k = 0; k < ld * d; k++)
        pad0[k] = NAN;
    for (size_t k = 0; k < nt * ld * d; k++)
        pad[k] = NAN;
    rho0 = nmrc_cmat_view(pad0, d, d, ld);
    random_state(tmp, Ld);
    assert_int_equal(nmrc_cmat_copy(&rho0, tmp), NMRC_OK);
    for (size_t k = 0; k < nt; k++)
        views[k] = nmrc_cmat_view(pad + k * ld * d, d, d, ld);
    for (int m = NMRC_LINDBLAD_EXACT; m <= NMRC_LINDBLAD_CHEBYSHEV; m++) {
        nmrc_lindblad_opts o;
        nmrc_lindblad_plan *p;
        nmrc_lindblad_ws *ws;
        nmrc_lindblad_opts_default(&o);
        o.method = (nmrc_lindblad_method)m;
        assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, NULL, &p), NMRC_OK);
        ws = nmrc_lindblad_ws_create(p);
        assert_int_equal(nmrc_lindblad_execute(p, ws, tmp, t, nt, NULL, packed), NMRC_OK);
        assert_int_equal(nmrc_lindblad_execute(p, ws, &rho0, t, nt, NULL, views), NMRC_OK);
        for (size_t k = 0; k < nt; k++)
            assert_true(nmrc_cmat_max_diff(&packed[k], &views[k]) == 0);
        nmrc_lindblad_ws_destroy(ws);
        nmrc_lindblad_plan_destroy(p);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(Ld);
    nmrc_cmat_destroy(tmp);
    free(pad0);
    free(pad);
    free(packed);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_vs_exact), cmocka_unit_test(test_blocks_of_one),
        cmocka_unit_test(test_checks_fire),     cmocka_unit_test(test_strided_views),
        cmocka_unit_test(test_positivity_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
