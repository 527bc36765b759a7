/*
** cmd_dephase.c: the `nmrc dephase` command, Lindblad dynamics of the spec's
** initial state under its target Hamiltonian and noise channels (the
** paper's Fig. 3; nmrc_run_dephase): l1 coherence and purity of the whole
** state, discord and concurrence of a spin pair at the evolve times, as CSV.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

const char nmrc_cli_help_dephase[] =
    "usage: nmrc dephase FILE.spin [--pair I,J] [--set NAME=VALUE]... [--csv PATH]\n"
    "\n"
    "Evolves the spec's initial state (initial ...; default its Gibbs state) with\n"
    "the Lindblad equation of its target Hamiltonian and noise { ... } channels,\n"
    "and writes at the evolve grid's times the CSV columns\n"
    "  t,coherence,discord,concurrence,purity\n"
    "coherence (l1, computational basis) and purity refer to the whole state;\n"
    "discord (bits) and concurrence to the reduced state of the pair --pair I,J\n"
    "(0-based indices or labels; default the first two spins).  Small systems\n"
    "(N <= 3) use exact Liouvillian propagators, larger ones an error-controlled\n"
    "matrix integrator (relative tolerance 1e-8).\n"
    "\n"
    "options:\n"
    "  --pair I,J        spins of the two-spin measures\n"
    "  --set NAME=VALUE  override a spec parameter (repeatable)\n"
    "  --csv PATH        write the CSV to PATH (default '-' = stdout)\n"
    "\n"
    "examples:\n"
    "  nmrc dephase examples/battery.spin --set gamma=0.2 --set eps=0.5 --csv -\n"
    "  nmrc dephase bench/chain8.spin --pair 3,4 --csv chain.csv\n";

static const char *const COLS[4] = {"coherence", "discord", "concurrence", "purity"};

static void summary(const nmrc_model *m, const nmrc_run_dephase_info *f, double *const col[5])
{
    fprintf(stderr, "dephase: %zu spins, %zu noise channels, %zu times over t = %g..%g (%s)\n",
            m->n_spins, m->n_noise, m->evolve.n, m->evolve.start, m->evolve.stop,
            f->exact ? "exact propagators" : "Taylor integrator");
    for (int q = 0; q < 4; q++) {
        size_t k = nmrc_cli_argmax(col[q + 1], f->n_times);
        fprintf(stderr, "  %-12s max %.6g at t = %.6g\n", COLS[q], col[q + 1][k], col[0][k]);
    }
}

/* Evolves and writes the CSV (opened before the evolution, as the run may be
** long); prints and returns 1 on failure. */
static int run(const nmrc_simcli_args *a, const nmrc_model *m)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_dephase_info info;
    nmrc_cli_out out;
    size_t n = 0;
    double *buf = NULL, *col[5] = {NULL};
    int rc = 1;
    size_t pi, pj;
    nmrc_status st = ctx ? nmrc_run_dephase_size(m, ctx, &n) : NMRC_ENOMEM;
    if (st == NMRC_OK) /* a bad --pair fails before the output is opened */
        st = nmrc_run_pair(m, nmrc_simcli_pair(a), ctx, &pi, &pj);
    if (st == NMRC_OK && !(buf = calloc(5 * n, sizeof *buf)))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    for (int q = 0; buf && q < 5; q++)
        col[q] = buf + (size_t)q * n;
    if (st != NMRC_OK) {
        nmrc_cli_fail(a->cmd, st, ctx);
    } else if (nmrc_cli_out_open(&out, a->csv) == 0) {
        st = nmrc_run_dephase(m, nmrc_simcli_pair(a), nmrc_cli_progress_fn, NULL, ctx, col[0],
                              col[1], col[2], col[3], col[4], &info);
        if (st == NMRC_OK) {
            fputs("t,coherence,discord,concurrence,purity\n", out.fp);
            for (size_t k = 0; k < n; k++)
                for (int q = 0; q < 5; q++)
                    nmrc_cli_num(out.fp, col[q][k], q == 4);
        }
        if (st != NMRC_OK) {
            nmrc_cli_fail(a->cmd, st, ctx);
            nmrc_cli_out_abort(&out);
        } else if (nmrc_cli_out_commit(&out) == 0) {
            summary(m, &info, col);
            rc = 0;
        }
    }
    free(buf);
    nmrc_ctx_destroy(ctx);
    return rc;
}

int nmrc_cli_dephase(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_dephase))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_PAIR, &a))
        return 2;
    nmrc_run_input *in = nmrc_simcli_load(&a, 0);
    int rc = in ? run(&a, nmrc_run_input_model(in)) : 1;
    nmrc_run_input_destroy(in);
    return rc;
}
