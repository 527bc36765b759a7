/*
** test_gradient.c: pulsed field gradients by sample slices.  Attenuation of
** SQ, ZQ and DQ coherences of a 1H-13C pair against sinc(x), x = (sum p_i
** gamma_i) G delta L / 2; z magnetization untouched; refocusing by a pi
** pulse (the slice picture is not Markovian); the (pi/2)_y-G-(pi/2)_-y
** sandwich against the Pauli-X channel; the Gauss-Legendre slice rule.
*/
#include "nmr_test_util.h"

#include <stdlib.h>

static const double GH = 267.52218744e6, GC = 67.2828400e6, LEN = 0.02;

static double sinc(double x)
{
    return fabs(x) < 1e-8 ? 1 - x * x / 6 : sin(x) / x;
}

/* The default options with sample length LEN. */
static nmrc_nmr_options len_options(void)
{
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.sample_length = LEN;
    return opt;
}

/* Runs seq on sys from r0 into r with sample length LEN. */
static void run(const nmrc_nmr_system *sys, const nmrc_seq *seq, const nmrc_cmat *r0,
                nmrc_cmat *r)
{
    nmrc_nmr_options opt = len_options();
    tu_run(sys, seq, &opt, r0, r);
}

static nmrc_event grad(int ch, double g, double dur)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    ev.channel = ch;
    ev.amplitude = g;
    ev.duration = dur;
    return ev;
}

/* A new sequence with a 1H channel (index in *h) and a z gradient (*gz). */
static nmrc_seq *grad_seq(const char *name, int *h, int *gz)
{
    nmrc_seq *seq = nmrc_seq_create(name);
    assert_int_equal(nmrc_seq_rf_channel(seq, "1H", 0, h), NMRC_OK);
    assert_int_equal(nmrc_seq_grad_channel(seq, 'z', gz), NMRC_OK);
    return seq;
}

/* Pair state: I/4 + 0.1 (|k><l| + |l><k|) + populations. */
static void coherence_state(nmrc_cmat *r, size_t k, size_t l)
{
    nmrc_cmat_zero(r);
    for (size_t i = 0; i < 4; i++)
        NMRC_CMAT_AT(r, i, i) = 0.25 + 0.02 * (double)i - 0.03;
    NMRC_CMAT_AT(r, k, l) = 0.1;
    NMRC_CMAT_AT(r, l, k) = 0.1;
}

static void test_sinc_sq_zq_dq(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 130;
    sys.spins[1].offset_hz = -70;
    /* element (k, l) and its sum p_i gamma_i */
    const size_t ks[4] = {0, 0, 1, 0}, ls[4] = {2, 1, 2, 3};
    const double pg[4] = {GH, GC, GH - GC, GH + GC};   /* SQ(H), SQ(C), ZQ, DQ */
    const double gs[4] = {2e-4, 1e-3, 6e-3, 0.05}, delta = 1e-3;
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4), *r = nmrc_cmat_create(4, 4);
    nmrc_cmat *ref = nmrc_cmat_create(4, 4);
    for (int gi = 0; gi < 4; gi++) {
        nmrc_seq *seq = nmrc_seq_create("g"), *free_ = nmrc_seq_create("d");
        int gz;
        assert_int_equal(nmrc_seq_grad_channel(seq, 'z', &gz), NMRC_OK);
        tu_append(seq, grad(gz, gs[gi], delta));
        tu_append(free_, tu_delay(delta));
        for (int c = 0; c < 4; c++) {
            coherence_state(r0, ks[c], ls[c]);
            run(&sys, seq, r0, r);
            run(&sys, free_, r0, ref);
            double x = pg[c] * gs[gi] * delta * LEN / 2;
            nmrc_cplx want = NMRC_CMAT_AT(ref, ks[c], ls[c]) * sinc(x);
            assert_close(NMRC_CMAT_AT(r, ks[c], ls[c]), want, 0, 1e-7); /* 1e-6 of 0.1 */
            for (size_t i = 0; i < 4; i++)   /* z magnetization untouched */
                assert_close(NMRC_CMAT_AT(r, i, i), NMRC_CMAT_AT(r0, i, i), 0, 1e-15);
        }
        nmrc_seq_destroy(seq);
        nmrc_seq_destroy(free_);
    }
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(ref);
}

/* G - (pi)_x on 1H - G: the 1H SQ coherence refocuses completely (a
** phenomenological decay would give sinc^2), and DQ becomes ZQ with a net
** phase 2 gamma_C A z: attenuation sinc(2 gamma_C G delta L / 2). */
static void test_refocus(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 0);
    double g = 0.01, delta = 1e-3;
    int gz, h;
    nmrc_seq *seq = grad_seq("echo", &h, &gz);
    tu_append(seq, grad(gz, g, delta));
    tu_append(seq, tu_pulse(h, NMRC_PI, 0, 0));
    tu_append(seq, grad(gz, g, delta));
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4), *r = nmrc_cmat_create(4, 4);
    coherence_state(r0, 0, 2);                 /* |00><10|: 1H SQ, 13C up */
    run(&sys, seq, r0, r);
    /* pi_x maps |0><1| on H to |1><0| (times phases): element (2, 0) */
    assert_close(cabs(NMRC_CMAT_AT(r, 2, 0)), 0.1, 0, 1e-12);
    coherence_state(r0, 0, 3);                 /* DQ */
    run(&sys, seq, r0, r);
    double x = 2 * GC * g * delta * LEN / 2;
    assert_close(cabs(NMRC_CMAT_AT(r, 2, 1)), 0.1 * fabs(sinc(x)), 0, 1e-8);
    assert_true(fabs(sinc(x)) < 0.9);           /* the test can tell */
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(r);
    nmrc_seq_destroy(seq);
}

/* (pi/2)_y - G - (pi/2)_-y on one spin is the Pauli-X channel
** (1 - p) rho + p X rho X, p = (1 - sinc x)/2. */
static void test_x_dephasing(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 0);
    double g = 2e-3, delta = 5e-4;
    int gz, h;
    nmrc_seq *seq = grad_seq("xdeph", &h, &gz);
    tu_append(seq, tu_pulse(h, NMRC_PI / 2, NMRC_PI / 2, 0));
    tu_append(seq, grad(gz, g, delta));
    tu_append(seq, tu_pulse(h, NMRC_PI / 2, 3 * NMRC_PI / 2, 0));
    nmrc_nmr_options opt = len_options();
    const double bl[3][3] = {{0.3, -0.5, 0.6}, {0, 0, 1}, {0.9, 0.1, -0.2}};
    double x = GH * g * delta * LEN / 2, p = (1 - sinc(x)) / 2;
    assert_true(p > 0.2);
    for (int c = 0; c < 3; c++) {
        double b[3];
        tu_run_bloch(&sys, seq, &opt, bl[c], b);
        /* X channel: x kept, y and z scaled by 1 - 2p = sinc x */
        assert_close(b[0], bl[c][0], 0, 1e-8);
        assert_close(b[1], bl[c][1] * (1 - 2 * p), 0, 1e-8);
        assert_close(b[2], bl[c][2] * (1 - 2 * p), 0, 1e-8);
    }
    nmrc_seq_destroy(seq);
}

/* One plan, many threads: the slices run in parallel with one workspace
** per thread (nmrc_nmr_execute_member) and their weighted sum equals
** nmrc_nmr_execute. */
static void test_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    int gz, h;
    nmrc_seq *seq = grad_seq("par", &h, &gz);
    tu_append(seq, tu_pulse(h, NMRC_PI / 2, 0, 1e-5));
    tu_append(seq, grad(gz, 3e-3, 1e-3));
    tu_append(seq, tu_pulse(h, NMRC_PI / 3, 1, 1e-5));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = 1;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan;
    assert_int_equal(nmrc_nmr_plan_create(&sys, seq, &opt, ctx, &plan), NMRC_OK);
    size_t ns;
    nmrc_nmr_plan_counts(plan, NULL, &ns, NULL);
    assert_true(ns > 8);
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4), *ref = nmrc_cmat_create(4, 4);
    nmrc_cmat *sum = nmrc_cmat_create(4, 4);
    NMRC_CMAT_AT(r0, 0, 0) = 1;
    nmrc_nmr_ws *w0 = nmrc_nmr_ws_create(plan);
    assert_int_equal(nmrc_nmr_execute(plan, w0, r0, ref), NMRC_OK);
    double *z = malloc(ns * sizeof *z), *wt = malloc(ns * sizeof *wt);
    assert_int_equal(nmrc_nmr_slices(ns, 0.02, z, wt), NMRC_OK);
    nmrc_cplx *parts = calloc(ns * 16, sizeof *parts);
    int bad = 0;
#pragma omp parallel reduction(| : bad)
    {
        nmrc_nmr_ws *w = nmrc_nmr_ws_create(plan);
        nmrc_cmat *r = nmrc_cmat_create(4, 4);
#pragma omp for
        for (size_t s = 0; s < ns; s++) {
            bad |= nmrc_nmr_execute_member(plan, w, 0, s, 0, 0, r0, r) != NMRC_OK;
            for (size_t k = 0; k < 16; k++)
                parts[16 * s + k] = wt[s] * r->data[k];
        }
        nmrc_cmat_destroy(r);
        nmrc_nmr_ws_destroy(w);
    }
    assert_false(bad);
    for (size_t s = 0; s < ns; s++)
        for (size_t k = 0; k < 16; k++)
            sum->data[k] += parts[16 * s + k];
    assert_true(nmrc_cmat_max_diff(sum, ref) < 1e-14);
    assert_int_equal(nmrc_nmr_execute_member(plan, w0, 0, ns, 0, 0, r0, sum), NMRC_EINVAL);
    free(z);
    free(wt);
    free(parts);
    nmrc_nmr_ws_destroy(w0);
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(ref);
    nmrc_cmat_destroy(sum);
    nmrc_nmr_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    nmrc_seq_destroy(seq);
}

/* The slice rule averages exp(i 2 x z / L) to sinc(x) within 1e-10 with the
** number of slices the planner picks; weights sum to one. */
static void test_slice_rule(void **state)
{
    (void)state;
    const double xs[] = {0.01, 0.7, 3, 17, 80, 400, 1500};
    for (size_t c = 0; c < sizeof xs / sizeof xs[0]; c++) {
        size_t n = nmrc_nmr_slices_needed(xs[c]);
        double *z = malloc(n * sizeof *z), *w = malloc(n * sizeof *w);
        assert_int_equal(nmrc_nmr_slices(n, LEN, z, w), NMRC_OK);
        double s = 0, sw = 0;
        for (size_t k = 0; k < n; k++) {
            s += w[k] * cos(2 * xs[c] * z[k] / LEN);
            sw += w[k];
        }
        assert_close(sw, 1, 0, 1e-13);
        assert_close(s, sinc(xs[c]), 0, 1e-10);
        free(z);
        free(w);
    }
    assert_int_equal(nmrc_nmr_slices(0, LEN, NULL, NULL), NMRC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sinc_sq_zq_dq),
        cmocka_unit_test(test_refocus),
        cmocka_unit_test(test_x_dephasing),
        cmocka_unit_test(test_slice_rule),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
