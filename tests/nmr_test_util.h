/*
** nmr_test_util.h: helpers for the physical-model tests (test_nmr.c,
** test_gradient.c, test_validate.c): building small pulse programs by hand,
** spin expectation values and density matrices from Bloch vectors.
*/
#ifndef NMRC_NMR_TEST_UTIL_H
#define NMRC_NMR_TEST_UTIL_H

#include <math.h>
#include <string.h>

#include "nmr_internal.h"
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

#endif /* NMRC_NMR_TEST_UTIL_H */
