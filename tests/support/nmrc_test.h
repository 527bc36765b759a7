/*
** nmrc_test.h: assertions shared by nmrc's cmocka tests.  Relative-tolerance
** compares for real and complex numbers (cmocka's own double compare is
** absolute only) and matrix invariants (Hermitian, trace one, positive).
*/
#ifndef NMRC_TEST_H
#define NMRC_TEST_H

#include <complex.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

/* Passes when |a - b| <= rtol * max(|a|, |b|) + atol. */
static inline int nmrc_test_close(double _Complex a, double _Complex b, double rtol, double atol)
{
    double scale = fmax(cabs(a), cabs(b));
    return cabs(a - b) <= rtol * scale + atol;
}

#define assert_close(a, b, rtol, atol)                                                        \
    do {                                                                                      \
        double _Complex a_ = (a), b_ = (b);                                                   \
        if (!nmrc_test_close(a_, b_, (rtol), (atol)))                                         \
            fail_msg("%s = %.17g%+.17gi differs from %s = %.17g%+.17gi (rtol %g, atol %g)",  \
                     #a, creal(a_), cimag(a_), #b, creal(b_), cimag(b_), (double)(rtol),       \
                     (double)(atol));                                                         \
    } while (0)

#endif /* NMRC_TEST_H */
