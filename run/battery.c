/*
** battery.c: the charging curve of the paper's Sec. IV (`nmrc battery`).
** Two spins charged from their Gibbs state use the Fourier kernel
** (nmrc/battery.h); other spin counts or initial states evolve the initial
** state densely with the charging unitary and take the general battery
** metrics.  Also the curve's extrema and their times.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/battery.h"
#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "run_impl.h"

/* The output arrays of one curve. */
typedef struct curve {
    size_t n;
    double *t, *energy, *ergo, *anti, *cap, *coh;
} curve;

/* Fast path: two spins charged from their Gibbs state. */
static NMRC_NODISCARD nmrc_status curve_fast(const nmrc_model *m, const nmrc_cmat *H,
                                             nmrc_ctx *ctx, const curve *c, double *capacity)
{
    nmrc_charge_coef coef;
    nmrc_charge_table *tab = NULL;
    nmrc_status st = nmrc_charge_prepare(H->data, m->temperature, m->charge.strength,
                                         m->charge.phase, ctx, &coef);
    if (st == NMRC_OK)
        st = nmrc_charge_table_create(&m->charge.time, m->charge.strength, ctx, &tab);
    if (st != NMRC_OK)
        return nmrc_run_fail_(ctx, st, "charging");
    nmrc_charge_curve(tab, &coef, c->energy, c->ergo, c->anti, c->coh);
    for (size_t k = 0; k < c->n; k++)
        c->t[k] = nmrc_charge_table_time(tab, k), c->cap[k] = coef.capacity;
    *capacity = coef.capacity;
    nmrc_charge_table_destroy(tab);
    return NMRC_OK;
}

/* General path: dense unitary evolution of the initial state. */
static NMRC_NODISCARD nmrc_status curve_dense(const nmrc_model *m, const nmrc_cmat *H,
                                              nmrc_run_progress_fn progress, void *user,
                                              nmrc_ctx *ctx, const curve *c, double *capacity)
{
    size_t d = H->n1;
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), *rho = nmrc_cmat_create(d, d),
              *V = nmrc_cmat_create(d, d);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
    nmrc_metrics_ws *mws = nmrc_metrics_ws_create(m->n_spins);
    double *E = malloc(d * sizeof *E);
    nmrc_status st = NMRC_ENOMEM;
    if (!rho0 || !rho || !V || !ews || !mws || !E) {
        nmrc_run_fail_(ctx, st, "charging");
        goto out;
    }
    if ((st = nmrc_run_initial_state_(m, H, ctx, rho0)) != NMRC_OK)
        goto out;
    if ((st = nmrc_cmat_copy(V, H)) != NMRC_OK || (st = nmrc_eigh(V, E, ews)) != NMRC_OK) {
        nmrc_run_fail_(ctx, st, "charging");
        goto out;
    }
    for (size_t k = 0; k < c->n; k++) {
        double t = nmrc_run_grid_value_(&m->charge.time, k);
        nmrc_battery_figs f;
        if ((st = nmrc_run_charge_(m, rho0, t, ctx, rho)) != NMRC_OK)
            goto out;
        if ((st = nmrc_metrics_battery(mws, rho, E, V, &f)) != NMRC_OK) {
            nmrc_run_fail_(ctx, st, "charging");
            goto out;
        }
        c->t[k] = t, c->energy[k] = f.energy, c->ergo[k] = f.ergotropy;
        c->anti[k] = f.antiergotropy, c->coh[k] = f.coherence, c->cap[k] = f.capacity;
        *capacity = f.capacity;
        if (progress)
            progress(k + 1, c->n, user);
    }
out:
    nmrc_cmat_destroy(rho0), nmrc_cmat_destroy(rho), nmrc_cmat_destroy(V);
    nmrc_eigh_ws_destroy(ews);
    nmrc_metrics_ws_destroy(mws);
    free(E);
    return st;
}

/* Index of the first maximum (sign = 1) or minimum (sign = -1) of x, ties
** within rounding (1e-11 of max |x|) going to the earliest time. */
static size_t arg_ext(const double *x, size_t n, double sign)
{
    size_t b = 0;
    double scale = 0;
    for (size_t k = 0; k < n; k++) {
        scale = fmax(scale, fabs(x[k]));
        if (sign * x[k] > sign * x[b])
            b = k;
    }
    for (size_t k = 0; k < b; k++)
        if (sign * x[k] >= sign * x[b] - 1e-11 * scale)
            return k;
    return b;
}

static NMRC_NODISCARD nmrc_status check_model(const nmrc_model *m, nmrc_ctx *ctx)
{
    if (!m->has_charge)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s has no charge { ... } block",
                              m->n_files ? m->files[0] : "the spec");
    return NMRC_OK;
}

nmrc_status nmrc_run_battery_size(const nmrc_model *m, nmrc_ctx *ctx, size_t *n)
{
    nmrc_ctx_clear(ctx);
    *n = 0;
    nmrc_status st = check_model(m, ctx);
    if (st == NMRC_OK)
        *n = m->charge.time.n;
    return st;
}

nmrc_status nmrc_run_battery(const nmrc_model *m, nmrc_run_progress_fn progress, void *user,
                             nmrc_ctx *ctx, double *t, double *energy, double *ergotropy,
                             double *antiergotropy, double *capacity, double *coherence,
                             nmrc_run_battery_info *info)
{
    nmrc_ctx_clear(ctx);
    memset(info, 0, sizeof *info);
    nmrc_cmat *H = nmrc_run_hamiltonian_new_(m, ctx);
    if (!H)
        return nmrc_ctx_status(ctx);
    nmrc_status st = check_model(m, ctx);
    curve c = {m->charge.time.n, t, energy, ergotropy, antiergotropy, capacity, coherence};
    info->n_times = c.n;
    info->fourier = m->n_spins == 2 && m->init.kind == NMRC_INIT_GIBBS;
    if (st == NMRC_OK)
        st = info->fourier ? curve_fast(m, H, ctx, &c, &info->capacity)
                           : curve_dense(m, H, progress, user, ctx, &c, &info->capacity);
    nmrc_cmat_destroy(H);
    if (st != NMRC_OK)
        return st;
    size_t ie = arg_ext(ergotropy, c.n, 1), ia = arg_ext(antiergotropy, c.n, -1);
    size_t ic = arg_ext(coherence, c.n, 1);
    info->ergotropy_max = ergotropy[ie], info->t_ergotropy_max = t[ie];
    info->antiergotropy_min = antiergotropy[ia], info->t_antiergotropy_min = t[ia];
    info->coherence_max = coherence[ic], info->t_coherence_max = t[ic];
    return NMRC_OK;
}
