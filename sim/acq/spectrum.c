/*
** spectrum.c: spectra from FIDs with FFTW3.  The plan (FFTW plan made once
** with FFTW_ESTIMATE on its own aligned buffers, window, phase ramp) is
** built before any data exist; execution applies it to new arrays
** (fftw_execute_dft, thread-safe) with a per-thread workspace and allocates
** nothing.  FFTW's planner is not thread-safe: every FFTW plan nmrc makes or
** destroys goes through fftw_lock below.
*/
#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/fid.h"
#include "nmrc/consts.h"
#include "core/defs.h"

/* Serializes FFTW's planner (fftw_plan_* and fftw_destroy_plan share its
** global tables); this file makes and destroys every FFTW plan of nmrc. */
static pthread_mutex_t fftw_lock = PTHREAD_MUTEX_INITIALIZER;


struct nmrc_spectrum_plan {
    size_t td, si;
    double sw, sfo1;
    double *window;             /* td weights, first-point factor included */
    nmrc_cplx *ramp;            /* si phase factors e^{i(phc0 + phc1 f/sw)} */
    fftw_plan fft;
};

struct nmrc_spectrum_ws {
    size_t si;                  /* points of the plan it was made for */
    fftw_complex *in, *out;     /* si points each, fftw_malloc'd (aligned) */
};

static size_t next_pow2(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

static NMRC_NODISCARD nmrc_status check_proc(size_t td, double sw, double sfo1, const nmrc_proc *pr,
                              nmrc_ctx *ctx)
{
    if (td < 1 || !(sw > 0) || !isfinite(sw) || !(sfo1 >= 0) || !isfinite(sfo1))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spectrum: need td >= 1, sw > 0, sfo1 >= 0");
    if (pr->si && pr->si < td)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spectrum: si = %zu is smaller than td = %zu",
                              pr->si, td);
    if (pr->si > ((size_t)1 << 26))
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "spectrum: si = %zu too large", pr->si);
    double v[] = {pr->lb_hz, pr->gb_hz, pr->phc0, pr->phc1, pr->first_point};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (!isfinite(v[k]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "spectrum: processing value not finite");
    if (pr->lb_hz < 0 || pr->gb_hz < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spectrum: negative line broadening");
    return NMRC_OK;
}

nmrc_status nmrc_spectrum_plan_create(size_t td, double sw_hz, double sfo1_mhz,
                                      const nmrc_proc *proc, nmrc_ctx *ctx,
                                      nmrc_spectrum_plan **out)
{
    *out = NULL;
    nmrc_proc none = {0, 0, 0, 0, 0, 0};
    const nmrc_proc *pr = proc ? proc : &none;
    nmrc_status st = check_proc(td, sw_hz, sfo1_mhz, pr, ctx);
    if (st != NMRC_OK)
        return st;
    nmrc_spectrum_plan *p = calloc(1, sizeof *p);
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "spectrum: out of memory");
    p->td = td;
    p->si = pr->si ? pr->si : next_pow2(td);
    p->sw = sw_hz;
    p->sfo1 = sfo1_mhz;
    p->window = malloc(td * sizeof *p->window);
    p->ramp = malloc(p->si * sizeof *p->ramp);
    fftw_complex *a = fftw_malloc(p->si * sizeof *a), *b = fftw_malloc(p->si * sizeof *b);
    if (!p->window || !p->ramp || !a || !b) {
        fftw_free(a);
        fftw_free(b);
        nmrc_spectrum_plan_destroy(p);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "spectrum: out of memory");
    }
    /* FFTW_ESTIMATE does not touch the arrays; new-array execution later
    ** needs buffers with the same alignment, which fftw_malloc guarantees. */
    pthread_mutex_lock(&fftw_lock);
    p->fft = fftw_plan_dft_1d((int)p->si, a, b, FFTW_FORWARD, FFTW_ESTIMATE);
    pthread_mutex_unlock(&fftw_lock);
    fftw_free(a);
    fftw_free(b);
    if (!p->fft) {
        nmrc_spectrum_plan_destroy(p);
        return nmrc_ctx_error(ctx, NMRC_EFFTW, "spectrum: FFTW could not plan %zu points", p->si);
    }
    double dt = 1.0 / sw_hz, g = NMRC_PI * pr->gb_hz;
    for (size_t k = 0; k < td; k++) {
        double t = (double)k * dt;
        p->window[k] = exp(-NMRC_PI * pr->lb_hz * t) * exp(-g * g * t * t / (4 * log(2.0)));
    }
    p->window[0] *= pr->first_point != 0 ? pr->first_point : 1.0;
    for (size_t k = 0; k < p->si; k++)
        p->ramp[k] = cexp(I * (pr->phc0 + pr->phc1 * nmrc_spectrum_hz(p, k) / sw_hz));
    *out = p;
    return NMRC_OK;
}

void nmrc_spectrum_plan_destroy(nmrc_spectrum_plan *p)
{
    if (!p)
        return;
    if (p->fft) {
        pthread_mutex_lock(&fftw_lock);
        fftw_destroy_plan(p->fft);
        pthread_mutex_unlock(&fftw_lock);
    }
    free(p->window);
    free(p->ramp);
    free(p);
}

nmrc_spectrum_ws *nmrc_spectrum_ws_create(const nmrc_spectrum_plan *p)
{
    nmrc_spectrum_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->si = p->si;
    ws->in = fftw_malloc(p->si * sizeof *ws->in);
    ws->out = fftw_malloc(p->si * sizeof *ws->out);
    if (!ws->in || !ws->out) {
        nmrc_spectrum_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

void nmrc_spectrum_ws_destroy(nmrc_spectrum_ws *ws)
{
    if (!ws)
        return;
    fftw_free(ws->in);
    fftw_free(ws->out);
    free(ws);
}

size_t nmrc_spectrum_size(const nmrc_spectrum_plan *p)
{
    return p->si;
}

double nmrc_spectrum_hz(const nmrc_spectrum_plan *p, size_t k)
{
    return ((double)k - (double)(p->si / 2)) * p->sw / (double)p->si;
}

double nmrc_spectrum_ppm(const nmrc_spectrum_plan *p, size_t k)
{
    return p->sfo1 > 0 ? nmrc_spectrum_hz(p, k) / p->sfo1 : 0.0;
}

void nmrc_spectrum_execute(const nmrc_spectrum_plan *p, nmrc_spectrum_ws *ws,
                           const nmrc_cplx *fid, nmrc_cplx *spec)
{
    NMRC_ASSERT(ws->si == p->si && p->td <= p->si);
    for (size_t k = 0; k < p->td; k++)
        ws->in[k] = fid[k] * p->window[k];
    for (size_t k = p->td; k < p->si; k++)
        ws->in[k] = 0;
    fftw_execute_dft(p->fft, ws->in, ws->out);
    size_t half = p->si / 2;
    for (size_t k = 0; k < p->si; k++)
        spec[k] = ws->out[(k + p->si - half) % p->si] * p->ramp[k];
}
