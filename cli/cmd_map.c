/*
** cmd_map.c: the `nmrc map` command, time-optimized battery maps (the
** paper's Figs. 10-12): nmrc_run_map over the grid of two --sweep
** parameters, written as CSV with the ranges on stderr.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

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

static int write_map(const nmrc_simcli_args *a, const nmrc_charge_max *res)
{
    const nmrc_run_sweep *sx = &a->sweeps[0].sw, *sy = &a->sweeps[1].sw;
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, a->csv))
        return 1;
    fprintf(out.fp, "%s,%s,ergotropy_max,t_ergotropy_max,antiergotropy_min,capacity,"
                    "coherence_max\n", sx->name, sy->name);
    for (size_t i = 0; i < sx->n; i++)
        for (size_t j = 0; j < sy->n; j++) {
            const nmrc_charge_max *r = &res[i * sy->n + j];
            nmrc_cli_num(out.fp, nmrc_run_sweep_value(sx, i), 0);
            nmrc_cli_num(out.fp, nmrc_run_sweep_value(sy, j), 0);
            nmrc_cli_num(out.fp, r->ergotropy_max, 0);
            nmrc_cli_num(out.fp, r->t_ergotropy_max, 0);
            nmrc_cli_num(out.fp, r->antiergotropy_min, 0);
            nmrc_cli_num(out.fp, r->capacity, 0);
            nmrc_cli_num(out.fp, r->coherence_max, 1);
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
            a->sweeps[0].name, a->sweeps[1].name, a->sweeps[0].sw.n, a->sweeps[1].sw.n, nt);
    fprintf(stderr, "  ergotropy_max      up to %.6g\n", e);
    fprintf(stderr, "  antiergotropy_min  %.6g .. %.6g\n", p, p2);
    fprintf(stderr, "  capacity           %.6g .. %.6g\n", q0, q);
    fprintf(stderr, "  coherence_max      %.6g .. %.6g\n", c0, c);
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
    size_t nx = a.sweeps[0].sw.n, ny = a.sweeps[1].sw.n;
    if (nx > (size_t)10000000 / ny) {
        fprintf(stderr, "nmrc map: grid too large (at most 1e7 points, about 3 GB)\n");
        return 2;
    }
    nmrc_run_input *in = nmrc_simcli_load(&a, NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_charge_max *res = in ? malloc(nx * ny * sizeof *res) : NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_map_info info;
    int rc = 1;
    if (in && (!res || !ctx))
        fprintf(stderr, "nmrc map: out of memory for %zu points\n", nx * ny);
    if (res && ctx) {
        nmrc_status st = nmrc_run_map(in, &a.sweeps[0].sw, &a.sweeps[1].sw, nmrc_cli_progress_fn,
                                      NULL, ctx, res, &info);
        if (st != NMRC_OK)
            nmrc_cli_fail(a.cmd, st, ctx);
        else if (write_map(&a, res) == 0) {
            summary(&a, res, info.n_points, info.n_times);
            rc = 0;
        }
    }
    nmrc_ctx_destroy(ctx);
    free(res);
    nmrc_run_input_destroy(in);
    return rc;
}
