/*
** test_aht.c: the AHT building blocks of compiler/aht.c and the analysis of
** compiler/analyze.c against the physics notes: frame recipe, rotation
** split, palindromes with exact H0 and vanishing H1, the heteronuclear phase
** rule, and the paper's open "DM" cycle averaging to (kappa/4)(XX+2YY+ZZ).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "compile_test_util.h"
#include "nmrc/compile.h"
#include "nmrc/consts.h"

#define DEG (NMRC_PI / 180.0)

static void test_frame_recipe(void **state)
{
    (void)state;
    double u[3], th, ph;
    nmrc_aht_pulse_frame(NMRC_PI / 2, 0, u); /* 90_x: z -> y */
    assert_close(u[0], 0, 0, 1e-15);
    assert_close(u[1], 1, 1e-15, 0);
    nmrc_aht_pulse_frame(NMRC_PI / 2, NMRC_PI / 2, u); /* 90_y: z -> -x */
    assert_close(u[0], -1, 1e-15, 0);
    srand(7);
    for (int k = 0; k < 200; k++) {
        double w[3] = {urand(), urand(), urand()}, r = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        for (int i = 0; i < 3; i++)
            w[i] /= r;
        nmrc_aht_frame_pulse(w, &th, &ph);
        assert_close(th, acos(w[2]), 1e-12, 1e-12);
        nmrc_aht_pulse_frame(th, ph, u);
        for (int i = 0; i < 3; i++)
            assert_close(u[i], w[i], 0, 1e-13);
        /* the toggled z of the pulse's rotation R is the row R^T e_z */
        double R[9];
        nmrc_rot_pulse(th, ph, R);
        for (int i = 0; i < 3; i++)
            assert_close(R[6 + i], w[i], 0, 1e-13);
    }
}

static void test_decompose(void **state)
{
    (void)state;
    srand(11);
    for (int k = 0; k < 200; k++) {
        double n[3] = {urand(), urand(), urand()}, r = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        for (int i = 0; i < 3; i++)
            n[i] /= r;
        double R[9], P[9], Z[9], Q[9], th, ph, al, zax[3] = {0, 0, 1};
        nmrc_rot_axis(n, NMRC_PI * (urand() + 1.0), R);
        nmrc_rot_decompose(R, &th, &ph, &al);
        nmrc_rot_pulse(th, ph, P);
        nmrc_rot_axis(zax, al, Z);
        nmrc_rot_mul(Z, P, Q);
        for (int i = 0; i < 9; i++)
            assert_close(Q[i], R[i], 0, 1e-12);
        double ang, ax[3];
        nmrc_rot_angle_axis(R, &ang, ax);
        nmrc_rot_axis(ax, ang, Q);
        for (int i = 0; i < 9; i++)
            assert_close(Q[i], R[i], 0, 1e-10);
    }
}

/* Compiles T (xy block given) for time t with the bare construction and
** checks the palindrome. */
static void check_palindrome(const double T[9], int base_expect)
{
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_target2 tg = tensor_target(T, 0.01);
    nmrc_analysis *an = NULL;
    int base;
    double psi;
    assert_int_equal(nmrc_compile_structured(T, KAPPA, &base, &psi), 1);
    assert_int_equal(base, base_expect);
    nmrc_seq *seq = compile_bare(&p, &tg);
    int pulses = 0;
    for (size_t i = 0; i < seq->n_events; i++)
        if (seq->events[i].kind == NMRC_EV_PULSE) {
            assert_int_equal(seq->events[i].n_pulse, 2);
            assert_close(seq->events[i].pulse[0].angle, NMRC_PI / 2, 1e-14, 0);
            pulses++;
        } else {
            assert_int_equal(seq->events[i].kind, NMRC_EV_DELAY);
        }
    assert_int_equal(pulses, 4); /* 8 pulses: 4 simultaneous pairs */
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    assert_true(an->whole.closed[0] && an->whole.closed[1]);
    for (int i = 0; i < 9; i++)
        assert_close(an->eff_T[i], T[i], 1e-12, 1e-12 * KAPPA);
    assert_close(an->whole.efficiency, 1.0, 1e-12, 0); /* time-optimal */
    assert_true(an->whole.h1_norm < 1e-12 * KAPPA);   /* time-symmetric: no H1 */
    assert_close(an->fidelity_delta, 1.0, 0, 1e-12);  /* exact to all orders */
    for (int s = 0; s < 2; s++) /* nested inverse pairs: no first-order flip error */
        for (int i = 0; i < 3; i++)
            assert_close(an->whole.flip_cond[s][i], 0, 0, 1e-12);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

static void test_palindromes(void **state)
{
    (void)state;
    double D = 0.7 * KAPPA, G = -0.4 * KAPPA, J = 1.3 * KAPPA;
    double dm[9] = {0, D, 0, -D, 0, 0, 0, 0, 0};   /* D (XY - YX) */
    double ksea[9] = {0, G, 0, G, 0, 0, 0, 0, 0};  /* G (XY + YX) */
    double xy[9] = {J, 0, 0, 0, J, 0, 0, 0, 0};    /* J (XX + YY) */
    check_palindrome(dm, 0);
    check_palindrome(ksea, 1);
    check_palindrome(xy, 0);
    double c = cos(0.3), s = sin(0.3); /* a rotated block of the same family */
    double rot[9] = {c * J, s * J, 0, -s * J, c * J, 0, 0, 0, 0};
    check_palindrome(rot, 0);
}

/* The notes' explicit pulse lists: spin 1 x y -y -x; spin 2 y -x x -y for DM
** (the bare construction). */
static void test_palindrome_phases(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    nmrc_target2 tg = dm_target(1e-3);
    nmrc_seq *seq = compile_bare(&p, &tg);
    const double ph1[4] = {0, 90, 270, 180}, ph2[4] = {90, 180, 0, 270};
    int k = 0;
    double tau = 0;
    for (size_t i = 0; i < seq->n_events; i++) {
        const nmrc_event *ev = &seq->events[i];
        if (ev->kind == NMRC_EV_DELAY) {
            if (tau == 0)
                tau = ev->duration;
            continue;
        }
        assert_close(ev->pulse[0].phase, ph1[k] * DEG, 1e-12, 1e-12);
        assert_close(ev->pulse[1].phase, ph2[k] * DEG, 1e-12, 1e-12);
        k++;
    }
    assert_int_equal(k, 4);
    /* D = kappa/2 for 4 tau: tau = D t / (2 kappa) */
    assert_close(tau, tg.time / 4, 1e-12, 0);
    nmrc_seq_destroy(seq);
}

/* The heteronuclear phase rule: spin-2 phases + psi maps T -> T Rz(psi)^T. */
static void test_phase_rule(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    srand(3);
    double T[9];
    for (int i = 0; i < 9; i++)
        T[i] = urand() * KAPPA;
    nmrc_target2 tg = tensor_target(T, 1e-3);
    nmrc_seq *seq = compile_default(&p, &tg);
    nmrc_analysis *a0 = NULL, *a1 = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &a0), NMRC_OK);
    double psi = 0.77;
    for (size_t i = 0; i < seq->n_events; i++) {
        nmrc_event *ev = &seq->events[i];
        for (int k = 0; k < ev->n_pulse; k++)
            if (ev->pulse[k].channel == 1)
                ev->pulse[k].phase += psi;
    }
    /* virtual-Z on spin 2 commute with the conjugation: leave them */
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &a1), NMRC_OK);
    double c = cos(psi), s = sin(psi), RzT[9] = {c, s, 0, -s, c, 0, 0, 0, 1}, E[9];
    nmrc_rot_mul(a0->whole.T, RzT, E);
    for (int i = 0; i < 9; i++)
        assert_close(a1->whole.T[i], E[i], 1e-10, 1e-10 * KAPPA);
    nmrc_analysis_destroy(a0);
    nmrc_analysis_destroy(a1);
    nmrc_seq_destroy(seq);
}

/* The paper's cycle with collective pulses: open, toggling average
** (kappa/4)(XX + 2YY + ZZ).  The net propagator (product of the four
** exp(-i pi/4 n.s), worked out with quaternions) is cos 60 - i sin 60 n.s with
** n = (1,-1,-1)/sqrt3: 120 deg about (1,-1,-1)/sqrt3, i.e. the toggling
** frame turns by 120 deg about (-1,1,1)/sqrt3 as the notes state it. */
static void test_paper_cycle(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    int chan[2];
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "paper", NULL, &seq, chan), NMRC_OK);
    const double ph[4] = {0, 90, 180, 270};
    double tau = 1e-4;
    for (int k = 0; k < 4; k++) {
        nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
        for (int c = 0; c < 2; c++) {
            ev.pulse[c].channel = chan[c];
            ev.pulse[c].angle = NMRC_PI / 2;
            ev.pulse[c].phase = ph[k] * DEG;
        }
        ev.n_pulse = 2;
        assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
        nmrc_event d = nmrc_seq_event_init(NMRC_EV_DELAY);
        d.duration = tau;
        assert_int_equal(nmrc_seq_append(seq, &d), NMRC_OK);
    }
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    const double r3 = 1.0 / sqrt(3.0), axis[3] = {r3, -r3, -r3};
    for (int s = 0; s < 2; s++) {
        assert_false(an->whole.closed[s]);
        assert_close(an->whole.net_angle[s], 120 * DEG, 1e-12, 0);
        for (int i = 0; i < 3; i++)
            assert_close(an->whole.net_axis[s][i], axis[i], 1e-12, 0);
    }
    /* flip-angle sum by hand: (pi/2)[x + Rx(-90)y + Rx(-90)Ry(-90)(-x) + ...]
    ** = (pi/2)(2, -1, -1): the cycle is not flip-angle robust */
    const double flip[3] = {NMRC_PI, -NMRC_PI / 2, -NMRC_PI / 2};
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 3; i++)
            assert_close(an->whole.flip_cond[s][i], flip[i], 1e-12, 0);
    const double expect[9] = {1, 0, 0, 0, 2, 0, 0, 0, 1};
    for (int i = 0; i < 9; i++)
        assert_close(an->whole.T[i], KAPPA / 4 * expect[i], 1e-12, 1e-12 * KAPPA);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static void append_pulse(nmrc_seq *seq, int chan, double theta, double phi)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    ev.pulse[0].channel = chan, ev.pulse[0].angle = theta, ev.pulse[0].phase = phi;
    ev.n_pulse = 1;
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
}

static void append_delay(nmrc_seq *seq, double tau)
{
    nmrc_event d = nmrc_seq_event_init(NMRC_EV_DELAY);
    d.duration = tau;
    assert_int_equal(nmrc_seq_append(seq, &d), NMRC_OK);
}

/* H1 of the analysis equals the notes' closed form for ZZ-derived frames,
** on frames worked out by hand: (z,z) t1, 90_x on spin 1: (y,z) t2, 90_y on
** spin 2: (y,-x) t3. */
static void test_h1_formula(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    int chan[2];
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "h1", NULL, &seq, chan), NMRC_OK);
    double tau[3] = {1e-4, 2.5e-4, 0.7e-4}, Tc = tau[0] + tau[1] + tau[2];
    append_delay(seq, tau[0]);
    append_pulse(seq, chan[0], NMRC_PI / 2, 0);
    append_delay(seq, tau[1]);
    append_pulse(seq, chan[1], NMRC_PI / 2, NMRC_PI / 2);
    append_delay(seq, tau[2]);
    const double u[3][3] = {{0, 0, 1}, {0, 1, 0}, {0, 1, 0}};
    const double v[3][3] = {{0, 0, 1}, {0, 0, 1}, {-1, 0, 0}};
    double f1[3] = {0}, f2[3] = {0};
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < j; k++) {
            double uu = u[j][0] * u[k][0] + u[j][1] * u[k][1] + u[j][2] * u[k][2];
            double vv = v[j][0] * v[k][0] + v[j][1] * v[k][1] + v[j][2] * v[k][2], uc[3], vc[3];
            cross(u[j], u[k], uc);
            cross(v[j], v[k], vc);
            for (int i = 0; i < 3; i++) {
                f1[i] += KAPPA * KAPPA / Tc * tau[j] * tau[k] * vv * uc[i];
                f2[i] += KAPPA * KAPPA / Tc * tau[j] * tau[k] * uu * vc[i];
            }
        }
    assert_true(fabs(f1[0]) > 1.0); /* the case is not trivial */
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    for (int i = 0; i < 3; i++) {
        assert_close(an->whole.h1[4 * (i + 1)], f1[i], 1e-12, 1e-12 * KAPPA);
        assert_close(an->whole.h1[i + 1], f2[i], 1e-12, 1e-12 * KAPPA);
    }
    for (int i = 1; i < 4; i++) /* purely local */
        for (int j = 1; j < 4; j++)
            assert_close(an->whole.h1[4 * i + j], 0, 0, 1e-12 * KAPPA);
    /* H0: (kappa/T) sum tau u v^T */
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            double e = 0;
            for (int k = 0; k < 3; k++)
                e += KAPPA / Tc * tau[k] * u[k][a] * v[k][b];
            assert_close(an->whole.T[3 * a + b], e, 1e-12, 1e-12 * KAPPA);
        }
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

/* A lone finite 90_x pulse: its toggled z runs from z to y on a great
** circle, mean (z sin th - (n x z)(1 - cos th))/th = (0, 2/pi, 2/pi). */
static void test_finite_pulse_terms(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    int chan[2];
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "p", NULL, &seq, chan), NMRC_OK);
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    ev.pulse[0].channel = chan[0], ev.pulse[0].angle = NMRC_PI / 2, ev.pulse[0].amplitude = 25000;
    ev.n_pulse = 1;
    ev.duration = 10e-6;
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
    nmrc_analysis *an = NULL;
    assert_int_equal(nmrc_analyze(seq, &p, NULL, &an), NMRC_OK);
    assert_close(an->whole.duration, 10e-6, 1e-12, 0);
    assert_close(an->whole.offset_cond[0][0], 0, 0, 1e-12);
    assert_close(an->whole.offset_cond[0][1], 2 / NMRC_PI, 1e-3, 0);
    assert_close(an->whole.offset_cond[0][2], 2 / NMRC_PI, 1e-3, 0);
    assert_close(an->whole.offset_cond[1][2], 1.0, 1e-12, 0); /* spin 2 idle */
    /* flip-angle sum of the sliced pulse = theta n (frames before each slice) */
    assert_close(an->whole.flip_cond[0][0], NMRC_PI / 2, 1e-12, 0);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
}

/* A loop is the power of its body: repeat 7 { block } analyzes exactly like
** seven written-out copies, and a 10^6-fold loop costs nothing. */
static void test_loops(void **state)
{
    (void)state;
    nmrc_pair p = pair_ch(KAPPA);
    p.offset[0] = 31.0, p.offset[1] = -17.0;
    int chan[2];
    nmrc_seq *flat = NULL, *loop = NULL;
    assert_int_equal(nmrc_compile_new_seq(&p, "flat", NULL, &flat, chan), NMRC_OK);
    assert_int_equal(nmrc_compile_new_seq(&p, "loop", NULL, &loop, chan), NMRC_OK);
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN), le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    lb.count = 7;
    assert_int_equal(nmrc_seq_append(loop, &lb), NMRC_OK);
    for (int r = 0; r < 8; r++) { /* an irregular, open body */
        nmrc_seq *q = r < 7 ? flat : loop;
        append_pulse(q, chan[0], 0.7, 0.3);
        append_delay(q, 1.3e-4);
        append_pulse(q, chan[1], 1.1, 2.0);
        append_delay(q, 0.6e-4);
        append_pulse(q, chan[0], 0.4, 4.0);
    }
    assert_int_equal(nmrc_seq_append(loop, &le), NMRC_OK);
    nmrc_analysis *a = NULL, *b = NULL;
    assert_int_equal(nmrc_analyze(flat, &p, NULL, &a), NMRC_OK);
    assert_int_equal(nmrc_analyze(loop, &p, NULL, &b), NMRC_OK);
    assert_int_equal(b->n_cycles, 1);
    assert_int_equal(b->cycle_repeat[0], 7);
    assert_close(b->whole.duration, a->whole.duration, 1e-14, 0);
    for (int i = 0; i < 9; i++)
        assert_close(b->whole.T[i], a->whole.T[i], 1e-10, 1e-10 * KAPPA);
    for (int i = 0; i < 16; i++)
        assert_close(b->whole.h1[i], a->whole.h1[i], 1e-9, 1e-9 * KAPPA);
    for (int s = 0; s < 2; s++) {
        assert_close(b->whole.net_angle[s], a->whole.net_angle[s], 1e-10, 1e-12);
        for (int i = 0; i < 3; i++) {
            assert_close(b->whole.offset_cond[s][i], a->whole.offset_cond[s][i], 1e-10, 1e-12);
            assert_close(b->whole.flip_cond[s][i], a->whole.flip_cond[s][i], 1e-10, 1e-12);
        }
    }
    assert_true(a->whole.h1_norm > 1.0); /* not a trivial comparison */
    nmrc_analysis_destroy(a);
    nmrc_analysis_destroy(b);
    loop->events[0].count = 1000000; /* closed-form cost: O(log n) */
    assert_int_equal(nmrc_analyze(loop, &p, NULL, &b), NMRC_OK);
    assert_close(b->whole.duration, 1e6 * 1.9e-4, 1e-9, 0);
    nmrc_analysis_destroy(b);
    nmrc_seq_destroy(flat);
    nmrc_seq_destroy(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_recipe),     cmocka_unit_test(test_decompose),
        cmocka_unit_test(test_palindromes),      cmocka_unit_test(test_palindrome_phases),
        cmocka_unit_test(test_phase_rule),       cmocka_unit_test(test_paper_cycle),
        cmocka_unit_test(test_h1_formula),       cmocka_unit_test(test_finite_pulse_terms),
        cmocka_unit_test(test_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
