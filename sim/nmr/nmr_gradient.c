/*
** nmr_gradient.c: pulsed field gradients of the physical NMR model.  A
** gradient adds gamma_i G z I_z,i, which commutes with the natural
** Hamiltonian and the T1/T2 terms, so for a molecule at position z it is a
** diagonal phase after free evolution.  The sample is a set of slices (a
** Gauss-Legendre rule over its length) each carrying its own state.
*/
#include "nmr_internal.h"

#include <math.h>

/* Legendre P_n(x) and its derivative by the three-term recurrence. */
static void legendre(size_t n, double x, double *p, double *dp)
{
    double p0 = 1, p1 = x;
    if (n == 0) {
        *p = 1;
        *dp = 0;
        return;
    }
    for (size_t k = 2; k <= n; k++) {
        double pk = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / (double)k;
        p0 = p1;
        p1 = pk;
    }
    *p = p1;
    *dp = n * (x * p1 - p0) / (x * x - 1);
}

nmrc_status nmrc_nmr_slices(size_t n, double L, double *z, double *w)
{
    if (n == 0 || !(L > 0) || !isfinite(L))
        return NMRC_EINVAL;
    for (size_t k = 0; k < (n + 1) / 2; k++) {
        double x = cos(NMRC_PI * (k + 0.75) / (n + 0.5)), p = 0, dp = 1;
        for (int it = 0; it < 100; it++) {
            legendre(n, x, &p, &dp);
            double dx = p / dp;
            x -= dx;
            if (fabs(dx) < 1e-16)
                break;
        }
        legendre(n, x, &p, &dp);
        double wk = 1.0 / ((1 - x * x) * dp * dp); /* = 2/((1-x^2)P'^2) / 2 */
        z[k] = -x * L / 2;
        z[n - 1 - k] = x * L / 2;
        w[k] = w[n - 1 - k] = wk;
    }
    if (n % 2)
        z[n / 2] = 0;
    return NMRC_OK;
}

size_t nmrc_nmr_slices_needed(double x_max)
{
    if (!(x_max > 0))
        return 8;
    double n = 0.5 * x_max + 8 * cbrt(x_max) + 12;
    return n > 1e6 ? 1000000 : (size_t)ceil(n);
}
