/*
** cmd_battery_common.c: helpers of the simulation commands (battery,
** thermal, dephase, map, state): option parsing, model loading with --set,
** the Hamiltonian, the spec's initial state and the charging unitary.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_battery_common.h"

/* Returns the option's value: "--opt=VALUE" or the next argument. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return !strncmp(arg, opt, n) && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_at(const char *v, nmrc_simcli_args *a)
{
    const char *num = v;
    if (!strncmp(v, "t=", 2))
        num = v + 2;
    char *end;
    errno = 0;
    a->at = strtod(num, &end);
    if (end == num || *end || errno || !isfinite(a->at)) {
        fprintf(stderr, "nmrc %s: bad --at '%s' (expected t=VALUE)\n", a->cmd, v);
        return 2;
    }
    a->has_at = 1;
    return 0;
}

/* Handles one option at argv[*i]; returns 0, or 2 after printing. */
static int parse_option(int argc, char **argv, int *i, unsigned allowed, nmrc_simcli_args *a)
{
    const char *arg = argv[*i], *v = NULL;
    static const char *const names[] = {"--set", "--csv", "--sweep", "--pair", "--at"};
    static const unsigned need[] = {0, 0, NMRC_SIMCLI_SWEEP, NMRC_SIMCLI_PAIR, NMRC_SIMCLI_AT};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (!is_opt(arg, names[k]) || (need[k] && !(allowed & need[k])))
            continue;
        if (!(v = opt_value(argc, argv, i, names[k]))) {
            fprintf(stderr, "nmrc %s: %s needs a value\n", a->cmd, names[k]);
            return 2;
        }
        switch (k) {
        case 0:
            if (a->n_sets == NMRC_SIMCLI_MAX_SETS) {
                fprintf(stderr, "nmrc %s: too many --set options\n", a->cmd);
                return 2;
            }
            a->sets[a->n_sets++] = v;
            return 0;
        case 1:
            a->csv = v;
            return 0;
        case 2:
            if (a->n_sweeps == 2) {
                fprintf(stderr, "nmrc %s: at most two --sweep options\n", a->cmd);
                return 2;
            }
            return nmrc_cli_parse_sweep(v, &a->sweeps[a->n_sweeps++]) ? 2 : 0;
        case 3:
            a->has_pair = 1;
            a->pair_arg = v;
            return 0;
        default:
            return parse_at(v, a);
        }
    }
    fprintf(stderr, "nmrc %s: unknown option '%s' (see nmrc %s --help)\n", a->cmd, arg, a->cmd);
    return 2;
}

int nmrc_simcli_parse(int argc, char **argv, unsigned allowed, nmrc_simcli_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = argv[0];
    a->csv = "-";
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            int rc = parse_option(argc, argv, &i, allowed, a);
            if (rc)
                return rc;
        } else if (!a->file) {
            a->file = argv[i];
        } else {
            fprintf(stderr, "nmrc %s: unexpected argument '%s'\n", a->cmd, argv[i]);
            return 2;
        }
    }
    if (!a->file) {
        fprintf(stderr, "nmrc %s: missing FILE.spin (see nmrc %s --help)\n", a->cmd, a->cmd);
        return 2;
    }
    return 0;
}

nmrc_spec *nmrc_simcli_spec(const nmrc_simcli_args *a)
{
    return nmrc_cli_load_spec_sets(a->file, a->sets, a->n_sets);
}

nmrc_model *nmrc_simcli_model(nmrc_spec *spec) { return nmrc_cli_resolve(spec); }

int nmrc_simcli_fail(const nmrc_simcli_args *a, const char *what, nmrc_ctx *ctx, nmrc_status st)
{
    const char *msg = ctx ? nmrc_ctx_errmsg(ctx) : "";
    fprintf(stderr, "nmrc %s: %s: %s\n", a->cmd, what, msg && *msg ? msg : nmrc_strerror(st));
    return 1;
}

nmrc_cmat *nmrc_simcli_hamiltonian(const nmrc_model *m)
{
    size_t d = nmrc_sim_dim(m->n_spins);
    nmrc_cmat *H = d ? nmrc_cmat_create(d, d) : NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = (H && ctx) ? nmrc_sim_hamiltonian(m, ctx, H) : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        fprintf(stderr, "nmrc: Hamiltonian: %s\n",
                ctx && *nmrc_ctx_errmsg(ctx) ? nmrc_ctx_errmsg(ctx) : nmrc_strerror(st));
        nmrc_cmat_destroy(H);
        H = NULL;
    }
    nmrc_ctx_destroy(ctx);
    return H;
}

/* |b><b| for the computational basis index b. */
static void set_pure_index(nmrc_cmat *rho, size_t b)
{
    nmrc_cmat_zero(rho);
    NMRC_CMAT_AT(rho, b, b) = 1.0;
}

/* A Bell state on spins 0, 1 (the other spins |0>). */
static void set_bell(nmrc_cmat *rho, size_t n_spins, nmrc_bell bell)
{
    size_t sh = n_spins - 2, i0, i1; /* the two basis indices of the pair */
    double sgn = (bell == NMRC_BELL_PHI_MINUS || bell == NMRC_BELL_PSI_MINUS) ? -1.0 : 1.0;
    if (bell == NMRC_BELL_PHI_PLUS || bell == NMRC_BELL_PHI_MINUS)
        i0 = 0, i1 = (size_t)3 << sh; /* |00>, |11> */
    else
        i0 = (size_t)1 << sh, i1 = (size_t)2 << sh; /* |01>, |10> */
    nmrc_cmat_zero(rho);
    NMRC_CMAT_AT(rho, i0, i0) = NMRC_CMAT_AT(rho, i1, i1) = 0.5;
    NMRC_CMAT_AT(rho, i0, i1) = NMRC_CMAT_AT(rho, i1, i0) = 0.5 * sgn;
}

static int gibbs_state(const nmrc_model *m, const nmrc_cmat *H, nmrc_cmat *rho)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_status st = ctx ? nmrc_sim_gibbs(H, m->temperature, ctx, rho) : NMRC_ENOMEM;
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc: Gibbs state: %s\n",
                ctx && *nmrc_ctx_errmsg(ctx) ? nmrc_ctx_errmsg(ctx) : nmrc_strerror(st));
    nmrc_ctx_destroy(ctx);
    return st != NMRC_OK;
}

int nmrc_simcli_initial_state(const nmrc_model *m, const nmrc_cmat *H, nmrc_cmat *rho)
{
    size_t d = rho->n1, n = m->n_spins;
    switch (m->init.kind) {
    case NMRC_INIT_GIBBS:
        return gibbs_state(m, H, rho);
    case NMRC_INIT_CHARGED: {
        nmrc_cmat *z = nmrc_cmat_create(d, d);
        int rc = !z || gibbs_state(m, H, z) || nmrc_simcli_charge(m, z, m->init.t, rho);
        nmrc_cmat_destroy(z);
        return rc;
    }
    case NMRC_INIT_PRODUCT: {
        size_t b = 0;
        for (size_t i = 0; i < n; i++)
            if (m->init.bits[i] == '1')
                b |= nmrc_sim_spin_bit(n, i);
        set_pure_index(rho, b);
        return 0;
    }
    case NMRC_INIT_BELL:
        if (n < 2) {
            fprintf(stderr, "nmrc: a Bell state needs two spins\n");
            return 1;
        }
        set_bell(rho, n, m->init.bell);
        return 0;
    case NMRC_INIT_MATRIX:
        if (!m->init.rho) {
            fprintf(stderr, "nmrc: initial matrix missing\n");
            return 1;
        }
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < d; i++)
                NMRC_CMAT_AT(rho, i, j) = m->init.rho[i + j * d];
        return 0;
    }
    fprintf(stderr, "nmrc: unknown initial state kind\n");
    return 1;
}

int nmrc_simcli_charge(const nmrc_model *m, const nmrc_cmat *rho0, double t, nmrc_cmat *rho)
{
    size_t d = rho0->n1, n = m->n_spins;
    double w = m->has_charge ? m->charge.strength : 1.0;
    double a = m->has_charge ? m->charge.phase : 0.0;
    nmrc_cmat *Hc = nmrc_cmat_create(d, d), *U = nmrc_cmat_create(d, d),
              *tmp = nmrc_cmat_create(d, d);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(d);
    nmrc_status st = (Hc && U && tmp && ws) ? NMRC_OK : NMRC_ENOMEM;
    for (size_t i = 0; st == NMRC_OK && i < n; i++) {
        st = nmrc_sim_add_pauli1(Hc, n, i, 'x', w * cos(a));
        if (st == NMRC_OK)
            st = nmrc_sim_add_pauli1(Hc, n, i, 'y', w * sin(a));
    }
    if (st == NMRC_OK)
        st = nmrc_expmh(U, Hc, t, ws);
    if (st == NMRC_OK)
        st = nmrc_cmat_similarity(rho, U, rho0, tmp);
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc: charging unitary: %s\n", nmrc_strerror(st));
    nmrc_cmat_destroy(Hc), nmrc_cmat_destroy(U), nmrc_cmat_destroy(tmp);
    nmrc_eigh_ws_destroy(ws);
    return st != NMRC_OK;
}

/* One spin given as an index or a label. */
static int spin_of(const nmrc_model *m, const char *s, size_t len, size_t *out)
{
    char buf[NMRC_LABEL_MAX];
    if (len == 0 || len >= sizeof buf)
        return 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    int k = nmrc_model_find_spin(m, buf);
    if (k >= 0) {
        *out = (size_t)k;
        return 0;
    }
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || v < 0 || (size_t)v >= m->n_spins)
        return 1;
    *out = (size_t)v;
    return 0;
}

int nmrc_simcli_pair(const nmrc_simcli_args *a, const nmrc_model *m, size_t *i, size_t *j)
{
    *i = 0, *j = 1;
    if (m->n_spins < 2) {
        fprintf(stderr, "nmrc %s: two-spin measures need at least two spins\n", a->cmd);
        return 1;
    }
    if (!a->has_pair)
        return 0;
    const char *comma = strchr(a->pair_arg, ',');
    if (!comma || spin_of(m, a->pair_arg, (size_t)(comma - a->pair_arg), i) ||
        spin_of(m, comma + 1, strlen(comma + 1), j) || *i == *j) {
        fprintf(stderr, "nmrc %s: bad --pair '%s' (expected I,J: two different spins, "
                        "0-based indices below %zu or labels)\n",
                a->cmd, a->pair_arg, m->n_spins);
        return 1;
    }
    return 0;
}

void nmrc_simcli_num(FILE *fp, double x, int last)
{
    if (isnan(x))
        fputs("nan", fp);
    else if (x == 0)
        fputc('0', fp); /* also for -0 */
    else
        fprintf(fp, "%.12g", x);
    fputc(last ? '\n' : ',', fp);
}

