/*
** test_lindblad.c: Lindblad evolution against closed forms and against
** itself.  Pauli-X dephasing of one spin (Bloch y, z decay as e^{-2 gamma t},
** steady state), amplitude damping (populations e^{-gamma t}, coherence
** e^{-gamma t/2}), trace/Hermiticity/positivity of every output, and the
** matrix-form Taylor and Chebyshev integrators (mask and dense kernels)
** against the exact Liouvillian propagator to 1e-9 for N = 2, 3 and 4.
** Bad input rejected.  The invariant blocks and the output checks are
** tested in test_lindblad_blocks.c.
*/
#include "nmrc_test.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim_core_util.h"
#include "lindblad_test_util.h"

/* rho = (1 + r.sigma)/2 for one spin. */
static void bloch_state(nmrc_cmat *rho, double x, double y, double z)
{
    NMRC_CMAT_AT(rho, 0, 0) = 0.5 * (1 + z);
    NMRC_CMAT_AT(rho, 1, 1) = 0.5 * (1 - z);
    NMRC_CMAT_AT(rho, 0, 1) = 0.5 * (x - I * y);
    NMRC_CMAT_AT(rho, 1, 0) = 0.5 * (x + I * y);
}

static void bloch_vector(const nmrc_cmat *rho, double r[3])
{
    r[0] = 2 * creal(NMRC_CMAT_AT(rho, 1, 0));
    r[1] = 2 * cimag(NMRC_CMAT_AT(rho, 1, 0));
    r[2] = creal(NMRC_CMAT_AT(rho, 0, 0) - NMRC_CMAT_AT(rho, 1, 1));
}


static void dephasing_case(nmrc_lindblad_method method)
{
    const double gamma = 0.35, r0[3] = {0.3, -0.5, 0.6};
    nmrc_cmat *H = nmrc_cmat_create(2, 2), *rho0 = nmrc_cmat_create(2, 2);
    nmrc_collapse c = {NMRC_LOP_X, 0, gamma, NULL};
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *p;
    nmrc_lindblad_ws *ws;
    nmrc_cplx *buf;
    double t[41], r[3];
    nmrc_cmat *out = make_outputs(41, 2, &buf);
    nmrc_ctx *ctx = nmrc_ctx_create();

    nmrc_lindblad_opts_default(&o);
    o.method = method;
    o.rtol = 1e-11; /* global error <~ rtol ||rho||_F: the checks below use 1e-10 */
    bloch_state(rho0, r0[0], r0[1], r0[2]);
    assert_int_equal(nmrc_lindblad_plan_create(H, 1, &c, 1, &o, ctx, &p), NMRC_OK);
    assert_int_equal(nmrc_lindblad_plan_method(p), method);
    assert_non_null(ws = nmrc_lindblad_ws_create(p));
    for (int k = 0; k < 41; k++)
        t[k] = 0.25 * k;
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho0, t, 41, ctx, out), NMRC_OK);
    for (int k = 0; k < 41; k++) {
        double e = exp(-2 * gamma * t[k]);
        bloch_vector(&out[k], r);
        assert_close(r[0], r0[0], 0, 1e-10);
        assert_close(r[1], r0[1] * e, 0, 1e-10);
        assert_close(r[2], r0[2] * e, 0, 1e-10);
        /* |Tr err| <= sqrt(d) ||err||_F <= sqrt(2) rtol ||rho0||_F */
        assert_close(nmrc_cmat_trace(&out[k]), 1.0, 0, sqrt(2.0) * o.rtol);
    }
    /* steady state (1 + x X)/2 reached at long times, step API */
    assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0.0, ctx), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p, ws, 60.0, ctx, &out[0]), NMRC_OK);
    bloch_vector(&out[0], r);
    assert_close(r[0], r0[0], 0, 1e-10);
    assert_close(r[1], 0, 0, 1e-10);
    assert_close(r[2], 0, 0, 1e-10);
    /* going back in time is an error */
    assert_int_equal(nmrc_lindblad_advance(p, ws, 10.0, ctx, &out[0]), NMRC_EINVAL);
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    free(out);
    free(buf);
    nmrc_ctx_destroy(ctx);
}

static void test_dephasing_exact(void **state)
{
    (void)state;
    dephasing_case(NMRC_LINDBLAD_EXACT);
}

static void test_dephasing_taylor(void **state)
{
    (void)state;
    dephasing_case(NMRC_LINDBLAD_TAYLOR);
}

static void test_dephasing_chebyshev(void **state)
{
    (void)state;
    dephasing_case(NMRC_LINDBLAD_CHEBYSHEV);
}

/* Amplitude damping towards |0> with a Z field (which does not change the
** populations, and only rotates the coherence: |rho01| = |rho01(0)| e^{-gt/2}). */
static void test_damping(void **state)
{
    const double g = 0.8, h = 1.3;
    nmrc_cmat *H = nmrc_cmat_create(2, 2), *rho0 = nmrc_cmat_create(2, 2);
    nmrc_cmat *rho = nmrc_cmat_create(2, 2);
    nmrc_collapse c = {NMRC_LOP_DECAY0, 0, g, NULL};
    for (int m = 0; m < 3; m++) {
        nmrc_lindblad_opts o;
        nmrc_lindblad_plan *p;
        nmrc_lindblad_ws *ws;
        nmrc_lindblad_opts_default(&o);
        o.method = m == 0 ? NMRC_LINDBLAD_EXACT : m == 1 ? NMRC_LINDBLAD_TAYLOR
                                                          : NMRC_LINDBLAD_CHEBYSHEV;
        o.rtol = 1e-12; /* the checks below use 1e-11 */
        (void)state;
        nmrc_cmat_zero(H);
        assert_int_equal(nmrc_sim_add_pauli1(H, 1, 0, 'z', h), NMRC_OK);
        bloch_state(rho0, 0.6, 0.2, -0.7);
        assert_int_equal(nmrc_lindblad_plan_create(H, 1, &c, 1, &o, NULL, &p), NMRC_OK);
        ws = nmrc_lindblad_ws_create(p);
        assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0.0, NULL), NMRC_OK);
        for (double t = 0.3; t < 6; t += 0.3) {
            nmrc_cplx c01;
            assert_int_equal(nmrc_lindblad_advance(p, ws, t, NULL, rho), NMRC_OK);
            assert_close(NMRC_CMAT_AT(rho, 1, 1), NMRC_CMAT_AT(rho0, 1, 1) * exp(-g * t), 0,
                         1e-11);
            /* rho01(t) = rho01(0) exp(-2iht - gt/2) (|0> has energy +h) */
            c01 = NMRC_CMAT_AT(rho0, 0, 1) * cexp(-2 * I * h * t - 0.5 * g * t);
            assert_close(NMRC_CMAT_AT(rho, 0, 1), c01, 0, 1e-11);
        }
        nmrc_lindblad_ws_destroy(ws);
        nmrc_lindblad_plan_destroy(p);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(rho);
}


/* Taylor and Chebyshev (both kernels each) vs the exact propagator, all
** outputs, N = 2 and 3. */
static void taylor_vs_exact(size_t n)
{
    size_t d = (size_t)1 << n, n_ops, nt = 41;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *Ld = nmrc_cmat_create(d, d);
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), *tmp = nmrc_cmat_create(d, d);
    nmrc_collapse ops[8];
    nmrc_cplx *be, *bt;
    nmrc_cmat *oe = make_outputs(nt, d, &be), *ot = make_outputs(nt, d, &bt);
    double t[41];
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *pe, *pt;
    nmrc_lindblad_ws *we, *wt;
    nmrc_ctx *ctx = nmrc_ctx_create();

    srand(100 + (unsigned)n);
    random_problem(n, H, Ld, ops, &n_ops);
    random_state(rho0, tmp);
    for (size_t k = 0; k < nt; k++)
        t[k] = 0.2 * (double)k;
    nmrc_lindblad_opts_default(&o);
    o.method = NMRC_LINDBLAD_EXACT;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, ctx, &pe), NMRC_OK);
    we = nmrc_lindblad_ws_create(pe);
    assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, ctx, oe), NMRC_OK);
    for (int v = 0; v < 4; v++) {
        int kern = v % 2 ? NMRC_LINDBLAD_KERNEL_DENSE : NMRC_LINDBLAD_KERNEL_SPARSE;
        o.method = v < 2 ? NMRC_LINDBLAD_TAYLOR : NMRC_LINDBLAD_CHEBYSHEV;
        o.kernel = (nmrc_lindblad_kernel)kern;
        assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, ctx, &pt), NMRC_OK);
        wt = nmrc_lindblad_ws_create(pt);
        assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, ctx, ot), NMRC_OK);
        double worst = max_output_diff(oe, ot, nt);
        if (!(worst <= 1e-9))
            fail_msg("N = %zu method %d kernel %d: max |rho - exact| = %g", n, (int)o.method,
                     kern, worst);
        /* the state really moved: not a trivially passing comparison */
        assert_true(nmrc_cmat_max_diff(&oe[nt - 1], rho0) > 1e-2);
        nmrc_lindblad_ws_destroy(wt);
        nmrc_lindblad_plan_destroy(pt);
    }
    nmrc_lindblad_ws_destroy(we);
    nmrc_lindblad_plan_destroy(pe);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(Ld);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(tmp);
    free(oe);
    free(ot);
    free(be);
    free(bt);
    nmrc_ctx_destroy(ctx);
}

static void test_taylor_vs_exact_n2(void **state)
{
    (void)state;
    taylor_vs_exact(2);
}

static void test_taylor_vs_exact_n3(void **state)
{
    (void)state;
    taylor_vs_exact(3);
}

/* N = 4 is beyond AUTO's exact range but within the EXACT method's. */
static void test_taylor_vs_exact_n4(void **state)
{
    (void)state;
    taylor_vs_exact(4);
}

/* Invariants on a 5-spin problem (TAYLOR by AUTO, then CHEBYSHEV): every
** output Hermitian,
** trace one, eigenvalues >= -1e-12, and purity never increases under purely
** unital (Pauli) noise. */
static void invariants_n5(nmrc_lindblad_method method)
{
    size_t n = 5, d = 32, nt = 11;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *Ld = nmrc_cmat_create(d, d);
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), *tmp = nmrc_cmat_create(d, d);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
    nmrc_collapse ops[10];
    nmrc_cplx *buf;
    nmrc_cmat *out = make_outputs(nt, d, &buf);
    double t[11], w[32], purity = 2;
    size_t n_ops;
    nmrc_lindblad_plan *p;
    nmrc_lindblad_ws *ws;
    nmrc_lindblad_opts o;
    srand(9);
    random_problem(n, H, Ld, ops, &n_ops);
    n_ops = n + 1; /* X on every spin + Y on the last spin: unital */
    ops[n] = (nmrc_collapse){NMRC_LOP_Y, n - 1, 0.05, NULL};
    random_state(rho0, tmp);
    for (size_t k = 0; k < nt; k++)
        t[k] = 0.5 * (double)k;
    nmrc_lindblad_opts_default(&o);
    o.method = method;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, NULL, &p), NMRC_OK);
    assert_int_equal(nmrc_lindblad_plan_method(p),
                     method == NMRC_LINDBLAD_AUTO ? NMRC_LINDBLAD_TAYLOR : method);
    ws = nmrc_lindblad_ws_create(p);
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho0, t, nt, NULL, out), NMRC_OK);
    for (size_t k = 0; k < nt; k++) {
        double pur = creal(nmrc_cmat_trace_prod(&out[k], &out[k]));
        /* |Tr err| <= sqrt(d) ||err||_F <= sqrt(d) rtol ||rho0||_F */
        assert_close(nmrc_cmat_trace(&out[k]), 1.0, 0, sqrt((double)d) * o.rtol);
        assert_true(nmrc_cmat_herm_dev(&out[k]) < 1e-13);
        assert_int_equal(nmrc_cmat_copy(tmp, &out[k]), NMRC_OK);
        assert_int_equal(nmrc_eigvalsh(tmp, w, ews), NMRC_OK);
        assert_true(w[0] > -1e-12);
        assert_true(pur <= purity + 1e-12);
        purity = pur;
    }
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);
    nmrc_eigh_ws_destroy(ews);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(Ld);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(tmp);
    free(out);
    free(buf);
}

static void test_invariants_n5(void **state)
{
    (void)state;
    invariants_n5(NMRC_LINDBLAD_AUTO);
    invariants_n5(NMRC_LINDBLAD_CHEBYSHEV);
}

/* Bad input: clear errors, no crash. */
static void test_errors(void **state)
{
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    nmrc_collapse c = {NMRC_LOP_X, 0, -1.0, NULL};
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *p = NULL;
    nmrc_lindblad_ws *ws;
    nmrc_ctx *ctx = nmrc_ctx_create();
    double t[2] = {1.0, 0.5};
    (void)state;
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, NULL, ctx, &p), NMRC_EINVAL);
    assert_null(p);
    c.rate = NAN;
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, NULL, ctx, &p), NMRC_EINVAL);
    c.rate = 0.1;
    c.spin = 2;
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, NULL, ctx, &p), NMRC_EINVAL);
    c.spin = 1;
    assert_int_equal(nmrc_lindblad_plan_create(H, 3, &c, 1, NULL, ctx, &p), NMRC_EBADLEN);
    nmrc_lindblad_opts_default(&o);
    o.rtol = 0;
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, &o, ctx, &p), NMRC_EINVAL);
    NMRC_CMAT_AT(H, 0, 1) = 1.0; /* not Hermitian */
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, NULL, ctx, &p), NMRC_EINVAL);
    NMRC_CMAT_AT(H, 1, 0) = 1.0;
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, &c, 1, NULL, ctx, &p), NMRC_OK);
    ws = nmrc_lindblad_ws_create(p);
    /* rho0 with trace 2, then a non-positive one */
    nmrc_cmat_identity(rho);
    nmrc_cmat_scale(rho, 0.5);
    assert_int_equal(nmrc_lindblad_init(p, ws, rho, 0, ctx), NMRC_EINVAL);
    NMRC_CMAT_AT(rho, 0, 0) = 1.25;
    NMRC_CMAT_AT(rho, 1, 1) = -0.25;
    NMRC_CMAT_AT(rho, 2, 2) = 0;
    NMRC_CMAT_AT(rho, 3, 3) = 0;
    assert_int_equal(nmrc_lindblad_init(p, ws, rho, 0, ctx), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "not positive"));
    nmrc_cmat_identity(rho);
    nmrc_cmat_scale(rho, 0.25);
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho, t, 2, ctx, rho), NMRC_EINVAL);
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);
    /* the exact propagator refuses 5 spins */
    {
        nmrc_cmat *H5 = nmrc_cmat_create(32, 32);
        o.rtol = 1e-8;
        o.method = NMRC_LINDBLAD_EXACT;
        assert_int_equal(nmrc_lindblad_plan_create(H5, 5, &c, 1, &o, ctx, &p), NMRC_ELIMIT);
        nmrc_cmat_destroy(H5);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* The model path: battery target with X dephasing on both spins gives the
** same evolution as the hand-made plan. */
static void test_from_model(void **state)
{
    nmrc_model m;
    nmrc_term t6[6];
    nmrc_noise nz[2] = {{NMRC_NOISE_DEPHASE_X, 0, 0.2, {0, 0, 0, 0}},
                        {NMRC_NOISE_DEPHASE_X, 1, 0.2, {0, 0, 0, 0}}};
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho0 = nmrc_cmat_create(4, 4);
    nmrc_cmat *a = nmrc_cmat_create(4, 4), *b = nmrc_cmat_create(4, 4);
    nmrc_collapse ops[2] = {{NMRC_LOP_X, 0, 0.2, NULL}, {NMRC_LOP_X, 1, 0.2, NULL}};
    nmrc_lindblad_plan *p1, *p2;
    nmrc_lindblad_ws *w1, *w2;
    (void)state;
    battery_model(&m, t6, 0.5, 1.0, 0.3, 1.0, 0.1);
    m.n_noise = 2;
    m.noise = nz;
    assert_int_equal(nmrc_lindblad_plan_from_model(&m, NULL, NULL, &p1), NMRC_OK);
    assert_int_equal(nmrc_sim_hamiltonian(&m, NULL, H), NMRC_OK);
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, ops, 2, NULL, NULL, &p2), NMRC_OK);
    assert_int_equal(nmrc_sim_gibbs(H, 0.7, NULL, rho0), NMRC_OK);
    w1 = nmrc_lindblad_ws_create(p1);
    w2 = nmrc_lindblad_ws_create(p2);
    assert_int_equal(nmrc_lindblad_init(p1, w1, rho0, 0, NULL), NMRC_OK);
    assert_int_equal(nmrc_lindblad_init(p2, w2, rho0, 0, NULL), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p1, w1, 2.5, NULL, a), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p2, w2, 2.5, NULL, b), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(a, b) == 0);
    /* a workspace initialized with another plan is refused */
    assert_int_equal(nmrc_lindblad_advance(p1, w2, 3.0, NULL, a), NMRC_EINVAL);
    nmrc_lindblad_ws_destroy(w1);
    nmrc_lindblad_ws_destroy(w2);
    nmrc_lindblad_plan_destroy(p1);
    nmrc_lindblad_plan_destroy(p2);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(a);
    nmrc_cmat_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dephasing_exact),    cmocka_unit_test(test_dephasing_taylor),
        cmocka_unit_test(test_dephasing_chebyshev),
        cmocka_unit_test(test_damping),            cmocka_unit_test(test_taylor_vs_exact_n2),
        cmocka_unit_test(test_taylor_vs_exact_n3), cmocka_unit_test(test_taylor_vs_exact_n4),
        cmocka_unit_test(test_invariants_n5),
        cmocka_unit_test(test_errors),             cmocka_unit_test(test_from_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
