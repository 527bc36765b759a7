/*
** cmd_state.c: the `nmrc state` command: the density matrix of the spec's
** initial state (normally Gibbs), or after charging (spec with a charge
** block) or Lindblad evolution (otherwise) to --at t=VALUE, as CSV
** row,col,re,im, with its metrics summarized on stderr.
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

/* rho = the Lindblad-evolved rho0 at time t. */
static int lindblad_to(const nmrc_simcli_args *a, const nmrc_model *m, const nmrc_cmat *rho0,
                       double t, nmrc_cmat *rho)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_lindblad_plan *plan = NULL;
    nmrc_lindblad_ws *ws = NULL;
    nmrc_status st = ctx ? nmrc_lindblad_plan_from_model(m, NULL, ctx, &plan) : NMRC_ENOMEM;
    if (st == NMRC_OK && !(ws = nmrc_lindblad_ws_create(plan)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_lindblad_execute(plan, ws, rho0, &t, 1, ctx, rho);
    if (st != NMRC_OK)
        nmrc_simcli_fail(a, "Lindblad evolution", ctx, st);
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    return st != NMRC_OK;
}

static int write_matrix(const nmrc_simcli_args *a, const nmrc_cmat *rho)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, a->csv))
        return 1;
    fputs("row,col,re,im\n", out.fp);
    for (size_t i = 0; i < rho->n1; i++)
        for (size_t j = 0; j < rho->n2; j++) {
            nmrc_cplx z = NMRC_CMAT_AT(rho, i, j);
            fprintf(out.fp, "%zu,%zu,", i, j);
            nmrc_simcli_num(out.fp, creal(z), 0);
            nmrc_simcli_num(out.fp, cimag(z), 1);
        }
    return nmrc_cli_out_commit(&out);
}

/* Prints the metrics of rho on stderr. */
static int summary(const nmrc_simcli_args *a, const nmrc_model *m, const nmrc_cmat *H,
                   const nmrc_cmat *rho, const char *what)
{
    size_t d = H->n1, pi, pj;
    nmrc_metrics_ws *mws = nmrc_metrics_ws_create(m->n_spins), *pws = nmrc_metrics_ws_create(2);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
    nmrc_cmat *V = nmrc_cmat_create(d, d), *pair = nmrc_cmat_create(4, 4);
    double *E = malloc(d * sizeof *E), pur = 0, ent = 0, coh = 0, conc = 0;
    nmrc_battery_figs f;
    nmrc_discord_result disc;
    nmrc_status st = NMRC_ENOMEM;
    int rc = 1;
    if (!mws || !pws || !ews || !V || !pair || !E)
        goto out;
    if ((st = nmrc_cmat_copy(V, H)) != NMRC_OK || (st = nmrc_eigh(V, E, ews)) != NMRC_OK ||
        (st = nmrc_metrics_battery(mws, rho, E, V, &f)) != NMRC_OK ||
        (st = nmrc_metrics_purity(rho, &pur)) != NMRC_OK ||
        (st = nmrc_metrics_entropy(mws, rho, &ent)) != NMRC_OK ||
        (st = nmrc_metrics_coherence(rho, &coh)) != NMRC_OK)
        goto out;
    fprintf(stderr, "state: %s (%zu spins, dimension %zu)\n", what, m->n_spins, d);
    fprintf(stderr, "  trace %.12g, purity %.8g, entropy %.8g bits\n",
            creal(nmrc_cmat_trace(rho)), pur, ent / log(2.0));
    fprintf(stderr, "  energy %.8g, ergotropy %.8g, anti-ergotropy %.8g, capacity %.8g\n",
            f.energy, f.ergotropy, f.antiergotropy, f.capacity);
    fprintf(stderr, "  l1 coherence: computational basis %.8g, energy basis %.8g\n", coh,
            f.coherence);
    if (m->n_spins >= 2) {
        if (nmrc_simcli_pair(a, m, &pi, &pj))
            goto quiet;
        if ((st = nmrc_metrics_reduce_pair(rho, m->n_spins, pi, pj, pair)) != NMRC_OK ||
            (st = nmrc_metrics_concurrence(pws, pair, &conc)) != NMRC_OK ||
            (st = nmrc_metrics_discord_full(pws, pair, &disc)) != NMRC_OK)
            goto out;
        fprintf(stderr, "  pair (%zu,%zu): concurrence %.8g, discord %.8g bits, mutual "
                        "information %.8g bits\n", pi, pj, conc, disc.discord, disc.mutual_info);
    }
    rc = 0;
    goto quiet;
out:
    nmrc_simcli_fail(a, "metrics", NULL, st);
quiet:
    nmrc_metrics_ws_destroy(mws), nmrc_metrics_ws_destroy(pws);
    nmrc_eigh_ws_destroy(ews);
    nmrc_cmat_destroy(V), nmrc_cmat_destroy(pair);
    free(E);
    return rc;
}

static int run(const nmrc_simcli_args *a, const nmrc_model *m, const nmrc_cmat *H)
{
    size_t d = H->n1;
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), *rho = nmrc_cmat_create(d, d);
    char what[128];
    int rc = 1;
    if (!rho0 || !rho || nmrc_simcli_initial_state(m, H, rho0))
        goto out;
    if (!a->has_at) {
        if (nmrc_cmat_copy(rho, rho0) != NMRC_OK)
            goto out;
        snprintf(what, sizeof what, "initial state (%s)",
                 m->init.kind == NMRC_INIT_GIBBS ? "Gibbs" : "from the spec");
    } else if (m->has_charge) {
        if (nmrc_simcli_charge(m, rho0, a->at, rho))
            goto out;
        snprintf(what, sizeof what, "charged to wt = %g", a->at);
    } else {
        if (a->at < 0) {
            fprintf(stderr, "nmrc state: --at needs t >= 0 for Lindblad evolution\n");
            goto out;
        }
        if (lindblad_to(a, m, rho0, a->at, rho))
            goto out;
        snprintf(what, sizeof what, "Lindblad evolution to t = %g", a->at);
    }
    if (write_matrix(a, rho) == 0)
        rc = summary(a, m, H, rho, what);
out:
    nmrc_cmat_destroy(rho0), nmrc_cmat_destroy(rho);
    return rc;
}

int nmrc_cli_state(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_state))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_AT | NMRC_SIMCLI_PAIR, &a))
        return 2;
    nmrc_spec *spec = nmrc_simcli_spec(&a);
    nmrc_model *m = spec ? nmrc_simcli_model(spec) : NULL;
    nmrc_cmat *H = m ? nmrc_simcli_hamiltonian(m) : NULL;
    int rc = H ? run(&a, m, H) : 1;
    nmrc_cmat_destroy(H);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    return rc;
}
