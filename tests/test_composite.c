/*
** test_composite.c: composite pulses, decoupling blocks and the charging
** pulse (compiler/composite.c): the published angles, exactness without
** errors, the error exponents fitted from independent 2x2 propagators
** (amplitude error: plain eps^2, BB1 eps^6, SCROFULOUS eps^4; offset: plain
** f^2, CORPSE at least f^4), UDD timings, and decoupled sequences that keep kappa ZZ.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "compile_test_util.h"
#include "nmrc/compile.h"
#include "nmrc/consts.h"

#define DEG (NMRC_PI / 180.0)

static void test_angles(void **state)
{
    (void)state;
    double a[4], p[4];
    assert_int_equal(nmrc_composite_expand(NMRC_COMPOSITE_BB1, NMRC_PI, 0, a, p), 4);
    assert_close(p[1] / DEG, 104.4775, 1e-5, 0);
    assert_close(p[2], 3 * p[1], 1e-15, 0);
    assert_close(a[2], 2 * NMRC_PI, 1e-15, 0);
    nmrc_composite_expand(NMRC_COMPOSITE_BB1, NMRC_PI / 2, 0, a, p);
    assert_close(p[1] / DEG, 97.1808, 1e-5, 0);
    assert_int_equal(nmrc_composite_expand(NMRC_COMPOSITE_CORPSE, NMRC_PI, 0, a, p), 3);
    const double corpse[3][2] = {{420, 0}, {300, 180}, {60, 0}};
    for (int k = 0; k < 3; k++) {
        assert_close(a[k] / DEG, corpse[k][0], 1e-12, 0);
        assert_close(p[k] / DEG, corpse[k][1], 1e-12, 1e-12);
    }
    const double scr[2][3][2] = {{{180, 60}, {180, 300}, {180, 60}},
                                 {{115.18, 61.95}, {180, 280.57}, {115.18, 61.95}}};
    for (int t = 0; t < 2; t++) {
        assert_int_equal(nmrc_composite_expand(NMRC_COMPOSITE_SCROFULOUS, t ? NMRC_PI / 2 : NMRC_PI, 0,
                                               a, p), 3);
        for (int k = 0; k < 3; k++) {
            assert_close(a[k] / DEG, scr[t][k][0], 0, 0.006);
            assert_close(fmod(p[k] / DEG + 360, 360), scr[t][k][1], 0, 0.006);
        }
    }
}

/* 2x2 row-major helpers, independent of the library's propagators. */
static void mul2(const nmrc_cplx A[4], const nmrc_cplx B[4], nmrc_cplx C[4])
{
    nmrc_cplx t[4] = {A[0] * B[0] + A[1] * B[2], A[0] * B[1] + A[1] * B[3],
                      A[2] * B[0] + A[3] * B[2], A[2] * B[1] + A[3] * B[3]};
    memcpy(C, t, sizeof t);
}

/* exp(-i t (hx X + hy Y + hz Z)). */
static void expi2(double hx, double hy, double hz, double t, nmrc_cplx U[4])
{
    double h = sqrt(hx * hx + hy * hy + hz * hz), c = cos(h * t), s = h > 0 ? sin(h * t) / h : t;
    U[0] = c - I * s * hz;
    U[1] = -I * s * (hx - I * hy);
    U[2] = -I * s * (hx + I * hy);
    U[3] = c + I * s * hz;
}

/* Propagator of a pulse list with relative amplitude error eps and relative
** offset f (offset / nutation frequency). */
static void run(const double *a, const double *p, int n, double eps, double f, nmrc_cplx U[4])
{
    nmrc_cplx G[4];
    U[0] = U[3] = 1, U[1] = U[2] = 0;
    for (int k = 0; k < n; k++) { /* nutation 1 rad per unit time: duration a[k] */
        expi2(0.5 * (1 + eps) * cos(p[k]), 0.5 * (1 + eps) * sin(p[k]), 0.5 * f, a[k], G);
        mul2(G, U, U);
    }
}

static double infid2(const nmrc_cplx V[4], const nmrc_cplx U[4])
{
    nmrc_cplx tr = conj(V[0]) * U[0] + conj(V[1]) * U[1] + conj(V[2]) * U[2] + conj(V[3]) * U[3];
    return 1.0 - creal(tr * conj(tr)) / 4.0;
}

/* Fitted exponent of the infidelity in the amplitude (which=0) or offset error. */
static double exponent(nmrc_composite_kind kind, double theta, int which)
{
    double a[4], p[4], x[5] = {0.01, 0.02, 0.04, 0.08, 0.16}, y[5];
    if (which) /* offsets: smaller range, the f^4 term dominates there */
        for (int i = 0; i < 5; i++)
            x[i] /= 2.5;
    int n = nmrc_composite_expand(kind, theta, 0.3, a, p);
    nmrc_cplx V[4], U[4];
    double ph = 0.3;
    run(&theta, &ph, 1, 0, 0, V);
    run(a, p, n, 0, 0, U);
    assert_true(infid2(V, U) < 1e-14); /* exact without errors */
    for (int i = 0; i < 5; i++) {
        run(a, p, n, which ? 0 : x[i], which ? x[i] : 0, U);
        y[i] = infid2(V, U);
    }
    return fit_exponent(x, y, 5);
}

static void test_error_exponents(void **state)
{
    (void)state;
    for (int t = 0; t < 2; t++) {
        double th = t ? NMRC_PI / 2 : NMRC_PI;
        assert_close(exponent(NMRC_COMPOSITE_NONE, th, 0), 2.0, 0, 0.3);
        assert_close(exponent(NMRC_COMPOSITE_BB1, th, 0), 6.0, 0, 0.3);
        assert_close(exponent(NMRC_COMPOSITE_SCROFULOUS, th, 0), 4.0, 0, 0.3);
        assert_close(exponent(NMRC_COMPOSITE_CORPSE, th, 0), 2.0, 0, 0.3);
        assert_close(exponent(NMRC_COMPOSITE_NONE, th, 1), 2.0, 0, 0.3);
        /* CORPSE removes the first-order offset error: the infidelity falls at
        ** least as f^4 (for pi/2 the f^4 coefficient is small and f^6 shows) */
        double ec = exponent(NMRC_COMPOSITE_CORPSE, th, 1);
        assert_true(ec > 3.7 && ec < 6.3);
    }
}

static void test_udd_times(void **state)
{
    (void)state;
    double t[64], ph[64];
    for (int n = 1; n <= 12; n++) {
        assert_int_equal(nmrc_decouple_times(NMRC_DECOUPLE_UDD, n, 2.0, t, ph), n);
        for (int j = 1; j <= n; j++) {
            double s = sin(NMRC_PI * j / (2 * n + 2));
            assert_close(t[j - 1], 2.0 * s * s, 1e-15, 0);
            assert_close(t[j - 1] + t[n - j], 2.0, 1e-14, 0); /* symmetric */
            if (j > 1)
                assert_true(t[j - 1] > t[j - 2]);
        }
    }
    assert_close(t[0], 2.0 * pow(sin(NMRC_PI / 26), 2), 1e-15, 0);
    assert_int_equal(nmrc_decouple_times(NMRC_DECOUPLE_UDD, 1, 1.0, t, ph), 1);
    assert_close(t[0], 0.5, 1e-15, 0);
    assert_int_equal(nmrc_decouple_times(NMRC_DECOUPLE_CPMG, 0, 1.0, t, ph), 2);
    assert_close(t[0], 0.25, 1e-15, 0);
    assert_close(t[1], 0.75, 1e-15, 0);
    nmrc_decouple_kind k;
    int n;
    assert_int_equal(nmrc_decouple_parse("udd4", &k, &n, NULL), NMRC_OK);
    assert_int_equal(k, NMRC_DECOUPLE_UDD);
    assert_int_equal(n, 4);
    assert_int_equal(nmrc_decouple_parse("udd3", &k, &n, NULL), NMRC_EINVAL);
    assert_int_equal(nmrc_decouple_parse("xy9", &k, &n, NULL), NMRC_EINVAL);
}

/* The 1H-13C pair of pair_ch with offsets 40 and -25 (nmrc_pair units). */
static nmrc_pair pair_ch_off(void)
{
    nmrc_pair p = pair_ch(KAPPA);
    p.offset[0] = 40, p.offset[1] = -25;
    return p;
}

static nmrc_seq *dm_seq(const nmrc_pair *p)
{
    nmrc_target2 tg = dm_target(5e-3);
    return compile_default(p, &tg);
}

/* The bare DM palindrome (offsets not refocused by the construction). */
static nmrc_seq *dm_bare(const nmrc_pair *p)
{
    nmrc_target2 tg = dm_target(5e-3);
    return compile_bare(p, &tg);
}

/* Decoupling keeps kappa ZZ (simultaneous pi pulses), refocuses offsets
** (of the bare palindrome, which does not refocus them itself). */
static void test_decoupled_sequences(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch_off();
    nmrc_seq *seq = dm_bare(&p);
    nmrc_analysis *a0 = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &a0), NMRC_OK);
    const nmrc_decouple_kind kinds[5] = {NMRC_DECOUPLE_CPMG, NMRC_DECOUPLE_XY8, NMRC_DECOUPLE_UDD,
                                         NMRC_DECOUPLE_XY4, NMRC_DECOUPLE_XY16};
    for (int k = 0; k < 5; k++) {
        nmrc_seq *dd = NULL;
        nmrc_analysis *an = NULL;
        assert_int_equal(nmrc_compile_decouple(seq, kinds[k], 4, NULL, &dd), NMRC_OK);
        assert_int_equal(nmrc_analyze(dd, &p, NULL, &an), NMRC_OK);
        assert_true(an->whole.closed[0] && an->whole.closed[1]);
        assert_close(an->whole.duration, a0->whole.duration, 1e-12, 0);
        for (int i = 0; i < 9; i++)
            assert_close(an->whole.T[i], a0->whole.T[i], 0, 1e-9 * KAPPA);
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < 3; i++)
                assert_close(an->whole.offset_cond[s][i], 0, 0, 1e-12);
        assert_true(an->fidelity_delta > a0->fidelity_delta); /* offsets refocused */
        nmrc_analysis_destroy(an);
        nmrc_seq_destroy(dd);
    }
    assert_true(a0->fidelity_delta < 0.999);
    nmrc_analysis_destroy(a0);
    nmrc_seq_destroy(seq);
}

/* Composite expansion of a compiled sequence keeps its propagator. */
static void test_composite_sequence(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch_off();
    p.offset[0] = p.offset[1] = 0;
    nmrc_seq *seq = dm_seq(&p);
    for (int kind = 1; kind <= 3; kind++) {
        nmrc_seq *c = NULL;
        nmrc_analysis *an = NULL;
        assert_int_equal(nmrc_compile_composite(seq, (nmrc_composite_kind)kind, NULL, &c), NMRC_OK);
        /* every pulse event becomes 4 (BB1) or 3 (CORPSE, SCROFULOUS) */
        assert_int_equal(c->n_events, seq->n_events + pulse_events(seq) * (kind == 1 ? 3 : 2));
        assert_int_equal(nmrc_analyze(c, &p, NULL, &an), NMRC_OK);
        assert_close(an->fidelity_delta, 1.0, 0, 1e-12);
        nmrc_analysis_destroy(an);
        nmrc_seq_destroy(c);
    }
    nmrc_seq_destroy(seq);
}

/* Composite trains with real pulse lengths: each BB1 train (90+180+360+180
** degrees, 135 us on 13C) is centred on its ideal time, so only the outer
** half-trains lengthen the sequence; the finite fidelity stays high. */
static void test_composite_finite(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch_off();
    p.offset[0] = p.offset[1] = 0;
    p.p90[0] = 10e-6, p.p90[1] = 15e-6;
    nmrc_seq *seq = dm_seq(&p), *c = NULL, *f = NULL;
    assert_int_equal(nmrc_compile_composite(seq, NMRC_COMPOSITE_BB1, NULL, &c), NMRC_OK);
    assert_int_equal(nmrc_compile_finite(c, NULL, &f), NMRC_OK);
    assert_close(seq_length(f), seq_length(seq) + 135e-6, 1e-12, 0);
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(f, &p, NULL, &an), NMRC_OK);
    assert_true(an->fidelity_finite > 0.99 && an->fidelity_finite < 1.0);
    assert_true(an->whole.closed[0] && an->whole.closed[1]);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(f);
    nmrc_seq_destroy(c);
    nmrc_seq_destroy(seq);
}

/* The charging pulse is exp(-i w (omega t) (X1 + X2)) on both channels. */
static void test_charging(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch_off();
    int chan[2];
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "charge", NULL, &seq, chan), NMRC_OK);
    double w = 1.3, wt = 0.4, a = 0.5;
    assert_int_equal(nmrc_compile_charging(seq, w, a, wt, NULL), NMRC_OK);
    assert_int_equal(seq->n_events, 1);
    assert_int_equal(seq->events[0].n_pulse, 2);
    nmrc_cplx U[16], V[16];
    nmrc_target2 tg;
    memset(&tg, 0, sizeof tg);
    tg.a[0] = tg.b[0] = w * cos(a);
    tg.a[1] = tg.b[1] = w * sin(a);
    tg.time = wt;
    assert_int_equal(nmrc_seq_propagator(seq, &p, 0, NULL, U), NMRC_OK);
    assert_int_equal(nmrc_target_propagator(&tg, NULL, V), NMRC_OK);
    assert_close(nmrc_gate_fidelity(V, U), 1.0, 0, 1e-13);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_angles),          cmocka_unit_test(test_error_exponents),
        cmocka_unit_test(test_udd_times),       cmocka_unit_test(test_decoupled_sequences),
        cmocka_unit_test(test_composite_sequence), cmocka_unit_test(test_charging),
        cmocka_unit_test(test_composite_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
