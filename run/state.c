/*
** state.c: states of a model's spins: the target Hamiltonian, the spec's
** initial state (Gibbs, charged Gibbs, product, Bell, explicit matrix), the
** charging unitary on every spin, the spin pair of the two-spin measures,
** and the state at one time with its figures (what `nmrc state` shows).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc/sim.h"
#include "run_impl.h"

nmrc_cmat *nmrc_run_hamiltonian_new_(const nmrc_model *m, nmrc_ctx *ctx)
{
    size_t d = nmrc_sim_dim(m->n_spins);
    nmrc_cmat *H = d ? nmrc_cmat_create(d, d) : NULL;
    nmrc_status st = H ? nmrc_sim_hamiltonian(m, ctx, H) : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        nmrc_run_fail_(ctx, st, "Hamiltonian");
        nmrc_cmat_destroy(H);
        return NULL;
    }
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

static NMRC_NODISCARD nmrc_status gibbs_state(const nmrc_model *m, const nmrc_cmat *H,
                                              nmrc_ctx *ctx, nmrc_cmat *rho)
{
    nmrc_status st = nmrc_sim_gibbs(H, m->temperature, ctx, rho);
    return st == NMRC_OK ? st : nmrc_run_fail_(ctx, st, "Gibbs state");
}

nmrc_status nmrc_run_initial_state_(const nmrc_model *m, const nmrc_cmat *H, nmrc_ctx *ctx,
                                    nmrc_cmat *rho)
{
    size_t d = rho->n1, n = m->n_spins;
    switch (m->init.kind) {
    case NMRC_INIT_GIBBS:
        return gibbs_state(m, H, ctx, rho);
    case NMRC_INIT_CHARGED: {
        nmrc_cmat *z = nmrc_cmat_create(d, d);
        nmrc_status st = z ? gibbs_state(m, H, ctx, z)
                           : nmrc_ctx_error(ctx, NMRC_ENOMEM, "initial state: out of memory");
        if (st == NMRC_OK)
            st = nmrc_run_charge_(m, z, m->init.t, ctx, rho);
        nmrc_cmat_destroy(z);
        return st;
    }
    case NMRC_INIT_PRODUCT: {
        size_t b = 0;
        for (size_t i = 0; i < n; i++)
            if (m->init.bits[i] == '1')
                b |= nmrc_sim_spin_bit(n, i);
        set_pure_index(rho, b);
        return NMRC_OK;
    }
    case NMRC_INIT_BELL:
        if (n < 2)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "a Bell state needs two spins");
        set_bell(rho, n, m->init.bell);
        return NMRC_OK;
    case NMRC_INIT_MATRIX:
        if (!m->init.rho)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "initial matrix missing");
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < d; i++)
                NMRC_CMAT_AT(rho, i, j) = m->init.rho[i + j * d];
        return NMRC_OK;
    }
    return nmrc_ctx_error(ctx, NMRC_EINVAL, "unknown initial state kind");
}

nmrc_status nmrc_run_charge_(const nmrc_model *m, const nmrc_cmat *rho0, double t,
                             nmrc_ctx *ctx, nmrc_cmat *rho)
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
        nmrc_ctx_error(ctx, st, "charging unitary: %s", nmrc_strerror(st));
    nmrc_cmat_destroy(Hc), nmrc_cmat_destroy(U), nmrc_cmat_destroy(tmp);
    nmrc_eigh_ws_destroy(ws);
    return st;
}

/* ---- Public, flat arrays ---------------------------------------------------- */

nmrc_status nmrc_run_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cplx *H)
{
    size_t d = nmrc_sim_dim(m->n_spins);
    nmrc_ctx_clear(ctx);
    if (!d)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "Hamiltonian: %zu spins", m->n_spins);
    nmrc_cmat Hv = nmrc_cmat_view(H, d, d, d);
    nmrc_status st = nmrc_sim_hamiltonian(m, ctx, &Hv);
    return st == NMRC_OK ? st : nmrc_run_fail_(ctx, st, "Hamiltonian");
}

nmrc_status nmrc_run_initial_state(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cplx *rho)
{
    nmrc_ctx_clear(ctx);
    nmrc_cmat *H = nmrc_run_hamiltonian_new_(m, ctx);
    if (!H)
        return nmrc_ctx_status(ctx);
    nmrc_cmat r = nmrc_cmat_view(rho, H->n1, H->n1, H->n1);
    nmrc_status st = nmrc_run_initial_state_(m, H, ctx, &r);
    nmrc_cmat_destroy(H);
    return st;
}

nmrc_status nmrc_run_charge(const nmrc_model *m, const nmrc_cplx *rho0, double t, nmrc_ctx *ctx,
                            nmrc_cplx *rho)
{
    size_t d = nmrc_sim_dim(m->n_spins);
    nmrc_ctx_clear(ctx);
    if (!d)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "charging: %zu spins", m->n_spins);
    if (!isfinite(t))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "charging: time %g", t);
    nmrc_cmat r0 = nmrc_cmat_view((nmrc_cplx *)rho0, d, d, d), r = nmrc_cmat_view(rho, d, d, d);
    return nmrc_run_charge_(m, &r0, t, ctx, &r);
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

nmrc_status nmrc_run_pair(const nmrc_model *m, const char *pair, nmrc_ctx *ctx, size_t *i,
                          size_t *j)
{
    *i = 0, *j = 1;
    if (m->n_spins < 2)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "two-spin measures need at least two spins");
    if (!pair)
        return NMRC_OK;
    const char *comma = strchr(pair, ',');
    if (!comma || spin_of(m, pair, (size_t)(comma - pair), i) ||
        spin_of(m, comma + 1, strlen(comma + 1), j) || *i == *j)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "bad --pair '%s' (expected I,J: two different "
                              "spins, 0-based indices below %zu or labels)", pair, m->n_spins);
    return NMRC_OK;
}

/* ---- The state at one time -------------------------------------------------- */

/* rho = the Lindblad-evolved rho0 at time t. */
static NMRC_NODISCARD nmrc_status lindblad_to(const nmrc_model *m, const nmrc_cmat *rho0,
                                              double t, nmrc_ctx *ctx, nmrc_cmat *rho)
{
    nmrc_lindblad_plan *plan = NULL;
    nmrc_lindblad_ws *ws = NULL;
    nmrc_status st = nmrc_lindblad_plan_from_model(m, NULL, ctx, &plan);
    if (st == NMRC_OK && !(ws = nmrc_lindblad_ws_create(plan)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_lindblad_execute(plan, ws, rho0, &t, 1, ctx, rho);
    if (st != NMRC_OK)
        nmrc_run_fail_(ctx, st, "Lindblad evolution");
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(plan);
    return st;
}

/* The figures of rho: battery (energy basis of H), purity, entropy,
** coherence, and those of the pair when the model has two spins or more. */
static NMRC_NODISCARD nmrc_status state_figs(const nmrc_model *m, const nmrc_cmat *H,
                                             const nmrc_cmat *rho, const char *pair,
                                             nmrc_ctx *ctx, nmrc_run_state_info *f)
{
    size_t d = H->n1;
    nmrc_metrics_ws *mws = nmrc_metrics_ws_create(m->n_spins), *pws = nmrc_metrics_ws_create(2);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(d);
    nmrc_cmat *V = nmrc_cmat_create(d, d), *pr = nmrc_cmat_create(4, 4);
    double *E = malloc(d * sizeof *E);
    nmrc_discord_result disc;
    nmrc_status st = NMRC_ENOMEM;
    if (!mws || !pws || !ews || !V || !pr || !E)
        goto fail;
    if ((st = nmrc_cmat_copy(V, H)) != NMRC_OK || (st = nmrc_eigh(V, E, ews)) != NMRC_OK ||
        (st = nmrc_metrics_battery(mws, rho, E, V, &f->battery)) != NMRC_OK ||
        (st = nmrc_metrics_purity(rho, &f->purity)) != NMRC_OK ||
        (st = nmrc_metrics_entropy(mws, rho, &f->entropy)) != NMRC_OK ||
        (st = nmrc_metrics_coherence(rho, &f->coherence)) != NMRC_OK)
        goto fail;
    f->trace = creal(nmrc_cmat_trace(rho));
    f->entropy /= log(2.0);
    if (m->n_spins >= 2) {
        if ((st = nmrc_run_pair(m, pair, ctx, &f->pair_i, &f->pair_j)) != NMRC_OK)
            goto out;
        f->has_pair = 1;
        if ((st = nmrc_metrics_reduce_pair(rho, m->n_spins, f->pair_i, f->pair_j, pr)) != NMRC_OK ||
            (st = nmrc_metrics_concurrence(pws, pr, &f->concurrence)) != NMRC_OK ||
            (st = nmrc_metrics_discord_full(pws, pr, &disc)) != NMRC_OK)
            goto fail;
        f->discord = disc.discord, f->mutual_info = disc.mutual_info;
    }
    goto out;
fail:
    nmrc_ctx_error(ctx, st, "metrics: %s", nmrc_strerror(st));
out:
    nmrc_metrics_ws_destroy(mws), nmrc_metrics_ws_destroy(pws);
    nmrc_eigh_ws_destroy(ews);
    nmrc_cmat_destroy(V), nmrc_cmat_destroy(pr);
    free(E);
    return st;
}

nmrc_status nmrc_run_state(const nmrc_model *m, int at, double t, const char *pair, nmrc_ctx *ctx,
                           nmrc_cplx *rho, nmrc_run_state_info *info)
{
    nmrc_ctx_clear(ctx);
    memset(info, 0, sizeof *info);
    info->t = t;
    info->initial_gibbs = m->init.kind == NMRC_INIT_GIBBS;
    info->kind = !at ? NMRC_RUN_STATE_INITIAL
                     : m->has_charge ? NMRC_RUN_STATE_CHARGED : NMRC_RUN_STATE_LINDBLAD;
    if (at && !isfinite(t))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "state: time %g", t);
    if (info->kind == NMRC_RUN_STATE_LINDBLAD && t < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--at needs t >= 0 for Lindblad evolution");
    nmrc_cmat *H = nmrc_run_hamiltonian_new_(m, ctx);
    if (!H)
        return nmrc_ctx_status(ctx);
    size_t d = H->n1;
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d), r = nmrc_cmat_view(rho, d, d, d);
    nmrc_status st = rho0 ? nmrc_run_initial_state_(m, H, ctx, rho0)
                          : nmrc_ctx_error(ctx, NMRC_ENOMEM, "state: out of memory");
    if (st == NMRC_OK && info->kind == NMRC_RUN_STATE_INITIAL)
        st = nmrc_cmat_copy(&r, rho0);
    else if (st == NMRC_OK && info->kind == NMRC_RUN_STATE_CHARGED)
        st = nmrc_run_charge_(m, rho0, t, ctx, &r);
    else if (st == NMRC_OK)
        st = lindblad_to(m, rho0, t, ctx, &r);
    if (st == NMRC_OK)
        st = state_figs(m, H, &r, pair, ctx, info);
    nmrc_cmat_destroy(rho0);
    nmrc_cmat_destroy(H);
    return st;
}
