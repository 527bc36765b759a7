/*
** cmd_thermal.c: the `nmrc thermal` command, quantum resources of the Gibbs
** state against temperature (or any swept parameter; the paper's Fig. 4)
** from nmrc_run_thermal: l1 coherence in the computational basis, discord
** and concurrence of a spin pair, energy and von Neumann entropy, as CSV.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

const char nmrc_cli_help_thermal[] =
    "usage: nmrc thermal FILE.spin --sweep T=START:STOP:N [--pair I,J]\n"
    "                    [--set NAME=VALUE]... [--csv PATH]\n"
    "\n"
    "Gibbs-state resources against a swept parameter, normally the temperature T.\n"
    "CSV columns:\n"
    "  T,coherence,discord,concurrence,energy,entropy\n"
    "(the first header is the swept parameter's name).  coherence is the l1 norm in\n"
    "the computational basis (the paper's Fig. 4) of the whole state; discord (bits,\n"
    "measurement on the first spin of the pair, optimized over the Bloch sphere)\n"
    "and concurrence are those of the pair's reduced state; energy is Tr(rho H) and\n"
    "entropy the von Neumann entropy in bits.  If the spec has no parameter T,\n"
    "--sweep T=... sets the spec's temperature directly.\n"
    "\n"
    "options:\n"
    "  --sweep NAME=START:STOP:N  the swept parameter (exactly one)\n"
    "  --pair I,J                 spins of the two-spin measures (default 0,1)\n"
    "  --set NAME=VALUE           override a spec parameter (repeatable)\n"
    "  --csv PATH                 write the CSV to PATH (default '-' = stdout)\n"
    "\n"
    "example:\n"
    "  nmrc thermal examples/battery.spin --sweep T=0.01:4:200 --set B=0.1 --csv -\n";

/* Columns of the CSV after the swept parameter. */
static const char *const COLS[5] = {"coherence", "discord", "concurrence", "energy", "entropy"};

static void summary(const nmrc_run_sweep *sw, double *const col[6])
{
    fprintf(stderr, "thermal: %zu values of %s over %g..%g\n", sw->n, sw->name, sw->start,
            sw->stop);
    for (int q = 0; q < 3; q++) {
        size_t k = nmrc_cli_argmax(col[q + 1], sw->n);
        fprintf(stderr, "  %-12s max %.6g at %s = %.6g\n", COLS[q], col[q + 1][k], sw->name,
                col[0][k]);
    }
}

/* Computes the sweep and writes it to out; prints and returns 1 on failure. */
static int run(const nmrc_simcli_args *a, const nmrc_run_input *in, nmrc_cli_out *out)
{
    const nmrc_run_sweep *sw = &a->sweeps[0].sw;
    double *buf = calloc(6 * sw->n, sizeof *buf), *col[6];
    nmrc_ctx *ctx = nmrc_ctx_create();
    int rc = 1;
    for (int q = 0; q < 6; q++)
        col[q] = buf ? buf + (size_t)q * sw->n : NULL;
    fprintf(out->fp, "%s,%s,%s,%s,%s,%s\n", sw->name, COLS[0], COLS[1], COLS[2], COLS[3],
            COLS[4]);
    nmrc_status st = buf && ctx ? nmrc_run_thermal(in, sw, nmrc_simcli_pair(a),
                                                   nmrc_cli_progress_fn, NULL, ctx, col[0],
                                                   col[1], col[2], col[3], col[4], col[5])
                                : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        nmrc_cli_fail(a->cmd, st, ctx);
    } else {
        for (size_t k = 0; k < sw->n; k++)
            for (int q = 0; q < 6; q++)
                nmrc_cli_num(out->fp, col[q][k], q == 5);
        summary(sw, col);
        rc = 0;
    }
    nmrc_ctx_destroy(ctx);
    free(buf);
    return rc;
}

int nmrc_cli_thermal(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_thermal))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_SWEEP | NMRC_SIMCLI_PAIR, &a))
        return 2;
    if (a.n_sweeps != 1) {
        fprintf(stderr, "nmrc thermal: needs exactly one --sweep NAME=START:STOP:N\n");
        return 2;
    }
    nmrc_run_input *in = nmrc_simcli_load(&a, NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_cli_out out;
    int rc = 1;
    if (in && nmrc_cli_out_open(&out, a.csv) == 0) {
        rc = run(&a, in, &out);
        if (rc == 0)
            rc = nmrc_cli_out_commit(&out);
        else
            nmrc_cli_out_abort(&out);
    }
    nmrc_run_input_destroy(in);
    return rc;
}
