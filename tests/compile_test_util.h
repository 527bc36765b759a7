/*
** compile_test_util.h: helpers shared by the compiler tests (test_aht.c,
** test_compile.c, test_composite.c): the 13CHCl3 coupling, the 1H-13C pair,
** pair-tensor and DM targets compiled with the default configuration or
** the bare (unrefocused) construction,
** uniform random numbers, a program's length and the least-squares
** power-law exponent.  Include after nmrc_test.h.
*/
#ifndef NMRC_COMPILE_TEST_UTIL_H
#define NMRC_COMPILE_TEST_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/compile.h"

static const double KAPPA = 337.7; /* 13CHCl3, rad/s */

/* Uniform in [-1, 1] from rand() (seed with srand). */
static inline double urand(void)
{
    return 2.0 * rand() / (double)RAND_MAX - 1.0;
}

/* The 1H (spin 0) - 13C (spin 1) pair with coupling kappa, on resonance. */
static inline nmrc_pair pair_ch(double kappa)
{
    nmrc_pair p;
    memset(&p, 0, sizeof p);
    p.kappa = kappa;
    strcpy(p.nucleus[0], "1H");
    strcpy(p.nucleus[1], "13C");
    p.spin[1] = 1;
    return p;
}

/* The length of seq: the sum of its events' durations, in order (loops are
** not expanded). */
static inline double seq_length(const nmrc_seq *seq)
{
    double t = 0;
    for (size_t i = 0; i < seq->n_events; i++)
        t += seq->events[i].duration;
    return t;
}

/* A target with the pair tensor T (rad/s, row-major, no local terms) held
** for time t (s). */
static inline nmrc_target2 tensor_target(const double T[9], double t)
{
    nmrc_target2 tg;
    memset(&tg, 0, sizeof tg);
    memcpy(tg.T, T, sizeof tg.T);
    tg.time = t;
    return tg;
}

/* The DM target D (XY - YX) with D = KAPPA / 2, held for time t (s). */
static inline nmrc_target2 dm_target(double t)
{
    const double T[9] = {0, KAPPA / 2, 0, -KAPPA / 2, 0, 0, 0, 0, 0};
    return tensor_target(T, t);
}

/* Compiles tg for the pair p with the default configuration; asserts that
** it succeeds and returns the program (the caller destroys it). */
static inline nmrc_seq *compile_default(const nmrc_pair *p, const nmrc_target2 *tg)
{
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_target(p, tg, &cfg, NULL, &seq), NMRC_OK);
    return seq;
}

/* As compile_default, with the bare construction (no refocusing halves):
** the palindromes and SVD frames exactly as the physics notes write them. */
static inline nmrc_seq *compile_bare(const nmrc_pair *p, const nmrc_target2 *tg)
{
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    cfg.refocus = 0;
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_target(p, tg, &cfg, NULL, &seq), NMRC_OK);
    return seq;
}

/* Number of pulse events of seq. */
static inline int pulse_events(const nmrc_seq *seq)
{
    int n = 0;
    for (size_t i = 0; i < seq->n_events; i++)
        n += seq->events[i].kind == NMRC_EV_PULSE;
    return n;
}

/* Least-squares slope of log y against log x. */
static inline double fit_exponent(const double *x, const double *y, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double lx = log(x[i]), ly = log(y[i]);
        sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

#endif /* NMRC_COMPILE_TEST_UTIL_H */
