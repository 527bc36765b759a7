/*
** fid_exec.c: executing an FID run plan: per-thread workspaces, the FID
** and spectrum of one nucleus into the caller's arrays (the plan is only
** read, nothing is allocated), and the plan's accessors.
*/
#include <stdlib.h>
#include <string.h>

#include "fid_run.h"
#include "nmrc/linalg.h"

nmrc_run_fid_ws *nmrc_run_fid_ws_create(const nmrc_run_fid_plan *p)
{
    nmrc_run_fid_ws *ws = calloc(1, sizeof *ws);
    size_t d = p->base->n1;
    int bad = !ws || !(ws->rho = nmrc_cmat_create(d, d));
    for (size_t k = 0; !bad && k < p->sum.n_nuclei; k++, ws->n++) {
        if (!p->nuc[k].info.acquired)
            continue;
        bad = !(ws->acq[k] = nmrc_fid_ws_create(p->nuc[k].acq)) ||
              !(ws->spec[k] = nmrc_spectrum_ws_create(p->nuc[k].spec));
    }
    if (bad && ws) {
        ws->n = p->sum.n_nuclei;
        nmrc_run_fid_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

void nmrc_run_fid_ws_destroy(nmrc_run_fid_ws *ws)
{
    if (!ws)
        return;
    for (size_t k = 0; k < ws->n; k++) {
        nmrc_fid_ws_destroy(ws->acq[k]);
        nmrc_spectrum_ws_destroy(ws->spec[k]);
    }
    nmrc_cmat_destroy(ws->rho);
    free(ws);
}

nmrc_status nmrc_run_fid_acquire_(const nmrc_run_fid_plan *p, nmrc_run_fid_ws *ws, size_t k,
                                  nmrc_cplx *fid)
{
    const fid_nucleus *u = &p->nuc[k];
    nmrc_status st = nmrc_cmat_copy(ws->rho, p->base);
    if (st != NMRC_OK)
        return st;
    if (u->pulse) /* thermal experiment, or the read pulse */
        nmrc_fid_pulse(ws->rho, p->sys.n_spins, u->info.spins, NMRC_PI / 2, NMRC_PI / 2);
    return nmrc_fid_execute(u->acq, ws->acq[k], ws->rho, fid);
}

static NMRC_NODISCARD nmrc_status check_k(const nmrc_run_fid_plan *p, size_t k, nmrc_ctx *ctx)
{
    if (k >= p->sum.n_nuclei)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: nucleus %zu of %zu", k, p->sum.n_nuclei);
    if (!p->nuc[k].info.acquired)
        return nmrc_ctx_error(ctx, NMRC_ENOTFOUND, "the program acquires on %s only; no %s FID",
                              p->nuc[k].info.acquired_on, p->nuc[k].info.nucleus);
    return NMRC_OK;
}

nmrc_status nmrc_run_fid_execute(const nmrc_run_fid_plan *p, nmrc_run_fid_ws *ws, size_t k,
                                 nmrc_ctx *ctx, nmrc_cplx *fid, nmrc_cplx *spectrum)
{
    nmrc_status st = check_k(p, k, ctx);
    if (st == NMRC_OK && (k >= ws->n || !ws->acq[k]))
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: workspace not made for this plan");
    if (st == NMRC_OK && (st = nmrc_run_fid_acquire_(p, ws, k, fid)) != NMRC_OK)
        return nmrc_ctx_error(ctx, st, "acquisition failed: %s", nmrc_strerror(st));
    if (st == NMRC_OK)
        nmrc_spectrum_execute(p->nuc[k].spec, ws->spec[k], fid, spectrum);
    return st;
}

void nmrc_run_fid_plan_summary(const nmrc_run_fid_plan *p, nmrc_run_fid_summary *out)
{
    *out = p->sum;
}

nmrc_status nmrc_run_fid_plan_info(const nmrc_run_fid_plan *p, size_t k, nmrc_ctx *ctx,
                                   nmrc_run_fid_info *out)
{
    if (k >= p->sum.n_nuclei)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: nucleus %zu of %zu", k, p->sum.n_nuclei);
    *out = p->nuc[k].info;
    return NMRC_OK;
}

const nmrc_seq *nmrc_run_fid_plan_seq(const nmrc_run_fid_plan *p) { return p->seq; }

const nmrc_nmr_system *nmrc_run_fid_plan_system(const nmrc_run_fid_plan *p) { return &p->sys; }

const nmrc_spectrum_plan *nmrc_run_fid_plan_spectrum(const nmrc_run_fid_plan *p, size_t k)
{
    return k < p->sum.n_nuclei ? p->nuc[k].spec : NULL;
}

nmrc_status nmrc_run_fid_axis(const nmrc_run_fid_plan *p, size_t k, nmrc_ctx *ctx, double *hz,
                              double *ppm)
{
    nmrc_status st = check_k(p, k, ctx);
    const nmrc_spectrum_plan *sp = st == NMRC_OK ? p->nuc[k].spec : NULL;
    for (size_t i = 0; sp && i < p->nuc[k].info.si; i++) {
        if (hz)
            hz[i] = nmrc_spectrum_hz(sp, i);
        if (ppm)
            ppm[i] = nmrc_spectrum_ppm(sp, i);
    }
    return st;
}
