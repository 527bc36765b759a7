/*
** cmd_dephase.c: the `nmrc dephase` command, Lindblad dynamics of the spec's
** initial state under its target Hamiltonian and noise channels (the
** paper's Fig. 3): l1 coherence and purity of the whole state, discord and
** concurrence of a spin pair, at the spec's evolve times.
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

typedef struct dephase_run {
    const nmrc_simcli_args *a;
    const nmrc_model *m;
    size_t pi, pj, d, chunk;
    nmrc_lindblad_plan *plan;
    nmrc_lindblad_ws *lws;
    nmrc_metrics_ws *pws;
    nmrc_cmat *rho0, *pair, *states; /* states: chunk matrices */
    double *t;                       /* chunk times */
    double best[4], at[4];
} dephase_run;

static int write_row(dephase_run *r, FILE *fp, double t, const nmrc_cmat *rho, size_t k)
{
    double v[4];
    nmrc_status st;
    if ((st = nmrc_metrics_coherence(rho, &v[0])) != NMRC_OK ||
        (st = nmrc_metrics_reduce_pair(rho, r->m->n_spins, r->pi, r->pj, r->pair)) != NMRC_OK ||
        (st = nmrc_metrics_discord(r->pws, r->pair, &v[1])) != NMRC_OK ||
        (st = nmrc_metrics_concurrence(r->pws, r->pair, &v[2])) != NMRC_OK ||
        (st = nmrc_metrics_purity(rho, &v[3])) != NMRC_OK)
        return nmrc_simcli_fail(r->a, "metrics", NULL, st);
    nmrc_simcli_num(fp, t, 0);
    for (int q = 0; q < 4; q++) {
        nmrc_simcli_num(fp, v[q], q == 3);
        if (k == 0 || v[q] > r->best[q])
            r->best[q] = v[q], r->at[q] = t;
    }
    return 0;
}

/* Evolves in chunks of output times: each chunk restarts from the last
** state (the generator does not depend on time), so memory stays bounded. */
static int evolve(dephase_run *r, FILE *fp)
{
    const nmrc_grid *g = &r->m->evolve;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *from = r->rho0;
    double t0 = 0;
    for (size_t k0 = 0; k0 < g->n; k0 += r->chunk) {
        size_t nk = g->n - k0 < r->chunk ? g->n - k0 : r->chunk;
        for (size_t k = 0; k < nk; k++) {
            size_t kk = k0 + k;
            double t = g->n < 2 ? g->start
                                : g->start + (g->stop - g->start) * (double)kk / (double)(g->n - 1);
            r->t[k] = t - t0;
        }
        nmrc_status st = nmrc_lindblad_execute(r->plan, r->lws, from, r->t, nk, ctx, r->states);
        if (st != NMRC_OK) {
            nmrc_simcli_fail(r->a, "Lindblad evolution", ctx, st);
            nmrc_ctx_destroy(ctx);
            return 1;
        }
        for (size_t k = 0; k < nk; k++)
            if (write_row(r, fp, t0 + r->t[k], &r->states[k], k0 + k)) {
                nmrc_ctx_destroy(ctx);
                return 1;
            }
        t0 += r->t[nk - 1];
        if (nmrc_cmat_copy(r->rho0, &r->states[nk - 1]) != NMRC_OK) {
            nmrc_ctx_destroy(ctx);
            return 1;
        }
        from = r->rho0;
        nmrc_cli_progress(k0 + nk, g->n);
    }
    nmrc_ctx_destroy(ctx);
    return 0;
}

/* Plans the evolution and allocates everything; prints on failure. */
static int setup(dephase_run *r, const nmrc_cmat *H)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = ctx ? nmrc_lindblad_plan_from_model(r->m, NULL, ctx, &r->plan) : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        nmrc_simcli_fail(r->a, "Lindblad plan", ctx, st);
        nmrc_ctx_destroy(ctx);
        return 1;
    }
    nmrc_ctx_destroy(ctx);
    size_t d = r->d, cap = ((size_t)64 << 20) / (16 * d * d);
    r->chunk = cap < 1 ? 1 : cap > r->m->evolve.n ? r->m->evolve.n : cap;
    r->lws = nmrc_lindblad_ws_create(r->plan);
    r->pws = nmrc_metrics_ws_create(2);
    r->rho0 = nmrc_cmat_create(d, d);
    r->pair = nmrc_cmat_create(4, 4);
    r->t = malloc(r->chunk * sizeof *r->t);
    r->states = calloc(r->chunk, sizeof *r->states);
    nmrc_cplx *blk = r->states ? calloc(r->chunk * d * d, sizeof *blk) : NULL;
    if (!r->lws || !r->pws || !r->rho0 || !r->pair || !r->t || !blk) {
        free(blk);
        fprintf(stderr, "nmrc dephase: out of memory\n");
        return 1;
    }
    for (size_t k = 0; k < r->chunk; k++)
        r->states[k] = nmrc_cmat_view(blk + k * d * d, d, d, d);
    return nmrc_simcli_initial_state(r->m, H, r->rho0);
}

static void cleanup(dephase_run *r)
{
    nmrc_lindblad_ws_destroy(r->lws);
    nmrc_lindblad_plan_destroy(r->plan);
    nmrc_metrics_ws_destroy(r->pws);
    nmrc_cmat_destroy(r->rho0), nmrc_cmat_destroy(r->pair);
    if (r->states)
        free(r->states[0].data);
    free(r->states);
    free(r->t);
}

static void summary(const dephase_run *r)
{
    static const char *const names[4] = {"coherence", "discord", "concurrence", "purity"};
    fprintf(stderr, "dephase: %zu spins, %zu noise channels, %zu times over t = %g..%g (%s)\n",
            r->m->n_spins, r->m->n_noise, r->m->evolve.n, r->m->evolve.start, r->m->evolve.stop,
            nmrc_lindblad_plan_method(r->plan) == NMRC_LINDBLAD_EXACT ? "exact propagators"
                                                                      : "Taylor integrator");
    for (int q = 0; q < 4; q++)
        fprintf(stderr, "  %-12s max %.6g at t = %.6g\n", names[q], r->best[q], r->at[q]);
}

static int run(const nmrc_simcli_args *a, const nmrc_model *m)
{
    dephase_run r = {0};
    nmrc_cli_out out;
    r.a = a, r.m = m;
    if (!m->has_evolve || m->evolve.n < 1) {
        fprintf(stderr, "nmrc dephase: %s has no evolve START:STOP:N times\n", a->file);
        return 1;
    }
    if (nmrc_simcli_pair(a, m, &r.pi, &r.pj))
        return 1;
    nmrc_cmat *H = nmrc_simcli_hamiltonian(m);
    int rc = 1;
    if (!H)
        return 1;
    r.d = H->n1;
    if (setup(&r, H) == 0 && nmrc_cli_out_open(&out, a->csv) == 0) {
        fputs("t,coherence,discord,concurrence,purity\n", out.fp);
        if (evolve(&r, out.fp) == 0 && nmrc_cli_out_commit(&out) == 0) {
            summary(&r);
            rc = 0;
        } else {
            nmrc_cli_out_abort(&out);
        }
    }
    cleanup(&r);
    nmrc_cmat_destroy(H);
    return rc;
}

int nmrc_cli_dephase(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_dephase))
        return 0;
    if (nmrc_simcli_parse(argc, argv, NMRC_SIMCLI_PAIR, &a))
        return 2;
    nmrc_spec *spec = nmrc_simcli_spec(&a);
    nmrc_model *m = spec ? nmrc_simcli_model(spec) : NULL;
    int rc = m ? run(&a, m) : 1;
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    return rc;
}
