/*
** nmr_fold.c: loop folding for the physical NMR model's planner.  A loop
** whose body holds only propagators and virtual-Z phases becomes one cached
** propagator, the body's product raised to the loop count by repeated
** squaring, so execution costs one application per loop.  Bodies with
** gradients (slice-dependent) or split-mode relaxation steps stay unrolled.
*/
#include "nmr_internal.h"

#include <stdlib.h>
#include <string.h>

/* A folded loop: its count and body steps, and the resulting propagator. */
typedef struct fold {
    size_t count, n;
    nmri_step *body;
    size_t prop;
} fold;

void nmrc_nmri_folds_free(nmrc_nmr_plan *plan)
{
    fold *f = plan->folds;
    for (size_t i = 0; i < plan->n_folds; i++)
        free(f[i].body);
    free(plan->folds);
    plan->folds = NULL;
    plan->n_folds = plan->cap_folds = 0;
}

static int same_body(const fold *f, size_t count, const nmri_step *body, size_t n)
{
    if (f->count != count || f->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (f->body[i].kind != body[i].kind || f->body[i].prop != body[i].prop ||
            f->body[i].diag != body[i].diag)
            return 0;
    return 1;
}

/* P = diag-phase step applied from the left: row a (unitary) or row
** a + d b (superoperator) scaled by the phase factor. */
static void left_diag(const nmrc_nmr_plan *plan, const nmrc_cplx *dv, nmrc_cmat *P)
{
    size_t d = plan->dim, D = P->n1;
    for (size_t r = 0; r < D; r++) {
        nmrc_cplx f = plan->super ? dv[r % d] * conj(dv[r / d]) : dv[r];
        for (size_t c = 0; c < D; c++)
            NMRC_CMAT_AT(P, r, c) *= f;
    }
}

/* out = product of the body steps (later steps on the left); a, b scratch. */
static NMRC_NODISCARD nmrc_status body_product(const nmrc_nmr_plan *plan, const nmri_step *body, size_t n,
                                nmrc_cmat *out, nmrc_cmat *tmp)
{
    nmrc_cmat_identity(out);
    for (size_t i = 0; i < n; i++) {
        if (body[i].kind == NMRI_STEP_DIAG) {
            left_diag(plan, plan->diags + body[i].diag * plan->dim, out);
            continue;
        }
        nmrc_status st = nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, plan->props[body[i].prop], out,
                                   0.0, tmp);
        if (!st)
            st = nmrc_cmat_copy(out, tmp);
        if (st)
            return st;
    }
    return NMRC_OK;
}

/* R = P^count by repeated squaring; P is destroyed. */
static NMRC_NODISCARD nmrc_status power(nmrc_cmat *R, nmrc_cmat *P, size_t count, nmrc_cmat *tmp)
{
    nmrc_status st = NMRC_OK;
    nmrc_cmat_identity(R);
    while (count && !st) {
        if (count & 1) {
            st = nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, P, R, 0.0, tmp);
            if (!st)
                st = nmrc_cmat_copy(R, tmp);
        }
        count >>= 1;
        if (count && !st) {
            st = nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, P, P, 0.0, tmp);
            if (!st)
                st = nmrc_cmat_copy(P, tmp);
        }
    }
    return st;
}

static NMRC_NODISCARD nmrc_status remember(nmrc_nmr_plan *plan, size_t count, const nmri_step *body, size_t n,
                            size_t prop)
{
    if (plan->n_folds == plan->cap_folds) {
        size_t cap = plan->cap_folds ? 2 * plan->cap_folds : 8;
        fold *f = realloc(plan->folds, cap * sizeof *f);
        if (!f)
            return NMRC_ENOMEM;
        plan->folds = f;
        plan->cap_folds = cap;
    }
    fold *f = &((fold *)plan->folds)[plan->n_folds];
    f->body = malloc((n ? n : 1) * sizeof *body);
    if (!f->body)
        return NMRC_ENOMEM;
    memcpy(f->body, body, n * sizeof *body);
    f->count = count;
    f->n = n;
    f->prop = prop;
    plan->n_folds++;
    return NMRC_OK;
}

/* Index of the propagator of body^count (cached across programs). */
static NMRC_NODISCARD nmrc_status fold_prop(nmri_planner *pl, size_t count, const nmri_step *body, size_t n,
                             size_t *idx)
{
    nmrc_nmr_plan *plan = pl->plan;
    const fold *f = plan->folds;
    for (size_t i = 0; i < plan->n_folds; i++)
        if (same_body(&f[i], count, body, n)) {
            *idx = f[i].prop;
            return NMRC_OK;
        }
    size_t D = plan->super ? plan->dim * plan->dim : plan->dim;
    nmrc_cmat *P = nmrc_cmat_create(D, D), *R = nmrc_cmat_create(D, D);
    nmrc_status st = P && R ? NMRC_OK : NMRC_ENOMEM;
    if (!st)
        st = body_product(plan, body, n, P, pl->tmp);
    if (!st)
        st = power(R, P, count, pl->tmp);
    if (!st)
        st = nmrc_nmri_add_prop(plan, R, NULL, idx);
    if (!st)
        R = NULL;
    if (!st)
        st = remember(plan, count, body, n, *idx);
    nmrc_cmat_destroy(P);
    nmrc_cmat_destroy(R);
    return st;
}

/* Nonzero if the steps (i, j) are all propagators or virtual-Z phases. */
static int foldable(const nmri_prog *prog, size_t i, size_t j)
{
    for (size_t k = i + 1; k < j; k++)
        if (prog->steps[k].kind != NMRI_STEP_PROP && prog->steps[k].kind != NMRI_STEP_DIAG)
            return 0;
    return 1;
}

/* Replaces steps [i, j] by `with` (NULL: nothing) and fixes loop indices. */
static void splice(nmri_prog *prog, size_t i, size_t j, const nmri_step *with)
{
    size_t removed = j - i + 1 - (with ? 1 : 0);
    if (with)
        prog->steps[i] = *with;
    size_t from = with ? i + 1 : i;
    memmove(prog->steps + from, prog->steps + j + 1, (prog->n - j - 1) * sizeof *prog->steps);
    prog->n -= removed;
    for (size_t k = 0; k < prog->n; k++) {
        nmri_step *s = &prog->steps[k];
        if ((s->kind == NMRI_STEP_LOOP || s->kind == NMRI_STEP_END) && s->match > j)
            s->match -= removed;
    }
}

nmrc_status nmrc_nmri_fold_loops(nmri_planner *pl, nmri_prog *prog)
{
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < prog->n && !changed; i++) {
            const nmri_step *s = &prog->steps[i];
            if (s->kind != NMRI_STEP_LOOP || !foldable(prog, i, s->match))
                continue;
            size_t j = s->match;
            if (s->count == 0) {
                splice(prog, i, j, NULL);
            } else {
                nmri_step p = {NMRI_STEP_PROP, 0, 0, 0, 0};
                nmrc_status st = fold_prop(pl, s->count, prog->steps + i + 1, j - i - 1, &p.prop);
                if (st)
                    return nmrc_ctx_error(pl->ctx, st, "nmr: folding a loop failed (%s)",
                                          nmrc_strerror(st));
                splice(prog, i, j, &p);
            }
            changed = 1;
        }
    }
    return NMRC_OK;
}
