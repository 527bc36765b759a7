/*
** nmr_test_util.h: helpers for the physical-model tests (test_nmr.c,
** test_nmr_model.c, test_gradient.c, test_validate.c): building small pulse
** programs by hand, running them (plan + exec, also Bloch vector in and
** out for one spin), spin expectation values and density matrices from
** Bloch vectors.
*/
#ifndef NMRC_NMR_TEST_UTIL_H
#define NMRC_NMR_TEST_UTIL_H

#include <math.h>
#include <string.h>

#include "sim/nmr/nmr_internal.h"
#include "nmrc/seq.h"
#include "nmrc_test.h"

/* A hard pulse event on one channel. */
static inline nmrc_event tu_pulse(int ch, double angle, double phase, double dur)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    ev.n_pulse = 1;
    ev.pulse[0].channel = ch;
    ev.pulse[0].angle = angle;
    ev.pulse[0].phase = phase;
    ev.duration = dur;
    return ev;
}

/* Adds a second channel's pulse to a pulse event. */
static inline void tu_pulse_add(nmrc_event *ev, int ch, double angle, double phase)
{
    ev->pulse[ev->n_pulse].channel = ch;
    ev->pulse[ev->n_pulse].angle = angle;
    ev->pulse[ev->n_pulse].phase = phase;
    ev->n_pulse++;
}

static inline nmrc_event tu_delay(double t)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_DELAY);
    ev.duration = t;
    return ev;
}

static inline void tu_append(nmrc_seq *seq, nmrc_event ev)
{
    assert_int_equal(nmrc_seq_append(seq, &ev), NMRC_OK);
}

/* <sigma_a(i)> = Tr(rho sigma_a(i)), a = 0, 1, 2 for x, y, z. */
static inline double tu_expect(const nmrc_cmat *rho, size_t n, int i, int a)
{
    size_t d = (size_t)1 << n;
    nmrc_cmat *op = nmrc_cmat_create(d, d);
    double c[3] = {0, 0, 0};
    c[a] = 1;
    nmrc_nmri_add_local(op, n, i, c[0], c[1], c[2]);
    double v = creal(nmrc_cmat_trace_prod(op, rho));
    nmrc_cmat_destroy(op);
    return v;
}

/* rho = (1 + r . sigma)/2 for one spin. */
static inline void tu_bloch(nmrc_cmat *rho, double x, double y, double z)
{
    nmrc_cmat_zero(rho);
    NMRC_CMAT_AT(rho, 0, 0) = (1 + z) / 2;
    NMRC_CMAT_AT(rho, 1, 1) = (1 - z) / 2;
    NMRC_CMAT_AT(rho, 0, 1) = (x - I * y) / 2;
    NMRC_CMAT_AT(rho, 1, 0) = (x + I * y) / 2;
}

/* A heteronuclear 1H-13C pair with J (Hz), on resonance unless set. */
static inline void tu_pair(nmrc_nmr_system *sys, double j_hz)
{
    nmrc_nmr_system_chcl3(sys);
    sys->couplings[0].j_hz = j_hz;
}

/* One 1H spin with an offset (Hz), no relaxation. */
static inline void tu_single(nmrc_nmr_system *sys, double offset_hz)
{
    memset(sys, 0, sizeof *sys);
    sys->n_spins = 1;
    strcpy(sys->spins[0].isotope, "1H");
    sys->spins[0].gamma = 267.52218744e6;
    sys->spins[0].offset_hz = offset_hz;
}

/* A new sequence with an RF channel 1H (index in *h) and, if c is not NULL,
** a 13C channel (index in *c); neither has an rf90. */
static inline nmrc_seq *tu_seq(const char *name, int *h, int *c)
{
    nmrc_seq *seq = nmrc_seq_create(name);
    assert_non_null(seq);
    assert_int_equal(nmrc_seq_rf_channel(seq, "1H", 0, h), NMRC_OK);
    if (c)
        assert_int_equal(nmrc_seq_rf_channel(seq, "13C", 0, c), NMRC_OK);
    return seq;
}

/* Runs seq on sys from rho0 with options opt into rho (plan + exec); fails
** the test with the planner's message when planning fails. */
static inline void tu_run(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                          const nmrc_nmr_options *opt, const nmrc_cmat *rho0, nmrc_cmat *rho)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan = NULL;
    nmrc_status st = nmrc_nmr_plan_create(sys, seq, opt, ctx, &plan);
    if (st)
        fail_msg("plan: %s", nmrc_ctx_errmsg(ctx));
    nmrc_nmr_ws *w = nmrc_nmr_ws_create(plan);
    assert_non_null(w);
    assert_int_equal(nmrc_nmr_execute(plan, w, rho0, rho), NMRC_OK);
    nmrc_nmr_ws_destroy(w);
    nmrc_nmr_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
}

/* Runs seq with opt on the one-spin sys from the Bloch vector b0 (tu_run);
** puts the final Bloch vector in b and returns the final state's trace
** (real part). */
static inline double tu_run_bloch(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                                  const nmrc_nmr_options *opt, const double b0[3], double b[3])
{
    nmrc_cmat *r0 = nmrc_cmat_create(2, 2), *r = nmrc_cmat_create(2, 2);
    tu_bloch(r0, b0[0], b0[1], b0[2]);
    tu_run(sys, seq, opt, r0, r);
    for (int a = 0; a < 3; a++)
        b[a] = tu_expect(r, 1, 0, a);
    double tr = creal(nmrc_cmat_trace(r));
    nmrc_cmat_destroy(r0);
    nmrc_cmat_destroy(r);
    return tr;
}

/* Plans and returns the status (for bad-input tests); a plan exists exactly
** when planning succeeds, and a failure leaves a message. */
static inline nmrc_status tu_plan_status(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                                         const nmrc_nmr_options *opt)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan = NULL;
    nmrc_status st = nmrc_nmr_plan_create(sys, seq, opt, ctx, &plan);
    assert_true(st != NMRC_OK || plan != NULL);
    if (st)
        assert_true(strlen(nmrc_ctx_errmsg(ctx)) > 0);
    nmrc_nmr_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    return st;
}

static inline void tu_assert_mat_close(const nmrc_cmat *a, const nmrc_cmat *b, double tol)
{
    double diff = nmrc_cmat_max_diff(a, b);
    if (!(diff <= tol))
        fail_msg("matrices differ by %g (tol %g)", diff, tol);
}

#endif /* NMRC_NMR_TEST_UTIL_H */
