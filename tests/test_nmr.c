/*
** test_nmr.c: the physical NMR model against closed forms: Rabi nutation of
** finite pulses with offsets, T1/T2 relaxation, simultaneous and short
** pulses, shaped pulses, virtual Z, loops, phase cycling with the receiver
** (CYCLOPS), experiment sets, RF miscalibration and a Gaussian B1
** distribution.  Couplings, split relaxation, random programs and bad input
** are in test_nmr_model.c.
*/
#include "nmr_test_util.h"

#include <stdlib.h>

/* Runs a with opt_a and b with opt_b on sys from r0 and asserts that the
** final states agree within tol; b's final state goes to rb unless NULL. */
static void assert_same_run(const nmrc_nmr_system *sys, const nmrc_seq *a,
                            const nmrc_nmr_options *opt_a, const nmrc_seq *b,
                            const nmrc_nmr_options *opt_b, const nmrc_cmat *r0, double tol,
                            nmrc_cmat *rb)
{
    nmrc_cmat *xa = nmrc_cmat_create(r0->n1, r0->n2), *xb = nmrc_cmat_create(r0->n1, r0->n2);
    tu_run(sys, a, opt_a, r0, xa);
    tu_run(sys, b, opt_b, r0, xb);
    tu_assert_mat_close(xa, xb, tol);
    if (rb)
        assert_int_equal(nmrc_cmat_copy(rb, xb), NMRC_OK);
    nmrc_cmat_destroy(xa);
    nmrc_cmat_destroy(xb);
}

static const double Z_UP[3] = {0, 0, 1};

/* Rabi nutation with offset: S(t) = n (n.z) + cos(wt)(z - n n_z) + sin(wt) n x z. */
static void test_rabi_offset(void **state)
{
    (void)state;
    const double nus[] = {1000, 25000, 5000}, offs[] = {0, 3000, -7000};
    const double ts[] = {2.5e-4, 1.3e-5, 1e-4};
    for (int relax = 0; relax < 2; relax++)
        for (int c = 0; c < 3; c++) {
            nmrc_nmr_system sys;
            tu_single(&sys, offs[c]);
            if (relax)
                sys.spins[0].t1 = sys.spins[0].t2 = 1e12; /* Liouville path, no decay */
            int ch;
            nmrc_seq *seq = tu_seq("rabi", &ch, NULL);
            tu_append(seq, tu_pulse(ch, 2 * NMRC_PI * nus[c] * ts[c], 0, ts[c]));
            nmrc_nmr_options opt;
            nmrc_nmr_options_default(&opt);
            opt.relax = relax;
            double b[3];
            tu_run_bloch(&sys, seq, &opt, Z_UP, b);
            double we = 2 * NMRC_PI * hypot(nus[c], offs[c]), nx = nus[c] / hypot(nus[c], offs[c]);
            double nz = offs[c] / hypot(nus[c], offs[c]), ct = cos(we * ts[c]);
            assert_close(b[0], nx * nz * (1 - ct), 0, 1e-10);
            assert_close(b[1], -nx * sin(we * ts[c]), 0, 1e-10);
            assert_close(b[2], nz * nz + (1 - nz * nz) * ct, 0, 1e-10);
            nmrc_seq_destroy(seq);
        }
}

/* T1/T2: after an ideal 90_x, free precession at the offset with
** transverse decay exp(-t/T2) and z -> p (1 - exp(-t/T1)). */
static void test_relaxation(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 50);
    sys.spins[0].t1 = 2;
    sys.spins[0].t2 = 0.5;
    sys.spins[0].eq_pol = 0.3;
    double t = 0.37;
    int ch;
    nmrc_seq *seq = tu_seq("fid", &ch, NULL);
    tu_append(seq, tu_pulse(ch, NMRC_PI / 2, 0, 0));
    tu_append(seq, tu_delay(t));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = 1;
    double b[3], tr = tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    double phi = 2 * NMRC_PI * 50 * t, e2 = exp(-t / 0.5);
    assert_close(b[0], sin(phi) * e2, 0, 1e-10);
    assert_close(b[1], -cos(phi) * e2, 0, 1e-10);
    assert_close(b[2], 0.3 * (1 - exp(-t / 2)), 0, 1e-10);
    assert_close(tr, 1, 0, 1e-12);
    opt.relax = 0;                               /* switched off: no decay */
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[1], -cos(phi), 0, 1e-10);
    nmrc_seq_destroy(seq);
}

/* Simultaneous finite pulses on 1H and 13C with offsets and J = 0 act as a
** product of the single-spin closed forms. */
static void test_simultaneous(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 0);
    sys.spins[0].offset_hz = 2000;
    sys.spins[1].offset_hz = -1500;
    double tp = 2e-5;
    int h, c;
    nmrc_seq *seq = tu_seq("sim", &h, &c);
    nmrc_event ev = tu_pulse(h, NMRC_PI / 2, 0, tp);
    tu_pulse_add(&ev, c, NMRC_PI, NMRC_PI / 2);
    tu_append(seq, ev);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4), *r = nmrc_cmat_create(4, 4);
    NMRC_CMAT_AT(r0, 0, 0) = 1;                  /* |00>: both up */
    tu_run(&sys, seq, &opt, r0, r);
    /* spin 0: nu = 1/(4 tp) about x; spin 1: nu = 1/(2 tp) about y */
    double nu0 = 1 / (4 * tp), nu1 = 1 / (2 * tp);
    double w0 = 2 * NMRC_PI * hypot(nu0, 2000), w1 = 2 * NMRC_PI * hypot(nu1, 1500);
    double nz0 = 2000 / hypot(nu0, 2000), nz1 = -1500 / hypot(nu1, 1500);
    assert_close(tu_expect(r, 2, 0, 2), nz0 * nz0 + (1 - nz0 * nz0) * cos(w0 * tp), 0, 1e-10);
    assert_close(tu_expect(r, 2, 1, 2), nz1 * nz1 + (1 - nz1 * nz1) * cos(w1 * tp), 0, 1e-10);
    /* spin 1 axis n = (0, n_perp, nz): n x z = (n_perp, 0, 0) */
    double np1 = sqrt(1 - nz1 * nz1);
    assert_close(tu_expect(r, 2, 1, 0), np1 * sin(w1 * tp), 0, 1e-10);
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(r);
    nmrc_seq_destroy(seq);
}

/* A pulse shorter than its event (amplitude given) starts with the event
** (TopSpin alignment): the same as pulse, delay. */
static void test_short_pulse(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 800;
    sys.spins[1].offset_hz = 300;
    double nu = 25000, tp = 1 / (4 * nu), dur = 3e-4;
    int h, c;
    nmrc_seq *a = tu_seq("a", &h, &c), *b = tu_seq("b", &h, &c);
    nmrc_event ev = tu_pulse(h, NMRC_PI / 2, NMRC_PI / 2, dur);
    ev.pulse[0].amplitude = nu;
    tu_append(a, ev);
    tu_append(b, tu_pulse(h, NMRC_PI / 2, NMRC_PI / 2, tp));
    tu_append(b, tu_delay(dur - tp));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4);
    NMRC_CMAT_AT(r0, 0, 0) = 0.7;
    NMRC_CMAT_AT(r0, 3, 3) = 0.3;
    NMRC_CMAT_AT(r0, 1, 2) = 0.1;
    NMRC_CMAT_AT(r0, 2, 1) = 0.1;
    assert_same_run(&sys, a, &opt, b, &opt, r0, 1e-12, NULL);
    /* DELTA mode: each ideal pulse at its real pulse's centre */
    nmrc_event e2 = tu_pulse(h, NMRC_PI / 2, 0, dur);
    e2.pulse[0].amplitude = nu;                 /* centre tp/2 */
    tu_pulse_add(&e2, c, NMRC_PI, NMRC_PI / 2);
    e2.pulse[1].amplitude = nu / 4;             /* on 8 tp: centre 4 tp */
    nmrc_seq *sa = tu_seq("sa", &h, &c), *sb = tu_seq("sb", &h, &c);
    tu_append(sa, e2);
    tu_append(sb, tu_delay(tp / 2));
    tu_append(sb, tu_pulse(h, NMRC_PI / 2, 0, 0));
    tu_append(sb, tu_delay(4 * tp - tp / 2));
    tu_append(sb, tu_pulse(c, NMRC_PI, NMRC_PI / 2, 0));
    tu_append(sb, tu_delay(dur - 4 * tp));
    nmrc_nmr_options delta = opt;
    delta.pulses = NMRC_NMR_PULSES_DELTA;
    opt.pulses = NMRC_NMR_PULSES_AS_WRITTEN;
    assert_same_run(&sys, sa, &delta, sb, &opt, r0, 1e-12, NULL);
    nmrc_seq_destroy(sa);
    nmrc_seq_destroy(sb);
    a->events[0].pulse[0].amplitude = nu / 2;   /* needs 2 tp ... */
    a->events[0].duration = tp;                 /* ... but the event lasts tp */
    assert_int_equal(tu_plan_status(&sys, a, &opt), NMRC_EINVAL);
    nmrc_cmat_destroy(r0);
    nmrc_seq_destroy(a);
    nmrc_seq_destroy(b);
}

/* A constant shape equals the rectangular pulse; a 90-degree shape phase
** equals a y pulse. */
static void test_shaped(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 1234);
    double amp[5] = {100, 100, 100, 100, 100}, ph[5] = {90, 90, 90, 90, 90}, dur = 2e-5;
    int ch, shp;
    nmrc_seq *a = tu_seq("a", &ch, NULL), *b = tu_seq("b", &ch, NULL);
    assert_int_equal(nmrc_seq_add_shape(a, "y", amp, ph, 5, &shp), NMRC_OK);
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_SHAPED);
    ev.channel = ch;
    ev.shape = shp;
    ev.duration = dur;
    ev.amplitude = 12500;
    tu_append(a, ev);
    tu_append(b, tu_pulse(ch, 2 * NMRC_PI * 12500 * dur, NMRC_PI / 2, dur));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(2, 2), *rb = nmrc_cmat_create(2, 2);
    tu_bloch(r0, 0.2, -0.3, 0.8);
    assert_same_run(&sys, a, &opt, b, &opt, r0, 1e-12, rb);
    assert_true(fabs(tu_expect(rb, 1, 0, 0) - 0.2) > 0.1); /* the pulse did something */
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(rb);
    nmrc_seq_destroy(a);
    nmrc_seq_destroy(b);
}

/* Virtual Z of a: exp(-i a Z/2) now == later pulse phases shifted by -a
** followed by the same frame rotation at the end. */
static void test_virtual_z(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 100;
    double vza = 0.7, phi = 0.3;
    int h, c;
    nmrc_seq *a = tu_seq("a", &h, &c), *b = tu_seq("b", &h, &c);
    nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
    vz.channel = h;
    vz.vz_phase = vza;
    tu_append(a, tu_pulse(h, NMRC_PI / 2, 0, 1e-5));
    tu_append(a, vz);
    tu_append(a, tu_delay(1e-3));
    tu_append(a, tu_pulse(h, 1.1, phi, 1e-5));
    tu_append(b, tu_pulse(h, NMRC_PI / 2, 0, 1e-5));
    tu_append(b, tu_delay(1e-3));
    tu_append(b, tu_pulse(h, 1.1, phi - vza, 1e-5));
    tu_append(b, vz);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4);
    NMRC_CMAT_AT(r0, 0, 0) = 1;
    assert_same_run(&sys, a, &opt, b, &opt, r0, 1e-12, NULL);
    /* one spin: VZ(a) on a +x Bloch vector turns it by +a about z */
    nmrc_nmr_system one;
    tu_single(&one, 0);
    nmrc_seq *s = tu_seq("vz", &h, NULL);
    tu_append(s, vz);
    double q[3];
    tu_run_bloch(&one, s, &opt, (const double[3]){1, 0, 0}, q);
    assert_close(q[0], cos(vza), 0, 1e-14);
    assert_close(q[1], sin(vza), 0, 1e-14);
    nmrc_seq_destroy(s);
    nmrc_cmat_destroy(r0);
    nmrc_seq_destroy(a);
    nmrc_seq_destroy(b);
}

/* Nested loops (folded into powered propagators, with a virtual Z inside)
** equal the unrolled program, unitary and Liouville; the cache stays small. */
static void test_loops(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    sys.spins[1].offset_hz = 40;
    int h, c;
    nmrc_seq *a = tu_seq("a", &h, &c), *b = tu_seq("b", &h, &c);
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN), le;
    le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
    vz.channel = c;
    vz.vz_phase = 0.37;
    lb.count = 3;
    tu_append(a, lb);
    tu_append(a, tu_delay(1e-4));
    lb.count = 2;
    tu_append(a, lb);
    tu_append(a, tu_pulse(c, 0.4, 0, 1e-5));
    tu_append(a, le);
    tu_append(a, tu_pulse(h, 0.9, 1, 0));
    tu_append(a, vz);
    tu_append(a, le);
    lb.count = 0;                                /* a zero-count loop runs nothing */
    tu_append(a, lb);
    tu_append(a, tu_pulse(h, 2.0, 0, 0));
    tu_append(a, le);
    for (int i = 0; i < 3; i++) {
        tu_append(b, tu_delay(1e-4));
        tu_append(b, tu_pulse(c, 0.4, 0, 1e-5));
        tu_append(b, tu_pulse(c, 0.4, 0, 1e-5));
        tu_append(b, tu_pulse(h, 0.9, 1, 0));
        tu_append(b, vz);
    }
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(4, 4);
    NMRC_CMAT_AT(r0, 0, 0) = 1;
    assert_same_run(&sys, a, &opt, b, &opt, r0, 1e-12, NULL);
    opt.relax = 1;                               /* folded superoperators too */
    assert_same_run(&sys, a, &opt, b, &opt, r0, 1e-12, NULL);
    opt.relax = 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan;
    assert_int_equal(nmrc_nmr_plan_create(&sys, b, &opt, ctx, &plan), NMRC_OK);
    assert_int_equal(nmrc_nmr_plan_propagators(plan), 3); /* delay, C pulse, H pulse */
    assert_close(nmrc_nmr_plan_duration(plan), 3 * (1e-4 + 2e-5), 1e-12, 0);
    nmrc_nmr_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    assert_int_equal(nmrc_seq_append(a, &le), NMRC_OK);                     /* unbalanced */
    assert_int_equal(tu_plan_status(&sys, a, &opt), NMRC_EINVAL);
    nmrc_cmat_destroy(r0);
    nmrc_seq_destroy(a);
    nmrc_seq_destroy(b);
}

/* CYCLOPS-style 4-step cycle, pulse and receiver x, y, -x, -y: the
** combined state keeps what the pulse made from z and removes the
** transverse part that was there before (it does not follow the pulse
** phase); with a fixed receiver that part survives. */
static void test_phase_cycle(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 0);
    double ph4[4] = {0, NMRC_PI / 2, NMRC_PI, 3 * NMRC_PI / 2}, zero4[4] = {0, 0, 0, 0};
    int ch, l1, l31;
    nmrc_seq *seq = tu_seq("cyclops", &ch, NULL);
    assert_int_equal(nmrc_seq_add_phase_list(seq, "ph1", ph4, 4, &l1), NMRC_OK);
    assert_int_equal(nmrc_seq_add_phase_list(seq, "ph31", ph4, 4, &l31), NMRC_OK);
    seq->receiver_list = l31;
    seq->scans = 4;
    nmrc_event p = tu_pulse(ch, NMRC_PI / 2, 0, 0);
    p.pulse[0].phase_list = l1;
    tu_append(seq, p);
    nmrc_event acq = nmrc_seq_event_init(NMRC_EV_ACQUIRE);
    acq.channel = ch;
    tu_append(seq, acq);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    nmrc_cmat *r0 = nmrc_cmat_create(2, 2), *rz = nmrc_cmat_create(2, 2);
    nmrc_cmat *r = nmrc_cmat_create(2, 2), *ref = nmrc_cmat_create(2, 2);
    tu_bloch(r0, 0.4, 0.25, 0.6);               /* z plus a spurious transverse part */
    tu_bloch(rz, 0, 0, 0.6);
    tu_run(&sys, seq, &opt, r0, r);
    opt.first_scan_only = 1;
    tu_run(&sys, seq, &opt, rz, ref);
    tu_assert_mat_close(r, ref, 1e-14);
    assert_close(tu_expect(r, 1, 0, 1), -0.6, 0, 1e-14);
    opt.first_scan_only = 0;
    assert_int_equal(nmrc_seq_add_phase_list(seq, "ph31", zero4, 4, NULL), NMRC_OK); /* receiver does not follow */
    tu_run(&sys, seq, &opt, r0, r);
    assert_true(nmrc_cmat_max_diff(r, ref) > 0.05);
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(rz);
    nmrc_cmat_destroy(r);
    nmrc_cmat_destroy(ref);
    nmrc_seq_destroy(seq);
}

/* Experiment sets: weights and per-channel phase offsets. */
static void test_experiments(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 0);
    int ch;
    nmrc_seq *seq = tu_seq("exp", &ch, NULL);
    tu_append(seq, tu_pulse(ch, NMRC_PI / 2, 0, 0));
    nmrc_experiment ex;
    memset(&ex, 0, sizeof ex);
    ex.prepend = -1;
    ex.weight = 0.25;
    assert_int_equal(nmrc_seq_add_experiment(seq, &ex), NMRC_OK);
    ex.weight = 0.75;
    ex.phase_offset[ch] = NMRC_PI / 2;              /* a y pulse */
    assert_int_equal(nmrc_seq_add_experiment(seq, &ex), NMRC_OK);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    double b[3];
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[1], -0.25, 0, 1e-14); /* 90_x: z -> -y */
    assert_close(b[0], 0.75, 0, 1e-14);  /* 90_y: z -> +x */
    nmrc_seq_destroy(seq);
}

/* RF miscalibration scales the angle; a Gaussian B1 spread averages
** cos(s theta) to cos(theta) exp(-sigma^2 theta^2 / 2). */
static void test_rf_errors(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 0);
    int ch;
    nmrc_seq *seq = tu_seq("nut", &ch, NULL);
    double theta = 10.5 * NMRC_PI;
    tu_append(seq, tu_pulse(ch, theta, 0, 1e-3));
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.rf_scale[ch] = 1.03;
    double b[3];
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[2], cos(1.03 * theta), 0, 1e-10);
    opt.rf_scale[ch] = 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    double sigma = 0.04;
    assert_int_equal(nmrc_nmr_b1_gauss_hermite(sigma, 40, ctx, &opt.b1), NMRC_OK);
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[2], cos(theta) * exp(-sigma * sigma * theta * theta / 2), 0,
                 1e-10);
    opt.pulses = NMRC_NMR_PULSES_DELTA;          /* delta pulses see the same scale */
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[2], cos(theta) * exp(-sigma * sigma * theta * theta / 2), 0,
                 1e-10);
    double sc[2] = {0.9, 1.2}, wt[2] = {1, 3};
    assert_int_equal(nmrc_nmr_b1_histogram(sc, wt, 2, ctx, &opt.b1), NMRC_OK);
    tu_run_bloch(&sys, seq, &opt, Z_UP, b);
    assert_close(b[2], 0.25 * cos(0.9 * theta) + 0.75 * cos(1.2 * theta), 0,
                 1e-12);
    assert_int_equal(nmrc_nmr_b1_histogram(sc, (double[]){0, 0}, 2, ctx, &opt.b1), NMRC_EINVAL);
    assert_int_equal(nmrc_nmr_b1_gauss_hermite(-1, 4, ctx, &opt.b1), NMRC_EINVAL);
    nmrc_ctx_destroy(ctx);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rabi_offset),   cmocka_unit_test(test_relaxation),
        cmocka_unit_test(test_simultaneous),  cmocka_unit_test(test_short_pulse),
        cmocka_unit_test(test_shaped),        cmocka_unit_test(test_virtual_z),
        cmocka_unit_test(test_loops),         cmocka_unit_test(test_phase_cycle),
        cmocka_unit_test(test_experiments),   cmocka_unit_test(test_rf_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
