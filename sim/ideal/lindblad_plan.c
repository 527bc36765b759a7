/*
** lindblad_plan.c: planning of Lindblad evolution.  Validates H and the
** collapse operators, folds the anticommutator terms into the non-Hermitian
** H_eff = H - (i/2) sum rate L^+L, converts H_eff and each sqrt(rate) L to
** mask form (dense only when an operator has too many masks to pay off) and,
** for the EXACT method, builds the d^2 x d^2 Liouvillian (column-stacking
** vec: vec(A X B) = (B^T (x) A) vec X); otherwise relabels the basis so that
** the generator's invariant blocks are contiguous (lindblad_impl.h) and bounds
** the field of values for the Chebyshev integrator.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lindblad_impl.h"

void nmrc_lindblad_opts_default(nmrc_lindblad_opts *o)
{
    o->method = NMRC_LINDBLAD_AUTO;
    o->kernel = NMRC_LINDBLAD_KERNEL_AUTO;
    o->rtol = 1e-8;
    o->check_tol = 1e-7;
    o->check_positivity = 1;
}

static void free_masks(lb_mask *m, size_t n)
{
    if (!m)
        return;
    for (size_t k = 0; k < n; k++)
        free(m[k].v);
    free(m);
}

void nmrc_lindblad_plan_destroy(nmrc_lindblad_plan *p)
{
    if (!p)
        return;
    free_masks(p->hm, p->n_hmasks);
    nmrc_cmat_destroy(p->heff);
    for (size_t k = 0; k < p->n_jumps && p->jumps; k++) {
        free_masks(p->jumps[k].m, p->jumps[k].n_masks);
        nmrc_cmat_destroy(p->jumps[k].dense);
    }
    free(p->jumps);
    nmrc_cmat_destroy(p->liou);
    free(p->perm);
    free(p->iperm);
    free(p);
}

size_t nmrc_lindblad_plan_dim(const nmrc_lindblad_plan *p) { return p->d; }

nmrc_lindblad_method nmrc_lindblad_plan_method(const nmrc_lindblad_plan *p)
{
    return p->method;
}

/* Converts A (d x d) to mask form if it has at most max_masks masks.
** Returns NMRC_OK with *out set, NMRC_ELIMIT when there are more masks (then
** *out is NULL), NMRC_ENOMEM. */
static NMRC_NODISCARD nmrc_status to_masks(const nmrc_cmat *A, size_t max_masks, size_t *n_out, lb_mask **out)
{
    size_t d = A->n1, n = 0;
    long *slot = malloc(d * sizeof *slot);
    lb_mask *m = NULL;
    nmrc_status st = NMRC_OK;

    *out = NULL;
    *n_out = 0;
    if (!slot)
        return NMRC_ENOMEM;
    for (size_t k = 0; k < d; k++)
        slot[k] = -1;
    for (size_t y = 0; y < d; y++)
        for (size_t x = 0; x < d; x++)
            if (NMRC_CMAT_AT(A, x, y) != 0 && slot[x ^ y] < 0)
                slot[x ^ y] = (long)n++;
    if (n > max_masks) {
        free(slot);
        return NMRC_ELIMIT;
    }
    m = calloc(n ? n : 1, sizeof *m);
    if (!m)
        st = NMRC_ENOMEM;
    for (size_t k = 0; k < d && st == NMRC_OK; k++) {
        lb_mask *e;
        if (slot[k] < 0)
            continue;
        e = &m[slot[k]];
        e->mask = k;
        if (!(e->v = malloc(d * sizeof *e->v))) {
            st = NMRC_ENOMEM;
            break;
        }
        for (size_t x = 0; x < d; x++)
            e->v[x] = NMRC_CMAT_AT(A, x, x ^ k);
    }
    free(slot);
    if (st != NMRC_OK) {
        free_masks(m, n);
        return st;
    }
    *out = m;
    *n_out = n;
    return NMRC_OK;
}

/* Dense sqrt(rate) L for one collapse operator into L (d x d). */
static NMRC_NODISCARD nmrc_status jump_dense(const nmrc_collapse *c, size_t n_spins, nmrc_cmat *L)
{
    static const char ax[] = {'x', 'y', 'z', '+', '-'}; /* DECAY0 = |0><1| = sigma^+ */
    nmrc_status st;
    if (c->kind == NMRC_LOP_MATRIX) {
        if (!c->L || c->L->n1 != L->n1 || c->L->n2 != L->n2)
            return NMRC_EBADLEN;
        st = nmrc_cmat_copy(L, c->L);
    } else if ((int)c->kind >= 0 && c->kind <= NMRC_LOP_DECAY1) {
        st = nmrc_sim_spin_op(L, n_spins, c->spin, ax[c->kind]);
    } else {
        return NMRC_EINVAL;
    }
    if (st == NMRC_OK)
        nmrc_cmat_scale(L, sqrt(c->rate));
    return st;
}

static double mask_norm(const lb_mask *m, size_t n, size_t d)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) {
        double mx = 0;
        for (size_t x = 0; x < d; x++)
            mx = fmax(mx, cabs(m[k].v[x]));
        s += mx;
    }
    return s;
}

/* Widens the dissipator's field-of-values bounds by one L (scaled by
** sqrt(rate)), n2 = ||L||_2^2 (exact for one mask, else ||L||_1 ||L||_inf):
** Hermitian L gives -1/2 [L, [L, .]], real in [-2 n2, 0]; otherwise
** L . L^+ lies in the disk of radius n2 and -{L^+L, .}/2 in [-n2, 0]. */
static void jump_bounds(nmrc_lindblad_plan *p, const nmrc_cmat *L, const lb_mask *single)
{
    double n2 = 0;
    if (single) {
        for (size_t x = 0; x < p->d; x++)
            n2 = fmax(n2, creal(single->v[x] * conj(single->v[x])));
    } else {
        double inf = 0;
        for (size_t i = 0; i < L->n1; i++) {
            double r = 0;
            for (size_t k = 0; k < L->n2; k++)
                r += cabs(NMRC_CMAT_AT(L, i, k));
            inf = fmax(inf, r);
        }
        n2 = nmrc_cmat_norm_1(L) * inf;
    }
    if (nmrc_cmat_herm_dev(L) == 0) {
        p->jump_re_lo -= 2 * n2;
    } else {
        p->jump_re_lo -= 2 * n2;
        p->jump_re_hi += n2;
        p->jump_im += n2;
    }
}

/* Adds one collapse operator: mask form (or dense), H_eff -= (i/2) L^+L. */
static NMRC_NODISCARD nmrc_status add_jump(nmrc_lindblad_plan *p, nmrc_cmat *L, nmrc_cmat *heff,
                            nmrc_cmat **tmp, lb_jump *j)
{
    size_t d = p->d;
    size_t max = p->opts.kernel == NMRC_LINDBLAD_KERNEL_SPARSE  ? d
                 : p->opts.kernel == NMRC_LINDBLAD_KERNEL_DENSE ? 0
                                                                : (size_t)sqrt((double)d / 2.0);
    nmrc_status st = to_masks(L, max, &j->n_masks, &j->m);
    if (st == NMRC_ENOMEM)
        return st;
    for (size_t k = 0; st == NMRC_OK && k < j->n_masks; k++) {
        j->m[k].constant = 1;
        for (size_t x = 1; x < d && j->m[k].constant; x++)
            j->m[k].constant = j->m[k].v[x] == j->m[k].v[0];
    }
    if (st == NMRC_OK && j->n_masks == 1) {
        /* Single mask: L^+L is diagonal, (L^+L)_yy = |v[y ^ m]|^2. */
        for (size_t y = 0; y < d; y++) {
            double a = cabs(j->m[0].v[y ^ j->m[0].mask]);
            NMRC_CMAT_AT(heff, y, y) -= 0.5 * I * a * a;
        }
    } else {
        if (!*tmp && !(*tmp = nmrc_cmat_create(d, d)))
            return NMRC_ENOMEM;
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, L, L, 0.0, *tmp));
        NMRC_CHECKED(nmrc_cmat_axpy(heff, -0.5 * I, *tmp));
    }
    jump_bounds(p, L, st == NMRC_OK && j->n_masks == 1 ? j->m : NULL);
    if (st == NMRC_ELIMIT) {
        if (!(j->dense = nmrc_cmat_create(d, d)))
            return NMRC_ENOMEM;
        NMRC_CHECKED(nmrc_cmat_copy(j->dense, L));
        p->need_scratch = 1;
        p->gen_norm += nmrc_cmat_norm_1(L) * nmrc_cmat_norm_1(L);
    } else {
        double a = mask_norm(j->m, j->n_masks, d);
        p->gen_norm += a * a;
    }
    return NMRC_OK;
}

/* The d^2 x d^2 Liouvillian of the EXACT method. */
static NMRC_NODISCARD nmrc_status build_liouvillian(nmrc_lindblad_plan *p, const nmrc_cmat *heff,
                                     nmrc_cmat *const *Ls, size_t n_L)
{
    size_t d = p->d, D = d * d;
    nmrc_cmat *id = nmrc_cmat_create(d, d), *a = nmrc_cmat_create(d, d);
    nmrc_cmat *K = nmrc_cmat_create(D, D);
    nmrc_status st = NMRC_ENOMEM;

    if (!(p->liou = nmrc_cmat_create(D, D)) || !id || !a || !K)
        goto done;
    nmrc_cmat_identity(id);
    /* -i (I (x) H_eff) + i (conj(H_eff) (x) I) */
    NMRC_CHECKED(nmrc_cmat_kron(K, id, heff));
    NMRC_CHECKED(nmrc_cmat_axpy(p->liou, -I, K));
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++)
            NMRC_CMAT_AT(a, i, j) = conj(NMRC_CMAT_AT(heff, i, j));
    NMRC_CHECKED(nmrc_cmat_kron(K, a, id));
    NMRC_CHECKED(nmrc_cmat_axpy(p->liou, I, K));
    /* + conj(L) (x) L */
    for (size_t k = 0; k < n_L; k++) {
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < d; i++)
                NMRC_CMAT_AT(a, i, j) = conj(NMRC_CMAT_AT(Ls[k], i, j));
        NMRC_CHECKED(nmrc_cmat_kron(K, a, Ls[k]));
        NMRC_CHECKED(nmrc_cmat_axpy(p->liou, 1.0, K));
    }
    st = NMRC_OK;
done:
    nmrc_cmat_destroy(id);
    nmrc_cmat_destroy(a);
    nmrc_cmat_destroy(K);
    return st;
}

static NMRC_NODISCARD nmrc_status check_inputs(const nmrc_cmat *H, size_t n_spins, const nmrc_collapse *ops,
                                size_t n_ops, const nmrc_lindblad_opts *o, nmrc_ctx *ctx)
{
    size_t d = nmrc_sim_dim(n_spins);
    double scale;
    if (d == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: %zu spins (need 1..%d)",
                              n_spins, NMRC_MAX_SPINS);
    if (H->n1 != d || H->n2 != d)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Lindblad plan: H must be %zu x %zu", d, d);
    scale = nmrc_cmat_norm_max(H);
    if (!isfinite(scale))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: H has non-finite entries");
    if (nmrc_cmat_herm_dev(H) > 1e-12 * scale)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: H is not Hermitian");
    if (!(o->rtol > 0 && o->rtol < 1) || !(o->check_tol > 0 && o->check_tol < 1))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: tolerances must be in (0, 1) "
                              "(rtol %g, check_tol %g)", o->rtol, o->check_tol);
    if (o->method == NMRC_LINDBLAD_EXACT && d > 16)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "Lindblad plan: the exact Liouvillian "
                              "propagator is limited to 4 spins (%zu given)", n_spins);
    if ((int)o->kernel < 0 || o->kernel > NMRC_LINDBLAD_KERNEL_DENSE)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: unknown kernel %d",
                              (int)o->kernel);
    if (o->method != NMRC_LINDBLAD_AUTO && o->method != NMRC_LINDBLAD_EXACT &&
        o->method != NMRC_LINDBLAD_TAYLOR && o->method != NMRC_LINDBLAD_CHEBYSHEV)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "Lindblad plan: unknown method %d",
                              (int)o->method);
    for (size_t k = 0; k < n_ops; k++) {
        const nmrc_collapse *c = &ops[k];
        if (!isfinite(c->rate) || c->rate < 0)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "collapse operator %zu: rate %g is not a "
                                  "finite number >= 0", k + 1, c->rate);
        if (c->kind == NMRC_LOP_MATRIX) {
            if (!c->L || c->L->n1 != d || c->L->n2 != d)
                return nmrc_ctx_error(ctx, NMRC_EBADLEN, "collapse operator %zu must be a "
                                      "%zu x %zu matrix", k + 1, d, d);
            if (!isfinite(nmrc_cmat_norm_max(c->L)))
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "collapse operator %zu has non-finite "
                                      "entries", k + 1);
        } else if ((int)c->kind < 0 || c->kind > NMRC_LOP_DECAY1) {
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "collapse operator %zu: unknown kind %d",
                                  k + 1, (int)c->kind);
        } else if (c->spin >= n_spins) {
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "collapse operator %zu acts on spin %zu of "
                                  "a %zu-spin system", k + 1, c->spin, n_spins);
        }
    }
    return NMRC_OK;
}

/* GF(2) basis in reduced echelon form: basis[i] has lowest set bit i (a
** pivot, set in no other basis vector); `piv` has the pivot bits. */
static void span_add(size_t *basis, size_t *piv, size_t m, size_t n_bits)
{
    for (size_t i = 0; i < n_bits; i++)
        if ((*piv >> i & 1) && (m >> i & 1))
            m ^= basis[i];
    if (m == 0)
        return;
    size_t i = 0;
    while (!(m >> i & 1))
        i++;
    for (size_t j = 0; j < n_bits; j++)
        if ((*piv >> j & 1) && (basis[j] >> i & 1))
            basis[j] ^= m;
    basis[i] = m;
    *piv |= (size_t)1 << i;
}

/* The linear relabelling x -> (c(x), w(x)): w = the pivot bits of x packed
** (low bits), c = the other bits of x reduced by the basis, packed (top
** bits).  Its kernel in the top bits is the span: x ^ y in the span exactly
** when c(x) = c(y). */
static size_t relabel(const size_t *basis, size_t piv, size_t x, size_t n_bits, size_t r)
{
    size_t w = 0, c = 0, nw = 0, nc = 0, red = x;
    for (size_t i = 0; i < n_bits; i++)
        if ((piv >> i & 1) && (x >> i & 1))
            red ^= basis[i];
    for (size_t i = 0; i < n_bits; i++) {
        if (piv >> i & 1)
            w |= (x >> i & 1) << nw++;
        else
            c |= (red >> i & 1) << nc++;
    }
    return c << r | w;
}

/* v'[perm[x]] = v[x] for one mask's values; tmp holds d values. */
static void permute_mask(lb_mask *m, const size_t *perm, nmrc_cplx *tmp, size_t d)
{
    for (size_t x = 0; x < d; x++)
        tmp[perm[x]] = m->v[x];
    memcpy(m->v, tmp, d * sizeof *tmp);
    m->mask = perm[m->mask];
}

/* Relabels the mask-form plan so that the invariant blocks are contiguous
** (lindblad_impl.h).  Nothing to do when H or a jump is dense or the span
** is everything. */
static NMRC_NODISCARD nmrc_status plan_blocks(nmrc_lindblad_plan *p)
{
    size_t d = p->d, n = p->n_spins, basis[8 * sizeof(size_t)] = {0}, piv = 0, r = 0;
    nmrc_cplx *tmp;

    p->blk = d;
    if (p->heff)
        return NMRC_OK;
    for (size_t k = 0; k < p->n_hmasks; k++)
        span_add(basis, &piv, p->hm[k].mask, n);
    for (size_t j = 0; j < p->n_jumps; j++) {
        const lb_jump *J = &p->jumps[j];
        if (J->dense)
            return NMRC_OK;
        for (size_t a = 0; a < J->n_masks; a++)
            for (size_t b = 0; b < J->n_masks; b++)
                span_add(basis, &piv, J->m[a].mask ^ J->m[b].mask, n);
    }
    for (size_t i = 0; i < n; i++)
        r += piv >> i & 1;
    if (r == n)
        return NMRC_OK;
    p->perm = malloc(d * sizeof *p->perm);
    p->iperm = malloc(d * sizeof *p->iperm);
    tmp = malloc(d * sizeof *tmp);
    if (!p->perm || !p->iperm || !tmp) {
        free(tmp);
        return NMRC_ENOMEM;
    }
    for (size_t x = 0; x < d; x++) {
        p->perm[x] = relabel(basis, piv, x, n, r);
        p->iperm[p->perm[x]] = x;
    }
    for (size_t k = 0; k < p->n_hmasks; k++)
        permute_mask(&p->hm[k], p->perm, tmp, d);
    for (size_t j = 0; j < p->n_jumps; j++)
        for (size_t a = 0; a < p->jumps[j].n_masks; a++)
            permute_mask(&p->jumps[j].m[a], p->perm, tmp, d);
    free(tmp);
    p->blk = (size_t)1 << r;
    return NMRC_OK;
}

/* Largest number of masks H_eff may have for the mask-form kernel. */
static size_t kernel_max_h(nmrc_lindblad_kernel k, size_t d)
{
    return k == NMRC_LINDBLAD_KERNEL_SPARSE ? d : k == NMRC_LINDBLAD_KERNEL_DENSE ? 0 : d / 4;
}

/* Collapse operators, H_eff in mask or dense form, the Liouvillian. */
static NMRC_NODISCARD nmrc_status plan_build(nmrc_lindblad_plan *p, const nmrc_cmat *H,
                              const nmrc_collapse *ops, size_t n_ops)
{
    size_t d = p->d;
    int exact = p->method == NMRC_LINDBLAD_EXACT;
    nmrc_cmat *heff = nmrc_cmat_create(d, d), *tmp = NULL, *L = NULL;
    nmrc_cmat **keep = calloc(n_ops ? n_ops : 1, sizeof *keep);
    nmrc_status st = NMRC_ENOMEM;
    size_t n_keep = 0;

    p->jumps = calloc(n_ops ? n_ops : 1, sizeof *p->jumps);
    if (!heff || !keep || !p->jumps)
        goto done;
    NMRC_CHECKED(nmrc_cmat_copy(heff, H));
    for (size_t k = 0; k < n_ops; k++) {
        if (ops[k].rate == 0)
            continue;
        if (!L && !(L = nmrc_cmat_create(d, d)))
            goto done;
        if ((st = jump_dense(&ops[k], p->n_spins, L)) != NMRC_OK)
            goto done;
        if ((st = add_jump(p, L, heff, &tmp, &p->jumps[p->n_jumps++])) != NMRC_OK)
            goto done;
        if (exact) {
            keep[n_keep++] = L;
            L = NULL;
        }
    }
    st = to_masks(heff, kernel_max_h(p->opts.kernel, d), &p->n_hmasks, &p->hm);
    if (st == NMRC_ELIMIT) {
        p->heff = heff;
        p->gen_norm += 2 * nmrc_cmat_norm_1(heff);
        heff = NULL;
        st = NMRC_OK;
    } else if (st == NMRC_OK) {
        p->gen_norm += 2 * mask_norm(p->hm, p->n_hmasks, d);
    }
    if (st == NMRC_OK && exact)
        st = build_liouvillian(p, p->heff ? p->heff : heff, keep, n_keep);
    p->blk = d;
    if (st == NMRC_OK && !exact)
        st = plan_blocks(p);
    if (st == NMRC_OK && p->method == NMRC_LINDBLAD_CHEBYSHEV)
        st = nmrc_lb_cheb_plan(p);               /* the Lanczos enclosure */
done:
    for (size_t k = 0; k < n_keep; k++)
        nmrc_cmat_destroy(keep[k]);
    free(keep);
    nmrc_cmat_destroy(L);
    nmrc_cmat_destroy(tmp);
    nmrc_cmat_destroy(heff);
    return st;
}

nmrc_status nmrc_lindblad_plan_create(const nmrc_cmat *H, size_t n_spins,
                                      const nmrc_collapse *ops, size_t n_ops,
                                      const nmrc_lindblad_opts *opts, nmrc_ctx *ctx,
                                      nmrc_lindblad_plan **out)
{
    nmrc_lindblad_opts o;
    nmrc_lindblad_plan *p;
    nmrc_status st;

    *out = NULL;
    if (opts)
        o = *opts;
    else
        nmrc_lindblad_opts_default(&o);
    if ((st = check_inputs(H, n_spins, ops, n_ops, &o, ctx)) != NMRC_OK)
        return st;
    if (!(p = calloc(1, sizeof *p)))
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "Lindblad plan: out of memory");
    p->n_spins = n_spins;
    p->d = nmrc_sim_dim(n_spins);
    p->opts = o;
    p->method = o.method;
    /* AUTO above dim 8: TAYLOR, whose a posteriori stopping rule adapts to
    ** the state; on the N = 8 benchmark chain it took 15% less CPU than the
    ** a priori Chebyshev bound (both far inside rtol). */
    if (p->method == NMRC_LINDBLAD_AUTO)
        p->method = p->d <= 8 ? NMRC_LINDBLAD_EXACT : NMRC_LINDBLAD_TAYLOR;
    if ((st = plan_build(p, H, ops, n_ops)) != NMRC_OK) {
        nmrc_lindblad_plan_destroy(p);
        return nmrc_ctx_error(ctx, st, "Lindblad plan: %s (dim %zu)",
                              st == NMRC_ENOMEM ? "out of memory" : "bad collapse operator",
                              nmrc_sim_dim(n_spins));
    }
    *out = p;
    return NMRC_OK;
}

/* Maps a model noise channel to a collapse operator. */
static int noise_to_collapse(const nmrc_noise *nz, nmrc_collapse *c)
{
    static const nmrc_lop_kind kinds[] = {NMRC_LOP_X, NMRC_LOP_Y, NMRC_LOP_Z, NMRC_LOP_DECAY0};
    if ((int)nz->kind < 0 || nz->kind > NMRC_NOISE_DAMP || nz->spin < 0)
        return 0;
    c->kind = kinds[nz->kind];
    c->spin = (size_t)nz->spin;
    c->rate = nz->rate;
    c->L = NULL;
    return 1;
}

nmrc_status nmrc_lindblad_plan_from_model(const nmrc_model *m, const nmrc_lindblad_opts *opts,
                                          nmrc_ctx *ctx, nmrc_lindblad_plan **out)
{
    size_t d = nmrc_sim_dim(m->n_spins);
    nmrc_cmat *H;
    nmrc_collapse *ops;
    nmrc_status st;

    *out = NULL;
    if (d == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "model has %zu spins (need 1..%d)",
                              m->n_spins, NMRC_MAX_SPINS);
    H = nmrc_cmat_create(d, d);
    ops = calloc(m->n_noise ? m->n_noise : 1, sizeof *ops);
    if (!H || !ops) {
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "Lindblad plan: out of memory");
        goto done;
    }
    for (size_t k = 0; k < m->n_noise; k++)
        if (!noise_to_collapse(&m->noise[k], &ops[k])) {
            st = nmrc_ctx_error(ctx, NMRC_EINVAL, "noise channel %zu is not valid", k + 1);
            goto done;
        }
    if ((st = nmrc_sim_hamiltonian(m, ctx, H)) == NMRC_OK)
        st = nmrc_lindblad_plan_create(H, m->n_spins, ops, m->n_noise, opts, ctx, out);
done:
    nmrc_cmat_destroy(H);
    free(ops);
    return st;
}
