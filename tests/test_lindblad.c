/*
** test_lindblad.c: Lindblad evolution against closed forms and against
** itself.  Pauli-X dephasing of one spin (Bloch y, z decay as e^{-2 gamma t},
** steady state), amplitude damping (populations e^{-gamma t}, coherence
** e^{-gamma t/2}), trace/Hermiticity/positivity of every output, and the
** matrix-form Taylor and Chebyshev integrators (mask and dense kernels)
** against the exact Liouvillian propagator to 1e-9 for N = 2, 3 and 4, also
** on the invariant blocks of a parity-conserving chain (and off them for a
** state that is not block diagonal).  Bad input rejected.
*/
#include "nmrc_test.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim_core_util.h"
#include "lindblad_impl.h" /* to break a plan on purpose in test_checks_fire */

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

/* Output matrices as views into one buffer. */
static nmrc_cmat *make_outputs(size_t n_t, size_t d, nmrc_cplx **buf)
{
    nmrc_cmat *out = malloc(n_t * sizeof *out);
    *buf = calloc(n_t * d * d, sizeof **buf);
    for (size_t k = 0; k < n_t; k++)
        out[k] = nmrc_cmat_view(*buf + k * d * d, d, d, d);
    return out;
}

/* The largest max_diff between a[k] and b[k] over the n_t outputs. */
static double max_output_diff(const nmrc_cmat *a, const nmrc_cmat *b, size_t n_t)
{
    double worst = 0;
    for (size_t k = 0; k < n_t; k++)
        worst = fmax(worst, nmrc_cmat_max_diff(&a[k], &b[k]));
    return worst;
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
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho0, t, 41, out, ctx), NMRC_OK);
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
    assert_int_equal(nmrc_lindblad_advance(p, ws, 60.0, &out[0], ctx), NMRC_OK);
    bloch_vector(&out[0], r);
    assert_close(r[0], r0[0], 0, 1e-10);
    assert_close(r[1], 0, 0, 1e-10);
    assert_close(r[2], 0, 0, 1e-10);
    /* going back in time is an error */
    assert_int_equal(nmrc_lindblad_advance(p, ws, 10.0, &out[0], ctx), NMRC_EINVAL);
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
        nmrc_sim_add_pauli1(H, 1, 0, 'z', h);
        bloch_state(rho0, 0.6, 0.2, -0.7);
        assert_int_equal(nmrc_lindblad_plan_create(H, 1, &c, 1, &o, NULL, &p), NMRC_OK);
        ws = nmrc_lindblad_ws_create(p);
        assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0.0, NULL), NMRC_OK);
        for (double t = 0.3; t < 6; t += 0.3) {
            nmrc_cplx c01;
            assert_int_equal(nmrc_lindblad_advance(p, ws, t, rho, NULL), NMRC_OK);
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

/* A random N-spin problem: random H from random pair tensors and fields,
** X dephasing on every spin, damping on spin 0, Y on the last spin, and a
** dense two-mask collapse operator X(0) + i Z(1)/2. */
static void random_problem(size_t n, nmrc_cmat *H, nmrc_cmat *Ld, nmrc_collapse *ops,
                           size_t *n_ops)
{
    static const char ax[] = {'x', 'y', 'z'};
    size_t k = 0;
    nmrc_cmat_zero(H);
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < 3; a++) {
            nmrc_sim_add_pauli1(H, n, i, ax[a], urand());
            if (i + 1 < n)
                for (int b = 0; b < 3; b++)
                    nmrc_sim_add_pauli2(H, n, i, ax[a], i + 1, ax[b], urand());
        }
    for (size_t i = 0; i < n; i++)
        ops[k++] = (nmrc_collapse){NMRC_LOP_X, i, 0.1 + 0.2 * (urand() + 0.5), NULL};
    ops[k++] = (nmrc_collapse){NMRC_LOP_DECAY0, 0, 0.15, NULL};
    ops[k++] = (nmrc_collapse){NMRC_LOP_Y, n - 1, 0.05, NULL};
    nmrc_cmat_zero(Ld);
    nmrc_sim_add_pauli1(Ld, n, 0, 'x', 1.0);
    nmrc_sim_add_pauli1(Ld, n, 1, 'z', 0.5 * I);
    ops[k++] = (nmrc_collapse){NMRC_LOP_MATRIX, 0, 0.07, Ld};
    *n_ops = k;
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
    assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, oe, ctx), NMRC_OK);
    for (int v = 0; v < 4; v++) {
        int kern = v % 2 ? NMRC_LINDBLAD_KERNEL_DENSE : NMRC_LINDBLAD_KERNEL_SPARSE;
        o.method = v < 2 ? NMRC_LINDBLAD_TAYLOR : NMRC_LINDBLAD_CHEBYSHEV;
        o.kernel = (nmrc_lindblad_kernel)kern;
        assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, ctx, &pt), NMRC_OK);
        wt = nmrc_lindblad_ws_create(pt);
        assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, ot, ctx), NMRC_OK);
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
        nmrc_sim_add_pauli1(H, n, i, 'z', 0.2 + 0.1 * (double)i);
        if (i + 1 < n) {
            nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'x', -0.23);
            nmrc_sim_add_pauli2(H, n, i, 'y', i + 1, 'y', -0.43);
            nmrc_sim_add_pauli2(H, n, i, 'z', i + 1, 'z', 0.67);
            nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'y', 0.8);
            nmrc_sim_add_pauli2(H, n, i, 'y', i + 1, 'x', -0.2);
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
            assert_int_equal(nmrc_sim_gibbs(H, 0.8, rho0, NULL), NMRC_OK);
        else
            random_state(rho0, tmp);
        nmrc_lindblad_opts_default(&o);
        o.method = NMRC_LINDBLAD_EXACT;
        assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, 6, &o, NULL, &pe), NMRC_OK);
        we = nmrc_lindblad_ws_create(pe);
        assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, oe, NULL), NMRC_OK);
        assert_true(nmrc_cmat_max_diff(&oe[nt - 1], rho0) > 1e-2);
        for (int m = NMRC_LINDBLAD_TAYLOR; m <= NMRC_LINDBLAD_CHEBYSHEV; m++) {
            o.method = (nmrc_lindblad_method)m;
            assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, 6, &o, NULL, &pt), NMRC_OK);
            assert_int_equal(pt->blk, d / 2);
            wt = nmrc_lindblad_ws_create(pt);
            assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, ot, NULL), NMRC_OK);
            assert_int_equal(wt->blk, init == 0 ? d / 2 : d);
            double worst = max_output_diff(oe, ot, nt);
            if (!(worst <= 1e-9))
                fail_msg("blocks, init %d, method %d: max |rho - exact| = %g", init, m, worst);
            /* the generator on a random (not block-diagonal) state */
            random_state(tmp, f);
            assert_int_equal(nmrc_lindblad_rhs(pt, wt, tmp, f), NMRC_OK);
            nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -I, H, tmp, 0.0, ref);
            nmrc_gemm(NMRC_OP_N, NMRC_OP_N, I, tmp, H, 1.0, ref);
            for (size_t k = 0; k < 6; k++) {
                nmrc_sim_spin_op(L, n, ops[k].spin, lk[k]);
                nmrc_cmat_scale(L, sqrt(ops[k].rate));
                nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, L, tmp, 0.0, LL);
                nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, LL, L, 1.0, ref);
                nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, L, L, 0.0, LL);
                nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -0.5, LL, tmp, 1.0, ref);
                nmrc_gemm(NMRC_OP_N, NMRC_OP_N, -0.5, tmp, LL, 1.0, ref);
            }
            assert_true(nmrc_cmat_max_diff(f, ref) <= 1e-13);
            /* and the integration goes on after it */
            assert_int_equal(nmrc_lindblad_init(pt, wt, rho0, 0, NULL), NMRC_OK);
            assert_int_equal(nmrc_lindblad_advance(pt, wt, t[nt - 1], &ot[0], NULL), NMRC_OK);
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
        nmrc_sim_add_pauli1(H, n, i, 'z', 0.4 + 0.3 * (double)i);
        if (i + 1 < n)
            nmrc_sim_add_pauli2(H, n, i, 'z', i + 1, 'z', 0.5);
        ops[i] = (nmrc_collapse){NMRC_LOP_X, i, 0.2 + 0.1 * (double)i, NULL};
    }
    for (size_t k = 0; k < nt; k++)
        t[k] = 0.5 * (double)k;
    assert_int_equal(nmrc_sim_gibbs(H, 0.5, rho0, NULL), NMRC_OK);
    nmrc_lindblad_opts_default(&o);
    o.method = NMRC_LINDBLAD_EXACT;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, NULL, &pe), NMRC_OK);
    we = nmrc_lindblad_ws_create(pe);
    assert_int_equal(nmrc_lindblad_execute(pe, we, rho0, t, nt, oe, NULL), NMRC_OK);
    o.method = NMRC_LINDBLAD_TAYLOR;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, NULL, &pt), NMRC_OK);
    assert_int_equal(pt->blk, 1);
    wt = nmrc_lindblad_ws_create(pt);
    assert_int_equal(nmrc_lindblad_execute(pt, wt, rho0, t, nt, ot, NULL), NMRC_OK);
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
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho0, t, nt, out, NULL), NMRC_OK);
    for (size_t k = 0; k < nt; k++) {
        double pur = creal(nmrc_cmat_trace_prod(&out[k], &out[k]));
        /* |Tr err| <= sqrt(d) ||err||_F <= sqrt(d) rtol ||rho0||_F */
        assert_close(nmrc_cmat_trace(&out[k]), 1.0, 0, sqrt((double)d) * o.rtol);
        assert_true(nmrc_cmat_herm_dev(&out[k]) < 1e-13);
        nmrc_cmat_copy(tmp, &out[k]);
        nmrc_eigvalsh(tmp, w, ews);
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
    assert_int_equal(nmrc_lindblad_execute(p, ws, rho, t, 2, rho, ctx), NMRC_EINVAL);
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
    nmrc_sim_hamiltonian(&m, H, NULL);
    assert_int_equal(nmrc_lindblad_plan_create(H, 2, ops, 2, NULL, NULL, &p2), NMRC_OK);
    assert_int_equal(nmrc_sim_gibbs(H, 0.7, rho0, NULL), NMRC_OK);
    w1 = nmrc_lindblad_ws_create(p1);
    w2 = nmrc_lindblad_ws_create(p2);
    nmrc_lindblad_init(p1, w1, rho0, 0, NULL);
    nmrc_lindblad_init(p2, w2, rho0, 0, NULL);
    assert_int_equal(nmrc_lindblad_advance(p1, w1, 2.5, a, NULL), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p2, w2, 2.5, b, NULL), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(a, b) == 0);
    nmrc_lindblad_ws_destroy(w1);
    nmrc_lindblad_ws_destroy(w2);
    nmrc_lindblad_plan_destroy(p1);
    nmrc_lindblad_plan_destroy(p2);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(a);
    nmrc_cmat_destroy(b);
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
        nmrc_sim_add_pauli1(H, n, i, 'z', 0.3 * (double)(i + 1));
        if (i + 1 < n)
            nmrc_sim_add_pauli2(H, n, i, 'x', i + 1, 'x', 1.0);
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
    assert_int_equal(nmrc_lindblad_advance(p, ws, 1.0, rho, ctx), NMRC_ENUMERIC);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "trace"));
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(p);

    o.method = NMRC_LINDBLAD_CHEBYSHEV;
    assert_int_equal(nmrc_lindblad_plan_create(H, n, ops, n, &o, ctx, &p), NMRC_OK);
    p->cheb_w *= 0.25;
    ws = nmrc_lindblad_ws_create(p);
    random_state(rho0, rho);
    assert_int_equal(nmrc_lindblad_init(p, ws, rho0, 0, ctx), NMRC_OK);
    assert_int_equal(nmrc_lindblad_advance(p, ws, 5.0, rho, ctx), NMRC_ENUMERIC);
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
            nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, V, 0.0, rho);
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
    nmrc_cmat_copy(&rho0, tmp);
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
        assert_int_equal(nmrc_lindblad_execute(p, ws, tmp, t, nt, packed, NULL), NMRC_OK);
        assert_int_equal(nmrc_lindblad_execute(p, ws, &rho0, t, nt, views, NULL), NMRC_OK);
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
        cmocka_unit_test(test_dephasing_exact),    cmocka_unit_test(test_dephasing_taylor),
        cmocka_unit_test(test_dephasing_chebyshev),
        cmocka_unit_test(test_damping),            cmocka_unit_test(test_taylor_vs_exact_n2),
        cmocka_unit_test(test_taylor_vs_exact_n3), cmocka_unit_test(test_taylor_vs_exact_n4),
        cmocka_unit_test(test_blocks_vs_exact),    cmocka_unit_test(test_blocks_of_one),
        cmocka_unit_test(test_invariants_n5),
        cmocka_unit_test(test_errors),             cmocka_unit_test(test_from_model),
        cmocka_unit_test(test_checks_fire),        cmocka_unit_test(test_strided_views),
        cmocka_unit_test(test_positivity_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
