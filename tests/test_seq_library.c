/*
** test_seq_library.c: the physics of the sequence library, checked with an
** independent SU(2) toggling-frame computation in this file (not the
** compiler's analyzer): closure, zeroth-order average coupling against the
** recorded target, refocusing of decoupling sequences, exactness and
** robustness of composite pulses, UDD timing, and the paper's cycle being
** open.  One cross-check against nmrc_analyze ties the two together.
*/
#include <complex.h>
#include <math.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/compile.h"
#include "nmrc/library.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"


typedef double _Complex cplx;

/* 2x2 column-major complex matrices. */
static void mul2(const cplx a[4], const cplx b[4], cplx c[4])
{
    cplx r[4] = {a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
                 a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3]};
    memcpy(c, r, sizeof r);
}

/* exp(-i theta (cos phi X + sin phi Y) / 2). */
static void pulse2(double theta, double phi, cplx u[4])
{
    double c = cos(theta / 2), s = sin(theta / 2);
    u[0] = c;
    u[3] = c;
    u[1] = -I * s * (cos(phi) + I * sin(phi));   /* <1|U|0> */
    u[2] = -I * s * (cos(phi) - I * sin(phi));   /* <0|U|1> */
}

/* Pauli components (x, y, z) of U^+ Z U. */
static void toggled_z(const cplx u[4], double out[3])
{
    cplx ud[4] = {conj(u[0]), conj(u[2]), conj(u[1]), conj(u[3])}, z[4] = {1, 0, 0, -1}, t[4];
    mul2(ud, z, t);
    mul2(t, u, t);
    out[0] = creal(t[1] + t[2]) / 2;
    out[1] = creal(I * (t[2] - t[1])) / 2;   /* Tr(Y M)/2 = (i M01 - i M10)/2 */
    out[2] = creal(t[0] - t[3]) / 2;
}

/* Toggling-frame walk of a sequence on channels 0 (1H) and 1 (13C). */
typedef struct walk {
    cplx u[2][4];           /* cumulative propagator per channel */
    double T[9];            /* sum tau u v^T */
    double off[2][3];       /* sum tau u (offset condition) */
    double time;            /* total duration */
} walk;

static void walk_events(const nmrc_seq *s, size_t from, size_t to, walk *w)
{
    for (size_t i = from; i < to; i++) {
        const nmrc_event *e = &s->events[i];
        if (e->kind == NMRC_EV_LOOP_BEGIN) {
            size_t end = i, depth = 0;
            do {
                depth += s->events[end].kind == NMRC_EV_LOOP_BEGIN;
                depth -= s->events[end].kind == NMRC_EV_LOOP_END;
            } while (depth && ++end < s->n_events);
            for (size_t k = 0; k < e->count; k++)
                walk_events(s, i + 1, end, w);
            i = end;
        } else if (e->kind == NMRC_EV_PULSE) {
            for (int k = 0; k < e->n_pulse; k++) {
                cplx p[4];
                pulse2(e->pulse[k].angle, e->pulse[k].phase, p);
                mul2(p, w->u[e->pulse[k].channel], w->u[e->pulse[k].channel]);
            }
        } else if (e->kind == NMRC_EV_DELAY) {
            double a[3], b[3];
            toggled_z(w->u[0], a);
            toggled_z(w->u[1], b);
            for (int r = 0; r < 9; r++)
                w->T[r] += e->duration * a[r / 3] * b[r % 3];
            for (int r = 0; r < 3; r++)
                w->off[0][r] += e->duration * a[r], w->off[1][r] += e->duration * b[r];
            w->time += e->duration;
        }
    }
}

static nmrc_seq *load(const char *name)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    if (nmrc_library_load(name, NMRC_SOURCE_DIR "/sequences", ctx, &s) != NMRC_OK)
        fail_msg("%s: %s", name, nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    return s;
}

static walk run(const nmrc_seq *s)
{
    walk w;
    memset(&w, 0, sizeof w);
    for (int c = 0; c < 2; c++)
        w.u[c][0] = w.u[c][3] = 1;
    walk_events(s, 0, s->n_events, &w);
    return w;
}

/* |Tr(A^+ B)| / 2: 1 when A and B agree up to a global phase. */
static double overlap(const cplx a[4], const cplx b[4])
{
    return cabs(conj(a[0]) * b[0] + conj(a[1]) * b[1] + conj(a[2]) * b[2] + conj(a[3]) * b[3]) / 2;
}

static const cplx ID[4] = {1, 0, 0, 1};

/* ---- Tests -------------------------------------------------------------------- */

/* Closed cycles whose average coupling is exactly the recorded target. */
static void test_coupling_cycles(void **state)
{
    (void)state;
    static const char *const names[] = {"dm_z", "ksea_z", "xy_z", "wahuha", "mrev8"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        nmrc_seq *s = load(names[k]);
        walk w = run(s);
        double kappa = s->nat_kappa;
        assert_close(overlap(w.u[0], ID), 1, 1e-12, 0);
        assert_close(overlap(w.u[1], ID), 1, 1e-12, 0);
        assert_close(w.time, s->target_time, 1e-12, 0);
        for (int r = 0; r < 9; r++)   /* kappa T / time = target */
            assert_close(kappa * w.T[r] / w.time, s->target_tensor[r], 1e-12, 1e-12 * kappa);
        nmrc_seq_destroy(s);
    }
}

/* The paper's cycle: open (120 degrees per channel), average (kappa/4)(XX + 2YY + ZZ). */
static void test_paper_cycle_open(void **state)
{
    (void)state;
    nmrc_seq *s = load("paper_dm");
    walk w = run(s);
    for (int c = 0; c < 2; c++) {
        double half = acos(fmin(1, fabs(creal(w.u[c][0] + w.u[c][3]) / 2)));
        assert_close(2 * half, 2 * NMRC_PI / 3, 1e-12, 0);
    }
    double want[9] = {0.25, 0, 0, 0, 0.5, 0, 0, 0, 0.25};
    for (int r = 0; r < 9; r++)
        assert_close(w.T[r] / w.time, want[r], 1e-12, 1e-14);
    /* and it is not the DM target it claims */
    assert_true(fabs(s->target_tensor[1]) > 100);
    nmrc_seq_destroy(s);
}

/* Decoupling blocks: coupling and 1H offset averaged to zero, net rotation
** equal to the target (90_x for CPMG, pi_y for odd UDD, else identity). */
static void test_decoupling(void **state)
{
    (void)state;
    static const char *const names[] = {"cpmg", "xy4", "xy8", "xy16", "udd4", "udd8", "udd7"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        nmrc_seq *s = load(names[k]);
        walk w = run(s);
        for (int r = 0; r < 9; r++)
            assert_close(w.T[r] / w.time, 0, 0, 1e-12);
        for (int r = 0; r < 3; r++)
            assert_close(w.off[0][r] / w.time, 0, 0, 1e-12);
        /* target rotation exp(-i t a.sigma) on 1H */
        const double *a = s->target_field[0];
        double n = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]), ang = 2 * n * s->target_time;
        cplx v[4];
        pulse2(ang, n > 0 ? atan2(a[1], a[0]) : 0, v);
        assert_close(overlap(w.u[0], v), 1, 1e-12, 0);
        assert_close(w.time, s->target_time, 1e-12, 0);
        nmrc_seq_destroy(s);
    }
}

/* Product of the composite's elements, each flip angle scaled by (1 + eps). */
static void composite_product(const nmrc_seq *s, double eps, cplx u[4])
{
    memcpy(u, ID, sizeof ID);
    for (size_t i = 0; i < s->n_events; i++) {
        cplx p[4];
        pulse2(s->events[i].pulse[0].angle * (1 + eps), s->events[i].pulse[0].phase, p);
        mul2(p, u, u);
    }
}

static void test_composites(void **state)
{
    (void)state;
    static const char *const names[] = {"bb1_pi", "bb1_pi2", "corpse_pi", "corpse_pi2",
                                        "scrofulous_pi", "scrofulous_pi2"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        nmrc_seq *s = load(names[k]);
        cplx u[4], v[4];
        composite_product(s, 0, u);
        double theta = 2 * s->target_field[0][0] * s->target_time, dur = 0;
        pulse2(theta, 0, v);
        assert_close(overlap(u, v), 1, 1e-12, 0);
        for (size_t i = 0; i < s->n_events; i++) {    /* finite pulses at 1/(4 rf90) */
            const nmrc_event *e = &s->events[i];
            assert_close(e->pulse[0].amplitude, 1 / (4 * s->channels[0].rf90), 1e-12, 0);
            assert_close(e->duration, e->pulse[0].angle / (2 * NMRC_PI * e->pulse[0].amplitude),
                         1e-12, 0);
            dur += e->duration;
        }
        assert_close(dur, s->target_time, 1e-12, 0);
        nmrc_seq_destroy(s);
    }
    /* BB1: infidelity under a flip-angle error eps scales as eps^6 */
    nmrc_seq *s = load("bb1_pi");
    cplx u1[4], u2[4], v[4];
    pulse2(NMRC_PI, 0, v);
    composite_product(s, 0.01, u1);
    composite_product(s, 0.02, u2);
    double i1 = 1 - pow(overlap(u1, v), 2), i2 = 1 - pow(overlap(u2, v), 2);
    assert_close(log2(i2 / i1), 6, 0.05, 0);
    nmrc_seq_destroy(s);
}

/* UDD_n pulse times T sin^2(pi j / (2n + 2)) for the files and generated n. */
static void test_udd_times(void **state)
{
    (void)state;
    static const char *const names[] = {"udd4", "udd8", "udd3", "udd16"};
    static const int ns[] = {4, 8, 3, 16};
    for (size_t k = 0; k < 4; k++) {
        nmrc_seq *s = load(names[k]);
        double t = 0, T = s->target_time;
        int j = 0;
        for (size_t i = 0; i < s->n_events; i++) {
            if (s->events[i].kind == NMRC_EV_DELAY) {
                t += s->events[i].duration;
            } else {
                double x = sin(NMRC_PI * ++j / (2.0 * ns[k] + 2));
                assert_close(t, T * x * x, 1e-12, 1e-18);
            }
        }
        assert_int_equal(j, ns[k]);
        assert_close(t, T, 1e-12, 0);
        nmrc_seq_destroy(s);
    }
}

/* The X-dephasing sandwich: (pi/2)_y on both, a z gradient, (pi/2)_-y. */
static void test_x_dephasing(void **state)
{
    (void)state;
    nmrc_seq *s = load("x_dephasing");
    assert_int_equal(s->n_events, 3);
    assert_int_equal(s->events[1].kind, NMRC_EV_GRADIENT);
    assert_int_equal(s->channels[s->events[1].channel].axis, 'z');
    walk w = run(s);
    assert_close(overlap(w.u[0], ID), 1, 1e-12, 0);
    assert_close(overlap(w.u[1], ID), 1, 1e-12, 0);
    /* between the pulses z is toggled to x: the gradient's Z noise acts as X */
    cplx p[4];
    double u[3];
    pulse2(NMRC_PI / 2, NMRC_PI / 2, p);
    toggled_z(p, u);
    assert_close(fabs(u[0]), 1, 1e-12, 0);
    assert_string_equal(s->target_op, "x_dephasing");
    nmrc_seq_destroy(s);
}

/* The compiler's analyzer agrees with this file on a library sequence. */
static void test_analyzer_agrees(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = load("ksea_z");
    nmrc_analysis *an = NULL;
    walk w = run(s);
    assert_int_equal(nmrc_analyze(s, NULL, ctx, &an), NMRC_OK);
    for (int r = 0; r < 9; r++)
        assert_close(an->whole.T[r], s->nat_kappa * w.T[r] / w.time, 1e-12, 1e-12 * s->nat_kappa);
    assert_close(an->fidelity_delta, 1, 1e-12, 0);
    assert_close(an->whole.efficiency, 1, 1e-12, 0);
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(s);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coupling_cycles),
        cmocka_unit_test(test_paper_cycle_open),
        cmocka_unit_test(test_decoupling),
        cmocka_unit_test(test_composites),
        cmocka_unit_test(test_udd_times),
        cmocka_unit_test(test_x_dephasing),
        cmocka_unit_test(test_analyzer_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
