/*
** resolve_terms.c: resolves the target Hamiltonian (Zeeman, dipolar, DM,
** KSEA and general tensors on pair sets, checked against the natural
** coupling network; Pauli units: docs/physics.md), the charging
** protocol, temperature, initial state, evolution grid, noise, readout, the
** explicit sequence and the compiler options into the model.
*/
#include "resolve.h"

#include <lapacke.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nmrc/consts.h"


static double dimless(nmrc_rctx *r, const nmrc_stmt *st, size_t k, const char *what, int *bad)
{
    double v = 0.0;
    if (nmrc_r_value(r, st, k, NMRC_DIM_NONE, 0.0, what, &v))
        *bad = 1;
    return v;
}

static nmrc_term *new_term(nmrc_rctx *r, nmrc_term_kind kind, int i, int j, nmrc_span sp)
{
    nmrc_model *m = r->m;
    if (nmrc_grow((void **)&m->terms, &r->cap_terms, m->n_terms + 1, sizeof *m->terms)) {
        r->oom = 1;
        return NULL;
    }
    nmrc_term *t = &m->terms[m->n_terms++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->i = i;
    t->j = j;
    t->span = sp;
    return t;
}

/* zeeman: field b along an axis, on one spin or on every spin. */
static void term_zeeman(nmrc_rctx *r, const nmrc_stmt *st)
{
    int bad = 0;
    double b = dimless(r, st, 0, "Zeeman field", &bad), ax[3] = {0, 0, 0};
    if (st->sub)
        ax[st->sub - 'x'] = 1.0;
    else {
        for (int k = 0; k < 3; k++)
            ax[k] = dimless(r, st, 1 + (size_t)k, "axis component", &bad);
        double n = sqrt(ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2]);
        if (!bad && !(n > 0.0)) {
            nmrc_diag(r->spec, nmrc_r_argspan(r, st, 1), "the field axis must not be zero");
            bad = 1;
        }
        for (int k = 0; k < 3 && n > 0.0; k++)
            ax[k] /= n;
    }
    int one = st->n_names ? nmrc_r_spin(r, st, 0) : -1;
    if (bad || (st->n_names && one < 0))
        return;
    if (!st->n_names && r->m->n_spins == 0) {
        nmrc_diag(r->spec, st->span, "'zeeman' on every spin, but no spins are declared");
        return;
    }
    for (int i = 0; i < (int)r->m->n_spins; i++) {
        if (one >= 0 && i != one)
            continue;
        nmrc_term *t = new_term(r, NMRC_TERM_ZEEMAN, i, -1, st->span);
        if (!t)
            return;
        for (int k = 0; k < 3; k++)
            t->par[k] = t->field[k] = b * ax[k];
    }
}

/* Lists the natural couplings of the system that are not zero ("A-B, ...")
** into buf, or says there are none. */
static void list_couplings(const nmrc_model *m, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < m->n_couplings && n + 40 < size; k++) {
        const nmrc_coupling *c = &m->couplings[k];
        if (c->j_hz != 0.0 || c->dipolar_hz != 0.0)
            n += (size_t)snprintf(buf + n, size - n, "%s%s-%s", n ? ", " : "the system couples ",
                                  m->spins[c->i].label, m->spins[c->j].label);
    }
    if (n == 0)
        snprintf(buf, size, "the system's couplings are all zero");
    else if (n + 40 >= size)
        snprintf(buf + n, size - n, ", ...");
}

/* With a natural coupling network (any `couple` in the system), every pair
** of a target term must be coupled: average Hamiltonian theory makes a
** target coupling only out of a natural one on the same pair (pulses act on
** one spin at a time).  Without any `couple`, the target is taken as an
** abstract Hamiltonian (ideal simulation).  Returns -1 after a diagnostic. */
static int check_network(nmrc_rctx *r, const nmrc_stmt *st, const nmrc_rpair *pr, int np)
{
    const nmrc_model *m = r->m;
    if (m->n_couplings == 0)
        return 0;
    char missing[200] = "", have[240];
    size_t len = 0;
    int count = 0, first = -1;
    for (int k = 0; k < np; k++) {
        const nmrc_coupling *c = nmrc_model_find_coupling(m, pr[k].a, pr[k].b);
        if (c && (c->j_hz != 0.0 || c->dipolar_hz != 0.0))
            continue;
        if (count++ == 0)
            first = k;
        if (len + 40 < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s-%s",
                                    len ? ", " : "", m->spins[pr[k].a].label,
                                    m->spins[pr[k].b].label);
        else if (!strstr(missing, "..."))
            len += (size_t)snprintf(missing + len, sizeof missing - len, ", ...");
    }
    if (count == 0)
        return 0;
    list_couplings(m, have, sizeof have);
    nmrc_diag(r->spec, st->pairs_span,
              "target pair%s %s ha%s no natural coupling (%s): a target coupling can only be "
              "made from a natural one on the same pair; add 'couple %s %s J ... Hz' or drop "
              "the pair", count > 1 ? "s" : "", missing, count > 1 ? "ve" : "s", have,
              m->spins[pr[first].a].label, m->spins[pr[first].b].label);
    return -1;
}

/* The coupling tensor of a pair term from its parameters v (n of them);
** sets *full for a dipolar term given as a tensor. */
static void pair_tensor(nmrc_term_kind kind, const double v[9], size_t n, double T[9], int *full)
{
    memset(T, 0, 9 * sizeof *T);
    *full = 0;
    switch (kind) {
    case NMRC_TERM_DM: /* d . (s1 x s2) */
        T[5] = v[0], T[7] = -v[0];
        T[6] = v[1], T[2] = -v[1];
        T[1] = v[2], T[3] = -v[2];
        break;
    case NMRC_TERM_KSEA: /* s1 . G . s2, G symmetric off-diagonal */
        T[5] = T[7] = v[0];
        T[2] = T[6] = v[1];
        T[1] = T[3] = v[2];
        break;
    case NMRC_TERM_TENSOR:
        memcpy(T, v, 9 * sizeof *T);
        break;
    default: /* dipolar: T = -(1/3) P */
        if (n == 9) {
            *full = 1;
            for (int k = 0; k < 9; k++)
                T[k] = -v[k] / 3.0;
        } else {
            T[0] = -v[0] / 3.0 + v[1];
            T[4] = -v[0] / 3.0 - v[1];
            T[8] = 2.0 * v[0] / 3.0;
        }
    }
}

/* Reports an asymmetric dipolar tensor P; returns -1 if it is one. */
static int check_symmetric(nmrc_rctx *r, const nmrc_stmt *st, const double v[9])
{
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            if (fabs(v[3 * a + b] - v[3 * b + a]) >
                1e-12 * fmax(1.0, fmax(fabs(v[3 * a + b]), fabs(v[3 * b + a])))) {
                nmrc_diag(r->spec, nmrc_r_argspan(r, st, (size_t)(3 * a + b)),
                          "a dipolar tensor must be symmetric (P[%d][%d] != P[%d][%d])",
                          a + 1, b + 1, b + 1, a + 1);
                return -1;
            }
    return 0;
}

/* dipolar, dm, ksea, tensor on a pair set: one term per pair. */
static void term_pair(nmrc_rctx *r, const nmrc_stmt *st)
{
    int bad = 0, full;
    double v[9] = {0}, T[9];
    size_t n = st->kind == NMRC_ST_DM || st->kind == NMRC_ST_KSEA ? 3
               : st->kind == NMRC_ST_TENSOR || st->sub        ? 9
                                                               : 2;
    for (size_t k = 0; k < n; k++)
        if (r->spec->args[st->ex0 + k] >= 0)
            v[k] = dimless(r, st, k, "coupling parameter", &bad);
    nmrc_rpair pr[NMRC_MAX_PAIRS];
    int np = nmrc_r_pairs(r, st, "a pair term needs two different spins", pr);
    if (np < 0 || bad)
        return;
    nmrc_term_kind kind = st->kind == NMRC_ST_DM        ? NMRC_TERM_DM
                          : st->kind == NMRC_ST_KSEA    ? NMRC_TERM_KSEA
                          : st->kind == NMRC_ST_TENSOR  ? NMRC_TERM_TENSOR
                                                        : NMRC_TERM_DIPOLAR;
    if ((kind == NMRC_TERM_DIPOLAR && n == 9 && check_symmetric(r, st, v)) ||
        check_network(r, st, pr, np))
        return;
    pair_tensor(kind, v, n, T, &full);
    for (int k = 0; k < np; k++) {
        nmrc_term *t = new_term(r, kind, pr[k].a, pr[k].b, st->span);
        if (!t)
            return;
        t->full = full;
        memcpy(t->par, v, sizeof v);
        memcpy(t->tensor, T, sizeof T);
    }
}

/* start : stop : points, dimensionless omega*t. */
static int grid(nmrc_rctx *r, const nmrc_stmt *st, nmrc_grid *g)
{
    int bad = 0;
    g->start = dimless(r, st, 0, "grid start", &bad);
    g->stop = dimless(r, st, 1, "grid stop", &bad);
    if (bad || nmrc_r_count(r, st, 2, 1, 1e8, "the number of grid points", &g->n))
        return -1;
    g->span = st->span;
    return 0;
}

static void charge_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_charge *c = &r->m->charge;
    int bad = 0;
    if (st->kind == NMRC_ST_STRENGTH && !nmrc_r_once(r, st, "strength")) {
        c->strength = dimless(r, st, 0, "charging strength", &bad);
    } else if (st->kind == NMRC_ST_AXIS && !nmrc_r_once(r, st, "axis")) {
        if (st->sub)
            c->phase = st->sub == 'y' ? NMRC_PI / 2.0 : 0.0;
        else
            nmrc_r_value(r, st, 0, NMRC_DIM_ANGLE, NMRC_PI / 180.0, "charging axis angle", &c->phase);
    } else if (st->kind == NMRC_ST_TIME && !nmrc_r_once(r, st, "time")) {
        r->charge_time = 1; /* even if the grid is bad: no second error */
        grid(r, st, &c->time);
    }
}

static void initial_stmt(nmrc_rctx *r, const nmrc_stmt *st);
static void readout_stmt(nmrc_rctx *r, const nmrc_stmt *st);

static void noise_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    int bad = 0;
    double rate = dimless(r, st, 0, "noise rate", &bad);
    if (!bad && rate < 0.0) {
        nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "a noise rate must be >= 0 (got %g)", rate);
        bad = 1;
    }
    for (size_t k = 0; k < st->n_names; k++) {
        int s = nmrc_r_spin(r, st, k);
        if (s < 0 || bad)
            continue;
        nmrc_model *m = r->m;
        if (nmrc_grow((void **)&m->noise, &r->cap_noise, m->n_noise + 1, sizeof *m->noise))
            {
            r->oom = 1;
            return;
        }
        nmrc_noise *n = &m->noise[m->n_noise++];
        n->kind = (nmrc_noise_kind)st->sub;
        n->spin = s;
        n->rate = rate;
        n->span = st->span;
    }
}

/* temperature: in units of omega, or in kelvin (converted by
** nmrc_r_kelvin once omega is known: k_B T / (hbar omega)). */
static void temperature_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_value v;
    int e = r->spec->args[st->ex0];
    if (nmrc_r_once(r, st, "temperature") || nmrc_eval(r->spec, &r->pt, e, &v))
        return;
    if (v.dim != NMRC_DIM_NONE && v.dim != NMRC_DIM_TEMP) {
        nmrc_diag(r->spec, r->spec->ex[e].span,
                  "temperature must be a dimensionless number (in units of omega) or in kelvin "
                  "(K), not a %s", nmrc_dim_name(v.dim));
        return;
    }
    if (v.v < 0.0) {
        nmrc_diag(r->spec, r->spec->ex[e].span, "temperature must be >= 0 (got %g%s)", v.v,
                  v.dim == NMRC_DIM_TEMP ? " K" : "");
        return;
    }
    r->m->temperature = v.v;
    r->kelvin = v.dim == NMRC_DIM_TEMP;
    r->kelvin_span = r->spec->ex[e].span;
}

void nmrc_r_kelvin(nmrc_rctx *r)
{
    static const double h_planck = 6.62607015e-34;   /* J s, exact (SI 2019) */
    static const double k_boltzmann = 1.380649e-23;  /* J/K, exact (SI 2019) */
    nmrc_model *m = r->m;
    if (!r->kelvin)
        return;
    if (!(m->omega > 0.0)) {
        nmrc_diag(r->spec, r->kelvin_span,
                  "a temperature in kelvin needs 'omega' (the energy unit) to be converted to "
                  "units of omega");
        return;
    }
    m->temperature = k_boltzmann * m->temperature / (h_planck / (2.0 * NMRC_PI) * m->omega);
}

void nmrc_r_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_model *m = r->m;
    switch (st->kind) {
    case NMRC_ST_OMEGA:
        if (nmrc_r_once(r, st, "omega") ||
            nmrc_r_value(r, st, 0, NMRC_DIM_FREQ, 0.0, "omega", &m->omega))
            return;
        if (!(m->omega > 0.0)) {
            nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "omega must be positive");
            m->omega = 0.0;
            return;
        }
        m->omega *= 2.0 * NMRC_PI; /* Hz -> rad/s */
        return;
    case NMRC_ST_ZEEMAN:
        term_zeeman(r, st);
        return;
    case NMRC_ST_DIPOLAR:
    case NMRC_ST_DM:
    case NMRC_ST_KSEA:
    case NMRC_ST_TENSOR:
        term_pair(r, st);
        return;
    case NMRC_ST_CHARGE:
        if (!nmrc_r_once(r, st, "charge")) {
            m->has_charge = 1;
            m->charge.strength = 1.0;
            m->charge.span = st->span;
        }
        return;
    case NMRC_ST_STRENGTH:
    case NMRC_ST_AXIS:
    case NMRC_ST_TIME:
        charge_stmt(r, st);
        return;
    case NMRC_ST_TEMPERATURE:
        temperature_stmt(r, st);
        return;
    case NMRC_ST_EVOLVE:
        if (!nmrc_r_once(r, st, "evolve") && !grid(r, st, &m->evolve))
            m->has_evolve = 1;
        return;
    case NMRC_ST_CHANNEL:
        noise_stmt(r, st);
        return;
    case NMRC_ST_INITIAL:
        initial_stmt(r, st);
        return;
    default:
        readout_stmt(r, st);
        nmrc_r_sequence(r, st);
        nmrc_r_compile(r, st);
    }
}

/* ---- initial state ------------------------------------------------------ */

/* A density matrix has no negative eigenvalue (beyond rounding, 1e-9).
** Returns nonzero after a diagnostic; rho is not changed. */
static int check_positive(nmrc_rctx *r, const nmrc_stmt *st, const nmrc_cplx *rho, size_t dim)
{
    nmrc_cplx *a = malloc(dim * dim * sizeof *a);
    double *w = malloc(dim * sizeof *w);
    int bad = 0;
    if (!a || !w) {
        r->oom = 1;
        bad = 1;
    } else {
        memcpy(a, rho, dim * dim * sizeof *a);
        lapack_int info = LAPACKE_zheev(LAPACK_COL_MAJOR, 'N', 'L', (lapack_int)dim, a,
                                        (lapack_int)dim, w);
        if (info != 0 || !(w[0] >= -1e-9)) {
            nmrc_diag(r->spec, st->span,
                      info != 0 ? "the density matrix's eigenvalues could not be computed"
                                : "the density matrix must be positive semidefinite "
                                  "(smallest eigenvalue %g)",
                      info != 0 ? 0.0 : w[0]);
            bad = 1;
        }
    }
    free(a);
    free(w);
    return bad;
}

static void init_matrix(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_init *in = &r->m->init;
    size_t dim = (size_t)1 << r->m->n_spins;
    if (r->m->n_spins == 0 || st->cols != dim || st->n_ex != dim * dim) {
        nmrc_diag(r->spec, st->span, "the density matrix must be %zux%zu for %zu spin(s) (got %zu entries in rows of %zu)",
                  dim, dim, r->m->n_spins, st->n_ex, st->cols);
        return;
    }
    nmrc_cplx *rho = malloc(dim * dim * sizeof *rho);
    if (!rho)
        {
            r->oom = 1;
            return;
        }
    int bad = 0;
    for (size_t a = 0; a < dim; a++)      /* row a */
        for (size_t b = 0; b < dim; b++)  /* column b, stored column-major */
            bad |= nmrc_eval_complex(r->spec, &r->pt, r->spec->args[st->ex0 + a * dim + b],
                                     &rho[a + b * dim]);
    nmrc_cplx tr = 0;
    for (size_t a = 0; a < dim && !bad; a++) {
        tr += rho[a + a * dim];
        for (size_t b = 0; b < dim; b++)
            if (cabs(rho[a + b * dim] - conj(rho[b + a * dim])) > 1e-9) {
                nmrc_diag(r->spec, nmrc_r_argspan(r, st, a * dim + b),
                          "the density matrix must be Hermitian (entry %zu,%zu)", a + 1, b + 1);
                bad = 1;
                break;
            }
    }
    if (!bad && cabs(tr - 1.0) > 1e-9) {
        nmrc_diag(r->spec, st->span, "the density matrix must have trace 1 (got %g)", creal(tr));
        bad = 1;
    }
    if (!bad)
        bad = check_positive(r, st, rho, dim);
    if (bad) {
        free(rho);
        return;
    }
    free(in->rho);
    in->rho = rho;
}

static void initial_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_init *in = &r->m->init;
    int bad = 0;
    if (nmrc_r_once(r, st, "initial"))
        return;
    in->kind = (nmrc_init_kind)st->sub;
    in->span = st->span;
    if (in->kind == NMRC_INIT_CHARGED) {
        in->t = dimless(r, st, 0, "charging time", &bad);
    } else if (in->kind == NMRC_INIT_PRODUCT) {
        const nmrc_name *b = &r->spec->names[st->name0];
        size_t n = strlen(b->s);
        if (n != r->m->n_spins || strspn(b->s, "01") != n) {
            nmrc_diag(r->spec, b->span, "a product state needs one '0' or '1' per spin (%zu spins)",
                      r->m->n_spins);
            return;
        }
        memcpy(in->bits, b->s, n + 1);
    } else if (in->kind == NMRC_INIT_BELL) {
        in->bell = (nmrc_bell)st->cols;
        if (r->m->n_spins < 2)
            nmrc_diag(r->spec, st->span, "a Bell state needs at least two spins");
    } else if (in->kind == NMRC_INIT_MATRIX) {
        init_matrix(r, st);
    }
}

/* ---- readout ----------------------------------------------------------- */

static void readout_stmt(nmrc_rctx *r, const nmrc_stmt *st)
{
    nmrc_readout *ro = &r->m->readout;
    switch (st->kind) {
    case NMRC_ST_READOUT:
        ro->span = st->span;
        nmrc_r_once(r, st, "readout");
        return;
    case NMRC_ST_OBSERVE:
        for (size_t k = 0; k < st->n_names; k++) {
            int s = nmrc_r_spin(r, st, k);
            if (s >= 0)
                ro->observe |= 1u << s;
        }
        return;
    case NMRC_ST_TD:
        if (!nmrc_r_once(r, st, "td"))
            nmrc_r_count(r, st, 0, 1, 16777216, "td", &ro->td);
        return;
    case NMRC_ST_SW:
        if (!nmrc_r_once(r, st, "sw") &&
            !nmrc_r_value(r, st, 0, NMRC_DIM_FREQ, 0.0, "sw", &ro->sw_hz) && !(ro->sw_hz > 0.0))
            nmrc_diag(r->spec, nmrc_r_argspan(r, st, 0), "sw must be positive");
        return;
    case NMRC_ST_TOMOGRAPHY:
        ro->tomography = 1;
        return;
    case NMRC_ST_OBSERVABLES:
        for (size_t k = 0; k < st->n_names; k++) {
            const nmrc_name *n = &r->spec->names[st->name0 + k];
            if (ro->n_observables >= 16) {
                nmrc_diag(r->spec, n->span, "too many observables (at most 16)");
                return;
            }
            memcpy(ro->observables[ro->n_observables++], n->s, NMRC_NAME_MAX);
        }
        return;
    default:
        return;
    }
}
