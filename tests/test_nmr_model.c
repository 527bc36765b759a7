/*
** test_nmr_model.c: the physical NMR model's Hamiltonian conventions
** (heteronuclear and homonuclear J and dipolar couplings), relaxation above
** the Liouville limit (Strang splitting) against the exact 2-spin run,
** random programs (plan fails with a message or runs trace preserving) and
** bad input.  Pulses and pulse programs are in test_nmr.c.
*/
#include "nmr_test_util.h"

#include <stdlib.h>

/* Coupling conventions: heteronuclear J is (pi J/2) ZZ; homonuclear J is
** (pi J/2) sigma.sigma (triplet pi J/2, singlet -3 pi J/2); homonuclear
** dipolar b gives triplet m=+-1: pi b, m=0: -2 pi b, singlet 0. */
static void test_hamiltonian(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 100);
    nmrc_cmat *H = nmrc_cmat_create(4, 4);
    assert_int_equal(nmrc_nmr_hamiltonian(&sys, H), NMRC_OK);
    assert_close(NMRC_CMAT_AT(H, 0, 0), NMRC_PI * 50, 1e-14, 0);
    assert_close(NMRC_CMAT_AT(H, 1, 1), -NMRC_PI * 50, 1e-14, 0);
    assert_close(NMRC_CMAT_AT(H, 1, 2), 0, 0, 0);
    strcpy(sys.spins[1].isotope, "1H");
    assert_int_equal(nmrc_nmr_hamiltonian(&sys, H), NMRC_OK);
    double s = 1 / sqrt(2.0);
    /* <T0|H|T0> and <S|H|S> with T0 = (|01>+|10>)/sqrt2, S = (|01>-|10>)/sqrt2 */
    nmrc_cplx t0 = s * s * (NMRC_CMAT_AT(H, 1, 1) + NMRC_CMAT_AT(H, 2, 2) +
                            NMRC_CMAT_AT(H, 1, 2) + NMRC_CMAT_AT(H, 2, 1));
    nmrc_cplx sg = s * s * (NMRC_CMAT_AT(H, 1, 1) + NMRC_CMAT_AT(H, 2, 2) -
                            NMRC_CMAT_AT(H, 1, 2) - NMRC_CMAT_AT(H, 2, 1));
    assert_close(t0, NMRC_PI * 50, 1e-14, 0);
    assert_close(NMRC_CMAT_AT(H, 0, 0), NMRC_PI * 50, 1e-14, 0);
    assert_close(sg, -3 * NMRC_PI * 50, 1e-14, 0);
    sys.couplings[0].j_hz = 0;
    sys.couplings[0].dipolar_hz = 300;
    assert_int_equal(nmrc_nmr_hamiltonian(&sys, H), NMRC_OK);
    t0 = s * s * (NMRC_CMAT_AT(H, 1, 1) + NMRC_CMAT_AT(H, 2, 2) + 2 * NMRC_CMAT_AT(H, 1, 2));
    sg = s * s * (NMRC_CMAT_AT(H, 1, 1) + NMRC_CMAT_AT(H, 2, 2) - 2 * NMRC_CMAT_AT(H, 1, 2));
    assert_close(NMRC_CMAT_AT(H, 0, 0), NMRC_PI * 300, 1e-14, 0);
    assert_close(t0, -2 * NMRC_PI * 300, 1e-14, 0);
    assert_close(sg, 0, 0, 1e-10);
    strcpy(sys.spins[1].isotope, "13C");         /* heteronuclear dipolar: pi b ZZ */
    assert_int_equal(nmrc_nmr_hamiltonian(&sys, H), NMRC_OK);
    assert_close(NMRC_CMAT_AT(H, 0, 0), NMRC_PI * 300, 1e-14, 0);
    assert_close(NMRC_CMAT_AT(H, 1, 2), 0, 0, 0);
    nmrc_cmat_destroy(H);
}

/* <sigma_a(i) sigma_b(j)> of an n-spin state. */
static double expect2(const nmrc_cmat *rho, size_t n, int i, int a, int j, int b)
{
    size_t d = (size_t)1 << n;
    nmrc_cmat *op = nmrc_cmat_create(d, d);
    double T[9] = {0};
    T[3 * a + b] = 1;
    nmrc_nmri_add_pair(op, n, i, j, T);
    double v = creal(nmrc_cmat_trace_prod(op, rho));
    nmrc_cmat_destroy(op);
    return v;
}

/* Relaxation above the Liouville limit (Strang splitting with exact
** single-spin maps): a coupled 1H-13C pair plus three spectator spins
** gives the pair the same expectation values as the exact 2-spin
** superoperator run. */
static void test_split_relaxation(void **state)
{
    (void)state;
    nmrc_nmr_system pair, big;
    tu_pair(&pair, 215);
    pair.spins[0].offset_hz = 700;
    pair.spins[1].offset_hz = -300;
    pair.spins[0].t1 = 0.05, pair.spins[0].t2 = 0.02, pair.spins[0].eq_pol = 0.2;
    pair.spins[1].t1 = 0.08, pair.spins[1].t2 = 0.01;
    big = pair;
    big.n_spins = 5;
    for (int i = 2; i < 5; i++) {
        memset(&big.spins[i], 0, sizeof big.spins[i]);
        strcpy(big.spins[i].isotope, "15N");     /* no channel drives them */
        big.spins[i].offset_hz = 100.0 * i;
        big.spins[i].t1 = 0.03;
        big.spins[i].t2 = 0.01;
    }
    int h, c;
    nmrc_seq *seq = tu_seq("split", &h, &c);
    nmrc_event ev = tu_pulse(h, NMRC_PI / 2, 0, 1e-5);
    tu_pulse_add(&ev, c, NMRC_PI / 3, NMRC_PI / 2);
    ev.pulse[1].amplitude = 2 / (6 * 1e-5);     /* 13C on for half the event */
    tu_append(seq, ev);
    tu_append(seq, tu_delay(3e-3));
    tu_append(seq, tu_pulse(c, NMRC_PI, 0, 2e-5));
    tu_append(seq, tu_delay(2e-3));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = 1;
    nmrc_cmat *p0 = nmrc_cmat_create(4, 4), *p = nmrc_cmat_create(4, 4);
    nmrc_cmat *b0 = nmrc_cmat_create(32, 32), *b = nmrc_cmat_create(32, 32);
    NMRC_CMAT_AT(p0, 0, 0) = 1;
    NMRC_CMAT_AT(b0, 0, 0) = 1;
    tu_run(&pair, seq, &opt, p0, p);
    tu_run(&big, seq, &opt, b0, b);
    for (int i = 0; i < 2; i++)
        for (int a = 0; a < 3; a++)
            assert_close(tu_expect(b, 5, i, a), tu_expect(p, 2, i, a), 0, 1e-6);
    for (int a = 0; a < 3; a++)
        for (int bb = 0; bb < 3; bb++)
            assert_close(expect2(b, 5, 0, a, 1, bb), expect2(p, 2, 0, a, 1, bb), 0, 1e-6);
    assert_true(fabs(tu_expect(p, 2, 0, 1)) > 0.1);       /* something to compare */
    assert_close(tu_expect(b, 5, 3, 2), exp(-5.03e-3 / 0.03), 0, 1e-9); /* spectator T1 */
    assert_close(creal(nmrc_cmat_trace(b)), 1, 0, 1e-12);
    nmrc_cmat_destroy(p0);
    nmrc_cmat_destroy(p);
    nmrc_cmat_destroy(b0);
    nmrc_cmat_destroy(b);
    nmrc_seq_destroy(seq);
}

/* Deterministic pseudo-random numbers for the robustness test. */
static unsigned long rnd_state = 12345;
static double rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
    return (double)(rnd_state >> 11) / 9007199254740992.0;
}

/* Random programs (bad indices, odd loops, NaN, shapes, gradients, phase
** lists): planning either fails with a message or succeeds, and then
** execution keeps the trace (every map is trace preserving). */
static void test_random_programs(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    double amp[3] = {50, 100, 50}, ph[3] = {0, 90, 180}, pl[2] = {0, NMRC_PI};
    int ok = 0;
    for (int trial = 0; trial < 300; trial++) {
        nmrc_seq *seq = nmrc_seq_create("rnd");
        int h, c, g, shp, lst;
        assert_int_equal(nmrc_seq_rf_channel(seq, "1H", rnd() < 0.5 ? 1e-5 : 0, &h), NMRC_OK);
        assert_int_equal(nmrc_seq_rf_channel(seq, "13C", 0, &c), NMRC_OK);
        assert_int_equal(nmrc_seq_grad_channel(seq, 'z', &g), NMRC_OK);
        assert_int_equal(nmrc_seq_add_shape(seq, "s", amp, ph, 3, &shp), NMRC_OK);
        assert_int_equal(nmrc_seq_add_phase_list(seq, "ph1", pl, 2, &lst), NMRC_OK);
        seq->scans = 1 + (size_t)(rnd() * 3);
        seq->receiver_list = rnd() < 0.5 ? lst : -1;
        int n = 1 + (int)(rnd() * 8);
        for (int k = 0; k < n; k++) {
            nmrc_event ev = nmrc_seq_event_init((nmrc_event_kind)(int)(rnd() * 9));
            ev.duration = rnd() < 0.05 ? -1 : rnd() < 0.5 ? 0 : 1e-5 * (1 + 10 * rnd());
            ev.channel = (int)(rnd() * 4) - 1;
            ev.shape = rnd() < 0.5 ? shp : (int)(rnd() * 3) - 1;
            ev.amplitude = rnd() < 0.3 ? 0 : 1e4 * rnd();
            ev.vz_phase = rnd() < 0.02 ? NAN : 6 * rnd();
            ev.count = (size_t)(rnd() * 3);
            ev.n_pulse = (int)(rnd() * 3);
            for (int q = 0; q < ev.n_pulse; q++) {
                ev.pulse[q].channel = (int)(rnd() * 4) - 1;
                ev.pulse[q].angle = 4 * rnd() - 1;
                ev.pulse[q].phase = 7 * rnd();
                ev.pulse[q].phase_list = rnd() < 0.3 ? lst : (int)(rnd() * 3) - 1;
                ev.pulse[q].amplitude = rnd() < 0.5 ? 0 : 1e5 * rnd();
            }
            assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
        }
        nmrc_nmr_options opt;
        nmrc_nmr_options_default(&opt);
        opt.pulses = (nmrc_nmr_pulse_mode)(int)(rnd() * 3);
        opt.relax = rnd() < 0.5;
        opt.rf90_default = rnd() < 0.5 ? 1e-5 : 0;
        nmrc_ctx *ctx = nmrc_ctx_create();
        nmrc_nmr_plan *plan = NULL;
        nmrc_status st = nmrc_nmr_plan_create(&sys, seq, &opt, ctx, &plan);
        if (st) {
            assert_null(plan);
            assert_true(strlen(nmrc_ctx_errmsg(ctx)) > 0);
        } else {
            nmrc_nmr_ws *w = nmrc_nmr_ws_create(plan);
            nmrc_cmat *r0 = nmrc_cmat_create(4, 4), *r = nmrc_cmat_create(4, 4);
            NMRC_CMAT_AT(r0, 0, 0) = 0.6;
            NMRC_CMAT_AT(r0, 3, 3) = 0.4;
            assert_int_equal(nmrc_nmr_execute(plan, w, r0, r), NMRC_OK);
            assert_close(nmrc_cmat_trace(r), 1, 0, 1e-10);
            assert_true(nmrc_cmat_herm_dev(r) < 1e-10);
            nmrc_cmat_destroy(r0);
            nmrc_cmat_destroy(r);
            nmrc_nmr_ws_destroy(w);
            ok++;
        }
        nmrc_nmr_plan_destroy(plan);
        nmrc_ctx_destroy(ctx);
        nmrc_seq_destroy(seq);
    }
    assert_true(ok > 20);                        /* both outcomes exercised */
    assert_true(ok < 300);
}

static void test_bad_input(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    int h;
    nmrc_seq *seq = tu_seq("bad", &h, NULL);
    tu_append(seq, tu_pulse(5, 1, 0, 0));        /* no such channel */
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    assert_int_equal(tu_plan_status(&sys, seq, &opt), NMRC_EINVAL);
    seq->events[0] = tu_delay(NAN);
    assert_int_equal(tu_plan_status(&sys, seq, &opt), NMRC_EINVAL);
    seq->events[0] = tu_pulse(h, 1, 0, 0);
    opt.pulses = NMRC_NMR_PULSES_FINITE;         /* no rf90 anywhere */
    assert_int_equal(tu_plan_status(&sys, seq, &opt), NMRC_EINVAL);
    opt.rf90_default = 1e-5;
    assert_int_equal(tu_plan_status(&sys, seq, &opt), NMRC_OK);
    sys.spins[0].t2 = 5;                         /* T2 > 2 T1 */
    assert_int_equal(tu_plan_status(&sys, seq, &opt), NMRC_EINVAL);
    nmrc_nmr_system big;
    memset(&big, 0, sizeof big);
    big.n_spins = 5;
    for (int i = 0; i < 5; i++) {
        strcpy(big.spins[i].isotope, "1H");
        big.spins[i].t1 = 1;
    }
    opt.relax = 1;                               /* split mode above 4 spins */
    assert_int_equal(tu_plan_status(&big, seq, &opt), NMRC_OK);
    big.n_spins = 11;
    assert_int_equal(tu_plan_status(&big, seq, &opt), NMRC_EINVAL);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hamiltonian),   cmocka_unit_test(test_split_relaxation),
        cmocka_unit_test(test_random_programs), cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
