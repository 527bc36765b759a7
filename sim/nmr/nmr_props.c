/*
** nmr_props.c: propagators of the physical NMR model's planner.  Builds the
** exact piecewise-constant propagator of a delay, rectangular, shaped or
** ideal pulse (unitary, or Liouville superoperator with relaxation), keeps
** them in a cache, and for relaxation above the Liouville limit emits the
** Strang splitting of every constant piece with exact single-spin T1/T2 maps.
*/
#include "nmr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Steps and diagonal blocks ------------------------------------------ */

nmrc_status nmrc_nmri_push_step(nmri_planner *pl, nmri_step st)
{
    nmri_prog *p = pl->prog;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        nmri_step *s = realloc(p->steps, cap * sizeof *s);
        if (!s)
            return NMRC_ENOMEM;
        p->steps = s;
        p->cap = cap;
    }
    p->steps[p->n++] = st;
    return NMRC_OK;
}

/* Appends a block of dim values to plan->diags; returns its index in *idx. */
nmrc_status nmrc_nmri_new_diag(nmrc_nmr_plan *plan, size_t *idx)
{
    if (plan->n_diags == plan->cap_diags) {
        size_t cap = plan->cap_diags ? 2 * plan->cap_diags : 8;
        nmrc_cplx *d = realloc(plan->diags, cap * plan->dim * sizeof *d);
        if (!d)
            return NMRC_ENOMEM;
        plan->diags = d;
        plan->cap_diags = cap;
    }
    *idx = plan->n_diags++;
    return NMRC_OK;
}

void nmrc_nmri_intern_diag(nmrc_nmr_plan *plan, size_t *idx)
{
    size_t d = plan->dim;
    const nmrc_cplx *last = plan->diags + *idx * d;
    if (*idx + 1 != plan->n_diags)
        return;
    for (size_t b = 0; b < *idx; b++)
        if (!memcmp(plan->diags + b * d, last, d * sizeof *last)) {
            plan->n_diags--;
            *idx = b;
            return;
        }
}

/* ---- Propagators ---------------------------------------------------------- */

/* pl->h = H_nat + sum over channels on of pi nu (cos ph X + sin ph Y). */
static void pulse_hamiltonian(nmri_planner *pl, const double *nu, const double *ph)
{
    size_t n = pl->plan->sys.n_spins;
    NMRC_CHECKED(nmrc_cmat_copy(pl->h, pl->hnat));
    for (size_t c = 0; c < pl->seq->n_channels; c++) {
        if (nu[c] == 0.0)
            continue;
        for (size_t i = 0; i < n; i++)
            if (pl->chmask[c] & (1u << i))
                nmrc_nmri_add_local(pl->h, n, (int)i, NMRC_PI * nu[c] * cos(ph[c]),
                                    NMRC_PI * nu[c] * sin(ph[c]), 0);
    }
}

/* pl->seg = propagator of constant pl->h for time t (unitary or super). */
static NMRC_NODISCARD nmrc_status segment(nmri_planner *pl, double t)
{
    if (!pl->plan->super)
        return nmrc_expmh(pl->seg, pl->h, t, pl->eig);
    nmrc_status st = nmrc_nmr_liouvillian(&pl->plan->sys, pl->h, 1, pl->lsup);
    if (st)
        return st;
    nmrc_cmat_scale(pl->lsup, t);
    return nmrc_expm(pl->seg, pl->lsup, pl->expm);
}

/* U = seg * U (left-multiply the running product). */
static NMRC_NODISCARD nmrc_status accumulate(nmri_planner *pl, nmrc_cmat *U)
{
    nmrc_status st = nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, pl->seg, U, 0.0, pl->tmp);
    return st ? st : nmrc_cmat_copy(U, pl->tmp);
}

/* Writes the sorted switching times of a rectangular pulse (0, each
** channel's end, the event end) into edges; returns their count. */
static size_t rect_edges(const nmri_key *k, size_t nc, double *edges)
{
    size_t ne = 0;
    edges[ne++] = 0;
    edges[ne++] = k->t;
    for (size_t c = 0; c < nc; c++)
        if (k->nu[c] != 0.0)
            edges[ne++] = k->on[c];
    for (size_t a = 1; a < ne; a++)             /* insertion sort */
        for (size_t b = a; b > 0 && edges[b] < edges[b - 1]; b--) {
            double x = edges[b];
            edges[b] = edges[b - 1];
            edges[b - 1] = x;
        }
    return ne;
}

/* Rectangular pulse: every channel starts with the event (TopSpin's
** `(p1):f1 (p2):f2`), piecewise constant between the switching times. */
static NMRC_NODISCARD nmrc_status build_rect(nmri_planner *pl, const nmri_key *k, nmrc_cmat *U)
{
    size_t nc = pl->seq->n_channels;
    double edges[NMRC_SEQ_MAX_CHANNELS + 2];
    size_t ne = rect_edges(k, nc, edges);
    nmrc_cmat_identity(U);
    for (size_t s = 0; s + 1 < ne; s++) {
        double t0 = edges[s], t1 = edges[s + 1], mid = (t0 + t1) / 2;
        if (t1 - t0 <= 1e-15 * (k->t + 1e-30))
            continue;
        double nu[NMRC_SEQ_MAX_CHANNELS] = {0};
        for (size_t c = 0; c < nc; c++)
            if (mid < k->on[c])
                nu[c] = k->nu[c];
        pulse_hamiltonian(pl, nu, k->ph);
        nmrc_status st = segment(pl, t1 - t0);
        if (!st)
            st = accumulate(pl, U);
        if (st)
            return st;
    }
    return NMRC_OK;
}

/* Shaped pulse: equal segments with the table's amplitude and phase. */
static NMRC_NODISCARD nmrc_status build_shaped(nmri_planner *pl, const nmri_key *k, nmrc_cmat *U)
{
    const nmrc_shape *sh = &pl->seq->shapes[k->shape];
    double dt = k->t / (double)sh->n;
    nmrc_cmat_identity(U);
    for (size_t s = 0; s < sh->n; s++) {
        double nu[NMRC_SEQ_MAX_CHANNELS] = {0}, ph[NMRC_SEQ_MAX_CHANNELS] = {0};
        nu[k->channel] = k->scale * sh->amp[s] / 100.0;
        ph[k->channel] = k->ph[k->channel] + sh->phase[s] * NMRC_PI / 180.0;
        pulse_hamiltonian(pl, nu, ph);
        nmrc_status st = segment(pl, dt);
        if (!st)
            st = accumulate(pl, U);
        if (st)
            return st;
    }
    return NMRC_OK;
}

/* Ideal pulse: exp(-i sum theta/2 (cos ph X + sin ph Y)) on the driven spins;
** in super mode its superoperator conj(V) (x) V. */
static NMRC_NODISCARD nmrc_status build_delta(nmri_planner *pl, const nmri_key *k, nmrc_cmat *U)
{
    size_t n = pl->plan->sys.n_spins;
    nmrc_cmat_zero(pl->h);
    for (size_t c = 0; c < pl->seq->n_channels; c++)
        for (size_t i = 0; i < n; i++)
            if (k->theta[c] != 0.0 && (pl->chmask[c] & (1u << i)))
                nmrc_nmri_add_local(pl->h, n, (int)i, k->theta[c] / 2 * cos(k->ph[c]),
                                    k->theta[c] / 2 * sin(k->ph[c]), 0);
    if (!pl->plan->super)
        return nmrc_expmh(U, pl->h, 1.0, pl->eig);
    nmrc_status st = nmrc_expmh(pl->u, pl->h, 1.0, pl->eig);
    if (st)
        return st;
    NMRC_CHECKED(nmrc_cmat_adjoint(pl->ud, pl->u));
    nmrc_cmat_zero(U);
    nmrc_nmri_add_sandwich(U, 1.0, pl->u, pl->ud);
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status build_prop(nmri_planner *pl, const nmri_key *k, nmrc_cmat *U)
{
    if (k->kind == NMRI_KEY_DELAY) {
        NMRC_CHECKED(nmrc_cmat_copy(pl->h, pl->hnat));
        nmrc_status st = segment(pl, k->t);
        return st ? st : nmrc_cmat_copy(U, pl->seg);
    }
    if (k->kind == NMRI_KEY_RECT)
        return build_rect(pl, k, U);
    if (k->kind == NMRI_KEY_SHAPED)
        return build_shaped(pl, k, U);
    return build_delta(pl, k, U);
}

nmrc_status nmrc_nmri_add_prop(nmrc_nmr_plan *plan, nmrc_cmat *U, const void *key, size_t *idx)
{
    if (plan->n_props == plan->cap_props) {
        size_t cap = plan->cap_props ? 2 * plan->cap_props : 16;
        nmrc_cmat **p = realloc(plan->props, cap * sizeof *p);
        if (!p)
            return NMRC_ENOMEM;
        plan->props = p;
        nmri_key *nk = realloc(plan->keys, cap * sizeof *nk);
        if (!nk)
            return NMRC_ENOMEM;
        plan->keys = nk;
        plan->cap_props = cap;
    }
    nmri_key *slot = &((nmri_key *)plan->keys)[plan->n_props];
    if (key)
        memcpy(slot, key, sizeof *slot);
    else
        memset(slot, 0, sizeof *slot);      /* kind 0: never matches a lookup */
    plan->props[plan->n_props] = U;
    *idx = plan->n_props++;
    return NMRC_OK;
}

/* Returns in *idx the cached propagator for key k, building it if new. */
static NMRC_NODISCARD nmrc_status lookup_prop(nmri_planner *pl, const nmri_key *k, size_t *idx)
{
    nmrc_nmr_plan *plan = pl->plan;
    nmri_key *keys = plan->keys;
    for (size_t i = 0; i < plan->n_props; i++)
        if (!memcmp(&keys[i], k, sizeof *k)) {
            *idx = i;
            return NMRC_OK;
        }
    size_t D = plan->super ? plan->dim * plan->dim : plan->dim;
    nmrc_cmat *U = nmrc_cmat_create(D, D);
    if (!U)
        return NMRC_ENOMEM;
    nmrc_status st = build_prop(pl, k, U);
    if (!st)
        st = nmrc_nmri_add_prop(plan, U, k, idx);
    if (st) {
        nmrc_cmat_destroy(U);
        return nmrc_ctx_error(pl->ctx, st, "nmr: building a propagator failed (%s)",
                              nmrc_strerror(st));
    }
    return NMRC_OK;
}

/* Appends a PROP step for key k (one cached propagator). */
static NMRC_NODISCARD nmrc_status emit_cached(nmri_planner *pl, const nmri_key *k)
{
    nmri_step s = {NMRI_STEP_PROP, 0, 0, 0, 0};
    nmrc_status st = lookup_prop(pl, k, &s.prop);
    return st ? st : nmrc_nmri_push_step(pl, s);
}

/* ---- Split mode: Strang splitting with exact single-spin relaxation ------ */

/* Appends a RELAX step for time h: per spin e1 = exp(-h/T1), e2 = coherence
** factor, p = equilibrium polarization. */
static NMRC_NODISCARD nmrc_status emit_relax(nmri_planner *pl, double h)
{
    const nmrc_nmr_system *sys = &pl->plan->sys;
    nmri_step s = {NMRI_STEP_RELAX, 0, 0, 0, 0};
    nmrc_status st = nmrc_nmri_new_diag(pl->plan, &s.diag);
    if (st)
        return st;
    nmrc_cplx *d = pl->plan->diags + s.diag * pl->plan->dim;
    for (size_t i = 0; i < sys->n_spins; i++) {
        const nmrc_nmr_spin *sp = &sys->spins[i];
        double r2 = sp->t2 > 0 ? 1 / sp->t2 : (sp->t1 > 0 ? 1 / (2 * sp->t1) : 0);
        d[3 * i] = sp->t1 > 0 ? exp(-h / sp->t1) : 1.0;
        d[3 * i + 1] = exp(-h * r2);
        d[3 * i + 2] = sp->eq_pol;
    }
    nmrc_nmri_intern_diag(pl->plan, &s.diag);
    return nmrc_nmri_push_step(pl, s);
}

/* Sum over spins of the relaxation rates 1/T1 + 1/T2. */
static double relax_rate(const nmrc_nmr_system *sys)
{
    double r = 0;
    for (size_t i = 0; i < sys->n_spins; i++)
        r += (sys->spins[i].t1 > 0 ? 1 / sys->spins[i].t1 : 0) +
             (sys->spins[i].t2 > 0 ? 1 / sys->spins[i].t2 : 0);
    return r;
}

/* Number of Strang steps for a constant piece of length t with RF nu, ph:
** the error t h^2 C / 12 with C = 4 |H'|^2 R + 2 |H'| R^2 (H' = H without
** the offsets, which commute with the relaxation) is kept below the
** tolerance. */
static size_t split_steps(nmri_planner *pl, const double *nu, const double *ph, double t)
{
    const nmrc_nmr_system *sys = &pl->plan->sys;
    pulse_hamiltonian(pl, nu, ph);
    NMRC_CHECKED(nmrc_cmat_copy(pl->hn, pl->h));
    for (size_t k = 0; k < pl->plan->dim; k++)
        for (size_t i = 0; i < sys->n_spins; i++)
            NMRC_CMAT_AT(pl->hn, k, k) -=
                NMRC_PI * sys->spins[i].offset_hz * nmrc_nmri_zval(k, sys->n_spins, (int)i);
    double hn = nmrc_cmat_norm_1(pl->hn), r = relax_rate(sys);
    double c = 4 * hn * hn * r + 2 * hn * r * r;
    double tol = pl->opt->split_tol > 0 ? pl->opt->split_tol : 1e-7;
    double m = ceil(t * sqrt(t * c / (12 * tol)));
    return m < 1 ? 1 : m > 1e7 ? 10000000 : (size_t)m;
}

/* Splits one constant piece (RF nu, ph on for the whole piece) of length t:
** U(h/2) [R(h) U(h)]^(m-1) R(h) U(h/2). */
static NMRC_NODISCARD nmrc_status split_piece(nmri_planner *pl, const double *nu, const double *ph, double t)
{
    if (t <= 0)
        return NMRC_OK;
    size_t m = split_steps(pl, nu, ph, t);
    double h = t / (double)m;
    nmri_key half, full;
    memset(&half, 0, sizeof half);
    half.kind = NMRI_KEY_DELAY;
    for (size_t c = 0; c < pl->seq->n_channels; c++)
        if (nu[c] != 0.0) {
            half.kind = NMRI_KEY_RECT;
            half.nu[c] = nu[c];
            half.ph[c] = ph[c];
        }
    memcpy(&full, &half, sizeof full);      /* padding included: keys are memcmp'd */
    half.t = h / 2;
    full.t = h;
    for (size_t c = 0; c < pl->seq->n_channels; c++)
        if (nu[c] != 0.0) {
            half.on[c] = h / 2;
            full.on[c] = h;
        }
    nmrc_status st = emit_cached(pl, &half);
    if (!st && m > 1) {
        nmri_step lp = {NMRI_STEP_LOOP, 0, 0, m - 1, 0};
        size_t open = pl->prog->n;
        if (!(st = nmrc_nmri_push_step(pl, lp)) && !(st = emit_relax(pl, h)) &&
            !(st = emit_cached(pl, &full))) {
            nmri_step end = {NMRI_STEP_END, 0, 0, 0, open};
            st = nmrc_nmri_push_step(pl, end);
            if (!st)
                pl->prog->steps[open].match = pl->prog->n - 1;
        }
    }
    if (!st)
        st = emit_relax(pl, h);
    return st ? st : emit_cached(pl, &half);
}

/* Split mode: every constant piece of the event k. */
static NMRC_NODISCARD nmrc_status split_event(nmri_planner *pl, const nmri_key *k)
{
    double nu[NMRC_SEQ_MAX_CHANNELS] = {0}, ph[NMRC_SEQ_MAX_CHANNELS] = {0};
    size_t nc = pl->seq->n_channels;
    if (k->kind == NMRI_KEY_DELAY)
        return split_piece(pl, nu, ph, k->t);
    if (k->kind == NMRI_KEY_SHAPED) {
        const nmrc_shape *sh = &pl->seq->shapes[k->shape];
        double dt = k->t / (double)sh->n;
        for (size_t s = 0; s < sh->n; s++) {
            nu[k->channel] = k->scale * sh->amp[s] / 100.0;
            ph[k->channel] = k->ph[k->channel] + sh->phase[s] * NMRC_PI / 180.0;
            nmrc_status st = split_piece(pl, nu, ph, dt);
            if (st)
                return st;
        }
        return NMRC_OK;
    }
    double edges[NMRC_SEQ_MAX_CHANNELS + 2];
    size_t ne = rect_edges(k, nc, edges);
    for (size_t s = 0; s + 1 < ne; s++) {
        double mid = (edges[s] + edges[s + 1]) / 2;
        for (size_t c = 0; c < nc; c++) {
            nu[c] = mid < k->on[c] ? k->nu[c] : 0;
            ph[c] = nu[c] != 0.0 ? k->ph[c] : 0;
        }
        nmrc_status st = split_piece(pl, nu, ph, edges[s + 1] - edges[s]);
        if (st)
            return st;
    }
    return NMRC_OK;
}

nmrc_status nmrc_nmri_emit_prop(nmri_planner *pl, const nmri_key *k)
{
    if (pl->plan->split && k->kind != NMRI_KEY_DELTA)
        return split_event(pl, k);
    return emit_cached(pl, k);
}

nmrc_status nmrc_nmri_emit_delay(nmri_planner *pl, double t)
{
    if (t <= 0)
        return NMRC_OK;
    nmri_key k;
    memset(&k, 0, sizeof k);
    k.kind = NMRI_KEY_DELAY;
    k.t = t;
    return nmrc_nmri_emit_prop(pl, &k);
}

