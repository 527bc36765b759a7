/*
** pulses.c: the library's pulse tables: composite pulses (BB1, CORPSE,
** SCROFULOUS) as element lists, the pulse times and phases of the
** decoupling blocks (CPMG, XY-4/8/16, UDD_n), and the parsers of their
** names.  Sources of each table: docs/sequences.md.
*/
#include "nmrc/library.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/defs.h"

#define MAX_DD NMRC_DECOUPLE_MAX_PULSES

nmrc_status nmrc_composite_parse(const char *name, nmrc_composite_kind *kind, nmrc_ctx *ctx)
{
    static const char *names[] = {"none", "bb1", "corpse", "scrofulous"};
    for (int k = 0; k < 4; k++)
        if (!strcmp(name, names[k]) || (k == 0 && !name[0])) {
            *kind = (nmrc_composite_kind)k;
            return NMRC_OK;
        }
    return nmrc_ctx_error(ctx, NMRC_EINVAL,
                          "unknown composite pulse '%s' (expected bb1, corpse or scrofulous)",
                          name);
}

nmrc_status nmrc_decouple_parse(const char *name, nmrc_decouple_kind *kind, int *udd_n,
                                nmrc_ctx *ctx)
{
    *udd_n = 0;
    if (!name[0] || !strcmp(name, "none"))
        *kind = NMRC_DECOUPLE_NONE;
    else if (!strcmp(name, "cpmg"))
        *kind = NMRC_DECOUPLE_CPMG;
    else if (!strcmp(name, "xy4"))
        *kind = NMRC_DECOUPLE_XY4;
    else if (!strcmp(name, "xy8"))
        *kind = NMRC_DECOUPLE_XY8;
    else if (!strcmp(name, "xy16"))
        *kind = NMRC_DECOUPLE_XY16;
    else if (!strncmp(name, "udd", 3)) {
        char *end;
        long n = strtol(name + 3, &end, 10);
        if (end == name + 3 || *end || n < 2 || n > MAX_DD || n % 2)
            return nmrc_ctx_error(ctx, NMRC_EINVAL,
                                  "bad decoupling block '%s': udd<n> needs an even n in 2..%d "
                                  "(odd n leaves a net pi rotation)", name, MAX_DD);
        *kind = NMRC_DECOUPLE_UDD;
        *udd_n = (int)n;
    } else
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "unknown decoupling block '%s' (expected cpmg, xy4, xy8, xy16 or "
                              "udd<n>)",
                              name);
    return NMRC_OK;
}

/* Inverse of sinc(x) = sin(x)/x on [0, pi] (decreasing there), y in [0, 1]. */
static double arcsinc(double y)
{
    double lo = 0.0, hi = NMRC_PI;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
        double mid = 0.5 * (lo + hi);
        if (sin(mid) / mid > y)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

int nmrc_composite_expand(nmrc_composite_kind kind, double theta, double phi, double angle[4],
                          double phase[4])
{
    switch (kind) {
    case NMRC_COMPOSITE_BB1: {
        double p1 = acos(-theta / (4.0 * NMRC_PI));
        double a[4] = {theta, NMRC_PI, 2.0 * NMRC_PI, NMRC_PI}, f[4] = {0, p1, 3.0 * p1, p1};
        for (int k = 0; k < 4; k++)
            angle[k] = a[k], phase[k] = phi + f[k];
        return 4;
    }
    case NMRC_COMPOSITE_CORPSE: {
        double k = asin(sin(theta / 2.0) / 2.0);
        angle[0] = 2.0 * NMRC_PI + theta / 2.0 - k, phase[0] = phi;
        angle[1] = 2.0 * NMRC_PI - 2.0 * k, phase[1] = phi + NMRC_PI;
        angle[2] = theta / 2.0 - k, phase[2] = phi;
        return 3;
    }
    case NMRC_COMPOSITE_SCROFULOUS: {
        double t1 = arcsinc(2.0 * cos(theta / 2.0) / NMRC_PI);
        double c = -NMRC_PI * cos(t1) / (2.0 * t1 * sin(theta / 2.0));
        double p1 = acos(fmax(-1.0, fmin(1.0, c)));
        double p2 = p1 - acos(fmax(-1.0, fmin(1.0, -NMRC_PI / (2.0 * t1))));
        angle[0] = t1, phase[0] = phi + p1;
        angle[1] = NMRC_PI, phase[1] = phi + p2;
        angle[2] = t1, phase[2] = phi + p1;
        return 3;
    }
    case NMRC_COMPOSITE_NONE:
    default:
        angle[0] = theta, phase[0] = phi;
        return 1;
    }
}

int nmrc_decouple_times(nmrc_decouple_kind kind, int n, double T, double t[], double phase[])
{
    /* XY-8 = XYXY YXYX; XY-16 adds the phase-inverted copy (quadrants). */
    static const double xy16[16] = {0, 1, 0, 1, 1, 0, 1, 0, 2, 3, 2, 3, 3, 2, 3, 2};
    int m;
    switch (kind) {
    case NMRC_DECOUPLE_XY4:
    case NMRC_DECOUPLE_XY8:
    case NMRC_DECOUPLE_XY16:
        m = kind == NMRC_DECOUPLE_XY4 ? 4 : kind == NMRC_DECOUPLE_XY8 ? 8 : 16;
        for (int j = 0; j < m; j++)
            t[j] = T * (2 * j + 1) / (2.0 * m), phase[j] = xy16[j] * NMRC_PI / 2;
        return m;
    case NMRC_DECOUPLE_CPMG:
        m = 2;
        for (int j = 0; j < m; j++)
            t[j] = T * (2 * j + 1) / 4.0, phase[j] = NMRC_PI / 2;
        return m;
    case NMRC_DECOUPLE_UDD:
        if (n < 1 || n > MAX_DD)
            return 0;
        for (int j = 1; j <= n; j++) {
            double s = sin(NMRC_PI * j / (2.0 * n + 2.0));
            t[j - 1] = T * s * s, phase[j - 1] = NMRC_PI / 2;
        }
        return n;
    case NMRC_DECOUPLE_NONE:
    default:
        return 0;
    }
}
