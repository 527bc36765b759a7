/*
** charge_map.c: time-optimized battery maps (the paper's Figs. 10-12).
** The plan holds the shared time table and is read-only after creation; a
** workspace (one per calling thread) holds one lane of scratch per OpenMP
** thread.  Execute prepares each parameter point's coefficients and reduces
** over the times, in parallel over points, allocating nothing.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "nmrc/battery.h"
#include "core/defs.h"

/* OpenMP pragmas that vanish (without -Wunknown-pragmas noise) when the
** library is built without OpenMP. */
#ifdef _OPENMP
#define NMRC_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define NMRC_OMP(...)
#endif

struct nmrc_map_plan {
    nmrc_grid time;
    double w;
    nmrc_charge_table *tab;   /* for strength w; only read after planning */
};

/* The scratch of one OpenMP thread of one execute call. */
typedef struct map_lane {
    double *work;             /* time-table-size doubles: energies of one point */
    nmrc_charge_table *tab;   /* refilled for points whose w differs from the plan's */
    size_t bad;               /* first failing point this lane saw, (size_t)-1 if none */
    nmrc_status bad_st;
} map_lane;

struct nmrc_map_ws {
    size_t n_times;           /* time-table size of the plan it was made for */
    int n_lanes;              /* OpenMP team size of execute */
    map_lane *lane;
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

nmrc_status nmrc_map_plan_create(const nmrc_grid *time, double w, nmrc_ctx *ctx,
                                 nmrc_map_plan **out)
{
    *out = NULL;
    nmrc_map_plan *p = calloc(1, sizeof *p);
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for a map plan");
    nmrc_status st = nmrc_charge_table_create(time, w, ctx, &p->tab);
    if (st != NMRC_OK) {
        free(p);
        return st;
    }
    p->time = *time;
    p->w = w;
    *out = p;
    return NMRC_OK;
}

void nmrc_map_plan_destroy(nmrc_map_plan *plan)
{
    if (!plan)
        return;
    nmrc_charge_table_destroy(plan->tab);
    free(plan);
}

nmrc_map_ws *nmrc_map_ws_create(const nmrc_map_plan *plan)
{
    nmrc_map_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n_times = plan->time.n;
    ws->n_lanes = max_threads();
    ws->lane = calloc((size_t)ws->n_lanes, sizeof *ws->lane);
    if (!ws->lane) {
        free(ws);
        return NULL;
    }
    for (int k = 0; k < ws->n_lanes; k++) {
        map_lane *l = &ws->lane[k];
        l->work = malloc(plan->time.n * sizeof(double));
        if (!l->work || nmrc_charge_table_create(&plan->time, plan->w, NULL, &l->tab) != NMRC_OK) {
            nmrc_map_ws_destroy(ws);
            return NULL;
        }
    }
    return ws;
}

void nmrc_map_ws_destroy(nmrc_map_ws *ws)
{
    if (!ws)
        return;
    for (int k = 0; ws->lane && k < ws->n_lanes; k++) {
        free(ws->lane[k].work);
        nmrc_charge_table_destroy(ws->lane[k].tab);
    }
    free(ws->lane);
    free(ws);
}

/* The table for strength w: the plan's (read only), or the lane's own
** refilled. */
static const nmrc_charge_table *table_for(const nmrc_map_plan *plan, map_lane *l, double w)
{
    if (w == plan->w)
        return plan->tab;
    nmrc_charge_table_refill(l->tab, &plan->time, w);
    return l->tab;
}

/* One point: returns its status (detail in ctx only for the first error). */
static NMRC_NODISCARD nmrc_status map_point(const nmrc_map_plan *plan, map_lane *l,
                                            const nmrc_charge_point *pt, nmrc_charge_max *out)
{
    nmrc_charge_coef c;
    nmrc_status st = nmrc_charge_prepare(pt->H, pt->temperature, pt->strength, pt->phase, NULL, &c);
    if (st != NMRC_OK) {
        out->ergotropy_max = out->t_ergotropy_max = out->antiergotropy_min = NAN;
        out->capacity = out->coherence_max = NAN;
        return st;
    }
    nmrc_charge_extrema(table_for(plan, l, pt->strength), l->work, &c, out);
    return NMRC_OK;
}

/* Runs points [0, n) on the lanes of ws (one per OpenMP thread); each lane
** records the first point it saw fail. */
static void map_run(const nmrc_map_plan *plan, nmrc_map_ws *ws, const nmrc_charge_point *pts,
                    size_t n, nmrc_map_progress_fn progress, void *user, nmrc_charge_max *out)
{
    size_t done = 0;
    for (int k = 0; k < ws->n_lanes; k++) {
        ws->lane[k].bad = (size_t)-1;
        ws->lane[k].bad_st = NMRC_OK;
    }
NMRC_OMP(omp parallel num_threads(ws->n_lanes))
    {
        int id = thread_id();
        NMRC_ASSERT(id >= 0 && id < ws->n_lanes); /* num_threads never gives more */
        map_lane *l = &ws->lane[id];
NMRC_OMP(omp for schedule(dynamic, 64))
        for (size_t k = 0; k < n; k++) {
            nmrc_status st = map_point(plan, l, &pts[k], &out[k]);
            if (st != NMRC_OK && k < l->bad) {
                l->bad = k;
                l->bad_st = st;
            }
            if (progress && (k & 255) == 255) {
                size_t d;
NMRC_OMP(omp atomic capture)
                d = done += 256;
                if (id == 0)
                    progress(d < n ? d : n, n, user);
            }
        }
    }
}

nmrc_status nmrc_map_execute(const nmrc_map_plan *plan, nmrc_map_ws *ws,
                             const nmrc_charge_point *pts, size_t n,
                             nmrc_map_progress_fn progress, void *user, nmrc_ctx *ctx,
                             nmrc_charge_max *out)
{
    if (ws->n_times != plan->time.n)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "map: workspace made for a %zu-point time "
                              "grid, plan has %zu", ws->n_times, plan->time.n);
    map_run(plan, ws, pts, n, progress, user, out);
    if (progress)
        progress(n, n, user);
    size_t bad = (size_t)-1;
    nmrc_status bad_st = NMRC_OK;
    for (int k = 0; k < ws->n_lanes; k++)
        if (ws->lane[k].bad < bad) {
            bad = ws->lane[k].bad;
            bad_st = ws->lane[k].bad_st;
        }
    if (bad_st != NMRC_OK) {
        nmrc_charge_coef c;
        char msg[512];
        nmrc_status again = nmrc_charge_prepare(pts[bad].H, pts[bad].temperature,
                                                pts[bad].strength, pts[bad].phase, ctx, &c);
        snprintf(msg, sizeof msg, "%s",
                 again != NMRC_OK ? nmrc_ctx_errmsg(ctx) : nmrc_strerror(bad_st));
        return nmrc_ctx_error(ctx, bad_st, "map point %zu: %s", bad, msg);
    }
    return NMRC_OK;
}
