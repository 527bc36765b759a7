/*
** cmd_state.c: the `nmrc state` command: the density matrix of the spec's
** initial state (normally Gibbs), or after charging (spec with a charge
** block) or Lindblad evolution (otherwise) to --at t=VALUE (nmrc_run_state),
** as CSV row,col,re,im, with its metrics summarized on stderr.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

const char nmrc_cli_help_state[] =
    "usage: nmrc state FILE.spin [--at t=VALUE] [--pair I,J] [--set NAME=VALUE]...\n"
    "                  [--csv PATH]\n"
    "\n"
    "Writes a density matrix as CSV with the columns row,col,re,im (0-based indices,\n"
    "computational basis |00..>, |00..1>, ..., spin 0 the most significant bit):\n"
    "without --at the spec's initial state (its Gibbs state unless an initial line\n"
    "says otherwise); with --at t=VALUE that state charged to omega*t = VALUE if the\n"
    "spec has a charge block, else evolved to t by the Lindblad equation with its\n"
    "noise channels.  stderr gets the state's metrics: trace, purity, entropy,\n"
    "energy, l1 coherence (computational and energy basis), ergotropy,\n"
    "anti-ergotropy, capacity, and the pair's concurrence, discord and mutual\n"
    "information.\n"
    "\n"
    "options:\n"
    "  --at t=VALUE      time (omega*t) of the state\n"
    "  --pair I,J        spins of the two-spin measures (default 0,1)\n"
    "  --set NAME=VALUE  override a spec parameter (repeatable)\n"
    "  --csv PATH        write the CSV to PATH (default '-' = stdout)\n"
    "\n"
    "example:\n"
    "  nmrc state examples/battery.spin --at t=0.785398 --set B=2 --csv -\n";

static int write_matrix(const nmrc_simcli_args *a, const nmrc_cplx *rho, size_t d)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, a->csv))
        return 1;
    fputs("row,col,re,im\n", out.fp);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++) {
            nmrc_cplx z = rho[i + j * d];
            fprintf(out.fp, "%zu,%zu,", i, j);
            nmrc_cli_num(out.fp, creal(z), 0);
            nmrc_cli_num(out.fp, cimag(z), 1);
        }
    return nmrc_cli_out_commit(&out);
}

/* Prints the state's figures on stderr. */
static void summary(const nmrc_model *m, const nmrc_run_state_info *f, size_t d)
{
    char what[128];
    if (f->kind == NMRC_RUN_STATE_INITIAL)
        snprintf(what, sizeof what, "initial state (%s)",
                 f->initial_gibbs ? "Gibbs" : "from the spec");
    else if (f->kind == NMRC_RUN_STATE_CHARGED)
        snprintf(what, sizeof what, "charged to wt = %g", f->t);
    else
        snprintf(what, sizeof what, "Lindblad evolution to t = %g", f->t);
    fprintf(stderr, "state: %s (%zu spins, dimension %zu)\n", what, m->n_spins, d);
    fprintf(stderr, "  trace %.12g, purity %.8g, entropy %.8g bits\n", f->trace, f->purity,
            f->entropy);
    fprintf(stderr, "  energy %.8g, ergotropy %.8g, anti-ergotropy %.8g, capacity %.8g\n",
            f->battery.energy, f->battery.ergotropy, f->battery.antiergotropy,
            f->battery.capacity);
    fprintf(stderr, "  l1 coherence: computational basis %.8g, energy basis %.8g\n", f->coherence,
            f->battery.coherence);
    if (f->has_pair)
        fprintf(stderr, "  pair (%zu,%zu): concurrence %.8g, discord %.8g bits, mutual "
                        "information %.8g bits\n", f->pair_i, f->pair_j, f->concurrence,
                f->discord, f->mutual_info);
}

int nmrc_cli_state(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_state))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_AT | NMRC_SIMCLI_PAIR, &a))
        return 2;
    nmrc_run_input *in = nmrc_simcli_load(&a, 0);
    const nmrc_model *m = in ? nmrc_run_input_model(in) : NULL;
    size_t d = m ? nmrc_run_model_dim(m) : 0;
    nmrc_cplx *rho = d ? malloc(d * d * sizeof *rho) : NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_state_info info;
    int rc = 1;
    if (m && (!rho || !ctx))
        fprintf(stderr, "nmrc state: out of memory\n");
    if (rho && ctx) {
        nmrc_status st = nmrc_run_state(m, a.has_at, a.at, nmrc_simcli_pair(&a), ctx, rho, &info);
        if (st != NMRC_OK)
            nmrc_cli_fail(a.cmd, st, ctx);
        else if (write_matrix(&a, rho, d) == 0) {
            summary(m, &info, d);
            rc = 0;
        }
    }
    nmrc_ctx_destroy(ctx);
    free(rho);
    nmrc_run_input_destroy(in);
    return rc;
}
