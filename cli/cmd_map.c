/*
** cmd_map.c: the `nmrc map` command, time-optimized battery maps (the
** paper's Figs. 10-12).  Resolves the spec at every grid point of two
** --sweep parameters, then maximizes over the charging times of all points
** in parallel with the Fourier kernel (nmrc_map_execute).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"
#ifdef _OPENMP
#include <omp.h>
#define NMRC_CLI_OMP(...) _Pragma(#__VA_ARGS__)
#else
#define NMRC_CLI_OMP(...)
#endif

static int thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

const char nmrc_cli_help_map[] =
    "usage: nmrc map FILE.spin --sweep X=START:STOP:N --sweep Y=START:STOP:N\n"
    "                [--set NAME=VALUE]... [--csv PATH]\n"
    "\n"
    "For every point of the X x Y grid of spec parameters, charges the two-spin\n"
    "Gibbs state over the charge block's times and writes one CSV row\n"
    "  X,Y,ergotropy_max,t_ergotropy_max,antiergotropy_min,capacity,coherence_max\n"
    "where the first two column headers are the swept parameters' names (e.g.\n"
    "D,G).  Rows run over Y fastest.  t_ergotropy_max is the first omega*t of the\n"
    "maximum; coherence is the l1 norm in the energy eigenbasis.  Runs on all\n"
    "OpenMP threads (OMP_NUM_THREADS).  At most 1e7 grid points.\n"
    "\n"
    "options:\n"
    "  --sweep NAME=START:STOP:N  a swept parameter (exactly two)\n"
    "  --set NAME=VALUE           override a spec parameter (repeatable)\n"
    "  --csv PATH                 write the CSV to PATH (default '-' = stdout)\n"
    "\n"
    "example:\n"
    "  nmrc map examples/battery.spin --sweep D=-10:10:201 --sweep G=-10:10:201 \\\n"
    "       --set Delta=-1 --set eps=0.5 --set T=1 --csv out.csv\n";

static int same_grid(const nmrc_grid *a, const nmrc_grid *b)
{
    return a->start == b->start && a->stop == b->stop && a->n == b->n;
}

/* Fills pt from model m; the first model fixes the time grid and strength. */
static int point_from_model(const nmrc_simcli_args *a, const nmrc_model *m, nmrc_charge_point *pt,
                            const nmrc_grid *grid0)
{
    if (m->n_spins != 2 || !m->has_charge || m->init.kind != NMRC_INIT_GIBBS) {
        fprintf(stderr, "nmrc map: needs a two-spin spec with a charge block and a Gibbs "
                        "initial state (%s)\n", a->file);
        return 1;
    }
    if (grid0 && !same_grid(grid0, &m->charge.time)) {
        fprintf(stderr, "nmrc map: the charging time grid must not change across the map\n");
        return 1;
    }
    nmrc_cmat Hv = nmrc_cmat_view(pt->H, 4, 4, 4);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = ctx ? nmrc_sim_hamiltonian(m, ctx, &Hv) : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        nmrc_simcli_fail(a, "Hamiltonian", ctx, st);
        nmrc_ctx_destroy(ctx);
        return 1;
    }
    nmrc_ctx_destroy(ctx);
    pt->temperature = m->temperature;
    pt->strength = m->charge.strength;
    pt->phase = m->charge.phase;
    return 0;
}

/* Resolves `spec` at grid point k into pts[k]; grid0 (NULL for the first
** point) is the time grid every point must share.  Returns nonzero after
** printing. */
static int resolve_point(const nmrc_simcli_args *a, nmrc_spec *spec, nmrc_ctx *ctx, size_t k,
                         nmrc_charge_point *pts, const nmrc_grid *grid0, nmrc_model **keep)
{
    const nmrc_cli_sweep *sx = &a->sweeps[0], *sy = &a->sweeps[1];
    size_t i = k / sy->n, j = k % sy->n;
    nmrc_status st = nmrc_spec_set(spec, sx->name, nmrc_cli_sweep_value(sx, i), ctx);
    if (st == NMRC_OK)
        st = nmrc_spec_set(spec, sy->name, nmrc_cli_sweep_value(sy, j), ctx);
    if (st != NMRC_OK)
        return nmrc_simcli_fail(a, "--sweep", ctx, st);
    nmrc_model *m = nmrc_simcli_model(spec);
    int rc = !m || point_from_model(a, m, &pts[k], grid0);
    if (keep && !rc)
        *keep = m;
    else
        nmrc_model_destroy(m);
    return rc;
}

/* Resolves the spec at every grid point into pts (X outer, Y inner), in
** parallel: each thread parses its own copy of the spec (the front end
** keeps no global state).  The first point's grid and strength go to
** *grid, *w. */
static int build_points(const nmrc_simcli_args *a, nmrc_spec *spec, nmrc_charge_point *pts,
                        nmrc_grid *grid, double *w)
{
    size_t n = a->sweeps[0].n * a->sweeps[1].n, done = 0;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_model *m0 = NULL;
    int bad = !ctx || resolve_point(a, spec, ctx, 0, pts, NULL, &m0);
    nmrc_ctx_destroy(ctx);
    if (bad)
        return 1;
    *grid = m0->charge.time, *w = m0->charge.strength;
    nmrc_model_destroy(m0);
    NMRC_CLI_OMP(omp parallel)
    {
        nmrc_spec *own = nmrc_simcli_spec(a);
        nmrc_ctx *tctx = nmrc_ctx_create();
        int ok = own && tctx;
        NMRC_CLI_OMP(omp for schedule(dynamic, 256))
        for (size_t k = 1; k < n; k++) {
            int stop;
            NMRC_CLI_OMP(omp atomic read)
            stop = bad;
            if (stop)
                continue;
            if (!ok || resolve_point(a, own, tctx, k, pts, grid, NULL)) {
                NMRC_CLI_OMP(omp atomic write)
                bad = 1;
            }
            size_t d;
            NMRC_CLI_OMP(omp atomic capture)
            d = ++done;
            if (thread_id() == 0)
                nmrc_cli_progress(d, 2 * n); /* first half: resolving */
        }
        nmrc_ctx_destroy(tctx);
        nmrc_spec_destroy(own);
    }
    return bad;
}

/* Second half of the progress bar: the time loops of all points. */
static void progress(size_t done, size_t total, void *user)
{
    (void)user;
    nmrc_cli_progress(total + done, 2 * total);
}

static int write_map(const nmrc_simcli_args *a, const nmrc_charge_max *res)
{
    const nmrc_cli_sweep *sx = &a->sweeps[0], *sy = &a->sweeps[1];
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, a->csv))
        return 1;
    fprintf(out.fp, "%s,%s,ergotropy_max,t_ergotropy_max,antiergotropy_min,capacity,"
                    "coherence_max\n", sx->name, sy->name);
    for (size_t i = 0; i < sx->n; i++)
        for (size_t j = 0; j < sy->n; j++) {
            const nmrc_charge_max *r = &res[i * sy->n + j];
            nmrc_simcli_num(out.fp, nmrc_cli_sweep_value(sx, i), 0);
            nmrc_simcli_num(out.fp, nmrc_cli_sweep_value(sy, j), 0);
            nmrc_simcli_num(out.fp, r->ergotropy_max, 0);
            nmrc_simcli_num(out.fp, r->t_ergotropy_max, 0);
            nmrc_simcli_num(out.fp, r->antiergotropy_min, 0);
            nmrc_simcli_num(out.fp, r->capacity, 0);
            nmrc_simcli_num(out.fp, r->coherence_max, 1);
        }
    return nmrc_cli_out_commit(&out);
}

static void summary(const nmrc_simcli_args *a, const nmrc_charge_max *r, size_t n, size_t nt)
{
    double e = -INFINITY, p = INFINITY, p2 = -INFINITY, q = -INFINITY, q0 = INFINITY,
           c = -INFINITY, c0 = INFINITY;
    for (size_t k = 0; k < n; k++) {
        e = fmax(e, r[k].ergotropy_max);
        p = fmin(p, r[k].antiergotropy_min), p2 = fmax(p2, r[k].antiergotropy_min);
        q = fmax(q, r[k].capacity), q0 = fmin(q0, r[k].capacity);
        c = fmax(c, r[k].coherence_max), c0 = fmin(c0, r[k].coherence_max);
    }
    fprintf(stderr, "map: %s x %s = %zu x %zu points, %zu charging times each\n",
            a->sweeps[0].name, a->sweeps[1].name, a->sweeps[0].n, a->sweeps[1].n, nt);
    fprintf(stderr, "  ergotropy_max      up to %.6g\n", e);
    fprintf(stderr, "  antiergotropy_min  %.6g .. %.6g\n", p, p2);
    fprintf(stderr, "  capacity           %.6g .. %.6g\n", q0, q);
    fprintf(stderr, "  coherence_max      %.6g .. %.6g\n", c0, c);
}

static int run_map(const nmrc_simcli_args *a, nmrc_spec *spec)
{
    size_t n = a->sweeps[0].n * a->sweeps[1].n;
    nmrc_charge_point *pts = malloc(n * sizeof *pts);
    nmrc_charge_max *res = malloc(n * sizeof *res);
    nmrc_map_plan *plan = NULL;
    nmrc_map_ws *ws = NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_grid grid;
    double w = 0;
    int rc = 1;
    if (!pts || !res || !ctx) {
        fprintf(stderr, "nmrc map: out of memory for %zu points\n", n);
        goto out;
    }
    if (build_points(a, spec, pts, &grid, &w))
        goto out;
    nmrc_status st = nmrc_map_plan_create(&grid, w, ctx, &plan);
    if (st == NMRC_OK && !(ws = nmrc_map_ws_create(plan)))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory for the map workspace");
    if (st == NMRC_OK)
        st = nmrc_map_execute(plan, ws, pts, n, progress, NULL, ctx, res);
    if (st != NMRC_OK) {
        nmrc_simcli_fail(a, "map", ctx, st);
        goto out;
    }
    if (write_map(a, res) == 0) {
        summary(a, res, n, grid.n);
        rc = 0;
    }
out:
    nmrc_map_ws_destroy(ws);
    nmrc_map_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    free(pts);
    free(res);
    return rc;
}

int nmrc_cli_map(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_map))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_SWEEP, &a))
        return 2;
    if (a.n_sweeps != 2 || !strcmp(a.sweeps[0].name, a.sweeps[1].name)) {
        fprintf(stderr, "nmrc map: needs two --sweep options over different parameters\n");
        return 2;
    }
    if (a.sweeps[0].n > (size_t)10000000 / a.sweeps[1].n) {
        fprintf(stderr, "nmrc map: grid too large (at most 1e7 points, about 3 GB)\n");
        return 2;
    }
    nmrc_spec *spec = nmrc_simcli_spec(&a);
    if (!spec)
        return 1;
    int rc = run_map(&a, spec);
    nmrc_spec_destroy(spec);
    return rc;
}
