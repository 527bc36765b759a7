/*
** spinops.c: N-spin Pauli operators and the target Hamiltonian of a model.
** A single-spin operator on spin i maps basis state x to x ^ bit(i) (or to
** itself) with a phase that depends only on x's bit i, so every term is
** added in O(2^N) without building Kronecker products.  Spin 0 is the
** leftmost factor = most significant bit; |0> = up (Z = +1).
*/
#include <math.h>

#include "nmrc/linalg.h"
#include "nmrc/sim.h"

size_t nmrc_sim_dim(size_t n_spins)
{
    if (n_spins == 0 || n_spins > NMRC_MAX_SPINS)
        return 0;
    return (size_t)1 << n_spins;
}

size_t nmrc_sim_spin_bit(size_t n_spins, size_t spin)
{
    return (size_t)1 << (n_spins - 1 - spin);
}

/* Element P[x, x ^ flip] of a single-spin operator given the row's bit
** (0 = up); *flip says whether P flips the spin.  Returns 0 for a row the
** operator does not reach (sigma^+/-).  *ok = 0 for an unknown axis. */
static nmrc_cplx pauli_elem(char a, int rowbit, int *flip, int *ok)
{
    *ok = 1;
    *flip = 1;
    switch (a) {
    case 'i': case 'I': *flip = 0; return 1.0;
    case 'z': case 'Z': *flip = 0; return rowbit ? -1.0 : 1.0;
    case 'x': case 'X': return 1.0;
    case 'y': case 'Y': return rowbit ? I : -I;     /* Y = [[0,-i],[i,0]] */
    case '+': return rowbit ? 0.0 : 1.0;            /* |0><1| */
    case '-': return rowbit ? 1.0 : 0.0;            /* |1><0| */
    default: *ok = 0; return 0.0;
    }
}

static int valid_target(const nmrc_cmat *H, size_t n_spins)
{
    size_t d = nmrc_sim_dim(n_spins);
    return d != 0 && H->n1 == d && H->n2 == d;
}

nmrc_status nmrc_sim_add_pauli1(nmrc_cmat *H, size_t n_spins, size_t i, char a, nmrc_cplx coef)
{
    return nmrc_sim_add_pauli2(H, n_spins, i, a, i, 'i', coef);
}

nmrc_status nmrc_sim_add_pauli2(nmrc_cmat *H, size_t n_spins, size_t i, char a, size_t j,
                                char b, nmrc_cplx coef)
{
    size_t d, bi, bj, fmask = 0;
    int fa, fb, ok;

    if (!valid_target(H, n_spins))
        return NMRC_EBADLEN;
    if (i >= n_spins || j >= n_spins || (i == j && b != 'i'))
        return NMRC_EINVAL;
    pauli_elem(a, 0, &fa, &ok);
    if (!ok)
        return NMRC_EINVAL;
    pauli_elem(b, 0, &fb, &ok);
    if (!ok)
        return NMRC_EINVAL;
    d = nmrc_sim_dim(n_spins);
    bi = nmrc_sim_spin_bit(n_spins, i);
    bj = nmrc_sim_spin_bit(n_spins, j);
    if (fa)
        fmask ^= bi;
    if (fb && i != j)
        fmask ^= bj;
    for (size_t x = 0; x < d; x++) {
        nmrc_cplx e = coef * pauli_elem(a, (x & bi) != 0, &fa, &ok);
        if (i != j)
            e *= pauli_elem(b, (x & bj) != 0, &fb, &ok);
        if (e != 0)
            NMRC_CMAT_AT(H, x, x ^ fmask) += e;
    }
    return NMRC_OK;
}

nmrc_status nmrc_sim_spin_op(nmrc_cmat *out, size_t n_spins, size_t i, char a)
{
    if (!valid_target(out, n_spins))
        return NMRC_EBADLEN;
    nmrc_cmat_zero(out);
    return nmrc_sim_add_pauli1(out, n_spins, i, a, 1.0);
}

static const char axes[3] = {'x', 'y', 'z'};

/* Adds one model term; the caller has checked its spins. */
static NMRC_NODISCARD nmrc_status add_term(nmrc_cmat *H, size_t n, const nmrc_term *t)
{
    nmrc_status st = NMRC_OK;
    if (t->j < 0) {
        for (int a = 0; a < 3 && !st; a++)
            if (t->field[a] != 0)
                st = nmrc_sim_add_pauli1(H, n, (size_t)t->i, axes[a], t->field[a]);
        return st;
    }
    for (int a = 0; a < 3 && !st; a++)
        for (int b = 0; b < 3 && !st; b++)
            if (t->tensor[3 * a + b] != 0)
                st = nmrc_sim_add_pauli2(H, n, (size_t)t->i, axes[a], (size_t)t->j, axes[b],
                                         t->tensor[3 * a + b]);
    return st;
}

static int term_finite(const nmrc_term *t)
{
    for (int k = 0; k < 9; k++)
        if (!isfinite(t->tensor[k]) || (k < 3 && !isfinite(t->field[k])))
            return 0;
    return 1;
}

nmrc_status nmrc_sim_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cmat *H)
{
    size_t n = m->n_spins;
    if (nmrc_sim_dim(n) == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "model has %zu spins (need 1..%d)", n,
                              NMRC_MAX_SPINS);
    if (!valid_target(H, n))
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "Hamiltonian matrix must be %zu x %zu",
                              nmrc_sim_dim(n), nmrc_sim_dim(n));
    nmrc_cmat_zero(H);
    for (size_t k = 0; k < m->n_terms; k++) {
        const nmrc_term *t = &m->terms[k];
        if (t->i < 0 || (size_t)t->i >= n || t->j >= (int)n || t->j == t->i)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "term %zu acts on spins (%d, %d) outside "
                                  "the %zu-spin system", k + 1, t->i, t->j, n);
        if (!term_finite(t))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "term %zu has a non-finite coefficient",
                                  k + 1);
        if (add_term(H, n, t) != NMRC_OK)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "term %zu could not be added", k + 1);
    }
    return NMRC_OK;
}
