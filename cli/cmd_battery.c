/*
** cmd_battery.c: the `nmrc battery` command, the charging curve of the
** paper's Sec. IV.  Two spins charged from their Gibbs state use the fast
** Fourier kernel (sim/charge.c); other spin counts or initial states use
** dense unitary evolution and the general battery metrics.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_battery_common.h"

const char nmrc_cli_help_battery[] =
    "usage: nmrc battery FILE.spin [--set NAME=VALUE]... [--csv PATH]\n"
    "\n"
    "Charges the spec's initial state (normally its Gibbs state) with the charge\n"
    "block's field, U(t) = exp(-i w t sum_i (cos a X_i + sin a Y_i)), and writes the\n"
    "charging curve as CSV with the columns\n"
    "  t,energy,ergotropy,antiergotropy,capacity,coherence\n"
    "(t is omega*t; coherence is the l1 norm in the energy eigenbasis, Eq. 27).\n"
    "The maxima and their times are printed on stderr.\n"
    "\n"
    "options:\n"
    "  --set NAME=VALUE  override a spec parameter (repeatable)\n"
    "  --csv PATH        write the CSV to PATH (default '-' = stdout)\n"
    "\n"
    "example:\n"
    "  nmrc battery examples/battery.spin --set D=0.3 --set T=0.7 --csv -\n";

typedef struct curve {
    size_t n;
    double *t, *energy, *ergo, *anti, *coh;
    double capacity;
} curve;

static int curve_alloc(curve *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->t = calloc(5 * n, sizeof(double));
    if (!c->t)
        return 1;
    c->energy = c->t + n, c->ergo = c->t + 2 * n, c->anti = c->t + 3 * n, c->coh = c->t + 4 * n;
    return 0;
}

/* Fast path: two spins charged from their Gibbs state. */
static int curve_fast(const nmrc_simcli_args *a, const nmrc_model *m, const nmrc_cmat *H, curve *c)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_charge_coef coef;
    nmrc_charge_table *tab = NULL;
    nmrc_status st = nmrc_charge_prepare(H->data, m->temperature, m->charge.strength,
                                         m->charge.phase, ctx, &coef);
    if (st == NMRC_OK)
        st = nmrc_charge_table_create(&m->charge.time, m->charge.strength, ctx, &tab);
    if (st != NMRC_OK) {
        nmrc_simcli_fail(a, "charging", ctx, st);
        nmrc_ctx_destroy(ctx);
        return 1;
    }
    nmrc_charge_curve(tab, &coef, c->energy, c->ergo, c->anti, c->coh);
    for (size_t k = 0; k < c->n; k++)
        c->t[k] = nmrc_charge_table_time(tab, k);
    c->capacity = coef.capacity;
    nmrc_charge_table_destroy(tab);
    nmrc_ctx_destroy(ctx);
    return 0;
}

/* General path: dense unitary evolution of the initial state. */
static int curve_dense(const nmrc_simcli_args *a, const nmrc_model *m, const nmrc_cmat *H, curve *c)
{
    size_t d = H->n1;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), *rho = nmrc_cmat_create(d, d),
              *V = nmrc_cmat_create(d, d);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
    nmrc_metrics_ws *mws = nmrc_metrics_ws_create(m->n_spins);
    double *E = malloc(d * sizeof *E);
    int rc = 1;
    nmrc_status st = NMRC_ENOMEM;
    if (!ctx || !rho0 || !rho || !V || !ews || !mws || !E)
        goto done;
    if (nmrc_simcli_initial_state(m, H, rho0))
        goto quiet;
    if ((st = nmrc_cmat_copy(V, H)) != NMRC_OK || (st = nmrc_eigh(V, E, ews)) != NMRC_OK)
        goto done;
    for (size_t k = 0; k < c->n; k++) {
        const nmrc_grid *g = &m->charge.time;
        double t = g->n < 2 ? g->start : g->start + (g->stop - g->start) * (double)k / (double)(g->n - 1);
        nmrc_battery_figs f;
        if (nmrc_simcli_charge(m, rho0, t, rho))
            goto quiet;
        if ((st = nmrc_metrics_battery(mws, rho, E, V, &f)) != NMRC_OK)
            goto done;
        c->t[k] = t, c->energy[k] = f.energy, c->ergo[k] = f.ergotropy;
        c->anti[k] = f.antiergotropy, c->coh[k] = f.coherence, c->capacity = f.capacity;
        nmrc_cli_progress(k + 1, c->n);
    }
    rc = 0;
    goto quiet;
done:
    nmrc_simcli_fail(a, "charging", ctx, st);
quiet:
    nmrc_cmat_destroy(rho0), nmrc_cmat_destroy(rho), nmrc_cmat_destroy(V);
    nmrc_eigh_ws_destroy(ews);
    nmrc_metrics_ws_destroy(mws);
    free(E);
    nmrc_ctx_destroy(ctx);
    return rc;
}

static int write_curve(const nmrc_simcli_args *a, const curve *c)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, a->csv))
        return 1;
    fputs("t,energy,ergotropy,antiergotropy,capacity,coherence\n", out.fp);
    for (size_t k = 0; k < c->n; k++) {
        nmrc_simcli_num(out.fp, c->t[k], 0);
        nmrc_simcli_num(out.fp, c->energy[k], 0);
        nmrc_simcli_num(out.fp, c->ergo[k], 0);
        nmrc_simcli_num(out.fp, c->anti[k], 0);
        nmrc_simcli_num(out.fp, c->capacity, 0);
        nmrc_simcli_num(out.fp, c->coh[k], 1);
    }
    return nmrc_cli_out_commit(&out);
}

/* Index of the first maximum (sign = 1) or minimum (sign = -1) of x, ties
** within rounding (1e-11 of max |x|) going to the earliest time. */
static size_t arg_ext(const double *x, size_t n, double sign)
{
    size_t b = 0;
    double scale = 0;
    for (size_t k = 0; k < n; k++) {
        scale = fmax(scale, fabs(x[k]));
        if (sign * x[k] > sign * x[b])
            b = k;
    }
    for (size_t k = 0; k < b; k++)
        if (sign * x[k] >= sign * x[b] - 1e-11 * scale)
            return k;
    return b;
}

static void summary(const nmrc_model *m, const curve *c, int fast)
{
    size_t ie = arg_ext(c->ergo, c->n, 1), ia = arg_ext(c->anti, c->n, -1);
    size_t ic = arg_ext(c->coh, c->n, 1);
    fprintf(stderr, "battery: %zu spins, T = %g, w = %g, %zu times over wt = %g..%g (%s)\n",
            m->n_spins, m->temperature, m->charge.strength, c->n, m->charge.time.start,
            m->charge.time.stop, fast ? "Fourier kernel" : "dense evolution");
    fprintf(stderr, "  ergotropy max       %.6g at wt = %.6g\n", c->ergo[ie], c->t[ie]);
    fprintf(stderr, "  anti-ergotropy min  %.6g at wt = %.6g\n", c->anti[ia], c->t[ia]);
    fprintf(stderr, "  capacity            %.6g (constant)\n", c->capacity);
    fprintf(stderr, "  coherence max       %.6g at wt = %.6g\n", c->coh[ic], c->t[ic]);
}

int nmrc_cli_battery(int argc, char **argv)
{
    nmrc_simcli_args a;
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_battery))
        return 0;
    if (nmrc_simcli_parse(argc, argv, 0, &a))
        return 2;
    nmrc_spec *spec = nmrc_simcli_spec(&a);
    nmrc_model *m = spec ? nmrc_simcli_model(spec) : NULL;
    nmrc_cmat *H = m ? nmrc_simcli_hamiltonian(m) : NULL;
    curve c = {0};
    int rc = 1;
    if (!H)
        goto out;
    if (!m->has_charge) {
        fprintf(stderr, "nmrc battery: %s has no charge { ... } block\n", a.file);
        goto out;
    }
    if (curve_alloc(&c, m->charge.time.n)) {
        fprintf(stderr, "nmrc battery: out of memory\n");
        goto out;
    }
    int fast = m->n_spins == 2 && m->init.kind == NMRC_INIT_GIBBS;
    if ((fast ? curve_fast(&a, m, H, &c) : curve_dense(&a, m, H, &c)) == 0 &&
        write_curve(&a, &c) == 0) {
        summary(m, &c, fast);
        rc = 0;
    }
out:
    free(c.t);
    nmrc_cmat_destroy(H);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    return rc;
}
