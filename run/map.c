/*
** map.c: time-optimized battery maps (`nmrc map`, the paper's Figs.
** 10-12).  Resolves the spec at every point of a two-parameter grid, in
** parallel (each thread parses its own copy of the spec: the front end
** keeps no global state), then maximizes over the charging times of all
** points with the Fourier kernel (nmrc_map_execute).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/battery.h"
#include "nmrc/sim.h"
#include "run_impl.h"
#ifdef _OPENMP
#include <omp.h>
#define NMRC_RUN_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define NMRC_RUN_OMP(...)
#endif

static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static int same_grid(const nmrc_grid *a, const nmrc_grid *b)
{
    return a->start == b->start && a->stop == b->stop && a->n == b->n;
}

/* Fills pt from model m; grid0 (NULL for the first point) is the time grid
** every point must share. */
static NMRC_NODISCARD nmrc_status point_from_model(const nmrc_run_input *in, const nmrc_model *m,
                                                   nmrc_charge_point *pt, const nmrc_grid *grid0,
                                                   nmrc_ctx *ctx)
{
    if (m->n_spins != 2 || !m->has_charge || m->init.kind != NMRC_INIT_GIBBS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "needs a two-spin spec with a charge block and "
                              "a Gibbs initial state (%s)", in->path);
    if (grid0 && !same_grid(grid0, &m->charge.time))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the charging time grid must not change across "
                              "the map");
    nmrc_cmat Hv = nmrc_cmat_view(pt->H, 4, 4, 4);
    nmrc_status st = nmrc_sim_hamiltonian(m, ctx, &Hv);
    if (st != NMRC_OK)
        return nmrc_run_fail_(ctx, st, "Hamiltonian");
    pt->temperature = m->temperature;
    pt->strength = m->charge.strength;
    pt->phase = m->charge.phase;
    return NMRC_OK;
}

typedef struct map_job {
    const nmrc_run_input *in;
    const nmrc_run_sweep *x, *y;
    nmrc_charge_point *pts;
    nmrc_run_progress_fn progress;
    void *user;
} map_job;

/* Resolves spec at grid point k into pts[k]; the model is kept in *keep
** when keep is not NULL. */
static NMRC_NODISCARD nmrc_status resolve_point(const map_job *j, nmrc_spec *spec, size_t k,
                                                const nmrc_grid *grid0, nmrc_ctx *ctx,
                                                nmrc_model **keep)
{
    size_t i = k / j->y->n, l = k % j->y->n;
    nmrc_status st = nmrc_spec_set(spec, j->x->name, nmrc_run_sweep_value(j->x, i), ctx);
    if (st == NMRC_OK)
        st = nmrc_spec_set(spec, j->y->name, nmrc_run_sweep_value(j->y, l), ctx);
    if (st != NMRC_OK)
        return nmrc_run_fail_(ctx, st, "--sweep");
    nmrc_model *m = NULL;
    if ((st = nmrc_run_resolve_spec_(spec, ctx, &m)) == NMRC_OK)
        st = point_from_model(j->in, m, &j->pts[k], grid0, ctx);
    if (keep && st == NMRC_OK)
        *keep = m;
    else
        nmrc_model_destroy(m);
    return st;
}

/* Resolves the points 1..n-1 in parallel; the first failure's message goes
** to ctx. */
static NMRC_NODISCARD nmrc_status resolve_rest(const map_job *j, const nmrc_grid *grid, size_t n,
                                               nmrc_ctx *ctx)
{
    int bad = 0;
    size_t done = 0;
    nmrc_status first = NMRC_OK;
    NMRC_RUN_OMP(omp parallel)
    {
        nmrc_ctx *tctx = nmrc_ctx_create();
        nmrc_spec *own = NULL;
        nmrc_status ok = tctx ? nmrc_run_spec_copy_(j->in, tctx, &own) : NMRC_ENOMEM;
        NMRC_RUN_OMP(omp for schedule(dynamic, 256))
        for (size_t k = 1; k < n; k++) {
            int stop;
            NMRC_RUN_OMP(omp atomic read)
            stop = bad;
            if (stop)
                continue;
            nmrc_status st = ok != NMRC_OK ? ok : resolve_point(j, own, k, grid, tctx, NULL);
            if (st != NMRC_OK) {
                int was;
                NMRC_RUN_OMP(omp atomic capture)
                {
                    was = bad;
                    bad = 1;
                }
                if (!was) { /* the first failure is reported */
                    first = st;
                    nmrc_ctx_error(ctx, st, "%s", tctx ? nmrc_ctx_errmsg(tctx) : "out of memory");
                }
            }
            size_t d;
            NMRC_RUN_OMP(omp atomic capture)
            d = ++done;
            if (thread_id() == 0 && j->progress)
                j->progress(d, 2 * n, j->user); /* first half: resolving */
        }
        nmrc_spec_destroy(own);
        nmrc_ctx_destroy(tctx);
    }
    return first;
}

/* The second half of the progress: the time loops of all points. */
static void exec_progress(size_t done, size_t total, void *user)
{
    const map_job *j = user;
    j->progress(total + done, 2 * total, j->user);
}

nmrc_status nmrc_run_map(const nmrc_run_input *in, const nmrc_run_sweep *x,
                         const nmrc_run_sweep *y, nmrc_run_progress_fn progress, void *user,
                         nmrc_ctx *ctx, nmrc_charge_max *out, nmrc_run_map_info *info)
{
    nmrc_ctx_clear(ctx);
    memset(info, 0, sizeof *info);
    if (!x->name || !y->name || x->n < 1 || y->n < 1 || !strcmp(x->name, y->name))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "map: two sweeps over different parameters");
    size_t n = x->n * y->n;
    nmrc_charge_point *pts = malloc(n * sizeof *pts);
    map_job j = {in, x, y, pts, progress, user};
    nmrc_spec *spec = NULL;
    nmrc_model *m0 = NULL;
    nmrc_map_plan *plan = NULL;
    nmrc_map_ws *ws = NULL;
    nmrc_grid grid;
    nmrc_status st = pts ? nmrc_run_spec_copy_(in, ctx, &spec)
                         : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for %zu points", n);
    if (st == NMRC_OK)
        st = resolve_point(&j, spec, 0, NULL, ctx, &m0);
    if (st == NMRC_OK) {
        grid = m0->charge.time;
        double w = m0->charge.strength;
        if ((st = resolve_rest(&j, &grid, n, ctx)) == NMRC_OK) {
            st = nmrc_map_plan_create(&grid, w, ctx, &plan);
            if (st == NMRC_OK && !(ws = nmrc_map_ws_create(plan)))
                st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for the map workspace");
            if (st == NMRC_OK)
                st = nmrc_map_execute(plan, ws, pts, n, progress ? exec_progress : NULL, &j, ctx,
                                      out);
            if (st != NMRC_OK)
                nmrc_run_fail_(ctx, st, "map");
        }
        info->n_points = n, info->n_times = grid.n;
    }
    nmrc_map_ws_destroy(ws);
    nmrc_map_plan_destroy(plan);
    nmrc_model_destroy(m0);
    nmrc_spec_destroy(spec);
    free(pts);
    return st;
}
