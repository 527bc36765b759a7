/*
** nmr_exec.c: execution for the physical NMR model.  Applies a plan's
** cached propagators, virtual-Z phases and gradient slice phases to density
** matrices, averages over B1 nodes, gradient slices, experiments and the
** phase cycle (receiver phase), and extracts the process or the unitary.
** Allocates nothing outside nmrc_nmr_ws_create; reads the plan only, so
** threads share it, each with its own workspace.
*/
#include "nmr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t nmrc_nmr_plan_dim(const nmrc_nmr_plan *plan) { return plan->dim; }
size_t nmrc_nmr_plan_scans(const nmrc_nmr_plan *plan) { return plan->n_scans; }
unsigned nmrc_nmr_plan_observed(const nmrc_nmr_plan *plan) { return plan->observed; }
double nmrc_nmr_plan_duration(const nmrc_nmr_plan *plan) { return plan->duration; }
size_t nmrc_nmr_plan_propagators(const nmrc_nmr_plan *plan) { return plan->n_props; }

int nmrc_nmr_plan_is_unitary(const nmrc_nmr_plan *plan)
{
    return !plan->super && !plan->split && plan->n_nodes == 1 && !plan->has_gradient && plan->n_exps == 1 &&
           plan->n_scans == 1;
}

double nmrc_nmr_plan_receiver_phase(const nmrc_nmr_plan *plan, size_t scan)
{
    return scan < plan->n_scans ? plan->rec_phase[scan] : 0;
}

void nmrc_nmr_plan_counts(const nmrc_nmr_plan *plan, size_t *nodes, size_t *slices,
                          size_t *exps)
{
    if (nodes)
        *nodes = plan->n_nodes;
    if (slices)
        *slices = plan->n_slices;
    if (exps)
        *exps = plan->n_exps;
}

nmrc_nmr_ws *nmrc_nmr_ws_create(const nmrc_nmr_plan *plan)
{
    nmrc_nmr_ws *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t d = plan->dim;
    w->dim = d;
    w->a = nmrc_cmat_create(d, d);
    w->b = nmrc_cmat_create(d, d);
    w->tmp = nmrc_cmat_create(d, d);
    w->acc = nmrc_cmat_create(d, d);
    w->vec = malloc(d * d * sizeof *w->vec);
    w->ph = malloc(d * sizeof *w->ph);
    if (!w->a || !w->b || !w->tmp || !w->acc || !w->vec || !w->ph) {
        nmrc_nmr_ws_destroy(w);
        return NULL;
    }
    return w;
}

void nmrc_nmr_ws_destroy(nmrc_nmr_ws *w)
{
    if (!w)
        return;
    nmrc_cmat_destroy(w->a);
    nmrc_cmat_destroy(w->b);
    nmrc_cmat_destroy(w->tmp);
    nmrc_cmat_destroy(w->acc);
    free(w->vec);
    free(w->ph);
    free(w);
}

/* rho_kl *= p_k conj(p_l). */
static void apply_phases(nmrc_cmat *rho, const nmrc_cplx *p)
{
    size_t d = rho->n1;
    for (size_t l = 0; l < d; l++) {
        nmrc_cplx cl = conj(p[l]);
        for (size_t k = 0; k < d; k++)
            NMRC_CMAT_AT(rho, k, l) *= p[k] * cl;
    }
}

/* rho <- P rho (P^+ for unitary props) or S vec(rho) for superoperators. */
static void apply_prop(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, const nmrc_cmat *P,
                       nmrc_cmat *rho)
{
    size_t d = plan->dim;
    if (!plan->super) {
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, P, rho, 0.0, w->tmp));
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, w->tmp, P, 0.0, rho));
        return;
    }
    nmrc_cmat x = nmrc_cmat_view(w->vec, d * d, 1, d * d);
    for (size_t l = 0; l < d; l++)
        memcpy(w->vec + l * d, rho->data + l * rho->ld, d * sizeof *w->vec);
    nmrc_cmat y = nmrc_cmat_view(rho->data, d * d, 1, d * d);
    if (rho->ld == d) {
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, P, &x, 0.0, &y));
        return;
    }
    nmrc_cmat t = nmrc_cmat_view(w->tmp->data, d * d, 1, d * d);
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, P, &x, 0.0, &t));
    for (size_t l = 0; l < d; l++)
        memcpy(rho->data + l * rho->ld, w->tmp->data + l * d, d * sizeof *w->vec);
}

/* Exact single-spin T1/T2 maps for one step (par[3i..3i+2] = e1, e2, p):
** coherences of spin i scale by e2, its populations relax towards
** (1 + p)/2, (1 - p)/2 by the factor e1.  O(dim^2) per spin. */
static void apply_relax(const nmrc_nmr_plan *plan, const nmrc_cplx *par, nmrc_cmat *rho)
{
    size_t n = plan->sys.n_spins, d = plan->dim;
    for (size_t i = 0; i < n; i++) {
        double e1 = creal(par[3 * i]), e2 = creal(par[3 * i + 1]), p = creal(par[3 * i + 2]);
        size_t bit = (size_t)1 << (n - 1 - i);
        if (e1 == 1.0 && e2 == 1.0)
            continue;
        for (size_t l = 0; l < d; l++)
            for (size_t k = 0; k < d; k++) {
                if ((k & bit) != (l & bit)) {
                    NMRC_CMAT_AT(rho, k, l) *= e2;
                } else if (!(k & bit)) {    /* pair (k, l) with (k|bit, l|bit) */
                    nmrc_cplx a = NMRC_CMAT_AT(rho, k, l), c = NMRC_CMAT_AT(rho, k | bit, l | bit);
                    nmrc_cplx a2 = a + (1 - e1) * ((1 + p) / 2 * (a + c) - a);
                    NMRC_CMAT_AT(rho, k, l) = a2;
                    NMRC_CMAT_AT(rho, k | bit, l | bit) = a + c - a2;
                }
            }
    }
}

/* Runs program prog on rho in place; z is the slice position.  When left is
** nonzero (unitary plans only) rho <- P rho, building the propagator. */
static void run_prog(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, const nmri_prog *prog, double z,
                     nmrc_cmat *rho, int left)
{
    size_t depth = 0, d = plan->dim;
    for (size_t i = 0; i < prog->n; i++) {
        const nmri_step *s = &prog->steps[i];
        const nmrc_cplx *diag = plan->diags + s->diag * d;
        NMRC_ASSERT(s->kind != NMRI_STEP_PROP || s->prop < plan->n_props);
        NMRC_ASSERT((s->kind != NMRI_STEP_DIAG && s->kind != NMRI_STEP_GRAD &&
                     s->kind != NMRI_STEP_RELAX) || s->diag < plan->n_diags);
        switch (s->kind) {
        case NMRI_STEP_PROP:
            if (left) {
                NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, plan->props[s->prop], rho, 0.0, w->tmp));
                NMRC_CHECKED(nmrc_cmat_copy(rho, w->tmp));
            } else {
                apply_prop(plan, w, plan->props[s->prop], rho);
            }
            break;
        case NMRI_STEP_DIAG:
            if (left) {
                for (size_t l = 0; l < d; l++)
                    for (size_t k = 0; k < d; k++)
                        NMRC_CMAT_AT(rho, k, l) *= diag[k];
            } else {
                apply_phases(rho, diag);
            }
            break;
        case NMRI_STEP_GRAD:
            for (size_t k = 0; k < d; k++)
                w->ph[k] = cexp(-I * z * creal(diag[k]));
            apply_phases(rho, w->ph);
            break;
        case NMRI_STEP_RELAX:
            apply_relax(plan, diag, rho);
            break;
        case NMRI_STEP_LOOP:
            if (s->count == 0) {
                i = s->match;
            } else {
                NMRC_ASSERT(depth < NMRI_MAX_DEPTH && s->match < prog->n);
                w->stack_i[depth] = i;
                w->stack_n[depth++] = s->count;
            }
            break;
        case NMRI_STEP_END:
            NMRC_ASSERT(depth > 0 && w->stack_i[depth - 1] == s->match);
            if (--w->stack_n[depth - 1] > 0)
                i = w->stack_i[depth - 1];
            else
                depth--;
            break;
        }
    }
    NMRC_ASSERT(depth == 0);
}

static const nmri_prog *get_prog(const nmrc_nmr_plan *plan, size_t node, size_t exp, size_t scan)
{
    return &plan->progs[(node * plan->n_exps + exp) * plan->n_scans + scan];
}

nmrc_status nmrc_nmr_execute_member(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, size_t node,
                                 size_t slice, size_t exp, size_t scan, const nmrc_cmat *rho0,
                                 nmrc_cmat *rho)
{
    size_t d = plan->dim;
    if (node >= plan->n_nodes || slice >= plan->n_slices || exp >= plan->n_exps ||
        scan >= plan->n_scans || w->dim != d || rho0->n1 != d || rho0->n2 != d ||
        rho->n1 != d || rho->n2 != d)
        return NMRC_EINVAL;
    if (rho != rho0)
        NMRC_CHECKED(nmrc_cmat_copy(rho, rho0));
    run_prog(plan, w, get_prog(plan, node, exp, scan), plan->slice_z[slice], rho, 0);
    return NMRC_OK;
}

/* acc += c Rz(-phi) rho Rz(phi) on the observed spins, Rz(a) = exp(-i a sum Z/2). */
static void add_received(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, double phi, double c,
                         const nmrc_cmat *rho, nmrc_cmat *acc)
{
    size_t d = plan->dim, n = plan->sys.n_spins;
    for (size_t k = 0; k < d; k++) {
        int zs = 0;
        for (size_t i = 0; i < n; i++)
            if (plan->observed & (1u << i))
                zs += nmrc_nmri_zval(k, n, (int)i);
        w->ph[k] = phi == 0 ? 1.0 : cexp(I * phi * zs / 2);
    }
    for (size_t l = 0; l < d; l++)
        for (size_t k = 0; k < d; k++)
            NMRC_CMAT_AT(acc, k, l) += c * w->ph[k] * conj(w->ph[l]) * NMRC_CMAT_AT(rho, k, l);
}

nmrc_status nmrc_nmr_execute(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, const nmrc_cmat *rho0,
                          nmrc_cmat *rho)
{
    size_t d = plan->dim;
    if (w->dim != d || rho0->n1 != d || rho0->n2 != d || rho->n1 != d || rho->n2 != d ||
        rho == rho0)
        return NMRC_EINVAL;
    nmrc_cmat_zero(rho);
    for (size_t b = 0; b < plan->n_nodes; b++)
        for (size_t s = 0; s < plan->n_slices; s++)
            for (size_t e = 0; e < plan->n_exps; e++)
                for (size_t k = 0; k < plan->n_scans; k++) {
                    double c = plan->node_w[b] * plan->slice_w[s] * plan->exp_w[e] /
                               (double)plan->n_scans;
                    NMRC_CHECKED(nmrc_cmat_copy(w->a, rho0));
                    run_prog(plan, w, get_prog(plan, b, e, k), plan->slice_z[s], w->a, 0);
                    add_received(plan, w, plan->rec_phase[k], c, w->a, rho);
                }
    return NMRC_OK;
}

nmrc_status nmrc_nmr_execute_process(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, nmrc_cmat *S)
{
    size_t d = plan->dim;
    if (S->n1 != d * d || S->n2 != d * d || w->dim != d)
        return NMRC_EINVAL;
    for (size_t l = 0; l < d; l++)
        for (size_t k = 0; k < d; k++) {
            nmrc_cmat_zero(w->b);
            NMRC_CMAT_AT(w->b, k, l) = 1;
            nmrc_status st = nmrc_nmr_execute(plan, w, w->b, w->acc);
            if (st)
                return st;
            for (size_t j = 0; j < d; j++)
                for (size_t i = 0; i < d; i++)
                    NMRC_CMAT_AT(S, i + d * j, k + d * l) = NMRC_CMAT_AT(w->acc, i, j);
        }
    return NMRC_OK;
}

nmrc_status nmrc_nmr_execute_unitary(const nmrc_nmr_plan *plan, nmrc_nmr_ws *w, nmrc_cmat *U)
{
    if (!nmrc_nmr_plan_is_unitary(plan))
        return NMRC_ENOTSUP;
    if (U->n1 != plan->dim || U->n2 != plan->dim || w->dim != plan->dim)
        return NMRC_EINVAL;
    nmrc_cmat_identity(U);
    run_prog(plan, w, get_prog(plan, 0, 0, 0), 0.0, U, 1);
    return NMRC_OK;
}
