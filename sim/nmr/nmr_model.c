/*
** nmr_model.c: the natural spin system of the physical NMR model: building
** it from a resolved spec model or from the spin system a sequence records,
** checking it, the rotating-frame Hamiltonian
** (offsets, J, secular dipolar couplings; weak coupling between different
** isotopes) and its Lindbladian with T1/T2 dissipators.  docs/nmr-model.md.
*/
#include "nmr_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Applies sigma_a (a = 0, 1, 2 for x, y, z) on the bit of spin i of basis
** state *k; returns the amplitude and updates *k. */
static nmrc_cplx pauli_apply(int a, size_t *k, size_t n_spins, int i)
{
    size_t bit = (size_t)1 << (n_spins - 1 - (size_t)i);
    int up = !(*k & bit);
    if (a == 2)
        return up ? 1.0 : -1.0;
    *k ^= bit;
    if (a == 0)
        return 1.0;
    return up ? I : -I;         /* Y|0> = i|1>, Y|1> = -i|0> */
}

void nmrc_nmri_add_pair(nmrc_cmat *H, size_t n_spins, int i, int j, const double T[9])
{
    size_t dim = (size_t)1 << n_spins;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            if (T[3 * a + b] == 0.0)
                continue;
            for (size_t k = 0; k < dim; k++) {
                size_t kk = k;
                nmrc_cplx c = pauli_apply(b, &kk, n_spins, j);
                c *= pauli_apply(a, &kk, n_spins, i);
                NMRC_CMAT_AT(H, kk, k) += T[3 * a + b] * c;
            }
        }
}

void nmrc_nmri_add_local(nmrc_cmat *H, size_t n_spins, int i, double cx, double cy, double cz)
{
    size_t dim = (size_t)1 << n_spins;
    double c[3] = {cx, cy, cz};
    for (int a = 0; a < 3; a++) {
        if (c[a] == 0.0)
            continue;
        for (size_t k = 0; k < dim; k++) {
            size_t kk = k;
            nmrc_cplx v = pauli_apply(a, &kk, n_spins, i);
            NMRC_CMAT_AT(H, kk, k) += c[a] * v;
        }
    }
}

void nmrc_nmri_add_sandwich(nmrc_cmat *S, nmrc_cplx c, const nmrc_cmat *A, const nmrc_cmat *B)
{
    size_t d = A->n1;
    for (size_t e = 0; e < d; e++)          /* column of X */
        for (size_t b = 0; b < d; b++) {    /* column of the result */
            nmrc_cplx bb = NMRC_CMAT_AT(B, e, b);
            if (bb == 0.0)
                continue;
            for (size_t cc = 0; cc < d; cc++)   /* row of X */
                for (size_t a = 0; a < d; a++) {
                    nmrc_cplx aa = NMRC_CMAT_AT(A, a, cc);
                    if (aa != 0.0)
                        NMRC_CMAT_AT(S, a + d * b, cc + d * e) += c * aa * bb;
                }
        }
}

size_t nmrc_nmr_dim(const nmrc_nmr_system *sys)
{
    return (size_t)1 << sys->n_spins;
}

int nmrc_nmr_homonuclear(const nmrc_nmr_system *sys, int i, int j)
{
    return !strcmp(sys->spins[i].isotope, sys->spins[j].isotope);
}

static NMRC_NODISCARD nmrc_status check_spin(const nmrc_nmr_spin *s, size_t i, nmrc_ctx *ctx)
{
    if (!isfinite(s->gamma) || !isfinite(s->offset_hz) || !isfinite(s->t1) ||
        !isfinite(s->t2) || !isfinite(s->eq_pol))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: spin %zu has a non-finite parameter", i);
    if (s->t1 < 0 || s->t2 < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: spin %zu has a negative T1 or T2", i);
    if (s->t1 > 0 && s->t2 > 2 * s->t1 * (1 + 1e-12))
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "nmr: spin %zu has T2 = %g s > 2 T1 = %g s (unphysical)", i,
                              s->t2, 2 * s->t1);
    if (fabs(s->eq_pol) > 1)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: spin %zu has |eq_pol| > 1", i);
    if (!s->isotope[0])
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: spin %zu has no isotope", i);
    return NMRC_OK;
}

nmrc_status nmrc_nmr_system_check(const nmrc_nmr_system *sys, nmrc_ctx *ctx)
{
    if (!sys || sys->n_spins < 1 || sys->n_spins > NMRC_NMR_MAX_SPINS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: the system needs 1 to %d spins",
                              NMRC_NMR_MAX_SPINS);
    for (size_t i = 0; i < sys->n_spins; i++) {
        nmrc_status st = check_spin(&sys->spins[i], i, ctx);
        if (st)
            return st;
    }
    if (sys->n_couplings > NMRC_NMR_MAX_COUPLINGS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: too many couplings");
    for (size_t c = 0; c < sys->n_couplings; c++) {
        const nmrc_nmr_coupling *cp = &sys->couplings[c];
        if (cp->i < 0 || cp->j < 0 || (size_t)cp->i >= sys->n_spins ||
            (size_t)cp->j >= sys->n_spins || cp->i == cp->j)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: coupling %zu has bad spins (%d, %d)",
                                  c, cp->i, cp->j);
        if (!isfinite(cp->j_hz) || !isfinite(cp->dipolar_hz))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: coupling %zu is not finite", c);
    }
    return NMRC_OK;
}

/* Starts *sys (zeroed) with n_spins spins and n_couplings couplings after
** checking the counts against the model's limits. */
static NMRC_NODISCARD nmrc_status system_start(nmrc_nmr_system *sys, size_t n_spins,
                                               size_t n_couplings, nmrc_ctx *ctx)
{
    memset(sys, 0, sizeof *sys);
    if (n_spins > NMRC_NMR_MAX_SPINS)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "nmr: %zu spins; the physical model takes %d",
                              n_spins, NMRC_NMR_MAX_SPINS);
    if (n_couplings > NMRC_NMR_MAX_COUPLINGS)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "nmr: too many couplings");
    sys->n_spins = n_spins;
    sys->n_couplings = n_couplings;
    return NMRC_OK;
}

static void set_spin(nmrc_nmr_spin *s, const char *isotope, double gamma, double offset_hz,
                     double t1, double t2)
{
    snprintf(s->isotope, sizeof s->isotope, "%s", isotope);
    s->gamma = gamma;
    s->offset_hz = offset_hz;
    s->t1 = t1;
    s->t2 = t2;
}

nmrc_status nmrc_nmr_system_from_model(const nmrc_model *m, nmrc_ctx *ctx,
                                       nmrc_nmr_system *sys)
{
    nmrc_status st = system_start(sys, m->n_spins, m->n_couplings, ctx);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < m->n_spins; i++) {
        const nmrc_spin *s = &m->spins[i];
        set_spin(&sys->spins[i], s->isotope, s->gamma, s->offset_hz, s->t1, s->t2);
    }
    for (size_t c = 0; c < m->n_couplings; c++) {
        const nmrc_coupling *p = &m->couplings[c];
        sys->couplings[c] = (nmrc_nmr_coupling){p->i, p->j, p->j_hz, p->dipolar_hz,
                                                nmrc_model_coupling_is_weak(m, p)};
    }
    return nmrc_nmr_system_check(sys, ctx);
}

nmrc_status nmrc_nmr_system_from_seq(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_nmr_system *sys)
{
    const nmrc_seq_system *r = &seq->system;
    if (r->n_spins == 0) {
        memset(sys, 0, sizeof *sys);
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: sequence '%s' records no spin system "
                              "(no nmrc:system)", seq->name);
    }
    nmrc_status st = system_start(sys, r->n_spins, r->n_couplings, ctx);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < r->n_spins; i++) {
        const nmrc_seq_spin *s = &r->spins[i];
        set_spin(&sys->spins[i], s->nucleus, nmrc_isotope_gamma(s->nucleus), s->offset_hz,
                 s->t1, s->t2);
    }
    for (size_t c = 0; c < r->n_couplings; c++) {
        const nmrc_seq_coupling *p = &r->couplings[c];
        int weak = p->weak || strcmp(r->spins[p->i].nucleus, r->spins[p->j].nucleus) != 0;
        sys->couplings[c] = (nmrc_nmr_coupling){p->i, p->j, p->j_hz, p->dipolar_hz, weak};
    }
    return nmrc_nmr_system_check(sys, ctx);
}

void nmrc_nmr_system_chcl3(nmrc_nmr_system *sys)
{
    memset(sys, 0, sizeof *sys);
    sys->n_spins = 2;
    snprintf(sys->spins[0].isotope, sizeof sys->spins[0].isotope, "1H");
    sys->spins[0].gamma = NMRC_GAMMA_1H;
    sys->spins[0].t1 = 2.0;
    sys->spins[0].t2 = 0.8;
    snprintf(sys->spins[1].isotope, sizeof sys->spins[1].isotope, "13C");
    sys->spins[1].gamma = nmrc_isotope_gamma("13C");
    sys->spins[1].t1 = 5.0;
    sys->spins[1].t2 = 0.3;
    sys->n_couplings = 1;
    sys->couplings[0].i = 0;
    sys->couplings[0].j = 1;
    sys->couplings[0].j_hz = 215.0;
}

/* Adds one coupling: weak (zz only) between different isotopes or when
** the coupling says weak, full isotropic J and the homonuclear secular
** dipolar form otherwise. */
static void add_coupling(nmrc_cmat *H, const nmrc_nmr_system *sys, const nmrc_nmr_coupling *c)
{
    double T[9] = {0};
    double jj = NMRC_PI * c->j_hz / 2;     /* 2 pi J I.S = (pi J / 2) sigma.sigma */
    double b = c->dipolar_hz;
    if (!c->weak && nmrc_nmr_homonuclear(sys, c->i, c->j)) {
        /* 2 pi b (3 Iz Sz - I.S) = (pi b / 2)(2 ZZ - XX - YY) */
        T[0] = jj - NMRC_PI * b / 2;
        T[4] = jj - NMRC_PI * b / 2;
        T[8] = jj + NMRC_PI * b;
    } else {
        T[8] = jj + NMRC_PI * b;           /* 2 pi b 2 Iz Sz = pi b ZZ */
    }
    nmrc_nmri_add_pair(H, sys->n_spins, c->i, c->j, T);
}

nmrc_status nmrc_nmr_hamiltonian(const nmrc_nmr_system *sys, nmrc_cmat *H)
{
    size_t d = nmrc_nmr_dim(sys);
    if (H->n1 != d || H->n2 != d)
        return NMRC_EBADLEN;
    nmrc_cmat_zero(H);
    for (size_t i = 0; i < sys->n_spins; i++)
        nmrc_nmri_add_local(H, sys->n_spins, (int)i, 0, 0, NMRC_PI * sys->spins[i].offset_hz);
    for (size_t c = 0; c < sys->n_couplings; c++)
        add_coupling(H, sys, &sys->couplings[c]);
    return NMRC_OK;
}

/* S += D[L] for L = sqrt(rate) * (single-spin operator op on spin i). */
static void add_dissipator(nmrc_cmat *S, const nmrc_nmr_system *sys, int i, const double op[4],
                           double rate, nmrc_cmat *L, nmrc_cmat *Ld, nmrc_cmat *M)
{
    /* op is the 2x2 matrix [op00 op01; op10 op11] (row-major) on spin i. */
    size_t n = sys->n_spins, d = L->n1;
    size_t bit = (size_t)1 << (n - 1 - (size_t)i);
    nmrc_cmat_zero(L);
    for (size_t k = 0; k < d; k++) {
        int b = (k & bit) != 0;
        for (int a = 0; a < 2; a++) {
            double v = op[2 * a + b];
            if (v != 0.0)
                NMRC_CMAT_AT(L, (k & ~bit) | (a ? bit : 0), k) = v;
        }
    }
    NMRC_CHECKED(nmrc_cmat_adjoint(Ld, L));
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, Ld, L, 0.0, M));
    nmrc_nmri_add_sandwich(S, rate, L, Ld);
    for (size_t k = 0; k < d; k++)
        for (size_t l = 0; l < d; l++) {
            nmrc_cplx m = NMRC_CMAT_AT(M, k, l);
            if (m == 0.0)
                continue;
            for (size_t e = 0; e < d; e++) {
                /* -rate/2 (M X): (I (x) M); -rate/2 (X M): (M^T (x) I) */
                NMRC_CMAT_AT(S, k + d * e, l + d * e) -= 0.5 * rate * m;
                NMRC_CMAT_AT(S, e + d * l, e + d * k) -= 0.5 * rate * m;
            }
        }
}

static void add_relaxation(nmrc_cmat *S, const nmrc_nmr_system *sys, nmrc_cmat *L,
                           nmrc_cmat *Ld, nmrc_cmat *M)
{
    static const double to_up[4] = {0, 1, 0, 0};   /* |0><1| */
    static const double to_down[4] = {0, 0, 1, 0}; /* |1><0| */
    static const double z[4] = {1, 0, 0, -1};
    for (size_t i = 0; i < sys->n_spins; i++) {
        const nmrc_nmr_spin *s = &sys->spins[i];
        double r2 = 0;
        if (s->t1 > 0) {
            double p = s->eq_pol;
            add_dissipator(S, sys, (int)i, to_up, (1 + p) / (2 * s->t1), L, Ld, M);
            add_dissipator(S, sys, (int)i, to_down, (1 - p) / (2 * s->t1), L, Ld, M);
            r2 = 1 / (2 * s->t1);
        }
        if (s->t2 > 0) {
            double rz = (1 / s->t2 - r2) / 2;  /* D[sqrt(r) Z] decays coherences at 2r */
            if (rz > 0)
                add_dissipator(S, sys, (int)i, z, rz, L, Ld, M);
        }
    }
}

nmrc_status nmrc_nmr_liouvillian(const nmrc_nmr_system *sys, const nmrc_cmat *H, int relax,
                                 nmrc_cmat *S)
{
    size_t d = nmrc_nmr_dim(sys);
    if (H->n1 != d || H->n2 != d || S->n1 != d * d || S->n2 != d * d)
        return NMRC_EBADLEN;
    nmrc_cmat_zero(S);
    for (size_t k = 0; k < d; k++)
        for (size_t l = 0; l < d; l++) {
            nmrc_cplx h = NMRC_CMAT_AT(H, k, l);
            if (h == 0.0)
                continue;
            for (size_t e = 0; e < d; e++) {
                NMRC_CMAT_AT(S, k + d * e, l + d * e) += -I * h;  /* -i H X */
                NMRC_CMAT_AT(S, e + d * l, e + d * k) += I * h;   /* +i X H */
            }
        }
    if (!relax)
        return NMRC_OK;
    nmrc_cmat *L = nmrc_cmat_create(d, d), *Ld = nmrc_cmat_create(d, d);
    nmrc_cmat *M = nmrc_cmat_create(d, d);
    nmrc_status st = NMRC_ENOMEM;
    if (L && Ld && M) {
        add_relaxation(S, sys, L, Ld, M);
        st = NMRC_OK;
    }
    nmrc_cmat_destroy(L);
    nmrc_cmat_destroy(Ld);
    nmrc_cmat_destroy(M);
    return st;
}

unsigned nmrc_nmr_channel_spins(const nmrc_nmr_system *sys, const nmrc_seq *seq, int ch)
{
    if (ch < 0 || (size_t)ch >= seq->n_channels || seq->channels[ch].kind != NMRC_CHAN_RF)
        return 0;
    unsigned mask = 0;
    for (size_t i = 0; i < sys->n_spins; i++)
        if (!strcmp(sys->spins[i].isotope, seq->channels[ch].nucleus))
            mask |= 1u << i;
    return mask;
}
