/*
** nmr_errors.c: RF errors of the physical NMR model.  Amplitude
** miscalibration is a per-channel scale factor (nmrc_nmr_options.rf_scale);
** B1 inhomogeneity is a distribution of scale factors averaged over: a
** Gauss-Hermite rule for a Gaussian profile or a user histogram.
*/
#include "nmr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nmrc_nmr_options_default(nmrc_nmr_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->pulses = NMRC_NMR_PULSES_AS_WRITTEN;
}

/* Golub-Welsch: nodes x and weights (summing to 1) of the n-point rule for
** the weight exp(-x^2) from the Jacobi matrix of the Hermite polynomials. */
static NMRC_NODISCARD nmrc_status hermite_rule(size_t n, double *x, double *w, nmrc_ctx *ctx)
{
    nmrc_cmat *J = nmrc_cmat_create(n, n);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(n);
    nmrc_status st = NMRC_ENOMEM;
    if (J && ws) {
        for (size_t k = 1; k < n; k++) {
            NMRC_CMAT_AT(J, k, k - 1) = sqrt(k / 2.0);
            NMRC_CMAT_AT(J, k - 1, k) = sqrt(k / 2.0);
        }
        st = nmrc_eigh(J, x, ws);
        for (size_t k = 0; st == NMRC_OK && k < n; k++) {
            double v = cabs(NMRC_CMAT_AT(J, 0, k));
            w[k] = v * v;
        }
    }
    nmrc_cmat_destroy(J);
    nmrc_eigh_ws_destroy(ws);
    if (st)
        return nmrc_ctx_error(ctx, st, "nmr: Gauss-Hermite rule of %zu points failed", n);
    return NMRC_OK;
}

nmrc_status nmrc_nmr_b1_gauss_hermite(double sigma, size_t n, nmrc_ctx *ctx, nmrc_nmr_b1 *b1)
{
    if (!(sigma >= 0) || !isfinite(sigma) || n == 0 || n > NMRC_NMR_MAX_B1_NODES)
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "nmr: B1 distribution needs sigma >= 0 and 1..%d nodes",
                              NMRC_NMR_MAX_B1_NODES);
    double x[NMRC_NMR_MAX_B1_NODES], w[NMRC_NMR_MAX_B1_NODES];
    nmrc_status st = hermite_rule(n, x, w, ctx);
    if (st)
        return st;
    memset(b1, 0, sizeof *b1);
    b1->n = n;
    for (size_t k = 0; k < n; k++) {
        b1->scale[k] = 1 + sigma * sqrt(2.0) * x[k];
        b1->weight[k] = w[k];
        if (b1->scale[k] <= 0)
            return nmrc_ctx_error(ctx, NMRC_EINVAL,
                                  "nmr: B1 sigma %g with %zu nodes gives a scale <= 0", sigma,
                                  n);
    }
    return NMRC_OK;
}

nmrc_status nmrc_nmr_b1_histogram(const double *scale, const double *weight, size_t n,
                                  nmrc_ctx *ctx, nmrc_nmr_b1 *b1)
{
    if (n == 0 || n > NMRC_NMR_MAX_B1_NODES)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: B1 histogram needs 1..%d bins",
                              NMRC_NMR_MAX_B1_NODES);
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(scale[k] > 0) || !isfinite(scale[k]) || !(weight[k] >= 0) ||
            !isfinite(weight[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL,
                                  "nmr: B1 histogram bin %zu: scale must be > 0 and weight >= 0",
                                  k);
        sum += weight[k];
    }
    if (!(sum > 0))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: B1 histogram weights are all zero");
    memset(b1, 0, sizeof *b1);
    b1->n = n;
    for (size_t k = 0; k < n; k++) {
        b1->scale[k] = scale[k];
        b1->weight[k] = weight[k] / sum;
    }
    return NMRC_OK;
}
