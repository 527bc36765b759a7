/*
** cmd_thermal.c: the `nmrc thermal` command, quantum resources of the Gibbs
** state against temperature (or any swept parameter; the paper's Fig. 4):
** l1 coherence in the computational basis, discord and concurrence of a
** spin pair, energy and von Neumann entropy.
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

/* Resources of one state: coherence, discord, concurrence, energy, entropy. */
typedef struct thermal_ws {
    nmrc_metrics_ws *mws, *pws;
    nmrc_cmat *rho, *pair;
} thermal_ws;

static int resources(const nmrc_simcli_args *a, const nmrc_model *m, thermal_ws *w, double r[5])
{
    nmrc_cmat *H = nmrc_simcli_hamiltonian(m);
    nmrc_ctx *ctx = nmrc_ctx_create();
    size_t pi, pj;
    int rc = 1;
    nmrc_status st = NMRC_ENOMEM;
    if (!H || !ctx || nmrc_simcli_pair(a, m, &pi, &pj))
        goto quiet;
    if ((st = nmrc_sim_gibbs(H, m->temperature, ctx, w->rho)) != NMRC_OK)
        goto fail;
    if ((st = nmrc_metrics_reduce_pair(w->rho, m->n_spins, pi, pj, w->pair)) != NMRC_OK ||
        (st = nmrc_metrics_coherence(w->rho, &r[0])) != NMRC_OK ||
        (st = nmrc_metrics_discord(w->pws, w->pair, &r[1])) != NMRC_OK ||
        (st = nmrc_metrics_concurrence(w->pws, w->pair, &r[2])) != NMRC_OK ||
        (st = nmrc_metrics_expect(w->rho, H, &r[3])) != NMRC_OK ||
        (st = nmrc_metrics_entropy(w->mws, w->rho, &r[4])) != NMRC_OK)
        goto fail;
    r[4] /= log(2.0);
    rc = 0;
    goto quiet;
fail:
    nmrc_simcli_fail(a, "Gibbs state", ctx, st);
quiet:
    nmrc_cmat_destroy(H);
    nmrc_ctx_destroy(ctx);
    return rc;
}

/* The model at sweep value x: the parameter if the spec has it, else the
** temperature itself (sweep name T). */
static nmrc_model *model_at(const nmrc_simcli_args *a, nmrc_spec *spec, double x)
{
    const char *name = a->sweeps[0].name;
    if (nmrc_spec_has_param(spec, name)) {
        nmrc_ctx *ctx = nmrc_ctx_create();
        nmrc_status st = ctx ? nmrc_spec_set(spec, name, x, ctx) : NMRC_ENOMEM;
        if (st != NMRC_OK) {
            nmrc_simcli_fail(a, "--sweep", ctx, st);
            nmrc_ctx_destroy(ctx);
            return NULL;
        }
        nmrc_ctx_destroy(ctx);
        return nmrc_simcli_model(spec);
    }
    if (strcmp(name, "T") != 0) {
        fprintf(stderr, "nmrc thermal: %s defines no parameter '%s'\n", a->file, name);
        return NULL;
    }
    nmrc_model *m = nmrc_simcli_model(spec);
    if (m)
        m->temperature = x;
    return m;
}

static int run(const nmrc_simcli_args *a, nmrc_spec *spec, nmrc_cli_out *out)
{
    const nmrc_cli_sweep *sw = &a->sweeps[0];
    thermal_ws w = {0};
    double best[5] = {0}, at[5] = {0};
    int rc = 1;
    fprintf(out->fp, "%s,coherence,discord,concurrence,energy,entropy\n", sw->name);
    for (size_t k = 0; k < sw->n; k++) {
        double x = nmrc_cli_sweep_value(sw, k), r[5];
        nmrc_model *m = model_at(a, spec, x);
        if (!m)
            goto out;
        if (!w.rho) {
            size_t d = nmrc_sim_dim(m->n_spins);
            w.mws = nmrc_metrics_ws_create(m->n_spins);
            w.pws = nmrc_metrics_ws_create(2);
            w.rho = nmrc_cmat_create(d, d);
            w.pair = nmrc_cmat_create(4, 4);
        }
        int bad = !w.mws || !w.pws || !w.rho || !w.pair || nmrc_sim_dim(m->n_spins) != w.rho->n1 ||
                  resources(a, m, &w, r);
        nmrc_model_destroy(m);
        if (bad)
            goto out;
        nmrc_simcli_num(out->fp, x, 0);
        for (int q = 0; q < 5; q++) {
            nmrc_simcli_num(out->fp, r[q], q == 4);
            if (k == 0 || r[q] > best[q])
                best[q] = r[q], at[q] = x;
        }
        nmrc_cli_progress(k + 1, sw->n);
    }
    fprintf(stderr, "thermal: %zu values of %s over %g..%g\n", sw->n, sw->name, sw->start,
            sw->stop);
    static const char *const names[3] = {"coherence", "discord", "concurrence"};
    for (int q = 0; q < 3; q++)
        fprintf(stderr, "  %-12s max %.6g at %s = %.6g\n", names[q], best[q], sw->name, at[q]);
    rc = 0;
out:
    nmrc_metrics_ws_destroy(w.mws), nmrc_metrics_ws_destroy(w.pws);
    nmrc_cmat_destroy(w.rho), nmrc_cmat_destroy(w.pair);
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
    nmrc_spec *spec = nmrc_simcli_spec(&a);
    nmrc_cli_out out;
    int rc = 1;
    if (spec && nmrc_cli_out_open(&out, a.csv) == 0) {
        rc = run(&a, spec, &out);
        if (rc == 0)
            rc = nmrc_cli_out_commit(&out);
        else
            nmrc_cli_out_abort(&out);
    }
    nmrc_spec_destroy(spec);
    return rc;
}
