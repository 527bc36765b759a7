/*
** charge_map.c: time-optimized battery maps (the paper's Figs. 10-12).
** A plan holds the shared time table and one workspace per thread; execute
** prepares each parameter point's coefficients and reduces over the times,
** in parallel over points (OpenMP), allocating nothing.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "nmrc/battery.h"

/* OpenMP pragmas that vanish (without -Wunknown-pragmas noise) when the
** library is built without OpenMP. */
#ifdef _OPENMP
#define NMRC_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define NMRC_OMP(...)
#endif

typedef struct map_wsp {
    double *work;             /* n doubles: energies of one point */
    nmrc_charge_table *tab;   /* table for points whose w differs from the plan's */
} map_wsp;

struct nmrc_map_plan {
    nmrc_grid time;
    double w;
    nmrc_charge_table *tab;   /* shared, for strength w */
    int nthreads;
    map_wsp *wsp;
};

static int max_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

nmrc_status nmrc_map_plan_create(const nmrc_grid *time, double w, nmrc_map_plan **out,
                                 nmrc_ctx *ctx)
{
    *out = NULL;
    nmrc_map_plan *p = calloc(1, sizeof *p);
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for a map plan");
    nmrc_status st = nmrc_charge_table_create(time, w, &p->tab, ctx);
    if (st != NMRC_OK) {
        free(p);
        return st;
    }
    p->time = *time;
    p->w = w;
    p->nthreads = max_threads();
    p->wsp = calloc((size_t)p->nthreads, sizeof *p->wsp);
    if (!p->wsp)
        goto oom;
    for (int k = 0; k < p->nthreads; k++) {
        p->wsp[k].work = malloc(time->n * sizeof(double));
        if (!p->wsp[k].work || nmrc_charge_table_create(time, w, &p->wsp[k].tab, ctx) != NMRC_OK)
            goto oom;
    }
    *out = p;
    return NMRC_OK;
oom:
    nmrc_map_plan_destroy(p);
    return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for map workspaces");
}

void nmrc_map_plan_destroy(nmrc_map_plan *plan)
{
    if (!plan)
        return;
    for (int k = 0; plan->wsp && k < plan->nthreads; k++) {
        free(plan->wsp[k].work);
        nmrc_charge_table_destroy(plan->wsp[k].tab);
    }
    free(plan->wsp);
    nmrc_charge_table_destroy(plan->tab);
    free(plan);
}

/* The table for strength w: the plan's, or the thread's own refilled. */
static const nmrc_charge_table *table_for(const nmrc_map_plan *plan, map_wsp *ws, double w)
{
    if (w == plan->w)
        return plan->tab;
    nmrc_charge_table_refill(ws->tab, &plan->time, w);
    return ws->tab;
}

/* One point: returns its status (detail in ctx only for the first error). */
static NMRC_NODISCARD nmrc_status map_point(const nmrc_map_plan *plan, map_wsp *ws, const nmrc_charge_point *pt,
                             nmrc_charge_max *out)
{
    nmrc_charge_coef c;
    nmrc_status st = nmrc_charge_prepare(pt->H, pt->temperature, pt->strength, pt->phase, &c, NULL);
    if (st != NMRC_OK) {
        out->ergotropy_max = out->t_ergotropy_max = out->antiergotropy_min = NAN;
        out->capacity = out->coherence_max = NAN;
        return st;
    }
    nmrc_charge_extrema(&c, table_for(plan, ws, pt->strength), ws->work, out);
    return NMRC_OK;
}

nmrc_status nmrc_map_execute(const nmrc_map_plan *plan, const nmrc_charge_point *pts, size_t n,
                             nmrc_charge_max *out, nmrc_map_progress_fn progress, void *user,
                             nmrc_ctx *ctx)
{
    size_t bad = (size_t)-1, done = 0;
    nmrc_status bad_st = NMRC_OK;
NMRC_OMP(omp parallel num_threads(plan->nthreads))
    {
        map_wsp *ws = &plan->wsp[thread_id()];
NMRC_OMP(omp for schedule(dynamic, 64))
        for (size_t k = 0; k < n; k++) {
            nmrc_status st = map_point(plan, ws, &pts[k], &out[k]);
            if (st != NMRC_OK) {
NMRC_OMP(omp critical)
                if (k < bad) {
                    bad = k;
                    bad_st = st;
                }
            }
            if (progress && (k & 255) == 255) {
                size_t d;
NMRC_OMP(omp atomic capture)
                d = done += 256;
                if (thread_id() == 0)
                    progress(d < n ? d : n, n, user);
            }
        }
    }
    if (progress)
        progress(n, n, user);
    if (bad_st != NMRC_OK) {
        nmrc_charge_coef c;
        char msg[512];
        nmrc_status again = nmrc_charge_prepare(pts[bad].H, pts[bad].temperature,
                                                pts[bad].strength, pts[bad].phase, &c, ctx);
        snprintf(msg, sizeof msg, "%s",
                 again != NMRC_OK ? nmrc_ctx_errmsg(ctx) : nmrc_strerror(bad_st));
        return nmrc_ctx_error(ctx, bad_st, "map point %zu: %s", bad, msg);
    }
    return NMRC_OK;
}
