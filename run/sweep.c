/*
** sweep.c: quantum resources against a parameter and against time.  The
** thermal sweep (`nmrc thermal`, the paper's Fig. 4) resolves the spec at
** every value and takes the Gibbs state's coherence, the pair's discord
** and concurrence, energy and entropy; the dephasing run (`nmrc dephase`,
** Fig. 3) evolves the initial state by the Lindblad equation.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc/sim.h"
#include "run_impl.h"

double nmrc_run_sweep_value(const nmrc_run_sweep *sw, size_t k)
{
    if (sw->n < 2)
        return sw->start;
    return sw->start + (sw->stop - sw->start) * (double)k / (double)(sw->n - 1);
}

/* ---- Thermal sweep ---------------------------------------------------------- */

typedef struct thermal_ws {
    nmrc_metrics_ws *mws, *pws;
    nmrc_cmat *rho, *pair;
} thermal_ws;

/* Resources r[5] of the Gibbs state of m: coherence, discord, concurrence,
** energy, entropy (bits). */
static NMRC_NODISCARD nmrc_status resources(const nmrc_model *m, const char *pair, thermal_ws *w,
                                            nmrc_ctx *ctx, double r[5])
{
    nmrc_cmat *H = nmrc_run_hamiltonian_new_(m, ctx);
    size_t pi, pj;
    nmrc_status st = H ? nmrc_run_pair(m, pair, ctx, &pi, &pj) : nmrc_ctx_status(ctx);
    if (st != NMRC_OK)
        goto out;
    if ((st = nmrc_sim_gibbs(H, m->temperature, ctx, w->rho)) != NMRC_OK)
        goto fail;
    if ((st = nmrc_metrics_reduce_pair(w->rho, m->n_spins, pi, pj, w->pair)) != NMRC_OK ||
        (st = nmrc_metrics_coherence(w->rho, &r[0])) != NMRC_OK ||
        (st = nmrc_metrics_discord(w->pws, w->pair, &r[1])) != NMRC_OK ||
        (st = nmrc_metrics_concurrence(w->pws, w->pair, &r[2])) != NMRC_OK ||
        (st = nmrc_metrics_expect(w->rho, H, &r[3])) != NMRC_OK ||
        (st = nmrc_metrics_entropy(w->mws, w->rho, &r[4])) != NMRC_OK)
        goto fail;
    r[4] /= log(2.0);
    goto out;
fail:
    nmrc_run_fail_(ctx, st, "Gibbs state");
out:
    nmrc_cmat_destroy(H);
    return st;
}

/* The model at sweep value x: the parameter if the spec has it, else the
** temperature itself (sweep name T). */
static NMRC_NODISCARD nmrc_status model_at(const nmrc_run_input *in, nmrc_spec *spec,
                                           const char *name, double x, nmrc_ctx *ctx,
                                           nmrc_model **m)
{
    nmrc_status st;
    if (nmrc_spec_has_param(spec, name)) {
        if ((st = nmrc_spec_set(spec, name, x, ctx)) != NMRC_OK)
            return nmrc_run_fail_(ctx, st, "--sweep");
        return nmrc_run_resolve_spec_(spec, ctx, m);
    }
    if (strcmp(name, "T") != 0)
        return nmrc_ctx_error(ctx, NMRC_ENOTFOUND, "%s defines no parameter '%s'", in->path,
                              name);
    if ((st = nmrc_run_resolve_spec_(spec, ctx, m)) == NMRC_OK)
        (*m)->temperature = x;
    return st;
}

static void thermal_ws_free(thermal_ws *w)
{
    nmrc_metrics_ws_destroy(w->mws), nmrc_metrics_ws_destroy(w->pws);
    nmrc_cmat_destroy(w->rho), nmrc_cmat_destroy(w->pair);
}

nmrc_status nmrc_run_thermal(const nmrc_run_input *in, const nmrc_run_sweep *sw, const char *pair,
                             nmrc_run_progress_fn progress, void *user, nmrc_ctx *ctx, double *x,
                             double *coherence, double *discord, double *concurrence,
                             double *energy, double *entropy)
{
    nmrc_ctx_clear(ctx);
    if (!sw->name || sw->n < 1)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--sweep: needs a name and n >= 1");
    nmrc_spec *spec = NULL;
    nmrc_status st = nmrc_run_spec_copy_(in, ctx, &spec);
    thermal_ws w = {0};
    double *out[5] = {coherence, discord, concurrence, energy, entropy};
    for (size_t k = 0; st == NMRC_OK && k < sw->n; k++) {
        double r[5];
        nmrc_model *m = NULL;
        x[k] = nmrc_run_sweep_value(sw, k);
        if ((st = model_at(in, spec, sw->name, x[k], ctx, &m)) != NMRC_OK)
            break;
        size_t d = nmrc_sim_dim(m->n_spins);
        if (!w.rho) {
            w.mws = nmrc_metrics_ws_create(m->n_spins);
            w.pws = nmrc_metrics_ws_create(2);
            w.rho = nmrc_cmat_create(d, d);
            w.pair = nmrc_cmat_create(4, 4);
        }
        if (!w.mws || !w.pws || !w.rho || !w.pair)
            st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "thermal: out of memory");
        else if (d != w.rho->n1)
            st = nmrc_ctx_error(ctx, NMRC_EINVAL, "thermal: the spin count changed");
        else
            st = resources(m, pair, &w, ctx, r);
        nmrc_model_destroy(m);
        for (int q = 0; st == NMRC_OK && q < 5; q++)
            out[q][k] = r[q];
        if (st == NMRC_OK && progress)
            progress(k + 1, sw->n, user);
    }
    thermal_ws_free(&w);
    nmrc_spec_destroy(spec);
    return st;
}

/* ---- Dephasing -------------------------------------------------------------- */

typedef struct dephase_run {
    const nmrc_model *m;
    size_t pi, pj, d, chunk;
    nmrc_lindblad_plan *plan;
    nmrc_lindblad_ws *lws;
    nmrc_metrics_ws *pws;
    nmrc_cmat *rho0, *pair, *states; /* states: chunk matrices */
    double *t;                       /* chunk times */
} dephase_run;

/* Plans the evolution and allocates everything. */
static NMRC_NODISCARD nmrc_status dephase_setup(dephase_run *r, const nmrc_cmat *H, nmrc_ctx *ctx)
{
    nmrc_status st = nmrc_lindblad_plan_from_model(r->m, NULL, ctx, &r->plan);
    if (st != NMRC_OK)
        return nmrc_run_fail_(ctx, st, "Lindblad plan");
    size_t d = r->d, cap = ((size_t)64 << 20) / (16 * d * d);
    r->chunk = cap < 1 ? 1 : cap > r->m->evolve.n ? r->m->evolve.n : cap;
    r->lws = nmrc_lindblad_ws_create(r->plan);
    r->pws = nmrc_metrics_ws_create(2);
    r->rho0 = nmrc_cmat_create(d, d);
    r->pair = nmrc_cmat_create(4, 4);
    r->t = malloc(r->chunk * sizeof *r->t);
    r->states = calloc(r->chunk, sizeof *r->states);
    nmrc_cplx *blk = r->states ? calloc(r->chunk * d * d, sizeof *blk) : NULL;
    if (!r->lws || !r->pws || !r->rho0 || !r->pair || !r->t || !blk) {
        free(blk);
        free(r->states);
        r->states = NULL;
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < r->chunk; k++)
        r->states[k] = nmrc_cmat_view(blk + k * d * d, d, d, d);
    return nmrc_run_initial_state_(r->m, H, ctx, r->rho0);
}

static void dephase_free(dephase_run *r)
{
    nmrc_lindblad_ws_destroy(r->lws);
    nmrc_lindblad_plan_destroy(r->plan);
    nmrc_metrics_ws_destroy(r->pws);
    nmrc_cmat_destroy(r->rho0), nmrc_cmat_destroy(r->pair);
    if (r->states)
        free(r->states[0].data);
    free(r->states);
    free(r->t);
}

/* The four measures of rho into v[4]. */
static NMRC_NODISCARD nmrc_status measures(dephase_run *r, const nmrc_cmat *rho, double v[4],
                                           nmrc_ctx *ctx)
{
    nmrc_status st;
    if ((st = nmrc_metrics_coherence(rho, &v[0])) != NMRC_OK ||
        (st = nmrc_metrics_reduce_pair(rho, r->m->n_spins, r->pi, r->pj, r->pair)) != NMRC_OK ||
        (st = nmrc_metrics_discord(r->pws, r->pair, &v[1])) != NMRC_OK ||
        (st = nmrc_metrics_concurrence(r->pws, r->pair, &v[2])) != NMRC_OK ||
        (st = nmrc_metrics_purity(rho, &v[3])) != NMRC_OK)
        return nmrc_ctx_error(ctx, st, "metrics: %s", nmrc_strerror(st));
    return NMRC_OK;
}

/* Evolves in chunks of output times: each chunk restarts from the last
** state (the generator does not depend on time), so memory stays bounded. */
static NMRC_NODISCARD nmrc_status evolve(dephase_run *r, nmrc_run_progress_fn progress, void *user,
                                         nmrc_ctx *ctx, double *t, double *out[4])
{
    const nmrc_grid *g = &r->m->evolve;
    double t0 = 0;
    for (size_t k0 = 0; k0 < g->n; k0 += r->chunk) {
        size_t nk = g->n - k0 < r->chunk ? g->n - k0 : r->chunk;
        for (size_t k = 0; k < nk; k++)
            r->t[k] = nmrc_run_grid_value_(g, k0 + k) - t0;
        nmrc_status st = nmrc_lindblad_execute(r->plan, r->lws, r->rho0, r->t, nk, ctx, r->states);
        if (st != NMRC_OK)
            return nmrc_run_fail_(ctx, st, "Lindblad evolution");
        for (size_t k = 0; k < nk; k++) {
            double v[4];
            if ((st = measures(r, &r->states[k], v, ctx)) != NMRC_OK)
                return st;
            t[k0 + k] = t0 + r->t[k];
            for (int q = 0; q < 4; q++)
                out[q][k0 + k] = v[q];
        }
        t0 += r->t[nk - 1];
        if ((st = nmrc_cmat_copy(r->rho0, &r->states[nk - 1])) != NMRC_OK)
            return nmrc_ctx_error(ctx, st, "Lindblad evolution: %s", nmrc_strerror(st));
        if (progress)
            progress(k0 + nk, g->n, user);
    }
    return NMRC_OK;
}

nmrc_status nmrc_run_dephase_size(const nmrc_model *m, nmrc_ctx *ctx, size_t *n)
{
    nmrc_ctx_clear(ctx);
    *n = 0;
    if (!m->has_evolve || m->evolve.n < 1)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%s has no evolve START:STOP:N times",
                              m->n_files ? m->files[0] : "the spec");
    *n = m->evolve.n;
    return NMRC_OK;
}

nmrc_status nmrc_run_dephase(const nmrc_model *m, const char *pair, nmrc_run_progress_fn progress,
                             void *user, nmrc_ctx *ctx, double *t, double *coherence,
                             double *discord, double *concurrence, double *purity,
                             nmrc_run_dephase_info *info)
{
    dephase_run r = {0};
    size_t n;
    memset(info, 0, sizeof *info);
    nmrc_status st = nmrc_run_dephase_size(m, ctx, &n);
    r.m = m;
    if (st == NMRC_OK)
        st = nmrc_run_pair(m, pair, ctx, &r.pi, &r.pj);
    if (st != NMRC_OK)
        return st;
    nmrc_cmat *H = nmrc_run_hamiltonian_new_(m, ctx);
    if (!H)
        return nmrc_ctx_status(ctx);
    r.d = H->n1;
    double *out[4] = {coherence, discord, concurrence, purity};
    st = dephase_setup(&r, H, ctx);
    if (st == NMRC_OK) {
        info->n_times = n, info->pair_i = r.pi, info->pair_j = r.pj;
        info->exact = nmrc_lindblad_plan_method(r.plan) == NMRC_LINDBLAD_EXACT;
        st = evolve(&r, progress, user, ctx, t, out);
    }
    dephase_free(&r);
    nmrc_cmat_destroy(H);
    return st;
}
